"""The built-in corpus: motions that obey the body and the floor, captions that match them, HumanML3D layout."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from motion_studio.data.corpus import ACTION_NAMES, FAMILIES, generate_clip, generate_corpus
from motion_studio.data.corpus.actions import ACTIONS
from motion_studio.data.corpus.captions import mirror_text, tokens
from motion_studio.data.corpus.writer import VERSION
from motion_studio.data.corpus.kinematics import smoothstep, two_bone_ik
from motion_studio.motion.skeleton import bone_lengths

N = len(ACTION_NAMES)


def clip_of(action: str, seed: int = 0, mirrored: bool | None = None, tries: int = 12):
    """A clip of `action` (clip index i*N + k has action k for seed 0), optionally with a given mirroring."""
    k = ACTION_NAMES.index(action)
    for i in range(tries):
        c = generate_clip(seed, i * N + (k - seed) % N)
        assert c.action == action
        if mirrored is None or c.mirrored == mirrored:
            return c
    raise AssertionError(f"no clip of {action} with mirrored={mirrored}")


@pytest.fixture(scope="module")
def one_of_each():
    return [generate_clip(0, i) for i in range(N)] + [generate_clip(3, i) for i in range(N)]


# ----------------------------------------------------------------------------- math helpers
def test_smoothstep_hand_values():
    assert smoothstep(0.0) == 0.0 and smoothstep(1.0) == 1.0
    assert smoothstep(0.5) == pytest.approx(0.5)
    assert smoothstep(0.25) == pytest.approx(0.15625)  # 3x^2 - 2x^3
    assert smoothstep(2.0) == 1.0


def test_two_bone_ik_hand_checked():
    # thigh 3, shin 4, target 5 below the hip: a 3-4-5 triangle, knee 3 from the hip towards the pole
    hip = np.zeros((1, 3))
    knee, ankle = two_bone_ik(hip, np.array([[0.0, -5.0 + 1e-9, 0.0]]), 3.0, 4.0, np.array([[0.0, 0.0, 1.0]]))
    assert np.allclose(ankle, [[0, -5, 0]], atol=1e-3)
    # cos(angle at hip) = 3/5: knee = 3*(0.6*down + 0.8*forward)
    assert np.allclose(knee, [[0, -1.8, 2.4]], atol=1e-3)
    # out of reach: pulled in along the line, lengths exact
    knee, ankle = two_bone_ik(hip, np.array([[0.0, -10.0, 0.0]]), 3.0, 4.0, np.array([[0.0, 0.0, 1.0]]))
    assert np.linalg.norm(knee) == pytest.approx(3.0) and np.linalg.norm(ankle - knee) == pytest.approx(4.0)


# ----------------------------------------------------------------------------- breadth
def test_at_least_40_actions_in_all_families():
    assert N >= 40
    fams = {a.family for a in ACTIONS.values()}
    assert fams == set(FAMILIES)
    for fam in FAMILIES:
        assert sum(a.family == fam for a in ACTIONS.values()) >= 5, fam


def test_determinism_and_distinct_clips():
    a, b = generate_clip(7, 11), generate_clip(7, 11)
    assert a.joints.tobytes() == b.joints.tobytes() and a.captions == b.captions
    c = generate_clip(7, 12)
    d = generate_clip(8, 11)
    assert c.joints.shape != a.joints.shape or not np.allclose(c.joints, a.joints)
    assert d.joints.shape != a.joints.shape or not np.allclose(d.joints, a.joints)
    assert a.clip_id == "000011"


# ----------------------------------------------------------------------------- physical sanity
def test_every_action_obeys_body_and_floor(one_of_each):
    seen = set()
    for c in one_of_each:
        seen.add(c.action)
        j = c.joints
        assert j.dtype == np.float32 and j.ndim == 3 and j.shape[1:] == (22, 3), c.action
        assert np.isfinite(j).all(), c.action
        assert 20 <= len(j) <= 200, (c.action, len(j))  # 1-10 s at 20 fps
        err = np.abs(bone_lengths(j.astype(np.float64)) - c.lengths[None]).max()
        assert err < 1e-4, (c.action, err)
        assert j[..., 1].min() >= -1e-3, c.action
        assert np.allclose(j[0, 0, [0, 2]], 0.0), c.action  # starts above the origin
        if c.family in ("walking", "arms", "gestures", "sitstand"):
            # something touches the floor in every frame: nobody floats
            assert j[..., 1].min(axis=1).max() < 0.02, c.action
    assert seen == set(ACTION_NAMES)


def test_jump_leaves_the_floor():
    c = clip_of("jump_in_place")
    lowest = c.joints[..., 1].min(axis=1)
    assert lowest.max() > 0.12  # both feet clearly in the air at the top


def _stance_slides(joints: np.ndarray, ankle: int, toe: int) -> list[float]:
    """Max horizontal drift of a foot within each run of floor-contact frames (ankle and toe down)."""
    a, t = joints[:, ankle], joints[:, toe]
    contact = (a[:, 1] < a[:, 1].min() + 0.003) & (t[:, 1] < 0.003)
    slides, start = [], None
    for f in range(len(contact) + 1):
        if f < len(contact) and contact[f]:
            start = f if start is None else start
        elif start is not None:
            seg = a[start:f][:, [0, 2]]
            slides.append(float(np.linalg.norm(seg - seg[0], axis=1).max()))
            start = None
    return slides


@pytest.mark.parametrize("action", ["walk_forward", "walk_circle", "walk_sideways", "run_forward", "walk_turn"])
def test_stance_foot_does_not_slide(action):
    c = clip_of(action)
    for ankle, toe in ((7, 10), (8, 11)):
        slides = _stance_slides(c.joints, ankle, toe)
        assert len(slides) >= 2, action  # the foot did land more than once
        assert max(slides) < 0.02, (action, max(slides))
    # and it really travelled
    assert np.linalg.norm(c.joints[-1, 0, [0, 2]] - c.joints[0, 0, [0, 2]]) > 1.0


def test_walk_speed_is_human():
    c = clip_of("walk_forward")
    v = np.linalg.norm(np.diff(c.joints[:, 0, [0, 2]], axis=0), axis=1) * 20
    assert 1.1 < v.max() < 1.6


def test_sit_down_reaches_chair_height():
    c = clip_of("sit_down")
    assert 0.40 < c.joints[-1, 0, 1] < 0.55
    assert c.joints[0, 0, 1] > 0.8


# ----------------------------------------------------------------------------- left / right
@pytest.mark.parametrize("mirrored,side,moving,still", [(True, "left", 20, 21), (False, "right", 21, 20)])
def test_raise_arm_side_matches_caption(mirrored, side, moving, still):
    c = clip_of("raise_arm", mirrored=mirrored)
    other = "right" if side == "left" else "left"
    assert all(f"{side} " in cap and other not in cap for cap in c.captions), c.captions
    rise = c.joints[:, :, 1].max(axis=0) - c.joints[0, :, 1]
    assert rise[moving] > 0.6 and rise[still] < 0.1
    assert c.joints[0, moving, 0] * (1 if side == "left" else -1) > 0  # left wrist on the +X side


def test_mirror_text_swaps_words():
    assert mirror_text("a man turns right, then left, clockwise.") == "a man turns left, then right, counterclockwise."


# ----------------------------------------------------------------------------- captions
@pytest.fixture(scope="module")
def many_clips():
    return [generate_clip(0, i) for i in range(4 * N)]


def test_captions_shape_and_style(many_clips):
    for c in many_clips:
        assert len(c.captions) >= 3 and len(set(c.captions)) == len(c.captions)
        assert len(c.tokens) == len(c.captions)
        first = c.captions[0]  # each clip keeps one plain textbook description (HumanML3D style)
        assert first == first.lower() and first.endswith("."), first
        for cap, tok in zip(c.captions, c.tokens):
            assert "#" not in cap and "{" not in cap, cap
            words = re.findall(r"[a-z0-9]+", cap.lower())
            assert len(tok.split()) == len(words)
            assert all(re.fullmatch(r"[a-z0-9]+/[A-Z]+", t) for t in tok.split())


def test_vocabulary_is_varied(many_clips):
    words = {w for c in many_clips for cap in c.captions for w in re.findall(r"[a-z]+", cap)}
    assert len(words) >= 250


def test_family_words_are_distinct(many_clips):
    """The first caption's verb carries the family: a crude check that captions are separable."""
    for c in many_clips:
        if len(c.parts) > 1:
            continue
        text = " ".join(c.captions)
        if c.family == "walking":
            assert re.search(r"walk|step|pace|zigzag|circle", text), text
        if c.family == "jumping":
            assert re.search(r"jump|hop", text), text
        if c.family == "sitstand":
            assert re.search(r"sit|seat|stand|squat|crouch|knee|chair", text), text


