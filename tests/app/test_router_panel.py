import pytest

from motion_studio.app.router_panel import RouterPanel, bar_scale, decision_text
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
