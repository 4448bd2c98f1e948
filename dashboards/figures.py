"""Pure functions from the tidy panel to what the overview shows: figure, caption, table rows.

They take the panel as an argument and return plain values, so they are tested without a
browser and a notebook user gets exactly the chart the dashboard shows. Nothing here
knows about Dash callbacks or reads files. Charts are built as plain plotly figure dicts
(:func:`ranking_spec`; the dashboard sends them as they are) and wrapped in a
``go.Figure`` for notebooks (:func:`ranking_figure`).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

import numpy as np
import orjson
import pandas as pd
import plotly.graph_objects as go

from digiindicators.areas import AreaTable
from digiindicators.areas import areas as default_areas
from digiindicators.catalog import Catalog, load_catalog

from . import palette, plotlyjs
from .i18n import texts
from .lookup import PanelLookup, Row, subset
from .lookup import number as finite_number

COUNTRY_CODE = "SSS"
COMPUTED_SUFFIX = "; laskettu kuntien luvuista"
STATUS_SYMBOLS = ("..", "...", ".", "e")
FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
    "sans-serif"
)
#: Decimal and thousands separators per language (U+202F narrow no-break space groups digits).
SEPARATORS = {"fi": (",", "\u202f"), "sv": (",", "\u202f"), "en": (".", ",")}
NBSP = "\u00a0"
MINUS = "\u2212"
BAR_PX = 24  # height of one bar row in the ranking chart
CHART_EXTRA_PX = 120  # axes, reference-line labels


# ---- numbers ------------------------------------------------------------------------------
def format_number(value: float | None, decimals: int = 1, lang: str = "fi") -> str:
    """A number as a reader of ``lang`` writes it: ``12 345,6`` (fi, sv), ``12,345.6`` (en).

    Missing values give ``""``: the caller shows the source's status symbol instead, never
    a made-up zero.
    """
    finite = finite_number(value)
    if finite is None:
        return ""
    decimals = max(int(decimals), 0)
    key = (finite, decimals, lang)
    text = _WRITTEN.get(key)
    return text if text is not None else _remembered(key)


def format_numbers(values: Sequence[float | None], decimals: int = 1,
                   lang: str = "fi") -> list[str]:
    """:func:`format_number` of each of ``values``, written together (:func:`_written_many`).

    Why: a reader trying index weights gets 308 numbers never written before in each
    chart; one at a time, and each remembered, writing them was a sixth of the chart's
    answer. Together they are written faster than they were looked up.
    """
    decimals = max(int(decimals), 0)
    if values and set(map(type, values)) == _FLOAT_ONLY:  # a chart's values: all floats
        array = np.asarray(values, dtype=float)
        if np.isfinite(array).all():  # then each is its own finite number
            return _written_many(values, decimals, lang, array)
    finite_at: list[int] = []
    finite_values: list[float] = []
    for at, value in enumerate(values):
        finite = value if type(value) is float and -_INF < value < _INF \
            else finite_number(value)  # NaN and infinities fail the comparison
        if finite is not None:
            finite_at.append(at)
            finite_values.append(finite)
    written = _written_many(finite_values, decimals, lang) if finite_values else []
    if len(written) == len(values):
        return written
    out = [""] * len(values)
    for at, text in zip(finite_at, written, strict=True):
        out[at] = text
    return out


_INF = float("inf")
_FLOAT_ONLY = {float}


#: Numbers as written, by (value, decimals, language): a whole-country page writes the
#: same few thousand values several times (chart labels, map classes, tables), and the
#: next page mostly the same again. Emptied when full (a plain dict is faster to read
#: than an LRU cache, and the values a page needs are written again at once).
_WRITTEN: dict[tuple[float, int, str], str] = {}
_WRITTEN_MAX = 1 << 16


def _remembered(key: tuple[float, int, str]) -> str:
    text = _written(*key)
    if len(_WRITTEN) >= _WRITTEN_MAX:
        _WRITTEN.clear()
    _WRITTEN[key] = text
    return text


def _written(value: float, decimals: int, lang: str) -> str:
    """A finite ``value`` rounded half away from zero on its shortest decimal repr (31.25
    -> 31,3), as people round, with the separators and minus sign of ``lang``.

    Python's own formatting rounds the binary value instead (31.25 -> 31.2), but it gives
    the same digits unless the shortest repr is exactly a tie at ``decimals``: a rounding
    boundary (``decimals + 1`` decimals ending in 5) strictly between the repr and the
    value would itself round-trip to the value, and be a shorter or closer repr. So only
    a tie (:func:`_near_tie` finds the candidates), or a repr in exponent form from 1e16
    up (where Python writes the binary value's digits), is rounded with ``Decimal`` (a
    reader trying index weights gets 300 new values each time; ``Decimal`` for each took
    most of the index chart's build). ``tests/test_number_format.py`` checks the result
    against ``Decimal`` alone on random and constructed values.

    The separators and minus sign are put in by :func:`_as_written`, as for numbers
    written together (:func:`_written_many`).
    """
    tie = _near_tie(value, decimals)
    written = repr(value) if tie or abs(value) >= 1e16 else ""
    fraction = written.partition(".")[2]
    if "e" in written or (len(fraction) == decimals + 1 and fraction[-1] == "5"):
        exact = Decimal(written).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{exact:,.{decimals}f}"
    else:
        text = f"{value:,.{decimals}f}"
    if text[0] == "-" and not text[1:].strip("0.,"):  # rounds to zero: no "-0,0"
        text = text[1:]
    return _as_written(text, lang)


def _near_tie(value: float, decimals: int) -> bool:
    """Whether ``value`` may be written as a tie at ``decimals`` (``decimals + 1`` decimals
    ending in 5): only then, or from 1e16 up, is its repr needed (:func:`_written`).

    A tie's repr is within a few units in the last place of the value, so the value times
    10^(decimals + 1) is an integer ending in 5 to far better than the one part in 10^9
    allowed here; a value this lets through is checked on its repr. Most values are not
    near one, and skip the repr (a third of writing a new number).
    """
    scaled = abs(value) * 10.0 ** (decimals + 1)
    nearest = round(scaled)
    return nearest % 10 == 5 and abs(scaled - nearest) <= scaled * 1e-9


def _written_many(values: list[float], decimals: int, lang: str,
                  array: np.ndarray | None = None) -> list[str]:
    """:func:`_written` of each of the finite ``values``, most of them in one string.

    Python's own formatting, with groups, over the values joined, and the separators and
    minus sign replaced once (:func:`_as_written`): what :func:`_written` gives for every
    value that is not near a tie (:func:`_near_tie`, here on the whole array, with the
    same float operations), below 1e16 and not a negative that may round to zero (no
    "−0,0"). Those few are written one by one.
    """
    if not values:
        return []
    if array is None:  # ``array``: the values as floats, when the caller has them so
        array = np.asarray(values, dtype=float)
    size = np.abs(array)
    scaled = size * 10.0 ** (decimals + 1)
    nearest = np.round(scaled)  # half to even, as round() on one value
    alone = (nearest % 10 == 5) & (np.abs(scaled - nearest) <= scaled * 1e-9)
    alone |= (size >= 1e16) | (np.signbit(array) & (scaled < 6.0))
    form = f"{{:,.{decimals}f}}".format
    if not alone.any():
        if (size < 999.0).all():  # no group to separate: one %-format of them all, in C
            joined = (f"%.{decimals}f\n" * len(values))[:-1] % tuple(values)
        else:
            joined = "\n".join(map(form, values))
        return _as_written(joined, lang).split("\n")
    return [_written(value, decimals, lang) if one else _as_written(form(value), lang)
            for value, one in zip(values, alone.tolist(), strict=True)]


def _as_written(text: str, lang: str) -> str:
    """Python's ",", "." and "-" in ``text`` as ``lang`` writes them (as :func:`_written`
    does: Finnish separators for another language, and its minus sign only in fi and sv).
    Replaced one after the other, groups first (no language here groups with "."):
    faster than a translation table over a whole chart's labels."""
    decimal_sep, group_sep = SEPARATORS.get(lang, SEPARATORS["fi"])
    if group_sep != ",":
        text = text.replace(",", group_sep)
    if decimal_sep != ".":
        text = text.replace(".", decimal_sep)
    if lang in ("fi", "sv"):
        text = text.replace("-", MINUS)
    return text


