"""Tests of the fake PxWeb server itself.

Why: every client test and benchmark trusts this fake to behave like StatFin's PxWeb API v1 and
to hold internally consistent numbers; if the fake drifts, client tests prove nothing.
"""

from __future__ import annotations

import itertools
import time

import pytest
import requests

from tests.fakes.pxweb_server import PP_MUNICIPALITIES, SUBREGIONS, FakePxWeb

AREA = "alue_23_20260101"
YEAR = "timeperiod_y"
CONTENT = "contentscode"
AGE = "ikaryhma_10_20180101"
SEX = "sukupuoli_9_20180101"
KEYS = {
    AREA: "area",
    "alue_23_20250101": "area",
    "Alue": "area",
    YEAR: "year",
    "timeperiod_m": "month",
    CONTENT: "content",
    AGE: "age",
    SEX: "sex",
}


@pytest.fixture(scope="module")
def fake():
    """One shared server for read-only tests; generous limits so tests never hit 429."""
    with FakePxWeb(max_calls=100_000) as server:
        yield server


@pytest.fixture
def fresh():
    """A private server for tests that rename codes or change values."""
    with FakePxWeb(max_calls=100_000) as server:
        yield server


def url(server: FakePxWeb, path: str) -> str:
    return f"{server.base_url}/fi/{path}"


def query(*parts: tuple[str, str, list[str]], fmt: str | None = "json-stat2") -> dict:
    body = {"query": [{"code": c, "selection": {"filter": f, "values": v}} for c, f, v in parts]}
    if fmt is not None:
        body["response"] = {"format": fmt}
    return body


def post(server: FakePxWeb, table: str, body: dict, **kwargs) -> requests.Response:
    return requests.post(url(server, f"StatFin/{table}"), json=body, timeout=5, **kwargs)


def cells(dataset: dict) -> dict[tuple[str, ...], float | None]:
    """Decode json-stat2 (row-major, last id fastest) into {coordinate codes: value}."""
    axes = []
    for dim in dataset["id"]:
        index = dataset["dimension"][dim]["category"]["index"]
        axes.append(sorted(index, key=index.get))
    coords = list(itertools.product(*axes))
    assert len(coords) == len(dataset["value"])
    return dict(zip(coords, dataset["value"], strict=True))


def stable(dataset: dict, coords: tuple[str, ...]) -> dict[str, str]:
    return {KEYS[dim]: code for dim, code in zip(dataset["id"], coords, strict=True)}


# -- navigation and metadata -----------------------------------------------------------------


def test_config(fake):
    r = requests.get(url(fake, "?config"), timeout=5)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.json() == {
        "maxValues": 120_000,
        "maxCells": 120_000,
        "maxCalls": 100_000,
        "timeWindow": 60,
        "CORS": True,
    }


def test_listing(fake):
    assert requests.get(url(fake, ""), timeout=5).json() == [{"dbid": "StatFin", "text": "StatFin"}]
    levels = requests.get(url(fake, "StatFin"), timeout=5).json()
    assert [lv["id"] for lv in levels] == ["vaerak", "vkour", "tjt", "tyonv", "sutivi"]
    assert levels[0] == {"id": "vaerak", "type": "l", "text": "Väestörakenne"}
    tables = requests.get(url(fake, "StatFin/vaerak"), timeout=5).json()
    assert tables[0] == {
        "id": "11ra.px",
        "type": "t",
        "updated": "2026-07-01T18:34:16",
        "text": "11ra -- Tunnuslukuja väestöstä alueittain, 1990-2025",
    }
    assert [t["id"] for t in tables] == ["11ra.px", "11re.px"]


