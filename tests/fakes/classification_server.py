"""A fake Statistics Finland classification service (``data.stat.fi/api/classifications/v2``).

Why: the region is a setting, and which municipalities make up a maakunta, seutukunta or
wellbeing county is read at refresh from the service's correspondence tables (geofi builds
its municipality keys the same way, research/regions.md §1). This fake serves those tables
for the national key of :mod:`tests.fakes.national` (the 30 real MK17 municipalities, the
other 278 with SYNTHETIC memberships) on 127.0.0.1.

Served (``base_url`` = ``http://127.0.0.1:PORT/api/classifications/v2``):

- ``GET {base}/correspondenceTables?format=json``: every correspondence table, in no
  particular order. For each year Y of ``years`` (default 2024–2026): ``kunta_1_Y0101`` to
  ``seutukunta_1_Y0101``, ``maakunta_1_Y0101``, ``kuntaryhmitys_1_Y0101`` and (Y ≥ 2023)
  ``hyvinvointialue_1_Y0101``; unrelated ones a client must skip: ``kunta → avi``
  (Y ≤ 2025), ``kunta_1_{Y-1}0101 → kunta_1_Y0101`` (the yearly municipality change key)
  and ``toimiala_1_20080101 → toimiala_1_20250101``.
- ``GET {base}/correspondenceTables/{localId}/maps?content=data&format=json&lang=fi|sv|en
  &meta=min``: one object per municipality, in no particular order::

      {"sourceItem": {"code": "564", "classificationItemNames": [{"lang": "fi",
                      "name": "Oulu"}]},
       "targetItem": {"code": "17", "classificationItemNames": [{"lang": "fi",
                      "name": "Pohjois-Pohjanmaa"}]},
       "correspondenceTable": {"localId": "kunta_1_20260101#maakunta_1_20260101", …}}

  Names are in the requested language (a missing or unknown ``lang`` means fi [I];
  English municipality and seutukunta names are the Finnish ones). A municipality without a target
  (Ahvenanmaa in the ``hyvinvointialue`` table) is absent from that table. The ``#`` of the
  local id must arrive as ``%23`` (a raw ``#`` is a URL fragment and never reaches a
  server): the path is split on ``/`` first and each part percent-decoded.
- ``GET {base}/correspondenceTables/{localId}?content=data``: the table's metadata.

The 2024 (and earlier) tables hold 309 municipalities: the one the national key drops
(arbitrarily, see there) was merged into a neighbour in 2025, as the change key shows.

What is known and what is inferred:

- The URL scheme, ``?format=json`` on the listing, ``content=data&meta=min&lang=…`` on maps,
  ``%23`` for ``#`` and the row shape (``sourceItem``/``targetItem`` with ``code`` and
  ``classificationItemNames[].name``) are read from public clients (geofi
  ``inst/extras/municipality_keys.R``, pttry/statficlassifications, several scripts) [C].
- Listing items: geofi reads the listing with ``fromJSON(...) |> as_tibble()`` and uses its
  ``value`` column, which is what R names a plain character vector, and a published probe
  of the live service saw "a JSON array of URI strings" (for ``classifications``; a
  "332-URI list" for ``correspondenceTables``). So by default each item is a URI STRING;
  ``listing="objects"`` serves ``{"value": uri}`` instead (a literal reading of geofi's
  ``$value``), so that a client can be tested against both.
  The URIs point at the canonical host ``https://api.stat.fi/classificationservice/open/
  api/classifications/v2`` seen in that probe's payloads, with a raw ``#`` (geofi splits on
  it) and ``?format=json`` echoed when the request had it [I]. A client must take the
  local id from the URI, never fetch it (the tests' network guard fails loudly if it
  does); ``uri_base="self"`` points the URIs at the fake instead.
- ``correspondenceTable`` in each row: statficlassifications reads
  ``correspondenceTable$correspondenceTableTexts`` from a ``meta=min`` answer; what the
  texts contain is [I]. The ``localId`` of each item (``kunta_1_20260101/564``) follows the
  classification items a live probe recorded [I for map rows]. A client should read only
  ``code`` and ``classificationItemNames`` and ignore the rest.
- Without ``content=data`` the maps endpoint answers URI strings ending in
  ``…/maps/{source}/{target}`` (geofi's older code splits them on ``/``) [I].
- An unknown path or local id: 404 with ``{"statusCode":404,"message":"Resource not
  found"}``, the body the probe saw for an unknown path on data.stat.fi [I for local ids].
  The injected ``404`` sends an HTML page instead, so both are covered.

Scenario controls: :meth:`FakeClassifications.move` and :meth:`~FakeClassifications.drop`
change the NEWEST year only; :meth:`~FakeClassifications.inject` queues failures
(``500``, ``503`` with Retry-After, ``404``, ``garbage``, ``empty``, ``timeout``,
``truncated``, ``incomplete``, ``reset``).
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes import national
from tests.fakes.base import (
    WRAPPING_FAILURES,
    FakeServer,
    Incoming,
    Injection,
    Response,
    apply_injection,
)
from tests.fakes.national import Municipality

__all__ = [
    "CANONICAL_BASE",
    "TARGETS",
    "FakeClassifications",
    "RequestRecord",
    "local_id",
]

CANONICAL_BASE = "https://api.stat.fi/classificationservice/open/api/classifications/v2"
YEARS = (2024, 2025, 2026)
#: Targets of the municipality keys, as :class:`~tests.fakes.national.Municipality` fields.
TARGETS = ("seutukunta", "maakunta", "hyvinvointialue", "kuntaryhmitys")
FIRST_COUNTY_YEAR = 2023  # the wellbeing counties began in 2023
LAST_AVI_YEAR = 2025  # the 2026 key has no AVI (research/regions.md §1)
MERGER_YEAR = 2025  # the synthetic merger that makes the national key 308
LANGS = ("fi", "sv", "en")

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
NOT_FOUND = {"statusCode": 404, "message": "Resource not found"}
PAGE_404 = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
PAGE_500 = (
    b"<html><head><title>500 Internal Server Error</title></head>"
    b"<body><h1>Internal Server Error</h1></body></html>"
)
PAGE_503 = (
    "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable"
    "</h1><p>Palvelu on tilapäisesti poissa käytöstä.</p></body></html>"
).encode()
PAGE_MAINTENANCE = (
    b'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>Huoltokatko'
    b"</title></head>\n<body><h1>Luokituspalvelussa on huoltokatko</h1></body></html>\n"
)

#: The real AVI of each maakunta (code, Finnish name) for the unrelated ``avi`` tables.
_AVI: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("01", "05", "07", "08", "09"), ("1", "Etelä-Suomen aluehallintovirasto")),
    **dict.fromkeys(("02", "04"), ("2", "Lounais-Suomen aluehallintovirasto")),
    **dict.fromkeys(("10", "11", "12"), ("3", "Itä-Suomen aluehallintovirasto")),
    **dict.fromkeys(
        ("06", "13", "14", "15", "16"), ("4", "Länsi- ja Sisä-Suomen aluehallintovirasto")
    ),
    **dict.fromkeys(("17", "18"), ("5", "Pohjois-Suomen aluehallintovirasto")),
    "19": ("6", "Lapin aluehallintovirasto"),
}
_TOIMIALA = [("01", "A"), ("10", "C"), ("62", "J")]  # toy rows of an unrelated table


def local_id(target: str, year: int, source: str = "kunta", source_year: int | None = None):
    """``kunta_1_20260101#maakunta_1_20260101`` (``source_year`` defaults to ``year``)."""
    return f"{source}_1_{source_year or year}0101#{target}_1_{year}0101"


