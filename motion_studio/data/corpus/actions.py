"""The action library: one small function per action, each returning pose tracks.

Every action is authored for the body's RIGHT side (right arm, turning right, moving right);
the clip generator mirrors half of the clips, motion and caption together, to get the left.
An action function receives a Ctx (random generator, body proportions, a params dict it fills
with the modifiers the captions must mention: count, pace, ...) and returns Tracks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .gaits import FPS, integrate_path, locomote, run_style, walk_style, walking_speed_profile
from .style import ClipStyle, drift_curve
from .kinematics import (SIDES, SIGN, Body, Tracks, arm_front, lateral, normalize, ramp, rot_y, smooth,
                         smoothstep, standing, window)

G = 9.81
R, L = "right", "left"


@dataclass
class Ctx:
    rng: np.random.Generator
    body: Body
    params: dict = field(default_factory=dict)
    look: ClipStyle | None = None  # the clip's variety draw (style.py); None: the clean version-1 motion

    @property
    def amp(self) -> float:
        """How big this clip's moves are (jump height and distance; arms are scaled in style.py)."""
        return self.look.amp if self.look is not None else 1.0

    def u(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    def count(self, lo: int, hi: int) -> int:
        k = int(self.rng.integers(lo, hi + 1))
        self.params["count"] = k
        return k

    def stand(self, seconds: float) -> tuple[Tracks, np.ndarray]:
        n = max(int(round(seconds * FPS)), 40)
        return standing(self.body, n, self.rng), np.arange(n) / FPS


@dataclass(frozen=True)
class Action:
    name: str
    family: str
    group: str
    build: Callable[[Ctx], Tracks]
    ends_standing: bool = True


ACTIONS: dict[str, Action] = {}


def action(name: str, family: str, group: str | None = None, ends_standing: bool = True):
    def register(fn):
        ACTIONS[name] = Action(name, family, group or family, fn, ends_standing)
        return fn
    return register


# ----------------------------------------------------------------------------- helpers
def lerp(a: np.ndarray, b, w: np.ndarray) -> np.ndarray:
    return a * (1 - w) + np.asarray(b) * w


def keys(t: np.ndarray, times, values) -> np.ndarray:
    """Piecewise eased interpolation through (time, value) keys; held outside."""
    times, values = np.asarray(times, float), np.asarray(values, float)
    out = np.full_like(t, values[0])
    for (t0, v0), (t1, v1) in zip(zip(times[:-1], values[:-1]), zip(times[1:], values[1:])):
        m = (t >= t0) & (t <= t1)
        out[m] = v0 + (v1 - v0) * smoothstep((t[m] - t0) / max(t1 - t0, 1e-6))
    out[t > times[-1]] = values[-1]
    return out


def set_arm(tr: Tracks, side: str, w: np.ndarray, elev=None, plane=None, flex=None, shrug=None, bend=None) -> None:
    """Blend one arm towards target angles with weight w (T,) (targets may be arrays)."""
    arm = tr.arms[side]
    if bend is not None:
        cur = arm.bend if arm.bend is not None else arm_front(arm.elev, arm.plane)
        arm.bend = normalize(lerp(cur, np.broadcast_to(bend, cur.shape), w[:, None]) + 1e-6)
    if elev is not None:
        arm.elev = lerp(arm.elev, elev, w)
    if plane is not None:
        arm.plane = lerp(arm.plane, plane, w)
    if flex is not None:
        arm.flex = lerp(arm.flex, flex, w)
    if shrug is not None:
        arm.shrug = lerp(arm.shrug, shrug, w)


def chest_to_world_bend(side: str, x: float, y: float, z: float) -> np.ndarray:
    """A bend hint in the chest frame, with x measured towards the arm's own side."""
    return np.array([SIGN[side] * x, y, z])


def shift_weight(tr: Tracks, towards: str, w: np.ndarray, amount: float) -> None:
    tr.root = tr.root + (SIGN[towards] * amount * w)[:, None] * lateral(tr.yaw)


def lift_foot(tr: Tracks, side: str, w: np.ndarray, fwd: float, height: float, out: float = 0.0) -> None:
    """Blend a foot from where it is to a point held relative to the pelvis (knee lifted)."""
    rel = np.array([SIGN[side] * (0.1 + out), 0.0, fwd])
    target = tr.root + np.einsum("tij,j->ti", rot_y(tr.yaw), rel)
    target[:, 1] = height
    ft = tr.feet[side]
    ft.ankle = lerp(ft.ankle, target, w[:, None])
    ft.pitch = ft.pitch + 0.3 * w


def do_jump(c: Ctx, tr: Tracks, t: np.ndarray, t0: float, disp=(0.0, 0.0), rise: float = 0.25,
            turn: float = 0.0, width: float | None = None, feet=SIDES, arms: str = "swing") -> float:
    """One jump starting at t0 (crouch, push, ballistic flight, absorb); returns its end time.

    disp: (right, forward) displacement in the body frame at take-off; turn: yaw change in the air
    (negative turns right); width: half stance width after landing; arms: "swing" forward-up,
    "jack" out to the sides and overhead, "none".
    """
    i0 = min(int(round(t0 * FPS)), tr.n - 1)
    rise, disp = rise * c.amp, (disp[0] * c.amp, disp[1] * c.amp)
    depth = c.u(0.1, 0.16) + 0.2 * rise
    tc, tp = c.u(0.22, 0.3), 0.1
    tf = 2 * np.sqrt(2 * rise / G)
    t1, t2 = t0 + tc, t0 + tc + tp
    t3, t4, t5 = t2 + tf, t2 + tf + 0.15, t2 + tf + 0.5
    yaw0 = float(tr.yaw[i0])
    root0 = tr.root[i0].copy()
    d_world = np.einsum("ij,j->i", rot_y(np.array([yaw0]))[0], np.array([-disp[0], 0.0, disp[1]]))
    dy = np.zeros_like(t)
    m = (t >= t0) & (t < t1)
    dy[m] = -depth * smoothstep((t[m] - t0) / tc)
    m = (t >= t1) & (t < t2)
    dy[m] = -depth + (depth + 0.03) * (1 - np.cos(np.pi / 2 * (t[m] - t1) / tp))
    m = (t >= t2) & (t < t3)
    tau = t[m] - t2
    dy[m] = 0.03 + (G * tf / 2) * tau - G / 2 * tau ** 2
    m = (t >= t3) & (t < t4)
    dy[m] = 0.03 - (0.03 + 0.7 * depth) * np.sin(np.pi / 2 * (t[m] - t3) / 0.15)
    m = (t >= t4) & (t < t5)
    dy[m] = -0.7 * depth * (1 - smoothstep((t[m] - t4) / (t5 - t4)))
    prog = np.clip((t - t2) / tf, 0.0, 1.0)
    tr.root = tr.root + d_world[None] * prog[:, None]
    tr.root[:, 1] += dy
    tr.yaw = tr.yaw + turn * prog
    air = np.clip(dy - 0.03, 0.0, None)
    tuck = 0.35 * rise * np.sin(np.pi * prog) * ((t >= t2) & (t < t3))
    rot0 = rot_y(np.array([-yaw0]))[0]
    rot1 = rot_y(np.array([yaw0 + turn]))[0]
    for s in feet:
        ft = tr.feet[s]
        p0 = ft.ankle[i0].copy()
        rel = rot0 @ (p0 - root0)
        if width is not None:
            rel[0] = SIGN[s] * width
        p1 = root0 + d_world + rot1 @ rel
        p1[1] = p0[1]
        after = t >= t3
        during = (t >= t2) & (t < t3)
        ft.ankle = ft.ankle.copy()
        ft.ankle[during] = lerp(p0, p1, smoothstep(prog[during])[:, None])
        ft.ankle[after] = ft.ankle[after] - p0 + p1
        ft.ankle[:, 1] += air + tuck
        ft.yaw = ft.yaw + turn * prog
        ft.pitch = ft.pitch + 0.5 * np.clip(dy - 0.0, 0, 0.05) / 0.05 * (t < t3)
    lean_key = keys(t, [t0, t1, t2, t3, t4, t5], [0, 0.35, 0.05, 0.1, 0.3, 0])
    tr.lean = tr.lean + lean_key
    tr.head_pitch = tr.head_pitch - 0.4 * lean_key
    if arms == "swing":
        e = keys(t, [t0, t1, t2 + 0.1, t3, t5], [0, -0.6, 1.9, 1.2, 0]) * c.u(0.8, 1.1)
        w = window(t, t0 + 0.05, t5 - 0.1, 0.1)
        for s in SIDES:
            set_arm(tr, s, w, elev=tr.arms[s].elev + e, plane=np.pi / 2)
    elif arms == "jack":
        for s in SIDES:
            set_arm(tr, s, np.ones_like(t), elev=tr.arms[s].elev + keys(t, [t1, t2 + tf / 2, t5], [0, 2.7, 0]),
                    plane=lerp(tr.arms[s].plane, 0.0, window(t, t1, t4, 0.1)))
    return t5


def hold_times(c: Ctx, n_moves: int, move: float, gap=(0.0, 0.3), lead=(0.3, 0.8)) -> list[float]:
    """Start times for n_moves repetitions of a `move`-second motion with small random gaps."""
    t, out = c.u(*lead), []
    for _ in range(n_moves):
        out.append(t)
        t += move + c.u(*gap)
    return out


# ============================================================================= jumping
@action("jump_in_place", "jumping")
def jump_in_place(c: Ctx) -> Tracks:
    k = c.count(1, 4)
    rise = c.u(0.18, 0.35)
    c.params["height"] = rise
    tr, t = c.stand(1.0 + k * (1.2 + rise) + 0.6)
    t0 = c.u(0.3, 0.7)
    for _ in range(k):
        t0 = do_jump(c, tr, t, t0, rise=rise) + c.u(0.0, 0.25)
    return tr


@action("jump_forward", "jumping")
def jump_forward(c: Ctx) -> Tracks:
    k = c.count(1, 3)
    dist = c.u(0.4, 1.0)
    tr, t = c.stand(1.0 + k * 1.5 + 0.6)
    t0 = c.u(0.3, 0.7)
    for _ in range(k):
        t0 = do_jump(c, tr, t, t0, disp=(0.0, dist), rise=c.u(0.2, 0.3)) + c.u(0.05, 0.3)
    return tr


@action("hop_backward", "jumping")
def hop_backward(c: Ctx) -> Tracks:
    k = c.count(1, 3)
    tr, t = c.stand(1.0 + k * 1.3 + 0.6)
    t0 = c.u(0.3, 0.7)
    for _ in range(k):
        t0 = do_jump(c, tr, t, t0, disp=(0.0, -c.u(0.2, 0.4)), rise=c.u(0.12, 0.2)) + c.u(0.0, 0.2)
    return tr


@action("jump_sideways", "jumping")
def jump_sideways(c: Ctx) -> Tracks:
    k = c.count(1, 3)
    tr, t = c.stand(1.0 + k * 1.3 + 0.6)
    t0 = c.u(0.3, 0.7)
    for _ in range(k):
        t0 = do_jump(c, tr, t, t0, disp=(c.u(0.3, 0.6), 0.0), rise=c.u(0.15, 0.25)) + c.u(0.0, 0.2)
    return tr


@action("hop_on_one_foot", "jumping")
def hop_on_one_foot(c: Ctx) -> Tracks:
    """Hops on the right foot with the left foot held up behind."""
    k = c.count(2, 6)
    tr, t = c.stand(1.6 + k * 0.85 + 0.6)
    t0 = c.u(0.2, 0.4)
    up = window(t, t0 + 0.5, t0 + 0.7 + k * 0.85, 0.4)
    shift_weight(tr, R, up, 0.08)
    tr.side_bend = tr.side_bend - 0.05 * up
    t1 = t0 + 0.7
    for _ in range(k):
        t1 = do_jump(c, tr, t, t1, disp=(0.0, c.u(0.0, 0.15)), rise=c.u(0.08, 0.14), feet=(R,), arms="none") - 0.2
    lift_foot(tr, L, up, fwd=-0.25, height=tr.feet[L].ankle[0, 1] + 0.28)
    for s in SIDES:
        set_arm(tr, s, up, elev=0.5, plane=0.2, flex=0.7)
    return tr


@action("jumping_jacks", "jumping")
def jumping_jacks(c: Ctx) -> Tracks:
    k = c.count(2, 5)
    tr, t = c.stand(0.9 + k * 2 * 0.75 + 0.5)
    t0 = c.u(0.2, 0.5)
    for _ in range(k):
        t0 = do_jump(c, tr, t, t0, rise=0.09, width=c.u(0.28, 0.35), arms="jack") - 0.25
        t0 = do_jump(c, tr, t, t0, rise=0.09, width=c.u(0.08, 0.11), arms="none") - 0.25
    return tr


@action("jump_turn", "jumping")
def jump_turn(c: Ctx) -> Tracks:
    """Jumps and turns to the right in the air (a quarter or a half turn)."""
    half = bool(c.rng.random() < 0.5)
    c.params["turn"] = "half" if half else "quarter"
    tr, t = c.stand(c.u(2.8, 3.6))
    do_jump(c, tr, t, c.u(0.4, 0.8), rise=c.u(0.25, 0.35), turn=-(np.pi if half else np.pi / 2))
    return tr


# ============================================================================= walking
def _walk(c: Ctx, seconds: float, speed: float, travel_yaw, facing, style=None, step_lift=None) -> Tracks:
    tr, t = c.stand(seconds)
    ease = c.u(0.6, 1.0)
    v = walking_speed_profile(tr.n, speed, ease, t_start=c.u(0.2, 0.5), t_stop=t[-1] - c.u(0.2, 0.6))
    travel_yaw = travel_yaw(t, v) if callable(travel_yaw) else np.full(tr.n, float(travel_yaw))
    drift = np.zeros(tr.n)
    style = style or walk_style(c.rng, speed)
    if c.look is not None:  # a walk never runs quite straight, and strides differ between people
        drift = drift_curve(np.cumsum(v) / FPS, c.look.drift, c.look.drift_freq, float(c.rng.uniform(0, 2 * np.pi)))
        style.stride *= c.look.step
    travel_yaw = travel_yaw + drift
    path = integrate_path(v, travel_yaw)
    face = facing(t, travel_yaw) if callable(facing) else np.full(tr.n, float(facing)) + drift
    activity = np.clip(v / max(speed, 1e-6), 0, 1)
    locomote(tr, c.body, path, face, activity, style, step_lift=step_lift)
    return tr


def _same(t, travel):
    return travel


@action("walk_forward", "walking")
def walk_forward(c: Ctx) -> Tracks:
    c.params["pace"] = "normal"
    return _walk(c, c.u(3.5, 7.0), c.u(1.15, 1.4), 0.0, 0.0)


@action("walk_slow", "walking")
def walk_slow(c: Ctx) -> Tracks:
    c.params["pace"] = "slow"
    sp = c.u(0.55, 0.8)
    st = walk_style(c.rng, sp)
    st.arm_swing *= 0.6
    return _walk(c, c.u(4.0, 7.5), sp, 0.0, 0.0, style=st)


@action("walk_fast", "walking")
def walk_fast(c: Ctx) -> Tracks:
    c.params["pace"] = "fast"
    sp = c.u(1.6, 1.85)
    st = walk_style(c.rng, sp)
    st.lean = 0.1
    return _walk(c, c.u(3.0, 5.5), sp, 0.0, 0.0, style=st)


@action("walk_backward", "walking")
def walk_backward(c: Ctx) -> Tracks:
    sp = c.u(0.5, 0.8)
    st = walk_style(c.rng, sp)
    st.stride, st.lean, st.arm_swing = c.u(0.75, 0.95), -0.05, st.arm_swing * 0.5
    return _walk(c, c.u(3.0, 5.5), sp, np.pi, 0.0, style=st)


@action("walk_sideways", "walking")
def walk_sideways(c: Ctx) -> Tracks:
    """Side-steps to the right."""
    sp = c.u(0.4, 0.65)
    st = walk_style(c.rng, sp)
    st.stride, st.arm_swing, st.lean, st.sway = c.u(0.55, 0.7), 0.05, 0.0, 0.005
    return _walk(c, c.u(3.0, 5.5), sp, -np.pi / 2, 0.0, style=st)


@action("walk_circle", "walking")
def walk_circle(c: Ctx) -> Tracks:
    """Walks a circle clockwise seen from above (turning right all the way)."""
    radius = c.u(1.0, 1.8)
    sp = c.u(0.9, 1.2)
    seconds = min(2 * np.pi * radius / sp + 1.8, 9.5)

    def yaw(t, v):
        return -np.cumsum(v) / FPS / radius

    return _walk(c, seconds, sp, yaw, _same)


@action("walk_turn", "walking")
def walk_turn(c: Ctx) -> Tracks:
    """Walks forward, turns right (a quarter turn, sometimes a half) and keeps walking."""
    half = bool(c.rng.random() < 0.3)
    c.params["turn"] = "half" if half else "quarter"
    angle = -(np.pi if half else np.pi / 2)
    seconds = c.u(4.5, 7.0)
    t_turn, dur = seconds * c.u(0.35, 0.5), c.u(0.8, 1.4)

    def yaw(t, v):
        return angle * ramp(t, t_turn, t_turn + dur)

    return _walk(c, seconds, c.u(1.0, 1.3), yaw, _same)


@action("walk_zigzag", "walking")
def walk_zigzag(c: Ctx) -> Tracks:
    amp, period = c.u(0.5, 0.75), c.u(2.2, 3.0)
    seconds = c.u(5.0, 8.0)

    def yaw(t, v):
        sq = np.sign(np.sin(2 * np.pi * (t - 0.4) / period))
        return amp * smooth(sq, 14)

    return _walk(c, seconds, c.u(1.0, 1.25), yaw, _same)


@action("step_over", "base", "stepping")
def step_over(c: Ctx) -> Tracks:
    """Walks forward and steps high over an obstacle with one step."""
    which = int(c.rng.integers(2, 4))

    def lift(step):
        return c_lift if step == which or step == which + 1 else 0.0

    c_lift = c.u(0.25, 0.35)
    st = walk_style(c.rng, 0.9)
    return _walk(c, c.u(4.5, 6.0), c.u(0.8, 1.0), 0.0, 0.0, style=st, step_lift=lift)


# ============================================================================= running / turning (base)
@action("run_forward", "base", "running")
def run_forward(c: Ctx) -> Tracks:
    sp = c.u(2.6, 3.6)
    return _walk(c, c.u(3.0, 5.0), sp, 0.0, 0.0, style=run_style(c.rng, sp))


@action("run_circle", "base", "running")
def run_circle(c: Ctx) -> Tracks:
    radius, sp = c.u(2.0, 3.0), c.u(2.4, 3.0)
    seconds = min(2 * np.pi * radius / sp + 2.0, 9.0)

    def yaw(t, v):
        return -np.cumsum(v) / FPS / radius

    return _walk(c, seconds, sp, yaw, _same, style=run_style(c.rng, sp))


@action("jog_in_place", "base", "running")
def jog_in_place(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(3.0, 5.0))
    act = window(t, 0.6, t[-1] - 0.6, 0.4)
    st = run_style(c.rng, 1.0)
    st.lift, st.lean = c.u(0.15, 0.22), 0.03
    cycles = np.cumsum(act) * c.u(1.3, 1.5) / FPS
    locomote(tr, c.body, np.zeros((tr.n, 2)), np.zeros(tr.n), act, st, extra_cycles=cycles)
    return tr


@action("turn_around", "base", "turning")
def turn_around(c: Ctx) -> Tracks:
    """Turns on the spot to the right, a quarter or half turn, in small steps."""
    half = bool(c.rng.random() < 0.6)
    c.params["turn"] = "half" if half else "quarter"
    angle = -(np.pi if half else np.pi / 2)
    tr, t = c.stand(c.u(2.5, 4.0))
    t0, dur = c.u(0.4, 0.8), c.u(1.0, 1.6) * (1.3 if half else 1.0)
    face = angle * ramp(t, t0, t0 + dur)
    act = 0.4 * window(t, t0, t0 + dur, 0.3)
    st = walk_style(c.rng, 0.8)
    st.stride = 0.8
    locomote(tr, c.body, np.zeros((tr.n, 2)), face, act, st)
    return tr


# ============================================================================= arms
@action("raise_arm", "arms")
def raise_arm(c: Ctx) -> Tracks:
    k = c.count(1, 2)
    tr, t = c.stand(1.0 + k * c.u(2.2, 3.0))
    for t0 in hold_times(c, k, (tr.n / FPS - 1.0) / k - 0.3, lead=(0.3, 0.5)):
        hold = c.u(0.6, 1.2)
        w = window(t, t0 + 0.7, t0 + 0.7 + hold, c.u(0.6, 0.8))
        set_arm(tr, R, w, elev=c.u(2.6, 3.0), plane=c.u(0.4, 1.3), flex=c.u(0.0, 0.2))
        tr.head_pitch = tr.head_pitch - 0.15 * w
    return tr


@action("raise_both_arms", "arms")
def raise_both_arms(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.6, 1.4)
    w = window(t, t0 + 0.7, t0 + 0.7 + hold, c.u(0.6, 0.8))
    e, p = c.u(2.5, 3.0), c.u(0.3, 1.4)
    for s in SIDES:
        set_arm(tr, s, w, elev=e, plane=p, flex=0.1)
    return tr


@action("stretch_up", "arms")
def stretch_up(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(3.5, 5.0))
    t0, hold = c.u(0.3, 0.6), c.u(1.2, 2.0)
    w = window(t, t0 + 0.9, t0 + 0.9 + hold, 0.9)
    for s in SIDES:
        set_arm(tr, s, w, elev=3.05, plane=1.45, flex=0.05, shrug=0.3)
    tr.lean = tr.lean - 0.12 * w
    tr.head_pitch = tr.head_pitch - 0.3 * w
    tr.root[:, 1] += 0.015 * w
    return tr


@action("arm_circles", "arms")
def arm_circles(c: Ctx) -> Tracks:
    both = bool(c.rng.random() < 0.5)
    c.params["both"] = both
    k = c.count(3, 6)
    freq = c.u(0.8, 1.4)
    tr, t = c.stand(1.6 + k / freq)
    t0 = c.u(0.3, 0.5)
    w = window(t, t0 + 0.5, t0 + 0.5 + k / freq, 0.5)
    ph = 2 * np.pi * freq * np.clip(t - t0 - 0.5, 0, None)
    amp = c.u(0.35, 0.6)
    for s in (SIDES if both else (R,)):
        set_arm(tr, s, w, elev=np.pi / 2 + amp * np.sin(ph), plane=0.15 + amp * np.cos(ph), flex=0.05)
    return tr


@action("reach_forward", "arms")
def reach_forward(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.5, 1.2)
    w = window(t, t0 + 0.8, t0 + 0.8 + hold, 0.8)
    set_arm(tr, R, w, elev=c.u(1.3, 1.7), plane=1.5, flex=0.05, shrug=0.1)
    tr.lean = tr.lean + c.u(0.2, 0.45) * w
    tr.twist = tr.twist + 0.25 * w
    tr.root = tr.root - 0.04 * w[:, None] * np.array([0, 0, 1.0])
    return tr


@action("reach_side", "arms")
def reach_side(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.5, 1.2)
    w = window(t, t0 + 0.8, t0 + 0.8 + hold, 0.8)
    set_arm(tr, R, w, elev=c.u(1.6, 1.9), plane=0.05, flex=0.05, shrug=0.1)
    tr.side_bend = tr.side_bend - c.u(0.15, 0.3) * w
    shift_weight(tr, R, w, 0.06)
    return tr


@action("flap_arms", "arms")
def flap_arms(c: Ctx) -> Tracks:
    k = c.count(3, 6)
    freq = c.u(1.2, 2.0)
    tr, t = c.stand(1.4 + k / freq)
    t0 = c.u(0.3, 0.5)
    w = window(t, t0 + 0.4, t0 + 0.4 + k / freq, 0.4)
    ph = 2 * np.pi * freq * np.clip(t - t0 - 0.4, 0, None)
    for s in SIDES:
        set_arm(tr, s, w, elev=1.05 - 0.55 * np.cos(ph), plane=0.05, flex=0.15)
    return tr


@action("spread_arms", "arms")
def spread_arms(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.8, 1.6)
    w = window(t, t0 + 0.7, t0 + 0.7 + hold, 0.7)
    for s in SIDES:
        set_arm(tr, s, w, elev=c.u(1.45, 1.65), plane=0.0, flex=0.05)
    return tr


# ============================================================================= gestures
@action("wave", "gestures")
def wave(c: Ctx) -> Tracks:
    freq = c.u(1.5, 3.0)
    dur = c.u(1.2, 2.6)
    tr, t = c.stand(dur + c.u(1.8, 2.4))
    t0 = c.u(0.3, 0.5)
    w = window(t, t0 + 0.5, t0 + 0.5 + dur, 0.5)
    osc = np.sin(2 * np.pi * freq * np.clip(t - t0 - 0.5, 0, None)) * window(t, t0 + 0.5, t0 + 0.5 + dur, 0.2)
    set_arm(tr, R, w, elev=c.u(1.7, 2.2), plane=c.u(0.2, 0.6), flex=1.2 + c.u(0.3, 0.45) * osc,
            bend=chest_to_world_bend(R, 0, 1, 0.2))
    tr.head_yaw = tr.head_yaw - 0.1 * w
    return tr


@action("clap", "gestures")
def clap(c: Ctx) -> Tracks:
    k = c.count(2, 6)
    freq = c.u(1.8, 2.8)
    tr, t = c.stand(1.5 + k / freq)
    t0 = c.u(0.3, 0.5)
    w = window(t, t0 + 0.4, t0 + 0.4 + k / freq, 0.4)
    ph = 2 * np.pi * freq * np.clip(t - t0 - 0.4, 0, None)
    for s in SIDES:
        set_arm(tr, s, w, elev=1.15, plane=1.35, flex=1.2 - 0.5 * np.cos(ph), bend=chest_to_world_bend(s, -1, 0.15, 0))
    return tr


@action("bow", "gestures")
def bow(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.4, 1.0)
    depth = c.u(0.6, 0.95)
    w = window(t, t0 + 0.8, t0 + 0.8 + hold, 0.8)
    tr.lean = tr.lean + depth * w
    tr.head_pitch = tr.head_pitch + 0.2 * w
    tr.root = tr.root - 0.06 * w[:, None] * np.array([0, 0, 1.0])
    for s in SIDES:  # arms keep hanging in the world while the chest tips forward
        set_arm(tr, s, w, elev=depth * 0.9, plane=np.pi / 2)
    return tr


@action("point", "gestures")
def point(c: Ctx) -> Tracks:
    side_dir = bool(c.rng.random() < 0.35)
    c.params["direction"] = "side" if side_dir else "forward"
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.8, 1.5)
    w = window(t, t0 + 0.6, t0 + 0.6 + hold, 0.5)
    if side_dir:
        # People point sideways by turning the chest towards the target and pointing a little ahead
        # of the shoulder line. A head turn alone moves none of the 22 joints, so without the chest
        # turn a side point is a side reach (docs/ROUTER.md, results/point_reach_study.json).
        turn = c.u(0.3, 0.5)
        set_arm(tr, R, w, elev=c.u(1.45, 1.7), plane=turn + c.u(0.15, 0.35), flex=0.03, shrug=0.05)
        tr.twist = tr.twist - turn * w
        tr.head_yaw = tr.head_yaw - 0.3 * w
    else:
        set_arm(tr, R, w, elev=c.u(1.45, 1.7), plane=1.45, flex=0.03, shrug=0.05)
        tr.head_yaw = tr.head_yaw - 0.05 * w
    return tr


