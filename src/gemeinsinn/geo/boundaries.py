"""Import of area boundaries (Planungsräume, Ortsteile, Bezirke …) from GeoJSON.

:func:`parse_boundaries` reads a FeatureCollection and reports *all* problems at
once, in German, with the feature number and key as location. Geometries come out
in WGS84 (lon/lat); areas are measured in the equal-area EPSG:3035.

Keys stay strings: official keys (LOR IDs, AGS) have leading zeros. A key stored as
a number in the file is accepted as its digits, except where it is shorter than the
text keys around it: then a leading zero was probably lost, and that is reported,
never guessed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from gemeinsinn.formats.problems import Problem
from gemeinsinn.geo.crs import (
    ETRS89_LAEA,
    WGS84,
    CrsLike,
    area_of_use,
    crs_name,
    detect_crs,
    guess_crs_from_bounds,
    is_geographic,
    transform_geometry,
    transform_xy,
)
from gemeinsinn.geo.geojson import feature_collection, simplify_coverage, to_geojson_feature

# Property names tried, in this order and ignoring case, when the caller names none.
KEY_CANDIDATES = (
    "key",
    "schluessel",
    "schlüssel",
    "id",
    "plr_id",
    "bzr_id",
    "pgr_id",
    "bez_id",
    "ags",
    "ars",
    "code",
    "nummer",
    "nr",
)
NAME_CANDIDATES = (
    "name",
    "bezeichnung",
    "plr_name",
    "bzr_name",
    "pgr_name",
    "bez_name",
    "gen",
    "label",
    "titel",
)
PARENT_CANDIDATES = ("parent_key", "parent_id", "parent", "uebergeordnet", "übergeordnet")

# Projected coordinates may lie this many degrees outside the official area of use
# of their CRS (UTM zone 32 is used for all of Germany, up to 15° E).
_AREA_OF_USE_MARGIN_DEG = 5.0
# More features than this with the same coordinate-range problem are reported as one.
_MAX_SINGLE_RANGE_PROBLEMS = 3

_JSON_MESSAGES = {
    "Expecting value": "Wert erwartet",
    "Expecting ',' delimiter": "Komma erwartet",
    "Expecting ':' delimiter": "Doppelpunkt erwartet",
    "Expecting property name enclosed in double quotes": (
        "Eigenschaftsname in doppelten Anführungszeichen erwartet"
    ),
    "Unterminated string starting at": "Zeichenkette ohne schließendes Anführungszeichen",
    "Extra data": "weitere Zeichen nach dem Ende der Daten",
    "Invalid control character at": "unerlaubtes Steuerzeichen",
    "Invalid \\escape": "ungültige Escape-Sequenz",
    "Invalid \\uXXXX escape": "ungültige \\u-Escape-Sequenz",
}

_VALIDITY_REASONS = {
    "Self-intersection": "Selbstüberschneidung",
    "Ring Self-intersection": "ein Ring berührt oder schneidet sich selbst",
    "Too few points in geometry component": "zu wenige Punkte in einem Ring",
    "Hole lies outside shell": "ein Loch liegt außerhalb der Außengrenze",
    "Nested holes": "ineinander liegende Löcher",
    "Interior is disconnected": "das Innere zerfällt in getrennte Teile",
    "Nested shells": "ineinander liegende Teilflächen",
    "Duplicate Rings": "doppelte Ringe",
    "Invalid Coordinate": "ungültige Koordinate",
    "Ring is not closed": "ein Ring ist nicht geschlossen",
}


@dataclass(frozen=True)
class BoundaryFeature:
    """One area: official key (string), display name, key of the parent area, geometry
    in WGS84 (lon/lat, Polygon or MultiPolygon) and the file's other properties.

    ``number`` is the 1-based position in the source file (0 when not from a file).
    ``area_m2`` (in EPSG:3035) and ``bbox`` (west, south, east, north in degrees) are
    computed from the geometry unless given.
    """

    key: str
    name: str
    parent_key: str | None
    geometry: Polygon | MultiPolygon
    properties: dict[str, Any] = field(default_factory=dict)
    number: int = 0
    area_m2: float = field(default=float("nan"))
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if np.isnan(self.area_m2):
            area = transform_geometry(self.geometry, WGS84, ETRS89_LAEA).area
            object.__setattr__(self, "area_m2", float(area))
        if self.bbox is None:
            object.__setattr__(self, "bbox", tuple(float(v) for v in self.geometry.bounds))

    def where(self) -> str:
        """German location text: "Objekt Nr. 3 (Schlüssel „01011101“)"."""
        return _where(self.number, self.key)


@dataclass(frozen=True)
class BoundaryImport:
    """The outcome of :func:`parse_boundaries`.

    ``features`` holds every feature that could be read (even when other features
    have errors); an import must store nothing while ``ok`` is false.
    """

    features: list[BoundaryFeature]
    problems: list[Problem]
    crs: int | None = None
    key_property: str | None = None
    name_property: str | None = None
    parent_property: str | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


# --------------------------------------------------------------------------- parsing


def parse_boundaries(
    data: bytes | str,
    file_name: str,
    *,
    key_property: str | None = None,
    name_property: str | None = None,
    parent_property: str | None = None,
    parent_key_length: int | None = None,
    parent_keys: set[str] | None = None,
    crs: CrsLike | None = None,
    check_topology: bool = False,
    min_problem_area_m2: float = 1.0,
) -> BoundaryImport:
    """Parse a GeoJSON FeatureCollection of area boundaries.

    - ``key_property`` / ``name_property`` / ``parent_property``: property names;
      when not given, common names are tried (``KEY_CANDIDATES`` …, ignoring case).
    - ``parent_key_length``: derive the parent key as the first n characters of the
      key (e.g. 2 for Berlin Planungsraum → Bezirk) when there is no parent property.
    - ``parent_keys``: the keys of the parent level; every parent key must be one of
      them (see :func:`check_hierarchy`).
    - ``crs``: the CRS to assume when the file does not say and the coordinates do
      not decide (see :func:`gemeinsinn.geo.crs.detect_crs`).
    - ``check_topology``: also warn about overlaps and gaps between the areas
      larger than ``min_problem_area_m2`` (see :func:`check_overlaps_and_gaps`).
    """
    problems: list[Problem] = []

    def error(message: str, hint: str = "", column: str = "", **kw: Any) -> None:
        problems.append(Problem(message, file=file_name, column=column, hint=hint, **kw))

    def warning(message: str, hint: str = "", column: str = "") -> None:
        problems.append(
            Problem(message, file=file_name, column=column, hint=hint, severity="warning")
        )

    document = _load_json(data, file_name, problems)
    if document is None:
        return BoundaryImport([], problems)
    raw_features = _feature_list(document, file_name, problems)
    if raw_features is None:
        return BoundaryImport([], problems)

    property_names = _property_names(raw_features)
    key_prop = _choose_property(
        key_property, KEY_CANDIDATES, property_names, "Schlüssel", file_name, problems
    )
    name_prop = _choose_property(
        name_property, NAME_CANDIDATES, property_names, "Namen", file_name, problems
    )
    if name_prop is None and name_property is None and key_prop is not None:
        warning(
            "Keine Eigenschaft mit dem Namen der Gebiete gefunden; der Schlüssel wird als "
            "Name verwendet.",
            "Benennen Sie die Spalte mit den Gebietsnamen in „name“ um oder geben Sie sie "
            "beim Import an.",
        )
    parent_prop = None
    if parent_property is not None or parent_key_length is None:
        parent_prop = _choose_property(
            parent_property,
            PARENT_CANDIDATES,
            property_names,
            "übergeordneten Schlüssel",
            file_name,
            problems,
            required=parent_property is not None,
        )

    detection = detect_crs(document, crs)
    if detection.epsg is None:
        hint = "Geben Sie beim Import das Koordinatensystem an (z. B. EPSG:25833)"
        if detection.candidates:
            codes = " oder ".join(f"EPSG:{c}" for c in detection.candidates)
            hint = f"Geben Sie beim Import an, welches System gilt ({codes})"
        error(
            f"Das Koordinatensystem der Datei ist unklar. {detection.message}".strip(),
            hint + " oder ergänzen Sie in der Datei die Angabe „crs“.",
        )

    rows: list[_Row] = []
    for number, raw in enumerate(raw_features, start=1):
        row = _read_feature(number, raw, key_prop, name_prop, parent_prop, file_name, problems)
        if row is not None:
            rows.append(row)

    _check_key_types(rows, key_prop, file_name, problems, parent=False)
    if parent_prop is not None:
        _check_key_types(rows, parent_prop, file_name, problems, parent=True)
    if parent_key_length is not None and parent_prop is None:
        for row in rows:
            if row.key is not None:
                row.parent_key = row.key[:parent_key_length]
    _check_duplicates(rows, key_prop or "", file_name, problems)

    features: list[BoundaryFeature] = []
    if detection.epsg is not None:
        features = _build_geometries(rows, detection.epsg, file_name, problems)

    if parent_keys is not None:
        problems.extend(check_hierarchy(features, parent_keys, file=file_name))
    if check_topology and features:
        problems.extend(
            check_overlaps_and_gaps(features, file=file_name, min_area_m2=min_problem_area_m2)
        )
    return BoundaryImport(features, problems, detection.epsg, key_prop, name_prop, parent_prop)


@dataclass
class _Row:
    number: int
    key: str | None
    key_is_number: bool
    name: str
    parent_key: str | None
    parent_is_number: bool
    properties: dict[str, Any]
    geometry: BaseGeometry | None  # in the file's CRS


def _where(number: int, key: str | None) -> str:
    if number and key:
        return f"Objekt Nr. {number} (Schlüssel „{key}“)"
    if number:
        return f"Objekt Nr. {number}"
    return f"Objekt „{key}“"


def _de(value: float, decimals: int = 0) -> str:
    """German number format: 1.234,5."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _load_json(data: bytes | str, file_name: str, problems: list[Problem]) -> Any:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(
                Problem(
                    f"Die Datei ist nicht UTF-8-kodiert (unlesbares Byte an Position {exc.start}).",
                    file=file_name,
                    line=line,
                    hint="Speichern Sie die Datei mit der Kodierung UTF-8, wie GeoJSON es "
                    "verlangt (in QGIS: „Exportieren“ → Kodierung UTF-8).",
                )
            )
            return None
    else:
        text = data
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
        problems.append(
            Problem(
                f"Die Datei ist kein gültiges JSON: {reason}.",
                file=file_name,
                line=exc.lineno,
                column=str(exc.colno),
                hint="Prüfen Sie die Datei an dieser Stelle (fehlendes Komma, Anführungszeichen "
                "oder Klammer) oder exportieren Sie sie erneut aus dem GIS als GeoJSON.",
            )
        )
        return None


