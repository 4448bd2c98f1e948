"""What every view needs, built once per app: data, metadata and the app itself.

The language is *not* here: it comes with each request (``?kieli=``), so one running app
serves Finnish, Swedish and English readers at the same time. ``default_lang`` is only
what a URL without ``kieli`` means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dash
import pandas as pd

from digiindicators.areas import AreaTable
from digiindicators.catalog import Catalog

from .info import DataInfo
from .surveydata import SurveyData
from .tilegrid import Tile


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
    cache: dict[Any, Any] = field(default_factory=dict)  # memoised view data (index runs)

    def path(self, path: str) -> str:
        """An app path with the deployment's prefix (``requests_pathname_prefix``)."""
        return self.app.get_relative_path(path)

    @property
    def municipalities(self) -> list[str]:
        return self.areas.municipalities()
