"""Reference areas that every fake serves, under bare codes (``564``, ``171``).

The real 30 municipalities of Pohjois-Pohjanmaa and its seven seutukunnat; each fake
spells the codes as its service does (PxWeb ``KU564``/``SK171``, Sotkanet ``564``/``171``).
"""

from __future__ import annotations

#: code → (fi, sv) for the 30 municipalities of maakunta 17 (names as in the area table).
PP_MUNICIPALITIES: dict[str, tuple[str, str]] = {
    "009": ("Alavieska", "Alavieska"), "069": ("Haapajärvi", "Haapajärvi"),
    "071": ("Haapavesi", "Haapavesi"), "072": ("Hailuoto", "Karlö"), "139": ("Ii", "Ijo"),
    "208": ("Kalajoki", "Kalajoki"), "244": ("Kempele", "Kempele"),
    "305": ("Kuusamo", "Kuusamo"), "317": ("Kärsämäki", "Kärsämäki"),
    "425": ("Liminka", "Limingo"), "436": ("Lumijoki", "Lumijoki"),
    "483": ("Merijärvi", "Merijärvi"), "494": ("Muhos", "Muhos"), "535": ("Nivala", "Nivala"),
    "563": ("Oulainen", "Oulainen"), "564": ("Oulu", "Uleåborg"),
    "615": ("Pudasjärvi", "Pudasjärvi"), "625": ("Pyhäjoki", "Pyhäjoki"),
    "626": ("Pyhäjärvi", "Pyhäjärvi"), "630": ("Pyhäntä", "Pyhäntä"),
    "678": ("Raahe", "Brahestad"), "691": ("Reisjärvi", "Reisjärvi"), "746": ("Sievi", "Sievi"),
    "748": ("Siikajoki", "Siikajoki"), "785": ("Vaala", "Vaala"),
    "791": ("Siikalatva", "Siikalatva"), "832": ("Taivalkoski", "Taivalkoski"),
    "859": ("Tyrnävä", "Tyrnävä"), "889": ("Utajärvi", "Utajärvi"),
    "977": ("Ylivieska", "Ylivieska"),
}  # fmt: skip

SUBREGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "171": ("Oulu", ("072", "244", "425", "436", "494", "564", "859")),
    "173": ("Oulunkaari", ("139", "615", "785", "889")),
    "174": ("Raahe", ("625", "678", "748")),
    "175": ("Haapavesi-Siikalatva", ("071", "630", "791")),
    "176": ("Nivala-Haapajärvi", ("069", "317", "535", "626", "691")),
    "177": ("Ylivieska", ("009", "208", "483", "563", "746", "977")),
    "178": ("Koillismaa", ("305", "832")),
}
