"""BVH out: our joints (T, 22, 3) as a 22-joint BVH, SMPL-named by default.

Rest offsets are the mean bone lengths along skeleton.RAW_OFFSETS directions (the siblings under
the pelvis and spine3 keep their mean angles to each other instead, because one rotation cannot put
three axis-aligned bones onto a real pelvis); each joint's rotation takes its rest offsets onto its
children's bones (shortest arc for one child, Kabsch for several). Other rigs' joint names, length
units and a Z-up world can be asked for, to make files the way other tools do (see `RIG_NAMES`).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .features import qbetween, quat_to_matrix
from .skeleton import FPS, JOINT_NAMES, N_JOINTS, PARENTS, RAW_OFFSETS, bone_lengths


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


def _side_names(prefix: str, central: dict[str, str], limbs: dict[str, str]) -> tuple[str, ...]:
    names = []
    for ours in JOINT_NAMES:
        if ours.startswith(("left_", "right_")):
            side, base = ours.split("_", 1)
            names.append(f"{prefix}{side.capitalize()}{limbs[base]}")
        else:
            names.append(f"{prefix}{central[ours]}")
    return tuple(names)


_LIMBS = {"hip": "UpLeg", "knee": "Leg", "ankle": "Foot", "foot": "ToeBase", "collar": "Shoulder",
          "shoulder": "Arm", "elbow": "ForeArm", "wrist": "Hand"}
# Joint names other tools write, for our 22 joints in JOINT_NAMES order (read back by bvh_read's matcher).
RIG_NAMES: dict[str, tuple[str, ...]] = {
    "smpl": JOINT_NAMES,
    "cmu": _side_names("", {"pelvis": "Hips", "spine1": "LowerBack", "spine2": "Spine", "spine3": "Spine1",
                            "neck": "Neck", "head": "Head"}, _LIMBS),
    "mixamo": _side_names("mixamorig:", {"pelvis": "Hips", "spine1": "Spine", "spine2": "Spine1",
                                         "spine3": "Spine2", "neck": "Neck", "head": "Head"}, _LIMBS),
}
# Y-up -> Z-up: (x, y, z) -> (x, -z, y); the body's forward +Z becomes -Y, as Blender writes it.
Y_UP_TO_Z_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


def write_bvh(joints: np.ndarray, path: str | os.PathLike, fps: float = FPS, *,
              names: str | tuple[str, ...] = "smpl", units_per_m: float = 1.0, up: str = "Y") -> Path:
    """Write joints (T, 22, 3) in metres, Y up, as a BVH; returns the path.

    `names` is a key of RIG_NAMES or 22 names in JOINT_NAMES order; `units_per_m` scales lengths
    (100 for centimetres); up="Z" turns the world so that Z is up. The defaults write SMPL names in
    metres, Y up.
    """
    joints = np.asarray(joints, dtype=np.float64)
    if joints.ndim != 3 or joints.shape[1:] != (N_JOINTS, 3) or len(joints) < 1:
        raise ValueError(f"joints must be (T, {N_JOINTS}, 3), got {joints.shape}")
    labels = RIG_NAMES[names] if isinstance(names, str) else tuple(names)
    if len(labels) != N_JOINTS or len(set(labels)) != N_JOINTS or any(not n or " " in n for n in labels):
        raise ValueError(f"names must be {N_JOINTS} distinct joint names without spaces")
    if not units_per_m > 0 or up not in ("Y", "Z"):
        raise ValueError(f"units_per_m must be positive and up 'Y' or 'Z', got {units_per_m}, {up!r}")
    joints = joints * float(units_per_m)
    if up == "Z":
        joints = joints @ Y_UP_TO_Z_UP.T
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
        lines.append(f"{pad}{kind} {labels[j]}")
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
