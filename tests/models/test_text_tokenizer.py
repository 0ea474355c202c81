"""The text+motion tokenizer: any string survives a round trip; motion ids map back to codes."""
from __future__ import annotations

import pytest

from motion_studio.errors import CheckpointError
from motion_studio.models.text_tokenizer import MotionTokenizer

CAPTIONS = [
    "a person walks forward slowly", "someone jumps up and down", "a man waves with his right hand",
    "a person sits down on a chair", "the person raises both arms", "a woman turns around and walks back",
] * 5


@pytest.fixture(scope="module")
def tok():
    return MotionTokenizer.train(CAPTIONS, vocab_size=300, n_motion_codes=16)


def test_layout_specials_then_motion_then_text(tok):
    assert (tok.pad_id, tok.bos_id, tok.eos_id, tok.som_id, tok.eom_id) == (0, 1, 2, 3, 4)
    assert tok.motion_offset == 5 and tok.n_motion == 16
    assert tok.vocab_size > 5 + 16 + 256  # all 256 bytes plus some merges
    assert tok.is_motion(5) and tok.is_motion(20) and not tok.is_motion(21) and not tok.is_motion(4)


@pytest.mark.parametrize("text", [
    "a person walks forward slowly",
    "someone leaps 🤸 over the zyxqvw puddle!",
    "Ünïcödé — 汉字 and \ttabs",
    "<motion_id_3> typed by a user stays text",
    "",
])
def test_any_string_round_trips(tok, text):
    ids = tok.encode(text)
    assert all(not tok.is_motion(i) for i in ids)  # text never turns into motion tokens
    assert tok.decode(ids) == text.lower().strip()


def test_unknown_words_do_not_collapse(tok):
    a, b = tok.encode("zyxqvw"), tok.encode("qvwzyx")
    assert a != b
    assert len(set(tok.encode("🤸🦄"))) > 1


def test_motion_ids_round_trip(tok):
    codes = [0, 15, 7, 7, 3]
    ids = tok.motion_ids(codes)
    assert ids == [5, 20, 12, 12, 8]
    assert tok.codes_from_ids([tok.bos_id] + ids + [tok.eom_id]) == codes
    assert tok.decode(ids) == ""  # motion tokens are not text
    with pytest.raises(ValueError):
        tok.motion_ids([16])


def test_text_token_ids_exclude_specials_and_motion(tok):
    text = set(tok.text_token_ids())
    assert len(text) == tok.vocab_size - 5 - 16
    assert not text & {0, 1, 2, 3, 4} and not any(tok.is_motion(i) for i in text)


def test_save_load(tok, tmp_path):
    tok.save(tmp_path)
    again = MotionTokenizer.load(tmp_path)
    s = "a man strolls 🤖"
    assert again.encode(s) == tok.encode(s) and again.vocab_size == tok.vocab_size
    with pytest.raises(CheckpointError):
        MotionTokenizer.load(tmp_path / "missing")
