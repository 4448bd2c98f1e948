"""Benchmark a full refresh against the fake StatFin, side by side with the peer client
``statfin``, and the json-stat2 decoders.

Prints, from one run: HTTP calls made vs the minimum this design needs, 429s received,
and wall time vs the rate-limit floor — for the limits Statistics Finland publishes
(40 calls / 60 s, 120 000 cells) and for a deliberately tight limit that forces the
limiter and the query splitter to work. For each limit it then fetches the same tables and
the same cells with the peer PxWeb client ``statfin`` (PyPI, the ``bench`` extra) against a
fresh fake with the same limits, and prints both side by side (calls, 429s, 403s, cells,
wall time). Then the json-stat2 decode time of the largest table with our numpy decoder vs
pyjstat. Run: ``make benchmark`` or ``.venv/bin/python benchmarks/refresh.py`` (after
``pip install -e ".[test,bench]"``); copy the output into benchmarks/RESULTS.md.

What the benchmark does on a statfin user's behalf (statfin 0.4.1 has no rate limiting, no
retry and no query splitting; every non-200 answer becomes ``statfin.RequestError`` carrying
only the status, body and URL):

* It builds one ``table.query(**selection)`` per table with every variable set to exactly
  the codes our refresh received (the union of our possibly split queries, read from the
  fake's request log; a variable we left out for elimination is set to its total ``SSS``,
  which is what the server gives us for it), navigating as statfin's README does:
  ``PxWebAPI(base)["StatFin"][folder][table]``.
* On 429 it sleeps the server's ``Retry-After`` (the rate window, 60 s or 2 s; statfin's
  exception does not expose headers, so a user would have to know it) and calls again.
* On 403 (over the cell limit) the plain column gives the table up, as statfin does. The
  ``+ hand split`` column does what a user then writes by hand: halve the variable with the
  most selected values and query both halves, recursively, until every part is accepted.
* statfin always asks for PxWeb's ``"format": "json"`` (PX-JSON), which real StatFin serves
  but the fake does not; :class:`PxJsonFake` adds that encoding to the fake (same log,
  limiter, cell limit and data) and is used for our client too, which asks for json-stat2.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import digiindicators as di  # noqa: E402
from digiindicators.config import Settings  # noqa: E402
from digiindicators.sources.jsonstat import parse_jsonstat2  # noqa: E402
from digiindicators.store import Store  # noqa: E402
from tests.fakes.base import Response  # noqa: E402
from tests.fakes.classification_server import FakeClassifications  # noqa: E402
from tests.fakes.pxweb_server import (  # noqa: E402
    HTML_TYPE,
    JSON_TYPE,
    PAGE_403,
    TEXT_TYPE,
    BadRequest,
    FakePxWeb,
    RequestRecord,
    TooManyCells,
    _selections,
    build_dataset,
)

STATFIN_LIMITS = {"max_calls": 40, "time_window": 60, "max_cells": 120_000}
TIGHT_LIMITS = {"max_calls": 6, "time_window": 2, "max_cells": 20_000}
PEER_DEADLINE = 150.0  # seconds one statfin run may take before its 429 retries stop
PEER_TRIES = 10  # attempts per statfin call on 429


def rate_floor(calls: int, max_calls: int, window: float, margin: float) -> float:
    """Least wall time the published limit allows for ``calls`` requests."""
    per_window = max(1, math.floor(max_calls * (1 - margin)))
    return max(0, math.ceil(calls / per_window) - 1) * window


# -- the fake, also speaking PX-JSON ---------------------------------------------------------


def px_json(dataset: dict) -> dict:
    """Re-encode a json-stat2 answer as PxWeb v1's PX-JSON (``"format": "json"``): one row per
    combination of the other variables, one value column per content code, values as strings
    and a missing cell as its status symbol (``..`` when it has none)."""
    ids, sizes, dims = dataset["id"], dataset["size"], dataset["dimension"]
    role = dataset.get("role", {})
    [content] = role["metric"]
    status = dataset.get("status", {})
    cells = [
        status.get(str(i), "..") if v is None else str(v) for i, v in enumerate(dataset["value"])
    ]
    grid = np.array(cells, dtype=object).reshape(sizes)
    grid = np.moveaxis(grid, ids.index(content), -1).reshape(-1, sizes[ids.index(content)])
    codes = {
        d: sorted(dims[d]["category"]["index"], key=dims[d]["category"]["index"].get) for d in ids
    }
    others = [d for d in ids if d != content]
    time_ids = role.get("time", [])
    columns = [
        {"code": d, "text": dims[d]["label"], "type": "t" if d in time_ids else "d"} for d in others
    ]
    category = dims[content]["category"]
    columns += [
        {
            "code": code,
            "text": category["label"][code],
            "type": "c",
            "unit": category.get("unit", {}).get(code, {}).get("base", ""),
        }
        for code in codes[content]
    ]
    keys = itertools.product(*(codes[d] for d in others))
    return {
        "columns": columns,
        "comments": [],
        "data": [
            {"key": list(k), "values": row} for k, row in zip(keys, grid.tolist(), strict=True)
        ],
        "metadata": [
            {"updated": dataset["updated"], "label": dataset["label"], "source": dataset["source"]}
        ],
    }


def as_jsonstat2(body: object) -> object:
    """The same query asking for json-stat2 (what the fake's query engine reads)."""
    if isinstance(body, dict):
        return {**body, "response": {"format": "json-stat2"}}
    return body


class PxJsonFake(FakePxWeb):
    """:class:`FakePxWeb` that also answers ``"format": "json"`` (PX-JSON), as StatFin does.

    statfin 0.4.1 hard-codes that format; the fake answers it with 400. Only the encoding of
    a successful answer is added here: the request log, the rate limiter (429 + Retry-After),
    the cell limit (IIS HTML 403), the 400s and the data are the parent's, and json-stat2
    queries (ours) go to the parent unchanged. ``data_s`` adds up the time the fake spends
    answering data queries (building and encoding), which both clients' wall time includes.
    """

    def __init__(self, **limits: Any) -> None:
        super().__init__(**limits)
        self.data_s = 0.0

    def _data(self, tab: Any, body: object) -> Response:
        started = time.perf_counter()
        try:
            return self._answer_data(tab, body)
        finally:
            self.data_s += time.perf_counter() - started

    def _answer_data(self, tab: Any, body: object) -> Response:
        response = body.get("response") if isinstance(body, dict) else None
        if not isinstance(response, dict) or str(response.get("format", "")).lower() != "json":
            return super()._data(tab, body)
        try:
            dataset = build_dataset(tab, as_jsonstat2(body), self.max_cells)
        except BadRequest:
            return Response(400, TEXT_TYPE, b"Bad Request")
        except TooManyCells:
            return Response(403, HTML_TYPE, PAGE_403)
        encoded = json.dumps(px_json(dataset), ensure_ascii=False, separators=(",", ":"))
        return Response(200, JSON_TYPE, encoded.encode("utf-8"))


# -- what the request log says ---------------------------------------------------------------


def table_path(record: RequestRecord) -> str:
    """``StatFin/vaerak/11re.px`` from ``/PXWeb/api/v1/fi/StatFin/vaerak/11re.px``."""
    return record.path.split("/fi/", 1)[1]


def query_box(fake: FakePxWeb, record: RequestRecord) -> tuple[Any, list[list[int]]]:
    """The table and the positions per variable (all of them) that a data query selected."""
    tab = fake.table(table_path(record).rsplit("/", 1)[1])
    selections, _kept = _selections(tab, as_jsonstat2(record.body))
    return tab, selections


def log_figures(fake: FakePxWeb, records: list[RequestRecord]) -> dict:
    """Calls, failures and cells obtained, counted the same way for both clients."""
    data = [r for r in records if r.method == "POST"]
    return {
        "calls": len(records),
        "data_calls": len(data),
        "429s": sum(r.status == 429 for r in records),
        "403s": sum(r.status == 403 for r in records),
        "other_failures": sum(r.status not in (200, 403, 429) for r in records),
        "cells": sum(math.prod(map(len, query_box(fake, r)[1])) for r in data if r.status == 200),
    }


def wanted_selections(fake: FakePxWeb, records: list[RequestRecord]) -> dict[str, dict]:
    """Per table, in our order: every variable's codes, the union over our accepted queries."""
    boxes: dict[str, tuple[Any, list[set[int]]]] = {}
    for r in records:
        if r.method == "POST" and r.status == 200:
            tab, selections = query_box(fake, r)
            union = boxes.setdefault(table_path(r), (tab, [set() for _ in selections]))[1]
            for seen, positions in zip(union, selections, strict=True):
                seen.update(positions)
    return {
        path: {
            var.code: [var.values[p] for p in sorted(positions)]
            for var, positions in zip(tab.variables, union, strict=True)
        }
        for path, (tab, union) in boxes.items()
    }


def item_query(selection: dict[str, list[str]]) -> dict:
    return {
        "query": [
            {"code": code, "selection": {"filter": "item", "values": values}}
            for code, values in selection.items()
        ],
        "response": {"format": "json-stat2"},
    }


# -- our client ------------------------------------------------------------------------------


def scenario(
    name: str, *, max_calls: int, time_window: float, max_cells: int, region: str = "17"
) -> dict:
    """Our refresh of the PxWeb tables; ``region="all"`` asks for all 308 municipalities of
    the fake country (the area key then comes from the fake classification service, whose
    13 calls are not counted: the limits measured are Statistics Finland's PxWeb ones)."""
    country = region != "17"
    limits = {"max_calls": max_calls, "time_window": time_window, "max_cells": max_cells}
    with (
        tempfile.TemporaryDirectory() as tmp,
        PxJsonFake(**limits, country=country) as fake,
        FakeClassifications() as key,
    ):
        sources = ("classification", "pxweb") if country else ("pxweb",)
        settings = Settings.from_env(
            Path(tmp), pxweb_url=fake.base_url, classification_url=key.base_url,
            region=region, sources=sources,
        )
        started = time.perf_counter()
        report = di.refresh(settings, progress=False)
        wall = time.perf_counter() - started
        assert report.exit_code == 0, report.summary()
        report.stats = report.stats_by_source["pxweb"]
        records, data_s = list(fake.requests), fake.data_s
        fetched = [o for o in report.outcomes if o.status == "fetched" and o.source == "pxweb"]
        folders = {o.key.rsplit("/", 1)[0] for o in fetched}
        data_calls = sum(o.data_calls for o in fetched)
        min_data = sum(o.minimum_data_calls for o in fetched)
        minimum = 1 + len(folders) + len(fetched) + min_data  # config + listings + metadata + data
        floor = rate_floor(report.stats.calls, max_calls, time_window, settings.rate_margin)
        wanted = wanted_selections(fake, records)
        fake.clear_requests()
        started = time.perf_counter()
        again = di.refresh(settings, progress=False)
        nochange_wall = time.perf_counter() - started
        again.stats = again.stats_by_source["pxweb"]
        row = {
            "scenario": name,
            "limits": {**limits, "country": country},
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
            "wanted": wanted,
            "wanted_cells": sum(math.prod(map(len, s.values())) for s in wanted.values()),
            "log": {**log_figures(fake, records), "data_s": data_s},
        }
        store = Store(settings.cache_dir)
        entry = store.manifest()["entries"]["pxweb:StatFin/vaerak/11re.px"]["current"]
        row["largest_body"] = max((store.get_blob(p["blob"]) for p in entry["parts"]), key=len)
        return row


# -- the peer: statfin, used as its README shows -----------------------------------------------


def statfin_run(limits: dict, wanted: dict[str, dict], *, hand_split: bool) -> dict:
    """Fetch ``wanted`` with statfin against a fresh fake with ``limits``; see the docstring
    at the top for what is done on the user's behalf."""
    import statfin

    with PxJsonFake(**limits) as fake:
        started = time.perf_counter()

        def patiently(action: Callable[..., Any], *args: Any) -> Any:
            """The user's loop around a statfin call: on 429 wait Retry-After, call again."""
            for attempt in itertools.count(1):
                try:
                    return action(*args)
                except statfin.RequestError as err:
                    late = time.perf_counter() - started + fake.time_window > PEER_DEADLINE
                    if err.code != 429 or attempt == PEER_TRIES or late:
                        raise
                    time.sleep(fake.time_window)  # the Retry-After the fake sends

        def fetch(table: Any, selection: dict[str, list[str]]) -> list[Any]:
            try:
                return [patiently(table.query(**selection)).df]
            except statfin.RequestError as err:
                widest = max(selection, key=lambda code: len(selection[code]))
                if err.code != 403 or not hand_split or len(selection[widest]) < 2:
                    raise
                half = len(selection[widest]) // 2
                first = {**selection, widest: selection[widest][:half]}
                second = {**selection, widest: selection[widest][half:]}
                return fetch(table, first) + fetch(table, second)

        def open_table(db: Any, path: str) -> Any:
            database, folder, name = path.split("/")
            return db[database][folder][name]

        db = statfin.PxWebAPI(f"{fake.base_url}/fi")
        obtained: dict[str, list[Any]] = {}
        failed: dict[str, int] = {}
        for path, selection in wanted.items():
            try:
                obtained[path] = fetch(patiently(open_table, db, path), selection)
            except statfin.RequestError as err:
                failed[path] = err.code
        wall = time.perf_counter() - started
        figures = {**log_figures(fake, list(fake.requests)), "data_s": fake.data_s}

        cells = missing = 0
        for path, frames in obtained.items():
            keys = len(wanted[path]) - 1  # key columns: every variable but the content one
            values = [df.iloc[:, keys:] for df in frames]  # then one column per content code
            cells += sum(v.size for v in values)
            missing += sum(int(v.isna().to_numpy().sum()) for v in values)
            # statfin's numbers are the fake's (this also checks the PX-JSON encoding).
            tab = fake.table(path.rsplit("/", 1)[1])
            truth = build_dataset(tab, item_query(wanted[path]), 10**9)["value"]
            expected = sum(v for v in truth if v is not None)
            got = float(sum(np.nansum(v.to_numpy(dtype=float)) for v in values))
            assert math.isclose(got, expected, rel_tol=1e-9), (path, got, expected)
        return {**figures, "wall_s": wall, "cells": cells, "missing": missing, "failed": failed}


# -- printing --------------------------------------------------------------------------------


def side_by_side(row: dict, plain: dict, split: dict) -> None:
    ours = row["log"]
    wanted = row["wanted_cells"]
    columns = [
        ("ours", {**ours, "wall_s": row["wall_s"]}),
        ("statfin", plain),
        ("statfin + hand split", split),
    ]
    lines = [
        ("HTTP calls", lambda f: f"{f['calls']}"),
        ("  of which data queries", lambda f: f"{f['data_calls']}"),
        ("429 received", lambda f: f"{f['429s']}"),
        ("403 (over cell limit)", lambda f: f"{f['403s']}"),
        ("other failures", lambda f: f"{f['other_failures']}"),
        ("cells obtained / wanted", lambda f: f"{f['cells']} / {wanted}"),
        ("tables given up", lambda f: f"{len(f.get('failed', {}))}"),
        ("wall time", lambda f: f"{f['wall_s']:.2f} s"),
        ("  of which fake answering", lambda f: f"{f['data_s']:.2f} s"),
        ("calls ratio vs ours", lambda f: f"{f['calls'] / ours['calls']:.2f}x"),
        ("wall-time ratio vs ours", lambda f: f"{f['wall_s'] / row['wall_s']:.2f}x"),
    ]
    print(f"  side by side, same tables and cells ({len(row['wanted'])} tables, {wanted} cells):")
    print(f"    {'':26}" + "".join(f"{name:>24}" for name, _ in columns))
    for label, cell in lines:
        print(f"    {label:26}" + "".join(f"{cell(f):>24}" for _, f in columns))
    for name, f in columns[1:]:
        if f.get("failed"):
            print(f"    {name} gave up: {f['failed']}")
        if f.get("missing"):
            print(f"    {name}: {f['missing']} suppressed cells arrive as NaN (symbol dropped)")


def time_decoders(body: bytes) -> tuple[float, float, int]:
    started = time.perf_counter()
    cells = len(parse_jsonstat2(body).frame)
    numpy_s = time.perf_counter() - started
    started = time.perf_counter()
    parse_jsonstat2(body, engine="pyjstat")
    return numpy_s, time.perf_counter() - started, cells


def main() -> None:
    try:
        import statfin  # noqa: F401
    except ImportError:
        sys.exit('statfin is missing: pip install -e ".[test,bench]" (or run make benchmark)')
    from importlib.metadata import version

    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {python}")
    print(f"peer: statfin {version('statfin')}")
    rows = [
        scenario("StatFin limits (40/60 s, 120 000 cells)", **STATFIN_LIMITS),
        scenario("tight limits (6/2 s, 20 000 cells)", **TIGHT_LIMITS),
        scenario("all 308 municipalities, StatFin limits", **STATFIN_LIMITS, region="all"),
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
        plain = statfin_run(r["limits"], r["wanted"], hand_split=False)
        split = statfin_run(r["limits"], r["wanted"], hand_split=True)
        side_by_side(r, plain, split)
    numpy_s, pyjstat_s, cells = time_decoders(rows[0]["largest_body"])
    print(
        f"\njson-stat2 decode of 11re ({cells} cells): numpy {numpy_s * 1000:.0f} ms, "
        f"pyjstat {pyjstat_s * 1000:.0f} ms ({pyjstat_s / numpy_s:.0f}x slower)"
    )


if __name__ == "__main__":
    main()
