"""A municipality's peer group and the group's value of an indicator (pure functions).

The peer group is Statistics Finland's urban–rural class (``areas().peer_group``: 1 urban,
2 semi-urban, 3 rural) *minus the municipality itself*: a comparison with a group that
contains you pulls the group towards you (Oulu is half of its three-member class by
population).

How the group's value is computed, and what the page calls it:

* ``weighted`` — **population-weighted mean** of the peers' values ("väestöpainotettu
  keskiarvo"), when the panel has the ``population`` indicator for every peer with a value
  in that year (or the latest earlier year). A share or rate of a group is its members'
  shares weighted by their size; the plain mean of percentages would let Hailuoto (under
  1 000 residents) count as much as Kuusamo. Population is the closest weight the panel
  holds for every indicator; for a rate with another denominator (labour force, people
  aged 15+) it is an approximation, and the method page says so.
* ``mean`` — **plain mean of the municipalities' values** ("kuntien keskiarvo"), for counts
  (unit ``henkilöä``: a weighted mean of sizes would mean nothing) and whenever population
  is missing. The label says so, so no one reads it as the group's own rate.
* ``none`` — no peer has a value.

Suppressed cells (``.``, ``..``, ``...``) never enter: their value is not known.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from digiindicators.areas import AreaTable

from .lookup import PanelLookup, subset

POPULATION = "population"
SUPPRESSED = frozenset({".", "..", "..."})
COUNT_UNITS = frozenset({"henkilöä"})


@dataclass(frozen=True)
class PeerValue:
    value: float | None
    method: str  # "weighted", "mean" or "none"
    n: int  # peers whose value entered
    members: tuple[str, ...]  # every peer (the municipality itself excluded)


def peer_members(areas: AreaTable, code: str) -> list[str]:
    """Other municipalities of the same urban–rural class, in area-table order."""
    group = areas.peer_group(code)
    return [c for c in areas.municipalities() if c != code and areas.peer_group(c) == group]


def group_members(areas: AreaTable, group: str) -> list[str]:
    """Municipalities of one urban–rural class (``"1"``, ``"2"`` or ``"3"``)."""
    return [c for c in areas.municipalities() if areas.peer_group(c) == str(group)]


def _values(lookup: PanelLookup, indicator: str, year: int,
            codes: list[str]) -> dict[str, float]:
    # Walks the members, not every area of the year: a whole-country year has ~380 areas
    # and a profile asks this ~200 times.
    cells = lookup.cells(indicator, year)
    out = {}
    for code in codes:
        row = cells.get(code)
        if row is not None and row.value is not None and row.status not in SUPPRESSED:
            out[code] = row.value
    return out


def _positive_population(lookup: PanelLookup, year: int) -> dict[str, float]:
    """Every area's population in ``year`` when known and above zero, remembered with the
    lookup: a profile asks for the same year's weights once per statistic and year."""
    def build() -> dict[str, float]:
        return {code: value for code, value in
                _values(lookup, POPULATION, year, list(lookup.cells(POPULATION, year))).items()
                if value > 0}

    return lookup.remember(("positive-population", int(year)), build)


def _population(lookup: PanelLookup, year: int, codes: list[str],
                population_years: list[int]) -> dict[str, float] | None:
    """Population of every code in ``year`` or the latest earlier year; None if any lacks it.

    ``population_years`` are the years with population rows, newest first."""
    for candidate in population_years:
        if candidate > year:
            continue
        got = _positive_population(lookup, candidate)
        if all(c in got for c in codes):
            return got
    return None


def group_values(
    panel: pd.DataFrame, indicator: str, years: list[int], members: list[str], unit: str = "",
    *, lookup: PanelLookup | None = None,
) -> list[PeerValue]:
    """Value of ``indicator`` for a set of municipalities in each of ``years``, by the rules
    of the module doc.

    ``lookup`` is the app's index of ``panel`` (:mod:`dashboards.lookup`).
    """
    lookup = lookup or subset(panel, [indicator, POPULATION])
    weighted = unit not in COUNT_UNITS and indicator != POPULATION
    population_years = lookup.years(POPULATION)[::-1]
    out = []
    for year in years:
        values = _values(lookup, indicator, year, members)
        if not values:
            out.append(PeerValue(None, "none", 0, tuple(members)))
            continue
        codes = list(values)
        weights = _population(lookup, int(year), codes, population_years) if weighted else None
        if weights is not None:
            total = sum(weights[c] for c in codes)
            value = sum(values[c] * weights[c] for c in codes) / total
            out.append(PeerValue(value, "weighted", len(codes), tuple(members)))
        else:
            out.append(PeerValue(sum(values.values()) / len(values), "mean", len(codes),
                                 tuple(members)))
    return out


def group_value(
    panel: pd.DataFrame, indicator: str, year: int, members: list[str], unit: str = "", *,
    lookup: PanelLookup | None = None,
) -> PeerValue:
    """Value of ``indicator`` for a set of municipalities in ``year`` (:func:`group_values`)."""
    return group_values(panel, indicator, [year], members, unit, lookup=lookup)[0]


def peer_value(
    panel: pd.DataFrame, indicator: str, year: int, code: str, areas: AreaTable, unit: str = "",
    *, lookup: PanelLookup | None = None,
) -> PeerValue:
    """The peer group's value of ``indicator`` in ``year`` for municipality ``code``."""
    return group_value(panel, indicator, year, peer_members(areas, code), unit, lookup=lookup)
