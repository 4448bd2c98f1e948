"""Security headers on every response, per-request language, no debug, no directory listing.

Run against the Flask test client (no browser, no network); the browser suite checks that
the page renders under this CSP without a single violation in the console.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from dashboards import security
from tests.panel_factory import make_app


@pytest.fixture(scope="module")
def app():
    return make_app(demo=True)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


PATHS = ["/", "/kunta/KU564?kieli=sv", "/indeksi", "/_dash-layout", "/_dash-dependencies",
         "/assets/style.css", "/assets/app.js", "/no-such-page", "/assets/no-such-file.css"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_callback_responses_carry_the_headers_too(client):
    response = client.post("/_dash-update-component", json={})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def _directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split("; ")}


def test_csp_allows_only_the_apps_own_scripts(client, app):
    csp = _directives(client.get("/").headers["Content-Security-Policy"])
    scripts = csp["script-src"]
    assert scripts[0] == "'self'"
    assert "'unsafe-eval'" not in scripts and "'unsafe-inline'" not in scripts
    assert "*" not in " ".join(v for vals in csp.values() for v in vals)
    assert csp["default-src"] == ["'self'"] and csp["connect-src"] == ["'self'"]
    # Every inline script of the page is allowed by its hash, and nothing else is.
    page = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                        page, flags=re.S)
    assert inline, "expected Dash's renderer bootstrap"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert len(scripts) == 1 + len(app.csp_hashes())


def test_content_security_policy_builder():
    text = security.content_security_policy(["'sha256-abc'"])
    assert "script-src 'self' 'sha256-abc';" in text
    assert text.startswith("default-src 'self'")


def test_no_debug_and_no_dev_tools(app, client):
    assert app.server.debug is False
    page = client.get("/").get_data(as_text=True)
    assert "_dash-debug-menu" not in page and "dash-debug" not in page
    config = re.search(r'<script id="_dash-config"[^>]*>(.*?)</script>', page, flags=re.S)
    assert '"ui":false' in config.group(1) and '"props_check":false' in config.group(1)
    assert '"hot_reload"' not in config.group(1)


@pytest.mark.parametrize("path", ["/assets/", "/assets", "/_dash-component-suites/",
                                  "/_dash-component-suites/dash/"])
def test_no_directory_listing(client, path):
    response = client.get(path)
    body = response.get_data(as_text=True)
    # Either nothing there, or Dash's catch-all app page — never a list of files.
    assert response.status_code == 404 or 'id="react-entry-point"' in body
    assert "Index of" not in body and 'href="style.css"' not in body
    assert "async-graph.js" not in body


def test_no_path_traversal_out_of_assets(client):
    for path in ("/assets/../app.py", "/assets/%2e%2e/app.py", "/assets/..%2fapp.py"):
        body = client.get(path).get_data(as_text=True)
        assert "def create_app" not in body


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/", "fi", "Digitaalinen osallisuus Pohjois-Pohjanmaalla"),
        ("/?kieli=sv", "sv", "Digital delaktighet i Norra Österbotten"),
        ("/kunta/KU564?kieli=en", "en",
         "Municipality profile: Oulu – Digital inclusion in North Ostrobothnia"),
        ("/saavutettavuusseloste?kieli=sv", "sv",
         "Tillgänglighetsutlåtande – Digital delaktighet i Norra Österbotten"),
        ("/?kieli=<script>", "fi", "Digitaalinen osallisuus Pohjois-Pohjanmaalla"),
    ],
)
def test_server_renders_lang_and_title_per_request(client, path, lang, title):
    page = client.get(path).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f"<title>{title}</title>" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_description_meta_is_in_the_pages_language(app, client, lang):
    from html import escape

    from dashboards.sitetext import site_texts

    areas = app.digi_ctx.areas
    leads = {other: escape(site_texts(areas, other)["lead"]) for other in ("fi", "sv", "en")}
    page = client.get("/" + ("" if lang == "fi" else f"?kieli={lang}")).get_data(as_text=True)
    assert f'<meta name="description" content="{leads[lang]}">' in page
    assert not any(lead in page for other, lead in leads.items() if other != lang)
