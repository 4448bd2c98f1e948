"""The dashboard's colours meet WCAG contrast: text 4.5:1, graphics and focus 3:1.

Checked in a unit test because axe-core cannot read colours inside the plotly SVG.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboards import palette
from dashboards.palette import contrast_ratio

CSS = Path(palette.__file__).parent / "assets" / "style.css"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#000000", 21.0),
        ("#fff", "#000", 21.0),
        ("#777777", "#777777", 1.0),
        ("#767676", "#ffffff", 4.54),  # the well-known lightest grey that passes AA on white
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.00),
    ],
)
def test_contrast_ratio_known_pairs(a, b, expected):
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)


def test_contrast_ratio_rejects_garbage():
    with pytest.raises(ValueError, match="hex colour"):
        contrast_ratio("blue", "#ffffff")
    with pytest.raises(ValueError, match="hex colour"):
        contrast_ratio("#12345g", "#ffffff")


@pytest.mark.parametrize("name", sorted(palette.TEXT_COLOURS))
@pytest.mark.parametrize("background", sorted(palette.TEXT_BACKGROUNDS))
def test_text_colours_reach_4_5_to_1(name, background):
    ratio = contrast_ratio(palette.TEXT_COLOURS[name], palette.TEXT_BACKGROUNDS[background])
    assert ratio >= 4.5, f"{name} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize("name", sorted(palette.GRAPHIC_COLOURS))
def test_graphic_colours_reach_3_to_1_on_the_background(name):
    ratio = contrast_ratio(palette.GRAPHIC_COLOURS[name], palette.BACKGROUND)
    assert ratio >= 3.0, f"{name}: {ratio:.2f}:1"


def test_reference_lines_stand_out_from_the_bars():
    # Lines cross the bars; the region line must read against them too (the Finland line
    # relies on its white halo, drawn in figures.ranking_figure).
    assert contrast_ratio(palette.REGION_LINE, palette.BAR) >= 3.0


def test_focus_outline_visible_on_every_surface():
    for name, bg in palette.TEXT_BACKGROUNDS.items():
        assert contrast_ratio(palette.FOCUS, bg) >= 3.0, name


def test_banner_borders_against_their_banner():
    assert contrast_ratio(palette.DEMO_BANNER_BORDER, palette.DEMO_BANNER_BG) >= 3.0
    assert contrast_ratio(palette.STALE_BANNER_BORDER, palette.STALE_BANNER_BG) >= 3.0


def test_stylesheet_uses_the_palette():
    """style.css repeats the palette in custom properties; they must not drift apart."""
    css = CSS.read_text(encoding="utf-8").lower()
    declared = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    expected = {
        "bg": palette.BACKGROUND,
        "surface": palette.SURFACE,
        "text": palette.TEXT,
        "text-muted": palette.TEXT_MUTED,
        "accent": palette.LINK,
        "accent-dark": palette.LINK_HOVER,
        "focus": palette.FOCUS,
        "control-border": palette.CONTROL_BORDER,
        "demo-bg": palette.DEMO_BANNER_BG,
        "demo-border": palette.DEMO_BANNER_BORDER,
        "stale-bg": palette.STALE_BANNER_BG,
        "stale-border": palette.STALE_BANNER_BORDER,
    }
    for prop, colour in expected.items():
        assert declared.get(prop) == colour.lower(), prop


# ---- the map's sequential scale ------------------------------------------------------------
@pytest.mark.parametrize("index", range(len(palette.SEQUENTIAL)))
def test_every_map_class_is_visible_against_the_page(index):
    """WCAG 1.4.11: a class fill ≥ 3:1 against the background, or — for the pale ones — a
    visible outline (TILE_BORDER ≥ 3:1) drawn around every tile and polygon."""
    fill = palette.SEQUENTIAL[index]
    fill_ok = contrast_ratio(fill, palette.BACKGROUND) >= 3.0
    border_ok = contrast_ratio(palette.TILE_BORDER, palette.BACKGROUND) >= 3.0
    assert fill_ok or border_ok, fill


@pytest.mark.parametrize("index", range(len(palette.SEQUENTIAL)))
def test_text_on_every_map_class_reaches_4_5_to_1(index):
    fill, text = palette.SEQUENTIAL[index], palette.SEQUENTIAL_TEXT[index]
    assert contrast_ratio(text, fill) >= 4.5, (fill, text)


def test_map_scale_is_sequential_and_single_hue():
    """Pale → dark: luminance strictly falls, so the order reads without the legend and in
    greyscale; all fills are blues (blue channel the largest), so no red–green pairs."""
    lum = [palette.relative_luminance(c) for c in palette.SEQUENTIAL]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)
    for colour in palette.SEQUENTIAL:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert b >= g >= r, colour
    # Neighbouring classes differ visibly in lightness, not only in hue.
    for a, b in zip(palette.SEQUENTIAL, palette.SEQUENTIAL[1:], strict=False):
        assert contrast_ratio(a, b) >= 1.3, (a, b)


def test_stylesheet_outlines_tiles_with_the_palette_border():
    css = CSS.read_text(encoding="utf-8").lower()
    block = css[css.index(".tile {"):]
    block = block[:block.index("}")]
    assert f"border: 1px solid {palette.TILE_BORDER}" in block
    assert palette.HIGHLIGHT in css[css.index(".tile--marked"):]
