"""Benchmark a full refresh against the fake StatFin, and the json-stat2 decoders.

Prints, from one run: HTTP calls made vs the minimum this design needs, 429s received,
and wall time vs the rate-limit floor — for the limits Statistics Finland publishes
(40 calls / 60 s, 120 000 cells) and for a deliberately tight limit that forces the
limiter and the query splitter to work. Then the json-stat2 decode time of the largest
table with our numpy decoder vs pyjstat. Run: ``make benchmark`` or
``.venv/bin/python benchmarks/refresh.py``; copy the output into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import digiindicators as di  # noqa: E402
from digiindicators.config import Settings  # noqa: E402
from digiindicators.sources.jsonstat import parse_jsonstat2  # noqa: E402
from digiindicators.store import Store  # noqa: E402
from tests.fakes.pxweb_server import FakePxWeb  # noqa: E402


def rate_floor(calls: int, max_calls: int, window: float, margin: float) -> float:
    """Least wall time the published limit allows for ``calls`` requests."""
    per_window = max(1, math.floor(max_calls * (1 - margin)))
    return max(0, math.ceil(calls / per_window) - 1) * window


def scenario(name: str, *, max_calls: int, window: float, max_cells: int) -> dict:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakePxWeb(max_calls=max_calls, time_window=window, max_cells=max_cells) as fake,
    ):
        # PxWeb only: the limits and the query splitter being measured are Statistics Finland's.
        settings = Settings.from_env(Path(tmp), pxweb_url=fake.base_url, sources=("pxweb",))
        started = time.perf_counter()
        report = di.refresh(settings, progress=False)
        wall = time.perf_counter() - started
        assert report.exit_code == 0, report.summary()
        fetched = [o for o in report.outcomes if o.status == "fetched"]
        folders = {o.key.rsplit("/", 1)[0] for o in fetched}
        data_calls = sum(o.data_calls for o in fetched)
        min_data = sum(o.minimum_data_calls for o in fetched)
        minimum = 1 + len(folders) + len(fetched) + min_data  # config + listings + metadata + data
        floor = rate_floor(report.stats.calls, max_calls, window, settings.rate_margin)
        fake.clear_requests()
        started = time.perf_counter()
        again = di.refresh(settings, progress=False)
        nochange_wall = time.perf_counter() - started
        row = {
            "scenario": name,
            "calls": report.stats.calls,
            "minimum": minimum,
            "data_calls": data_calls,
            "min_data_calls": min_data,
            "429s": report.stats.rate_limited,
            "wall_s": wall,
            "floor_s": floor,
            "nochange_calls": again.stats.calls,
            "nochange_data_calls": len(fake.data_requests()),
            "nochange_wall_s": nochange_wall,
        }
        store = Store(settings.cache_dir)
        entry = store.manifest()["entries"]["pxweb:StatFin/vaerak/11re.px"]["current"]
        row["largest_body"] = max((store.get_blob(p["blob"]) for p in entry["parts"]), key=len)
        return row


def time_decoders(body: bytes) -> tuple[float, float, int]:
    started = time.perf_counter()
    cells = len(parse_jsonstat2(body).frame)
    numpy_s = time.perf_counter() - started
    started = time.perf_counter()
    parse_jsonstat2(body, engine="pyjstat")
    return numpy_s, time.perf_counter() - started, cells


def main() -> None:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {python}")
    rows = [
        scenario(
            "StatFin limits (40/60 s, 120 000 cells)", max_calls=40, window=60, max_cells=120_000
        ),
        scenario("tight limits (6/2 s, 20 000 cells)", max_calls=6, window=2, max_cells=20_000),
    ]
    for r in rows:
        floor = f"{r['floor_s']:.1f} s" if r["floor_s"] else "0 s (fits one window)"
        ratio = f" ({r['wall_s'] / r['floor_s']:.2f}x floor)" if r["floor_s"] else ""
        print(f"\n{r['scenario']}")
        print(
            f"  HTTP calls: {r['calls']} vs minimum {r['minimum']} "
            f"({r['calls'] / r['minimum']:.2f}x); "
            f"data calls {r['data_calls']} vs minimum {r['min_data_calls']}"
        )
        print(f"  429 responses: {r['429s']}")
        print(f"  wall time: {r['wall_s']:.2f} s vs rate-limit floor {floor}{ratio}")
        print(
            f"  no-change refresh: {r['nochange_calls']} calls, {r['nochange_data_calls']} data "
            f"queries, {r['nochange_wall_s']:.2f} s"
        )
    numpy_s, pyjstat_s, cells = time_decoders(rows[0]["largest_body"])
    print(
        f"\njson-stat2 decode of 11re ({cells} cells): numpy {numpy_s * 1000:.0f} ms, "
        f"pyjstat {pyjstat_s * 1000:.0f} ms ({pyjstat_s / numpy_s:.0f}x slower)"
    )


if __name__ == "__main__":
    main()
