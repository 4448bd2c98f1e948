"""A small, deterministic, clearly SYNTHETIC panel for dashboard tests.

The numbers are made up from a checksum of (indicator, area, year) — they are not
statistics and every row's ``source`` says so. The areas and indicators are the real
ones (area table, catalog), so the dashboard is exercised on the real codes and names.
A few cells are suppressed and one is a modelled estimate so those paths are tested too.

Rows that other parts of the library add are here too, so the dashboard's handling of
them is tested before they reach real data: a modelled estimate series
(``share_nonusers_16_89``, status ``e`` with lower/upper for every area), a national-only
series (``internet_users_75_89``, Finland only), survey rows from the packaged example
survey with two cells suppressed (``..``), and synthetic boundaries (:func:`make_boundaries`,
squares at the tile-grid positions).
"""

from __future__ import annotations

import json
import math
import zlib

import pandas as pd
from plotly.io.json import to_json_plotly

from dashboards.app import DataInfo
from dashboards.tilegrid import TILES_MK17
from digiindicators.areas import areas as load_areas
from digiindicators.catalog import load_catalog

SOURCE = "SYNTEETTINEN testiaineisto (tests/panel_factory.py), ei todellisia tilastoja"
COMPUTED = "; laskettu kuntien luvuista"
ESTIMATE_SOURCE = (
    "laskennallinen arvio: kunnan ikärakenne × koko maan ikäryhmittäiset osuudet "
    "(SYNTEETTINEN testiaineisto); 95 %:n väli kattaa vain otantavirheen"
)

INDICATORS = ("population", "share_75plus", "unemployment_rate", "median_income", "poverty_rate")
DEFAULT_YEARS = tuple(range(2020, 2025))
YEARS = {"unemployment_rate": tuple(range(2021, 2026))}
#: (low, high) range of the made-up municipal values.
RANGES = {
    "population": (900.0, 9000.0),
    "share_75plus": (6.0, 19.0),
    "unemployment_rate": (5.0, 16.0),
    "median_income": (19000.0, 27000.0),
    "poverty_rate": (9.0, 21.0),
    "share_nonusers_16_89": (4.0, 14.0),
    "internet_users_75_89": (55.0, 70.0),
}
#: Cells withheld by the "source": (indicator, year) -> {area_code: status}.
SUPPRESSED = {
    ("share_75plus", 2024): {"KU483": "..", "KU630": "..."},
    ("poverty_rate", 2024): {"KU072": "."},
}
#: One modelled estimate with an interval: (indicator, year, area_code).
ESTIMATE = ("unemployment_rate", 2025, "KU072")
#: A whole modelled series: every area, status "e", lower/upper.
ESTIMATE_INDICATOR = "share_nonusers_16_89"
ESTIMATE_YEARS = (2022, 2023, 2024)
#: Published for Finland only (sutivi rates): never a municipal indicator.
NATIONAL_ONLY = "internet_users_75_89"
#: Survey cells suppressed in the test panel (answered, but withheld): indicator -> codes.
SURVEY_SUPPRESSED = {"survey_digituki_2023_tarjoaa": ("KU244", "KU305")}

REFRESHED_AT = "2026-07-01T06:00:00+03:00"


def _fraction(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) from the parts (no RNG state, no numpy)."""
    return zlib.crc32("|".join(map(str, parts)).encode()) / 2**32


def municipal_value(indicator: str, code: str, year: int) -> float:
    lo, hi = RANGES[indicator]
    value = lo + (hi - lo) * _fraction(indicator, code)
    value *= 1 + 0.06 * (_fraction(indicator, code, year) - 0.5)  # wobble from year to year
    if indicator == "population" and code == "KU564":
        value *= 25  # one big city, as in the real region
    decimals = load_catalog()[indicator].decimals
    return round(value, decimals)


def _survey_rows() -> pd.DataFrame:
    """The packaged example survey's panel rows, with SURVEY_SUPPRESSED cells withheld."""
    from digiindicators.survey import default_spec_path, example_file_path, read_survey

    rows = read_survey(example_file_path(), default_spec_path()).to_panel()
    for indicator, codes in SURVEY_SUPPRESSED.items():
        mask = (rows["indicator"] == indicator) & rows["area_code"].isin(codes)
        rows.loc[mask, "value"] = math.nan
        rows.loc[mask, "status"] = ".."
    return rows


def survey_hidden_values() -> dict[tuple[str, str], float]:
    """The real values behind SURVEY_SUPPRESSED cells, so tests can check none leaks."""
    from digiindicators.survey import default_spec_path, example_file_path, read_survey

    rows = read_survey(example_file_path(), default_spec_path()).to_panel()
    out = {}
    for indicator, codes in SURVEY_SUPPRESSED.items():
        for code in codes:
            sel = rows[(rows["indicator"] == indicator) & (rows["area_code"] == code)]
            out[(indicator, code)] = float(sel["value"].iloc[0])
    return out


