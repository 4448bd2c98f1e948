"""Tests of the digital-divide risk index: hand-computed cases, invariances, sensitivity."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from digiindicators.composite import (
    AGGREGATIONS,
    NORMALISATIONS,
    IndexSpec,
    build_index,
    sensitivity,
)

A, B, C = "KU009", "KU069", "KU071"  # Alavieska, Haapajärvi, Haapavesi
DIRS = {
    "share_75plus": "higher_is_worse",
    "median_income": "higher_is_better",
    "population": "neutral",
    "unemployment_rate": "higher_is_worse",
}
X, Y = "share_75plus", "median_income"
PAIR = (X, Y)


def make_panel(
    values: dict[str, dict[str, float]], *, year: int = 2024, status=None
) -> pd.DataFrame:
    """Panel-contract rows for municipalities; ``status`` maps (indicator, code) → symbol."""
    status = status or {}
    rows = []
    for ind, by_code in values.items():
        for code, value in by_code.items():
            rows.append(
                {
                    "indicator": ind,
                    "area_code": code,
                    "area_level": "kunta",
                    "area_name": code,
                    "year": year,
                    "value": float(value),
                    "status": status.get((ind, code), ""),
                    "unit": "%",
                    "source": "test",
                    "lower": np.nan,
                    "upper": np.nan,
                }
            )
    return pd.DataFrame(rows)


# share_75plus (higher is worse):      A 10, B 20, C 40
# median_income (higher is better):    A 30 000, B 10 000, C 20 000
BASE = {X: {A: 10, B: 20, C: 40}, Y: {A: 30_000, B: 10_000, C: 20_000}}


def by_code(result: pd.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(result["area_code"], result[column], strict=True))


def run(normalisation: str, aggregation: str, panel=None, **kw) -> pd.DataFrame:
    spec = IndexSpec(PAIR, kw.pop("weights", None), normalisation, aggregation)
    return build_index(make_panel(BASE) if panel is None else panel, spec, directions=DIRS, **kw)


# ---- hand-computed 3 × 2 cases ------------------------------------------------------------------
def test_minmax_arithmetic_by_hand():
    res = run("minmax", "arithmetic")
    # share_75plus: min 10, max 40 → 100·(x−10)/30: A 0, B 33.33…, C 100
    # median_income inverted: 100·(30 000 − y)/20 000: A 0, B 100, C 50
    # equal weights: A (0+0)/2 = 0, B (100/3+100)/2 = 66.66…, C (100+50)/2 = 75
    assert by_code(res, X) == pytest.approx({A: 0.0, B: 100 / 3, C: 100.0}, abs=1e-9)
    assert by_code(res, Y) == pytest.approx({A: 0.0, B: 100.0, C: 50.0}, abs=1e-9)
    assert by_code(res, "index") == pytest.approx({A: 0.0, B: 200 / 3, C: 75.0}, abs=1e-9)
    assert by_code(res, "rank") == {C: 1, B: 2, A: 3}
    assert list(res["area_code"]) == [C, B, A]  # sorted by rank
    assert set(res["year"]) == {2024}
    assert list(res["n_components"]) == [2, 2, 2] and list(res["missing"]) == ["", "", ""]


def test_minmax_geometric_by_hand():
    res = run("minmax", "geometric")
    # shift into [1, 100]: u' = 1 + 0.99·u
    # A: 1, 1 → √(1·1) = 1 → (1 − 1)/0.99 = 0
    # B: 1 + 0.99·33.33… = 34, 100 → √3400 → (√3400 − 1)/0.99
    # C: 100, 1 + 0.99·50 = 50.5 → √5050 → (√5050 − 1)/0.99
    expected = {A: 0.0, B: (math.sqrt(3400) - 1) / 0.99, C: (math.sqrt(5050) - 1) / 0.99}
    assert by_code(res, "index") == pytest.approx(expected, abs=1e-9)
    assert by_code(res, "rank") == {C: 1, B: 2, A: 3}


def _z_by_hand() -> tuple[dict[str, float], dict[str, float]]:
    # share_75plus: mean 70/3; deviations −40/3, −10/3, 50/3;
    # population variance (1600 + 100 + 2500)/9/3 = 4200/27 → sd = √(4200/27)
    sd_x = math.sqrt(4200 / 27)
    zx = {A: (-40 / 3) / sd_x, B: (-10 / 3) / sd_x, C: (50 / 3) / sd_x}
    # median_income: mean 20 000; deviations +10 000, −10 000, 0; sd = 10 000·√(2/3)
    # inverted (higher is better): A −√1.5, B +√1.5, C 0
    zy = {A: -math.sqrt(1.5), B: math.sqrt(1.5), C: 0.0}
    return zx, zy


def test_zscore_arithmetic_by_hand():
    res = run("zscore", "arithmetic")
    zx, zy = _z_by_hand()
    assert by_code(res, X) == pytest.approx(zx, abs=1e-9)
    assert by_code(res, Y) == pytest.approx(zy, abs=1e-9)
    # T-score of the mean z: 50 + 10·(zx + zy)/2
    expected = {k: 50 + 10 * (zx[k] + zy[k]) / 2 for k in (A, B, C)}
    # ≈ A 38.53, B 54.79, C 56.68
    assert by_code(res, "index") == pytest.approx(expected, abs=1e-9)
    assert by_code(res, "rank") == {C: 1, B: 2, A: 3}


def test_zscore_geometric_by_hand():
    res = run("zscore", "geometric")
    zx, zy = _z_by_hand()
    expected = {}
    for k in (A, B, C):
        tx, ty = 50 + 10 * zx[k], 50 + 10 * zy[k]  # T-scores
        g = math.sqrt((1 + 0.99 * tx) * (1 + 0.99 * ty))  # geometric mean on [1, 100]
        expected[k] = (g - 1) / 0.99
    assert by_code(res, "index") == pytest.approx(expected, abs=1e-9)


def test_rank_by_hand_with_tie():
    # share_75plus risk ranks: A 1, B 2, C 3 → 100·(r−1)/2: 0, 50, 100
    # median_income risk = −income: A −30 000 (1), C −20 000 (2), B −10 000 (3) → A 0, C 50, B 100
    # arithmetic: A 0, B 75, C 75 → B and C share rank 1, A is 3
    res = run("rank", "arithmetic")
    assert by_code(res, X) == pytest.approx({A: 0.0, B: 50.0, C: 100.0})
    assert by_code(res, Y) == pytest.approx({A: 0.0, B: 100.0, C: 50.0})
    assert by_code(res, "index") == pytest.approx({A: 0.0, B: 75.0, C: 75.0})
    assert by_code(res, "rank") == {B: 1, C: 1, A: 3}
    # geometric: B √(50.5·100) = C √(100·50.5); A √(1·1) = 1 → 0
    geo = run("rank", "geometric")
    g = (math.sqrt(50.5 * 100) - 1) / 0.99
    assert by_code(geo, "index") == pytest.approx({A: 0.0, B: g, C: g})


# ---- weights and directions ---------------------------------------------------------------------
@pytest.mark.parametrize("normalisation", NORMALISATIONS)
def test_equal_weights_reproduce_simple_mean(normalisation):
    res = run(normalisation, "arithmetic")
    mean = res[[X, Y]].mean(axis=1)
    expected = 50 + 10 * mean if normalisation == "zscore" else mean
    assert np.allclose(res["index"], expected)
    explicit = run(normalisation, "arithmetic", weights={X: 2.0, Y: 2.0})
    assert np.allclose(explicit["index"], res["index"])


def test_weights_are_normalised():
    res = run("minmax", "arithmetic", weights={X: 3.0, Y: 1.0})
    # 0.75·x + 0.25·y: A 0, B 0.75·100/3 + 25 = 50, C 75 + 12.5 = 87.5
    assert by_code(res, "index") == pytest.approx({A: 0.0, B: 50.0, C: 87.5})
    assert res.attrs["spec"]["weights"] == pytest.approx({X: 0.75, Y: 0.25})


def test_direction_inversion():
    worse = {X: "higher_is_worse", Y: "higher_is_worse"}
    for norm in NORMALISATIONS:
        spec = IndexSpec(PAIR, None, norm, "arithmetic")
        base = build_index(make_panel(BASE), spec, directions=DIRS)
        flipped = build_index(make_panel(BASE), spec, directions=worse)
        b, f = by_code(base, Y), by_code(flipped, Y)
        for code in (A, B, C):
            expected = -b[code] if norm == "zscore" else 100 - b[code]
            assert f[code] == pytest.approx(expected, abs=1e-9)
        assert by_code(base, X) == pytest.approx(by_code(flipped, X))


def test_neutral_and_bad_specs_are_refused():
    panel = make_panel({**BASE, "population": {A: 1, B: 2, C: 3}})
    with pytest.raises(ValueError, match="neutral"):
        build_index(panel, IndexSpec((X, "population")), directions=DIRS)
    with pytest.raises(ValueError, match="No direction"):
        build_index(panel, IndexSpec((X, "other")), directions=DIRS)
    with pytest.raises(ValueError, match="≥ 0"):
        IndexSpec(PAIR, weights={X: -1.0, Y: 2.0})
    with pytest.raises(ValueError, match="no weight for"):
        IndexSpec(PAIR, weights={X: 1.0})
    with pytest.raises(ValueError, match="all be zero"):
        IndexSpec(PAIR, weights={X: 0.0, Y: 0.0})
    with pytest.raises(ValueError, match="normalisation"):
        IndexSpec(PAIR, normalisation="maxmin")
    with pytest.raises(ValueError, match="aggregation"):
        IndexSpec(PAIR, aggregation="harmonic")
    with pytest.raises(ValueError, match="min–max"):
        IndexSpec(PAIR, normalisation="zscore", goalposts={X: (0, 100)})
    with pytest.raises(ValueError, match="same value"):
        flat = make_panel({X: {A: 5, B: 5, C: 5}, Y: BASE[Y]})
        build_index(flat, IndexSpec(PAIR), directions=DIRS)


def test_fixed_goalposts_and_clipping():
    spec = IndexSpec(PAIR, goalposts={X: (0.0, 30.0)})  # Y keeps observed min/max
    res = build_index(make_panel(BASE), spec, directions=DIRS)
    # share_75plus: 100·x/30 → A 33.33…, B 66.66…, C 133.3 → clipped to 100
    assert by_code(res, X) == pytest.approx({A: 100 / 3, B: 200 / 3, C: 100.0})
    assert by_code(res, Y) == pytest.approx({A: 0.0, B: 100.0, C: 50.0})


# ---- invariances --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("normalisation", "aggregation"), list(itertools.product(NORMALISATIONS, AGGREGATIONS))
)
def test_unit_change_does_not_change_index(normalisation, aggregation):
    scaled = {X: {k: v * 1000 for k, v in BASE[X].items()}, Y: BASE[Y]}
    base = run(normalisation, aggregation)
    other = run(normalisation, aggregation, panel=make_panel(scaled))
    assert by_code(other, "index") == pytest.approx(by_code(base, "index"), abs=1e-9)


@pytest.mark.parametrize(
    ("normalisation", "aggregation"), list(itertools.product(NORMALISATIONS, AGGREGATIONS))
)
def test_raising_risk_never_lowers_own_index(normalisation, aggregation):
    from digiindicators.areas import areas

    codes = areas().municipalities()
    rng = np.random.default_rng(17)
    spec = IndexSpec(
        (X, Y, "unemployment_rate"),
        {X: 1, Y: 2, "unemployment_rate": 0.5},
        normalisation,
        aggregation,
    )
    for _ in range(25):
        values = {
            ind: dict(zip(codes, rng.normal(50, 15, len(codes)), strict=True))
            for ind in spec.indicators
        }
        code = codes[int(rng.integers(len(codes)))]
        ind = spec.indicators[int(rng.integers(3))]
        step = float(rng.uniform(0.1, 40))
        raised = {k: dict(v) for k, v in values.items()}
        # "risk direction": up for higher_is_worse, down for higher_is_better
        raised[ind][code] += step if DIRS[ind] == "higher_is_worse" else -step
        before = by_code(build_index(make_panel(values), spec, directions=DIRS), "index")
        after = by_code(build_index(make_panel(raised), spec, directions=DIRS), "index")
        assert after[code] >= before[code] - 1e-9


def test_only_municipal_rows_enter():
    panel = make_panel(BASE)
    extra = panel.iloc[:2].copy()
    extra["area_code"], extra["area_level"] = "MK17", "maakunta"
    extra["value"] = [1e6, -1e6]
    country = extra.copy()
    country["area_code"], country["area_level"] = "SSS", "maa"
    with_aggregates = pd.concat([panel, extra, country], ignore_index=True)
    for norm in NORMALISATIONS:
        base = run(norm, "arithmetic")
        other = run(norm, "arithmetic", panel=with_aggregates)
        assert list(other["area_code"]) == list(base["area_code"])
        assert np.allclose(other["index"], base["index"])


# ---- missing values -----------------------------------------------------------------------------
def test_missing_component_gives_no_index_and_is_listed():
    D, E = "KU072", "KU139"  # Hailuoto, Ii
    values = {
        X: {A: 10, B: 20, C: 40, D: 15, E: 12},
        Y: {A: 30_000, B: 10_000, C: np.nan, E: 25_000},
    }
    # C: suppressed (NaN with '..'); D: no median_income row at all;
    # E: a value carrying a suppression symbol still counts as missing
    status = {(Y, C): "..", (Y, E): "..."}
    res = build_index(make_panel(values, status=status), IndexSpec(PAIR), directions=DIRS)
    missing = by_code(res, "missing")
    assert missing == {A: "", B: "", C: Y, D: Y, E: Y}
    idx = by_code(res, "index")
    assert all(math.isnan(idx[k]) for k in (C, D, E))
    assert not any(math.isnan(idx[k]) for k in (A, B))
    ranks = by_code(res, "rank")
    assert ranks[A] == 2 and ranks[B] == 1 and all(pd.isna(ranks[k]) for k in (C, D, E))
    assert by_code(res, "n_components") == {A: 2, B: 2, C: 1, D: 1, E: 1}
    # the remaining component is still shown, normalised over every municipality having it
    assert by_code(res, X)[C] == pytest.approx(100.0)


def test_areas_argument_reports_absent_municipality():
    res = build_index(make_panel(BASE), IndexSpec(PAIR), directions=DIRS, areas=[A, B, C, "KU072"])
    row = res.set_index("area_code").loc["KU072"]
    assert math.isnan(row["index"]) and row["missing"] == f"{X}, {Y}" and row["n_components"] == 0
    with pytest.raises(ValueError, match="municipality codes"):
        build_index(make_panel(BASE), IndexSpec(PAIR), directions=DIRS, areas=[A, B, "MK17"])


def test_default_year_is_latest_common():
    old = make_panel(BASE, year=2022)
    new_x_only = make_panel({X: BASE[X]}, year=2023)
    res = build_index(pd.concat([old, new_x_only]), IndexSpec(PAIR), directions=DIRS)
    assert set(res["year"]) == {2022}
    with pytest.raises(ValueError, match="at least two"):
        build_index(pd.concat([old, new_x_only]), IndexSpec(PAIR), directions=DIRS, year=2023)


# ---- sensitivity --------------------------------------------------------------------------------
SENS_CODES = dict(D="KU208", A="KU244", B="KU305", C="KU317", E="KU425", F="KU436")
# two higher-is-worse indicators; D is the worst on both, A and C each on one only
SENS = {
    X: {"D": 100, "A": 95, "B": 50, "C": 0, "E": 40, "F": 30},
    "unemployment_rate": {"D": 100, "A": 0, "B": 50, "C": 95, "E": 40, "F": 30},
}


def sens_panel() -> pd.DataFrame:
    return make_panel(
        {ind: {SENS_CODES[k]: v for k, v in vals.items()} for ind, vals in SENS.items()}
    )


def test_sensitivity_flags_method_dependent_rank():
    res = sensitivity(sens_panel(), (X, "unemployment_rate"), directions=DIRS)
    res = res.set_index("area_code")
    # 1 equal scheme + 2 leave-one-out schemes, × 3 normalisations × 2 aggregations
    assert len(res.attrs["scenarios"]) == 18
    assert (res["n_scenarios"] == 18).all()
    d, a = res.loc[SENS_CODES["D"]], res.loc[SENS_CODES["A"]]
    # D is first whatever the method
    assert (d["rank_best"], d["rank_worst"], d["rank_range"], bool(d["robust"])) == (1, 1, 0, True)
    # A: 2nd when only share_75plus counts, last (6th) when only unemployment counts
    assert a["rank_best"] == 2 and a["rank_worst"] == 6
    assert a["rank_range"] == 4 and not a["robust"]  # 4 > default threshold of 3 places
    assert (res["rank_range"] == res["rank_worst"] - res["rank_best"]).all()
    assert (res["rank_best"] <= res["rank_median"]).all()
    assert (res["rank_median"] <= res["rank_worst"]).all()
    # a stricter threshold marks more municipalities as not robust, never D
    strict = sensitivity(
        sens_panel(), (X, "unemployment_rate"), directions=DIRS, robust_max_range=0
    ).set_index("area_code")
    assert bool(strict.loc[SENS_CODES["D"], "robust"])
    assert not strict.loc[SENS_CODES["B"], "robust"]


def test_sensitivity_custom_schemes_and_missing():
    panel = sens_panel()
    extra = make_panel({X: {"KU483": 60}})  # Merijärvi lacks unemployment_rate
    res = sensitivity(
        pd.concat([panel, extra]),
        (X, "unemployment_rate"),
        directions=DIRS,
        weight_schemes=[{X: 1, "unemployment_rate": 1}, {X: 3, "unemployment_rate": 1}],
        normalisations=("minmax",),
        aggregations=("arithmetic",),
        leave_one_out=False,
    ).set_index("area_code")
    assert len(res.attrs["scenarios"]) == 2
    row = res.loc["KU483"]
    assert row["n_scenarios"] == 0 and not row["robust"] and pd.isna(row["rank_best"])
    assert res.loc[SENS_CODES["D"], "rank_base"] == 1
