"""A fake Statistics Finland PxWeb API v1 server for offline tests and benchmarks.

Why: the library talks to pxdata.stat.fi, which tests may never reach, and whose awkward
behaviours (rate limit with ``Retry-After``, IIS HTML 403 over the cell limit, plain-text 400,
elimination, dated variable codes that get renamed, suppressed cells with ``status``) are exactly
what the client must survive. This module reproduces those behaviours on 127.0.0.1 with the real
URL scheme and json-stat2 shape, over synthetic but internally consistent data.

Data model: ONE integer population cube ``population[unit, age 0..100, sex, year 1972..2025]``
drawn from a seeded RNG, where a unit is a municipality or a hidden "rest of Uusimaa" /
"rest of Finland" block. Every table is derived from it, and every SSS/MK/SK row is the sum
(or the ratio of sums) of its member units, so tests can check aggregation exactly. Suppressed
cells are hidden in the publication only; aggregates still include their true values.

Country mode (``FakePxWeb(country=True)``, opt-in): the units are the 308 municipalities of
the national key (:mod:`tests.fakes.national`, names from it) and nothing hidden; the tables
carry SSS, all 19 ``MK..`` rows and every ``SK...`` row of the key (11re: SSS and KU only, as
always), and every aggregate is exactly the sum of its member municipalities.

Figures are NOT real statistics.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np

from tests.fakes import regions
from tests.fakes.base import (
    WRAPPING_FAILURES,
    FakeServer,
    Incoming,
    Injection,
    Response,
    apply_injection,
)

__all__ = ["FakePxWeb", "RequestRecord", "PopulationModel", "PP_MUNICIPALITIES", "SUBREGIONS"]

# --------------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------------

PP_MUNICIPALITIES: dict[str, str] = {
    f"KU{code}": fi for code, (fi, _sv) in regions.PP_MUNICIPALITIES.items()
}
OTHER_MUNICIPALITIES: dict[str, str] = {
    "KU091": "Helsinki",
    "KU837": "Tampere",
    "KU179": "Jyväskylä",
}

SUBREGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    f"SK{code}": (name, tuple(f"KU{m}" for m in members))
    for code, (name, members) in regions.SUBREGIONS.items()
}

REST_UUSIMAA = "_REST_MK01"  # hidden unit: the part of Uusimaa that is not a listed municipality
REST_FINLAND = "_REST_FI"  # hidden unit: everything else, so SSS is about 5.6 million
COUNTRY_TARGET = 5_600_000
REST_UUSIMAA_SIZE = 1_600_000

# Synthetic 2025 sizes; Oulu is deliberately the largest municipality of the fake country.
_SIZE_HINTS = {
    "KU564": 210_000, "KU091": 195_000, "KU837": 180_000, "KU179": 140_000,
    "KU678": 24_000, "KU244": 19_000, "KU977": 15_500, "KU305": 15_000, "KU208": 12_500,
    "KU072": 980, "KU483": 1_050, "KU630": 1_400,
}  # fmt: skip

_SEED = 20260608
FIRST_YEAR, LAST_YEAR = 1972, 2025
AGES = np.arange(101)


def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def _unit_rng(code: str, seed: int) -> np.random.Generator:
    """Per-unit RNG so that adding or removing municipalities never changes the others."""
    return np.random.default_rng([seed, zlib.crc32(code.encode())])


@dataclass(frozen=True)
class Unit:
    """Parameters of one municipality (or hidden block) from which all its figures follow."""

    code: str
    size: float  # population at the end of 2025
    rurality: float  # 0 = city, 1 = small rural municipality
    growth: float  # yearly log growth of the population
    foreign: float  # foreign-language speakers' share in 2025
    income: float  # median equivalised disposable income in 2024, euros
    poverty: float  # at-risk-of-poverty rate in 2024
    lf_ratio: float  # labour force / population aged 15-64
    unemployment: float  # base unemployment rate
    age_noise: np.ndarray = field(repr=False)


def _make_unit(code: str, seed: int, size: float | None = None, **fixed: float) -> Unit:
    """Draw a unit's parameters; explicit keyword values win over the random draw."""
    rng = _unit_rng(code, seed)
    if size is None:
        size = _SIZE_HINTS.get(code) or float(np.exp(rng.uniform(np.log(1_000), np.log(20_000))))
    rurality = float(np.clip(np.log(210_000 / max(size, 1.0)) / np.log(210_000 / 900), 0, 1))
    params = {
        "rurality": rurality,
        "growth": 0.013 * (1 - rurality) - 0.009 * rurality + rng.normal(0, 0.002),
        "foreign": rng.uniform(0.01, 0.06),
        "income": 27_500 - 4_500 * rurality + rng.normal(0, 700),
        "poverty": 0.09 + 0.07 * rurality + rng.uniform(-0.015, 0.015),
        "lf_ratio": rng.uniform(0.45, 0.50),
        "unemployment": 0.06 + 0.05 * rurality + rng.uniform(-0.015, 0.02),
    }
    params.update(fixed)
    return Unit(code=code, size=size, age_noise=np.exp(rng.normal(0, 0.04, AGES.size)), **params)


def _unit_cube(unit: Unit, years: np.ndarray) -> np.ndarray:
    """Integer population (age, sex, year) of one unit: rural places are older, cities younger."""
    a = AGES[:, None].astype(float)
    t = (years - LAST_YEAR)[None, :].astype(float)
    r = unit.rurality
    survival = _sigmoid(-(a - 84) / 4.5)
    shape = survival * (1 + r * (0.9 * _sigmoid((a - 58) / 6) - 0.35))
    shape = shape + (1 - r) * 0.45 * survival * np.exp(-(((a - 24) / 4.5) ** 2))
    weights = shape * np.exp(0.012 * t * _sigmoid((a - 60) / 5)) * unit.age_noise[:, None]
    weights /= weights.sum(axis=0, keepdims=True)
    people = weights * unit.size * np.exp(unit.growth * t)
    male_share = 0.513 - 0.17 * _sigmoid((a - 82) / 6)
    by_sex = np.stack([people * male_share, people * (1 - male_share)], axis=1)
    return np.rint(by_sex).astype(np.int64)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    members: np.ndarray  # unit indices


def _area_kind(code: str) -> str:
    return "SSS" if code == "SSS" else code[:2]