@dataclass
class RequestRecord:
    """One request: ``path`` percent-decoded per segment (``#`` visible), ``raw_path`` as
    sent, ``params`` with repeated keys as lists."""

    time: float
    method: str
    path: str
    raw_path: str
    query: str
    params: dict[str, list[str]]
    user_agent: str | None
    status: int = 0


def _json(data: object, status: int = 200, **headers: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, JSON_TYPE, body, dict(headers))


def _not_found() -> Response:
    return _json(NOT_FOUND, 404)



_FIXED_FAILURES: dict[str, Callable[[Injection], Response]] = {
    "500": lambda inj: Response(500, HTML_TYPE, PAGE_500),
    "503": lambda inj: Response(503, HTML_TYPE, PAGE_503, {"Retry-After": str(inj.retry_after)}),
    "404": lambda inj: Response(404, HTML_TYPE, PAGE_404),
    "garbage": lambda inj: Response(200, HTML_TYPE, PAGE_MAINTENANCE),
    "empty": lambda inj: _json([]),
    "reset": lambda inj: Response(0, "", b"", mode="reset"),
}
_WRAPPING_FAILURES = WRAPPING_FAILURES
INJECTION_KINDS = frozenset(_FIXED_FAILURES) | frozenset(_WRAPPING_FAILURES)


