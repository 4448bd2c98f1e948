"""Typed errors.

Every error carries a message a person can act on: what failed, where, and what to do.
Callers (the refresh, the command line, notebooks) catch these by type instead of
parsing strings, so a failing source can be isolated without hiding programming bugs.
"""

from __future__ import annotations


class DigiIndicatorsError(Exception):
    """Base class of every error this library raises on purpose."""


class ConfigError(DigiIndicatorsError):
    """A setting is missing or malformed (bad URL, unknown region, unwritable cache)."""


class SourceError(DigiIndicatorsError):
    """A data source failed; the message names the source, the URL and what to try."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class RateLimited(SourceError):
    """The server kept answering 429 after the allowed number of waits."""


class QueryTooLarge(SourceError):
    """The server refused a query as too large (PxWeb answers 403, often as an HTML page)."""


class BadQuery(SourceError):
    """The server rejected the query itself (PxWeb answers plain-text 400)."""


class NotFound(SourceError):
    """The table, folder or resource does not exist at the source (404)."""


class MalformedResponse(SourceError):
    """The server answered 200 but the body cannot be parsed as the expected format."""


class NoData(SourceError):
    """The source answered, but with no data for the region (an empty list)."""


class ResolveError(SourceError):
    """A table's metadata no longer matches what the catalog expects (renamed content, etc.)."""


class StoreError(DigiIndicatorsError):
    """The cache directory cannot be read or written (corrupt file, full disk, lock held)."""


class CacheLocked(StoreError):
    """Another refresh holds the cache lock."""


class CatalogError(DigiIndicatorsError):
    """The indicator catalog file is invalid."""


class UnknownArea(DigiIndicatorsError):
    """An area name or code does not match any area; the message suggests the closest."""


class SurveyError(DigiIndicatorsError):
    """A survey file or survey spec is invalid; the message names file, row and column."""


class AnalysisError(DigiIndicatorsError, ValueError):
    """Inputs to an estimate or an index are unusable (missing ages, bad weights, …).

    Also a ``ValueError`` so that generic numeric code catching that keeps working.
    """
