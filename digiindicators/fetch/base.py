"""What every source adapter shares: jobs, outcomes, the report and generations in the store.

A refresh is a list of *jobs* (a StatFin table, a Sotkanet indicator, the boundary layer),
each refreshed on its own by the adapter of its source. The rules that make the refresh
fault-proof live here once, not in each adapter:

- a job is *up to date* when the source's own stamp and the request are unchanged and
  every blob it points to is intact — then no data is asked for;
- a download becomes visible only when the manifest is replaced with the new generation
  (the old ``current`` becomes ``previous``), after all its blobs are written;
- any typed failure (:class:`DigiIndicatorsError`, including a full disk) is recorded
  against that job only; its previous generation stays in use and is marked stale, and the
  other jobs go on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..areas import AreaTable
from ..catalog import Catalog
from ..config import Settings
from ..errors import DigiIndicatorsError
from ..sources.http import CallStats, SourceClient
from ..store import Store, generation_blobs, utc_now

log = logging.getLogger(__name__)

#: How each source is named in the summary: label, and its jobs in Finnish / English.
SOURCE_LABELS: dict[str, tuple[str, str, str]] = {
    "pxweb": ("Tilastokeskus PxWeb", "taulukoita", "tables"),
    "sotkanet": ("THL Sotkanet", "indikaattoreita", "indicators"),
    "geo": ("Tilastokeskus WFS", "karttatasoja", "layers"),
    "classification": ("Tilastokeskus luokituspalvelu", "aluejakoavaimia", "area keys"),
}


@dataclass(frozen=True)
class Job:
    """One unit of download: ``key`` is the manifest entry, ``name`` the source's own name
    (a table key, a Sotkanet id, ``boundaries``), ``indicators`` those depending on it."""

    key: str
    name: str
    indicators: tuple[str, ...]

    @property
    def source(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass
class Outcome:
    """What happened to one job."""

    key: str
    status: str  # "fetched" | "up_to_date" | "failed"
    indicators: list[str]
    message: str = ""
    data_calls: int = 0
    minimum_data_calls: int = 0

    @property
    def source(self) -> str:
        return self.key.split(":", 1)[0]


#: The name of the PxWeb-only first release; every source now reports ``Outcome``s.
TableOutcome = Outcome


@dataclass
class RefreshReport:
    """Summary of a refresh; ``exit_code`` follows the command-line contract."""

    outcomes: list[Outcome] = field(default_factory=list)
    stats: CallStats = field(default_factory=CallStats)
    stats_by_source: dict[str, CallStats] = field(default_factory=dict)
    #: Failures outside any one job (the final manifest write on a full disk, …).
    problems: list[str] = field(default_factory=list)
    started_at: str = ""
    finished_at: str = ""

    def count(self, status: str, source: str | None = None) -> int:
        return sum(
            1
            for o in self.outcomes
            if o.status == status and (source is None or o.source == source)
        )

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.problems else 0

    def add_stats(self, source: str, stats: CallStats) -> None:
        self.stats.add(stats)
        self.stats_by_source.setdefault(source, CallStats()).add(stats)

    def summary(self) -> str:
        lines = []
        for source in dict.fromkeys(o.source for o in self.outcomes):
            label, fi, en = SOURCE_LABELS.get(source, (source, "kohteita", "items"))
            fetched, fresh = self.count("fetched", source), self.count("up_to_date", source)
            failed = self.count("failed", source)
            lines.append(
                f"{label}: {fi} haettu {fetched}, ajan tasalla {fresh}, epäonnistui {failed} / "
                f"{en} fetched {fetched}, up to date {fresh}, failed {failed}."
            )
        lines.append(
            f"HTTP-kutsuja / HTTP calls: {self.stats.calls} (429-vastauksia / 429s: "
            f"{self.stats.rate_limited}, uusintoja / retries: {self.stats.retries})."
        )
        if self.outcomes and not self.count("fetched") and not self.failed:
            lines.insert(0, "Kaikki tiedot ajan tasalla / everything up to date.")
        for outcome in self.failed:
            lines.append(
                f"EPÄONNISTUI / FAILED {outcome.key} ({', '.join(outcome.indicators)}): "
                f"{outcome.message} Edelliset tiedot säilytettiin / previous data kept."
            )
        for problem in self.problems:
            lines.append(f"ONGELMA / PROBLEM: {problem}")
        if self.failed or self.problems:
            lines.append(
                "Korjaa tai odota ja aja `digiindicators refresh` uudelleen; "
                "`digiindicators status` näyttää vanhentuneet tiedot. / Fix or wait and run "
                "`digiindicators refresh` again; `digiindicators status` lists stale data."
            )
        return "\n".join(lines)


@dataclass
class Context:
    """Everything an adapter needs from the orchestrator."""

    settings: Settings
    store: Store
    catalog: Catalog
    #: None only until the classification key has run (see ``refresh``).
    region: AreaTable | None
    report: RefreshReport
    force: bool = False
    advance: Callable[[Job], None] = lambda job: None


def signature(request: dict[str, Any]) -> str:
    """A short digest of what was asked: a changed request means a new download."""
    body = json.dumps(request, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(body).hexdigest()[:16]


def blob_part(store: Store, raw: bytes, query: Any, **extra: Any) -> dict[str, Any]:
    """Store one raw body as received and describe it for the manifest."""
    return {"blob": store.put_blob(raw), "query": query, "bytes": len(raw), **extra}


class SourceAdapter:
    """Base of the per-source adapters: runs jobs one by one and isolates their failures.

    Subclasses set ``kind``, implement :meth:`prepare` (source-wide calls such as PxWeb's
    ``?config`` or Sotkanet's ``/regions``; a failure there fails every job of the source)
    and :meth:`refresh_job`, and report through :meth:`up_to_date` / :meth:`fetched`.
    """

    kind = ""
    #: The source client, when the adapter has made one (``stats`` and ``close`` use it).
    client: SourceClient | None = None

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.store = ctx.store

    # ---- the loop ----------------------------------------------------------------------
    def run(self, jobs: list[Job]) -> None:
        try:
            self.prepare(jobs)
        except DigiIndicatorsError as exc:  # the messages name the source already
            for job in jobs:
                self.fail(job, str(exc))
                self.ctx.advance(job)
            return
        for job in jobs:
            try:
                self.refresh_job(job)
            except DigiIndicatorsError as exc:
                self.fail(job, str(exc))
            self.ctx.advance(job)

    def prepare(self, jobs: list[Job]) -> None:
        """Source-wide work before the jobs (override)."""

    def refresh_job(self, job: Job) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def stats(self) -> CallStats:
        return self.client.stats if self.client is not None else CallStats()

    def close(self) -> None:
        """Release the client's connections."""
        if self.client is not None:
            self.client.close()

    # ---- the manifest ------------------------------------------------------------------
    def current(self, job: Job) -> dict[str, Any] | None:
        return self.store.manifest()["entries"].get(job.key, {}).get("current")

    def is_fresh(self, job: Job, *, sig: str, source_updated: str | None, **same: Any) -> bool:
        """True when the stored generation answers the same request at the same source
        stamp (and the same ``same`` fields) and every blob of it is intact."""
        if self.ctx.force or source_updated is None:
            return False
        current = self.current(job)
        if not current or current.get("signature") != sig:
            return False
        if current.get("source_updated") != source_updated:
            return False
        if any(current.get(k) != v for k, v in same.items()):
            return False
        # A corrupt or missing blob means the data must be fetched again.
        return all(self.store.blob_ok(b) for b in generation_blobs(current))

    def entry_fields(self, job: Job) -> dict[str, Any]:
        """Fields of a new manifest entry besides its generations (override to add)."""
        return {"source": self.kind, "name": job.name}

    def up_to_date(self, job: Job, message: str = "") -> None:
        """Record a job whose stored data is still the source's latest."""
        self.ctx.report.outcomes.append(
            Outcome(job.key, "up_to_date", list(job.indicators), message=message)
        )

        def mark(manifest: dict[str, Any]) -> None:
            entry = manifest["entries"][job.key]
            entry["last_attempt"] = entry["last_success"] = utc_now()
            entry["last_error"] = None
            entry["stale"] = False

        self.store.update(mark)
        entry = self.store.manifest()["entries"].get(job.key, {})
        self.report_unresolved(job, entry.get("failed_indicators") or {})

    def report_unresolved(self, job: Job, failures: dict[str, str]) -> None:
        """Indicators a download could not include (their content is gone from the table):
        the rest of the job is fine, but the refresh must still say it failed."""
        for indicator, message in failures.items():
            self.ctx.report.problems.append(
                f"{job.key} / {indicator}: {message} Taulukon muut indikaattorit päivitettiin / "
                "the table's other indicators were refreshed."
            )

    def fetched(
        self,
        job: Job,
        generation: dict[str, Any],
        *,
        entry_fields: dict[str, Any] | None = None,
        data_calls: int = 0,
        minimum_data_calls: int = 0,
    ) -> None:
        """Make a complete download current (its blobs are already written)."""
        fields = {**self.entry_fields(job), **(entry_fields or {})}

        def commit(manifest: dict[str, Any]) -> None:
            entry = manifest["entries"].setdefault(job.key, {})
            entry.update(fields)
            entry["indicators"] = list(job.indicators)
            entry["previous"] = entry.get("current")
            entry["current"] = generation
            entry["last_attempt"] = entry["last_success"] = generation["fetched_at"]
            entry["last_error"] = None
            entry["stale"] = False

        self.store.update(commit)
        self.ctx.report.outcomes.append(
            Outcome(
                job.key,
                "fetched",
                list(job.indicators),
                data_calls=data_calls,
                minimum_data_calls=minimum_data_calls,
            )
        )
        self.report_unresolved(job, fields.get("failed_indicators") or {})

    def fail(self, job: Job, message: str) -> None:
        """Record a failure; the previous data stays current and is marked stale."""
        log.error("%s failed: %s", job.key, message)
        self.ctx.report.outcomes.append(
            Outcome(job.key, "failed", list(job.indicators), message=message)
        )
        fields = self.entry_fields(job)

        def mark(manifest: dict[str, Any]) -> None:
            entry = manifest["entries"].setdefault(job.key, dict(fields))
            entry.setdefault("indicators", list(job.indicators))
            entry["last_attempt"] = utc_now()
            entry["last_error"] = message
            entry["stale"] = True

        try:
            self.store.update(mark)
        except DigiIndicatorsError as exc:  # e.g. the disk is full: the report still says why
            log.error("Could not record the failure of %s in the manifest: %s", job.key, exc)


def jobs_by_source(
    catalog: Catalog, only: Iterable[str] | None, sources: Iterable[str]
) -> dict[str, list[Job]]:
    """The refresh plan: jobs grouped by source, in catalog order, for enabled sources."""
    enabled = set(sources)
    plan: dict[str, list[Job]] = {}
    for key, inds in catalog.jobs_for(list(only) if only else None).items():
        job = Job(key, key.split(":", 1)[1], tuple(ind.id for ind in inds))
        if job.source in enabled:
            plan.setdefault(job.source, []).append(job)
        else:
            log.info("%s skipped: source %s is not enabled", key, job.source)
    return plan
