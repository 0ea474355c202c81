"""How the prompt router's settings were chosen: every candidate scored on VALIDATION prompts only.

The T2M router reads frozen MiniLM embeddings, so it can be studied from a corpus and its
tasks.json alone (no trained backbone). For each candidate (input: raw or canonical text;
autoencoder width; threshold rule; threshold scale) the five autoencoders are fitted on the tasks'
train captions with their short forms and paraphrases, thresholds calibrated on held-out clips'
inputs, then scored on:
  - the validation half of assets/everyday_prompts.json: right expert (task prompts), unseen (base);
  - the corpus' validation captions: right expert (tasks), unseen (base split).
The everyday test half is never read here. Writes JSON; the chosen setting is the default in
training/presets.py and its figures are in docs/ROUTER.md.

    python scripts/router_t2m_sweep.py --data CORPUS --tasks TASKS.json [--out results/router_t2m_sweep.json]
"""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

SOURCES = ("sentence", "sentence_canon")
HIDDEN = (32, 64)  # 16 and 256 scored lower in a first pass (everyday nearest 93.9 / 90.1 vs 95.4)
RULES = (dict(rule="std", n_std=2.0), dict(rule="quantile", quantile=0.9), dict(rule="quantile", quantile=0.95))
CALIBRATE = ("per_kind_max", "pooled")  # one threshold per input kind, the largest kept / one over all inputs
RANKS = ("error", "ratio")
SCALES = (0.6, 0.7, 0.8, 0.9, 1.0, 1.25)


def main() -> None:
    import torch

    from motion_studio.data.dataset import MotionDataset
    from motion_studio.data.everyday import load_everyday_prompts, split_items
    from motion_studio.data.tasks import load_tasks
    from motion_studio.evaluation.open_world import score_routes
    from motion_studio.models.router import AutoencoderRouter, RouterFitConfig
    from motion_studio.models.router_inputs import canonical_prompt
    from motion_studio.models.sentence import embed_cached
    from motion_studio.training.router_data import RouterDataConfig, prompt_inputs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--tasks", type=Path, required=True)
    ap.add_argument("--paraphrases", type=int, default=3, help="paraphrases per training caption")
    ap.add_argument("--max-clips", type=int, default=250, help="train clips per task (the sweep only compares)")
    ap.add_argument("--hidden", type=int, nargs="+", default=list(HIDDEN))
    ap.add_argument("--sources", nargs="+", default=list(SOURCES))
    ap.add_argument("--background", action="store_true",
                    help="also fit the base-family autoencoder on the base split's train captions")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/router_t2m_sweep_cache"))
    ap.add_argument("--out", type=Path, default=Path("results/router_t2m_sweep.json"))
    args = ap.parse_args()
    split = load_tasks(args.tasks)
    ds = MotionDataset(args.data)
    args.cache.mkdir(parents=True, exist_ok=True)
    data_cfg = RouterDataConfig(n_paraphrases=args.paraphrases)

    def caps(ids):
        return [[c.caption for c in ds.texts(cid)] for cid in ids if ds.texts(cid)]

    train = [prompt_inputs(caps(t.train[: args.max_clips]), data_cfg) for t in split.tasks]
    base_train = prompt_inputs(caps(split.base.train[: 2 * args.max_clips]), data_cfg)
    val_caps = [[c for cs in caps(t.val) for c in cs] for t in split.tasks]
    base_caps = [c for cs in caps(split.base.val) for c in cs]
    everyday = split_items(load_everyday_prompts(), "validation")

    def embed(texts, source, tag):
        texts = [canonical_prompt(t) for t in texts] if source == "sentence_canon" else list(texts)
        return torch.as_tensor(embed_cached(texts, args.cache / f"{tag}-{source}"))

    rows = []
    for source in args.sources:
        x_train = [embed(texts, source, f"train{i}-p{args.paraphrases}-c{args.max_clips}") for i, (texts, _, _) in enumerate(train)]
        x_val = [embed(c, source, f"val{i}") for i, c in enumerate(val_caps)]
        x_base = embed(base_caps, source, "base")
        x_every = embed([p for p, _ in everyday], source, "everyday-val")
        x_bg = embed(base_train[0], source, f"basetrain-p{args.paraphrases}-c{2 * args.max_clips}") if args.background else None
        for hidden, rule, calibrate in itertools.product(args.hidden, RULES, CALIBRATE):
            router = AutoencoderRouter(x_train[0].shape[1], hidden, "t2m", source)
            for i, (t, (_, groups, kinds)) in enumerate(zip(split.tasks, train)):
                router.fit_expert(t.name, t.theme, x_train[i], cfg=RouterFitConfig(seed=i, **rule),
                                  groups=groups, kinds=kinds if calibrate == "per_kind_max" else None)
            if x_bg is not None:
                router.fit_background(x_bg, cfg=RouterFitConfig(seed=99, **rule), groups=base_train[1],
                                      kinds=base_train[2] if calibrate == "per_kind_max" else None)
            for rank, scale in itertools.product(RANKS, SCALES):
                router.rank = rank
                ev = score_routes(everyday, router.route_batch(x_every, threshold_scale=scale))
                val_ok = sum(sum(r.chosen == t.name for r in router.route_batch(x, threshold_scale=scale))
                             for t, x in zip(split.tasks, x_val))
                base_unseen = np.mean([r.unseen for r in router.route_batch(x_base, threshold_scale=scale)])
                row = {"source": source, "hidden": hidden, "rule": rule, "calibrate": calibrate, "rank": rank,
                       "background": x_bg is not None,
                       "threshold_scale": scale,
                       "everyday_right": ev["task_right_pct"], "everyday_nearest": ev["task_nearest_right_pct"],
                       "everyday_base_unseen": ev["base_unseen_pct"],
                       "val_captions_right": round(100.0 * val_ok / sum(len(x) for x in x_val), 1),
                       "base_captions_unseen": round(100.0 * float(base_unseen), 1)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": "python scripts/router_t2m_sweep.py --data CORPUS --tasks TASKS.json"
                                    + (" --background" if args.background else ""),
                                    "paraphrases": args.paraphrases, "split": "validation", "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
