"""The area table with its lookups remembered, for the dashboard.

``AreaTable``'s lookups (``names``, ``name``, ``peer_group``, ``municipalities``, …) each
scan its frame; a profile page called them some 15 000 times (2 s). The table does not
change while the app runs, so :class:`AreaIndex` answers each question once from the
table itself and remembers the answer; errors (an unknown code) are raised by the table
every time, as before. Everything else is the table's own attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from digiindicators.areas import AreaTable


class AreaIndex:
    """An ``AreaTable`` whose answers are remembered (see the module docstring)."""

    def __init__(self, table: AreaTable) -> None:
        self.table = table.table if isinstance(table, AreaIndex) else table
        self._memo: dict[Hashable, Any] = {}

    def _remember(self, key: Hashable, ask: Callable[[], Any]) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            value = ask()  # raises for an unknown area or language, and is not remembered
            return self._memo.setdefault(key, value)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.table, name)

    def __repr__(self) -> str:
        return f"AreaIndex({self.table!r})"

    # The answers callers must treat as read-only (they are shared).
    @property
    def codes(self) -> list[str]:
        return self._remember(("codes",), lambda: self.table.codes)

    def municipalities(self) -> list[str]:
        return list(self._remember(("municipalities",), self.table.municipalities))

    def counties(self) -> list[str]:
        return list(self._remember(("counties",), self.table.counties))

    def names(self, lang: str = "fi") -> dict[str, str]:
        return self._remember(("names", lang), lambda: self.table.names(lang))

    def name(self, area_code: str, lang: str = "fi") -> str:
        return self._remember(("name", area_code, lang), lambda: self.table.name(area_code, lang))

    def peer_group(self, area_code: str) -> str:
        return self._remember(("peer", area_code), lambda: self.table.peer_group(area_code))

    def peer_group_members(self, group: str) -> list[str]:
        return list(self._remember(("peer-members", str(group)),
                                   lambda: self.table.peer_group_members(group)))

    def county(self, area_code: str) -> str | None:
        return self._remember(("county", area_code), lambda: self.table.county(area_code))

    def urban_rural(self, area_code: str, lang: str = "fi") -> str:
        return self._remember(("urban_rural", area_code, lang),
                              lambda: self.table.urban_rural(area_code, lang))

    def members(self, area_code: str) -> list[str]:
        return list(self._remember(("members", area_code),
                                   lambda: self.table.members(area_code)))
