"""Parts rendered ahead (:mod:`dashboards.ahead`): queued once the announcing answer has
been sent, never rendered twice, bounded, and the same part the request would render."""

from __future__ import annotations

import json
import threading

import flask
from plotly.io.json import to_json_plotly

from dashboards import indexdata
from dashboards.ahead import RenderAhead
from dashboards.views import index
from tests.panel_factory import dash_payload, deferred_payload

UPDATE = "/_dash-update-component"


class Gate:
    """A job that records its runs and blocks until opened."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log
        self.started, self.open = threading.Event(), threading.Event()

    def __call__(self) -> None:
        self.started.set()
        assert self.open.wait(5)
        self.log.append(self.name)


def test_a_job_runs_once_and_a_request_for_its_part_waits_for_it():
    ahead, log = RenderAhead(), []
    job = Gate("a", log)
    ahead.submit("a", job)
    assert job.started.wait(5)
    ahead.submit("a", Gate("again", log))  # rendering now: not queued twice
    waited = threading.Event()
    waiter = threading.Thread(target=lambda: (ahead.wait("a"), waited.set()))
    waiter.start()
    assert not waited.wait(0.2)  # the request waits for the job ...
    job.open.set()
    assert waited.wait(5)  # ... and goes on when it has ended
    waiter.join()
    assert ahead.idle() and log == ["a"]
    assert ahead.stats() == {"rendered": 1, "dropped": 0, "failed": 0, "waited": 1,
                             "pending": 0}
    ahead.wait("a")  # nothing pending: nothing to wait for
    assert ahead.stats()["waited"] == 1


def test_the_oldest_waiting_job_makes_way_and_its_request_renders_the_part_itself():
    ahead, log = RenderAhead(max_waiting=2), []
    busy = Gate("busy", log)
    ahead.submit("busy", busy)
    assert busy.started.wait(5)
    for name in ("b", "c", "d"):
        ahead.submit(name, lambda name=name: log.append(name))
    ahead.wait("b")  # dropped: no longer pending, its request is not held
    assert ahead.stats() == {"rendered": 0, "dropped": 1, "failed": 0, "waited": 0,
                             "pending": 3}  # busy, c and d
    busy.open.set()
    assert ahead.idle()
    assert log == ["busy", "c", "d"]
    assert ahead.stats()["dropped"] == 1 and ahead.stats()["rendered"] == 3


def test_a_failing_job_is_counted_and_the_worker_goes_on():
    ahead, log = RenderAhead(), []

    def broken() -> None:
        raise ValueError("no such weights")

    ahead.submit("broken", broken)
    ahead.submit("fine", lambda: log.append("fine"))
    assert ahead.idle()
    assert log == ["fine"] and ahead.stats()["failed"] == 1


def test_in_a_request_the_job_is_queued_when_the_response_closes():
    app, ahead, log = flask.Flask(__name__), RenderAhead(), []

    @app.get("/page")
    def page():
        ahead.after_response("part", lambda: log.append("part"))
        return "page"

    response = app.test_client().get("/page")
    assert response.get_data() == b"page"
    assert ahead.idle() and log == []  # sent, not yet closed by the server
    response.close()
    assert ahead.idle() and log == ["part"]
    ahead.after_response("elsewhere", lambda: log.append("elsewhere"))  # no request: now
    assert ahead.idle() and log == ["part", "elsewhere"]


def _weight_change(app, ctx, weights: dict[str, float]) -> dict:
    cands = index._cands(ctx)
    values = {f"weight-{c}.value": weights.get(c, 0) for c in cands}
    values.update({"index-year-select.value": None, "normalisation-select.value": "minmax",
                   "aggregation-select.value": "arithmetic", "reset-weights.n_clicks": None,
                   "url.pathname": "/indeksi", "url.search": "?kieli=sv"})
    changed = next(c for c in cands if weights.get(c))
    return dash_payload(app, "..index-year-select.options", values, f"weight-{changed}.value")


def test_a_weight_change_renders_its_rank_ranges_ahead_as_the_request_would(demo_app,
                                                                            fresh_ctx):
    """After the chart's answer has been sent, its ranges part is rendered in the
    background; the browser's request for it then renders nothing and gets the part
    the view builds."""
    ctx = fresh_ctx
    weights = {c: w for c, w in indexdata.default_weights(index._cands(ctx)).items() if w}
    weights[next(iter(weights))] = 2.5
    client = demo_app.server.test_client()
    with client.post(UPDATE, json=_weight_change(demo_app, ctx, weights)) as chart:
        assert chart.status_code == 200
    assert ctx.ahead.idle()
    choice = indexdata.clean_choice(weights, "minmax", "arithmetic", None, index._cands(ctx))
    ident = index.ranges_id(choice, "sv")
    assert ("index-ranges", "sv", choice.key()) in ctx.renders._items
    misses = ctx.renders.stats()["misses"]
    answer = client.post(UPDATE, json=deferred_payload(demo_app, ident))
    assert answer.status_code == 200
    assert ctx.renders.stats()["misses"] == misses  # rendered ahead: a hit
    key = json.dumps(ident, sort_keys=True, separators=(",", ":"))
    sent = json.loads(answer.get_data())["response"][key]["children"]
    assert sent == json.loads(to_json_plotly(index.ranges_part(ctx, "sv", choice)))
    rendered = ctx.ahead.stats()["rendered"]
    assert rendered >= 1
    ctx.clear_renders()  # the chart renders again; its ranges part is known: not queued
    ctx.renders.store(("index-ranges", "sv", choice.key()), (b"kept", 4))
    with client.post(UPDATE, json=_weight_change(demo_app, ctx, weights)) as again:
        assert again.status_code == 200
    assert ctx.ahead.idle() and ctx.ahead.stats()["rendered"] == rendered
