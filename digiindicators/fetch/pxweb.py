"""Statistics Finland PxWeb adapter: one job per StatFin table.

Order of calls, chosen so that an unchanged table costs nothing but a listing: ``?config``
once (the limits), one folder listing per folder (its ``updated`` stamps — and the table
ids of *discovered* tables, found by the words of their title), then for a changed table
its metadata and the planned queries. The rate-limit window of the previous run is
remembered in ``pxweb-calls.json`` because the server's window does not restart with us.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path, PurePosixPath
from typing import Any

from ..catalog import TableSpec
from ..errors import BadQuery, DigiIndicatorsError, NotFound, ResolveError, SourceError
from ..sources.http import CallStats
from ..sources.pxweb import Limits, PxWebClient, table_updated
from ..sources.pxweb_query import (
    minimum_calls,
    plan_queries,
    resolve,
    unresolvable_contents,
)
from ..store import atomic_write, utc_now
from .base import Context, Job, SourceAdapter, blob_part, signature

log = logging.getLogger(__name__)

CALLS_FILE = "pxweb-calls.json"


class PxWebAdapter(SourceAdapter):
    kind = "pxweb"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        s = ctx.settings
        self.client = PxWebClient(
            s.pxweb_url,
            lang=s.lang,
            user_agent=s.user_agent,
            timeout=s.timeout,
            max_retries=s.max_retries,
            backoff=s.backoff,
            margin=s.rate_margin,
        )
        self.calls_file = self.store.root / CALLS_FILE
        self.client.limiter.remember(_read_calls(self.calls_file))
        self.limits: Limits | None = None
        self._listings: dict[str, list[dict[str, Any]] | DigiIndicatorsError] = {}

    @property
    def stats(self) -> CallStats:
        return self.client.http.stats

    def close(self) -> None:
        self.client.close()
        try:
            atomic_write(self.calls_file, json.dumps(self.client.limiter.recent_calls()).encode())
        except DigiIndicatorsError as exc:
            log.warning("Could not save the rate-limit window: %s", exc)

    def prepare(self, jobs: list[Job]) -> None:
        try:
            self.limits = self.client.limits()
        except DigiIndicatorsError as exc:
            raise SourceError(f"PxWeb ?config failed: {exc}") from exc

    def entry_fields(self, job: Job) -> dict[str, Any]:
        return {"source": self.kind, "table": job.name}

    # ---- one table ---------------------------------------------------------------------
    def refresh_job(self, job: Job) -> None:
        spec = self.ctx.catalog.table(job.name)
        path, updated = self._locate(spec)
        request = self._request(job, spec, path)
        if self.is_fresh(job, sig=signature(request), source_updated=updated):
            self.up_to_date(job)
            return
        self._download(job, spec, path, request, updated)

    def _listing(self, folder: str) -> list[dict[str, Any]]:
        if folder not in self._listings:
            try:
                self._listings[folder] = self.client.listing(folder)
            except DigiIndicatorsError as exc:
                self._listings[folder] = exc
        listing = self._listings[folder]
        if isinstance(listing, DigiIndicatorsError):
            raise listing
        return listing

    def _locate(self, spec: TableSpec) -> tuple[str, str | None]:
        """Today's path of the table and its ``updated`` stamp, from the folder listing."""
        if not spec.discovered:
            folder = str(PurePosixPath(spec.path).parent)
            listing = self._listing(folder)
            return spec.path, table_updated(listing, PurePosixPath(spec.path).name)
        try:
            listing = self._listing(spec.folder or "")
        except (BadQuery, NotFound) as exc:
            raise SourceError(
                f"The folder {spec.folder} cannot be listed ({exc}); it may have been renamed. "
                f"Fix folder of [tables.{spec.path}] in catalog.toml.",
                url=exc.url,
                status=exc.status,
            ) from exc
        item = find_table(listing, spec)
        return f"{spec.folder}/{item['id']}", item.get("updated")

    def _request(self, job: Job, spec: TableSpec, path: str) -> dict[str, Any]:
        # Every content the catalog reads from this table, whichever indicators were asked
        # for: a partial download (``--only``) must never replace a complete one.
        inds = self.ctx.catalog.sources_for().get(job.key, [])
        return {
            "path": path,
            "contents": sorted({c for ind in inds for c in ind.source.contents()}),
            "optional_contents": [spec.respondents] if spec.respondents else [],
            "areas": [] if spec.national else sorted(self.ctx.region.codes),
            "first_year": spec.first_year,
            "keep_all": list(spec.keep_all),
            "national": spec.national,
        }

    def _download(
        self, job: Job, spec: TableSpec, path: str, request: dict[str, Any], updated: str | None
    ) -> None:
        assert self.limits is not None
        meta, meta_raw = self.client.metadata(path)
        inds = self.ctx.catalog.sources_for().get(job.key, [])
        unresolved = unresolvable_contents(
            meta, {ind.id: ind.source.contents() for ind in inds}, table=path
        )
        if unresolved and len(unresolved) == len(inds):
            raise ResolveError("; ".join(dict.fromkeys(unresolved.values())), url=path)
        resolvable = {c for ind in inds if ind.id not in unresolved for c in ind.source.contents()}
        resolved = resolve(
            meta,
            path=path,
            contents=[c for c in request["contents"] if c in resolvable],
            areas=request["areas"],
            first_year=request["first_year"],
            keep_all=request["keep_all"],
            national=request["national"],
            optional_contents=request["optional_contents"],
        )
        bodies = plan_queries(resolved, self.limits.cell_limit)
        parts = []
        for body in bodies:
            raw = self.client.query(path, body)
            cells = 1
            for item in body["query"]:
                cells *= len(item["selection"]["values"])
            parts.append(blob_part(self.store, raw, body, cells=cells))
        generation = {
            "fetched_at": utc_now(),
            "source_updated": updated,
            "url": self.client.url(path),
            "signature": signature(request),
            "request": request,
            "resolved": resolved.describe(),
            "title": meta.title,
            "metadata_blob": self.store.put_blob(meta_raw),
            "parts": parts,
        }
        self.fetched(
            job,
            generation,
            entry_fields={
                "table": path,
                "table_id": PurePosixPath(path).name.removesuffix(".px"),
                "failed_indicators": unresolved,
            },
            data_calls=len(bodies),
            minimum_data_calls=minimum_calls(resolved, self.limits.cell_limit),
        )


