"""Index (``/indeksi``): a composite risk index the reader can re-weigh, with rank ranges.

Weights are native number inputs (0–10, 0 = left out) with a ``<label>`` each, so they
work with a keyboard (arrow keys step them) and a screen reader; normalisation and
aggregation are native selects. State in the URL: ``vuosi``, ``normalisointi``,
``aggregointi`` and ``painot=id:w,…`` (absent = the default weights).

Every result comes with each municipality's rank range over all method choices
(:mod:`dashboards.indexdata`), drawn as a whisker and flagged in words when it is wider
than the robustness limit, and the page says plainly what the index does not say. The
rank ranges and the table are sent after the chart, by their own callback
(:func:`content`, :mod:`dashboards.views.deferred`).
"""

from __future__ import annotations

import json
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State
from dash import ctx as cb

from digiindicators.composite import AGGREGATIONS, NORMALISATIONS

from .. import figures, indexdata, state
from ..charts import rank_range_styled
from ..components import figure, graph, scroll_table, select, table
from ..context import Context
from ..datatable import symbol
from ..i18n import LANGS, texts
from ..wire import bootstrap, element
from .common import data_link, from_url, indicator_info, mirror_id, url_mirror, view_of
from .deferred import Deferred

#: Pattern-matching id type of the index's second part (:func:`content`).
RANGES_PART = "index-ranges"


def _cands(ctx: Context) -> list[str]:
    return ctx.remember(("index-candidates",), lambda: indexdata.candidates(
        ctx.panel, ctx.catalog, lookup=ctx.lookup))


def _index_panel(ctx: Context) -> pd.DataFrame:
    """The municipal rows of the candidate components: all the index ever reads (the
    library's filters then run over a few thousand rows instead of the whole panel)."""
    def build() -> pd.DataFrame:
        panel = ctx.panel
        return panel[(panel["area_level"] == "kunta") & panel["indicator"].isin(_cands(ctx))]

    return ctx.remember(("index-panel",), build)


def choice_from_query(ctx: Context, query: dict[str, str]) -> indexdata.IndexChoice:
    cands = _cands(ctx)
    weights = state.parse_weights(query.get("painot"))
    if weights is None:
        weights = indexdata.default_weights(cands)
    return indexdata.clean_choice(weights, query.get("normalisointi"), query.get("aggregointi"),
                                  query.get("vuosi"), cands)


def query_of(ctx: Context, choice: indexdata.IndexChoice, year: int | None) -> dict[str, object]:
    defaults = indexdata.default_weights(_cands(ctx))
    weights = "" if choice.weights == defaults else (state.format_weights(choice.weights) or "0")
    return {"vuosi": year or "", "normalisointi": choice.normalisation,
            "aggregointi": choice.aggregation, "painot": weights}


def result(ctx: Context, choice: indexdata.IndexChoice, lang: str, *,
           ranges: bool = True) -> indexdata.IndexResult:
    """The index of ``choice`` with names in ``lang`` (bounded cache: computing one runs
    every sensitivity scenario, so it is computed once for all languages). ``ranges=False``:
    the index without its rank ranges, unless they are known already (the page's first
    part, :func:`content`)."""
    if not ranges:
        known = ctx.results.find(("index", choice.key(), True, lang))
        if known is not None:
            return known

    def computed() -> indexdata.IndexResult:
        base = None if not ranges else ctx.results.find(("index", choice.key(), False))
        return indexdata.compute(_index_panel(ctx), choice, ctx.catalog,
                                 ctx.areas.names(ctx.default_lang), lookup=ctx.lookup,
                                 memo=ctx.results.get, ranges=ranges, base=base)

    def named() -> indexdata.IndexResult:
        res = ctx.results.get(("index", choice.key(), ranges), computed)
        return res if lang == ctx.default_lang else res.renamed(ctx.areas.names(lang))

    return ctx.results.get(("index", choice.key(), ranges, lang), named)


# ---- controls -----------------------------------------------------------------------------
def _direction_hint(ctx: Context, ind: str, lang: str) -> str:
    t = texts(lang)
    return t["weight_direction"][indicator_info(ctx, ind, lang).direction]


def weight_inputs(ctx: Context, lang: str, choice: indexdata.IndexChoice) -> dict[str, Any]:
    """A labelled number input per candidate, in Dash's wire format (``dbc.Input``)."""
    t = texts(lang)
    items = []
    for ind in _cands(ctx):
        info = indicator_info(ctx, ind, lang)
        input_id = f"weight-{ind}"
        # The direction hint is part of the label (dbc.Input takes no aria-describedby).
        items.append(element("Div", [
            element("Label", [
                element("Span", info.title, className="control__label"),
                element("Span", _direction_hint(ctx, ind, lang), className="control__help"),
            ], htmlFor=input_id, className="weight__label"),
            bootstrap("Input", id=input_id, type="number", min=0, max=indexdata.MAX_WEIGHT,
                      step=1, value=choice.weights.get(ind, 0), class_name="control__number"),
        ], className="weight"))
    return element("Fieldset", [
        element("Legend", t["weights_heading"]),
        element("P", t["weights_help"], className="control__help"),
        element("Div", items, className="weights__grid"),
        element("Button", t["reset_weights"], id="reset-weights", type="button",
                className="button"),
    ], className="weights")


