"""The monitoring part of the demo: Musterstadt's boundaries and five years of statistics,
imported through the same services as a planner's files, then the social index."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import SpatialLevel
from gemeinsinn.demodata import DemoFiles, write_demo_files
from gemeinsinn.demodata import model as demo_model
from gemeinsinn.monitoring import services
from gemeinsinn.monitoring.models import IndexDefinition

MSS_LIKE_STATUS = ["arbeitslosenanteil", "transferbezug", "kinderarmut_u15"]


def create_levels(levels) -> dict[str, SpatialLevel]:
    created: dict[str, SpatialLevel] = {}
    for level in levels:
        created[level.code], _ = SpatialLevel.objects.update_or_create(
            code=level.code,
            defaults={
                "name": level.name,
                "name_plural": level.name_plural,
                "order": level.order,
                "is_target_area": level.is_target_area,
                "parent": None if level.is_target_area else created.get(level.parent),
            },
        )
    return created


def load(directory: Path, user) -> Iterator[str]:
    yield from import_city(write_demo_files(directory), user)


def import_city(files: DemoFiles, user) -> Iterator[str]:
    """Import a generated city's files as a planner would, then compute its social index
    (also used by bench/report_speed.py for larger generated cities)."""
    levels = create_levels(demo_model.LEVELS)
    valid_from = dt.date.fromisoformat(files.boundaries_valid_from)
    for code, path in files.boundaries.items():
        preview = area_services.import_boundaries(
            path.read_bytes(), path.name, levels[code], valid_from=valid_from, user=user
        )
        yield f"Gebiete: {len(preview.features)} {levels[code].plural} aus {path.name}"
    services.ensure_default_catalogue()
    finest = levels[demo_model.SOZIALRAUM]
    for path, year in files.statistics:
        dataset = services.import_statistics(
            path.read_bytes(), path.name, finest, year=year, user=user, source="Demodaten"
        )
        yield f"Statistik: {dataset.report['rows']} Werte aus {path.name}"
    definition, _ = IndexDefinition.objects.update_or_create(
        slug="sozialindex",
        defaults={
            "name": "Sozialindex (Methode des Berliner Monitorings)",
            "description": (
                "Der Sozialindex fasst Arbeitslosigkeit, Transferbezug und Kinderarmut der "
                "Sozialräume zusammen (Status) und zeigt ihre Veränderung über zwei Jahre "
                "(Dynamik)."
            ),
            "level": finest,
            "status_indicators": [
                {"code": code, "weight": 1.0, "higher_is_worse": True} for code in MSS_LIKE_STATUS
            ],
            "dynamics_mode": "change",
            "dynamics_span": 2,
            "min_population": 300,
        },
    )
    years = services.available_years(finest)
    for year in years:
        if year - definition.dynamics_span in years:
            run = services.run_index(definition, year, user)
            yield f"Sozialindex {year}: {run.results.filter(included=True).count()} Sozialräume"
