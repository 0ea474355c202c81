"""Pose tracks -> joint positions: forward kinematics for spine and arms, two-bone IK for legs.

An action describes a clip as a handful of per-frame *tracks* (root path, facing, torso lean,
arm angles, ankle targets). `pose_to_joints` turns them into (T, 22, 3) positions. Every bone is
placed as parent + length * unit direction, so bone lengths are constant by construction; legs
are solved towards ankle targets so planted feet stay exactly where the gait put them.

Conventions: Y up, metres, yaw 0 faces +Z, positive yaw turns towards +X (the body's left).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...motion.skeleton import BONE_LENGTHS, REST_OFFSETS

LEFT, RIGHT = "left", "right"
SIDES = (LEFT, RIGHT)
# joint indices per side: hip, knee, ankle, toe, collar, shoulder, elbow, wrist
LEG = {LEFT: (1, 4, 7, 10), RIGHT: (2, 5, 8, 11)}
ARM = {LEFT: (13, 16, 18, 20), RIGHT: (14, 17, 19, 21)}
SIGN = {LEFT: 1.0, RIGHT: -1.0}  # +X is the body's left
TOE_PITCH = float(np.arctan2(0.45, 1.0))  # rest foot points down-forward by this angle


# ----------------------------------------------------------------------------- timing helpers
def smoothstep(x: np.ndarray | float) -> np.ndarray:
    """Ease in/out on [0, 1] (zero velocity at both ends); clamps outside."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def ramp(t: np.ndarray, t0: float, t1: float) -> np.ndarray:
    """0 before t0, eased rise to 1 at t1."""
    return smoothstep((t - t0) / max(t1 - t0, 1e-6))


def window(t: np.ndarray, t0: float, t1: float, rise: float) -> np.ndarray:
    """1 between t0 and t1, eased up over `rise` seconds before and down after."""
    return ramp(t, t0 - rise, t0) * (1.0 - ramp(t, t1, t1 + rise))


def smooth(x: np.ndarray, frames: int) -> np.ndarray:
    """Moving-average along time with edge padding (keeps length)."""
    if frames <= 1:
        return x
    k = np.ones(frames) / frames
    pad = frames // 2
    xp = np.concatenate([np.repeat(x[:1], pad, 0), x, np.repeat(x[-1:], frames - 1 - pad, 0)], 0)
    if x.ndim == 1:
        return np.convolve(xp, k, mode="valid")
    return np.stack([np.convolve(xp[:, i], k, mode="valid") for i in range(x.shape[1])], 1)


# ----------------------------------------------------------------------------- rotations
def rot_y(a: np.ndarray) -> np.ndarray:
    """(T, 3, 3) yaw rotations; +Z turns towards +X for positive angles."""
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2)


def rot_x(a: np.ndarray) -> np.ndarray:
    """(T, 3, 3) pitch; positive tips +Y towards +Z (a forward lean)."""
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2)


def rot_z(a: np.ndarray) -> np.ndarray:
    """(T, 3, 3) roll; positive tips +Y towards -X (towards the body's right)."""
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2)


