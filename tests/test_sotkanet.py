"""THL Sotkanet client: regions as data, metadata guards, data rows → explicit grid.

Why: Sotkanet rows carry internal ids that have been renumbered before, arrive unsorted,
omit suppressed cells, sometimes lack ``absValue`` or a ``total``, and the service refuses
requests without a User-Agent. Each of those must be handled in the client, never by the
dashboard. Everything runs against the fake on 127.0.0.1 or the real samples read in place.
"""

from __future__ import annotations

import json
import math

import pytest
import requests
import urllib3

from digiindicators.areas import areas
from digiindicators.config import Settings
from digiindicators.errors import (
    ConfigError,
    MalformedResponse,
    NotFound,
    ResolveError,
    SourceError,
)
from digiindicators.sources import sotkanet as sk
from digiindicators.sources.sotkanet import SotkanetClient, UserAgentRefused
from tests import shared_files
from tests.fakes.sotkanet_server import INDICATORS, FakeSotkanet

SAMPLES = shared_files.SAMPLES / "sotkanet"
UA = "digiindicators-tests/0.1 (+https://example.invalid/digiindicators)"
MUNICIPALITIES = areas().municipalities()
NAMES = areas().names()
YEARS = [2019, 2020, 2021, 2022, 2023]


@pytest.fixture(scope="module")
def fake():
    """A shared server for tests that only read."""
    with FakeSotkanet() as server:
        yield server


@pytest.fixture
def fresh():
    """A private server for tests that inject failures or change titles and ids."""
    with FakeSotkanet() as server:
        yield server


def client_for(server: FakeSotkanet, **overrides) -> SotkanetClient:
    values = dict(user_agent=UA, timeout=0.5, max_retries=2, backoff=0.01)
    values.update(overrides)
    return SotkanetClient(server.base_url, **values)


@pytest.fixture
def client(fake):
    with client_for(fake) as c:
        yield c


@pytest.fixture(scope="module")
def resolved(fake):
    """Regions and the area → id map, fetched once."""
    with client_for(fake) as c:
        regions, _ = c.regions()
    return regions, sk.table_area_ids(regions, areas())


# ---- User-Agent ------------------------------------------------------------------------------
def test_fake_answers_403_without_user_agent_like_the_real_one(fake):
    url = f"{fake.base_url}/1.1/regions"
    # requests (urllib3) adds a default User-Agent unless told to skip the header.
    bare = requests.get(url, headers={"User-Agent": urllib3.util.SKIP_HEADER}, timeout=5)
    assert bare.status_code == 403
    assert fake.requests[-1].user_agent is None
    assert requests.get(url, headers={"User-Agent": UA}, timeout=5).status_code == 200


def test_client_always_sends_its_user_agent(fresh):
    with client_for(fresh) as c:
        c.regions()
        c.indicator_metadata(127)
        c.data(990002, [2023])  # includes the male+female fallback call
    assert len(fresh.requests) == 4
    assert {r.user_agent for r in fresh.requests} == {UA}


def test_blank_user_agent_is_refused_before_any_request(fake):
    with pytest.raises(ConfigError, match="User-Agent"):
        SotkanetClient(fake.base_url, user_agent="  ")


def test_403_is_reported_as_a_user_agent_problem_and_not_retried(fresh):
    fresh.inject("403")
    with client_for(fresh) as c, pytest.raises(UserAgentRefused) as info:
        c.regions()
    assert isinstance(info.value, SourceError)
    assert "User-Agent" in str(info.value) and UA in str(info.value)
    assert info.value.status == 403
    assert c.stats.retries == 0


def test_a_request_that_loses_its_user_agent_gets_the_same_error(fresh):
    with client_for(fresh) as c:
        del c.http._session.headers["User-Agent"]
        c.http._session.headers["User-Agent"] = urllib3.util.SKIP_HEADER
        with pytest.raises(UserAgentRefused, match="missing or blocked"):
            c.indicator_metadata(127)
    assert fresh.requests[-1].status == 403