def unit_label(unit: str, lang: str = "fi") -> str:
    """The panel's (Finnish) unit in the reader's language."""
    return texts(lang)["units"].get(unit, unit)


def format_value(value: float | None, decimals: int, unit: str, lang: str = "fi") -> str:
    """Number with its unit for running text: ``31,2 %``, ``1 234 henkilöä``, ``45,1``."""
    return _with_unit(format_number(value, decimals, lang), unit, lang)


def format_values(values: Sequence[float | None], decimals: int, unit: str,
                  lang: str = "fi") -> list[str]:
    """:func:`format_value` of each of ``values`` (:func:`format_numbers`, one suffix)."""
    suffix = _unit_suffix(unit, lang)
    numbers = format_numbers(values, decimals, lang)
    if not suffix:
        return numbers
    return [number + suffix if number else "" for number in numbers]


def _with_unit(number: str, unit: str, lang: str) -> str:
    return number + _unit_suffix(unit, lang) if number else ""


def _unit_suffix(unit: str, lang: str) -> str:
    """What follows a number in running text: `` %`` (``%`` in English), `` henkilöä``,
    nothing for an index or a unitless number."""
    if unit == "%":
        return "%" if lang == "en" else NBSP + "%"
    if unit in ("indeksi", ""):
        return ""
    return NBSP + unit_label(unit, lang)


# ---- catalog and panel lookups -------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorInfo:
    """What the page needs to know about one indicator, in one language."""

    id: str
    title: str
    description: str
    unit: str
    decimals: int
    direction: str
    theme: str
    additive: bool = False  # a count (summed over areas): larger areas are not comparable


def indicator_info(
    indicator: str,
    lang: str = "fi",
    catalog: Catalog | None = None,
    panel: pd.DataFrame | None = None,
    *,
    lookup: PanelLookup | None = None,
) -> IndicatorInfo:
    """Catalog metadata; an indicator missing from the catalog still gets usable defaults."""
    catalog = catalog or load_catalog()
    if indicator in catalog.ids:
        ind = catalog[indicator]
        return IndicatorInfo(
            id=ind.id,
            title=ind.title[lang],
            description=ind.description[lang],
            unit=ind.unit,
            decimals=ind.decimals,
            direction=ind.direction,
            theme=ind.theme,
            additive=ind.source.aggregate == "sum",
        )
    unit = ""
    if lookup is not None:
        unit = lookup.unit(indicator)
    elif panel is not None:
        units = panel.loc[panel["indicator"] == indicator, "unit"].dropna()
        unit = str(units.iloc[0]) if not units.empty else ""
    return IndicatorInfo(indicator, indicator, "", unit, 1, "neutral", "", unit == "henkilöä")


