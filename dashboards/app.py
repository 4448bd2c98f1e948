"""The Dash app: an accessible Finnish overview page, served by a production WSGI server.

``create_app`` gets the panel as an argument, so the app never opens a connection and
never reads data files; whoever starts it (the CLI, a test) decides where the data come
from. Native ``<select>`` controls (``dbc.Select``) are used instead of ``dcc.Dropdown``,
which fails axe's ``aria-hidden-focus`` rule; the page language is set through
``index_string`` because Dash has no ``lang`` option.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from digiindicators.areas import AreaTable
from digiindicators.areas import areas as default_areas
from digiindicators.catalog import Catalog, load_catalog

from . import figures
from .i18n import (
    FEEDBACK_EMAIL,
    LICENCE_URL,
    MAKE_COMMAND,
    REFRESH_COMMAND,
    SUPERVISOR_URL,
    fill,
    format_date,
    texts,
)

PANEL_COLUMNS = (
    "indicator", "area_code", "area_level", "area_name", "year", "value", "status", "unit",
    "source", "lower", "upper",
)
STATEMENT_PATH = "/saavutettavuusseloste"
ASSETS = Path(__file__).parent / "assets"
ALL_THEMES = "all"
GRAPH_CONFIG = {
    # No modebar: it adds up to 11 tab stops per chart, including a "share" button that
    # would send data to a third party. The PNG download is our own button instead.
    "displayModeBar": False,
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "doubleClick": False,
    "showTips": False,
}

_INDEX = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        <noscript><p>{noscript}</p></noscript>
        {{%app_entry%}}
        {{%config%}}
        {{%scripts%}}
        {{%renderer%}}
    </body>
</html>
"""


@dataclass(frozen=True)
class DataInfo:
    """What the page must tell readers about the data it was given."""

    demo: bool  # True when the numbers are the embedded example data, not real statistics
    refreshed_at: str | None  # ISO timestamp of the last successful refresh
    cache_dir: str  # shown in the "how to refresh" hint
    stale: tuple[str, ...] = ()  # names of sources whose data is stale


def index_string(lang: str) -> str:
    """Dash's page template with ``<html lang>`` and a noscript note (Dash cannot set lang)."""
    return _INDEX.format(lang=lang, noscript=texts(lang)["noscript"])


# ---- the page parts -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    panel: pd.DataFrame
    catalog: Catalog
    areas: AreaTable
    info: DataInfo
    lang: str
    app: dash.Dash

    @property
    def t(self) -> dict[str, Any]:
        return texts(self.lang)


def _banners(ctx: _Context) -> list[Any]:
    t = ctx.t
    out: list[Any] = []
    if ctx.info.demo:
        out.append(
            html.Div(
                className="banner banner--demo",
                id="demo-banner",
                children=html.Div(className="container", children=[
                    html.P(html.Strong(t["demo_title"]), className="banner__title"),
                    html.P(
                        fill(
                            t["demo_body"],
                            refresh=html.Code(REFRESH_COMMAND),
                            make=html.Code(MAKE_COMMAND),
                            cache=html.Code(ctx.info.cache_dir),
                        )
                    ),
                ]),
            )
        )
    if ctx.info.stale:
        out.append(
            html.Div(
                className="banner banner--stale",
                id="stale-banner",
                children=html.Div(className="container", children=[
                    html.P(html.Strong(t["stale_title"]), className="banner__title"),
                    html.P(
                        fill(
                            t["stale_body"],
                            sources=", ".join(ctx.info.stale),
                            refresh=html.Code(REFRESH_COMMAND),
                        )
                    ),
                ]),
            )
        )
    return out


def _header(ctx: _Context) -> html.Header:
    t = ctx.t
    return html.Header(
        className="site-header",
        children=[
            *_banners(ctx),
            html.Div(
                className="site-header__bar",
                children=html.Div(
                    className="container",
                    children=html.A(
                        [
                            html.Span(t["service_name"], className="site-header__name"),
                            html.Span(t["region_name"], className="site-header__region"),
                        ],
                        href=ctx.app.get_relative_path("/"),
                        className="site-header__home",
                    ),
                ),
            ),
        ],
    )


