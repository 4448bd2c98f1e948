"""The store keeps the last good data through every failure."""

import json

import pytest

from digiindicators.errors import CacheLocked, StoreError
from digiindicators.store import Store, atomic_write
from tests.helpers import full_disk


def test_blob_round_trip_and_corruption_detected(tmp_path):
    store = Store(tmp_path)
    digest = store.put_blob(b'{"a": 1}')
    assert store.get_blob(digest) == b'{"a": 1}'
    path = next((tmp_path / "blobs").glob("*/*.gz"))
    path.write_bytes(b"not gzip")
    assert not store.blob_ok(digest)
    with pytest.raises(StoreError, match="corrupt"):
        store.get_blob(digest)


def test_manifest_update_keeps_backup_and_recovers_from_corruption(tmp_path):
    store = Store(tmp_path)
    store.update(lambda m: m["entries"].__setitem__("a", {"v": 1}))
    store.update(lambda m: m["entries"].__setitem__("a", {"v": 2}))
    (tmp_path / "manifest.json").write_text("{ truncated", encoding="utf-8")
    recovered = Store(tmp_path)
    assert recovered.manifest()["entries"]["a"] == {"v": 1}
    assert recovered.recovered_from_backup


def test_corrupt_manifest_without_backup_is_a_clear_error(tmp_path):
    (tmp_path / "manifest.json").write_text("[]", encoding="utf-8")
    with pytest.raises(StoreError, match="manifest"):
        Store(tmp_path).manifest()


def test_full_disk_leaves_previous_file_and_no_temp_files(tmp_path):
    target = tmp_path / "manifest.json"
    atomic_write(target, b'{"old": true}')
    with full_disk(), pytest.raises(StoreError, match="Disk full"):
        atomic_write(target, b'{"new": true}')
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_second_writer_fails_fast_with_lock_message(tmp_path):
    store = Store(tmp_path)
    with store.lock(), pytest.raises(CacheLocked, match="Another refresh"), Store(tmp_path).lock():
        pass
    with store.lock():  # released: can be taken again
        pass


def test_prune_keeps_referenced_generations(tmp_path):
    store = Store(tmp_path)
    keep_current = store.put_blob(b"current")
    keep_previous = store.put_blob(b"previous")
    orphan = store.put_blob(b"orphan")
    store.update(
        lambda m: m["entries"].__setitem__(
            "t",
            {
                "current": {"parts": [{"blob": keep_current}]},
                "previous": {"parts": [{"blob": keep_previous}]},
            },
        )
    )
    assert store.prune() == 1
    assert store.blob_ok(keep_current) and store.blob_ok(keep_previous)
    assert not store.blob_ok(orphan)
