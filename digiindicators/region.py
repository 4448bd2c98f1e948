"""Which area table a cache is for, and where that table comes from.

The region a cache holds is recorded in its manifest by the refresh that filled it
(``"17"`` or ``"SSS"``; a cache without the field is maakunta 17, the first release's only
region). The table is cut from the national classification key the refresh stored; when
no key is stored or it cannot be read, the built-in table of maakunta 17 is the fallback,
and any other region then fails with a message saying what to run.
"""

from __future__ import annotations

import logging

from .areas import AreaTable, table_from_national
from .areas import areas as builtin_areas
from .config import Settings, canonical_region
from .errors import ConfigError, DigiIndicatorsError
from .store import Store
from .stored import read_area_key

log = logging.getLogger(__name__)

#: The manifest entry of the national key (see ``fetch/classification.py``).
KEY_ENTRY = "classification:areas"
DEFAULT_REGION = "17"


def cache_region(store: Store) -> str:
    """The region the cache was last refreshed for."""
    return manifest_region(store.manifest())


def manifest_region(manifest: dict) -> str:
    """The region a manifest records (maakunta 17 when it records none)."""
    return canonical_region(manifest.get("region") or DEFAULT_REGION)


def region_table(store: Store | None = None, region: str | None = None) -> AreaTable:
    """The area table of ``region`` (default: the cache's own region).

    Prefers the classification key stored in ``store``; falls back to the built-in table
    when there is none or it is unreadable (the reason is logged).
    """
    region = canonical_region(region) if region else (
        cache_region(store) if store is not None else DEFAULT_REGION
    )
    problem = ""
    entry = store.manifest()["entries"].get(KEY_ENTRY) if store is not None else None
    if entry and (entry.get("current") or entry.get("previous")):
        try:
            key = read_area_key(store, entry)
        except DigiIndicatorsError as exc:
            problem = f"the stored classification key cannot be read ({exc})"
            log.error("%s; using the built-in area table if there is one", problem)
        else:
            provenance = f"Tilastokeskus, luokituspalvelu, kuntaluokitus {key.year}"
            return table_from_national(key.frame, region, provenance=provenance)
    try:
        return builtin_areas(region)
    except ConfigError as exc:
        raise ConfigError(f"{exc} ({problem})" if problem else str(exc)) from None


def areas_for(region: str) -> AreaTable:
    """A named region's table for code that has no store at hand (the survey readers):
    the built-in table when there is one, else the region cut from the key stored in the
    default cache (``$DIGIINDICATORS_CACHE``), else a ``ConfigError`` saying what to run."""
    region = canonical_region(region)
    try:
        return builtin_areas(region)
    except ConfigError:
        return region_table(Store(Settings.from_env().cache_dir), region)
