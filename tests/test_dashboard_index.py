"""The index view's data: candidates, choices from untrusted input, index and rank ranges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboards import indexdata, state
from dashboards.views import index as index_view
from digiindicators.catalog import load_catalog
from digiindicators.composite import IndexSpec, RankRanges, build_index, sensitivity
from tests.panel_factory import ESTIMATE_INDICATOR, make_app, make_panel

ACTIVE = ["share_75plus", "poverty_rate", "unemployment_rate", ESTIMATE_INDICATOR]


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def names():
    from digiindicators.areas import areas

    return areas().names("fi")


def directions(inds):
    cat = load_catalog()
    return {i: cat[i].direction for i in inds}


def test_candidates_have_a_direction_and_are_not_counts(panel):
    cands = indexdata.candidates(panel, load_catalog())
    # population is neutral and a count; survey rows and national-only series are out.
    assert cands == ["share_75plus", "median_income", "poverty_rate", "unemployment_rate",
                     ESTIMATE_INDICATOR]
    weights = indexdata.default_weights(cands)
    assert weights == {"share_75plus": 1.0, "median_income": 0.0, "poverty_rate": 1.0,
                       "unemployment_rate": 1.0, ESTIMATE_INDICATOR: 1.0}


def test_clean_choice_trusts_nothing():
    cands = ["a", "b"]
    choice = indexdata.clean_choice({"a": "3", "b": 99, "evil": 5}, "zscore", "bogus", "20x24",
                                    cands)
    assert choice.weights == {"a": 3.0, "b": indexdata.MAX_WEIGHT}
    assert (choice.normalisation, choice.aggregation, choice.year) == ("zscore", "arithmetic",
                                                                        None)
    assert indexdata.clean_choice({"a": -1, "b": float("nan")}, None, None, None,
                                  cands).weights == {"a": 0.0, "b": 0.0}


def test_common_years(panel):
    assert indexdata.common_years(panel, ["share_75plus", "unemployment_rate"]) == [
        2021, 2022, 2023, 2024]
    assert indexdata.common_years(panel, ACTIVE) == [2022, 2023, 2024]
    assert indexdata.common_years(panel, []) == []


def test_compute_matches_the_library(panel, names):
    weights = {"share_75plus": 2.0, "poverty_rate": 1.0, "unemployment_rate": 1.0,
               ESTIMATE_INDICATOR: 1.0, "median_income": 0.0}
    choice = indexdata.IndexChoice(weights, "zscore", "geometric", 2023)
    res = indexdata.compute(panel, choice, load_catalog(), names)
    assert res.error == "" and res.year == 2023 and res.years == [2022, 2023, 2024]
    spec = IndexSpec(tuple(ACTIVE), {i: weights[i] for i in ACTIVE}, "zscore", "geometric")
    expected = build_index(panel, spec, year=2023, directions=directions(ACTIVE))
    got = res.table.set_index("area_code")
    for rec in expected.to_dict("records"):
        assert got.at[rec["area_code"], "index"] == pytest.approx(rec["index"])
        assert got.at[rec["area_code"], "rank"] == rec["rank"]
    sens = sensitivity(panel, ACTIVE, directions=directions(ACTIVE), year=2023,
                       weight_schemes=[{i: weights[i] for i in ACTIVE}],
                       normalisations=["zscore", "minmax", "rank"],
                       aggregations=["geometric", "arithmetic"]).set_index("area_code")
    for code in got.index:
        assert got.at[code, "rank_best"] == sens.at[code, "rank_best"]
        assert got.at[code, "rank_worst"] == sens.at[code, "rank_worst"]
        assert bool(got.at[code, "robust"]) == bool(sens.at[code, "robust"])
        # The rank the page shows is inside the range it draws.
        assert got.at[code, "rank_best"] <= got.at[code, "rank"] <= got.at[code, "rank_worst"]
    assert res.scenarios == (1 + len(ACTIVE)) * 3 * 2
    assert got.at["KU564", "name"] == "Oulu"


def test_missing_component_means_no_index(panel, names):
    # Hailuoto's poverty rate 2024 is ".": no index for it that year, listed as missing.
    choice = indexdata.IndexChoice(indexdata.default_weights(
        indexdata.candidates(panel, load_catalog())), year=2024)
    res = indexdata.compute(panel, choice, load_catalog(), names)
    row = res.table.set_index("area_code").loc["KU072"]
    assert pd.isna(row["index"]) and "poverty_rate" in row["missing"]
    cell = indexdata.index_values(res)["KU072"]
    assert cell.status == ".." and cell.value is None and cell.name == "Hailuoto"
    unstable = indexdata.unstable(res)
    assert not any(r["robust"] for r in unstable)
    assert "KU072" not in {r["area_code"] for r in unstable}


def _chart_rankings(panel, names, choice):
    """The index chart's ranking read from the columns, and by looking every value up."""
    from dashboards import figures
    from digiindicators.areas import areas

    res = indexdata.compute(panel, choice, load_catalog(), names, ranges=False)
    info = figures.IndicatorInfo(indexdata.INDEX_ID, "Indeksi", "", "indeksi", 1,
                                 "higher_is_worse", "")
    values = indexdata.index_values(res)
    return (indexdata.index_ranking(res, info, "fi", areas()),
            figures.ranking_of(values, info, res.year, "fi", areas(), values))


