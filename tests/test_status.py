"""``digiindicators status``: per source job and per indicator, fresh or stale and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import digiindicators as di
from digiindicators.cli import main
from digiindicators.status import STALE_AFTER_DAYS, indicator_status, status_table
from digiindicators.store import Store


def by(frame, column):
    return frame.set_index(column)


def test_fresh_cache_has_every_job_and_indicator(refreshed):
    sources = by(status_table(refreshed.cache_dir), "source")
    assert set(sources.index) == {"classification:areas", *di.load_catalog().jobs_for()}
    assert not sources["stale"].any()
    assert sources.at["sotkanet:180", "source_updated"] == "2025-09-18"
    assert sources.at["geo:boundaries", "source_updated"] == "2026"
    assert sources.at["pxweb:sutivi_internet", "source_updated"].startswith("2025-11-20")
    indicators = by(indicator_status(refreshed.cache_dir), "indicator")
    assert list(indicators.index) == di.load_catalog().ids
    assert not indicators["stale"].any()
    assert indicators.at["share_nonusers_16_89", "sources"] == (
        "pxweb:StatFin/vaerak/11re.px, pxweb:sutivi_internet"
    )
    assert indicators.at["education_level_index", "source_updated"] == "2025-09-18"


def test_failed_refresh_makes_the_job_and_its_indicators_stale(fake_pxweb, refreshed):
    fake_pxweb.set_updated("13ud", "2026-12-01T08:00:00")
    fake_pxweb.inject("500", path_contains="13ud", method="POST", times=20)
    di.refresh(refreshed, progress=False)
    sources = by(status_table(refreshed.cache_dir), "source")
    assert sources.at["pxweb:sutivi_internet", "stale"]
    assert "HTTP 500" in sources.at["pxweb:sutivi_internet", "problem"]
    indicators = by(indicator_status(refreshed.cache_dir), "indicator")
    for stale in ("internet_users_75_89", "share_nonusers_16_89"):
        assert indicators.at[stale, "stale"] and "HTTP 500" in indicators.at[stale, "reason"]
    assert "pxweb:sutivi_internet:" in indicators.at["share_nonusers_16_89", "reason"]
    assert not indicators.at["share_75plus", "stale"]


def test_damaged_never_fetched_and_old_are_stale_with_a_reason(refreshed):
    store = Store(refreshed.cache_dir)
    blob = store.manifest()["entries"]["sotkanet:5"]["current"]["parts"][0]["blob"]
    next(refreshed.cache_dir.glob(f"blobs/*/{blob}.gz")).write_bytes(b"broken")
    store.update(lambda m: m["entries"].pop("geo:boundaries"))
    sources = by(status_table(refreshed.cache_dir), "source")
    assert "damaged" in sources.at["sotkanet:5", "problem"]
    indicators = by(indicator_status(refreshed.cache_dir), "indicator")
    assert "never downloaded" in indicators.at["population_density", "reason"]
    later = datetime.now(UTC) + timedelta(days=STALE_AFTER_DAYS + 3)
    old = by(status_table(refreshed.cache_dir, now=later), "source")
    assert old["stale"].all()
    assert "not refreshed for" in old.at["pxweb:StatFin/vaerak/11ra.px", "problem"]


def test_cli_status_prints_sources_and_indicators(refreshed, capsys):
    assert main(["status", "--cache-dir", str(refreshed.cache_dir)]) == 0
    out = capsys.readouterr().out
    assert "Lähteet / sources:" in out and "Indikaattorit / indicators:" in out
    assert "sotkanet:180" in out and "education_level_index" in out and "2025-09-18" in out
