"""Municipal survey files → validated answers → panel rows, with small-n protection.

The regional council asks the municipalities in writing about digital wellbeing and
digital support (digituki). Answer files come from Webropol-like tools as Excel or CSV
in whatever encoding and separator the exporting machine used, with municipality names
typed by hand. This module reads such a file against a declarative *survey spec*,
reports every problem at once (file, spreadsheet row, column, value, what to do) so a
person can fix the file in one pass, and turns the answers into tidy-panel rows without
ever publishing a number computed from too few respondents.

Survey spec (TOML)
------------------
A spec is data, so a new questionnaire is a new file reviewed by the person who wrote the
questions, not a code change. Unknown keys are errors (a typo must not silently drop a
setting). Full example: ``digiindicators/surveys/digituki_2023.toml``; reference:
``digiindicators/surveys/README.md``.

.. code-block:: toml

    [survey]
    id = "digituki_2023"                 # [a-z][a-z0-9_]*; indicator ids start survey_<id>_
    year = 2023
    kind = "organisation"                # or "person" – decides the suppression rules
    title = { fi = "…", sv = "…", en = "…" }   # fi required, sv/en fall back to fi
    municipality_column = "Kunta"
    role_column = "Vastaajan tehtävä"    # optional
    sheet = "Vastaukset"                 # optional, xlsx only (default: first sheet)
    header_row = 1                       # optional, the row with the column headers
    region = "17"                        # optional, maakunta of the area table

    [suppression]                        # organisation: publish_municipal (required),
    publish_municipal = true             #   min_units_region (3)
    # person: min_n_shown (5), min_n_percent (30)

    [scales.kylla_ei]                    # named answer scales, reusable by questions
    answers = { "Kyllä" = 1, "Jossain määrin" = 0.5, "Ei" = 0 }
    missing = ["En osaa sanoa"]          # accepted answers that carry no score

    [[questions]]
    id = "hyvinvointikertomus"
    type = "scale"                       # scale | yesno | multi | number | open
    column = "Onko digiosallisuus huomioitu hyvinvointikertomuksessa?"
    scale = "kylla_ei"                   # or inline answers = {…} / missing = […]
    title = { fi = "…", sv = "…", en = "…" }
    aggregate = "mean"                   # organisation surveys only, see below

    [[questions]]                        # multi, one cell with a delimiter …
    id = "muodot"
    type = "multi"
    column = "Missä muodoissa digitukea tarjotaan?"
    delimiter = ","
    options = [{ id = "lahituki", label = "Lähituki", title = { fi = "Lähituki" } }]

    [[questions]]                        # … or one column per option (1 / x / label = chosen)
    id = "tarjoajat"
    type = "multi"
    options = [{ id = "kirjasto", column = "Digitukea antaa: Kirjasto", title = { fi = "…" } }]

``yesno`` accepts Kyllä/Ei, Ja/Nej, Yes/No, 1/0 (EOS/Vet ej/Don't know = missing) unless
it has its own ``answers``; ``number`` takes ``unit``, ``min``, ``max`` and accepts a
decimal comma and spaces as thousands separators; ``open`` answers are kept only with
``read_survey(..., include_open=True)`` and never reach :meth:`SurveyResult.to_panel`.

Units of analysis, aggregation and suppression
----------------------------------------------
``kind = "person"`` (e.g. a resident survey): every respondent is a unit. A municipality's
value is the share of its respondents (%) or their mean score; the region value is
computed over all the region's respondents (unweighted). A value is published only when
``n >= min_n_shown`` (default 5) and a percentage only when ``n >= min_n_percent`` (default
30), where n is the number of respondents with a valid answer to that question; other
cells get value NaN and status ``..``. Secondary suppression: the region is also
suppressed when the suppressed municipalities together hold 1 … threshold−1 respondents,
since "region minus the published municipalities" would otherwise reveal them (this
always covers the case of exactly one suppressed municipality).

``kind = "organisation"`` (the coordinators answer on behalf of their municipality): the
municipality is the unit. Several respondents of one municipality (a notice, not an
error) are first combined by the question's ``aggregate`` rule – defaults: scale and
number ``mean``, yesno and multi ``any`` (1 if any respondent said yes / chose it) –
so a municipality with two respondents is counted once in the region. The answers
describe the municipality's own services, which Statistics Finland does not treat as
confidential, so the person thresholds (which are about percentages computed over
respondents) do not apply. Instead the spec must say ``publish_municipal``: true only if
respondents were told that answers are published per municipality; false suppresses
every municipal row. The region row (share of municipalities, or mean over
municipalities) needs at least ``min_units_region`` (default 3) municipalities.

Every value row has a companion ``<indicator>__n`` row (respondents with a valid answer,
unit ``vastaajia``) and the region row also ``<indicator>__kunnat`` (municipalities with a
valid answer, unit ``kuntaa``): n and coverage are always shown; they reveal no answer.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import math
import re
import tomllib
import unicodedata
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from .areas import AreaTable, areas
from .errors import ConfigError, SurveyError, UnknownArea

KINDS = ("organisation", "person")
TYPES = ("scale", "yesno", "multi", "number", "open")
LANGS = ("fi", "sv", "en")
#: Aggregation rules allowed per question type; the first is the documented default.
AGGREGATES = {
    "scale": ("mean", "median", "min", "max"),
    "yesno": ("any", "all", "mean"),
    "multi": ("any", "all", "mean"),
    "number": ("mean", "median", "min", "max", "sum"),
    "open": (),
}
PANEL_COLUMNS = [
    "indicator", "area_code", "area_level", "area_name", "year",
    "value", "status", "unit", "source", "lower", "upper",
]
PROBLEM_COLUMNS = ["severity", "file", "row", "column", "value", "message", "message_fi", "code"]
SEVERITIES = ("error", "warning", "notice")
SUPPRESSED = ".."
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
#: An xlsx is a zip; refuse one that unpacks to more than this many times the size limit.
MAX_UNPACK_RATIO = 10
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")
SEPARATORS = (";", ",", "\t")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

YESNO_ANSWERS = {"Kyllä": 1.0, "Ei": 0.0, "Ja": 1.0, "Nej": 0.0, "Yes": 1.0, "No": 0.0,
                 "1": 1.0, "0": 0.0}
YESNO_MISSING = ("En osaa sanoa", "EOS", "Vet ej", "Don't know")
CHOSEN = ("1", "x", "kyllä", "ja", "yes", "true", "valittu")
NOT_CHOSEN = ("0", "ei", "nej", "no", "false")


# ---------------------------------------------------------------------------------
# text helpers
# ---------------------------------------------------------------------------------
@lru_cache(maxsize=65536)  # answers repeat endlessly; folding dominated the reading time
def fold(text: object) -> str:
    """Key for tolerant comparison of headers and answers: NFC, case, inner spaces."""
    value = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join(value.split())


def _quote(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


# ---------------------------------------------------------------------------------
# the spec
# ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One choice of a multi-select question (a label in a cell, or its own column)."""

    id: str
    title: dict[str, str]
    label: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Question:
    """One question: where its answers are in the file and how they become numbers."""

    id: str
    type: str
    title: dict[str, str]
    column: str | None = None
    answers: tuple[tuple[str, float], ...] = ()
    missing: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    delimiter: str | None = None
    aggregate: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None

    def file_columns(self) -> list[tuple[str, str]]:
        """(header, description) of every column this question reads."""
        if self.column is not None:
            return [(self.column, f"question {self.id}")]
        return [(o.column or "", f"question {self.id}, option {o.id}") for o in self.options]

    def outputs(self) -> list[str]:
        """Columns this question adds to ``SurveyResult.responses``."""
        if self.type == "multi":
            return [f"{self.id}_{o.id}" for o in self.options]
        return [self.id]

    def allowed(self) -> list[str]:
        return [label for label, _ in self.answers] + list(self.missing)

    @cached_property
    def score_by_key(self) -> dict[str, float]:
        return {fold(label): score for label, score in self.answers}

    @cached_property
    def missing_keys(self) -> set[str]:
        return {fold(label) for label in self.missing}

    @cached_property
    def option_by_label(self) -> dict[str, str]:
        return {fold(o.label or ""): o.id for o in self.options}

    @cached_property
    def chosen_keys(self) -> dict[str, set[str]]:
        """Per option: cell texts meaning "chosen" in one-column-per-option multi questions."""
        return {o.id: set(CHOSEN) | {fold(o.label or "x"), fold(o.title["fi"])}
                for o in self.options}


