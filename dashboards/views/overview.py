"""Overview (``/``): theme, indicator, year; a map; the ranking with reference lines.

State in the URL: ``teema``, ``indikaattori``, ``vuosi``, ``vertailu`` (peer group 1/2/3 to
highlight), ``kartta`` (``rajat`` = boundary choropleth, ``ruudukko`` = tile grid). One
callback keeps the controls, the content and the URL in step in both directions: a
control change writes the URL (a history entry), a URL change (back button) sets the
controls. The controls themselves are never re-rendered, so keyboard focus stays put.
The content of a state is rendered once per language and then sent from the app's render
cache (``ctx.rendered``); the option lists are remembered per language and theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State
from dash import ctx as cb

from digiindicators.areas import URBAN_RURAL_CLASSES

from .. import figures, mapoutlines, maps, state
from ..components import GRAPH_CONFIG, figure, graph, scroll_table, select
from ..context import Context
from ..i18n import LANGS, texts
from ..peers import group_members
from ..sitetext import site_texts
from ..wire import core, element
from .common import (
    data_link,
    from_url,
    indicator_info,
    indicators,
    mirror_id,
    source_line,
    symbol_legend,
    url_mirror,
    values_table,
    view_of,
)
from .deferred import Deferred

ALL = "all"
PEER_GROUPS = ("1", "2", "3")
NO_PEER = "0"  # the select's value for "no highlight" ("" is dbc.Select's placeholder)
MAP_GRID, MAP_BOUNDARIES = "ruudukko", "rajat"
#: The boundary map's class until its outlines are drawn (the browser tests wait for it).
MAP_PENDING = "map-frame map-frame--pending"
CONTROLS = ("theme-select", "indicator-select", "year-select", "peer-select", "map-select")
#: Pattern-matching id type of a state's table, sent after its charts (:func:`content`).
DATA_PART = "overview-data"


@dataclass(frozen=True)
class OverviewState:
    theme: str
    indicator: str | None
    year: int | None
    peer: str
    map: str

    def query(self) -> dict[str, object]:
        return {
            "teema": "" if self.theme == ALL else self.theme,
            "indikaattori": self.indicator or "",
            "vuosi": self.year or "",
            "vertailu": self.peer,
            "kartta": self.map,
        }


def _theme_of(ctx: Context, indicator: str) -> str:
    return indicator_info(ctx, indicator, "fi").theme


def _themes(ctx: Context) -> dict[str, str]:
    """indicator → theme of every indicator on offer (once per app)."""
    return ctx.remember(("overview-themes",),
                        lambda: {i: _theme_of(ctx, i) for i in indicators(ctx)})


def has_boundaries(ctx: Context) -> bool:
    def check() -> bool:
        codes = maps.boundary_codes(ctx.boundaries)
        return bool(codes) and set(ctx.municipalities) <= codes

    return ctx.remember(("has-boundaries",), check)


def outlines(ctx: Context) -> list[maps.Outline]:
    """The boundary polygons as plot coordinates, projected once per app."""
    return ctx.remember(("outlines",), lambda: maps.outlines(ctx.boundaries or {}))


def outline_file(ctx: Context) -> mapoutlines.OutlineFile:
    """The outlines as the one file a browser fetches (see :mod:`dashboards.mapoutlines`)."""
    return ctx.remember(("outline-file",), lambda: mapoutlines.outline_file(outlines(ctx)))


def default_indicator(ctx: Context, indicators: list[str]) -> str | None:
    """The first indicator with a risk direction (a count or background figure such as the
    population is a poor first view), else the first one."""
    for ind in indicators:
        if indicator_info(ctx, ind, "fi").direction != "neutral":
            return ind
    return indicators[0] if indicators else None


def resolve(ctx: Context, query: dict[str, str]) -> OverviewState:
    """A valid state from untrusted parameters; anything unknown falls back to a default."""
    themes = _themes(ctx)
    theme = query.get("teema") or ALL
    if theme != ALL and theme not in set(themes.values()):
        theme = ALL
    indicator = query.get("indikaattori")
    if indicator not in themes:
        indicator = None
    if indicator and theme not in (ALL, themes[indicator]):
        theme = themes[indicator]  # the indicator wins: a link names what to show
    if indicator is None:
        in_theme = [i for i in indicators(ctx) if theme == ALL or themes[i] == theme]
        indicator = default_indicator(ctx, in_theme)
    year = None
    if indicator:
        years = ctx.lookup.municipal_years(indicator)
        try:
            year = int(query.get("vuosi", ""))
        except ValueError:
            year = None
        if year not in years:
            year = years[-1] if years else None
    peer = query.get("vertailu", "")
    peer = peer if peer in PEER_GROUPS else ""
    default_map = MAP_BOUNDARIES if has_boundaries(ctx) else MAP_GRID
    map_kind = query.get("kartta", default_map)
    if map_kind not in (MAP_GRID, MAP_BOUNDARIES) or not has_boundaries(ctx):
        map_kind = default_map
    return OverviewState(theme, indicator, year, peer, map_kind)


# ---- options ----------------------------------------------------------------------------
def theme_options(ctx: Context, lang: str) -> list[dict]:
    def build() -> list[dict]:
        t = texts(lang)
        seen: list[str] = []
        for ind in indicators(ctx):
            th = _theme_of(ctx, ind)
            if th and th not in seen:
                seen.append(th)
        opts = [{"label": t["all_themes"], "value": ALL}]
        return opts + [{"label": ctx.catalog.themes[th][lang], "value": th}
                       for th in seen if th in ctx.catalog.themes]

    return ctx.remember(("theme-options", lang), build)


def indicator_options(ctx: Context, lang: str, theme: str) -> list[dict]:
    def build() -> list[dict]:
        out = []
        for ind in indicators(ctx):
            info = indicator_info(ctx, ind, lang)
            if theme == ALL or info.theme == theme:
                out.append({"label": info.title, "value": ind})
        return out

    if theme != ALL and theme not in set(_themes(ctx).values()):
        return build()  # not a theme on offer: answer, but do not remember
    return ctx.remember(("indicator-options", lang, theme), build)


def year_options(ctx: Context, indicator: str | None) -> list[dict]:
    if not indicator:
        return []
    return [{"label": str(y), "value": str(y)}
            for y in reversed(ctx.lookup.municipal_years(indicator))]


def peer_options(lang: str) -> list[dict]:
    t = texts(lang)
    return [{"label": t["peer_none"], "value": NO_PEER}] + [
        {"label": URBAN_RURAL_CLASSES[g][lang], "value": g} for g in PEER_GROUPS
    ]


def map_options(lang: str) -> list[dict]:
    t = texts(lang)
    return [{"label": t["map_boundaries"], "value": MAP_BOUNDARIES},
            {"label": t["map_grid"], "value": MAP_GRID}]


# ---- content ------------------------------------------------------------------------------
def _tile_grid(data: maps.MapData, marked: set[str]) -> dict[str, Any]:
    tiles = []
    for cell in data.cells:
        cls = cell.map_class
        classes = ["tile"]
        style: dict[str, Any] = {"gridRow": cell.row + 1, "gridColumn": cell.col + 1}
        if cls is None:
            classes.append("tile--missing")
        else:
            style.update(backgroundColor=cls.fill, color=cls.text)
        if cell.code in marked:
            classes.append("tile--marked")
        tiles.append(element(
            "Div",
            [element("Span", cell.name, className="tile__name"),
             element("Span", cell.abbr, className="tile__abbr"),
             element("Span", cell.value_text, className="tile__value")],
            className=" ".join(classes), style=style, **{"data-area": cell.code},
        ))
    return element("Div", tiles, className="tilegrid", id="tilegrid",
                   style={"gridTemplateColumns": f"repeat({data.cols}, minmax(0, 1fr))"})


def _map_legend(data: maps.MapData, lang: str, with_missing: bool) -> dict[str, Any]:
    t = texts(lang)
    items = [element("Li", [element("Span", className="swatch", style={"backgroundColor": c.fill}),
                            element("Span", c.legend)]) for c in data.classes]
    if with_missing:
        items.append(element("Li", [element("Span", className="swatch swatch--missing"),
                                    element("Span", t["legend_missing"])]))
    return element("Div", [element("P", t["map_legend_heading"], className="map-legend__title"),
                           element("Ul", items, className="map-legend__list")],
                   className="map-legend")


def map_classes(data: maps.MapData, lang: str) -> dict[str, str]:
    """Area code → its map class as the values table shows it ("2: 6,1–8,4 %")."""
    missing = texts(lang)["legend_missing"]
    return {cell.code: (cell.map_class.legend if cell.map_class
                        else missing) for cell in data.cells}


def _map_section(ctx: Context, lang: str, st: OverviewState, ranking: figures.Ranking,
                 data: maps.MapData, marked: set[str]) -> dict[str, Any]:
    t = texts(lang)
    info = ranking.info
    note = t["map_grid_note"]
    if ctx.boundaries and (st.map == MAP_BOUNDARIES or not ctx.tiles):
        styled, codes = maps.choropleth_styled(data, outlines(ctx), marked, coordinates=False)
        file = outline_file(ctx)
        packed = mapoutlines.packed(figures.for_dash(styled), codes,
                                    ctx.path(mapoutlines.ROUTE + file.name))
        # The graph starts as an empty frame; digi.map (assets/app.js) draws the map into
        # it from the packed figure and the outlines, which the browser fetches once.
        graphic: Any = element("Div", [
            core("Graph", id="map-graph", figure=mapoutlines.blank(packed), config=GRAPH_CONFIG,
                 responsive=True, style={"height": "560px"}),
            core("Store", id="map-packed", data=packed),
            element("P", t["map_failed"], id="map-failed", className="notice", hidden=True),
        ], id="map-frame", className=MAP_PENDING)
        note = t["map_boundaries_note"]
        attribution = str(ctx.boundaries.get("attribution") or t["boundaries_attribution"])
    elif ctx.tiles:
        graphic = _tile_grid(data, marked)
        attribution = ""
    else:  # another region, no boundaries cached: the table below still has every class
        graphic = element("P", t["map_unavailable"], className="notice", id="map-unavailable")
        note, attribution = "", ""
    caption = [figures.caption_text(ranking), " ", note]
    if marked:
        caption += [" ", t["peer_note"].format(group=URBAN_RURAL_CLASSES[st.peer][lang])]
    children = [
        element("H3", t["map_heading"].format(title=info.title, year=ranking.year),
                id="map-heading"),
        figure([graphic, _map_legend(data, lang, any(c.map_class is None for c in data.cells))],
               caption, caption_id="map-caption", class_name="chart-figure map-figure",
               table_href="#values-table", lang=lang),
    ]
    if attribution:
        children.append(element("P", attribution, className="source-line", id="map-attribution"))
    return element("Section", children, className="map-section",
                   **{"aria-labelledby": "map-heading"})


def _ranking(ctx: Context, lang: str, indicator: str, year: int) -> figures.Ranking:
    """The ranking of a state, kept for its second part (:func:`data_part`)."""
    return ctx.results.get(("ranking", indicator, year, lang), lambda: figures.ranking_data(
        ctx.panel, indicator, year, lang, ctx.catalog, areas=ctx.areas,
        info=indicator_info(ctx, indicator, lang), lookup=ctx.lookup))


def _map_data(ctx: Context, ranking: figures.Ranking) -> maps.MapData:
    """The map's classes and cells of a ranking, kept with it: the map draws them and the
    table of the second part names each municipality's class."""
    return ctx.results.get(("map-data", ranking.info.id, ranking.year, ranking.lang),
                           lambda: maps.map_data(ranking, ctx.tiles))