def _feature_list(document: Any, file_name: str, problems: list[Problem]) -> list | None:
    hint = (
        "Exportieren Sie die Gebiete aus dem GIS als GeoJSON-FeatureCollection "
        "(eine Datei mit allen Flächen, z. B. in QGIS: „Layer exportieren“ → GeoJSON)."
    )
    kind = document.get("type") if isinstance(document, dict) else None
    if kind != "FeatureCollection":
        if kind == "Feature":
            what = "nur ein einzelnes Objekt (Feature)"
        elif isinstance(kind, str):
            what = f"ein Objekt vom Typ „{kind}“"
        else:
            what = "kein GeoJSON-Objekt mit der Angabe „type“"
        problems.append(
            Problem(f"Die Datei ist keine FeatureCollection, sondern {what}.", file_name, hint=hint)
        )
        return None
    features = document.get("features")
    if not isinstance(features, list):
        problems.append(
            Problem("Die FeatureCollection hat keine Liste „features“.", file_name, hint=hint)
        )
        return None
    if not features:
        problems.append(Problem("Die Datei enthält keine Gebiete.", file_name, hint=hint))
        return None
    return features


def _property_names(raw_features: list) -> list[str]:
    seen: dict[str, None] = {}
    for raw in raw_features:
        props = raw.get("properties") if isinstance(raw, dict) else None
        if isinstance(props, dict):
            for name in props:
                seen.setdefault(str(name), None)
    return list(seen)


