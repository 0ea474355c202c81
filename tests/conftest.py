"""Shared fixtures: a tiny built-in corpus (generated once per test session) and the real sample."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # shared helpers such as tiny_models.py

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO.parent / "shared" / "humanml3d_sample"

# 2-core machines: keep torch from oversubscribing when tests run.
# Tiny test models run several times faster on one thread than on two competing ones.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The one real HumanML3D clip beside the checkout; tests using it skip when it is absent."""
    if not (SAMPLE_DIR / "new_joints" / "012314.npy").exists():
        pytest.skip("../shared/humanml3d_sample is not present")
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory) -> Path:
    """A small built-in corpus in HumanML3D layout (same generator as the real one)."""
    from motion_studio.data.corpus import generate_corpus

    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(out, n_clips=120, seed=0, workers=1, progress=False)
    return out


@pytest.fixture(scope="session")
def smoke_checkpoint(tmp_path_factory) -> Path:
    """A whole agent checkpoint made by `motion-studio train --preset smoke` (tiny nets, few steps).

    It proves the plumbing end to end (corpus -> tasks -> foundation -> experts -> routers ->
    manifest -> Agent.load), not quality.
    """
    import torch

    from motion_studio.training.pipeline import train_default_model

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        root = tmp_path_factory.mktemp("smoke_ckpt")
        train_default_model("smoke", out_dir=root / "ckpt", work_dir=root / "work", progress=False)
    finally:
        torch.set_num_threads(threads)
    return root / "ckpt"
