"""Source adapters for the refresh: one module per source, one job per table/indicator/layer.

Only ``refresh`` uses this package; the adapters are the only callers of ``sources/``.
"""

from __future__ import annotations

from .base import Context, Job, Outcome, RefreshReport, SourceAdapter, TableOutcome
from .geo import GeoAdapter
from .pxweb import PxWebAdapter
from .sotkanet import SotkanetAdapter

#: Source name (as in ``Settings.sources`` and the job keys) → adapter class.
ADAPTERS: dict[str, type[SourceAdapter]] = {
    "pxweb": PxWebAdapter,
    "sotkanet": SotkanetAdapter,
    "geo": GeoAdapter,
}

__all__ = [
    "ADAPTERS",
    "Context",
    "Job",
    "Outcome",
    "RefreshReport",
    "SourceAdapter",
    "TableOutcome",
]
