"""Rendered outputs are cached per state, bounded, and exactly what an uncached render sends.

The render cache (dashboards/render.py) keeps each callback output already serialised; these
tests check that a cached answer is the same JSON as rendering the components afresh, that a
repeated request is served from the cache, that the cache stays within its bounds, and that
no request can grow the per-app memo.
"""

from __future__ import annotations

import json

import orjson
import pytest
from plotly.io.json import to_json_plotly

from dashboards import render, state
from dashboards.app import LAYOUTS
from dashboards.render import LRU, component_json, freeze, plain
from dashboards.views import index, overview, profile
from tests.panel_factory import VIEW_URLS, dash_payload, make_app, make_boundaries, walk

VIEWS = {**VIEW_URLS, "overview": ("/", "?vertailu=1")}  # with a peer group marked


@pytest.fixture(scope="module")
def app():
    return make_app(demo=True, boundaries=make_boundaries())


@pytest.fixture(scope="module")
def ctx(app):
    return app.digi_ctx


def layout(ctx, view: str, lang: str = "fi"):
    path, search = VIEWS[view]
    return LAYOUTS[view](ctx, lang, state.route(path, search), search)


def as_sent(value) -> object:
    """What the browser receives for ``value``, parsed (Dash serialises through plotly)."""
    return json.loads(to_json_plotly({"v": value}))["v"]


# ---- plain() and freeze() ------------------------------------------------------------------
@pytest.mark.parametrize("view", list(VIEWS))
def test_component_json_is_dashs_own(ctx, view):
    for node in walk(layout(ctx, view)):
        assert component_json(node) == node.to_plotly_json(), type(node).__name__


@pytest.mark.parametrize("view", list(VIEWS))
def test_frozen_output_is_the_json_dash_would_send(ctx, view):
    tree = layout(ctx, view, "sv")
    value, size = freeze(tree)
    assert isinstance(value, orjson.Fragment)
    assert as_sent(value) == as_sent(tree) == as_sent(plain(tree))
    assert size == len(to_json_plotly(tree).encode())


def test_frozen_text_escapes_as_plotly_does_and_falls_back_for_odd_values():
    from decimal import Decimal

    from dash import html

    from dashboards.wire import element

    tree = html.Div([element("Td", "</script>\u2028<b>"), html.Span("a/b")])
    value, _ = freeze(tree)
    text = orjson.dumps(value).decode()  # a fragment is written out as it is
    assert text == to_json_plotly(plain(tree), engine="orjson")
    assert "</" not in text and "\\u003c\\u002fscript\\u003e" in text
    assert as_sent(value) == as_sent(tree)
    odd = html.Div([Decimal("1.5"), element("Td", Decimal("2.25"))])  # orjson cannot: plotly can
    value, size = freeze(odd)
    assert as_sent(value) == as_sent(odd) and size == len(to_json_plotly(odd).encode())


def _graph_figures(node, found: list) -> list:
    """The figure of every chart in a tree, as components or in Dash's wire format."""
    if type(node).__name__ == "Graph":
        found.append(node.figure)
    elif isinstance(node, dict):
        if node.get("type") == "Graph":
            found.append(node["props"]["figure"])
        for v in node.values():
            _graph_figures(v, found)
    elif isinstance(node, list | tuple):
        for v in node:
            _graph_figures(v, found)
    elif hasattr(node, "children"):
        _graph_figures(node.children, found)
    return found


def test_plain_keeps_figure_dicts_by_reference(ctx):
    choice = index.choice_from_query(ctx, {})
    for tree in (overview.content(ctx, "fi", overview.resolve(ctx, {"kartta": "rajat"})),
                 [index.content(ctx, "fi", choice), index.ranges_part(ctx, "fi", choice)]):
        graphs = _graph_figures(tree, [])
        assert len(graphs) == 2 and all(isinstance(g, dict) for g in graphs)
        assert {id(f) for f in _graph_figures(plain(tree), [])} == {id(g) for g in graphs}
    ids = [n.id for n in walk(overview.content(ctx, "fi", overview.resolve(
        ctx, {"kartta": "rajat"}))) if type(n).__name__ == "Graph"]
    assert set(ids) == {"map-graph", "ranking-graph"}


def test_without_orjson_the_plain_form_is_kept(ctx, monkeypatch):
    monkeypatch.setattr(render, "Fragment", None)
    tree = profile.content(ctx, "fi", "KU564")
    value, size = freeze(tree)
    assert isinstance(value, list) and as_sent(value) == as_sent(tree)
    assert size == render.PLAIN_OVERHEAD * len(to_json_plotly(tree).encode())


