"""The panel oracle: an integer program over type counts (HiGHS MIP).

Variables c_t ∈ {0, …, cap_t}: how many members of type t sit on the panel. Rows:
Σ c_t = k; for every feature value, min ≤ Σ_{t has the value} c_t ≤ max; for every
household with several types, Σ c_t ≤ 1. A count vector satisfying these rows is a
feasible panel for any choice of the actual members within the types.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from gemeinsinn.sortition.model import TypeModel
from gemeinsinn.sortition.solver import INF, SolverError, build_lp, new_highs, set_options


@dataclass(frozen=True)
class OracleResult:
    counts: np.ndarray | None  # best panel found (type counts), None if infeasible
    value: float  # weight of that panel
    bound: float  # proven upper bound on the weight of every feasible panel
    optimal: bool
    # other panels HiGHS found on the way (improving solutions), heaviest first
    others: tuple[np.ndarray, ...] = ()


def quota_rows(types: TypeModel) -> list[tuple[int, int]]:
    """(feature, value) for each quota row, in a fixed order."""
    return [
        (f, v) for f in range(len(types.pool.features)) for v in range(len(types.pool.values[f]))
    ]


class PanelOracle:
    """Finds a feasible panel of maximal weight Σ_t weight_t · c_t.

    `lower`/`upper` override the quota bounds (per quota row, see `quota_rows`)."""

    def __init__(
        self,
        types: TypeModel,
        lower: np.ndarray | None = None,
        upper: np.ndarray | None = None,
        time_limit: float | None = None,
    ):
        self.types = types
        pool = types.pool
        self.rows = quota_rows(types)
        row_of = {fv: 1 + r for r, fv in enumerate(self.rows)}
        household_row = {}
        base = 1 + len(self.rows)
        for g, group in enumerate(types.household_groups):
            for t in group:
                household_row[int(t)] = base + g
        lo = np.array([pool.quotas[f][v].min for f, v in self.rows], dtype=float)
        hi = np.array([pool.quotas[f][v].max for f, v in self.rows], dtype=float)
        if lower is not None:
            lo = np.asarray(lower, dtype=float)
        if upper is not None:
            hi = np.asarray(upper, dtype=float)
        k = float(pool.panel_size)
        groups = len(types.household_groups)
        row_lower = np.concatenate([[k], lo, np.zeros(groups)])
        row_upper = np.concatenate([[k], hi, np.ones(groups)])
        columns = []
        for t in range(types.count):
            rows = [0] + [row_of[(f, int(types.profile[t, f]))] for f in range(len(pool.features))]
            if t in household_row:
                rows.append(household_row[t])
            columns.append((np.array(rows), np.ones(len(rows))))
        T = types.count
        # the rows as dense data, for the LP relaxation (`sortition.relaxation`)
        self.row_matrix = np.zeros((len(row_lower), T))
        for t, (rows, _) in enumerate(columns):
            self.row_matrix[rows, t] = 1.0
        self.row_lower, self.row_upper = row_lower, row_upper
        self.lp = build_lp(
            np.zeros(T),
            np.zeros(T),
            types.cap.astype(float),
            row_lower,
            row_upper,
            columns,
            integer=np.ones(T, dtype=bool),
        )
        self.h = new_highs(
            mip_rel_gap=1e-9,
            mip_abs_gap=1e-11,
            presolve="off",
            mip_detect_symmetry=False,
            mip_improving_solution_save=True,
        )
        if time_limit is not None:
            set_options(self.h, time_limit=float(time_limit))
        self.h.passModel(self.lp)
        self.calls = 0
        self.seconds = 0.0
        # data for the swap local search (`improve`)
        self.quota_lower = [lo[[r for r, (f, _) in enumerate(self.rows) if f == g]]
                            for g in range(len(pool.features))]  # fmt: skip
        self.quota_upper = [hi[[r for r, (f, _) in enumerate(self.rows) if f == g]]
                            for g in range(len(pool.features))]  # fmt: skip
        self.group_of = np.full(T, -1, dtype=np.int64)
        for g, group in enumerate(types.household_groups):
            self.group_of[group] = g

    def maximize(self, weights: np.ndarray) -> OracleResult:
        """Best panel for weights per counted member of each type."""
        weights = np.asarray(weights, dtype=float)
        scale = float(np.max(np.abs(weights))) if weights.size else 0.0
        if scale <= 0:
            scale = 1.0
        h = self.h
        T = self.types.count
        h.changeColsCost(T, np.arange(T, dtype=np.int32), -weights / scale)
        h.clearSolver()
        started = time.perf_counter()
        h.run()
        self.calls += 1
        self.seconds += time.perf_counter() - started  # getRunTime() adds up over runs
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return OracleResult(None, -INF, -INF, True)
        info = h.getInfo()
        solution = h.getSolution()
        if not solution.value_valid:
            raise SolverError(
                "Der Panel-Oracle (HiGHS MIP) lieferte keine Lösung: "
                + h.modelStatusToString(status)
            )
        counts = np.rint(np.asarray(solution.col_value)).astype(np.int64)
        value = float(weights @ counts)
        # minimisation: the dual bound is a lower bound of -weight
        bound = -float(info.mip_dual_bound) * scale
        optimal = status == highspy.HighsModelStatus.kOptimal
        if not np.isfinite(bound) or bound < value:
            bound = value if optimal else INF
        others = [
            np.rint(np.asarray(saved.col_value)).astype(np.int64)
            for saved in reversed(h.getSavedMipSolutions()[:-1])
        ]
        return OracleResult(counts, value, max(bound, value), optimal, tuple(others))

    def improve(
        self, counts: np.ndarray, weights: np.ndarray, max_steps: int = 1000, width: int = 64
    ) -> np.ndarray:
        """Swap local search (heuristic pricing): replace one member by a member of another
        type while all quotas and the household rule stay satisfied, always taking the swap
        that gains most weight, until no swap gains. Only the `width` heaviest types are
        considered for entering. Returns a feasible panel at least as heavy as `counts`."""
        types = self.types
        profile = types.profile
        F = profile.shape[1]
        c = np.array(counts, dtype=np.int64)
        sizes = [len(v) for v in types.pool.values]
        cnt = [np.bincount(profile[:, f], weights=c, minlength=sizes[f]) for f in range(F)]
        group_count = np.bincount(
            self.group_of[self.group_of >= 0], weights=c[self.group_of >= 0],
            minlength=len(types.household_groups),
        )  # fmt: skip
        order = np.argsort(-weights, kind="stable")
        for _ in range(max_steps):
            out = np.flatnonzero(c > 0)
            floor = weights[out].min()
            room = c[order] < types.cap[order]
            cand = order[room & (weights[order] > floor + 1e-15)][:width]
            if len(cand) == 0:
                break
            ok = np.ones((len(out), len(cand)), dtype=bool)
            for f in range(F):
                vo, vi = profile[out, f], profile[cand, f]
                removable = cnt[f][vo] > self.quota_lower[f][vo]
                addable = cnt[f][vi] < self.quota_upper[f][vi]
                ok &= (vo[:, None] == vi[None, :]) | (removable[:, None] & addable[None, :])
            if len(group_count):
                gi, go = self.group_of[cand], self.group_of[out]
                blocked = (gi >= 0) & (group_count[np.maximum(gi, 0)] > 0)
                ok &= ~blocked[None, :] | (go[:, None] == gi[None, :])
            gain = np.where(ok, weights[cand][None, :] - weights[out][:, None], -np.inf)
            best = int(np.argmax(gain))
            o, i = divmod(best, len(cand))
            if not gain[o, i] > 1e-12:
                break
            t_out, t_in = int(out[o]), int(cand[i])
            c[t_out] -= 1
            c[t_in] += 1
            for f in range(F):
                cnt[f][profile[t_out, f]] -= 1
                cnt[f][profile[t_in, f]] += 1
            if self.group_of[t_out] >= 0:
                group_count[self.group_of[t_out]] -= 1
            if self.group_of[t_in] >= 0:
                group_count[self.group_of[t_in]] += 1
        return c

    def is_feasible(self, counts: np.ndarray) -> bool:
        c = np.asarray(counts)
        types = self.types
        if c.sum() != types.pool.panel_size or np.any(c < 0) or np.any(c > types.cap):
            return False
        for f in range(types.profile.shape[1]):
            cnt = np.bincount(types.profile[:, f], weights=c, minlength=len(self.quota_lower[f]))
            if np.any(cnt < self.quota_lower[f]) or np.any(cnt > self.quota_upper[f]):
                return False
        return all(c[group].sum() <= 1 for group in types.household_groups)

    def any_panel(self) -> np.ndarray | None:
        return self.maximize(np.zeros(self.types.count)).counts
