"""Answer text → numbers, one function per question type.

Each coder takes a question and a cell accessor and returns the coded values plus the
answers it could not use (never raises), so the validator can report them all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .problems import Bad
from .spec import NOT_CHOSEN, Question
from .text import fold, join, quote

Cell = Callable[[str], str | None]  # header → cell text, None when the column is missing
Coded = tuple[dict[str, Any], list[Bad]]
NAN = float("nan")


def _unknown_answer(q: Question, column: str, text: str, allowed: list[str]) -> Bad:
    listed = join(repr(a) for a in allowed)
    return Bad(
        column, text,
        f"Answer {quote(text)} is not allowed for question {q.id!r}. Allowed: {listed}. "
        "Correct the cell, or add the answer to the spec.",
        f"Vastaus {quote(text)} ei kelpaa kysymykseen {q.id!r}. Sallitut: {listed}. "
        "Korjaa solu tai lisää vastaus kyselyn kuvaukseen (spec).",
    )


def _code_scale(q: Question, cell: Cell) -> Coded:
    text = cell(q.column or "")
    key = fold(text or "")
    if not key or key in q.missing_keys:
        return {q.id: NAN}, []
    if key in q.score_by_key:
        return {q.id: q.score_by_key[key]}, []
    return {q.id: NAN}, [_unknown_answer(q, q.column or "", text or "", q.allowed())]


def _code_multi(q: Question, cell: Cell) -> Coded:
    return _code_delimited(q, cell) if q.delimiter else _code_option_columns(q, cell)


def _code_delimited(q: Question, cell: Cell) -> Coded:
    text = cell(q.column or "") or ""
    empty = {f"{q.id}_{o.id}": NAN for o in q.options}
    parts = [fold(p) for p in text.split(q.delimiter or "")]
    parts = [p for p in parts if p]
    if not parts:
        return empty, []
    by_label = q.option_by_label
    unknown = [p for p in parts if p not in by_label]
    if unknown:
        return empty, [_unknown_answer(q, q.column or "", text, [o.label or "" for o in q.options])]
    chosen = {by_label[p] for p in parts}
    return {f"{q.id}_{o.id}": float(o.id in chosen) for o in q.options}, []


def _code_option_columns(q: Question, cell: Cell) -> Coded:
    values: dict[str, Any] = {}
    bad: list[Bad] = []
    for option in q.options:
        text = cell(option.column or "")
        key = fold(text or "")
        if key in q.chosen_keys[option.id]:
            values[f"{q.id}_{option.id}"] = 1.0
        elif not key or key in NOT_CHOSEN:
            values[f"{q.id}_{option.id}"] = 0.0
        else:
            values[f"{q.id}_{option.id}"] = NAN
            bad.append(_unknown_answer(q, option.column or "", text or "",
                                       ["1", "x", option.label or option.title["fi"], "0"]))
    if all(not fold(cell(o.column or "") or "") for o in q.options):
        values = dict.fromkeys(values, NAN)  # nothing marked: the question was skipped
    return values, bad


_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _code_number(q: Question, cell: Cell) -> Coded:
    text = (cell(q.column or "") or "").strip()
    if not text:
        return {q.id: NAN}, []
    try:
        number = float(_NUMBER_SPACES.sub("", text).replace(",", "."))
    except ValueError:
        number = NAN
    if not math.isfinite(number):
        return {q.id: NAN}, [Bad(
            q.column or "", text,
            f"{quote(text)} is not a number (question {q.id!r}). Write digits only, "
            "e.g. 1,5 or 1.5.",
            f"{quote(text)} ei ole luku (kysymys {q.id!r}). Kirjoita pelkkä luku, esim. 1,5.")]
    low = -math.inf if q.min is None else q.min
    high = math.inf if q.max is None else q.max
    if not low <= number <= high:
        return {q.id: NAN}, [Bad(
            q.column or "", text,
            f"{number:g} is outside the allowed range {low:g}…{high:g} of question {q.id!r}.",
            f"{number:g} on kysymyksen {q.id!r} sallitun välin {low:g}…{high:g} ulkopuolella.")]
    return {q.id: number}, []


def _code_open(q: Question, cell: Cell) -> Coded:
    return {q.id: (cell(q.column or "") or "").strip()}, []


CODERS: dict[str, Callable[[Question, Cell], Coded]] = {
    "scale": _code_scale,
    "yesno": _code_scale,
    "multi": _code_multi,
    "number": _code_number,
    "open": _code_open,
}
