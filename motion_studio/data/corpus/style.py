"""Variety for the built-in corpus: tempo, amplitude, asymmetry, noise, sway, step length, cuts.

Real motion capture is not as clean and regular as forward kinematics: people move faster and
slower, raise an arm higher or lower (and the left not quite like the right), sway while they
stand, wander a little off a straight line, and clips start and stop wherever the annotator cut
them. This module holds all of that in one place.

`Style` is the setting: `amount` scales every knob at once (0 = the clean corpus of version 1,
1 = the default variety, 2 = twice as wild); the other fields say what "1" means.
`sample_clip_style` draws one clip's values from a random generator; the functions below apply
them to pose tracks (before forward kinematics) or pick the frames to keep (after it). Every
function is a pure function of its inputs, so clips stay deterministic by (seed, index).

What keeps captions true:
- tempo is limited where speed is part of the meaning: jumps follow gravity (small range), walks
  whose caption states a pace stay inside their pace band (see TEMPO_PACED);
- cuts never remove a counted repetition, a turn or a sit/stand end state: for those actions
  only the idle lead-in and tail can go (`cut_policy`), and idle is measured on the clean motion;
- amplitude only scales how far arms and trunk move, never which arm or which way.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ...motion.skeleton import FPS
from .kinematics import SIDES, Tracks



@dataclass(frozen=True)
class Style:
    """How much the corpus varies. `amount` multiplies every range below (0 turns variety off)."""

    amount: float = 1.0
    tempo: float = 0.30  # whole-clip speed factor in [1 - tempo, 1 + tempo]
    tempo_jump: float = 0.10  # jumps: flight time must still look like gravity
    tempo_paced: float = 0.05  # walks whose caption says slow / normal / fast: keep the pace bands apart
    tempo_run: float = 0.15
    amplitude: float = 0.20  # arm raise, trunk lean, jump height and distance scaled by 1 +- this
    asymmetry: float = 0.08  # left and right arm amplitude differ by up to this
    step: float = 0.15  # gait stride scaled by 1 +- this (cadence follows)
    facing_drift: float = 0.15  # radians: slow wander of a walk's direction (0 at frame 0)
    joint_noise: float = 0.025  # radians (~1.4 deg): smooth noise on spine, head, arm angles, knee direction
    sway: float = 0.045  # radians (~2.6 deg): slow idle sway of trunk and head
    pelvis_sway: float = 0.012  # metres: slow horizontal sway of the pelvis (feet stay planted: legs are IK)
    crop: float = 0.75  # share of clips with their idle lead-in / tail cut (all or part of it)
    cut_into: float = 0.5  # share of the cut clips that are cut into the action, where allowed
    pad: float = 0.3  # share of clips given extra idle standing before / after the action
    min_seconds: float = 1.0
    max_seconds: float = 10.0

    def scaled(self, amount: float) -> "Style":
        return replace(self, amount=float(amount))


DEFAULT_STYLE = Style()


@dataclass(frozen=True)
class ClipStyle:
    """One clip's draw from a Style (all factors 1 / offsets 0 with amount 0)."""

    speed: float  # tempo in [-1, 1] units of the action's tempo range (see tempo_factor)
    amp: float  # overall amplitude factor
    amp_side: tuple[float, float]  # (left, right) arm amplitude factors
    step: float  # stride factor
    drift: float  # facing drift amplitude, radians (signed)
    drift_freq: float  # Hz
    crop: bool
    cut_into: bool
    pad: bool
    u: tuple[float, ...]  # uniform numbers for the cut and pad choices
    noise_seed: int
    amount: float
    style: Style


def sample_clip_style(style: Style, rng: np.random.Generator) -> ClipStyle:
    """Draw one clip's style; uses a fixed number of draws from rng."""
    a = style.amount
    r = rng.uniform(-1.0, 1.0, size=6)
    u = tuple(float(x) for x in rng.random(8))
    amp = 1.0 + a * style.amplitude * r[1]
    asym = a * style.asymmetry * r[2] / 2
    return ClipStyle(speed=float(r[0]), amp=float(amp), amp_side=(float(amp * (1 + asym)), float(amp * (1 - asym))),
                     step=float(1.0 + a * style.step * r[3]), drift=float(a * style.facing_drift * r[4]),
                     drift_freq=float(0.05 + 0.1 * abs(r[5])),
                     crop=bool(u[0] < min(1.0, a * style.crop)), cut_into=bool(u[1] < style.cut_into),
                     pad=bool(u[2] < min(1.0, a * style.pad)), u=u,
                     noise_seed=int(rng.integers(0, 2 ** 31 - 1)), amount=float(a), style=style)


# ----------------------------------------------------------------------------- per action rules
CONTINUOUS = frozenset({"walk_forward", "walk_slow", "walk_fast", "walk_backward", "walk_sideways", "walk_zigzag",
                        "walk_circle", "run_forward", "run_circle", "jog_in_place", "dance", "wave", "balance"})
HOLDS = frozenset({"raise_both_arms", "stretch_up", "reach_forward", "reach_side", "spread_arms", "point", "salute",
                   "thumbs_up", "bow", "crouch"})


def tempo_factor(cs: ClipStyle, family: str, group: str, params: dict) -> float:
    """Speed factor (>1 faster) for an action: the clip's draw within the action's allowed range."""
    st = cs.style
    if family == "jumping":
        rng_ = st.tempo_jump
    elif "pace" in params:
        rng_ = st.tempo_paced
    elif group == "running":
        rng_ = st.tempo_run
    else:
        rng_ = st.tempo
    return 1.0 + cs.amount * rng_ * cs.speed


