"""Municipality boundaries from the Statistics Finland WFS (GeoServer at geo.stat.fi).

Layers are ``tilastointialueet:kunta{1000|4500}k_{year}``; the 1:4 500 000 one is small
enough (about 330 KB for the whole country) to ship with the dashboard. Without
``srsName=EPSG:4326`` GeoServer answers in EPSG:3067 (metres), which a web map would draw
nowhere, so every answer is checked to lie in Finland in longitude/latitude. GeoServer
reports errors as an XML ``ows:ExceptionReport`` (HTTP 400 for WFS 2.0, but older setups
send it with 200); both are errors here.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..config import DEFAULT_GEO_URL, Settings
from ..errors import BadQuery, MalformedResponse, ResolveError
from .http import SourceClient, parse_json

log = logging.getLogger(__name__)

SOURCE = "Tilastokeskus WFS"
HINT = (
    "The Statistics Finland geoserver may be down; the last good boundaries are kept. "
    "Try again later or check https://geo.stat.fi/geoserver/web/."
)
SCALES = (1000, 4500)
#: Finland (with Åland and the sea areas) in WGS84; anything outside is a CRS problem.
LON_RANGE = (19.0, 32.0)
LAT_RANGE = (59.0, 71.0)
CODE_PROPERTIES = ("kunta", "NATCODE", "natcode")

ATTRIBUTION = (
    "Rajat: Tilastokeskus, kuntapohjaiset tilastointialueet 1:4 500 000 ({year}); "
    "© Maanmittauslaitos, CC BY 4.0"
)
ATTRIBUTION_SV = (
    "Gränser: Statistikcentralen, kommunbaserade statistiska områden 1:4 500 000 ({year}); "
    "© Lantmäteriverket, CC BY 4.0"
)
ATTRIBUTION_EN = (
    "Boundaries: Statistics Finland, municipality-based statistical units 1:4 500 000 "
    "({year}); © National Land Survey of Finland, CC BY 4.0"
)
ATTRIBUTIONS = {"fi": ATTRIBUTION, "sv": ATTRIBUTION_SV, "en": ATTRIBUTION_EN}

_OWS = re.compile(rb"<\s*(?:\w+:)?(?:Service)?Exception(?:Report)?\b")


def layer_name(year: int, scale: int = 4500) -> str:
    """``tilastointialueet:kunta4500k_2024`` (the scale is 1000 or 4500, as in geofi)."""
    if scale not in SCALES:
        raise ValueError(f"Boundary scale must be one of {SCALES}, got {scale}.")
    return f"tilastointialueet:kunta{scale}k_{int(year)}"


def attribution(year: int, lang: str = "fi", scale: int = 4500) -> str:
    """Credit line for a map: Statistics Finland's units, © National Land Survey."""
    text = ATTRIBUTIONS.get(lang, ATTRIBUTION).format(year=int(year))
    return text.replace("1:4 500 000", "1:1 000 000") if scale == 1000 else text


class GeoClient(SourceClient):
    """Fetches municipality polygons from one WFS endpoint (``…/geoserver/wfs``)."""

    source, hint = SOURCE, HINT

    def __init__(self, base_url: str = DEFAULT_GEO_URL, **options: Any):
        options.setdefault("timeout", 60.0)  # the whole country's layer is ~330 KB
        super().__init__(base_url, **options)

    @classmethod
    def from_settings(cls, settings: Settings) -> GeoClient:
        return cls._from_settings(settings.geo_url, settings)

    def boundaries(self, year: int, scale: int = 4500) -> tuple[dict[str, Any], bytes]:
        """Every municipality of Finland for ``year`` as a WGS84 GeoJSON FeatureCollection."""
        layer = layer_name(year, scale)

        def refused(exc: BadQuery) -> str:
            return (
                f"The WFS refused GetFeature for layer {layer} (HTTP {exc.status}, an OWS "
                f"exception report). The layer probably does not exist: boundaries for "
                f"{year} may not be published yet, so use the previous year. ({exc})"
            )

        # Only a body that does not parse is retried (a transfer cut short); a wrong
        # CRS or an exception report would come back the same, so they fail at once.
        obj, raw = self._get_feature(
            layer,
            lambda body: parse_wfs_body(body, layer=layer),
            refused,
            outputFormat="json",
            srsName="EPSG:4326",
        )
        check_geojson(obj, layer=layer)
        return obj, raw

    def hits(self, year: int, scale: int = 4500) -> int:
        """``numberMatched`` of a layer without its features (``resultType=hits``).

        The cheap freshness check of a refresh: it tells whether the layer of ``year``
        exists (an unknown layer is a ``WfsException``) and how many municipalities it
        has, at the cost of a few hundred bytes instead of the whole layer.
        """
        layer = layer_name(year, scale)

        def refused(exc: BadQuery) -> str:
            return (
                f"The WFS refused a hits request for layer {layer} (HTTP {exc.status}); the "
                f"layer probably does not exist yet. ({exc})"
            )

        count, _ = self._get_feature(
            layer, lambda body: parse_hits(body, layer=layer), refused, resultType="hits"
        )
        return count

    def _get_feature(
        self,
        layer: str,
        parse: Callable[[bytes], Any],
        refused: Callable[[BadQuery], str],
        **params: str,
    ) -> tuple[Any, bytes]:
        """One WFS 2.0 GetFeature request for ``layer`` → ``(parse(body), body)``.

        A 400 whose body the parser did not already turn into a ``WfsException`` becomes
        one, with the message ``refused(exc)``.
        """
        query = {
            "service": "WFS",
            "version": "2.0.0",
            "request": "GetFeature",
            "typeName": layer,
            **params,
        }
        try:
            return self.http.request("GET", self.base_url, params=query, parse=parse)
        except WfsException:
            raise
        except BadQuery as exc:
            raise WfsException(refused(exc), url=exc.url, status=exc.status) from exc


