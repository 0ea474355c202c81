"""How the motion router's settings were chosen: every candidate scored on VALIDATION clips only.

For each candidate (shifted copies per training clip, autoencoder width, threshold rule, scale) the
five M2T autoencoders are fitted on a trained checkpoint's frozen motion-token embeddings of the
tasks' train clips (and their shifted copies, training/router_data.py), thresholds calibrated on
held-out clips, then scored on validation clips: right expert (tasks), unseen (base split), and the
same for shifted copies of the validation clips (another seed than training's). Writes JSON.

    python scripts/router_m2t_sweep.py --checkpoint DIR [--data CORPUS] [--out results/router_m2t_sweep.json]
"""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

VARIANTS = (3,)
HIDDEN = (64, 256)
RULES = (dict(rule="std", n_std=3.0), dict(rule="quantile", quantile=0.95), dict(rule="quantile", quantile=0.99))
SCALES = (1.0, 1.25, 1.5)


def main() -> None:
    from motion_studio.checkpoint import Checkpoint
    from motion_studio.data.dataset import MotionDataset
    from motion_studio.models.router import AutoencoderRouter, RouterFitConfig
    from motion_studio.models.router_inputs import m2t_vectors
    from motion_studio.motion.features import joints_to_features
    from motion_studio.training.router_data import RouterDataConfig, clip_variant_codes, shifted_joints

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--data", type=Path, default=None, help="the corpus (default: the checkpoint's)")
    ap.add_argument("--max-clips", type=int, default=300, help="train clips per task (the sweep only compares)")
    ap.add_argument("--out", type=Path, default=Path("results/router_m2t_sweep.json"))
    args = ap.parse_args()
    ck = Checkpoint(args.checkpoint)
    split = ck.tasks
    ds = MotionDataset(args.data) if args.data else ck.dataset()
    model, vqvae, codes = ck.backbone(), ck.vqvae(), ck.codes()
    max_codes = model.cfg.max_codes

    def ids(task, part):
        return [c for c in getattr(task, part) if c in codes]

    def x_of(code_lists):
        return m2t_vectors(model, code_lists)

    rng = np.random.default_rng(12345)  # validation copies: another seed than training's

    def shifted(clip_ids):
        out = []
        for cid in clip_ids:
            feats = joints_to_features(shifted_joints(np.asarray(ds.joints(cid), np.float64), rng, RouterDataConfig()))
            out.append(vqvae.features_to_codes(feats[: max_codes * vqvae.cfg.factor])[:max_codes])
        return out

    val = [x_of([codes[c][:max_codes] for c in ids(t, "val")]) for t in split.tasks]
    base = x_of([codes[c][:max_codes] for c in ids(split.base, "val")])
    val_shift = [x_of(shifted(ids(t, "val"))) for t in split.tasks]
    base_shift = x_of(shifted(ids(split.base, "val")))

    rows = []
    for n_var in VARIANTS:
        train = []
        for t in split.tasks:
            tids = ids(t, "train")[: args.max_clips]
            c = [codes[i][:max_codes] for i in tids]
            groups, kinds = list(range(len(c))), [0] * len(c)
            if n_var:
                extra, g = clip_variant_codes([ds.joints(i) for i in tids], vqvae, max_codes,
                                              RouterDataConfig(n_clip_variants=n_var))
                c, groups, kinds = c + extra, groups + g, kinds + [1] * len(extra)
            train.append((x_of(c), groups, kinds))
        for hidden, rule in itertools.product(HIDDEN, RULES):
            router = AutoencoderRouter(train[0][0].shape[1], hidden, "m2t", "motion_tokens")
            router.rank = "ratio"  # as shipped (training/presets.py)
            for i, (t, (x, groups, kinds)) in enumerate(zip(split.tasks, train)):
                router.fit_expert(t.name, t.theme, x, cfg=RouterFitConfig(seed=i, **rule), groups=groups, kinds=kinds)
            for scale in SCALES:
                def right(xs):
                    ok = sum(sum(r.chosen == t.name for r in router.route_batch(x, threshold_scale=scale))
                             for t, x in zip(split.tasks, xs))
                    return round(100.0 * ok / sum(len(x) for x in xs), 1)

                def unseen(x):
                    return round(100.0 * float(np.mean([r.unseen for r in router.route_batch(x, threshold_scale=scale)])), 1)

                row = {"clip_variants": n_var, "hidden": hidden, "rule": rule, "threshold_scale": scale,
                       "val_clips_right": right(val), "base_clips_unseen": unseen(base),
                       "shifted_right": right(val_shift), "shifted_base_unseen": unseen(base_shift)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": "python scripts/router_m2t_sweep.py --checkpoint DIR",
                                    "split": "validation", "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
