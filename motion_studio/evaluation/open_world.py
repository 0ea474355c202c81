"""Open-world routing: how the T2M router treats prompts written the way people write.

The set is `assets/everyday_prompts.json`: hand-written everyday prompts for each task and for
base families the agent never learned, split into validation (used to choose router settings)
and test (reported, never used for a choice). A prompt of a task is *right* when the router
sends it to that task's expert; a base prompt is right when it is called unseen (base model).

`route_prompts` batches: one sentence-encoder pass and one router pass for the whole list.
"""
from __future__ import annotations

from pathlib import Path

from ..data.everyday import load_everyday_prompts, split_items  # noqa: F401 (re-exported)
from ..routing_types import RouteResult

def score_routes(items: list[tuple[str, str]], routes: list[RouteResult]) -> dict:
    """Right-expert rate on task prompts, unseen rate on base prompts, and the misses."""
    task_n = task_right = task_nearest = base_n = base_unseen = 0
    per_task: dict[str, list[int]] = {}
    misses = []
    for (prompt, label), r in zip(items, routes):
        if label == "base":
            base_n += 1
            base_unseen += int(r.unseen)
            if not r.unseen:
                misses.append({"prompt": prompt, "label": label, "chosen": r.chosen})
            continue
        task_n += 1
        ok = r.chosen == label
        task_right += int(ok)
        task_nearest += int(r.nearest == label)
        per_task.setdefault(label, [0, 0])
        per_task[label][0] += int(ok)
        per_task[label][1] += 1
        if not ok:
            misses.append({"prompt": prompt, "label": label, "chosen": r.chosen, "nearest": r.nearest,
                           "nearest_ratio": round(r.nearest_ratio or 0.0, 3)})
    pct = lambda a, b: round(100.0 * a / max(b, 1), 1)  # noqa: E731
    return {"task_right_pct": pct(task_right, task_n), "task_nearest_right_pct": pct(task_nearest, task_n),
            "base_unseen_pct": pct(base_unseen, base_n), "n_task": task_n, "n_base": base_n,
            "per_task_right_pct": {t: pct(a, b) for t, (a, b) in per_task.items()}, "misses": misses}


def route_prompts(router, encoder, prompts: list[str], **route_kwargs) -> list[RouteResult]:
    """Route many prompts on MiniLM sentence embeddings in one batched pass."""
    import torch

    x = torch.as_tensor(encoder.embed(list(prompts)))
    return router.route_batch(x, **route_kwargs)


def everyday_report(router, encoder, split: str = "test", path: str | Path | None = None, **route_kwargs) -> dict:
    """score_routes over one split of the everyday prompt set."""
    items = split_items(load_everyday_prompts(path), split)
    routes = route_prompts(router, encoder, [p for p, _ in items], **route_kwargs)
    return {"split": split, **score_routes(items, routes)}


# --------------------------------------------------------------------------- shifted motion
# Word stems that name each kind of action in a caption ("names the action" check). Task clips use
# their theme's words; base clips their family's (corpus.json "group"), e.g. kicking -> "kick".
# Every single-action corpus caption of a task theme must pass for its theme
# (tests/evaluation/test_names_action.py): a check that rejects the corpus's own "saluting",
# "ambling" or "goes down on the right knee" would score a right caption as wrong.
THEME_WORDS: dict[str, tuple[str, ...]] = {
    "jumping": ("jump", "leap", "hop", "spring", "bound", "bounc"),
    "arms": ("arm", "rais", "lift", "stretch", "reach", "flap", "spread", "hoist", "extend", "wing",
             "hand up", "hands up", "put up", "puts up", "putting up", "bring up", "bringing up", "flutter", "limbs"),
    "walking": ("walk", "stroll", "pace", "pacing", "march", "step", "strid", "wander", "ambl",
                "tread", "saunter", "zigzag", "mosey", "shuffl", "slid", "scoot", "meander", "hurr", "hustl",
                "circles around", "circling around", "on foot"),
    "gestures": ("wave", "waving", "clap", "bow", "point", "salut", "shrug", "thumb", "beckon", "nod", "gestur",
                 "applau", "greet", "motion", "signal", "goodbye", "farewell", "hello", "bob", "head up and down",
                 "bend", "someone over", "asking someone to come"),
    "sitstand": ("sit", "stand", "squat", "crouch", "kneel", "knee", "rise", "rising", "seat", "get up", "gets up",
                 "getting up", "back up", "to the feet", "hunker", "stoop", "settl", "plop", "dip", "duck",
                 "lowers the body", "lowering the body"),
    "running": ("run", "jog", "sprint", "dash"), "kicking": ("kick",), "punching": ("punch", "jab", "strik", "box"),
    "throwing": ("throw", "toss", "pitch", "hurl", "lob"), "dancing": ("danc", "groov", "boogie"),
    "balancing": ("balanc",), "turning": ("turn", "rotat", "spin", "pivot"), "stepping": ("step", "climb", "over"),
}


def names_action(caption: str, kind: str) -> bool:
    """Does the caption use a word that names this kind of action (see THEME_WORDS)?"""
    text = caption.lower()
    return any(stem in text for stem in THEME_WORDS.get(kind, ()))


