"""``dashboards.wire.element`` is exactly the JSON Dash sends for the same html component."""

from __future__ import annotations

import pytest
from dash import html

from dashboards.components import table
from dashboards.datatable import expanded
from dashboards.wire import element
from tests.panel_factory import sent


@pytest.mark.parametrize(("tag", "children", "props"), [
    ("Td", "12,3", {"className": "num"}),
    ("Td", [], {"className": "status"}),
    ("Td", "", {}),
    ("Td", None, {"className": None}),
    ("Th", "Oulu", {"scope": "row"}),
    ("Th", "Teema", {"scope": "colgroup", "colSpan": 7}),
    ("Tr", ["a", "b"], {"className": "row--kunta", "data-area": "KU564"}),
    ("Span", "..", {"aria-hidden": "true"}),
    ("Span", "no value", {"className": "visually-hidden"}),
    ("Div", ["x", 3, 4.5], {"id": "d", "role": "region", "tabIndex": "0"}),
    ("Div", ["Oulu"], {"className": "tile tile--marked", "data-area": "KU564",
                       "style": {"gridRow": 3, "gridColumn": 2, "backgroundColor": "#123456"}}),
    ("Span", None, {"className": "swatch", "style": {"backgroundColor": "#abcdef"}}),
    ("Li", ["a", "b"], {}),
    # the page frame (dashboards.shell)
    ("A", "På svenska", {"href": "/?kieli=sv", "id": "lang-sv", "lang": "sv", "hrefLang": "sv",
                         "aria-current": "true", "className": "lang-switch__link"}),
    ("A", "Indeksi", {"href": "/indeksi", "aria-current": "page", "id": "nav-index"}),
    ("Nav", ["x"], {"className": "site-nav", "aria-label": "Päävalikko"}),
    ("Main", ["x"], {"id": "main-content", "tabIndex": "-1", "className": "container main"}),
    ("Div", ["x"], {"className": "banner", "id": "demo-banner", "role": "note"}),
    ("Header", [], {"className": "site-header"}),
    ("Footer", [], {"className": "site-footer"}),
    ("Code", "make refresh", {}),
    ("Strong", "Demo", {}),
    # the overview's and the index's pages
    ("H1", "Digitaalinen osallisuus", {}),
    ("H2", "Valinnat", {"id": "controls-heading", "className": "visually-hidden"}),
    ("H3", "Kartta", {"id": "map-heading"}),
    ("P", "Kartta ei latautunut.", {"id": "map-failed", "className": "notice", "hidden": True}),
    ("Section", ["x"], {"className": "controls", "aria-labelledby": "controls-heading"}),
    ("Ul", [element("Li", "a")], {"className": "map-legend__list"}),
    ("Dl", [element("Dt", ".."), element("Dd", "salattu")], {}),
    ("Button", "Lataa PNG", {"id": "download-png", "type": "button", "className": "button"}),
])
def test_element_is_what_dash_sends(tag, children, props):
    component = getattr(html, tag)(children, **props) if children is not None \
        else getattr(html, tag)(**props)
    assert sent(element(tag, children, **props)) == sent(component)


def test_a_store_is_what_dash_sends():
    from dash import dcc

    from dashboards.wire import core

    ident = {"type": "url-mirror", "view": "index"}
    assert sent(core("Store", id=ident)) == sent(dcc.Store(id=ident))
    data = {"figure": {"data": []}, "codes": ["KU564"]}
    assert sent(core("Store", id="map-packed", data=data)) == sent(
        dcc.Store(id="map-packed", data=data))


def test_nested_components_and_elements_mix():
    inner = [element("Span", "..", **{"aria-hidden": "true"}), html.Span("missing")]
    assert sent(element("Tr", [element("Td", inner, className="status")])) == sent(
        html.Tr([html.Td(inner, className="status")]))


def test_an_expanded_table_is_what_the_same_table_of_components_sends():
    got = table("t", "Caption", ["Area", "2023", "2024"], [["Oulu", "1,0", "2,0"],
                                                            ["Ii", "..", "3,5"]],
                numeric={1, 2}, row_classes=["a", "b"])
    want = html.Table(id="t", className="values-table values-table--numeric", children=[
        html.Caption(html.Span("Caption", className="caption-text"), id="t-caption"),
        html.Thead(html.Tr([html.Th("Area", scope="col"), html.Th("2023", scope="col",
                                                                 className="num"),
                            html.Th("2024", scope="col", className="num")])),
        html.Tbody([html.Tr([html.Th("Oulu", scope="row"), html.Td("1,0"), html.Td("2,0")],
                            className="a"),
                    html.Tr([html.Th("Ii", scope="row"), html.Td(".."), html.Td("3,5")],
                            className="b")]),
    ])
    assert sent(expanded(got)) == sent(want)


