"""Plan and run a refresh: download what changed, keep the last good data on failure.

This module only orchestrates. The classification key comes first: it says which
municipalities make up the region, and every other source needs that. Then the catalog
gives the jobs (StatFin tables, Sotkanet indicators, the boundary layer); each source's
adapter in ``fetch/`` checks its jobs'
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

from .catalog import Catalog, load_catalog
from .config import Settings
from .errors import DigiIndicatorsError, SourceError
from .fetch import ADAPTERS, Context, Job
from .fetch.base import Outcome, RefreshReport, SourceAdapter, TableOutcome, jobs_by_source
from .fetch.classification import KEY_JOB, ClassificationAdapter
from .region import manifest_region, region_table
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
        # ``only`` refreshes some indicators' jobs: the stored key serves them.
        with_key = "classification" in settings.sources and only is None
        total = sum(len(jobs) for jobs in plan.values()) + with_key
        with tqdm(total=total, desc="digiindicators refresh", unit="job", disable=not show) as bar:

            def advance(job: Job) -> None:
                bar.set_postfix_str(job.key, refresh=False)
                bar.update()

            ctx = Context(
                settings=settings,
                store=store,
                catalog=catalog,
                region=None,
                report=report,
                force=force,
                advance=advance,
            )
            if with_key:
                _run(ClassificationAdapter(ctx), "classification", [KEY_JOB], report)
            try:
                ctx.region = region_table(store, settings.region)
            except DigiIndicatorsError as exc:
                _fail_all(ctx, plan, f"No area table for region {settings.region}: {exc}")
            else:
                for source, jobs in plan.items():
                    _run(ADAPTERS[source](ctx), source, jobs, report)
        _finish(store, report, settings.region, complete=only is None)
    report.finished_at = utc_now()
    log.info("%s", report.summary())
    return report


def _run(adapter: SourceAdapter, source: str, jobs: list[Job], report: RefreshReport) -> None:
    try:
        adapter.run(jobs)
    finally:
        report.add_stats(source, adapter.stats)
        adapter.close()


def _fail_all(ctx: Context, plan: dict[str, list[Job]], message: str) -> None:
    """Without an area table no source can be asked for the right areas: every job fails
    with the reason and keeps its data."""
    for source, jobs in plan.items():
        adapter = ADAPTERS[source](ctx)
        try:
            for job in jobs:
                adapter.fail(job, message)
                ctx.advance(job)
        finally:
            adapter.close()


def _finish(store: Store, report: RefreshReport, region: str, *, complete: bool) -> None:
    """Stamp the refresh time, record the region and drop unreferenced blobs; a failure
    here (a full disk) leaves the data as it is and is reported, never raised.

    The cache changes region only after a complete refresh for the new one succeeded:
    until then its data is still the old region's, and saying otherwise would show the
    old municipalities' data under the new region's name, or none at all.
    """
    try:
        manifest = store.manifest()
        before = manifest.get("region")
        serving = manifest_region(manifest)
        switch = region != serving
        has_data = any(
            key != KEY_JOB.key and (entry.get("current") or entry.get("previous"))
            for key, entry in manifest["entries"].items()
        )
        if switch and has_data and (report.failed or not complete):
            report.problems.append(
                f"Alueen vaihto {serving} → {region} jäi kesken; välimuisti näyttää yhä "
                f"alueen {serving} tiedot. / The switch to region {region} is not complete "
                "(some downloads failed or only part of the catalog was refreshed); the "
                f"cache still serves region {serving}. Run a full `digiindicators refresh` "
                "again."
            )
            switch = False

        def stamp(manifest: dict) -> None:
            manifest["refreshed_at"] = utc_now()
            if switch or before is None:
                manifest["region"] = region

        store.update(stamp)
        store.prune()
    except DigiIndicatorsError as exc:
        log.error("Finishing the refresh failed: %s", exc)
        report.problems.append(f"{exc}")


__all__ = ["Outcome", "RefreshReport", "TableOutcome", "refresh", "SourceError"]