# ---- regions -------------------------------------------------------------------------------
def test_region_index_is_keyed_on_category_and_code(fake, resolved):
    regions, _ = resolved
    index = sk.region_index(regions)
    assert index[("KUNTA", "564")] == fake.region_id("KUNTA", "564")
    # The same code means different places in different categories.
    assert index[("MAAKUNTA", "17")] != index[("HYVINVOINTIALUE", "17")]
    assert index[("MAAKUNTA", "19")] != index[("HYVINVOINTIALUE", "19")]
    assert index[("POHJOISMAAT", "246")] != index[("EUROOPPA", "246")]
    # Ids are data: none of them is a municipality code read as a number.
    assert not {int(r["code"]) for r in regions} & set(index.values())


def test_region_index_refuses_a_duplicated_key():
    regions = [
        {"id": 1, "code": "564", "category": "KUNTA", "memberOf": []},
        {"id": 2, "code": "564", "category": "KUNTA", "memberOf": []},
    ]
    with pytest.raises(ResolveError, match="KUNTA code 564 twice"):
        sk.region_index(regions)


def test_municipality_ids_resolves_all_thirty(fake, resolved):
    regions, _ = resolved
    ids = sk.municipality_ids(regions, MUNICIPALITIES, "17")
    assert list(ids) == MUNICIPALITIES and len(ids) == 30
    assert ids["KU564"] == fake.region_id("KUNTA", "564")
    assert sk.municipality_ids(regions, [c[2:] for c in MUNICIPALITIES]) == ids


def test_table_area_ids_find_municipalities_region_county_and_country(fake, resolved):
    regions, ids = resolved
    assert list(ids)[:30] == MUNICIPALITIES
    aggregates = {code: rid for code, rid in ids.items() if not code.startswith("KU")}
    assert {c: aggregates[c] for c in ("MK17", "HV19", "SSS")} == {
        "MK17": fake.region_id("MAAKUNTA", "17"),
        "HV19": fake.region_id("HYVINVOINTIALUE", "19"),
        "SSS": fake.region_id("MAA", "358"),
    }
    # Every other aggregate is one of the table's sub-regions that Sotkanet lists.
    assert {c[:2] for c in aggregates} <= {"MK", "HV", "SS", "SK"}
    # Without a MAA region the country is simply not served; nothing else changes.
    no_country = sk.table_area_ids([r for r in regions if r["category"] != "MAA"], areas())
    assert no_country == {c: rid for c, rid in ids.items() if c != "SSS"}


def test_a_missing_municipality_is_named(fresh):
    fresh.drop_region("KUNTA", "072")
    with client_for(fresh) as c:
        regions, _ = c.regions()
    with pytest.raises(ResolveError) as info:
        sk.municipality_ids(regions, MUNICIPALITIES, names=NAMES)
    message = str(info.value)
    assert "29 matched" in message and "missing from /regions: KU072 Hailuoto" in message


def test_municipalities_outside_the_region_and_extra_members_are_named(resolved):
    regions, _ = resolved
    wrong = [c for c in MUNICIPALITIES if c != "KU564"] + ["KU091"]
    with pytest.raises(ResolveError) as info:
        sk.municipality_ids(regions, wrong)
    message = str(info.value)
    assert "not members of MAAKUNTA 17: KU091 Helsinki" in message
    assert "unexpected members of MAAKUNTA 17: KU564 Oulu" in message


def test_a_region_list_without_maakunta_17_fails(resolved):
    regions, _ = resolved
    without = [r for r in regions if r["category"] != "MAAKUNTA"]
    with pytest.raises(ResolveError, match="no MAAKUNTA with code 17"):
        sk.municipality_ids(without, MUNICIPALITIES)


