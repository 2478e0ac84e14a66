"""Thin helpers around HiGHS (highspy): building sparse models, fixed options.

All models are minimisation problems: HiGHS reports interior-point duals of maximisation
problems with an inconsistent sign in some versions, so we never ask it to maximise.
Options are fixed explicitly (one thread, fixed random seed) so that every process on
every machine takes the same solver path for the same input.
"""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

INF = highspy.kHighsInf


class SolverError(RuntimeError):
    """The LP/MIP solver failed in a way that is not the user's fault."""


def new_highs(**options: object) -> highspy.Highs:
    h = highspy.Highs()
    base = {
        "output_flag": False,
        "threads": 1,
        "random_seed": 0,
    }
    base.update(options)
    for name, value in base.items():
        status = h.setOptionValue(name, value)
        if status != highspy.HighsStatus.kOk:
            raise SolverError(f"HiGHS-Option {name}={value!r} wurde nicht akzeptiert.")
    return h


def set_options(h: highspy.Highs, **options: object) -> None:
    for name, value in options.items():
        status = h.setOptionValue(name, value)
        if status != highspy.HighsStatus.kOk:
            raise SolverError(f"HiGHS-Option {name}={value!r} wurde nicht akzeptiert.")


def build_lp(
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    columns: Sequence[tuple[np.ndarray, np.ndarray]],
    integer: np.ndarray | None = None,
) -> highspy.HighsLp:
    """A minimisation model from column-wise sparse data: columns[j] = (row indices, values)."""
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.sense_ = highspy.ObjSense.kMinimize
    starts = np.zeros(len(columns) + 1, dtype=np.int32)
    if columns:
        starts[1:] = np.cumsum([len(rows) for rows, _ in columns])
        index = np.concatenate([np.asarray(rows, dtype=np.int32) for rows, _ in columns])
        value = np.concatenate([np.asarray(vals, dtype=float) for _, vals in columns])
    else:
        index = np.zeros(0, dtype=np.int32)
        value = np.zeros(0, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.a_matrix_.num_col_ = len(cost)
    lp.a_matrix_.num_row_ = len(row_lower)
    if integer is not None:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in integer
        ]
    return lp


def status_name(h: highspy.Highs) -> str:
    return h.modelStatusToString(h.getModelStatus())
