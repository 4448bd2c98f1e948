"""The sutivi ICT-use table (found by its title) and the modelled non-users built from it.

Why: sutivi has no municipal figures, so the municipal non-use picture is a model
(research/method.md §1.4) fed by two stored tables; the table's id is not known in advance
and must be found in its folder listing, and a table that disappears must not take the
previous rates — or the estimate — with it.
"""

from __future__ import annotations

import pandas as pd
import pytest

import digiindicators as di
from digiindicators import estimates
from digiindicators.catalog import TableSpec
from digiindicators.errors import SourceError
from digiindicators.fetch.pxweb import find_table
from digiindicators.store import Store
from tests.conftest import settings_for
from tests.fakes.pxweb_server import SUTIVI_AGES, FakePxWeb

KEY = "pxweb:sutivi_internet"
RATES = [f"internet_users_{lo}_{hi}" for lo, hi in SUTIVI_AGES]
ESTIMATES = ["share_nonusers_16_89", "nonusers_16_89"]


def outcome(report, key=KEY):
    return {o.key: o for o in report.outcomes}[key]


def hand_estimate(fake: FakePxWeb, area: str, year: int, n=None) -> pd.DataFrame:
    """The estimator applied to the fake's exact populations and published rates."""
    groups = pd.DataFrame(
        {
            "area_code": area,
            "year": year,
            "age_group": estimates.GROUP_LABELS,
            "population": [fake.population(area, year, lo, hi) for lo, hi in SUTIVI_AGES],
        }
    )
    rates = pd.DataFrame(
        {
            "year": year,
            "age_group": estimates.GROUP_LABELS,
            "share_users": [
                fake.truth("13ud", {"age": str(i + 1), "year": str(year), "content": "iu3"})
                for i in range(len(SUTIVI_AGES))
            ],
        }
    )
    if n is not None:
        rates["n"] = n
    return estimates.estimate_nonusers(groups, rates, over_89="exclude", aggregate=False)


def test_rates_are_national_by_age_group(fake_pxweb, settings):
    report = di.refresh(settings, progress=False)
    assert outcome(report).status == "fetched"
    entry = Store(settings.cache_dir).manifest()["entries"][KEY]
    assert entry["table"] == "StatFin/sutivi/13ud.px" and entry["table_id"] == "13ud"
    panel = di.load(settings.cache_dir, indicators=RATES)
    assert set(panel["area_code"]) == {"SSS"} and set(panel["unit"]) == {"%"}
    for i, indicator in enumerate(RATES):
        rows = panel[panel.indicator == indicator]
        assert list(rows.year) == list(range(2013, 2026))
        for row in rows.itertuples():
            coords = {"age": str(i + 1), "year": str(row.year), "content": "iu3"}
            assert row.value == fake_pxweb.truth("13ud", coords)
    oldest = panel[(panel.indicator == "internet_users_75_89") & (panel.year >= 2020)]
    assert oldest["value"].between(45, 65).all()  # shaped like the real series
    assert panel["source"].str.startswith("Tilastokeskus, StatFin 13ud").all()


def test_nonusers_are_the_model_applied_to_stored_inputs(fake_pxweb, settings):
    di.refresh(settings, progress=False)
    panel = di.load(settings.cache_dir, indicators=ESTIMATES)
    assert (panel["status"] == "e").all()
    assert (panel["lower"] <= panel["value"]).all() and (panel["value"] <= panel["upper"]).all()
    assert panel["source"].str.startswith("laskennallinen arvio").all()
    assert panel["source"].str.contains("11re").all() and panel["source"].str.contains("13ud").all()
    assert {"kunta", "seutukunta", "maakunta", "hyvinvointialue", "maa"} == set(panel.area_level)
    expected = hand_estimate(fake_pxweb, "KU564", 2024).set_index("indicator")
    for indicator in ESTIMATES:
        row = panel[
            (panel.indicator == indicator) & (panel.area_code == "KU564") & (panel.year == 2024)
        ]
        for column in ("value", "lower", "upper"):
            assert row[column].item() == pytest.approx(expected.at[indicator, column], rel=1e-9)
    # Defaults documented in estimates.py: no respondent counts in this table.
    share = expected.at["share_nonusers_16_89", "value"]
    assert 0 < share < 30


