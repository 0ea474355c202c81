"""Autoencoder router: hand-checked maths, routing on separated clusters, the unseen rule, files."""
from __future__ import annotations

import pytest
import torch

from motion_studio.errors import CheckpointError, InputError
from motion_studio.models.router import (
    AutoencoderRouter, RouterFitConfig, ratio_weights, threshold_from_errors, top_k_weights,
)

DIM = 32


def cluster(center: int, n: int, seed: int, spread: float = 0.3) -> torch.Tensor:
    """n points around a centre that is 4.0 on a block of 8 dims picked by `center`."""
    g = torch.Generator().manual_seed(seed)
    mu = torch.zeros(DIM)
    mu[center * 8:(center + 1) * 8] = 4.0
    return mu + spread * torch.randn(n, DIM, generator=g)


@pytest.fixture(scope="module")
def router() -> AutoencoderRouter:
    r = AutoencoderRouter(DIM, hidden=8)
    cfg = RouterFitConfig(steps=300, seed=0)
    for i, name in enumerate(["jumping", "arms", "walking"]):
        r.fit_expert(name, f"theme{i}", cluster(i, 200, seed=i), cfg=cfg)
    return r


def test_ratio_weights_match_hand_computation():
    # ratios 0.1 and 0.4 accept; at temperature 1 the weights are proportional to 1/ratio: 10 : 2.5
    w = ratio_weights(torch.tensor([0.1, 0.4, 2.0]), torch.tensor([True, True, False]), 1.0, k=3)
    assert w.tolist() == pytest.approx([0.8, 0.2, 0.0], abs=1e-6)
    # temperature 2: proportional to ratio^(-1/2): sqrt(10) : sqrt(2.5) = 2 : 1
    w2 = ratio_weights(torch.tensor([0.1, 0.4, 2.0]), torch.tensor([True, True, False]), 2.0, k=3)
    assert w2.tolist() == pytest.approx([2 / 3, 1 / 3, 0.0], abs=1e-6)
    # the case: one error 25x smaller than the other (same threshold) -> 25 : 1, not 60/40
    w3 = ratio_weights(torch.tensor([0.017, 0.425]), torch.tensor([True, True]), 1.0, k=2)
    assert w3[0].item() == pytest.approx(25 / 26, abs=1e-6)
    # nothing accepts -> no weights
    assert ratio_weights(torch.tensor([2.0, 3.0]), torch.tensor([False, False])).tolist() == [0.0, 0.0]


def test_top_k_renormalises_and_zeroes_the_rest():
    w = top_k_weights(torch.tensor([0.5, 0.3, 0.2]), k=2)
    assert w.tolist() == pytest.approx([0.625, 0.375, 0.0])
    assert top_k_weights(torch.tensor([0.5, 0.3, 0.2]), k=1).tolist() == [1.0, 0.0, 0.0]


def test_threshold_is_mean_plus_two_std():
    # errors 1, 3: mean 2, population std 1 -> 4
    assert threshold_from_errors(torch.tensor([1.0, 3.0])) == pytest.approx(4.0)


def test_errors_shape_and_batched_equals_single(router):
    x = torch.cat([cluster(0, 3, 10), cluster(2, 2, 11)])
    errs = router.errors(x)
    assert errs.shape == (5, 3)
    for i in range(5):
        assert torch.allclose(router.errors(x[i]), errs[i:i + 1], atol=1e-5)


def test_picks_the_right_expert_on_separated_clusters(router):
    for i, name in enumerate(["jumping", "arms", "walking"]):
        results = router.route_batch(cluster(i, 50, seed=100 + i))
        # the lowest error is always the right expert ...
        best = [min(r.experts, key=lambda e: e.error).name for r in results]
        assert best.count(name) == 50, (name, best)
        # ... and apart from rare tail draws above the threshold (unseen -> base), it is chosen
        chosen = [r.chosen for r in results]
        assert chosen.count(name) >= 46, (name, chosen)
        assert all(r.chosen in (name, None) for r in results)


def test_threshold_keeps_most_new_in_task_inputs_seen(router):
    # new draws from a task's distribution should mostly sit under that expert's threshold
    x = cluster(1, 200, seed=7)
    below = (router.errors(x)[:, 1] <= router.thresholds[1]).float().mean().item()
    assert below > 0.85