def content(ctx: Context, lang: str, st: OverviewState) -> list[Any]:
    """The map and the ranking; the table of their numbers follows (:func:`data_part`).

    Why in two parts: for the whole country the table is 308 rows, a third of the answer.
    Sent apart, the charts arrive first and the table a moment later, each rendered once.
    """
    t = texts(lang)
    if not st.indicator or st.year is None:
        return [element("P", t["no_data"], className="notice")]
    ranking = _ranking(ctx, lang, st.indicator, st.year)
    marked = set(group_members(ctx.areas, st.peer)) if st.peer else set()
    fig = figures.ranking_styled(ranking, group=marked)
    info = ranking.info
    description = " ".join(p for p in (info.description, t["direction"].get(info.direction, ""))
                           if p)
    caption: list[Any] = [figures.caption_text(ranking)]
    if marked:
        caption += [" ", t["peer_note"].format(group=URBAN_RURAL_CLASSES[st.peer][lang])]
    n_bars = len(ranking.ranked) or len(ranking.missing)
    map_data = _map_data(ctx, ranking)
    return [
        element("H2", t["chart_heading"].format(title=info.title, year=st.year),
                id="chart-heading"),
        element("P", description, id="indicator-description", className="description"),
        element("Div", [
            _map_section(ctx, lang, st, ranking, map_data, marked),
            element("Section", [
                element("H3", t["ranking_heading"], id="ranking-heading"),
                figure(graph("ranking-graph", fig, figures.ranking_height(n_bars)),
                       caption, caption_id="ranking-caption", class_name="chart-figure ranking",
                       table_href="#values-table", lang=lang),
                element("Div", element("Button", t["download_png"], id="download-png",
                                       type="button", className="button"),
                        className="chart__actions"),
            ], className="ranking-section", **{"aria-labelledby": "ranking-heading"}),
        ], className="overview-grid"),
        element("P", source_line(ctx, ranking, lang), id="source-line", className="source-line"),
        element("Section", [
            element("H2", t["table_heading"], id="table-heading"),
            DATA.placeholder(data_id(st, lang), lang),
        ], className="data", **{"aria-labelledby": "table-heading"}),
    ]


