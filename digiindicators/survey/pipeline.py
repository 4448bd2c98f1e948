"""``read_survey``: file + spec → :class:`SurveyResult`, tying the steps together.

read (:mod:`.readers`) → validate and code (:mod:`.validate`) → responses frame; the
panel rows and the report are computed from the result on demand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SurveyError
from ..region import areas_for
from .readers import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, read_table
from .report import strict_message
from .result import SurveyResult
from .spec import SurveySpec, as_spec
from .validate import Validator


def read_survey(
    path: str | Path,
    spec: SurveySpec | str | Path,
    *,
    sheet: str | None = None,
    include_open: bool = False,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SurveyResult:
    """Read and validate one answer file (.xlsx or CSV) against a survey spec.

    Never writes to the file. Raises :class:`SurveyError` when the file or spec cannot be
    read at all, or – with ``strict=True`` – when validation found errors; otherwise the
    errors are in ``result.problems`` and ``result.ok`` is False.
    """
    spec = as_spec(spec)
    raw = read_table(path, spec, sheet=sheet, max_bytes=max_bytes, max_rows=max_rows)
    validator = Validator(spec, areas_for(spec.region), raw, str(path))
    validator.check_columns()
    records = validator.code_rows()
    validator.note_respondents(records)
    result = SurveyResult(
        spec=spec, file=str(path),
        responses=_responses(records, spec, include_open),
        problems=validator.problems.frame(str(path)),
        encoding=raw.encoding, separator=raw.separator, sheet=raw.sheet,
        data_rows=len(raw.rows),
    )
    if strict and not result.ok:
        raise SurveyError(strict_message(result))
    return result


def _responses(records: list[dict[str, Any]], spec: SurveySpec,
               include_open: bool) -> pd.DataFrame:
    keep = [q for q in spec.questions if include_open or q.type != "open"]
    columns = ["row", "municipality", "area_code", "area_name", "role"]
    columns += [c for q in keep for c in q.outputs()]
    frame = pd.DataFrame(records).reindex(columns=columns)
    numeric = [c for q in keep if q.type != "open" for c in q.outputs()]
    return frame.astype(dict.fromkeys(numeric, "float64") | {"row": "int64"})
