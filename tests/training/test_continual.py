"""Continual training on a tiny MotionLM and three synthetic tasks (seconds, not minutes)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from motion_studio.models.agent_parts import AgentParts
from motion_studio.models.experts import LoraSettings
from motion_studio.models.router import RouterFitConfig
from motion_studio.training.continual import (
    ContinualConfig, TaskData, learn_new_task, train_task_sequence,
)
from tiny_models import tiny_motion_lm

THEMES = {"jumping": "a person jumps up high", "arms": "a person waves both arms",
          "walking": "a person walks forward", "sitstand": "a person sits down on a chair"}


def tiny_lm():
    return tiny_motion_lm(THEMES.values())


def make_task(model, index: int, name: str, n: int = 12) -> TaskData:
    """Captions on one theme; codes drawn from a task-specific block of 4 codes; a sentence
    embedding clustered per task (stands in for MiniLM, so nothing heavy loads)."""
    from motion_studio.training.lm_data import make_m2t_example, make_t2m_example

    rng = np.random.default_rng(index)
    centre = np.zeros(384, np.float32)
    centre[index * 10:(index + 1) * 10] = 1.0
    captions, codes, embs, examples = [], [], [], []
    for i in range(n):
        cap = THEMES[name] + (" quickly" if i % 2 else "")
        c = [int(x) for x in rng.integers(index * 4, index * 4 + 4, size=6)]
        e = centre + 0.05 * rng.standard_normal(384).astype(np.float32)
        captions.append(cap)
        codes.append(c)
        embs.append(e)
        examples.append(make_t2m_example(model.tok, cap, c, e))
        examples.append(make_m2t_example(model.tok, c, cap))
    return TaskData(name, THEMES[name], examples, captions, codes, np.stack(embs))


CFG = ContinualConfig(lora=LoraSettings(r=2, alpha=4, dropout=0.0, targets=("q_proj", "v_proj"), ortho_lambda=0.5),
                      steps_per_task=4, lr=5e-3, batch_size=8, warmup=0, bf16=False, router_hidden=8,
                      router=RouterFitConfig(steps=150, holdout=0.0), t2m_source="sentence")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    pytest.importorskip("motion_studio.training.lm_train")
    out = tmp_path_factory.mktemp("continual")
    model = tiny_lm()
    tasks = [make_task(model, i, n) for i, n in enumerate(["jumping", "arms", "walking"])]
    parts = train_task_sequence(model, tasks, CFG, out, progress=False)
    return model, tasks, parts, out


def test_sequence_trains_every_expert_and_router(trained):
    model, tasks, parts, out = trained
    assert parts.bank.names == ["jumping", "arms", "walking"]
    assert parts.router_t2m.names == parts.bank.names == parts.router_m2t.names
    state = json.loads((out / "continual_state.json").read_text())
    assert state["done"] == ["jumping", "arms", "walking"]
    for name in state["done"]:
        assert (out / "experts" / name / "adapter_model.safetensors").exists()
        assert state["reports"][name]["router"]["m2t"]["threshold"] > 0
    assert not parts.bank.trainable_parameters()  # nothing left trainable after training


def test_routers_pick_each_tasks_expert(trained):
    model, tasks, parts, _ = trained
    from motion_studio.models.router_inputs import route_m2t, route_t2m

    for t in tasks:
        for caption, codes, emb in zip(t.captions[:4], t.codes[:4], t.sent_embs[:4]):
            assert route_t2m(parts.router_t2m, model, caption, "sentence", sent_emb=emb).chosen == t.name
            r = route_m2t(parts.router_m2t, model, codes)
            assert min(r.experts, key=lambda e: e.error).name == t.name


def test_earlier_expert_is_bit_identical_after_later_tasks(tmp_path):
    pytest.importorskip("motion_studio.training.lm_train")
    model = tiny_lm()
    tasks = [make_task(model, i, n) for i, n in enumerate(["jumping", "arms"])]
    parts = train_task_sequence(model, tasks[:1], CFG, tmp_path / "a", progress=False)
    first = parts.bank.adapter_state("jumping")
    assert any(v.abs().sum() > 0 for k, v in first.items() if "lora_B" in k)  # it did train
    learn_new_task(parts, tasks[1], CFG, progress=False)
    after = parts.bank.adapter_state("arms")
    assert any(v.abs().sum() > 0 for k, v in after.items() if "lora_B" in k)
    again = parts.bank.adapter_state("jumping")
    assert all(torch.equal(first[k], again[k]) for k in first)
    assert parts.router_m2t.names == ["jumping", "arms"]


def test_resume_skips_finished_tasks(trained, monkeypatch):
    _, tasks, parts, out = trained
    import motion_studio.training.continual as continual

    def no_training(*args, **kwargs):
        raise AssertionError("a finished task was trained again")

    monkeypatch.setattr(continual, "train_expert", no_training)
    fresh = tiny_lm()
    back = train_task_sequence(fresh, tasks, CFG, out, progress=False)
    assert back.bank.names == parts.bank.names
    x = torch.tensor(tasks[0].sent_embs[:3])
    assert torch.equal(back.router_t2m.errors(x), parts.router_t2m.errors(x))


def test_parts_load_roundtrip(trained):
    model, tasks, parts, out = trained
    loaded = AgentParts.load(tiny_lm(), out)
    assert loaded.bank.names == parts.bank.names
    assert loaded.router_m2t.themes == parts.router_m2t.themes


class _BlockVQ:
    """A stand-in VQ decoder: code c becomes 4 frames with channel 4 + c // 4 raised (one per task block)."""

    def codes_to_features(self, codes):
        out = np.zeros((4 * len(codes), 263), np.float32)
        for i, c in enumerate(codes):
            out[4 * i:4 * i + 4, 4 + int(c) // 4] = 1.0 + 0.1 * (c % 4)
        return out


def test_motion_stats_router_fits_from_decoded_motion_and_one_direction_at_a_time():
    from dataclasses import replace

    from motion_studio.models.router_inputs import route_m2t_batch
    from motion_studio.training.continual import fit_task_routers, new_routers

    model = tiny_lm()
    tasks = [make_task(model, i, n) for i, n in enumerate(["jumping", "arms", "walking"])]
    cfg = replace(CFG, m2t_source="motion_stats")
    parts = AgentParts(model, None, *new_routers(model, cfg))
    assert parts.router_m2t.input_source == "motion_stats" and parts.router_m2t.input_dim == 548
    for i, t in enumerate(tasks):
        report = fit_task_routers(model, parts, t, cfg, seed_offset=i, vqvae=_BlockVQ(), directions=("m2t",))
        assert set(report) == {"m2t"}
    assert parts.router_t2m.n_experts == 0 and parts.router_m2t.names == ["jumping", "arms", "walking"]
    for t in tasks:
        routes = route_m2t_batch(parts.router_m2t, model, t.codes, vqvae=_BlockVQ())
        assert [r.nearest for r in routes] == [t.name] * len(t.codes)
        assert {r.chosen for r in routes} <= {t.name, None}  # a few may sit above mean + 2 std
