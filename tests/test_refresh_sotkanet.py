"""THL Sotkanet through the refresh: numbers, citations, the missing-cell rules and every
failure the research lists (research/sotkanet.md §5, §8) — each one must leave the
previous data in use and say what went wrong.

Most tests start from a copy of a fully refreshed cache (``refreshed``) and then change the
fake so that the next refresh would download, and make that download fail.
"""

from __future__ import annotations

import json
import math
import threading
import time

import pandas as pd
import pytest

import digiindicators as di
from digiindicators.catalog import parse_catalog
from digiindicators.derived import load_panel
from digiindicators.store import Store
from tests.conftest import settings_for

EDU = "education_level_index"  # Sotkanet 180
AID = "social_assistance_25_64"  # Sotkanet 5


def rows(panel: pd.DataFrame, indicator: str) -> pd.DataFrame:
    return panel[panel.indicator == indicator].reset_index(drop=True)


def outcome(report, key):
    return {o.key: o for o in report.outcomes}[key]


def assert_previous_data_kept(settings, baseline_panel, indicator=EDU):
    after = di.load(settings.cache_dir, indicators=[indicator])
    pd.testing.assert_frame_equal(rows(after, indicator), rows(baseline_panel, indicator))
    return after


# ---- the happy path ------------------------------------------------------------------------
def test_values_citation_and_areas_come_from_sotkanet(fake_sotkanet, settings):
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    panel = di.load(settings.cache_dir, indicators=[EDU, AID])
    for area in ("KU564", "KU072", "MK17", "HV19", "SSS"):
        cell = panel[(panel.indicator == EDU) & (panel.area_code == area) & (panel.year == 2022)]
        assert cell["value"].item() == fake_sotkanet.truth(180, area, 2022)["value"]
    # Sub-regions are published by Sotkanet for indicator 5 and taken as published.
    sk = panel[(panel.indicator == AID) & (panel.area_code == "SK171") & (panel.year == 2020)]
    assert sk["value"].item() == fake_sotkanet.truth(5, ("SEUTUKUNTA", "171"), 2020)["value"]
    source = panel.loc[panel.indicator == EDU, "source"].iloc[0]
    assert source == (
        "THL Sotkanet, Koulutustasomittain (indikaattori 180; Tilastokeskus; "
        "päivitetty 2025-09-18; CC BY 4.0)"
    )
    assert panel.loc[panel.indicator == AID, "source"].str.contains("indikaattori 5; ").all()
    # An index cannot be summed and Sotkanet has no SEUTUKUNTA for 180: no invented rows.
    assert not panel[(panel.indicator == EDU) & panel.area_code.str.startswith("SK")].shape[0]


def test_calls_are_sequential_with_the_user_agent(fake_sotkanet, settings, monkeypatch):
    active, peak = [0], [0]
    lock = threading.Lock()
    real_handle = fake_sotkanet._handle

    def counting(*args):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            time.sleep(0.01)  # long enough for a parallel caller to overlap
            return real_handle(*args)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(fake_sotkanet, "_handle", counting)
    di.refresh(settings, progress=False)
    requests = fake_sotkanet.requests
    assert len(requests) == 1 + 2 * (1 + 2)  # regions; per indicator metadata + 2 batches
    assert peak[0] == 1  # one request at a time
    assert all(r.user_agent == settings.user_agent for r in requests)
    assert "digiindicators" in settings.user_agent
    assert requests[0].path == "/rest/1.1/regions"  # the id map is rebuilt first


def test_rows_arrive_unsorted_and_are_stored_as_received(fake_sotkanet, settings):
    di.refresh(settings, progress=False)
    store = Store(settings.cache_dir)
    generation = store.manifest()["entries"]["sotkanet:5"]["current"]
    raw = json.loads(store.get_blob(generation["parts"][0]["blob"]))
    regions = [row["region"] for row in raw]
    assert regions != sorted(regions)  # as received: the fake answers in no order
    panel = di.load(settings.cache_dir, indicators=[AID])
    kunnat = panel[(panel.area_level == "kunta") & (panel.year == 2021)]
    assert list(kunnat.area_code) == sorted(kunnat.area_code)
    for row in kunnat.itertuples():
        assert row.value == fake_sotkanet.truth(5, row.area_code, 2021)["value"]


def test_missing_abs_value_keeps_the_value(fake_sotkanet, refreshed, baseline_panel):
    fake_sotkanet.set_data_updated(5, "2026-03-01")
    fake_sotkanet.inject("missing_abs", path_contains="/json", times=10)
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 0, report.summary()
    assert outcome(report, "sotkanet:5").status == "fetched"
    after = di.load(refreshed.cache_dir, indicators=[AID])
    pd.testing.assert_series_equal(rows(after, AID)["value"], rows(baseline_panel, AID)["value"])


def test_renumbered_region_ids_are_followed(fake_sotkanet, refreshed, baseline_panel):
    fake_sotkanet.renumber(7000)
    # Unchanged data: the stored rows are still read through the /regions stored with them.
    report = di.refresh(refreshed, progress=False)
    assert outcome(report, "sotkanet:180").status == "up_to_date"
    assert_previous_data_kept(refreshed, baseline_panel)
    # New data: downloaded and mapped through today's ids.
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    report = di.refresh(refreshed, progress=False)
    assert outcome(report, "sotkanet:180").status == "fetched"
    after = rows(di.load(refreshed.cache_dir, indicators=[EDU]), EDU)
    same = ["area_code", "year", "value", "status"]  # same numbers under new ids
    pd.testing.assert_frame_equal(after[same], rows(baseline_panel, EDU)[same])
    assert after["source"].str.contains("päivitetty 2026-03-01").all()


