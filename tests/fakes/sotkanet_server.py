"""A fake THL Sotkanet REST 1.1 server for offline tests.

Why: the client must survive what the real service does (research/sotkanet.md §2, §5, §8):
403 to requests without a User-Agent, rows in no particular order, ``absValue`` present for
some indicators and absent for others, cells omitted instead of nulled, ``[]`` for an
indicator with no data or for ``genders=total`` on a sex-only indicator, unannounced
outages. This module speaks the real URL scheme and JSON shapes on 127.0.0.1.

Data model (SYNTHETIC, not real statistics):
- ``/1.1/regions``: the 30 municipalities of Pohjois-Pohjanmaa with their real codes and
  names, six other municipalities, seven seutukunnat, six maakunnat, five wellbeing
  counties, one AVI, the country (MAA) and Finland again under POHJOISMAAT and EUROOPPA.
  Ids are arbitrary integers ≥ 1000 (never equal to a code) and can be renumbered with
  :meth:`FakeSotkanet.renumber`; the codes of HYVINVOINTIALUE 17/18/20/21 and of MAA are
  plausible but were not verified against the live API.
- One population model per municipality (size, growth, age share, an index level, a
  survey level) drawn from CRC32 of the code, so values never depend on the id or order.
  Every aggregate region (maakunta, county, AVI, country) is computed from its member
  municipalities (the country adds a hidden "rest of Finland"), so tests can check sums.
- Country mode (``FakeSotkanet(country=True)``, opt-in): ``/regions`` lists every KUNTA of
  the national key (:mod:`tests.fakes.national`, 308) with ``memberOf`` its SEUTUKUNTA,
  MAAKUNTA and HYVINVOINTIALUE (none for Ahvenanmaa), the AVI above and MAA; every
  SEUTUKUNTA, MAAKUNTA (19) and HYVINVOINTIALUE of the key; MAA, POHJOISMAAT and EUROOPPA.
  There is no hidden "rest of Finland": MAA is exactly the sum of the 308 municipalities.
  The key's memberships outside maakunta 17 are SYNTHETIC (see that module).
- Indicators: see :data:`INDICATORS`. 5, 127, 171, 180 and 5527 have real ids, Finnish
  titles, producers and (5, 127, 180, 5527) ``data-updated`` dates from the research; their
  Swedish and English titles other than 5/en, 127/en and 5527 are made up, and so is the
  producer of 5 (THL: the research does not name it) and every year range except 5527's.
  990001 and 990002 are SYNTHETIC stand-ins for the e-service survey items whose ids the
  research could not find (§6) — they do not exist in Sotkanet.
"""

from __future__ import annotations

import json
import random
import time
import zlib
from collections.abc import Callable, Mapping
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
from tests.fakes.regions import PP_MUNICIPALITIES, SUBREGIONS

__all__ = ["FakeSotkanet", "INDICATORS", "PP_MUNICIPALITIES", "RequestRecord"]

# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------

#: Municipalities elsewhere: code → (fi, sv, maakunta, wellbeing county or None).
OTHER_MUNICIPALITIES: dict[str, tuple[str, str, str, str | None]] = {
    "091": ("Helsinki", "Helsingfors", "01", None),
    "049": ("Espoo", "Esbo", "01", None),
    "837": ("Tampere", "Tammerfors", "06", None),
    "272": ("Kokkola", "Karleby", "16", "18"),
    "205": ("Kajaani", "Kajana", "18", "20"),
    "698": ("Rovaniemi", "Rovaniemi", "19", "21"),
}

#: The maakunnat of the default fake's municipalities, named as in the national key.
MAAKUNNAT: dict[str, tuple[str, str, str]] = {
    code: national.MAAKUNNAT[code] for code in ("01", "06", "16", "17", "18", "19")
}

