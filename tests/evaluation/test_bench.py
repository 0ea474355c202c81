"""The benchmark's method logic on a tiny synthetic world, and the smoke preset end to end."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from motion_studio.evaluation.bench import (
    METHODS, METRICS, BenchWorld, EvalItem, run_methods, summarise, threshold_sweep, write_results,
)
from motion_studio.models.experts import LoraSettings
from motion_studio.models.router import RouterFitConfig
from motion_studio.training.continual import ContinualConfig, TaskData
from tiny_models import tiny_motion_lm

NAMES = ["jumping", "arms", "walking"]
THEMES = {"jumping": "a person jumps up high", "arms": "a person waves both arms",
          "walking": "a person walks forward", "base": "a person stands still"}


def tiny_lm():
    return tiny_motion_lm(THEMES.values())


def sample(index: int, n: int, seed: int):
    """Captions/codes/embeddings of one synthetic family: codes from block `index` of 4."""
    from motion_studio.training.lm_data import make_m2t_example, make_t2m_example  # noqa: F401

    name = (NAMES + ["base"])[index]
    rng = np.random.default_rng(seed)
    centre = np.zeros(384, np.float32)
    centre[index * 10:(index + 1) * 10] = 1.0
    caps = [THEMES[name] + (" quickly" if i % 2 else "") for i in range(n)]
    codes = [[int(x) for x in rng.integers(index * 4, index * 4 + 4, size=6)] for _ in range(n)]
    embs = np.stack([centre + 0.05 * rng.standard_normal(384).astype(np.float32) for _ in range(n)])
    return name, caps, codes, embs


def make_world(model) -> BenchWorld:
    from motion_studio.training.lm_data import make_m2t_example, make_t2m_example

    tasks, items = [], {}
    for i in range(len(NAMES)):
        name, caps, codes, embs = sample(i, 40, seed=i)  # 40 router inputs, 12 training pairs
        ex = [e for c, k, m in list(zip(caps, codes, embs))[:12]
              for e in (make_t2m_example(model.tok, c, k, m), make_m2t_example(model.tok, k, c))]
        tasks.append(TaskData(name, THEMES[name], ex, caps, codes, embs))
        _, tcaps, tcodes, tembs = sample(i, 4, seed=10 + i)
        items[name] = [EvalItem(f"{name}{k}", name, c, [c], cd, e, make_t2m_example(model.tok, c, cd, e),
                                make_m2t_example(model.tok, cd, c))
                       for k, (c, cd, e) in enumerate(zip(tcaps, tcodes, tembs))]
    _, hcaps, hcodes, hembs = sample(3, 3, seed=99)
    heldout = [EvalItem(f"base{k}", "base", c, [c], cd, e) for k, (c, cd, e) in enumerate(zip(hcaps, hcodes, hembs))]

    def scorer(its, gen):
        """A transparent stand-in for the evaluator: share of generated codes in the item's block."""
        own = [np.mean([NAMES.index(it.task) * 4 <= g < NAMES.index(it.task) * 4 + 4 for g in codes])
               for it, codes in zip(its, gen)]
        return {"t2m_rprec3": 100 * float(np.mean(own)), "t2m_fid": 1 - float(np.mean(own)),
                "t2m_mm_dist": float(np.mean([abs(len(g) - len(it.codes)) for it, g in zip(its, gen)])),
                "t2m_diversity": float(len({c for g in gen for c in g}))}

    return BenchWorld(model, tasks, items, heldout, scorer)


CFG = ContinualConfig(lora=LoraSettings(r=2, alpha=4, dropout=0.0, targets=("q_proj", "v_proj")),
                      steps_per_task=3, lr=5e-3, batch_size=8, warmup=0, bf16=False, router_hidden=8,
                      router=RouterFitConfig(steps=150, holdout=0.25, n_std=4.0), t2m_source="sentence")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    world = make_world(tiny_lm())
    results = run_methods(world, CFG, work, progress=False)
    return world, results, work


def test_results_have_every_method_metric_and_shape(bench_run):
    _, res, _ = bench_run
    assert res["tasks"] == NAMES
    assert set(res["methods"]) == set(METHODS)
    for m, entry in res["methods"].items():
        assert set(entry["matrices"]) == set(METRICS)
        for r in entry["matrices"].values():
            assert np.asarray(r).shape == (3, 3)
        for stat in ("ACC", "BWT", "FWT", "forgetting"):
            assert set(entry[stat]) == set(METRICS)
        assert set(entry["routing_accuracy"]) == {"t2m", "m2t"}