def test_unseen_rule_fires_far_from_every_expert(router):
    far = cluster(3, 20, seed=5)  # a fourth block no expert was trained on
    results = router.route_batch(far)
    assert all(r.unseen and r.chosen is None for r in results)
    assert all(r.blend == {} for r in results)


def test_route_takes_one_input_and_checks_it(router):
    x = cluster(1, 2, seed=42)
    assert router.route(x[0]).chosen == router.route_batch(x[:1])[0].chosen == "arms"
    with pytest.raises(InputError, match="one input"):
        router.route(x)
    with pytest.raises(InputError, match="width"):
        router.route(torch.zeros(DIM + 1))
    with pytest.raises(InputError, match="NaN"):
        router.route(torch.full((DIM,), float("nan")))


def test_hard_and_soft_results(router):
    x = cluster(0, 1, seed=42)
    hard = router.route(x, mode="hard")
    assert hard.chosen == "jumping" and hard.k == 1 and hard.blend == {"jumping": 1.0}
    assert [e.weight for e in hard.experts] == [1.0, 0.0, 0.0]
    assert hard.nearest == "jumping"
    for e in hard.experts:
        assert e.ratio == pytest.approx(e.error / e.threshold, rel=1e-5)
    # soft mode blends only experts that accept the input: here only jumping does
    soft = router.route(x, mode="soft", k=2)
    assert soft.chosen == "jumping" and soft.blend == {"jumping": 1.0}
    # a scale large enough that arms accepts too: two experts, weights proportional to 1/ratio
    scale = 1.01 * sorted(e.ratio for e in soft.experts)[1]
    soft2 = router.route(x, mode="soft", k=2, threshold_scale=scale)
    nonzero = sorted((e for e in soft2.experts if e.weight > 0), key=lambda e: e.ratio)
    assert len(nonzero) == 2 and soft2.chosen == "jumping"
    assert sum(soft2.blend.values()) == pytest.approx(1.0)
    expected = (1 / nonzero[0].ratio) / (1 / nonzero[0].ratio + 1 / nonzero[1].ratio)
    assert nonzero[0].weight == pytest.approx(expected, rel=1e-4)


def test_threshold_scale_moves_the_unseen_line(router):
    x = cluster(0, 1, seed=42) * 3.0  # far from every cluster
    far = router.route(x)
    assert far.unseen and far.chosen is None and far.nearest is not None
    assert all(e.weight == 0 for e in far.experts)
    lenient = router.route(x, threshold_scale=1.01 * far.nearest_ratio)
    assert not lenient.unseen and lenient.chosen == far.nearest
    strict = router.route(cluster(0, 1, seed=42), threshold_scale=1e-6)
    assert strict.unseen
    with pytest.raises(InputError):
        router.route(x, threshold_scale=0)


def test_force_overrides(router):
    x = cluster(0, 1, seed=1)
    r = router.route(x, force="walking")
    assert r.chosen == "walking" and r.forced and r.blend == {"walking": 1.0}
    assert {e.name: e.weight for e in r.experts} == {"jumping": 0.0, "arms": 0.0, "walking": 1.0}
    base = router.route(x, force="base")
    assert base.chosen is None and all(e.weight == 0 for e in base.experts) and base.nearest == "jumping"
    with pytest.raises(InputError):
        router.route(x, force="nope")
    with pytest.raises(InputError):
        router.route(x, mode="medium")
    with pytest.raises(InputError):
        router.route(torch.zeros(DIM + 1))


def test_refitting_one_expert_leaves_the_others(router):
    r = router.subset(router.names)
    before = r.w1[0].clone()
    r.fit_expert("arms", "t", cluster(1, 50, seed=3), cfg=RouterFitConfig(steps=20))
    assert torch.equal(r.w1[0], before)
    assert r.names == ["jumping", "arms", "walking"]


def test_save_load_roundtrip(router, tmp_path):
    router.save(tmp_path / "router_t2m.safetensors")
    back = AutoencoderRouter.load(tmp_path / "router_t2m.safetensors")
    x = cluster(2, 4, seed=9)
    assert back.names == router.names and back.themes == router.themes
    assert torch.equal(back.errors(x), router.errors(x))
    assert torch.equal(back.thresholds, router.thresholds)
    with pytest.raises(CheckpointError):
        AutoencoderRouter.load(tmp_path / "missing.safetensors")


