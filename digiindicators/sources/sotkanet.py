"""THL Sotkanet REST API 1.1 client (``https://sotkanet.fi/rest/1.1/…``).

What a refresh must call, in this order (one client, sequential calls, at most daily —
the API terms ask for batch use, never per dashboard view):

1. ``client.regions()`` → ``table_area_ids(regions, area_table)``. Sotkanet rows
   carry internal region ids that have been renumbered before (the wellbeing counties in
   2023), so the id map is rebuilt on every refresh; a ``ResolveError`` here means the
   region list no longer matches the 30 municipalities and the whole source must fail.
   Keep the raw ``/regions`` body: the panel is rebuilt from it offline.
2. For each catalog indicator: ``client.indicator_metadata(id)`` → ``check_title(meta,
   expected_fi)`` (a changed title means the id now means something else: fail that
   indicator) → compare ``data_updated(meta)`` and ``data_range(meta)`` with the manifest;
   skip step 3 when both are unchanged. ``citation(meta)`` is the panel ``source`` text.
3. ``client.data(id, years)`` (≤ ``MAX_YEARS_PER_CALL`` years per call; use
   ``year_batches``) → store the raw body together with ``client.last_query`` (which
   genders were really asked, after the total → sexes fallback) → ``rows_to_frame(rows,
   codes_by_id(ids), years=…, areas=…)``.

Only steps 1–3 touch the network; everything after the raw bodies is pure.
"""

from __future__ import annotations

import logging
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..areas import AreaTable
from ..config import DEFAULT_SOTKANET_URL, Settings
from ..errors import ConfigError, MalformedResponse, NotFound, ResolveError, SourceError
from .http import HttpClient, SourceClient

log = logging.getLogger(__name__)

SOURCE = "THL Sotkanet"
HINT = (
    "Sotkanet may be in an unannounced maintenance break; the last good data is kept. "
    "Try again later or check https://sotkanet.fi."
)
GENDERS = ("total", "male", "female")
#: The research keeps per-call year lists moderate; responses are never paged and every
#: call returns every region of the country (~460 rows per year and gender).
MAX_YEARS_PER_CALL = 20
#: Status for a (region, year, gender) cell that Sotkanet did not publish. Sotkanet omits
#: suppressed and unavailable cells instead of sending nulls, so the two cannot be told apart.
MISSING = ".."
#: Producers whose open data is CC BY 4.0 (THL = 2, Tilastokeskus = 3); others set their terms.
OPEN_PRODUCERS = {2, 3}