@action("salute", "gestures")
def salute(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.6, 3.8))
    t0, hold = c.u(0.3, 0.6), c.u(0.8, 1.5)
    w = window(t, t0 + 0.5, t0 + 0.5 + hold, 0.45)
    # elbow raised forward and out, fingertips at the brow (tuned so the wrist ends ~10 cm from it)
    set_arm(tr, R, w, elev=2.3, plane=1.1, flex=1.7, bend=chest_to_world_bend(R, -1, 1, 0.2), shrug=0.1)
    tr.head_pitch = tr.head_pitch - 0.05 * w
    return tr


@action("shrug", "gestures")
def shrug(c: Ctx) -> Tracks:
    k = c.count(1, 2)
    tr, t = c.stand(1.4 + k * 1.3)
    for t0 in hold_times(c, k, 1.2, lead=(0.3, 0.5)):
        w = window(t, t0 + 0.35, t0 + 0.7, 0.35)
        for s in SIDES:
            set_arm(tr, s, w, elev=0.35, plane=0.4, flex=1.4, shrug=0.45, bend=chest_to_world_bend(s, 0.6, 0.2, 1))
        tr.head_pitch = tr.head_pitch - 0.1 * w
        tr.side_bend = tr.side_bend + 0.04 * w
    return tr


@action("thumbs_up", "gestures")
def thumbs_up(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(2.6, 3.6))
    t0, hold = c.u(0.3, 0.6), c.u(0.8, 1.4)
    w = window(t, t0 + 0.5, t0 + 0.5 + hold, 0.45)
    set_arm(tr, R, w, elev=c.u(0.6, 0.9), plane=1.45, flex=1.35, bend=chest_to_world_bend(R, 0, 1, 0.3))
    return tr


