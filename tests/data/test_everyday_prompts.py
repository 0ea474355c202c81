"""Checks on the hand-written everyday prompt set (assets/everyday_prompts.json).

Fast and model-free: shape, sizes, uniqueness and the required anchor prompts.
"""

import json
import re
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "assets" / "everyday_prompts.json"
TASKS = {"jumping", "arms", "walking", "gestures", "sitstand"}
SPLITS = ("validation", "test")
MIN_TASK = 24
MIN_BASE = 60
REQUIRED_TEST = {
    "jumping": "a person jumps high into the air",
    "walking": "he walks forward",
    "sitstand": "someone sits on the floor",
    "arms": "a person stretches their arms above their head",
}


def _norm(text):
    """Lower case, punctuation dropped, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.fixture(scope="module")
def data():
    with PATH.open(encoding="utf-8") as f:
        return json.load(f)


def _categories(data):
    """(name, {split: prompts}) for every task and for base."""
    out = [(f"tasks/{k}", v) for k, v in data["tasks"].items()]
    out.append(("base", data["base"]))
    return out


def test_shape(data):
    assert set(data) == {"about", "tasks", "base"}
    assert isinstance(data["about"], str) and data["about"].strip()
    assert set(data["tasks"]) == TASKS
    for name, splits in _categories(data):
        assert set(splits) == set(SPLITS), name
        for split in SPLITS:
            assert isinstance(splits[split], list), (name, split)


def test_sizes(data):
    for task in TASKS:
        for split in SPLITS:
            assert len(data["tasks"][task][split]) >= MIN_TASK, (task, split)
    assert sum(len(v[s]) for v in data["tasks"].values() for s in SPLITS) >= 10 * MIN_TASK
    for split in SPLITS:
        assert len(data["base"][split]) >= MIN_BASE, split


def test_prompts_are_short_nonempty_strings(data):
    for name, splits in _categories(data):
        for split in SPLITS:
            for p in splits[split]:
                assert isinstance(p, str), (name, split, p)
                assert p.strip() and _norm(p), (name, split, p)
                assert len(p) < 300, (name, split, p)


def test_no_duplicates_anywhere(data):
    seen = {}
    for name, splits in _categories(data):
        for split in SPLITS:
            for p in splits[split]:
                key = _norm(p)
                assert key not in seen, f"{p!r} in {name}/{split} duplicates {seen[key]}"
                seen[key] = f"{name}/{split}"


def test_no_prompt_in_both_splits(data):
    val = {_norm(p) for _, s in _categories(data) for p in s["validation"]}
    test = {_norm(p) for _, s in _categories(data) for p in s["test"]}
    assert not val & test


def test_required_prompts_in_test_split(data):
    for task, prompt in REQUIRED_TEST.items():
        assert prompt in data["tasks"][task]["test"], (task, prompt)