#: HYVINVOINTIALUE 17 has no municipality here: it exists to catch code-only lookups.
COUNTIES: dict[str, str] = {
    "17": "Pohjanmaan hyvinvointialue",
    "18": "Keski-Pohjanmaan hyvinvointialue",
    "19": "Pohjois-Pohjanmaan hyvinvointialue",
    "20": "Kainuun hyvinvointialue",
    "21": "Lapin hyvinvointialue",
}
COUNTY_SV = {
    "17": "Österbottens välfärdsområde",
    "18": "Mellersta Österbottens välfärdsområde",
    "19": "Norra Österbottens välfärdsområde",
    "20": "Kajanalands välfärdsområde",
    "21": "Lapplands välfärdsområde",
}
AVI_CODE = "5"  # Pohjois-Suomen AVI: PP and Kainuu municipalities
MAA_CODE = "358"  # not verified against the live API; the client must not rely on it
REST_OF_FINLAND = 3_750_000  # hidden population so that MAA is about 5.6 million

_SEED = 20260612
_SIZE_HINTS = {
    "564": 212_000, "091": 670_000, "049": 310_000, "837": 250_000, "678": 23_500,
    "244": 19_500, "977": 15_400, "305": 14_700, "208": 12_300, "072": 960,
    "483": 1_080, "630": 1_450, "272": 47_900, "205": 36_000, "698": 65_000,
}  # fmt: skip


@dataclass(frozen=True)
class Region:
    key: int  # stable internal key; the served id is key + offset
    code: str
    category: str
    fi: str
    sv: str
    en: str
    uri: str
    members: tuple[str, ...] = ()  # municipality codes (aggregates only)


def _regions(country: bool = False) -> list[Region]:
    """All regions in a fixed order; keys are positions, ids are derived from them."""
    out: list[Region] = []

    def add(code, category, fi, sv, en, uri="", members=()):
        out.append(Region(len(out), code, category, fi, sv, en, uri, tuple(members)))

    if country:
        _country_regions(add)
        return out
    munis = {**{c: (fi, sv, "17", "19") for c, (fi, sv) in PP_MUNICIPALITIES.items()}}
    munis.update({c: (fi, sv, mk, hv) for c, (fi, sv, mk, hv) in OTHER_MUNICIPALITIES.items()})
    for code, (fi, sv, _, _) in sorted(munis.items()):
        add(code, "KUNTA", fi, sv, fi, f"http://www.yso.fi/onto/kunnat/k{code}")
    for code, (name, members) in SUBREGIONS.items():
        add(code, "SEUTUKUNTA", name, name, name, "", members)
    for code, (fi, sv, en) in MAAKUNNAT.items():
        members = [c for c, v in munis.items() if v[2] == code]
        add(code, "MAAKUNTA", fi, sv, en, f"http://www.yso.fi/onto/kunnat/mk{code}", members)
    for code, fi in COUNTIES.items():
        members = [c for c, v in munis.items() if v[3] == code]
        add(code, "HYVINVOINTIALUE", fi, COUNTY_SV[code], fi, "", members)
    avi = [c for c, v in munis.items() if v[2] in ("17", "18")]
    add(AVI_CODE, "ALUEHALLINTOVIRASTO", "Pohjois-Suomen AVI", "RFV i Norra Finland",
        "Northern Finland AVI", "", avi)  # fmt: skip
    add(MAA_CODE, "MAA", "Koko maa", "Hela landet", "Whole country", "", list(munis))
    add("246", "POHJOISMAAT", "Suomi", "Finland", "Finland")
    add("246", "EUROOPPA", "Suomi", "Finland", "Finland")
    return out


def _country_regions(add: Callable[..., None]) -> None:
    """The regions of the national key, in the same category order as the default ones."""

    key = national.load()
    munis = key.municipalities
    for code, m in munis.items():
        add(code, "KUNTA", m.name_fi, m.name_sv, m.name_en,
            f"http://www.yso.fi/onto/kunnat/k{code}")  # fmt: skip
    for code, (fi, sv, en) in key.seutukunnat.items():
        add(code, "SEUTUKUNTA", fi, sv, en, "", key.members("seutukunta", code))
    for code, (fi, sv, en) in key.maakunnat.items():
        add(code, "MAAKUNTA", fi, sv, en, f"http://www.yso.fi/onto/kunnat/mk{code}",
            key.members("maakunta", code))  # fmt: skip
    for code, (fi, sv, en) in key.counties.items():
        add(code, "HYVINVOINTIALUE", fi, sv, en, "", key.members("hyvinvointialue", code))
    avi = [c for c, m in munis.items() if m.maakunta in ("17", "18")]
    add(AVI_CODE, "ALUEHALLINTOVIRASTO", "Pohjois-Suomen AVI", "RFV i Norra Finland",
        "Northern Finland AVI", "", avi)  # fmt: skip
    add(MAA_CODE, "MAA", "Koko maa", "Hela landet", "Whole country", "", list(munis))
    add("246", "POHJOISMAAT", "Suomi", "Finland", "Finland")
    add("246", "EUROOPPA", "Suomi", "Finland", "Finland")


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------

