"""Small synthetic clips for the motion-layer tests: a walker by forward kinematics, other rigs' BVH files."""
from __future__ import annotations

import numpy as np

from motion_studio.motion.bvh import axis_rotation
from motion_studio.motion.skeleton import JOINT_NAMES, N_JOINTS, PARENTS, REST_OFFSETS


def rot_x(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def pose(local: dict[int, np.ndarray], root_pos, root_rot: np.ndarray) -> np.ndarray:
    """Forward kinematics on REST_OFFSETS: local[j] rotates the bones below joint j."""
    glob = [root_rot]
    pos = [np.asarray(root_pos, dtype=float)]
    for j in range(1, N_JOINTS):
        p = PARENTS[j]
        pos.append(pos[p] + glob[p] @ REST_OFFSETS[j])
        glob.append(glob[p] @ local.get(j, np.eye(3)))
    return np.array(pos)


def walking_clip(n_frames: int = 80, fps: float = 20.0, speed: float = 1.3, turn_rate: float = 0.3,
                 start=(0.5, 0.9, -2.0), start_yaw: float = 0.7) -> np.ndarray:
    """A figure walking along a gentle curve (turn_rate rad/s), swinging legs and arms; (T, 22, 3)."""
    frames = []
    pos = np.array(start, dtype=float)
    yaw = start_yaw
    for t in range(n_frames):
        phase = 2 * np.pi * 0.9 * t / fps
        swing = 0.45 * np.sin(phase)
        local = {
            1: rot_x(-swing), 2: rot_x(swing),
            4: rot_x(0.3 + 0.3 * np.cos(phase)), 5: rot_x(0.3 - 0.3 * np.cos(phase)),
            16: rot_x(0.3 * np.sin(phase)), 17: rot_x(-0.3 * np.sin(phase)),
            18: rot_x(-0.2), 19: rot_x(-0.2),
        }
        bob = 0.03 * np.cos(2 * phase)
        frames.append(pose(local, pos + [0, bob, 0], rot_y(yaw)))
        pos = pos + rot_y(yaw) @ np.array([0.0, 0.0, speed / fps])
        yaw += turn_rate / fps
    return np.array(frames, dtype=np.float32)


def standing_clip(n_frames: int = 40) -> np.ndarray:
    """A figure standing perfectly still, facing +Z with its feet on y=0; (T, 22, 3)."""
    p = pose({}, [0, 0, 0], np.eye(3))
    p[:, 1] -= p[[7, 8, 10, 11], 1].min()
    return np.repeat(p[None], n_frames, axis=0).astype(np.float32)


# ---------------------------------------------------------------- other rigs as BVH (CMU, Mixamo, LAFAN names)

Y_UP_TO_Z_UP = np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])  # (x, y, z) -> (x, -z, y)
Z_UP_CM = Y_UP_TO_Z_UP * 100.0  # Y-up metres -> Z-up centimetres
R = REST_OFFSETS


def rig_rows(style: str):
    """(name, parent name, offset in Y-up metres, our joint or None) in hierarchy order."""
    p = "mixamorig:" if style == "mixamo" else ""
    rows = [(f"{p}Hips", None, np.zeros(3), "pelvis")]
    for side, s, hip, knee, ankle, toe in (("Left", "left", 1, 4, 7, 10), ("Right", "right", 2, 5, 8, 11)):
        top = f"{p}Hips"
        if style == "cmu":
            rows.append((f"{side[0]}HipJoint", top, np.zeros(3), None))
            top = f"{side[0]}HipJoint"
        rows += [(f"{p}{side}UpLeg", top, R[hip], f"{s}_hip"),
                 (f"{p}{side}Leg", f"{p}{side}UpLeg", R[knee], f"{s}_knee"),
                 (f"{p}{side}Foot", f"{p}{side}Leg", R[ankle], f"{s}_ankle"),
                 (f"{p}{side}{'Toe' if style == 'lafan' else 'ToeBase'}", f"{p}{side}Foot", R[toe], f"{s}_foot")]
    if style == "cmu":
        rows += [("LowerBack", "Hips", np.zeros(3), None), ("Spine", "LowerBack", R[3], None),
                 ("Spine1", "Spine", R[6] + R[9], "spine3"), ("Neck", "Spine1", R[12], "neck"),
                 ("Neck1", "Neck", 0.5 * R[15], None), ("Head", "Neck1", 0.5 * R[15], "head")]
        chest = "Spine1"
    else:
        rows += [(f"{p}Spine", f"{p}Hips", R[3], "spine1"), (f"{p}Spine1", f"{p}Spine", R[6], "spine2"),
                 (f"{p}Spine2", f"{p}Spine1", R[9], "spine3"), (f"{p}Neck", f"{p}Spine2", R[12], "neck"),
                 (f"{p}Head", f"{p}Neck", R[15], "head")]
        chest = f"{p}Spine2"
    for side, s, collar, sh, el, wr in (("Left", "left", 13, 16, 18, 20), ("Right", "right", 14, 17, 19, 21)):
        rows += [(f"{p}{side}Shoulder", chest, R[collar], f"{s}_collar"),
                 (f"{p}{side}Arm", f"{p}{side}Shoulder", R[sh], f"{s}_shoulder"),
                 (f"{p}{side}ForeArm", f"{p}{side}Arm", R[el], f"{s}_elbow"),
                 (f"{p}{side}Hand", f"{p}{side}ForeArm", R[wr], f"{s}_wrist")]
    return rows


