"""MAXIMIN and exact LEXIMIN by column generation over types (HiGHS only).

The master LP over the panels found so far (columns λ_P, a panel is a type-count
vector c_P, a_Pt = c_Pt / s_t is the share of type t's members it takes):

    min −z   s.t.  Σ_P a_Pt λ_P − z ≥ 0     for every unfixed type t   (dual y_t ≥ 0)
                   Σ_P a_Pt λ_P     ≥ π_t   for every fixed type t     (dual w_t ≥ 0)
                   Σ_P λ_P = 1,  λ ≥ 0                                  (dual −μ)

Each round starts from the LP relaxation of the panel polytope (`sortition.relaxation`):
its panels usually let the master reach the relaxation's upper bound at once, and its
duals are then the certificate below. Only where they are not (an integrality gap) does
column generation run: the oracle prices a panel with weights (y_t + w_t) / s_t per
member; a panel worth more than μ enters the LP; when no panel improves, the round ends.

Which types to fix. For any y ≥ 0 with Σ_unfixed y = 1 and any w ≥ 0, let V be the
oracle's proven upper bound for the weights (y + w)/s. Every distribution over *all*
panels then satisfies Σ_U y_t p_t + Σ_F w_t p_t ≤ V, so every distribution that keeps the
fixed types at ≥ π and the unfixed ones at ≥ z satisfies, for each unfixed t,

    p_t ≤ z + ε / y_t,    ε = V − Σ_F w_t π_t − z.

With z the value our own distribution reaches, ε is a proven gap, and t is fixed at z
when ε / y_t ≤ FIX_TOLERANCE. The duals come from interior-point solutions without
crossover (HiGHS IPX, `run_crossover=off`) of the relaxation or of the master, which lie
near the analytic centre of the optimal dual face and are therefore (nearly) strictly
complementary — all types that cannot rise get a clearly positive dual, so a whole level
is fixed at once; after column generation also from the simplex vertex dual, whose gap
is tiny and which guarantees progress. We fix the union. No type is fixed on a guess;
each fixing carries its certificate.

Volunteers of the same type get the same probability (the LEXIMIN optimum is unique,
hence symmetric), so working with types loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from gemeinsinn.sortition.model import TypeModel
from gemeinsinn.sortition.oracle import OracleResult, PanelOracle
from gemeinsinn.sortition.progress import Progress, ProgressCallback, no_progress
from gemeinsinn.sortition.relaxation import FaceWalk, solve_relaxation
from gemeinsinn.sortition.solver import INF, SolverError, build_lp, new_highs, set_options

FIX_TOLERANCE = 5e-8  # a type is fixed only if it provably cannot rise by more than this
PRICE_TOLERANCE = 1e-11  # a panel enters the LP if it beats μ by more than this (relative)
GAP_FLOOR = 1e-13  # floating-point noise floor for the proven gap
FEASIBILITY_TOLERANCE = 1e-9  # LP primal/dual feasibility tolerances
HEURISTIC_STARTS = 12  # local searches per pricing round (more columns per round)
MASTER_COLUMNS_PER_TYPE = 3  # the LP keeps at most this many panels per type
SMOOTHING = 0.5  # weight of the stability centre in the pricing dual (0: off)
SIMPLEX_STRATEGY = 4  # primal simplex: a new column keeps the basis primal feasible


class InfeasibleQuotas(Exception):
    """No panel satisfies the quotas and the household rule."""


@dataclass
class TypeDistribution:
    """A distribution over type-count panels (the result before expansion to people).

    `target[t]` is the probability every member of type t must get (the fixed LEXIMIN
    values, the MAXIMIN guarantee, …); `probabilities()` is what the distribution gives.
    """

    types: TypeModel
    panels: np.ndarray  # (P, T) type counts
    weights: np.ndarray  # (P,)
    target: np.ndarray  # (T,)
    algorithm: str
    excluded: np.ndarray  # types in no feasible panel (probability 0)
    stats: dict = field(default_factory=dict)

    def probabilities(self) -> np.ndarray:
        return (self.weights @ self.panels) / self.types.size


class PanelSet:
    """Distinct panels (type-count vectors) in the order they were found."""

    def __init__(self, type_count: int):
        self.type_count = type_count
        self.rows: list[np.ndarray] = []
        self._index: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, counts: np.ndarray) -> bool:
        counts = np.asarray(counts, dtype=np.int64)
        key = counts.tobytes()
        if key in self._index:
            return False
        self._index[key] = len(self.rows)
        self.rows.append(counts)
        return True

    def matrix(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, self.type_count), dtype=np.int64)
        return np.vstack(self.rows)


def cover(
    types: TypeModel,
    oracle: PanelOracle,
    panels: PanelSet,
    report: ProgressCallback,
    started: float,
) -> np.ndarray:
    """Find panels until every type that can be on a panel is on one; return the mask of
    types that are on no feasible panel at all (they get probability 0).

    Uncovered types weigh 1/cap per member so that the oracle prefers many different rare
    types over many members of one common type."""
    covered = np.zeros(types.count, dtype=bool)
    for counts in panels.rows:
        covered |= counts > 0
    weight_uncovered = 1.0 / types.cap
    while not covered.all():
        weights = np.where(covered, 0.0, weight_uncovered)
        result = oracle.maximize(weights)
        if result.counts is None:
            raise InfeasibleQuotas()
        if result.bound <= 1e-9 or not np.any((result.counts > 0) & ~covered):
            break  # proven: no panel contains any uncovered type
        panels.add(result.counts)
        covered |= result.counts > 0
        report(
            Progress(
                "cover",
                "Startgremien suchen",
                panels=len(panels),
                seconds=time.monotonic() - started,
            )
        )
    return ~covered


@dataclass
class MasterSolution:
    lam: np.ndarray  # (P,) clipped, normalised
    p: np.ndarray  # (T,) type probabilities of that distribution
    z: float  # min over unfixed types of p
    duals: np.ndarray  # (T,) row duals (0 for excluded types)
    mu: float
    method: str


class Master:
    """The restricted master LP of one round (see the module docstring)."""

    def __init__(
        self,
        types: TypeModel,
        panels: PanelSet,
        active: np.ndarray,
        fixed: np.ndarray,
        target: np.ndarray,
    ):
        self.types = types
        self.active_types = np.flatnonzero(active)
        self.row_of = np.full(types.count, -1, dtype=np.int64)
        self.row_of[self.active_types] = np.arange(len(self.active_types))
        self.fixed = fixed
        self.unfixed_rows = self.row_of[active & ~fixed]
        self.fixed_rows = self.row_of[active & fixed]
        self.sum_row = len(self.active_types)
        R = self.sum_row + 1
        row_lower = np.zeros(R)
        row_upper = np.full(R, INF)
        row_lower[self.fixed_rows] = target[self.active_types][self.fixed_rows]
        row_lower[self.sum_row] = row_upper[self.sum_row] = 1.0
        z_column = (self.unfixed_rows.astype(np.int64), -np.ones(len(self.unfixed_rows)))
        cols = [z_column] + [self._column(c) for c in panels.rows]
        self.columns: list[np.ndarray] = list(panels.rows)
        self.keys = {c.tobytes() for c in self.columns}
        P = len(panels.rows)
        lp = build_lp(
            cost=np.concatenate([[-1.0], np.zeros(P)]),
            col_lower=np.zeros(P + 1),
            col_upper=np.full(P + 1, INF),
            row_lower=row_lower,
            row_upper=row_upper,
            columns=cols,
        )
        tol = FEASIBILITY_TOLERANCE
        self.h = new_highs(
            solver="simplex",
            presolve="off",
            simplex_strategy=SIMPLEX_STRATEGY,
            primal_feasibility_tolerance=tol,
            dual_feasibility_tolerance=tol,
        )
        self.h.passModel(lp)

    def fix(self, newly: np.ndarray, target: np.ndarray) -> None:
        """Turn the rows of the `newly` fixed types from "≥ z" into "≥ their value", in
        place: the LP keeps its columns and its basis (the current distribution stays
        feasible, since it gives those types at least z), so the next round starts warm."""
        for t in np.flatnonzero(newly & (self.row_of >= 0)):
            row = int(self.row_of[t])
            self.h.changeCoeff(row, 0, 0.0)
            self.h.changeRowBounds(row, float(target[t]), INF)
        active = self.row_of >= 0
        self.unfixed_rows = self.row_of[active & ~self.fixed]
        self.fixed_rows = self.row_of[active & self.fixed]

    def _column(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.flatnonzero(counts)
        rows = self.row_of[t]
        keep = rows >= 0
        t, rows = t[keep], rows[keep]
        values = counts[t] / self.types.size[t]
        return np.append(rows, self.sum_row), np.append(values, 1.0)

    def add(self, counts: np.ndarray) -> bool:
        """Add a panel as a column; False if the LP has it already."""
        key = counts.tobytes()
        if key in self.keys:
            return False
        rows, values = self._column(counts)
        self.h.addCol(0.0, 0.0, INF, len(rows), rows.astype(np.int32), values)
        self.columns.append(counts)
        self.keys.add(key)
        return True

    def prune(self, limit: int) -> bool:
        """Keep the LP small: when it has more than `limit` panel columns, drop the
        non-basic ones with the worst reduced cost (they stay known in the PanelSet and
        come back if a later dual prices them in)."""
        if len(self.columns) <= limit:
            return False
        basis = self.h.getBasis()
        if not basis.valid:
            return False
        status = np.array([int(x) for x in basis.col_status])[1:]
        basic = status == int(highspy.HighsBasisStatus.kBasic)
        reduced = np.asarray(self.h.getSolution().col_dual)[1:]
        drop_count = len(self.columns) - int(0.7 * limit)
        order = np.argsort(-np.where(basic, -np.inf, reduced), kind="stable")
        drop = np.sort(order[:drop_count][~basic[order[:drop_count]]])
        if len(drop) == 0:
            return False
        self.h.deleteCols(len(drop), (drop + 1).astype(np.int32))
        keep = np.ones(len(self.columns), dtype=bool)
        keep[drop] = False
        self.columns = [c for c, k in zip(self.columns, keep, strict=True) if k]
        self.keys = {c.tobytes() for c in self.columns}
        return True

    def _read(self, h: highspy.Highs, method: str) -> MasterSolution:
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(
                f"Das Master-LP ({method}) endete mit Status {h.modelStatusToString(status)}."
            )
        solution = h.getSolution()
        x = np.asarray(solution.col_value)
        lam = np.clip(x[1:], 0.0, None)
        total = lam.sum()
        if total <= 0:
            raise SolverError("Das Master-LP lieferte keine Verteilung.")
        lam = lam / total
        counts = np.vstack(self.columns)
        p = (lam @ counts) / self.types.size
        duals = np.zeros(self.types.count)
        row_dual = np.asarray(solution.row_dual)
        duals[self.active_types] = row_dual[: self.sum_row]
        unfixed = self.active_types[~self.fixed[self.active_types]]
        z = float(p[unfixed].min()) if len(unfixed) else 1.0
        return MasterSolution(lam, p, z, duals, -float(row_dual[self.sum_row]), method)

    def solve_simplex(self) -> MasterSolution:
        self.h.run()
        return self._read(self.h, "Simplex")

    def solve(self) -> MasterSolution:
        """The simplex solution, after pruning if the LP has grown too large."""
        solution = self.solve_simplex()
        if self.prune(max(MASTER_COLUMNS_PER_TYPE * len(self.active_types), 200)):
            solution = self.solve_simplex()  # same optimum, indices of the kept columns
        return solution

    def solve_interior(self) -> MasterSolution:
        """Interior point without crossover: duals near the analytic centre of the optimal
        face (strictly complementary up to the solver's tolerance)."""
        h = new_highs(
            solver="ipx",
            run_crossover="off",
            presolve="off",
            ipm_optimality_tolerance=1e-10,
            primal_feasibility_tolerance=FEASIBILITY_TOLERANCE,
            dual_feasibility_tolerance=FEASIBILITY_TOLERANCE,
        )
        h.passModel(self.h.getLp())
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            set_options(h, ipm_optimality_tolerance=1e-8)
            h.clearSolver()
            h.run()
        return self._read(h, "Innere-Punkte")


@dataclass
class Certificate:
    """Proven bounds from one dual solution (see the module docstring)."""

    y: np.ndarray  # normalised duals of the unfixed rows (0 elsewhere)
    w: np.ndarray  # normalised duals of the fixed rows (0 elsewhere)
    oracle: OracleResult
    upper_bound: float  # no distribution keeps all unfixed types above this
    mu: float  # the LP's μ on the same scale as y and w

    def improving(self) -> bool:
        """The oracle's panel would enter the LP (it beats μ)."""
        result = self.oracle
        return result.counts is not None and result.value > self.mu + PRICE_TOLERANCE * max(
            1.0, abs(self.mu)
        )


def normalised_duals(
    duals: np.ndarray, mu: float, unfixed: np.ndarray, fixed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """(y, w, μ) scaled so that Σ_unfixed y = 1 (negative noise clipped)."""
    y = np.where(unfixed, np.clip(duals, 0.0, None), 0.0)
    w = np.where(fixed, np.clip(duals, 0.0, None), 0.0)
    total = y.sum()
    if total <= 0:
        return unfixed / max(unfixed.sum(), 1), np.zeros_like(w), INF
    return y / total, w / total, mu / total


@dataclass
class Round:
    """One LEXIMIN round: the master LP and the state it is solved for."""

    master: Master
    panels: PanelSet
    oracle: PanelOracle
    unfixed: np.ndarray  # types still free
    fixed: np.ndarray  # fixed types in the LP
    target: np.ndarray  # their values
    on_iteration: Callable[[MasterSolution], None]
    previous: MasterSolution | None  # the last round's distribution

    def duals(self, duals: np.ndarray, mu: float) -> tuple[np.ndarray, np.ndarray, float]:
        return normalised_duals(duals, mu, self.unfixed, self.fixed)

    def certificate(self, y: np.ndarray, w: np.ndarray, mu: float) -> Certificate:
        result = self.oracle.maximize((y + w) / self.master.types.size)
        return Certificate(y, w, result, result.bound - float(w @ self.target), mu)

    def certify(self, duals: np.ndarray, mu: float) -> Certificate:
        return self.certificate(*self.duals(duals, mu))

    def add(self, candidates) -> bool:
        """Add the feasible panels among `candidates` to the LP; True if any was new."""
        added = False
        for counts in candidates:
            if self.oracle.is_feasible(counts) and self.master.add(counts):
                self.panels.add(counts)
                added = True
        return added


def heuristic_columns(
    master: Master, solution: MasterSolution, oracle: PanelOracle, weights: np.ndarray, mu: float
) -> list[np.ndarray]:
    """Panels with positive reduced cost found by swap local search from the panels the
    LP uses most (cheap; the exact oracle is only needed when this finds nothing)."""
    threshold = mu + PRICE_TOLERANCE * max(1.0, abs(mu))
    used = np.flatnonzero(solution.lam > 1e-12)
    values = np.array([weights @ master.columns[j] for j in used])
    starts = used[np.argsort(-values, kind="stable")[:HEURISTIC_STARTS]]
    found: list[np.ndarray] = []
    seen: set[bytes] = set()
    for j in starts:
        counts = oracle.improve(master.columns[j], weights)
        key = counts.tobytes()
        if weights @ counts > threshold and key not in seen:
            seen.add(key)
            found.append(counts)
    return found


def column_generation(state: Round) -> tuple[MasterSolution, Certificate, Certificate]:
    """Add improving panels until none is left.

    Pricing uses dual smoothing (Wentges): the oracle is asked at a point between the
    best dual found so far (the *centre*, smallest proven upper bound) and the LP's
    current dual, which damps the oscillation of simplex duals and cuts the number of
    rounds. If the smoothed point yields no panel that improves the LP (mis-pricing),
    the oracle is asked at the LP dual itself; only then may the loop end. Cheap swap
    local search adds further improving panels.

    Returns the last LP solution, the certificate at the LP dual and the centre."""
    master = state.master
    centre: Certificate | None = None
    while True:
        solution = master.solve()
        y, w, mu = state.duals(solution.duals, solution.mu)
        weights = (y + w) / master.types.size
        threshold = mu + PRICE_TOLERANCE * max(1.0, abs(mu))

        def offer(candidates, weights=weights, threshold=threshold) -> bool:
            """Add every candidate that beats the LP's bound (several per pricing round: the
            local searches' and the MIP's earlier improving solutions cost nothing extra)."""
            return state.add(c for c in candidates if c is not None and weights @ c > threshold)

        added = offer(heuristic_columns(master, solution, state.oracle, weights, mu))
        if centre is None:
            centre = state.certificate(y, w, mu)
            added |= offer((centre.oracle.counts, *centre.oracle.others))
        elif SMOOTHING > 0:
            smoothed = state.certificate(
                SMOOTHING * centre.y + (1 - SMOOTHING) * y,
                SMOOTHING * centre.w + (1 - SMOOTHING) * w,
                mu,
            )
            if smoothed.upper_bound < centre.upper_bound:
                centre = smoothed
            added |= offer((smoothed.oracle.counts, *smoothed.oracle.others))
        if added:
            state.on_iteration(solution)
            continue
        cert = state.certificate(y, w, mu)
        if cert.upper_bound < centre.upper_bound:
            centre = cert
        if cert.improving() and offer((cert.oracle.counts, *cert.oracle.others)):
            state.on_iteration(solution)
            continue
        return solution, cert, centre


def solve_round(
    state: Round, walk: FaceWalk, active: np.ndarray
) -> tuple[MasterSolution, list[Certificate]]:
    """The round's best distribution and the certificates to fix types with.

    First the LP relaxation (`sortition.relaxation`): its face walk's panels usually let
    the master reach the relaxation's bound, and then the relaxation's duals prove which
    types are stuck. Only if they prove nothing, column generation runs to the optimum."""
    relaxed = solve_relaxation(state.oracle, active, state.fixed, state.target)
    if relaxed is None:
        return converge(state, [])
    # no μ of the master's: this certificate never offers a panel
    y, w, _ = state.duals(relaxed.duals, INF)
    polished = relaxed.fixed_duals(y)
    cert = state.certificate(y, w if polished is None else polished, INF)
    if state.previous is not None:
        # the last round's distribution reaches the bound when the level repeats
        p = state.previous.p
        solution = replace(state.previous, z=float(p[state.unfixed].min()))
        if _fixable(cert, solution.z, state.unfixed).any():
            return solution, [cert]
        state.master.prune(0)  # the old panels that the LP does not use are not needed
    state.add(walk.panels(relaxed.counts))
    solution = state.master.solve()
    if _fixable(cert, solution.z, state.unfixed).any():
        return solution, [cert]
    return converge(state, [cert])


def converge(
    state: Round, certificates: list[Certificate]
) -> tuple[MasterSolution, list[Certificate]]:
    """Column generation until no panel improves, then the interior-point duals."""
    while True:
        simplex, simplex_cert, centre_cert = column_generation(state)
        interior = state.master.solve_interior()
        interior_cert = state.certify(interior.duals, interior.mu)
        if interior_cert.improving() and state.add([interior_cert.oracle.counts]):
            continue  # the interior duals found a better panel: back to the simplex
        break
    candidates = [s for s in (simplex, interior) if _respects(s, state.fixed, state.target)]
    best = max(candidates or [simplex], key=lambda s: s.z)
    return best, [*certificates, simplex_cert, interior_cert, centre_cert]


def _last_resort(certificates: list[Certificate], z: float, unfixed: np.ndarray) -> np.ndarray:
    """Cannot happen with exact arithmetic: no certificate fixes a type within
    FIX_TOLERANCE. Fix the type with the smallest proven gap if that is still within the
    accuracy promised (1e-6)."""
    best_gap, best_t = INF, -1
    for cert in certificates:
        gap = max(cert.upper_bound - z, GAP_FLOOR)
        ratio = np.where(unfixed & (cert.y > 0), gap / np.maximum(cert.y, GAP_FLOOR), INF)
        t = int(np.argmin(ratio))
        if ratio[t] < best_gap:
            best_gap, best_t = float(ratio[t]), t
    if best_gap > 1e-6:
        raise SolverError(
            "LEXIMIN: keine Person ließ sich mit Nachweis festlegen "
            f"(Lücke {best_gap:.3g}). Bitte melden Sie diesen Fall."
        )
    to_fix = np.zeros(len(unfixed), dtype=bool)
    to_fix[best_t] = True
    return to_fix


def _fixable(cert: Certificate, z: float, unfixed: np.ndarray) -> np.ndarray:
    gap = max(cert.upper_bound - z, GAP_FLOOR)
    return unfixed & (cert.y > 0) & (gap <= FIX_TOLERANCE * cert.y)


def solve_leximin(
    types: TypeModel,
    progress: ProgressCallback = no_progress,
    maximin_only: bool = False,
    oracle: PanelOracle | None = None,
    panels: PanelSet | None = None,
) -> TypeDistribution:
    """LEXIMIN (or, with `maximin_only`, MAXIMIN) over types. Raises `InfeasibleQuotas`."""
    started = time.monotonic()
    T = types.count
    n = int(types.size.sum())
    oracle = oracle if oracle is not None else PanelOracle(types)
    panels = panels if panels is not None else PanelSet(T)

    def report(stage, message, fixed_people=0, value=None):
        progress(
            Progress(
                stage,
                message,
                fixed=fixed_people,
                total=n,
                panels=len(panels),
                value=value,
                seconds=time.monotonic() - started,
            )
        )

    first = oracle.any_panel()
    if first is None:
        raise InfeasibleQuotas()
    panels.add(first)
    excluded = cover(types, oracle, panels, progress, started)
    walk = FaceWalk(oracle)
    active = ~excluded
    fixed = excluded.copy()  # excluded types are fixed at 0 and not in the LP
    target = np.zeros(T)
    rounds = 0
    levels: list[float] = []
    last_solution = None
    master = None
    while not fixed.all():
        rounds += 1
        unfixed = active & ~fixed
        fixed_active = active & fixed
        if master is None:
            master = Master(types, panels, active, fixed, target)
        report("round", f"Runde {rounds}", int(types.size[fixed].sum()))

        def on_iteration(solution, rounds=rounds, fixed=fixed):
            if len(panels) % 25 == 0:
                report("round", f"Runde {rounds}", int(types.size[fixed].sum()), solution.z)

        state = Round(
            master, panels, oracle, unfixed, fixed_active, target, on_iteration, last_solution
        )
        best, certificates = solve_round(state, walk, active)
        z = best.z
        to_fix = np.zeros(T, dtype=bool)
        for cert in certificates:
            to_fix |= _fixable(cert, z, unfixed)
        if maximin_only:
            last_solution = best
            levels.append(z)
            break
        if not to_fix.any():
            to_fix = _last_resort(certificates, z, unfixed)
        target[to_fix] = z
        fixed |= to_fix
        master.fix(to_fix, target)
        levels.append(z)
        last_solution = best
        report("round", f"Runde {rounds} fertig", int(types.size[fixed].sum()), z)
    if maximin_only:
        target = np.where(active, levels[0] if levels else 0.0, 0.0)
    distribution = result_distribution(types, master, panels, active, target)
    stats = {
        "rounds": rounds,
        "panels_generated": len(panels),
        "oracle_calls": oracle.calls,
        "oracle_seconds": oracle.seconds,
        "levels": levels,
        "seconds": time.monotonic() - started,
    }
    if last_solution is not None:
        stats["last_value"] = last_solution.z
    report("final", "Verteilung berechnet", n)
    return TypeDistribution(
        types=types,
        panels=distribution[0],
        weights=distribution[1],
        target=target,
        algorithm="maximin" if maximin_only else "leximin",
        excluded=excluded,
        stats=stats,
    )


def _respects(solution: MasterSolution, fixed: np.ndarray, target: np.ndarray) -> bool:
    return bool(np.all(solution.p[fixed] >= target[fixed] - 1e-9))


def result_distribution(
    types: TypeModel,
    master: Master | None,
    panels: PanelSet,
    active: np.ndarray,
    target: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The final distribution over the master LP's panels, which meet the targets unless
    pruning dropped some; else over every panel found (many more, a slower LP)."""
    if master is not None:
        matrix, weights = final_distribution(types, np.vstack(master.columns), active, target)
        p = (weights @ matrix) / types.size
        if np.all(p[active] >= target[active] - 1e-9):
            return matrix, weights
    return final_distribution(types, panels.matrix(), active, target)


def final_distribution(
    types: TypeModel, matrix: np.ndarray, active: np.ndarray, target: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A vertex distribution (simplex) over the panels (rows of `matrix`) whose type
    probabilities meet `target` (shortfalls are penalised, not forbidden, so the LP is
    always feasible). A vertex has at most T+1 panels with weight."""
    active_types = np.flatnonzero(active)
    row_of = np.full(types.count, -1)
    row_of[active_types] = np.arange(len(active_types))
    R = len(active_types)
    columns = []
    for counts in matrix:
        t = np.flatnonzero(counts)
        t = t[row_of[t] >= 0]
        columns.append((np.append(row_of[t], R), np.append(counts[t] / types.size[t], 1.0)))
    for r in range(R):
        columns.append((np.array([r]), np.ones(1)))  # shortfall d_t
    P = len(matrix)
    sizes = types.size[active_types].astype(float)
    lp = build_lp(
        cost=np.concatenate([np.zeros(P), sizes]),
        col_lower=np.zeros(P + R),
        col_upper=np.full(P + R, INF),
        row_lower=np.append(target[active_types], 1.0),
        row_upper=np.append(np.full(R, INF), 1.0),
        columns=columns,
    )
    h = new_highs(
        solver="simplex",
        presolve="off",
        primal_feasibility_tolerance=FEASIBILITY_TOLERANCE,
        dual_feasibility_tolerance=FEASIBILITY_TOLERANCE,
    )
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolverError("Die abschließende Verteilung konnte nicht berechnet werden.")
    x = np.asarray(h.getSolution().col_value)[:P]
    x = np.where(x > 1e-13, x, 0.0)
    keep = np.flatnonzero(x)
    weights = x[keep] / x[keep].sum()
    return matrix[keep], weights