def _choose_property(
    explicit: str | None,
    candidates: Sequence[str],
    names: list[str],
    role: str,
    file_name: str,
    problems: list[Problem],
    required: bool = True,
) -> str | None:
    available = ", ".join(f"„{n}“" for n in names) or "keine"
    if explicit is not None:
        if explicit in names:
            return explicit
        problems.append(
            Problem(
                f"Die Eigenschaft „{explicit}“ für den {role} kommt in keinem Objekt vor.",
                file_name,
                column=explicit,
                hint=f"Vorhandene Eigenschaften: {available}. Prüfen Sie die Schreibweise.",
            )
        )
        return None
    lowered = {n.lower(): n for n in reversed(names)}
    for candidate in candidates:
        if candidate in lowered:
            return lowered[candidate]
    if required and role == "Schlüssel":
        problems.append(
            Problem(
                "Keine Eigenschaft mit dem Schlüssel der Gebiete gefunden.",
                file_name,
                hint=f"Vorhandene Eigenschaften: {available}. Geben Sie beim Import an, welche "
                "den Schlüssel enthält, oder benennen Sie sie in „key“ um.",
            )
        )
    return None


def _key_text(value: Any) -> tuple[str | None, bool, str]:
    """(key text, stored as a number, German reason when unusable)."""
    if value is None:
        return None, False, "fehlt"
    if isinstance(value, bool):
        return None, False, f"ist ein Wahrheitswert ({value})"
    if isinstance(value, int):
        return str(value), True, ""
    if isinstance(value, float):
        if not np.isfinite(value) or value != int(value):
            return None, True, f"ist keine ganze Zahl ({value})"
        return str(int(value)), True, ""
    if isinstance(value, str):
        text = value.strip()
        return (text or None), False, ("" if text else "ist leer")
    return None, False, f"ist weder Text noch Zahl ({type(value).__name__})"


