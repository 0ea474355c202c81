"""Train the text-motion evaluator on all train clips, and measure its retrieval on held-out clips.

Pairs are (clip features, one of its captions). Each step samples clips uniformly, one caption
each, and a random crop of the motion (HumanML3D style: a multiple of 4 frames, 40..196, the
full clip up to 196 half of the time) so the evaluator also judges generated motions of other
lengths. Captions are embedded once with MiniLM (cached under out_dir when given).

Runs on `device` (default: the process-wide training device, training/device.py). Launched on
several processes it trains replicated - every process the same whole batch, because the
contrastive loss needs the whole batch's negatives - and only the main process writes.

The dataset is anything with the MotionDataset interface: ids(split), features(id) (raw 263-dim),
texts(id) -> [Caption(caption, tokens, start, end)], mean, std.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..metrics import motion as metrics
from ..motion.skeleton import FPS

__all__ = ["train_evaluator", "evaluate_retrieval", "prepare_pairs"]


def _segment(cap, n_frames: int, min_len: int) -> tuple[int, int]:
    """Frames a caption describes: HumanML3D's start/end in seconds (0/0 or nan = whole clip)."""
    try:
        s, e = float(getattr(cap, "start", 0.0) or 0.0), float(getattr(cap, "end", 0.0) or 0.0)
    except (TypeError, ValueError):
        return 0, n_frames
    if not (np.isfinite(s) and np.isfinite(e)) or e <= s:
        return 0, n_frames
    a, b = int(s * FPS), min(n_frames, int(e * FPS))
    return (a, b) if b - a >= min_len else (0, n_frames)


def prepare_pairs(dataset, ids: list[str], min_len: int = 40):
    """Normalised features (float16 to halve memory) and (clip, caption text, start, end) pairs."""
    mean, std = np.asarray(dataset.mean, np.float32), np.asarray(dataset.std, np.float32)
    feats, pairs = [], []
    for cid in ids:
        f = np.asarray(dataset.features(cid), np.float32)
        if f.ndim != 2 or len(f) == 0 or not np.isfinite(f).all():
            continue  # a broken clip is skipped, not fatal for an evaluator
        caps = [c for c in dataset.texts(cid) if str(getattr(c, "caption", "")).strip()]
        if not caps:
            continue
        idx = len(feats)
        feats.append(((f - mean) / std).astype(np.float16))
        for c in caps:
            a, b = _segment(c, len(f), min_len)
            pairs.append((idx, str(c.caption).strip(), a, b))
    return feats, pairs