def year_options(res: indexdata.IndexResult) -> list[dict]:
    return [{"label": str(y), "value": str(y)} for y in reversed(res.years)]


def method_options(lang: str, kind: str) -> list[dict]:
    t = texts(lang)
    values = NORMALISATIONS if kind == "normalisation" else AGGREGATIONS
    return [{"label": t[f"{kind}_names"][v], "value": v} for v in values]


# ---- content ------------------------------------------------------------------------------
def _weight_summary(ctx: Context, lang: str, choice: indexdata.IndexChoice) -> dict[str, Any]:
    t = texts(lang)
    active = choice.active
    total = sum(choice.weights[i] for i in active) or 1.0
    parts = [f"{indicator_info(ctx, i, lang).title} "
             f"{figures.format_value(100 * choice.weights[i] / total, 0, '%', lang)}"
             for i in active]
    return element("P", t["weights_now"].format(parts="; ".join(parts)), id="weight-summary")


#: At most this many municipalities are named in the rank ranges' caption, widest range
#: first: a caption is a summary read out whole, and all 308 are in the table.
CAPTION_NAMES = 10


def _rank_caption(res: indexdata.IndexResult, lang: str) -> str:
    t = texts(lang)
    ranked = indexdata.ranked(res)
    shaky = indexdata.unstable(res)
    text = t["rank_caption"].format(n=res.scenarios, robust=len(ranked) - len(shaky),
                                    total=len(ranked), k=res.robust_max_range)
    if shaky:
        names = ", ".join(f"{r['name']} ({int(r['rank_best'])}–{int(r['rank_worst'])})"
                          for r in shaky[:CAPTION_NAMES])
        more = len(shaky) - CAPTION_NAMES
        text += " " + (t["rank_caption_unstable"].format(names=names) if more <= 0 else
                       t["rank_caption_unstable_most"].format(names=names, more=more))
    return text


def _score_texts(ctx: Context, lang: str, res: indexdata.IndexResult) -> dict[str, list[str]]:
    """Each municipality's component scores as the table shows them. They depend on the
    components, the year and the normalisation, not on the weights, so a reader trying
    weights does not have them formatted again (a whole-country table has some 2 000)."""
    choice = res.choice

    def build() -> dict[str, list[str]]:
        scores = [figures.format_numbers(res.columns[i], 1, lang) for i in choice.active]
        return dict(zip(res.columns["area_code"], map(list, zip(*scores, strict=True)),
                        strict=True))

    return ctx.results.get(("index-score-texts", tuple(choice.active), res.year,
                            choice.normalisation, lang), build)


def _index_table(ctx: Context, lang: str, res: indexdata.IndexResult) -> dict[str, Any]:
    """Every municipality's index, rank, rank range and component scores, read from the
    result's columns (the records of every row are not needed to write it)."""
    t = texts(lang)
    active = res.choice.active
    titles = [indicator_info(ctx, i, lang).title for i in active]
    head = [t["col_area"], t["col_rank"], t["col_index"], t["col_range"], t["col_robust"],
            *titles]
    scores = _score_texts(ctx, lang, res)
    columns = res.columns
    indices = figures.format_numbers(columns["index"], 1, lang)
    best, _median, worst, _range, robust = res.range_columns
    robust_text = {True: t["robust_yes"], False: t["robust_no"]}
    rows = []
    for code, name, index, rank, low, high, steady, missing in zip(
            columns["area_code"], res.row_names, indices, columns["rank"], best, worst,
            robust, columns["missing"], strict=True):
        if not index:  # no index
            missing_titles = ", ".join(indicator_info(ctx, i, lang).title
                                       for i in str(missing).split(", ") if i)
            rows.append([name, "–", symbol("..", t["no_value"]),
                         t["no_index"].format(missing=missing_titles), "–",
                         *[text or ".." for text in scores[code]]])
            continue
        rows.append([name, str(int(rank)), index, f"{low}–{high}", robust_text[bool(steady)],
                     *scores[code]])
    caption = t["index_table_caption"].format(year=res.year,
                                              norm=t["normalisation_names"][
                                                  res.choice.normalisation])
    return table("index-table", caption, head, rows,
                 numeric={1, 2, 3, *range(5, 5 + len(active))})


