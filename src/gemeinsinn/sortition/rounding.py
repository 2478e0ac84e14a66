"""m equally likely panels for a public lottery.

A distribution with type probabilities π becomes a list of m panels (repetitions
allowed); drawing one of them uniformly gives person i the probability r_i / m, where r_i
is the number of listed panels containing i. We aim at |r_i / m − π_i| ≤ 1/m for all.

The reduction to types is exact. Every member of type t (s_t members) needs r_i in the
integer window [L_t, U_t] = [⌈mπ_t − 1⌉, ⌊mπ_t + 1⌋], so the type's seats
N_t = Σ_ℓ c_ℓt must lie in [s_t·L_t, s_t·U_t]. Conversely, if they do, dealing the seats
to the members cyclically (panel after panel, step 4) gives each member ⌊N_t/s_t⌋ or
⌈N_t/s_t⌉ seats, both in the window, and nobody sits twice on one panel. So *m panels
within 1/m exist if and only if m type panels with every N_t in its window exist*.

1. Heuristic. The m type panels are built one after the other, each maximising the seats
   of the types furthest behind their expected share so far (oracle weights = deficit per
   member). Sweeps then re-choose each panel with the others fixed, maximising
   Σ_t c_t · need_t·|need_t| / s_t, need_t = m·s_t·π_t − (seats of the other panels).
   This reaches every window in most cases (74 of 80 generated pool/m pairs probed).
2. Repair. Otherwise groups of 1, 2 and 3 panels are chosen anew, each group by a small
   integer program (as below) with the other panels fixed, while windows are missed.
3. Exact. If that is not enough, one integer program (HiGHS) decides: m copies of the
   oracle's rows (panel size, quotas, households) over counts c_ℓt, the windows as rows
   with slack variables, objective "total slack per member" (0 exactly when every window
   holds), the heuristic's panels as the starting solution, and the symmetry of the m
   panels broken by ordering them by a fixed linear key. Its LP bound is 0, so it stops
   at the first solution without slack; if it proves the optimum positive, no list of m
   panels keeps every marginal within 1/m (`status` "impossible"); if it hits its work
   limit first, the best panels found are used (`status` "node_limit"). The limit counts
   branch-and-bound nodes, not seconds, so the result does not depend on the machine's
   speed (deterministic).
4. Inside type t the N_t seats are dealt to the members cyclically.

Guarantee: whenever a list of m panels within 1/m exists and the integer program ends
within its node limit, the result is within 1/m (`within_bound`). A bound of 1/m cannot
be promised for every pool and m: quotas can make the windows infeasible. The uniform
lotteries of Flanigan, Kehne and Procaccia ("Fair sortition made transparent", NeurIPS
2021) round the distribution's own panels (dependent rounding, discrepancy arguments);
their proven deviations depend on the panel size and are weaker than 1/m. Here any
feasible panel may be used, which can only help.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from gemeinsinn.sortition.leximin import TypeDistribution
from gemeinsinn.sortition.oracle import PanelOracle
from gemeinsinn.sortition.solver import INF, build_lp, new_highs

MAX_SWEEPS = 30
NODE_LIMIT = 20_000  # branch-and-bound nodes of the exact integer program (deterministic)
REPAIR_GROUPS = (1, 2, 3)  # sizes of the panel groups re-chosen together before the full program
REPAIR_NODE_LIMIT = 200
TIME_LIMIT = 300.0  # seconds; only a safety net, reported as such when reached

STATUS_TEXT = {
    "heuristic": "eingehalten (schrittweise Verbesserung)",
    "exact": "eingehalten (ganzzahliges Programm)",
    "impossible": "unmöglich: das ganzzahlige Programm beweist, dass keine Losliste aus M "
    "Gremien jede Wahrscheinlichkeit auf 1/M genau trifft",
    "node_limit": "nicht erreicht: das ganzzahlige Programm hat seine Schrittgrenze "
    "erreicht, ohne Lösung oder Unmöglichkeitsbeweis",
    "time_limit": "nicht erreicht: das ganzzahlige Programm hat seine Zeitgrenze erreicht, "
    "ohne Lösung oder Unmöglichkeitsbeweis",
}


@dataclass
class Lottery:
    panels: tuple[tuple[int, ...], ...]  # m panels (person indices, sorted), canonical order
    max_deviation: float  # max_i |r_i/m − π_i|
    within_bound: bool  # max_deviation ≤ 1/m
    status: str = "heuristic"  # a key of STATUS_TEXT: how the result was reached

    def explanation(self) -> str:
        """German sentence for the output: was the bound 1/m kept, and how do we know."""
        return f"Schranke 1/M {STATUS_TEXT[self.status]}"


def windows(sizes: np.ndarray, p: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Seat windows [lower, upper] per type (see the module docstring)."""
    mp = m * p
    lower = sizes * np.maximum(np.ceil(mp - 1 - 1e-9), 0)
    upper = sizes * np.floor(mp + 1 + 1e-9)
    return lower, upper


