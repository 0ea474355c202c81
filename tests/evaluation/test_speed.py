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
