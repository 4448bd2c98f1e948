"""Parts sent after their page, each by its own callback: a profile's trend charts, the
index's rank ranges and table, the overview's and the survey's tables. Every part a page
announces is answered with what it stands for, rendered once; ids a page never announced
are refused and nothing is kept."""

from __future__ import annotations

import json

import pytest
from plotly.io.json import to_json_plotly

from dashboards import indexdata, prewarm
from dashboards.views import index, overview, profile, survey
from tests.panel_factory import dash_payload, deferred_payload

UPDATE = "/_dash-update-component"


def page_body(app, pathname: str, search: str = "") -> dict:
    return dash_payload(app, "..page.children", {"url.pathname": pathname, "url.search": search},
                        "url.pathname")


def announced(answer: bytes, kind: str = profile.TREND_BODY) -> list[dict]:
    """The ids of the deferred parts of one kind in a page answer."""
    found: list[dict] = []

    def visit(node):
        if isinstance(node, dict):
            ident = node.get("props", {}).get("id") if "props" in node else None
            if isinstance(ident, dict) and ident.get("type") == kind:
                found.append(ident)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(json.loads(answer))
    return found


def test_every_announced_section_is_answered_with_its_chart(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    page = client.post(UPDATE, json=page_body(demo_app, "/kunta/KU564", "?kieli=sv"))
    ids = announced(page.get_data())
    inds = profile.trend_indicators(fresh_ctx, "KU564")
    assert len(inds) >= 5
    assert ids == [profile.trend_body_id("KU564", "sv", ind, n) for n, ind in enumerate(inds)]
    assert b"Diagrammet laddas" in page.get_data()  # until its chart arrives
    for ident in ids:
        answer = client.post(UPDATE, json=deferred_payload(demo_app, ident))
        assert answer.status_code == 200
        sent = json.loads(answer.get_data())["response"][json.dumps(ident, sort_keys=True,
                                                                    separators=(",", ":"))]
        want = json.loads(to_json_plotly(profile.trend_body(fresh_ctx, "sv", "KU564",
                                                            ident["indicator"], ident["n"])))
        assert sent["children"] == want
        assert want["type"] == "Figure" and f"trend-graph-{ident['n']}" in json.dumps(want)


def test_the_select_and_the_link_share_each_chart(demo_app, fresh_ctx):
    """A profile chosen in the select announces the same sections as the page opened by
    a link, so each chart is rendered once for both."""
    client = demo_app.server.test_client()
    ids = announced(client.post(UPDATE, json=page_body(demo_app, "/kunta/KU072")).get_data())
    content = to_json_plotly(profile.content(fresh_ctx, "fi", "KU072"))
    assert announced(content.encode()) == ids
    for ident in ids:
        client.post(UPDATE, json=deferred_payload(demo_app, ident))
    misses = fresh_ctx.renders.stats()["misses"]
    for ident in ids:
        client.post(UPDATE, json=deferred_payload(demo_app, ident))
    assert fresh_ctx.renders.stats()["misses"] == misses


def test_prewarming_renders_the_parts_sent_after_the_pages(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    ind = profile.trend_indicators(fresh_ctx, "KU564")[2]
    ident = profile.trend_body_id("KU564", "en", ind, 2)
    fresh = client.post(UPDATE, json=deferred_payload(demo_app, ident)).get_data()
    fresh_ctx.clear_caches()
    done = prewarm.run(fresh_ctx, pause=False)
    assert done.reason == "done"
    assert done.parts == 3 * sum(len(profile.trend_indicators(fresh_ctx, code))
                                 for code in fresh_ctx.municipalities) + 9  # + 3 landing pages
    before = fresh_ctx.renders.stats()
    assert client.post(UPDATE, json=deferred_payload(demo_app, ident)).get_data() == fresh
    after = fresh_ctx.renders.stats()
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]


# ---- the index ----------------------------------------------------------------------------
def answered(app, client, ident: dict):
    answer = client.post(UPDATE, json=deferred_payload(app, ident))
    key = json.dumps(ident, sort_keys=True, separators=(",", ":"))
    return answer, (json.loads(answer.get_data())["response"][key]["children"]
                    if answer.status_code == 200 else None)


def test_the_index_sends_its_rank_ranges_and_table_after_the_chart(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    page = client.post(UPDATE, json=page_body(demo_app, "/indeksi", "?kieli=en"))
    (ident,) = announced(page.get_data(), index.RANGES_PART)
    assert b"index-graph" in page.get_data() and b"rank-graph" not in page.get_data()
    choice = index.choice_from_query(fresh_ctx, {})
    assert ident == index.ranges_id(choice, "en")
    # The page needed the index only: no rank-range scenarios were run for it.
    assert not [k for k in fresh_ctx.results._items if k[0] == "rank-ranges"]
    answer, sent = answered(demo_app, client, ident)
    assert answer.status_code == 200
    assert sent == json.loads(to_json_plotly(index.ranges_part(fresh_ctx, "en", choice)))
    text = json.dumps(sent)
    assert "rank-graph" in text and "index-table" in text and "scenarios" not in text
    assert [k for k in fresh_ctx.results._items if k[0] == "rank-ranges"]


def test_the_index_part_carries_its_weights_to_the_last_bit(demo_app, fresh_ctx):
    cands = index._cands(fresh_ctx)
    weights = {c: 0.0 for c in cands}
    weights.update({cands[0]: 1.0000001, cands[1]: 2.5})
    choice = indexdata.IndexChoice(weights, "rank", "geometric", None)
    ident = index.ranges_id(choice, "sv")
    lang, again = index._choice_of(fresh_ctx, ident)
    assert lang == "sv" and again == choice and again.key() == choice.key()
    _, sent = answered(demo_app, demo_app.server.test_client(), ident)
    assert "rank-graph" in json.dumps(sent)  # answered: the id is the one a page sends


# ---- the overview --------------------------------------------------------------------------
def test_the_overview_sends_its_table_after_the_charts(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    page = client.post(UPDATE, json=page_body(demo_app, "/", "?vertailu=2&kieli=sv"))
    (ident,) = announced(page.get_data(), overview.DATA_PART)
    assert b"ranking-graph" in page.get_data() and b'"values-table"' not in page.get_data()
    st = overview.resolve(fresh_ctx, {"vertailu": "2"})
    assert ident == overview.data_id(st, "sv") and ident["peer"] == "2"
    answer, sent = answered(demo_app, client, ident)
    assert answer.status_code == 200
    assert sent == json.loads(to_json_plotly(overview.data_part(fresh_ctx, "sv", st)))
    assert '"values-table"' in json.dumps(sent)


# ---- the survey ----------------------------------------------------------------------------
def test_the_survey_sends_its_table_after_the_chart(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    question = fresh_ctx.survey.measures[1].indicator
    page = client.post(UPDATE, json=page_body(demo_app, "/kysely", f"?kysymys={question}"))
    (ident,) = announced(page.get_data(), survey.TABLE_PART)
    assert ident == survey.table_id(question, "fi")
    assert b"survey-graph" in page.get_data() and b'"survey-table"' not in page.get_data()
    answer, sent = answered(demo_app, client, ident)
    assert answer.status_code == 200
    assert sent == json.loads(to_json_plotly(survey.table_part(fresh_ctx, "fi", question)))
    assert '"survey-table"' in json.dumps(sent)


# ---- ids no page sent ----------------------------------------------------------------------
def _base_id(kind: str, ctx) -> dict:
    """An id a page of ``kind`` does send (in Finnish), to be spoiled by one change."""
    if kind == profile.TREND_BODY:
        return profile.trend_body_id("KU564", "fi", profile.trend_indicators(ctx, "KU564")[0], 0)
    if kind == index.RANGES_PART:
        return index.ranges_id(index.choice_from_query(ctx, {}), "fi")
    if kind == overview.DATA_PART:
        return overview.data_id(overview.resolve(ctx, {}), "fi")
    return survey.table_id(ctx.survey.measures[0].indicator, "fi")


REFUSED = [
    *[(profile.TREND_BODY, change) for change in (
        {"code": "KU999"}, {"code": "MK17"}, {"lang": "de"}, {"n": 99}, {"n": "0"},
        {"indicator": "population_total_x"}, {"n": 1})],  # n of another indicator
    *[(index.RANGES_PART, change) for change in (
        {"lang": "de"}, {"weights": "not json"}, {"weights": "[1, 2]"},
        {"weights": json.dumps({"share_75plus": -1.0})}, {"normalisation": "maxmin"},
        {"year": "2024"}, {"year": True}, {"weights": "x" * 5000})],
    *[(overview.DATA_PART, change) for change in (
        {"lang": "xx"}, {"indicator": "no_such_indicator"}, {"year": "2024"}, {"year": 1990},
        {"peer": "7"}, {"peer": 2}, {"year": False})],
    *[(survey.TABLE_PART, change) for change in (
        {"lang": "se"}, {"question": "no_such_question"}, {"question": 3}, {"question": None})],
]


@pytest.mark.parametrize(("kind", "change"), REFUSED)
def test_an_id_no_page_announced_is_refused_and_nothing_is_kept(demo_app, fresh_ctx, kind,
                                                                change):
    base = _base_id(kind, fresh_ctx)
    assert answered(demo_app, demo_app.server.test_client(), base)[0].status_code == 200
    fresh_ctx.clear_caches()
    answer, _ = answered(demo_app, demo_app.server.test_client(), {**base, **change})
    assert answer.status_code == 204  # no update
    assert fresh_ctx.renders.stats()["entries"] == 0
