"""Walking and running with planted feet.

The root path and facing come first; a gait phase advances with the distance travelled (and the
turning done), so steps lengthen and shorten with speed and stop when the body stops. Each
stance gets one plant position (under the body at mid-stance, beside the path); the ankle stays
exactly there while it is in stance and flies to the next plant in an eased arc while swinging.
The pelvis bobs and sways with the phase, arms swing against the legs, and the legs are solved
by IK afterwards, so a planted foot does not slide.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...motion.skeleton import FPS
from .kinematics import SIDES, SIGN, Body, Tracks, fit_root_height, lateral, smoothstep


@dataclass
class GaitStyle:
    stride: float  # metres per full cycle (two steps)
    duty: float  # fraction of a cycle each foot is on the floor at full speed
    lift: float  # swing clearance of the ankle, metres
    bob: float  # pelvis vertical amplitude
    sway: float  # pelvis side-to-side amplitude
    arm_swing: float  # shoulder swing amplitude, radians
    elbow: float  # elbow bend while moving
    lean: float  # forward torso lean at full speed
    width: float  # half the distance between the feet
    crouch: float  # pelvis lowered by this much while moving
    run: bool = False


def walk_style(rng: np.random.Generator, speed: float) -> GaitStyle:
    """A walk at `speed` m/s; stride follows speed the way people's does (longer when faster)."""
    stride = np.clip(0.9 + 0.4 * speed, 1.0, 1.6) * rng.uniform(0.95, 1.05)
    return GaitStyle(stride=stride, duty=0.62 - 0.03 * max(speed - 1.3, 0.0), lift=rng.uniform(0.06, 0.1), bob=rng.uniform(0.02, 0.035),
                     sway=rng.uniform(0.015, 0.03), arm_swing=rng.uniform(0.25, 0.4) * min(1.3, speed / 1.2),
                     elbow=rng.uniform(0.2, 0.45), lean=0.04 * speed, width=rng.uniform(0.08, 0.11),
                     crouch=0.03 + 0.02 * speed)


def run_style(rng: np.random.Generator, speed: float) -> GaitStyle:
    stride = speed / rng.uniform(1.3, 1.5)  # 156-180 steps per minute
    return GaitStyle(stride=stride, duty=0.36, lift=rng.uniform(0.2, 0.3), bob=rng.uniform(0.04, 0.06),
                     sway=0.01, arm_swing=rng.uniform(0.6, 0.8), elbow=rng.uniform(1.3, 1.6),
                     lean=rng.uniform(0.1, 0.17), width=rng.uniform(0.05, 0.08), crouch=0.06, run=True)


def integrate_path(speed: np.ndarray, travel_yaw: np.ndarray, start=(0.0, 0.0)) -> np.ndarray:
    """(T, 2) x, z floor positions from a speed (m/s) and travel direction per frame."""
    step = speed[:, None] * np.stack([np.sin(travel_yaw), np.cos(travel_yaw)], -1) / FPS
    step[0] = 0.0
    return np.asarray(start) + np.cumsum(step, 0)


HEEL_OFF = 0.18  # fraction of the cycle at the end of stance spent rolling onto the toes
ROLL = 0.45  # radians of heel lift at toe-off


def _heel_lift(roll: float, yaw: float, toe_len: float) -> np.ndarray:
    """Ankle offset when a flat foot pitches `roll` radians about its toe joint."""
    from .kinematics import TOE_PITCH

    up = toe_len * (np.sin(TOE_PITCH + roll) - np.sin(TOE_PITCH))
    fwd = toe_len * (np.cos(TOE_PITCH) - np.cos(TOE_PITCH + roll))
    return np.array([np.sin(yaw) * fwd, up, np.cos(yaw) * fwd])