def window_violation(seats: np.ndarray, sizes: np.ndarray, p: np.ndarray, m: int) -> np.ndarray:
    lower, upper = windows(sizes, p, m)
    return np.maximum(lower - seats, 0) + np.maximum(seats - upper, 0)


def deficit_panels(oracle: PanelOracle, p: np.ndarray, m: int) -> np.ndarray:
    """m panels built one after the other, each maximising the seats given to the types
    most behind their expected number of seats so far (weights = deficit per member)."""
    types = oracle.types
    seats = np.zeros(types.count)
    rows = []
    for ell in range(1, m + 1):
        deficit = ell * types.size * p - seats
        result = oracle.maximize(deficit / types.size)
        if result.counts is None:
            break
        rows.append(result.counts)
        seats += result.counts
    return np.array(rows, dtype=np.int64).reshape(-1, types.count)


def sweep_panels(oracle: PanelOracle, p: np.ndarray, m: int) -> list[np.ndarray]:
    """Step 1 of the module docstring: deficit panels, then sweeps."""
    types = oracle.types
    rows = list(deficit_panels(oracle, p, m))
    seats = np.sum(rows, axis=0)
    ideal = m * types.size * p
    for _ in range(MAX_SWEEPS):
        if not window_violation(seats, types.size, p, m).any():
            break
        for ell in range(m):
            seats = seats - rows[ell]
            need = ideal - seats
            choice = oracle.maximize(need * np.abs(need) / types.size).counts
            rows[ell] = choice
            seats = seats + choice
    return rows


def symmetry_key(type_count: int) -> np.ndarray:
    """Fixed integer key per type; the exact program lists its panels by decreasing
    Σ_t key_t c_t (any list of panels can be sorted so: a valid symmetry break)."""
    return 1.0 + np.arange(type_count, dtype=float) % 97


def panels_program(
    oracle: PanelOracle,
    count: int,
    lower: np.ndarray,
    upper: np.ndarray,
    start: list[np.ndarray],
    node_limit: int,
) -> tuple[list[np.ndarray], highspy.HighsModelStatus]:
    """`count` type panels whose seats lie in [lower, upper] per type, or as close as
    possible (slack per member minimised), by one integer program started from `start`.
    Returns the panels (`start` if nothing better was found) and HiGHS' status."""
    types = oracle.types
    T = types.count
    lp = oracle.lp
    key = symmetry_key(T)
    R0 = lp.num_row_
    starts, index, value = (
        np.asarray(lp.a_matrix_.start_),
        np.asarray(lp.a_matrix_.index_),
        np.asarray(lp.a_matrix_.value_),
    )
    window_row = count * R0  # rows: `count` panel blocks, T windows, count − 1 order rows
    order_row = window_row + T
    columns = []
    for ell in range(count):
        for t in range(T):
            rows = index[starts[t] : starts[t + 1]] + ell * R0
            vals = value[starts[t] : starts[t + 1]]
            extra_rows, extra_vals = [window_row + t], [1.0]
            if ell < count - 1:
                extra_rows.append(order_row + ell)
                extra_vals.append(key[t])
            if ell > 0:
                extra_rows.append(order_row + ell - 1)
                extra_vals.append(-key[t])
            columns.append((np.append(rows, extra_rows), np.append(vals, extra_vals)))
    for sign in (1.0, -1.0):  # under_t, then over_t
        for t in range(T):
            columns.append((np.array([window_row + t]), np.full(1, sign)))
    n_int = count * T
    per_member = 1.0 / types.size
    model = build_lp(
        cost=np.concatenate([np.zeros(n_int), per_member, per_member]),
        col_lower=np.zeros(n_int + 2 * T),
        col_upper=np.concatenate([np.tile(types.cap.astype(float), count), np.full(2 * T, INF)]),
        row_lower=np.concatenate([np.tile(lp.row_lower_, count), lower, np.zeros(count - 1)]),
        row_upper=np.concatenate([np.tile(lp.row_upper_, count), upper, np.full(count - 1, INF)]),
        columns=columns,
        integer=np.concatenate([np.ones(n_int, dtype=bool), np.zeros(2 * T, dtype=bool)]),
    )
    h = new_highs(mip_max_nodes=node_limit, time_limit=TIME_LIMIT, mip_rel_gap=0.0)
    h.passModel(model)
    ordered = sorted(start, key=lambda c: -float(key @ c))
    seats = np.sum(ordered, axis=0)
    before = np.maximum(lower - seats, 0) + np.maximum(seats - upper, 0)
    solution = highspy.HighsSolution()
    solution.col_value = np.concatenate(
        [np.concatenate(ordered), np.maximum(lower - seats, 0), np.maximum(seats - upper, 0)]
    ).tolist()
    solution.value_valid = True
    h.setSolution(solution)
    h.run()
    found = h.getSolution()
    if found.value_valid:
        x = np.rint(np.asarray(found.col_value)[:n_int]).astype(np.int64).reshape(count, T)
        total = x.sum(axis=0)
        after = np.maximum(lower - total, 0) + np.maximum(total - upper, 0)
        if all(oracle.is_feasible(c) for c in x) and per_member @ after < per_member @ before:
            return list(x), h.getModelStatus()
    return list(start), h.getModelStatus()