def apply(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate vectors v (T, 3) or (3,) by r (T, 3, 3)."""
    return np.einsum("tij,tj->ti", r, np.broadcast_to(v, (r.shape[0], 3)))


def normalize(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def heading(yaw: np.ndarray) -> np.ndarray:
    """(T, 3) unit forward vector on the floor for a yaw track."""
    return np.stack([np.sin(yaw), np.zeros_like(yaw), np.cos(yaw)], -1)


def lateral(yaw: np.ndarray) -> np.ndarray:
    """(T, 3) unit vector to the body's left for a yaw track."""
    return np.stack([np.cos(yaw), np.zeros_like(yaw), -np.sin(yaw)], -1)


# ----------------------------------------------------------------------------- body
@dataclass
class Body:
    """One clip's proportions: bone lengths and rest offsets scaled from the skeleton's."""

    lengths: np.ndarray
    offsets: np.ndarray

    @staticmethod
    def sample(rng: np.random.Generator) -> "Body":
        """Overall size +-5 %, each bone +-2.5 % more (left and right alike)."""
        scale = rng.uniform(0.95, 1.05)
        per_pair = rng.uniform(0.975, 1.025, size=len(BONE_LENGTHS))
        for a, b in ((1, 2), (4, 5), (7, 8), (10, 11), (13, 14), (16, 17), (18, 19), (20, 21)):
            per_pair[b] = per_pair[a]
        lengths = BONE_LENGTHS * scale * per_pair
        offsets = REST_OFFSETS / np.maximum(BONE_LENGTHS[:, None], 1e-9) * lengths[:, None]
        return Body(lengths=lengths, offsets=offsets)

    def leg_reach(self, side: str) -> float:
        hip, knee, ankle, _ = LEG[side]
        return float(self.lengths[knee] + self.lengths[ankle])

    def ankle_height(self, side: str) -> float:
        """Ankle above the floor when the foot is flat (toe joint on the floor)."""
        return float(self.lengths[LEG[side][3]] * np.sin(TOE_PITCH))

    def hip_drop(self) -> float:
        """How far the hips sit below the pelvis joint in the rest pose."""
        return float(-REST_OFFSETS[1, 1] / BONE_LENGTHS[1] * self.lengths[1])

    def stand_height(self) -> float:
        """Pelvis height standing with knees very slightly bent (96.5 % of leg reach)."""
        return min(0.965 * self.leg_reach(s) + self.ankle_height(s) for s in SIDES) + self.hip_drop()


# ----------------------------------------------------------------------------- tracks
@dataclass
class ArmTrack:
    """Arm angles in the chest frame, radians, per frame.

    elev: 0 hanging, pi/2 horizontal, pi overhead; negative swings backwards (with plane=pi/2).
    plane: 0 out to the side, pi/2 straight forward. flex: elbow bend (0 straight).
    bend: (T, 3) chest-frame direction the forearm bends towards (None: the arm's front).
    shrug: shoulder raise (collar up-tilt).
    """

    elev: np.ndarray
    plane: np.ndarray
    flex: np.ndarray
    shrug: np.ndarray
    bend: np.ndarray | None = None


@dataclass
class FootTrack:
    """Ankle target (T, 3) in world space, foot yaw (T,), extra toe-down pitch (T,)."""

    ankle: np.ndarray
    yaw: np.ndarray
    pitch: np.ndarray


@dataclass
class Tracks:
    """Everything that poses the body, per frame (T frames at 20 fps)."""

    root: np.ndarray  # (T, 3) pelvis position
    yaw: np.ndarray  # (T,) facing
    pelvis_pitch: np.ndarray
    lean: np.ndarray  # forward torso lean over the whole spine
    side_bend: np.ndarray  # towards the body's left
    twist: np.ndarray  # upper body yaw relative to pelvis (towards left)
    head_pitch: np.ndarray  # nod down positive
    head_yaw: np.ndarray
    arms: dict[str, ArmTrack] = field(default_factory=dict)
    feet: dict[str, FootTrack] = field(default_factory=dict)
    knee_out: np.ndarray | None = None  # knees point outwards by this angle (squat, sumo)

    @property
    def n(self) -> int:
        return int(self.root.shape[0])


def standing(body: Body, n: int, rng: np.random.Generator, stance: float | None = None) -> Tracks:
    """A relaxed standing pose held for n frames, with a little breathing and weight shift."""
    t = np.arange(n) / 20.0
    width = stance if stance is not None else rng.uniform(0.09, 0.13)
    h = body.stand_height() - rng.uniform(0.0, 0.01)
    breath = 0.004 * np.sin(2 * np.pi * t / rng.uniform(3.0, 4.5) + rng.uniform(0, 6.28))
    root = np.stack([np.zeros(n), h + breath, np.zeros(n)], -1)
    z = np.zeros(n)
    arms = {}
    for s in SIDES:
        arms[s] = ArmTrack(elev=z + rng.uniform(0.08, 0.16), plane=z + rng.uniform(-0.1, 0.2),
                           flex=z + rng.uniform(0.1, 0.25), shrug=z.copy())
    feet = {}
    for s in SIDES:
        pos = np.array([SIGN[s] * width, body.ankle_height(s), rng.uniform(-0.02, 0.02)])
        feet[s] = FootTrack(ankle=np.repeat(pos[None], n, 0),
                            yaw=z + SIGN[s] * rng.uniform(0.05, 0.2), pitch=z.copy())
    return Tracks(root=root, yaw=z.copy(), pelvis_pitch=z.copy(), lean=z + rng.uniform(0.0, 0.05),
                  side_bend=z.copy(), twist=z.copy(), head_pitch=z + rng.uniform(-0.05, 0.1),
                  head_yaw=z.copy(), arms=arms, feet=feet)


def upper_arm_direction(side: str, elev: np.ndarray, plane: np.ndarray) -> np.ndarray:
    """Chest-frame unit direction of the upper arm."""
    s = SIGN[side]
    return np.stack([s * np.sin(elev) * np.cos(plane), -np.cos(elev), np.sin(elev) * np.sin(plane)], -1)


def arm_front(elev: np.ndarray, plane: np.ndarray) -> np.ndarray:
    """Default elbow bend direction: forward for a side raise, up for a forward raise."""
    w = np.abs(np.sin(plane))[:, None]
    flexion_front = np.stack([np.zeros_like(elev), np.sin(elev), np.cos(elev)], -1)
    return (1 - w) * np.array([0.0, 0.0, 1.0]) + w * flexion_front


def forearm_direction(side: str, arm: ArmTrack, upper: np.ndarray) -> np.ndarray:
    """Forearm direction: the upper arm rotated by the elbow flex towards the bend direction."""
    b = np.broadcast_to(arm.bend, upper.shape).astype(float) if arm.bend is not None else arm_front(arm.elev, arm.plane)
    u = b - np.sum(b * upper, -1, keepdims=True) * upper
    bad = np.linalg.norm(u, axis=-1) < 1e-3  # bend hint parallel to the arm: fall back to up/forward
    if bad.any():
        alt = np.where(np.abs(upper[:, 1:2]) > 0.9, np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0]))
        u[bad] = (alt - np.sum(alt * upper, -1, keepdims=True) * upper)[bad]
    u = normalize(u)
    f = arm.flex[:, None]
    return np.cos(f) * upper + np.sin(f) * u


