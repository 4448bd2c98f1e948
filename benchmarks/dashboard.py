"""Benchmark the dashboard as a browser and 20 users see it, on 127.0.0.1 only.

Prints from one run:

* cold start (process start → first page), prewarming (pages rendered in the background
  at start, :mod:`dashboards.prewarm`; the measurements wait until it has ended) and
  resident memory (after start and prewarm, after the load tests, and after filling the
  render caches with hundreds of distinct pages);
* the first view in Debian Chromium: bytes on the wire (compressed as sent), requests,
  and which plotly.js was loaded (the basic bundle from ``assets/vendor`` or Dash's full
  ``plotly.min.js``);
* the server time of every callback the pages fire — on load and when a control of each
  view changes — as a ratio to a no-op Dash callback on the same server, three times:
  **cold** (every render cache and remembered value is cleared before each request, so
  the state is rendered from scratch; only the panel's lookup index, built at start, and
  the views it remembers of its own cells, such as the peer-value grids, survive),
  **first** (only the rendered outputs are cleared: the first render of this
  state in a server that has served others, e.g. the index's rank ranges for these
  weights are known) and **warm** (the same state asked again: the render cache). For
  a change of an index weight, and for the index's rank ranges sent after it, *cold*
  and *first* send a weight set never asked before each time (:func:`fresh_weights`):
  first = what a reader trying weights meets. The ranges part is asked, as a browser
  asks it, after the chart's request for the same weights (not timed), at once: the
  server renders it ahead once the chart's answer is sent (:mod:`dashboards.ahead`), and a
  browser drawing the chart gives it longer than this client does. Each timed request
  starts on an idle server (no part still rendering ahead for the previous weights, whose
  ranges part a browser would have asked for in between), as every measurement starts
  after prewarming has ended. Cold and first are medians of 15 requests, asked in three
  rounds over every callback (:data:`SERIES_ROUNDS`), warm of 30;
* a callback that fires once per section of a page (the profile's trend charts) is one
  row: the slowest section's medians, and how many sections there were;
* p50/p95 latency with 20 concurrent users (threads), each repeating the overview's page
  load and callbacks (as the first version of this benchmark did), then every view's.

Run: ``.venv/bin/python benchmarks/dashboard.py [--cache-dir DIR]`` (default: the
embedded snapshot); results go in RESULTS.md. A cache of another region is served as the
``digiindicators dashboard`` command would serve it (set ``DIGIINDICATORS_REGION`` as
for the refresh that made it); the number of municipalities served is printed.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serve_for_bench import NOOP  # noqa: E402
from dashboards.views.deferred import announced  # noqa: E402
from dashboards.views.index import RANGES_PART  # noqa: E402
from digiindicators.config import snapshot_dir  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

USERS, ROUNDS, LOAD_SECONDS = 20, 25, 60.0
WARM_REPEATS = 30
#: The cold and first series run in SERIES_ROUNDS rounds over every callback, COLD_REPEATS
#: requests each per round (15 per row in all; 7 in one go before 2026-12-06). Why: on a
#: shared machine a burst of other load lasts some hundred milliseconds; a row measured in
#: one go could have all its requests in one burst (a run of stop 17 had one row's cold,
#: first and warm medians all a third above every other run's), while in rounds a burst
#: lands in a third of a row's requests and the median passes over it.
SERIES_ROUNDS, COLD_REPEATS = 3, 5
UPDATE = "/_dash-update-component"
#: (view, path, the selects to change in turn). Each select is set to an option other than
#: the one shown; the callbacks fired meanwhile are recorded under "<view>: <select>".
VIEWS = (
    ("overview", "/", ("theme-select", "indicator-select", "year-select", "peer-select",
                       "map-select")),
    ("profile", "/kunta/KU564", ("municipality-select",)),
    ("index", "/indeksi", ("normalisation-select", "index-year-select")),
    ("survey", "/kysely", ("question-select",)),
    ("data", "/tiedot", ("dataset-select",)),
)


# ---- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(cache_dir: str) -> tuple[subprocess.Popen, str, float, str]:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks/serve_for_bench.py"), "--port", str(port),
         "--cache-dir", cache_dir],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 180:
        if process.poll() is not None:
            raise SystemExit("the dashboard did not start:\n" + (process.stdout.read() or ""))
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                cold = time.perf_counter() - started
                return process, url, cold, _ready_line(process)
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the dashboard did not start within 180 s")


def _ready_line(process: subprocess.Popen) -> str:
    for line in process.stdout:  # the READY line comes before waitress serves
        if line.startswith("READY"):
            return line.strip()
    return "READY ?"


def wait_for_prewarm(url: str) -> tuple[dict, float]:
    """Prewarming's progress once it has ended, and the seconds that took from now (the
    first page served): the measurements below run undisturbed by it."""
    started = time.perf_counter()
    while True:
        progress = requests.get(url + "/_bench/stats", timeout=10).json()["prewarm"]
        if progress["finished"] or time.perf_counter() - started > 600:
            return progress, time.perf_counter() - started
        time.sleep(0.2)


# ---- the browser ---------------------------------------------------------------------------
def _other_option(page: Page, select_id: str) -> str | None:
    """Value of an option other than the selected one."""
    select = page.locator(f"#{select_id}")
    if select.count() == 0:
        return None
    options = select.locator("option:not([disabled])").all()
    values = [o.get_attribute("value") for o in options]
    current = select.input_value()
    choices = [i for i, v in enumerate(values) if v != current]
    if not choices:
        return None
    pick = choices[min(3, len(choices) - 1)] if select_id == "dataset-select" else choices[0]
    return values[pick]


def browse(url: str) -> tuple[dict, list[tuple[str, dict]]]:
    """First view (bytes, requests, plotly bundle) and every callback each action fired."""
    recorded: list[tuple[str, dict]] = []
    sizes: list[tuple[str, int]] = []
    scripts: list[str] = []
    action = ["first view"]
    first: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def on_request(request):
            if request.method == "POST" and UPDATE in request.url:
                recorded.append((action[0], json.loads(request.post_data or "{}")))
            if request.resource_type == "script":
                scripts.append(request.url)

        page.on("request", on_request)
        page.on("requestfinished", lambda r: sizes.append((
            r.url.split("?")[0].removeprefix(url),
            r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])))
        page.goto(url + "/", wait_until="networkidle")
        page.wait_for_selector(".main-svg", timeout=60_000)
        first = {"bytes": sum(n for _, n in sizes), "requests": len(sizes),
                 "largest": sorted(sizes, key=lambda item: -item[1])[:4],
                 "plotly": sorted({s.split("?")[0].removeprefix(url) for s in scripts
                                   if "plotly" in s})}
        for view, path, selects in VIEWS:
            action[0] = f"{view}: page load"
            page.goto(url + path, wait_until="networkidle")
            page.wait_for_selector("#main-content h1")
            for select_id in selects:
                value = _other_option(page, select_id)
                if value is None:
                    continue
                action[0] = f"{view}: {select_id}"
                page.locator(f"#{select_id}").select_option(value=value)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
            if view == "index":  # a reader trying another weight
                weight = page.locator("input[id^='weight-']").first
                action[0] = "index: weight"
                weight.fill(str(int(float(weight.input_value() or 0)) + 1))
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
        browser.close()
    return first, recorded


# ---- timing --------------------------------------------------------------------------------
def post(session: requests.Session, url: str, payload: dict) -> tuple[float, float, int]:
    """(round trip ms, in-server ms, HTTP status) of one callback request."""
    started = time.perf_counter()
    response = session.post(url + UPDATE, json=payload, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in (200, 204):
        raise RuntimeError(f"{name_of(payload)}: HTTP {response.status_code}")
    timing = response.headers.get("Server-Timing", "")
    server = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
    return elapsed, server, response.status_code


def name_of(payload: dict) -> str:
    outputs = payload.get("outputs")
    first = outputs[0] if isinstance(outputs, list) else outputs
    ident = first.get("id") if isinstance(first, dict) else "?"
    if isinstance(ident, dict):
        ident = ident.get("type", "?")
    return f"{ident}.{first.get('property', '?')}" if isinstance(first, dict) else "?"


def fresh_weights(action: str, payload: dict, *, weight_change: dict | None = None,
                  send: Callable[[dict], dict] | None = None) -> Iterator[dict] | None:
    """For a weight change: the same request with a weight set never asked before, each
    time (one weight 1.01, 1.02, …), so *first* measures what a reader trying weights
    meets — the components' values of the year are known, the weighing and the rank
    ranges of these weights are not — and *cold* the same with nothing known. None for
    other callbacks.

    The index's second part (rank ranges and table) follows its chart in a browser: the
    chart's answer holds the part's id, and the part reuses the index the chart's request
    computed. So for that part each fresh weight set is first sent as ``weight_change``
    (the recorded chart request, through ``send``, not timed) and the part is asked with
    the id its answer names: what the browser does next."""
    if action != "index: weight":
        return None
    outputs = payload.get("outputs")
    part = outputs.get("id") if isinstance(outputs, dict) else None
    if isinstance(part, dict) and part.get("type") == "index-ranges":
        if weight_change is None or send is None:
            return None
        return _ranges_after_chart(payload, _fresh_weight_changes(weight_change, 2), send)
    changed = payload.get("changedPropIds") or []
    if len(changed) != 1 or not str(changed[0]).startswith("weight-"):
        return None  # not a reader's weight change (on load, every control reports itself)
    return _fresh_weight_changes(payload, 1)


def _fresh_weight_changes(payload: dict, base: int) -> Iterator[dict]:
    """The weight change ``payload`` with its changed weight set to base + 0.01, + 0.02, …
    (another base gives weight sets the other series never asks)."""
    target = str(payload["changedPropIds"][0]).split(".")[0]
    for k in itertools.count(1):
        fresh = copy.deepcopy(payload)
        for item in fresh["inputs"]:
            if item.get("id") == target:
                item["value"] = round(base + k / 100, 2)
        yield fresh


def _ranges_after_chart(payload: dict, changes: Iterator[dict],
                        send: Callable[[dict], dict]) -> Iterator[dict]:
    """The ranges part as the browser asks it after each weight change of ``changes``:
    the part the chart's answer announces (found as prewarming finds a page's parts)."""
    for change in changes:
        outputs = send(change).get("response", {}).values()
        found = announced([output.get("children") for output in outputs], {RANGES_PART})
        if not found:
            raise RuntimeError("the index's answer names no rank-range part")
        ident = found[0]
        yield {**payload, "outputs": {**payload["outputs"], "id": ident},
               "inputs": [{**item, "id": ident, "value": ident} for item in payload["inputs"]]}


def medians(timings: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Median round trip and median in-server time, ms."""
    return (statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings))


