"""Plan and run a refresh: download what changed, keep the last good data on failure.

This module only orchestrates. The catalog gives the jobs (StatFin tables, Sotkanet
indicators, the boundary layer); each source's adapter in ``fetch/`` checks its jobs'
freshness from the source's own stamps — PxWeb folder listings, Sotkanet ``data-updated``,
the WFS layer year and feature count — downloads what changed into the store as a new
generation and records any failure against that one job. The sources run one after the
other under the cache lock, so two refreshes never write at once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from tqdm.auto import tqdm

from .areas import areas as area_table
from .catalog import Catalog, load_catalog
from .config import Settings
from .errors import DigiIndicatorsError, SourceError
from .fetch import ADAPTERS, Context, Job
from .fetch.base import Outcome, RefreshReport, TableOutcome, jobs_by_source
from .store import Store, utc_now

log = logging.getLogger(__name__)


def refresh(
    settings: Settings | None = None,
    *,
    only: Iterable[str] | None = None,
    force: bool = False,
    progress: bool | None = None,
    catalog: Catalog | None = None,
) -> RefreshReport:
    """Refresh the cache from the sources; never raises for a source failure.

    ``only`` limits the refresh to some indicator ids (and the jobs they need); ``force``
    re-downloads even when the sources say nothing changed. Sources not enabled in
    ``settings.sources`` are left as they are.
    """
    settings = settings or Settings.from_env()
    catalog = catalog or load_catalog()
    plan = jobs_by_source(catalog, only, settings.sources)
    store = Store(settings.cache_dir)
    report = RefreshReport(started_at=utc_now())
    show = sys.stderr.isatty() if progress is None else progress
    with store.lock():
        total = sum(len(jobs) for jobs in plan.values())
        with tqdm(total=total, desc="digiindicators refresh", unit="job", disable=not show) as bar:

            def advance(job: Job) -> None:
                bar.set_postfix_str(job.key, refresh=False)
                bar.update()

            ctx = Context(
                settings=settings,
                store=store,
                catalog=catalog,
                region=area_table(settings.region),
                report=report,
                force=force,
                advance=advance,
            )
            for source, jobs in plan.items():
                adapter = ADAPTERS[source](ctx)
                try:
                    adapter.run(jobs)
                finally:
                    report.add_stats(source, adapter.stats)
                    adapter.close()
        _finish(store, report)
    report.finished_at = utc_now()
    log.info("%s", report.summary())
    return report


def _finish(store: Store, report: RefreshReport) -> None:
    """Stamp the refresh time and drop unreferenced blobs; a failure here (a full disk)
    leaves the data as it is and is reported, never raised."""
    try:
        store.update(lambda m: m.__setitem__("refreshed_at", utc_now()))
        store.prune()
    except DigiIndicatorsError as exc:
        log.error("Finishing the refresh failed: %s", exc)
        report.problems.append(f"{exc}")


__all__ = ["Outcome", "RefreshReport", "TableOutcome", "refresh", "SourceError"]
