"""The selection problem as plain data: volunteers, features, quotas, households.

A `Pool` is what the algorithms need (no file names, no Django). `TypeModel` groups
interchangeable volunteers: people with the same feature vector who share no household
with anybody else form one *type*. LEXIMIN, MAXIMIN and NASH treat all members of a type
alike (the optimum is unique or can be chosen symmetric), so the integer programs work on
type counts instead of single people, which is far smaller on real pools.

Everything here is deterministic: orders follow the input order or explicit sorting,
never hash order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gemeinsinn.formats.problems import InputError, Problem


def normalize(text: str) -> str:
    """Key for matching values and column names: Unicode NFC (umlauts written as one or two
    code points compare equal), surrounding and repeated spaces ignored, case-insensitive."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@dataclass(frozen=True)
class Quota:
    """Bounds for the number of panel members with `feature` = `value`.

    `min_flex`/`max_flex` (optional) say how far a relaxation may go: the minimum may be
    lowered down to `min_flex`, the maximum raised up to `max_flex`."""

    feature: str
    value: str
    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None
    line: int | None = None  # line in the quotas file, for messages


@dataclass(eq=False)
class Pool:
    """Volunteers and quotas of one selection.

    - `ids[i]`: identifier of person i (input order).
    - `features[f]`, `values[f][v]`: display names as written in the quotas file.
    - `profile[i, f]`: index v of person i's value for feature f.
    - `quotas[f][v]`: the `Quota` for feature f, value v.
    - `household[i]`: household number of person i (people with the same number may not
      sit on the panel together), or None when no household rule applies.
    - `panel_size`: k.
    """

    ids: tuple[str, ...]
    features: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    quotas: tuple[tuple[Quota, ...], ...]
    profile: np.ndarray
    panel_size: int
    household: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.profile = np.asarray(self.profile, dtype=np.int64).reshape(
            len(self.ids), len(self.features)
        )
        self.profile.setflags(write=False)
        if self.household is not None:
            self.household = np.asarray(self.household, dtype=np.int64)
            self.household.setflags(write=False)

    @property
    def n(self) -> int:
        return len(self.ids)

    def lower(self, f: int) -> np.ndarray:
        return np.array([q.min for q in self.quotas[f]], dtype=np.int64)

    def upper(self, f: int) -> np.ndarray:
        return np.array([q.max for q in self.quotas[f]], dtype=np.int64)

    def value_of(self, i: int, f: int) -> str:
        return self.values[f][int(self.profile[i, f])]

    def with_quotas(self, quotas: Sequence[Sequence[Quota]]) -> Pool:
        """The same volunteers with other bounds (used to test relaxations)."""
        return Pool(
            ids=self.ids,
            features=self.features,
            values=self.values,
            quotas=tuple(tuple(q) for q in quotas),
            profile=self.profile,
            panel_size=self.panel_size,
            household=self.household,
        )

    @classmethod
    def from_records(
        cls,
        people: Sequence[Mapping[str, str]],
        quotas: Mapping[str, Mapping[str, tuple[int, int]]] | Sequence[Quota],
        panel_size: int,
        ids: Sequence[str] | None = None,
        households: Sequence[object] | None = None,
    ) -> Pool:
        """Build a pool from plain Python data (programmatic use and tests).

        `quotas` is either {feature: {value: (min, max)}} or a list of `Quota`.
        `people[i]` maps feature name to value (matched like the files: case-insensitive,
        surrounding spaces ignored). `households[i]` is any hashable household key.
        Raises `InputError` listing every unknown value at once.
        """
        if isinstance(quotas, Mapping):
            quota_list = [
                Quota(feature, value, int(lo), int(hi))
                for feature, by_value in quotas.items()
                for value, (lo, hi) in by_value.items()
            ]
        else:
            quota_list = list(quotas)
        features, values, grouped = group_quotas(quota_list)
        lookup = [{normalize(v): j for j, v in enumerate(vals)} for vals in values]
        problems: list[Problem] = []
        profile = np.zeros((len(people), len(features)), dtype=np.int64)
        for i, record in enumerate(people):
            by_key = {normalize(str(k)): str(v) for k, v in record.items()}
            for f, feature in enumerate(features):
                raw = by_key.get(normalize(feature))
                index = None if raw is None else lookup[f].get(normalize(raw))
                if index is None:
                    problems.append(
                        Problem(
                            f"Person {i + 1}: Wert {raw!r} für Merkmal {feature!r} ist in den "
                            "Quoten nicht vorgesehen.",
                            hint="Erlaubt sind: " + ", ".join(values[f]) + ".",
                        )
                    )
                else:
                    profile[i, f] = index
        if problems:
            raise InputError(problems)
        household = None
        if households is not None:
            numbers: dict[object, int] = {}
            household = np.array(
                [numbers.setdefault(h, len(numbers)) for h in households], dtype=np.int64
            )
        return cls(
            ids=tuple(str(x) for x in ids)
            if ids is not None
            else tuple(str(i + 1) for i in range(len(people))),
            features=features,
            values=values,
            quotas=grouped,
            profile=profile,
            panel_size=int(panel_size),
            household=household,
        )