def test_respondents_from_the_table_set_the_interval(tmp_path):
    with FakePxWeb(max_calls=10_000, sutivi_respondents=True) as fake:
        settings = settings_for(fake, tmp_path / "c")
        assert di.refresh(settings, progress=False).exit_code == 0
        n = [
            fake.truth("13ud", {"age": str(i + 1), "year": "2024", "content": "vastaajat"})
            for i in range(len(SUTIVI_AGES))
        ]
        with_n = hand_estimate(fake, "KU564", 2024, n=n).set_index("indicator")
        default = hand_estimate(fake, "KU564", 2024).set_index("indicator")
    panel = di.load(settings.cache_dir, indicators=["share_nonusers_16_89"])
    row = panel[(panel.area_code == "KU564") & (panel.year == 2024)]
    assert row["upper"].item() == pytest.approx(with_n.at["share_nonusers_16_89", "upper"])
    assert row["upper"].item() != pytest.approx(default.at["share_nonusers_16_89", "upper"])


def test_a_renamed_table_id_is_found_by_its_title(fake_pxweb, refreshed, baseline_panel):
    fake_pxweb.rename_table("13ud", "14zz")
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 0 and outcome(report).status == "fetched"
    entry = Store(refreshed.cache_dir).manifest()["entries"][KEY]
    assert entry["table"] == "StatFin/sutivi/14zz.px"
    after = di.load(refreshed.cache_dir, indicators=RATES + ESTIMATES)
    before = baseline_panel[baseline_panel.indicator.isin(RATES + ESTIMATES)]
    pd.testing.assert_series_equal(
        after["value"].reset_index(drop=True), before["value"].reset_index(drop=True)
    )


@pytest.mark.parametrize("change", ["renamed_title", "missing"])
def test_a_table_gone_from_the_listing_keeps_the_previous_rates(
    fake_pxweb, refreshed, baseline_panel, change
):
    if change == "missing":
        fake_pxweb.drop_table("13ud")
    else:
        fake_pxweb.rename_table("13ud", "13ud", listing="Tieto- ja viestintätekniikan käyttö, 2025")
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 1
    failed = outcome(report)
    assert failed.status == "failed" and "No table in StatFin/sutivi" in failed.message
    assert "title_contains" in failed.message  # says what to fix
    assert "share_nonusers_16_89" in failed.indicators  # and what depends on it
    after = di.load(refreshed.cache_dir, indicators=RATES + ESTIMATES)
    before = baseline_panel[baseline_panel.indicator.isin(RATES + ESTIMATES)]
    pd.testing.assert_frame_equal(after.reset_index(drop=True), before.reset_index(drop=True))
    assert KEY in after.attrs["stale"]


def test_find_table_refuses_two_candidates():
    spec = TableSpec(path="x", folder="StatFin/sutivi", title_contains=("internet",))
    listing = [
        {"id": "13ud.px", "type": "t", "text": "Internetin käyttö"},
        {"id": "13ue.px", "type": "t", "text": "Internetin käyttötarkoitukset"},
        {"id": "x", "type": "l", "text": "internet folder"},
    ]
    with pytest.raises(SourceError, match="2 tables .* match"):
        find_table(listing, spec)
    assert find_table(listing[:1] + listing[2:], spec)["id"] == "13ud.px"


def test_rurality_variant_and_90plus_are_in_the_panel(tmp_path, monkeypatch):
    """Both stated-assumption variants of the estimate reach the panel, marked 'e'."""
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "empty"))  # → example snapshot
    panel = di.load()
    latest = panel[panel.year == panel.loc[panel.indicator == "nonusers_90plus", "year"].max()]
    main = latest[latest.indicator == "share_nonusers_16_89"].set_index("area_code")["value"]
    rural = latest[latest.indicator == "share_nonusers_16_89_rural_adj"].set_index("area_code")
    classes = di.areas().frame.set_index("area_code")["kuntaryhmitys"]
    for code in di.areas().municipalities():
        if classes[code] == "1":  # urban: no adjustment
            assert rural.at[code, "value"] == pytest.approx(main[code])
        else:
            assert rural.at[code, "value"] > main[code]
    over_89 = latest[latest.indicator == "nonusers_90plus"]
    assert len(over_89) >= 30 and (over_89.status == "e").all()
    assert (over_89.lower <= over_89.value).all() and (over_89.value <= over_89.upper).all()