@action("come_here", "gestures")
def come_here(c: Ctx) -> Tracks:
    """Calls someone over: arm forward, forearm curling towards the body a few times."""
    k = c.count(2, 4)
    freq = c.u(1.2, 1.8)
    tr, t = c.stand(1.6 + k / freq)
    t0 = c.u(0.3, 0.5)
    w = window(t, t0 + 0.5, t0 + 0.5 + k / freq, 0.45)
    ph = 2 * np.pi * freq * np.clip(t - t0 - 0.5, 0, None)
    set_arm(tr, R, w, elev=1.2, plane=1.3, flex=1.0 - 0.55 * np.cos(ph), bend=chest_to_world_bend(R, -0.2, 1, 0))
    return tr


@action("nod", "gestures")
def nod(c: Ctx) -> Tracks:
    k = c.count(2, 4)
    freq = c.u(1.5, 2.2)
    tr, t = c.stand(1.6 + k / freq)
    t0 = c.u(0.3, 0.6)
    w = window(t, t0, t0 + k / freq, 0.2)
    tr.head_pitch = tr.head_pitch + 0.35 * w * (0.5 - 0.5 * np.cos(2 * np.pi * freq * np.clip(t - t0, 0, None)))
    tr.lean = tr.lean + 0.03 * w
    return tr