class PopulationModel:
    """The single source of truth: units, the population cube and the area memberships."""

    def __init__(
        self,
        area_codes: Sequence[str] | Mapping[str, str] | None = None,
        seed=_SEED,
        *,
        country: bool = False,
    ):
        """``country=True``: the 308 municipalities of the national key, no hidden units."""
        self.country = country
        if country:
            if area_codes is not None:
                raise ValueError("country mode takes its municipalities from the national key")
            self._init_country(seed)
            return
        names = {**PP_MUNICIPALITIES, **OTHER_MUNICIPALITIES}
        if area_codes is None:
            area_codes = sorted(names)
        if isinstance(area_codes, Mapping):
            names.update(area_codes)
        self.municipalities = sorted(dict.fromkeys(area_codes))
        self.names = {c: names.get(c, f"Kunta {c[2:]}") for c in self.municipalities}
        units = [_make_unit(c, seed) for c in self.municipalities]
        rest_fi = max(COUNTRY_TARGET - REST_UUSIMAA_SIZE - sum(u.size for u in units), 0.0)
        rest = {"rurality": 0.15, "growth": 0.009, "foreign": 0.12}
        units.append(_make_unit(REST_UUSIMAA, seed, REST_UUSIMAA_SIZE, **rest))
        rest = {"rurality": 0.45, "growth": -0.001, "foreign": 0.06}
        units.append(_make_unit(REST_FINLAND, seed, rest_fi, **rest))
        self.units = units
        self.unit_index = {u.code: i for i, u in enumerate(units)}
        self.years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
        self.cube = np.stack([_unit_cube(u, self.years) for u in units])  # (U, 101, 2, Y)
        self.areas = self._build_areas()

    def _init_country(self, seed: int) -> None:
        from tests.fakes import national

        key = national.load()
        self.municipalities = [f"KU{c}" for c in key.municipalities]
        self.names = {f"KU{c}": m.name_fi for c, m in key.municipalities.items()}
        # Regional centres without a size hint get 40 000–130 000 people (Oulu stays largest).
        centres = {f"KU{c}" for c in national.SEEDS.values()} - set(_SIZE_HINTS)
        sizes = {
            c: 40_000 + 90_000 * zlib.crc32(f"{seed}:centre:{c}".encode()) / 2**32 for c in centres
        }
        self.units = [_make_unit(c, seed, sizes.get(c)) for c in self.municipalities]
        self.unit_index = {u.code: i for i, u in enumerate(self.units)}
        self.years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
        self.cube = np.stack([_unit_cube(u, self.years) for u in self.units])
        areas = [Area("SSS", "KOKO MAA", np.arange(len(self.units)))]
        for prefix, level in (("MK", "maakunta"), ("SK", "seutukunta")):
            for code, (fi, _sv, _en) in key.names(level).items():
                members = [self.unit_index[f"KU{c}"] for c in key.members(level, code)]
                areas.append(Area(f"{prefix}{code}", fi, np.array(members, dtype=int)))
        areas += [Area(c, self.names[c], np.array([i])) for c, i in self.unit_index.items()]
        self.areas = {a.code: a for a in areas if a.members.size}

    # -- areas -------------------------------------------------------------------------------
    def _build_areas(self) -> dict[str, Area]:
        def area(code: str, name: str, member_codes: Iterable[str]) -> Area:
            idx = [self.unit_index[c] for c in member_codes if c in self.unit_index]
            return Area(code, name, np.array(idx, dtype=int))

        present_pp = [c for c in self.municipalities if c in PP_MUNICIPALITIES]
        areas = [
            area("SSS", "KOKO MAA", self.unit_index),
            area("MK01", "Uusimaa", ["KU091", REST_UUSIMAA]),
            area("MK17", "Pohjois-Pohjanmaa", present_pp),
        ]
        areas += [area(code, name, members) for code, (name, members) in SUBREGIONS.items()]
        areas += [area(c, self.names[c], [c]) for c in self.municipalities]
        return {a.code: a for a in areas if a.members.size}

    def area_codes(self, kinds: Sequence[str]) -> list[str]:
        """Area codes of the given kinds ('SSS', 'MK', 'SK', 'KU') in table order."""
        return [c for kind in kinds for c in self.areas if _area_kind(c) == kind]

    def aggregate(self, area_codes: Sequence[str], per_unit: np.ndarray) -> np.ndarray:
        """Sum a per-unit array (units on axis 0) over each area's members."""
        return np.stack([per_unit[self.areas[c].members].sum(axis=0) for c in area_codes])

    def year_slice(self, first: int, last: int) -> slice:
        return slice(first - FIRST_YEAR, last - FIRST_YEAR + 1)

    def unit_param(self, name: str) -> np.ndarray:
        return np.array([getattr(u, name) for u in self.units], dtype=float)

    # -- derived per-unit series (used by the tables and by the truth helpers) ---------------
    def foreign_speakers(self) -> np.ndarray:
        """Foreign-language speakers per unit and year (U, Y): a share that grew over time."""
        totals = self.cube.sum(axis=(1, 2))
        trend = np.exp(0.07 * (self.years - LAST_YEAR))
        return np.rint(totals * self.unit_param("foreign")[:, None] * trend[None, :])

    def foreign(self, area: str, year: int) -> int:
        """Exact number of foreign-language speakers behind 11ra ``vaesto_kieli_ulk_p``."""
        return int(self.foreign_speakers()[self.areas[area].members, year - FIRST_YEAR].sum())

    def population(
        self,
        area: str,
        year: int,
        age_from: int = 0,
        age_to: int = 100,
        sex: int | str | None = None,
    ) -> int:
        """Exact population of any area (SSS, MK, SK, KU) on 31.12. of ``year``."""
        sexes = slice(None) if sex in (None, "SSS") else slice(int(sex) - 1, int(sex))
        block = self.cube[self.areas[area].members, age_from : age_to + 1, sexes, year - FIRST_YEAR]
        return int(block.sum())


# --------------------------------------------------------------------------------------------
# Tables: metadata, dense values and suppression
# --------------------------------------------------------------------------------------------


@dataclass
class Variable:
    """One PxWeb variable; ``key`` is stable while ``code`` and value codes may be renamed."""

    key: str
    code: str
    text: str
    values: list[str]
    texts: list[str]
    elimination: bool = False
    time: bool = False
    units: list[tuple[str, int]] | None = None  # (base, decimals) per value; contents only
    original: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.original = list(self.values)

    def position(self, code: str) -> int | None:
        """Index of a value by its current (or original) code."""
        for codes in (self.values, self.original):
            if code in codes:
                return codes.index(code)
        return None

    def metadata(self) -> dict:
        meta = {
            "code": self.code,
            "text": self.text,
            "values": self.values,
            "valueTexts": self.texts,
        }
        if self.elimination:
            meta["elimination"] = True
        if self.time:
            meta["time"] = True
        return meta


