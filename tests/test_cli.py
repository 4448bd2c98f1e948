"""Exit codes of the command line, as schedulers rely on them."""

import subprocess
import sys

import pytest

from digiindicators.cli import main


@pytest.fixture
def env(fake_pxweb, fake_sotkanet, fake_wfs, fake_classifications, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGIINDICATORS_CLASSIFICATION_URL", fake_classifications.base_url)
    monkeypatch.setenv("DIGIINDICATORS_PXWEB_URL", fake_pxweb.base_url)
    monkeypatch.setenv("DIGIINDICATORS_SOTKANET_URL", fake_sotkanet.base_url)
    monkeypatch.setenv("DIGIINDICATORS_GEO_URL", fake_wfs.base_url)
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DIGIINDICATORS_MAX_RETRIES", "1")
    return tmp_path / "cache"


def test_refresh_all_fresh_exits_0(env, capsys):
    assert main(["refresh", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "tables fetched 6" in out and "HTTP calls" in out  # 5 StatFin tables + sutivi
    assert "indicators fetched 2" in out and "layers fetched 1" in out
    assert main(["refresh", "--no-progress"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_refresh_with_a_failing_source_exits_1_and_names_it(env, fake_pxweb, capsys):
    fake_pxweb.inject("400", path_contains="14ww", method="POST")
    assert main(["refresh", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "FAILED pxweb:StatFin/tjt/14ww.px" in out and "median_income" in out


def test_refresh_when_the_server_is_down_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGIINDICATORS_PXWEB_URL", "http://127.0.0.1:9/PXWeb/api/v1")
    monkeypatch.setenv("DIGIINDICATORS_SOTKANET_URL", "http://127.0.0.1:9/rest")
    monkeypatch.setenv("DIGIINDICATORS_GEO_URL", "http://127.0.0.1:9/geoserver/wfs")
    monkeypatch.setenv("DIGIINDICATORS_CLASSIFICATION_URL", "http://127.0.0.1:9/v2")
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path))
    monkeypatch.setenv("DIGIINDICATORS_MAX_RETRIES", "0")
    assert main(["refresh", "--no-progress"]) == 1
    assert "previous data kept" in capsys.readouterr().out


def test_if_online_skips_quietly_when_nothing_answers(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGIINDICATORS_PXWEB_URL", "http://127.0.0.1:9/PXWeb/api/v1")
    assert main(["refresh", "--cache-dir", str(tmp_path), "--if-online", "1"]) == 0
    assert "skipped" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["refresh", "--only", "no_such_indicator"], ["refresh", "--bogus"], [], ["nonsense"]],
)
def test_usage_errors_exit_2(env, argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err


def test_refresh_only_some_indicators(env, fake_pxweb):
    assert main(["refresh", "--no-progress", "--only", "median_income"]) == 0
    assert {r.path.rsplit("/", 1)[-1] for r in fake_pxweb.data_requests()} == {"14ww.px"}


def test_status_lists_sources_and_staleness(env, fake_pxweb, capsys):
    main(["refresh", "--no-progress"])
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "pxweb:StatFin/vaerak/11re.px" in out and "share_75plus" in out
    fake_pxweb.set_updated("12r5", "2026-12-01T00:00:00")
    fake_pxweb.inject("500", path_contains="12r5", method="POST", times=10)
    main(["refresh", "--no-progress"])
    capsys.readouterr()
    assert main(["status"]) == 1
    assert "HTTP 500" in capsys.readouterr().out


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "digiindicators.cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "digiindicators" in result.stdout


def test_a_bad_sources_setting_is_a_configuration_error(env, monkeypatch, capsys):
    monkeypatch.setenv("DIGIINDICATORS_SOURCES", "pxweb,statfin")
    assert main(["refresh", "--no-progress"]) == 2
    assert "Unknown source(s) statfin" in capsys.readouterr().err
