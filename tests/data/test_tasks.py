"""The five-task split on a small synthetic caption corpus (HumanML3D text layout)."""
import json
import random

import pytest

from motion_studio.data.tasks import THEMES, format_summary, load_tasks
from motion_studio.data.tasks import build_tasks as _build_tasks
from motion_studio.errors import InputError, MotionFileError


def build_tasks(data_dir, **kwargs):
    """The split with the real MiniLM encoder (the data layer takes any embed callable)."""
    from motion_studio.models.sentence import get_sentence_encoder

    return _build_tasks(data_dir, get_sentence_encoder().embed, **kwargs)

PHRASES = {
    "jumping": ["a person jumps up and down", "someone hops in place twice", "a man does a big jump forward",
                "the person leaps into the air", "jumping on the spot with both feet"],
    "arms": ["a person raises both arms above the head", "someone stretches the arms out to the sides",
             "a man lifts his arms up", "arms circle forward at shoulder height", "the person reaches up high"],
    "walking": ["a person walks forward", "someone walks in a straight line", "a man strolls ahead slowly",
                "the person walks forward at a steady pace", "walking ahead calmly"],
    "gestures": ["a person waves hello with the right hand", "someone waves goodbye",
                 "a man claps his hands", "the person points to the left", "waving with one hand"],
    "sitstand": ["a person sits down on a chair", "someone stands up from a chair", "a man sits down slowly",
                 "the person gets up from sitting", "sitting down and standing back up"],
    "base": ["a person kicks with the right leg", "someone turns around in a circle", "a man crouches low",
             "the person throws a ball", "kicking a ball hard"],
}


def make_corpus(root, per_family=14, seed=0, with_meta=True):
    rng = random.Random(seed)
    (root / "texts").mkdir(parents=True)
    meta, splits = {}, {"train": [], "val": [], "test": []}
    n = 0
    for family, phrases in PHRASES.items():
        for _ in range(per_family):
            cid = f"{n:06d}"
            n += 1
            caps = rng.sample(phrases, 3)
            (root / "texts" / f"{cid}.txt").write_text(
                "".join(f"{c}.#{c}/X#0.0#0.0\n" for c in caps), encoding="utf-8")
            meta[cid] = {"action": caps[0], "family": family, "group": family}
            splits[rng.choice(["train"] * 8 + ["val", "test"])].append(cid)
    for s, ids in splits.items():
        (root / f"{s}.txt").write_text("\n".join(ids) + "\n")
    if with_meta:
        (root / "corpus.json").write_text(json.dumps({"clips_meta": meta}))
    return meta, splits


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("captions")
    meta, splits = make_corpus(root)
    return root, meta, splits


def test_themed_split_is_pure_ordered_and_follows_dataset_splits(corpus, tmp_path):
    root, meta, splits = corpus
    out = tmp_path / "tasks.json"
    result = build_tasks(root, n_tasks=5, seed=0, out=out)
    assert [t["theme"] for t in result["tasks"]] == THEMES
    split_of = {c: s for s, ids in splits.items() for c in ids}
    seen = set()
    for t in result["tasks"]:
        members = t["train"] + t["val"] + t["test"]
        assert t["size"] == len(members) > 0
        assert t["purity"] >= 0.9
        assert sum(meta[c]["family"] == t["theme"] for c in members) / len(members) == pytest.approx(t["purity"], abs=1e-3)
        for s in ("train", "val", "test"):
            assert all(split_of[c] == s for c in t[s])
        assert not seen & set(members)
        seen |= set(members)
        assert t["keywords"], t
    base = result["base"]["train"] + result["base"]["val"] + result["base"]["test"]
    assert seen.isdisjoint(base) and seen | set(base) == set(meta)
    assert all(meta[c]["family"] == "base" for c in base)  # everything themed landed in its task
    roles = {c["role"] for c in result["clusters"]}
    assert {f"task:{i}" for i in range(5)} <= roles
    assert json.loads(out.read_text()) == result
    assert "jumping" in format_summary(result)


def test_two_theme_compositions_go_to_the_base_split(tmp_path):
    """A jumping clip that ends with a wave must not be labelled "jumping" (nor "gestures")."""
    meta, _ = make_corpus(tmp_path)
    jump_ids = [c for c, m in meta.items() if m["family"] == "jumping"]
    mixed, single = jump_ids[:3], jump_ids[3:]
    for c in mixed:
        meta[c]["parts"] = ["jump_in_place", "wave"]  # families jumping + gestures
    for c in single:
        meta[c]["parts"] = ["jump_in_place", "jump_forward"]  # two parts, one theme: stays
    (tmp_path / "corpus.json").write_text(json.dumps({"clips_meta": meta}))
    result = build_tasks(tmp_path, n_tasks=5, seed=0)
    jumping = result["tasks"][0]
    members = set(jumping["train"] + jumping["val"] + jumping["test"])
    base = set(result["base"]["train"] + result["base"]["val"] + result["base"]["test"])
    assert set(mixed) <= base and not set(mixed) & members
    assert set(single) <= members
    assert jumping["two_theme_clips_to_base"] == 3


