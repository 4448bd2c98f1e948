"""One refresh over every source: incremental, isolated failures, and a store that survives
locks, kills, full disks and damaged files with the previous data intact.
"""

from __future__ import annotations

import json
import threading
import time

import pandas as pd
import pytest

import digiindicators as di
from digiindicators.cli import main
from digiindicators.config import Settings, parse_sources
from digiindicators.errors import CacheLocked, ConfigError
from digiindicators.fetch.base import jobs_by_source
from digiindicators.store import Store
from tests.helpers import full_disk

EDU = "education_level_index"


def outcome(report, key):
    return {o.key: o for o in report.outcomes}[key]


def test_unchanged_sources_make_no_data_queries_anywhere(
    fake_pxweb, fake_sotkanet, fake_wfs, fake_classifications, refreshed
):
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 0, report.summary()
    assert {o.status for o in report.outcomes} == {"up_to_date"}
    assert len(report.outcomes) == 1 + 6 + 2 + 1
    # The area key: the listing of correspondence tables only.
    assert [r.path for r in fake_classifications.requests] == [
        "/api/classifications/v2/correspondenceTables"
    ]
    # Only configuration, listings and metadata were asked for.
    assert fake_pxweb.data_requests() == []
    assert {r.method for r in fake_pxweb.requests} == {"GET"}
    assert all(r.query == "config" or r.path.count("/") == 6 for r in fake_pxweb.requests)
    assert fake_sotkanet.data_requests() == []
    paths = [r.path for r in fake_sotkanet.requests]
    assert paths == ["/rest/1.1/regions", "/rest/1.1/indicators/180", "/rest/1.1/indicators/5"]
    assert fake_wfs.get_features() == []
    summary = report.summary()
    assert "Kaikki tiedot ajan tasalla / everything up to date." in summary
    assert "ajan tasalla 2" in summary and "up to date 1" in summary


def test_a_failing_source_does_not_stop_the_others(fake_pxweb, fake_sotkanet, fake_wfs, settings):
    fake_sotkanet.inject("500", path_contains="/regions", times=20)
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 1
    assert {o.key for o in report.failed} == {"sotkanet:180", "sotkanet:5"}
    assert report.count("fetched", "pxweb") == 6 and report.count("fetched", "geo") == 1
    panel = di.load(settings.cache_dir)
    assert panel[panel.indicator == EDU].empty and not panel[panel.indicator == "population"].empty
    assert EDU in panel.attrs["missing"]


def test_only_refreshes_the_jobs_an_indicator_needs_and_never_shrinks_a_table(
    fake_pxweb, refreshed, baseline_panel
):
    catalog = di.load_catalog()
    plan = jobs_by_source(catalog, ["share_nonusers_16_89"], Settings.sources)
    assert [job.key for job in plan["pxweb"]] == [
        "pxweb:StatFin/vaerak/11re.px",
        "pxweb:sutivi_internet",
    ] and set(plan) == {"pxweb"}
    fake_pxweb.set_updated("14ww", "2026-12-24T08:00:00")
    report = di.refresh(refreshed, only=["median_income"], progress=False)
    assert [o.key for o in report.outcomes] == ["pxweb:StatFin/tjt/14ww.px"]
    # The download asked for every content the catalog reads from 14ww, not only the median.
    after = di.load(refreshed.cache_dir, indicators=["median_income", "poverty_rate"])
    before = baseline_panel[baseline_panel.indicator.isin(["median_income", "poverty_rate"])]
    pd.testing.assert_series_equal(
        after["value"].reset_index(drop=True), before["value"].reset_index(drop=True)
    )


def test_sources_setting_limits_the_refresh(monkeypatch, fake_pxweb, fake_sotkanet, settings):
    assert parse_sources("geo, pxweb") == ("pxweb", "geo")
    with pytest.raises(ConfigError, match="Unknown source"):
        parse_sources("pxweb,statfin")
    monkeypatch.setenv("DIGIINDICATORS_SOURCES", "sotkanet")
    only_sotkanet = Settings.from_env(
        settings.cache_dir, sotkanet_url=fake_sotkanet.base_url, max_retries=0
    )
    report = di.refresh(only_sotkanet, progress=False)
    assert {o.source for o in report.outcomes} == {"sotkanet"} and report.exit_code == 0
    assert fake_pxweb.requests == []


# ---- the store under stress ---------------------------------------------------------------
def test_two_refreshes_at_once(fake_sotkanet, refreshed, baseline_panel):
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    fake_sotkanet.inject("timeout", path_contains="/json", times=1, delay=0.8)
    first: dict = {}
    runner = threading.Thread(
        target=lambda: first.setdefault("report", di.refresh(refreshed, progress=False))
    )
    runner.start()
    deadline = time.monotonic() + 10
    while not fake_sotkanet.data_requests() and time.monotonic() < deadline:
        time.sleep(0.01)  # the first refresh holds the lock once it reaches Sotkanet data
    with pytest.raises(CacheLocked, match="Another refresh is running"):
        di.refresh(refreshed, progress=False)
    assert main(["refresh", "--no-progress", "--cache-dir", str(refreshed.cache_dir)]) == 1
    runner.join(timeout=30)
    assert first["report"].exit_code == 0, first["report"].summary()
    assert outcome(first["report"], "sotkanet:180").status == "fetched"
    after = di.load(refreshed.cache_dir)
    assert len(after) == len(baseline_panel)


