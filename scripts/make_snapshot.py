"""Rebuild cache/snapshot/: the embedded example data that works with no network.

The snapshot is produced by a real refresh (the same code path users run) against the
fake Statistics Finland server in tests/fakes, whose numbers are synthetic. The manifest
is therefore marked ``demo: true``, every panel row's ``source`` starts with
"ESIMERKKIAINEISTO", and the dashboard shows a banner. Run: ``make snapshot``.
"""

from __future__ import annotations

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

TARGET = ROOT / "cache" / "snapshot"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, FakePxWeb(max_calls=10_000) as fake:
        work = Path(tmp) / "snapshot"
        report = di.refresh(Settings.from_env(work, pxweb_url=fake.base_url), progress=False)
        if report.exit_code:
            print(report.summary(), file=sys.stderr)
            return 1

        def mark_demo(manifest):
            manifest["demo"] = True
            manifest["demo_note"] = (
                "Esimerkkiaineisto: synteettiset luvut testipalvelimelta (tests/fakes), ei "
                "todellisia tilastoja. Hae oikeat tiedot: digiindicators refresh."
            )
            for entry in manifest["entries"].values():
                for generation in (entry.get("current"), entry.get("previous")):
                    if generation:
                        generation["url"] = generation["url"].replace(
                            fake.base_url, "fake://tests.fakes.pxweb_server"
                        )

        Store(work).update(mark_demo)
        (work / ".lock").unlink(missing_ok=True)
        (work / "manifest.json.bak").unlink(missing_ok=True)
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(work, TARGET)
    size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"Wrote {TARGET} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