def test_a_figure_with_its_graph_and_table_sends_what_components_send():
    from dash import dcc

    from dashboards.components import GRAPH_CONFIG, figure, graph, scroll_table
    from dashboards.figures import for_dash

    spec = {"data": [{"type": "bar", "x": [1, 2], "y": ["a", "b"]}], "layout": {}}
    tbl = table("t", "Caption", ["Area", "2024"], [["Oulu", "1,0"]], numeric={1})
    got = figure(graph("g", spec, 240), "One sentence.", caption_id="g-caption",
                 table_href="#t", lang="fi", table=tbl)
    want_table = html.Table(id="t", className="values-table values-table--numeric", children=[
        html.Caption(html.Span("Caption", className="caption-text"), id="t-caption"),
        html.Thead(html.Tr([html.Th("Area", scope="col"),
                            html.Th("2024", scope="col", className="num")])),
        html.Tbody([html.Tr([html.Th("Oulu", scope="row"), html.Td("1,0")])]),
    ])
    want = html.Figure([
        html.Div(dcc.Graph(id="g", figure=for_dash(spec), config=GRAPH_CONFIG, responsive=True,
                           style={"height": "240px"}),
                 className="chart-figure__graphic", **{"aria-hidden": "true"}),
        html.Figcaption(["One sentence.", " ", html.A("Luvut taulukkona", href="#t")],
                        id="g-caption"),
        html.Details([html.Summary("Luvut taulukkona"),
                      html.Div(want_table, className="table-scroll", role="region",
                               tabIndex="0", **{"aria-labelledby": "t-caption"})],
                     className="chart-figure__table"),
    ], className="chart-figure")
    details = got["props"]["children"][2]["props"]["children"][1]
    assert details["props"]["children"] == tbl  # the table travels as its own component
    details["props"]["children"] = expanded(tbl)
    assert sent(got) == sent(want)
    assert sent(scroll_table(expanded(tbl))) == sent(
        html.Div(want_table, className="table-scroll", role="region", tabIndex="0"))


def test_a_table_with_some_numeric_columns_and_an_empty_cell():
    got = table("t", "C", ["Area", "n", "Note"], [["Oulu", "3", None], ["Ii", "4", "x"]],
                numeric={1})
    want = html.Table(id="t", className="values-table", children=[
        html.Caption(html.Span("C", className="caption-text"), id="t-caption"),
        html.Thead(html.Tr([html.Th("Area", scope="col"),
                            html.Th("n", scope="col", className="num"),
                            html.Th("Note", scope="col")])),
        html.Tbody([html.Tr([html.Th("Oulu", scope="row"), html.Td("3", className="num"),
                             html.Td()]),
                    html.Tr([html.Th("Ii", scope="row"), html.Td("4", className="num"),
                             html.Td("x")])]),
    ])
    assert sent(expanded(got)) == sent(want)


def test_a_select_sends_what_the_components_send():
    import dash_bootstrap_components as dbc

    from dashboards.components import select

    options = [{"label": "Oulu", "value": "KU564"}, {"label": "Ii", "value": "KU139"}]
    want = html.Div(className="control", children=[
        html.Label("Kunta", htmlFor="m", className="control__label"),
        html.Div(dbc.Select(id="m", options=options, value="KU139", placeholder="Valitse",
                            class_name="control__select"), className="control__field"),
    ])
    assert sent(select("m", "Kunta", options, "KU139", placeholder="Valitse")) == sent(want)
    empty = html.Div(className="control", children=[
        html.Label("Kunta", htmlFor="m", className="control__label"),
        html.Div(dbc.Select(id="m", options=options, value=None, placeholder="",
                            class_name="control__select"), className="control__field"),
    ])
    assert sent(select("m", "Kunta", options, None)) == sent(empty)


def test_the_app_serves_the_scripts_of_every_namespace_the_wire_format_writes():
    # In a fresh interpreter: here other tests import dbc, which would hide a missing import.
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from tests.panel_factory import make_app\n"
        "app = make_app()\n"
        "html = app.server.test_client().get('/').get_data(as_text=True)\n"
        "print(html)\n"
    )
    root = Path(__file__).resolve().parents[1]
    page = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, timeout=120, check=True).stdout
    for package in ("dash_bootstrap_components", "dash_core_components",
                    "dash_html_components"):
        assert package in page, package
