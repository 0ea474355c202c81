"""Token sequences of the motion LM, in both directions: what training builds and inference reads.

An Example is token ids + labels (-100 where the model is not scored). T2M examples also
carry the sentence embedding of the caption; the model turns it into prefix vectors.

    T2M: <bos> prompt-text <som> m1 .. mN <eom>          scored: m1 .. <eom>
    M2T: <bos> before <som> m1 .. mN <eom> after         scored: caption <eos>
         caption <eos>

Both the trainers (training/lm_data.py) and the backbone's decoding use these functions, so a
prompt is tokenised the same way in both.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .prompts import split_m2t_template, t2m_prompt
from .sentence import DIM as SENTENCE_DIM

IGNORE = -100
T2M, M2T = 0, 1
CODES_PER_SECOND = 5  # 20 fps, 4x temporal downsampling in the VQ-VAE


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


def collate(examples: list[Example], pad_id: int, emb_dim: int = SENTENCE_DIM) -> dict:
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




def corrupt_target_codes(batch: dict, motion_offset: int, n_motion: int, p: float, generator=None) -> dict:
    """A copy of `batch` whose T2M target motion codes, as *inputs*, are each replaced by a random
    code with probability p; labels stay the true codes.

    Why (T2M-GPT's corruption): teacher forcing only ever shows the model true codes, but at
    generation time it reads its own, imperfect ones; training on partly wrong histories teaches
    it to recover instead of drifting. Prompts, <eom>, M2T rows and padding are untouched."""
    import torch

    if p <= 0:
        return batch
    ids = batch["input_ids"]
    labels = batch["labels"]
    is_code = (ids >= motion_offset) & (ids < motion_offset + n_motion)
    target = (labels != IGNORE) & is_code & (batch["direction"] == T2M)[:, None]
    hit = torch.rand(ids.shape, generator=generator) < p
    noise = motion_offset + torch.randint(0, n_motion, ids.shape, generator=generator)
    return {**batch, "input_ids": torch.where(target & hit, noise, ids)}


def seconds_to_codes(seconds: float | None) -> int | None:
    """How many motion codes make `seconds` of motion (None stays None: the model decides)."""
    if seconds is None:
        return None
    return max(1, int(round(float(seconds) * CODES_PER_SECOND)))
