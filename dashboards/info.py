"""What the page must tell readers about the data: example or real, how fresh, per source.

Kept apart from the app so the CLI, tests and notebooks build it without importing Dash
callbacks. ``DataInfo(demo, refreshed_at, cache_dir, stale)`` is the original signature;
``sources`` was added later with a default, so older callers keep working.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class SourceStatus:
    """One stored source table, as ``digiindicators.status.status_table`` reports it."""

    source: str  # job key: "pxweb:StatFin/vaerak/11ra.px", "sotkanet:180", "geo:boundaries"
    indicators: str = ""  # comma-separated indicator ids
    last_success: str = ""  # ISO timestamp of the last successful download
    source_updated: str = ""  # the source's own "updated" stamp
    stale: bool = False
    problem: str = ""  # why the last refresh failed, when it did

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> tuple[SourceStatus, ...]:
        """Rows of ``status_table(cache_dir)``; unknown columns are ignored."""
        if frame is None or frame.empty:
            return ()
        out = []
        for rec in frame.to_dict("records"):
            out.append(cls(
                source=str(rec.get("source") or ""),
                indicators=str(rec.get("indicators") or ""),
                last_success=str(rec.get("last_success") or ""),
                source_updated=str(rec.get("source_updated") or ""),
                stale=bool(rec.get("stale")),
                problem=str(rec.get("problem") or ""),
            ))
        return tuple(out)


@dataclass(frozen=True)
class DataInfo:
    """What the page must tell readers about the data it was given."""

    demo: bool  # True when the numbers are the embedded example data, not real statistics
    refreshed_at: str | None  # ISO timestamp of the last successful refresh
    cache_dir: str  # shown in the "how to refresh" hint
    stale: tuple[str, ...] = ()  # names of sources whose data is stale
    sources: tuple[SourceStatus, ...] = ()  # per-source freshness; empty = derive from panel

    @classmethod
    def from_panel(
        cls,
        panel: pd.DataFrame,
        cache_dir: str | Path,
        status: pd.DataFrame | Iterable[SourceStatus] | None = None,
    ) -> DataInfo:
        """Read ``panel.attrs`` (set by ``digiindicators.load``) and an optional status table."""
        attrs: dict[str, Any] = dict(getattr(panel, "attrs", {}) or {})
        if isinstance(status, pd.DataFrame) or status is None:
            sources = SourceStatus.from_frame(status)
        else:
            sources = tuple(status)
        stale = tuple(attrs.get("stale") or ())
        stale += tuple(s.source for s in sources if s.stale and s.source not in stale)
        return cls(
            demo=bool(attrs.get("demo")),
            refreshed_at=attrs.get("refreshed_at"),
            cache_dir=str(cache_dir),
            stale=stale,
            sources=sources,
        )


def served_store(cache_dir: str | Path | None) -> tuple[pd.DataFrame, DataInfo]:
    """The panel the dashboard serves from ``cache_dir`` and what the page says about it.

    The store described is the one actually read: the cache, or the embedded example
    snapshot when the cache is empty (``digiindicators.load`` says which in
    ``panel.attrs["cache_dir"]``). One place for the dashboard command and the benchmarks,
    so they serve the same thing.
    """
    from digiindicators import load
    from digiindicators.config import Settings
    from digiindicators.status import status_table

    panel = load(cache_dir)
    used = panel.attrs.get("cache_dir") or Settings.from_env(cache_dir).cache_dir
    return panel, DataInfo.from_panel(panel, used, status_table(used))