def group_quotas(
    quotas: Sequence[Quota],
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[tuple[Quota, ...], ...]]:
    """Features in order of first appearance, values in file order."""
    order: dict[str, int] = {}
    names: list[str] = []
    grouped: list[list[Quota]] = []
    for q in quotas:
        key = normalize(q.feature)
        if key not in order:
            order[key] = len(names)
            names.append(q.feature.strip())
            grouped.append([])
        grouped[order[key]].append(q)
    values = tuple(tuple(q.value.strip() for q in group) for group in grouped)
    return tuple(names), values, tuple(tuple(g) for g in grouped)


@dataclass(eq=False)
class TypeModel:
    """Interchangeable volunteers grouped into types.

    A type is a set of people with the same feature vector; a person who shares a
    household with another volunteer is only grouped with people of the same household
    (at most one of them may be selected, so the type's capacity is 1). Types are ordered
    by feature vector, then by their first member; members are in input order.

    - `type_of[i]`: type of person i; `members[t]`: people of type t (ascending).
    - `size[t]`: number of members s_t; `cap[t]`: most members a panel can take.
    - `profile[t, f]`: value index of feature f for type t.
    - `household_groups`: arrays of type indices that belong to one household (only groups
      with two or more types; a panel takes at most one person from each group).
    """

    pool: Pool
    type_of: np.ndarray
    members: tuple[np.ndarray, ...]
    size: np.ndarray
    cap: np.ndarray
    profile: np.ndarray
    household_groups: tuple[np.ndarray, ...]

    @property
    def count(self) -> int:
        return len(self.members)

    @classmethod
    def build(cls, pool: Pool) -> TypeModel:
        n = pool.n
        if pool.household is not None:
            sizes = np.bincount(pool.household, minlength=1)
            shared = sizes[pool.household] > 1
        else:
            shared = np.zeros(n, dtype=bool)
        keys: dict[tuple, list[int]] = {}
        for i in range(n):
            vector = tuple(int(x) for x in pool.profile[i])
            household = int(pool.household[i]) if shared[i] else -1
            keys.setdefault((vector, household), []).append(i)
        # canonical order: by feature vector, then by first member (input order)
        ordered = sorted(keys.items(), key=lambda item: (item[0][0], item[1][0]))
        members = tuple(np.array(people, dtype=np.int64) for _, people in ordered)
        type_of = np.empty(n, dtype=np.int64)
        for t, people in enumerate(members):
            type_of[people] = t
        size = np.array([len(m) for m in members], dtype=np.int64)
        cap = np.array(
            [1 if household >= 0 else len(people) for (_, household), people in ordered],
            dtype=np.int64,
        )
        profile = np.array([vector for (vector, _), _ in ordered], dtype=np.int64).reshape(
            len(members), len(pool.features)
        )
        groups: dict[int, list[int]] = {}
        for t, ((_, household), _) in enumerate(ordered):
            if household >= 0:
                groups.setdefault(household, []).append(t)
        household_groups = tuple(
            np.array(types, dtype=np.int64)
            for _, types in sorted(groups.items(), key=lambda item: min(item[1]))
            if len(types) > 1
        )
        for array in (type_of, size, cap, profile):
            array.setflags(write=False)
        return cls(pool, type_of, members, size, cap, profile, household_groups)

    def person_probabilities(self, type_probabilities: np.ndarray) -> np.ndarray:
        return np.asarray(type_probabilities, dtype=float)[self.type_of]
