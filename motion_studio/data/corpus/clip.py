"""One clip of the built-in corpus, regenerated from (seed, index) alone.

The action is chosen by index (so every action appears evenly), the rest (proportions, timing,
amplitudes, mirroring, an occasional second action) by a random generator seeded with both
numbers. Mirrored clips are mirrored in motion and caption together.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...motion.skeleton import MIRROR
from .actions import ACTIONS, Ctx
from .captions import make_captions, tokens
from .kinematics import Body, concat_tracks, mirror_joints, place_after, pose_to_joints

ACTION_NAMES: tuple[str, ...] = tuple(ACTIONS)
FAMILIES: tuple[str, ...] = ("jumping", "arms", "walking", "gestures", "sitstand", "base")
COMPOSE_SHARE = 0.12  # of clips whose action can be followed by a second one
MAX_FRAMES = 200  # 10 s at 20 fps
# Short actions that read well as the second half of "does X and then Y".
FOLLOW_UPS = ("wave", "clap", "bow", "point", "salute", "shrug", "thumbs_up", "nod", "raise_arm",
              "raise_both_arms", "stretch_up", "spread_arms", "jump_in_place", "turn_around", "sit_down")


@dataclass
class Clip:
    clip_id: str
    joints: np.ndarray  # (T, 22, 3) float32, floor at the lowest joint, starts at the origin facing +Z
    captions: list[str]
    tokens: list[str]  # per caption, HumanML3D's "word/POS word/POS ..." string
    action: str
    family: str
    group: str
    mirrored: bool
    params: dict = field(default_factory=dict)
    lengths: np.ndarray | None = None  # bone lengths (22,) of this clip's body, after mirroring
    parts: list[str] = field(default_factory=list)  # the actions in order (two for a composition)

    @property
    def seconds(self) -> float:
        return len(self.joints) / 20.0


def clip_id(index: int) -> str:
    return f"{index:06d}"


def generate_clip(seed: int, index: int) -> Clip:
    """The clip number `index` of the corpus with this seed; deterministic from the pair alone."""
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, int(index)])
    name = ACTION_NAMES[(index + seed) % len(ACTION_NAMES)]
    act = ACTIONS[name]
    body = Body.sample(rng)
    ctx = Ctx(rng, body)
    tracks = act.build(ctx)
    parts = [(name, dict(ctx.params))]
    if act.ends_standing and rng.random() < COMPOSE_SHARE:
        second = str(rng.choice([f for f in FOLLOW_UPS if f != name]))
        ctx2 = Ctx(rng, body)
        tr2 = ACTIONS[second].build(ctx2)
        if tracks.n + tr2.n - 8 <= MAX_FRAMES:
            tracks = concat_tracks(tracks, place_after(tracks, tr2))
            parts.append((second, dict(ctx2.params)))
    joints = pose_to_joints(tracks, body)
    joints[..., 1] -= joints[..., 1].min()  # HumanML3D's floor: the clip's lowest joint
    joints[..., [0, 2]] -= joints[0, 0, [0, 2]]  # and the root starts above the origin
    mirrored = bool(rng.random() < 0.5)
    lengths = body.lengths.copy()
    if mirrored:
        joints = mirror_joints(joints)
        lengths = lengths[list(MIRROR)]
    captions = make_captions(parts, mirrored, rng)
    params = dict(parts[0][1])
    if len(parts) > 1:
        params["then"] = parts[1][0]
    return Clip(clip_id=clip_id(index), joints=joints.astype(np.float32), captions=captions,
                tokens=[" ".join(tokens(c)) for c in captions], action=name, family=act.family,
                group=act.group, mirrored=mirrored, params=params, lengths=lengths,
                parts=[p[0] for p in parts])