@pytest.mark.parametrize("year", [None, 2024])  # 2024: Hailuoto has no index
def test_index_chart_ranking_from_columns_is_the_ranking_of_its_values(panel, names, year):
    weights = indexdata.default_weights(indexdata.candidates(panel, load_catalog()))
    choice = indexdata.IndexChoice({**weights, "poverty_rate": 2.5}, year=year)
    from_columns, looked_up = _chart_rankings(panel, names, choice)
    assert from_columns == looked_up
    assert [type(a) for a in from_columns.ranked] == [type(a) for a in looked_up.ranked]
    assert len(from_columns.ranked) + len(from_columns.missing) == 30


def test_index_chart_orders_equal_indices_by_name_as_every_chart_does(panel, names):
    # Vaala (KU785) gets Utajärvi's (KU889) values: equal indices, which the columns order
    # by code (Vaala first) and a chart by name (Utajärvi first).
    active = ["share_75plus", "poverty_rate"]
    part = panel[panel["indicator"].isin(active)].copy()
    source = part[part["area_code"] == "KU889"].set_index(["indicator", "year"])["value"]
    vaala = part["area_code"] == "KU785"
    part.loc[vaala, "value"] = [source[(i, y)] for i, y in
                                zip(part.loc[vaala, "indicator"], part.loc[vaala, "year"],
                                    strict=True)]
    choice = indexdata.IndexChoice({"share_75plus": 1.0, "poverty_rate": 1.0})
    from_columns, looked_up = _chart_rankings(part, names, choice)
    assert from_columns == looked_up
    order = [a.code for a in from_columns.ranked]
    assert order.index("KU889") + 1 == order.index("KU785")


def test_errors_the_page_can_explain(panel, names):
    zero = indexdata.IndexChoice({"share_75plus": 0.0})
    assert indexdata.compute(panel, zero, load_catalog(), names).error == "weights"
    # 2020 share_75plus with 2025-only... no common year: unemployment starts 2021 and the
    # estimate 2022; a panel without 2022+ estimate years has none in common.
    cut = panel[panel.indicator != ESTIMATE_INDICATOR]
    cut = pd.concat([cut, panel[(panel.indicator == ESTIMATE_INDICATOR)].assign(year=2030)])
    choice = indexdata.IndexChoice({"share_75plus": 1.0, ESTIMATE_INDICATOR: 1.0})
    assert indexdata.compute(cut, choice, load_catalog(), names).error == "year"


def test_index_state_in_the_url():
    ctx = make_app().digi_ctx
    default = index_view.choice_from_query(ctx, {})
    assert default.weights == indexdata.default_weights(indexdata.candidates(
        ctx.panel, ctx.catalog))
    assert index_view.query_of(ctx, default, 2024) == {
        "vuosi": 2024, "normalisointi": "minmax", "aggregointi": "arithmetic", "painot": ""}
    query = state.parse_search("?painot=median_income:2,share_75plus:1&normalisointi=rank"
                               "&aggregointi=geometric&vuosi=2023")
    choice = index_view.choice_from_query(ctx, query)
    assert choice.active == ["share_75plus", "median_income"]
    assert (choice.normalisation, choice.aggregation, choice.year) == ("rank", "geometric", 2023)
    assert index_view.query_of(ctx, choice, 2023)["painot"] == "share_75plus:1,median_income:2"
    # Every weight zero is kept in the URL as "0", not mistaken for "defaults".
    zero = indexdata.IndexChoice({c: 0.0 for c in default.weights})
    assert index_view.query_of(ctx, zero, None)["painot"] == "0"
    assert index_view.choice_from_query(ctx, {"painot": "0"}).active == []


def test_ranked_rows_are_the_tables_and_a_renamed_result_renames_both(panel, names):
    choice = indexdata.IndexChoice(indexdata.default_weights(
        indexdata.candidates(panel, load_catalog())))
    res = indexdata.compute(panel, choice, load_catalog(), names)
    ranked_table = res.table[res.table["index"].notna()]
    assert [r["area_code"] for r in res.ranked] == list(ranked_table["area_code"])
    assert [r["name"] for r in res.ranked] == list(ranked_table["name"])
    swedish = res.renamed({"KU564": "Uleåborg"})
    assert {r["name"] for r in swedish.ranked if r["area_code"] == "KU564"} == {"Uleåborg"}
    assert swedish.table.set_index("area_code").at["KU564", "name"] == "Uleåborg"
    assert [r["index"] for r in swedish.ranked] == [r["index"] for r in res.ranked]
    assert res.table.set_index("area_code").at["KU564", "name"] == "Oulu"  # not changed


