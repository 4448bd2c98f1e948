"""A small, deterministic, clearly SYNTHETIC panel for dashboard tests.

The numbers are made up from a checksum of (indicator, area, year) — they are not
statistics and every row's ``source`` says so. The areas and indicators are the real
ones (area table, catalog), so the dashboard is exercised on the real codes and names.
A few cells are suppressed and one is a modelled estimate so those paths are tested too.
"""

from __future__ import annotations

import math
import zlib

import pandas as pd

from dashboards.app import DataInfo
from digiindicators.areas import areas as load_areas
from digiindicators.catalog import load_catalog

SOURCE = "SYNTEETTINEN testiaineisto (tests/panel_factory.py), ei todellisia tilastoja"
COMPUTED = "; laskettu kuntien luvuista"

INDICATORS = ("population", "share_75plus", "unemployment_rate", "median_income", "poverty_rate")
DEFAULT_YEARS = tuple(range(2020, 2025))
YEARS = {"unemployment_rate": tuple(range(2021, 2026))}
#: (low, high) range of the made-up municipal values.
RANGES = {
    "population": (900.0, 9000.0),
    "share_75plus": (6.0, 19.0),
    "unemployment_rate": (5.0, 16.0),
    "median_income": (19000.0, 27000.0),
    "poverty_rate": (9.0, 21.0),
}
#: Cells withheld by the "source": (indicator, year) -> {area_code: status}.
SUPPRESSED = {
    ("share_75plus", 2024): {"KU483": "..", "KU630": "..."},
    ("poverty_rate", 2024): {"KU072": "."},
}
#: One modelled estimate with an interval: (indicator, year, area_code).
ESTIMATE = ("unemployment_rate", 2025, "KU072")

REFRESHED_AT = "2026-07-01T06:00:00+03:00"


def _fraction(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) from the parts (no RNG state, no numpy)."""
    return zlib.crc32("|".join(map(str, parts)).encode()) / 2**32


def municipal_value(indicator: str, code: str, year: int) -> float:
    lo, hi = RANGES[indicator]
    value = lo + (hi - lo) * _fraction(indicator, code)
    value *= 1 + 0.06 * (_fraction(indicator, code, year) - 0.5)  # wobble from year to year
    if indicator == "population" and code == "KU564":
        value *= 25  # one big city, as in the real region
    decimals = load_catalog()[indicator].decimals
    return round(value, decimals)


def make_panel(indicators: tuple[str, ...] = INDICATORS) -> pd.DataFrame:
    """The synthetic panel, with the columns and codes of ``digiindicators.load()``."""
    table = load_areas()
    frame = table.frame
    names = dict(zip(frame["area_code"], frame["name_fi"], strict=True))
    catalog = load_catalog()
    rows: list[dict[str, object]] = []

    def add(ind, code, level, year, value, status="", source=SOURCE, lower=math.nan,
            upper=math.nan):
        rows.append({
            "indicator": ind, "area_code": code, "area_level": level, "area_name": names[code],
            "year": year, "value": value, "status": status, "unit": catalog[ind].unit,
            "source": source, "lower": lower, "upper": upper,
        })

    for ind in indicators:
        for year in YEARS.get(ind, DEFAULT_YEARS):
            municipal: dict[str, float] = {}
            for code in table.municipalities():
                status = SUPPRESSED.get((ind, year), {}).get(code, "")
                if status:
                    add(ind, code, "kunta", year, math.nan, status)
                    continue
                value = municipal_value(ind, code, year)
                municipal[code] = value
                if (ind, year, code) == ESTIMATE:
                    add(ind, code, "kunta", year, value, "e", lower=round(value * 0.8, 1),
                        upper=round(value * 1.25, 1))
                else:
                    add(ind, code, "kunta", year, value)
            total = ind == "population"
            decimals = catalog[ind].decimals
            for code in table.aggregate_areas():
                members = [municipal[c] for c in table.members(code) if c in municipal]
                value = sum(members) if total else sum(members) / len(members)
                add(ind, code, frame.loc[frame["area_code"] == code, "area_level"].iloc[0],
                    year, round(value, decimals), source=SOURCE + COMPUTED)
            lo, hi = RANGES[ind]
            share = 0.35 + 0.3 * _fraction(ind, year)
            national = 5_600_000.0 if total else lo + (hi - lo) * share
            add(ind, "SSS", "maa", year, round(national, decimals))
    panel = pd.DataFrame(rows)
    panel["year"] = panel["year"].astype(int)
    panel["value"] = panel["value"].astype(float)
    return panel


def make_info(demo: bool = False, stale: tuple[str, ...] = ()) -> DataInfo:
    return DataInfo(
        demo=demo,
        refreshed_at=REFRESHED_AT,
        cache_dir="/tmp/digiindicators-test-cache",
        stale=stale,
    )
