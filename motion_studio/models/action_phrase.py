"""A prompt's action phrase: what the body does, without who, where, when or in what mood.

Why: the prompt router compares sentence embeddings, and a sentence embedding weighs every word.
"A bored infant hoists the right hand twice at sunset" and "raising both hands up, a shy woman then
returns to rest" say "hoists the right hand twice" and "raising both hands up"; the rest (a subject,
a setting, a mood, an "as if" aside, a closing "then stops") is what people vary most and what says
least about the task. `action_phrase` keeps the action by general English rules, clause by clause:

1. lower case; punctuation other than commas and apostrophes becomes a clause break;
2. per clause: drop a command opener ("please", "try to"), a leading subject (`SUBJECT`)
   and any short lead before the first action verb (not one right after a determiner: "a bow tie");
3. drop an aside to the clause end ("as if ...", "as part of ...", "like in ...", "looking ...");
4. drop manner adverbs in -ly (never a verb: "fly", "only", "early" are kept);
5. drop a closing rest ("and then stops", ", the man then comes to a rest") when an action precedes it;
6. drop a trailing setting: a preposition of place or time and its noun phrase ("in a church",
   "at sunset", "on a foggy morning"), unless it names a body part, a support or a path ("on the
   floor", "on a chair", "in a circle", "on the left knee").

The rules know no corpus vocabulary; tests/models/test_action_phrase.py checks them by hand.
"""
from __future__ import annotations

import re

from .motion_verbs import ACTION_WORDS, MORE_ACTION_WORDS

VERBS = ACTION_WORDS | MORE_ACTION_WORDS
# a leading phrase of at most this many words before the first action verb is taken as the subject
MAX_LEAD_WORDS = 8

_DETERMINERS = {"a", "an", "the", "his", "her", "their", "my", "your", "its", "our", "this", "that"}
_NOT_IN_A_SUBJECT = {"and", "then", "while", "before", "after", "but", "to", "so"}
# a leading subject: optional determiner, optional adjectives, a person word, optional "is"
SUBJECT = re.compile(
    r"^(?:(?:a|an|the|this|that|some|my|our|your|his|her|their)\s+)?"
    r"(?:(?:young|old|little|tall|short|elderly|small|big|older|younger)\s+)*"
    r"(?:person|man|woman|guy|lady|figure|individual|human|character|adult|subject|kid|child|boy|girl|"
    r"dancer|someone|somebody|he|she|they|people|men|women|friend|athlete|player)\b\s*(?:is\s+|are\s+)?")
_OPENER = re.compile(r"^(?:please |now |go ahead and |try to |let's |let us )+")
_ASIDE = re.compile(r"\s+(?:as if|as though|as part of|like in|looking|seeming|appearing)\b.*$")
_REST = (r"(?:stop|stops|stopped|stopping|pause|pauses|paused|pausing|relax|relaxes|relaxed|relaxing|"
         r"rest|rests|rested|resting|halt|halts|halted|halting|freeze|freezes|froze|freezing)(?:\s+moving)?"
         r"|(?:hold|holds|held|holding|stay|stays|stayed|staying|stand|stands|stood|standing|remain|remains|"
         r"remained|remaining|keep|keeps|kept|keeping)\s+still"
         r"|(?:come|comes|came|coming|return|returns|returned|returning)\s+to\s+(?:a\s+)?(?:rest|stop|halt|standstill)")
_CLOSING_REST = re.compile(r"(?:^|\s+)(?:and\s+)?(?:then\s+|finally\s+|afterwards\s+)*(?:" + _REST + r")\b.*$")
_NOT_ADVERBS = {"only", "early", "family", "belly", "fly", "ally", "rally", "jelly", "holy", "ugly", "silly",
                "july", "italy", "supply", "reply", "apply", "bully", "daily", "lily", "assembly", "butterfly",
                "firefly", "dragonfly", "curly", "wobbly", "lonely", "jolly", "wally"}
_PLACE_PREPOSITIONS = {"in", "at", "on", "by", "beside", "near", "under", "inside", "outside", "among", "during",
                       "amid", "underneath"}
# nouns that make a place phrase part of the action: body parts, supports, paths
_ACTION_NOUNS = set("""
circle circles place spot floor ground chair seat stool bench couch sofa bed box step steps stairs staircase
toes tiptoe tiptoes tip heels heel knee knees foot feet leg legs hand hands arm arms back side sides left right
front air line square zigzag direction wall table mat ball position hips hip head shoulders shoulder belly
stomach elbows elbow fours all one both
""".split())
_SETTING_WORDS = {"outdoors", "indoors", "today", "tonight"}


def _drop_lead(words: list[str]) -> list[str]:
    """Words from the first action verb on, when what precedes it can be a subject."""
    for i, w in enumerate(words[:MAX_LEAD_WORDS + 1]):
        if w in _NOT_IN_A_SUBJECT:
            return words
        if w in VERBS and not (i > 0 and words[i - 1] in _DETERMINERS):
            return words[i:]
    return words


def _is_adverb(word: str) -> bool:
    return word.endswith("ly") and len(word) > 4 and word not in VERBS and word not in _NOT_ADVERBS


def _drop_setting(words: list[str]) -> list[str]:
    """Drop trailing "PREPOSITION noun-phrase" settings (at most 5 words each), innermost last."""
    while len(words) > 1:
        for j in range(len(words) - 1, max(0, len(words) - 6), -1):
            if words[j] in _PLACE_PREPOSITIONS:
                tail = words[j + 1:]
                if tail and not (set(tail) & (_ACTION_NOUNS | VERBS)) and not any(t.isdigit() for t in tail):
                    words = words[:j]
                    break
                return words
        else:
            return words
    return words


def action_phrase(text: str) -> str:
    """'Raising both hands up, a shy woman then returns to rest.' -> 'raising both hands up'."""
    t = re.sub(r"[^a-z0-9', ]+", " , ", text.lower())
    clauses = [re.sub(r"\s+", " ", c).strip() for c in t.split(",")]
    out: list[str] = []
    for clause in filter(None, clauses):
        c = _OPENER.sub("", clause)
        c = SUBJECT.sub("", c).strip() or c
        c = " ".join(_drop_lead(c.split()))
        c = _ASIDE.sub("", " " + c).strip()
        c = " ".join(w for w in c.split() if not _is_adverb(w))
        rest = _CLOSING_REST.search(c)
        if rest:
            head = c[:rest.start()].strip()
            if head and set(head.split()) & VERBS:
                c = head
            elif out:  # a clause that only says the motion ends
                c = ""
        c = " ".join(w for w in _drop_setting(c.split()) if w not in _SETTING_WORDS)
        if c:
            out.append(c)
    return " ".join(out) or "nothing"
