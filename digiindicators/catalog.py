"""Load and validate the declarative indicator catalog (``catalog.toml``).

The catalog is data so that adding an indicator is an edit of one file, reviewed by a
person who knows the statistics, not a code change. Validation happens at load time so a
typo fails loudly with the indicator's id instead of producing a silently empty panel.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import CatalogError

LANGS = ("fi", "sv", "en")
DIRECTIONS = ("higher_is_worse", "higher_is_better", "neutral")
MEASURES = ("content", "age_share", "age_ratio")
AGGREGATES = ("sum", "ratio", "none")


@dataclass(frozen=True)
class SourceSpec:
    """Where an indicator's numbers come from and how they are computed."""

    kind: str
    table: str
    measure: str
    content: str
    aggregate: str
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    ages: tuple[int, int] | None = None
    base_ages: tuple[int, int] | None = None  # None = all ages
    annual: str | None = None

    def contents(self) -> list[str]:
        """Content codes this indicator needs from its table."""
        codes = [self.content]
        if self.aggregate == "ratio" and self.measure == "content":
            codes += [self.numerator or "", self.denominator or ""]
        return codes


@dataclass(frozen=True)
class TableSpec:
    """Download settings of one source table shared by its indicators."""

    path: str
    first_year: int | None = None
    keep_all: tuple[str, ...] = ()

    @property
    def table_id(self) -> str:
        """Short table id (``11re``) used in citations and cache keys."""
        return Path(self.path).name.removesuffix(".px")


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

    def tables_for(self, indicator_ids: list[str] | None = None) -> dict[str, list[Indicator]]:
        """Source tables and the indicators computed from each, in catalog order."""
        wanted = self.indicators if indicator_ids is None else [self[i] for i in indicator_ids]
        grouped: dict[str, list[Indicator]] = {}
        for ind in wanted:
            grouped.setdefault(ind.source.table, []).append(ind)
        return grouped

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator, for notebooks and the dashboard."""
        rows = []
        for ind in self.indicators:
            row: dict[str, Any] = {
                "indicator": ind.id,
                "theme": ind.theme,
                "unit": ind.unit,
                "direction": ind.direction,
                "decimals": ind.decimals,
                "source_kind": ind.source.kind,
                "table": ind.source.table,
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


def _source(raw: dict[str, Any], where: str) -> SourceSpec:
    missing = [k for k in ("kind", "table", "measure", "content", "aggregate") if k not in raw]
    if missing:
        raise CatalogError(f"{where}: source lacks {', '.join(missing)}.")
    if raw["measure"] not in MEASURES:
        raise CatalogError(f"{where}: measure {raw['measure']!r} is not one of {MEASURES}.")
    if raw["aggregate"] not in AGGREGATES:
        raise CatalogError(f"{where}: aggregate {raw['aggregate']!r} is not one of {AGGREGATES}.")
    spec = SourceSpec(
        kind=raw["kind"],
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
    )
    is_age = spec.measure in ("age_share", "age_ratio")
    if is_age and spec.ages is None:
        raise CatalogError(f"{where}: measure {spec.measure} needs `ages`.")
    if (
        spec.aggregate == "ratio"
        and spec.measure == "content"
        and not (spec.numerator and spec.denominator)
    ):
        raise CatalogError(f'{where}: aggregate "ratio" needs numerator and denominator.')
    if spec.annual not in (None, "mean"):
        raise CatalogError(f'{where}: annual must be "mean" when given.')
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
    tables = {
        path: TableSpec(
            path=path,
            first_year=spec.get("first_year"),
            keep_all=tuple(spec.get("keep_all", ())),
        )
        for path, spec in raw.get("tables", {}).items()
    }
    return Catalog(indicators=indicators, themes=themes, tables=tables)


@cache
def load_catalog(path: str | None = None) -> Catalog:
    """The packaged catalog, or one at ``path`` (for tests and regional variants)."""
    if path is not None:
        return parse_catalog(Path(path).read_text(encoding="utf-8"))
    text = (resources.files("digiindicators") / "catalog.toml").read_text(encoding="utf-8")
    return parse_catalog(text)
