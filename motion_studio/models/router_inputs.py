"""How an input becomes a router vector, and the `route_*` calls the agent facade makes.

T2M (text prompt) has two options, picked by `t2m_source`:
- "lm_embed": mean of the frozen LM input embeddings of the prompt's text tokens (the paper).
  Only the user's words are pooled, not an instruction template, which every task shares.
- "sentence": the frozen MiniLM sentence embedding (384-d) that the T2M prefix already uses.
  It knows synonyms, so prompts worded unlike the corpus still land near their task.
- "sentence_canon": MiniLM of the prompt's canonical form (`canonical_prompt`: lower case, no
  punctuation, no leading subject such as "a man" / "someone is" / "a pianist with tattoos is": the
  words before the first action verb of `motion_verbs`, when there are at most 8). Who moves and how the
  sentence is punctuated say nothing about the task, and people vary exactly those.
M2T (a motion): mean of the frozen LM input embeddings of its motion tokens.

LoRA never touches the input embedding table, so these vectors are the same whichever expert is
active - the router can be fitted once per task and reused by every method.
"""
from __future__ import annotations

import re

import numpy as np
import torch
from torch import Tensor

from ..errors import InputError
from ..routing_types import RouteResult
from .motion_verbs import ACTION_WORDS
from .sentence import DIM as SENTENCE_DIM

T2M_SOURCES = ("lm_embed", "sentence", "sentence_canon")
SENTENCE_SOURCES = ("sentence", "sentence_canon")

# A leading subject: optional determiner, optional adjectives, a person word, optional "is".
_SUBJECT = re.compile(
    r"^(?:(?:a|an|the|this|that|some|my|our|your|his|her|their)\s+)?"
    r"(?:(?:young|old|little|tall|short|elderly|small|big|older|younger)\s+)*"
    r"(?:person|man|woman|guy|lady|figure|individual|human|character|adult|subject|kid|child|boy|girl|"
    r"dancer|someone|somebody|he|she|they|people|men|women|friend|athlete|player)\b\s*(?:is\s+|are\s+)?")


# a leading phrase of at most this many words before the first action verb is taken as the subject
MAX_LEAD_WORDS = 8


def canonical_prompt(text: str) -> str:
    """'Someone is LEAPING into the air!' -> 'leaping into the air'; 'A polite guitarist in a tank
    top takes several steps forward' -> 'steps forward' (see the module doc)."""
    t = re.sub(r"[^a-z0-9' ]+", " ", text.lower())
    t = re.sub(r"\s+", " ", t).strip()
    stripped = _SUBJECT.sub("", t).strip() or t
    words = stripped.split()
    lead = next((i for i, w in enumerate(words[:MAX_LEAD_WORDS + 1]) if w in ACTION_WORDS), 0)
    return " ".join(words[lead:]) or "nothing"


def t2m_input_dim(model, source: str) -> int:
    return SENTENCE_DIM if source in SENTENCE_SOURCES else int(model.d_model)


def pooled_embeddings(model, token_ids: list[list[int]]) -> Tensor:
    """Mean input embedding of each id list (MotionLM.input_embeddings_pooled)."""
    if any(len(ids) == 0 for ids in token_ids):
        raise InputError("cannot route an empty input (no tokens)")
    return model.input_embeddings_pooled(token_ids).float()


def t2m_vectors(model, texts: list[str], source: str, sent_embs=None, sent_encoder=None) -> Tensor:
    """(B, D) router inputs for text prompts. sent_embs (of the raw texts) are reused for "sentence"."""
    if source == "sentence_canon":
        if sent_encoder is None:
            from .sentence import get_sentence_encoder

            sent_encoder = get_sentence_encoder()
        return torch.as_tensor(np.asarray(sent_encoder.embed([canonical_prompt(t) for t in texts]), dtype=np.float32))
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


def m2t_vectors(model, codes: list[list[int]]) -> Tensor:
    """(B, d_model) router inputs for motions given as VQ code lists."""
    return pooled_embeddings(model, [model.tok.motion_ids(c) for c in codes])


def route_t2m(router, model, prompt: str, source: str, sent_emb=None, sent_encoder=None,
              mode: str = "hard", k: int = 2, temperature: float = 1.0, force: str | None = None,
              threshold_scale: float = 1.0) -> RouteResult:
    """Route one text prompt (what `motion-studio route "text"` and Agent.route call)."""
    if not prompt or not prompt.strip():
        raise InputError("the prompt is empty")
    embs = None if sent_emb is None else np.asarray(sent_emb, dtype=np.float32).reshape(1, -1)
    x = t2m_vectors(model, [prompt], source, embs, sent_encoder)
    return router.route(x, mode=mode, k=k, temperature=temperature, force=force, threshold_scale=threshold_scale)


def route_m2t(router, model, codes: list[int], mode: str = "hard", k: int = 2, temperature: float = 1.0,
              force: str | None = None, threshold_scale: float = 1.0) -> RouteResult:
    """Route one motion given as its VQ codes."""
    if len(codes) == 0:
        raise InputError("the motion has no tokens to route")
    x = m2t_vectors(model, [list(codes)])
    return router.route(x, mode=mode, k=k, temperature=temperature, force=force, threshold_scale=threshold_scale)


def route_t2m_batch(router, model, prompts: list[str], source: str, sent_embs=None, sent_encoder=None,
                    **kwargs) -> list[RouteResult]:
    """Route many text prompts in one pass (keyword options as in `route_t2m`)."""
    if any(not p or not p.strip() for p in prompts):
        raise InputError("the prompt is empty")
    if not prompts:
        return []
    embs = None if sent_embs is None else np.asarray(sent_embs, dtype=np.float32).reshape(len(prompts), -1)
    return router.route_batch(t2m_vectors(model, list(prompts), source, embs, sent_encoder), **kwargs)


def route_m2t_batch(router, model, codes: list[list[int]], **kwargs) -> list[RouteResult]:
    """Route many motions given as VQ code lists in one pass."""
    if any(len(c) == 0 for c in codes):
        raise InputError("the motion has no tokens to route")
    if not codes:
        return []
    return router.route_batch(m2t_vectors(model, [list(c) for c in codes]), **kwargs)
