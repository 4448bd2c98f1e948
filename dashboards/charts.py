"""Figures of the profile and index views (the overview's are in :mod:`dashboards.figures`).

Same rules as there: pure functions returning plotly figures; every series distinguishable
without colour (line dash, marker shape, a text flag); palette colours only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from . import palette
from .figures import FONT_FAMILY, SEPARATORS, Styled, whole
from .i18n import texts
from .profiledata import Trend

TREND_HEIGHT = 240
RANK_ROW_PX = 24


def _base_layout(lang: str, height: int) -> dict:
    sep = SEPARATORS.get(lang, SEPARATORS["fi"])
    return {
        "height": height,
        "paper_bgcolor": palette.BACKGROUND,
        "plot_bgcolor": palette.BACKGROUND,
        "font": {"family": FONT_FAMILY, "color": palette.TEXT, "size": 12},
        "separators": "".join(sep),
        "dragmode": False,
        "hovermode": "x unified",
        "hoverlabel": {"bgcolor": palette.BACKGROUND, "font": {"color": palette.TEXT}},
    }


def trend_figure(tr: Trend, name: str, lang: str) -> go.Figure:
    """The trend chart (see :func:`trend_spec`) as a plotly ``Figure``."""
    return go.Figure(trend_spec(tr, name, lang))


def trend_spec(tr: Trend, name: str, lang: str) -> dict[str, Any]:
    """Lines over the years: the municipality (solid, circles), its peer group (dotted,
    diamonds), the region (solid, squares) and Finland (dashed, no markers). Counts show
    the municipality only. Modelled estimates get interval whiskers. A plain figure dict,
    as :func:`dashboards.figures.ranking_spec` explains."""
    t = texts(lang)
    info = tr.info
    data: list[dict[str, Any]] = []

    def add(label: str, values: list, colour: str, dash: str, symbol: str | None, width: float,
            intervals: list | None = None) -> None:
        if all(v is None for v in values):
            return
        trace: dict[str, Any] = {
            "type": "scatter", "x": list(tr.years), "y": values, "name": label,
            "mode": "lines+markers" if symbol else "lines",
            "line": {"color": colour, "dash": dash, "width": width},
            "marker": {"symbol": symbol or "circle", "size": 7, "color": colour},
            "hovertemplate": "%{y}<extra>" + label + "</extra>",
            "connectgaps": False,
        }
        if intervals and any(iv is not None for iv in intervals):
            trace["error_y"] = {
                "type": "data", "symmetric": False, "color": palette.INTERVAL,
                "thickness": 1.2, "width": 3,
                "array": [(iv[1] - v) if iv and v is not None else 0
                          for v, iv in zip(values, intervals, strict=True)],
                "arrayminus": [(v - iv[0]) if iv and v is not None else 0
                               for v, iv in zip(values, intervals, strict=True)],
            }
        data.append(trace)

    own = [a.value if a else None for a in tr.own]
    intervals = [(a.lower, a.upper) if a and a.has_interval else None for a in tr.own]
    add(name, own, palette.BAR, "solid", "circle", 3, intervals)
    if not tr.additive:
        add(t["peer_group"], list(tr.peer), palette.PEER_LINE, "dot", "diamond", 2)
        add(next((a.name for a in tr.region if a), t["region_name"]),
            [a.value if a else None for a in tr.region], palette.REGION_LINE, "solid",
            "square", 1.5)
        add(t["country_name"], [a.value if a else None for a in tr.country],
            palette.COUNTRY_LINE, "dash", None, 1.5)
    return {"data": data, "layout": {
        **_base_layout(lang, TREND_HEIGHT),
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8, "autoexpand": True},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.2, "x": 0, "font": {"size": 11}},
        "xaxis": {"tickmode": "array", "tickvals": list(tr.years), "fixedrange": True,
                  "gridcolor": palette.GRID, "automargin": True,
                  "tickfont": {"color": palette.TEXT_MUTED}},
        "yaxis": {"fixedrange": True, "gridcolor": palette.GRID, "automargin": True,
                  "tickformat": ",~f", "tickfont": {"color": palette.TEXT_MUTED},
                  "title": {"text": t["unit_axis"].get(info.unit, info.unit),
                            "font": {"size": 11}}},
    }}


def rank_range_figure(table: pd.DataFrame, lang: str) -> go.Figure:
    """The rank-range chart (see :func:`rank_range_spec`) of an index table as a plotly
    ``Figure``, for a notebook."""
    ranked = [r for r in table.to_dict("records") if r["index"] == r["index"]]
    return go.Figure(rank_range_spec(ranked, lang))


def rank_range_spec(ranked: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The rank-range chart as a plain figure dict (:func:`rank_range_styled`, whole)."""
    return whole(rank_range_styled(ranked, lang))


def rank_range_styled(ranked: list[dict[str, Any]], lang: str) -> Styled:
    """One row per ranked municipality (``indexdata.ranked``): a whisker from its best to
    its worst rank over all method choices and a marker at the rank the page shows.
    Rankings that are not robust are drawn thicker in ``NOT_ROBUST`` with a diamond and
    carry a "!" flag and their range as text, so the warning does not depend on colour.
    The range labels' shared style apart (:class:`~dashboards.figures.Styled`)."""
    t = texts(lang)
    records = sorted(ranked, key=lambda r: (int(r["rank"]), r["name"]))
    names = [r["name"] for r in records]
    ranks = [int(r["rank"]) for r in records]
    best = [int(r["rank_best"]) for r in records]
    worst = [int(r["rank_worst"]) for r in records]
    robust = [bool(r["robust"]) for r in records]
    data: list[dict[str, Any]] = []
    for steady in (True, False):
        part = [i for i, r in enumerate(robust) if r == steady]
        if not part:
            continue
        colour = palette.BAR if steady else palette.NOT_ROBUST
        data.append({
            "type": "scatter",
            "x": [ranks[i] for i in part], "y": [names[i] for i in part],
            "mode": "markers",
            "marker": {"symbol": "circle" if steady else "diamond", "size": 9 if steady else 11,
                       "color": colour},
            "error_x": {"type": "data", "symmetric": False, "color": colour,
                        "thickness": 2 if steady else 4, "width": 5,
                        "array": [worst[i] - ranks[i] for i in part],
                        "arrayminus": [ranks[i] - best[i] for i in part]},
            "hovertemplate": "%{y}: %{x}<extra></extra>", "showlegend": False,
        })
    n = len(names)
    label_style = {"xref": "paper", "xanchor": "left", "yref": "y", "showarrow": False,
                   "font": {"size": 12, "color": palette.TEXT}}
    annotations = [{"x": 1.0, "y": name, "text": f"{'' if steady else '! '}{low}–{high}"}
                   for name, steady, low, high in zip(names, robust, best, worst, strict=True)]
    layout: dict[str, Any] = {
        **_base_layout(lang, max(n, 5) * RANK_ROW_PX + 110), "hovermode": "closest",
        "margin": {"l": 8, "r": 64, "t": 8, "b": 48, "autoexpand": True},
        "xaxis": {"range": [0.5, max(n, 1) + 0.5], "fixedrange": True,
                  "dtick": 5 if n > 15 else 1, "gridcolor": palette.GRID,
                  "title": {"text": t["rank_axis"]}, "tickfont": {"color": palette.TEXT_MUTED}},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": names,
                  "autorange": "reversed", "fixedrange": True, "automargin": True,
                  "ticksuffix": " "},
    }
    if annotations:
        layout["annotations"] = annotations
    return Styled({"data": data, "layout": layout}, label_style if annotations else {}, {})
