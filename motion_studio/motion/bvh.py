"""BVH in and out: any humanoid BVH onto our 22 joints, and our joints as a 22-joint SMPL-named BVH.

Reading: parse the HIERARCHY and MOTION sections (any channel order, positions on any joint),
run forward kinematics, find our 22 joints among the file's names (CMU, Mixamo, LAFAN, SMPL and
similar spellings; missing spine levels, neck, collars or toes are interpolated), guess the units
from the body's size and the up axis from where the head is, and resample to 20 fps.

Writing: rest offsets are the mean bone lengths along skeleton.RAW_OFFSETS directions (the
siblings under the pelvis and spine3 keep their mean angles to each other instead, because one
rotation cannot put three axis-aligned bones onto a real pelvis); each joint's rotation takes
its rest offsets onto its children's bones (shortest arc for one child, Kabsch for several).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MotionFileError
from .features import canonicalize, qbetween, quat_to_matrix
from .skeleton import BONE_LENGTHS, FPS, JOINT_NAMES, N_JOINTS, PARENTS, RAW_OFFSETS, bone_lengths

MAX_BVH_BYTES = 300 * 1024 * 1024
MAX_SECONDS = 10 * 60
MAX_DEPTH = 200
# Candidate length units of BVH files, in metres. "cmu" is the CMU mocap ASF unit (1/0.45 inch).
UNITS: dict[str, float] = {"m": 1.0, "cm": 0.01, "mm": 0.001, "inch": 0.0254, "cmu": 0.0254 / 0.45}
# Skeleton height of HumanML3D's body in metres (formats.body_height); units are picked to come closest.
REFERENCE_HEIGHT_M = 1.47
# Where SMPL's spine1 and spine2 sit along the pelvis -> spine3 path (fractions of its length).
_SPINE_TOTAL = BONE_LENGTHS[3] + BONE_LENGTHS[6] + BONE_LENGTHS[9]
SPINE_FRACTIONS = (BONE_LENGTHS[3] / _SPINE_TOTAL, (BONE_LENGTHS[3] + BONE_LENGTHS[6]) / _SPINE_TOTAL)
_AXES = {"X": 0, "Y": 1, "Z": 2}
_SEP = r"[\s_.\-]"


# ---------------------------------------------------------------- parsing

@dataclass
class BvhJoint:
    name: str
    parent: int  # -1 for the root
    offset: np.ndarray
    channels: list[str] = field(default_factory=list)
    is_end_site: bool = False


@dataclass
class BvhClip:
    joints: list[BvhJoint]
    frame_time: float
    values: np.ndarray  # (frames, channels)


class _Tokens:
    def __init__(self, words: list[str], fail) -> None:
        self.words, self.i, self.fail = words, 0, fail

    def next(self, what: str) -> str:
        if self.i >= len(self.words):
            raise self.fail(f"the file ends too early (expected {what})")
        self.i += 1
        return self.words[self.i - 1]

    def expect(self, word: str) -> None:
        got = self.next(f"'{word}'")
        if got.upper() != word.upper():
            raise self.fail(f"expected '{word}' but found '{got[:30]}'")

    def number(self, what: str) -> float:
        word = self.next(what)
        try:
            value = float(word)
        except ValueError:
            raise self.fail(f"expected a number for {what}, found '{word[:30]}'") from None
        if not math.isfinite(value):
            raise self.fail(f"{what} is not a finite number")
        return value


def _parse_joint(tok: _Tokens, joints: list[BvhJoint], parent: int, name: str, end_site: bool,
                 depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise tok.fail(f"the hierarchy is nested more than {MAX_DEPTH} levels deep")
    index = len(joints)
    joint = BvhJoint(name=name, parent=parent, offset=np.zeros(3), is_end_site=end_site)
    joints.append(joint)
    tok.expect("{")
    while True:
        word = tok.next("'}'")
        key = word.upper()
        if key == "OFFSET":
            joint.offset = np.array([tok.number("an OFFSET") for _ in range(3)])
        elif key == "CHANNELS":
            count = tok.number("the channel count")
            if count != int(count) or not 0 <= count <= 6:
                raise tok.fail(f"joint {name} has {count:g} channels; BVH allows 0-6")
            for _ in range(int(count)):
                channel = tok.next("a channel name")
                if not re.fullmatch(r"[XYZxyz](position|rotation)", channel, flags=re.I):
                    raise tok.fail(f"joint {name} has an unknown channel '{channel[:30]}'")
                joint.channels.append(channel[0].upper() + channel[1:].lower())
        elif key == "JOINT":
            _parse_joint(tok, joints, index, tok.next("a joint name"), end_site=False, depth=depth + 1)
        elif key == "END":
            tok.expect("Site")
            _parse_joint(tok, joints, index, f"{name}_end", end_site=True, depth=depth + 1)
        elif key == "}":
            return
        else:
            raise tok.fail(f"unexpected '{word[:30]}' in joint {name}")


def parse_bvh(text: str, fail) -> BvhClip:
    """Parse BVH text; `fail(message)` builds the error to raise."""
    parts = re.split(r"\bMOTION\b", text, maxsplit=1)
    if len(parts) != 2 or "HIERARCHY" not in parts[0]:
        raise fail("not a BVH file (no HIERARCHY and MOTION sections)")
    head, motion = parts
    tok = _Tokens(head.split(), fail)
    tok.expect("HIERARCHY")
    tok.expect("ROOT")
    joints: list[BvhJoint] = []
    _parse_joint(tok, joints, -1, tok.next("the root's name"), end_site=False)
    if tok.i != len(tok.words):
        raise fail(f"unexpected '{tok.words[tok.i][:30]}' after the hierarchy")

    words = motion.split()
    mtok = _Tokens(words, fail)
    mtok.expect("Frames:")
    n_frames = mtok.number("the frame count")
    mtok.expect("Frame")
    mtok.expect("Time:")
    frame_time = mtok.number("the frame time")
    if n_frames != int(n_frames) or n_frames < 0:
        raise fail(f"frame count {n_frames:g} is not a whole number")
    if not 1e-4 <= frame_time <= 1.0:
        raise fail(f"frame time {frame_time:g} s is not a plausible frame rate")
    n_channels = sum(len(j.channels) for j in joints)
    if n_channels == 0:
        raise fail("the hierarchy has no channels")
    try:
        values = np.array(words[mtok.i:], dtype=np.float64)
    except ValueError:
        raise fail("the motion data contains something that is not a number") from None
    n_frames = int(n_frames)
    if len(values) < n_frames * n_channels:
        raise fail(f"the motion data is truncated: {len(values) // n_channels} of {n_frames} frames")
    values = values[: n_frames * n_channels].reshape(n_frames, n_channels)
    if not np.isfinite(values).all():
        raise fail("the motion data contains NaN or infinite values")
    return BvhClip(joints=joints, frame_time=frame_time, values=values)


# ---------------------------------------------------------------- kinematics

def axis_rotation(axis: str, degrees: np.ndarray) -> np.ndarray:
    """Rotation matrices (..., 3, 3) about one axis."""
    a = np.radians(degrees)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    rows = {
        "X": [[o, z, z], [z, c, -s], [z, s, c]],
        "Y": [[c, z, s], [z, o, z], [-s, z, c]],
        "Z": [[c, -s, z], [s, c, z], [z, z, o]],
    }[axis]
    return np.stack([np.stack(r, axis=-1) for r in rows], axis=-2)


def forward_kinematics(clip: BvhClip) -> np.ndarray:
    """World positions (frames, joints, 3) of every joint and end site, in the file's units and axes.

    A joint's rotation channels multiply in the order listed; its position channels, when present,
    replace the matching OFFSET components.
    """
    n_frames = len(clip.values)
    positions = np.zeros((n_frames, len(clip.joints), 3))
    rotations = np.zeros((n_frames, len(clip.joints), 3, 3))
    column = 0
    for index, joint in enumerate(clip.joints):
        local_t = np.repeat(joint.offset[None], n_frames, axis=0)
        local_r = np.repeat(np.eye(3)[None], n_frames, axis=0)
        for channel in joint.channels:
            axis, values = channel[0], clip.values[:, column]
            column += 1
            if channel.endswith("position"):
                local_t[:, _AXES[axis]] = values
            else:
                local_r = local_r @ axis_rotation(axis, values)
        if joint.parent < 0:
            positions[:, index], rotations[:, index] = local_t, local_r
        else:
            parent_r = rotations[:, joint.parent]
            positions[:, index] = positions[:, joint.parent] + np.einsum("fij,fj->fi", parent_r, local_t)
            rotations[:, index] = parent_r @ local_r
    return positions


# ---------------------------------------------------------------- naming

def split_side(name: str) -> tuple[str, str]:
    """('left' | 'right' | '', base) of a joint name: 'mixamorig:LeftUpLeg' -> ('left', 'upleg')."""
    raw = name.split(":")[-1]
    raw = re.sub(r"^mixamorig" + _SEP + "?", "", raw, flags=re.I)
    side, base = "", raw
    patterns = [
        (rf"^(left|right){_SEP}*(.+)$", 1, 2, re.I),
        (rf"^(.+?){_SEP}*(left|right)$", 2, 1, re.I),
        (rf"^([LR])(?:{_SEP}+|(?=[A-Z]))(.+)$", 1, 2, 0),
        (rf"^([lr]){_SEP}+(.+)$", 1, 2, 0),
        (rf"^(.+?){_SEP}+([LRlr])$", 2, 1, 0),
    ]
    for pattern, side_group, base_group, flags in patterns:
        m = re.match(pattern, raw, flags=flags)
        if m:
            side = "left" if m.group(side_group).lower().startswith("l") else "right"
            base = m.group(base_group)
            break
    return side, re.sub(_SEP, "", base).lower()


def _first(names: dict[str, int], candidates: list[str]) -> int | None:
    for candidate in candidates:
        if candidate in names:
            return names[candidate]
    return None


@dataclass
class _Mapping:
    """How to get each of our 22 joints from the file's joints: a joint index or an interpolation."""

    source: dict[int, int] = field(default_factory=dict)  # our joint -> file joint
    between: dict[int, tuple[int, int, float]] = field(default_factory=dict)  # our joint -> (ours a, ours b, t)
    spine_path: list[int] = field(default_factory=list)  # file joints pelvis .. spine3 for interpolation
    notes: list[str] = field(default_factory=list)

    def apply(self, positions: np.ndarray) -> np.ndarray:
        out = np.zeros((len(positions), N_JOINTS, 3))
        for ours, theirs in self.source.items():
            out[:, ours] = positions[:, theirs]
        if self.spine_path:
            path = positions[:, self.spine_path]
            seg = np.linalg.norm(np.diff(path, axis=1), axis=-1)
            cum = np.concatenate([np.zeros((len(path), 1)), np.cumsum(seg, axis=1)], axis=1)
            for ours, frac in zip((3, 6), SPINE_FRACTIONS):
                target = frac * cum[:, -1:]
                k = np.clip((cum < target).sum(axis=1) - 1, 0, path.shape[1] - 2)
                rows = np.arange(len(path))
                lo, hi = cum[rows, k], cum[rows, k + 1]
                t = ((target[:, 0] - lo) / np.maximum(hi - lo, 1e-12))[:, None]
                out[:, ours] = (1 - t) * path[rows, k] + t * path[rows, k + 1]
        for ours, (a, b, t) in sorted(self.between.items()):
            out[:, ours] = (1 - t) * out[:, a] + t * out[:, b]
        return out


