"""Helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


class _FullDiskFile:
    """A file object whose every write fails as on a full disk; closing closes the real one."""

    def __init__(self, fh):
        self.fh = fh

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


@contextmanager
def full_disk() -> Iterator[None]:
    """Inside the block, files opened through ``os.fdopen`` (the store's atomic writes)
    fail every write with ENOSPC."""
    real_fdopen = os.fdopen
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("os.fdopen", lambda fd, mode: _FullDiskFile(real_fdopen(fd, mode)))
        yield
