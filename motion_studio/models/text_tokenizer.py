"""One vocabulary for text and motion: byte-level BPE text tokens plus <motion_id_*> tokens.

Why byte-level BPE: any string a user types (emoji, typos, unseen words) splits into known
byte pieces, so nothing collapses to an "unknown" token. Motion codes from the VQ-VAE become
ordinary vocabulary entries, so one causal LM reads and writes both.

Layout of our own tokenizer: ids 0..4 are <pad> <bos> <eos> <som> <eom>, then the motion
tokens <motion_id_0>..<motion_id_{N-1}> (contiguous, from `motion_offset`), then BPE text.
`HFMotionTokenizer` gives the same interface over a Hugging Face tokenizer (for `hf_path`).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import CheckpointError
from .known_words import words_of

SPECIALS = ("<pad>", "<bos>", "<eos>", "<som>", "<eom>")
WORDS_FILE = "words.json"  # the training captions' words, beside tokenizer.json


def read_words(path: Path) -> list[str] | None:
    """The word list at `path` (None when there is none: older checkpoints)."""
    if not path.exists():
        return None
    try:
        words = json.loads(path.read_text())
    except ValueError:
        raise CheckpointError(f"{path}: unreadable word list") from None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise CheckpointError(f"{path}: not a list of words")
    return words


def motion_token(i: int) -> str:
    return f"<motion_id_{i}>"


class _MotionVocabMixin:
    """Shared helpers over `motion_offset` / `n_motion` (motion ids are contiguous)."""

    motion_offset: int
    n_motion: int
    vocab_size: int

    def motion_ids(self, codes) -> list[int]:
        out = []
        for c in codes:
            c = int(c)
            if not 0 <= c < self.n_motion:
                raise ValueError(f"motion code {c} outside 0..{self.n_motion - 1}")
            out.append(self.motion_offset + c)
        return out

    def is_motion(self, token_id: int) -> bool:
        return self.motion_offset <= int(token_id) < self.motion_offset + self.n_motion

    def codes_from_ids(self, ids) -> list[int]:
        """Motion codes in `ids`, in order; every other token is dropped."""
        return [int(i) - self.motion_offset for i in ids if self.is_motion(i)]

    def text_token_ids(self) -> list[int]:
        """Ids a caption may contain (everything but specials and motion tokens)."""
        special = {self.pad_id, self.bos_id, self.eos_id, self.som_id, self.eom_id}
        return [i for i in range(self.vocab_size) if i not in special and not self.is_motion(i)]


class MotionTokenizer(_MotionVocabMixin):
    """Byte-level BPE over captions and templates + motion tokens. Build with `train` or `load`."""

    def __init__(self, tokenizer, words=None) -> None:
        self._tok = tokenizer  # a `tokenizers.Tokenizer`
        # the words of the captions it was trained on (models/known_words.py); None: unknown
        self.words = sorted(words) if words else None
        # A user typing "<eom>" or "<motion_id_3>" gets text, never control tokens.
        self._tok.encode_special_tokens = True
        self.pad_id, self.bos_id, self.eos_id, self.som_id, self.eom_id = (
            tokenizer.token_to_id(s) for s in SPECIALS
        )
        self.motion_offset = tokenizer.token_to_id(motion_token(0))
        n = 0
        while tokenizer.token_to_id(motion_token(n)) is not None:
            n += 1
        self.n_motion = n
        self.vocab_size = tokenizer.get_vocab_size()

    @classmethod
    def train(cls, texts, vocab_size: int = 1500, n_motion_codes: int = 512) -> "MotionTokenizer":
        """Train BPE on `texts`; `vocab_size` counts text tokens (specials and motion come on top).
        The 256 byte tokens are always in, so the text part is at least 256."""
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
        tok.decoder = decoders.ByteLevel()
        specials = list(SPECIALS) + [motion_token(i) for i in range(n_motion_codes)]
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size + len(specials),
            special_tokens=specials,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        texts = [str(t).lower() for t in texts]
        tok.train_from_iterator(texts, trainer=trainer)
        return cls(tok, words_of(texts))

    def encode(self, text: str) -> list[int]:
        # Lower-case like the training captions.
        return self._tok.encode(str(text).lower(), add_special_tokens=False).ids

    def decode(self, ids) -> str:
        ids = [int(i) for i in ids if not self.is_motion(i) and 0 <= int(i) < self.vocab_size]
        return self._tok.decode(ids, skip_special_tokens=True).strip()

    def surfaces(self) -> dict[int, str]:
        """Caption token id -> the text it adds, leading space included (for known_words)."""
        return {i: self._tok.decode([i], skip_special_tokens=True) for i in self.text_token_ids()}

    def save(self, directory) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self._tok.save(str(d / "tokenizer.json"))
        if self.words:
            (d / WORDS_FILE).write_text(json.dumps(self.words, indent=0))

    @classmethod
    def load(cls, directory) -> "MotionTokenizer":
        from tokenizers import Tokenizer

        path = Path(directory) / "tokenizer.json"
        if not path.exists():
            raise CheckpointError(f"tokenizer file missing: {path}")
        try:
            tok = Tokenizer.from_file(str(path))
        except Exception as exc:  # malformed json and the like
            raise CheckpointError(f"cannot read tokenizer {path}: {exc}") from None
        return cls(tok, read_words(Path(directory) / WORDS_FILE))


class HFMotionTokenizer(_MotionVocabMixin):
    """The same interface over a Hugging Face tokenizer, with <som>/<eom>/motion tokens added."""

    def __init__(self, hf_tokenizer, n_motion_codes: int | None = None) -> None:
        tok = hf_tokenizer
        if n_motion_codes is not None and tok.convert_tokens_to_ids(motion_token(0)) in (None, tok.unk_token_id):
            tok.add_special_tokens(
                {"additional_special_tokens": ["<som>", "<eom>"] + [motion_token(i) for i in range(n_motion_codes)]}
            )
        self.hf = tok
        self.eos_id = tok.eos_token_id
        self.bos_id = tok.bos_token_id if tok.bos_token_id is not None else self.eos_id
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else self.eos_id
        self.som_id = tok.convert_tokens_to_ids("<som>")
        self.eom_id = tok.convert_tokens_to_ids("<eom>")
        self.motion_offset = tok.convert_tokens_to_ids(motion_token(0))
        vocab = tok.get_vocab()
        n = 0
        while motion_token(n) in vocab:
            n += 1
        self.n_motion = n
        self.vocab_size = len(tok)

    @classmethod
    def from_pretrained(cls, path, n_motion_codes: int = 512, gguf_file: str | None = None) -> "HFMotionTokenizer":
        from transformers import AutoTokenizer

        kwargs = {"gguf_file": gguf_file} if gguf_file else {}
        return cls(AutoTokenizer.from_pretrained(str(path), **kwargs), n_motion_codes)

    def encode(self, text: str) -> list[int]:
        return list(self.hf.encode(str(text), add_special_tokens=False, split_special_tokens=True))

    def decode(self, ids) -> str:
        ids = [int(i) for i in ids if not self.is_motion(i)]
        return self.hf.decode(ids, skip_special_tokens=True).strip()

    def save(self, directory) -> None:
        self.hf.save_pretrained(str(directory))

    @classmethod
    def load(cls, directory) -> "HFMotionTokenizer":
        from transformers import AutoTokenizer

        return cls(AutoTokenizer.from_pretrained(str(directory)), None)


def load_tokenizer(directory):
    """Our tokenizer when `directory` holds one we trained, else a Hugging Face one."""
    d = Path(directory)
    meta = d / "tokenizer_kind.json"
    kind = json.loads(meta.read_text())["kind"] if meta.exists() else "motion"
    return MotionTokenizer.load(d) if kind == "motion" else HFMotionTokenizer.load(d)
