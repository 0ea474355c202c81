"""BVH in and out (`bvh_read`, `bvh_write`); this module keeps the old import path working."""
from __future__ import annotations

from .bvh_read import (  # noqa: F401
    MAX_BVH_BYTES,
    MAX_DEPTH,
    MAX_SECONDS,
    SPINE_FRACTIONS,
    UNITS,
    BvhClip,
    BvhJoint,
    _pick_units,
    _up_rotation,
    axis_rotation,
    forward_kinematics,
    map_joints,
    parse_bvh,
    read_bvh,
    split_side,
)
from .bvh_write import (  # noqa: F401
    RIG_NAMES,
    Y_UP_TO_Z_UP,
    global_rotations,
    kabsch,
    matrix_to_euler_zxy,
    rest_offsets,
    write_bvh,
)
from .retarget import resample  # noqa: F401
from .skeleton import REFERENCE_HEIGHT_M  # noqa: F401

__all__ = [
    "BvhClip", "BvhJoint", "RIG_NAMES", "axis_rotation", "forward_kinematics", "global_rotations", "kabsch",
    "map_joints", "matrix_to_euler_zxy", "parse_bvh", "read_bvh", "resample", "rest_offsets", "split_side",
    "write_bvh",
]
