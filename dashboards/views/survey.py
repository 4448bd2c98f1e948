"""Survey (``/kysely?kysymys=<indicator>``): answers per question and municipality, with n.

Suppressed cells (status ``..``) are shown as ``..`` with the rule that suppressed them;
their value is not in the data the page gets, so it cannot leak. A municipality that did
not answer is "no answer", which is a different thing from a suppressed answer. The
example survey is labelled as an example on the page, not only in the banner. A
question's table follows its chart from its own callback (:mod:`dashboards.views.deferred`).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, html
from dash import ctx as cb

from .. import figures, state, surveydata
from ..components import figure, graph, scroll_table, select, table
from ..context import Context
from ..datatable import empty_cell, symbol
from ..figures import format_value
from ..i18n import LANGS, texts
from ..lookup import PanelLookup
from .common import data_link, from_url, mirror_id, survey_cells, url_mirror, view_of
from .deferred import Deferred

#: Pattern-matching id type of a question's table, sent after its chart (:func:`content`).
TABLE_PART = "survey-answers"


def measure_options(ctx: Context, lang: str) -> list[dict]:
    data = ctx.survey
    return [{"label": m.title[lang], "value": m.indicator} for m in (data.measures if data else [])]


def resolve(ctx: Context, query: dict[str, str]) -> str | None:
    data = ctx.survey
    if data is None or not data.measures:
        return None
    wanted = state.clean_id(query.get("kysymys"))
    return wanted if data.measure(wanted) else data.measures[0].indicator


def suppression_text(data: surveydata.SurveyData, lang: str) -> str:
    """Why a cell is ``..``, from the survey's own rules when they are known."""
    t = texts(lang)
    rules = data.rules
    if data.kind == "organisation" and rules:
        region = t["survey_rule_org"].format(units=rules.get("min_units_region", 3))
        if not rules.get("publish_municipal"):
            return f"{t['survey_rule_unpublished']}; {region}"
        return f"{t['survey_rule_generic']}; {region}"
    if data.kind == "person" and rules:
        return t["survey_rule_person"].format(shown=rules.get("min_n_shown", 5),
                                              percent=rules.get("min_n_percent", 30))
    return t["survey_rule_generic"]


def caption(ranking: figures.Ranking, cells: dict[str, surveydata.SurveyCell],
            lang: str) -> str:
    """Summary sentence, then who is suppressed and who did not answer — never lumped
    together as "no data", because they mean different things."""
    t = texts(lang)
    parts = [figures.summary_text(ranking)]
    hidden = [a.name for a in ranking.missing if cells.get(a.code) and cells[a.code].suppressed]
    silent = [a.name for a in ranking.missing if a.name not in hidden]
    if hidden:
        parts.append(t["survey_caption_suppressed"].format(names=", ".join(hidden)))
    if silent:
        parts.append(t["survey_caption_no_answer"].format(names=", ".join(silent)))
    return " ".join(parts)


def _value(cell: surveydata.SurveyCell | None, m: surveydata.Measure, lang: str) -> Any:
    t = texts(lang)
    if cell is None or (not cell.answered and not cell.suppressed):
        return empty_cell(t["survey_no_answer"])
    if cell.suppressed:
        return symbol("..", t["survey_suppressed_short"])
    return format_value(cell.value, m.decimals, m.unit, lang)


def _note(cell: surveydata.SurveyCell | None, lang: str) -> str:
    t = texts(lang)
    if cell is None or (not cell.answered and not cell.suppressed):
        return t["survey_no_answer"]
    if cell.suppressed:
        return t["survey_suppressed_short"]
    return ""


def survey_table(ctx: Context, lang: str, m: surveydata.Measure) -> dict[str, Any]:
    t = texts(lang)
    data = ctx.survey
    assert data is not None
    cells = survey_cells(ctx, m.indicator)
    names = ctx.areas.names(lang)
    codes = sorted(ctx.municipalities, key=lambda c: figures.sort_key(names[c]))
    rows, classes = [], []
    for code in codes:
        cell = cells.get(code)
        rows.append([names[code], _value(cell, m, lang),
                     str(cell.n) if cell and cell.n is not None else "0", _note(cell, lang)])
        classes.append("row--kunta")
    region = ctx.areas.region_code
    reg = cells.get(region)
    units = ctx.remember(("survey-units", m.indicator),
                         lambda: surveydata.answered_municipalities(data, m.indicator))
    note = t["survey_region_note"].format(units=units) if units is not None else ""
    if reg is not None:
        rows.append([names[region], _value(reg, m, lang),
                     str(reg.n) if reg.n is not None else "–", note or _note(reg, lang)])
        classes.append("row--maakunta row--first-aggregate")
    unit = figures.unit_label(m.unit, lang)
    return table("survey-table", t["survey_table_caption"].format(title=m.title[lang],
                                                                   unit=unit, year=data.year),
                 [t["col_area"], t["col_answer"], t["col_n"], t["col_note"]], rows,
                 numeric={1, 2}, row_classes=classes)


def ranking_lookup(ctx: Context, indicator: str) -> PanelLookup:
    """The measure's value rows as the ranking reads them (suppressed values blanked),
    indexed once per app: the survey's rows never change while it runs."""
    assert ctx.survey is not None
    return ctx.remember(("survey-ranking", indicator), lambda: PanelLookup(
        surveydata.ranking_rows(ctx.survey, indicator)))


