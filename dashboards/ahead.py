"""Parts rendered ahead: a part the browser will ask for next, rendered once the answer
that announces it has been sent.

Why: the index sends a new weight set in two answers (:mod:`dashboards.views.deferred`):
the chart, then the rank ranges and the table, which the browser asks for as soon as the
chart's answer arrives. Rendering the second part takes longer than the first for the
whole country (36 scenarios and a 308-row table), and the server sat idle in between: the
chart's answer crossed the network, the browser drew it and sent the next request. Here
the part is rendered in that gap, in one background thread, so the request finds it done
(or waits for the rest of it, never rendering it twice).

Why after the answer is sent, not at once: Python runs one thread at a time, so a part
rendered while the chart's answer is still being serialised, compressed and written
makes that answer wait for it (measured: the chart's server time went from 4 to 7 ms).
The job is queued when the WSGI server closes the chart's response, after its body has
been handed over.

Bounded: one worker; at most :data:`MAX_WAITING` jobs wait, and a new one pushes out the
oldest waiting (a reader who changed the weights again no longer needs it). A request
waits for its part's job at most :data:`MAX_WAIT_SECONDS`, then renders the part itself.
A job that fails is logged and forgotten: its request renders the part and meets the
error where it is handled. What a job renders is exactly what the request would have
rendered, under the same key of the same bounded render cache.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any

import flask

log = logging.getLogger(__name__)

MAX_WAITING = 2
MAX_WAIT_SECONDS = 2.0


class RenderAhead:
    """One background worker rendering parts ahead, and the requests waiting for them."""

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self.max_waiting = max_waiting
        self._waiting: collections.OrderedDict[Hashable, Callable[[], Any]] = \
            collections.OrderedDict()
        self._pending: dict[Hashable, threading.Event] = {}  # queued or being rendered
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self.counts = {"rendered": 0, "dropped": 0, "failed": 0, "waited": 0}

    def after_response(self, key: Hashable, build: Callable[[], Any]) -> None:
        """Queue ``build`` (which renders and keeps the part of ``key``) once the current
        Flask response has been handed to the server; at once outside a request."""
        if not flask.has_request_context():
            self.submit(key, build)
            return

        def when_closed(response: flask.Response) -> flask.Response:
            response.call_on_close(lambda: self.submit(key, build))
            return response

        flask.after_this_request(when_closed)

    def submit(self, key: Hashable, build: Callable[[], Any]) -> None:
        """Queue ``build`` under ``key`` unless that key is already queued or rendering."""
        with self._lock:
            if key in self._pending:
                return
            if len(self._waiting) >= self.max_waiting:
                dropped, _ = self._waiting.popitem(last=False)
                self._pending.pop(dropped).set()
                self.counts["dropped"] += 1
            self._waiting[key] = build
            self._pending[key] = threading.Event()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="digiindicators-ahead",
                                                daemon=True)
                self._thread.start()
            self._wake.notify()

    def wait(self, key: Hashable, timeout: float = MAX_WAIT_SECONDS) -> None:
        """Return once the job of ``key`` (if any) has ended, or after ``timeout``."""
        with self._lock:
            done = self._pending.get(key)
            if done is not None:
                self.counts["waited"] += 1
        if done is not None:
            done.wait(timeout)

    def idle(self, timeout: float = MAX_WAIT_SECONDS) -> bool:
        """Whether every queued job has ended within ``timeout`` (tests, benchmarks)."""
        with self._lock:
            events = list(self._pending.values())
        return all(event.wait(timeout) for event in events)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {**self.counts, "pending": len(self._pending)}

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._waiting:
                    self._wake.wait()
                key, build = self._waiting.popitem(last=False)
            outcome = "rendered"
            try:
                build()
            except Exception as exc:  # noqa: BLE001 - the request meets it again
                outcome = "failed"
                log.info("A part rendered ahead failed (its request renders it): %r", exc)
            finally:
                with self._lock:
                    self.counts[outcome] += 1
                    self._pending.pop(key).set()
