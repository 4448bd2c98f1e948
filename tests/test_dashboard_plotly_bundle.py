"""plotly.js's basic bundle: fetched only when its pinned hash matches, used only when its
version is plotly's, and enough for every chart the views draw (no network in these tests)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

from dashboards import figures, plotlyjs
from dashboards.app import LAYOUTS
from dashboards.plotlyjs import TRACE_TYPES
from tests.panel_factory import fill_deferred, make_app, make_boundaries, walk

ROOT = Path(__file__).resolve().parents[1]
VERSION = "9.9.9"


def _fetch_script():
    spec = importlib.util.spec_from_file_location("fetch_plotly_bundle",
                                                  ROOT / "scripts" / "fetch_plotly_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tarball(js: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("package/plotly-basic.min.js", js), ("package/LICENSE", b"MIT")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


JS = f"/**\n* plotly.js (basic - minified) v{VERSION}\n*/\nwindow.Plotly = {{}};\n".encode()


def test_a_pinned_tarball_is_installed_with_its_manifest(tmp_path, monkeypatch):
    fetch = _fetch_script()
    tgz = _tarball(JS)
    monkeypatch.setitem(fetch.PINNED, VERSION, hashlib.sha256(tgz).hexdigest())
    path = fetch.install(tgz, VERSION, tmp_path, "test://tarball")
    assert path.read_bytes() == JS and (tmp_path / "LICENSE").read_bytes() == b"MIT"
    meta = json.loads((tmp_path / "plotly-basic.json").read_text())
    assert meta["version"] == VERSION and meta["sha256"] == hashlib.sha256(JS).hexdigest()
    assert fetch.up_to_date(VERSION, tmp_path)
    assert not fetch.up_to_date("9.9.8", tmp_path)
    manifest, bundle = tmp_path / "plotly-basic.json", tmp_path / "plotly-basic.min.js"
    assert plotlyjs.installed_version(manifest, bundle) == VERSION
    monkeypatch.setattr(plotlyjs, "expected_version", lambda: VERSION)
    assert plotlyjs.use_partial_bundle(manifest, bundle)
    monkeypatch.setattr(plotlyjs, "expected_version", lambda: "10.0.0")
    assert not plotlyjs.use_partial_bundle(manifest, bundle)  # plotly moved on: full bundle


def test_a_changed_or_unpinned_tarball_is_refused(tmp_path, monkeypatch):
    fetch = _fetch_script()
    monkeypatch.setitem(fetch.PINNED, VERSION, hashlib.sha256(_tarball(JS)).hexdigest())
    with pytest.raises(fetch.FetchError, match="not the pinned"):
        fetch.install(_tarball(JS + b"evil()"), VERSION, tmp_path, "test://tampered")
    with pytest.raises(fetch.FetchError, match="no pinned SHA-256"):
        fetch.install(_tarball(JS), "0.0.1", tmp_path, "test://unpinned")
    assert not list(tmp_path.iterdir())  # nothing written
    assert plotlyjs.installed_version(tmp_path / "plotly-basic.json",
                                      tmp_path / "plotly-basic.min.js") is None


def test_the_pin_matches_the_installed_plotly():
    """The plotly package in use has a pinned basic bundle (else make fetches nothing)."""
    assert plotlyjs.expected_version() in _fetch_script().PINNED


def _page(app) -> str:
    return app.server.test_client().get("/").get_data(as_text=True)


def test_the_app_leaves_the_bundle_out_unless_it_fits(monkeypatch):
    monkeypatch.setattr(plotlyjs, "use_partial_bundle", lambda: False)
    app = make_app()
    assert app.config.assets_path_ignore == ["vendor"]
    assert "vendor/plotly-basic" not in _page(app)
    monkeypatch.setattr(plotlyjs, "use_partial_bundle", lambda: True)
    assert make_app(partial_plotly=False).config.assets_path_ignore == ["vendor"]
    app = make_app()
    assert app.config.assets_path_ignore == []
    assert ("vendor/plotly-basic.min.js" in _page(app)) == plotlyjs.BUNDLE.is_file()


VIEWS = {"overview": ("/", ""), "grid": ("/", "?kartta=ruudukko"), "peers": ("/", "?vertailu=3"),
         "profile": ("/kunta/KU564", ""), "index": ("/indeksi", ""), "survey": ("/kysely", "")}


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_chart_uses_only_the_basic_bundles_traces(view):
    from dashboards import state

    ctx = make_app(boundaries=make_boundaries()).digi_ctx
    path, search = VIEWS[view]
    route = state.route(path, search)
    graphs = [n for n in walk(fill_deferred(ctx, LAYOUTS[route.view](ctx, "fi", route, search)))
              if type(n).__name__ == "Graph"]
    assert graphs
    for graph in graphs:
        fig = graph.figure
        assert isinstance(fig, dict)
        assert {t["type"] for t in fig["data"]} <= TRACE_TYPES
        # The cut template, plus only the styles this figure's items share.
        template, cut = fig["layout"]["template"], figures.dash_template()
        assert set(template["data"]) == set(cut["data"])
        for kind, items in template["data"].items():
            assert [{k: v for k, v in item.items() if k in cut["data"][kind][0]}
                    for item in items] == cut["data"][kind]
            assert {k for item in items for k in item} <= \
                set(cut["data"][kind][0]) | set(figures._SHAREABLE_TRACE_KEYS)
        assert {k: v for k, v in template["layout"].items() if k != "annotationdefaults"} == \
            {k: v for k, v in cut["layout"].items() if k != "annotationdefaults"}


def test_the_cut_template_keeps_what_cartesian_bar_and_scatter_read():
    import plotly.io as pio

    full = pio.templates[pio.templates.default].to_plotly_json()
    cut = figures.dash_template()
    assert set(cut["data"]) <= TRACE_TYPES
    assert cut["data"]["bar"] == full["data"]["bar"]
    assert cut["data"]["scatter"] == full["data"]["scatter"]
    for key in ("xaxis", "yaxis", "font", "hoverlabel", "colorway", "annotationdefaults",
                "shapedefaults", "plot_bgcolor", "paper_bgcolor"):
        assert cut["layout"][key] == full["layout"][key]
    assert not set(cut["layout"]) & {"geo", "polar", "scene", "ternary", "mapbox"}
    assert len(json.dumps(cut)) < len(json.dumps(full)) / 4