# ============================================================================= sit / stand
def _sit_tracks(c: Ctx, tr: Tracks, t: np.ndarray, t0: float, dur: float, seat: float, w_fn=None) -> np.ndarray:
    """Lower the pelvis onto a seat of height `seat`, leaning forward on the way; returns the weight."""
    w = ramp(t, t0, t0 + dur) if w_fn is None else w_fn
    lean_peak = np.sin(np.pi * np.clip(w, 0, 1)) * c.u(0.5, 0.7)
    tr.root[:, 1] = lerp(tr.root[:, 1], seat, w)
    tr.root[:, 2] = tr.root[:, 2] - c.u(0.22, 0.3) * w
    tr.lean = tr.lean + lean_peak + 0.1 * w
    tr.head_pitch = tr.head_pitch - 0.5 * lean_peak
    for s in SIDES:
        set_arm(tr, s, w, elev=0.55, plane=1.45, flex=0.9)
        tr.feet[s].ankle[:, 2] += 0.05 * w
    return w


@action("sit_down", "sitstand", ends_standing=False)
def sit_down(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(3.0, 4.0))
    _sit_tracks(c, tr, t, c.u(0.4, 0.8), c.u(1.2, 1.8), c.u(0.45, 0.5))
    return tr


def _reverse(tr: Tracks) -> Tracks:
    """Play tracks backwards (stand up = sit down reversed: the lean comes first)."""
    tr.root, tr.yaw = tr.root[::-1].copy(), tr.yaw[::-1].copy()
    for name in ("pelvis_pitch", "lean", "side_bend", "twist", "head_pitch", "head_yaw"):
        setattr(tr, name, getattr(tr, name)[::-1].copy())
    for a in tr.arms.values():
        a.elev, a.plane, a.flex, a.shrug = a.elev[::-1].copy(), a.plane[::-1].copy(), a.flex[::-1].copy(), a.shrug[::-1].copy()
        a.bend = None if a.bend is None else a.bend[::-1].copy()
    for f in tr.feet.values():
        f.ankle, f.yaw, f.pitch = f.ankle[::-1].copy(), f.yaw[::-1].copy(), f.pitch[::-1].copy()
    if tr.knee_out is not None:
        tr.knee_out = tr.knee_out[::-1].copy()
    return tr


