"""A data table sent as its text and built in the browser by ``assets/datatable.js``.

Why: in Dash's wire format every cell travels as ``{"props": {"children": "12,3",
"className": "num"}, "type": "Td", "namespace": "dash_html_components"}``, and Dash's
renderer builds a component for each. A whole-country index table was 318 kB, almost all
of it that wrapping, and building and serialising it took most of the index's second
part; the whole-country values table was the largest piece of the overview's first render.
Here a table travels as one component, ``digi_components.Table``, whose props are its
caption, heads and rows of plain text, and ``assets/datatable.js`` writes the same HTML
from them: ``<caption>``, ``<th scope=col>`` heads, a ``<th scope=row>`` first cell in each
row, class names per column.

:func:`expanded` is that HTML in Dash's wire format, written from the same props. It is
the reference the script follows: the structure tests read tables through it, and a
browser test checks that the table the script draws equals it, element for element.

A cell is one of: text; ``None`` (an empty cell); ``[shown, spoken]`` — ``shown`` on
screen and hidden from screen readers, ``spoken`` to screen readers and hidden from the
screen (:func:`shown_and_spoken`), for symbols and dashes that mean words; or a value
with a note after it in a span of its own class (:func:`with_note`), such as how a peer
group's figure was computed.
"""

from __future__ import annotations

from typing import Any

from .wire import element

NAMESPACE = "digi_components"
TYPE = "Table"


def table(id_: str, caption: str, head: list[str], rows: list[list[Any]], *,
          head_classes: list[str | None] | None = None,
          cell_classes: list[str | None] | None = None,
          class_name: str = "values-table",
          row_classes: list[str | None] | None = None,
          row_attributes: dict[str, list[str]] | None = None,
          sections: list[tuple[str | None, int]] | None = None) -> dict[str, Any]:
    """The table as its component: ``head_classes``/``cell_classes`` hold a class name
    per column (or None) for the heads and for the body cells; the first body cell of each
    row is the row's heading and takes no class. ``row_attributes`` maps an attribute name
    (``data-area``) to its value per row. ``sections`` splits the rows, in order, into
    ``<tbody>`` groups of (heading or None, number of rows); a heading spans the table."""
    props: dict[str, Any] = {"id": id_, "className": class_name, "caption": caption,
                             "head": head, "rows": rows}
    if head_classes and any(head_classes):
        props["headClasses"] = head_classes
    if cell_classes and any(cell_classes):
        props["cellClasses"] = cell_classes
    if row_classes and any(row_classes):
        props["rowClasses"] = row_classes
    if row_attributes:
        props["rowAttributes"] = row_attributes
    if sections is not None:
        props["sections"] = [list(section) for section in sections]
    return {"props": props, "type": TYPE, "namespace": NAMESPACE}


def is_table(node: Any) -> bool:
    return isinstance(node, dict) and node.get("namespace") == NAMESPACE \
        and node.get("type") == TYPE


def shown_and_spoken(shown: str, spoken: str) -> list[str]:
    """A cell shown as ``shown`` and read out as ``spoken`` (see the module's docstring)."""
    return [shown, spoken]


def symbol(text: str, spoken: str) -> Any:
    """A status symbol (``..``) shown as is and read out as words; no symbol, no text."""
    if not text:
        return None
    return shown_and_spoken(text, f" ({spoken})" if spoken else "")


def empty_cell(spoken: str) -> list[str]:
    """An empty cell: a dash on screen, ``spoken`` to a screen reader."""
    return shown_and_spoken("–", spoken)


def with_note(text: str, note: str, class_name: str = "cell-note") -> dict[str, str]:
    """A cell with ``text`` and then ``note`` in a ``<span class=class_name>``."""
    return {"text": text, "note": note, "noteClass": class_name}


def _content(cell: Any) -> Any:
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, dict) and set(cell) == {"text", "note", "noteClass"}:
        return [cell["text"], element("Span", cell["note"], className=cell["noteClass"])]
    if isinstance(cell, list) and len(cell) == 2 and all(isinstance(c, str) for c in cell):
        return [element("Span", cell[0], **{"aria-hidden": "true"}),
                element("Span", cell[1], className="visually-hidden")]
    raise TypeError(f"a table cell is text, None, [shown, spoken] or with_note(…), "
                    f"not {cell!r}")


def expanded(node: dict[str, Any]) -> dict[str, Any]:
    """The HTML ``assets/datatable.js`` draws for the table ``node``, in Dash's wire format."""
    if not is_table(node):
        raise TypeError(f"not a {NAMESPACE}.{TYPE}: {node!r}")
    p = node["props"]
    head, rows = p["head"], p["rows"]
    head_classes = p.get("headClasses") or [None] * len(head)
    cell_classes = p.get("cellClasses") or [None] * len(head)
    row_classes = p.get("rowClasses") or [None] * len(rows)
    attributes = p.get("rowAttributes") or {}

    def row(r: int) -> dict[str, Any]:
        cells = rows[r]
        out = [element("Th", _content(cells[0]), scope="row")]
        out += [element("Td", _content(cells[i]), className=cell_classes[i])
                for i in range(1, len(cells))]
        extra = {name: values[r] for name, values in attributes.items()}
        return element("Tr", out, className=row_classes[r], **extra)

    bodies, start = [], 0
    for heading, size in p.get("sections") or [[None, len(rows)]]:
        trs = []
        if heading:
            trs.append(element("Tr", element("Th", heading, colSpan=len(head),
                                             scope="colgroup"), className="row--theme"))
        trs += [row(r) for r in range(start, start + size)]
        start += size
        bodies.append(element("Tbody", trs))
    return element("Table", [
        element("Caption", element("Span", p["caption"], className="caption-text"),
                id=f"{p['id']}-caption"),
        element("Thead", element("Tr", [element("Th", h, scope="col", className=c)
                                        for h, c in zip(head, head_classes, strict=True)])),
        *bodies,
    ], id=p["id"], className=p["className"])
