"""The panel as dictionaries: (indicator, year) → area → row, built once per app.

Why: a view asks the panel many small questions — one indicator in one year, a handful of
municipalities, the years a municipality has. As boolean masks over the whole panel each
costs about a tenth of a millisecond, and a municipality's profile asked some 3 000 of
them (2.6 s); as dictionary lookups they cost microseconds. The app reads the panel once
and never changes it (``create_app`` keeps its own copy), so :class:`PanelLookup` is built
once, when the app is created. The pure functions of ``figures``, ``peers`` and
``profiledata`` take it as ``lookup=``; called without one (a notebook, a test) they build
one from the rows they need, so both paths run the same code.

The panel contract has one row per indicator × area × year; should a panel hold more, the
first row wins (as ``drop_duplicates(keep="first")`` did before).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")
MUNICIPALITY = "kunta"
_COLUMNS = ("indicator", "area_code", "area_level", "area_name", "year", "value", "status",
            "unit", "source", "lower", "upper")


@dataclass(frozen=True, slots=True)
class Row:
    """One panel row, cleaned the way every view reads it."""

    area_code: str
    area_level: str
    area_name: str  # "" when the panel has none
    value: float | None  # None when missing, suppressed or not finite
    status: str  # "" or the source's symbol, stripped
    unit: str
    source: str  # stripped; "" when missing
    lower: float | None
    upper: float | None


def number(value: object) -> float | None:
    """A finite float, or None (NaN, infinity, text that is no number, None)."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def text(value: object) -> str:
    """A stripped string; "" for None and NaN (pandas' missing text)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


class PanelLookup:
    """Read-only index of a tidy panel (see the module docstring)."""

    def __init__(self, panel: pd.DataFrame | None, *,
                 cells: dict[str, dict[int, dict[str, Row]]] | None = None) -> None:
        cells = {ind: {y: dict(by_code) for y, by_code in by_year.items()}
                 for ind, by_year in (cells or {}).items()}
        units: dict[str, str] = {}  # the first row's, as for a panel below
        for ind, by_year in cells.items():
            first = next((row for by_code in by_year.values() for row in by_code.values()),
                         None)
            if first is not None:
                units[ind] = first.unit
        pool: dict[str, str] = {}  # one string object per distinct text (memory)
        columns: list[list[Any]] = [[] for _ in _COLUMNS] if panel is None else [
            panel[c].tolist() if c in panel.columns else [None] * len(panel) for c in _COLUMNS]
        for ind, code, level, name, year, value, status, unit, source, lower, upper in zip(
                *columns, strict=True):
            ind, code = str(ind), str(code)
            by_year = cells.setdefault(ind, {})
            by_code = by_year.setdefault(int(year), {})
            if code in by_code:
                continue
            if ind not in units and not (unit is None or (isinstance(unit, float)
                                                          and math.isnan(unit))):
                units[ind] = str(unit)
            by_code[code] = Row(
                area_code=pool.setdefault(code, code),
                area_level=pool.setdefault(t := text(level), t),
                area_name=pool.setdefault(t := text(name), t),
                value=number(value),
                status=pool.setdefault(t := text(status), t),
                unit=pool.setdefault(t := text(unit), t),
                source=pool.setdefault(t := text(source), t),
                lower=number(lower),
                upper=number(upper),
            )
        self._cells = cells
        self._units = units
        self._derived: dict[Hashable, Any] = {}
        #: indicator → year → how many municipalities have a value (years with none left out)
        self._municipal_counts = {
            ind: {y: n for y, by_code in sorted(by_year.items())
                  if (n := sum(1 for r in by_code.values()
                               if r.area_level == MUNICIPALITY and r.value is not None))}
            for ind, by_year in cells.items()
        }

    @classmethod
    def of_cells(cls, cells: dict[str, dict[int, dict[str, Row]]]) -> PanelLookup:
        """A lookup of rows made elsewhere (indicator → year → area → row), e.g. a derived
        series such as the composite index, without a panel frame in between."""
        return cls(None, cells=cells)

    # ---- cells ------------------------------------------------------------------------
    def cells(self, indicator: str, year: int) -> dict[str, Row]:
        """area code → row of one indicator and year, in panel order ({} when none)."""
        return self._cells.get(indicator, {}).get(int(year), {})

    def row(self, indicator: str, year: int, code: str) -> Row | None:
        return self.cells(indicator, year).get(code)

    # ---- what exists ------------------------------------------------------------------
    def indicators(self) -> list[str]:
        """Every indicator, in panel order."""
        return list(self._cells)

    def municipal_indicators(self) -> list[str]:
        """Indicators with at least one municipal value, in panel order."""
        return [i for i, years in self._municipal_counts.items() if years]

    def years(self, indicator: str) -> list[int]:
        """Every year with a row of ``indicator`` (any area, any value), oldest first."""
        return sorted(self._cells.get(indicator, {}))

    def municipal_years(self, indicator: str, *, at_least: int = 1) -> list[int]:
        """Years in which at least ``at_least`` municipalities have a value of
        ``indicator``, oldest first."""
        counts = self._municipal_counts.get(indicator, {})
        return [y for y, n in counts.items() if n >= at_least]

    def area_years(self, indicator: str, code: str, *, level: str | None = None,
                   with_value: bool = False) -> list[int]:
        """Years with a row for ``code`` (of ``level``; with a value), oldest first."""
        out = []
        for year, by_code in self._cells.get(indicator, {}).items():
            r = by_code.get(code)
            if r is None or (level is not None and r.area_level != level):
                continue
            if with_value and r.value is None:
                continue
            out.append(year)
        return sorted(out)

    def unit(self, indicator: str) -> str:
        """The first unit the panel gives ``indicator`` ("" when none)."""
        return self._units.get(indicator, "")

    # ---- derived views ----------------------------------------------------------------
    def remember(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, computed once per lookup: for read-only views derived from the
        cells (the lookup never changes, so neither do they)."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = build()
            return value


def subset(panel: pd.DataFrame, indicators: Iterable[str]) -> PanelLookup:
    """A lookup of only some indicators' rows (for callers that have no app lookup)."""
    wanted = list(dict.fromkeys(indicators))
    return PanelLookup(panel[panel["indicator"].isin(wanted)])
