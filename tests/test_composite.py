"""Tests of the digital-divide risk index: hand-computed cases, invariances, sensitivity."""

from __future__ import annotations

import itertools
import math
import statistics

import numpy as np
import pandas as pd
import pytest

from digiindicators.composite import (
    AGGREGATIONS,
    NORMALISATIONS,
    IndexInputs,
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


# ---- sensitivity = a loop of build_index calls, computed without re-running build_index -----
def reference_sensitivity(
    panel: pd.DataFrame,
    indicators,
    *,
    directions,
    year=None,
    weight_schemes=None,
    normalisations=NORMALISATIONS,
    aggregations=AGGREGATIONS,
    leave_one_out=True,
    robust_max_range=3,
    areas=None,
) -> pd.DataFrame:
    """What sensitivity means, spelled out: one build_index per scenario, stats row by row."""
    indicators = tuple(indicators)
    schemes = [None] if weight_schemes is None else [dict(s) for s in weight_schemes]
    if leave_one_out and len(indicators) > 1:
        schemes += [{i: float(i != dropped) for i in indicators} for dropped in indicators]
    ranks: dict[str, dict[str, object]] = {}
    year_used = None
    for weights in schemes:
        for norm in normalisations:
            for agg in aggregations:
                spec = IndexSpec(indicators, weights, norm, agg)
                res = build_index(panel, spec, year=year, directions=directions, areas=areas)
                year_used = int(res["year"].iloc[0])
                label = spec.label
                while label in ranks:
                    label += "'"
                ranks[label] = dict(zip(res["area_code"], res["rank"], strict=True))
    labels = list(ranks)
    rows = []
    for code in ranks[labels[0]]:
        got = [int(ranks[label][code]) for label in labels if not pd.isna(ranks[label][code])]
        base = ranks[labels[0]][code]
        rows.append(
            {
                "area_code": code,
                "rank_base": None if pd.isna(base) else int(base),
                "rank_best": min(got) if got else None,
                "rank_median": float(statistics.median(got)) if got else np.nan,
                "rank_worst": max(got) if got else None,
                "rank_range": max(got) - min(got) if got else None,
                "n_scenarios": len(got),
                "robust": bool(got) and max(got) - min(got) <= robust_max_range,
            }
        )
    out = pd.DataFrame(rows).astype(
        {
            "rank_base": "Int64",
            "rank_best": "Int64",
            "rank_median": float,
            "rank_worst": "Int64",
            "rank_range": "Int64",
            "n_scenarios": int,
            "robust": bool,
        }
    )
    out = out.sort_values(
        ["rank_median", "rank_best", "area_code"], na_position="last", ignore_index=True
    )
    out.attrs = {"scenarios": labels, "year": year_used, "robust_max_range": robust_max_range}
    return out


@pytest.fixture(scope="module")
def synthetic_panel() -> pd.DataFrame:
    """The dashboard tests' synthetic panel: 30 municipalities, suppressed cells in 2024."""
    from tests.panel_factory import make_panel as make_synthetic_panel

    return make_synthetic_panel(extras=False)


SYNTH = ("share_75plus", "median_income", "poverty_rate", "unemployment_rate")
SUBSET = ["KU009", "KU069", "KU072", "KU139", "KU208", "KU483", "KU564", "KU630", "KU746"]


def _with_gaps() -> pd.DataFrame:
    """sens_panel + one municipality lacking a row, one suppressed cell, one '...' value."""
    D, G = SENS_CODES["D"], "KU483"
    values = {ind: {SENS_CODES[k]: v for k, v in vals.items()} for ind, vals in SENS.items()}
    values[X][G] = 60.0  # G has no unemployment_rate row at all
    values["unemployment_rate"][SENS_CODES["B"]] = np.nan  # suppressed ('..')
    status = {("unemployment_rate", SENS_CODES["B"]): "..", (X, D): "..."}
    return make_panel(values, status=status)


def _disjoint() -> pd.DataFrame:
    """Each indicator has values, but no municipality has both: nobody can be ranked."""
    return make_panel({X: {A: 10, B: 20}, Y: {C: 30_000, "KU072": 10_000}})


EQUIVALENCE_CASES = {
    "defaults, leave-one-out": (sens_panel, (X, "unemployment_rate"), {}),
    "gaps, duplicate custom scheme, no leave-one-out": (
        _with_gaps,
        (X, "unemployment_rate"),
        dict(
            weight_schemes=[{X: 1, "unemployment_rate": 1}, {X: 3, "unemployment_rate": 1}] * 2,
            leave_one_out=False,
            normalisations=("rank", "minmax"),
        ),
    ),
    "gaps, custom scheme + leave-one-out, strict": (
        _with_gaps,
        (X, "unemployment_rate"),
        dict(weight_schemes=[{X: 2, "unemployment_rate": 0.5}], robust_max_range=0),
    ),
    "tied ranks": (lambda: make_panel(BASE), PAIR, dict(aggregations=("geometric",))),
    "nobody complete": (_disjoint, PAIR, {}),
    "synthetic region": ("synthetic", SYNTH, {}),
    "synthetic region, areas subset with an absent code": (
        "synthetic",
        SYNTH,
        dict(
            areas=[*SUBSET, "KU001"],
            leave_one_out=False,
            weight_schemes=[dict.fromkeys(SYNTH, 1.0), dict.fromkeys(SYNTH, 2.0)],
        ),
    ),
    "synthetic region, areas subset, earlier year, leave-one-out": (
        "synthetic",
        SYNTH,
        dict(areas=SUBSET, year=2022, normalisations=("zscore",), robust_max_range=1),
    ),
}


@pytest.mark.parametrize("case", list(EQUIVALENCE_CASES))
def test_sensitivity_equals_a_loop_of_build_index(case, synthetic_panel):
    make, indicators, kw = EQUIVALENCE_CASES[case]
    panel = synthetic_panel if make == "synthetic" else make()
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    got = sensitivity(panel, indicators, directions=directions, **kw)
    expected = reference_sensitivity(panel, indicators, directions=directions, **kw)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs
    assert list(got.columns) == [
        "area_code",
        "rank_base",
        "rank_best",
        "rank_median",
        "rank_worst",
        "rank_range",
        "n_scenarios",
        "robust",
    ]
    assert got["n_scenarios"].dtype == np.dtype(int) and got["robust"].dtype == bool


def test_equivalence_cases_cover_what_they_claim(synthetic_panel):
    """Guards the cases above against becoming vacuous (no gaps, no spread, no duplicates)."""
    gaps = reference_sensitivity(
        _with_gaps(),
        (X, "unemployment_rate"),
        directions=DIRS,
        **EQUIVALENCE_CASES["gaps, duplicate custom scheme, no leave-one-out"][2],
    ).set_index("area_code")
    assert gaps.loc[["KU483", SENS_CODES["B"], SENS_CODES["D"]], "n_scenarios"].eq(0).all()
    assert any(label.endswith("'") for label in gaps.attrs["scenarios"])
    assert gaps["rank_range"].max() > 0 and gaps["robust"].any()
    # median of an even number of ranks can fall between two ranks
    assert (gaps["rank_median"].dropna() % 1 != 0).any()
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    synth = reference_sensitivity(synthetic_panel, SYNTH, directions=directions)
    unranked = set(synth.loc[synth["n_scenarios"] == 0, "area_code"])
    assert unranked == {"KU072", "KU483", "KU630"}  # the suppressed cells of 2024
    assert (~synth["robust"]).any() and synth["robust"].any()
    subset = reference_sensitivity(
        synthetic_panel,
        SYNTH,
        directions=directions,
        areas=[*SUBSET, "KU001"],
        leave_one_out=False,
    ).set_index("area_code")
    assert set(subset.index) == {*SUBSET, "KU001"}
    assert subset.loc["KU001", "n_scenarios"] == 0
    assert subset["rank_worst"].max() <= len(SUBSET)  # ranked among the subset only


@pytest.fixture
def calls(monkeypatch) -> dict:
    """Counts of the matrix builds and the normalisations (by method) the test causes."""
    import digiindicators.composite as composite

    counted: dict = {"matrix": 0, "normalise": []}
    matrix, normalise = composite._municipal_matrix, composite._normalise

    def counting_matrix(*args, **kwargs):
        counted["matrix"] += 1
        return matrix(*args, **kwargs)

    def counting_normalise(values, signs, method, goalposts):
        counted["normalise"].append(method)
        return normalise(values, signs, method, goalposts)

    monkeypatch.setattr(composite, "_municipal_matrix", counting_matrix)
    monkeypatch.setattr(composite, "_normalise", counting_normalise)
    return counted


def test_sensitivity_builds_the_matrix_once_and_normalises_once_per_method(calls):
    res = sensitivity(sens_panel(), (X, "unemployment_rate"), directions=DIRS)
    assert len(res.attrs["scenarios"]) == 18
    assert calls == {"matrix": 1, "normalise": list(NORMALISATIONS)}


SENS_PAIR = (X, "unemployment_rate")
SENS_ERRORS = {
    "negative weight": (dict(weight_schemes=[{X: -1.0, "unemployment_rate": 1.0}]), "≥ 0"),
    "negative weight in a later scheme": (
        dict(weight_schemes=[dict.fromkeys(SENS_PAIR, 1.0), {X: -1.0, "unemployment_rate": 1.0}]),
        "≥ 0",
    ),
    "unknown weight": (
        dict(weight_schemes=[{X: 1.0, "unemployment_rate": 1.0, Y: 1.0}]),
        "not in the spec: median_income",
    ),
    "weight missing": (dict(weight_schemes=[{X: 1.0}]), "no weight for: unemployment_rate"),
    "all-zero weights": (dict(weight_schemes=[{X: 0, "unemployment_rate": 0}]), "all be zero"),
    "empty scheme list": (dict(weight_schemes=[]), "must not be an empty list"),
    "unknown normalisation": (dict(normalisations=("minmax", "maxmin")), "got 'maxmin'"),
    "unknown aggregation": (dict(aggregations=("harmonic",)), "got 'harmonic'"),
    "no aggregation": (dict(aggregations=()), "at least one normalisation"),
    "negative robust range": (dict(robust_max_range=-1), "robust_max_range"),
    "missing direction": (dict(directions={X: "higher_is_worse"}), "No direction given"),
    "neutral direction": (
        dict(directions={X: "higher_is_worse", "unemployment_rate": "neutral"}),
        "'neutral'",
    ),
    "areas not municipalities": (dict(areas=[A, "MK17"]), "municipality codes"),
    "too few values among the areas": (dict(areas=[SENS_CODES["D"], A]), "has 1 municipal"),
    "no such year": (dict(year=2019), "0 municipal value"),
}


@pytest.mark.parametrize("case", list(SENS_ERRORS))
def test_sensitivity_errors(case):
    kw, message = SENS_ERRORS[case]
    kw = {"directions": DIRS, **kw}
    with pytest.raises(ValueError, match=message):
        sensitivity(sens_panel(), SENS_PAIR, **kw)


def test_sensitivity_errors_in_data_and_first_error_wins():
    one_value = make_panel(
        {
            X: {SENS_CODES[k]: v for k, v in SENS[X].items()},
            "unemployment_rate": {SENS_CODES["D"]: 5.0},
        }
    )
    with pytest.raises(ValueError, match="has 1 municipal value"):
        sensitivity(one_value, SENS_PAIR, directions=DIRS, year=2024)
    # the data error comes first, as it would in a loop of build_index calls: the bad
    # second scheme is never reached
    with pytest.raises(ValueError, match="has 1 municipal value"):
        sensitivity(
            one_value,
            SENS_PAIR,
            directions=DIRS,
            year=2024,
            weight_schemes=[dict.fromkeys(SENS_PAIR, 1.0), {X: -1.0, "unemployment_rate": 1.0}],
        )
    flat = make_panel({X: {A: 5, B: 5, C: 5}, Y: BASE[Y]})
    with pytest.raises(ValueError, match="same value"):
        sensitivity(flat, PAIR, directions=DIRS)
    # ... while a bad first spec is refused before any data is looked at
    with pytest.raises(ValueError, match="got 'maxmin'"):
        sensitivity(flat, PAIR, directions=DIRS, normalisations=("maxmin",))
    duplicated = pd.concat([make_panel(BASE), make_panel(BASE).iloc[:1]])
    with pytest.raises(ValueError, match="several share_75plus values"):
        sensitivity(duplicated, PAIR, directions=DIRS)
    with pytest.raises(ValueError, match="No year in which every indicator"):
        sensitivity(make_panel({X: BASE[X]}), PAIR, directions=DIRS)


def test_municipalities_equal_on_paper_share_a_rank():
    """The same component scores in another order sum to the same index on paper, but a
    float sum can differ in the last bit (10.3/3 + 27.1/3 + 61.9/3 is 33.1 one way round
    and 33.099999999999994 the other); they must share a rank, in the index and in every
    sensitivity scenario."""
    inds = ("x1", "x2", "x3")
    dirs = {i: "higher_is_worse" for i in inds}
    values = {"x1": {A: 10.3, B: 61.9, C: 0.0}, "x2": {A: 27.1, B: 27.1, C: 0.0},
              "x3": {A: 61.9, B: 10.3, C: 100.0}}
    panel = make_panel(values)
    spec = IndexSpec(inds, None, "minmax", "arithmetic",
                     goalposts={i: (0.0, 100.0) for i in inds})
    res = build_index(panel, spec, directions=dirs)
    index = by_code(res, "index")
    assert index[A] == pytest.approx(index[B], abs=1e-12)
    assert by_code(res, "rank")[A] == by_code(res, "rank")[B] == 2  # C (33.3) is first
    # Rank scores: A (50, 75, 50) and B (100, 75, 0) have the same arithmetic mean.
    ranges = sensitivity(panel, inds, directions=dirs, leave_one_out=False,
                         normalisations=("rank",), aggregations=("arithmetic",))
    ranked = ranges.set_index("area_code")
    assert ranked.loc[A, "rank_best"] == ranked.loc[B, "rank_best"]
    assert ranked.loc[A, "rank_worst"] == ranked.loc[B, "rank_worst"]


# ---- inputs kept for many weight sets ------------------------------------------------------------
WEIGHT_SETS = [None, dict.fromkeys(SYNTH, 1.0), dict(zip(SYNTH, (3.0, 0.5, 1.0, 2.0), strict=True)),
               dict(zip(SYNTH, (0.0, 1.0, 1.0, 4.0), strict=True))]


def test_kept_inputs_give_the_functions_frames_for_every_weight_set(synthetic_panel):
    """One IndexInputs, asked in turn for indices and rank ranges of many weight sets and
    methods (its kept matrix and scores reused), gives the frames of the one-off functions
    to the bit — 2024 has suppressed cells, so municipalities without an index are in."""
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    inputs = IndexInputs(synthetic_panel, SYNTH, directions=directions, year=2024)
    assert inputs.year == 2024
    for weights in WEIGHT_SETS:
        got = inputs.sensitivity([weights] if weights else None, robust_max_range=2)
        want = sensitivity(synthetic_panel, SYNTH, directions=directions, year=2024,
                           weight_schemes=[weights] if weights else None, robust_max_range=2)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert got.attrs == want.attrs
        for norm, agg in itertools.product(NORMALISATIONS, AGGREGATIONS):
            spec = IndexSpec(SYNTH, weights, norm, agg)
            got = inputs.index(spec)
            want = build_index(synthetic_panel, spec, year=2024, directions=directions)
            pd.testing.assert_frame_equal(got, want, check_exact=True)
            assert got.attrs == want.attrs
    assert build_index(synthetic_panel, IndexSpec(SYNTH), year=2024,
                       directions=directions)["index"].isna().sum() == 3
    goalposts = {X: (0.0, 50.0)}  # not kept: the scores depend on them
    spec = IndexSpec(SYNTH, None, "minmax", "arithmetic", goalposts=goalposts)
    pd.testing.assert_frame_equal(
        inputs.index(spec), build_index(synthetic_panel, spec, year=2024, directions=directions),
        check_exact=True)


def _column_values(frame: pd.DataFrame) -> dict[str, list]:
    return {name: column.tolist() for name, column in frame.items()}


def _same_value(got, want) -> bool:
    if type(got) is not type(want):
        return False
    return got == want or (pd.isna(want) and pd.isna(got))


def test_kept_inputs_give_the_frames_columns_as_lists_and_ranges_as_arrays(synthetic_panel):
    """index_columns holds exactly the values of index's frame, column by column (types
    and missing markers included), and rank_ranges is sensitivity before its frame."""
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    inputs = IndexInputs(synthetic_panel, SYNTH, directions=directions, year=2024)
    for weights in WEIGHT_SETS:
        for norm, agg in itertools.product(NORMALISATIONS, AGGREGATIONS):
            spec = IndexSpec(SYNTH, weights, norm, agg)
            frame = inputs.index(spec)
            columns = inputs.index_columns(spec)
            assert list(columns) == list(frame.columns)
            for name, values in _column_values(frame).items():
                got = columns[name]
                assert all(_same_value(g, w) for g, w in zip(got, values, strict=True)), name
        ranges = inputs.rank_ranges([weights] if weights else None, robust_max_range=2)
        want = sensitivity(synthetic_panel, SYNTH, directions=directions, year=2024,
                           weight_schemes=[weights] if weights else None, robust_max_range=2)
        pd.testing.assert_frame_equal(ranges.frame(), want, check_exact=True)
        assert ranges.frame().attrs == want.attrs
        assert ranges.area_code == want["area_code"].tolist()
        assert np.array_equal(ranges.rank_best, want["rank_best"].to_numpy(float, na_value=np.nan),
                              equal_nan=True)
    assert any(pd.isna(r) for r in inputs.index_columns(IndexSpec(SYNTH))["rank"])  # covered


def test_kept_inputs_build_the_matrix_once_and_normalise_once_per_method(calls,
                                                                         synthetic_panel):
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    inputs = IndexInputs(synthetic_panel, SYNTH, directions=directions)
    assert calls["matrix"] == 0  # the matrix waits for the first spec
    for weights in WEIGHT_SETS:
        inputs.index(IndexSpec(SYNTH, weights, "rank", "geometric"))
        inputs.sensitivity([weights] if weights else None)
    assert calls == {"matrix": 1, "normalise": ["rank", "minmax", "zscore"]}


def test_kept_inputs_weigh_the_leave_one_out_scenarios_once(monkeypatch, synthetic_panel):
    """The leave-one-out scenarios do not depend on the weights asked, so kept inputs weigh
    them once; each later weight set weighs only its own scenarios. Asked in the
    dashboard's order (the chosen method first), the frames stay the one-off function's."""
    import digiindicators.composite as composite

    weighed: list[int] = []  # weight schemes aggregated per call
    combine = composite._combine_weights

    def counting(scaled, weights, aggregation):
        weighed.append(len(weights))
        return combine(scaled, weights, aggregation)

    monkeypatch.setattr(composite, "_combine_weights", counting)
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    inputs = IndexInputs(synthetic_panel, SYNTH, directions=directions, year=2024)
    methods = len(NORMALISATIONS) * len(AGGREGATIONS)
    orders = [(NORMALISATIONS, AGGREGATIONS),
              (("zscore", "minmax", "rank"), ("geometric", "arithmetic"))]
    for n, (weights, (norms, aggs)) in enumerate(itertools.product(WEIGHT_SETS[1:], orders)):
        weighed.clear()
        got = inputs.sensitivity([weights], normalisations=norms, aggregations=aggs)
        seen = list(weighed)
        want = sensitivity(synthetic_panel, SYNTH, directions=directions, year=2024,
                           weight_schemes=[weights], normalisations=norms, aggregations=aggs)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert got.attrs == want.attrs
        assert len(got.attrs["scenarios"]) == methods * (1 + len(SYNTH))
        own = [1] * methods  # the asked scheme, once per method
        made = [len(SYNTH)] * methods  # then each method's leave-one-out schemes
        assert seen == (own + made if n == 0 else own), n


def test_kept_inputs_refuse_other_indicators_and_keep_their_scores(synthetic_panel):
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    inputs = IndexInputs(synthetic_panel, SYNTH, directions=directions, year=2024)
    with pytest.raises(ValueError, match="not the inputs'"):
        inputs.index(IndexSpec(tuple(reversed(SYNTH))))  # the order of the sums matters
    with pytest.raises(ValueError, match="not the inputs'"):
        inputs.index(IndexSpec(SYNTH[:2]))
    first = inputs.index(IndexSpec(SYNTH))
    kept = first.copy()
    first[X] = -1.0  # the caller's frame is the caller's
    first["index"] = -1.0
    pd.testing.assert_frame_equal(inputs.index(IndexSpec(SYNTH)), kept, check_exact=True)


def test_kept_inputs_answer_threads_at_once(synthetic_panel):
    """A dashboard shares one instance between its request threads: the first use, which
    builds the matrix, may come from several at once."""
    from concurrent.futures import ThreadPoolExecutor

    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    want = build_index(synthetic_panel, IndexSpec(SYNTH), year=2023, directions=directions)
    for _ in range(5):
        inputs = IndexInputs(synthetic_panel, SYNTH, directions=directions, year=2023)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(inputs.index, [IndexSpec(SYNTH)] * 16))
        for got in results:
            pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_index_rows_are_by_rank_then_code_without_index_last(synthetic_panel):
    directions = {**DIRS, "poverty_rate": "higher_is_worse"}
    res = build_index(synthetic_panel, IndexSpec(SYNTH, None, "rank", "arithmetic"),
                      year=2024, directions=directions)
    ranks = [None if pd.isna(r) else int(r) for r in res["rank"]]
    ranked = [(r, c) for r, c in zip(ranks, res["area_code"], strict=True) if r is not None]
    assert ranked == sorted(ranked) and len(ranked) == 27
    assert ranks[27:] == [None] * 3 and list(res["area_code"][27:]) == sorted(res["area_code"][27:])
