import numpy as np
import pytest

from motion_studio.app.player import PlayerWidget, frame_interval_ms, snap_to_grid, time_label
from motion_studio.app.skeleton_item import (
    HML_TO_GL, SIDE_COLORS, bone_pairs, bone_segments, hml_to_gl, simple_foot_contacts,
)
from motion_studio.motion import skeleton
from motion_studio.motion.motion import Motion


def standing(frames: int = 40, fps: float = 20.0) -> Motion:
    pose = skeleton.rest_pose() + np.array([0.0, 0.84, 0.0])
    return Motion(joints=np.repeat(pose[None], frames, axis=0), fps=fps, name="stand")


# --- pure functions, hand-checked numbers ----------------------------------------------------
def test_hml_to_gl_is_a_rotation_y_up_to_z_up():
    assert np.linalg.det(HML_TO_GL) == pytest.approx(1.0)  # proper rotation, not a mirror
    np.testing.assert_allclose(hml_to_gl(np.array([1.0, 2.0, 3.0])), [1.0, -3.0, 2.0])
    # up (hml +Y) becomes GL +Z; the body's left (hml +X) stays +X
    np.testing.assert_allclose(hml_to_gl(np.array([0.0, 1.0, 0.0])), [0.0, 0.0, 1.0])


def test_bones_cover_the_skeleton_once():
    pairs = bone_pairs()
    assert len(pairs) == skeleton.N_JOINTS - 1  # a tree: one bone per non-root joint
    assert {(min(a, b), max(a, b)) for a, b, _ in pairs} == {
        (skeleton.PARENTS[j], j) for j in range(1, skeleton.N_JOINTS)}
    seg = bone_segments(np.arange(66, dtype=float).reshape(22, 3))
    assert seg.shape == (42, 3)
    np.testing.assert_allclose(seg[0], [0, 1, 2])  # right leg starts at the pelvis (joint 0)
    np.testing.assert_allclose(seg[1], [6, 7, 8])  # ... to the right hip (joint 2)


def test_frame_timing_and_labels():
    assert frame_interval_ms(20, 1.0) == 50
    assert frame_interval_ms(20, 0.25) == 200
    assert frame_interval_ms(20, 2.0) == 25
    assert time_label(25, 80, 20) == "1.25 s / 4.00 s"
    assert snap_to_grid(2.4) == 2.0 and snap_to_grid(-1.6) == -2.0


def test_fallback_contacts_planted_vs_sliding():
    m = standing(10)
    c = simple_foot_contacts(m.joints)
    assert c.shape == (10, 4)
    assert c[:, [0, 1, 2, 3]].any(axis=0).tolist() == [False, True, False, True]  # toes on floor, ankles 0.08 m up
    sliding = m.joints.copy()
    sliding[..., 2] += np.arange(10)[:, None] * 0.1  # 2 m/s: nothing is planted
    assert not simple_foot_contacts(sliding).any()


# --- widget ---------------------------------------------------------------------------------
def test_playback_advances_and_loops(qtbot, gl_ok):
    player = PlayerWidget()
    qtbot.addWidget(player)
    player.set_motion(standing(6), play=False)
    assert player.frame == 0 and player.slider.maximum() == 5
    player.set_speed(2.0)
    assert player.timer.interval() == 25
    player.play()
    qtbot.waitUntil(lambda: player.frame >= 3, timeout=2000)
    qtbot.waitUntil(lambda: player.frame < 3, timeout=2000)  # wrapped around: loop is on
    player.pause()
    player.step(1)
    f = player.frame
    player.step(-1)
    assert player.frame == max(f - 1, 0)
    player.slider.setValue(4)
    assert player.frame == 4 and player.time_label.text() == "0.20 s / 0.30 s"


def _near(img: np.ndarray, rgba) -> np.ndarray:
    target = np.array(rgba[:3]) * 255
    return (np.abs(img.astype(int) - target).max(axis=-1) < 30)


def test_gl_render_shows_bone_colours_left_on_the_right(qtbot, gl_ok):
    player = PlayerWidget()
    qtbot.addWidget(player)
    player.set_motion(standing(4), play=False)
    img = player.render_frame(320, 240)
    assert img.shape == (240, 320, 3)
    assert img.std() > 5, "blank view"
    left, right = _near(img, SIDE_COLORS["left"]), _near(img, SIDE_COLORS["right"])
    assert left.sum() > 20 and right.sum() > 20 and _near(img, SIDE_COLORS["spine"]).sum() > 10
    # The camera looks at the person's front, so their left side is on the screen's right.
    assert np.nonzero(left)[1].mean() > np.nonzero(right)[1].mean()


def test_two_motions_side_by_side(qtbot, gl_ok):
    player = PlayerWidget()
    qtbot.addWidget(player)
    player.set_motions([(standing(10), "A"), (standing(20), "B")], play=False)
    assert player.n_frames == 20
    a, b = player.layers
    assert b.root()[0] - a.root()[0] == pytest.approx(1.6)
    player.set_frame(15)
    assert a.frame == 9 and b.frame == 15  # the shorter one holds its last pose
    img = player.render_frame(320, 240)
    cols = np.nonzero(_near(img, SIDE_COLORS["spine"]))[1]
    assert cols.max() - cols.min() > 60  # two spines far apart, not one


def test_legend_names_motions_in_screen_order():
    from motion_studio.app.player import legend_text

    assert legend_text(["gestures"]) == "gestures"
    assert legend_text(["a", "b"]) == "left to right:  1. a   |   2. b"
    assert "No motion" in legend_text([])
