"""The boundary map sent without its coordinates, and the file the browser fills them from.

The browser half (``digi.map`` in ``assets/app.js``) is checked in
``tests/browser/test_overview.py``; here the server half: what is left out, what names the
outlines, the file and how it is served.
"""

from __future__ import annotations

import brotli
import orjson
import pytest
from dash import dcc

from dashboards import figures, mapoutlines, maps
from dashboards.views import overview
from tests.panel_factory import dash_payload, make_app, make_boundaries, walk


@pytest.fixture(scope="module")
def app():
    return make_app(boundaries=make_boundaries())


@pytest.fixture(scope="module")
def ctx(app):
    return app.digi_ctx


def _full_map(ctx, marked=frozenset()):
    st = overview.resolve(ctx, {})
    ranking = overview._ranking(ctx, "fi", st.indicator, st.year)
    data = maps.map_data(ranking, ctx.tiles)
    return figures.for_dash(maps.choropleth_spec(data, overview.outlines(ctx), marked))


def _filled(packed, document):
    """What digi.map does with a packed map and the outline file, in Python."""
    shapes = orjson.loads(document)
    data = [{**trace, "x": shapes[code][0], "y": shapes[code][1]} if code else trace
            for trace, code in zip(packed["figure"]["data"], packed["codes"], strict=True)]
    return {**packed["figure"], "data": data}


@pytest.mark.parametrize("marked", [frozenset(), frozenset({"KU564", "KU139"})])
def test_the_packed_map_filled_from_the_file_is_the_map_the_spec_built(ctx, marked):
    full = _full_map(ctx, marked)
    file = overview.outline_file(ctx)
    packed = mapoutlines.by_reference(full, file, "/x.json")
    assert packed["outlines"] == "/x.json"
    assert all("x" not in t and "y" not in t for t in packed["figure"]["data"])
    assert sorted(packed["codes"]) == sorted(ctx.municipalities)
    # The same figure once filled, to the number (JSON round trip: what the browser gets).
    assert orjson.loads(orjson.dumps(_filled(packed, file.body))) == orjson.loads(
        orjson.dumps(full))
    # Marked outlines are drawn last: the codes follow the spec's order of traces.
    if marked:
        assert set(packed["codes"][-len(marked):]) == marked


def test_a_trace_that_is_not_an_outline_is_sent_as_it_is(ctx):
    file = overview.outline_file(ctx)
    shape = file.shapes[0]
    copied = {"type": "scatter", "x": list(shape.x), "y": list(shape.y)}  # equal, not its own
    marker = {"type": "scatter", "x": [1.0], "y": [2.0], "mode": "markers"}
    own = {"type": "scatter", "x": shape.x, "y": shape.y, "fillcolor": "#123456"}
    packed = mapoutlines.by_reference({"data": [copied, marker, own], "layout": {}}, file, "/f")
    assert packed["codes"] == [None, None, shape.code]
    assert packed["figure"]["data"][:2] == [copied, marker]
    assert packed["figure"]["data"][2] == {"type": "scatter", "fillcolor": "#123456"}


def test_the_file_holds_every_outline_and_its_name_follows_its_content(ctx):
    file = overview.outline_file(ctx)
    shapes = orjson.loads(file.body)
    assert set(shapes) == set(ctx.municipalities)
    oulu = next(s for s in overview.outlines(ctx) if s.code == "KU564")
    assert shapes["KU564"] == [oulu.x, oulu.y] and None in oulu.x  # two rings
    again = mapoutlines.outline_file(maps.outlines(make_boundaries()))
    assert again.name == file.name and again.body == file.body
    moved = make_boundaries()
    moved["features"][0]["geometry"]["coordinates"][0][0][0] += 0.01
    assert mapoutlines.outline_file(maps.outlines(moved)).name != file.name


def test_the_overview_sends_the_packed_map_and_an_empty_frame(app, ctx):
    body = dash_payload(app, "..page.children", {"url.pathname": "/", "url.search": ""},
                        "url.pathname")
    answer = app.server.test_client().post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    page = answer.get_json()["response"]["page"]["children"]
    nodes = list(walk(page))
    graph = next(n for n in nodes if isinstance(n, dcc.Graph) and n.id == "map-graph")
    store = next(n for n in nodes if isinstance(n, dcc.Store) and n.id == "map-packed")
    assert graph.figure["data"] == []  # drawn by digi.map once the outlines are there
    assert graph.figure["layout"] == store.data["figure"]["layout"]
    assert store.data["outlines"] == "/_digi/outlines/" + overview.outline_file(ctx).name
    assert all("x" not in t for t in store.data["figure"]["data"])
    frame = next(n for n in nodes if getattr(n, "id", None) == "map-frame")
    assert frame.className == overview.MAP_PENDING
    failed = next(n for n in nodes if getattr(n, "id", None) == "map-failed")
    assert failed.hidden is True and "taulukossa" in failed.children


def test_the_outline_file_is_served_compressed_kept_and_cached_for_good(app, ctx):
    file = overview.outline_file(ctx)
    client = app.server.test_client()
    url = "/_digi/outlines/" + file.name
    plain = client.get(url)
    assert plain.status_code == 200 and plain.mimetype == "application/json"
    assert plain.get_data() == file.body
    assert plain.headers["Cache-Control"] == mapoutlines.CACHE_CONTROL
    assert "nosniff" in plain.headers["X-Content-Type-Options"]
    packed = client.get(url, headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.get_data()) == file.body
    # Kept: the second answer is the very bytes of the first, not compressed again.
    kept = ctx.answers.assets.find(f"br;{url}?")  # kept under the full path
    assert kept == packed.get_data()
    etag = packed.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/_digi/outlines/0123456789abcdef01234567.json").status_code == 404
    assert client.post("/_digi/outlines/" + file.name).status_code == 405


def test_an_app_without_boundaries_serves_no_outlines():
    client = make_app().server.test_client()
    answer = client.get("/_digi/outlines/anything.json")
    assert answer.mimetype == "text/html"  # Dash's page for any other path, not a file
