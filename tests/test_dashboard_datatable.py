"""``dashboards.datatable``: a table sent as text, and the HTML it stands for (``expanded``).

The browser's side (``assets/datatable.js`` draws exactly ``expanded``) is checked in
``tests/browser/test_datatable.py``.
"""

from __future__ import annotations

import pytest
from dash import html

from dashboards import datatable
from dashboards.datatable import empty_cell, expanded, shown_and_spoken, symbol, with_note
from tests.panel_factory import sent


def test_each_kind_of_cell_is_the_html_it_stands_for():
    tbl = datatable.table("t", "Luvut", ["Alue", "Arvo", "Tila", "Tyhjä", "Vertailu"], [
        ["Oulu", shown_and_spoken("–", "ei arvoa"), symbol("..", "salattu"), None,
         with_note("5,0 %", "keskiarvo, 3 kuntaa")],
    ], cell_classes=[None, "num", "status", None, "num"])
    want = html.Table(id="t", className="values-table", children=[
        html.Caption(html.Span("Luvut", className="caption-text"), id="t-caption"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in
                            ["Alue", "Arvo", "Tila", "Tyhjä", "Vertailu"]])),
        html.Tbody([html.Tr([
            html.Th("Oulu", scope="row"),
            html.Td([html.Span("–", **{"aria-hidden": "true"}),
                     html.Span("ei arvoa", className="visually-hidden")], className="num"),
            html.Td([html.Span("..", **{"aria-hidden": "true"}),
                     html.Span(" (salattu)", className="visually-hidden")],
                    className="status"),
            html.Td(),
            html.Td(["5,0 %", html.Span("keskiarvo, 3 kuntaa", className="cell-note")],
                    className="num"),
        ])]),
    ])
    assert sent(expanded(tbl)) == sent(want)


def test_sections_rows_classes_and_attributes():
    tbl = datatable.table(
        "p", "Profiili", ["Indikaattori", "Arvo"],
        [["Yli 75-v.", "12,0"], ["Tulot", "25 000"], ["Työttömät", "9,1"]],
        head_classes=[None, "num"], cell_classes=[None, "num own"],
        row_classes=["a", None, "c"], row_attributes={"data-indicator": ["x", "y", "z"]},
        sections=[("Väestö", 1), (None, 2)])
    want = html.Table(id="p", className="values-table", children=[
        html.Caption(html.Span("Profiili", className="caption-text"), id="p-caption"),
        html.Thead(html.Tr([html.Th("Indikaattori", scope="col"),
                            html.Th("Arvo", scope="col", className="num")])),
        html.Tbody([
            html.Tr(html.Th("Väestö", colSpan=2, scope="colgroup"), className="row--theme"),
            html.Tr([html.Th("Yli 75-v.", scope="row"), html.Td("12,0", className="num own")],
                    className="a", **{"data-indicator": "x"}),
        ]),
        html.Tbody([
            html.Tr([html.Th("Tulot", scope="row"), html.Td("25 000", className="num own")],
                    **{"data-indicator": "y"}),
            html.Tr([html.Th("Työttömät", scope="row"), html.Td("9,1", className="num own")],
                    className="c", **{"data-indicator": "z"}),
        ]),
    ])
    assert sent(expanded(tbl)) == sent(want)


def test_the_props_carry_only_what_is_set():
    tbl = datatable.table("t", "C", ["A", "B"], [["x", "1"]], head_classes=[None, None],
                          cell_classes=[None, None])
    assert tbl == {"props": {"id": "t", "className": "values-table", "caption": "C",
                             "head": ["A", "B"], "rows": [["x", "1"]]},
                   "type": "Table", "namespace": "digi_components"}
    assert datatable.is_table(tbl) and not datatable.is_table(html.Table().to_plotly_json())


def test_a_symbol_without_text_is_an_empty_cell_and_a_dash_is_spoken():
    assert symbol("", "ei arvoa") is None
    assert symbol("..", "") == ["..", ""]
    assert empty_cell("ei vastannut") == ["–", "ei vastannut"]


@pytest.mark.parametrize("cell", [3.5, ["a"], ["a", "b", "c"], [html.Span("x"), "y"],
                                  {"text": "x"}, html.Span("x")])
def test_a_cell_of_another_kind_is_refused(cell):
    tbl = datatable.table("t", "C", ["A", "B"], [["x", cell]])
    with pytest.raises(TypeError, match="a table cell is"):
        expanded(tbl)


def test_only_a_table_expands():
    with pytest.raises(TypeError, match="digi_components.Table"):
        expanded(html.Table().to_plotly_json())
