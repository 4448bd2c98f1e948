"""Derived indicators: computed from stored inputs whenever the panel is loaded.

They have no download of their own (the catalog names their input jobs), so a better
method never needs a refresh, and an input that failed to refresh keeps feeding them its
previous data. This module is the glue between the panel and the analysis code: it reads
the stored inputs, calls the estimator and returns panel rows; ``estimates.py`` stays a
pure function of data frames.

- ``nonusers``: the modelled number/share of internet non-users aged 16–89
  (:func:`digiindicators.estimates.estimate_nonusers`) from the municipalities' single-year
  ages (StatFin 11re) and the national sutivi rates by age group, with the number of
  respondents per group from the table when it publishes one, else ``estimates.DEFAULT_N``.
- ``density``: population ÷ land area. Land area is read from the boundary layer's
  properties; when the layer has none (the Statistics Finland layers document none) every
  cell is ``..`` and its ``source`` says why, rather than the indicator silently vanishing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from . import estimates
from .areas import AreaTable
from .catalog import Catalog, Indicator, load_catalog
from .errors import AnalysisError, DigiIndicatorsError, StoreError
from .panel import (
    DEMO_NOTE,
    age_group_values,
    build_panel,
    indicator_values,
    order_panel,
    panel_rows,
    single_year_frame,
)
from .region import region_table
from .sources import geo
from .store import Store
from .stored import StoredTable, read_boundaries, read_table

log = logging.getLogger(__name__)

NO_LAND_AREA = (
    "maapinta-ala puuttuu: rajapinnan kuntarajoissa ei ole maapinta-alaa "
    "(tiheys lasketaan, jos aineisto sen sisältää)"
)
#: estimates.estimate_nonusers indicator for each catalog output.
NONUSER_OUTPUTS = {
    "share": "share_nonusers_16_89",
    "count": "nonusers_16_89",
    "share_rural_adj": "share_nonusers_16_89_rural_adj",
    "count_90plus": "nonusers_90plus",
}


def load_panel(
    store: Store,
    *,
    catalog: Catalog | None = None,
    region: AreaTable | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The whole panel: source indicators plus the derived ones (what ``load()`` returns)."""
    catalog = catalog or load_catalog()
    region = region or region_table(store)
    wanted = list(indicators) if indicators else None
    panel = build_panel(store, catalog=catalog, region=region, indicators=wanted)
    return add_derived(panel, store, catalog=catalog, region=region, indicators=wanted)


def add_derived(
    panel: pd.DataFrame,
    store: Store,
    *,
    catalog: Catalog,
    region: AreaTable,
    indicators: list[str] | None = None,
) -> pd.DataFrame:
    """``panel`` with the rows of the derived indicators among ``indicators`` appended."""
    manifest = store.manifest()
    demo = bool(manifest.get("demo"))
    attrs = dict(panel.attrs)
    stale, missing = dict(attrs.get("stale") or {}), list(attrs.get("missing") or [])
    frames = [panel] if not panel.empty else []
    inputs = _Inputs(store, manifest, stale)
    for ind in catalog.derived(indicators):
        try:
            rows = _compute(ind, inputs, catalog, region)
        except DigiIndicatorsError as exc:
            log.warning("%s cannot be computed: %s", ind.id, exc)
            missing.append(ind.id)
            continue
        if demo:
            rows = rows.assign(source=f"{DEMO_NOTE}: " + rows["source"])
        frames.append(rows)
    out = pd.concat(frames, ignore_index=True) if frames else panel
    out = order_panel(out, catalog)
    out.attrs.update(attrs, stale=stale, missing=missing)
    return out


