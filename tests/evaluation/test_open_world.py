"""Open-world scoring: hand-checked counts on made-up routes and captions."""
from motion_studio.evaluation.open_world import names_action, score_routes, summarize_shifted
from motion_studio.routing_types import ExpertScore, RouteResult


def route(chosen, nearest, unseen=False):
    experts = [ExpertScore(n, n, 1.0, 1.0 if n != nearest else 2.0, 0.0, 2.0 if n == nearest else 3.0)
               for n in ("jumping", "walking")]
    return RouteResult("t2m", experts, chosen=chosen, unseen=unseen, nearest=nearest)


def test_score_routes_counts_right_experts_and_unseen_base():
    items = [("hop", "jumping"), ("stroll", "walking"), ("leap", "jumping"), ("swim", "base"), ("golf", "base")]
    routes = [route("jumping", "jumping"), route(None, "walking", unseen=True), route("walking", "walking"),
              route(None, "jumping", unseen=True), route("walking", "walking")]
    s = score_routes(items, routes)
    assert s["task_right_pct"] == 33.3 and s["task_nearest_right_pct"] == 66.7  # 1/3 right, 2/3 nearest
    assert s["base_unseen_pct"] == 50.0 and s["n_task"] == 3 and s["n_base"] == 2
    assert s["per_task_right_pct"] == {"jumping": 50.0, "walking": 0.0}
    assert {m["prompt"] for m in s["misses"]} == {"stroll", "leap", "golf"}


def test_names_action_uses_the_kind_words():
    assert names_action("A man leaps over a puddle", "jumping")
    assert not names_action("a man walks forward", "jumping")
    assert names_action("someone kicks with the left leg", "kicking")


def test_summarize_shifted_rates():
    rows = [{"task": "jumping", "right_expert": True, "names_action": True},
            {"task": "jumping", "right_expert": False, "names_action": True},
            {"task": "walking", "right_expert": True, "names_action": False},
            {"task": "base", "right_expert": True, "names_action": False}]
    s = summarize_shifted(rows)
    assert s["task_right_expert_pct"] == 66.7 and s["task_caption_names_action_pct"] == 66.7
    assert s["base_unseen_pct"] == 100.0 and s["per_task"]["jumping"]["right_expert_pct"] == 50.0
