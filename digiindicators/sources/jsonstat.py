"""json-stat2 → long DataFrame with codes, value and the status symbol of every cell.

Statistics Finland puts its suppression symbols (``.``, ``..``, ``...``) in ``status``
for cells whose value is ``null``; losing them would turn "confidential" into
"missing". pyjstat decodes json-stat2 but drops ``status`` and builds the frame one row
at a time (4 s for the 100 000 cells of one population table, measured in
``benchmarks/refresh.py``), so the default engine decodes the row-major cube with numpy
and pyjstat remains available as ``engine="pyjstat"`` and as the reference the tests
compare against. Either way the symbols are attached by flat position.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pyjstat import pyjstat

from ..errors import MalformedResponse


@dataclass(frozen=True)
class JsonStatData:
    """A decoded dataset: one row per cell, dimension codes as columns."""

    frame: pd.DataFrame  # dimension-id columns (str codes) + value (float) + status (str)
    dimensions: tuple[str, ...]
    updated: str | None = None
    source: str | None = None
    label: str | None = None
    table_id: str | None = None
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: dimension → code → label; survey tables are only readable through their labels
    #: (the sutivi age groups have codes 1…7 and labels "16-24"…).
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


def check_jsonstat2(body: bytes) -> dict[str, Any]:
    """Parse and validate the structure; raise :class:`MalformedResponse` when broken.

    A 200 response can still be an HTML error page or a body cut short in transit, so
    the size of ``value`` is checked against the product of ``size``.
    """
    try:
        obj = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedResponse(
            f"the json-stat2 body ({len(body)} bytes) is not JSON: {exc}"
        ) from exc
    if not isinstance(obj, dict) or obj.get("class") != "dataset":
        raise MalformedResponse(
            "the body is JSON but not a json-stat2 dataset (no class 'dataset')"
        )
    for key in ("id", "size", "dimension", "value"):
        if key not in obj:
            raise MalformedResponse(f"the json-stat2 dataset has no {key!r}")
    expected = math.prod(obj["size"])
    values = obj["value"]
    if isinstance(values, list) and len(values) != expected:
        raise MalformedResponse(
            f"the json-stat2 dataset has {len(values)} values but its size says {expected}"
        )
    return obj


def _index_codes(dimension: dict[str, Any]) -> list[str]:
    index = dimension["category"]["index"]
    if isinstance(index, list):
        return list(index)
    return [code for code, _ in sorted(index.items(), key=lambda item: item[1])]


def _decode_numpy(obj: dict[str, Any], dims: list[str]) -> pd.DataFrame:
    """Row-major decode: the last dimension varies fastest (json-stat2 §value)."""
    sizes = [int(s) for s in obj["size"]]
    total = math.prod(sizes)
    columns: dict[str, Any] = {}
    for i, dim in enumerate(dims):
        codes = np.asarray(_index_codes(obj["dimension"][dim]), dtype=object)
        inner, outer = math.prod(sizes[i + 1 :]), math.prod(sizes[:i])
        columns[dim] = np.tile(np.repeat(codes, inner), outer)
    values = obj["value"]
    if isinstance(values, dict):  # sparse form: {"flat index": value}
        dense = np.full(total, np.nan)
        for position, value in values.items():
            dense[int(position)] = np.nan if value is None else value
        columns["value"] = dense
    else:
        columns["value"] = np.array(values, dtype=float)
    return pd.DataFrame(columns)


def _decode_pyjstat(obj: dict[str, Any], dims: list[str]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        frame = pyjstat.Dataset.read(json.dumps(obj)).write("dataframe", naming="id")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    for dim in dims:
        frame[dim] = frame[dim].astype(str)
    _check_row_major(frame, obj, dims)
    return frame


def parse_jsonstat2(body: bytes | dict[str, Any], *, engine: str = "numpy") -> JsonStatData:
    """Decode a json-stat2 body (bytes as received, or an already checked dict)."""
    obj = body if isinstance(body, dict) else check_jsonstat2(body)
    dims: list[str] = list(obj["id"])
    if engine == "numpy":
        frame = _decode_numpy(obj, dims)
    elif engine == "pyjstat":
        frame = _decode_pyjstat(obj, dims)
    else:
        raise ValueError(f"Unknown json-stat2 engine {engine!r} (numpy or pyjstat).")
    status = np.full(len(frame), "", dtype=object)
    raw_status = obj.get("status") or {}
    if isinstance(raw_status, list):
        status[:] = [s or "" for s in raw_status]
    else:
        for position, symbol in raw_status.items():
            status[int(position)] = symbol or ""
    frame["status"] = status
    extension = (obj.get("extension") or {}).get("px") or {}
    metric = (obj.get("role") or {}).get("metric") or []
    units = {}
    for dim in metric:
        units.update(obj["dimension"][dim]["category"].get("unit") or {})
    return JsonStatData(
        frame=frame.reset_index(drop=True),
        dimensions=tuple(dims),
        updated=obj.get("updated"),
        source=obj.get("source"),
        label=obj.get("label"),
        table_id=extension.get("tableid"),
        units=units,
        labels={
            dim: {
                str(k): str(v)
                for k, v in (obj["dimension"][dim]["category"].get("label") or {}).items()
            }
            for dim in dims
        },
    )


def _check_row_major(frame: pd.DataFrame, obj: dict[str, Any], dims: list[str]) -> None:
    """The status symbols are matched by position, so the order must be the spec's."""
    if frame.empty:
        return
    sizes = obj["size"]
    codes = [_index_codes(obj["dimension"][d]) for d in dims]
    for position in {0, len(frame) // 2, len(frame) - 1}:
        rest = position
        expected = []
        for size, dim_codes in zip(reversed(sizes), reversed(codes), strict=True):
            expected.append(dim_codes[rest % size])
            rest //= size
        expected.reverse()
        actual = [frame.iloc[position][d] for d in dims]
        if actual != expected:
            raise MalformedResponse(
                "json-stat2 decoding lost the row-major order; status symbols cannot be placed"
            )
