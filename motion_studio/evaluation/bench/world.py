"""The benchmark's world: a frozen MotionLM, the tasks' data, the test items and the T2M scorer,
from a checkpoint or from the pipeline's own first stages (training.pipeline.build_foundation)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np


@dataclass
class EvalItem:
    """One test clip: the prompt/caption pair used both ways, plus teacher-forced examples."""

    uid: str
    task: str  # task name or "base" (held-out base-family input)
    caption: str
    refs: list[str]
    codes: list[int]
    sent_emb: np.ndarray
    t2m_example: object = None
    m2t_example: object = None


T2MScorer = Callable[[list[EvalItem], list[list[int]]], dict]  # items, generated codes -> T2M_METRICS


@dataclass
class BenchWorld:
    """Everything the methods need: a frozen MotionLM, the tasks' data, the test items, a scorer."""

    model: object
    tasks: list  # continual.TaskData, in task order
    eval_items: dict[str, list[EvalItem]]  # task name -> items
    heldout: list[EvalItem]  # base-family test items (for the unseen rate)
    scorer: T2MScorer
    parts: object = None  # models.agent_parts.AgentParts from a checkpoint (experts + routers), if any
    routing_items: dict = field(default_factory=dict)  # task name or "base" -> one item per test caption
    # what the sixth task (bench/sixth.py) learns from; absent in hand-built test worlds
    split: object = None  # data.tasks.TaskSplit
    dataset: object = None
    codes: dict | None = None
    encoder: object = None
    vqvae: object = None
    m2t_source: str = "motion_tokens"  # how the motion routers read a clip (models/router_inputs)
    # (direction, source, caption + its embedding, or codes) -> router vector: the routing studies route the same test
    # inputs many times, and a decoded-motion summary or a rewritten prompt's embedding is not free
    input_cache: dict = field(default_factory=dict)


def bench_config(p, checkpoint=None, parts=None):
    """The continual config the baselines (and router refits) use: the preset's, and with a
    checkpoint its own recorded settings, so baselines train exactly as long as its experts did."""
    from ...training.presets import continual_config

    cfg = continual_config(p.train, parts.bank.settings if parts is not None else None)
    if checkpoint is None:
        return cfg
    cfg.t2m_source = checkpoint.t2m_source
    cfg.m2t_source = checkpoint.m2t_source
    trained = checkpoint.continual_config
    for key in ("steps_per_task", "lr", "batch_size", "warmup", "time_budget_per_task_s", "router_hidden"):
        if key in trained:
            setattr(cfg, key, trained[key])
    if trained.get("router"):  # router refits (sweeps, input comparison) as the checkpoint's were fitted
        from ...training.continual import ContinualConfig

        recorded = ContinualConfig.from_dict(trained)
        for key in ("router", "router_m2t", "router_hidden_m2t", "router_rank", "router_data"):
            setattr(cfg, key, getattr(recorded, key))
    return cfg


def foundation_stamp(ck) -> dict:
    """What the baselines in a bench work folder were trained on: the frozen backbone and the tasks."""
    from ...checkpoint import sha256_file

    return {"backbone": sha256_file(ck.root / "backbone" / "backbone.safetensors"),
            "tasks": sha256_file(ck.tasks_file)}


def reset_stale_methods(methods_dir: Path, ck) -> None:
    """Forget resumable baselines trained on another foundation or task split (a retrained
    checkpoint benchmarked into the same folder must not reuse the old model's adapters)."""
    import json
    import shutil

    stamp = foundation_stamp(ck)
    path = methods_dir / "foundation.json"
    if methods_dir.exists():
        try:
            same = json.loads(path.read_text()) == stamp
        except (OSError, ValueError):
            same = False
        if not same:
            shutil.rmtree(methods_dir)
    methods_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1))


def build_world(p, work: Path, checkpoint=None, progress: bool = True):
    """Load (or make, through the training pipeline's stages) the frozen foundation, the tasks'
    data, test items and the T2M scorer. Returns (world, continual config)."""
    from ...checkpoint import Checkpoint
    from ...models.sentence import get_sentence_encoder
    from ...training.continual import task_data

    work.mkdir(parents=True, exist_ok=True)
    if checkpoint:
        ck = Checkpoint(checkpoint)
        split = ck.tasks  # a CheckpointError when the folder holds no trained agent
    else:
        from ...training.pipeline import build_foundation

        ck = build_foundation(p.train, work, progress=progress).checkpoint()
        split = ck.tasks
    reset_stale_methods(work / "methods", ck)
    ds = ck.dataset(progress)
    model = ck.backbone()
    codes = ck.codes()
    enc = get_sentence_encoder()
    parts = ck.parts(model) if checkpoint else None
    cfg = bench_config(p, ck if checkpoint else None, parts)
    seed = p.train.seed
    vqvae = ck.vqvae()
    tasks = [task_data(t, ds, codes, enc, model, seed, vqvae=vqvae, data_cfg=cfg.router_data) for t in split.tasks]
    eval_items = {t.name: _items(t.name, (t.test or t.val)[:p.eval_items_per_task], ds, codes, enc, model)
                  for t in split.tasks}
    heldout = _items("base", (split.base.test or split.base.val)[:p.heldout_items], ds, codes, enc, model)
    routing_items = {t.name: _caption_items(t.name, t.test or t.val, ds, codes, enc, model)
                     for t in split.tasks + [split.base]}
    world = BenchWorld(model, tasks, eval_items, heldout, make_scorer(vqvae, ck.evaluator(), ds), parts,
                       routing_items, split, ds, codes, enc, vqvae, cfg.m2t_source)
    return world, cfg