def _read_feature(
    number: int,
    raw: Any,
    key_prop: str | None,
    name_prop: str | None,
    parent_prop: str | None,
    file_name: str,
    problems: list[Problem],
) -> _Row | None:
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        problems.append(
            Problem(
                f"Objekt Nr. {number} ist kein GeoJSON-Feature.",
                file_name,
                hint="Jedes Element von „features“ braucht „type“: „Feature“, „properties“ "
                "und „geometry“.",
            )
        )
        return None
    props = raw.get("properties")
    props = dict(props) if isinstance(props, dict) else {}

    key, key_is_number = None, False
    if key_prop is not None:
        key, key_is_number, reason = _key_text(props.get(key_prop))
        if key is None:
            problems.append(
                Problem(
                    f"Objekt Nr. {number}: Der Schlüssel {reason}.",
                    file_name,
                    column=key_prop,
                    hint=f"Tragen Sie in „{key_prop}“ den amtlichen Schlüssel des Gebiets als "
                    "Text ein.",
                )
            )
    where = _where(number, key)

    name = ""
    if name_prop is not None:
        raw_name = props.get(name_prop)
        name = "" if raw_name is None else str(raw_name).strip()
        if not name:
            problems.append(
                Problem(
                    f"{where}: Der Name fehlt; der Schlüssel wird als Name verwendet.",
                    file_name,
                    column=name_prop,
                    hint=f"Tragen Sie in „{name_prop}“ den Namen des Gebiets ein.",
                    severity="warning",
                )
            )
    name = name or (key or "")

    parent, parent_is_number = None, False
    if parent_prop is not None and props.get(parent_prop) is not None:
        parent, parent_is_number, reason = _key_text(props.get(parent_prop))
        if parent is None and reason != "ist leer":
            problems.append(
                Problem(
                    f"{where}: Der übergeordnete Schlüssel {reason}.",
                    file_name,
                    column=parent_prop,
                    hint=f"Tragen Sie in „{parent_prop}“ den Schlüssel des übergeordneten "
                    "Gebiets als Text ein.",
                )
            )

    geometry = _read_geometry(raw.get("geometry"), where, file_name, problems)
    return _Row(number, key, key_is_number, name, parent, parent_is_number, props, geometry)


