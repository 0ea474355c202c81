"""Foundation stage end to end on the tiny corpus (seconds)."""
from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_train_foundation_tiny_then_resume(tiny_corpus, tmp_path):
    pytest.importorskip("motion_studio.data.dataset")
    import torch

    from motion_studio.data.tasks import build_tasks
    from motion_studio.models.backbone import MotionLM
    from motion_studio.models.sentence import get_sentence_encoder
    from motion_studio.models.vqvae import MotionVQVAE
    from motion_studio.training.foundation import FoundationConfig, train_foundation
    from motion_studio.training.lm_data import load_codes

    tasks = tmp_path / "tasks.json"
    build_tasks(tiny_corpus, get_sentence_encoder().embed, out=tasks)
    out = tmp_path / "foundation"
    report = train_foundation(tiny_corpus, tasks, out, FoundationConfig.tiny(), progress=False)

    for rel in ("vqvae/vqvae.safetensors", "vqvae/vqvae.json", "backbone/backbone.safetensors",
                "backbone/tokenizer.json", "codes.safetensors", "foundation_report.json"):
        assert (out / rel).exists(), rel
    saved = json.loads((out / "foundation_report.json").read_text())
    assert saved["vqvae"]["test"]["mpjpe_mm"] > 0 and 0 < saved["vqvae"]["test"]["usage_pct"] <= 100
    assert set(saved["lm"]["train"]["token_acc"]) == {"t2m", "m2t"}
    assert report["lm"]["train"]["steps"] == FoundationConfig.tiny().lm_train.steps

    vq = MotionVQVAE.load(out / "vqvae")
    lm = MotionLM.load(out / "backbone")
    codes = load_codes(out / "codes.safetensors")
    assert len(codes) == report["n_clips_encoded"] > 0
    assert all(0 <= c < vq.cfg.n_codes for cs in codes.values() for c in cs)
    assert lm.tok.n_motion == vq.cfg.n_codes
    gen = lm.generate_motion(["a person walks"], torch.zeros(1, 384), n_codes=[5])
    feats = vq.denormalize(vq.decode(torch.tensor(gen)))
    assert feats.shape == (1, 20, 263) and torch.isfinite(feats).all()

    again = train_foundation(tiny_corpus, tasks, out, FoundationConfig.tiny(), progress=False)
    assert again["timings"]["vqvae_s"] < 1.0  # finished stages are read back, not retrained
    assert again["lm"]["train"]["steps"] == report["lm"]["train"]["steps"]


def test_train_lm_resumes_from_its_checkpoint(tmp_path, monkeypatch):
    """An interrupted run (budget used up after 3 steps) continues from step 3, not from 0."""
    import numpy as np
    import torch

    from motion_studio.models.backbone import BackboneConfig, MotionLM
    from motion_studio.models.text_tokenizer import MotionTokenizer
    from motion_studio.training import lm_train
    from motion_studio.training.lm_data import make_m2t_example, make_t2m_example
    from motion_studio.training.progress import load_checkpoint

    tok = MotionTokenizer.train(["a person walks", "someone jumps"] * 4, 50, 8)
    torch.manual_seed(0)
    model = MotionLM(BackboneConfig(d_model=16, n_layers=1, n_heads=2, ffn=32, n_prefix=1, n_motion_codes=8), tok)
    ex = [make_t2m_example(tok, "a person walks", [1, 2, 3], np.zeros(384)), make_m2t_example(tok, [4, 5], "someone jumps")]
    cfg = lm_train.TrainConfig(steps=8, batch_size=2, warmup=1)
    ckpt = tmp_path / "lm.pt"

    calls = {"n": 0}
    real = lm_train.Budget.exhausted

    def stop_after_three(self):
        calls["n"] += 1
        return calls["n"] > 3

    monkeypatch.setattr(lm_train.Budget, "exhausted", stop_after_three)
    first = lm_train.train_lm(model, ex, cfg, progress=False, ckpt_path=ckpt)
    assert first["steps"] == 3 and load_checkpoint(ckpt)["step"] == 3
    monkeypatch.setattr(lm_train.Budget, "exhausted", real)
    weights_after_3 = {k: v.clone() for k, v in model.state_dict().items()}
    fresh = MotionLM(model.cfg, tok)  # a new process: weights come from the checkpoint
    second = lm_train.train_lm(fresh, ex, cfg, progress=False, ckpt_path=ckpt, resume=True)
    assert second["steps"] == 8
    assert any(not torch.equal(weights_after_3[k], v) for k, v in fresh.state_dict().items())


def test_resume_helper_restores_model_optimiser_and_extras(tmp_path):
    """The one resume helper every trainer uses: weights, optimiser, counters and extra values."""
    import torch

    from motion_studio.training.progress import resume_training, save_checkpoint, training_state

    model = torch.nn.Linear(3, 2)
    opt = torch.optim.AdamW(model.parameters(), lr=0.1)
    model(torch.ones(1, 3)).sum().backward()
    opt.step()
    curve = torch.tensor([[10.0, 2.5], [20.0, 1.5]], dtype=torch.float64)
    save_checkpoint(tmp_path / "s.pt", training_state(model, opt, 20, 3.5, 100, curve=curve))

    fresh, extras = torch.nn.Linear(3, 2), {}
    fresh_opt = torch.optim.AdamW(fresh.parameters(), lr=0.1)
    assert resume_training(tmp_path / "s.pt", True, fresh, fresh_opt, 50, extras=extras) == (20, 3.5, 100)
    assert torch.equal(fresh.weight, model.weight) and fresh_opt.state_dict()["state"]
    assert torch.equal(extras["curve"], curve) and set(extras) == {"curve"}
    assert resume_training(tmp_path / "s.pt", False, fresh, fresh_opt, 50) == (0, 0.0, 50)
    assert resume_training(tmp_path / "missing.pt", True, fresh, fresh_opt, 50) == (0, 0.0, 50)


def test_fit_steps_uses_the_pace_after_start_up():
    from motion_studio.training.progress import fit_steps

    # start-up cost 9 s in the first 10 steps, then 0.1 s/step: at step 40, 12 s spent, 3 s in the
    # last 30 steps -> 0.1 s/step; 100 s budget leaves 88 s = 880 more steps
    assert fit_steps(6000, 40, 12.0, 100.0, mark=(10, 9.0)) == 40 + 880
    assert fit_steps(500, 40, 12.0, 100.0, mark=(10, 9.0)) == 500  # never more than asked
    assert fit_steps(6000, 40, 120.0, 100.0, mark=(10, 9.0)) == 41  # budget already spent: stop soon
    assert fit_steps(6000, 40, 12.0, 100.0, mark=(40, 12.0)) == 6000  # no pace measured: keep the plan


def test_pace_fit_marks_after_start_up_and_fits_once():
    from motion_studio.training.progress import PaceFit, fit_steps

    pace = PaceFit(mark_at=10, fit_at=40, step=0, elapsed=0.0)
    assert pace.update(5, 8.0, 6000, 100.0) is None
    assert pace.update(10, 9.0, 6000, 100.0) is None and pace.mark == (10, 9.0)
    assert pace.update(40, 12.0, 6000, 100.0) == fit_steps(6000, 40, 12.0, 100.0, (10, 9.0)) == 920
    assert PaceFit(10, 40, 0, 0.0).update(40, 12.0, 6000, None) is None  # no budget: no fit
