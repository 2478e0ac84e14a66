"""Use cases of the spatial hierarchy: importing boundaries, finding the area of a point."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area, Boundary, SpatialLevel
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError, Problem, errors
from gemeinsinn.geo import boundaries as geo_boundaries
from gemeinsinn.geo.pointinarea import AreaLocator


@dataclass
class BoundaryPreview:
    """What an import would do, shown to the planner before confirming."""

    file_name: str
    checksum: str
    features: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_keys: list[str] = field(default_factory=list)
    changed_keys: list[str] = field(default_factory=list)
    unchanged_keys: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(errors(self.problems))


def preview_boundaries(
    data: bytes,
    file_name: str,
    level: SpatialLevel,
    *,
    key_property: str | None = None,
    name_property: str | None = None,
    parent_property: str | None = None,
    parent_key_length: int | None = None,
) -> BoundaryPreview:
    """What importing the file would do. `parent_key_length`: the parent's key is the start
    of the area's key (Berlin LOR: Planungsraum 01011101 lies in Bezirksregion 010111)."""
    preview = BoundaryPreview(file_name=file_name, checksum=hashlib.sha256(data).hexdigest())
    parsed = geo_boundaries.parse_boundaries(
        data,
        file_name,
        key_property=key_property,
        name_property=name_property,
        parent_property=parent_property,
        parent_key_length=parent_key_length,
    )
    features = parsed.features
    preview.problems.extend(parsed.problems)
    if level.parent_id:
        parent_keys = set(
            Area.objects.filter(level_id=level.parent_id).values_list("key", flat=True)
        )
        if len(parent_keys) == 1:  # below the city level, every area belongs to the city
            only_parent = next(iter(parent_keys))
            features = [replace(f, parent_key=f.parent_key or only_parent) for f in features]
        preview.problems.extend(
            geo_boundaries.check_hierarchy(features, parent_keys, file=file_name)
        )
    preview.features = features
    current = {
        b.area.key: b.geojson
        for b in Boundary.objects.filter(area__level=level, valid_to__isnull=True).select_related(
            "area"
        )
    }
    for feature in features:
        geojson = _geojson_text(feature.geometry)
        if feature.key not in current:
            preview.new_keys.append(feature.key)
        elif current[feature.key] != geojson:
            preview.changed_keys.append(feature.key)
        else:
            preview.unchanged_keys.append(feature.key)
    return preview


def import_boundaries(
    data: bytes,
    file_name: str,
    level: SpatialLevel,
    *,
    valid_from: dt.date,
    user=None,
    source: str = "",
    **properties,
) -> BoundaryPreview:
    """Create or update the areas of a level and their boundary versions, all or nothing.
    A changed outline closes the old version the day before `valid_from`."""
    preview = preview_boundaries(data, file_name, level, **properties)
    if preview.has_errors:
        raise InputError(preview.problems)
    parents = {}
    if level.parent_id:
        parents = {a.key: a for a in Area.objects.filter(level_id=level.parent_id)}
    with transaction.atomic():
        for feature in preview.features:
            area, _created = Area.objects.update_or_create(
                level=level,
                key=feature.key,
                defaults={"name": feature.name, "parent": parents.get(feature.parent_key)},
            )
            if feature.key in preview.unchanged_keys:
                continue
            Boundary.objects.filter(area=area, valid_to__isnull=True).update(
                valid_to=valid_from - dt.timedelta(days=1)
            )
            min_lon, min_lat, max_lon, max_lat = feature.geometry.bounds
            Boundary.objects.create(
                area=area,
                valid_from=valid_from,
                geojson=_geojson_text(feature.geometry),
                min_lon=min_lon,
                min_lat=min_lat,
                max_lon=max_lon,
                max_lat=max_lat,
                area_m2=feature.area_m2,
                source=source or file_name,
            )
        record(
            "boundaries.import",
            _("%(count)d Gebiete der Ebene %(level)s aus %(file)s importiert")
            % {"count": len(preview.features), "level": level.name, "file": file_name},
            actor=user,
            checksum=preview.checksum,
            new=len(preview.new_keys),
            changed=len(preview.changed_keys),
        )
    area_locator.cache_clear()
    return preview


def _geojson_text(geometry) -> str:
    return json.dumps(shapely.geometry.mapping(geometry), separators=(",", ":"))


@lru_cache(maxsize=16)
def area_locator(level_id: int) -> tuple[AreaLocator, list[int]]:
    boundaries = list(
        Boundary.objects.filter(area__level_id=level_id, valid_to__isnull=True).only(
            "area_id", "geojson"
        )
    )
    geometries = [shapely.geometry.shape(json.loads(b.geojson)) for b in boundaries]
    ids = [b.area_id for b in boundaries]
    return AreaLocator(geometries, [str(i) for i in ids]), ids


def locate(lon: float, lat: float, level: SpatialLevel) -> Area | None:
    """The area of the level that contains the WGS84 point, or None outside the city."""
    locator, ids = area_locator(level.pk)
    index = locator.locate(np.array([lon]), np.array([lat]))[0]
    return Area.objects.get(pk=ids[index]) if index >= 0 else None


def hierarchy_levels() -> list[SpatialLevel]:
    return list(SpatialLevel.objects.filter(is_target_area=False).order_by("order"))


def finest_level() -> SpatialLevel | None:
    levels = hierarchy_levels()
    return levels[-1] if levels else None


def ensure_levels(definitions: list[tuple[str, str, str, int, bool]]) -> list[SpatialLevel]:
    """Create the city's levels: (code, name, plural, order, is_target_area); the parent of a
    hierarchy level is the one above it."""
    created, parent = [], None
    for code, name, plural, order, is_target in definitions:
        level, _ = SpatialLevel.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_plural": plural,
                "order": order,
                "is_target_area": is_target,
                "parent": None if is_target else parent,
            },
        )
        if not is_target:
            parent = level
        created.append(level)
    return created
