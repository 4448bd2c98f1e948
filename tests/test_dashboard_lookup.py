"""The panel and area indexes answer exactly what pandas and the area table answer."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboards import figures, indexdata, peers, profiledata
from dashboards.areaindex import AreaIndex
from dashboards.lookup import PanelLookup
from digiindicators.areas import areas as load_areas
from digiindicators.catalog import load_catalog
from digiindicators.errors import DigiIndicatorsError
from tests.panel_factory import make_panel


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def lookup(panel):
    return PanelLookup(panel)


def test_indicators_and_years_match_the_pandas_answers(panel, lookup):
    catalog = load_catalog()
    inds = figures.available_indicators(panel, catalog)
    assert figures.available_indicators(panel, catalog, lookup=lookup) == inds
    for ind in [*inds, "population", "no_such_indicator"]:
        assert figures.available_years(panel, ind, lookup=lookup) == \
            figures.available_years(panel, ind)


def test_rows_are_cleaned_once(panel, lookup):
    for ind in ("share_75plus", "share_nonusers_16_89"):
        for year in lookup.years(ind):
            rows = panel[(panel["indicator"] == ind) & (panel["year"] == year)]
            cells = lookup.cells(ind, year)
            assert list(cells) == list(rows["area_code"])  # panel order
            for rec in rows.to_dict("records"):
                row = cells[rec["area_code"]]
                value = rec["value"]
                assert row.value == (None if pd.isna(value) else float(value))
                assert row.status == ("" if pd.isna(rec["status"]) else rec["status"].strip())
                assert (row.lower is None) == pd.isna(rec["lower"])


def test_first_row_wins_and_missing_text_is_empty():
    frame = pd.DataFrame({
        "indicator": ["a", "a", "a"], "area_code": ["KU1", "KU1", "KU2"],
        "area_level": ["kunta"] * 3, "area_name": ["Yksi", "Toinen", math.nan],
        "year": [2024] * 3, "value": [1.0, 2.0, math.inf], "status": [" ..", "", math.nan],
        "unit": [math.nan, "%", "%"], "source": ["s", "t", math.nan],
        "lower": [math.nan] * 3, "upper": [math.nan] * 3,
    })
    lk = PanelLookup(frame)
    first, second = lk.cells("a", 2024)["KU1"], lk.cells("a", 2024)["KU2"]
    assert (first.value, first.status, first.area_name) == (1.0, "..", "Yksi")
    assert (second.value, second.status, second.area_name, second.source) == (None, "", "", "")
    assert lk.unit("a") == "%"  # the first unit the panel gives
    assert lk.municipal_years("a") == [2024] and lk.municipal_indicators() == ["a"]
    assert lk.municipal_years("a", at_least=2) == []  # KU2's value is not finite
    assert lk.cells("a", 1999) == {} and lk.years("b") == []


def test_index_years_match_the_pandas_answer(panel, lookup):
    for active in (["share_75plus"], ["share_75plus", "unemployment_rate"],
                   ["poverty_rate", "median_income", "share_nonusers_16_89"]):
        assert indexdata.common_years(panel, active, lookup=lookup) == \
            indexdata.common_years(panel, active)


def test_peer_values_are_the_same_with_the_apps_lookup(panel, lookup):
    table = load_areas()
    for code in ("KU564", "KU072", "KU139"):
        members = peers.peer_members(table, code)
        for ind, year in (("share_75plus", 2024), ("population", 2022), ("poverty_rate", 2024)):
            assert peers.group_value(panel, ind, year, members, lookup=lookup) == \
                peers.group_value(panel, ind, year, members)


def test_area_index_answers_like_the_table():
    table = load_areas()
    index = AreaIndex(table)
    assert index.municipalities() == table.municipalities()
    assert index.counties() == table.counties() == ["HV19"]
    assert index.codes == table.codes and index.region == table.region
    for lang in ("fi", "sv", "en"):
        assert index.names(lang) == table.names(lang)
        for code in table.municipalities():
            assert index.name(code, lang) == table.name(code, lang)
            assert index.urban_rural(code, lang) == table.urban_rural(code, lang)
    for code in table.municipalities():
        assert index.peer_group(code) == table.peer_group(code)
        assert index.county(code) == table.county(code) == "HV19"  # all of Pohjois-Pohjanmaa
    assert table.county("KU999") is None and table.county("MK17") is None
    assert index.members("SK171") == table.members("SK171")
    assert AreaIndex(index).table is table
    for _ in range(2):  # an unknown code raises every time; nothing is remembered for it
        with pytest.raises(DigiIndicatorsError):
            index.name("KU999")


def test_profile_and_trends_with_the_apps_indexes(panel, lookup):
    catalog, table = load_catalog(), load_areas()
    index = AreaIndex(table)
    for code in ("KU564", "KU072"):
        rows = profiledata.profile_rows(panel, code, "fi", catalog, table)
        assert profiledata.profile_rows(panel, code, "fi", catalog, index, lookup=lookup) == rows
        inds = profiledata.trend_indicators(panel, code, catalog)
        assert profiledata.trend_indicators(panel, code, catalog, lookup=lookup) == inds
        for ind in inds:
            assert profiledata.trend(panel, ind, code, "sv", catalog, index, lookup=lookup) == \
                profiledata.trend(panel, ind, code, "sv", catalog, table)