def measure(url: str, recorded: list[tuple[str, dict]]
            ) -> tuple[tuple[float, float], list[dict], list[tuple[float, float, int]]]:
    """(floor, rows, the no-op requests timed between the series).

    The floor the ratios use is the median of 30 no-op requests before all series and
    30 after them. Three more follow each callback's series in every round; their median
    is printed beside it, so a reader can see whether the machine drifted while the series
    ran (they are not used for the ratios). The cold and first series of every callback
    run in :data:`SERIES_ROUNDS` rounds (see there); the warm series once, at the end.
    """
    session = requests.Session()
    floors = [post(session, url, NOOP) for _ in range(30)]
    between: list[tuple[float, float, int]] = []
    # The recorded chart request of a reader's weight change (whatever the order in which
    # the browser's requests were recorded), to ask the ranges part after it.
    weight_change = next((payload for action, payload in recorded
                          if not isinstance(payload["outputs"], dict)
                          and fresh_weights(action, payload) is not None), None)

    def send(payload: dict) -> dict:
        return session.post(url + UPDATE, json=payload, timeout=120).json()

    series = []
    seen: set[str] = set()
    for action, payload in recorded:
        key = json.dumps(payload, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        weights = fresh_weights(action, payload, weight_change=weight_change, send=send)
        series.append({"action": action, "payload": payload, "weights": weights,
                       "sends": itertools.repeat(payload) if weights is None else weights,
                       "cold": [], "first": []})
    for _ in range(SERIES_ROUNDS):
        for one in series:
            sends = one["sends"]
            for _ in range(COLD_REPEATS):
                session.post(url + "/_bench/clear", timeout=30)
                one["cold"].append(post(session, url, next(sends)))
            for _ in range(COLD_REPEATS):
                if one["weights"] is None:
                    session.post(url + "/_bench/clear?only=renders", timeout=30)
                else:  # the previous weights' ranges part may still be rendering ahead
                    session.post(url + "/_bench/idle", timeout=30)
                one["first"].append(post(session, url, next(sends)))
            between += [post(session, url, NOOP) for _ in range(3)]
    rows = []
    for one in series:
        payload = one["payload"]
        post(session, url, payload)  # the state is cached from here on
        warm = [post(session, url, payload) for _ in range(WARM_REPEATS)]
        rows.append({"action": one["action"], "callback": name_of(payload),
                     "status": one["cold"][0][2], "cold": medians(one["cold"]),
                     "first": medians(one["first"]), "warm": medians(warm),
                     "bytes": len(session.post(url + UPDATE, json=payload).content),
                     "sections": isinstance(payload["outputs"], dict)
                     and isinstance(payload["outputs"].get("id"), dict)})
    floors += [post(session, url, NOOP) for _ in range(30)]
    return medians(floors), collapse(rows), between


def collapse(rows: list[dict]) -> list[dict]:
    """The rows with one row per action for a callback that fills sections (a profile's
    trend charts, a pattern-matching output): it fires once per section, and its row
    shows the slowest of them (the largest median of each column) and how many there
    were. Every other request keeps its own row."""
    out: dict[tuple[str, ...], dict] = {}
    for n, row in enumerate(rows):
        key = (row["action"], row["callback"]) if row["sections"] else (str(n),)
        if key not in out:
            out[key] = {**row, "count": 1}
            continue
        kept = out[key]
        kept["count"] += 1
        for column in ("cold", "first", "warm"):
            kept[column] = tuple(max(a, b) for a, b in zip(kept[column], row[column],
                                                          strict=True))
        kept["bytes"] = max(kept["bytes"], row["bytes"])
    return list(out.values())


def load_test(url: str, callbacks: list[dict]) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + LOAD_SECONDS

    def user() -> None:
        nonlocal errors
        session = requests.Session()
        for _ in range(ROUNDS):
            if time.monotonic() > deadline:
                return
            for action in ("page", *callbacks):
                started = time.perf_counter()
                try:
                    if action == "page":
                        ok = session.get(url + "/", timeout=30).status_code == 200
                    else:
                        status = session.post(url + UPDATE, json=action, timeout=30).status_code
                        ok = status in (200, 204)
                except requests.RequestException:
                    ok = False
                with lock:
                    latencies.append(time.perf_counter() - started)
                    errors += 0 if ok else 1

    threads = [threading.Thread(target=user) for _ in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, len(latencies)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _select_values(node: object, select_id: str) -> list[str]:
    """Option values of the select ``select_id`` anywhere in a callback response."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props")
            if isinstance(props, dict) and props.get("id") == select_id:
                found += [str(o["value"]) for o in props.get("options") or []]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def fill_caches(url: str, recorded: list[tuple[str, dict]]) -> tuple[int, int]:
    """Ask for many distinct pages — every indicator × peer group × language on the
    overview, every municipality's profile in each language — so that the render cache
    reaches its bound; returns (pages asked, municipalities served)."""
    render = next((p for a, p in recorded if name_of(p) == "page.children"), None)
    if render is None:
        return 0, 0
    session = requests.Session()

    def page(path: str, search: str) -> dict:
        payload = copy.deepcopy(render)
        for item in payload["inputs"]:
            item["value"] = path if item["property"] == "pathname" else search
        response = session.post(url + UPDATE, json=payload, timeout=120)
        response.raise_for_status()
        return response.json()

    indicators = _select_values(page("/", "?teema="), "indicator-select")
    codes = _select_values(page("/kunta", ""), "municipality-select")
    pages = [("/", f"?indikaattori={i}&vertailu={g}&kieli={lang}") for i in indicators
             for g in ("", "1", "2", "3") for lang in ("fi", "sv", "en")]
    pages += [(f"/kunta/{c}", f"?kieli={lang}") for c in codes for lang in ("fi", "sv", "en")]
    for path, search in pages:
        page(path, search)
    return len(pages), len(codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", default=str(snapshot_dir()),
                        help="the store to serve (default: the embedded snapshot)")
    args = parser.parse_args()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {python}")
    with tempfile.TemporaryDirectory() as empty:
        os.environ.setdefault("DIGIINDICATORS_CACHE", empty)
        process, url, cold_start, ready = start_server(args.cache_dir)
        threading.Thread(target=lambda: process.stdout.read(), daemon=True).start()
        try:
            warmed, warm_wall = wait_for_prewarm(url)
            idle_rss = rss_mib(process.pid)
            first, recorded = browse(url)
            floor, rows, between = measure(url, recorded)
            overview_calls = [p for a, p in recorded if a.startswith(("first view", "overview"))]
            every_call = [p for _, p in recorded]
            load_overview = load_test(url, overview_calls)
            load_all = load_test(url, every_call)
            loaded_rss = rss_mib(process.pid)
            filled, n_codes = fill_caches(url, recorded)
            filled_rss = rss_mib(process.pid)
            stats = requests.get(url + "/_bench/stats", timeout=10).json()
        finally:
            process.terminate()
            process.wait(timeout=10)
    fields = dict(part.split("=", 1) for part in ready.split()[1:] if "=" in part)
    print(f"\nstore {args.cache_dir}: {fields.get('municipalities', '?')} municipalities served "
          f"({n_codes} in the profile select; region {fields.get('region', '?')}; the panel has "
          f"{fields.get('panel_municipalities', '?')} municipalities in "
          f"{fields.get('rows', '?')} rows)")
    print(f"  cold start (process start → first page): {cold_start:.2f} s")
    print(f"  prewarm: {warmed['pages']} of {warmed['planned']} pages (landing pages and "
          f"profiles) and {warmed.get('parts', 0)} parts sent after them (charts, tables)"
          f" in {warmed['seconds']:.2f} s of rendering, done {warm_wall:.1f} s after "
          f"the first page was served ({warmed['reason']}); measured after it ended")
    print(f"  resident memory: {idle_rss:.0f} MiB after start and prewarm, {loaded_rss:.0f} MiB "
          f"after the load tests, {filled_rss:.0f} MiB after {filled} more distinct pages "
          f"(render cache {stats['renders']['entries']} entries, "
          f"{stats['renders']['bytes'] / 1e6:.1f} MB of JSON)")
    ahead = stats.get("ahead", {})
    print(f"  parts rendered ahead (dashboards.ahead) over the whole run: "
          f"{ahead.get('rendered', 0)} rendered, {ahead.get('waited', 0)} requests waited for "
          f"one, {ahead.get('dropped', 0)} dropped, {ahead.get('failed', 0)} failed")
    print(f"  first view: {first['bytes'] / 1e6:.2f} MB transferred in {first['requests']} "
          f"requests; plotly.js: {', '.join(first['plotly']) or 'none'}")
    print("    largest: " + ", ".join(f"{path.rsplit('/', 1)[-1]} {n / 1e3:.0f} kB"
                                    for path, n in first["largest"]))
    print(f"  no-op callback floor (median of 60): {floor[0]:.2f} ms round trip, "
          f"{floor[1]:.2f} ms in the server")
    drift = medians(between)
    print(f"  the same no-op between the series (median of {len(between)}, not used for the "
          f"ratios): {drift[0]:.2f} ms round trip, {drift[1]:.2f} ms in the server")
    for label, i in (("round trip (client → server → client, body read)", 0),
                     ("in the server (Server-Timing: request in → compressed response out)", 1)):
        print(f"\n  {label}")
        print(f"  {'action':30} {'callback':38} {'cold ms':>8} {'×':>6} {'first ms':>8} "
              f"{'×':>6} {'warm ms':>8} {'×':>5} {'bytes':>7}")
        for r in rows:
            status = "" if r["status"] == 200 else " (no update)"
            status += f" ×{r['count']}, slowest" if r["count"] > 1 else ""
            cold, first, warm = r["cold"][i], r["first"][i], r["warm"][i]
            print(f"  {r['action']:30} {r['callback'] + status:38} {cold:8.1f} "
                  f"{cold / floor[i]:6.1f} {first:8.1f} {first / floor[i]:6.1f} "
                  f"{warm:8.2f} {warm / floor[i]:5.1f} {r['bytes']:7d}")
    print()
    for label, (latencies, errors, total) in (("overview", load_overview),
                                              ("every view", load_all)):
        print(f"  {USERS} concurrent users, {label}: {total} requests, "
              f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, errors {errors}")


if __name__ == "__main__":
    main()
