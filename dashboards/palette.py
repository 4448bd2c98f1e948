"""Colours of the dashboard, in one place so that a unit test can check their contrast.

WCAG 2.1 asks for 4.5:1 for text (1.4.3) and 3:1 for graphics and focus indicators
(1.4.11) against what they sit on. The hues follow the Suomi.fi design tokens (blue
``#2a6ebb`` accent, near-black text) and the Okabe–Ito colour-blind-safe set for the one
contrasting hue, so charts read the same for people with colour-vision deficiencies.
``assets/style.css`` repeats these values; keep the two in step.
"""

from __future__ import annotations

# ---- surfaces ------------------------------------------------------------------------
BACKGROUND = "#ffffff"
SURFACE = "#f7f7f8"  # table headers, footer
DEMO_BANNER_BG = "#fff6e0"  # pale amber: "example data" banner
STALE_BANNER_BG = "#fdeeed"  # pale red: "stale sources" banner

# ---- text ----------------------------------------------------------------------------
TEXT = "#212121"
TEXT_MUTED = "#5f686d"
LINK = "#2a6ebb"
LINK_HOVER = "#1a4f8a"

# ---- graphics ------------------------------------------------------------------------
BAR = "#2a6ebb"  # ranking bars (Suomi.fi highlightBase)
HIGHLIGHT = "#d55e00"  # a highlighted municipality's bar (Okabe–Ito vermilion)
REGION_LINE = "#212121"  # reference line: the region (solid)
COUNTRY_LINE = "#5f686d"  # reference line: Finland (dashed)
COUNTY_LINE = "#6a3d9a"  # reference line: the wellbeing services county (dotted)
INTERVAL = "#212121"  # whiskers of modelled estimates
FOCUS = "#1a4f8a"  # keyboard focus outline
CONTROL_BORDER = "#5f686d"  # border of selects (a UI component boundary)
DEMO_BANNER_BORDER = "#9a5b00"
STALE_BANNER_BORDER = "#c13832"

PEER_LINE = "#d55e00"  # trend line of the peer group (Okabe–Ito vermilion, dotted)
NOT_ROBUST = "#d55e00"  # rank-range whisker of a municipality whose rank is not robust
TILE_BORDER = "#5f686d"  # border of every map class: visible even where a fill is pale

#: Sequential single-hue scale for the map (ColorBrewer Blues, pale → dark = small → large).
#: The two palest fills are < 3:1 against white; every tile and polygon therefore has a
#: TILE_BORDER outline (≥ 3:1), and every tile prints its value, so colour never carries
#: the information alone. Text on a fill uses SEQUENTIAL_TEXT (≥ 4.5:1 on that fill).
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b")
SEQUENTIAL_TEXT = ("#212121", "#212121", "#212121", "#ffffff", "#ffffff")
MISSING_FILL = "#ffffff"  # no value: white with a dashed border and the status symbol

# ---- decorative (no contrast requirement: they carry no information) -----------------
GRID = "#dfe3e6"
RULE = "#c8cdd0"

#: Text colours and the backgrounds each may appear on.
TEXT_COLOURS = {
    "TEXT": TEXT,
    "TEXT_MUTED": TEXT_MUTED,
    "LINK": LINK,
    "LINK_HOVER": LINK_HOVER,
}
TEXT_BACKGROUNDS = {
    "BACKGROUND": BACKGROUND,
    "SURFACE": SURFACE,
    "DEMO_BANNER_BG": DEMO_BANNER_BG,
    "STALE_BANNER_BG": STALE_BANNER_BG,
}
#: Non-text colours that carry information (bars, lines, focus, control borders).
GRAPHIC_COLOURS = {
    "BAR": BAR,
    "HIGHLIGHT": HIGHLIGHT,
    "REGION_LINE": REGION_LINE,
    "COUNTRY_LINE": COUNTRY_LINE,
    "COUNTY_LINE": COUNTY_LINE,
    "INTERVAL": INTERVAL,
    "FOCUS": FOCUS,
    "CONTROL_BORDER": CONTROL_BORDER,
    "DEMO_BANNER_BORDER": DEMO_BANNER_BORDER,
    "STALE_BANNER_BORDER": STALE_BANNER_BORDER,
    "PEER_LINE": PEER_LINE,
    "NOT_ROBUST": NOT_ROBUST,
    "TILE_BORDER": TILE_BORDER,
}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an sRGB colour given as ``#rrggbb`` or ``#rgb``."""
    text = hex_colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"Not a hex colour: {hex_colour!r} (expected #rrggbb).")
    try:
        r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError as exc:
        raise ValueError(f"Not a hex colour: {hex_colour!r} (expected #rrggbb).") from exc
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(hex1: str, hex2: str) -> float:
    """WCAG 2.x contrast ratio between two colours, from 1.0 (same) to 21.0 (black/white)."""
    hi, lo = sorted((relative_luminance(hex1), relative_luminance(hex2)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
