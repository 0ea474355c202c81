"""Captions in HumanML3D style: several paraphrases per clip, lower case, ending with ".".

Each action has predicate templates ("jumps forward {times}"); a caption is a subject plus one
or two predicates. Templates are written for the right side (as the actions are); mirrored clips
swap left/right words. Modifiers the motion shows (count, pace, turn size, direction) are filled
in from the action's params, so they stay learnable. Words we keep for held-out tests never
appear (see HELD_OUT_WORDS); `tokens` builds HumanML3D's `word/POS` field.
"""
from __future__ import annotations

import re

import numpy as np

# Words a later evaluation uses to test unseen phrasings; no caption may contain them (any inflection).
HELD_OUT_WORDS = ("leap", "stroll", "beckon", "star", "saunter", "amble", "bound", "hoist", "plod", "trudge",
                  "twirl", "applaud", "curtsy", "plop", "perch", "hunker", "skip", "gallop")

SUBJECTS = ("a person", "someone", "a man", "a woman", "the person", "a figure", "the figure", "a guy",
            "a lady", "an individual", "a human", "the man", "the woman", "somebody", "a character",
            "an adult", "the individual", "a young man", "a young woman", "this person", "the subject")

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}

THEN = (" and then ", ", then ", " then ", " and afterwards ", " before ", " and after that ")

