"""Joint positions (T, 22, 3) <-> HumanML3D's 263-dim motion features, and their normalisation.

The layout and every processing step follow HumanML3D (`motion_representation.ipynb`,
`common/skeleton.py`, `common/quaternion.py`) so that our vectors are interchangeable with the
real dataset's `new_joint_vecs` and a model trained on one reads the other. Per frame t:

    [0]        root angular velocity about Y, t -> t+1 (HumanML3D stores the *half* angle of the
               yaw change, and with the opposite sign of the body's yaw; see `root_yaw_rate`)
    [1:3]      root linear velocity x, z, t -> t+1, in the root frame of t+1 (metres/frame)
    [3]        root height (metres)
    [4:67]     joints 1..21 relative to the root's xz, rotated into the root frame (63)
    [67:193]   6D rotations of joints 1..21 from inverse kinematics against RAW_OFFSETS (126)
    [193:259]  velocities t -> t+1 of all 22 joints, in the root frame of t (66)
    [259:263]  foot contacts t -> t+1: left ankle, left toe, right ankle, right toe (0/1)

Length convention: velocities need the next frame, so T input frames give T-1 feature rows;
row t describes frame t. `features_to_joints` gives back one frame per row.

HumanML3D quirks we keep on purpose, because the dataset was made with them:
- the root rotation of frame 0 is forced to identity, and the forward direction used for the
  other frames is Gaussian-smoothed (sigma 20 frames), so row 0's angular velocity is the jump
  from identity to the smoothed heading;
- the IK's across vector unpacks the face joints in a different order than the canonicaliser,
  giving (l_hip - r_hip) + (r_shoulder - l_shoulder): the shoulders dominate, so it still points
  to the body's right.
One deliberate difference: HumanML3D takes arcsin of the yaw step's quaternion y without fixing
the quaternion's sign, so the step where the heading passes 180 degrees from the start gets the
wrong sign and its own recovery drifts; we flip the step to w >= 0 first (identical elsewhere).
HumanML3D also retargets every clip to one reference skeleton before this step; here that is
`retarget.retarget`, which `formats.load_motion` applies to every file (clips from the dataset are
already retargeted, and our own generator uses those bone lengths).

Pure numpy; the torch decoder imports torch inside the function.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .skeleton import FACE_JOINTS, FEATURE_DIM, KINEMATIC_CHAIN, LEFT_FOOT, N_JOINTS, RAW_OFFSETS, RIGHT_FOOT

if TYPE_CHECKING:  # pragma: no cover
    import torch

# Feature groups, in HumanML3D order.
ROOT_ROT_VEL = slice(0, 1)
ROOT_LIN_VEL = slice(1, 3)
ROOT_Y = slice(3, 4)
RIC = slice(4, 4 + (N_JOINTS - 1) * 3)  # 4:67
ROT6D = slice(RIC.stop, RIC.stop + (N_JOINTS - 1) * 6)  # 67:193
LOCAL_VEL = slice(ROT6D.stop, ROT6D.stop + N_JOINTS * 3)  # 193:259
CONTACTS = slice(LOCAL_VEL.stop, LOCAL_VEL.stop + 4)  # 259:263
FEATURE_GROUPS: dict[str, slice] = {
    "root_rot_vel": ROOT_ROT_VEL,
    "root_lin_vel": ROOT_LIN_VEL,
    "root_y": ROOT_Y,
    "ric": RIC,
    "rot6d": ROT6D,
    "local_vel": LOCAL_VEL,
    "contacts": CONTACTS,
}
assert CONTACTS.stop == FEATURE_DIM

# HumanML3D's foot-contact threshold on the squared per-frame displacement (m^2).
CONTACT_THRESHOLD = 0.002
# HumanML3D smooths the facing direction with this Gaussian sigma (frames) before IK.
FORWARD_SMOOTH_SIGMA = 20.0
# Std weights per group in HumanML3D's cal_mean_variance (all 1.0: the group std is just averaged;
# the sample's Std.npy contact value 0.356 = sqrt(p(1-p)) for p~0.85 confirms no extra weighting).
STD_GROUP_WEIGHTS: dict[str, float] = {name: 1.0 for name in FEATURE_GROUPS}

_EPS = 1e-8


# ---------------------------------------------------------------- quaternions (w, x, y, z)

def qmul(q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Hamilton product q * r (apply r first, then q)."""
    w1, x1, y1, z1 = np.moveaxis(q, -1, 0)
    w2, x2, y2, z2 = np.moveaxis(r, -1, 0)
    return np.stack(
        [
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ],
        axis=-1,
    )


