"""Augmentations: lengths, windows, noise level and bone lengths, by hand."""
from __future__ import annotations

import numpy as np
import pytest
from motion_synth import walking_clip

from motion_studio.motion import augment as A
from motion_studio.motion.features import canonicalize
from motion_studio.motion.retarget import retarget
from motion_studio.motion.skeleton import BONE_LENGTHS, bone_lengths


@pytest.fixture
def clip() -> np.ndarray:
    return canonicalize(walking_clip(41)).astype(np.float64)


def test_time_warp_lengths_and_values(clip):
    assert len(A.time_warp(clip, 1.0)) == 41 and np.allclose(A.time_warp(clip, 1.0), clip)
    assert len(A.time_warp(clip, 1.3)) == 53  # floor(40 * 1.3) + 1
    assert len(A.time_warp(clip, 0.7)) == 29  # floor(40 * 0.7) + 1
    slow = A.time_warp(clip, 2.0)
    assert len(slow) == 81 and np.allclose(slow[::2], clip)
    assert np.allclose(slow[1], 0.5 * (clip[0] + clip[1]))
    with pytest.raises(ValueError):
        A.time_warp(clip, 0.0)


def test_crop_is_a_window(clip):
    out = A.crop(clip, 5, 20)
    assert out.shape == (20, 22, 3) and np.array_equal(out, clip[5:25])
    out[0] = 0
    assert clip[5].any()  # a copy
    for start, length in ((-1, 5), (30, 12), (0, 0)):
        with pytest.raises(ValueError):
            A.crop(clip, start, length)


def test_noise_has_the_asked_spread(clip):
    noisy = A.add_noise(clip, np.random.default_rng(0), 0.01)
    assert np.std(noisy - clip) == pytest.approx(0.01, rel=0.05)
    assert np.array_equal(A.add_noise(clip, np.random.default_rng(0), 0.0), clip)


def test_reproportion_changes_bone_lengths_as_asked(clip):
    for body in A.BODIES:
        out = A.reproportion(clip, body)
        assert np.allclose(bone_lengths(out), BONE_LENGTHS * A.bone_scales(body), atol=1e-6), body
        assert out[:, [7, 8, 10, 11], 1].min() == pytest.approx(clip[:, [7, 8, 10, 11], 1].min(), abs=1e-9)
        assert np.abs(retarget(out, 20.0) - clip).max() < 1e-5, body  # retargeting undoes it
    scale = A.bone_scales({"all": 2.0, "thigh": 0.5, "left_wrist": 3.0})
    assert scale[4] == scale[5] == 1.0 and scale[20] == 6.0 and scale[21] == 2.0 and scale[0] == 1.0
    tall = A.reproportion(clip, "tall")
    assert np.allclose(tall[:, 0, [0, 2]], 1.15 * clip[:, 0, [0, 2]])  # strides scale with the legs
    with pytest.raises(ValueError):
        A.bone_scales("giant")
    with pytest.raises(ValueError):
        A.bone_scales({"tail": 2.0})
