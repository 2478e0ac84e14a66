"""The selection as one call: distribution, independent check, public draw."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from gemeinsinn.formats.problems import InputError
from gemeinsinn.sortition import lottery as draw_rules
from gemeinsinn.sortition.distribution import Distribution, expand, verify
from gemeinsinn.sortition.feasibility import check_feasibility
from gemeinsinn.sortition.leximin import PanelSet, TypeDistribution, solve_leximin
from gemeinsinn.sortition.model import Pool, TypeModel
from gemeinsinn.sortition.oracle import PanelOracle
from gemeinsinn.sortition.progress import Progress, ProgressCallback, no_progress
from gemeinsinn.sortition.rounding import Lottery, lottery
from gemeinsinn.sortition.solver import SolverError

ALGORITHMS = ("leximin", "maximin", "nash", "legacy")


@dataclass
class Selection:
    """Result of `select`.

    - `probabilities[i]`: selection probability of person i (input order). For LEGACY an
      estimate from `legacy_runs` simulated draws (LEGACY defines no distribution).
    - `distribution`: panels of people with weights (at most n + 1), None for LEGACY.
    - `published`: the canonical text of what the draw uses (the distribution, or the m
      lottery panels); `digest` its SHA-256.
    - `panel`: the drawn panel (sorted person indices); `panel_number` its number in the
      published file (1-based; 0 for LEGACY).
    - `lottery`: the m equally likely panels when asked for.
    - `excluded`: people who are on no feasible panel (probability 0).
    """

    pool: Pool
    algorithm: str
    probabilities: np.ndarray
    distribution: Distribution | None
    panel: tuple[int, ...]
    panel_number: int
    seed: str
    published: str
    digest: str
    lottery: Lottery | None = None
    excluded: tuple[int, ...] = ()
    stats: dict = field(default_factory=dict)

    def panel_ids(self) -> list[str]:
        return [self.pool.ids[i] for i in self.panel]


def compute_distribution(
    pool: Pool,
    algorithm: str = "leximin",
    progress: ProgressCallback = no_progress,
) -> tuple[TypeDistribution, Distribution, np.ndarray]:
    """Solve, expand to people and check independently.

    Returns (type-level result, distribution over people's panels, probabilities per
    person). Raises `InputError` (German, with relaxation suggestions) if no panel meets
    the quotas, `SolverError` if the independent check fails."""
    started = time.monotonic()
    types = TypeModel.build(pool)
    progress(Progress("check", "Quoten prüfen", total=pool.n))
    report = check_feasibility(types)
    if not report.feasible:
        raise InputError(report.problems)
    oracle = PanelOracle(types)
    panels = PanelSet(types.count)
    if algorithm in ("leximin", "maximin"):
        result = solve_leximin(
            types, progress, maximin_only=algorithm == "maximin", oracle=oracle, panels=panels
        )
    elif algorithm == "nash":
        from gemeinsinn.sortition.nash import solve_nash

        result = solve_nash(types, progress, oracle=oracle, panels=panels)
    else:
        raise ValueError(f"Unbekanntes Verfahren {algorithm!r}; möglich: {', '.join(ALGORITHMS)}.")
    result.stats["candidates"] = panels.matrix()
    progress(Progress("expand", "Gremien aus Personen bilden", seconds=time.monotonic() - started))
    distribution = expand(result)
    probabilities = distribution.marginals(pool.n)
    target = types.person_probabilities(result.target)
    if algorithm == "leximin":
        problems = verify(pool, distribution, expected=target)
    elif algorithm == "maximin":
        problems = verify(pool, distribution, at_least=target)
    else:
        problems = verify(pool, distribution)
    if problems:
        raise SolverError("Unabhängige Prüfung fehlgeschlagen: " + "; ".join(problems))
    result.stats["seconds_total"] = time.monotonic() - started
    return result, distribution, probabilities


def _excluded_people(result: TypeDistribution) -> np.ndarray:
    types = result.types
    if not result.excluded.any():
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([types.members[t] for t in np.flatnonzero(result.excluded)])


def select(
    pool: Pool,
    algorithm: str = "leximin",
    seed: str = "",
    lottery_panels: int | None = None,
    progress: ProgressCallback = no_progress,
    legacy_runs: int = 1000,
) -> Selection:
    """Compute the selection distribution with `algorithm` and draw one panel publicly
    and reproducibly from `seed` (see `gemeinsinn.sortition.lottery`). With
    `lottery_panels=m`, the draw picks one of m equally likely panels instead."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"Unbekanntes Verfahren {algorithm!r}; möglich: {', '.join(ALGORITHMS)}.")
    if algorithm == "legacy":
        from gemeinsinn.sortition.legacy import select_legacy

        return select_legacy(pool, seed, runs=legacy_runs, progress=progress)
    result, distribution, probabilities = compute_distribution(pool, algorithm, progress)
    lots = None
    if lottery_panels:
        lots = lottery(result, lottery_panels)
        panels = lots.panels
        units = [draw_rules.UNITS // len(panels)] * len(panels)  # equal weights
    else:
        panels = distribution.panels
        units = draw_rules.weight_units(distribution.weights)
    published = draw_rules.distribution_csv(panels, units, pool.ids)
    sha = draw_rules.digest(published)
    j = draw_rules.pick(units, draw_rules.random_integer(seed, sha))
    if lots is not None:
        problems = [text for panel in lots.panels for text in _panel_check(pool, panel)]
        if problems:
            raise SolverError("Losliste fehlerhaft: " + "; ".join(problems))
    stats = {k: v for k, v in result.stats.items() if k != "candidates"}
    return Selection(
        pool=pool,
        algorithm=algorithm,
        probabilities=probabilities,
        distribution=distribution,
        panel=tuple(panels[j]),
        panel_number=j + 1,
        seed=seed,
        published=published,
        digest=sha,
        lottery=lots,
        excluded=tuple(int(i) for i in sorted(_excluded_people(result))),
        stats=stats,
    )


def _panel_check(pool: Pool, panel: tuple[int, ...]) -> list[str]:
    from gemeinsinn.sortition.distribution import panel_problems

    return panel_problems(pool, panel)