def _read_geometry(
    geometry: Any, where: str, file_name: str, problems: list[Problem]
) -> BaseGeometry | None:
    hint = "Jedes Gebiet braucht eine Fläche (Polygon oder MultiPolygon)."
    if geometry is None:
        problems.append(Problem(f"{where}: Die Geometrie fehlt.", file_name, hint=hint))
        return None
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        shown = f"„{kind}“" if isinstance(kind, str) else "unbekannt"
        problems.append(
            Problem(
                f"{where}: Die Geometrie ist keine Fläche (Typ {shown}).",
                file_name,
                hint=hint + " Punkte und Linien lassen sich keinem Gebiet zuordnen.",
            )
        )
        return None
    try:
        shape = shapely.geometry.shape(geometry)
        shape = shapely.force_2d(shape)
    except (
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        AttributeError,
        shapely.errors.ShapelyError,
    ) as exc:
        problems.append(
            Problem(
                f"{where}: Die Koordinaten der Geometrie sind fehlerhaft ({exc}).",
                file_name,
                hint="Jeder Ring braucht mindestens vier Punkte aus je zwei Zahlen; "
                "exportieren Sie die Datei erneut aus dem GIS.",
            )
        )
        return None
    if shape.is_empty:
        problems.append(Problem(f"{where}: Die Geometrie ist leer.", file_name, hint=hint))
        return None
    return shape


def _check_key_types(
    rows: list[_Row], prop: str | None, file_name: str, problems: list[Problem], parent: bool
) -> None:
    """Numbers among text keys that are shorter than the text keys: leading zero lost."""
    values = [
        (
            row,
            row.parent_key if parent else row.key,
            row.parent_is_number if parent else row.key_is_number,
        )
        for row in rows
    ]
    values = [(row, text, is_number) for row, text, is_number in values if text is not None]
    text_lengths = Counter(len(text) for _, text, is_number in values if not is_number)
    what = "übergeordnete Schlüssel" if parent else "Schlüssel"
    hint = (
        "Speichern Sie die Schlüssel als Text (in Anführungszeichen), damit führende Nullen "
        "erhalten bleiben, z. B. in der Tabellenkalkulation als Textspalte."
    )
    if text_lengths:
        usual = text_lengths.most_common(1)[0][0]
        for row, text, is_number in values:
            if is_number and len(text) < usual:
                problems.append(
                    Problem(
                        f"{_where(row.number, row.key)}: Der {what} {text} ist als Zahl "
                        f"gespeichert und hat {len(text)} Stellen, die übrigen haben {usual}. "
                        "Vermutlich ist eine führende Null verloren gegangen.",
                        file_name,
                        column=prop or "",
                        hint=hint,
                    )
                )
    else:
        lengths = sorted({len(text) for _, text, is_number in values if is_number})
        if len(lengths) > 1:
            problems.append(
                Problem(
                    f"Alle {what} sind als Zahlen gespeichert und unterschiedlich lang "
                    f"({lengths[0]} bis {lengths[-1]} Stellen). Falls sie führende Nullen haben "
                    "sollten (z. B. „01“), fehlen diese jetzt.",
                    file_name,
                    column=prop or "",
                    hint=hint,
                    severity="warning",
                )
            )


def _check_duplicates(rows: list[_Row], prop: str, file_name: str, problems: list[Problem]) -> None:
    by_key: dict[str, list[_Row]] = {}
    for row in rows:
        if row.key is not None:
            by_key.setdefault(row.key, []).append(row)
    for key, group in by_key.items():
        if len(group) < 2:
            continue
        listed = " und ".join(f"Nr. {r.number} („{r.name}“)" for r in group)
        problems.append(
            Problem(
                f"Der Schlüssel „{key}“ kommt {len(group)}-mal vor: Objekte {listed}.",
                file_name,
                column=prop,
                hint="Jedes Gebiet braucht einen eigenen Schlüssel. Korrigieren Sie den "
                "Schlüssel oder fassen Sie die Flächen zu einem MultiPolygon zusammen.",
            )
        )


def _validity_reason(geometry: BaseGeometry) -> str:
    reason = shapely.is_valid_reason(geometry)
    text, _, rest = reason.partition("[")
    german = _VALIDITY_REASONS.get(text.strip(), text.strip())
    coords = rest.rstrip("]").split()
    if len(coords) >= 2:
        try:
            x, y = float(coords[0]), float(coords[1])
            return f"{german} bei {x:.6g}, {y:.6g}"
        except ValueError:
            pass
    return german


