"""Statistics Finland WFS adapter: the municipality boundary layer of the newest year.

The WFS publishes no ``updated`` stamp, so freshness is the layer itself: the newest
layer is found with a cheap ``resultType=hits`` request for the current year, falling
back one year when that layer does not exist yet (an exception report). The stored layer
is up to date when its year and ``numberMatched`` are unchanged — then the features are
not downloaded. A download (a new year, a changed count, or ``--force``) is compared with
the stored one by its SHA-256: identical content is reported as up to date and does not
become a new generation.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from ..errors import SourceError
from ..sources import geo
from ..store import generation_blobs, utc_now
from .base import Context, Job, SourceAdapter, blob_part, signature

#: 1:4 500 000: about 330 KB for the whole country, enough for a regional choropleth.
SCALE = 4500
#: How many years back from the current one to look for a published layer.
YEARS_BACK = 1


def current_year() -> int:
    """The calendar year a refresh starts from (a function so that tests can pin it)."""
    return datetime.now(UTC).year


class GeoAdapter(SourceAdapter):
    kind = "geo"

    def __init__(self, ctx: Context):
        super().__init__(ctx)
        self.client = geo.GeoClient.from_settings(ctx.settings)

    def entry_fields(self, job: Job) -> dict[str, Any]:
        return {"source": self.kind, "layer_family": f"tilastointialueet:kunta{SCALE}k"}

    def _newest_layer(self) -> tuple[int, int]:
        """(year, numberMatched) of the newest published layer."""
        start = current_year()
        refused = []
        for year in range(start, start - YEARS_BACK - 1, -1):
            try:
                return year, self.client.hits(year, SCALE)
            except geo.WfsException as exc:
                refused.append(f"{year}: {exc}")
        raise SourceError(
            f"No boundary layer {geo.layer_name(start, SCALE)} or earlier ({YEARS_BACK} year "
            f"back) is published: {' | '.join(refused)} The previous boundaries are kept."
        )

    def refresh_job(self, job: Job) -> None:
        year, matched = self._newest_layer()
        layer = geo.layer_name(year, SCALE)
        request = {"layer": layer, "srsName": "EPSG:4326", "outputFormat": "json"}
        sig = signature(request)
        if self.is_fresh(job, sig=sig, source_updated=str(year), number_matched=matched):
            self.up_to_date(job)
            return
        obj, raw = self.client.boundaries(year, SCALE)
        # Every municipality of the region must have a polygon, or the map would have holes.
        geo.select_municipalities(obj, self.ctx.region.municipalities())
        digest = hashlib.sha256(raw).hexdigest()
        current = self.current(job)
        if (
            current
            and current.get("signature") == sig
            and current.get("content_sha256") == digest
            and all(self.store.blob_ok(b) for b in generation_blobs(current))
        ):
            self.up_to_date(job, message="sisältö ennallaan / content unchanged")
            return
        generation = {
            "fetched_at": utc_now(),
            "source_updated": str(year),
            "layer": layer,
            "year": year,
            "number_matched": matched,
            "content_sha256": digest,
            "url": self.client.base_url,
            "signature": sig,
            "request": request,
            "attribution": geo.attribution(year, "fi", SCALE),
            "parts": [blob_part(self.store, raw, request, features=len(obj["features"]))],
        }
        self.fetched(job, generation, data_calls=1, minimum_data_calls=1)
