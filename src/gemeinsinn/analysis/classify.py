"""Class schemes for index values: fixed thresholds (as in the Berlin MSS) or quantiles.

Classes are numbered 1..k; 0 means "no class" (the value is missing). Values are always
classified unrounded: an index of -1.0047 is below -1 even though it prints as "-1,00".
"""

from dataclasses import dataclass

import numpy as np

NO_CLASS = 0


@dataclass(frozen=True)
class ClassScheme:
    """How index values are divided into classes 1..k.

    Fixed thresholds: ``thresholds`` t1 < t2 < ... < t(k-1) separate the classes;
    ``lower_class_includes_threshold[i]`` says whether a value exactly equal to t(i+1)
    belongs to the lower class i+1 (True, "x ≤ t") or to the upper class i+2 (False, "x < t").

    Quantile classes (``thresholds=None``): the thresholds are taken from the reference
    values at classification time so that each class holds about n/k reference areas.
    Threshold j is the largest reference value among the first ceil(j·n/k) sorted values and
    belongs to the lower class, so equal values always share a class (deterministic ties;
    with many ties a class can stay empty).

    ``symbols`` (optional) are short signs per class used in combined labels, e.g. "+", "+/-".
    """

    labels: tuple[str, ...]
    thresholds: tuple[float, ...] | None = None
    lower_class_includes_threshold: tuple[bool, ...] = ()
    symbols: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        count = len(self.labels)
        if count < 2:
            raise ValueError(
                f"Klasseneinteilung ungültig: mindestens zwei Klassen nötig, {count} angegeben."
            )
        if self.symbols is not None and len(self.symbols) != count:
            raise ValueError(
                f"Klasseneinteilung ungültig: {len(self.symbols)} Kurzzeichen für {count} "
                "Klassen. Bitte je Klasse genau ein Kurzzeichen angeben."
            )
        if self.thresholds is None:
            return
        if len(self.thresholds) != count - 1:
            raise ValueError(
                f"Klasseneinteilung ungültig: {count} Klassen brauchen {count - 1} Grenzwerte, "
                f"angegeben sind {len(self.thresholds)}."
            )
        if len(self.lower_class_includes_threshold) != count - 1:
            raise ValueError(
                "Klasseneinteilung ungültig: für jeden Grenzwert muss angegeben sein, ob er "
                "zur unteren Klasse gehört (lower_class_includes_threshold)."
            )
        if any(not np.isfinite(t) for t in self.thresholds) or any(
            a >= b for a, b in zip(self.thresholds, self.thresholds[1:], strict=False)
        ):
            raise ValueError(
                f"Klasseneinteilung ungültig: Grenzwerte {list(self.thresholds)} müssen endlich "
                "und streng aufsteigend sein."
            )

    @classmethod
    def quantiles(cls, class_count: int, labels: tuple[str, ...] | None = None) -> "ClassScheme":
        """k quantile classes over the reference set; default labels "1. Quantil" … "k. Quantil"."""
        if labels is None:
            labels = tuple(f"{number}. Quantil" for number in range(1, class_count + 1))
        if len(labels) != class_count:
            raise ValueError(
                f"Quantilklassen: {class_count} Klassen, aber {len(labels)} Bezeichnungen "
                "angegeben."
            )
        return cls(labels=labels)

    @property
    def class_count(self) -> int:
        return len(self.labels)

    @property
    def is_quantile(self) -> bool:
        return self.thresholds is None

    def thresholds_for(self, reference_values: np.ndarray) -> tuple[float, ...]:
        """The thresholds used for this reference set (fixed ones, or the quantile bounds)."""
        if self.thresholds is not None:
            return self.thresholds
        values = np.sort(np.asarray(reference_values, dtype=float))
        values = values[np.isfinite(values)]
        if values.size < self.class_count:
            raise ValueError(
                f"Quantilklassen: {self.class_count} Klassen brauchen mindestens "
                f"{self.class_count} Referenzwerte, vorhanden sind {values.size}."
            )
        n, k = values.size, self.class_count
        positions = [-(-j * n // k) - 1 for j in range(1, k)]  # ceil(j·n/k) − 1
        return tuple(float(values[p]) for p in positions)

    def classify(
        self, values: np.ndarray, reference_values: np.ndarray | None = None
    ) -> np.ndarray:
        """Class numbers 1..k for ``values`` (int array, 0 where a value is NaN).

        Quantile schemes need ``reference_values`` (the values that define the quantiles).
        """
        values = np.asarray(values, dtype=float)
        if self.is_quantile:
            if reference_values is None:
                raise ValueError(
                    "Quantilklassen brauchen Referenzwerte, aus denen die Grenzen bestimmt werden."
                )
            thresholds = self.thresholds_for(reference_values)
            inclusive = (True,) * len(thresholds)
        else:
            thresholds = self.thresholds
            inclusive = self.lower_class_includes_threshold
        classes = np.ones(values.shape, dtype=np.int64)
        for threshold, lower_includes in zip(thresholds, inclusive, strict=True):
            above = values > threshold if lower_includes else values >= threshold
            classes += above
        classes[np.isnan(values)] = NO_CLASS
        return classes

    def label_of(self, classes: np.ndarray) -> np.ndarray:
        """German class labels (object array, None for class 0)."""
        lookup = np.array((None, *self.labels), dtype=object)
        return lookup[np.asarray(classes)]


MSS_STATUS_CLASSES = ClassScheme(
    labels=("hoch", "mittel", "niedrig", "sehr niedrig"),
    thresholds=(-1.0, 1.0, 1.5),
    lower_class_includes_threshold=(False, True, True),
)
"""MSS status: < −1 hoch; −1 ≤ x ≤ 1 mittel; 1 < x ≤ 1.5 niedrig; > 1.5 sehr niedrig."""

MSS_DYNAMICS_CLASSES = ClassScheme(
    labels=("positiv", "stabil", "negativ"),
    thresholds=(-1.0, 1.0),
    lower_class_includes_threshold=(False, True),
    symbols=("+", "+/-", "-"),
)
"""MSS dynamics: < −1 positiv (+); −1 ≤ x ≤ 1 stabil (+/-); > 1 negativ (-)."""


def combined_labels(
    status_classes: np.ndarray,
    dynamics_classes: np.ndarray | None,
    dynamics_scheme: ClassScheme | None = None,
) -> list[str | None]:
    """Labels of the status/dynamics overlay, e.g. "1+", "2+/-", "4-"; None where unclassified.

    The dynamics part is the scheme's symbol (MSS: +, +/-, -) or, for schemes without
    symbols, "/" and the class number ("2/3"). Without dynamics the label is the status number.
    """
    status_classes = np.asarray(status_classes)
    if dynamics_classes is None:
        lookup = np.array([None, *(str(s) for s in range(1, status_classes.max(initial=0) + 1))])
        return lookup[status_classes].tolist()
    scheme = dynamics_scheme or MSS_DYNAMICS_CLASSES
    suffixes = scheme.symbols or tuple(f"/{d}" for d in range(1, scheme.class_count + 1))
    status_count = int(status_classes.max(initial=0))
    table = np.full((status_count + 1, scheme.class_count + 1), None, dtype=object)
    for status in range(1, status_count + 1):
        for dynamics, suffix in enumerate(suffixes, start=1):
            table[status, dynamics] = f"{status}{suffix}"
    return table[status_classes, np.asarray(dynamics_classes)].tolist()


@dataclass(frozen=True)
class PublisherCodes:
    """The MSS machine codes: status 1–4, dynamics 1/3/5, combined 10·status + dynamics."""

    status: np.ndarray
    dynamics: np.ndarray
    combined: np.ndarray


def mss_publisher_codes(status_classes: np.ndarray, dynamics_classes: np.ndarray) -> PublisherCodes:
    """Translate class numbers into the publisher's codes (0 stays 0: not classified).

    Dynamics 1 (positiv) → 1, 2 (stabil) → 3, 3 (negativ) → 5; combined e.g. 2 and 3 → 23.
    """
    status = np.asarray(status_classes, dtype=np.int64)
    dynamics = np.asarray(dynamics_classes, dtype=np.int64)
    dynamics_code = np.where(dynamics > 0, 2 * dynamics - 1, 0)
    classified = (status > 0) & (dynamics > 0)
    combined = np.where(classified, 10 * status + dynamics_code, 0)
    return PublisherCodes(status=status, dynamics=dynamics_code, combined=combined)
