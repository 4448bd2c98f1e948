"""Small Dash building blocks shared by the views: labelled controls, figures, tables.

Each one encodes an accessibility rule once, so no view can forget it: a native control
with a ``<label for>``; a chart as ``<figure>`` whose plotly SVG is hidden from assistive
technology (it has no accessible structure, plotly.js#6920) with a one-sentence
``<figcaption>`` and a real ``<table>`` of the same numbers; a status symbol read out as
words; a wide table in a focusable, labelled scroll region.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from .figures import for_dash
from .i18n import texts
from .wire import element

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
           placeholder: str = "") -> html.Div:
    """A labelled native ``<select>`` (``dcc.Dropdown`` fails axe's aria-hidden-focus).

    ``dbc.Select`` renders a hidden, disabled ``<option value="">`` for its placeholder, so
    an option of our own must never have the value ``""``.
    """
    return html.Div(className="control", children=[
        html.Label(label, htmlFor=_dom_id(id_), className="control__label"),
        html.Div(dbc.Select(id=id_, options=options, value=value, placeholder=placeholder,
                            class_name="control__select"),
                 className="control__field"),
    ])


def _dom_id(id_: Any) -> str:
    if isinstance(id_, str):
        return id_
    raise TypeError("controls in this app use string ids so <label for> can point at them")


def graph(id_: str, figure: Any, height: int | None = None) -> dcc.Graph:
    """A chart without modebar; a figure dict gets the (cut) default template."""
    style = {"height": f"{height}px"} if height else None
    return dcc.Graph(id=id_, figure=for_dash(figure), config=GRAPH_CONFIG, responsive=True,
                     style=style)


def figure(graphic: Any, caption: Any, *, caption_id: str, class_name: str = "chart-figure",
           table_href: str | None = None, lang: str = "fi", table: Any = None) -> html.Figure:
    """``<figure>``: the graphic (hidden from assistive technology), caption, optional table.

    ``table_href`` adds a "figures as a table" link to the caption; ``table`` puts a table
    inside the figure (in a ``<details>``, closed), for charts whose numbers are not in a
    table elsewhere on the page.
    """
    cap: list[Any] = [caption] if not isinstance(caption, list) else list(caption)
    if table_href:
        cap += [" ", html.A(texts(lang)["see_table"], href=table_href)]
    children: list[Any] = [
        html.Div(graphic, className="chart-figure__graphic", **{"aria-hidden": "true"}),
        html.Figcaption(cap, id=caption_id),
    ]
    if table is not None:
        children.append(html.Details([
            html.Summary(texts(lang)["table_summary"]),
            scroll_table(table, getattr(table, "id", None)),
        ], className="chart-figure__table"))
    return html.Figure(children, className=class_name)


def scroll_table(table: html.Table, caption_id: str | None = None) -> html.Div:
    """A wide table in a keyboard-scrollable region named by its caption (WCAG 2.1.1)."""
    attrs: dict[str, Any] = {}
    if caption_id:
        attrs["aria-labelledby"] = f"{caption_id}-caption"
    return html.Div(table, className="table-scroll", role="region", tabIndex="0", **attrs)


def table(id_: str, caption: Any, head: list[str], rows: list[list[Any]], *,
          numeric: set[int] = frozenset(), row_classes: list[str] | None = None,
          class_name: str = "values-table") -> html.Table:
    """A real data table: ``<caption>``, ``<th scope=col>`` heads, ``<th scope=row>`` first cells.

    ``numeric`` holds the column positions to right-align; the caption gets id
    ``<id_>-caption`` so a scroll region can be named by it. When every data column is
    numeric the table says so once (``values-table--numeric``) instead of every cell
    (a whole-country table has thousands of cells).
    """
    all_numeric = len(head) > 1 and set(range(1, len(head))) <= set(numeric)
    cell_numeric = frozenset() if all_numeric else numeric
    head_cells = [html.Th(h, scope="col", className="num" if i in numeric else None)
                  for i, h in enumerate(head)]
    body = []  # rows in Dash's wire format: a long table is built and sent many times faster
    for r, cells in enumerate(rows):
        out = [element("Th", cells[0], scope="row")]
        out += [element("Td", c, className="num" if i + 1 in cell_numeric else None)
                for i, c in enumerate(cells[1:])]
        body.append(element("Tr", out, className=(row_classes[r] if row_classes else None)))
    return html.Table(
        id=id_,
        className=f"{class_name} values-table--numeric" if all_numeric else class_name,
        children=[
            html.Caption(html.Span(caption, className="caption-text"), id=f"{id_}-caption"),
            html.Thead(html.Tr(head_cells)),
            html.Tbody(body),
        ],
    )


def symbol(text: str, spoken: str) -> list[Any]:
    """A status symbol (``..``) shown as is and read out as words by a screen reader."""
    if not text:
        return []
    return [element("Span", text, **{"aria-hidden": "true"}),
            element("Span", f" ({spoken})" if spoken else "", className="visually-hidden")]
