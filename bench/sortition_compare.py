"""Benchmark: LEXIMIN and MAXIMIN of gemeinsinn against `sortition-algorithms` (MAXIMIN
on HiGHS) on generated German-style pools, in the same run.

Pools from `gemeinsinn.sortition.synthetic.german_pool`: gender × age group × district ×
education × migration background (× employment × housing), self-selected volunteers,
quotas from population shares, about 12 % of the volunteers living with another one
(household rule on street, house number, postcode). For each pool:

- gemeinsinn LEXIMIN: time, minimum probability, rounds, panels; checked independently
  (every panel meets the quotas and the household rule, marginals equal the fixed values);
- gemeinsinn MAXIMIN: time and minimum probability;
- sortition-algorithms MAXIMIN (solver backend "highspy"), if installed: time and minimum
  probability computed from its committees and weights.

LEXIMIN's minimum must be at least MAXIMIN's (both are the MAXIMIN value up to 1e-6).
Times are wall clock and CPU of this process (all solvers run in-process, one thread);
the machine is shared, so the CPU time is the steadier figure.

Run from the project root: ``python -m bench.sortition_compare [--sizes 300,600,1000]
[--features 5] [--panel-share 0.1] [--repeat 3] [--skip-reference | --only-reference]
[--progress]``.
The reference package is GPL-licensed; it is only run here, never imported by gemeinsinn.
Install it with the optional extra: ``.venv/bin/pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from gemeinsinn.sortition.progress import Progress, no_progress
from gemeinsinn.sortition.select import compute_distribution
from gemeinsinn.sortition.synthetic import german_pool


def timed(function, *args):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def reference_maximin(generated, k: int):
    """sortition-algorithms' MAXIMIN on the same pool (files written, then read by it)."""
    try:
        from sortition_algorithms.adapters import CSVStringDataSource, SelectionData
        from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
        from sortition_algorithms.settings import Settings
    except ImportError:
        return None
    from sortition_algorithms.utils import set_log_level

    set_log_level(logging.WARNING)  # its progress lines would break the table
    with tempfile.TemporaryDirectory() as tmp:
        people_path, quotas_path = generated.write(Path(tmp))
        columns = list(generated.household_columns)
        settings = Settings(
            id_column="id",
            columns_to_keep=[],
            check_same_address=True,
            check_same_address_columns=columns,
            selection_algorithm="maximin",
            solver_backend="highspy",
        )
        data = SelectionData(CSVStringDataSource(quotas_path.read_text(), people_path.read_text()))
        features, _ = data.load_features(k)
        people, _ = data.load_people(settings, features)

        def run():
            return find_distribution_maximin(features, people, k, columns, "highspy")

        (committees, weights, _), wall, cpu = timed(run)
    marginals = dict.fromkeys(generated.pool.ids, 0.0)
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            marginals[person] += weight
    return min(marginals.values()), wall, cpu, len(committees)


def median_of(runs):
    """(result of the first run, median wall s, median CPU s) of timed runs."""
    return (
        runs[0][0],
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def progress_to_stderr(event: Progress) -> None:
    """Progress lines with the CPU time so far (long runs: how far did it get)."""
    if event.stage != "round" or "fertig" in event.message:
        print(f"{event} (CPU {time.process_time():.0f} s)", file=sys.stderr, flush=True)


def run_ours(pool, repeat: int, progress=no_progress) -> str:
    """gemeinsinn's LEXIMIN and MAXIMIN: the table cells from "types" to "MAXIMIN min"."""
    (lexi, _, p_lexi), lexi_wall, lexi_cpu = median_of(
        [timed(compute_distribution, pool, "leximin", progress) for _ in range(repeat)]
    )
    (_, _, p_maxi), maxi_wall, maxi_cpu = median_of(
        [timed(compute_distribution, pool, "maximin", progress) for _ in range(repeat)]
    )
    assert p_lexi.min() >= p_maxi.min() - 1e-6, "LEXIMIN below MAXIMIN"
    return (
        f"{lexi.types.count} | {lexi_wall:.1f} ({lexi_cpu:.1f}) | {p_lexi.min():.6f}"
        f" | {lexi.stats['rounds']} | {maxi_wall:.1f} ({maxi_cpu:.1f}) | {p_maxi.min():.6f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="300,600,1000,2000")
    parser.add_argument("--features", type=int, default=5)
    parser.add_argument("--panel-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per solver; medians shown")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument(
        "--only-reference",
        action="store_true",
        help="run only sortition-algorithms (to start the slow reference early, apart)",
    )
    parser.add_argument("--progress", action="store_true", help="progress of each round on stderr")
    args = parser.parse_args()
    print(
        "pool | types | LEXIMIN s (CPU) | LEXIMIN min | rounds | MAXIMIN s (CPU) | MAXIMIN min"
        " | sortition-algorithms MAXIMIN s (CPU) | its min"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        k = max(1, round(n * args.panel_share))
        generated = german_pool(n, k, features=args.features, seed=args.seed)
        pool = generated.pool
        ours = "skipped | | | |"
        if not args.only_reference:
            ours = run_ours(pool, args.repeat, progress_to_stderr if args.progress else no_progress)
        # gemeinsinn's cells at once: the reference may take many minutes on large pools
        households = len(np.unique(pool.household))
        row = f"n={n}, k={k}, {args.features} features, {households} households | {ours} | "
        print(row, end="", flush=True)
        ref_text = "skipped"
        if not args.skip_reference:
            runs = [reference_maximin(generated, k) for _ in range(args.repeat)]
            if runs[0] is None:
                ref_text = "not installed"
            else:
                wall = statistics.median(r[1] for r in runs)
                cpu = statistics.median(r[2] for r in runs)
                ref_text = f"{wall:.1f} ({cpu:.1f}) | {runs[0][0]:.6f}"
        print(ref_text, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
