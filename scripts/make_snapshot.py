"""Rebuild cache/snapshot/: the embedded example data that works with no network.

The snapshot is produced by a real refresh (the same code path users run) against the
fake Statistics Finland PxWeb, THL Sotkanet and Statistics Finland WFS servers in
tests/fakes, whose numbers are synthetic (the boundary polygons are the National Land
Survey's 2023 borders that the fake WFS serves). The manifest is therefore marked
``demo: true``, every panel row's ``source`` starts with "ESIMERKKIAINEISTO", and the
dashboard shows a banner. The fakes' addresses are replaced by ``fake://`` names so that
no local port is committed. Run: ``make snapshot``.

``--region all --out DIR`` (or any maakunta number) builds the same kind of demo cache for
another region instead, against the fakes' country mode and the fake classification
service — e.g. the 308-municipality cache that ``benchmarks/dashboard.py --cache-dir``
measures. Those caches are not committed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import digiindicators as di  # noqa: E402
from digiindicators.config import Settings  # noqa: E402
from digiindicators.store import Store  # noqa: E402
from tests.fakes.classification_server import FakeClassifications  # noqa: E402
from tests.fakes.pxweb_server import FakePxWeb  # noqa: E402
from tests.fakes.sotkanet_server import FakeSotkanet  # noqa: E402
from tests.fakes.wfs_server import FakeWfs  # noqa: E402

TARGET = ROOT / "cache" / "snapshot"
#: The embedded snapshot must stay small enough to ship in the wheel.
MAX_BYTES = 1_000_000
DEMO_NOTE = (
    "Esimerkkiaineisto: synteettiset luvut testipalvelimilta (tests/fakes), ei todellisia "
    "tilastoja. Hae oikeat tiedot: digiindicators refresh."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--region", help="build a demo cache for this region instead")
    parser.add_argument("--out", type=Path, help="where to write it (with --region)")
    args = parser.parse_args(argv)
    if args.region and not args.out:
        parser.error("--region needs --out (only region 17's snapshot is committed)")
    country = bool(args.region)
    target = args.out or TARGET
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakePxWeb(max_calls=10_000, country=country) as pxweb,
        FakeSotkanet(country=country) as sotkanet,
        FakeWfs(country=country) as wfs,
        FakeClassifications() as key,
    ):
        work = Path(tmp) / "snapshot"
        settings = Settings.from_env(
            work,
            pxweb_url=pxweb.base_url,
            sotkanet_url=sotkanet.base_url,
            geo_url=wfs.base_url,
            classification_url=key.base_url,
            region=args.region or "17",
            # The committed snapshot uses the built-in area table (the offline fallback).
            sources=("classification",) * country + ("pxweb", "sotkanet", "geo"),
        )
        report = di.refresh(settings, progress=False)
        if report.exit_code:
            print(report.summary(), file=sys.stderr)
            return 1
        names = {
            pxweb.base_url: "fake://tests.fakes.pxweb_server",
            sotkanet.base_url: "fake://tests.fakes.sotkanet_server",
            wfs.base_url: "fake://tests.fakes.wfs_server",
            key.base_url: "fake://tests.fakes.classification_server",
        }

        def mark_demo(manifest):
            text = json.dumps(manifest["entries"], ensure_ascii=False)
            for url, name in names.items():
                text = text.replace(url, name)
            manifest["entries"] = json.loads(text)
            manifest["demo"] = True
            manifest["demo_note"] = DEMO_NOTE

        Store(work).update(mark_demo)
        for leftover in (".lock", "manifest.json.bak", "pxweb-calls.json"):
            (work / leftover).unlink(missing_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(work, target)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    print(f"Wrote {target} ({size / 1024:.0f} KiB)")
    if size > MAX_BYTES and not country:
        print(f"The snapshot is over {MAX_BYTES // 1000} kB; trim first_year in the catalog.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