@dataclass(frozen=True)
class Suppression:
    """Cells hidden from the publication; keys not given mean every value."""

    coords: dict[str, tuple[str, ...]]
    symbol: str


@dataclass
class Table:
    """A StatFin table: navigation data, variables and lazily built dense values."""

    id: str
    level: str
    listing: str
    contents_title: str
    subject: str
    updated: str
    note: list[str]
    variables: list[Variable]
    builder: Callable[[], np.ndarray]
    suppressions: list[Suppression] = field(default_factory=list)
    _values: np.ndarray | None = None
    status: dict[tuple[int, ...], str] = field(default_factory=dict)
    hidden: dict[tuple[int, ...], float] = field(default_factory=dict)

    @property
    def decimals(self) -> int:
        return max(d for v in self.variables if v.units for _, d in v.units)

    def title(self, variables: Sequence[Variable] | None = None) -> str:
        texts = [v.text for v in variables or self.variables]
        return f"{self.contents_title} muuttujina {_join_fi(texts)}"

    def variable(self, key: str) -> Variable:
        for var in self.variables:
            if var.key == key:
                return var
        raise KeyError(f"table {self.id} has no variable {key!r}")

    @property
    def values(self) -> np.ndarray:
        """Dense float array in metadata variable order; NaN marks a null (suppressed) cell."""
        if self._values is None:
            self._values = self.builder().astype(float)
            for sup in self.suppressions:
                for index in self.indices(sup.coords):
                    self.set_cell(index, None, sup.symbol)
        return self._values

    def indices(self, coords: Mapping[str, str | Sequence[str]]) -> Iterable[tuple[int, ...]]:
        """Every dense index matching ``coords``; unknown value codes are skipped."""
        axes = []
        for var in self.variables:
            wanted = coords.get(var.key)
            if wanted is None:
                axes.append(range(len(var.values)))
                continue
            codes = [wanted] if isinstance(wanted, str) else wanted
            axes.append([p for p in map(var.position, codes) if p is not None])
        return itertools.product(*axes)

    def index(self, coords: Mapping[str, str]) -> tuple[int, ...]:
        """Dense index of one cell; a missing variable means its SSS total (or its only value)."""
        index = []
        for var in self.variables:
            code = coords.get(var.key, "SSS" if len(var.values) > 1 else var.values[0])
            pos = var.position(code)
            if pos is None:
                raise KeyError(f"{self.id}: {var.key}={code!r} is not a value")
            index.append(pos)
        return tuple(index)

    def set_cell(self, index: tuple[int, ...], value: float | None, status: str | None) -> None:
        values = self.values
        if value is None and index not in self.hidden and not np.isnan(values[index]):
            self.hidden[index] = float(values[index])
        if value is not None:
            self.hidden.pop(index, None)
        values[index] = np.nan if value is None else value
        if status is None:
            self.status.pop(index, None)
        else:
            self.status[index] = status


def _join_fi(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} ja {words[-1]}"


def _pct(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Share in percent with one decimal, NaN where the base is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, np.round(100.0 * part / whole, 1), np.nan)


def _with_total(array: np.ndarray, axis: int) -> np.ndarray:
    """Prepend the SSS total along ``axis`` (sums of integers stay exact)."""
    return np.concatenate([array.sum(axis=axis, keepdims=True), array], axis=axis)


# -- variable factories ------------------------------------------------------------------------

_SEX = (["SSS", "1", "2"], ["Yhteensä", "Miehet", "Naiset"])
EDU_AGE_GROUPS = [(a, a + 4) for a in range(15, 75, 5)] + [(75, 100)]


def _area_var(model: PopulationModel, code: str, text: str, kinds: Sequence[str]) -> Variable:
    codes = model.area_codes(kinds)
    return Variable("area", code, text, codes, [model.areas[c].name for c in codes])


def _year_var(first: int, last: int) -> Variable:
    years = [str(y) for y in range(first, last + 1)]
    return Variable("year", "timeperiod_y", "Vuosi", years, years, time=True)


def _month_var(first: str, last: str) -> Variable:
    (y0, m0), (y1, m1) = (map(int, s.split("M")) for s in (first, last))
    months = [f"{y}M{m:02d}" for y in range(y0, y1 + 1) for m in range(1, 13)]
    months = months[m0 - 1 : len(months) - (12 - m1)]
    return Variable("month", "timeperiod_m", "Kuukausi", months, months, time=True)


def _sex_var() -> Variable:
    return Variable("sex", "sukupuoli_9_20180101", "Sukupuoli", *_SEX, elimination=True)


def _content_var(contents: Sequence[tuple[str, str, str, int]]) -> Variable:
    """contents: (code, label, unit base, decimals)."""
    return Variable(
        "content",
        "contentscode",
        "Tiedot",
        [c[0] for c in contents],
        [c[1] for c in contents],
        units=[(c[2], c[3]) for c in contents],
    )


# -- builders: one per table, each returning the dense array in metadata variable order -------


def _build_11ra(model: PopulationModel, areas: list[str], first: int, last: int) -> np.ndarray:
    """11ra (area, year, content): totals are sums; shares are ratios of the summed counts."""
    ys = model.year_slice(first, last)
    cube = model.cube[..., ys]
    per_unit = np.stack(
        [cube.sum(axis=(1, 2)), cube[:, 65:].sum(axis=(1, 2)), model.foreign_speakers()[:, ys]],
        axis=-1,
    ).astype(float)
    pop, old, foreign = np.moveaxis(model.aggregate(areas, per_unit), -1, 0)  # each (R, Y)
    return np.stack([pop, _pct(old, pop), _pct(foreign, pop)], axis=-1)


def _build_11re(model: PopulationModel, areas: list[str]) -> np.ndarray:
    """11re (area, age, sex, year, content): the cube itself plus SSS totals on every axis."""
    per_unit = _with_total(_with_total(model.cube, axis=1), axis=2)  # (U, 102, 3, Y)
    return model.aggregate(areas, per_unit)[..., None]


