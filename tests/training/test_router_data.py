"""Shifted copies of training clips for the motion router: how many, from which clip, reproducible."""
from __future__ import annotations

import numpy as np

from motion_studio.data.corpus.clip import generate_clip
from motion_studio.motion.features import FEATURE_DIM
from motion_studio.training.router_data import RouterDataConfig, clip_variant_codes, clip_variant_features


class FakeVQ:
    """Stands in for the VQ-VAE: one code per `factor` frames, the rounded root height x 100."""

    class cfg:
        factor = 4

    def features_to_codes(self, feats):
        return [int(round(100 * f[3])) for f in feats[::4]]


def clips():
    return [generate_clip(0, i).joints for i in range(3)]


def test_variants_come_per_clip_and_are_reproducible():
    cfg = RouterDataConfig(n_clip_variants=2, crop_seconds=(1.0, 2.0))
    feats, groups = clip_variant_features(clips(), cfg)
    assert groups == [0, 0, 1, 1, 2, 2]
    assert all(f.shape[1] == FEATURE_DIM and 8 <= len(f) <= 2 * 20 + 2 for f in feats)
    again, _ = clip_variant_features(clips(), cfg)
    assert all(np.array_equal(a, b) for a, b in zip(feats, again))
    other, _ = clip_variant_features(clips(), RouterDataConfig(n_clip_variants=2, crop_seconds=(1.0, 2.0), seed=1))
    assert not all(a.shape == b.shape and np.allclose(a, b) for a, b in zip(feats, other))
    # copies shorter than min_frames are left out, and their clip index with them
    short, short_groups = clip_variant_features(clips(), cfg, min_frames=10_000)
    assert short == [] and short_groups == []


def test_variant_codes_are_the_variants_features_tokenized():
    cfg = RouterDataConfig(n_clip_variants=2, crop_seconds=(1.0, 2.0))
    feats, groups = clip_variant_features(clips(), cfg, min_frames=8)
    codes, code_groups = clip_variant_codes(clips(), FakeVQ(), max_codes=5, cfg=cfg)
    assert code_groups == groups
    assert codes == [FakeVQ().features_to_codes(f[:20])[:5] for f in feats]
