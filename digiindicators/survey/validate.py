"""One pass over a read table: check columns, match municipalities, code every answer.

Everything found goes into a :class:`~.problems.Problems` list instead of an exception,
so a file with many mistakes is reported completely; only a file that is clearly not an
answer file of this survey (none of the expected columns) is refused outright.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Any

from ..areas import AreaTable
from ..errors import SurveyError, UnknownArea
from .coding import CODERS, Cell
from .problems import Problems
from .readers import RawRow, RawTable
from .spec import SurveySpec
from .text import fold, join, quote

_WHAT_FI = {"municipality column": "kuntasarake", "respondent role column": "vastaajan "
             "tehtävä", "question": "kysymys", "option": "vaihtoehto"}


def _what_fi(what: str) -> str:
    for english, finnish in _WHAT_FI.items():
        what = what.replace(english, finnish)
    return what


class Validator:
    """Walks the table once, coding answers and collecting every problem."""

    def __init__(self, spec: SurveySpec, table: AreaTable, raw: RawTable, file: str):
        self.spec, self.table, self.raw, self.file = spec, table, raw, file
        self.problems = Problems()
        self.index = self._column_index()
        self.names = table.names("fi")
        self._matches: dict[str, str | UnknownArea] = {}

    def _column_index(self) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, header in enumerate(self.raw.header):
            index.setdefault(fold(header), position)
        return index

    # ---- columns -------------------------------------------------------------------
    def check_columns(self) -> None:
        expected = self.spec.file_columns()
        found = [c for c, _ in expected if fold(c) in self.index]
        if not found:
            first = join(quote(h, 30) for h in self.raw.header[:5])
            raise SurveyError(
                f"{self.file} does not look like an answer file of survey {self.spec.id!r}: none "
                f"of its {len(expected)} columns were found (the header starts {first}). "
                "Check the file, the spec, the sheet and header_row."
            )
        for column, what in expected:
            self._check_column(column, what)
        self._note_ambiguous_and_unused(expected)

    def _check_column(self, column: str, what: str) -> None:
        if fold(column) in self.index:
            return
        headers = [h for h in self.raw.header if h]
        close = difflib.get_close_matches(fold(column), [fold(h) for h in headers], n=1,
                                          cutoff=0.5)
        closest = next((h for h in headers if close and fold(h) == close[0]), "")
        hint_en = f" Closest header in the file: {closest!r}." if closest else ""
        hint_fi = f" Lähin otsikko tiedostossa: {closest!r}." if closest else ""
        self.problems.add(
            "error", "missing_column", 1, column, closest,
            f"Column {column!r} ({what}) is missing.{hint_en} Rename the header in the file "
            "or change the spec.",
            f"Sarake {column!r} ({_what_fi(what)}) puuttuu.{hint_fi} Korjaa otsikko tiedostoon tai "
            "muuta kyselyn kuvausta (spec).",
        )

    def _note_ambiguous_and_unused(self, expected: list[tuple[str, str]]) -> None:
        wanted = {fold(c) for c, _ in expected}
        counts = Counter(fold(h) for h in self.raw.header)
        for key in sorted(k for k, n in counts.items() if k in wanted and n > 1):
            self.problems.add(
                "warning", "duplicate_column", 1, key, "",
                f"The header {key!r} appears {counts[key]} times; the first one is used. "
                "Rename the others.",
                f"Otsikko {key!r} esiintyy {counts[key]} kertaa; ensimmäistä käytetään. "
                "Nimeä muut uudelleen.",
            )
        unused = [h for h in self.raw.header if h and fold(h) not in wanted]
        if unused:
            listed = join(quote(h, 40) for h in unused[:10]) + (" …" if len(unused) > 10 else "")
            self.problems.add(
                "notice", "unused_columns", 1, "", str(len(unused)),
                f"{len(unused)} columns are not in the spec and are ignored: {listed}.",
                f"{len(unused)} saraketta ei ole kuvauksessa, ja ne ohitetaan: {listed}.",
            )

    # ---- rows ----------------------------------------------------------------------
    def code_rows(self) -> list[dict[str, Any]]:
        seen: dict[int, int] = {}
        records = []
        for row in self.raw.rows:
            if row.digest in seen:
                self._duplicate(row.number, seen[row.digest])
                continue
            seen[row.digest] = row.number
            record = self._code_row(row)
            if record is not None:
                records.append(record)
        return records

    def _duplicate(self, number: int, first: int) -> None:
        self.problems.add(
            "warning", "duplicate_row", number, "", f"= row {first}",
            f"Row {number} is an exact copy of row {first} and is counted once. Delete it if "
            "the answer was sent twice; if two people really answered identically, add a "
            "column that tells them apart (e.g. a respondent number).",
            f"Rivi {number} on täsmälleen sama kuin rivi {first}, ja se lasketaan vain kerran. "
            "Poista se, jos vastaus on lähetetty kahdesti; jos kaksi vastaajaa vastasi "
            "samoin, lisää sarake, joka erottaa heidät (esim. vastaajanumero).",
        )

    def _cell(self, cells: dict[int, str]) -> Cell:
        def get(column: str) -> str | None:
            position = self.index.get(fold(column))
            return None if position is None else cells.get(position, "")

        return get

    def _code_row(self, row: RawRow) -> dict[str, Any] | None:
        number, cell = row.number, self._cell(row.cells)
        self._check_extra_cells(number, row.extra)
        written = cell(self.spec.municipality_column)
        if written is None:
            return None  # the column itself is missing; reported once already
        code = self._municipality(number, written)
        if code is None:
            return None
        record: dict[str, Any] = {
            "row": number, "municipality": written.strip(), "area_code": code,
            "area_name": self.names[code],
            "role": (cell(self.spec.role_column) or "").strip() if self.spec.role_column else "",
        }
        for question in self.spec.questions:
            values, bad = CODERS[question.type](question, cell)
            record.update(values)
            for item in bad:
                self.problems.add("error", "unknown_answer", number, item.column, item.value,
                                  item.en, item.fi)
        return record

    def _check_extra_cells(self, number: int, extra: tuple[str, ...]) -> None:
        if extra:
            self.problems.add(
                "warning", "extra_cells", number, "", quote(extra[0], 40),
                f"Row {number} has {len(extra)} filled cells beyond the last header; they are "
                "ignored. A separator inside an unquoted text may have split a cell.",
                f"Rivillä {number} on {len(extra)} täytettyä solua viimeisen otsikon jälkeen; "
                "ne ohitetaan. Tekstissä oleva erotinmerkki on ehkä jakanut solun.",
            )

    def _municipality(self, number: int, written: str) -> str | None:
        column = self.spec.municipality_column
        if not written.strip():
            self.problems.add(
                "error", "empty_municipality", number, column, "",
                f"Row {number} has no municipality; it is left out. Fill in the municipality.",
                f"Riviltä {number} puuttuu kunta, eikä riviä käytetä. Täydennä kunta.",
            )
            return None
        if written not in self._matches:
            try:
                self._matches[written] = self.table.match(written)
            except UnknownArea as exc:
                self._matches[written] = exc
        match = self._matches[written]
        if isinstance(match, UnknownArea):
            self._unknown_municipality(number, written, match)
            return None
        return match

    def _unknown_municipality(self, number: int, written: str, exc: UnknownArea) -> None:
        found = re.search(r"Did you mean: (.+?)\?", str(exc))
        hint_fi = f" Tarkoititko: {found.group(1)}?" if found else ""
        self.problems.add(
            "error", "unknown_municipality", number, self.spec.municipality_column, written,
            f"{exc} The row is left out until this is fixed.",
            f"{quote(written)} ei ole alueen {self.table.region} kunta.{hint_fi} Käytä kunnan "
            "suomen- tai ruotsinkielistä nimeä tai kuntanumeroa; riviä ei käytetä ennen korjausta.",
        )

    # ---- several respondents -------------------------------------------------------------
    def note_respondents(self, records: list[dict[str, Any]]) -> None:
        """Several respondents are normal in an organisation survey: say how they combine."""
        if self.spec.kind != "organisation":
            return
        by_area: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_area.setdefault(record["area_code"], []).append(record)
        for group in by_area.values():
            if len(group) > 1:
                self._several(group)

    def _several(self, group: list[dict[str, Any]]) -> None:
        rows = join(str(r["row"]) for r in group[:10]) + (" …" if len(group) > 10 else "")
        roles = Counter(r["role"] for r in group if r["role"])
        role_text = f"; roles: {join(list(roles)[:10])}" if roles else ""
        name = group[0]["area_name"]
        self.problems.add(
            "notice", "several_respondents", group[1]["row"], self.spec.municipality_column,
            group[1]["municipality"],
            f"{name} has {len(group)} respondents (rows {rows}{role_text}). Their answers are "
            "combined by each question's aggregate rule (defaults: scale and number mean, "
            "yes/no and multi any); n counts all of them.",
            f"Kunnalla {name} on {len(group)} vastaajaa (rivit {rows}). Vastaukset yhdistetään "
            "kysymyksen aggregate-säännöllä (oletus: asteikko ja luku keskiarvo, kyllä/ei ja "
            "monivalinta 'jokin'); n sisältää kaikki vastaajat.",
        )
        for role in sorted(r for r, count in roles.items() if count > 1):
            self.problems.add(
                "warning", "same_role_twice", group[1]["row"], self.spec.role_column or "", role,
                f"{name} has two answers from the role {role!r}: a resubmission? Both are "
                "combined; delete the older one if it was replaced.",
                f"Kunnalla {name} on kaksi vastausta roolista {role!r}: lähetetty uudelleen? "
                "Molemmat yhdistetään; poista vanhempi, jos se korvattiin.",
            )