def test_compositions_are_a_modest_share(many_clips):
    share = np.mean([len(c.parts) > 1 for c in many_clips])
    assert 0.02 < share < 0.15
    for c in many_clips:
        if len(c.parts) > 1:
            assert c.family == ACTIONS[c.parts[0]].family


def test_counts_in_caption_match_motion():
    c = clip_of("jump_in_place")
    k = c.params["count"]
    lowest = c.joints[..., 1].min(axis=1)
    airborne = lowest > 0.05
    flights = int(np.sum(airborne[1:] & ~airborne[:-1]))
    assert flights == k


def test_tokens_lemmas():
    assert tokens("a person walks forward.") == ["a/DET", "person/NOUN", "walk/VERB", "forward/ADV"]


# ----------------------------------------------------------------------------- writer
def test_writer_layout(tiny_corpus: Path):
    root = tiny_corpus
    ids = (root / "all.txt").read_text().split()
    assert len(ids) == 120 and ids[0] == "000000"
    splits = {s: (root / f"{s}.txt").read_text().split() for s in ("train", "val", "test")}
    assert [len(splits[s]) for s in ("train", "val", "test")] == [96, 12, 12]
    assert sorted(sum(splits.values(), [])) == sorted(ids)
    for i in ids[:30]:
        vecs = np.load(root / "new_joint_vecs" / f"{i}.npy", allow_pickle=False)
        joints = np.load(root / "new_joints" / f"{i}.npy", allow_pickle=False)
        assert vecs.dtype == np.float32 and joints.dtype == np.float32
        assert vecs.ndim == 2 and vecs.shape[1] == 263 and joints.shape == (len(vecs), 22, 3)
        assert np.isfinite(vecs).all() and np.isfinite(joints).all()
        lines = (root / "texts" / f"{i}.txt").read_text().splitlines()
        assert len(lines) >= 3
        for ln in lines:
            cap, tok, start, end = ln.split("#")
            assert cap.strip() and tok and start == "0.0" and end == "0.0"
    mean = np.load(root / "Mean.npy", allow_pickle=False)
    std = np.load(root / "Std.npy", allow_pickle=False)
    assert mean.shape == std.shape == (263,) and mean.dtype == np.float32 and (std > 0).all()
    doc = json.loads((root / "corpus.json").read_text())
    assert doc["generator"] == "motion-studio builtin" and doc["version"] == VERSION and doc["seed"] == 0
    assert doc["clips"] == 120 and set(doc["clips_meta"]) == set(ids)
    m = doc["clips_meta"]["000000"]
    assert {"action", "family", "group", "seconds"} <= set(m)


