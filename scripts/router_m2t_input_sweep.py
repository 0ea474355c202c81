"""Which motion-router input tells the tasks apart: candidates scored without the test clips.

1. Inputs (models/router_inputs.py): "motion_tokens" (mean frozen LM embedding of the motion
   tokens, the paper) and "motion_stats" (a summary of the motion the frozen VQ-VAE decodes from
   those tokens). For each input, width and threshold rule, and with or without a base-family
   autoencoder, the five motion autoencoders are fitted as `motion-studio train` fits them (every
   train clip plus three shifted copies) and scored on the VALIDATION clips as they are and through
   the shifted-motion protocol (other rigs' BVH, time-warped, noised, cropped to 1-2 s, imported
   back; evaluation/shifted.py).
2. The validation clips are few (357 task clips: one miss is 0.3 %), so the summary itself (which
   statistics per channel), width and rule are also compared by 3-fold cross-validation over the
   TRAIN clips: fit on two thirds of each task's clips (with their shifted copies), route the
   other third's clips as they are.
Test clips are never read. The chosen candidate is the preset's motion router.

    python scripts/router_m2t_input_sweep.py [--checkpoint checkpoints/default] [--out results/router_m2t_input_sweep.json]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

SOURCES = ("motion_tokens", "motion_stats")
HIDDEN = (64, 256)
RULES = (dict(rule="quantile", quantile=0.97), dict(rule="quantile", quantile=0.99))
SUMMARIES = (("mean", "std"), ("mean", "std", "min", "max"), ("mean", "std", "p10", "p90"))
CV_CANDIDATES = [(stats, 256, 0.99) for stats in SUMMARIES] + [(SUMMARIES[2], 64, 0.99), (SUMMARIES[2], 256, 0.97)]
FOLDS = 3


def cross_validate(tasks, vqvae, stats, hidden: int, quantile: float, seed: int) -> dict:
    """3-fold CV over each task's train clips (a clip and its shifted copies stay in one fold)."""
    import torch

    from motion_studio.models.router import AutoencoderRouter, RouterFitConfig
    from motion_studio.models.motion_summary import motion_summary

    def vectors(code_lists):
        return torch.as_tensor(np.stack([motion_summary(vqvae.codes_to_features(c), stats) for c in code_lists]))

    xs = [vectors(t.codes) for t in tasks]  # each clip summarised once, then sliced per fold
    wrong, n, per_task = 0, 0, {t.name: 0 for t in tasks}
    for fold in range(FOLDS):
        router = None
        held, labels = [], []
        for i, t in enumerate(tasks):
            g, k = np.array(t.code_groups), np.array(t.code_kinds)
            fit = [j for j in range(len(t.codes)) if g[j] % FOLDS != fold]
            test = [j for j in range(len(t.codes)) if g[j] % FOLDS == fold and k[j] == 0]
            x = xs[i][fit]
            router = router or AutoencoderRouter(x.shape[1], hidden, "m2t", "motion_stats")
            router.rank = "ratio"
            router.fit_expert(t.name, t.theme, x, cfg=RouterFitConfig(steps=400, seed=seed + i, rule="quantile",
                                                                      quantile=quantile),
                              groups=list(g[fit]), kinds=list(k[fit]))
            held.append(xs[i][test])
            labels += [t.name] * len(test)
        for r, label in zip(router.route_batch(torch.cat(held)), labels):
            if r.chosen != label:
                wrong += 1
                per_task[label] += 1
        n += len(labels)
    return {"stats": list(stats), "hidden": hidden, "quantile": quantile, "n_clips": n,
            "right": round(100.0 * (1 - wrong / max(n, 1)), 2), "wrong_per_task": per_task}


