"""Word tables for the caption grammar and the paraphraser: plain data, no logic.

People describe one motion in many words ("leaps", "hops", "springs"); these tables give the
grammar (captions.py) and the paraphraser (paraphrase.py) the same choices. Rules for every
table: a synonym never changes what the motion shows (no side, count, direction or pace change),
and left/right words appear only as the bare words "left"/"right" (or "leftward(s)"/"rightward(s)")
so that mirroring can swap them.
"""
from __future__ import annotations

# ----------------------------------------------------------------------------- verbs
# Synonym groups keyed by a canonical base form. Any member may replace any other in any
# template whose verb is a member (the grammar swaps only verbs, never nouns like "two jumps").
# Multi-word members are phrasal ("put up"): only the first word is conjugated.
VERB_SYNONYMS: dict[str, tuple[str, ...]] = {
    "jump": ("jump", "leap", "hop", "spring", "bound", "bounce"),
    "walk": ("walk", "pace", "march", "tread", "step"),
    "stroll": ("stroll", "wander", "amble", "saunter", "meander", "mosey"),  # unhurried only
    "stride": ("stride", "march", "hurry", "hustle", "rush"),  # brisk only
    "run": ("run", "sprint", "dash", "race", "rush"),
    "jog": ("jog", "trot", "run"),
    "turn": ("turn", "rotate", "pivot", "swivel"),
    "raise": ("raise", "lift", "put up", "hoist", "bring up"),
    "lower": ("lower", "drop", "bring down", "put down"),
    "wave": ("wave",),
    "clap": ("clap", "applaud"),
    "kick": ("kick", "boot"),
    "punch": ("punch", "jab", "strike", "hit", "smack"),
    "throw": ("throw", "toss", "hurl", "pitch", "fling", "chuck", "lob"),
    "dance": ("dance", "groove", "boogie", "bop", "jive"),
    "bow": ("bow", "bend"),
    "point": ("point", "gesture", "motion"),
    "nod": ("nod", "bob"),
    "shrug": ("shrug",),
    "sit": ("sit", "settle", "plop"),
    "stand": ("stand", "rise", "get up"),
    "squat": ("squat", "dip"),
    "crouch": ("crouch", "hunker", "duck", "stoop"),
    "kneel": ("kneel", "genuflect"),
    "stretch": ("stretch", "extend", "reach"),
    "reach": ("reach", "stretch", "extend"),
    "flap": ("flap", "flutter", "beat"),
    "spread": ("spread", "open"),
    "salute": ("salute",),
    "circle": ("rotate", "swirl", "whirl", "twirl", "swing", "spin"),
    "balance": ("balance", "stand", "steady"),
    "shuffle": ("shuffle", "sidestep", "scoot", "slide"),
    "move": ("move", "shift", "travel", "go"),
    "greet": ("greet", "welcome", "hail"),
    "perform": ("perform", "do", "complete", "execute"),
    "hold": ("hold", "keep", "maintain"),
    "lean": ("lean", "tilt", "incline"),
    "swing": ("swing", "sway", "rock"),
    "step": ("step", "stride", "tread"),
    "show": ("show", "display", "flash", "give"),
    "take": ("take", "make"),
}

# Third-person forms that are not plain "+s"/"+es", and gerunds that are not plain "+ing".
VERB_3SG_IRREGULAR = {"do": "does", "go": "goes", "have": "has", "be": "is"}
VERB_GERUND_IRREGULAR = {"be": "being", "lie": "lying", "tie": "tying", "see": "seeing", "flee": "fleeing",
                         "genuflect": "genuflecting", "bob": "bobbing", "jab": "jabbing", "hit": "hitting",
                         "bop": "bopping", "plop": "plopping", "dip": "dipping", "trot": "trotting",
                         "skip": "skipping", "put": "putting", "get": "getting", "sit": "sitting", "run": "running",
                         "jog": "jogging", "hop": "hopping", "step": "stepping", "clap": "clapping", "nod": "nodding",
                         "shrug": "shrugging", "flap": "flapping", "drop": "dropping", "stop": "stopping",
                         "zigzag": "zigzagging", "scoot": "scooting", "swim": "swimming", "grab": "grabbing",
                         "tap": "tapping", "pat": "patting", "chop": "chopping", "wag": "wagging",
                         "plod": "plodding", "spin": "spinning", "swing": "swinging", "begin": "beginning"}

