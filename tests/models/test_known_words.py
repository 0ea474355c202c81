"""Captions keep to the words of the training captions: hand-checked cases of the pure functions,
and an untrained model (which babbles byte pieces) that still spells only known words."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from motion_studio.models.known_words import (  # noqa: E402
    KnownWords, known_spelling, open_word, repair, token_fits, words_of)

WORDS = {"a", "person", "walks", "forward", "the", "man", "jumps", "tag", "name", "cautious", "with"}
PREFIXES = {w[:i] for w in WORDS for i in range(1, len(w) + 1)}


def test_words_of_lowercases_and_splits_on_punctuation():
    assert words_of(["A person walks, then JUMPS.", "the man's turn-left"]) == {
        "a", "person", "walks", "then", "jumps", "the", "man's", "turn", "left"}


@pytest.mark.parametrize("partial, surface, ok", [
    ("", " walks", True),        # a whole known word (left open: the next token may close it)
    ("", " walk", True),         # a prefix of "walks"
    ("", " walx", False),        # begins no known word
    ("wal", "ks", True),         # continues the open word into a known one
    ("walks", ".", True),        # punctuation closes a known word
    ("wal", ".", False),         # ... but not a word that is not finished
    ("wal", " the", False),      # a space closes "wal", which is no word
    ("", " Walks", False),       # capitals are never produced (captions are lower-case)
    ("", "\ufffd", False),       # a byte piece of a non-ASCII character
])
def test_token_fits(partial, surface, ok):
    assert token_fits(partial, surface, WORDS, PREFIXES) is ok


def test_open_word():
    assert open_word("", " pers") == "pers"
    assert open_word("pers", "on") == "person"
    assert open_word("person", ".") == ""
    assert open_word("person", " wa") == "wa"


def test_known_spelling_prefers_the_longest_known_start_then_close_spelling():
    assert known_spelling("forwardly", WORDS) == "forward"
    assert known_spelling("tagum", WORDS) == "tag"
    assert known_spelling("autious", WORDS) == "cautious"  # no known start; difflib ratio 0.93
    assert known_spelling("zzzq", WORDS) is None


def test_repair_keeps_known_words_and_tidies_spaces():
    assert repair("a person walks forwardly.", WORDS) == "a person walks forward."
    assert repair("the man with a name tagum.", WORDS) == "the man with a name tag."
    assert repair("a person zzzq walks .", WORDS) == "a person walks."
    assert repair("A person walks.", WORDS) == "A person walks."  # case of known words is kept
    assert repair("a person\ufffd walks\x07.", WORDS) == "a person walks."


def test_mask_allows_the_end_only_after_a_whole_word():
    surfaces = {5: " a", 6: " per", 7: "son", 8: ".", 9: " zz"}
    kw = KnownWords(WORDS, surfaces, end_id=2, vocab=10)
    assert kw.mask("").nonzero().flatten().tolist() == [2, 5, 6, 8]  # "." after nothing is fine
    assert kw.mask("per").nonzero().flatten().tolist() == [7]        # only "son" finishes "per..."
    assert kw.advance("per", 7) == "person"
    assert kw.mask("person")[2] and kw.mask("person")[8]


def test_tokenizer_keeps_its_words_through_save_and_load(tmp_path):
    from motion_studio.models.text_tokenizer import MotionTokenizer

    tok = MotionTokenizer.train(["A person walks.", "the man jumps"], vocab_size=40, n_motion_codes=4)
    assert tok.words == ["a", "jumps", "man", "person", "the", "walks"]
    tok.save(tmp_path)
    assert MotionTokenizer.load(tmp_path).words == tok.words
    (tmp_path / "words.json").unlink()
    assert MotionTokenizer.load(tmp_path).words is None  # older checkpoints: no constraint


def test_untrained_model_captions_only_known_words_in_both_modes():
    import torch

    from tiny_models import tiny_motion_lm

    texts = ["a person walks forward", "the man jumps", "a person waves the right hand"]
    lm = tiny_motion_lm(texts)
    torch.manual_seed(0)
    for w in lm.lm.parameters():  # louder random weights: the raw decoder babbles byte pieces
        w.data.normal_(0.0, 0.5)
    known = set(lm.tok.words)
    codes = [[1, 2, 3, 4], [5, 6, 7], [0, 9, 9, 2, 1]]
    with torch.inference_mode():
        raw = lm.generate_caption(codes, max_tokens=12, known_words="off")
        for mode in ("repair", "mask"):
            for cap in lm.generate_caption(codes, max_tokens=12, known_words=mode):
                assert all(w in known for w in re.findall(r"[a-z0-9']+", cap.lower())), (mode, cap)
                assert all(" " <= c <= "~" for c in cap), (mode, cap)
    # the untrained model does spell non-words, so the check above is not vacuous
    assert any(w not in known for cap in raw for w in re.findall(r"[a-z0-9']+", cap.lower()))
    assert any(not " " <= c <= "~" for cap in raw for c in cap)
    with pytest.raises(ValueError):
        lm.generate_caption(codes, known_words="sometimes")


def test_learning_a_task_adds_its_caption_words(tmp_path):
    import json

    from motion_studio.training.learn import _add_caption_words

    (tmp_path / "words.json").write_text(json.dumps(["a", "person"]))
    _add_caption_words(tmp_path, ["A person kicks, high."])
    assert json.loads((tmp_path / "words.json").read_text()) == ["a", "high", "kicks", "person"]
    (tmp_path / "words.json").unlink()
    _add_caption_words(tmp_path, ["a person kicks"])  # no list: stays without one
    assert not (tmp_path / "words.json").exists()