def main() -> None:
    from motion_studio.agent import Agent
    from motion_studio.checkpoint import Checkpoint
    from motion_studio.evaluation.open_world import score_routes, shifted_items
    from motion_studio.evaluation.shifted import build_shifted_set
    from motion_studio.models.agent_parts import AgentParts
    from motion_studio.models.router import RouterFitConfig
    from motion_studio.models.router_inputs import m2t_vectors
    from motion_studio.training.continual import (base_family_data, fit_background_routers, fit_task_routers,
                                                  new_routers, task_data)
    from motion_studio.training.presets import TRAIN_PRESETS, continual_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--preset", default="default")
    ap.add_argument("--out", type=Path, default=Path("results/router_m2t_input_sweep.json"))
    args = ap.parse_args()
    ck = Checkpoint(args.checkpoint)
    split, ds = ck.tasks, ck.dataset()
    agent = Agent.load(ck, device="cpu")
    model, vqvae, codes = ck.backbone(), ck.vqvae(), ck.codes()
    max_codes = model.cfg.max_codes
    base_cfg = continual_config(TRAIN_PRESETS[args.preset])

    # validation clips as they are, and the same clips through the shifted-motion protocol
    shifted = build_shifted_set(shifted_items(ds, split, per_task=40, per_base=40, part="val"), 1)
    sets = {"val_clips": ([codes[c][:max_codes] for t in split.tasks for c in t.val if c in codes]
                          + [codes[c][:max_codes] for c in split.base.val if c in codes],
                          [t.name for t in split.tasks for c in t.val if c in codes]
                          + ["base" for c in split.base.val if c in codes]),
            "val_shifted": ([agent._motion_codes(item["motion"]) for item in shifted],
                            [item["label"]["task"] for item in shifted])}
    enc = agent.encoder  # the LM examples are not needed: two per task stand in
    tasks = [task_data(t, ds, codes, enc, model, base_cfg.seed, vqvae=vqvae, data_cfg=base_cfg.router_data,
                       max_examples=2) for t in split.tasks]
    base = base_family_data(split, ds, codes, enc, model, base_cfg.seed, vqvae=vqvae, data_cfg=base_cfg.router_data)

    def score(router, source, name):
        code_lists, labels = sets[name]
        s = score_routes([(f"#{i}", lab) for i, lab in enumerate(labels)],
                         router.route_batch(m2t_vectors(model, code_lists, source, vqvae)))
        return {"right": s["task_right_pct"], "base_unseen": s["base_unseen_pct"]}

    rows = []
    for source in SOURCES:
        for hidden in HIDDEN:
            for rule in RULES:
                cfg = replace(base_cfg, m2t_source=source, router_hidden_m2t=hidden,
                              router_m2t=RouterFitConfig(**{**asdict(base_cfg.router_m2t), **rule}),
                              router_background=("m2t",))
                parts = AgentParts(model, None, *new_routers(model, cfg))
                for i, t in enumerate(tasks):
                    fit_task_routers(model, parts, t, cfg, seed_offset=i, vqvae=vqvae, directions=("m2t",))
                for background in (False, True):
                    if background:
                        fit_background_routers(model, parts, base, cfg, vqvae=vqvae)
                    row = {"source": source, "hidden": hidden, "rule": rule, "base_autoencoder": background,
                           **{name: score(parts.router_m2t, source, name) for name in sets}}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    cv_rows = []
    for stats, hidden, quantile in CV_CANDIDATES:
        row = cross_validate(tasks, vqvae, stats, hidden, quantile, base_cfg.router_m2t.seed)
        cv_rows.append(row)
        print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": f"python scripts/router_m2t_input_sweep.py --checkpoint {args.checkpoint}",
                                    "split": "validation (rows), 3-fold CV over train clips (cv_rows)",
                                    "n_val_clips": len(sets["val_clips"][0]),
                                    "n_val_task_clips": sum(lab != "base" for lab in sets["val_clips"][1]),
                                    "n_shifted": len(shifted), "rows": rows, "cv_rows": cv_rows}, indent=1))


if __name__ == "__main__":
    main()
