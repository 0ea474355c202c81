"""action_phrase keeps what the body does: each rule checked on a hand-written prompt."""
import pytest

from motion_studio.models.action_phrase import action_phrase


@pytest.mark.parametrize("text, phrase", [
    ("Someone sits down slowly", "sits down"),                                      # subject, -ly adverb
    ("a person walks forward and then stops", "walks forward"),                     # closing rest
    ("raising both hands up, a shy woman then returns to rest.", "raising both hands up"),  # rest clause
    ("the huge nanny shrugs as if to say i do not know.", "shrugs"),                # aside
    ("A mailman with a bow tie makes circles with both arms on a foggy morning.",   # 'bow' after 'a' is no verb
     "makes circles with both arms"),
    ("a lady with a long beanie walks forward in a church.", "walks forward"),      # setting
    ("sits on a bench in the park", "sits on a bench"),                             # support kept, setting dropped
    ("a man walks in a circle", "walks in a circle"),                               # path kept
    ("A tired golfer goes down on the left knee as if tying a shoe.", "goes down on the left knee"),
    ("try to spring turning 90 degrees to the left", "spring turning 90 degrees to the left"),  # opener
    ("a guy puts up his arms up high and lowers them.", "puts up his arms up high and lowers them"),
    ("stands still", "stands still"),                                               # nothing else: kept
    ("jump twice", "jump twice"),
    ("!!!", "nothing"),
])
def test_action_phrase(text, phrase):
    assert action_phrase(text) == phrase


def test_a_lead_with_a_conjunction_is_not_a_subject():
    # "a kid hops and waves": the lead before "waves" holds "and", so only the subject goes
    assert action_phrase("a kid hops and waves") == "hops and waves"
    assert action_phrase("the acrobat quickly flips") == "flips"


def test_each_sentence_source_embeds_its_own_rewrite():
    from motion_studio.models.router_inputs import canonical_prompt, prompt_text

    text = "A tired golfer walks forward in a church, then stops."
    assert prompt_text(text, "sentence") == text
    assert prompt_text(text, "sentence_canon") == canonical_prompt(text)
    assert prompt_text(text, "sentence_action") == action_phrase(text) == "walks forward"
