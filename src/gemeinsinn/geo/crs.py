"""Coordinate reference systems: transforms between WGS84 and projected systems, and
detection of the CRS a GeoJSON file was written in.

All transforms use lon/lat (x/y) axis order (``always_xy``), whatever the EPSG
definition says, because that is how GeoJSON and almost every file in practice
store coordinates. A CRS is named by its EPSG code (``int``); anything pyproj
understands ("EPSG:25833", "urn:ogc:def:crs:EPSG::25832", "OGC:CRS84", …) is
accepted where a CRS is asked for and normalised by :func:`epsg_code`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

WGS84 = 4326
ETRS89_UTM32 = 25832
ETRS89_UTM33 = 25833
ETRS89_LAEA = 3035  # equal-area: use it for areas in m²

CrsLike = int | str

# Plausible coordinate ranges for data about Germany (with a generous margin), used
# only to guess the CRS of a file that does not declare one.
_LAEA_GERMANY = (3_800_000.0, 2_500_000.0, 4_900_000.0, 3_700_000.0)
_UTM_GERMANY = (0.0, 5_100_000.0, 1_000_000.0, 6_200_000.0)


@lru_cache(maxsize=256)
def epsg_code(crs: CrsLike) -> int:
    """The EPSG code of ``crs`` (an int or any name pyproj knows).

    ``OGC:CRS84`` (WGS84 in lon/lat order) maps to 4326, since all transforms here
    use lon/lat order anyway. Raises ``ValueError`` for unknown names and for systems
    without an EPSG code.
    """
    if isinstance(crs, bool):
        raise ValueError(f"not a CRS: {crs!r}")
    if isinstance(crs, int):
        text: str | int = f"EPSG:{crs}"
    else:
        text = crs.strip()
        if text.upper().replace(" ", "") in {"CRS84", "OGC:CRS84"} or text.upper().endswith(
            ":CRS84"
        ):
            return WGS84
    try:
        parsed = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as exc:
        raise ValueError(f"unknown CRS: {crs!r}") from exc
    code = parsed.to_epsg()
    if code is None:
        if parsed.is_geographic and parsed.datum and "WGS" in parsed.datum.name.upper():
            return WGS84
        raise ValueError(f"CRS without EPSG code: {crs!r}")
    return code


@lru_cache(maxsize=64)
def _transformer(source: int, target: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def transformer(source: CrsLike, target: CrsLike) -> pyproj.Transformer:
    """A cached lon/lat-ordered (``always_xy``) pyproj transformer."""
    return _transformer(epsg_code(source), epsg_code(target))


def transform_xy(
    x: np.ndarray | float, y: np.ndarray | float, source: CrsLike, target: CrsLike
) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays (x = easting or longitude, y = northing or latitude)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if epsg_code(source) == epsg_code(target):
        return x.copy(), y.copy()
    tx, ty = transformer(source, target).transform(x, y)
    return np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)


def transform_geometry(geometry: BaseGeometry, source: CrsLike, target: CrsLike) -> BaseGeometry:
    """Transform a shapely geometry (or a numpy array of them) between two systems."""
    if epsg_code(source) == epsg_code(target):
        return geometry
    trans = transformer(source, target)

    def _apply(coords: np.ndarray) -> np.ndarray:
        tx, ty = trans.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([tx, ty])

    return shapely.transform(geometry, _apply)


def crs_name(crs: CrsLike) -> str:
    """A short human-readable name, e.g. "EPSG:25833 (ETRS89 / UTM zone 33N)"."""
    code = epsg_code(crs)
    return f"EPSG:{code} ({pyproj.CRS.from_epsg(code).name})"


def is_geographic(crs: CrsLike) -> bool:
    return pyproj.CRS.from_epsg(epsg_code(crs)).is_geographic


@lru_cache(maxsize=64)
def area_of_use(crs: CrsLike) -> tuple[float, float, float, float]:
    """The area of use of ``crs`` as (west, south, east, north) in degrees."""
    aou = pyproj.CRS.from_epsg(epsg_code(crs)).area_of_use
    if aou is None:
        return (-180.0, -90.0, 180.0, 90.0)
    return (aou.west, aou.south, aou.east, aou.north)


@dataclass(frozen=True)
class CrsDetection:
    """The outcome of :func:`detect_crs`.

    ``epsg`` is ``None`` when the CRS could not be decided; ``message`` then says why
    (German, for the user). ``source`` is one of "crs-member", "coordinates", "caller"
    or "undecided". ``candidates`` lists the systems the coordinates fit when they do
    not decide between them (e.g. UTM zones 32 and 33).
    """

    epsg: int | None
    source: str
    candidates: tuple[int, ...] = ()
    message: str = ""


def crs_from_member(member: Any) -> int:
    """The EPSG code named by a GeoJSON ``crs`` member (2008 GeoJSON spec style).

    Accepts ``{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}``
    and the rarer ``{"type": "EPSG", "properties": {"code": 25833}}``. Raises
    ``ValueError`` when the member cannot be read.
    """
    if not isinstance(member, dict):
        raise ValueError(f"crs member is not an object: {member!r}")
    props = member.get("properties")
    if not isinstance(props, dict):
        raise ValueError(f"crs member without properties: {member!r}")
    if "name" in props:
        return epsg_code(str(props["name"]))
    if "code" in props:
        return epsg_code(int(props["code"]))
    raise ValueError(f"crs member without name: {member!r}")


def _inside(bounds: tuple[float, float, float, float], box: tuple[float, ...]) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx and box[1] <= miny and maxx <= box[2] and maxy <= box[3]


def guess_crs_from_bounds(bounds: tuple[float, float, float, float]) -> CrsDetection:
    """Guess a CRS from the coordinate range (minx, miny, maxx, maxy) of a data set.

    Degrees (|x| ≤ 180, |y| ≤ 90) mean WGS84. Metres in the range of EPSG:3035 over
    Germany mean EPSG:3035. Metres in the UTM range over Germany fit both zone 32
    and zone 33 (EPSG:25832/25833) and are reported as undecided with both as
    candidates: the same numbers describe places in both zones.
    """
    minx, miny, maxx, maxy = bounds
    if not all(np.isfinite(bounds)):
        return CrsDetection(
            None, "undecided", message="Die Koordinaten enthalten ungültige Zahlen."
        )
    if minx >= -180.0 and maxx <= 180.0 and miny >= -90.0 and maxy <= 90.0:
        return CrsDetection(WGS84, "coordinates", (WGS84,))
    if _inside(bounds, _LAEA_GERMANY):
        return CrsDetection(ETRS89_LAEA, "coordinates", (ETRS89_LAEA,))
    if _inside(bounds, _UTM_GERMANY):
        return CrsDetection(
            None,
            "undecided",
            (ETRS89_UTM32, ETRS89_UTM33),
            "Die Koordinaten sind Meter im UTM-System, passen aber sowohl zu Zone 32 "
            "(EPSG:25832) als auch zu Zone 33 (EPSG:25833).",
        )
    return CrsDetection(
        None,
        "undecided",
        message=(
            f"Die Koordinaten (x {minx:.0f} bis {maxx:.0f}, y {miny:.0f} bis {maxy:.0f}) "
            "passen zu keinem bekannten Koordinatensystem."
        ),
    )


def detect_crs(collection: dict, fallback: CrsLike | None = None) -> CrsDetection:
    """Decide the CRS of a parsed GeoJSON object.

    Order: the ``crs`` member of the file; else the coordinate ranges (see
    :func:`guess_crs_from_bounds`); else ``fallback`` (what the caller or user says).
    When the ranges leave a choice between candidates, a ``fallback`` among them
    decides. The file's own ``crs`` member always wins over the ``fallback``.
    """
    member = collection.get("crs") if isinstance(collection, dict) else None
    if member is not None:
        try:
            return CrsDetection(crs_from_member(member), "crs-member")
        except ValueError:
            return CrsDetection(
                None,
                "undecided",
                message=f"Die Angabe „crs“ der Datei ist unbekannt: {_short(member)}.",
            )
    coords = _all_coordinates(collection)
    if len(coords):
        bounds = (
            float(coords[:, 0].min()),
            float(coords[:, 1].min()),
            float(coords[:, 0].max()),
            float(coords[:, 1].max()),
        )
        guess = guess_crs_from_bounds(bounds)
        if guess.epsg is not None:
            return guess
        if fallback is not None and epsg_code(fallback) in guess.candidates:
            return CrsDetection(epsg_code(fallback), "caller", guess.candidates)
        if fallback is None:
            return guess
    if fallback is not None:
        return CrsDetection(epsg_code(fallback), "caller")
    return CrsDetection(None, "undecided", message="Die Datei enthält keine Koordinaten.")


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _all_coordinates(collection: Any) -> np.ndarray:
    """All numeric (x, y) pairs found in the geometries of a GeoJSON object."""
    pairs: list[tuple[float, float]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            if (
                len(node) >= 2
                and isinstance(node[0], int | float)
                and isinstance(node[1], int | float)
                and not isinstance(node[0], bool)
                and not isinstance(node[1], bool)
            ):
                pairs.append((float(node[0]), float(node[1])))
            else:
                for item in node:
                    walk(item)

    if isinstance(collection, dict):
        if collection.get("type") == "FeatureCollection":
            features = collection.get("features")
            geometries = (
                [f.get("geometry") for f in features or [] if isinstance(f, dict)]
                if isinstance(features, list)
                else []
            )
        elif collection.get("type") == "Feature":
            geometries = [collection.get("geometry")]
        else:
            geometries = [collection]
        for geometry in geometries:
            if isinstance(geometry, dict):
                walk(geometry.get("coordinates"))
    if not pairs:
        return np.empty((0, 2))
    return np.array(pairs, dtype=float)