def test_no_experts_routes_to_base():
    r = AutoencoderRouter(DIM, hidden=4).route(torch.zeros(DIM))
    assert r.chosen is None and not r.unseen and r.experts == []


def test_input_source_survives_save(tmp_path):
    r = AutoencoderRouter(DIM, hidden=4, direction="t2m", input_source="sentence")
    r.fit_expert("jumping", None, cluster(0, 20, seed=0), cfg=RouterFitConfig(steps=5))
    r.save(tmp_path / "r.safetensors")
    back = AutoencoderRouter.load(tmp_path / "r.safetensors")
    assert back.input_source == "sentence" and back.direction == "t2m"


def test_grouped_holdout_keeps_whole_groups_out_of_training():
    """With groups, the calibration set is made of whole groups (clips), never split ones."""
    torch.manual_seed(0)
    x = torch.randn(60, 8)
    groups = torch.arange(60) // 4  # 15 "clips" of 4 captions
    router = AutoencoderRouter(8, 16)
    report = router.fit_expert("a", None, x, cfg=RouterFitConfig(steps=5, holdout=0.2), groups=groups)
    assert report["calibration"] == "holdout"
    assert report["n_calibration"] == 12  # 20 % of 15 clips = 3 whole clips of 4 captions
    plain = AutoencoderRouter(8, 16).fit_expert("a", None, x, cfg=RouterFitConfig(steps=5, holdout=0.2))
    assert plain["n_calibration"] == 12  # same count when inputs are drawn one by one
    with pytest.raises(InputError):
        router.fit_expert("b", None, x, cfg=RouterFitConfig(steps=1), groups=groups[:10])


def test_short_forms_are_the_first_words():
    from motion_studio.training.router_data import short_forms

    assert short_forms("a person jumps forward twice.") == ["a person jumps", "a person jumps forward"]
    assert short_forms("a man bows.") == []


def test_per_kind_threshold_accepts_every_kind_of_input():
    """Two kinds of inputs with different error levels: one mean + 2 std over the mixture would
    reject much of the noisier kind; the per-kind rule takes the larger of the two thresholds."""
    tight = cluster(0, 300, seed=1, spread=0.1)
    loose = cluster(0, 100, seed=2, spread=0.3)
    x = torch.cat([tight, loose])
    kinds = torch.cat([torch.zeros(300), torch.ones(100)]).long()
    cfg = RouterFitConfig(steps=200, seed=0, holdout=0.3)
    mixed_rule = AutoencoderRouter(DIM, 8)
    mixed_rule.fit_expert("a", None, x, cfg=cfg)
    per_kind = AutoencoderRouter(DIM, 8)
    per_kind.fit_expert("a", None, x, cfg=cfg, kinds=kinds)
    assert float(per_kind.thresholds[0]) > float(mixed_rule.thresholds[0])
    new_loose = cluster(0, 200, seed=3, spread=0.3)
    share_kept = lambda r: float((r.errors(new_loose)[:, 0] <= r.thresholds[0]).float().mean())
    assert share_kept(per_kind) >= 0.9
    assert share_kept(per_kind) > share_kept(mixed_rule)
    with pytest.raises(InputError):
        per_kind.fit_expert("b", None, x, cfg=cfg, kinds=kinds[:10])


def test_quantile_rule_is_the_quantile_of_calibration_errors():
    from motion_studio.models.router import calibrated_threshold

    errs = torch.arange(1, 101, dtype=torch.float32)  # 1..100
    assert calibrated_threshold(errs, RouterFitConfig(rule="quantile", quantile=0.5)) == pytest.approx(50.5)
    assert calibrated_threshold(torch.tensor([1.0, 3.0]), RouterFitConfig(rule="std", n_std=2)) == pytest.approx(4.0)
    with pytest.raises(InputError):
        calibrated_threshold(errs, RouterFitConfig(rule="nope"))


