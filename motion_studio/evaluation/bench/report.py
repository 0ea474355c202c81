"""The benchmark's figures: scores of one cell, ACC/BWT/FWT/forgetting, results.json and
config.json (JSON-safe), the plots, and the short summary table `motion-studio bench` prints."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

# metric -> higher is better
METRICS: dict[str, bool] = {
    "t2m_rprec3": True, "t2m_fid": False, "t2m_mm_dist": False, "t2m_diversity": True,
    "m2t_bleu4": True, "m2t_rouge_l": True, "m2t_cider": True, "t2m_token_acc": True, "m2t_token_acc": True,
}
T2M_METRICS = ("t2m_rprec3", "t2m_fid", "t2m_mm_dist", "t2m_diversity")
# Captions are scored as the models write them, without the known-words repair the app and the
# model report apply (models/known_words.py): the benchmark compares continual-learning methods,
# as the paper does, and a repair would blur what each method's adapters say.
RAW_CAPTIONS = "off"


def cell_scores(world, items: list, outputs: list[dict]) -> dict:
    """All METRICS for one (method, stage, task) cell from its items' outputs."""
    from ...metrics.text import caption_scores

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
    from ...metrics import continual as M

    out = {"ACC": {}, "BWT": {}, "FWT": {}, "forgetting": {}}
    for m, r in matrices.items():
        hib = METRICS[m]
        out["ACC"][m] = M.acc(r)
        out["BWT"][m] = M.bwt(r, hib)
        out["FWT"][m] = M.fwt(r, baseline[m], hib)
        out["forgetting"][m] = M.forgetting(r, hib)
    return out


def json_safe(x):
    """JSON-safe: NaN -> null, numpy numbers -> Python."""
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, (np.floating, float)):
        return None if not np.isfinite(x) else float(x)
    if isinstance(x, np.integer):
        return int(x)
    return x


def write_results(results: dict, out_dir: Path, config: dict) -> None:
    from ..plots import write_plots

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(json_safe(results), indent=1))
    (out_dir / "config.json").write_text(json.dumps(json_safe(config), indent=1))
    write_plots(results, out_dir)


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


def row_token_accuracy(model, examples: list) -> list[tuple[int, int]]:
    """Teacher-forced (correct, total) per example, one batched forward pass (None -> (0, 0))."""
    import torch

    from ...models.sequences import collate

    present = [e for e in examples if e is not None]
    if not present:
        return [(0, 0)] * len(examples)
    with torch.no_grad():
        logits, targets = model._logits_and_targets(collate(present, model.tok.pad_id))
    scored = targets != -100
    correct = ((logits.argmax(-1) == targets) & scored).sum(1).tolist()
    rows = iter(zip(correct, scored.sum(1).tolist()))
    return [(0, 0) if e is None else tuple(int(v) for v in next(rows)) for e in examples]
