"""Any region, any size: membership from the classification service at refresh, the
built-in table as the offline fallback, and a cache that changes region only when it can.

The country-mode fakes serve one national key (tests/fakes/national.py: the real 30 of
maakunta 17, the other 278 with synthetic memberships) consistently across PxWeb,
Sotkanet, the WFS and the classification service.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import digiindicators as di
from digiindicators.areas import areas as builtin_areas
from digiindicators.fetch import geo as fetch_geo
from digiindicators.region import cache_region, region_table
from digiindicators.store import Store
from tests.conftest import LAYER_YEAR, settings_for
from tests.fakes import national
from tests.fakes.classification_server import FakeClassifications
from tests.fakes.pxweb_server import FakePxWeb
from tests.fakes.sotkanet_server import FakeSotkanet
from tests.fakes.wfs_server import FakeWfs

KEY = "classification:areas"
KEY_CALLS = 1 + 4 * 3  # the listing + four tables in three languages


def outcome(report, key=KEY):
    return {o.key: o for o in report.outcomes}[key]


def municipalities_of(panel: pd.DataFrame) -> set[str]:
    return {a for a in panel["area_code"].unique() if a.startswith("KU")}


# ---- maakunta 17 with the key ----------------------------------------------------------------
def test_the_key_gives_the_same_thirty_as_the_built_in_table(refreshed, fake_classifications):
    table = region_table(Store(refreshed.cache_dir))
    assert table.provenance.startswith("Tilastokeskus, luokituspalvelu, kuntaluokitus 2026")
    expected = builtin_areas("17")
    assert table.municipalities() == expected.municipalities()
    assert set(table.codes) == set(expected.codes)
    got = table.frame.set_index("area_code").loc[expected.codes]
    want = expected.frame.set_index("area_code")
    for column in ("name_fi", "name_sv", "seutukunta", "maakunta", "hyvinvointialue",
                   "kuntaryhmitys", "name_fi_gen"):
        municipalities = [c for c in expected.codes if c.startswith("KU")]
        assert got.loc[municipalities, column].tolist() == want.loc[municipalities, column].tolist()


def test_first_refresh_downloads_the_key_then_only_lists(settings, fake_classifications):
    report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    assert outcome(report).status == "fetched"
    assert len(fake_classifications.requests) == KEY_CALLS
    assert all("%23" in r.raw_path for r in fake_classifications.maps_requests())
    fake_classifications.clear_requests()
    again = di.refresh(settings, progress=False)
    assert outcome(again).status == "up_to_date"
    assert len(fake_classifications.requests) == 1  # a published key never changes
    assert Store(settings.cache_dir).manifest()["region"] == "17"


def test_a_new_years_key_is_downloaded(refreshed, fake_pxweb, fake_sotkanet, fake_wfs):
    with FakeClassifications(years=(2024, 2025, 2026, 2027)) as newer:
        settings = settings_for(
            fake_pxweb, refreshed.cache_dir, sotkanet=fake_sotkanet, wfs=fake_wfs,
            classification=newer,
        )
        report = di.refresh(settings, progress=False)
    assert outcome(report).status == "fetched", report.summary()
    assert "kuntaluokitus 2027" in region_table(Store(refreshed.cache_dir)).provenance


@pytest.mark.parametrize("kind", ["500", "garbage", "empty", "truncated", "404"])
def test_a_failing_key_keeps_the_stored_one_and_the_other_sources_go_on(
    refreshed, fake_classifications, fake_pxweb, kind
):
    before = Store(refreshed.cache_dir).manifest()["entries"][KEY]["current"]
    fake_pxweb.set_updated("14ww", "2026-12-24T08:00:00")
    fake_classifications.inject(kind, times=20, path_contains="/maps")
    report = di.refresh(refreshed, progress=False, force=True)
    assert outcome(report).status == "failed"
    assert report.exit_code == 1 and "previous data kept" in report.summary()
    assert outcome(report, "pxweb:StatFin/tjt/14ww.px").status == "fetched"
    entry = Store(refreshed.cache_dir).manifest()["entries"][KEY]
    assert entry["current"] == before and entry["stale"]
    assert len(region_table(Store(refreshed.cache_dir)).municipalities()) == 30


def test_without_any_key_region_17_falls_back_to_the_built_in_table(
    settings, fake_classifications
):
    fake_classifications.inject("500", times=50)
    report = di.refresh(settings, progress=False)
    assert outcome(report).status == "failed"
    others = [o for o in report.outcomes if o.key != KEY]
    assert others and all(o.status == "fetched" for o in others), report.summary()
    assert region_table(Store(settings.cache_dir)).provenance == "built-in"
    assert len(municipalities_of(di.load(settings.cache_dir))) == 30


def test_a_key_that_lost_many_municipalities_is_refused(refreshed, fake_classifications):
    outside = [m.code for m in fake_classifications.municipalities().values()
               if m.maakunta != "17"][:40]
    for code in outside:
        fake_classifications.drop(code)
    report = di.refresh(refreshed, progress=False, force=True)
    assert outcome(report).status == "failed"
    assert "treated as broken" in outcome(report).message
    assert region_table(Store(refreshed.cache_dir)).provenance.endswith("2026")
    assert len(region_table(Store(refreshed.cache_dir), "all").municipalities()) == 308


def test_a_corrupt_stored_key_falls_back_to_its_previous_copy(
    refreshed, fake_pxweb, fake_sotkanet, fake_wfs
):
    store = Store(refreshed.cache_dir)
    with FakeClassifications(years=(2025, 2026, 2027)) as newer:  # a second generation
        settings = settings_for(fake_pxweb, refreshed.cache_dir, sotkanet=fake_sotkanet,
                                wfs=fake_wfs, classification=newer)
        assert outcome(di.refresh(settings, progress=False)).status == "fetched"
    entry = store.manifest()["entries"][KEY]
    assert entry["current"]["year"] == 2027 and entry["previous"]["year"] == 2026
    blob = entry["current"]["parts"][0]["blob"]
    next(store.root.rglob(f"{blob}*")).write_bytes(b"not gzip at all")
    table = region_table(store)
    assert len(table.municipalities()) == 30 and table.provenance.endswith("2026")


# ---- another region and the whole country -----------------------------------------------------
@pytest.fixture(scope="module")
def country_fakes():
    with (
        FakePxWeb(max_calls=10_000, time_window=60, country=True) as px,
        FakeSotkanet(country=True) as sk,
        FakeWfs(country=True) as wfs,
        FakeClassifications() as key,
    ):
        yield px, sk, wfs, key


def country_settings(fakes, cache_dir, region):
    px, sk, wfs, key = fakes
    return settings_for(px, cache_dir, sotkanet=sk, wfs=wfs, classification=key, region=region)


@pytest.fixture(scope="module")
def country_cache(country_fakes, tmp_path_factory):
    """A cache refreshed for every municipality of the (fake) country."""
    root = tmp_path_factory.mktemp("country") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetch_geo, "current_year", lambda: LAYER_YEAR)
        report = di.refresh(country_settings(country_fakes, root, "all"), progress=False)
    assert report.exit_code == 0, report.summary()
    return root


@pytest.fixture(scope="module")
def country_panel(country_cache):
    return di.load(country_cache)


def test_the_whole_country_is_308_municipalities_and_every_region(country_cache, country_panel):
    key = national.load()
    assert cache_region(Store(country_cache)) == "SSS"
    assert municipalities_of(country_panel) == {f"KU{c}" for c in key.municipalities}
    regions = {a for a in country_panel["area_code"].unique() if a.startswith("MK")}
    assert regions == {f"MK{c}" for c in key.maakunnat}
    table = di.areas(cache_dir=country_cache)
    assert table.whole_country and len(table.municipalities()) == 308
    assert "HV19" in table.counties() and len(table.counties()) == len(key.counties)


def test_country_aggregates_equal_their_members(country_panel):
    pop = country_panel.query("indicator == 'population' and year == 2025").set_index(
        "area_code"
    )["value"]
    key = national.load()
    for mk in ("17", "13", "21"):
        members = [f"KU{c}" for c in key.members("maakunta", mk)]
        assert pop[f"MK{mk}"] == pytest.approx(pop[members].sum())
    assert pop["SSS"] == pytest.approx(pop[[a for a in pop.index if a.startswith("KU")]].sum())


def test_the_map_layer_has_every_municipality(country_cache):
    layer = di.boundaries(country_cache)
    assert layer is not None and len(layer["features"]) == 308


def test_a_maakunta_other_than_17_uses_the_same_path(country_fakes, tmp_path):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetch_geo, "current_year", lambda: LAYER_YEAR)
        report = di.refresh(country_settings(country_fakes, tmp_path, "13"), progress=False)
    assert report.exit_code == 0, report.summary()
    key = national.load()
    panel = di.load(tmp_path)
    assert municipalities_of(panel) == {f"KU{c}" for c in key.members("maakunta", "13")}
    table = di.areas(cache_dir=tmp_path)
    assert table.region_code == "MK13" and "MK13" in set(panel["area_code"])
    assert not {a for a in panel["area_code"].unique() if a.startswith("MK")} - {"MK13"}


def test_a_region_without_any_key_fails_every_job_and_keeps_the_data(
    country_fakes, country_cache, tmp_path
):
    px, sk, wfs, _ = country_fakes
    shutil.copytree(Store(country_cache).root, tmp_path / "cache")
    manifest_before = Store(tmp_path / "cache").manifest()
    with FakeClassifications() as key:
        key.inject("500", times=50)
        # A fresh cache: no key stored and no built-in table for maakunta 13.
        settings = settings_for(px, tmp_path / "empty", sotkanet=sk, wfs=wfs,
                                classification=key, region="13", max_retries=0)
        report = di.refresh(settings, progress=False)
    assert report.exit_code == 1
    assert {o.status for o in report.outcomes} == {"failed"}
    assert all("No area table for region 13" in o.message
               for o in report.outcomes if o.key != KEY)
    assert Store(tmp_path / "cache").manifest() == manifest_before


def test_switching_region_waits_for_a_complete_refresh(refreshed, country_fakes):
    px, sk, wfs, key = country_fakes
    before = di.load(refreshed.cache_dir)
    px.inject("400", path_contains="14ww", method="POST", times=1)
    settings = settings_for(px, refreshed.cache_dir, sotkanet=sk, wfs=wfs,
                            classification=key, region="13")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetch_geo, "current_year", lambda: LAYER_YEAR)
        report = di.refresh(settings, progress=False)
        assert report.exit_code == 1
        assert "switch to region 13 is not complete" in report.summary()
        assert cache_region(Store(refreshed.cache_dir)) == "17"
        assert municipalities_of(di.load(refreshed.cache_dir)) == municipalities_of(before)
        report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    assert cache_region(Store(refreshed.cache_dir)) == "13"
    assert len(municipalities_of(di.load(refreshed.cache_dir))) == len(
        national.load().members("maakunta", "13")
    )



def test_a_survey_of_another_region_reads_its_table_from_the_cache(country_cache, monkeypatch):
    from digiindicators.region import areas_for

    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(country_cache))
    table = areas_for("MK13")
    assert table.region_code == "MK13"
    assert table.municipalities() == sorted(f"KU{c}" for c in national.load().members(
        "maakunta", "13"))
    assert areas_for("17").provenance == "built-in"  # no key needed for the built-in region


# ---- the dashboard on the whole country -------------------------------------------------------
@pytest.fixture(scope="module")
def country_app(country_cache, country_panel):
    from dashboards.app import DataInfo, create_app
    from digiindicators.status import status_table

    info = DataInfo.from_panel(country_panel, country_cache, status_table(country_cache))
    return create_app(country_panel, info=info)


def render_page(app, path: str, search: str = ""):
    """The page as a reader finally sees it: with the parts sent after it filled in."""
    from dashboards import shell, state
    from dashboards.app import LAYOUTS
    from tests.panel_factory import fill_deferred

    ctx = app.digi_ctx
    route = state.route(path, search)
    return fill_deferred(ctx, shell.page(ctx, route.lang, route.view, path, search,
                                         LAYOUTS[route.view](ctx, route.lang, route, search)))


def test_the_dashboard_serves_the_caches_region(country_app):
    from dash import dcc, html

    from tests.panel_factory import walk

    ctx = country_app.digi_ctx
    assert ctx.areas.whole_country and len(ctx.areas.municipalities()) == 308
    assert ctx.tiles == {}  # no hand-made grid: the map is drawn from the cached boundaries
    nodes = list(walk(render_page(country_app, "/", "?indikaattori=population&vuosi=2025")))
    assert sum(isinstance(n, html.H1) for n in nodes) == 1
    graphs = {str(n.id) for n in nodes if isinstance(n, dcc.Graph)}
    assert {"ranking-graph", "map-graph"} <= graphs
    tables = {str(n.id): n for n in nodes if isinstance(n, html.Table)}
    # One table for the map and the ranking: a header, one row per municipality and the
    # country (one reference row: the region is the country itself).
    assert "map-table" not in tables
    assert sum(isinstance(n, html.Tr) for n in walk(tables["values-table"])) == 1 + 308 + 1
    profile = list(walk(render_page(country_app, "/kunta/KU179")))  # Jyväskylä, MK13
    assert sum(isinstance(n, html.H1) for n in profile) == 1


@pytest.mark.parametrize(("lang", "title", "lead"), [
    ("fi", "Digitaalinen osallisuus: Koko maa", "Vertaa alueen 308 kuntaa"),
    ("sv", "Digital delaktighet: Hela landet", "Jämför områdets 308 kommuner"),
    ("en", "Digital inclusion: Whole country", "Compare the area's 308 municipalities"),
])
def test_another_region_is_not_presented_as_pohjois_pohjanmaa(country_app, lang, title, lead):
    from dash import html

    from dashboards import state
    from dashboards.app import page_title
    from tests.panel_factory import walk

    search = "" if lang == "fi" else f"?kieli={lang}"
    nodes = list(walk(render_page(country_app, "/", search)))
    h1 = next(n for n in nodes if isinstance(n, html.H1))
    assert h1.children == title
    lead_p = next(n for n in nodes if getattr(n, "className", None) == "lead")
    assert lead_p.children.startswith(lead)
    region = next(n for n in nodes if getattr(n, "className", None) == "site-header__region")
    assert region.children == country_app.digi_ctx.areas.name("SSS", lang)
    route = state.route("/tiedot", search)
    assert page_title(country_app.digi_ctx, route).endswith(" – " + title)
    text = str([getattr(n, "children", "") for n in nodes])
    assert "Pohjois-Pohjanmaa" not in text and "Norra Österbotten" not in text
    assert "North Ostrobothnia" not in text
