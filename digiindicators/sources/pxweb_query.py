"""PxWeb table metadata, run-time code resolution and query planning (no I/O).

On 8 June 2026 Statistics Finland renamed table ids, variable codes
(``Alue`` → ``alue_23_20260101``) and some content codes (``vaesto`` →
``vaerak-vaesto``), and the dated codes will change again. So nothing here knows a
variable code: the area variable is found by its values (``SSS``, ``KU…``), the time
variable by ``time: true``, the content variable by its role, and content codes by
the part after the last ``-``. Query planning is a pure function so that the cell
limit can be tested without a server.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ResolveError

AREA_CODE = re.compile(r"^(SSS|KU\d{3}|SK\d{3}|MK\d{2}|HV\d{2}|[A-Z]{2,3}\d{1,3})$")
CONTENT_CODES = ("contentscode", "tiedot")
TIME_TEXTS = ("vuosi", "kuukausi", "neljännes", "år", "year", "month")


@dataclass(frozen=True)
class Variable:
    code: str
    text: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    elimination: bool = False
    time: bool = False


@dataclass(frozen=True)
class TableMetadata:
    title: str
    variables: tuple[Variable, ...]

    @classmethod
    def from_json(cls, obj: Any, *, table: str = "") -> TableMetadata:
        try:
            variables = tuple(
                Variable(
                    code=v["code"],
                    text=v.get("text", v["code"]),
                    values=tuple(v["values"] or ()),
                    value_texts=tuple(v.get("valueTexts") or ()),
                    elimination=bool(v.get("elimination", False)),
                    time=bool(v.get("time", False)),
                )
                for v in obj["variables"]
            )
        except (KeyError, TypeError) as exc:
            raise ResolveError(f"Metadata of {table} is not PxWeb table metadata ({exc}).") from exc
        if any(not v.values for v in variables):
            empty = ", ".join(v.code for v in variables if not v.values)
            raise ResolveError(
                f"Metadata of {table} lists no values for {empty} (the server returns null "
                "when a variable has more values than its maxValues)."
            )
        return cls(title=str(obj.get("title", "")), variables=variables)

    def variable(self, code: str) -> Variable:
        for var in self.variables:
            if var.code == code:
                return var
        raise ResolveError(f"No variable {code!r} in table {self.title!r}.")

    def area_variable(self, table: str = "") -> Variable:
        """The variable whose values are area codes (SSS, KU564, MK17, …)."""
        best, best_hits = None, 0
        for var in self.variables:
            hits = sum(1 for value in var.values if AREA_CODE.match(value))
            has_core = any(v == "SSS" or v.startswith("KU") for v in var.values)
            if has_core and hits > best_hits:
                best, best_hits = var, hits
        if best is None:
            raise ResolveError(
                f"Table {table or self.title!r} has no area variable (no SSS/KU… values)."
            )
        return best

    def time_variable(self, table: str = "") -> Variable:
        flagged = [v for v in self.variables if v.time]
        if not flagged:
            flagged = [
                v
                for v in self.variables
                if v.code.lower().startswith("timeperiod") or v.text.lower() in TIME_TEXTS
            ]
        if len(flagged) != 1:
            raise ResolveError(
                f"Table {table or self.title!r}: cannot tell which variable is time."
            )
        return flagged[0]

    def content_variable(self, table: str = "") -> Variable:
        for var in self.variables:
            if var.code.lower() in CONTENT_CODES or var.text.lower() == "tiedot":
                return var
        raise ResolveError(
            f"Table {table or self.title!r} has no content variable (contentscode/Tiedot)."
        )


TEXT_PREFIX = "text:"


def content_suffix(code: str) -> str:
    """The stable part of a content code: after the last ``-`` (``vaerak-vaesto`` → ``vaesto``)."""
    return code.rsplit("-", 1)[-1]


def match_content_text(variable: Variable, pattern: str, *, table: str = "") -> str:
    """The one content whose Finnish label matches ``pattern`` (case-insensitive search).

    For tables whose content codes are not known in advance (sutivi): the label says what
    a number means, the code is an internal name that has changed before.
    """
    regex = re.compile(pattern, re.IGNORECASE)
    texts = variable.value_texts or variable.values
    hits = [code for code, text in zip(variable.values, texts, strict=False) if regex.search(text)]
    if len(hits) == 1:
        return hits[0]
    labels = "; ".join(texts[:30])
    if not hits:
        raise ResolveError(
            f"Table {table}: no content label matches {pattern!r} (labels: {labels}). The "
            "content may have been renamed; update the pattern in catalog.toml."
        )
    raise ResolveError(
        f"Table {table}: content pattern {pattern!r} matches several labels "
        f"({', '.join(hits)}); make the pattern in catalog.toml more specific."
    )


def match_content(variable: Variable, wanted: str, *, table: str = "") -> str:
    """Today's content code for a catalog code, matched exactly or by suffix (or, for a
    ``text:`` key, by its label)."""
    if wanted.startswith(TEXT_PREFIX):
        return match_content_text(variable, wanted[len(TEXT_PREFIX) :], table=table)
    if wanted in variable.values:
        return wanted
    suffix = content_suffix(wanted)
    candidates = [v for v in variable.values if content_suffix(v) == suffix]
    if len(candidates) == 1:
        return candidates[0]
    available = ", ".join(variable.values[:30])
    if not candidates:
        raise ResolveError(
            f"Table {table}: content {wanted!r} not found (available: {available}). "
            "The content may have been renamed; update catalog.toml."
        )
    raise ResolveError(f"Table {table}: content {wanted!r} is ambiguous: {', '.join(candidates)}.")


def unresolvable_contents(
    meta: TableMetadata, needs: dict[str, list[str]], *, table: str = ""
) -> dict[str, str]:
    """Which of ``needs`` (indicator → its content codes) the table cannot answer, and why.

    Several content codes were marked unconfirmed after the June 2026 change; one of them
    missing must fail only the indicators that read it, not every indicator of the table.
    """
    content_var = meta.content_variable(table)
    failures: dict[str, str] = {}
    for indicator, codes in needs.items():
        for code in codes:
            try:
                match_content(content_var, code, table=table)
            except ResolveError as exc:
                failures[indicator] = str(exc)
                break
    return failures


def _variable_matches(var: Variable, name: str) -> bool:
    name = name.casefold()
    return var.text.casefold() == name or var.code.casefold().split("_")[0] == name


@dataclass(frozen=True)
class ResolvedTable:
    """What to ask a table for, in today's codes, plus the roles of its variables."""

    path: str
    area: str  # "" for a national table without an area variable
    time: str
    content: str
    contents: dict[str, str]  # catalog code → today's code
    selections: dict[str, tuple[str, ...]]  # variable code → values, in metadata order
    eliminated: tuple[str, ...] = ()
    breakdowns: tuple[str, ...] = ()  # variables downloaded in full (ages, …)
    missing_areas: tuple[str, ...] = field(default=())

    @property
    def cells(self) -> int:
        return math.prod(len(values) for values in self.selections.values())

    def describe(self) -> dict[str, Any]:
        """JSON-ready description stored in the manifest (the panel reads roles from it)."""
        return {
            "area": self.area,
            "time": self.time,
            "content": self.content,
            "contents": self.contents,
            "breakdowns": list(self.breakdowns),
            "eliminated": list(self.eliminated),
            "missing_areas": list(self.missing_areas),
        }


