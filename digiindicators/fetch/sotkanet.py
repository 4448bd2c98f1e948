"""THL Sotkanet adapter: one job per pinned indicator, calls strictly one after another.

The API terms ask for batch use (research/sotkanet.md §4), so this adapter makes only
sequential calls with the descriptive User-Agent of the settings, and a refresh in which
nothing changed costs ``/regions`` plus one metadata call per indicator. ``/regions`` is
read on every refresh because Sotkanet has renumbered its internal ids before (the
wellbeing counties in 2023): the id map is rebuilt from it, keyed on category + code, and
the 30 municipalities must all be KUNTA members of the region's MAAKUNTA — otherwise every
Sotkanet indicator fails with a message naming what is missing, and keeps its old data.
"""

from __future__ import annotations

from typing import Any

from ..errors import MalformedResponse, NoData
from ..sources import sotkanet as sk
from ..store import utc_now
from .base import Context, Job, SourceAdapter, blob_part, signature


class SotkanetAdapter(SourceAdapter):
    kind = "sotkanet"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.client: sk.SotkanetClient | None = None
        self.ids: dict[str, int] = {}
        self.regions_raw = b""
        self._regions_blob: str | None = None

    def entry_fields(self, job: Job) -> dict[str, Any]:
        return {"source": self.kind, "indicator": int(job.name)}

    def prepare(self, jobs: list[Job]) -> None:
        # A blank User-Agent raises ConfigError here, before any request: Sotkanet would
        # answer 403 to every call.
        self.client = sk.SotkanetClient.from_settings(self.ctx.settings)
        regions, self.regions_raw = self.client.regions()
        self.ids = sk.table_area_ids(regions, self.ctx.region)

    def _regions_blob_id(self) -> str:
        """The raw ``/regions`` body, stored once per refresh and only when data is stored."""
        if self._regions_blob is None:
            self._regions_blob = self.store.put_blob(self.regions_raw)
        return self._regions_blob

    def refresh_job(self, job: Job) -> None:
        assert self.client is not None
        (ind,) = self.ctx.catalog.sources_for()[job.key]
        spec = ind.source
        number = int(spec.indicator or 0)
        meta, meta_raw = self.client.indicator_metadata(number)
        sk.check_title(meta, spec.title_fi or "")
        span = sk.data_range(meta)
        if span is None:
            raise MalformedResponse(
                f"Sotkanet indicator {number} has no year range in its metadata; cannot "
                "tell which years to ask for. Check its metadata page "
                f"{sk.metadata_url(number)}."
            )
        first = max(span[0], spec.first_year or span[0])
        years = list(range(first, span[1] + 1))
        request = {
            "indicator": number,
            "gender": spec.gender,
            "years": [first, span[1]],
            "areas": sorted(self.ids),
        }
        updated = sk.data_updated(meta)
        if self.is_fresh(job, sig=signature(request), source_updated=updated):
            self.up_to_date(job)
            return
        codes = sk.codes_by_id(self.ids)
        parts, ours = [], 0
        for batch in sk.year_batches(years):
            rows, raw = self.client.data(number, batch, genders=(spec.gender,))
            # Parse now so that a body that cannot be read never becomes the current data.
            frame = sk.rows_to_frame(rows, codes, years=batch, areas=list(self.ids))
            ours += int(frame["value"].notna().sum())
            parts.append(blob_part(self.store, raw, self.client.last_query, rows=len(rows)))
        if not ours:
            raise NoData(
                f"Sotkanet returned no rows for indicator {number} ({spec.title_fi}) in "
                f"{years[0]}–{years[-1]} for any area of the region (an empty answer). It "
                "may be withdrawn or not yet published; the previous data is kept."
            )
        generation = {
            "fetched_at": utc_now(),
            "source_updated": updated,
            "range": list(span),
            "url": self.client.url("json"),
            "signature": signature(request),
            "request": request,
            "title": sk.title(meta),
            "citation": sk.citation(meta),
            "metadata_blob": self.store.put_blob(meta_raw),
            "regions_blob": self._regions_blob_id(),
            "parts": parts,
        }
        self.fetched(
            job,
            generation,
            entry_fields={"title_fi": spec.title_fi},
            data_calls=len(parts),
            minimum_data_calls=len(parts),
        )