def _kunta_values(panel: pd.DataFrame) -> pd.DataFrame:
    rows = panel[panel["area_level"] == "kunta"]
    return rows[pd.to_numeric(rows["value"], errors="coerce").notna()]


SURVEY_PREFIX = "survey_"


def is_statistic(indicator: str) -> bool:
    """True for register statistics and estimates; False for survey answers and their n rows.

    Survey rows live in the same panel but have their own view, where n and suppression
    are explained; ``__n``/``__kunnat`` rows count respondents and are no indicator.
    """
    return not indicator.startswith(SURVEY_PREFIX) and "__" not in indicator


def available_indicators(panel: pd.DataFrame, catalog: Catalog | None = None, *,
                         lookup: PanelLookup | None = None) -> list[str]:
    """Indicators with at least one municipal value, in catalog order (unknown ones last).

    Survey answers are left out (see :func:`is_statistic`). ``lookup`` (the app's index of
    the same panel) answers without scanning the panel.
    """
    catalog = catalog or load_catalog()
    if lookup is not None:
        present = {i for i in lookup.municipal_indicators() if is_statistic(i)}
    else:
        present = {i for i in _kunta_values(panel)["indicator"].unique()
                   if is_statistic(str(i))}
    ordered = [i for i in catalog.ids if i in present]
    return ordered + sorted(present - set(ordered))


def available_years(panel: pd.DataFrame, indicator: str, *,
                    lookup: PanelLookup | None = None) -> list[int]:
    """Years in which some municipality has a value for ``indicator``, oldest first."""
    if lookup is not None:
        return lookup.municipal_years(indicator)
    rows = _kunta_values(panel)
    years = rows.loc[rows["indicator"] == indicator, "year"].unique()
    return sorted(int(y) for y in years)


_AFTER_Z = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # the characters after "z"


@functools.lru_cache(maxsize=4096)  # area names: a few hundred, sorted on every table
def sort_key(name: str) -> str:
    """Finnish/Swedish alphabetical order: å, ä, ö come after z (in that order)."""
    return name.casefold().translate(_AFTER_Z)


# ---- the ranking data -----------------------------------------------------------------------
class AreaValue(NamedTuple):
    """One area's value as the views show it (a named tuple: a whole-country ranking
    builds 400, and a frozen dataclass took 0.5 ms of it)."""

    code: str
    name: str
    value: float | None
    status: str
    lower: float | None
    upper: float | None
    source: str

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None


@dataclass(frozen=True)
class Ranking:
    """One indicator and year: municipalities sorted largest first, plus reference areas."""

    info: IndicatorInfo
    year: int
    lang: str
    ranked: list[AreaValue]  # municipalities with a value, largest first
    missing: list[AreaValue]  # municipalities without a value (suppressed or absent)
    region: AreaValue | None
    country: AreaValue | None
    references: list[AreaValue] = field(default_factory=list)  # region, county, country
    county: AreaValue | None = None  # the wellbeing services county (HV19)


def _name(code: str, fallback: str, lang: str, areas: AreaTable,
          names: dict[str, str] | None = None) -> str:
    names = areas.names(lang) if names is None else names
    return names.get(code) or fallback or code


def absent_value(code: str, lang: str, areas: AreaTable) -> AreaValue:
    """A municipality the values do not have at all: its name, no value, no status."""
    return AreaValue(code, _name(code, "", lang, areas), None, "", None, None, "")


def area_value(row: Row, lang: str, areas: AreaTable, *,
               names: dict[str, str] | None = None) -> AreaValue:
    """A lookup row as the views show it: the area's name in ``lang`` (``names`` is
    ``areas.names(lang)`` for a caller that turns many rows into values)."""
    return AreaValue(row.area_code, _name(row.area_code, row.area_name, lang, areas, names),
                     row.value, row.status, row.lower, row.upper, row.source)


def ranking_data(
    panel: pd.DataFrame,
    indicator: str,
    year: int,
    lang: str = "fi",
    catalog: Catalog | None = None,
    *,
    areas: AreaTable | None = None,
    info: IndicatorInfo | None = None,
    lookup: PanelLookup | None = None,
) -> Ranking:
    """Collect everything the chart, caption and table of one view need, once.

    ``info`` replaces the catalog's metadata for series that are not in the catalog
    (survey answers, the composite index), so they get a real title and unit.
    ``lookup`` is the app's index of ``panel`` (:mod:`dashboards.lookup`).
    """
    catalog = catalog or load_catalog()
    areas = areas or default_areas()
    lookup = lookup or subset(panel, [indicator])
    info = info or indicator_info(indicator, lang, catalog, panel, lookup=lookup)
    rows = lookup.cells(indicator, year)
    names = areas.names(lang)
    by_code = {code: area_value(row, lang, areas, names=names) for code, row in rows.items()}
    return ranking_of(by_code, info, year, lang, areas,
                      [c for c, r in rows.items() if r.area_level == "kunta"])


