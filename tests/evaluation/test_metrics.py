"""Hand-checked numbers for the motion, token and continual metrics."""
import math

import numpy as np
import pytest

from motion_studio.errors import InputError
from motion_studio.metrics import continual as C
from motion_studio.metrics import motion as M


# ---------------------------------------------------------------- FID

def test_fid_of_two_1d_gaussians_by_hand():
    # N(0,1) vs N(3,4): (0-3)^2 + 1 + 4 - 2*sqrt(1*4) = 9 + 5 - 4 = 10
    assert M.fid_from_stats([0.0], [[1.0]], [3.0], [[4.0]]) == pytest.approx(10.0)


def test_fid_of_diagonal_2d_gaussians_by_hand():
    # |(1,2)|^2 = 5; traces 1+4 + 4+9 = 18; 2*(sqrt(1*4) + sqrt(4*9)) = 2*(2+6) = 16 -> 5 + 2 = 7
    got = M.fid_from_stats([0, 0], np.diag([1.0, 4.0]), [1, 2], np.diag([4.0, 9.0]))
    assert got == pytest.approx(7.0)


def test_fid_is_rotation_invariant_for_non_diagonal_covariances():
    c, s = math.cos(0.7), math.sin(0.7)
    rot = np.array([[c, -s], [s, c]])
    s1, s2 = rot @ np.diag([1.0, 4.0]) @ rot.T, rot @ np.diag([4.0, 9.0]) @ rot.T
    assert M.fid_from_stats(rot @ [0, 0], s1, rot @ np.array([1, 2]), s2) == pytest.approx(7.0)


def test_fid_of_samples():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, size=(20000, 1))
    b = rng.normal(3, 2, size=(20000, 1))
    assert M.fid(a, a) == pytest.approx(0.0, abs=1e-6)
    assert M.fid(a, b) == pytest.approx(10.0, abs=0.3)


def test_sqrtm_psd_squares_back():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    r = M.sqrtm_psd(a)
    np.testing.assert_allclose(r @ r, a, atol=1e-12)


def test_fid_rejects_bad_shapes():
    with pytest.raises(InputError):
        M.fid(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(InputError):
        M.fid(np.zeros((1, 3)), np.zeros((5, 3)))


# ---------------------------------------------------------- retrieval

def test_r_precision_by_hand():
    t = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], float)
    m = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], float)
    # texts 0,1 sit on their motion (rank 0); texts 2,3 sit on the other's motion and
    # their own is the next nearest (rank 1) -> top1 2/4, top2 4/4
    assert M.r_precision(t, m, top_k=3, batch_size=4, seed=None) == [0.5, 1.0, 1.0]


def test_r_precision_perfect_and_chance():
    rng = np.random.default_rng(1)
    e = rng.normal(size=(640, 8))
    assert M.r_precision(e, e) == [1.0, 1.0, 1.0]
    top = M.r_precision(rng.normal(size=(6400, 8)), rng.normal(size=(6400, 8)))
    # chance with pools of 32: k/32
    assert top[0] == pytest.approx(1 / 32, abs=0.01)
    assert top[2] == pytest.approx(3 / 32, abs=0.015)


def test_r_precision_drops_incomplete_pool():
    e = np.eye(40)
    t = e.copy()
    t[35:] = 0  # the last 8 texts are useless but fall in the dropped pool (seed=None keeps order)
    assert M.r_precision(t, e, seed=None)[0] == 1.0


def test_matching_score_by_hand():
    assert M.matching_score([[0, 0], [1, 1]], [[3, 4], [1, 1]]) == pytest.approx(2.5)


def test_diversity_of_gaussian_matches_expected_distance():
    # x, y ~ N(0,1): x - y ~ N(0,2), E|x - y| = sqrt(2) * sqrt(2/pi) = 2/sqrt(pi)
    e = np.random.default_rng(2).normal(size=(20000, 1))
    assert M.diversity(e, n_pairs=10000) == pytest.approx(2 / math.sqrt(math.pi), abs=0.04)
    assert M.diversity(np.ones((50, 3))) == 0.0


def test_multimodality_zero_when_generations_identical():
    e = np.repeat(np.arange(6, dtype=float).reshape(3, 1, 2), 5, axis=1)
    assert M.multimodality(e) == 0.0
    spread = np.stack([np.array([[0.0], [2.0]])] * 4)  # two generations 2 apart per prompt
    assert 0.0 < M.multimodality(spread, n_pairs=2, seed=0) <= 2.0


# ------------------------------------------------------------- tokens

def test_token_accuracy_from_logits_and_ids():
    logits = np.zeros((1, 4, 3))
    logits[0, 0, 2] = logits[0, 1, 0] = logits[0, 2, 1] = logits[0, 3, 1] = 1.0  # argmax 2,0,1,1
    labels = np.array([[2, 1, 1, -100]])
    assert M.token_accuracy(logits, labels) == pytest.approx(2 / 3)
    assert M.token_accuracy(np.array([[2, 0, 1, 1]]), labels) == pytest.approx(2 / 3)
    assert math.isnan(M.token_accuracy(np.array([1]), np.array([-100])))


def test_token_accuracy_accepts_torch():
    torch = pytest.importorskip("torch")
    assert M.token_accuracy(torch.tensor([1, 2, 3]), torch.tensor([1, 0, 3])) == pytest.approx(2 / 3)


# ---------------------------------------------------------- continual

R = np.array([[0.8, 0.1, 0.2],
              [0.6, 0.9, 0.3],
              [0.5, 0.7, 0.9]])


def test_continual_metrics_by_hand():
    assert C.acc(R) == pytest.approx((0.5 + 0.7 + 0.9) / 3)
    assert C.bwt(R) == pytest.approx(((0.5 - 0.8) + (0.7 - 0.9)) / 2)  # -0.25
    assert C.fwt(R, [0.1, 0.05, 0.1]) == pytest.approx(((0.1 - 0.05) + (0.3 - 0.1)) / 2)  # 0.125
    # j=0: max(0.8-0.5, 0.6-0.5) = 0.3; j=1: max(0.1-0.7, 0.9-0.7) = 0.2
    assert C.forgetting(R) == pytest.approx(0.25)


def test_lower_is_better_metrics_keep_the_sign_convention():
    F = np.array([[10.0, 50, 60], [20, 12, 55], [30, 25, 11]])  # e.g. FID, lower is better
    # FID on task 0 rose 10 -> 30, on task 1 12 -> 25: forgetting, so BWT must be negative
    assert C.bwt(F, higher_is_better=False) == pytest.approx(-(20 + 13) / 2)
    assert C.forgetting(F, higher_is_better=False) == pytest.approx((20 + 13) / 2)
    # baseline FIDs 70, 60, 70: earlier tasks lowered FID on tasks 1 and 2 -> positive FWT
    assert C.fwt(F, [70, 60, 70], higher_is_better=False) == pytest.approx(((60 - 50) + (70 - 55)) / 2)
    assert C.acc(F) == pytest.approx(22.0)
    summary = C.continual_summary(F, [70, 60, 70], higher_is_better=False)
    assert summary["bwt"] < 0 and summary["fwt"] > 0


def test_single_task_and_bad_matrix():
    assert C.bwt([[0.5]]) == 0.0 and C.forgetting([[0.5]]) == 0.0
    with pytest.raises(InputError):
        C.bwt(np.zeros((2, 3)))
    with pytest.raises(InputError):
        C.fwt(R, [0.1, 0.2])
