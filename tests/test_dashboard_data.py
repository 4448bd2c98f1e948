"""Data & sources: every view's data as a download with metadata; sources and freshness."""

from __future__ import annotations

import base64
import io

import openpyxl
import pandas as pd
import pytest

from dashboards import datasets
from dashboards.info import DataInfo, SourceStatus
from dashboards.views import data as data_view
from tests.panel_factory import (
    ESTIMATE_INDICATOR,
    make_app,
    make_boundaries,
    make_panel,
    text_of,
)


@pytest.fixture(scope="module")
def ctx():
    return make_app(demo=True, stale=("THL Sotkanet",)).digi_ctx


def test_dataset_choices_cover_every_view(ctx):
    values = [o["value"] for o in datasets.options(ctx, "fi")]
    assert values[:3] == ["kaikki", "indeksi", "kysely"]
    assert "share_75plus" in values and ESTIMATE_INDICATOR in values
    assert "kunta-KU564" in values and len([v for v in values if v.startswith("kunta-")]) == 30
    assert datasets.resolve(ctx, {"aineisto": "bogus"}) == "kaikki"
    assert datasets.resolve(ctx, {"aineisto": "kunta-KU564"}) == "kunta-KU564"


@pytest.mark.parametrize("dataset", ["kaikki", "share_75plus", ESTIMATE_INDICATOR, "indeksi",
                                     "kysely", "kunta-KU564"])
def test_every_dataset_has_rows_and_metadata(ctx, dataset):
    ds = datasets.build(ctx, "fi", dataset, {})
    assert not ds.frame.empty
    meta = ds.metadata
    assert meta["esimerkkiaineisto / example data"].startswith("KYLLÄ")
    assert meta["päivitetty / refreshed"] == "2026-07-01T06:00:00+03:00"
    assert "CC BY 4.0" in meta["lisenssi / licence"]
    assert meta["vanhentunut / stale"] == "THL Sotkanet"
    assert ds.filename.startswith("digiindicators_")


def test_indicator_dataset_is_the_panel_rows(ctx):
    ds = datasets.build(ctx, "fi", "share_75plus", {})
    panel = make_panel()
    expected = panel[panel.indicator == "share_75plus"].reset_index(drop=True)
    pd.testing.assert_frame_equal(ds.frame, expected)
    est = datasets.build(ctx, "en", ESTIMATE_INDICATOR, {})
    assert "modelled estimate" in est.metadata["menetelmä / method"]


def test_index_dataset_follows_the_index_url(ctx):
    ds = datasets.build(ctx, "fi", "indeksi", {"painot": "share_75plus:1,poverty_rate:3",
                                                "normalisointi": "rank", "vuosi": "2022"})
    assert ds.metadata["painot / weights"] == "share_75plus:1,poverty_rate:3"
    assert ds.metadata["normalisointi / normalisation"] == "rank"
    assert ds.metadata["vuosi / year"] == "2022"
    assert {"index", "rank", "rank_best", "rank_worst", "robust"} <= set(ds.frame.columns)


def test_profile_dataset(ctx):
    frame = datasets.build(ctx, "fi", "kunta-KU564", {}).frame
    row = frame.set_index("indicator").loc["share_75plus"]
    assert row["peer_method"] == "weighted" and row["peer_n"] == 2 and row["peer_group"] == "1"
    assert row["year"] == 2024


def _decode(payload: dict) -> bytes:
    assert payload["base64"] is True
    return base64.b64decode(payload["content"])


def test_downloads_are_written_by_the_safe_exporters(ctx):
    ds = datasets.build(ctx, "fi", "share_75plus", {})
    csv = _decode(data_view._file(ds, "csv"))
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(frame) == len(ds.frame) and list(frame.columns) == list(ds.frame.columns)
    meta = pd.read_csv(io.BytesIO(_decode(data_view._file(ds, "meta"))), encoding="utf-8-sig")
    assert "lisenssi / licence" in set(meta["key"])
    book = openpyxl.load_workbook(io.BytesIO(_decode(data_view._file(ds, "xlsx"))))
    assert book.sheetnames == ["data", "metadata"]
    assert book["data"].max_row == len(ds.frame) + 1
    keys = [r[0].value for r in book["metadata"].iter_rows(min_row=2)]
    assert "lähteet / sources" in keys