def ranking_of(by_code: dict[str, AreaValue], info: IndicatorInfo, year: int, lang: str,
               areas: AreaTable, municipal: Collection[str] = ()) -> Ranking:
    """The ranking of values already known by area code (:func:`ranking_data` reads them
    from a panel; the composite index has them from its own rows). ``municipal`` names
    codes of municipalities the area table may not list."""
    municipalities = list(areas.municipalities())
    known = set(municipalities)
    municipalities += [c for c in municipal if c not in known]
    ranked, missing = [], []
    get = by_code.get
    for code in municipalities:  # a whole-country ranking: 308 times per new chart
        item = get(code)
        if item is None:
            missing.append(absent_value(code, lang, areas))
        elif item.value is None:
            missing.append(item)
        else:
            ranked.append(item)
    ranked.sort(key=lambda a: (-(a.value or 0.0), sort_key(a.name)))
    missing.sort(key=lambda a: sort_key(a.name))
    # For the whole country the region is the country itself: one reference line, not two.
    region = None if areas.whole_country else by_code.get(areas.region_code)
    # A wellbeing county line only when the region has exactly one (Uusimaa has several).
    counties = [c for c in areas.counties() if c in by_code]
    county = by_code[counties[0]] if len(counties) == 1 else None
    country = by_code.get(COUNTRY_CODE)
    refs = [a for a in (region, county, country) if a is not None and a.has_value]
    return Ranking(info, int(year), lang, ranked, missing, region, country, refs, county)


# ---- figure ------------------------------------------------------------------------------------
def ranking_height(n_bars: int) -> int:
    """Chart height in CSS pixels: tall enough for a readable label per municipality."""
    return max(n_bars, 5) * BAR_PX + CHART_EXTRA_PX


def _reference_label(area: AreaValue, ranking: Ranking, *, capitalise: bool = True) -> str:
    """``Pohjois-Pohjanmaa 21,3 %`` / ``Hyvinvointialue 21,0 %`` / ``Koko maa 23,4 %``
    (lower case inside a sentence). The county gets its short generic name: its full name
    repeats the region's and would not fit above a phone-width chart; the table has it."""
    name = area.name
    key = "country" if area.code == COUNTRY_CODE else "county_short" if area.code.startswith(
        "HV") else ""
    if key:
        name = texts(ranking.lang)[key]
        if capitalise:
            name = name[:1].upper() + name[1:]
    info = ranking.info
    return f"{name} {format_value(area.value, info.decimals, info.unit, ranking.lang)}"


def ranking_figure(
    panel: pd.DataFrame,
    indicator: str,
    year: int,
    lang: str = "fi",
    catalog: Catalog | None = None,
    *,
    areas: AreaTable | None = None,
    highlight: str | None = None,
    group: Collection[str] = (),
    info: IndicatorInfo | None = None,
    ranking: Ranking | None = None,
) -> go.Figure:
    """Horizontal bars ranking the municipalities, largest at the top (see
    :func:`ranking_spec`), as a plotly ``Figure`` for notebooks. ``ranking`` reuses data
    already collected with :func:`ranking_data`."""
    if ranking is None:
        ranking = ranking_data(panel, indicator, year, lang, catalog, areas=areas, info=info)
    return go.Figure(ranking_spec(ranking, highlight=highlight, group=group))


def ranking_spec(ranking: Ranking, *, highlight: str | None = None,
                 group: Collection[str] = ()) -> dict[str, Any]:
    """The ranking chart as a plain plotly figure dict (:func:`ranking_styled`, whole)."""
    return whole(ranking_styled(ranking, highlight=highlight, group=group))


