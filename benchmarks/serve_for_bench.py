"""Serve the dashboard for benchmarks/dashboard.py: the real app plus one no-op callback.

The no-op callback is the floor a Dash request cannot go below on this server (routing,
JSON decoding, the callback machinery); every real callback is reported as a ratio to it.
Run by the benchmark as a subprocess so cold start and resident memory are the server's own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cache-dir", required=True)
    args = parser.parse_args()

    import waitress
    from dash import Input, Output

    import digiindicators as di
    from dashboards.app import DataInfo, create_app

    panel = di.load(args.cache_dir)
    info = DataInfo(
        demo=bool(panel.attrs.get("demo")),
        refreshed_at=panel.attrs.get("refreshed_at"),
        cache_dir=args.cache_dir,
    )
    app = create_app(panel, info=info)

    @app.callback(Output("bench-noop-out", "children"), Input("bench-noop-in", "value"))
    def noop(value):  # the floor: no work at all
        return value

    print("READY", flush=True)
    waitress.serve(app.server, host="127.0.0.1", port=args.port, threads=8, _quiet=True)


if __name__ == "__main__":
    main()
