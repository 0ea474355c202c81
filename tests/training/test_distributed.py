"""Data-parallel training on 2 CPU processes (torchrun, gloo) against the same run in one process.

The worker (this file run as a script under torchrun) trains a tiny LM and a tiny VQ-VAE with the
real trainers, each process on its half of every global batch. Checks: both processes train and
finish with the same weights, only rank 0 writes (checkpoint saves are counted per rank), and the
result matches the single-process run within the tolerances below.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
STEPS = 12
WORDS = ["a person walks forward", "someone jumps up", "a man waves his arms", "a person sits down"]
# LM: ||w2 - w1|| / ||w1 - w0|| over all weights (w0 initial, w1 one process, w2 two processes):
# shards are weighted by their token counts, so only bf16/reduction rounding differs (measured
# 0.003). VQ-VAE: the EMA codebook follows rank 0's half of each batch (as DDP's buffer broadcast
# would), so its weights drift apart more (measured 0.44 relative); its loss agrees (measured
# 6e-6 relative), and that is what is checked.
LM_TOLERANCE = 0.02
VQ_LOSS_TOLERANCE = 0.01


def _examples(tok, n: int = 48):
    import numpy as np

    from motion_studio.training.lm_data import make_m2t_example, make_t2m_example

    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        cap = WORDS[i % len(WORDS)]
        codes = rng.integers(0, 16, size=int(rng.integers(3, 8))).tolist()
        if i % 2:
            out.append(make_m2t_example(tok, codes, cap))
        else:
            out.append(make_t2m_example(tok, cap, codes, rng.normal(size=384).astype(np.float32)))
    return out


def tiny_training(out_dir: Path) -> dict:
    """Train the tiny LM and VQ-VAE (checkpoints under out_dir); returns final weights and reports."""
    import numpy as np
    import torch

    sys.path.insert(0, str(REPO / "tests"))
    from tiny_models import tiny_motion_lm

    from motion_studio.models.vqvae import MotionVQVAE, VQConfig
    from motion_studio.training.lm_train import TrainConfig, train_lm
    from motion_studio.training.vqvae_train import VQTrainConfig, train_vqvae

    torch.set_num_threads(1)
    lm = tiny_motion_lm(WORDS)
    for p in lm.parameters():
        p.requires_grad_(True)
    lm_report = train_lm(lm, _examples(lm.tok), TrainConfig(steps=STEPS, batch_size=8, warmup=2, log_every=4, seed=0),
                         progress=False, ckpt_path=out_dir / "lm.pt", acc_examples=0)
    torch.manual_seed(0)
    vq = MotionVQVAE(VQConfig(width=16, depth=1, code_dim=8, n_codes=16))
    rng = np.random.default_rng(0)
    clips = [rng.normal(size=(int(rng.integers(40, 80)), 263)).astype(np.float32) for _ in range(12)]
    vq_report = train_vqvae(vq, clips, VQTrainConfig(steps=STEPS, batch_size=8, window=32, warmup=2, log_every=4),
                            ckpt_path=out_dir / "vq.pt", progress=False)
    return {"lm": {k: v.detach().clone() for k, v in lm.state_dict().items()},
            "vq": {k: v.detach().clone() for k, v in vq.state_dict().items()},
            "lm_report": lm_report, "vq_report": vq_report}


def _checksum(state: dict) -> float:
    return float(sum(v.double().abs().sum() for v in state.values() if v.is_floating_point()))


def _worker(out_dir: str) -> None:
    """One torchrun process: train, report rank/world and how many checkpoint saves it made."""
    import torch

    from motion_studio.training import progress
    from motion_studio.training.device import runtime

    saves = []
    original = progress.save_checkpoint

    def counting(path, state):
        saves.append(str(path))
        original(path, state)

    progress.save_checkpoint = counting
    out = Path(out_dir)
    result = tiny_training(out)
    rt = runtime("cpu")
    print(json.dumps({"rank": rt.rank, "world": rt.world, "saves": len(saves),
                      "lm_steps": result["lm_report"]["steps"], "vq_steps": result["vq_report"]["steps"],
                      "lm_checksum": _checksum(result["lm"]), "vq_checksum": _checksum(result["vq"]),
                      "vq_loss": result["vq_report"]["final"]["loss"]}),
          flush=True)
    if rt.is_main:
        torch.save({"lm": result["lm"], "vq": result["vq"]}, out / "weights_rank0.pt")


def relative_update_diff(w0: dict, w1: dict, w2: dict, keys) -> float:
    """||w2 - w1|| / ||w1 - w0|| over all floating-point weights in `keys` (0 = the same update)."""
    import torch

    keys = [k for k in keys if w1[k].is_floating_point()]
    update = torch.cat([(w1[k].double() - w0[k].double()).flatten() for k in keys])
    gap = torch.cat([(w2[k].double() - w1[k].double()).flatten() for k in keys])
    return float(gap.norm() / update.norm())


@pytest.mark.slow
def test_two_cpu_processes_train_like_one(tmp_path):
    import torch

    single = tiny_training(tmp_path / "single")
    assert single["lm_report"]["steps"] == STEPS

    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    env.pop("WORLD_SIZE", None)
    multi_dir = tmp_path / "multi"
    multi_dir.mkdir()
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
                           "--master_port", "0", "--rdzv-backend", "c10d", "--rdzv-endpoint", "localhost:0",
                           str(HERE), str(multi_dir)],
                          capture_output=True, text=True, env=env, timeout=240, cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = sorted((json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{\"rank\"")),
                  key=lambda r: r["rank"])
    assert [(r["rank"], r["world"]) for r in rows] == [(0, 2), (1, 2)]  # both processes trained
    assert all(r["lm_steps"] == STEPS and r["vq_steps"] == STEPS for r in rows)
    assert rows[0]["saves"] >= 2 and rows[1]["saves"] == 0  # only the main process wrote
    assert sorted(p.name for p in multi_dir.iterdir()) == ["lm.pt", "vq.pt", "weights_rank0.pt"]

    assert rows[0]["lm_checksum"] == rows[1]["lm_checksum"]  # the processes hold the same weights
    assert rows[0]["vq_checksum"] == rows[1]["vq_checksum"]
    state = torch.load(multi_dir / "lm.pt", weights_only=True)
    assert int(state["step"]) == STEPS  # resumable state, written by rank 0

    multi = torch.load(multi_dir / "weights_rank0.pt", weights_only=True)
    sys.path.insert(0, str(REPO / "tests"))
    from tiny_models import tiny_motion_lm

    w0 = tiny_motion_lm(WORDS).state_dict()
    diff = relative_update_diff(w0, single["lm"], multi["lm"], single["lm"])
    assert diff < LM_TOLERANCE, f"the 2-process LM update differs from the 1-process one by {diff:.4f} (relative)"
    vq1, vq2 = single["vq_report"]["final"]["loss"], rows[0]["vq_loss"]
    assert abs(vq2 - vq1) / vq1 < VQ_LOSS_TOLERANCE, (vq1, vq2)


if __name__ == "__main__":
    _worker(sys.argv[1])