def _footer(ctx: _Context) -> html.Footer:
    t = ctx.t
    return html.Footer(
        className="site-footer",
        children=html.Div(
            className="container",
            children=[
                html.Nav(
                    html.Ul(
                        [
                            html.Li(
                                html.A(
                                    t["statement_link"],
                                    href=ctx.app.get_relative_path(STATEMENT_PATH),
                                )
                            ),
                            html.Li(html.A(t["feedback_link"], href=f"mailto:{FEEDBACK_EMAIL}")),
                        ],
                        className="site-footer__links",
                    ),
                    **{"aria-label": t["footer_nav"]},
                ),
                html.P(t["footer_licence"], className="site-footer__licence"),
            ],
        ),
    )


def _select(ctx: _Context, id_: str, label: str, options: list[dict], value: str) -> html.Div:
    return html.Div(
        className="control",
        children=[
            html.Label(label, htmlFor=id_, className="control__label"),
            html.Div(
                dbc.Select(id=id_, options=options, value=value, class_name="control__select"),
                className="control__field",
            ),
        ],
    )


def _theme_options(ctx: _Context, indicators: list[str]) -> list[dict]:
    themes: list[str] = []
    for ind in indicators:
        theme = figures.indicator_info(ind, ctx.lang, ctx.catalog, ctx.panel).theme
        if theme and theme not in themes:
            themes.append(theme)
    opts = [{"label": ctx.t["all_themes"], "value": ALL_THEMES}]
    return opts + [{"label": ctx.catalog.themes[th][ctx.lang], "value": th} for th in themes]


def _indicator_options(ctx: _Context, theme: str | None) -> list[dict]:
    out = []
    for ind in figures.available_indicators(ctx.panel, ctx.catalog):
        info = figures.indicator_info(ind, ctx.lang, ctx.catalog, ctx.panel)
        if theme in (None, "", ALL_THEMES) or info.theme == theme:
            out.append({"label": info.title, "value": ind})
    return out


def _year_options(ctx: _Context, indicator: str | None) -> list[dict]:
    if not indicator:
        return []
    years = figures.available_years(ctx.panel, indicator)
    return [{"label": str(y), "value": str(y)} for y in reversed(years)]


def _status_cell(symbol: str, explanation: str) -> list[Any]:
    if not symbol:
        return []
    return [
        html.Span(symbol, **{"aria-hidden": "true"}),
        html.Span(f" ({explanation})", className="visually-hidden"),
    ]


def _values_table(ctx: _Context, ranking: figures.Ranking) -> html.Table:
    t = ctx.t
    rows = figures.table_rows(ranking)
    with_interval = any(r.interval_text for r in rows)
    head = [t["col_area"], t["col_value"], t["col_unit"], t["col_status"]]
    if with_interval:
        head.append(t["col_interval"])
    head.append(t["col_source"])
    numeric = {t["col_value"], t["col_interval"]}
    body = []
    previous_level = "kunta"
    for row in rows:
        if row.value is None:
            value_cell: Any = [
                html.Span(row.value_text, **{"aria-hidden": "true"}),
                html.Span(t["no_value"], className="visually-hidden"),
            ]
        else:
            value_cell = row.value_text
        cells = [
            html.Th(row.area_name, scope="row"),
            html.Td(value_cell, className="num"),
            html.Td(row.unit),
            html.Td(_status_cell(row.status, row.status_text), className="status"),
        ]
        if with_interval:
            cells.append(html.Td(row.interval_text, className="num"))
        cells.append(html.Td(row.source, className="source"))
        classes = [f"row--{row.area_level}"]
        if row.area_level != "kunta" and previous_level == "kunta":
            classes.append("row--first-aggregate")
        previous_level = row.area_level
        body.append(html.Tr(cells, className=" ".join(classes), **{"data-area": row.area_code}))
    caption = t["table_caption"].format(title=ranking.info.title, year=ranking.year)
    return html.Table(
        id="values-table",
        className="values-table",
        children=[
            html.Caption(html.Span(caption, className="caption-text"), id="values-caption"),
            html.Thead(
                html.Tr(
                    [html.Th(h, scope="col", className="num" if h in numeric else None)
                     for h in head]
                )
            ),
            html.Tbody(body),
        ],
    )


