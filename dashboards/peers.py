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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
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
    return [c for c in areas.peer_group_members(areas.peer_group(code)) if c != code]


def group_members(areas: AreaTable, group: str) -> list[str]:
    """Municipalities of one urban–rural class (``"1"``, ``"2"`` or ``"3"``)."""
    return areas.peer_group_members(group)


@dataclass(frozen=True)
class _Grid:
    """One indicator's known values as a year × area array (NaN = missing or suppressed),
    its columns those of :func:`_columns` (the same for every indicator)."""

    years: dict[int, int]  # year → row
    values: np.ndarray

    def take(self, years: list[int], columns: np.ndarray) -> np.ndarray:
        """Values in ``years`` (rows) of the areas at ``columns`` (:func:`_positions`);
        NaN where the indicator has none. ``values`` ends in a row and a column of NaN,
        which index -1 (a year or an area the indicator never has) picks."""
        rows = np.array([self.years.get(int(y), -1) for y in years], dtype=np.intp)
        return self.values[rows[:, None], columns[None, :]]


def _columns(lookup: PanelLookup) -> dict[str, int]:
    """Area code → column, for every area with a row in ``lookup`` (built once)."""
    def build() -> dict[str, int]:
        columns: dict[str, int] = {}
        for indicator in lookup.indicators():
            for year in lookup.years(indicator):
                for code in lookup.cells(indicator, year):
                    columns.setdefault(code, len(columns))
        return columns

    return lookup.remember(("peer-columns",), build)


def _positions(lookup: PanelLookup, codes: list[str]) -> np.ndarray:
    """The columns of ``codes`` (-1 for an area without rows), kept per list of codes: a
    profile asks 18 statistics and their population weights of the same peers, some 200
    of them for a rural municipality of the whole country. The lists are the peer groups
    the app asks for, one per municipality and class."""
    def build() -> np.ndarray:
        columns = _columns(lookup)
        return np.array([columns.get(c, -1) for c in codes], dtype=np.intp)

    return lookup.remember(("peer-positions", tuple(codes)), build)


def _grid(lookup: PanelLookup, indicator: str, *, positive: bool = False) -> _Grid:
    """The :class:`_Grid` of ``indicator``, built once per lookup (``positive``: only values
    above zero count, as population weights)."""
    def build() -> _Grid:
        years = {year: i for i, year in enumerate(lookup.years(indicator))}
        columns = _columns(lookup)
        values = np.full((len(years) + 1, len(columns) + 1), np.nan)  # + NaN padding
        for year, i in years.items():
            for code, row in lookup.cells(indicator, year).items():
                if row.value is not None and row.status not in SUPPRESSED and (
                        row.value > 0 or not positive):
                    values[i, columns[code]] = row.value
        return _Grid(years, values)

    return lookup.remember(("peer-grid", indicator, positive), build)


def _weights(lookup: PanelLookup, years: list[int], positions: np.ndarray,
             known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population weights (rows × members at ``positions``) and the rows that have them;
    row ``i`` is asked for ``years[i]``, its members with a value marked in ``known[i]``.

    A row has weights when some population year not after its year gives every peer with
    a value a population above zero; the latest such year is used (the module doc's rule),
    found for all rows at once.
    """
    grid = _grid(lookup, POPULATION, positive=True)
    population_years = sorted(grid.years)
    weights = np.full(known.shape, np.nan)
    if not population_years:
        return weights, np.zeros(len(years), dtype=bool)
    population = grid.take(population_years, positions)  # population years × members
    lacking = known[:, None, :] & np.isnan(population)[None, :, :]
    usable = ~lacking.any(axis=2)  # rows × population years
    usable &= np.array(population_years)[None, :] <= np.array(years, dtype=float)[:, None]
    found = usable.any(axis=1)
    latest = len(population_years) - 1 - np.argmax(usable[:, ::-1], axis=1)
    weights[found] = population[latest[found]]
    return weights, found


def group_values(
    panel: pd.DataFrame, indicator: str, years: list[int], members: list[str], unit: str = "",
    *, lookup: PanelLookup | None = None,
) -> list[PeerValue]:
    """Value of ``indicator`` for a set of municipalities in each of ``years``, by the rules
    of the module doc.

    Array arithmetic over all years and members at once: a rural municipality of the whole
    country has some 200 peers, and its profile asks for 18 statistics over 26 years.
    ``lookup`` is the app's index of ``panel`` (:mod:`dashboards.lookup`).
    """
    return group_values_of(panel, [(indicator, year, unit) for year in years], members,
                           lookup=lookup)


def group_values_of(
    panel: pd.DataFrame, cells: Sequence[tuple[str, int, str]], members: list[str], *,
    lookup: PanelLookup | None = None,
) -> list[PeerValue]:
    """The group's value of each ``(indicator, year, unit)`` of ``cells``, all at once.

    Why: a profile asks for 18 statistics, each in its own latest year, of the same peers;
    one at a time, the arrays' fixed costs made the peers' values a third of the page.
    Each cell is one row of the same arithmetic :func:`group_values` does for the years of
    one statistic (the population weights of a row are chosen by that row's year and
    known values alone), so a value is the same to the bit whichever way it is asked.
    """
    lookup = lookup or subset(panel, [*{c[0] for c in cells}, POPULATION])
    positions = _positions(lookup, members)
    rows_of: dict[str, list[int]] = {}  # one take per statistic, all its years at once
    for row, (indicator, _year, _unit) in enumerate(cells):
        rows_of.setdefault(indicator, []).append(row)
    values = np.empty((len(cells), len(positions)))
    for indicator, rows in rows_of.items():
        values[rows] = _grid(lookup, indicator).take([cells[r][1] for r in rows], positions)
    known = ~np.isnan(values)
    counts = known.sum(axis=1)
    # Divisors of 1 where nothing is divided: those rows are not read below.
    means = np.where(known, values, 0.0).sum(axis=1) / np.maximum(counts, 1)
    weigh = np.array([unit not in COUNT_UNITS and indicator != POPULATION
                      for indicator, _year, unit in cells], dtype=bool)
    if weigh.any():
        weights, weighted = _weights(lookup, [c[1] for c in cells], positions, known)
        weighted &= weigh & (counts > 0)
        sums = np.where(weighted[:, None] & known, values * weights, 0.0).sum(axis=1)
        totals = np.where(weighted[:, None] & known, weights, 0.0).sum(axis=1)
        weighted_means = sums / np.where(weighted, totals, 1.0)
    else:
        weighted = np.zeros(len(counts), dtype=bool)
        weighted_means = means
    group = tuple(members)
    out = []
    for n, by_weight, mean, weighted_mean in zip(counts.tolist(), weighted.tolist(),
                                                 means.tolist(), weighted_means.tolist(),
                                                 strict=True):
        if n == 0:
            out.append(PeerValue(None, "none", 0, group))
        elif by_weight:
            out.append(PeerValue(weighted_mean, "weighted", n, group))
        else:
            out.append(PeerValue(mean, "mean", n, group))
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
