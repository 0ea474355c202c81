"""The HumanML3D skeleton as data: 22 SMPL joints, Y-up, metres, 20 fps.

Everything that needs to know the body (features, formats, the corpus, the player)
reads it from here, so the skeleton lives in exactly one place.
"""
from __future__ import annotations

import numpy as np

FPS: float = 20.0
N_JOINTS: int = 22
FEATURE_DIM: int = 263
# Skeleton height (see `body_height`) of HumanML3D's reference body, metres.
REFERENCE_HEIGHT_M: float = 1.47

JOINT_NAMES: tuple[str, ...] = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee",
    "spine2", "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot",
    "neck", "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist",
)

# Chains from the root outwards: right leg, left leg, spine+head, right arm, left arm.
KINEMATIC_CHAIN: tuple[tuple[int, ...], ...] = (
    (0, 2, 5, 8, 11),
    (0, 1, 4, 7, 10),
    (0, 3, 6, 9, 12, 15),
    (9, 14, 17, 19, 21),
    (9, 13, 16, 18, 20),
)

PARENTS: tuple[int, ...] = (
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19,
)

# Unit bone directions HumanML3D uses for inverse kinematics (the 6D rotation channels
# are rotations that take these directions onto the observed bones). +X is the body's left.
RAW_OFFSETS = np.array(
    [
        [0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, -1, 0],
        [0, 1, 0], [0, -1, 0], [0, -1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1],
        [0, 1, 0], [1, 0, 0], [-1, 0, 0], [0, 0, 1], [0, -1, 0], [0, -1, 0],
        [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0],
    ],
    dtype=np.float64,
)

# Bone length from each joint to its parent (metres), read off HumanML3D's reference
# skeleton (clip 012314; the dataset retargets every clip to it). Index 0 is the root.
BONE_LENGTHS = np.array(
    [
        0.0, 0.1031, 0.1099, 0.1316, 0.3936, 0.3902, 0.1432, 0.4324, 0.4256, 0.0574,
        0.1434, 0.1494, 0.2194, 0.1375, 0.1434, 0.1030, 0.1316, 0.1230, 0.2568, 0.2631,
        0.2660, 0.2699,
    ],
    dtype=np.float64,
)

# A standing rest pose (arms hanging), as offsets from each joint's parent, metres.
# Directions are anatomical rather than axis-aligned (hips sit below and beside the
# pelvis, feet point forward); lengths are BONE_LENGTHS.
_REST_DIRECTIONS = np.array(
    [
        [0, 0, 0],
        [0.8, -0.6, 0.0], [-0.8, -0.6, 0.0],      # hips
        [0.0, 1.0, -0.1],                          # spine1
        [0.02, -1.0, 0.0], [-0.02, -1.0, 0.0],    # knees
        [0.0, 1.0, 0.05],                          # spine2
        [0.0, -1.0, -0.05], [0.0, -1.0, -0.05],   # ankles
        [0.0, 1.0, 0.0],                           # spine3
        [0.0, -0.45, 1.0], [0.0, -0.45, 1.0],     # toes
        [0.0, 1.0, 0.1],                           # neck
        [1.0, 0.45, 0.0], [-1.0, 0.45, 0.0],      # collars
        [0.0, 1.0, 0.35],                          # head
        [1.0, -0.15, 0.0], [-1.0, -0.15, 0.0],    # shoulders
        [0.15, -1.0, 0.0], [-0.15, -1.0, 0.0],    # elbows
        [0.05, -1.0, 0.1], [-0.05, -1.0, 0.1],    # wrists
    ],
    dtype=np.float64,
)
_norm = np.linalg.norm(_REST_DIRECTIONS, axis=1, keepdims=True)
_norm[0] = 1.0
REST_OFFSETS = _REST_DIRECTIONS / _norm * BONE_LENGTHS[:, None]

# Feet for contact detection: (ankle, toe) per side, HumanML3D's channel order left then right.
LEFT_FOOT: tuple[int, int] = (7, 10)
RIGHT_FOOT: tuple[int, int] = (8, 11)
# Joints whose across-vector defines which way the body faces: r_hip, l_hip, r_shoulder, l_shoulder.
FACE_JOINTS: tuple[int, int, int, int] = (2, 1, 17, 16)

# Which side each chain is on, for colouring and mirroring.
CHAIN_SIDES: tuple[str, ...] = ("right", "left", "spine", "right", "left")
# Joint index of each joint's mirror image (left <-> right).
MIRROR: tuple[int, ...] = tuple(
    JOINT_NAMES.index(n.replace("left_", "@").replace("right_", "left_").replace("@", "right_"))
    for n in JOINT_NAMES
)


def rest_pose(offsets: np.ndarray = REST_OFFSETS) -> np.ndarray:
    """Joint positions (22, 3) of the rest pose with the pelvis at the origin."""
    pos = np.zeros((N_JOINTS, 3))
    for j in range(1, N_JOINTS):
        pos[j] = pos[PARENTS[j]] + offsets[j]
    return pos


def bone_lengths(joints: np.ndarray) -> np.ndarray:
    """Per-frame bone lengths (..., 22) of joints (..., 22, 3); index 0 is 0."""
    par = np.array(PARENTS[1:])
    lengths = np.linalg.norm(joints[..., 1:, :] - joints[..., par, :], axis=-1)
    return np.concatenate([np.zeros_like(lengths[..., :1]), lengths], axis=-1)


def body_height(joints: np.ndarray) -> float:
    """Skeleton height in the joints' units: ankle -> knee -> hip plus pelvis -> spine -> neck -> head,
    along the bones, median over frames. Posture-independent, so a crouching or lying body measures
    the same as a standing one; 1.47 for HumanML3D's skeleton in metres."""
    j = np.asarray(joints, dtype=np.float64)

    def chain(*idx: int) -> np.ndarray:
        return sum(np.linalg.norm(j[:, a] - j[:, b], axis=-1) for a, b in zip(idx[:-1], idx[1:]))

    legs = 0.5 * (chain(7, 4, 1) + chain(8, 5, 2))
    spine = chain(0, 3, 6, 9, 12, 15)
    return float(np.median(legs + spine))
