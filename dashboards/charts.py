"""Figures of the profile and index views (the overview's are in :mod:`dashboards.figures`).

Same rules as there: pure functions returning plotly figures; every series distinguishable
without colour (line dash, marker shape, a text flag); palette colours only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import palette
from .figures import FONT_FAMILY, SEPARATORS
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
    """Lines over the years: the municipality (solid, circles), its peer group (dotted,
    diamonds), the region (solid, squares) and Finland (dashed, no markers). Counts show
    the municipality only. Modelled estimates get interval whiskers."""
    t = texts(lang)
    info = tr.info
    fig = go.Figure()

    def add(label: str, values: list, colour: str, dash: str, symbol: str | None, width: float,
            intervals: list | None = None) -> None:
        if all(v is None for v in values):
            return
        error_y = None
        if intervals and any(iv is not None for iv in intervals):
            error_y = {
                "type": "data", "symmetric": False, "color": palette.INTERVAL,
                "thickness": 1.2, "width": 3,
                "array": [(iv[1] - v) if iv and v is not None else 0
                          for v, iv in zip(values, intervals, strict=True)],
                "arrayminus": [(v - iv[0]) if iv and v is not None else 0
                               for v, iv in zip(values, intervals, strict=True)],
            }
        fig.add_trace(go.Scatter(
            x=tr.years, y=values, name=label,
            mode="lines+markers" if symbol else "lines",
            line={"color": colour, "dash": dash, "width": width},
            marker={"symbol": symbol or "circle", "size": 7, "color": colour},
            error_y=error_y,
            hovertemplate="%{y}<extra>" + label + "</extra>",
            connectgaps=False,
        ))

    own = [a.value if a else None for a in tr.own]
    intervals = [(a.lower, a.upper) if a and a.has_interval else None for a in tr.own]
    add(name, own, palette.BAR, "solid", "circle", 3, intervals)
    if not tr.additive:
        add(t["peer_group"], tr.peer, palette.PEER_LINE, "dot", "diamond", 2)
        add(next((a.name for a in tr.region if a), t["region_name"]),
            [a.value if a else None for a in tr.region], palette.REGION_LINE, "solid",
            "square", 1.5)
        add(t["country_name"], [a.value if a else None for a in tr.country],
            palette.COUNTRY_LINE, "dash", None, 1.5)
    fig.update_layout(
        **_base_layout(lang, TREND_HEIGHT),
        margin={"l": 8, "r": 8, "t": 8, "b": 8, "autoexpand": True},
        showlegend=True,
        legend={"orientation": "h", "y": -0.2, "x": 0, "font": {"size": 11}},
        xaxis={"tickmode": "array", "tickvals": tr.years, "fixedrange": True,
               "gridcolor": palette.GRID, "automargin": True,
               "tickfont": {"color": palette.TEXT_MUTED}},
        yaxis={"fixedrange": True, "gridcolor": palette.GRID, "automargin": True,
               "tickformat": ",~f", "tickfont": {"color": palette.TEXT_MUTED},
               "title": {"text": t["unit_axis"].get(info.unit, info.unit), "font": {"size": 11}}},
    )
    return fig


def rank_range_figure(table: pd.DataFrame, lang: str) -> go.Figure:
    """One row per ranked municipality: a whisker from its best to its worst rank over
    all method choices and a marker at the rank the page shows. Rankings that are not
    robust are drawn thicker in ``NOT_ROBUST`` with a diamond and carry a "!" flag and
    their range as text, so the warning does not depend on colour."""
    t = texts(lang)
    ranked = table[table["index"].notna()].sort_values(["rank", "name"])
    names = list(ranked["name"])
    fig = go.Figure()
    for robust in (True, False):
        part = ranked[ranked["robust"] == robust]
        if part.empty:
            continue
        colour = palette.BAR if robust else palette.NOT_ROBUST
        fig.add_trace(go.Scatter(
            x=[int(r) for r in part["rank"]], y=list(part["name"]), mode="markers",
            marker={"symbol": "circle" if robust else "diamond", "size": 9 if robust else 11,
                    "color": colour},
            error_x={"type": "data", "symmetric": False, "color": colour,
                     "thickness": 2 if robust else 4, "width": 5,
                     "array": [int(w) - int(r) for w, r in zip(part["rank_worst"], part["rank"],
                                                                strict=True)],
                     "arrayminus": [int(r) - int(b) for r, b in zip(part["rank"],
                                                                    part["rank_best"],
                                                                    strict=True)]},
            hovertemplate="%{y}: %{x}<extra></extra>", showlegend=False,
        ))
    n = len(names)
    for rec in ranked.to_dict("records"):
        flag = "" if rec["robust"] else "! "
        fig.add_annotation(
            x=1.0, xref="paper", xanchor="left", y=rec["name"], yref="y", showarrow=False,
            text=f"{flag}{int(rec['rank_best'])}–{int(rec['rank_worst'])}",
            font={"size": 12, "color": palette.TEXT if rec["robust"] else palette.TEXT},
        )
    fig.update_layout(
        **{**_base_layout(lang, max(n, 5) * RANK_ROW_PX + 110), "hovermode": "closest"},
        margin={"l": 8, "r": 64, "t": 8, "b": 48, "autoexpand": True},
        xaxis={"range": [0.5, max(n, 1) + 0.5], "fixedrange": True, "dtick": 5 if n > 15 else 1,
               "gridcolor": palette.GRID, "title": {"text": t["rank_axis"]},
               "tickfont": {"color": palette.TEXT_MUTED}},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": names,
               "autorange": "reversed", "fixedrange": True, "automargin": True,
               "ticksuffix": " "},
    )
    return fig