def data_id(st: OverviewState, lang: str) -> dict[str, Any]:
    """The id of a state's second part: what its table depends on."""
    return {"type": DATA_PART, "lang": lang, "indicator": st.indicator or "",
            "year": st.year if st.year is not None else "", "peer": st.peer}


def _state_of(ctx: Context, ident: Any) -> tuple[str, OverviewState] | None:
    """(language, state) of a :func:`data_id`; None for an id no page could have sent."""
    if not isinstance(ident, dict) or ident.get("lang") not in LANGS:
        return None
    indicator, year, peer = ident.get("indicator"), ident.get("year"), ident.get("peer")
    if not isinstance(indicator, str) or not isinstance(peer, str) \
            or not isinstance(year, int) or isinstance(year, bool):
        return None
    st = resolve(ctx, {"indikaattori": indicator, "vuosi": str(year), "vertailu": peer})
    if data_id(st, ident["lang"]) != ident:
        return None  # not what a page would have sent
    return ident["lang"], st


def data_part(ctx: Context, lang: str, st: OverviewState) -> list[Any]:
    """Every number of the map and the ranking as a table, the symbols, the download link."""
    assert st.indicator is not None and st.year is not None  # _state_of checked
    ranking = _ranking(ctx, lang, st.indicator, st.year)
    group_names = (ctx.remember(("urban-rural", lang), lambda: {
        c: ctx.areas.urban_rural(c, lang) for c in ctx.municipalities}) if st.peer else None)
    map_data = _map_data(ctx, ranking)
    return [
        scroll_table(values_table(ranking, lang, group=group_names,
                                  classes=map_classes(map_data, lang)), "values-table"),
        symbol_legend(lang),
        data_link(ctx, lang, st.indicator),
    ]


