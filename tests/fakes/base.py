"""The scaffold the fake servers share: a threaded HTTP server on 127.0.0.1, a request log,
a queue of injected failures and the failures every fake knows (timeout, truncated body).

A fake subclasses :class:`FakeServer`, sets the class attributes that describe it
(``url_path``, ``server_version``, ``injection_kinds``, …) and implements
``_handle(request: Incoming) -> Response``.
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

__all__ = [
    "FakeHandler",
    "FakeServer",
    "Incoming",
    "Injection",
    "Response",
    "apply_injection",
    "WRAPPING_FAILURES",
    "cut_in_half",
    "delayed",
    "incomplete",
]


@dataclass
class Response:
    """What the handler sends; ``mode`` covers the broken transports injected by tests."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    mode: str = "normal"  # normal | reset (connection reset) | incomplete (half the body)
    delay: float = 0.0


@dataclass(frozen=True)
class Incoming:
    """One request as the HTTP handler read it, handed to the fake's ``_handle``."""

    method: str
    path: str  # raw, with the query string
    body: bytes
    user_agent: str | None
    client: str


@dataclass
class Injection:
    """A queued failure for the next ``remaining`` matching requests."""

    kind: str
    remaining: int
    delay: float = 3.0
    path_contains: str = ""
    method: str | None = None
    retry_after: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and self.path_contains in path
            and (self.method is None or self.method.upper() == method)
        )


def delayed(inj: Injection, response: Response) -> Response:
    """The real answer, sent after ``inj.delay`` seconds (or when the fake stops)."""
    response.delay = inj.delay
    return response


def incomplete(inj: Injection, response: Response) -> Response:
    """Announce the whole body, send half of it and close: a transfer cut short."""
    response.mode = "incomplete"
    return response


def cut_in_half(inj: Injection, response: Response) -> Response:
    """The real answer with half its body, under an honest Content-Length."""
    response.body = response.body[: len(response.body) // 2]
    return response


#: Failures that damage the real answer on its way out, as every fake knows them.
WRAPPING_FAILURES: dict[str, Callable[[Injection, Response], Response]] = {
    "timeout": delayed,
    "truncated": cut_in_half,
    "incomplete": incomplete,
}


def apply_injection(
    inj: Injection,
    normal: Callable[[], Response],
    fixed: Mapping[str, Callable[[Injection], Response]],
    wrapping: Mapping[str, Callable[[Injection, Response], Response]],
) -> Response:
    """Apply one injected failure; the real answer is only computed when a failure needs it."""
    if inj.kind in wrapping:
        return wrapping[inj.kind](inj, normal())
    return fixed[inj.kind](inj)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Clients that time out or hang up are expected here; stay quiet about them."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class FakeHandler(BaseHTTPRequestHandler):
    """Thin HTTP adapter: reads the request, asks the fake, writes (or sabotages) the answer.

    Answers GET only, and POST too when the fake sets ``accepts_post``.
    """

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK (~40 ms per request on Linux), which no real server adds.
    disable_nagle_algorithm = True
    sys_version = ""
    fake: FakeServer

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Incoming(
            self.command, self.path, body, self.headers.get("User-Agent"), self.client_address[0]
        )
        response = self.fake._handle(request)
        if response.delay:
            self.fake._stopping.wait(response.delay)
        if response.mode == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        try:
            self._write(response)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request stderr log; the fake's ``requests`` is the log."""

    def _write(self, response: Response) -> None:
        body = response.body
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.mode == "incomplete":
            self.send_header("Connection", "close")
            body = body[: len(body) // 2]
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)


class FakeServer:
    """Lifecycle, request log and injection queue of a fake; use as a context manager."""

    #: Path appended to ``http://127.0.0.1:<port>`` in :attr:`base_url`.
    url_path: str = ""
    #: The ``Server`` header, as the real service sends it.
    server_version: str = "BaseHTTP"
    accepts_post: bool = False
    injection_kinds: frozenset[str] = frozenset()
    #: Content type of the 500 that reports a bug in the fake itself.
    text_type: str = "text/plain"

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self._injections: list[Injection] = []
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        self._stopping.clear()
        attrs = {"fake": self, "server_version": self.server_version}
        if self.accepts_post:
            attrs["do_POST"] = FakeHandler.do_GET
        handler = type("Handler", (FakeHandler,), attrs)
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.url_path}"

    # -- request log -------------------------------------------------------------------------
    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def _answer_logged(self, record: Any, answer: Callable[[], Response]) -> Response:
        """Log ``record``, answer, and note the status; a bug in the fake becomes a 500."""
        with self._lock:
            self.requests.append(record)
        try:
            response = answer()
        except Exception:  # a bug in the fake must show up in the test, not hang it
            response = Response(500, self.text_type, traceback.format_exc().encode())
        record.status = response.status
        return response

    # -- injections --------------------------------------------------------------------------
    def _queue(self, injection: Injection) -> None:
        kinds = self.injection_kinds
        if injection.kind not in kinds:
            raise ValueError(f"unknown injection {injection.kind!r}; choose from {sorted(kinds)}")
        with self._lock:
            self._injections.append(injection)

    def _take_injection(self, method: str, path: str) -> Injection | None:
        """The first queued failure matching the request, counted down and dropped when spent."""
        with self._lock:
            for inj in self._injections:
                if inj.matches(method, path):
                    inj.remaining -= 1
                    if not inj.remaining:
                        self._injections.remove(inj)
                    return inj
        return None

    def _handle(self, request: Incoming) -> Response:
        raise NotImplementedError