def _source_line(ctx: _Context, ranking: figures.Ranking) -> list[Any]:
    t = ctx.t
    src = figures.shown_sources(ranking)
    parts: list[Any] = []
    if src.sources:
        key = "source_one" if len(src.sources) == 1 else "source_many"
        parts.append(t[key].format(sources="; ".join(src.sources)) + " ")
    if src.computed:
        parts.append(t["computed"].format(names=", ".join(src.computed)) + " ")
    parts += fill(
        t["licence"],
        licence=html.A("CC BY 4.0", href=LICENCE_URL[ctx.lang], rel="license"),
    )
    date = format_date(ctx.info.refreshed_at, ctx.lang) or t["refreshed_unknown"]
    parts.append(" " + t["refreshed"].format(date=date))
    return parts


def _view(ctx: _Context, indicator: str | None, year: str | int | None) -> dict[str, Any]:
    """Everything that changes with the chosen indicator and year."""
    t = ctx.t
    try:
        year_int = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year_int = None
    if not indicator or year_int is None:
        empty = html.P(t["no_data"])
        return {"heading": t["no_data"], "description": "", "figure": {}, "caption": "",
                "table": empty, "source": ""}
    ranking = figures.ranking_data(
        ctx.panel, indicator, year_int, ctx.lang, ctx.catalog, areas=ctx.areas
    )
    fig = figures.ranking_figure(
        ctx.panel, indicator, year_int, ctx.lang, ctx.catalog, areas=ctx.areas
    )
    info = ranking.info
    description = " ".join(p for p in (info.description, t["direction"].get(info.direction, ""))
                           if p)
    return {
        "heading": t["chart_heading"].format(title=info.title, year=year_int),
        "description": description,
        "figure": fig,
        "caption": [
            figures.caption_text(ranking) + " ",
            html.A(t["see_table"], href="#values-table"),
        ],
        "table": _values_table(ctx, ranking),
        "source": _source_line(ctx, ranking),
    }


def _overview(ctx: _Context) -> list[Any]:
    t = ctx.t
    indicators = figures.available_indicators(ctx.panel, ctx.catalog)
    intro = [html.H1(t["h1"]), html.P(t["lead"], className="lead")]
    if not indicators:
        return [*intro, html.P(t["no_indicators"], className="notice")]
    indicator = indicators[0]
    years = figures.available_years(ctx.panel, indicator)
    year = str(years[-1])
    view = _view(ctx, indicator, year)
    n_bars = len(ctx.areas.municipalities())
    return [
        *intro,
        html.Section(
            className="controls",
            **{"aria-labelledby": "controls-heading"},
            children=[
                html.H2(t["controls_heading"], id="controls-heading", className="visually-hidden"),
                html.Div(
                    className="controls__grid",
                    children=[
                        _select(ctx, "theme-select", t["label_theme"],
                                _theme_options(ctx, indicators), ALL_THEMES),
                        _select(ctx, "indicator-select", t["label_indicator"],
                                _indicator_options(ctx, ALL_THEMES), indicator),
                        _select(ctx, "year-select", t["label_year"],
                                _year_options(ctx, indicator), year),
                    ],
                ),
            ],
        ),
        html.Section(
            className="chart",
            **{"aria-labelledby": "chart-heading"},
            children=[
                html.H2(view["heading"], id="chart-heading"),
                html.P(view["description"], id="indicator-description", className="description"),
                html.Figure(
                    className="ranking",
                    children=[
                        # The SVG has no accessible structure (plotly.js#6920); readers of
                        # assistive technology get the caption and the table instead.
                        html.Div(
                            dcc.Graph(
                                id="ranking-graph",
                                figure=view["figure"],
                                config=GRAPH_CONFIG,
                                responsive=True,
                                style={"height": f"{figures.ranking_height(n_bars)}px"},
                            ),
                            className="ranking__graph",
                            **{"aria-hidden": "true"},
                        ),
                        html.Figcaption(view["caption"], id="ranking-caption"),
                    ],
                ),
                html.Div(
                    className="chart__actions",
                    children=html.Button(
                        t["download_png"], id="download-png", type="button", className="button"
                    ),
                ),
                html.P(
                    view["source"],
                    id="source-line",
                    className="source-line",
                    **{"aria-live": "polite"},
                ),
            ],
        ),
        html.Section(
            className="data",
            **{"aria-labelledby": "table-heading"},
            children=[
                html.H2(t["table_heading"], id="table-heading"),
                html.Div(
                    view["table"],
                    id="values-table-container",
                    className="table-scroll",
                    role="region",
                    tabIndex="0",
                    **{"aria-labelledby": "values-caption"},
                ),
                html.Div(
                    className="legend",
                    children=[
                        html.H3(t["legend_heading"], id="legend-heading"),
                        html.Dl(
                            [
                                item
                                for symbol in figures.STATUS_SYMBOLS
                                for item in (
                                    html.Dt(symbol),
                                    html.Dd(t["status"][symbol]),
                                )
                            ]
                        ),
                    ],
                ),
            ],
        ),
    ]