def ranking_styled(ranking: Ranking, *, highlight: str | None = None,
                   group: Collection[str] = ()) -> Styled:
    """The ranking chart, its value labels' shared style apart (:class:`Styled`).

    Every bar carries its value as text (colour is never the only carrier); the region, the
    wellbeing services county and Finland appear as labelled vertical lines (solid, dotted,
    dashed) with a white halo so they stay visible over
    the bars. Modelled estimates get a hatch pattern and whiskers for their interval.
    ``highlight`` (an area code) colours one bar and bolds its name, for municipality pages;
    ``group`` (area codes, e.g. a peer group) does the same for several bars, so the
    highlight is carried by the bold name as well as by the colour.

    A dict rather than a ``go.Figure``: plotly.py validates every property it is given,
    which made this chart cost ~130 ms (each annotation re-validated all earlier ones);
    the dict is built in about a millisecond and ``go.Figure(spec)`` gives the same figure.
    """
    lang = ranking.lang
    marked = set(group) | ({highlight} if highlight else set())
    info = ranking.info
    sep = SEPARATORS.get(lang, SEPARATORS["fi"])
    ranked = ranking.ranked
    names = [a.name for a in ranked]
    values = [a.value for a in ranked]
    value_text = format_values(values, info.decimals, info.unit, lang)

    # A region's or Finland's count is not on the municipalities' scale: no lines for counts.
    chart_refs = [] if info.additive else ranking.references

    # One pass over the bars: each one's look (for the traces), whether it has an
    # interval, and its value label. Labels go after the bar (or after its interval
    # whisker); annotations rather than a text trace: they draw above the reference
    # lines, on a white background, so a line never crosses a value. A label after a bar
    # is the shared style; one before a negative bar sets its side.
    groups: dict[tuple[bool, bool], list[int]]
    intervals: list[bool]
    label_x: list[float]
    annotations: list[dict[str, Any]]
    if not marked and _all_plain(ranked, values):
        # Every bar plain (most statistics, every index): one look, each label after its bar.
        groups = {(False, False): list(range(len(ranked)))} if ranked else {}
        intervals = [False] * len(ranked)
        label_x = values
        annotations = [{"x": value, "y": name, "text": text}
                       for value, name, text in zip(values, names, value_text, strict=True)]
    else:
        groups = {}
        intervals = []
        label_x = []
        annotations = []
        for i, a in enumerate(ranked):
            is_estimate = a.status == "e"
            groups.setdefault((is_estimate, a.code in marked), []).append(i)
            interval = a.lower is not None and a.upper is not None
            intervals.append(interval)
            label = value_text[i] + " e" if is_estimate else value_text[i]
            if a.value >= 0:
                x = max(a.value, a.upper) if interval else a.value
                annotations.append({"x": x, "y": a.name, "text": label})
            else:
                x = min(a.value, a.lower) if interval else a.value
                annotations.append({"x": x, "y": a.name, "text": label, "xanchor": "right",
                                    "xshift": -3})
            label_x.append(x)
    label_style = {"xref": "x", "yref": "y", "showarrow": False, "xanchor": "left",
                   "xshift": 3, "font": {"color": palette.TEXT, "size": 12},
                   "bgcolor": palette.BACKGROUND}

    data: list[dict[str, Any]] = []
    # One bar trace per look (plain / estimate, normal / highlighted) so every marker
    # property is a scalar; "overlay" keeps each municipality's single bar on its row.
    for (is_estimate, is_highlight), idx in groups.items():
        colour = palette.HIGHLIGHT if is_highlight else palette.BAR
        marker: dict = {"color": colour, "line": {"width": 0}}
        if is_estimate:
            marker["pattern"] = {
                "shape": "/", "fgcolor": palette.BACKGROUND, "fillmode": "overlay",
                "size": 7, "solidity": 0.35,
            }
        # One look for every bar (a plain chart): the lists as they are, not copied.
        every = len(idx) == len(ranked)
        trace: dict[str, Any] = {
            "type": "bar",
            "x": values if every else [values[i] for i in idx],
            "y": names if every else [names[i] for i in idx],
            "orientation": "h",
            "marker": marker,
            "customdata": value_text if every else [value_text[i] for i in idx],
            "hovertemplate": "%{y}: %{customdata}<extra></extra>",
            "showlegend": False,
        }
        if any(map(intervals.__getitem__, idx)):
            trace["error_x"] = {
                "type": "data",
                "symmetric": False,
                "array": [(ranked[i].upper - ranked[i].value) if intervals[i] else 0
                          for i in idx],
                "arrayminus": [(ranked[i].value - ranked[i].lower) if intervals[i] else 0
                               for i in idx],
                "color": palette.INTERVAL,
                "thickness": 1.5,
                "width": 4,
            }
        data.append(trace)

    # Axis range with room for labels to the right.
    extents = [*label_x, *(a.value for a in chart_refs)]
    hi = max([0.0, *extents]) if extents else 1.0
    lo = min([0.0, *extents]) if extents else 0.0
    span = (hi - lo) or 1.0
    # Room after the longest bar for its label: labels are fixed-size text, so long ones
    # ("1,00 pistettä", "12 345 henkilöä") need more of a phone-width plot than "12,3 %".
    longest = max(map(len, value_text), default=6)
    pad = min(0.2 + 0.03 * max(0, longest - 7), 0.5)
    x_range = [lo - (0.18 * span if lo < 0 else 0), hi + pad * span]

    # Reference lines: white halo under a coloured line, label above the plot area.
    styles = {
        "region": (palette.REGION_LINE, "solid"),
        "county": (palette.COUNTY_LINE, "dot"),
        "country": (palette.COUNTRY_LINE, "dash"),
    }
    shapes: list[dict[str, Any]] = []
    n_refs = len(chart_refs)
    for row, area in enumerate(chart_refs):
        kind = ("country" if area.code == COUNTRY_CODE
                else "county" if area.code.startswith("HV") else "region")
        colour, dash = styles[kind]
        for width, line_colour, line_dash in ((4, palette.BACKGROUND, "solid"), (2, colour, dash)):
            shapes.append({
                "type": "line", "xref": "x", "yref": "paper", "x0": area.value,
                "x1": area.value, "y0": 0, "y1": 1,
                "line": {"color": line_colour, "width": width, "dash": line_dash},
                "layer": "above",
            })
        left_half = (area.value - x_range[0]) < (x_range[1] - x_range[0]) / 2
        annotations.append({
            "x": area.value, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
            "xanchor": "left" if left_half else "right", "xshift": 0,
            "yshift": 4 + 20 * (n_refs - 1 - row), "showarrow": False,
            "text": _reference_label(area, ranking),
            "font": {"color": palette.TEXT, "size": 13},
            "bgcolor": palette.BACKGROUND,
        })

    layout: dict[str, Any] = {
        "height": ranking_height(len(ranking.ranked) or len(ranking.missing)),
        "margin": {"l": 8, "r": 16, "t": 12 + 20 * n_refs, "b": 48, "autoexpand": True},
        "paper_bgcolor": palette.BACKGROUND,
        "plot_bgcolor": palette.BACKGROUND,
        "font": {"family": FONT_FAMILY, "color": palette.TEXT, "size": 13},
        "separators": "".join(sep),
        "bargap": 0.28,
        "barmode": "overlay",
        "dragmode": False,
        "hovermode": "closest",
        "hoverlabel": {"bgcolor": palette.BACKGROUND, "font": {"color": palette.TEXT}},
        "showlegend": False,
        "xaxis": {
            "title": {"text": texts(lang)["unit_axis"].get(info.unit, info.unit),
                      "font": {"size": 13}},
            "range": x_range,
            "fixedrange": True,
            "gridcolor": palette.GRID,
            "zeroline": True,
            "zerolinecolor": palette.TEXT_MUTED,
            "tickfont": {"color": palette.TEXT_MUTED},
            "tickformat": ",~f",  # 10 000 rather than 10k
            "automargin": True,
        },
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": True,
            "ticks": "",
            "tickvals": names,  # every name: plotly's own ticks would skip most of them
            "ticksuffix": " ",
        },
    }
    if marked and any(a.code in marked for a in ranked):  # bold names; else as they are
        layout["yaxis"]["ticktext"] = [f"<b>{a.name}</b>" if a.code in marked else a.name
                                       for a in ranked]
    if annotations:
        layout["annotations"] = annotations
    if shapes:
        layout["shapes"] = shapes
    return Styled({"data": data, "layout": layout}, label_style if annotations else {}, {})