def test_renumbered_ids_are_followed(fresh):
    """Sotkanet re-keyed the wellbeing counties once; the mapping must come from /regions."""
    with client_for(fresh) as c:
        before = sk.table_area_ids(c.regions()[0], areas())
        fresh.renumber(5000)
        after = sk.table_area_ids(c.regions()[0], areas())
        rows, _ = c.data(127, [2023])
    assert set(before.values()).isdisjoint(after.values())
    frame = sk.rows_to_frame(rows, sk.codes_by_id(after), years=[2023])
    oulu = frame.set_index("area_code").loc["KU564", "value"]
    assert oulu == fresh.truth(127, "KU564", 2023)["value"]


def test_malformed_regions_are_rejected():
    with pytest.raises(MalformedResponse):
        sk.check_regions({"regions": []})
    with pytest.raises(MalformedResponse, match="without id/code/category"):
        sk.check_regions([{"code": "564"}])


# ---- metadata ------------------------------------------------------------------------------
def test_indicator_metadata_has_the_fields_refresh_needs(client):
    meta, raw = client.indicator_metadata(127)
    assert json.loads(raw) == meta
    assert meta["id"] == 127 and meta["title"]["fi"] == "Väestö 31.12."
    assert sk.data_updated(meta) == "2025-04-04"
    assert sk.data_range(meta) == (1990, 2024)
    sk.check_title(meta, "  väestö   31.12. ")  # case and whitespace do not matter


def test_changed_title_raises_resolve_error(fresh):
    fresh.set_title(171, "75 vuotta täyttäneiden osuus kotitalouksista, %")
    with client_for(fresh) as c:
        meta, _ = c.indicator_metadata(171)
    with pytest.raises(ResolveError) as info:
        sk.check_title(meta, INDICATORS[171].title["fi"])
    assert "171" in str(info.value) and "kotitalouksista" in str(info.value)


def test_data_updated_drives_refresh(fresh):
    with client_for(fresh) as c:
        assert sk.data_updated(c.indicator_metadata(5527)[0]) == "2025-05-14"
        fresh.set_data_updated(5527, "2026-03-01")
        assert sk.data_updated(c.indicator_metadata(5527)[0]) == "2026-03-01"
    assert sk.data_updated({"id": 1}) is None
    assert sk.data_updated({"id": 1, "data-updated": "14.5.2025"}) is None


def test_citation_names_title_id_producer_date_and_licence(client):
    meta, _ = client.indicator_metadata(127)
    assert sk.citation(meta) == (
        "THL Sotkanet, Väestö 31.12. (indikaattori 127; Tilastokeskus; "
        "päivitetty 2025-04-04; CC BY 4.0)"
    )
    assert sk.citation(meta, "en") == (
        "THL Sotkanet, Population at year end (indicator 127; Statistics Finland; "
        "updated 2025-04-04; CC BY 4.0)"
    )
    other = {**meta, "organization": {"id": 99, "title": {"fi": "Kela"}}}
    assert "tuottajan ehdot" in sk.citation(other)
    assert sk.metadata_url(127) == "https://sotkanet.fi/sotkanet/fi/metadata/indicators/127"


def test_unknown_indicator_is_not_found(client):
    with pytest.raises(NotFound, match="no indicator 4242"):
        client.indicator_metadata(4242)


def test_real_metadata_sample_passes_the_guards():
    meta = json.loads((SAMPLES / "indicator_5527_metadata__hus-sotkanet.json").read_text())
    sk.check_title(meta, "Terveysliikuntasuosituksen mukaan liian vähän liikkuvien osuus (%)")
    assert sk.data_updated(meta) == "2025-05-14"
    assert sk.citation(meta).endswith(
        "(indikaattori 5527; Terveyden ja hyvinvoinnin laitos (THL); "
        "päivitetty 2025-05-14; CC BY 4.0)"
    )


# ---- data ------------------------------------------------------------------------------------
def test_data_sends_repeated_parameters(fresh):
    with client_for(fresh) as c:
        c.data(171, [2019, 2023])
    request = fresh.data_requests()[-1]
    assert request.params == {"indicator": ["171"], "years": ["2019", "2023"], "genders": ["total"]}
    assert "years=2019&years=2023" in request.query
    assert c.last_query["params"]["genders"] == ["total"]