def cut_policy(parts: list[tuple[str, dict]], family: str) -> float:
    """Largest share of the active span that may be cut off at each end (0: idle only)."""
    if len(parts) > 1:
        return 0.0
    name, params = parts[0]
    if "count" in params or "turn" in params or family == "sitstand":
        return 0.0
    if name in CONTINUOUS:
        return 0.3
    if name in HOLDS:
        return 0.12
    return 0.0


# ----------------------------------------------------------------------------- noise
def smooth_noise(rng: np.random.Generator, n: int, f_lo: float, f_hi: float, k: int = 3) -> np.ndarray:
    """Sum of k random sinusoids in [f_lo, f_hi] Hz, normalised to peak ~1 (cheap, smooth, band-limited)."""
    t = np.arange(n) / FPS
    f = rng.uniform(f_lo, f_hi, size=k)
    ph = rng.uniform(0, 2 * np.pi, size=k)
    w = rng.uniform(0.5, 1.0, size=k)
    x = (w[:, None] * np.sin(2 * np.pi * f[:, None] * t[None] + ph[:, None])).sum(0)
    return x / w.sum()


def drift_curve(distance: np.ndarray, amplitude: float, freq: float, phase: float) -> np.ndarray:
    """A slow wander of direction along the distance walked (metres per frame, cumulative), 0 at
    the start; it advances only while the body moves (at 1.2 m/s its frequency is `freq` Hz), so a
    walker who has stopped does not keep turning (which would make the gait take extra steps)."""
    return amplitude * (np.sin(2 * np.pi * freq * distance / 1.2 + phase) - np.sin(phase))


# ----------------------------------------------------------------------------- tracks
def scale_amplitude(tr: Tracks, cs: ClipStyle) -> None:
    """Arms and trunk move further or less far from where they start (per side for the arms)."""
    for side, a in zip(SIDES, cs.amp_side):
        arm = tr.arms[side]
        arm.elev = np.clip(arm.elev[0] + (arm.elev - arm.elev[0]) * a, -1.3, 3.1)
    tr.lean = tr.lean[0] + (tr.lean - tr.lean[0]) * cs.amp


def add_noise_and_sway(tr: Tracks, cs: ClipStyle) -> None:
    """Small smooth joint noise everywhere above the legs, slow sway of trunk, head and pelvis."""
    st, a, n = cs.style, cs.amount, tr.n
    if a <= 0:
        return
    rng = np.random.default_rng(cs.noise_seed)
    jn, sw = a * st.joint_noise, a * st.sway

    def noise(scale, lo=0.3, hi=1.2):
        return scale * smooth_noise(rng, n, lo, hi)

    tr.lean = tr.lean + noise(jn) + noise(sw, 0.08, 0.3)
    tr.side_bend = tr.side_bend + noise(jn) + noise(sw, 0.08, 0.3)
    tr.twist = tr.twist + noise(jn) + noise(0.7 * sw, 0.08, 0.3)
    tr.head_pitch = tr.head_pitch + noise(jn) + noise(sw, 0.1, 0.35)
    tr.head_yaw = tr.head_yaw + noise(1.5 * jn) + noise(1.5 * sw, 0.05, 0.25)
    for side in SIDES:
        arm = tr.arms[side]
        arm.elev = arm.elev + noise(jn)
        arm.plane = arm.plane + noise(1.5 * jn)
        arm.flex = np.maximum(arm.flex + noise(1.5 * jn), 0.0)
    knee = tr.knee_out if tr.knee_out is not None else np.zeros(n)
    tr.knee_out = knee + noise(jn)
    ps = a * st.pelvis_sway
    tr.root = tr.root + np.stack([ps * smooth_noise(rng, n, 0.08, 0.3), np.zeros(n),
                                  0.6 * ps * smooth_noise(rng, n, 0.08, 0.3)], -1)


def pad_lengths(cs: ClipStyle, n: int) -> tuple[int, int]:
    """Extra idle frames before and after an n-frame clip (0, 0 unless the clip is padded)."""
    max_n = int(cs.style.max_seconds * FPS)
    if not cs.pad or n >= max_n:
        return 0, 0
    extra = int(cs.u[3] * (max_n - n))
    lead = int(extra * cs.u[4])
    return lead, extra - lead


def active_span(joints: np.ndarray, threshold: float = 0.08) -> tuple[int, int]:
    """First and last frame where some joint moves faster than `threshold` m/s (idle = slower)."""
    v = np.linalg.norm(np.diff(joints, axis=0), axis=-1).max(1) * FPS
    on = np.nonzero(v > threshold)[0]
    if len(on) == 0:
        return 0, len(joints) - 1
    return int(on[0]), int(on[-1]) + 1


def choose_cut(cs: ClipStyle, n: int, span: tuple[int, int], into: float) -> tuple[int, int]:
    """(start, stop) frames to keep: idle cut where the clip is cropped, and a little of the action
    where the action allows it (`into` share of the active span at most); at least min_seconds."""
    st = cs.style
    min_n, max_n = int(round(st.min_seconds * FPS)), int(round(st.max_seconds * FPS))
    a0, a1 = span
    start, stop = 0, n
    if cs.crop:
        start = int(a0 * cs.u[5])
        stop = n - int((n - a1) * cs.u[6])
        if cs.cut_into and into > 0:
            cut = int(into * (a1 - a0) * cs.u[7])
            if cs.u[7] < 0.5:
                start = a0 + cut
            else:
                stop = a1 - cut
    stop = min(stop, start + max_n)
    if stop - start < min_n:  # grow back symmetrically towards the full clip
        need = min_n - (stop - start)
        start = max(0, start - (need + 1) // 2)
        stop = min(n, start + max(min_n, stop - start))
        start = max(0, stop - min_n) if stop - start < min_n else start
    return start, stop
