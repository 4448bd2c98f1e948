"""The boundary map's coordinates, sent to a browser once instead of with every map.

Why: the outlines never change while the app runs, but they are most of every boundary
map. For the whole country they are 110 kB of the 137 kB map figure and 60 % of the
overview's answer, serialised and compressed again for every indicator, year and peer
group a reader picks. Here they become one file with a content-addressed URL (cached by the
browser for good, compressed by the server once), and a map is sent as its figure without
the coordinates plus, for each trace, the code of the outline to draw. A clientside
callback (``digi.map`` in ``assets/app.js``) puts the coordinates back.

What stays on the server: everything else about the map. The same builder,
:func:`dashboards.maps.choropleth_styled`, makes the figure with the coordinates (for
notebooks, :func:`dashboards.maps.choropleth_spec`) and without them, naming each trace's
outline (:func:`packed`), so the figure the browser draws is the one notebooks get; a
browser test compares them trace by trace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
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


def outline_file(shapes: Sequence[Outline]) -> OutlineFile:
    """The file of ``shapes`` (the app's outlines, projected once)."""
    body = orjson.dumps({shape.code: [shape.x, shape.y] for shape in shapes})
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return OutlineFile(body=body, name=f"{digest}.json")


def packed(figure: dict[str, Any], codes: list[str], url: str) -> dict[str, Any]:
    """What ``digi.map`` takes: ``figure`` built without the outlines' coordinates
    (:func:`dashboards.maps.choropleth_styled` with ``coordinates=False``), the URL of the
    outline file and the area code of each trace's outline, in the traces' order."""
    if len(codes) != len(figure.get("data") or []):
        raise ValueError("one outline code per trace")
    return {"figure": figure, "outlines": url, "codes": codes}


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
