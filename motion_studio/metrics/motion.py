"""Motion metrics (FID, R-precision, MM-Dist, Diversity, MultiModality) and token accuracy.

Pure numpy on purpose: the benchmark computes embeddings once with the evaluator, then every
number here is plain arithmetic that a test can check by hand. Inputs may be numpy arrays or
torch tensors (converted without importing torch).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import InputError

__all__ = [
    "fid", "fid_from_stats", "sqrtm_psd", "euclidean_distances", "r_precision", "matching_score",
    "diversity", "multimodality", "token_accuracy",
]


def _np(x) -> np.ndarray:
    """Array view of numpy input or a torch tensor (detached, on the CPU), as float64 or ints."""
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def _emb(x, name: str) -> np.ndarray:
    a = _np(x).astype(np.float64)
    if a.ndim != 2 or a.shape[0] == 0:
        raise InputError(f"{name} must be a non-empty (N, D) array of embeddings, got shape {a.shape}")
    return a


# --------------------------------------------------------------------------- FID


def sqrtm_psd(a: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix via its eigen-decomposition.

    scipy is not installed; for symmetric PSD input eigh is exact and stable. Tiny negative
    eigenvalues (round-off) are clipped to zero.
    """
    a = (a + a.T) / 2.0
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def fid_from_stats(mu1, sigma1, mu2, sigma2) -> float:
    """Fréchet distance of N(mu1, sigma1) and N(mu2, sigma2):
    |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).

    Tr((S1 S2)^(1/2)) equals Tr((sqrt(S1) S2 sqrt(S1))^(1/2)); the inner matrix is symmetric PSD,
    so the eigen-based square root applies (S1 S2 itself is not symmetric).
    """
    mu1, mu2 = np.atleast_1d(_np(mu1).astype(np.float64)), np.atleast_1d(_np(mu2).astype(np.float64))
    s1, s2 = np.atleast_2d(_np(sigma1).astype(np.float64)), np.atleast_2d(_np(sigma2).astype(np.float64))
    r1 = sqrtm_psd(s1)
    cross = sqrtm_psd(r1 @ s2 @ r1)
    diff = mu1 - mu2
    value = float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(cross))
    return max(value, 0.0)


def fid(real_emb, gen_emb) -> float:
    """FID between two sets of embeddings (rows are samples); needs at least 2 rows each."""
    a, b = _emb(real_emb, "real_emb"), _emb(gen_emb, "gen_emb")
    if a.shape[1] != b.shape[1]:
        raise InputError(f"embedding sizes differ: {a.shape[1]} vs {b.shape[1]}")
    if len(a) < 2 or len(b) < 2:
        raise InputError("FID needs at least two embeddings on each side")
    return fid_from_stats(a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False))


# ------------------------------------------------------------------ retrieval


def euclidean_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) matrix of Euclidean distances between rows of a and rows of b."""
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.clip(sq, 0.0, None))


def r_precision(text_emb, motion_emb, top_k: int = 3, batch_size: int = 32, seed: int | None = 0) -> list[float]:
    """HumanML3D R-precision: shuffle the matched pairs, cut them into pools of batch_size, and for
    each text rank the pool's motions by Euclidean distance; top-k is a hit when the text's own
    motion is among the k nearest. Returns [top1, ..., topk] (cumulative, fractions).

    The incomplete last pool is dropped as in the original evaluation, unless there are fewer
    pairs than batch_size, in which case one pool of all pairs is used (chance = 1/N then).
    seed=None keeps the given order.
    """
    t, m = _emb(text_emb, "text_emb"), _emb(motion_emb, "motion_emb")
    if t.shape != m.shape:
        raise InputError(f"text and motion embeddings must be matched pairs: {t.shape} vs {m.shape}")
    n = len(t)
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    pool = min(batch_size, n)
    hits = np.zeros(top_k)
    counted = 0
    for start in range(0, n - pool + 1, pool):
        idx = order[start:start + pool]
        dist = euclidean_distances(t[idx], m[idx])
        # rank of the correct motion = number of motions strictly closer than it
        own = np.diag(dist)[:, None]
        rank = (dist < own).sum(1)
        for k in range(top_k):
            hits[k] += (rank <= k).sum()
        counted += pool
    return [float(h / counted) for h in hits]


def matching_score(text_emb, motion_emb) -> float:
    """MM-Dist: mean Euclidean distance between each text and its own motion (lower is better)."""
    t, m = _emb(text_emb, "text_emb"), _emb(motion_emb, "motion_emb")
    if t.shape != m.shape:
        raise InputError(f"text and motion embeddings must be matched pairs: {t.shape} vs {m.shape}")
    return float(np.linalg.norm(t - m, axis=1).mean())


def diversity(emb, n_pairs: int = 300, seed: int = 0) -> float:
    """Mean distance between two random subsets of the embeddings (HumanML3D uses 300 pairs);
    with fewer than n_pairs rows, all rows are used in two random orders."""
    e = _emb(emb, "emb")
    if len(e) < 2:
        raise InputError("diversity needs at least two embeddings")
    rng = np.random.default_rng(seed)
    n = min(n_pairs, len(e))
    first = rng.choice(len(e), n, replace=False)
    second = rng.choice(len(e), n, replace=False)
    return float(np.linalg.norm(e[first] - e[second], axis=1).mean())


def multimodality(emb, n_pairs: int = 10, seed: int = 0) -> float:
    """emb: (N_prompts, R, D), R generations per prompt. Mean distance between two random
    subsets of each prompt's generations (how varied the model is for one prompt)."""
    e = _np(emb).astype(np.float64)
    if e.ndim != 3 or e.shape[1] < 2:
        raise InputError(f"multimodality needs (N, R>=2, D) embeddings, got shape {e.shape}")
    rng = np.random.default_rng(seed)
    n = min(n_pairs, e.shape[1])
    first = rng.choice(e.shape[1], n, replace=False)
    second = rng.choice(e.shape[1], n, replace=False)
    return float(np.linalg.norm(e[:, first] - e[:, second], axis=2).mean())


# ------------------------------------------------------------------ tokens


def token_accuracy(logits_or_pred, labels, ignore_index: int = -100) -> float:
    """Fraction of positions where the prediction equals the label, skipping ignore_index.

    logits_or_pred: logits (..., V) — one more dimension than labels — or predicted ids with
    the same shape as labels. No counted position gives nan (nothing to score).
    """
    pred, lab = _np(logits_or_pred), _np(labels)
    if pred.ndim == lab.ndim + 1:
        pred = pred.argmax(-1)
    if pred.shape != lab.shape:
        raise InputError(f"predictions {pred.shape} do not match labels {lab.shape}")
    mask = lab != ignore_index
    if not mask.any():
        return float("nan")
    return float((pred[mask] == lab[mask]).mean())
