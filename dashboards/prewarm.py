"""The pages readers open first, rendered in the background when the dashboard starts.

Why: the dashboard renders each page once and then serves it from the render cache
(:mod:`dashboards.render`), but the first reader of a page pays for its render — a
municipality's profile is a page of about 4 ms and 12–18 trend charts of about 2 ms
each, two to three times a cache hit apiece (``benchmarks/RESULTS.md``). After every
restart (a new release, a refreshed cache) those first readers are the decision-makers
following a link. So :func:`start` renders, in one background thread:

1. the landing page of every view, in every language (the default language first);
2. every municipality's profile page, the default language first.

With each page go the parts its callbacks send after it: a profile's trend charts
(:func:`views.profile.trends`), the index's rank ranges (:func:`views.index.content`) and
the overview's and the survey's tables (:func:`views.overview.content`,
:func:`views.survey.content`).

These are *pages*: what a reader receives when opening a link or reloading. A later
choice inside a view (another indicator, year or weight) is rendered when asked; there
are thousands of such states and most are never asked for.

Same answers: each page is rendered by :func:`dashboards.app.rendered_page`, the very
function the page callback calls, under the same key, so a reader receives the bytes
they would have received without prewarming (tested).

Bounded, so readers come first:

* after each page the thread sleeps as long as the page took, so it takes at most half
  of one core while readers are being served (Python runs one thread at a time);
* it stops when the render cache holds half of its byte bound or of its entries
  (prewarming never evicts what readers asked for, and leaves room for it), when its
  time budget is spent, or when :meth:`Prewarm.stop` is called.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import state
from .app import DEFERRED_PARTS, rendered_page, settle
from .context import Context
from .i18n import LANGS
from .render import thaw
from .views.deferred import announced

log = logging.getLogger(__name__)

#: Seconds of rendering a start may spend (sleeps not counted).
BUDGET_SECONDS = 30.0
#: Share of the render cache's byte bound prewarming may fill.
CACHE_SHARE = 0.5


def urls(ctx: Context) -> list[tuple[str, str]]:
    """(pathname, search) of the pages to prewarm, in order, as the browser sends them."""
    langs = [ctx.default_lang, *(lang for lang in LANGS if lang != ctx.default_lang)]

    def search(lang: str) -> str:
        return state.build_search(state.lang_param(lang, ctx.default_lang))

    landing = [(ctx.path(path), search(lang)) for lang in langs
               for path in state.PATHS.values()]
    profiles = [(ctx.path(f"{state.PATHS['profile']}/{code}"), search(lang))
                for lang in langs for code in ctx.municipalities]
    return landing + profiles


@dataclass
class Prewarm:
    """Progress of one prewarm run; :attr:`finished` is set when it ends."""

    planned: int = 0
    pages: int = 0
    parts: int = 0  # parts of those pages sent after them (a profile's trend charts)
    seconds: float = 0.0  # spent rendering
    reason: str = ""  # why it ended: "done", "cache", "budget", "stopped" or "error: …"
    finished: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    def stop(self) -> None:
        self._stop.set()

    def as_dict(self) -> dict[str, object]:
        return {"planned": self.planned, "pages": self.pages, "parts": self.parts,
                "seconds": round(self.seconds, 3), "reason": self.reason,
                "finished": self.finished.is_set()}


def warm_parts(ctx: Context, page: Any) -> int:
    """Render the parts a rendered page announces, the ones its callbacks send after it
    (a profile's trend charts, the tables and rank ranges of the other views); how many."""
    parts = {part.kind: part for part in DEFERRED_PARTS}
    idents = announced(thaw(page), parts)
    for ident in idents:
        parts[ident["type"]].rendered(ctx, ident)
    return len(idents)


def run(ctx: Context, progress: Prewarm | None = None, *, budget_seconds: float = BUDGET_SECONDS,
        cache_share: float = CACHE_SHARE, pause: bool = True) -> Prewarm:
    """Prewarm in this thread (see the module docstring); ``pause=False`` does not sleep
    between pages (tests, and a server that serves nobody yet)."""
    progress = progress or Prewarm()
    todo = urls(ctx)
    progress.planned = len(todo)
    limit = ctx.renders.max_bytes * cache_share
    entry_limit = ctx.renders.max_entries * cache_share
    try:
        for pathname, search in todo:
            if progress._stop.is_set():
                progress.reason = "stopped"
                break
            stats = ctx.renders.stats()
            if stats["bytes"] >= limit or stats["entries"] >= entry_limit:
                progress.reason = "cache"
                break
            if progress.seconds >= budget_seconds:
                progress.reason = "budget"
                break
            started = time.perf_counter()
            progress.parts += warm_parts(ctx, rendered_page(ctx, pathname, search))
            took = time.perf_counter() - started
            progress.seconds += took
            progress.pages += 1
            if pause:
                progress._stop.wait(took)
        else:
            progress.reason = "done"
    except Exception as exc:  # noqa: BLE001 - a page that fails now fails for its reader too
        progress.reason = f"error: {exc!r}"
        log.warning("Prewarming stopped at a page that failed to render: %r", exc)
    finally:
        settle()  # the pages just rendered live as long as the server (see settle)
        progress.finished.set()
    log.info("Prewarmed %d of %d pages in %.1f s (%s)", progress.pages, progress.planned,
             progress.seconds, progress.reason)
    return progress


def start(ctx: Context, **kwargs: object) -> Prewarm:
    """:func:`run` in a daemon thread; returns its progress at once."""
    progress = Prewarm()
    thread = threading.Thread(target=run, args=(ctx, progress), kwargs=kwargs,
                              name="digiindicators-prewarm", daemon=True)
    thread.start()
    return progress