def test_a_kill_during_a_sotkanet_write_leaves_the_previous_data(
    fake_sotkanet, refreshed, baseline_panel, monkeypatch
):
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    real_put = Store.put_blob

    def killed_on_second_write(self, data):
        if killed_on_second_write.calls == 1:
            raise KeyboardInterrupt("simulated kill while writing Sotkanet data")
        killed_on_second_write.calls += 1
        return real_put(self, data)

    killed_on_second_write.calls = 0
    monkeypatch.setattr(Store, "put_blob", killed_on_second_write)
    with pytest.raises(KeyboardInterrupt):
        di.refresh(refreshed, progress=False)
    monkeypatch.undo()
    after = di.load(refreshed.cache_dir)
    pd.testing.assert_frame_equal(after, baseline_panel)
    entry = Store(refreshed.cache_dir).manifest()["entries"]["sotkanet:180"]
    assert entry["current"]["source_updated"] == "2025-09-18"
    report = di.refresh(refreshed, progress=False)  # the lock was released
    assert report.exit_code == 0 and outcome(report, "sotkanet:180").status == "fetched"


def test_a_full_disk_keeps_manifest_and_data_and_says_so(
    fake_pxweb, fake_sotkanet, refreshed, baseline_panel
):
    fake_pxweb.set_updated("14ww", "2026-12-24T08:00:00")
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    manifest_before = (refreshed.cache_dir / "manifest.json").read_bytes()
    blobs_before = sorted(p.name for p in refreshed.cache_dir.glob("blobs/*/*.gz"))
    with full_disk():
        report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 1
    for key in ("pxweb:StatFin/tjt/14ww.px", "sotkanet:180"):
        assert "Disk full" in outcome(report, key).message
    assert any("Disk full" in p for p in report.problems)
    assert "Disk full" in report.summary() and "previous data kept" in report.summary()
    assert (refreshed.cache_dir / "manifest.json").read_bytes() == manifest_before
    assert sorted(p.name for p in refreshed.cache_dir.glob("blobs/*/*.gz")) == blobs_before
    assert not list(refreshed.cache_dir.rglob("*.tmp"))
    pd.testing.assert_frame_equal(di.load(refreshed.cache_dir), baseline_panel)


def test_a_corrupt_sotkanet_file_falls_back_to_the_previous_copy(
    fake_sotkanet, refreshed, baseline_panel
):
    fake_sotkanet.set_data_updated(180, "2026-03-01")
    fake_sotkanet.renumber(7000)  # new bytes (same numbers), so the two generations differ
    assert outcome(di.refresh(refreshed, progress=False), "sotkanet:180").status == "fetched"
    store = Store(refreshed.cache_dir)
    entry = store.manifest()["entries"]["sotkanet:180"]
    blob = entry["current"]["parts"][0]["blob"]
    assert blob != entry["previous"]["parts"][0]["blob"]
    path = next(refreshed.cache_dir.glob(f"blobs/*/{blob}.gz"))
    path.write_bytes(b"\x1f\x8b not what was received")
    panel = di.load(refreshed.cache_dir, indicators=[EDU])
    # The previous generation (data-updated 2025-09-18) is used, and the panel says so.
    before = baseline_panel[baseline_panel.indicator == EDU].reset_index(drop=True)
    pd.testing.assert_frame_equal(panel.reset_index(drop=True), before)
    assert "previous copy in use" in panel.attrs["stale"]["sotkanet:180"]
    # The next refresh notices the damage and downloads again, although nothing changed.
    report = di.refresh(refreshed, progress=False)
    assert outcome(report, "sotkanet:180").status == "fetched"
    assert store.blob_ok(blob)


def test_the_manifest_records_what_was_asked_and_when(refreshed):
    entries = Store(refreshed.cache_dir).manifest()["entries"]
    for key, entry in entries.items():
        current = entry["current"]
        assert current["fetched_at"] and current["url"] and current["request"], key
        assert current["source_updated"], key
        assert all(part["query"] for part in current["parts"]), key
    sotkanet = entries["sotkanet:180"]["current"]
    assert sotkanet["source_updated"] == "2025-09-18" and sotkanet["regions_blob"]
    assert json.loads(Store(refreshed.cache_dir).get_blob(sotkanet["metadata_blob"]))["id"] == 180
    assert entries["geo:boundaries"]["current"]["source_updated"] == "2026"
