"""Motion-router candidates scored on VALIDATION clips as they are and as imported files would be.

For each candidate (autoencoder width, threshold rule) the five motion autoencoders are fitted as
`motion-studio train` fits them (all train clips plus three shifted copies each, ratio rank) on the
checkpoint's frozen motion-token embeddings, then scored on: the validation clips (right expert for
task clips, unseen for base clips) and the same clips exported as other rigs' BVH, time-warped,
noised, cropped to 1-2 s and imported back (evaluation/shifted.py, the protocol of the reported
shifted-motion test, another seed). Test clips are never read. Prints one JSON row per candidate.

    python scripts/router_m2t_shifted_sweep.py [--checkpoint checkpoints/default] [--data CORPUS]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


HIDDEN = (64, 256)
RULES = (dict(rule="quantile", quantile=0.95), dict(rule="quantile", quantile=0.97),
         dict(rule="quantile", quantile=0.99), dict(rule="std", n_std=3.0))


def main() -> None:
    from motion_studio.agent import Agent
    from motion_studio.checkpoint import Checkpoint
    from motion_studio.data.dataset import MotionDataset
    from motion_studio.evaluation.open_world import score_routes, shifted_items
    from motion_studio.evaluation.shifted import build_shifted_set
    from motion_studio.models.router import AutoencoderRouter, RouterFitConfig
    from motion_studio.models.router_inputs import m2t_vectors
    from motion_studio.training.router_data import RouterDataConfig, clip_variant_codes

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--data", type=Path, default=None, help="the corpus (default: the checkpoint's)")
    ap.add_argument("--out", type=Path, default=Path("results/router_m2t_shifted_sweep.json"))
    args = ap.parse_args()
    ck = Checkpoint(args.checkpoint)
    split = ck.tasks
    ds = MotionDataset(args.data) if args.data else ck.dataset()
    agent = Agent.load(ck, device="cpu")
    model, vqvae, codes = ck.backbone(), ck.vqvae(), ck.codes()
    max_codes = model.cfg.max_codes

    # the validation clips in the shape shifted_items reads (it takes each group's .test)
    shifted = build_shifted_set(shifted_items(ds, split, per_task=40, per_base=40, part="val"), 1)
    x_shift = m2t_vectors(model, [agent._motion_codes(item["motion"]) for item in shifted])
    lab_shift = [item["label"]["task"] for item in shifted]
    val = ([(c, t.name) for t in split.tasks for c in t.val if c in codes]
           + [(c, "base") for c in split.base.val if c in codes])
    x_val = m2t_vectors(model, [codes[c][:max_codes] for c, _ in val])
    lab_val = [lab for _, lab in val]

    train = []
    for t in split.tasks:
        ids = [c for c in t.train if c in codes]
        clip_codes = [codes[i][:max_codes] for i in ids]
        extra, extra_groups = clip_variant_codes([ds.joints(i) for i in ids], vqvae, max_codes,
                                                 RouterDataConfig(n_clip_variants=3, seed=0))
        train.append((m2t_vectors(model, clip_codes + extra), list(range(len(ids))) + extra_groups,
                      [0] * len(ids) + [1] * len(extra)))

    def score(router, x, labels):
        s = score_routes([(f"#{i}", lab) for i, lab in enumerate(labels)], router.route_batch(x))
        return {"right": s["task_right_pct"], "base_unseen": s["base_unseen_pct"]}

    rows = []
    for hidden in HIDDEN:
        for rule in RULES:
            router = AutoencoderRouter(x_val.shape[1], hidden, "m2t", "motion_tokens")
            router.rank = "ratio"
            for i, (t, (x, groups, kinds)) in enumerate(zip(split.tasks, train)):
                router.fit_expert(t.name, t.theme, x, cfg=RouterFitConfig(steps=400, seed=i, **rule),
                                  groups=groups, kinds=kinds)
            row = {"hidden": hidden, "rule": rule, "val_clips": score(router, x_val, lab_val),
                   "val_shifted": score(router, x_shift, lab_shift)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": f"python scripts/router_m2t_shifted_sweep.py --checkpoint {args.checkpoint}",
                                    "split": "validation", "n_val_clips": len(val), "n_shifted": len(shifted),
                                    "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
