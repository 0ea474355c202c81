"""HumanML3D features: against the real sample, round trips, and hand-made cases."""
from __future__ import annotations

import numpy as np
import pytest
from motion_synth import pose, rot_y, standing_clip, walking_clip

from motion_studio.motion import features as F
from motion_studio.motion.skeleton import FEATURE_DIM, N_JOINTS, PARENTS, RAW_OFFSETS


@pytest.fixture(scope="module")
def sample(sample_dir):
    vecs = np.load(sample_dir / "new_joint_vecs" / "012314.npy")
    joints = np.load(sample_dir / "new_joints" / "012314.npy")
    return vecs, joints


# ------------------------------------------------------------------ real sample

def test_features_to_joints_reproduces_the_dataset_joints(sample):
    vecs, joints = sample
    assert np.abs(F.features_to_joints(vecs) - joints).max() < 1e-4


def test_torch_decoder_matches_numpy_on_a_batch(sample):
    torch = pytest.importorskip("torch")
    vecs, joints = sample
    batch = torch.from_numpy(np.stack([vecs, vecs[::-1].copy()]))
    out = F.features_to_joints_torch(batch).numpy()
    assert out.shape == (2, len(vecs), N_JOINTS, 3)
    assert np.abs(out[0] - joints).max() < 1e-4
    assert np.abs(out[1] - F.features_to_joints(vecs[::-1])).max() < 1e-4


def test_joints_to_features_is_close_to_the_dataset_vectors(sample):
    """T joints give T-1 rows. HumanML3D computed the vectors from one more frame than new_joints keeps,
    which moves its 20-frame heading smoothing near the end, so we check tightly away from the end."""
    vecs, joints = sample
    feats = F.joints_to_features(joints)
    assert feats.shape == (len(joints) - 1, FEATURE_DIM) and feats.dtype == np.float32
    ref = vecs[: len(feats)]
    early = slice(0, len(feats) - 30)
    tolerances = {"root_rot_vel": 2e-4, "root_lin_vel": 1e-4, "root_y": 1e-6, "ric": 2e-3,
                  "rot6d": 3e-3, "local_vel": 1e-4, "contacts": 0.0}
    for name, sl in F.FEATURE_GROUPS.items():
        assert np.abs(feats[early, sl] - ref[early, sl]).max() <= tolerances[name], name
        assert np.abs(feats[:, sl] - ref[:, sl]).max() <= 20 * tolerances[name] + 1e-6, name


def test_round_trip_on_the_sample(sample):
    _, joints = sample
    back = F.features_to_joints(F.joints_to_features(joints))
    assert np.abs(back - F.canonicalize(joints)[:-1]).max() < 1e-3


def test_mean_std_of_the_sample_has_one_std_per_group(sample, sample_dir):
    vecs, _ = sample
    mean, std = F.mean_std([vecs])
    assert np.allclose(mean, vecs.astype(np.float64).mean(0), atol=1e-6)
    ref_std = np.load(sample_dir / "Std.npy")
    for sl in F.FEATURE_GROUPS.values():
        assert np.ptp(std[sl]) == 0.0
        assert np.ptp(ref_std[sl]) == 0.0  # the dataset's Std has the same structure


# ------------------------------------------------------------------ synthetic clips

def test_round_trip_on_a_walking_figure_anywhere_in_the_world():
    joints = walking_clip(n_frames=90)
    canon = F.canonicalize(joints)
    back = F.features_to_joints(F.joints_to_features(joints))
    assert back.shape == (89, N_JOINTS, 3)
    assert np.abs(back - canon[:-1]).max() < 1e-3


def test_round_trip_through_more_than_a_full_turn():
    """Passing 180 degrees from the start heading is where HumanML3D's own yaw channel flips sign."""
    joints = walking_clip(n_frames=120, turn_rate=1.5)  # 9 rad of turning
    back = F.features_to_joints(F.joints_to_features(joints))
    assert np.abs(back - F.canonicalize(joints)[:-1]).max() < 1e-3


def test_canonicalize_puts_floor_origin_and_facing_in_place():
    canon = F.canonicalize(walking_clip(n_frames=40, start_yaw=2.0))
    assert canon[:, [7, 8, 10, 11], 1].min() == pytest.approx(0.0, abs=1e-6)
    assert np.allclose(canon[0, 0, [0, 2]], 0.0, atol=1e-6)
    across = (canon[0, 2] - canon[0, 1]) + (canon[0, 17] - canon[0, 16])
    assert across[2] == pytest.approx(0.0, abs=1e-5) and across[0] < 0  # the body's right is -X
    # Bone lengths survive the rigid move.
    j = walking_clip(n_frames=40, start_yaw=2.0)
    par = list(PARENTS[1:])
    assert np.allclose(np.linalg.norm(canon[:, 1:] - canon[:, par], axis=-1),
                       np.linalg.norm(j[:, 1:] - j[:, par], axis=-1), atol=1e-5)


def test_translation_at_one_metre_per_second():
    still = standing_clip(30)
    t = np.arange(30) / 20.0
    moving = still + np.stack([np.zeros_like(t), np.zeros_like(t), t], -1)[:, None, :]
    feats = F.joints_to_features(moving)
    assert np.allclose(feats[:, F.ROOT_LIN_VEL], [[0.0, 0.05]], atol=1e-6)
    assert np.allclose(feats[:, F.ROOT_ROT_VEL], 0.0, atol=1e-7)
    # Every joint moves 0.05 m forward per frame in the root frame.
    assert np.allclose(feats[:, F.LOCAL_VEL].reshape(-1, N_JOINTS, 3), [0.0, 0.0, 0.05], atol=1e-6)