def _education_counts(model: PopulationModel, first: int, last: int) -> np.ndarray:
    """(U, group, sex, Y, 3) integer counts: population 15+, no qualification, tertiary."""
    ys = model.year_slice(first, last)
    pop = np.stack([model.cube[:, a : b + 1, :, ys].sum(axis=1) for a, b in EDU_AGE_GROUPS], 1)
    t = (model.years[ys] - LAST_YEAR)[None, None, None, :]
    r = model.unit_param("rurality")[:, None, None, None]
    tert_age = np.array(
        [0.0, 0.10, 0.38, 0.50, 0.52, 0.50, 0.45, 0.40, 0.35, 0.32, 0.28, 0.22, 0.12]
    )
    none_age = np.array(
        [0.92, 0.22, 0.14, 0.11, 0.10, 0.11, 0.13, 0.16, 0.19, 0.22, 0.28, 0.38, 0.55]
    )
    sex_tert = np.array([0.85, 1.2])[None, None, :, None]
    tertiary = tert_age[None, :, None, None] * sex_tert * (1.2 - 0.45 * r) * np.exp(0.012 * t)
    tertiary = np.minimum(tertiary, 0.85)
    none = none_age[None, :, None, None] * (0.85 + 0.35 * r) * np.exp(-0.015 * t)
    none = np.minimum(none, 0.98 - tertiary)
    return np.stack([pop, np.rint(pop * none), np.rint(pop * tertiary)], axis=-1)


def _build_12bs(model: PopulationModel, areas: list[str], first: int, last: int) -> np.ndarray:
    """12bs (year, area, age group, sex, content): counts summed first, shares computed last."""
    counts = _with_total(_with_total(_education_counts(model, first, last), 1), 2)
    pop, none, tertiary = np.moveaxis(model.aggregate(areas, counts), -1, 0)  # (R, G, S, Y)
    dense = np.stack([pop, none, _pct(none, pop), tertiary, _pct(tertiary, pop)], axis=-1)
    return np.moveaxis(dense, 3, 0)  # (Y, R, G, S, C)


def _build_14ww(model: PopulationModel, areas: list[str], first: int, last: int) -> np.ndarray:
    """14ww (area, year, content): aggregate medians are person-weighted means (plausible only)."""
    ys = model.year_slice(first, last)
    t = (model.years[ys] - 2024)[None, :]
    r = model.unit_param("rurality")[:, None]
    persons = np.rint(model.cube[..., ys].sum(axis=(1, 2)) * (0.985 - 0.012 * r))
    dip = 1 - 0.02 * np.exp(-(((model.years[ys] - 2009) / 1.5) ** 2))
    median = np.rint(model.unit_param("income")[:, None] * np.exp(0.021 * t) * dip[None, :])
    poor = np.rint(persons * model.unit_param("poverty")[:, None] * (1 + 0.004 * t))
    sums = model.aggregate(areas, np.stack([persons, median * persons, poor], axis=-1))
    persons, weighted, poor = np.moveaxis(sums, -1, 0)
    agg_median = np.where(persons > 0, np.rint(weighted / np.maximum(persons, 1)), np.nan)
    return np.stack([persons, agg_median, poor, _pct(poor, persons)], axis=-1)


def _build_12r5(model: PopulationModel, areas: list[str], months: list[str]) -> np.ndarray:
    """12r5 (area, month, content): unemployment with a 2020 bump, a 2024 rise and a July peak."""
    year = np.array([int(m[:4]) for m in months])
    month = np.array([int(m[5:]) for m in months])
    frac = year + (month - 1) / 12
    working_age = model.cube[:, 15:65].sum(axis=(1, 2))  # (U, Y)
    # the register labour force is annual; 2026 months reuse the last year on file
    annual = working_age[:, np.minimum(year, LAST_YEAR) - FIRST_YEAR]
    labour = np.rint(annual * model.unit_param("lf_ratio")[:, None])
    covid = 0.45 * np.exp(-(((frac - 2020.5) / 0.45) ** 2))
    cycle = 1 + covid + 0.3 * _sigmoid((frac - 2024) / 0.5)
    summer = 0.10 * np.exp(-(((month - 7) / 0.8) ** 2))
    season = 1 + 0.08 * np.cos(2 * np.pi * (month - 1) / 12) + summer
    rate = model.unit_param("unemployment")[:, None] * (cycle * season)[None, :]
    unemployed = np.rint(labour * rate)
    sums = model.aggregate(areas, np.stack([labour, unemployed], axis=-1))
    labour, unemployed = np.moveaxis(sums, -1, 0)
    return np.stack([labour, unemployed, _pct(unemployed, labour)], axis=-1)


#: The seven sutivi age groups (codes 1…7 as in the real 13ud; the labels are [I]).
SUTIVI_AGES = [(16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 89)]
#: Synthetic "used in 2013" levels shaped like research/method.md §1.2 (not those figures).
_SUTIVI_BASE = np.array([99.6, 99.4, 98.8, 96.5, 84.0, 64.0, 26.0])
_SUTIVI_CATCH_UP = np.array([0.30, 0.25, 0.20, 0.12, 0.11, 0.075, 0.052])
SUTIVI_FIRST, SUTIVI_LAST = 2013, 2025


def _build_sutivi(with_respondents: bool) -> np.ndarray:
    """sutivi (sex, age group, year, content): % users rise toward 100, fastest for the young.

    The oldest group reaches about 55–60 % by the 2020s and men lead women among the old,
    as in the real series; every number is SYNTHETIC. Whole per cents, as published.
    """
    t = np.arange(SUTIVI_FIRST, SUTIVI_LAST + 1) - SUTIVI_FIRST
    gap = (100 - _SUTIVI_BASE)[:, None] * np.exp(-_SUTIVI_CATCH_UP[:, None] * t[None, :])
    total = 100 - gap  # (age, year)
    lead = np.array([0, 0, 0, 0.5, 1.0, 2.0, 4.0])[:, None]
    by_sex = np.stack([total, np.minimum(total + lead, 100), total - lead])  # SSS, men, women
    used = np.rint(by_sex)
    banking = np.rint(np.minimum(used * 0.93, 99))
    contents = [used, banking]
    if with_respondents:
        base = np.array([420, 430, 480, 520, 560, 600, 380])[None, :, None]
        share = np.array([1.0, 0.49, 0.51])[:, None, None]
        contents.append(np.rint(base * share * np.ones_like(used)))
    return np.stack(contents, axis=-1)


# -- the catalogue ---------------------------------------------------------------------------

LEVELS = {
    "vaerak": "Väestörakenne",
    "vkour": "Väestön koulutusrakenne",
    "tjt": "Tulonjakotilasto",
    "tyonv": "Työnvälitystilasto",
    "sutivi": "Väestön tieto- ja viestintätekniikan käyttö",
}