@action("stand_up", "sitstand")
def stand_up(c: Ctx) -> Tracks:
    return _reverse(sit_down(c))


@action("sit_then_stand", "sitstand")
def sit_then_stand(c: Ctx) -> Tracks:
    tr, t = c.stand(c.u(5.0, 7.0))
    t0, dur, hold = c.u(0.3, 0.6), c.u(1.2, 1.6), c.u(0.8, 2.0)
    w = ramp(t, t0, t0 + dur) * (1 - ramp(t, t0 + dur + hold, t0 + 2 * dur + hold))
    _sit_tracks(c, tr, t, t0, dur, c.u(0.45, 0.5), w_fn=w)
    return tr


@action("squat", "sitstand")
def squat(c: Ctx) -> Tracks:
    k = c.count(1, 4)
    rep = c.u(1.6, 2.2)
    tr, t = c.stand(0.8 + k * rep + 0.4)
    depth = c.u(0.42, 0.52)
    w = np.zeros_like(t)
    for t0 in hold_times(c, k, rep, gap=(0.0, 0.1), lead=(0.3, 0.5)):
        w = np.maximum(w, window(t, t0 + 0.7, t0 + 0.7 + 0.15, 0.7))
    tr.root[:, 1] = lerp(tr.root[:, 1], depth, w)
    tr.root[:, 2] -= 0.12 * w
    tr.lean = tr.lean + 0.45 * w
    tr.head_pitch = tr.head_pitch - 0.35 * w
    tr.knee_out = 0.35 * w
    for s in SIDES:
        set_arm(tr, s, w, elev=1.45, plane=1.5, flex=0.1)
        tr.feet[s].ankle[:, 0] += SIGN[s] * 0.05
    return tr