def _ancestors(joints: list[BvhJoint], index: int) -> list[int]:
    chain = []
    while index >= 0:
        chain.append(index)
        index = joints[index].parent
    return chain


def map_joints(joints: list[BvhJoint], fail) -> _Mapping:
    """Find our 22 joints among the file's joints by name and structure."""
    central: dict[str, int] = {}
    sides: dict[str, dict[str, int]] = {"left": {}, "right": {}}
    for index, joint in enumerate(joints):
        if joint.is_end_site:
            continue
        side, base = split_side(joint.name)
        table = sides[side] if side else central
        table.setdefault(base, index)

    m = _Mapping()
    missing: list[str] = []

    def need(ours: str, found: int | None) -> None:
        if found is None:
            missing.append(ours)
        else:
            m.source[JOINT_NAMES.index(ours)] = found

    need("pelvis", _first(central, ["pelvis", "hips", "hip", "root"]))
    need("head", _first(central, ["head"]))
    for side in ("left", "right"):
        names = sides[side]
        need(f"{side}_hip", _first(names, ["upleg", "upperleg", "thigh", "hip", "femur"]))
        need(f"{side}_knee", _first(names, ["leg", "knee", "lowerleg", "lowleg", "shin", "calf"]))
        if "ankle" in names:  # SMPL-style names: "foot" is then the toe
            ankle, toe_names = names["ankle"], ["toebase", "toe", "toes", "ball", "foot"]
        else:
            ankle, toe_names = names.get("foot"), ["toebase", "toe", "toes", "ball"]
        need(f"{side}_ankle", ankle)
        toe = _first(names, toe_names)
        if toe is None and ankle is not None:
            ends = [i for i, j in enumerate(joints) if j.parent == ankle and j.is_end_site]
            if len(ends) == 1:
                toe = ends[0]
                m.notes.append(f"{side}_foot from the ankle's end site")
        need(f"{side}_foot", toe)
        collar = _first(names, ["collar", "clavicle"])
        if collar is not None:
            shoulder_names = ["shoulder", "arm", "upperarm", "uparm", "humerus"]
        else:
            collar = names.get("shoulder")
            shoulder_names = ["arm", "upperarm", "uparm", "humerus"]
        need(f"{side}_shoulder", _first(names, shoulder_names))
        need(f"{side}_elbow", _first(names, ["forearm", "elbow", "lowerarm", "lowarm"]))
        need(f"{side}_wrist", _first(names, ["hand", "wrist"]))
        if collar is not None:
            m.source[JOINT_NAMES.index(f"{side}_collar")] = collar
    if missing:
        seen = [j.name for j in joints if not j.is_end_site]
        listed = ", ".join(seen[:12]) + (f" and {len(seen) - 12} more" if len(seen) > 12 else "")
        raise fail(f"no joint found for {', '.join(missing)} (joints in the file: {listed})")

    _map_spine(joints, central, m, fail)
    for side in ("left", "right"):
        collar = JOINT_NAMES.index(f"{side}_collar")
        if collar not in m.source:  # halfway from the chest to the shoulder
            m.between[collar] = (9, JOINT_NAMES.index(f"{side}_shoulder"), 0.5)
            m.notes.append(f"{side}_collar interpolated")
    return m


