"""The boundary layer through the refresh, ``digiindicators.boundaries()`` and density.

Why: the WFS has no ``updated`` stamp, layers appear once a year, and a map without its
polygons (or with a municipality missing) says nothing; the refresh must find the newest
layer cheaply, never download an unchanged one, and keep the last good layer on failure.
"""

from __future__ import annotations

import json
import math

import pytest

import digiindicators as di
from digiindicators.areas import areas
from digiindicators.store import Store
from tests.conftest import LAYER_YEAR, settings_for
from tests.fakes.wfs_server import REFERENCE_GEOJSON, FakeWfs

KEY = "geo:boundaries"


def outcome(report, key=KEY):
    return {o.key: o for o in report.outcomes}[key]


def geo_only(fake_pxweb, wfs, path, **overrides):
    return settings_for(fake_pxweb, path, wfs=wfs, sources=("geo",), **overrides)


def test_boundaries_of_the_region_with_codes_and_attribution(fake_wfs, settings):
    report = di.refresh(settings, progress=False)
    assert outcome(report).status == "fetched"
    layer = di.boundaries(settings.cache_dir)
    assert [f["properties"]["area_code"] for f in layer["features"]] == areas().municipalities()
    assert layer["year"] == LAYER_YEAR and layer["stale"] == ""
    assert "Maanmittauslaitos" in layer["attribution"] and "CC BY 4.0" in layer["attribution"]
    assert str(LAYER_YEAR) in layer["attribution"]
    assert "Maanmittauslaitos" in di.ATTRIBUTION
    # The raw body as received (the whole country) is what the store keeps.
    store = Store(settings.cache_dir)
    generation = store.manifest()["entries"][KEY]["current"]
    assert len(json.loads(store.get_blob(generation["parts"][0]["blob"]))["features"]) == 309
    assert generation["number_matched"] == 309 and generation["layer"].endswith(str(LAYER_YEAR))


def test_unchanged_layer_is_not_downloaded_and_force_compares_the_hash(fake_pxweb, tmp_path):
    with FakeWfs() as wfs:
        settings = geo_only(fake_pxweb, wfs, tmp_path / "c")
        di.refresh(settings, progress=False)
        wfs.requests.clear()
        report = di.refresh(settings, progress=False)
        assert outcome(report).status == "up_to_date"
        assert wfs.get_features() == []  # only the hits request
        assert [r.params.get("resulttype") for r in wfs.requests] == ["hits"]
        before = Store(settings.cache_dir).manifest()["entries"][KEY]
        report = di.refresh(settings, progress=False, force=True)
        assert outcome(report).status == "up_to_date" and "unchanged" in outcome(report).message
        after = Store(settings.cache_dir).manifest()["entries"][KEY]
        assert after["current"] == before["current"]  # no new generation for the same bytes


def test_newest_published_year_is_used_and_a_new_year_is_picked_up(fake_pxweb, tmp_path):
    with FakeWfs(years=(2023, 2024, 2025)) as wfs:
        settings = geo_only(fake_pxweb, wfs, tmp_path / "c")
        report = di.refresh(settings, progress=False)
        assert outcome(report).status == "fetched"
        assert di.boundaries(settings.cache_dir)["year"] == LAYER_YEAR - 1
        hits = [r.params["typename"] for r in wfs.requests if r.params.get("resulttype")]
        assert hits[:2] == [f"tilastointialueet:kunta4500k_{y}" for y in (2026, 2025)]
        wfs.set_years((2023, 2024, 2025, 2026))
        report = di.refresh(settings, progress=False)
        assert outcome(report).status == "fetched"
        assert di.boundaries(settings.cache_dir)["year"] == LAYER_YEAR


def test_no_layer_for_this_or_last_year_fails_with_the_years_named(fake_pxweb, tmp_path):
    with FakeWfs(years=(2023, 2024)) as wfs:
        settings = geo_only(fake_pxweb, wfs, tmp_path / "c")
        report = di.refresh(settings, progress=False)
        assert report.exit_code == 1
        assert "kunta4500k_2026" in outcome(report).message
        assert di.boundaries(settings.cache_dir) is None


@pytest.mark.parametrize("kind", ["500", "truncated", "epsg3067"])
def test_wfs_failure_keeps_the_previous_boundaries(fake_wfs, refreshed, kind):
    before = di.boundaries(refreshed.cache_dir)
    fake_wfs.drop_municipality("KU091")  # a change elsewhere: the count differs, so download
    fake_wfs.inject(kind, times=20)
    report = di.refresh(refreshed, progress=False)
    assert report.exit_code == 1 and outcome(report).status == "failed"
    after = di.boundaries(refreshed.cache_dir)
    assert after["features"] == before["features"]
    assert after["stale"]  # the map can say its borders are from an earlier download


def test_a_layer_missing_a_municipality_is_refused(fake_wfs, refreshed):
    before = di.boundaries(refreshed.cache_dir)
    fake_wfs.drop_municipality("KU072")
    report = di.refresh(refreshed, progress=False)
    assert "KU072" in outcome(report).message
    assert di.boundaries(refreshed.cache_dir)["features"] == before["features"]


def test_corrupt_current_layer_falls_back_to_the_previous(fake_wfs, refreshed):
    fake_wfs.drop_municipality("KU091")  # a second generation
    assert outcome(di.refresh(refreshed, progress=False)).status == "fetched"
    store = Store(refreshed.cache_dir)
    blob = store.manifest()["entries"][KEY]["current"]["parts"][0]["blob"]
    next(refreshed.cache_dir.glob(f"blobs/*/{blob}.gz")).write_bytes(b"\x1f\x8b broken")
    layer = di.boundaries(refreshed.cache_dir)
    assert len(layer["features"]) == 30 and "previous" in layer["stale"]


# ---- density ---------------------------------------------------------------------------------
def test_density_needs_a_land_area_and_says_so_when_there_is_none(settings):
    di.refresh(settings, progress=False)
    density = di.load(settings.cache_dir, indicators=["population_density"])
    assert not density.empty and density["value"].isna().all()
    assert (density["status"] == "..").all()
    assert density["source"].str.contains("maapinta-ala puuttuu").all()


def test_density_from_a_layer_with_land_area(fake_pxweb, fake_sotkanet, tmp_path):
    reference = json.loads(REFERENCE_GEOJSON.read_text(encoding="utf-8"))
    land = {
        f"KU{f['properties']['NATCODE']:0>3}": f["properties"]["LANDAREA"]
        for f in reference["features"]
    }
    with FakeWfs(land_area=True) as wfs:
        settings = settings_for(fake_pxweb, tmp_path / "c", sotkanet=fake_sotkanet, wfs=wfs)
        assert di.refresh(settings, progress=False).exit_code == 0
    panel = di.load(settings.cache_dir, indicators=["population", "population_density"])

    def cell(indicator, area):
        row = panel[
            (panel.indicator == indicator) & (panel.area_code == area) & (panel.year == 2024)
        ]
        return row.iloc[0]

    assert cell("population_density", "KU564").value == pytest.approx(
        cell("population", "KU564").value / land["KU564"]
    )
    members = areas().members("MK17")
    assert cell("population_density", "MK17").value == pytest.approx(
        cell("population", "MK17").value / sum(land[m] for m in members)
    )
    country = cell("population_density", "SSS")
    assert country.value == pytest.approx(cell("population", "SSS").value / sum(land.values()))
    assert not math.isnan(country.value) and "Maanmittauslaitos" in country.source
