"""`motion-studio speed --quick` on the smoke checkpoint: every key of the issue, plausible values.
Figures are not asserted (CI machines differ); the full run is by hand (docs/PERFORMANCE.md)."""
from __future__ import annotations

import json

import pytest

from motion_studio.evaluation import speed


def test_synthetic_router_has_n_experts(smoke_checkpoint):
    from motion_studio.models.router import AutoencoderRouter

    r = AutoencoderRouter.load(smoke_checkpoint / "router_t2m.safetensors")
    big = speed.synthetic_router(r, 20)
    assert big.n_experts == 20 and big.w1.shape[0] == 20
    import torch

    assert big.errors(torch.zeros(1, r.input_dim)).shape == (1, 20)


@pytest.mark.slow
def test_speed_quick_writes_every_key(smoke_checkpoint, tmp_path):
    from motion_studio.cli import main

    out = tmp_path / "speed.json"
    assert main(["speed", "--quick", "--out", str(out), "--checkpoint", str(smoke_checkpoint), "--device", "cpu"]) == 0
    r = json.loads(out.read_text())
    assert tuple(r) == speed.KEYS
    for key in ("t2m_ms", "m2t_ms"):
        assert set(r[key]) == {"2s", "6s", "10s"}
        assert all(v["p50"] > 0 and v["p95"] >= v["p50"] for v in r[key].values())
    assert set(r["route_ms"]) == {"p50", "p95"}
    assert set(r["route_ms_by_experts"]) == {"5", "20", "100"}
    assert set(r["ratios"]) == {"router_overhead", "soft2_vs_hard", "routed_vs_base"}
    assert all(v > 0 for v in r["ratios"].values())
    assert set(r["throughput"]) == {"1", "8", "64"} and all(v > 0 for v in r["throughput"].values())
    notes = json.loads(speed.notes_path(out).read_text())
    assert notes["quick"] is True
    for key in ("viewer_fps", "viewer_fps_during_inference", "ui_max_stall_ms"):
        assert r[key] is None or r[key] > 0
    if r["viewer_fps"] is None:
        assert notes["viewer"]  # a reason
    if r["cold_start_s"] is None:
        assert notes["cold_start"]


def test_fast_decoder_gives_the_transformers_tokens(monkeypatch):
    """The static-KV-cache decoder (models/backbone.py: _FastLlama) changes speed, not output:
    greedy T2M and M2T on a tiny model, one prompt and a left-padded batch, base model and with a
    LoRA expert fused into the weights; an unmerged blend falls back to transformers."""
    import sys
    from pathlib import Path

    import numpy as np
    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tiny_models import tiny_motion_lm

    from motion_studio.models import backbone
    from motion_studio.models.experts import ExpertBank, LoraSettings

    words = ["a person walks forward", "someone jumps up high", "a man waves", "a person sits down slowly"]
    model = tiny_motion_lm(words)
    torch.manual_seed(1)
    for p in model.parameters():  # a random tiny model prefers <eom> early; spread its logits
        p.data.add_(0.05 * torch.randn_like(p))
    sent = np.random.default_rng(0).normal(size=(len(words), 384)).astype(np.float32)
    codes = [[1, 2, 3, 4], [5, 6, 7, 8, 9, 10], [3], [0, 15, 2, 2, 7]]

    def decode(fast: bool):
        monkeypatch.setattr(backbone, "FAST_DECODE", fast)
        with torch.inference_mode():
            return (model.generate_motion(words, sent), model.generate_motion(words[:1], sent[:1], [12]),
                    model.generate_motion(words, sent, [3, 8, 5, 10]), model.generate_caption(codes, max_tokens=8))

    assert decode(True) == decode(False)
    bank = ExpertBank(model, LoraSettings(r=2, alpha=4, dropout=0.0))
    bank.add_expert("x", trainable=False)
    for name, p in model.lm.named_parameters():
        if "lora_B" in name:
            p.data.normal_(0, 0.5)
    with bank.fused({"x": 1.0}):
        assert backbone._FastLlama.of(model.lm, 1, 8) is not None
        assert decode(True) == decode(False)
    with bank.blend({"x": 1.0}):  # adapters active, unmerged: the fast path steps aside
        assert backbone._FastLlama.of(model.lm, 1, 8) is None
