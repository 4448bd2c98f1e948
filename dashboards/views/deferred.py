"""Parts of a page sent after it, each by its own callback: what they share.

Why: some views are large (a profile's 18 trend charts, the index's 36-scenario rank
ranges and its table). Sent with the page, they hold back what the reader came for; sent
apart, the page arrives first and each part follows a few milliseconds later, rendered
once and kept (:mod:`dashboards.render`). The page holds an empty body per part, whose
id (a pattern-matching id) names everything the part is made of; one callback per kind
of part fills every body of that kind.

The ids come back from the browser, so a part's ``parse`` checks each of their fields and
refuses an id no page could have sent: that request gets no update and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any

import dash
from dash import MATCH, Input, Output

from ..context import Context
from ..i18n import texts
from ..wire import element


@dataclass(frozen=True)
class Deferred:
    """One kind of part: its id's ``type`` and other keys, how an id becomes the arguments
    of ``build(ctx, *args)`` (``parse``, None to refuse it), and the part of its cache key
    those arguments give (``key``)."""

    kind: str
    keys: tuple[str, ...]
    parse: Callable[[Context, Any], tuple | None]
    build: Callable[..., Any]
    key: Callable[..., tuple[Hashable, ...]]

    def placeholder(self, ident: dict[str, Any], lang: str) -> dict[str, Any]:
        """The empty body the page holds until the part arrives."""
        return element("Div", element("P", texts(lang)["trend_loading"],
                                      className="deferred__loading"),
                       id=ident, className="deferred")

    def body(self, ctx: Context, ident: Any) -> Any:
        """What the callback sends for ``ident``, built now; None for a refused id."""
        args = self.parse(ctx, ident)
        return None if args is None else self.build(ctx, *args)

    def rendered(self, ctx: Context, ident: Any) -> Any:
        """:meth:`body` from the render cache (rendered on the first request, or ahead of
        it: a job rendering it now is waited for, not repeated)."""
        args = self.parse(ctx, ident)
        if args is None:
            return None
        key, render = self._render(ctx, args)
        ctx.ahead.wait(key)
        return render()

    def render_ahead(self, ctx: Context, *args: Any) -> None:
        """Render the part of ``args`` (what :attr:`parse` makes of its id) in the
        background once the current answer has been sent, for the request the browser
        sends next (:mod:`dashboards.ahead`). The answer's own arguments, not its id: the
        caller has them, and parsing the id again is work on the answer's path."""
        key, render = self._render(ctx, args)
        if key not in ctx.renders:  # rendered already (the same weights asked again)
            ctx.ahead.after_response(key, render)

    def _render(self, ctx: Context, args: tuple) -> tuple[Hashable, Callable[[], Any]]:
        """The render-cache key of the part of ``args``, and the call that returns it
        from the cache (building it on a miss)."""
        key = (self.kind, *self.key(*args))
        return key, lambda: ctx.rendered(key, lambda: self.build(ctx, *args))

    def register(self, app: dash.Dash, ctx: Context) -> None:
        """The callback that fills every body of this kind when it appears on a page."""
        pattern = {"type": self.kind, **dict.fromkeys(self.keys, MATCH)}

        @app.callback(Output(pattern, "children"), Input(pattern, "id"))
        def fill(ident: Any) -> Any:
            rendered = self.rendered(ctx, ident)
            if rendered is None:
                raise dash.exceptions.PreventUpdate
            return rendered


def announced(tree: Any, kinds: Collection[str]) -> list[dict[str, Any]]:
    """The ids of the empty bodies of ``kinds`` in a layout in wire format, in order: the
    parts a page announces (prewarming renders them with the page)."""
    found: list[dict[str, Any]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            props = node.get("props")
            ident = props.get("id") if isinstance(props, dict) else None
            if isinstance(ident, dict) and ident.get("type") in kinds:
                found.append(ident)
            elif isinstance(props, dict) and "children" in props:
                stack.append(props["children"])
    return found
