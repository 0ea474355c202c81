"""Write how the shipped checkpoint routes every test caption and every test clip of its corpus.

Why: a refactor must not change what the agent does. tests/test_route_snapshot.py routes the same
inputs through the checkpoint with the code of the day and compares decisions with this file, so
"every test input routes exactly as before" is checked on every run, without the corpus: captions
are stored as text and clips by id (their VQ codes ship in the checkpoint's codes.safetensors).

    python scripts/route_snapshot.py [--checkpoint checkpoints/default] [--out results/route_snapshot.json]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def route_snapshot_inputs(ck) -> tuple[list[dict], list[dict]]:
    """Every caption of every test clip (five tasks + base) and every test clip, with its label."""
    split, ds = ck.tasks, ck.dataset()
    groups = [(t.name, t.test) for t in split.tasks] + [("base", split.base.test)]
    captions = [{"text": c.caption, "label": name} for name, ids in groups for cid in ids for c in ds.texts(cid)]
    codes = ck.codes()
    clips = [{"clip": cid, "label": name} for name, ids in groups for cid in ids if cid in codes]
    return captions, clips


def decisions(agent, codes: dict, captions: list[dict], clips: list[dict]) -> tuple[list, list]:
    """(T2M routes, M2T routes) of the inputs, hard mode, default strictness."""
    from motion_studio.agent import clean_prompt

    t2m = agent.route_batch("t2m", [clean_prompt(c["text"]) for c in captions])
    m2t = agent.route_batch("m2t", [codes[c["clip"]][: agent.model.cfg.max_codes] for c in clips])
    return t2m, m2t


def main() -> None:
    from motion_studio.agent import Agent
    from motion_studio.checkpoint import Checkpoint

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--out", type=Path, default=Path("results/route_snapshot.json"))
    args = ap.parse_args()
    ck = Checkpoint(args.checkpoint)
    agent = Agent.load(ck, device="cpu")
    captions, clips = route_snapshot_inputs(ck)
    t2m, m2t = decisions(agent, ck.codes(), captions, clips)
    for item, r in zip(captions, t2m):
        item.update(chosen=r.chosen, best_ratio=round(min(e.ratio for e in r.experts), 5),
                    base_ratio=None if r.base_ratio is None else round(r.base_ratio, 5))
    for item, r in zip(clips, m2t):
        item.update(chosen=r.chosen, best_ratio=round(min(e.ratio for e in r.experts), 5))

    def right(items):
        return round(100.0 * sum((i["chosen"] or "base") == i["label"] for i in items) / max(1, len(items)), 2)

    out = {"command": "python scripts/route_snapshot.py --checkpoint " + str(args.checkpoint),
           "checkpoint_created": ck.manifest.get("created_utc"),
           "t2m_right_pct": right(captions), "m2t_right_pct": right(clips),
           "t2m": captions, "m2t": clips}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=0))
    print(f"wrote {args.out}: {len(captions)} captions ({out['t2m_right_pct']} % right), "
          f"{len(clips)} clips ({out['m2t_right_pct']} % right)")


if __name__ == "__main__":
    main()
