"""BVH: hand-checked forward kinematics, other rigs' names/units/axes, resampling, and our own round trip."""
from __future__ import annotations

import numpy as np
import pytest
from motion_synth import rig_rows, walking_clip, write_rig_bvh

from motion_studio.errors import MotionFileError
from motion_studio.motion import bvh as B
from motion_studio.motion.features import canonicalize

TINY = """HIERARCHY
ROOT A
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT B
  {
    OFFSET 0 1 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    JOINT C
    {
      OFFSET 0 2 0
      CHANNELS 3 Zrotation Xrotation Yrotation
      End Site
      {
        OFFSET 0 0 1
      }
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.05
0 0 0 0 0 0 0 0 0 0 0 0
1 2 3 90 0 0 0 90 0 0 0 0
"""


def _fail(msg):
    return MotionFileError(msg)


def test_tiny_hierarchy_forward_kinematics_by_hand():
    clip = B.parse_bvh(TINY, _fail)
    assert [j.name for j in clip.joints] == ["A", "B", "C", "C_end"]
    pos = B.forward_kinematics(clip)
    # Frame 0: the rest pose straight up the offsets.
    assert np.allclose(pos[0], [[0, 0, 0], [0, 1, 0], [0, 3, 0], [0, 3, 1]])
    # Frame 1: root at (1,2,3) turned 90 deg about Z (y -> -x); B bent 90 deg about X (y -> z, z -> -y).
    # B = (1,2,3) + Rz(0,1,0) = (0,2,3); C = B + Rz Rx (0,2,0) = B + (0,0,2); end = C + Rz Rx (0,0,1) = C + (1,0,0).
    assert np.allclose(pos[1], [[1, 2, 3], [0, 2, 3], [0, 2, 5], [1, 2, 5]], atol=1e-9)


def test_channel_order_is_the_multiplication_order():
    xy = TINY.replace("CHANNELS 3 Zrotation Xrotation Yrotation\n    JOINT C", "CHANNELS 3 Xrotation Yrotation Zrotation\n    JOINT C")
    base = "0 0 0 0 0 0"
    # B's offset (0,1,0) is not turned by B itself; look at C's end site (0,0,1) under C's parent B.
    text = xy.replace("0 0 0 0 0 0 0 0 0 0 0 0\n1 2 3 90 0 0 0 90 0 0 0 0",
                      f"{base} 0 0 0 0 0 0\n{base} 90 90 0 0 0 0")
    pos = B.forward_kinematics(B.parse_bvh(text, _fail))
    # Rx(90) @ Ry(90) @ (0,2,0) = (0,0,2) and @ (0,0,1) = (1,0,0).
    assert np.allclose(pos[1, 2] - pos[1, 1], [0, 0, 2], atol=1e-9)
    assert np.allclose(pos[1, 3] - pos[1, 2], [1, 0, 0], atol=1e-9)


# ------------------------------------------------------------------ other rigs

@pytest.mark.parametrize("style,order", [("cmu", "ZYX"), ("mixamo", "ZXY"), ("lafan", "ZYX")])
def test_other_rigs_in_centimetres_and_z_up_come_in_as_metres_y_up(tmp_path, style, order):
    path = tmp_path / f"{style}.bvh"
    expected = write_rig_bvh(path, rig_rows(style), n_frames=21, fps=20.0, order=order)
    joints, info = B.read_bvh(path, canonical=False)
    assert info["units"] == "cm" and info["up_axis"] == "+Z" and info["source_fps"] == pytest.approx(20.0)
    known = ~np.isnan(expected[0, :, 0])
    assert np.abs(joints[:, known] - expected[:, known]).max() < 1e-4
    assert joints[0, 0, 1] == pytest.approx(0.92, abs=1e-4)  # pelvis 92 cm above the floor, now on Y
    if style == "cmu":  # spine1/spine2 interpolated between Hips, Spine and Spine1
        assert any("spine1/spine2" in n for n in info["notes"])
        assert joints[0, 0, 1] < joints[0, 3, 1] < joints[0, 6, 1] < joints[0, 9, 1]
    canon, _ = B.read_bvh(path)  # canonical: frame 0 faces +Z from the origin, feet on the floor
    assert np.allclose(canon, canonicalize(joints), atol=1e-5)


def test_thirty_fps_is_resampled_to_twenty(tmp_path):
    path = tmp_path / "walk30.bvh"
    expected = write_rig_bvh(path, rig_rows("mixamo"), n_frames=31, fps=30.0)  # exactly 1 s
    joints, info = B.read_bvh(path, canonical=False)
    assert info["source_fps"] == pytest.approx(30.0) and info["source_frames"] == 31
    assert joints.shape == (21, 22, 3)
    # Frame k of the output is the linear blend of the input at k/20 s.
    root_expected = np.interp(np.arange(21) / 20.0, np.arange(31) / 30.0, expected[:, 0, 2])
    assert np.allclose(joints[:, 0, 2], root_expected, atol=1e-5)
    assert np.allclose(joints[-1], expected[-1], atol=1e-4)  # 1 s is a frame in both rates


