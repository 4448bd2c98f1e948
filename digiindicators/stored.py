"""Read stored downloads back, per source, with no network.

Each manifest entry keeps two generations. Reading tries ``current`` and falls back to
``previous`` when a blob of the current one is missing or corrupt (every blob is checked
against its SHA-256), so a damaged cache file costs freshness, not data — and the reason
is returned so the panel can mark the data stale.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from .areas import AreaTable
from .errors import DigiIndicatorsError, StoreError
from .sources import classifications as cl
from .sources import sotkanet as sk
from .sources.jsonstat import parse_jsonstat2
from .store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
PRODUCERS = {"pxweb": "Tilastokeskus, StatFin"}


def first_readable(
    store: Store, entry: dict[str, Any], decode: Callable[[dict[str, Any]], T], label: str
) -> tuple[T, dict[str, Any], str]:
    """``(decoded, generation, stale_reason)`` of the newest generation that decodes.

    ``stale_reason`` is empty when the current generation was used.
    """
    problems = []
    for name in ("current", "previous"):
        generation = entry.get(name)
        if not generation:
            continue
        try:
            decoded = decode(generation)
        except (DigiIndicatorsError, ValueError) as exc:
            problems.append(f"{name}: {exc}")
            continue
        reason = ""
        if problems:
            reason = f"edellinen kopio käytössä / previous copy in use: {'; '.join(problems)}"
            log.error("%s: %s", label, reason)
        return decoded, generation, reason
    raise StoreError(f"No readable download of {label}: {'; '.join(problems) or 'none stored'}")


def read_json_blob(store: Store, digest: str) -> Any:
    return json.loads(store.get_blob(digest))


# ---- PxWeb ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredTable:
    """A source table as stored: one long frame with role-named columns."""

    frame: pd.DataFrame  # area, period, content, <breakdown codes…>, value, status
    contents: dict[str, str]  # catalog code → code in this download
    breakdowns: tuple[str, ...]
    source_text: str
    stale_reason: str = ""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # dim → code → label
    #: Frames computed from this table during one load (several indicators share them).
    memo: dict = field(default_factory=dict, compare=False, repr=False)


def _source_text(entry: dict, generation: dict, data_updated: str | None) -> str:
    producer = PRODUCERS.get(entry.get("source", ""), entry.get("source", ""))
    stamp = generation.get("source_updated") or data_updated or ""
    date = f" (päivitetty {stamp[:10]})" if stamp else ""
    return f"{producer} {entry.get('table_id', '')}{date}"


def read_table(store: Store, entry: dict) -> StoredTable:
    """Decode a stored StatFin table (json-stat2 parts, in the roles resolved at refresh)."""

    def decode(generation: dict[str, Any]):
        return [parse_jsonstat2(store.get_blob(p["blob"])) for p in generation["parts"]]

    parsed, generation, stale = first_readable(store, entry, decode, str(entry.get("table")))
    roles = generation["resolved"]
    frame = pd.concat([p.frame for p in parsed], ignore_index=True)
    frame = frame.rename(columns={roles["time"]: "period", roles["content"]: "content"})
    if roles.get("area"):
        frame = frame.rename(columns={roles["area"]: "area"})
    else:  # a national table (sutivi): every value is for the whole country
        frame["area"] = "SSS"
    labels: dict[str, dict[str, str]] = {}
    for part in parsed:
        for dim, codes in part.labels.items():
            labels.setdefault(dim, {}).update(codes)
    return StoredTable(
        frame=frame,
        contents=roles["contents"],
        breakdowns=tuple(roles.get("breakdowns", ())),
        source_text=_source_text(entry, generation, parsed[0].updated if parsed else None),
        stale_reason=stale,
        labels=labels,
    )


# ---- Sotkanet ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredIndicator:
    """A Sotkanet indicator as stored: the full grid of the region's areas × years × the
    genders received, with absent cells as explicit ``..`` rows."""

    frame: pd.DataFrame  # area, year, gender, value, abs_value, status
    source_text: str
    stale_reason: str = ""


def read_sotkanet(store: Store, entry: dict, region: AreaTable) -> StoredIndicator:
    """Decode a stored Sotkanet indicator through the ``/regions`` list stored with it."""

    def decode(generation: dict[str, Any]):
        regions = sk.check_regions(read_json_blob(store, generation["regions_blob"]))
        ids = sk.table_area_ids(regions, region)
        metadata = read_json_blob(store, generation["metadata_blob"])
        rows = []
        for part in generation["parts"]:
            rows.extend(sk.check_rows(read_json_blob(store, part["blob"]), int(entry["indicator"])))
        first, last = generation["request"]["years"]
        frame = sk.rows_to_frame(
            rows, sk.codes_by_id(ids), years=range(first, last + 1), areas=list(ids)
        )
        return frame, sk.citation(metadata)

    label = f"sotkanet:{entry.get('indicator')}"
    (frame, citation), _, stale = first_readable(store, entry, decode, label)
    return StoredIndicator(frame.rename(columns={"area_code": "area"}), citation, stale)


# ---- boundaries ----------------------------------------------------------------------------
def read_boundaries(store: Store, entry: dict) -> tuple[dict[str, Any], dict[str, Any], str]:
    """``(geojson, generation, stale_reason)`` of the stored boundary layer."""

    def decode(generation: dict[str, Any]) -> dict[str, Any]:
        obj = read_json_blob(store, generation["parts"][0]["blob"])
        if not isinstance(obj, dict) or not isinstance(obj.get("features"), list):
            raise StoreError("the stored boundary layer is not a FeatureCollection")
        return obj

    return first_readable(store, entry, decode, "geo:boundaries")


# ---- Classification key --------------------------------------------------------------------
@dataclass(frozen=True)
class StoredKey:
    """The national area key as stored: the area-table frame of the whole country."""

    frame: pd.DataFrame
    year: int
    stale_reason: str = ""


def read_area_key(store: Store, entry: dict) -> StoredKey:
    """Rebuild the national key from the stored correspondence-table bodies."""

    def decode(generation: dict[str, Any]) -> pd.DataFrame:
        maps = {}
        for part in generation["parts"]:
            what = f"stored {part['query']['local_id']} ({part['lang']})"
            rows = cl.parse_maps(read_json_blob(store, part["blob"]), what)
            maps[(part["target"], part["lang"])] = rows
        return cl.national_frame(maps, year=generation.get("year"))

    frame, generation, stale = first_readable(store, entry, decode, "classification key")
    return StoredKey(frame=frame, year=int(generation.get("year") or 0), stale_reason=stale)
