"""The profile's trend charts arrive after the page, each from its own callback: every
section the page announces is answered with its chart, caption and table, once per
municipality, indicator and language; ids a page never announced are refused."""

from __future__ import annotations

import json

import pytest
from plotly.io.json import to_json_plotly

from dashboards import prewarm
from dashboards.views import profile
from tests.panel_factory import dash_payload, trend_payload

UPDATE = "/_dash-update-component"


def page_body(app, pathname: str, search: str = "") -> dict:
    return dash_payload(app, "..page.children", {"url.pathname": pathname, "url.search": search},
                        "url.pathname")


def announced(answer: bytes) -> list[dict]:
    """The ids of the deferred trend bodies in a page answer."""
    found: list[dict] = []

    def visit(node):
        if isinstance(node, dict):
            ident = node.get("props", {}).get("id") if "props" in node else None
            if isinstance(ident, dict) and ident.get("type") == profile.TREND_BODY:
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
        answer = client.post(UPDATE, json=trend_payload(demo_app, ident))
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
        client.post(UPDATE, json=trend_payload(demo_app, ident))
    misses = fresh_ctx.renders.stats()["misses"]
    for ident in ids:
        client.post(UPDATE, json=trend_payload(demo_app, ident))
    assert fresh_ctx.renders.stats()["misses"] == misses


@pytest.mark.parametrize("change", [
    {"code": "KU999"}, {"code": "MK17"}, {"lang": "de"}, {"n": 99}, {"n": "0"},
    {"indicator": "population_total_x"}, {"n": 1},  # n of another indicator
])
def test_an_id_no_page_announced_is_refused_and_nothing_is_kept(demo_app, fresh_ctx, change):
    ind = profile.trend_indicators(fresh_ctx, "KU564")[0]
    ident = {**profile.trend_body_id("KU564", "fi", ind, 0), **change}
    answer = demo_app.server.test_client().post(UPDATE, json=trend_payload(demo_app, ident))
    assert answer.status_code == 204  # no update
    assert fresh_ctx.renders.stats()["entries"] == 0


def test_prewarming_renders_the_charts_of_the_profiles(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    ind = profile.trend_indicators(fresh_ctx, "KU564")[2]
    ident = profile.trend_body_id("KU564", "en", ind, 2)
    fresh = client.post(UPDATE, json=trend_payload(demo_app, ident)).get_data()
    fresh_ctx.clear_caches()
    done = prewarm.run(fresh_ctx, pause=False)
    assert done.reason == "done"
    assert done.parts == 3 * sum(len(profile.trend_indicators(fresh_ctx, code))
                                 for code in fresh_ctx.municipalities)
    before = fresh_ctx.renders.stats()
    assert client.post(UPDATE, json=trend_payload(demo_app, ident)).get_data() == fresh
    after = fresh_ctx.renders.stats()
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]