def two_bone_ik(hip: np.ndarray, target: np.ndarray, a: float, b: float, pole: np.ndarray):
    """Knee and (reachable) ankle positions for a leg with thigh a, shin b.

    The knee lies in the plane of hip, target and the pole direction, on the pole's side.
    Targets out of reach are pulled in along the hip->target line (lengths stay exact).
    """
    d_vec = target - hip
    dist = np.linalg.norm(d_vec, axis=-1, keepdims=True)
    n = d_vec / np.maximum(dist, 1e-9)
    d = np.clip(dist, abs(a - b) + 1e-4, (a + b) * 0.99999)
    ankle = hip + n * d
    cos_a = np.clip((a * a + d * d - b * b) / (2 * a * d), -1.0, 1.0)
    sin_a = np.sqrt(1.0 - cos_a ** 2)
    m = normalize(pole - np.sum(pole * n, -1, keepdims=True) * n)
    knee = hip + a * (cos_a * n + sin_a * m)
    return knee, ankle


def pose_to_joints(tr: Tracks, body: Body) -> np.ndarray:
    """(T, 22, 3) joint positions for the tracks; bone lengths equal body.lengths exactly."""
    n, off, L = tr.n, body.offsets, body.lengths
    j = np.zeros((n, 22, 3))
    j[:, 0] = tr.root
    r_pelvis = rot_y(tr.yaw) @ rot_x(tr.pelvis_pitch)
    seg = rot_y(tr.twist / 3) @ rot_x(tr.lean / 3) @ rot_z(-tr.side_bend / 3)
    r1 = r_pelvis @ seg
    r2 = r1 @ seg
    r3 = r2 @ seg
    j[:, 3] = j[:, 0] + apply(r_pelvis, off[3])
    j[:, 6] = j[:, 3] + apply(r1, off[6])
    j[:, 9] = j[:, 6] + apply(r2, off[9])
    j[:, 12] = j[:, 9] + apply(r3, off[12])
    r_head = r3 @ rot_y(tr.head_yaw) @ rot_x(tr.head_pitch)
    j[:, 15] = j[:, 12] + apply(r_head, off[15])
    for s in SIDES:
        collar, shoulder, elbow, wrist = ARM[s]
        arm = tr.arms[s]
        j[:, collar] = j[:, 9] + apply(r3, off[collar])
        shrug_rot = rot_z(-SIGN[s] * arm.shrug)  # tip the collar->shoulder bone upwards
        j[:, shoulder] = j[:, collar] + apply(r3 @ shrug_rot, off[shoulder])
        up = upper_arm_direction(s, arm.elev, arm.plane)
        fore = forearm_direction(s, arm, up)
        j[:, elbow] = j[:, shoulder] + L[elbow] * apply(r3, up)
        j[:, wrist] = j[:, elbow] + L[wrist] * apply(r3, normalize(fore))
    knee_out = tr.knee_out if tr.knee_out is not None else np.zeros(n)
    for s in SIDES:
        hip, knee, ankle, toe = LEG[s]
        foot = tr.feet[s]
        j[:, hip] = j[:, 0] + apply(r_pelvis, off[hip])
        pole = apply(rot_y(tr.yaw + SIGN[s] * (0.1 + knee_out)), np.array([0.0, 0.0, 1.0]))
        pole = pole + 0.3 * apply(rot_y(foot.yaw), np.array([0.0, 0.0, 1.0]))
        j[:, knee], j[:, ankle] = two_bone_ik(j[:, hip], foot.ankle, L[knee], L[ankle], pole)
        # the toe never goes through the floor: a low ankle rolls the foot onto its toes
        floor_pitch = np.arcsin(np.clip(j[:, ankle, 1] / L[toe], -1.0, 1.0))
        pitch = np.minimum(TOE_PITCH + foot.pitch, floor_pitch)
        toe_dir = np.stack([np.sin(foot.yaw) * np.cos(pitch), -np.sin(pitch), np.cos(foot.yaw) * np.cos(pitch)], -1)
        j[:, toe] = j[:, ankle] + L[toe] * toe_dir
    return j


