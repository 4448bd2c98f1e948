"""Municipality polygons of the region for maps, read from the store (no network).

The refresh stores the whole-country WFS layer as received; this module cuts out the
region's municipalities and tags each feature with its panel ``area_code`` so that a map
joins on the same codes as the panel. It uses the previous download when the current one
is damaged, like every reader of the store.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .catalog import BOUNDARIES
from .errors import DigiIndicatorsError
from .region import region_table
from .sources import geo
from .stored import read_boundaries

log = logging.getLogger(__name__)

#: Credit line for any map drawn from :func:`boundaries` (the returned collection carries
#: the same text with the layer's year under ``"attribution"``).
ATTRIBUTION = (
    "Rajat: Tilastokeskus, kuntapohjaiset tilastointialueet 1:4 500 000; "
    "© Maanmittauslaitos, CC BY 4.0"
)


def boundaries(
    cache_dir: str | Path | None = None, *, region: str | None = None
) -> dict[str, Any] | None:
    """The region's municipalities as a WGS84 GeoJSON FeatureCollection, or None.

    ``region`` defaults to the region the cache was refreshed for.

    Features are in the area table's order, each with ``properties["area_code"]``
    (``KU564``). The collection adds ``year`` (of the layer), ``attribution`` (fi) and
    ``stale`` (why an older copy is used, or ""). None when the store has no usable layer
    (never refreshed with the boundary source, or every copy damaged) — the caller then
    draws no map rather than a wrong one.
    """
    from . import data_store  # the same store load() reads (cache, else the snapshot)

    store = data_store(cache_dir)
    entry = store.manifest()["entries"].get(BOUNDARIES)
    if not entry:
        return None
    try:
        layer, generation, stale = read_boundaries(store, entry)
        collection = geo.select_municipalities(layer, region_table(store, region).municipalities())
    except DigiIndicatorsError as exc:
        log.error("No usable boundaries in %s: %s", store.root, exc)
        return None
    year = generation.get("year")
    collection["year"] = year
    collection["attribution"] = generation.get("attribution") or ATTRIBUTION
    collection["stale"] = stale or (entry.get("last_error") or "" if entry.get("stale") else "")
    return collection
