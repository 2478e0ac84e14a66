"""From a distribution over type-count panels to one over panels of people, and the
independent check of a result.

Expansion. A type panel takes c_jt of the s_t members of type t. For each type we look
for shares f_mj ∈ [0, 1] (how often member m sits on type panel j) with Σ_m f_mj = c_jt
and the same total Σ_j λ_j f_mj for every member: a vertex of this transportation
polytope (simplex, no presolve) has its fractional entries on a forest, so few of them.
Inside type panel j the members with f = 1 always sit, and the fractional ones are laid
out one after the other on a tape and wrapped around [0, 1) (McNaughton's wrap-around
rule): at every point of [0, 1) exactly c_jt members are covered, member m for a total
length f_mj. The breakpoints of all types cut type panel j into sub-panels of people.
With a forest the number of panels stays at most n (checked; otherwise a vertex of the
panel LP is taken, which has at most n + 1 panels).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from gemeinsinn.sortition.leximin import FEASIBILITY_TOLERANCE, TypeDistribution
from gemeinsinn.sortition.model import Pool, TypeModel
from gemeinsinn.sortition.solver import INF, SolverError, build_lp, new_highs

SNAP = 1e-10  # shares this close to 0 or 1 are taken as 0 or 1
MERGE = 1e-12  # breakpoints this close are merged


@dataclass
class Distribution:
    """A distribution over panels of people: `panels[j]` is a sorted tuple of person
    indices (input order), `weights[j]` its probability. Panels are in canonical order
    (sorted by their member tuples), so the same distribution always prints the same."""

    panels: tuple[tuple[int, ...], ...]
    weights: np.ndarray

    def marginals(self, n: int) -> np.ndarray:
        result = np.zeros(n)
        for panel, weight in zip(self.panels, self.weights, strict=True):
            result[list(panel)] += weight
        return result

    @classmethod
    def from_dict(cls, weights: dict[tuple[int, ...], float]) -> Distribution:
        items = sorted((panel, w) for panel, w in weights.items() if w > 0)
        total = sum(w for _, w in items)
        return cls(
            tuple(panel for panel, _ in items),
            np.array([w / total for _, w in items], dtype=float),
        )


def _vertex_shares(size: int, counts: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """f (size × J) with column sums `counts`, equal λ-weighted row sums, 0 ≤ f ≤ 1,
    at a vertex (simplex without presolve).

    The row of the last member is implied by the others and left out, and the member rows
    are divided by their common sum, so that tiny panel weights (down to 1e-13) do not
    leave the LP infeasible by rounding. Should the simplex still fail, the equal shares
    c_j / s (always feasible, just less sparse) are returned."""
    J = len(counts)
    share = counts / size
    scaled = lam / float(lam @ share)  # member m's row: Σ_j scaled_j f_mj = 1
    columns = []
    for m in range(size):
        for j in range(J):
            if m < size - 1:
                columns.append((np.array([j, J + m]), np.array([1.0, scaled[j]])))
            else:
                columns.append((np.array([j]), np.ones(1)))
    rhs = np.concatenate([counts.astype(float), np.ones(size - 1)])
    lp = build_lp(
        cost=np.zeros(size * J),
        col_lower=np.zeros(size * J),
        col_upper=np.ones(size * J),
        row_lower=rhs,
        row_upper=rhs,
        columns=columns,
    )
    h = new_highs(
        solver="simplex",
        presolve="off",
        primal_feasibility_tolerance=FEASIBILITY_TOLERANCE,
    )
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return np.tile(share, (size, 1))
    return np.asarray(h.getSolution().col_value).reshape(size, J)


def expand(result: TypeDistribution) -> Distribution:
    """The distribution over people's panels that realises `result` (see module doc)."""
    types = result.types
    P, T = result.panels.shape
    lam = result.weights
    # shares[t] = (panel indices J_t, f matrix members × J_t) for types that need splitting
    shares: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for t in range(T):
        s = int(types.size[t])
        c = result.panels[:, t]
        split = np.flatnonzero((c > 0) & (c < s))
        if s >= 2 and len(split):
            f = _vertex_shares(s, c[split], lam[split])
            f = np.where(f < SNAP, 0.0, np.where(f > 1 - SNAP, 1.0, f))
            shares[t] = (split, f)
    weights: dict[tuple[int, ...], float] = {}
    for j in range(P):
        fixed_members: list[int] = []
        tapes = []  # (cumulative bounds S, members on the tape, number covered L)
        for t in np.flatnonzero(result.panels[j]):
            c = int(result.panels[j, t])
            members = types.members[t]
            if t not in shares or j not in shares[t][0]:
                # c is 0 or all members (a type of one, or a panel taking the whole type)
                fixed_members.extend(int(x) for x in members[:c])
                continue
            split, f = shares[t]
            column = f[:, int(np.searchsorted(split, j))]
            ones = np.flatnonzero(column == 1.0)
            fixed_members.extend(int(members[m]) for m in ones)
            frac = np.flatnonzero((column > 0) & (column < 1))
            L = c - len(ones)
            if L == 0:
                continue
            lengths = column[frac]
            bounds = np.concatenate([[0.0], np.cumsum(lengths)])
            if abs(bounds[-1] - L) > 1e-6:
                raise SolverError("Aufteilung innerhalb eines Typs ist ungenau.")
            bounds[-1] = L
            tapes.append((bounds, members[frac], L))
        cuts = [0.0, 1.0]
        for bounds, _, _ in tapes:
            cuts.extend(float(b - np.floor(b)) for b in bounds[1:-1])
        cuts = np.unique(np.array(cuts))
        merged = [cuts[0]]
        for x in cuts[1:]:
            if x - merged[-1] > MERGE:
                merged.append(x)
        merged[-1] = 1.0
        for a, b in zip(merged[:-1], merged[1:], strict=True):
            u = 0.5 * (a + b)
            panel = list(fixed_members)
            for bounds, members, L in tapes:
                points = u + np.arange(L)
                slots = np.searchsorted(bounds, points, side="right") - 1
                panel.extend(int(members[s]) for s in slots)
            key = tuple(sorted(panel))
            weights[key] = weights.get(key, 0.0) + lam[j] * (b - a)
    distribution = Distribution.from_dict(weights)
    n = types.pool.n
    if len(distribution.panels) > n + 1:
        distribution = reduce_support(distribution, n)
    return distribution


