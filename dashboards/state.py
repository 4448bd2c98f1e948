"""Every view's state lives in its URL: path + query string, so a link reproduces the view.

Why: a decision-maker mails a link to a colleague or pastes it into minutes ("see
/kunta/KU564?kieli=sv"); the browser's back button must undo a choice. So the URL is the
single source of truth: views read their state from it (validated here, never trusted)
and write every change back to it, which pushes a history entry.

Parameter names are Finnish like the service (``kieli``, ``teema``, ``indikaattori``,
``vuosi``, ``vertailu``, ``kartta``, ``normalisointi``, ``aggregointi``, ``painot``,
``kysymys``, ``aineisto``, ``kunta``); values are codes (``KU564``, ``share_75plus``),
never translated, so a link works in every language. ``kieli`` is left out for the
default language.

Paths::

    /                          overview       ?teema=&indikaattori=&vuosi=&vertailu=&kartta=
    /kunta/KU564  (/kunta?kunta=KU564)  municipality profile
    /indeksi                   index          ?vuosi=&normalisointi=&aggregointi=&painot=id:w,…
    /kysely                    survey         ?kysymys=<indicator id>
    /tiedot                    data & sources
                               ?aineisto=kaikki|<indicator>|indeksi|kysely|kunta-KU564
    /menetelma                 method
    /saavutettavuusseloste     accessibility statement
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from .i18n import LANGS

LANG = "kieli"
VIEWS = ("overview", "profile", "index", "survey", "data", "method", "statement")
PATHS = {
    "overview": "/",
    "profile": "/kunta",
    "index": "/indeksi",
    "survey": "/kysely",
    "data": "/tiedot",
    "method": "/menetelma",
    "statement": "/saavutettavuusseloste",
}
NOT_FOUND = "not_found"
_CODE = re.compile(r"KU\d{3}")
_ID = re.compile(r"[A-Za-z0-9_]{1,80}")
_WEIGHT = re.compile(r"([A-Za-z0-9_]{1,80}):(\d{1,3}(?:\.\d{1,3})?)")
MAX_QUERY = 2000  # characters; longer query strings are ignored rather than parsed


@dataclass(frozen=True)
class Route:
    view: str  # one of VIEWS or NOT_FOUND
    lang: str
    arg: str = ""  # the municipality code of a profile


def parse_search(search: str | None) -> dict[str, str]:
    """``?a=1&b=2`` → ``{"a": "1", "b": "2"}`` (first value wins; junk is dropped)."""
    text = (search or "").lstrip("?")
    if len(text) > MAX_QUERY:
        return {}
    out: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=False):
        out.setdefault(key, value)
    return out


def build_search(params: Mapping[str, object]) -> str:
    """Query string of the non-empty params, in the given order (``""`` when none)."""
    items = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    return "?" + urlencode(items, safe=":,") if items else ""


def lang_of(query: Mapping[str, str], default: str = "fi") -> str:
    value = query.get(LANG, "")
    return value if value in LANGS else default


def normalise_path(path: str | None) -> str:
    path = "/" + (path or "").strip("/")
    return path


def route(path: str | None, search: str | None, default_lang: str = "fi") -> Route:
    """Which view a (prefix-stripped) path shows, in which language."""
    query = parse_search(search)
    lang = lang_of(query, default_lang)
    path = normalise_path(path)
    if path == "/":
        return Route("overview", lang)
    parts = path.strip("/").split("/")
    if parts[0] == "kunta" and len(parts) <= 2:
        code = parts[1] if len(parts) == 2 else query.get("kunta", "")
        return Route("profile", lang, code.upper() if _CODE.fullmatch(code.upper()) else "")
    for view, view_path in PATHS.items():
        if len(parts) == 1 and "/" + parts[0] == view_path:
            return Route(view, lang)
    return Route(NOT_FOUND, lang)


def lang_param(lang: str, default_lang: str = "fi") -> dict[str, str]:
    return {} if lang == default_lang else {LANG: lang}


def href(path: str, lang: str, default_lang: str = "fi", **params: object) -> str:
    """An app-relative link that keeps the reader's language."""
    return path + build_search({**lang_param(lang, default_lang), **params})


def switch_lang(search: str | None, lang: str, default_lang: str = "fi") -> str:
    """The same query string in another language (the language switch's links)."""
    query = {k: v for k, v in parse_search(search).items() if k != LANG}
    return build_search({**query, **lang_param(lang, default_lang)})


def clean_id(value: str | None) -> str:
    """An indicator id or option value from a URL, or "" when it is not a plain id."""
    return value if value and _ID.fullmatch(value) else ""


def clean_code(value: str | None) -> str:
    value = (value or "").upper()
    return value if _CODE.fullmatch(value) else ""


# ---- the index's weights --------------------------------------------------------------
def parse_weights(text: str | None) -> dict[str, float] | None:
    """``share_75plus:1,poverty_rate:2.5`` → dict; None when the parameter is absent."""
    if not text:
        return None
    out: dict[str, float] = {}
    for part in text.split(","):
        match = _WEIGHT.fullmatch(part.strip())
        if match:
            out[match.group(1)] = float(match.group(2))
    return out


def format_weight(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def format_weights(weights: Mapping[str, float]) -> str:
    """Only the non-zero weights: a component not listed is left out of the index."""
    return ",".join(f"{k}:{format_weight(v)}" for k, v in weights.items() if v > 0)
