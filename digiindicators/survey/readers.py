"""Answer files on disk → header and text cells, bounded and read-only.

Survey tools export Excel or CSV in whatever encoding and separator the exporting machine
used, and the file is untrusted: sizes, row counts and xlsx unpacked sizes are checked
before the work grows with them, obvious non-tables (old .xls, PDF, UTF-16, binary) are
refused with a hint, and only the cells of columns the spec reads are kept. CSV and xlsx
cells come out as the same text, so validation does not care where they came from.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import SurveyError
from .spec import SurveySpec
from .text import fold, join

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
#: An xlsx is a zip; refuse one that unpacks to more than this many times the size limit.
MAX_UNPACK_RATIO = 10
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")
SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class RawRow:
    """One non-blank answer row, reduced to what validation needs.

    Only the cells of columns the spec reads are kept (by header position), plus a digest
    of the whole row for exact-duplicate detection, so memory does not grow with the
    number of columns a survey tool exports.
    """

    number: int  # spreadsheet row as a person sees it (header = row 1)
    cells: dict[int, str]
    digest: int
    extra: tuple[str, ...] = ()  # filled cells beyond the last header


@dataclass
class RawTable:
    """The header and the answer rows of one file or sheet."""

    header: list[str]
    rows: list[RawRow]
    encoding: str
    separator: str | None = None
    sheet: str | None = None


def _cell_text(value: object) -> str:
    """Excel cell → text, so CSV and xlsx answers validate the same way (1.0 → "1")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value))


