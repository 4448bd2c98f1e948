"""The embedded snapshot: small, marked as example data, complete, and usable offline."""

from __future__ import annotations

import json

import digiindicators as di
from digiindicators.config import snapshot_dir


def test_snapshot_is_small_demo_and_has_every_indicator():
    root = snapshot_dir()
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert size < 1_000_000
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["demo"] is True and "127.0.0.1" not in json.dumps(manifest)
    assert set(manifest["entries"]) == set(di.load_catalog().jobs_for())
    panel = di.load(root)
    assert panel.attrs["demo"] and not panel.attrs["missing"] and not panel.attrs["stale"]
    assert set(panel["indicator"]) == set(di.load_catalog().ids)
    assert panel["source"].str.startswith("ESIMERKKIAINEISTO").all()
    assert list(panel.columns) == list(di.COLUMNS)
    layer = di.boundaries(root)
    assert len(layer["features"]) == 30