@action("crouch", "sitstand")
def crouch(c: Ctx) -> Tracks:
    """Crouches down low, stays there a moment, then comes back up."""
    tr, t = c.stand(c.u(3.5, 5.0))
    t0, hold = c.u(0.3, 0.6), c.u(1.0, 2.0)
    w = window(t, t0 + 0.9, t0 + 0.9 + hold, 0.9)
    tr.root[:, 1] = lerp(tr.root[:, 1], c.u(0.36, 0.42), w)
    tr.root[:, 2] -= 0.1 * w
    tr.lean = tr.lean + 0.6 * w
    tr.head_pitch = tr.head_pitch - 0.4 * w
    tr.knee_out = 0.25 * w
    for s in SIDES:
        set_arm(tr, s, w, elev=0.9, plane=1.5, flex=0.6)
        tr.feet[s].ankle[:, 0] += SIGN[s] * 0.04
        tr.feet[s].ankle[:, 1] += 0.03 * w  # heels up: the FK rolls the foot onto its toes
        tr.feet[s].pitch = tr.feet[s].pitch + 1.0 * w
    return tr


@action("kneel", "sitstand")
def kneel(c: Ctx) -> Tracks:
    """Steps the right foot back and goes down on the right knee, then gets up."""
    tr, t = c.stand(c.u(4.5, 6.0))
    t0, hold = c.u(0.3, 0.6), c.u(1.0, 2.0)
    w = window(t, t0 + 1.2, t0 + 1.2 + hold, 1.2)
    b = c.body
    ft = tr.feet[R]
    thigh, shin = b.lengths[5], b.lengths[8]
    back = shin * 0.95
    ft.ankle = ft.ankle + w[:, None] * np.array([0.0, 0.03, -back + 0.05])
    ft.pitch = ft.pitch + 1.2 * w  # toes tucked under, resting on the floor
    tr.root[:, 1] = lerp(tr.root[:, 1], thigh + 0.07 + b.hip_drop(), w)
    tr.root[:, 2] += 0.04 * w
    tr.feet[L].ankle[:, 2] += 0.12 * w
    tr.lean = tr.lean + 0.1 * w
    set_arm(tr, L, w, elev=0.6, plane=1.5, flex=1.0)
    return tr


