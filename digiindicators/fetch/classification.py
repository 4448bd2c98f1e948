"""Classification service adapter: the national municipality key, once a year.

A key (municipality → sub-region, region, wellbeing county, urban–rural class) is
published for 1 January and never edited afterwards, so the listing of correspondence
tables is the whole freshness check: when the newest year and its tables are those
already stored, nothing else is asked. A new year means 3 languages × the tables, each
raw body stored as received; the panel rebuilds the area table from them offline.

Guards before a new key replaces the stored one (the last good key is kept otherwise):
every municipality must have a region and a sub-region, and a key must not lose more
than a tenth of the municipalities the stored one had — the real country loses one or
two a year to mergers, so a bigger drop is a broken answer, not a reform.
"""

from __future__ import annotations

from typing import Any

from ..errors import ResolveError
from ..sources import classifications as cl
from ..store import utc_now
from .base import Context, Job, SourceAdapter, blob_part, signature

#: The one job of this source (the manifest entry the area table is read from).
KEY_JOB = Job("classification:areas", "areas", ())
#: The largest share of municipalities a new key may lose against the stored one.
MAX_SHRINK = 0.10


class ClassificationAdapter(SourceAdapter):
    kind = "classification"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.client = cl.ClassificationClient.from_settings(ctx.settings)

    def entry_fields(self, job: Job) -> dict[str, Any]:
        return {"source": self.kind, "name": job.name}

    def refresh_job(self, job: Job) -> None:
        tables = cl.newest_keys(self.client.listing())
        request = {target: table.local_id for target, table in sorted(tables.items())}
        sig = signature(request)
        year = tables["maakunta"].year
        if self.is_fresh(job, sig=sig, source_updated=str(year)):
            self.up_to_date(job)
            return
        maps: dict[tuple[str, str], list[cl.MapRow]] = {}
        parts = []
        for target, table in sorted(tables.items()):
            for lang in cl.LANGS:
                rows, raw = self.client.maps(table, lang)
                maps[(target, lang)] = rows
                query = {"local_id": table.local_id, "lang": lang}
                parts.append(blob_part(self.store, raw, query, target=target, lang=lang))
        frame = cl.national_frame(maps, year=year)
        count = self._check(frame)
        generation = {
            "fetched_at": utc_now(),
            "source_updated": str(year),
            "year": year,
            "url": self.client.base_url,
            "signature": sig,
            "request": request,
            "municipalities": count,
            "parts": parts,
        }
        self.fetched(job, generation, data_calls=len(parts), minimum_data_calls=len(parts))

    def _check(self, frame) -> int:
        kunnat = frame[frame["area_level"] == "kunta"]
        orphans = kunnat[(kunnat["maakunta"] == "") | (kunnat["seutukunta"] == "")]
        if not orphans.empty:
            named = ", ".join(f"{r.area_code} {r.name_fi}" for r in orphans.head(10).itertuples())
            raise ResolveError(
                f"{len(orphans)} municipalities of the classification key have no region or "
                f"sub-region ({named}); the key is incomplete, the stored one is kept."
            )
        current = self.current(KEY_JOB) or {}
        before = int(current.get("municipalities") or 0)
        if before and len(kunnat) < before * (1 - MAX_SHRINK):
            raise ResolveError(
                f"The classification key lists {len(kunnat)} municipalities where the stored "
                f"one had {before}; mergers remove one or two a year, so the answer is "
                "treated as broken and the stored key is kept."
            )
        return len(kunnat)
