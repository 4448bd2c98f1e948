"""`digiindicators export` writes the panel with its metadata, safely."""

import pandas as pd
from openpyxl import load_workbook

from digiindicators.cli import main


def test_export_csv_with_metadata_sidecar(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "empty"))  # → example snapshot
    out = tmp_path / "paneeli.csv"
    assert main(["export", str(out), "--only", "population"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads ä and ö
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert set(frame["indicator"]) == {"population"}
    assert "Kärsämäki" in set(frame["area_name"])
    meta = pd.read_csv(out.with_name("paneeli.metadata.csv"), encoding="utf-8-sig")
    values = dict(zip(meta["key"], meta["value"], strict=True))
    assert values["esimerkkiaineisto / example data"].startswith("KYLLÄ")
    assert "CC BY 4.0" in values["lisenssi / licence"]


def test_export_excel_has_metadata_sheet(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "empty"))
    out = tmp_path / "paneeli.xlsx"
    assert main(["export", str(out)]) == 0
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["data", "metadata"]
    header = next(book["data"].iter_rows(values_only=True))
    assert list(header) == [
        "indicator", "area_code", "area_level", "area_name", "year", "value",
        "status", "unit", "source", "lower", "upper",
    ]  # fmt: skip
    keys = [row[0] for row in book["metadata"].iter_rows(values_only=True)]
    assert "lähteet / sources" in keys


def test_export_refuses_unknown_format(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "empty"))
    assert main(["export", str(tmp_path / "x.json")]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err


def test_survey_check_command(tmp_path, capsys):
    from digiindicators.survey import example_file_path

    assert main(["survey", "check", str(example_file_path())]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01garbage\xff")
    assert main(["survey", "check", str(bad)]) == 2
