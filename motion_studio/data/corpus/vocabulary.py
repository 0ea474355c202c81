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
                         "plod": "plodding", "spin": "spinning", "swing": "swinging", "begin": "beginning",
                         "squat": "squatting", "chat": "chatting", "wrap": "wrapping", "slip": "slipping",
                         "trip": "tripping", "pop": "popping", "grin": "grinning", "hug": "hugging"}

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
    "with a puzzled expression", "with great enthusiasm", "with some effort",
    "in a good mood", "in a bad mood", "in frustration", "out of boredom", "with excitement", "with joy",
    "with confidence", "without much effort", "as if nobody is watching", "as if showing off",
    "as if in a dream", "as if feeling proud", "as if celebrating a victory",
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
                "down the street", "as if heading somewhere", "as if looking for something",
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

# ----------------------------------------------------------------------------- more everyday words
# Extra subject nouns (roles people name in descriptions), places and clothing: none says
# anything about the motion, they make the captions read like many different writers.
SUBJECT_NOUNS += (
    ("surgeon", None), ("plumber", None), ("carpenter", None), ("dentist", None), ("banker", None),
    ("lawyer", None), ("judge", None), ("priest", "he"), ("monk", "he"), ("nun", "she"), ("scientist", None),
    ("engineer", None), ("doctor", None), ("painter", None), ("singer", None), ("musician", None),
    ("drummer", None), ("guitarist", None), ("pianist", None), ("violinist", None), ("magician", None),
    ("juggler", None), ("acrobat", None), ("ballerina", "she"), ("wrestler", None), ("swimmer", None),
    ("cyclist", None), ("skier", None), ("surfer", None), ("golfer", None), ("goalkeeper", None),
    ("sprinter", None), ("cowboy", "he"), ("pirate", None), ("ninja", None), ("knight", "he"), ("king", "he"),
    ("queen", "she"), ("prince", "he"), ("princess", "she"), ("wizard", "he"), ("witch", "she"),
    ("zombie", None), ("ghost", None), ("monster", None), ("alien", None), ("astronaut", None),
    ("explorer", None), ("detective", None), ("spy", None), ("policeman", "he"), ("policewoman", "she"),
    ("firefighter", None), ("postman", "he"), ("mailman", "he"), ("janitor", None), ("cashier", None),
    ("barista", None), ("bartender", None), ("baker", None), ("butcher", None), ("tailor", None),
    ("mechanic", None), ("electrician", None), ("gardener", None), ("shepherd", None), ("fisherman", "he"),
    ("hunter", None), ("lumberjack", "he"), ("miner", None), ("builder", None), ("architect", None),
    ("designer", None), ("photographer", None), ("reporter", None), ("journalist", None), ("writer", None),
    ("poet", None), ("artist", None), ("sculptor", None), ("mime", None), ("comedian", None), ("host", None),
    ("presenter", None), ("tutor", None), ("professor", None), ("principal", None), ("librarian", None),
    ("pharmacist", None), ("paramedic", None), ("veterinarian", None), ("receptionist", None),
    ("secretary", None), ("manager", None), ("boss", None), ("intern", None), ("employee", None),
    ("uncle", "he"), ("aunt", "she"), ("brother", "he"), ("sister", "she"), ("son", "he"), ("daughter", "she"),
    ("husband", "he"), ("wife", "she"), ("grandson", "he"), ("granddaughter", "she"), ("nephew", "he"),
    ("niece", "she"), ("cousin", None), ("friend", None), ("roommate", None), ("classmate", None),
    ("schoolboy", "he"), ("schoolgirl", "she"), ("baby", None), ("infant", None), ("senior", None),
    ("retiree", None), ("pensioner", None), ("vampire", None), ("superhero", None), ("samurai", None),
    ("viking", None), ("caveman", "he"), ("scarecrow", None), ("snowman", "he"), ("android", None),
    ("cyborg", None), ("doll", None), ("teddy", None), ("elf", None), ("fairy", None), ("giant", None),
)
SUBJECT_ADJECTIVES += (
    "tiny", "huge", "large", "heavyset", "overweight", "lean", "broad", "sleepy", "drowsy", "weary",
    "jolly", "grumpy", "cranky", "moody", "thrilled", "delighted", "upset", "worried", "frightened",
    "scared", "brave", "bold", "timid", "quiet", "loud", "noisy", "talkative", "funny", "goofy", "quirky",
    "odd", "strange", "mysterious", "famous", "professional", "amateur", "experienced", "skilled",
    "novice", "retired", "healthy", "sporty", "casual", "formal", "fancy", "stylish", "scruffy", "tidy",
    "smart", "clever", "wise", "kind", "gentle", "rough", "tough", "fearless", "restless", "bubbly",
    "sweet", "lovely", "handsome", "beautiful", "pretty", "plump", "gangly", "spry", "zealous",
    "blind", "hungry", "thirsty", "sweaty", "cold", "warm", "lonely", "humble", "modest", "cool",
)
MANNER_NEUTRAL += (
    "happily", "gladly", "willingly", "obediently", "dutifully", "courteously", "respectfully", "humbly",
    "modestly", "arrogantly", "smugly", "cockily", "coolly", "sternly", "strictly", "formally", "informally",
    "jokingly", "teasingly", "mockingly", "sarcastically", "ironically", "innocently", "guiltily",
    "secretly", "openly", "honestly", "bravely", "fearlessly", "courageously", "sulkily", "tearfully",
    "woefully", "gloomily", "miserably", "blissfully", "cheerily", "brightly", "lovingly", "fondly",
    "affectionately", "carelessly", "recklessly", "sloppily", "tidily", "cleanly", "nicely", "well",
    "badly", "poorly", "oddly", "strangely", "weirdly", "funnily", "goofily", "sillily", "curiously",
    "inquisitively", "suspiciously", "doubtfully", "uncertainly", "awkwardly", "bashfully", "coyly",
    "flirtatiously", "seductively", "charmingly", "stylishly", "fashionably", "professionally",
    "expertly", "amateurishly", "clumsily", "mindfully", "attentively", "focusedly", "intently",
    "automatically", "habitually", "routinely", "repeatedly", "consistently", "regularly", "uniformly",
    "symmetrically", "fluidly", "fluently", "crisply", "cleanly", "expressively", "emotionally",
    "excitably", "nervily", "jumpily", "jerkily", "shakily", "wobbly", "unsteadily", "limply",
)
MANNER_SOFT += ("lightly", "feebly", "weakly", "listlessly", "languidly", "drowsily", "quietly", "peacefully",
                "serenely", "tranquilly", "soothingly", "meekly", "faintly", "lazily")