def resolve(
    meta: TableMetadata,
    *,
    path: str,
    contents: Iterable[str],
    areas: Iterable[str],
    first_year: int | None = None,
    keep_all: Iterable[str] = (),
    national: bool = False,
    optional_contents: Iterable[str] = (),
) -> ResolvedTable:
    """Map a catalog request onto a table's metadata as it is today.

    ``national`` tables (survey results for Finland) have no area variable; their values
    are all for ``SSS``. ``optional_contents`` are asked for when the table has them and
    silently left out when it has not.
    """
    area_var = None if national else meta.area_variable(path)
    time_var = meta.time_variable(path)
    content_var = meta.content_variable(path)
    wanted_contents = {
        c: match_content(content_var, c, table=path) for c in dict.fromkeys(contents)
    }
    for optional in dict.fromkeys(optional_contents):
        try:
            wanted_contents.setdefault(optional, match_content(content_var, optional, table=path))
        except ResolveError:
            continue
    wanted_areas = set(areas) | {"SSS"}
    area_values: tuple[str, ...] = ()
    if area_var is not None:
        area_values = tuple(v for v in area_var.values if v in wanted_areas)
        if not area_values:
            raise ResolveError(f"Table {path}: none of the region's areas are in {area_var.code}.")
    times = tuple(v for v in time_var.values if first_year is None or _year_of(v) >= first_year)
    if not times:
        raise ResolveError(f"Table {path}: no periods from {first_year} on.")
    keep = list(keep_all)
    selections: dict[str, tuple[str, ...]] = {}
    eliminated: list[str] = []
    breakdowns: list[str] = []
    for var in meta.variables:
        if var is area_var:
            selections[var.code] = area_values
        elif var is time_var:
            selections[var.code] = times
        elif var is content_var:
            selections[var.code] = tuple(dict.fromkeys(wanted_contents.values()))
        elif any(_variable_matches(var, name) for name in keep):
            selections[var.code] = var.values
            breakdowns.append(var.code)
        elif var.elimination:
            eliminated.append(var.code)
        elif "SSS" in var.values:
            selections[var.code] = ("SSS",)
        else:
            raise ResolveError(
                f"Table {path}: variable {var.code!r} ({var.text}) cannot be eliminated and has "
                "no total; name it in keep_all in catalog.toml."
            )
    missing = tuple(sorted(wanted_areas - set(area_values))) if area_var is not None else ()
    return ResolvedTable(
        path=path,
        area=area_var.code if area_var is not None else "",
        time=time_var.code,
        content=content_var.code,
        contents=wanted_contents,
        selections=selections,
        eliminated=tuple(eliminated),
        breakdowns=tuple(breakdowns),
        missing_areas=missing,
    )