def test_formula_like_text_is_neutralised_in_downloads(ctx):
    evil = datasets.Dataset("x", "x", pd.DataFrame({"area_name": ["=HYPERLINK(1)"],
                                                    "value": [-1.5]}), {"k": "@SUM(1)"}, "x")
    csv = _decode(data_view._file(evil, "csv")).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv and "-1.5" in csv
    book = openpyxl.load_workbook(io.BytesIO(_decode(data_view._file(evil, "xlsx"))))
    assert book["data"]["A2"].value == "'=HYPERLINK(1)"
    assert book["metadata"]["B3"].value == "'@SUM(1)"


def test_sources_from_the_panel_name_licences_and_stale_sources(ctx):
    rows = datasets.source_rows(ctx, "fi")
    by_source = {r.source: r for r in rows}
    statfin = next(r for r in rows if r.source.startswith("SYNTEETTINEN"))
    assert "75 vuotta täyttäneiden osuus" in statfin.indicators
    assert statfin.refreshed == "2026-07-01T06:00:00+03:00" and not statfin.stale
    assert by_source["THL Sotkanet"].stale  # named by the refresh, shown although absent
    assert by_source["THL Sotkanet"].licence == "THL, CC BY 4.0"
    estimate = next(r for r in rows if r.source.startswith("laskennallinen arvio"))
    assert estimate.licence.startswith("laskettu Tilastokeskuksen")
    assert any(r.licence == "kuntien vastaukset kyselyyn" for r in rows)


def test_sources_from_the_status_table_and_boundaries():
    status = pd.DataFrame([
        {"source": "pxweb:StatFin/vaerak/11re.px", "indicators": "share_75plus, population",
         "last_success": "2026-11-01T06:00:00Z", "source_updated": "2026-05-29",
         "stale": False, "problem": ""},
        {"source": "sotkanet:180", "indicators": "education_level_index",
         "last_success": "2026-01-01T06:00:00Z", "source_updated": "", "stale": True,
         "problem": "HTTP 503"},
    ])
    panel = make_panel()
    panel.attrs = {"demo": False, "refreshed_at": "2026-11-01T06:00:00Z", "stale": {}}
    info = DataInfo.from_panel(panel, "/tmp/cache", status)
    assert info.sources[1] == SourceStatus("sotkanet:180", "education_level_index",
                                           "2026-01-01T06:00:00Z", "", True, "HTTP 503")
    assert info.stale == ("sotkanet:180",) and info.demo is False
    from dashboards.app import create_app

    ctx = create_app(panel, info=info, boundaries=make_boundaries()).digi_ctx
    rows = datasets.source_rows(ctx, "en")
    assert [r.source for r in rows] == ["pxweb:StatFin/vaerak/11re.px", "sotkanet:180"]
    assert rows[0].indicators == ["Share aged 75 or over", "Population"]
    assert rows[1].stale and rows[1].problem == "HTTP 503"
    assert rows[0].licence == "Statistics Finland, CC BY 4.0"


def test_datainfo_is_backward_compatible():
    info = DataInfo(True, None, "/x", ("a",))
    assert info.sources == () and info.stale == ("a",)
    assert DataInfo(demo=False, refreshed_at="x", cache_dir="y").stale == ()


# ---- pages of a long table (a whole-country cache has ~400 areas) --------------------------
@pytest.mark.parametrize(("given", "rows", "want"), [
    ({}, 35, (1, 4)), ({"sivu": "2"}, 35, (2, 4)), ({"sivu": "4"}, 35, (4, 4)),
    ({"sivu": "5"}, 35, (1, 4)), ({"sivu": "0"}, 35, (1, 4)), ({"sivu": "-1"}, 35, (1, 4)),
    ({"sivu": "abc"}, 35, (1, 4)), ({"sivu": "2"}, 10, (1, 1)), ({}, 0, (1, 1)),
])
def test_page_of_reads_the_url_and_falls_back_to_the_first(monkeypatch, given, rows, want):
    monkeypatch.setattr(data_view, "PAGE_ROWS", 10)
    assert data_view.page_of(given, rows) == want


