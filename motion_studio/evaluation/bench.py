"""The continual benchmark: seven methods, five tasks, accuracy matrices and ACC/BWT/FWT.

    motion-studio bench --preset smoke|default --out results/ [--checkpoint DIR]

Methods (as in the paper):
  joint             one LoRA on all tasks at once (upper bound, not continual; its rows are equal)
  sequential        one LoRA fine-tuned task after task (the forgetting baseline)
  oracle            one expert per task, chosen by the true task id (base model for unseen tasks)
  merged            all experts so far, deltas averaged into the weights, no routing
  moe_hard          autoencoder router, K=1
  moe_soft          autoencoder router, top-2 blend
  moe_hard_no_orth  moe_hard with experts trained without the O-LoRA penalty
oracle/merged/moe_* share the per-task experts (trained once, evaluated four ways); only
sequential, joint and no-orth train adapters of their own.

R[i][j] = score on task j after training task i. Frozen experts make most cells repeats of
earlier ones, so generations are cached by (adapter state, blend, item): an item routed to the
same expert at two stages is generated once. Every generation runs through the fused fast
path (LoRA deltas added into the weights for the call, restored exactly afterwards).

T2M generation uses the ground-truth code length of each test clip (the usual evaluation
protocol), greedy decoding. Scores in percent where they are fractions (R-precision, BLEU,
ROUGE-L, token accuracy); FID, MM-Dist, Diversity and CIDEr-D raw. For BWT/FWT/forgetting,
FID and MM-Dist are negated so that BWT < 0 always means forgetting; diversity counts as
higher-is-better.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import InputError, MotionStudioError

METHODS = ("joint", "sequential", "oracle", "merged", "moe_hard", "moe_soft", "moe_hard_no_orth")
ROUTED = ("moe_hard", "moe_soft", "moe_hard_no_orth")
# metric -> higher is better
METRICS: dict[str, bool] = {
    "t2m_rprec3": True, "t2m_fid": False, "t2m_mm_dist": False, "t2m_diversity": True,
    "m2t_bleu4": True, "m2t_rouge_l": True, "m2t_cider": True, "t2m_token_acc": True, "m2t_token_acc": True,
}
T2M_METRICS = ("t2m_rprec3", "t2m_fid", "t2m_mm_dist", "t2m_diversity")
NO_ORTH = "noorth_"
SEQ, JOINT = "sequential", "joint"


# --------------------------------------------------------------------------- inputs


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
    parts: object = None  # continual.AgentParts from a checkpoint (experts + routers), if any
    routing_items: dict = field(default_factory=dict)  # task name or "base" -> one item per test caption


# --------------------------------------------------------------------------- training


def _stage_file(work: Path) -> Path:
    return work / "stages.json"


def _done(work: Path) -> list[str]:
    f = _stage_file(work)
    return json.loads(f.read_text())["done"] if f.exists() else []


def _mark(work: Path, parts, key: str, reports: dict, report: dict) -> None:
    """Save every adapter and router, then record the stage as done (a kill never half-records)."""
    parts.save(work / "parts")
    done = _done(work) + [key]
    reports[key] = report
    tmp = _stage_file(work).with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "reports": reports}, indent=1, default=str))
    tmp.replace(_stage_file(work))


def _save_snapshot(bank, name: str, path: Path) -> None:
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in bank.adapter_state(name).items()}, str(path))


def _load_snapshot(bank, name: str, path: Path) -> None:
    from safetensors.torch import load_file

    bank.load_adapter_state(name, load_file(str(path)))


def train_methods(world: BenchWorld, cfg, work: Path, progress: bool = True) -> tuple[object, dict]:
    """Train (or resume) every adapter the seven methods need. Returns (parts, reports).

    Stages: expert:<task> (+ its routers), noorth:<task>, seq:<i> (snapshot after task i), joint.
    """
    from ..models.agent_parts import AgentParts
    from ..training.continual import fit_task_routers, new_routers, train_expert
    from ..models.experts import ExpertBank

    work.mkdir(parents=True, exist_ok=True)
    model, tasks = world.model, world.tasks
    done = _done(work)
    reports = json.loads(_stage_file(work).read_text())["reports"] if done else {}
    if world.parts is not None:  # a checkpoint's experts and routers; add what a resumed run made
        parts = world.parts
        if done:
            parts.bank.attach(work / "parts" / "experts")
    elif done:
        parts = AgentParts.load(model, work / "parts")
    else:
        parts = AgentParts(model, ExpertBank(model, cfg.lora), *new_routers(model, cfg))
    task_names = [t.name for t in tasks]
    no_orth = replace(cfg, lora=replace(cfg.lora, ortho_lambda=0.0))

    def stage(key: str, fn) -> None:
        if key in done:
            return
        t0 = time.perf_counter()
        report = fn() or {}
        report["seconds_total"] = round(time.perf_counter() - t0, 1)
        _mark(work, parts, key, reports, report)
        done.append(key)

    for i, task in enumerate(tasks):
        if task.name not in parts.bank.names:
            def expert(task=task, i=i):
                r = train_expert(model, parts.bank, task.name, task.examples, cfg, theme=task.theme,
                                 previous=task_names[:i], progress=progress, seed_offset=i)
                r["router"] = fit_task_routers(model, parts, task, cfg, seed_offset=i)
                return _slim(r)
            stage(f"expert:{task.name}", expert)
        stage(f"noorth:{task.name}", lambda task=task, i=i: _slim(train_expert(
            model, parts.bank, NO_ORTH + task.name, task.examples, no_orth, theme=task.theme,
            previous=[], progress=progress, seed_offset=i)))

        def sequential(task=task, i=i):
            new = SEQ not in parts.bank.names
            r = train_expert(model, parts.bank, SEQ, task.examples, no_orth, new=new, previous=[],
                             progress=progress, seed_offset=100 + i)
            _save_snapshot(parts.bank, SEQ, work / "sequential" / f"stage_{i}.safetensors")
            return _slim(r)
        stage(f"seq:{i}", sequential)

    joint_examples = [e for t in tasks for e in t.examples]
    stage("joint", lambda: _slim(train_expert(
        model, parts.bank, JOINT, joint_examples, no_orth, previous=[], progress=progress,
        steps=cfg.steps_per_task * len(tasks), seed_offset=200)))
    missing = [n for n in task_names if n not in parts.router_t2m.names]
    if missing:
        raise MotionStudioError(f"the router has no autoencoder for tasks {missing}")
    return parts, reports


def _slim(report: dict) -> dict:
    """Training reports without the per-step history (results.json stays readable)."""
    return {k: v for k, v in report.items() if k != "history"}


# --------------------------------------------------------------------------- plans


def _key(blend: dict[str, float]) -> tuple:
    return tuple(sorted((n, round(float(w), 4)) for n, w in blend.items() if round(float(w), 4) > 0))


@dataclass
class RouteTables:
    """Router decisions per direction, stage and item, computed once."""

    hard: dict = field(default_factory=dict)  # (direction, stage, uid) -> RouteResult
    soft: dict = field(default_factory=dict)


def router_inputs(world: BenchWorld, items: list[EvalItem], t2m_source: str, directions=("t2m", "m2t")) -> dict:
    """{"t2m": prompt vectors of the items' captions, "m2t": motion vectors of their codes}."""
    from ..models.router_inputs import m2t_vectors, t2m_vectors

    make = {"t2m": lambda: t2m_vectors(world.model, [it.caption for it in items], t2m_source,
                                       np.stack([it.sent_emb for it in items])),
            "m2t": lambda: m2t_vectors(world.model, [it.codes for it in items])}
    return {d: make[d]() for d in directions}


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


def plan(method: str, stage: int, item: EvalItem, direction: str, names: list[str],
         tables: RouteTables) -> tuple[str, tuple]:
    """(adapter state, blend key) that `method` runs `item` with after training task `stage`."""
    if method == JOINT:
        return "static", _key({JOINT: 1.0})
    if method == SEQ:
        return f"seq:{stage}", _key({SEQ: 1.0})
    seen = names[:stage + 1]
    if method == "oracle":
        return "static", _key({item.task: 1.0} if item.task in seen else {})
    if method == "merged":
        return "static", _key({n: 1.0 / len(seen) for n in seen})
    if method in ("moe_hard", "moe_hard_no_orth"):
        blend = tables.hard[(direction, stage, item.uid)].blend
        if method == "moe_hard_no_orth":
            blend = {NO_ORTH + n: w for n, w in blend.items()}
        return "static", _key(blend)
    if method == "moe_soft":
        return "static", _key(tables.soft[(direction, stage, item.uid)].blend)
    raise InputError(f"unknown method {method}")


# --------------------------------------------------------------------------- running


def generate_all(world: BenchWorld, parts, requests: dict, work: Path, batch_size: int = 32,
                 progress: bool = True) -> dict:
    """Run every (state, blend) group once, each direction only for the items that need it.

    requests: (state, blend_key) -> {"t2m": uids, "m2t": uids}.
    Returns (state, blend_key, direction, uid) -> {"codes" | "caption", "acc": (correct, total)}.
    """
    import torch
    from tqdm import tqdm

    by_uid = {it.uid: it for items in world.eval_items.values() for it in items}
    model, bank = world.model, parts.bank
    out: dict = {}
    groups = sorted(requests.items())
    bar = tqdm(total=len(groups), desc="bench eval", disable=not progress)
    for (state, blend_key), wanted in groups:
        if state.startswith("seq:"):
            _load_snapshot(bank, SEQ, work / "sequential" / f"stage_{state[4:]}.safetensors")
        with bank.fused(dict(blend_key)), torch.no_grad():
            for d in ("t2m", "m2t"):
                items = [by_uid[u] for u in sorted(wanted.get(d, ()))]
                for s in range(0, len(items), batch_size):
                    chunk = items[s:s + batch_size]
                    if d == "t2m":
                        gen = model.generate_motion([it.caption for it in chunk],
                                                    np.stack([it.sent_emb for it in chunk]),
                                                    n_codes=[len(it.codes) for it in chunk])
                    else:
                        gen = model.generate_caption([it.codes for it in chunk])
                    accs = row_token_accuracy(model, [it.t2m_example if d == "t2m" else it.m2t_example
                                                      for it in chunk])
                    for it, g, acc in zip(chunk, gen, accs):
                        out[(state, blend_key, d, it.uid)] = {"codes" if d == "t2m" else "caption": g, "acc": acc}
        bar.update(1)
    bar.close()
    return out


def row_token_accuracy(model, examples: list) -> list[tuple[int, int]]:
    """Teacher-forced (correct, total) per example, one batched forward pass.

    Uses MotionLM's per-position logits when it exposes them, else one call per example.
    """
    from ..training.lm_data import collate

    present = [e for e in examples if e is not None]
    if not present:
        return [(0, 0)] * len(examples)
    if hasattr(model, "_logits_and_targets"):
        import torch

        with torch.no_grad():
            logits, targets = model._logits_and_targets(collate(present, model.tok.pad_id))
        scored = targets != -100
        correct = ((logits.argmax(-1) == targets) & scored).sum(1).tolist()
        rows = iter(zip(correct, scored.sum(1).tolist()))
    else:
        rows = iter(model.token_accuracy(collate([e], model.tok.pad_id)) for e in present)
    return [(0, 0) if e is None else tuple(int(v) for v in next(rows)) for e in examples]


def cell_scores(world: BenchWorld, items: list[EvalItem], outputs: list[dict]) -> dict:
    """All METRICS for one (method, stage, task) cell from its items' outputs."""
    from ..metrics.text import caption_scores

    scores = dict(world.scorer(items, [o["codes"] for o in outputs]))
    caps = caption_scores([o["caption"] for o in outputs], [it.refs for it in items])
    scores["m2t_bleu4"] = 100.0 * caps["bleu4"]
    scores["m2t_rouge_l"] = 100.0 * caps["rouge_l"]
    scores["m2t_cider"] = caps["cider"]
    for d in ("t2m", "m2t"):
        c = sum(o[f"{d}_acc"][0] for o in outputs)
        n = sum(o[f"{d}_acc"][1] for o in outputs)
        scores[f"{d}_token_acc"] = 100.0 * c / n if n else float("nan")
    return {m: float(scores[m]) for m in METRICS}


def summarise(matrices: dict, baseline: dict) -> dict:
    """ACC/BWT/FWT/forgetting of every metric's matrix."""
    from ..metrics import continual as M

    out = {"ACC": {}, "BWT": {}, "FWT": {}, "forgetting": {}}
    for m, r in matrices.items():
        hib = METRICS[m]
        out["ACC"][m] = M.acc(r)
        out["BWT"][m] = M.bwt(r, hib)
        out["FWT"][m] = M.fwt(r, baseline[m], hib)
        out["forgetting"][m] = M.forgetting(r, hib)
    return out


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


def run_methods(world: BenchWorld, cfg, work: Path, progress: bool = True, soft_k: int = 2) -> dict:
    """Train what is missing, evaluate every method at every stage, return the results dict."""
    t0 = time.perf_counter()
    parts, train_reports = train_methods(world, cfg, work, progress)
    t_train = time.perf_counter() - t0
    names = [t.name for t in world.tasks]
    source = parts.router_t2m.input_source or ("sentence" if parts.router_t2m.input_dim == 384 else "lm_embed")
    tables = route_all(world, parts, source, soft_k)

    # what to generate: every (state, blend, direction) any cell needs, plus the base model for FWT
    needs: dict = {}
    cell_keys: dict = {}
    for method in METHODS:
        for i in range(len(names)):
            for j, task in enumerate(names):
                for it in world.eval_items[task]:
                    for d in ("t2m", "m2t"):
                        key = plan(method, i, it, d, names, tables)
                        needs.setdefault(key, {}).setdefault(d, set()).add(it.uid)
                        cell_keys[(method, i, j, d, it.uid)] = key
    for task in names:
        for it in world.eval_items[task]:
            for d in ("t2m", "m2t"):
                needs.setdefault(("static", ()), {}).setdefault(d, set()).add(it.uid)
    t1 = time.perf_counter()
    outputs = generate_all(world, parts, needs, work, progress=progress)
    t_eval = time.perf_counter() - t1

    scored: dict = {}  # cells built from the very same outputs are scored once (FID is not cheap)

    def cell(method: str | None, i: int, j: int, task: str) -> dict:
        keys = tuple(tuple(("static", ()) if method is None else cell_keys[(method, i, j, d, it.uid)]
                           for d in ("t2m", "m2t")) for it in world.eval_items[task])
        if (task, keys) not in scored:
            rows = []
            for it, (k_t, k_m) in zip(world.eval_items[task], keys):
                o_t, o_m = outputs[(*k_t, "t2m", it.uid)], outputs[(*k_m, "m2t", it.uid)]
                rows.append({"codes": o_t["codes"], "t2m_acc": o_t["acc"], "caption": o_m["caption"],
                             "m2t_acc": o_m["acc"]})
            scored[(task, keys)] = cell_scores(world, world.eval_items[task], rows)
        return scored[(task, keys)]

    baseline_cells = [cell(None, 0, j, t) for j, t in enumerate(names)]
    baseline = {m: [c[m] for c in baseline_cells] for m in METRICS}
    routing = routing_report(world, tables, names)
    results = {"tasks": names, "methods": {}, "base_model": baseline}
    for method in METHODS:
        mats = {m: [[0.0] * len(names) for _ in names] for m in METRICS}
        for i in range(len(names)):
            for j, task in enumerate(names):
                c = cell(method, i, j, task)
                for m in METRICS:
                    mats[m][i][j] = c[m]
        entry = {"matrices": mats, **summarise(mats, baseline)}
        entry["routing_accuracy"] = ({"t2m": routing["accuracy"]["t2m"], "m2t": routing["accuracy"]["m2t"]}
                                     if method in ROUTED else {"t2m": None, "m2t": None})
        results["methods"][method] = entry
    results["routing"] = routing
    if world.routing_items:
        results["routing_all_test"] = routing_on_all_test(world, parts, source)
    results["token_acc_vs_quality"] = [
        {"method": m, **{k: results["methods"][m]["ACC"][k] for k in
                         ("t2m_token_acc", "t2m_rprec3", "t2m_fid", "m2t_token_acc", "m2t_bleu4")}}
        for m in METHODS]
    results["generation_groups"] = len(needs)
    results["generations"] = len(outputs)
    results["scored_cells"] = len(scored)
    results["timings_s"] = {"train": round(t_train, 1), "eval": round(t_eval, 1)}
    results["training"] = train_reports
    return results


def _fit_routers(world: BenchWorld, cfg):
    """(T2M router, M2T router) fitted exactly as continual training fits them, on every task."""
    from ..models.agent_parts import AgentParts
    from ..training.continual import fit_task_routers, new_routers

    parts = AgentParts(world.model, None, *new_routers(world.model, cfg))
    for i, t in enumerate(world.tasks):
        fit_task_routers(world.model, parts, t, cfg, seed_offset=i)
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
    from ..models.router_inputs import T2M_SOURCES, t2m_vectors
    from ..models.sentence import get_sentence_encoder

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
    items = [it for t in world.tasks for it in world.eval_items[t.name]]
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
    path = path or Path(__file__).resolve().parents[2] / "assets" / "paraphrase_prompts.json"
    if not path.exists():
        return None
    return {k: list(v) for k, v in json.loads(path.read_text()).items() if isinstance(v, list)}


# --------------------------------------------------------------------------- presets and CLI


@dataclass
class BenchPreset:
    name: str
    n_clips: int  # built-in corpus size (when no checkpoint)
    foundation: dict  # FoundationConfig overrides
    steps_per_task: int
    eval_items_per_task: int
    heldout_items: int
    lora_r: int = 16
    router_steps: int = 400
    batch_size: int = 32
    seed: int = 0
    threads: int | None = None  # torch threads; 1 is several times faster for tiny models on a busy 2-core box


PRESETS = {
    "smoke": BenchPreset("smoke", n_clips=150, foundation={"preset": "tiny"}, steps_per_task=12,
                         eval_items_per_task=4, heldout_items=6, lora_r=4, router_steps=150, batch_size=16,
                         threads=1),
    "default": BenchPreset("default", n_clips=1500, foundation={}, steps_per_task=150,
                           eval_items_per_task=32, heldout_items=64),
}


def write_results(results: dict, out_dir: Path, config: dict) -> None:
    from .plots import write_plots

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(_clean(results), indent=1))
    (out_dir / "config.json").write_text(json.dumps(_clean(config), indent=1))
    write_plots(results, out_dir)