def _polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    parts = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon) and not p.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _build_geometries(
    rows: list[_Row], epsg: int, file_name: str, problems: list[Problem]
) -> list[BoundaryFeature]:
    rows = [row for row in rows if row.geometry is not None]
    if not rows:
        return []
    source = np.array([row.geometry for row in rows], dtype=object)

    # coordinates out of range for the CRS
    coords, owner = shapely.get_coordinates(source, return_index=True)
    lon, lat = transform_xy(coords[:, 0], coords[:, 1], epsg, WGS84)
    west, south, east, north = area_of_use(epsg)
    if not is_geographic(epsg):
        margin = _AREA_OF_USE_MARGIN_DEG
        west, south, east, north = west - margin, south - margin, east + margin, north + margin
    west, south = max(west, -180.0), max(south, -90.0)
    east, north = min(east, 180.0), min(north, 90.0)
    bad_point = ~(
        np.isfinite(lon)
        & np.isfinite(lat)
        & (lon >= west)
        & (lon <= east)
        & (lat >= south)
        & (lat <= north)
    )
    bad_feature = np.bincount(owner, weights=bad_point, minlength=len(rows)) > 0
    if bad_feature.any():
        _report_out_of_range(rows, bad_feature, coords, bad_point, owner, epsg, file_name, problems)
    if is_geographic(epsg) and not bad_feature.all():
        ok = ~bad_point
        if (
            ok.any()
            and coords[ok, 0].min() >= 47.0
            and coords[ok, 0].max() <= 56.0
            and coords[ok, 1].min() >= 5.0
            and coords[ok, 1].max() <= 16.0
        ):
            problems.append(
                Problem(
                    "Die Koordinaten liegen am Horn von Afrika – sind Länge und Breite "
                    "vertauscht? Für Deutschland erwartet: Länge 5–16, Breite 47–56.",
                    file_name,
                    hint="GeoJSON speichert Koordinaten als [Länge, Breite]. Exportieren Sie die "
                    "Datei erneut aus dem GIS.",
                    severity="warning",
                )
            )

    # validity and repair, in the file's CRS
    keep = ~bad_feature
    valid = shapely.is_valid(source)
    repaired: dict[int, BaseGeometry] = {}
    for i in np.flatnonzero(keep & ~valid):
        row = rows[i]
        where = _where(row.number, row.key)
        reason = _validity_reason(row.geometry)
        fixed = _polygonal(
            shapely.make_valid(row.geometry, method="structure", keep_collapsed=False)
        )
        if fixed is None:
            problems.append(
                Problem(
                    f"{where}: Die Geometrie ist ungültig ({reason}) und lässt sich nicht zu "
                    "einer Fläche reparieren.",
                    file_name,
                    hint="Zeichnen Sie die Fläche im GIS neu oder reparieren Sie sie dort "
                    "(QGIS: „Geometrien reparieren“).",
                )
            )
            keep[i] = False
            continue
        before = transform_geometry(row.geometry, epsg, ETRS89_LAEA).area
        after = transform_geometry(fixed, epsg, ETRS89_LAEA).area
        change = f"{_de(after - before, 0)} m²"
        if before > 0:
            change += f" ({_de(100.0 * (after - before) / before, 2)} %)"
        problems.append(
            Problem(
                f"{where}: Die Geometrie ist ungültig ({reason}) und wurde automatisch repariert; "
                f"die Fläche änderte sich um {change}.",
                file_name,
                hint="Prüfen Sie die Fläche im GIS (QGIS: „Gültigkeit prüfen“) und laden Sie "
                "eine korrigierte Datei hoch, wenn die Reparatur nicht stimmt.",
                severity="warning",
            )
        )
        repaired[int(i)] = fixed

    indices = np.flatnonzero(keep)
    if not len(indices):
        return []
    chosen = np.array([repaired.get(int(i), rows[i].geometry) for i in indices], dtype=object)
    wgs84 = transform_geometry(chosen, epsg, WGS84)
    areas = shapely.area(transform_geometry(chosen, epsg, ETRS89_LAEA))
    boxes = shapely.bounds(wgs84)
    features = []
    for j, i in enumerate(indices):
        row = rows[i]
        features.append(
            BoundaryFeature(
                key=row.key or "",
                name=row.name,
                parent_key=row.parent_key,
                geometry=wgs84[j],
                properties=row.properties,
                number=row.number,
                area_m2=float(areas[j]),
                bbox=tuple(float(v) for v in boxes[j]),
            )
        )
    return features


