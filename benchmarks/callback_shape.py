"""What Dash itself costs per callback shape: inputs and outputs, listed or pattern-matched.

Why: the index page's callback has 19 inputs and 14 outputs (seven of each are the weight
inputs). One proposal for making a never-asked weight set's answer cheaper was to turn
the seven weights into one pattern-matching (``ALL``) input and output. This measures
what that would save, on callbacks that do nothing but return, so only Dash's own
request handling is timed: the request body parsed, the inputs grouped, the outputs
checked and the answer serialised.

Shapes (in → out), each answered through Flask's test client in this process:

* ``1 → 1``: the no-op floor the dashboard benchmark divides by;
* ``19 → 14``: the index callback's shape, every input and output listed;
* ``12 → 7``: the same without the seven weights (the least any design could need);
* ``5 + ALL(7) → 6 + ALL(7)``: the weights as one pattern-matching input and output.

Prints the median time of each and its ratio to the floor; ``--repeats`` sets how many
requests each median is taken over.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import dash
from dash import ALL, Input, Output, html

WEIGHTS = 7


def _listed(app: dash.Dash, tag: str, n_in: int, n_out: int) -> dict[str, Any]:
    """A do-nothing callback with ``n_in`` listed inputs and ``n_out`` listed outputs, and
    the body Dash's renderer posts for it."""
    outputs = [Output(f"{tag}-out-{i}", "children") for i in range(n_out)]
    inputs = [Input(f"{tag}-in-{i}", "value") for i in range(n_in)]

    @app.callback(*outputs, *inputs)
    def answer(*_values: Any) -> Any:
        return 1 if n_out == 1 else (*[dash.no_update] * (n_out - 1), 1)

    out_ids = [{"id": f"{tag}-out-{i}", "property": "children"} for i in range(n_out)]
    return {
        "output": (f"{tag}-out-0.children" if n_out == 1 else
                   ".." + "...".join(f"{o['id']}.children" for o in out_ids) + ".."),
        "outputs": out_ids[0] if n_out == 1 else out_ids,
        "inputs": [{"id": f"{tag}-in-{i}", "property": "value", "value": i}
                   for i in range(n_in)],
        "changedPropIds": [f"{tag}-in-0.value"],
    }


def _matched(app: dash.Dash, tag: str) -> dict[str, Any]:
    """Five listed inputs and six listed outputs plus the weights as one ``ALL`` input
    and output, and the body the renderer posts for it."""
    kind = f"{tag}-weight"

    @app.callback(*[Output(f"{tag}-out-{i}", "children") for i in range(6)],
                  Output({"type": kind, "id": ALL}, "value"),
                  *[Input(f"{tag}-in-{i}", "value") for i in range(5)],
                  Input({"type": kind, "id": ALL}, "value"))
    def answer(*_values: Any) -> Any:
        return (*[dash.no_update] * 5, 1, [dash.no_update] * WEIGHTS)

    weight_ids = [{"id": f"w{j}", "type": kind} for j in range(WEIGHTS)]
    pattern = json.dumps({"id": ["ALL"], "type": kind}, separators=(",", ":"))
    listed = [f"{tag}-out-{i}.children" for i in range(6)]
    return {
        "output": ".." + "...".join([*listed, f"{pattern}.value"]) + "..",
        "outputs": [*({"id": f"{tag}-out-{i}", "property": "children"} for i in range(6)),
                    [{"id": w, "property": "value"} for w in weight_ids]],
        "inputs": [*({"id": f"{tag}-in-{i}", "property": "value", "value": i}
                     for i in range(5)),
                   [{"id": w, "property": "value", "value": 1} for w in weight_ids]],
        "changedPropIds": [f"{tag}-in-0.value"],
    }


def measure(repeats: int = 2000) -> dict[str, float]:
    """Median milliseconds per request of each shape (every request must answer 200)."""
    app = dash.Dash(__name__)
    app.layout = html.Div()
    bodies = {
        "1 → 1 (floor)": _listed(app, "floor", 1, 1),
        "19 → 14 (the index callback)": _listed(app, "index", 19, 14),
        "12 → 7 (without the weights)": _listed(app, "bare", 12, 7),
        "5 + ALL(7) → 6 + ALL(7)": _matched(app, "matched"),
    }
    client = app.server.test_client()
    times: dict[str, list[float]] = {name: [] for name in bodies}
    for _ in range(repeats):  # interleaved: a drift of the machine meets every shape
        for name, body in bodies.items():
            started = time.perf_counter()
            response = client.post("/_dash-update-component", json=body)
            times[name].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{name}: HTTP {response.status_code} "
                                   f"{response.get_data(as_text=True)[:200]}")
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    args = parser.parse_args()
    medians = measure(args.repeats)
    floor = next(iter(medians.values()))
    print(f"Dash's own cost per callback shape (median of {args.repeats}, in-process):")
    for name, ms in medians.items():
        print(f"  {name:32s} {ms:.3f} ms  {ms / floor:.2f}× the floor  "
              f"(+{ms - floor:.3f} ms)")


if __name__ == "__main__":
    main()