def _clean(x):
    """JSON-safe: NaN -> null, numpy numbers -> Python."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (np.floating, float)):
        return None if not np.isfinite(x) else float(x)
    if isinstance(x, np.integer):
        return int(x)
    return x


def run_bench(preset: str, out_dir, checkpoint=None, progress: bool = True, command: str | None = None) -> dict:
    """Build the world for `preset` (or from `checkpoint`), run every method, write results."""
    if preset not in PRESETS:
        raise InputError(f"unknown preset '{preset}'; use one of {', '.join(PRESETS)}")
    p = PRESETS[preset]
    if p.threads:
        import torch

        torch.set_num_threads(p.threads)
    out_dir = Path(out_dir)
    work = out_dir / "work"
    world, cfg = build_world(p, work, checkpoint, progress)
    results = run_methods(world, cfg, work / "methods", progress)
    results["t2m_router_inputs"] = compare_t2m_sources(world, cfg, load_paraphrases())
    results["threshold_sweep"] = threshold_sweep(world, cfg)
    results = {"preset": preset, "command": command or f"motion-studio bench --preset {preset} --out {out_dir}"
               + (f" --checkpoint {checkpoint}" if checkpoint else ""), **results}
    config = {"preset": asdict(p), "continual": cfg.to_dict(), "checkpoint": str(checkpoint) if checkpoint else None}
    write_results(results, out_dir, config)
    if checkpoint:
        record_headline(checkpoint, results, out_dir)
    return results


HEADLINE_METRICS = ("t2m_rprec3", "t2m_fid", "m2t_bleu4", "m2t_cider", "t2m_token_acc", "m2t_token_acc")


def record_headline(checkpoint, results: dict, out_dir) -> dict:
    """Copy the benchmark's figures for the shipped agent (MoE, hard routing) into the checkpoint's
    manifest, so the checkpoint says what it scores and where the full results are."""
    from ..checkpoint import MANIFEST

    path = Path(checkpoint) / MANIFEST
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text())
    m = results["methods"]["moe_hard"]
    headline = {
        "source": str(Path(out_dir) / "results.json"),
        "command": results.get("command"),
        "method": "moe_hard",
        "ACC": {k: m["ACC"][k] for k in HEADLINE_METRICS},
        "BWT": {k: m["BWT"][k] for k in HEADLINE_METRICS},
        "forgetting": {k: m.get("forgetting", {}).get(k) for k in HEADLINE_METRICS},
        "routing_accuracy": m["routing_accuracy"],
        "sequential_BWT": {k: results["methods"]["sequential"]["BWT"][k] for k in HEADLINE_METRICS},
    }
    manifest["headline"] = _clean(headline)
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return headline


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="motion-studio bench", description=__doc__.split("\n")[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), default="smoke")
    ap.add_argument("--out", default="results")
    ap.add_argument("--checkpoint", default=None, help="reuse a trained checkpoint's foundation and experts")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)
    cmd = "motion-studio bench " + " ".join(argv if argv is not None else sys.argv[1:])
    try:
        res = run_bench(args.preset, args.out, args.checkpoint, not args.no_progress, cmd)
    except MotionStudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_summary(res))
    return 0


def format_summary(res: dict) -> str:
    """A short table: ACC and BWT of the headline metrics per method, routing accuracy."""
    head = ["method", "R@3 ACC", "R@3 BWT", "BLEU4 ACC", "BLEU4 BWT", "FID ACC", "route t2m/m2t"]
    lines = ["  ".join(f"{h:>12}" for h in head)]
    for m, e in res["methods"].items():
        ra = e["routing_accuracy"]
        route = "-" if ra["t2m"] is None else f"{ra['t2m']:.0f}/{ra['m2t']:.0f}"
        vals = [e["ACC"]["t2m_rprec3"], e["BWT"]["t2m_rprec3"], e["ACC"]["m2t_bleu4"], e["BWT"]["m2t_bleu4"],
                e["ACC"]["t2m_fid"]]
        lines.append("  ".join([f"{m:>12}"] + [f"{v:12.2f}" for v in vals] + [f"{route:>12}"]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- building the world


def _continual_config(p: BenchPreset, lora=None):
    from ..models.experts import LoraSettings
    from ..models.router import RouterFitConfig
    from ..training.continual import ContinualConfig

    lora = lora or LoraSettings(r=p.lora_r, alpha=2 * p.lora_r)
    return ContinualConfig(lora=lora, steps_per_task=p.steps_per_task, batch_size=p.batch_size,
                           warmup=min(20, p.steps_per_task // 10), router=RouterFitConfig(steps=p.router_steps),
                           seed=p.seed)


def _foundation(p: BenchPreset, work: Path, progress: bool) -> tuple[Path, Path, Path]:
    """Corpus + tasks + foundation + evaluator made on the spot (no checkpoint). Returns
    (data_dir, foundation_dir, evaluator_dir); every step is skipped when already done."""
    from ..data.tasks import build_tasks
    from ..training.foundation import FoundationConfig, train_foundation

    data_dir = work / "corpus"
    if not (data_dir / "done.json").exists():
        from ..data.corpus import generate_corpus

        generate_corpus(data_dir, n_clips=p.n_clips, seed=p.seed, workers=1, progress=progress)
        (data_dir / "done.json").write_text("{}")
    tasks_json = work / "tasks.json"
    if not tasks_json.exists():
        from ..models.sentence import get_sentence_encoder

        build_tasks(data_dir, get_sentence_encoder().embed, out=tasks_json, seed=p.seed)
    fcfg = FoundationConfig.tiny() if p.foundation.get("preset") == "tiny" else FoundationConfig()
    found = work / "foundation"
    train_foundation(data_dir, tasks_json, found, fcfg, progress=progress)
    shutil_copy(tasks_json, found / "tasks.json")
    ev_dir = found / "evaluator"
    if not (ev_dir / "evaluator.safetensors").exists():
        from ..data.dataset import MotionDataset
        from ..training.evaluator_train import train_evaluator

        from ..models.evaluator import EvaluatorConfig

        tiny = p.foundation.get("preset") == "tiny"
        train_evaluator(MotionDataset(data_dir), cfg=EvaluatorConfig(embed_dim=32, hidden=64) if tiny else None,
                        steps=30 if tiny else 1200, batch_size=16 if tiny else 64, out_dir=ev_dir,
                        progress=progress, time_budget_s=None if tiny else 300)
    return data_dir, found, ev_dir


def shutil_copy(src: Path, dst: Path) -> None:
    import shutil

    if not dst.exists():
        shutil.copyfile(src, dst)


def build_world(p: BenchPreset, work: Path, checkpoint=None, progress: bool = True):
    """Load (or make) the frozen foundation, the tasks' data, test items and the T2M scorer."""
    from ..data.dataset import MotionDataset
    from ..data.tasks import load_tasks
    from ..errors import CheckpointError
    from ..models.backbone import MotionLM
    from ..models.evaluator import TextMotionEvaluator
    from ..models.sentence import get_sentence_encoder
    from ..models.vqvae import MotionVQVAE
    from ..models.agent_parts import AgentParts
    from ..training.lm_data import load_codes

    work.mkdir(parents=True, exist_ok=True)
    if checkpoint:
        root = Path(checkpoint)
        if not (root / "tasks.json").exists():
            raise CheckpointError(f"{root} is not a trained checkpoint (no tasks.json)")
        split = load_tasks(root / "tasks.json")
        from ..checkpoint import checkpoint_corpus

        data_dir = checkpoint_corpus(root, split.data_dir, progress)
        ev_dir = root / "evaluator"
    else:
        data_dir, root, ev_dir = _foundation(p, work, progress)
        split = load_tasks(root / "tasks.json")
    ds = MotionDataset(data_dir)
    model = MotionLM.load(root / "backbone").freeze()
    vqvae = MotionVQVAE.load(root / "vqvae").eval()
    evaluator = TextMotionEvaluator.load(ev_dir).eval()
    codes = load_codes(root / "codes.safetensors")
    enc = get_sentence_encoder()
    parts = AgentParts.load(model, root) if checkpoint else None
    cfg = _continual_config(p, parts.bank.settings if parts else None)
    if parts is not None:
        r = parts.router_t2m
        cfg.t2m_source = r.input_source or ("sentence" if r.input_dim == 384 else "lm_embed")
        # Baselines train exactly as long as the checkpoint's own experts did (a fair comparison).
        trained = _checkpoint_continual(root)
        for key in ("steps_per_task", "lr", "batch_size", "warmup", "time_budget_per_task_s", "router_hidden"):
            if key in trained:
                setattr(cfg, key, trained[key])
        if trained.get("router"):  # router refits (sweeps, input comparison) as the checkpoint's were fitted
            from ..models.router import RouterFitConfig

            cfg.router = RouterFitConfig(**trained["router"])
    from ..training.continual import task_data

    tasks = [task_data(t, ds, codes, enc, model, p.seed) for t in split.tasks]
    eval_items = {t.name: _items(t.name, (t.test or t.val)[:p.eval_items_per_task], ds, codes, enc, model)
                  for t in split.tasks}
    heldout = _items("base", (split.base.test or split.base.val)[:p.heldout_items], ds, codes, enc, model)
    routing_items = {t.name: _caption_items(t.name, t.test or t.val, ds, codes, enc, model)
                     for t in split.tasks + [split.base]}
    world = BenchWorld(model, tasks, eval_items, heldout, make_scorer(vqvae, evaluator, ds), parts, routing_items)
    return world, cfg


def _checkpoint_continual(root: Path) -> dict:
    """The continual-training config recorded in a checkpoint's manifest ({} when absent)."""
    path = Path(root) / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text()).get("configs", {}).get("continual") or {}


def _items(task: str, ids, ds, codes, enc, model) -> list[EvalItem]:
    from ..training.lm_data import make_m2t_example, make_t2m_example

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


def make_scorer(vqvae, evaluator, ds) -> T2MScorer:
    """T2M metrics of generated codes: decode with the VQ-VAE, embed with the evaluator."""
    import torch

    from ..models.evaluator import t2m_metrics

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
