"""The national key of the fake country: every municipality and its memberships.

One source of truth for the fakes in "country" mode (``FakePxWeb(country=True)``,
``FakeSotkanet(country=True)``, ``FakeWfs(country=True)``) and for the fake
classification service, so that all of them describe the same 308 municipalities.

What is REAL:

- the count, 308 (the 2025–2026 keys, research/regions.md §1);
- the 30 municipalities of maakunta 17 Pohjois-Pohjanmaa with their codes, names,
  seutukunnat 171, 173–178, wellbeing county 19 and urban–rural class
  (:mod:`tests.fakes.regions`, research/regions.md §1);
- the codes and Finnish/Swedish names of the other municipalities, read IN PLACE from the
  2023 boundary file ``/work/shared/reference/geo/kuntarajat.2023.json`` (the same file and
  path constant as the fake WFS; 309 features), and the names of the 19 maakunnat and of
  the three urban–rural classes.

What is SYNTHETIC (!!! not real memberships, do not use outside tests !!!):

- WHICH municipality the fake drops to get from the file's 309 to 308 is arbitrary: the
  research does not record which 2025 merger made it 308. The fake drops the non-MK17
  municipality with the smallest land area outside Ahvenanmaa, other than the few that
  other fakes name (see :data:`KEEP`) — with the 2023 file, 235 Kauniainen, which the
  fake classification service merges into 049 Espoo in 2025. It is still in the 2023/2024
  keys (and WFS layers) as :attr:`NationalKey.dropped`;
- the maakunta of every municipality outside maakunta 17: each goes to the nearest of 18
  seed municipalities (the real regional centres: Helsinki for 01, Turku for 02, …,
  Maarianhamina for 21; polygon centroids, distances on a plane scaled by cos 62°), so a
  map looks plausible, but borders are wrong in places. Helsinki (091) is in 01, Tampere
  (837) in 06, Jyväskylä (179) in 13, as the other fakes say;
- every seutukunta outside maakunta 17: 2–5 per maakunta, cut into west→east bands,
  codes ``{maakunta}{1..5}`` (011, 012, …), named after the member closest to the band's
  mean centroid (the seed municipality where it is a member);
- every wellbeing county outside maakunta 17 (which keeps the real HV19): one per maakunta
  with codes that follow the real numbering pattern where the other fakes use them
  (Pohjanmaa 17, Keski-Pohjanmaa 18, Kainuu 20, Lappi 21); Uusimaa is split into two
  counties (01 west, 02 east) plus Helsinki with its own code 90, as Sotkanet counts
  Helsinki among HYVINVOINTIALUE; the Ahvenanmaa municipalities have NO wellbeing county
  (``hyvinvointialue is None``), the edge case a client must survive;
- the urban–rural class (kuntaryhmitys) outside maakunta 17: the 18 seed municipalities are
  urban (1); the others by a CRC32 of the code (about 10 % urban, 20 % semi-urban, the rest
  rural).

The key is read lazily (:func:`load`, cached), so that importing a fake never needs the
reference file unless country mode is used.
"""

from __future__ import annotations

import functools
import json
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tests.fakes import regions
from tests.fakes.wfs_server import REFERENCE_GEOJSON

__all__ = [
    "COUNTY_OF_REGION",
    "KEEP",
    "KUNTARYHMAT",
    "MAAKUNNAT",
    "SEEDS",
    "Municipality",
    "NationalKey",
    "load",
]

