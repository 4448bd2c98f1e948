"""Reusable fixtures for browser tests: a waitress server per app, one Chromium per session.

Apps are served exactly as in production (waitress, ``app.server``), on an ephemeral
port of 127.0.0.1. Chromium is Debian's (``playwright install`` cannot download here),
started with flags that stop its background connections, so no test touches the network.
A new page of the app needs only ``serve_app`` (a URL) and ``new_page`` (a tab);
loading plotly.js costs about two seconds, so read-only tests share a loaded page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import waitress
from playwright.sync_api import Browser, Page, expect, sync_playwright
from waitress import wasyncore

from dashboards.app import create_app
from tests.panel_factory import make_info, make_panel

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
        server.close()  # the listening socket
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)  # kept-alive browser connections end the loop
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def panel():
    return make_panel()


@pytest.fixture(scope="session")
def overview_url(serve_app, panel) -> str:
    """The overview with real-looking (non-demo) settings."""
    return serve_app(create_app(panel, info=make_info(demo=False)))


@pytest.fixture(scope="session")
def demo_url(serve_app, panel) -> str:
    """The same data flagged as example data, with one stale source."""
    return serve_app(create_app(panel, info=make_info(demo=True, stale=("THL Sotkanet",))))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Factory: a tab in its own context (no shared cookies or storage), 1280 × 900 px."""
    contexts = []

    def _new() -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="fi-FI")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Iterator[Page]:
    """A fresh page for a test that changes what is shown."""
    page = new_page()
    yield page
    page.context.close()


def open_overview(page: Page, url: str) -> Page:
    """Load the overview and wait until the chart has drawn and the table is filled."""
    page.goto(url + "/")
    page.wait_for_selector("#ranking-graph .main-svg")
    page.wait_for_selector("#values-table tbody tr")
    return page
