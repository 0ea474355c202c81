"""The Motion object every layer passes around: joints plus what we know about them."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .skeleton import FPS, N_JOINTS


@dataclass
class Motion:
    """A 22-joint motion, HumanML3D conventions: Y-up, metres, (T, 22, 3) float32.

    `features` holds the 263-dim HumanML3D vectors when they are known (loaded from a
    new_joint_vecs file or decoded by the model); `contacts` the 4 foot-contact channels
    (left ankle, left toe, right ankle, right toe), computed on demand when missing.

    `original_joints` is set for motions read from a file: the joints as the file gave them, before
    retargeting (`formats.load_motion` puts `joints` on the reference skeleton, floor at y=0, facing
    +Z from the origin). Converted to metres and Y up (BVH) and resampled to `fps` so that frame i of
    both arrays is the same instant, but with the file's proportions and placement; None otherwise.
    """

    joints: np.ndarray
    fps: float = FPS
    name: str = ""
    source: str = ""  # where it came from: a path, "generated", "corpus:<id>"
    features: np.ndarray | None = None
    captions: list[str] = field(default_factory=list)  # ground-truth captions, when known
    original_joints: np.ndarray | None = None  # as loaded from the file, before retargeting

    def __post_init__(self) -> None:
        self.joints = np.asarray(self.joints, dtype=np.float32)
        if self.joints.ndim != 3 or self.joints.shape[1:] != (N_JOINTS, 3):
            raise ValueError(f"joints must be (T, {N_JOINTS}, 3), got {self.joints.shape}")
        if self.original_joints is not None:
            self.original_joints = np.asarray(self.original_joints, dtype=np.float32)
            if self.original_joints.shape != self.joints.shape:
                raise ValueError(f"original_joints must match joints {self.joints.shape}, "
                                 f"got {self.original_joints.shape}")

    @property
    def n_frames(self) -> int:
        return int(self.joints.shape[0])

    @property
    def seconds(self) -> float:
        return self.n_frames / float(self.fps)

    @property
    def contacts(self) -> np.ndarray:
        """(T, 4) bool foot contacts, from the features when present."""
        from .features import contacts_from_features, foot_contacts

        if self.features is not None and len(self.features) == self.n_frames:
            return contacts_from_features(self.features)
        return foot_contacts(self.joints)
