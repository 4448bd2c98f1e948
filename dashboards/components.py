"""Small Dash building blocks shared by the views: labelled controls, figures, tables.

Each one encodes an accessibility rule once, so no view can forget it: a native control
with a ``<label for>``; a chart as ``<figure>`` whose plotly SVG is hidden from assistive
technology (it has no accessible structure, plotly.js#6920) with a one-sentence
``<figcaption>`` and a real ``<table>`` of the same numbers; a status symbol read out as
words; a wide table in a focusable, labelled scroll region.
"""

from __future__ import annotations

from typing import Any

from . import datatable
from .figures import for_dash
from .i18n import texts
from .wire import bootstrap, core, element, prop

GRAPH_CONFIG = {
    # No modebar: it adds up to 11 tab stops per chart, including a "share" button that
    # would send data to a third party. Downloads are our own buttons.
    "displayModeBar": False,
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "doubleClick": False,
    "showTips": False,
}


def select(id_: str, label: str, options: list[dict], value: str | None,
           placeholder: str = "") -> dict[str, Any]:
    """A labelled native ``<select>`` (``dcc.Dropdown`` fails axe's aria-hidden-focus).

    ``dbc.Select`` renders a hidden, disabled ``<option value="">`` for its placeholder, so
    an option of our own must never have the value ``""``.
    """
    return element("Div", [
        element("Label", label, htmlFor=_dom_id(id_), className="control__label"),
        element("Div", bootstrap("Select", id=id_, options=options, value=value,
                                 placeholder=placeholder, class_name="control__select"),
                className="control__field"),
    ], className="control")


def _dom_id(id_: Any) -> str:
    if isinstance(id_, str):
        return id_
    raise TypeError("controls in this app use string ids so <label for> can point at them")


def graph(id_: str, figure: Any, height: int | None = None) -> dict[str, Any]:
    """A chart without modebar; a figure dict gets the (cut) default template.

    Like :func:`figure`, :func:`table` and :func:`scroll_table` it returns the element in
    Dash's wire format (:mod:`dashboards.wire`): a profile page has 18 charts with their
    tables, and building each as Dash components first cost several milliseconds a page.
    """
    style = {"height": f"{height}px"} if height else None
    return core("Graph", id=id_, figure=for_dash(figure), config=GRAPH_CONFIG, responsive=True,
                style=style)


def figure(graphic: Any, caption: Any, *, caption_id: str, class_name: str = "chart-figure",
           table_href: str | None = None, lang: str = "fi", table: Any = None
           ) -> dict[str, Any]:
    """``<figure>``: the graphic (hidden from assistive technology), caption, optional table.

    ``table_href`` adds a "figures as a table" link to the caption; ``table`` puts a table
    inside the figure (in a ``<details>``, closed), for charts whose numbers are not in a
    table elsewhere on the page.
    """
    cap: list[Any] = [caption] if not isinstance(caption, list) else list(caption)
    if table_href:
        cap += [" ", element("A", texts(lang)["see_table"], href=table_href)]
    children: list[Any] = [
        element("Div", graphic, className="chart-figure__graphic", **{"aria-hidden": "true"}),
        element("Figcaption", cap, id=caption_id),
    ]
    if table is not None:
        children.append(element("Details", [
            element("Summary", texts(lang)["table_summary"]),
            scroll_table(table, prop(table, "id")),
        ], className="chart-figure__table"))
    return element("Figure", children, className=class_name)


def scroll_table(table: Any, caption_id: str | None = None) -> dict[str, Any]:
    """A wide table in a keyboard-scrollable region named by its caption (WCAG 2.1.1)."""
    label = f"{caption_id}-caption" if caption_id else None
    return element("Div", table, className="table-scroll", role="region", tabIndex="0",
                   **{"aria-labelledby": label})


def table(id_: str, caption: str, head: list[str], rows: list[list[Any]], *,
          numeric: set[int] = frozenset(), row_classes: list[str] | None = None,
          class_name: str = "values-table") -> dict[str, Any]:
    """A real data table (:mod:`dashboards.datatable`): ``<caption>``, ``<th scope=col>``
    heads, ``<th scope=row>`` first cells; cells are text, None or ``[shown, spoken]``.

    ``numeric`` holds the column positions to right-align; the caption gets id
    ``<id_>-caption`` so a scroll region can be named by it. When every data column is
    numeric the table says so once (``values-table--numeric``) instead of every cell.
    """
    all_numeric = len(head) > 1 and set(range(1, len(head))) <= set(numeric)
    heads = ["num" if i in numeric else None for i in range(len(head))]
    return datatable.table(
        id_, caption, head, rows, head_classes=heads,
        cell_classes=None if all_numeric else heads, row_classes=row_classes,
        class_name=f"{class_name} values-table--numeric" if all_numeric else class_name)
