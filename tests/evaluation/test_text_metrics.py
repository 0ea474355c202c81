"""BLEU, ROUGE-L and CIDEr-D against worked examples computed by hand."""
import math

import pytest

from motion_studio.errors import InputError
from motion_studio.metrics.text import bleu, caption_scores, cider_d, rouge_l, tokenize


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("A man walks forward, then STOPS.") == ["a", "man", "walks", "forward", "then", "stops"]


def test_bleu1_corpus_level_with_brevity_penalty():
    # matches 2/3 + 2/2 -> 4/5; hypothesis length 5 vs reference length 6 -> BP = exp(1 - 6/5)
    got = bleu(["a man walks", "the cat"], [["a man runs"], ["the cat sat"]], max_order=1)
    assert got == pytest.approx(0.8 * math.exp(-0.2), abs=1e-4)


def test_bleu4_by_hand_and_punctuation_insensitive():
    # p1..p4 = 4/5, 3/4, 2/3, 1/2 ; BP = 1 -> (0.2)^(1/4)
    got = bleu(["A man walks forward slowly."], [["a man walks forward quickly"]], max_order=4)
    assert got == pytest.approx(0.2 ** 0.25, abs=1e-4)


def test_bleu_uses_every_reference():
    # the second reference holds the missing word: unigram precision 3/3
    assert bleu(["a man jogs"], [["a man walks", "someone jogs"]], max_order=1) == pytest.approx(1.0)


def test_rouge_l_by_hand_and_best_reference():
    # LCS("a man walks forward", "a man slowly walks") = "a man walks" -> P = R = 3/4
    assert rouge_l(["a man walks forward"], [["a man slowly walks"]]) == pytest.approx(0.75)
    assert rouge_l(["a man walks forward"], [["a man slowly walks", "a man walks forward"]]) == pytest.approx(1.0)


# Worked CIDEr-D example. Corpus of N = 2 captions, one reference each:
#   item 1: ref "a man walks"   ; item 2: ref "a man jumps"
# Document frequencies: "a", "man", "a man" occur in both -> idf = log 2 - log 2 = 0;
# every other n-gram has df <= 1 -> idf = log 2 (call it L). No 4-grams exist -> n=4 scores 0.
REFS = [["a man walks"], ["a man jumps"]]


def test_cider_d_identical_caption_by_hand():
    # item 1 hyp == ref: for n = 1, 2, 3 the only non-zero weight is on the same n-gram -> cos = 1
    # item 1 score = 10 * (1 + 1 + 1 + 0) / 4 = 7.5
    # item 2 hyp "a person jumps": n=1 hyp weights {a:0, person:L, jumps:L}, ref {a:0, man:0, jumps:L}
    #   clipped dot = L*L ; norms sqrt(2) L and L -> 1/sqrt(2); n=2,3: no shared weighted n-gram -> 0
    #   item 2 score = 10 * (1/sqrt(2)) / 4
    hyps = ["a man walks", "a person jumps"]
    expected = (7.5 + 10 * (1 / math.sqrt(2)) / 4) / 2
    assert cider_d(hyps, REFS) == pytest.approx(expected, abs=1e-9)


def test_cider_d_length_penalty_by_hand():
    # item 1 hyp "a man walks slowly" (4 words vs 3): for n = 1, 2, 3 the hyp has one extra weighted
    # n-gram of weight L ("slowly", "walks slowly", "man walks slowly") -> cos = 1/sqrt(2) each;
    # penalty exp(-1 / (2 * 36)); item 1 = 10 * 3/sqrt(2) / 4 * exp(-1/72)
    hyps = ["a man walks slowly", "a person jumps"]
    item1 = 10 * 3 / math.sqrt(2) / 4 * math.exp(-1 / 72)
    item2 = 10 * (1 / math.sqrt(2)) / 4
    assert cider_d(hyps, REFS) == pytest.approx((item1 + item2) / 2, abs=1e-9)


def test_cider_d_clips_repeated_words():
    # "walks walks walks" gets tf 3 for "walks"; clipping keeps the dot at the reference's weight
    # n=1: dot = min(3L, L) * L = L^2 ; norms 3L and L -> 1/3 (unclipped would be 3L*L/(3L*L) = 1)
    hyps = ["walks walks walks", "a man jumps"]
    item1 = 10 * (1 / 3) / 4  # bigram "walks walks" is not in the reference; lengths equal
    item2 = 10 * 3 / 4
    assert cider_d(hyps, REFS) == pytest.approx((item1 + item2) / 2, abs=1e-9)


def test_identical_caption_scores_higher_than_unrelated():
    refs = [["a person walks forward slowly", "someone walks ahead"],
            ["a person jumps up high", "someone hops in place"],
            ["a man waves with his right hand", "a person waves hello"]]
    good = caption_scores(["a person walks forward slowly", "a person jumps up high", "a person waves hello"], refs)
    bad = caption_scores(["the cat sat on the mat", "it is raining", "blue green red"], refs)
    for key in ("bleu1", "bleu4", "rouge_l", "cider"):
        assert good[key] > bad[key], key
    assert 0.0 <= bad["bleu1"] <= good["bleu1"] <= 1.0
    assert good["rouge_l"] == pytest.approx(1.0)


def test_bad_input_is_a_clear_error():
    with pytest.raises(InputError):
        caption_scores(["a"], [])
    with pytest.raises(InputError):
        caption_scores(["a"], [[]])
    with pytest.raises(InputError):
        caption_scores(["a"], ["a man walks"])