def test_metadata_long_and_short_path(fake):
    meta = requests.get(url(fake, "StatFin/vaerak/11re.px"), timeout=5).json()
    assert requests.get(url(fake, "StatFin/11re.px"), timeout=5).json() == meta
    assert meta["title"].startswith("Väestö 31.12. muuttujina")
    variables = {v["code"]: v for v in meta["variables"]}
    assert list(variables) == [AREA, AGE, SEX, YEAR, CONTENT]
    assert variables[AREA]["values"][:2] == ["SSS", "KU009"]
    assert "MK17" not in variables[AREA]["values"]
    assert "elimination" not in variables[AREA] and "time" not in variables[AREA]
    assert variables[AGE]["elimination"] is True and len(variables[AGE]["values"]) == 102
    assert variables[AGE]["values"][-1] == "100-"
    assert variables[YEAR]["time"] is True
    assert variables[YEAR]["values"][0] == "1972" and variables[YEAR]["values"][-1] == "2025"
    assert variables[CONTENT]["values"] == ["vaerak-vaesto"]


@pytest.mark.parametrize(
    ("path", "first_codes"),
    [
        ("vaerak/11ra.px", [AREA, YEAR, CONTENT]),
        ("vkour/12bs.px", [YEAR, AREA, AGE, SEX, CONTENT]),
        ("tjt/14ww.px", ["alue_23_20250101", YEAR, CONTENT]),
        ("tyonv/12r5.px", ["Alue", "timeperiod_m", CONTENT]),
    ],
)
def test_metadata_variable_order(fake, path, first_codes):
    meta = requests.get(url(fake, f"StatFin/{path}"), timeout=5).json()
    assert [v["code"] for v in meta["variables"]] == first_codes


@pytest.mark.parametrize(
    "path",
    [
        "StatFin/vaerak/statfin_vaerak_pxt_11ra.px",
        "StatFin/nope",
        "xx/StatFin",
        "StatFin/tjt/11ra.px",
    ],
)
def test_unknown_paths_are_plain_400(fake, path):
    r = requests.get(
        f"{fake.base_url}/{path}" if path.startswith("xx") else url(fake, path), timeout=5
    )
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "Bad Request"


# -- data queries ----------------------------------------------------------------------------


def test_item_query_matches_truth(fake):
    body = query(
        (AREA, "item", ["KU564", "MK17", "SSS", "SK171"]),
        (YEAR, "item", ["2024"]),
        (CONTENT, "item", ["vaerak-vaesto", "vaesto_yli64_p"]),
    )
    r = post(fake, "vaerak/11ra.px", body)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    ds = r.json()
    assert list(ds)[:4] == ["version", "class", "label", "source"]
    assert ds["class"] == "dataset" and ds["version"] == "2.0"
    assert ds["source"] == "Tilastokeskus, väestörakenne"
    assert ds["updated"] == "2026-07-01T18:34:16Z"
    assert ds["role"] == {"time": [YEAR], "metric": [CONTENT]}
    assert ds["id"] == [AREA, YEAR, CONTENT] and ds["size"] == [4, 1, 2]
    assert ds["extension"] == {"px": {"tableid": "11ra", "decimals": 1}}
    assert "status" not in ds
    # metadata order, not request order
    assert list(ds["dimension"][AREA]["category"]["index"]) == ["SSS", "MK17", "SK171", "KU564"]
    unit = ds["dimension"][CONTENT]["category"]["unit"]
    assert unit["vaesto_yli64_p"] == {"base": "%", "decimals": 1}
    assert "unit" not in ds["dimension"][AREA]["category"]
    decoded = cells(ds)
    for coords, value in decoded.items():
        assert value == fake.truth("11ra", stable(ds, coords))
    oulu = decoded[("KU564", "2024", "vaerak-vaesto")]
    assert oulu == fake.population("KU564", 2024)
    assert isinstance(oulu, int) and 150_000 < oulu < 230_000
    old = fake.population("KU564", 2024, age_from=65)
    assert decoded[("KU564", "2024", "vaesto_yli64_p")] == round(100 * old / oulu, 1)


