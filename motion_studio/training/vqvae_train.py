"""Train and evaluate the VQ-VAE motion tokenizer.

Loss as in T2M-GPT: smooth-L1 reconstruction of the normalised features + a velocity term
(smooth-L1 of frame-to-frame differences, which keeps motion from jittering) + commitment.
Evaluation reports MPJPE in millimetres on joints recovered from the decoded features, and
codebook usage (perplexity, share of codes used).

Trains on `device` (default: the process-wide training device, training/device.py), data-parallel
when launched with torchrun / accelerate launch: each process encodes its slice of the global
batch, gradients are averaged, and the main process' EMA codebook is copied to the others after
every step (as DDP does with buffers). Only the main process writes. The model goes back to the
device it came from when training ends.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .device import autocast, may_write, module_device, runtime
from .progress import Budget, Checkpointer, PaceFit, cosine_lr, progress_bar, resume_training, training_state


@dataclass
class VQTrainConfig:
    steps: int = 4000
    batch_size: int = 32
    window: int = 64  # frames per training crop (16 codes)
    lr: float = 2e-3  # higher than T2M-GPT's 2e-4: we train thousands of steps, not 300k
    warmup: int = 200
    weight_decay: float = 0.0
    vel_weight: float = 0.5
    commit_weight: float = 0.02
    bf16: bool = True
    time_budget_s: float | None = None
    ckpt_every_s: float = 120.0
    log_every: int = 100
    seed: int = 0


def vq_loss(recon, target, commit, vel_weight: float, commit_weight: float):
    """(total, recon term, velocity term) for (B, T, C) tensors."""
    from torch.nn import functional as F

    rec = F.smooth_l1_loss(recon, target)
    vel = F.smooth_l1_loss(recon[:, 1:] - recon[:, :-1], target[:, 1:] - target[:, :-1])
    return rec + vel_weight * vel + commit_weight * commit, rec, vel


def _sample_windows(clips: list[np.ndarray], batch: int, window: int, rng: np.random.Generator) -> np.ndarray:
    picks = rng.integers(0, len(clips), size=batch)
    out = np.empty((batch, window, clips[0].shape[1]), dtype=np.float32)
    for i, c in enumerate(picks):
        clip = clips[c]
        start = rng.integers(0, len(clip) - window + 1)
        out[i] = clip[start:start + window]
    return out


def train_vqvae(model, clips_norm: list[np.ndarray], cfg: VQTrainConfig, ckpt_path=None, resume: bool = False,
                progress: bool = True, desc: str = "vqvae", device: str | None = None) -> dict:
    """Train on random windows of normalised clips (T, 263). Returns a report dict."""
    import torch

    window = cfg.window - cfg.window % model.cfg.factor
    usable = [c for c in clips_norm if len(c) >= window]
    if not usable:  # very short clips only: train on the shortest common length
        window = min(len(c) for c in clips_norm) // model.cfg.factor * model.cfg.factor
        usable = [c for c in clips_norm if len(c) >= window]
    if window < model.cfg.factor:
        raise ValueError("clips are too short to train the VQ-VAE")
    rt = runtime(device)
    home = module_device(model)
    model.to(rt.device)
    torch.manual_seed(cfg.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay, betas=(0.9, 0.99))
    step, elapsed0, total = resume_training(ckpt_path, resume, model, opt, cfg.steps)
    rt.broadcast_parameters(model)
    rng = np.random.default_rng(cfg.seed + step)
    budget = Budget(cfg.time_budget_s, elapsed0)
    ckpt = Checkpointer(ckpt_path if may_write(ckpt_path) else None, cfg.ckpt_every_s)
    model.train()
    history, last = [], {}
    bar = progress_bar(total, desc, progress and rt.is_main, initial=step)

    def snapshot():
        return training_state(model, opt, step, budget.elapsed, total)

    pace = PaceFit(mark_at=10, fit_at=40, step=step, elapsed=budget.elapsed)  # budget fit
    while step < total and not rt.main_decides(budget.exhausted()):
        for g in opt.param_groups:
            g["lr"] = cfg.lr * cosine_lr(step, total, cfg.warmup)
        x = torch.from_numpy(rt.shard(_sample_windows(usable, cfg.batch_size, window, rng))).to(rt.device)
        with autocast(rt.device, cfg.bf16):
            recon, commit, ppl = model(x)
        loss, rec, vel = vq_loss(recon.float(), x, commit, cfg.vel_weight, cfg.commit_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        rt.average_gradients(model.parameters())
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        rt.broadcast_buffers(model)
        step += 1
        bar.update(1)
        last = {"loss": rt.mean(loss.item()), "recon": rt.mean(rec.item()), "vel": rt.mean(vel.item()),
                "commit": rt.mean(commit.item()), "perplexity": rt.mean(float(ppl))}
        if step % cfg.log_every == 0:
            history.append({"step": step, **last})
            bar.set_postfix(loss=f"{last['loss']:.4f}", ppl=f"{last['perplexity']:.0f}")
        fitted = pace.update(step, budget.elapsed, total, cfg.time_budget_s)
        if fitted is not None:  # fit the schedule to the budget
            total = int(rt.main_decides(fitted))
            bar.total = total
        if ckpt.due():
            ckpt.save(snapshot())
    bar.close()
    ckpt.save(snapshot())
    model.eval()
    model.to(home)
    return {"steps": step, "seconds": round(budget.elapsed, 1), "window": window, "final": last, "history": history}


def evaluate_vqvae(model, clips_raw: list[np.ndarray], max_clips: int | None = None) -> dict:
    """MPJPE (mm) between joints of ground-truth and reconstructed features, and codebook usage.

    `mpjpe_mm` aligns the roots frame by frame (pose error, as MotionGPT reports it);
    `mpjpe_global_mm` keeps the integrated root trajectory, whose drift it adds."""
    import torch

    from ..models.vqvae import perplexity
    from ..motion.features import features_to_joints

    model.eval()
    errors, global_errors, codes_all = [], [], []
    for feats in clips_raw[:max_clips]:
        t = len(feats) - len(feats) % model.cfg.factor
        if t < model.cfg.factor:
            continue
        x = torch.as_tensor(np.asarray(feats[:t], dtype=np.float32), device=model.mean.device)
        codes = model.encode(model.normalize(x)[None])
        recon = model.denormalize(model.decode(codes))[0].float().cpu().numpy()
        gt_j = features_to_joints(np.asarray(feats[:t], dtype=np.float32))
        rc_j = features_to_joints(recon)
        global_errors.append(np.linalg.norm(gt_j - rc_j, axis=-1).mean())
        errors.append(np.linalg.norm((gt_j - gt_j[:, :1]) - (rc_j - rc_j[:, :1]), axis=-1).mean())
        codes_all.append(codes.flatten().cpu())
    if not codes_all:
        return {"mpjpe_mm": float("nan"), "mpjpe_global_mm": float("nan"), "perplexity": 0.0, "usage_pct": 0.0,
                "n_clips": 0}
    codes = torch.cat(codes_all)
    counts = torch.bincount(codes, minlength=model.cfg.n_codes)
    return {
        "mpjpe_mm": float(np.mean(errors) * 1000.0),
        "mpjpe_global_mm": float(np.mean(global_errors) * 1000.0),
        "perplexity": float(perplexity(counts)),
        "usage_pct": float((counts > 0).float().mean() * 100.0),
        "n_clips": len(errors),
    }