def test_missing_limbs_are_named(tmp_path):
    path = tmp_path / "noarm.bvh"
    write_rig_bvh(path, rig_rows("mixamo"), drop=("mixamorig:LeftForeArm", "mixamorig:LeftHand"))
    with pytest.raises(MotionFileError, match="left_elbow, left_wrist"):
        B.read_bvh(path)


def test_units_are_picked_from_the_body_size():
    # HumanML3D's skeleton measures 1.47 m along the bones (formats.body_height).
    assert B._pick_units(1.47) == ("m", 1.0)
    assert B._pick_units(147.0)[0] == "cm"
    assert B._pick_units(1.47 / 0.0254)[0] == "inch"
    assert B._pick_units(1470.0)[0] == "mm"
    assert B._pick_units(1.47 * 0.45 / 0.0254)[0] == "cmu"  # CMU's ASF unit is 1/0.45 inch
    assert B._pick_units(1.2)[0] == "m" and B._pick_units(190.0)[0] == "cm"  # short and tall people


def test_side_names_are_understood():
    assert B.split_side("mixamorig:LeftUpLeg") == ("left", "upleg")
    assert B.split_side("LHipJoint") == ("left", "hipjoint")
    assert B.split_side("LowerBack") == ("", "lowerback")
    assert B.split_side("right_shoulder") == ("right", "shoulder")
    assert B.split_side("Hand_L") == ("left", "hand")
    assert B.split_side("spine3") == ("", "spine3")


# ------------------------------------------------------------------ our own BVH

def test_write_then_read_the_real_sample_within_a_centimetre(sample_dir, tmp_path):
    joints = np.load(sample_dir / "new_joints" / "012314.npy")
    path = B.write_bvh(joints, tmp_path / "sample.bvh")
    back, info = B.read_bvh(path)
    assert info["units"] == "m" and info["up_axis"] == "+Y" and not info["notes"]
    assert back.shape == joints.shape
    assert np.abs(back - joints).max() < 0.01


def test_write_then_read_a_walker_anywhere_within_a_centimetre(tmp_path):
    joints = walking_clip(n_frames=60, turn_rate=1.0)
    path = B.write_bvh(joints, tmp_path / "walk.bvh", fps=20)
    raw, _ = B.read_bvh(path, canonical=False)
    assert np.abs(raw - joints).max() < 0.01
    back, _ = B.read_bvh(path)
    assert np.abs(back - canonicalize(joints)).max() < 0.01


def test_written_rotations_fit_several_children_and_stay_rigid():
    """The pelvis rotation must carry all three of its rest offsets onto the hips and spine."""
    joints = walking_clip(n_frames=20).astype(np.float64)
    offsets = B.rest_offsets(joints)
    rots = B.global_rotations(joints, offsets)
    for kid in (1, 2, 3):
        assert np.allclose(np.einsum("fij,j->fi", rots[:, 0], offsets[kid]), joints[:, kid] - joints[:, 0], atol=1e-5)
    assert np.allclose(rots @ np.swapaxes(rots, -1, -2), np.eye(3), atol=1e-9)
    assert np.allclose(np.linalg.det(rots), 1.0)


def test_euler_zxy_round_trip():
    rng = np.random.default_rng(0)
    angles = rng.uniform(-80, 80, size=(50, 3))
    mats = B.axis_rotation("Z", angles[:, 0]) @ B.axis_rotation("X", angles[:, 1]) @ B.axis_rotation("Y", angles[:, 2])
    assert np.allclose(B.matrix_to_euler_zxy(mats), angles, atol=1e-8)


@pytest.mark.parametrize("text,message", [
    ("hello world", "not a BVH"),
    ("HIERARCHY\nROOT Hips\n{\n OFFSET 0 0\nMOTION\n", "ends too early"),
    (TINY.replace("Frames: 2", "Frames: 5"), "truncated"),
    (TINY.replace("0 90 0 0 0 0\n", "0 90 0 0 zz 0\n"), "not a number"),
    (TINY, "no joint found for pelvis"),
])
def test_bad_bvh_files_give_one_line_errors(tmp_path, text, message):
    path = tmp_path / "bad.bvh"
    path.write_text(text)
    with pytest.raises(MotionFileError, match=message) as err:
        B.read_bvh(path)
    assert "\n" not in str(err.value) and str(err.value).startswith("bad.bvh: ")
