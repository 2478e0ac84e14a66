"""Per-process caches of what every report needs and what rarely changes: the active
categories with their department and questions, and the areas of the finest level. They are
renewed after TTL seconds, and at once in this process when categories, questions or
boundaries are saved here (signals, see apps.py); other server processes follow within TTL.
Saves four queries of the seven a report costs."""

import threading
import time

import numpy as np

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area, Boundary

TTL = 10.0
_lock = threading.Lock()
_cache: dict = {}


def _cached(name: str, load):
    now = time.monotonic()
    entry = _cache.get(name)
    if entry is None or now - entry[0] > TTL:
        value = load()
        with _lock:
            _cache[name] = (now, value)
        return value
    return entry[1]


def clear(**_signal_arguments) -> None:
    with _lock:
        _cache.clear()


def _load_categories() -> dict:
    from gemeinsinn.servicerequests.models import Category

    return {
        c.code: c
        for c in Category.objects.filter(is_active=True)
        .select_related("department")
        .prefetch_related("attributes__values")
    }


def active_category(code: str):
    """The active category with this code (department and questions loaded), or None."""
    return _cached("categories", _load_categories).get(code)


def _load_areas() -> tuple[int | None, dict[int, Area]]:
    level = area_services.finest_level()
    if (
        level is None
        or not Boundary.objects.filter(area__level=level, valid_to__isnull=True).exists()
    ):
        return None, {}
    return level.pk, {a.pk: a for a in Area.objects.filter(level=level)}


def locate(lat: float, lon: float) -> tuple[Area | None, bool]:
    """(area, known): the finest-level area of the point; known is False while the city has
    no boundaries, so that no point can be checked."""
    level_id, areas = _cached("areas", _load_areas)
    if level_id is None:
        return None, False
    locator, ids = area_services.area_locator(level_id)
    index = locator.locate(np.array([lon]), np.array([lat]))[0]
    return (areas.get(ids[index]) if index >= 0 else None), True
