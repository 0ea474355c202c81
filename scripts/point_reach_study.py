"""Can a side point be told from a side reach in what the motion router reads? Corpus v2 vs v3.

Why: at corpus v2, 7 of the 12 seen-task test clips the motion router missed were a side reach (arms)
taken for a side point (gestures) or the reverse, and no router variant separated them
(results/router_m2t_cv_study.json). In v2 a side point differed from a side reach by a head turn,
which moves none of the 22 joints. v3 (data/corpus/actions.py:point): the chest turns towards the
target (0.3-0.5 rad) and the arm points ahead of the chest's side, front-diagonally, as people point;
the head turns 0.3 rad. Forward points are unchanged. Both are measured on the router's real input
(the clip encoded and decoded by the shipped VQ-VAE, then motion_summary) with two references that see both classes (not routers):
logistic regression (5-fold CV) and nearest class mean, for reach_side vs side point, and for all
arms vs all gestures clips (which actions the linear model misses). Train, validation and test
indices alike: this chooses a corpus design, not a router setting, and no router is fitted.

    python scripts/point_reach_study.py [--out results/point_reach_study.json]
    python scripts/point_reach_study.py --sheet docs/contact_sheet_side_point.png
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import numpy as np


def v2_point(c):
    """Corpus v2's point, kept so the comparison can be re-run: a side point only turns the head."""
    from motion_studio.data.corpus.actions import R, set_arm, window

    side_dir = bool(c.rng.random() < 0.35)
    c.params["direction"] = "side" if side_dir else "forward"
    tr, t = c.stand(c.u(2.8, 4.0))
    t0, hold = c.u(0.3, 0.6), c.u(0.8, 1.5)
    w = window(t, t0 + 0.6, t0 + 0.6 + hold, 0.5)
    set_arm(tr, R, w, elev=c.u(1.45, 1.7), plane=0.15 if side_dir else 1.45, flex=0.03, shrug=0.05)
    tr.head_yaw = tr.head_yaw - (0.6 if side_dir else 0.05) * w
    return tr


@contextmanager
def point_action(build):
    """Generate points with `build` (v2_point, or the shipped one) until the block ends."""
    from motion_studio.data.corpus.actions import ACTIONS

    shipped = ACTIONS["point"]
    ACTIONS["point"] = dataclasses.replace(shipped, build=build)
    try:
        yield
    finally:
        ACTIONS["point"] = shipped


def before_after_sheet(out: Path, n: int = 3) -> Path:
    """Contact sheet: n plain side points as v2 drew them, n as v3 draws them, and n side reaches."""
    from motion_studio.data.corpus import ACTION_NAMES, generate_clip
    from motion_studio.data.corpus.contact_sheet import render_clips

    def plain(name: str, keep) -> list[int]:
        ids = [i for i in range(ACTION_NAMES.index(name), 3000, len(ACTION_NAMES))
               if keep(c := generate_clip(0, i)) and not c.mirrored and len(c.parts) == 1]
        return ids[:n]

    def side(c) -> bool:
        return c.params.get("direction") == "side"

    with point_action(v2_point):  # the draws after the first differ between v2 and v3: each picks its own clips
        cells = [(f"v2 side point {i}", generate_clip(0, i).joints) for i in plain("point", side)]
    cells += [(f"v3 side point {i}", generate_clip(0, i).joints) for i in plain("point", side)]
    reaches = plain("reach_side", lambda c: True)
    cells += [(f"side reach {i}", generate_clip(0, i).joints) for i in reaches]
    return render_clips(cells, out, columns=n)


def decoded_summaries(vq, families: set[str], n_index: int, side_points_only: bool = False):
    """Router inputs (decoded-motion summaries) of the corpus clips 0..n_index-1 of these families."""
    from motion_studio.data.corpus import ACTION_NAMES, generate_clip
    from motion_studio.data.corpus.actions import ACTIONS
    from motion_studio.models.motion_summary import motion_summary
    from motion_studio.motion.features import joints_to_features

    xs, actions = [], []
    for i in range(n_index):
        name = ACTION_NAMES[i % len(ACTION_NAMES)]
        if ACTIONS[name].family not in families and name not in families:
            continue
        clip = generate_clip(0, i)
        if side_points_only and name == "point" and clip.params.get("direction") != "side":
            continue
        feats = vq.codes_to_features(vq.features_to_codes(joints_to_features(clip.joints)))
        xs.append(motion_summary(feats))
        actions.append(name)
    return np.asarray(xs), actions


def scores(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """(5-fold CV logistic predictions, nearest-class-mean accuracy in standardised units)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pred = cross_val_predict(make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000)), x, y, cv=5)
    z = StandardScaler().fit_transform(x)
    m0, m1 = z[~y].mean(0), z[y].mean(0)
    nearest = ((z - m1) ** 2).sum(1) < ((z - m0) ** 2).sum(1)
    return pred, float((nearest == y).mean())


def main() -> None:
    import torch

    from motion_studio.data.corpus.actions import ACTIONS
    from motion_studio.models.vqvae import MotionVQVAE

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--out", type=Path, default=Path("results/point_reach_study.json"))
    ap.add_argument("--pair-index", type=int, default=24000, help="corpus indices scanned for the pair")
    ap.add_argument("--family-index", type=int, default=9000, help="corpus indices scanned for arms vs gestures")
    ap.add_argument("--sheet", type=Path, help="only draw v2 vs v3 side points and side reaches to this PNG")
    args = ap.parse_args()
    if args.sheet:
        print("wrote", before_after_sheet(args.sheet))
        return
    torch.set_num_threads(2)
    start = time.time()
    vq = MotionVQVAE.load(args.checkpoint / "vqvae")
    shipped = ACTIONS["point"]
    rows = {}
    for label, build in (("v2 (head turn only)", v2_point), ("v3 (chest turns)", shipped.build)):
        with point_action(build):
            x, acts = decoded_summaries(vq, {"reach_side", "point"}, args.pair_index, side_points_only=True)
            y = np.array([a == "point" for a in acts])
            pred, nearest = scores(x, y)
            fx, facts = decoded_summaries(vq, {"arms", "gestures"}, args.family_index)
            fy = np.array([ACTIONS[a].family == "gestures" for a in facts])
            fpred, _ = scores(fx, fy)
        rows[label] = {
            "pair": {"clips": len(y), "side_points": int(y.sum()), "logistic_cv_right": round(100 * float((pred == y).mean()), 2),
                     "nearest_mean_right": round(100 * nearest, 2)},
            "arms_vs_gestures": {"clips": len(fy), "logistic_cv_right": round(100 * float((fpred == fy).mean()), 2),
                                 "missed_by_action": dict(Counter(a for a, p, t in zip(facts, fpred, fy) if p != t).most_common())}}
        print(label, json.dumps(rows[label]), flush=True)
    out = {"command": "python scripts/point_reach_study.py", "input": "decoded-motion summary (shipped VQ-VAE)",
           "rows": rows, "seconds": round(time.time() - start)}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