# ============================================================================= other base actions
@action("kick", "base", "kicking")
def kick(c: Ctx) -> Tracks:
    k = c.count(1, 2)
    tr, t = c.stand(1.0 + k * 1.4)
    for t0 in hold_times(c, k, 1.2, lead=(0.3, 0.5)):
        shift = window(t, t0 + 0.3, t0 + 0.9, 0.3)
        shift_weight(tr, L, shift, 0.08)
        chamber = keys(t, [t0 + 0.2, t0 + 0.45, t0 + 0.65, t0 + 0.95, t0 + 1.2], [0, 0.6, 1.0, 0.4, 0])
        hi = c.u(0.45, 0.7)
        ft = tr.feet[R]
        base = ft.ankle.copy()
        fwd = np.array([0, 0, 1.0])
        ft.ankle = base + chamber[:, None] * (fwd * c.u(0.45, 0.6) + np.array([0, hi, 0]))
        ft.pitch = ft.pitch + 0.6 * chamber
        tr.lean = tr.lean - 0.2 * chamber
        for s in SIDES:
            set_arm(tr, s, shift, elev=0.7, plane=0.3, flex=0.6)
    return tr


@action("punch", "base", "punching")
def punch(c: Ctx) -> Tracks:
    k = c.count(1, 4)
    tr, t = c.stand(1.4 + k * 0.7)
    guard = window(t, 0.6, t[-1] - 0.5, 0.4)
    for s in SIDES:
        set_arm(tr, s, guard, elev=0.55, plane=1.35, flex=2.1, bend=chest_to_world_bend(s, -0.3, 1, 0.2))
    tr.feet[L].ankle[:, 2] += 0.12
    tr.feet[R].ankle[:, 2] -= 0.08
    for t0 in hold_times(c, k, 0.45, gap=(0.05, 0.3), lead=(0.8, 1.0)):
        w = keys(t, [t0, t0 + 0.15, t0 + 0.25, t0 + 0.45], [0, 1, 1, 0])
        set_arm(tr, R, w, elev=1.5, plane=1.4, flex=0.05)
        tr.twist = tr.twist + 0.3 * w
    return tr


