"""Text pages: the method (``/menetelma``) and the accessibility statement
(``/saavutettavuusseloste``). Both are rendered from :mod:`dashboards.prose` blocks."""

from __future__ import annotations

from typing import Any

from dash import html

from .. import state
from ..context import Context
from ..i18n import REFRESH_COMMAND, SUPERVISOR_URL, fill, format_date, texts
from ..prose import METHOD, STATEMENT, STATEMENT_DATE


def _blocks(blocks: list[tuple[str, Any]], lang: str, parts: dict[str, Any]) -> list[Any]:
    t = texts(lang)
    out: list[Any] = []
    for kind, content in blocks:
        if kind == "h2":
            out.append(html.H2(content))
        elif kind == "h3":
            out.append(html.H3(content))
        elif kind == "ul":
            out.append(html.Ul([html.Li(item) for item in content]))
        elif kind == "index_not_say":
            out.append(html.Ul([html.Li(item) for item in t["index_not_say"]]))
        else:
            out.append(html.P(fill(content, **parts)))
    return out


def method_layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    parts = {"refresh": html.Code(REFRESH_COMMAND)}
    return [html.Div([html.H1(t["method_h1"]), *_blocks(METHOD[lang], lang, parts)],
                     className="prose")]


def statement_layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    parts = {
        "email": html.A(ctx.feedback_email, href=f"mailto:{ctx.feedback_email}"),
        "supervisor": html.A("saavutettavuusvaatimukset.fi", href=SUPERVISOR_URL),
        "date": format_date(STATEMENT_DATE, lang),
    }
    home = ctx.path(state.href("/", lang, ctx.default_lang))
    return [html.Div([html.H1(t["statement_title"]), *_blocks(STATEMENT[lang], lang, parts),
                      html.P(html.A(t["back_home"], href=home))], className="prose")]


def not_found_layout(ctx: Context, lang: str, route: state.Route, search: str) -> list[Any]:
    t = texts(lang)
    home = ctx.path(state.href("/", lang, ctx.default_lang))
    return [html.H1(t["not_found_title"]), html.P(t["not_found_body"]),
            html.P(html.A(t["back_home"], href=home))]
