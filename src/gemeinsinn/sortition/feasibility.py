"""Can the quotas be met at all? Quota arithmetic first (all problems at once), then an
exact check with the integer program; when no panel exists, the smallest relaxation of
the quotas that makes one possible (which minimum or maximum to change, by how much)."""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

from gemeinsinn.formats.problems import Problem
from gemeinsinn.sortition.model import Pool, Quota, TypeModel
from gemeinsinn.sortition.oracle import PanelOracle, quota_rows
from gemeinsinn.sortition.solver import SolverError, build_lp, new_highs

RELAXATION_NODE_LIMIT = 20_000  # branch-and-bound nodes of the suggestion program


def _available(pool: Pool, f: int, v: int) -> int:
    """Most people with feature f = value v that one panel can take (one per household)."""
    mask = pool.profile[:, f] == v
    if pool.household is None:
        return int(mask.sum())
    return len(np.unique(pool.household[mask]))


def quota_sum_problems(
    features: tuple[str, ...],
    quotas: tuple[tuple[Quota, ...], ...],
    panel_size: int,
    quotas_name: str = "",
) -> list[Problem]:
    """Minima and maxima of each feature must be able to add up to the panel size."""
    problems: list[Problem] = []
    k = panel_size
    for feature, group in zip(features, quotas, strict=True):
        total_min = sum(q.min for q in group)
        total_max = sum(q.max for q in group)
        first_line = min((q.line for q in group if q.line is not None), default=None)
        if total_min > k:
            problems.append(
                Problem(
                    f"Merkmal {feature!r}: Die Mindestwerte ergeben zusammen {total_min}, "
                    f"das Gremium hat aber nur {k} Plätze.",
                    file=quotas_name,
                    line=first_line,
                    column="min",
                    hint=f"Bitte die Mindestwerte von {feature!r} zusammen um "
                    f"{total_min - k} senken oder --size auf {total_min} erhöhen.",
                )
            )
        if total_max < k:
            problems.append(
                Problem(
                    f"Merkmal {feature!r}: Die Höchstwerte ergeben zusammen nur {total_max}, "
                    f"das Gremium hat aber {k} Plätze.",
                    file=quotas_name,
                    line=first_line,
                    column="max",
                    hint=f"Bitte die Höchstwerte von {feature!r} zusammen um "
                    f"{k - total_max} erhöhen oder --size auf {total_max} senken.",
                )
            )
    return problems


def quota_problems(pool: Pool, quotas_name: str = "") -> list[Problem]:
    """Quota arithmetic that needs no solver: every problem at once."""
    k = pool.panel_size
    n = pool.n
    problems: list[Problem] = []
    if k > n:
        problems.append(
            Problem(
                f"Das Gremium soll {k} Plätze haben, es gibt aber nur {n} Freiwillige.",
                hint="Bitte --size verkleinern oder mehr Freiwillige gewinnen.",
            )
        )
    elif pool.household is not None:
        households = len(np.unique(pool.household))
        if k > households:
            problems.append(
                Problem(
                    f"Das Gremium soll {k} Plätze haben, die Freiwilligen kommen aber nur aus "
                    f"{households} Haushalten (höchstens eine Person je Haushalt).",
                    hint="Bitte --size verkleinern oder die Haushaltsregel prüfen.",
                )
            )
    problems.extend(quota_sum_problems(pool.features, pool.quotas, k, quotas_name))
    for f, feature in enumerate(pool.features):
        quotas = pool.quotas[f]
        total_max = sum(q.max for q in quotas)
        first_line = min((q.line for q in quotas if q.line is not None), default=None)
        reachable = 0
        for v, q in enumerate(quotas):
            available = _available(pool, f, v)
            reachable += min(q.max, available)
            if q.min > available:
                who = "Haushalte mit Freiwilligen" if pool.household is not None else "Freiwillige"
                problems.append(
                    Problem(
                        f"Für {feature} = {q.value} {_persons(q.min)} verlangt, "
                        f"es gibt aber nur {available} {who} mit diesem Wert.",
                        file=quotas_name,
                        line=q.line,
                        column="min",
                        hint=f"Bitte den Mindestwert auf höchstens {available} senken oder "
                        "mehr Freiwillige mit diesem Wert gewinnen.",
                    )
                )
        if total_max >= k and reachable < k <= n:
            problems.append(
                Problem(
                    f"Merkmal {feature!r}: Mit den Höchstwerten und den vorhandenen "
                    f"Freiwilligen lassen sich nur {reachable} von {k} Plätzen besetzen.",
                    file=quotas_name,
                    line=first_line,
                    column="max",
                    hint="Bitte Höchstwerte von Ausprägungen mit vielen Freiwilligen erhöhen.",
                )
            )
    return problems


@dataclass(frozen=True)
class Relaxation:
    """Change one bound: `bound` is "min" or "max"; `old` → `new`."""

    feature: str
    value: str
    bound: str
    old: int
    new: int
    line: int | None = None

    def describe(self) -> str:
        word = "Mindestwert" if self.bound == "min" else "Höchstwert"
        verb = "senken" if self.new < self.old else "erhöhen"
        return (
            f"{word} für {self.feature} = {self.value} von {self.old} auf {self.new} {verb}"
            f" (um {abs(self.new - self.old)})"
        )


@dataclass
class FeasibilityReport:
    feasible: bool
    problems: list[Problem] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)
    example_panel: np.ndarray | None = None  # type counts of one feasible panel


