"""Every view, rendered on the server in fi/sv/en, checked for structure without a browser.

The browser suite runs axe on the same pages; these checks are the ones axe cannot make
(and they run in a second): one h1, every chart a figure with a caption and a real table,
every control labelled, no dcc.Dropdown, no modebar, banners and footer links everywhere.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboards import shell, state
from dashboards.app import LAYOUTS, page_title
from dashboards.i18n import FEEDBACK_EMAIL, LANGS, texts
from tests.panel_factory import (
    VIEW_URLS,
    fill_deferred,
    make_app,
    make_boundaries,
    text_of,
    walk,
)

VIEWS = VIEW_URLS


@pytest.fixture(scope="module")
def ctx():
    return make_app(demo=True, stale=("THL Sotkanet",)).digi_ctx


def render(ctx, view: str, lang: str, search: str = "", path: str | None = None):
    path = path or VIEWS[view][0]
    search = search or VIEWS[view][1]
    search = state.build_search({**state.parse_search(search), **state.lang_param(lang)})
    route = state.route(path, search)
    main = LAYOUTS[route.view](ctx, lang, route, search)
    return route, fill_deferred(ctx, shell.page(ctx, lang, route.view, path, search, main))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_structure(ctx, view, lang):
    route, page = render(ctx, view, lang)
    nodes = list(walk(page))
    t = texts(lang)
    assert route.view == view
    assert sum(isinstance(n, html.H1) for n in nodes) == 1
    # Banners and the footer's links on every view.
    ids = {str(getattr(n, "id", None)) for n in nodes}
    assert {"demo-banner", "stale-banner", "main-content"} <= ids
    hrefs = [getattr(n, "href", "") or "" for n in nodes if isinstance(n, html.A)]
    assert f"mailto:{FEEDBACK_EMAIL}" in hrefs
    assert any(h.startswith("/saavutettavuusseloste") for h in hrefs)
    # The language switch links to this very view in every language, marked with lang=.
    switch = [n for n in nodes if isinstance(n, html.A) and str(getattr(n, "id", "")).startswith(
        "lang-")]
    assert sorted(n.lang for n in switch) == sorted(LANGS)
    # Navigation marks the current page.
    current = [n for n in nodes if isinstance(n, html.A)
               and n.to_plotly_json()["props"].get("aria-current") == "page"]
    assert len(current) == (1 if view in shell.NAV_VIEWS else 0)
    # No custom dropdowns; every native control labelled.
    assert not [n for n in nodes if isinstance(n, dcc.Dropdown)]
    labels = {n.htmlFor for n in nodes if isinstance(n, html.Label)}
    for n in nodes:
        if isinstance(n, dbc.Select | dbc.Input):
            assert n.id in labels, n.id
    # Charts: a figure with a caption, no modebar, hidden SVG; tables have captions and scopes.
    graphs = [n for n in nodes if isinstance(n, dcc.Graph)]
    for g in graphs:
        assert g.config["displayModeBar"] is False
    figures = [n for n in nodes if isinstance(n, html.Figure)]
    assert len(figures) >= (1 if view in ("overview", "profile", "index", "survey") else 0)
    table_ids = {str(n.id) for n in nodes if isinstance(n, html.Table)}
    for fig in figures:
        inner = list(walk(fig.children))
        captions = [n for n in inner if isinstance(n, html.Figcaption)]
        assert len(captions) == 1 and len(text_of(captions[0]).strip()) > 20
        graphic = [n for n in inner if "chart-figure__graphic" in (getattr(n, "className", "")
                                                                   or "")]
        assert graphic and graphic[0].to_plotly_json()["props"]["aria-hidden"] == "true"
        own_table = [n for n in inner if isinstance(n, html.Table)]
        links = [n.href for n in inner if isinstance(n, html.A) and str(n.href).startswith("#")]
        assert own_table or any(h[1:] in table_ids for h in links), fig
    for tbl in (n for n in nodes if isinstance(n, html.Table)):
        parts = list(walk(tbl.children))
        assert any(isinstance(p, html.Caption) for p in parts)
        assert all(p.scope in ("col", "row", "colgroup") for p in parts if isinstance(p, html.Th))
    assert page_title(ctx, route).endswith(t["app_title"])


def test_profile_shows_estimates_in_words_and_the_peer_method(ctx):
    _, page = render(ctx, "profile", "fi")
    text = text_of(page)
    assert "laskennallinen arvio, väli" in text
    assert "väestöpainotettu keskiarvo, 2 kuntaa" in text
    assert "kuntien keskiarvo, 2 kuntaa" in text  # population: a count
    assert "Esimerkkikysely" in text  # the example survey is marked as one
    _, page_sv = render(ctx, "profile", "sv")
    assert "beräknad uppskattning" in text_of(page_sv)


def test_overview_with_boundaries_draws_the_choropleth_and_credits_them():
    ctx = make_app(boundaries=make_boundaries()).digi_ctx
    _, page = render(ctx, "overview", "fi")
    nodes = list(walk(page))
    assert any(isinstance(n, dcc.Graph) and n.id == "map-graph" for n in nodes)
    assert any(isinstance(n, dbc.Select) and n.id == "map-select" for n in nodes)
    assert "SYNTEETTISET rajat" in text_of(page)
    _, grid = render(ctx, "overview", "fi", "?kartta=ruudukko")
    assert any(getattr(n, "id", None) == "tilegrid" for n in walk(grid))


def test_overview_without_boundaries_uses_the_tile_grid(ctx):
    _, page = render(ctx, "overview", "fi")
    nodes = list(walk(page))
    tiles = [n for n in nodes if "tile " in f"{getattr(n, 'className', '')} "
             and n.className.startswith("tile")]
    assert len(tiles) == 30
    assert not any(isinstance(n, dcc.Graph) and n.id == "map-graph" for n in nodes)
    assert not any(getattr(n, "id", None) == "map-select" for n in nodes)


def test_peer_highlight_marks_tiles_and_adds_the_group_column(ctx):
    _, page = render(ctx, "overview", "fi", "?vertailu=1")
    nodes = list(walk(page))
    marked = [n for n in nodes if "tile--marked" in (getattr(n, "className", "") or "")]
    assert len(marked) == 3
    assert "Kaupunkimaiset kunnat" in text_of(page)
    heads = [text_of(n) for n in nodes if isinstance(n, html.Th) and n.scope == "col"]
    assert "Kuntaryhmä" in heads


def test_not_found_page(ctx):
    route, page = render(ctx, "overview", "en", path="/nowhere")
    assert route.view == "not_found"
    assert "Page not found" in text_of(page)


def test_boundaries_are_read_defensively(monkeypatch):
    """"auto" asks the library for cached boundaries; a failure or a missing function means
    the tile grid, never a broken page."""
    import digiindicators
    from dashboards.views import overview

    monkeypatch.setattr(digiindicators, "boundaries", lambda cache_dir=None: make_boundaries())
    ctx = make_app(boundaries="auto").digi_ctx
    assert overview.has_boundaries(ctx)

    def broken(cache_dir=None):
        raise OSError("damaged layer")

    monkeypatch.setattr(digiindicators, "boundaries", broken)
    assert make_app(boundaries="auto").digi_ctx.boundaries is None
    monkeypatch.delattr(digiindicators, "boundaries")
    assert make_app(boundaries="auto").digi_ctx.boundaries is None
    # A layer that lacks municipalities is not used for the map.
    partial = make_boundaries()
    partial["features"] = partial["features"][:10]
    assert not overview.has_boundaries(make_app(boundaries=partial).digi_ctx)


def _values_table(page) -> tuple[list[str], dict[str, list[str]]]:
    """The overview's values table: column heads and, per area code, the row's cell texts."""
    table = next(n for n in walk(page) if isinstance(n, html.Table) and n.id == "values-table")
    heads = [text_of(n) for n in walk(table) if isinstance(n, html.Th) and n.scope == "col"]
    rows = {
        n.to_plotly_json()["props"]["data-area"]: [text_of(c) for c in n.children]
        for n in walk(table) if isinstance(n, html.Tr) and getattr(n, "className", None)
    }
    return heads, rows


@pytest.mark.parametrize("lang", LANGS)
def test_one_values_table_carries_the_map_classes(ctx, lang):
    from dashboards import maps
    from dashboards.views import overview

    _, page = render(ctx, "overview", lang)
    t = texts(lang)
    heads, rows = _values_table(page)
    assert not any(getattr(n, "id", None) == "map-table" for n in walk(page))
    assert heads[-2] == t["col_class"]
    st = overview.resolve(ctx, {})
    ranking = overview.figures.ranking_data(ctx.panel, st.indicator, st.year, lang, ctx.catalog,
                                            areas=ctx.areas, lookup=ctx.lookup)
    data = maps.map_data(ranking, ctx.tiles)
    for cell in data.cells:  # every municipality's class, as the legend numbers them
        want = (f"{cell.map_class.index}: {cell.map_class.label}" if cell.map_class
                else t["legend_missing"])
        assert rows[cell.code][-2] == want
    assert {rows[c][-2] for c in rows if not c.startswith("KU")} == {""}  # no class: no map
    # The unit every row shares is named once, in the value column's head.
    unit = overview.figures.unit_label(ranking.info.unit, lang)
    assert f"{t['col_value']} ({unit})" in heads and t["col_unit"] not in heads
    # The map figure's caption points at that table.
    caption = next(n for n in walk(page) if getattr(n, "id", None) == "map-caption")
    assert any(isinstance(n, html.A) and n.href == "#values-table" for n in walk(caption))


def _feedback_hrefs(app) -> tuple[list[str], list[str]]:
    ctx = app.digi_ctx
    _, page = render(ctx, "overview", "fi")
    _, statement = render(ctx, "statement", "fi")
    mails = [[n.href for n in walk(p) if isinstance(n, html.A) and n.href.startswith("mailto:")]
             for p in (page, statement)]
    return mails[0], mails[1]


def test_the_feedback_address_is_the_deployers(monkeypatch, caplog):
    monkeypatch.setenv("DIGIINDICATORS_FEEDBACK_EMAIL", "digituki@pohjois-pohjanmaa.fi")
    footer, statement = _feedback_hrefs(make_app())
    assert footer == ["mailto:digituki@pohjois-pohjanmaa.fi"]
    assert statement == footer * 2  # the statement names it, and so does its footer
    # An argument wins over the environment.
    footer, _ = _feedback_hrefs(make_app(feedback_email="palaute@kunta.fi"))
    assert footer == ["mailto:palaute@kunta.fi"]
    # Without either, the placeholder is used and said to be one.
    monkeypatch.delenv("DIGIINDICATORS_FEEDBACK_EMAIL")
    with caplog.at_level("WARNING", logger="dashboards.app"):
        footer, _ = _feedback_hrefs(make_app())
    assert footer == [f"mailto:{FEEDBACK_EMAIL}"]
    assert "placeholder" in caplog.text and "DIGIINDICATORS_FEEDBACK_EMAIL" in caplog.text


@pytest.mark.parametrize("bad", ["not an address", "a@b", "x@y.fi>\"<script", "@kunta.fi"])
def test_a_malformed_feedback_address_is_refused(bad):
    with pytest.raises(ValueError, match="not an e-mail address"):
        make_app(feedback_email=bad)


def test_the_cli_refuses_a_malformed_feedback_address(capsys, monkeypatch, tmp_path):
    from digiindicators.cli import main

    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "cache"))
    assert main(["dashboard", "--feedback-email", "nobody"]) == 2
    assert "not an e-mail address" in capsys.readouterr().err
