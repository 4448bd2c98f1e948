"""The national area key: listing → newest tables → national frame → any region's table.

Pure functions only (the refresh against the fake classification service is in
``test_refresh_region.py``).
"""

from __future__ import annotations

import pytest

from digiindicators.areas import areas, table_from_national
from digiindicators.config import Settings, canonical_region
from digiindicators.errors import ConfigError, MalformedResponse, ResolveError, UnknownArea
from digiindicators.sources import classifications as cl

BASE = "https://data.stat.fi/api/classifications/v2/correspondenceTables/"


def listing(*local_ids: str) -> list[dict[str, str]]:
    return [{"value": f"{BASE}{lid}?format=json"} for lid in local_ids]


def key(target: str, year: int) -> str:
    return f"kunta_1_{year}0101#{target}_1_{year}0101"


def test_listing_finds_municipality_tables_of_every_year():
    obj = listing(
        key("maakunta", 2025), key("seutukunta", 2025), key("maakunta", 2026),
        key("avi", 2026), "toimiala_1_20080101#toimiala_1_20250101",
        "kunta_1_20250101#maakunta_1_20260101",  # dates differ: not a key of one year
    ) + [BASE + key("seutukunta", 2026)]  # a bare URL string is read too
    tables = cl.parse_listing(obj)
    assert [(t.year, t.target) for t in tables] == [
        (2025, "maakunta"), (2025, "seutukunta"), (2026, "maakunta"), (2026, "seutukunta")
    ]
    assert tables[2].path == "correspondenceTables/kunta_1_20260101%23maakunta_1_20260101/maps"


def test_listing_that_is_not_a_list_is_malformed():
    with pytest.raises(MalformedResponse, match="not a list"):
        cl.parse_listing({"error": "x"})


def test_newest_complete_year_with_older_optional_targets():
    tables = cl.parse_listing(listing(
        key("maakunta", 2026), key("seutukunta", 2026),  # 2026 lacks the county table
        key("maakunta", 2025), key("seutukunta", 2025), key("hyvinvointialue", 2025),
        key("maakunta", 2027),  # 2027 has no sub-regions yet: not complete
    ))
    chosen = cl.newest_keys(tables)
    assert chosen["maakunta"].year == chosen["seutukunta"].year == 2026
    assert chosen["hyvinvointialue"].year == 2025
    assert "kuntaryhmitys" not in chosen
    with pytest.raises(ResolveError, match="for 2024"):
        cl.newest_keys(tables, year=2024)
    with pytest.raises(ResolveError, match="for any year"):
        cl.newest_keys(cl.parse_listing(listing(key("maakunta", 2026))))


def item(code: str, name: str, target: str, target_name: str) -> dict:
    return {
        "sourceItem": {"code": code, "classificationItemNames": [{"name": name}]},
        "targetItem": {"code": target, "classificationItemNames": [{"name": target_name}]},
    }