@dataclass(frozen=True)
class Suppression:
    """Small-unit rules; which fields apply depends on the survey kind (module docs)."""

    min_n_shown: int = 5
    min_n_percent: int = 30
    publish_municipal: bool = False
    min_units_region: int = 3


@dataclass(frozen=True)
class SurveySpec:
    """A parsed, validated survey spec. Build with :func:`load_spec` or :meth:`from_dict`."""

    id: str
    year: int
    kind: str
    title: dict[str, str]
    municipality_column: str
    questions: tuple[Question, ...]
    suppression: Suppression = field(default_factory=Suppression)
    role_column: str | None = None
    sheet: str | None = None
    header_row: int = 1
    region: str = "17"
    origin: str = "<dict>"

    @classmethod
    def from_dict(cls, data: dict[str, Any], origin: str = "<dict>") -> SurveySpec:
        return _SpecParser(origin).parse(data)

    @property
    def source(self) -> str:
        return f"kysely {self.year}: {self.title['fi']}"

    def indicator(self, *parts: str) -> str:
        return "_".join(("survey", self.id, *parts))

    def file_columns(self) -> list[tuple[str, str]]:
        """(header, description) of every column the spec expects in the answer file."""
        columns = [(self.municipality_column, "municipality column")]
        if self.role_column:
            columns.append((self.role_column, "respondent role column"))
        for question in self.questions:
            columns += question.file_columns()
        return columns


