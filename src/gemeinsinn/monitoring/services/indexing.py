"""The social index: inputs from the stored values, runs stored with their settings and
checksums, recomputation."""

import hashlib
import json
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

import gemeinsinn
from gemeinsinn.analysis.index import (
    IndexInputError,
    IndexSettings,
    IndicatorWeight,
    compute_index,
)
from gemeinsinn.areas.models import Area
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.monitoring.default_catalogue import POPULATION
from gemeinsinn.monitoring.models import (
    IndexDefinition,
    IndexResult,
    IndexRun,
)
from gemeinsinn.monitoring.services.statistics import real_user
from gemeinsinn.monitoring.services.values import values_frame


@dataclass
class IndexInputs:
    areas: list[Area]
    population: np.ndarray
    values: dict[str, np.ndarray]
    status_codes: list[str]
    dynamics_codes: list[str]

    def checksum(self) -> str:
        payload = {
            "areas": [a.key for a in self.areas],
            "population": [_canonical(v) for v in self.population],
            "values": {c: [_canonical(v) for v in self.values[c]] for c in sorted(self.values)},
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _canonical(value: float) -> str | None:
    return None if value is None or np.isnan(value) else repr(float(value))


def _value_matrix(level, codes, year, areas):
    frame = values_frame(level, codes, [year])
    positions = {area.pk: i for i, area in enumerate(areas)}
    result = {code: np.full(len(areas), np.nan) for code in codes}
    for code, area_id, _year, value, _flag in frame.rows():
        if value is not None and area_id in positions:
            result[code][positions[area_id]] = value
    return result


def index_inputs(definition: IndexDefinition, year: int) -> IndexInputs:
    areas = list(Area.objects.filter(level=definition.level).order_by("key"))
    status_codes = [entry["code"] for entry in definition.status_indicators]
    current = _value_matrix(definition.level, [*status_codes, POPULATION], year, areas)
    values = {code: current[code] for code in status_codes}
    dynamics_codes: list[str] = []
    if definition.dynamics_mode == "change":
        before = _value_matrix(
            definition.level, status_codes, year - definition.dynamics_span, areas
        )
        for code in status_codes:
            dynamics_codes.append(f"{code}__change")
            values[f"{code}__change"] = current[code] - before[code]
    elif definition.dynamics_mode == "indicators":
        dynamics_codes = [entry["code"] for entry in definition.dynamics_indicators]
        values.update(_value_matrix(definition.level, dynamics_codes, year, areas))
    return IndexInputs(areas, current[POPULATION], values, status_codes, dynamics_codes)


def index_settings(definition: IndexDefinition, inputs: IndexInputs) -> IndexSettings:
    def weights(entries, codes):
        return tuple(
            IndicatorWeight(
                code=code,
                weight=float(entry.get("weight", 1.0)),
                higher_is_worse=bool(entry.get("higher_is_worse", True)),
            )
            for entry, code in zip(entries, codes, strict=True)
        )

    dynamics_entries = (
        definition.status_indicators
        if definition.dynamics_mode == "change"
        else definition.dynamics_indicators
    )
    extra = {}
    if definition.class_scheme == "quantiles":
        from gemeinsinn.analysis.classify import ClassScheme

        extra["status_classes"] = ClassScheme.quantiles(definition.quantile_classes)
    return IndexSettings(
        status=weights(definition.status_indicators, inputs.status_codes),
        dynamics=weights(dynamics_entries, inputs.dynamics_codes) if inputs.dynamics_codes else (),
        min_population=definition.min_population,
        exclude=definition.excluded_key_set(),
        reference=definition.reference_key_set(),
        **extra,
    )


def _settings_snapshot(definition: IndexDefinition, year: int) -> dict:
    return {
        "definition": definition.slug,
        "year": year,
        "level": definition.level.code,
        "status_indicators": definition.status_indicators,
        "dynamics_mode": definition.dynamics_mode,
        "dynamics_indicators": definition.dynamics_indicators,
        "dynamics_span": definition.dynamics_span,
        "min_population": definition.min_population,
        "excluded_keys": sorted(definition.excluded_key_set()),
        "reference_keys": sorted(definition.reference_key_set() or []),
        "class_scheme": definition.class_scheme,
        "quantile_classes": definition.quantile_classes,
    }


def _evaluate(definition: IndexDefinition, year: int):
    inputs = index_inputs(definition, year)
    try:
        result = compute_index(
            [a.key for a in inputs.areas],
            inputs.population,
            inputs.values,
            index_settings(definition, inputs),
        )
    except IndexInputError as error:
        raise InputError(
            [
                Problem(
                    _("Der Index „%(name)s“ kann für %(year)s nicht berechnet werden: %(error)s")
                    % {"name": definition.name, "year": year, "error": error},
                    hint=_("Prüfen Sie, ob die Indikatoren für dieses Jahr importiert sind."),
                )
            ]
        ) from error
    return inputs, result


def _result_rows(inputs: IndexInputs, result) -> list[dict]:
    rows = []
    dynamics = result.dynamics_index is not None
    for i, area in enumerate(inputs.areas):
        included = bool(result.included[i])
        rows.append(
            {
                "area": area,
                "included": included,
                "exclusion_reason": result.exclusion_reason[i] or "",
                "status_index": float(result.status_index[i]) if included else None,
                "status_class": int(result.status_class[i]) if included else None,
                "dynamics_index": float(result.dynamics_index[i])
                if included and dynamics
                else None,
                "dynamics_class": int(result.dynamics_class[i]) if included and dynamics else None,
                "combined_class": (result.combined_class[i] or "") if included else "",
                "contributions": {
                    code: float(values[i])
                    for code, values in result.contributions.items()
                    if included
                },
            }
        )
    return rows


def _results_checksum(rows: list[dict]) -> str:
    payload = [
        [
            r["area"].key,
            r["included"],
            _canonical_opt(r["status_index"]),
            r["status_class"],
            _canonical_opt(r["dynamics_index"]),
            r["dynamics_class"],
            r["combined_class"],
        ]
        for r in rows
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _canonical_opt(value):
    return None if value is None else repr(float(value))


def run_index(definition: IndexDefinition, year: int, user=None) -> IndexRun:
    """Compute the index for a year and store it with its settings and checksums."""
    inputs, result = _evaluate(definition, year)
    rows = _result_rows(inputs, result)
    if not any(r["included"] for r in rows):
        raise InputError(
            [
                Problem(
                    _("Für %(year)s hat kein Gebiet vollständige Werte für den Index.")
                    % {"year": year},
                    hint=_("Prüfen Sie, ob die Statusindikatoren für dieses Jahr importiert sind."),
                )
            ]
        )
    with transaction.atomic():
        run = IndexRun.objects.create(
            definition=definition,
            year=year,
            parameters=_settings_snapshot(definition, year),
            input_checksum=inputs.checksum(),
            result_checksum=_results_checksum(rows),
            statistics=_jsonable(getattr(result, "statistics", {})),
            warnings=list(result.warnings),
            software_version=gemeinsinn.__version__,
            created_by=real_user(user),
        )
        IndexResult.objects.bulk_create(
            IndexResult(run=run, **{k: v for k, v in row.items()}) for row in rows
        )
        record(
            "index.run",
            _("Index „%(name)s“ für %(year)s berechnet") % {"name": definition.name, "year": year},
            actor=user,
            run=run.pk,
            input_checksum=run.input_checksum,
        )
    return run


@dataclass
class Verification:
    same_inputs: bool
    same_results: bool


def verify_run(run: IndexRun) -> Verification:
    """Recompute a stored run from the current data: same inputs must give the same numbers."""
    inputs, result = _evaluate(run.definition, run.year)
    rows = _result_rows(inputs, result)
    return Verification(
        same_inputs=inputs.checksum() == run.input_checksum,
        same_results=_results_checksum(rows) == run.result_checksum,
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def latest_run(definition: IndexDefinition, year: int | None = None) -> IndexRun | None:
    runs = definition.runs.all()
    if year is not None:
        runs = runs.filter(year=year)
    return runs.order_by("-year", "-created_at").first()


def default_index() -> IndexDefinition | None:
    """The published index with the most recent computed year (the oldest definition on ties)."""
    return (
        IndexDefinition.objects.filter(is_published=True)
        .annotate(latest=Max("runs__year"))
        .order_by(F("latest").desc(nulls_last=True), "pk")
        .first()
    )