_AGE_1Y = (
    ["SSS"] + [f"{a:03d}" for a in range(100)] + ["100-"],
    ["Yhteensä"] + [str(a) for a in range(100)] + ["100 -"],
)
_AGE_EDU = (
    ["SSS"] + [f"{a}-{b}" for a, b in EDU_AGE_GROUPS[:-1]] + ["75-"],
    ["Yhteensä"] + [f"{a} - {b}" for a, b in EDU_AGE_GROUPS[:-1]] + ["75 -"],
)


POPULATION = ("vaerak-vaesto", "Väestö 31.12.", "henkilöä", 0)
CONTENTS_11RA = [
    POPULATION,
    ("vaesto_yli64_p", "65 vuotta täyttäneiden osuus, %", "%", 1),
    ("vaesto_kieli_ulk_p", "Vieraskielisten osuus väestöstä, %", "%", 1),
]
CONTENTS_12BS = [
    ("vaesto_15_", "15 vuotta täyttänyt väestö", "henkilöä", 0),
    ("kaste0", "Ei perusasteen jälkeistä tutkintoa", "henkilöä", 0),
    ("kaste0osuus", "Ei perusasteen jälkeistä tutkintoa, %", "%", 1),
    ("kaste5T8", "Korkea-asteen tutkinto", "henkilöä", 0),
    ("kaste5T8osuus", "Korkea-asteen tutkinto, %", "%", 1),
]
CONTENTS_14WW = [
    ("tjt-henkiloita", "Henkilöitä, asuntoväestö", "henkilöä", 0),
    ("tjt-ekvikturaha_med", "Ekvivalentit käytettävissä olevat rahatulot, mediaani", "euroa", 0),
    ("rpt_henkilo", "Pienituloisiin kotitalouksiin kuuluvat henkilöt", "henkilöä", 0),
    ("rpt_aste", "Pienituloisuusaste, %", "%", 1),
]
CONTENTS_12R5 = [
    ("TYOVOIMATK", "Työvoima", "henkilöä", 0),
    ("TYOTTOMATLOPUSSA", "Työttömät työnhakijat kuukauden lopussa", "henkilöä", 0),
    ("TYOTOSUUS", "Työttömien osuus työvoimasta, %", "%", 1),
]


CONTENTS_SUTIVI = [
    ("iu3", "Käyttänyt internetiä viimeisten 3 kuukauden aikana, %", "%", 0),
    ("iubk", "Käyttänyt verkkopankkia viimeisten 3 kuukauden aikana, %", "%", 0),
]
RESPONDENTS_SUTIVI = ("vastaajat", "Vastaajien lukumäärä", "henkilöä", 0)


def _sutivi_table(with_respondents: bool) -> Table:
    """The national ICT-use table: Sukupuoli, Ikä (codes 1…7), Vuosi, Tiedot, no area."""
    ages = [str(i + 1) for i in range(len(SUTIVI_AGES))]
    labels = [f"{lo}-{hi}" for lo, hi in SUTIVI_AGES]
    years = [str(y) for y in range(SUTIVI_FIRST, SUTIVI_LAST + 1)]
    contents = CONTENTS_SUTIVI + ([RESPONDENTS_SUTIVI] if with_respondents else [])
    return Table(
        id="13ud",
        level="sutivi",
        listing="Internetin käyttö ja käyttötarkoitukset ikäryhmittäin ja sukupuolen mukaan, "
        f"{SUTIVI_FIRST}-{SUTIVI_LAST}",
        contents_title="Väestön tieto- ja viestintätekniikan käyttö",
        subject="väestön tieto- ja viestintätekniikan käyttö",
        updated="2025-11-20T08:00:00",
        note=["16-89-vuotias väestö. SYNTEETTINEN testiaineisto."],
        variables=[
            Variable("sex", "Sukupuoli", "Sukupuoli", *_SEX, elimination=True),
            Variable("age", "Ikä", "Ikä", ages, labels),
            Variable("year", "Vuosi", "Vuosi", years, years, time=True),
            Variable(
                "content",
                "Tiedot",
                "Tiedot",
                [c[0] for c in contents],
                [c[1] for c in contents],
                units=[(c[2], c[3]) for c in contents],
            ),
        ],
        builder=lambda: _build_sutivi(with_respondents),
    )


def _catalogue(model: PopulationModel, sutivi_respondents: bool = False) -> list[Table]:
    """All fake tables, each wired to a builder over the shared population model."""
    area_2026 = "alue_23_20260101"
    a11ra = _area_var(model, area_2026, "Alue 2026", ("SSS", "MK", "SK", "KU"))
    a11re = _area_var(model, area_2026, "Alue 2026", ("SSS", "KU"))
    a12bs = _area_var(model, area_2026, "Alue 2026", ("SSS", "MK", "KU"))
    a14ww = _area_var(model, "alue_23_20250101", "Alue 2025", ("SSS", "MK", "SK", "KU"))
    a12r5 = _area_var(model, "Alue", "Alue", ("SSS", "MK", "KU"))
    m12r5 = _month_var("2019M01", "2026M08")
    return [
        Table(
            id="11ra",
            level="vaerak",
            listing="Tunnuslukuja väestöstä alueittain, 1990-2025",
            contents_title="Tunnuslukuja väestöstä alueittain",
            subject="väestörakenne",
            updated="2026-07-01T18:34:16",
            note=["Aluejako 1.1.2026."],
            variables=[a11ra, _year_var(1990, 2025), _content_var(CONTENTS_11RA)],
            builder=lambda: _build_11ra(model, a11ra.original, 1990, 2025),
        ),
        Table(
            id="11re",
            level="vaerak",
            listing="Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 1972-2025",
            contents_title="Väestö 31.12.",
            subject="väestörakenne",
            updated="2026-05-29T08:00:00",
            note=["Aluejako 1.1.2026."],
            variables=[
                a11re,
                Variable("age", "ikaryhma_10_20180101", "Ikä", *_AGE_1Y, elimination=True),
                _sex_var(),
                _year_var(1972, 2025),
                _content_var([POPULATION]),
            ],
            builder=lambda: _build_11re(model, a11re.original),
        ),
        Table(
            id="12bs",
            level="vkour",
            listing="15 vuotta täyttänyt väestö koulutusasteen, kunnan, sukupuolen ja ikäryhmän "
            "mukaan, 2007-2025",
            contents_title="15 vuotta täyttänyt väestö",
            subject="väestön koulutusrakenne",
            updated="2026-06-10T08:00:00",
            note=["Koulutusaste ISCED 2011 -luokituksen mukaan."],
            variables=[
                _year_var(2007, 2025),
                a12bs,
                Variable("age", "ikaryhma_10_20180101", "Ikä", *_AGE_EDU, elimination=True),
                _sex_var(),
                _content_var(CONTENTS_12BS),
            ],
            builder=lambda: _build_12bs(model, a12bs.original, 2007, 2025),
            suppressions=[
                _suppress(("KU483", "KU630"), ("2012",), ("kaste5T8", "kaste5T8osuus"), "..")
            ],
        ),
        Table(
            id="14ww",
            level="tjt",
            listing="Tulonsaajien mediaanitulot ja pienituloisuus alueittain, 1995-2024",
            contents_title="Tulonjakotilaston tunnuslukuja",
            subject="tulonjakotilasto",
            updated="2026-06-08T08:00:00",
            note=["Pienituloisuusraja on 60 % ekvivalenttien rahatulojen mediaanista."],
            variables=[a14ww, _year_var(1995, 2024), _content_var(CONTENTS_14WW)],
            builder=lambda: _build_14ww(model, a14ww.original, 1995, 2024),
            suppressions=[
                _suppress(("KU072",), ("2023", "2024"), ("rpt_henkilo", "rpt_aste"), "...")
            ],
        ),
        Table(
            id="12r5",
            level="tyonv",
            listing="Työvoima ja työttömät työnhakijat kuukauden lopussa alueittain, "
            "2019M01-2026M08",
            contents_title="Työnvälitystilaston tunnuslukuja",
            subject="työnvälitystilasto",
            updated="2026-09-23T08:00:00",
            note=["Työvoima työssäkäyntitilaston mukaan."],
            variables=[a12r5, m12r5, _content_var(CONTENTS_12R5)],
            builder=lambda: _build_12r5(model, a12r5.original, m12r5.original),
        ),
        _sutivi_table(sutivi_respondents),
    ]


