"""Tolerant text comparison shared by the spec, the readers and the validator.

Headers and answers are typed by people in Excel: case, Unicode normal form and runs of
spaces vary, so every comparison goes through :func:`fold`. ``quote`` and ``join`` keep
the wording of problem messages uniform across modules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=65536)  # answers repeat endlessly; folding dominated the reading time
def fold(text: object) -> str:
    """Key for tolerant comparison of headers and answers: NFC, case, inner spaces."""
    value = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join(value.split())


def quote(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


def join(items: Iterable[str]) -> str:
    return ", ".join(items)
