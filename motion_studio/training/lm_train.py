"""Train the motion LM (all weights, or only `params`, e.g. one LoRA expert) on Examples.

bf16 autocast where it is fast (a GPU, or a CPU with native bf16, about 2.5x faster than fp32
there; other CPUs emulate bf16 and train in fp32 instead, see device.cpu_has_fast_bf16), AdamW with
warm-up and cosine decay, gradient clipping, an optional time budget that the schedule is fitted
to after the first steps, and resumable checkpoints every ~2 minutes.

Runs on `device` (default: the process-wide training device, see training/device.py) and, when
launched with torchrun / accelerate launch, data-parallel: each process trains on its slice of
the same global batch, gradients are averaged, and only the main process writes. The model goes
back to the device it came from when training ends.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..models.sequences import corrupt_target_codes
from .lm_data import IGNORE, M2T, T2M, Example, collate
from .device import autocast, may_write, module_device, runtime
from .progress import Budget, Checkpointer, PaceFit, cosine_lr, progress_bar, resume_training, training_state

# on_step(step, total, loss) after every optimiser step; returning False stops training early
# (progress is saved, so a later run with resume=True continues from there).
StepCallback = Callable[[int, int, float], "bool | None"]


@dataclass
class TrainConfig:
    steps: int = 2000
    batch_size: int = 32
    lr: float = 1e-3
    warmup: int = 100
    weight_decay: float = 0.01
    bf16: bool = True
    log_every: int = 50
    time_budget_s: float | None = None
    seed: int = 0
    grad_clip: float = 1.0
    ckpt_every_s: float = 120.0
    # T2M target codes fed back as inputs are swapped for random ones with this probability
    # (models/sequences.corrupt_target_codes); 0 = plain teacher forcing
    code_noise: float = 0.0


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    while True:
        order = rng.permutation(n)
        for i in range(0, n - batch_size + 1 if n >= batch_size else 1, batch_size):
            yield order[i:i + batch_size]


def token_accuracy_by_direction(model, examples: list[Example], batch_size: int = 64,
                                max_examples: int | None = 512) -> dict:
    """Teacher-forced next-token accuracy on target tokens, per direction."""
    import torch

    out = {}
    model.eval()
    for name, d in (("t2m", T2M), ("m2t", M2T)):
        rows = [e for e in examples if e.direction == d][:max_examples]
        correct = total = 0
        for i in range(0, len(rows), batch_size):
            batch = collate(rows[i:i + batch_size], model.tok.pad_id)
            with torch.no_grad():
                c, t = model.token_accuracy(batch)
            correct, total = correct + c, total + t
        if total:
            out[name] = correct / total
    return out


def train_lm(model, examples: list[Example], cfg: TrainConfig, params=None, extra_loss=None, progress: bool = True,
             desc: str = "", ckpt_path=None, resume: bool = False, eval_examples: list[Example] | None = None,
             acc_examples: int = 256, on_step: StepCallback | None = None, device: str | None = None) -> dict:
    """Returns a report: steps, seconds, final_loss, token_acc (per direction, on up to `acc_examples`
    of eval_examples or else of the training examples; 0 skips it), history, and cancelled (True
    when `on_step` returned False; token accuracy is then skipped)."""
    import torch

    if not examples:
        raise ValueError("no training examples")
    rt = runtime(device)
    home = module_device(model)
    model.to(rt.device)
    torch.manual_seed(cfg.seed)
    params = [p for p in (params if params is not None else model.parameters()) if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay, betas=(0.9, 0.98))
    step, elapsed0, total = resume_training(ckpt_path, resume, model, opt, cfg.steps)
    rt.broadcast_parameters(model)
    rng = np.random.default_rng(cfg.seed + step)
    batches = _batches(len(examples), min(cfg.batch_size, len(examples)), rng)
    budget = Budget(cfg.time_budget_s, elapsed0)
    ckpt = Checkpointer(ckpt_path if may_write(ckpt_path) else None, cfg.ckpt_every_s)
    bar = progress_bar(total, desc or "lm", progress and rt.is_main, initial=step)
    history, smooth, cancelled = [], None, False
    model.train()

    def snapshot():
        return training_state(model, opt, step, budget.elapsed, total)

    pace = PaceFit(mark_at=5, fit_at=20, step=step, elapsed=budget.elapsed)  # budget fit
    while step < total:
        stop = rt.main_decides(2 if cancelled else 1 if budget.exhausted() else 0)  # the main process decides
        if stop:
            cancelled = stop == 2
            break
        for g in opt.param_groups:
            g["lr"] = cfg.lr * cosine_lr(step, total, cfg.warmup)
        batch = collate([examples[i] for i in rt.shard(next(batches))], model.tok.pad_id)
        if cfg.code_noise:  # seeded by step, so a resumed run corrupts as an unbroken one would
            noise_gen = torch.Generator().manual_seed(cfg.seed * 1_000_003 + step)
            batch = corrupt_target_codes(batch, model.tok.motion_offset, model.tok.n_motion, cfg.code_noise, noise_gen)
        with autocast(rt.device, cfg.bf16):
            loss = model.loss(batch)
            if rt.distributed:  # weight each shard's token mean so the averaged gradient is the global mean's
                loss = loss * rt.share(float((batch["labels"] != IGNORE).sum()))
            if extra_loss is not None:
                loss = loss + extra_loss()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        rt.average_gradients(params)
        if cfg.grad_clip:
            torch.nn.utils.clip_grad_norm_(params, cfg.grad_clip)
        opt.step()
        step += 1
        bar.update(1)
        value = rt.mean(loss.item())
        smooth = value if smooth is None else 0.95 * smooth + 0.05 * value
        if step % cfg.log_every == 0:
            history.append({"step": step, "loss": round(smooth, 4)})
            bar.set_postfix(loss=f"{smooth:.3f}")
        fitted = pace.update(step, budget.elapsed, total, cfg.time_budget_s)
        if fitted is not None:  # fit the schedule to the budget
            total = int(rt.main_decides(fitted))
            bar.total = total
        if on_step is not None and rt.is_main:
            cancelled = on_step(step, total, value) is False
        if ckpt.due():
            ckpt.save(snapshot())
    bar.close()
    ckpt.save(snapshot())
    seconds = budget.elapsed
    acc = token_accuracy_by_direction(model, eval_examples if eval_examples is not None else examples,
                                      max_examples=acc_examples) if acc_examples and not cancelled else {}
    model.to(home)
    report = {"steps": step, "seconds": round(seconds, 1), "final_loss": smooth, "token_acc": acc, "history": history}
    return {**report, "cancelled": True} if cancelled else report
