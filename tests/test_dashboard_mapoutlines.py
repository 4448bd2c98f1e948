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


def _map_data(ctx):
    st = overview.resolve(ctx, {})
    ranking = overview._ranking(ctx, "fi", st.indicator, st.year)
    return maps.map_data(ranking, ctx.tiles)


def _filled(packed, document):
    """What digi.map does with a packed map and the outline file, in Python."""
    shapes = orjson.loads(document)
    data = [{**trace, "x": shapes[code][0], "y": shapes[code][1]}
            for trace, code in zip(packed["figure"]["data"], packed["codes"], strict=True)]
    return {**packed["figure"], "data": data}


@pytest.mark.parametrize("marked", [frozenset(), frozenset({"KU564", "KU139"})])
def test_the_packed_map_filled_from_the_file_is_the_map_with_coordinates(ctx, marked):
    data, shapes = _map_data(ctx), overview.outlines(ctx)
    with_coordinates, codes = maps.choropleth_styled(data, shapes, marked)
    lean, lean_codes = maps.choropleth_styled(data, shapes, marked, coordinates=False)
    assert lean_codes == codes
    file = overview.outline_file(ctx)
    packed = mapoutlines.packed(figures.for_dash(lean), lean_codes, "/x.json")
    assert packed["outlines"] == "/x.json"
    assert all("x" not in t and "y" not in t for t in packed["figure"]["data"])
    assert sorted(packed["codes"]) == sorted(ctx.municipalities)
    # The same figure once filled, to the number (JSON round trip: what the browser gets),
    # and the same as notebooks get once the template's styles are applied.
    full = figures.for_dash(with_coordinates)
    assert orjson.loads(orjson.dumps(_filled(packed, file.body))) == orjson.loads(
        orjson.dumps(full))
    style = full["layout"]["template"]["data"]["scatter"][0]
    notebook = maps.choropleth_spec(data, shapes, marked)
    assert [{**{k: style[k] for k in lean.trace_styles["scatter"]}, **t}
            for t in full["data"]] == notebook["data"]
    # Each trace's code is its outline's: its coordinates are that outline's own.
    by_code = {s.code: s for s in shapes}
    assert all(t["x"] is by_code[c].x for t, c in zip(with_coordinates.spec["data"], codes,
                                                      strict=True))
    # Marked outlines are drawn last: the codes follow the spec's order of traces.
    if marked:
        assert set(packed["codes"][-len(marked):]) == marked


def test_a_packed_map_needs_one_code_per_trace():
    with pytest.raises(ValueError, match="one outline code per trace"):
        mapoutlines.packed({"data": [{"type": "scatter"}], "layout": {}}, [], "/f")


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
