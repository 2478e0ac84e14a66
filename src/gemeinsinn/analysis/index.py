"""General composite social index (status and dynamics), after the Berlin MSS method.

Procedure (method notes: shared docs, methods/social-index.md):

1. Include an area when its population is known and ≥ ``min_population``, it is not named
   in ``exclude`` and all its status (and dynamics) values are present.
2. Standardise each indicator over the reference areas (``reference`` ∩ included; all
   included areas by default): z = sign · (x − mean) / sd with the *population* sd
   (ddof=0); sign = −1 when a high value is good (``higher_is_worse=False``).
3. Weighted sum S = Σ wᵢ·zᵢ; re-standardise over the reference areas: index = S / sd(S).
4. Classify the unrounded index.

Contributions: S has mean 0 over the reference areas (each zᵢ has mean 0 there; the stored
``*_sum_standard.mean`` shows only a rounding residue of about 1e-16), so re-standardising
just divides by sd(S), and the index of every area is the plain sum of its contributions
cᵢ = wᵢ·zᵢ / sd(S). This holds also when the reference set is smaller than the included set
(over the included set the index then need not have mean 0; that is intended). No constant
term is needed; the index is computed as this sum, so the identity holds exactly.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gemeinsinn.analysis.classify import (
    MSS_DYNAMICS_CLASSES,
    MSS_STATUS_CLASSES,
    ClassScheme,
    combined_labels,
)

MISSING_POPULATION = "missing_population"
POPULATION_BELOW_MINIMUM = "population_below_minimum"
EXCLUDED_OUTLIER = "excluded_outlier"
MISSING_VALUES = "missing_values"

REASONS = (None, MISSING_POPULATION, POPULATION_BELOW_MINIMUM, EXCLUDED_OUTLIER, MISSING_VALUES)
"""Exclusion reasons in order of precedence (None = included)."""

VALID_LABEL = "gültig"

RELATIVE_TOLERANCE = 1e-10
"""A spread this small relative to its scale counts as none (constant or cancelling)."""


class IndexInputError(ValueError):
    """Input that makes an index impossible; the message (German) says what and how to fix."""


class ConstantIndicatorError(IndexInputError):
    """An indicator has the same value in every reference area (sd = 0)."""


@dataclass(frozen=True)
class IndicatorWeight:
    code: str
    weight: float = 1.0
    higher_is_worse: bool = True  # False: the z-value's sign is flipped before summing


@dataclass(frozen=True)
class IndexSettings:
    status: tuple[IndicatorWeight, ...]
    dynamics: tuple[IndicatorWeight, ...] = ()
    min_population: float = 300
    exclude: frozenset[str] = frozenset()  # outliers named by the publisher
    reference: frozenset[str] | None = None  # areas defining the standard; None = all included
    status_classes: ClassScheme = MSS_STATUS_CLASSES
    dynamics_classes: ClassScheme = MSS_DYNAMICS_CLASSES


@dataclass(frozen=True)
class Standard:
    """Mean and population sd over the reference areas."""

    mean: float
    sd: float


@dataclass(frozen=True)
class IndexResult:
    """Everything needed to publish, store and explain one index run.

    All per-area sequences are aligned with ``area_ids``. Index values are NaN and classes 0
    for areas that are not included. ``z`` and ``contributions`` hold one array per indicator
    code (status and dynamics); for every included area the contributions of the status
    indicators add up to ``status_index`` (likewise for dynamics).
    """

    area_ids: tuple[str, ...]
    included: np.ndarray  # bool
    in_reference: np.ndarray  # bool: the areas whose mean/sd define the standard
    exclusion_reason: tuple[str | None, ...]
    exclusion_label: tuple[str, ...]  # German, "gültig" for included areas
    status_index: np.ndarray
    dynamics_index: np.ndarray | None
    status_class: np.ndarray  # int, 0 = not included
    dynamics_class: np.ndarray | None
    combined_class: tuple[str | None, ...]
    z: dict[str, np.ndarray]
    contributions: dict[str, np.ndarray]
    indicator_standards: dict[str, Standard]
    status_sum_standard: Standard
    dynamics_sum_standard: Standard | None
    status_thresholds: tuple[float, ...]
    dynamics_thresholds: tuple[float, ...] | None
    warnings: tuple[str, ...]


def exclusion_labels(min_population: float) -> dict[str | None, str]:
    """German validity labels per exclusion reason (MSS wording where the MSS has one)."""
    return {
        None: VALID_LABEL,
        MISSING_POPULATION: "ungültig (EW unbekannt)",
        POPULATION_BELOW_MINIMUM: f"ungültig (EW unter {_german_number(min_population)})",
        EXCLUDED_OUTLIER: "ungültig (Ausreißer)",
        MISSING_VALUES: "ungültig (Werte fehlen)",
    }


def compute_index(
    area_ids: Sequence[str],
    population: np.ndarray,
    values: Mapping[str, np.ndarray],
    settings: IndexSettings,
) -> IndexResult:
    """Compute status (and dynamics) index, classes and contributions for all areas."""
    ids = tuple(area_ids)
    known_ids = _checked_area_ids(ids)
    population = _checked_array("Einwohnerzahl", population, len(ids))
    _check_settings(settings)
    codes = [item.code for item in (*settings.status, *settings.dynamics)]
    matrix = {
        code: _checked_array(f"Indikator {code}", _values_of(values, code), len(ids))
        for code in codes
    }
    warnings: list[str] = []

    missing = {code: ~np.isfinite(matrix[code]) for code in codes}
    # Later rules win: the first reason in REASONS order is the one reported.
    reason = np.zeros(len(ids), dtype=np.int8)
    reason[np.logical_or.reduce(list(missing.values()))] = REASONS.index(MISSING_VALUES)
    reason[_member_of(ids, settings.exclude)] = REASONS.index(EXCLUDED_OUTLIER)
    reason[population < settings.min_population] = REASONS.index(POPULATION_BELOW_MINIMUM)
    reason[np.isnan(population)] = REASONS.index(MISSING_POPULATION)
    included = reason == 0

    warnings += _missing_value_warnings(ids, reason == REASONS.index(MISSING_VALUES), missing)
    warnings += _unknown_id_warnings(known_ids, settings.exclude)
    in_reference = _reference_mask(ids, known_ids, included, settings.reference, warnings)

    status = _component("Status", settings.status, matrix, included, in_reference)
    dynamics = None
    if settings.dynamics:
        dynamics = _component("Dynamik", settings.dynamics, matrix, included, in_reference)
    status_class, status_thresholds = _classes(settings.status_classes, status, in_reference)
    dynamics_class = dynamics_thresholds = None
    if dynamics is not None:
        dynamics_class, dynamics_thresholds = _classes(
            settings.dynamics_classes, dynamics, in_reference
        )

    labels = [exclusion_labels(settings.min_population)[code] for code in REASONS]
    parts = (status,) if dynamics is None else (status, dynamics)
    return IndexResult(
        area_ids=ids,
        included=included,
        in_reference=in_reference,
        exclusion_reason=tuple(np.array(REASONS, dtype=object)[reason].tolist()),
        exclusion_label=tuple(np.array(labels, dtype=object)[reason].tolist()),
        status_index=status.index,
        dynamics_index=None if dynamics is None else dynamics.index,
        status_class=status_class,
        dynamics_class=dynamics_class,
        combined_class=tuple(
            combined_labels(status_class, dynamics_class, settings.dynamics_classes)
        ),
        z={code: z for part in parts for code, z in part.z.items()},
        contributions={code: c for part in parts for code, c in part.contributions.items()},
        indicator_standards={code: st for part in parts for code, st in part.standards.items()},
        status_sum_standard=status.sum_standard,
        dynamics_sum_standard=None if dynamics is None else dynamics.sum_standard,
        status_thresholds=status_thresholds,
        dynamics_thresholds=dynamics_thresholds,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class _Component:
    """Status or dynamics: the index and everything that explains it."""

    index: np.ndarray
    sum_standard: Standard
    z: dict[str, np.ndarray]
    contributions: dict[str, np.ndarray]
    standards: dict[str, Standard]


def _component(
    name: str,
    indicators: tuple[IndicatorWeight, ...],
    matrix: Mapping[str, np.ndarray],
    included: np.ndarray,
    in_reference: np.ndarray,
) -> _Component:
    """Standardise, weight, sum and re-standardise one group of indicators."""
    z, weighted, standards = {}, {}, {}
    for item in indicators:
        x = matrix[item.code]
        standard = _standard(x[in_reference])
        if standard.sd <= RELATIVE_TOLERANCE * abs(standard.mean):
            raise ConstantIndicatorError(
                f"Indikator {item.code} ({name}) hat in allen {int(in_reference.sum())} "
                f"Referenzgebieten denselben Wert {_german_number(standard.mean)}: "
                "er unterscheidet die Gebiete nicht und kann nicht standardisiert werden. "
                "Bitte den Indikator aus dem Index nehmen oder die Daten prüfen."
            )
        sign = 1.0 if item.higher_is_worse else -1.0
        z_item = (x - standard.mean) * (sign / standard.sd)
        z_item[~included] = np.nan
        standards[item.code] = standard
        z[item.code] = z_item
        weighted[item.code] = item.weight * z_item
    sum_standard = _standard(sum(weighted.values())[in_reference])
    # Each weighted z has sd wᵢ; a sum whose sd is tiny against Σwᵢ is rounding noise.
    if sum_standard.sd <= RELATIVE_TOLERANCE * sum(item.weight for item in indicators):
        raise IndexInputError(
            f"{name}-Index: die gewichtete Summe der z-Werte ist in allen Referenzgebieten "
            "gleich (die Indikatoren heben sich auf). Bitte Gewichte und Richtungen prüfen."
        )
    contributions = {code: part / sum_standard.sd for code, part in weighted.items()}
    return _Component(
        index=sum(contributions.values()),
        sum_standard=sum_standard,
        z=z,
        contributions=contributions,
        standards=standards,
    )


def _classes(
    scheme: ClassScheme, component: _Component, in_reference: np.ndarray
) -> tuple[np.ndarray, tuple[float, ...]]:
    reference_values = component.index[in_reference]
    return (
        scheme.classify(component.index, reference_values),
        scheme.thresholds_for(reference_values),
    )


def _standard(values: np.ndarray) -> Standard:
    mean = float(np.mean(values))
    deviation = values - mean
    return Standard(mean=mean, sd=float(np.sqrt(np.dot(deviation, deviation) / values.size)))


def _member_of(ids: tuple[str, ...], names: frozenset[str]) -> np.ndarray:
    if not names:
        return np.zeros(len(ids), dtype=bool)
    return np.fromiter((area in names for area in ids), dtype=bool, count=len(ids))


def _reference_mask(
    ids: tuple[str, ...],
    known_ids: set[str],
    included: np.ndarray,
    reference: frozenset[str] | None,
    warnings: list[str],
) -> np.ndarray:
    if reference is None:
        mask = included.copy()
    else:
        unknown = sorted(reference - known_ids)
        if unknown:
            raise IndexInputError(
                f"Referenzgebiete nicht in den Daten: {_id_list(unknown)}. "
                "Bitte die Gebietsschlüssel prüfen (führende Nullen?)."
            )
        named = _member_of(ids, reference)
        mask = named & included
        left_out = [ids[row] for row in np.flatnonzero(named & ~included)]
        if left_out:
            warnings.append(
                f"{len(left_out)} Referenzgebiete sind nicht im Index und zählen nicht zum "
                f"Maßstab: {_id_list(left_out)}."
            )
    if mask.sum() < 2:
        raise IndexInputError(
            f"Zu wenige Referenzgebiete im Index ({int(mask.sum())}): Mittelwert und "
            "Standardabweichung brauchen mindestens zwei. Bitte Mindest-Einwohnerzahl, "
            "Ausschlüsse und Referenzmenge prüfen."
        )
    return mask


def _missing_value_warnings(
    ids: tuple[str, ...], left_out: np.ndarray, missing: Mapping[str, np.ndarray]
) -> list[str]:
    """One German warning per area left out only because values are missing."""
    rows = np.flatnonzero(left_out)
    codes = list(missing)
    gaps = np.column_stack([missing[code][rows] for code in codes])
    return [
        f"Gebiet {ids[row]} fehlt im Index: keine Werte für "
        f"{', '.join(codes[column] for column in np.flatnonzero(gap))}. "
        "Bitte die Werte nachliefern oder das Gebiet bewusst ausschließen."
        for row, gap in zip(rows, gaps, strict=True)
    ]


def _unknown_id_warnings(known_ids: set[str], exclude: frozenset[str]) -> list[str]:
    unknown = sorted(exclude - known_ids)
    if not unknown:
        return []
    return [
        f"Auszuschließende Gebiete kommen in den Daten nicht vor: {_id_list(unknown)}. "
        "Bitte die Gebietsschlüssel prüfen (führende Nullen?)."
    ]


def _check_settings(settings: IndexSettings) -> None:
    if not settings.status:
        raise IndexInputError("Der Index braucht mindestens einen Status-Indikator.")
    codes = [item.code for item in (*settings.status, *settings.dynamics)]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise IndexInputError(
            f"Indikator mehrfach im Index: {', '.join(duplicates)}. Jeder Indikator darf nur "
            "einmal vorkommen (Status oder Dynamik)."
        )
    for item in (*settings.status, *settings.dynamics):
        if not np.isfinite(item.weight) or item.weight <= 0:
            raise IndexInputError(
                f"Gewicht von Indikator {item.code} ist {item.weight}: Gewichte müssen positive "
                "Zahlen sein. Für die Richtung bitte higher_is_worse verwenden."
            )


def _checked_area_ids(ids: tuple[str, ...]) -> set[str]:
    """The set of area ids; refuses duplicates."""
    known = set(ids)
    if len(known) != len(ids):
        duplicates = sorted(area for area, count in Counter(ids).items() if count > 1)
        raise IndexInputError(
            f"Gebietsschlüssel mehrfach vorhanden: {_id_list(duplicates)}. "
            "Jedes Gebiet darf nur einmal vorkommen."
        )
    return known


def _values_of(values: Mapping[str, np.ndarray], code: str) -> np.ndarray:
    if code not in values:
        raise IndexInputError(
            f"Für den Indikator {code} liegen keine Werte vor. Vorhanden sind: "
            f"{', '.join(sorted(values)) or 'keine'}."
        )
    return values[code]


def _checked_array(what: str, array: np.ndarray, length: int) -> np.ndarray:
    array = np.asarray(array, dtype=float)
    if array.shape != (length,):
        raise IndexInputError(
            f"{what}: {array.size} Werte für {length} Gebiete. Die Werte müssen in derselben "
            "Reihenfolge wie die Gebietsschlüssel vorliegen, ein Wert je Gebiet."
        )
    return array


def _id_list(ids: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} und {len(ids) - limit} weitere"


def _german_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.4g}".replace(",", "X").replace(".", ",").replace("X", ".")
