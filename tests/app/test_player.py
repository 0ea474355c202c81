import numpy as np
import pytest

from motion_studio.app.player import (
    SIDE_BY_SIDE_SPACING, PlayerWidget, frame_interval_ms, snap_to_grid, time_label,
)
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
    player.set_style("stick")
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
    assert b.root()[0] - a.root()[0] == pytest.approx(SIDE_BY_SIDE_SPACING)
    player.set_frame(15)
    assert a.frame == 9 and b.frame == 15  # the shorter one holds its last pose
    img = player.render_frame(320, 240)
    cols = np.nonzero(_tinted(img)[2])[1]
    assert cols.max() - cols.min() > 60  # two torsos far apart, not one


def test_legend_names_motions_in_screen_order():
    from motion_studio.app.player import legend_text

    assert legend_text(["gestures"]) == "gestures"
    assert legend_text(["a", "b"]) == "left to right:  1. a   |   2. b"
    assert "No motion" in legend_text([])


def _tinted(img: np.ndarray):
    """Masks of bluish (left), reddish (right) and yellowish (spine) lit mannequin pixels."""
    r, g, b = (img[..., i].astype(int) for i in range(3))
    lit = img.max(axis=-1) > 90
    return lit & (b > r + 35), lit & (r > b + 35) & (r > g + 15), lit & (r > b + 35) & (g > b + 35) & (abs(r - g) < 40)


def test_mannequin_is_the_default_shaded_body_left_on_the_right(qtbot, gl_ok):
    """The default look is a shaded mesh (one GLMeshItem per body), tinted by chain, lit (many
    shades of each tint), with a contact shadow under it; the stick figure is a toggle."""
    import pyqtgraph.opengl as gl

    player = PlayerWidget()
    qtbot.addWidget(player)
    player.set_motion(standing(4), play=False)
    layer = player.layers[0]
    assert player.style == "mannequin" and layer.style == "mannequin"
    assert isinstance(layer.body, gl.GLMeshItem) and layer.body.visible() and not layer.bones.visible()
    assert layer.shadow.visible()
    img = player.render_frame(320, 240)
    left, right, spine = _tinted(img)
    assert left.sum() > 200 and right.sum() > 200 and spine.sum() > 200  # a body, not thin lines
    assert np.nonzero(left)[1].mean() > np.nonzero(right)[1].mean()  # their left on the screen's right
    shades = {tuple(v // 8) for v in img[left]}
    assert len(shades) > 15, "flat colour: the mesh is not lit"
    # the body covers a clearly visible share of the view
    body = left | right | spine
    rows = np.nonzero(body.any(axis=1))[0]
    assert rows.max() - rows.min() > 0.45 * img.shape[0]
    # the contact shadow darkens the floor around the feet
    layer.shadow.setVisible(False)
    bare = player.render_frame(320, 240).astype(int).sum(-1)
    layer.shadow.setVisible(True)
    shaded = img.astype(int).sum(-1)
    feet_rows = slice(rows.max() - 12, rows.max() + 4)
    assert (shaded[feet_rows] < bare[feet_rows] - 6).sum() > 150

    player.stick_box.setChecked(True)
    assert layer.style == "stick" and layer.bones.visible() and not layer.body.visible()
    stick = player.render_frame(320, 240)
    assert _near(stick, SIDE_COLORS["left"]).sum() > 20
    assert _tinted(stick)[0].sum() < left.sum() / 2  # lines are much thinner than limbs


def test_mannequin_geometry_follows_the_joints():
    """Every vertex of a posed body stays near its bones; normals are unit length."""
    from motion_studio.app.mannequin import PARTS, body_geometry

    geo = body_geometry()
    pose = hml_to_gl(skeleton.rest_pose() + np.array([0.0, 0.95, 0.0]))
    verts, normals = geo.pose(pose)
    assert verts.shape == normals.shape == (geo.n_vertices, 3)
    np.testing.assert_allclose(np.linalg.norm(normals, axis=1), 1.0, atol=1e-4)
    assert geo.faces.max() < geo.n_vertices and len({p.j0 for p in PARTS} | {p.j1 for p in PARTS}) == 22
    assert verts[:, 2].min() > -0.02  # nothing below the floor
    assert verts[:, 2].max() < pose[:, 2].max() + 0.25  # head top just above the head joint
    # moving the body moves every vertex the same way
    moved, _ = geo.pose(pose + np.array([1.0, 2.0, 0.0]))
    np.testing.assert_allclose(moved - verts, np.tile([1.0, 2.0, 0.0], (len(verts), 1)), atol=1e-5)


def test_compare_view_labels_each_body_above_its_head(qtbot, gl_ok):
    player = PlayerWidget()
    qtbot.addWidget(player)
    player.set_motion(standing(4), play=False)
    assert not player.layers[0].label_item.visible()  # one body: the legend names it
    player.set_motions([(standing(4), "walking"), (standing(4), "arms"), (standing(4), "base model")],
                       play=False, chosen=1)
    labels = [layer.label_item for layer in player.layers]
    assert [lab.text for lab in labels] == ["walking", "arms", "base model"]
    assert all(lab.visible() for lab in labels)
    for layer in player.layers:
        assert layer.label_item.pos[2] > layer.joints[0, 15, 2] + 0.1  # above the head
        assert abs(layer.label_item.pos[0] - layer.joints[0, 15, 0]) < 0.05
    assert labels[1].color != labels[0].color  # the router's choice stands out
