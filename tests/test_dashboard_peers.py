"""Peer groups and the profile's comparison rows, computed by hand on the synthetic panel."""

from __future__ import annotations

import math

import pytest

from dashboards import peers, profiledata
from dashboards.areaindex import AreaIndex
from digiindicators.areas import areas
from digiindicators.catalog import load_catalog
from tests.panel_factory import ESTIMATE_INDICATOR, make_panel

URBAN = ["KU244", "KU564", "KU678"]  # Kempele, Oulu, Raahe (class 1 in the area table)


@pytest.fixture(scope="module")
def panel():
    return make_panel()


def value(panel, indicator, year, code):
    rows = panel[(panel.indicator == indicator) & (panel.year == year) & (panel.area_code == code)]
    return float(rows["value"].iloc[0])


def test_peer_members_are_the_same_class_without_the_municipality_itself():
    table = areas()
    assert peers.peer_members(table, "KU564") == ["KU244", "KU678"]
    rural = peers.peer_members(table, "KU072")
    assert "KU072" not in rural and len(rural) == 17
    assert all(table.peer_group(c) == "3" for c in rural)
    assert peers.group_members(table, "1") == URBAN
    # The app's remembering table answers the same, and its answers are the caller's own.
    index = AreaIndex(table)
    for code in table.municipalities():
        assert peers.peer_members(index, code) == peers.peer_members(table, code)
    peers.group_members(index, "1").append("KU999")
    assert peers.group_members(index, "1") == URBAN


def test_share_is_population_weighted(panel):
    got = peers.peer_value(panel, "share_75plus", 2023, "KU564", areas(), "%")
    w = {c: value(panel, "population", 2023, c) for c in ("KU244", "KU678")}
    v = {c: value(panel, "share_75plus", 2023, c) for c in w}
    expected = sum(v[c] * w[c] for c in w) / sum(w.values())
    assert got.method == "weighted" and got.n == 2
    assert got.value == pytest.approx(expected)
    plain = sum(v.values()) / 2
    assert got.value != pytest.approx(plain)  # weighting matters for these numbers


def test_counts_get_the_plain_mean_of_municipalities(panel):
    got = peers.peer_value(panel, "population", 2023, "KU564", areas(), "henkilöä")
    expected = (value(panel, "population", 2023, "KU244")
                + value(panel, "population", 2023, "KU678")) / 2
    assert got.method == "mean" and got.value == pytest.approx(expected)


def test_suppressed_peers_never_enter(panel):
    # Merijärvi (..) and Pyhäntä (...) are rural; Hailuoto's rural peers exclude them in 2024.
    got = peers.peer_value(panel, "share_75plus", 2024, "KU072", areas(), "%")
    assert got.n == 15 and len(got.members) == 17


def test_mean_when_population_is_missing(panel):
    no_pop = panel[panel.indicator != "population"]
    got = peers.peer_value(no_pop, "share_75plus", 2023, "KU564", areas(), "%")
    assert got.method == "mean"
    assert got.value == pytest.approx((value(panel, "share_75plus", 2023, "KU244")
                                       + value(panel, "share_75plus", 2023, "KU678")) / 2)


def test_population_of_an_earlier_year_is_used_when_the_year_has_none(panel):
    # unemployment_rate has 2025, population ends in 2024: weights come from 2024.
    got = peers.peer_value(panel, "unemployment_rate", 2025, "KU564", areas(), "%")
    w = {c: value(panel, "population", 2024, c) for c in ("KU244", "KU678")}
    v = {c: value(panel, "unemployment_rate", 2025, c) for c in w}
    assert got.method == "weighted"
    assert got.value == pytest.approx(sum(v[c] * w[c] for c in w) / sum(w.values()))


def test_no_peer_value_when_nobody_has_one(panel):
    got = peers.group_value(panel, "share_75plus", 2024, ["KU483", "KU630"], "%")
    assert got == peers.PeerValue(None, "none", 0, ("KU483", "KU630"))


def test_profile_rows_compare_with_region_county_and_finland(panel):
    rows = profiledata.profile_rows(panel, "KU564", "fi", load_catalog(), areas())
    by_id = {r.info.id: r for r in rows}
    assert list(by_id) == ["population", "share_75plus", "median_income", "poverty_rate",
                           "unemployment_rate", ESTIMATE_INDICATOR]
    row = by_id["share_75plus"]
    assert row.year == 2024
    assert row.own.value == value(panel, "share_75plus", 2024, "KU564")
    assert row.region.value == value(panel, "share_75plus", 2024, "MK17")
    assert row.county.value == value(panel, "share_75plus", 2024, "HV19")
    assert row.country.value == value(panel, "share_75plus", 2024, "SSS")
    assert row.country.name == "Koko maa"
    assert by_id["unemployment_rate"].year == 2025
    est = by_id[ESTIMATE_INDICATOR]
    assert est.own.status == "e" and est.own.has_interval
    assert est.own.lower < est.own.value < est.own.upper


def test_a_suppressed_latest_year_stays_suppressed(panel):
    rows = profiledata.profile_rows(panel, "KU483", "fi", load_catalog(), areas())
    row = next(r for r in rows if r.info.id == "share_75plus")
    assert row.year == 2024 and row.own.value is None and row.own.status == ".."