# {times}: "once", "twice", "three times"; {n}: number word; {adv_*}: a random adverb of that kind.
ADVERBS = {
    "calm": ("calmly", "gently", "slowly", "steadily", "smoothly", "casually", "carefully", "softly"),
    "lively": ("quickly", "energetically", "briskly", "rapidly", "vigorously", "eagerly", "swiftly", "actively"),
    "any": ("calmly", "gently", "steadily", "smoothly", "casually", "carefully", "quickly", "briskly",
            "deliberately", "firmly", "lightly", "neatly", "cheerfully", "confidently", "happily", "politely"),
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    # --------------------------------------------------------------- jumping
    "jump_in_place": (
        "jumps up and down {times}", "jumps in place {times}", "jumps straight up {times}",
        "does {n_jumps} in place", "jumps vertically {times} without moving forward",
        "bends the knees and jumps up {times}", "hops up {times} on the spot with both feet",
    ),
    "jump_forward": (
        "jumps forward {times}", "jumps ahead {times} with both feet", "does {n_jumps} forward",
        "hops forward {times} with feet together", "jumps a long way forward {times}",
        "crouches and jumps forward {times}", "jumps to the front {times}",
    ),
    "hop_backward": (
        "hops backwards {times}", "jumps backward {times}", "does {n_hops} backwards",
        "jumps back {times} with both feet", "hops back {times}", "jumps in reverse {times}",
    ),
    "jump_sideways": (
        "jumps to the right {times}", "jumps sideways to the right {times}", "hops to the right {times}",
        "does {n_jumps} to the right side", "jumps right {times} with both feet",
        "jumps laterally toward the right {times}",
    ),
    "hop_on_one_foot": (
        "hops on the right foot {times}", "hops {times} on one foot, the right one",
        "jumps on the right leg {times} holding the left foot up", "balances on the right foot and hops {times}",
        "does {n_hops} on the right leg", "hops up and down on the right foot {times}",
    ),
    "jumping_jacks": (
        "does {n} jumping jacks", "performs {n} jumping jacks", "does jumping jacks {times}",
        "jumps spreading the legs and clapping the arms overhead {times}",
        "jumps with arms and legs out and back in {times}", "exercises with {n} jumping jacks",
    ),
    "jump_turn": (
        "jumps and turns a {turn} turn to the right in the air", "jumps up and spins a {turn} turn to the right",
        "does a jump with a {turn} turn to the right", "jumps turning {turn_deg} degrees to the right",
        "jumps and rotates to the right while in the air", "jumps while turning to the right",
    ),
    # --------------------------------------------------------------- walking
    "walk_forward": (
        "walks forward", "walks forward and then stops", "walks straight ahead", "walks forward {adv_calm}",
        "takes several steps forward", "walks in a straight line", "moves forward at a normal pace",
        "walks ahead and comes to a stop", "paces forward in a straight line",
    ),
    "walk_slow": (
        "walks forward slowly", "walks slowly in a straight line", "slowly walks ahead",
        "walks forward at a slow pace", "takes slow steps forward", "walks leisurely forward",
        "walks very slowly and then stops", "moves forward with slow careful steps",
    ),
    "walk_fast": (
        "walks forward quickly", "walks fast in a straight line", "briskly walks ahead",
        "walks forward at a fast pace", "hurries forward with quick steps", "walks rapidly forward",
        "walks fast and then stops", "speed walks forward",
    ),
    "walk_backward": (
        "walks backwards", "walks backward slowly", "steps backwards several times", "walks in reverse",
        "moves backwards with small steps", "backs up by walking backward", "takes steps backward",
    ),
    "walk_sideways": (
        "walks sideways to the right", "side steps to the right", "steps sideways toward the right",
        "shuffles sideways to the right", "moves to the right with side steps", "walks laterally to the right",
    ),
    "walk_circle": (
        "walks in a circle clockwise", "walks around in a clockwise circle", "walks in a circle turning right",
        "circles around clockwise", "walks a full circle to the right", "paces in a clockwise loop",
    ),
    "walk_turn": (
        "walks forward and turns right", "walks ahead then makes a {turn} turn to the right",
        "walks and turns to the right", "walks forward, turns {turn_deg} degrees right and keeps walking",
        "walks then changes direction to the right", "walks and makes a right turn",
    ),
    "walk_zigzag": (
        "walks in a zigzag", "walks forward in a zigzag pattern", "zigzags forward",
        "walks diagonally left and right in turns", "weaves left and right while walking forward",
        "walks a zigzag path",
    ),
    # --------------------------------------------------------------- base
    "step_over": (
        "walks forward and steps over an obstacle", "steps over something while walking",
        "walks ahead lifting the legs high over an object", "walks and steps high over a barrier",
        "walks forward and climbs over a small obstacle", "steps over an object on the ground",
    ),
    "run_forward": (
        "runs forward", "runs straight ahead", "jogs forward quickly", "sprints forward",
        "runs in a straight line", "runs ahead and slows to a stop", "dashes forward",
    ),
    "run_circle": (
        "runs in a circle clockwise", "jogs around in a clockwise circle", "runs around in a circle to the right",
        "runs in a loop turning right", "runs a clockwise circle",
    ),
    "jog_in_place": (
        "jogs in place", "runs on the spot", "jogs on the spot without moving", "runs in place",
        "jogs in place lifting the knees", "does a light jog in place",
    ),
    "turn_around": (
        "turns around to the right", "turns {turn_deg} degrees to the right", "makes a {turn} turn to the right",
        "turns to the right on the spot", "rotates to the right in place", "pivots to the right",
    ),
    "kick": (
        "kicks with the right foot {times}", "kicks forward with the right leg {times}",
        "does {n_kicks} with the right leg", "kicks the right foot out in front {times}",
        "lifts the right leg and kicks {times}", "throws a kick with the right leg {times}",
    ),
    "punch": (
        "punches forward with the right fist {times}", "throws {n_punches} with the right hand",
        "punches {times} with the right arm", "boxes with the right fist {times}",
        "jabs forward with the right hand {times}", "raises the fists and punches with the right {times}",
    ),
    "throw": (
        "throws something with the right hand", "throws a ball overhand with the right arm",
        "winds up and throws with the right hand", "makes an overhand throw with the right arm",
        "pitches a ball with the right hand", "throws an object forward with the right arm",
    ),
    "dance": (
        "dances", "dances from side to side", "dances happily swaying the hips", "dances to a beat",
        "grooves to music", "sways and dances in place", "dances with rhythmic steps",
    ),
    "balance": (
        "balances on the right foot", "stands on the right leg with the left knee raised",
        "balances on one leg, the right one, with arms out", "stands on one foot, the right one",
        "lifts the left leg and balances on the right", "keeps balance on the right leg",
    ),
    # --------------------------------------------------------------- arms
    "raise_arm": (
        "raises the right arm {times}", "lifts the right arm above the head {times}",
        "puts the right arm up {times}", "raises the right arm up high {times}",
        "lifts the right arm overhead and lowers it {times}", "holds the right arm up and drops it {times}",
    ),
    "raise_both_arms": (
        "raises both arms", "lifts both arms above the head", "puts both arms up in the air",
        "raises the arms up high and lowers them", "lifts both arms overhead", "holds both arms up",
    ),
    "stretch_up": (
        "stretches the arms up high", "reaches both arms up and stretches", "stretches upward with both arms",
        "extends the arms overhead for a stretch", "stretches the body upward", "does an overhead stretch",
    ),
    "arm_circles": (
        "makes circles with the {arms} {times}", "rotates the {arms} in circles", "does arm circles with the {arms}",
        "swings the {arms} around in circles", "circles the {arms} {times}", "draws circles in the air with the {arms}",
    ),
    "reach_forward": (
        "reaches forward with the right arm", "extends the right arm out in front",
        "stretches the right arm forward", "reaches out to the front with the right arm",
        "leans forward and reaches with the right arm", "reaches ahead with the right arm",
    ),
    "reach_side": (
        "reaches out to the right side", "extends the right arm out to the side",
        "stretches the right arm to the right", "leans right reaching out with the right arm",
        "reaches sideways with the right arm", "extends the right arm laterally",
    ),
    "flap_arms": (
        "flaps both arms {times}", "flaps the arms like a bird", "moves the arms up and down like wings",
        "flaps the arms up and down {times}", "flaps both arms at the sides", "imitates a bird flapping the arms",
    ),
    "spread_arms": (
        "spreads both arms out to the sides", "holds the arms out horizontally", "stretches the arms out wide",
        "extends both arms sideways", "opens the arms wide", "puts both arms out to the sides",
    ),
    # --------------------------------------------------------------- gestures
    "wave": (
        "waves with the right hand", "waves hello with the right hand", "waves the right hand",
        "waves goodbye with the right hand", "greets someone by waving the right hand",
        "waves at someone with the right hand", "waves hi using the right hand",
    ),
    "clap": (
        "claps {times}", "claps the hands {times}", "claps {n} times", "gives a round of clapping",
        "claps both hands together {times}", "claps hands in front of the chest",
    ),
    "bow": (
        "bows", "bows forward politely", "takes a bow", "bends forward at the waist in a bow",
        "bows the upper body and comes back up", "gives a respectful bow",
    ),
    "point": (
        "points {direction} with the right hand", "points {direction} with the right index finger",
        "points the right hand {direction}", "uses the right hand to point {direction}",
        "gestures by pointing {direction} with the right hand",
    ),
    "salute": (
        "salutes with the right hand", "gives a military salute with the right hand",
        "salutes by touching the forehead with the right hand", "salutes", "does a salute with the right hand",
    ),
    "shrug": (
        "shrugs the shoulders {times}", "shrugs {times}", "shrugs as if to say i do not know",
        "lifts the shoulders in a shrug", "shrugs with the palms up", "gives a shrug",
    ),
    "thumbs_up": (
        "gives a thumbs up with the right hand", "shows a thumbs up with the right hand",
        "holds up the right thumb", "signals approval with the right thumb", "puts the right thumb up",
    ),
    "come_here": (
        "motions with the right hand for someone to come over", "gestures to come closer with the right hand",
        "waves someone over with the right hand", "signals someone to approach using the right hand",
        "calls someone over with the right hand", "curls the right hand inward asking someone to come",
    ),
    "nod": (
        "nods the head {times}", "nods {times}", "nods in agreement", "nods yes {times}",
        "moves the head up and down {times}", "nods the head to agree",
    ),
    # --------------------------------------------------------------- sit / stand
    "sit_down": (
        "sits down", "sits down on a chair", "lowers into a seat", "sits down slowly",
        "takes a seat", "bends the knees and sits down", "sits down and stays seated",
    ),
    "stand_up": (
        "stands up", "stands up from a chair", "gets up from a seated position", "rises from the chair",
        "gets up out of a seat", "stands up from sitting",
    ),
    "sit_then_stand": (
        "sits down and then stands up", "sits on a chair and gets back up", "takes a seat and stands again",
        "sits down for a moment and rises", "lowers into a chair and stands back up",
    ),
    "squat": (
        "squats {times}", "does {n_squats}", "squats down and stands back up {times}",
        "bends the knees into a squat {times}", "does squats {times}", "performs {n_squats} with arms forward",
    ),
    "crouch": (
        "crouches down", "crouches low and stands back up", "crouches down and stays low for a moment",
        "gets down into a crouch", "squats low on the toes", "crouches close to the ground",
    ),
    "kneel": (
        "kneels on the right knee", "kneels down on one knee and gets up", "goes down on the right knee",
        "kneels on the ground with the right knee", "drops to the right knee and stands again",
        "takes a knee with the right leg",
    ),
}

