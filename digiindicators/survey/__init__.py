"""Municipal survey files → validated answers → panel rows, with small-n protection.

The regional council asks the municipalities in writing about digital wellbeing and
digital support (digituki). Answer files come from Webropol-like tools as Excel or CSV
in whatever encoding and separator the exporting machine used, with municipality names
typed by hand. This package reads such a file against a declarative *survey spec*,
reports every problem at once (file, spreadsheet row, column, value, what to do) so a
person can fix the file in one pass, and turns the answers into tidy-panel rows without
ever publishing a number computed from too few respondents.

The spec format is documented in :mod:`digiindicators.survey.spec` (reference:
``digiindicators/surveys/README.md``, example: ``digiindicators/surveys/digituki_2023.toml``);
the units of analysis, aggregation and small-number suppression rules in
:mod:`digiindicators.survey.aggregate`.

One module per step, so each can be read and tested on its own:

- ``spec`` – the spec dataclasses, ``load_spec`` and the packaged example paths;
  ``spec_parser`` – TOML dict → spec, listing every mistake at once
- ``readers`` – file → header and text cells (CSV encodings/separators, xlsx), bounded
- ``coding`` – answer text → numbers, one function per question type
- ``validate`` – columns, municipalities, duplicates, respondents → ``problems``
- ``problems`` – the collected findings and their table
- ``aggregate`` – units, combining respondents, suppression → panel rows
- ``result`` – :class:`SurveyResult`; ``report`` – its summary and the strict-mode error
- ``pipeline`` – :func:`read_survey`; ``check`` – :func:`check_survey_file` for the CLI
- ``text`` – tolerant comparison (:func:`fold`) shared by all of them

Everything public is re-exported here: import from ``digiindicators.survey``.
"""

from __future__ import annotations

from .aggregate import COMBINE as COMBINE
from .aggregate import PANEL_COLUMNS
from .aggregate import SUPPRESSED as SUPPRESSED
from .check import EXIT_OK as EXIT_OK
from .check import EXIT_PROBLEMS as EXIT_PROBLEMS
from .check import EXIT_UNREADABLE as EXIT_UNREADABLE
from .check import check_survey_file
from .coding import CODERS as CODERS
from .coding import NAN as NAN
from .coding import Cell as Cell
from .coding import Coded as Coded
from .pipeline import read_survey
from .problems import PROBLEM_COLUMNS as PROBLEM_COLUMNS
from .problems import SEVERITIES as SEVERITIES
from .problems import Problem
from .readers import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from .readers import DEFAULT_MAX_ROWS as DEFAULT_MAX_ROWS
from .readers import ENCODINGS as ENCODINGS
from .readers import MAX_UNPACK_RATIO as MAX_UNPACK_RATIO
from .readers import SEPARATORS as SEPARATORS
from .readers import RawRow, RawTable, read_table
from .result import SurveyResult
from .spec import AGGREGATES as AGGREGATES
from .spec import CHOSEN as CHOSEN
from .spec import ID_PATTERN as ID_PATTERN
from .spec import KINDS as KINDS
from .spec import LANGS as LANGS
from .spec import NOT_CHOSEN as NOT_CHOSEN
from .spec import TYPES as TYPES
from .spec import YESNO_ANSWERS as YESNO_ANSWERS
from .spec import YESNO_MISSING as YESNO_MISSING
from .spec import (
    Option,
    Question,
    Suppression,
    SurveySpec,
    default_spec_path,
    example_file_path,
    load_spec,
)
from .text import fold as fold

__all__ = [
    "PANEL_COLUMNS",
    "Option",
    "Problem",
    "Question",
    "RawRow",
    "RawTable",
    "Suppression",
    "SurveyResult",
    "SurveySpec",
    "check_survey_file",
    "default_spec_path",
    "example_file_path",
    "load_spec",
    "read_survey",
    "read_table",
]
