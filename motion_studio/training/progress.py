"""Shared helpers for trainers: a wall-clock budget, periodic resumable checkpoints, a progress bar.

Checkpoints are torch files of plain tensors/numbers, loaded with `weights_only=True` (no pickle
of arbitrary objects), written atomically so a kill mid-write never corrupts the last good one.
"""
from __future__ import annotations

import math
import os
import time
from pathlib import Path


class Budget:
    """Seconds left of an optional time budget; `elapsed0` carries time spent before a resume."""

    def __init__(self, seconds: float | None, elapsed0: float = 0.0) -> None:
        self.seconds = seconds
        self.start = time.monotonic() - elapsed0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def exhausted(self) -> bool:
        return self.seconds is not None and self.elapsed >= self.seconds


def fit_steps(total: int, step: int, elapsed: float, budget_s: float, mark: tuple[int, float]) -> int:
    """Total steps that fit the time budget, at the pace measured since `mark` = (step, elapsed).

    Why a mark: the first steps pay for start-up (allocations, first batches, a busy machine at
    launch); timing from step 0 once cut a VQ-VAE run to 2,255 of its 6,000 steps though the
    budget would have held all of them."""
    per_step = (elapsed - mark[1]) / max(1, step - mark[0])
    if per_step <= 0:
        return total
    return max(step + 1, min(total, step + int((budget_s - elapsed) / per_step)))


class PaceFit:
    """When a trainer fits its step count to a time budget: mark the pace at step `mark_at` (after
    start-up), fit once at step `fit_at` with `fit_steps`. A resumed run marks where it resumed."""

    def __init__(self, mark_at: int, fit_at: int, step: int, elapsed: float) -> None:
        self.mark_at, self.fit_at = mark_at, fit_at
        self.mark = (step, elapsed)

    def update(self, step: int, elapsed: float, total: int, budget_s: float | None) -> int | None:
        """The fitted total at step `fit_at` (with a budget), else None."""
        if step == self.mark_at:
            self.mark = (step, elapsed)
        if step == self.fit_at and budget_s is not None:
            return fit_steps(total, step, elapsed, budget_s, self.mark)
        return None


def cosine_lr(step: int, total: int, warmup: int, floor: float = 0.1) -> float:
    """LR multiplier: linear warm-up to 1, then cosine down to `floor` at `total`."""
    if step < warmup:
        return (step + 1) / max(1, warmup)
    t = min(1.0, (step - warmup) / max(1, total - warmup))
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t))


def save_checkpoint(path, state: dict) -> None:
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path) -> dict | None:
    import torch

    path = Path(path)
    if not path.exists():
        return None
    # map_location: a state saved on any device (cuda:N) loads on any other; load_state_dict then
    # copies tensors onto the model's device and the optimiser's state onto its parameters'.
    return torch.load(path, map_location="cpu", weights_only=True)


def resume_training(ckpt_path, resume: bool, model, opt, total: int,
                    extras: dict | None = None) -> tuple[int, float, int]:
    """(step, elapsed seconds, total steps) to start from: a saved state's when resuming from one
    (model and optimiser restored in place), else (0, 0.0, total). `extras`, when given, receives
    whatever else the trainer saved with `training_state(..., **extra)` (e.g. a loss curve)."""
    state = load_checkpoint(ckpt_path) if (resume and ckpt_path) else None
    if state is None:
        return 0, 0.0, total
    model.load_state_dict(state.pop("model"))
    opt.load_state_dict(state.pop("optim"))
    step, elapsed, total = int(state.pop("step")), float(state.pop("elapsed")), int(state.pop("total", total))
    if extras is not None:
        extras.update(state)
    return step, elapsed, total


def training_state(model, opt, step: int, elapsed: float, total: int, **extra) -> dict:
    """What resume_training reads back (extra values must be tensors or plain numbers)."""
    return {"model": model.state_dict(), "optim": opt.state_dict(), "step": step, "elapsed": elapsed,
            "total": total, **extra}


class Checkpointer:
    """Calls `save()` at most every `every_s` seconds (and always on `final()`)."""

    def __init__(self, path, every_s: float = 120.0) -> None:
        self.path = Path(path) if path else None
        self.every_s = every_s
        self.last = time.monotonic()

    def due(self) -> bool:
        return self.path is not None and time.monotonic() - self.last >= self.every_s

    def save(self, state: dict) -> None:
        if self.path is not None:
            save_checkpoint(self.path, state)
            self.last = time.monotonic()


def progress_bar(total: int, desc: str, enabled: bool, initial: int = 0):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, disable=not enabled, initial=initial, dynamic_ncols=True, leave=False)
