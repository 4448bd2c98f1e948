"""``check_survey_file`` for ``digiindicators survey check``: an exit code and a report."""

from __future__ import annotations

from pathlib import Path

from ..errors import SurveyError
from .pipeline import read_survey
from .spec import SurveySpec

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def check_survey_file(path: str | Path, spec: SurveySpec | str | Path,
                      lang: str = "fi") -> tuple[int, str]:
    """For ``digiindicators survey check FILE``: (exit code, report).

    0 = no errors or warnings (notices are fine), 1 = problems found, 2 = the file or
    the spec could not be read at all.
    """
    try:
        result = read_survey(path, spec)
    except SurveyError as exc:
        return EXIT_UNREADABLE, str(exc)
    clean = result.ok and result.count("warning") == 0
    return (EXIT_OK if clean else EXIT_PROBLEMS), result.summary(lang)