def test_turning_on_the_spot_gives_the_yaw_rate():
    rate = 0.05  # rad/frame = 1 rad/s at 20 fps, counter-clockwise about +Y
    frames = np.array([pose({}, [0, 0.9, 0], rot_y(rate * k)) for k in range(300)], dtype=np.float32)
    feats = F.joints_to_features(frames)
    middle = slice(100, 200)  # clear of the 80-frame reach of the heading smoothing at both ends
    # HumanML3D stores minus half the yaw step (the half-angle of the world-to-root rotation).
    assert np.allclose(feats[middle, 0], -rate / 2, atol=1e-5)
    assert np.allclose(F.root_yaw_rate(feats)[middle], rate, atol=2e-5)
    assert np.allclose(feats[:, F.ROOT_LIN_VEL], 0.0, atol=1e-6)


def test_standing_still_has_all_four_contacts_and_walking_lifts_feet():
    feats = F.joints_to_features(standing_clip(20))
    assert (F.contacts_from_features(feats)).all()
    assert F.foot_contacts(standing_clip(20)).shape == (20, 4) and F.foot_contacts(standing_clip(20)).all()
    fast = walking_clip(n_frames=40, speed=4.0)  # 0.2 m/frame: far above sqrt(0.002) = 0.045 m
    assert not F.foot_contacts(fast).any()


def test_contact_threshold_is_humanml3ds_squared_displacement():
    still = standing_clip(3)
    slow, quick = still.copy(), still.copy()
    slow[1:, 7, 0] += 0.04   # 0.0016 m^2 < 0.002: contact
    quick[1:, 7, 0] += 0.05  # 0.0025 m^2 > 0.002: no contact
    assert F.foot_contacts(slow)[0].tolist() == [True, True, True, True]
    assert F.foot_contacts(quick)[0].tolist() == [False, True, True, True]


def test_ik_of_an_axis_aligned_pose_is_identity_and_a_bent_knee_is_a_quarter_turn():
    lengths = np.full(N_JOINTS, 0.2)
    pos = np.zeros((N_JOINTS, 3))
    for j in range(1, N_JOINTS):
        pos[j] = pos[PARENTS[j]] + RAW_OFFSETS[j] * lengths[j]
    pos[:, 1] += 1.0
    feats = F.joints_to_features(np.repeat(pos[None], 3, 0))
    rot6d = feats[:, F.ROT6D].reshape(2, N_JOINTS - 1, 6)
    assert np.allclose(rot6d, [1, 0, 0, 0, 1, 0], atol=1e-6)

    bent = pos.copy()  # left shin (knee 4 -> ankle 7) points forward (+Z) instead of down
    bent[7] = bent[4] + [0, 0, 0.2]
    bent[10] = bent[7] + [0, 0.2, 0]  # the foot (RAW +Z) now points up: same quarter turn about X
    feats = F.joints_to_features(np.repeat(bent[None], 3, 0))
    rot6d = feats[0, F.ROT6D].reshape(N_JOINTS - 1, 6)
    # Turning -Y onto +Z is -90 deg about X: columns (1,0,0) and (0,0,-1).
    assert np.allclose(rot6d[7 - 1], [1, 0, 0, 0, 0, -1], atol=1e-6)
    assert np.allclose(rot6d[10 - 1], [1, 0, 0, 0, 1, 0], atol=1e-6)  # relative to the shin: none


# ------------------------------------------------------------------ maths and normalisation

def test_qbetween_hand_values():
    q = F.qbetween(np.array([1.0, 0, 0]), np.array([0, 1.0, 0]))
    assert np.allclose(q, [np.sqrt(0.5), 0, 0, np.sqrt(0.5)])
    q = F.qbetween(np.array([0, 0, 1.0]), np.array([0, 0, -1.0]))  # opposite: finite 180 deg turn
    assert np.isfinite(q).all() and np.allclose(F.qrot(q, np.array([0, 0, 1.0])), [0, 0, -1.0])


def test_gaussian_smooth_keeps_constants_and_matches_scipy():
    x = np.full((30, 3), 2.5)
    assert np.allclose(F.gaussian_smooth(x, 20.0), 2.5)
    ndimage = pytest.importorskip("scipy.ndimage")
    y = np.random.default_rng(0).normal(size=(60, 3))
    assert np.allclose(F.gaussian_smooth(y, 20.0), ndimage.gaussian_filter1d(y, 20.0, axis=0, mode="nearest"))


def test_mean_std_averages_std_within_groups():
    a = np.zeros((2, FEATURE_DIM))
    a[0, 1], a[1, 1] = -2.0, 2.0   # root lin vel x: std 2
    a[0, 2], a[1, 2] = 0.0, 8.0    # root lin vel z: std 4, mean 4
    mean, std = F.mean_std([a[:1], a[1:], np.full((3, FEATURE_DIM), np.nan)])  # NaN clip skipped
    assert mean[1] == 0.0 and mean[2] == 4.0
    assert std[1] == pytest.approx(3.0) and std[2] == pytest.approx(3.0)
    assert std[0] > 0  # a constant group never divides by zero
    f = np.random.default_rng(1).normal(size=(5, FEATURE_DIM)).astype(np.float32)
    assert np.allclose(F.denormalize(F.normalize(f, mean, std), mean, std), f, atol=1e-5)


def test_bad_shapes_raise_value_error():
    with pytest.raises(ValueError):
        F.joints_to_features(np.zeros((1, N_JOINTS, 3)))
    with pytest.raises(ValueError):
        F.features_to_joints(np.zeros((5, 10)))
