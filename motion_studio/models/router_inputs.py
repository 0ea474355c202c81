"""How an input becomes a router vector, and the `route_*` calls the agent facade makes.

T2M (text prompt) has these options, picked by `t2m_source`:
- "lm_embed": mean of the frozen LM input embeddings of the prompt's text tokens (the paper).
  Only the user's words are pooled, not an instruction template, which every task shares.
- "sentence": the frozen MiniLM sentence embedding (384-d) that the T2M prefix already uses.
  It knows synonyms, so prompts worded unlike the corpus still land near their task.
- "sentence_canon": MiniLM of the prompt's canonical form (`canonical_prompt`: lower case, no
  punctuation, no leading subject such as "a man" / "someone is" / "a pianist with tattoos is": the
  words before the first action verb of `motion_verbs`, when there are at most 8). Who moves and how the
  sentence is punctuated say nothing about the task, and people vary exactly those.
- "sentence_action": MiniLM of the prompt's action phrase (`action_phrase.py`: also no setting, mood,
  aside or closing "then stops", clause by clause). The default since the router round of issue 11.
M2T (a motion), picked by the router's `input_source`:
- "motion_tokens": mean of the frozen LM input embeddings of its motion tokens (the paper).
- "motion_stats": the motion the frozen VQ-VAE decodes from those tokens, summarised per channel
  (`motion_summary.py`: mean, spread and 10th / 90th percentile over time of root motion, joint
  positions, joint velocities and foot contacts). Token embeddings are learned for the language model, not to tell actions
  apart; the decoded motion says directly whether the body travels, drops, lifts the arms or jumps.

Both are frozen functions of the input: LoRA never touches the input embedding table or the VQ-VAE,
so these vectors are the same whichever expert is active - the router can be fitted once per task
and reused by every method.
"""
from __future__ import annotations

import re

import numpy as np
import torch
from torch import Tensor

from ..errors import InputError
from ..routing_types import RouteResult
from .action_phrase import MAX_LEAD_WORDS, SUBJECT, action_phrase
from .motion_summary import MOTION_STATS_DIM, least_familiar, motion_summary
from .motion_verbs import ACTION_WORDS
from .sentence import DIM as SENTENCE_DIM

T2M_SOURCES = ("lm_embed", "sentence", "sentence_canon", "sentence_action")
SENTENCE_SOURCES = ("sentence", "sentence_canon", "sentence_action")
M2T_SOURCES = ("motion_tokens", "motion_stats")


def canonical_prompt(text: str) -> str:
    """'Someone is LEAPING into the air!' -> 'leaping into the air'; 'A polite guitarist in a tank
    top takes several steps forward' -> 'steps forward' (see the module doc)."""
    t = re.sub(r"[^a-z0-9' ]+", " ", text.lower())
    t = re.sub(r"\s+", " ", t).strip()
    stripped = SUBJECT.sub("", t).strip() or t
    words = stripped.split()
    lead = next((i for i, w in enumerate(words[:MAX_LEAD_WORDS + 1]) if w in ACTION_WORDS), 0)
    return " ".join(words[lead:]) or "nothing"


_REWRITES = {"sentence_canon": canonical_prompt, "sentence_action": action_phrase}
REWRITE_SOURCES = tuple(_REWRITES)  # sentence sources that embed a rewrite of the prompt, not its raw text


def prompt_text(text: str, source: str) -> str:
    """The text a sentence source embeds for a prompt: itself, its canonical form or its action phrase."""
    return _REWRITES[source](text) if source in _REWRITES else text


def t2m_input_dim(model, source: str) -> int:
    return SENTENCE_DIM if source in SENTENCE_SOURCES else int(model.d_model)


def pooled_embeddings(model, token_ids: list[list[int]]) -> Tensor:
    """Mean input embedding of each id list (MotionLM.input_embeddings_pooled)."""
    if any(len(ids) == 0 for ids in token_ids):
        raise InputError("cannot route an empty input (no tokens)")
    return model.input_embeddings_pooled(token_ids).float()


