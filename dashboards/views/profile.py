"""Municipality profile (``/kunta/KU564``): every statistic against peers, region, county, Finland.

Made to be printed as a brief for a municipal board: the print stylesheet hides the
navigation and controls, keeps the comparison table and the trend charts, and the
print button is there because people look for one. The municipality is in the *path*,
so ``/kunta/KU564`` is a stable address for "Oulu's profile"; ``/kunta?kunta=KU564``
works too.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State
from dash import ctx as cb

from .. import datatable, figures, profiledata, state, surveydata
from ..charts import trend_spec
from ..components import figure, graph, scroll_table, select, table
from ..context import Context
from ..datatable import empty_cell, symbol
from ..figures import AreaValue, format_number, format_value
from ..i18n import LANGS, texts
from ..peers import peer_members
from ..sitetext import site_texts
from ..wire import element
from .common import (
    data_link,
    from_url,
    indicator_info,
    mirror_id,
    survey_cells,
    url_mirror,
    view_of,
)
from .deferred import Deferred

#: Pattern-matching id type of a trend section's body (:func:`trends`).
TREND_BODY = "profile-trend"


def municipality_options(ctx: Context, lang: str) -> list[dict]:
    names = ctx.areas.names(lang)
    return sorted(({"label": names[c], "value": c} for c in ctx.municipalities),
                  key=lambda o: figures.sort_key(o["label"]))


def heading(ctx: Context, lang: str, code: str) -> str:
    t = texts(lang)
    if not code:
        return t["profile_h1_choose"]
    return t["profile_h1"].format(name=ctx.areas.name(code, lang))


# ---- the comparison table ---------------------------------------------------------------
def _value_cell(area: AreaValue | None, info: figures.IndicatorInfo, lang: str) -> Any:
    t = texts(lang)
    if area is None:
        return empty_cell(t["no_value"])
    if area.value is None:
        sym = area.status or ".."
        return symbol(sym, t["status"].get(sym, t["no_value"]))
    text = format_value(area.value, info.decimals, info.unit, lang)
    if area.status != "e":
        return text
    note = t["estimate_words"]
    if area.has_interval:
        note += ", " + t["interval_words"].format(
            lo=format_number(area.lower, info.decimals, lang),
            hi=format_number(area.upper, info.decimals, lang))
    return datatable.with_note(text, note, "cell-note estimate-note")


def _peer_cell(row: profiledata.ProfileRow, lang: str) -> Any:
    t = texts(lang)
    peer = row.peer
    if peer.value is None:
        return empty_cell(t["peer_no_value"])
    method = t["peer_weighted"] if peer.method == "weighted" else t["peer_mean"]
    return datatable.with_note(format_value(peer.value, row.info.decimals, row.info.unit, lang),
                               t["peer_how"].format(method=method, n=peer.n))


def comparison_table(ctx: Context, lang: str, code: str,
                     rows: list[profiledata.ProfileRow]) -> dict[str, Any]:
    """Every statistic of ``code`` against its peer group, the region, the county and
    Finland, one ``<tbody>`` per theme headed by the theme's name."""
    t = texts(lang)
    name = ctx.areas.name(code, lang)
    region = ctx.areas.name(ctx.areas.region_code, lang)
    head = [t["col_indicator"], t["col_year"], name, t["peer_group"], region, t["county"],
            t["country_name"]]
    by_theme: dict[str, list[profiledata.ProfileRow]] = {}
    for row in rows:
        by_theme.setdefault(row.info.theme, []).append(row)
    body, indicators, sections = [], [], []
    for theme, items in by_theme.items():
        sections.append((ctx.catalog.themes.get(theme, {}).get(lang, theme) if theme else None,
                         len(items)))
        for row in items:
            info = row.info
            body.append([info.title, str(row.year), _value_cell(row.own, info, lang),
                         _peer_cell(row, lang), _value_cell(row.region, info, lang),
                         _value_cell(row.county, info, lang),
                         _value_cell(row.country, info, lang)])
            indicators.append(info.id)
    heads = [None] + ["num"] * (len(head) - 1)
    return datatable.table(
        "profile-table", t["profile_table_caption"].format(name=name), head, body,
        head_classes=heads, cell_classes=[None, "num", "num own", "num", "num", "num", "num"],
        class_name="values-table profile-table", row_attributes={"data-indicator": indicators},
        sections=sections)


