"""Modelled number and share of people who do not use the internet, per municipality.

Why a model: Statistics Finland's ICT-use survey (sutivi) is published for the whole
country only (by age, sex, education, activity and a four-class urbanicity grouping); it
has no municipal or regional breakdown. The digituki planners still need a municipal
picture, so this module applies the national age-specific rates to each municipality's own
age structure: the post-stratified *synthetic* estimator recommended in
``research/method.md`` §1.4 (ESSnet on Small Area Estimation guidelines, 2012). The
result is always labelled a modelled estimate (status ``e``) with an interval.

Estimator (age groups g = 16–24, 25–34, 35–44, 45–54, 55–64, 65–74, 75–89)::

    N_a = Σ_g P_ag · (1 − p_g)                 expected non-users in area a
    S_a = 100 · N_a / Σ_g P_ag                  share of non-users, %

``P_ag`` is the population of area a in group g; ``p_g`` the national share who used the
internet in the last 3 months (sutivi). For each population year the rates of the latest
sutivi year ≤ that year are used; the year used is written into the ``source`` text.

Interval — sampling error of the national rates only::

    Var(N_a) = deff · Σ_g P_ag² · p_g (1 − p_g) / n_g
    N_a ± z · √Var(N_a), clipped to [0, Σ_g P_ag];   S_a interval = that / Σ_g P_ag

with ``z`` the normal quantile of ``confidence`` (default 95 %). ``P_ag`` is a register
count and treated as exact.

* ``deff`` (design effect) defaults to **1.5** — an *assumption*: sutivi is a weighted
  sample with non-response, so its variance exceeds simple random sampling; no published
  design effect for this item was found in the research notes.
* ``n_g`` (respondents per age group) defaults to **3 273 / 7 ≈ 467.6** in every group:
  Statistics Finland reports n = 3 273 respondents (16–89) for "used the internet in the
  past 3 months" in 2024 (``research/pxweb.md`` §2.6; gross sample ≈ 4 750 there, 4 850
  in 2016 per ``research/method.md`` §1.1). No per-age n was found, so the total is spread
  *equally* — an assumption. Survey response is often lower among the oldest; if so, the
  75–89 n is smaller and its interval somewhat too narrow; pass ``default_n`` or an ``n``
  column in ``rates`` when better figures are known.
* Rates published as whole per cents (100 % for the young) carry zero variance here: the
  rounding hides a little non-use and a little uncertainty in those groups.

What the interval does **not** cover: model error. The estimator assumes that people of a
given age use the internet in this municipality exactly as same-age Finns on average
("homogeneity assumption"), ignoring education, income, language and rurality. That bias
may well exceed the sampling error; the interval is a floor of the uncertainty, not its
full extent. The rurality variant below is one way to show how much it may matter.

People aged 90+ are outside the survey (it covers 16–89). The ``*_16_89`` indicators never
include them. With ``over_89="as_75_89"`` (the **default**) a separate note is produced —
indicators ``nonusers_90plus`` / ``share_nonusers_90plus`` — applying the 75–89 rate to
them: a likely *under*-estimate, since use keeps falling with age. ``"exclude"`` leaves
them out entirely.

Rurality sensitivity variant (``rurality`` = area_code → Statistics Finland urban–rural
class 1 urban / 2 semi-urban / 3 rural): the odds of non-use in each age group are
multiplied by a class factor ``f``::

    q'_g = f (1 − p_g) / (p_g + f (1 − p_g))      (odds q'/(1−q') = f · (1−p_g)/p_g)

Default ``f`` = 1 for class 1 and (20/80)/(15/85) = 17/12 ≈ 1.417 for classes 2 and 3: in
sutivi 2013 (appendix table 7) 80 % of people in semi-urban/rural municipalities had used
the internet in the last 3 months against 85 % of all 16–89-year-olds. That gap is partly
an age effect (rural populations are older), which the age groups already capture, so the
variant probably overstates the rural effect: read it as a sensitivity check on the high
side, not as a better estimate. Its interval uses the
delta method (dq'/dp = −f / (p + f(1−p))²) and treats ``f`` as fixed. The variant's
indicator ids end in ``_rural_adj`` so both can be shown side by side.

Aggregates (sub-region, region, wellbeing county): N and P are summed over the member
municipalities by age group and the share is computed from the sums, never averaged.
Because every municipality uses the *same* national rates, their sampling errors are
perfectly correlated: the aggregate variance is ``deff · Σ_g (Σ_a P_ag)² p_g(1−p_g)/n_g``
(not a sum of municipal variances). An aggregate is produced only when all its members are
present for that year.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from .areas import AreaTable, areas, level_of
from .errors import AnalysisError
from .panel import COLUMNS as PANEL_COLUMNS

logger = logging.getLogger(__name__)

#: Age groups of the sutivi survey (inclusive bounds).
AGE_GROUPS: tuple[tuple[int, int], ...] = (
    (16, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 74),
    (75, 89),
)
GROUP_LABELS: tuple[str, ...] = tuple(f"{lo}-{hi}" for lo, hi in AGE_GROUPS)
OVER_89 = "90+"
OLDEST_GROUP = GROUP_LABELS[-1]
MAX_AGE = 100  # single-year ages are 0..100, where 100 means 100 or older

#: Design effect assumed for sutivi (see module docstring).
DEFAULT_DEFF = 1.5
#: Respondents to "used the internet in the past 3 months", sutivi 2024 (all 16–89).
SUTIVI_TOTAL_N_2024 = 3273
#: Default respondents per age group: the 2024 total spread equally over the 7 groups.
DEFAULT_N: dict[str, float] = {g: SUTIVI_TOTAL_N_2024 / len(GROUP_LABELS) for g in GROUP_LABELS}

#: Odds ratio of non-use, semi-urban/rural vs all, from sutivi 2013 (80 % vs 85 % users).
RURAL_ODDS_FACTOR = (0.20 / 0.80) / (0.15 / 0.85)
DEFAULT_RURALITY_FACTORS: dict[int, float] = {1: 1.0, 2: RURAL_ODDS_FACTOR, 3: RURAL_ODDS_FACTOR}
DEFAULT_RURALITY_SOURCE = (
    "Tilastokeskus, sutivi 2013 liitetaulukko 7: taajaan asutut/maaseutumaiset kunnat 80 % "
    "vs. kaikki 16–89-v. 85 % internetiä 3 kk:n aikana käyttäneitä"
)

Over89 = Literal["as_75_89", "exclude"]

_BLOCK_MAIN = "16_89"
_BLOCK_90 = "90plus"


# ---- population ---------------------------------------------------------------------------
def _label_for_age(age: int) -> str | None:
    if age > AGE_GROUPS[-1][1]:
        return OVER_89
    for (lo, hi), label in zip(AGE_GROUPS, GROUP_LABELS, strict=True):
        if lo <= age <= hi:
            return label
    return None  # under 16: outside the survey


def age_groups_from_single_years(pop: pd.DataFrame) -> pd.DataFrame:
    """Sum single-year ages into the sutivi groups, keeping 90+ as a row of its own.

    ``pop`` has ``area_code, year, age, population`` with ages 0..100 (100 = 100+). Ages
    under 16 are dropped. Every area-year must list every age 16..100 (zeros included), so
    that a truncated download cannot silently pass as an area without old people.
    """
    _require_columns(pop, ("area_code", "year", "age", "population"), "pop")
    frame = pop[["area_code", "year", "age", "population"]].copy()
    if frame["age"].isna().any() or frame["population"].isna().any():
        raise AnalysisError("pop: age and population must not be missing.")
    ages = frame["age"].astype(float)
    if ((ages % 1) != 0).any() or (ages < 0).any() or (ages > MAX_AGE).any():
        raise AnalysisError(
            f"pop: ages must be whole numbers 0..{MAX_AGE} ({MAX_AGE} = {MAX_AGE}+)."
        )
    frame["age"] = ages.astype(int)
    frame["year"] = frame["year"].astype(int)
    frame["population"] = frame["population"].astype(float)
    if (frame["population"] < 0).any():
        raise AnalysisError("pop: population must not be negative.")
    frame = frame[frame["age"] >= AGE_GROUPS[0][0]]
    if frame.duplicated(["area_code", "year", "age"]).any():
        dup = frame[frame.duplicated(["area_code", "year", "age"], keep=False)].iloc[0]
        raise AnalysisError(
            f"pop: age {dup['age']} appears twice for {dup['area_code']} in {dup['year']}."
        )
    needed = set(range(AGE_GROUPS[0][0], MAX_AGE + 1))
    for (code, year), ages_present in frame.groupby(["area_code", "year"])["age"]:
        lacking = sorted(needed - set(ages_present))
        if lacking:
            raise AnalysisError(
                f"pop: {code} {year} lacks ages {_ranges(lacking)}; list every age 16..{MAX_AGE} "
                "(with 0 where nobody lives) so missing data is not mistaken for no people."
            )
    labels = {age: _label_for_age(age) for age in frame["age"].unique()}  # ~100, not ~300 000
    frame["age_group"] = frame["age"].map(labels)
    grouped = frame.groupby(["area_code", "year", "age_group"], as_index=False)["population"].sum()
    order = {label: i for i, label in enumerate((*GROUP_LABELS, OVER_89))}
    grouped = grouped.sort_values(
        ["area_code", "year", "age_group"],
        key=lambda s: s.map(order) if s.name == "age_group" else s,
    )
    return grouped.reset_index(drop=True)[["area_code", "year", "age_group", "population"]]


def rurality_classes(table: AreaTable | None = None) -> dict[str, int]:
    """Urban–rural class (1/2/3) of every municipality, for the ``rurality`` argument."""
    table = table if table is not None else areas()
    return {code: int(table.peer_group(code)) for code in table.municipalities()}


# ---- estimator ----------------------------------------------------------------------------
def estimate_nonusers(
    pop_groups: pd.DataFrame,
    rates: pd.DataFrame,
    *,
    confidence: float = 0.95,
    over_89: Over89 = "as_75_89",
    rurality: Mapping[str, int | str] | None = None,
    rurality_factors: Mapping[int, float] | None = None,
    rurality_source: str = DEFAULT_RURALITY_SOURCE,
    deff: float = DEFAULT_DEFF,
    default_n: Mapping[str, float] | None = None,
    area_table: AreaTable | None = None,
    aggregate: bool = True,
) -> pd.DataFrame:
    """Synthetic estimate of internet non-users (16–89) per area, as tidy panel rows.

    ``pop_groups``: ``area_code, year, age_group, population`` (as made by
    :func:`age_groups_from_single_years`); all seven groups per area-year, ``90+`` optional.
    ``rates``: ``year, age_group, share_users`` (% used the internet in the last 3 months)
    and optionally ``n`` (respondents; missing values fall back to ``default_n``, itself
    defaulting to :data:`DEFAULT_N`). Rate years lacking any of the seven groups are ignored
    (logged) rather than mixed with other years. Population years earlier than every rate
    year are skipped (logged).

    Returns rows with the panel columns: indicators ``nonusers_16_89`` (henkilöä) and
    ``share_nonusers_16_89`` (%), with ``_90plus`` notes when ``over_89="as_75_89"`` and
    90+ rows are given, and ``_rural_adj`` twins when ``rurality`` is given. Sub-region,
    region and county rows are added from ``area_table`` (default: the built-in region)
    unless ``aggregate=False``. Values are unrounded; round for display.
    """
    if not 0 < confidence < 1:
        raise AnalysisError(f"confidence must be between 0 and 1, got {confidence!r}.")
    if over_89 not in ("as_75_89", "exclude"):
        raise AnalysisError(f"over_89 must be 'as_75_89' or 'exclude', got {over_89!r}.")
    if not (np.isfinite(deff) and deff > 0):
        raise AnalysisError(f"deff must be a positive number, got {deff!r}.")
    table = area_table if area_table is not None else areas()
    z = NormalDist().inv_cdf(0.5 + confidence / 2)

    pop = _validate_pop_groups(pop_groups)
    rate_tab = _validate_rates(rates, default_n, deff)
    year_map = _rate_years(sorted(pop["year"].unique()), sorted(rate_tab["year"].unique()))
    if not year_map:
        raise AnalysisError(
            "No population year has a sutivi rate year at or before it "
            f"(population years {sorted(pop['year'].unique())}, "
            f"complete rate years {sorted(rate_tab['year'].unique())})."
        )
    pop = pop[pop["year"].isin(year_map)]
    if over_89 == "exclude":
        pop = pop[pop["age_group"] != OVER_89]

    variants: list[tuple[str, dict[str, float] | None]] = [("", None)]
    if rurality is not None:
        variants.append(("_rural_adj", _area_factors(pop, rurality, rurality_factors)))

    frames = []
    for suffix, factors in variants:
        contrib = _contributions(pop, rate_tab, year_map, factors)
        if aggregate:
            extra = _aggregate(contrib, table)
            if not extra.empty:
                contrib = pd.concat([contrib, extra], ignore_index=True)
        frames.append(
            _panel_rows(
                contrib,
                table=table,
                z=z,
                suffix=suffix,
                confidence=confidence,
                deff=deff,
                factors=factors,
                rurality_source=rurality_source,
            )
        )
    frames = [f for f in frames if not f.empty]  # an empty variant must not blur the dtypes
    out = pd.concat(frames, ignore_index=True)[PANEL_COLUMNS]
    out = out.sort_values(["indicator", "area_code", "year"], ignore_index=True)
    out.attrs["method"] = {
        "estimator": "post-stratified synthetic, age groups " + ", ".join(GROUP_LABELS),
        "confidence": confidence,
        "deff": deff,
        "over_89": over_89,
        "rate_year_for_population_year": dict(year_map),
        "rurality_factors": None if rurality is None else dict(_factor_table(rurality_factors)),
    }
    return out


# ---- internals ----------------------------------------------------------------------------
def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    lacking = [c for c in columns if c not in frame.columns]
    if lacking:
        raise AnalysisError(f"{what}: missing column(s) {', '.join(lacking)}.")


def _ranges(values: list[int]) -> str:
    """Compact ``16-20, 95`` form of sorted integers for error messages."""
    parts, start, prev = [], values[0], values[0]
    for v in [*values[1:], None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if v is not None:
            start = prev = v
    return ", ".join(parts)


def _validate_pop_groups(pop_groups: pd.DataFrame) -> pd.DataFrame:
    _require_columns(pop_groups, ("area_code", "year", "age_group", "population"), "pop_groups")
    pop = pop_groups[["area_code", "year", "age_group", "population"]].copy()
    pop["age_group"] = pop["age_group"].astype(str)
    unknown = sorted(set(pop["age_group"]) - {*GROUP_LABELS, OVER_89})
    if unknown:
        raise AnalysisError(
            f"pop_groups: unknown age group(s) {unknown}; "
            f"expected {', '.join(GROUP_LABELS)} or 90+."
        )
    if pop["population"].isna().any():
        raise AnalysisError("pop_groups: population must not be missing.")
    pop["population"] = pop["population"].astype(float)
    if (pop["population"] < 0).any() or not np.isfinite(pop["population"]).all():
        raise AnalysisError("pop_groups: population must be a finite number ≥ 0.")
    pop["year"] = pop["year"].astype(int)
    if pop.duplicated(["area_code", "year", "age_group"]).any():
        dup = pop[pop.duplicated(["area_code", "year", "age_group"], keep=False)].iloc[0]
        raise AnalysisError(
            f"pop_groups: {dup['area_code']} {dup['year']} has age group {dup['age_group']} twice."
        )
    main_groups = (
        pop[pop["age_group"] != OVER_89].groupby(["area_code", "year"])["age_group"].agg(set)
    )
    for code, year in pop[["area_code", "year"]].drop_duplicates().itertuples(index=False):
        have = main_groups.get((code, year), set())
        if len(have) < len(GROUP_LABELS):
            raise AnalysisError(
                f"pop_groups: {code} {year} lacks age group(s) "
                f"{', '.join(g for g in GROUP_LABELS if g not in have)}; all seven are needed."
            )
    for code in pop["area_code"].unique():
        level_of(code)  # raises UnknownArea for a code with no known prefix
    return pop


def _validate_rates(
    rates: pd.DataFrame, default_n: Mapping[str, float] | None, deff: float
) -> pd.DataFrame:
    _require_columns(rates, ("year", "age_group", "share_users"), "rates")
    tab = rates[[c for c in ("year", "age_group", "share_users", "n") if c in rates.columns]].copy()
    tab["age_group"] = tab["age_group"].astype(str)
    unknown = sorted(set(tab["age_group"]) - set(GROUP_LABELS))
    if unknown:
        raise AnalysisError(
            f"rates: unknown age group(s) {unknown}; give only {', '.join(GROUP_LABELS)} "
            "(filter out totals and other breakdowns first)."
        )
    tab["year"] = tab["year"].astype(int)
    tab["share_users"] = pd.to_numeric(tab["share_users"], errors="raise").astype(float)
    tab = tab[tab["share_users"].notna()]
    if ((tab["share_users"] < 0) | (tab["share_users"] > 100)).any():
        raise AnalysisError("rates: share_users is a percentage and must lie in 0..100.")
    if tab.duplicated(["year", "age_group"]).any():
        dup = tab[tab.duplicated(["year", "age_group"], keep=False)].iloc[0]
        raise AnalysisError(f"rates: {dup['year']} has age group {dup['age_group']} twice.")
    n_default = dict(DEFAULT_N if default_n is None else default_n)
    lacking = [g for g in GROUP_LABELS if g not in n_default]
    if lacking:
        raise AnalysisError(f"default_n lacks age group(s) {', '.join(lacking)}.")
    fallback = tab["age_group"].map(n_default).astype(float)
    tab["n"] = (tab["n"].astype(float).fillna(fallback)) if "n" in tab.columns else fallback
    if not (tab["n"] > 0).all():
        raise AnalysisError("rates: the number of respondents n must be positive.")
    complete = tab.groupby("year")["age_group"].nunique()
    partial = sorted(complete[complete < len(GROUP_LABELS)].index)
    if partial:
        logger.warning(
            "Ignoring sutivi rate year(s) %s: not all seven age groups are given.", partial
        )
    tab = tab[tab["year"].isin(complete[complete == len(GROUP_LABELS)].index)].copy()
    tab["p"] = tab["share_users"] / 100.0
    tab["var_p"] = deff * tab["p"] * (1.0 - tab["p"]) / tab["n"]
    return tab


def _rate_years(pop_years: list[int], rate_years: list[int]) -> dict[int, int]:
    """Latest complete rate year at or before each population year."""
    mapping: dict[int, int] = {}
    for year in pop_years:
        earlier = [r for r in rate_years if r <= year]
        if earlier:
            mapping[int(year)] = int(max(earlier))
        else:
            logger.warning("No sutivi rates at or before %s: population year skipped.", year)
    return mapping


def _factor_table(rurality_factors: Mapping[int, float] | None) -> dict[int, float]:
    factors = {int(k): float(v) for k, v in (rurality_factors or DEFAULT_RURALITY_FACTORS).items()}
    bad = {k: v for k, v in factors.items() if not (np.isfinite(v) and v > 0)}
    if bad:
        raise AnalysisError(f"rurality_factors must be positive numbers, got {bad}.")
    return factors


def _area_factors(
    pop: pd.DataFrame,
    rurality: Mapping[str, int | str],
    rurality_factors: Mapping[int, float] | None,
) -> dict[str, float]:
    """Odds factor for every area of the input that can carry one."""
    factors = _factor_table(rurality_factors)
    out: dict[str, float] = {}
    for code in sorted(pop["area_code"].unique()):
        if code not in rurality:
            if level_of(code) == "kunta":
                raise AnalysisError(
                    f"rurality: municipality {code} has no urban–rural class; give one for "
                    "every municipality (e.g. rurality_classes())."
                )
            logger.info("%s is not a municipality: it gets no rurality-adjusted estimate.", code)
            continue
        cls = int(rurality[code])
        if cls not in factors:
            raise AnalysisError(
                f"rurality: class {cls} of {code} has no factor in rurality_factors {factors}."
            )
        out[code] = factors[cls]
    return out


def _contributions(
    pop: pd.DataFrame,
    rate_tab: pd.DataFrame,
    year_map: dict[int, int],
    factors: dict[str, float] | None,
) -> pd.DataFrame:
    """Per area, year and age group: P, expected non-users N and the SE coefficient c.

    ``c`` is |∂N/∂p| so that Var(N) = Σ_g c_g² Var(p_g); it is additive over areas because
    every area uses the same national p_g.
    """
    frame = pop.copy()
    if factors is not None:
        frame = frame[frame["area_code"].isin(factors)]
        f = frame["area_code"].map(factors).astype(float)
    else:
        f = pd.Series(1.0, index=frame.index)
    frame["rate_year"] = frame["year"].map(year_map).astype(int)
    frame["block"] = np.where(frame["age_group"] == OVER_89, _BLOCK_90, _BLOCK_MAIN)
    frame["rate_group"] = frame["age_group"].replace({OVER_89: OLDEST_GROUP})
    frame["f"] = f
    frame = frame.merge(
        rate_tab[["year", "age_group", "p", "var_p"]].rename(
            columns={"year": "rate_year", "age_group": "rate_group"}
        ),
        on=["rate_year", "rate_group"],
        how="left",
        validate="many_to_one",
    )
    p, f = frame["p"], frame["f"]
    denom = p + f * (1.0 - p)
    frame["N"] = frame["population"] * f * (1.0 - p) / denom
    frame["c"] = frame["population"] * f / denom**2
    columns = ["area_code", "year", "age_group", "block", "rate_year", "population", "N", "c"]
    return frame[[*columns, "var_p", "f"]]


def _aggregate(contrib: pd.DataFrame, table: AreaTable) -> pd.DataFrame:
    """Sub-region/region/county rows summed from complete sets of member municipalities.

    One merge with the membership links and one group-by for all aggregates together (not
    a filter per aggregate): with all 308 municipalities there are about 90 aggregates, and
    this runs on every panel load.
    """
    present_codes = set(contrib["area_code"])
    links = pd.DataFrame(
        [
            (code, member)
            for code in table.aggregate_areas()
            if code not in present_codes  # given directly in the input: no second copy
            for member in table.members(code)
        ],
        columns=["aggregate", "area_code"],
    )
    if links.empty:
        return contrib.iloc[0:0]
    size = links.groupby("aggregate")["area_code"].size()
    joined = contrib.merge(links, on="area_code")
    have = joined.groupby(["aggregate", "year", "block"])["area_code"].agg(set)
    complete = have.map(len) == have.index.get_level_values("aggregate").map(size)
    for (code, year, block), codes in have[~complete].items():
        if block == _BLOCK_MAIN:
            missing = set(table.members(code)) - codes
            logger.warning(
                "No %s estimate for %s %s: member(s) %s missing.",
                code, year, "16–89", ", ".join(sorted(missing)),
            )
    keep = pd.MultiIndex.from_frame(joined[["aggregate", "year", "block"]]).isin(
        have[complete].index
    )
    joined = joined[keep]
    if joined.empty:
        return contrib.iloc[0:0]
    summed = joined.groupby(
        ["aggregate", "year", "age_group", "block", "rate_year", "var_p"], as_index=False
    )[["population", "N", "c"]].sum()
    summed = summed.rename(columns={"aggregate": "area_code"})
    summed["f"] = np.nan
    return summed[contrib.columns]


def _panel_rows(
    contrib: pd.DataFrame,
    *,
    table: AreaTable,
    z: float,
    suffix: str,
    confidence: float,
    deff: float,
    factors: dict[str, float] | None,
    rurality_source: str,
) -> pd.DataFrame:
    if contrib.empty:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    work = contrib.assign(c2v=contrib["c"] ** 2 * contrib["var_p"])
    totals = work.groupby(["area_code", "year", "block"], as_index=False).agg(
        P=("population", "sum"),
        N=("N", "sum"),
        var=("c2v", "sum"),
        rate_year=("rate_year", "first"),
    )
    has_90 = set(totals.loc[totals["block"] == _BLOCK_90, "area_code"])
    names = table.names()  # one lookup table: name() per row is slow for a whole panel
    rows = []
    pct = f"{confidence * 100:g}"
    for t in totals.itertuples(index=False):
        level = level_of(t.area_code)
        se = float(np.sqrt(t.var))
        lo = max(0.0, t.N - z * se)
        hi = min(t.P, t.N + z * se)
        who = {"kunta": "kunnan", "maa": "koko maan"}.get(level, "jäsenkuntien yhteenlaskettu")
        text = (
            f"laskennallinen arvio: {who} ikärakenne × koko maan ikäryhmittäiset osuudet "
            f"(Tilastokeskus, sutivi {t.rate_year}); väestövuosi {t.year}"
        )
        if t.block == _BLOCK_90:
            text += (
                "; 90 vuotta täyttäneisiin sovellettu 75–89-vuotiaiden osuutta (sutivi kattaa "
                "vain 16–89-vuotiaat), todennäköisesti aliarvio"
            )
        elif t.area_code in has_90:
            text += "; 90 vuotta täyttäneet erikseen (nonusers_90plus)"
        text += (
            f"; {pct} %:n väli kattaa vain koko maan osuuksien otantavirheen (deff {deff:g}), "
            "ei mallivirhettä"
        )
        if suffix:
            if factors is not None and t.area_code in factors:
                how = f"{factors[t.area_code]:.3g}"
            else:
                how = "kunkin jäsenkunnan kuntaryhmän kerroin"
            text += f"; maaseutuherkkyys: ei-käytön vedonlyöntisuhde × {how} ({rurality_source})"
        stem = "16_89" if t.block == _BLOCK_MAIN else "90plus"
        base = {
            "area_code": t.area_code,
            "area_level": level,
            "area_name": names.get(t.area_code) or table.name(t.area_code),
            "year": int(t.year),
            "status": "e",
            "source": text,
        }
        rows.append(
            base
            | {
                "indicator": f"nonusers_{stem}{suffix}",
                "value": float(t.N),
                "unit": "henkilöä",
                "lower": lo,
                "upper": hi,
            }
        )
        scale = 100.0 / t.P if t.P > 0 else np.nan
        rows.append(
            base
            | {
                "indicator": f"share_nonusers_{stem}{suffix}",
                "value": t.N * scale,
                "unit": "%",
                "lower": lo * scale,
                "upper": hi * scale,
            }
        )
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype(int)
    for col in ("value", "lower", "upper"):
        out[col] = out[col].astype(float)
    return out[PANEL_COLUMNS]