def _map_spine(joints: list[BvhJoint], central: dict[str, int], m: _Mapping, fail) -> None:
    pelvis, head = m.source[0], m.source[15]
    if all(k in central for k in ("spine1", "spine2", "spine3")) and "pelvis" in central:
        m.source.update({3: central["spine1"], 6: central["spine2"], 9: central["spine3"]})
        neck = central.get("neck")
        if neck is None:
            m.between[12] = (9, 15, 0.69)
            m.notes.append("neck interpolated")
        else:
            m.source[12] = neck
        return
    # The chest is where the arms and the head branch apart.
    head_up = _ancestors(joints, head)
    arms = [set(_ancestors(joints, m.source[JOINT_NAMES.index(f"{s}_shoulder")])) for s in ("left", "right")]
    chest = next((i for i in head_up if i in arms[0] and i in arms[1]), None)
    if chest is None or pelvis not in _ancestors(joints, chest):
        raise fail("cannot find the spine: the arms and the head do not meet below the neck above the hips")
    neck = _first(central, ["neck", "neck1", "lowerneck"])
    if neck is not None and neck == chest:
        chest = joints[chest].parent
    if neck is not None and neck in head_up and chest in _ancestors(joints, neck) and neck != head:
        m.source[12] = neck
    else:
        m.between[12] = (9, 15, 0.69)
        m.notes.append("neck interpolated")
    m.source[9] = chest
    path = list(reversed(_ancestors(joints, chest)))
    path = path[path.index(pelvis):]
    # Drop zero-length links (CMU's LowerBack sits on the hips) so they do not count as spine levels.
    rest_len = [np.linalg.norm(joints[i].offset) for i in path]
    total = sum(rest_len[1:]) or 1.0
    kept = [path[0]] + [i for i, length in zip(path[1:-1], rest_len[1:-1]) if length > 0.01 * total] + [path[-1]]
    if len(kept) == 4:
        m.source[3], m.source[6] = kept[1], kept[2]
    else:
        m.spine_path = kept
        m.notes.append(f"spine1/spine2 interpolated along {len(kept) - 1} spine links")


