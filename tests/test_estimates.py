"""Tests of the synthetic non-user estimate (municipal age structure × national rates)."""

from __future__ import annotations

import logging
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from digiindicators.areas import areas
from digiindicators.estimates import (
    AGE_GROUPS,
    DEFAULT_N,
    GROUP_LABELS,
    PANEL_COLUMNS,
    RURAL_ODDS_FACTOR,
    age_groups_from_single_years,
    estimate_nonusers,
    rurality_classes,
)
from tests import shared_files

REFERENCE = shared_files.REFERENCE / "ict_use.csv"

# sutivi 2021, % used the internet in the last 3 months (research/method.md §1.2), written
# here so the hand computation does not depend on any file.
RATES_2021 = {
    "16-24": 100,
    "25-34": 100,
    "35-44": 99,
    "45-54": 100,
    "55-64": 97,
    "65-74": 85,
    "75-89": 57,
}
OULU = "KU564"


def rates_frame(year: int, shares: dict[str, float], n: float | None = 500.0) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": year,
            "age_group": list(shares),
            "share_users": [float(v) for v in shares.values()],
        }
    )
    if n is not None:
        frame["n"] = n
    return frame


def pop_frame(code: str, year: int, groups: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": code,
            "year": year,
            "age_group": list(groups),
            "population": [float(v) for v in groups.values()],
        }
    )


POP_OULU = {
    "16-24": 1000,
    "25-34": 1500,
    "35-44": 1200,
    "45-54": 1100,
    "55-64": 1000,
    "65-74": 900,
    "75-89": 500,
}


def value(out: pd.DataFrame, indicator: str, code: str, year: int | None = None) -> pd.Series:
    rows = out[(out["indicator"] == indicator) & (out["area_code"] == code)]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1, (indicator, code, year, len(rows))
    return rows.iloc[0]


def synthetic_region(year: int = 2022, seed: int = 3, with_90: bool = True) -> pd.DataFrame:
    """A plausible grouped population for all 30 municipalities (random, fixed seed)."""
    rng = np.random.default_rng(seed)
    frames = []
    for code in areas().municipalities():
        groups = {g: float(rng.integers(50, 5000)) for g in GROUP_LABELS}
        if with_90:
            groups["90+"] = float(rng.integers(0, 150))
        frames.append(pop_frame(code, year, groups))
    return pd.concat(frames, ignore_index=True)


# ---- hand computation ---------------------------------------------------------------------------
def test_municipal_estimate_matches_hand_computation():
    out = estimate_nonusers(
        pop_frame(OULU, 2021, POP_OULU), rates_frame(2021, RATES_2021), aggregate=False
    )
    # Expected non-users N = Σ P_g (1 − p_g); the groups with p = 100 % contribute nothing:
    #   35–44: 1200 · 0.01 =  12
    #   55–64: 1000 · 0.03 =  30
    #   65–74:  900 · 0.15 = 135
    #   75–89:  500 · 0.43 = 215          → N = 392
    # P = 1000 + 1500 + 1200 + 1100 + 1000 + 900 + 500 = 7200 → share = 392/7200 = 5.444… %
    # Var(N) = deff · Σ P_g² p_g (1 − p_g) / n_g with deff 1.5 and n = 500 in every group:
    #   35–44: 1200² · 0.99 · 0.01 / 500 =  28.512
    #   55–64: 1000² · 0.97 · 0.03 / 500 =  58.2
    #   65–74:  900² · 0.85 · 0.15 / 500 = 206.55
    #   75–89:  500² · 0.57 · 0.43 / 500 = 122.55   → Σ = 415.812, × 1.5 = 623.718
    # 95 % interval: N ± z · √623.718 with z = Φ⁻¹(0.975) ≈ 1.95996 → ≈ 392 ± 48.95
    n_hat, pop_total, var = 392.0, 7200.0, 1.5 * (28.512 + 58.2 + 206.55 + 122.55)
    half = NormalDist().inv_cdf(0.975) * math.sqrt(var)
    count = value(out, "nonusers_16_89", OULU)
    share = value(out, "share_nonusers_16_89", OULU)
    assert count["value"] == pytest.approx(n_hat, abs=1e-9)
    assert count["lower"] == pytest.approx(n_hat - half, abs=1e-9)
    assert count["upper"] == pytest.approx(n_hat + half, abs=1e-9)
    assert share["value"] == pytest.approx(100 * n_hat / pop_total, abs=1e-9)
    assert share["lower"] == pytest.approx(100 * (n_hat - half) / pop_total, abs=1e-9)
    assert share["upper"] == pytest.approx(100 * (n_hat + half) / pop_total, abs=1e-9)
    assert (count["unit"], share["unit"]) == ("henkilöä", "%")
    assert (count["area_level"], count["area_name"]) == ("kunta", "Oulu")
    assert count["source"].startswith(
        "laskennallinen arvio: kunnan ikärakenne × koko maan ikäryhmittäiset osuudet "
        "(Tilastokeskus, sutivi 2021)"
    )
    assert "ei mallivirhettä" in count["source"]  # the interval says what it leaves out


