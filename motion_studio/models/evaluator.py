"""A HumanML3D-style text-motion evaluator, trained contrastively on this project's data.

FID, R-precision, MM-Dist and Diversity are measured in the shared space of two encoders:
- text:   frozen MiniLM sentence embedding (384) -> small MLP -> D
- motion: normalised 263-dim features -> two stride-2 1-D convolutions (T/4,
          like HumanML3D's movement encoder) -> masked pooling (mean of each half, max) -> MLP -> D
Both outputs are L2-normalised (the InfoNCE loss compares cosines), so Euclidean distances in
this space lie in [0, 2] and MM-Dist / FID are on that scale, not the original paper's.
The dataset Mean/Std travel with the weights so raw features can be normalised the same way.

This module only defines the model and the glue the benchmark calls; training lives in
motion_studio/training/evaluator_train.py.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..errors import CheckpointError, InputError
from ..metrics import motion as metrics
from ..motion.skeleton import FEATURE_DIM
from .sentence import DIM as SENTENCE_DIM

__all__ = ["EvaluatorConfig", "TextMotionEvaluator", "pad_features", "t2m_metrics", "caption_rprecision",
           "embed_motions", "WEIGHTS", "CONFIG"]

WEIGHTS, CONFIG = "evaluator.safetensors", "evaluator.json"


@dataclass
class EvaluatorConfig:
    text_dim: int = SENTENCE_DIM
    feat_dim: int = FEATURE_DIM
    embed_dim: int = 256
    hidden: int = 256  # motion encoder width
    dropout: float = 0.1
    init_temperature: float = 0.07
    # crops, as HumanML3D: lengths are multiples of unit_len within [min_len, max_len] frames
    min_len: int = 40
    max_len: int = 196
    unit_len: int = 4


class TextMotionEvaluator(nn.Module):
    def __init__(self, cfg: EvaluatorConfig | None = None):
        super().__init__()
        self.cfg = cfg = cfg or EvaluatorConfig()
        self.text_proj = nn.Sequential(
            nn.Linear(cfg.text_dim, 2 * cfg.embed_dim), nn.GELU(), nn.Dropout(cfg.dropout),
            nn.Linear(2 * cfg.embed_dim, cfg.embed_dim))
        h = cfg.hidden
        self.convs = nn.Sequential(
            nn.Conv1d(cfg.feat_dim, h, 4, stride=2, padding=1), nn.LeakyReLU(0.2), nn.Dropout(cfg.dropout),
            nn.Conv1d(h, h, 4, stride=2, padding=1), nn.LeakyReLU(0.2))
        self.motion_out = nn.Sequential(nn.Linear(3 * h, 2 * h), nn.GELU(), nn.Linear(2 * h, cfg.embed_dim))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1.0 / cfg.init_temperature)))
        self.register_buffer("feat_mean", torch.zeros(cfg.feat_dim))
        self.register_buffer("feat_std", torch.ones(cfg.feat_dim))

    # ------------------------------------------------------------ encoders

    def embed_text(self, sent_emb: torch.Tensor) -> torch.Tensor:
        """(N, 384) MiniLM embeddings -> (N, D) unit vectors."""
        return F.normalize(self.text_proj(sent_emb.float()), dim=-1)

    def embed_motion(self, feats_norm: torch.Tensor, lengths) -> torch.Tensor:
        """(N, T, 263) normalised features (padded after each length) -> (N, D) unit vectors."""
        x = self.convs(feats_norm.float().transpose(1, 2)).transpose(1, 2)  # (N, T // 4, h)
        lengths = torch.as_tensor(lengths, device=x.device)
        valid = (lengths // 4).clamp(min=1, max=x.shape[1])
        mask = torch.arange(x.shape[1], device=x.device)[None, :] < valid[:, None]
        # mean of the first half, mean of the second half, max over all: pooling that still
        # knows coarse order ("sits down, then stands up" is not "stands up, then sits down")
        pos = torch.arange(x.shape[1], device=x.device)[None, :]
        first = (mask & (2 * pos < valid[:, None])).unsqueeze(-1).to(x.dtype)
        second = mask.unsqueeze(-1).to(x.dtype) - first
        mean1 = (x * first).sum(1) / first.sum(1).clamp(min=1)
        mean2 = (x * second).sum(1) / second.sum(1).clamp(min=1)
        mx = x.masked_fill(~mask.unsqueeze(-1), -1e4).amax(1)
        return F.normalize(self.motion_out(torch.cat([mean1, mean2, mx], -1)), dim=-1)

    def normalise(self, feats: np.ndarray) -> np.ndarray:
        """Raw 263-dim features -> normalised with the Mean/Std stored with this evaluator."""
        mean, std = self.feat_mean.cpu().numpy(), self.feat_std.cpu().numpy()
        return (np.asarray(feats, np.float32) - mean) / std

    def set_normalisation(self, mean: np.ndarray, std: np.ndarray) -> None:
        self.feat_mean.copy_(torch.as_tensor(np.asarray(mean, np.float32)))
        self.feat_std.copy_(torch.as_tensor(np.asarray(std, np.float32)))

    def contrastive_loss(self, t: torch.Tensor, m: torch.Tensor, same_text: torch.Tensor | None = None):
        """Symmetric InfoNCE. same_text (B, B) bool marks pairs with the same caption: those are
        positives too (templated captions repeat), so targets spread over them."""
        scale = self.logit_scale.clamp(max=math.log(100.0)).exp()
        logits = scale * t @ m.T
        same = torch.eye(len(t), device=t.device) if same_text is None else same_text.float()
        target = same / same.sum(1, keepdim=True)  # `same` is symmetric: one target serves both ways
        return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))

    # ---------------------------------------------------------- save/load

    def save(self, directory) -> None:
        from safetensors.torch import save_file

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        save_file({k: v.detach().contiguous().cpu() for k, v in self.state_dict().items()}, str(d / WEIGHTS))
        (d / CONFIG).write_text(json.dumps({"config": asdict(self.cfg)}, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory, device: str = "cpu") -> "TextMotionEvaluator":
        from safetensors.torch import load_file

        d = Path(directory)
        for name in (CONFIG, WEIGHTS):
            if not (d / name).exists():
                raise CheckpointError(f"evaluator checkpoint {d} lacks {name}")
        try:
            raw = json.loads((d / CONFIG).read_text(encoding="utf-8"))["config"]
            known = {f.name for f in fields(EvaluatorConfig)}
            model = cls(EvaluatorConfig(**{k: v for k, v in raw.items() if k in known}))
            model.load_state_dict(load_file(str(d / WEIGHTS)))
        except (ValueError, KeyError, TypeError, RuntimeError, OSError) as exc:
            raise CheckpointError(f"evaluator checkpoint {d} is unreadable ({type(exc).__name__}: {exc})") from None
        return model.to(device).eval()


# ------------------------------------------------------------------ glue


def pad_features(feats_list: Sequence[np.ndarray], max_len: int | None = None, unit_len: int = 4):
    """List of (T_i, 263) arrays -> (N, T, 263) float32 zero-padded + lengths. Each clip is cut
    to max_len frames (from the start) and to a multiple of unit_len, never below unit_len."""
    if len(feats_list) == 0:
        raise InputError("no motions to embed")
    lengths = []
    for f in feats_list:
        if np.ndim(f) != 2 or len(f) == 0:
            raise InputError(f"motion features must be (T, D) with T > 0, got shape {np.shape(f)}")
        n = len(f) if max_len is None else min(len(f), max_len)
        lengths.append(max(unit_len, n - n % unit_len))
    t = max(lengths)
    out = np.zeros((len(feats_list), t, np.shape(feats_list[0])[1]), np.float32)
    for i, (f, n) in enumerate(zip(feats_list, lengths)):
        n_real = min(n, len(f))  # a clip shorter than unit_len is padded with zeros
        out[i, :n_real] = f[:n_real]
    return out, np.array(lengths)


@torch.no_grad()
def embed_motions(evaluator: TextMotionEvaluator, feats_list: Sequence[np.ndarray], normalised: bool = True,
                  batch_size: int = 128) -> np.ndarray:
    """(N, D) motion embeddings; raw features are normalised first when normalised=False."""
    evaluator.eval()
    device = next(evaluator.parameters()).device
    out = []
    for i in range(0, len(feats_list), batch_size):
        chunk = [np.asarray(f, np.float32) for f in feats_list[i:i + batch_size]]
        if not normalised:
            chunk = [evaluator.normalise(f) for f in chunk]
        x, lengths = pad_features(chunk, evaluator.cfg.max_len, evaluator.cfg.unit_len)
        out.append(evaluator.embed_motion(torch.from_numpy(x).to(device), torch.from_numpy(lengths)).cpu().numpy())
    return np.concatenate(out)


@torch.no_grad()
def embed_texts(evaluator: TextMotionEvaluator, sent_emb) -> np.ndarray:
    """(N, D) text embeddings from (N, 384) MiniLM embeddings."""
    evaluator.eval()
    device = next(evaluator.parameters()).device
    return evaluator.embed_text(torch.as_tensor(np.asarray(sent_emb, np.float32), device=device)).cpu().numpy()


def t2m_metrics(evaluator: TextMotionEvaluator, gen_feats_list, real_feats_list, captions_emb,
                normalised: bool = True, seed: int = 0) -> dict[str, float]:
    """Text-to-motion quality of generated motions, HumanML3D style.

    gen_feats_list[i] was generated from the prompt whose MiniLM embedding is captions_emb[i];
    real_feats_list is the reference set for FID (any number of real clips). Features are
    normalised with the dataset Mean/Std (pass normalised=False to let the evaluator do it).
    Lengths may differ from the real clips'. R-precision pools 32 prompts (fewer: one pool).
    """
    if len(gen_feats_list) != len(captions_emb):
        raise InputError(f"{len(gen_feats_list)} generated motions but {len(captions_emb)} prompt embeddings")
    gen = embed_motions(evaluator, gen_feats_list, normalised)
    real = embed_motions(evaluator, real_feats_list, normalised)
    text = embed_texts(evaluator, captions_emb)
    top = metrics.r_precision(text, gen, top_k=3, seed=seed)
    return {
        "fid": metrics.fid(real, gen),
        "rprec1": top[0], "rprec2": top[1], "rprec3": top[2],
        "mm_dist": metrics.matching_score(text, gen),
        "diversity": metrics.diversity(gen, seed=seed),
        "n": len(gen),
    }


def caption_rprecision(evaluator: TextMotionEvaluator, motion_feats, caption_texts: list[str],
                       normalised: bool = True, seed: int = 0) -> dict[str, float]:
    """Motion-to-text: how well generated captions retrieve their motions (R-precision of the
    caption among 32, MM-Dist). caption_texts[i] describes motion_feats[i]."""
    if len(motion_feats) != len(caption_texts):
        raise InputError(f"{len(motion_feats)} motions but {len(caption_texts)} captions")
    from .sentence import get_sentence_encoder

    device = str(next(evaluator.parameters()).device)
    sent = get_sentence_encoder("cpu" if device == "cpu" else device).embed(list(caption_texts))
    text = embed_texts(evaluator, sent)
    mot = embed_motions(evaluator, motion_feats, normalised)
    top = metrics.r_precision(text, mot, top_k=3, seed=seed)
    return {"rprec1": top[0], "rprec2": top[1], "rprec3": top[2],
            "mm_dist": metrics.matching_score(text, mot), "n": len(mot)}