class _Inputs:
    """Stored inputs read once per load, with their staleness noted in ``stale``."""

    def __init__(self, store: Store, manifest: dict[str, Any], stale: dict[str, str]):
        self.store, self.manifest, self.stale = store, manifest, stale
        self._cache: dict[Any, Any] = {}

    def entry(self, key: str) -> dict[str, Any]:
        entry = self.manifest["entries"].get(key)
        if not entry or not (entry.get("current") or entry.get("previous")):
            raise StoreError(f"its input {key} has never been downloaded")
        if entry.get("stale") and key not in self.stale:
            self.stale[key] = entry.get("last_error") or "stale"
        return entry

    def table(self, key: str) -> StoredTable:
        if key not in self._cache:
            table = read_table(self.store, self.entry(key))
            if table.stale_reason:
                self.stale[key] = table.stale_reason
            self._cache[key] = table
        return self._cache[key]

    def memo(self, key: tuple, compute):
        """A computation shared by several derived indicators, done once per load."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def boundaries(self, key: str) -> tuple[dict[str, Any], dict[str, Any]]:
        if key not in self._cache:
            obj, generation, reason = read_boundaries(self.store, self.entry(key))
            if reason:
                self.stale[key] = reason
            self._cache[key] = (obj, generation)
        return self._cache[key]


def _compute(ind: Indicator, inputs: _Inputs, catalog: Catalog, region: AreaTable):
    if ind.source.method == "nonusers":
        return _nonusers(ind, inputs, catalog, region)
    if ind.source.method == "density":
        return _density(ind, inputs, catalog, region)
    raise StoreError(f"{ind.id}: unknown derived method {ind.source.method!r}.")


# ---- non-users -----------------------------------------------------------------------------
def _content_of(catalog: Catalog, key: str, measures: tuple[str, ...]) -> str:
    """The content the catalog's source indicators of ``key`` read with these measures."""
    for ind in catalog.sources_for().get(key, []):
        if ind.source.measure in measures and ind.source.content:
            return ind.source.content
    raise StoreError(f"No catalog indicator reads {measures} from {key}.")


def single_year_population(table: StoredTable, content: str, region: AreaTable) -> pd.DataFrame:
    """``area_code, year, age, population`` for the municipalities and Finland.

    An area-year with any suppressed or missing age is left out (and logged): the estimate
    needs every age, and a hole must not pass for an age nobody has.
    """
    frame = single_year_frame(table, content)
    frame = frame[(frame["age"] >= 0) & frame["area"].isin([*region.municipalities(), "SSS"])]
    bad = frame["value"].isna() | (frame["status"] != "")
    if bad.any():
        holes = frame.loc[bad, ["area", "period"]].drop_duplicates()
        log.warning("Non-user estimate: %d area-years with hidden ages left out.", len(holes))
        hole = pd.MultiIndex.from_frame(holes)
        frame = frame[~pd.MultiIndex.from_frame(frame[["area", "period"]]).isin(hole)]
    return pd.DataFrame(
        {
            "area_code": frame["area"].to_numpy(),
            "year": frame["period"].str[:4].astype(int).to_numpy(),
            "age": frame["age"].to_numpy(),
            "population": frame["value"].to_numpy(),
        }
    )


def sutivi_rates(table: StoredTable, content: str, respondents: str | None) -> pd.DataFrame:
    """``year, age_group, share_users[, n]`` for the seven sutivi age groups (national)."""
    frames = []
    for lo_hi, label in zip(estimates.AGE_GROUPS, estimates.GROUP_LABELS, strict=True):
        rates = age_group_values(table, content, lo_hi)
        rates = rates[(rates["area"] == "SSS") & (rates["status"] == "")]
        part = pd.DataFrame(
            {
                "year": rates["period"].str[:4].astype(int).to_numpy(),
                "age_group": label,
                "share_users": rates["value"].to_numpy(),
            }
        )
        if respondents and respondents in table.contents:
            n = age_group_values(table, respondents, lo_hi)
            n = n[(n["area"] == "SSS") & (n["status"] == "")]
            counts = dict(zip(n["period"].str[:4].astype(int), n["value"], strict=True))
            part["n"] = part["year"].map(counts).astype(float)
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def _nonusers(ind: Indicator, inputs: _Inputs, catalog: Catalog, region: AreaTable):
    rows, inputs_text = inputs.memo(
        ("nonusers", *ind.source.inputs), lambda: _estimate(ind, inputs, catalog, region)
    )
    rows = rows[rows["indicator"] == NONUSER_OUTPUTS[ind.source.output or ""]]
    return rows.assign(
        indicator=ind.id, unit=ind.unit, source=rows["source"] + f"; {inputs_text}"
    ).reset_index(drop=True)


