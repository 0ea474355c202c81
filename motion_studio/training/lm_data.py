"""Training examples for the motion LM, in both directions, and their batching.

An Example is token ids + labels (-100 where the model is not scored). T2M examples also
carry the sentence embedding of the caption; the model turns it into prefix vectors.

    T2M: <bos> prompt-text <som> m1 .. mN <eom>          scored: m1 .. <eom>
    M2T: <bos> before <som> m1 .. mN <eom> after         scored: caption <eos>
         caption <eos>
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..models.prompts import (M2T_TEMPLATES, T2M_TEMPLATES, sample_template, split_m2t_template,
                              t2m_prompt, with_length_hint)

IGNORE = -100
T2M, M2T = 0, 1
CODES_PER_SECOND = 5  # 20 fps, 4x down


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]
    direction: int  # 0 = t2m, 1 = m2t
    sent_emb: np.ndarray | None = None  # (384,) for t2m


def t2m_prompt_ids(tok, prompt: str) -> list[int]:
    """The prompt part of a T2M sequence, up to and including <som>."""
    return [tok.bos_id] + tok.encode(prompt) + [tok.som_id]


def m2t_prompt_ids(tok, codes, template: str | None = None) -> list[int]:
    before, after = split_m2t_template(template)
    ids = [tok.bos_id]
    if before.strip():
        ids += tok.encode(before.strip())
    ids += [tok.som_id] + tok.motion_ids(codes) + [tok.eom_id]
    if after.strip():
        ids += tok.encode(after.strip())
    return ids


def make_t2m_example(tok, caption: str, codes, sent_emb, template: str | None = None) -> Example:
    """`template` is a T2M template ("...{caption}...") or an already formatted prompt without it."""
    prompt = t2m_prompt(caption, template) if template is None or "{caption}" in template else template
    head = t2m_prompt_ids(tok, prompt)
    target = tok.motion_ids(codes) + [tok.eom_id]
    emb = None if sent_emb is None else np.asarray(sent_emb, dtype=np.float32)
    return Example(head + target, [IGNORE] * len(head) + target, T2M, emb)


def make_m2t_example(tok, codes, caption: str, template: str | None = None) -> Example:
    head = m2t_prompt_ids(tok, codes, template)
    target = tok.encode(caption.strip()) + [tok.eos_id]
    return Example(head + target, [IGNORE] * len(head) + target, M2T, None)


def collate(examples: list[Example], pad_id: int, emb_dim: int = 384) -> dict:
    """Right-padded tensors: input_ids, labels, attention_mask (B, L); direction (B,); sent_emb (B, emb_dim)."""
    import torch

    length = max(len(e.input_ids) for e in examples)
    b = len(examples)
    ids = torch.full((b, length), pad_id, dtype=torch.long)
    labels = torch.full((b, length), IGNORE, dtype=torch.long)
    mask = torch.zeros((b, length), dtype=torch.long)
    emb = torch.zeros((b, emb_dim), dtype=torch.float32)
    for i, e in enumerate(examples):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        labels[i, :n] = torch.tensor(e.labels)
        mask[i, :n] = 1
        if e.sent_emb is not None:
            emb[i] = torch.from_numpy(np.asarray(e.sent_emb, dtype=np.float32))
    direction = torch.tensor([e.direction for e in examples], dtype=torch.long)
    return {"input_ids": ids, "labels": labels, "attention_mask": mask, "direction": direction, "sent_emb": emb}


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


def save_codes(codes: dict[str, list[int]], path) -> None:
    """One int32 tensor per clip id; safetensors keeps it free of pickle."""
    import torch
    from safetensors.torch import save_file

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_file({k: torch.tensor(v, dtype=torch.int32) for k, v in codes.items()}, str(path))


def load_codes(path) -> dict[str, list[int]]:
    from safetensors.torch import load_file

    return {k: v.tolist() for k, v in load_file(str(path)).items()}


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