# Groups whose members fit every template that uses any member, so the grammar and the
# paraphraser may swap them anywhere a verb stands (other groups are used only by explicit
# "{v:group}" placeholders in templates written for them).
SAFE_VERB_GROUPS = ("jump", "walk", "run", "turn", "raise", "clap", "kick", "punch", "throw", "dance", "nod",
                    "sit", "squat", "crouch", "kneel", "spread", "bow", "point", "flap",
                    "shuffle", "greet", "lean")

# ----------------------------------------------------------------------------- adverbs
# Pace: members of a group mean the same speed, so the grammar may swap within a group.
PACE_ADVERBS: dict[str, tuple[str, ...]] = {
    "slowly": ("slowly", "unhurriedly", "leisurely", "sluggishly", "at a slow pace", "at a leisurely pace",
               "at a gentle pace", "without hurrying", "taking their time"),
    "quickly": ("quickly", "rapidly", "swiftly", "briskly", "fast", "speedily", "hurriedly", "at a fast pace",
                "at a brisk pace", "in a hurry", "at high speed"),
}
PACE_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "slow": ("slow", "leisurely", "unhurried", "sluggish", "lazy"),
    "fast": ("fast", "quick", "brisk", "rapid", "speedy", "hurried"),
}

# Manner and emotion adverbs that say nothing about speed, side or count: fit every action.
MANNER_NEUTRAL = (
    "happily", "angrily", "nervously", "proudly", "cheerfully", "confidently", "awkwardly", "stiffly",
    "naturally", "joyfully", "playfully", "gracefully", "clumsily", "politely", "sadly", "shyly",
    "anxiously", "excitedly", "gleefully", "grumpily", "casually", "firmly", "deliberately", "neatly",
    "smoothly", "steadily", "boldly", "timidly", "hesitantly", "eagerly", "merrily", "enthusiastically",
    "reluctantly", "dramatically", "theatrically", "elegantly", "clearly", "proficiently", "skillfully",
    "stylishly", "comically", "seriously", "solemnly", "sheepishly", "triumphantly", "contentedly",
    "absentmindedly", "purposefully", "determinedly", "defiantly", "fearfully", "warily", "glumly",
    "moodily", "crossly", "irritably", "impatiently", "dreamily", "thoughtfully", "quietly", "silently",
    "loosely", "rhythmically", "mechanically", "robotically", "precisely", "accurately", "evenly",
    "normally", "freely", "easily", "effortlessly", "tensely", "rigidly", "lightheartedly", "sincerely",
    "warmly", "kindly", "friendly",
)
# Manner adverbs with a tempo or force flavour: only for actions whose captions carry no pace word.
MANNER_SOFT = ("calmly", "gently", "softly", "carefully", "cautiously", "lazily", "tiredly", "wearily",
               "sleepily", "lethargically", "tenderly", "delicately", "patiently", "leisurely", "mildly")
MANNER_STRONG = ("energetically", "vigorously", "forcefully", "powerfully", "wildly", "frantically",
                 "fiercely", "aggressively", "intensely", "passionately", "strongly", "sharply", "briskly",
                 "explosively", "athletically")

# "with a smile", "while humming": mood phrases that fit any motion.
MOOD_PHRASES = (
    "with a smile", "with a big grin", "with a frown", "while smiling", "while grinning", "while frowning",
    "while laughing", "while humming", "while whistling", "while singing softly", "while breathing deeply",
    "while looking around", "while looking down", "while looking straight ahead", "while looking up",
    "with the head held high", "with a straight back", "with a bored look", "with a serious face",
    "with a puzzled expression", "with great enthusiasm", "with little energy", "with some effort",
    "in a good mood", "in a bad mood", "in frustration", "out of boredom", "with excitement", "with joy",
    "with confidence", "without much effort", "as if nobody is watching", "as if showing off",
    "as if in a dream", "as if very tired", "as if feeling proud", "as if celebrating a victory",
    "as if bored", "as if annoyed", "as if surprised", "as if nervous", "as if happy about something",
)