def _year_of(period: str) -> int:
    match = re.match(r"(\d{4})", period)
    return int(match.group(1)) if match else 0


def split_selections(
    selections: dict[str, tuple[str, ...]], max_cells: int
) -> list[dict[str, tuple[str, ...]]]:
    """Split a selection into the fewest chunks the largest-variable rule allows.

    The largest variable is cut into runs of as many values as fit the cell limit; if a
    single value of it still does not fit, the next largest variable is split as well.
    """
    if max_cells < 1:
        raise ValueError("max_cells must be positive")
    cells = math.prod(len(v) for v in selections.values())
    if cells <= max_cells:
        return [selections]
    largest = max(selections, key=lambda code: len(selections[code]))
    values = selections[largest]
    others = cells // len(values)
    per_chunk = max(1, max_cells // others)
    chunks = []
    for start in range(0, len(values), per_chunk):
        part = dict(selections)
        part[largest] = values[start : start + per_chunk]
        chunks.extend(split_selections(part, max_cells) if others > max_cells else [part])
    return chunks


def query_body(selection: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """A PxWeb v1 POST body asking for json-stat2 with explicit ``item`` filters."""
    return {
        "query": [
            {"code": code, "selection": {"filter": "item", "values": list(values)}}
            for code, values in selection.items()
        ],
        "response": {"format": "json-stat2"},
    }


def plan_queries(resolved: ResolvedTable, max_cells: int) -> list[dict[str, Any]]:
    """Query bodies for a resolved table, each within ``max_cells``."""
    return [query_body(part) for part in split_selections(resolved.selections, max_cells)]


def minimum_calls(resolved: ResolvedTable, max_cells: int) -> int:
    """Lower bound on data calls for a table: total cells over the cell limit."""
    return math.ceil(resolved.cells / max_cells)
