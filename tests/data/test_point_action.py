"""A side point turns the chest towards its target (corpus v3); a forward point keeps the shoulders square.

Why: a head turn alone moves none of the 22 joints, so before v3 a side point was a side reach in
everything the motion router reads (scripts/point_reach_study.py).
"""
from __future__ import annotations

import numpy as np

from motion_studio.data.corpus import ACTION_NAMES, generate_clip
from motion_studio.motion.skeleton import JOINT_NAMES

J = {n: i for i, n in enumerate(JOINT_NAMES)}


def _points(direction: str, n: int = 3) -> list[int]:
    """Corpus indices of plain (unmirrored, single-action) points in this direction."""
    found = []
    for i in range(ACTION_NAMES.index("point"), 5000, len(ACTION_NAMES)):
        c = generate_clip(0, i)
        if c.params.get("direction") == direction and not c.mirrored and len(c.parts) == 1:
            found.append(i)
        if len(found) == n:
            return found
    raise AssertionError(f"no {direction} points found")


def _peak_shoulders(joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(right wrist - right shoulder, right shoulder - left shoulder) at the frame the arm reaches furthest out."""
    arm = joints[:, J["right_wrist"]] - joints[:, J["right_shoulder"]]
    k = int(np.argmax(np.linalg.norm(arm[:, [0, 2]], axis=1)))
    return arm[k], joints[k, J["right_shoulder"]] - joints[k, J["left_shoulder"]]


def test_side_point_turns_the_chest_and_points_right_and_ahead():
    for i in _points("side"):
        arm, shoulders = _peak_shoulders(generate_clip(0, i).joints)
        assert shoulders[2] < -0.1  # the right shoulder goes back: the chest faces the right
        assert arm[0] < -0.35 and arm[2] > 0.05  # the arm points to the right (-X) and a little ahead


def test_forward_point_keeps_the_shoulders_square_and_points_ahead():
    for i in _points("forward", 2):
        arm, shoulders = _peak_shoulders(generate_clip(0, i).joints)
        assert abs(shoulders[2]) < 0.06
        assert arm[2] > 0.35 and abs(arm[0]) < arm[2]
