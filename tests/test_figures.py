"""The overview's pure functions, checked on the synthetic panel without a browser."""

from __future__ import annotations

import math

import orjson
import pytest

from dashboards import figures, palette
from dashboards.figures import (
    format_number,
    format_value,
    ranking_caption,
    ranking_figure,
    ranking_summary,
    values_table_rows,
)
from digiindicators.areas import areas
from digiindicators.catalog import load_catalog
from tests.panel_factory import (
    ESTIMATE,
    ESTIMATE_INDICATOR,
    INDICATORS,
    NATIONAL_ONLY,
    SUPPRESSED,
    make_panel,
)

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def panel():
    return make_panel()


def kunta_values(panel, indicator, year):
    rows = panel[
        (panel["indicator"] == indicator)
        & (panel["year"] == year)
        & (panel["area_level"] == "kunta")
    ]
    return {r.area_name: r.value for r in rows.itertuples() if not math.isnan(r.value)}


def value_of(panel, indicator, year, code):
    rows = panel[
        (panel["indicator"] == indicator) & (panel["year"] == year) & (panel["area_code"] == code)
    ]
    return float(rows["value"].iloc[0])


def bars(fig):
    """(name, value) of every bar, in the order the y axis shows them (top first)."""
    pairs = {}
    for trace in fig.data:
        if trace.type == "bar":
            pairs.update(zip(trace.y, trace.x, strict=True))
    order = list(fig.layout.yaxis.categoryarray)
    assert set(order) == set(pairs)
    return [(name, pairs[name]) for name in order]


# ---- number formatting ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (12345.678, 1, "fi", f"12{NNBSP}345,7"),
        (1234567, 0, "fi", f"1{NNBSP}234{NNBSP}567"),
        (999, 0, "fi", "999"),
        (31.25, 1, "fi", "31,3"),  # half away from zero, as people round
        (31.24, 1, "fi", "31,2"),
        (2.675, 2, "fi", "2,68"),  # not 2,67 (binary float artefact)
        (-31.25, 1, "en", "-31.3"),
        (7, 1, "fi", "7,0"),
        (-1.5, 1, "fi", "\u22121,5"),
        (-0.04, 1, "fi", "0,0"),  # never "−0,0"
        (0.0, 2, "sv", "0,00"),
        (12345.678, 1, "en", "12,345.7"),
        (-2.5, 1, "en", "-2.5"),
        (float("nan"), 1, "fi", ""),
        (None, 1, "fi", ""),
    ],
)
def test_format_number(value, decimals, lang, expected):
    assert format_number(value, decimals, lang) == expected


def test_format_value_units():
    assert format_value(31.24, 1, "%", "fi") == f"31,2{NBSP}%"
    assert format_value(31.24, 1, "%", "en") == "31.2%"
    assert format_value(1234, 0, "henkilöä", "fi") == f"1{NNBSP}234{NBSP}henkilöä"
    assert format_value(1234, 0, "henkilöä", "sv") == f"1{NNBSP}234{NBSP}personer"
    assert format_value(45.06, 1, "indeksi", "fi") == "45,1"
    assert format_value(float("nan"), 1, "%", "fi") == ""


# ---- what can be chosen -------------------------------------------------------------------------
def test_available_indicators_and_years(panel):
    expected = {*INDICATORS, ESTIMATE_INDICATOR}
    in_catalog_order = [i for i in load_catalog().ids if i in expected]
    assert figures.available_indicators(panel) == in_catalog_order
    assert set(in_catalog_order) == expected


def test_survey_rows_and_national_only_series_are_not_overview_indicators(panel):
    # The panel holds survey answers (with __n rows) and a Finland-only series; neither is
    # a municipal statistic to rank.
    assert panel["indicator"].str.startswith("survey_").any()
    shown = figures.available_indicators(panel)
    assert not [i for i in shown if i.startswith("survey_") or "__" in i]
    assert NATIONAL_ONLY not in shown
    assert figures.is_statistic("share_75plus")
    assert not figures.is_statistic("survey_digituki_2023_tarjoaa")
    assert not figures.is_statistic("share_75plus__n")
    assert figures.available_years(panel, "share_75plus") == [2020, 2021, 2022, 2023, 2024]
    assert figures.available_years(panel, "unemployment_rate") == [2021, 2022, 2023, 2024, 2025]
    assert figures.available_years(panel, "no_such_indicator") == []


