"""Survey answers for the dashboard: which measures exist, their titles, n and suppression.

The survey rows follow the panel contract (``SurveyResult.to_panel()``): one value row per
measure and area, a companion ``<id>__n`` row (respondents) and, for the region,
``<id>__kunnat`` (municipalities that answered). This module only *reads* them: a
suppressed cell (status ``..``) has no value in the rows, so nothing here can reveal it,
and n is shown because it reveals no answer.

Where the rows come from (:func:`load_survey`): survey rows already in the panel, else
the packaged example survey (``digiindicators.survey.example_file_path()``), which is
always marked as an example — its title starts with ESIMERKKI / EXAMPLE.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .figures import SURVEY_PREFIX
from .lookup import number

log = logging.getLogger(__name__)

EXAMPLE_WORDS = ("ESIMERKKI", "EXEMPEL", "EXAMPLE")
SUPPRESSED = ".."
DECIMALS = {"%": 0, "pistettä": 2}


@dataclass(frozen=True)
class Measure:
    """One survey indicator: a question, or one option of a multi-choice question."""

    indicator: str
    question: str  # question id
    title: dict[str, str]  # "Digituen muodot: Lähituki"
    unit: str

    @property
    def decimals(self) -> int:
        return DECIMALS.get(self.unit, 1)


@dataclass(frozen=True)
class SurveyData:
    rows: pd.DataFrame  # panel-contract rows incl. __n and __kunnat
    measures: list[Measure]
    title: dict[str, str]
    year: int
    example: bool
    kind: str = ""  # "organisation" / "person" / "" (unknown: rows came without a spec)
    rules: dict[str, Any] = field(default_factory=dict)  # suppression settings of the spec

    def measure(self, indicator: str) -> Measure | None:
        return next((m for m in self.measures if m.indicator == indicator), None)


@dataclass(frozen=True)
class SurveyCell:
    code: str
    value: float | None
    n: int | None
    status: str  # "" or ".."

    @property
    def suppressed(self) -> bool:
        return self.status == SUPPRESSED

    @property
    def answered(self) -> bool:
        return bool(self.n)


def _titles(spec: Any) -> dict[str, tuple[str, dict[str, str]]]:
    """indicator id → (question id, title per language), from a ``SurveySpec``."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for q in spec.questions:
        if q.type == "open":
            continue
        if q.type == "multi":
            for o in q.options:
                out[spec.indicator(q.id, o.id)] = (q.id, {
                    lang: f"{q.title.get(lang) or q.title['fi']}: "
                          f"{o.title.get(lang) or o.title['fi']}"
                    for lang in ("fi", "sv", "en")
                })
        else:
            out[spec.indicator(q.id)] = (q.id, {lang: q.title.get(lang) or q.title["fi"]
                                                for lang in ("fi", "sv", "en")})
    return out


def from_rows(rows: pd.DataFrame, spec: Any = None, *, example: bool | None = None) -> SurveyData:
    """Survey data from panel rows; titles and rules from ``spec`` when it matches."""
    rows = rows[rows["indicator"].astype(str).str.startswith(SURVEY_PREFIX)].copy()
    titles = _titles(spec) if spec is not None else {}
    ids = [i for i in dict.fromkeys(rows["indicator"].astype(str)) if "__" not in i]
    if titles and not set(ids) <= set(titles):
        titles, spec = {}, None  # another survey than the spec describes
    order = list(titles) if titles else ids
    measures = []
    for ind in order:
        if ind not in ids:
            continue
        unit = str(rows.loc[rows["indicator"] == ind, "unit"].iloc[0])
        question, title = titles.get(ind) or (ind, {lang: ind for lang in ("fi", "sv", "en")})
        measures.append(Measure(ind, question, title, unit))
    source = str(rows["source"].iloc[0]) if not rows.empty else ""
    if spec is not None:
        title = {lang: spec.title.get(lang) or spec.title["fi"] for lang in ("fi", "sv", "en")}
    else:
        text = source.removeprefix("kysely ").split(": ", 1)[-1] if source else ""
        title = {lang: text for lang in ("fi", "sv", "en")}
    if example is None:
        example = any(w in source.upper() for w in EXAMPLE_WORDS)
    year = int(rows["year"].max()) if not rows.empty else 0
    rules: dict[str, Any] = {}
    if spec is not None:
        s = spec.suppression
        rules = {"min_n_shown": s.min_n_shown, "min_n_percent": s.min_n_percent,
                 "publish_municipal": s.publish_municipal, "min_units_region": s.min_units_region}
    return SurveyData(rows, measures, title, year, bool(example),
                      kind=getattr(spec, "kind", "") or "", rules=rules)