class WfsException(BadQuery):
    """The WFS answered with an ``ows:ExceptionReport`` (unknown layer, bad parameter)."""


# ---- pure checks ---------------------------------------------------------------------------
def parse_wfs_body(body: bytes, *, layer: str = "") -> Any:
    """JSON body → object; an XML exception report raises ``WfsException`` at once.

    A body that is neither JSON nor an exception report raises ``MalformedResponse``,
    which the HTTP client retries (it is usually a transfer cut short).
    """
    head = body[:600].lstrip()
    if head.startswith(b"<") and _OWS.search(head):
        raise WfsException(
            f"The WFS answered an exception report for layer {layer}: "
            f"{exception_text(body)}. If the layer is unknown, boundaries for that year may "
            "not be published yet; use the previous year."
        )
    return parse_json(body, f"The WFS answer for {layer}")


_NUMBER_MATCHED = re.compile(rb"""numberMatched\s*=\s*["'](\d+)["']""")


def parse_hits(body: bytes, *, layer: str = "") -> int:
    """``numberMatched`` from a WFS 2.0 hits answer: an XML ``wfs:FeatureCollection`` with
    the attribute (the standard form) or, from servers that honour a JSON output format,
    a JSON object with ``numberMatched`` / ``totalFeatures``."""
    head = body[:600].lstrip()
    if head.startswith(b"<"):
        if _OWS.search(head):
            raise WfsException(
                f"The WFS answered an exception report for layer {layer}: "
                f"{exception_text(body)}. Boundaries for that year may not be published yet."
            )
        match = _NUMBER_MATCHED.search(body[:2000])
        if match:
            return int(match.group(1))
    else:
        obj = parse_wfs_body(body, layer=layer)
        if isinstance(obj, dict):
            for key in ("numberMatched", "totalFeatures"):
                if isinstance(obj.get(key), int):
                    return obj[key]
    raise MalformedResponse(
        f"The WFS hits answer for {layer} has no numberMatched ({len(body)} bytes)."
    )


