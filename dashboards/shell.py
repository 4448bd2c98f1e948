"""The frame around every view: skip link, banners, navigation, language switch, footer.

Rendered with the view in the reader's language. The demo and stale banners come first
in the header on *every* view, so example data or old data cannot be missed. Navigation
links are plain ``<a href>`` that load the page (``dcc.Link`` cannot carry
``aria-current``, and a fresh page puts a screen reader at the new page's top); the
current page is marked with ``aria-current="page"``. The language links carry the current
view's state (updated by a callback as choices change) and ``lang``/``hreflang``, so a
screen reader pronounces "På svenska" in Swedish (WCAG 3.1.2).
"""

from __future__ import annotations

from typing import Any

from dash import html

from . import state
from .context import Context
from .i18n import (
    LANG_NAMES,
    LANGS,
    MAKE_COMMAND,
    REFRESH_COMMAND,
    fill,
    format_date,
    texts,
)
from .sitetext import site_texts

NAV_VIEWS = ("overview", "profile", "index", "survey", "data", "method")


def banners(ctx: Context, lang: str) -> list[Any]:
    t = texts(lang)
    out: list[Any] = []
    if ctx.info.demo:
        out.append(html.Div(
            className="banner banner--demo", id="demo-banner", role="note",
            children=html.Div(className="container", children=[
                html.P(html.Strong(t["demo_title"]), className="banner__title"),
                html.P(fill(t["demo_body"], refresh=html.Code(REFRESH_COMMAND),
                            make=html.Code(MAKE_COMMAND), cache=html.Code(ctx.info.cache_dir))),
            ]),
        ))
    if ctx.info.stale:
        out.append(html.Div(
            className="banner banner--stale", id="stale-banner", role="note",
            children=html.Div(className="container", children=[
                html.P(html.Strong(t["stale_title"]), className="banner__title"),
                html.P(fill(t["stale_body"], sources=", ".join(ctx.info.stale),
                            refresh=html.Code(REFRESH_COMMAND))),
            ]),
        ))
    return out


def _lang_links(ctx: Context, lang: str, view: str, search: str, pathname: str) -> html.Nav:
    t = texts(lang)
    items = []
    for other in LANGS:
        link_href = (pathname or "/") + state.switch_lang(search, other, ctx.default_lang)
        attrs: dict[str, Any] = {"lang": other, "hrefLang": other}
        if other == lang:
            attrs["aria-current"] = "true"
        items.append(html.Li(html.A(
            LANG_NAMES[other], href=link_href, id=f"lang-{other}", className="lang-switch__link",
            **attrs,
        )))
    return html.Nav(html.Ul(items, className="lang-switch__list"), className="lang-switch",
                    **{"aria-label": t["lang_switch_label"]})


def header(ctx: Context, lang: str, view: str, pathname: str, search: str) -> html.Header:
    t = texts(lang)
    nav_items = []
    for item in NAV_VIEWS:
        attrs: dict[str, Any] = {}
        if item == view:
            attrs["aria-current"] = "page"
        nav_items.append(html.Li(html.A(
            t["nav"][item], href=ctx.path(state.href(state.PATHS[item], lang, ctx.default_lang)),
            className="site-nav__link", id=f"nav-{item}", **attrs,
        )))
    return html.Header(className="site-header", children=[
        *banners(ctx, lang),
        html.Div(className="site-header__bar", children=html.Div(
            className="container site-header__inner",
            children=[
                html.A(
                    [html.Span(t["service_name"], className="site-header__name"),
                     html.Span(site_texts(ctx.areas, lang)["region_name"],
                               className="site-header__region")],
                    href=ctx.path(state.href("/", lang, ctx.default_lang)),
                    className="site-header__home",
                ),
                _lang_links(ctx, lang, view, search, pathname),
            ],
        )),
        html.Nav(html.Div(html.Ul(nav_items, className="site-nav__list"), className="container"),
                 className="site-nav", **{"aria-label": t["nav_label"]}),
    ])


def footer(ctx: Context, lang: str) -> html.Footer:
    t = texts(lang)
    refreshed = format_date(ctx.info.refreshed_at, lang) or t["refreshed_unknown"]
    return html.Footer(className="site-footer", children=html.Div(className="container", children=[
        html.Nav(html.Ul([
            html.Li(html.A(t["statement_link"], href=ctx.path(
                state.href(state.PATHS["statement"], lang, ctx.default_lang)))),
            html.Li(html.A(t["feedback_link"], href=f"mailto:{ctx.feedback_email}")),
            html.Li(html.A(t["nav"]["data"], href=ctx.path(
                state.href(state.PATHS["data"], lang, ctx.default_lang)))),
        ], className="site-footer__links"), **{"aria-label": t["footer_nav"]}),
        html.P(t["footer_licence"], className="site-footer__licence"),
        html.P(t["refreshed"].format(date=refreshed), className="site-footer__licence"),
    ]))


def page(ctx: Context, lang: str, view: str, pathname: str, search: str,
         main: list[Any]) -> list[Any]:
    """The whole page of one view."""
    t = texts(lang)
    return [
        html.A(t["skip_link"], href="#main-content", className="skip-link"),
        header(ctx, lang, view, pathname, search),
        html.Main(main, id="main-content", tabIndex="-1", className=f"container main main--{view}"),
        footer(ctx, lang),
    ]


def status_region() -> html.Div:
    """A polite live region outside the re-rendered content, announcing what is now shown."""
    return html.Div(id="view-status", className="visually-hidden", role="status",
                    **{"aria-live": "polite"})
