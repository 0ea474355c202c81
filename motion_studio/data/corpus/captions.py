"""Captions in the style people write them (HumanML3D): many words for one motion.

Each action has predicate templates ("{v:jump} forward {times}", written for the right side as
the actions are). A caption is a subject plus one or two predicates, in one of several sentence
shapes (plain, "is ...ing", participle opening, command, fragment, then/before/after clauses),
with verb synonyms, varied subjects, manner adverbs, context phrases and a few case/punctuation
variants drawn from vocabulary.py. Modifiers the motion shows (count, pace, turn size,
direction, side) are filled from the action's params and only ever swapped for words that mean
the same, so they stay learnable; mirrored clips swap left/right words (mirror_text). A clip's
first caption stays plain (lower case, canonical verb, final period) so every clip keeps one
textbook description. `tokens` builds HumanML3D's `lemma/POS` field.
"""
from __future__ import annotations

import re

import numpy as np

from . import vocabulary as V

NUMBER_WORDS = V.NUMBER_WORDS
# Plain subjects for a clip's first caption (the rich ones come from vocabulary.py).
SUBJECTS = ("a person", "someone", "a man", "a woman", "the person", "a figure", "the figure", "a guy",
            "a lady", "an individual", "a human", "the man", "the woman", "somebody", "a character",
            "an adult", "the individual", "a young man", "a young woman", "this person", "the subject")
THEN = (" and then ", ", then ", " then ", " and afterwards ", " before ", " and after that ")