def test_trend_and_its_caption(panel):
    tr = profiledata.trend(panel, "share_75plus", "KU564", "fi", load_catalog(), areas())
    assert tr.years == [2020, 2021, 2022, 2023, 2024]
    assert [a.value for a in tr.own] == [value(panel, "share_75plus", y, "KU564")
                                         for y in tr.years]
    assert all(p is not None and not math.isnan(p) for p in tr.peer)
    text = profiledata.trend_caption(tr, "Oulu", "fi")
    assert text.startswith("Oulu: 75 vuotta täyttäneiden osuus 2020 ")
    assert "vuonna 2024 Pohjois-Pohjanmaa" in text and "koko maa" in text
    est = profiledata.trend(panel, ESTIMATE_INDICATOR, "KU564", "sv", load_catalog(), areas())
    assert est.estimated and "beräknade uppskattningar" in profiledata.trend_caption(
        est, "Uleåborg", "sv")
    pop = profiledata.trend(panel, "population", "KU564", "en", load_catalog(), areas())
    assert pop.additive and "in 2024" not in profiledata.trend_caption(pop, "Oulu", "en")
    assert profiledata.trend_indicators(panel, "KU564", load_catalog()) == [
        "population", "share_75plus", "median_income", "poverty_rate", "unemployment_rate",
        ESTIMATE_INDICATOR]


def reference_group_value(panel, indicator, year, members, unit):
    """The module doc's rules spelled out with pandas, one year and group at a time."""
    def known(ind, yr):
        rows = panel[(panel.indicator == ind) & (panel.year == yr)
                     & panel.area_code.isin(members)]
        rows = rows[rows["value"].notna() & ~rows["status"].fillna("").str.strip().isin(
            peers.SUPPRESSED)]
        return dict(zip(rows.area_code, rows["value"].astype(float), strict=True))

    values = known(indicator, year)
    if not values:
        return None, "none", 0
    if unit not in peers.COUNT_UNITS and indicator != peers.POPULATION:
        years = sorted({int(y) for y in panel.loc[panel.indicator == "population", "year"]
                        if int(y) <= year}, reverse=True)
        for candidate in years:
            weights = known(peers.POPULATION, candidate)
            if all(weights.get(c, 0) > 0 for c in values):
                total = sum(weights[c] for c in values)
                return sum(values[c] * weights[c] for c in values) / total, "weighted", \
                    len(values)
    return sum(values.values()) / len(values), "mean", len(values)


def test_group_values_follow_the_rules_for_every_group_indicator_and_year(panel):
    # Every municipality's peer group, every statistic and year of the synthetic panel
    # (suppressed cells, a count, population ending before other series).
    no_2023_population = panel[~((panel.indicator == "population") & (panel.year == 2023)
                                 & (panel.area_code == "KU244"))]
    table = areas()
    checked = {"weighted": 0, "mean": 0, "none": 0}
    for data in (panel, no_2023_population):
        for code in ("KU564", "KU072", "KU244", "KU139"):
            members = peers.peer_members(table, code)
            for indicator in sorted(set(data.indicator)):
                unit = str(data.loc[data.indicator == indicator, "unit"].iloc[0])
                years = sorted({int(y) for y in data.loc[data.indicator == indicator, "year"]})
                got = peers.group_values(data, indicator, [*years, 1999], members, unit)
                for year, value in zip([*years, 1999], got, strict=True):
                    want, method, n = reference_group_value(data, indicator, year, members,
                                                            unit)
                    assert (value.method, value.n) == (method, n), (indicator, year, code)
                    if want is None:
                        assert value.value is None
                    else:
                        assert value.value == pytest.approx(want, rel=1e-12), (indicator, year)
                    assert value.members == tuple(members)
                    checked[method] += 1
    assert min(checked.values()) > 0, checked  # every rule was exercised


def test_a_profiles_cells_asked_together_equal_each_asked_alone(panel):
    """``group_values_of`` (a profile's statistics, each in its own year, in one go) gives
    each cell the value ``group_value`` gives it alone, to the bit: weighted rows, counts,
    population itself, a year without population and a year without values among them."""
    no_2023_population = panel[~((panel.indicator == "population") & (panel.year == 2023)
                                 & (panel.area_code == "KU244"))]
    table = areas()
    for data in (panel, no_2023_population):
        for code in ("KU564", "KU072"):
            members = peers.peer_members(table, code)
            cells = []
            for indicator in sorted(set(data.indicator)):
                unit = str(data.loc[data.indicator == indicator, "unit"].iloc[0])
                years = sorted({int(y) for y in data.loc[data.indicator == indicator, "year"]})
                cells += [(indicator, years[-1], unit), (indicator, years[0], unit)]
            cells.append(("share_75plus", 1999, "%"))
            together = peers.group_values_of(data, cells, members)
            alone = [peers.group_value(data, indicator, year, members, unit)
                     for indicator, year, unit in cells]
            assert together == alone
            assert {v.method for v in together} == {"weighted", "mean", "none"}