def test_output_follows_panel_contract():
    out = estimate_nonusers(synthetic_region(), rates_frame(2021, RATES_2021))
    assert list(out.columns) == PANEL_COLUMNS
    assert (out["status"] == "e").all()
    assert out["year"].dtype.kind == "i"
    assert all(out[c].dtype == float for c in ("value", "lower", "upper"))
    assert out[["value", "lower", "upper"]].notna().all().all()


def test_latest_rate_year_not_after_population_year_is_used(caplog):
    rates = pd.concat(
        [
            rates_frame(2020, {**RATES_2021, "75-89": 51}),
            rates_frame(2021, RATES_2021),
            rates_frame(2024, {**RATES_2021, "75-89": 70}),
            rates_frame(2023, {"75-89": 65}),  # incomplete year: ignored, not mixed in
        ]
    )
    pop = pd.concat([pop_frame(OULU, y, POP_OULU) for y in (2019, 2020, 2022, 2023, 2024)])
    with caplog.at_level(logging.WARNING, logger="digiindicators.estimates"):
        out = estimate_nonusers(pop, rates, aggregate=False)
    sources = {
        int(r.year): r.source for r in out[out["indicator"] == "nonusers_16_89"].itertuples()
    }
    assert sorted(sources) == [2020, 2022, 2023, 2024]  # 2019 has no earlier rates
    assert "sutivi 2020)" in sources[2020]
    assert "sutivi 2021)" in sources[2022] and "sutivi 2021)" in sources[2023]
    assert "sutivi 2024)" in sources[2024]
    assert "2019" in caplog.text and "[2023]" in caplog.text
    assert out.attrs["method"]["rate_year_for_population_year"] == {
        2020: 2020,
        2022: 2021,
        2023: 2021,
        2024: 2024,
    }


# ---- monotonicity and intervals -----------------------------------------------------------------
def test_more_old_people_more_nonusers_and_higher_rates_fewer():
    rates = rates_frame(2021, RATES_2021)
    base = estimate_nonusers(pop_frame(OULU, 2021, POP_OULU), rates, aggregate=False)
    older = estimate_nonusers(
        pop_frame(OULU, 2021, {**POP_OULU, "75-89": 900}), rates, aggregate=False
    )
    better = estimate_nonusers(
        pop_frame(OULU, 2021, POP_OULU),
        rates_frame(2021, {**RATES_2021, "65-74": 90, "75-89": 65}),
        aggregate=False,
    )
    for ind in ("nonusers_16_89", "share_nonusers_16_89"):
        assert value(older, ind, OULU)["value"] > value(base, ind, OULU)["value"]
        assert value(better, ind, OULU)["value"] < value(base, ind, OULU)["value"]