# ---------------------------------------------------------------- reading

def _up_rotation(joints: np.ndarray) -> tuple[np.ndarray, str]:
    """Rotation (3, 3) taking the clip's up axis to +Y, and the axis' name, from where the head is."""
    up = joints[:, 15] - 0.5 * (joints[:, 7] + joints[:, 8])
    up = (up / np.maximum(np.linalg.norm(up, axis=-1, keepdims=True), 1e-12)).mean(0)
    axis = int(np.argmax(np.abs(up)))
    sign = 1.0 if up[axis] > 0 else -1.0
    vec = np.zeros(3)
    vec[axis] = sign
    name = ("+" if sign > 0 else "-") + "XYZ"[axis]
    return quat_to_matrix(qbetween(vec, np.array([0.0, 1.0, 0.0]))), name


def _pick_units(height: float) -> tuple[str, float]:
    """The unit that makes this skeleton closest to a human's size."""
    if not height > 0:
        return "m", 1.0
    name = min(UNITS, key=lambda u: abs(math.log(height * UNITS[u] / REFERENCE_HEIGHT_M)))
    return name, UNITS[name]


def resample(positions: np.ndarray, source_fps: float, target_fps: float = FPS) -> np.ndarray:
    """Linear resampling in time; the output spans the same duration, starting at frame 0."""
    n_in = len(positions)
    if n_in < 2 or abs(source_fps - target_fps) < 1e-9:
        return positions.copy()
    duration = (n_in - 1) / source_fps
    n_out = int(math.floor(duration * target_fps + 1e-3)) + 1  # frame times are printed rounded
    x = np.arange(n_out) * (source_fps / target_fps)
    lo = np.clip(np.floor(x).astype(int), 0, n_in - 2)
    t = np.clip(x - lo, 0.0, 1.0)[:, None, None]
    return (1 - t) * positions[lo] + t * positions[lo + 1]