def _refuse_binary(head: bytes, path: Path) -> None:
    """Recognise what is clearly not a text table, before a parser chokes on it."""
    known = {
        b"\xd0\xcf\x11\xe0": "an old Excel .xls (or other OLE) file; save it as .xlsx or CSV",
        b"%PDF": "a PDF file; export the answers as .xlsx or CSV instead",
        codecs.BOM_UTF16_LE: "UTF-16 text ('Unicode text'); save it as 'CSV UTF-8'",
        codecs.BOM_UTF16_BE: "UTF-16 text; save it as 'CSV UTF-8'",
    }
    for magic, what in known.items():
        if head.startswith(magic):
            raise SurveyError(f"{path} is {what}.")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) // 50:
        raise SurveyError(
            f"{path} is not a text table (it contains binary data). Export the survey "
            "answers as .xlsx or CSV (UTF-8) and try again."
        )


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Try UTF-8 with BOM, UTF-8, then cp1252 (Excel on Windows); report which worked."""
    for encoding in ENCODINGS:
        if encoding == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            continue
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SurveyError(f"{path} is neither UTF-8 nor cp1252 text; save it as 'CSV UTF-8'.")


def _records(text: str, separator: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)


def _detect_separator(text: str, header_row: int, expected: set[str]) -> str:
    """The separator under which the header holds the most expected columns (then fields)."""

    def score(separator: str) -> tuple[int, int]:
        header = next(islice(_records(text, separator), header_row - 1, None), [])
        return sum(fold(h) in expected for h in header), len(header)

    try:
        return max(SEPARATORS, key=score)
    except csv.Error:
        return SEPARATORS[0]


def _read_csv(path: Path, data: bytes, spec: SurveySpec, max_rows: int) -> RawTable:
    text, encoding = _decode(data, path)
    expected = {fold(column) for column, _ in spec.file_columns()}
    separator = _detect_separator(text, spec.header_row, expected)
    try:
        numbered = _bounded(enumerate(_records(text, separator), start=1), spec, max_rows, path)
        header, rows = _split_header(numbered, spec, path)
    except csv.Error as exc:
        raise SurveyError(f"{path} cannot be read as CSV ({exc}). Save it again as CSV "
                          "UTF-8 from the survey tool or Excel.") from exc
    return RawTable(header, rows, encoding, separator=separator)


def _bounded(numbered: Iterable[tuple[int, Sequence[Any]]], spec: SurveySpec, max_rows: int,
             path: Path) -> Iterator[tuple[int, Sequence[Any]]]:
    """Stop reading as soon as the file has too many rows (time and memory stay bounded)."""
    limit = spec.header_row + max_rows
    for number, cells in numbered:
        if number > limit:
            raise SurveyError(
                f"{path} has more than {max_rows:,} answer rows; that is not a municipal "
                "survey export. Check the file, or pass a larger max_rows to read_survey."
            )
        yield number, cells


def _split_header(numbered: Iterator[tuple[int, Sequence[Any]]], spec: SurveySpec,
                  path: Path) -> tuple[list[str], list[RawRow]]:
    header: list[str] = []
    keep: list[int] = []
    rows = []
    for number, cells in numbered:
        if number == spec.header_row:
            header = [_cell_text(c).strip() for c in cells]
            wanted = {fold(column) for column, _ in spec.file_columns()}
            keep = [i for i, h in enumerate(header) if fold(h) in wanted]
        elif number > spec.header_row:
            row = _compact(number, cells, keep, len(header))
            if row is not None:
                rows.append(row)
    if not any(header):
        raise SurveyError(f"{path} has no header row (row {spec.header_row} is empty or "
                          "missing); set header_row in the spec if the headers are lower.")
    return header, rows


def _compact(number: int, cells: Sequence[Any], keep: list[int], width: int) -> RawRow | None:
    """Text of the needed cells, a digest of all of them; None for a blank row."""
    texts = [_cell_text(c).strip() for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    if not texts:
        return None
    return RawRow(number, {i: texts[i] for i in keep if i < len(texts)}, hash(tuple(texts)),
                  tuple(t for t in texts[width:] if t))


def _read_xlsx(path: Path, spec: SurveySpec, sheet: str | None, max_rows: int,
               max_bytes: int) -> RawTable:
    _refuse_zip_bomb(path, max_bytes)
    import openpyxl  # only needed for Excel files

    # Untrusted file: any failure inside openpyxl/zip/XML parsing means "not a valid xlsx".
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "Workbook contains no default style"
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise SurveyError(f"{path} is not a readable .xlsx file ({exc}). Open it in "
                              "Excel and save it again as .xlsx, or export CSV.") from exc
        try:
            return _read_sheet(book, path, spec, sheet or spec.sheet, max_rows)
        except SurveyError:
            raise
        except Exception as exc:
            raise SurveyError(f"{path}: the sheet cannot be read ({exc}). Save the file "
                              "again as .xlsx or export CSV.") from exc
        finally:
            book.close()


def _read_sheet(book: Any, path: Path, spec: SurveySpec, sheet: str | None,
                max_rows: int) -> RawTable:
    if sheet is not None and sheet not in book.sheetnames:
        raise SurveyError(f"{path} has no sheet {sheet!r}; sheets: {join(book.sheetnames)}.")
    worksheet = book[sheet] if sheet else book.worksheets[0]
    numbered = enumerate(worksheet.iter_rows(values_only=True), start=1)
    header, rows = _split_header(_bounded(numbered, spec, max_rows, path), spec, path)
    return RawTable(header, rows, "xlsx", sheet=worksheet.title)


def _refuse_zip_bomb(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError) as exc:
        raise SurveyError(f"{path} looks like an .xlsx but is not a valid one ({exc}).") from exc
    if unpacked > max_bytes * MAX_UNPACK_RATIO:
        raise SurveyError(f"{path} unpacks to {unpacked / 1e6:,.0f} MB, more than "
                          f"{MAX_UNPACK_RATIO}× the size limit; it is not a survey export.")


def read_table(path: str | Path, spec: SurveySpec, *, sheet: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS) -> RawTable:
    """Read an answer file as text cells, refusing what is too big or not a table.

    Opens the file read-only and never writes to it; the size is checked before any byte
    is read so a huge file costs nothing.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SurveyError(
                f"{path} is {size / 1e6:,.1f} MB, over the limit of {max_bytes / 1e6:,.1f} MB. "
                "A municipal survey export is far smaller: check that this is the right file, "
                "or pass a larger max_bytes to read_survey."
            )
        with path.open("rb") as handle:
            head = handle.read(65536)
            is_xlsx = head.startswith(b"PK\x03\x04")
            data = head if is_xlsx else head + handle.read(max_bytes + 1 - len(head))
    except OSError as exc:
        raise SurveyError(f"Cannot read survey file {path}: {exc.strerror or exc}.") from exc
    if is_xlsx:
        return _read_xlsx(path, spec, sheet, max_rows, max_bytes)
    if not data.strip():
        raise SurveyError(f"{path} is empty.")
    _refuse_binary(head, path)
    return _read_csv(path, data, spec, max_rows)
