"""Compressed responses kept: each callback answer once per distinct request, each asset once.

Why: the render cache (:mod:`dashboards.render`) makes a repeated callback answer cheap to
build, but flask-compress compresses every response on every request. For the whole
country the overview's answer is about 0.4 MB of JSON, and compressing it took some 0.8 ms
of the 2 ms the server spent on it (``benchmarks/RESULTS.md``) — more than the whole no-op
callback. plotly.js (1.2 MB) was compressed anew for every first visit.

Why it is safe: the answer to a Dash callback request is a pure function of the request
body. The body names the callback's outputs, the inputs and states with their values and
which input changed, and the app reads its data once and never changes them (see
:mod:`dashboards.render`). So equal bodies give equal answers, and the key is a digest of
the body. An asset is a pure function of its path and query (Dash puts each file's
version in one of them). The chosen encoding is part of every key, so a gzip client never
receives brotli.

Two levels, because the two kinds are compressed under different clocks:

* a callback answer is compressed while a reader waits, once per distinct request:
  brotli quality 1 compresses a 64 kB page in 0.10 ms where flask-compress's default
  quality 4 takes 0.42 ms, for 15 % more bytes (11.9 against 10.4 kB; measured on the
  overview page, ``benchmarks/RESULTS.md``), and zstd level 1, preferred for answers
  when the client accepts it, is smaller and faster still (:data:`ENCODINGS`);
* an asset is compressed once per process and then sent to every new browser: brotli
  quality 9 takes 76 ms for the 1.2 MB plotly.js bundle and sends 357 kB instead of
  401 kB at quality 4.

What is kept: answers to ``POST …/_dash-update-component`` and ``GET`` responses of Dash's
component suites, the assets folder and the app's own files under ``/_digi/`` (the map's
outlines, :mod:`dashboards.mapoutlines`), when the client accepts brotli, zstd or gzip.
Everything else (the HTML page, whose headers and title depend on the request, the
layout, range requests) is left to flask-compress as before. A callback whose answer is
*not* a function of its request — a download stamped with the time it was made — calls
:func:`not_kept`. Bounded by entries and bytes like the render cache.
"""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

import brotli
import flask

from .render import LRU

try:  # the standard library's from Python 3.14; recent flask-compress brings the backport
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version
    try:
        from backports import zstd  # type: ignore[import-not-found,no-redef]
    except ImportError:
        zstd = None

MAX_ENTRIES = 4096  # callback answers; a profile sends ~20 (page and charts)
MAX_BYTES = 16 * 1024 * 1024
ASSET_ENTRIES = 128  # ~20 files per encoding
ASSET_BYTES = 16 * 1024 * 1024
UPDATE_PATH = "/_dash-update-component"
#: Static files: Dash's component suites, the assets folder, the app's own (the map outlines).
ASSET_PARTS = ("/_dash-component-suites/", "/assets/", "/_digi/")
#: Encodings in order of preference when the client accepts several, per kind: the
#: smallest at that kind's level first. At the answers' fast level zstd is smaller than
#: brotli and faster both to compress and to decompress (a whole-country rank-range part:
#: 15.3 against 16.6 kB, 0.14 against 0.18 ms to compress, 0.07 against 0.13 ms to
#: decompress; ``benchmarks/RESULTS.md``); at the assets' strong level brotli is smaller.
ENCODINGS = {kind: tuple(e for e in order if e != "zstd" or zstd is not None)
             for kind, order in (("answer", ("zstd", "br", "gzip")),
                                 ("asset", ("br", "zstd", "gzip")))}
#: Levels (see the module docstring), per kind of response and encoding.
LEVELS = {"answer": {"br": 1, "zstd": 1, "gzip": 1}, "asset": {"br": 9, "zstd": 9, "gzip": 9}}


def not_kept() -> None:
    """Mark this request's answer as one to compress anew (call it inside a callback)."""
    flask.g.digi_answer_not_kept = True


def chosen_encoding(accept: str, kind: str = "answer") -> str | None:
    """The preferred encoding of :data:`ENCODINGS` for ``kind`` ("answer" or "asset")
    that ``Accept-Encoding`` allows (a ``q=0`` refuses one); None when it allows none."""
    allowed = set()
    for part in accept.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            allowed.add(name.strip())
    return next((e for e in ENCODINGS[kind] if e in allowed), None)


def kept_as(request: flask.Request) -> tuple[str, str] | None:
    """(kind, key) under which this request's response is kept; None: not kept."""
    if request.method == "POST" and request.path.endswith(UPDATE_PATH):
        if flask.g.get("digi_answer_not_kept"):
            return None
        return "answer", hashlib.blake2b(request.get_data(cache=True),
                                         digest_size=20).hexdigest()
    if request.method == "GET" and any(part in request.path for part in ASSET_PARTS) \
            and "Range" not in request.headers:
        return "asset", request.full_path
    return None


def compress(data: bytes, encoding: str, level: int) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=level)
    if encoding == "zstd":
        return zstd.compress(data, level)
    return gzip.compress(data, level, mtime=0)


class CompressedAnswers:
    """The kept responses: callback answers and assets, each in a bounded :class:`LRU`."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.lru = LRU(max_entries=max_entries, max_bytes=max_bytes)
        self.assets = LRU(max_entries=ASSET_ENTRIES, max_bytes=ASSET_BYTES)

    def body(self, kind: str, key: str, encoding: str, data: Any) -> bytes:
        """The compressed body under ``key``, compressed from ``data()`` when not kept."""
        store = self.lru if kind == "answer" else self.assets
        kept_key = f"{encoding};{key}"
        found = store.find(kept_key)
        if found is None:
            found = compress(data(), encoding, LEVELS[kind][encoding])
            store.store(kept_key, found, len(found))
        return found

    def clear(self) -> None:
        """Forget the answers (assets do not change while the app runs)."""
        self.lru.clear()


def install(server: flask.Flask, answers: CompressedAnswers) -> None:
    """Compress kept responses before flask-compress sees them (it leaves a response that
    has a ``Content-Encoding`` alone). Call after Dash has set flask-compress up: Flask
    runs the hooks registered last first."""

    @server.after_request
    def compress_kept(response: flask.Response) -> flask.Response:
        request = flask.request
        config = server.config
        if response.status_code != 200 or "Content-Encoding" in response.headers \
                or response.mimetype not in config.get("COMPRESS_MIMETYPES", ()):
            return response
        kind_key = kept_as(request)
        if kind_key is None:
            return response
        kind, key = kind_key
        encoding = chosen_encoding(request.headers.get("Accept-Encoding", ""), kind)
        if encoding is None:
            return response
        response.direct_passthrough = False  # a file sent by Flask: read it
        if (response.content_length or 0) < config.get("COMPRESS_MIN_SIZE", 500):
            return response
        response.set_data(answers.body(kind, key, encoding, response.get_data))
        response.headers["Content-Encoding"] = encoding
        response.headers["Content-Length"] = str(response.content_length)
        # Vary: Accept-Encoding is added by flask-compress, whose hook runs next on every
        # response, compressed here or not.
        etag, weak = response.get_etag()
        if etag and not weak:  # another representation, another validator
            response.set_etag(f"{etag}:{encoding}")
            # A browser revalidates with the validator it was given: answer 304 to it.
            response.make_conditional(request.environ)
        return response


def server(name: str) -> tuple[flask.Flask, CompressedAnswers]:
    """A Flask server and the store of its kept responses (pass the server to Dash as
    ``server=`` with ``compress=True``, then call :func:`install`)."""
    return flask.Flask(name), CompressedAnswers()
