"""HTTP security headers on every response of the dashboard (a Flask ``after_request`` hook).

Why these values:

* **Content-Security-Policy** — scripts only from the app itself plus the SHA-256 hash of
  Dash's one inline bootstrap script (``app.csp_hashes()``); the clientside callbacks are
  in ``assets/app.js``, not inline, so no ``'unsafe-inline'`` for scripts and no
  ``'unsafe-eval'`` (the browser tests assert that no CSP violation is logged).
  ``style-src`` needs ``'unsafe-inline'``: plotly.js and Dash's components inject
  ``<style>`` elements at run time. ``img-src data: blob:`` is for the PNG export (plotly
  renders the SVG into a canvas via a data URL). ``frame-ancestors 'none'`` forbids
  framing (click-jacking); ``X-Frame-Options: DENY`` says the same to old browsers.
  ``connect-src 'self'``: the page talks only to its own server (callbacks, the map's
  outline file) — no CDN, no analytics.
* **X-Content-Type-Options: nosniff** — a CSV or JSON response is never run as a script.
* **Referrer-Policy: strict-origin-when-cross-origin** — a URL holds the reader's choices;
  other sites (a licence link) get only the origin.
* **Permissions-Policy** — the dashboard needs no camera, microphone or location.
* **Cross-Origin-Opener-Policy / Resource-Policy: same-origin** — no window or resource
  sharing with other origins.

HSTS is not set here: it belongs to the TLS-terminating proxy, which knows whether the
site is served over HTTPS.
"""

from __future__ import annotations

from collections.abc import Callable

import dash

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def content_security_policy(script_hashes: list[str]) -> str:
    """The CSP header value for a Dash app whose inline scripts have ``script_hashes``."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def install(app: dash.Dash) -> Callable:
    """Add the headers to every response of ``app.server``; returns the hook (for tests).

    The CSP is computed at the first response, after every callback (and so every inline
    script Dash might add) has been registered.
    """
    policy: list[str] = []

    @app.server.after_request
    def _security_headers(response):
        if not policy:
            policy.append(content_security_policy(list(app.csp_hashes())))
        response.headers["Content-Security-Policy"] = policy[0]
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return _security_headers