def test_deterministic(corpus):
    root, _, _ = corpus
    a = build_tasks(root, seed=0)
    b = build_tasks(root, seed=0)
    assert a == b


def test_load_tasks_roundtrip(corpus, tmp_path):
    root, meta, _ = corpus
    out = tmp_path / "t.json"
    result = build_tasks(root, out=out)
    split = load_tasks(out)
    assert split.names == [t["name"] for t in result["tasks"]]
    walking = split.by_name("walking")
    assert walking.theme == "walking" and walking.index == 2
    cid = walking.train[0]
    assert split.task_of(cid) == "walking"
    assert split.task_of(split.base.ids()[0]) == "base"
    assert len(split.base.ids("train")) == len(result["base"]["train"])


def test_without_corpus_json_picks_coherent_unthemed_tasks(tmp_path):
    meta, _ = make_corpus(tmp_path, with_meta=False)
    result = build_tasks(tmp_path, n_tasks=3, seed=0)
    assert len(result["tasks"]) == 3
    for t in result["tasks"]:
        assert t["theme"] is None and t["purity"] is None and t["name"]
        members = t["train"] + t["val"] + t["test"]
        families = {meta[c]["family"] for c in members}
        assert len(families) == 1  # coherent clusters of this toy corpus are single-family
    assert len({t["name"] for t in result["tasks"]}) == 3


def test_bad_input(tmp_path, capsys):
    with pytest.raises(MotionFileError):
        build_tasks(tmp_path / "missing")
    with pytest.raises(MotionFileError):
        build_tasks(tmp_path)  # no split files
    with pytest.raises(InputError):
        build_tasks(tmp_path, n_tasks=0)
    with pytest.raises(MotionFileError):
        load_tasks(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(MotionFileError):
        load_tasks(tmp_path / "bad.json")
    from motion_studio.cli import main

    assert main(["tasks", str(tmp_path / "missing")]) == 1
    assert "error:" in capsys.readouterr().err


def test_on_the_built_in_corpus(tiny_corpus, tmp_path):
    """The real generator's captions: five themed tasks, in order, that are mostly pure."""
    result = build_tasks(tiny_corpus, out=tmp_path / "tasks.json")
    assert [t["theme"] for t in result["tasks"]] == THEMES
    for t in result["tasks"]:
        assert t["size"] > 0 and t["purity"] >= 0.8, t["name"]
    total = sum(t["size"] for t in result["tasks"]) + result["base"]["size"]
    assert total == sum(len((tiny_corpus / f"{s}.txt").read_text().split()) for s in ("train", "val", "test"))
    assert load_tasks(tmp_path / "tasks.json").names == THEMES


def test_themed_clips_of_a_mixed_cluster_join_their_task(tmp_path):
    """Walking in a circle clustered with running in a circle: that cluster is no task, but its
    walking clips belong to the walking task, not to the base split."""
    import numpy as np

    meta, splits = make_corpus(tmp_path, with_meta=False)
    n = len(meta)
    for i, family in enumerate(["walking"] * 6 + ["base"] * 6):
        cid = f"{n + i:06d}"
        verb = "walks" if family == "walking" else "runs"
        (tmp_path / "texts" / f"{cid}.txt").write_text(f"a person {verb} in a circle.#x#0.0#0.0\n")
        meta[cid] = {"action": "circle", "family": family, "group": family}
        splits["train"].append(cid)
    for s, ids in splits.items():
        (tmp_path / f"{s}.txt").write_text("\n".join(ids) + "\n")
    (tmp_path / "corpus.json").write_text(json.dumps({"clips_meta": meta}))
    families = list(PHRASES)

    def embed(texts):  # one direction per family; every circle caption on one direction
        out = np.zeros((len(texts), len(families) + 1), np.float32)
        for row, t in enumerate(texts):
            if "circle" in t:
                out[row, -1] = 1.0
                continue
            fam = next(f for f, ps in PHRASES.items() if t.rstrip(".") in ps)
            out[row, families.index(fam)] = 1.0
        return out

    result = _build_tasks(tmp_path, embed, n_tasks=5, seed=0, n_clusters=12)
    walking = next(t for t in result["tasks"] if t["theme"] == "walking")
    members = set(walking["train"] + walking["val"] + walking["test"])
    base = set(result["base"]["train"] + result["base"]["val"] + result["base"]["test"])
    circle = [c for c, m in meta.items() if m["action"] == "circle"]
    assert set(circle[:6]) <= members and not set(circle[:6]) & base
    assert set(circle[6:]) <= base
    assert walking["from_mixed_clusters"] == 6 and walking["purity"] == 1.0
