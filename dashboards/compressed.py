"""Compressed callback answers kept, so a repeated answer is not compressed again.

Why: the render cache (:mod:`dashboards.render`) makes a repeated callback answer cheap to
build, but flask-compress still compresses it on every request. For the whole country the
overview's answer is about 0.4 MB of JSON, and zstd took some 0.8 ms of the 2 ms the
server spent on it (``benchmarks/RESULTS.md``) — more than the whole no-op callback.

Why it is safe: the answer to a Dash callback request is a pure function of the request
body. The body names the callback's outputs, the inputs and states with their values and
which input changed, and the app reads its data once and never changes them (see
:mod:`dashboards.render`). So equal bodies give equal answers, and the key is a digest of
the body. flask-compress puts the chosen algorithm in front of the key, so a gzip client
never receives zstd.

What is kept: only answers to ``POST …/_dash-update-component``. Every other response
(the HTML page, whose headers and title depend on the request, the layout, the assets)
gets the empty key, which :class:`CompressedAnswers` neither stores nor finds, and is
compressed as before. A callback whose answer is *not* a function of its request — a
download stamped with the time it was made — calls :func:`not_kept`, and its answer is
compressed anew every time. Bounded by entries and bytes like the render cache.
"""

from __future__ import annotations

import hashlib

import flask

from .render import LRU

#: Entries: one per distinct callback request; a profile sends ~20 (page and charts).
MAX_ENTRIES = 4096
MAX_BYTES = 16 * 1024 * 1024
UPDATE_PATH = "/_dash-update-component"
#: The key of a response that must not be kept.
NOT_KEPT = ""


def not_kept() -> None:
    """Mark this request's answer as one to compress anew (call it inside a callback)."""
    flask.g.digi_answer_not_kept = True


def request_key(request: flask.Request) -> str:
    """The digest of a callback request's body; :data:`NOT_KEPT` for any other request
    and for an answer marked with :func:`not_kept` (flask-compress asks after the
    callback has run)."""
    if request.method != "POST" or not request.path.endswith(UPDATE_PATH) \
            or flask.g.get("digi_answer_not_kept"):
        return NOT_KEPT
    return hashlib.blake2b(request.get_data(cache=True), digest_size=20).hexdigest()


class CompressedAnswers:
    """flask-compress's cache backend (``get``/``set``) over a bounded :class:`LRU`."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.lru = LRU(max_entries=max_entries, max_bytes=max_bytes)

    @staticmethod
    def _kept(key: str) -> bool:
        # flask-compress asks with "<algorithm>;<request_key>".
        return not key.endswith(";" + NOT_KEPT)

    def get(self, key: str) -> bytes | None:
        return self.lru.find(key) if self._kept(key) else None

    def set(self, key: str, value: bytes) -> None:
        if self._kept(key):
            self.lru.store(key, value, len(value))

    def clear(self) -> None:
        self.lru.clear()


def server(name: str) -> tuple[flask.Flask, CompressedAnswers]:
    """A Flask server whose response compression keeps callback answers (pass it to Dash
    as ``server=`` with ``compress=True``: flask-compress reads its settings then)."""
    answers = CompressedAnswers()
    app = flask.Flask(name)
    app.config["COMPRESS_CACHE_BACKEND"] = lambda: answers
    app.config["COMPRESS_CACHE_KEY"] = request_key
    return app, answers
