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
from .peers import PeerValue, group_value, peer_members


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


def _area_values(rows: pd.DataFrame, lang: str, areas: AreaTable) -> dict[str, AreaValue]:
    names = areas.names(lang)
    out: dict[str, AreaValue] = {}
    for rec in rows.to_dict("records"):
        code = str(rec["area_code"])
        if code in out:
            continue
        out[code] = AreaValue(
            code=code,
            name=names.get(code) or str(rec.get("area_name") or code),
            value=figures._num(rec.get("value")),
            status=figures._status(rec.get("status")),
            lower=figures._num(rec.get("lower")),
            upper=figures._num(rec.get("upper")),
            source=figures._status(rec.get("source")),
        )
    return out


def county_code(areas: AreaTable, code: str) -> str | None:
    row = areas.frame.loc[areas.frame["area_code"] == code, "hyvinvointialue"]
    return str(row.iloc[0]) if not row.empty and row.iloc[0] else None


def profile_rows(
    panel: pd.DataFrame, code: str, lang: str, catalog: Catalog, areas: AreaTable
) -> list[ProfileRow]:
    """One row per statistic the municipality has, in catalog order."""
    region = f"MK{areas.region}"
    county = county_code(areas, code)
    peers = peer_members(areas, code)
    own_rows = panel[(panel["area_code"] == code) & (panel["area_level"] == "kunta")]
    out = []
    for indicator in figures.available_indicators(panel, catalog):
        mine = own_rows[own_rows["indicator"] == indicator]
        if mine.empty:
            continue
        year = int(mine["year"].max())
        rows = panel[(panel["indicator"] == indicator) & (panel["year"] == year)]
        values = _area_values(rows, lang, areas)
        info = figures.indicator_info(indicator, lang, catalog, panel)
        country = values.get(COUNTRY_CODE)
        if country is not None:
            country = AreaValue(country.code, texts(lang)["country_name"], country.value,
                                country.status, country.lower, country.upper, country.source)
        out.append(ProfileRow(
            info=info, year=year, own=values[code],
            peer=group_value(panel, indicator, year, peers, info.unit),
            region=values.get(region), county=values.get(county) if county else None,
            country=country,
        ))
    return out


def trend(
    panel: pd.DataFrame, indicator: str, code: str, lang: str, catalog: Catalog,
    areas: AreaTable,
) -> Trend:
    """Every year of one indicator for the municipality, its peers, the region and Finland."""
    info = figures.indicator_info(indicator, lang, catalog, panel)
    rows = panel[panel["indicator"] == indicator]
    years = sorted(int(y) for y in rows.loc[rows["area_code"] == code, "year"].unique())
    peers = peer_members(areas, code)
    region = f"MK{areas.region}"
    own, peer, reg, country = [], [], [], []
    for year in years:
        values = _area_values(rows[rows["year"] == year], lang, areas)
        own.append(values.get(code))
        peer.append(group_value(panel, indicator, year, peers, info.unit).value)
        reg.append(values.get(region))
        country.append(values.get(COUNTRY_CODE))
    return Trend(info, years, own, peer, reg, country, info.additive or info.unit == "henkilöä")


def trend_indicators(panel: pd.DataFrame, code: str, catalog: Catalog) -> list[str]:
    """Statistics with values for the municipality in at least two years (a line needs two)."""
    rows = panel[(panel["area_code"] == code)]
    rows = rows[pd.to_numeric(rows["value"], errors="coerce").notna()]
    counts = rows.groupby("indicator")["year"].nunique()
    return [i for i in figures.available_indicators(panel, catalog) if counts.get(i, 0) >= 2]


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
