"""The dashboard benchmark's request helpers, against the real app (no server, no browser):
the fresh weight sets it times, the ranges part it asks after each chart, the rows it
folds. The timings themselves are in benchmarks/RESULTS.md; these check that what is
timed is what the benchmark says it is."""

from __future__ import annotations

import json

from benchmarks import dashboard as bench
from dashboards import indexdata
from dashboards.views import index
from tests.panel_factory import dash_payload, deferred_payload

UPDATE = "/_dash-update-component"


def _weight_change(app, ctx) -> dict:
    cands = index._cands(ctx)
    weights = indexdata.default_weights(cands)
    values = {f"weight-{c}.value": w for c, w in weights.items()}
    values.update({"index-year-select.value": None, "normalisation-select.value": "minmax",
                   "aggregation-select.value": "arithmetic", "reset-weights.n_clicks": None,
                   "url.pathname": "/indeksi", "url.search": ""})
    changed = next(c for c, w in weights.items() if w)
    return dash_payload(app, "..index-year-select.options", values, f"weight-{changed}.value")


def test_fresh_weights_are_new_each_time_and_only_for_a_weight_change(demo_app, fresh_ctx):
    change = _weight_change(demo_app, fresh_ctx)
    target = change["changedPropIds"][0].split(".")[0]
    sends = bench.fresh_weights("index: weight", change)
    firsts = [next(item["value"] for item in next(sends)["inputs"] if item["id"] == target)
              for _ in range(3)]
    assert firsts == [1.01, 1.02, 1.03]
    assert bench.fresh_weights("index: page load", change) is None
    assert bench.fresh_weights("index: weight", {**change, "changedPropIds": []}) is None


def test_the_ranges_part_is_asked_with_the_id_the_charts_answer_announces(demo_app,
                                                                          fresh_ctx):
    client = demo_app.server.test_client()
    change = _weight_change(demo_app, fresh_ctx)
    sent: list[dict] = []

    def send(payload: dict) -> dict:
        sent.append(payload)
        return json.loads(client.post(UPDATE, json=payload).get_data())

    # The ranges request the browser sent for the page's own weights, as recorded.
    recorded = deferred_payload(demo_app, index.ranges_id(index.choice_from_query(fresh_ctx, {}),
                                                          "fi"))
    template = json.loads(json.dumps(recorded))
    parts = bench.fresh_weights("index: weight", template, weight_change=change, send=send)
    assert parts is not None
    for _ in range(2):
        part = next(parts)
        ident = part["outputs"]["id"]
        assert ident["type"] == index.RANGES_PART and ident == part["inputs"][0]["value"]
        weights = json.loads(ident["weights"])
        assert 2 < max(weights.values()) < 3  # the fresh weight the chart was sent with
        answer = client.post(UPDATE, json=part)
        assert answer.status_code == 200 and b"rank-graph" in answer.get_data()
    assert len(sent) == 2


def test_a_part_missing_from_the_answer_is_an_error(demo_app, fresh_ctx):
    parts = bench._ranges_after_chart({}, iter([{}]), lambda _: {"response": {}})
    try:
        next(parts)
    except RuntimeError as exc:
        assert "no rank-range part" in str(exc)
    else:
        raise AssertionError("a chart answer without the part must stop the benchmark")


def test_a_callback_per_section_is_one_row_with_the_slowest_medians():
    rows = [{"action": "profile", "callback": "trend", "sections": True, "bytes": 10,
             "cold": (3.0, 1.0), "first": (2.0, 0.5), "warm": (1.0, 0.2)},
            {"action": "profile", "callback": "trend", "sections": True, "bytes": 30,
             "cold": (2.0, 1.5), "first": (2.5, 0.4), "warm": (0.9, 0.3)},
            {"action": "profile", "callback": "page", "sections": False, "bytes": 5,
             "cold": (1.0, 1.0), "first": (1.0, 1.0), "warm": (1.0, 1.0)}]
    folded = bench.collapse(rows)
    assert [(r["callback"], r["count"]) for r in folded] == [("trend", 2), ("page", 1)]
    assert folded[0]["cold"] == (3.0, 1.5) and folded[0]["first"] == (2.5, 0.5)
    assert folded[0]["bytes"] == 30
