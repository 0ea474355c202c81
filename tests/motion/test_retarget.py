"""Retargeting onto the reference skeleton, against numbers worked out by hand."""
from __future__ import annotations

import os
import stat

import numpy as np
import pytest
from motion_synth import rig_rows, rot_y, walking_clip, write_rig_bvh

from motion_studio.motion import Motion
from motion_studio.motion.features import canonicalize
from motion_studio.motion.formats import load_motion, save_motion
from motion_studio.motion.retarget import REFERENCE_LEG_M, leg_length, resample, retarget
from motion_studio.motion.skeleton import BONE_LENGTHS, N_JOINTS, PARENTS, RAW_OFFSETS, bone_lengths


def _canonical_walk(n: int = 60) -> np.ndarray:
    return canonicalize(walking_clip(n, turn_rate=0.8)).astype(np.float64)


def _stick(lengths: np.ndarray, root_y: float) -> np.ndarray:
    """One frame of the axis-aligned stick figure: every bone along RAW_OFFSETS."""
    pos = np.zeros((N_JOINTS, 3))
    pos[0, 1] = root_y
    for j in range(1, N_JOINTS):
        pos[j] = pos[PARENTS[j]] + RAW_OFFSETS[j] * lengths[j]
    return pos


def test_a_canonical_clip_is_unchanged():
    clip = _canonical_walk()
    out = retarget(clip, 20.0)
    assert out.shape == clip.shape and out.dtype == np.float32
    assert np.abs(out - clip).max() < 1e-5  # measured 3e-7 (float32 rounding)


def test_a_clip_scaled_1_3x_comes_back_on_the_reference_bones():
    clip = _canonical_walk()
    out = retarget(clip * 1.3, 20.0)
    assert np.abs(bone_lengths(out.astype(np.float64)) - BONE_LENGTHS).max() < 1e-5
    # The root trajectory is scaled by the leg ratio too, so it is the same clip again.
    assert np.abs(out - clip).max() < 1e-5


def test_other_proportions_keep_bone_directions_and_take_reference_lengths():
    rng = np.random.default_rng(0)
    clip = _canonical_walk(30)
    scale = rng.uniform(0.7, 1.4, size=N_JOINTS)  # every bone a different factor
    odd = np.zeros_like(clip)
    odd[:, 0] = clip[:, 0]
    for j in range(1, N_JOINTS):
        odd[:, j] = odd[:, PARENTS[j]] + scale[j] * (clip[:, j] - clip[:, PARENTS[j]])
    out = retarget(odd, 20.0).astype(np.float64)
    assert np.abs(bone_lengths(out) - BONE_LENGTHS).max() < 1e-5
    # Directions were never changed: the same poses about the root ...
    assert np.abs((out - out[:, :1]) - (clip - clip[:, :1])).max() < 1e-5
    # ... and the root travels the clip's path scaled by reference leg / this body's leg.
    ratio = REFERENCE_LEG_M / leg_length(odd)
    assert np.abs(out[:, 0, [0, 2]] - clip[:, 0, [0, 2]] * ratio).max() < 1e-5


def test_a_turned_and_moved_clip_faces_plus_z_at_the_origin():
    clip = _canonical_walk()
    moved = np.einsum("ij,ftj->fti", rot_y(2.0), clip) + np.array([3.0, 0.5, -4.0])
    out = retarget(moved, 20.0)
    assert np.abs(out[0, 0, [0, 2]]).max() < 1e-6
    assert np.abs(out - clip).max() < 1e-5
    # By hand: facing +Z means the person's left (left hip, left shoulder) is towards +X.
    assert out[0, 1, 0] > out[0, 2, 0] and out[0, 16, 0] > out[0, 17, 0]
    feet = out[:, [7, 8, 10, 11], 1]
    assert feet.min() == pytest.approx(0.0, abs=1e-6)


def test_a_stick_figure_twice_the_size_stands_at_the_reference_pelvis_height():
    # Hips sideways, knees and ankles straight down, toes forward: the lowest foot joint sits
    # max(L_lknee + L_lankle, L_rknee + L_rankle) = max(0.3936 + 0.4324, 0.3902 + 0.4256) = 0.8260 m
    # under the pelvis, whatever the input's size or height above its floor.
    big = np.repeat(_stick(2.0 * BONE_LENGTHS, root_y=5.0)[None], 3, axis=0)
    assert leg_length(big) == pytest.approx(2.0 * REFERENCE_LEG_M)
    out = retarget(big, 20.0)
    assert out[0, 0, 1] == pytest.approx(0.8260, abs=1e-6)
    assert np.abs(bone_lengths(out.astype(np.float64)) - BONE_LENGTHS).max() < 1e-6
    assert REFERENCE_LEG_M == pytest.approx((0.3936 + 0.4324 + 0.3902 + 0.4256) / 2)


