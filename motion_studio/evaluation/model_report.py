"""`motion-studio evaluate`: the model report of a checkpoint, next to the real-data row.

Rows (each on the held-out test clips of a split, metrics through the trained evaluator):
- real: ground-truth motions and captions (M2T: each clip's first caption against its others);
- vqvae: ground-truth motions through the VQ-VAE (encode -> decode), the tokenizer's ceiling;
- model: the agent itself (the frozen foundation on the base split; routed experts on task splits).
Plus the everyday-prompt check: the hand-written test prompts of assets/everyday_prompts.json,
generated through the router, scored by whether the evaluator places the motion nearest to the
real test motions of the prompt's theme.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..checkpoint import Checkpoint
from ..data.everyday import load_everyday_prompts
from ..training.device import training_device


def _real_caption_row(items) -> dict:
    from ..metrics.text import caption_scores

    usable = [it for it in items if len(it["refs"]) > 1]
    scores = caption_scores([it["refs"][0] for it in usable], [it["refs"][1:] for it in usable])
    return {"m2t_bleu4": 100 * scores["bleu4"], "m2t_rouge_l": 100 * scores["rouge_l"], "m2t_cider": scores["cider"]}


def _t2m_row(evaluator, gen_feats, real_feats, sent) -> dict:
    from ..models.evaluator import t2m_metrics

    m = t2m_metrics(evaluator, [evaluator.normalise(f) for f in gen_feats],
                    [evaluator.normalise(f) for f in real_feats], sent)
    return {"t2m_fid": m["fid"], "t2m_rprec1": 100 * m["rprec1"], "t2m_rprec2": 100 * m["rprec2"],
            "t2m_rprec3": 100 * m["rprec3"], "t2m_mm_dist": m["mm_dist"], "t2m_diversity": m["diversity"]}


def evaluate_checkpoint(checkpoint, split: str = "base", n_items: int = 128, progress: bool = True) -> dict:
    """Metrics of the agent on one split's test clips (`split`: "base" or a task name)."""
    from ..agent import Agent, RouteSettings
    from ..metrics.text import caption_scores
    from ..models.generation import caption_codes, generate_codes

    ck = Checkpoint(checkpoint)
    agent = Agent.load(ck, device=training_device())
    tasks, ds, evaluator = ck.tasks, ck.dataset(), ck.evaluator()
    group = tasks.base if split == "base" else tasks.by_name()[split]
    ids = [i for i in (group.test or group.val) if ds.texts(i)][:n_items]
    items = [{"id": i, "refs": [c.caption for c in ds.texts(i)], "feats": np.asarray(ds.features(i), np.float32)}
             for i in ids]
    prompts = [it["refs"][0] for it in items]
    sent = agent.encoder.embed(prompts)
    real = [it["feats"] for it in items]

    codes_in = [agent.vqvae.features_to_codes(f)[: agent.model.cfg.max_codes] for f in real]
    recon = [agent.vqvae.codes_to_features(c) for c in codes_in]
    rows = {"real": {**_t2m_row(evaluator, real, real, sent), **_real_caption_row(items)},
            "vqvae": _t2m_row(evaluator, recon, real, sent)}
    # "foundation": the frozen backbone alone; "agent": experts routed as in the app (base when unseen)
    # one request per decode call (batch_size=1): the numbers of the committed report, which a
    # batch's shared prompt room would shift slightly
    for row, settings in (("foundation", RouteSettings(force_expert="base")), ("agent", RouteSettings())):
        blends_t = [r.blend for r in agent.route_batch("t2m", prompts, settings, sent_embs=sent)]
        blends_m = [r.blend for r in agent.route_batch("m2t", codes_in, settings)]
        gen = generate_codes(agent.parts, prompts, sent, blends_t, n_codes=[len(c) for c in codes_in], batch_size=1)
        gen_feats = [agent.vqvae.codes_to_features(g) for g in gen]
        captions = caption_codes(agent.parts, codes_in, blends_m, batch_size=1)
        caps = caption_scores(captions, [it["refs"] for it in items])
        rows[row] = {**_t2m_row(evaluator, gen_feats, real, sent), "m2t_bleu1": 100 * caps["bleu1"],
                     "m2t_bleu4": 100 * caps["bleu4"], "m2t_rouge_l": 100 * caps["rouge_l"],
                     "m2t_cider": caps["cider"]}
    samples = [{"prompt": p, "truth": it["refs"], "caption": c} for p, it, c in list(zip(prompts, items, captions))[:8]]
    return {"split": split, "n": len(items), "rows": rows, "caption_samples": samples}