def _suppress(
    areas: tuple[str, ...], years: tuple[str, ...], contents: tuple[str, ...], symbol: str
) -> Suppression:
    """Hide these area/year/content cells (every age and sex) as StatFin does for small counts."""
    return Suppression({"area": areas, "year": years, "content": contents}, symbol)


# --------------------------------------------------------------------------------------------
# Query engine (POST on a table)
# --------------------------------------------------------------------------------------------


class BadRequest(Exception):
    """Any malformed query: StatFin answers a plain-text 400."""


class TooManyCells(Exception):
    """Selection over the cell limit: StatFin answers an IIS HTML 403."""


def _filter_item(var: Variable, values: list[str]) -> list[int]:
    positions = [var.values.index(v) if v in var.values else None for v in values]
    if None in positions:
        raise BadRequest(f"unknown value for {var.code}")
    return positions


def _filter_all(var: Variable, patterns: list[str]) -> list[int]:
    return [i for i, v in enumerate(var.values) if any(fnmatchcase(v, p) for p in patterns)]


def _filter_top(var: Variable, values: list[str]) -> list[int]:
    """The N latest values of a time variable (the N first of any other)."""
    if len(values) != 1 or not values[0].isdigit() or int(values[0]) < 1:
        raise BadRequest("top needs one positive count")
    n = min(int(values[0]), len(var.values))
    return list(range(len(var.values) - n, len(var.values))) if var.time else list(range(n))


_FILTERS: dict[str, Callable[[Variable, list[str]], list[int]]] = {
    "item": _filter_item,
    "all": _filter_all,
    "top": _filter_top,
}


def _selections(table: Table, body: object) -> tuple[list[list[int]], list[Variable]]:
    """Selected positions per variable (metadata order) and the variables kept in the result."""
    if not isinstance(body, dict) or not isinstance(body.get("query", []), list):
        raise BadRequest("body must be a JSON object with a query list")
    response = body.get("response") or {}
    if str(response.get("format", "json-stat2")).lower() != "json-stat2":
        raise BadRequest("unsupported format")
    by_code = {v.code: v for v in table.variables}
    chosen: dict[str, list[int]] = {}
    for item in body.get("query", []):
        var = by_code.get(item.get("code")) if isinstance(item, dict) else None
        selection = item.get("selection") if var else None
        if var is None or var.key in chosen or not isinstance(selection, dict):
            raise BadRequest("unknown or repeated variable")
        values = selection.get("values")
        handler = _FILTERS.get(selection.get("filter"))
        if handler is None or not isinstance(values, list):
            raise BadRequest("unsupported filter")
        positions = sorted(set(handler(var, [str(v) for v in values])))
        if not positions:
            raise BadRequest("empty selection")
        chosen[var.key] = positions
    selections, kept = [], []
    for var in table.variables:
        if var.key in chosen or not var.elimination:
            selections.append(chosen.get(var.key, list(range(len(var.values)))))
            kept.append(var)
        else:
            selections.append([var.values.index("SSS")])
    return selections, kept


def _json_number(v: float) -> float | int | None:
    if v != v:  # NaN
        return None
    return int(v) if v.is_integer() else v


def _dimension(var: Variable, positions: list[int]) -> dict:
    category = {
        "index": {var.values[p]: i for i, p in enumerate(positions)},
        "label": {var.values[p]: var.texts[p] for p in positions},
    }
    if var.units:
        category["unit"] = {
            var.values[p]: {"base": var.units[p][0], "decimals": var.units[p][1]} for p in positions
        }
    return {"label": var.text, "category": category, "extension": {"show": "value"}}


def _status(table: Table, selections: list[list[int]]) -> dict[str, str]:
    where = [{p: i for i, p in enumerate(sel)} for sel in selections]
    sizes = [len(sel) for sel in selections]
    found = {}
    for index, symbol in table.status.items():
        pos = [w.get(i) for w, i in zip(where, index, strict=True)]
        if None not in pos:
            found[int(np.ravel_multi_index(pos, sizes))] = symbol
    return {str(k): found[k] for k in sorted(found)}


def build_dataset(table: Table, body: object, max_cells: int) -> dict:
    """Answer a v1 data query with json-stat2, enforcing the cell limit before building data."""
    selections, kept = _selections(table, body)
    if int(np.prod([len(s) for s in selections])) > max_cells:
        raise TooManyCells
    block = table.values[np.ix_(*selections)]
    positions = {var.key: sel for var, sel in zip(table.variables, selections, strict=True)}
    role = {"time": [v.code for v in kept if v.time], "metric": [v.code for v in kept if v.units]}
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "label": table.title(kept),
        "source": f"Tilastokeskus, {table.subject}",
        "updated": table.updated + "Z",
        "note": list(table.note),
        "role": {k: v for k, v in role.items() if v},
        "id": [v.code for v in kept],
        "size": [len(positions[v.key]) for v in kept],
        "dimension": {v.code: _dimension(v, positions[v.key]) for v in kept},
        "extension": {"px": {"tableid": table.id, "decimals": table.decimals}},
        "value": [_json_number(v) for v in block.ravel().tolist()],
    }
    status = _status(table, selections)
    if status:
        dataset["status"] = status
    return dataset


