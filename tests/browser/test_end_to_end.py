"""The real command: `digiindicators dashboard` on the embedded snapshot, read in Chromium.

Runs the console entry point in a subprocess (waitress, as in production), so the chain
snapshot → store → panel → dashboard → browser is tested as a user starts it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests
from playwright.sync_api import expect

import digiindicators as di
from dashboards.figures import format_number
from tests.browser.conftest import open_overview

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory):
    cache = tmp_path_factory.mktemp("empty-cache")
    port = _free_port()
    env = {**os.environ, "DIGIINDICATORS_CACHE": str(cache)}
    env["DIGIINDICATORS_PXWEB_URL"] = "http://127.0.0.1:9/unreachable"  # must not be used
    process = subprocess.Popen(
        [sys.executable, "-m", "digiindicators.cli", "dashboard", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dashboard exited: {process.stdout.read()}")
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("dashboard did not answer within 60 s")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_server_is_waitress_without_debug(dashboard_url):
    response = requests.get(dashboard_url + "/", timeout=5)
    assert response.headers.get("Server", "").startswith("waitress")
    assert "_dash-debug-menu" not in response.text
    assert requests.get(dashboard_url + "/_dash-layout", timeout=5).status_code == 200


def test_browser_reads_the_snapshot_value_and_sees_the_demo_banner(dashboard_url, page):
    panel = di.load(di.config.snapshot_dir())
    open_overview(page, dashboard_url)
    indicator = page.locator("#indicator-select").input_value()
    year = int(page.locator("#year-select").input_value())
    row = panel[
        (panel.indicator == indicator) & (panel.year == year) & (panel.area_code == "KU564")
    ].iloc[0]
    decimals = int(di.load_catalog()[indicator].decimals)
    oulu = page.locator("#values-table tbody tr").filter(
        has=page.locator("th", has_text=re.compile("^Oulu$"))
    )
    expect(oulu.locator("td").first).to_have_text(format_number(row.value, decimals, "fi"))
    expect(page.locator("#demo-banner")).to_be_visible()
    expect(page.locator("#demo-banner")).to_contain_text("Esimerkkiaineisto")
