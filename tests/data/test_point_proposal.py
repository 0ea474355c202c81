"""The side point proposed in scripts/point_reach_study.py: the chest turns, forward points stay as they are."""
from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from motion_studio.data.corpus import ACTION_NAMES, generate_clip
from motion_studio.data.corpus.actions import ACTIONS
from motion_studio.motion.skeleton import JOINT_NAMES

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "point_reach_study.py"
J = {n: i for i, n in enumerate(JOINT_NAMES)}


def _use_proposed(monkeypatch) -> None:
    """Swap the corpus's point action for the script's proposal until the test ends."""
    spec = importlib.util.spec_from_file_location("point_reach_study", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setitem(ACTIONS, "point", dataclasses.replace(ACTIONS["point"], build=mod.proposed_point))


@pytest.fixture
def proposed(monkeypatch):
    _use_proposed(monkeypatch)


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


def test_shipped_side_point_keeps_the_shoulders_square():
    """What the study measures as "shipped"; goes when the proposal moves into actions.py (corpus v3)."""
    for i in _points("side"):
        _, shoulders = _peak_shoulders(generate_clip(0, i).joints)
        assert abs(shoulders[2]) < 0.06  # the head turn alone moves no joint


def test_proposed_side_point_turns_the_chest_and_points_right_and_ahead(proposed):
    for i in _points("side"):
        arm, shoulders = _peak_shoulders(generate_clip(0, i).joints)
        assert shoulders[2] < -0.1  # the right shoulder goes back: the chest faces the right
        assert arm[0] < -0.35 and arm[2] > 0.05  # the arm points to the right (-X) and a little ahead


def test_proposed_forward_points_are_unchanged(monkeypatch):
    ids = _points("forward", 2)
    before = [generate_clip(0, i) for i in ids]
    _use_proposed(monkeypatch)
    for i, b in zip(ids, before):
        a = generate_clip(0, i)
        np.testing.assert_array_equal(a.joints, b.joints)
        assert a.captions == b.captions