def test_unsorted_rows_come_out_sorted_and_filtered(client, fake, resolved):
    _, ids = resolved
    rows, raw = client.data(171, YEARS)
    assert json.loads(raw) == rows
    keys = [(r["region"], r["year"]) for r in rows]
    assert keys != sorted(keys)  # the fake, like Sotkanet, scrambles
    frame = sk.rows_to_frame(rows, sk.codes_by_id(ids), years=YEARS)
    assert list(frame.columns) == sk.FRAME_COLUMNS
    assert len(frame) == len(ids) * len(YEARS)  # other regions of the country are dropped
    assert list(frame["area_code"].drop_duplicates()) == list(ids)
    assert frame.groupby("area_code", sort=False)["year"].apply(list).map(YEARS.__eq__).all()
    for area in ("KU564", "KU072", "MK17", "HV19", "SSS"):
        truth = fake.truth(171, area, 2023)
        row = frame[(frame["area_code"] == area) & (frame["year"] == 2023)].iloc[0]
        assert (row["value"], row["abs_value"], row["status"]) == (
            truth["value"],
            truth["absValue"],
            "",
        )


def test_abs_value_absent_by_nature_or_dropped_keeps_the_value(fresh, resolved):
    _, ids = resolved
    codes = sk.codes_by_id(ids)
    with client_for(fresh) as c:
        population, _ = c.data(127, [2023])
        fresh.inject("missing_abs", path_contains="/json")
        share, _ = c.data(171, [2023])
    assert all("absValue" not in r for r in population + share)
    for rows, indicator in ((population, 127), (share, 171)):
        frame = sk.rows_to_frame(rows, codes, years=[2023])
        assert frame["value"].notna().all() and frame["abs_value"].isna().all()
        assert (frame["status"] == "").all()
        oulu = frame.set_index("area_code").loc["KU564", "value"]
        assert oulu == fresh.truth(indicator, "KU564", 2023)["value"]


def test_absent_cells_become_explicit_missing_rows(client, fake, resolved):
    """Terve Suomi-style survey: small municipalities and the year 2021 are not published."""
    _, ids = resolved
    rows, _ = client.data(5527, YEARS)
    frame = sk.rows_to_frame(rows, sk.codes_by_id(ids), years=YEARS)
    assert len(frame) == len(ids) * len(YEARS)
    expected_missing = {
        (area, year) for area in ids for year in YEARS if fake.truth(5527, area, year) is None
    }
    missing = frame[frame["value"].isna()]
    assert set(zip(missing["area_code"], missing["year"], strict=True)) == expected_missing
    assert (missing["status"] == sk.MISSING).all() and missing["abs_value"].isna().all()
    assert ("KU072", 2022) in expected_missing and ("MK17", 2021) in expected_missing
    assert ("KU564", 2022) not in expected_missing
    # Never interpolated: the gap year stays empty even between published neighbours.
    oulu = frame[frame["area_code"] == "KU564"].set_index("year")["value"]
    assert math.isnan(oulu[2021]) and not math.isnan(oulu[2020]) and not math.isnan(oulu[2022])


def test_county_only_indicator_has_no_municipal_values(client, resolved):
    _, ids = resolved
    rows, _ = client.data(990001, [2022])
    frame = sk.rows_to_frame(rows, sk.codes_by_id(ids), years=[2022]).set_index("area_code")
    assert frame.loc[MUNICIPALITIES, "value"].isna().all()
    assert frame.loc[["MK17"], "status"].eq(sk.MISSING).all()
    assert frame.loc[["HV19", "SSS"], "value"].notna().all()


