"""Which plotly.js the browser loads: the basic bundle when installed, else Dash's full one.

Dash loads its full plotly.js only when ``window.Plotly`` is missing as the first graph
mounts (dashboards/plotlyjs.py). With the basic bundle in ``assets/vendor`` the page must
never ask for the full one, and every chart — bars with hatched estimates and whiskers,
the boundary map's filled polygons, trend lines — must still draw, under the CSP, with no
console error; the PNG export must still work. Without the bundle the app falls back to
Dash's full plotly.js.
"""

from __future__ import annotations

import dataclasses
import os

import pytest

from dashboards import plotlyjs
from dashboards.app import create_app
from tests.browser.conftest import csp_violations, open_overview, open_view
from tests.panel_factory import make_boundaries, make_info

FULL = "package_data/plotly.min.js"
BASIC = "/assets/vendor/plotly-basic.min.js"


@pytest.fixture(scope="module")
def full_url(serve_app, panel) -> str:
    return serve_app(create_app(panel, info=make_info(), boundaries=make_boundaries(),
                                partial_plotly=False))


def _record(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url.split("?")[0]))
    return urls


def _check_charts(page) -> None:
    assert page.locator("#map-graph .main-svg").count() >= 1
    assert page.locator("#ranking-graph .bars .point").count() >= 25  # one bar per municipality
    assert page.locator("#map-graph .scatterlayer .trace").count() == 30  # one polygon each
    assert csp_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_basic_bundle_replaces_dashs_full_plotly(new_page, geo_url):
    if not plotlyjs.use_partial_bundle():
        message = ("plotly.js basic bundle not installed: run scripts/fetch_plotly_bundle.py "
                   "(make test does)")
        if os.environ.get("CI"):  # CI installs it, so its absence there is a failure
            pytest.fail(message)
        pytest.skip(message)
    page = new_page()
    urls = _record(page)
    open_overview(page, geo_url)
    page.wait_for_selector("#map-graph .main-svg")
    assert any(u.endswith(BASIC) for u in urls)
    assert not any(FULL in u for u in urls)
    assert page.evaluate("window.Plotly.version") == plotlyjs.expected_version()
    _check_charts(page)
    # Hatched estimates with whiskers, and the PNG export, need nothing beyond the bundle.
    page.select_option("#indicator-select", "share_nonusers_16_89")
    page.wait_for_selector("#ranking-graph .errorbar")
    with page.expect_download() as download:
        page.click("#download-png")
    assert download.value.suggested_filename.endswith(".png")
    open_view(page, geo_url + "/kunta/KU564")  # trend lines and interval whiskers
    assert page.locator(".trend-figure .scatterlayer .trace").count() >= 2
    open_view(page, geo_url + "/indeksi")  # rank ranges: markers with whiskers
    assert page.locator("#rank-graph .errorbar").count() >= 1
    assert not any(FULL in u for u in urls)
    assert csp_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_without_the_bundle_dash_loads_its_full_plotly(new_page, full_url):
    page = new_page()
    urls = _record(page)
    open_overview(page, full_url)
    page.wait_for_selector("#map-graph .main-svg")
    assert any(FULL in u for u in urls)
    assert not any(u.endswith(BASIC) for u in urls)
    _check_charts(page)


_DRAW = """async (fig) => {
    const div = document.createElement("div");
    document.body.appendChild(div);
    await Plotly.newPlot(div, fig.data, fig.layout);
    const png = await Plotly.toImage(div, {format: "png", width: 800, height: fig.layout.height});
    const pick = (o, keys) => Object.fromEntries(keys.map(k => [k, o[k]]));
    const resolved = {
        traces: div._fullData.map(t => pick(t, ["type", "mode", "fill", "fillcolor", "line",
            "hoveron", "hoverinfo", "hovertemplate", "text", "showlegend", "orientation"])),
        annotations: div._fullLayout.annotations.map(a => pick(a, ["xref", "yref", "showarrow",
            "xanchor", "yanchor", "xshift", "yshift", "font", "bgcolor", "text"])),
    };
    div.remove();
    return {png, resolved: JSON.stringify(resolved)};
}"""


def test_shared_styles_in_the_template_draw_the_same_charts(new_page, overview_url, panel):
    """figures.for_dash moves styles every value label or polygon shares into the template;
    plotly.js must resolve every attribute as before and draw exactly the same pixels."""
    from dashboards import charts, figures, indexdata, maps
    from dashboards.views import index as index_view
    from tests.panel_factory import make_app

    ctx = make_app(boundaries=make_boundaries()).digi_ctx
    indicator = "share_nonusers_16_89"
    year = max(ctx.lookup.municipal_years(indicator))
    ranking = figures.ranking_data(ctx.panel, indicator, year, "fi", ctx.catalog,
                                   areas=ctx.areas, lookup=ctx.lookup)
    peers = {"KU564", "KU139"}
    def flipped(a):  # a negative value: its label goes before the bar
        return a._replace(value=-a.value, lower=None if a.upper is None else -a.upper,
                          upper=None if a.lower is None else -a.lower)

    negative = dataclasses.replace(ranking, ranked=[flipped(a) if i % 2 else a
                                                    for i, a in enumerate(ranking.ranked)])
    shapes = maps.outlines(ctx.boundaries)
    index = index_view.result(ctx, index_view.choice_from_query(ctx, {}), "fi")
    ranked = indexdata.ranked(index)
    assert any(not r["robust"] for r in ranked)  # both looks of a range are drawn
    map_data = maps.map_data(ranking, ctx.tiles)
    # Each figure as notebooks get it, and as the dashboard sends it: styles found by
    # comparing the items (a plain dict) or named by the builder (figures.Styled).
    specs = {
        "ranking": (figures.ranking_spec(ranking, group=peers), None),
        "ranking, styled": (figures.ranking_spec(ranking, group=peers),
                            figures.ranking_styled(ranking, group=peers)),
        "ranking with negative values, styled": (figures.ranking_spec(negative),
                                                 figures.ranking_styled(negative)),
        "rank ranges, styled": (charts.rank_range_spec(ranked, "fi"),
                                charts.rank_range_styled(ranked, "fi")),
        "map": (maps.choropleth_spec(map_data, shapes, peers), None),
        "map, styled": (maps.choropleth_spec(map_data, shapes, peers),
                        maps.choropleth_styled(map_data, shapes, peers)[0]),
    }
    page = new_page()
    open_overview(page, overview_url)  # a page of the app: plotly.js loaded under its CSP
    page.wait_for_function("window.Plotly !== undefined")
    for name, (spec, styled) in specs.items():
        as_given = {**spec, "layout": {**spec["layout"], "template": figures.dash_template()}}
        compact = figures.for_dash(spec if styled is None else styled)
        assert len(str(compact)) < 0.8 * len(str(as_given)), name
        bare = {**compact, "layout": {**compact["layout"], "template": figures.dash_template()}}
        given, shared, lost = (page.evaluate(_DRAW, fig) for fig in (as_given, compact, bare))
        assert shared["resolved"] == given["resolved"], name
        assert shared["png"] == given["png"], name
        # The comparison can see a style go missing.
        assert lost["png"] != given["png"] and lost["resolved"] != given["resolved"], name
