"""One clip of the built-in corpus, regenerated from (seed, index) alone.

The action is chosen by index (so every action appears evenly), the rest (proportions, timing,
amplitudes, mirroring, an occasional second action) by a random generator seeded with both
numbers. Mirrored clips are mirrored in motion and caption together.

Variety (style.py, drawn from its own generator seeded with both numbers): the tracks are
resampled in time (tempo), padded with idle standing, scaled in amplitude and given joint noise
and sway before forward kinematics; afterwards the clip is cut (idle lead-in / tail, and into
the action where style.cut_policy allows it) and put back into the canonical frame (root at the
origin, facing +Z at frame 0, floor at the lowest joint).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...motion.features import canonicalize
from ...motion.skeleton import MIRROR
from .actions import ACTIONS, Ctx
from .captions import make_captions, tokens
from .kinematics import Body, concat_tracks, keep_reach, mirror_joints, pad_tracks, place_after, pose_to_joints, resample_tracks
from .style import (DEFAULT_STYLE, Style, active_span, add_noise_and_sway, choose_cut, cut_policy, pad_lengths,
                    sample_clip_style, scale_amplitude, tempo_factor)

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


def _styled_joints(tracks, body: Body, look, parts: list[tuple[str, dict]], family: str) -> np.ndarray:
    """Tempo, idle padding, amplitude, noise and sway on the tracks; FK; the cut; canonical frame."""
    # the most restrictive part decides (the factor closest to 1)
    speed = min((tempo_factor(look, ACTIONS[p].family, ACTIONS[p].group, prm) for p, prm in parts),
                key=lambda f: abs(f - 1.0))
    n_new = int(round((tracks.n - 1) / speed)) + 1
    n_new = min(n_new, max(MAX_FRAMES, tracks.n))  # never longer than 10 s because of the tempo
    tracks = resample_tracks(tracks, n_new)
    lead, tail = pad_lengths(look, tracks.n)
    span = (0, tracks.n + lead + tail)
    if look.crop:  # idle measured on the clean motion (before the padding, which is idle anyway)
        a0, a1 = active_span(pose_to_joints(tracks, body))
        span = (a0 + lead, a1 + lead)
    tracks = pad_tracks(tracks, lead, tail)
    scale_amplitude(tracks, look)
    add_noise_and_sway(tracks, look)
    keep_reach(tracks, body)  # the pelvis sway must not pull a planted foot off its spot
    joints = pose_to_joints(tracks, body)
    start, stop = choose_cut(look, len(joints), span, cut_policy(parts, family))
    return canonicalize(joints[start:stop]).astype(np.float64)


def clip_id(index: int) -> str:
    return f"{index:06d}"


def generate_clip(seed: int, index: int, style: Style = DEFAULT_STYLE) -> Clip:
    """The clip number `index` of the corpus with this seed; deterministic from the pair alone."""
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, int(index)])
    look = sample_clip_style(style, np.random.default_rng([int(seed) & 0xFFFFFFFF, int(index), 0x57E1]))
    look = look if style.amount > 0 else None
    name = ACTION_NAMES[(index + seed) % len(ACTION_NAMES)]
    act = ACTIONS[name]
    body = Body.sample(rng)
    ctx = Ctx(rng, body, look=look)
    tracks = act.build(ctx)
    parts = [(name, dict(ctx.params))]
    if act.ends_standing and rng.random() < COMPOSE_SHARE:
        second = str(rng.choice([f for f in FOLLOW_UPS if f != name]))
        ctx2 = Ctx(rng, body, look=look)
        tr2 = ACTIONS[second].build(ctx2)
        if tracks.n + tr2.n - 8 <= MAX_FRAMES:
            tracks = concat_tracks(tracks, place_after(tracks, tr2))
            parts.append((second, dict(ctx2.params)))
    if look is None:
        joints = pose_to_joints(tracks, body)
    else:
        joints = _styled_joints(tracks, body, look, parts, act.family)
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


def captions_for_corpus(n_clips: int = 5000, seed: int = 0) -> set[str]:
    """Every caption of the built-in corpus (n_clips, seed), without writing anything.

    Captions are drawn from the same per-clip generator as the motion, so this regenerates each
    clip (about 2 ms: the kinematics are cheap; the 1.5 min of `motion-studio corpus` is writing
    files and statistics)."""
    return {c for i in range(n_clips) for c in generate_clip(seed, i).captions}