_THL = {
    "id": 2,
    "title": {
        "fi": "Terveyden ja hyvinvoinnin laitos (THL)",
        "en": "Finnish institute for Health and Welfare (THL)",
        "sv": "Institutet för hälsa och välfärd (THL)",
    },
}
_TK = {
    "id": 3,
    "title": {"fi": "Tilastokeskus", "en": "Statistics Finland", "sv": "Statistikcentralen"},
}
_UNITS = {
    "LKM": {"fi": "Lukumäärä", "en": "Number", "sv": "Antal"},
    "PROS": {"fi": "Prosenttia", "en": "Percent", "sv": "Procent"},
    "INDEKSI": {"fi": "Indeksi", "en": "Index", "sv": "Index"},
}
_ALL_LEVELS = ("KUNTA", "SEUTUKUNTA", "MAAKUNTA", "HYVINVOINTIALUE", "ALUEHALLINTOVIRASTO", "MAA")


@dataclass
class FakeIndicator:
    """One indicator: metadata plus the rule that makes its values."""

    id: int
    title: dict[str, str]
    organization: dict
    unit: str
    decimals: int
    start: int
    end: int
    updated: str
    kind: str  # population | share75 | assistance | education | survey | eservice_need | …
    categories: tuple[str, ...]  # region categories that have data
    genders: tuple[str, ...] = ("total", "male", "female")
    data_years: tuple[int, ...] | None = None  # None: every year of the range
    region_values: tuple[str, ...] = ("Kunta", "Maakunta", "Maa")
    source: str = ""
    note: str = ""

    def years(self) -> set[int]:
        return set(self.data_years or range(self.start, self.end + 1))


INDICATORS: dict[int, FakeIndicator] = {
    i.id: i
    for i in [
        FakeIndicator(
            127,
            {"fi": "Väestö 31.12.", "en": "Population at year end", "sv": "Befolkning 31.12."},
            _TK, "LKM", 0, 1990, 2024, "2025-04-04", "population", _ALL_LEVELS,
            region_values=("Kunta", "Seutukunta", "Maakunta", "Aluehallintovirasto", "Maa"),
            source="Tilastokeskus, väestörakenne",
        ),
        FakeIndicator(
            171,
            {"fi": "75 vuotta täyttäneet, % väestöstä",
             "en": "Persons aged 75 and over, as % of total population",
             "sv": "75 år fyllda, % av befolkningen"},
            _TK, "PROS", 1, 1990, 2024, "2025-04-04", "share75", _ALL_LEVELS,
            source="Tilastokeskus, väestörakenne",
        ),
        FakeIndicator(
            5,
            {"fi": "Toimeentulotukea saaneet 25 - 64-vuotiaat, % vastaavan ikäisestä "
                   "väestöstä",
             "en": "Social assistance recipients aged 25-64, as % of total population of "
                   "same age",
             "sv": "Personer i åldern 25-64 år som fått utkomststöd, % av "
                   "befolkningen i samma ålder"},
            _THL, "PROS", 1, 1990, 2024, "2025-05-09", "assistance",
            ("KUNTA", "SEUTUKUNTA", "MAAKUNTA", "HYVINVOINTIALUE", "MAA"),
            region_values=("Kunta", "Seutukunta", "Maakunta", "Maa"),
            source="Toimeentulotukitilasto (THL)",
        ),
        FakeIndicator(
            180,
            {"fi": "Koulutustasomittain", "en": "Level of education",
             "sv": "Utbildningsnivåmätare"},
            _TK, "INDEKSI", 0, 2000, 2023, "2025-09-18", "education",
            ("KUNTA", "MAAKUNTA", "HYVINVOINTIALUE", "MAA"), genders=("total",),
            source="Tilastokeskus, koulutusrakenne",
        ),
        FakeIndicator(
            5527,
            {"fi": "Terveysliikuntasuosituksen mukaan liian vähän liikkuvien osuus (%)",
             "en": "According to the recommendation on physical activity, the share of those "
                   "with insufficient physical activity (%)",
             "sv": "Andelen personer (%) som motionerar för lite enligt rekommendationen om "
                   "hälsomotion"},
            _THL, "PROS", 1, 2020, 2024, "2025-05-14", "survey",
            ("KUNTA", "MAAKUNTA", "HYVINVOINTIALUE", "ALUEHALLINTOVIRASTO", "MAA"),
            data_years=(2020, 2022, 2023, 2024),
            region_values=("Aluehallintovirasto", "Nuts1", "Kunta", "Maakunta"),
            source="Terve Suomi -tutkimus (THL)",
            note="Kunnat, joissa on alle 3 000 asukasta, puuttuvat (liian pieni otos).",
        ),
        FakeIndicator(
            990001,
            {"fi": "Kokee tarvitsevansa opastusta sähköisten palvelujen käytössä (%)",
             "en": "Feels they need guidance in using online services (%)",
             "sv": "Upplever att de behöver handledning i användningen av e-tjänster (%)"},
            _THL, "PROS", 1, 2020, 2024, "2025-06-01", "eservice_need",
            ("HYVINVOINTIALUE", "MAA"), data_years=(2020, 2022, 2024), region_values=(),
            source="Terve Suomi -tutkimus (THL) [SYNTEETTINEN]",
            note="SYNTEETTINEN testi-indikaattori: vain hyvinvointialue- ja maatason tiedot.",
        ),
        FakeIndicator(
            990002,
            {"fi": "Sähköistä asiointia viimeisen vuoden aikana käyttäneet (%)",
             "en": "Used online services during the last year (%)",
             "sv": "Har använt e-tjänster under det senaste året (%)"},
            _THL, "PROS", 1, 2020, 2024, "2025-06-01", "eservice_use",
            ("KUNTA", "MAAKUNTA", "MAA"), genders=("male", "female"),
            source="Terve Suomi -tutkimus (THL) [SYNTEETTINEN]",
            note="SYNTEETTINEN testi-indikaattori: julkaistaan vain sukupuolittain.",
        ),
    ]
}  # fmt: skip

