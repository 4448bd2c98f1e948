"""Prewarming renders the pages readers open first, exactly as the page callback would,
within its bounds, and the dashboard command starts it unless told not to."""

from __future__ import annotations

import pytest

from dashboards import prewarm, state
from dashboards.i18n import LANGS
from tests.panel_factory import dash_payload

UPDATE = "/_dash-update-component"


def page_body(app, pathname: str, search: str) -> dict:
    return dash_payload(app, "..page.children", {"url.pathname": pathname, "url.search": search},
                        "url.pathname")


def test_the_pages_are_every_landing_page_then_every_profile_default_language_first(
        fresh_ctx):
    pages = prewarm.urls(fresh_ctx)
    per_lang = len(state.PATHS) + len(fresh_ctx.municipalities)
    assert len(pages) == len(set(pages)) == len(LANGS) * per_lang
    landing = pages[:len(LANGS) * len(state.PATHS)]
    assert landing[:len(state.PATHS)] == [(path, "") for path in state.PATHS.values()]
    assert {search for _, search in landing} == {"", "?kieli=sv", "?kieli=en"}
    profiles = pages[len(landing):]
    assert profiles[0] == ("/kunta/" + fresh_ctx.municipalities[0], "")
    assert {path for path, _ in profiles} == {f"/kunta/{code}" for code in fresh_ctx.municipalities}


def test_a_prewarmed_page_is_served_from_the_cache_as_a_fresh_render_would_be(demo_app,
                                                                             fresh_ctx):
    client = demo_app.server.test_client()
    body = page_body(demo_app, "/kunta/KU564", "?kieli=sv")
    fresh = client.post(UPDATE, json=body).get_data()
    fresh_ctx.clear_caches()
    done = prewarm.run(fresh_ctx, pause=False)
    planned = len(prewarm.urls(fresh_ctx))
    assert (done.reason, done.pages, done.planned) == ("done", planned, planned)
    assert done.finished.is_set() and done.seconds > 0
    before = fresh_ctx.renders.stats()
    served = client.post(UPDATE, json=body).get_data()
    after = fresh_ctx.renders.stats()
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]
    assert served == fresh
    front = client.post(UPDATE, json=page_body(demo_app, "/", "?kieli=en"))
    assert fresh_ctx.renders.stats()["misses"] == before["misses"]
    assert b"Digital" in front.get_data()


def test_it_stops_at_half_the_render_cache(fresh_ctx, monkeypatch):
    monkeypatch.setattr(fresh_ctx.renders, "max_bytes", 400_000)
    done = prewarm.run(fresh_ctx, pause=False)
    assert done.reason == "cache" and 1 < done.pages < done.planned
    stats = fresh_ctx.renders.stats()
    assert stats["bytes"] >= 200_000 and stats["entries"] == done.pages + done.parts  # kept all


def test_it_stops_when_its_budget_is_spent_or_when_told(fresh_ctx):
    assert prewarm.run(fresh_ctx, budget_seconds=0, pause=False).pages == 0
    progress = prewarm.Prewarm()
    progress.stop()
    assert prewarm.run(fresh_ctx, progress, pause=False).reason == "stopped"
    assert fresh_ctx.renders.stats()["entries"] == 0


def test_a_failing_page_ends_it_with_the_reason_and_the_server_goes_on(fresh_ctx,
                                                                      monkeypatch):
    def broken(*_args):
        raise RuntimeError("no such page")

    monkeypatch.setattr(prewarm, "rendered_page", broken)
    done = prewarm.run(fresh_ctx, pause=False)
    assert done.reason.startswith("error: RuntimeError") and done.finished.is_set()


def test_start_runs_in_a_background_thread_while_pages_are_served(demo_app, fresh_ctx):
    client = demo_app.server.test_client()
    progress = prewarm.start(fresh_ctx)
    assert client.post(UPDATE, json=page_body(demo_app, "/tiedot", "")).status_code == 200
    assert progress.finished.wait(60)
    assert progress.reason == "done" and progress.pages == progress.planned


@pytest.mark.parametrize("flag, expected", [([], 1), (["--no-prewarm"], 0)])
def test_the_dashboard_command_prewarms_unless_told_not_to(flag, expected, monkeypatch,
                                                            tmp_path):
    import dashboards.app
    from digiindicators.cli import main

    started, served = [], []
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(prewarm, "start", lambda ctx: started.append(ctx))
    monkeypatch.setattr(dashboards.app, "serve", lambda app, **kw: served.append(app))
    assert main(["dashboard", *flag]) == 0
    assert len(served) == 1 and len(started) == expected
    if expected:
        assert started[0] is served[0].digi_ctx


def test_prewarming_and_serving_move_long_lived_objects_out_of_the_collectors_sight(
        fresh_ctx, monkeypatch):
    """A full collection over the app's long-lived objects holds every request for tens of
    milliseconds (dashboards.app.settle); frozen, they are not walked."""
    import gc

    import waitress

    import dashboards.app

    gc.unfreeze()
    try:
        prewarm.run(fresh_ctx, pause=False)
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        frozen_when_serving = []

        class Server:
            effective_port = 1

            def run(self):
                frozen_when_serving.append(gc.get_freeze_count())

            def close(self):
                pass

        monkeypatch.setattr(waitress, "create_server", lambda *a, **kw: Server())
        dashboards.app.serve(fresh_ctx.app)
        assert frozen_when_serving and frozen_when_serving[0] > 0
    finally:
        gc.unfreeze()
