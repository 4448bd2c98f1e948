"""The outcome of reading one survey file: answers, problems and how the file was read."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..region import areas_for
from . import report
from .aggregate import panel_rows
from .spec import SurveySpec


@dataclass
class SurveyResult:
    """Validated answers of one survey file and what was found in it.

    ``responses`` has one row per respondent: ``row`` (spreadsheet row), ``municipality``
    (as written), ``area_code``, ``area_name``, ``role`` and one column per question
    (scores; 0/1 per multi option as ``<question>_<option>``; open texts only when read
    with ``include_open=True``). Rows whose municipality is unknown or empty are left out;
    an unusable answer is NaN. ``problems`` lists every finding.
    """

    spec: SurveySpec
    file: str
    responses: pd.DataFrame
    problems: pd.DataFrame
    encoding: str
    separator: str | None = None
    sheet: str | None = None
    data_rows: int = 0

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings and notices are allowed)."""
        return not (self.problems["severity"] == "error").any()

    def count(self, severity: str) -> int:
        return int((self.problems["severity"] == severity).sum())

    def municipalities(self) -> list[str]:
        """Codes of the municipalities that answered, in area-table order."""
        answered = set(self.responses["area_code"])
        return [c for c in areas_for(self.spec.region).municipalities() if c in answered]

    def to_panel(self) -> pd.DataFrame:
        """Panel-contract rows: municipal values, the region value, and n for each.

        Open answers never appear here. Suppressed cells have value NaN and status ``..``
        (rules: :mod:`digiindicators.survey.aggregate`).
        """
        return panel_rows(self.spec, self.responses)

    def summary(self, lang: str = "fi", max_problems: int = 50) -> str:
        """A report a person can act on: what was read, coverage, then every problem."""
        return report.summary(self, lang, max_problems)