# {times}: "once", "twice", "three times"; {n}: number word; {adv_*}: a random adverb of that kind;
# {v:group}: a verb of vocabulary.VERB_SYNONYMS[group]; {d:key}: a direction phrase; {pace:key}.
ADVERBS = {
    "calm": ("calmly", "gently", "steadily", "smoothly", "casually", "carefully", "softly", "naturally"),
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
        "walks forward slowly", "walks slowly in a straight line", "walks ahead slowly",
        "walks forward at a slow pace", "takes slow steps forward", "walks leisurely forward",
        "walks very slowly and then stops", "moves forward with slow careful steps",
    ),
    "walk_fast": (
        "walks forward quickly", "walks fast in a straight line", "walks ahead briskly",
        "walks forward at a fast pace", "hurries forward with quick steps", "walks rapidly forward",
        "walks fast and then stops", "walks forward with quick steps",
    ),
    "walk_backward": (
        "walks backwards", "walks backward slowly", "steps backwards several times", "walks in reverse",
        "moves backwards with small steps", "backs up by walking backward", "takes steps backward",
    ),
    "walk_sideways": (
        "walks sideways to the right", "sidesteps to the right", "steps sideways toward the right",
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

# More templates per action, written with synonym placeholders (added to TEMPLATES below).
EXTRA_TEMPLATES: dict[str, tuple[str, ...]] = {
    "jump_in_place": ("{v:jump} up and down {times}", "{v:jump} {d:in place} {times}", "{v:jump} straight up {times}",
                      "{v:jump} {d:upward} {times} and lands in the same spot", "{v:jump} {times} without going anywhere"),
    "jump_forward": ("{v:jump} {d:forward} {times}", "{v:jump} ahead {times} with both feet together",
                     "makes {n_jumps} {d:forward}", "{v:jump} {d:forward} {times} landing on both feet",
                     "{v:jump} a short distance {d:forward} {times}"),
    "hop_backward": ("{v:jump} {d:backwards} {times}", "makes {n_hops} {d:backwards}", "{v:jump} back {times}",
                     "{v:jump} {d:backwards} {times} with the feet together"),
    "jump_sideways": ("{v:jump} {d:to the right} {times}", "{v:jump} {d:sideways} to the right {times}",
                      "makes {n_jumps} {d:to the right}", "{v:jump} over to the right side {times}"),
    "hop_on_one_foot": ("{v:jump} on the right foot {times}", "{v:jump} {times} on the right leg only",
                        "stands on the right leg and {v:jump} {times}", "{v:jump} on one leg, the right one, {times}",
                        "{v:jump} {times} on the right foot with the left foot off the ground"),
    "jumping_jacks": ("does {n} jumping jacks", "completes {n} jumping jacks", "knocks out {n} jumping jacks",
                      "performs jumping jacks {times}", "does {n} star jumps"),
    "jump_turn": ("{v:jump} and {v:turn} a {turn} turn to the right in the air",
                  "{v:jump} up, {v:turn} {turn_deg} degrees to the right and lands",
                  "{v:jump} into the air and {v:turn} to the right"),
    "walk_forward": ("{v:walk} {d:forward}", "{v:stroll} {d:forward}", "{v:walk} straight ahead",
                     "{v:walk} {d:forward} at a normal pace", "{v:stroll} ahead and stops",
                     "{v:walk} {d:forward} a few steps", "takes a short walk {d:forward}"),
    "walk_slow": ("{v:walk} {d:forward} {pace:slowly}", "{v:stroll} {d:forward} {pace:slowly}",
                  "{v:walk} ahead {pace:slowly}", "takes {adj:slow} steps {d:forward}",
                  "{v:stroll} {pace:slowly} in a straight line", "{v:walk} {pace:slowly} and then stops"),
    "walk_fast": ("{v:walk} {d:forward} {pace:quickly}", "{v:stride} {d:forward} {pace:quickly}",
                  "{v:walk} ahead {pace:quickly}", "takes {adj:fast} steps {d:forward}",
                  "{v:stride} ahead {pace:quickly} in a straight line", "{v:walk} {pace:quickly} and then stops"),
    "walk_backward": ("{v:walk} {d:backwards}", "{v:walk} {d:backwards} a few steps", "backs up a few steps",
                      "retreats by walking {d:backwards}", "{v:walk} {d:backwards} in a straight line"),
    "walk_sideways": ("{v:shuffle} sideways to the right", "{v:walk} {d:sideways} to the right",
                      "{v:shuffle} {d:to the right}", "steps {d:sideways} to the right a few times",
                      "shuffles like a crab {d:to the right}"),
    "walk_circle": ("{v:walk} in a circle clockwise", "{v:stroll} around in a clockwise circle",
                    "{v:walk} around clockwise in a loop", "makes a clockwise circle on foot",
                    "{v:walk} in a round path clockwise"),
    "walk_turn": ("{v:walk} {d:forward} and then {v:turn} right", "{v:walk} ahead and makes a {turn} turn to the right",
                  "{v:walk} and {v:turn} {turn_deg} degrees to the right", "{v:stroll} forward then {v:turn} to the right"),
    "walk_zigzag": ("{v:walk} in a zigzag", "{v:walk} {d:forward} in a zigzag pattern", "zigzags {d:forward}",
                    "{v:walk} a zigzag path {d:forward}", "{v:stroll} in a zigzag line"),
    "step_over": ("{v:walk} {d:forward} and steps over an {b:obstacle}", "steps over an {b:obstacle} while walking",
                  "{v:walk} ahead and lifts the legs over an {b:obstacle}", "{v:walk} and steps over something on the {b:ground}"),
    "run_forward": ("{v:run} {d:forward}", "{v:run} straight ahead", "{v:run} ahead in a straight line",
                    "{v:run} {d:forward} and slows down", "breaks into a run {d:forward}"),
    "run_circle": ("{v:run} in a circle clockwise", "{v:jog} around in a clockwise circle", "{v:run} around clockwise",
                   "{v:run} a loop clockwise", "{v:jog} in a clockwise loop"),
    "jog_in_place": ("{v:jog} {d:in place}", "{v:run} {d:in place}", "{v:jog} {d:in place} lifting the knees",
                     "does a light jog {d:in place}", "{v:jog} {d:in place} without moving forward"),
    "turn_around": ("{v:turn} around to the right", "{v:turn} {turn_deg} degrees to the right",
                    "makes a {turn} turn to the right", "{v:turn} to the right {d:in place}", "{v:turn} the body to the right"),
    "kick": ("{v:kick} with the right foot {times}", "{v:kick} {d:forward} with the right leg {times}",
             "delivers {n_kicks} with the right leg", "{v:kick} {times} using the right leg", "{v:kick} out with the right foot {times}"),
    "punch": ("{v:punch} {d:forward} with the right {b:fist} {times}", "throws {n_punches} with the right hand",
              "{v:punch} {times} with the right arm", "{v:punch} the air with the right {b:fist} {times}",
              "lands {n_punches} with the right hand"),
    "throw": ("{v:throw} something with the right hand", "{v:throw} a ball overhand with the right arm",
              "winds up and {v:throw} a ball with the right hand", "{v:throw} an object {d:forward} with the right arm",
              "makes a right-handed throw"),
    "dance": ("{v:dance}", "{v:dance} from side to side", "{v:dance} to the music", "{v:dance} {d:in place}",
              "{v:dance} swaying the {b:hips}", "{v:dance} to a rhythm", "busts a move"),
    "balance": ("{v:balance} on the right foot", "stands on the right leg with the left leg raised",
                "{v:balance} on one leg, the right one", "holds the left foot up and {v:balance} on the right leg",
                "keeps balance on the right leg with arms out"),
    "raise_arm": ("{v:raise} the right {b:arm} {times}", "{v:raise} the right {b:arm} {d:overhead} {times}",
                  "{v:raise} the right hand {times}", "{v:raise} the right {b:arm} up high and lowers it {times}",
                  "puts the right hand up {times}"),
    "raise_both_arms": ("{v:raise} both {b:arms}", "{v:raise} both {b:arms} {d:overhead}", "{v:raise} both hands up",
                        "{v:raise} the {b:arms} up in the air", "puts both hands up in the air"),
    "stretch_up": ("{v:stretch} the {b:arms} up high", "{v:stretch} {d:upward} with both arms", "{v:stretch} both arms {d:overhead}",
                   "{v:reach} for the sky with both arms", "does a big stretch with the arms up"),
    "arm_circles": ("{v:circle} the {arms} in circles {times}", "makes circles with the {arms}",
                    "{v:circle} the {arms} around", "does arm circles with the {arms} {times}"),
    "reach_forward": ("{v:reach} {d:forward} with the right {b:arm}", "{v:reach} out in front with the right hand",
                      "{v:reach} the right {b:arm} {d:forward}", "{v:reach} for something in front with the right hand"),
    "reach_side": ("{v:reach} {d:to the right} with the right {b:arm}", "{v:reach} out to the right side with the right hand",
                   "{v:reach} the right {b:arm} out {d:to the right}", "{v:reach} for something on the right"),
    "flap_arms": ("{v:flap} both {b:arms} {times}", "{v:flap} the arms like wings", "{v:flap} the arms up and down {times}",
                  "{v:flap} both arms at the sides like a bird"),
    "spread_arms": ("{v:spread} both {b:arms} out to the sides", "{v:spread} the arms wide", "{v:spread} both arms out",
                    "holds the arms out wide like a t", "{v:spread} the arms like an airplane"),
    "wave": ("{v:wave} with the right hand", "says hello with the right hand", "says goodbye with the right hand",
             "says hi by waving the right hand", "{v:greet} someone with a wave of the right hand",
             "waves hello using the right hand", "waves bye with the right hand", "gives a wave with the right hand",
             "bids farewell with the right hand", "waves goodbye with the right hand"),
    "clap": ("{v:clap} {times}", "{v:clap} the hands {times}", "{v:clap} {n} times", "{v:clap} both hands together {times}",
             "claps the palms together {times}"),
    "bow": ("{v:bow} {d:forward}", "takes a bow", "{v:bow} at the waist", "{v:bow} the {b:torso} and stands back up",
            "does a polite bow"),
    "point": ("{v:point} {direction} with the right hand", "{v:point} {direction} with the right index finger",
              "{v:point} {direction} using the right arm", "{v:point} the right finger {direction}"),
    "salute": ("{v:salute} with the right hand", "gives a salute with the right hand", "{v:salute} like a soldier with the right hand",
               "raises the right hand to the forehead in a salute"),
    "shrug": ("{v:shrug} the shoulders {times}", "{v:shrug} {times}", "lifts both shoulders {times} in a shrug",
              "{v:shrug} as if saying i have no idea"),
    "thumbs_up": ("gives a thumbs up with the right hand", "shows a thumbs up with the right hand",
                  "flashes a thumbs up with the right hand", "holds the right thumb up", "gives a right-handed thumbs up"),
    "come_here": ("motions with the right hand for someone to come over", "beckons someone with the right hand",
                  "waves someone closer with the right hand", "calls someone over with the right hand",
                  "signals come here with the right hand"),
    "nod": ("{v:nod} the {b:head} {times}", "{v:nod} {times}", "{v:nod} yes {times}", "{v:nod} the {b:head} up and down {times}"),
    "sit_down": ("{v:sit} down", "{v:sit} down on a {b:chair}", "{v:sit} down onto a {b:chair}", "takes a seat on a {b:chair}",
                 "lowers the body into a {b:chair}"),
    "stand_up": ("stands up", "gets up from a {b:chair}", "rises from a {b:chair}", "stands up from a seated position",
                 "gets to the feet from a {b:chair}", "rises to standing"),
    "sit_then_stand": ("{v:sit} down and then stands up", "{v:sit} on a {b:chair} and gets back up",
                       "takes a seat and then rises", "{v:sit} down briefly and stands up again"),
    "squat": ("{v:squat} {times}", "does {n_squats}", "{v:squat} down and comes back up {times}",
              "{v:squat} low {times}", "does deep squats {times}"),
    "crouch": ("{v:crouch} down", "{v:crouch} low and stands back up", "{v:crouch} down close to the {b:ground}",
               "gets low in a crouch", "{v:crouch} down and rises again"),
    "kneel": ("{v:kneel} on the right knee", "goes down on the right knee", "{v:kneel} down on the right knee and gets up",
              "drops to the right knee", "{v:kneel} on one knee, the right one"),
}

PACE_ACTIONS = {"walk_forward", "walk_slow", "walk_fast", "walk_backward", "walk_sideways", "walk_circle",
                "walk_turn", "walk_zigzag", "step_over", "run_forward", "run_circle", "jog_in_place"}
COUNT_NOUNS = {"n_jumps": "jump", "n_hops": "hop", "n_kicks": "kick", "n_punches": "punch", "n_squats": "squat"}
PLURALS = {"punch": "punches"}
MAX_WORDS = 24
# ----------------------------------------------------------------------------- verb forms
def third_person(base: str) -> str:
    """'jump' -> 'jumps', 'put up' -> 'puts up' (first word only)."""
    first, sp, rest = base.partition(" ")
    if first in V.VERB_3SG_IRREGULAR:
        out = V.VERB_3SG_IRREGULAR[first]
    elif re.search(r"(s|sh|ch|x|z)$", first):
        out = first + "es"
    elif re.search(r"[^aeiou]y$", first):
        out = first[:-1] + "ies"
    else:
        out = first + "s"
    return out + sp + rest


_BASE_IRREGULAR = {v: k for k, v in V.VERB_3SG_IRREGULAR.items()} | {"lies": "lie", "ties": "tie"}


def base_form(word: str) -> str:
    """'jumps' -> 'jump', 'crouches' -> 'crouch', 'does' -> 'do' (one word)."""
    if word in _BASE_IRREGULAR:
        return _BASE_IRREGULAR[word]
    if re.search(r"[^aeiou]ies$", word):
        return word[:-3] + "y"
    if re.search(r"(ss|sh|ch|x|z)es$", word):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def gerund_of_base(base: str) -> str:
    """'jump' -> 'jumping', 'hop' -> 'hopping', 'dance' -> 'dancing'."""
    if base in V.VERB_GERUND_IRREGULAR:
        return V.VERB_GERUND_IRREGULAR[base]
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")) and len(base) > 2:
        return base[:-1] + "ing"
    return base + "ing"


def _template_verbs() -> set[str]:
    words = {t.split(" ", 1)[0] for ts in list(TEMPLATES.values()) + list(EXTRA_TEMPLATES.values()) for t in ts}
    words |= {third_person(m).split(" ", 1)[0] for ms in V.VERB_SYNONYMS.values() for m in ms}
    words |= {e.split()[-2 if len(e.split()) > 2 else -1] for e in V.ENDINGS}
    words |= {"stops", "stays", "lowers", "comes", "keeps", "stands", "gets", "kicks", "lands", "rises", "drops",
              "holds", "returns", "pauses", "relaxes", "turns", "makes", "steps", "lifts", "balances", "waves"}
    for t in (t for ts in list(TEMPLATES.values()) + list(EXTRA_TEMPLATES.values()) for t in ts):
        words |= set(re.findall(r"(?:\band|\bthen|,) (\w+s)\b", t))  # "... and climbs over"
    return {w for w in words if not w.startswith("{") and w.endswith("s") and w not in _PLURAL_NOUNS}


def _convert(pred: str, form: str) -> str:
    """A 3rd-person predicate in another form: 'gerund' ('jumping forward and then stopping') or
    'base' ('jump forward and then stop'). The first word and verbs after and/then/comma change."""
    words = pred.split(" ")
    out = []
    for i, w in enumerate(words):
        core = w.rstrip(",")
        prev = words[i - 1] if i else ""
        if i == 0 or ((prev in ("and", "then") or prev.endswith(",")) and core in _VERBS_3SG):
            b = base_form(core)
            core = gerund_of_base(b) if form == "gerund" else b
            w = core + ("," if w.endswith(",") else "")
        out.append(w)
    return " ".join(out)


def _gerund(pred: str) -> str:
    return _convert(pred, "gerund")


# ----------------------------------------------------------------------------- synonyms
def _verb_lookup() -> dict[str, tuple[str, str]]:
    """Inflected verb form -> (safe group, form), for swaps that keep the verb's form."""
    out: dict[str, tuple[str, str]] = {}
    for g in V.SAFE_VERB_GROUPS:
        for m in V.VERB_SYNONYMS[g]:
            if " " in m:
                continue  # phrasal members are targets only
            for form, w in (("3sg", third_person(m)), ("ing", gerund_of_base(m)), ("base", m)):
                out.setdefault(w, (g, form))
    return out


def _inflect(member: str, form: str) -> str:
    if form == "3sg":
        return third_person(member)
    first, sp, rest = member.partition(" ")
    return (gerund_of_base(first) if form == "ing" else first) + sp + rest


# Words that are part of fixed names and must not be swapped.
PROTECTED = (r"jumping jacks", r"star jumps", r"thumbs up", r"side steps", r"arm circles", r"round of clapping",
             r"takes a bow", r"a bow", r"light jog", r"power walks", r"crab walks", r"speed walks",
             r"throws (?:a|\w+) (?:punch|punches|kick|kicks)", r"reach for", r"reaches for", r"stands up",
             r"walks? in a zigzag")


def swap_verbs(text: str, rng: np.random.Generator, p: float, positions: str = "verbs") -> str:
    """Replace verbs at verb positions (first word, after and/then/comma/is/subject) by a synonym of
    the same form with probability p each. Never touches side, count, pace or direction words."""
    words = text.split(" ")
    protected = set()
    low = text.lower()
    for phrase in PROTECTED:
        for m in re.finditer(r"\b" + phrase + r"\b", low):
            start = len(low[:m.start()].split())
            protected |= set(range(start, start + len(m.group(0).split())))
    out = []
    for i, w in enumerate(words):
        core = w.rstrip(",.!")
        tail = w[len(core):]
        prev = words[i - 1].lower() if i else ""
        at_verb = (i == 0 or prev in ("and", "then", "is", "while", "before", "after", "keeps", "starts")
                   or prev.endswith(",") or prev in _SUBJECT_WORDS or prev.endswith("ly"))
        hit = _VERB_FORMS.get(core.lower())
        if hit and at_verb and i not in protected and (i == 0 or words[i - 1].lower() not in ("a", "the", "two", "one")):
            if rng.random() < p:
                group, form = hit
                new = _inflect(str(rng.choice(V.VERB_SYNONYMS[group])), form)
                if core[:1].isupper():
                    new = new[:1].upper() + new[1:]
                w = new + tail
        out.append(w)
    text = " ".join(out)
    return re.sub(r"\b(up|down|back) \1\b", r"\1", text)  # "gets up up" -> "gets up"


# ----------------------------------------------------------------------------- filling templates
def times_phrase(k: int, rng: np.random.Generator, rich: bool = False) -> str:
    """'once', 'twice', 'three times' (rich: also '3 times', 'thrice', ...): always exactly k."""
    if not rich:
        if k == 1:
            return str(rng.choice(["once", "one time"]))
        if k == 2:
            return str(rng.choice(["twice", "two times"]))
        return f"{NUMBER_WORDS.get(k, str(k))} times"
    options = V.COUNT_PHRASES.get(k, (f"{k} times",))
    return str(options[0] if rng.random() < 0.5 else rng.choice(options))


def _fill(template: str, params: dict, rng: np.random.Generator, rich: bool = False) -> str:
    k = int(params.get("count", 1))
    out = template
    if "{times}" in out:
        out = out.replace("{times}", times_phrase(k, rng, rich))
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

    def pick(table, key):
        opts = table[key]
        return str(opts[0] if not rich or rng.random() < 0.4 else rng.choice(opts))

    out = re.sub(r"\{v:(\w+)\}", lambda m: third_person(pick(V.VERB_SYNONYMS, m.group(1))), out)
    out = re.sub(r"\{d:([\w ]+)\}", lambda m: pick(V.DIRECTION_SYNONYMS, m.group(1)), out)
    out = re.sub(r"\{pace:(\w+)\}", lambda m: pick(V.PACE_ADVERBS, m.group(1)), out)
    out = re.sub(r"\{adj:(\w+)\}", lambda m: pick(V.PACE_ADJECTIVES, m.group(1)), out)
    out = re.sub(r"\{b:(\w+)\}", lambda m: pick(V.BODY_SYNONYMS, m.group(1)), out)
    out = re.sub(r"\ban ([^aeiou\s])", r"a \1", out)  # "an barrier" -> "a barrier"
    return re.sub(r"\s+", " ", out).strip()


_SWAP = {"left": "right", "right": "left", "clockwise": "counterclockwise", "counterclockwise": "clockwise",
         "leftward": "rightward", "rightward": "leftward", "leftwards": "rightwards", "rightwards": "leftwards",
         "anticlockwise": "clockwise", "counter-clockwise": "clockwise", "anti-clockwise": "clockwise"}
_SWAP_RE = re.compile(r"(?<![\w-])(counter-clockwise|anti-clockwise|anticlockwise|counterclockwise|clockwise|"
                      r"leftwards|rightwards|leftward|rightward|left|right)(?![\w])", re.IGNORECASE)


def mirror_text(text: str) -> str:
    """Swap left/right words (also in 'right-handed', 'rightward') and clockwise/counterclockwise
    for a mirrored clip; keeps a leading capital."""
    def swap(m):
        w = m.group(1)
        new = _SWAP[w.lower()]
        return new[:1].upper() + new[1:] if w[:1].isupper() else new
    return _SWAP_RE.sub(swap, text)


def predicates(action: str, params: dict, rng: np.random.Generator, k: int, rich: bool = True) -> list[str]:
    """k distinct filled predicates for an action (fewer only if the action has fewer templates)."""
    temps = TEMPLATES[action] + (EXTRA_TEMPLATES.get(action, ()) if rich else ())
    order = rng.permutation(len(temps))
    out: list[str] = []
    for i in order:
        p = _fill(temps[i], params, rng, rich)
        if p not in out:
            out.append(p)
        if len(out) == k:
            break
    return out


# ----------------------------------------------------------------------------- sentences
def _subject(rng: np.random.Generator) -> tuple[str, str | None]:
    """'a person', 'an old man', 'the dancer', 'someone', 'she' ... and its pronoun (or None)."""
    r = rng.random()
    if r < 0.15:
        return tuple(V.SUBJECT_BARE[int(rng.integers(len(V.SUBJECT_BARE)))])
    noun, pron = V.SUBJECT_NOUNS[int(rng.integers(len(V.SUBJECT_NOUNS)))]
    if rng.random() < 0.5:  # the everyday ones most often, as people write
        noun, pron = V.SUBJECT_NOUNS[int(rng.integers(6))]
    adj = str(rng.choice(V.SUBJECT_ADJECTIVES)) + " " if rng.random() < 0.22 else ""
    det = "the" if rng.random() < 0.3 else ("an" if (adj or noun)[0] in "aeiou" else "a")
    wear = ""
    if rng.random() < 0.08:  # "a man in a red shirt"
        how = str(rng.choice(("in a", "wearing a", "dressed in a", "with a")))
        wear = f" {how} {rng.choice(V.COLORS)} {rng.choice(V.GARMENTS)}"
        wear = re.sub(r"\ba ([aeiou])", r"an \1", wear)
    elif rng.random() < 0.06:
        wear = f" {rng.choice(V.LOOKS)}"
    elif pron and rng.random() < 0.05:
        wear = " " + str(rng.choice([a for a in V.AGES if a.split()[1] == {"he": "his", "she": "her"}[pron]]))
    return f"{det} {adj}{noun}{wear}", pron


def _possessive(text: str, pron: str | None, rng: np.random.Generator) -> str:
    """'the right hand' -> 'his right hand' sometimes, for a subject with a pronoun."""
    if not pron or rng.random() < 0.5:
        return text
    poss = {"he": "his", "she": "her"}.get(pron, "their")
    return re.sub(r"\bthe ((?:right|left) (?:hand|arm|foot|leg|knee|fist|index|thumb|finger|shoulder)|arms|hands|"
                  r"head|shoulders|knees|legs|hips|fists|palms)\b", poss + r" \1", text)


def _manner(action: str, rng: np.random.Generator) -> str:
    pool = V.MANNER_NEUTRAL if action in PACE_ACTIONS else V.MANNER_NEUTRAL + V.MANNER_SOFT + V.MANNER_STRONG
    return str(rng.choice(pool))


def _decorate(pred: str, action: str, family: str, rng: np.random.Generator) -> tuple[str, str]:
    """(predicate with at most a trailing manner adverb and one context phrase, an adverb to put
    before the verb or ''): place, mood or a family/action phrase."""
    pre = ""
    r = rng.random()
    if r < 0.12:
        pre = _manner(action, rng)  # "happily waves ..."
    elif r < 0.27:
        pred = f"{pred} {_manner(action, rng)}"
    r = rng.random()
    if r < 0.12:
        tails = V.ACTION_TAILS.get(action) or V.FAMILY_TAILS.get(family, ())
        if tails:
            pred = f"{pred} {rng.choice(tails)}"
    elif r < 0.2:
        tails = V.FAMILY_TAILS.get(family, ())
        if tails:
            pred = f"{pred} {rng.choice(tails)}"
    elif r < 0.27:
        pred = f"{pred} {rng.choice(V.PLACES)}"
    elif r < 0.32:
        pred = f"{pred} {rng.choice(V.MOOD_PHRASES)}"
    elif r < 0.39:
        extra = {"dancing": f"to {rng.choice(V.MUSIC)} music", "jumping": str(rng.choice(V.ANIMAL_LIKE[:12])),
                 "walking": str(rng.choice(V.ANIMAL_LIKE)) if action == "walk_forward" else str(rng.choice(V.SEASONS))}
        pred = f"{pred} {extra.get('dancing' if action == 'dance' else family) or rng.choice(V.SEASONS)}"
    elif r < 0.42:
        pred = f"{pred} {rng.choice(('as if at', 'as if training for', 'as part of', 'like in'))} {rng.choice(V.SPORTS)}"
        pred = pred.replace("at football", "at football practice").replace("part of tennis", "part of tennis practice")
    elif r < 0.45:
        pred = f"{pred} {rng.choice(('looking', 'seeming', 'appearing', 'as if'))} {rng.choice(V.EMOTION_ADJECTIVES)}"
    return pred, pre


def _your(text: str) -> str:
    """Commands speak to the reader: 'the right arm' / 'his arms' -> 'your right arm'."""
    return re.sub(r"\b(the|his|her|their) (right|left|arms|hands|head|shoulders|knees|legs|hips|fists)\b",
                  r"your \2", text)


def _sentence_one(pred: str, pre: str, subj: str, pron: str | None, rng: np.random.Generator) -> str:
    pre_ = pre + " " if pre else ""
    r = rng.random()
    if r < 0.55:
        return f"{subj} {pre_}{pred}"
    if r < 0.67:
        return f"{subj} is {pre_}{_gerund(pred)}"
    tail = f" {pre}" if pre else ""
    if r < 0.74:
        ending = re.sub(r"^and ", "", str(rng.choice(V.ENDINGS)))
        return f"{_gerund(pred)}{tail}, {subj} {ending}"
    if r < 0.83:
        cmd = _convert(pred, "base")
        if rng.random() < 0.5:
            cmd = _your(cmd)
        return f"{rng.choice(V.COMMAND_OPENERS)}{cmd}{tail}"
    if r < 0.93 or not subj.startswith(("a ", "an ", "the ")):
        return _gerund(pred) + tail
    return f"{subj} {_gerund(pred)}{tail}"


def _sentence_two(p1: str, p2: str, subj: str, pron: str | None, rng: np.random.Generator) -> str:
    r = rng.random()
    again = pron or "they"
    if r < 0.4:
        joiner = str(rng.choice(V.THEN_JOINERS))
        if joiner == " followed by ":
            return f"{subj} {p1} followed by {_gerund(p2)}"
        return f"{subj} {p1}{joiner}{p2}"
    if r < 0.52:
        return f"{subj} {p1} before {_gerund(p2)}"
    if r < 0.64:
        return f"after {_gerund(p1)}, {subj} {p2}"
    if r < 0.72:
        return f"{subj} {p2} after {_gerund(p1)}"
    if r < 0.8 and pron:
        return f"first {subj} {p1}, then {again} {p2}"
    if r < 0.88:
        return _your(f"{_convert(p1, 'base')}, then {_convert(p2, 'base')}")
    if r < 0.94:
        return f"{subj} is {_gerund(p1)} and then {_gerund(p2)}"
    return f"{_gerund(p1)} and then {_gerund(p2)}"


def _style(text: str, rng: np.random.Generator) -> str:
    """Mostly lower case with a period, as HumanML3D; sometimes capitalised, no period, or '!'."""
    r = rng.random()
    if r < 0.1:
        end = ""
    elif r < 0.13:
        end = "!"
    else:
        end = "."
    if rng.random() < 0.15:
        text = text[:1].upper() + text[1:]
    return text + end


def _n_words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]+", text))