# ---- ranking figure ----------------------------------------------------------------------------
def test_bars_are_sorted_largest_first_and_carry_the_panel_values(panel):
    fig = ranking_figure(panel, "share_75plus", 2023, "fi")
    shown = bars(fig)
    values = [v for _, v in shown]
    assert values == sorted(values, reverse=True)
    assert dict(shown) == kunta_values(panel, "share_75plus", 2023)
    assert len(shown) == 30
    assert fig.layout.yaxis.autorange == "reversed"  # first category at the top


def test_every_bar_has_a_value_label(panel):
    fig = ranking_figure(panel, "share_75plus", 2023, "fi")
    labels = {a.y: a.text for a in fig.layout.annotations if a.yref == "y"}
    for name, value in bars(fig):
        assert labels[name] == format_value(value, 1, "%", "fi")


def test_reference_lines_for_region_county_and_finland(panel):
    fig = ranking_figure(panel, "share_75plus", 2023, "fi")
    region = value_of(panel, "share_75plus", 2023, "MK17")
    county = value_of(panel, "share_75plus", 2023, "HV19")
    country = value_of(panel, "share_75plus", 2023, "SSS")
    xs = {s.x0 for s in fig.layout.shapes if s.type == "line"}
    assert xs == {region, county, country}
    for shape in fig.layout.shapes:
        assert shape.x0 == shape.x1 and shape.yref == "paper"
    # Each line has its own colour and dash pattern (solid, dotted, dashed) and a label.
    styles = {(s.line.color, s.line.dash) for s in fig.layout.shapes
              if s.line.color != palette.BACKGROUND}
    assert styles == {(palette.REGION_LINE, "solid"), (palette.COUNTY_LINE, "dot"),
                      (palette.COUNTRY_LINE, "dash")}
    labels = [a.text for a in fig.layout.annotations if a.yref == "paper"]
    assert f"Pohjois-Pohjanmaa {format_value(region, 1, '%', 'fi')}" in labels
    assert f"Hyvinvointialue {format_value(county, 1, '%', 'fi')}" in labels
    assert f"Koko maa {format_value(country, 1, '%', 'fi')}" in labels


def test_counts_get_no_reference_lines(panel):
    # The region's population is not on the municipalities' scale.
    fig = ranking_figure(panel, "population", 2024, "fi")
    assert not fig.layout.shapes
    # The axis ends after the largest bar plus room for its label, not at the region's total.
    assert max(v for _, v in bars(fig)) * 1.5 > fig.layout.xaxis.range[1]


def test_suppressed_municipalities_are_not_bars_but_named_in_the_caption(panel):
    suppressed = SUPPRESSED[("share_75plus", 2024)]
    names = sorted(areas().name(code) for code in suppressed)
    fig = ranking_figure(panel, "share_75plus", 2024, "fi")
    shown = [name for name, _ in bars(fig)]
    assert len(shown) == 28
    assert not set(names) & set(shown)
    caption = ranking_caption(panel, "share_75plus", 2024, "fi")
    assert f"Ei tietoa: {', '.join(names)}." in caption


def test_estimates_are_hatched_with_whiskers(panel):
    indicator, year, code = ESTIMATE
    name = areas().name(code)
    fig = ranking_figure(panel, indicator, year, "fi")
    hatched = [t for t in fig.data if t.type == "bar" and t.marker.pattern.shape == "/"]
    assert [list(t.y) for t in hatched] == [[name]]
    assert hatched[0].error_x.array[0] > 0 and hatched[0].error_x.arrayminus[0] > 0
    plain = [t for t in fig.data if t.type == "bar" and not t.marker.pattern.shape]
    assert all(t.error_x.array is None for t in plain)
    assert "Merkki e: laskennallinen arvio" in ranking_caption(panel, indicator, year, "fi")


