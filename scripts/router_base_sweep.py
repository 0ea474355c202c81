"""How the prompt router's rule was chosen: width, threshold, base families and margin, on VALIDATION only.

The five task autoencoders are fitted exactly as `motion-studio train` fits them (the preset's
router config, seeds and augmentation, its prompt source or --source); then for each candidate —
autoencoder width; threshold mean + n_std * std; one base autoencoder over every base clip or one
per base family; a margin (a base family must explain the input `margin` times better than the
best accepting expert) — every validation input is routed and scored:
  - the validation half of assets/everyday_prompts.json: right expert (task prompts), unseen (base);
  - the corpus' validation captions: right expert (five tasks), unseen (base split).
The test halves are never read. The chosen candidate is the default in training/presets.py.

    python scripts/router_base_sweep.py [--work build/train-default] [--out results/router_base_sweep.json]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path


MARGINS = (0.9, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4, 1.5, 1.75, 2.0)
HIDDEN = (32, 64)
RULES = (dict(n_std=1.5), dict(n_std=1.75), dict(n_std=2.0), dict(n_std=2.5), dict(n_std=3.0))


def main() -> None:
    import torch

    from motion_studio.data.dataset import MotionDataset
    from motion_studio.data.everyday import load_everyday_prompts, split_items
    from motion_studio.evaluation.open_world import score_routes
    from motion_studio.data.tasks import load_tasks
    from motion_studio.models.router import AutoencoderRouter, RouterFitConfig
    from motion_studio.models.router_inputs import prompt_text
    from motion_studio.models.sentence import embed_cached
    from motion_studio.training.continual import base_family
    from motion_studio.training.presets import TRAIN_PRESETS, continual_config
    from motion_studio.training.router_data import prompt_inputs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("build/train-default"))
    ap.add_argument("--preset", default="default")
    ap.add_argument("--source", default=None, help="prompt router input (default: the preset's)")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache (default /tmp/router_base_sweep_SOURCE)")
    ap.add_argument("--out", type=Path, default=Path("results/router_base_sweep.json"))
    args = ap.parse_args()
    cfg = continual_config(TRAIN_PRESETS[args.preset])
    source = args.source or cfg.t2m_source
    args.cache = args.cache or Path(f"/tmp/router_base_sweep_{source}")
    split = load_tasks(args.work / "tasks.json")
    ds = MotionDataset(args.work / "corpus")
    args.cache.mkdir(parents=True, exist_ok=True)

    def embed(texts, tag):
        return torch.as_tensor(embed_cached([prompt_text(t, source) for t in texts], args.cache / tag))

    def caps(ids):
        return [[c.caption for c in ds.texts(cid)] for cid in ids]

    train = [prompt_inputs(caps(t.train), cfg.router_data) for t in split.tasks]
    x_train = [embed(texts, f"train-{t.name}") for t, (texts, _, _) in zip(split.tasks, train)]
    base_texts, base_groups, base_kinds = prompt_inputs(caps(split.base.train), cfg.router_data)
    x_base = embed(base_texts, "train-base")
    families = [base_family(ds.meta(split.base.train[g])) for g in base_groups]

    everyday = split_items(load_everyday_prompts(), "validation")
    corpus_val = ([(c, t.name) for t in split.tasks for cs in caps(t.val) for c in cs]
                  + [(c, "base") for cs in caps(split.base.val) for c in cs])
    sets = {"everyday": everyday, "corpus": corpus_val}
    x_sets = {k: embed([p for p, _ in items], f"val-{k}") for k, items in sets.items()}

    rows = []
    for hidden, rule in [(h, r) for h in HIDDEN for r in RULES]:
        rcfg = RouterFitConfig(**{**asdict(cfg.router), **rule})
        router = AutoencoderRouter(x_train[0].shape[1], hidden, "t2m", source)
        router.rank = cfg.router_rank
        for i, (t, (_, groups, kinds)) in enumerate(zip(split.tasks, train)):
            router.fit_expert(t.name, t.theme, x_train[i], cfg=RouterFitConfig(**{**asdict(rcfg), "seed": rcfg.seed + i}),
                              groups=groups, kinds=kinds)
        bg_cfg = RouterFitConfig(**{**asdict(rcfg), "seed": rcfg.seed + 97})
        for per_family in (False, True):
            router.fit_background(x_base, cfg=bg_cfg, groups=base_groups, kinds=base_kinds,
                                  families=families if per_family else None)
            for margin in MARGINS:
                router.base_margin = margin
                row = {"hidden": hidden, "rule": rule, "base_families": per_family, "base_margin": margin}
                for name, items in sets.items():
                    s = score_routes(items, router.route_batch(x_sets[name]))
                    row[f"{name}_right"] = s["task_right_pct"]
                    row[f"{name}_base_unseen"] = s["base_unseen_pct"]
                rows.append(row)
                print(json.dumps(row), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": f"python scripts/router_base_sweep.py --work {args.work} --source {source}",
                                    "source": source, "split": "validation", "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