def reach_limit(tr: Tracks, body: Body, margin: float = 0.995) -> np.ndarray:
    """(T,) highest pelvis height at which both legs still reach their ankle targets."""
    r_pelvis = rot_y(tr.yaw) @ rot_x(tr.pelvis_pitch)
    limit = np.full(tr.n, np.inf)
    for s in SIDES:
        hip = LEG[s][0]
        hip_off = apply(r_pelvis, body.offsets[hip])
        reach = margin * body.leg_reach(s)
        hip_xz = tr.root[:, [0, 2]] + hip_off[:, [0, 2]]
        dxz2 = np.sum((hip_xz - tr.feet[s].ankle[:, [0, 2]]) ** 2, -1)
        dy = np.sqrt(np.maximum(reach ** 2 - dxz2, 0.0))
        limit = np.minimum(limit, tr.feet[s].ankle[:, 1] + dy - hip_off[:, 1])
    return limit


def keep_reach(tr: Tracks, body: Body) -> None:
    """Lower the pelvis only where (and by about as much as) a leg would fall short, eased."""
    y = tr.root[:, 1]
    limit = reach_limit(tr, body)
    over = np.maximum(y - limit, 0.0)
    if over.max() <= 0:
        return
    tr.root[:, 1] = np.minimum(y - smooth(over, 5), limit)


def fit_root_height(tr: Tracks, body: Body, margin: float = 0.995) -> None:
    """Lower the pelvis where a leg could not reach its ankle target (keeps planted feet planted)."""
    limit = reach_limit(tr, body, margin)
    y = np.minimum(tr.root[:, 1], limit)
    # soften the dips (a reach limit has corners), then make sure the legs still reach
    tr.root[:, 1] = np.minimum(smooth(y, 5) - 0.003 * (y < tr.root[:, 1]), limit)


def mirror_joints(joints: np.ndarray) -> np.ndarray:
    """Left/right mirror image: negate X and swap left and right joints."""
    from ...motion.skeleton import MIRROR

    out = joints[:, list(MIRROR)].copy()
    out[..., 0] *= -1.0
    return out


