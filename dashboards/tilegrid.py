"""Where each of the 30 municipalities sits in the tile-grid "map" (no network, no polygons).

Why a tile grid: a choropleth needs the boundary layer, which may not have been
downloaded, and on a real map Oulu and Pudasjärvi dwarf Kempele and Hailuoto, so the
eye weighs municipalities by land area. Equal squares placed *roughly* where the
municipality lies give every municipality the same visual weight and need nothing but
this table (the idea of geofi's ``grid_pohjois_pohjanmaa`` and of geofacet grids).

The positions were placed by hand from the map of the region: north at the top, the
coast (Hailuoto – Lumijoki – Raahe – Pyhäjoki – Kalajoki) on the left, Koillismaa
(Taivalkoski, Kuusamo) at the top right and the Nivala–Haapajärvi sub-region at the
bottom. Neighbours on the grid are neighbours (or near neighbours) on the ground; the grid
does not show distances or areas. ``row`` 0 is the northernmost row, ``col`` 0 the
westernmost column. ``abbr`` is a label of at most three letters shown instead of the name
when the screen is narrow (the full names are in the table next to the grid).

To add a region, add its own table; :func:`check_grid` tells whether a table covers the
municipalities of an area table exactly, once each, without two in one cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    row: int
    col: int
    abbr: str


#: Pohjois-Pohjanmaa (MK17), municipal division of 2021–2026. 7 rows × 7 columns.
TILES_MK17: dict[str, Tile] = {
    # row 0: the north — Ii on the coast, then inland to Kuusamo at the Russian border
    "KU139": Tile(0, 3, "Ii"),  # Ii
    "KU615": Tile(0, 4, "Pud"),  # Pudasjärvi
    "KU832": Tile(0, 5, "Tai"),  # Taivalkoski
    "KU305": Tile(0, 6, "Kuu"),  # Kuusamo
    # row 1: Oulu and the island off it, the Oulujoki valley eastwards
    "KU072": Tile(1, 2, "Hai"),  # Hailuoto
    "KU564": Tile(1, 3, "Olu"),  # Oulu
    "KU494": Tile(1, 4, "Muh"),  # Muhos
    "KU889": Tile(1, 5, "Uta"),  # Utajärvi
    # row 2: the ring south of Oulu, Vaala at lake Oulujärvi
    "KU436": Tile(2, 1, "Lum"),  # Lumijoki
    "KU425": Tile(2, 2, "Lim"),  # Liminka
    "KU244": Tile(2, 3, "Kem"),  # Kempele
    "KU859": Tile(2, 4, "Tyr"),  # Tyrnävä
    "KU785": Tile(2, 5, "Vaa"),  # Vaala
    # row 3: Raahe sub-region's north and the Siikajoki valley
    "KU678": Tile(3, 0, "Raa"),  # Raahe
    "KU748": Tile(3, 1, "Sij"),  # Siikajoki
    "KU791": Tile(3, 3, "Sil"),  # Siikalatva
    "KU630": Tile(3, 4, "Pyt"),  # Pyhäntä
    # row 4: Pyhäjoki on the coast, inland through Oulainen to Kärsämäki
    "KU625": Tile(4, 0, "Pyj"),  # Pyhäjoki
    "KU483": Tile(4, 1, "Mer"),  # Merijärvi
    "KU563": Tile(4, 2, "Ola"),  # Oulainen
    "KU071": Tile(4, 3, "Hav"),  # Haapavesi
    "KU317": Tile(4, 4, "Kär"),  # Kärsämäki
    # row 5: Kalajoki on the coast, the Kalajoki valley, Pyhäjärvi in the south-east
    "KU208": Tile(5, 0, "Kal"),  # Kalajoki
    "KU009": Tile(5, 1, "Ala"),  # Alavieska
    "KU977": Tile(5, 2, "Ylv"),  # Ylivieska
    "KU535": Tile(5, 3, "Niv"),  # Nivala
    "KU069": Tile(5, 4, "Haj"),  # Haapajärvi
    "KU626": Tile(5, 5, "Pyr"),  # Pyhäjärvi
    # row 6: the southern tip
    "KU746": Tile(6, 2, "Sie"),  # Sievi
    "KU691": Tile(6, 3, "Rei"),  # Reisjärvi
}

GRIDS: dict[str, dict[str, Tile]] = {"17": TILES_MK17}


def grid_for(region: str = "17") -> dict[str, Tile]:
    """The tile table of a region (maakunta number), or ``{}`` when none is drawn for it.

    A tile layout is hand-made per region; other regions (and the whole country) show the
    map only from cached boundaries, and without them the ranking and table alone."""
    key = str(region).removeprefix("MK").zfill(2)
    return GRIDS.get(key, {})


def grid_size(tiles: dict[str, Tile]) -> tuple[int, int]:
    """(rows, columns) the grid needs."""
    return (max(t.row for t in tiles.values()) + 1, max(t.col for t in tiles.values()) + 1)


def check_grid(tiles: dict[str, Tile], municipalities: Iterable[str]) -> list[str]:
    """Problems of a tile table against the area table's municipalities ([] when fine)."""
    codes = list(municipalities)
    problems = []
    missing = [c for c in codes if c not in tiles]
    extra = [c for c in tiles if c not in codes]
    if missing:
        problems.append(f"no tile for {', '.join(missing)}")
    if extra:
        problems.append(f"tiles for codes outside the region: {', '.join(extra)}")
    seen: dict[tuple[int, int], str] = {}
    for code, tile in tiles.items():
        if tile.row < 0 or tile.col < 0:
            problems.append(f"{code} has a negative position")
        if (tile.row, tile.col) in seen:
            problems.append(f"{code} and {seen[(tile.row, tile.col)]} share a cell")
        seen[(tile.row, tile.col)] = code
    abbrs = [t.abbr for t in tiles.values()]
    dupes = sorted({a for a in abbrs if abbrs.count(a) > 1})
    if dupes:
        problems.append(f"abbreviations used twice: {', '.join(dupes)}")
    return problems