#: A small country: two regions, one sub-region each; Åland's municipality has no county.
MUNIS = {
    "564": ("Oulu", "Uleåborg", "17", "171", "19", "1"),
    "072": ("Hailuoto", "Karlö", "17", "171", "19", "3"),
    "091": ("Helsinki", "Helsingfors", "01", "011", "90", "1"),
    "478": ("Maarianhamina", "Mariehamn", "21", "211", "", "1"),
}
REGION_NAMES = {"17": ("Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
                "01": ("Uusimaa", "Nyland", "Uusimaa"), "21": ("Ahvenanmaa", "Åland", "Åland")}


def maps() -> dict[tuple[str, str], list[cl.MapRow]]:
    out: dict[tuple[str, str], list[cl.MapRow]] = {}
    for i, lang in enumerate(cl.LANGS):
        for code, (fi, sv, mk, sk, hv, kr) in MUNIS.items():
            name = (fi, sv, fi)[i]
            rows = {
                "maakunta": (mk, REGION_NAMES[mk][i]),
                "seutukunta": (sk, f"SK {sk}"),
                "hyvinvointialue": (hv, f"HV {hv} {lang}"),
                "kuntaryhmitys": (kr, f"class {kr}"),
            }
            for target, (tcode, tname) in rows.items():
                if tcode:
                    out.setdefault((target, lang), []).append(
                        cl.MapRow(code, name, tcode, tname)
                    )
    return out


def test_maps_items_parse_and_missing_codes_are_malformed():
    rows = cl.parse_maps([item("564", "Oulu", "17", "Pohjois-Pohjanmaa")], "t")
    assert rows == [cl.MapRow("564", "Oulu", "17", "Pohjois-Pohjanmaa")]
    with pytest.raises(MalformedResponse, match="targetItem.code"):
        cl.parse_maps([{"sourceItem": {"code": "564"}}], "t")


def test_national_frame_has_every_level_with_names_and_memberships():
    frame = cl.national_frame(maps(), year=2026).set_index("area_code")
    assert list(frame.index[:1]) == ["SSS"]
    assert frame.loc["KU072", ["name_fi", "name_sv", "name_en"]].tolist() == [
        "Hailuoto", "Karlö", "Hailuoto"
    ]
    assert frame.loc["KU564", ["seutukunta", "maakunta", "hyvinvointialue", "kuntaryhmitys"]
                     ].tolist() == ["SK171", "MK17", "HV19", "1"]
    assert frame.loc["KU478", "hyvinvointialue"] == ""  # Åland: no wellbeing county
    assert frame.loc["MK17", "name_sv"] == "Norra Österbotten"
    assert frame.loc["SK171", "maakunta"] == "MK17"
    assert frame.loc["HV19", "name_en"] == "HV 19 en"


def test_a_region_keeps_only_aggregates_wholly_inside_it():
    national = cl.national_frame(maps())
    table = table_from_national(national, "MK17", provenance="test 2026")
    assert table.region == "17" and table.region_code == "MK17"
    assert table.municipalities() == ["KU072", "KU564"]
    assert set(table.codes) == {"SSS", "MK17", "SK171", "HV19", "KU072", "KU564"}
    assert table.counties() == ["HV19"]
    assert table.frame.set_index("area_code").loc["KU564", "name_fi_gen"] == "Oulun"
    assert table.match("Uleåborg") == "KU564"
    assert table.match("Haukipudas") == "KU564"  # the merger history still applies
    with pytest.raises(UnknownArea):
        table.match("Helsinki")


def test_the_whole_country_is_the_same_code_path():
    table = table_from_national(cl.national_frame(maps()), "all", provenance="test")
    assert table.whole_country and table.region_code == "SSS"
    assert len(table.municipalities()) == 4
    assert table.members("SSS") == table.municipalities()
    assert {"MK01", "MK17", "MK21", "HV19", "HV90"} <= set(table.codes)
    assert table.match("Helsingfors") == "KU091"


def test_an_unknown_maakunta_says_which_exist():
    with pytest.raises(ConfigError, match="Maakunta 05 has no municipalities.*01, 17, 21"):
        table_from_national(cl.national_frame(maps()), "5", provenance="test")


def test_region_setting_spellings():
    assert [canonical_region(v) for v in ("17", 17, "MK17", " mk 17 ", "1")] == [
        "17", "17", "17", "17", "01"
    ]
    assert {canonical_region(v) for v in ("all", "ALL", "koko maa", "SSS")} == {"SSS"}
    with pytest.raises(ConfigError, match="maakunta number"):
        canonical_region("Pohjois-Pohjanmaa")
    assert Settings.from_env("/tmp/x", region="mk17").region == "17"


def test_builtin_table_is_the_offline_region_17_and_nothing_else():
    assert areas("MK17").provenance == "built-in"
    with pytest.raises(ConfigError, match="classification service"):
        areas("01")