def test_thirty_and_sixty_fps_become_twenty():
    clip = _canonical_walk(41)
    at30 = resample(clip, 20.0, 30.0)  # 40 intervals of 1/20 s = 2 s -> 60 intervals at 30 fps
    assert len(at30) == 61
    assert len(retarget(at30, 30.0)) == 41
    # Frames at the same instants come back; the in-between 30 fps frames were linear blends (bones a
    # little short, feet a little low), which moves the leg estimate and the floor by a few mm.
    assert np.abs(retarget(at30, 30.0) - clip).max() < 0.01
    assert len(retarget(resample(clip, 20.0, 60.0), 60.0)) == 41
    long = _canonical_walk(60)
    assert len(retarget(long[:31], 30.0)) == 21  # 31 frames at 30 fps last 1 s: 21 frames at 20 fps
    assert len(retarget(long[:45], 30.0)) == 30  # 44/30 s = 1.467 s -> floor(29.3) + 1
    # Resampling is linear in time: a joint moving 1 m per source frame at 30 fps moves 1.5 m per frame at 20.
    ramp = np.zeros((7, N_JOINTS, 3))
    ramp[..., 0] = np.arange(7)[:, None]
    assert np.allclose(resample(ramp, 30.0, 20.0)[:, 0, 0], [0.0, 1.5, 3.0, 4.5, 6.0])


def test_coincident_joints_get_a_direction_and_the_reference_length():
    clip = _canonical_walk(10)
    clip[:, 12] = clip[:, 9]  # neck on top of spine3 (a rig without a neck bone)
    clip[3, 15] = clip[3, 12]  # and the head collapsed onto it for one frame
    out = retarget(clip, 20.0).astype(np.float64)
    assert np.isfinite(out).all()
    assert np.abs(bone_lengths(out) - BONE_LENGTHS).max() < 1e-5


def test_bad_input_is_a_value_error():
    with pytest.raises(ValueError):
        retarget(np.zeros((5, 21, 3)), 20.0)
    with pytest.raises(ValueError):
        resample(np.zeros((5, 22, 3)), 0.0, 20.0)


def test_the_humanml3d_sample_comes_through_essentially_unchanged(sample_dir):
    raw = np.load(sample_dir / "new_joints" / "012314.npy")
    motion = load_motion(sample_dir / "new_joints" / "012314.npy")
    assert np.array_equal(motion.original_joints, raw)
    # BONE_LENGTHS read the sample's bones to 0.1 mm, so the joints move by at most 0.14 mm (measured).
    assert np.abs(motion.joints - raw).max() < 2e-4
    assert np.abs(bone_lengths(motion.joints.astype(np.float64)) - BONE_LENGTHS).max() < 1e-5


def test_a_file_of_other_proportions_and_frame_rate_loads_on_the_reference_skeleton(tmp_path):
    clip = _canonical_walk(41)
    odd = np.einsum("ij,ftj->fti", rot_y(-1.0), resample(clip, 20.0, 30.0) * 1.15) + [1.0, 0.2, 2.0]
    path = tmp_path / "odd.npy"
    np.save(path, odd.astype(np.float32))
    motion = load_motion(path, fps=30.0)
    assert motion.n_frames == 41 and motion.original_joints.shape == motion.joints.shape
    assert np.abs(motion.joints - clip).max() < 0.01  # the 30 fps blends, as above
    assert np.abs(bone_lengths(motion.joints.astype(np.float64)) - BONE_LENGTHS).max() < 1e-5
    assert np.abs(motion.original_joints - resample(odd, 30.0, 20.0)).max() < 1e-5


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_get_the_usual_mode(tmp_path, umask):
    motion = Motion(joints=walking_clip(10))
    old = os.umask(umask)
    try:
        paths = [save_motion(motion, tmp_path / name) for name in ("a.npy", "b.vecs.npy", "c.bvh")]
    finally:
        os.umask(old)
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path.name
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("style", ["cmu", "mixamo", "lafan"])
def test_other_rigs_bvh_loads_on_the_reference_skeleton(tmp_path, style):
    path = tmp_path / f"{style}.bvh"
    write_rig_bvh(path, rig_rows(style), n_frames=31, fps=30.0)  # Z-up centimetres, 30 fps
    motion = load_motion(path)
    assert motion.n_frames == 21 and motion.original_joints.shape == motion.joints.shape
    assert np.abs(bone_lengths(motion.joints.astype(np.float64)) - BONE_LENGTHS).max() < 1e-5
    assert np.abs(motion.joints[0, 0, [0, 2]]).max() < 1e-6


def test_a_body_with_no_facing_is_a_file_error(tmp_path):
    from motion_studio.errors import MotionFileError

    flat = _canonical_walk(10)
    flat[:, [1, 2, 16, 17]] = flat[:, [0]]  # hips and shoulders on the pelvis: no across vector
    flat[:, [13, 14, 18, 19, 20, 21]] = flat[:, [9]]
    path = tmp_path / "flat.npy"
    np.save(path, flat.astype(np.float32))
    try:
        motion = load_motion(path)
    except MotionFileError as err:
        assert "\n" not in str(err)
    else:
        assert np.isfinite(motion.joints).all()