# Places; a clip could happen in any of them.
PLACES = (
    "in a park", "in the living room", "on a stage", "in a gym", "at the gym", "in a hallway", "on the beach",
    "in an office", "on a sidewalk", "in the garden", "in the kitchen", "in a studio", "in an empty room",
    "in the backyard", "on the street", "in a classroom", "in front of a mirror", "outdoors", "indoors",
    "on the grass", "on a basketball court", "on a field", "in a parking lot", "in the bedroom",
    "at home", "at school", "at work", "in a warehouse", "on a rooftop", "in a lobby", "on a patio",
    "in a courtyard", "on a wooden floor", "on a carpet", "in a corridor", "at the playground",
    "in a meadow", "in the snow", "in the rain", "under the sun", "at night", "in the morning",
    "in the evening", "on a balcony", "by the pool", "near a window", "next to a table", "in the square",
)

# ----------------------------------------------------------------------------- subjects
# (noun, pronoun or None); pronouns let a second clause say "then he waves".
SUBJECT_NOUNS: tuple[tuple[str, str | None], ...] = (
    ("person", None), ("man", "he"), ("woman", "she"), ("guy", "he"), ("lady", "she"), ("figure", None),
    ("individual", None), ("human", None), ("character", None), ("adult", None), ("kid", None),
    ("child", None), ("boy", "he"), ("girl", "she"), ("dancer", None), ("athlete", None), ("gentleman", "he"),
    ("teenager", None), ("teen", None), ("gymnast", None), ("boxer", None), ("soldier", None),
    ("student", None), ("actor", "he"), ("actress", "she"), ("runner", None), ("player", None),
    ("performer", None), ("worker", None), ("stickman", "he"), ("stick figure", None), ("avatar", None),
    ("subject", None), ("model", None), ("fellow", "he"), ("youngster", None), ("toddler", None),
    ("grandpa", "he"), ("grandma", "she"), ("grandfather", "he"), ("grandmother", "she"), ("father", "he"),
    ("mother", "she"), ("dad", "he"), ("mom", "she"), ("teacher", None), ("coach", None), ("nurse", None),
    ("chef", None), ("farmer", None), ("sailor", None), ("pilot", None), ("clown", None), ("robot", None),
    ("puppet", None), ("mannequin", None), ("skater", None), ("hiker", None), ("jogger", None),
    ("footballer", None), ("dude", "he"), ("gal", "she"), ("male", "he"), ("female", "she"),
    ("tourist", None), ("customer", None), ("officer", None), ("guard", None), ("referee", None),
    ("fan", None), ("volunteer", None), ("trainee", None), ("beginner", None), ("instructor", None),
    ("cheerleader", None), ("waiter", "he"), ("waitress", "she"), ("businessman", "he"),
    ("businesswoman", "she"), ("villager", None), ("pedestrian", None), ("neighbor", None),
)
# Adjectives before a subject noun ("an old man"): none of them changes the motion's meaning.
SUBJECT_ADJECTIVES = (
    "old", "elderly", "young", "little", "tall", "short", "small", "big", "thin", "skinny", "slim", "heavy",
    "stocky", "strong", "muscular", "athletic", "sporty", "fit", "tired", "sleepy", "excited", "happy",
    "cheerful", "sad", "angry", "grumpy", "nervous", "anxious", "shy", "confident", "proud", "bored",
    "calm", "relaxed", "energetic", "lively", "clumsy", "graceful", "middle-aged", "teenage", "bald",
    "bearded", "blonde", "friendly", "serious", "cheeky", "playful", "cautious", "curious", "elegant",
    "lanky", "chubby", "petite", "burly", "cute", "joyful", "polite", "silly", "stern", "gentle",
    "determined", "eager", "sleepy", "wiry", "agile", "nimble", "frail", "sturdy", "enthusiastic",
)
# Whole-phrase subjects that take no article.
SUBJECT_BARE = (("someone", None), ("somebody", None), ("he", "he"), ("she", "she"), ("this person", None),
                ("that person", None), ("our character", None), ("the subject", None), ("a human being", None),
                ("an individual", None), ("the performer", None), ("the actor", "he"), ("one person", None))

