"""The LP relaxation of the panel polytope: a bound and a head start for each LEXIMIN round.

Q = {c : Σ_t c_t = k, quota rows, household rows, 0 ≤ c ≤ cap} (the oracle's rows without
integrality) contains the expected type counts of every distribution over panels. So the
round's LP over Q,

    max z  s.t.  c ∈ Q,  c_t / s_t ≥ z (unfixed t),  c_t / s_t ≥ π_t (fixed t),

bounds the round's value from above, and its duals (y, w) are a certificate in the sense
of `leximin` (evaluated there by the oracle over the panels, which can only tighten it;
w re-solved exactly for y, see `Relaxation.fixed_duals`).
Solved by the interior point method without crossover, its solution x lies in the relative
interior of the optimal face and its duals are (nearly) strictly complementary.

`FaceWalk` looks for panels whose mixture is x (a Carathéodory walk): take a panel v on
the smallest face of Q that contains x — every panel of a mixture that gives x lies on
that face —, move x away from v to the boundary of the face, and repeat on the smaller
face; each step loses a dimension, so there are at most T + 1 steps. The walk runs in
floating point and need not be exact: its panels go into the master LP, which decides
what they achieve. On the generated pools the master over these panels reaches the
relaxation's bound, which ends a round without column generation.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from gemeinsinn.sortition.oracle import PanelOracle
from gemeinsinn.sortition.solver import INF, build_lp, new_highs, set_options

TIGHT = 1e-7  # a constraint this close to its bound is tight (type counts are O(1)–O(100))
STEP_FLOOR = 1e-9  # shorter steps mean the walk is stuck in floating-point noise
FACE_NODES = 500  # branch-and-bound nodes for a panel on a face (a limit that is deterministic)
VERTEX_TRIES = 24  # LP vertices in random directions before the integer program
IPM_TOLERANCE = 1e-10


@dataclass
class Relaxation:
    """The solution of one round's LP over Q."""

    z: float  # upper bound on the round's value
    counts: np.ndarray  # (T,) x, expected type counts at the optimum
    duals: np.ndarray  # (T,) duals of the rows c_t / s_t ≥ z or ≥ π_t (0 for excluded types)
    lp: highspy.HighsLp  # the round's LP
    rows: np.ndarray  # the active types, whose rows follow the oracle's rows in `lp`
    fixed: np.ndarray  # (T,) the fixed types
    sizes: np.ndarray  # (T,) members per type

    def fixed_duals(self, y: np.ndarray) -> np.ndarray | None:
        """The best duals w of the fixed types' rows for the unfixed types' duals y.

        The interior point's duals are accurate relative to their size, and w can be
        thousands of times y, too coarse to prove a gap near 1e-12. Given y, the best w
        are the simplex duals of max Σ_unfixed y_t c_t / s_t over Q with every fixed type
        at ≥ π_t (a vertex, accurate to rounding)."""
        T = len(y)
        R = self.lp.num_row_ - len(self.rows)
        h = new_highs(solver="simplex", presolve="off")
        h.passModel(self.lp)
        free_rows = (R + np.flatnonzero(~self.fixed[self.rows])).astype(np.int32)
        void = np.full(len(free_rows), INF)
        h.changeRowsBounds(len(free_rows), free_rows, -void, void)
        h.changeColBounds(T, 0.0, 0.0)  # no z
        h.changeColsCost(T, np.arange(T, dtype=np.int32), -y / self.sizes)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        w = np.zeros(T)
        w[self.rows] = np.asarray(h.getSolution().row_dual)[R:]
        return np.where(self.fixed, np.clip(w, 0.0, None), 0.0)


def solve_relaxation(
    oracle: PanelOracle, active: np.ndarray, fixed: np.ndarray, target: np.ndarray
) -> Relaxation | None:
    """The round's LP over Q (see the module docstring); None if the solver fails."""
    types = oracle.types
    T = types.count
    R = len(oracle.row_lower)
    rows = np.flatnonzero(active)
    row_of = np.full(T, -1)
    row_of[rows] = R + np.arange(len(rows))
    columns = []
    for t in range(T):
        rows_t = np.flatnonzero(oracle.row_matrix[:, t])
        values = np.ones(len(rows_t))
        if row_of[t] >= 0:
            rows_t, values = np.append(rows_t, row_of[t]), np.append(values, 1 / types.size[t])
        columns.append((rows_t, values))
    unfixed_rows = row_of[active & ~fixed]
    columns.append((unfixed_rows, -np.ones(len(unfixed_rows))))
    lp = build_lp(
        cost=np.append(np.zeros(T), -1.0),
        col_lower=np.zeros(T + 1),
        col_upper=np.append(np.where(active, types.cap, 0).astype(float), INF),
        row_lower=np.concatenate([oracle.row_lower, np.where(fixed, target, 0.0)[rows]]),
        row_upper=np.concatenate([oracle.row_upper, np.full(len(rows), INF)]),
        columns=columns,
    )
    h = new_highs(
        solver="ipx", run_crossover="off", presolve="off", ipm_optimality_tolerance=IPM_TOLERANCE
    )
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        set_options(h, ipm_optimality_tolerance=1e-8)  # e.g. a last round at level 1
        h.clearSolver()
        h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = h.getSolution()
    duals = np.zeros(T)
    duals[rows] = np.asarray(solution.row_dual)[R:]
    x = np.asarray(solution.col_value)[:T]
    z = -h.getInfo().objective_function_value
    return Relaxation(z, x, duals, lp, rows, fixed.copy(), types.size.astype(float))