MANNER_STRONG += ("mightily", "furiously", "violently", "heavily", "hard", "zealously", "feverishly", "madly",
                  "crazily", "rowdily", "boisterously", "exuberantly", "animatedly", "spiritedly", "dynamically")
PLACES += (
    "at the airport", "in a library", "in a museum", "in a hospital", "in a church", "at a train station",
    "in a stadium", "in a theater", "in a cinema", "at the mall", "in a shop", "in a supermarket",
    "in a restaurant", "in a cafe", "in a bar", "at a hotel", "in an elevator", "on a bridge", "on a pier",
    "on a dock", "at the harbor", "on a boat", "on a ship deck", "in a forest", "in the woods", "on a hill",
    "on a mountain", "in a valley", "in a desert", "on the sand", "by a lake", "by the river", "near the sea",
    "on an island", "in a village", "in a city", "downtown", "in the suburbs", "on a farm", "in a barn",
    "in a stable", "in a garage", "in a basement", "in an attic", "in a cellar", "on the stairs",
    "on a porch", "in a yard", "at the zoo", "at a circus", "at a fair", "at a carnival", "at the market",
    "in a plaza", "in a tunnel", "in a cave", "in a castle", "in a palace", "in a temple", "at a shrine",
    "in a factory", "in a laboratory", "in a workshop", "in a studio apartment", "in a dorm room",
    "in a bathroom", "in a dining room", "in a hall", "in a ballroom", "in a dance studio", "on a dance floor",
    "on a tennis court", "on a soccer pitch", "on a running track", "in a boxing ring", "in a dojo",
    "on a yoga mat", "on a treadmill area", "at the beach", "on ice", "on a frozen pond", "in a puddle area",
    "under a tree", "beside a fountain", "near a statue", "next to a car", "behind a fence", "in a crowd",
    "alone", "with friends", "in front of an audience", "during a rehearsal", "during a show", "at a party",
    "at a picnic", "at a birthday party", "at a barbecue", "on vacation", "on a holiday", "on a sunny day",
    "on a windy day", "on a cold day", "in the afternoon", "at dawn", "at dusk", "at midnight",
)
# "a man in a red shirt": clothing, said of the subject.
COLORS = ("red", "blue", "green", "yellow", "black", "white", "gray", "grey", "orange", "purple", "pink",
          "brown", "navy", "beige", "striped", "checkered", "dark", "bright", "colorful", "plain")