#: Maakunta code → (fi, sv, en): the 19 real maakunnat (there is no code 03 or 20).
MAAKUNNAT: dict[str, tuple[str, str, str]] = {
    "01": ("Uusimaa", "Nyland", "Uusimaa"),
    "02": ("Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    "04": ("Satakunta", "Satakunta", "Satakunta"),
    "05": ("Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    "06": ("Pirkanmaa", "Birkaland", "Pirkanmaa"),
    "07": ("Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    "08": ("Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    "09": ("Etelä-Karjala", "Södra Karelen", "South Karelia"),
    "10": ("Etelä-Savo", "Södra Savolax", "South Savo"),
    "11": ("Pohjois-Savo", "Norra Savolax", "North Savo"),
    "12": ("Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    "13": ("Keski-Suomi", "Mellersta Finland", "Central Finland"),
    "14": ("Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    "15": ("Pohjanmaa", "Österbotten", "Ostrobothnia"),
    "16": ("Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    "17": ("Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    "18": ("Kainuu", "Kajanaland", "Kainuu"),
    "19": ("Lappi", "Lappland", "Lapland"),
    "21": ("Ahvenanmaa", "Åland", "Åland"),
}

#: Urban–rural class (kuntaryhmitys) → (fi, sv, en).
KUNTARYHMAT: dict[str, tuple[str, str, str]] = {
    "1": ("Kaupunkimaiset kunnat", "Stadskommuner", "Urban municipalities"),
    "2": ("Taajaan asutut kunnat", "Tätortskommuner", "Semi-urban municipalities"),
    "3": ("Maaseutumaiset kunnat", "Landsbygdskommuner", "Rural municipalities"),
}

#: Maakunta → the municipality whose centroid seeds it (the real regional centre).
SEEDS: dict[str, str] = {
    "01": "091", "02": "853", "04": "609", "05": "109", "06": "837", "07": "398",
    "08": "286", "09": "405", "10": "491", "11": "297", "12": "167", "13": "179",
    "14": "743", "15": "905", "16": "272", "18": "205", "19": "698", "21": "478",
}  # fmt: skip

#: Codes other fakes name (Espoo, Kokkola, Kajaani, Rovaniemi, …): never dropped.
KEEP = frozenset({"091", "049", "837", "179", "272", "205", "698", *SEEDS.values()})

#: SYNTHETIC wellbeing county of each maakunta (Uusimaa: see ``UUSIMAA_COUNTIES``).
COUNTY_OF_REGION: dict[str, str] = {
    "02": "05", "04": "06", "05": "07", "06": "08", "07": "09", "08": "10", "09": "11",
    "10": "12", "11": "13", "12": "14", "13": "15", "14": "16", "15": "17", "16": "18",
    "17": "19", "18": "20", "19": "21",
}  # fmt: skip
UUSIMAA_COUNTIES = ("01", "02")  # west, east
HELSINKI, HELSINKI_COUNTY = "091", "90"

#: Genitive forms for the county names: maakunta → (fi, sv).
_GENITIVE: dict[str, tuple[str, str]] = {
    "01": ("Uudenmaan", "Nylands"), "02": ("Varsinais-Suomen", "Egentliga Finlands"),
    "04": ("Satakunnan", "Satakunta"), "05": ("Kanta-Hämeen", "Egentliga Tavastlands"),
    "06": ("Pirkanmaan", "Birkalands"), "07": ("Päijät-Hämeen", "Päijänne-Tavastlands"),
    "08": ("Kymenlaakson", "Kymmenedalens"), "09": ("Etelä-Karjalan", "Södra Karelens"),
    "10": ("Etelä-Savon", "Södra Savolax"), "11": ("Pohjois-Savon", "Norra Savolax"),
    "12": ("Pohjois-Karjalan", "Norra Karelens"), "13": ("Keski-Suomen", "Mellersta Finlands"),
    "14": ("Etelä-Pohjanmaan", "Södra Österbottens"), "15": ("Pohjanmaan", "Österbottens"),
    "16": ("Keski-Pohjanmaan", "Mellersta Österbottens"),
    "17": ("Pohjois-Pohjanmaan", "Norra Österbottens"), "18": ("Kainuun", "Kajanalands"),
    "19": ("Lapin", "Lapplands"),
}  # fmt: skip

#: The real Swedish names of the MK17 seutukunnat where they differ (research/regions.md §1).
_PP_SUBREGION_SV = {"171": "Uleåborg", "174": "Brahestad"}
#: The real urban (1) and semi-urban (2) municipalities of maakunta 17; the rest are rural.
_PP_CLASS = {
    **dict.fromkeys(("244", "564", "678"), "1"),
    **dict.fromkeys(("069", "139", "208", "305", "425", "494", "535", "563", "977"), "2"),
}
_COS_LAT = math.cos(math.radians(62.0))
_SALT = "national-20260612"


@dataclass(frozen=True)
class Municipality:
    """One municipality of the fake country (codes as the classification service spells them).

    ``hyvinvointialue`` is None for the Ahvenanmaa municipalities (no wellbeing county).
    """

    code: str  # three digits: "564"
    name_fi: str
    name_sv: str
    name_en: str  # = name_fi, as the classification service answers lang=en
    seutukunta: str  # three digits: "171"
    maakunta: str  # two digits: "17"
    hyvinvointialue: str | None  # two digits: "19"; None on Ahvenanmaa
    kuntaryhmitys: str  # "1" | "2" | "3"

    def name(self, lang: str) -> str:
        return {"fi": self.name_fi, "sv": self.name_sv}.get(lang, self.name_en)


@dataclass(frozen=True)
class NationalKey:
    """The 308 municipalities, the dropped 309th and the names of every grouping.

    Names are ``code → (fi, sv, en)``. ``counties`` holds only counties with members.
    """

    municipalities: dict[str, Municipality]  # code → municipality, code order
    dropped: Municipality  # in the 2023/2024 keys only (merged in 2025, synthetically)
    maakunnat: dict[str, tuple[str, str, str]]
    seutukunnat: dict[str, tuple[str, str, str]]
    counties: dict[str, tuple[str, str, str]]
    kuntaryhmat: dict[str, tuple[str, str, str]]
    centroids: dict[str, tuple[float, float]]  # code → (lon, lat), incl. the dropped one

    def members(self, level: str, code: str) -> tuple[str, ...]:
        """Municipality codes of one area: level is maakunta, seutukunta, hyvinvointialue
        or kuntaryhmitys (the attribute names of :class:`Municipality`)."""
        return tuple(c for c, m in self.municipalities.items() if getattr(m, level) == code)

    def names(self, level: str) -> dict[str, tuple[str, str, str]]:
        return {
            "maakunta": self.maakunnat,
            "seutukunta": self.seutukunnat,
            "hyvinvointialue": self.counties,
            "kuntaryhmitys": self.kuntaryhmat,
        }[level]


def _centroid(geometry: dict) -> tuple[float, float]:
    """Area-weighted centroid (lon, lat) of the outer rings, on the lon/lat plane."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    total = cx = cy = 0.0
    for polygon in polygons:
        ring = polygon[0]
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if abs(total) < 1e-12:
        xs, ys = zip(*polygons[0][0], strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / (3 * total), cy / (3 * total)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot((a[0] - b[0]) * _COS_LAT, a[1] - b[1])


def _crc(code: str, what: str) -> int:
    return zlib.crc32(f"{_SALT}:{what}:{code}".encode())


def _bands(codes: Iterable[str], centroids: dict[str, tuple[float, float]]) -> list[list[str]]:
    """Cut a maakunta's members into 2–5 west→east bands of near-equal size."""
    ordered = sorted(codes, key=lambda c: (centroids[c][0], c))
    k = max(2, min(5, round(len(ordered) / 7)))
    k = min(k, len(ordered))
    size, extra = divmod(len(ordered), k)
    bands, start = [], 0
    for i in range(k):
        end = start + size + (i < extra)
        bands.append(ordered[start:end])
        start = end
    return bands


def _centre(band: list[str], seed: str, centroids: dict[str, tuple[float, float]]) -> str:
    if seed in band:
        return seed
    mean = (
        sum(centroids[c][0] for c in band) / len(band),
        sum(centroids[c][1] for c in band) / len(band),
    )
    return min(band, key=lambda c: (_distance(centroids[c], mean), c))


def _county_names(code: str, region: str) -> tuple[str, str, str]:
    if code == HELSINKI_COUNTY:
        return ("Helsingin kaupunki", "Helsingfors stad", "City of Helsinki")
    fi_gen, sv_gen = _GENITIVE[region]
    en = MAAKUNNAT[region][2]
    if region == "01":
        west = code == UUSIMAA_COUNTIES[0]
        fi_gen = ("Länsi-" if west else "Itä-") + fi_gen
        sv_gen = ("Västra " if west else "Östra ") + sv_gen
        en = ("Western " if west else "Eastern ") + en
    return (
        f"{fi_gen} hyvinvointialue",
        f"{sv_gen} välfärdsområde",
        f"{en} wellbeing services county",
    )


def _urban_rural(code: str) -> str:
    if code in _PP_CLASS or code in regions.PP_MUNICIPALITIES:
        return _PP_CLASS.get(code, "3")
    if code in SEEDS.values():
        return "1"
    bucket = _crc(code, "class") % 100
    return "1" if bucket < 10 else "2" if bucket < 30 else "3"


@functools.cache
def load(reference: Path = REFERENCE_GEOJSON) -> NationalKey:
    """Build the national key from the 2023 boundary file (read in place, once)."""
    with open(reference, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    names: dict[str, tuple[str, str]] = {}
    land: dict[str, float] = {}
    centroids: dict[str, tuple[float, float]] = {}
    for feature in features:
        props = feature["properties"]
        code = str(props["NATCODE"]).zfill(3)
        names[code] = (props["NAMEFIN"], props["NAMESWE"])
        land[code] = float(props.get("LANDAREA") or 0.0)
        centroids[code] = _centroid(feature["geometry"])
    missing = set(regions.PP_MUNICIPALITIES) - set(names)
    if missing:
        raise ValueError(f"{reference} lacks the MK17 municipalities {sorted(missing)}")
    # The classification service's names for MK17 (geofi's keys): the NLS file calls Ii "Ii"
    # in Swedish too, where the classification has "Ijo".
    names.update(regions.PP_MUNICIPALITIES)

    # maakunta: real for MK17, the nearest seed for the others
    region_of: dict[str, str] = dict.fromkeys(regions.PP_MUNICIPALITIES, "17")
    seeds = {mk: centroids[code] for mk, code in SEEDS.items()}
    for code in names:
        if code not in region_of:
            region_of[code] = min(seeds, key=lambda mk: (_distance(centroids[code], seeds[mk]), mk))

    candidates = [c for c in names if region_of[c] not in ("17", "21") and c not in KEEP]
    dropped_code = min(candidates, key=lambda c: (land[c], c))

    # seutukunnat: real for MK17, west→east bands elsewhere (the dropped one included, so
    # that the 2024 key places it too)
    sub_of: dict[str, str] = {}
    sub_names: dict[str, tuple[str, str, str]] = {}
    for code, (fi, members) in regions.SUBREGIONS.items():
        sub_names[code] = (fi, _PP_SUBREGION_SV.get(code, fi), fi)
        sub_of.update(dict.fromkeys(members, code))
    for mk in sorted(SEEDS):
        members = [c for c in names if region_of[c] == mk]
        for i, band in enumerate(_bands(members, centroids), start=1):
            code = f"{mk}{i}"
            centre = _centre(band, SEEDS[mk], centroids)
            fi, sv = names[centre]
            sub_names[code] = (fi, sv, fi)
            sub_of.update(dict.fromkeys(band, code))

    # wellbeing counties: real HV19 for MK17, synthetic elsewhere, none on Ahvenanmaa
    county_of: dict[str, str | None] = {}
    uusimaa = sorted(
        (c for c in names if region_of[c] == "01" and c != HELSINKI),
        key=lambda c: (centroids[c][0], c),
    )
    half = (len(uusimaa) + 1) // 2
    for i, code in enumerate(uusimaa):
        county_of[code] = UUSIMAA_COUNTIES[0] if i < half else UUSIMAA_COUNTIES[1]
    county_of[HELSINKI] = HELSINKI_COUNTY
    for code in names:
        if code not in county_of:
            county_of[code] = COUNTY_OF_REGION.get(region_of[code])  # None for 21

    def municipality(code: str) -> Municipality:
        fi, sv = names[code]
        return Municipality(
            code, fi, sv, fi, sub_of[code], region_of[code], county_of[code], _urban_rural(code)
        )

    municipalities = {c: municipality(c) for c in sorted(names) if c != dropped_code}
    used = {m.hyvinvointialue for m in municipalities.values()} - {None}
    region_of_county = {m.hyvinvointialue: m.maakunta for m in municipalities.values()}
    counties = {c: _county_names(c, region_of_county[c]) for c in sorted(used)}
    key = NationalKey(
        municipalities=municipalities,
        dropped=municipality(dropped_code),
        maakunnat=dict(MAAKUNNAT),
        seutukunnat=dict(sorted(sub_names.items())),
        counties=counties,
        kuntaryhmat=dict(KUNTARYHMAT),
        centroids=centroids,
    )
    _check(key)
    return key


def _check(key: NationalKey) -> None:
    """The promises of the module docstring, checked once at build time."""
    munis = key.municipalities
    if len(munis) != 308:
        raise AssertionError(f"national key has {len(munis)} municipalities, not 308")
    pp = {c for c, m in munis.items() if m.maakunta == "17"}
    if pp != set(regions.PP_MUNICIPALITIES):
        raise AssertionError("maakunta 17 is not the 30 real municipalities")
    for code, mk in (("091", "01"), ("837", "06"), ("179", "13")):
        if munis[code].maakunta != mk:
            raise AssertionError(f"{code} is not in maakunta {mk}")
    for mk in MAAKUNNAT:
        n = len(key.members("maakunta", mk))
        subs = {m.seutukunta for m in munis.values() if m.maakunta == mk}
        if n < 3 or not all(s.startswith(mk) for s in subs):
            raise AssertionError(f"maakunta {mk}: {n} municipalities, seutukunnat {subs}")
    if any(m.hyvinvointialue is not None for m in munis.values() if m.maakunta == "21"):
        raise AssertionError("an Ahvenanmaa municipality has a wellbeing county")
