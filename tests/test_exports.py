"""Safe CSV/Excel exports: formula injection is neutralised, numbers stay numbers."""

from __future__ import annotations

import codecs
import csv
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from digiindicators.exports import safe_cell, safe_frame, write_csv, write_excel

PAYLOADS = ["=HYPERLINK(\"http://x\",\"klikkaa\")", "+1+1", "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_safe_cell_prefixes_formula_starts(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [
    -5, -1.5, 0, 3.25, np.float64(-2.5), np.int64(-7), True, None, float("nan"),
    "Oulu", "Pyhäjärvi – Kärsämäki", "", " =tekstiä välilyönnin jälkeen", "-5", "-1,5", "+358",
    "1e-3",
])
def test_safe_cell_leaves_harmless_values(value):
    result = safe_cell(value)
    assert result is value or (isinstance(value, float) and math.isnan(result))


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "area_name": ["Oulu", "=1+1", "Ii"],
        "note": ["@komento", "-cmd|calc", None],
        "value": [-5.0, 12.5, float("nan")],
        "count": [-3, 0, 7],
        "=otsikko": ["a", "b", "c"],
    })


def read_back(path, sep) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=sep))


@pytest.mark.parametrize(("sep", "decimal"), [(",", "."), (";", ",")])
def test_write_csv_neutralises_and_keeps_numbers(tmp_path, sep, decimal):
    path = write_csv(frame(), tmp_path / "paneeli.csv", sep=sep, decimal=decimal)
    rows = read_back(path, sep)

    assert rows[0] == ["area_name", "note", "value", "count", "'=otsikko"]
    assert rows[1] == ["Oulu", "'@komento", f"-5{decimal}0", "-3", "a"]
    assert rows[2][:2] == ["'=1+1", "'-cmd|calc"]
    assert rows[3][:3] == ["Ii", "", ""]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paneeli.csv"]  # no temp file left


def test_write_csv_does_not_change_the_frame(tmp_path):
    original = frame()
    write_csv(original, tmp_path / "p.csv")
    pd.testing.assert_frame_equal(original, frame())


def test_safe_frame_handles_pandas_string_dtype():
    df = pd.DataFrame({"name": pd.Series(["=x", "ok", None], dtype="string")})
    assert safe_frame(df)["name"].tolist()[:2] == ["'=x", "ok"]


def test_write_excel_has_no_formulas_and_a_metadata_sheet(tmp_path):
    df = frame()
    df["note"] = ["@komento", "-cmd|calc", "ohjaus\x07merkki"]
    metadata = {"source": "=HYPERLINK(\"http://x\")", "kunnat": ["Oulu", "Ii"], "year": 2023}
    path = write_excel(df, tmp_path / "paneeli.xlsx", metadata)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data", "metadata"]
    data = book["data"]
    cells = [cell for row in data.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert [c.value for c in data[1]] == ["area_name", "note", "value", "count", "'=otsikko"]
    assert [c.value for c in data[2]] == ["Oulu", "'@komento", -5, -3, "a"]
    assert data["B3"].value == "'-cmd|calc" and data["A3"].value == "'=1+1"
    assert data["C2"].data_type == "n" and data["D2"].value == -3
    assert data["C4"].value is None  # NaN → empty cell
    assert data["B4"].value == "ohjausmerkki"  # characters XML cannot hold are dropped

    meta = {row[0].value: row[1].value for row in book["metadata"].iter_rows(min_row=2)}
    assert meta["source"] == "'=HYPERLINK(\"http://x\")"
    assert meta["kunnat"] == "Oulu, Ii" and meta["year"] == 2023 and meta["rows"] == 3
    assert not any(c.data_type == "f" for row in book["metadata"].iter_rows() for c in row)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paneeli.xlsx"]


def test_write_excel_replaces_an_existing_file(tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"vanha")
    write_excel(frame(), path)
    assert openpyxl.load_workbook(path).sheetnames == ["data", "metadata"]


def test_control_character_cannot_hide_a_formula(tmp_path):
    df = pd.DataFrame({"x": ["\x01=1+1"]})
    book = openpyxl.load_workbook(write_excel(df, tmp_path / "p.xlsx"))
    assert book["data"]["A2"].value == "'=1+1"