def from_result(result: Any, *, example: bool | None = None) -> SurveyData:
    """Survey data from a ``digiindicators.survey.SurveyResult``."""
    return from_rows(result.to_panel(), result.spec, example=example)


def load_survey(panel: pd.DataFrame) -> SurveyData | None:
    """The panel's survey rows, else the packaged example survey; None if neither works."""
    try:
        from digiindicators.survey import (
            default_spec_path,
            example_file_path,
            load_spec,
            read_survey,
        )
    except ImportError:  # an older library without surveys
        return None
    in_panel = panel["indicator"].astype(str).str.startswith(SURVEY_PREFIX)
    try:
        spec = load_spec(default_spec_path())
        if in_panel.any():
            return from_rows(panel[in_panel], spec)
        return from_result(read_survey(example_file_path(), spec), example=True)
    except Exception as exc:  # noqa: BLE001 - a broken example must not stop the dashboard
        log.error("No survey for the dashboard: %s", exc)
        if in_panel.any():
            return from_rows(panel[in_panel])
        return None


def cells(data: SurveyData, indicator: str) -> dict[str, SurveyCell]:
    """area code → value, n and status of one measure (municipalities and the region)."""
    rows = data.rows
    values = rows[rows["indicator"] == indicator]
    counts = rows[rows["indicator"] == f"{indicator}__n"]
    n_by_code = {str(r.area_code): number(r.value) for r in counts.itertuples()}
    out = {}
    for rec in values.itertuples():
        code = str(rec.area_code)
        status = "" if pd.isna(rec.status) else str(rec.status).strip()
        n = n_by_code.get(code)
        value = None if status == SUPPRESSED else number(rec.value)
        out[code] = SurveyCell(code, value, int(n) if n is not None else None, status)
    return out


def all_cells(data: SurveyData) -> dict[str, dict[str, SurveyCell]]:
    """:func:`cells` of every measure, from one pass over the rows (the dashboard's way)."""
    wanted = {m.indicator for m in data.measures}
    counts: dict[str, dict[str, float | None]] = {}
    values: list[tuple[str, str, object, object]] = []
    rows = data.rows
    for ind, code, value, status in zip(rows["indicator"].astype(str), rows["area_code"],
                                        rows["value"], rows["status"], strict=True):
        if ind.endswith("__n") and ind[:-3] in wanted:
            counts.setdefault(ind[:-3], {})[str(code)] = number(value)
        elif ind in wanted:
            values.append((ind, str(code), value, status))
    out: dict[str, dict[str, SurveyCell]] = {m.indicator: {} for m in data.measures}
    for ind, code, value, status in values:
        status = "" if pd.isna(status) else str(status).strip()
        n = counts.get(ind, {}).get(code)
        shown = None if status == SUPPRESSED else number(value)
        out[ind][code] = SurveyCell(code, shown, int(n) if n is not None else None, status)
    return out


def answered_municipalities(data: SurveyData, indicator: str) -> int | None:
    """How many municipalities answered (the region's ``__kunnat`` row), if known."""
    rows = data.rows[data.rows["indicator"] == f"{indicator}__kunnat"]
    return int(rows["value"].iloc[0]) if not rows.empty and number(rows["value"].iloc[0]) else None


def ranking_rows(data: SurveyData, indicator: str) -> pd.DataFrame:
    """The measure's value rows only (no n rows): what the ranking chart draws."""
    rows = data.rows[data.rows["indicator"] == indicator].copy()
    rows.loc[rows["status"].astype(str).str.strip() == SUPPRESSED, "value"] = math.nan
    return rows
