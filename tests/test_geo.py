"""Municipality boundaries from the Statistics Finland WFS.

Why: a map drawn from EPSG:3067 metres, from swapped axes or from a GeoServer exception
report shows nothing and says nothing; the client must refuse those answers with a message
that names the cause, and must find all 30 municipalities or say which are missing.
"""

from __future__ import annotations

import copy
import json

import pytest
import requests

from digiindicators.areas import areas
from digiindicators.config import Settings
from digiindicators.errors import BadQuery, MalformedResponse, ResolveError, SourceError
from digiindicators.sources import geo
from digiindicators.sources.geo import GeoClient, WfsException
from tests.fakes.wfs_server import REFERENCE_GEOJSON, FakeWfs

UA = "digiindicators-tests/0.1 (+https://example.invalid/digiindicators)"
MUNICIPALITIES = areas().municipalities()


@pytest.fixture(scope="module")
def fake():
    with FakeWfs() as server:
        yield server


@pytest.fixture
def fresh():
    with FakeWfs() as server:
        yield server


def client_for(server: FakeWfs, **overrides) -> GeoClient:
    values = dict(user_agent=UA, timeout=1.0, max_retries=2, backoff=0.01)
    values.update(overrides)
    return GeoClient(server.base_url, **values)


@pytest.fixture(scope="module")
def country(fake):
    """The 2024 layer, fetched once."""
    with client_for(fake) as c:
        return c.boundaries(2024)


@pytest.fixture(scope="module")
def reference():
    return json.loads(REFERENCE_GEOJSON.read_text(encoding="utf-8"))


def _polygon(points):
    return {"type": "Polygon", "coordinates": [points]}


def _collection(points, **extra):
    feature = {"type": "Feature", "geometry": _polygon(points), "properties": {"kunta": "564"}}
    return {"type": "FeatureCollection", "features": [feature], **extra}


# ---- the request ---------------------------------------------------------------------------
def test_boundaries_request_names_layer_crs_and_format(fake, country):
    obj, raw = country
    assert json.loads(raw) == obj
    request = next(r for r in fake.requests if r.params.get("typename"))
    assert request.params == {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typename": "tilastointialueet:kunta4500k_2024",
        "outputformat": "json",
        "srsname": "EPSG:4326",
    }
    assert request.user_agent == UA
    assert obj["type"] == "FeatureCollection" and len(obj["features"]) == 309
    properties = obj["features"][0]["properties"]
    assert set(properties) == {"kunta", "nimi", "namn", "vuosi"} and properties["vuosi"] == 2024


def test_layer_name_and_scales():
    assert geo.layer_name(2026) == "tilastointialueet:kunta4500k_2026"
    assert geo.layer_name(2024, 1000) == "tilastointialueet:kunta1000k_2024"
    with pytest.raises(ValueError, match="scale"):
        geo.layer_name(2024, 250)


# ---- selecting municipalities ----------------------------------------------------------------
def test_select_municipalities_keeps_the_thirty_in_order(country):
    obj, _ = country
    before = copy.deepcopy(obj)
    selected = geo.select_municipalities(obj, MUNICIPALITIES)
    assert obj == before  # the input is not modified
    assert selected["type"] == "FeatureCollection"
    assert [f["properties"]["area_code"] for f in selected["features"]] == MUNICIPALITIES
    names = {f["properties"]["area_code"]: f["properties"]["nimi"] for f in selected["features"]}
    assert names["KU564"] == "Oulu" and names["KU072"] == "Hailuoto"
    assert selected["crs"] == obj["crs"]
    assert "numberMatched" not in selected
    geo.check_geojson(selected)


def test_select_falls_back_to_natcode(reference):
    """The reference file (NLS export) names the code NATCODE, not kunta."""
    selected = geo.select_municipalities(reference, ["KU009", "564"])
    assert [f["properties"]["NAMEFIN"] for f in selected["features"]] == ["Alavieska", "Oulu"]
    lower = _collection([[25.0, 65.0], [25.1, 65.0], [25.0, 65.1], [25.0, 65.0]])
    lower["features"][0]["properties"] = {"natcode": 9}  # an integer, not zero-padded
    assert geo.select_municipalities(lower, ["KU009"])["features"][0]["properties"] == {
        "natcode": 9,
        "area_code": "KU009",
    }


def test_a_missing_municipality_is_named(fresh):
    fresh.drop_municipality("KU072")
    with client_for(fresh) as c:
        obj, _ = c.boundaries(2025)
    with pytest.raises(ResolveError) as info:
        geo.select_municipalities(obj, MUNICIPALITIES)
    assert "KU072" in str(info.value) and "29 of 30" in str(info.value)


def test_a_doubled_municipality_cannot_be_joined(country):
    obj, _ = country
    oulu = next(f for f in obj["features"] if f["properties"]["kunta"] == "564")
    doubled = {**obj, "features": [*obj["features"], oulu]}
    with pytest.raises(ResolveError, match="more than one feature for KU564"):
        geo.select_municipalities(doubled, MUNICIPALITIES)


# ---- CRS and shape checks ------------------------------------------------------------------
def test_metres_from_the_server_are_refused_as_a_crs_problem(fresh):
    fresh.inject("epsg3067")
    with client_for(fresh) as c, pytest.raises(MalformedResponse, match="CRS looks wrong"):
        c.boundaries(2024)
    assert len(fresh.requests) == 1  # the same answer would come back: no retry


