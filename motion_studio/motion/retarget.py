"""Any 22-joint clip onto HumanML3D's one skeleton: the "uniform skeleton" step of its pipeline.

HumanML3D recovers joint rotations from positions by inverse kinematics and runs forward kinematics
with the reference skeleton's offsets. Along a kinematic chain that is exactly: keep every bone's
direction, give it the reference length, and chain the bones from the root. `retarget` does that
directly (no rotations are needed for positions), then

- scales the root trajectory by reference leg length / the clip's leg length (HumanML3D's
  `uniform_skeleton` does the same), so a standing pelvis ends at the reference standing height
  (about 0.84 m) and a long-legged walker covers proportionally less ground;
- puts the clip where HumanML3D puts it (`features.canonicalize`): the lowest foot joint over the
  clip on y=0 (jumps only lift the feet, so the minimum over the clip is the floor), the root at
  x=z=0 at frame 0, facing +Z with the person's left towards +X;
- resamples any frame rate to 20 fps first (linear in time), so the lengths are fixed afterwards.

Pure numpy functions; inputs are Y-up and in metres (BVH units and axes are sorted out on reading).
"""
from __future__ import annotations

import math

import numpy as np

from .features import canonicalize
from .skeleton import BONE_LENGTHS, FPS, N_JOINTS, PARENTS, REST_OFFSETS

# (hip, knee, ankle) per side; the leg length is hip -> knee -> ankle along the bones.
_LEGS: tuple[tuple[int, int, int], ...] = ((1, 4, 7), (2, 5, 8))
REFERENCE_LEG_M: float = float(np.mean([BONE_LENGTHS[k] + BONE_LENGTHS[a] for _, k, a in _LEGS]))
_REST_DIRS = REST_OFFSETS / np.maximum(np.linalg.norm(REST_OFFSETS, axis=1, keepdims=True), 1e-12)


def _check(joints: np.ndarray) -> np.ndarray:
    joints = np.asarray(joints, dtype=np.float64)
    if joints.ndim != 3 or joints.shape[1:] != (N_JOINTS, 3) or len(joints) < 1:
        raise ValueError(f"joints must be (T, {N_JOINTS}, 3) with T >= 1, got {joints.shape}")
    return joints


def resample(positions: np.ndarray, source_fps: float, target_fps: float = FPS) -> np.ndarray:
    """Linear resampling in time; the output spans the same duration, starting at frame 0.

    T frames at `source_fps` last (T-1)/source_fps seconds and give floor(duration * target_fps) + 1
    frames (30 fps x 31 frames -> 20 fps x 21 frames).
    """
    positions = np.asarray(positions)
    n_in = len(positions)
    if not (source_fps > 0 and target_fps > 0):
        raise ValueError(f"frame rates must be positive, got {source_fps} -> {target_fps}")
    if n_in < 2 or abs(source_fps - target_fps) < 1e-9:
        return positions.copy()
    duration = (n_in - 1) / source_fps
    n_out = int(math.floor(duration * target_fps + 1e-3)) + 1  # frame times are printed rounded
    x = np.arange(n_out) * (source_fps / target_fps)
    lo = np.clip(np.floor(x).astype(int), 0, n_in - 2)
    t = np.clip(x - lo, 0.0, 1.0).reshape((-1,) + (1,) * (positions.ndim - 1))
    return (1 - t) * positions[lo] + t * positions[lo + 1]


def leg_length(joints: np.ndarray) -> float:
    """Hip -> knee -> ankle along the bones, mean of both legs, median over frames (joints' units)."""
    j = _check(joints)
    per_side = [np.linalg.norm(j[:, k] - j[:, h], axis=-1) + np.linalg.norm(j[:, a] - j[:, k], axis=-1)
                for h, k, a in _LEGS]
    return float(np.median(0.5 * (per_side[0] + per_side[1])))


def bone_directions(joints: np.ndarray) -> np.ndarray:
    """Unit vectors (T, 22, 3) from each joint's parent to the joint; row 0 is zero.

    A bone of zero length (two joints on top of each other) has no direction: it takes the one from
    the nearest frame where it has one, or the rest pose's when it never has.
    """
    j = _check(joints)
    par = np.array(PARENTS[1:])
    bones = j[:, 1:] - j[:, par]
    norm = np.linalg.norm(bones, axis=-1, keepdims=True)
    dirs = np.zeros_like(j)
    dirs[:, 1:] = bones / np.maximum(norm, 1e-12)
    bad = norm[..., 0] < 1e-9
    for col in np.flatnonzero(bad.any(axis=0)):
        good = np.flatnonzero(~bad[:, col])
        if len(good) == 0:
            dirs[:, col + 1] = _REST_DIRS[col + 1]
        else:
            frames = np.flatnonzero(bad[:, col])
            nearest = good[np.abs(good[None, :] - frames[:, None]).argmin(axis=1)]
            dirs[frames, col + 1] = dirs[nearest, col + 1]
    return dirs


def rechain(directions: np.ndarray, root: np.ndarray, lengths: np.ndarray = BONE_LENGTHS) -> np.ndarray:
    """Forward kinematics on bone directions: joint = parent + length * direction, from the root."""
    out = np.zeros(directions.shape, dtype=np.float64)
    out[:, 0] = root
    for j in range(1, N_JOINTS):  # parents come before children in PARENTS
        out[:, j] = out[:, PARENTS[j]] + lengths[j] * directions[:, j]
    return out


def retarget(joints: np.ndarray, fps: float = FPS, lengths: np.ndarray = BONE_LENGTHS) -> np.ndarray:
    """Joints (T, 22, 3) at `fps`, Y-up metres, of any proportions -> (T', 22, 3) float32 on the reference
    skeleton at 20 fps, floor at y=0, frame 0's root at x=z=0 facing +Z.

    `lengths` (22,) are the target bone lengths (default: HumanML3D's reference skeleton).
    """
    j = resample(_check(joints), float(fps), FPS)
    lengths = np.asarray(lengths, dtype=np.float64)
    source_leg = leg_length(j)
    target_leg = float(np.mean([lengths[k] + lengths[a] for _, k, a in _LEGS]))
    scale = target_leg / source_leg if source_leg > 1e-9 else 1.0
    out = rechain(bone_directions(j), j[:, 0] * scale, lengths)
    return canonicalize(out)