# Manner adverbs that may decorate arm, gesture and sit/stand captions (never speed words, which
# the walking and running captions use as modifiers that the motion must show).
MANNER = ("calmly", "gently", "smoothly", "casually", "carefully", "deliberately", "firmly", "lightly",
          "neatly", "cheerfully", "confidently", "happily", "politely", "gracefully", "playfully",
          "patiently", "proudly", "awkwardly", "stiffly", "naturally", "cautiously", "joyfully")
MANNER_OK = {"raise_arm", "raise_both_arms", "stretch_up", "arm_circles", "reach_forward", "reach_side",
             "flap_arms", "spread_arms", "wave", "clap", "bow", "point", "salute", "shrug", "thumbs_up",
             "come_here", "nod", "sit_down", "stand_up", "sit_then_stand", "kneel", "dance", "balance", "throw"}

COUNT_NOUNS = {"n_jumps": "jump", "n_hops": "hop", "n_kicks": "kick", "n_punches": "punch", "n_squats": "squat"}
PLURALS = {"punch": "punches"}


def times_phrase(k: int, rng: np.random.Generator) -> str:
    if k == 1:
        return str(rng.choice(["once", "one time"]))
    if k == 2:
        return str(rng.choice(["twice", "two times"]))
    return f"{NUMBER_WORDS.get(k, str(k))} times"


