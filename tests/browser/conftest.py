"""Reusable fixtures for browser tests: a waitress server per app, one Chromium per session.

Apps are served exactly as in production (waitress, ``app.server``), on an ephemeral
port of 127.0.0.1. Chromium is Debian's (``playwright install`` cannot download here),
started with flags that stop its background connections, so no test touches the network.
A new page of the app needs only ``serve_app`` (a URL) and ``new_page`` (a tab);
loading plotly.js costs about two seconds, so read-only tests share a loaded page.

Every page records Content-Security-Policy violations (a ``securitypolicyviolation``
listener installed before any page script) and console errors, so a test can assert
that the app runs under its own CSP.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import waitress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright
from waitress import wasyncore

from dashboards.app import create_app
from tests.panel_factory import make_boundaries, make_info, make_panel

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Generous: the first render also parses plotly.js (about 4 MB) on a possibly busy machine.
TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1280, "height": 900}
WIDTHS = (1920, 768, 414)
WCAG21AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def serve_app() -> Iterator[Callable[..., str]]:
    """Factory: ``serve_app(dash_app) -> base URL``; every server is stopped at the end."""
    servers = []

    def _serve(app) -> str:
        server = waitress.create_server(app.server, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.effective_port}"

    yield _serve
    for server, thread in servers:
        # Close every socket (the listener and kept-alive browser connections) from inside
        # the server's own loop, so the loop never selects on a closed descriptor; an empty
        # map ends the loop.
        server.trigger.pull_trigger(lambda s=server: wasyncore.close_all(s._map))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


@pytest.fixture(scope="session")
def panel():
    return make_panel()


@pytest.fixture(scope="session")
def overview_url(serve_app, panel) -> str:
    """The app with real-looking (non-demo) settings and the tile-grid map."""
    return serve_app(create_app(panel, info=make_info(demo=False), boundaries=None))


@pytest.fixture(scope="session")
def demo_url(serve_app, panel) -> str:
    """The same data flagged as example data, with one stale source."""
    return serve_app(create_app(panel, info=make_info(demo=True, stale=("THL Sotkanet",)),
                                boundaries=None))


@pytest.fixture(scope="session")
def geo_url(serve_app, panel) -> str:
    """The app with (synthetic) boundaries: the map is a choropleth."""
    return serve_app(create_app(panel, info=make_info(demo=False), boundaries=make_boundaries()))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Factory: a tab in its own context (no shared cookies or storage), 1280 × 900 px."""
    contexts = []

    def _new(**options) -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="fi-FI", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(CSP_WATCH)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors  # type: ignore[attr-defined]
        return page

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Iterator[Page]:
    """A fresh page for a test that changes what is shown."""
    page = new_page()
    yield page
    page.context.close()


def wait_rendered(page: Page) -> Page:
    """Until the view is on screen: its h1, every part sent after the page arrived (the
    profile's trend charts), the boundary map's outlines, and every chart drawn."""
    page.wait_for_selector("#main-content h1")
    page.wait_for_function("() => !document.querySelector('.deferred__loading')")
    # The boundary map is drawn once its outlines have arrived (dashboards/mapoutlines.py).
    page.wait_for_function("() => !document.querySelector('.map-frame--pending')")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dash-graph')]"
        ".every(g => g.querySelector('.main-svg'))"
    )
    return page


def open_view(page: Page, url: str) -> Page:
    page.goto(url)
    return wait_rendered(page)


def open_overview(page: Page, url: str) -> Page:
    """Load the overview and wait until the chart has drawn and the table is filled."""
    page.goto(url + "/")
    page.wait_for_selector("#ranking-graph .main-svg")
    page.wait_for_selector("#values-table tbody tr")
    return page


def csp_violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def run_axe(page: Page) -> None:
    results = Axe().run(page, options=WCAG21AA)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def check_keyboard_path(page: Page) -> None:
    """From the top of a freshly loaded page, Tab reaches every visible control of the main
    content, each with a visible focus outline; the first stop is the skip link."""
    wanted = page.evaluate(
        "() => [...document.querySelectorAll('main select, main input, main button')]"
        ".filter(e => e.offsetParent !== null).map(e => e.id)"
    )
    total = page.evaluate(
        "() => [...document.querySelectorAll('a[href], select, input, button, summary, "
        "[tabindex=\"0\"]')].filter(e => e.offsetParent !== null).length"
    )
    reached: list[str] = []
    first = None
    for _ in range(total + 5):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.id || e.className, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        first = first or focus[0]
        if focus[0] in wanted:
            assert focus[1] != "none" and focus[2] >= 2, focus
            reached.append(focus[0])
        if set(wanted) <= set(reached):
            break
    assert first == "skip-link"
    assert set(wanted) <= set(reached), set(wanted) - set(reached)
