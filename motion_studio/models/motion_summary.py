"""The motion router's input, and names for its numbers.

`motion_summary` turns the motion the frozen VQ-VAE decodes from a clip's tokens into 548 numbers:
per channel over time the mean, spread, 10th and 90th percentile of the root motion, the joint
positions, the joint velocities and the foot contacts. `SUMMARY_NAMES` / `SUMMARY_PARTS` say in
plain words what each number is ("left wrist height (spread)", part "left wrist position"), so
`least_familiar` can tell a user which body parts made an expert's autoencoder reject a motion.
"""
from __future__ import annotations

import numpy as np
from torch import Tensor

from ..motion import features as F
from ..motion.skeleton import JOINT_NAMES

SUMMARY_CHANNELS = np.r_[F.ROOT_ROT_VEL.start:F.ROOT_Y.stop, F.RIC, F.LOCAL_VEL, F.CONTACTS]
SUMMARY_STATS = ("mean", "std", "p10", "p90")
MOTION_STATS_DIM = len(SUMMARY_STATS) * len(SUMMARY_CHANNELS)
_STATS = {"mean": lambda f: f.mean(0), "std": lambda f: f.std(0), "min": lambda f: f.min(0), "max": lambda f: f.max(0),
          "p10": lambda f: np.percentile(f, 10, axis=0), "p90": lambda f: np.percentile(f, 90, axis=0)}


def motion_summary(feats: np.ndarray, stats: tuple[str, ...] = SUMMARY_STATS) -> np.ndarray:
    """(T, 263) motion features -> per channel over time: mean, spread, 10th and 90th percentile of
    the root channels, joint positions, joint velocities and foot contacts (4 x 137 numbers).
    Rotations are left out: the positions carry the same pose, and with all 263 channels fewer
    clips route right (3-fold CV over train clips 98.4 vs 99.1 %, mostly gestures). The percentiles say how far an arm or the root goes, which a mean blurs (reaching
    out to the side and pointing differ there; scripts/router_m2t_input_sweep.py measures it)."""
    f = np.asarray(feats, dtype=np.float64)[:, SUMMARY_CHANNELS]
    return np.concatenate([_STATS[s](f) for s in stats]).astype(np.float32)


_PLAIN = {"spine1": "lower back", "spine2": "middle back", "spine3": "chest", "left_foot": "left toes",
          "right_foot": "right toes", "left_collar": "left collarbone", "right_collar": "right collarbone"}
_STAT_WORDS = {"mean": "average", "std": "spread", "p10": "low end", "p90": "high end", "min": "lowest", "max": "highest"}


def _joint(j: int) -> str:
    return _PLAIN.get(JOINT_NAMES[j], JOINT_NAMES[j].replace("_", " "))


_ROOT = {0: ("turning speed", "turning"), 1: ("sideways speed", "travel speed"), 2: ("forward speed", "travel speed"),
         3: ("pelvis height", "pelvis height")}


def _describe(c: int) -> tuple[str, str]:
    """(name, part) of feature channel c of the 263, e.g. ('left wrist height', 'left wrist position')."""
    if c in _ROOT:
        return _ROOT[c]
    if F.RIC.start <= c < F.RIC.stop:  # joints 1..21 relative to the pelvis, facing +Z
        j, axis = divmod(c - F.RIC.start, 3)
        joint = _joint(j + 1)
        return f"{joint} {('side-to-side position', 'height', 'forward position')[axis]}", f"{joint} position"
    if F.LOCAL_VEL.start <= c < F.LOCAL_VEL.stop:
        j, axis = divmod(c - F.LOCAL_VEL.start, 3)
        joint = _joint(j)
        return f"{joint} {('side-to-side', 'up-down', 'forward-back')[axis]} speed", f"{joint} speed"
    if F.CONTACTS.start <= c < F.CONTACTS.stop:
        foot = ("left heel", "left toes", "right heel", "right toes")[c - F.CONTACTS.start]
        return f"{foot} on the ground", "foot contacts"
    return f"feature {c}", f"feature {c}"


def channel_name(c: int) -> str:
    """Plain words for feature channel c of the 263: 'left wrist height', 'forward speed', ..."""
    return _describe(c)[0]


def channel_part(c: int) -> str:
    """The body part and kind a channel belongs to ('left wrist position', 'left wrist speed', ...):
    explanations add up a part's channels, whose axes and statistics one by one say little."""
    return _describe(c)[1]


SUMMARY_NAMES = tuple(f"{channel_name(int(c))} ({_STAT_WORDS[s]})" for s in SUMMARY_STATS for c in SUMMARY_CHANNELS)
SUMMARY_PARTS = tuple(channel_part(int(c)) for _ in SUMMARY_STATS for c in SUMMARY_CHANNELS)


def least_familiar(router, x: Tensor, expert: str, top: int = 3) -> list[tuple[str, float]]:
    """The body parts of motion x that make up most of `expert`'s reconstruction error, with their
    share of it ('left wrist position', 0.43): why a motion is a near miss. A small largest share
    means no part stands out: the motion is unlike the task as a whole."""
    parts = router.error_parts(x, expert)[0].tolist()
    share: dict[str, float] = {}
    for name, value in zip(SUMMARY_PARTS, parts):
        share[name] = share.get(name, 0.0) + value
    return sorted(share.items(), key=lambda kv: -kv[1])[:top]
