"""Shared fixtures: fake servers on 127.0.0.1 and settings that point at them."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from digiindicators.config import Settings
from tests.fakes.pxweb_server import FakePxWeb

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Any connection attempt outside 127.0.0.1 fails the test loudly."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and not (host.startswith("/") or host.startswith("\0"))
        ):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def fake_pxweb():
    """A fresh fake StatFin with generous limits (tests that test limits set their own)."""
    with FakePxWeb(max_calls=10_000, time_window=60) as fake:
        yield fake


def settings_for(fake: FakePxWeb, cache_dir: Path, **overrides) -> Settings:
    """Settings that talk to a fake server, with short timeouts and backoff."""
    values = dict(pxweb_url=fake.base_url, timeout=1.0, backoff=0.01, max_retries=3)
    values.update(overrides)
    return Settings.from_env(cache_dir, **values)


@pytest.fixture
def settings(fake_pxweb, tmp_path):
    return settings_for(fake_pxweb, tmp_path / "cache")
