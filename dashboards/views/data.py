"""Data & sources (``/tiedot?aineisto=…``): the numbers behind every view, downloads, sources.

Downloads go through ``dcc.Download`` and the library's exporters (``write_csv``,
``write_excel``), which neutralise spreadsheet formulas; Excel gets a metadata sheet, the
CSV a separate metadata file. The sources table says when each source was last
refreshed and whether it is stale (``DataInfo.sources`` when the caller gave the cache's
status table, else what the panel's ``source`` column tells).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, dcc, html
from dash import ctx as cb

from digiindicators.areas import level_of
from digiindicators.exports import write_csv, write_excel

from .. import datasets, figures, state
from ..components import scroll_table, select, table
from ..compressed import not_kept
from ..context import Context
from ..i18n import LICENCE_URL, format_date, texts
from .common import from_url, indicator_info, indicators, mirror_id, url_mirror, view_of

PREVIEW_ROWS = 60
PAGE_ROWS = 100  # rows per page of an indicator's areas × years table
PAGE = "sivu"  # the URL parameter of that page (1 = first)


def sources_table(ctx: Context, lang: str) -> dict[str, Any]:
    t = texts(lang)
    rows = []
    for s in ctx.remember(("source-rows", lang), lambda: datasets.source_rows(ctx, lang)):
        if not s.stale:
            status = t["source_fresh"]
        elif s.problem:
            status = t["source_stale"].format(problem=s.problem)
        else:
            status = t["source_stale_short"]
        rows.append([s.source, ", ".join(s.indicators),
                     format_date(s.refreshed, lang) or "–",
                     format_date(s.source_updated, lang) or s.source_updated or "–",
                     status, s.licence])
    return table("sources-table", t["sources_caption"],
                 [t["col_source"], t["col_indicators"], t["col_refreshed"], t["col_updated"],
                  t["col_freshness"], t["col_licence"]], rows)


def page_of(query: dict[str, str], n_rows: int) -> tuple[int, int]:
    """(page, pages) of a table of ``n_rows``: the URL's ``sivu``, or 1 when it is not a page."""
    pages = max(1, -(-n_rows // PAGE_ROWS))
    try:
        page = int(query.get(PAGE, "1"))
    except ValueError:
        page = 1
    return (page if 1 <= page <= pages else 1), pages


def wide_rows(ctx: Context, lang: str, indicator: str) -> tuple[list[int], list[list[Any]]]:
    """Years and one row per area (municipalities, then aggregates), formatted for ``lang``;
    remembered per app (every page of the table is cut from them)."""
    return ctx.remember(("wide-rows", lang, indicator),
                        lambda: _wide_rows(ctx, lang, indicator))


def _wide_rows(ctx: Context, lang: str, indicator: str) -> tuple[list[int], list[list[Any]]]:
    lookup = ctx.lookup
    info = indicator_info(ctx, indicator, lang)
    years = lookup.years(indicator)
    by_year = {y: lookup.cells(indicator, y) for y in years}
    present = {code for cells in by_year.values() for code in cells}
    names = ctx.areas.names(lang)
    order = sorted(ctx.municipalities, key=lambda c: figures.sort_key(names[c]))
    order += [c for c in ctx.areas.codes if c not in order and c in present]
    shown_names = Counter(names.get(code, code) for code in order)
    levels = texts(lang)["level_labels"]
    body = []
    for code in order:
        name = names.get(code, code)
        if shown_names[name] > 1 and not code.startswith("KU"):
            # Statistics Finland names sub-regions after their centre ("Oulu"): say which.
            name = f"{name} ({levels.get(level_of(code), level_of(code))})"
        cells: list[Any] = [name]
        for y in years:
            row = by_year[y].get(code)
            if row is None:
                cells.append("–")
                continue
            text = figures.format_number(row.value, info.decimals, lang)
            status = row.status
            cells.append((text + (" e" if status == "e" else "")) if text else (status or ".."))
        body.append(cells)
    return years, body


def _wide_indicator(ctx: Context, lang: str, indicator: str,
                    query: dict[str, str]) -> list[Any]:
    """Areas × years of one indicator (what the overview draws, every year at once).

    A whole-country cache has about 400 areas: the table is shown a page of
    ``PAGE_ROWS`` at a time (``?sivu=``), with links to the other pages, so a page stays
    light; the downloads always hold every row.
    """
    t = texts(lang)
    info = indicator_info(ctx, indicator, lang)
    years, body = wide_rows(ctx, lang, indicator)
    page, pages = page_of(query, len(body))
    first = (page - 1) * PAGE_ROWS
    shown = body[first:first + PAGE_ROWS]
    unit = figures.unit_label(info.unit, lang)
    out: list[Any] = [scroll_table(
        table("data-table", t["data_wide_caption"].format(title=info.title, unit=unit),
              [t["col_area"], *map(str, years)], shown,
              numeric=set(range(1, len(years) + 1))),
        "data-table")]
    if pages > 1:
        out.append(_pager(ctx, lang, indicator, page, pages,
                          (first + 1, first + len(shown), len(body))))
    return out


def _pager(ctx: Context, lang: str, dataset: str, page: int, pages: int,
           span: tuple[int, int, int]) -> html.Nav:
    """Links to the table's pages: plain links (a page load, like the navigation), the
    current page marked with ``aria-current``. Each number is read out as "Page n": the
    word is in the text, visually hidden (an ``aria-label`` on the current page's
    ``<span>`` would be a label on an element that has no role to carry it)."""
    t = texts(lang)

    def number(n: int) -> list[Any]:
        word = t["pager_page"].format(n=n).removesuffix(str(n))
        return [html.Span(word, className="visually-hidden"), str(n)]

    def link(n: int, text: Any) -> html.A:
        target = state.href(state.PATHS["data"], lang, ctx.default_lang, aineisto=dataset,
                            **({PAGE: n} if n > 1 else {}))
        return html.A(text, href=ctx.path(target))

    items: list[Any] = []
    if page > 1:
        items.append(html.Li(link(page - 1, t["pager_previous"])))
    for n in range(1, pages + 1):
        if n == page:
            items.append(html.Li(html.Span(number(n), **{"aria-current": "page"})))
        else:
            items.append(html.Li(link(n, number(n))))
    if page < pages:
        items.append(html.Li(link(page + 1, t["pager_next"])))
    first, last, rows = span
    return html.Nav([
        html.P(t["pager_status"].format(first=first, last=last, rows=rows),
               className="pager__status", id="pager-status"),
        html.Ul(items, className="pager__list"),
    ], className="pager", **{"aria-label": t["pager_label"]})


def _summary_table(ctx: Context, lang: str) -> dict[str, Any]:
    t = texts(lang)
    body = []
    lookup = ctx.lookup
    for ind in indicators(ctx):
        info = indicator_info(ctx, ind, lang)
        years = lookup.years(ind)
        n_rows = sum(len(lookup.cells(ind, y)) for y in years)
        body.append([info.title, ind, figures.unit_label(info.unit, lang),
                     f"{years[0]}–{years[-1]}" if years else "–", str(n_rows)])
    return table("data-table", t["data_summary_caption"],
                 [t["col_indicator"], t["col_id"], t["col_unit"], t["col_years"],
                  t["col_rows"]], body, numeric={4})


def _frame_table(frame: pd.DataFrame, caption: str) -> dict[str, Any]:
    """A generic preview of a download (first rows), numbers as they are in the file."""
    shown = frame.head(PREVIEW_ROWS)
    cols = [str(c) for c in shown.columns]
    body = [[("" if pd.isna(v) else str(v)) for v in rec] for rec in shown.itertuples(index=False)]
    return table("data-table", caption, cols, body, class_name="values-table data-preview")


def is_wide(ctx: Context, dataset: str) -> bool:
    """Whether the dataset is one statistic, previewed as an areas × years table."""
    return dataset in ctx.remember(("panel-indicators",), lambda: set(ctx.lookup.indicators())) \
        and figures.is_statistic(dataset)


def preview(ctx: Context, lang: str, dataset: str, query: dict[str, str]) -> list[Any]:
    t = texts(lang)
    if dataset == datasets.ALL:
        tbl = _summary_table(ctx, lang)
        note = t["data_all_note"].format(rows=len(ctx.panel))
    elif is_wide(ctx, dataset):
        return _wide_indicator(ctx, lang, dataset, query)
    else:
        ds = datasets.build(ctx, lang, dataset, query)
        tbl = _frame_table(ds.frame, t["data_preview_caption"].format(label=ds.label))
        note = (t["data_preview_note"].format(n=PREVIEW_ROWS, rows=len(ds.frame))
                if len(ds.frame) > PREVIEW_ROWS else "")
    out: list[Any] = [scroll_table(tbl, "data-table")]
    if note:
        out.append(html.P(note, className="description"))
    return out


def layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    query = state.parse_search(search)
    dataset = datasets.resolve(ctx, query)
    return [
        html.H1(t["data_h1"]),
        html.P(t["data_lead"], className="lead"),
        html.Section(className="controls", **{"aria-labelledby": "dataset-heading"}, children=[
            html.H2(t["dataset_heading"], id="dataset-heading"),
            html.Div([select("dataset-select", t["label_dataset"], datasets.options(ctx, lang),
                             dataset)], className="controls__grid controls__grid--wide"),
            html.Div(className="downloads", children=[
                html.Button(t["download_csv"], id="download-csv", type="button",
                            className="button"),
                html.Button(t["download_meta"], id="download-meta", type="button",
                            className="button"),
                html.Button(t["download_xlsx"], id="download-xlsx", type="button",
                            className="button"),
                dcc.Download(id="download"),
            ]),
            html.P(t["download_note"], className="description"),
        ]),
        html.Section(**{"aria-labelledby": "preview-heading"}, children=[
            html.H2(t["preview_heading"], id="preview-heading"),
            html.Div(preview(ctx, lang, dataset, query), id="data-preview"),
        ]),
        html.Section(**{"aria-labelledby": "sources-heading"}, children=[
            html.H2(t["sources_heading"], id="sources-heading"),
            html.P([t["sources_lead"], " ",
                    html.A("CC BY 4.0", href=LICENCE_URL[lang], rel="license"), "."]),
            scroll_table(sources_table(ctx, lang), "sources-table"),
        ]),
        url_mirror("data"),
    ]


def _file(ds: datasets.Dataset, kind: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="digiindicators-") as tmp:
        if kind == "xlsx":
            path = write_excel(ds.frame, Path(tmp) / f"{ds.filename}.xlsx", ds.metadata)
        elif kind == "meta":
            meta = pd.DataFrame(list(ds.metadata.items()), columns=["key", "value"])
            path = write_csv(meta, Path(tmp) / f"{ds.filename}.metadata.csv")
        else:
            path = write_csv(ds.frame, Path(tmp) / f"{ds.filename}.csv")
        return dcc.send_bytes(path.read_bytes(), path.name)


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        Output("dataset-select", "value"),
        Output("data-preview", "children"),
        Output("url", "search", allow_duplicate=True),
        Output("view-status", "children", allow_duplicate=True),
        Input(mirror_id("data"), "data"),
        Input("dataset-select", "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync(_url, chosen, pathname, search):
        route = view_of(pathname, search, ctx)
        if route.view != "data":
            raise dash.exceptions.PreventUpdate
        lang = route.lang
        query = state.parse_search(search)
        if from_url(cb.triggered_id):
            dataset = datasets.resolve(ctx, query)
            if dataset == chosen:
                raise dash.exceptions.PreventUpdate
            url_out: Any = dash.no_update
        else:
            dataset = datasets.resolve(ctx, {"aineisto": chosen or ""})
            if dataset == datasets.resolve(ctx, query):
                raise dash.exceptions.PreventUpdate  # nothing new (or a control mounting)
            keep = {k: v for k, v in query.items() if k not in (state.LANG, "aineisto")}
            if dataset != datasets.INDEX:
                keep = {}
            url_out = state.build_search({**state.lang_param(lang, ctx.default_lang),
                                          "aineisto": dataset, **keep})
            if url_out == (search or ""):
                url_out = dash.no_update
            query = {**keep, "aineisto": dataset}
        label = next((o["label"] for o in datasets.options(ctx, lang) if o["value"] == dataset),
                     dataset)
        status = texts(lang)["status_showing"].format(what=label)
        key: tuple = ("data", lang, dataset)
        if dataset == datasets.INDEX:
            from .index import choice_from_query  # the index reads its choices from the URL

            key += (choice_from_query(ctx, query).key(),)
        elif is_wide(ctx, dataset):  # the page as resolved: junk in the URL is page 1
            key += (page_of(query, len(wide_rows(ctx, lang, dataset)[1]))[0],)
        rendered = ctx.rendered(key, lambda: preview(ctx, lang, dataset, query))
        return dataset, rendered, url_out, status

    @app.callback(
        Output("download", "data"),
        Input("download-csv", "n_clicks"),
        Input("download-meta", "n_clicks"),
        Input("download-xlsx", "n_clicks"),
        State("dataset-select", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def download(_csv, _meta, _xlsx, dataset, search):
        query = state.parse_search(search)
        lang = state.lang_of(query, ctx.default_lang)
        dataset = datasets.resolve(ctx, {"aineisto": dataset or ""})
        ds = datasets.build(ctx, lang, dataset, query)
        kind = {"download-csv": "csv", "download-meta": "meta", "download-xlsx": "xlsx"}[
            cb.triggered_id]
        not_kept()  # the file says when it was downloaded: never send an earlier one again
        return _file(ds, kind)