@action("throw", "base", "throwing")
def throw(c: Ctx) -> Tracks:
    """Overhand throw with the right arm: wind up back, whip forward, follow through."""
    tr, t = c.stand(c.u(2.8, 3.6))
    t0 = c.u(0.3, 0.6)
    wind = keys(t, [t0, t0 + 0.6, t0 + 0.8, t0 + 0.95], [0, 1, 1, 0])
    fwd = keys(t, [t0 + 0.8, t0 + 0.95, t0 + 1.2, t0 + 2.0], [0, 1, 1, 0])
    set_arm(tr, R, wind, elev=2.0, plane=-0.5, flex=1.5, bend=chest_to_world_bend(R, 0, 1, 0))
    set_arm(tr, R, fwd, elev=1.0, plane=1.5, flex=0.2)
    set_arm(tr, L, np.maximum(wind, fwd), elev=1.2, plane=1.2, flex=0.4)
    tr.twist = tr.twist - 0.45 * wind + 0.4 * fwd
    tr.lean = tr.lean - 0.1 * wind + 0.35 * fwd
    tr.feet[L].ankle[:, 2] += 0.15 * ramp(t, t0 + 0.4, t0 + 0.8)
    return tr


@action("dance", "base", "dancing")
def dance(c: Ctx) -> Tracks:
    """Side-to-side steps to a beat with swaying arms and hips."""
    tr, t = c.stand(c.u(4.0, 7.0))
    beat = c.u(1.6, 2.2)  # steps per second
    act = window(t, 0.6, t[-1] - 0.6, 0.4)
    amp = c.u(0.12, 0.2)
    path = np.zeros((tr.n, 2))
    path[:, 0] = amp * np.sin(np.pi * beat * t) * act
    st = walk_style(c.rng, 0.6)
    st.stride, st.arm_swing, st.bob = 2 * amp, 0.0, 0.04
    locomote(tr, c.body, path, np.zeros(tr.n), act, st)
    ph = np.pi * beat * t
    style = int(c.rng.integers(0, 2))
    for s in SIDES:
        if style == 0:  # arms up, swaying
            set_arm(tr, s, act, elev=2.4 + 0.3 * np.sin(ph + (0 if s == L else np.pi)), plane=0.6, flex=0.5)
        else:  # elbows bent, pumping
            set_arm(tr, s, act, elev=0.7 + 0.3 * np.sin(2 * ph + (0 if s == L else np.pi)), plane=1.2, flex=1.6)
    tr.side_bend = tr.side_bend + 0.12 * np.sin(ph) * act
    tr.twist = tr.twist + 0.15 * np.sin(ph + 1) * act
    tr.head_yaw = tr.head_yaw + 0.15 * np.sin(ph) * act
    return tr


@action("balance", "base", "balancing")
def balance(c: Ctx) -> Tracks:
    """Stands on the right foot with the left knee lifted, arms out, wobbling a little."""
    tr, t = c.stand(c.u(3.5, 6.0))
    w = window(t, 1.0, t[-1] - 1.0, 0.6)
    shift_weight(tr, R, ramp(t, 0.3, 1.0) * (1 - ramp(t, t[-1] - 0.9, t[-1] - 0.3)), 0.1)
    wob = 0.015 * np.sin(2 * np.pi * c.u(0.5, 0.9) * t) * w
    tr.root[:, 0] += wob
    lift_foot(tr, L, w, fwd=c.u(0.05, 0.2), height=c.u(0.3, 0.45))
    for s in SIDES:
        set_arm(tr, s, w, elev=c.u(1.3, 1.6) + 0.1 * np.sin(3 * t), plane=0.1, flex=0.1)
    tr.side_bend = tr.side_bend + 6 * wob
    return tr
