"""Serve the dashboard for benchmarks/dashboard.py: the real app plus three bench-only routes.

The app is built as ``digiindicators dashboard`` builds it (same loader, same DataInfo),
then gets:

* a no-op Dash callback — the floor a Dash request cannot go below on this server
  (routing, JSON decoding, the callback machinery); every real callback is reported as a
  ratio to it;
* ``POST /_bench/clear`` — forget every rendered output and remembered value (not the
  panel's lookup index, which the app builds at start, nor the views it remembers of its
  own cells, such as the peer-value grids), so the next request of a state is
  a *cold* render; ``?only=renders`` forgets only the rendered outputs (and their
  compressed answers), so the next request is the *first* render of that state in a
  server that has served others;
* ``POST /_bench/idle`` — return once no part is being rendered ahead
  (:mod:`dashboards.ahead`), so a request is timed on an idle server, as every other
  measurement is (after prewarming);
* ``GET /_bench/stats`` — the render caches' entries, bytes, hits and misses, and how
  far prewarming (:mod:`dashboards.prewarm`, started as the dashboard command starts it)
  has got;

and every response carries ``Server-Timing: app;dur=<ms>``: the time from the request
entering Flask to the response, compressed, being handed to waitress — the server's own
share of a round trip.

The two routes exist only in this script, which binds 127.0.0.1. Run by the benchmark as a
subprocess so cold start and resident memory are the server's own.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class _Timed:
    """WSGI wrapper adding ``Server-Timing``: Flask calls ``start_response`` once the
    response is complete (after every ``after_request`` hook, compression included)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()

        def timed(status, headers, exc_info=None):
            dur = (time.perf_counter() - started) * 1000
            headers.append(("Server-Timing", f"app;dur={dur:.3f}"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, timed)


#: The body Dash's renderer posts for the no-op callback of :func:`add_noop`.
NOOP = {
    "output": "bench-noop-out.children",
    "outputs": {"id": "bench-noop-out", "property": "children"},
    "inputs": [{"id": "bench-noop-in", "property": "value", "value": 1}],
    "changedPropIds": ["bench-noop-in.value"],
}


def add_noop(app) -> None:
    """A Dash callback that does nothing: the floor a Dash request cannot go below on this
    server (routing, JSON decoding, the callback machinery). Asked with :data:`NOOP`."""
    from dash import Input, Output

    @app.callback(Output("bench-noop-out", "children"), Input("bench-noop-in", "value"))
    def noop(value):
        return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cache-dir", required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    import flask
    import waitress

    from dashboards.app import create_app, settle
    from dashboards.info import served_store

    panel, info = served_store(args.cache_dir)
    app = create_app(panel, info=info)
    ctx = app.digi_ctx
    from dashboards import prewarm

    warming = prewarm.start(ctx)  # as `digiindicators dashboard` does
    add_noop(app)

    @app.server.post("/_bench/clear")
    def clear():
        ctx.ahead.idle()  # a part still being rendered ahead would be kept after the clear
        if flask.request.args.get("only") == "renders":
            ctx.clear_renders()
        else:
            ctx.clear_caches()
        return "", 204

    @app.server.post("/_bench/idle")
    def idle():
        ctx.ahead.idle()
        return "", 204

    @app.server.get("/_bench/stats")
    def stats():
        return flask.jsonify(renders=ctx.renders.stats(), results=ctx.results.stats(),
                             answers=ctx.answers.lru.stats(), prewarm=warming.as_dict(),
                             ahead=ctx.ahead.stats())

    app.server.wsgi_app = _Timed(app.server.wsgi_app)
    in_panel = panel.loc[panel["area_level"] == "kunta", "area_code"].nunique()
    print(f"READY municipalities={len(ctx.municipalities)} panel_municipalities={in_panel} "
          f"rows={len(panel)} "
          f"region={ctx.areas.region} store={info.cache_dir}", flush=True)
    settle()  # as dashboards.app.serve does before serving
    waitress.serve(app.server, host="127.0.0.1", port=args.port, threads=args.threads,
                   _quiet=True)


if __name__ == "__main__":
    main()