def test_sex_only_indicator_falls_back_to_male_and_female(fresh, resolved):
    _, ids = resolved
    with client_for(fresh) as c:
        rows, raw = c.data(990002, [2022, 2023])
    requests_made = fresh.data_requests()
    assert [r.params["genders"] for r in requests_made] == [["total"], ["male", "female"]]
    assert c.last_query["params"]["genders"] == ["male", "female"]
    assert {r["gender"] for r in rows} == {"male", "female"} and json.loads(raw) == rows
    frame = sk.rows_to_frame(rows, sk.codes_by_id(ids), years=[2022, 2023])
    # No total is invented from the sexes.
    assert set(frame["gender"]) == {"male", "female"}
    assert len(frame) == len(ids) * 2 * 2
    oulu = frame[(frame["area_code"] == "KU564") & (frame["year"] == 2023)]
    assert list(oulu["gender"]) == ["male", "female"]
    assert list(oulu["value"]) == [
        fresh.truth(990002, "KU564", 2023, g)["value"] for g in ("male", "female")
    ]


def test_empty_total_retries_once_with_sexes(fresh):
    fresh.inject("empty", path_contains="/json")
    with client_for(fresh) as c:
        rows, _ = c.data(171, [2023])
    assert {r["gender"] for r in rows} == {"male", "female"}
    assert len(fresh.data_requests()) == 2


def test_no_data_at_all_is_an_empty_list_and_an_all_missing_grid(fresh, resolved):
    _, ids = resolved
    fresh.inject("empty", path_contains="/json", times=2)
    with client_for(fresh) as c:
        rows, raw = c.data(127, [2023])
        assert (rows, raw) == ([], b"[]")
        # An explicit gender list is taken as meant: no fallback.
        fresh.inject("empty", path_contains="/json")
        assert c.data(127, [2023], genders=["total", "male"])[0] == []
    assert len(fresh.data_requests()) == 3
    frame = sk.rows_to_frame(rows, sk.codes_by_id(ids), years=[2023])
    assert len(frame) == len(ids) and (frame["status"] == sk.MISSING).all()
    assert set(frame["gender"]) == {"total"}


def test_server_errors_are_retried(fresh):
    fresh.inject("500", path_contains="/json", times=2)
    with client_for(fresh) as c:
        rows, _ = c.data(127, [2023])
    assert rows and c.stats.retries == 2
    assert [r.status for r in fresh.data_requests()] == [500, 500, 200]


def test_a_lasting_outage_fails_with_the_source_named(fresh):
    fresh.inject("500", path_contains="/regions", times=10)
    with client_for(fresh) as c, pytest.raises(SourceError) as info:
        c.regions()
    assert "THL Sotkanet" in str(info.value) and "3 attempts" in str(info.value)
    assert "sotkanet.fi" in str(info.value)


def test_timeouts_and_truncated_bodies_are_retried(fresh):
    fresh.inject("timeout", path_contains="/json", delay=1.5)
    fresh.inject("truncated", path_contains="/regions")
    with client_for(fresh, timeout=0.3) as c:
        rows, _ = c.data(127, [2023])
        regions, _ = c.regions()
    assert rows and len(regions) == len(fresh.regions_json())
    assert c.stats.retries == 2


def test_404_on_data_is_a_typed_error(fresh):
    fresh.inject("404", path_contains="/json")
    with client_for(fresh) as c, pytest.raises(NotFound):
        c.data(127, [2023])


def test_data_arguments_are_checked(client):
    with pytest.raises(ValueError, match="year_batches"):
        client.data(127, range(1990, 2025))
    with pytest.raises(ValueError, match="at least one year"):
        client.data(127, [])
    with pytest.raises(ValueError, match="genders"):
        client.data(127, [2023], genders=["both"])
    assert sk.year_batches(range(1990, 2025))[0] == list(range(1990, 2010))
    assert sk.year_batches([2023, 2021, 2023]) == [[2021, 2023]]


def test_rows_of_another_indicator_are_rejected():
    with pytest.raises(MalformedResponse, match="indicator 171"):
        sk.check_rows([{"indicator": 171, "region": 1, "year": 2023, "gender": "total",
                        "value": 1}], 127)  # fmt: skip
    with pytest.raises(MalformedResponse, match="region/year/gender/value"):
        sk.check_rows([{"indicator": 127, "region": 1, "year": 2023}], 127)


