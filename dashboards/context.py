"""What every view needs, built once per app: data, metadata, indexes, caches, the app.

The language is *not* here: it comes with each request (``?kieli=``), so one running app
serves Finnish, Swedish and English readers at the same time. ``default_lang`` is only
what a URL without ``kieli`` means.

The panel never changes while the app runs, so three things are derived from it here:
``lookup`` (the panel as dictionaries, :mod:`dashboards.lookup`, built when the context
is created), ``remember`` (values that depend on no reader's choice, such as the list of
indicators or a language's options; a small, fixed set) and ``rendered`` (callback
outputs per view, state and language, in a bounded LRU, :mod:`dashboards.render`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import dash
import pandas as pd

from digiindicators.areas import AreaTable
from digiindicators.catalog import Catalog

from .ahead import RenderAhead
from .compressed import CompressedAnswers
from .i18n import FEEDBACK_EMAIL
from .info import DataInfo
from .lookup import PanelLookup
from .render import LRU, freeze
from .surveydata import SurveyData
from .tilegrid import Tile

#: Index results kept, with what they are made of (each a few hundred rows at most): the
#: components' normalised values of a year (the same for every weight set) and the rank
#: ranges of a weight set (computing them runs every sensitivity scenario).
INDEX_RESULTS = 64


@dataclass
class Context:
    panel: pd.DataFrame
    catalog: Catalog
    areas: AreaTable
    info: DataInfo
    default_lang: str
    app: dash.Dash
    tiles: dict[str, Tile]
    boundaries: dict[str, Any] | None = None  # GeoJSON of the municipalities, when cached
    survey: SurveyData | None = None
    feedback_email: str = FEEDBACK_EMAIL  # footer and accessibility statement
    answers: CompressedAnswers | None = None  # compressed callback answers (the server's)
    lookup: PanelLookup = field(init=False)
    renders: LRU = field(default_factory=LRU)  # plain callback outputs
    results: LRU = field(default_factory=lambda: LRU(max_entries=INDEX_RESULTS))
    ahead: RenderAhead = field(default_factory=RenderAhead)  # parts rendered before asked
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.lookup = PanelLookup(self.panel)

    def path(self, path: str) -> str:
        """An app path with the deployment's prefix (``requests_pathname_prefix``)."""
        return self.app.get_relative_path(path)

    @property
    def municipalities(self) -> list[str]:
        return self.remember(("municipalities",), self.areas.municipalities)

    def remember(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()`` once per ``key``, for values that depend on no reader's choice."""
        try:
            return self._memo[key]
        except KeyError:
            value = build()
            with self._memo_lock:
                return self._memo.setdefault(key, value)

    def rendered(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()`` serialised once (:func:`dashboards.render.freeze`), cached under
        ``key``: return it from a callback as the value of an output."""
        value, size = self.renders.get(key, lambda: freeze(build()), size=lambda item: item[1])
        return value

    def clear_renders(self) -> None:
        """Forget the rendered outputs and their compressed answers (benchmarks measure
        a state's first render)."""
        self.renders.clear()
        if self.answers is not None:
            self.answers.clear()

    def clear_caches(self) -> None:
        """Forget every derived value except ``lookup`` (benchmarks measure cold renders)."""
        with self._memo_lock:
            self._memo.clear()
        self.clear_renders()
        self.results.clear()
