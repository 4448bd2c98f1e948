"""Each view's main interaction end to end: municipality, weights, question, dataset,
downloads and print, with the URL following every choice (the keyboard path of every view
is checked in ``test_views_axe.py``, on the page loaded there)."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from dashboards.figures import format_number, format_value
from tests.browser.conftest import open_view
from tests.panel_factory import SURVEY_SUPPRESSED

pytestmark = pytest.mark.browser


def panel_value(panel, indicator, year, code):
    rows = panel[(panel.indicator == indicator) & (panel.year == year) & (panel.area_code == code)]
    return float(rows["value"].iloc[0])


# ---- municipality profile ---------------------------------------------------------------------
def test_profile_choose_municipality_and_back(page: Page, overview_url, panel):
    open_view(page, overview_url + "/kunta/KU564")
    expect(page.locator("h1")).to_have_text("Kuntaprofiili: Oulu")
    row = page.locator("#profile-table tr[data-indicator=share_75plus]")
    oulu = format_value(panel_value(panel, "share_75plus", 2024, "KU564"), 1, "%", "fi")
    expect(row.locator("td.own")).to_have_text(oulu)
    expect(row).to_contain_text("väestöpainotettu keskiarvo, 2 kuntaa")
    estimate = page.locator("#profile-table tr[data-indicator=share_nonusers_16_89] td.own")
    expect(estimate).to_contain_text("laskennallinen arvio, väli")
    expect(page.locator("#profile-survey-example")).to_contain_text("Esimerkkikysely")

    page.select_option("#municipality-select", "KU072")
    expect(page).to_have_url(re.compile(r"/kunta/KU072$"))
    expect(page.locator("h1")).to_have_text("Kuntaprofiili: Hailuoto")
    expect(page).to_have_title(re.compile("^Kuntaprofiili: Hailuoto – "))
    hailuoto = format_value(panel_value(panel, "share_75plus", 2024, "KU072"), 1, "%", "fi")
    expect(row.locator("td.own")).to_have_text(hailuoto)
    expect(page.locator("#view-status")).to_have_text("Näytetään: Kuntaprofiili: Hailuoto")
    # The trend charts follow the page, each from its own callback, for the new municipality.
    expect(page.locator(".deferred__loading")).to_have_count(0)
    expect(page.locator("#trend-0-caption")).to_contain_text("Hailuoto")
    expect(page.locator(".trend table")).to_have_count(page.locator(".trend").count())
    page.go_back()
    expect(page).to_have_url(re.compile(r"/kunta/KU564$"))
    expect(page.locator("h1")).to_have_text("Kuntaprofiili: Oulu")
    expect(page.locator("#municipality-select")).to_have_value("KU564")


def test_profile_prints_as_a_brief(page: Page, overview_url):
    open_view(page, overview_url + "/kunta?kunta=KU072")
    expect(page.locator("h1")).to_have_text("Kuntaprofiili: Hailuoto")
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".lang-switch", ".controls", "#print-button", ".skip-link",
                   ".site-footer__links", ".data-link-line", ".chart-figure__table"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator("#profile-table")).to_be_visible()
    expect(page.locator(".trend-figure").first).to_be_visible()
    pdf = page.pdf(format="A4")
    count = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= count <= 2, f"the brief prints on {count} pages"
    page.emulate_media(media="screen")
    expect(page.locator(".site-nav")).to_be_visible()


# ---- index ------------------------------------------------------------------------------------
def test_index_weights_and_methods(page: Page, overview_url):
    open_view(page, overview_url + "/indeksi")
    summary = page.locator("#weight-summary")
    expect(summary).not_to_contain_text("Ekvivalentit")
    # Keyboard: focus the median income's weight (0 by default) and step it up.
    page.focus("#weight-median_income")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#weight-median_income")).to_have_value("1")
    expect(page).to_have_url(re.compile(r"painot=[^&]*median_income:1"))
    expect(summary).to_contain_text("Ekvivalentit käytettävissä olevat rahatulot, mediaani 20")
    expect(page.locator("#index-table thead")).to_contain_text("Ekvivalentit")

    page.select_option("#normalisation-select", "zscore")
    expect(page).to_have_url(re.compile(r"normalisointi=zscore"))
    expect(page.locator("#index-table-caption")).to_contain_text("Standardointi (z-pisteet)")
    rank_caption = page.locator("#rank-caption")
    expect(rank_caption).to_contain_text("Sijoitus laskettiin 36 tavalla")
    # The robustness flag is in words in the table, not only orange in the chart.
    expect(page.locator("#index-table")).to_contain_text(re.compile("vakaa|riippuu"))

    page.click("#reset-weights")
    expect(page.locator("#weight-median_income")).to_have_value("0")
    expect(page).not_to_have_url(re.compile(r"painot="))

    for weight in page.locator(".weights input").all():
        weight.fill("0")
    expect(page.locator("#index-error")).to_contain_text("vähintään yhdelle osatekijälle")
    page.go_back()
    expect(page.locator("#index-error")).to_have_count(0)
    expect(page.locator("#index-graph .main-svg").first).to_be_attached()


# ---- survey -----------------------------------------------------------------------------------
def test_survey_question_n_and_suppression(page: Page, overview_url):
    open_view(page, overview_url + "/kysely")
    table = page.locator("#survey-table")
    kempele = table.locator("tr", has=page.locator("th", has_text=re.compile("^Kempele$")))
    expect(kempele.locator("td").nth(0)).to_contain_text("..")
    expect(kempele.locator("td").nth(1)).to_have_text("2")  # n is shown
    expect(kempele.locator("td").nth(2)).to_have_text("salattu")
    hailuoto = table.locator("tr", has=page.locator("th", has_text=re.compile("^Hailuoto$")))
    expect(hailuoto.locator("td").nth(2)).to_have_text("ei vastannut")
    expect(page.locator("#survey-caption")).to_contain_text("Salattu: Kempele, Kuusamo.")
    assert "survey_digituki_2023_tarjoaa" in SURVEY_SUPPRESSED

    page.select_option("#question-select", "survey_digituki_2023_muodot_etatuki")
    expect(page).to_have_url(re.compile(r"kysymys=survey_digituki_2023_muodot_etatuki"))
    expect(page.locator("#survey-heading")).to_have_text(
        "Digituen muodot: Etätuki kunnittain (2023)")
    expect(kempele.locator("td").nth(0)).to_have_text(re.compile(r"^\d+\s%$"))
    page.go_back()
    expect(page.locator("#question-select")).to_have_value("survey_digituki_2023_tarjoaa")


# ---- data and downloads ----------------------------------------------------------------------
def test_data_downloads_csv_metadata_and_excel(page: Page, overview_url, panel, tmp_path):
    open_view(page, overview_url + "/tiedot?aineisto=share_75plus")
    expect(page.locator("#data-table-caption")).to_contain_text("75 vuotta täyttäneiden osuus")
    oulu = format_number(panel_value(panel, "share_75plus", 2021, "KU564"), 1, "fi")
    expect(page.locator("#data-table")).to_contain_text(oulu)

    with page.expect_download() as info:
        page.click("#download-csv")
    csv_path = tmp_path / info.value.suggested_filename
    info.value.save_as(csv_path)
    assert re.fullmatch(r"digiindicators_share_75plus_\d{8}\.csv", csv_path.name)
    data = pd.read_csv(csv_path, encoding="utf-8-sig")
    expected = panel[panel.indicator == "share_75plus"]
    assert len(data) == len(expected) and set(data["indicator"]) == {"share_75plus"}
    got = data[(data.area_code == "KU564") & (data.year == 2021)]["value"].item()
    assert got == pytest.approx(panel_value(panel, "share_75plus", 2021, "KU564"))

    with page.expect_download() as info:
        page.click("#download-meta")
    meta = pd.read_csv(info.value.path(), encoding="utf-8-sig").set_index("key")["value"]
    assert "CC BY 4.0" in meta["lisenssi / licence"]
    assert meta["päivitetty / refreshed"] == "2026-07-01T06:00:00+03:00"
    assert meta["indikaattori / indicator"].startswith("75 vuotta täyttäneiden osuus")

    page.select_option("#dataset-select", "kunta-KU564")
    expect(page).to_have_url(re.compile(r"aineisto=kunta-KU564"))
    expect(page.locator("#data-table-caption")).to_contain_text("Kuntaprofiili: Oulu")
    with page.expect_download() as info:
        page.click("#download-xlsx")
    assert info.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert book.sheetnames == ["data", "metadata"]
    head = [c.value for c in next(book["data"].iter_rows(max_row=1))]
    assert {"indicator", "value", "peer_value", "peer_method"} <= set(head)
    keys = {r[0].value: r[1].value for r in book["metadata"].iter_rows(min_row=2)}
    assert keys["kunta / municipality"] == "Oulu (KU564)"
    # The sources table says when each source was refreshed and whether it is stale.
    expect(page.locator("#sources-table")).to_contain_text("ajan tasalla")


def test_data_table_pages_are_links_that_keep_every_row(page: Page, serve_app, panel,
                                                        monkeypatch):
    """A long areas × years table (~400 rows for the whole country) is shown a page at a
    time; here pages of 10 rows stand in for pages of 100. The pager is plain links, passes
    axe, and paging through it shows every area once."""
    from dashboards.app import create_app
    from dashboards.views import data as data_view
    from tests.browser.conftest import check_keyboard_path, run_axe
    from tests.panel_factory import make_info

    monkeypatch.setattr(data_view, "PAGE_ROWS", 10)
    url = serve_app(create_app(panel, info=make_info()))  # its own render cache
    open_view(page, url + "/tiedot?aineisto=share_75plus")
    pager = page.get_by_role("navigation", name="Taulukon sivut")
    expect(pager.locator("[aria-current=page]")).to_have_text("Sivu 1")
    n_pages = pager.locator("li").count() - 1  # the numbers and "next"
    run_axe(page)
    check_keyboard_path(page)
    seen = page.locator("#data-table tbody th[scope=row]").all_inner_texts()
    assert len(seen) == 10
    # Every number right-aligned, by the table's class rather than each cell's.
    aligns = page.eval_on_selector_all(
        "#data-table tbody td", "cells => cells.map(c => getComputedStyle(c).textAlign)")
    assert aligns and set(aligns) == {"right"}
    for number in range(2, n_pages + 1):
        pager.get_by_role("link", name=f"Sivu {number}").click()
        expect(page).to_have_url(re.compile(rf"aineisto=share_75plus&sivu={number}$"))
        expect(page.locator("nav.pager [aria-current=page]")).to_have_text(f"Sivu {number}")
        seen += page.locator("#data-table tbody th[scope=row]").all_inner_texts()
    expect(page.locator("#pager-status")).to_contain_text(f"yhteensä {len(seen)}")
    assert "Oulu" in seen and len(seen) == len(set(seen)) > 30
    assert page.get_by_role("link", name="Seuraava sivu").count() == 0
    page.get_by_role("link", name="Edellinen sivu").click()
    expect(page.locator("nav.pager [aria-current=page]")).to_have_text(f"Sivu {n_pages - 1}")
    # Choosing another dataset starts it from its first page.
    page.select_option("#dataset-select", "share_nonusers_16_89")
    expect(page).to_have_url(re.compile(r"aineisto=share_nonusers_16_89$"))
    expect(page.locator("nav.pager [aria-current=page]")).to_have_text("Sivu 1")


# ---- the map with boundaries --------------------------------------------------------------------
def test_choropleth_when_boundaries_are_cached(page: Page, geo_url):
    open_view(page, geo_url + "/?vertailu=1")
    expect(page.locator("#map-graph .main-svg").first).to_be_attached()
    expect(page.locator("#map-attribution")).to_contain_text("Maanmittauslaitos")
    assert page.locator("#map-graph path.js-line").count() >= 30
    page.select_option("#map-select", "ruudukko")
    expect(page.locator("#tilegrid .tile")).to_have_count(30)
    expect(page).to_have_url(re.compile(r"kartta=ruudukko"))



def _server_map(panel, search: dict) -> dict:
    """The boundary map as the server builds it (coordinates included), for the state
    ``search`` of an app like ``geo_url``'s: the same data give the same figure."""
    from dashboards import figures, maps
    from dashboards.app import create_app
    from dashboards.peers import group_members
    from dashboards.views import overview
    from tests.panel_factory import make_boundaries, make_info

    ctx = create_app(panel, info=make_info(demo=False), boundaries=make_boundaries()).digi_ctx
    st = overview.resolve(ctx, search)
    ranking = overview._ranking(ctx, "fi", st.indicator, st.year)
    marked = set(group_members(ctx.areas, st.peer)) if st.peer else set()
    styled, _codes = maps.choropleth_styled(maps.map_data(ranking, ctx.tiles),
                                            overview.outlines(ctx), marked)
    return figures.for_dash(styled)  # with its coordinates


