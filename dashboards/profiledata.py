"""What a municipality's profile page shows, as plain data (no Dash): pure and testable.

For every statistic with a municipal value the page compares the municipality with its
peer group (:mod:`dashboards.peers`), the region (MK17), the wellbeing county (HV19) and
Finland, in the latest year in which the municipality has a row — a suppressed latest
year is shown as suppressed, not silently replaced by an older number. Trend series
cover every year of the indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from digiindicators.areas import AreaTable
from digiindicators.catalog import Catalog

from . import figures
from .figures import COUNTRY_CODE, AreaValue, IndicatorInfo
from .i18n import texts
from .lookup import PanelLookup, subset
from .peers import POPULATION, PeerValue, group_values, group_values_of, peer_members


@dataclass(frozen=True)
class ProfileRow:
    info: IndicatorInfo
    year: int
    own: AreaValue
    peer: PeerValue
    region: AreaValue | None
    county: AreaValue | None
    country: AreaValue | None


@dataclass(frozen=True)
class Trend:
    info: IndicatorInfo
    years: list[int]
    own: list[AreaValue | None]
    peer: list[float | None]
    region: list[AreaValue | None]
    country: list[AreaValue | None]
    additive: bool  # counts: region and Finland are not on the municipality's scale

    @property
    def estimated(self) -> bool:
        return any(a is not None and a.status == "e" for a in self.own)


def _area_values(lookup: PanelLookup, indicator: str, year: int, lang: str,
                 areas: AreaTable, codes: list[str | None]) -> dict[str, AreaValue]:
    """The rows of ``codes`` (those that have one) as the page shows them."""
    cells = lookup.cells(indicator, year)
    names = areas.names(lang)
    return {code: value for code in codes
            if (value := _area_value(cells, code, lang, areas, names)) is not None}


def _area_value(cells: dict, code: str | None, lang: str, areas: AreaTable,
                names: dict[str, str]) -> AreaValue | None:
    """The row of ``code`` among one year's ``cells`` as the page shows it (None: no row)."""
    row = cells.get(code) if code is not None else None
    return None if row is None else figures.area_value(row, lang, areas, names=names)


def profile_rows(
    panel: pd.DataFrame, code: str, lang: str, catalog: Catalog, areas: AreaTable, *,
    lookup: PanelLookup | None = None,
) -> list[ProfileRow]:
    """One row per statistic the municipality has, in catalog order.

    ``lookup`` is the app's index of ``panel`` (:mod:`dashboards.lookup`).
    """
    lookup = lookup or PanelLookup(panel)
    region = areas.region_code
    county = areas.county(code)
    asked = []
    for indicator in figures.available_indicators(panel, catalog, lookup=lookup):
        mine = lookup.area_years(indicator, code, level="kunta")
        if mine:
            info = figures.indicator_info(indicator, lang, catalog, panel, lookup=lookup)
            asked.append((indicator, mine[-1], info))
    # The peers' values of every row at once (one array per statistic was a third of the page).
    peer_values = group_values_of(panel, [(ind, year, info.unit) for ind, year, info in asked],
                                  peer_members(areas, code), lookup=lookup)
    out = []
    for (indicator, year, info), peer in zip(asked, peer_values, strict=True):
        values = _area_values(lookup, indicator, year, lang, areas,
                              [code, region, county, COUNTRY_CODE])
        country = values.get(COUNTRY_CODE)
        if country is not None:
            country = AreaValue(country.code, texts(lang)["country_name"], country.value,
                                country.status, country.lower, country.upper, country.source)
        out.append(ProfileRow(
            info=info, year=year, own=values[code], peer=peer,
            region=values.get(region), county=values.get(county) if county else None,
            country=country,
        ))
    return out


def trend(
    panel: pd.DataFrame, indicator: str, code: str, lang: str, catalog: Catalog,
    areas: AreaTable, *, lookup: PanelLookup | None = None,
) -> Trend:
    """Every year of one indicator for the municipality, its peers, the region and Finland."""
    lookup = lookup or subset(panel, [indicator, POPULATION])
    info = figures.indicator_info(indicator, lang, catalog, panel, lookup=lookup)
    years = lookup.area_years(indicator, code)
    peers = group_values(panel, indicator, years, peer_members(areas, code), info.unit,
                         lookup=lookup)
    region = areas.region_code
    names = areas.names(lang)
    own, reg, country = [], [], []
    for year in years:
        cells = lookup.cells(indicator, year)
        own.append(_area_value(cells, code, lang, areas, names))
        reg.append(_area_value(cells, region, lang, areas, names))
        country.append(_area_value(cells, COUNTRY_CODE, lang, areas, names))
    return Trend(info, years, own, [p.value for p in peers], reg, country,
                 info.additive or info.unit == "henkilöä")


def trend_indicators(panel: pd.DataFrame, code: str, catalog: Catalog, *,
                     lookup: PanelLookup | None = None) -> list[str]:
    """Statistics with values for the municipality in at least two years (a line needs two)."""
    lookup = lookup or PanelLookup(panel[panel["area_code"] == code])
    return [i for i in figures.available_indicators(panel, catalog, lookup=lookup)
            if len(lookup.area_years(i, code, with_value=True)) >= 2]


def trend_caption(tr: Trend, name: str, lang: str) -> str:
    """One sentence: first and last value of the municipality, last of region and Finland."""
    t = texts(lang)
    info = tr.info

    def fmt(a: AreaValue | None) -> str:
        if a is None or a.value is None:
            return t["no_value"]
        return figures.format_value(a.value, info.decimals, info.unit, lang)

    known = [(y, a) for y, a in zip(tr.years, tr.own, strict=True) if a and a.value is not None]
    if not known:
        return t["trend_none"].format(name=name, title=info.title)
    (y0, a0), (y1, a1) = known[0], known[-1]
    refs = ""
    if not tr.additive:
        i = tr.years.index(y1)
        parts = []
        if tr.region[i] is not None:
            parts.append(f"{tr.region[i].name} {fmt(tr.region[i])}")
        if tr.country[i] is not None:
            parts.append(f"{t['country']} {fmt(tr.country[i])}")
        if parts:
            refs = t["trend_refs"].format(refs=", ".join(parts), year=y1)
    text = t["trend_caption"].format(
        name=name, title=info.title, y0=y0, v0=fmt(a0), y1=y1, v1=fmt(a1), refs=refs
    )
    if tr.estimated:
        text += " " + t["trend_estimate"]
    return text