def content(ctx: Context, lang: str, choice: indexdata.IndexChoice) -> list[Any]:
    """The index and its chart; the rank ranges and the table follow (:func:`ranges_part`).

    Why in two parts: a new weight set needs the index (one weighing) and its rank ranges
    (36 more), and the reader sees the index first. Sent apart, the chart arrives as soon
    as the index is known and the ranges a moment later, each part rendered once.
    """
    t = texts(lang)
    res = result(ctx, choice, lang, ranges=False)
    if res.error:
        key = {"weights": "index_error_weights", "year": "index_error_year"}.get(res.error)
        message = t[key] if key else t["index_error"].format(message=res.error)
        return [element("P", message, className="notice notice--error", id="index-error")]
    info = figures.IndicatorInfo(indexdata.INDEX_ID, t["index_title"], "", "indeksi", 1,
                                 "higher_is_worse", "")
    ranking = indexdata.index_ranking(res, info, lang, ctx.areas)
    fig = figures.ranking_styled(ranking)
    n = len(ranking.ranked) or len(ranking.missing)
    return [
        _weight_summary(ctx, lang, choice),
        element("H2", t["index_chart_heading"].format(year=res.year), id="index-heading"),
        figure(graph("index-graph", fig, figures.ranking_height(n)),
               figures.caption_text(ranking), caption_id="index-caption",
               class_name="chart-figure ranking", table_href="#index-table", lang=lang),
        RANGES.placeholder(ranges_id(choice, lang), lang),
    ]


def ranges_id(choice: indexdata.IndexChoice, lang: str) -> dict[str, Any]:
    """The id of the index's second part: the whole choice, weights to the last bit."""
    return {"type": RANGES_PART, "lang": lang,
            "weights": json.dumps({k: v for k, v in choice.weights.items() if v > 0},
                                  sort_keys=True),
            "normalisation": choice.normalisation, "aggregation": choice.aggregation,
            "year": choice.year if choice.year is not None else ""}


def _choice_of(ctx: Context, ident: Any) -> tuple[str, indexdata.IndexChoice] | None:
    """(language, choice) of a :func:`ranges_id`; None for an id no page could have sent
    (ids come from the browser: each part is checked, and the choice cleaned like a URL's)."""
    if not isinstance(ident, dict) or ident.get("lang") not in LANGS:
        return None
    text, year = ident.get("weights"), ident.get("year")
    if not isinstance(text, str) or len(text) > 4000:
        return None
    if year != "" and (not isinstance(year, int) or isinstance(year, bool)):
        return None
    try:
        weights = json.loads(text)
    except ValueError:
        return None
    if not isinstance(weights, dict):
        return None
    choice = indexdata.clean_choice(weights, ident.get("normalisation"),
                                    ident.get("aggregation"), ident.get("year"), _cands(ctx))
    if ranges_id(choice, ident["lang"]) != ident:
        return None  # not what a page would have sent for this choice
    return ident["lang"], choice


def ranges_part(ctx: Context, lang: str, choice: indexdata.IndexChoice) -> list[Any]:
    """The rank ranges (chart and words), the table of every number and the notes."""
    t = texts(lang)
    res = result(ctx, choice, lang)
    if res.error:
        return []
    ranked = indexdata.ranked(res)
    return [
        element("H2", t["rank_heading"], id="rank-heading"),
        element("P", t["rank_lead"].format(k=res.robust_max_range), className="description"),
        figure(graph("rank-graph", rank_range_styled(ranked, lang),
                     max(len(ranked), 5) * 24 + 110),
               _rank_caption(res, lang), caption_id="rank-caption",
               class_name="chart-figure rank-figure", table_href="#index-table", lang=lang),
        element("H2", t["index_table_heading"], id="index-table-heading"),
        scroll_table(_index_table(ctx, lang, res), "index-table"),
        element("P", t["index_scores_note"][choice.normalisation], className="description"),
        data_link(ctx, lang, "indeksi", **{k: v for k, v in query_of(ctx, choice, res.year).items()
                                            if k != "vuosi"}, vuosi=res.year),
    ]


#: The rank ranges and table: sent after the index (:mod:`dashboards.views.deferred`).
RANGES = Deferred(RANGES_PART, ("lang", "weights", "normalisation", "aggregation", "year"),
                  _choice_of, ranges_part, key=lambda lang, choice: (lang, choice.key()))


def not_say(lang: str) -> dict[str, Any]:
    t = texts(lang)
    return element("Section", [
        element("H2", t["index_not_say_heading"], id="caveats-heading"),
        element("Ul", [element("Li", x) for x in t["index_not_say"]]),
    ], className="caveats", **{"aria-labelledby": "caveats-heading"})


def layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    intro = [element("H1", t["index_h1"]), element("P", t["index_lead"], className="lead")]
    if not _cands(ctx):
        return [*intro, element("P", t["no_indicators"], className="notice")]
    choice = choice_from_query(ctx, state.parse_search(search))
    res = result(ctx, choice, lang, ranges=False)
    return [
        *intro,
        not_say(lang),
        element("Section", [
            element("H2", t["index_controls_heading"], id="controls-heading"),
            weight_inputs(ctx, lang, choice),
            element("Div", [
                select("index-year-select", t["label_year"], year_options(res),
                       str(res.year) if res.year else None),
                select("normalisation-select", t["label_normalisation"],
                       method_options(lang, "normalisation"), choice.normalisation),
                select("aggregation-select", t["label_aggregation"],
                       method_options(lang, "aggregation"), choice.aggregation),
            ], className="controls__grid"),
        ], className="controls", **{"aria-labelledby": "controls-heading"}),
        element("Div", content(ctx, lang, choice), id="index-content"),
        url_mirror("index"),
    ]


def register(app: dash.Dash, ctx: Context) -> None:
    cands = _cands(ctx)
    if not cands:
        return
    weight_ids = [f"weight-{c}" for c in cands]

    @app.callback(
        Output("index-year-select", "options"),
        Output("index-year-select", "value"),
        Output("normalisation-select", "value"),
        Output("aggregation-select", "value"),
        *[Output(w, "value") for w in weight_ids],
        Output("index-content", "children"),
        Output("url", "search", allow_duplicate=True),
        Output("view-status", "children", allow_duplicate=True),
        Input(mirror_id("index"), "data"),
        Input("index-year-select", "value"),
        Input("normalisation-select", "value"),
        Input("aggregation-select", "value"),
        Input("reset-weights", "n_clicks"),
        *[Input(w, "value") for w in weight_ids],
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync(_url, year, norm, agg, _reset, *rest):
        weights_in, pathname, search = rest[:-2], rest[-2], rest[-1]
        route = view_of(pathname, search, ctx)
        if route.view != "index":
            raise dash.exceptions.PreventUpdate
        lang = route.lang
        trigger = cb.triggered_id
        shown = indexdata.clean_choice(dict(zip(cands, weights_in, strict=True)), norm, agg,
                                       year, cands)
        in_url = choice_from_query(ctx, state.parse_search(search))
        if from_url(trigger):
            choice = in_url
            if _same(ctx, choice, shown):
                raise dash.exceptions.PreventUpdate
        elif trigger == "reset-weights":
            choice = indexdata.IndexChoice(indexdata.default_weights(cands), shown.normalisation,
                                           shown.aggregation, shown.year)
        else:
            choice = shown
            if _same(ctx, choice, in_url):
                raise dash.exceptions.PreventUpdate  # a control reporting itself on mount
        res = result(ctx, choice, lang, ranges=False)
        new_search = state.build_search({**state.lang_param(lang, ctx.default_lang),
                                         **query_of(ctx, choice, res.year)})
        url_out = new_search if not from_url(trigger) and new_search != (search or "") \
            else dash.no_update
        t = texts(lang)
        status = (t["status_showing"].format(what=t["index_chart_heading"].format(year=res.year))
                  if not res.error else t["index_status_error"])
        weights_out = [_shown_weight(weights_in[i], choice.weights[c], trigger)
                       for i, c in enumerate(cands)]
        rendered = ctx.rendered(("index", lang, choice.key()), lambda: content(ctx, lang, choice))
        if not res.error:  # the browser asks for the ranges part as soon as this arrives
            RANGES.render_ahead(ctx, lang, choice)
        return (year_options(res), str(res.year) if res.year else None, choice.normalisation,
                choice.aggregation, *weights_out, rendered, url_out, status)

    RANGES.register(app, ctx)


def _same(ctx: Context, a: indexdata.IndexChoice, b: indexdata.IndexChoice) -> bool:
    """Same index: same weights and methods, and the same year once "latest" is resolved."""
    def year(c: indexdata.IndexChoice) -> int | None:
        years = ctx.results.get(("index-years", tuple(c.active)), lambda: indexdata.common_years(
            ctx.panel, c.active, lookup=ctx.lookup))
        return c.year if c.year in years else (years[-1] if years else None)

    return (a.weights, a.normalisation, a.aggregation) == \
        (b.weights, b.normalisation, b.aggregation) and year(a) == year(b)


def _shown_weight(current: Any, wanted: float, trigger: Any) -> Any:
    """Leave a weight input alone while the reader is typing in it (empty or same number)."""
    try:
        if current not in (None, "") and float(current) == wanted:
            return dash.no_update
    except (TypeError, ValueError):
        pass
    if current in (None, "") and wanted == 0 and isinstance(trigger, str) \
            and trigger.startswith("weight-"):
        return dash.no_update
    return wanted
