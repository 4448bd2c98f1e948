"""TOML dict → :class:`SurveySpec`, listing every mistake in the spec at once.

A spec is written by the person who wrote the questions, not by a programmer, so one
run must report all problems (unknown keys with a "did you mean", wrong types, keys
that do not apply to a question type, undefined scales) instead of stopping at the first.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..errors import ConfigError, SurveyError
from ..region import areas_for
from .spec import (
    AGGREGATES,
    ID_PATTERN,
    KINDS,
    LANGS,
    TYPES,
    YESNO_ANSWERS,
    YESNO_MISSING,
    Option,
    Question,
    Suppression,
    SurveySpec,
)
from .text import fold, join


class SpecParser:
    """Checks a spec dict and collects every mistake before raising once."""

    SURVEY_KEYS = {"id", "year", "kind", "title", "municipality_column", "role_column",
                   "sheet", "header_row", "region"}
    QUESTION_KEYS = {"id", "type", "title", "column", "scale", "answers", "missing",
                     "options", "delimiter", "aggregate", "unit", "min", "max"}
    OPTION_KEYS = {"id", "title", "label", "column"}
    SUPPRESSION_KEYS = {
        "person": {"min_n_shown", "min_n_percent"},
        "organisation": {"publish_municipal", "min_units_region"},
    }

    def __init__(self, origin: str):
        self.origin = origin
        self.errors: list[str] = []

    def parse(self, data: dict[str, Any]) -> SurveySpec:
        self._keys(data, {"survey", "suppression", "scales", "questions"}, "the spec")
        survey = self._table(data.get("survey"), "[survey]")
        self._keys(survey, self.SURVEY_KEYS, "[survey]")
        kind = str(survey.get("kind", ""))
        if kind not in KINDS:
            self.errors.append(f"[survey] kind must be one of {join(KINDS)}, not {kind!r}.")
        scales = self._scales(data.get("scales", {}))
        questions = tuple(self._question(q, i, kind, scales)
                          for i, q in enumerate(self._list(data.get("questions"), "[[questions]]")))
        self._unique([q.id for q in questions], "question id")
        spec = SurveySpec(
            id=self._id(survey.get("id"), "[survey] id"),
            year=self._int(survey.get("year"), "[survey] year", low=1900),
            kind=kind,
            title=self._title(survey.get("title"), "[survey] title"),
            municipality_column=self._text(survey.get("municipality_column"),
                                           "[survey] municipality_column"),
            role_column=self._optional_text(survey.get("role_column"), "[survey] role_column"),
            sheet=self._optional_text(survey.get("sheet"), "[survey] sheet"),
            header_row=self._int(survey.get("header_row", 1), "[survey] header_row", low=1),
            region=str(survey.get("region", "17")),
            questions=questions,
            suppression=self._suppression(data.get("suppression", {}), kind),
            origin=self.origin,
        )
        if not questions:
            self.errors.append("The spec has no [[questions]].")
        self._unique([fold(c) for c, _ in spec.file_columns() if c], "column")
        self._region(spec.region)
        if self.errors:
            listed = "\n- ".join(self.errors)
            raise SurveyError(f"Survey spec {self.origin} is invalid:\n- {listed}")
        return spec

    # ---- sections -------------------------------------------------------------------
    def _scales(self, raw: Any) -> dict[str, tuple[tuple[tuple[str, float], ...], tuple[str, ...]]]:
        scales = {}
        for name, body in self._table(raw, "[scales]").items():
            where = f"[scales.{name}]"
            body = self._table(body, where)
            self._keys(body, {"answers", "missing"}, where)
            scales[name] = (self._answers(body.get("answers"), where),
                            self._labels(body.get("missing", []), f"{where} missing"))
        return scales

    def _question(self, raw: Any, index: int, kind: str, scales: dict) -> Question:
        body = self._table(raw, f"question #{index + 1}")
        qid = self._id(body.get("id"), f"question #{index + 1} id")
        where = f"question {qid!r}"
        self._keys(body, self.QUESTION_KEYS, where)
        qtype = body.get("type")
        if qtype not in TYPES:
            self.errors.append(f"{where}: type must be one of {join(TYPES)}, not {qtype!r}.")
            qtype = "open"
        answers, missing = self._question_answers(body, qtype, scales, where)
        options = tuple(self._option(o, where, body.get("delimiter"))
                        for o in self._list(body.get("options", []), f"{where} options"))
        question = Question(
            id=qid, type=qtype, title=self._title(body.get("title"), f"{where} title"),
            column=self._optional_text(body.get("column"), f"{where} column"),
            answers=answers, missing=missing, options=options,
            delimiter=self._optional_text(body.get("delimiter"), f"{where} delimiter"),
            aggregate=self._aggregate(body.get("aggregate"), qtype, kind, where),
            unit=str(body.get("unit", "lukumäärä" if qtype == "number" else "")),
            min=self._optional_number(body.get("min"), f"{where} min"),
            max=self._optional_number(body.get("max"), f"{where} max"),
        )
        self._check_shape(question, body, where)
        return question

    def _question_answers(self, body: dict, qtype: str, scales: dict, where: str):
        if "scale" in body:
            if "answers" in body or "missing" in body:
                self.errors.append(f"{where}: give either scale or answers/missing, not both.")
            name = str(body["scale"])
            if name not in scales:
                self.errors.append(f"{where}: scale {name!r} is not defined in "
                                   f"[scales] (defined: {join(scales) or 'none'}).")
                return (), ()
            return scales[name]
        if qtype == "yesno" and "answers" not in body:
            return tuple(YESNO_ANSWERS.items()), self._labels(
                body.get("missing", list(YESNO_MISSING)), f"{where} missing")
        if qtype not in ("scale", "yesno"):
            return (), ()
        answers = self._answers(body.get("answers"), f"{where} answers")
        if qtype == "yesno" and any(score not in (0.0, 1.0) for _, score in answers):
            self.errors.append(f"{where}: yes/no answers must score 1 (yes) or 0 (no).")
        return answers, self._labels(body.get("missing", []), f"{where} missing")

    def _check_shape(self, q: Question, body: dict, where: str) -> None:
        """Type-specific keys: a scale needs answers, a multi needs options, and so on."""
        wanted = {
            "scale": {"column", "scale", "answers", "missing"},
            "yesno": {"column", "answers", "missing"},
            "multi": {"column", "options", "delimiter"},
            "number": {"column", "unit", "min", "max"},
            "open": {"column"},
        }[q.type] | {"id", "type", "title", "aggregate"}
        extra = sorted(set(body) - wanted)
        if extra:
            self.errors.append(f"{where}: keys {join(extra)} do not apply to type {q.type!r}.")
        if q.type == "multi":
            self._check_multi(q, where)
        elif q.column is None:
            self.errors.append(f"{where}: column (the header in the answer file) is required.")
        if q.type == "scale" and not q.answers:
            self.errors.append(f"{where}: a scale question needs answers or scale.")

    def _check_multi(self, q: Question, where: str) -> None:
        if not q.options:
            self.errors.append(f"{where}: a multi question needs options.")
        self._unique([o.id for o in q.options], f"{where} option id")
        if q.delimiter:
            if q.column is None:
                self.errors.append(f"{where}: a delimited multi question needs column.")
            for o in q.options:
                if not o.label or o.column:
                    self.errors.append(f"{where} option {o.id!r}: with a delimiter every "
                                       "option needs label (and no column).")
                elif q.delimiter in o.label:
                    self.errors.append(f"{where} option {o.id!r}: label {o.label!r} contains "
                                       f"the delimiter {q.delimiter!r}; choose another delimiter.")
        elif q.column is not None or any(not o.column for o in q.options):
            self.errors.append(f"{where}: give either column + delimiter, or a column for "
                               "every option.")

    def _option(self, raw: Any, where: str, delimiter: Any) -> Option:
        body = self._table(raw, f"{where} option")
        oid = self._id(body.get("id"), f"{where} option id")
        self._keys(body, self.OPTION_KEYS, f"{where} option {oid!r}")
        return Option(id=oid, title=self._title(body.get("title"), f"{where} option {oid!r} title"),
                      label=self._optional_text(body.get("label"), f"{where} option label"),
                      column=self._optional_text(body.get("column"), f"{where} option column"))

    def _aggregate(self, raw: Any, qtype: str, kind: str, where: str) -> str:
        allowed = AGGREGATES.get(qtype, ())
        if raw is None:
            return allowed[0] if allowed and kind == "organisation" else ""
        if kind != "organisation":
            self.errors.append(f"{where}: aggregate applies only to kind = \"organisation\" "
                               "(in a person survey every respondent counts).")
        elif raw not in allowed:
            self.errors.append(f"{where}: aggregate for {qtype} must be one of "
                               f"{join(allowed) or 'nothing'}, not {raw!r}.")
        return str(raw)

    def _suppression(self, raw: Any, kind: str) -> Suppression:
        body = self._table(raw, "[suppression]")
        allowed = self.SUPPRESSION_KEYS.get(kind, set())
        for key in sorted(set(body) - allowed):
            self.errors.append(f"[suppression] {key} does not apply to kind = {kind!r} "
                               f"(allowed: {join(sorted(allowed))}).")
        if kind == "organisation" and not isinstance(body.get("publish_municipal"), bool):
            self.errors.append("[suppression] publish_municipal = true | false is required for "
                               "an organisation survey: true only if respondents were told that "
                               "answers are published per municipality.")
        defaults = Suppression()
        shown = self._int(body.get("min_n_shown", defaults.min_n_shown), "min_n_shown", low=1)
        percent = self._int(body.get("min_n_percent", defaults.min_n_percent), "min_n_percent",
                            low=shown)
        return Suppression(
            min_n_shown=shown, min_n_percent=percent,
            publish_municipal=body.get("publish_municipal") is True,
            min_units_region=self._int(body.get("min_units_region", defaults.min_units_region),
                                       "min_units_region", low=1),
        )

    def _region(self, region: str) -> None:
        try:
            areas_for(region)
        except ConfigError as exc:
            self.errors.append(f"[survey] region: {exc}")

    # ---- scalar checks -------------------------------------------------------------
    def _keys(self, body: dict, allowed: set[str], where: str) -> None:
        for key in sorted(set(body) - allowed):
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.errors.append(f"{where}: unknown key {key!r}{hint}.")

    def _table(self, raw: Any, where: str) -> dict:
        if isinstance(raw, dict):
            return raw
        self.errors.append(f"{where} must be a table.")
        return {}

    def _list(self, raw: Any, where: str) -> list:
        if isinstance(raw, list):
            return raw
        self.errors.append(f"{where} must be a list (array of tables).")
        return []

    def _id(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str) or not ID_PATTERN.fullmatch(raw) or "__" in raw:
            self.errors.append(f"{where} must match [a-z][a-z0-9_]* without '__', not {raw!r}.")
            return str(raw)
        return raw

    def _int(self, raw: Any, where: str, low: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
            self.errors.append(f"{where} must be an integer >= {low}, not {raw!r}.")
            return low
        return raw

    def _text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            self.errors.append(f"{where} must be a non-empty string.")
            return ""
        return raw

    def _optional_text(self, raw: Any, where: str) -> str | None:
        return None if raw is None else self._text(raw, where)

    def _optional_number(self, raw: Any, where: str) -> float | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.errors.append(f"{where} must be a number, not {raw!r}.")
            return None
        return float(raw)

    def _title(self, raw: Any, where: str) -> dict[str, str]:
        body = self._table(raw, where)
        self._keys(body, set(LANGS), where)
        fi = self._text(body.get("fi"), f"{where} fi")
        return {lang: str(body.get(lang) or fi) for lang in LANGS}

    def _answers(self, raw: Any, where: str) -> tuple[tuple[str, float], ...]:
        body = self._table(raw, where)
        bad = [k for k, v in body.items() if isinstance(v, bool) or not isinstance(v, int | float)]
        if bad:
            self.errors.append(f"{where}: scores must be numbers (put 'no score' answers in "
                               f"missing): {join(map(repr, bad))}.")
        return tuple((str(k), float(v)) for k, v in body.items() if k not in bad)

    def _labels(self, raw: Any, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.errors.append(f"{where} must be a list of strings.")
            return ()
        return tuple(raw)

    def _unique(self, ids: list[str], what: str) -> None:
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            self.errors.append(f"{what} {dup!r} is used more than once.")