def _fill(template: str, params: dict, rng: np.random.Generator) -> str:
    k = int(params.get("count", 1))
    out = template
    if "{times}" in out:
        out = out.replace("{times}", times_phrase(k, rng))
    if "{n}" in out:
        out = out.replace("{n}", NUMBER_WORDS.get(k, str(k)))
    for key, noun in COUNT_NOUNS.items():
        if "{" + key + "}" in out:
            word = ("a " + noun) if k == 1 else f"{NUMBER_WORDS.get(k, str(k))} {PLURALS.get(noun, noun + 's')}"
            out = out.replace("{" + key + "}", word)
    half = params.get("turn") == "half"
    out = out.replace("{turn}", "half" if half else "quarter").replace("{turn_deg}", "180" if half else "90")
    out = out.replace("the {arms}", "{arms}").replace("{arms}", "both arms" if params.get("both") else "the right arm")
    out = out.replace("{direction}", "to the right" if params.get("direction") == "side" else "forward")
    for kind, words in ADVERBS.items():
        out = out.replace("{adv_" + kind + "}", str(rng.choice(words)))
    return re.sub(r"\s+", " ", out).strip()


_SWAP = {"left": "right", "right": "left", "clockwise": "counterclockwise", "counterclockwise": "clockwise"}


def mirror_text(text: str) -> str:
    """Swap left/right (and clockwise/counterclockwise) for a mirrored clip."""
    return re.sub(r"\b(left|right|clockwise|counterclockwise)\b", lambda m: _SWAP[m.group(1)], text)