# ---- the LRU ---------------------------------------------------------------------------------
def test_lru_is_bounded_by_entries_and_bytes():
    cache = LRU(max_entries=3, max_bytes=100)
    built = []

    def get(key, size=10):
        return cache.get(key, lambda: built.append(key) or key, size=lambda _: size)

    for key in "abc":
        get(key)
    assert get("a") == "a" and built == ["a", "b", "c"]  # a hit, and now the newest
    get("d")  # over 3 entries: b (least recently used) goes
    assert cache.stats()["entries"] == 3
    get("b")
    assert built[-1] == "b"  # rebuilt
    get("big", size=95)  # over 100 bytes: everything older goes
    assert cache.stats() == {"entries": 1, "bytes": 95, "hits": 1, "misses": 6}
    get("huge", size=500)  # larger than the bound: kept nowhere
    assert cache.stats()["entries"] == 0 and cache.stats()["bytes"] == 0
    cache.clear()
    assert len(cache) == 0


def test_lru_membership_is_neither_a_hit_nor_a_use():
    lru = LRU(max_entries=2)
    lru.store("a", 1)
    lru.store("b", 2)
    assert "a" in lru and "c" not in lru
    assert lru.stats()["hits"] == lru.stats()["misses"] == 0
    lru.store("c", 3)  # "a" is still the oldest: asking whether it is kept did not use it
    assert "a" not in lru and "b" in lru and "c" in lru


def test_rendered_builds_once_per_key(ctx):
    calls = []

    def build():
        calls.append(1)
        return overview.status_text(ctx, "fi", overview.resolve(ctx, {}))

    first = ctx.rendered(("test", 1), build)
    assert ctx.rendered(("test", 1), build) is first
    assert len(calls) == 1
    ctx.clear_caches()
    ctx.rendered(("test", 1), build)
    assert len(calls) == 2


# ---- through Dash ------------------------------------------------------------------------------
def test_a_selection_is_rendered_once_and_sent_as_rendered(app, ctx):
    client = app.server.test_client()
    values = {"theme-select.value": "all", "indicator-select.value": "share_75plus",
              "year-select.value": "2022", "peer-select.value": "2", "map-select.value": "rajat",
              "url.pathname": "/", "url.search": "?vuosi=2023"}
    body = dash_payload(app, "..theme-select.value", values, "year-select.value")
    ctx.clear_caches()
    first = client.post("/_dash-update-component", json=body)
    assert first.status_code == 200
    hits = ctx.renders.stats()["hits"]
    again = client.post("/_dash-update-component", json=body)
    assert again.get_data() == first.get_data()
    assert ctx.renders.stats()["hits"] == hits + 1
    sent = json.loads(first.get_data())["response"]
    st = overview.resolve(ctx, {"indikaattori": "share_75plus", "vuosi": "2022",
                                "vertailu": "2", "kartta": "rajat"})
    assert sent["overview-content"]["children"] == as_sent(overview.content(ctx, "fi", st))
    assert sent["year-select"]["value"] == "2022"


def test_a_page_is_rendered_once_per_url(app, ctx):
    client = app.server.test_client()
    body = dash_payload(app, "..page.children", {"url.pathname": "/kunta/KU564",
                                                 "url.search": "?kieli=en"}, "url.pathname")
    ctx.clear_caches()
    first = client.post("/_dash-update-component", json=body)
    misses = ctx.renders.stats()["misses"]
    assert client.post("/_dash-update-component", json=body).get_data() == first.get_data()
    assert ctx.renders.stats()["misses"] == misses
    assert "Oulu" in first.get_data(as_text=True)


def test_requests_cannot_grow_the_memo(app, ctx):
    """Junk in URLs and controls is answered, but only the bounded LRU remembers it."""
    client = app.server.test_client()
    for i in range(20):
        values = {"theme-select.value": f"junk{i}", "indicator-select.value": f"nope{i}",
                  "year-select.value": "x", "peer-select.value": "9", "url.pathname": "/",
                  "url.search": f"?teema=bad{i}"}
        body = dash_payload(app, "..theme-select.value", values, "theme-select.value")
        assert client.post("/_dash-update-component", json=body).status_code in (200, 204)
    memo = len(ctx._memo)
    for i in range(20):
        values = {"theme-select.value": f"other{i}", "indicator-select.value": f"x{i}",
                  "url.pathname": "/", "url.search": f"?indikaattori=zz{i}"}
        body = dash_payload(app, "..theme-select.value", values, "indicator-select.value")
        client.post("/_dash-update-component", json=body)
    assert len(ctx._memo) == memo
    assert len(ctx.renders) <= ctx.renders.max_entries