def _angle_lerp(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    return a + (np.angle(np.exp(1j * (b - a)))) * w


def locomote(tr: Tracks, body: Body, path: np.ndarray, facing: np.ndarray, activity: np.ndarray,
             style: GaitStyle, step_lift=None, extra_cycles: np.ndarray | None = None) -> None:
    """Drive tr (in place) along `path` (T, 2) facing `facing` (T,), with planted steps.

    activity (T,) in [0, 1] scales bob, sway, arm swing and lean (0 standing, 1 full gait).
    step_lift(k) -> extra lift for step number k (stepping over something).
    extra_cycles (T,) cumulative gait cycles added to the phase (stepping on the spot).
    """
    n = tr.n
    travel = np.concatenate([[0.0], np.linalg.norm(np.diff(path, axis=0), axis=1)])
    turning = np.concatenate([[0.0], np.abs(np.angle(np.exp(1j * np.diff(facing))))])
    # shorter steps at low speed (gait initiation and stopping), full strides at full speed
    slow = 0.3 if style.run else 0.5  # stride at a standstill, as a fraction of the full stride
    phase = np.cumsum((travel + 0.3 * turning) / (style.stride * (slow + (1 - slow) * activity)))
    if extra_cycles is not None:
        phase = phase + extra_cycles
    end = phase[-1]
    target_end = np.round(end * 2) / 2 if end > 0.25 else 0.0
    phase = phase * (target_end / end) if end > 1e-9 else phase
    if target_end > 0:
        # a closing half step on the spot once the body has stopped brings the feet side by side
        moving = np.nonzero(np.diff(phase) > 1e-4)[0]
        f_stop = int(moving[-1]) + 1 if len(moving) else n - 1
        if f_stop + 4 < n:
            phase = phase + 0.5 * smoothstep((np.arange(n) - f_stop) / min(10.0, n - 1 - f_stop))
    duty = style.duty + (0.62 - style.duty) * (1 - activity) if style.run else np.full(n, style.duty)
    # begin with the left foot at toe-off and the right in early stance: both feet down, and the
    # first plants of both feet at the start position
    phase = phase + duty[0]
    phase_x = phase + 1e-7 * np.arange(n)  # strictly increasing for interpolation
    frames = np.arange(n, dtype=float)
    up = np.array([0.0, 1.0, 0.0])

    def plant(k: int, offset: float, side: str):
        """Ankle position and yaw of stance k (phase k+offset .. k+offset+duty): under the body at mid-stance."""
        d = style.duty
        for _ in range(3):  # a running stance lengthens as the runner slows down: find its middle
            mid = float(np.interp(k + offset + d / 2, phase_x, frames))  # clamps at both ends
            d = float(duty[int(round(mid))])
        i = int(round(mid))
        yaw = float(facing[i])
        pos = np.array([path[i, 0], 0.0, path[i, 1]]) + SIGN[side] * style.width * lateral(np.array([yaw]))[0]
        pos[1] = body.ankle_height(side)
        return pos, yaw + SIGN[side] * 0.1

    for side in SIDES:
        offset = 0.0 if side == "left" else -0.5
        local = phase - offset
        k = np.floor(local + 1e-9).astype(int)  # robust to rounding at whole cycles
        frac = np.maximum(local - k, 0.0)
        cache = {}

        def get(i):
            if i not in cache:
                cache[i] = plant(i, offset, side)
            return cache[i]

        ankle = np.zeros((n, 3))
        yaw = np.zeros(n)
        pitch = np.zeros(n)
        toe_len = float(body.lengths[11 if side == "right" else 10])
        for f in range(n):
            p0, y0 = get(k[f])
            if frac[f] < duty[f]:
                # heel-off over the last part of stance: roll about the planted toe
                u = (frac[f] - (duty[f] - HEEL_OFF)) / HEEL_OFF
                roll = ROLL * activity[f] * float(smoothstep(u))
                ankle[f], yaw[f], pitch[f] = p0 + _heel_lift(roll, y0, toe_len), y0, roll
                continue
            s = (frac[f] - duty[f]) / (1.0 - duty[f])
            p1, y1 = get(k[f] + 1)
            w = smoothstep(s)
            dist = np.linalg.norm(p1 - p0)
            lift = style.lift * min(1.0, 0.3 + dist / 0.3)
            if step_lift is not None:
                lift += step_lift(k[f] * 2 + (0 if side == "left" else 1))
            fade = 1.0 - float(smoothstep(s / 0.4))  # the rolled foot comes back flat early in swing
            roll = ROLL * activity[f] * fade
            ankle[f] = p0 + (p1 - p0) * w + up * lift * np.sin(np.pi * s) + _heel_lift(roll, y0, toe_len)
            yaw[f] = float(_angle_lerp(np.array(y0), np.array(y1), w))
            pitch[f] = roll - 0.25 * np.sin(np.pi * s) * (1.0 if style.run else 0.5) * (1 - fade)
        tr.feet[side].ankle, tr.feet[side].yaw, tr.feet[side].pitch = ankle, yaw, pitch

    # pelvis: follows the path, bobs, sways towards the stance foot
    cyc = 2 * np.pi * phase
    bump = 0.5 + 0.5 * np.cos(2 * cyc - 2 * np.pi * style.duty)  # 1 at mid-stance of either foot
    base = body.stand_height() - style.crouch * activity
    y = base - style.bob * activity * (1 - bump) if not style.run else base - style.bob * activity * bump
    sway = style.sway * activity * np.cos(cyc - np.pi * style.duty)
    root = np.stack([path[:, 0], y, path[:, 1]], -1) + sway[:, None] * lateral(facing)
    tr.root = root
    tr.yaw = facing.copy()
    fit_root_height(tr, body)
    # upper body: lean, arm swing against the legs, a little counter-twist
    tr.lean = tr.lean + style.lean * activity
    tr.head_pitch = tr.head_pitch - 0.5 * style.lean * activity
    swing = style.arm_swing * activity * np.cos(cyc)
    for side, sgn in (("left", -1.0), ("right", 1.0)):
        arm = tr.arms[side]
        arm.elev = (1 - activity) * arm.elev + activity * (sgn * swing + 0.05)
        arm.plane = (1 - activity) * arm.plane + activity * (np.pi / 2)
        arm.flex = arm.flex + activity * (style.elbow + 0.3 * np.maximum(sgn * swing, 0))
    tr.twist = tr.twist - 0.15 * swing
    tr.pelvis_pitch = tr.pelvis_pitch + 0.03 * activity


def walking_speed_profile(n: int, speed: float, ease: float, t_start: float = 0.0,
                          t_stop: float | None = None) -> np.ndarray:
    """Speed per frame: 0, eased up to `speed`, held, eased down to 0 (t in seconds)."""
    t = np.arange(n) / FPS
    stop = (n - 1) / FPS - 0.3 if t_stop is None else t_stop
    up = smoothstep((t - t_start) / ease)
    down = 1 - smoothstep((t - (stop - ease)) / ease)
    return speed * up * down