def load_spec(path: str | Path) -> SurveySpec:
    """Read a TOML spec; every mistake in it is listed in one :class:`SurveyError`."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SurveyError(f"Cannot read survey spec {path}: {exc}.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SurveyError(f"Survey spec {path} is not valid UTF-8 TOML: {exc}.") from exc
    return SurveySpec.from_dict(data, origin=str(path))


def default_spec_path() -> Path:
    """The packaged example spec (used by ``digiindicators survey check`` without --spec)."""
    return Path(str(resources.files("digiindicators") / "surveys" / "digituki_2023.toml"))


def example_file_path() -> Path:
    """The packaged, clearly synthetic example answer file for the example spec."""
    return Path(str(resources.files("digiindicators") / "surveys" / "digituki_2023_example.csv"))


class _SpecParser:
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
            self.errors.append(f"[survey] kind must be one of {_join(KINDS)}, not {kind!r}.")
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
            self.errors.append(f"{where}: type must be one of {_join(TYPES)}, not {qtype!r}.")
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
                                   f"[scales] (defined: {_join(scales) or 'none'}).")
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
            self.errors.append(f"{where}: keys {_join(extra)} do not apply to type {q.type!r}.")
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
                               f"{_join(allowed) or 'nothing'}, not {raw!r}.")
        return str(raw)

    def _suppression(self, raw: Any, kind: str) -> Suppression:
        body = self._table(raw, "[suppression]")
        allowed = self.SUPPRESSION_KEYS.get(kind, set())
        for key in sorted(set(body) - allowed):
            self.errors.append(f"[suppression] {key} does not apply to kind = {kind!r} "
                               f"(allowed: {_join(sorted(allowed))}).")
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
            areas(region)
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
                               f"missing): {_join(map(repr, bad))}.")
        return tuple((str(k), float(v)) for k, v in body.items() if k not in bad)

    def _labels(self, raw: Any, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.errors.append(f"{where} must be a list of strings.")
            return ()
        return tuple(raw)

    def _unique(self, ids: list[str], what: str) -> None:
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            self.errors.append(f"{what} {dup!r} is used more than once.")


def _as_spec(spec: SurveySpec | str | Path) -> SurveySpec:
    return spec if isinstance(spec, SurveySpec) else load_spec(spec)


# ---------------------------------------------------------------------------------
# reading files (bounded, read-only)
# ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RawRow:
    """One non-blank answer row, reduced to what validation needs.

    Only the cells of columns the spec reads are kept (by header position), plus a digest
    of the whole row for exact-duplicate detection, so memory does not grow with the
    number of columns a survey tool exports.
    """

    number: int  # spreadsheet row as a person sees it (header = row 1)
    cells: dict[int, str]
    digest: int
    extra: tuple[str, ...] = ()  # filled cells beyond the last header


@dataclass
class RawTable:
    """The header and the answer rows of one file or sheet."""

    header: list[str]
    rows: list[RawRow]
    encoding: str
    separator: str | None = None
    sheet: str | None = None


def _cell_text(value: object) -> str:
    """Excel cell → text, so CSV and xlsx answers validate the same way (1.0 → "1")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value))


