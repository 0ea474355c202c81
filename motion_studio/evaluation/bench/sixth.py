"""The benchmark's sixth task: after the five, one more task learned as `motion-studio learn` does.

The built-in corpus' kicks live in the base split (no expert knows them). One more LoRA expert is
trained on the base split's kick clips with the five task experts frozen (O-LoRA penalty against
those five, as continual training does), and its two router autoencoders are fitted; nothing else
moves. Recorded:
  metrics           the sixth task's test clips, routed by the six-expert router;
  routing_accuracy  share of those test clips' captions (T2M) and motions (M2T) routed to it;
  BWT_first_five    mean change of each metric on the first five tasks' test items, routed by the
                    six-expert router, against the five-expert moe_hard row (negative = forgetting);
  train_seconds     training the expert and fitting its autoencoders.
"""
from __future__ import annotations

import re
import time

import numpy as np

from .report import METRICS, RAW_CAPTIONS, cell_scores, row_token_accuracy
from .world import BenchWorld, _caption_items, _items, router_inputs

SIXTH = {"name": "kicking", "theme": "kicking", "match": ("kick", "kicks", "kicking")}


def _matching(ds, ids, words) -> list[str]:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    return [c for c in ids if any(pattern.search(t.caption) for t in ds.texts(c))]


def _rows(world: BenchWorld, parts, items, source: str) -> tuple[list[dict], list, list]:
    """Route `items` with the current routers (hard), generate both ways, return cell rows and routes."""
    from ...models.generation import caption_codes, generate_codes, run_grouped

    x = router_inputs(world, items, source)
    r_t2m, r_m2t = parts.router_t2m.route_batch(x["t2m"]), parts.router_m2t.route_batch(x["m2t"])
    b_t2m, b_m2t = [r.blend for r in r_t2m], [r.blend for r in r_m2t]
    codes = generate_codes(parts, [it.caption for it in items], [it.sent_emb for it in items], b_t2m,
                           n_codes=[len(it.codes) for it in items])
    caps = caption_codes(parts, [it.codes for it in items], b_m2t, known_words=RAW_CAPTIONS)
    acc_t = run_grouped(parts, b_t2m, lambda idx: row_token_accuracy(world.model, [items[i].t2m_example for i in idx]))
    acc_m = run_grouped(parts, b_m2t, lambda idx: row_token_accuracy(world.model, [items[i].m2t_example for i in idx]))
    rows = [{"codes": c, "t2m_acc": a, "caption": cap, "m2t_acc": b} for c, a, cap, b in zip(codes, acc_t, caps, acc_m)]
    return rows, r_t2m, r_m2t


def learn_sixth_task(world: BenchWorld, parts, cfg, results: dict, n_items: int = 32) -> dict | None:
    """Train, fit and score the sixth task (see the module doc); None when the corpus has no kicks."""
    from ...data.tasks import Task
    from ...training.continual import fit_task_routers, task_data, train_expert

    ds, codes, enc, model = world.dataset, world.codes, world.encoder, world.model
    names = [t.name for t in world.tasks]
    train_ids = [c for c in _matching(ds, world.split.base.train, SIXTH["match"]) if c in codes]
    test_ids = [c for c in _matching(ds, world.split.base.test, SIXTH["match"]) if c in codes]
    if len(train_ids) < 4 or not test_ids:
        return None
    task = Task(index=len(names), name=SIXTH["name"], theme=SIXTH["theme"], keywords=list(SIXTH["match"]),
                train=train_ids)
    data = task_data(task, ds, codes, enc, model, cfg.seed, vqvae=world.vqvae, data_cfg=cfg.router_data)
    t0 = time.perf_counter()
    train_expert(model, parts.bank, task.name, data.examples, cfg, theme=task.theme, previous=names,
                 progress=False, seed_offset=len(names))
    fit_task_routers(model, parts, data, cfg, seed_offset=len(names), vqvae=world.vqvae)
    if parts.router_t2m.background is not None:  # as `learn` does: kicks are no longer "no task"
        from ...training.continual import base_family_data, fit_background_routers

        base = base_family_data(world.split, ds, codes, enc, model, cfg.seed, vqvae=world.vqvae,
                                data_cfg=cfg.router_data, exclude=train_ids)
        fit_background_routers(model, parts, base, cfg, vqvae=world.vqvae)
    seconds = time.perf_counter() - t0

    source = parts.router_t2m.input_source
    items = _items(task.name, test_ids[:n_items], ds, codes, enc, model)
    rows, _, _ = _rows(world, parts, items, source)
    metrics = cell_scores(world, items, rows)
    captions = _caption_items(task.name, test_ids, ds, codes, enc, model)
    x = router_inputs(world, captions, source, ("t2m",))["t2m"]
    t2m_ok = [r.chosen == task.name for r in parts.router_t2m.route_batch(x)]
    m2t_ok = [r.chosen == task.name for r in parts.router_m2t.route_batch(router_inputs(world, items, source, ("m2t",))["m2t"])]

    before = results["methods"]["moe_hard"]["matrices"]
    bwt: dict[str, float] = {}
    after_rows = {t: _rows(world, parts, world.eval_items[t], source)[0] for t in names}
    after = {t: cell_scores(world, world.eval_items[t], after_rows[t]) for t in names}
    for m, higher in METRICS.items():
        deltas = [after[t][m] - before[m][-1][j] for j, t in enumerate(names)]
        bwt[m] = float(np.mean(deltas) if higher else -np.mean(deltas))
    return {"name": task.name, "theme": task.theme, "train_clips": len(train_ids), "test_clips": len(test_ids),
            "metrics": metrics,
            "routing_accuracy": {"t2m": round(100.0 * float(np.mean(t2m_ok)), 1),
                                 "m2t": round(100.0 * float(np.mean(m2t_ok)), 1)},
            "BWT_first_five": bwt, "first_five_after": after, "train_seconds": round(seconds, 1)}