def test_writer_mean_std_equals_mean_std_of_train(tiny_corpus: Path):
    from motion_studio.motion.features import mean_std

    train = (tiny_corpus / "train.txt").read_text().split()
    arrays = [np.load(tiny_corpus / "new_joint_vecs" / f"{i}.npy") for i in train]
    mean, std = mean_std(arrays)
    assert np.allclose(np.load(tiny_corpus / "Mean.npy"), mean, rtol=1e-4, atol=1e-6)
    assert np.allclose(np.load(tiny_corpus / "Std.npy"), std, rtol=1e-4, atol=1e-6)


def test_written_joints_match_generated_motion(tiny_corpus: Path):
    """new_joints is features_to_joints(vecs) of the generated motion retargeted onto the reference
    skeleton (HumanML3D's uniform skeleton): the same motion, on the one body every clip shares."""
    from motion_studio.motion.retarget import retarget
    from motion_studio.motion.skeleton import BONE_LENGTHS, bone_lengths

    c = generate_clip(0, 7)
    want = retarget(c.joints, 20.0)
    joints = np.load(tiny_corpus / "new_joints" / "000007.npy")
    assert joints.shape[0] == len(c.joints) - 1
    assert np.abs(joints[:, :, 1] - want[:-1, :, 1]).max() < 0.02  # heights agree
    travelled = np.linalg.norm(joints[-1, 0, [0, 2]] - joints[0, 0, [0, 2]])
    assert travelled == pytest.approx(np.linalg.norm(want[-2, 0, [0, 2]] - want[0, 0, [0, 2]]), abs=0.05)
    assert np.abs(bone_lengths(joints).mean(0) - BONE_LENGTHS).max() < 0.01


def test_same_seed_gives_identical_bytes(tmp_path: Path):
    a = generate_corpus(tmp_path / "a", n_clips=6, seed=3, workers=1, progress=False)
    b = generate_corpus(tmp_path / "b", n_clips=6, seed=3, workers=2, progress=False)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == 6 * 3 + 7
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_generate_corpus_rejects_bad_counts(tmp_path: Path):
    from motion_studio.errors import InputError

    with pytest.raises(InputError):
        generate_corpus(tmp_path, n_clips=0, progress=False)


