"""Every view in fi, sv and en: axe-core (WCAG 2.0/2.1 A+AA) with zero violations at
1920, 768 and 414 px, plus what axe cannot judge.

Each view is loaded once per language and the same page resized for the three widths (and
320 px for reflow), which keeps the suite within minutes. Besides axe, each page must
have ``<html lang>`` of its language (rendered by the server, not only by script), one
h1, its own title, every chart inside a ``<figure>`` with a caption and a table of the
same numbers, no chart toolbar, no Content-Security-Policy violation and no console error;
and (once per view, in Finnish) Tab from the top reaches every control with a visible focus.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboards.i18n import texts
from tests.browser.conftest import (
    WIDTHS,
    check_keyboard_path,
    csp_violations,
    open_view,
    run_axe,
)

pytestmark = pytest.mark.browser

VIEWS = {
    "overview": "/",
    "profile": "/kunta/KU564",
    "index": "/indeksi",
    "survey": "/kysely",
    "data": "/tiedot?aineisto=share_75plus",
    "method": "/menetelma",
    "statement": "/saavutettavuusseloste",
}
LANG_PARAM = {"fi": "", "sv": "kieli=sv", "en": "kieli=en"}


def url_for(base: str, path: str, lang: str) -> str:
    if not LANG_PARAM[lang]:
        return base + path
    return base + path + ("&" if "?" in path else "?") + LANG_PARAM[lang]


STRUCTURE_JS = """
async () => {
  const html = await (await fetch(location.href)).text();
  const out = {
    served: (html.match(/<html lang="([a-z]+)">/) || [])[1],
    lang: document.documentElement.lang,
    h1: document.querySelectorAll("h1").length,
    title: document.title,
    main: document.querySelectorAll("main").length,
    modebar: document.querySelectorAll(".modebar, .modebar-btn").length,
    dropdowns: document.querySelectorAll(".dash-dropdown").length,
    charts: [], tables: [], unlabelled: [],
  };
  for (const g of document.querySelectorAll(".dash-graph")) {
    const fig = g.closest("figure");
    const cap = fig ? fig.querySelector("figcaption") : null;
    const link = cap ? cap.querySelector("a[href^='#']") : null;
    out.charts.push({
      id: g.id, inFigure: !!fig, caption: cap ? cap.textContent.trim() : "",
      table: !!(fig && (fig.querySelector("table")
                        || (link && document.querySelector(link.getAttribute("href"))))),
      hidden: !!g.closest("[aria-hidden='true']"),
    });
  }
  for (const t of document.querySelectorAll("table")) {
    out.tables.push({id: t.id, caption: t.querySelectorAll("caption").length,
                     unscoped: t.querySelectorAll("th:not([scope])").length});
  }
  for (const c of document.querySelectorAll("main select, main input")) {
    if (document.querySelectorAll(`label[for="${c.id}"]`).length !== 1) out.unlabelled.push(c.id);
  }
  return out;
}
"""


def check_structure(page: Page, view: str, lang: str) -> None:
    """What axe cannot judge, gathered in one round trip to the page."""
    t = texts(lang)
    got = page.evaluate(STRUCTURE_JS)
    assert got["served"] == lang  # rendered by the server, before any script ran
    assert got["lang"] == lang
    assert got["h1"] == 1 and got["main"] == 1
    assert got["title"].endswith(t["app_title"]) and (view == "overview" or " – " in got["title"])
    for chart in got["charts"]:
        assert chart["inFigure"], chart["id"]
        assert len(chart["caption"]) > 30 and "." in chart["caption"], chart
        assert chart["table"], f"{chart['id']} has no table of its numbers"
        assert chart["hidden"], f"{chart['id']} is not hidden from assistive technology"
    for table in got["tables"]:
        assert table["caption"] == 1 and table["unscoped"] == 0, table
    assert got["unlabelled"] == []
    assert got["modebar"] == 0 and got["dropdowns"] == 0
    if view in ("overview", "profile", "index", "survey"):
        assert got["charts"], "a chart view without charts"


def check_everywhere(page: Page, view: str, lang: str, *, console_clean: bool = True) -> None:
    """The structure, the keyboard path (in Finnish), axe at every width, reflow at 320 px,
    no CSP violation and (unless a test provokes one) no console error."""
    check_structure(page, view, lang)
    if lang == "fi":  # the keyboard path does not depend on the language
        check_keyboard_path(page)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        run_axe(page)
    # WCAG 1.4.10: at 320 CSS px (= 1280 px at 400 %) nothing but tables and the map
    # scrolls sideways; the page itself does not.
    page.set_viewport_size({"width": 320, "height": 800})
    with contextlib.suppress(PlaywrightTimeout):  # charts follow plotly's debounced resize
        page.wait_for_function("() => document.documentElement.scrollWidth <= 321",
                               timeout=5000)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 321, f"page is {overflow}px wide at 320px"
    assert csp_violations(page) == []
    if console_clean:
        assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_in_every_language_and_width(new_page, demo_url, view, lang):
    page = new_page()
    try:
        open_view(page, url_for(demo_url, VIEWS[view], lang))
        check_everywhere(page, view, lang)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_overview_with_the_boundary_map_in_every_language_and_width(new_page, geo_url,
                                                                         lang):
    """The map a served snapshot or cache shows by default: drawn from its outline file."""
    page = new_page()
    try:
        open_view(page, url_for(geo_url, "/", lang))
        assert page.locator("#map-graph path.js-line").count() >= 30
        check_everywhere(page, "overview", lang)
    finally:
        page.context.close()


def test_the_overview_whose_map_outlines_failed_to_load(new_page, geo_url):
    """The notice that replaces the map passes axe too. (The browser logs the failed
    request as a console error, so that check is left out here.)"""
    page = new_page()
    page.route("**/_digi/outlines/**", lambda route: route.fulfill(status=503, body="busy"))
    try:
        open_view(page, geo_url + "/")
        assert page.locator("#map-failed").is_visible()
        check_everywhere(page, "overview", "fi", console_clean=False)
    finally:
        page.context.close()