_GENDER_ORDER = ("total", "male", "female")


def _unit_random(code: str, salt: str) -> float:
    """A number in [0, 1) fixed by the municipality code, independent of ids and order."""
    return zlib.crc32(f"{_SEED}:{salt}:{code}".encode()) / 2**32


class _Model:
    """Deterministic per-municipality quantities; aggregates are built from them."""

    def population(self, code: str, year: int, gender: str) -> int:
        base = _SIZE_HINTS.get(code) or int(900 + 24_000 * _unit_random(code, "size") ** 2)
        growth = 0.012 * (_unit_random(code, "growth") - 0.55)
        total = int(round(base * (1 + growth) ** (year - 2024)))
        male = int(round(total * (0.497 + 0.02 * _unit_random(code, "male"))))
        return {"total": total, "male": male, "female": total - male}[gender]

    def aged75(self, code: str, year: int, gender: str) -> int:
        share = 0.05 + 0.08 * _unit_random(code, "old") + 0.0015 * (year - 2000)
        share *= {"total": 1.0, "male": 0.82, "female": 1.18}[gender]
        return int(round(self.population(code, year, gender) * share))

    def education(self, code: str, year: int) -> float:
        return 260 + 130 * _unit_random(code, "edu") + 2.0 * (year - 2000)

    def assistance(self, code: str, year: int, gender: str) -> float:
        """% of 25–64-year-olds on social assistance (the age base is taken as half)."""
        base = 3.5 + 4.0 * _unit_random(code, "assist") - 0.04 * (year - 2015)
        return base * {"total": 1.0, "male": 1.15, "female": 0.85}[gender]

    def survey(self, code: str, year: int, gender: str, salt: str, level: float) -> float:
        base = level + 15 * _unit_random(code, salt) - 0.8 * (year - 2020)
        return base + {"total": 0.0, "male": 1.5, "female": -1.5}[gender]


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------

JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html;charset=utf-8"
TEXT_TYPE = "text/plain;charset=UTF-8"
PAGE_403 = b"<html><head><title>403 Forbidden</title></head><body>403 Forbidden</body></html>"
PAGE_404 = b"<html><head><title>404 Not Found</title></head><body>404 Not Found</body></html>"
PAGE_500 = b"<html><head><title>500</title></head><body>Internal Server Error</body></html>"


