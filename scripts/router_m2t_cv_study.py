"""Can the motion router tell arms from gestures better? Candidates compared without test clips.

The shipped motion router (decoded-motion summary, 256-wide autoencoders, 99th-percentile
thresholds) misses mostly pointing to the side taken for reaching to the side and back. This
study fits the five motion autoencoders as training does (train clips plus three shifted copies)
for each candidate and scores it by 3-fold cross-validation over the TRAIN clips, then, fitted
on every train clip, on the validation clips, the shifted validation clips and (with --sample)
the real HumanML3D clip. Candidates change one thing each: the summary (which channels and
statistics), the std floor, the training length, a trimmed reconstruction error, a mirror
canonical form, or the motion as it came in instead of as the VQ-VAE decodes its tokens. Two supervised classifiers on the same summary (they see every task at once, so
they are references, not routers: a continual router never has old tasks' data) show how far
the inputs themselves separate the tasks. Test clips are never read.

    python scripts/router_m2t_cv_study.py [--checkpoint checkpoints/default] [--sample ../shared/humanml3d_sample]
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

FOLDS = 3


# --------------------------------------------------------------------------- summaries
def make_summaries():
    from motion_studio.models.motion_summary import SUMMARY_CHANNELS, motion_summary
    from motion_studio.motion import features as F
    from motion_studio.motion.skeleton import JOINT_NAMES, MIRROR

    root = np.r_[F.ROOT_ROT_VEL.start:F.ROOT_Y.stop]
    ric, con = np.r_[F.RIC], np.r_[F.CONTACTS]
    stat = {"mean": lambda g: g.mean(0), "std": lambda g: g.std(0),
            **{f"p{q}": (lambda q: lambda g: np.percentile(g, q, axis=0))(q) for q in (10, 25, 75, 90)}}

    def summary(channels, stats):
        return lambda f: np.concatenate([stat[s](np.asarray(f, np.float64)[:, channels]) for s in stats]).astype(np.float32)

    def with_displacement(f):  # + how far each joint gets from where it started (10th / 90th percentile)
        g = np.asarray(f, np.float64)[:, ric]
        d = g - g[: max(1, len(g) // 10)].mean(0)
        return np.concatenate([motion_summary(f), np.percentile(d, 10, 0), np.percentile(d, 90, 0)]).astype(np.float32)

    joint = {n: i for i, n in enumerate(JOINT_NAMES)}

    def mirrored(f):  # the same motion done with the other side of the body
        g, n = f.copy(), len(f)
        g[:, 0] *= -1
        g[:, 1] *= -1
        pos = np.concatenate([np.zeros((n, 1, 3)), f[:, F.RIC].reshape(n, -1, 3)], 1)[:, list(MIRROR)]
        pos[..., 0] *= -1
        g[:, F.RIC] = pos[:, 1:].reshape(n, -1)
        v = f[:, F.LOCAL_VEL].reshape(n, -1, 3)[:, list(MIRROR)].copy()
        v[..., 0] *= -1
        g[:, F.LOCAL_VEL] = v.reshape(n, -1)
        g[:, F.CONTACTS] = f[:, F.CONTACTS][:, [2, 3, 0, 1]]
        return g

    def arm_travel(f, side):
        v = np.asarray(f)[:, F.LOCAL_VEL].reshape(len(f), -1, 3)
        return sum(np.linalg.norm(v[:, joint[f"{side}_{p}"]], axis=-1).sum() for p in ("wrist", "elbow"))

    def mirror_canonical(f):  # the busier arm always on the right: one mode per action instead of two
        f = np.asarray(f, np.float64)
        return motion_summary(mirrored(f) if arm_travel(f, "left") > arm_travel(f, "right") else f)

    return {"shipped": motion_summary,
            "no joint velocities": summary(np.r_[root, ric, con], ("mean", "std", "p10", "p90")),
            "+25th/75th percentiles": summary(SUMMARY_CHANNELS, ("mean", "std", "p25", "p75", "p10", "p90")),
            "no spread": summary(SUMMARY_CHANNELS, ("mean", "p10", "p90")),
            "+displacement from the first pose": with_displacement,
            "mirror canonical (busier arm on the right)": mirror_canonical}


def trimmed_router_class(trim: float):
    """An AutoencoderRouter whose error leaves out each input's largest `trim` share of squared
    errors (one odd channel, e.g. an arm a real person swings, cannot make a clip unfamiliar)."""
    from motion_studio.models.router import AutoencoderRouter

    class Trimmed(AutoencoderRouter):
        @torch.no_grad()
        def errors(self, x):
            se = self.squared_errors(x)
            keep = se.shape[-1] - int(round(trim * se.shape[-1]))
            return torch.sort(se, dim=-1).values[..., :keep].mean(-1).T.contiguous()

    return Trimmed


# --------------------------------------------------------------------------- data
def collect(ck, sample_dir):
    """Features of every router clip (train + shifted copies, val, shifted val, real): decoded from
    its VQ tokens as the router reads them, and as they came in (the "raw" candidate)."""
    from motion_studio.agent import Agent
    from motion_studio.evaluation.open_world import shifted_items
    from motion_studio.evaluation.shifted import build_shifted_set
    from motion_studio.motion.formats import load_motion
    from motion_studio.training.presets import TRAIN_PRESETS, continual_config
    from motion_studio.motion.features import joints_to_features
    from motion_studio.training.router_data import clip_variant_features

    split, ds, codes, vqvae = ck.tasks, ck.dataset(), ck.codes(), ck.vqvae()
    agent = Agent.load(ck, device="cpu")
    mc = agent.model.cfg.max_codes
    data_cfg = continual_config(TRAIN_PRESETS["default"]).router_data
    frames = mc * vqvae.cfg.factor
    rows = []  # dicts: set, task, action, group, kind, codes, raw (features as they came in)

    def add(raw, clip_codes=None, **row):  # corpus clips: their stored tokens, as training routes them
        raw = np.asarray(raw, np.float32)[:frames]
        rows.append({**row, "raw": raw, "codes": clip_codes or vqvae.features_to_codes(raw)[:mc]})

    for t in split.tasks:
        ids = [c for c in t.train if c in codes]
        for g, cid in enumerate(ids):
            add(ds.features(cid), codes[cid][:mc], set="train", task=t.name, action=ds.meta(cid)["action"], group=g, kind=0)
        extra, groups = clip_variant_features([ds.joints(cid) for cid in ids], data_cfg, 2 * vqvae.cfg.factor)
        for f, g in zip(extra, groups):
            add(f, set="train", task=t.name, action=ds.meta(ids[g])["action"], group=g, kind=1)
        for cid in t.val:
            if cid in codes:
                add(ds.features(cid), codes[cid][:mc], set="val", task=t.name, action=ds.meta(cid)["action"], group=-1, kind=0)
    for cid in split.base.val:
        if cid in codes:
            add(ds.features(cid), codes[cid][:mc], set="val", task="base", action=ds.meta(cid)["action"], group=-1, kind=0)

    def motion_features(motion):  # what Agent._motion_codes tokenizes
        f = motion.features
        return f if f is not None and len(f) >= 4 else joints_to_features(motion.joints)

    for item in build_shifted_set(shifted_items(ds, split, per_task=40, per_base=40, part="val"), 1):
        add(motion_features(item["motion"]), set="shifted", task=item["label"]["task"], action=item["label"]["kind"],
            group=-1, kind=0)
    if sample_dir is not None:
        for path in sorted((Path(sample_dir) / "new_joints").glob("*.npy")):
            add(motion_features(load_motion(path)), set="real", task=None, action=path.stem, group=-1, kind=0)
    feats = [vqvae.codes_to_features(r["codes"]) for r in rows]
    meta = {k: np.array([r[k] for r in rows], dtype=object if k == "task" else None)
            for k in ("set", "task", "action", "group", "kind")}
    return feats, [r["raw"] for r in rows], meta


# --------------------------------------------------------------------------- scoring
def fit_router(X, meta, mask, names, hidden, cfg, router_cls):
    router = router_cls(X.shape[1], hidden, "m2t", "motion_stats")
    router.rank = "ratio"
    for i, name in enumerate(names):
        m = mask & (meta["task"] == name)
        router.fit_expert(name, name, X[m], cfg=replace(cfg, seed=cfg.seed + i),
                          groups=list(meta["group"][m]), kinds=list(meta["kind"][m]))
    return router


def score(X, meta, names, hidden, cfg, router_cls) -> dict:
    S, T, A, G, K = (meta[k] for k in ("set", "task", "action", "group", "kind"))
    train = S == "train"
    wrong, n, confusions = 0, 0, {}
    for fold in range(FOLDS):
        router = fit_router(X, meta, train & (G % FOLDS != fold), names, hidden, cfg, router_cls)
        held = train & (G % FOLDS == fold) & (K == 0)
        for r, task, action in zip(router.route_batch(X[held]), T[held], A[held]):
            n += 1
            if r.chosen != task:
                wrong += 1
                key = f"{action} -> {r.chosen or 'unseen'}"
                confusions[key] = confusions.get(key, 0) + 1
    out = {"cv_right": round(100.0 * (1 - wrong / n), 2), "cv_n": n,
           "cv_confusions": dict(sorted(confusions.items(), key=lambda kv: -kv[1])[:5])}
    router = fit_router(X, meta, train, names, hidden, cfg, router_cls)
    for name in ("val", "shifted"):
        m = S == name
        routes = router.route_batch(X[m])
        out[name] = {"right": round(100.0 * np.mean([r.chosen == t for r, t in zip(routes, T[m]) if t != "base"]), 1),
                     "base_unseen": round(100.0 * np.mean([r.unseen for r, t in zip(routes, T[m]) if t == "base"]), 1)}
    real = S == "real"
    if real.any():
        out["real"] = [{"clip": a, "chosen": r.chosen or "unseen", "ratios": {e.name: round(e.ratio, 2) for e in r.experts}}
                       for r, a in zip(router.route_batch(X[real]), A[real])]
    return out


def supervised_reference(X, meta, names) -> dict:
    """3-fold CV of two classifiers that see every task's clips at once (not possible for a
    continual router): how separable the tasks are in this input at all."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    S, T, A, G, K = (meta[k] for k in ("set", "task", "action", "group", "kind"))
    models = {"logistic regression (C=1)": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000)),
              "linear discriminant (shrinkage auto)": lambda: LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto")}
    out = {}
    for label, make in models.items():
        wrong, n, confusions = 0, 0, {}
        for fold in range(FOLDS):
            fit = (S == "train") & (G % FOLDS != fold)
            held = (S == "train") & (G % FOLDS == fold) & (K == 0)
            pred = make().fit(X[fit], T[fit].astype(str)).predict(X[held])
            for p, t, a in zip(pred, T[held], A[held]):
                n += 1
                if p != t:
                    wrong += 1
                    confusions[f"{a} -> {p}"] = confusions.get(f"{a} -> {p}", 0) + 1
        out[label] = {"cv_right": round(100.0 * (1 - wrong / n), 2),
                      "cv_confusions": dict(sorted(confusions.items(), key=lambda kv: -kv[1])[:3])}
        print(label, json.dumps(out[label]), flush=True)
    return out


