"""Settings: where the cache lives, which servers to talk to, which region and language.

Base URLs come from environment variables so that tests, benchmarks and users behind a
proxy can point the library elsewhere without code changes (see DESIGN.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from . import __name__ as _package
from .errors import ConfigError

#: Words that mean "every municipality of Finland" in the region setting.
WHOLE_COUNTRY = ("sss", "all", "koko maa", "kokomaa", "kaikki", "finland", "suomi", "hela landet")


def canonical_region(value: str | int) -> str:
    """``"17"``, ``17``, ``"MK17"``, ``"mk 17"`` → ``"17"``; ``"all"``/``"koko maa"`` → ``"SSS"``.

    A maakunta is named by its two-digit number (the classification's code) so that a typo
    fails here, with the accepted forms, rather than as an empty area table later.
    """
    text = " ".join(str(value).strip().split()).casefold()
    if text in WHOLE_COUNTRY:
        return "SSS"
    digits = text.removeprefix("mk").strip()
    if digits.isdigit() and 1 <= int(digits) <= 99:
        return digits.zfill(2)
    raise ConfigError(
        f"Region {value!r} is not understood: give a maakunta number (17 = "
        "Pohjois-Pohjanmaa, also MK17) or 'all' for every municipality of Finland "
        "(DIGIINDICATORS_REGION or --region)."
    )

DEFAULT_PXWEB_URL = "https://pxdata.stat.fi/PXWeb/api/v1"
DEFAULT_SOTKANET_URL = "https://sotkanet.fi/rest"
DEFAULT_GEO_URL = "https://geo.stat.fi/geoserver/wfs"
DEFAULT_CLASSIFICATION_URL = "https://data.stat.fi/api/classifications/v2"
#: Sotkanet answers 403 without a User-Agent; a descriptive one lets the services reach us.
DEFAULT_USER_AGENT = "digiindicators/0.1 (Pohjois-Pohjanmaa digital-divide indicators)"
#: Every source a refresh can use; ``DIGIINDICATORS_SOURCES`` may name a subset. The
#: classification service comes first: the others need the area table it gives.
SOURCES = ("classification", "pxweb", "sotkanet", "geo")

PACKAGE_DIR = Path(__file__).resolve().parent
#: A source checkout keeps the committed snapshot at <repo>/cache/snapshot; a wheel
#: carries the same files inside the package as _snapshot.
_CHECKOUT_CACHE = PACKAGE_DIR.parent / "cache"


def snapshot_dir() -> Path:
    """The embedded snapshot that makes the library and dashboard work with no network."""
    for candidate in (_CHECKOUT_CACHE / "snapshot", PACKAGE_DIR / "_snapshot"):
        if (candidate / "manifest.json").is_file():
            return candidate
    return _CHECKOUT_CACHE / "snapshot"


def default_cache_dir() -> Path:
    """``$DIGIINDICATORS_CACHE``, else the checkout's ``cache/``, else the user cache dir."""
    env = os.environ.get("DIGIINDICATORS_CACHE")
    if env:
        return Path(env).expanduser()
    if (_CHECKOUT_CACHE / "snapshot").is_dir():
        return _CHECKOUT_CACHE
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / _package


@dataclass(frozen=True)
class Settings:
    """Everything a refresh or a load needs to know, resolved once."""

    cache_dir: Path
    pxweb_url: str = DEFAULT_PXWEB_URL
    sotkanet_url: str = DEFAULT_SOTKANET_URL
    geo_url: str = DEFAULT_GEO_URL
    classification_url: str = DEFAULT_CLASSIFICATION_URL
    lang: str = "fi"
    #: ``"17"`` (a maakunta number) or ``"SSS"`` (every municipality of Finland); any
    #: spelling :func:`digiindicators.areas.canonical_region` accepts.
    region: str = "17"
    timeout: float = 30.0
    max_retries: int = 4
    backoff: float = 1.0
    rate_margin: float = 0.1
    user_agent: str = DEFAULT_USER_AGENT
    #: Sources a refresh talks to; the others are left as they are in the cache.
    sources: tuple[str, ...] = SOURCES

    @classmethod
    def from_env(cls, cache_dir: str | Path | None = None, **overrides) -> Settings:
        """Settings from the environment, with explicit arguments taking precedence."""
        base = cls(
            cache_dir=Path(cache_dir).expanduser() if cache_dir else default_cache_dir(),
            pxweb_url=os.environ.get("DIGIINDICATORS_PXWEB_URL", DEFAULT_PXWEB_URL).rstrip("/"),
            sotkanet_url=os.environ.get("DIGIINDICATORS_SOTKANET_URL", DEFAULT_SOTKANET_URL).rstrip(
                "/"
            ),
            geo_url=os.environ.get("DIGIINDICATORS_GEO_URL", DEFAULT_GEO_URL),
            classification_url=os.environ.get(
                "DIGIINDICATORS_CLASSIFICATION_URL", DEFAULT_CLASSIFICATION_URL
            ).rstrip("/"),
            region=os.environ.get("DIGIINDICATORS_REGION", "17"),
            timeout=float(os.environ.get("DIGIINDICATORS_TIMEOUT", cls.timeout)),
            max_retries=int(os.environ.get("DIGIINDICATORS_MAX_RETRIES", cls.max_retries)),
            sources=parse_sources(os.environ.get("DIGIINDICATORS_SOURCES")),
        )
        settings = replace(base, **{k: v for k, v in overrides.items() if v is not None})
        return replace(
            settings,
            sources=parse_sources(settings.sources),
            region=canonical_region(settings.region),
        )


def parse_sources(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """``"pxweb,sotkanet"`` or a sequence → a checked tuple in the canonical order."""
    if value is None or value == "":
        return SOURCES
    names = [v.strip() for v in value.split(",")] if isinstance(value, str) else list(value)
    unknown = [n for n in names if n not in SOURCES]
    if unknown or not names:
        raise ConfigError(
            f"Unknown source(s) {', '.join(unknown) or '(none)'} in DIGIINDICATORS_SOURCES; "
            f"choose from {', '.join(SOURCES)} (comma-separated)."
        )
    return tuple(s for s in SOURCES if s in names)
