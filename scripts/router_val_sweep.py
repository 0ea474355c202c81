"""How the default router settings were picked: routing on the *validation* split of a training run.

For each prompt input (MiniLM sentence embedding, pooled LM embeddings) and each threshold
n_std in 2 / 2.5 / 3, fit both routers exactly as training does and report: accuracy on every
validation caption (T2M) and clip (M2T) of the five tasks, accuracy on the short forms of those
captions, and the share of base-split validation inputs called unseen. The test split is left
alone for the benchmark. Writes results/router_val_sweep.json.

    python scripts/router_val_sweep.py [--work build/train-default] [--out results/router_val_sweep.json]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np


def main() -> None:
    from motion_studio.data.dataset import MotionDataset
    from motion_studio.data.tasks import load_tasks
    from motion_studio.models.backbone import MotionLM
    from motion_studio.models.router_inputs import T2M_SOURCES, m2t_vectors, t2m_vectors
    from motion_studio.models.sentence import get_sentence_encoder
    from motion_studio.training.continual import ContinualParts, fit_task_routers, new_routers, router_phrases, task_data
    from motion_studio.training.lm_data import load_codes
    from motion_studio.training.pipeline import PRESETS, continual_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("build/train-default"))
    ap.add_argument("--out", type=Path, default=Path("results/router_val_sweep.json"))
    args = ap.parse_args()
    split = load_tasks(args.work / "tasks.json")
    ds = MotionDataset(args.work / "corpus")
    model = MotionLM.load(args.work / "foundation" / "backbone").freeze()
    codes = load_codes(args.work / "foundation" / "codes.safetensors")
    enc = get_sentence_encoder()
    cfg = continual_config(PRESETS["default"])
    tasks = [task_data(t, ds, codes, enc, model, 0) for t in split.tasks]

    def clips(task):
        return [c for c in task.val if c in codes]

    def captions(task, short=False):
        caps = [c.caption for cid in clips(task) for c in ds.texts(cid)]
        return [p for c in caps for p in router_phrases(c)[1:]] if short else caps

    def t2m_x(texts, source):
        return t2m_vectors(model, texts, source, enc.embed(texts) if source == "sentence" else None)

    def m2t_x(task):
        return m2t_vectors(model, [codes[c][:model.cfg.max_codes] for c in clips(task)])

    def accuracy(router, xs):
        ok = n = 0
        for task, x in zip(split.tasks, xs):
            ok += sum(r.chosen == task.name for r in router.route_batch(x))
            n += x.shape[0]
        return round(100.0 * ok / n, 2)

    def unseen(router, x):
        return round(100.0 * float(np.mean([r.unseen for r in router.route_batch(x)])), 2)

    def fit(source, n_std):
        """Both routers, fitted exactly as training fits them, with this prompt input and n_std."""
        run_cfg = replace(cfg, t2m_source=source, router=replace(cfg.router, n_std=n_std))
        parts = ContinualParts(model, None, *new_routers(model, run_cfg))
        for i, t in enumerate(tasks):
            fit_task_routers(model, parts, t, run_cfg, seed_offset=i)
        return parts.router_t2m, parts.router_m2t

    rows, m2t_rows = [], []
    x_m2t = [m2t_x(t) for t in split.tasks]
    x_m2t_base = m2t_x(split.base)
    for source in T2M_SOURCES:
        x_full = [t2m_x(captions(t), source) for t in split.tasks]
        x_short = [t2m_x(captions(t, short=True), source) for t in split.tasks]
        x_base = t2m_x(captions(split.base), source)
        for n_std in (2.0, 2.5, 3.0):
            router, router_m2t = fit(source, n_std)
            rows.append({"direction": "t2m", "input": source, "n_std": n_std, "accuracy": accuracy(router, x_full),
                         "accuracy_short_forms": accuracy(router, x_short), "unseen_rate_base": unseen(router, x_base)})
            print(rows[-1], flush=True)
            if source == T2M_SOURCES[0]:  # the motion router does not depend on the prompt input
                m2t_rows.append({"direction": "m2t", "input": "motion_tokens", "n_std": n_std,
                                 "accuracy": accuracy(router_m2t, x_m2t), "unseen_rate_base": unseen(router_m2t, x_m2t_base)})
    rows += m2t_rows
    for row in m2t_rows:
        print(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": "python scripts/router_val_sweep.py", "split": "val",
                                    "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