# ---- trends -----------------------------------------------------------------------------
def _trend_table(tr: profiledata.Trend, name: str, lang: str, id_: str) -> dict[str, Any]:
    t = texts(lang)
    info = tr.info
    head = [t["col_year"], name]
    if not tr.additive:
        head += [t["peer_group"], next((a.name for a in tr.region if a), t["region_name"]),
                 t["country_name"]]

    def fmt(a: AreaValue | None) -> Any:
        if a is None:
            return "–"
        if a.value is None:
            return a.status or ".."
        text = format_number(a.value, info.decimals, lang)
        if a.status == "e" and a.has_interval:
            text += (f" e ({format_number(a.lower, info.decimals, lang)}–"
                     f"{format_number(a.upper, info.decimals, lang)})")
        return text

    rows = []
    for i, year in enumerate(tr.years):
        cells: list[Any] = [str(year), fmt(tr.own[i])]
        if not tr.additive:
            peer = tr.peer[i]
            cells += [format_number(peer, info.decimals, lang) if peer is not None else "–",
                      fmt(tr.region[i]), fmt(tr.country[i])]
        rows.append(cells)
    unit = figures.unit_label(info.unit, lang)
    caption = t["trend_table_caption"].format(title=info.title, unit=unit)
    return table(id_, caption, head, rows, numeric=set(range(1, len(head))))


def trend_indicators(ctx: Context, code: str) -> list[str]:
    """The statistics with a trend in ``code``'s profile, in order (once per municipality)."""
    return ctx.remember(("trend-indicators", code), lambda: profiledata.trend_indicators(
        ctx.panel, code, ctx.catalog, lookup=ctx.lookup))


def trend_body_id(code: str, lang: str, indicator: str, n: int) -> dict[str, Any]:
    """The id of a trend section's body: all its callback needs to render it."""
    return {"type": TREND_BODY, "code": code, "lang": lang, "indicator": indicator, "n": n}


def trends(ctx: Context, lang: str, code: str) -> list[Any]:
    """The trend sections, each a heading and a body that its own callback fills.

    Why deferred: the 18 charts and their tables are nine tenths of a profile (~0.3 MB of
    JSON, ~10 ms to build). Sent with the page, they would hold back the comparison
    table a reader came for. As separate answers, the page arrives first and the charts
    follow a few milliseconds later. Each is rendered once per municipality, indicator
    and language, whether the profile was opened by a link or chosen in the select.
    """
    t = texts(lang)
    out = []
    for i, ind in enumerate(trend_indicators(ctx, code)):
        heading_id = f"trend-{i}-heading"
        out.append(element("Section", [
            element("H3", indicator_info(ctx, ind, lang).title, id=heading_id),
            TRENDS.placeholder(trend_body_id(code, lang, ind, i), lang),
        ], className="trend", **{"aria-labelledby": heading_id}))
    if not out:
        return [element("P", t["trends_none"])]
    return [element("Div", out, className="trend-grid")]


def trend_body(ctx: Context, lang: str, code: str, indicator: str, n: int) -> dict[str, Any]:
    """The chart of one trend with its caption and table (the ``n``-th of the profile)."""
    name = ctx.areas.name(code, lang)
    tr = profiledata.trend(ctx.panel, indicator, code, lang, ctx.catalog, ctx.areas,
                           lookup=ctx.lookup)
    return figure(graph(f"trend-graph-{n}", trend_spec(tr, name, lang), 240),
                  profiledata.trend_caption(tr, name, lang), caption_id=f"trend-{n}-caption",
                  class_name="chart-figure trend-figure", lang=lang,
                  table=_trend_table(tr, name, lang, f"trend-{n}-table"))


def _trend_of(ctx: Context, ident: Any) -> tuple[str, str, str, int] | None:
    """(lang, code, indicator, n) of a :func:`trend_body_id`; None when the id names no
    section of a profile (ids come from the browser: each part is checked)."""
    if not isinstance(ident, dict):
        return None
    code, lang, indicator, n = (ident.get(k) for k in ("code", "lang", "indicator", "n"))
    if code not in ctx.municipalities or lang not in LANGS or not isinstance(n, int) \
            or isinstance(n, bool):
        return None
    inds = trend_indicators(ctx, code)
    if not 0 <= n < len(inds) or inds[n] != indicator:
        return None
    return lang, code, indicator, n


#: The trend sections' bodies: sent after the page (:mod:`dashboards.views.deferred`).
TRENDS = Deferred(TREND_BODY, ("code", "lang", "indicator", "n"), _trend_of, trend_body,
                  key=lambda lang, code, indicator, _n: (lang, code, indicator))


# ---- survey answers -----------------------------------------------------------------------
def survey_section(ctx: Context, lang: str, code: str) -> list[Any]:
    t = texts(lang)
    data = ctx.survey
    if data is None or not data.measures:
        return [element("P", t["survey_none"])]
    region = ctx.areas.region_code
    rows = []
    for m in data.measures:
        cells = survey_cells(ctx, m.indicator)
        own = cells.get(code)
        reg = cells.get(region)
        rows.append([m.title[lang], _survey_value(own, m, lang),
                     str(own.n) if own and own.n is not None else "–",
                     _survey_value(reg, m, lang)])
    out: list[Any] = []
    if data.example:
        out.append(element("P", t["survey_example_note"], className="notice notice--example",
                          id="profile-survey-example"))
    out.append(element("P", t["survey_profile_lead"].format(title=data.title[lang],
                                                             year=data.year)))
    out.append(scroll_table(table(
        "profile-survey-table",
        t["profile_survey_caption"].format(name=ctx.areas.name(code, lang)),
        [t["col_question"], t["col_answer"], t["col_n"],
         ctx.areas.name(region, lang)], rows, numeric={1, 2, 3}),
        "profile-survey-table"))
    return out