def _report_out_of_range(
    rows: list[_Row],
    bad_feature: np.ndarray,
    coords: np.ndarray,
    bad_point: np.ndarray,
    owner: np.ndarray,
    epsg: int,
    file_name: str,
    problems: list[Problem],
) -> None:
    bad_coords = coords[bad_point]
    bounds = (
        float(bad_coords[:, 0].min()),
        float(bad_coords[:, 1].min()),
        float(bad_coords[:, 0].max()),
        float(bad_coords[:, 1].max()),
    )
    guess = guess_crs_from_bounds(bounds)
    hint = "Prüfen Sie das Koordinatensystem und geben Sie beim Import das richtige an."
    if guess.epsg is not None and guess.epsg != epsg:
        hint = (
            f"Die Zahlen passen zu {crs_name(guess.epsg)}. Geben Sie beim Import das richtige "
            "Koordinatensystem an oder korrigieren Sie die Angabe „crs“ der Datei."
        )
    elif guess.candidates:
        codes = " oder ".join(f"EPSG:{c}" for c in guess.candidates)
        hint = f"Die Zahlen passen zu {codes}. Geben Sie beim Import das richtige System an."
    first_bad = {}
    for point, feature in zip(np.flatnonzero(bad_point), owner[bad_point], strict=True):
        first_bad.setdefault(int(feature), coords[point])
    indices = np.flatnonzero(bad_feature)
    system = crs_name(epsg)
    if len(indices) > _MAX_SINGLE_RANGE_PROBLEMS:
        listed = ", ".join(_where(rows[i].number, rows[i].key) for i in indices[:5])
        more = f" und {len(indices) - 5} weitere" if len(indices) > 5 else ""
        x, y = first_bad[int(indices[0])]
        problems.append(
            Problem(
                f"{len(indices)} von {len(rows)} Gebieten haben Koordinaten außerhalb des "
                f"Bereichs von {system} (z. B. {x:.6g}, {y:.6g}): {listed}{more}.",
                file_name,
                hint=hint,
            )
        )
        return
    for i in indices:
        x, y = first_bad[int(i)]
        problems.append(
            Problem(
                f"{_where(rows[i].number, rows[i].key)}: Koordinaten außerhalb des Bereichs von "
                f"{system} (z. B. {x:.6g}, {y:.6g}).",
                file_name,
                hint=hint,
            )
        )


# ----------------------------------------------------------------- level-wide checks


def derive_parent_keys(features: Iterable[BoundaryFeature], length: int) -> list[BoundaryFeature]:
    """Copies of ``features`` whose parent key is the first ``length`` characters of the key
    (Berlin LOR: Planungsraum "01011101" → Bezirk "01", Bezirksregion "010111")."""
    return [
        BoundaryFeature(
            f.key, f.name, f.key[:length], f.geometry, f.properties, f.number, f.area_m2, f.bbox
        )
        for f in features
    ]


def check_hierarchy(
    features: Iterable[BoundaryFeature], parent_keys: set[str] | None, *, file: str = ""
) -> list[Problem]:
    """Errors for features whose parent key is missing or not among ``parent_keys``.

    ``parent_keys=None`` means the level has no parent level: nothing is checked.
    """
    if parent_keys is None:
        return []
    problems = []
    example = sorted(parent_keys)[:3]
    known = (
        f"Bekannt sind {len(parent_keys)} Schlüssel, z. B. "
        + ", ".join(f"„{k}“" for k in example)
        + "."
        if parent_keys
        else "Die übergeordnete Ebene enthält noch keine Gebiete."
    )
    for feature in features:
        if feature.parent_key is None:
            problems.append(
                Problem(
                    f"{feature.where()}: Der übergeordnete Schlüssel fehlt.",
                    file,
                    hint="Geben Sie für jedes Gebiet an, zu welchem übergeordneten Gebiet es "
                    "gehört. " + known,
                )
            )
        elif feature.parent_key not in parent_keys:
            problems.append(
                Problem(
                    f"{feature.where()}: Der übergeordnete Schlüssel „{feature.parent_key}“ "
                    "gibt es auf der übergeordneten Ebene nicht.",
                    file,
                    hint=known + " Prüfen Sie Tippfehler und führende Nullen oder importieren "
                    "Sie zuerst die übergeordnete Ebene.",
                )
            )
    return problems


