"""Batched inference over an expert bank: every caller's generate/caption glue, in one place.

A request is an input plus a *blend* (expert name -> weight; {} is the base model). Requests
with the same blend form one group; each group runs once inside `bank.run(blend)` (the LoRA
deltas fused into the weights for the call, restored exactly afterwards), in chunks of
`batch_size`, in the order the groups first appear and the requests' own order within a group.
The agent (one request), the benchmark (every method's items) and the model report use this.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

Blend = dict


def blend_key(blend: dict[str, float]) -> tuple:
    """A hashable form of a blend; zero weights are dropped ({} and {"a": 0} are the same)."""
    return tuple(sorted((str(n), float(w)) for n, w in blend.items() if float(w) != 0))


def groups(blends: Sequence[dict[str, float]]) -> dict[tuple, list[int]]:
    """blend key -> indices of the requests with that blend, in first-appearance order."""
    out: dict[tuple, list[int]] = {}
    for i, b in enumerate(blends):
        out.setdefault(blend_key(b), []).append(i)
    return out


def run_grouped(parts, blends: Sequence[dict[str, float]], fn: Callable[[list[int]], list],
                batch_size: int = 32) -> list:
    """fn(indices) -> one result per index, called once per chunk of each blend group while that
    blend is active; returns the results in request order."""
    import torch

    out: list = [None] * len(blends)
    for key, idx in groups(blends).items():
        with parts.bank.run(dict(key)), torch.inference_mode():
            for s in range(0, len(idx), batch_size):
                chunk = idx[s:s + batch_size]
                for i, r in zip(chunk, fn(chunk)):
                    out[i] = r
    return out


def generate_codes(parts, prompts: Sequence[str], sent_embs, blends: Sequence[dict[str, float]],
                   n_codes: Sequence[int | None] | None = None, batch_size: int = 32, greedy: bool = True,
                   temperature: float = 1.0, top_k: int | None = None, seed: int | None = None) -> list[list[int]]:
    """T2M: motion codes for each prompt under its blend. `parts` is an AgentParts (model + bank);
    sent_embs (N, 384) are the prompts' sentence embeddings; n_codes[i] None lets the model stop."""
    embs = np.asarray(sent_embs, dtype=np.float32).reshape(len(prompts), -1)

    def run(idx: list[int]) -> list[list[int]]:
        want = None if n_codes is None else [n_codes[i] for i in idx]
        return parts.model.generate_motion([prompts[i] for i in idx], embs[idx], want, greedy=greedy,
                                           temperature=temperature, top_k=top_k, seed=seed)

    return run_grouped(parts, blends, run, batch_size)


def caption_codes(parts, codes: Sequence[list[int]], blends: Sequence[dict[str, float]], batch_size: int = 32,
                  **kwargs) -> list[str]:
    """M2T: a caption for each motion (VQ codes) under its blend (kwargs: MotionLM.generate_caption's)."""
    return run_grouped(parts, blends, lambda idx: parts.model.generate_caption([list(codes[i]) for i in idx],
                                                                               **kwargs), batch_size)