def _all_plain(ranked: list[AreaValue], values: list[float]) -> bool:
    """Whether every bar is plain: no estimate, no interval (both ends), no negative or
    NaN value. Read a property of all bars at once (a test per bar cost a tenth of a
    whole-country chart); bars by one only when some have a lower and some an upper end.
    ``sum`` is NaN when a value is (``min`` may pass over one)."""
    if "e" in map(_STATUS, ranked) or (values and not min(values) >= 0):
        return False
    total = sum(values)
    if total != total:
        return False
    lowers = list(map(_LOWER, ranked))
    if lowers.count(None) == len(lowers):
        return True
    uppers = list(map(_UPPER, ranked))
    return uppers.count(None) == len(uppers) or all(
        low is None or high is None for low, high in zip(lowers, uppers, strict=True))


_STATUS, _LOWER, _UPPER = (operator.attrgetter(name) for name in ("status", "lower", "upper"))


# ---- as the dashboard sends them --------------------------------------------------------------
#: Parts of plotly's default template that only other subplot or trace types read.
_TEMPLATE_UNUSED = frozenset({"geo", "mapbox", "map", "polar", "scene", "ternary", "coloraxis",
                              "colorscale"})


@functools.cache
def dash_template() -> dict[str, Any]:
    """plotly's default template cut to what bar and scatter traces on cartesian axes read.

    ``go.Figure`` embeds the whole template (7 kB of JSON) in every figure; a trace type or
    subplot the figure does not have never reads its part, so the cut template draws the
    same chart for 1 kB.
    """
    import plotly.io as pio

    full = pio.templates[pio.templates.default].to_plotly_json()
    return {
        "data": {k: v for k, v in (full.get("data") or {}).items()
                 if k in plotlyjs.TRACE_TYPES},
        "layout": {k: v for k, v in (full.get("layout") or {}).items()
                   if k not in _TEMPLATE_UNUSED},
    }


# Properties that may move into the template's defaults: how an item looks and where it is
# anchored, never what it says or where it is.
_SHAREABLE_ANNOTATION_KEYS = ("xref", "yref", "showarrow", "xanchor", "yanchor", "xshift",
                              "yshift", "font", "bgcolor", "align")
_SHAREABLE_TRACE_KEYS = ("mode", "fill", "fillcolor", "line", "marker", "hoveron", "hoverinfo",
                         "hovertemplate", "showlegend", "orientation")


