"""Load and validate the declarative indicator catalog (``catalog.toml``).

The catalog is data so that adding an indicator is an edit of one file, reviewed by a
person who knows the statistics, not a code change. Validation happens at load time so a
typo fails loudly with the indicator's id instead of producing a silently empty panel.

Every indicator comes from one *job*: a unit of download that the refresh plans, checks
for freshness and stores as generations on its own — a StatFin table
(``pxweb:StatFin/vaerak/11re.px``), a Sotkanet indicator (``sotkanet:180``) or the
boundary layer (``geo:boundaries``). The job key is also the key of the cache manifest
entry and what ``digiindicators status`` prints. Derived indicators (modelled estimates,
density) have no job of their own: they name their input jobs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import CatalogError
from .sources.pxweb_query import TEXT_PREFIX  # a content given by a regex on its label

LANGS = ("fi", "sv", "en")
DIRECTIONS = ("higher_is_worse", "higher_is_better", "neutral")
KINDS = ("pxweb", "sotkanet", "derived")
#: How a PxWeb indicator is computed from its table (see catalog.toml).
PXWEB_MEASURES = ("content", "age_share", "age_ratio", "age_group", "pct_change")
AGGREGATES = ("sum", "ratio", "none")
DERIVED_METHODS = {
    "nonusers": ("share", "count", "share_rural_adj", "count_90plus"),
    "density": ("density",),
}
SOTKANET_GENDERS = ("total", "male", "female")
#: The boundary layer: not an indicator source by itself, refreshed with every full refresh.
BOUNDARIES = "geo:boundaries"


def entry_key(kind: str, name: str) -> str:
    """Manifest/job key: ``pxweb:StatFin/vaerak/11ra.px``, ``sotkanet:180``, ``geo:boundaries``."""
    return f"{kind}:{name}"


@dataclass(frozen=True)
class SourceSpec:
    """Where an indicator's numbers come from and how they are computed.

    One class for every kind keeps ``indicator.source.aggregate`` and ``.kind`` available
    to every caller (the dashboard reads them); fields that do not apply stay None.
    """

    kind: str
    table: str  # pxweb: table key; sotkanet: indicator id as text; derived: ""
    measure: str
    content: str | None
    aggregate: str
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    ages: tuple[int, int] | None = None
    base_ages: tuple[int, int] | None = None  # None = all ages
    annual: str | None = None
    lag: int | None = None  # pct_change: years between the compared values
    # sotkanet
    indicator: int | None = None
    title_fi: str | None = None
    gender: str = "total"
    first_year: int | None = None
    # derived
    method: str | None = None
    output: str | None = None
    inputs: tuple[str, ...] = ()
    population: str | None = None  # density: id of the population indicator

    @property
    def job(self) -> str | None:
        """The manifest entry this indicator is read from (None for derived indicators)."""
        if self.kind == "pxweb":
            return entry_key("pxweb", self.table)
        if self.kind == "sotkanet":
            return entry_key("sotkanet", str(self.indicator))
        return None

    def contents(self) -> list[str]:
        """Content keys this indicator needs from its PxWeb table."""
        codes = [self.content or ""]
        if self.aggregate == "ratio" and self.measure == "content":
            codes += [self.numerator or "", self.denominator or ""]
        return codes


@dataclass(frozen=True)
class TableSpec:
    """Download settings of one PxWeb table shared by its indicators.

    ``folder`` + ``title_contains`` make a *discovered* table: its id is looked up in the
    folder listing by the words of its title on every refresh, because ids have been
    renamed before (June 2026) and the sutivi ids are not known in advance.
    """

    path: str
    first_year: int | None = None
    keep_all: tuple[str, ...] = ()
    folder: str | None = None
    title_contains: tuple[str, ...] = ()
    national: bool = False  # the table has no area variable: every value is for SSS
    #: Content with the number of respondents (sample surveys); downloaded when present.
    respondents: str | None = None

    @property
    def table_id(self) -> str:
        """Short table id (``11re``) used in citations; a discovered table's logical name."""
        return Path(self.path).name.removesuffix(".px")

    @property
    def discovered(self) -> bool:
        return self.folder is not None


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    unit: str
    direction: str
    decimals: int
    title: dict[str, str]
    description: dict[str, str]
    why: str
    source: SourceSpec


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    themes: dict[str, dict[str, str]]
    tables: dict[str, TableSpec] = field(default_factory=dict)

    def __getitem__(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise CatalogError(f"Unknown indicator {indicator_id!r}. Known: {', '.join(self.ids)}.")

    @property
    def ids(self) -> list[str]:
        return [ind.id for ind in self.indicators]

    def table(self, path: str) -> TableSpec:
        return self.tables.get(path) or TableSpec(path=path)

    def _wanted(self, indicator_ids: list[str] | None) -> list[Indicator]:
        return list(self.indicators) if indicator_ids is None else [self[i] for i in indicator_ids]

    def sources_for(self, indicator_ids: list[str] | None = None) -> dict[str, list[Indicator]]:
        """Manifest entry → the source indicators read from it, in catalog order."""
        grouped: dict[str, list[Indicator]] = {}
        for ind in self._wanted(indicator_ids):
            if ind.source.job is not None:
                grouped.setdefault(ind.source.job, []).append(ind)
        return grouped

    def derived(self, indicator_ids: list[str] | None = None) -> list[Indicator]:
        return [ind for ind in self._wanted(indicator_ids) if ind.source.kind == "derived"]

    def jobs_for(self, indicator_ids: list[str] | None = None) -> dict[str, list[Indicator]]:
        """Every job a refresh of these indicators needs → the indicators that depend on it.

        A derived indicator is listed under each of its inputs (so a failing input names
        it). A full refresh (``None``) always includes the boundary layer, which the map
        needs even when no indicator is computed from it.
        """
        jobs = self.sources_for(indicator_ids)
        for ind in self.derived(indicator_ids):
            for key in ind.source.inputs:
                jobs.setdefault(key, []).append(ind)
        if indicator_ids is None:
            jobs.setdefault(BOUNDARIES, [])
        return jobs

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator, for notebooks and the dashboard."""
        rows = []
        for ind in self.indicators:
            src = ind.source
            row: dict[str, Any] = {
                "indicator": ind.id,
                "theme": ind.theme,
                "unit": ind.unit,
                "direction": ind.direction,
                "decimals": ind.decimals,
                "source_kind": src.kind,
                "table": src.job or ", ".join(src.inputs),
                "why": ind.why,
            }
            for lang in LANGS:
                row[f"title_{lang}"] = ind.title[lang]
                row[f"description_{lang}"] = ind.description[lang]
                row[f"theme_{lang}"] = self.themes[ind.theme][lang]
            rows.append(row)
        return pd.DataFrame(rows)


def _age_range(value: Any, where: str) -> tuple[int, int] | None:
    if value is None or value == "all":
        return None
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1])
    raise CatalogError(f'{where}: ages must be [from, to] or "all", got {value!r}.')


def _check_pattern(text: str, where: str) -> None:
    if text.startswith(TEXT_PREFIX):
        try:
            re.compile(text[len(TEXT_PREFIX) :])
        except re.error as exc:
            raise CatalogError(
                f"{where}: {text!r} is not a valid regular expression: {exc}"
            ) from exc


def _pxweb_source(raw: dict[str, Any], where: str) -> SourceSpec:
    missing = [k for k in ("table", "measure", "content", "aggregate") if k not in raw]
    if missing:
        raise CatalogError(f"{where}: source lacks {', '.join(missing)}.")
    if raw["measure"] not in PXWEB_MEASURES:
        raise CatalogError(f"{where}: measure {raw['measure']!r} is not one of {PXWEB_MEASURES}.")
    spec = SourceSpec(
        kind="pxweb",
        table=raw["table"],
        measure=raw["measure"],
        content=raw["content"],
        aggregate=raw["aggregate"],
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        scale=float(raw.get("scale", 1.0)),
        ages=_age_range(raw.get("ages"), where),
        base_ages=_age_range(raw.get("base_ages", "all"), where),
        annual=raw.get("annual"),
        lag=raw.get("lag"),
    )
    _check_pattern(spec.content or "", where)
    if spec.measure in ("age_share", "age_ratio", "age_group") and spec.ages is None:
        raise CatalogError(f"{where}: measure {spec.measure} needs `ages`.")
    if spec.measure == "pct_change" and not (isinstance(spec.lag, int) and spec.lag > 0):
        raise CatalogError(f"{where}: measure pct_change needs a positive integer `lag`.")
    if (
        spec.aggregate == "ratio"
        and spec.measure == "content"
        and not (spec.numerator and spec.denominator)
    ):
        raise CatalogError(f'{where}: aggregate "ratio" needs numerator and denominator.')
    if spec.annual not in (None, "mean"):
        raise CatalogError(f'{where}: annual must be "mean" when given.')
    return spec


def _sotkanet_source(raw: dict[str, Any], where: str) -> SourceSpec:
    indicator, title_fi = raw.get("indicator"), raw.get("title_fi")
    if not isinstance(indicator, int) or indicator <= 0:
        raise CatalogError(f"{where}: a Sotkanet source needs a positive integer `indicator`.")
    if not isinstance(title_fi, str) or not title_fi.strip():
        raise CatalogError(
            f"{where}: pin Sotkanet indicator {indicator} with its Finnish title (`title_fi`), "
            "so that a reused or redefined id fails loudly instead of showing other numbers."
        )
    gender = raw.get("gender", "total")
    if gender not in SOTKANET_GENDERS:
        raise CatalogError(f"{where}: gender must be one of {SOTKANET_GENDERS}.")
    return SourceSpec(
        kind="sotkanet",
        table=str(indicator),
        measure="value",
        content=None,
        aggregate=raw.get("aggregate", "none"),
        indicator=indicator,
        title_fi=title_fi,
        gender=gender,
        first_year=raw.get("first_year"),
    )


def _derived_source(raw: dict[str, Any], where: str) -> SourceSpec:
    method, output = raw.get("method"), raw.get("output")
    if method not in DERIVED_METHODS:
        raise CatalogError(f"{where}: method must be one of {tuple(DERIVED_METHODS)}.")
    if output not in DERIVED_METHODS[method]:
        raise CatalogError(f"{where}: output of {method} must be one of {DERIVED_METHODS[method]}.")
    inputs = raw.get("inputs")
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        raise CatalogError(f"{where}: a derived source lists its input jobs in `inputs`.")
    return SourceSpec(
        kind="derived",
        table="",
        measure=method,
        content=None,
        aggregate=raw.get("aggregate", "none"),
        method=method,
        output=output,
        inputs=tuple(inputs),
        population=raw.get("population"),
    )


def _source(raw: dict[str, Any], where: str) -> SourceSpec:
    kind = raw.get("kind")
    if kind not in KINDS:
        raise CatalogError(f"{where}: source kind {kind!r} is not one of {KINDS}.")
    builder = {"pxweb": _pxweb_source, "sotkanet": _sotkanet_source, "derived": _derived_source}
    spec = builder[kind](raw, where)
    if spec.aggregate not in AGGREGATES:
        raise CatalogError(f"{where}: aggregate {spec.aggregate!r} is not one of {AGGREGATES}.")
    return spec


def _indicator(raw: dict[str, Any], themes: dict[str, Any]) -> Indicator:
    where = f"indicator {raw.get('id', '?')!r}"
    for key in ("id", "theme", "unit", "direction", "title", "description", "why", "source"):
        if key not in raw:
            raise CatalogError(f"{where}: missing field {key!r}.")
    if raw["direction"] not in DIRECTIONS:
        raise CatalogError(f"{where}: direction must be one of {DIRECTIONS}.")
    if raw["theme"] not in themes:
        raise CatalogError(f"{where}: theme {raw['theme']!r} is not defined under [themes].")
    for key in ("title", "description"):
        lacking = [lang for lang in LANGS if not raw[key].get(lang)]
        if lacking:
            raise CatalogError(f"{where}: {key} lacks {', '.join(lacking)}.")
    return Indicator(
        id=raw["id"],
        theme=raw["theme"],
        unit=raw["unit"],
        direction=raw["direction"],
        decimals=int(raw.get("decimals", 1)),
        title=dict(raw["title"]),
        description=dict(raw["description"]),
        why=raw["why"],
        source=_source(raw["source"], where),
    )


def _table(path: str, spec: dict[str, Any]) -> TableSpec:
    where = f"table {path!r}"
    folder, words = spec.get("folder"), tuple(spec.get("title_contains", ()))
    if (folder is None) != (not words):
        raise CatalogError(f"{where}: a discovered table needs both `folder` and `title_contains`.")
    respondents = spec.get("respondents")
    if respondents is not None:
        _check_pattern(respondents, where)
    return TableSpec(
        path=path,
        first_year=spec.get("first_year"),
        keep_all=tuple(spec.get("keep_all", ())),
        folder=folder,
        title_contains=words,
        national=bool(spec.get("national", False)),
        respondents=respondents,
    )


def _check_references(catalog: Catalog) -> None:
    """Derived inputs must be jobs that exist; density needs a population indicator."""
    known = set(catalog.sources_for()) | {BOUNDARIES}
    for ind in catalog.derived():
        unknown = [key for key in ind.source.inputs if key not in known]
        if unknown:
            raise CatalogError(
                f"indicator {ind.id!r}: unknown input(s) {', '.join(unknown)}; inputs are the "
                "job keys of source indicators (a table's contents are those its source "
                f"indicators read), e.g. {', '.join(sorted(known)[:3])}."
            )
        if ind.source.method == "density":
            population = ind.source.population
            if (
                population not in catalog.ids
                or catalog[population].source.job not in ind.source.inputs
            ):
                raise CatalogError(
                    f"indicator {ind.id!r}: density needs `population`, the id of a source "
                    "indicator with the population counts whose table is one of its inputs."
                )


def parse_catalog(text: str) -> Catalog:
    """Parse catalog TOML text; raises :class:`CatalogError` naming the bad entry."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"catalog.toml is not valid TOML: {exc}") from exc
    themes = raw.get("themes", {})
    indicators = tuple(_indicator(item, themes) for item in raw.get("indicator", []))
    ids = [ind.id for ind in indicators]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogError(f"Duplicate indicator ids in catalog: {', '.join(dupes)}.")
    tables = {path: _table(path, spec) for path, spec in raw.get("tables", {}).items()}
    catalog = Catalog(indicators=indicators, themes=themes, tables=tables)
    _check_references(catalog)
    return catalog


@cache
def load_catalog(path: str | None = None) -> Catalog:
    """The packaged catalog, or one at ``path`` (for tests and regional variants)."""
    if path is not None:
        return parse_catalog(Path(path).read_text(encoding="utf-8"))
    text = (resources.files("digiindicators") / "catalog.toml").read_text(encoding="utf-8")
    return parse_catalog(text)