def test_all_and_top_filters(fake):
    body = query((AREA, "all", ["MK*"]), (YEAR, "all", ["202*"]), (CONTENT, "top", ["1"]))
    ds = post(fake, "vaerak/11ra.px", body).json()
    assert list(ds["dimension"][AREA]["category"]["index"]) == ["MK01", "MK17"]
    assert list(ds["dimension"][YEAR]["category"]["index"]) == [str(y) for y in range(2020, 2026)]
    body = query(("Alue", "item", ["KU564"]), ("timeperiod_m", "top", ["3"]))
    ds = post(fake, "tyonv/12r5.px", body).json()
    assert list(ds["dimension"]["timeperiod_m"]["category"]["index"]) == [
        "2026M06",
        "2026M07",
        "2026M08",
    ]
    assert ds["size"] == [1, 3, 3]  # contentscode omitted and not eliminable: all values
    for coords, value in cells(ds).items():
        assert value == fake.truth("12r5", stable(ds, coords))


def test_elimination(fake):
    body = query((AREA, "item", ["KU564", "SSS"]), (YEAR, "item", ["2025"]))
    ds = post(fake, "vaerak/11re.px", body).json()
    assert ds["id"] == [AREA, YEAR, CONTENT]  # age and sex eliminated
    assert ds["value"] == [fake.population("SSS", 2025), fake.population("KU564", 2025)]
    body = query(
        (AREA, "item", ["KU564"]),
        (AGE, "item", ["075", "100-"]),
        (SEX, "item", ["2"]),
        (YEAR, "item", ["2025"]),
    )
    ds = post(fake, "vaerak/11re.px", body).json()
    assert ds["size"] == [1, 2, 1, 1, 1]
    assert ds["value"] == [
        fake.population("KU564", 2025, 75, 75, sex=2),
        fake.population("KU564", 2025, 100, 100, sex=2),
    ]


def test_aggregates_are_sums_of_members(fake):
    body = query(
        (AREA, "all", ["*"]), (YEAR, "item", ["2025"]), (CONTENT, "item", ["vaerak-vaesto"])
    )
    values = {c[0]: v for c, v in cells(post(fake, "vaerak/11ra.px", body).json()).items()}
    assert values["MK17"] == sum(values[c] for c in PP_MUNICIPALITIES)
    for sk, (_, members) in SUBREGIONS.items():
        assert values[sk] == sum(values[c] for c in members)
    assert values["SSS"] > sum(v for c, v in values.items() if c.startswith("KU"))
    assert 5_400_000 < values["SSS"] < 5_800_000
    assert max((v, c) for c, v in values.items() if c.startswith("KU"))[1] == "KU564"
    body = query(
        (AREA, "item", ["MK17"] + list(PP_MUNICIPALITIES)),
        (YEAR, "item", ["2024"]),
        (CONTENT, "item", ["vaesto_15_", "kaste5T8", "kaste5T8osuus"]),
    )
    edu = cells(post(fake, "vkour/12bs.px", body).json())
    mk = {c: v for (y, a, c), v in edu.items() if a == "MK17"}
    assert mk["kaste5T8"] == sum(
        v for (y, a, c), v in edu.items() if c == "kaste5T8" and a != "MK17"
    )
    assert mk["kaste5T8osuus"] == round(100 * mk["kaste5T8"] / mk["vaesto_15_"], 1)


@pytest.mark.parametrize(
    "body",
    [
        query(("alue_23_20250101", "item", ["KU564"])),  # wrong dated code for this table
        query((AREA, "item", ["KU999"])),
        query((YEAR, "top", ["x"])),
        query((AREA, "agg:_Maakunnat.agg", ["MK17"])),
        query((AREA, "item", ["KU564"]), fmt="jsonstat2"),
        query((AREA, "item", ["KU564"]), fmt="csv"),
    ],
)
def test_bad_queries_give_plain_400(fake, body):
    r = post(fake, "vaerak/11ra.px", body)
    assert (r.status_code, r.text) == (400, "Bad Request")
    assert r.headers["Content-Type"].startswith("text/plain")


def test_missing_response_defaults_to_jsonstat2(fake):
    r = post(fake, "11ra.px", query((AREA, "item", ["KU564"]), (YEAR, "top", ["1"]), fmt=None))
    assert r.status_code == 200 and r.json()["class"] == "dataset"


