"""The tables the browser draws (``assets/datatable.js``) are the HTML the server describes.

A table travels as its text and is drawn in the browser; ``dashboards.datatable.expanded``
is the same table in Dash's wire format, which every structure test reads. This checks,
for every table of pages covering each kind of cell, row and section, that the DOM holds
exactly that: the same elements in the same order with the same attributes and text.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from dashboards.app import create_app
from dashboards.datatable import expanded, is_table
from tests.browser.conftest import open_view
from tests.panel_factory import SURVEY_SUPPRESSED, dash_payload, fill_deferred, make_info

pytestmark = pytest.mark.browser

#: React's names of the HTML attributes the tables use.
ATTRIBUTES = {"className": "class", "colSpan": "colspan", "tabIndex": "tabindex",
              "htmlFor": "for"}

DOM_TABLES = """() => {
  function shape(node) {
    if (node.nodeType === Node.TEXT_NODE) { return node.data; }
    const attrs = {};
    for (const a of node.attributes) { attrs[a.name] = a.value; }
    return {tag: node.tagName.toLowerCase(), attrs: attrs,
            children: [...node.childNodes].map(shape)};
  }
  return [...document.querySelectorAll("main table")].map(shape);
}"""

SURVEY = next(iter(SURVEY_SUPPRESSED))
PAGES = [
    "/",  # the values table: status symbols, map classes, aggregate rows, data-area
    "/?indikaattori=share_nonusers_16_89&vertailu=1&kieli=sv",  # intervals, peer group column
    "/kunta/KU564",  # theme sections, estimate and peer-group notes, trend tables
    "/kunta/KU072?kieli=en",
    "/indeksi",  # the index table after its deferred part
    f"/kysely?kysymys={SURVEY}",  # suppressed cells and empty answers
    "/tiedot",
    "/tiedot?aineisto=share_75plus",
]


def _merged(children: list[Any]) -> list[Any]:
    """Adjacent text joined and empty text dropped, as the DOM and the wire may split it."""
    out: list[Any] = []
    for child in children:
        if isinstance(child, str):
            if not child:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += child
                continue
        out.append(child)
    return out


def dom_shape(node: Any) -> Any:
    if isinstance(node, str):
        return node
    return {"tag": node["tag"], "attrs": node["attrs"],
            "children": _merged([dom_shape(c) for c in node["children"]])}


def wire_shape(node: Any) -> Any:
    """A wire-format element as the DOM node React makes of it."""
    if isinstance(node, int | float):
        return str(node)
    if isinstance(node, str):
        return node
    props = node["props"]
    children = props.get("children")
    children = children if isinstance(children, list) else [] if children is None else [children]
    attrs = {ATTRIBUTES.get(k, k): str(v) for k, v in props.items()
             if k != "children" and v is not None}
    return {"tag": node["type"].lower(), "attrs": attrs,
            "children": _merged([wire_shape(c) for c in children])}


def server_tables(app, url: str) -> list[Any]:
    """Every table of the page at ``url`` as the server sends it, deferred parts filled."""
    path, _, search = url.partition("?")
    body = dash_payload(app, "..page.children",
                        {"url.pathname": path, "url.search": f"?{search}" if search else ""},
                        "url.pathname")
    answer = app.server.test_client().post("/_dash-update-component", json=body).get_json()
    layout = fill_deferred(app.digi_ctx, answer["response"]["page"]["children"])
    found: list[Any] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                visit(n)
        elif is_table(node):
            found.append(expanded(node))
        elif isinstance(node, dict):
            if node.get("type") == "Table":
                found.append(node)
            for value in node.values():
                visit(value)

    visit(layout)
    return found


@pytest.fixture(scope="module")
def reference_app(panel):
    """The same app as ``overview_url`` serves, read in-process."""
    return create_app(panel, info=make_info(demo=False), boundaries=None)


@pytest.mark.parametrize("url", PAGES)
def test_each_table_drawn_is_the_table_described(page: Page, overview_url, reference_app,
                                                 url):
    open_view(page, overview_url + url)
    drawn = [dom_shape(t) for t in page.evaluate(DOM_TABLES)]
    described = [wire_shape(t) for t in server_tables(reference_app, url)]
    assert described, "the page has tables"
    assert [t["attrs"].get("id") for t in drawn] == [t["attrs"].get("id") for t in described]
    for got, want in zip(drawn, described, strict=True):
        assert got == want
    assert page.console_errors == []  # type: ignore[attr-defined]