DRAWN_TRACES = """() => document.querySelector('#map-graph .js-plotly-plot').data
    .map(t => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'uid')))"""


def test_the_map_drawn_from_the_outline_file_is_the_map_the_server_built(page: Page, geo_url,
                                                                          panel):
    open_view(page, geo_url + "/?vertailu=1")
    drawn = page.evaluate(DRAWN_TRACES)
    expected = _server_map(panel, {"vertailu": "1"})["data"]
    assert len(drawn) == len(expected) == 30
    # Every trace, in order: its coordinates put back from the file, and all else as sent
    # (fill, outline of the marked peer group, hover text).
    assert drawn == expected
    assert sum(1 for t in drawn if t.get("line", {}).get("width") == 3) > 0


def test_a_map_whose_outlines_fail_to_load_says_so_and_the_next_one_tries_again(
        page: Page, geo_url):
    page.route("**/_digi/outlines/**", lambda route: route.fulfill(status=503, body="busy"))
    page.goto(geo_url + "/")
    expect(page.locator("#map-failed")).to_be_visible()
    expect(page.locator("#map-failed")).to_contain_text("taulukossa")
    expect(page.locator("#map-frame")).to_have_class("map-frame map-frame--failed")
    assert page.locator("#map-graph path.js-line").count() == 0
    expect(page.locator("#map-graph")).to_be_hidden()  # no empty frame left in its place
    # Every value is still there: a row per municipality and the reference areas.
    expect(page.locator("#values-table tbody tr")).to_have_count(33)
    page.unroute("**/_digi/outlines/**")
    page.select_option("#peer-select", "1")  # another map: its outlines are fetched again
    expect(page.locator("#map-frame")).to_have_class("map-frame")
    expect(page.locator("#map-failed")).to_be_hidden()
    assert page.locator("#map-graph path.js-line").count() >= 30
