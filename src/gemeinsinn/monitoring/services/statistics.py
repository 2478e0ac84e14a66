"""Importing statistics tables: validation report first, then all or nothing."""

import hashlib
from dataclasses import dataclass, field

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError, Problem, errors
from gemeinsinn.formats.tables import parse_observations
from gemeinsinn.monitoring.models import (
    Dataset,
    Indicator,
)
from gemeinsinn.monitoring.services.values import (
    Progress,
    aggregate_upwards,
    recompute_derived,
    update_population,
    upsert_values,
)

DEFAULT_SENTINELS = ("-9999",)  # numbers that mean "missing" in many statistics exports


@dataclass
class StatisticsPreview:
    file_name: str
    checksum: str
    observations: pl.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    area_count: int = 0

    @property
    def has_errors(self) -> bool:
        return bool(errors(self.problems))

    @property
    def row_count(self) -> int:
        return 0 if self.observations is None else self.observations.height


def _importable_indicators() -> dict[str, str]:
    """Codes a table may contain: counts, and shares or rates a city has only as a share."""
    return dict(Indicator.objects.values_list("code", "kind"))


def preview_statistics(
    data: bytes,
    file_name: str,
    level: SpatialLevel,
    year: int | None = None,
    sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
) -> StatisticsPreview:
    preview = StatisticsPreview(file_name=file_name, checksum=hashlib.sha256(data).hexdigest())
    keys = set(Area.objects.filter(level=level).values_list("key", flat=True))
    if not keys:
        preview.problems.append(
            Problem(
                _("Für die Ebene „%(level)s“ sind noch keine Gebiete angelegt.")
                % {"level": level.name},
                file=file_name,
                hint=_("Laden Sie zuerst die Gebietsgrenzen dieser Ebene hoch."),
            )
        )
        return preview
    parsed = parse_observations(
        data,
        file_name,
        known_area_keys=keys,
        indicators=_importable_indicators(),
        year=year,
        sentinels=sentinels,
    )
    preview.problems.extend(parsed.problems)
    preview.observations = parsed.frame
    if parsed.frame is not None and parsed.frame.height:
        preview.years = sorted(parsed.frame["year"].unique().to_list())
        preview.indicators = sorted(parsed.frame["indicator"].unique().to_list())
        preview.area_count = parsed.frame["area_key"].n_unique()
    return preview


def import_statistics(
    data: bytes,
    file_name: str,
    level: SpatialLevel,
    *,
    year: int | None = None,
    user=None,
    source: str = "",
    dataset: Dataset | None = None,
    progress: Progress | None = None,
    sentinels: tuple[str, ...] = DEFAULT_SENTINELS,
) -> Dataset:
    """Validate and store a statistics table, all or nothing; then derive the shares."""
    preview = preview_statistics(data, file_name, level, year, sentinels)
    if preview.has_errors:
        raise InputError(preview.problems)
    report = {"warnings": [str(p) for p in preview.problems], "rows": preview.row_count}
    with transaction.atomic():
        if dataset is None:
            dataset = Dataset(kind="statistics", created_by=real_user(user))
        dataset.level = level
        dataset.file_name = file_name
        dataset.checksum = preview.checksum
        dataset.year = year
        dataset.source = source
        dataset.status = "running"
        dataset.report = report
        dataset.save()
        written = _write_values(preview.observations, level, dataset.pk, progress)
        touched_years = sorted(set(preview.years) | {y + 1 for y in preview.years})
        recompute_derived(level, touched_years)
        update_population(level)
        aggregate_upwards(level, written)
        dataset.status = "imported"
        dataset.imported_at = timezone.now()
        dataset.progress = 100
        dataset.save()
        record(
            "statistics.import",
            _("%(rows)d Werte aus %(file)s importiert (Jahre %(years)s)")
            % {
                "rows": preview.row_count,
                "file": file_name,
                "years": ", ".join(map(str, preview.years)),
            },
            actor=user,
            dataset=dataset.pk,
            checksum=preview.checksum,
        )
    return dataset


def real_user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _write_values(
    frame: pl.DataFrame, level: SpatialLevel, dataset_id: int | None, progress: Progress | None
) -> pl.DataFrame:
    """Store the parsed observations; returns them as value rows (ids instead of keys)."""
    area_ids = dict(Area.objects.filter(level=level).values_list("key", "id"))
    indicator_ids = dict(Indicator.objects.values_list("code", "id"))
    values = frame.select(
        pl.col("indicator")
        .replace_strict(indicator_ids, return_dtype=pl.Int64)
        .alias("indicator_id"),
        pl.col("area_key").replace_strict(area_ids, return_dtype=pl.Int64).alias("area_id"),
        pl.col("year").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
        pl.col("flag").fill_null(""),
        pl.lit(dataset_id, dtype=pl.Int64).alias("dataset_id"),
    )
    upsert_values(values, progress)
    return values
