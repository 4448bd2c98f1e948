"""Pieces several views share: the values table, source line, symbol legend, data link."""

from __future__ import annotations

from typing import Any

from .. import datatable, figures, state, surveydata
from ..context import Context
from ..datatable import shown_and_spoken, symbol
from ..i18n import LICENCE_URL, fill, format_date, texts
from ..wire import core, element


def values_table(ranking: figures.Ranking, lang: str, id_: str = "values-table",
                 caption: str | None = None, group: dict[str, str] | None = None,
                 classes: dict[str, str] | None = None) -> dict[str, Any]:
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
    # (heading, its class, its cells' class) of each column, in order
    columns: list[tuple[str, str | None, str | None]] = [(t["col_area"], None, None)]
    if group:
        columns.append((t["col_group"], None, None))
    columns.append((t["col_value"] + (f" ({shared_unit})" if shared_unit else ""), "num", "num"))
    if shared_unit is None:
        columns.append((t["col_unit"], None, None))
    columns.append((t["col_status"], None, "status"))
    if with_interval:
        columns.append((t["col_interval"], "num", "num"))
    if classes is not None:
        columns.append((t["col_class"], None, None))
    columns.append((t["col_source"], None, "source"))
    head, heads, cell_classes = (list(c) for c in zip(*columns, strict=True))
    body = []
    row_classes, areas = [], []
    previous_level = "kunta"
    for row in rows:
        cells = [row.area_name]
        if group:
            cells.append(group.get(row.area_code, ""))
        cells.append(shown_and_spoken(row.value_text, t["no_value"]) if row.value is None
                     else row.value_text)
        if shared_unit is None:
            cells.append(row.unit)
        cells.append(symbol(row.status, row.status_text))
        if with_interval:
            cells.append(row.interval_text)
        if classes is not None:
            cells.append(classes.get(row.area_code, ""))
        cells.append(row.source)
        body.append(cells)
        level = f"row--{row.area_level}"
        if row.area_level != "kunta" and previous_level == "kunta":
            level += " row--first-aggregate"
        previous_level = row.area_level
        row_classes.append(level)
        areas.append(row.area_code)
    caption = caption or t["table_caption"].format(title=ranking.info.title, year=ranking.year)
    return datatable.table(id_, caption, head, body, head_classes=heads, cell_classes=cell_classes,
                           row_classes=row_classes, row_attributes={"data-area": areas})


def source_line(ctx: Context, ranking: figures.Ranking, lang: str) -> list[Any]:
    t = texts(lang)
    src = figures.shown_sources(ranking)
    parts: list[Any] = []
    if src.sources:
        key = "source_one" if len(src.sources) == 1 else "source_many"
        parts.append(t[key].format(sources="; ".join(src.sources)) + " ")
    if src.computed:
        parts.append(t["computed"].format(names=", ".join(src.computed)) + " ")
    parts += fill(t["licence"], licence=element("A", "CC BY 4.0", href=LICENCE_URL[lang],
                                                rel="license"))
    date = format_date(ctx.info.refreshed_at, lang) or t["refreshed_unknown"]
    parts.append(" " + t["refreshed"].format(date=date))
    return parts


def symbol_legend(lang: str, heading_id: str = "legend-heading") -> dict[str, Any]:
    t = texts(lang)
    return element("Div", [
        element("H3", t["legend_heading"], id=heading_id),
        element("Dl", [item for sym in figures.STATUS_SYMBOLS
                       for item in (element("Dt", sym), element("Dd", t["status"][sym]))]),
    ], className="legend")


def data_link(ctx: Context, lang: str, dataset: str, **extra: object) -> dict[str, Any]:
    """"Download the data of this view" → the data page with this view's dataset chosen."""
    t = texts(lang)
    target = state.href(state.PATHS["data"], lang, ctx.default_lang, aineisto=dataset, **extra)
    return element("P", element("A", t["download_link"], href=ctx.path(target),
                                className="data-link"), className="data-link-line")


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


def url_mirror(view: str) -> dict[str, Any]:
    """A store the app refreshes whenever the URL changes, present only inside its view.

    Why not listen to ``dcc.Location`` directly: the location is on every page, so a view's
    callback would fire on other views too, where its controls do not exist, and Dash
    reports "nonexistent object used in an Input". A pattern-matching output
    (``{"type": "url-mirror", "view": ALL}``) reaches only the mirrors that exist.
    """
    return core("Store", id=mirror_id(view))


def from_url(trigger: object) -> bool:
    """True when a view's callback was triggered by a URL change (back button, link)."""
    return isinstance(trigger, dict) and trigger.get("type") == MIRROR
