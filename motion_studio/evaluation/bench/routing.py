"""Routing studies of the benchmark: router decisions per stage (for the methods' plans),
routing accuracy and confusion, routing on every test input, the T2M input-source comparison
and the unseen-threshold sweep. Routers only read frozen input embeddings, so refits are cheap."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .world import BenchWorld, EvalItem, router_inputs


@dataclass
class RouteTables:
    """Router decisions per direction, stage and item, computed once."""

    hard: dict = field(default_factory=dict)  # (direction, stage, uid) -> RouteResult
    soft: dict = field(default_factory=dict)


def route_all(world: BenchWorld, parts, t2m_source: str, k: int = 2) -> RouteTables:
    items = [it for t in world.tasks for it in world.eval_items[t.name]] + list(world.heldout)
    names = [t.name for t in world.tasks]
    x = router_inputs(world, items, t2m_source)
    routers = {"t2m": parts.router_t2m, "m2t": parts.router_m2t}
    tables = RouteTables()
    for d in ("t2m", "m2t"):
        for i in range(len(names)):
            sub = routers[d].subset(names[:i + 1])
            for it, h, s in zip(items, sub.route_batch(x[d], "hard"), sub.route_batch(x[d], "soft", k=k)):
                tables.hard[(d, i, it.uid)] = h
                tables.soft[(d, i, it.uid)] = s
    return tables


def routing_report(world: BenchWorld, tables: RouteTables, names: list[str]) -> dict:
    """Routing accuracy after the last task, confusion matrices and unseen rates, per direction."""
    last = len(names) - 1
    cols = names + ["base"]
    rep = {"labels_true": names + ["heldout_base"], "labels_chosen": cols,
           "accuracy": {}, "confusion": {}, "unseen_rate_heldout": {}, "unseen_rate_seen": {}}
    for d in ("t2m", "m2t"):
        conf = np.zeros((len(names) + 1, len(cols)), dtype=int)
        hits = total = unseen_seen = 0
        for row, name in enumerate(names):
            for it in world.eval_items[name]:
                r = tables.hard[(d, last, it.uid)]
                conf[row, cols.index(r.chosen or "base")] += 1
                hits += r.chosen == name
                unseen_seen += r.unseen
                total += 1
        held = [tables.hard[(d, last, it.uid)] for it in world.heldout]
        for r in held:
            conf[-1, cols.index(r.chosen or "base")] += 1
        rep["accuracy"][d] = 100.0 * hits / max(total, 1)
        rep["confusion"][d] = conf.tolist()
        rep["unseen_rate_seen"][d] = 100.0 * unseen_seen / max(total, 1)
        rep["unseen_rate_heldout"][d] = 100.0 * sum(r.unseen for r in held) / len(held) if held else None
    return rep


def routing_on_all_test(world: BenchWorld, parts, source: str) -> dict:
    """Hard routing of the final agent on every test caption (T2M) and every test clip (M2T) of
    each task, and the unseen rate on the base split's test inputs: a larger sample than the
    benchmark's generation items."""
    names = [t.name for t in world.tasks]
    out = {}
    for d, router in (("t2m", parts.router_t2m), ("m2t", parts.router_m2t)):
        seen_ok = seen_n = unseen_seen = 0
        per_task = {}
        for name in names + ["base"]:
            items = world.routing_items.get(name, [])
            if d == "m2t":  # one input per clip
                items = list({it.uid.split("#")[0]: it for it in items}.values())
            if not items:
                continue
            routes = router.route_batch(router_inputs(world, items, source, (d,))[d], "hard")
            if name == "base":
                out[f"{d}_unseen_rate_base_test"] = 100.0 * float(np.mean([r.unseen for r in routes]))
                continue
            hits = sum(r.chosen == name for r in routes)
            per_task[name] = 100.0 * hits / len(routes)
            seen_ok, seen_n = seen_ok + hits, seen_n + len(routes)
            unseen_seen += sum(r.unseen for r in routes)
        out[d] = {"accuracy": 100.0 * seen_ok / max(seen_n, 1), "n": seen_n, "per_task": per_task,
                  "unseen_rate_seen": 100.0 * unseen_seen / max(seen_n, 1)}
    return out