def test_interval_contains_value_clips_and_shrinks_with_n():
    widths = []
    for n in (50.0, 500.0, 5000.0):
        out = estimate_nonusers(
            synthetic_region(),
            rates_frame(2021, RATES_2021, n=n),
            rurality=rurality_classes(),
        )
        assert (out["lower"] <= out["value"]).all() and (out["value"] <= out["upper"]).all()
        assert (out["lower"] >= 0).all()
        shares = out[out["unit"] == "%"]
        assert (shares["upper"] <= 100).all()
        row = value(out, "nonusers_16_89", OULU)
        widths.append(row["upper"] - row["lower"])
    assert widths[0] > widths[1] > widths[2] > 0
    # tiny non-use with a tiny sample: the lower end is clipped at 0 persons …
    nearly_all = {g: 99.9 for g in GROUP_LABELS}
    small = estimate_nonusers(
        pop_frame(OULU, 2021, POP_OULU), rates_frame(2021, nearly_all, n=5), aggregate=False
    )
    assert value(small, "nonusers_16_89", OULU)["lower"] == 0.0
    # … and near-total non-use is clipped at the population
    nearly_none = {g: 0.5 for g in GROUP_LABELS}
    big = estimate_nonusers(
        pop_frame(OULU, 2021, POP_OULU), rates_frame(2021, nearly_none, n=5), aggregate=False
    )
    assert value(big, "nonusers_16_89", OULU)["upper"] == pytest.approx(7200.0)
    assert value(big, "share_nonusers_16_89", OULU)["upper"] == pytest.approx(100.0)


def test_default_n_is_the_2024_total_spread_equally():
    assert set(DEFAULT_N) == set(GROUP_LABELS)
    assert sum(DEFAULT_N.values()) == pytest.approx(3273)
    with_n = estimate_nonusers(
        pop_frame(OULU, 2021, POP_OULU),
        rates_frame(2021, RATES_2021, n=3273 / 7),
        aggregate=False,
    )
    without_n = estimate_nonusers(
        pop_frame(OULU, 2021, POP_OULU), rates_frame(2021, RATES_2021, n=None), aggregate=False
    )
    pd.testing.assert_frame_equal(with_n, without_n)


# ---- 90+ ----------------------------------------------------------------------------------------
def test_over_89_both_ways():
    pop = pop_frame(OULU, 2021, {**POP_OULU, "90+": 200})
    rates = rates_frame(2021, RATES_2021)
    default = estimate_nonusers(pop, rates, aggregate=False)  # default: over_89="as_75_89"
    excluded = estimate_nonusers(pop, rates, aggregate=False, over_89="exclude")
    # 90+ note: the 75–89 rate applied to them: 200 · (1 − 0.57) = 86 persons, 43 %
    assert value(default, "nonusers_90plus", OULU)["value"] == pytest.approx(86.0, abs=1e-9)
    assert value(default, "share_nonusers_90plus", OULU)["value"] == pytest.approx(43.0, abs=1e-9)
    assert "75–89-vuotiaiden osuutta" in value(default, "nonusers_90plus", OULU)["source"]
    assert not excluded["indicator"].str.contains("90plus").any()
    # the 16–89 estimate never includes them, whichever way they are handled
    for ind in ("nonusers_16_89", "share_nonusers_16_89"):
        assert value(default, ind, OULU)["value"] == value(excluded, ind, OULU)["value"]
    assert value(default, "nonusers_16_89", OULU)["value"] == pytest.approx(392.0, abs=1e-9)
    with pytest.raises(ValueError, match="over_89"):
        estimate_nonusers(pop, rates, over_89="include")