def repair_panels(
    oracle: PanelOracle, p: np.ndarray, m: int, rows: list[np.ndarray]
) -> list[np.ndarray]:
    """Re-choose small groups of panels exactly (each a small integer program with the
    other panels fixed) while that reduces the window violation."""
    types = oracle.types
    lower, upper = windows(types.size, p, m)
    rows = list(rows)
    for group in REPAIR_GROUPS:
        if group > m:
            break
        for offset in range(m):
            seats = np.sum(rows, axis=0)
            if not window_violation(seats, types.size, p, m).any():
                return rows
            chosen = [(offset + j * max(1, m // group)) % m for j in range(group)]
            chosen = sorted(set(chosen))
            rest = seats - np.sum([rows[j] for j in chosen], axis=0)
            new, _ = panels_program(
                oracle, len(chosen), lower - rest, upper - rest,
                [rows[j] for j in chosen], REPAIR_NODE_LIMIT,
            )  # fmt: skip
            for j, c in zip(chosen, new, strict=True):
                rows[j] = c
    return rows


def exact_panels(
    oracle: PanelOracle, p: np.ndarray, m: int, start: list[np.ndarray]
) -> tuple[list[np.ndarray], str]:
    """Steps 2 and 3 of the module docstring: (m type panels, status)."""
    types = oracle.types
    rows = repair_panels(oracle, p, m, start)
    if not window_violation(np.sum(rows, axis=0), types.size, p, m).any():
        return rows, "exact"
    lower, upper = windows(types.size, p, m)
    rows, status = panels_program(oracle, m, lower, upper, rows, NODE_LIMIT)
    if not window_violation(np.sum(rows, axis=0), types.size, p, m).any():
        return rows, "exact"
    if status == highspy.HighsModelStatus.kOptimal:
        return rows, "impossible"
    if status == highspy.HighsModelStatus.kTimeLimit:
        return rows, "time_limit"
    return rows, "node_limit"


def deal(oracle: PanelOracle, type_panels: list[np.ndarray]) -> list[list[int]]:
    """Step 4: the seats of each type dealt cyclically to its members, panel after panel."""
    types = oracle.types
    people_panels: list[list[int]] = [[] for _ in type_panels]
    for t in range(types.count):
        members = types.members[t]
        pointer = 0
        for ell, row in enumerate(type_panels):
            c = int(row[t])
            for q in range(c):
                people_panels[ell].append(int(members[(pointer + q) % len(members)]))
            pointer = (pointer + c) % len(members)
    return people_panels


def lottery(
    result: TypeDistribution,
    m: int,
    oracle: PanelOracle | None = None,
) -> Lottery:
    """m panels of people, equally likely, every marginal within 1/m of the distribution's
    whenever that is possible (see the module docstring)."""
    if m < 1:
        raise ValueError("m muss mindestens 1 sein.")
    types = result.types
    oracle = oracle if oracle is not None else PanelOracle(types)
    p = result.probabilities()
    rows = sweep_panels(oracle, p, m)
    status = "heuristic"
    if window_violation(np.sum(rows, axis=0), types.size, p, m).any():
        rows, status = exact_panels(oracle, p, m, rows)
    panels = tuple(sorted(tuple(sorted(panel)) for panel in deal(oracle, rows)))
    seats = np.zeros(types.pool.n)
    for panel in panels:
        seats[list(panel)] += 1
    deviation = float(np.max(np.abs(seats / m - types.person_probabilities(p))))
    return Lottery(panels, deviation, deviation <= 1.0 / m + 1e-9, status)