def qinv(q: np.ndarray) -> np.ndarray:
    """Inverse of a unit quaternion (its conjugate)."""
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def qrot(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate vectors v (..., 3) by unit quaternions q (..., 4); shapes broadcast."""
    qv = q[..., 1:]
    uv = np.cross(qv, v)
    uuv = np.cross(qv, uv)
    return v + 2.0 * (q[..., :1] * uv + uuv)


def qbetween(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Shortest-arc unit quaternion taking direction u onto direction v (..., 3) -> (..., 4).

    For opposite vectors (where HumanML3D would give NaN) we turn 180 degrees about an axis
    perpendicular to u, so degenerate poses stay finite.
    """
    u, v = np.broadcast_arrays(np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64))
    axis = np.cross(u, v)
    w = np.sqrt((u**2).sum(-1) * (v**2).sum(-1)) + (u * v).sum(-1)
    q = np.concatenate([w[..., None], axis], axis=-1)
    norm = np.linalg.norm(q, axis=-1, keepdims=True)
    bad = norm[..., 0] < 1e-9
    if np.any(bad):
        ub = u[bad]
        helper = np.where(np.abs(ub[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
        perp = np.cross(ub, helper)
        perp_norm = np.linalg.norm(perp, axis=-1, keepdims=True)
        fallback = np.concatenate([np.zeros((len(ub), 1)), perp / np.maximum(perp_norm, _EPS)], axis=-1)
        fallback[perp_norm[:, 0] < _EPS] = [1.0, 0.0, 0.0, 0.0]  # a zero vector: no rotation
        q[bad] = fallback
        norm[bad] = 1.0
    return q / norm


def quat_to_matrix(q: np.ndarray) -> np.ndarray:
    """Rotation matrices (..., 3, 3) of quaternions (..., 4), so that R @ v == qrot(q, v)."""
    w, x, y, z = np.moveaxis(q, -1, 0)
    s = 2.0 / (q * q).sum(-1)
    m = np.stack(
        [
            1 - s * (y * y + z * z), s * (x * y - z * w), s * (x * z + y * w),
            s * (x * y + z * w), 1 - s * (x * x + z * z), s * (y * z - x * w),
            s * (x * z - y * w), s * (y * z + x * w), 1 - s * (x * x + y * y),
        ],
        axis=-1,
    )
    return m.reshape(q.shape[:-1] + (3, 3))


def quat_to_cont6d(q: np.ndarray) -> np.ndarray:
    """HumanML3D's continuous 6D rotation: the first two columns of the matrix, column 0 first."""
    m = quat_to_matrix(q)
    return np.concatenate([m[..., 0], m[..., 1]], axis=-1)


# ---------------------------------------------------------------- helpers

def gaussian_smooth(x: np.ndarray, sigma: float, axis: int = 0) -> np.ndarray:
    """Gaussian filter along `axis` with edge ('nearest') padding and a 4-sigma kernel.

    The same filter as scipy.ndimage.gaussian_filter1d(mode='nearest'), which HumanML3D uses to
    smooth the facing direction; written out so the motion layer needs only numpy.
    """
    radius = int(4.0 * sigma + 0.5)
    taps = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 * (taps / sigma) ** 2)
    kernel /= kernel.sum()
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, 0)
    padded = np.concatenate([np.repeat(x[:1], radius, 0), x, np.repeat(x[-1:], radius, 0)], axis=0)
    flat = padded.reshape(len(padded), -1)
    out = np.stack([np.convolve(flat[:, i], kernel, mode="valid") for i in range(flat.shape[1])], axis=-1)
    return np.moveaxis(out.reshape(x.shape), 0, axis)


def _check_joints(joints: np.ndarray, min_frames: int = 1) -> np.ndarray:
    joints = np.asarray(joints, dtype=np.float64)
    if joints.ndim != 3 or joints.shape[1:] != (N_JOINTS, 3):
        raise ValueError(f"joints must be (T, {N_JOINTS}, 3), got {joints.shape}")
    if len(joints) < min_frames:
        raise ValueError(f"need at least {min_frames} frames, got {len(joints)}")
    return joints


def _forward_from_across(across: np.ndarray) -> np.ndarray:
    """Horizontal facing direction: up x across (the across vector points to the body's right)."""
    across = across / np.maximum(np.linalg.norm(across, axis=-1, keepdims=True), _EPS)
    forward = np.cross(np.array([0.0, 1.0, 0.0]), across)
    return forward / np.maximum(np.linalg.norm(forward, axis=-1, keepdims=True), _EPS)


# ---------------------------------------------------------------- joints -> features

def canonicalize(joints: np.ndarray) -> np.ndarray:
    """Put a clip where HumanML3D puts it: floor at y=0, root xz at the origin and facing +Z at frame 0.

    The floor is the lowest foot joint (ankles and toes) over the whole clip; the facing comes
    from the across vector (r_hip - l_hip) + (r_shoulder - l_shoulder) at frame 0.
    """
    pos = _check_joints(joints).copy()
    feet = list(LEFT_FOOT + RIGHT_FOOT)
    pos[..., 1] -= pos[:, feet, 1].min()
    pos -= pos[0, 0] * np.array([1.0, 0.0, 1.0])
    r_hip, l_hip, r_sdr, l_sdr = FACE_JOINTS
    across = (pos[0, r_hip] - pos[0, l_hip]) + (pos[0, r_sdr] - pos[0, l_sdr])
    forward = _forward_from_across(across)
    q = qbetween(forward, np.array([0.0, 0.0, 1.0]))
    return qrot(q, pos).astype(np.float32)


def root_rotations(joints: np.ndarray) -> np.ndarray:
    """Per-frame yaw quaternions (T, 4) that turn the world into each frame's root frame.

    HumanML3D's IK root: across vector in its (swapped) face-joint order, forward smoothed over
    time with sigma 20 frames, frame 0 forced to identity.
    """
    pos = _check_joints(joints)
    # HumanML3D unpacks FACE_JOINTS (r_hip, l_hip, r_sdr, l_sdr) as (l_hip, r_hip, r_sdr, l_sdr).
    a, b, r_sdr, l_sdr = FACE_JOINTS
    across = (pos[:, b] - pos[:, a]) + (pos[:, r_sdr] - pos[:, l_sdr])
    across = across / np.maximum(np.linalg.norm(across, axis=-1, keepdims=True), _EPS)
    forward = np.cross(np.array([0.0, 1.0, 0.0]), across)
    # Hips exactly as wide as the shoulders cancel in that sum: use the canonicaliser's vector there.
    flat = np.linalg.norm(forward, axis=-1) < 1e-6
    if np.any(flat):
        proper = (pos[flat, a] - pos[flat, b]) + (pos[flat, r_sdr] - pos[flat, l_sdr])
        forward[flat] = _forward_from_across(proper)
    forward = gaussian_smooth(forward, FORWARD_SMOOTH_SIGMA, axis=0)
    forward /= np.maximum(np.linalg.norm(forward, axis=-1, keepdims=True), _EPS)
    forward[np.linalg.norm(forward, axis=-1) < 0.5] = [0.0, 0.0, 1.0]  # no horizontal facing at all
    root = qbetween(forward, np.array([0.0, 0.0, 1.0]))
    root[0] = np.array([1.0, 0.0, 0.0, 0.0])
    return root


def inverse_kinematics(joints: np.ndarray, root_quat: np.ndarray) -> np.ndarray:
    """Local joint quaternions (T, 22, 4): each takes its RAW_OFFSETS bone direction onto the observed one.

    Walks each kinematic chain from the root, as HumanML3D does; a joint's rotation is set by the
    next bone along its chain (so spine3's rotation follows the neck, not the collars).
    """
    pos = _check_joints(joints)
    quats = np.zeros(pos.shape[:2] + (4,))
    quats[..., 0] = 1.0
    quats[:, 0] = root_quat
    for chain in KINEMATIC_CHAIN:
        parent_global = root_quat
        for j, child in zip(chain[:-1], chain[1:]):
            bone = pos[:, child] - pos[:, j]
            bone = bone / np.maximum(np.linalg.norm(bone, axis=-1, keepdims=True), _EPS)
            global_rot = qbetween(np.broadcast_to(RAW_OFFSETS[child], bone.shape), bone)
            local = qmul(qinv(parent_global), global_rot)
            quats[:, child] = local
            parent_global = qmul(parent_global, local)
    return quats


def _contacts_from_positions(pos: np.ndarray) -> np.ndarray:
    """(T-1, 4) float contacts: squared displacement t -> t+1 below the threshold, per foot joint."""
    feet = list(LEFT_FOOT + RIGHT_FOOT)
    disp2 = ((pos[1:, feet] - pos[:-1, feet]) ** 2).sum(-1)
    return (disp2 < CONTACT_THRESHOLD).astype(np.float64)


def joints_to_features(joints: np.ndarray) -> np.ndarray:
    """HumanML3D's 263-dim features (T-1, 263) float32 of a clip of joints (T, 22, 3), T >= 2.

    Canonicalises first, so the clip may start anywhere and face any way.
    """
    pos = canonicalize(_check_joints(joints, min_frames=2)).astype(np.float64)
    n = len(pos)

    contacts = _contacts_from_positions(pos)
    r_rot = root_rotations(pos)
    rot6d = quat_to_cont6d(inverse_kinematics(pos, r_rot))[:, 1:].reshape(n, -1)

    root_vel = qrot(r_rot[1:], pos[1:, 0] - pos[:-1, 0])
    yaw_step = qmul(r_rot[1:], qinv(r_rot[:-1]))
    yaw_step *= np.where(yaw_step[:, :1] < 0, -1.0, 1.0)  # same rotation, w >= 0 (see module doc)
    rot_vel = np.arcsin(np.clip(yaw_step[:, 2:3], -1.0, 1.0))

    ric = pos.copy()
    ric[..., [0, 2]] -= pos[:, :1, [0, 2]]
    ric = qrot(r_rot[:, None], ric)

    local_vel = qrot(r_rot[:-1, None], pos[1:] - pos[:-1]).reshape(n - 1, -1)

    feats = np.concatenate(
        [
            rot_vel,
            root_vel[:, [0, 2]],
            pos[:-1, 0, 1:2],
            ric[:-1, 1:].reshape(n - 1, -1),
            rot6d[:-1],
            local_vel,
            contacts,
        ],
        axis=-1,
    )
    return feats.astype(np.float32)


# ---------------------------------------------------------------- features -> joints

def _check_features(features: np.ndarray) -> np.ndarray:
    f = np.asarray(features, dtype=np.float64)
    if f.ndim != 2 or f.shape[1] != FEATURE_DIM:
        raise ValueError(f"features must be (T, {FEATURE_DIM}), got {f.shape}")
    return f


def recover_root(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integrate the root: yaw quaternions (T, 4) and root positions (T, 3), as HumanML3D's recover_root_rot_pos."""
    f = _check_features(features)
    angle = np.concatenate([[0.0], np.cumsum(f[:-1, 0])])  # half-angle, HumanML3D's convention
    r_rot = np.zeros((len(f), 4))
    r_rot[:, 0] = np.cos(angle)
    r_rot[:, 2] = np.sin(angle)
    step = np.zeros((len(f), 3))
    step[1:, [0, 2]] = f[:-1, 1:3]
    root = np.cumsum(qrot(qinv(r_rot), step), axis=0)
    root[:, 1] = f[:, 3]
    return r_rot, root


def features_to_joints(features: np.ndarray) -> np.ndarray:
    """Joint positions (T, 22, 3) float32 from features (T, 263): HumanML3D's recover_from_ric."""
    f = _check_features(features)
    r_rot, root = recover_root(f)
    ric = f[:, RIC].reshape(len(f), N_JOINTS - 1, 3)
    world = qrot(qinv(r_rot)[:, None], ric)
    world[..., 0] += root[:, None, 0]
    world[..., 2] += root[:, None, 2]
    return np.concatenate([root[:, None], world], axis=1).astype(np.float32)


def features_to_joints_torch(features: "torch.Tensor") -> "torch.Tensor":
    """Batched, differentiable features (..., T, 263) -> joints (..., T, 22, 3), same maths as above."""
    import torch

    f = features
    angle = torch.cumsum(torch.cat([torch.zeros_like(f[..., :1, 0]), f[..., :-1, 0]], dim=-1), dim=-1)
    zeros = torch.zeros_like(angle)
    # Inverse of the yaw quaternion (cos a, 0, sin a, 0) is (cos a, 0, -sin a, 0).
    inv = torch.stack([torch.cos(angle), zeros, -torch.sin(angle), zeros], dim=-1)

    def rot(q: "torch.Tensor", v: "torch.Tensor") -> "torch.Tensor":
        qv = q[..., 1:].expand_as(v)
        uv = torch.linalg.cross(qv, v, dim=-1)
        uuv = torch.linalg.cross(qv, uv, dim=-1)
        return v + 2.0 * (q[..., :1] * uv + uuv)

    step = torch.zeros(f.shape[:-1] + (3,), dtype=f.dtype, device=f.device)
    step[..., 1:, 0] = f[..., :-1, 1]
    step[..., 1:, 2] = f[..., :-1, 2]
    root = torch.cumsum(rot(inv, step), dim=-2)
    root = torch.stack([root[..., 0], f[..., 3], root[..., 2]], dim=-1)
    ric = f[..., RIC].reshape(f.shape[:-1] + (N_JOINTS - 1, 3))
    world = rot(inv[..., None, :], ric)
    offset = torch.stack([root[..., 0], torch.zeros_like(root[..., 1]), root[..., 2]], dim=-1)
    world = world + offset[..., None, :]
    return torch.cat([root[..., None, :], world], dim=-2)


# ---------------------------------------------------------------- contacts and readouts

def contacts_from_features(features: np.ndarray) -> np.ndarray:
    """(T, 4) bool foot contacts stored in the features (left ankle, left toe, right ankle, right toe)."""
    return _check_features(features)[:, CONTACTS] > 0.5


def foot_contacts(joints: np.ndarray) -> np.ndarray:
    """(T, 4) bool foot contacts of a joint clip, HumanML3D's rule.

    A contact at frame t means the foot joint moves less than sqrt(0.002) m to frame t+1; the
    last frame has no successor and repeats the previous answer (a 1-frame clip counts as planted).
    """
    pos = _check_joints(joints)
    if len(pos) < 2:
        return np.ones((len(pos), 4), dtype=bool)
    c = _contacts_from_positions(pos) > 0.5
    return np.concatenate([c, c[-1:]], axis=0)


def root_yaw_rate(features: np.ndarray) -> np.ndarray:
    """The body's turning rate about +Y (radians per frame, counter-clockwise seen from above), (T,).

    HumanML3D's channel 0 is the half-angle of the world-to-root rotation step, so the body's
    yaw rate is -2 times it.
    """
    return -2.0 * _check_features(features)[:, 0]


# ---------------------------------------------------------------- normalisation

def mean_std(feature_arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and Std (263,) float32 over all frames, HumanML3D's way.

    The std of each group (root rot vel, root lin vel, root y, ric, rot6d, local vel, contacts)
    is replaced by its average over the group (times STD_GROUP_WEIGHTS, all 1 as in HumanML3D),
    so no single near-constant channel is blown up by normalisation. Arrays with NaN are skipped.
    """
    good = [np.asarray(a, dtype=np.float64) for a in feature_arrays]
    good = [a for a in good if a.ndim == 2 and a.shape[1] == FEATURE_DIM and len(a) and np.isfinite(a).all()]
    if not good:
        raise ValueError("mean_std needs at least one finite (T, 263) array")
    data = np.concatenate(good, axis=0)
    mean = data.mean(axis=0)
    std = data.std(axis=0)
    for name, sl in FEATURE_GROUPS.items():
        std[sl] = std[sl].mean() * STD_GROUP_WEIGHTS[name]
    std = np.maximum(std, 1e-6)  # a group constant over the data set must not divide by zero
    return mean.astype(np.float32), std.astype(np.float32)


def normalize(features: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """(f - mean) / std; numpy arrays, or torch tensors with tensor mean and std."""
    return (features - mean) / std


def denormalize(features: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """f * std + mean, the inverse of `normalize`."""
    return features * std + mean
