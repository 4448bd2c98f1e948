"""Rendered callback outputs kept ready to send: bounded caches keyed by what is shown.

Why this is safe: the app reads the panel once and never changes it, so what a view shows
is a pure function of the view, its state in the URL and the language. Why it is needed:
building a view (figures, tables, captions as Dash components) and turning the
components into JSON costs milliseconds to seconds, while a Dash request that does
nothing costs about one; a reader who goes back to an earlier choice, or a second reader
who makes the same one, should not pay for it again.

What is kept is the output already serialised (:func:`freeze`): the JSON text Dash
would send, as UTF-8 bytes wrapped in an ``orjson.Fragment``. Dash serialises callback
responses through plotly, which uses orjson when it is installed (a dependency of this
package), and orjson copies a fragment into its output as it is — so a hit costs a
dictionary lookup and a memory copy, not a walk over thousands of components, and an
entry takes as much memory as its JSON. Should plotly not use orjson (it is missing, or
``plotly.io.json.config.default_engine`` is "json"), the entry is the *plain* form of
the output instead (:func:`plain`: the dicts Dash's encoder would produce from the
components), which Dash's ``json.dumps`` encodes without calling back into Python; it
takes about 3.5× its JSON size in memory (measured), which the size estimate counts.

Bounded: :class:`LRU` evicts the least recently used entries beyond ``max_entries`` or
beyond ``max_bytes`` (of the estimated memory, measured once when an entry is built).
``benchmarks/dashboard.py`` fills the caches and reports the resident memory, so the bound
is checked against what the process really holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from dash.development.base_component import Component
from plotly.io import json as plotly_json
from plotly.io.json import to_json_plotly

try:
    import orjson
    from orjson import Fragment
except ImportError:  # pragma: no cover - orjson is a dependency; plain dicts still work
    orjson = None
    Fragment = None

#: Entries: a profile is a page plus one entry per trend chart (~20), so the byte bound,
#: not this, is what limits a region's pages; this only caps the per-entry overhead.
MAX_ENTRIES = 4096
#: Of estimated memory (see the module docstring). Sized so that prewarming, which may fill
#: half of it, holds every landing page and every profile of a 30-municipality region in
#: all three languages (111 pages, a profile ~0.32 MB of JSON).
MAX_BYTES = 80 * 1024 * 1024
PLAIN_OVERHEAD = 4  # memory of a plain entry ≈ 3.5 × its JSON (measured), rounded up


_PROP_SETS: dict[type, frozenset[str]] = {}


def component_json(component: Component) -> dict[str, Any]:
    """``component.to_plotly_json()``, faster: one pass over the instance's attributes.

    Dash's own method tests every possible property with ``hasattr`` and every attribute
    against the wildcard prefixes; this reads the attributes once. The same props come
    out (a test compares the two on every view), only their order may differ.
    """
    cls = type(component)
    names = _PROP_SETS.get(cls)
    if names is None:
        names = _PROP_SETS.setdefault(cls, frozenset(component._prop_names))
    wildcards = tuple(component._valid_wildcard_attributes)
    props = {k: v for k, v in component.__dict__.items()
             if k in names or (wildcards and k.startswith(wildcards))}
    return {"props": props, "type": component._type, "namespace": component._namespace}


def plain(value: Any) -> Any:
    """``value`` with every Dash component replaced by the dict Dash's encoder would send.

    A ``figure`` property is kept as it is when it is already a dict (the figure builders
    return plain data), so large coordinate lists are neither walked nor copied; so is a
    chart already in Dash's wire format (:mod:`dashboards.wire`).
    """
    if isinstance(value, Component):
        out = component_json(value)
        props = out["props"]
        for key, prop in props.items():
            if key == "figure":
                props[key] = prop.to_plotly_json() if hasattr(prop, "to_plotly_json") else prop
            else:
                props[key] = plain(prop)
        return out
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        props = value.get("props")
        if "namespace" in value and isinstance(props, dict) and "figure" in props:
            return {**value, "props": {k: v if k == "figure" else plain(v)
                                       for k, v in props.items()}}
        return {k: plain(v) for k, v in value.items()}
    return value


def json_size(value: Any) -> int:
    """Bytes of the JSON Dash would send for ``value``."""
    return len(to_json_plotly(value).encode())


def _plotly_uses_orjson() -> bool:
    return Fragment is not None and plotly_json.config.default_engine in ("auto", "orjson")


def freeze(value: Any) -> tuple[Any, int]:
    """``value`` ready to be sent again and again, with its estimated memory in bytes:
    an ``orjson.Fragment`` of its JSON when plotly serialises with orjson, else its
    :func:`plain` form."""
    if _plotly_uses_orjson():
        text = _orjson_bytes(value)
        return Fragment(text), len(text)
    data = plain(value)
    return data, PLAIN_OVERHEAD * json_size(data)


def thaw(value: Any) -> Any:
    """What a :func:`freeze` output stands for, as plain JSON data (to read it, not to
    send it: an ``orjson.Fragment`` is parsed back)."""
    if Fragment is not None and isinstance(value, Fragment):
        return orjson.loads(orjson.dumps(value))
    return value


# What plotly's JSON writer escapes after orjson, so the text is safe inside HTML, as UTF-8
# bytes: none of these byte sequences occurs inside another character's encoding, so the
# JSON is escaped without decoding it.
_HTML_UNSAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"/", b"\\u002f"),
                ("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))


def _as_json_value(value: Any) -> Any:
    """orjson's ``default``: a component as Dash sends it, a plotly object as its dict."""
    if isinstance(value, Component):
        return component_json(value)
    if hasattr(value, "to_plotly_json"):
        return value.to_plotly_json()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _orjson_bytes(value: Any) -> bytes:
    """The JSON plotly (so Dash) would write for ``value``, in one orjson pass, as UTF-8.

    orjson walks the tree in C and asks :func:`_as_json_value` only about components, so
    the thousands of plain dicts and lists of a large page (figures, rows in
    :mod:`dashboards.wire` form) are never visited in Python; the same escapes as
    plotly's writer follow. Anything orjson cannot take goes through plotly's own writer.
    """
    try:
        text = orjson.dumps(value, default=_as_json_value,
                            option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:
        return to_json_plotly(plain(value), engine="orjson").encode()
    for unsafe, safe in _HTML_UNSAFE:
        # The last byte alone first: a one-byte search is a memchr, 70 times as fast as a
        # three-byte one over 200 kB, and U+2028/9's last bytes are rare in these texts.
        if unsafe[-1:] in text and unsafe in text:
            text = text.replace(unsafe, safe)
    return text


_MISSING = object()


class LRU:
    """A thread-safe least-recently-used cache bounded by entries and by JSON bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, build: Callable[[], Any],
            size: Callable[[Any], int] | None = None) -> Any:
        """The cached value of ``key``, else ``build()`` (stored, then returned).

        ``size`` gives the memory an entry counts against ``max_bytes``; without it the
        entry counts 0 bytes (small values, bounded by ``max_entries``). Two threads
        missing the same key both build it; the second store wins. That costs a duplicate
        render once and keeps the lock out of the slow path.
        """
        found = self.find(key, _MISSING)
        if found is not _MISSING:
            return found
        value = build()
        self.store(key, value, size(value) if size is not None else 0)
        return value

    def find(self, key: Hashable, default: Any = None) -> Any:
        """The cached value of ``key`` (now the most recently used), or ``default``."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return default
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def store(self, key: Hashable, value: Any, nbytes: int = 0) -> None:
        """Keep ``value`` under ``key``, counting ``nbytes``; evict beyond the bounds."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while self._items and (len(self._items) > self.max_entries
                                   or self._bytes > self.max_bytes):
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._items), "bytes": self._bytes, "hits": self.hits,
                    "misses": self.misses}

    def __contains__(self, key: Hashable) -> bool:
        """Whether ``key`` is kept (neither a hit nor a use: the entry's age is unchanged)."""
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)
