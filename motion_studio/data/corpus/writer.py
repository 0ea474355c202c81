"""Write the built-in corpus in HumanML3D's exact directory layout.

    out_dir/new_joint_vecs/ID.npy   (T-1, 263) float32   features of the generated joints
    out_dir/new_joints/ID.npy       (T-1, 22, 3) float32 features_to_joints(vecs), as HumanML3D ships them
    out_dir/texts/ID.txt            one "caption#tokens#0.0#0.0" line per paraphrase
    out_dir/train.txt val.txt test.txt all.txt   ids, 80/10/10, deterministic from the seed
    out_dir/Mean.npy Std.npy        (263,) over the train split, HumanML3D's group-averaged std
    out_dir/corpus.json             generator, version, seed, clip count, per-clip meta

Clips are generated in worker processes (each from (seed, index) alone, so the files do not
depend on the number of workers); Mean/Std are accumulated in clip order from per-clip sums so
the whole train split never has to sit in memory.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
from pathlib import Path

import numpy as np

from ...errors import Cancelled, InputError
from .clip import generate_clip

GENERATOR = "motion-studio builtin"
VERSION = 3  # 2: style.py variety (tempo, amplitude, noise, sway, cuts, 1-10 s), clips retargeted to the reference skeleton
# 3: a side point turns the chest towards its target (a head turn alone moves no joint)
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)


def split_ids(ids: list[str], seed: int) -> dict[str, list[str]]:
    """train/val/test (80/10/10) by a permutation seeded with `seed`; each list sorted."""
    order = np.random.default_rng([int(seed) & 0xFFFFFFFF, 7919]).permutation(len(ids))
    n_train = int(round(SPLIT_FRACTIONS[0] * len(ids)))
    n_val = int(round(SPLIT_FRACTIONS[1] * len(ids)))
    parts = {"train": order[:n_train], "val": order[n_train:n_train + n_val], "test": order[n_train + n_val:]}
    return {k: sorted(ids[i] for i in v) for k, v in parts.items()}


def text_lines(captions: list[str], tokens: list[str]) -> str:
    """HumanML3D's texts/ID.txt: caption#tokens#start#end, 0.0#0.0 meaning the whole clip."""
    return "".join(f"{c}#{t}#0.0#0.0\n" for c, t in zip(captions, tokens))


def _write_one(job: tuple[str, int, int, bool]) -> tuple[str, dict, int, np.ndarray | None, np.ndarray | None]:
    """Generate, convert and write clip `index`; return its meta and (for train clips) feature sums."""
    from ...motion.features import features_to_joints, joints_to_features

    out_dir, seed, index, want_stats = job
    out = Path(out_dir)
    from ...motion.retarget import retarget

    clip = generate_clip(seed, index)
    # every clip on the one reference skeleton, as HumanML3D's "uniform skeleton" and as imports are
    vecs = joints_to_features(retarget(clip.joints, 20.0)).astype(np.float32)
    joints = features_to_joints(vecs).astype(np.float32)
    if not (np.isfinite(vecs).all() and np.isfinite(joints).all()):
        raise RuntimeError(f"clip {clip.clip_id} ({clip.action}) produced non-finite values")
    np.save(out / "new_joint_vecs" / f"{clip.clip_id}.npy", vecs, allow_pickle=False)
    np.save(out / "new_joints" / f"{clip.clip_id}.npy", joints, allow_pickle=False)
    (out / "texts" / f"{clip.clip_id}.txt").write_text(text_lines(clip.captions, clip.tokens))
    meta = {"action": clip.action, "family": clip.family, "group": clip.group,
            "seconds": round(len(vecs) / 20.0, 2), "mirrored": clip.mirrored,
            "parts": clip.parts, "composed": len(clip.parts) > 1}
    if not want_stats:
        return clip.clip_id, meta, len(vecs), None, None
    v = vecs.astype(np.float64)
    return clip.clip_id, meta, len(vecs), v.sum(0), (v * v).sum(0)


def group_std(mean: np.ndarray, mean_sq: np.ndarray) -> np.ndarray:
    """HumanML3D's Std from first and second moments: per-channel std averaged within each group."""
    from ...motion.features import FEATURE_GROUPS, STD_GROUP_WEIGHTS

    std = np.sqrt(np.maximum(mean_sq - mean * mean, 0.0))
    for name, sl in FEATURE_GROUPS.items():
        std[sl] = std[sl].mean() * STD_GROUP_WEIGHTS[name]
    return np.maximum(std, 1e-6)


def generate_corpus(out_dir: str | Path, n_clips: int = 5000, seed: int = 0, workers: int = 2,
                    progress: bool = True, on_clip=None) -> Path:
    """Write `n_clips` clips of the built-in corpus under out_dir (HumanML3D layout); returns out_dir.

    on_clip(done, total) after each clip (a GUI progress bar); returning False stops the run
    (the folder is then incomplete: corpus.json, written last, is missing)."""
    if n_clips < 1:
        raise InputError(f"n_clips must be at least 1, got {n_clips}")
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    out = Path(out_dir)
    for sub in ("new_joint_vecs", "new_joints", "texts"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ids = [f"{i:06d}" for i in range(n_clips)]
    splits = split_ids(ids, seed)
    train = set(splits["train"])
    jobs = [(str(out), seed, i, ids[i] in train) for i in range(n_clips)]
    total, s1, s2 = 0, np.zeros(263), np.zeros(263)
    meta: dict[str, dict] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=n_clips, desc="clips", unit="clip")
    if workers == 1:
        results = map(_write_one, jobs)
        pool = None
    else:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        pool = mp.get_context("fork").Pool(workers)
        results = pool.imap(_write_one, jobs, chunksize=8)  # imap keeps clip order
    try:
        for clip_id, info, n, a, b in results:
            meta[clip_id] = info
            if a is not None:
                total, s1, s2 = total + n, s1 + a, s2 + b
            if bar is not None:
                bar.update(1)
            if on_clip is not None and on_clip(len(meta), n_clips) is False:
                raise Cancelled("corpus generation was cancelled")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if bar is not None:
            bar.close()
    if total == 0:  # a corpus too small for a train split: use every clip
        for i in range(n_clips):
            *_, n, a, b = _write_one((str(out), seed, i, True))
            total, s1, s2 = total + n, s1 + a, s2 + b
    mean = s1 / total
    std = group_std(mean, s2 / total)
    np.save(out / "Mean.npy", mean.astype(np.float32), allow_pickle=False)
    np.save(out / "Std.npy", std.astype(np.float32), allow_pickle=False)
    for name, lst in (*splits.items(), ("all", ids)):
        (out / f"{name}.txt").write_text("".join(f"{i}\n" for i in lst))
    doc = {"generator": GENERATOR, "version": VERSION, "seed": int(seed), "clips": n_clips, "clips_meta": meta}
    (out / "corpus.json").write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return out
