"""The GL items that draw one motion: bones, joints, root trail, foot contacts.

HumanML3D is Y-up; pyqtgraph's GL view is Z-up. We rotate +90 degrees about X,
(x, y, z) -> (x, -z, y): a proper rotation (det = +1), so the body's left stays left.
"""
from __future__ import annotations

import numpy as np

from ..motion import skeleton
from ..motion.motion import Motion

# Bone colours by chain side (RGBA, 0..1). Distinct hues so tests can find them in pixels.
SIDE_COLORS: dict[str, tuple[float, float, float, float]] = {
    "left": (0.20, 0.55, 1.00, 1.0),   # blue
    "right": (1.00, 0.35, 0.25, 1.0),  # red
    "spine": (0.95, 0.85, 0.30, 1.0),  # yellow
}
JOINT_COLOR = (0.92, 0.92, 0.92, 1.0)
CONTACT_COLOR = (0.25, 1.0, 0.35, 1.0)
TRAIL_COLOR = (0.75, 0.75, 0.80, 0.7)
SHADOW_RX, SHADOW_RY = 0.30, 0.24  # metres: the contact shadow of a body standing still

# Rotation taking HumanML3D's Y-up frame to the GL view's Z-up frame.
HML_TO_GL = np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0]], dtype=np.float32)


def hml_to_gl(points: np.ndarray) -> np.ndarray:
    """Map (..., 3) Y-up points to Z-up: (x, y, z) -> (x, -z, y)."""
    return np.asarray(points, dtype=np.float32) @ HML_TO_GL.T


def bone_pairs() -> list[tuple[int, int, str]]:
    """(parent, child, side) for every bone, walking KINEMATIC_CHAIN."""
    pairs = []
    for chain, side in zip(skeleton.KINEMATIC_CHAIN, skeleton.CHAIN_SIDES):
        pairs += [(a, b, side) for a, b in zip(chain[:-1], chain[1:])]
    return pairs


_PAIRS = bone_pairs()
_SEG_INDEX = np.array([[a, b] for a, b, _ in _PAIRS]).reshape(-1)
_SEG_COLORS = np.repeat(np.array([SIDE_COLORS[s] for *_, s in _PAIRS], dtype=np.float32), 2, axis=0)


def bone_segments(frame_gl: np.ndarray) -> np.ndarray:
    """(2*n_bones, 3) line endpoints for GLLinePlotItem(mode='lines') of one (22, 3) frame."""
    return frame_gl[_SEG_INDEX]


def simple_foot_contacts(joints: np.ndarray, height: float = 0.05, speed: float = 0.5,
                         fps: float = skeleton.FPS) -> np.ndarray:
    """(T, 4) contacts (l_ankle, l_toe, r_ankle, r_toe): a foot joint near the floor and slow.

    Only a fallback for when motion.features is not importable; thresholds in metres and m/s.
    """
    feet = list(skeleton.LEFT_FOOT) + list(skeleton.RIGHT_FOOT)
    pos = joints[:, feet, :]
    floor = joints[..., 1].min()
    vel = np.zeros(pos.shape[:2])
    if len(pos) > 1:
        vel[1:] = np.linalg.norm(np.diff(pos, axis=0), axis=-1) * fps
        vel[0] = vel[1]
    return (pos[..., 1] - floor < height) & (vel < speed)


def motion_contacts(motion: Motion) -> np.ndarray:
    """Foot contacts from the Motion when the motion layer can compute them, else the fallback."""
    try:
        c = np.asarray(motion.contacts, dtype=bool)
        if c.shape == (motion.n_frames, 4):
            return c
    except Exception:  # features module missing or not able to handle this clip
        pass
    return simple_foot_contacts(motion.joints, fps=motion.fps)


STYLES = ("mannequin", "stick")
LABEL_COLOR = (235, 235, 235, 255)
CHOSEN_LABEL_COLOR = (110, 230, 140, 255)