#: The table of a state's numbers: sent after its charts (:mod:`dashboards.views.deferred`).
DATA = Deferred(DATA_PART, ("lang", "indicator", "year", "peer"), _state_of, data_part,
                key=lambda lang, st: (lang, st.indicator, st.year, st.peer))


def status_text(ctx: Context, lang: str, st: OverviewState) -> str:
    t = texts(lang)
    if not st.indicator:
        return t["no_data"]
    info = indicator_info(ctx, st.indicator, lang)
    return t["status_showing"].format(what=t["chart_heading"].format(title=info.title,
                                                                      year=st.year))


def layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    st = resolve(ctx, state.parse_search(search))
    site = site_texts(ctx.areas, lang)
    intro = [element("H1", site["h1"]), element("P", site["lead"], className="lead")]
    if st.indicator is None:
        return [*intro, element("P", t["no_indicators"], className="notice")]
    controls = [
        select("theme-select", t["label_theme"], theme_options(ctx, lang), st.theme),
        select("indicator-select", t["label_indicator"],
               indicator_options(ctx, lang, st.theme), st.indicator),
        select("year-select", t["label_year"], year_options(ctx, st.indicator), str(st.year)),
        select("peer-select", t["label_peer"], peer_options(lang), st.peer or NO_PEER),
    ]
    if has_boundaries(ctx):
        controls.append(select("map-select", t["label_map"], map_options(lang), st.map))
    return [
        *intro,
        element("Section", [
            element("H2", t["controls_heading"], id="controls-heading",
                    className="visually-hidden"),
            element("Div", controls, className="controls__grid"),
        ], className="controls", **{"aria-labelledby": "controls-heading"}),
        element("Div", content(ctx, lang, st), id="overview-content"),
        url_mirror("overview"),
    ]


