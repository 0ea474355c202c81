"""Does the foundation backbone train too long? Generated-motion R-precision on validation vs LM steps.

Why: on the v3 model the foundation's generated-motion R-precision@3 is 0.898x real motion's on
the base test clips (issue 11 asks for 0.9x), while its final training loss is 0.05 and its T2M
token accuracy on validation 0.35, which looks like overfitting. This trains the backbone again
with fewer steps (same VQ-VAE, codes, tokenizer seed, data and schedule shape; cosine over the
new length) and scores each on the base split's **validation** clips (test clips are not read):
R-precision@3 of generated vs real motion through the checkpoint's evaluator, the mean over 20
shuffles of the 32-clip pools. The shipped 3,000-step backbone is scored the same way.

    python scripts/foundation_steps_study.py [--steps 1000 2000] [--work build/train-default]
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np


def rprec_val(model, vqvae, evaluator, ds, ids, encoder, shuffles: int = 20) -> dict:
    """Mean/std R-precision@3 (over pool shuffles) of generated and of real motions, validation clips."""
    from motion_studio.metrics import motion as M
    from motion_studio.models.evaluator import embed_motions, embed_texts

    prompts = [ds.texts(i)[0].caption for i in ids]
    real = [np.asarray(ds.features(i), np.float32) for i in ids]
    sent = np.asarray(encoder.embed(prompts), np.float32)
    want = [len(vqvae.features_to_codes(f)[: model.cfg.max_codes]) for f in real]
    gen = [model.generate_motion([p], sent[k:k + 1], [want[k]], greedy=True)[0] for k, p in enumerate(prompts)]
    g = embed_motions(evaluator, [evaluator.normalise(vqvae.codes_to_features(c)) for c in gen], True)
    r = embed_motions(evaluator, [evaluator.normalise(f) for f in real], True)
    t = embed_texts(evaluator, sent)
    out = {}
    for name, m in (("generated", g), ("real", r)):
        v = [M.r_precision(t, m, seed=s)[2] for s in range(shuffles)]
        out[name] = {"mean": round(100 * float(np.mean(v)), 2), "std": round(100 * float(np.std(v)), 2)}
    out["ratio"] = round(out["generated"]["mean"] / out["real"]["mean"], 3)
    out["fid"] = round(float(M.fid(r, g)), 4)
    return out


def retrain_backbone(study: Path, vqvae_dir: Path, codes: Path, data: Path, tasks_json: Path, cfg, encoder) -> tuple[Path, int]:
    """Train a backbone variant in `study` on a copy of the shipped VQ-VAE and codes (so only the
    LM stage runs; resumable). Returns (backbone folder, seconds)."""
    from motion_studio.training.foundation import train_foundation

    (study / "vqvae").mkdir(parents=True, exist_ok=True)
    for f in vqvae_dir.iterdir():
        shutil.copy2(f, study / "vqvae" / f.name)
    shutil.copy2(codes, study / "codes.safetensors")
    t0 = time.time()
    train_foundation(data, tasks_json, study, cfg, progress=False, resume=True, sent_encoder=encoder)
    return study / "backbone", round(time.time() - t0)


def study_row(backbone: Path, vqvae, evaluator, ds, ids, encoder, **fields) -> dict:
    """One row of a foundation study: `fields`, the backbone's training report and its validation score."""
    import torch

    from motion_studio.models.backbone import MotionLM

    model = MotionLM.load(backbone).eval()
    report = json.loads((backbone / "lm_report.json").read_text())
    with torch.inference_mode():
        score = rprec_val(model, vqvae, evaluator, ds, ids, encoder)
    row = {**fields, "steps": report["train"]["steps"], "final_loss": round(report["train"]["final_loss"], 4),
           "val_token_acc": report["train"].get("token_acc"), "base_val_clips": len(ids), "rprec3": score}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    import torch

    from motion_studio.data.dataset import MotionDataset
    from motion_studio.data.tasks import load_tasks
    from motion_studio.models.evaluator import TextMotionEvaluator
    from motion_studio.models.sentence import get_sentence_encoder
    from motion_studio.models.vqvae import MotionVQVAE
    from motion_studio.training.presets import TRAIN_PRESETS, foundation_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("build/train-default"), help="the default model's work folder")
    ap.add_argument("--steps", type=int, nargs="+", default=[1000, 2000])
    ap.add_argument("--out", type=Path, default=Path("results/foundation_steps_study.json"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    start = time.time()
    data, tasks_json, found = args.work / "corpus", args.work / "tasks.json", args.work / "foundation"
    ds, split, enc = MotionDataset(data), load_tasks(tasks_json), get_sentence_encoder()
    ids = [i for i in split.base.val if ds.texts(i)]
    vqvae = MotionVQVAE.load(found / "vqvae").eval()
    evaluator = TextMotionEvaluator.load(args.work / "evaluator").eval()
    base_cfg = foundation_config(TRAIN_PRESETS["default"])
    rows = []
    for steps in sorted(set(args.steps + [base_cfg.lm_train.steps])):
        if steps == base_cfg.lm_train.steps:
            backbone, seconds = found / "backbone", None
        else:
            cfg = replace(base_cfg, lm_train=replace(base_cfg.lm_train, steps=steps))
            backbone, seconds = retrain_backbone(Path("build") / f"foundation-steps-{steps}", found / "vqvae",
                                                 found / "codes.safetensors", data, tasks_json, cfg, enc)
        rows.append(study_row(backbone, vqvae, evaluator, ds, ids, enc, train_seconds=seconds))
    out = {"command": "python scripts/foundation_steps_study.py --steps " + " ".join(map(str, args.steps)),
           "split": "base validation", "rows": rows, "seconds": round(time.time() - start)}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
