"""Plan and run a refresh: download what changed, keep the last good data on failure.

A refresh walks the catalog's source tables. For each one it reads the folder listing's
``updated`` stamp; a table whose stamp and request are unchanged is skipped without a
metadata or data call. Otherwise it reads the table's metadata, resolves today's codes,
plans queries under the cell limit and stores the raw answers. Any failure of one table
is recorded against that table only: its previous download stays current (and is marked
stale), the others go on, and the exit code says that something failed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from tqdm.auto import tqdm

from .areas import areas as area_table
from .catalog import Catalog, load_catalog
from .config import Settings
from .errors import DigiIndicatorsError, SourceError
from .sources.http import CallStats
from .sources.pxweb import PxWebClient, table_updated
from .sources.pxweb_query import minimum_calls, plan_queries, resolve
from .store import Store, atomic_write, utc_now

log = logging.getLogger(__name__)


@dataclass
class TableOutcome:
    """What happened to one source table."""

    key: str
    status: str  # "fetched" | "up_to_date" | "failed"
    indicators: list[str]
    message: str = ""
    data_calls: int = 0
    minimum_data_calls: int = 0


@dataclass
class RefreshReport:
    """Summary of a refresh; ``exit_code`` follows the command-line contract."""

    outcomes: list[TableOutcome] = field(default_factory=list)
    stats: CallStats = field(default_factory=CallStats)
    started_at: str = ""
    finished_at: str = ""

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[TableOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        lines = [
            f"Taulukoita haettu {self.count('fetched')}, ajan tasalla {self.count('up_to_date')}, "
            f"epäonnistui {self.count('failed')} / tables fetched {self.count('fetched')}, "
            f"up to date {self.count('up_to_date')}, failed {self.count('failed')}.",
            f"HTTP-kutsuja / HTTP calls: {self.stats.calls} (429-vastauksia / 429s: "
            f"{self.stats.rate_limited}, uusintoja / retries: {self.stats.retries}).",
        ]
        if self.outcomes and not self.count("fetched") and not self.failed:
            lines.insert(0, "Kaikki tiedot ajan tasalla / everything up to date.")
        for outcome in self.failed:
            lines.append(
                f"EPÄONNISTUI / FAILED {outcome.key} ({', '.join(outcome.indicators)}): "
                f"{outcome.message} Edelliset tiedot säilytettiin / previous data kept."
            )
        if self.failed:
            lines.append(
                "Korjaa tai odota ja aja `digiindicators refresh` uudelleen; "
                "`digiindicators status` näyttää vanhentuneet tiedot. / Fix or wait and run "
                "`digiindicators refresh` again; `digiindicators status` lists stale data."
            )
        return "\n".join(lines)


def entry_key(source: str, table: str) -> str:
    return f"{source}:{table}"


def _signature(request: dict[str, Any]) -> str:
    body = json.dumps(request, sort_keys=True).encode()
    return hashlib.sha256(body).hexdigest()[:16]


def refresh(
    settings: Settings | None = None,
    *,
    only: Iterable[str] | None = None,
    force: bool = False,
    progress: bool | None = None,
    catalog: Catalog | None = None,
) -> RefreshReport:
    """Refresh the cache from the sources; never raises for a source failure.

    ``only`` limits the refresh to some indicator ids; ``force`` re-downloads tables
    even when their ``updated`` stamp is unchanged.
    """
    settings = settings or Settings.from_env()
    catalog = catalog or load_catalog()
    tables = catalog.tables_for(list(only) if only else None)
    region = area_table(settings.region)
    store = Store(settings.cache_dir)
    report = RefreshReport(started_at=utc_now())
    show = sys.stderr.isatty() if progress is None else progress
    with store.lock():
        client = PxWebClient(
            settings.pxweb_url,
            lang=settings.lang,
            user_agent=settings.user_agent,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            backoff=settings.backoff,
            margin=settings.rate_margin,
        )
        calls_file = store.root / "pxweb-calls.json"
        client.limiter.remember(_read_calls(calls_file))
        try:
            _refresh_pxweb(client, store, catalog, tables, region.codes, force, report, show)
        finally:
            report.stats.add(client.http.stats)
            client.close()
            _write_calls(calls_file, client.limiter.recent_calls())
        store.update(lambda m: m.__setitem__("refreshed_at", utc_now()))
        store.prune()
    report.finished_at = utc_now()
    log.info("%s", report.summary())
    return report


def _read_calls(path) -> list[float]:
    """Call times of the previous refresh, so back-to-back runs respect the same window."""
    try:
        return [float(t) for t in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return []


def _write_calls(path, times: list[float]) -> None:
    try:
        atomic_write(path, json.dumps(times).encode())
    except DigiIndicatorsError as exc:
        log.warning("Could not save the rate-limit window: %s", exc)


def _refresh_pxweb(client, store, catalog, tables, area_codes, force, report, show) -> None:
    listings: dict[str, list[dict[str, Any]] | DigiIndicatorsError] = {}
    try:
        limits = client.limits()
    except DigiIndicatorsError as exc:
        for path, indicators in tables.items():
            _record_failure(store, report, path, indicators, f"PxWeb ?config failed: {exc}")
        return
    bar = tqdm(tables.items(), desc="digiindicators refresh", unit="taulukko", disable=not show)
    for path, indicators in bar:
        ids = [ind.id for ind in indicators]
        bar.set_postfix_str(PurePosixPath(path).name)
        spec = catalog.table(path)
        folder = str(PurePosixPath(path).parent)
        request = {
            "contents": sorted({c for ind in indicators for c in ind.source.contents()}),
            "areas": sorted(area_codes),
            "first_year": spec.first_year,
            "keep_all": list(spec.keep_all),
        }
        key = entry_key("pxweb", path)
        try:
            if folder not in listings:
                try:
                    listings[folder] = client.listing(folder)
                except DigiIndicatorsError as exc:
                    listings[folder] = exc
            listing = listings[folder]
            if isinstance(listing, DigiIndicatorsError):
                raise listing
            updated = table_updated(listing, PurePosixPath(path).name)
            current = store.manifest()["entries"].get(key, {}).get("current")
            if not force and _is_up_to_date(store, current, updated, _signature(request)):
                report.outcomes.append(TableOutcome(key, "up_to_date", ids))
                store.update(lambda m, k=key: _mark_ok(m, k))
                continue
            outcome = _download_table(client, store, path, request, updated, limits, ids)
            report.outcomes.append(outcome)
        except DigiIndicatorsError as exc:
            _record_failure(store, report, path, indicators, str(exc))


def _is_up_to_date(store: Store, current, updated: str | None, signature: str) -> bool:
    if not current or current.get("signature") != signature or updated is None:
        return False
    if current.get("source_updated") != updated:
        return False
    # A corrupt or missing blob means the data must be fetched again.
    return all(store.blob_ok(part["blob"]) for part in current.get("parts", []))


def _download_table(client, store, path, request, updated, limits, ids) -> TableOutcome:
    meta, meta_raw = client.metadata(path)
    resolved = resolve(
        meta,
        path=path,
        contents=request["contents"],
        areas=request["areas"],
        first_year=request["first_year"],
        keep_all=request["keep_all"],
    )
    bodies = plan_queries(resolved, limits.cell_limit)
    parts = []
    for body in bodies:
        raw = client.query(path, body)
        cells = 1
        for item in body["query"]:
            cells *= len(item["selection"]["values"])
        parts.append(
            {"blob": store.put_blob(raw), "query": body, "cells": cells, "bytes": len(raw)}
        )
    generation = {
        "fetched_at": utc_now(),
        "source_updated": updated,
        "url": client.url(path),
        "signature": _signature(request),
        "request": request,
        "resolved": resolved.describe(),
        "title": meta.title,
        "metadata_blob": store.put_blob(meta_raw),
        "parts": parts,
    }
    key = entry_key("pxweb", path)

    def commit(manifest: dict[str, Any]) -> None:
        entry = manifest["entries"].setdefault(key, {"source": "pxweb", "table": path})
        entry["table_id"] = PurePosixPath(path).name.removesuffix(".px")
        entry["indicators"] = ids
        entry["previous"] = entry.get("current")
        entry["current"] = generation
        entry["last_attempt"] = generation["fetched_at"]
        entry["last_success"] = generation["fetched_at"]
        entry["last_error"] = None
        entry["stale"] = False

    store.update(commit)
    return TableOutcome(
        key,
        "fetched",
        ids,
        data_calls=len(bodies),
        minimum_data_calls=minimum_calls(resolved, limits.cell_limit),
    )


def _mark_ok(manifest: dict[str, Any], key: str) -> None:
    entry = manifest["entries"][key]
    entry["last_attempt"] = entry["last_success"] = utc_now()
    entry["last_error"] = None
    entry["stale"] = False


def _record_failure(store: Store, report: RefreshReport, path: str, indicators, message: str):
    key = entry_key("pxweb", path)
    ids = [ind.id for ind in indicators]
    log.error("%s failed: %s", key, message)
    report.outcomes.append(TableOutcome(key, "failed", ids, message=message))

    def mark(manifest: dict[str, Any]) -> None:
        entry = manifest["entries"].setdefault(key, {"source": "pxweb", "table": path})
        entry.setdefault("indicators", ids)
        entry["last_attempt"] = utc_now()
        entry["last_error"] = message
        entry["stale"] = True

    try:
        store.update(mark)
    except DigiIndicatorsError as exc:  # e.g. the disk is full: the report still says why
        log.error("Could not record the failure of %s in the manifest: %s", key, exc)


__all__ = ["RefreshReport", "TableOutcome", "refresh", "SourceError"]