def make_panel(indicators: tuple[str, ...] = INDICATORS, *, extras: bool = True) -> pd.DataFrame:
    """The synthetic panel, with the columns and codes of ``digiindicators.load()``.

    ``extras`` adds the estimate series, the national-only series and the survey rows.
    """
    table = load_areas()
    frame = table.frame
    names = dict(zip(frame["area_code"], frame["name_fi"], strict=True))
    levels = dict(zip(frame["area_code"], frame["area_level"], strict=True))
    catalog = load_catalog()
    rows: list[dict[str, object]] = []

    def add(ind, code, level, year, value, status="", source=SOURCE, lower=math.nan,
            upper=math.nan):
        rows.append({
            "indicator": ind, "area_code": code, "area_level": level, "area_name": names[code],
            "year": year, "value": value, "status": status, "unit": catalog[ind].unit,
            "source": source, "lower": lower, "upper": upper,
        })

    for ind in indicators:
        for year in YEARS.get(ind, DEFAULT_YEARS):
            municipal: dict[str, float] = {}
            for code in table.municipalities():
                status = SUPPRESSED.get((ind, year), {}).get(code, "")
                if status:
                    add(ind, code, "kunta", year, math.nan, status)
                    continue
                value = municipal_value(ind, code, year)
                municipal[code] = value
                if (ind, year, code) == ESTIMATE:
                    add(ind, code, "kunta", year, value, "e", lower=round(value * 0.8, 1),
                        upper=round(value * 1.25, 1))
                else:
                    add(ind, code, "kunta", year, value)
            total = ind == "population"
            decimals = catalog[ind].decimals
            for code in table.aggregate_areas():
                members = [municipal[c] for c in table.members(code) if c in municipal]
                value = sum(members) if total else sum(members) / len(members)
                add(ind, code, levels[code], year, round(value, decimals),
                    source=SOURCE + COMPUTED)
            lo, hi = RANGES[ind]
            share = 0.35 + 0.3 * _fraction(ind, year)
            national = 5_600_000.0 if total else lo + (hi - lo) * share
            add(ind, "SSS", "maa", year, round(national, decimals))
    if extras:
        for year in ESTIMATE_YEARS:
            municipal = {}
            for code in table.municipalities():
                value = municipal_value(ESTIMATE_INDICATOR, code, year)
                municipal[code] = value
                half = 1.0 + 1.5 * _fraction("half", code)
                add(ESTIMATE_INDICATOR, code, "kunta", year, value, "e", ESTIMATE_SOURCE,
                    round(value - half, 2), round(value + half, 2))
            for code in [*table.aggregate_areas(), "SSS"]:
                members = (list(municipal.values()) if code == "SSS"
                           else [municipal[c] for c in table.members(code)])
                value = round(sum(members) / len(members), 1)
                add(ESTIMATE_INDICATOR, code, levels[code], year, value, "e", ESTIMATE_SOURCE,
                    round(value - 0.6, 2), round(value + 0.6, 2))
            lo, hi = RANGES[NATIONAL_ONLY]
            add(NATIONAL_ONLY, "SSS", "maa", year, round(lo + (hi - lo) * _fraction(year)))
    panel = pd.DataFrame(rows)
    if extras:
        panel = pd.concat([panel, _survey_rows()], ignore_index=True)
    panel["year"] = panel["year"].astype(int)
    panel["value"] = panel["value"].astype(float)
    return panel


