"""The survey spec: what a questionnaire looks like, as data rather than code.

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

The dataclasses here are the parsed, validated form; :mod:`.spec_parser` builds them from
TOML and lists every mistake at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import SurveyError
from .text import fold

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
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

YESNO_ANSWERS = {"Kyllä": 1.0, "Ei": 0.0, "Ja": 1.0, "Nej": 0.0, "Yes": 1.0, "No": 0.0,
                 "1": 1.0, "0": 0.0}
YESNO_MISSING = ("En osaa sanoa", "EOS", "Vet ej", "Don't know")
CHOSEN = ("1", "x", "kyllä", "ja", "yes", "true", "valittu")
NOT_CHOSEN = ("0", "ei", "nej", "no", "false")


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
    """Small-unit rules; which fields apply depends on the survey kind (see :mod:`.aggregate`)."""

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
        from .spec_parser import SpecParser  # the parser builds these classes

        return SpecParser(origin).parse(data)

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


def as_spec(spec: SurveySpec | str | Path) -> SurveySpec:
    return spec if isinstance(spec, SurveySpec) else load_spec(spec)
