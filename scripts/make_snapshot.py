"""Rebuild cache/snapshot/: the embedded example data that works with no network.

The snapshot is produced by a real refresh (the same code path users run) against the
fake Statistics Finland PxWeb, THL Sotkanet and Statistics Finland WFS servers in
tests/fakes, whose numbers are synthetic (the boundary polygons are the National Land
Survey's 2023 borders that the fake WFS serves). The manifest is therefore marked
``demo: true``, every panel row's ``source`` starts with "ESIMERKKIAINEISTO", and the
dashboard shows a banner. The fakes' addresses are replaced by ``fake://`` names so that
no local port is committed. Run: ``make snapshot``.
"""

from __future__ import annotations

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


def main() -> int:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakePxWeb(max_calls=10_000) as pxweb,
        FakeSotkanet() as sotkanet,
        FakeWfs() as wfs,
    ):
        work = Path(tmp) / "snapshot"
        settings = Settings.from_env(
            work,
            pxweb_url=pxweb.base_url,
            sotkanet_url=sotkanet.base_url,
            geo_url=wfs.base_url,
            sources=("pxweb", "sotkanet", "geo"),
        )
        report = di.refresh(settings, progress=False)
        if report.exit_code:
            print(report.summary(), file=sys.stderr)
            return 1
        names = {
            pxweb.base_url: "fake://tests.fakes.pxweb_server",
            sotkanet.base_url: "fake://tests.fakes.sotkanet_server",
            wfs.base_url: "fake://tests.fakes.wfs_server",
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
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(work, TARGET)
    size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"Wrote {TARGET} ({size / 1024:.0f} KiB)")
    if size > MAX_BYTES:
        print(f"The snapshot is over {MAX_BYTES // 1000} kB; trim first_year in the catalog.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
