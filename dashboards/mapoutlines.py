"""The boundary map's coordinates, sent to a browser once instead of with every map.

Why: the outlines never change while the app runs, but they are most of every boundary
map. For the whole country they are 110 kB of the 137 kB map figure and 60 % of the
overview's answer, serialised and compressed again for every indicator, year and peer
group a reader picks. Here they become one file with a content-addressed URL (cached by the
browser for good, compressed by the server once), and a map is sent as its figure without
the coordinates plus, for each trace, the code of the outline to draw. A clientside
callback (``digi.map`` in ``assets/app.js``) puts the coordinates back.

What stays on the server: everything else about the map. :func:`dashboards.maps.
choropleth_spec` builds the whole figure, as for notebooks; :func:`by_reference` only
takes out coordinate lists that are an outline's own (the spec shares them, it does not
copy them), so the figure the browser draws is the one the spec built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import flask
import orjson

from .maps import Outline

#: Where the outline files are served, below the app's own prefix.
ROUTE = "/_digi/outlines/"
#: The browser may keep a file for a year: its name changes whenever its content does.
CACHE_CONTROL = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class OutlineFile:
    """Every outline of one app as one JSON document: ``{area code: [x, y]}``."""

    body: bytes
    name: str  # "<digest>.json"
    #: id() of each outline's coordinate list -> its area code, to recognise them in a spec.
    codes_by_list: dict[int, str] = field(repr=False)
    #: The outlines themselves, so the ids above stay theirs while the file is in use.
    shapes: tuple[Outline, ...] = field(repr=False)


def outline_file(shapes: Sequence[Outline]) -> OutlineFile:
    """The file of ``shapes`` (the app's outlines, projected once)."""
    body = orjson.dumps({shape.code: [shape.x, shape.y] for shape in shapes})
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return OutlineFile(body=body, name=f"{digest}.json",
                       codes_by_list={id(shape.x): shape.code for shape in shapes},
                       shapes=tuple(shapes))


def by_reference(figure: dict[str, Any], outlines: OutlineFile, url: str) -> dict[str, Any]:
    """``figure`` without the outlines' coordinates, as ``digi.map`` takes it.

    Returns ``{"figure": …, "outlines": url, "codes": [code or None per trace]}``. A trace
    whose ``x`` is an outline's own list loses ``x`` and ``y`` and names the outline; any
    other trace (a marker, a label) is sent as it is, with None.
    """
    data = []
    codes: list[str | None] = []
    for trace in figure.get("data") or []:
        code = outlines.codes_by_list.get(id(trace.get("x")))
        codes.append(code)
        data.append({k: v for k, v in trace.items() if k not in ("x", "y")} if code else trace)
    return {"figure": {**figure, "data": data}, "outlines": url, "codes": codes}


def blank(packed: dict[str, Any]) -> dict[str, Any]:
    """The map's frame with nothing drawn: what the graph shows until ``digi.map`` has the
    outlines (same size, background and hidden axes, so nothing moves when they arrive)."""
    return {"data": [], "layout": packed["figure"].get("layout", {})}


def serve(server: flask.Flask, prefix: str, outlines: OutlineFile) -> None:
    """Answer ``GET <prefix>_digi/outlines/<name>`` with the file (404 for any other name).

    ``prefix`` is Dash's ``routes_pathname_prefix``. The server's kept-response store
    compresses the file once per encoding (:mod:`dashboards.compressed`).
    """

    def outline_document(name: str) -> flask.Response:
        if name != outlines.name:
            flask.abort(404)
        response = flask.Response(outlines.body, mimetype="application/json")
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.set_etag(outlines.name.removesuffix(".json"))
        return response.make_conditional(flask.request)

    server.add_url_rule(prefix.rstrip("/") + ROUTE + "<name>", "digi_outlines",
                        outline_document, methods=["GET"])