@dataclass(frozen=True)
class _Table:
    """One correspondence table: how its rows are made."""

    local_id: str
    kind: str  # a TARGETS name, "avi", "kunta" (yearly change key) or "toimiala"
    year: int
    source_year: int


class FakeClassifications(FakeServer):
    """The fake service; ``base_url`` ends in ``/api/classifications/v2``."""

    url_path = "/api/classifications/v2"
    server_version = "nginx"
    injection_kinds = INJECTION_KINDS
    text_type = TEXT_TYPE
    requests: list[RequestRecord]

    def __init__(
        self,
        *,
        years: tuple[int, ...] = YEARS,
        listing: str = "strings",
        uri_base: str = CANONICAL_BASE,
        seed: int = 20260612,
    ) -> None:
        """``listing``: "strings" (URI strings, the inferred real shape) or "objects"
        (``{"value": uri}``); ``uri_base``: host and path of the listed URIs, or "self"."""
        super().__init__()
        if listing not in ("strings", "objects"):
            raise ValueError("listing is 'strings' or 'objects'")
        if not years:
            raise ValueError("at least one year")
        self.key = national.load()
        self.years = tuple(sorted(set(years)))
        self.newest = self.years[-1]
        self.listing_shape = listing
        self.uri_base = uri_base
        self._seed = seed
        self._by_year = {y: self._initial(y) for y in self.years}
        self._merged_into: dict[int, dict[str, str]] = {y: {} for y in self.years}
        if MERGER_YEAR in self._merged_into:
            dropped = self.key.dropped
            self._merged_into[MERGER_YEAR][dropped.code] = self._partner(
                dropped, self._by_year[MERGER_YEAR]
            )
        self._tables = {t.local_id: t for t in self._catalogue()}

    def _initial(self, year: int) -> dict[str, Municipality]:
        munis = dict(self.key.municipalities)
        if year < MERGER_YEAR:
            munis[self.key.dropped.code] = self.key.dropped
            munis = dict(sorted(munis.items()))
        return munis

    def _catalogue(self) -> list[_Table]:
        tables = []
        for year in self.years:
            for target in TARGETS:
                if target == "hyvinvointialue" and year < FIRST_COUNTY_YEAR:
                    continue
                tables.append(_Table(local_id(target, year), target, year, year))
            if year <= LAST_AVI_YEAR:
                tables.append(_Table(local_id("avi", year), "avi", year, year))
            if year - 1 in self.years:
                lid = local_id("kunta", year, source_year=year - 1)
                tables.append(_Table(lid, "kunta", year, year - 1))
        lid = local_id("toimiala", 2025, source="toimiala", source_year=2008)
        tables.append(_Table(lid, "toimiala", 2025, 2008))
        return tables

    # -- inspection --------------------------------------------------------------------------
    def local_ids(self) -> list[str]:
        """Every listed local id, in catalogue order."""
        with self._lock:
            return list(self._tables)

    def municipalities(self, year: int | None = None) -> dict[str, Municipality]:
        """What the fake serves for ``year`` (default: the newest), as a fresh dict."""
        with self._lock:
            return dict(self._by_year[year or self.newest])

    def maps_requests(self) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/maps")]

    # -- scenario controls -------------------------------------------------------------------
    def inject(
        self,
        kind: str,
        *,
        times: int = 1,
        path_contains: str = "",
        delay: float = 3.0,
        retry_after: int = 1,
    ) -> None:
        """Queue a failure for the next ``times`` requests whose decoded path contains the
        text (e.g. ``"/maps"``, ``"maakunta_1_2026"``, ``"correspondenceTables"``)."""
        self._queue(Injection(kind, times, delay, path_contains, None, retry_after))

    _SAME = object()

    def move(
        self,
        code: str,
        *,
        maakunta: str | None = None,
        seutukunta: str | None = None,
        hyvinvointialue: str | None | object = _SAME,
    ) -> None:
        """Give a municipality new memberships in the NEWEST year only.

        A new maakunta without a seutukunta puts it in that maakunta's first seutukunta; a
        seutukunta alone implies its maakunta (its first two digits). Unless given, the
        wellbeing county follows a changed maakunta (None for Ahvenanmaa).
        """
        with self._lock:
            munis = self._by_year[self.newest]
            old = munis[code]
            if maakunta is None:
                maakunta = seutukunta[:2] if seutukunta else old.maakunta
            if maakunta not in self.key.maakunnat:
                raise ValueError(f"unknown maakunta {maakunta!r}")
            if seutukunta is None:
                seutukunta = (
                    old.seutukunta
                    if maakunta == old.maakunta
                    else min(s for s in self.key.seutukunnat if s.startswith(maakunta))
                )
            if seutukunta not in self.key.seutukunnat or not seutukunta.startswith(maakunta):
                raise ValueError(f"seutukunta {seutukunta!r} is not in maakunta {maakunta}")
            if hyvinvointialue is self._SAME:
                hyvinvointialue = old.hyvinvointialue
                if maakunta != old.maakunta:
                    hyvinvointialue = _county_of(maakunta)
            munis[code] = dataclasses.replace(
                old, maakunta=maakunta, seutukunta=seutukunta, hyvinvointialue=hyvinvointialue
            )

    def drop(self, code: str, *, into: str | None = None) -> None:
        """Merge a municipality away in the NEWEST year: it disappears from every table of
        that year; the yearly change key maps it to ``into`` (default: the lowest other
        code of its seutukunta)."""
        with self._lock:
            munis = self._by_year[self.newest]
            gone = munis.pop(code)
            self._merged_into[self.newest][code] = into or self._partner(gone, munis)

    @staticmethod
    def _partner(gone: Municipality, munis: dict[str, Municipality]) -> str:
        same = [c for c, m in munis.items() if m.seutukunta == gone.seutukunta and c != gone.code]
        same = same or [c for c, m in munis.items() if m.maakunta == gone.maakunta]
        return min(same)

    # -- request handling --------------------------------------------------------------------
    def _handle(self, request: Incoming) -> Response:
        split = urlsplit(request.path)
        segments = [unquote(p) for p in split.path.split("/")]
        record = RequestRecord(
            time.monotonic(),
            request.method,
            "/".join(segments),
            split.path,
            split.query,
            parse_qs(split.query, keep_blank_values=True),
            request.user_agent,
        )

        def normal() -> Response:
            return self._route(segments, record.params)

        def answer() -> Response:
            injection = self._take_injection(request.method, record.path)
            if injection is None:
                return normal()
            return apply_injection(injection, normal, _FIXED_FAILURES, _WRAPPING_FAILURES)

        return self._answer_logged(record, answer)

    def _route(self, segments: list[str], params: dict[str, list[str]]) -> Response:
        prefix = [p for p in self.url_path.split("/") if p]
        parts = [p for p in segments if p]
        if parts[: len(prefix)] != prefix:
            return _not_found()
        parts = parts[len(prefix) :]
        if not parts or parts[0] != "correspondenceTables" or len(parts) > 3:
            return _not_found()
        with self._lock:
            if len(parts) == 1:
                return _json(self._listing(params))
            table = self._tables.get(parts[1])
            if table is None or (len(parts) == 3 and parts[2] != "maps"):
                return _not_found()
            data = _param(params, "content") == "data"
            lang = _param(params, "lang")
            lang = lang if lang in LANGS else "fi"
            if len(parts) == 2:
                return _json([self._meta(table, lang)] if data else [self._uri(table, params)])
            rows = self._rows(table, lang)
            if not data:
                base = self._uri(table, {})
                return _json([f"{base}/maps/{s}/{t}" for s, _, t, _ in rows])
            out = [self._row(table, lang, *row) for row in rows]
            random.Random(zlib.crc32(f"{self._seed}:{table.local_id}:{lang}".encode())).shuffle(out)
            return _json(out)

    def _base(self) -> str:
        return self.base_url if self.uri_base == "self" else self.uri_base.rstrip("/")

    def _uri(self, table: _Table, params: dict[str, list[str]]) -> str:
        suffix = "?format=json" if _param(params, "format") == "json" else ""
        return f"{self._base()}/correspondenceTables/{table.local_id}{suffix}"

    def _listing(self, params: dict[str, list[str]]) -> list:
        uris = [self._uri(t, params) for t in self._tables.values()]
        random.Random(self._seed).shuffle(uris)
        return uris if self.listing_shape == "strings" else [{"value": u} for u in uris]

    def _meta(self, table: _Table, lang: str) -> dict:
        source, target = table.local_id.split("#")
        return {
            "localId": table.local_id,
            "source": source,
            "target": target,
            "correspondenceTableTexts": [{"lang": lang, "text": self._title(table)}],
        }

    def _title(self, table: _Table) -> str:
        source, target = (p.split("_1_")[0] for p in table.local_id.split("#"))
        return f"{source} {table.source_year} - {target} {table.year}"

    def _rows(self, table: _Table, lang: str) -> list[tuple[str, str, str, str]]:
        """(source code, source name, target code, target name) of one table."""
        i = LANGS.index(lang)
        if table.kind == "toimiala":
            return [(s, f"Toimiala {s}", t, f"Toimiala {t}") for s, t in _TOIMIALA]
        munis = self._by_year[table.source_year]
        rows = []
        for code, m in munis.items():
            if table.kind == "kunta":
                new = self._merged_into[table.year].get(code, code)
                rows.append((code, m.name(lang), new, self._by_year[table.year][new].name(lang)))
            elif table.kind == "avi":
                if m.maakunta in _AVI:
                    rows.append((code, m.name(lang), *_AVI[m.maakunta]))
            else:
                target = getattr(m, table.kind)
                if target is not None:
                    rows.append((code, m.name(lang), target, self.key.names(table.kind)[target][i]))
        return rows

    def _row(self, table: _Table, lang: str, source: str, sname: str, target: str, tname: str):
        source_class, target_class = table.local_id.split("#")
        return {
            "sourceItem": {
                "localId": f"{source_class}/{source}",
                "code": source,
                "classificationItemNames": [{"lang": lang, "name": sname}],
            },
            "targetItem": {
                "localId": f"{target_class}/{target}",
                "code": target,
                "classificationItemNames": [{"lang": lang, "name": tname}],
            },
            "correspondenceTable": {
                "localId": table.local_id,
                "correspondenceTableTexts": [{"lang": lang, "text": self._title(table)}],
            },
        }


def _param(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[-1].strip().lower()


def _county_of(maakunta: str) -> str | None:
    if maakunta == "01":
        return national.UUSIMAA_COUNTIES[0]
    return national.COUNTY_OF_REGION.get(maakunta)