def _survey_value(cell: surveydata.SurveyCell | None, m: surveydata.Measure, lang: str) -> Any:
    t = texts(lang)
    if cell is None or (not cell.answered and not cell.suppressed):
        return t["survey_no_answer"]
    if cell.suppressed:
        return symbol("..", t["survey_suppressed_short"])
    return format_value(cell.value, m.decimals, m.unit, lang)


# ---- the page ----------------------------------------------------------------------------
def lead(ctx: Context, lang: str, code: str) -> str:
    t = texts(lang)
    if not code:
        return t["profile_lead_choose"]
    return t["profile_lead"].format(
        name=ctx.areas.name(code, lang), group=ctx.areas.urban_rural(code, lang).lower(),
        n=len(peer_members(ctx.areas, code)))


def content(ctx: Context, lang: str, code: str) -> list[Any]:
    t = texts(lang)
    if not code:
        return [element("P", t["profile_choose_prompt"], className="notice")]
    rows = profiledata.profile_rows(ctx.panel, code, lang, ctx.catalog, ctx.areas,
                                    lookup=ctx.lookup)
    return [
        element("Section", [
            element("H2", t["profile_compare_heading"], id="compare-heading"),
            element("P", t["profile_peer_method"], className="description"),
            scroll_table(comparison_table(ctx, lang, code, rows), "profile-table"),
        ], className="profile-compare", **{"aria-labelledby": "compare-heading"}),
        element("Section", [element("H2", t["trends_heading"], id="trends-heading"),
                            *trends(ctx, lang, code)],
                className="profile-trends", **{"aria-labelledby": "trends-heading"}),
        element("Section", [element("H2", t["profile_survey_heading"], id="survey-heading"),
                            *survey_section(ctx, lang, code)],
                className="profile-survey", **{"aria-labelledby": "survey-heading"}),
        data_link(ctx, lang, f"kunta-{code}"),
    ]


def layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    code = route.arg if route.arg in ctx.municipalities else ""
    return [
        element("H1", heading(ctx, lang, code), id="profile-h1"),
        element("P", lead(ctx, lang, code), className="lead", id="profile-lead"),
        element("Section", [
            element("H2", t["controls_heading"], id="controls-heading",
                    className="visually-hidden"),
            element("Div", [
                select("municipality-select", t["label_municipality"],
                       municipality_options(ctx, lang), code,
                       placeholder=t["choose_municipality"]),
                element("Div", element("Button", t["print_profile"], id="print-button",
                                       type="button", className="button"),
                        className="control control--button"),
            ], className="controls__grid"),
        ], className="controls", **{"aria-labelledby": "controls-heading"}),
        element("Div", content(ctx, lang, code), id="profile-content"),
        url_mirror("profile"),
    ]


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        Output("municipality-select", "value"),
        Output("profile-h1", "children"),
        Output("profile-lead", "children"),
        Output("profile-content", "children"),
        Output("url", "pathname", allow_duplicate=True),
        Output("view-status", "children", allow_duplicate=True),
        Output("page-meta", "data", allow_duplicate=True),
        Input(mirror_id("profile"), "data"),
        Input("municipality-select", "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync(_url, chosen, pathname, search):
        route = view_of(pathname, search, ctx)
        if route.view != "profile":
            raise dash.exceptions.PreventUpdate
        lang = route.lang
        if from_url(cb.triggered_id):
            code = route.arg if route.arg in ctx.municipalities else ""
            if code == (chosen or ""):
                raise dash.exceptions.PreventUpdate
            path_out: Any = dash.no_update
        else:
            code = chosen if chosen in ctx.municipalities else ""
            if not code or code == route.arg:
                raise dash.exceptions.PreventUpdate  # nothing new (or a control mounting)
            path_out = ctx.path(f"{state.PATHS['profile']}/{code}")
        t = texts(lang)
        status = t["status_showing"].format(what=heading(ctx, lang, code))
        # Each municipality's page has its own title (WCAG 2.4.2).
        title = heading(ctx, lang, code) + " – " + site_texts(ctx.areas, lang)["app_title"]
        rendered = ctx.rendered(("profile", lang, code), lambda: content(ctx, lang, code))
        return (code, heading(ctx, lang, code), lead(ctx, lang, code), rendered,
                path_out, status, {"title": title, "lang": lang})

    TRENDS.register(app, ctx)