def reduce_support(distribution: Distribution, n: int) -> Distribution:
    """A vertex of {μ ≥ 0 : Σ μ = 1, same marginals} over the given panels: at most n + 1
    panels keep weight (Carathéodory)."""
    marginals = distribution.marginals(n)
    columns = [
        (np.append(np.array(panel, dtype=np.int64), n), np.ones(len(panel) + 1))
        for panel in distribution.panels
    ]
    P = len(columns)
    rhs = np.append(marginals, 1.0)
    lp = build_lp(np.zeros(P), np.zeros(P), np.full(P, INF), rhs, rhs, columns)
    h = new_highs(solver="simplex", presolve="off")
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolverError("Die Verteilung ließ sich nicht auf n+1 Gremien verkleinern.")
    x = np.asarray(h.getSolution().col_value)
    return Distribution.from_dict(
        {panel: float(w) for panel, w in zip(distribution.panels, x, strict=True) if w > 1e-14}
    )


def panel_problems(pool: Pool, panel: tuple[int, ...]) -> list[str]:
    """Why `panel` (person indices) violates the rules; empty if it is fine."""
    problems = []
    if len(panel) != pool.panel_size:
        problems.append(f"Gremium hat {len(panel)} statt {pool.panel_size} Mitglieder")
    if len(set(panel)) != len(panel):
        problems.append("Gremium enthält eine Person doppelt")
    members = np.array(panel, dtype=np.int64)
    for f, feature in enumerate(pool.features):
        counts = np.bincount(pool.profile[members, f], minlength=len(pool.values[f]))
        for v, q in enumerate(pool.quotas[f]):
            if not q.min <= counts[v] <= q.max:
                problems.append(
                    f"{feature} = {q.value}: {counts[v]} Mitglieder, erlaubt {q.min}–{q.max}"
                )
    if pool.household is not None:
        households = pool.household[members]
        if len(np.unique(households)) != len(households):
            problems.append("zwei Mitglieder aus einem Haushalt")
    return problems


def verify(
    pool: Pool,
    distribution: Distribution,
    expected: np.ndarray | None = None,
    at_least: np.ndarray | None = None,
    tolerance: float = 1e-6,
) -> list[str]:
    """Independent check of a result: every panel obeys quotas and household rule, the
    weights form a distribution on at most n + 1 panels, the marginals sum to k, equal
    `expected` and are at least `at_least` (within `tolerance`). Returns the problems
    found (German); empty if the result is right."""
    problems = []
    for j, panel in enumerate(distribution.panels):
        for text in panel_problems(pool, panel):
            problems.append(f"Gremium {j + 1}: {text}")
    weights = distribution.weights
    if np.any(weights < 0) or abs(weights.sum() - 1.0) > 1e-9:
        problems.append("Die Gewichte bilden keine Wahrscheinlichkeitsverteilung.")
    if len(distribution.panels) > pool.n + 1:
        problems.append(f"{len(distribution.panels)} Gremien haben Gewicht (mehr als n + 1).")
    marginals = distribution.marginals(pool.n)
    if expected is not None and pool.n:
        deviation = float(np.max(np.abs(marginals - expected)))
        if deviation > tolerance:
            problems.append(f"Auswahlwahrscheinlichkeiten weichen um {deviation:.2e} ab.")
    if at_least is not None and pool.n:
        shortfall = float(np.max(at_least - marginals))
        if shortfall > tolerance:
            problems.append(f"Zugesicherte Mindestwahrscheinlichkeit um {shortfall:.2e} verfehlt.")
    if abs(marginals.sum() - pool.panel_size) > tolerance:
        problems.append("Die Wahrscheinlichkeiten ergeben zusammen nicht k.")
    return problems


def type_marginals(types: TypeModel, result: TypeDistribution) -> np.ndarray:
    return types.person_probabilities(result.probabilities())
