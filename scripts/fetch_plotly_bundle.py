"""Download plotly.js's basic bundle (bar, pie, scatter) into dashboards/assets/vendor/.

The dashboard draws only bar and scatter traces, so this ≈ 0.4 MB (compressed) bundle
replaces Dash's full ≈ 1.4 MB plotly.js on the first view (dashboards/plotlyjs.py). It is
third-party code (MIT, © Plotly, Inc.), so it is fetched at install time — ``make``
runs this script — and never committed (the folder is in .gitignore).

The version follows the installed plotly package (``get_plotlyjs_version()``), and only a
version pinned below with its tarball's SHA-256 is accepted: a changed or tampered
tarball is refused. Without a network, or for an unpinned version, the script says so
and exits 0 — the dashboard then loads Dash's full bundle (``--strict`` exits 1 instead).
Run: ``.venv/bin/python scripts/fetch_plotly_bundle.py [--strict] [--force]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboards.plotlyjs import BUNDLE, MANIFEST, expected_version  # noqa: E402

PACKAGE = "plotly.js-basic-dist-min"
REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")
#: plotly.js version → SHA-256 of the npm tarball (checked by hand against the registry's
#: sha1 ``shasum`` and sha512 ``integrity`` when the pin was added).
PINNED = {
    "4.1.1": "ea907f854b6cec4f6a2fa71540ec019a21ed2c61e6a109ddd5c072103a96eed0",
}
MEMBERS = {"package/plotly-basic.min.js": BUNDLE.name, "package/LICENSE": "LICENSE"}
TIMEOUT = 30  # seconds
MAX_BYTES = 20 * 1024 * 1024


class FetchError(Exception):
    """The bundle could not be installed; the message says why."""


def tarball_url(version: str, registry: str = REGISTRY) -> str:
    return f"{registry}/{PACKAGE}/-/{PACKAGE}-{version}.tgz"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def up_to_date(version: str, target_dir: Path) -> bool:
    manifest, bundle = target_dir / MANIFEST.name, target_dir / BUNDLE.name
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        return meta.get("version") == version and meta.get("sha256") == sha256(
            bundle.read_bytes())
    except (OSError, ValueError):
        return False


def download(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "digiindicators-install"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            data = response.read(MAX_BYTES + 1)
    except OSError as exc:
        raise FetchError(f"could not download {url}: {exc}") from exc
    if len(data) > MAX_BYTES:
        raise FetchError(f"{url} is larger than {MAX_BYTES} bytes")
    return data


def install(tgz: bytes, version: str, target_dir: Path, source: str) -> Path:
    """Check ``tgz`` against the pin and write the bundle, its licence and a manifest."""
    want = PINNED.get(version)
    if want is None:
        raise FetchError(f"no pinned SHA-256 for {PACKAGE} {version}; add one to PINNED")
    got = sha256(tgz)
    if got != want:
        raise FetchError(f"{source}: SHA-256 {got} is not the pinned {want}; not installed")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as archive:
        for member, name in MEMBERS.items():
            info = archive.getmember(member)  # only these names are read; no extractall
            handle = archive.extractfile(info) if info.isfile() else None
            if handle is None:
                raise FetchError(f"{source}: {member} is not a regular file")
            files[name] = handle.read()
    header = files[BUNDLE.name][:200].decode("utf-8", "replace")
    if f"v{version}" not in header:
        raise FetchError(f"{source}: the bundle's header does not name version {version}")
    target_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"package": PACKAGE, "version": version, "source": source,
                "sha256_tarball": got, "sha256": sha256(files[BUNDLE.name]),
                "licence": "MIT, Copyright (c) Plotly, Inc. (see LICENSE)"}
    files[MANIFEST.name] = (json.dumps(manifest, indent=2) + "\n").encode()
    for name, data in files.items():  # the manifest last: it is what the app checks
        with tempfile.NamedTemporaryFile(dir=target_dir, delete=False) as tmp:
            tmp.write(data)
        os.chmod(tmp.name, 0o644)  # a temporary file is private; a web asset is not
        os.replace(tmp.name, target_dir / name)
    return target_dir / BUNDLE.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when not installed")
    parser.add_argument("--force", action="store_true", help="download even if up to date")
    parser.add_argument("--target", type=Path, default=BUNDLE.parent, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    version = expected_version()
    if not args.force and up_to_date(version, args.target):
        (args.target / BUNDLE.name).touch()  # make's target is newer than the venv now
        print(f"plotly.js basic bundle {version}: up to date in {args.target}")
        return 0
    url = tarball_url(version)
    try:
        if version not in PINNED:
            raise FetchError(f"no pinned SHA-256 for {PACKAGE} {version}; add one to PINNED")
        path = install(download(url), version, args.target, url)
    except FetchError as exc:
        print(f"plotly.js basic bundle not installed ({exc}); the dashboard will load "
              "Dash's full plotly.js instead (a larger first view).", file=sys.stderr)
        return 1 if args.strict else 0
    print(f"plotly.js basic bundle {version}: {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