def register(app: dash.Dash, ctx: Context) -> None:
    with_map_choice = has_boundaries(ctx)  # fixed for the app's lifetime
    outputs = [
        Output("theme-select", "value"),
        Output("indicator-select", "options"),
        Output("indicator-select", "value"),
        Output("year-select", "options"),
        Output("year-select", "value"),
        Output("peer-select", "value"),
        Output("overview-content", "children"),
        Output("url", "search", allow_duplicate=True),
        Output("view-status", "children", allow_duplicate=True),
    ]
    inputs = [
        Input(mirror_id("overview"), "data"),
        Input("theme-select", "value"),
        Input("indicator-select", "value"),
        Input("year-select", "value"),
        Input("peer-select", "value"),
    ]
    if with_map_choice:
        outputs.append(Output("map-select", "value"))
        inputs.append(Input("map-select", "value"))

    @app.callback(*outputs, *inputs, State("url", "pathname"), State("url", "search"),
                  prevent_initial_call=True)
    def sync(_url, theme, indicator, year, peer, *rest):
        map_value = rest[0] if with_map_choice else MAP_GRID
        pathname, search = rest[-2], rest[-1]
        route = view_of(pathname, search, ctx)
        if route.view != "overview":
            raise dash.exceptions.PreventUpdate
        lang = route.lang
        trigger = cb.triggered_id
        shown = {"teema": theme or ALL, "indikaattori": indicator or "", "vuosi": year or "",
                 "vertailu": peer or "", "kartta": map_value or ""}
        in_url = resolve(ctx, state.parse_search(search))
        if from_url(trigger):
            st = in_url
            if st == resolve(ctx, shown):
                raise dash.exceptions.PreventUpdate  # the URL already says what is shown
        else:
            if trigger == "theme-select" and theme not in (ALL, None) and indicator and \
                    _theme_of(ctx, indicator) != theme:
                shown["indikaattori"] = ""  # the first indicator of the new theme
            st = resolve(ctx, shown)
            if st == in_url:
                # Nothing changed (a control reporting its value as it mounts): the page
                # already shows this state.
                raise dash.exceptions.PreventUpdate
        new_search = state.build_search({**state.lang_param(lang, ctx.default_lang),
                                         **st.query()})
        url_out = new_search if not from_url(trigger) and new_search != (search or "") \
            else dash.no_update
        out = [
            st.theme,
            indicator_options(ctx, lang, st.theme),
            st.indicator,
            year_options(ctx, st.indicator),
            str(st.year) if st.year is not None else None,
            st.peer or NO_PEER,
            ctx.rendered(("overview", lang, st), lambda: content(ctx, lang, st)),
            url_out,
            status_text(ctx, lang, st),
        ]
        if with_map_choice:
            out.append(st.map)
        return tuple(out)

    DATA.register(app, ctx)
    if ctx.boundaries:  # _map_section draws the boundary map whenever there are some
        mapoutlines.serve(app.server, app.config.routes_pathname_prefix, outline_file(ctx))
        app.clientside_callback(
            ClientsideFunction("digi", "map"),
            Output("map-graph", "figure"),
            Output("map-frame", "className"),
            Output("map-failed", "hidden"),
            Input("map-packed", "data"),
        )
