"""The need ranking ("Verdichtung"): condense several components per area into one score.

Procedure:

1. Components with weight 0 are left out. Weights must be finite and not negative, and at
   least one must be positive.
2. Standardise each component over the areas that have a value: z = (x − mean) / sd with the
   *population* sd (ddof=0), as the social index does. ``z`` keeps the sign of the value
   (positive = above the mean) so that explanations can say "hoch" or "niedrig".
3. Direction: d = +1 when a high value means more need, −1 when it means less.
4. Score = Σ wᵢ·dᵢ·zᵢ / Σ wᵢ, a weighted mean of the directed z-values in units of σ.
   A missing value counts as the mean (z = 0) and is reported; an area without any value
   of the active components is not ranked. A component without spread (fewer than two
   values or all equal) adds nothing and is reported.
5. Rank 1 = highest score = most need; equal scores share a rank ("1, 2, 2, 4").

The contribution of a component to an area's score is wᵢ·dᵢ·zᵢ / Σ wᵢ; the contributions
add up to the score exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gemeinsinn.analysis.index import RELATIVE_TOLERANCE, Standard, _standard
from gemeinsinn.analysis.number_text import MINUS_SIGN, format_decimal
from gemeinsinn.analysis.rates import rank_areas


class RankingInputError(ValueError):
    """Input that makes a ranking impossible; the message (German) says what and how to fix."""


@dataclass(frozen=True)
class Component:
    code: str
    label: str  # German, used in explanations: "Kinderarmut"
    values: np.ndarray  # one value per area, NaN = unknown
    weight: float = 1.0
    higher_is_worse: bool = True


@dataclass(frozen=True)
class Contribution:
    code: str
    z: float  # signed like the value: > 0 above the mean
    share: float  # part of the score: w·d·z / Σw


@dataclass(frozen=True)
class Ranking:
    area_ids: tuple[str, ...]
    codes: tuple[str, ...]  # the active components, in the given order
    score: np.ndarray  # NaN for areas that are not ranked
    rank: np.ndarray  # int, 0 = not ranked
    z: dict[str, np.ndarray]  # NaN where the value is unknown
    contributions: dict[str, np.ndarray]  # 0 where the value is unknown
    standards: dict[str, Standard | None]  # None: the component has no spread
    warnings: tuple[str, ...]

    def top(self, row: int, limit: int = 3) -> list[Contribution]:
        """The components that raise the area's score most, largest first (only those > 0)."""
        parts = [
            Contribution(code, float(self.z[code][row]), float(self.contributions[code][row]))
            for code in self.codes
            if self.contributions[code][row] > 0
        ]
        return sorted(parts, key=lambda part: -part.share)[:limit]

    def missing(self, row: int) -> list[str]:
        """The active components without a value for the area (counted as the mean)."""
        return [code for code in self.codes if np.isnan(self.z[code][row])]


def compute_ranking(area_ids: Sequence[str], components: Sequence[Component]) -> Ranking:
    ids = tuple(area_ids)
    if len(set(ids)) != len(ids):
        raise RankingInputError("Gebietsschlüssel mehrfach vorhanden: jedes Gebiet nur einmal.")
    active = _checked_components(components, len(ids))
    total_weight = sum(c.weight for c in active)
    warnings: list[str] = []
    z, contributions, standards = {}, {}, {}
    for component in active:
        values = np.asarray(component.values, dtype=float)
        known = np.isfinite(values)
        standard = _standard(values[known]) if known.sum() >= 2 else None
        if standard is None or standard.sd <= RELATIVE_TOLERANCE * max(abs(standard.mean), 1.0):
            warnings.append(
                f"„{component.label}“ unterscheidet die Gebiete nicht (weniger als zwei Werte "
                "oder überall derselbe Wert) und zählt nicht zur Rangfolge."
            )
            standard = None
            z_values = np.where(known, 0.0, np.nan)
        else:
            z_values = (values - standard.mean) / standard.sd
        direction = 1.0 if component.higher_is_worse else -1.0
        z[component.code] = z_values
        standards[component.code] = standard
        contributions[component.code] = np.where(
            known, component.weight * direction * np.nan_to_num(z_values) / total_weight, 0.0
        )
    any_known = np.logical_or.reduce([np.isfinite(z[c.code]) for c in active])
    score = np.where(any_known, sum(contributions.values()), np.nan)
    return Ranking(
        area_ids=ids,
        codes=tuple(c.code for c in active),
        score=score,
        rank=rank_areas(score, higher_is_worse=True),
        z=z,
        contributions=contributions,
        standards=standards,
        warnings=tuple(warnings),
    )


def _checked_components(components: Sequence[Component], length: int) -> list[Component]:
    codes = [c.code for c in components]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise RankingInputError(
            f"Bestandteil mehrfach in der Rangfolge: {', '.join(duplicates)}. "
            "Jeder Bestandteil darf nur einmal vorkommen."
        )
    for component in components:
        if not np.isfinite(component.weight) or component.weight < 0:
            raise RankingInputError(
                f"Gewicht von „{component.label}“ ist {format_number(component.weight, 1)}: "
                "Gewichte müssen Zahlen ab 0 sein (0 = nicht berücksichtigen)."
            )
        if np.shape(component.values) != (length,):
            raise RankingInputError(
                f"„{component.label}“: {np.size(component.values)} Werte für {length} Gebiete; "
                "je Gebiet genau ein Wert (unbekannt als NaN)."
            )
    active = [c for c in components if c.weight > 0]
    if not active:
        raise RankingInputError(
            "Alle Gewichte sind 0: Bitte mindestens einem Bestandteil ein Gewicht über 0 geben."
        )
    return active


# --- plain-language explanation ---------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What an explanation may show of one component for one area."""

    label: str
    value_text: str = ""  # "41,0 %", or "" when the value may not be shown
    mean_text: str = ""  # the mean over the ranked areas, "63,0 %"


def explain(rank: int, parts: Sequence[tuple[Contribution, Shown]]) -> str:
    """ "Rang 3: Kinderarmut hoch (+2,1 σ; 34,0 % gegenüber 20,0 % im Mittel), …"."""
    if rank <= 0:
        return "ohne Rang: keine Werte"
    if not parts:
        return f"Rang {rank}: kein Bestandteil spricht für erhöhten Bedarf"
    reasons = []
    for part, shown in parts:
        level = "hoch" if part.z > 0 else "niedrig"
        detail = format_sigma(part.z)
        if shown.value_text and shown.mean_text:
            detail += f"; {shown.value_text} gegenüber {shown.mean_text} im Mittel"
        elif shown.value_text:
            detail += f"; {shown.value_text}"
        reasons.append(f"{shown.label} {level} ({detail})")
    return f"Rang {rank}: " + ", ".join(reasons)


def format_number(value: float, decimals: int) -> str:
    """German format with a real minus sign: "−1.234,5"."""
    return format_decimal(value, decimals, minus=MINUS_SIGN)


def format_sigma(z: float) -> str:
    """ "+2,1 σ", "−0,4 σ"."""
    text = format_number(z, 1)
    return f"{text} σ" if text.startswith("−") or text == "0,0" else f"+{text} σ"
