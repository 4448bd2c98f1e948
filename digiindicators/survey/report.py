"""Human-readable text about a read survey: the summary and the strict-mode error.

Kept apart from the reading so the wording (Finnish and English) can change without
touching validation or aggregation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..region import areas_for
from .text import join

if TYPE_CHECKING:
    from .result import SurveyResult


def summary(result: SurveyResult, lang: str = "fi", max_problems: int = 50) -> str:
    """A report a person can act on: what was read, coverage, then every problem."""
    words = _WORDS[lang if lang in _WORDS else "en"]
    table = areas_for(result.spec.region)
    answered = result.municipalities()
    missing = [table.name(c) for c in table.municipalities() if c not in answered]
    where = (f"{words['sheet']} {result.sheet!r}" if result.sheet is not None
             else f"{words['encoding']} {result.encoding}, {words['separator']} "
                  f"{result.separator!r}")
    lines = [
        f"{words['survey']}: {result.spec.title.get(lang, result.spec.title['fi'])} "
        f"({result.spec.id}, {result.spec.year})",
        f"{words['file']}: {result.file} ({where})",
        f"{words['rows']}: {result.data_rows}, {words['respondents']}: {len(result.responses)}, "
        f"{words['municipalities']}: {len(answered)}/{len(table.municipalities())}",
    ]
    if missing:
        lines.append(f"{words['no_answer']}: {join(missing)}")
    lines.append(f"{words['errors']}: {result.count('error')}, {words['warnings']}: "
                 f"{result.count('warning')}, {words['notices']}: {result.count('notice')}")
    lines.append(words["ok"] if result.ok else words["not_ok"])
    lines += _problem_lines(result.problems, lang, words, max_problems)
    return "\n".join(lines)


_WORDS = {
    "fi": {"survey": "Kysely", "file": "Tiedosto", "sheet": "välilehti", "encoding": "merkistö",
           "separator": "erotin", "rows": "Vastausrivejä", "respondents": "vastaajia",
           "municipalities": "kuntia", "no_answer": "Ei vastausta",
           "errors": "Virheitä", "warnings": "varoituksia", "notices": "huomioita",
           "ok": "Tiedosto kelpaa.", "not_ok": "Tiedostossa on virheitä: korjaa ne ja tarkista "
           "uudelleen.", "row": "rivi", "column": "sarake", "more": "ja {n} muuta",
           "error": "VIRHE", "warning": "varoitus", "notice": "huomio"},
    "en": {"survey": "Survey", "file": "File", "sheet": "sheet", "encoding": "encoding",
           "separator": "separator", "rows": "Answer rows", "respondents": "respondents",
           "municipalities": "municipalities", "no_answer": "No answer",
           "errors": "Errors", "warnings": "warnings", "notices": "notices",
           "ok": "The file is valid.", "not_ok": "The file has errors: fix them and check "
           "again.", "row": "row", "column": "column", "more": "and {n} more",
           "error": "ERROR", "warning": "warning", "notice": "notice"},
}


def _problem_lines(problems: pd.DataFrame, lang: str, words: dict[str, str],
                   limit: int) -> list[str]:
    message = "message_fi" if lang == "fi" else "message"
    lines = []
    for item in problems.head(limit).itertuples():
        column = f", {words['column']} {item.column!r}" if item.column else ""
        lines.append(f"- [{words[item.severity]}] {words['row']} {item.row}{column}: "
                     f"{getattr(item, message)}")
    if len(problems) > limit:
        lines.append("- … " + words["more"].format(n=len(problems) - limit))
    return lines


def strict_message(result: SurveyResult, limit: int = 20) -> str:
    errors = result.problems[result.problems["severity"] == "error"]
    lines = [f"{result.file}: {len(errors)} errors in survey file ({result.spec.id}):"]
    lines += [f"- row {p.row}, column {p.column!r}: {p.message}"
              for p in errors.head(limit).itertuples()]
    if len(errors) > limit:
        lines.append(f"- … and {len(errors) - limit} more (read with strict=False to see all).")
    return "\n".join(lines)