def test_unstable_rows_widest_range_first_then_by_rank():
    nan = float("nan")
    columns = {"area_code": ["A", "B", "C", "D", "E"], "index": [9.0, 8.0, 7.0, 6.0, nan],
               "rank": [1, 2, 3, 4, None]}
    # The ranges in their own order (by median), E never ranked: joined to the index by code.
    best, worst = np.array([1.0, 1.0, 1.0, 2.0, nan]), np.array([2.0, 5.0, 7.0, 6.0, nan])
    ranges = RankRanges(["B", "A", "C", "D", "E"], best, best, best, worst, worst - best,
                        np.array([3, 3, 3, 3, 0]), (worst - best) <= 3, 3, ["s"] * 3, 2024)
    res = indexdata.IndexResult(None, 2024, columns=columns,
                                ranges=indexdata.RangesByArea.of(ranges))
    assert [r["area_code"] for r in indexdata.ranked(res)] == ["A", "B", "C", "D"]
    assert indexdata.ranked(res)[0]["name"] == "A"  # no name: the code
    assert [(r["area_code"], r["rank_range"]) for r in indexdata.unstable(res)] == [
        ("C", 6), ("A", 4), ("D", 4)]
    rank_best, _median, _worst, _range, robust = res.range_columns
    assert robust == [False, True, False, False, False]
    assert rank_best == [1, 1, 1, 2, None]


def test_range_columns_and_ranked_rows_equal_pandas_records(panel, names):
    """What the page reads (columns joined by position) is what pandas' left join of the
    library's tables holds, value and type."""
    res = indexdata.compute(panel, indexdata.IndexChoice(indexdata.default_weights(
        indexdata.candidates(panel, load_catalog())), year=2024), load_catalog(), names)
    want = res.table.to_dict("records")
    assert any(pd.isna(r["rank_best"]) for r in want)
    for at, expected in enumerate(want):
        assert res.columns["area_code"][at] == expected["area_code"]
        for key, column in zip(indexdata.RANGE_COLUMNS, res.range_columns, strict=True):
            got, value = column[at], expected[key]
            assert type(got) is type(value), key
            assert got == value or (pd.isna(value) and pd.isna(got)), key
    ranked = [r for r in want if r["index"] == r["index"]]
    assert 0 < len(res.ranked) == len(ranked) < len(want)
    for got, expected in zip(res.ranked, ranked, strict=True):
        assert got == {key: expected[key] for key in got}
        assert set(got) == {"area_code", "name", "index", "rank", *indexdata.RANGE_COLUMNS}


def _result_with_ranges(spans: list[int]) -> indexdata.IndexResult:
    """A result whose municipality k (rank k + 1, code Kk) moves ``spans[k]`` places."""
    n = len(spans)
    codes = [f"K{k:02d}" for k in range(n)]
    rank = np.arange(1.0, n + 1)
    spread = np.array(spans, dtype=float)
    ranges = RankRanges(codes, rank, rank, rank, rank + spread, spread,
                        np.full(n, 36), spread <= 3, 3, ["s"] * 36, 2024)
    columns = {"area_code": codes, "index": list(100.0 - rank), "rank": [int(r) for r in rank]}
    return indexdata.IndexResult(None, 2024, scenarios=36, robust_max_range=3,
                                 columns=columns, ranges=indexdata.RangesByArea.of(ranges),
                                 names={c: f"Kunta {c}" for c in codes})


def test_rank_caption_names_the_widest_ranges_and_counts_the_rest():
    """A summary read out whole: at most ten names, widest range first; the table has all."""
    spans = [k % 7 + 4 for k in range(14)] + [1, 2]  # 14 move more than 3 places
    text = index_view._rank_caption(_result_with_ranges(spans), "fi")
    assert text.startswith("Sijoitus laskettiin 36 tavalla; se pysyi enintään 3 sijan "
                           "sisällä 2 kunnalla 16:sta.")
    named = [f"Kunta K{k:02d}" for k in range(14)]
    assert sum(name in text for name in named) == index_view.CAPTION_NAMES
    assert "riippuu: Kunta K06 (7–17), Kunta K13 (14–24), Kunta K05" in text  # widest first
    assert text.endswith("lisäksi 4 muuta (taulukossa).")
    few = index_view._rank_caption(_result_with_ranges([5, 1, 9]), "en")
    assert few.endswith("Depends on the method: Kunta K02 (3–12), Kunta K00 (1–6).")