def check_overlaps_and_gaps(
    features: Sequence[BoundaryFeature], *, file: str = "", min_area_m2: float = 1.0
) -> list[Problem]:
    """Warnings for overlaps between two areas and for gaps enclosed by the areas of one
    level, each larger than ``min_area_m2`` (measured in EPSG:3035)."""
    if not features:
        return []
    geoms = transform_geometry(
        np.array([f.geometry for f in features], dtype=object), WGS84, ETRS89_LAEA
    )
    problems = []
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    overlap = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    for i, j, area in zip(left, right, overlap, strict=True):
        if area > min_area_m2:
            a, b = features[i], features[j]
            share = 100.0 * area / min(a.area_m2, b.area_m2)
            problems.append(
                Problem(
                    f"{a.where()} und {b.where()} überlappen sich auf {_de(area)} m² "
                    f"({_de(share, 2)} % der kleineren Fläche).",
                    file,
                    hint="Jede Stelle sollte zu genau einem Gebiet gehören. Bereinigen Sie die "
                    "Grenzen im GIS (QGIS: „Topologieprüfung“).",
                    severity="warning",
                )
            )
    union = shapely.union_all(geoms)
    for part in shapely.get_parts(union):
        for ring in part.interiors:
            hole = Polygon(ring)
            if hole.area <= min_area_m2:
                continue
            around = sorted(int(i) for i in tree.query(hole, predicate="intersects"))
            spot = transform_geometry(hole.representative_point(), ETRS89_LAEA, WGS84)
            at = f"(bei Länge {spot.x:.5f}, Breite {spot.y:.5f})"
            if len(around) == 1:
                text = f"Loch von {_de(hole.area)} m² in {features[around[0]].where()} {at}."
            else:
                names = ", ".join(f"„{features[i].key}“" for i in around[:6])
                more = " …" if len(around) > 6 else ""
                text = f"Lücke von {_de(hole.area)} m² zwischen den Gebieten {names}{more} {at}."
            problems.append(
                Problem(
                    text,
                    file,
                    hint="Jede Stelle innerhalb der Stadt sollte zu einem Gebiet gehören. "
                    "Schließen Sie die Lücke im GIS, falls sie nicht gewollt ist.",
                    severity="warning",
                )
            )
    return problems


# --------------------------------------------------------------------------- writing


def boundaries_to_geojson(
    features: Sequence[BoundaryFeature],
    properties: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    simplify_m: float | None = None,
    decimals: int = 6,
    include_source_properties: bool = False,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection dict (RFC 7946, WGS84) for export.

    Each feature has ``id`` = key, a ``bbox`` and the properties ``key``, ``name``,
    ``parent_key`` (when set), ``area_m2`` (rounded to 1 m²), then the file's own
    properties if ``include_source_properties``, then ``properties[key]`` if given
    (e.g. indicator values). ``simplify_m`` simplifies shared edges together (metres);
    coordinates are rounded to ``decimals`` places (6 ≈ 0.1 m).
    """
    geometries = [f.geometry for f in features]
    if simplify_m:
        geometries = simplify_coverage(geometries, simplify_m, WGS84)
    out = []
    for feature, geometry in zip(features, geometries, strict=True):
        props: dict[str, Any] = {"key": feature.key, "name": feature.name}
        if feature.parent_key is not None:
            props["parent_key"] = feature.parent_key
        props["area_m2"] = round(feature.area_m2)
        if include_source_properties:
            props.update(feature.properties)
        if properties and feature.key in properties:
            props.update(properties[feature.key])
        out.append(to_geojson_feature(geometry, props, feature_id=feature.key, decimals=decimals))
    return feature_collection(out)
