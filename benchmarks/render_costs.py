"""Where a first render's time goes, in-process: the pieces of the heaviest views' answers.

``benchmarks/dashboard.py`` measures whole requests, as a browser sends them; this script
times, inside one Python process with the app built as ``digiindicators dashboard`` builds
it, the functions those answers are made of, each against an empty function call and
against a no-op Dash callback answered by the app's own Flask server (the in-server floor):

* the overview for its default state: the ranking's data, the map's classes, the two
  figures through ``for_dash``, the values table, and each part's JSON (``freeze``);
* the index's second part for weight sets never asked before, after its first part, as
  a browser asks it: the 36 rank-range scenarios and the part's render;
* a full garbage collection after prewarming, with the app's objects left to the
  collector and frozen out of its sight (:func:`dashboards.app.settle`).

Run: ``.venv/bin/python benchmarks/render_costs.py [--cache-dir DIR]`` (default: the
embedded snapshot; a whole-country cache as for ``benchmarks/dashboard.py``, with
``DIGIINDICATORS_REGION=all``). Medians of repeated calls; results in RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import logging  # noqa: E402

from digiindicators.config import snapshot_dir  # noqa: E402

REPEATS = 60


def median_ms(call: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of ``call()`` in milliseconds (after one untimed call)."""
    call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", default=str(snapshot_dir()))
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from benchmarks.serve_for_bench import NOOP, add_noop
    from dashboards import figures, maps, render
    from dashboards.app import create_app
    from dashboards.info import served_store
    from dashboards.views import index as index_view
    from dashboards.views import overview
    from dashboards.views.common import values_table
    from tests.panel_factory import dash_payload

    panel, info = served_store(args.cache_dir)
    app = create_app(panel, info=info)
    ctx = app.digi_ctx
    add_noop(app)

    from dashboards import prewarm

    prewarm.run(ctx, pause=False)  # as a server is after its start (it ends by settle())
    client = app.server.test_client()
    floor = median_ms(lambda: client.post("/_dash-update-component", json=NOOP))
    print(f"store {args.cache_dir}: {len(ctx.municipalities)} municipalities; "
          f"no-op callback in-process {floor:.2f} ms")

    rows: list[tuple[str, float]] = []
    st = overview.resolve(ctx, {})
    ranking = overview._ranking(ctx, "fi", st.indicator, st.year)
    data = maps.map_data(ranking, ctx.tiles)
    rows += [
        ("overview: ranking_data", median_ms(lambda: figures.ranking_data(
            ctx.panel, st.indicator, st.year, "fi", ctx.catalog, areas=ctx.areas,
            info=ranking.info, lookup=ctx.lookup))),
        ("overview: map_data", median_ms(lambda: maps.map_data(ranking, ctx.tiles))),
        ("overview: for_dash(ranking_styled)", median_ms(
            lambda: figures.for_dash(figures.ranking_styled(ranking)))),
        ("overview: values_table", median_ms(lambda: values_table(
            ranking, "fi", classes=overview.map_classes(data, "fi")))),
    ]
    if ctx.boundaries:
        shapes = overview.outlines(ctx)
        rows.append(("overview: for_dash(choropleth_styled), no coordinates", median_ms(
            lambda: figures.for_dash(maps.choropleth_styled(data, shapes,
                                                            coordinates=False)[0]))))
    charts = overview.content(ctx, "fi", st)
    table = overview.data_part(ctx, "fi", st)
    rows += [("overview: freeze the charts part", median_ms(lambda: render.freeze(charts))),
             ("overview: freeze the table part", median_ms(lambda: render.freeze(table)))]
    page = dash_payload(app, "..page.children", {"url.pathname": "/", "url.search": ""},
                        "url.pathname")

    def first_page() -> None:
        ctx.clear_renders()
        client.post("/_dash-update-component", json=page,
                    headers={"Accept-Encoding": "br"})

    rows.append(("overview: the page's request, renders cleared", median_ms(first_page)))

    base = index_view.choice_from_query(ctx, {})
    if base.active:
        changed = sorted(base.weights)[0]
        times = []
        for k in range(1, 31):
            choice = type(base)({**base.weights, changed: 1 + k / 1000}, base.normalisation,
                                base.aggregation, base.year)
            index_view.result(ctx, choice, "fi", ranges=False)  # the chart's part first
            started = time.perf_counter()
            render.freeze(index_view.ranges_part(ctx, "fi", choice))
            times.append(time.perf_counter() - started)
        rows.append(("index: ranges part after its chart, never-asked weights",
                     statistics.median(times) * 1000))

    empty = median_ms(lambda: None)
    print(f"\n{'piece':56s} {'ms':>7s} {'× no-op callback':>17s}")
    for name, ms in rows:
        print(f"{name:56s} {ms:7.2f} {ms / floor:17.1f}")
    print(f"(an empty call: {empty * 1000:.1f} µs)")

    def full_collection() -> float:
        return median_ms(gc.collect, 5)

    gc.unfreeze()
    loose = full_collection()
    gc.freeze()
    frozen = full_collection()
    gc.unfreeze()
    print(f"\nfull garbage collection: {loose:.1f} ms with the app's "
          f"{len(gc.get_objects())} objects tracked, {frozen:.2f} ms with them frozen")


if __name__ == "__main__":
    main()