GARMENTS = ("shirt", "jacket", "hoodie", "sweater", "coat", "dress", "skirt", "suit", "tracksuit", "uniform",
            "tank top", "t-shirt", "vest", "jumpsuit", "costume", "raincoat", "cardigan", "blouse", "tuxedo",
            "apron", "hat", "cap", "scarf", "sneakers", "boots", "jeans", "shorts", "leggings", "overalls", "robe")
MOOD_PHRASES += (
    "with a cheerful face", "with a sleepy face", "with closed eyes", "with the eyes closed",
    "with a determined look", "with a worried look", "with a calm expression", "with a relaxed expression",
    "with a sigh", "with a laugh", "with a giggle", "with a shout", "with a cheer", "with a yawn",
    "while chatting", "while counting out loud", "while thinking", "while daydreaming", "while listening to music",
    "while wearing headphones", "as if someone is watching", "as if practicing for a show", "as if in slow thought",
    "as if remembering something", "as if on camera", 
    "as if feeling silly", "as if feeling great", "as if in pain", "as if cold", "as if warm", "as if excited",
    "as if teaching a class", "as if following instructions", "as if copying someone", "as a joke",
    "for fun", "for no reason", "out of habit", "on purpose", "by accident", "without thinking",
)
FAMILY_TAILS = {
    **FAMILY_TAILS,
    "jumping": FAMILY_TAILS["jumping"] + ("like a rabbit", "like a bunny", "like a grasshopper", "like a cricket",
                                          "like a flea", "like a springbok", "like a basketball player",
                                          "as if jumping rope", "as if over puddles", "as if on hot coals",
                                          "as if the floor is lava", "like an excited puppy", "as if cheering",
                                          "in a plyometric drill", "as part of cardio training", "to burn calories"),
    "walking": FAMILY_TAILS["walking"] + ("as if walking a dog", 
                                          "as if on patrol", "like a security guard",
                                          "like a tour guide", "as if looking for an address", "as if commuting",
                                          "along the shore", "through the corridor", "over the bridge",
                                          "along a fence", "through a garden", "past some shops",
                                          "on a hiking trail", "in a shopping center"),
    "arms": FAMILY_TAILS["arms"] + ("as if doing pilates", "as in aerobics", "as physical therapy",
                                    "as a rehabilitation exercise", "like a gymnastics coach", "as if limbering up",
                                    "as if getting ready for sports", "before a swim", "before a match",
                                    "like a fitness instructor", "as if showing the muscles"),
    "gestures": FAMILY_TAILS["gestures"] + ("to a stranger", "to a shopkeeper", "to the teacher", "to the kids",
                                            "to a child", "to a classmate", "to the driver", "to the waiter",
                                            "to a crowd of fans", "across the street", "from a balcony",
                                            "through a window", "in sign language", "to communicate silently"),
    "sitstand": FAMILY_TAILS["sitstand"] + ("on a rock", "on a crate", "on a bucket", "on the edge of a bed",
                                            "on an armchair", "on a recliner", "on a bar stool", "in a theater seat",
                                            "at the dinner table", "in a clinic", "at a bus stop",
                                            "as if tired from work", "as if exhausted"),
    "base": FAMILY_TAILS["base"] + ("in a martial arts class", "in a sports hall", "at practice",
                                    "before a competition", "as if in a game", "as if warming up for a match"),
}

COLORS += ("maroon", "teal", "turquoise", "olive", "lavender", "golden", "silver", "crimson", "violet", "khaki",
           "cream", "tan", "ivory", "charcoal", "lime", "magenta", "scarlet", "burgundy", "denim", "plaid",
           "floral", "leather", "woolen", "baggy", "tight", "loose", "long", "sleeveless", "spotted", "shiny")
GARMENTS += ("poncho", "kimono", "sari", "kilt", "gown", "blazer", "windbreaker", "parka", "turtleneck",
             "pajamas", "bathrobe", "swimsuit", "wetsuit", "leotard", "jersey", "polo", "tunic", "beanie")