def make_boundaries() -> dict:
    """Synthetic municipal "polygons": a square per municipality at its tile position.

    Oulu is a MultiPolygon (a mainland square and an island) so both geometry types are
    drawn. Coordinates are WGS84-like (lon 24–28, lat 64–66) like the real layer.
    """
    features = []
    for code, tile in TILES_MK17.items():
        x0, y0 = 24.0 + tile.col * 0.55, 66.0 - tile.row * 0.3
        square = [[x0, y0], [x0 + 0.5, y0], [x0 + 0.5, y0 - 0.27], [x0, y0 - 0.27], [x0, y0]]
        if code == "KU564":
            island = [[x0 - 0.1, y0], [x0 - 0.02, y0], [x0 - 0.02, y0 - 0.05], [x0 - 0.1, y0]]
            geometry = {"type": "MultiPolygon", "coordinates": [[square], [island]]}
        else:
            geometry = {"type": "Polygon", "coordinates": [square]}
        features.append({"type": "Feature", "properties": {"area_code": code},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features, "year": 2026,
            "attribution": "SYNTEETTISET rajat (tests/panel_factory.py); oikeat: "
                           "Tilastokeskus, © Maanmittauslaitos, CC BY 4.0",
            "stale": ""}


def make_info(demo: bool = False, stale: tuple[str, ...] = ()) -> DataInfo:
    return DataInfo(
        demo=demo,
        refreshed_at=REFRESHED_AT,
        cache_dir="/tmp/digiindicators-test-cache",
        stale=stale,
    )


#: One URL (path, query) per dashboard view, for tests that render every view.
VIEW_URLS = {
    "overview": ("/", ""),
    "profile": ("/kunta/KU564", ""),
    "index": ("/indeksi", ""),
    "survey": ("/kysely", ""),
    "data": ("/tiedot", "?aineisto=share_75plus"),
    "method": ("/menetelma", ""),
    "statement": ("/saavutettavuusseloste", ""),
}


def make_app(*, demo: bool = False, stale: tuple[str, ...] = (), boundaries=None, **kwargs):
    """The dashboard on the synthetic panel (tile grid unless ``boundaries`` are given)."""
    from dashboards.app import create_app

    return create_app(make_panel(), info=make_info(demo=demo, stale=stale),
                      boundaries=boundaries, **kwargs)


def sent(value) -> object:
    """What Dash's encoder puts on the wire for ``value``, props sent as null left out:
    Dash sends a prop given as None as null, which its renderer treats as not set."""
    def drop_nulls(node):
        if isinstance(node, list):
            return [drop_nulls(n) for n in node]
        if isinstance(node, dict):
            return {k: drop_nulls(v) for k, v in node.items() if v is not None}
        return node

    return drop_nulls(json.loads(to_json_plotly(value)))


def as_component(node):
    """A subtree in Dash's wire format (``dashboards.wire.element``) as the Dash components
    it stands for, so structure tests read long tables like any other part of a page; a
    table sent as text (``dashboards.datatable``) is read as the HTML the browser draws."""
    import dash_bootstrap_components as dbc
    from dash import dcc, html

    from dashboards.datatable import expanded, is_table
    from dashboards.wire import BOOTSTRAP_NAMESPACE, CORE_NAMESPACE, NAMESPACE

    if isinstance(node, list | tuple):
        return [as_component(n) for n in node]
    if is_table(node):
        node = expanded(node)
    modules = {NAMESPACE: html, CORE_NAMESPACE: dcc, BOOTSTRAP_NAMESPACE: dbc}
    if isinstance(node, dict) and node.get("namespace") in modules and "type" in node:
        props = dict(node["props"])
        if "children" in props:
            props["children"] = as_component(props["children"])
        return getattr(modules[node["namespace"]], node["type"])(**props)
    return node


def fill_deferred(ctx, node):
    """The layout tree with each deferred part filled as its own callback fills it in the
    browser (the profile's trend sections, the index's rank ranges and table), so a
    structure test reads a page as a reader finally sees it. Each id must be one the
    callback answers."""
    import copy

    from dashboards.app import DEFERRED_PARTS

    bodies = {part.kind: part.body for part in DEFERRED_PARTS}
    if isinstance(node, list | tuple):
        return [fill_deferred(ctx, n) for n in node]
    if isinstance(node, dict) and isinstance(node.get("props"), dict):
        props = dict(node["props"])
        ident = props.get("id")
        kind = ident.get("type") if isinstance(ident, dict) else None
        if kind in bodies:
            body = bodies[kind](ctx, ident)
            assert body is not None, ident
            props["children"] = fill_deferred(ctx, body)
        elif "children" in props:
            props["children"] = fill_deferred(ctx, props["children"])
        return {**node, "props": props}
    if hasattr(node, "_prop_names") and getattr(node, "children", None) is not None:
        clone = copy.copy(node)
        clone.children = fill_deferred(ctx, node.children)
        return clone
    return node


def deferred_payload(app, ident: dict) -> dict:
    """The body Dash's renderer posts to fill the deferred part ``ident`` (a profile's
    trend section, the index's rank ranges): the callback's pattern as ``output``, the
    instance's own id everywhere else."""
    output = next(k for k in app.callback_map if f'"type":"{ident["type"]}"' in k)
    return {"output": output, "outputs": {"id": ident, "property": "children"},
            "inputs": [{"id": ident, "property": "id", "value": ident}],
            "changedPropIds": [], "state": []}


def walk(component):
    """Every Dash component in a layout tree (depth first), for structure tests; parts in
    Dash's wire format are read as components (:func:`as_component`)."""
    stack = [component]
    while stack:
        node = as_component(stack.pop())
        if isinstance(node, (list, tuple)):
            stack.extend(reversed(node))
            continue
        if not hasattr(node, "_prop_names"):
            continue
        yield node
        children = getattr(node, "children", None)
        if children is not None:
            stack.append(children)


def text_of(node) -> str:
    """The text of a component tree as a screen reader gets it (visually hidden text
    included), parts in Dash's wire format read like components."""
    node = as_component(node)
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text_of(n) for n in node)
    children = getattr(node, "children", None)
    return text_of(children) if children is not None else ""


def dash_payload(app, callback: str, values: dict, changed: str) -> dict:
    """The body Dash's renderer posts for the callback whose output key starts ``callback``."""
    key = next(k for k in app.callback_map if k.startswith(callback))
    spec = app.callback_map[key]
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]

    def items(kind):
        out = []
        for item in spec[kind]:
            ident = item["id"]
            ident = json.loads(ident) if ident.startswith("{") else ident
            name = ident if isinstance(ident, str) else ident["type"]
            out.append({"id": ident, "property": item["property"],
                        "value": values.get(f"{name}.{item['property']}")})
        return out

    return {"output": key, "outputs": outputs, "inputs": items("inputs"),
            "state": items("state"), "changedPropIds": [changed]}
