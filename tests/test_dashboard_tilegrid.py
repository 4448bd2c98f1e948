"""The tile-grid map and the choropleth: positions, classes, colours, without a browser."""

from __future__ import annotations

import math

import pytest

from dashboards import figures, maps, palette
from dashboards.tilegrid import TILES_MK17, Tile, check_grid, grid_for, grid_size
from digiindicators.areas import areas
from tests.panel_factory import make_boundaries, make_panel


@pytest.fixture(scope="module")
def panel():
    return make_panel()


def pos(code):
    return TILES_MK17[code].row, TILES_MK17[code].col


def test_every_municipality_has_one_tile_of_its_own():
    assert check_grid(TILES_MK17, areas().municipalities()) == []
    assert len(TILES_MK17) == 30 == len(areas().municipalities())
    assert grid_size(TILES_MK17) == (7, 7)
    assert grid_for("MK17") is TILES_MK17
    assert all(1 <= len(t.abbr) <= 3 for t in TILES_MK17.values())


def test_grid_is_roughly_geographic():
    oulu = pos("KU564")
    assert pos("KU072")[1] < oulu[1] and pos("KU072")[0] == oulu[0]  # Hailuoto west of Oulu
    assert pos("KU139")[0] < oulu[0]  # Ii north of Oulu
    assert pos("KU244")[0] == oulu[0] + 1 and pos("KU244")[1] == oulu[1]  # Kempele below
    assert pos("KU305")[1] == max(t.col for t in TILES_MK17.values())  # Kuusamo easternmost
    assert pos("KU305")[0] == 0  # ... and in the north
    assert pos("KU691")[0] == max(t.row for t in TILES_MK17.values())  # Reisjärvi south
    for coast in ("KU678", "KU625", "KU208"):  # Raahe, Pyhäjoki, Kalajoki: west coast
        assert pos(coast)[1] == 0
    # Coast runs south: Raahe above Pyhäjoki above Kalajoki.
    assert pos("KU678")[0] < pos("KU625")[0] < pos("KU208")[0]


def test_check_grid_reports_problems():
    broken = dict(TILES_MK17)
    del broken["KU564"]
    broken["KU999"] = Tile(0, 0, "Xx")
    broken["KU072"] = Tile(0, 3, "Ii")  # Ii's cell and abbreviation
    problems = check_grid(broken, areas().municipalities())
    text = " | ".join(problems)
    assert "no tile for KU564" in text
    assert "outside the region: KU999" in text
    assert "share a cell" in text
    assert "abbreviations used twice: Ii" in text
    assert grid_for("12") == {}  # no hand-made grid: the map needs boundaries


# ---- classes ---------------------------------------------------------------------------------
def test_class_breaks_are_quintiles_ending_at_the_maximum():
    values = [float(v) for v in range(1, 31)]
    breaks = maps.class_breaks(values)
    assert len(breaks) == 5 and breaks[-1] == 30.0
    counts = [sum(1 for v in values if maps.class_of(v, breaks) == i) for i in range(5)]
    assert counts == [6, 6, 6, 6, 6]
    assert maps.class_breaks([3.0, 3.0, 3.0]) == [3.0]  # all equal: one class
    assert maps.class_breaks([]) == []
    assert maps.class_breaks([1.0, math.nan, 2.0]) == maps.class_breaks([1.0, 2.0])


def test_map_data_matches_the_ranking(panel):
    ranking = figures.ranking_data(panel, "share_75plus", 2024, "fi")
    data = maps.map_data(ranking, TILES_MK17)
    assert len(data.cells) == 30 and (data.rows, data.cols) == (7, 7)
    by_code = {c.code: c for c in data.cells}
    for area in ranking.ranked:
        cell = by_code[area.code]
        assert cell.value == area.value
        assert cell.value_text == figures.format_number(area.value, 1, "fi")
        assert cell.map_class.lower <= area.value <= cell.map_class.upper
    # Suppressed cells: no class, the source's symbol instead of a number.
    assert by_code["KU483"].map_class is None and by_code["KU483"].value_text == ".."
    assert by_code["KU630"].value_text == "..."
    # Classes use the palette in order, pale to dark, and their labels carry the unit.
    assert [c.fill for c in data.classes] == list(palette.SEQUENTIAL)
    assert all(c.label.endswith("%") for c in data.classes)
    assert [c.index for c in data.classes] == [1, 2, 3, 4, 5]


# ---- choropleth ------------------------------------------------------------------------------
def test_boundary_codes():
    assert maps.boundary_codes(make_boundaries()) == set(TILES_MK17)
    assert maps.boundary_codes(None) == set()
    assert maps.boundary_codes({"features": [{"properties": {}, "geometry": None}]}) == set()


def test_choropleth_draws_every_municipality_outlined(panel):
    ranking = figures.ranking_data(panel, "share_75plus", 2024, "fi")
    data = maps.map_data(ranking, TILES_MK17)
    fig = maps.choropleth_figure(data, make_boundaries(), marked={"KU564"})
    assert len(fig.data) == 30
    fills = {t.fillcolor for t in fig.data}
    assert fills <= {*palette.SEQUENTIAL, palette.MISSING_FILL}
    outlines = [t.line.color for t in fig.data]
    assert outlines.count(palette.HIGHLIGHT) == 1 and fig.data[-1].line.color == palette.HIGHLIGHT
    assert all(c == palette.TILE_BORDER for c in outlines[:-1])
    missing = [t for t in fig.data if t.fillcolor == palette.MISSING_FILL]
    assert len(missing) == 2 and all(t.fillpattern.shape == "/" for t in missing)
    # Oulu is a MultiPolygon: two rings, each closed by a None gap.
    oulu = fig.data[-1]
    assert list(oulu.x).count(None) == 2
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False


def test_estimates_are_marked_on_the_map(panel):
    ranking = figures.ranking_data(panel, "share_nonusers_16_89", 2024, "fi")
    cells = maps.map_data(ranking, TILES_MK17).cells
    assert all(c.value_text.endswith(" e") and c.status == "e" for c in cells)