_CITATION_WORDS = {
    "fi": ("indikaattori", "päivitetty", "käyttöehdot: tuottajan ehdot"),
    "sv": ("indikator", "uppdaterad", "användningsvillkor: producentens villkor"),
    "en": ("indicator", "updated", "terms of use: the producer's terms"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UserAgentRefused(SourceError):
    """Sotkanet answers 403 to requests that lack a User-Agent (or carry a blocked one)."""


class SotkanetClient(SourceClient):
    """Talks to one Sotkanet REST service; ``base_url`` is the part before ``/1.1``."""

    source, hint = SOURCE, HINT
    status_errors = {403: UserAgentRefused}

    def __init__(
        self,
        base_url: str = DEFAULT_SOTKANET_URL,
        *,
        user_agent: str = Settings.user_agent,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        http: HttpClient | None = None,
    ):
        if not user_agent or not user_agent.strip():
            raise ConfigError(
                "Sotkanet refuses requests without a User-Agent (HTTP 403); "
                "give SotkanetClient a descriptive user_agent."
            )
        super().__init__(
            base_url.rstrip("/").removesuffix("/1.1"),
            user_agent=user_agent,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            sleep=sleep,
            http=http,
        )
        self.user_agent = user_agent
        # No rate limiter: Sotkanet documents none, and this client never runs calls in
        # parallel; the retry backoff is the only pacing needed.
        #: What the last ``data`` call really asked (after the gender fallback), for the store.
        self.last_query: dict[str, Any] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SotkanetClient:
        return cls._from_settings(settings.sotkanet_url, settings)

    def url(self, path: str) -> str:
        return f"{self.base_url}/1.1/{path.strip('/')}"

    # ---- endpoints -------------------------------------------------------------------
    def regions(self) -> tuple[list[dict[str, Any]], bytes]:
        """Every region of every category (about 470 objects, never paged)."""
        obj, raw = self._get("regions")
        return check_regions(obj), raw

    def indicator_metadata(self, indicator_id: int) -> tuple[dict[str, Any], bytes]:
        """Full metadata of one indicator: titles, producer, ``data-updated``, ``range``."""
        try:
            obj, raw = self._get(f"indicators/{int(indicator_id)}")
        except NotFound as exc:
            raise NotFound(
                f"Sotkanet has no indicator {indicator_id} (HTTP 404); it may have been "
                "withdrawn or renumbered. Look it up on https://sotkanet.fi and fix the "
                "catalog entry.",
                url=exc.url,
                status=exc.status,
            ) from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("title"), dict):
            raise MalformedResponse(
                f"Sotkanet metadata of indicator {indicator_id} is not an object with a "
                f"title: {_preview(obj)}",
                url=self.url(f"indicators/{indicator_id}"),
            )
        if obj.get("id") is not None and _as_int(obj.get("id")) != int(indicator_id):
            raise MalformedResponse(
                f"Sotkanet answered metadata of indicator {obj.get('id')} when asked for "
                f"{indicator_id}.",
                url=self.url(f"indicators/{indicator_id}"),
            )
        return obj, raw

    def data(
        self,
        indicator_id: int,
        years: Sequence[int],
        genders: Sequence[str] = ("total",),
    ) -> tuple[list[dict[str, Any]], bytes]:
        """Rows of one indicator for the given years: ``[{indicator, region, year, gender,
        value, absValue?}]`` for every region of the country, in no particular order.

        ``[]`` means no data. When ``genders`` is just ``("total",)`` and the answer is
        empty, the call is repeated once with ``male`` + ``female``, because some
        indicators are published by sex only; those rows are returned as they are, with
        their ``gender`` field telling the caller what it got. No total is ever built
        from the sexes here: for a percentage the sexes cannot be summed, counts would
        need both sexes in every cell and ``absValue`` to be meaningful, and a sex missing
        from one municipality (small-number suppression) would make a wrong total look
        complete. Whether to show sexes or nothing is the catalog's decision.
        """
        years = [int(y) for y in years]
        if not years:
            raise ValueError("Sotkanet data needs at least one year.")
        if len(years) > MAX_YEARS_PER_CALL:
            raise ValueError(
                f"{len(years)} years in one Sotkanet call; split them with year_batches() "
                f"(at most {MAX_YEARS_PER_CALL} per call)."
            )
        genders = list(dict.fromkeys(genders))
        unknown = [g for g in genders if g not in GENDERS]
        if not genders or unknown:
            raise ValueError(f"Sotkanet genders must be among {GENDERS}, got {genders}.")
        rows, raw = self._data(int(indicator_id), years, genders)
        if not rows and genders == ["total"]:
            log.info(
                "Sotkanet indicator %s has no 'total' rows for %s; asking for male+female.",
                indicator_id,
                years,
            )
            rows, raw = self._data(int(indicator_id), years, ["male", "female"])
        return rows, raw

    # ---- helpers ---------------------------------------------------------------------
    def _data(
        self, indicator_id: int, years: list[int], genders: list[str]
    ) -> tuple[list[dict[str, Any]], bytes]:
        params = {"indicator": indicator_id, "years": years, "genders": genders}
        self.last_query = {"url": self.url("json"), "params": params}
        obj, raw = self._get("json", params=params)
        return check_rows(obj, indicator_id, url=self.url("json")), raw

    def _get(self, path: str, params: dict[str, Any] | None = None) -> tuple[Any, bytes]:
        url = self.url(path)
        try:
            return self.http.get_json(url, params=params)
        except UserAgentRefused as exc:
            raise UserAgentRefused(
                f"Sotkanet answered 403 Forbidden for {url}. It does that when the "
                f"User-Agent header is missing or blocked; this client sent "
                f"{self.user_agent!r}. Set a descriptive user agent (Settings.user_agent) "
                "or ask THL whether it has been blocked.",
                url=exc.url,
                status=exc.status,
            ) from exc


def year_batches(years: Iterable[int], size: int = MAX_YEARS_PER_CALL) -> list[list[int]]:
    """Sorted, de-duplicated years cut into lists that ``SotkanetClient.data`` accepts."""
    ordered = sorted({int(y) for y in years})
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


# ---- response checks ------------------------------------------------------------------
def check_regions(obj: Any) -> list[dict[str, Any]]:
    """``/regions`` must be a list of ``{id, code, category, memberOf}`` objects."""
    if not isinstance(obj, list) or not obj:
        raise MalformedResponse(f"Sotkanet /regions is not a non-empty list: {_preview(obj)}")
    for region in obj:
        if (
            not isinstance(region, dict)
            or _as_int(region.get("id")) is None
            or region.get("code") is None
            or not isinstance(region.get("category"), str)
            or not isinstance(region.get("memberOf", []), list)
        ):
            raise MalformedResponse(
                f"Sotkanet /regions holds an object without id/code/category: {_preview(region)}"
            )
    return obj


def check_rows(obj: Any, indicator_id: int, *, url: str = "") -> list[dict[str, Any]]:
    """``/json`` must be a list of flat rows of the requested indicator.

    ``value`` may be null (never seen, accepted defensively); ``absValue`` may be absent.
    """
    if not isinstance(obj, list):
        raise MalformedResponse(
            f"Sotkanet data of indicator {indicator_id} is not a list: {_preview(obj)}", url=url
        )
    for row in obj:
        ok = (
            isinstance(row, dict)
            and _as_int(row.get("region")) is not None
            and _as_int(row.get("year")) is not None
            and row.get("gender") in GENDERS
            and "value" in row
        )
        if not ok:
            raise MalformedResponse(
                f"Sotkanet data of indicator {indicator_id} has a row without "
                f"region/year/gender/value: {_preview(row)}",
                url=url,
            )
        if row.get("indicator") is not None and _as_int(row["indicator"]) != indicator_id:
            raise MalformedResponse(
                f"Sotkanet answered rows of indicator {row['indicator']} when asked for "
                f"{indicator_id}.",
                url=url,
            )
    return obj


# ---- regions: ids are data ------------------------------------------------------------
def region_index(regions: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], int]:
    """``(category, code) → id``. Finland alone appears under three categories with one
    code, and MAAKUNTA 17 and HYVINVOINTIALUE 17 are different places, so the category is
    always part of the key."""
    index: dict[tuple[str, str], int] = {}
    for region in regions:
        key = (str(region["category"]).upper(), str(region["code"]))
        rid = int(region["id"])
        if key in index and index[key] != rid:
            raise ResolveError(
                f"Sotkanet /regions lists {key[0]} code {key[1]} twice (ids {index[key]} and "
                f"{rid}); the region list is inconsistent."
            )
        index[key] = rid
    return index