def test_highlight_colours_one_bar(panel):
    fig = ranking_figure(panel, "share_75plus", 2023, "fi", highlight="KU564")
    highlighted = [t for t in fig.data if t.type == "bar" and t.marker.color == palette.HIGHLIGHT]
    assert [list(t.y) for t in highlighted] == [["Oulu"]]
    assert "<b>Oulu</b>" in fig.layout.yaxis.ticktext


def test_figure_uses_only_palette_colours(panel):
    fig = ranking_figure(panel, "unemployment_rate", 2025, "fi", highlight="KU564")
    allowed = {palette.BAR, palette.HIGHLIGHT, palette.BACKGROUND}
    assert {t.marker.color for t in fig.data if t.type == "bar"} <= allowed
    assert fig.layout.separators == f",{NNBSP}"


# ---- summary -----------------------------------------------------------------------------------
def test_summary_names_max_and_min(panel):
    values = kunta_values(panel, "share_75plus", 2022)
    top = max(values, key=values.get)
    low = min(values, key=values.get)
    text = ranking_summary(panel, "share_75plus", 2022, "fi")
    assert text.startswith("75 vuotta täyttäneiden osuus vuonna 2022: ")
    assert f"suurin {top} {format_value(values[top], 1, '%', 'fi')}" in text
    assert f"pienin {low} {format_value(values[low], 1, '%', 'fi')}" in text
    region = value_of(panel, "share_75plus", 2022, "MK17")
    assert f"Pohjois-Pohjanmaa {format_value(region, 1, '%', 'fi')}" in text
    assert "koko maa" in text
    assert text.endswith(".") and text.count(". ") == 0  # one sentence


def test_summary_follows_the_data(panel):
    before = ranking_summary(panel, "share_75plus", 2022, "fi")
    changed = panel.copy()
    mask = (
        (changed["indicator"] == "share_75plus")
        & (changed["year"] == 2022)
        & (changed["area_code"] == "KU436")  # Lumijoki
    )
    changed.loc[mask, "value"] = 99.9
    after = ranking_summary(changed, "share_75plus", 2022, "fi")
    assert after != before
    assert f"suurin Lumijoki 99,9{NBSP}%" in after
    changed.loc[mask, "value"] = 0.1
    assert f"pienin Lumijoki 0,1{NBSP}%" in ranking_summary(changed, "share_75plus", 2022, "fi")


def test_summary_names_everyone_shown_with_the_largest_or_smallest_value(panel):
    """Ties at the shown precision are named together, and only they: 99.94, 99.91 and
    99.86 all show as 99,9 %, 99.84 as 99,8 %."""
    changed = panel.copy()
    chosen = {"KU436": 99.94, "KU072": 99.91, "KU009": 99.86, "KU069": 99.84,
              "KU139": 0.12, "KU208": 0.08}
    for code, value in chosen.items():
        mask = ((changed["indicator"] == "share_75plus") & (changed["year"] == 2022)
                & (changed["area_code"] == code))
        changed.loc[mask, "value"] = value
    text = ranking_summary(changed, "share_75plus", 2022, "fi")
    top = text.split("suurin ")[1].split(f"99,9{NBSP}%")[0]
    names = {n.strip() for n in top.replace(" ja ", ", ").split(", ")}
    assert names == {"Lumijoki", "Hailuoto", "Alavieska"}
    low = text.split("pienin ")[1].split(f"0,1{NBSP}%")[0]
    assert {n.strip() for n in low.replace(" ja ", ", ").split(", ")} == {"Ii", "Kalajoki"}


def test_summary_in_swedish_and_english(panel):
    sv = ranking_summary(panel, "share_75plus", 2022, "sv")
    en = ranking_summary(panel, "share_75plus", 2022, "en")
    assert "år 2022: högst" in sv and "Norra Österbotten" in sv and "hela landet" in sv
    assert "in 2022: highest" in en and "North Ostrobothnia" in en and "%;" not in en[:10]