def _items(task: str, ids, ds, codes, enc, model) -> list[EvalItem]:
    from ...models.sequences import make_m2t_example, make_t2m_example

    out = []
    for cid in ids:
        caps = [c.caption for c in ds.texts(cid)]
        if cid not in codes or not caps:
            continue
        c = codes[cid][:model.cfg.max_codes]
        emb = enc.embed([caps[0]])[0]
        out.append(EvalItem(cid, task, caps[0], caps, c, emb, make_t2m_example(model.tok, caps[0], c, emb),
                            make_m2t_example(model.tok, c, caps[0])))
    return out


def _caption_items(task: str, ids, ds, codes, enc, model) -> list[EvalItem]:
    """Every caption of every clip as its own item (routing only: no LM examples)."""
    rows = [(cid, k, c.caption) for cid in ids if cid in codes for k, c in enumerate(ds.texts(cid))]
    embs = enc.embed([r[2] for r in rows]) if rows else []
    return [EvalItem(f"{cid}#{k}", task, cap, [], codes[cid][:model.cfg.max_codes], e)
            for (cid, k, cap), e in zip(rows, embs)]


def router_inputs(world: BenchWorld, items: list[EvalItem], t2m_source: str, directions=("t2m", "m2t"),
                  m2t_source: str | None = None) -> dict:
    """{"t2m": prompt vectors of the items' captions, "m2t": motion vectors of their codes}."""
    from ...models.router_inputs import m2t_vectors, t2m_vectors

    m2t_source = m2t_source or world.m2t_source
    make = {"t2m": lambda its: t2m_vectors(world.model, [it.caption for it in its], t2m_source,
                                           np.stack([it.sent_emb for it in its])),
            "m2t": lambda its: m2t_vectors(world.model, [it.codes for it in its], m2t_source, world.vqvae)}
    key = {"t2m": lambda it: ("t2m", t2m_source, it.caption, np.asarray(it.sent_emb, np.float32).tobytes()),
           "m2t": lambda it: ("m2t", m2t_source, tuple(it.codes))}
    return {d: _cached(world.input_cache, [key[d](it) for it in items], items, make[d]) for d in directions}


def _cached(cache: dict, keys: list, items: list, make):
    """Rows for `keys`: the ones not in `cache` are made in one batched `make` call and kept."""
    import torch

    if not keys:
        return make(items)
    todo = {}
    for k, it in zip(keys, items):
        if k not in cache:
            todo.setdefault(k, it)
    if todo:
        cache.update(zip(todo, make(list(todo.values()))))
    return torch.stack([cache[k] for k in keys])


def make_scorer(vqvae, evaluator, ds) -> T2MScorer:
    """T2M metrics of generated codes: decode with the VQ-VAE, embed with the evaluator."""
    import torch

    from ...models.evaluator import t2m_metrics

    decoded: dict[tuple, np.ndarray] = {}  # the same codes come back often (frozen experts)

    def features(codes: list[int]) -> np.ndarray:
        key = tuple(codes) or (0,)
        if key not in decoded:
            with torch.no_grad():
                feats = vqvae.denormalize(vqvae.decode(torch.tensor([list(key)]))[0]).numpy()
            decoded[key] = evaluator.normalise(feats)
        return decoded[key]

    def score(items: list[EvalItem], gen_codes: list[list[int]]) -> dict:
        gen = [features(g) for g in gen_codes]
        real = [evaluator.normalise(np.asarray(ds.features(it.uid), np.float32)) for it in items]
        m = t2m_metrics(evaluator, gen, real, np.stack([it.sent_emb for it in items]))
        return {"t2m_rprec3": 100.0 * m["rprec3"], "t2m_fid": m["fid"], "t2m_mm_dist": m["mm_dist"],
                "t2m_diversity": m["diversity"]}

    return score