def municipality_ids(
    regions: Sequence[Mapping[str, Any]],
    municipality_codes: Sequence[str],
    region_code: str | None = "17",
    *,
    names: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """``{"KU564": id, …}`` for the expected municipalities, after checking that Sotkanet
    has every one as a KUNTA member of MAAKUNTA ``region_code`` and no others.

    ``region_code`` None (or ``"SSS"``) means the whole country: every expected
    municipality must be a KUNTA and Sotkanet must have no other KUNTA.
    ``names`` (``{"KU072": "Hailuoto"}``) only makes the error message friendlier.
    """
    index = region_index(regions)
    if region_code is None or str(region_code) == "SSS":
        scope, mk_id = "the whole country", None
    else:
        region_code = str(region_code).removeprefix("MK").zfill(2)
        scope, mk_id = f"MAAKUNTA {region_code}", index.get(("MAAKUNTA", region_code))
        if mk_id is None:
            raise ResolveError(
                f"Sotkanet /regions has no MAAKUNTA with code {region_code}; the region list "
                "changed shape. Check https://sotkanet.fi/rest/1.1/regions."
            )

    def belongs(row: Mapping[str, Any]) -> bool:
        return mk_id is None or mk_id in {_as_int(m) for m in row.get("memberOf") or []}

    expected = {_municipality_code(c): _area_code(c) for c in municipality_codes}
    by_id = {int(r["id"]): r for r in regions}
    found: dict[str, int] = {}
    absent: list[str] = []
    outside: list[str] = []
    for code, area in expected.items():
        rid = index.get(("KUNTA", code))
        if rid is None:
            absent.append(area)
        elif not belongs(by_id[rid]):
            outside.append(area)
        else:
            found[area] = rid
    extra = sorted(
        f"KU{r['code']}"
        for r in regions
        if str(r["category"]).upper() == "KUNTA" and str(r["code"]) not in expected and belongs(r)
    )
    if absent or outside or extra:
        titles = {f"KU{r['code']}": _title(r) for r in regions if r["category"] == "KUNTA"}
        label = {**titles, **(names or {})}

        def named(codes: list[str]) -> str:
            return ", ".join(f"{c} {label[c]}".strip() if label.get(c) else c for c in codes)

        parts = []
        if absent:
            parts.append(f"missing from /regions: {named(absent)}")
        if outside:
            parts.append(f"not members of {scope}: {named(outside)}")
        if extra:
            parts.append(f"unexpected members of {scope}: {named(extra)}")
        raise ResolveError(
            f"Sotkanet regions do not match the {len(expected)} municipalities of {scope} "
            f"({len(found)} matched); " + "; ".join(parts) + ". A municipal merger or a "
            "Sotkanet region change; refresh the classification key or report it."
        )
    return found


def country_id(regions: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """``{"SSS": id}`` of the one MAA region (its code was never verified, so not used)."""
    countries = [int(r["id"]) for r in regions if str(r["category"]).upper() == "MAA"]
    if len(countries) > 1:
        raise ResolveError(f"Sotkanet /regions has {len(countries)} MAA regions, expected one.")
    return {"SSS": countries[0]} if countries else {}


def table_area_ids(regions: Sequence[Mapping[str, Any]], table: AreaTable) -> dict[str, int]:
    """Ids for every area of an area table that Sotkanet has: its municipalities (all of
    which must be KUNTA members of its MAAKUNTA — or, for the whole country, exactly
    Sotkanet's KUNTA list — else ``ResolveError`` naming them), the region, every wellbeing
    county and sub-region of the table found under its category and code, and the
    country. The refresh and the panel both use it, so data stored with one region list is
    always read back through that same list."""
    region = None if table.whole_country else table.region
    ids = municipality_ids(regions, table.municipalities(), region, names=table.names())
    index = region_index(regions)
    categories = {"MK": "MAAKUNTA", "HV": "HYVINVOINTIALUE", "SK": "SEUTUKUNTA"}
    for code in table.codes:
        category = categories.get(code[:2])
        if category and (category, code[2:]) in index:
            ids[code] = index[(category, code[2:])]
    ids.update(country_id(regions))
    return ids


def codes_by_id(ids: Mapping[str, int]) -> dict[int, str]:
    """Invert ``table_area_ids`` for ``rows_to_frame``."""
    return {rid: code for code, rid in ids.items()}


# ---- metadata ----------------------------------------------------------------------------
def normalise_title(title: str) -> str:
    """Compare titles without caring about case, Unicode form or runs of whitespace."""
    return " ".join(unicodedata.normalize("NFC", str(title)).casefold().split())


def title(metadata: Mapping[str, Any], lang: str = "fi") -> str:
    titles = metadata.get("title") or {}
    if isinstance(titles, str):
        return titles
    return str(titles.get(lang) or titles.get("fi") or "")


def check_title(metadata: Mapping[str, Any], expected_fi_title: str) -> None:
    """Fail when the pinned Finnish title no longer matches: the id may have been reused."""
    actual = title(metadata, "fi")
    if normalise_title(actual) != normalise_title(expected_fi_title):
        raise ResolveError(
            f"Sotkanet indicator {metadata.get('id')} is now titled {actual!r}, not "
            f"{expected_fi_title!r}. The indicator may have been redefined or its id reused; "
            "check its metadata on sotkanet.fi before updating the catalog."
        )


def data_updated(metadata: Mapping[str, Any]) -> str | None:
    """The ``data-updated`` date (``YYYY-MM-DD``) that drives incremental refresh."""
    value = metadata.get("data-updated")
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    if value not in (None, ""):
        log.warning("Sotkanet indicator %s has an odd data-updated %r", metadata.get("id"), value)
    return None


def data_range(metadata: Mapping[str, Any]) -> tuple[int, int] | None:
    """``(first, last)`` year of the indicator, or None when the metadata has no range."""
    rng = metadata.get("range") or {}
    start, end = _as_int(rng.get("start")), _as_int(rng.get("end"))
    return (start, end) if start is not None and end is not None else None


def organization(metadata: Mapping[str, Any], lang: str = "fi") -> str:
    org = metadata.get("organization") or {}
    titles = org.get("title") or {}
    return str(titles.get(lang) or titles.get("fi") or "") if isinstance(titles, dict) else ""


def citation(metadata: Mapping[str, Any], lang: str = "fi") -> str:
    """Panel ``source`` text, e.g. ``THL Sotkanet, Väestö 31.12. (indikaattori 127;
    Tilastokeskus; päivitetty 2025-04-04; CC BY 4.0)``.

    THL asks to name THL, Sotkanet and the producer of the indicator; THL's and
    Statistics Finland's data are CC BY 4.0, other producers set their own terms.
    """
    word, updated_word, other_terms = _CITATION_WORDS.get(lang, _CITATION_WORDS["fi"])
    parts = [f"{word} {metadata.get('id')}"]
    producer = organization(metadata, lang)
    if producer:
        parts.append(producer)
    updated = data_updated(metadata)
    if updated:
        parts.append(f"{updated_word} {updated}")
    org_id = _as_int((metadata.get("organization") or {}).get("id"))
    parts.append("CC BY 4.0" if org_id in OPEN_PRODUCERS else other_terms)
    return f"{SOURCE}, {title(metadata, lang)} ({'; '.join(parts)})"


def metadata_url(indicator_id: int, lang: str = "fi") -> str:
    """Human-readable metadata page to link next to the citation."""
    return f"https://sotkanet.fi/sotkanet/{lang}/metadata/indicators/{int(indicator_id)}"


# ---- rows → tidy frame -----------------------------------------------------------------
FRAME_COLUMNS = ["area_code", "year", "gender", "value", "abs_value", "status"]


def rows_to_frame(
    rows: Iterable[Mapping[str, Any]],
    region_ids_to_codes: Mapping[int, str],
    *,
    years: Sequence[int],
    areas: Sequence[str] | None = None,
    genders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per requested area × year × gender, sorted in ``areas`` order, then year,
    then gender (total, male, female).

    Rows of other regions (Sotkanet always sends the whole country) and other years are
    dropped. A cell Sotkanet did not send becomes an explicit row with value NaN and
    status ``..``; nothing is interpolated. A row without ``absValue`` keeps its value
    with ``abs_value`` NaN. ``genders`` defaults to those present in the rows (``total``
    when there are none).
    """
    years = sorted({int(y) for y in years})
    if areas is None:
        areas = list(dict.fromkeys(region_ids_to_codes.values()))
    known = set(region_ids_to_codes.values())
    unresolved = [a for a in areas if a not in known]
    if unresolved:
        raise ValueError(
            f"No Sotkanet region id for {unresolved}; resolve them with table_area_ids()."
        )
    wanted_areas, wanted_years = set(areas), set(years)
    cells: dict[tuple[str, int, str], tuple[float, float]] = {}
    seen_genders: set[str] = set()
    for row in rows:
        code = region_ids_to_codes.get(int(row["region"]))
        year = int(row["year"])
        if code is None or code not in wanted_areas or year not in wanted_years:
            continue
        gender = str(row["gender"])
        key = (code, year, gender)
        if key in cells:
            raise MalformedResponse(
                f"Sotkanet sent two rows for {code} {year} {gender} (indicator "
                f"{row.get('indicator')}); the response is inconsistent."
            )
        cells[key] = (_as_float(row.get("value")), _as_float(row.get("absValue")))
        seen_genders.add(gender)
    if genders is None:
        genders = [g for g in GENDERS if g in seen_genders] or ["total"]
    else:
        genders = [g for g in GENDERS if g in set(genders)]
    records = []
    for area in areas:
        for year in years:
            for gender in genders:
                value, abs_value = cells.get((area, year, gender), (math.nan, math.nan))
                status = "" if not math.isnan(value) else MISSING
                records.append((area, year, gender, value, abs_value, status))
    frame = pd.DataFrame.from_records(records, columns=FRAME_COLUMNS)
    return frame.astype({"year": np.int64, "value": np.float64, "abs_value": np.float64})


# ---- small helpers -----------------------------------------------------------------------
def _municipality_code(code: str) -> str:
    text = str(code).strip().upper().removeprefix("KU")
    if not text.isdigit():
        raise ValueError(f"{code!r} is not a municipality code like 'KU564' or '564'.")
    return text.zfill(3)


def _area_code(code: str) -> str:
    return f"KU{_municipality_code(code)}"


def _title(region: Mapping[str, Any]) -> str:
    titles = region.get("title") or {}
    return str(titles.get("fi", "")) if isinstance(titles, dict) else str(titles)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _as_float(value: Any) -> float:
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _preview(obj: Any, limit: int = 160) -> str:
    text = repr(obj)
    return text if len(text) <= limit else text[:limit] + "…"