def test_summary_without_municipal_values(panel):
    empty = panel[~((panel["indicator"] == "share_75plus") & (panel["area_level"] == "kunta"))]
    text = ranking_summary(empty, "share_75plus", 2022, "fi")
    assert "kuntakohtaisia tietoja ei ole" in text


# ---- table -------------------------------------------------------------------------------------
def test_table_rows_municipalities_then_region_county_and_finland(panel):
    rows = values_table_rows(panel, "share_75plus", 2024, "fi")
    assert len(rows) == 33
    kunnat = [r for r in rows if r.area_level == "kunta"]
    assert len(kunnat) == 30
    names = [r.area_name for r in kunnat]
    assert names == sorted(names, key=figures.sort_key)
    assert names.index("Kuusamo") < names.index("Kärsämäki")  # ä after z in Finnish
    assert [r.area_code for r in rows[-3:]] == ["MK17", "HV19", "SSS"]
    assert rows[-2].area_level == "hyvinvointialue"
    oulu = next(r for r in rows if r.area_code == "KU564")
    assert oulu.value_text == format_number(value_of(panel, "share_75plus", 2024, "KU564"), 1)
    assert oulu.unit == "%" and oulu.status == "" and oulu.source.startswith("SYNTEETTINEN")
    assert rows[-3].source.endswith("; laskettu kuntien luvuista")


def test_table_rows_show_status_symbols(panel):
    rows = {r.area_code: r for r in values_table_rows(panel, "share_75plus", 2024, "fi")}
    for code, symbol in SUPPRESSED[("share_75plus", 2024)].items():
        assert rows[code].value is None
        assert rows[code].value_text == symbol
        assert rows[code].status == symbol
    assert rows["KU630"].status_text == "salassapitosäännön alainen"
    assert rows["KU483"].status_text == "tieto puuttuu tai on liian epävarma"
    dot = {r.area_code: r for r in values_table_rows(panel, "poverty_rate", 2024, "fi")}
    assert dot["KU072"].status_text == "loogisesti mahdoton"


def test_table_rows_give_the_interval_of_estimates(panel):
    indicator, year, code = ESTIMATE
    rows = {r.area_code: r for r in values_table_rows(panel, indicator, year, "fi")}
    row = rows[code]
    assert row.status == "e" and row.status_text == "laskennallinen arvio"
    rec = panel[(panel["indicator"] == indicator) & (panel["year"] == year)
                & (panel["area_code"] == code)].iloc[0]
    assert row.interval_text == f"{format_number(rec.lower, 1)}–{format_number(rec.upper, 1)}"
    assert all(r.interval_text == "" for c, r in rows.items() if c != code)


def test_table_rows_in_swedish_use_swedish_names(panel):
    rows = {r.area_code: r for r in values_table_rows(panel, "population", 2024, "sv")}
    assert rows["KU564"].area_name == "Uleåborg"
    assert rows["KU564"].unit == "personer"
    assert rows["SSS"].area_name == "Hela landet"


def test_sources_are_listed_once_and_computed_areas_named(panel):
    ranking = figures.ranking_data(panel, "share_75plus", 2024, "fi")
    src = figures.shown_sources(ranking)
    assert len(src.sources) == 1 and src.sources[0].startswith("SYNTEETTINEN")
    assert src.computed == ["Pohjois-Pohjanmaa", "Pohjois-Pohjanmaan hyvinvointialue"]


# ---- additions for the other views -------------------------------------------------------------
def test_group_highlight_colours_and_bolds_every_member(panel):
    group = {"KU564", "KU244", "KU678"}  # the urban class
    fig = ranking_figure(panel, "share_75plus", 2023, "fi", group=group)
    coloured = {y for t in fig.data if t.type == "bar" and t.marker.color == palette.HIGHLIGHT
                for y in t.y}
    assert coloured == {areas().name(c) for c in group}
    bold = {t for t in fig.layout.yaxis.ticktext if t.startswith("<b>")}
    assert bold == {f"<b>{areas().name(c)}</b>" for c in group}


