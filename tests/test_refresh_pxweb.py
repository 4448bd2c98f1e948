"""Refresh against the fake StatFin: the numbers, the limits and every failure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import digiindicators as di
from digiindicators.panel import AGGREGATED_NOTE, COLUMNS
from digiindicators.store import Store
from tests.conftest import settings_for
from tests.fakes.pxweb_server import FakePxWeb


def value(panel, indicator, area, year):
    row = panel[(panel.indicator == indicator) & (panel.area_code == area) & (panel.year == year)]
    assert len(row) == 1, (indicator, area, year, len(row))
    return row.iloc[0]


def test_full_refresh_gives_the_source_numbers(fake_pxweb, settings):
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    panel = di.load(settings.cache_dir)
    truth = fake_pxweb.truth
    assert value(panel, "population", "KU564", 2024).value == truth(
        "11ra", {"area": "KU564", "year": "2024", "content": "vaerak-vaesto"}
    )
    share75 = (
        100 * fake_pxweb.population("KU564", 2024, 75, 100) / fake_pxweb.population("KU564", 2024)
    )
    assert value(panel, "share_75plus", "KU564", 2024).value == pytest.approx(share75, rel=1e-12)
    dependency = (
        100
        * fake_pxweb.population("SSS", 2020, 65, 100)
        / fake_pxweb.population("SSS", 2020, 15, 64)
    )
    assert value(panel, "old_age_dependency", "SSS", 2020).value == pytest.approx(dependency)
    assert value(panel, "median_income", "KU072", 2024).value == truth(
        "14ww", {"area": "KU072", "year": "2024", "content": "tjt-ekvikturaha_med"}
    )
    months = [f"2024M{m:02d}" for m in range(1, 13)]
    monthly = [truth("12r5", {"area": "KU564", "month": m, "content": "TYOTOSUUS"}) for m in months]
    assert value(panel, "unemployment_rate", "KU564", 2024).value == pytest.approx(np.mean(monthly))
    # 2026 has only eight months in the source: an incomplete year is left out, not averaged.
    assert 2026 not in set(panel.loc[panel.indicator == "unemployment_rate", "year"])


def test_panel_contract(settings):
    di.refresh(settings, progress=False)
    panel = di.load(settings.cache_dir)
    assert list(panel.columns) == COLUMNS
    assert panel["year"].dtype.kind == "i"
    assert panel["value"].dtype == float
    assert set(panel["area_level"]) == {"kunta", "seutukunta", "maakunta", "hyvinvointialue", "maa"}
    catalog = di.load_catalog()
    assert set(panel["indicator"]) == set(catalog.ids)
    latest = panel[(panel.indicator == "population") & (panel.year == 2024)]
    assert len(latest) == 30 + 7 + 1 + 1 + 1
    assert not latest["area_code"].str.startswith(("KU091", "MK01")).any()  # other regions filtered
    # Modelled estimates (status "e") are the only rows with an interval.
    estimate = panel["status"] == "e"
    assert set(panel.loc[estimate, "indicator"]) == {
        "share_nonusers_16_89",
        "nonusers_16_89",
        "share_nonusers_16_89_rural_adj",
        "nonusers_90plus",
    }
    assert panel.loc[~estimate, "status"].isin(["", ".", "..", "..."]).all()
    assert panel.loc[~estimate, ["lower", "upper"]].isna().all().all()
    assert panel.loc[estimate, ["lower", "upper"]].notna().all().all()
    kind = panel["indicator"].map(lambda i: catalog[i].source.kind)
    assert panel.loc[kind == "pxweb", "source"].str.startswith("Tilastokeskus, StatFin").all()
    assert panel.loc[kind == "sotkanet", "source"].str.startswith("THL Sotkanet").all()
    assert panel.loc[estimate, "source"].str.startswith("laskennallinen arvio").all()
    assert not panel.duplicated(["indicator", "area_code", "year"]).any()
    assert panel.attrs["demo"] is False


def test_region_values_from_source_when_published_else_aggregated(fake_pxweb, settings):
    di.refresh(settings, progress=False)
    panel = di.load(settings.cache_dir)
    # 11ra publishes MK17 and SK rows: taken as published, not recomputed.
    mk = value(panel, "population", "MK17", 2024)
    assert mk.value == fake_pxweb.truth(
        "11ra", {"area": "MK17", "year": "2024", "content": "vaerak-vaesto"}
    )
    assert AGGREGATED_NOTE not in mk.source
    # No source publishes the wellbeing county: summed from its 30 municipalities.
    hv = value(panel, "population", "HV19", 2024)
    kunnat = panel[
        (panel.indicator == "population") & (panel.area_level == "kunta") & (panel.year == 2024)
    ]
    assert hv.value == kunnat["value"].sum()
    assert AGGREGATED_NOTE in hv.source
    # 11re has no region rows: the 75+ share of the region is a ratio of summed counts.
    members = di.areas().members("MK17")
    old = sum(fake_pxweb.population(a, 2024, 75, 100) for a in members)
    everyone = sum(fake_pxweb.population(a, 2024) for a in members)
    mk75 = value(panel, "share_75plus", "MK17", 2024)
    assert mk75.value == pytest.approx(100 * old / everyone, rel=1e-12)
    assert AGGREGATED_NOTE in mk75.source
    mean_of_shares = panel[
        (panel.indicator == "share_75plus") & (panel.area_level == "kunta") & (panel.year == 2024)
    ]["value"].mean()
    assert not math.isclose(mk75.value, mean_of_shares, rel_tol=1e-6)  # never averaged
    # 12bs has no sub-region rows: built from kaste0 / vaesto_15_ of the members.
    sk = value(panel, "share_no_post_basic", "SK171", 2020)
    num = sum(
        fake_pxweb.truth("12bs", {"area": a, "year": "2020", "content": "kaste0"})
        for a in di.areas().members("SK171")
    )
    den = sum(
        fake_pxweb.truth("12bs", {"area": a, "year": "2020", "content": "vaesto_15_"})
        for a in di.areas().members("SK171")
    )
    assert sk.value == pytest.approx(100 * num / den)
    # A median cannot be aggregated: no value is invented for the county.
    assert panel[(panel.indicator == "median_income") & (panel.area_code == "HV19")].empty


def test_suppressed_cells_stay_suppressed_and_block_aggregates(settings):
    di.refresh(settings, progress=False)
    panel = di.load(settings.cache_dir)
    cell = value(panel, "share_tertiary", "KU483", 2012)
    assert math.isnan(cell.value) and cell.status == ".."
    # SK177 contains KU483 and 12bs publishes no SK rows: the sum would reveal the hidden cell.
    sk = value(panel, "share_tertiary", "SK177", 2012)
    assert math.isnan(sk.value) and sk.status == ".."
    assert not math.isnan(value(panel, "share_tertiary", "SK177", 2013).value)
    poverty = value(panel, "poverty_rate", "KU072", 2023)
    assert math.isnan(poverty.value) and poverty.status == "..."
    hv = value(panel, "poverty_rate", "HV19", 2023)
    assert math.isnan(hv.value) and hv.status == "..."


def test_reference_figures_for_2022_population(fake_pxweb, settings):
    """Real published populations (THL/Statistics Finland, 31.12.2022) flow through unchanged."""
    from tests.shared_files import REFERENCE

    pop = pd.read_csv(REFERENCE / "pop.csv", dtype={"code": str})
    kunnat = pop[(pop.level == "kunta") & (pop.measure == "population") & (pop.year == 2022)]
    assert len(kunnat) == 30
    for row in kunnat.itertuples():
        fake_pxweb.set_value(
            "11ra",
            {"area": f"KU{row.code}", "year": "2022", "content": "vaerak-vaesto"},
            float(row.value),
        )
    di.refresh(settings, progress=False)
    panel = di.load(settings.cache_dir)
    assert value(panel, "population", "KU564", 2022).value == 211_848
    assert value(panel, "population", "HV19", 2022).value == 416_543  # summed here


def test_renamed_variable_codes_refresh_without_code_change(fake_pxweb, settings):
    di.refresh(settings, progress=False)
    before = di.load(settings.cache_dir)
    fake_pxweb.rename_variable_codes("20270101")
    fake_pxweb.set_content_prefix("11re", "vaerak-", "vaerak2-")
    for table in ("11ra", "11re", "12bs", "14ww", "12r5", "13ud"):
        fake_pxweb.set_updated(table, "2027-01-02T08:00:00")
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    assert report.count("fetched", "pxweb") == 6
    posted = {q["code"] for r in fake_pxweb.data_requests()[-6:] for q in r.body["query"]}
    assert "alue_23_20270101" in posted and "alue_23_20260101" not in posted
    after = di.load(settings.cache_dir)
    pd.testing.assert_series_equal(before["value"], after["value"])
    from_statfin = after["indicator"].map(lambda i: di.load_catalog()[i].source.kind) != "sotkanet"
    assert after.loc[from_statfin, "source"].str.contains("2027-01-02").all()


def test_queries_are_split_under_the_cell_limit(tmp_path):
    with FakePxWeb(max_calls=10_000, time_window=60, max_cells=20_000) as fake:
        settings = settings_for(fake, tmp_path / "cache")
        report = di.refresh(settings, progress=False)
        assert report.exit_code == 0, report.summary()
        assert all(r.status == 200 for r in fake.data_requests())  # no 403 "too large"
        outcome = {o.key: o for o in report.outcomes}["pxweb:StatFin/vaerak/11re.px"]
        assert outcome.data_calls >= 5  # 31 areas x 102 ages x 26 years = 82 212 cells
        assert outcome.data_calls <= outcome.minimum_data_calls + 1
        split = di.load(settings.cache_dir)
    with FakePxWeb(max_calls=10_000, time_window=60) as fake:
        settings = settings_for(fake, tmp_path / "whole")
        di.refresh(settings, progress=False)
        whole = di.load(settings.cache_dir)
    pd.testing.assert_frame_equal(split.drop(columns="source"), whole.drop(columns="source"))


def _max_in_window(times, window):
    return max(sum(1 for t in times if s <= t < s + window) for s in times)


def test_limiter_keeps_calls_within_the_published_window(tmp_path):
    with FakePxWeb(max_calls=8, time_window=1) as fake:
        settings = settings_for(fake, tmp_path / "cache")
        report = di.refresh(settings, progress=False)
        assert report.exit_code == 0, report.summary()
        times = [r.time for r in fake.requests]
        # config, listings, metadata, data (each with the sutivi folder and table)
        assert len(times) == report.stats.calls == 1 + 5 + 6 + 6
        # The very first call happens before ?config is known, under the bootstrap limit.
        assert _max_in_window(times, 1.0) <= 8
        assert report.stats.rate_limited == 0
        assert all(r.status != 429 for r in fake.requests)
        # A second process right after the first: the server's window has not restarted.
        again = di.refresh(settings_for(fake, tmp_path / "cache"), progress=False)
        assert again.stats.rate_limited == 0
        assert _max_in_window([r.time for r in fake.requests], 1.0) <= 8


def test_429_waits_retry_after_and_recovers(fake_pxweb, settings):
    fake_pxweb.inject("429", method="POST", times=2, retry_after=1)
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    assert report.stats.rate_limited == 2
    rejected = [r for r in fake_pxweb.requests if r.status == 429]
    retried = [r for r in fake_pxweb.requests if r.method == "POST" and r.status == 200]
    assert retried[0].time - rejected[-1].time >= 0.95  # waited for Retry-After


@pytest.mark.parametrize(
    "kind", ["500", "503", "timeout", "truncated", "garbage", "reset", "incomplete"]
)
def test_transient_failures_are_retried(fake_pxweb, settings, kind):
    fake_pxweb.inject(kind, path_contains="11re", method="POST", times=1, delay=2.0)
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    assert report.stats.retries >= 1
    assert not di.load(settings.cache_dir).query("indicator == 'share_75plus'").empty


@pytest.mark.parametrize(
    "kind,expected",
    [("403html", "QueryTooLarge|HTTP 403"), ("400", "Bad Request")],
)
def test_client_errors_fail_one_table_and_keep_the_others(fake_pxweb, settings, kind, expected):
    fake_pxweb.inject(kind, path_contains="12bs", method="POST", times=5)
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 1
    (failed,) = report.failed
    assert failed.key == "pxweb:StatFin/vkour/12bs.px"
    assert any(word in failed.message for word in expected.split("|"))
    assert "an HTML error page" in failed.message or kind != "403html"
    assert report.count("fetched", "pxweb") == 5
    assert (
        sum(1 for r in fake_pxweb.requests if "12bs" in r.path and r.method == "POST") == 1
    )  # no retry
    panel = di.load(settings.cache_dir)
    assert panel.query("indicator == 'share_tertiary'").empty
    assert not panel.query("indicator == 'population'").empty


def test_failed_refresh_keeps_previous_data_and_marks_it_stale(fake_pxweb, settings):
    di.refresh(settings, progress=False)
    before = di.load(settings.cache_dir)
    fake_pxweb.set_updated("12bs", "2026-12-01T08:00:00")
    fake_pxweb.inject("500", path_contains="12bs", method="POST", times=50)
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 1
    assert "previous data kept" in report.summary()
    after = di.load(settings.cache_dir)
    pd.testing.assert_frame_equal(before, after, check_like=False)
    assert "pxweb:StatFin/vkour/12bs.px" in after.attrs["stale"]
    entry = Store(settings.cache_dir).manifest()["entries"]["pxweb:StatFin/vkour/12bs.px"]
    assert entry["stale"] and "HTTP 500" in entry["last_error"]


def test_interrupted_refresh_leaves_previous_data_loadable(fake_pxweb, settings, monkeypatch):
    di.refresh(settings, progress=False)
    before = di.load(settings.cache_dir)
    for table in ("11ra", "11re", "12bs", "14ww", "12r5"):
        fake_pxweb.set_updated(table, "2026-12-01T08:00:00")
    real_put = Store.put_blob
    calls = {"n": 0}

    def killed_after_three(self, data):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt("simulated kill during a write")
        return real_put(self, data)

    monkeypatch.setattr(Store, "put_blob", killed_after_three)
    with pytest.raises(KeyboardInterrupt):
        di.refresh(settings, progress=False)
    monkeypatch.undo()
    after = di.load(settings.cache_dir)
    assert len(after) == len(before)
    pd.testing.assert_series_equal(before["value"], after["value"])
    # The lock was released and the next refresh completes.
    assert di.refresh(settings, progress=False).exit_code == 0


def test_unchanged_sources_make_no_data_queries(fake_pxweb, settings):
    di.refresh(settings, progress=False)
    fake_pxweb.clear_requests()
    report = di.refresh(settings, progress=False)
    assert report.count("up_to_date", "pxweb") == 6
    assert fake_pxweb.data_requests() == []
    assert "ajan tasalla" in report.summary() and "up to date" in report.summary()
    fake_pxweb.set_updated("14ww", "2026-12-24T08:00:00")
    fake_pxweb.clear_requests()
    report = di.refresh(settings, progress=False)
    assert report.count("fetched") == 1
    assert {r.path.rsplit("/", 1)[-1] for r in fake_pxweb.data_requests()} == {"14ww.px"}


def test_corrupt_blob_is_detected_and_refetched(fake_pxweb, settings):
    di.refresh(settings, progress=False)
    store = Store(settings.cache_dir)
    entry = store.manifest()["entries"]["pxweb:StatFin/vaerak/11ra.px"]
    blob = entry["current"]["parts"][0]["blob"]
    path = next(settings.cache_dir.glob(f"blobs/*/{blob}.gz"))
    path.write_bytes(b"\x1f\x8b broken")
    report = di.refresh(settings, progress=False)
    assert {o.key: o.status for o in report.outcomes}["pxweb:StatFin/vaerak/11ra.px"] == "fetched"
    assert not di.load(settings.cache_dir).query("indicator == 'population'").empty


def test_a_vanished_content_fails_only_its_indicators(fake_pxweb, settings):
    """One content code gone from 11ra must not take the population down with it."""
    fake_pxweb.set_content_prefix("11ra", "vaesto_kieli_ulk_p", "vaesto_kieli_muu_p")
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 1
    assert any("share_foreign_language" in p and "vaesto_kieli_ulk_p" in p for p in report.problems)
    panel = di.load(settings.cache_dir)
    assert not panel.query("indicator == 'population'").empty
    assert panel.query("indicator == 'share_foreign_language'").empty
    assert "share_foreign_language" in panel.attrs["stale"]["pxweb:StatFin/vaerak/11ra.px"]
    from digiindicators.status import indicator_status

    rows = indicator_status(settings.cache_dir).set_index("indicator")
    assert rows.at["share_foreign_language", "stale"]
    assert "vaesto_kieli_ulk_p" in rows.at["share_foreign_language", "reason"]
    assert not rows.at["population", "stale"]
    # The next (unchanged) refresh still says so, instead of going quiet.
    again = di.refresh(settings, progress=False)
    assert again.exit_code == 1
    assert any("share_foreign_language" in p for p in again.problems)
