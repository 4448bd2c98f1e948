"""Statistics Finland PxWeb API v1 client.

Reads the server's limits from ``?config`` before anything else and adopts them (with
a margin) in the shared rate limiter, because the limits have changed before (30 per
10 s in old documentation, 40 per 60 s in 2026). Answers are returned together with
the raw bytes so the store can keep exactly what was received.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..errors import MalformedResponse, QueryTooLarge, SourceError
from .http import HttpClient, RateLimiter, SourceClient
from .jsonstat import check_jsonstat2
from .pxweb_query import TableMetadata

log = logging.getLogger(__name__)

#: Used until ``?config`` has been read: the strictest limit ever documented.
BOOTSTRAP_LIMIT = (30, 10.0)
HINT = (
    "Statistics Finland may be down or the table moved; the last good data is kept. "
    "Try again later or check https://pxdata.stat.fi."
)


@dataclass(frozen=True)
class Limits:
    """The server's published limits (``GET …/{lang}/?config``)."""

    max_calls: int
    time_window: float
    max_cells: int
    max_values: int

    @property
    def cell_limit(self) -> int:
        return min(self.max_cells, self.max_values)

    @classmethod
    def from_json(cls, obj: Any) -> Limits:
        try:
            return cls(
                max_calls=int(obj["maxCalls"]),
                time_window=float(obj["timeWindow"]),
                max_cells=int(obj.get("maxCells") or obj["maxValues"]),
                max_values=int(obj.get("maxValues") or obj["maxCells"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedResponse(f"PxWeb ?config lacks a limit ({exc}): {obj!r}") from exc


class PxWebClient(SourceClient):
    """Talks to one PxWeb v1 service (``base_url`` ends in ``/api/v1``)."""

    def __init__(
        self,
        base_url: str,
        *,
        lang: str = "fi",
        user_agent: str = "digiindicators",
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 1.0,
        margin: float = 0.1,
        http: HttpClient | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.margin = margin
        self.limiter = RateLimiter(*BOOTSTRAP_LIMIT, margin=margin)
        self.http = http or HttpClient(
            source="Tilastokeskus PxWeb",
            user_agent=user_agent,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            limiter=self.limiter,
            status_errors={403: QueryTooLarge},
            hint=HINT,
        )
        self._limits: Limits | None = None

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{self.lang}/{path.strip('/')}".rstrip("/")

    def limits(self) -> Limits:
        """Read and adopt the server's limits once per client."""
        if self._limits is None:
            obj, _ = self.http.get_json(self.url() + "/?config")
            self._limits = Limits.from_json(obj)
            self.limiter.configure(
                self._limits.max_calls, self._limits.time_window, margin=self.margin
            )
            log.info("PxWeb limits: %s", self._limits)
        return self._limits

    def listing(self, folder: str) -> list[dict[str, Any]]:
        """Items of a database folder: ``[{id, type, text, updated?}]``."""
        obj, _ = self.http.get_json(self.url(folder))
        if not isinstance(obj, list):
            raise MalformedResponse(f"PxWeb listing of {folder} is not a list.")
        return obj

    def metadata(self, table: str) -> tuple[TableMetadata, bytes]:
        obj, raw = self.http.get_json(self.url(table))
        return TableMetadata.from_json(obj, table=table), raw

    def query(self, table: str, body: dict[str, Any]) -> bytes:
        """POST one query; returns the json-stat2 body after checking its structure."""
        try:
            _, raw = self.http.post_json(self.url(table), body, parse=check_jsonstat2)
        except QueryTooLarge as exc:
            raise QueryTooLarge(
                f"{exc} The query was planned within the published cell limit, so the "
                "server's limit may have dropped; the next refresh re-reads ?config.",
                url=exc.url,
                status=exc.status,
            ) from exc
        return raw


def table_updated(listing: list[dict[str, Any]], table_id: str) -> str | None:
    """The ``updated`` stamp of a table in its folder listing (None when absent)."""
    for item in listing:
        if item.get("id") == table_id and item.get("type") == "t":
            return item.get("updated")
    raise SourceError(
        f"Table {table_id} is not in its folder listing; it may have been renamed or moved "
        "to StatFin_Passiivi. Check the table id in catalog.toml."
    )
