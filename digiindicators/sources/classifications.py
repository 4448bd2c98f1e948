"""Statistics Finland classification service: which municipalities make up each area.

Why: membership of a region changes with municipal mergers and reforms (Vaala moved to
Pohjois-Pohjanmaa in 2016, the wellbeing counties began in 2023), so the area table is read
from the official correspondence tables at refresh instead of trusting a list written
once. The service is ``https://data.stat.fi/api/classifications/v2`` (research/regions.md
§1: geofi builds its municipality keys from it). Two calls are used:

- ``GET …/correspondenceTables?format=json`` lists every correspondence table; items carry
  the table's URL, whose last path part is its local id
  ``kunta_1_20260101#maakunta_1_20260101`` (source and target classification, each with its
  valid-from date). The listing is the cheap freshness check: a key is published once a
  year and never changes afterwards.
- ``GET …/correspondenceTables/{local id}/maps?content=data&format=json&lang=fi&meta=min``
  gives one item per municipality: ``sourceItem`` and ``targetItem``, each with ``code`` and
  ``classificationItemNames[].name`` in the requested language. A municipality with no
  target (Åland has no wellbeing services county) is simply absent.

The item shapes are read from public client code (geofi, pttry/statficlassifications), not
from a recorded answer [I]; the parser therefore looks for the local id anywhere in a
listing item and names exactly what it could not find.

Everything after the HTTP calls is pure: :func:`newest_keys` picks the tables,
:func:`national_frame` turns the raw maps into the area-table frame of the whole country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pandas as pd

from ..config import DEFAULT_CLASSIFICATION_URL, Settings
from ..errors import MalformedResponse, ResolveError
from .http import SourceClient, parse_json

SOURCE = "Tilastokeskus luokituspalvelu"
HINT = (
    "The Statistics Finland classification service may be down; the area table stored at "
    "the last successful refresh (or the built-in one for Pohjois-Pohjanmaa) is used. "
    "Try again later or check https://www.stat.fi/en/luokitukset/info/."
)
LANGS = ("fi", "sv", "en")
MUNICIPALITY = "kunta"
#: Target classification → area level and the PxWeb-style code prefix the panel uses.
TARGETS: dict[str, tuple[str, str]] = {
    "seutukunta": ("seutukunta", "SK"),
    "maakunta": ("maakunta", "MK"),
    "hyvinvointialue": ("hyvinvointialue", "HV"),
    "kuntaryhmitys": ("kuntaryhmitys", ""),
}
#: Without these two no area table can be built; the other targets may be missing.
REQUIRED_TARGETS = ("maakunta", "seutukunta")
#: Names of the whole country, which is in no classification of its own.
COUNTRY_NAMES = {"fi": "Koko maa", "sv": "Hela landet", "en": "Whole country"}

_LOCAL_ID = re.compile(r"(?P<source>[a-z_]+?)_(?P<n>\d+)_(?P<date>\d{8})#(?P<target>[a-z_]+?)_"
                       r"(?P<tn>\d+)_(?P<tdate>\d{8})")


@dataclass(frozen=True)
class KeyTable:
    """One municipality → target correspondence table of the service."""

    local_id: str  # kunta_1_20260101#maakunta_1_20260101
    target: str  # maakunta
    year: int  # the year of the municipality classification (valid from 1 January)

    @property
    def path(self) -> str:
        return f"correspondenceTables/{quote(self.local_id, safe='_')}/maps"


def parse_listing(obj: Any) -> list[KeyTable]:
    """Every municipality → target table in a ``correspondenceTables`` listing.

    Items may be URL strings or objects with the URL in any field (``value`` in the
    answers geofi reads); the local id is taken from the text wherever it appears.
    """
    if not isinstance(obj, list):
        raise MalformedResponse(
            f"The correspondence table listing is a JSON {type(obj).__name__}, not a list."
        )
    found: dict[str, KeyTable] = {}
    for item in obj:
        texts = [item] if isinstance(item, str) else [
            v for v in (item.values() if isinstance(item, dict) else []) if isinstance(v, str)
        ]
        for text in texts:
            match = _LOCAL_ID.search(text.replace("%23", "#"))
            if not match or match["source"] != MUNICIPALITY:
                continue
            if match["target"] not in TARGETS or match["date"] != match["tdate"]:
                continue
            local_id = match.group(0)
            found[local_id] = KeyTable(local_id, match["target"], int(match["date"][:4]))
    return sorted(found.values(), key=lambda t: (t.year, t.target))


def newest_keys(tables: Iterable[KeyTable], *, year: int | None = None) -> dict[str, KeyTable]:
    """The tables of the newest year that has every required target (or of ``year``).

    An optional target missing in that year (the wellbeing counties exist from 2023) is
    taken from the newest earlier year that has it, because a class changes rarely and a
    slightly older one beats none; a required one missing raises :class:`ResolveError`.
    """
    by_year: dict[int, dict[str, KeyTable]] = {}
    for table in tables:
        by_year.setdefault(table.year, {})[table.target] = table
    complete = [y for y, t in by_year.items() if all(r in t for r in REQUIRED_TARGETS)]
    if year is not None:
        complete = [y for y in complete if y == year]
    if not complete:
        wanted = f"for {year}" if year is not None else "for any year"
        raise ResolveError(
            "The classification service lists no municipality → "
            f"{' and '.join(REQUIRED_TARGETS)} correspondence tables {wanted}; the listing "
            "changed shape or the service is incomplete."
        )
    newest = max(complete)
    chosen = dict(by_year[newest])
    for target in TARGETS:
        if target not in chosen:
            earlier = [y for y in by_year if y < newest and target in by_year[y]]
            if earlier:
                chosen[target] = by_year[max(earlier)][target]
    return chosen


@dataclass(frozen=True)
class MapRow:
    source_code: str
    source_name: str
    target_code: str
    target_name: str


def _item(item: Any, side: str, what: str) -> tuple[str, str]:
    part = item.get(side) if isinstance(item, dict) else None
    if not isinstance(part, dict) or not str(part.get("code", "")).strip():
        raise MalformedResponse(f"{what}: an item has no {side}.code.")
    names = part.get("classificationItemNames") or []
    name = next((n.get("name") for n in names if isinstance(n, dict) and n.get("name")), "")
    return str(part["code"]).strip(), str(name).strip()


def parse_maps(obj: Any, what: str) -> list[MapRow]:
    """The rows of one ``maps?content=data`` answer."""
    if not isinstance(obj, list):
        raise MalformedResponse(f"{what} is a JSON {type(obj).__name__}, not a list.")
    rows = []
    for item in obj:
        source = _item(item, "sourceItem", what)
        target = _item(item, "targetItem", what)
        rows.append(MapRow(*source, *target))
    return rows


class ClassificationClient(SourceClient):
    """Reads correspondence tables from one classification service (``…/v2``)."""

    source, hint = SOURCE, HINT

    def __init__(self, base_url: str = DEFAULT_CLASSIFICATION_URL, **options: Any):
        super().__init__(base_url, **options)

    @classmethod
    def from_settings(cls, settings: Settings) -> ClassificationClient:
        return cls._from_settings(settings.classification_url, settings)

    def listing(self) -> list[KeyTable]:
        obj, _ = self.http.get_json(f"{self.base_url}/correspondenceTables",
                                    params={"format": "json"})
        return parse_listing(obj)

    def maps(self, table: KeyTable, lang: str) -> tuple[list[MapRow], bytes]:
        """One table in one language: ``(rows, raw body as received)``.

        An empty answer is an error: every municipality → region table has rows, so ``[]``
        means the service is broken, and storing it would empty the area table.
        """
        what = f"Correspondence table {table.local_id} ({lang})"
        # The local id's '#' must reach the server as %23; requests would drop it as a fragment.
        url = f"{self.base_url}/{table.path}"
        params = {"content": "data", "format": "json", "lang": lang, "meta": "min"}
        obj, raw = self.http.request("GET", url, params=params, parse=parse_json)
        rows = parse_maps(obj, what)
        if not rows:
            raise MalformedResponse(f"{what} has no rows; the previous area table is kept.")
        return rows, raw


def national_frame(
    maps: Mapping[tuple[str, str], Sequence[MapRow]], *, year: int | None = None
) -> pd.DataFrame:
    """The area-table frame of the whole country from ``{(target, lang): rows}``.

    Same columns as the built-in table (``area_code, area_level, name_fi, name_sv, name_en,
    seutukunta, maakunta, hyvinvointialue, kuntaryhmitys``): one row for the country, each
    region, wellbeing county and sub-region, and each municipality with its memberships.
    Municipality names come from the maakunta table, which lists every municipality.
    """
    for target in REQUIRED_TARGETS:
        for lang in LANGS:
            if not maps.get((target, lang)):
                raise ResolveError(f"No {target} correspondence rows in {lang}.")
    names: dict[str, dict[str, str]] = {}
    members: dict[str, dict[str, str]] = {}
    aggregates: dict[str, dict[str, Any]] = {}
    for (target, lang), rows in maps.items():
        level, prefix = TARGETS[target]
        for row in rows:
            code = f"KU{row.source_code.zfill(3)}"
            if target == "maakunta" or not names.get(code, {}).get(lang):
                names.setdefault(code, {})[lang] = row.source_name
            target_code = f"{prefix}{row.target_code.zfill(2)}" if prefix else row.target_code
            members.setdefault(code, {})[level] = target_code
            if prefix:
                agg = aggregates.setdefault(target_code, {"area_level": level})
                agg[f"name_{lang}"] = row.target_name or agg.get(f"name_{lang}", "")
    municipalities = {c for (t, _), rows in maps.items() if t == "maakunta"
                      for c in (f"KU{r.source_code.zfill(3)}" for r in rows)}
    records = [{"area_code": "SSS", "area_level": "maa",
                **{f"name_{k}": v for k, v in COUNTRY_NAMES.items()}}]
    # A sub-region lies in one region: take it from its member municipalities.
    sk_region = {m["seutukunta"]: m.get("maakunta", "") for m in members.values()
                 if m.get("seutukunta")}
    for code in sorted(aggregates, key=_aggregate_order):
        record = {"area_code": code, **aggregates[code]}
        if record["area_level"] == "seutukunta":
            record["maakunta"] = sk_region.get(code, "")
        records.append(record)
    for code in sorted(municipalities):
        record = {"area_code": code, "area_level": "kunta"}
        for lang in LANGS:
            record[f"name_{lang}"] = names[code].get(lang) or names[code].get("fi", "")
        record.update(members.get(code, {}))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    columns = ["area_code", "area_level", *(f"name_{lang}" for lang in LANGS),
               "seutukunta", "maakunta", "hyvinvointialue", "kuntaryhmitys"]
    frame = frame.reindex(columns=columns, fill_value="").fillna("").astype(str)
    for lang in LANGS[1:]:  # a missing translation falls back to the Finnish name
        empty = frame[f"name_{lang}"] == ""
        frame.loc[empty, f"name_{lang}"] = frame.loc[empty, "name_fi"]
    if year is not None:
        frame.attrs["year"] = year
    return frame


def _aggregate_order(code: str) -> tuple[int, str]:
    return ("MK", "HV", "SK").index(code[:2]), code