def _rendered(ctx, lang, query):
    from dash import html

    from tests.panel_factory import walk

    nodes = list(walk(data_view.preview(ctx, lang, query["aineisto"], query)))
    table = next(n for n in nodes if isinstance(n, html.Table))
    body = [[c.children for c in tr.children] for tr in walk(table)
            if isinstance(tr, html.Tr) and isinstance(tr.children[0], html.Th)
            and tr.children[0].scope == "row"]
    pager = next((n for n in nodes if isinstance(n, html.Nav)), None)
    return body, pager, nodes


def test_an_indicator_table_is_cut_into_pages_that_lose_no_row(ctx, monkeypatch):
    from dash import html

    monkeypatch.setattr(data_view, "PAGE_ROWS", 10)
    _, everything = data_view.wide_rows(ctx, "fi", "share_75plus")
    assert len(everything) > 30  # 30 municipalities and the aggregates
    pages = -(-len(everything) // 10)
    seen = []
    for page in range(1, pages + 1):
        body, pager, nodes = _rendered(ctx, "fi", {"aineisto": "share_75plus",
                                                  "sivu": str(page)})
        seen += body
        assert pager is not None and pager.to_plotly_json()["props"]["aria-label"] == \
            "Taulukon sivut"
        current = [n for n in nodes if isinstance(n, html.Span)
                   and n.to_plotly_json()["props"].get("aria-current") == "page"]
        assert [text_of(c) for c in current] == [f"Sivu {page}"]  # "Sivu " visually hidden
        links = {text_of(n).removeprefix("Sivu "): n.href for n in nodes
                 if isinstance(n, html.A)}
        for other in range(1, pages + 1):
            if other != page:
                want = "/tiedot?aineisto=share_75plus" + (f"&sivu={other}" if other > 1 else "")
                assert links[str(other)] == want
        assert ("Edellinen sivu" in links) == (page > 1)
        assert ("Seuraava sivu" in links) == (page < pages)
        status = next(n for n in nodes if getattr(n, "id", None) == "pager-status")
        first = (page - 1) * 10 + 1
        assert status.children == (
            f"Rivit {first}–{first + len(body) - 1}, yhteensä {len(everything)}")
    assert seen == everything  # every row once, in order


def test_the_pager_keeps_the_language_and_short_tables_have_none(ctx, monkeypatch):
    from dash import html

    _, pager, _ = _rendered(ctx, "fi", {"aineisto": "share_75plus"})
    assert pager is None  # 30 municipalities fit on one page of 100
    monkeypatch.setattr(data_view, "PAGE_ROWS", 10)
    _, pager, nodes = _rendered(ctx, "sv", {"aineisto": "share_75plus", "sivu": "2"})
    links = [n for n in nodes if isinstance(n, html.A)]
    assert links and all("kieli=sv" in a.href for a in links)
    assert pager.to_plotly_json()["props"]["aria-label"] == "Tabellens sidor"


@pytest.mark.parametrize(("lang", "label"), [("fi", "Oulu (seutukunta)"),
                                             ("sv", "Uleåborg (ekonomisk region)"),
                                             ("en", "Oulu (sub-region)")])
def test_an_area_named_like_a_municipality_says_its_level(ctx, lang, label):
    _, rows = data_view.wide_rows(ctx, lang, "share_75plus")
    names = [r[0] for r in rows]
    assert len(names) == len(set(names))  # every row header names one area
    assert label in names


def test_an_all_numeric_table_is_marked_once_not_per_cell(ctx):
    from dash import html

    from tests.panel_factory import walk

    nodes = list(walk(data_view.preview(ctx, "fi", "share_75plus", {})))
    table = next(n for n in nodes if isinstance(n, html.Table))
    assert "values-table--numeric" in table.className.split()
    cells = [n for n in nodes if isinstance(n, html.Td)]
    assert cells and not any(getattr(n, "className", None) for n in cells)
    # A table with a text column keeps the per-cell marks.
    summary = next(n for n in walk(data_view.preview(ctx, "fi", "kaikki", {}))
                   if isinstance(n, html.Table))
    assert "values-table--numeric" not in summary.className
    assert any(getattr(n, "className", None) == "num" for n in walk(summary)
               if isinstance(n, html.Td))