def _estimate(ind: Indicator, inputs: _Inputs, catalog: Catalog, region: AreaTable):
    """Every output of the estimator at once (the share and the count come from one run)."""
    pop_key, rates_key = ind.source.inputs[:2]
    pop_table, rate_table = inputs.table(pop_key), inputs.table(rates_key)
    content = _content_of(catalog, pop_key, ("age_share", "age_ratio"))
    rate_content = _content_of(catalog, rates_key, ("age_group",))
    spec = catalog.table(rates_key.split(":", 1)[1])
    rates = sutivi_rates(rate_table, rate_content, spec.respondents)
    if rates.empty:
        raise AnalysisError(f"{rates_key} has no published rates for all seven age groups.")
    pop = single_year_population(pop_table, content, region)
    pop = pop[pop["year"] >= rates["year"].min()]  # earlier years have no rate to apply
    groups = estimates.age_groups_from_single_years(pop)
    # 90+ (outside sutivi's 16–89) get the 75–89 rate in rows of their own; the rurality
    # variant sits beside the main estimate as a sensitivity check (estimates.py says why).
    rows = estimates.estimate_nonusers(
        groups,
        rates,
        over_89="as_75_89",
        rurality=estimates.rurality_classes(region),
        area_table=region,
    )
    return rows, f"väestö: {pop_table.source_text}; osuudet: {rate_table.source_text}"


# ---- density -------------------------------------------------------------------------------
def land_areas(geojson: dict[str, Any], region: AreaTable) -> dict[str, float]:
    """Land area (km²) of every area of the region the layer allows: municipalities from
    their features, sub-region/region/county only when every member has one, the country
    only when every feature of the (whole-country) layer has one."""
    by_code: dict[str, float | None] = {}
    for feature in geojson.get("features") or []:
        props = feature.get("properties") or {}
        code = geo.feature_code(props)
        if code:
            by_code[f"KU{code}"] = geo.land_area(props)
    out = {code: area for code, area in by_code.items() if area is not None}
    for code in region.aggregate_areas():
        members = region.members(code)
        if members and all(m in out for m in members):
            out[code] = sum(out[m] for m in members)
    if by_code and all(v is not None for v in by_code.values()):
        out["SSS"] = float(sum(v for v in by_code.values() if v is not None))
    return out


def _density(ind: Indicator, inputs: _Inputs, catalog: Catalog, region: AreaTable):
    population = catalog[ind.source.population or ""]
    key = population.source.job or ""
    boundary_key = next(k for k in ind.source.inputs if k.startswith("geo:"))
    table = inputs.table(key)
    values = indicator_values(population, table, region)
    geojson, generation = inputs.boundaries(boundary_key)
    area = values["area"].map(land_areas(geojson, region))
    density = values.assign(value=values["value"] / area)
    lacking = area.isna()
    density.loc[lacking, "status"] = np.where(
        density.loc[lacking, "status"] == "", "..", density.loc[lacking, "status"]
    )
    density.loc[density["status"] != "", "value"] = np.nan
    source = f"{table.source_text}; {generation.get('attribution', '')}"
    rows = panel_rows(ind, density, source, region, demo=False)
    rows.loc[lacking.to_numpy(), "source"] = f"{source}; {NO_LAND_AREA}"
    return rows
