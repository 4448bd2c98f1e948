"""What the cache holds: per source table, last success, the source's date, staleness."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .store import Store


def status_table(cache_dir: str | Path) -> pd.DataFrame:
    """One row per stored source table, for ``digiindicators status`` and the dashboard."""
    manifest = Store(cache_dir).manifest()
    rows = []
    for key, entry in sorted(manifest["entries"].items()):
        current = entry.get("current") or {}
        rows.append(
            {
                "source": key,
                "indicators": ", ".join(entry.get("indicators", [])),
                "last_success": entry.get("last_success") or "",
                "source_updated": current.get("source_updated") or "",
                "stale": bool(entry.get("stale")),
                "problem": entry.get("last_error") or "",
            }
        )
    return pd.DataFrame(
        rows, columns=["source", "indicators", "last_success", "source_updated", "stale", "problem"]
    )