def find_table(listing: list[dict[str, Any]], spec: TableSpec) -> dict[str, Any]:
    """The one table in a folder listing whose title has every word of ``title_contains``.

    Matching the title (case-folded) instead of an id survives id renames; if the title
    itself changes, or two tables match, the job fails loudly and names the candidates.
    """
    words = [w.casefold() for w in spec.title_contains]
    tables = [item for item in listing if item.get("type") == "t"]
    hits = [t for t in tables if all(w in str(t.get("text", "")).casefold() for w in words)]
    if len(hits) == 1:
        return hits[0]
    titles = "; ".join(f"{t.get('id')}: {t.get('text')}" for t in tables[:12]) or "none"
    if not hits:
        raise SourceError(
            f"No table in {spec.folder} has a title with all of {spec.title_contains} (tables: "
            f"{titles}). The table may have been renamed or moved to StatFin_Passiivi; fix "
            f"title_contains of [tables.{spec.path}] in catalog.toml."
        )
    raise SourceError(
        f"{len(hits)} tables in {spec.folder} match {spec.title_contains} ("
        + "; ".join(f"{t.get('id')}: {t.get('text')}" for t in hits)
        + f"); add a word to title_contains of [tables.{spec.path}] in catalog.toml."
    )


def _read_calls(path: Path) -> list[float]:
    """Call times of the previous refresh, so back-to-back runs respect the same window."""
    try:
        return [float(t) for t in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return []