def _moved_to_defaults(items: list[dict[str, Any]], keys: Sequence[str]
                       ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(shared, items without them): for each key every item sets, its most common value
    (when at least two share it), and each item without the keys whose value equals it.

    Only keys present in *every* item qualify: an item without the key relies on plotly.js's
    own default, which a template default would change. Builders reuse one style object on
    every item, so a value that *is* that object needs no comparison: the whole-country
    ranking's 309 labels and the map's 308 polygons are mostly such values.
    """
    if len(items) < 2:
        return {}, items
    present = set(items[0]).intersection(*items[1:])
    shared: dict[str, Any] = {}
    differing: dict[int, set[str]] = {}  # item -> shared keys it keeps its own value of
    for key in keys:
        if key not in present:
            continue
        values = list(map(operator.itemgetter(key), items))
        first = values[0]
        if all(v is first for v in values):
            # One object on every item: shared without describing 300 values one by one.
            shared[key] = value = _as_default(_comparable(first))
            if first != value:  # e.g. a tuple (a list in JSON): each item keeps its own
                for i in range(len(items)):
                    differing.setdefault(i, set()).add(key)
            continue
        common, n = _counted(values).most_common(1)[0]
        if n < 2:
            continue
        shared[key] = value = _as_default(common)
        for i in [i for i, v in enumerate(values) if v != value]:
            differing.setdefault(i, set()).add(key)
    if not shared:
        return {}, items
    moved = frozenset(shared)
    out = []
    for i, item in enumerate(items):
        drop = moved - differing[i] if i in differing else moved
        out.append({k: v for k, v in item.items() if k not in drop})
    return shared, out


def _as_default(comparable: tuple[str, Any]) -> Any:
    """The value a :func:`_comparable` stands for, as a new object for the template."""
    return orjson.loads(comparable[1]) if comparable[0] == "json" else comparable[1]


def _counted(values: list[Any]) -> Counter:
    """How often each value occurs, describing each distinct object once (a style dict
    reused on many items is written to JSON once, not once per item)."""
    objects = {id(value): value for value in values}
    counts: Counter = Counter()
    for ident, n in Counter(map(id, values)).items():
        counts[_comparable(objects[ident])] += n
    return counts


def _comparable(value: Any) -> tuple[str, Any]:
    """A hashable stand-in for a style value: text and numbers as they are (with their
    type, so True and 1 stay apart), anything else as its JSON with sorted keys."""
    if isinstance(value, str | int | float | bool) or value is None:
        return type(value).__name__, value
    return "json", orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _share_annotation_styles(layout: dict[str, Any], template: dict[str, Any]) -> None:
    annotations = layout.get("annotations") or []
    shared, stripped = _moved_to_defaults(annotations, _SHAREABLE_ANNOTATION_KEYS)
    if shared:
        layout["annotations"] = stripped
        t_layout = template["layout"]
        template["layout"] = {**t_layout, "annotationdefaults": {
            **t_layout.get("annotationdefaults", {}), **shared}}


def _share_trace_styles(data: list[dict[str, Any]], template: dict[str, Any]) -> list[dict]:
    """``data`` with each trace type's shared styles moved into the template's trace items
    (plotly.js cycles a type's items over its traces, so every item gets them)."""
    out = list(data)
    for kind in {trace.get("type", "scatter") for trace in data}:
        positions = [i for i, trace in enumerate(data) if trace.get("type", "scatter") == kind]
        shared, stripped = _moved_to_defaults([data[i] for i in positions],
                                              _SHAREABLE_TRACE_KEYS)
        if not shared:
            continue
        for i, trace in zip(positions, stripped, strict=True):
            out[i] = trace
        items = template["data"].get(kind) or [{"type": kind}]
        template["data"] = {**template["data"], kind: [{**item, **shared} for item in items]}
    return out


class Styled(NamedTuple):
    """A figure whose annotations and traces leave out the styles they share, given apart.

    Why: a whole-country chart has 309 value labels or 308 polygons that differ only in
    position, text and fill. Built without their shared styles, the dashboard's copy puts
    each style into the template once (:func:`for_dash`) without searching the items for
    them, which took longer than building the chart. :func:`whole` puts the styles back on
    every item: the figure for notebooks and the reference the dashboard's copy must draw
    exactly as (a browser test compares pixels and plotly.js's resolved attributes).

    Every annotation that does not set a key of ``annotation_style`` takes its value, and
    every trace of a type in ``trace_styles`` likewise; an item that needs plotly.js's own
    default for such a key sets it explicitly.
    """

    spec: dict[str, Any]
    annotation_style: dict[str, Any]
    trace_styles: dict[str, dict[str, Any]]


def whole(styled: Styled) -> dict[str, Any]:
    """The figure of ``styled`` with every style on every item it applies to."""
    spec, style = styled.spec, styled.annotation_style
    layout = dict(spec.get("layout", {}))
    if style and layout.get("annotations"):
        layout["annotations"] = [{**style, **a} for a in layout["annotations"]]
    data = [{**styled.trace_styles.get(t.get("type", "scatter"), {}), **t}
            for t in spec.get("data") or []]
    return {**spec, "data": data, "layout": layout}


def _styled_for_dash(styled: Styled) -> dict[str, Any]:
    base = dash_template()
    t_layout = dict(base["layout"])
    if styled.annotation_style:
        t_layout["annotationdefaults"] = {**t_layout.get("annotationdefaults", {}),
                                          **_fresh(styled.annotation_style)}
    t_data = dict(base["data"])
    for kind, style in styled.trace_styles.items():
        t_data[kind] = [{**item, **_fresh(style)} for item in t_data.get(kind) or [{"type": kind}]]
    spec = styled.spec
    return {**spec, "layout": {**spec.get("layout", {}),
                               "template": {"data": t_data, "layout": t_layout}}}


def _fresh(style: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``style`` sharing no object with it (the template must not alias a
    builder's style objects)."""
    return orjson.loads(orjson.dumps(style))


def for_dash(spec: dict[str, Any] | Styled) -> dict[str, Any]:
    """A figure dict with the (cut) default template, as ``go.Figure`` would have it.

    Styles repeated on every item go into the template once: the whole-country ranking has
    308 value labels that differ only in position and text, the whole-country map 308
    polygon traces that differ only in coordinates, fill and hover text. plotly.js applies
    a template's ``annotationdefaults`` and trace items to every item that does not set
    its own value, so the same chart is drawn from far fewer bytes (a browser test compares
    the drawn charts and plotly.js's resolved attributes). A :class:`Styled` figure names
    its shared styles itself; in a plain dict they are found by comparing the items.
    """
    if isinstance(spec, Styled):
        return _styled_for_dash(spec)
    if not isinstance(spec, dict) or "template" in spec.get("layout", {}):
        return spec
    base = dash_template()
    template = {"data": dict(base["data"]), "layout": dict(base["layout"])}
    layout = dict(spec.get("layout", {}))
    _share_annotation_styles(layout, template)
    out = {**spec, "layout": layout}
    if spec.get("data"):
        out["data"] = _share_trace_styles(list(spec["data"]), template)
    out["layout"]["template"] = template
    return out


# ---- text -----------------------------------------------------------------------------------
def _join_names(items: Sequence[AreaValue]) -> str:
    return ", ".join(a.name for a in items)


def ranking_summary(
    panel: pd.DataFrame,
    indicator: str,
    year: int,
    lang: str = "fi",
    catalog: Catalog | None = None,
    *,
    areas: AreaTable | None = None,
) -> str:
    """One sentence naming the largest and smallest municipality and the reference values.

    Place names stay in the nominative ("suurin: Hailuoto 31,2 %") because inflecting
    Finnish place names by rule goes wrong too often.
    """
    ranking = ranking_data(panel, indicator, year, lang, catalog, areas=areas)
    return _summary(ranking)


def summary_text(ranking: Ranking) -> str:
    """The caption's first sentence (largest, smallest, reference values) on its own."""
    return _summary(ranking)


def _summary(ranking: Ranking) -> str:
    t = texts(ranking.lang)
    info = ranking.info

    def fmt(v: float | None) -> str:
        return format_value(v, info.decimals, info.unit, ranking.lang)

    refs = "".join(
        ("; " if i == 0 else ", ") + _reference_label(a, ranking, capitalise=False)
        for i, a in enumerate(ranking.references)
    )
    if not ranking.ranked:
        return t["summary_none"].format(title=info.title, year=ranking.year, refs=refs)
    top_value = ranking.ranked[0].value
    low_value = ranking.ranked[-1].value
    # Compare at the shown precision, so ties the reader sees as ties are named together.
    top_text, low_text = fmt(top_value), fmt(low_value)
    if top_text == low_text:
        return t["summary_all_equal"].format(
            title=info.title, year=ranking.year, value=top_text, refs=refs
        )
    # ``ranked`` runs from the largest value down and rounding keeps that order, so the
    # values shown as the largest (smallest) are a run at the start (end): read only those.
    tops = list(itertools.takewhile(lambda a: fmt(a.value) == top_text, ranking.ranked))
    lows = list(itertools.takewhile(lambda a: fmt(a.value) == low_text,
                                    reversed(ranking.ranked)))[::-1]
    return t["summary"].format(
        title=info.title,
        year=ranking.year,
        max=f"{_join_names(tops)} {top_text}",
        min=f"{_join_names(lows)} {low_text}",
        refs=refs,
    )


def missing_note(ranking: Ranking) -> str:
    """``Ei tietoa: Merijärvi, Pyhäntä.`` — or ``""`` when every municipality has a value."""
    if not ranking.missing:
        return ""
    return texts(ranking.lang)["missing"].format(names=_join_names(ranking.missing))


def ranking_caption(
    panel: pd.DataFrame,
    indicator: str,
    year: int,
    lang: str = "fi",
    catalog: Catalog | None = None,
    *,
    areas: AreaTable | None = None,
) -> str:
    """The figure caption: the summary, who has no data, and a note on estimates if any."""
    ranking = ranking_data(panel, indicator, year, lang, catalog, areas=areas)
    return caption_text(ranking)


def caption_text(ranking: Ranking) -> str:
    parts = [_summary(ranking), missing_note(ranking)]
    if "e" in map(_STATUS, ranking.ranked):
        parts.append(texts(ranking.lang)["estimates"])
    return " ".join(p for p in parts if p)


# ---- table -----------------------------------------------------------------------------------
class TableRow(NamedTuple):
    """One row of the values table, already formatted for the reader's language (a named
    tuple: built 310 times for a whole-country table, where a frozen dataclass took 0.4 ms)."""

    area_code: str
    area_name: str
    area_level: str  # "kunta", "maakunta", "hyvinvointialue" or "maa"
    value: float | None
    value_text: str  # formatted number, or the status symbol when there is no value
    unit: str
    status: str  # "", "..", "...", ".", "e"
    status_text: str  # the symbol's explanation
    interval_text: str  # "12,1–14,3" for estimates, else ""
    source: str


def _table_row(area: AreaValue, level: str, ranking: Ranking, unit: str) -> TableRow:
    t = texts(ranking.lang)
    info = ranking.info
    status = area.status
    if area.value is None and not status:
        status = ".."
    text = format_number(area.value, info.decimals, ranking.lang) or status
    interval = ""
    if area.has_interval:
        interval = (
            f"{format_number(area.lower, info.decimals, ranking.lang)}–"
            f"{format_number(area.upper, info.decimals, ranking.lang)}"
        )
    return TableRow(
        area_code=area.code,
        area_name=area.name,
        area_level=level,
        value=area.value,
        value_text=text,
        unit=unit,
        status=status,
        status_text=t["status"].get(status, ""),
        interval_text=interval,
        source=area.source,
    )


def table_rows(ranking: Ranking) -> list[TableRow]:
    """Municipalities alphabetically (easy to find one's own), then the region, the wellbeing
    services county and Finland."""
    municipalities = sorted(ranking.ranked + ranking.missing, key=lambda a: sort_key(a.name))
    unit = unit_label(ranking.info.unit, ranking.lang)
    rows = [_table_row(a, "kunta", ranking, unit) for a in municipalities]
    for area, level in ((ranking.region, "maakunta"), (ranking.county, "hyvinvointialue"),
                        (ranking.country, "maa")):
        if area is not None:
            rows.append(_table_row(area, level, ranking, unit))
    return rows


def values_table_rows(
    panel: pd.DataFrame,
    indicator: str,
    year: int,
    lang: str = "fi",
    catalog: Catalog | None = None,
    *,
    areas: AreaTable | None = None,
) -> list[TableRow]:
    """Rows of the data table that accompanies the ranking chart."""
    return table_rows(ranking_data(panel, indicator, year, lang, catalog, areas=areas))


# ---- sources -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sources:
    """Distinct sources of the shown values, and which areas were computed from municipalities."""

    sources: list[str]
    computed: list[str]


def shown_sources(ranking: Ranking) -> Sources:
    shown = [*ranking.ranked, *ranking.missing, *ranking.references]
    sources: list[str] = []
    computed: list[str] = []
    for area in shown:
        if not area.source:
            continue
        base = area.source
        if base.endswith(COMPUTED_SUFFIX):
            base = base.removesuffix(COMPUTED_SUFFIX).strip()
            name = area.name
            if area.code == COUNTRY_CODE:
                name = texts(ranking.lang)["country"]
            if name not in computed:
                computed.append(name)
        if base and base not in sources:
            sources.append(base)
    return Sources(sources, computed)