def main() -> None:
    from motion_studio.checkpoint import Checkpoint
    from motion_studio.models.router import AutoencoderRouter, RouterFitConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--sample", type=Path, default=None, help="a HumanML3D-layout folder of real clips to report")
    ap.add_argument("--out", type=Path, default=Path("results/router_m2t_cv_study.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    ck = Checkpoint(args.checkpoint)
    names = [t.name for t in ck.tasks.tasks]
    feats, raw, meta = collect(ck, args.sample)
    print(f"{len(feats)} clips decoded in {time.perf_counter() - t0:.0f} s", flush=True)
    shipped = RouterFitConfig(steps=400, rule="quantile", quantile=0.99)
    summaries = make_summaries()
    candidates = [(name, fn, 256, shipped, AutoencoderRouter) for name, fn in summaries.items()]
    candidates += [(f"std floor {f}", summaries["shipped"], 256, replace(shipped, std_floor=f), AutoencoderRouter)
                   for f in (0.3, 1.0)]
    candidates += [("800 training steps", summaries["shipped"], 256, replace(shipped, steps=800), AutoencoderRouter),
                   ("trimmed error (largest 1 % left out)", summaries["shipped"], 256, shipped, trimmed_router_class(0.01))]
    rows, cache = [], {}
    for name, fn, hidden, cfg, cls in candidates:
        if fn not in cache:
            cache[fn] = torch.as_tensor(np.stack([fn(f) for f in feats]))
        row = {"candidate": name, **score(cache[fn], meta, names, hidden, cfg, cls)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    x_raw = torch.as_tensor(np.stack([summaries["shipped"](f) for f in raw]))
    row = {"candidate": "raw input motion (not decoded from its tokens)",
           **score(x_raw, meta, names, 256, shipped, AutoencoderRouter)}
    rows.append(row)
    print(json.dumps(row), flush=True)
    reference = supervised_reference(cache[summaries["shipped"]].numpy(), meta, names)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "command": "python scripts/router_m2t_cv_study.py --checkpoint checkpoints/default"
                   + (f" --sample {args.sample}" if args.sample else ""),
        "split": "3-fold CV over train clips; val / shifted val fitted on every train clip; test never read",
        "n_clips": {s: int((meta["set"] == s).sum()) for s in ("train", "val", "shifted", "real")},
        "rows": rows, "supervised_reference": reference,
        "seconds": round(time.perf_counter() - t0)}, indent=1))


if __name__ == "__main__":
    main()
