"""What each expert's router autoencoders learn from: a task's inputs as people would bring them.

The corpus' captions are tidy template sentences and its clips are clean, full-length, canonical
motions. People type short, varied prompts and bring 1-4 s motion capture clips with real timing
and noise. An autoencoder fitted on the tidy inputs alone calls most real inputs "unseen", so:

- T2M: every training caption also appears as its short forms ("a person jumps", 3-4 words) and
  as `n_paraphrases` rewordings (synonyms, other subjects, dropped words, reordered clauses; see
  data/corpus/paraphrase.py). Kinds: 0 = caption, 1 = short form, 2 = paraphrase; the threshold
  rule looks at each kind separately.
- M2T: every training clip also appears as `n_clip_variants` shifted copies: cropped to 1-4 s,
  time-warped (0.7-1.3x), jittered by a few millimetres, on another body's proportions and
  retargeted back (as an imported file is), then VQ-encoded like any input.

Everything is deterministic in `seed`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class RouterDataConfig:
    """How much augmentation the router autoencoders see (0 turns a kind off)."""

    short_forms: tuple[int, ...] = (3, 4)
    n_paraphrases: int = 3  # per caption
    n_clip_variants: int = 3  # per training clip (M2T)
    crop_seconds: tuple[float, float] = (1.0, 4.0)
    warp: tuple[float, float] = (0.7, 1.3)
    noise_m: float = 0.005
    seed: int = 0


def short_forms(caption: str, lengths: tuple[int, ...] = (3, 4)) -> list[str]:
    """First 3 and 4 words of a caption ("a person jumps forward twice." -> "a person jumps", ...)."""
    words = caption.strip().rstrip(".!").split()
    return [" ".join(words[:n]) for n in lengths if n < len(words)]


def caption_phrases(caption: str, rng: np.random.Generator, cfg: RouterDataConfig) -> list[tuple[str, int]]:
    """(text, kind) for one caption: itself (0), its short forms (1), its paraphrases (2)."""
    out = [(caption, 0)] + [(s, 1) for s in short_forms(caption, cfg.short_forms)]
    if cfg.n_paraphrases > 0:
        from ..data.corpus.paraphrase import paraphrase

        out += [(p, 2) for p in paraphrase(caption, rng, cfg.n_paraphrases)]
    seen, unique = set(), []
    for text, kind in out:
        if text not in seen:
            seen.add(text)
            unique.append((text, kind))
    return unique


def prompt_inputs(captions_per_clip: list[list[str]], cfg: RouterDataConfig) -> tuple[list[str], list[int], list[int]]:
    """Flatten every clip's captions into router texts with their clip index (group) and kind."""
    rng = np.random.default_rng([cfg.seed, 17])
    texts, groups, kinds = [], [], []
    for g, caps in enumerate(captions_per_clip):
        for cap in caps:
            for text, kind in caption_phrases(cap, rng, cfg):
                texts.append(text)
                groups.append(g)
                kinds.append(kind)
    return texts, groups, kinds


def shifted_joints(joints: np.ndarray, rng: np.random.Generator, cfg: RouterDataConfig) -> np.ndarray:
    """One shifted copy of a canonical clip: another body, a crop, a time warp, jitter, retargeted back."""
    from ..motion.augment import add_noise, crop, reproportion, time_warp
    from ..motion.retarget import retarget

    fps = 20.0
    body = str(rng.choice(["cmu", "mixamo", "child", "tall"]))
    moved = reproportion(joints, body)
    moved = time_warp(moved, float(rng.uniform(*cfg.warp)))
    seconds = float(rng.uniform(*cfg.crop_seconds))
    length = max(8, min(len(moved), int(round(seconds * fps))))
    start = int(rng.integers(0, len(moved) - length + 1))
    moved = crop(moved, start, length)
    moved = add_noise(moved, rng, cfg.noise_m)
    return retarget(moved, fps)


def clip_variant_features(joints_per_clip: list[np.ndarray], cfg: RouterDataConfig,
                          min_frames: int = 8) -> tuple[list[np.ndarray], list[int]]:
    """Motion features of `n_clip_variants` shifted copies of every clip (those of at least
    `min_frames` frames), with the clip index of each."""
    from ..motion.features import joints_to_features

    rng = np.random.default_rng([cfg.seed, 23])
    feats, groups = [], []
    for g, joints in enumerate(joints_per_clip):
        for _ in range(cfg.n_clip_variants):
            f = joints_to_features(shifted_joints(np.asarray(joints, dtype=np.float64), rng, cfg))
            if len(f) >= min_frames:
                feats.append(f)
                groups.append(g)
    return feats, groups


def clip_variant_codes(joints_per_clip: list[np.ndarray], vqvae, max_codes: int,
                       cfg: RouterDataConfig) -> tuple[list[list[int]], list[int]]:
    """VQ codes of `n_clip_variants` shifted copies of every clip, with the clip index of each."""
    codes, groups = [], []
    feats, clip = clip_variant_features(joints_per_clip, cfg, min_frames=2 * vqvae.cfg.factor)
    for f, g in zip(feats, clip):
        c = vqvae.features_to_codes(f[: max_codes * vqvae.cfg.factor])[:max_codes]
        if c:
            codes.append(list(c))
            groups.append(g)
    return codes, groups