def test_over_cell_limit_is_iis_403(fake):
    r = post(fake, "vaerak/11re.px", query((AGE, "all", ["*"]), (SEX, "all", ["*"])))
    assert r.status_code == 403
    assert r.headers["Content-Type"].startswith("text/html")
    assert "403 - Forbidden: Access is denied." in r.text
    ok = post(
        fake,
        "vaerak/11re.px",
        query((AGE, "all", ["*"]), (SEX, "all", ["*"]), (YEAR, "top", ["10"])),
    )
    assert ok.status_code == 200 and len(ok.json()["value"]) == 34 * 102 * 3 * 10


def test_status_preserved_and_hidden_values_still_aggregate(fake):
    body = query(
        (YEAR, "item", ["2012"]),
        (AREA, "item", ["KU483", "KU630", "KU564"]),
        (CONTENT, "item", ["kaste5T8", "kaste5T8osuus"]),
    )
    ds = post(fake, "vkour/12bs.px", body).json()
    # areas come in metadata order: KU483, KU564, KU630
    assert ds["status"] == {"0": "..", "1": "..", "4": "..", "5": ".."}
    assert ds["value"][:2] == ds["value"][4:] == [None, None] and None not in ds["value"][2:4]
    coords = {"area": "KU483", "year": "2012", "content": "kaste5T8"}
    assert fake.truth("12bs", coords) is None
    assert fake.truth_status("12bs", coords) == ".."
    hidden = fake.truth("12bs", coords, published=False)
    assert isinstance(hidden, int) and hidden > 0
    body = query(("alue_23_20250101", "item", ["KU072"]), (YEAR, "all", ["202*"]))
    ds = post(fake, "tjt/14ww.px", body).json()
    # years 2020..2024 x 4 contents; rpt_henkilo, rpt_aste suppressed in 2023 and 2024
    assert ds["status"] == {"14": "...", "15": "...", "18": "...", "19": "..."}
    assert ds["value"][14] is None and ds["value"][12] is not None


# -- limits and injected failures --------------------------------------------------------------