def test_joint_rows_repeat_and_oracle_cells_are_frozen(bench_run):
    _, res, _ = bench_run
    joint = np.asarray(res["methods"]["joint"]["matrices"]["m2t_token_acc"])
    assert np.allclose(joint, joint[0])
    assert res["methods"]["joint"]["BWT"]["m2t_token_acc"] == pytest.approx(0.0)
    oracle = np.asarray(res["methods"]["oracle"]["matrices"]["t2m_token_acc"])
    for i in range(3):
        for j in range(i + 1):  # a frozen expert scores the same on its task at every later stage
            assert oracle[i, j] == pytest.approx(oracle[j, j])
    assert res["methods"]["oracle"]["BWT"]["t2m_token_acc"] == pytest.approx(0.0)
    # tasks not yet learned run on the base model
    assert oracle[0, 2] == pytest.approx(res["base_model"]["t2m_token_acc"][2])


def test_routing_on_separated_tasks_is_exact_and_moe_matches_oracle(bench_run):
    _, res, _ = bench_run
    r = res["routing"]
    assert r["accuracy"]["t2m"] == 100.0
    assert np.asarray(r["confusion"]["t2m"]).sum() == 3 * 4 + 3
    # with every seen item routed to its own expert, hard MoE reproduces the oracle on seen tasks
    moe = np.asarray(res["methods"]["moe_hard"]["matrices"]["t2m_token_acc"])
    oracle = np.asarray(res["methods"]["oracle"]["matrices"]["t2m_token_acc"])
    seen = np.tril(np.ones((3, 3), bool))
    assert np.allclose(moe[seen], oracle[seen])
    assert res["methods"]["moe_hard"]["routing_accuracy"]["t2m"] == 100.0
    assert res["methods"]["joint"]["routing_accuracy"]["t2m"] is None


def test_threshold_sweep_refits_the_shipped_routers_exactly(bench_run):
    """The sweep's row at the config's own n_std is the benchmark's router, refitted: same numbers."""
    world, res, _ = bench_run
    sweep = threshold_sweep(world, CFG, n_stds=(0.5, CFG.router.n_std))
    for d in ("t2m", "m2t"):
        low, own = sweep[d]
        assert own["n_std"] == CFG.router.n_std and own["n"] == 12
        assert own["accuracy"] == pytest.approx(res["routing"]["accuracy"][d])
        assert own["unseen_rate_heldout"] == pytest.approx(res["routing"]["unseen_rate_heldout"][d])
        assert low["unseen_rate"] >= own["unseen_rate"]  # a tighter threshold calls more inputs unseen
        assert low["argmin_accuracy"] == own["argmin_accuracy"]  # same autoencoders, other threshold


def test_sequential_snapshots_one_moving_adapter(bench_run):
    from safetensors.torch import load_file

    _, _, work = bench_run
    snaps = [load_file(str(work / "sequential" / f"stage_{i}.safetensors")) for i in range(3)]
    assert snaps[0].keys() == snaps[2].keys() and all("sequential" in k for k in snaps[0])
    assert any(not torch.equal(snaps[0][k], snaps[2][k]) for k in snaps[0])  # it kept training


def test_resume_does_not_retrain(bench_run, monkeypatch):
    world, res, work = bench_run
    import motion_studio.training.continual as continual

    monkeypatch.setattr(continual, "train_expert", lambda *a, **k: (_ for _ in ()).throw(AssertionError("retrained")))
    again = run_methods(make_world(tiny_lm()), CFG, work, progress=False)
    assert again["methods"]["oracle"]["matrices"] == res["methods"]["oracle"]["matrices"]


def test_write_results_makes_json_and_plots(bench_run, tmp_path):
    _, res, _ = bench_run
    write_results({"preset": "test", "command": "pytest", **res}, tmp_path, {"x": 1})
    loaded = json.loads((tmp_path / "results.json").read_text())
    assert loaded["preset"] == "test" and set(loaded["methods"]) == set(METHODS)
    for png in ("matrix_t2m_rprec3.png", "matrix_m2t_bleu4.png", "router_confusion.png", "acc_bwt.png"):
        assert (tmp_path / png).stat().st_size > 1000
    assert (tmp_path / "config.json").exists()


def test_summarise_negates_lower_is_better():
    mats = {m: [[1.0, 0.0], [3.0, 1.0]] for m in METRICS}  # task 0 score rises 1 -> 3
    s = summarise(mats, {m: [0.0, 0.0] for m in METRICS})
    assert s["BWT"]["t2m_rprec3"] == pytest.approx(2.0)  # higher is better: it improved
    assert s["BWT"]["t2m_fid"] == pytest.approx(-2.0)  # FID went up: that is forgetting