# "a woman with a ponytail": looks, said of the subject.
LOOKS = ("with long hair", "with short hair", "with curly hair", "with a ponytail", "with braids", "with a bun",
         "with glasses", "with sunglasses", "with a backpack", "with a beard", "with a mustache",
         "with a helmet on", "with a cap on", "with a headband", "with gloves on", "with a watch",
         "with a necklace", "with earrings", "with a bracelet", "with a mask on", "with a scarf on",
         "with a wristband", "with tattoos", "with freckles", "with gray hair", "with red hair", "with blond hair",
         "with dark hair", "with a shaved head", "with dreadlocks", "with a fringe", "with bare feet",
         "with a name tag", "with a lanyard", "with a badge", "with a bow tie", "with a tie", "with suspenders")
EMOTION_ADJECTIVES = ("pleased", "annoyed", "content", "ecstatic", "irritated", "furious", "gloomy", "cheerful",
                      "embarrassed", "surprised", "confused", "amused", "relieved", "exhausted", "energized",
                      "focused", "distracted", "puzzled", "satisfied", "disappointed", "hopeful", "jealous",
                      "lonely", "grateful", "thankful", "guilty", "ashamed", "frustrated", "impatient", "tense",
                      "uneasy", "uncomfortable", "comfortable", "carefree", "determined", "motivated", "inspired",
                      "fascinated", "indifferent", "skeptical", "suspicious", "alert", "thrilled", "overjoyed",
                      "heartbroken", "miserable", "glad", "delighted", "stressed", "calm", "serene", "giddy",
                      "elated", "sullen", "sulky", "grouchy", "cheeky", "smug", "bashful", "awkward", "sad")
PLACES += ("in a kindergarten", "in a gymnasium", "in a locker room", "in a waiting area", "in a train",
           "on a platform", "on a subway platform", "at a crosswalk", "at an intersection", "on a highway shoulder",
           "in a parking garage", "at a gas station", "in a car park", "at a stadium entrance", "in an arena",
           "on a racetrack", "at a ski resort", "on a slope", "in a cabin", "in a tent", "at a campsite",
           "by a campfire", "in a jungle", "in a swamp", "on a cliff", "on a ridge", "in a canyon",
           "in an orchard", "in a vineyard", "in a greenhouse", "in a flower bed", "among trees", "in tall grass",
           "on gravel", "on concrete", "on tiles", "on a mat", "on a stage floor", "in a spotlight",
           "in a music video", "in a video game", "in a cartoon", "in a movie scene", "on television",
           "in a commercial", "in a photo shoot", "at an audition", "in a talent show", "at a graduation",
           "at a ceremony", "at a parade", "at a protest", "at a rally", "at a funeral", "at church",
           "in a monastery", "in a mosque", "in a synagogue", "at a recital", "at an opera", "in a ballet class")
ACTION_TAILS = {
    **ACTION_TAILS,
    "jump_in_place": ("like a pogo stick", "as if on a spring", "as if trying to touch the ceiling",
                      "as if trying to see over a wall", "as if trying to grab a branch"),
    "jump_forward": ("as if over a stream", "as if across a gap", "as in a long jump", "like a long jumper",
                     "as if crossing stepping stones"),
    "hop_backward": ("as if startled", "as if avoiding a snake", "as if something scared them",
                     "as if retreating from danger"),
    "jump_sideways": ("as if dodging something", "as if avoiding a ball", "like a goalkeeper diving",
                      "as if skiing moguls"),
    "hop_on_one_foot": ("as if playing hopscotch", "as if the other foot hurts", "as if injured",
                        "like a child playing"),
    "jump_turn": ("like a figure skater", "like a snowboarder", "like a breakdancer", "as if spinning in joy"),
    "walk_forward": ("as if walking to the kitchen", "as if crossing a room", "as if approaching someone"),
    "walk_slow": ("as if sneaking", "as if on thin ice", "as if in a museum", "as if tiptoeing",
                  "as if exhausted", "as if in no hurry"),
    "walk_fast": ("as if late for a meeting", "as if in a rush", "as if catching a train", "as if power walking"),
    "walk_backward": ("as if backing away", "as if retreating", "as if guiding a car", "as if avoiding a dog"),
    "walk_sideways": ("as if passing through a narrow gap", "like a crab", "as if along a ledge",
                      "as if in a crowded row"),
    "walk_circle": ("as if pacing nervously", "around a table", "around an imaginary object", "as if circling prey"),
    "walk_turn": ("as if turning a corner", "at a street corner", "as if changing course"),
    "walk_zigzag": ("as if avoiding cones", "between obstacles", "as if drunk", "like a slalom skier"),
    "turn_around": ("as if someone called", "as if hearing a noise", "to face the other way", "to look behind"),
    "raise_arm": ("as if asking a question", "as if volunteering", "like a student in class", "to be noticed",
                  "as if hailing a taxi"),
    "raise_both_arms": ("as if surrendering", "in victory", "as if cheering at a game", "like a winner",
                        "as if scoring a goal"),
    "arm_circles": ("as a shoulder warm up", "like a windmill", "like a swimmer warming up", "like a propeller"),
    "reach_forward": ("as if grabbing a cup", "as if shaking hands", "as if pushing a button",
                      "as if opening a door", "to grab something"),
    "reach_side": ("as if reaching for a shelf", "as if taking a book", "as if picking fruit",
                   "as if grabbing a rail"),
    "spread_arms": ("like an airplane", "like a scarecrow", "as if welcoming a hug", "as if flying",
                    "as if measuring something big"),
    "sit_then_stand": ("as if testing a chair", "as if too restless to sit", "as if called away"),
    "stand_up": ("as if the meeting ended", "to greet a guest", "after a meal", "as if called by name"),
}