def exception_text(body: bytes) -> str:
    """``exceptionCode (locator): ExceptionText`` from an OWS exception report."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return " ".join(body[:300].decode("utf-8", "replace").split())
    parts = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] in ("Exception", "ServiceException"):
            code = element.get("exceptionCode") or element.get("code") or ""
            locator = element.get("locator")
            texts = [t.strip() for t in element.itertext() if t.strip()]
            label = f"{code} ({locator})" if locator else code
            parts.append(": ".join(p for p in (label, " ".join(texts)) if p))
    return "; ".join(parts) or "no exception text"


def check_geojson(obj: Any, *, layer: str = "") -> None:
    """A non-empty Polygon/MultiPolygon FeatureCollection whose coordinates lie in Finland
    in (longitude, latitude) order; anything else raises ``MalformedResponse``."""
    where = f" for {layer}" if layer else ""
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise MalformedResponse(f"The WFS answer{where} is not a GeoJSON FeatureCollection.")
    features = obj.get("features")
    if not isinstance(features, list) or not features:
        raise MalformedResponse(f"The WFS answer{where} has no features.")
    matched = obj.get("numberMatched")
    if isinstance(matched, int) and matched > len(features):
        raise MalformedResponse(
            f"The WFS returned only {len(features)} of {matched} features{where}; the "
            "server capped the answer."
        )
    crs_name = str(((obj.get("crs") or {}).get("properties") or {}).get("name", ""))
    if crs_name and not re.search(r"(EPSG:+4326|CRS84)\b", crs_name):
        raise MalformedResponse(
            f"The WFS answer{where} is in {crs_name}, not WGS84: the CRS looks wrong. "
            "Request srsName=EPSG:4326 (without it GeoServer answers in EPSG:3067 metres)."
        )
    lon_min = lat_min = float("inf")
    lon_max = lat_max = float("-inf")
    for feature in features:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if (
            not isinstance(geometry, dict)
            or geometry.get("type") not in ("Polygon", "MultiPolygon")
            or not isinstance(feature.get("properties"), dict)
        ):
            raise MalformedResponse(
                f"The WFS answer{where} has a feature that is not a (Multi)Polygon with properties."
            )
        for x, y in _positions(geometry["coordinates"]):
            lon_min, lon_max = min(lon_min, x), max(lon_max, x)
            lat_min, lat_max = min(lat_min, y), max(lat_max, y)
    inside = (
        LON_RANGE[0] <= lon_min
        and lon_max <= LON_RANGE[1]
        and LAT_RANGE[0] <= lat_min
        and lat_max <= LAT_RANGE[1]
    )
    if inside:
        return
    box = f"x {lon_min:.6g}…{lon_max:.6g}, y {lat_min:.6g}…{lat_max:.6g}"
    if (
        LAT_RANGE[0] <= lon_min
        and lon_max <= LAT_RANGE[1]
        and LON_RANGE[0] <= lat_min
        and lat_max <= LON_RANGE[1]
    ):
        cause = "the axis order looks swapped (latitude first)"
    elif max(abs(lon_min), abs(lon_max), abs(lat_min), abs(lat_max)) > 1000:
        cause = "the coordinates look like metres (EPSG:3067), not degrees"
    else:
        cause = "the coordinates are not in Finland"
    raise MalformedResponse(
        f"The WFS answer{where} is not WGS84 longitude/latitude in Finland ({box}): {cause}; "
        f"the CRS looks wrong. Expected lon {LON_RANGE[0]:g}–{LON_RANGE[1]:g}, lat "
        f"{LAT_RANGE[0]:g}–{LAT_RANGE[1]:g}."
    )


def _positions(coordinates: Any) -> Iterable[tuple[float, float]]:
    """Every (x, y) of a Polygon or MultiPolygon coordinate array."""
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if not isinstance(item, list) or not item:
            raise MalformedResponse("A WFS geometry has an empty or malformed coordinate array.")
        if isinstance(item[0], int | float) and not isinstance(item[0], bool):
            if len(item) < 2 or not isinstance(item[1], int | float):
                raise MalformedResponse(f"A WFS geometry has a malformed position {item!r}.")
            yield float(item[0]), float(item[1])
        else:
            stack.extend(item)


#: Land-area properties (km²) a boundary layer might carry. None is documented for the
#: Statistics Finland layers, whose known properties are kunta, vuosi, nimi, namn and name;
#: ``LANDAREA`` is the attribute of the National Land Survey's own municipal division
#: files (research/regions.md §4). Density is computed only where one of these is present.
LAND_AREA_PROPERTIES = ("LANDAREA", "maapinta_ala", "maa_ala")


def land_area(properties: Mapping[str, Any]) -> float | None:
    """Land area in km² of a feature, or None when the layer does not publish one."""
    for key in LAND_AREA_PROPERTIES:
        value = properties.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


def feature_code(properties: Mapping[str, Any]) -> str | None:
    """Three-digit municipality code of a feature (``kunta``, else ``NATCODE``/``natcode``)."""
    for key in CODE_PROPERTIES:
        value = properties.get(key)
        if value is not None and str(value).strip():
            text = str(value).strip()
            return text.zfill(3) if text.isdigit() else text
    return None


def select_municipalities(geojson: Mapping[str, Any], codes: Sequence[str]) -> dict[str, Any]:
    """The features of ``codes`` (``KU564`` or ``564``) in the order given, each with an
    added ``area_code`` property (``KU564``) to join the panel on. The input is not
    modified. A code without a feature raises ``ResolveError`` naming it."""
    wanted = {_code3(c): c for c in codes}
    by_code: dict[str, list[dict[str, Any]]] = {}
    for feature in geojson.get("features") or []:
        code = feature_code(feature.get("properties") or {})
        if code in wanted:
            by_code.setdefault(code, []).append(feature)
    missing = [f"KU{c}" for c in wanted if c not in by_code]
    if missing:
        raise ResolveError(
            f"The boundary layer has no polygon for {', '.join(missing)} "
            f"({len(wanted) - len(missing)} of {len(wanted)} found). A municipal merger or "
            "the wrong year's layer; check the year and the area table."
        )
    doubled = [f"KU{c}" for c, found in by_code.items() if len(found) > 1]
    if doubled:
        raise ResolveError(
            f"The boundary layer has more than one feature for {', '.join(doubled)}; a map "
            "cannot join on it."
        )
    features = []
    for code in wanted:
        feature = by_code[code][0]
        properties = {**feature.get("properties", {}), "area_code": f"KU{code}"}
        features.append({**feature, "properties": properties})
    keep = {k: v for k, v in geojson.items() if k in ("type", "crs", "name")}
    return {**keep, "type": "FeatureCollection", "features": features}


def _code3(code: str) -> str:
    text = str(code).strip().upper().removeprefix("KU")
    if not text.isdigit():
        raise ValueError(f"{code!r} is not a municipality code like 'KU564' or '564'.")
    return text.zfill(3)
