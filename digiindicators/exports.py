"""CSV and Excel exports that are safe to open in a spreadsheet.

Survey answers, municipality names and open texts come from people; a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run as a formula by
Excel and LibreOffice ("CSV injection"). Every text cell written here is neutralised by
prefixing it with ``'``, which the spreadsheet shows as text. Real numbers stay numbers,
so a negative value is still a negative value. Files are written to a temporary name and
then renamed, so a failed export never leaves a half-written file in place of a good one.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

#: First characters that make a spreadsheet treat a cell as a formula (OWASP list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A text that is only a number ("-5", "+3,2", "1e-3") cannot run anything; keep it readable.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
#: Characters XML (and therefore xlsx) cannot hold; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_MAX_CELL = 32_767


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula; leave the rest."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name passed through :func:`safe_cell`."""
    safe = df.copy()
    safe.columns = [safe_cell(c) for c in safe.columns]
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if _is_text(column):
            safe.isetitem(position, column.astype(object).map(safe_cell))
    return safe


def _is_text(column: pd.Series) -> bool:
    dtype = column.dtype
    numeric = pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    return not numeric and not pd.api.types.is_datetime64_any_dtype(dtype)


def write_csv(df: pd.DataFrame, path: str | Path, *, sep: str = ",",
              decimal: str = ".") -> Path:
    """CSV in UTF-8 with BOM (so Excel detects the encoding), formulas neutralised.

    Finnish Excel expects ``sep=";"`` and ``decimal=","``. The index is not written;
    ``reset_index()`` first if it carries data.
    """
    path = Path(path)
    tmp = _tmp_path(path)
    try:
        safe_frame(df).to_csv(tmp, sep=sep, decimal=decimal, index=False,
                              encoding="utf-8-sig", lineterminator="\r\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_excel(df: pd.DataFrame, path: str | Path, metadata: Mapping[str, Any] | None = None,
                *, sheet_name: str = "data") -> Path:
    """Excel with the data on the first sheet and ``metadata`` (key, value) on a second one.

    Written cell by cell so no text can become a formula: after :func:`safe_cell` no text
    starts with ``=``, and openpyxl stores everything else as a value.
    """
    from openpyxl import Workbook

    path = Path(path)
    book = Workbook(write_only=True)
    data = book.create_sheet(sheet_name[:31])
    data.append([_excel_value(safe_cell(str(c))) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        data.append([_excel_value(v) for v in row])
    meta = book.create_sheet("metadata")
    meta.append(["key", "value"])
    for key, value in {"rows": len(df), **dict(metadata or {})}.items():
        meta.append([_excel_value(str(key)), _excel_value(_meta_text(value))])
    tmp = _tmp_path(path)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _excel_value(value: Any) -> Any:
    """A value openpyxl stores as data: numbers as numbers, texts neutralised and cleaned."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.replace(tzinfo=None) if isinstance(value, datetime) else value
    # Strip first, then neutralise: removing a control character may expose a leading "=".
    text = _ILLEGAL_XML.sub("", str(value))
    return safe_cell(text)[:EXCEL_MAX_CELL]


def _meta_text(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return ", ".join(map(str, value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


__all__ = ["FORMULA_STARTS", "safe_cell", "safe_frame", "write_csv", "write_excel"]
