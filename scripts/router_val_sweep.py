"""How the router settings were chosen: every candidate scored on VALIDATION inputs only.

For each router-data setting (paraphrases per caption, shifted copies per clip) and each
threshold rule, fit both routers as training does (continual.fit_task_routers) on a trained
checkpoint's frozen parts, then score:
  T2M: the five tasks' validation captions (right expert), base-split validation captions (called
       unseen), and the validation half of assets/everyday_prompts.json (right expert / unseen);
  M2T: validation clips (right expert), base validation clips (unseen), and shifted copies of the
       validation clips (cropped 1-4 s, time-warped, other proportions, retargeted back).
The test split and the everyday test half are left alone for reporting. Writes JSON.

    python scripts/router_val_sweep.py --checkpoint checkpoints/default --data DIR [--out results/router_val_sweep.json]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

GRID_DATA = [dict(n_paraphrases=0, n_clip_variants=0), dict(n_paraphrases=3, n_clip_variants=3)]
GRID_RULES = [dict(rule="std", n_std=2.0), dict(rule="std", n_std=3.0),
              dict(rule="quantile", quantile=0.95), dict(rule="quantile", quantile=0.99)]
SCALES = (1.0, 1.25, 1.5)


def main() -> None:
    import torch

    from motion_studio.data.dataset import MotionDataset
    from motion_studio.data.tasks import load_tasks
    from motion_studio.evaluation.open_world import load_everyday_prompts, score_routes, split_items
    from motion_studio.models.backbone import MotionLM
    from motion_studio.models.router_inputs import m2t_vectors
    from motion_studio.models.sentence import get_sentence_encoder
    from motion_studio.models.vqvae import MotionVQVAE
    from motion_studio.motion.features import joints_to_features
    from motion_studio.models.agent_parts import AgentParts
    from motion_studio.training.continual import ContinualConfig, fit_task_routers, new_routers, task_data
    from motion_studio.training.lm_data import load_codes
    from motion_studio.training.router_data import RouterDataConfig, shifted_joints

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--data", type=Path, required=True, help="the corpus the checkpoint was trained on")
    ap.add_argument("--out", type=Path, default=Path("results/router_val_sweep.json"))
    ap.add_argument("--no-m2t", action="store_true", help="T2M only (faster)")
    args = ap.parse_args()
    ck = args.checkpoint
    split = load_tasks(ck / "tasks.json")
    ds = MotionDataset(args.data)
    model = MotionLM.load(ck / "backbone").freeze()
    vqvae = MotionVQVAE.load(ck / "vqvae").eval()
    codes = load_codes(ck / "codes.safetensors")
    enc = get_sentence_encoder()
    manifest = json.loads((ck / "manifest.json").read_text())
    base_cfg = ContinualConfig.from_dict(manifest["configs"]["continual"])
    max_codes = model.cfg.max_codes

    def val_ids(task):
        return [c for c in task.val if c in codes]

    def caption_x(ids):
        caps = [c.caption for cid in ids for c in ds.texts(cid)]
        return torch.as_tensor(enc.embed(caps))

    def codes_x(code_lists):
        return m2t_vectors(model, code_lists)

    rng = np.random.default_rng(12345)  # shifted validation copies: another seed than training's

    def shifted_codes(ids):
        out = []
        for cid in ids:
            feats = joints_to_features(shifted_joints(np.asarray(ds.joints(cid), dtype=np.float64), rng,
                                                      RouterDataConfig()))
            out.append(vqvae.features_to_codes(feats[: max_codes * vqvae.cfg.factor])[:max_codes])
        return out

    names = [t.name for t in split.tasks]
    t2m_val = [caption_x(val_ids(t)) for t in split.tasks]
    t2m_base = caption_x(val_ids(split.base))
    everyday = split_items(load_everyday_prompts(), "validation")
    everyday_x = torch.as_tensor(enc.embed([p for p, _ in everyday]))
    if not args.no_m2t:
        m2t_val = [codes_x([codes[c][:max_codes] for c in val_ids(t)]) for t in split.tasks]
        m2t_base = codes_x([codes[c][:max_codes] for c in val_ids(split.base)])
        m2t_shift = [codes_x(shifted_codes(val_ids(t))) for t in split.tasks]
        m2t_shift_base = codes_x(shifted_codes(val_ids(split.base)))

    def acc(router, xs, scale):
        ok = sum(sum(r.chosen == n for r in router.route_batch(x, threshold_scale=scale)) for n, x in zip(names, xs))
        return round(100.0 * ok / sum(x.shape[0] for x in xs), 1)

    def unseen(router, x, scale):
        return round(100.0 * float(np.mean([r.unseen for r in router.route_batch(x, threshold_scale=scale)])), 1)

    rows = []
    for data_kw in GRID_DATA:
        data_cfg = RouterDataConfig(**data_kw)
        tasks = [task_data(t, ds, codes, enc, model, 0, vqvae=None if args.no_m2t else vqvae, data_cfg=data_cfg)
                 for t in split.tasks]
        for rule_kw in GRID_RULES:
            cfg = replace(base_cfg, router=replace(base_cfg.router, **rule_kw))
            parts = AgentParts(model, None, *new_routers(model, cfg))
            for i, t in enumerate(tasks):
                fit_task_routers(model, parts, t, cfg, seed_offset=i)
            for scale in SCALES:
                ev = score_routes(everyday, parts.router_t2m.route_batch(everyday_x, threshold_scale=scale))
                row = {"data": data_kw, "rule": rule_kw, "threshold_scale": scale,
                       "t2m": {"val_captions_right": acc(parts.router_t2m, t2m_val, scale),
                               "base_captions_unseen": unseen(parts.router_t2m, t2m_base, scale),
                               "everyday_right": ev["task_right_pct"], "everyday_nearest": ev["task_nearest_right_pct"],
                               "everyday_base_unseen": ev["base_unseen_pct"]}}
                if not args.no_m2t:
                    row["m2t"] = {"val_clips_right": acc(parts.router_m2t, m2t_val, scale),
                                  "base_clips_unseen": unseen(parts.router_m2t, m2t_base, scale),
                                  "shifted_right": acc(parts.router_m2t, m2t_shift, scale),
                                  "shifted_base_unseen": unseen(parts.router_m2t, m2t_shift_base, scale)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": f"python scripts/router_val_sweep.py --checkpoint {ck} --data DIR",
                                    "split": "validation", "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