# ----------------------------------------------------------------------------- other word groups
# Counts: phrases that say exactly the same number (the paraphraser may swap within a key).
COUNT_PHRASES: dict[int, tuple[str, ...]] = {
    1: ("once", "one time", "a single time", "just once", "1 time"),
    2: ("twice", "two times", "2 times", "two separate times", "a total of two times"),
    3: ("three times", "3 times", "thrice", "three consecutive times", "a total of three times"),
    4: ("four times", "4 times", "four consecutive times", "a total of four times"),
    5: ("five times", "5 times", "five consecutive times", "a total of five times"),
    6: ("six times", "6 times", "six consecutive times"),
    7: ("seven times", "7 times", "seven consecutive times"),
    8: ("eight times", "8 times", "eight consecutive times"),
}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}

# Body parts: a swap keeps the part (an arm stays an arm).
BODY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "arm": ("arm", "limb"),
    "arms": ("arms", "limbs"),
    "leg": ("leg", "limb"),
    "legs": ("legs", "limbs"),
    "hips": ("hips", "waist", "pelvis"),
    "torso": ("torso", "upper body", "trunk", "chest"),
    "head": ("head", "chin"),
    "fist": ("fist", "hand"),
    "fists": ("fists", "hands"),
    "ground": ("ground", "floor"),
    "chair": ("chair", "seat", "stool"),
    "obstacle": ("obstacle", "barrier", "hurdle", "object"),
}

# Direction words: a swap keeps the direction. Side phrases only use the bare words left/right.
DIRECTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "forward": ("forward", "forwards"),
    "backward": ("backward", "backwards", "in reverse"),
    "backwards": ("backwards", "backward", "in reverse"),
    "sideways": ("sideways", "laterally", "to the side"),
    "to the right": ("to the right", "toward the right", "towards the right", "to the right side", "rightward",
                     "rightwards", "over to the right"),
    "upward": ("upward", "upwards", "up", "skyward"),
    "overhead": ("overhead", "above the head", "over the head"),
    "in place": ("in place", "on the spot", "in one spot", "where they stand", "without going anywhere"),
    "clockwise": ("clockwise",),
}

# Words the paraphraser's dropout may remove: no content, no side, no count.
FILLER_WORDS = ("the", "a", "an", "then", "very", "just", "really", "simply", "also", "slightly", "some")

# Sentence glue.
THEN_JOINERS = (" and then ", ", then ", " then ", " and afterwards ", " and after that ", ", and then ",
                ", afterwards ", " and next ", " followed by ", ". then ", ", and finally ")
ENDINGS = ("then stops", "then holds still", "then comes to a rest", "then pauses", "and then relaxes",
           "then stays still", "and then stops moving", "then returns to rest")
COMMAND_OPENERS = ("", "", "", "please ", "now ", "go ahead and ", "try to ", "")

