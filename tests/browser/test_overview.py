"""The overview page in a real browser: values, interaction, URL state, keyboard.

axe-core runs on every view in every language in ``test_views_axe.py``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboards.figures import (
    available_indicators,
    available_years,
    format_number,
    ranking_caption,
    ranking_data,
)
from digiindicators.catalog import load_catalog
from tests.browser.conftest import open_overview
from tests.panel_factory import SUPPRESSED

pytestmark = pytest.mark.browser

SELECTS = ("theme-select", "indicator-select", "year-select", "peer-select")


def panel_value(panel, indicator: str, year: int, code: str) -> float:
    rows = panel[
        (panel["indicator"] == indicator) & (panel["year"] == year) & (panel["area_code"] == code)
    ]
    return float(rows["value"].iloc[0])


def value_cell(page: Page, area_name: str):
    row = page.locator("#values-table tbody tr").filter(
        has=page.locator("th", has_text=re.compile(f"^{re.escape(area_name)}$"))
    )
    return row.locator("td").first


@pytest.fixture(scope="module")
def overview_page(new_page, overview_url) -> Page:
    """One loaded overview shared by the tests that only read it (and may resize it)."""
    return open_overview(new_page(), overview_url)


@pytest.fixture(scope="module")
def demo_page(new_page, demo_url) -> Page:
    return open_overview(new_page(), demo_url)


def expect_caption(page: Page, panel, indicator: str, year: int) -> None:
    caption = ranking_caption(panel, indicator, year, "fi")
    expect(page.locator("#ranking-caption")).to_have_text(f"{caption} Luvut taulukkona")


# ---- (1) the numbers on the page are the panel's numbers ----------------------------------
def test_table_shows_the_panel_value(overview_page: Page, panel):
    page = overview_page
    # Defaults: the first indicator with data and a risk direction, its latest year.
    catalog = load_catalog()
    first = next(i for i in available_indicators(panel) if catalog[i].direction != "neutral")
    latest = available_years(panel, first)[-1]
    assert page.input_value("#indicator-select") == first
    assert page.input_value("#year-select") == str(latest)
    decimals = catalog[first].decimals
    expected = format_number(panel_value(panel, first, latest, "KU564"), decimals, "fi")
    assert value_cell(page, "Oulu").inner_text() == expected
    expect_caption(page, panel, first, latest)
    # Finnish number format on the page: digit groups with a narrow no-break space.
    country = page.locator("#values-table tbody tr[data-area=SSS] td").first.inner_text()
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})*(,\d+)?", country), country


# ---- (2) the controls drive the chart, caption and table ----------------------------------
def test_indicator_and_year_change_table_and_caption(page: Page, overview_url, panel):
    open_overview(page, overview_url)
    page.select_option("#indicator-select", "share_75plus")
    expect(page.locator("#chart-heading")).to_have_text(
        "75 vuotta täyttäneiden osuus kunnittain vuonna 2024"
    )
    expect_caption(page, panel, "share_75plus", 2024)
    oulu_2024 = format_number(panel_value(panel, "share_75plus", 2024, "KU564"), 1, "fi")
    expect(value_cell(page, "Oulu")).to_have_text(oulu_2024)
    # Suppressed cells show the source's symbol, not a number.
    merijarvi = SUPPRESSED[("share_75plus", 2024)]["KU483"]
    cell = value_cell(page, "Merijärvi")
    expect(cell.locator("[aria-hidden=true]")).to_have_text(merijarvi)
    expect(cell.locator(".visually-hidden")).to_have_text("ei tietoa")  # what a screen reader says

    page.select_option("#year-select", "2021")
    expect(page.locator("#chart-heading")).to_have_text(
        "75 vuotta täyttäneiden osuus kunnittain vuonna 2021"
    )
    expect_caption(page, panel, "share_75plus", 2021)
    oulu_2021 = format_number(panel_value(panel, "share_75plus", 2021, "KU564"), 1, "fi")
    expect(value_cell(page, "Oulu")).to_have_text(oulu_2021)
    expect(page.locator("#values-table-caption")).to_contain_text("vuonna 2021")
    # The choice is in the URL, so a link reproduces it.
    expect(page).to_have_url(re.compile(r"/\?indikaattori=share_75plus&vuosi=2021&kartta="))

    # Year options follow the indicator; the chosen year is kept when it exists.
    page.select_option("#indicator-select", "unemployment_rate")
    expect_caption(page, panel, "unemployment_rate", 2021)
    options = page.locator("#year-select option:not([value=''])").all_inner_texts()
    assert options == [str(y) for y in reversed(available_years(panel, "unemployment_rate"))]
    assert page.input_value("#year-select") == "2021"
    expect(page).to_have_url(re.compile(r"indikaattori=unemployment_rate&vuosi=2021"))

    # The back button undoes one choice at a time, controls and content alike.
    page.go_back()
    expect(page).to_have_url(re.compile(r"indikaattori=share_75plus&vuosi=2021"))
    expect(page.locator("#indicator-select")).to_have_value("share_75plus")
    expect(page.locator("#year-select")).to_have_value("2021")
    expect_caption(page, panel, "share_75plus", 2021)
    page.go_back()
    expect(page).to_have_url(overview_url + "/")
    expect(page.locator("#year-select")).to_have_value("2024")
    expect_caption(page, panel, "share_75plus", 2024)
    page.go_forward()
    expect(page.locator("#year-select")).to_have_value("2021")


def test_theme_narrows_the_indicators(page: Page, overview_url, panel):
    open_overview(page, overview_url)
    page.select_option("#theme-select", "tyo")
    expect(page.locator("#indicator-select option:not([value=''])")).to_have_count(1)
    expect(page.locator("#indicator-select")).to_have_value("unemployment_rate")
    # 2024 exists for this indicator too, so it stays chosen.
    expect_caption(page, panel, "unemployment_rate", 2024)
    expect(page).to_have_url(re.compile(r"teema=tyo&indikaattori=unemployment_rate&vuosi=2024"))


def test_a_link_reproduces_the_view_and_the_peer_group_is_highlighted(page: Page, overview_url):
    page.goto(overview_url + "/?teema=vaesto&indikaattori=share_75plus&vuosi=2022&vertailu=1")
    page.wait_for_selector("#ranking-graph .main-svg")
    expect(page.locator("#theme-select")).to_have_value("vaesto")
    expect(page.locator("#year-select")).to_have_value("2022")
    expect(page.locator("#peer-select")).to_have_value("1")
    # Marked by colour and by bold names in the chart, by an outline on the map and by
    # a column in the table — never by colour alone.
    expect(page.locator(".tile--marked")).to_have_count(3)
    expect(page.locator("#ranking-caption")).to_contain_text("Kaupunkimaiset kunnat")
    expect(page.locator("#values-table thead")).to_contain_text("Kuntaryhmä")
    page.select_option("#peer-select", "3")
    expect(page.locator(".tile--marked")).to_have_count(18)
    expect(page).to_have_url(re.compile(r"vertailu=3"))
    page.select_option("#peer-select", "0")
    expect(page.locator(".tile--marked")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"vertailu="))


def test_every_ranked_municipality_is_named_on_the_chart(page: Page, overview_url, panel):
    """Each bar's name is drawn beside it (plotly's own ticks would skip most of 30 or 308
    names); names are bold only for the municipalities of a chosen peer group."""
    ranked = [a.name for a in ranking_data(panel, "share_75plus", 2022, "fi").ranked]
    assert len(ranked) >= 20
    ticks = page.locator("#ranking-graph .ytick text")
    bold = page.locator("#ranking-graph .ytick text tspan[style*='bold']")
    page.goto(overview_url + "/?teema=vaesto&indikaattori=share_75plus&vuosi=2022")
    page.wait_for_selector("#ranking-graph .main-svg")
    expect(ticks).to_have_count(len(ranked))
    assert [t.strip() for t in ticks.all_text_contents()] == ranked
    expect(bold).to_have_count(0)
    page.select_option("#peer-select", "1")
    expect(bold).to_have_count(3)
    assert [t.strip() for t in ticks.all_text_contents()] == ranked


def test_language_switch_keeps_the_choices(page: Page, overview_url, panel):
    page.goto(overview_url + "/?indikaattori=poverty_rate&vuosi=2022")
    page.wait_for_selector("#ranking-graph .main-svg")
    page.select_option("#year-select", "2021")
    expect(page).to_have_url(re.compile(r"vuosi=2021"))
    switch = page.get_by_role("link", name="På svenska")
    assert switch.get_attribute("lang") == "sv"
    switch.click()
    page.wait_for_selector("#ranking-graph .main-svg")
    expect(page).to_have_url(re.compile(r"indikaattori=poverty_rate&vuosi=2021.*kieli=sv"))
    assert page.get_attribute("html", "lang") == "sv"
    expect(page.locator("h1")).to_have_text("Digital delaktighet i Norra Österbotten")
    expect(page.locator("#chart-heading")).to_have_text("Låginkomstgrad per kommun år 2021")
    expect(page.locator("#year-select")).to_have_value("2021")
    caption = ranking_caption(panel, "poverty_rate", 2021, "sv")
    expect(page.locator("#ranking-caption")).to_have_text(f"{caption} Siffrorna i tabellform")
    page.get_by_role("link", name="In English").click()
    expect(page.locator("h1")).to_have_text("Digital inclusion in North Ostrobothnia")
    assert page.get_attribute("html", "lang") == "en"


# ---- (4) structure that axe cannot judge ----------------------------------------------------
def test_language_headings_figure_and_table(overview_page: Page):
    page = overview_page
    assert page.get_attribute("html", "lang") == "fi"
    assert page.title() == "Digitaalinen osallisuus Pohjois-Pohjanmaalla"
    assert page.locator("h1").count() == 1
    for landmark in ("header", "main", "footer"):
        assert page.locator(landmark).count() == 1, landmark
    figure = page.locator("figure.ranking")
    expect(figure.locator("figcaption")).to_contain_text("suurin")
    expect(figure.locator(".main-svg").first).to_be_attached()
    # The SVG is hidden from assistive technology and holds nothing focusable.
    graphic = figure.locator(".chart-figure__graphic")
    assert graphic.get_attribute("aria-hidden") == "true"
    assert graphic.locator("a, button, [tabindex]").count() == 0
    # The map is a figure too: 30 tiles, a legend, and a caption pointing at the values
    # table, which names every municipality's map class.
    map_figure = page.locator("figure.map-figure")
    assert map_figure.locator(".tile").count() == 30
    expect(map_figure.locator("figcaption")).to_contain_text("samankokoinen ruutu")
    assert map_figure.locator("figcaption a[href='#values-table']").count() == 1
    assert page.locator(".modebar, .modebar-btn").count() == 0
    table = page.locator("table#values-table")
    expect(table.locator("caption")).to_contain_text(re.compile(r"vuonna \d{4}: kunnat"))
    assert table.locator("thead th[scope=col]").count() >= 5
    expect(table.locator("thead")).to_contain_text("Kartan luokka")
    classes = table.locator("tbody tr.row--kunta td:nth-last-child(2)").all_inner_texts()
    assert len(classes) == 30, classes
    assert all(re.match(r"^\d: ", c) or c == "ei tietoa" for c in classes), classes
    assert table.locator("tbody th[scope=row]").count() == 33  # 30 + region, county, Finland
    source = page.locator("#source-line")
    expect(source).to_contain_text("CC BY 4.0")
    expect(source).to_contain_text("Tiedot päivitetty: 1.7.2026")
    # Changes are announced by a live region that outlives the re-rendered content.
    assert page.locator("#view-status").get_attribute("aria-live") == "polite"
    for select in SELECTS:
        assert page.locator(f"label[for={select}]").count() == 1
        assert page.locator(f"select#{select}").count() == 1  # native, not a custom widget


def test_skip_link_moves_focus_to_the_main_content(overview_page: Page):
    page = overview_page
    page.focus(".skip-link")
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_footer_links_and_statement_page(page: Page, overview_url):
    open_overview(page, overview_url)
    feedback = page.get_by_role("link", name="Anna palautetta")
    assert feedback.get_attribute("href") == "mailto:digituki@example.invalid"
    page.get_by_role("link", name="Saavutettavuusseloste").click()
    expect(page.locator("h1")).to_have_text("Saavutettavuusseloste")
    expect(page).to_have_title(re.compile("^Saavutettavuusseloste"))
    assert page.locator("h1").count() == 1
    expect(page.locator("main")).to_contain_text("WCAG 2.1")


def test_png_download_button(overview_page: Page):
    page = overview_page
    with page.expect_download() as download:
        page.get_by_role("button", name="Tallenna kuvio kuvana (PNG)").click()
    assert download.value.suggested_filename.endswith(".png")


# ---- (5) example data and stale sources are announced -------------------------------------
def test_demo_and_stale_banners(demo_page: Page):
    page = demo_page
    banner = page.locator("#demo-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Esimerkkiaineisto — luvut eivät ole todellisia tilastoja")
    expect(banner).to_contain_text("digiindicators refresh")
    stale = page.locator("#stale-banner")
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("THL Sotkanet")
    # The banner comes before the page heading.
    assert page.evaluate(
        "document.querySelector('#demo-banner').compareDocumentPosition("
        "document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )


def test_no_banners_for_real_data(overview_page: Page):
    page = overview_page
    assert page.locator("#demo-banner, #stale-banner").count() == 0
