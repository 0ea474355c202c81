"""The caption grammar: people's variety of words, without ever misstating side, count or pace."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from motion_studio.data.corpus.captions import (make_captions, mirror_text, tokens,
                                                times_phrase)
from motion_studio.data.corpus.clip import captions_for_corpus, generate_clip
from motion_studio.data.corpus import vocabulary as V

ROOT = Path(__file__).resolve().parents[2]
OLD_DISTINCT_WORDS = 347  # over the whole 5,000-clip corpus before the vocabulary work


def _caps(action, params, mirrored, seeds=range(40), parts2=None):
    parts = [(action, params)] + ([parts2] if parts2 else [])
    return [c for s in seeds for c in make_captions(parts, mirrored, np.random.default_rng(s))]


def _sides(text):
    return set(re.findall(r"\b(left|right)", text.lower()))


def test_deterministic_by_rng():
    a = make_captions([("jump_forward", {"count": 2})], False, np.random.default_rng(7))
    b = make_captions([("jump_forward", {"count": 2})], False, np.random.default_rng(7))
    assert a == b
    assert generate_clip(0, 11).captions == generate_clip(0, 11).captions


@pytest.mark.parametrize("text,mirrored", [
    ("raises the right arm", "raises the left arm"),
    ("makes a right-handed throw", "makes a left-handed throw"),
    ("Right arm up", "Left arm up"),
    ("walks in a circle clockwise", "walks in a circle counterclockwise"),
    ("runs counterclockwise", "runs clockwise"),
    ("turns counter-clockwise", "turns clockwise"),
    ("hops rightwards, then leftward", "hops leftwards, then rightward"),
    ("stands on the right leg with the left knee raised", "stands on the left leg with the right knee raised"),
])
def test_mirror_text_hand_picked(text, mirrored):
    assert mirror_text(text) == mirrored


@pytest.mark.parametrize("action,params", [("raise_arm", {"count": 2}), ("wave", {}), ("kick", {"count": 3}),
                                           ("punch", {"count": 1}), ("throw", {}), ("thumbs_up", {}),
                                           ("kneel", {}), ("reach_side", {}), ("jump_sideways", {"count": 2})])
def test_one_sided_actions_name_only_their_side(action, params):
    for mirrored, side in ((False, "right"), (True, "left")):
        for cap in _caps(action, params, mirrored):
            assert _sides(cap) <= {side}, (mirrored, cap)
    assert any("right" in c for c in _caps(action, params, False))


def test_circle_direction_follows_mirroring():
    for cap in _caps("walk_circle", {}, True):
        assert "counterclockwise" in cap or "left" in cap or "clockwise" not in cap, cap
        assert not re.search(r"(?<!counter)clockwise", cap), cap


_COUNT_RE = re.compile("|".join(sorted((re.escape(p) for ps in V.COUNT_PHRASES.values() for p in ps),
                                       key=len, reverse=True)))
_COUNT_OF = {p: k for k, ps in V.COUNT_PHRASES.items() for p in ps}


def counts_in(text: str) -> set[int]:
    """Every count a caption states, as a number ('twice', '3 times', 'four jumping jacks')."""
    text = text.lower()
    found = {_COUNT_OF[m.group(0)] for m in re.finditer(r"\b(?:" + _COUNT_RE.pattern + r")\b", text)}
    nums = {w: k for k, w in V.NUMBER_WORDS.items()}
    for m in re.finditer(r"\b(?:does|makes|delivers|throws|lands|completes|performs|out|doing|making) "
                         r"(one|two|three|four|five|six|seven|eight|a) (jumps?|hops?|kicks?|punch(?:es)?|squats?|"
                         r"jumping jacks|star jumps)\b", text):
        found.add(nums.get(m.group(1), 1))
    for m in re.finditer(r"\b(one|two|three|four|five|six|seven|eight|\d) times?\b", text):
        found.add(nums.get(m.group(1)) or int(m.group(1)))
    return found


@pytest.mark.parametrize("action", ["jump_forward", "clap", "squat", "jumping_jacks", "hop_on_one_foot", "nod"])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_counts_say_what_the_motion_does(action, k):
    caps = _caps(action, {"count": k}, False, seeds=range(25))
    for cap in caps:
        assert counts_in(cap) <= {k}, cap
    assert sum(counts_in(c) == {k} for c in caps) > len(caps) // 3


def test_times_phrase_rich_keeps_the_number():
    rng = np.random.default_rng(0)
    for k in range(1, 9):
        for _ in range(20):
            assert counts_in(times_phrase(k, rng, rich=True)) == {k}


_SLOW = re.compile(r"\b(slow\w*|leisurely|unhurried\w*|sluggish\w*|lazy|lazily|tiredly|wearily|sleepily)\b")
_FAST = re.compile(r"\b(quick\w*|fast|rapid\w*|swift\w*|brisk\w*|speed\w*|(?<!no )(?<!without )hurr\w*)\b")


def test_pace_words_match_the_pace():
    for cap in _caps("walk_slow", {"pace": "slow"}, False, seeds=range(60)):
        assert not _FAST.search(cap.lower()), cap
    for cap in _caps("walk_fast", {"pace": "fast"}, False, seeds=range(60)):
        assert not _SLOW.search(cap.lower()), cap
    for cap in _caps("walk_forward", {"pace": "normal"}, False, seeds=range(60)):
        assert not _FAST.search(cap.lower()) and not _SLOW.search(cap.lower()), cap


@pytest.fixture(scope="module")
def clips():
    return [generate_clip(0, i) for i in range(300)]


def test_style_tokens_and_length(clips):
    caps = [c for clip in clips for c in clip.captions]
    for clip in clips:
        first = clip.captions[0]
        assert first == first.lower() and first.endswith("."), first  # one textbook caption per clip
        for cap, tok in zip(clip.captions, clip.tokens):
            assert "{" not in cap and "  " not in cap, cap
            assert len(re.findall(r"[A-Za-z0-9]+", cap)) <= 26, cap
            assert len(tok.split()) == len(re.findall(r"[a-z0-9]+", cap.lower())), cap
            assert all(re.fullmatch(r"[a-z0-9]+/[A-Z]+", t) for t in tok.split()), tok
    lower_period = np.mean([c == c.lower() and c.endswith(".") for c in caps])
    assert 0.6 < lower_period < 0.95  # mostly HumanML3D style, some capitals / missing periods / "!"
    assert any(c[:1].isupper() for c in caps) and any(not c.endswith((".", "!")) for c in caps)


def test_distinct_words_well_above_the_old_grammar(clips):
    words = {w for clip in clips for cap in clip.captions for w in re.findall(r"[a-z]+", cap.lower())}
    assert len(words) >= 2 * OLD_DISTINCT_WORDS, len(words)


def test_tokens_lemma_pos():
    assert tokens("A man Leaps forward twice!") == ["a/DET", "man/NOUN", "leap/VERB", "forward/ADV", "twice/ADV"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", text.lower())).strip()


def test_everyday_prompts_are_not_training_captions():
    """Held-out prompts (hand-written) must never be a caption the grammar produces. The full
    5,000-clip check takes ~30 s; the unit test checks the first 800 clips of seed 0."""
    path = ROOT / "assets" / "everyday_prompts.json"
    if not path.exists():
        pytest.skip("assets/everyday_prompts.json not written yet")
    data = json.loads(path.read_text())
    prompts = [p for t in data["tasks"].values() for split in ("validation", "test") for p in t.get(split, [])]
    prompts += [p for split in ("validation", "test") for p in data.get("base", {}).get(split, [])]
    assert prompts
    training = {_norm(c) for c in captions_for_corpus(800, 0)}
    clash = sorted({p for p in prompts if _norm(p) in training})
    assert not clash, clash[:10]