def test_contact_sheet_png(tiny_corpus: Path, tmp_path: Path):
    from motion_studio.data.corpus.contact_sheet import render_contact_sheet

    out = render_contact_sheet(tiny_corpus, tmp_path / "sheet.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_contact_sheet_needs_a_corpus(tmp_path: Path):
    from motion_studio.data.corpus.contact_sheet import render_contact_sheet
    from motion_studio.errors import MotionFileError

    with pytest.raises(MotionFileError):
        render_contact_sheet(tmp_path, tmp_path / "x.png")


# ----------------------------------------------------------------------------- variety (style.py)
from motion_studio.data.corpus.style import DEFAULT_STYLE, Style, sample_clip_style, tempo_factor  # noqa: E402


@pytest.fixture(scope="module")
def varied_clips():
    return [generate_clip(5, i) for i in range(3 * N)]


def test_style_is_deterministic_and_one_setting():
    a = sample_clip_style(DEFAULT_STYLE, np.random.default_rng([1, 2, 3]))
    b = sample_clip_style(DEFAULT_STYLE, np.random.default_rng([1, 2, 3]))
    assert a == b
    off = sample_clip_style(Style(amount=0.0), np.random.default_rng([1, 2, 3]))
    assert off.amp == 1.0 and off.step == 1.0 and off.drift == 0.0 and not off.crop and not off.pad
    assert tempo_factor(off, "arms", "arms", {}) == 1.0
    # tempo: +-30 % in general, narrower where the caption or gravity fixes the speed
    for i in range(200):
        cs = sample_clip_style(DEFAULT_STYLE, np.random.default_rng([i]))
        assert 0.7 - 1e-9 <= tempo_factor(cs, "arms", "arms", {}) <= 1.3 + 1e-9
        assert 0.9 - 1e-9 <= tempo_factor(cs, "jumping", "jumping", {}) <= 1.1 + 1e-9
        assert 0.95 - 1e-9 <= tempo_factor(cs, "walking", "walking", {"pace": "fast"}) <= 1.05 + 1e-9


def test_varied_clips_are_deterministic():
    for i in (0, 7, 19, 33, 101):
        a, b = generate_clip(5, i), generate_clip(5, i)
        assert a.joints.tobytes() == b.joints.tobytes() and a.captions == b.captions


def test_varied_clips_obey_body_and_floor(varied_clips):
    for c in varied_clips:
        j = c.joints
        assert np.isfinite(j).all(), c.action
        assert 20 <= len(j) <= 200, (c.action, len(j))  # 1-10 s
        assert np.abs(bone_lengths(j.astype(np.float64)) - c.lengths[None]).max() < 1e-4, c.action
        assert abs(float(j[..., 1].min())) < 1e-3, c.action  # floor at the lowest joint
        assert np.allclose(j[0, 0, [0, 2]], 0.0, atol=1e-5), c.action
        # canonical facing at frame 0: +Z (HumanML3D's across vector, hips and shoulders)
        across = (j[0, 2] - j[0, 1]) + (j[0, 17] - j[0, 16])
        fwd = np.cross([0.0, 1.0, 0.0], across)
        assert fwd[2] / np.linalg.norm(fwd) > 0.999, c.action
        if c.family in ("walking", "arms", "gestures", "sitstand") and "jump_in_place" not in c.parts:
            assert j[..., 1].min(axis=1).max() < 0.02, c.action  # nobody floats


def test_lengths_span_one_to_ten_seconds(varied_clips):
    secs = np.array([c.seconds for c in varied_clips])
    assert secs.min() >= 1.0 and secs.max() <= 10.0
    assert (secs < 2.0).sum() >= 2 and (secs > 8.0).sum() >= 2  # both ends of the range are used


def test_same_action_varies_in_duration_and_amplitude():
    k = ACTION_NAMES.index("raise_arm")
    clips = [generate_clip(0, i * N + k) for i in range(6)]
    assert len({len(c.joints) for c in clips}) >= 4
    # how high the moving wrist gets above the head varies between clips
    peaks = [float((c.joints[:, 20 if c.mirrored else 21, 1] - c.joints[:, 15, 1]).max()) for c in clips]
    assert np.ptp(peaks) > 0.03
    # and two clips are never the same motion
    a, b = clips[0].joints, clips[1].joints
    assert a.shape != b.shape or not np.allclose(a, b)


@pytest.mark.parametrize("action", ["jump_in_place", "clap", "squat"])
def test_cuts_keep_every_counted_repetition(action):
    for c in (clip_of(action, seed=s) for s in range(4)):
        k = c.params["count"]
        if action == "jump_in_place":
            airborne = c.joints[..., 1].min(axis=1) > 0.05
            assert int(np.sum(airborne[1:] & ~airborne[:-1])) == k
        elif action == "clap":  # hands come together k times
            d = np.linalg.norm(c.joints[:, 20] - c.joints[:, 21], axis=1)
            close = d < d.min() + 0.05
            assert int(np.sum(close[1:] & ~close[:-1]) + close[0]) == k, (k, d.round(2).tolist())
        else:  # pelvis goes down k times
            y = c.joints[:, 0, 1]
            low = y < y.min() + 0.1
            assert int(np.sum(low[1:] & ~low[:-1]) + low[0]) == k
