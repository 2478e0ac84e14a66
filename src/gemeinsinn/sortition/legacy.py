"""LEGACY: the greedy procedure practitioners used before 2020 (for comparison only).

Repeatedly take the feature value whose minimum is hardest to fill — the largest
(min − selected) / (volunteers left with the value) — and draw a random volunteer with
that value; when all minima are met, draw from everybody left. After each pick, people
whose values reached their maximum and the pick's household are removed. A dead end
(a minimum that can no longer be met) restarts the draw. LEGACY defines no
distribution; its probabilities are estimated by repeating the draw.

Randomness comes from SHA-256 in counter mode over the seed, so the same seed gives the
same panel on every machine.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata

import numpy as np

from gemeinsinn.sortition.model import Pool
from gemeinsinn.sortition.progress import Progress, ProgressCallback, no_progress
from gemeinsinn.sortition.solver import SolverError

MAX_ATTEMPTS = 10_000


class HashRandom:
    """Deterministic random integers from SHA-256(seed ‖ counter)."""

    def __init__(self, seed: str, purpose: str):
        seed = unicodedata.normalize("NFC", seed)
        self.key = f"gemeinsinn-losverfahren-v1\n{purpose}\n{seed}\n".encode()
        self.counter = 0
        self.buffer = b""

    def _bytes(self, count: int) -> bytes:
        while len(self.buffer) < count:
            block = hashlib.sha256(self.key + self.counter.to_bytes(8, "big")).digest()
            self.buffer += block
            self.counter += 1
        out, self.buffer = self.buffer[:count], self.buffer[count:]
        return out

    def below(self, n: int) -> int:
        """Uniform integer in [0, n) by rejection sampling (no modulo bias)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = int.from_bytes(self._bytes(8), "big")
            if x < limit:
                return x % n


def legacy_draw(pool: Pool, rng: HashRandom) -> tuple[int, ...] | None:
    """One LEGACY panel (sorted person indices), or None after too many dead ends."""
    n, k = pool.n, pool.panel_size
    F = len(pool.features)
    sizes = [len(v) for v in pool.values]
    lower = [pool.lower(f) for f in range(F)]
    upper = [pool.upper(f) for f in range(F)]
    for _ in range(MAX_ATTEMPTS):
        left = np.ones(n, dtype=bool)
        selected: list[int] = []
        counts = [np.zeros(s, dtype=np.int64) for s in sizes]
        failed = False
        while len(selected) < k:
            best, best_ratio = None, -1.0
            for f in range(F):
                available = np.bincount(pool.profile[left, f], minlength=sizes[f])
                need = lower[f] - counts[f]
                for v in np.flatnonzero(need > 0):
                    if available[v] < need[v]:
                        failed = True
                        break
                    ratio = need[v] / available[v]
                    if ratio > best_ratio:
                        best, best_ratio = (f, int(v)), ratio
                if failed:
                    break
            if failed:
                break
            if best is None:
                candidates = np.flatnonzero(left)
            else:
                f, v = best
                candidates = np.flatnonzero(left & (pool.profile[:, f] == v))
            if len(candidates) == 0:
                failed = True
                break
            person = int(candidates[rng.below(len(candidates))])
            selected.append(person)
            left[person] = False
            for f in range(F):
                v = pool.profile[person, f]
                counts[f][v] += 1
                if counts[f][v] >= upper[f][v]:
                    left &= pool.profile[:, f] != v
            if pool.household is not None:
                left &= pool.household != pool.household[person]
        if not failed and len(selected) == k:
            return tuple(sorted(selected))
    return None


def estimate_probabilities(
    pool: Pool, seed: str, runs: int, progress: ProgressCallback = no_progress
) -> np.ndarray:
    """Share of `runs` LEGACY draws that contain each person."""
    rng = HashRandom(seed, "legacy-estimate")
    hits = np.zeros(pool.n)
    started = time.monotonic()
    for r in range(runs):
        panel = legacy_draw(pool, rng)
        if panel is None:
            raise SolverError("LEGACY findet kein Gremium (zu viele Sackgassen).")
        hits[list(panel)] += 1
        if (r + 1) % 100 == 0:
            progress(
                Progress(
                    "round",
                    f"LEGACY-Schätzung {r + 1}/{runs}",
                    seconds=time.monotonic() - started,
                )
            )
    return hits / runs


def select_legacy(pool: Pool, seed: str, runs: int = 1000, progress=no_progress):
    """The LEGACY draw for `seed`, with probabilities estimated from `runs` draws."""
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.sortition.feasibility import check_feasibility
    from gemeinsinn.sortition.model import TypeModel
    from gemeinsinn.sortition.select import Selection

    report = check_feasibility(TypeModel.build(pool))
    if not report.feasible:
        raise InputError(report.problems)
    panel = legacy_draw(pool, HashRandom(seed, "legacy-draw"))
    if panel is None:
        raise SolverError("LEGACY findet kein Gremium (zu viele Sackgassen).")
    probabilities = (
        estimate_probabilities(pool, seed, runs, progress) if runs else np.full(pool.n, np.nan)
    )
    return Selection(
        pool=pool,
        algorithm="legacy",
        probabilities=probabilities,
        distribution=None,
        panel=panel,
        panel_number=0,
        seed=seed,
        published="",
        digest="",
        stats={"legacy_runs": runs},
    )