class SkeletonLayer:
    """All GL items of one motion placed at a side offset; `set_frame` moves them.

    style "mannequin" (default): one shaded mesh (mannequin.BodyGeometry) and a contact shadow;
    "stick": bone lines and joint dots. Root trail and foot-contact dots show in both. `label`
    (for the compare view) floats above the head when `show_label` is set.
    """

    def __init__(self, motion: Motion, label: str = "", offset_x: float = 0.0, style: str = "mannequin",
                 show_label: bool = False, chosen: bool = False) -> None:
        import pyqtgraph.opengl as gl
        from PySide6 import QtCore, QtGui

        from .mannequin import body_geometry, mannequin_shader, posed_mesh_item, shadow_disc

        self.motion = motion
        self.label = label or motion.name or "motion"
        gl_joints = hml_to_gl(motion.joints)
        # Start each motion at (offset_x, 0) on the floor so several stand side by side.
        start = gl_joints[0, 0].copy()
        shift = np.array([offset_x - start[0], -start[1], 0.0], dtype=np.float32)
        shift[2] = -gl_joints[..., 2].min()  # lowest joint on the floor
        self.joints = gl_joints + shift
        self.contacts = motion_contacts(motion)
        self._feet = list(skeleton.LEFT_FOOT) + list(skeleton.RIGHT_FOOT)
        self.frame = 0
        self.chosen = chosen

        self.bones = gl.GLLinePlotItem(pos=bone_segments(self.joints[0]), color=_SEG_COLORS,
                                       width=4.0, mode="lines", antialias=False, glOptions="opaque")
        self.points = gl.GLScatterPlotItem(pos=self.joints[0], color=JOINT_COLOR, size=7.0, glOptions="opaque")
        root_path = self.joints[:, 0].copy()
        root_path[:, 2] = 0.005
        self.trail = gl.GLLinePlotItem(pos=root_path, color=TRAIL_COLOR, width=1.5,
                                       mode="line_strip", antialias=True, glOptions="translucent")
        self.feet = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=CONTACT_COLOR, size=14.0,
                                         glOptions="translucent")
        self.geometry = body_geometry()
        self.body = posed_mesh_item(self.geometry.faces, self.geometry.colors, shader=mannequin_shader())
        disc_v, disc_f, disc_c = shadow_disc()
        self._disc = disc_v
        self.shadow = posed_mesh_item(disc_f, disc_c, glOptions="translucent")
        self.label_item = gl.GLTextItem(text=self.label, color=CHOSEN_LABEL_COLOR if chosen else LABEL_COLOR)
        font = QtGui.QFont()
        font.setPointSize(11)
        font.setBold(True)
        align = QtCore.Qt.AlignmentFlag
        self.label_item.setData(font=font, alignment=align.AlignHCenter | align.AlignBottom)  # text above the point
        self.show_label = show_label
        self.label_item.setVisible(show_label)
        self.items = [self.trail, self.shadow, self.bones, self.points, self.body, self.feet, self.label_item]
        self.style = ""
        self.set_style(style)

    @property
    def n_frames(self) -> int:
        return len(self.joints)

    def root(self, frame: int | None = None) -> np.ndarray:
        f = self.frame if frame is None else min(frame, self.n_frames - 1)
        return self.joints[f, 0]

    def set_style(self, style: str) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown body style {style!r}: use one of {STYLES}")
        self.style = style
        stick = style == "stick"
        for item in (self.bones, self.points):
            item.setVisible(stick)
        for item in (self.body, self.shadow):
            item.setVisible(not stick)
        self.set_frame(self.frame, force=True)

    def set_label_visible(self, visible: bool) -> None:
        self.show_label = visible
        self.label_item.setVisible(visible)

    def set_frame(self, frame: int, force: bool = False) -> None:
        """Show frame `frame` (clamped: a shorter motion holds its last pose)."""
        f = int(np.clip(frame, 0, self.n_frames - 1))
        if f == self.frame and not force:
            return
        self.frame = f
        pose = self.joints[f]
        if self.style == "stick":
            self.bones.setData(pos=bone_segments(pose))
            self.points.setData(pos=pose)
        else:
            verts, normals = self.geometry.pose(pose)
            self.body.set_geometry(verts, normals)
            self._place_shadow(pose)
        touching = pose[self._feet][self.contacts[f]]
        if len(touching):
            touching = touching.copy()
            touching[:, 2] = 0.006  # on the floor, under the foot blocks
        self.feet.setData(pos=touching if len(touching) else np.zeros((0, 3)))
        top = self.geometry.head_top(pose)
        self.label_item.setData(pos=top)

    def _place_shadow(self, pose: np.ndarray) -> None:
        """An oval under the body, centred between pelvis and feet, fainter the higher it is."""
        feet = pose[self._feet]
        centre = 0.5 * pose[0, :2] + 0.5 * feet[:, :2].mean(0)
        spread = feet[:, :2] - centre
        rx = SHADOW_RX + 0.6 * float(np.abs(spread[:, 0]).max())
        ry = SHADOW_RY + 0.6 * float(np.abs(spread[:, 1]).max())
        lift = max(float(feet[:, 2].min()), 0.0)
        fade = 1.0 / (1.0 + 4.0 * lift)
        verts = self._disc * np.array([rx * fade ** -0.3, ry * fade ** -0.3, 0.0], dtype=np.float32)
        verts = verts + np.array([centre[0], centre[1], 0.004], dtype=np.float32)
        self.shadow.set_geometry(verts, np.tile(np.array([0, 0, 1], np.float32), (len(verts), 1)))
        self.shadow._colors = self._shadow_colours(fade)

    def _shadow_colours(self, fade: float) -> np.ndarray:
        from pyqtgraph.opengl.items.GLMeshItem import DirtyFlag

        if not hasattr(self, "_shadow_base"):
            self._shadow_base = self.shadow._colors.copy()
        cols = self._shadow_base.copy()
        cols[:, 3] *= fade
        self.shadow._dirty |= DirtyFlag.COLOR
        return cols

    def add_to(self, view) -> None:
        for item in self.items:
            view.addItem(item)

    def remove_from(self, view) -> None:
        for item in self.items:
            view.removeItem(item)
