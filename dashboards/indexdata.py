"""The index view's data: components, the reader's choices, the index and its rank ranges.

A thin layer over :mod:`digiindicators.composite` (the method lives there, documented and
tested). What this module adds is what a *page* needs:

* which indicators may be components (:func:`candidates`): statistics with a risk direction
  (``neutral`` ones cannot enter) and not counts (a count ranks municipalities by size);
* the reader's choices (:class:`IndexChoice`): a weight per candidate — 0 leaves it out,
  so its missing cells do not cost a municipality its index — normalisation, aggregation
  and year, validated against what the panel can support;
* the result (:func:`compute`): the index of those choices, joined with the rank ranges
  of the *same* weights first (so ``rank_base`` is the rank the page shows) and then every
  other normalisation and aggregation and each component left out in turn. A rank whose
  range exceeds ``robust_max_range`` places is flagged "not robust". Both come from one
  :class:`~digiindicators.composite.IndexInputs` per year and set of components, kept
  while the reader tries weights.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from digiindicators.areas import AreaTable
from digiindicators.catalog import Catalog
from digiindicators.composite import (
    AGGREGATIONS,
    DEFAULT_ROBUST_MAX_RANGE,
    NORMALISATIONS,
    IndexInputs,
    IndexSpec,
    RankRanges,
)
from digiindicators.errors import AnalysisError

from . import figures
from .lookup import PanelLookup

#: Components switched on by default, when present: modelled non-use, old age, little
#: education, low income, unemployment (research/method.md §2.5: need-side risk factors).
DEFAULT_COMPONENTS = (
    "share_nonusers_16_89",
    "share_75plus",
    "share_no_post_basic",
    "poverty_rate",
    "unemployment_rate",
)
MAX_WEIGHT = 10.0
INDEX_ID = "composite_index"


@dataclass(frozen=True)
class IndexChoice:
    weights: dict[str, float]  # every candidate; 0 = left out
    normalisation: str = "minmax"
    aggregation: str = "arithmetic"
    year: int | None = None  # None = latest year in which every active component has data

    @property
    def active(self) -> list[str]:
        return [i for i, w in self.weights.items() if w > 0]

    def key(self) -> tuple:
        return (tuple(sorted(self.weights.items())), self.normalisation, self.aggregation,
                self.year)


#: The columns of the rank ranges that join the index table.
RANGE_COLUMNS = ("rank_best", "rank_median", "rank_worst", "rank_range", "robust")


@dataclass(frozen=True)
class RangesByArea:
    """The library's rank ranges, with their columns as plain values (as an index table's
    records hold them) and each municipality's position: the page joins them to every
    index of these weights and year (:attr:`IndexResult.range_columns`)."""

    ranges: RankRanges
    position: dict[str, int]
    #: The values of :data:`RANGE_COLUMNS`, in that order, each in the ranges' row order.
    columns: tuple[list, ...]

    @classmethod
    def of(cls, ranges: RankRanges) -> RangesByArea:
        return cls(ranges, {code: i for i, code in enumerate(ranges.area_code)},
                   (_whole(ranges.rank_best), ranges.rank_median.tolist(),
                    _whole(ranges.rank_worst), _whole(ranges.rank_range),
                    ranges.robust.tolist()))


def _whole(values: np.ndarray) -> list[int | None]:
    """Whole numbers held as floats, NaN as None (what an Int64 column's records hold).

    Converted by numpy, then the few NaN places (municipalities never ranked) set: a
    Python test per value cost more than the rest of joining the ranges."""
    missing = np.isnan(values)
    out: list[int | None] = np.where(missing, 0, values).astype(np.int64).tolist()
    for i in np.flatnonzero(missing).tolist():
        out[i] = None
    return out


@dataclass
class IndexResult:
    choice: IndexChoice
    year: int | None
    error: str = ""  # "weights", "year" or the library's message
    years: list[int] = field(default_factory=list)  # years the active components share
    robust_max_range: int = DEFAULT_ROBUST_MAX_RANGE
    scenarios: int = 0
    #: The library's index table as columns of plain values, by rank
    #: (:meth:`~digiindicators.composite.IndexInputs.index_columns`); empty on error.
    columns: dict[str, list] = field(default_factory=dict)
    #: The rank ranges of these weights and year (None when not asked for:
    #: ``compute(..., ranges=False)``).
    ranges: RangesByArea | None = None
    names: dict[str, str] = field(default_factory=dict)  # the municipalities' names
    #: The library's index table and rank ranges the columns were made of, built when
    #: called (None on error; ranges None when they were not asked for). Only a
    #: download needs them.
    frames: Callable[[], tuple[pd.DataFrame, pd.DataFrame | None]] | None = None

    @cached_property
    def row_names(self) -> list[str]:
        """Each row's municipality name in :attr:`names`' language (its code when it has
        none), in the index's row order."""
        names = self.names
        return [names.get(code, code) for code in self.columns.get("area_code", [])]

    @cached_property
    def range_columns(self) -> tuple[list, ...]:
        """The values of :data:`RANGE_COLUMNS`, in that order, each in the index's row
        order (a municipality without rank ranges gets what a left join leaves)."""
        codes = self.columns.get("area_code", [])
        if self.ranges is None:
            return tuple([value] * len(codes) for value in _NO_RANGES.values())
        at = [self.ranges.position.get(code) for code in codes]
        return tuple([values[i] if i is not None else missing for i in at]
                     for values, missing in zip(self.ranges.columns, _NO_RANGES.values(),
                                                strict=True))

    @cached_property
    def ranked(self) -> list[dict]:
        """Municipalities with an index, by rank: each one's code, name, index, rank and
        rank range (:data:`RANGE_COLUMNS`), the fields the rank-range chart and its
        caption read, made from the columns (the page's tables read the columns)."""
        columns = self.columns
        if not columns:
            return []
        keys = ("area_code", "name", "index", "rank", *RANGE_COLUMNS)
        return [dict(zip(keys, row, strict=True))
                for row in zip(columns["area_code"], self.row_names, columns["index"],
                               columns["rank"], *self.range_columns, strict=True)
                if row[2] == row[2]]  # NaN: no index

    @cached_property
    def table(self) -> pd.DataFrame:
        """The index table with each municipality's rank range and name as a frame,
        joined by pandas from the library's tables when asked for (a download); the
        page reads :attr:`columns`, :attr:`range_columns` and :attr:`ranked`."""
        if self.frames is None:
            return pd.DataFrame()
        index, ranges = self.frames()
        names = self.row_names
        if ranges is None:
            return index.assign(name=names)
        table = index.merge(ranges[["area_code", *RANGE_COLUMNS]], on="area_code", how="left")
        table["name"] = names
        table["robust"] = table["robust"].fillna(False).astype(bool)
        return table

    def renamed(self, names: dict[str, str]) -> IndexResult:
        """The same result with the municipalities' names from ``names`` (another language)."""
        return replace(self, names=names) if self.columns else self


def candidates(panel: pd.DataFrame, catalog: Catalog, *,
               lookup: PanelLookup | None = None) -> list[str]:
    """Indicators that may enter the index, in catalog order."""
    out = []
    for ind in figures.available_indicators(panel, catalog, lookup=lookup):
        info = figures.indicator_info(ind, "fi", catalog, panel, lookup=lookup)
        if info.direction in ("higher_is_worse", "higher_is_better") and info.unit != "henkilöä":
            out.append(ind)
    return out


def default_weights(cands: list[str]) -> dict[str, float]:
    """Weight 1 for the default components present, else for the first three candidates."""
    chosen = [c for c in cands if c in DEFAULT_COMPONENTS] or cands[:3]
    return {c: (1.0 if c in chosen else 0.0) for c in cands}


def common_years(panel: pd.DataFrame, indicators: list[str], *,
                 lookup: PanelLookup | None = None) -> list[int]:
    """Years in which every indicator has at least two municipal values."""
    if not indicators:
        return []
    if lookup is not None:
        common: set[int] | None = None
        for ind in indicators:
            have = set(lookup.municipal_years(ind, at_least=2))
            common = have if common is None else common & have
        return sorted(common or ())
    rows = panel[(panel["area_level"] == "kunta") & panel["indicator"].isin(indicators)]
    rows = rows[pd.to_numeric(rows["value"], errors="coerce").notna()]
    counts = rows.groupby(["indicator", "year"])["area_code"].nunique()
    years: set[int] | None = None
    for ind in indicators:
        have = {int(y) for (i, y), n in counts.items() if i == ind and n >= 2}
        years = have if years is None else years & have
    return sorted(years or ())


def clean_choice(
    weights: dict[str, object], normalisation: str | None, aggregation: str | None,
    year: object, cands: list[str],
) -> IndexChoice:
    """A valid choice from untrusted input (URL, form): unknown keys dropped, weights clipped."""
    clean: dict[str, float] = {}
    for c in cands:
        try:
            w = float(weights.get(c, 0.0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            w = 0.0
        clean[c] = min(max(w, 0.0), MAX_WEIGHT) if w == w else 0.0  # NaN → 0
    try:
        year_int: int | None = int(year) if year not in (None, "") else None  # type: ignore
    except (TypeError, ValueError):
        year_int = None
    return IndexChoice(
        weights=clean,
        normalisation=normalisation if normalisation in NORMALISATIONS else "minmax",
        aggregation=aggregation if aggregation in AGGREGATIONS else "arithmetic",
        year=year_int,
    )


def compute(panel: pd.DataFrame, choice: IndexChoice, catalog: Catalog,
            names: dict[str, str], *, lookup: PanelLookup | None = None,
            memo: Callable[[Hashable, Callable[[], Any]], Any] | None = None,
            ranges: bool = True, base: IndexResult | None = None) -> IndexResult:
    """Index, rank and rank range of every municipality, or an error the page can explain.

    ``table`` columns: ``area_code, area_name, year, index, rank,
    <component scores>, n_components, missing, rank_best, rank_median, rank_worst,
    rank_range, robust, name`` (sorted by rank, municipalities without an index last).
    ``lookup`` (the app's index of ``panel``) finds the years.

    ``memo(key, build)`` may return what was built before for the same key, two things:
    the components' values of a year, normalised (they do not depend on the weights, so a
    reader trying weights pays only for the weighing), and a rank-range table (the ranges
    cover every normalisation and aggregation whichever is chosen, so they depend only on
    the weights and the year, and changing the method needs one index run, not ~37).

    ``ranges=False`` leaves the rank ranges out (``rank_best`` … ``robust`` are then empty
    and ``scenarios`` 0): the index alone, for a page that draws the ranges afterwards.
    ``base``, such a result of the same choice, is not computed again: only its ranges are.
    """
    active = choice.active
    if not active:
        return IndexResult(choice, None, error="weights")
    years = common_years(panel, active, lookup=lookup)
    if not years:
        return IndexResult(choice, None, error="year", years=years)
    year = choice.year if choice.year in years else years[-1]
    weights = {i: choice.weights[i] for i in active}
    norms = [choice.normalisation] + [n for n in NORMALISATIONS if n != choice.normalisation]
    aggs = [choice.aggregation] + [a for a in AGGREGATIONS if a != choice.aggregation]
    remember = memo if memo is not None else (lambda _key, build: build())
    try:
        inputs = remember(("index-inputs", tuple(active), year),
                          lambda: _inputs(panel, active, year, catalog))
        spec = IndexSpec(tuple(active), weights, choice.normalisation, choice.aggregation)
        if base is not None and not base.error and base.choice == choice:
            columns = base.columns
        else:
            columns = inputs.index_columns(spec)
        if not ranges:
            return IndexResult(choice, year, years=years, columns=columns, names=names,
                               frames=lambda: (inputs.index(spec), None))
        sens = remember(("rank-ranges", tuple(sorted(weights.items())), year),
                        lambda: RangesByArea.of(inputs.rank_ranges(
                            [weights], normalisations=norms, aggregations=aggs,
                            leave_one_out=len(active) > 1)))
    except AnalysisError as exc:
        return IndexResult(choice, year, error=str(exc), years=years)
    return IndexResult(
        choice, year, years=years, robust_max_range=sens.ranges.robust_max_range,
        scenarios=len(sens.ranges.scenarios), columns=columns, ranges=sens, names=names,
        frames=lambda: (inputs.index(spec), sens.ranges.frame()),
    )


#: What a municipality without rank ranges has in their columns (a left join's gaps).
_NO_RANGES = dict(zip(RANGE_COLUMNS, (None, float("nan"), None, None, False), strict=True))


def _inputs(panel: pd.DataFrame, active: list[str], year: int,
            catalog: Catalog) -> IndexInputs:
    """The components' municipal values of ``year``, ready for any weights.

    Only those rows are handed over: the library then reads a few hundred rows, not the
    whole panel. The year is compared first, an integer comparison after which the two text
    comparisons run over one year's rows (a whole-country index panel has ~80 000).
    """
    directions = {i: figures.indicator_info(i, "fi", catalog, panel).direction for i in active}
    rows = panel[panel["year"] == year]
    rows = rows[rows["indicator"].isin(active) & (rows["area_level"] == "kunta")]
    return IndexInputs(rows, active, directions=directions, year=year)


def index_values(result: IndexResult) -> dict[str, figures.AreaValue]:
    """The index as the views show a statistic's values (:func:`figures.ranking_of`), by
    municipality; one without an index has no value and is marked ``..``. Read from the
    columns: the chart comes before the rank ranges are known."""
    values = {}
    for code, name, index in zip(result.columns["area_code"], result.row_names,
                                 result.columns["index"], strict=True):
        value = index if index == index else None  # NaN: no index
        values[code] = figures.AreaValue(code, name, value,
                                         "" if value is not None else "..", None, None, "")
    return values


def index_ranking(result: IndexResult, info: figures.IndicatorInfo, lang: str,
                  areas: AreaTable) -> figures.Ranking:
    """The index as a ranking chart draws a statistic: :func:`figures.ranking_of` of
    :func:`index_values`, read straight from the columns when that gives the same ranking.

    Why: the columns already run from the highest index down (no index last), so when
    the indices fall strictly from row to row, :func:`~figures.ranking_of`'s order (value,
    then name) is the columns' order, and a reader trying weights need not have 308
    values looked up by code and sorted again. Equal indices (ordered by name in the
    chart, by code in the columns) or any other order take the general way.
    """
    codes, indices = result.columns["area_code"], result.columns["index"]
    ranked_count = sum(1 for value in indices if value == value)  # NaN: no index, last
    head = indices[:ranked_count]
    if any(value == value for value in indices[ranked_count:]) \
            or not all(map(operator.gt, head, head[1:])):
        values = index_values(result)
        return figures.ranking_of(values, info, result.year, lang, areas, values)
    names = result.row_names
    # Built as tuples of the named tuple's type: the same values, without a Python-level
    # constructor call per municipality (``head`` is the shortest: it ends the rows).
    ranked = list(map(_area_value, zip(codes, names, head, _repeat(""), _repeat(None),
                                       _repeat(None), _repeat(""), strict=False)))
    missing = [figures.AreaValue(code, name, None, "..", None, None, "")
               for code, name in zip(codes[ranked_count:], names[ranked_count:], strict=True)]
    listed = set(codes)
    missing += [figures.absent_value(code, lang, areas)
                for code in areas.municipalities() if code not in listed]
    missing.sort(key=lambda a: figures.sort_key(a.name))
    return figures.Ranking(info, int(result.year), lang, ranked, missing, None, None, [], None)


_area_value = functools.partial(tuple.__new__, figures.AreaValue)
_repeat = itertools.repeat


def ranked(result: IndexResult) -> list[dict]:
    """Municipalities with an index, by rank (:attr:`IndexResult.ranked`)."""
    return result.ranked


def unstable(result: IndexResult) -> list[dict]:
    """Rows of municipalities with an index whose rank is not robust, largest range first."""
    shaky = [r for r in ranked(result) if not r["robust"]]
    return sorted(shaky, key=lambda r: (-int(r["rank_range"]), int(r["rank"])))
