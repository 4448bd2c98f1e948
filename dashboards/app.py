"""The Dash app: seven accessible views in three languages, served by a production WSGI server.

``create_app`` gets the panel as an argument, so the app never opens a connection; whoever
starts it (the CLI, a test) decides where the data come from. Boundaries and the survey
default to what the library can read locally (``digiindicators.boundaries()``, the panel's
survey rows or the packaged example survey); pass ``boundaries=None`` / ``survey=None``
to leave them out.

How a page is built: the layout is an empty shell with a ``dcc.Location``; one callback
renders the whole page for the URL's view and language (``?kieli=``), and each view's own
callback keeps its controls, its content and the URL in step (:mod:`dashboards.state`).
The server renders ``<html lang>`` and ``<title>`` per request (Dash's index template is
static, and axe must see the right language before any script runs); a clientside
callback keeps them right afterwards. Native ``<select>`` controls (``dbc.Select``) are
used instead of ``dcc.Dropdown``, which fails axe's ``aria-hidden-focus`` rule.

Speed: the panel never changes while the app runs, so what a callback sends is a pure
function of the URL (the page) or of the view's state and language (its content). The
context (:mod:`dashboards.context`) indexes the panel once (:mod:`dashboards.lookup`),
remembers what depends on no choice, and keeps every rendered output, serialised, in a
bounded LRU (:mod:`dashboards.render`); figures are plain dicts, not validated
``go.Figure`` objects. The page loads plotly.js's basic bundle instead of Dash's full one
when it is installed (:mod:`dashboards.plotlyjs`), and the boundary map's coordinates once,
as a file the browser keeps (:mod:`dashboards.mapoutlines`). ``benchmarks/dashboard.py``
measures it.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from html import escape as html_escape
from pathlib import Path
from typing import Any

import dash
import flask
import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html

from digiindicators.areas import AreaTable
from digiindicators.areas import areas as default_areas
from digiindicators.catalog import Catalog, load_catalog
from digiindicators.region import region_table
from digiindicators.store import Store

from . import compressed, plotlyjs, security, shell, state, surveydata
from .areaindex import AreaIndex
from .context import Context
from .i18n import FEEDBACK_EMAIL, texts
from .info import DataInfo, SourceStatus
from .sitetext import site_texts
from .tilegrid import check_grid, grid_for
from .views import data as data_view
from .views import index as index_view
from .views import overview, profile, prose_page
from .views import survey as survey_view
from .views.common import MIRROR, view_of

log = logging.getLogger(__name__)

PANEL_COLUMNS = (
    "indicator", "area_code", "area_level", "area_name", "year", "value", "status", "unit",
    "source", "lower", "upper",
)
STATEMENT_PATH = state.PATHS["statement"]
FEEDBACK_ENV = "DIGIINDICATORS_FEEDBACK_EMAIL"
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
ASSETS = Path(__file__).parent / "assets"
AUTO = "auto"
#: The parts pages send after themselves (:mod:`dashboards.views.deferred`), every kind.
DEFERRED_PARTS = (profile.TRENDS, index_view.RANGES, overview.DATA, survey_view.TABLE)

LAYOUTS = {
    "overview": overview.layout,
    "profile": profile.layout,
    "index": index_view.layout,
    "survey": survey_view.layout,
    "data": data_view.layout,
    "method": prose_page.method_layout,
    "statement": prose_page.statement_layout,
    state.NOT_FOUND: prose_page.not_found_layout,
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

__all__ = ["DataInfo", "SourceStatus", "create_app", "index_string", "page_title", "serve"]


def index_string(lang: str) -> str:
    """Dash's page template with ``<html lang>`` and a noscript note (Dash cannot set lang)."""
    return _INDEX.format(lang=lang, noscript=texts(lang)["noscript"])


def page_title(ctx: Context, route: state.Route) -> str:
    """The document title of a view (WCAG 2.4.2: each page its own title)."""
    t = texts(route.lang)
    app_title = site_texts(ctx.areas, route.lang)["app_title"]
    if route.view == "overview":
        return app_title
    if route.view == "profile" and route.arg in ctx.municipalities:
        name = t["profile_h1"].format(name=ctx.areas.name(route.arg, route.lang))
    elif route.view == state.NOT_FOUND:
        name = t["not_found_title"]
    else:
        name = t["titles"][route.view]
    return f"{name} – {app_title}"


