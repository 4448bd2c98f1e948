"""Shared fixtures: fake servers on 127.0.0.1 and settings that point at them."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

import digiindicators as di
from digiindicators.config import Settings
from digiindicators.fetch import geo as fetch_geo
from tests.fakes.classification_server import FakeClassifications
from tests.fakes.pxweb_server import FakePxWeb
from tests.fakes.sotkanet_server import FakeSotkanet
from tests.fakes.wfs_server import FakeWfs
from tests.shared_files import ENV, REFERENCE, candidates

#: The fake WFS publishes 2023–2026; the refresh starts from "this year", pinned here so
#: the tests mean the same thing in 2028.
LAYER_YEAR = 2026


def pytest_sessionstart(session):
    """Without the shared reference files half the suite cannot run: say where they were
    looked for and how to point at them, instead of a FileNotFoundError per module."""
    if not REFERENCE.is_dir():
        looked = ", ".join(str(p) for p in candidates())
        pytest.exit(f"The shared reference files were not found (looked in {looked}). "
                    f"Set {ENV} to the workspace's shared/ directory.", returncode=2)


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


@pytest.fixture(autouse=True)
def _pin_layer_year(monkeypatch):
    monkeypatch.setattr(fetch_geo, "current_year", lambda: LAYER_YEAR)


@pytest.fixture
def fake_pxweb():
    """A fresh fake StatFin with generous limits (tests that test limits set their own)."""
    with FakePxWeb(max_calls=10_000, time_window=60) as fake:
        yield fake


@pytest.fixture
def fake_sotkanet():
    with FakeSotkanet() as fake:
        yield fake


@pytest.fixture
def fake_wfs():
    with FakeWfs() as fake:
        yield fake


@pytest.fixture
def fake_classifications():
    """The fake Statistics Finland classification service (years 2024–2026)."""
    with FakeClassifications() as fake:
        yield fake


def settings_for(
    fake: FakePxWeb,
    cache_dir: Path,
    *,
    sotkanet: FakeSotkanet | None = None,
    wfs: FakeWfs | None = None,
    classification: FakeClassifications | None = None,
    **overrides,
) -> Settings:
    """Settings that talk to fake servers, with short timeouts and backoff.

    Only the sources given a fake are enabled, so a test about one source never reaches
    for the real address of another.
    """
    values = dict(pxweb_url=fake.base_url, timeout=1.0, backoff=0.01, max_retries=3)
    sources = ["pxweb"]
    if classification is not None:
        values["classification_url"] = classification.base_url
        sources.append("classification")
    if sotkanet is not None:
        values["sotkanet_url"] = sotkanet.base_url
        sources.append("sotkanet")
    if wfs is not None:
        values["geo_url"] = wfs.base_url
        sources.append("geo")
    values["sources"] = tuple(sources)
    values.update(overrides)
    return Settings.from_env(cache_dir, **values)


@pytest.fixture
def settings(fake_pxweb, fake_sotkanet, fake_wfs, fake_classifications, tmp_path):
    """Every source, each on its fake."""
    return settings_for(
        fake_pxweb,
        tmp_path / "cache",
        sotkanet=fake_sotkanet,
        wfs=fake_wfs,
        classification=fake_classifications,
    )


@pytest.fixture(scope="session")
def refreshed_template(tmp_path_factory):
    """A cache after one full refresh of every source against fresh fakes.

    The fakes are deterministic, so a copy of it is up to date for any new fake: tests of
    what a *second* refresh does start from a copy instead of paying a first refresh.
    """
    root = tmp_path_factory.mktemp("template") / "cache"
    with (
        pytest.MonkeyPatch.context() as patch,
        FakePxWeb(max_calls=10_000, time_window=60) as px,
        FakeSotkanet() as sk,
        FakeWfs() as wfs,
        FakeClassifications() as key,
    ):
        patch.setattr(fetch_geo, "current_year", lambda: LAYER_YEAR)
        settings = settings_for(px, root, sotkanet=sk, wfs=wfs, classification=key)
        report = di.refresh(settings, progress=False)
    assert report.exit_code == 0, report.summary()
    return root


@pytest.fixture(scope="session")
def baseline_panel(refreshed_template):
    """The panel of the template cache (read-only: copy before changing it)."""
    return di.load(refreshed_template)


@pytest.fixture
def refreshed(refreshed_template, settings):
    """``settings`` (every source on its fake) whose cache already holds a full refresh."""
    shutil.copytree(refreshed_template, settings.cache_dir)
    return settings


# ---- the dashboard on the synthetic test panel ---------------------------------------------
@pytest.fixture(scope="module")
def demo_app():
    """The dashboard on the synthetic test panel, built once per test module."""
    from tests.panel_factory import make_app

    return make_app(demo=True)


@pytest.fixture()
def fresh_ctx(demo_app):
    """That app's context with every cache emptied: each test starts from nothing rendered."""
    demo_app.digi_ctx.clear_caches()
    return demo_app.digi_ctx
