"""The cache directory: raw responses exactly as received, plus a manifest.

Layout::

    <cache>/manifest.json        what is stored: per source table, the query, URL,
                                 fetch time, the source's own `updated` stamp, blobs
    <cache>/manifest.json.bak    the previous manifest (used if the current one is corrupt)
    <cache>/blobs/ab/abcdef….gz  raw bodies, gzip-compressed, named by the SHA-256 of the
                                 uncompressed bytes (so corruption is detectable)
    <cache>/.lock                held by a running refresh

Every write goes to a temporary file that is fsynced and renamed over the target, and a
table's new blobs become visible only when the manifest that points to them is replaced.
An interrupted refresh, a full disk or a crash therefore leaves the previous manifest —
and the blobs it points to — intact and loadable.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import fcntl
import gzip
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import CacheLocked, StoreError

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _empty_manifest() -> dict[str, Any]:
    return {"format": FORMAT, "demo": False, "refreshed_at": None, "entries": {}}


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the cache from a dashboard service user
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if exc.errno == errno.ENOSPC:
            raise StoreError(
                f"Disk full while writing {path}. The previous data is untouched; free space "
                "and run the refresh again."
            ) from exc
        raise StoreError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def generation_blobs(generation: dict[str, Any]) -> list[str]:
    """Every blob a generation points to: its data parts and any ``*_blob`` (metadata,
    Sotkanet's region list, …), so that pruning and freshness checks see them all."""
    blobs = [part["blob"] for part in generation.get("parts", [])]
    blobs += [v for k, v in generation.items() if k.endswith("_blob") and isinstance(v, str)]
    return blobs


class Store:
    """A cache directory. Reading needs no lock; writing happens under :meth:`lock`."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.blob_dir = self.root / "blobs"
        self.manifest_path = self.root / MANIFEST
        self.recovered_from_backup = False

    # ---- manifest -------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The current manifest; falls back to the backup when the current one is corrupt."""
        if not self.manifest_path.exists():
            return _empty_manifest()
        try:
            return self._read_manifest(self.manifest_path)
        except StoreError as exc:
            backup = self.manifest_path.with_suffix(".json.bak")
            if backup.exists():
                log.error("%s; using the previous manifest %s", exc, backup)
                self.recovered_from_backup = True
                return self._read_manifest(backup)
            raise

    @staticmethod
    def _read_manifest(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StoreError(f"The cache manifest {path} is corrupt or unreadable: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT or "entries" not in data:
            raise StoreError(f"The cache manifest {path} is not a format-{FORMAT} manifest.")
        return data

    def has_data(self) -> bool:
        try:
            return bool(self.manifest()["entries"])
        except StoreError:
            return False

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically, keeping the current one as the backup."""
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        if self.manifest_path.exists():
            try:
                current = self.manifest_path.read_bytes()
                json.loads(current)
            except (OSError, json.JSONDecodeError):
                current = None  # never overwrite a good backup with a corrupt manifest
            if current is not None:
                atomic_write(self.manifest_path.with_suffix(".json.bak"), current)
        atomic_write(self.manifest_path, body)

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Read, change and write back the manifest (call under :meth:`lock`)."""
        manifest = copy.deepcopy(self.manifest())
        change(manifest)
        self.write_manifest(manifest)
        return manifest

    # ---- blobs ----------------------------------------------------------------------
    def _blob_path(self, digest: str) -> Path:
        return self.blob_dir / digest[:2] / f"{digest}.gz"

    def put_blob(self, data: bytes) -> str:
        """Store raw bytes; returns their SHA-256 (content addressing makes this idempotent)."""
        digest = hashlib.sha256(data).hexdigest()
        path = self._blob_path(digest)
        if not (path.exists() and self.blob_ok(digest)):  # rewrite a corrupt copy
            atomic_write(path, gzip.compress(data, compresslevel=6, mtime=0))
        return digest

    def get_blob(self, digest: str) -> bytes:
        """Raw bytes of a blob, verified against their hash."""
        path = self._blob_path(digest)
        try:
            data = gzip.decompress(path.read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise StoreError(f"Cached file {path} is missing or corrupt: {exc}") from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise StoreError(f"Cached file {path} is corrupt (checksum mismatch).")
        return data

    def blob_ok(self, digest: str) -> bool:
        try:
            self.get_blob(digest)
        except StoreError:
            return False
        return True

    def referenced_blobs(self, manifest: dict[str, Any] | None = None) -> set[str]:
        manifest = manifest or self.manifest()
        refs: set[str] = set()
        for entry in manifest["entries"].values():
            for generation in (entry.get("current"), entry.get("previous")):
                if generation:
                    refs.update(generation_blobs(generation))
        return refs

    def prune(self) -> int:
        """Delete blobs that no manifest generation references; returns how many."""
        refs = self.referenced_blobs()
        backup = self.manifest_path.with_suffix(".json.bak")
        if backup.exists():
            with contextlib.suppress(StoreError):
                refs |= self.referenced_blobs(self._read_manifest(backup))
        removed = 0
        if not self.blob_dir.exists():
            return 0
        for path in self.blob_dir.glob("*/*.gz"):
            if path.name.removesuffix(".gz") not in refs:
                path.unlink(missing_ok=True)
                removed += 1
        for leftover in self.blob_dir.glob("*/.*.tmp"):
            leftover.unlink(missing_ok=True)
        return removed

    # ---- locking --------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock for writers; a second refresh fails fast instead of waiting."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = open(self.root / ".lock", "a+")  # noqa: SIM115 - held for the block
        except OSError as exc:
            raise StoreError(f"Cannot create the cache directory {self.root}: {exc}") from exc
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise CacheLocked(
                    f"Another refresh is running on {self.root} (pid {holder}). Wait for it to "
                    "finish; nothing was changed."
                ) from exc
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            handle.close()