def test_rate_limit_429_and_window_recovery():
    with FakePxWeb(max_calls=5, time_window=1) as server:
        codes = [requests.get(url(server, ""), timeout=5).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        r = requests.get(url(server, ""), timeout=5)
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        assert r.json() == {
            "error": "429 - Too many requests in too short timeframe. Please try again later."
        }
        assert [rec.status for rec in server.requests] == [200] * 5 + [429, 429]
        time.sleep(1.05)
        assert requests.get(url(server, "?config"), timeout=5).status_code == 200


@pytest.mark.parametrize(
    ("kind", "status", "content_type", "text"),
    [
        ("429", 429, "application/json", "Too many requests"),
        ("403html", 403, "text/html", "403 - Forbidden: Access is denied."),
        ("400", 400, "text/plain", "Bad Request"),
        ("500", 500, "text/html", "500"),
        ("503", 503, "text/html", "503"),
        ("garbage", 200, "text/html", "<html"),
    ],
)
def test_injected_http_failures(fresh, kind, status, content_type, text):
    fresh.inject(kind, path_contains="11ra", method="POST", retry_after=7)
    body = query((AREA, "item", ["KU564"]), (YEAR, "top", ["1"]))
    assert requests.get(url(fresh, "StatFin/vaerak/11ra.px"), timeout=5).status_code == 200
    r = post(fresh, "vaerak/11ra.px", body)
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith(content_type)
    assert text in r.text
    if kind == "429":
        assert r.headers["Retry-After"] == "7"
    assert post(fresh, "vaerak/11ra.px", body).status_code == 200  # consumed
    assert [rec.status for rec in fresh.data_requests()] == [status, 200]


def test_injected_transport_failures(fresh):
    target = url(fresh, "StatFin/vaerak/11ra.px")
    fresh.inject("truncated", times=2)
    fresh.inject("reset")
    fresh.inject("incomplete")
    fresh.inject("timeout")
    for _ in range(2):
        r = requests.get(target, timeout=5)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
        with pytest.raises(requests.exceptions.JSONDecodeError):
            r.json()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(target, timeout=5)
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(target, timeout=5)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(target, timeout=0.5)
    assert time.monotonic() - started < 2
    assert requests.get(target, timeout=5).json()["title"]
    assert [rec.status for rec in fresh.requests] == [200, 200, 0, 200, 200, 200]


def test_unknown_injection_kind_is_rejected(fresh):
    with pytest.raises(ValueError):
        fresh.inject("teapot")


# -- scenario controls -------------------------------------------------------------------------


def test_rename_variable_codes(fresh):
    fresh.rename_variable_codes("20270101")
    meta = requests.get(url(fresh, "StatFin/vaerak/11re.px"), timeout=5).json()
    assert [v["code"] for v in meta["variables"]] == [
        "alue_23_20270101",
        "ikaryhma_10_20270101",
        "sukupuoli_9_20270101",
        YEAR,
        CONTENT,
    ]
    old = post(fresh, "vaerak/11ra.px", query((AREA, "item", ["KU564"]), (YEAR, "top", ["1"])))
    assert old.status_code == 400
    new = post(
        fresh,
        "vaerak/11ra.px",
        query(("alue_23_20270101", "item", ["KU564"]), (YEAR, "top", ["1"])),
    )
    assert new.status_code == 200 and new.json()["id"][0] == "alue_23_20270101"
    meta14 = requests.get(url(fresh, "StatFin/tjt/14ww.px"), timeout=5).json()
    assert meta14["variables"][0]["code"] == "alue_23_20270101"


def test_content_prefix_updated_and_set_value(fresh):
    fresh.set_content_prefix("11re", "vaerak-vaesto", "vaerak2-vaesto")
    fresh.set_updated("11re", "2027-03-01T08:00:00")
    fresh.set_value("11re", {"area": "KU564", "year": "2025"}, None, "..")
    body = query(
        (AREA, "item", ["KU564"]), (YEAR, "item", ["2025"]), (CONTENT, "item", ["vaerak2-vaesto"])
    )
    ds = post(fresh, "vaerak/11re.px", body).json()
    assert ds["updated"] == "2027-03-01T08:00:00Z"
    assert ds["value"] == [None] and ds["status"] == {"0": ".."}
    listing = requests.get(url(fresh, "StatFin/vaerak"), timeout=5).json()
    assert listing[1]["updated"] == "2027-03-01T08:00:00"
    body["query"][2]["selection"]["values"] = ["vaerak-vaesto"]
    assert post(fresh, "vaerak/11re.px", body).status_code == 400


def test_requests_are_recorded(fresh):
    body = query((AREA, "item", ["KU564"]), (YEAR, "top", ["1"]))
    requests.get(url(fresh, "?config"), timeout=5)
    post(fresh, "vaerak/11ra.px", body)
    first, second = fresh.requests
    assert (first.method, first.path, first.query, first.body) == (
        "GET",
        "/PXWeb/api/v1/fi/",
        "config",
        None,
    )
    assert (second.method, second.path, second.body, second.status) == (
        "POST",
        "/PXWeb/api/v1/fi/StatFin/vaerak/11ra.px",
        body,
        200,
    )
    assert first.time <= second.time
    assert fresh.data_requests() == [second]


def test_custom_area_list_keeps_country_consistent():
    codes = [f"KU{i:03d}" for i in range(1, 925, 3)][:308]
    with FakePxWeb(area_codes=codes, max_calls=1000) as server:
        meta = requests.get(url(server, "StatFin/vaerak/11re.px"), timeout=5).json()
        assert len(meta["variables"][0]["values"]) == 309
        body = query((AREA, "item", ["SSS"] + codes), (YEAR, "item", ["2025"]))
        values = post(server, "vaerak/11re.px", body).json()["value"]
        assert values[0] > sum(values[1:]) > 0
        assert values[0] == server.population("SSS", 2025)