@pytest.mark.slow
def test_smoke_preset_end_to_end(tmp_path, monkeypatch):
    """Corpus, tasks, tiny foundation, evaluator, seven methods: the CI run (~35 s here)."""
    import sys

    from motion_studio.cli import main

    argv = ["bench", "--preset", "smoke", "--out", str(tmp_path), "--device", "cpu"]
    monkeypatch.setattr(sys, "argv", ["motion-studio", *argv])  # the command recorded in results.json
    assert main(argv) == 0
    res = json.loads((tmp_path / "results.json").read_text())
    assert res["preset"] == "smoke" and res["command"].startswith("motion-studio bench --preset smoke")
    n = len(res["tasks"])
    assert n == 5
    assert set(res["methods"]) == set(METHODS)
    for entry in res["methods"].values():
        assert {"matrices", "ACC", "BWT", "FWT", "forgetting", "routing_accuracy"} <= set(entry)
        for r in entry["matrices"].values():
            assert np.asarray(r, dtype=float).shape == (n, n)
    assert np.asarray(res["routing"]["confusion"]["m2t"]).shape == (n + 1, n + 1)
    for d in ("t2m", "m2t"):
        assert [row["n_std"] for row in res["threshold_sweep"][d]] == [2.0, 2.5, 3.0]
        everything = res["routing_all_test"][d]
        assert everything["n"] >= 1 and set(everything["per_task"]) == set(res["tasks"])
        assert 0.0 <= everything["accuracy"] <= 100.0
    assert (tmp_path / "config.json").exists() and (tmp_path / "acc_bwt.png").exists()
    sixth = res["sixth_task"]  # learned after the five, as `motion-studio learn` does (None: no kicks)
    if sixth is not None:
        assert sixth["name"] == "kicking" and set(sixth["metrics"]) == set(METRICS)
        assert set(sixth["routing_accuracy"]) == {"t2m", "m2t"} and set(sixth["BWT_first_five"]) == set(METRICS)
        assert sixth["train_seconds"] > 0


def test_row_token_accuracy_matches_one_by_one():
    from motion_studio.evaluation.bench import row_token_accuracy
    from motion_studio.training.lm_data import collate

    model = tiny_lm()
    _, caps, codes, embs = sample(0, 3, seed=5)
    from motion_studio.training.lm_data import make_m2t_example, make_t2m_example

    exs = [make_t2m_example(model.tok, caps[0], codes[0], embs[0]), None,
           make_m2t_example(model.tok, codes[1], caps[1]), make_m2t_example(model.tok, codes[2], caps[2] + " slowly")]
    rows = row_token_accuracy(model, exs)
    assert rows[1] == (0, 0)
    for ex, row in zip(exs, rows):
        if ex is not None:
            assert row == model.token_accuracy(collate([ex], model.tok.pad_id))


def test_bench_forgets_baselines_of_another_foundation(tmp_path):
    """A retrained checkpoint benchmarked into the same folder must not resume the old adapters."""
    from types import SimpleNamespace

    from motion_studio.evaluation.bench.world import reset_stale_methods

    root = tmp_path / "ckpt"
    (root / "backbone").mkdir(parents=True)
    (root / "backbone" / "backbone.safetensors").write_bytes(b"old weights")
    (root / "tasks.json").write_text("{}")
    ck = SimpleNamespace(root=root, tasks_file=root / "tasks.json")
    methods = tmp_path / "work" / "methods"
    reset_stale_methods(methods, ck)
    (methods / "stages.json").write_text('{"done": ["seq:0"]}')
    reset_stale_methods(methods, ck)  # same foundation: the finished stages stay
    assert (methods / "stages.json").exists()
    (root / "backbone" / "backbone.safetensors").write_bytes(b"retrained weights")
    reset_stale_methods(methods, ck)  # another foundation: start over
    assert not (methods / "stages.json").exists() and (methods / "foundation.json").exists()


def test_router_inputs_are_made_once_per_input(monkeypatch):
    """The routing studies route the same test inputs again and again: the second time every row
    comes from the world's cache, equal to a fresh computation, in the items' order."""
    import motion_studio.models.router_inputs as ri
    from motion_studio.evaluation.bench.world import router_inputs

    world = make_world(tiny_lm())
    items = world.eval_items["arms"] + world.eval_items["jumping"]
    fresh = {"t2m": ri.t2m_vectors(world.model, [it.caption for it in items], "sentence",
                                   np.stack([it.sent_emb for it in items])),
             "m2t": ri.m2t_vectors(world.model, [it.codes for it in items], "motion_tokens")}
    first = router_inputs(world, items[:3], "sentence")
    calls = []
    for name in ("t2m_vectors", "m2t_vectors"):
        real = getattr(ri, name)
        monkeypatch.setattr(ri, name, lambda *a, _real=real, **k: calls.append(len(a[1])) or _real(*a, **k))
    again = router_inputs(world, items, "sentence")
    new_codes = {tuple(it.codes) for it in items[3:]} - {tuple(it.codes) for it in items[:3]}
    assert calls == [len(items) - 3, len(new_codes)]  # only inputs not seen before, each once
    for d in ("t2m", "m2t"):
        assert torch.allclose(first[d], fresh[d][:3])
        assert torch.allclose(again[d], fresh[d], atol=1e-6)
