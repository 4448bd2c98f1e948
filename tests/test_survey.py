"""Survey reading, validation, aggregation and suppression on real files built in tmp_path."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import math
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from digiindicators.areas import areas
from digiindicators.errors import SurveyError, UnknownArea
from digiindicators.survey import (
    PANEL_COLUMNS,
    SurveySpec,
    check_survey_file,
    default_spec_path,
    example_file_path,
    load_spec,
    read_survey,
)

SPEC_TOML = """
[survey]
id = "testi"
year = 2024
kind = "organisation"
municipality_column = "Kunta"
role_column = "Tehtävä"
title = { fi = "Testikysely äö", sv = "Testenkät Å" }

[suppression]
publish_municipal = true
min_units_region = 2

[scales.kylla_ei]
answers = { "Kyllä" = 1, "Jossain määrin" = 0.5, "Ei" = 0 }
missing = ["En osaa sanoa"]

[[questions]]
id = "tarjoaa"
type = "scale"
scale = "kylla_ei"
column = "Tarjoaako kunta digitukea?"
title = { fi = "Kunta tarjoaa digitukea" }

[[questions]]
id = "yhteyshenkilo"
type = "yesno"
column = "Yhteyshenkilö nimetty?"
title = { fi = "Yhteyshenkilö nimetty" }

[[questions]]
id = "muodot"
type = "multi"
column = "Digituen muodot"
delimiter = "|"
title = { fi = "Digituen muodot" }
options = [
  { id = "lahituki", label = "Lähituki", title = { fi = "Lähituki" } },
  { id = "etatuki", label = "Etätuki", title = { fi = "Etätuki" } },
  { id = "koulutus", label = "Koulutus", title = { fi = "Koulutus" } },
]

[[questions]]
id = "antajat"
type = "multi"
title = { fi = "Digitukea antavat" }
options = [
  { id = "kirjasto", column = "Antaja: Kirjasto", title = { fi = "Kirjasto" } },
  { id = "jarjestot", column = "Antaja: Järjestöt", title = { fi = "Järjestöt" } },
]

[[questions]]
id = "htv"
type = "number"
column = "Työaika (htv)"
unit = "htv"
min = 0

title = { fi = "Työaika" }