def _statement(ctx: _Context) -> list[Any]:
    t = ctx.t
    parts = {
        "email": html.A(FEEDBACK_EMAIL, href=f"mailto:{FEEDBACK_EMAIL}"),
        "supervisor": html.A("saavutettavuusvaatimukset.fi", href=SUPERVISOR_URL),
    }
    body: list[Any] = [html.H1(t["statement_title"])]
    for kind, content in t["statement"]:
        if kind == "h2":
            body.append(html.H2(content))
        elif kind == "ul":
            body.append(html.Ul([html.Li(item) for item in content]))
        else:
            body.append(html.P(fill(content, **parts)))
    body.append(html.P(html.A(t["back_home"], href=ctx.app.get_relative_path("/"))))
    return [html.Div(body, className="prose")]


def _not_found(ctx: _Context) -> list[Any]:
    t = ctx.t
    return [
        html.H1(t["not_found_title"]),
        html.P(t["not_found_body"]),
        html.P(html.A(t["back_home"], href=ctx.app.get_relative_path("/"))),
    ]


# ---- the app ---------------------------------------------------------------------------------
def _check_panel(panel: pd.DataFrame) -> None:
    if not isinstance(panel, pd.DataFrame):
        raise TypeError(f"panel must be a pandas DataFrame, got {type(panel).__name__}.")
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise ValueError(
            f"The panel lacks columns {', '.join(missing)}; build it with digiindicators.load()."
        )


def create_app(
    panel: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    areas: AreaTable | None = None,
    info: DataInfo,
    lang: str = "fi",
) -> dash.Dash:
    """The dashboard for ``panel``; serve ``app.server`` with any WSGI server (:func:`serve`)."""
    t = texts(lang)  # raises on an unknown language
    _check_panel(panel)
    app = dash.Dash(
        __name__,
        title=t["app_title"],
        update_title=None,  # no "Updating..." flicker in the tab title for screen readers
        serve_locally=True,
        assets_folder=str(ASSETS),
        index_string=index_string(lang),
        suppress_callback_exceptions=True,  # page content is rendered per route
        meta_tags=[{"name": "description", "content": t["lead"]}],
    )
    ctx = _Context(
        panel=panel.copy(),
        catalog=catalog or load_catalog(),
        areas=areas or default_areas(),
        info=info,
        lang=lang,
        app=app,
    )
    app.layout = html.Div(
        className="page",
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="title-sink"),
            html.A(t["skip_link"], href="#main-content", className="skip-link"),
            _header(ctx),
            html.Main(id="main-content", tabIndex="-1", className="container main"),
            _footer(ctx),
        ],
    )
    _register_callbacks(app, ctx)
    return app


