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


def _population(lookup: PanelLookup, year: int, codes: list[str]) -> dict[str, float] | None:
    """Population of every code in ``year`` or the latest earlier year; None if any lacks it."""
    for candidate in reversed([y for y in lookup.years(POPULATION) if y <= int(year)]):
        got = _values(lookup, POPULATION, candidate, codes)
        if all(c in got and got[c] > 0 for c in codes):
            return got
    return None


def group_value(
    panel: pd.DataFrame, indicator: str, year: int, members: list[str], unit: str = "", *,
    lookup: PanelLookup | None = None,
) -> PeerValue:
    """Value of ``indicator`` for a set of municipalities, by the rules of the module doc.

    ``lookup`` is the app's index of ``panel`` (:mod:`dashboards.lookup`).
    """
    lookup = lookup or subset(panel, [indicator, POPULATION])
    values = _values(lookup, indicator, year, members)
    if not values:
        return PeerValue(None, "none", 0, tuple(members))
    codes = list(values)
    if unit not in COUNT_UNITS and indicator != POPULATION:
        weights = _population(lookup, year, codes)
        if weights is not None:
            total = sum(weights[c] for c in codes)
            value = sum(values[c] * weights[c] for c in codes) / total
            return PeerValue(value, "weighted", len(codes), tuple(members))
    return PeerValue(sum(values.values()) / len(values), "mean", len(codes), tuple(members))


def peer_value(
    panel: pd.DataFrame, indicator: str, year: int, code: str, areas: AreaTable, unit: str = "",
    *, lookup: PanelLookup | None = None,
) -> PeerValue:
    """The peer group's value of ``indicator`` in ``year`` for municipality ``code``."""
    return group_value(panel, indicator, year, peer_members(areas, code), unit, lookup=lookup)
