"""A transparent digital-divide risk index over the municipalities, with its sensitivity.

Why this shape: a composite index hides choices (normalisation, weights, aggregation) that
can move a municipality up or down the list. Following the JRC/OECD *Handbook on
Constructing Composite Indicators: Methodology and User Guide* (OECD, 2008; 10 steps:
framework, selection, imputation, multivariate analysis, normalisation, weighting,
aggregation, uncertainty & sensitivity, links, visualisation), every choice here is an
explicit argument, every component score is returned next to the index, and
:func:`sensitivity` reports each municipality's *rank range* over the alternatives, so a
reader sees which rankings are robust and which are artefacts of the method.

Rules (``research/method.md`` §2.5):

* Only ``area_level == "kunta"`` rows enter; sub-region, region and country rows never
  influence the normalisation (z-scores, min/max and ranks are over municipalities only).
* Directions are aligned so that a higher score always means more digital-divide risk:
  ``higher_is_worse`` indicators are used as they are, ``higher_is_better`` ones are
  inverted, and ``neutral`` ones are refused — they have no risk direction.
* Missing values are never imputed (the answer given here to the Handbook's step 3):
  suppressed cells (NaN with ``.``/``..``/``...``) stay missing, and a municipality that
  lacks any component gets *no* index (listed in ``missing``) rather than a silently
  partial one. Normalisation statistics of an indicator use the municipalities that have
  it. An indicator with the same value everywhere is refused: it cannot be normalised and
  carries no information for a ranking.
* Weights are normalised to sum to 1; negative weights are refused; ``None`` means equal.

Normalisation (component score ``s`` per indicator, direction-aligned, sign σ = ±1):

* ``minmax``: ``s = 100 (x − L)/(H − L)`` (σ = −1: ``100 (H − x)/(H − L)``). ``L, H`` are
  the fixed ``goalposts`` of the indicator when given (scores then comparable across years,
  as in DESI; values outside are clipped to 0/100), else the observed min/max over the
  municipalities in that year (scores then relative to this year's municipalities).
* ``zscore``: ``s = σ (x − mean)/sd`` with the population sd (ddof = 0) over the
  municipalities — they are the whole population of interest, not a sample.
* ``rank``: ``s = 100 (r − 1)/(m − 1)`` with ``r`` the average-tie rank of ``σ x`` among
  the ``m`` municipalities that have the indicator.

Aggregation (weights w, Σ w = 1), reported on 0–100 with higher = more risk. Scores are
first put on a common 0–100 scale ``u``: ``u = s`` for ``minmax`` and ``rank``; for
``zscore`` the T-score ``u = 50 + 10 z`` (50 = the municipal mean, 10 points = one standard
deviation), clipped to [0, 100] (only reached beyond ±5 sd). The aggregation uses only a
municipality's own scores — no rescaling of the composite over the municipalities — so
raising one of its risk values never lowers its index (a min–max of the composite would
break that).

* ``arithmetic``: ``I = Σ w u`` — fully compensatory.
* ``geometric``: ``I = (Π (1 + 0.99 u)^w − 1) / 0.99`` — less compensatory: a low score
  cannot be fully offset by a high one. The geometric mean needs strictly positive inputs,
  so ``u`` is shifted into [1, 100] (0 → 1, 100 → 100) and the result mapped back to
  0–100. With z-scores (u around 50) the result stays close to the arithmetic one.

The rank is 1 for the highest risk; ties share the better rank. Indices are compared at
nine decimals, so municipalities whose indices are equal on paper tie even when floating
point puts them a last bit apart.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .errors import AnalysisError

logger = logging.getLogger(__name__)

NORMALISATIONS = ("minmax", "zscore", "rank")
AGGREGATIONS = ("arithmetic", "geometric")
#: Sign that turns each catalog direction into "higher = more risk".
RISK_SIGN = {"higher_is_worse": 1.0, "higher_is_better": -1.0}
#: Source symbols meaning "no value" (Statistics Finland / THL conventions).
SUPPRESSION_SYMBOLS = frozenset({".", "..", "..."})
#: A municipality is "robust" when its rank moves at most this many places over all scenarios.
DEFAULT_ROBUST_MAX_RANGE = 3
#: Lower end of the positive range scores are shifted into before geometric aggregation.
GEOMETRIC_FLOOR = 1.0
#: Decimals at which two indices (0–100) count as equal when ranking: far below any real
#: difference, far above floating-point noise (~1e-13).
RANK_DECIMALS = 9

_REQUIRED = ("indicator", "area_code", "area_level", "year", "value")


@dataclass(frozen=True)
class IndexSpec:
    """The choices that define one index; validated on creation so a bad spec fails early."""

    indicators: tuple[str, ...]
    weights: dict[str, float] | None = None
    normalisation: str = "minmax"
    aggregation: str = "arithmetic"
    goalposts: dict[str, tuple[float, float]] | None = None

    def __post_init__(self) -> None:
        indicators = tuple(self.indicators)
        object.__setattr__(self, "indicators", indicators)
        if not indicators:
            raise AnalysisError("IndexSpec needs at least one indicator.")
        dupes = sorted({i for i in indicators if indicators.count(i) > 1})
        if dupes:
            raise AnalysisError(f"IndexSpec lists indicator(s) twice: {', '.join(dupes)}.")
        if self.normalisation not in NORMALISATIONS:
            raise AnalysisError(
                f"normalisation must be one of {', '.join(NORMALISATIONS)}, "
                f"got {self.normalisation!r}."
            )
        if self.aggregation not in AGGREGATIONS:
            raise AnalysisError(
                f"aggregation must be one of {', '.join(AGGREGATIONS)}, got {self.aggregation!r}."
            )
        if self.weights is not None:
            extra = sorted(set(self.weights) - set(indicators))
            lacking = [i for i in indicators if i not in self.weights]
            if extra or lacking:
                raise AnalysisError(
                    "weights must name exactly the spec's indicators"
                    + (f"; not in the spec: {', '.join(extra)}" if extra else "")
                    + (f"; no weight for: {', '.join(lacking)}" if lacking else "")
                    + "."
                )
            bad = {k: v for k, v in self.weights.items() if not np.isfinite(v) or v < 0}
            if bad:
                raise AnalysisError(f"weights must be finite and ≥ 0, got {bad}.")
            if sum(self.weights.values()) <= 0:
                raise AnalysisError("weights must not all be zero.")
        if self.goalposts is not None:
            if self.normalisation != "minmax":
                raise AnalysisError(
                    "goalposts apply to min–max normalisation only; "
                    f"drop them or use normalisation='minmax' (got {self.normalisation!r})."
                )
            extra = sorted(set(self.goalposts) - set(indicators))
            if extra:
                raise AnalysisError(f"goalposts given for indicator(s) not in the spec: {extra}.")
            for ind, (lo, hi) in self.goalposts.items():
                if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
                    raise AnalysisError(f"goalposts of {ind} must be (low, high) with high > low.")

    def normalised_weights(self) -> dict[str, float]:
        """Weights scaled to sum to 1 (equal when none were given)."""
        if self.weights is None:
            return {i: 1.0 / len(self.indicators) for i in self.indicators}
        total = float(sum(self.weights.values()))
        return {i: float(self.weights[i]) / total for i in self.indicators}

    @property
    def label(self) -> str:
        return f"{self.normalisation}/{self.aggregation}/{self.weights_label}"

    @property
    def weights_label(self) -> str:
        """The weights part of :attr:`label` ("equal" or ``id=w,…``)."""
        weights = self.normalised_weights()
        if self.weights is None or len(set(np.round(list(weights.values()), 12))) == 1:
            return "equal"
        return ",".join(f"{i}={w:.3g}" for i, w in weights.items())


# ---- public API ---------------------------------------------------------------------------
def build_index(
    panel: pd.DataFrame,
    spec: IndexSpec,
    *,
    year: int | None = None,
    directions: Mapping[str, str],
    areas: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Index of digital-divide risk (0–100, higher = more risk) for each municipality.

    ``directions`` maps indicator id → catalog direction (e.g.
    ``{i.id: i.direction for i in load_catalog().indicators}``). ``year=None`` takes the
    latest year in which every indicator has at least one municipal value. ``areas``
    restricts the municipalities (e.g. one peer group): normalisation is then over those
    only, and codes absent from the panel appear with every component missing.

    Returns one row per municipality: ``area_code, area_name, year, index, rank``, one
    column per indicator holding its normalised, direction-aligned score, ``n_components``
    and ``missing`` (comma-separated ids of missing components, ``""`` when complete).
    """
    inputs = IndexInputs(panel, spec.indicators, directions=directions, year=year, areas=areas)
    return inputs.index(spec)


