"""English verbs of bodily action, in every inflection: where a prompt's action starts.

Why: a prompt's subject says who moves ("a polite guitarist in a baggy tank top"), never what the
body does, yet a sentence embedding weighs it as much as the action. `router_inputs.canonical_prompt`
drops everything before the first of these verbs when that is a short leading phrase. The list is
general English for what people do with their bodies (not the corpus' vocabulary), so it covers
words no training caption uses: "swims", "cartwheels", "mops".
"""
from __future__ import annotations

# base forms; inflections come from `inflections`
BASE_VERBS = """
amble approach arch bang beat beckon bend bob bolt bounce bound bow box brace breakdance brush
bunny-hop cartwheel catch charge chop circle clap climb crawl creep crouch curl curtsy cycle dance
dart dash dive dodge drag draw dribble drink drop duck eat exercise extend fall fidget fight flail
flap flex flip float fold gallop gesture get glide grab greet grip groove hop hike hobble hold
hug hunch hunker hurdle hurl hurry jab jiggle jog juggle jump jerk kick kneel knock lean leap lie
lift limp lower lunge march meander mop motion move mosey nod pace paddle pat pedal perform pirouette pitch
pivot plank play point pose pounce pray prowl pull pump punch push raise reach recline rest rise
roll rotate row run rush salute saunter scoot scramble scratch settle shake shift shimmy shove
shrug shuffle sidestep signal sit skate ski skip slide slouch slump sneak somersault spin spread
sprint squat stagger stamp stand step stomp stoop straighten stretch stride stroll strut stumble
sway sweep swim swing swivel tap throw tiptoe toss tread trip trot tumble turn twirl twist vacuum
walk wander wave weave wiggle wobble wriggle yawn zigzag
"""

_IRREGULAR_PAST = {"beat": "beat", "bend": "bent", "catch": "caught", "draw": "drew", "drink": "drank",
                   "eat": "ate", "fall": "fell", "fight": "fought", "get": "got", "hold": "held", "kneel": "knelt",
                   "leap": "leapt", "lie": "lay", "rise": "rose", "run": "ran", "shake": "shook", "sit": "sat",
                   "sleep": "slept", "spin": "spun", "spread": "spread", "stand": "stood", "stride": "strode",
                   "swim": "swam", "swing": "swung", "sweep": "swept", "throw": "threw", "tread": "trod"}
_VOWELS = set("aeiou")


def _double_final(verb: str) -> bool:
    """hop -> hopping, run -> running; not walk, bow, point or visit-like two-syllable verbs."""
    return (len(verb) >= 3 and verb[-1] not in _VOWELS | set("wxy") and verb[-2] in _VOWELS
            and verb[-3] not in _VOWELS and len([c for c in verb if c in _VOWELS]) == 1)


def inflections(verb: str) -> set[str]:
    """walk -> {walk, walks, walking, walked}; hop -> {hop, hops, hopping, hopped}; lie -> lying."""
    out = {verb}
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        out.add(verb + "es")
    elif verb.endswith("y") and verb[-2:-1] not in _VOWELS:
        out.add(verb[:-1] + "ies")
    else:
        out.add(verb + "s")
    stem = verb + verb[-1] if _double_final(verb) else verb
    if verb.endswith("ie"):
        out.add(verb[:-2] + "ying")
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        out.add(verb[:-1] + "ing")
    else:
        out.add(stem + "ing")
    if verb.endswith("e"):
        out.add(verb + "d")
    elif verb.endswith("y") and verb[-2:-1] not in _VOWELS:
        out.add(verb[:-1] + "ied")
    else:
        out.add(stem + "ed")
    if verb in _IRREGULAR_PAST:
        out.add(_IRREGULAR_PAST[verb])
    return out


# verbs whose base form is mostly a noun in a subject ("his back", "a do"): only their verb forms
_VERB_FORMS_ONLY = {"backs", "backing", "backed", "does", "doing", "did"}

ACTION_WORDS: frozenset[str] = frozenset({w for v in BASE_VERBS.split() for w in inflections(v)} | _VERB_FORMS_ONLY)


# More verbs of bodily action and the light verbs a predicate often starts with ("puts the hands
# up", "makes a circle", "goes down on one knee"). Only `action_phrase` reads them, so the older
# `canonical_prompt` (and the routers fitted on it) keeps its exact behaviour.
MORE_BASE_VERBS = """
applaud ascend bring cheer clasp clench collapse cross descend dip fling flop flutter go hoist incline
lob lurch make mount open perch plop put rub shield shiver sink skid slip spring straddle take tango
tilt touch tremble tuck twerk waltz wring
"""
_MORE_IRREGULAR = {"bring": "brought", "go": "went", "make": "made", "put": "put", "sink": "sank",
                   "slip": "slipped", "spring": "sprang", "take": "took", "fling": "flung"}

MORE_ACTION_WORDS: frozenset[str] = frozenset(
    {w for v in MORE_BASE_VERBS.split() for w in inflections(v)} | set(_MORE_IRREGULAR.values())
    | {"goes", "gone", "sprung", "taken", "done"})
