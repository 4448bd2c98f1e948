"""Code resolution and query planning, without a server."""

import math

import pytest

from digiindicators.errors import ResolveError
from digiindicators.sources.pxweb_query import (
    TableMetadata,
    match_content,
    minimum_calls,
    plan_queries,
    resolve,
    split_selections,
)


def _meta(area_code="alue_23_20260101", content_values=("vaerak-vaesto", "vaesto_yli64_p")):
    return TableMetadata.from_json(
        {
            "title": "Väestö",
            "variables": [
                {
                    "code": area_code,
                    "text": "Alue",
                    "values": ["SSS", "MK17", "KU564", "KU091", "SK171"],
                    "valueTexts": ["KOKO MAA", "Pohjois-Pohjanmaa", "Oulu", "Helsinki", "Oulu"],
                },
                {
                    "code": "ikaryhma_10_20180101",
                    "text": "Ikä",
                    "values": ["SSS", "000", "001", "100-"],
                    "valueTexts": ["Yhteensä", "0", "1", "100-"],
                    "elimination": True,
                },
                {
                    "code": "sukupuoli_9_20180101",
                    "text": "Sukupuoli",
                    "values": ["SSS", "1", "2"],
                    "valueTexts": ["Yhteensä", "Miehet", "Naiset"],
                    "elimination": True,
                },
                {
                    "code": "timeperiod_y",
                    "text": "Vuosi",
                    "values": ["1999", "2000", "2024", "2025"],
                    "valueTexts": ["1999", "2000", "2024", "2025"],
                    "time": True,
                },
                {
                    "code": "contentscode",
                    "text": "Tiedot",
                    "values": list(content_values),
                    "valueTexts": ["Väestö", "65+"][: len(content_values)],
                },
            ],
        }
    )


def test_roles_found_by_values_flags_and_role():
    meta = _meta()
    assert meta.area_variable().code == "alue_23_20260101"
    assert meta.time_variable().code == "timeperiod_y"
    assert meta.content_variable().code == "contentscode"


def test_resolution_survives_renamed_variable_codes():
    before = resolve(
        _meta(), path="t", contents=["vaesto"], areas=["KU564", "MK17"], first_year=2000
    )
    after = resolve(
        _meta(area_code="alue_23_20270101"),
        path="t",
        contents=["vaesto"],
        areas=["KU564", "MK17"],
        first_year=2000,
    )
    assert before.area == "alue_23_20260101"
    assert after.area == "alue_23_20270101"
    assert after.selections["alue_23_20270101"] == ("SSS", "MK17", "KU564")
    assert after.selections["timeperiod_y"] == ("2000", "2024", "2025")
    assert set(after.eliminated) == {"ikaryhma_10_20180101", "sukupuoli_9_20180101"}


def test_content_codes_matched_by_suffix_after_last_dash():
    meta = _meta(content_values=("vaerak2-vaesto", "vaesto_yli64_p"))
    content = meta.content_variable()
    assert match_content(content, "vaesto") == "vaerak2-vaesto"
    assert match_content(content, "vaerak-vaesto") == "vaerak2-vaesto"
    assert match_content(content, "vaesto_yli64_p") == "vaesto_yli64_p"
    with pytest.raises(ResolveError, match="not found"):
        match_content(content, "kaste0")


def test_keep_all_breakdown_downloads_every_value():
    resolved = resolve(_meta(), path="t", contents=["vaesto"], areas=["KU564"], keep_all=["Ikä"])
    assert resolved.breakdowns == ("ikaryhma_10_20180101",)
    assert resolved.selections["ikaryhma_10_20180101"] == ("SSS", "000", "001", "100-")


def test_non_eliminable_variable_without_total_is_an_error():
    meta = _meta()
    raw = {
        "title": "x",
        "variables": [
            {"code": v.code, "text": v.text, "values": list(v.values), "time": v.time}
            for v in meta.variables
        ]
        + [{"code": "ammatti", "text": "Ammatti", "values": ["1", "2"]}],
    }
    with pytest.raises(ResolveError, match="ammatti"):
        resolve(TableMetadata.from_json(raw), path="t", contents=["vaesto"], areas=["KU564"])


def test_null_values_in_metadata_are_reported():
    raw = {"title": "x", "variables": [{"code": "Alue", "text": "Alue", "values": None}]}
    with pytest.raises(ResolveError, match="maxValues"):
        TableMetadata.from_json(raw, table="big.px")


@pytest.mark.parametrize(
    "sizes,limit",
    [
        ((31, 102, 54), 120_000),
        ((309, 102, 26), 120_000),
        ((10, 10, 10), 999),
        ((7, 5), 6),
        ((50, 3), 1),
    ],
)
def test_split_stays_under_limit_and_covers_every_cell_once(sizes, limit):
    selections = {f"v{i}": tuple(f"{i}_{j}" for j in range(n)) for i, n in enumerate(sizes)}
    chunks = split_selections(selections, limit)
    seen = set()
    for chunk in chunks:
        cells = math.prod(len(v) for v in chunk.values())
        assert cells <= limit
        keys = [()]
        for values in chunk.values():
            keys = [k + (v,) for k in keys for v in values]
        assert not seen & set(keys)
        seen |= set(keys)
    assert len(seen) == math.prod(sizes)


def test_split_uses_few_calls():
    selections = {"area": tuple(range(31)), "age": tuple(range(102)), "year": tuple(range(54))}
    chunks = split_selections(selections, 120_000)
    assert len(chunks) == 2 == math.ceil(31 * 102 * 54 / 120_000)


def test_plan_queries_builds_item_filters_and_json_stat2():
    resolved = resolve(_meta(), path="t", contents=["vaesto"], areas=["KU564"], first_year=2024)
    (body,) = plan_queries(resolved, 120_000)
    assert body["response"] == {"format": "json-stat2"}
    codes = [q["code"] for q in body["query"]]
    assert codes == ["alue_23_20260101", "timeperiod_y", "contentscode"]
    assert all(q["selection"]["filter"] == "item" for q in body["query"])
    assert minimum_calls(resolved, 120_000) == 1
