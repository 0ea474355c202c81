"""Shifted copies of a motion, for training on (and testing against) motion that is not the corpus's.

Pure functions on joints (T, 22, 3), Y-up metres; each returns a new float64 array and leaves its
input alone. What they model: a different playing speed (`time_warp`), a window of a longer take
(`crop`), capture jitter (`add_noise`) and a body of other proportions (`reproportion`). Put the
result through `retarget.retarget` to see what the import path makes of it.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .retarget import resample
from .skeleton import JOINT_NAMES, LEFT_FOOT, N_JOINTS, PARENTS, RIGHT_FOOT

# Bone groups, by the joint at the bone's far end (BONE_LENGTHS[j] is parent(j) -> j).
BONE_GROUPS: dict[str, tuple[int, ...]] = {
    "hips": (1, 2), "thigh": (4, 5), "shin": (7, 8), "foot": (10, 11),
    "spine": (3, 6, 9), "neck": (12,), "head": (15,), "collar": (13, 14),
    "shoulder": (16, 17), "upper_arm": (18, 19), "forearm": (20, 21),
}
# Other bodies as bone-length factors against HumanML3D's reference skeleton: "all" first, then
# per group. Rough, stylised proportions for augmentation (not measurements of those rigs):
# CMU subjects are taller adults with long legs and a short lower back; Mixamo characters are
# about 1.8 m with long limbs, narrow hips and a short neck; a child of about 1.2 m has a big head.
BODIES: dict[str, dict[str, float]] = {
    "cmu": {"all": 1.08, "thigh": 1.12, "shin": 1.10, "spine": 0.92, "hips": 0.85, "neck": 1.1},
    "mixamo": {"all": 1.10, "hips": 0.90, "thigh": 1.12, "shin": 1.12, "spine": 1.05, "neck": 0.7,
               "head": 1.2, "collar": 0.8, "shoulder": 1.2, "upper_arm": 1.08, "forearm": 1.05},
    "child": {"all": 0.70, "thigh": 0.62, "shin": 0.62, "foot": 0.65, "spine": 0.75, "neck": 0.7,
              "head": 1.0, "upper_arm": 0.68, "forearm": 0.65},
    "tall": {"all": 1.15},
    "short": {"all": 0.88},
    "long_legs": {"thigh": 1.15, "shin": 1.15},
}
_FEET = list(LEFT_FOOT + RIGHT_FOOT)


def _joints(joints: np.ndarray, min_frames: int = 1) -> np.ndarray:
    j = np.asarray(joints, dtype=np.float64)
    if j.ndim != 3 or j.shape[1:] != (N_JOINTS, 3) or len(j) < min_frames:
        raise ValueError(f"joints must be (T >= {min_frames}, {N_JOINTS}, 3), got {j.shape}")
    return j


def time_warp(joints: np.ndarray, factor: float) -> np.ndarray:
    """The clip played `factor` times as long (1.3: 30% slower, more frames; 0.7: faster, fewer).

    Linear in time at the same frame rate: T frames become floor((T - 1) * factor) + 1.
    """
    j = _joints(joints, 2)
    if not (np.isfinite(factor) and 0.05 <= factor <= 20.0):
        raise ValueError(f"time-warp factor must be within 0.05-20, got {factor}")
    return resample(j, 1.0, float(factor))


def crop(joints: np.ndarray, start: int, length: int) -> np.ndarray:
    """Frames start .. start + length - 1 (a copy); the window must lie inside the clip."""
    j = _joints(joints)
    if not (0 <= start and 1 <= length and start + length <= len(j)):
        raise ValueError(f"crop {start}+{length} does not fit a clip of {len(j)} frames")
    return j[start:start + length].copy()


def add_noise(joints: np.ndarray, rng: np.random.Generator, sigma_m: float) -> np.ndarray:
    """Independent Gaussian jitter of `sigma_m` metres on every coordinate of every joint and frame."""
    j = _joints(joints)
    if not (np.isfinite(sigma_m) and sigma_m >= 0):
        raise ValueError(f"sigma_m must be >= 0, got {sigma_m}")
    return j + rng.normal(0.0, sigma_m, size=j.shape)


def bone_scales(body: str | Mapping[str, float] | np.ndarray) -> np.ndarray:
    """Per-bone length factors (22,) from a body name (BODIES), a {group or joint name: factor} map
    ("all" for every bone) or an array of 22 factors; index 0 (the root) is 1."""
    if isinstance(body, str):
        if body not in BODIES:
            raise ValueError(f"unknown body '{body}'; use one of: {', '.join(BODIES)}")
        body = BODIES[body]
    if isinstance(body, Mapping):
        scale = np.full(N_JOINTS, float(body.get("all", 1.0)))
        for key, factor in body.items():
            if key == "all":
                continue
            if key in BONE_GROUPS:
                idx = list(BONE_GROUPS[key])
            elif key in JOINT_NAMES and key != "pelvis":
                idx = [JOINT_NAMES.index(key)]
            else:
                raise ValueError(f"unknown bone group or joint '{key}'")
            scale[idx] *= float(factor)
    else:
        scale = np.asarray(body, dtype=np.float64).copy()
        if scale.shape != (N_JOINTS,):
            raise ValueError(f"bone scales must be ({N_JOINTS},), got {scale.shape}")
    if not (np.isfinite(scale).all() and (scale[1:] > 0).all()):
        raise ValueError("bone scales must be positive")
    scale[0] = 1.0
    return scale


def reproportion(joints: np.ndarray, body: str | Mapping[str, float] | np.ndarray) -> np.ndarray:
    """The same motion on a body whose bones are `bone_scales(body)` times as long.

    Every bone keeps its direction; the root's path is scaled by the change in leg length (so strides
    fit the new legs) and the clip is shifted up or down to keep its lowest foot joint where it was.
    """
    j = _joints(joints)
    scale = bone_scales(body)
    out = np.zeros_like(j)
    legs = (4, 5, 7, 8)  # hip -> knee and knee -> ankle, both sides
    old_leg = sum(np.linalg.norm(j[:, k] - j[:, PARENTS[k]], axis=-1) for k in legs)
    ratio = float(np.median(sum(scale[k] * np.linalg.norm(j[:, k] - j[:, PARENTS[k]], axis=-1) for k in legs)
                            / np.maximum(old_leg, 1e-12)))
    out[:, 0] = j[:, 0] * ratio
    for k in range(1, N_JOINTS):
        out[:, k] = out[:, PARENTS[k]] + scale[k] * (j[:, k] - j[:, PARENTS[k]])
    out[..., 1] += j[:, _FEET, 1].min() - out[:, _FEET, 1].min()
    return out