# ---- rows_to_frame (pure) --------------------------------------------------------------------
def _row(region, year, value, gender="total", **extra):
    row = {"indicator": 1, "region": region, "year": year, "gender": gender, "value": value}
    return row | extra


def test_rows_to_frame_sorts_filters_and_fills():
    rows = [
        _row(20, 2023, 3.0, absValue=30),
        _row(10, 2023, 1.0),
        _row(99, 2023, 9.0),  # a region nobody asked for
        _row(10, 2019, 5.0),  # a year nobody asked for
        _row(20, 2022, None),  # a null value is missing too
    ]
    frame = sk.rows_to_frame(rows, {10: "KU009", 20: "KU564"}, years=[2023, 2022])
    assert frame.to_dict("list") == {
        "area_code": ["KU009", "KU009", "KU564", "KU564"],
        "year": [2022, 2023, 2022, 2023],
        "gender": ["total"] * 4,
        "value": pytest.approx([math.nan, 1.0, math.nan, 3.0], nan_ok=True),
        "abs_value": pytest.approx([math.nan, math.nan, math.nan, 30.0], nan_ok=True),
        "status": ["..", "", "..", ""],
    }
    assert frame["year"].dtype == "int64" and frame["value"].dtype == "float64"
    only = sk.rows_to_frame(rows, {10: "KU009", 20: "KU564"}, years=[2023], areas=["KU564"])
    assert list(only["area_code"]) == ["KU564"]


def test_rows_to_frame_refuses_duplicates_and_unresolved_areas():
    with pytest.raises(MalformedResponse, match="two rows for KU009 2023"):
        sk.rows_to_frame([_row(10, 2023, 1.0), _row(10, 2023, 2.0)], {10: "KU009"}, years=[2023])
    with pytest.raises(ValueError, match="KU564"):
        sk.rows_to_frame([], {10: "KU009"}, years=[2023], areas=["KU009", "KU564"])


def test_real_sample_rows_map_through_real_regions():
    """The recorded 2026 answers: Oulu is id 261; rows are unsorted; 171 has absValue."""
    regions = json.loads((SAMPLES / "regions_trimmed__omsorgsradar.json").read_text())
    rows = json.loads((SAMPLES / "json_ind171_2019_2023_trimmed__omsorgsradar.json").read_text())
    sk.check_regions(regions)
    sk.check_rows(rows, 171)
    index = sk.region_index(regions)
    assert index[("KUNTA", "564")] == 261
    codes = {index[("KUNTA", "564")]: "KU564", index[("KUNTA", "091")]: "KU091"}
    frame = sk.rows_to_frame(rows, codes, years=[2019, 2023])
    assert frame.to_dict("list") == {
        "area_code": ["KU564", "KU564", "KU091", "KU091"],
        "year": [2019, 2023, 2019, 2023],
        "gender": ["total"] * 4,
        "value": [6.6, 7.8, 7.4, 8.6],
        "abs_value": [13481.0, 16701.0, 48189.0, 57877.0],
        "status": [""] * 4,
    }
    population = json.loads(
        (SAMPLES / "json_ind127_2019_2023_trimmed__omsorgsradar.json").read_text()
    )
    frame = sk.rows_to_frame(population, codes, years=[2023])
    assert frame["abs_value"].isna().all() and list(frame["value"]) == [214633.0, 674500.0]


def test_client_from_settings(fake, tmp_path):
    settings = Settings.from_env(tmp_path, sotkanet_url=fake.base_url, timeout=1.0)
    with SotkanetClient.from_settings(settings) as c:
        assert c.url("regions") == f"{fake.base_url}/1.1/regions"
        assert c.user_agent == settings.user_agent
        assert isinstance(c.regions()[0], list)
    assert SotkanetClient("https://sotkanet.fi/rest/1.1/", user_agent=UA).url("json") == (
        "https://sotkanet.fi/rest/1.1/json"
    )