def predicates(action: str, params: dict, rng: np.random.Generator, k: int) -> list[str]:
    """k distinct filled predicates for an action (fewer only if the action has fewer templates)."""
    temps = TEMPLATES[action]
    order = rng.permutation(len(temps))
    out: list[str] = []
    for i in order:
        p = _fill(temps[i], params, rng)
        if p not in out:
            out.append(p)
        if len(out) == k:
            break
    return out


def make_captions(parts: list[tuple[str, dict]], mirrored: bool, rng: np.random.Generator,
                  n: int | None = None) -> list[str]:
    """3-5 distinct captions for a clip made of one or two (action, params) parts."""
    n = n or int(rng.integers(3, 6))
    preds = [predicates(a, p, rng, n) for a, p in parts]
    subjects = rng.permutation(len(SUBJECTS))
    caps: list[str] = []
    for i in range(n):
        subj = SUBJECTS[subjects[i % len(SUBJECTS)]]
        text = preds[0][i % len(preds[0])]
        if len(parts) > 1:
            joiner = str(rng.choice(THEN))
            second = preds[1][i % len(preds[1])]
            if joiner == " before ":
                second = _gerund(second)
            text = text + joiner + second
        if len(parts) == 1 and parts[0][0] in MANNER_OK and rng.random() < 0.25:
            text = f"{text} {rng.choice(MANNER)}"  # a manner adverb that says nothing about speed or side
        cap = f"{subj} {text}."
        if mirrored:
            cap = mirror_text(cap)
        if cap not in caps:
            caps.append(cap)
    return caps


def _gerund(pred: str) -> str:
    """'waves with the hand' -> 'waving with the hand' (first word only)."""
    first, _, rest = pred.partition(" ")
    irregular = {"does": "doing", "goes": "going", "gets": "getting", "sits": "sitting", "runs": "running",
                 "puts": "putting", "jogs": "jogging", "claps": "clapping", "nods": "nodding", "steps": "stepping",
                 "drops": "dropping", "shrugs": "shrugging", "flaps": "flapping", "takes": "taking",
                 "makes": "making", "gives": "giving", "raises": "raising", "lowers": "lowering",
                 "rises": "rising", "dances": "dancing", "circles": "circling", "uses": "using",
                 "squats": "squatting", "moves": "moving", "zigzags": "zigzagging", "imitates": "imitating",
                 "performs": "performing", "exercises": "exercising", "sprints": "sprinting",
                 "dashes": "dashing", "pitches": "pitching", "punches": "punching", "balances": "balancing",
                 "salutes": "saluting", "curls": "curling", "stretches": "stretching", "reaches": "reaching",
                 "waves": "waving", "weaves": "weaving", "leans": "leaning", "shuffles": "shuffling",
                 "gestures": "gesturing", "signals": "signaling", "motions": "motioning", "lifts": "lifting",
                 "bows": "bowing", "kneels": "kneeling", "crouches": "crouching"}
    if first in irregular:
        return irregular[first] + (" " + rest if rest else "")
    stem = first[:-1] if first.endswith("s") else first
    return stem + "ing" + (" " + rest if rest else "")


# ----------------------------------------------------------------------------- HumanML3D tokens
_POS = {
    "DET": {"a", "an", "the", "this", "their", "his", "her", "its", "some", "each", "every", "both", "several", "all"},
    "PRON": {"someone", "somebody", "it", "they", "them", "he", "she", "i", "something", "one"},
    "ADP": {"in", "on", "with", "to", "of", "over", "at", "around", "into", "above", "from", "for", "like",
            "toward", "by", "without", "out", "through", "after", "up", "down", "back", "off", "along", "before"},
    "CCONJ": {"and", "or", "but"},
    "NUM": set(NUMBER_WORDS.values()) | {"90", "180"},
    "PART": {"not", "to"},
    "ADV": {"then", "forward", "backward", "backwards", "sideways", "ahead", "again", "once", "twice", "slowly",
            "quickly", "afterwards", "straight", "very", "high", "together", "overhead", "upward", "inward",
            "apart", "away", "there", "here", "laterally", "diagonally", "horizontally", "vertically", "wide",
            "yes", "clockwise", "counterclockwise", "hello", "goodbye", "hi", "right", "left", "leisurely",
            "closer", "back", "low", "fast", "up", "down", "in", "out"},
    "ADJ": {"normal", "slow", "fast", "quick", "small", "long", "full", "light", "careful", "straight",
            "respectful", "military", "rhythmic", "seated", "young", "low", "high", "overhand", "other",
            "quarter", "half", "front", "right", "left", "few", "short", "big", "wide", "single", "close"},
    "AUX": {"is", "are", "does", "do"},
}
_ADVERB_SUFFIX = "ly"


