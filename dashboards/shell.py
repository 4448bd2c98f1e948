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
from .wire import element

Element = dict[str, Any]  # an element in Dash's wire format

NAV_VIEWS = ("overview", "profile", "index", "survey", "data", "method")


def banners(ctx: Context, lang: str) -> list[Any]:
    t = texts(lang)
    out: list[Any] = []
    if ctx.info.demo:
        out.append(element("Div", element("Div", [
            element("P", element("Strong", t["demo_title"]), className="banner__title"),
            element("P", fill(t["demo_body"], refresh=element("Code", REFRESH_COMMAND),
                              make=element("Code", MAKE_COMMAND),
                              cache=element("Code", ctx.info.cache_dir))),
        ], className="container"), className="banner banner--demo", id="demo-banner",
            role="note"))
    if ctx.info.stale:
        out.append(element("Div", element("Div", [
            element("P", element("Strong", t["stale_title"]), className="banner__title"),
            element("P", fill(t["stale_body"], sources=", ".join(ctx.info.stale),
                              refresh=element("Code", REFRESH_COMMAND))),
        ], className="container"), className="banner banner--stale", id="stale-banner",
            role="note"))
    return out


def _lang_links(ctx: Context, lang: str, view: str, search: str, pathname: str) -> Element:
    t = texts(lang)
    items = []
    for other in LANGS:
        link_href = (pathname or "/") + state.switch_lang(search, other, ctx.default_lang)
        items.append(element("Li", element(
            "A", LANG_NAMES[other], href=link_href, id=f"lang-{other}",
            className="lang-switch__link", lang=other, hrefLang=other,
            **{"aria-current": "true" if other == lang else None},
        )))
    return element("Nav", element("Ul", items, className="lang-switch__list"),
                   className="lang-switch", **{"aria-label": t["lang_switch_label"]})


def header(ctx: Context, lang: str, view: str, pathname: str, search: str) -> Element:
    t = texts(lang)
    nav_items = []
    for item in NAV_VIEWS:
        nav_items.append(element("Li", element(
            "A", t["nav"][item], href=ctx.path(state.href(state.PATHS[item], lang,
                                                          ctx.default_lang)),
            className="site-nav__link", id=f"nav-{item}",
            **{"aria-current": "page" if item == view else None},
        )))
    home = element("A", [
        element("Span", t["service_name"], className="site-header__name"),
        element("Span", site_texts(ctx.areas, lang)["region_name"],
                className="site-header__region"),
    ], href=ctx.path(state.href("/", lang, ctx.default_lang)), className="site-header__home")
    return element("Header", [
        *banners(ctx, lang),
        element("Div", element("Div", [home, _lang_links(ctx, lang, view, search, pathname)],
                               className="container site-header__inner"),
                className="site-header__bar"),
        element("Nav", element("Div", element("Ul", nav_items, className="site-nav__list"),
                               className="container"),
                className="site-nav", **{"aria-label": t["nav_label"]}),
    ], className="site-header")


def footer(ctx: Context, lang: str) -> Element:
    t = texts(lang)
    refreshed = format_date(ctx.info.refreshed_at, lang) or t["refreshed_unknown"]

    def link(text: str, href: str) -> Element:
        return element("Li", element("A", text, href=href))

    return element("Footer", element("Div", [
        element("Nav", element("Ul", [
            link(t["statement_link"],
                 ctx.path(state.href(state.PATHS["statement"], lang, ctx.default_lang))),
            link(t["feedback_link"], f"mailto:{ctx.feedback_email}"),
            link(t["nav"]["data"], ctx.path(state.href(state.PATHS["data"], lang,
                                                       ctx.default_lang))),
        ], className="site-footer__links"), **{"aria-label": t["footer_nav"]}),
        element("P", t["footer_licence"], className="site-footer__licence"),
        element("P", t["refreshed"].format(date=refreshed), className="site-footer__licence"),
    ], className="container"), className="site-footer")


def page(ctx: Context, lang: str, view: str, pathname: str, search: str,
         main: list[Any]) -> list[Any]:
    """The whole page of one view (in Dash's wire format, :mod:`dashboards.wire`: the frame
    is rendered with every page)."""
    t = texts(lang)
    return [
        element("A", t["skip_link"], href="#main-content", className="skip-link"),
        header(ctx, lang, view, pathname, search),
        element("Main", main, id="main-content", tabIndex="-1",
                className=f"container main main--{view}"),
        footer(ctx, lang),
    ]


def status_region() -> html.Div:
    """A polite live region outside the re-rendered content, announcing what is now shown."""
    return html.Div(id="view-status", className="visually-hidden", role="status",
                    **{"aria-live": "polite"})
