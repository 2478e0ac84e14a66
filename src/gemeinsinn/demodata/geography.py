"""The geography of Musterstadt, built in metres and written in WGS84.

Construction, all in a local metric frame (ETRS89 / UTM 32N shifted to the city
centre) on a 1 m grid:

1. an irregular outline (an ellipse of 12 × 9 km with a few smooth harmonics) and a
   river that crosses the city from west to east, south of the old town;
2. seed points with a density that falls off from the centre (Poisson-disc sampling);
   their Voronoi cells, the outline and the river are noded into one line network and
   polygonised into faces, so every face shares its boundary vertices exactly with
   its neighbours;
3. small faces are merged into their longest-bordering neighbour on the same river
   bank; the result are the Sozialräume;
4. Sozialräume are grouped into Stadtteile by growing from fixed district centres over
   the adjacency graph (no growth across the river), so every Stadtteil is contiguous;
5. Stadtteil = union of its Sozialräume, Stadt = union of all; the Fördergebiet is a
   free-form polygon over the border of Nordstadt and Bahnhofsviertel.

Finally every coordinate is transformed to WGS84 and rounded to 7 decimals (about
1 cm). Shared vertices transform and round identically, so the levels still tile.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.strtree import STRtree

from .model import FOERDERGEBIET, SOZIALRAUM, STADT, STADTTEIL, DemoArea

CITY_NAME = "Musterstadt"
STADT_KEY = "05999000"  # plausible AGS shape (NRW = 05), but no such Kreis exists
FOERDERGEBIET_KEY = "FG01"
FOERDERGEBIET_NAME = "Fördergebiet Sozialer Zusammenhalt Nordstadt/Bahnhofsviertel"

CENTRE_LONLAT = (7.87, 51.23)  # between Sauerland and Bergisches Land, fictional
METRIC_CRS = "EPSG:25832"
GRID_M = 1.0  # construction grid in metres
DECIMALS = 7  # WGS84 decimals in the files (about 1 cm)

SEMI_AXIS_X = 6000.0  # metres: 12 km east-west
SEMI_AXIS_Y = 4500.0  # metres: 9 km north-south
# (harmonic, relative amplitude, phase) of the outline radius
OUTLINE_HARMONICS = (
    (2, 0.03, 0.7),
    (3, 0.045, 2.1),
    (4, 0.03, 4.0),
    (5, 0.02, 1.3),
    (7, 0.012, 5.5),
)
OUTLINE_VERTICES = 180
MIN_FACE_AREA_M2 = 180_000.0

COMPASS = ("Ost", "Nordost", "Nord", "Nordwest", "West", "Südwest", "Süd", "Südost")


@dataclass(frozen=True)
class DistrictSpec:
    """A Stadtteil: its German name, the point it grows from (local metres), spare
    names for its Sozialräume, and a rough character used by the population model."""

    name: str
    centre: tuple[float, float]
    landmarks: tuple[str, ...]
    character: str


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec("Altstadt", (200, 250), ("Am Markt", "Domviertel", "Stadtmauer"), "zentrum"),
    DistrictSpec(
        "Bahnhofsviertel", (1500, 950), ("Am Bahnhof", "Gleisdreieck", "Postplatz"), "zentrum"
    ),
    DistrictSpec(
        "Nordstadt", (100, 2300), ("Schulzentrum", "Eisenbahnsiedlung", "Am Wasserturm"), "alt"
    ),
    DistrictSpec("Neue Mitte", (-1450, 700), ("Quartier Alte Weberei", "Am Kanal"), "neubau"),
    DistrictSpec("Hafen", (2300, -950), ("Kaianlagen", "Speicherstadt", "Werftstraße"), "hafen"),
    DistrictSpec("Südpark", (-200, -2000), ("Stadtpark", "Am Stadion", "Parkallee"), "gemischt"),
    DistrictSpec(
        "Westend", (-3000, 800), ("Lindenallee", "Am Friedhof", "Gartenstadt"), "gemischt"
    ),
    DistrictSpec("Ostfeld", (3700, 1000), ("Feldstraße", "Am Sportpark", "Zechensiedlung"), "alt"),
    DistrictSpec(
        "Lindenhof", (-2600, -2300), ("Schulzentrum", "Lindenplatz", "Am Weiher"), "familie"
    ),
    DistrictSpec(
        "Am Hang", (2600, -3000), ("Sonnenhang", "Waldrand", "Am Aussichtsturm"), "gehoben"
    ),
    DistrictSpec("Heide", (-2600, 3000), ("Heidesiedlung", "Am Heideweg", "Birkenhof"), "siedlung"),
    DistrictSpec(
        "Mühlenberg", (2900, 3000), ("Mühlenweg", "Am Hochbehälter", "Eichkamp"), "gehoben"
    ),
    DistrictSpec("Kirchdorf", (-5000, -500), ("Dorfkern", "An der Kirche", "Hofgut"), "dorf"),
    DistrictSpec("Wiesengrund", (5200, -1200), ("Bachaue", "Am Mühlbach", "Wiesenhof"), "dorf"),
)


@dataclass(frozen=True)
class Unit:
    """A Sozialraum in the metric frame, before it becomes a DemoArea."""

    key: str
    name: str
    district: int  # index into DISTRICTS
    polygon: Polygon  # local metres
    role: str  # "" or "hafen" / "gewerbe" / "park" / "grosssiedlung" (population model)

    @property
    def centroid(self) -> tuple[float, float]:
        c = self.polygon.centroid
        return (c.x, c.y)


@dataclass(frozen=True)
class Geography:
    areas: tuple[DemoArea, ...]  # WGS84, all levels
    units: tuple[Unit, ...]  # Sozialräume in metres, same order as their areas
    district_polygons: tuple[Polygon, ...]  # metres, in DISTRICTS order
    foerdergebiet: Polygon  # metres
    river: LineString  # WGS84
    neighbours: dict[str, tuple[str, ...]]  # Sozialraum key -> keys sharing an edge


# --- construction in metres -------------------------------------------------------------


def _outline() -> Polygon:
    theta = np.linspace(0.0, 2.0 * math.pi, OUTLINE_VERTICES, endpoint=False)
    radius = np.ones_like(theta)
    for harmonic, amplitude, phase in OUTLINE_HARMONICS:
        radius += amplitude * np.cos(harmonic * theta + phase)
    x = SEMI_AXIS_X * radius * np.cos(theta)
    y = SEMI_AXIS_Y * radius * np.sin(theta)
    return shapely.set_precision(Polygon(np.column_stack([x, y])), GRID_M)


def _river() -> LineString:
    x = np.arange(-8000.0, 8001.0, 200.0)
    y = -600.0 + 450.0 * np.sin(x / 1900.0 + 0.6) + 0.12 * x
    return LineString(np.column_stack([x, y]))


def _seed_points(rng: np.random.Generator, outline: Polygon) -> np.ndarray:
    """Poisson-disc sampling: the minimum distance grows from 520 m in the centre to
    about 1350 m at the edge, so central Sozialräume are smaller."""
    candidates = rng.uniform((-6500.0, -5000.0), (6500.0, 5000.0), size=(5000, 2))
    inside = shapely.contains_xy(outline, candidates[:, 0], candidates[:, 1])
    accepted: list[np.ndarray] = []
    for point in candidates[inside]:
        relative = math.hypot(point[0] / SEMI_AXIS_X, point[1] / SEMI_AXIS_Y)
        min_distance = 430.0 + 720.0 * min(relative, 1.0)
        if accepted:
            distances = np.hypot(*(np.asarray(accepted) - point).T)
            if distances.min() < min_distance:
                continue
        accepted.append(point)
    return np.asarray(accepted)


def _wiggle(edge: LineString, rng: np.random.Generator) -> LineString:
    """Bend a straight Voronoi edge a little, as boundaries follow streets and brooks.
    The end points stay fixed, so the network keeps its nodes."""
    length = edge.length
    if length < 120.0:
        return edge
    dense = np.asarray(shapely.segmentize(edge, 60.0).coords)
    steps = np.hypot(*np.diff(dense, axis=0).T)
    t = np.concatenate([[0.0], np.cumsum(steps)]) / length
    start, end = dense[0], dense[-1]
    direction = (end - start) / max(np.hypot(*(end - start)), 1e-9)
    normal = np.array([-direction[1], direction[0]])
    phases = rng.uniform(0.0, 2.0 * math.pi, size=2)
    amplitude = min(45.0, 0.05 * length)
    offset = (
        amplitude
        * np.sin(math.pi * t)
        * (
            0.7 * np.sin(2.0 * math.pi * t + phases[0])
            + 0.3 * np.sin(5.0 * math.pi * t + phases[1])
        )
    )
    return LineString(dense + offset[:, None] * normal)


def _faces(
    outline: Polygon, river: LineString, seeds: np.ndarray, rng: np.random.Generator
) -> list[Polygon]:
    envelope = outline.buffer(3000.0).envelope
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=envelope))
    edges = shapely.get_parts(
        shapely.union_all([cell.exterior for cell in cells], grid_size=GRID_M)
    )
    edges = sorted(edges, key=lambda edge: _point_key(edge.centroid))
    bent = [_wiggle(edge, rng) for edge in edges]
    network = shapely.union_all([outline.exterior, river, *bent], grid_size=GRID_M)
    faces = [
        face
        for face in shapely.get_parts(shapely.polygonize(shapely.get_parts(network)))
        if outline.contains(face.representative_point())
    ]
    total = sum(face.area for face in faces)
    if abs(total - outline.area) > 1e-5 * outline.area:  # snap rounding moves edges slightly
        raise RuntimeError(f"faces do not cover the outline ({total:.1f} vs {outline.area:.1f})")
    # canonical order: independent of GEOS' output order
    faces.sort(key=lambda face: _point_key(face.representative_point()))
    return faces


def _point_key(point: Point) -> tuple[float, float]:
    return (round(point.y, 3), round(point.x, 3))


def _river_sides(outline: Polygon, river: LineString) -> list[Polygon]:
    network = shapely.union_all([outline.exterior, river], grid_size=GRID_M)
    halves = [
        half
        for half in shapely.get_parts(shapely.polygonize(shapely.get_parts(network)))
        if outline.contains(half.representative_point())
    ]
    if len(halves) != 2:
        raise RuntimeError(f"the river must split the city in two, got {len(halves)} parts")
    halves.sort(key=lambda half: -half.centroid.y)  # 0 = north bank, 1 = south bank
    return halves


def _shared_lengths(polygons: list[Polygon]) -> dict[tuple[int, int], float]:
    """Length of the common boundary for every pair (i < j) that shares an edge."""
    tree = STRtree(polygons)
    shared: dict[tuple[int, int], float] = {}
    for i, polygon in enumerate(polygons):
        for j in sorted(int(j) for j in tree.query(polygon)):
            if j <= i:
                continue
            length = polygon.boundary.intersection(polygons[j].boundary).length
            if length > 0.5:
                shared[(i, j)] = length
    return shared


def _merge_small_faces(faces: list[Polygon], sides: list[int]) -> list[list[int]]:
    """Group faces: every group below MIN_FACE_AREA_M2 joins the neighbouring group on
    the same bank with which it shares the longest boundary."""
    shared = _shared_lengths(faces)
    groups: dict[int, list[int]] = {i: [i] for i in range(len(faces))}
    area = {i: faces[i].area for i in range(len(faces))}
    owner = list(range(len(faces)))
    while True:
        small = [g for g in sorted(groups) if area[g] < MIN_FACE_AREA_M2]
        if not small:
            break
        group = min(small, key=lambda g: (area[g], g))
        border: dict[int, float] = {}
        for (i, j), length in shared.items():
            gi, gj = owner[i], owner[j]
            if gi == gj or group not in (gi, gj):
                continue
            other = gj if gi == group else gi
            if sides[other] != sides[group]:
                continue
            border[other] = border.get(other, 0.0) + length
        if not border:
            raise RuntimeError("a small face has no neighbour on its river bank")
        target = max(sorted(border), key=lambda g: border[g])
        groups[target].extend(groups.pop(group))
        area[target] += area.pop(group)
        for face in groups[target]:
            owner[face] = target
    return [sorted(members) for _, members in sorted(groups.items())]


def _grow_districts(
    centroids: list[tuple[float, float]], sides: list[int], shared: dict[tuple[int, int], float]
) -> list[int]:
    """Assign every unit to a district: multi-source growth over the adjacency graph,
    always taking the unassigned neighbour closest to its district's centre. Growth
    does not cross the river, so each Stadtteil stays on one bank."""
    n = len(centroids)
    neighbours: dict[int, list[int]] = {i: [] for i in range(n)}
    for i, j in sorted(shared):
        neighbours[i].append(j)
        neighbours[j].append(i)
    owner = [-1] * n

    def distance(unit: int, district: int) -> float:
        cx, cy = DISTRICTS[district].centre
        return math.hypot(centroids[unit][0] - cx, centroids[unit][1] - cy)

    heap: list[tuple[float, int, int]] = []
    bank: list[int] = []  # the river bank each district grows on
    for district in range(len(DISTRICTS)):
        free = [u for u in range(n) if owner[u] == -1]
        seed = min(free, key=lambda u: (distance(u, district), u))
        owner[seed] = district
        bank.append(sides[seed])
        for other in neighbours[seed]:
            heapq.heappush(heap, (distance(other, district), other, district))
    while heap:
        _, unit, district = heapq.heappop(heap)
        if owner[unit] != -1:
            continue
        if sides[unit] != bank[district]:
            continue
        owner[unit] = district
        for other in neighbours[unit]:
            if owner[other] == -1:
                heapq.heappush(heap, (distance(other, district), other, district))
    if -1 in owner:
        raise RuntimeError("some Sozialräume could not be reached from a district centre")
    return owner


def _direction(dx: float, dy: float) -> str:
    angle = math.degrees(math.atan2(dy, dx)) % 360.0
    return COMPASS[int(((angle + 22.5) % 360.0) // 45.0)]


def _join(district: str, suffix: str) -> str:
    return f"{district}-{suffix}" if " " not in district else f"{district} {suffix}"


SPECIAL_NAMES = {
    "hafen": "Hafen Kaianlagen",
    "gewerbe": "Gewerbegebiet {district}",
    "park": "Stadtpark",
    "grosssiedlung": "Heidesiedlung",
}


def _name_units(district: DistrictSpec, polygons: list[Polygon], roles: list[str]) -> list[str]:
    """German names: special roles get their own name, the central Sozialraum "-Mitte",
    the others their compass direction within the Stadtteil; a direction that repeats
    takes the next local landmark ("Lindenhof Schulzentrum"), then a number."""
    union_centre = shapely.union_all(polygons).centroid
    offsets = [(p.centroid.x - union_centre.x, p.centroid.y - union_centre.y) for p in polygons]
    spread = max(math.hypot(dx, dy) for dx, dy in offsets) or 1.0
    names: list[str] = [
        SPECIAL_NAMES[role].format(district=district.name) if role else "" for role in roles
    ]
    used = {name for name in names if name}
    landmarks = [
        f"{district.name} {landmark}"
        for landmark in district.landmarks
        if not any(landmark in name for name in used)
    ]
    order = sorted(range(len(polygons)), key=lambda i: (math.hypot(*offsets[i]), i))
    central = math.hypot(*offsets[order[0]]) < 0.45 * spread
    if len(polygons) >= 3 and not names[order[0]] and central and "Mitte" not in district.name:
        names[order[0]] = _join(district.name, "Mitte")
        used.add(names[order[0]])
    for index in order:
        if names[index]:
            continue
        candidate = _join(district.name, _direction(*offsets[index]))
        while candidate in used:
            candidate = landmarks.pop(0) if landmarks else _next_number(candidate)
        names[index] = candidate
        used.add(candidate)
    return names


def _next_number(name: str) -> str:
    stem, _, number = name.rpartition(" ")
    return f"{stem} {int(number) + 1}" if number.isdigit() else f"{name} 2"


def _foerdergebiet(north: Polygon, station: Polygon, city: Polygon, units) -> Polygon:
    """A smooth blob over the border of Nordstadt and Bahnhofsviertel, the smallest
    scale that overlaps five Sozialräume (else four or six) and cuts through at least
    two of them."""
    border = shapely.line_merge(north.boundary.intersection(station.boundary))
    if border.length == 0:
        raise RuntimeError("Nordstadt and Bahnhofsviertel must share a boundary")
    longest = max(shapely.get_parts(border), key=lambda part: part.length)
    midpoint = shapely.line_interpolate_point(longest, 0.5, normalized=True)
    theta = np.linspace(0.0, 2.0 * math.pi, 72, endpoint=False)
    wobble = 1.0 + 0.12 * np.cos(3 * theta + 0.4) + 0.07 * np.cos(5 * theta + 1.9)
    rotation = math.radians(25.0)
    candidates: list[tuple[int, float, Polygon]] = []
    for scale in np.arange(0.5, 2.0, 0.05):
        rx, ry = 900.0 * scale * wobble, 620.0 * scale * wobble
        x0, y0 = rx * np.cos(theta), ry * np.sin(theta)
        x = midpoint.x + x0 * math.cos(rotation) - y0 * math.sin(rotation)
        y = midpoint.y + x0 * math.sin(rotation) + y0 * math.cos(rotation)
        blob = shapely.set_precision(Polygon(np.column_stack([x, y])), GRID_M)
        blob = shapely.intersection(blob, city, grid_size=GRID_M)
        covered = [blob.intersection(u.polygon).area / u.polygon.area for u in units]
        touched = sum(1 for share in covered if share > 0.02)
        partly = sum(1 for share in covered if 0.02 < share < 0.9)
        if 4 <= touched <= 6 and partly >= 2:
            candidates.append((abs(touched - 5), float(scale), blob))
    if not candidates:
        raise RuntimeError("no Fördergebiet shape overlaps four to six Sozialräume")
    return min(candidates, key=lambda candidate: candidate[:2])[2]


# --- from metres to WGS84 ------------------------------------------------------------------


class _ToWgs84:
    def __init__(self) -> None:
        to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
        x, y = to_metric.transform(*CENTRE_LONLAT)
        self.origin = (float(round(x)), float(round(y)))
        self.transformer = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def coordinates(self, xy: np.ndarray) -> np.ndarray:
        lon, lat = self.transformer.transform(xy[:, 0] + self.origin[0], xy[:, 1] + self.origin[1])
        lonlat = np.column_stack([lon, lat])
        # round exactly as the file writes them: parse back the formatted decimals
        return np.char.mod(f"%.{DECIMALS}f", lonlat).astype(float)

    def __call__(self, geometry):
        return shapely.transform(geometry, self.coordinates)


def _single_polygon(geometry) -> Polygon:
    if geometry.geom_type != "Polygon":
        raise RuntimeError(f"expected one polygon, got {geometry.geom_type}")
    return shapely.orient_polygons(geometry, exterior_cw=False)


def build(rng: np.random.Generator) -> Geography:
    outline = _outline()
    river = _river()
    seeds = _seed_points(rng, outline)
    faces = _faces(outline, river, seeds, rng)
    halves = _river_sides(outline, river)
    face_sides = [0 if halves[0].contains(face.representative_point()) else 1 for face in faces]

    groups = _merge_small_faces(faces, face_sides)
    polygons = [shapely.union_all([faces[i] for i in group], grid_size=GRID_M) for group in groups]
    sides = [face_sides[group[0]] for group in groups]
    shared = _shared_lengths(polygons)
    centroids = [(p.centroid.x, p.centroid.y) for p in polygons]
    owner = _grow_districts(centroids, sides, shared)

    units = _make_units(polygons, owner)
    by_district = [[u for u in units if u.district == d] for d in range(len(DISTRICTS))]
    district_polygons = tuple(
        _single_polygon(shapely.union_all([u.polygon for u in members], grid_size=GRID_M))
        for members in by_district
    )
    city = _single_polygon(shapely.union_all(list(district_polygons), grid_size=GRID_M))
    names = [d.name for d in DISTRICTS]
    foerder = _foerdergebiet(
        district_polygons[names.index("Nordstadt")],
        district_polygons[names.index("Bahnhofsviertel")],
        city,
        units,
    )
    foerder = _single_polygon(foerder)

    to_wgs84 = _ToWgs84()
    areas = [DemoArea(STADT, STADT_KEY, CITY_NAME, None, to_wgs84(city))]
    for index, (spec, polygon) in enumerate(zip(DISTRICTS, district_polygons, strict=True)):
        areas.append(
            DemoArea(STADTTEIL, _district_key(index), spec.name, STADT_KEY, to_wgs84(polygon))
        )
    for unit in units:
        areas.append(
            DemoArea(SOZIALRAUM, unit.key, unit.name, unit.key[:2], to_wgs84(unit.polygon))
        )
    areas.append(
        DemoArea(FOERDERGEBIET, FOERDERGEBIET_KEY, FOERDERGEBIET_NAME, STADT_KEY, to_wgs84(foerder))
    )

    neighbours: dict[str, list[str]] = {u.key: [] for u in units}
    for i, j in _shared_lengths([u.polygon for u in units]):
        neighbours[units[i].key].append(units[j].key)
        neighbours[units[j].key].append(units[i].key)

    river_inside = shapely.intersection(river, city, grid_size=GRID_M)
    if river_inside.geom_type != "LineString":
        river_inside = shapely.line_merge(river_inside)
    return Geography(
        areas=tuple(areas),
        units=tuple(units),
        district_polygons=district_polygons,
        foerdergebiet=foerder,
        river=to_wgs84(river_inside),
        neighbours={key: tuple(sorted(keys)) for key, keys in sorted(neighbours.items())},
    )


def _district_key(index: int) -> str:
    return f"{index + 1:02d}"


def _make_units(polygons: list[Polygon], owner: list[int]) -> list[Unit]:
    units: list[Unit] = []
    for district_index, spec in enumerate(DISTRICTS):
        members = [k for k in range(len(polygons)) if owner[k] == district_index]
        # keys run from north-west to south-east in 1 km bands
        members.sort(
            key=lambda k: (-math.floor(polygons[k].centroid.y / 1000.0), polygons[k].centroid.x)
        )
        member_polygons = [_single_polygon(polygons[k]) for k in members]
        roles = _roles(spec, member_polygons)
        names = _name_units(spec, member_polygons, roles)
        for number, (polygon, name, role) in enumerate(
            zip(member_polygons, names, roles, strict=True), start=1
        ):
            key = f"{_district_key(district_index)}{number:02d}"
            units.append(Unit(key, name, district_index, polygon, role))
    return units


def _roles(spec: DistrictSpec, polygons: list[Polygon]) -> list[str]:
    """Special Sozialräume with few residents (harbour, industrial area, park) and the
    large housing estate at the north-western edge."""
    roles = [""] * len(polygons)
    if len(polygons) < 2:
        return roles

    def pick(score) -> int:
        return min(range(len(polygons)), key=lambda i: (score(polygons[i]), i))

    if spec.name == "Hafen":
        roles[pick(lambda p: -p.centroid.y)] = "hafen"  # next to the river (north edge)
    elif spec.name == "Ostfeld":
        roles[pick(lambda p: -p.centroid.x)] = "gewerbe"  # the eastern edge
    elif spec.name == "Südpark":
        cx, cy = spec.centre
        roles[pick(lambda p: math.hypot(p.centroid.x - cx, p.centroid.y - cy))] = "park"
    elif spec.name == "Heide":
        roles[pick(lambda p: -math.hypot(p.centroid.x, p.centroid.y))] = "grosssiedlung"
    return roles
