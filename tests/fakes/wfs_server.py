"""A fake Statistics Finland WFS (GeoServer at geo.stat.fi) serving municipality polygons.

Why: the boundaries client must check what GeoServer really sends — a GeoJSON
FeatureCollection whose CRS depends on ``srsName`` (EPSG:3067 metres without it), an XML
``ows:ExceptionReport`` for an unknown layer — without reaching the internet.

Geometry: the reference file ``/work/shared/reference/geo/kuntarajat.2023.json`` (NLS
"kuntajako 1:4 500 000" 2023, WGS84, CC BY 4.0), READ IN PLACE, never copied. Its
properties are renamed to the WFS ones: ``kunta`` (NATCODE, three digits), ``nimi``
(NAMEFIN), ``namn`` (NAMESWE), ``vuosi`` (the layer year). The same 2023 geometry is served
for the layers ``tilastointialueet:kunta4500k_2023`` … ``_2026`` and the undated
``tilastointialueet:kunta4500k`` (the latest); the 30 Pohjois-Pohjanmaa borders did not
change in those years. With ``srsName`` other than EPSG:4326 (or none) the coordinates are
projected to ETRS-TM35FIN (EPSG:3067) with the Krüger series, as GeoServer would.

``resultType=hits`` answers the WFS 2.0 standard form, an empty ``wfs:FeatureCollection``
whose ``numberMatched`` attribute counts the features (what GeoServer sends for hits is
[I]: the research recorded no hits answer). ``FakeWfs(years=…)`` limits the published
years (to test the fall-back to the previous year's layer), and ``land_area=True`` adds
the reference file's ``LANDAREA`` (km²) to the properties: the real layers are not known
to carry any land area, so by default the fake does not either.

``FakeWfs(country=True)`` (opt-in) serves the 308 municipalities of the national key
(:mod:`tests.fakes.national`) in the layers of 2025 on (and the undated one): the file's
309 minus the one that key drops, which the fake classification service merges away in
2025; the 2023 and 2024 layers keep all 309. By default all 309 features of the file are
served in every layer, as before.

An unknown layer gets GeoServer's exception report with HTTP 400 (WFS 2.0); the research
does not record the live status, so ``FakeWfs(exception_status=200)`` serves the same XML
with 200, as WFS 1.x GeoServers do; the client must treat both as errors.
"""

from __future__ import annotations

import copy
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

from tests.fakes.base import (
    WRAPPING_FAILURES,
    FakeServer,
    Incoming,
    Injection,
    Response,
)
from tests.shared_files import REFERENCE

__all__ = ["FakeWfs", "REFERENCE_GEOJSON", "YEARS", "to_epsg3067"]

#: The NLS municipality boundaries of 2023 in the shared reference files (tests.shared_files).
REFERENCE_GEOJSON = REFERENCE / "geo/kuntarajat.2023.json"
YEARS = (2023, 2024, 2025, 2026)
WORKSPACE = "tilastointialueet"
JSON_TYPE = "application/json;charset=UTF-8"
XML_TYPE = "application/xml"
HTML_TYPE = "text/html;charset=utf-8"
PAGE_500 = b"<html><body><h1>HTTP Status 500 - Internal Server Error</h1></body></html>"


# ---- EPSG:4326 -> EPSG:3067 (ETRS-TM35FIN: GRS80, lon0 27, k0 0.9996, E0 500 000) ----------
_A = 6378137.0
_F = 1 / 298.257222101
_N = _F / (2 - _F)
_RECT = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_ALPHA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16,
    13 * _N**2 / 48 - 3 * _N**3 / 5,
    61 * _N**3 / 240,
)
_E2N = 2 * math.sqrt(_N) / (1 + _N)  # first eccentricity


def to_epsg3067(lon: float, lat: float) -> tuple[float, float]:
    """Transverse Mercator (Krüger n-series, sub-millimetre in Finland): (E, N) in metres."""
    phi, dlam = math.radians(lat), math.radians(lon - 27.0)
    t = math.sinh(math.atanh(math.sin(phi)) - _E2N * math.atanh(_E2N * math.sin(phi)))
    xi0 = math.atan2(t, math.cos(dlam))
    eta0 = math.atanh(math.sin(dlam) / math.sqrt(1 + t * t))
    xi, eta = xi0, eta0
    for j, alpha in enumerate(_ALPHA, start=1):
        xi += alpha * math.sin(2 * j * xi0) * math.cosh(2 * j * eta0)
        eta += alpha * math.cos(2 * j * xi0) * math.sinh(2 * j * eta0)
    return 500_000 + 0.9996 * _RECT * eta, 0.9996 * _RECT * xi