def make_captions(parts: list[tuple[str, dict]], mirrored: bool, rng: np.random.Generator,
                  n: int | None = None) -> list[str]:
    """3-5 distinct captions for a clip made of one or two (action, params) parts. The first is
    plain (canonical template, lower case, period); the others vary words and sentence shape."""
    from .actions import ACTIONS  # lazy: actions does not import captions, but keep the graph simple

    n = n or int(rng.integers(3, 6))
    plain = [predicates(a, p, rng, 1, rich=False)[0] for a, p in parts]
    rich = [predicates(a, p, rng, n, rich=True) for a, p in parts]
    families = [ACTIONS[a].family if a in ACTIONS else "" for a, _ in parts]
    caps: list[str] = []
    first = f"{SUBJECTS[int(rng.integers(len(SUBJECTS)))]} {plain[0]}"
    if len(parts) > 1:
        joiner = str(rng.choice(THEN))
        first += joiner + (_gerund(plain[1]) if joiner == " before " else plain[1])
    caps.append((mirror_text(first) if mirrored else first) + ".")
    for i in range(1, n + 3):  # a few spare draws in case two captions come out equal
        if len(caps) == n:
            break
        subj, pron = _subject(rng)
        preds = [swap_verbs(r[i % len(r)], rng, 0.35) for r in rich]
        preds = [_possessive(p, pron, rng) for p in preds]
        if len(parts) == 1:
            pred, pre = _decorate(preds[0], parts[0][0], families[0], rng)
            text = _sentence_one(pred, pre, subj, pron, rng)
        else:
            text = _sentence_two(preds[0], preds[1], subj, pron, rng)
        if _n_words(text) > MAX_WORDS:
            text = f"{SUBJECTS[i % len(SUBJECTS)]} {rich[0][i % len(rich[0])]}" + (
                f" and then {rich[1][0]}" if len(parts) > 1 else "")
        if mirrored:
            text = mirror_text(text)
        cap = _style(re.sub(r"\s+", " ", text).strip(), rng)
        if cap not in caps:
            caps.append(cap)
    return caps


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


# Lookups built from the tables above (after _PLURAL_NOUNS, which they use).
_VERB_FORMS = _verb_lookup()
_VERBS_3SG = _template_verbs()
_SUBJECT_WORDS = ({n.split()[-1] for n, _ in V.SUBJECT_NOUNS} | {b.split()[-1] for b, _ in V.SUBJECT_BARE}
                  | {"person", "someone", "somebody", "man", "woman"})
