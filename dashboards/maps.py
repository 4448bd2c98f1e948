"""The overview's map: class breaks, the tile grid's cells and the boundary choropleth.

Pure functions of a :class:`figures.Ranking`, so the map, its legend and its table always
show the same numbers as the ranking chart. The map classes are *quintiles* of the
municipal values (five classes of about six municipalities, as Sotkanet draws its maps),
labelled with the smallest and largest value actually in each class, so a legend never
claims a range nobody has. With boundaries (``digiindicators.boundaries()``) the map is a
choropleth drawn as filled polygons on plain axes — plotly's ``geo`` maps fetch a world
outline from a CDN, which this dashboard must never do, and are not in the basic plotly.js
bundle the page loads (:mod:`dashboards.plotlyjs`); without them it is the tile grid of
:mod:`dashboards.tilegrid`. The polygons are projected once per app (:func:`outlines`).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import plotly.graph_objects as go

from . import palette
from .figures import FONT_FAMILY, Ranking, Styled, format_number, format_value, unit_label, whole
from .tilegrid import Tile, grid_size

N_CLASSES = 5


@dataclass(frozen=True)
class MapClass:
    """One colour class: its fill, the text colour on it and the values it holds."""

    index: int  # 1 = smallest values
    lower: float
    upper: float
    fill: str
    text: str
    label: str  # "6,1–8,4 %" (the smallest and largest value in the class)

    @property
    def legend(self) -> str:
        """"2: 6,1–8,4 %": how the legend and the values table name the class."""
        return f"{self.index}: {self.label}"


class MapCell(NamedTuple):
    """One municipality on the map (a named tuple: a frozen dataclass took 1.3 µs to build,
    0.4 ms of every whole-country map)."""

    code: str
    name: str
    abbr: str
    row: int
    col: int
    value: float | None
    value_text: str  # "12,3" or the status symbol ("..")
    status: str
    map_class: MapClass | None  # None when there is no value


@dataclass(frozen=True)
class MapData:
    classes: list[MapClass]
    cells: list[MapCell]
    rows: int
    cols: int
    unit: str


def class_breaks(values: list[float], n: int = N_CLASSES) -> list[float]:
    """Upper bounds of up to ``n`` quantile classes (fewer when values repeat)."""
    data = sorted(v for v in values if v is not None and math.isfinite(v))
    if not data:
        return []
    breaks: list[float] = []
    for k in range(1, n + 1):
        pos = (len(data) - 1) * k / n
        lo, hi = math.floor(pos), math.ceil(pos)
        q = data[lo] + (data[hi] - data[lo]) * (pos - lo)
        if not breaks or q > breaks[-1]:
            breaks.append(q)
    breaks[-1] = data[-1]
    return breaks


def class_of(value: float, breaks: list[float]) -> int:
    """0-based class of ``value`` (the first class whose upper bound it does not exceed)."""
    return min(bisect.bisect_left(breaks, value), len(breaks) - 1)


def _colours(k: int) -> list[int]:
    """Indices into the 5-step palette for ``k`` classes, spread from pale to dark."""
    if k <= 1:
        return [2]
    return [round(i * (len(palette.SEQUENTIAL) - 1) / (k - 1)) for i in range(k)]


def map_data(ranking: Ranking, tiles: dict[str, Tile]) -> MapData:
    """Classes and cells of one indicator and year, in the ranking's language."""
    info = ranking.info
    lang = ranking.lang
    values = [a.value for a in ranking.ranked if a.value is not None]
    breaks = class_breaks(values)
    members: dict[int, list[float]] = {}
    class_index: dict[float, int] = {}  # each value's class, found once
    for v in values:
        i = class_index[v] = class_of(v, breaks)
        members.setdefault(i, []).append(v)
    colour_idx = _colours(len(breaks))
    classes = []
    for i in range(len(breaks)):
        inside = members.get(i, [])
        lo, hi = (min(inside), max(inside)) if inside else (breaks[i], breaks[i])
        lo_text = format_number(lo, info.decimals, lang)
        hi_text = format_value(hi, info.decimals, info.unit, lang)
        label = hi_text if lo_text == format_number(hi, info.decimals, lang) else (
            f"{lo_text}–{hi_text}"
        )
        classes.append(MapClass(
            index=i + 1, lower=lo, upper=hi,
            fill=palette.SEQUENTIAL[colour_idx[i]], text=palette.SEQUENTIAL_TEXT[colour_idx[i]],
            label=label,
        ))
    cells = []
    for area in [*ranking.ranked, *ranking.missing]:
        tile = tiles.get(area.code)
        if tile is None and tiles:
            continue  # outside the tile grid
        tile = tile or NO_TILE  # a region without a grid: the cells still colour the map
        cls = classes[class_index[area.value]] if area.value is not None else None
        status = area.status or ("" if area.value is not None else "..")
        number = format_number(area.value, info.decimals, lang)
        if number and status == "e":
            number += " e"  # a modelled estimate, as in the ranking and the table
        cells.append(MapCell(
            code=area.code, name=area.name, abbr=tile.abbr, row=tile.row, col=tile.col,
            value=area.value,
            value_text=number or status,
            status=status, map_class=cls,
        ))
    cells.sort(key=lambda c: (c.row, c.col))
    rows, cols = grid_size(tiles) if tiles else (0, 0)
    return MapData(classes, cells, rows, cols, unit_label(info.unit, lang))