def content(ctx: Context, lang: str, indicator: str | None) -> list[Any]:
    t = texts(lang)
    data = ctx.survey
    if data is None or indicator is None:
        return [html.P(t["survey_none"], className="notice")]
    m = data.measure(indicator)
    assert m is not None
    info = figures.IndicatorInfo(m.indicator, m.title[lang], "", m.unit, m.decimals, "neutral",
                                 "")
    ranking = figures.ranking_data(data.rows, indicator, data.year, lang, ctx.catalog,
                                   areas=ctx.areas, info=info,
                                   lookup=ranking_lookup(ctx, indicator))
    fig = figures.ranking_styled(ranking)
    n = len(ranking.ranked) or len(ranking.missing)
    return [
        html.H2(t["survey_chart_heading"].format(title=m.title[lang], year=data.year),
                id="survey-heading"),
        figure(graph("survey-graph", fig, figures.ranking_height(n)),
               caption(ranking, survey_cells(ctx, indicator), lang),
               caption_id="survey-caption",
               class_name="chart-figure ranking", table_href="#survey-table", lang=lang),
        html.H2(t["table_heading"], id="survey-table-heading"),
        TABLE.placeholder(table_id(indicator, lang), lang),
    ]


def table_id(indicator: str, lang: str) -> dict[str, Any]:
    """The id of a question's second part: its table, legend and source."""
    return {"type": TABLE_PART, "lang": lang, "question": indicator}


def _question_of(ctx: Context, ident: Any) -> tuple[str, str] | None:
    """(language, question) of a :func:`table_id`; None for an id no page could have sent."""
    if not isinstance(ident, dict) or ident.get("lang") not in LANGS:
        return None
    question = ident.get("question")
    if not isinstance(question, str) or resolve(ctx, {"kysymys": question}) != question:
        return None
    return ident["lang"], question


def table_part(ctx: Context, lang: str, indicator: str) -> list[Any]:
    """Every answer of one question as a table, what its symbols mean, its source."""
    t = texts(lang)
    data = ctx.survey
    assert data is not None  # _question_of checked the question
    m = data.measure(indicator)
    assert m is not None
    return [
        scroll_table(survey_table(ctx, lang, m), "survey-table"),
        html.Div(className="legend", children=[
            html.H3(t["legend_heading"], id="survey-legend-heading"),
            html.Dl([html.Dt(".."), html.Dd(suppression_text(data, lang)),
                     html.Dt("–"), html.Dd(t["survey_no_answer_long"]),
                     html.Dt("n"), html.Dd(t["survey_n_explained"])]),
        ]),
        html.P(t["survey_source"].format(source=str(data.rows["source"].iloc[0])),
               className="source-line"),
        data_link(ctx, lang, "kysely"),
    ]


#: A question's table: sent after its chart (:mod:`dashboards.views.deferred`).
TABLE = Deferred(TABLE_PART, ("lang", "question"), _question_of, table_part,
                 key=lambda lang, question: (lang, question))


def layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    data = ctx.survey
    intro: list[Any] = [html.H1(t["survey_h1"])]
    if data is None or not data.measures:
        return [*intro, html.P(t["survey_none"], className="notice")]
    intro.append(html.P(t["survey_lead"].format(title=data.title[lang], year=data.year),
                        className="lead"))
    if data.example:
        intro.append(html.P(t["survey_example_note"], className="notice notice--example",
                            id="survey-example"))
    indicator = resolve(ctx, state.parse_search(search))
    return [
        *intro,
        html.Section(className="controls", **{"aria-labelledby": "controls-heading"}, children=[
            html.H2(t["controls_heading"], id="controls-heading", className="visually-hidden"),
            html.Div([select("question-select", t["label_question"], measure_options(ctx, lang),
                             indicator)], className="controls__grid controls__grid--wide"),
        ]),
        html.Div(content(ctx, lang, indicator), id="survey-content"),
        url_mirror("survey"),
    ]


def register(app: dash.Dash, ctx: Context) -> None:
    if ctx.survey is None or not ctx.survey.measures:
        return

    @app.callback(
        Output("question-select", "value"),
        Output("survey-content", "children"),
        Output("url", "search", allow_duplicate=True),
        Output("view-status", "children", allow_duplicate=True),
        Input(mirror_id("survey"), "data"),
        Input("question-select", "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync(_url, chosen, pathname, search):
        route = view_of(pathname, search, ctx)
        if route.view != "survey":
            raise dash.exceptions.PreventUpdate
        lang = route.lang
        if from_url(cb.triggered_id):
            indicator = resolve(ctx, state.parse_search(search))
            if indicator == chosen:
                raise dash.exceptions.PreventUpdate
            url_out: Any = dash.no_update
        else:
            indicator = resolve(ctx, {"kysymys": chosen or ""})
            if indicator == resolve(ctx, state.parse_search(search)):
                raise dash.exceptions.PreventUpdate  # nothing new (or a control mounting)
            url_out = state.build_search({**state.lang_param(lang, ctx.default_lang),
                                          "kysymys": indicator})
            if url_out == (search or ""):
                url_out = dash.no_update
        m = ctx.survey.measure(indicator) if indicator else None
        t = texts(lang)
        status = t["status_showing"].format(what=m.title[lang]) if m else ""
        rendered = ctx.rendered(("survey", lang, indicator),
                                lambda: content(ctx, lang, indicator))
        return indicator, rendered, url_out, status

    TABLE.register(app, ctx)