def write_rig_bvh(path, rows, n_frames=31, fps=30.0, order="ZYX", drop=()):
    """A clip in Z-up centimetres: the root walks along -Y (Z-up forward) and turns, knees and elbows bend.

    Returns the expected world positions (frames, our 22 joints, 3) in Y-up metres, by our own FK here.
    """
    rows = [r for r in rows if r[0] not in drop]
    names = [r[0] for r in rows]
    kids = {n: [r[0] for r in rows if r[1] == n] for n in names}
    angles = {}
    for name, *_ in rows:
        a = np.zeros((n_frames, 3))
        if "Leg" in name and "Up" not in name:
            a[:, 1] = 40 * np.sin(np.linspace(0, 3, n_frames))  # second channel
        if "ForeArm" in name:
            a[:, 0] = 30 * np.linspace(0, 1, n_frames)
        if name.endswith("Hips"):
            a[:, 0] = 20 * np.linspace(0, 1, n_frames)  # first channel (Z = up): a turn
        angles[name] = a
    root = np.stack([np.zeros(n_frames), -np.arange(n_frames) * 130.0 / fps, np.full(n_frames, 92.0)], -1)

    lines = ["HIERARCHY"]
    chans = " ".join(f"{c}rotation" for c in order)

    def emit(name, depth):
        row = next(r for r in rows if r[0] == name)
        off = Z_UP_CM @ row[2]
        pad = "  " * depth
        lines.append(f"{pad}{'ROOT' if depth == 0 else 'JOINT'} {name}")
        lines.append(pad + "{")
        lines.append(f"{pad}  OFFSET {off[0]:.6f} {off[1]:.6f} {off[2]:.6f}")
        lines.append(f"{pad}  CHANNELS {6 if depth == 0 else 3} {'Xposition Yposition Zposition ' if depth == 0 else ''}{chans}")
        for k in kids[name]:
            emit(k, depth + 1)
        if not kids[name]:
            lines.extend([pad + "  End Site", pad + "  {", pad + "    OFFSET 0 0 5", pad + "  }"])
        lines.append(pad + "}")

    emit(names[0], 0)
    order_names = []
    for line in lines:
        parts = line.split()
        if parts and parts[0] in ("ROOT", "JOINT"):
            order_names.append(parts[1])
    lines += ["MOTION", f"Frames: {n_frames}", f"Frame Time: {1 / fps:.8f}"]
    for f in range(n_frames):
        vals = list(root[f]) + [v for n in order_names for v in angles[n][f]]
        lines.append(" ".join(f"{v:.6f}" for v in vals))
    path.write_text("\n".join(lines) + "\n")

    # Our own FK, in Z-up cm, then to Y-up metres.
    pos, glob = {}, {}
    for name, parent, off, _ in rows:
        local = np.eye(3)
        for axis, col in zip(order, range(3)):
            local = local @ axis_rotation(axis, angles[name][:, col])
        if parent is None:
            pos[name], glob[name] = root, local
        else:
            pos[name] = pos[parent] + np.einsum("fij,j->fi", glob[parent], Z_UP_CM @ off)
            glob[name] = glob[parent] @ local
    expected = np.full((n_frames, 22, 3), np.nan)
    for name, _, _, ours in rows:
        if ours is not None:
            expected[:, JOINT_NAMES.index(ours)] = pos[name] @ Y_UP_TO_Z_UP / 100.0  # back: Z-up cm -> Y-up m
    return expected