def _project(coords):
    if isinstance(coords[0], int | float):
        return list(to_epsg3067(coords[0], coords[1]))
    return [_project(c) for c in coords]


# ---- HTTP plumbing -----------------------------------------------------------------------------
@dataclass
class RequestRecord:
    time: float
    method: str
    path: str
    params: dict[str, str]  # keys lower-cased, as WFS KVP keys are case-insensitive
    user_agent: str | None
    status: int = 0


def exception_report(code: str, text: str, locator: str | None = None) -> bytes:
    """GeoServer's OWS 1.1 exception report, as WFS 2.0.0 sends it."""
    loc = f' locator="{escape(locator)}"' if locator else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ows="http://www.opengis.net/ows/1.1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2.0.0" '
        'xsi:schemaLocation="http://www.opengis.net/ows/1.1 '
        'https://geo.stat.fi/geoserver/schemas/ows/1.1.0/owsAll.xsd">\n'
        f'<ows:Exception exceptionCode="{escape(code)}"{loc}>\n'
        f"<ows:ExceptionText>{escape(text)}</ows:ExceptionText>\n"
        "</ows:Exception>\n</ows:ExceptionReport>\n"
    ).encode()


def hits_report(count: int) -> bytes:
    """A WFS 2.0 ``resultType=hits`` answer: no features, just the counts."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><wfs:FeatureCollection '
        'xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        f'numberMatched="{count}" numberReturned="0" timeStamp="2026-06-12T08:00:00.000Z"/>'
    ).encode()


#: "500" and "epsg3067" are handled in ``FakeWfs._answer``; these damage the real answer.
_WRAPPING_FAILURES = WRAPPING_FAILURES
INJECTION_KINDS = frozenset({"500", "epsg3067"}) | frozenset(_WRAPPING_FAILURES)


class FakeWfs(FakeServer):
    """The fake server; ``base_url`` is the ``…/geoserver/wfs`` endpoint."""

    url_path = "/geoserver/wfs"
    server_version = "Apache-Coyote/1.1"
    injection_kinds = INJECTION_KINDS
    requests: list[RequestRecord]

    def __init__(
        self,
        *,
        reference: Path = REFERENCE_GEOJSON,
        exception_status: int = 400,
        years: tuple[int, ...] = YEARS,
        land_area: bool = False,
        country: bool = False,
    ):
        """``country=True``: from 2025 on, drop the municipality the national key drops."""
        super().__init__()
        with open(reference, encoding="utf-8") as handle:
            self._source = json.load(handle)
        self.exception_status = exception_status
        self.years = tuple(years)
        self.land_area = land_area
        self.dropped: set[str] = set()
        #: code → first layer year without it (country mode: the national key's merger)
        self.merged: dict[str, int] = {}
        if country:
            from tests.fakes import national

            self.merged[national.load(reference).dropped.code] = 2025
        self._cache: dict[tuple[int, bool], bytes] = {}

    # -- scenario controls -------------------------------------------------------------------
    def inject(self, kind: str, *, times: int = 1, delay: float = 3.0) -> None:
        """Queue a failure for the next ``times`` GetFeature requests."""
        self._queue(Injection(kind, times, delay))

    def drop_municipality(self, code: str) -> None:
        """Leave a municipality (``KU072`` or ``072``) out of every layer."""
        with self._lock:
            self.dropped.add(code.removeprefix("KU").zfill(3))
            self._cache.clear()

    def set_years(self, years: tuple[int, ...]) -> None:
        """Publish only these layer years from now on."""
        with self._lock:
            self.years = tuple(years)

    def get_features(self) -> list[RequestRecord]:
        """GetFeature requests that asked for features (not ``resultType=hits``)."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.params.get("request", "").lower() == "getfeature"
                and r.params.get("resulttype", "results").lower() != "hits"
            ]

    def truth(self, year: int) -> dict:
        """The WGS84 FeatureCollection served for ``year`` (a fresh copy)."""
        with self._lock:
            return json.loads(self._collection(year, projected=False))

    # -- request handling --------------------------------------------------------------------
    def _handle(self, request: Incoming) -> Response:
        split = urlsplit(request.path)
        params = {k.lower(): v[-1] for k, v in parse_qs(split.query).items()}
        path = unquote(split.path)
        record = RequestRecord(time.monotonic(), request.method, path, params, request.user_agent)
        return self._answer_logged(record, lambda: self._answer(record))

    def _answer(self, record: RequestRecord) -> Response:
        if record.path.rstrip("/") != "/geoserver/wfs":
            return Response(404, HTML_TYPE, b"<html><body>HTTP Status 404</body></html>")
        params = record.params
        if params.get("service", "WFS").upper() != "WFS":
            return self._exception("InvalidParameterValue", "No service: ( wfs )", "service")
        if params.get("request", "").lower() != "getfeature":
            request = params.get("request", "")
            return self._exception(
                "OperationNotSupported", f"Operation {request or '(none)'} not supported", "request"
            )
        layer = params.get("typenames") or params.get("typename") or ""
        year = self._layer_year(layer)
        if year is None:
            return self._exception(
                "InvalidParameterValue", f"Feature type {layer} unknown", "typeName"
            )
        if params.get("resulttype", "results").lower() == "hits":
            injection = self._take_injection(record.method, record.path)
            if injection is not None and injection.kind == "500":
                return Response(500, HTML_TYPE, PAGE_500)
            with self._lock:
                count = sum(
                    self._served(str(f["properties"]["NATCODE"]).zfill(3), year)
                    for f in self._source["features"]
                )
            return Response(200, "text/xml; subtype=gml/3.2", hits_report(count))
        fmt = params.get("outputformat", "").lower()
        if fmt not in ("json", "application/json", "application/json;subtype=geojson"):
            return self._exception(
                "InvalidParameterValue", f"Unknown output format: {fmt}", "outputFormat"
            )
        srs = params.get("srsname", "").upper()
        projected = not (srs.endswith(":4326") or srs == "URN:OGC:DEF:CRS:EPSG::4326")
        injection = self._take_injection(record.method, record.path)
        if injection is not None and injection.kind == "500":
            return Response(500, HTML_TYPE, PAGE_500)
        if injection is not None and injection.kind == "epsg3067":
            projected = True
        with self._lock:
            response = Response(200, JSON_TYPE, self._collection(year, projected))
        if injection is not None and injection.kind in _WRAPPING_FAILURES:
            response = _WRAPPING_FAILURES[injection.kind](injection, response)
        return response

    def _exception(self, code: str, text: str, locator: str | None) -> Response:
        return Response(self.exception_status, XML_TYPE, exception_report(code, text, locator))

    def _layer_year(self, layer: str) -> int | None:
        prefix = f"{WORKSPACE}:kunta4500k"
        if layer == prefix:
            return max(self.years)
        if layer.startswith(prefix + "_") and layer[len(prefix) + 1 :].isdigit():
            year = int(layer[len(prefix) + 1 :])
            return year if year in self.years else None
        return None

    def _served(self, code: str, year: int) -> bool:
        return code not in self.dropped and year < self.merged.get(code, year + 1)

    def _collection(self, year: int, projected: bool) -> bytes:
        key = (year, projected)
        if key not in self._cache:
            features = []
            for source in self._source["features"]:
                props = source["properties"]
                code = str(props["NATCODE"]).zfill(3)
                if not self._served(code, year):
                    continue
                geometry = copy.deepcopy(source["geometry"])
                if projected:
                    geometry["coordinates"] = _project(geometry["coordinates"])
                features.append(
                    {
                        "type": "Feature",
                        "id": f"kunta4500k_{year}.{len(features) + 1}",
                        "geometry": geometry,
                        "geometry_name": "geom",
                        "properties": {
                            "vuosi": year,
                            "kunta": code,
                            "nimi": props["NAMEFIN"],
                            "namn": props["NAMESWE"],
                            **({"LANDAREA": props["LANDAREA"]} if self.land_area else {}),
                        },
                    }
                )
            epsg = "3067" if projected else "4326"
            collection = {
                "type": "FeatureCollection",
                "features": features,
                "totalFeatures": len(features),
                "numberMatched": len(features),
                "numberReturned": len(features),
                "timeStamp": "2026-06-12T08:00:00.000Z",
                "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
            }
            self._cache[key] = json.dumps(collection, ensure_ascii=False).encode("utf-8")
        return self._cache[key]
