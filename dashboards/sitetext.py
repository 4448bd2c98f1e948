"""The dashboard's name, heading and lead for the region the cache was refreshed for.

The texts in :mod:`dashboards.i18n` are written for Pohjois-Pohjanmaa, the mission's
region, with its Finnish inflections ("Pohjois-Pohjanmaalla"). A cache refreshed for
another region or for the whole country must not be presented as Pohjois-Pohjanmaa, and
inflecting other place names by rule goes wrong too often: there the title names the
region in the nominative ("Digitaalinen osallisuus: Keski-Suomi"). Either way the lead
counts the municipalities the cache really has.
"""

from __future__ import annotations

from typing import Protocol

from .i18n import texts

HOME_REGION = "MK17"  # the region the i18n texts are written for


class _Areas(Protocol):
    region_code: str

    def municipalities(self) -> list[str]: ...

    def name(self, area_code: str, lang: str = "fi") -> str: ...


def site_texts(areas: _Areas, lang: str) -> dict[str, str]:
    """``app_title``, ``h1``, ``lead`` and ``region_name`` for ``areas``' region in ``lang``."""
    t = texts(lang)
    n = len(areas.municipalities())
    if areas.region_code == HOME_REGION:
        return {"app_title": t["app_title"], "h1": t["h1"], "region_name": t["region_name"],
                "lead": t["lead"].format(n=n)}
    region = areas.name(areas.region_code, lang)
    title = t["app_title_region"].format(region=region)
    return {"app_title": title, "h1": title, "region_name": region,
            "lead": t["lead_region"].format(n=n)}
