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
    """

    joints: np.ndarray
    fps: float = FPS
    name: str = ""
    source: str = ""  # where it came from: a path, "generated", "corpus:<id>"
    features: np.ndarray | None = None
    captions: list[str] = field(default_factory=list)  # ground-truth captions, when known

    def __post_init__(self) -> None:
        self.joints = np.asarray(self.joints, dtype=np.float32)
        if self.joints.ndim != 3 or self.joints.shape[1:] != (N_JOINTS, 3):
            raise ValueError(f"joints must be (T, {N_JOINTS}, 3), got {self.joints.shape}")

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
