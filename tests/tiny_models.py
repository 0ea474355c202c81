"""Tiny models shared by the unit tests (seconds on a CPU, no downloads)."""
from __future__ import annotations

from collections.abc import Iterable


def tiny_motion_lm(texts: Iterable[str], n_motion_codes: int = 16):
    """A frozen 2-layer MotionLM whose BPE vocabulary is trained on `texts` + the templates' words."""
    import torch

    from motion_studio.models.backbone import BackboneConfig, MotionLM
    from motion_studio.models.text_tokenizer import MotionTokenizer

    tok = MotionTokenizer.train(list(texts) * 3 + ["Generate motion:", "Describe the motion:"],
                                vocab_size=60, n_motion_codes=n_motion_codes)
    torch.manual_seed(0)
    cfg = BackboneConfig(d_model=32, n_layers=2, n_heads=2, ffn=64, max_len=64, n_prefix=1,
                         n_motion_codes=n_motion_codes)
    return MotionLM(cfg, tok).freeze()