def paraphrase_check(checkpoint, n_real_per_theme: int = 48) -> dict:
    """Everyday test prompts (hand-written): routed expert and evaluator theme retrieval."""
    import torch

    from ..agent import Agent
    from ..models.evaluator import embed_motions

    ck = Checkpoint(checkpoint)
    agent = Agent.load(ck, device=training_device())
    tasks, ds, evaluator = ck.tasks, ck.dataset(), ck.evaluator()
    everyday = load_everyday_prompts()["tasks"]
    paraphrases = {t.theme: everyday.get(t.name, {}).get("test", []) for t in tasks.tasks}
    themes = [t.theme for t in tasks.tasks]
    centroids = []
    for t in tasks.tasks:
        ids = (t.test or t.val or t.train)[:n_real_per_theme]
        feats = [evaluator.normalise(np.asarray(ds.features(i), np.float32)) for i in ids]
        emb = embed_motions(evaluator, feats, True)
        centroids.append(emb.mean(0))
    centroids = np.stack(centroids)
    per_theme = {}
    for theme in themes:
        prompts = paraphrases.get(theme, [])
        routed_ok = retrieved_ok = unseen = 0
        for p in prompts:
            gen = agent.generate(p, seconds=4.0)
            expected = next(e.name for e in agent.experts if e.theme == theme)
            routed_ok += gen.route.chosen == expected
            unseen += gen.route.unseen
            with torch.inference_mode():
                emb = embed_motions(evaluator, [evaluator.normalise(gen.motion.features)], True)[0]
            nearest = int(np.argmin(np.linalg.norm(centroids - emb, axis=1)))
            retrieved_ok += themes[nearest] == theme
        n = max(1, len(prompts))
        per_theme[theme] = {"n": len(prompts), "routed_to_theme_pct": 100 * routed_ok / n,
                            "unseen_pct": 100 * unseen / n, "motion_matches_theme_pct": 100 * retrieved_ok / n}
    total = sum(v["n"] for v in per_theme.values()) or 1
    overall = {k: sum(v[k] * v["n"] for v in per_theme.values()) / total
               for k in ("routed_to_theme_pct", "unseen_pct", "motion_matches_theme_pct")}
    return {"per_theme": per_theme, "overall": overall}


def write_report(checkpoint, out, n_items: int = 128, sample_dir=None) -> dict:
    from ..agent import Agent
    from .open_world import open_world_report

    ck = Checkpoint(checkpoint)
    report = {"checkpoint": str(checkpoint),
              "splits": {s: evaluate_checkpoint(checkpoint, s, n_items) for s in ["base"]},
              "paraphrases": paraphrase_check(checkpoint),
              "open_world": open_world_report(Agent.load(ck, device=training_device()), ck, sample_dir=sample_dir)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=float))
    return report


def format_report(report: dict) -> str:
    """The rows as a plain table, one line per row."""
    cols = ["t2m_rprec3", "t2m_fid", "t2m_mm_dist", "t2m_diversity", "m2t_bleu4", "m2t_rouge_l", "m2t_cider"]
    lines = []
    for split, res in report["splits"].items():
        lines.append(f"split {split} ({res['n']} test clips)")
        lines.append("  " + f"{'row':<11}" + "".join(f"{c:>14}" for c in cols))
        for row, vals in res["rows"].items():
            lines.append("  " + f"{row:<11}" + "".join(
                f"{vals[c]:14.3f}" if c in vals else f"{'-':>14}" for c in cols))
    para = report.get("paraphrases", {}).get("overall")
    if para:
        lines.append("everyday test prompts, generated: " + ", ".join(f"{k} {v:.0f}" for k, v in para.items()))
    ow = report.get("open_world")
    if ow:
        t = ow["everyday_test"]
        lines.append(f"everyday test prompts: right expert {t['task_right_pct']:.1f} % (nearest {t['task_nearest_right_pct']:.1f} %), "
                     f"base families unseen {t['base_unseen_pct']:.1f} %")
        sm = ow["shifted_motion"]
        lines.append(f"shifted motion: right expert {sm['task_right_expert_pct']} %, caption names the action "
                     f"{sm['task_caption_names_action_pct']} %, base clips unseen {sm['base_unseen_pct']} %")
    return "\n".join(lines)
