"""VQ-VAE motion tokenizer: shapes, EMA codebook with dead-code reset, loss terms, persistence."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from motion_studio.errors import CheckpointError
from motion_studio.models.vqvae import EMAQuantizer, MotionVQVAE, VQConfig, perplexity
from motion_studio.training.vqvae_train import VQTrainConfig, evaluate_vqvae, train_vqvae, vq_loss

TINY = VQConfig(width=32, depth=2, code_dim=8, n_codes=16)


def test_encode_decode_shapes_4x_down():
    torch.manual_seed(0)
    m = MotionVQVAE(TINY)
    m.train()
    m(torch.randn(2, 64, 263))  # initialises the codebook
    m.eval()
    codes = m.encode(torch.randn(2, 64, 263))
    assert codes.shape == (2, 16) and codes.dtype == torch.long
    assert codes.min() >= 0 and codes.max() < 16
    assert m.decode(codes).shape == (2, 64, 263)
    assert m.encode(torch.randn(1, 66, 263)).shape == (1, 16)  # cropped to a multiple of 4
    recon, commit, ppl = m(torch.randn(3, 40, 263))
    assert recon.shape == (3, 40, 263) and commit.ndim == 0 and 1 <= float(ppl) <= 16
    with pytest.raises(ValueError):
        m.encode(torch.randn(1, 3, 263))


def test_perplexity_hand_checked():
    assert float(perplexity(torch.tensor([5, 5, 5, 5]))) == pytest.approx(4.0)
    assert float(perplexity(torch.tensor([8, 0, 0, 0]))) == pytest.approx(1.0)
    # p = (1/2, 1/4, 1/4): entropy 1.5 ln 2 -> 2 ** 1.5
    assert float(perplexity(torch.tensor([2, 1, 1]))) == pytest.approx(2**1.5, rel=1e-5)


def test_dead_codes_are_revived():
    """All codes but one start far from the data; EMA + reset must bring them into use."""
    torch.manual_seed(0)
    q = EMAQuantizer(n_codes=8, dim=2, mu=0.5, dead_threshold=1.0)
    q.codebook.copy_(torch.full((8, 2), 50.0))
    q.codebook[0] = 0.0
    q.ema_sum.copy_(q.codebook * 10)
    q.ema_count.copy_(torch.tensor([10.0] + [0.0] * 7))
    q.initialised.fill_(True)
    centres = torch.tensor([[5.0, 5.0], [-5.0, 5.0], [5.0, -5.0], [-5.0, -5.0]])
    data = (centres[:, None] + 0.1 * torch.randn(4, 64, 2)).reshape(-1, 2)
    z = data.t()[None]  # (1, D, N)

    q.eval()
    _, before, _, _ = q(z)
    assert before.unique().tolist() == [0]  # only the one live code is used
    q.train()
    for _ in range(10):
        q(z)
    q.eval()
    _, after, _, _ = q(z)
    assert len(after.unique()) >= 4
    # every cluster now has a code near it (the far codes moved onto the data)
    assert float(torch.cdist(centres, q.codebook).min(1).values.max()) < 1.0


def test_vq_loss_terms_hand_checked():
    x = torch.zeros(1, 3, 2)
    y = torch.tensor([[[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]]])
    total, rec, vel = vq_loss(x, x, torch.tensor(2.0), vel_weight=0.5, commit_weight=0.25)
    assert float(rec) == 0 and float(vel) == 0 and float(total) == pytest.approx(0.5)
    # smooth-L1 (beta 1): |d|<1 -> d^2/2, else |d|-1/2. rec over 6 values: 0,0,0.5,0,2.5,0 -> 0.5
    _, rec, vel = vq_loss(x, y, torch.tensor(0.0), 0.5, 0.0)
    assert float(rec) == pytest.approx(0.5)
    # velocity: target diffs (1,0),(2,0) -> losses 0.5, 0, 1.5, 0 -> 0.5
    assert float(vel) == pytest.approx(0.5)


def test_save_load_round_trip(tmp_path):
    torch.manual_seed(0)
    m = MotionVQVAE(TINY)
    m.set_stats(np.arange(263, dtype=np.float32), np.full(263, 2.0, np.float32))
    m.train()
    m(torch.randn(2, 32, 263))
    m.eval()
    x = torch.randn(1, 32, 263)
    m.save(tmp_path)
    again = MotionVQVAE.load(tmp_path)
    assert torch.equal(again.encode(x), m.encode(x))
    assert torch.equal(again.decode(m.encode(x)), m.decode(m.encode(x)))
    assert torch.equal(again.mean, m.mean) and float(again.std[0]) == 2.0
    with pytest.raises(CheckpointError):
        MotionVQVAE.load(tmp_path / "nope")


def test_short_training_lowers_loss_and_reports_mpjpe(sample_dir):
    feats = np.load(sample_dir / "new_joint_vecs" / "012314.npy", allow_pickle=False).astype(np.float32)
    mean = np.load(sample_dir / "Mean.npy", allow_pickle=False).astype(np.float32)
    std = np.load(sample_dir / "Std.npy", allow_pickle=False).astype(np.float32)
    torch.manual_seed(0)
    m = MotionVQVAE(TINY)
    m.set_stats(mean, std)
    clips = [(feats - mean) / std]
    rep = train_vqvae(m, clips, VQTrainConfig(steps=60, batch_size=8, window=32, lr=2e-3, warmup=5,
                                              log_every=10), progress=False)
    losses = [h["loss"] for h in rep["history"]]
    assert rep["steps"] == 60 and losses[-1] < losses[0]
    ev = evaluate_vqvae(m, [feats])
    assert ev["n_clips"] == 1 and math.isfinite(ev["mpjpe_mm"]) and ev["mpjpe_mm"] > 0
    assert 0 < ev["usage_pct"] <= 100 and ev["perplexity"] >= 1


def test_perfect_reconstruction_has_zero_mpjpe(sample_dir):
    """If decode(encode(x)) == x, MPJPE must be 0: checks the metric, not the model."""
    feats = np.load(sample_dir / "new_joint_vecs" / "012314.npy", allow_pickle=False).astype(np.float32)

    class Identity(MotionVQVAE):
        def encode(self, x):
            self._x = x
            return torch.zeros(x.shape[0], x.shape[1] // 4, dtype=torch.long)

        def decode(self, codes):
            return self._x

    m = Identity(TINY)
    m.set_stats(feats.mean(0), feats.std(0) + 1e-3)
    ev = evaluate_vqvae(m, [feats])
    assert ev["mpjpe_mm"] == pytest.approx(0.0, abs=1e-3)
    assert ev["mpjpe_global_mm"] == pytest.approx(0.0, abs=1e-3)
    assert ev["usage_pct"] == pytest.approx(100 / 16)


def test_numpy_helpers_round_trip_shapes():
    torch.manual_seed(0)
    m = MotionVQVAE(TINY)
    m.set_stats(np.zeros(263, np.float32), np.ones(263, np.float32))
    m.train()
    m(torch.randn(2, 32, 263))
    m.eval()
    codes = m.features_to_codes(np.random.default_rng(0).normal(size=(42, 263)).astype(np.float32))
    assert len(codes) == 10 and all(isinstance(c, int) for c in codes)
    feats = m.codes_to_features(codes)
    assert feats.shape == (40, 263) and feats.dtype == np.float32 and np.isfinite(feats).all()
    assert m.codes_to_features([]).shape == (4, 263)  # never empty


def _mpjpe_of_edit(feats, edit):
    changed = feats.copy()
    edit(changed)

    class Edited(MotionVQVAE):
        def encode(self, x):
            return torch.zeros(x.shape[0], x.shape[1] // 4, dtype=torch.long)

        def decode(self, codes):
            return torch.from_numpy(changed[: codes.shape[1] * 4])[None]

    return evaluate_vqvae(Edited(TINY), [feats])


def test_mpjpe_hand_checked_offsets(sample_dir):
    """HumanML3D features: channel 3 is the root height, channels 4.. the 21 other joints' local
    positions (x, y, z), whose y is not rotated by the root yaw."""
    feats = np.load(sample_dir / "new_joint_vecs" / "012314.npy", allow_pickle=False).astype(np.float32)

    def lift_joints(f):  # 21 joints up 5 cm, root unchanged
        f[:, 4 + 1:4 + 63:3] += 0.05

    ev = _mpjpe_of_edit(feats, lift_joints)
    assert ev["mpjpe_global_mm"] == pytest.approx(50.0 * 21 / 22, abs=1e-2)
    assert ev["mpjpe_mm"] == pytest.approx(50.0 * 21 / 22, abs=1e-2)

    def lift_root(f):  # only the root joint moves: globally 1 of 22 joints is off by 5 cm,
        f[:, 3] += 0.05  # relative to the root the other 21 are

    ev = _mpjpe_of_edit(feats, lift_root)
    assert ev["mpjpe_global_mm"] == pytest.approx(50.0 / 22, abs=1e-2)
    assert ev["mpjpe_mm"] == pytest.approx(50.0 * 21 / 22, abs=1e-2)