# ---- failures: the previous data survives ---------------------------------------------------
FAILURES = [
    pytest.param("500", "/json", 20, "HTTP 500", id="500"),
    pytest.param("404", "/indicators/180", 1, "HTTP 404", id="404"),
    pytest.param("403", "/json", 1, "User-Agent", id="403"),
    pytest.param("empty", "/json", 4, "no rows", id="empty-list"),
    pytest.param("truncated", "/json", 20, "not valid JSON", id="truncated"),
]


@pytest.mark.parametrize("kind,path,times,expected", FAILURES)
def test_a_failing_indicator_keeps_its_previous_data(
    fake_sotkanet, refreshed, baseline_panel, kind, path, times, expected
):
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    fake_sotkanet.inject(kind, path_contains=path, times=times)
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 1
    failed = outcome(report, "sotkanet:180")
    assert failed.status == "failed" and expected in failed.message, failed.message
    assert outcome(report, "sotkanet:5").status == "up_to_date"  # the others go on
    assert "previous data kept" in report.summary()
    after = assert_previous_data_kept(refreshed, baseline_panel)
    assert "sotkanet:180" in after.attrs["stale"]
    entry = Store(refreshed.cache_dir).manifest()["entries"]["sotkanet:180"]
    assert entry["stale"] and entry["current"]["source_updated"] == "2025-09-18"


def test_no_user_agent_fails_before_any_request(fake_sotkanet, refreshed, baseline_panel):
    from dataclasses import replace

    report = di.refresh(replace(refreshed, user_agent=" "), progress=False)
    assert report.exit_code == 1
    for key in ("sotkanet:180", "sotkanet:5"):
        assert "User-Agent" in outcome(report, key).message
    assert fake_sotkanet.requests == []  # Sotkanet would have answered 403 to each
    assert_previous_data_kept(refreshed, baseline_panel)


def test_changed_title_fails_loudly_without_a_data_call(fake_sotkanet, refreshed, baseline_panel):
    fake_sotkanet.set_title(180, "Koulutustasoindeksi (uusi määritelmä)")
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    report = di.refresh(refreshed, progress=False)
    message = outcome(report, "sotkanet:180").message
    assert "Koulutustasoindeksi (uusi määritelmä)" in message and "Koulutustasomittain" in message
    assert not [r for r in fake_sotkanet.data_requests() if "indicator=180" in r.query]
    assert_previous_data_kept(refreshed, baseline_panel)


def test_a_municipality_missing_from_regions_fails_every_indicator(
    fake_sotkanet, refreshed, baseline_panel
):
    fake_sotkanet.drop_region("KUNTA", "072")
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 1
    for key in ("sotkanet:180", "sotkanet:5"):
        failed = outcome(report, key)
        assert failed.status == "failed" and "KU072 Hailuoto" in failed.message
    assert fake_sotkanet.data_requests() == []
    assert_previous_data_kept(refreshed, baseline_panel)
    assert_previous_data_kept(refreshed, baseline_panel, AID)


# ---- absent rows and sexes-only indicators --------------------------------------------------
TEST_CATALOG = """
[themes.t]
fi = "t"
sv = "t"
en = "t"

[[indicator]]
id = "inactive"
theme = "t"
unit = "%"
direction = "higher_is_worse"
title = { fi = "a", sv = "a", en = "a" }
description = { fi = "a", sv = "a", en = "a" }
why = "test: a survey indicator with small municipalities left out"
source.kind = "sotkanet"
source.indicator = 5527
source.title_fi = "Terveysliikuntasuosituksen mukaan liian vähän liikkuvien osuus (%)"

[[indicator]]
id = "eservices"
theme = "t"
unit = "%"
direction = "higher_is_better"
title = { fi = "b", sv = "b", en = "b" }
description = { fi = "b", sv = "b", en = "b" }
why = "test: the fake's synthetic sexes-only indicator"
source.kind = "sotkanet"
source.indicator = 990002
source.title_fi = "Sähköistä asiointia viimeisen vuoden aikana käyttäneet (%)"
"""


def test_absent_cells_are_explicit_and_totals_are_never_summed(fake_pxweb, fake_sotkanet, tmp_path):
    catalog = parse_catalog(TEST_CATALOG)
    settings = settings_for(fake_pxweb, tmp_path / "c", sotkanet=fake_sotkanet)
    report = di.refresh(settings, catalog=catalog, progress=False)
    assert report.exit_code == 0, report.summary()
    panel = load_panel(Store(settings.cache_dir), catalog=catalog)
    survey = panel[panel.indicator == "inactive"]
    # Hailuoto (960 people) is below the survey's sample limit: explicit "..", not a gap.
    cell = survey[(survey.area_code == "KU072") & (survey.year == 2022)]
    assert math.isnan(cell["value"].item()) and cell["status"].item() == ".."
    assert fake_sotkanet.truth(5527, "KU072", 2022) is None
    # The survey was not run in 2021: a year with no data at all is not a missing cell.
    assert 2021 not in set(survey.year) and {2020, 2022, 2023, 2024} <= set(survey.year)
    oulu = survey[(survey.area_code == "KU564") & (survey.year == 2024)]
    assert oulu["value"].item() == fake_sotkanet.truth(5527, "KU564", 2024)["value"]
    # Published by sex only: the total stays missing instead of being summed.
    sexes = panel[panel.indicator == "eservices"]
    assert not sexes.empty and sexes["value"].isna().all() and (sexes["status"] == "..").all()
    assert sexes["source"].str.contains("vain sukupuolittain").all()
    genders = {g for r in fake_sotkanet.data_requests() for g in r.params.get("genders", [])}
    assert genders == {"total", "male", "female"}  # asked total first, then the sexes