[[questions]]
id = "avoin"
type = "open"
column = "Åtgärdsförslag / kehittämisehdotukset"
title = { fi = "Kehittämisehdotukset" }
"""

HEADER = ["Kunta", "Tehtävä", "Tarjoaako kunta digitukea?", "Yhteyshenkilö nimetty?",
          "Digituen muodot", "Antaja: Kirjasto", "Antaja: Järjestöt", "Työaika (htv)",
          "Åtgärdsförslag / kehittämisehdotukset"]
GOOD_ROWS = [
    ["Oulun kaupunki", "Digituen yhteyshenkilö", "Kyllä", "Kyllä", "Lähituki|Etätuki", "1", "",
     "1,5", "Åbo Akademin kanssa yhteistyötä"],
    ["Uleåborg", "Hyvinvointikoordinaattori", "Ei", "Ei", "Koulutus", "", "x", "0,5", ""],
    ["Kärsämäki", "Digituen yhteyshenkilö", "Jossain määrin", "En osaa sanoa", "", "", "", "",
     "Lisää resursseja, ä ö"],
    [" Kempele ", "Digituen yhteyshenkilö", "Ei", "Kyllä", "Koulutus", "", "1", "0", ""],
    ["ii", "Hyvinvointikoordinaattori", "Kyllä", "Ei", "Lähituki", "1", "1", "2", ""],
]
EXPECTED_CODES = ["KU564", "KU564", "KU317", "KU244", "KU139"]


def make_spec(**changes) -> SurveySpec:
    """The test spec, with [section] keys replaced: make_spec(survey={"kind": "person"})."""
    data = tomllib.loads(SPEC_TOML)
    for section, values in changes.items():
        data[section] = {**data.get(section, {}), **values}
    return SurveySpec.from_dict(data, origin="test")


def write_csv(path: Path, rows: list[list[str]], *, header=HEADER, encoding="utf-8",
              sep=";") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, header=HEADER, sheet="Vastaukset",
               before: str | None = None) -> Path:
    book = openpyxl.Workbook()
    if before:
        book.active.title = before
        book.active["A1"] = "Ohjeet ja taustatiedot"
        sheet_ = book.create_sheet(sheet)
    else:
        sheet_ = book.active
        sheet_.title = sheet
    sheet_.append(header)
    for row in rows:
        sheet_.append(row)
    book.save(path)
    return path


def problems_of(result, code: str) -> pd.DataFrame:
    return result.problems[result.problems["code"] == code]


def panel_value(panel: pd.DataFrame, indicator: str, area: str) -> tuple[float, str]:
    row = panel[(panel["indicator"] == indicator) & (panel["area_code"] == area)]
    assert len(row) == 1, (indicator, area)
    return float(row["value"].iloc[0]), str(row["status"].iloc[0])


# ---- reading --------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_csv_in_every_encoding_and_separator(tmp_path, encoding, sep):
    path = write_csv(tmp_path / "vastaukset.csv", GOOD_ROWS, encoding=encoding, sep=sep)
    result = read_survey(path, make_spec(), include_open=True)

    assert result.ok, result.summary("en")
    assert result.encoding == encoding
    assert result.separator == sep
    responses = result.responses
    assert list(responses["area_code"]) == EXPECTED_CODES
    assert list(responses["row"]) == [2, 3, 4, 5, 6]
    assert responses.loc[2, "area_name"] == "Kärsämäki"
    assert responses.loc[2, "tarjoaa"] == 0.5
    assert math.isnan(responses.loc[2, "yhteyshenkilo"])  # "En osaa sanoa" carries no score
    assert responses.loc[0, "avoin"] == "Åbo Akademin kanssa yhteistyötä"
    assert responses.loc[0, "htv"] == 1.5  # decimal comma
    assert list(responses.loc[0, ["muodot_lahituki", "muodot_etatuki", "muodot_koulutus"]]) == [
        1.0, 1.0, 0.0]
    assert responses.loc[1, "antajat_jarjestot"] == 1.0  # "x" marks a chosen option


def test_xlsx_first_sheet_and_numbers_as_cells(tmp_path):
    rows = [[*r[:5], 1 if r[5] else None, 1 if r[6] else None,
             float(r[7].replace(",", ".")) if r[7] else None, r[8] or None] for r in GOOD_ROWS]
    path = write_xlsx(tmp_path / "vastaukset.xlsx", rows)
    result = read_survey(path, make_spec(), include_open=True)

    assert result.ok, result.summary("en")
    assert result.encoding == "xlsx" and result.sheet == "Vastaukset"
    assert list(result.responses["area_code"]) == EXPECTED_CODES
    assert result.responses.loc[0, "htv"] == 1.5
    assert result.responses.loc[0, "antajat_kirjasto"] == 1.0
    assert result.responses.loc[0, "avoin"] == "Åbo Akademin kanssa yhteistyötä"


def test_xlsx_named_sheet_and_unknown_sheet(tmp_path):
    path = write_xlsx(tmp_path / "v.xlsx", GOOD_ROWS, before="Ohje")
    assert read_survey(path, make_spec(), sheet="Vastaukset").ok
    with pytest.raises(SurveyError, match="no sheet 'Puuttuu'.*Ohje, Vastaukset"):
        read_survey(path, make_spec(), sheet="Puuttuu")


def test_spec_file_path_and_header_row(tmp_path):
    spec_path = tmp_path / "spec.toml"
    spec_path.write_text(SPEC_TOML.replace('kind = "organisation"',
                                           'kind = "organisation"\nheader_row = 2'),
                         encoding="utf-8")
    path = tmp_path / "v.csv"
    body = write_csv(tmp_path / "tmp.csv", GOOD_ROWS).read_bytes()
    path.write_bytes(b"Webropol-raportti; Testikysely\r\n" + body)
    result = read_survey(path, spec_path)
    assert result.ok, result.summary("en")
    assert list(result.responses["row"]) == [3, 4, 5, 6, 7]


# ---- validation ------------------------------------------------------------------------
def bad_file(tmp_path: Path) -> Path:
    header = [h if h != "Työaika (htv)" else "Työaika htv" for h in HEADER]
    rows = [
        GOOD_ROWS[0],                                                        # 2
        ["Kempele", "", "Kylla", "Kyllä", "Lähituki", "", "", "", ""],      # 3 unknown answer
        ["Olu", "", "Kyllä", "Kyllä", "", "", "", "", ""],                  # 4 unknown municipality
        ["", "", "Kyllä", "Kyllä", "", "", "", "", ""],                     # 5 empty municipality
        GOOD_ROWS[0],                                                        # 6 duplicate of 2
        ["Oulu", "Hyvinvointikoordinaattori", "Ei", "Ei", "", "", "", "", ""],  # 7 second Oulu
        ["Ii", "", "Ei", "Joo", "Lähituki|Chat", "ehkä", "", "", ""],       # 8 three bad answers
    ]
    return write_csv(tmp_path / "virheet.csv", rows, header=header)


def test_every_problem_is_reported_with_row_and_column(tmp_path):
    result = read_survey(bad_file(tmp_path), make_spec())
    found = {(p.severity, p.code, p.row, p.column) for p in result.problems.itertuples()}

    expected = {
        ("error", "missing_column", 1, "Työaika (htv)"),
        ("error", "unknown_answer", 3, "Tarjoaako kunta digitukea?"),
        ("error", "unknown_municipality", 4, "Kunta"),
        ("error", "empty_municipality", 5, "Kunta"),
        ("warning", "duplicate_row", 6, ""),
        ("notice", "several_respondents", 7, "Kunta"),
        ("error", "unknown_answer", 8, "Yhteyshenkilö nimetty?"),
        ("error", "unknown_answer", 8, "Digituen muodot"),
        ("error", "unknown_answer", 8, "Antaja: Kirjasto"),
    }
    assert expected <= found
    assert not result.ok
    assert set(result.problems["file"]) == {str(tmp_path / "virheet.csv")}


def test_problem_messages_say_what_to_do(tmp_path):
    result = read_survey(bad_file(tmp_path), make_spec())

    missing = problems_of(result, "missing_column").iloc[0]
    assert missing["value"] == "Työaika htv"
    assert "Closest header in the file: 'Työaika htv'" in missing["message"]

    answer = problems_of(result, "unknown_answer").iloc[0]
    assert answer["value"] == "Kylla"
    assert "'Kyllä', 'Jossain määrin', 'Ei', 'En osaa sanoa'" in answer["message"]

    place = problems_of(result, "unknown_municipality").iloc[0]
    assert place["value"] == "Olu"
    assert "Did you mean: Oulu?" in place["message"]
    assert "Tarkoititko: Oulu?" in place["message_fi"]

    several = problems_of(result, "several_respondents").iloc[0]
    assert "rows 2, 7" in several["message"] and "Hyvinvointikoordinaattori" in several["message"]


def test_rows_with_unknown_or_empty_municipality_and_duplicates_are_left_out(tmp_path):
    result = read_survey(bad_file(tmp_path), make_spec())
    assert list(result.responses["row"]) == [2, 3, 7, 8]
    assert math.isnan(result.responses.loc[1, "tarjoaa"])  # the unknown answer is not scored


def test_strict_raises_with_the_problem_list(tmp_path):
    with pytest.raises(SurveyError) as info:
        read_survey(bad_file(tmp_path), make_spec(), strict=True)
    message = str(info.value)
    assert "row 3, column 'Tarjoaako kunta digitukea?'" in message
    assert "row 4" in message and "row 5" in message


def test_strict_message_is_truncated(tmp_path):
    rows = [["Olu", "", "Kyllä", "Kyllä", "", "", "", "", ""] for _ in range(40)]
    rows = [[f"Olu{i}", *r[1:]] for i, r in enumerate(rows)]
    with pytest.raises(SurveyError, match=r"and 20 more") as info:
        read_survey(write_csv(tmp_path / "v.csv", rows), make_spec(), strict=True)
    assert str(info.value).count("\n- row") == 20


def test_row_numbers_follow_the_spreadsheet(tmp_path):
    rows = [["Oulu", "", "Kyllä", "Kyllä", "", "", "", "", "rivi yksi\nrivi kaksi"],
            ["Ii", "", "Kylla", "", "", "", "", "", ""]]
    result = read_survey(write_csv(tmp_path / "v.csv", rows), make_spec())
    assert problems_of(result, "unknown_answer")["row"].tolist() == [3]

    rows = [GOOD_ROWS[0], [None] * 9, [None] * 9, ["Ii", "", "Kylla", *[None] * 6]]
    result = read_survey(write_xlsx(tmp_path / "v.xlsx", rows), make_spec())
    assert problems_of(result, "unknown_answer")["row"].tolist() == [5]


def test_same_role_twice_is_a_warning(tmp_path):
    rows = [GOOD_ROWS[0], ["Oulu", "Digituen yhteyshenkilö", "Ei", "Ei", "", "", "", "", ""]]
    result = read_survey(write_csv(tmp_path / "v.csv", rows), make_spec())
    assert problems_of(result, "same_role_twice")["row"].tolist() == [3]
    assert result.ok


def test_extra_cells_are_a_warning(tmp_path):
    rows = [[*GOOD_ROWS[0], "ylimääräinen"]]
    result = read_survey(write_csv(tmp_path / "v.csv", rows), make_spec())
    assert problems_of(result, "extra_cells")["row"].tolist() == [2]


def test_number_out_of_range_and_not_a_number(tmp_path):
    rows = [["Oulu", "", "", "", "", "", "", "-1", ""],
            ["Ii", "", "", "", "", "", "", "paljon", ""]]
    result = read_survey(write_csv(tmp_path / "v.csv", rows), make_spec())
    bad = problems_of(result, "unknown_answer")
    assert bad["row"].tolist() == [2, 3]
    assert "outside the allowed range" in bad.iloc[0]["message"]
    assert "not a number" in bad.iloc[1]["message"]


# ---- municipality names ----------------------------------------------------------------
@pytest.mark.parametrize(("name", "code"), [
    ("Oulun kaupunki", "KU564"), ("Iin kunta", "KU139"), ("Kempeleen kunta", "KU244"),
    ("Limingan kunta", "KU425"), ("Oulaisten kaupunki", "KU563"), ("Hailuodon kunta", "KU072"),
    ("Brahestads stad", "KU678"), ("Uleåborg", "KU564"), ("ii", "KU139"), (" Kempele ", "KU244"),
    ("KU564", "KU564"), ("564", "KU564"), ("Temmes", "KU859"), ("Muhos kommun", "KU494"),
])
def test_area_match_tolerates_genitives_and_variants(name, code):
    assert areas().match(name) == code


def test_genitive_index_does_not_swallow_unknown_names():
    with pytest.raises(UnknownArea, match="Did you mean: Kempele"):
        areas().match("Kempelen kunta")


def test_name_variants_in_a_file(tmp_path):
    rows = [[name, "", "Kyllä", "", "", "", "", "", ""]
            for name in ["Oulun kaupunki", "Uleåborg", "ii", " Kempele ", "Limingan kunta",
                         "PYHÄJÄRVI", "Kärsämäen kunta"]]
    result = read_survey(write_csv(tmp_path / "v.csv", rows, encoding="cp1252"), make_spec())
    assert list(result.responses["area_code"]) == [
        "KU564", "KU564", "KU139", "KU244", "KU425", "KU626", "KU317"]
    assert result.responses.loc[3, "municipality"] == "Kempele"


# ---- the original file is untouched ----------------------------------------------------
def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_original_file_is_not_modified(tmp_path, kind):
    writer = write_csv if kind == "csv" else write_xlsx
    path = writer(tmp_path / f"v.{kind}", GOOD_ROWS)
    before = fingerprint(path)
    read_survey(path, make_spec(), include_open=True).to_panel()
    check_survey_file(path, make_spec())
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"v.{kind}"]


# ---- limits and unreadable files ------------------------------------------------------
def test_file_over_the_size_limit(tmp_path):
    path = write_csv(tmp_path / "v.csv", GOOD_ROWS)
    with pytest.raises(SurveyError, match="over the limit"):
        read_survey(path, make_spec(), max_bytes=100)

    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: 51 MB on paper, nothing on disk
        handle.truncate(51 * 1024 * 1024)
    with pytest.raises(SurveyError, match=r"53\.5 MB, over the limit of 52\.4 MB"):
        read_survey(huge, make_spec())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows(tmp_path, kind):
    writer = write_csv if kind == "csv" else write_xlsx
    path = writer(tmp_path / f"v.{kind}", GOOD_ROWS * 3)
    with pytest.raises(SurveyError, match="more than 10 answer rows"):
        read_survey(path, make_spec(), max_rows=10)
    assert read_survey(path, make_spec(), max_rows=15).data_rows == 15


@pytest.mark.parametrize(("content", "match"), [
    (bytes(range(256)) * 64, "binary data"),
    (b"PK\x03\x04" + bytes(range(256)) * 8, "not a valid one|not a readable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Excel .xls"),
    ("Kunta;Kysymys\r\nOulu;Kyllä\r\n".encode("utf-16"), "UTF-16"),
    (b"", "empty"),
    (b"   \r\n", "empty"),
    (b"%PDF-1.7\n...", "PDF"),
    (b"otsikko;toinen\r\n1;2\r\n", "does not look like an answer file"),
], ids=["random-bytes", "broken-zip", "xls", "utf16", "empty", "blank", "pdf", "wrong-file"])
def test_unreadable_files_give_a_survey_error(tmp_path, content, match):
    path = tmp_path / "vastaukset.csv"
    path.write_bytes(content)
    with pytest.raises(SurveyError, match=match) as info:
        read_survey(path, make_spec())
    assert str(path) in str(info.value)
    assert check_survey_file(path, make_spec())[0] == 2


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "v.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "ei työkirja")
    with pytest.raises(SurveyError, match="not a readable .xlsx"):
        read_survey(path, make_spec())


def test_missing_file(tmp_path):
    with pytest.raises(SurveyError, match="Cannot read survey file"):
        read_survey(tmp_path / "ei_ole.csv", make_spec())


# ---- aggregation (organisation) --------------------------------------------------------
def org_rows() -> list[list[str]]:
    return [
        ["Oulu", "Digituen yhteyshenkilö", "Kyllä", "Kyllä", "Lähituki", "1", "", "1", ""],
        ["Oulu", "Hyvinvointikoordinaattori", "Ei", "Ei", "Etätuki", "", "", "2", ""],
        ["Ii", "", "Ei", "Ei", "", "", "1", "0", ""],
        ["Kempele", "", "Jossain määrin", "Kyllä", "Lähituki", "1", "", "", ""],
    ]


def test_organisation_combines_respondents_and_counts_a_municipality_once(tmp_path):
    result = read_survey(write_csv(tmp_path / "v.csv", org_rows()), make_spec())
    panel = result.to_panel()

    assert panel_value(panel, "survey_testi_tarjoaa", "KU564") == (0.5, "")  # mean
    assert panel_value(panel, "survey_testi_yhteyshenkilo", "KU564") == (100.0, "")  # any
    assert panel_value(panel, "survey_testi_muodot_etatuki", "KU564") == (100.0, "")
    assert panel_value(panel, "survey_testi_htv", "KU564") == (1.5, "")
    assert panel_value(panel, "survey_testi_tarjoaa__n", "KU564") == (2.0, "")
    # Region over municipalities: Oulu (yes), Ii (no), Kempele (yes) → 2/3, not 3/4.
    share, status = panel_value(panel, "survey_testi_yhteyshenkilo", "MK17")
    assert share == pytest.approx(200 / 3) and status == ""
    assert panel_value(panel, "survey_testi_yhteyshenkilo__n", "MK17") == (4.0, "")
    assert panel_value(panel, "survey_testi_yhteyshenkilo__kunnat", "MK17") == (3.0, "")
    assert panel_value(panel, "survey_testi_htv", "MK17")[0] == pytest.approx((1.5 + 0) / 2)
    assert problems_of(result, "several_respondents")["row"].tolist() == [3]


def test_aggregate_rule_can_be_changed(tmp_path):
    data = tomllib.loads(SPEC_TOML)
    data["questions"][1]["aggregate"] = "all"
    spec = SurveySpec.from_dict(data)
    panel = read_survey(write_csv(tmp_path / "v.csv", org_rows()), spec).to_panel()
    assert panel_value(panel, "survey_testi_yhteyshenkilo", "KU564") == (0.0, "")


def test_organisation_not_published_per_municipality(tmp_path):
    spec = make_spec(suppression={"publish_municipal": False})
    panel = read_survey(write_csv(tmp_path / "v.csv", org_rows()), spec).to_panel()
    municipal = panel[(panel["area_level"] == "kunta") & ~panel["indicator"].str.contains("__")]
    answered = municipal[municipal["area_code"].isin(["KU564", "KU139", "KU244"])
                         & municipal["indicator"].isin(["survey_testi_tarjoaa",
                                                        "survey_testi_yhteyshenkilo"])]
    assert len(answered) == 6
    assert answered["value"].isna().all() and set(answered["status"]) == {".."}
    assert panel_value(panel, "survey_testi_yhteyshenkilo", "MK17")[1] == ""


def test_organisation_region_needs_enough_municipalities(tmp_path):
    spec = make_spec(suppression={"min_units_region": 4})
    panel = read_survey(write_csv(tmp_path / "v.csv", org_rows()), spec).to_panel()
    value, status = panel_value(panel, "survey_testi_tarjoaa", "MK17")
    assert math.isnan(value) and status == ".."
    assert panel_value(panel, "survey_testi_tarjoaa", "KU139") == (0.0, "")


# ---- suppression (person) --------------------------------------------------------------


def person_spec() -> SurveySpec:
    data = tomllib.loads(SPEC_TOML)
    data["survey"]["kind"] = "person"
    data["survey"]["role_column"] = "Tehtävä"
    data["suppression"] = {"min_n_shown": 5, "min_n_percent": 30}
    return SurveySpec.from_dict(data)


def respondents(name: str, n: int, yes: int, answer: str = "Kyllä") -> list[list[str]]:
    return [[name, f"vastaaja {i}", answer, "Kyllä" if i < yes else "Ei", "", "", "", "", ""]
            for i in range(n)]


def test_small_municipality_is_suppressed_and_not_recoverable(tmp_path):
    rows = respondents("Oulu", 40, 20) + respondents("Kempele", 35, 10) + respondents("Ii", 3, 3)
    panel = read_survey(write_csv(tmp_path / "v.csv", rows), person_spec()).to_panel()

    ii, status = panel_value(panel, "survey_testi_yhteyshenkilo", "KU139")
    assert math.isnan(ii) and status == ".."
    assert panel_value(panel, "survey_testi_yhteyshenkilo__n", "KU139") == (3.0, "")
    assert panel_value(panel, "survey_testi_yhteyshenkilo", "KU564") == (50.0, "")
    # Only one municipality is hidden: the region would give it away, so it is hidden too.
    region, status = panel_value(panel, "survey_testi_yhteyshenkilo", "MK17")
    assert math.isnan(region) and status == ".."
    shown = panel[panel["indicator"] == "survey_testi_yhteyshenkilo"]["value"].dropna()
    assert sorted(shown) == pytest.approx([100 * 10 / 35, 50.0])
    # Scores (mean, threshold min_n_shown) follow the same rules.
    assert panel_value(panel, "survey_testi_tarjoaa", "KU139")[1] == ".."
    assert panel_value(panel, "survey_testi_tarjoaa", "MK17")[1] == ".."


def test_region_is_shown_when_the_hidden_group_is_large_enough(tmp_path):
    rows = (respondents("Oulu", 40, 20) + respondents("Liminka", 28, 14)
            + respondents("Ii", 3, 3))
    panel = read_survey(write_csv(tmp_path / "v.csv", rows), person_spec()).to_panel()

    # 28 respondents: a mean score (>= 5) is shown, a percentage (< 30) is not.
    assert panel_value(panel, "survey_testi_tarjoaa", "KU425") == (1.0, "")
    assert panel_value(panel, "survey_testi_yhteyshenkilo", "KU425")[1] == ".."
    # Hidden percentages: Liminka 28 + Ii 3 = 31 >= 30 respondents → region may be shown.
    share, status = panel_value(panel, "survey_testi_yhteyshenkilo", "MK17")
    assert status == "" and share == pytest.approx(100 * 37 / 71)
    # Hidden scores: only Ii (3 < 5) → region score hidden.
    assert panel_value(panel, "survey_testi_tarjoaa", "MK17")[1] == ".."


def test_person_survey_has_no_several_respondents_notice(tmp_path):
    rows = respondents("Oulu", 6, 3)
    result = read_survey(write_csv(tmp_path / "v.csv", rows), person_spec())
    assert problems_of(result, "several_respondents").empty


# ---- open answers and the panel contract ----------------------------------------------
def test_open_answers_never_reach_the_panel(tmp_path):
    path = write_csv(tmp_path / "v.csv", GOOD_ROWS)
    assert "avoin" not in read_survey(path, make_spec()).responses.columns
    result = read_survey(path, make_spec(), include_open=True)
    assert "avoin" in result.responses.columns
    panel = result.to_panel()
    assert not panel["indicator"].str.contains("avoin").any()
    text = " ".join(panel.select_dtypes(exclude="number").astype(str).stack())
    assert "Åbo Akademin" not in text and "resursseja" not in text


def test_panel_contract(tmp_path):
    panel = read_survey(write_csv(tmp_path / "v.csv", GOOD_ROWS), make_spec()).to_panel()

    assert list(panel.columns) == PANEL_COLUMNS == [
        "indicator", "area_code", "area_level", "area_name", "year", "value", "status",
        "unit", "source", "lower", "upper"]
    assert panel["year"].dtype == "int64" and (panel["year"] == 2024).all()
    assert panel["value"].dtype == "float64"
    assert panel["lower"].isna().all() and panel["upper"].isna().all()
    assert set(panel["source"]) == {"kysely 2024: Testikysely äö"}
    assert set(panel["area_level"]) == {"kunta", "maakunta"}
    assert set(panel["status"]) <= {"", ".."}
    values = panel[~panel["indicator"].str.contains("__")]
    assert set(values["indicator"]) == {
        "survey_testi_tarjoaa", "survey_testi_yhteyshenkilo", "survey_testi_muodot_lahituki",
        "survey_testi_muodot_etatuki", "survey_testi_muodot_koulutus",
        "survey_testi_antajat_kirjasto", "survey_testi_antajat_jarjestot", "survey_testi_htv"}
    units = dict(zip(values["indicator"], values["unit"], strict=False))
    assert units["survey_testi_tarjoaa"] == "pistettä" and units["survey_testi_htv"] == "htv"
    assert units["survey_testi_muodot_lahituki"] == "%"
    counts = panel[panel["indicator"].str.endswith("__n")]
    assert set(counts["unit"]) == {"vastaajia"}
    # every municipality of the region + the region, for each value indicator
    assert len(values) == 8 * (len(areas().municipalities()) + 1)
    assert panel_value(panel, "survey_testi_tarjoaa", "KU009")[0] != panel_value(
        panel, "survey_testi_tarjoaa", "KU009")[0]  # no answer: NaN with status ""


# ---- the shipped example ---------------------------------------------------------------
def test_shipped_example_reads_without_errors():
    result = read_survey(example_file_path(), default_spec_path(), strict=True)

    assert result.ok and result.count("warning") == 0
    assert result.encoding == "utf-8" and result.separator == ";"
    assert "ESIMERKKI" in result.spec.title["fi"]
    assert len(result.municipalities()) == 25
    assert result.responses.groupby("area_code").size().max() == 2
    by_name = dict(zip(result.responses["municipality"], result.responses["area_code"],
                       strict=False))
    assert by_name["Oulun kaupunki"] == by_name["Uleåborg"] == "KU564"
    assert by_name["ii"] == "KU139" and by_name["Kempele"] == "KU244"
    panel = result.to_panel()
    assert panel["source"].str.contains("ESIMERKKI").all()
    assert 9 <= len(result.spec.questions) <= 12
    assert check_survey_file(example_file_path(), default_spec_path())[0] == 0


# ---- check_survey_file, summary, spec errors -------------------------------------------
def test_check_survey_file_exit_codes(tmp_path):
    good = write_csv(tmp_path / "hyva.csv", GOOD_ROWS)
    code, text = check_survey_file(good, make_spec())
    assert code == 0 and "Tiedosto kelpaa" in text

    code, text = check_survey_file(bad_file(tmp_path), make_spec(), lang="en")
    assert code == 1 and "row 3, column 'Tarjoaako kunta digitukea?'" in text

    spec_path = tmp_path / "rikki.toml"
    spec_path.write_text("[survey\n", encoding="utf-8")
    assert check_survey_file(good, spec_path)[0] == 2


def test_summary_in_finnish_and_english(tmp_path):
    result = read_survey(bad_file(tmp_path), make_spec())
    fi, en = result.summary(), result.summary("en")
    assert "Virheitä: 7" in fi and "rivi 4, sarake 'Kunta'" in fi and "Tarkoititko: Oulu?" in fi
    assert "Errors: 7" in en and "row 4, column 'Kunta'" in en
    assert "kuntia: 3/30" in fi
    assert len(result.problems) == 10
    assert "… ja 7 muuta" in result.summary(max_problems=3)


def test_spec_mistakes_are_all_listed():
    data = tomllib.loads(SPEC_TOML)
    data["survey"]["kind"] = "person"
    data["questions"][0]["agregate"] = "mean"
    data["questions"][1]["aggregate"] = "any"
    data["questions"][2]["options"][0]["label"] = "Lähi|tuki"
    data["questions"][3]["type"] = "monivalinta"
    data["suppression"] = {"publish_municipal": True}
    with pytest.raises(SurveyError) as info:
        SurveySpec.from_dict(data, origin="x.toml")
    message = str(info.value)
    for part in ["unknown key 'agregate' (did you mean 'aggregate'?)",
                 "aggregate applies only to kind = \"organisation\"",
                 "contains the delimiter '|'", "type must be one of",
                 "publish_municipal does not apply to kind = 'person'"]:
        assert part in message


def test_spec_rejects_shared_columns_and_unknown_region():
    data = tomllib.loads(SPEC_TOML)
    data["questions"][1]["column"] = data["questions"][0]["column"]
    data["survey"]["region"] = "99"
    with pytest.raises(SurveyError) as info:
        SurveySpec.from_dict(data)
    assert "column 'tarjoaako kunta digitukea?' is used more than once" in str(info.value)
    assert "[survey] region" in str(info.value)


def test_organisation_spec_requires_publish_decision():
    data = tomllib.loads(SPEC_TOML)
    data["suppression"] = {}
    with pytest.raises(SurveyError, match="publish_municipal = true | false is required"):
        SurveySpec.from_dict(data)


def test_shipped_spec_loads():
    spec = load_spec(default_spec_path())
    assert spec.kind == "organisation" and spec.suppression.publish_municipal
    types = {q.type for q in spec.questions}
    assert types == {"scale", "yesno", "multi", "number", "open"}


def spec_paths(obj, prefix=()):
    if isinstance(obj, dict):
        items = list(obj.items())
    else:
        items = list(enumerate(obj)) if isinstance(obj, list) else []
    for key, value in items:
        yield (*prefix, key)
        yield from spec_paths(value, (*prefix, key))


def test_any_malformed_spec_value_gives_a_survey_error():
    base = tomllib.loads(SPEC_TOML)
    for path in spec_paths(base):
        for junk in ([1], {"a": 1}, 3.5, True, "", None):
            data = tomllib.loads(SPEC_TOML)
            target = data
            for key in path[:-1]:
                target = target[key]
            if junk is None:
                target.pop(path[-1])
            else:
                target[path[-1]] = junk
            with contextlib.suppress(SurveyError):  # anything else fails the test
                SurveySpec.from_dict(data)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_damaged_files_give_a_survey_error_or_a_result(tmp_path, kind):
    import random

    writer = write_csv if kind == "csv" else write_xlsx
    good = writer(tmp_path / f"hyva.{kind}", GOOD_ROWS).read_bytes()
    rng = random.Random(17)
    for attempt in range(40):
        damaged = bytearray(good)
        if attempt % 2:
            damaged = damaged[: rng.randrange(len(damaged))]
        for _ in range(rng.randrange(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"rikki{attempt}.{kind}"
        path.write_bytes(bytes(damaged))
        with contextlib.suppress(SurveyError):  # anything else fails the test
            read_survey(path, make_spec()).to_panel()
