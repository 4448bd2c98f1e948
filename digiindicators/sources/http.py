"""One HTTP client for every source: timeouts, retries, a rate limiter and typed errors.

Statistics Finland counts every request against a sliding window (today 40 calls per
60 s) and answers 429 with ``Retry-After`` when it is exceeded; other failures are 5xx,
timeouts, truncated bodies and 4xx pages that are not JSON. Handling them in one place
means each source client only describes its URLs and formats.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import requests

from ..config import DEFAULT_USER_AGENT
from ..errors import BadQuery, MalformedResponse, NotFound, RateLimited, SourceError

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger(__name__)

#: Longest single wait we accept from a Retry-After header; a larger value means the
#: server wants us gone for a long time, and a scheduled refresh should rather fail.
MAX_RETRY_AFTER = 180.0


class RateLimiter:
    """Client-side sliding-window limiter that stays a margin below the server's limit.

    Keeping requests under the limit is cheaper than recovering from 429s: the server's
    penalty is a full window. ``margin`` leaves room for clock differences between the
    client's send time and the server's arrival time.
    """

    def __init__(
        self,
        max_calls: int,
        window: float,
        *,
        margin: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.configure(max_calls, window, margin=margin)
        self._clock = clock
        self._sleep = sleep
        self._calls: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = threading.Lock()
        self.waited = 0.0

    def configure(self, max_calls: int, window: float, *, margin: float = 0.1) -> None:
        """Adopt the server's limits (read from its configuration endpoint)."""
        if max_calls < 1 or window <= 0:
            raise ValueError(f"Invalid rate limit {max_calls} calls / {window} s.")
        self.max_calls = max(1, math.floor(max_calls * (1.0 - margin)))
        self.window = float(window)
        # Arrival at the server happens after our timestamp; pad the window a little.
        self._pad = min(0.25, 0.05 * self.window)

    def acquire(self) -> None:
        """Block until one more call fits in the window, then record it."""
        with self._lock:
            while True:
                now = self._clock()
                while self._calls and self._calls[0] <= now - self.window - self._pad:
                    self._calls.popleft()
                wait = self._blocked_until - now
                if len(self._calls) >= self.max_calls:
                    wait = max(wait, self._calls[0] + self.window + self._pad - now)
                if wait <= 0:
                    self._calls.append(now)
                    return
                self.waited += wait
                self._sleep(wait)

    def recent_calls(self) -> list[float]:
        """Wall-clock times of the calls still inside the window (to hand to the next run)."""
        with self._lock:
            offset = time.time() - self._clock()
            return [t + offset for t in self._calls]

    def remember(self, wall_times: list[float]) -> None:
        """Count calls an earlier process made; the server's window does not restart with us."""
        with self._lock:
            offset = time.time() - self._clock()
            horizon = self._clock() - self.window - self._pad
            earlier = sorted(t - offset for t in wall_times if t - offset > horizon)
            self._calls = deque(sorted([*earlier, *self._calls]))

    def block_for(self, seconds: float) -> None:
        """After a 429, hold every caller back for the server's Retry-After."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)


@dataclass
class CallStats:
    """What a client did, for the refresh summary and the benchmarks."""

    calls: int = 0
    retries: int = 0
    rate_limited: int = 0
    bytes_received: int = 0

    def add(self, other: CallStats) -> None:
        self.calls += other.calls
        self.retries += other.retries
        self.rate_limited += other.rate_limited
        self.bytes_received += other.bytes_received


def parse_retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return default
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return default
        seconds = parsed.timestamp() - time.time()
    return max(0.0, seconds)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class HttpClient:
    """requests.Session wrapper shared by a source client.

    ``status_errors`` lets a source say what a status means for it: a PxWeb 403 is a
    query that is too large, a Sotkanet 403 is a missing User-Agent.
    """

    def __init__(
        self,
        *,
        source: str,
        user_agent: str,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 1.0,
        limiter: RateLimiter | None = None,
        status_errors: dict[int, type[SourceError]] | None = None,
        hint: str = "",
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ):
        self.source = source
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.limiter = limiter
        self.status_errors = {400: BadQuery, 404: NotFound, **(status_errors or {})}
        self.hint = hint
        self.stats = CallStats()
        self._sleep = sleep
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = user_agent

    def close(self) -> None:
        self._session.close()

    # ---- public helpers -------------------------------------------------------------
    def get_json(self, url: str, *, params: dict[str, Any] | None = None) -> tuple[Any, bytes]:
        """GET and parse JSON; returns the parsed object and the raw body as received."""
        return self.request("GET", url, params=params, parse=parse_json)

    def post_json(self, url: str, body: Any, *, parse: Callable[[bytes], Any] | None = None):
        """POST a JSON body; the response body is checked by ``parse`` (JSON by default)."""
        return self.request("POST", url, json=body, parse=parse or parse_json)

    # ---- the retry loop -------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        parse: Callable[[bytes], Any],
        **kwargs: Any,
    ) -> tuple[Any, bytes]:
        """Send with retries; returns ``(parse(body), body)``.

        Retried: connection errors, timeouts, 5xx, 429 (after Retry-After) and 200 bodies
        that do not parse (a truncated transfer). Not retried: other 4xx, which mean the
        request itself is wrong and repeating it only burns the rate limit.
        """
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.stats.retries += 1
            if self.limiter is not None:
                self.limiter.acquire()
            try:
                response = self._session.request(method, url, timeout=self.timeout, **kwargs)
                body = response.content
            except requests.Timeout:
                last_problem = f"no answer within {self.timeout:g} s"
                self._backoff(attempt, last_problem, url)
                continue
            except requests.RequestException as exc:
                last_problem = f"connection failed ({type(exc).__name__})"
                self._backoff(attempt, last_problem, url)
                continue
            self.stats.calls += 1
            self.stats.bytes_received += len(body)
            status = response.status_code
            if status == 429:
                self.stats.rate_limited += 1
                wait = parse_retry_after(response.headers.get("Retry-After"), self.backoff * 2)
                last_problem = f"HTTP 429 (rate limit), Retry-After {wait:g} s"
                if wait > MAX_RETRY_AFTER:
                    break
                log.warning("%s: %s for %s", self.source, last_problem, url)
                if self.limiter is not None:
                    self.limiter.block_for(wait)
                else:
                    self._sleep(wait)
                continue
            if status >= 500:
                last_problem = f"HTTP {status} (server error)"
                self._backoff(attempt, last_problem, url)
                continue
            if status >= 400:
                raise self._status_error(status, response, url)
            try:
                return parse(body), body
            except MalformedResponse as exc:
                last_problem = str(exc)
                self._backoff(attempt, last_problem, url)
                continue
        error = RateLimited if last_problem.startswith("HTTP 429") else SourceError
        raise error(
            f"{self.source}: {method} {url} failed after {self.max_retries + 1} attempts: "
            f"{last_problem}. {self.hint}".strip(),
            url=url,
        )

    def _backoff(self, attempt: int, problem: str, url: str) -> None:
        if attempt >= self.max_retries:
            return
        delay = self.backoff * (2**attempt) * (0.5 + random.random() / 2)
        log.warning("%s: %s for %s; retrying in %.1f s", self.source, problem, url, delay)
        self._sleep(delay)

    def _status_error(self, status: int, response: requests.Response, url: str) -> SourceError:
        kind = self.status_errors.get(status, SourceError)
        content_type = response.headers.get("Content-Type", "")
        text = response.text if "html" not in content_type.lower() else "an HTML error page"
        message = f"{self.source}: HTTP {status} for {url}: {_short(text)}"
        return kind(message, url=url, status=status)


def parse_json(body: bytes, what: str = "the body") -> Any:
    """``json.loads``; a body that is not JSON raises :class:`MalformedResponse` (retried by
    :meth:`HttpClient.request`: it is usually a transfer cut short)."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedResponse(f"{what} ({len(body)} bytes) is not valid JSON: {exc}") from exc


class SourceClient:
    """What every source client shares: one :class:`HttpClient`, its stats and ``with``.

    A subclass names its service in ``source`` and ``hint`` (what the errors say) and, if a
    status means something special there, in ``status_errors``; the constructor builds the
    HTTP client from them. PxWeb, which adds a rate limiter, builds its own.
    """

    http: HttpClient
    source: str = ""
    hint: str = ""
    status_errors: dict[int, type[SourceError]] = {}

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        http: HttpClient | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.http = http or HttpClient(
            source=self.source,
            user_agent=user_agent,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            status_errors=self.status_errors,
            hint=self.hint,
            sleep=sleep,
        )

    @classmethod
    def _from_settings(cls, base_url: str, settings: Settings) -> Self:
        """``cls(base_url, …)`` with the HTTP options of ``settings``."""
        return cls(
            base_url,
            user_agent=settings.user_agent,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            backoff=settings.backoff,
        )

    @property
    def stats(self) -> CallStats:
        return self.http.stats

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