def _json(data: object, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, JSON_TYPE, body)


@dataclass
class RequestRecord:
    """One request as the fake saw it (``params`` keeps repeated keys as lists)."""

    time: float
    method: str
    path: str
    query: str
    params: dict[str, list[str]]
    user_agent: str | None
    status: int = 0


def _drop_abs(inj: Injection, response: Response) -> Response:
    data = json.loads(response.body)
    if isinstance(data, list):
        for row in data:
            if isinstance(row, dict):
                row.pop("absValue", None)
    return _json(data, response.status)


_FIXED_FAILURES: dict[str, Callable[[Injection], Response]] = {
    "403": lambda inj: Response(403, HTML_TYPE, PAGE_403),
    "404": lambda inj: Response(404, HTML_TYPE, PAGE_404),
    "500": lambda inj: Response(500, HTML_TYPE, PAGE_500),
    "empty": lambda inj: _json([]),
}
_WRAPPING_FAILURES: dict[str, Callable[[Injection, Response], Response]] = {
    "missing_abs": _drop_abs,
    **WRAPPING_FAILURES,
}
INJECTION_KINDS = frozenset(_FIXED_FAILURES) | frozenset(_WRAPPING_FAILURES)


class FakeSotkanet(FakeServer):
    """The fake server. Use as a context manager; ``base_url`` ends in ``/rest``."""

    url_path = "/rest"
    server_version = "Apache"
    accepts_post = True
    injection_kinds = INJECTION_KINDS
    text_type = TEXT_TYPE
    requests: list[RequestRecord]

    def __init__(self, *, id_offset: int = 1000, country: bool = False) -> None:
        """``country=True`` serves the whole fake country (see the module docstring)."""
        super().__init__()
        self.indicators = {k: _copy_indicator(v) for k, v in INDICATORS.items()}
        self.model = _Model()
        self.country = country
        self._regions = _regions(country)
        self._rest_of_finland = 0 if country else REST_OF_FINLAND
        self._dropped: set[tuple[str, str]] = set()
        self._offset = id_offset

    # -- inspection --------------------------------------------------------------------------
    def data_requests(self) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/json")]

    def region_id(self, category: str, code: str) -> int:
        """The id currently served for ``(category, code)``."""
        for region in self._regions:
            if (region.category, region.code) == (category, code):
                return self._id(region)
        raise KeyError((category, code))

    def regions_json(self) -> list[dict]:
        """Exactly what ``/1.1/regions`` serves now."""
        with self._lock:
            return self._regions_json()

    def truth(self, indicator: int, area: str | tuple[str, str], year: int, gender="total"):
        """The row ``/json`` serves for one cell, or None when the cell is not published.

        ``area`` is a panel code (``KU564``, ``MK17``, ``HV19``, ``SSS``) or a Sotkanet
        ``(category, code)`` pair. Ignores injections (they are per request).
        """
        with self._lock:
            region = self._region(area)
            return self._row(self.indicators[indicator], region, year, gender)

    # -- scenario controls -------------------------------------------------------------------
    def inject(self, kind: str, *, path_contains: str = "", times: int = 1, delay=3.0) -> None:
        """Queue a failure for the next ``times`` requests whose path contains the text."""
        self._queue(Injection(kind, times, delay, path_contains))

    def set_title(self, indicator: int, title: str | Mapping[str, str]) -> None:
        """Rename an indicator (a string replaces the Finnish title only)."""
        with self._lock:
            ind = self.indicators[indicator]
            ind.title = {**ind.title, "fi": title} if isinstance(title, str) else dict(title)

    def set_data_updated(self, indicator: int, iso: str) -> None:
        with self._lock:
            self.indicators[indicator].updated = iso

    def drop_region(self, category: str, code: str) -> None:
        """Remove a region from ``/regions`` and from the data (e.g. after a merger)."""
        with self._lock:
            self._dropped.add((category, code))

    def renumber(self, offset: int) -> None:
        """Serve every region under new ids, as Sotkanet did with the counties in 2023."""
        with self._lock:
            self._offset = offset

    # -- data --------------------------------------------------------------------------------
    def _visible(self) -> list[Region]:
        return [r for r in self._regions if (r.category, r.code) not in self._dropped]

    def _id(self, region: Region) -> int:
        # A fixed scramble of the position, so that ids do not follow codes or categories.
        return self._offset + (region.key * 37) % 101 + 101 * (region.key // 101)

    def _region(self, area: str | tuple[str, str]) -> Region:
        if isinstance(area, tuple):
            wanted = area
        elif area == "SSS":
            wanted = ("MAA", MAA_CODE)
        else:
            category = {"KU": "KUNTA", "SK": "SEUTUKUNTA", "MK": "MAAKUNTA"}.get(area[:2])
            category = category or {"HV": "HYVINVOINTIALUE"}.get(area[:2])
            if category is None:
                raise KeyError(area)
            wanted = (category, area[2:])
        for region in self._visible():
            if (region.category, region.code) == wanted:
                return region
        raise KeyError(area)

    def _regions_json(self) -> list[dict]:
        visible = self._visible()
        containers = [r for r in visible if r.members]
        out = []
        for region in visible:
            member_of: list[int] = []
            if region.category == "KUNTA":
                member_of = [self._id(c) for c in containers if region.code in c.members]
                random.Random(zlib.crc32(region.code.encode())).shuffle(member_of)
            out.append(
                {
                    "id": self._id(region),
                    "code": region.code,
                    "category": region.category,
                    "title": {"fi": region.fi, "en": region.en, "sv": region.sv},
                    "memberOf": member_of,
                    "uri": region.uri,
                }
            )
        return out

    def _members(self, region: Region) -> list[str]:
        if region.category == "KUNTA":
            return [region.code]
        dropped = {code for cat, code in self._dropped if cat == "KUNTA"}
        return [c for c in region.members if c not in dropped]

    def _cell(self, ind: FakeIndicator, region: Region, year: int, gender: str):
        """The true (value, absValue) of a cell, before publication rules."""
        m = self.model
        members = self._members(region)
        pops = [m.population(c, year, gender) for c in members]
        rest = 0
        if region.category == "MAA":
            share = {"total": 1.0, "male": 0.494, "female": 0.506}[gender]
            rest = int(self._rest_of_finland * share * 1.003 ** (year - 2024))
        pop = sum(pops) + rest
        if ind.kind == "population":
            return pop, None
        if ind.kind == "share75":
            count = sum(m.aged75(c, year, gender) for c in members) + int(rest * 0.115)
            return round(100 * count / pop, ind.decimals), count
        if ind.kind == "education":
            level = sum(p * m.education(c, year) for c, p in zip(members, pops, strict=True))
            return round((level + rest * 330) / pop, ind.decimals), None
        if ind.kind == "assistance":
            rates = [m.assistance(c, year, gender) for c in members]
            count = sum(int(round(p * 0.5 * r / 100)) for p, r in zip(pops, rates, strict=True))
            count += int(round(rest * 0.5 * 0.055))
            return round(100 * count / (0.5 * pop), ind.decimals), count
        level = {"survey": 45.0, "eservice_need": 12.0, "eservice_use": 70.0}[ind.kind]
        salt = str(ind.id)
        values = [m.survey(c, year, gender, salt, level) for c in members]
        total = sum(p * v for p, v in zip(pops, values, strict=True)) + rest * (level + 6)
        value = round(total / pop, ind.decimals)
        if ind.kind == "eservice_use":
            return value, int(round(pop * value / 100))
        return value, None

    def _row(self, ind: FakeIndicator, region: Region, year: int, gender: str) -> dict | None:
        published = (
            region.category in ind.categories
            and year in ind.years()
            and gender in ind.genders
            and (region.category in ("KUNTA", "MAA") or self._members(region))
            and not (
                ind.kind == "survey"
                and region.category == "KUNTA"
                and self.model.population(region.code, year, "total") < 3000
            )
        )
        if not published:
            return None
        value, count = self._cell(ind, region, year, gender)
        row = {
            "indicator": ind.id,
            "region": self._id(region),
            "year": year,
            "gender": gender,
            "value": value,
        }
        if count is not None:
            row["absValue"] = count
        return row

    def _data(self, params: dict[str, list[str]]) -> Response:
        try:
            indicator = int(params["indicator"][0])
            years = [int(y) for y in params["years"]]
        except (KeyError, IndexError, ValueError):
            return Response(400, TEXT_TYPE, b"Parameters 'indicator' and 'years' are required.")
        ind = self.indicators.get(indicator)
        genders = params.get("genders") or list(ind.genders if ind else _GENDER_ORDER)
        if any(g not in _GENDER_ORDER for g in genders):
            return Response(400, TEXT_TYPE, b"Unknown gender.")
        if ind is None:
            return _json([])
        rows = [
            row
            for region in self._visible()
            for year in dict.fromkeys(years)
            for gender in dict.fromkeys(genders)
            if (row := self._row(ind, region, year, gender)) is not None
        ]
        # The real service answers in no particular order; so does this one, always.
        random.Random(zlib.crc32(repr((indicator, years, genders)).encode())).shuffle(rows)
        return _json(rows)

    def _metadata(self, ind: FakeIndicator) -> dict:
        sex = {"fi": "Miehet, naiset, yhteensä", "en": "Male, female, combined"}
        sex["sv"] = "Män, kvinnor, totalt"
        description = f"{ind.title['fi']}. {ind.note}".strip()
        source = {"fi": ind.source, "en": ind.source, "sv": ind.source}
        return {
            "id": ind.id,
            "data-updated": ind.updated,
            "range": {"start": ind.start, "end": ind.end},
            "title": dict(ind.title),
            "description": {"fi": description, "en": ind.title["en"], "sv": ind.title["sv"]},
            "interpretation": {"fi": "", "en": "", "sv": ""},
            "limits": {"fi": ind.note, "en": "", "sv": ""},
            "legislation": {"fi": "", "en": "", "sv": ""},
            "notices": {"fi": "", "en": "", "sv": ""},
            "primaryValueType": {"code": ind.unit, "title": _UNITS[ind.unit]},
            "decimals": ind.decimals,
            "classifications": {
                "region": {
                    "title": {"fi": "Alueet", "en": "Regions", "sv": "Områden"},
                    "values": list(ind.region_values),
                },
                "sex": {"title": sex, "values": list(ind.genders)},
            },
            "organization": ind.organization,
            "subjects": [],
            "sources": [{"organization": ind.organization, "title": source, "description": {}}],
            "groups": [583],
        }

    # -- request handling --------------------------------------------------------------------
    def _handle(self, request: Incoming) -> Response:
        method, user_agent = request.method, request.user_agent
        split = urlsplit(request.path)
        record = RequestRecord(
            time.monotonic(),
            method,
            unquote(split.path),
            split.query,
            parse_qs(split.query, keep_blank_values=True),
            user_agent,
        )

        def normal() -> Response:
            return self._route(method, record.path, record.params)

        def answer() -> Response:
            if not (user_agent or "").strip():
                return Response(403, HTML_TYPE, PAGE_403)  # like the real one, always
            injection = self._take_injection(method, record.path)
            if injection is None:
                return normal()
            return apply_injection(injection, normal, _FIXED_FAILURES, _WRAPPING_FAILURES)

        return self._answer_logged(record, answer)

    def _route(self, method: str, path: str, params: dict[str, list[str]]) -> Response:
        parts = [p for p in path.split("/") if p]
        if method != "GET" or parts[:2] != ["rest", "1.1"]:
            return Response(404, HTML_TYPE, PAGE_404)
        parts = parts[2:]
        with self._lock:
            if parts == ["regions"]:
                return _json(self._regions_json())
            if parts == ["json"]:
                return self._data(params)
            if parts == ["indicators"]:
                return _json([self._list_item(i) for i in self.indicators.values()])
            if len(parts) == 2 and parts[0] == "indicators" and parts[1].isdigit():
                ind = self.indicators.get(int(parts[1]))
                if ind is not None:
                    return _json(self._metadata(ind))
        return Response(404, HTML_TYPE, PAGE_404)

    def _list_item(self, ind: FakeIndicator) -> dict:
        meta = self._metadata(ind)
        return {k: meta[k] for k in ("id", "title", "organization", "classifications")}


def _copy_indicator(ind: FakeIndicator) -> FakeIndicator:
    return FakeIndicator(**{**ind.__dict__, "title": dict(ind.title)})
