"""The area table: which municipalities, sub-regions, region and county the panel covers.

Codes follow Statistics Finland's PxWeb convention (``KU564``, ``SK171``, ``MK17``,
``HV19``, ``SSS``) so that raw responses join without translation. The region is a
maakunta (``"17"``) or the whole country (``"SSS"``: all municipalities); both go through
the same table and the same code path.

Where a table comes from: at refresh, the Statistics Finland classification service gives
the national key (municipality → seutukunta / maakunta / hyvinvointialue / urban–rural
class) and :func:`table_from_national` cuts the region out of it. The built-in table for
maakunta 17 (the 2024–2026 keys, which are identical) is the offline fallback, so the
library works before any refresh; names exist in Finnish, Swedish and English.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

import pandas as pd

from .config import canonical_region
from .errors import ConfigError, UnknownArea

LEVEL_BY_PREFIX = {
    "KU": "kunta",
    "SK": "seutukunta",
    "MK": "maakunta",
    "HV": "hyvinvointialue",
    "SSS": "maa",
}
#: Order in which levels are listed: the most local first, the country last.
LEVEL_ORDER = ["kunta", "seutukunta", "maakunta", "hyvinvointialue", "maa"]
LANGUAGES = ("fi", "sv", "en")

#: Statistics Finland's statistical urban–rural grouping of municipalities (kuntaryhmitys).
#: Area metadata, not a panel indicator: a class is a label, and the panel's numeric
#: ``value`` would invite averaging, summing into regions or normalising it.
URBAN_RURAL_CLASSES: dict[str, dict[str, str]] = {
    "1": {"fi": "Kaupunkimaiset kunnat", "sv": "Stadskommuner", "en": "Urban municipalities"},
    "2": {
        "fi": "Taajaan asutut kunnat",
        "sv": "Tätortskommuner",
        "en": "Semi-urban municipalities",
    },
    "3": {"fi": "Maaseutumaiset kunnat", "sv": "Landsbygdskommuner", "en": "Rural municipalities"},
}

#: Built-in regions (the offline fallback); any other region needs the classification key
#: that a refresh stores.
BUILTIN_REGIONS = {"17": "areas_mk17.csv"}
#: Merger history shipped with the library (old municipality names still match).
MERGER_FILES = ("mergers_mk17.csv",)
#: The column order of every area table.
COLUMNS = [
    "area_code", "area_level", "name_fi", "name_sv", "name_en",
    "seutukunta", "maakunta", "hyvinvointialue", "kuntaryhmitys", "name_fi_gen",
]  # fmt: skip

_SUFFIX_WORDS = re.compile(
    r"\b(kaupunki|kunta|stad|kommun|municipality|city|town)\b", flags=re.IGNORECASE
)


def level_of(area_code: str) -> str:
    """Area level from the code prefix (``KU564`` → ``kunta``)."""
    for prefix, level in LEVEL_BY_PREFIX.items():
        if area_code.startswith(prefix):
            return level
    raise UnknownArea(f"Area code {area_code!r} has no known prefix (KU, SK, MK, HV, SSS).")


def normalise_name(name: str) -> str:
    """Fold a municipality name for tolerant matching: case, accents kept, spaces collapsed."""
    text = unicodedata.normalize("NFC", str(name)).casefold()
    text = _SUFFIX_WORDS.sub(" ", text)
    return re.sub(r"[\s\-_]+", " ", text).strip()


@dataclass(frozen=True)
class AreaTable:
    """Areas of one region with their memberships and names.

    ``frame`` has one row per area: ``area_code, area_level, name_fi, name_sv, name_en,
    seutukunta, maakunta, hyvinvointialue, kuntaryhmitys`` (the last four are filled for
    municipalities; ``kuntaryhmitys`` is Statistics Finland's urban–rural class 1/2/3).
    """

    region: str  # "17" or "SSS"
    frame: pd.DataFrame
    mergers: pd.DataFrame = field(repr=False)
    #: Where the table came from: the built-in file or the classification key's year.
    provenance: str = "built-in"

    # ---- lookups -------------------------------------------------------------------
    @property
    def region_code(self) -> str:
        """The region's own area code: ``MK17``, or ``SSS`` for the whole country."""
        return "SSS" if self.whole_country else f"MK{self.region}"

    @property
    def whole_country(self) -> bool:
        return self.region == "SSS"

    @property
    def codes(self) -> list[str]:
        return list(self.frame["area_code"])

    def counties(self) -> list[str]:
        """Wellbeing services counties lying wholly inside the region (``HV19``, …)."""
        return list(self.frame.loc[self.frame["area_level"] == "hyvinvointialue", "area_code"])

    def municipalities(self) -> list[str]:
        return list(self.frame.loc[self.frame["area_level"] == "kunta", "area_code"])

    def aggregate_areas(self) -> list[str]:
        """Areas whose values can be built from member municipalities (not the country)."""
        levels = ("seutukunta", "maakunta", "hyvinvointialue")
        return list(self.frame.loc[self.frame["area_level"].isin(levels), "area_code"])

    def members(self, area_code: str) -> list[str]:
        """Municipality codes inside a sub-region, region or wellbeing county."""
        level = level_of(area_code)
        if level == "kunta":
            return [area_code]
        if level == "maa" and self.whole_country:
            return self.municipalities()
        if level == "maa":
            raise UnknownArea(
                "The whole country is not an aggregate of this region's municipalities."
            )
        return list(self._members.get(area_code, ()))

    def name(self, area_code: str, lang: str = "fi") -> str:
        if lang not in LANGUAGES:
            raise ConfigError(f"Language {lang!r} is not one of {', '.join(LANGUAGES)}.")
        row = self._rows.get(area_code)
        if row is None:
            raise UnknownArea(
                f"Area code {area_code!r} is not in the area table of region {self.region}."
            )
        return str(row[f"name_{lang}"])

    def names(self, lang: str = "fi") -> dict[str, str]:
        return dict(zip(self.frame["area_code"], self.frame[f"name_{lang}"], strict=True))

    def peer_group(self, area_code: str) -> str:
        """Urban–rural class of a municipality: ``1`` urban, ``2`` semi-urban, ``3`` rural."""
        row = self._rows.get(area_code)
        if row is None or not row["kuntaryhmitys"]:
            raise UnknownArea(f"{area_code!r} is not a municipality of region {self.region}.")
        return str(row["kuntaryhmitys"])

    def peer_group_members(self, group: str) -> list[str]:
        """Municipalities of one urban–rural class (``"1"``, ``"2"`` or ``"3"``), in table
        order."""
        rows = self.frame[self.frame["area_level"] == "kunta"]
        return list(rows.loc[rows["kuntaryhmitys"].astype(str) == str(group), "area_code"])

    def county(self, area_code: str) -> str | None:
        """The wellbeing services county (``HV19``) of a municipality; None when the table
        does not say (an unknown code, or an area that is not a municipality)."""
        row = self._rows.get(area_code)
        value = row.get("hyvinvointialue") if row is not None else None
        return str(value) if isinstance(value, str) and value else None

    def urban_rural(self, area_code: str, lang: str = "fi") -> str:
        """Name of a municipality's urban–rural class (``Maaseutumaiset kunnat``, …)."""
        if lang not in LANGUAGES:
            raise ConfigError(f"Language {lang!r} is not one of {', '.join(LANGUAGES)}.")
        return URBAN_RURAL_CLASSES[self.peer_group(area_code)][lang]

    # ---- name matching ---------------------------------------------------------------
    def match(self, name: str) -> str:
        """Municipality code for a name typed by a person.

        Tolerates case, extra whitespace, words such as "kunta"/"stad", Swedish and
        English names, numeric codes (``564``, ``KU564``), former municipalities that
        merged into today's ones and the genitive forms people write in front of
        "kunta"/"kaupunki" ("Oulun kaupunki", "Iin kunta", "Brahestads stad"; Finnish
        genitives come from the table's ``name_fi_gen`` column because they are
        irregular). Unknown names raise :class:`UnknownArea` with the closest
        candidates, because a silent wrong match would corrupt survey results.
        """
        key = normalise_name(name)
        index = self._name_index
        for candidate in (key, _swedish_nominative(name, key)):
            if candidate in index:
                return index[candidate]
        candidates = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
        suggestion = ", ".join(sorted({self.name(index[c]) for c in candidates}))
        hint = f" Did you mean: {suggestion}?" if suggestion else ""
        raise UnknownArea(
            f"{name!r} is not a municipality of region {self.region}.{hint} "
            "Use the Finnish or Swedish name or the municipality number."
        )

    @cached_property
    def _rows(self) -> dict[str, dict[str, str]]:
        """Rows by area code: 398 areas for the whole country, looked up per panel row."""
        return {row["area_code"]: row for row in self.frame.to_dict("records")}

    @cached_property
    def _members(self) -> dict[str, tuple[str, ...]]:
        """Aggregate code → its member municipalities, in table order."""
        found: dict[str, list[str]] = {}
        kunnat = self.frame[self.frame["area_level"] == "kunta"]
        for row in kunnat.to_dict("records"):
            for level in ("seutukunta", "maakunta", "hyvinvointialue"):
                if row[level]:
                    found.setdefault(row[level], []).append(row["area_code"])
        return {code: tuple(members) for code, members in found.items()}

    @cached_property
    def _name_index(self) -> dict[str, str]:
        """Built once per table: a survey file matches every one of its rows against it."""
        return _build_index(self)


def _build_index(table: AreaTable) -> dict[str, str]:
    index: dict[str, str] = {}
    kunnat = table.frame[table.frame["area_level"] == "kunta"]
    for row in kunnat.itertuples():
        code = row.area_code
        for value in (row.name_fi, row.name_sv, row.name_en, code, code[2:], code[2:].lstrip("0")):
            index[normalise_name(value)] = code
    # Genitives after the nominatives, so that a genitive never shadows another name.
    for row in kunnat.itertuples():
        genitive = getattr(row, "name_fi_gen", "")
        if genitive:
            index.setdefault(normalise_name(genitive), row.area_code)
    for row in table.mergers.itertuples():
        target = f"KU{row.to_code}"
        if target in set(kunnat["area_code"]):
            index.setdefault(normalise_name(row.from_name), target)
    return index


_SWEDISH_SUFFIX = re.compile(r"\b(stad|kommun)\b", flags=re.IGNORECASE)


def _swedish_nominative(name: str, key: str) -> str:
    """Drop the genitive -s of "Brahestads stad" / "Uleåborgs stad"; only next to stad/kommun."""
    if _SWEDISH_SUFFIX.search(str(name)) and key.endswith("s"):
        return key[:-1]
    return key


def _read_data_csv(filename: str) -> pd.DataFrame:
    with (resources.files("digiindicators") / "data" / filename).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@cache
def _mergers() -> pd.DataFrame:
    return pd.concat([_read_data_csv(f) for f in MERGER_FILES], ignore_index=True)


@cache
def areas(region: str = "17") -> AreaTable:
    """The built-in area table of a region (maakunta number, default ``"17"``).

    This is the offline table; :func:`digiindicators.region.region_table` prefers the
    classification key a refresh stored and falls back to this one.
    """
    region = canonical_region(region)
    filename = BUILTIN_REGIONS.get(region)
    if filename is None:
        raise ConfigError(
            f"Region {region!r} has no built-in area table (built in: "
            f"{', '.join(BUILTIN_REGIONS)}); run `digiindicators refresh` with the region "
            "set so that its municipalities are read from the Statistics Finland "
            "classification service."
        )
    frame = _read_data_csv(filename).reindex(columns=COLUMNS, fill_value="")
    return AreaTable(region=region, frame=frame, mergers=_mergers())


def table_from_national(national: pd.DataFrame, region: str, *, provenance: str) -> AreaTable:
    """The area table of ``region`` cut out of the national key.

    Keeps the region's municipalities, the sub-regions and wellbeing counties that lie
    wholly inside it (an aggregate with a member outside would be computed from the wrong
    municipalities), the region itself and the country. Finnish genitives, which cannot be
    derived, come from the built-in table where it knows the municipality.
    """
    region = canonical_region(region)
    kunnat = national[national["area_level"] == "kunta"]
    inside = kunnat if region == "SSS" else kunnat[kunnat["maakunta"] == f"MK{region}"]
    if inside.empty:
        known = sorted(national.loc[national["area_level"] == "maakunta", "area_code"])
        raise ConfigError(
            f"Maakunta {region} has no municipalities in the classification key "
            f"({provenance}); the key has {', '.join(c[2:] for c in known) or 'no regions'}."
        )
    codes = set(inside["area_code"])
    keep = {"SSS", *codes}
    if region != "SSS":
        keep.add(f"MK{region}")
    for level in ("seutukunta", "maakunta", "hyvinvointialue"):
        for code, group in kunnat.groupby(level):
            if code and set(group["area_code"]) <= codes:
                keep.add(code)
    frame = national[national["area_code"].isin(keep)].reindex(columns=COLUMNS, fill_value="")
    genitives = _builtin_genitives()
    frame["name_fi_gen"] = frame["area_code"].map(genitives).fillna("")
    return AreaTable(
        region=region,
        frame=frame.reset_index(drop=True),
        mergers=_mergers(),
        provenance=provenance,
    )


@cache
def _builtin_genitives() -> dict[str, str]:
    frames = [_read_data_csv(f) for f in BUILTIN_REGIONS.values()]
    table = pd.concat(frames, ignore_index=True)
    return dict(zip(table["area_code"], table["name_fi_gen"], strict=True))