def read_bvh(path: str | os.PathLike, canonical: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
    """Joints (T, 22, 3) float32 in metres, Y up, 20 fps, and what was found out about the file.

    canonical=True also puts the clip the way HumanML3D does (feet on y=0, starting at the origin
    facing +Z); False keeps the file's placement (after units and up axis).
    """
    path = Path(path)

    def fail(message: str) -> MotionFileError:
        return MotionFileError(f"{path.name}: {message}")

    try:
        if path.stat().st_size > MAX_BVH_BYTES:
            raise fail(f"is larger than {MAX_BVH_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})") from None
    clip = parse_bvh(text, fail)
    if len(clip.values) < 2:
        raise fail(f"has {len(clip.values)} frame{'s' if len(clip.values) != 1 else ''}; a motion needs at least 2")
    if (len(clip.values) - 1) * clip.frame_time > MAX_SECONDS:
        raise fail(f"lasts more than {MAX_SECONDS // 60} minutes")
    mapping = map_joints(clip.joints, fail)
    ours = mapping.apply(forward_kinematics(clip))

    from .formats import body_height

    unit, scale = _pick_units(body_height(ours))
    up_rot, up_name = _up_rotation(ours)
    ours = np.einsum("ij,ftj->fti", up_rot, ours * scale)
    source_fps = 1.0 / clip.frame_time
    ours = resample(ours, source_fps, FPS)
    if len(ours) < 2:
        raise fail("is shorter than one frame at 20 fps")
    if canonical:
        ours = canonicalize(ours)
    info = {
        "source_fps": round(source_fps, 3),
        "source_frames": len(clip.values),
        "units": unit,
        "up_axis": up_name,
        "joints_in_file": sum(not j.is_end_site for j in clip.joints),
        "mapped": {JOINT_NAMES[k]: clip.joints[v].name for k, v in sorted(mapping.source.items())},
        "notes": mapping.notes,
    }
    return ours.astype(np.float32), info


# ---------------------------------------------------------------- writing

def kabsch(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Rotations R (..., 3, 3) minimising sum_k |R a_k - b_k|^2 for vectors a, b (..., K, 3)."""
    h = np.einsum("...ki,...kj->...ij", a, b)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.swapaxes(vt, -1, -2) @ np.swapaxes(u, -1, -2)))
    d = np.where(d == 0, 1.0, d)
    fix = np.zeros(h.shape)
    fix[..., 0, 0] = 1.0
    fix[..., 1, 1] = 1.0
    fix[..., 2, 2] = d
    return np.swapaxes(vt, -1, -2) @ fix @ np.swapaxes(u, -1, -2)


def _children(j: int) -> list[int]:
    return [c for c in range(N_JOINTS) if PARENTS[c] == j]


def rest_offsets(joints: np.ndarray) -> np.ndarray:
    """Rest offsets (22, 3): mean bone lengths along RAW_OFFSETS; siblings keep their mean relative angles."""
    lengths = np.maximum(bone_lengths(joints).mean(0), 1e-4)
    dirs = RAW_OFFSETS.copy()
    for j in range(N_JOINTS):
        kids = _children(j)
        if len(kids) < 2:
            continue
        bones = joints[:, kids] - joints[:, j : j + 1]
        for _ in range(3):  # generalised Procrustes: fit, then average the bones in the fitted frame
            rot = kabsch(np.broadcast_to(dirs[kids] * lengths[kids, None], bones.shape), bones)
            local = np.einsum("fji,fkj->fki", rot, bones)
            mean = local.mean(0)
            dirs[kids] = mean / np.maximum(np.linalg.norm(mean, axis=-1, keepdims=True), 1e-12)
    offsets = dirs * lengths[:, None]
    offsets[0] = 0.0
    return offsets


def global_rotations(joints: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-frame world rotations (T, 22, 3, 3) taking each joint's rest offsets onto its children's bones."""
    n = len(joints)
    rots = np.repeat(np.eye(3)[None, None], n, axis=0).repeat(N_JOINTS, axis=1)
    for j in range(N_JOINTS):  # parents come before children in PARENTS
        kids = _children(j)
        parent_rot = rots[:, PARENTS[j]] if j > 0 else np.repeat(np.eye(3)[None], n, axis=0)
        if not kids:
            rots[:, j] = parent_rot
        elif len(kids) == 1:
            rest_dir = np.einsum("fij,j->fi", parent_rot, offsets[kids[0]])
            bone = joints[:, kids[0]] - joints[:, j]
            rots[:, j] = quat_to_matrix(qbetween(rest_dir, bone)) @ parent_rot
        else:
            bones = joints[:, kids] - joints[:, j : j + 1]
            rots[:, j] = kabsch(np.broadcast_to(offsets[kids], bones.shape), bones)
    return rots


def matrix_to_euler_zxy(r: np.ndarray) -> np.ndarray:
    """Degrees (..., 3) as (z, x, y) with R = Rz @ Rx @ Ry, the order written in the CHANNELS lines."""
    x = np.arcsin(np.clip(r[..., 2, 1], -1.0, 1.0))
    z = np.arctan2(-r[..., 0, 1], r[..., 1, 1])
    y = np.arctan2(-r[..., 2, 0], r[..., 2, 2])
    locked = np.abs(np.cos(x)) < 1e-6  # gimbal lock: put all of the turn about z
    z = np.where(locked, np.arctan2(r[..., 1, 0], r[..., 0, 0]), z)
    y = np.where(locked, 0.0, y)
    return np.degrees(np.stack([z, x, y], axis=-1))


def write_bvh(joints: np.ndarray, path: str | os.PathLike, fps: float = FPS) -> Path:
    """Write joints (T, 22, 3) in metres as a BVH with SMPL joint names; returns the path."""
    joints = np.asarray(joints, dtype=np.float64)
    if joints.ndim != 3 or joints.shape[1:] != (N_JOINTS, 3) or len(joints) < 1:
        raise ValueError(f"joints must be (T, {N_JOINTS}, 3), got {joints.shape}")
    offsets = rest_offsets(joints)
    world = global_rotations(joints, offsets)
    parents = np.array([max(p, 0) for p in PARENTS])
    local = np.einsum("fpji,fpjk->fpik", world[:, parents], world)
    local[:, 0] = world[:, 0]
    euler = matrix_to_euler_zxy(local)

    lines = ["HIERARCHY"]
    order: list[int] = []

    def emit(j: int, depth: int) -> None:
        pad = "  " * depth
        order.append(j)
        kind = "ROOT" if j == 0 else "JOINT"
        lines.append(f"{pad}{kind} {JOINT_NAMES[j]}")
        lines.append(f"{pad}{{")
        off = offsets[j]
        lines.append(f"{pad}  OFFSET {off[0]:.6f} {off[1]:.6f} {off[2]:.6f}")
        chans = "Zrotation Xrotation Yrotation"
        lines.append(f"{pad}  CHANNELS 6 Xposition Yposition Zposition {chans}" if j == 0 else f"{pad}  CHANNELS 3 {chans}")
        kids = _children(j)
        for c in kids:
            emit(c, depth + 1)
        if not kids:
            end = RAW_OFFSETS[j] * 0.5 * np.linalg.norm(offsets[j])
            lines.extend([f"{pad}  End Site", f"{pad}  {{", f"{pad}    OFFSET {end[0]:.6f} {end[1]:.6f} {end[2]:.6f}",
                          f"{pad}  }}"])
        lines.append(f"{pad}}}")

    emit(0, 0)
    lines += ["MOTION", f"Frames: {len(joints)}", f"Frame Time: {1.0 / fps:.8f}"]
    for f in range(len(joints)):
        row = [joints[f, 0]] + [euler[f, j] for j in order]
        lines.append(" ".join(f"{v:.6f}" for v in np.concatenate(row)))
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