def shifted_items(ds, split, per_task: int = 16, per_base: int = 24, part: str = "test") -> list[tuple[str, object, dict]]:
    """(clip_id, joints, label) for `part` ("test", or "val" for choosing settings) clips of every
    task and of the base split; label has the task ("base" for base clips) and the kind of action
    for the caption check."""
    import json

    meta = json.loads((ds.root / "corpus.json").read_text()).get("clips_meta", {}) if (ds.root / "corpus.json").exists() else {}
    out = []
    groups = ([(t.name, t.theme, list(getattr(t, part))[:per_task]) for t in split.tasks]
              + [("base", None, list(getattr(split.base, part))[:per_base])])
    for task, theme, ids in groups:
        for cid in ids:
            joints = ds.joints(cid)
            if len(joints) < 30:  # the shifted set needs a 1-2 s window after a 0.7x warp
                continue
            kind = theme if task != "base" else (meta.get(cid, {}).get("group") or "base")
            out.append((cid, joints, {"task": task, "kind": kind}))
    return out


def shifted_report(agent, items, seed: int = 0) -> dict:
    """Held-out clips exported as BVH on other skeletons, time-warped, noised, cropped to 1-2 s and
    imported back (evaluation/shifted.py), then routed and captioned by the agent.

    right expert: a task clip goes to its task's expert, a base clip is called unseen."""
    from .shifted import build_shifted_set

    shifted = build_shifted_set(items, seed)
    rows = []
    for item in shifted:
        label = item["label"]
        cap = agent.caption(item["motion"])
        ok = cap.route.unseen if label["task"] == "base" else cap.route.chosen == label["task"]
        rows.append({"clip_id": item["clip_id"], "task": label["task"], "kind": label["kind"], "rig": item["rig"],
                     "chosen": cap.route.chosen, "right_expert": bool(ok), "caption": cap.caption,
                     "names_action": names_action(cap.caption, label["kind"])})
    return summarize_shifted(rows)


def summarize_shifted(rows: list[dict]) -> dict:
    """Rates over task clips and over base clips, per task, and the rows themselves."""
    def pct(xs):
        return round(100.0 * sum(xs) / len(xs), 1) if xs else None

    task_rows = [r for r in rows if r["task"] != "base"]
    base_rows = [r for r in rows if r["task"] == "base"]
    per_task = {}
    for r in task_rows:
        per_task.setdefault(r["task"], []).append(r)
    return {"n_task_clips": len(task_rows), "n_base_clips": len(base_rows),
            "task_right_expert_pct": pct([r["right_expert"] for r in task_rows]),
            "task_caption_names_action_pct": pct([r["names_action"] for r in task_rows]),
            "base_unseen_pct": pct([r["right_expert"] for r in base_rows]),
            "base_caption_names_action_pct": pct([r["names_action"] for r in base_rows]),
            "per_task": {t: {"right_expert_pct": pct([r["right_expert"] for r in rs]),
                             "names_action_pct": pct([r["names_action"] for r in rs])} for t, rs in per_task.items()},
            "rows": rows}


# --------------------------------------------------------------------------- the whole report
QUOTED_PROMPTS = {"a person jumps high into the air": "jumping", "he walks forward": "walking",
                  "someone sits on the floor": "sitstand", "a person stretches their arms above their head": "arms"}


def open_world_report(agent, ck, shifted_seed: int = 0, sample_dir=None) -> dict:
    """Everyday prompts (both halves; test is the one to quote), the four prompts of the issue,
    the app's example prompts, the shifted-motion set and the real HumanML3D clip(s)."""
    everyday = load_everyday_prompts()
    out = {}
    for split in ("validation", "test"):
        items = split_items(everyday, split)
        out[f"everyday_{split}"] = score_routes(items, agent.route_batch("t2m", [p for p, _ in items]))
    quoted = agent.route_batch("t2m", list(QUOTED_PROMPTS))
    out["quoted_prompts"] = {p: {"expected": t, "chosen": r.chosen, "nearest": r.nearest}
                             for (p, t), r in zip(QUOTED_PROMPTS.items(), quoted)}
    examples = agent.example_prompts()
    wrong = []
    for task, prompts in examples.items():
        for p, r in zip(prompts, agent.route_batch("t2m", list(prompts))) if prompts else []:
            ok = r.unseen if task.startswith("base") else r.chosen == task
            if not ok:
                wrong.append({"task": task, "prompt": p, "chosen": r.chosen})
    out["app_examples"] = {"n": sum(len(v) for v in examples.values()), "routed_elsewhere": wrong}
    ds, split = ck.dataset(), ck.tasks
    out["shifted_motion"] = shifted_report(agent, shifted_items(ds, split), seed=shifted_seed)
    if sample_dir is not None:
        from pathlib import Path as _Path

        from ..motion.formats import load_motion

        rows = []
        for path in sorted((_Path(sample_dir) / "new_joints").glob("*.npy")):
            cap = agent.caption(load_motion(path))
            texts = _Path(sample_dir) / "texts" / f"{path.stem}.txt"
            refs = [line.split("#")[0] for line in texts.read_text().splitlines()] if texts.exists() else []
            rows.append({"clip": path.stem, "chosen": cap.route.chosen, "unseen": cap.route.unseen,
                         "nearest": cap.route.nearest, "nearest_ratio": cap.route.nearest_ratio,
                         "caption": cap.caption, "references": refs})
        out["humanml3d_sample"] = rows
    return out