class FaceWalk:
    """Panels on ever smaller faces of Q (see the module docstring)."""

    def __init__(self, oracle: PanelOracle):
        self.matrix = oracle.row_matrix
        self.lower, self.upper = oracle.row_lower, oracle.row_upper
        self.cap = oracle.types.cap.astype(float)
        T = len(self.cap)
        self.columns = np.arange(T, dtype=np.int32)
        self.row_indices = np.arange(len(self.lower), dtype=np.int32)
        # the face's LP vertex in a random direction is usually integral (the first
        # feasible vertex, without objective, seldom is); the MIP only when none is
        self.lp = new_highs(solver="simplex", presolve="off")
        self.lp.passModel(oracle.lp)
        self.lp.changeColsIntegrality(T, self.columns, np.full(T, highspy.HighsVarType.kContinuous))
        self.mip = new_highs(presolve="off", mip_max_nodes=FACE_NODES)
        self.mip.passModel(oracle.lp)
        self.random = np.random.default_rng(0)  # the same directions in every process
        self.direction: np.ndarray | None = None

    def panels(self, x: np.ndarray) -> list[np.ndarray]:
        x = np.clip(np.asarray(x, dtype=float), 0.0, self.cap)
        found: list[np.ndarray] = []
        for _ in range(len(self.cap) + 1):
            r = self.matrix @ x
            at_lower, at_upper = r <= self.lower + TIGHT, r >= self.upper - TIGHT
            at_zero, at_cap = x <= TIGHT, x >= self.cap - TIGHT
            v = self._face_point(
                np.where(at_upper, self.upper, self.lower),
                np.where(at_lower, self.lower, self.upper),
                np.where(at_cap, self.cap, 0.0),
                np.where(at_zero, 0.0, self.cap),
            )
            if v is None:
                break
            found.append(v)
            d = x - v
            theta = min(
                _ratio(r, self.matrix @ d, self.lower, self.upper, ~(at_lower | at_upper)),
                _ratio(x, d, 0.0, self.cap, ~(at_zero | at_cap)),
            )
            if not (STEP_FLOOR < theta < INF):
                break  # x is v (done), or lost in rounding noise
            x = np.clip(x + theta * d, 0.0, self.cap)
        return found

    def _face_point(self, row_lower, row_upper, col_lower, col_upper) -> np.ndarray | None:
        for h in (self.lp, self.mip):
            h.changeRowsBounds(len(self.row_indices), self.row_indices, row_lower, row_upper)
            h.changeColsBounds(len(self.columns), self.columns, col_lower, col_upper)
        for attempt in range(VERTEX_TRIES):
            # first the direction that last gave an integral vertex (on a larger face); then
            # small integer weights (-2…2), which hit integral vertices more often than
            # Gaussian ones (half the LPs on the 1 000-pool with 7 features)
            direction = self.direction
            if attempt or direction is None:
                direction = self.random.integers(-2, 3, len(self.columns)).astype(float)
            self.lp.changeColsCost(len(self.columns), self.columns, direction)
            self.lp.run()
            if self.lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None  # the face is empty: x has drifted off Q
            value = np.asarray(self.lp.getSolution().col_value)
            if np.max(np.abs(value - np.rint(value))) <= 1e-9:
                self.direction = direction
                return np.rint(value).astype(np.int64)
        self.mip.run()  # may stop at the node limit with a panel or without one
        solution = self.mip.getSolution()
        if not solution.value_valid:
            return None
        return np.rint(np.asarray(solution.col_value)).astype(np.int64)


def _ratio(value, direction, lower, upper, free) -> float:
    """Largest θ ≥ 0 with lower ≤ value + θ·direction ≤ upper on the `free` entries."""
    rising = free & (direction > 1e-12)
    falling = free & (direction < -1e-12)
    limits = np.concatenate(
        [
            ((upper - value) / np.where(rising, direction, 1.0))[rising],
            ((lower - value) / np.where(falling, direction, 1.0))[falling],
        ]
    )
    return float(limits.min()) if len(limits) else INF
