"""Benchmark the dashboard as a browser and 20 users see it, on 127.0.0.1 only.

Prints from one run: cold start (process start → first page), resident memory, bytes
transferred for the first view (gzip as sent), the server time of every callback the page
fires on load and on changing each select, as a ratio to a no-op Dash callback on the same
server, and p50/p95 latency with 20 concurrent simulated users (bounded: 25 rounds each,
60 s at most). Run: ``.venv/bin/python benchmarks/dashboard.py``; results go in RESULTS.md.
"""

from __future__ import annotations

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
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digiindicators.config import snapshot_dir  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

USERS, ROUNDS, LOAD_SECONDS, REPEATS = 20, 25, 60.0, 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(cache_dir: str) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks/serve_for_bench.py"), "--port", str(port),
         "--cache-dir", cache_dir],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 120:
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                return process, url, time.perf_counter() - started
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the dashboard did not start within 120 s")


def first_view(url: str) -> tuple[int, int, list[dict]]:
    """Bytes on the wire for the first view, and the callback requests the page made."""
    callbacks: list[dict] = []
    sizes: list[int] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def on_request(request):
            if request.method == "POST" and "_dash-update-component" in request.url:
                callbacks.append(json.loads(request.post_data or "{}"))

        page.on("request", on_request)
        page.on(
            "requestfinished",
            lambda r: sizes.append(
                r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
            ),
        )
        page.goto(url + "/", wait_until="networkidle")
        page.wait_for_selector(".main-svg", timeout=30_000)
        first_bytes, first_requests = sum(sizes), len(sizes)
        for select in page.locator("main select").all():
            options = select.locator("option").all()
            if len(options) > 1:
                select.select_option(index=1)
                page.wait_for_load_state("networkidle")
        browser.close()
    return first_bytes, first_requests, callbacks


def callback_name(payload: dict) -> str:
    return str(payload.get("output", "?"))[:70]


def time_post(session: requests.Session, url: str, payload: dict) -> float:
    started = time.perf_counter()
    response = session.post(url + "/_dash-update-component", json=payload, timeout=30)
    elapsed = time.perf_counter() - started
    if response.status_code not in (200, 204):
        raise RuntimeError(f"{callback_name(payload)}: HTTP {response.status_code}")
    return elapsed


NOOP = {
    "output": "bench-noop-out.children",
    "outputs": {"id": "bench-noop-out", "property": "children"},
    "inputs": [{"id": "bench-noop-in", "property": "value", "value": 1}],
    "changedPropIds": ["bench-noop-in.value"],
}


def callback_ratios(
    url: str, callbacks: list[dict]
) -> tuple[float, list[tuple[str, float, float]]]:
    session = requests.Session()
    floor = statistics.median(time_post(session, url, NOOP) for _ in range(REPEATS))
    unique = {json.dumps(c, sort_keys=True): c for c in callbacks}.values()
    rows = []
    for payload in unique:
        median = statistics.median(time_post(session, url, payload) for _ in range(REPEATS))
        rows.append((callback_name(payload), median, median / floor))
    return floor, rows


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
                        status = session.post(
                            url + "/_dash-update-component", json=action, timeout=30
                        ).status_code
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


def main() -> None:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {python}")
    with tempfile.TemporaryDirectory() as empty:
        os.environ["DIGIINDICATORS_CACHE"] = empty
        process, url, cold = start_server(str(snapshot_dir()))
        try:
            idle_rss = rss_mib(process.pid)
            first_bytes, first_requests, callbacks = first_view(url)
            floor, rows = callback_ratios(url, callbacks)
            latencies, errors, total = load_test(url, callbacks)
            loaded_rss = rss_mib(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print("\nregion 17 (30 municipalities, embedded snapshot)")
    print(f"  cold start (process start → first page): {cold:.2f} s")
    print(f"  resident memory: {idle_rss:.0f} MiB after start, {loaded_rss:.0f} MiB after load")
    print(f"  first view: {first_bytes / 1e6:.2f} MB transferred in {first_requests} requests")
    print(f"  no-op callback floor: {floor * 1000:.1f} ms (median of {REPEATS})")
    for name, median, ratio in rows:
        print(f"  callback {name}: {median * 1000:.1f} ms = {ratio:.1f}x floor")
    print(
        f"  {USERS} concurrent users: {total} requests, p50 {percentile(latencies, 0.5) * 1000:.0f}"
        f" ms, p95 {percentile(latencies, 0.95) * 1000:.0f} ms, errors {errors}"
    )


if __name__ == "__main__":
    main()
