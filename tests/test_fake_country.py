"""Tests of the fakes in country mode and of the national key they share.

Why: "any region, any size" is tested against fakes that serve the whole country; they
must agree with each other and with the fake classification service (one national key),
and every aggregate they serve must be exactly the sum of its members, or a client test of
a maakunta other than 17 proves nothing.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
import requests

from digiindicators.sources.pxweb_query import split_selections
from tests.fakes import national, regions
from tests.fakes.classification_server import FakeClassifications, local_id
from tests.fakes.pxweb_server import FakePxWeb
from tests.fakes.regions import PP_MUNICIPALITIES
from tests.fakes.sotkanet_server import FakeSotkanet
from tests.fakes.wfs_server import REFERENCE_GEOJSON, FakeWfs

KEY = national.load()


@pytest.fixture(scope="module")
def pxweb():
    """One country-mode PxWeb for the module (its population model is built once)."""
    with FakePxWeb(country=True, max_calls=100_000) as fake:
        yield fake


@pytest.fixture(scope="module")
def sotkanet():
    with FakeSotkanet(country=True) as fake:
        yield fake


# -- the national key -------------------------------------------------------------------------


def test_national_key_promises():
    munis = KEY.municipalities
    assert len(munis) == 308 and list(munis) == sorted(munis)
    with open(REFERENCE_GEOJSON, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    in_file = {f["properties"]["NATCODE"]: f["properties"] for f in features}
    assert set(in_file) - set(munis) == {KEY.dropped.code}
    for code, m in munis.items():
        # MK17 names are the classification's (Ii is "Ijo" there, "Ii" in the NLS file).
        names = PP_MUNICIPALITIES.get(code) or (in_file[code]["NAMEFIN"], in_file[code]["NAMESWE"])
        assert (m.name_fi, m.name_sv) == names
        assert m.name_en == m.name_fi and m.code == code
        assert m.seutukunta.startswith(m.maakunta) and m.kuntaryhmitys in ("1", "2", "3")
        assert (m.hyvinvointialue is None) == (m.maakunta == "21")
    pp = {c: m for c, m in munis.items() if m.maakunta == "17"}
    assert set(pp) == set(regions.PP_MUNICIPALITIES)
    assert all(m.hyvinvointialue == "19" for m in pp.values())
    for code, (_name, members) in regions.SUBREGIONS.items():
        assert set(KEY.members("seutukunta", code)) == set(members)
    assert {c: m.maakunta for c, m in munis.items() if c in ("091", "837", "179")} == {
        "091": "01",
        "837": "06",
        "179": "13",
    }
    sizes = Counter(m.maakunta for m in munis.values())
    assert set(sizes) == set(national.MAAKUNNAT) and min(sizes.values()) >= 3
    for mk in national.MAAKUNNAT:
        subs = {m.seutukunta for m in munis.values() if m.maakunta == mk}
        assert mk == "17" or 2 <= len(subs) <= 5
    assert set(KEY.seutukunnat) == {m.seutukunta for m in munis.values()}
    assert set(KEY.counties) == {m.hyvinvointialue for m in munis.values()} - {None}
    assert munis["091"].hyvinvointialue == "90"
    assert len({m.hyvinvointialue for m in munis.values() if m.maakunta == "01"}) == 3
    assert KEY.dropped.maakunta not in ("17", "21")


# -- PxWeb ------------------------------------------------------------------------------------


def _published_with_hidden(fake: FakePxWeb, table: str) -> np.ndarray:
    """A table's values with suppressed cells restored (aggregates include them)."""
    tab = fake.table(table)
    values = tab.values.copy()
    for index, value in tab.hidden.items():
        values[index] = value
    return values


def _member_rows(area_codes: list[str], level: str, code: str) -> list[int]:
    return [area_codes.index(f"KU{c}") for c in KEY.members(level, code)]


