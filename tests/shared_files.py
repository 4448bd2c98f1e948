"""Where the workspace's shared research and reference files are (read in place, never
copied into the project).

The project checkout sits next to ``shared/`` (``…/main`` beside ``…/shared``), which is
how CI runs it. A clone made elsewhere (``git clone …/main /tmp/x``) finds the files
through ``DIGIINDICATORS_SHARED`` or, failing that, next to the checkout it was cloned
from (a local ``origin``). Every test module takes its paths from :data:`SHARED`, so the
rule lives in one place; ``conftest.py`` stops the run with this explanation when none of
these places has the files.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = "DIGIINDICATORS_SHARED"


def _local_origin() -> Path | None:
    """The checkout this one was cloned from, when ``origin`` is a local path."""
    try:
        url = subprocess.run(
            ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    url = url.removeprefix("file://")
    if not url or "://" in url or (":" in url.split("/")[0]):  # https://…, git@host:…
        return None
    path = Path(url)
    if not path.is_absolute():
        path = ROOT / path
    return path.resolve() if path.is_dir() else None


def candidates() -> list[Path]:
    """The places looked at, in order."""
    found = [Path(os.environ[ENV])] if os.environ.get(ENV) else []
    found.append(ROOT.parent / "shared")
    origin = _local_origin()
    if origin is not None:
        found.append(origin.parent / "shared")
    return found


def locate() -> Path:
    """The first candidate holding ``reference/``, else the first one (reads then fail
    naming it, and ``conftest.py`` explains)."""
    places = candidates()
    return next((p for p in places if (p / "reference").is_dir()), places[0])


SHARED = locate()
REFERENCE = SHARED / "reference"
SAMPLES = SHARED / "research" / "samples"
