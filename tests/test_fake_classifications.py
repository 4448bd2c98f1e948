"""Tests of the fake Statistics Finland classification service itself.

Why: the area table of any region (and of the whole country) is read from this service at
refresh; client tests trust the fake to speak the real URL scheme and row shape, to keep
maakunta 17 real, and to fail the way tests ask it to.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
import requests

from tests.fakes import national, regions
from tests.fakes.classification_server import (
    CANONICAL_BASE,
    FakeClassifications,
    local_id,
)

TARGETS = ("seutukunta", "maakunta", "hyvinvointialue", "kuntaryhmitys")


def listing(fake: FakeClassifications) -> requests.Response:
    return requests.get(
        f"{fake.base_url}/correspondenceTables", params={"format": "json"}, timeout=5
    )


def maps_url(fake: FakeClassifications, lid: str) -> str:
    return f"{fake.base_url}/correspondenceTables/{lid.replace('#', '%23')}/maps"


def get_maps(fake, target: str, year: int = 2026, lang: str = "fi", **kw) -> requests.Response:
    params = {"content": "data", "format": "json", "lang": lang, "meta": "min"}
    return requests.get(maps_url(fake, local_id(target, year)), params=params, timeout=5, **kw)


def key_of(rows: list[dict]) -> dict[str, str]:
    """source code → target code (each source at most once)."""
    codes = [r["sourceItem"]["code"] for r in rows]
    assert len(codes) == len(set(codes))
    return {r["sourceItem"]["code"]: r["targetItem"]["code"] for r in rows}


def local_id_of(uri: str) -> str:
    return uri.split("/correspondenceTables/", 1)[1].removesuffix("?format=json")


@pytest.fixture(scope="module")
def shared():
    """A read-only server shared by the tests that change nothing."""
    with FakeClassifications() as fake:
        yield fake


# -- listing ----------------------------------------------------------------------------------


def test_listing_lists_every_table_as_uri_strings(shared):
    r = listing(shared)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    items = r.json()
    assert all(isinstance(i, str) and i.startswith(CANONICAL_BASE) for i in items)
    assert all(i.endswith("?format=json") and "#" in i for i in items)
    ids = [local_id_of(i) for i in items]
    assert sorted(ids) == sorted(shared.local_ids()) and len(ids) == len(set(ids))
    for year in (2024, 2025, 2026):
        for target in TARGETS:
            assert f"kunta_1_{year}0101#{target}_1_{year}0101" in ids
    assert "kunta_1_20250101#avi_1_20250101" in ids
    assert "kunta_1_20260101#avi_1_20260101" not in ids  # the 2026 key has no AVI
    assert "kunta_1_20250101#kunta_1_20260101" in ids
    assert any(i.startswith("toimiala_") for i in ids)
    assert ids != sorted(ids)  # no particular order


def test_listing_shape_and_uri_base_are_knobs():
    with FakeClassifications(listing="objects", uri_base="self", years=(2022, 2023)) as fake:
        items = listing(fake).json()
        assert all(set(i) == {"value"} for i in items)
        assert all(i["value"].startswith(fake.base_url + "/correspondenceTables/") for i in items)
        ids = {local_id_of(i["value"]) for i in items}
        assert "kunta_1_20220101#hyvinvointialue_1_20220101" not in ids  # counties from 2023
        assert "kunta_1_20230101#hyvinvointialue_1_20230101" in ids
        # without ?format=json the URIs carry no query
        bare = requests.get(f"{fake.base_url}/correspondenceTables", timeout=5).json()
        assert not any("?" in i["value"] for i in bare)
    with pytest.raises(ValueError):
        FakeClassifications(listing="xml")


# -- maps -------------------------------------------------------------------------------------


def test_maps_row_shape_and_languages_agree(shared):
    by_lang = {lang: get_maps(shared, "maakunta", lang=lang).json() for lang in ("fi", "sv", "en")}
    keys = {lang: key_of(rows) for lang, rows in by_lang.items()}
    assert keys["fi"] == keys["sv"] == keys["en"]
    names = {}
    for lang, rows in by_lang.items():
        for row in rows:
            for side in ("sourceItem", "targetItem"):
                assert [n["lang"] for n in row[side]["classificationItemNames"]] == [lang]
            if row["sourceItem"]["code"] == "564":
                names[lang] = (
                    row["sourceItem"]["classificationItemNames"][0]["name"],
                    row["targetItem"]["classificationItemNames"][0]["name"],
                )
    assert names == {
        "fi": ("Oulu", "Pohjois-Pohjanmaa"),
        "sv": ("Uleåborg", "Norra Österbotten"),
        "en": ("Oulu", "North Ostrobothnia"),
    }
    codes = [r["sourceItem"]["code"] for r in by_lang["fi"]]
    assert codes != sorted(codes)  # no particular order
    assert all(len(c) == 3 and c.isdigit() for c in codes)


def test_maakunta_17_is_the_30_real_municipalities(shared):
    maakunta = key_of(get_maps(shared, "maakunta").json())
    assert len(maakunta) == 308
    assert {c for c, mk in maakunta.items() if mk == "17"} == set(regions.PP_MUNICIPALITIES)
    assert set(maakunta.values()) == set(national.MAAKUNNAT)
    assert all(n >= 3 for n in Counter(maakunta.values()).values())
    assert (maakunta["091"], maakunta["837"], maakunta["179"]) == ("01", "06", "13")
    sub = key_of(get_maps(shared, "seutukunta").json())
    for code, (_name, members) in regions.SUBREGIONS.items():
        assert {c for c, s in sub.items() if s == code} == set(members)
    assert all(s.startswith(maakunta[c]) for c, s in sub.items())
    county = key_of(get_maps(shared, "hyvinvointialue").json())
    assert {c for c, hv in county.items() if hv == "19"} == set(regions.PP_MUNICIPALITIES)
    classes = key_of(get_maps(shared, "kuntaryhmitys").json())
    pp = {c: classes[c] for c in regions.PP_MUNICIPALITIES}
    assert {c for c, k in pp.items() if k == "1"} == {"244", "564", "678"}
    assert Counter(pp.values()) == {"1": 3, "2": 9, "3": 18}
    assert set(classes.values()) == {"1", "2", "3"}


def test_ahvenanmaa_has_no_wellbeing_county(shared):
    maakunta = key_of(get_maps(shared, "maakunta").json())
    county = key_of(get_maps(shared, "hyvinvointialue").json())
    aland = {c for c, mk in maakunta.items() if mk == "21"}
    assert aland and not aland & set(county)
    assert set(county) == set(maakunta) - aland
    assert county["091"] == "90"  # Helsinki is a county of its own
    assert len({hv for c, hv in county.items() if maakunta[c] == "01"}) == 3


def test_2024_still_has_the_municipality_merged_in_2025(shared):
    dropped = shared.key.dropped.code
    assert dropped not in regions.PP_MUNICIPALITIES
    old = key_of(get_maps(shared, "maakunta", 2024).json())
    new = key_of(get_maps(shared, "maakunta", 2025).json())
    assert len(old) == 309 and len(new) == 308 and set(old) - set(new) == {dropped}
    change = key_of(
        requests.get(
            maps_url(shared, "kunta_1_20240101#kunta_1_20250101"),
            params={"content": "data"},
            timeout=5,
        ).json()
    )
    assert {c: t for c, t in change.items() if c != t} == {dropped: change[dropped]}
    assert change[dropped] in new


def test_maps_without_content_data_are_uris(shared):
    r = requests.get(maps_url(shared, local_id("maakunta", 2026)), timeout=5)
    uris = r.json()
    assert len(uris) == 308 and all(isinstance(u, str) for u in uris)
    pairs = {tuple(u.rsplit("/maps/", 1)[1].split("/")) for u in uris}
    assert ("564", "17") in pairs


def test_percent_23_is_decoded_and_requests_are_logged(fake_classifications):
    fake = fake_classifications
    assert get_maps(fake, "maakunta").status_code == 200
    record = fake.requests[-1]
    assert record.path.endswith("/correspondenceTables/kunta_1_20260101#maakunta_1_20260101/maps")
    assert "%23" in record.raw_path
    assert "content=data" in record.query and record.params["lang"] == ["fi"]
    assert fake.maps_requests() == [record]
    # a raw '#' is a fragment: the server sees the truncated id; double encoding is wrong too
    truncated = requests.get(f"{fake.base_url}/correspondenceTables/kunta_1_20260101#x", timeout=5)
    double = requests.get(maps_url(fake, "kunta_1_20260101%2523maakunta_1_20260101"), timeout=5)
    unknown = get_maps(fake, "maakunta", 2019)
    for r in (truncated, double, unknown):
        assert r.status_code == 404
        assert r.json() == {"statusCode": 404, "message": "Resource not found"}
    assert [r.status for r in fake.requests] == [200, 404, 404, 404]


# -- scenario controls ------------------------------------------------------------------------


def test_move_changes_only_the_newest_year(fake_classifications):
    fake = fake_classifications
    fake.move("564", maakunta="16")
    fake.move("091", seutukunta="012")  # same maakunta
    new = {t: key_of(get_maps(fake, t).json()) for t in TARGETS}
    old = {t: key_of(get_maps(fake, t, 2025).json()) for t in TARGETS}
    assert new["maakunta"]["564"] == "16" and new["seutukunta"]["564"].startswith("16")
    assert new["hyvinvointialue"]["564"] == "18"  # the county follows the region
    assert old["maakunta"]["564"] == "17" and old["seutukunta"]["564"] == "171"
    assert old["hyvinvointialue"]["564"] == "19"
    assert new["seutukunta"]["091"] == "012" and new["maakunta"]["091"] == "01"
    assert sum(mk == "17" for mk in new["maakunta"].values()) == 29
    with pytest.raises(ValueError):
        fake.move("564", maakunta="03")
    with pytest.raises(ValueError):
        fake.move("564", maakunta="16", seutukunta="171")


def test_drop_changes_only_the_newest_year(fake_classifications):
    fake = fake_classifications
    fake.drop("072")
    for target in TARGETS:
        new = key_of(get_maps(fake, target).json())
        old = key_of(get_maps(fake, target, 2025).json())
        assert "072" not in new and "072" in old
        assert len(new) == len(old) - 1
    change = requests.get(
        maps_url(fake, "kunta_1_20250101#kunta_1_20260101"), params={"content": "data"}, timeout=5
    ).json()
    merged = {r["sourceItem"]["code"]: r["targetItem"]["code"] for r in change}
    assert merged["072"] in regions.SUBREGIONS["171"][1] and merged["072"] != "072"


# -- injected failures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("500", 500, "text/html"),
        ("503", 503, "text/html"),
        ("404", 404, "text/html"),
        ("garbage", 200, "text/html"),
        ("empty", 200, "application/json"),
    ],
)
def test_injected_answers(fake_classifications, kind, status, content_type):
    fake = fake_classifications
    fake.inject(kind, path_contains="/maps", retry_after=7)
    assert listing(fake).status_code == 200  # not a maps request: untouched
    r = get_maps(fake, "maakunta")
    assert r.status_code == status and r.headers["Content-Type"].startswith(content_type)
    if kind == "503":
        assert r.headers["Retry-After"] == "7"
    if kind == "empty":
        assert r.json() == []
    if kind == "garbage":
        with pytest.raises(requests.exceptions.JSONDecodeError):
            r.json()
    assert len(get_maps(fake, "maakunta").json()) == 308  # consumed
    assert [rec.status for rec in fake.requests] == [200, status, 200]


def test_injected_transport_failures(fake_classifications):
    fake = fake_classifications
    fake.inject("truncated", path_contains="maakunta_1_2026", times=2)
    r = get_maps(fake, "maakunta")
    assert r.status_code == 200
    with pytest.raises(requests.exceptions.JSONDecodeError):
        r.json()
    assert get_maps(fake, "seutukunta").status_code == 200  # path does not match
    with pytest.raises(requests.exceptions.JSONDecodeError):
        get_maps(fake, "maakunta").json()
    fake.inject("reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        listing(fake)
    fake.inject("incomplete")
    with pytest.raises(requests.exceptions.RequestException):
        get_maps(fake, "maakunta").json()
    fake.inject("timeout")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(f"{fake.base_url}/correspondenceTables", timeout=0.5)
    assert time.monotonic() - started < 2
    assert len(get_maps(fake, "maakunta").json()) == 308
    assert [rec.status for rec in fake.requests] == [200, 200, 200, 0, 200, 200, 200]


def test_unknown_injection_kind_is_rejected(fake_classifications):
    with pytest.raises(ValueError):
        fake_classifications.inject("429")
