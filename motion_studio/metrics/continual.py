"""Continual-learning metrics over an accuracy matrix R[i][j] (score on task j after training task i):
ACC, BWT, FWT, Forgetting. Pure numpy, checked by hand in the tests.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import InputError
from .motion import _np

__all__ = ["acc", "bwt", "fwt", "forgetting", "continual_summary"]



def _matrix(r, higher_is_better: bool) -> np.ndarray:
    a = _np(r).astype(np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InputError(f"the accuracy matrix must be square (T, T), got shape {a.shape}")
    return a if higher_is_better else -a


def acc(r) -> float:
    """Average score over all tasks after the last task: mean_j R[T-1][j] (in the metric's own
    units, so an FID matrix gives a mean FID)."""
    a = _matrix(r, True)
    return float(a[-1].mean())


def bwt(r, higher_is_better: bool = True) -> float:
    """Backward transfer: mean_{j<T-1} (R[T-1][j] - R[j][j]). Negative means forgetting,
    for lower-is-better metrics too (they are negated first). 0 for a single task."""
    a = _matrix(r, higher_is_better)
    t = len(a)
    if t < 2:
        return 0.0
    return float(np.mean([a[-1, j] - a[j, j] for j in range(t - 1)]))


def fwt(r, baseline: Sequence[float], higher_is_better: bool = True) -> float:
    """Forward transfer: mean_{j>0} (R[j-1][j] - b_j), b_j = the score on task j of the model
    before any continual training (e.g. the frozen base). Positive means earlier tasks helped."""
    a = _matrix(r, higher_is_better)
    b = _np(baseline).astype(np.float64).ravel()
    if len(b) != len(a):
        raise InputError(f"baseline needs one score per task ({len(a)}), got {len(b)}")
    if not higher_is_better:
        b = -b
    t = len(a)
    if t < 2:
        return 0.0
    return float(np.mean([a[j - 1, j] - b[j] for j in range(1, t)]))


def forgetting(r, higher_is_better: bool = True) -> float:
    """Average forgetting: mean_{j<T-1} max_{i<T-1} (R[i][j] - R[T-1][j]); >= 0 when the best
    earlier score was higher than the final one. 0 for a single task."""
    a = _matrix(r, higher_is_better)
    t = len(a)
    if t < 2:
        return 0.0
    return float(np.mean([max(a[i, j] - a[-1, j] for i in range(t - 1)) for j in range(t - 1)]))


def continual_summary(r, baseline: Sequence[float] | None = None, higher_is_better: bool = True) -> dict:
    """All continual metrics of one matrix in one dict (fwt only when a baseline is given)."""
    out = {
        "acc": acc(r),
        "bwt": bwt(r, higher_is_better),
        "forgetting": forgetting(r, higher_is_better),
        "higher_is_better": higher_is_better,
    }
    if baseline is not None:
        out["fwt"] = fwt(r, baseline, higher_is_better)
    return out
