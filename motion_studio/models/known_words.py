"""Captions in known words: every word a caption spells must be one the caption model was trained on.

Why: the text vocabulary is byte-level BPE, so the decoder can spell any string. On motion unlike
its corpus (another rig, real capture) the greedy caption sometimes wanders into pieces of words
that do not exist ("a woman with a name tagum", "a person is doing a jump with a tieaur": 7 of the
103 shifted-motion captions of the v4 model, 9 of its 96 base test captions). The words of the
captions the tokenizer was trained on (`backbone/words.json`) are the ones a caption may use.

Two ways, chosen between on validation clips (scripts/known_words_study.py; repair ships: it
keeps the most BLEU-4, while masking sends the rest of the sentence elsewhere):
- "repair" (after decoding): a non-word becomes the longest known word it starts with ("forwarderaa"
  -> "forward"), else the closest known spelling ("autious" -> "cautious"), else it is dropped;
  the rest of the caption stays as the model wrote it.
- "mask" (while decoding): `KnownWords.mask(partial)` is the set of next tokens allowed after a
  caption whose last word is still open (`partial`, "" after a space or punctuation); the end
  token is allowed only when that word is complete. Masks are cached per open word.
A word is a run of [a-z0-9'] in the lower-cased text, the same rule that collects the words.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MODES = ("repair", "mask", "off")

WORD = re.compile(r"[a-z0-9']+")
WORD_AT_END = re.compile(r"[a-z0-9']+$")
_PRINTABLE = set(" !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")


def words_of(texts: Iterable[str]) -> set[str]:
    """Every word of `texts` (lower-cased)."""
    return {w for t in texts for w in WORD.findall(str(t).lower())}


def token_fits(partial: str, surface: str, words: set[str], prefixes: set[str]) -> bool:
    """Whether a token spelled `surface` may follow a caption whose open last word is `partial`:
    each word it completes is known and the word it leaves open begins a known word."""
    if not surface or any(c not in _PRINTABLE for c in surface):
        return False  # byte pieces of non-ASCII characters, control characters, capitals
    text = partial + surface
    for m in WORD.finditer(text):
        if m.end() < len(text):
            if m.group() not in words:
                return False
        elif m.group() not in prefixes:
            return False
    return True


def open_word(partial: str, surface: str) -> str:
    """The caption's open last word after a token spelled `surface` ("" if it ends a word)."""
    m = WORD_AT_END.search(partial + surface)
    return m.group() if m else ""


class KnownWords:
    """The decoding constraint for one tokenizer and word list.

    surfaces: token id -> the text it adds (with its leading space), for every token a caption may
    contain; end_id: the token that ends a caption; vocab: the model's vocabulary size."""

    def __init__(self, words: Iterable[str], surfaces: dict[int, str], end_id: int, vocab: int) -> None:
        self.words = {w.lower() for w in words}
        self.prefixes = {w[:i] for w in self.words for i in range(1, len(w) + 1)}
        self.surfaces = dict(surfaces)
        self.end_id, self.vocab = int(end_id), int(vocab)
        self._masks: dict[str, object] = {}

    def mask(self, partial: str):
        """Bool tensor (vocab,): the tokens allowed next."""
        import torch

        if partial not in self._masks:
            ok = torch.zeros(self.vocab, dtype=torch.bool)
            ids = [i for i, s in self.surfaces.items() if token_fits(partial, s, self.words, self.prefixes)]
            if ids:
                ok[torch.tensor(ids)] = True
            ok[self.end_id] = partial == "" or partial in self.words
            self._masks[partial] = ok
        return self._masks[partial]

    def advance(self, partial: str, token_id: int) -> str:
        return open_word(partial, self.surfaces.get(int(token_id), " "))


def known_spelling(word: str, words: set[str], min_prefix: int = 3, cutoff: float = 0.8) -> str | None:
    """The known word a non-word stands for: the longest known word it begins with (at least
    `min_prefix` letters), else the closest spelling (difflib ratio >= cutoff), else None."""
    for n in range(len(word) - 1, min_prefix - 1, -1):
        if word[:n] in words:
            return word[:n]
    close = difflib.get_close_matches(word, words, n=1, cutoff=cutoff)
    return close[0] if close else None


def repair(caption: str, words: set[str]) -> str:
    """`caption` with every word outside `words` replaced by its known spelling or dropped, and
    every character outside printable ASCII dropped."""
    def fix(m: re.Match) -> str:
        w = m.group()
        if w.lower() in words:
            return w
        return known_spelling(w.lower(), words) or ""

    out = re.sub(r"[A-Za-z0-9']+", fix, re.sub(r"[^\x20-\x7e]", "", caption))  # no byte pieces or controls
    out = re.sub(r" {2,}", " ", out)
    return re.sub(r" ([.,!?;:])", r"\1", out).strip()
