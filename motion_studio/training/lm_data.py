"""From a corpus to training examples: VQ codes of every clip, then examples in both directions.

The sequence layout itself (Example, prompt ids, collate) lives in models/sequences.py, shared
with the backbone's decoding.
"""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from ..models.vqvae import load_codes, save_codes  # noqa: F401 (the codes file; re-exported)
from ..models.prompts import M2T_TEMPLATES, T2M_TEMPLATES, sample_template, t2m_prompt, with_length_hint
from ..models.sequences import (CODES_PER_SECOND, IGNORE, M2T, T2M, Example, collate,  # noqa: F401 (re-exported)
                                m2t_prompt_ids, make_m2t_example, make_t2m_example, t2m_prompt_ids)

# ---------------------------------------------------------------- corpus -> codes -> examples

def encode_clips(vqvae, dataset, ids, device: str = "cpu", cache: str | Path | None = None) -> dict[str, list[int]]:
    """Codes of every clip (whole clip, cropped to a multiple of 4 frames). Cached to `cache` (safetensors)."""
    import torch

    ids = list(ids)
    if cache is not None and Path(cache).exists():
        stored = load_codes(cache)
        if all(i in stored for i in ids):
            return {i: stored[i] for i in ids}
    vqvae = vqvae.to(device).eval()
    out: dict[str, list[int]] = {}
    for cid in ids:
        feats = torch.as_tensor(np.asarray(dataset.features(cid), dtype=np.float32), device=device)
        if feats.shape[0] < vqvae.cfg.factor:
            continue
        codes = vqvae.encode(vqvae.normalize(feats)[None])[0]
        out[cid] = codes.tolist()
    if cache is not None:
        save_codes(out, cache)
    return out


def caption_codes(codes: list[int], start: float, end: float) -> list[int]:
    """The codes a caption covers: HumanML3D sub-captions carry start/end seconds (0, 0 = whole clip)."""
    if end and end > start:
        part = codes[int(start * CODES_PER_SECOND): int(end * CODES_PER_SECOND)]
        if len(part) >= 2:
            return part
    return codes


def build_examples(ids, codes: dict[str, list[int]], dataset, sent_encoder, directions=("t2m", "m2t"),
                   templates: str = "train", *, tok, seed: int = 0, length_hint_p: float = 0.2,
                   max_codes: int = 50) -> list[Example]:
    """Every (clip, caption) pair in each direction. templates="train" samples a template per
    example (and sometimes mentions the length in the T2M prompt); "eval" uses the fixed first one.
    Captions with start/end seconds get the codes of that span only."""
    rng = random.Random(seed)
    pairs = []
    for cid in ids:
        if cid not in codes:
            continue
        for cap in dataset.texts(cid):
            c = caption_codes(codes[cid], float(getattr(cap, "start", 0) or 0), float(getattr(cap, "end", 0) or 0))
            pairs.append((cap.caption, c[:max_codes]))
    embs = None
    if "t2m" in directions and pairs:
        embs = np.asarray(sent_encoder.embed([p[0] for p in pairs]), dtype=np.float32)
    out: list[Example] = []
    for i, (caption, c) in enumerate(pairs):
        if "t2m" in directions:
            if templates == "train":
                prompt = t2m_prompt(caption, sample_template("t2m", rng))
                if rng.random() < length_hint_p:
                    prompt = with_length_hint(prompt, max(1, round(len(c) / CODES_PER_SECOND)), rng)
            else:
                prompt = t2m_prompt(caption, T2M_TEMPLATES[0])
            out.append(make_t2m_example(tok, caption, c, embs[i], prompt))
        if "m2t" in directions:
            tpl = sample_template("m2t", rng) if templates == "train" else M2T_TEMPLATES[0]
            out.append(make_m2t_example(tok, c, caption, tpl))
    return out
