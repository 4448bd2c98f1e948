"""digiindicators: the digital divide across the municipalities of Pohjois-Pohjanmaa.

Analysts start here::

    import digiindicators as di
    panel = di.load()                 # tidy panel from the local cache, no network
    di.catalog()                      # what each indicator means, with units and sources
    report = di.refresh()             # download what changed (the only call that goes online)
    di.boundaries()                   # municipal polygons for maps (GeoJSON), from the cache

``load`` falls back to the embedded snapshot when the cache is empty; the snapshot's
numbers are example data and every row's ``source`` says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .areas import AreaTable
from .boundaries import ATTRIBUTION, boundaries
from .catalog import Catalog, load_catalog
from .composite import IndexInputs, IndexSpec, RankRanges, build_index, sensitivity
from .config import Settings, snapshot_dir
from .derived import load_panel
from .errors import (
    BadQuery,
    CacheLocked,
    CatalogError,
    ConfigError,
    DigiIndicatorsError,
    MalformedResponse,
    NoData,
    QueryTooLarge,
    RateLimited,
    ResolveError,
    SourceError,
    StoreError,
    SurveyError,
    UnknownArea,
)
from .panel import COLUMNS
from .refresh import Outcome, RefreshReport, TableOutcome, refresh
from .region import region_table
from .store import Store
from .survey import SurveyResult, read_survey

__version__ = "0.1.0"
log = logging.getLogger(__name__)


def data_store(cache_dir: str | Path | None = None) -> Store:
    """The store ``load`` reads: the cache if it has data, else the embedded snapshot."""
    store = Store(Settings.from_env(cache_dir).cache_dir)
    if store.has_data():
        return store
    snapshot = Store(snapshot_dir())
    log.warning(
        "The cache %s has no data yet; using the embedded example snapshot. "
        "Run `digiindicators refresh` to download real statistics.",
        store.root,
    )
    return snapshot


def load(
    cache_dir: str | Path | None = None, *, indicators: Iterable[str] | None = None
) -> pd.DataFrame:
    """The tidy panel: one row per indicator × area × year, with the DESIGN.md columns.

    Source indicators come from the stored downloads; derived ones (the modelled non-users,
    status ``e`` with ``lower``/``upper``; density) are computed from them here. Never
    opens a network connection. ``panel.attrs`` says whether the numbers are the
    embedded example data (``demo``), when the cache was refreshed and what is stale.
    """
    return load_panel(data_store(cache_dir), indicators=indicators)


def catalog() -> pd.DataFrame:
    """The indicator catalog as a table (titles fi/sv/en, unit, direction, theme, source)."""
    return load_catalog().to_frame()


def areas(region: str | None = None, cache_dir: str | Path | None = None) -> AreaTable:
    """Municipalities, sub-regions, region, wellbeing counties and country, with names.

    ``region`` is a maakunta number (``"17"``) or ``"all"``; by default the region the
    cache was refreshed for. The table comes from the classification key the last refresh
    stored, else from the built-in table of maakunta 17.
    """
    return region_table(data_store(cache_dir), region)


__all__ = [
    "ATTRIBUTION",
    "COLUMNS",
    "IndexInputs",
    "IndexSpec",
    "RankRanges",
    "SurveyResult",
    "build_index",
    "read_survey",
    "sensitivity",
    "AreaTable",
    "BadQuery",
    "CacheLocked",
    "Catalog",
    "CatalogError",
    "ConfigError",
    "DigiIndicatorsError",
    "MalformedResponse",
    "NoData",
    "Outcome",
    "QueryTooLarge",
    "RateLimited",
    "RefreshReport",
    "ResolveError",
    "Settings",
    "SourceError",
    "Store",
    "StoreError",
    "SurveyError",
    "TableOutcome",
    "UnknownArea",
    "areas",
    "boundaries",
    "catalog",
    "data_store",
    "load",
    "load_catalog",
    "refresh",
]
