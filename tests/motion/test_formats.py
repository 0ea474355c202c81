"""Motion files: every bad file is one readable MotionFileError; good files load, save and convert."""
from __future__ import annotations

import pickle

import numpy as np
import pytest
from motion_synth import rig_rows, standing_clip, walking_clip, write_rig_bvh

from motion_studio.errors import InputError, MotionFileError
from motion_studio.motion import Motion
from motion_studio.motion.features import canonicalize, joints_to_features
from motion_studio.motion.formats import body_height, convert, describe, load_motion, save_motion


def _npy(path, array):
    with open(path, "wb") as fh:
        np.save(fh, array)
    return path


def _bad_files(tmp_path):
    good = _npy(tmp_path / "good.npy", walking_clip(30))
    raw = good.read_bytes()
    nan = walking_clip(30)
    nan[5, 3, 1] = np.nan
    tiny = walking_clip(30) * 1e-4
    huge = walking_clip(30) * 100.0
    obj = tmp_path / "objects.npy"
    with open(obj, "wb") as fh:
        np.save(fh, np.array([{"joints": 1}], dtype=object), allow_pickle=True)
    pickled = tmp_path / "pickled.npy"
    pickled.write_bytes(pickle.dumps({"a": 1}))
    missing_arm = (tmp_path / "noarm.bvh")
    write_rig_bvh(missing_arm, rig_rows("cmu"), drop=("RightArm", "RightForeArm", "RightHand"))
    files = {
        "empty": (tmp_path / "empty.npy", b"", "empty"),
        "truncated": (tmp_path / "trunc.npy", raw[: len(raw) // 2], "damaged or truncated"),
        "truncated header": (tmp_path / "trunch.npy", raw[:40], "damaged or truncated"),
        "text renamed": (tmp_path / "notes.npy", b"these are my notes\n", "not a NumPy"),
        "garbage bvh": (tmp_path / "garbage.bvh", b"\x00\x01binary junk MOTION", "not a BVH"),
        "npz renamed": (tmp_path / "z.npy", None, "not a NumPy"),
    }
    for path, content, _ in files.values():
        if content is not None:
            path.write_bytes(content)
    np.savez(tmp_path / "z.npz", a=np.zeros(3))
    (tmp_path / "z.npz").rename(tmp_path / "z.npy")
    arrays = {
        "wrong shape": (np.zeros(5, np.float32), r"expected joints \(T,22,3\) or features \(T,263\), got \(5,\)"),
        "wrong joints": (np.zeros((10, 24, 3), np.float32), r"got \(10, 24, 3\)"),
        "zero frames": (np.zeros((0, 22, 3), np.float32), "0 frames"),
        "one frame": (walking_clip(1), "1 frame;"),
        "too long": (np.repeat(walking_clip(1), 12001, 0), "limit is 12000"),
        "nan": (nan, "NaN"),
        "strings": (np.array(["a", "b"]), "expected numbers"),
        "complex": (np.zeros((4, 22, 3), np.complex64), "expected numbers"),
        "collapsed body": (tiny, "tall"),
        "centimetres": (huge, "tall along its bones.*centimetres"),
        "nan features": (np.full((10, 263), np.nan, np.float32), "NaN"),
        "normalised features": (np.random.default_rng(0).normal(size=(10, 263)).astype(np.float32), "normalised"),
    }
    for name, (array, message) in arrays.items():
        files[name] = (_npy(tmp_path / f"{name.replace(' ', '_')}.npy", array), None, message)
    files["object array"] = (obj, None, "pickled")
    files["pickle renamed"] = (pickled, None, "not a NumPy")
    files["bvh missing joints"] = (missing_arm, None, "no joint found for right_shoulder, right_elbow, right_wrist")
    files["unknown extension"] = ((tmp_path / "clip.txt"), b"1 2 3", "unknown motion format")
    files["unknown extension"][0].write_bytes(b"1 2 3")
    files["missing"] = (tmp_path / "nope.npy", None, "no such file")
    files["directory"] = (tmp_path / "adir.npy", None, "not a file")
    (tmp_path / "adir.npy").mkdir()
    return files


def test_every_bad_file_gives_one_clear_line(tmp_path):
    for name, (path, _, message) in _bad_files(tmp_path).items():
        with pytest.raises(MotionFileError, match=message) as err:
            load_motion(path)
        text = str(err.value)
        assert "\n" not in text and text.startswith(f"{path.name}: "), (name, text)
        with pytest.raises(MotionFileError):
            describe(path)


def test_joints_file_loads_retargeted_and_keeps_the_file_joints(tmp_path):
    clip = walking_clip(40)  # reference proportions, but starting at (0.5, _, -2) turned 0.7 rad
    motion = load_motion(_npy(tmp_path / "walk.npy", clip))
    assert motion.n_frames == 40 and motion.fps == 20.0 and motion.name == "walk"
    assert motion.features is None and np.array_equal(motion.original_joints, clip)
    assert np.abs(motion.joints - canonicalize(clip)).max() < 1e-5
    assert motion.contacts.shape == (40, 4)
    as_is = load_motion(tmp_path / "walk.npy", retarget=False)
    assert np.array_equal(as_is.joints, clip) and np.array_equal(as_is.original_joints, clip)


def test_float64_and_integer_arrays_are_accepted_as_float32(tmp_path):
    motion = load_motion(_npy(tmp_path / "f64.npy", walking_clip(10).astype(np.float64)))
    assert motion.joints.dtype == np.float32


def test_vectors_file_keeps_features_and_recovers_joints(sample_dir):
    motion = load_motion(sample_dir / "new_joint_vecs" / "012314.npy")
    ref = np.load(sample_dir / "new_joints" / "012314.npy")
    assert motion.features is not None and motion.features.shape == (170, 263)
    assert np.abs(motion.original_joints - ref).max() < 1e-4
    # Retargeted onto BONE_LENGTHS, which read the sample's bones to 0.1 mm (measured: 1.4e-4 m).
    assert np.abs(motion.joints - ref).max() < 2e-4
    assert motion.contacts.shape == (170, 4)


def test_save_chooses_joints_or_vectors_by_name(tmp_path):
    motion = Motion(joints=walking_clip(30), name="w")
    joints_path = save_motion(motion, tmp_path / "a.npy")
    assert np.load(joints_path).shape == (30, 22, 3)
    for target in (tmp_path / "b.vecs.npy", tmp_path / "new_joint_vecs" / "c.npy"):
        saved = np.load(save_motion(motion, target))
        assert saved.shape == (29, 263) and saved.dtype == np.float32  # T joints -> T-1 vectors
        assert np.allclose(saved, joints_to_features(motion.joints))
    saved = np.load(save_motion(motion, tmp_path / "d.npy", kind="vecs"))
    assert saved.shape == (29, 263)
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind


def test_save_bad_requests_are_clear(tmp_path):
    motion = Motion(joints=walking_clip(5))
    with pytest.raises(InputError):
        save_motion(motion, tmp_path / "a.npy", kind="fbx")
    with pytest.raises(MotionFileError, match="unknown motion format"):
        save_motion(motion, tmp_path / "a.fbx")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(MotionFileError, match="cannot be written"):
        save_motion(motion, blocker / "a.npy")


def test_vectors_saved_from_loaded_vectors_are_the_same_vectors(sample_dir, tmp_path):
    motion = load_motion(sample_dir / "new_joint_vecs" / "012314.npy")
    out = save_motion(motion, tmp_path / "same.vecs.npy")
    assert np.array_equal(np.load(out), np.load(sample_dir / "new_joint_vecs" / "012314.npy"))


def test_convert_npy_to_bvh_and_back(sample_dir, tmp_path):
    bvh = convert(sample_dir / "new_joints" / "012314.npy", tmp_path / "clip.bvh")
    back = convert(bvh, tmp_path / "clip.npy")
    ref = np.load(sample_dir / "new_joints" / "012314.npy")
    assert np.abs(np.load(back) - ref).max() < 0.01
    vecs = convert(bvh, tmp_path / "clip.vecs.npy")
    assert np.load(vecs).shape == (169, 263)


def test_describe_reports_what_info_prints(tmp_path, sample_dir):
    still = _npy(tmp_path / "still.npy", standing_clip(40))
    d = describe(still)
    assert d["format"] == "humanml3d-joints" and d["frames"] == 40 and d["seconds"] == 2.0
    assert d["joints"] == 22 and d["distance_m"] == 0.0 and d["fps"] == 20.0
    walk = _npy(tmp_path / "walk.npy", walking_clip(41, speed=1.0, turn_rate=0.0))
    assert describe(walk)["distance_m"] == pytest.approx(2.0, abs=1e-3)  # 1 m/s for 2 s
    d = describe(sample_dir / "new_joint_vecs" / "012314.npy")
    assert d["format"] == "humanml3d-vecs" and d["has_features"] and d["height_m"] == pytest.approx(1.47, abs=0.02)
    bvh = save_motion(load_motion(walk), tmp_path / "walk.bvh")
    d = describe(bvh)
    assert d["format"] == "bvh" and d["bvh_units"] == "m" and d["frames"] == 41


def test_body_height_by_hand():
    # Axis-aligned stick figure: legs 0.4 + 0.5, spine 0.1 * 5 -> 1.4 whatever the posture.
    from motion_studio.motion.skeleton import PARENTS, RAW_OFFSETS
    lengths = np.full(22, 0.1)
    lengths[[4, 5]] = 0.4
    lengths[[7, 8]] = 0.5
    pos = np.zeros((22, 3))
    for j in range(1, 22):
        pos[j] = pos[PARENTS[j]] + RAW_OFFSETS[j] * lengths[j]
    assert body_height(pos[None]) == pytest.approx(1.4)


def test_loaded_bvh_is_canonical(tmp_path):
    clip = walking_clip(30)
    path = save_motion(Motion(joints=clip), tmp_path / "w.bvh")
    assert np.abs(load_motion(path).joints - canonicalize(clip)).max() < 0.01


def test_damaged_files_never_raise_anything_but_motion_file_error(tmp_path):
    """Random damage to a good .bvh and a good .npy: each either loads or gives MotionFileError."""
    import random

    rng = random.Random(0)
    good_bvh = save_motion(Motion(joints=walking_clip(6)), tmp_path / "good.bvh").read_text().split(" ")
    junk = ["{", "}", "JOINT", "End", "Site", "CHANNELS", "7", "nan", "1e400", "MOTION", "Frames:", "ROOT", "\n"]
    for i in range(150):
        words = list(good_bvh)
        for _ in range(rng.randint(1, 4)):
            k = rng.randrange(len(words))
            op = rng.random()
            if op < 0.4:
                del words[k]
            elif op < 0.8:
                words[k] = rng.choice(junk)
            else:
                words = words[: max(k, 1)]
        path = tmp_path / f"fuzz{i}.bvh"
        path.write_text(" ".join(words))
        try:
            load_motion(path)
        except MotionFileError:
            pass
    raw = _npy(tmp_path / "good.npy", walking_clip(10)).read_bytes()
    for i in range(150):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        path = tmp_path / f"fuzz{i}.npy"
        path.write_bytes(bytes(data))
        try:
            load_motion(path)
        except MotionFileError:
            pass