def test_info_override_titles_a_series_outside_the_catalog(panel):
    info = figures.IndicatorInfo("my_series", "Oma sarja", "", "%", 0, "neutral", "")
    rows = panel[panel["indicator"] == "share_75plus"].assign(indicator="my_series")
    ranking = figures.ranking_data(rows, "my_series", 2023, "fi", info=info)
    assert ranking.info.title == "Oma sarja"
    assert figures.summary_text(ranking).startswith("Oma sarja vuonna 2023: suurin ")
    fig = ranking_figure(rows, "my_series", 2023, "fi", info=info)
    assert all(a.text.endswith("%") for a in fig.layout.annotations if a.yref == "y")


def test_estimate_series_is_hatched_everywhere_and_named_in_the_caption(panel):
    fig = ranking_figure(panel, ESTIMATE_INDICATOR, 2024, "fi")
    bars_ = [t for t in fig.data if t.type == "bar"]
    assert bars_ and all(t.marker.pattern.shape == "/" for t in bars_)
    assert all(t.error_x.array is not None for t in bars_)
    caption = ranking_caption(panel, ESTIMATE_INDICATOR, 2024, "fi")
    assert "laskennallinen arvio" in caption
    rows = values_table_rows(panel, ESTIMATE_INDICATOR, 2024, "fi")
    assert all(r.status == "e" and r.interval_text for r in rows)


def test_for_dash_moves_shared_annotation_styles_into_the_template():
    from dashboards import figures

    annotations = [
        {"x": 1, "y": "A", "xref": "x", "yref": "y", "showarrow": False, "text": "1",
         "font": {"size": 12, "color": "#212121"}, "xshift": 3},
        {"x": 2, "y": "B", "xref": "x", "yref": "y", "showarrow": False, "text": "2",
         "font": {"color": "#212121", "size": 12}, "xshift": -3},
        {"x": 3, "y": 1, "xref": "x", "yref": "paper", "showarrow": False, "text": "ref",
         "font": {"size": 13, "color": "#212121"}},
    ]
    spec = {"data": [], "layout": {"annotations": annotations}}
    out = figures.for_dash(spec)
    defaults = out["layout"]["template"]["layout"]["annotationdefaults"]
    # Keys every label sets, at their most common value; xshift is missing from one label
    # (it relies on plotly.js's default 0), so it stays on each label; text and position
    # never move.
    assert {k: defaults[k] for k in ("xref", "yref", "showarrow", "font")} == {
        "xref": "x", "yref": "y", "showarrow": False, "font": {"size": 12, "color": "#212121"}}
    assert "xshift" not in defaults and "text" not in defaults and "x" not in defaults
    # Applying the defaults back gives every label exactly as it was given.
    restored = [{**{k: v for k, v in defaults.items() if k in figures._SHAREABLE_ANNOTATION_KEYS},
                 **a} for a in out["layout"]["annotations"]]
    assert restored == annotations
    assert spec["layout"]["annotations"] is annotations and "template" not in spec["layout"]
    # One label, or none: nothing to share.
    single = figures.for_dash({"data": [], "layout": {"annotations": annotations[:1]}})
    assert single["layout"]["annotations"] == annotations[:1]