@pytest.mark.parametrize(
    ("table", "contents"),
    [
        ("11ra", ["vaerak-vaesto"]),
        ("14ww", ["tjt-henkiloita", "rpt_henkilo"]),
        ("12r5", ["TYOVOIMATK", "TYOTTOMATLOPUSSA"]),
        ("12bs", ["vaesto_15_", "kaste0", "kaste5T8"]),
    ],
)
def test_pxweb_aggregates_are_member_sums(pxweb, table, contents):
    tab = pxweb.table(table)
    area_var = tab.variable("area")
    codes = list(area_var.values)
    kinds = Counter(c[:2] if c != "SSS" else "SSS" for c in codes)
    assert kinds["KU"] == 308 and kinds["MK"] == 19 and kinds["SSS"] == 1
    assert kinds["SK"] in (0, len(KEY.seutukunnat))
    assert area_var.texts[codes.index("MK21")] == "Ahvenanmaa"
    values = _published_with_hidden(pxweb, table)
    axis = [v.key for v in tab.variables].index("area")
    content_axis = [v.key for v in tab.variables].index("content")
    content_var = tab.variable("content")
    values = np.moveaxis(values, (axis, content_axis), (0, -1))
    picked = values[..., [content_var.values.index(c) for c in contents]]
    ku = [i for i, c in enumerate(codes) if c.startswith("KU")]
    np.testing.assert_array_equal(picked[codes.index("SSS")], picked[ku].sum(axis=0))
    checked = 0
    for code in codes:
        level = {"MK": "maakunta", "SK": "seutukunta"}.get(code[:2])
        if level is None:
            continue
        rows = _member_rows(codes, level, code[2:])
        np.testing.assert_array_equal(picked[codes.index(code)], picked[rows].sum(axis=0))
        checked += 1
    assert checked == 19 + kinds["SK"]


def test_pxweb_areas_names_and_11re(pxweb):
    a11ra = pxweb.table("11ra").variable("area")
    assert a11ra.values[: 1 + 19] == ["SSS", *(f"MK{c}" for c in national.MAAKUNNAT)]
    names = dict(zip(a11ra.values, a11ra.texts, strict=True))
    assert names["KU564"] == "Oulu" and names["MK01"] == "Uusimaa"
    assert all(names[f"KU{c}"] == m.name_fi for c, m in KEY.municipalities.items())
    assert all(names[f"SK{c}"] == n[0] for c, n in KEY.seutukunnat.items())
    assert f"KU{KEY.dropped.code}" not in names
    a11re = pxweb.table("11re").variable("area").values
    assert a11re == ["SSS", *(f"KU{c}" for c in KEY.municipalities)]
    total = pxweb.population("SSS", 2025)
    assert total == sum(pxweb.population(f"KU{c}", 2025) for c in KEY.municipalities)
    assert pxweb.population("MK17", 2025) == sum(
        pxweb.population(f"KU{c}", 2025) for c in regions.PP_MUNICIPALITIES
    )


def test_pxweb_country_over_http_and_cell_limit(pxweb):
    base = f"{pxweb.base_url}/fi"
    config = requests.get(f"{base}/?config", timeout=5).json()
    assert config["maxCells"] == 120_000  # the default limit, unchanged
    meta = requests.get(f"{base}/StatFin/vaerak/11ra.px", timeout=5).json()
    area = next(v for v in meta["variables"] if v["code"] == "alue_23_20260101")
    assert len(area["values"]) == 1 + 19 + len(KEY.seutukunnat) + 308
    body = {
        "query": [
            {"code": "alue_23_20260101", "selection": {"filter": "item", "values": ["MK21"]}},
            {"code": "timeperiod_y", "selection": {"filter": "item", "values": ["2025"]}},
            {"code": "contentscode", "selection": {"filter": "item", "values": ["vaerak-vaesto"]}},
        ],
        "response": {"format": "json-stat2"},
    }
    served = requests.post(f"{base}/StatFin/vaerak/11ra.px", json=body, timeout=5).json()
    aland = KEY.members("maakunta", "21")
    assert served["value"] == [sum(pxweb.population(f"KU{c}", 2025) for c in aland)]
    # the whole country in full breakdown needs splitting under that limit
    for table, minimum in (("11re", 10), ("12bs", 2)):
        meta = requests.get(f"{base}/StatFin/{pxweb.table(table).level}/{table}.px", timeout=5)
        selection = {v["code"]: tuple(v["values"]) for v in meta.json()["variables"]}
        assert len(split_selections(selection, config["maxCells"])) >= minimum


def test_default_pxweb_is_unchanged():
    fake = FakePxWeb(tables=["11ra"])
    codes = fake.table("11ra").variable("area").values
    assert codes[:3] == ["SSS", "MK01", "MK17"] and len(codes) == 1 + 2 + 7 + 33
    with pytest.raises(ValueError):
        FakePxWeb(country=True, area_codes=["KU564"])


# -- Sotkanet ---------------------------------------------------------------------------------