# ---- aggregates ---------------------------------------------------------------------------------
def test_aggregates_are_sums_of_members():
    table = areas()
    pop = synthetic_region()
    rates = rates_frame(2021, RATES_2021)
    out = estimate_nonusers(pop, rates)
    z = NormalDist().inv_cdf(0.975)
    main = pop[pop["age_group"] != "90+"]
    for code in ("SK171", "SK178", "MK17", "HV19"):
        members = table.members(code)
        counts = out[(out["indicator"] == "nonusers_16_89") & out["area_code"].isin(members)]
        agg = value(out, "nonusers_16_89", code)
        assert agg["value"] == pytest.approx(counts["value"].sum(), rel=1e-12)
        people = main[main["area_code"].isin(members)]
        total = people["population"].sum()
        share = value(out, "share_nonusers_16_89", code)
        assert share["value"] == pytest.approx(100 * agg["value"] / total, rel=1e-12)
        # the same national rates → errors add up linearly inside each age group
        by_group = people.groupby("age_group")["population"].sum()
        p = pd.Series(RATES_2021) / 100
        var = (1.5 * by_group**2 * p * (1 - p) / 500).sum()
        assert agg["upper"] - agg["value"] == pytest.approx(z * math.sqrt(var), rel=1e-9)
        assert agg["area_level"] == table.frame.set_index("area_code").at[code, "area_level"]
        nineties = out[(out["indicator"] == "nonusers_90plus") & out["area_code"].isin(members)]
        assert value(out, "nonusers_90plus", code)["value"] == pytest.approx(
            nineties["value"].sum(), rel=1e-12
        )
    assert "SSS" not in set(out["area_code"])  # the country is not a sum of this region


def test_aggregate_needs_every_member(caplog):
    pop = synthetic_region()
    pop = pop[pop["area_code"] != "KU072"]  # Hailuoto, a member of SK171, MK17 and HV19
    with caplog.at_level(logging.WARNING, logger="digiindicators.estimates"):
        out = estimate_nonusers(pop, rates_frame(2021, RATES_2021))
    codes = set(out["area_code"])
    assert not {"SK171", "MK17", "HV19"} & codes
    assert {"SK173", "SK178"} <= codes
    assert "KU072" in caplog.text


# ---- rurality variant ---------------------------------------------------------------------------
def test_rurality_variant_changes_only_semi_urban_and_rural():
    classes = rurality_classes()
    out = estimate_nonusers(synthetic_region(), rates_frame(2021, RATES_2021), rurality=classes)
    for code, cls in classes.items():
        for stem in ("nonusers_16_89", "share_nonusers_16_89", "nonusers_90plus"):
            base = value(out, stem, code)["value"]
            adj = value(out, f"{stem}_rural_adj", code)["value"]
            if cls == 1:
                assert adj == base
            else:
                assert adj > base
    assert {c for c, k in classes.items() if k == 1} == {"KU244", "KU564", "KU678"}
    # the region's adjusted total is the sum of the adjusted municipal values
    municipal = out["area_code"].str.startswith("KU")
    adj = out[(out["indicator"] == "nonusers_16_89_rural_adj") & municipal]
    assert value(out, "nonusers_16_89_rural_adj", "MK17")["value"] == pytest.approx(
        adj["value"].sum(), rel=1e-12
    )
    assert "maaseutuherkkyys" in value(out, "nonusers_16_89_rural_adj", "KU009")["source"]


def test_rurality_odds_adjustment_by_hand():
    # Alavieska (class 3), only old people so the arithmetic stays short
    groups = {g: 0.0 for g in GROUP_LABELS} | {"65-74": 100.0, "75-89": 100.0}
    out = estimate_nonusers(
        pop_frame("KU009", 2021, groups),
        rates_frame(2021, RATES_2021),
        rurality={"KU009": 3},
        rurality_factors={1: 1.0, 2: 2.0, 3: 2.0},
        aggregate=False,
    )
    # non-use odds × 2: 65–74 odds 0.15/0.85 → q' = 2·0.15/(0.85 + 2·0.15) = 0.3/1.15
    #                   75–89 odds 0.43/0.57 → q' = 2·0.43/(0.57 + 2·0.43) = 0.86/1.43
    expected = 100 * 0.3 / 1.15 + 100 * 0.86 / 1.43
    assert value(out, "nonusers_16_89_rural_adj", "KU009")["value"] == pytest.approx(
        expected, abs=1e-9
    )
    assert math.isclose(RURAL_ODDS_FACTOR, (20 / 80) / (15 / 85))
    with pytest.raises(ValueError, match="urban–rural class"):
        estimate_nonusers(
            pop_frame("KU009", 2021, groups), rates_frame(2021, RATES_2021), rurality={}
        )