def _refuse_binary(head: bytes, path: Path) -> None:
    """Recognise what is clearly not a text table, before a parser chokes on it."""
    known = {
        b"\xd0\xcf\x11\xe0": "an old Excel .xls (or other OLE) file; save it as .xlsx or CSV",
        b"%PDF": "a PDF file; export the answers as .xlsx or CSV instead",
        codecs.BOM_UTF16_LE: "UTF-16 text ('Unicode text'); save it as 'CSV UTF-8'",
        codecs.BOM_UTF16_BE: "UTF-16 text; save it as 'CSV UTF-8'",
    }
    for magic, what in known.items():
        if head.startswith(magic):
            raise SurveyError(f"{path} is {what}.")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) // 50:
        raise SurveyError(
            f"{path} is not a text table (it contains binary data). Export the survey "
            "answers as .xlsx or CSV (UTF-8) and try again."
        )


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Try UTF-8 with BOM, UTF-8, then cp1252 (Excel on Windows); report which worked."""
    for encoding in ENCODINGS:
        if encoding == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            continue
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SurveyError(f"{path} is neither UTF-8 nor cp1252 text; save it as 'CSV UTF-8'.")


def _records(text: str, separator: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)


def _detect_separator(text: str, header_row: int, expected: set[str]) -> str:
    """The separator under which the header holds the most expected columns (then fields)."""

    def score(separator: str) -> tuple[int, int]:
        header = next(islice(_records(text, separator), header_row - 1, None), [])
        return sum(fold(h) in expected for h in header), len(header)

    try:
        return max(SEPARATORS, key=score)
    except csv.Error:
        return SEPARATORS[0]


def _read_csv(path: Path, data: bytes, spec: SurveySpec, max_rows: int) -> RawTable:
    text, encoding = _decode(data, path)
    expected = {fold(column) for column, _ in spec.file_columns()}
    separator = _detect_separator(text, spec.header_row, expected)
    try:
        numbered = _bounded(enumerate(_records(text, separator), start=1), spec, max_rows, path)
        header, rows = _split_header(numbered, spec, path)
    except csv.Error as exc:
        raise SurveyError(f"{path} cannot be read as CSV ({exc}). Save it again as CSV "
                          "UTF-8 from the survey tool or Excel.") from exc
    return RawTable(header, rows, encoding, separator=separator)


def _bounded(numbered: Iterable[tuple[int, Sequence[Any]]], spec: SurveySpec, max_rows: int,
             path: Path) -> Iterator[tuple[int, Sequence[Any]]]:
    """Stop reading as soon as the file has too many rows (time and memory stay bounded)."""
    limit = spec.header_row + max_rows
    for number, cells in numbered:
        if number > limit:
            raise SurveyError(
                f"{path} has more than {max_rows:,} answer rows; that is not a municipal "
                "survey export. Check the file, or pass a larger max_rows to read_survey."
            )
        yield number, cells


def _split_header(numbered: Iterator[tuple[int, Sequence[Any]]], spec: SurveySpec,
                  path: Path) -> tuple[list[str], list[RawRow]]:
    header: list[str] = []
    keep: list[int] = []
    rows = []
    for number, cells in numbered:
        if number == spec.header_row:
            header = [_cell_text(c).strip() for c in cells]
            wanted = {fold(column) for column, _ in spec.file_columns()}
            keep = [i for i, h in enumerate(header) if fold(h) in wanted]
        elif number > spec.header_row:
            row = _compact(number, cells, keep, len(header))
            if row is not None:
                rows.append(row)
    if not any(header):
        raise SurveyError(f"{path} has no header row (row {spec.header_row} is empty or "
                          "missing); set header_row in the spec if the headers are lower.")
    return header, rows


def _compact(number: int, cells: Sequence[Any], keep: list[int], width: int) -> RawRow | None:
    """Text of the needed cells, a digest of all of them; None for a blank row."""
    texts = [_cell_text(c).strip() for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    if not texts:
        return None
    return RawRow(number, {i: texts[i] for i in keep if i < len(texts)}, hash(tuple(texts)),
                  tuple(t for t in texts[width:] if t))


def _read_xlsx(path: Path, spec: SurveySpec, sheet: str | None, max_rows: int,
               max_bytes: int) -> RawTable:
    _refuse_zip_bomb(path, max_bytes)
    import openpyxl  # only needed for Excel files

    # Untrusted file: any failure inside openpyxl/zip/XML parsing means "not a valid xlsx".
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "Workbook contains no default style"
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise SurveyError(f"{path} is not a readable .xlsx file ({exc}). Open it in "
                              "Excel and save it again as .xlsx, or export CSV.") from exc
        try:
            return _read_sheet(book, path, spec, sheet or spec.sheet, max_rows)
        except SurveyError:
            raise
        except Exception as exc:
            raise SurveyError(f"{path}: the sheet cannot be read ({exc}). Save the file "
                              "again as .xlsx or export CSV.") from exc
        finally:
            book.close()


def _read_sheet(book: Any, path: Path, spec: SurveySpec, sheet: str | None,
                max_rows: int) -> RawTable:
    if sheet is not None and sheet not in book.sheetnames:
        raise SurveyError(f"{path} has no sheet {sheet!r}; sheets: {_join(book.sheetnames)}.")
    worksheet = book[sheet] if sheet else book.worksheets[0]
    numbered = enumerate(worksheet.iter_rows(values_only=True), start=1)
    header, rows = _split_header(_bounded(numbered, spec, max_rows, path), spec, path)
    return RawTable(header, rows, "xlsx", sheet=worksheet.title)


def _refuse_zip_bomb(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError) as exc:
        raise SurveyError(f"{path} looks like an .xlsx but is not a valid one ({exc}).") from exc
    if unpacked > max_bytes * MAX_UNPACK_RATIO:
        raise SurveyError(f"{path} unpacks to {unpacked / 1e6:,.0f} MB, more than "
                          f"{MAX_UNPACK_RATIO}× the size limit; it is not a survey export.")


def read_table(path: str | Path, spec: SurveySpec, *, sheet: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS) -> RawTable:
    """Read an answer file as text cells, refusing what is too big or not a table.

    Opens the file read-only and never writes to it; the size is checked before any byte
    is read so a huge file costs nothing.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SurveyError(
                f"{path} is {size / 1e6:,.1f} MB, over the limit of {max_bytes / 1e6:,.1f} MB. "
                "A municipal survey export is far smaller: check that this is the right file, "
                "or pass a larger max_bytes to read_survey."
            )
        with path.open("rb") as handle:
            head = handle.read(65536)
            is_xlsx = head.startswith(b"PK\x03\x04")
            data = head if is_xlsx else head + handle.read(max_bytes + 1 - len(head))
    except OSError as exc:
        raise SurveyError(f"Cannot read survey file {path}: {exc.strerror or exc}.") from exc
    if is_xlsx:
        return _read_xlsx(path, spec, sheet, max_rows, max_bytes)
    if not data.strip():
        raise SurveyError(f"{path} is empty.")
    _refuse_binary(head, path)
    return _read_csv(path, data, spec, max_rows)