SUBJECT_NOUNS += tuple((w, None) for w in (
    "accountant", "chemist", "biologist", "physicist", "mathematician", "programmer", "developer", "gamer",
    "streamer", "influencer", "blogger", "vlogger", "choreographer", "conductor", "composer", "director",
    "producer", "editor", "translator", "interpreter", "diplomat", "senator", "mayor", "president", "minister",
    "general", "captain", "sergeant", "lieutenant", "admiral", "cadet", "recruit", "veteran", "marine",
    "sheriff", "deputy", "ranger", "lifeguard", "caretaker", "nanny", "babysitter", "housekeeper", "maid",
    "chauffeur", "driver", "courier", "porter", "usher", "bouncer", "clerk", "vendor", "merchant", "trader",
    "broker", "investor", "entrepreneur", "pianist", "cellist", "flutist", "trumpeter", "saxophonist",
)) + (("salesman", "he"), ("saleswoman", "she"), ("butler", "he"))
AGES = ("in his twenties", "in her twenties", "in his thirties", "in her thirties", "in his forties",
        "in her forties", "in his fifties", "in her fifties", "in his sixties", "in her sixties",
        "in his seventies", "in her seventies", "in his eighties", "in her eighties")
SPORTS = ("football", "basketball", "volleyball", "baseball", "tennis", "badminton", "hockey", "rugby",
          "cricket", "golf", "karate", "judo", "taekwondo", "boxing", "fencing", "yoga", "pilates", "zumba",
          "ballet", "tango", "waltz", "salsa", "breakdance", "handball", "lacrosse", "softball", "squash",
          "netball", "gymnastics", "parkour", "crossfit", "kickboxing", "wrestling", "athletics")
SEASONS = ("on a rainy morning", "on a snowy day", "on a foggy morning", "on a cloudy afternoon",
           "on a stormy night", "on a humid day", "on a chilly evening", "on a breezy day", "in spring",
           "in summer", "in autumn", "in the fall", "in winter", "on the weekend", "on a monday morning",
           "on a friday night", "during the holidays", "during lunch break", "after school", "after work",
           "before breakfast", "after dinner", "at sunrise", "at sunset", "during a heatwave")
ANIMAL_LIKE = ("like a penguin", "like an elephant", "like a cat", "like a giraffe", "like a bear", "like a monkey",
               "like a gorilla", "like a horse", "like a deer", "like a goat", "like a squirrel", "like a dog",
               "like a lion", "like a tiger", "like a fox", "like a wolf", "like a duckling", "like a puppy",
               "like a kitten", "like a lamb", "like a pony", "like a camel", "like a turtle", "like a robot toy")
MUSIC = ("jazz", "rock", "disco", "funk", "reggae", "techno", "country", "classical", "latin", "swing",
         "electronic", "folk", "soul", "blues", "rap", "pop", "house", "samba", "polka", "flamenco")
