"""What the cache holds, per source job and per indicator: last success, the source's own
updated date, and whether it is stale — with the reason, so whoever runs the refresh knows
what to fix.

Stale means any of: the last refresh of that job failed (its previous data is in use),
the current download is damaged (the previous copy is in use), it was never downloaded,
or it has not been refreshed successfully for :data:`STALE_AFTER_DAYS` days (a scheduled
refresh that silently stopped).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from .catalog import Catalog, load_catalog
from .store import Store, generation_blobs

STALE_AFTER_DAYS = 14
SOURCE_COLUMNS = ["source", "indicators", "last_success", "source_updated", "stale", "problem"]
INDICATOR_COLUMNS = ["indicator", "sources", "last_success", "source_updated", "stale", "reason"]
NEVER = "ei koskaan haettu / never downloaded"


def _age_problem(last_success: str, now: datetime) -> str:
    try:
        when = datetime.fromisoformat(last_success.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if now - when > timedelta(days=STALE_AFTER_DAYS):
        days = (now - when).days
        return f"ei päivitetty {days} päivään / not refreshed for {days} days"
    return ""


def _entry_status(store: Store, entry: dict[str, Any], now: datetime) -> tuple[bool, str]:
    if entry.get("stale"):
        return True, entry.get("last_error") or "stale"
    current = entry.get("current")
    if current and not all(store.blob_ok(b) for b in generation_blobs(current)):
        fallback = entry.get("previous")
        usable = fallback and all(store.blob_ok(b) for b in generation_blobs(fallback))
        return True, (
            "nykyinen kopio vioittunut, käytössä edellinen / current copy damaged, previous in use"
            if usable
            else "tallennettu kopio vioittunut / stored copy damaged; run the refresh"
        )
    if not current and not entry.get("previous"):
        return True, NEVER
    problem = _age_problem(entry.get("last_success") or "", now)
    return bool(problem), problem


def status_table(cache_dir: str | Path, *, now: datetime | None = None) -> pd.DataFrame:
    """One row per stored job (``pxweb:…``, ``sotkanet:…``, ``geo:…``)."""
    store = Store(cache_dir)
    return _job_rows(store, store.manifest(), now or datetime.now(UTC))


def _job_rows(store: Store, manifest: dict[str, Any], now: datetime) -> pd.DataFrame:
    rows = []
    for key, entry in sorted(manifest["entries"].items()):
        current = entry.get("current") or entry.get("previous") or {}
        stale, problem = _entry_status(store, entry, now)
        rows.append(
            {
                "source": key,
                "indicators": ", ".join(entry.get("indicators", [])),
                "last_success": entry.get("last_success") or "",
                "source_updated": current.get("source_updated") or "",
                "stale": stale,
                "problem": problem,
            }
        )
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def indicator_status(
    cache_dir: str | Path, *, catalog: Catalog | None = None, now: datetime | None = None
) -> pd.DataFrame:
    """One row per catalog indicator; a derived indicator is as stale as its stalest input."""
    catalog = catalog or load_catalog()
    store = Store(cache_dir)
    manifest = store.manifest()
    by_source = _job_rows(store, manifest, now or datetime.now(UTC)).set_index("source")
    entries = manifest["entries"]
    rows = []
    for ind in catalog.indicators:
        keys = [ind.source.job] if ind.source.job else list(ind.source.inputs)
        known = [k for k in keys if k in by_source.index]
        reasons = [f"{k}: {NEVER}" for k in keys if k not in by_source.index]
        # A content gone from its table fails this indicator even when the table refreshed.
        reasons += [
            f"{k}: {entries[k]['failed_indicators'][ind.id]}"
            for k in known
            if ind.id in (entries.get(k, {}).get("failed_indicators") or {})
        ]
        reasons += [
            f"{k}: {by_source.at[k, 'problem']}" if len(keys) > 1 else by_source.at[k, "problem"]
            for k in known
            if by_source.at[k, "stale"]
        ]
        successes = [
            by_source.at[k, "last_success"] for k in known if by_source.at[k, "last_success"]
        ]
        rows.append(
            {
                "indicator": ind.id,
                "sources": ", ".join(keys),
                "last_success": min(successes) if successes and len(known) == len(keys) else "",
                "source_updated": ", ".join(str(by_source.at[k, "source_updated"]) for k in known),
                "stale": bool(reasons),
                "reason": "; ".join(reasons),
            }
        )
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
