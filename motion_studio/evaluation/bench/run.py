"""The benchmark run: which methods, in which order, what each generates, resumable.

Methods (as in the paper):
  joint             one LoRA on all tasks at once (upper bound, not continual; its rows are equal)
  sequential        one LoRA fine-tuned task after task (the forgetting baseline)
  oracle            one expert per task, chosen by the true task id (base model for unseen tasks)
  merged            all experts so far, deltas averaged into the weights, no routing
  moe_hard          autoencoder router, K=1
  moe_soft          autoencoder router, top-2 blend
  moe_hard_no_orth  moe_hard with experts trained without the O-LoRA penalty
oracle/merged/moe_* share the per-task experts (trained once, evaluated four ways); only
sequential, joint and no-orth train adapters of their own (training/methods.py; resumable).

R[i][j] = score on task j after training task i. Frozen experts make most cells repeats of
earlier ones, so generations are cached by (adapter state, blend, item): an item routed to the
same expert at two stages is generated once. Every generation runs through models/generation.py
(LoRA deltas fused into the weights for the call, restored exactly afterwards).

T2M generation uses the ground-truth code length of each test clip (the usual evaluation
protocol), greedy decoding. Scores in percent where they are fractions (R-precision, BLEU,
ROUGE-L, token accuracy); FID, MM-Dist, Diversity and CIDEr-D raw. For BWT/FWT/forgetting,
FID and MM-Dist are negated so that BWT < 0 always means forgetting; diversity counts as
higher-is-better.
"""
from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

from ...errors import InputError
from ...training.methods import JOINT, NO_ORTH, SEQ, load_snapshot, train_methods
from .report import METRICS, RAW_CAPTIONS, cell_scores, json_safe, row_token_accuracy, summarise, write_results
from .routing import (RouteTables, compare_t2m_sources, load_paraphrases, route_all, routing_on_all_test,
                      routing_report, threshold_sweep)
from .sixth import learn_sixth_task
from .world import BenchWorld, EvalItem, build_world

METHODS = ("joint", "sequential", "oracle", "merged", "moe_hard", "moe_soft", "moe_hard_no_orth")
ROUTED = ("moe_hard", "moe_soft", "moe_hard_no_orth")


def _key(blend: dict[str, float]) -> tuple:
    return tuple(sorted((n, round(float(w), 4)) for n, w in blend.items() if round(float(w), 4) > 0))


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


def generate_all(world: BenchWorld, parts, requests: dict, work: Path, batch_size: int = 32,
                 progress: bool = True) -> dict:
    """Run every (state, blend) group once, each direction only for the items that need it.

    requests: (state, blend_key) -> {"t2m": uids, "m2t": uids}.
    Returns (state, blend_key, direction, uid) -> {"codes" | "caption", "acc": (correct, total)}.
    """
    from tqdm import tqdm

    from ...models.generation import caption_codes, generate_codes, run_grouped

    by_uid = {it.uid: it for items in world.eval_items.values() for it in items}
    model = world.model
    out: dict = {}
    states: dict[str, list] = {}
    for (state, blend_key), wanted in sorted(requests.items()):
        states.setdefault(state, []).append((blend_key, wanted))
    bar = tqdm(total=len(requests), desc="bench eval", disable=not progress)
    for state, group in states.items():
        if state.startswith("seq:"):
            load_snapshot(parts.bank, work, int(state[4:]))
        for d in ("t2m", "m2t"):
            rows = [(key, by_uid[u]) for key, wanted in group for u in sorted(wanted.get(d, ()))]
            if not rows:
                continue
            blends = [dict(key) for key, _ in rows]
            items = [it for _, it in rows]
            if d == "t2m":
                gen = generate_codes(parts, [it.caption for it in items], [it.sent_emb for it in items], blends,
                                     n_codes=[len(it.codes) for it in items], batch_size=batch_size)
            else:
                gen = caption_codes(parts, [it.codes for it in items], blends, batch_size=batch_size,
                                    known_words=RAW_CAPTIONS)
            examples = [it.t2m_example if d == "t2m" else it.m2t_example for it in items]
            accs = run_grouped(parts, blends, lambda idx: row_token_accuracy(model, [examples[i] for i in idx]),
                               batch_size)
            for (key, it), g, acc in zip(rows, gen, accs):
                out[(state, key, d, it.uid)] = {"codes" if d == "t2m" else "caption": g, "acc": acc}
        bar.update(len(group))
    bar.close()
    return out


def run_methods(world: BenchWorld, cfg, work: Path, progress: bool = True, soft_k: int = 2) -> dict:
    """Train what is missing, evaluate every method at every stage, return the results dict."""
    t0 = time.perf_counter()
    parts, train_reports = train_methods(world.model, world.tasks, cfg, work, world.parts, progress, world.vqvae)
    world.parts = parts  # the experts and every baseline adapter (the sixth task adds to them)
    t_train = time.perf_counter() - t0
    names = [t.name for t in world.tasks]
    source = parts.router_t2m.input_source  # resolved when the router was made or loaded
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


def run_bench(preset: str, out_dir, checkpoint=None, progress: bool = True, command: str | None = None) -> dict:
    """Build the world for `preset` (or from `checkpoint`), run every method, write results.json,
    config.json and the plots into out_dir; with a checkpoint, its manifest gets the headline."""
    from ...checkpoint import record_headline
    from ...training.presets import bench_preset

    p = bench_preset(preset)
    if p.threads:
        import torch

        torch.set_num_threads(p.threads)
    out_dir = Path(out_dir)
    work = out_dir / "work"
    world, cfg = build_world(p, work, checkpoint, progress)
    results = run_methods(world, cfg, work / "methods", progress)
    results["t2m_router_inputs"] = compare_t2m_sources(world, cfg, load_paraphrases())
    results["threshold_sweep"] = threshold_sweep(world, cfg)
    if world.split is not None:  # last: it adds an expert to the bank and both routers (in memory only)
        results["sixth_task"] = learn_sixth_task(world, world.parts, cfg, results)
    results = {"preset": preset, "command": command or f"motion-studio bench --preset {preset} --out {out_dir}"
               + (f" --checkpoint {checkpoint}" if checkpoint else ""), **results}
    config = {"preset": asdict(p), "continual": cfg.to_dict(), "checkpoint": str(checkpoint) if checkpoint else None}
    write_results(results, out_dir, config)
    if checkpoint:
        record_headline(checkpoint, json_safe(results), out_dir)
    return results