def _fit_routers(world: BenchWorld, cfg):
    """(T2M router, M2T router) fitted exactly as continual training fits them, on every task."""
    from ...models.agent_parts import AgentParts
    from ...training.continual import fit_task_routers, new_routers

    parts = AgentParts(world.model, None, *new_routers(world.model, cfg))
    for i, t in enumerate(world.tasks):
        fit_task_routers(world.model, parts, t, cfg, seed_offset=i, vqvae=world.vqvae)
    return parts.router_t2m, parts.router_m2t


def _route_scores(router, x, truth: list[str]) -> dict:
    routes = router.route_batch(x, "hard")
    best = [min(r.experts, key=lambda e: e.error).name for r in routes]
    return {"n": len(truth),
            "accuracy": 100.0 * float(np.mean([r.chosen == t for r, t in zip(routes, truth)])),
            "argmin_accuracy": 100.0 * float(np.mean([b == t for b, t in zip(best, truth)])),
            "unseen_rate": 100.0 * float(np.mean([r.unseen for r in routes]))}


def compare_t2m_sources(world: BenchWorld, cfg, paraphrases: dict[str, list[str]] | None = None) -> dict:
    """Fit T2M routers on each input source and score them (no LM training: routers only).

    Accuracy (%) of hard routing on the test captions and on paraphrased prompts in words the
    corpus never used ({theme: [prompts]}), plus the share of those flagged unseen.
    """
    from ...models.router_inputs import T2M_SOURCES, t2m_vectors
    from ...models.sentence import get_sentence_encoder

    enc = get_sentence_encoder() if paraphrases else None
    out = {}
    for source in T2M_SOURCES:
        router, _ = _fit_routers(world, replace(cfg, t2m_source=source))
        sets = {"test_captions": [(it.caption, it.sent_emb, t.name) for t in world.tasks
                                  for it in world.eval_items[t.name]]}
        if paraphrases:
            by_theme = {t.theme or t.name: t.name for t in world.tasks}
            pairs = [(p, by_theme[th]) for th, ps in paraphrases.items() if th in by_theme for p in ps]
            embs = enc.embed([p for p, _ in pairs]) if pairs else []
            sets["paraphrases"] = [(p, e, name) for (p, name), e in zip(pairs, embs)]
        res = {}
        for label, rows in sets.items():
            if rows:
                x = t2m_vectors(world.model, [r[0] for r in rows], source, np.stack([r[1] for r in rows]))
                res[label] = _route_scores(router, x, [r[2] for r in rows])
        out[source] = res
    return out


def threshold_sweep(world: BenchWorld, cfg, n_stds=(2.0, 2.5, 3.0)) -> dict:
    """The unseen threshold's trade-off: for threshold = mean + n * std, the routing accuracy on
    the seen tasks' test inputs against the share of held-out base-family inputs called unseen."""
    items: list[EvalItem] = [it for t in world.tasks for it in world.eval_items[t.name]]
    truth = [it.task for it in items]
    held = list(world.heldout)
    x_seen = router_inputs(world, items, cfg.t2m_source)
    x_held = router_inputs(world, held, cfg.t2m_source) if held else None
    out = {"t2m": [], "m2t": []}
    for n in n_stds:
        routers = dict(zip(("t2m", "m2t"), _fit_routers(world, replace(cfg, router=replace(cfg.router, n_std=n)))))
        for d, router in routers.items():
            row = {"n_std": n, **_route_scores(router, x_seen[d], truth)}
            row["unseen_rate_heldout"] = (100.0 * float(np.mean([r.unseen for r in router.route_batch(x_held[d])]))
                                          if held else None)
            out[d].append(row)
    return out


def load_paraphrases(path: Path | None = None) -> dict[str, list[str]] | None:
    """The everyday test prompts (assets/everyday_prompts.json) as {task: [prompts]} plus "base"
    (None when the file is not there)."""
    from ...data.everyday import load_everyday_prompts

    try:
        everyday = load_everyday_prompts(path)
    except OSError:
        return None
    out = {task: list(splits["test"]) for task, splits in everyday["tasks"].items()}
    out["base"] = list(everyday["base"]["test"])
    return out
