"""Rewordings of a caption, the way people type prompts: for training and calibrating a router.

A router sees what users type ("jump fwd twice", "Someone leaps forward two times!"), not the
grammar's clean sentences; `paraphrase` makes such variants from a caption with the same word
tables the grammar uses (vocabulary.py). Every operation keeps the meaning the motion shows: it
never swaps left and right, never changes a count (it may write "twice" as "two times", or drop
it in a short form, but never say another number), and never changes pace or direction words.
"""
from __future__ import annotations

import re

import numpy as np

from . import vocabulary as V
from .captions import _VERB_FORMS, _gerund, swap_verbs

# Subjects the paraphraser recognises at the start of a caption (longest first).
_SUBJECT_PHRASES = sorted(
    {f"{det} {n}" for n, _ in V.SUBJECT_NOUNS for det in ("a", "an", "the")}
    | {f"{det} {adj} {n}" for n, _ in V.SUBJECT_NOUNS[:12] for adj in V.SUBJECT_ADJECTIVES for det in ("a", "an", "the")}
    | {b for b, _ in V.SUBJECT_BARE} | {"a young man", "a young woman", "this person"},
    key=len, reverse=True)
_SUBJECT_RE = re.compile(r"^(" + "|".join(re.escape(s) for s in _SUBJECT_PHRASES) + r")\b", re.IGNORECASE)
_EVERYDAY_SUBJECTS = ("a person", "someone", "a man", "a woman", "the person", "somebody", "a guy", "he", "she",
                      "a kid", "the man", "a girl", "a boy", "an old man", "a child", "a dancer", "the figure")
_COUNT_SWAPS = {p: k for k, ps in V.COUNT_PHRASES.items() for p in ps}
_STOP = {"the", "a", "an", "then", "very", "just", "really", "simply", "also", "some", "and"}


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


def _strip_end(text: str) -> tuple[str, str]:
    m = re.search(r"[.!?]+$", text)
    return (text[:m.start()], m.group(0)) if m else (text, "")


def swap_subject(text: str, rng: np.random.Generator) -> str:
    """Another everyday subject ('a man' -> 'someone'): the router must not key on who moves."""
    m = _SUBJECT_RE.match(text)
    if not m:
        return text
    new = str(rng.choice([s for s in _EVERYDAY_SUBJECTS if s != m.group(1).lower()]))
    return new + text[m.end():]


def drop_subject(text: str) -> str:
    """'a man jumps forward twice' -> 'jumps forward twice' (the verb phrase people type)."""
    m = _SUBJECT_RE.match(text)
    if not m or " is " in text[m.end():m.end() + 4]:
        return text
    rest = text[m.end():].lstrip()
    return rest if rest and rest.split()[0].lower() in _VERB_FORMS or rest.split()[0].endswith("s") else text


def swap_counts(text: str, rng: np.random.Generator) -> str:
    """'twice' <-> 'two times' <-> '2 times': the same number written another way."""
    for phrase in sorted(_COUNT_SWAPS, key=len, reverse=True):
        m = re.search(r"\b" + re.escape(phrase) + r"\b", text)
        if m:
            k = _COUNT_SWAPS[phrase]
            options = [p for p in V.COUNT_PHRASES[k] if p != phrase]
            return text[:m.start()] + str(rng.choice(options)) + text[m.end():]
    return text


def swap_directions(text: str, rng: np.random.Generator) -> str:
    """'forward' -> 'forwards', 'in place' -> 'on the spot': same direction, other words."""
    keys = [k for k in V.DIRECTION_SYNONYMS if re.search(r"\b" + re.escape(k) + r"\b", text)]
    if not keys:
        return text
    k = str(rng.choice(keys))
    options = [o for o in V.DIRECTION_SYNONYMS[k] if o != k]
    if not options:
        return text
    return re.sub(r"\b" + re.escape(k) + r"\b", str(rng.choice(options)), text, count=1)


