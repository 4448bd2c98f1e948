"""Coded answers → panel rows, never publishing a number computed from too few units.

Units of analysis, aggregation and suppression
----------------------------------------------
``kind = "person"`` (e.g. a resident survey): every respondent is a unit. A municipality's
value is the share of its respondents (%) or their mean score; the region value is
computed over all the region's respondents (unweighted). A value is published only when
``n >= min_n_shown`` (default 5) and a percentage only when ``n >= min_n_percent`` (default
30), where n is the number of respondents with a valid answer to that question; other
cells get value NaN and status ``..``. Secondary suppression: the region is also
suppressed when the suppressed municipalities together hold 1 … threshold−1 respondents,
since "region minus the published municipalities" would otherwise reveal them (this
always covers the case of exactly one suppressed municipality).

``kind = "organisation"`` (the coordinators answer on behalf of their municipality): the
municipality is the unit. Several respondents of one municipality (a notice, not an
error) are first combined by the question's ``aggregate`` rule – defaults: scale and
number ``mean``, yesno and multi ``any`` (1 if any respondent said yes / chose it) –
so a municipality with two respondents is counted once in the region. The answers
describe the municipality's own services, which Statistics Finland does not treat as
confidential, so the person thresholds (which are about percentages computed over
respondents) do not apply. Instead the spec must say ``publish_municipal``: true only if
respondents were told that answers are published per municipality; false suppresses
every municipal row. The region row (share of municipalities, or mean over
municipalities) needs at least ``min_units_region`` (default 3) municipalities.

Every value row has a companion ``<indicator>__n`` row (respondents with a valid answer,
unit ``vastaajia``) and the region row also ``<indicator>__kunnat`` (municipalities with a
valid answer, unit ``kuntaa``): n and coverage are always shown; they reveal no answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..areas import AreaTable
from ..region import areas_for
from .spec import Question, Suppression, SurveySpec

PANEL_COLUMNS = [
    "indicator", "area_code", "area_level", "area_name", "year",
    "value", "status", "unit", "source", "lower", "upper",
]
SUPPRESSED = ".."
NAN = float("nan")


@dataclass(frozen=True)
class _Measure:
    """One panel indicator: which response column, its unit, and ×100 for shares."""

    indicator: str
    column: str
    unit: str
    factor: float
    rule: str

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def _measures(spec: SurveySpec) -> list[_Measure]:
    build: dict[str, Callable[[Question], list[_Measure]]] = {
        "scale": lambda q: [_Measure(spec.indicator(q.id), q.id, "pistettä", 1.0, q.aggregate)],
        "yesno": lambda q: [_Measure(spec.indicator(q.id), q.id, "%", 100.0, q.aggregate)],
        "multi": lambda q: [_Measure(spec.indicator(q.id, o.id), f"{q.id}_{o.id}", "%", 100.0,
                                     q.aggregate) for o in q.options],
        "number": lambda q: [_Measure(spec.indicator(q.id), q.id, q.unit, 1.0, q.aggregate)],
        "open": lambda q: [],
    }
    return [m for q in spec.questions for m in build[q.type](q)]


#: How several respondents of one municipality combine (organisation surveys).
COMBINE: dict[str, Callable[[Any], pd.Series]] = {
    "mean": lambda g: g.mean(),
    "median": lambda g: g.median(),
    "min": lambda g: g.min(),
    "max": lambda g: g.max(),
    "sum": lambda g: g.sum(min_count=1),
    "any": lambda g: g.max(),
    "all": lambda g: g.min(),
}


def _units(responses: pd.DataFrame, measure: _Measure, spec: SurveySpec) -> pd.DataFrame:
    """Units of analysis with their value and respondent count: ``area_code, value, n``."""
    valid = responses[["area_code", measure.column]].dropna()
    if spec.kind == "person":
        return pd.DataFrame({"area_code": valid["area_code"],
                             "value": valid[measure.column].astype(float), "n": 1})
    grouped = valid.groupby("area_code")[measure.column]
    return pd.DataFrame({"value": COMBINE[measure.rule](grouped).astype(float),
                         "n": grouped.count()}).reset_index()


def _threshold(measure: _Measure, rules: Suppression) -> int:
    """Fewest respondents behind a published person-survey value of this measure."""
    return max(rules.min_n_shown, rules.min_n_percent) if measure.is_percent else rules.min_n_shown


def _municipal_suppressed(n: pd.Series, measure: _Measure, spec: SurveySpec) -> pd.Series:
    if spec.kind == "organisation":
        return pd.Series(not spec.suppression.publish_municipal, index=n.index)
    return (n > 0) & (n < _threshold(measure, spec.suppression))


def _region_suppressed(stats: pd.DataFrame, measure: _Measure, spec: SurveySpec) -> bool:
    """Primary rule on the region itself plus the secondary rule against differencing."""
    answered = stats[stats["n"] > 0]
    if spec.kind == "organisation":
        return len(answered) < spec.suppression.min_units_region
    threshold = _threshold(measure, spec.suppression)
    hidden = int(answered.loc[answered["suppressed"], "n"].sum())
    return int(answered["n"].sum()) < threshold or 0 < hidden < threshold


def panel_rows(spec: SurveySpec, responses: pd.DataFrame) -> pd.DataFrame:
    """Panel-contract rows: municipal values, the region value, and n for each.

    Open answers never appear here. Suppressed cells have value NaN and status ``..``.
    """
    table = areas_for(spec.region)
    names = table.names("fi")
    rows = [row for m in _measures(spec)
            for row in _measure_rows(spec, responses, m, table, names)]
    frame = pd.DataFrame(rows, columns=PANEL_COLUMNS)
    return frame.astype({"year": "int64", "value": "float64", "lower": "float64",
                         "upper": "float64"})


def _measure_rows(spec: SurveySpec, responses: pd.DataFrame, measure: _Measure,
                  table: AreaTable, names: dict[str, str]) -> list[dict[str, Any]]:
    units = _units(responses, measure, spec)
    codes = table.municipalities()
    stats = pd.DataFrame({
        "value": units.groupby("area_code")["value"].mean() * measure.factor,
        "n": units.groupby("area_code")["n"].sum(),
    }).reindex(codes)
    stats["n"] = stats["n"].fillna(0).astype(int)
    stats["suppressed"] = _municipal_suppressed(stats["n"], measure, spec)
    rows: list[dict[str, Any]] = []
    for code, value, n, suppressed in stats.itertuples(name=None):
        rows += _pair(spec, measure, code, value, int(n), bool(suppressed), names)
    region = table.region_code
    region_value = units["value"].mean() * measure.factor if len(units) else NAN
    rows += _pair(spec, measure, region, region_value, int(stats["n"].sum()),
                  _region_suppressed(stats, measure, spec), names)
    rows.append(_row(spec, f"{measure.indicator}__kunnat", region,
                     float((stats["n"] > 0).sum()), "", "kuntaa", names))
    return rows


def _pair(spec: SurveySpec, measure: _Measure, code: str, value: float, n: int,
          suppressed: bool, names: dict[str, str]) -> list[dict[str, Any]]:
    shown = NAN if suppressed or n == 0 else float(value)
    status = SUPPRESSED if suppressed and n > 0 else ""
    return [_row(spec, measure.indicator, code, shown, status, measure.unit, names),
            _row(spec, f"{measure.indicator}__n", code, float(n), "", "vastaajia", names)]


def _row(spec: SurveySpec, indicator: str, code: str, value: float, status: str, unit: str,
         names: dict[str, str]) -> dict[str, Any]:
    level = "kunta" if code.startswith("KU") else "maakunta"
    return {"indicator": indicator, "area_code": code, "area_level": level,
            "area_name": names[code], "year": spec.year, "value": value,
            "status": status, "unit": unit, "source": spec.source,
            "lower": NAN, "upper": NAN}
