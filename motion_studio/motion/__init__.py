"""The motion layer: the skeleton, the Motion object, HumanML3D features and motion files.

Light on purpose: importing it pulls in numpy only (torch is imported inside the functions that need it).
"""
from .bvh import read_bvh, write_bvh
from .features import (
    FEATURE_GROUPS,
    canonicalize,
    contacts_from_features,
    denormalize,
    features_to_joints,
    features_to_joints_torch,
    foot_contacts,
    joints_to_features,
    mean_std,
    normalize,
    root_yaw_rate,
)
from .formats import convert, describe, load_motion, save_motion
from .motion import Motion
from .retarget import retarget
from .skeleton import body_height

__all__ = [
    "FEATURE_GROUPS", "Motion", "body_height", "canonicalize", "contacts_from_features", "convert",
    "denormalize", "describe", "features_to_joints", "features_to_joints_torch", "foot_contacts",
    "joints_to_features", "load_motion", "mean_std", "normalize", "read_bvh", "root_yaw_rate",
    "retarget", "save_motion", "write_bvh",
]