#: The cell position of a region without a tile grid (only the boundary map draws it).
NO_TILE = Tile(0, 0, "")


# ---- the choropleth ---------------------------------------------------------------------
def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon (holes are not drawn: they get filled)."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coords[0]] if coords else []
    if kind == "MultiPolygon":
        return [poly[0] for poly in coords if poly]
    return []


def _mean_latitude(features: list[dict[str, Any]]) -> float:
    lats = [pt[1] for f in features for ring in _rings(f.get("geometry") or {}) for pt in ring]
    return sum(lats) / len(lats) if lats else 65.0


def boundary_codes(geojson: dict[str, Any] | None) -> set[str]:
    """Area codes that have a polygon in ``geojson`` (empty for None or a broken layer)."""
    if not isinstance(geojson, dict):
        return set()
    codes = set()
    for feature in geojson.get("features") or []:
        code = (feature.get("properties") or {}).get("area_code")
        if code and _rings(feature.get("geometry") or {}):
            codes.add(str(code))
    return codes


#: Decimals kept of the plotted coordinates (degrees × cos(latitude) and degrees): 0.0001°
#: is about 10 m, far below one pixel of a 560-px map of the region (about 500 m), so
#: the outline looks the same and the figure is half the bytes of full precision.
COORD_DECIMALS = 4


@dataclass(frozen=True)
class Outline:
    """One boundary feature as plot coordinates (rings separated by None)."""

    code: str
    x: list[float | None]
    y: list[float | None]


def outlines(geojson: dict[str, Any]) -> list[Outline]:
    """Every feature with an ``area_code``, projected once (the app keeps the result).

    Longitudes are scaled by cos(mean latitude), which is close enough to an equal-area
    look at 64–66° N for a region this size and needs no projection library.
    """
    features = [f for f in geojson.get("features") or []
                if (f.get("properties") or {}).get("area_code")]
    scale = math.cos(math.radians(_mean_latitude(features)))
    out = []
    for feature in features:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in _rings(feature.get("geometry") or {}):
            xs += [round(pt[0] * scale, COORD_DECIMALS) for pt in ring] + [None]
            ys += [round(pt[1], COORD_DECIMALS) for pt in ring] + [None]
        out.append(Outline(str(feature["properties"]["area_code"]), xs, ys))
    return out


def choropleth_figure(data: MapData, geojson: dict[str, Any],
                      marked: frozenset[str] | set[str] = frozenset()) -> go.Figure:
    """The boundary map (see :func:`choropleth_spec`) as a plotly ``Figure``."""
    return go.Figure(choropleth_spec(data, outlines(geojson), marked))


def choropleth_spec(data: MapData, shapes: list[Outline],
                    marked: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    """The boundary map as a plain plotly figure dict (:func:`choropleth_styled`, whole)."""
    return whole(choropleth_styled(data, shapes, marked)[0])


def choropleth_styled(data: MapData, shapes: list[Outline],
                      marked: frozenset[str] | set[str] = frozenset(), *,
                      coordinates: bool = True) -> tuple[Styled, list[str]]:
    """Municipal polygons filled by class, each outlined in ``TILE_BORDER``; ``marked``
    municipalities (a highlighted peer group) get a thick ``HIGHLIGHT`` outline. Returns
    the figure, the polygons' shared style apart (:class:`~dashboards.figures.Styled`),
    and the area code of each trace's outline.

    ``shapes`` come from :func:`outlines`, computed once per app; their coordinate lists
    are shared, not copied. ``coordinates=False`` leaves them out of the traces, for a
    browser that has them already (:mod:`dashboards.mapoutlines`).
    """
    # Marked outlines last, so no neighbour's thin border is drawn over them.
    ordered = sorted(shapes, key=lambda o: o.code in marked) if marked else shapes
    by_code = {c.code: c for c in data.cells}
    style = {"mode": "lines", "fill": "toself", "line": {"color": palette.TILE_BORDER,
                                                         "width": 1},
             "hoveron": "fills", "hoverinfo": "text", "showlegend": False}
    thick = {"color": palette.HIGHLIGHT, "width": 3}
    traces, codes = [], []
    for shape in ordered:
        cell = by_code.get(shape.code)
        if cell is None:
            continue
        trace: dict[str, Any] = {"type": "scatter"}
        if coordinates:
            trace["x"] = shape.x
            trace["y"] = shape.y
        trace["fillcolor"] = cell.map_class.fill if cell.map_class else palette.MISSING_FILL
        trace["text"] = f"{cell.name}: {cell.value_text}"
        if cell.code in marked:
            trace["line"] = thick
        if cell.map_class is None:
            trace["fillpattern"] = {"shape": "/", "fgcolor": palette.TILE_BORDER, "size": 6,
                                    "solidity": 0.2}
        traces.append(trace)
        codes.append(shape.code)
    axis = {"visible": False, "fixedrange": True}
    return Styled({"data": traces, "layout": {
        "height": 560,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": palette.BACKGROUND,
        "plot_bgcolor": palette.BACKGROUND,
        "font": {"family": FONT_FAMILY, "color": palette.TEXT},
        "dragmode": False,
        "showlegend": False,
        "xaxis": axis,
        "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1},
        "hoverlabel": {"bgcolor": palette.BACKGROUND, "font": {"color": palette.TEXT}},
    }}, {}, {"scatter": style}), codes