def suggest_relaxations(
    types: TypeModel, use_flex: bool = True
) -> tuple[list[Relaxation], bool] | None:
    """Smallest total change of minima and maxima that admits a panel (integer program), and
    whether it is proven the smallest (False when the program hit its node limit first: then
    it is the best one found, still one that admits a panel).

    Minima may go down to `min_flex` (default 0), maxima up to `max_flex` (default k).
    None when even that does not help (e.g. too few households for the panel size)."""
    pool = types.pool
    rows = quota_rows(types)
    k = pool.panel_size
    T = types.count
    R = len(rows)
    quotas = [pool.quotas[f][v] for f, v in rows]
    lo = np.array([q.min for q in quotas], dtype=float)
    hi = np.array([q.max for q in quotas], dtype=float)
    lo_room = np.array(
        [q.min - (q.min_flex if use_flex and q.min_flex is not None else 0) for q in quotas],
        dtype=float,
    )
    hi_room = np.array(
        [(q.max_flex if use_flex and q.max_flex is not None else k) - q.max for q in quotas],
        dtype=float,
    )
    hi_room = np.maximum(hi_room, 0)
    # rows: 0: Σc = k; 1..R: Σc + a ≥ lo; R+1..2R: Σc - b ≤ hi; then households
    row_of = {fv: r for r, fv in enumerate(rows)}
    household_row = {}
    for g, group in enumerate(types.household_groups):
        for t in group:
            household_row[int(t)] = 1 + 2 * R + g
    columns = []
    for t in range(T):
        r = [row_of[(f, int(types.profile[t, f]))] for f in range(len(pool.features))]
        idx = [0] + [1 + x for x in r] + [1 + R + x for x in r]
        if t in household_row:
            idx.append(household_row[t])
        columns.append((np.array(idx), np.ones(len(idx))))
    for r in range(R):
        columns.append((np.array([1 + r]), np.ones(1)))  # a_r relaxes the minimum
    for r in range(R):
        columns.append((np.array([1 + R + r]), -np.ones(1)))  # b_r relaxes the maximum
    G = len(types.household_groups)
    inf = highspy.kHighsInf
    lp = build_lp(
        cost=np.concatenate([np.zeros(T), np.ones(2 * R)]),
        col_lower=np.zeros(T + 2 * R),
        col_upper=np.concatenate([types.cap.astype(float), lo_room, hi_room]),
        row_lower=np.concatenate([[k], lo, np.full(R, -inf), np.zeros(G)]),
        row_upper=np.concatenate([[k], np.full(R, inf), hi, np.ones(G)]),
        columns=columns,
        integer=np.concatenate([np.ones(T, dtype=bool), np.ones(2 * R, dtype=bool)]),
    )
    # a node limit, not a time limit: the same files give the same suggestion on any machine
    h = new_highs(mip_rel_gap=0.0, mip_max_nodes=RELAXATION_NODE_LIMIT)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    solution = h.getSolution()
    if not solution.value_valid:
        raise SolverError(
            "Die Lockerungsvorschläge konnten nicht berechnet werden (Schrittgrenze erreicht)."
        )
    x = np.rint(np.asarray(solution.col_value)).astype(np.int64)
    a, b = x[T : T + R], x[T + R :]
    result = []
    for r, q in enumerate(quotas):
        if a[r] > 0:
            result.append(Relaxation(q.feature, q.value, "min", q.min, q.min - int(a[r]), q.line))
        if b[r] > 0:
            result.append(Relaxation(q.feature, q.value, "max", q.max, q.max + int(b[r]), q.line))
    return result, status == highspy.HighsModelStatus.kOptimal


def _relaxation_problem(
    relaxations: list[Relaxation], proven: bool, quotas_name: str, note: str
) -> Problem:
    lead = (
        "Kleinste Lockerung, die ein Gremium möglich macht: "
        if proven
        else "Eine Lockerung, die ein Gremium möglich macht (ob es eine kleinere gibt, war in "
        "der Schrittgrenze nicht zu klären): "
    )
    return Problem(
        "Die Quoten sind nicht gleichzeitig erfüllbar: kein Gremium aus den Freiwilligen "
        "hält alle Mindest- und Höchstwerte ein.",
        file=quotas_name,
        hint=lead
        + "; ".join(
            r.describe() + (f" [Zeile {r.line}]" if r.line is not None else "") for r in relaxations
        )
        + "."
        + note,
    )


def check_feasibility(types: TypeModel, quotas_name: str = "") -> FeasibilityReport:
    """Exact check (integer program) whether any panel meets all quotas and the household
    rule; if not, German problems (all at once) with concrete relaxation suggestions."""
    pool = types.pool
    problems = quota_problems(pool, quotas_name)
    if not any(p.severity == "error" for p in problems):
        panel = PanelOracle(types).any_panel()
        if panel is not None:
            return FeasibilityReport(True, problems, [], panel)
    suggestion = suggest_relaxations(types) if pool.panel_size <= pool.n else None
    note = ""
    if suggestion is None and pool.panel_size <= pool.n:
        suggestion = suggest_relaxations(types, use_flex=False)
        if suggestion is not None:
            note = " (Achtung: dafür reichen die Spielräume min_flex/max_flex nicht.)"
    if suggestion is None:
        if not problems:
            problems.append(
                Problem(
                    "Kein Gremium erfüllt die Haushaltsregel mit dieser Größe, auch nicht bei "
                    "gelockerten Quoten.",
                    hint="Bitte --size verkleinern oder die Haushaltsangaben prüfen.",
                )
            )
        return FeasibilityReport(False, problems, [])
    relaxations, proven = suggestion
    if relaxations:
        problems.append(_relaxation_problem(relaxations, proven, quotas_name, note))
    return FeasibilityReport(False, problems, relaxations)


def _persons(count: int) -> str:
    return "ist mindestens 1 Person" if count == 1 else f"sind mindestens {count} Personen"