def sensitivity(
    panel: pd.DataFrame,
    indicators: Sequence[str],
    *,
    directions: Mapping[str, str],
    year: int | None = None,
    weight_schemes: list[dict[str, float]] | None = None,
    normalisations: Sequence[str] = NORMALISATIONS,
    aggregations: Sequence[str] = AGGREGATIONS,
    leave_one_out: bool = True,
    robust_max_range: int = DEFAULT_ROBUST_MAX_RANGE,
    areas: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rank range of each municipality over every combination of method choices.

    Scenarios = weight schemes × ``normalisations`` × ``aggregations``. Weight schemes are
    ``weight_schemes`` (default: equal weights) plus, when ``leave_one_out`` and there is
    more than one indicator, one scheme per indicator giving it weight 0 — so the same
    municipalities are ranked in every scenario (the left-out indicator is still required
    to be present). All scenarios use the same year.

    Returns per municipality: ``area_code, rank_base`` (rank in the first scenario: the
    first scheme with the first normalisation and aggregation), ``rank_best,
    rank_median, rank_worst, rank_range`` (= worst − best), ``n_scenarios`` (scenarios in
    which it got a rank) and ``robust`` (``rank_range ≤ robust_max_range``, default 3
    places; False when it was never ranked). ``attrs["scenarios"]`` lists the scenarios.
    """
    # Checked before the inputs (as always), and again by the method for direct callers.
    _check_sensitivity_choices(normalisations, aggregations, robust_max_range)
    inputs = IndexInputs(panel, indicators, directions=directions, year=year, areas=areas)
    return inputs.sensitivity(weight_schemes, normalisations=normalisations,
                              aggregations=aggregations, leave_one_out=leave_one_out,
                              robust_max_range=robust_max_range)


class IndexInputs:
    """One year's municipal values of an index's components, ready to be weighed many times.

    Why it exists: of all an index computes, only the aggregation depends on the weights.
    The year, the municipality × indicator matrix and each normalisation's scores are the
    same for every weight set, so a dashboard reader trying weights, or an analyst looping
    over schemes, should pay for them once. :func:`build_index` and :func:`sensitivity`
    are this class used once; keeping an instance and calling :meth:`index` and
    :meth:`sensitivity` on it gives the same frames, to the bit.

    Checks run in the order the functions have always run them: directions and year on
    creation; the matrix (at least two values of each indicator, one value per
    municipality) when the first index or scenario needs it, after that spec has been
    validated. What is computed is kept; an instance may be shared between threads.
    """

    def __init__(
        self,
        panel: pd.DataFrame,
        indicators: Sequence[str],
        *,
        directions: Mapping[str, str],
        year: int | None = None,
        areas: Sequence[str] | None = None,
    ) -> None:
        self.indicators = tuple(indicators)
        self.directions = dict(directions)
        self.signs = _signs(self.indicators, directions)
        self.year = _resolve_year(panel, self.indicators, year)
        self._source: tuple[pd.DataFrame, Sequence[str] | None] | None = (panel, areas)
        self._matrix: tuple[_Matrix, dict[str, str]] | None = None
        self._scaled: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # no goalposts
        #: Ranks of the leave-one-out scenarios (:meth:`_made_ranks`).
        self._made: dict[tuple[str, str, tuple[float, ...]], np.ndarray] = {}
        self._made_weighing: dict[tuple[float, ...], tuple[str, tuple[float, ...]]] = {}
        self._fixed: _FixedColumns | None = None
        self._logged = False
        self._lock = threading.Lock()

    def index(self, spec: IndexSpec) -> pd.DataFrame:
        """:func:`build_index` of ``spec``, whose indicators must be these, in this order."""
        out = pd.DataFrame(self._index_columns(spec))
        out.attrs["spec"] = {
            "label": spec.label,
            "normalisation": spec.normalisation,
            "aggregation": spec.aggregation,
            "weights": spec.normalised_weights(),
            "goalposts": dict(spec.goalposts or {}),
            "year": int(self.year),
            "directions": {i: self.directions[i] for i in spec.indicators},
        }
        return out

    def index_columns(self, spec: IndexSpec) -> dict[str, list[Any]]:
        """The columns of :meth:`index`, by name, without the frame: each as its
        ``tolist()`` gives it (Python numbers; a missing index, score or rank as pandas
        holds it in the frame), rows in the frame's order.

        Why: a dashboard redraws a whole-country index each time a reader changes a
        weight, and its chart reads two columns; building the frame, or a record per
        municipality, cost more than the index itself.
        """
        return {name: column.tolist() if isinstance(column, np.ndarray) else column
                for name, column in self._index_columns(spec).items()}

    def _index_columns(self, spec: IndexSpec) -> dict[str, Any]:
        """The columns of :meth:`index`, by name, as arrays and lists."""
        if spec.indicators != self.indicators:
            raise AnalysisError(
                f"the spec's indicators {spec.indicators} are not the inputs' {self.indicators}."
            )
        matrix, names = self._values()
        if spec.goalposts:
            scores = _normalise(matrix, self.signs, spec.normalisation, spec.goalposts)
            scaled = _complete_on_common_scale(scores, spec.normalisation)
        else:
            scores, scaled = self._normalised(spec.normalisation)
        index = _combine(scaled, spec)
        rank = _rank(index[:, None])[:, 0]
        fixed = self._fixed_columns()
        order = _order([rank], matrix.by_code)
        columns: dict[str, Any] = {
            "area_code": fixed.codes[order].tolist(),
            "area_name": fixed.area_names[order].tolist(),
            "year": np.full(len(order), int(self.year), dtype=np.int64),
            "index": index[order],
            "rank": _integers(rank[order]).to_numpy(),  # int64; object with NA
        }
        for j, ind in enumerate(spec.indicators):
            columns[ind] = scores[order, j]  # a copy: the kept scores stay as they are
        columns["n_components"] = fixed.n_components[order]
        columns["missing"] = fixed.missing[order].tolist()
        return columns

    def _log_incomplete_once(self) -> None:
        """Name the municipalities left without an index, once per inputs (not once per
        weight set a reader tries)."""
        if not self._logged:
            self._logged = True
            _log_incomplete(self._values()[0])

    def _fixed_columns(self) -> _FixedColumns:
        """The columns of :meth:`index` no weight changes, made (and the municipalities
        left without an index logged) once."""
        if self._fixed is None:
            matrix, names = self._values()
            present = ~np.isnan(matrix.values)
            missing = [  # rows as lists: indexing an array per cell is slow
                ", ".join(ind for ind, here in zip(self.indicators, row, strict=True)
                          if not here)
                for row in present.tolist()
            ]
            self._log_incomplete_once()
            self._fixed = _FixedColumns(
                codes=np.array(matrix.codes, dtype=object),
                area_names=np.array([names.get(code, "") for code in matrix.codes],
                                    dtype=object),
                n_components=present.sum(axis=1).astype(np.int64),
                missing=np.array(missing, dtype=object))
        return self._fixed

    def sensitivity(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        """:func:`sensitivity` of these inputs: the arguments of :meth:`rank_ranges`,
        the same frame as the function."""
        return self.rank_ranges(*args, **kwargs).frame()

    def rank_ranges(
        self,
        weight_schemes: list[dict[str, float]] | None = None,
        *,
        normalisations: Sequence[str] = NORMALISATIONS,
        aggregations: Sequence[str] = AGGREGATIONS,
        leave_one_out: bool = True,
        robust_max_range: int = DEFAULT_ROBUST_MAX_RANGE,
    ) -> RankRanges:
        """:meth:`sensitivity` as arrays (:class:`RankRanges`), the frame built only when
        asked for: a dashboard joining the ranges to its rows reads the arrays, and the
        frame cost as much as the 36 scenarios of a whole-country index."""
        _check_sensitivity_choices(normalisations, aggregations, robust_max_range)
        schemes = _weight_schemes(self.indicators, weight_schemes, leave_one_out)
        given = 1 if weight_schemes is None else len(weight_schemes)
        codes, labels, ranks = self._scenario_ranks(schemes, given, normalisations,
                                                    aggregations)
        return _rank_summary(codes, self._values()[0].by_code, ranks, robust_max_range,
                             labels, int(self.year))

    def _values(self) -> tuple[_Matrix, dict[str, str]]:
        """The matrix and the municipalities' names, built on first use."""
        if self._matrix is None:
            with self._lock:
                if self._matrix is None:
                    assert self._source is not None
                    panel, areas = self._source
                    self._matrix = _municipal_matrix(panel, self.indicators, self.year, areas)
                    self._source = None  # the matrix is all that is needed from here on
        return self._matrix

    def _normalised(self, method: str) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Scores of ``method`` (no goalposts) and the same on the common scale, kept."""
        try:
            return self._scaled[method]
        except KeyError:
            scores = _normalise(self._values()[0], self.signs, method, {})
            return self._scaled.setdefault(
                method, (scores, _complete_on_common_scale(scores, method)))

    def _scenario_ranks(
        self,
        schemes: Sequence[dict[str, float] | None],
        given: int,
        normalisations: Sequence[str],
        aggregations: Sequence[str],
    ) -> tuple[list[str], list[str], np.ndarray]:
        """Municipalities, scenario labels and the rank of each (rows) in each scenario
        (columns).

        Each scenario is ranked as :meth:`index` ranks it, without its repeated work: the
        scores depend only on the normalisation (sensitivity uses no goalposts), so a
        scenario only aggregates — every weight scheme of a normalisation and aggregation
        in one array operation (:func:`_combine_weights`, whose arithmetic is the same
        element by element as for one scheme) — and ranks. Each spec is validated in the
        order of a loop of ``build_index`` calls, and the matrix is first needed after the
        first one, so bad input raises the error such a loop would. The schemes after the
        ``given`` ones (leave-one-out) are made here and valid by construction, so once
        the given ones have passed with every method, one spec each is enough. Ranks are
        floats here (NaN = no index), whole numbers otherwise.

        The made schemes' ranks are remembered (:meth:`_made_ranks`): they are the same
        whatever weights are given, and they are five of every six scenarios of a reader
        trying weights on a six-component index.
        """
        labels: list[str] = []
        taken: set[str] = set()
        weighing: dict[int, tuple[str, tuple[float, ...]]] = {}  # scheme → label, weights
        asked: dict[tuple[str, str], tuple[list[int], list[tuple[float, ...]]]] = {}
        made: list[tuple[int, tuple[str, str, tuple[float, ...]]]] = []  # position, key
        scenarios = itertools.product(enumerate(schemes), normalisations, aggregations)
        for position, ((k, scheme), norm, agg) in enumerate(scenarios):
            if k < given:
                spec = IndexSpec(self.indicators, scheme, norm, agg)
                if k not in weighing:
                    weighing[k] = self._weighing(spec)
            elif k not in weighing:
                assert scheme is not None  # made schemes name every weight
                weights = tuple(scheme[i] for i in self.indicators)
                if weights not in self._made_weighing:
                    self._made_weighing[weights] = self._weighing(
                        IndexSpec(self.indicators, scheme, norm, agg))
                weighing[k] = self._made_weighing[weights]
            self._normalised(norm)  # now, so its errors come in the loop's order too
            text, weights = weighing[k]
            label = f"{norm}/{agg}/{text}"
            while label in taken:  # the same scheme given twice stays two scenarios
                label += "'"
            taken.add(label)
            labels.append(label)
            if k < given:
                positions, rows = asked.setdefault((norm, agg), ([], []))
                positions.append(position)
                rows.append(weights)
            else:
                made.append((position, (norm, agg, weights)))
        matrix, _ = self._values()
        self._log_incomplete_once()
        ranks = np.empty((len(matrix.codes), len(labels)))
        if asked:
            columns = [p for positions, _ in asked.values() for p in positions]
            ranks[:, columns] = self._weighed_ranks({method: rows for method, (_, rows)
                                                     in asked.items()})
        if made:
            remembered = self._made_ranks([key for _, key in made])
            ranks[:, [p for p, _ in made]] = np.column_stack([remembered[key]
                                                              for _, key in made])
        return matrix.codes, labels, ranks

    def _weighing(self, spec: IndexSpec) -> tuple[str, tuple[float, ...]]:
        """The weights part of ``spec``'s scenario label and its normalised weights."""
        normalised = spec.normalised_weights()
        return spec.weights_label, tuple(normalised[i] for i in self.indicators)

    def _made_ranks(self, keys: list[tuple[str, str, tuple[float, ...]]]
                    ) -> dict[tuple[str, str, tuple[float, ...]], np.ndarray]:
        """The ranks of each (normalisation, aggregation, normalised weights) of ``keys``,
        a scenario the sensitivity made (leave-one-out): computed once, as the asked ones
        are, and kept (at most components × normalisations × aggregations of them)."""
        missing: dict[tuple[str, str], list[tuple[float, ...]]] = {}
        for norm, agg, weights in keys:
            if (norm, agg, weights) not in self._made:
                rows = missing.setdefault((norm, agg), [])
                if weights not in rows:
                    rows.append(weights)
        if missing:
            new = self._weighed_ranks(missing)
            found = [(norm, agg, w) for (norm, agg), rows in missing.items() for w in rows]
            for j, key in enumerate(found):
                self._made[key] = new[:, j].copy()
        return {key: self._made[key] for key in keys}

    def _weighed_ranks(self, schemes: dict[tuple[str, str], list[tuple[float, ...]]]
                       ) -> np.ndarray:
        """Ranks (municipalities × scenarios) of each (normalisation, aggregation)'s
        weight schemes, the columns in that order: each method's schemes aggregated in
        one array operation, every scenario ranked at once."""
        return _rank(np.hstack([
            _combine_weights(self._normalised(norm)[1], np.array(rows), agg)
            for (norm, agg), rows in schemes.items()]))


# ---- internals ----------------------------------------------------------------------------
def _signs(indicators: Sequence[str], directions: Mapping[str, str]) -> dict[str, float]:
    signs: dict[str, float] = {}
    for ind in indicators:
        direction = directions.get(ind)
        if direction is None:
            raise AnalysisError(f"No direction given for indicator {ind!r}; pass it in directions.")
        if direction == "neutral":
            raise AnalysisError(
                f"Indicator {ind!r} is 'neutral' (no risk direction) and cannot enter a risk "
                "index; leave it out or give it a direction in the catalog."
            )
        if direction not in RISK_SIGN:
            raise AnalysisError(
                f"Direction {direction!r} of {ind!r} is not one of higher_is_worse, "
                "higher_is_better, neutral."
            )
        signs[ind] = RISK_SIGN[direction]
    return signs


def _check_sensitivity_choices(
    normalisations: Sequence[str], aggregations: Sequence[str], robust_max_range: int
) -> None:
    if robust_max_range < 0:
        raise AnalysisError("robust_max_range must be ≥ 0.")
    if not normalisations or not aggregations:
        raise AnalysisError("Give at least one normalisation and one aggregation.")


def _weight_schemes(
    indicators: tuple[str, ...],
    weight_schemes: list[dict[str, float]] | None,
    leave_one_out: bool,
) -> list[dict[str, float] | None]:
    """The sensitivity's weight schemes: the given ones (``None`` = equal) + leave-one-out.

    A left-out indicator gets weight 0 rather than being dropped, so it is still required
    and every scenario ranks the same municipalities.
    """
    schemes: list[dict[str, float] | None] = (
        [None] if weight_schemes is None else [dict(s) for s in weight_schemes]
    )
    if not schemes:
        raise AnalysisError("weight_schemes must not be an empty list (None means equal weights).")
    if leave_one_out and len(indicators) > 1:
        schemes += [{i: float(i != dropped) for i in indicators} for dropped in indicators]
    return schemes


class RankRanges(NamedTuple):
    """Each municipality's best, median and worst rank over the scenarios, as arrays in
    the order of :func:`sensitivity`'s rows (sorted by median, then best rank). Whole
    numbers are floats here, NaN where a municipality was never ranked."""

    area_code: list[str]
    rank_base: np.ndarray  # the first scenario
    rank_best: np.ndarray
    rank_median: np.ndarray
    rank_worst: np.ndarray
    rank_range: np.ndarray
    n_scenarios: np.ndarray
    robust: np.ndarray
    robust_max_range: int
    scenarios: list[str]
    year: int

    def frame(self) -> pd.DataFrame:
        """The table :func:`sensitivity` returns (whole numbers as nullable Int64)."""
        out = pd.DataFrame({
            "area_code": self.area_code,
            "rank_base": _integers(self.rank_base),
            "rank_best": _integers(self.rank_best),
            "rank_median": self.rank_median,
            "rank_worst": _integers(self.rank_worst),
            "rank_range": _integers(self.rank_range),
            "n_scenarios": self.n_scenarios,
            "robust": self.robust,
        })
        out.attrs["scenarios"] = list(self.scenarios)
        out.attrs["year"] = self.year
        out.attrs["robust_max_range"] = self.robust_max_range
        return out


def _rank_summary(codes: list[str], by_code: np.ndarray, ranks: np.ndarray,
                  robust_max_range: int, scenarios: list[str], year: int) -> RankRanges:
    """Best, median and worst rank of each municipality over the ``scenarios`` (vectorised).

    Missing ranks (no index, NaN) are skipped, so a municipality never ranked gets missing
    statistics, ``n_scenarios`` 0 and is not robust. Sorted by median, then best rank.
    """
    ordered = np.sort(ranks, axis=1)  # NaN last
    counts = (~np.isnan(ranks)).sum(axis=1)
    none = counts == 0  # a row never ranked is all NaN: NaN is right
    rows = np.arange(len(ranks))
    last = np.maximum(counts - 1, 0)
    # Ranks are whole numbers, so the mean of the two middle ones is exact.
    middle = (ordered[rows, last // 2] + ordered[rows, counts // 2]) / 2
    best = np.where(none, np.nan, ordered[:, 0])
    worst = np.where(none, np.nan, ordered[rows, last])
    median = np.where(none, np.nan, middle)
    spread = worst - best
    order = _order([median, best], by_code)
    return RankRanges(
        area_code=[codes[i] for i in order],
        rank_base=ranks[order, 0],
        rank_best=best[order],
        rank_median=median[order],
        rank_worst=worst[order],
        rank_range=spread[order],
        n_scenarios=(~np.isnan(ranks[order])).sum(axis=1).astype(np.int64),
        robust=spread[order] <= robust_max_range,  # NaN (never ranked) → False
        robust_max_range=robust_max_range,
        scenarios=scenarios,
        year=year,
    )


def _integers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN = none) as pandas' nullable Int64."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _municipal_rows(panel: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    lacking = [c for c in _REQUIRED if c not in panel.columns]
    if lacking:
        raise AnalysisError(f"panel: missing column(s) {', '.join(lacking)}.")
    rows = panel[(panel["area_level"] == "kunta") & panel["indicator"].isin(indicators)].copy()
    rows["value"] = pd.to_numeric(rows["value"], errors="coerce").astype(float)
    if "status" in rows.columns:
        suppressed = rows["status"].fillna("").astype(str).str.strip().isin(SUPPRESSION_SYMBOLS)
        rows.loc[suppressed, "value"] = np.nan  # a symbol means "no value", whatever is there
    rows["year"] = rows["year"].astype(int)
    return rows


def _resolve_year(panel: pd.DataFrame, indicators: Sequence[str], year: int | None) -> int:
    """The requested year, or the latest one in which every indicator has a municipal value."""
    if year is not None:
        return int(year)
    rows = _municipal_rows(panel, indicators)
    rows = rows[rows["value"].notna()]
    years = {ind: set(rows.loc[rows["indicator"] == ind, "year"]) for ind in indicators}
    common = set.intersection(*years.values()) if years else set()
    if not common:
        latest = {ind: (max(y) if y else None) for ind, y in years.items()}
        raise AnalysisError(
            "No year in which every indicator has municipal values; latest per indicator: "
            + ", ".join(f"{i} {y}" for i, y in latest.items())
            + ". Pass year= or choose other indicators."
        )
    return int(max(common))


class _FixedColumns(NamedTuple):
    """The columns of an index no weight changes, in the matrix's row order
    (:meth:`IndexInputs._fixed_columns`)."""

    codes: np.ndarray
    area_names: np.ndarray
    n_components: np.ndarray  # components present
    missing: np.ndarray  # the missing components named, comma-separated


@dataclass(frozen=True)
class _Matrix:
    """Municipality × indicator values of one year (NaN = missing or suppressed)."""

    codes: list[str]  # rows
    indicators: tuple[str, ...]  # columns
    values: np.ndarray  # float, len(codes) × len(indicators)

    @cached_property
    def by_code(self) -> np.ndarray:
        """Each row's place in code order (:func:`_order`'s last key), sorted once for the
        index of every weight set and every rank-range summary of these inputs."""
        return _code_places(self.codes)


def _municipal_matrix(
    panel: pd.DataFrame, indicators: Sequence[str], year: int, areas: Sequence[str] | None
) -> tuple[_Matrix, dict[str, str]]:
    """The values of one year as a :class:`_Matrix`, and each municipality's name.

    Plain arrays rather than a pivoted frame: a sensitivity of ~37 scenarios on them takes
    about a millisecond, where pandas' per-call overhead made it twenty.
    """
    rows = _municipal_rows(panel, indicators)
    rows = rows[rows["year"] == year]
    row_indicators = rows["indicator"].tolist()
    row_codes = rows["area_code"].tolist()
    if len(set(zip(row_indicators, row_codes, strict=True))) < len(row_codes):
        first = rows[rows.duplicated(["indicator", "area_code"], keep=False)].iloc[0]
        raise AnalysisError(
            f"panel has several {first['indicator']} values for {first['area_code']} in {year} "
            "(a breakdown?); pass one value per municipality."
        )
    if areas is None:
        codes = sorted(set(row_codes))
    else:
        codes = list(dict.fromkeys(areas))
        foreign = [c for c in codes if not str(c).startswith("KU")]
        if foreign:
            raise AnalysisError(
                f"areas must be municipality codes (KU…); got {', '.join(map(str, foreign))}."
            )
    indicators = tuple(indicators)
    position = {code: i for i, code in enumerate(codes)}
    column = {ind: j for j, ind in enumerate(indicators)}
    values = np.full((len(codes), len(indicators)), np.nan)
    for ind, code, value in zip(row_indicators, row_codes, rows["value"].tolist(), strict=True):
        i = position.get(code)
        if i is not None:
            values[i, column[ind]] = value
    names: dict[str, str] = {}
    if "area_name" in rows.columns:
        names = dict(zip(row_codes, rows["area_name"].astype(str), strict=True))
    for j, ind in enumerate(indicators):
        count = int(np.count_nonzero(~np.isnan(values[:, j])))
        if count < 2:
            raise AnalysisError(
                f"Indicator {ind!r} has {count} municipal value(s) in {year}; at least two are "
                "needed to normalise it."
            )
    return _Matrix(codes, indicators, values), names


def _normalise(
    matrix: _Matrix,
    signs: dict[str, float],
    method: str,
    goalposts: Mapping[str, tuple[float, float]],
) -> np.ndarray:
    """Component scores (rows = municipalities, columns = indicators), NaN where missing."""
    scores = np.empty_like(matrix.values)
    for j, ind in enumerate(matrix.indicators):
        x = np.ascontiguousarray(matrix.values[:, j])
        sign = signs[ind]
        if method == "minmax":
            if ind in goalposts:
                lo, hi = (float(v) for v in goalposts[ind])
            else:
                lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
                _require_spread(hi - lo, ind)
            s = 100.0 * ((x - lo) if sign > 0 else (hi - x)) / (hi - lo)
            outside = [str(matrix.codes[i]) for i in np.flatnonzero((s < 0) | (s > 100))]
            if outside:
                logger.info("%s outside its goalposts in %s: clipped.", ind, ", ".join(outside))
            s = np.clip(s, 0.0, 100.0)
        elif method == "zscore":
            mean, sd = _mean_and_sd(x)
            _require_spread(sd, ind)
            s = sign * (x - mean) / sd
        else:  # rank
            r = _average_ranks(sign * x)
            m = int(np.count_nonzero(~np.isnan(x)))
            s = 100.0 * (r - 1.0) / (m - 1)
            if float(np.nanmax(x) - np.nanmin(x)) == 0:
                _require_spread(0.0, ind)
        scores[:, j] = s
    return scores


def _mean_and_sd(x: np.ndarray) -> tuple[float, float]:
    """Mean and population sd (ddof = 0) of the non-missing values, by pandas' two-pass
    arithmetic (missing values as zeros in the sums), so the scores equal pandas' to the bit."""
    missing = np.isnan(x)
    filled = np.where(missing, 0.0, x)
    count = float(np.count_nonzero(~missing))
    mean = filled.sum(dtype=np.float64) / count
    squares = (mean - filled) ** 2
    squares[missing] = 0.0
    return float(mean), float(np.sqrt(squares.sum(dtype=np.float64) / count))


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Rank 1 = smallest; ties share the mean of their places; NaN stays NaN."""
    out = np.full(x.shape, np.nan)
    present = ~np.isnan(x)
    v = x[present]
    ordered = np.sort(v)
    first = np.searchsorted(ordered, v, side="left") + 1
    last = np.searchsorted(ordered, v, side="right")
    out[present] = (first + last) / 2.0
    return out


def _require_spread(spread: float, ind: str) -> None:
    if not spread > 0:
        raise AnalysisError(
            f"Indicator {ind!r} has the same value in every municipality; it cannot be "
            "normalised and carries no information for a ranking — leave it out."
        )


def _complete_on_common_scale(scores: np.ndarray,
                              normalisation: str) -> tuple[np.ndarray, np.ndarray]:
    """Which rows have every component, and those rows on the common 0–100 scale (no
    imputation).

    Split from :func:`_combine` because it depends on the normalisation only, not on the
    weights or the aggregation: :func:`sensitivity` computes it once per normalisation.
    """
    complete = ~np.isnan(scores).any(axis=1)
    return complete, _common_scale(scores[complete], normalisation)


def _combine(scaled: tuple[np.ndarray, np.ndarray], spec: IndexSpec) -> np.ndarray:
    """Index of each municipality under ``spec``; NaN when a component is missing."""
    normalised = spec.normalised_weights()
    weights = np.array([[normalised[i] for i in spec.indicators]])
    return _combine_weights(scaled, weights, spec.aggregation)[:, 0]


def _combine_weights(scaled: tuple[np.ndarray, np.ndarray], weights: np.ndarray,
                     aggregation: str) -> np.ndarray:
    """Weighted aggregation of the complete rows under each row of ``weights`` (schemes ×
    components, each summing to 1): municipalities × schemes, NaN for the other rows.

    The weighted components are added one column after the other in the components'
    order, each scheme in its own column of the same element-wise operations, so a
    scheme's indices are the same to the bit whether it is aggregated alone
    (:meth:`IndexInputs.index`) or with others (:meth:`IndexInputs.sensitivity`): the rank
    ranges are ranges of the ranks the index table shows.
    """
    complete, u = scaled
    out = np.full((len(complete), len(weights)), np.nan)
    if not len(u):
        return out
    if aggregation == "arithmetic":
        combined = u[:, :1] * weights[:, 0]
        for j in range(1, weights.shape[1]):
            combined = combined + u[:, j:j + 1] * weights[:, j]
    else:
        span = 100.0 - GEOMETRIC_FLOOR
        logs = np.log(GEOMETRIC_FLOOR + span * u / 100.0)
        total = logs[:, :1] * weights[:, 0]
        for j in range(1, weights.shape[1]):
            total = total + logs[:, j:j + 1] * weights[:, j]
        combined = (np.exp(total) - GEOMETRIC_FLOOR) / span * 100.0
    out[complete] = np.clip(combined, 0.0, 100.0)  # only rounding error goes past the ends
    return out


def _rank(indices: np.ndarray) -> np.ndarray:
    """Rank 1 = highest risk; ties share the better rank; no index (NaN) → no rank (NaN).

    One definition for :func:`build_index` and the :func:`sensitivity` scenarios (one
    index per column, each ranked on its own), so the rank ranges are ranges of the very
    ranks the index table shows. Indices are compared at ``RANK_DECIMALS`` decimals: sums
    that are equal on paper (the same component values in another order) can differ in
    the last bit of a float, and must still share a rank.

    All columns at once: sorted from the highest down (no index last), a value's rank is
    1 + the place where its run of equal values starts, i.e. 1 + how many are strictly
    higher. Equal values get the same rank whatever their order, so the sort need not be
    stable; and no index sorts last as +inf rather than NaN, because numpy's fast sort
    gives up on an array holding a NaN (four times slower for the 36 scenarios of a
    whole-country index, each of which has municipalities without an index).
    """
    rounded = np.round(indices, RANK_DECIMALS)
    missing = np.isnan(rounded)
    keys = np.where(missing, np.inf, -rounded)  # indices lie in [0, 100]: inf is no index
    order = np.argsort(keys, axis=0)
    ordered = np.take_along_axis(keys, order, axis=0)
    places = np.arange(len(rounded))[:, None]
    starts = np.ones(ordered.shape, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    run_start = np.maximum.accumulate(np.where(starts, places, 0), axis=0)
    out = np.empty(rounded.shape)
    np.put_along_axis(out, order, run_start + 1.0, axis=0)
    out[missing] = np.nan
    return out


def _order(numbers: Sequence[np.ndarray], by_code: np.ndarray) -> np.ndarray:
    """Positions that sort rows by each of ``numbers`` in turn, NaN last, then by code
    (``by_code``, each row's place in code order: :attr:`_Matrix.by_code`): what
    ``sort_values([...], na_position="last")`` did, on arrays, before the frame is built."""
    keys = [by_code] + [np.where(np.isnan(x), np.inf, x) for x in reversed(numbers)]
    return np.lexsort(keys)


def _code_places(codes: Sequence[str]) -> np.ndarray:
    """Each row's place when the rows are sorted by code (:func:`_order`'s last key)."""
    by_code = np.empty(len(codes), dtype=np.int64)
    by_code[sorted(range(len(codes)), key=list(codes).__getitem__)] = np.arange(len(codes))
    return by_code


def _log_incomplete(matrix: _Matrix) -> None:
    """Name the municipalities left without an index, so a shorter ranking is not silent."""
    rows = np.isnan(matrix.values).any(axis=1)
    incomplete = sorted(str(code) for code, gap in zip(matrix.codes, rows, strict=True) if gap)
    if incomplete:
        logger.info("No index for %s: component(s) missing.", ", ".join(incomplete))


def _common_scale(scores: np.ndarray, method: str) -> np.ndarray:
    """Scores on 0–100: as they are for min–max and rank, T-scores for z-scores."""
    if method == "zscore":
        return np.clip(50.0 + 10.0 * scores, 0.0, 100.0)
    return scores