def _pos(word: str, prev: str | None) -> str:
    if word in ("left", "right"):
        return "NOUN" if prev == "the" else "ADV"
    for tag in ("DET", "PRON", "CCONJ", "NUM"):
        if word in _POS[tag]:
            return tag
    if word in ("up", "down", "out", "back", "in") and prev not in (None,):
        return "ADV" if word not in _POS["ADP"] or prev in _VERBISH else "ADP"
    if word in _POS["ADP"]:
        return "ADP"
    if word in _POS["ADV"] or word.endswith(_ADVERB_SUFFIX) and word not in ("holy",):
        return "ADV"
    if word in _POS["ADJ"]:
        return "ADJ"
    if word in _PLURAL_NOUNS:
        return "NOUN"
    if word.endswith("ing") or (word.endswith("s") and prev in _SUBJECT_END):
        return "VERB"
    return "NOUN"


_SUBJECT_END = {"person", "someone", "man", "woman", "figure", "guy", "lady", "individual", "human", "somebody",
                "character", "adult", "subject", "then", "and", "he", "she"}
_PLURAL_NOUNS = {"arms", "legs", "hands", "feet", "knees", "shoulders", "fists", "palms", "steps", "jacks",
                 "wings", "hips", "toes", "times", "circles", "degrees", "squats", "jumps", "hops", "kicks",
                 "punches"}
_VERBISH = {"jumps", "stands", "sits", "gets", "puts", "lifts", "steps", "backs", "comes", "walks", "moves",
            "holds", "looks", "bends", "hops", "stays", "goes", "crouches"}

_LEMMA_IRREGULAR = {"does": "do", "goes": "go", "is": "be", "are": "be", "feet": "foot", "knees": "knee",
                    "men": "man", "women": "woman", "reaches": "reach", "punches": "punch", "crouches": "crouch",
                    "stretches": "stretch", "pitches": "pitch", "dashes": "dash", "lies": "lie",
                    "wishes": "wish", "rises": "rise", "circles": "circle", "waves": "wave", "bows": "bow",
                    "shuffles": "shuffle", "dances": "dance", "exercises": "exercise", "moves": "move",
                    "raises": "raise", "lowers": "lower", "imitates": "imitate", "takes": "take",
                    "makes": "make", "gives": "give", "uses": "use", "balances": "balance", "salutes": "salute",
                    "squats": "squat", "times": "time", "hands": "hand", "arms": "arm", "legs": "leg",
                    "shoulders": "shoulder", "fists": "fist", "palms": "palm", "steps": "step", "jacks": "jack",
                    "wings": "wing", "hips": "hip", "toes": "toe", "zigzags": "zigzag", "weaves": "weave",
                    "gestures": "gesture", "degrees": "degree", "curls": "curl", "approves": "approve"}


def _lemma(word: str, pos: str) -> str:
    if word in _LEMMA_IRREGULAR:
        return _LEMMA_IRREGULAR[word]
    if pos in ("VERB", "NOUN") and word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if pos in ("VERB", "NOUN") and word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def tokens(caption: str) -> list[str]:
    """HumanML3D's tokens field: `lemma/POS` per word, punctuation dropped."""
    words = re.findall(r"[a-z0-9]+", caption.lower())
    out, prev = [], None
    for w in words:
        pos = _pos(w, prev)
        out.append(f"{_lemma(w, pos)}/{pos}")
        prev = w
    return out
