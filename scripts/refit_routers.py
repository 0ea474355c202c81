"""Refit both routers of a trained run from its frozen experts, with the current router code.

The routers only read frozen input embeddings, so a change to how they are fitted (threshold
rule, inputs) does not need the LoRA experts retrained: this refits every task's autoencoders
exactly as `motion-studio train` fits them (same config, seeds and order) into the run's
continual/ folder. Re-running `motion-studio train --preset P --out DIR` afterwards resumes every
finished stage and only re-assembles the checkpoint.

    python scripts/refit_routers.py [--preset default] [--work build/train-default] [--directions t2m m2t]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    from motion_studio.data.dataset import MotionDataset
    from motion_studio.models.agent_parts import AgentParts
    from motion_studio.models.sentence import get_sentence_encoder
    from motion_studio.training.continual import (STATE_FILE, base_family_data, fit_background_routers,
                                                  fit_task_routers, new_routers, task_data)
    from motion_studio.training.pipeline import work_checkpoint
    from motion_studio.training.presets import TRAIN_PRESETS as PRESETS, continual_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="default", choices=sorted(PRESETS))
    ap.add_argument("--work", type=Path, default=None, help="the training work folder (default build/train-PRESET)")
    ap.add_argument("--directions", nargs="+", default=["t2m", "m2t"], choices=["t2m", "m2t"],
                    help="refit only these routers (the others are kept as they are)")
    args = ap.parse_args()
    p = PRESETS[args.preset]
    work = args.work or Path("build") / f"train-{args.preset}"
    ck = work_checkpoint(work)
    split, model, codes = ck.tasks, ck.backbone(), ck.codes()
    ds = MotionDataset(work / "corpus")
    enc = get_sentence_encoder()
    vqvae = ck.vqvae()
    cfg = continual_config(p)
    parts = AgentParts.load(model, work / "continual")
    fresh_t2m, fresh_m2t = new_routers(model, cfg)
    if "t2m" in args.directions:
        parts.router_t2m = fresh_t2m
    if "m2t" in args.directions:
        parts.router_m2t = fresh_m2t
    state_path = work / "continual" / STATE_FILE
    state = json.loads(state_path.read_text())
    for i, t in enumerate(split.tasks):
        data = task_data(t, ds, codes, enc, model, p.seed, vqvae=vqvae, data_cfg=cfg.router_data)
        report = fit_task_routers(model, parts, data, cfg, seed_offset=i, vqvae=vqvae, directions=args.directions)
        state["reports"][t.name]["router"].update(report)
        print(t.name, {d: round(r["threshold"], 4) for d, r in report.items()})
    if set(cfg.router_background) & set(args.directions):
        base = base_family_data(split, ds, codes, enc, model, p.seed, vqvae=vqvae, data_cfg=cfg.router_data)
        report = fit_background_routers(model, parts, base, cfg, vqvae=vqvae)
        print("base family", {d: round(r["threshold"], 4) for d, r in report.items()})
    state["config"] = cfg.to_dict()
    parts.save(work / "continual")
    state_path.write_text(json.dumps(state, indent=2))


if __name__ == "__main__":
    main()
