"""The shifted test set: other rigs' BVH files that come back through the import path canonical."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "motion"))
from motion_synth import standing_clip, walking_clip  # noqa: E402

from motion_studio.evaluation.shifted import build_shifted_set  # noqa: E402
from motion_studio.motion.augment import crop, time_warp  # noqa: E402
from motion_studio.motion.bvh_read import read_bvh  # noqa: E402
from motion_studio.motion.features import canonicalize  # noqa: E402
from motion_studio.motion.retarget import retarget  # noqa: E402
from motion_studio.motion.skeleton import BONE_LENGTHS, bone_lengths  # noqa: E402


def _clips():
    return [
        ("walk", canonicalize(walking_clip(80, turn_rate=0.0)), "walk"),
        ("turn", canonicalize(walking_clip(70, speed=0.8, turn_rate=1.2)), "turn"),
        ("stand", standing_clip(60), "stand"),
    ]


def test_clips_go_out_as_other_rigs_and_come_back_canonical(tmp_path):
    clips = _clips()
    shifted = build_shifted_set(clips, rng_seed=3, out_dir=tmp_path)
    assert [s["clip_id"] for s in shifted] == ["walk", "turn", "stand"]
    assert [s["label"] for s in shifted] == ["walk", "turn", "stand"]
    assert [s["rig"] for s in shifted] == ["cmu", "mixamo", "cmu"]
    for s in shifted:
        m = s["motion"]
        assert 0.7 <= s["time_warp"] <= 1.3
        assert m.fps == 20.0 and 20 <= m.n_frames <= 40 and 1.0 <= m.seconds <= 2.0
        assert m.n_frames == s["frames"]
        assert np.abs(bone_lengths(m.joints.astype(np.float64)) - BONE_LENGTHS).max() < 1e-5
        assert np.abs(m.joints[0, 0, [0, 2]]).max() < 1e-5  # root at the origin ...
        assert m.joints[0, 1, 0] > m.joints[0, 2, 0]  # ... facing +Z (left hip towards +X)
        assert m.joints[:, [7, 8, 10, 11], 1].min() == pytest.approx(0.0, abs=1e-5)
        assert m.original_joints.shape == m.joints.shape
        # The file really is another rig's: its names, units, up axis and frame rate.
        _, info = read_bvh(s["path"])
        want = {"cmu": ("cmu", "+Y", 60.0), "mixamo": ("cm", "+Z", 30.0)}[s["rig"]]
        assert (info["units"], info["up_axis"], info["source_fps"]) == pytest.approx(want)
        assert ("mixamorig:LeftUpLeg" in s["path"].read_text()) == (s["rig"] == "mixamo")
    # The original (as loaded) proportions are the other body's, not the reference.
    cmu_legs = bone_lengths(shifted[0]["motion"].original_joints.astype(np.float64))[:, 4].mean()
    assert cmu_legs > 1.05 * BONE_LENGTHS[4]


def test_without_noise_the_round_trip_is_the_cropped_clip_within_a_centimetre():
    clips = _clips()
    shifted = build_shifted_set(clips, rng_seed=11, noise_m=0.0)
    for (clip_id, joints, _), s in zip(clips, shifted):
        expected = retarget(crop(time_warp(joints, s["time_warp"]), s["crop_start"], s["frames"]), 20.0)
        assert s["path"] is None
        assert np.abs(s["motion"].joints - expected).max() < 0.01, clip_id


def test_same_seed_same_set_and_short_clips_are_refused():
    a = build_shifted_set(_clips()[:2], rng_seed=5)
    b = build_shifted_set(_clips()[:2], rng_seed=5)
    assert all(np.array_equal(x["motion"].joints, y["motion"].joints) for x, y in zip(a, b))
    with pytest.raises(ValueError, match="window"):
        build_shifted_set([("tiny", standing_clip(15), 0)], rng_seed=0)
    with pytest.raises(ValueError, match="rig"):
        build_shifted_set(_clips(), rng_seed=0, rigs=("lafan",))
