"""m equally likely panels for a public lottery.

A distribution with type probabilities π becomes a list of m panels (repetitions
allowed); drawing one of them uniformly gives person i the probability r_i / m, where r_i
is the number of listed panels containing i. We aim at |r_i / m − π_i| ≤ 1/m for all:

1. Over types, the seats N_t = Σ_ℓ c_ℓt must lie in the window
   [s_t·⌈mπ_t − 1⌉, s_t·⌊mπ_t + 1⌋].
   The m type panels are first built one after the other, each maximising the seats of
   the types furthest behind their expected share so far (oracle weights = deficit per
   member). Then sweeps re-choose each panel in turn with the others fixed, maximising
   Σ_t c_t · need_t·|need_t| / s_t, need_t = m·s_t·π_t − (seats of the other panels):
   large shortfalls pull, large surpluses push. Sweeps stop when every window holds.
2. Inside type t the N_t seats are dealt to the members cyclically (panel after panel),
   so each member gets ⌊N_t/s_t⌋ or ⌈N_t/s_t⌉ seats and nobody sits twice on one panel;
   with the window of step 1 both lie within 1 of mπ_t.

The window is a discrepancy condition that cannot be guaranteed for every pool and m;
the result reports the deviation reached (`max_deviation`, `within_bound`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gemeinsinn.sortition.leximin import TypeDistribution
from gemeinsinn.sortition.oracle import PanelOracle

MAX_SWEEPS = 30


@dataclass
class Lottery:
    panels: tuple[tuple[int, ...], ...]  # m panels (person indices, sorted), canonical order
    max_deviation: float  # max_i |r_i/m − π_i|
    within_bound: bool  # max_deviation ≤ 1/m


def window_violation(seats: np.ndarray, sizes: np.ndarray, p: np.ndarray, m: int) -> np.ndarray:
    mp = m * p
    lower = sizes * np.maximum(np.ceil(mp - 1 - 1e-9), 0)
    upper = sizes * np.floor(mp + 1 + 1e-9)
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


def lottery(
    result: TypeDistribution,
    m: int,
    oracle: PanelOracle | None = None,
) -> Lottery:
    """m panels of people, equally likely, every marginal within 1/m of the distribution's
    (see the module docstring)."""
    if m < 1:
        raise ValueError("m muss mindestens 1 sein.")
    types = result.types
    oracle = oracle if oracle is not None else PanelOracle(types)
    p = result.probabilities()
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
    type_panels = rows
    # deal seats within each type cyclically, panel after panel
    people_panels: list[list[int]] = [[] for _ in type_panels]
    for t in range(types.count):
        members = types.members[t]
        pointer = 0
        for ell, row in enumerate(type_panels):
            c = int(row[t])
            for q in range(c):
                people_panels[ell].append(int(members[(pointer + q) % len(members)]))
            pointer = (pointer + c) % len(members)
    panels = tuple(sorted(tuple(sorted(panel)) for panel in people_panels))
    seats = np.zeros(types.pool.n)
    for panel in panels:
        seats[list(panel)] += 1
    deviation = float(np.max(np.abs(seats / m - types.person_probabilities(p))))
    return Lottery(panels, deviation, deviation <= 1.0 / m + 1e-9)