def _crop(rng: np.random.Generator, a: int, b: int, cfg) -> tuple[int, int]:
    """Random crop inside [a, b): length a multiple of unit_len, min_len..max_len when possible."""
    u = cfg.unit_len
    top = min(b - a, cfg.max_len)
    top = max(u, top - top % u)
    if top > cfg.min_len and rng.random() < 0.5:
        length = int(rng.integers(cfg.min_len // u, top // u + 1)) * u
    else:
        length = top
    length = min(length, b - a) if b - a >= u else b - a
    start = a + int(rng.integers(0, max(0, b - a - length) + 1))
    return start, length


def _embed_captions(texts: list[str], out_dir: Path | None, device: str) -> np.ndarray:
    from ..models.sentence import embed_cached, get_sentence_encoder

    if out_dir is not None:
        return embed_cached(texts, out_dir / "caption_emb", device=device)
    return get_sentence_encoder(device).embed(texts)


def train_evaluator(dataset, cfg=None, steps: int = 400, batch_size: int = 128, log_every: int = 100,
                    out_dir=None, resume: bool = True, time_budget_s: float | None = None, lr: float = 1e-3,
                    seed: int = 0, device: str | None = None, eval_split: str | None = "val", progress: bool = False):
    """Train on ALL train clips; returns (model, report). With out_dir: resumable state every
    ~2 minutes, final weights (evaluator.safetensors/json) and evaluator_report.json there.
    time_budget_s stops early (the report says so) — the model is still usable."""
    import torch

    from ..models.evaluator import EvaluatorConfig, TextMotionEvaluator
    from .device import autocast, may_write, runtime
    from .progress import Budget, Checkpointer, cosine_lr, progress_bar, resume_training

    rt = runtime(device)
    device = rt.device
    cfg = cfg or EvaluatorConfig()
    if steps < 1 or batch_size < 2:
        raise InputError("the evaluator needs steps >= 1 and batch_size >= 2")
    out = Path(out_dir) if out_dir else None
    t0 = time.monotonic()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)

    feats, pairs = prepare_pairs(dataset, list(dataset.ids("train")), cfg.min_len)
    if len(feats) < 2:
        raise InputError("the evaluator needs at least two captioned train clips")
    texts = sorted({p[1] for p in pairs})
    text_id = {t: i for i, t in enumerate(texts)}
    sent = torch.from_numpy(_embed_captions(texts, out if may_write(out) else None, device))
    by_clip: list[list[int]] = [[] for _ in feats]
    for k, p in enumerate(pairs):
        by_clip[p[0]].append(k)
    prep_s = time.monotonic() - t0

    model = TextMotionEvaluator(cfg).to(device)
    model.set_normalisation(dataset.mean, dataset.std)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    state_path = out / "train_state.pt" if out else None
    saved: dict = {}
    step, elapsed0, _ = resume_training(state_path, resume, model, opt, steps, extras=saved)
    rt.broadcast_parameters(model)
    curve = [list(x) for x in saved["curve"].tolist()] if "curve" in saved else []
    if step:
        rng = np.random.default_rng(seed + step)  # a resumed run draws new batches, not the first ones again

    budget = Budget(time_budget_s, elapsed0)
    ckpt = Checkpointer(state_path if may_write(state_path) else None)
    bar = progress_bar(steps, "evaluator", progress and rt.is_main, initial=step)
    model.train()
    window, stopped_early = [], False
    while step < steps:
        if rt.main_decides(budget.exhausted()):
            stopped_early = True
            break
        clips = rng.choice(len(feats), size=min(batch_size, len(feats)), replace=False)
        chosen = [pairs[by_clip[c][int(rng.integers(len(by_clip[c])))]] for c in clips]
        crops = [_crop(rng, a, b, cfg) for _, _, a, b in chosen]
        # always pad to max_len: bf16 kernels on the CPU are rebuilt for every new shape, which
        # made varying lengths twice as slow as a fixed one (masked pooling ignores the padding)
        x = np.zeros((len(chosen), cfg.max_len, cfg.feat_dim), np.float32)
        for i, ((c, _, _, _), (s, n)) in enumerate(zip(chosen, crops)):
            x[i, :n] = feats[c][s:s + n]
        ids = torch.tensor([text_id[p[1]] for p in chosen])
        for g in opt.param_groups:
            g["lr"] = lr * cosine_lr(step, steps, warmup=min(50, steps // 10))
        with autocast(device):
            t = model.embed_text(sent[ids].to(device))
            m = model.embed_motion(torch.from_numpy(x).to(device), torch.tensor([n for _, n in crops]))
        loss = model.contrastive_loss(t.float(), m.float(), (ids[:, None] == ids[None, :]).to(device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        rt.average_gradients(model.parameters())  # identical already; keeps GPUs from drifting apart
        opt.step()
        step += 1
        window.append(loss.item())
        bar.update(1)
        if step % log_every == 0 or step == steps:
            curve.append([step, float(np.mean(window))])
            window = []
        if ckpt.due():
            ckpt.save(_state(model, opt, step, budget.elapsed, steps, curve))
    bar.close()
    if window:
        curve.append([step, float(np.mean(window))])
    model.eval()

    report = {
        "steps": step, "target_steps": steps, "stopped_early": stopped_early, "batch_size": batch_size,
        "train_seconds": round(budget.elapsed, 1), "prep_seconds": round(prep_s, 1),
        "clips": len(feats), "pairs": len(pairs), "unique_captions": len(texts),
        "final_loss": curve[-1][1] if curve else None, "loss_curve": curve,
        "temperature": float(1.0 / model.logit_scale.detach().exp()), "config": asdict(cfg),
    }
    if eval_split and list(dataset.ids(eval_split)):
        report["retrieval"] = evaluate_retrieval(model, dataset, eval_split, seed=seed)
        report["retrieval_split"] = eval_split
    if out is not None and may_write(out):
        ckpt.save(_state(model, opt, step, budget.elapsed, steps, curve))
        model.save(out)
        (out / "evaluator_report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return model, report


def _state(model, opt, step, elapsed, total, curve) -> dict:
    import torch

    from .progress import training_state

    return training_state(model, opt, step, elapsed, total,
                          curve=torch.tensor(curve, dtype=torch.float64).reshape(-1, 2))


def evaluate_retrieval(model, dataset, split: str = "test", seed: int = 0, max_clips: int | None = None) -> dict:
    """Retrieval on held-out real pairs (each clip with one random caption of its own):
    R-precision top-1/2/3 in pools of 32 (chance 1/32, 2/32, 3/32), MM-Dist, the real motions'
    Diversity, and the FID between two random halves of the real clips (the floor FID can reach)."""
    from ..models.evaluator import embed_motions, embed_texts
    from ..models.sentence import get_sentence_encoder

    rng = np.random.default_rng(seed)
    ids = list(dataset.ids(split))
    if max_clips is not None and len(ids) > max_clips:
        ids = [ids[i] for i in sorted(rng.choice(len(ids), max_clips, replace=False))]
    feats, caps = [], []
    for cid in ids:
        texts = [str(c.caption).strip() for c in dataset.texts(cid) if str(getattr(c, "caption", "")).strip()]
        f = np.asarray(dataset.features(cid), np.float32)
        if texts and f.ndim == 2 and len(f) and np.isfinite(f).all():
            feats.append(model.normalise(f))
            caps.append(texts[int(rng.integers(len(texts)))])
    if len(feats) < 2:
        raise InputError(f"split {split!r} has fewer than two usable clips for retrieval")
    mot = embed_motions(model, feats)
    device = str(next(model.parameters()).device)
    text = embed_texts(model, get_sentence_encoder("cpu" if device == "cpu" else device).embed(caps))
    top = metrics.r_precision(text, mot, top_k=3, seed=seed)
    half = rng.permutation(len(mot))
    a, b = mot[half[: len(mot) // 2]], mot[half[len(mot) // 2:]]
    return {
        "r_precision": top, "matching_score": metrics.matching_score(text, mot),
        "diversity": metrics.diversity(mot, seed=seed),
        "fid_real_vs_real": metrics.fid(a, b) if min(len(a), len(b)) >= 2 else None,
        "n": len(mot), "chance_top1": 1.0 / min(32, len(mot)),
    }
