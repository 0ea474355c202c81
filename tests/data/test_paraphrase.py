"""Paraphrases of captions: varied like typed prompts, never another side, count or pace."""
from __future__ import annotations

import re

import numpy as np
import pytest

from motion_studio.data.corpus.clip import generate_clip
from motion_studio.data.corpus.paraphrase import paraphrase, reorder_clauses, short_form


def _load_helpers():
    """counts_in and the pace patterns from test_captions.py (tests/ is not a package)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_caption_helpers", Path(__file__).with_name("test_captions.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod._FAST, mod._SLOW, mod.counts_in


_FAST, _SLOW, counts_in = _load_helpers()

CAPTIONS = [
    "a man jumps forward twice.",
    "someone raises the left arm three times and then waves with the left hand.",
    "the person walks in a circle counterclockwise.",
    "a woman hops on the right foot 4 times.",
    "a person walks forward slowly.",
    "a kid kicks with the right foot once, then bows.",
    "the man does five jumping jacks",
]


def test_deterministic_distinct_and_never_the_input():
    for cap in CAPTIONS:
        a = paraphrase(cap, np.random.default_rng(3), 8)
        assert a == paraphrase(cap, np.random.default_rng(3), 8)
        assert len(a) == len(set(a)) and cap not in a and len(a) >= 5, (cap, a)
        assert all(p.strip() for p in a)


def _sides(text):
    return re.findall(r"\b(left|right|clockwise|counterclockwise)", text.lower())


@pytest.fixture(scope="module")
def corpus_captions():
    return [c for i in range(0, 480, 4) for c in generate_clip(0, i).captions[:2]]


def test_never_changes_sides_counts_or_pace(corpus_captions):
    rng = np.random.default_rng(0)
    for cap in CAPTIONS + corpus_captions:
        for p in paraphrase(cap, rng, 6):
            assert set(_sides(p)) <= set(_sides(cap)), (cap, p)
            assert counts_in(p) <= counts_in(cap), (cap, p)
            assert bool(_FAST.search(p.lower())) <= bool(_FAST.search(cap.lower())), (cap, p)
            assert bool(_SLOW.search(p.lower())) <= bool(_SLOW.search(cap.lower())), (cap, p)


def test_short_forms_and_reordering():
    rng = np.random.default_rng(1)
    s = short_form("a woman hops on the right foot four times", rng)
    assert 2 <= len(s.split()) <= 5 and not s.endswith(("right", "the", "on", "four")), s
    assert reorder_clauses("a man jumps forward twice and then waves") == "after jumping forward twice, a man waves"
    assert reorder_clauses("jumps forward twice then waves") == "waves after jumping forward twice"
    outs = [p for c in CAPTIONS for p in paraphrase(c, np.random.default_rng(5), 10)]
    assert any(p[:1].isupper() for p in outs) and any(not p.endswith(".") for p in outs)
    assert any(re.match(r"^(jumps|hops|walks|raises|kicks|does)\b", p) for p in outs)  # verb phrase only
