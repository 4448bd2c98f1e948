"""Findings about an answer file, collected rather than raised.

A person fixes the file in one pass only if every problem is listed together, each with
row, column, value and what to do, in English and Finnish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

PROBLEM_COLUMNS = ["severity", "file", "row", "column", "value", "message", "message_fi", "code"]
SEVERITIES = ("error", "warning", "notice")


@dataclass(frozen=True)
class Problem:
    """One finding about the answer file, with what to do, in English and Finnish."""

    severity: str
    code: str
    row: int
    column: str
    value: str
    message: str
    message_fi: str


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, severity: str, code: str, row: int, column: str, value: str,
            en: str, fi: str) -> None:
        self.items.append(Problem(severity, code, row, column, value, en, fi))

    def frame(self, file: str) -> pd.DataFrame:
        records = [{"severity": p.severity, "file": file, "row": p.row, "column": p.column,
                    "value": p.value, "message": p.message, "message_fi": p.message_fi,
                    "code": p.code} for p in self.items]
        frame = pd.DataFrame(records, columns=PROBLEM_COLUMNS)
        frame["row"] = frame["row"].astype("int64")
        return frame.sort_values("row", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Bad:
    """An answer a question could not use: why, in both languages."""

    column: str
    value: str
    en: str
    fi: str
