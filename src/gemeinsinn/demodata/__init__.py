"""Demo data: the fictional city "Musterstadt", generated deterministically.

Pure Python (numpy, shapely, pyproj, openpyxl), no Django. The platform imports the
written files through its normal import path, as it would a real city's data:

    from gemeinsinn.demodata import write_demo_files
    files = write_demo_files(Path("var/demo"))
    files.boundaries      # (level code, GeoJSON path), top-down
    files.statistik_csv   # long German CSV, all years
    files.statistik_xlsx  # wide XLSX, latest year
    files.city            # the same data in memory (DemoCity)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import geography, population
from .files import DemoFiles, render_files, write_files
from .geography import CITY_NAME, FOERDERGEBIET_KEY, STADT_KEY
from .model import (
    FOERDERGEBIET,
    LEVELS,
    SOZIALRAUM,
    STADT,
    STADTTEIL,
    DemoArea,
    DemoCity,
    DemoStatistics,
    Level,
)

SEED = 2025
BOUNDARIES_VALID_FROM = "2021-01-01"
SOURCE = "Fiktive Demodaten der Stadt Musterstadt (gemeinsinn) – keine realen Orte oder Personen"

__all__ = [
    "CITY_NAME",
    "FOERDERGEBIET",
    "FOERDERGEBIET_KEY",
    "LEVELS",
    "SEED",
    "SOZIALRAUM",
    "STADT",
    "STADTTEIL",
    "STADT_KEY",
    "DemoArea",
    "DemoCity",
    "DemoFiles",
    "DemoStatistics",
    "Level",
    "generate",
    "render_files",
    "write_demo_files",
]


def generate() -> DemoCity:
    """Build Musterstadt in memory: the same result on every run and in every process."""
    geo = geography.build(np.random.default_rng([SEED, 1]))
    statistics = population.build(
        list(geo.units),
        population.foerder_centre_of(geo.foerdergebiet),
        np.random.default_rng([SEED, 2]),
        np.random.default_rng([SEED, 3]),
    )
    order = {level.code: level.order for level in LEVELS}
    areas = tuple(sorted(geo.areas, key=lambda area: (order[area.level], area.key)))
    return DemoCity(
        name=CITY_NAME,
        levels=LEVELS,
        areas=areas,
        statistics=statistics,
        river=geo.river,
        boundaries_valid_from=BOUNDARIES_VALID_FROM,
        source=SOURCE,
    )


def write_demo_files(directory: Path) -> DemoFiles:
    """Generate Musterstadt and write its six files into directory (created if needed)."""
    return write_files(generate(), Path(directory))
