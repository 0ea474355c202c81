import pytest

from motion_studio.app.router_panel import RouterPanel, bar_scale, decision_text, read_as_text, why_text
from motion_studio.routing_types import ExpertScore, RouteResult


def result(errors, chosen, unseen=False, mode="hard", weights=None, forced=False):
    weights = weights or [1.0 if f"e{i}" == chosen else 0.0 for i in range(len(errors))]
    experts = [ExpertScore(f"e{i}", None, err, 0.5, w) for i, (err, w) in enumerate(zip(errors, weights))]
    return RouteResult("t2m", experts, chosen, unseen, mode, 2 if mode == "soft" else 1, forced)


def test_bar_scale_leaves_headroom_over_largest_ratio():
    assert bar_scale(result([0.2, 0.3], "e0")) == pytest.approx(1.1)  # the threshold (ratio 1) is largest
    assert bar_scale(result([1.0, 0.3], "e1")) == pytest.approx(2.2)  # ratio 2
    assert bar_scale(result([9.0, 0.3], "e1")) == pytest.approx(3.0)  # capped


def test_decision_text_says_who_answers():
    assert decision_text(result([0.2, 0.9], "e0")) == "e0 (router)"
    assert decision_text(result([0.8, 0.9], None, unseen=True)).endswith("(every error above its threshold)")
    # an expert accepted (0.4 < 0.5) but the base-family autoencoder explained the input better
    assert decision_text(result([0.4, 0.9], None, unseen=True)).endswith("(closer to actions no expert learned)")
    assert decision_text(result([0.8, 0.9], "e1", forced=True)) == "e1 (forced by you)"
    assert decision_text(result([0.8, 0.9], None, forced=True)) == "base model (forced by you)"
    soft = result([0.2, 0.3], "e0", mode="soft", weights=[0.75, 0.25])
    assert decision_text(soft) == "blend: e0 75%, e1 25%"


def test_panel_controls_and_history(qtbot):
    panel = RouterPanel()
    qtbot.addWidget(panel)
    panel.set_experts(["walk", "dance", "box"])
    assert [panel.force_box.itemData(i) for i in range(panel.force_box.count())] == [None, "base", "walk", "dance", "box"]
    panel.mode_box.setCurrentIndex(1)
    panel.k_box.setValue(3)
    panel.temp_box.setValue(0.5)
    panel.force_box.setCurrentIndex(3)
    s = panel.settings()
    assert (s.mode, s.k, s.temperature, s.force_expert) == ("soft", 3, 0.5, "dance")
    with qtbot.waitSignal(panel.settings_changed):
        panel.mode_box.setCurrentIndex(0)
    assert not panel.k_box.isEnabled()

    panel.show_route(result([0.8, 0.9], None, unseen=True), "juggle", remember=False)
    assert "unseen" in panel.decision.text() and panel.history.count() == 0
    panel.show_route(result([0.2, 0.9], "e0"), "walk")
    assert panel.bars.result.chosen == "e0" and panel.history.count() == 1
    assert "e0 (router)" in panel.history.item(0).text()
    panel.show()
    panel.bars.grab()  # paints without error with experts of any names


def test_why_an_unseen_motion_missed_and_what_a_prompt_was_read_as(qtbot):
    miss = result([0.8, 0.9], None, unseen=True)
    miss.reasons = {"e0": [("left ankle speed", 0.05), ("neck speed", 0.04)],
                    "e1": [("left wrist position", 0.43), ("left elbow position", 0.15), ("right knee position", 0.03)]}
    assert why_text(miss) == ("least like e0 in: no single part stands out\n"
                              "least like e1 in: left wrist position 43 %, left elbow position 15 %")
    routed = result([0.2, 0.9], "e0")
    routed.reasons = miss.reasons
    assert why_text(routed) == ""  # only a near miss needs explaining
    routed.read_as = "juggles three balls"
    assert read_as_text(routed) == "read as: \u201cjuggles three balls\u201d" and read_as_text(miss) == ""

    panel = RouterPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_route(miss, "clip.bvh")
    assert panel.why_label.isVisible() and "left wrist position 43 %" in panel.why_label.text()
    assert not panel.read_label.isVisible()
    panel.show_route(routed, "a person juggles three balls")
    assert not panel.nearest_box.isVisible() and panel.read_label.isVisible()
    panel.show_problem("bad file")
    assert not panel.read_label.isVisible() and not panel.nearest_box.isVisible()