def test_for_dash_moves_shared_trace_styles_into_the_template():
    from dashboards import figures

    polygons = [{"type": "scatter", "x": [0, 1, 0], "y": [0, 0, 1], "mode": "lines",
                 "fill": "toself", "fillcolor": colour, "line": {"color": "#5f686d", "width": 1},
                 "hoveron": "fills", "hoverinfo": "text", "text": name, "showlegend": False}
                for name, colour in (("A", "#111111"), ("B", "#222222"), ("C", "#222222"))]
    polygons[2]["line"] = {"color": "#000000", "width": 3}  # a marked outline keeps its own
    bars = [{"type": "bar", "x": [1], "y": ["A"], "orientation": "h"}]
    spec = {"data": [*polygons, *bars], "layout": {}}
    out = figures.for_dash(spec)
    template = out["layout"]["template"]["data"]
    scatter_defaults = {k: v for k, v in template["scatter"][0].items()
                        if k in figures._SHAREABLE_TRACE_KEYS}
    assert scatter_defaults == {"mode": "lines", "fill": "toself", "fillcolor": "#222222",
                                "line": {"color": "#5f686d", "width": 1}, "hoveron": "fills",
                                "hoverinfo": "text", "showlegend": False}
    # plotly's own scatter item (its fillpattern) is kept; a single bar shares nothing.
    assert template["scatter"][0]["fillpattern"] == figures.dash_template()["data"]["scatter"][0][
        "fillpattern"]
    assert out["data"][3] == bars[0]
    restored = [{**scatter_defaults, **trace} for trace in out["data"][:3]]
    assert restored == polygons
    assert out["data"][2]["line"] == {"color": "#000000", "width": 3}
    assert "text" in out["data"][0] and "x" in out["data"][0]
    assert figures.dash_template()["data"]["scatter"][0].get("mode") is None  # not mutated


def test_for_dash_shares_a_reused_style_object_as_it_shares_equal_copies():
    """The builders reuse one style dict on every item; that path must give the same figure
    as equal copies, and the template must not alias the caller's object."""
    from dashboards import figures

    def labels(font_of):
        return [{"x": i, "y": str(i), "xref": "x", "showarrow": False, "text": str(i),
                 "font": font_of(i), "xanchor": "left" if i % 3 else "right"}
                for i in range(40)]

    reused = {"color": "#212121", "size": 12}
    one_object = figures.for_dash({"data": [], "layout": {"annotations": labels(
        lambda i: reused)}})
    copies = figures.for_dash({"data": [], "layout": {"annotations": labels(
        lambda i: {"size": 12, "color": "#212121"})}})
    assert orjson.dumps(one_object) == orjson.dumps(copies)
    defaults = one_object["layout"]["template"]["layout"]["annotationdefaults"]
    assert defaults["font"] == reused and defaults["font"] is not reused
    assert defaults["xanchor"] == "left"  # the most common of two values, counted
    # Two objects, one of them on most items: counted per object, shared by its count.
    mixed = labels(lambda i: reused if i < 30 else {"color": "#000000", "size": 14})
    out = figures.for_dash({"data": [], "layout": {"annotations": mixed}})
    assert out["layout"]["template"]["layout"]["annotationdefaults"]["font"] == reused
    assert [a.get("font") for a in out["layout"]["annotations"]][29:31] == [
        None, {"color": "#000000", "size": 14}]


def _plain_by_bar(ranked):
    """The definition :func:`figures._all_plain` reads column-wise: a test per bar."""
    return all(a.status != "e" and (a.lower is None or a.upper is None) and a.value >= 0
               for a in ranked)


@pytest.mark.parametrize("changes", [
    {},
    {2: {"status": "e"}},
    {1: {"value": -0.5}},
    {1: {"value": float("nan")}},  # not first: min() would pass over it
    {0: {"value": float("nan")}},
    {3: {"lower": 1.0, "upper": 9.0}},
    {3: {"lower": 1.0}},  # one end: no interval
    {3: {"lower": 1.0}, 4: {"upper": 9.0}},  # ends on different bars: still none
    {3: {"lower": 1.0}, 4: {"upper": 9.0}, 5: {"lower": 2.0, "upper": 8.0}},
    {0: {"value": float("inf")}},
])
def test_plain_bars_are_found_column_wise_as_bar_by_bar(changes):
    ranked = [figures.AreaValue(f"KU{i:03d}", f"Kunta {i}", 10.0 - i, "", None, None, "")
              for i in range(8)]
    for at, change in changes.items():
        ranked[at] = ranked[at]._replace(**change)
    values = [a.value for a in ranked]
    assert figures._all_plain(ranked, values) == _plain_by_bar(ranked)
    assert figures._all_plain([], []) is True