# ---------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------
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
class _Problems:
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
class _Bad:
    """An answer a question could not use: why, in both languages."""

    column: str
    value: str
    en: str
    fi: str


# ---------------------------------------------------------------------------------
# answer coding: one function per question type
# ---------------------------------------------------------------------------------
Cell = Callable[[str], str | None]  # header → cell text, None when the column is missing
Coded = tuple[dict[str, Any], list[_Bad]]
NAN = float("nan")


def _unknown_answer(q: Question, column: str, text: str, allowed: list[str]) -> _Bad:
    listed = _join(repr(a) for a in allowed)
    return _Bad(
        column, text,
        f"Answer {_quote(text)} is not allowed for question {q.id!r}. Allowed: {listed}. "
        "Correct the cell, or add the answer to the spec.",
        f"Vastaus {_quote(text)} ei kelpaa kysymykseen {q.id!r}. Sallitut: {listed}. "
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
    bad: list[_Bad] = []
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
        return {q.id: NAN}, [_Bad(
            q.column or "", text,
            f"{_quote(text)} is not a number (question {q.id!r}). Write digits only, "
            "e.g. 1,5 or 1.5.",
            f"{_quote(text)} ei ole luku (kysymys {q.id!r}). Kirjoita pelkkä luku, esim. 1,5.")]
    low = -math.inf if q.min is None else q.min
    high = math.inf if q.max is None else q.max
    if not low <= number <= high:
        return {q.id: NAN}, [_Bad(
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


# ---------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------
_WHAT_FI = {"municipality column": "kuntasarake", "respondent role column": "vastaajan "
             "tehtävä", "question": "kysymys", "option": "vaihtoehto"}


def _what_fi(what: str) -> str:
    for english, finnish in _WHAT_FI.items():
        what = what.replace(english, finnish)
    return what


class _Validator:
    """Walks the table once, coding answers and collecting every problem."""

    def __init__(self, spec: SurveySpec, table: AreaTable, raw: RawTable, file: str):
        self.spec, self.table, self.raw, self.file = spec, table, raw, file
        self.problems = _Problems()
        self.index = self._column_index()
        self.names = table.names("fi")
        self._matches: dict[str, str | UnknownArea] = {}

    def _column_index(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, header in enumerate(self.raw.header):
            index.setdefault(fold(header), position)
        return index

    # ---- columns -------------------------------------------------------------------
    def check_columns(self) -> None:
        expected = self.spec.file_columns()
        found = [c for c, _ in expected if fold(c) in self.index]
        if not found:
            first = _join(_quote(h, 30) for h in self.raw.header[:5])
            raise SurveyError(
                f"{self.file} does not look like an answer file of survey {self.spec.id!r}: none "
                f"of its {len(expected)} columns were found (the header starts {first}). "
                "Check the file, the spec, the sheet and header_row."
            )
        for column, what in expected:
            self._check_column(column, what)
        self._note_ambiguous_and_unused(expected)

    def _check_column(self, column: str, what: str) -> None:
        if fold(column) in self.index:
            return
        headers = [h for h in self.raw.header if h]
        close = difflib.get_close_matches(fold(column), [fold(h) for h in headers], n=1,
                                          cutoff=0.5)
        closest = next((h for h in headers if close and fold(h) == close[0]), "")
        hint_en = f" Closest header in the file: {closest!r}." if closest else ""
        hint_fi = f" Lähin otsikko tiedostossa: {closest!r}." if closest else ""
        self.problems.add(
            "error", "missing_column", 1, column, closest,
            f"Column {column!r} ({what}) is missing.{hint_en} Rename the header in the file "
            "or change the spec.",
            f"Sarake {column!r} ({_what_fi(what)}) puuttuu.{hint_fi} Korjaa otsikko tiedostoon tai "
            "muuta kyselyn kuvausta (spec).",
        )

    def _note_ambiguous_and_unused(self, expected: list[tuple[str, str]]) -> None:
        wanted = {fold(c) for c, _ in expected}
        counts = Counter(fold(h) for h in self.raw.header)
        for key in sorted(k for k, n in counts.items() if k in wanted and n > 1):
            self.problems.add(
                "warning", "duplicate_column", 1, key, "",
                f"The header {key!r} appears {counts[key]} times; the first one is used. "
                "Rename the others.",
                f"Otsikko {key!r} esiintyy {counts[key]} kertaa; ensimmäistä käytetään. "
                "Nimeä muut uudelleen.",
            )
        unused = [h for h in self.raw.header if h and fold(h) not in wanted]
        if unused:
            listed = _join(_quote(h, 40) for h in unused[:10]) + (" …" if len(unused) > 10 else "")
            self.problems.add(
                "notice", "unused_columns", 1, "", str(len(unused)),
                f"{len(unused)} columns are not in the spec and are ignored: {listed}.",
                f"{len(unused)} saraketta ei ole kuvauksessa, ja ne ohitetaan: {listed}.",
            )

    # ---- rows ----------------------------------------------------------------------
    def code_rows(self) -> list[dict[str, Any]]:
        seen: dict[int, int] = {}
        records = []
        for row in self.raw.rows:
            if row.digest in seen:
                self._duplicate(row.number, seen[row.digest])
                continue
            seen[row.digest] = row.number
            record = self._code_row(row)
            if record is not None:
                records.append(record)
        return records

    def _duplicate(self, number: int, first: int) -> None:
        self.problems.add(
            "warning", "duplicate_row", number, "", f"= row {first}",
            f"Row {number} is an exact copy of row {first} and is counted once. Delete it if "
            "the answer was sent twice; if two people really answered identically, add a "
            "column that tells them apart (e.g. a respondent number).",
            f"Rivi {number} on täsmälleen sama kuin rivi {first}, ja se lasketaan vain kerran. "
            "Poista se, jos vastaus on lähetetty kahdesti; jos kaksi vastaajaa vastasi "
            "samoin, lisää sarake, joka erottaa heidät (esim. vastaajanumero).",
        )

    def _cell(self, cells: dict[int, str]) -> Cell:
        def get(column: str) -> str | None:
            position = self.index.get(fold(column))
            return None if position is None else cells.get(position, "")

        return get

    def _code_row(self, row: RawRow) -> dict[str, Any] | None:
        number, cell = row.number, self._cell(row.cells)
        self._check_extra_cells(number, row.extra)
        written = cell(self.spec.municipality_column)
        if written is None:
            return None  # the column itself is missing; reported once already
        code = self._municipality(number, written)
        if code is None:
            return None
        record: dict[str, Any] = {
            "row": number, "municipality": written.strip(), "area_code": code,
            "area_name": self.names[code],
            "role": (cell(self.spec.role_column) or "").strip() if self.spec.role_column else "",
        }
        for question in self.spec.questions:
            values, bad = CODERS[question.type](question, cell)
            record.update(values)
            for item in bad:
                self.problems.add("error", "unknown_answer", number, item.column, item.value,
                                  item.en, item.fi)
        return record

    def _check_extra_cells(self, number: int, extra: tuple[str, ...]) -> None:
        if extra:
            self.problems.add(
                "warning", "extra_cells", number, "", _quote(extra[0], 40),
                f"Row {number} has {len(extra)} filled cells beyond the last header; they are "
                "ignored. A separator inside an unquoted text may have split a cell.",
                f"Rivillä {number} on {len(extra)} täytettyä solua viimeisen otsikon jälkeen; "
                "ne ohitetaan. Tekstissä oleva erotinmerkki on ehkä jakanut solun.",
            )

    def _municipality(self, number: int, written: str) -> str | None:
        column = self.spec.municipality_column
        if not written.strip():
            self.problems.add(
                "error", "empty_municipality", number, column, "",
                f"Row {number} has no municipality; it is left out. Fill in the municipality.",
                f"Riviltä {number} puuttuu kunta, eikä riviä käytetä. Täydennä kunta.",
            )
            return None
        if written not in self._matches:
            try:
                self._matches[written] = self.table.match(written)
            except UnknownArea as exc:
                self._matches[written] = exc
        match = self._matches[written]
        if isinstance(match, UnknownArea):
            self._unknown_municipality(number, written, match)
            return None
        return match

    def _unknown_municipality(self, number: int, written: str, exc: UnknownArea) -> None:
        found = re.search(r"Did you mean: (.+?)\?", str(exc))
        hint_fi = f" Tarkoititko: {found.group(1)}?" if found else ""
        self.problems.add(
            "error", "unknown_municipality", number, self.spec.municipality_column, written,
            f"{exc} The row is left out until this is fixed.",
            f"{_quote(written)} ei ole alueen {self.table.region} kunta.{hint_fi} Käytä kunnan "
            "suomen- tai ruotsinkielistä nimeä tai kuntanumeroa; riviä ei käytetä ennen korjausta.",
        )

    # ---- several respondents -------------------------------------------------------------
    def note_respondents(self, records: list[dict[str, Any]]) -> None:
        """Several respondents are normal in an organisation survey: say how they combine."""
        if self.spec.kind != "organisation":
            return
        by_area: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_area.setdefault(record["area_code"], []).append(record)
        for group in by_area.values():
            if len(group) > 1:
                self._several(group)

    def _several(self, group: list[dict[str, Any]]) -> None:
        rows = _join(str(r["row"]) for r in group[:10]) + (" …" if len(group) > 10 else "")
        roles = Counter(r["role"] for r in group if r["role"])
        role_text = f"; roles: {_join(list(roles)[:10])}" if roles else ""
        name = group[0]["area_name"]
        self.problems.add(
            "notice", "several_respondents", group[1]["row"], self.spec.municipality_column,
            group[1]["municipality"],
            f"{name} has {len(group)} respondents (rows {rows}{role_text}). Their answers are "
            "combined by each question's aggregate rule (defaults: scale and number mean, "
            "yes/no and multi any); n counts all of them.",
            f"Kunnalla {name} on {len(group)} vastaajaa (rivit {rows}). Vastaukset yhdistetään "
            "kysymyksen aggregate-säännöllä (oletus: asteikko ja luku keskiarvo, kyllä/ei ja "
            "monivalinta 'jokin'); n sisältää kaikki vastaajat.",
        )
        for role in sorted(r for r, count in roles.items() if count > 1):
            self.problems.add(
                "warning", "same_role_twice", group[1]["row"], self.spec.role_column or "", role,
                f"{name} has two answers from the role {role!r}: a resubmission? Both are "
                "combined; delete the older one if it was replaced.",
                f"Kunnalla {name} on kaksi vastausta roolista {role!r}: lähetetty uudelleen? "
                "Molemmat yhdistetään; poista vanhempi, jos se korvattiin.",
            )


# ---------------------------------------------------------------------------------
# results, aggregation and suppression
# ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Measure:
    """One panel indicator: which response column, its unit, and ×100 for shares."""

    indicator: str
    column: str
    unit: str
    factor: float
    rule: str

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def _measures(spec: SurveySpec) -> list[_Measure]:
    build: dict[str, Callable[[Question], list[_Measure]]] = {
        "scale": lambda q: [_Measure(spec.indicator(q.id), q.id, "pistettä", 1.0, q.aggregate)],
        "yesno": lambda q: [_Measure(spec.indicator(q.id), q.id, "%", 100.0, q.aggregate)],
        "multi": lambda q: [_Measure(spec.indicator(q.id, o.id), f"{q.id}_{o.id}", "%", 100.0,
                                     q.aggregate) for o in q.options],
        "number": lambda q: [_Measure(spec.indicator(q.id), q.id, q.unit, 1.0, q.aggregate)],
        "open": lambda q: [],
    }
    return [m for q in spec.questions for m in build[q.type](q)]


#: How several respondents of one municipality combine (organisation surveys).
COMBINE: dict[str, Callable[[Any], pd.Series]] = {
    "mean": lambda g: g.mean(),
    "median": lambda g: g.median(),
    "min": lambda g: g.min(),
    "max": lambda g: g.max(),
    "sum": lambda g: g.sum(min_count=1),
    "any": lambda g: g.max(),
    "all": lambda g: g.min(),
}


def _units(responses: pd.DataFrame, measure: _Measure, spec: SurveySpec) -> pd.DataFrame:
    """Units of analysis with their value and respondent count: ``area_code, value, n``."""
    valid = responses[["area_code", measure.column]].dropna()
    if spec.kind == "person":
        return pd.DataFrame({"area_code": valid["area_code"],
                             "value": valid[measure.column].astype(float), "n": 1})
    grouped = valid.groupby("area_code")[measure.column]
    return pd.DataFrame({"value": COMBINE[measure.rule](grouped).astype(float),
                         "n": grouped.count()}).reset_index()


def _threshold(measure: _Measure, rules: Suppression) -> int:
    """Fewest respondents behind a published person-survey value of this measure."""
    return max(rules.min_n_shown, rules.min_n_percent) if measure.is_percent else rules.min_n_shown


def _municipal_suppressed(n: pd.Series, measure: _Measure, spec: SurveySpec) -> pd.Series:
    if spec.kind == "organisation":
        return pd.Series(not spec.suppression.publish_municipal, index=n.index)
    return (n > 0) & (n < _threshold(measure, spec.suppression))


def _region_suppressed(stats: pd.DataFrame, measure: _Measure, spec: SurveySpec) -> bool:
    """Primary rule on the region itself plus the secondary rule against differencing."""
    answered = stats[stats["n"] > 0]
    if spec.kind == "organisation":
        return len(answered) < spec.suppression.min_units_region
    threshold = _threshold(measure, spec.suppression)
    hidden = int(answered.loc[answered["suppressed"], "n"].sum())
    return int(answered["n"].sum()) < threshold or 0 < hidden < threshold


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
        return [c for c in areas(self.spec.region).municipalities() if c in answered]

    # ---- panel ---------------------------------------------------------------------------
    def to_panel(self) -> pd.DataFrame:
        """Panel-contract rows: municipal values, the region value, and n for each.

        Open answers never appear here. Suppressed cells have value NaN and status ``..``.
        """
        table = areas(self.spec.region)
        names = table.names("fi")
        rows = [row for m in _measures(self.spec) for row in self._measure_rows(m, table, names)]
        frame = pd.DataFrame(rows, columns=PANEL_COLUMNS)
        return frame.astype({"year": "int64", "value": "float64", "lower": "float64",
                             "upper": "float64"})

    def _measure_rows(self, measure: _Measure, table: AreaTable,
                      names: dict[str, str]) -> list[dict[str, Any]]:
        units = _units(self.responses, measure, self.spec)
        codes = table.municipalities()
        stats = pd.DataFrame({
            "value": units.groupby("area_code")["value"].mean() * measure.factor,
            "n": units.groupby("area_code")["n"].sum(),
        }).reindex(codes)
        stats["n"] = stats["n"].fillna(0).astype(int)
        stats["suppressed"] = _municipal_suppressed(stats["n"], measure, self.spec)
        rows: list[dict[str, Any]] = []
        for code, value, n, suppressed in stats.itertuples(name=None):
            rows += self._pair(measure, code, value, int(n), bool(suppressed), names)
        region = f"MK{table.region}"
        region_value = units["value"].mean() * measure.factor if len(units) else NAN
        rows += self._pair(measure, region, region_value, int(stats["n"].sum()),
                           _region_suppressed(stats, measure, self.spec), names)
        rows.append(self._row(f"{measure.indicator}__kunnat", region,
                              float((stats["n"] > 0).sum()), "", "kuntaa", names))
        return rows

    def _pair(self, measure: _Measure, code: str, value: float, n: int, suppressed: bool,
              names: dict[str, str]) -> list[dict[str, Any]]:
        shown = NAN if suppressed or n == 0 else float(value)
        status = SUPPRESSED if suppressed and n > 0 else ""
        return [self._row(measure.indicator, code, shown, status, measure.unit, names),
                self._row(f"{measure.indicator}__n", code, float(n), "", "vastaajia", names)]

    def _row(self, indicator: str, code: str, value: float, status: str, unit: str,
             names: dict[str, str]) -> dict[str, Any]:
        level = "kunta" if code.startswith("KU") else "maakunta"
        return {"indicator": indicator, "area_code": code, "area_level": level,
                "area_name": names[code], "year": self.spec.year, "value": value,
                "status": status, "unit": unit, "source": self.spec.source,
                "lower": NAN, "upper": NAN}

    # ---- report --------------------------------------------------------------------------
    def summary(self, lang: str = "fi", max_problems: int = 50) -> str:
        """A report a person can act on: what was read, coverage, then every problem."""
        words = _WORDS[lang if lang in _WORDS else "en"]
        table = areas(self.spec.region)
        answered = self.municipalities()
        missing = [table.name(c) for c in table.municipalities() if c not in answered]
        where = (f"{words['sheet']} {self.sheet!r}" if self.sheet is not None
                 else f"{words['encoding']} {self.encoding}, {words['separator']} "
                      f"{self.separator!r}")
        lines = [
            f"{words['survey']}: {self.spec.title.get(lang, self.spec.title['fi'])} "
            f"({self.spec.id}, {self.spec.year})",
            f"{words['file']}: {self.file} ({where})",
            f"{words['rows']}: {self.data_rows}, {words['respondents']}: {len(self.responses)}, "
            f"{words['municipalities']}: {len(answered)}/{len(table.municipalities())}",
        ]
        if missing:
            lines.append(f"{words['no_answer']}: {_join(missing)}")
        lines.append(f"{words['errors']}: {self.count('error')}, {words['warnings']}: "
                     f"{self.count('warning')}, {words['notices']}: {self.count('notice')}")
        lines.append(words["ok"] if self.ok else words["not_ok"])
        lines += _problem_lines(self.problems, lang, words, max_problems)
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


# ---------------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------------
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
    spec = _as_spec(spec)
    raw = read_table(path, spec, sheet=sheet, max_bytes=max_bytes, max_rows=max_rows)
    validator = _Validator(spec, areas(spec.region), raw, str(path))
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
        raise SurveyError(_strict_message(result))
    return result


def _responses(records: list[dict[str, Any]], spec: SurveySpec,
               include_open: bool) -> pd.DataFrame:
    keep = [q for q in spec.questions if include_open or q.type != "open"]
    columns = ["row", "municipality", "area_code", "area_name", "role"]
    columns += [c for q in keep for c in q.outputs()]
    frame = pd.DataFrame(records).reindex(columns=columns)
    numeric = [c for q in keep if q.type != "open" for c in q.outputs()]
    return frame.astype(dict.fromkeys(numeric, "float64") | {"row": "int64"})


def _strict_message(result: SurveyResult, limit: int = 20) -> str:
    errors = result.problems[result.problems["severity"] == "error"]
    lines = [f"{result.file}: {len(errors)} errors in survey file ({result.spec.id}):"]
    lines += [f"- row {p.row}, column {p.column!r}: {p.message}"
              for p in errors.head(limit).itertuples()]
    if len(errors) > limit:
        lines.append(f"- … and {len(errors) - limit} more (read with strict=False to see all).")
    return "\n".join(lines)


EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def check_survey_file(path: str | Path, spec: SurveySpec | str | Path,
                      lang: str = "fi") -> tuple[int, str]:
    """For ``digiindicators survey check FILE``: (exit code, report).

    0 = no errors or warnings (notices are fine), 1 = problems found, 2 = the file or
    the spec could not be read at all.
    """
    try:
        result = read_survey(path, spec)
    except SurveyError as exc:
        return EXIT_UNREADABLE, str(exc)
    clean = result.ok and result.count("warning") == 0
    return (EXIT_OK if clean else EXIT_PROBLEMS), result.summary(lang)


__all__ = [
    "PANEL_COLUMNS",
    "Option",
    "Problem",
    "Question",
    "RawRow",
    "RawTable",
    "Suppression",
    "SurveyResult",
    "SurveySpec",
    "check_survey_file",
    "default_spec_path",
    "example_file_path",
    "load_spec",
    "read_survey",
    "read_table",
]
