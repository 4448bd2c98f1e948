"""Pieces several views share: the values table, source line, symbol legend, data link."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from .. import figures, state, surveydata
from ..components import shown_and_spoken, symbol
from ..context import Context
from ..i18n import LICENCE_URL, fill, format_date, texts
from ..wire import cell, element


def values_table(ranking: figures.Ranking, lang: str, id_: str = "values-table",
                 caption: str | None = None, group: dict[str, str] | None = None,
                 classes: dict[str, str] | None = None) -> html.Table:
    """Municipalities (alphabetical), then region and Finland: value, unit, symbol, source.

    ``group`` (area code → peer-group name) adds a column naming each municipality's
    urban–rural class, shown when a group is highlighted in the chart, so the highlight
    is in the table too and not only in colour. ``classes`` (area code → "2: 6,1–8,4 %")
    adds the map's colour class, so this one table carries the numbers of both the map
    and the ranking (one table of 308 rows instead of two on a whole-country page).
    A unit shared by every row goes into the value column's heading instead of a column
    repeating it on each row.
    """
    t = texts(lang)
    rows = figures.table_rows(ranking)
    with_interval = any(r.interval_text for r in rows)
    units = {r.unit for r in rows}
    shared_unit = units.pop() if len(units) == 1 else None
    head = [t["col_area"]]
    if group:
        head.append(t["col_group"])
    value_head = t["col_value"] + (f" ({shared_unit})" if shared_unit else "")
    head.append(value_head)
    if shared_unit is None:
        head.append(t["col_unit"])
    head.append(t["col_status"])
    if with_interval:
        head.append(t["col_interval"])
    if classes is not None:
        head.append(t["col_class"])
    head.append(t["col_source"])
    numeric = {value_head, t["col_interval"]}
    body = []
    previous_level = "kunta"
    for row in rows:
        if row.value is None:
            value_cell: Any = shown_and_spoken(row.value_text, t["no_value"])
        else:
            value_cell = row.value_text
        # Rows in Dash's wire format (dashboards.wire): 310 of them for the whole country.
        cells = [element("Th", row.area_name, scope="row")]
        if group:
            cells.append(cell("Td", group.get(row.area_code, "")))
        cells.append(cell("Td", value_cell, "num"))
        if shared_unit is None:
            cells.append(cell("Td", row.unit))
        cells.append(cell("Td", symbol(row.status, row.status_text), "status"))
        if with_interval:
            cells.append(cell("Td", row.interval_text, "num"))
        if classes is not None:
            cells.append(cell("Td", classes.get(row.area_code, "")))
        cells.append(cell("Td", row.source, "source"))
        level_classes = [f"row--{row.area_level}"]
        if row.area_level != "kunta" and previous_level == "kunta":
            level_classes.append("row--first-aggregate")
        previous_level = row.area_level
        body.append(element("Tr", cells, className=" ".join(level_classes),
                            **{"data-area": row.area_code}))
    caption = caption or t["table_caption"].format(title=ranking.info.title, year=ranking.year)
    return html.Table(
        id=id_,
        className="values-table",
        children=[
            html.Caption(html.Span(caption, className="caption-text"), id=f"{id_}-caption"),
            html.Thead(html.Tr([html.Th(h, scope="col", className="num" if h in numeric else None)
                                for h in head])),
            html.Tbody(body),
        ],
    )


def source_line(ctx: Context, ranking: figures.Ranking, lang: str) -> list[Any]:
    t = texts(lang)
    src = figures.shown_sources(ranking)
    parts: list[Any] = []
    if src.sources:
        key = "source_one" if len(src.sources) == 1 else "source_many"
        parts.append(t[key].format(sources="; ".join(src.sources)) + " ")
    if src.computed:
        parts.append(t["computed"].format(names=", ".join(src.computed)) + " ")
    parts += fill(t["licence"], licence=html.A("CC BY 4.0", href=LICENCE_URL[lang], rel="license"))
    date = format_date(ctx.info.refreshed_at, lang) or t["refreshed_unknown"]
    parts.append(" " + t["refreshed"].format(date=date))
    return parts


def symbol_legend(lang: str, heading_id: str = "legend-heading") -> html.Div:
    t = texts(lang)
    return html.Div(className="legend", children=[
        html.H3(t["legend_heading"], id=heading_id),
        html.Dl([item for sym in figures.STATUS_SYMBOLS
                 for item in (html.Dt(sym), html.Dd(t["status"][sym]))]),
    ])


def data_link(ctx: Context, lang: str, dataset: str, **extra: object) -> html.P:
    """"Download the data of this view" → the data page with this view's dataset chosen."""
    t = texts(lang)
    target = state.href(state.PATHS["data"], lang, ctx.default_lang, aineisto=dataset, **extra)
    return html.P(html.A(t["download_link"], href=ctx.path(target), className="data-link"),
                  className="data-link-line")


def indicators(ctx: Context) -> list[str]:
    """The statistics the views offer (:func:`figures.available_indicators`), once per app."""
    return ctx.remember(("indicators",), lambda: figures.available_indicators(
        ctx.panel, ctx.catalog, lookup=ctx.lookup))


def indicator_info(ctx: Context, indicator: str, lang: str) -> figures.IndicatorInfo:
    """:func:`figures.indicator_info`, remembered for the indicators the app offers (an id
    from a request is answered but not remembered, so no request can grow the memo)."""
    def build() -> figures.IndicatorInfo:
        return figures.indicator_info(indicator, lang, ctx.catalog, ctx.panel, lookup=ctx.lookup)

    if indicator not in ctx.remember(("indicator-set",), lambda: set(indicators(ctx))):
        return build()
    return ctx.remember(("info", indicator, lang), build)


def survey_cells(ctx: Context, indicator: str) -> dict[str, surveydata.SurveyCell]:
    """:func:`surveydata.cells` of one of the survey's measures, once per app."""
    assert ctx.survey is not None and ctx.survey.measure(indicator) is not None
    return ctx.remember(("survey-cells",), lambda: surveydata.all_cells(ctx.survey))[indicator]


def view_of(pathname: str | None, search: str | None, ctx: Context) -> state.Route:
    path = ctx.app.strip_relative_path(pathname or "/") or ""
    return state.route(path, search, ctx.default_lang)


# ---- following the URL ------------------------------------------------------------------
MIRROR = "url-mirror"


def mirror_id(view: str) -> dict[str, str]:
    """Id of a view's copy of the URL (see :func:`url_mirror`)."""
    return {"type": MIRROR, "view": view}


def url_mirror(view: str) -> dcc.Store:
    """A store the app refreshes whenever the URL changes, present only inside its view.

    Why not listen to ``dcc.Location`` directly: the location is on every page, so a view's
    callback would fire on other views too, where its controls do not exist, and Dash
    reports "nonexistent object used in an Input". A pattern-matching output
    (``{"type": "url-mirror", "view": ALL}``) reaches only the mirrors that exist.
    """
    return dcc.Store(id=mirror_id(view))


def from_url(trigger: object) -> bool:
    """True when a view's callback was triggered by a URL change (back button, link)."""
    return isinstance(trigger, dict) and trigger.get("type") == MIRROR