class _App(dash.Dash):
    """Dash with a per-request index page: the URL's language and the view's title."""

    digi_ctx: Context | None = None

    def interpolate_index(self, **kwargs: str) -> str:
        ctx = self.digi_ctx
        lang = ctx.default_lang if ctx else "fi"
        if ctx is not None and flask.has_request_context():
            path = self.strip_relative_path(flask.request.path) or ""
            search = flask.request.query_string.decode("utf-8", "replace")
            route = state.route(path, search, ctx.default_lang)
            lang = route.lang
            kwargs["title"] = page_title(ctx, route)
            if lang != ctx.default_lang:  # the description meta is the default language's
                kwargs["metas"] = (kwargs.get("metas") or "").replace(
                    html_escape(site_texts(ctx.areas, ctx.default_lang)["lead"]),
                    html_escape(site_texts(ctx.areas, lang)["lead"]))
        page = index_string(lang)
        for key, value in kwargs.items():
            page = page.replace("{%" + key + "%}", value or "")
        return page


# ---- building the app ------------------------------------------------------------------
def _check_panel(panel: pd.DataFrame) -> None:
    if not isinstance(panel, pd.DataFrame):
        raise TypeError(f"panel must be a pandas DataFrame, got {type(panel).__name__}.")
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise ValueError(
            f"The panel lacks columns {', '.join(missing)}; build it with digiindicators.load()."
        )


def _auto_boundaries(info: DataInfo) -> dict[str, Any] | None:
    """The cached boundary layer through the library, if it has one (never the network)."""
    try:
        import digiindicators

        reader = getattr(digiindicators, "boundaries", None)
        return reader(info.cache_dir) if reader is not None else None
    except Exception as exc:  # noqa: BLE001 - a broken layer must not stop the dashboard
        log.error("Boundaries not used: %s", exc)
        return None


def _auto_areas(info: DataInfo) -> AreaTable:
    """The area table of the cache's region (its classification key, else the built-in 17)."""
    if not info.cache_dir:
        return default_areas()
    return region_table(Store(Path(info.cache_dir)))


def feedback_address(given: str | None = None) -> str:
    """The feedback address: ``given``, else ``$DIGIINDICATORS_FEEDBACK_EMAIL``, else the
    placeholder, which is logged so a deployment without its own address is noticed."""
    address = (given or os.environ.get(FEEDBACK_ENV) or FEEDBACK_EMAIL).strip()
    if not _EMAIL.fullmatch(address):
        raise ValueError(f"Feedback address {address!r} is not an e-mail address "
                         f"(set {FEEDBACK_ENV} or --feedback-email to name@domain).")
    if address == FEEDBACK_EMAIL:
        log.warning("The dashboard's feedback address is the placeholder %s; set %s or "
                    "--feedback-email (law 306/2019 requires a working address).",
                    address, FEEDBACK_ENV)
    return address


def _survey(panel: pd.DataFrame, survey: Any) -> surveydata.SurveyData | None:
    if survey is None:
        return None
    if isinstance(survey, surveydata.SurveyData):
        return survey
    if isinstance(survey, str) and survey == AUTO:
        return surveydata.load_survey(panel)
    return surveydata.from_result(survey)  # a digiindicators.survey.SurveyResult


def create_app(
    panel: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    areas: AreaTable | None = None,
    info: DataInfo,
    lang: str = "fi",
    boundaries: dict[str, Any] | None | str = AUTO,
    survey: Any = AUTO,
    partial_plotly: bool = True,
    feedback_email: str | None = None,
) -> dash.Dash:
    """The dashboard for ``panel``; serve ``app.server`` with any WSGI server (:func:`serve`).

    ``lang`` is the language of URLs without ``?kieli=``. ``boundaries``: a GeoJSON
    FeatureCollection with ``properties.area_code``, None, or "auto" (read the cache).
    ``survey``: a ``SurveyResult``, a :class:`surveydata.SurveyData`, None, or "auto".
    ``partial_plotly=False`` loads Dash's full plotly.js even when the smaller basic
    bundle is installed (:mod:`dashboards.plotlyjs`). ``feedback_email`` is the address in
    the footer and the accessibility statement (default ``$DIGIINDICATORS_FEEDBACK_EMAIL``,
    else a placeholder that is logged as such).
    """
    texts(lang)  # raises on an unknown language
    _check_panel(panel)
    feedback = feedback_address(feedback_email)
    basic_plotly = partial_plotly and plotlyjs.use_partial_bundle()
    # The region the cache was refreshed for; lookups remembered (dashboards.areaindex).
    areas = AreaIndex(areas or _auto_areas(info))
    site = site_texts(areas, lang)
    server, answers = compressed.server(__name__)
    app = _App(
        __name__,
        server=server,
        title=site["app_title"],
        update_title=None,  # no "Updating..." flicker in the tab title for screen readers
        serve_locally=True,
        compress=True,  # flask-compress: plotly.js is ~4.6 MB as is, ~1.4 MB gzipped
        assets_folder=str(ASSETS),
        # assets/vendor holds plotly.js's basic bundle when installed and matching.
        assets_path_ignore=[] if basic_plotly else [plotlyjs.VENDOR_DIR.name],
        index_string=index_string(lang),
        suppress_callback_exceptions=True,  # page content is rendered per route
        meta_tags=[{"name": "description", "content": site["lead"]}],
    )
    tiles = grid_for(areas.region)
    problems = check_grid(tiles, areas.municipalities()) if tiles else []
    if problems:
        raise ValueError("The tile grid does not fit the area table: " + "; ".join(problems))
    geo = _auto_boundaries(info) if isinstance(boundaries, str) and boundaries == AUTO \
        else boundaries
    ctx = Context(
        panel=panel.copy(),
        catalog=catalog or load_catalog(),
        areas=areas,
        info=info,
        default_lang=lang,
        app=app,
        tiles=tiles,
        boundaries=geo if isinstance(geo, dict) else None,
        survey=_survey(panel, survey),
        feedback_email=feedback,
        answers=answers,
    )
    app.digi_ctx = ctx
    app.layout = html.Div(className="page", children=[
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="route"),
        dcc.Store(id="page-meta"),
        dcc.Store(id="js-sink"),
        shell.status_region(),
        html.Div(id="page", className="page__body"),
    ])
    _register_callbacks(app, ctx)
    for view in (overview, profile, index_view, survey_view, data_view):
        view.register(app, ctx)
    security.install(app)
    compressed.install(app.server, answers)  # after Dash set up flask-compress: runs before it
    return app