def test_sotkanet_country_regions_match_the_key(sotkanet):
    listing = sotkanet.regions_json()
    by_category: dict[str, dict[str, dict]] = {}
    for region in listing:
        by_category.setdefault(region["category"], {})[region["code"]] = region
    assert set(by_category["KUNTA"]) == set(KEY.municipalities)
    assert set(by_category["MAAKUNTA"]) == set(national.MAAKUNNAT)
    assert set(by_category["SEUTUKUNTA"]) == set(KEY.seutukunnat)
    assert set(by_category["HYVINVOINTIALUE"]) == set(KEY.counties)
    assert len(by_category["MAA"]) == 1
    ids = [r["id"] for r in listing]
    assert len(ids) == len(set(ids))
    (maa_region,) = by_category["MAA"].values()
    maa = maa_region["id"]
    for code, m in KEY.municipalities.items():
        region = by_category["KUNTA"][code]
        assert (region["title"]["fi"], region["title"]["sv"]) == (m.name_fi, m.name_sv)
        member_of = set(region["memberOf"])
        assert by_category["MAAKUNTA"][m.maakunta]["id"] in member_of
        assert by_category["SEUTUKUNTA"][m.seutukunta]["id"] in member_of
        assert maa in member_of
        counties = {r["id"] for r in by_category["HYVINVOINTIALUE"].values()} & member_of
        if m.hyvinvointialue is None:
            assert not counties
        else:
            assert counties == {by_category["HYVINVOINTIALUE"][m.hyvinvointialue]["id"]}
    assert by_category["MAAKUNTA"]["21"]["title"]["sv"] == "Åland"


def test_sotkanet_country_data_are_member_sums(sotkanet):
    r = requests.get(
        f"{sotkanet.base_url}/1.1/json",
        params={"indicator": 127, "years": 2024, "genders": "total"},
        headers={"User-Agent": "digiindicators-tests"},
        timeout=10,
    )
    rows = {row["region"]: row["value"] for row in r.json()}
    regions_by_id = {reg["id"]: reg for reg in sotkanet.regions_json()}
    value = {(regions_by_id[i]["category"], regions_by_id[i]["code"]): v for i, v in rows.items()}
    kunta = {code: v for (cat, code), v in value.items() if cat == "KUNTA"}
    assert set(kunta) == set(KEY.municipalities)
    levels = {
        "MAAKUNTA": "maakunta",
        "SEUTUKUNTA": "seutukunta",
        "HYVINVOINTIALUE": "hyvinvointialue",
    }
    checked = 0
    for (category, code), v in value.items():
        if category in levels:
            assert v == sum(kunta[c] for c in KEY.members(levels[category], code))
            checked += 1
        elif category == "MAA":
            assert v == sum(kunta.values())
    assert checked == 19 + len(KEY.seutukunnat) + len(KEY.counties)


def test_default_sotkanet_is_unchanged():
    fake = FakeSotkanet()
    kunta = [r for r in fake.regions_json() if r["category"] == "KUNTA"]
    assert len(kunta) == 36


# -- WFS --------------------------------------------------------------------------------------


WFS_PARAMS = {
    "service": "WFS",
    "version": "2.0.0",
    "request": "GetFeature",
    "outputFormat": "json",
    "srsName": "EPSG:4326",
}


def wfs_layer(fake: FakeWfs, name: str, **extra: str) -> requests.Response:
    params = {**WFS_PARAMS, "typeName": f"tilastointialueet:{name}", **extra}
    return requests.get(fake.base_url, params=params, timeout=10)


def test_wfs_country_serves_the_key():
    with FakeWfs(country=True) as fake:
        features = wfs_layer(fake, "kunta4500k_2026").json()["features"]
        assert {f["properties"]["kunta"] for f in features} == set(KEY.municipalities)
        assert len(features) == 308
        assert len(wfs_layer(fake, "kunta4500k").json()["features"]) == 308
        # the merger is in 2025: the older layers still have the 309th municipality
        assert len(wfs_layer(fake, "kunta4500k_2024").json()["features"]) == 309
        hits = wfs_layer(fake, "kunta4500k_2026", resultType="hits").text
        assert 'numberMatched="308"' in hits
    assert len(FakeWfs().truth(2026)["features"]) == 309  # default unchanged


# -- all fakes agree --------------------------------------------------------------------------


def test_classification_service_agrees_with_the_country_fakes(pxweb, sotkanet):
    with FakeClassifications() as fake:
        url = f"{fake.base_url}/correspondenceTables/{local_id('maakunta', 2026)}/maps"
        rows = requests.get(url.replace("#", "%23"), params={"content": "data"}, timeout=5).json()
    served = {r["sourceItem"]["code"]: r["targetItem"]["code"] for r in rows}
    pxweb_mk = {
        code: [f"KU{c}" for c in KEY.members("maakunta", code)] for code in national.MAAKUNNAT
    }
    for code, members in pxweb_mk.items():
        assert {m[2:] for m in members} == {c for c, mk in served.items() if mk == code}
        index = pxweb.model.areas[f"MK{code}"].members
        assert sorted(pxweb.model.units[i].code for i in index) == sorted(members)
    kunta = {r["code"] for r in sotkanet.regions_json() if r["category"] == "KUNTA"}
    assert kunta == set(served)