# Context phrases per family: extra words that still point at the family's meaning.
FAMILY_TAILS: dict[str, tuple[str, ...]] = {
    "jumping": ("like a kangaroo", "like a frog", "like a bouncing ball", "as if celebrating",
                "as part of a workout", "to warm up", "for exercise", "as if on a trampoline",
                "as if avoiding a puddle", "like a playful child", "during a fitness routine",
                "as a warm up exercise", "with springy legs", "landing softly each time", "landing on both feet",
                "as if jumping over a crack", "in an aerobics class", "during gym class"),
    "walking": ("down a hallway", "along a path", "across the room", "through the park", "on the sidewalk",
                "down the street", "as if heading somewhere", "as if lost in thought", "as if looking for something",
                "along a corridor", "on a trail", "across a field", "down an aisle", "through a lobby",
                "as if going to the shops", "as if on the way to work", "like a pedestrian", "on a flat road",
                "swinging the arms naturally", "with relaxed arms", "with the arms at the sides"),
    "arms": ("as if warming up", "as part of a stretching routine", "like doing yoga", "during an exercise class",
             "as if loosening the shoulders", "in a fitness class", "as a morning exercise", "to loosen up",
             "as if doing calisthenics", "like a coach demonstrating", "as if exercising", "during a workout"),
    "gestures": ("to a friend", "at someone across the room", "to a neighbor", "at the camera", "to the crowd",
                 "to the audience", "to a colleague", "at a passerby", "to someone nearby", "to a teammate",
                 "at somebody in the distance", "to the people watching", "as a signal", "in greeting",
                 "as if communicating without words", "to get attention"),
    "sitstand": ("on a bench", "on a stool", "on a couch", "at a table", "after a long day", "in a waiting room",
                 "on a sofa", "on a step", "in a meeting", "at a desk", "in a classroom", "on a box",
                 "on a low stool", "as if resting", "as if taking a break"),
    "base": ("as part of a workout", "during training", "as if practicing", "in a gym", "for exercise",
             "like a professional", "as if showing someone how"),
}
ACTION_TAILS: dict[str, tuple[str, ...]] = {
    "kick": ("like a soccer player", "at a ball", "like a martial artist", "like a karate fighter",
             "at an imaginary target", "as if kicking a door"),
    "punch": ("like a boxer", "at a punching bag", "like a fighter", "at an imaginary opponent",
              "like a kickboxer", "as if sparring"),
    "throw": ("like a baseball pitcher", "like a quarterback", "as if throwing a stone", "as if tossing a rock",
              "as if throwing a frisbee", "at a target"),
    "dance": ("at a party", "to pop music", "at a wedding", "at a disco", "at a concert", "to the beat of a song",
              "in a nightclub", "to salsa music", "to a catchy tune", "to hip hop music", "like nobody is watching",
              "at a festival"),
    "balance": ("like a flamingo", "like a stork", "as if doing yoga", "in a tree pose", "as if on a tightrope"),
    "flap_arms": ("like a bird", "like a chicken", "like an eagle", "like a duck", "like a butterfly",
                  "pretending to fly", "as if trying to fly", "like a seagull", "like a penguin"),
    "run_forward": ("as if late for the bus", "as if chasing someone", "as if racing", "like a sprinter",
                    "as if in a race", "as if running from something"),
    "run_circle": ("around a track", "as if on a track", "as if chasing someone", "around an imaginary pole"),
    "jog_in_place": ("as a warm up", "as if on a treadmill", "to keep warm", "while waiting"),
    "wave": ("to a friend", "as if saying goodbye", "as if saying hello", "to greet someone", "at a bus driver",
             "from a distance", "to the camera"),
    "salute": ("like a soldier", "like a sailor", "to an officer", "at a flag", "like a cadet"),
    "bow": ("to the audience", "after a performance", "like a butler", "to show respect", "at the end of a show",
            "like a knight"),
    "clap": ("after a show", "for a performer", "at a concert", "to cheer someone on", "in applause",
             "to the rhythm", "in appreciation"),
    "thumbs_up": ("to say it is okay", "to show approval", "to say well done", "at the camera"),
    "come_here": ("to call a friend", "to a child", "to a dog", "asking someone to follow"),
    "nod": ("in agreement", "to say yes", "while listening", "as if agreeing", "in approval"),
    "shrug": ("as if confused", "as if unsure", "as if saying who knows", "in confusion", "as if clueless"),
    "point": ("at something", "at an object", "at a sign", "to show the way", "to give directions"),
    "sit_down": ("on a chair", "on a bench", "on a stool", "on a sofa"),
    "step_over": ("like stepping over a log", "like stepping over a puddle", "as if avoiding a box",
                  "over a rope", "over a low fence"),
    "squat": ("like a weightlifter", "as in leg day", "at the gym", "for leg exercise"),
    "stretch_up": ("after waking up", "as if yawning", "to wake up", "after sitting for a long time"),
    "jumping_jacks": ("as a warm up", "in a workout", "in a fitness class", "during gym class"),
    "kneel": ("as if proposing", "as if tying a shoe", "like a knight", "as if praying"),
    "crouch": ("as if hiding", "as if picking something up", "as if sneaking", "to look under a table"),
}