def rendered_page(ctx: Context, pathname: str | None, search: str | None) -> Any:
    """The page of a URL as the page callback sends it: rendered once per URL (the page is
    a pure function of the URL; the data never change), then from the render cache."""
    route = view_of(pathname, search, ctx)

    def build() -> list[Any]:
        main = LAYOUTS[route.view](ctx, route.lang, route, search or "")
        return shell.page(ctx, route.lang, route.view, pathname or "/", search or "", main)

    return ctx.rendered(("page", pathname or "/", search or ""), build)


def _register_callbacks(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        Output("page", "children"),
        Output("route", "data"),
        Output("page-meta", "data"),
        Input("url", "pathname"),
        Input("url", "search"),
        State("route", "data"),
    )
    def render(pathname: str | None, search: str | None, current: dict | None):
        route = view_of(pathname, search, ctx)
        key = {"view": route.view, "lang": route.lang}
        if current == key:
            raise dash.exceptions.PreventUpdate  # same view: its own callback follows the URL
        children = rendered_page(ctx, pathname, search)
        return children, key, {"title": page_title(ctx, route), "lang": route.lang}

    @app.callback(
        Output({"type": MIRROR, "view": ALL}, "data"),
        Input("url", "pathname"),
        Input("url", "search"),
        prevent_initial_call=True,
    )
    def mirror(pathname: str | None, search: str | None):
        # Only the mirror of the view on screen exists; see views.common.url_mirror.
        return [{"pathname": pathname, "search": search}] * len(dash.ctx.outputs_list)

    @app.callback(
        Output("lang-fi", "href"),
        Output("lang-sv", "href"),
        Output("lang-en", "href"),
        Input("url", "pathname"),
        Input("url", "search"),
        prevent_initial_call=True,
    )
    def lang_links(pathname: str | None, search: str | None):
        # The language switch keeps every choice: it links to this very view.
        return tuple((pathname or "/") + state.switch_lang(search, other, ctx.default_lang)
                     for other in ("fi", "sv", "en"))

    app.clientside_callback(
        ClientsideFunction("digi", "meta"),
        Output("js-sink", "data"),
        Input("page-meta", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("digi", "png"),
        Output("js-sink", "data", allow_duplicate=True),
        Input("download-png", "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("digi", "print"),
        Output("js-sink", "data", allow_duplicate=True),
        Input("print-button", "n_clicks"),
        prevent_initial_call=True,
    )


def settle() -> None:
    """Move every object alive now out of the cyclic garbage collector's sight.

    Why: a full collection walks every tracked object, and the panel, its lookups, the
    remembered values and the prewarmed pages are some 140 000 (region) to 290 000 (whole
    country) objects that live as long as the server. Python runs a full collection now
    and then, inside whichever request allocates at that moment, and holds every thread
    while it runs: after prewarming it took 40 ms for the region and 77 ms for the whole
    country (one of 400 first renders measured took 96 ms instead of 4). With those
    objects frozen it takes well under a millisecond (``benchmarks/RESULTS.md``).

    Called when serving starts and again when prewarming ends. Reference counting still
    frees a frozen object that is no longer used; only frozen objects in a reference
    cycle would stay, and what the caches evict (rendered pages: dicts, lists, bytes) has
    no cycles.
    """
    gc.freeze()


def serve(app: dash.Dash, host: str = "127.0.0.1", port: int = 8050, threads: int = 8) -> None:
    """Serve ``app`` with waitress (a production WSGI server) until interrupted."""
    import waitress

    server = waitress.create_server(app.server, host=host, port=port, threads=threads)
    settle()
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Dashboard: http://{shown_host}:{server.effective_port}/  (Ctrl+C stops)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