def t2m_vectors(model, texts: list[str], source: str, sent_embs=None, sent_encoder=None) -> Tensor:
    """(B, D) router inputs for text prompts. sent_embs (of the raw texts) are reused for "sentence"."""
    if source in _REWRITES:
        if sent_encoder is None:
            from .sentence import get_sentence_encoder

            sent_encoder = get_sentence_encoder()
        rewrite = _REWRITES[source]
        return torch.as_tensor(np.asarray(sent_encoder.embed([rewrite(t) for t in texts]), dtype=np.float32))
    if source == "sentence":
        if sent_embs is None:
            if sent_encoder is None:
                raise InputError("t2m routing on sentence embeddings needs a sentence encoder")
            sent_embs = sent_encoder.embed(list(texts))
        return torch.as_tensor(np.asarray(sent_embs, dtype=np.float32))
    if source != "lm_embed":
        raise InputError(f"unknown t2m router source '{source}'")
    ids = [model.tok.encode(t.strip()) for t in texts]
    return pooled_embeddings(model, ids)


def m2t_input_dim(model, source: str) -> int:
    return MOTION_STATS_DIM if source == "motion_stats" else int(model.d_model)


def m2t_vectors(model, codes: list[list[int]], source: str = "motion_tokens", vqvae=None) -> Tensor:
    """(B, D) router inputs for motions given as VQ code lists (see the module doc for `source`)."""
    if source == "motion_tokens":
        return pooled_embeddings(model, [model.tok.motion_ids(c) for c in codes])
    if source != "motion_stats":
        raise InputError(f"unknown m2t router source '{source}'")
    if vqvae is None:
        raise InputError("the motion router reads decoded motion and needs the VQ-VAE")
    if any(len(c) == 0 for c in codes):
        raise InputError("cannot route an empty input (no tokens)")
    return torch.as_tensor(np.stack([motion_summary(vqvae.codes_to_features(c)) for c in codes]))


def route_t2m(router, model, prompt: str, source: str, sent_emb=None, sent_encoder=None,
              mode: str = "hard", k: int = 2, temperature: float = 1.0, force: str | None = None,
              threshold_scale: float = 1.0) -> RouteResult:
    """Route one text prompt (what `motion-studio route "text"` and Agent.route call)."""
    if not prompt or not prompt.strip():
        raise InputError("the prompt is empty")
    embs = None if sent_emb is None else np.asarray(sent_emb, dtype=np.float32).reshape(1, -1)
    x = t2m_vectors(model, [prompt], source, embs, sent_encoder)
    result = router.route(x, mode=mode, k=k, temperature=temperature, force=force, threshold_scale=threshold_scale)
    read = prompt_text(prompt, source) if source in _REWRITES else None
    result.read_as = read if read and read != " ".join(prompt.lower().split()).strip(" .!?") else None
    return result


def route_m2t(router, model, codes: list[int], mode: str = "hard", k: int = 2, temperature: float = 1.0,
              force: str | None = None, threshold_scale: float = 1.0, vqvae=None) -> RouteResult:
    """Route one motion given as its VQ codes (vqvae: needed by a "motion_stats" router)."""
    if len(codes) == 0:
        raise InputError("the motion has no tokens to route")
    source = router.input_source or "motion_tokens"
    x = m2t_vectors(model, [list(codes)], source, vqvae)
    result = router.route(x, mode=mode, k=k, temperature=temperature, force=force, threshold_scale=threshold_scale)
    if source == "motion_stats" and result.experts:  # token embeddings have no names to give
        names = [result.nearest] + [e.name for e in sorted(result.experts, key=lambda e: e.ratio)]
        two = list(dict.fromkeys(n for n in names if n))[:2]  # the nearest expert first, then the next by ratio
        result.reasons = {name: least_familiar(router, x, name) for name in two}
    return result


def route_t2m_batch(router, model, prompts: list[str], source: str, sent_embs=None, sent_encoder=None,
                    **kwargs) -> list[RouteResult]:
    """Route many text prompts in one pass (keyword options as in `route_t2m`)."""
    if any(not p or not p.strip() for p in prompts):
        raise InputError("the prompt is empty")
    if not prompts:
        return []
    embs = None if sent_embs is None else np.asarray(sent_embs, dtype=np.float32).reshape(len(prompts), -1)
    return router.route_batch(t2m_vectors(model, list(prompts), source, embs, sent_encoder), **kwargs)


def route_m2t_batch(router, model, codes: list[list[int]], vqvae=None, **kwargs) -> list[RouteResult]:
    """Route many motions given as VQ code lists in one pass."""
    if any(len(c) == 0 for c in codes):
        raise InputError("the motion has no tokens to route")
    if not codes:
        return []
    x = m2t_vectors(model, [list(c) for c in codes], router.input_source or "motion_tokens", vqvae)
    return router.route_batch(x, **kwargs)
