"""BVH in: any humanoid BVH onto our 22 joints, in metres, Y up, 20 fps.

Parse the HIERARCHY and MOTION sections (any channel order, positions on any joint), run forward
kinematics, find our 22 joints among the file's names (CMU, Mixamo, LAFAN, SMPL and similar
spellings; missing spine levels, neck, collars or toes are interpolated), guess the units from the
body's size and the up axis from where the head is, and resample to 20 fps. The proportions stay the
file's: `retarget.retarget` puts the result on the reference skeleton (`formats.load_motion` does).
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
from .retarget import resample
from .skeleton import BONE_LENGTHS, FPS, JOINT_NAMES, N_JOINTS, REFERENCE_HEIGHT_M, body_height

MAX_BVH_BYTES = 300 * 1024 * 1024
MAX_SECONDS = 10 * 60
MAX_DEPTH = 200
# Candidate length units of BVH files, in metres. "cmu" is the CMU mocap ASF unit (1/0.45 inch).
UNITS: dict[str, float] = {"m": 1.0, "cm": 0.01, "mm": 0.001, "inch": 0.0254, "cmu": 0.0254 / 0.45}
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