def _register_callbacks(app: dash.Dash, ctx: _Context) -> None:
    t = ctx.t

    @app.callback(Output("main-content", "children"), Input("url", "pathname"))
    def route(pathname: str | None) -> list[Any]:
        path = "/" + (app.strip_relative_path(pathname or "/") or "")
        if path == "/":
            return _overview(ctx)
        if path.rstrip("/") == STATEMENT_PATH:
            return _statement(ctx)
        return _not_found(ctx)

    titles = {
        "home_path": app.get_relative_path("/"),
        "statement_path": app.get_relative_path(STATEMENT_PATH),
        "home": t["app_title"],
        "statement": f"{t['statement_title']} – {t['app_title']}",
        "not_found": f"{t['not_found_title']} – {t['app_title']}",
    }
    # Dash's title is fixed; each route needs its own (WCAG 2.4.2), so set it in the browser.
    app.clientside_callback(
        f"""
        function(pathname) {{
            var t = {json.dumps(titles)};
            var norm = function(p) {{ return (p || "/").replace(/\\/+$/, ""); }};
            var p = norm(pathname);
            var title = t.not_found;
            if (p === norm(t.home_path)) {{ title = t.home; }}
            else if (p === norm(t.statement_path)) {{ title = t.statement; }}
            document.title = title;
            return window.dash_clientside.no_update;
        }}
        """,
        Output("title-sink", "data"),
        Input("url", "pathname"),
    )

    @app.callback(
        Output("indicator-select", "options"),
        Output("indicator-select", "value"),
        Input("theme-select", "value"),
        State("indicator-select", "value"),
        prevent_initial_call=True,
    )
    def on_theme(theme: str | None, current: str | None) -> tuple[list[dict], str | None]:
        options = _indicator_options(ctx, theme)
        values = [o["value"] for o in options]
        return options, current if current in values else (values[0] if values else None)

    @app.callback(
        Output("year-select", "options"),
        Output("year-select", "value"),
        Input("indicator-select", "value"),
        State("year-select", "value"),
        prevent_initial_call=True,
    )
    def on_indicator(indicator: str | None, current: str | None) -> tuple[list[dict], str | None]:
        options = _year_options(ctx, indicator)
        values = [o["value"] for o in options]
        # Keep the chosen year when the new indicator has it, so indicators compare.
        return options, current if current in values else (values[0] if values else None)

    @app.callback(
        Output("chart-heading", "children"),
        Output("indicator-description", "children"),
        Output("ranking-graph", "figure"),
        Output("ranking-caption", "children"),
        Output("values-table-container", "children"),
        Output("source-line", "children"),
        Input("indicator-select", "value"),
        Input("year-select", "value"),
        prevent_initial_call=True,
    )
    def on_selection(indicator: str | None, year: str | None) -> tuple[Any, ...]:
        view = _view(ctx, indicator, year)
        return (view["heading"], view["description"], view["figure"], view["caption"],
                view["table"], view["source"])

    app.clientside_callback(
        """
        function(n) {
            if (!n || !window.Plotly) { return window.dash_clientside.no_update; }
            var gd = document.querySelector("#ranking-graph .js-plotly-plot");
            var heading = document.getElementById("chart-heading");
            var name = (heading ? heading.textContent : "kuvio")
                .replace(/[^0-9A-Za-zÅÄÖåäö]+/g, "_").replace(/^_+|_+$/g, "");
            if (gd) { window.Plotly.downloadImage(gd, {format: "png", scale: 2,
                                                       filename: name || "kuvio"}); }
            return window.dash_clientside.no_update;
        }
        """,
        Output("download-png", "className"),
        Input("download-png", "n_clicks"),
        prevent_initial_call=True,
    )


def serve(app: dash.Dash, host: str = "127.0.0.1", port: int = 8050, threads: int = 8) -> None:
    """Serve ``app`` with waitress (a production WSGI server) until interrupted."""
    import waitress

    server = waitress.create_server(app.server, host=host, port=port, threads=threads)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Dashboard: http://{shown_host}:{server.effective_port}/  (Ctrl+C stops)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