def drop_fillers(text: str, rng: np.random.Generator, p: float = 0.5) -> str:
    """Remove some articles and fillers ('raises the right arm' -> 'raises right arm'), as people type."""
    words = text.split(" ")
    kept = [w for i, w in enumerate(words) if not (i > 0 and w.lower() in V.FILLER_WORDS and rng.random() < p)]
    return " ".join(kept) if len(kept) >= 2 else text


def short_form(text: str, rng: np.random.Generator) -> str:
    """The first 3-5 words, cut where no side, count or modifier is left dangling."""
    words = text.split(" ")
    if len(words) <= 3:
        return text
    k = int(rng.integers(3, 6))
    cut = words[:k]
    # never end on a function word, a side or a number whose noun was cut ("raises the right")
    dangling = _STOP | {"on", "with", "to", "in", "of", "at", "by", "for", "toward", "towards", "left", "right",
                        "one", "two", "three", "four", "five", "six", "seven", "eight", "both", "his", "her",
                        "their", "your", "is", "while", "before", "after", "as", "if", "like", "a", "single",
                        "total", "separate", "consecutive", "just", "over", "up", "into", "from", "around"}
    while cut and (cut[-1].lower().strip(",") in dangling or re.fullmatch(r"\d+", cut[-1])):
        cut.pop()
    out = " ".join(cut).rstrip(",")
    return out if len(cut) >= 2 else text


def reorder_clauses(text: str) -> str:
    """'X and then Y' -> 'Y after X-ing': the other order of words, the same order of events."""
    m = re.match(r"^(.*?)(?:,? and then |, then | then | and afterwards | and after that )(.*)$", text)
    if not m:
        return text
    first, second = re.sub(r"^first,? ", "", m.group(1)), m.group(2)
    second = re.sub(r"^(he|she|they|it) ", "", second)
    sm = _SUBJECT_RE.match(first)
    subj = sm.group(1) if sm else ""
    pred1 = first[sm.end():].strip() if sm else first
    if not pred1:
        return text
    if subj:
        return f"after {_gerund(pred1)}, {subj} {second}"
    return f"{second} after {_gerund(pred1)}"


def restyle(text: str, rng: np.random.Generator) -> str:
    """Case and punctuation as people type: capitalised, no final period, '!' or all lower case."""
    body, _ = _strip_end(text)
    r = rng.random()
    if r < 0.3:
        body = body[:1].upper() + body[1:]
    elif r < 0.5:
        body = body.lower()
    end = str(rng.choice(["", "", ".", ".", "!"]))
    return body + end


_OPS = ("verbs", "subject", "drop_subject", "counts", "directions", "fillers", "short", "reorder", "style")


def paraphrase(caption: str, rng: np.random.Generator, n: int) -> list[str]:
    """n distinct rewordings of a caption (fewer only if the caption allows no more), none equal
    to the input; each applies 1-3 meaning-keeping operations. Deterministic for a given rng."""
    base, end = _strip_end(caption.strip())
    out: list[str] = []
    seen = {caption.strip()}
    for _ in range(30 * max(n, 1)):
        if len(out) >= n:
            break
        text = base
        ops = rng.choice(len(_OPS), size=int(rng.integers(1, 4)), replace=False)
        for op in sorted(_OPS[i] for i in ops):
            if op == "verbs":
                text = swap_verbs(text, rng, 0.8)
            elif op == "subject":
                text = swap_subject(text, rng)
            elif op == "drop_subject":
                text = drop_subject(text)
            elif op == "counts":
                text = swap_counts(text, rng)
            elif op == "directions":
                text = swap_directions(text, rng)
            elif op == "fillers":
                text = drop_fillers(text, rng)
            elif op == "reorder":
                text = reorder_clauses(text)
        text = re.sub(r"\s+", " ", text).strip()
        if "short" in [_OPS[i] for i in ops]:
            text = short_form(text, rng)
        text = restyle(text, rng) if "style" in [_OPS[i] for i in ops] else text + end
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out