def test_fake_serves_metres_without_srsname(fake):
    """GeoServer's default for these layers is EPSG:3067; the fake does the same."""
    params = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeName": "tilastointialueet:kunta4500k_2024",
        "outputFormat": "json",
    }
    obj = requests.get(fake.base_url, params=params, timeout=5).json()
    assert obj["crs"]["properties"]["name"].endswith("3067")
    del obj["crs"]  # the coordinate check must catch it on its own
    with pytest.raises(MalformedResponse, match="metres") as info:
        geo.check_geojson(obj)
    assert "CRS looks wrong" in str(info.value)
    oulu = next(f for f in obj["features"] if f["properties"]["kunta"] == "564")
    x, y = oulu["geometry"]["coordinates"][0][0]
    assert 300_000 < x < 500_000 and 7_150_000 < y < 7_300_000  # ETRS-TM35FIN around Oulu


def test_swapped_axes_are_named():
    swapped = _collection([[65.0, 25.0], [65.1, 25.0], [65.0, 25.1], [65.0, 25.0]])
    with pytest.raises(MalformedResponse, match="swapped"):
        geo.check_geojson(swapped)


def test_other_crs_and_shape_problems():
    ok = [[25.0, 65.0], [25.1, 65.0], [25.0, 65.1], [25.0, 65.0]]
    geo.check_geojson(_collection(ok, crs={"properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}))
    metres = {"properties": {"name": "urn:ogc:def:crs:EPSG::3067"}}
    with pytest.raises(MalformedResponse, match="EPSG::3067"):
        geo.check_geojson(_collection(ok, crs=metres))
    with pytest.raises(MalformedResponse, match="not in Finland"):
        geo.check_geojson(_collection([[10.0, 50.0], [10.1, 50.0], [10.0, 50.1], [10.0, 50.0]]))
    with pytest.raises(MalformedResponse, match="FeatureCollection"):
        geo.check_geojson({"type": "Feature"})
    with pytest.raises(MalformedResponse, match="no features"):
        geo.check_geojson({"type": "FeatureCollection", "features": []})
    with pytest.raises(MalformedResponse, match="only 1 of 309"):
        geo.check_geojson(_collection(ok, numberMatched=309))
    point = _collection(ok)
    point["features"][0]["geometry"] = {"type": "Point", "coordinates": [25.0, 65.0]}
    with pytest.raises(MalformedResponse, match="Polygon"):
        geo.check_geojson(point)


def test_the_reference_file_passes_the_check(reference):
    geo.check_geojson(reference)


# ---- failures ------------------------------------------------------------------------------
def test_unknown_layer_gives_the_exception_report_as_an_error(fake):
    with client_for(fake) as c, pytest.raises(WfsException) as info:
        c.boundaries(2031)
    assert isinstance(info.value, BadQuery) and info.value.status == 400
    assert "kunta4500k_2031" in str(info.value) and "previous year" in str(info.value)
    assert c.stats.retries == 0


def test_exception_report_with_status_200_is_an_error_too():
    with FakeWfs(exception_status=200) as server:
        with client_for(server) as c, pytest.raises(WfsException) as info:
            c.boundaries(2031)
        assert c.stats.retries == 0
    message = str(info.value)
    assert "InvalidParameterValue (typeName)" in message
    assert "Feature type tilastointialueet:kunta4500k_2031 unknown" in message


def test_server_errors_timeouts_and_truncation_are_retried(fresh):
    fresh.inject("500")
    fresh.inject("timeout", delay=1.5)
    fresh.inject("truncated")
    with client_for(fresh, timeout=0.4, max_retries=3) as c:
        obj, _ = c.boundaries(2026)
    assert len(obj["features"]) == 309 and c.stats.retries == 3
    assert [r.status for r in fresh.requests] == [500, 200, 200, 200]


def test_a_lasting_outage_names_the_source(fresh):
    fresh.inject("500", times=10)
    with client_for(fresh) as c, pytest.raises(SourceError, match="Tilastokeskus WFS"):
        c.boundaries(2024)


def test_undated_layer_is_the_latest(fake):
    params = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeName": "tilastointialueet:kunta4500k",
        "outputFormat": "json",
        "srsName": "EPSG:4326",
    }
    obj = requests.get(fake.base_url, params=params, timeout=5).json()
    assert obj["features"][0]["properties"]["vuosi"] == 2026


# ---- attribution -----------------------------------------------------------------------------
def test_attribution_in_three_languages():
    assert geo.attribution(2024) == (
        "Rajat: Tilastokeskus, kuntapohjaiset tilastointialueet 1:4 500 000 (2024); "
        "© Maanmittauslaitos, CC BY 4.0"
    )
    assert geo.ATTRIBUTION.format(year=2024) == geo.attribution(2024)
    assert "Lantmäteriverket" in geo.attribution(2024, "sv")
    assert geo.attribution(2024, "en").startswith("Boundaries: Statistics Finland")
    assert "1:1 000 000" in geo.attribution(2024, scale=1000)


def test_client_from_settings(fake, tmp_path):
    settings = Settings.from_env(tmp_path, geo_url=fake.base_url, timeout=2.0)
    with GeoClient.from_settings(settings) as c:
        obj, _ = c.boundaries(2023)
    assert obj["features"][0]["properties"]["vuosi"] == 2023
    assert fake.requests[-1].user_agent == settings.user_agent