# --------------------------------------------------------------------------------------------
# HTTP layer
# --------------------------------------------------------------------------------------------

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
HTML_TYPE = "text/html"
LANGS = ("fi", "sv", "en")
RATE_LIMIT_BODY = {
    "error": "429 - Too many requests in too short timeframe. Please try again later."
}


def _iis_page(title: str, detail: str) -> bytes:
    """A small IIS-style error page, the shape StatFin's front end returns for 403/500/503."""
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\r\n<head>\r\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>\r\n'
        f"<title>{title}</title>\r\n</head>\r\n<body>\r\n"
        '<div id="header"><h1>Server Error</h1></div>\r\n'
        f'<div id="content">\r\n <div class="content-container"><fieldset>\r\n'
        f"  <h2>{title}</h2>\r\n  <h3>{detail}</h3>\r\n </fieldset></div>\r\n</div>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode("latin-1")


PAGE_403 = _iis_page(
    "403 - Forbidden: Access is denied.",
    "You do not have permission to view this directory or page using the credentials that you "
    "supplied.",
)
PAGE_500 = _iis_page(
    "500 - Internal server error.",
    "There is a problem with the resource you are looking for, and it cannot be displayed.",
)
PAGE_503 = (
    b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">'
    b"\r\n<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n</HEAD><BODY><h2>Service Unavailable"
    b"</h2>\r\n<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n</BODY></HTML>\r\n"
)
PAGE_404 = _iis_page(
    "404 - File or directory not found.",
    "The resource you are looking for might have been removed, had its name changed, or is "
    "temporarily unavailable.",
)
PAGE_MAINTENANCE = (
    '<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>Huoltokatko'
    "</title></head>\n<body><h1>Palvelussa on huoltokatko</h1><p>Yritä myöhemmin uudelleen."
    "</p></body></html>\n"
).encode()


def _json(data: object, status: int = 200, **headers: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, JSON_TYPE, body, dict(headers))


def _bad_request() -> Response:
    return Response(400, TEXT_TYPE, b"Bad Request")


@dataclass
class RequestRecord:
    """One request as the fake saw it; ``status`` is 0 until answered (and for 'reset')."""

    time: float
    method: str
    path: str
    query: str
    body: object
    status: int = 0



# Failures that replace the answer outright ...
_FIXED_FAILURES: dict[str, Callable[[Injection], Response]] = {
    "429": lambda inj: _json(RATE_LIMIT_BODY, 429, **{"Retry-After": str(inj.retry_after)}),
    "403html": lambda inj: Response(403, HTML_TYPE, PAGE_403),
    "400": lambda inj: _bad_request(),
    "500": lambda inj: Response(500, HTML_TYPE, PAGE_500),
    "503": lambda inj: Response(503, HTML_TYPE, PAGE_503),
    "garbage": lambda inj: Response(200, "text/html; charset=utf-8", PAGE_MAINTENANCE),
    "reset": lambda inj: Response(0, "", b"", mode="reset"),
}
_WRAPPING_FAILURES = WRAPPING_FAILURES
INJECTION_KINDS = frozenset(_FIXED_FAILURES) | frozenset(_WRAPPING_FAILURES)


class _SlidingWindow:
    """PxWeb's RequestLimiter: every request is recorded, the (max+1)-th in the window fails."""

    def __init__(self, max_calls: int, window: float) -> None:
        self.max_calls, self.window = max_calls, window
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float) -> bool:
        with self._lock:
            calls = self._calls.setdefault(client, deque())
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            calls.append(now)
            return len(calls) <= self.max_calls

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()


_DATED_CODE = re.compile(r"_(\d{8})$")