def test_canonical_prompt_drops_who_and_punctuation():
    from motion_studio.models.router_inputs import canonical_prompt

    assert canonical_prompt("Someone is LEAPING into the air!") == "leaping into the air"
    assert canonical_prompt("a young man walks forward.") == "walks forward"
    assert canonical_prompt("The old woman sits down") == "sits down"
    assert canonical_prompt("jump twice") == "jump twice"  # no subject: unchanged
    assert canonical_prompt("a person") == "a person"  # nothing but a subject: kept
    # any subject phrase before the first action verb goes, however it is dressed
    assert canonical_prompt("A polite guitarist in a hat takes big steps forward.") == "steps forward"
    assert canonical_prompt("The pianist with tattoos is treading forward") == "treading forward"
    assert canonical_prompt("a kid does a cartwheel") == "does a cartwheel"
    assert canonical_prompt("arms up over the head") == "arms up over the head"  # no verb: unchanged
    # a long lead is not a subject: kept whole
    long = "on the far side of the old wooden bridge by the river he walks"
    assert canonical_prompt(long) == long


def test_action_verbs_are_inflected_like_english():
    from motion_studio.models.motion_verbs import ACTION_WORDS, inflections

    assert inflections("walk") == {"walk", "walks", "walking", "walked"}
    assert inflections("hop") == {"hop", "hops", "hopping", "hopped"}
    assert inflections("wave") == {"wave", "waves", "waving", "waved"}
    assert inflections("lie") >= {"lies", "lying", "lay"}
    assert inflections("hurry") == {"hurry", "hurries", "hurrying", "hurried"}
    assert inflections("stretch") >= {"stretches", "stretching"}
    assert {"leaps", "swims", "sidesteps", "backs", "sat", "stood"} <= ACTION_WORDS
    assert not {"back", "person", "guitarist", "arms", "the"} & ACTION_WORDS


def test_background_autoencoder_calls_base_family_inputs_unseen(tmp_path):
    r = AutoencoderRouter(DIM, hidden=8)
    cfg = RouterFitConfig(steps=300, seed=0)
    for i, name in enumerate(["jumping", "arms"]):
        r.fit_expert(name, None, cluster(i, 200, seed=i), cfg=cfg)
    base_like = cluster(2, 1, seed=7)
    lenient = dict(threshold_scale=1e6)  # every expert accepts everything
    assert not r.route(base_like, **lenient).unseen  # without a background AE it goes to an expert
    r.fit_background(cluster(2, 200, seed=3), cfg=cfg)
    res = r.route(base_like, **lenient)
    assert res.unseen and res.chosen is None and res.base_ratio is not None
    assert r.route(cluster(0, 1, seed=8), **lenient).chosen == "jumping"  # task inputs still reach experts
    r.save(tmp_path / "r.safetensors")
    back = AutoencoderRouter.load(tmp_path / "r.safetensors")
    assert back.background is not None and back.route(base_like, **lenient).unseen
    assert back.subset(["arms"]).background is back.background


def test_one_base_autoencoder_per_family_and_the_margin(tmp_path):
    """Two base families get their own autoencoders; either one makes its inputs unseen; the margin
    decides how much better a family must explain an input than the best accepting expert."""
    r = AutoencoderRouter(DIM, hidden=8)
    cfg = RouterFitConfig(steps=300, seed=0)
    r.fit_expert("jumping", None, cluster(0, 200, seed=0), cfg=cfg)
    x = torch.cat([cluster(2, 150, seed=3), cluster(3, 150, seed=4)])
    report = r.fit_background(x, cfg=cfg, families=["running"] * 150 + ["kicking"] * 150)
    assert sorted(report["families"]) == ["kicking", "running"] and r.background.names == ["kicking", "running"]
    lenient = dict(threshold_scale=1e6)
    assert r.route(cluster(2, 1, seed=7), **lenient).unseen
    assert r.route(cluster(3, 1, seed=8), **lenient).unseen
    task = cluster(0, 1, seed=9)
    res = r.route(task, **lenient)
    assert res.chosen == "jumping"
    # base_ratio is the lowest family ratio; a margin below expert/base makes the base win
    expert_ratio = res.experts[0].ratio
    r.base_margin = 0.99 * expert_ratio / res.base_ratio
    assert r.route(task, **lenient).unseen
    r.base_margin = 1.0
    r.save(tmp_path / "r.safetensors")
    back = AutoencoderRouter.load(tmp_path / "r.safetensors")
    assert back.background.names == ["kicking", "running"] and back.base_margin == 1.0
    back.base_margin = 2.0
    back.save(tmp_path / "r2.safetensors")
    assert AutoencoderRouter.load(tmp_path / "r2.safetensors").base_margin == 2.0
    with pytest.raises(InputError):
        r.fit_background(x, cfg=cfg, families=["running"])
