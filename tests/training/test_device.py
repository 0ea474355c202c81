"""Training devices: --device resolution, bf16 autocast, checkpoints that move between devices,
the trainer's on_step callback (progress + cancel), and resume after a cancel.

Every device test runs on the CPU and, where a GPU exists, again on CUDA (marker `cuda`, which
skips only when CUDA is absent): the CUDA path is the CPU path with another device string.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from motion_studio.errors import InputError  # noqa: E402
from motion_studio.training import device as devmod  # noqa: E402

HAS_CUDA = torch.cuda.is_available()
CUDA = [pytest.mark.cuda, pytest.mark.skipif(not HAS_CUDA, reason="no CUDA GPU here")]
DEVICES = ["cpu", pytest.param("cuda:0", marks=CUDA)]


def test_resolve_device():
    assert devmod.resolve_device("cpu") == "cpu"
    assert devmod.resolve_device(" CPU ") == "cpu"
    assert devmod.resolve_device("auto") == ("cuda:0" if HAS_CUDA else "cpu")
    assert devmod.resolve_device(None) == ("cuda:0" if HAS_CUDA else "cpu")
    with pytest.raises(InputError):
        devmod.resolve_device("tpu")
    with pytest.raises(InputError):
        devmod.resolve_device("cuda:99")
    if not HAS_CUDA:
        with pytest.raises(InputError, match="no CUDA"):
            devmod.resolve_device("cuda")


def test_use_device_sets_the_trainers_default_and_restores_it():
    assert devmod.training_device() == "cpu"
    with devmod.use_device("cpu") as dev:
        assert dev == "cpu" and devmod.training_device() == "cpu"
        assert devmod.runtime().device == "cpu"
    assert devmod.training_device() == "cpu"
    rt = devmod.runtime("cpu")
    assert (rt.world, rt.rank, rt.is_main, rt.distributed) == (1, 0, True, False)
    assert rt.shard([1, 2, 3]) == [1, 2, 3] and rt.share(5) == 1.0 and rt.main_decides(3) == 3


@pytest.mark.parametrize("dev", DEVICES)
def test_autocast_bf16(dev, monkeypatch):
    monkeypatch.setattr(devmod, "cpu_has_fast_bf16", lambda: True)  # a CUDA device ignores it
    a = torch.randn(8, 8, device=dev)
    with devmod.autocast(dev):
        assert (a @ a).dtype == torch.bfloat16
    with devmod.autocast(dev, enabled=False):
        assert (a @ a).dtype == torch.float32


def test_cpu_without_native_bf16_trains_in_fp32(monkeypatch):
    monkeypatch.setattr(devmod, "cpu_has_fast_bf16", lambda: False)
    a = torch.randn(8, 8)
    with devmod.autocast("cpu"):
        assert (a @ a).dtype == torch.float32


def test_cpu_flags_have_bf16():
    x86_plain = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512bw avx512vl\n"
    x86_bf16 = "processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16 amx_tile\n"
    arm = "processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\n"
    assert not devmod.cpu_flags_have_bf16(x86_plain)
    assert devmod.cpu_flags_have_bf16(x86_bf16)
    assert devmod.cpu_flags_have_bf16(arm)
    assert not devmod.cpu_flags_have_bf16("model name\t: bf16 in a name is not a flag\n")
    assert not devmod.cpu_flags_have_bf16("")


def _tiny():
    from test_distributed import WORDS, _examples
    from tiny_models import tiny_motion_lm

    lm = tiny_motion_lm(WORDS)
    for p in lm.parameters():
        p.requires_grad_(True)
    return lm, _examples(lm.tok)


@pytest.mark.parametrize("dev", DEVICES)
def test_train_lm_on_a_device_model_comes_back_and_state_loads_anywhere(dev, tmp_path):
    from motion_studio.training.lm_train import TrainConfig, train_lm
    from motion_studio.training.progress import load_checkpoint

    lm, ex = _tiny()
    report = train_lm(lm, ex, TrainConfig(steps=4, batch_size=8, warmup=1, log_every=2), progress=False,
                      ckpt_path=tmp_path / "lm.pt", acc_examples=16, device=dev)
    assert report["steps"] == 4 and report["token_acc"]
    assert lm.device.type == "cpu"  # back where it came from
    state = load_checkpoint(tmp_path / "lm.pt")  # saved from `dev`, read onto the CPU
    assert all(v.device.type == "cpu" for v in state["model"].values())
    lm2, _ = _tiny()
    lm2.load_state_dict(state["model"])
    assert all(torch.equal(a, b) for a, b in zip(lm.state_dict().values(), lm2.state_dict().values()))


def test_train_lm_default_device_is_the_process_wide_one(tmp_path, monkeypatch):
    from motion_studio.training import lm_train

    seen = []
    real = lm_train.runtime
    monkeypatch.setattr(lm_train, "runtime", lambda device=None: seen.append(devmod.training_device(device))
                        or real(device))
    lm, ex = _tiny()
    with devmod.use_device("cpu"):
        lm_train.train_lm(lm, ex, lm_train.TrainConfig(steps=1, batch_size=4), progress=False, acc_examples=0)
    assert seen == ["cpu"]


def test_on_step_reports_progress_and_cancels_cleanly_then_resumes(tmp_path):
    from motion_studio.training.lm_train import TrainConfig, train_lm

    cfg = TrainConfig(steps=10, batch_size=8, warmup=1, log_every=2)
    calls = []

    def on_step(step, total, loss):
        calls.append((step, total, loss))
        return step < 4  # False at step 4: stop

    lm, ex = _tiny()
    report = train_lm(lm, ex, cfg, progress=False, ckpt_path=tmp_path / "lm.pt", on_step=on_step)
    assert report["cancelled"] is True and report["steps"] == 4 and report["token_acc"] == {}
    assert [c[0] for c in calls] == [1, 2, 3, 4] and all(c[1] == 10 and c[2] > 0 for c in calls)
    # a later run resumes from the saved step and finishes; None from the callback means "go on"
    report = train_lm(lm, ex, cfg, progress=False, ckpt_path=tmp_path / "lm.pt", resume=True,
                      on_step=lambda *a: None, acc_examples=0)
    assert report["steps"] == 10 and "cancelled" not in report


def test_resume_after_a_stop_finishes_the_schedule(tmp_path):
    """Stop at step 5 (the state on disk, as after a kill), resume: the run ends at step 10."""
    from motion_studio.training.lm_train import TrainConfig, train_lm

    cfg = TrainConfig(steps=10, batch_size=8, warmup=1)
    lm_a, ex = _tiny()
    train_lm(lm_a, ex, cfg, progress=False, acc_examples=0)
    lm_b, _ = _tiny()
    train_lm(lm_b, ex, cfg, progress=False, ckpt_path=tmp_path / "s.pt", acc_examples=0,
             on_step=lambda step, total, loss: step < 5)
    lm_c, _ = _tiny()
    r = train_lm(lm_c, ex, cfg, progress=False, ckpt_path=tmp_path / "s.pt", resume=True, acc_examples=0)
    assert r["steps"] == 10
    # a resumed run draws batches from a new stream (seed + step), so it is close, not equal
    for a, c in zip(lm_a.parameters(), lm_c.parameters()):
        assert torch.isfinite(c).all() and a.shape == c.shape


@pytest.mark.parametrize("dev", DEVICES)
def test_vqvae_trains_on_a_device(dev, tmp_path):
    import numpy as np

    from motion_studio.models.vqvae import MotionVQVAE, VQConfig
    from motion_studio.training.vqvae_train import VQTrainConfig, evaluate_vqvae, train_vqvae

    torch.manual_seed(0)
    vq = MotionVQVAE(VQConfig(width=16, depth=1, code_dim=8, n_codes=16))
    rng = np.random.default_rng(0)
    clips = [rng.normal(size=(48, 263)).astype(np.float32) for _ in range(6)]
    report = train_vqvae(vq, clips, VQTrainConfig(steps=3, batch_size=4, window=32, warmup=1), progress=False,
                         ckpt_path=tmp_path / "vq.pt", device=dev)
    assert report["steps"] == 3 and str(vq.mean.device) == "cpu"
    vq.to(dev)
    assert evaluate_vqvae(vq, clips[:2])["n_clips"] == 2  # evaluation runs wherever the model is


@pytest.mark.cuda
@pytest.mark.skipif(not HAS_CUDA, reason="no CUDA GPU here")
def test_cuda_checkpoint_loads_on_the_cpu(tmp_path):
    """A model trained and saved from the GPU loads in a CPU process (safetensors + map_location)."""
    from motion_studio.models.backbone import MotionLM

    lm, _ = _tiny()
    lm.to("cuda:0")
    lm.save(tmp_path / "backbone")
    back = MotionLM.load(tmp_path / "backbone", device="cpu")
    assert back.device.type == "cpu"
    assert all(torch.equal(a.cpu(), b) for a, b in zip(lm.state_dict().values(), back.state_dict().values()))