class FakePxWeb(FakeServer):
    """The fake server. Use as a context manager; clients append ``/fi/...`` to ``base_url``."""

    url_path = "/PXWeb/api/v1"
    server_version = "Microsoft-IIS/10.0"
    accepts_post = True
    injection_kinds = INJECTION_KINDS
    text_type = TEXT_TYPE
    requests: list[RequestRecord]

    def __init__(
        self,
        *,
        max_calls: int = 40,
        time_window: float = 60,
        max_cells: int = 120_000,
        tables: Iterable[str] | None = None,
        area_codes: Sequence[str] | Mapping[str, str] | None = None,
        seed: int = _SEED,
        sutivi_respondents: bool = False,
        country: bool = False,
    ) -> None:
        """``sutivi_respondents`` adds a respondent-count content to the sutivi table (the
        real table is not known to have one). ``country`` serves the whole fake country of
        :mod:`tests.fakes.national` (see the module docstring); it excludes ``area_codes``."""
        super().__init__()
        self.max_calls, self.time_window, self.max_cells = max_calls, time_window, max_cells
        self.model = PopulationModel(area_codes, seed, country=country)
        wanted = None if tables is None else {_table_id(t) for t in tables}
        catalogue = _catalogue(self.model, sutivi_respondents)
        self.tables = {t.id: t for t in catalogue if wanted is None or t.id in wanted}
        self._kept_levels: set[str] = set()
        self._limiter = _SlidingWindow(max_calls, time_window)

    # -- inspection --------------------------------------------------------------------------
    def data_requests(self) -> list[RequestRecord]:
        """POSTs only: the calls that fetched data."""
        with self._lock:
            return [r for r in self.requests if r.method == "POST"]

    def reset_rate_limit(self) -> None:
        self._limiter.reset()

    def table(self, table: str) -> Table:
        return self.tables[_table_id(table)]

    def truth(self, table: str, coords: Mapping[str, str], *, published: bool = True):
        """The exact number behind one cell, as the API serves it.

        ``coords`` is keyed by the stable variable key (area, age, sex, year, month, content);
        values are current or original codes; a missing key means its SSS total. With
        ``published=True`` a suppressed cell gives None; ``published=False`` gives the hidden
        value that the aggregates still include.
        """
        with self._lock:
            tab = self.table(table)
            index = tab.index(coords)
            value = _json_number(float(tab.values[index]))
            if value is None and not published:
                return _json_number(tab.hidden.get(index, float("nan")))
            return value

    def truth_status(self, table: str, coords: Mapping[str, str]) -> str | None:
        with self._lock:
            tab = self.table(table)
            tab.values  # noqa: B018 - build, so that suppressions are applied
            return tab.status.get(tab.index(coords))

    def population(
        self,
        area: str,
        year: int,
        age_from: int = 0,
        age_to: int = 100,
        sex: int | str | None = None,
    ) -> int:
        """Exact population from the cube; see :meth:`PopulationModel.population`."""
        return self.model.population(area, year, age_from, age_to, sex)

    # -- scenario controls -------------------------------------------------------------------
    def inject(
        self,
        kind: str,
        *,
        path_contains: str = "",
        method: str | None = None,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 3.0,
    ) -> None:
        """Queue a failure for the next ``times`` matching requests (after the rate limiter)."""
        self._queue(Injection(kind, times, delay, path_contains, method, retry_after))

    def rename_variable_codes(self, new_date: str = "20270101") -> None:
        """Re-date every ``*_YYYYMMDD`` variable code, as StatFin does with new area divisions."""
        with self._lock:
            for tab in self.tables.values():
                for var in tab.variables:
                    var.code = _DATED_CODE.sub(f"_{new_date}", var.code)

    def set_content_prefix(self, table: str, old: str, new: str) -> None:
        """Rename content codes starting with ``old`` (e.g. vaerak-vaesto -> vaerak2-vaesto)."""
        with self._lock:
            var = self.table(table).variable("content")
            hits = [i for i, c in enumerate(var.values) if c.startswith(old)]
            if not hits:
                raise KeyError(f"no content code starts with {old!r}")
            for i in hits:
                var.values[i] = new + var.values[i][len(old) :]

    def set_updated(self, table: str, iso: str) -> None:
        with self._lock:
            self.table(table).updated = iso.removesuffix("Z")

    def rename_table(self, table: str, new_id: str, *, listing: str | None = None) -> None:
        """Serve a table under a new id (and optionally a new listing title), as StatFin did
        in June 2026; the old id then answers 400 like any unknown table."""
        with self._lock:
            tab = self.tables.pop(_table_id(table))
            tab.id = _table_id(new_id)
            if listing is not None:
                tab.listing = listing
            self.tables[tab.id] = tab

    def drop_table(self, table: str) -> None:
        """Remove a table from its folder listing and from the service (the folder stays)."""
        with self._lock:
            self._kept_levels.add(self.tables.pop(_table_id(table)).level)

    def set_value(
        self, table: str, coords: Mapping[str, str], value: float | None, status: str | None = None
    ) -> None:
        """Override one published cell; aggregates are NOT recomputed."""
        with self._lock:
            tab = self.table(table)
            tab.set_cell(tab.index(coords), value, status)

    # -- request handling --------------------------------------------------------------------
    def _handle(self, request: Incoming) -> Response:
        """Record, rate-limit (first, like PxWeb), apply injections, then answer."""
        method, body = request.method, request.body
        split = urlsplit(request.path)
        record = RequestRecord(
            time.monotonic(), method, unquote(split.path), split.query, _parse_json(body)
        )

        def normal() -> Response:
            return self._route(method, record.path, split.query, record.body, body)

        def answer() -> Response:
            if not self._limiter.allow(request.client, record.time):
                retry_after = str(int(self.time_window))
                return _json(RATE_LIMIT_BODY, 429, **{"Retry-After": retry_after})
            injection = self._take_injection(method, record.path)
            if injection is None:
                return normal()
            return apply_injection(injection, normal, _FIXED_FAILURES, _WRAPPING_FAILURES)

        return self._answer_logged(record, answer)

    def _route(self, method: str, path: str, query: str, body: object, raw: bytes) -> Response:
        prefix = "/pxweb/api/v1"
        if not (path.lower() + "/").startswith(prefix + "/"):
            return Response(404, HTML_TYPE, PAGE_404)
        parts = [p for p in path[len(prefix) :].split("/") if p]
        if not parts or parts[0] not in LANGS:
            return _bad_request()
        if "config" in parse_qs(query, keep_blank_values=True) and method == "GET":
            return _json(self._config())
        with self._lock:
            return self._route_database(method, parts[1:], body, raw)

    def _config(self) -> dict:
        return {
            "maxValues": self.max_cells,
            "maxCells": self.max_cells,
            "maxCalls": self.max_calls,
            "timeWindow": self.time_window,
            "CORS": True,
        }

    def _route_database(self, method: str, parts: list[str], body: object, raw: bytes) -> Response:
        if not parts:
            databases = [{"dbid": "StatFin", "text": "StatFin"}]
            return _json(databases) if method == "GET" else _bad_request()
        if parts[0].lower() != "statfin" or len(parts) > 3:
            return _bad_request()
        levels = self._levels()
        if len(parts) == 1:
            listing = [{"id": lv, "type": "l", "text": LEVELS[lv]} for lv in levels]
            return _json(listing) if method == "GET" else _bad_request()
        level, name = (None, parts[1]) if len(parts) == 2 else (parts[1], parts[2])
        if level is None and name in levels:
            return self._level_listing(name) if method == "GET" else _bad_request()
        tab = self._find_table(name, level)
        if tab is None:
            return _bad_request()
        if method == "GET":
            return _json({"title": tab.title(), "variables": [v.metadata() for v in tab.variables]})
        if body is None and raw.strip():
            return _bad_request()
        return self._data(tab, body if body is not None else {})

    def _levels(self) -> list[str]:
        present = {t.level for t in self.tables.values()} | self._kept_levels
        return [lv for lv in LEVELS if lv in present]

    def _level_listing(self, level: str) -> Response:
        return _json(
            [
                {
                    "id": f"{t.id}.px",
                    "type": "t",
                    "text": f"{t.id} -- {t.listing}",
                    "updated": t.updated,
                }
                for t in self.tables.values()
                if t.level == level
            ]
        )

    def _find_table(self, name: str, level: str | None) -> Table | None:
        if not name.lower().endswith(".px"):
            return None
        tab = self.tables.get(name[:-3].lower())
        if tab is None or (level is not None and level.lower() != tab.level):
            return None
        return tab

    def _data(self, tab: Table, body: object) -> Response:
        try:
            return _json(build_dataset(tab, body, self.max_cells))
        except BadRequest:
            return _bad_request()
        except TooManyCells:
            return Response(403, HTML_TYPE, PAGE_403)


def _table_id(table: str) -> str:
    return table.lower().removesuffix(".px")


def _parse_json(body: bytes) -> object:
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