# ---- single years → groups ----------------------------------------------------------------------
def test_age_groups_from_single_years():
    ages = np.arange(0, 101)
    pop = pd.DataFrame({"area_code": OULU, "year": 2024, "age": ages, "population": ages + 1.0})
    groups = age_groups_from_single_years(pop).set_index("age_group")["population"]
    assert list(groups.index) == [*GROUP_LABELS, "90+"]
    for (lo, hi), label in zip(AGE_GROUPS, GROUP_LABELS, strict=True):
        assert groups[label] == sum(a + 1 for a in range(lo, hi + 1))
    assert groups["90+"] == sum(a + 1 for a in range(90, 101))  # 100 = 100 and older
    with pytest.raises(ValueError, match="lacks ages 75-79"):
        age_groups_from_single_years(pop[(pop["age"] < 75) | (pop["age"] > 79)])


def test_bad_inputs_are_refused():
    pop = pop_frame(OULU, 2021, POP_OULU)
    with pytest.raises(ValueError, match="lacks age group"):
        estimate_nonusers(pop[pop["age_group"] != "45-54"], rates_frame(2021, RATES_2021))
    with pytest.raises(ValueError, match="0..100"):
        estimate_nonusers(pop, rates_frame(2021, {**RATES_2021, "16-24": 101}))
    with pytest.raises(ValueError, match="unknown age group"):
        estimate_nonusers(pop, rates_frame(2021, {**RATES_2021, "16-89": 93}))
    with pytest.raises(ValueError, match="No population year"):
        estimate_nonusers(pop, rates_frame(2024, RATES_2021))


# ---- check against the published national figure ------------------------------------------------
def test_national_age_structure_reproduces_published_2021_share():
    """Finland's own age structure × the 2021 age rates ≈ the published 93 % (all 16–89).

    The reference files hold no national age structure, so one is built here. 16–74 comes from
    Statistics Finland's Labour Force Survey, appendix table 21, population 2021/IV, 1 000
    persons (stat.fi/til/tyti/2021/12/tyti_2021_12_2022-01-25_tau_021_en.html): 15–24 607,
    25–34 710, 35–44 715, 45–54 663, 55–64 722, 65–74 704; 16–24 is taken as 9/10 of 15–24.
    75–89 (≈ 515 000) is an approximation not taken from a stored source, so the check is
    repeated over ±15 % around it. Published rates are whole per cents, hence the ±1.5 points.
    """
    if not REFERENCE.exists():
        pytest.skip(f"reference file {REFERENCE} is not available on this machine")
    ict = pd.read_csv(REFERENCE)
    used = ict[ict["measure"] == "used internet in last 3 months"]
    rates = used[(used["year"] == 2021) & (used["breakdown_type"] == "age")].rename(
        columns={"breakdown": "age_group", "value_pct": "share_users"}
    )[["year", "age_group", "share_users"]]
    published = float(
        used.loc[(used["year"] == 2021) & (used["breakdown"] == "16-89"), "value_pct"].iloc[0]
    )
    assert published == 93
    assert len(rates) == 7
    for oldest in (438_000, 515_000, 592_000):
        finland = {
            "16-24": 607_000 * 9 / 10,
            "25-34": 710_000,
            "35-44": 715_000,
            "45-54": 663_000,
            "55-64": 722_000,
            "65-74": 704_000,
            "75-89": oldest,
        }
        out = estimate_nonusers(pop_frame("SSS", 2021, finland), rates, aggregate=False)
        row = value(out, "share_nonusers_16_89", "SSS")
        assert row["area_level"] == "maa"
        assert 100 - row["value"] == pytest.approx(published, abs=1.5)
