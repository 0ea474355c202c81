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


class SkeletonLayer:
    """All GL items of one motion placed at a side offset; `set_frame` moves them."""

    def __init__(self, motion: Motion, label: str = "", offset_x: float = 0.0) -> None:
        import pyqtgraph.opengl as gl

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

        self.bones = gl.GLLinePlotItem(pos=bone_segments(self.joints[0]), color=_SEG_COLORS,
                                       width=4.0, mode="lines", antialias=False, glOptions="opaque")
        self.points = gl.GLScatterPlotItem(pos=self.joints[0], color=JOINT_COLOR, size=7.0, glOptions="opaque")
        root_path = self.joints[:, 0].copy()
        root_path[:, 2] = 0.005
        self.trail = gl.GLLinePlotItem(pos=root_path, color=TRAIL_COLOR, width=1.5,
                                       mode="line_strip", antialias=True, glOptions="translucent")
        self.feet = gl.GLScatterPlotItem(pos=np.zeros((1, 3)), color=CONTACT_COLOR, size=14.0,
                                         glOptions="translucent")
        self.items = [self.trail, self.bones, self.points, self.feet]
        self.set_frame(0)

    @property
    def n_frames(self) -> int:
        return len(self.joints)

    def root(self, frame: int | None = None) -> np.ndarray:
        f = self.frame if frame is None else min(frame, self.n_frames - 1)
        return self.joints[f, 0]

    def set_frame(self, frame: int) -> None:
        """Show frame `frame` (clamped: a shorter motion holds its last pose)."""
        self.frame = f = int(np.clip(frame, 0, self.n_frames - 1))
        pose = self.joints[f]
        self.bones.setData(pos=bone_segments(pose))
        self.points.setData(pos=pose)
        touching = pose[self._feet][self.contacts[f]]
        self.feet.setData(pos=touching if len(touching) else np.zeros((0, 3)))

    def add_to(self, view) -> None:
        for item in self.items:
            view.addItem(item)

    def remove_from(self, view) -> None:
        for item in self.items:
            view.removeItem(item)