# ----------------------------------------------------------------------------- composition
def _track_fields(tr: Tracks) -> list[tuple[object, str]]:
    """(owner, attribute) of every per-frame array in the tracks, in a fixed order."""
    out: list[tuple[object, str]] = [(tr, n) for n in ("root", "yaw", "pelvis_pitch", "lean", "side_bend",
                                                       "twist", "head_pitch", "head_yaw", "knee_out")]
    for s in SIDES:
        out += [(tr.arms[s], n) for n in ("elev", "plane", "flex", "shrug", "bend")]
        out += [(tr.feet[s], n) for n in ("ankle", "yaw", "pitch")]
    return out


def _filled(tr: Tracks) -> Tracks:
    """Make optional tracks explicit (knee_out zeros, arm bend = the default) so they can blend."""
    if tr.knee_out is None:
        tr.knee_out = np.zeros(tr.n)
    for arm in tr.arms.values():
        if arm.bend is None:
            arm.bend = arm_front(arm.elev, arm.plane)
    return tr


def place_after(first: Tracks, second: Tracks) -> Tracks:
    """Move and turn `second` so it starts where and facing how `first` ends (in place)."""
    yaw0 = float(first.yaw[-1])
    start = first.root[-1] * np.array([1.0, 0.0, 1.0])
    r = rot_y(np.array([yaw0]))[0]
    second.root = second.root @ r.T + start
    second.yaw = second.yaw + yaw0
    for f in second.feet.values():
        f.ankle = f.ankle @ r.T + start
        f.yaw = f.yaw + yaw0
    return second


def concat_tracks(first: Tracks, second: Tracks, overlap: int = 8) -> Tracks:
    """first then second (already placed), cross-faded over `overlap` frames with an eased weight."""
    a, b = _filled(first), _filled(second)
    overlap = max(1, min(overlap, a.n - 1, b.n - 1))
    for side in SIDES:  # the second action starts on the feet where the first left them: no cross-fade slide
        fa, fb = a.feet[side], b.feet[side]
        fb.ankle = fb.ankle + (fa.ankle[-1] - fb.ankle[0]) * np.array([1.0, 0.0, 1.0])
        fb.yaw = fb.yaw + (fa.yaw[-1] - fb.yaw[0])
    w = smoothstep(np.linspace(0.0, 1.0, overlap))
    for (oa, name), (ob, _) in zip(_track_fields(a), _track_fields(b)):
        xa, xb = getattr(oa, name), getattr(ob, name)
        ww = w.reshape((-1,) + (1,) * (xa.ndim - 1))
        mid = xa[-overlap:] * (1 - ww) + xb[:overlap] * ww
        setattr(oa, name, np.concatenate([xa[:-overlap], mid, xb[overlap:]], 0))
    for arm in a.arms.values():
        arm.bend = normalize(arm.bend)
    return a


def resample_tracks(tr: Tracks, n_new: int) -> Tracks:
    """The same motion played over n_new frames (linear interpolation of every track, in place).

    Planted feet stay exactly planted (a constant track interpolates to the same constant);
    angle tracks are unwrapped already (yaw accumulates), so plain interpolation is right.
    """
    tr = _filled(tr)
    n = tr.n
    if n_new == n or n < 2:
        return tr
    x = np.linspace(0.0, n - 1.0, n_new)
    i0 = np.minimum(np.floor(x).astype(int), n - 2)
    w = x - i0
    for owner, name in _track_fields(tr):
        v = getattr(owner, name)
        ww = w.reshape((-1,) + (1,) * (v.ndim - 1))
        setattr(owner, name, v[i0] * (1 - ww) + v[i0 + 1] * ww)
    for arm in tr.arms.values():
        arm.bend = normalize(arm.bend)
    return tr


def pad_tracks(tr: Tracks, lead: int, tail: int) -> Tracks:
    """Hold the first pose for `lead` extra frames and the last for `tail` (in place)."""
    tr = _filled(tr)
    if lead <= 0 and tail <= 0:
        return tr
    for owner, name in _track_fields(tr):
        v = getattr(owner, name)
        setattr(owner, name, np.concatenate([np.repeat(v[:1], lead, 0), v, np.repeat(v[-1:], tail, 0)], 0))
    return tr
