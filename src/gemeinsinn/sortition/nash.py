"""NASH: maximise the geometric mean of the selection probabilities (Σ_i log π_i).

Column generation over types, like LEXIMIN. On the panels found so far the concave
problem max Σ_t s_t log p_t(λ), λ in the simplex, is solved by a log-barrier Newton
method (dense, numpy). The oracle then prices panels with the gradient: g_P = Σ_t c_Pt/p_t.
For any distribution λ, Σ_P λ_P g_P = n, and by concavity the best distribution over
*all* panels beats λ by at most max_P g_P − n; we stop when this proven gap is below
GAP_TOLERANCE · n.
"""

from __future__ import annotations

import time

import numpy as np

from gemeinsinn.sortition.leximin import (
    InfeasibleQuotas,
    PanelSet,
    TypeDistribution,
    cover,
    final_distribution,
)
from gemeinsinn.sortition.model import TypeModel
from gemeinsinn.sortition.oracle import PanelOracle
from gemeinsinn.sortition.progress import Progress, ProgressCallback, no_progress

GAP_TOLERANCE = 1e-8
MAX_OUTER = 500


def restricted_nash(
    counts: np.ndarray,
    sizes: np.ndarray,
    lam: np.ndarray,
    mu_final: float = 1e-11,
    mu_start: float = 1e-3,
) -> np.ndarray:
    """max Σ_t s_t log(Σ_P λ_P c_Pt / s_t) over the simplex, by Newton steps on the
    log-barrier problem (+ μ Σ log λ_P) for decreasing μ. `counts`: P × T."""
    n = sizes.sum()
    A = counts / sizes  # a_Pt
    lam = np.maximum(lam, 1e-12)
    lam = lam / lam.sum()
    P = len(lam)
    ones = np.ones(P)

    def objective(x, mu):
        return float(sizes @ np.log(x @ A) + mu * np.log(x).sum())

    mu = mu_start * n / P
    while True:
        for _ in range(50):
            p = lam @ A
            g = A @ (sizes / p) + mu / lam
            M = (A * (sizes / p**2)) @ A.T + np.diag(mu / lam**2)
            M[np.diag_indices(P)] += 1e-14 * np.trace(M) / P
            try:
                Mg, M1 = np.linalg.solve(M, np.column_stack([g, ones])).T
            except np.linalg.LinAlgError:
                Mg, M1 = np.linalg.lstsq(M, np.column_stack([g, ones]), rcond=None)[0].T
            nu = -(ones @ Mg) / (ones @ M1)
            step = Mg + nu * M1
            decrement = float(step @ (g + nu * ones))
            if decrement < 1e-12 * n:
                break
            # stay inside the simplex, then backtrack until the objective increases
            negative = step < 0
            t = 1.0
            if negative.any():
                t = min(1.0, 0.99 * float(np.min(-lam[negative] / step[negative])))
            current = objective(lam, mu)
            while t > 1e-12:
                candidate = lam + t * step
                if np.all(candidate > 0) and objective(candidate, mu) >= current:
                    break
                t *= 0.5
            lam = np.maximum(lam + t * step, 1e-300)
            lam /= lam.sum()
            if t < 1e-10:
                break
        if mu <= mu_final:
            return lam
        mu = max(mu * 0.1, mu_final)


def solve_nash(
    types: TypeModel,
    progress: ProgressCallback = no_progress,
    oracle: PanelOracle | None = None,
    panels: PanelSet | None = None,
) -> TypeDistribution:
    started = time.monotonic()
    oracle = oracle if oracle is not None else PanelOracle(types)
    panels = panels if panels is not None else PanelSet(types.count)
    first = oracle.any_panel()
    if first is None:
        raise InfeasibleQuotas()
    panels.add(first)
    excluded = cover(types, oracle, panels, progress, started)
    active = ~excluded
    n_active = int(types.size[active].sum())
    sizes = types.size.astype(float)
    lam = np.full(len(panels), 1.0 / len(panels))
    gap = np.inf
    outer = 0
    for outer in range(1, MAX_OUTER + 1):  # noqa: B007
        counts = panels.matrix()[:, active].astype(float)
        if len(lam) < len(counts):
            extra = len(counts) - len(lam)
            lam = np.concatenate([lam * (1 - 0.01), np.full(extra, 0.01 / extra)])
        lam = restricted_nash(counts, sizes[active], lam, mu_start=1e-3 if outer == 1 else 1e-7)
        keep = lam > 1e-9  # drop panels the optimum does not use (fewer variables)
        p = np.zeros(types.count)
        p[active] = (lam @ counts) / sizes[active]
        # per seat of type t the gradient is s_t / seats_t = 1 / p_t
        weights = np.where(active, 1.0 / np.maximum(p, 1e-300), 0.0)
        result = oracle.maximize(weights)
        gap = result.bound - n_active
        if outer % 5 == 0:
            progress(
                Progress(
                    "round",
                    "NASH: Gremien ergänzen",
                    panels=len(panels),
                    value=float(p[active].min()),
                    seconds=time.monotonic() - started,
                )
            )
        if gap <= GAP_TOLERANCE * n_active or not panels.add(result.counts):
            break
        if not keep.all():
            pruned = PanelSet(types.count)
            for row, flag in zip(panels.rows[:-1], keep, strict=True):
                if flag:
                    pruned.add(row)
            pruned.add(panels.rows[-1])
            panels.rows, panels._index = pruned.rows, pruned._index
            lam = lam[keep]
    seats = lam @ panels.matrix()[:, active].astype(float)
    p = np.zeros(types.count)
    p[active] = seats / sizes[active]
    matrix, weights = final_distribution(types, panels.matrix(), active, p * (1 - 1e-12))
    return TypeDistribution(
        types=types,
        panels=matrix,
        weights=weights,
        target=p,
        algorithm="nash",
        excluded=excluded,
        stats={
            "outer_iterations": outer,
            "panels_generated": len(panels),
            "oracle_calls": oracle.calls,
            "gap": float(gap),
            "seconds": time.monotonic() - started,
        },
    )
