"""The shipped checkpoint routes every test caption and clip as recorded in results/route_snapshot.json.

A refactor that changes a decision fails here. Inputs within 1e-3 of a decision boundary (an
expert's threshold, or the base family's comparison) may flip from floating-point noise between
machines and are only counted, never compared. Regenerate the file with scripts/route_snapshot.py
after retraining, in the same commit as the checkpoint.
"""
from __future__ import annotations

import importlib.util
import json

import pytest

from motion_studio.checkpoint import REPO_ROOT

SNAPSHOT = REPO_ROOT / "results" / "route_snapshot.json"
CHECKPOINT = REPO_ROOT / "checkpoints" / "default"


def _script():
    spec = importlib.util.spec_from_file_location("route_snapshot", REPO_ROOT / "scripts" / "route_snapshot.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _near_boundary(item: dict, margin: float) -> bool:
    near = abs(item["best_ratio"] - 1.0) < 1e-3
    if item.get("base_ratio") is not None:
        near |= abs(item["base_ratio"] * margin - item["best_ratio"]) < 1e-3
    return near


@pytest.mark.skipif(not SNAPSHOT.exists() or not (CHECKPOINT / "manifest.json").exists(),
                    reason="no snapshot or no shipped checkpoint")
def test_shipped_checkpoint_routes_every_test_input_as_recorded():
    from motion_studio.agent import Agent
    from motion_studio.checkpoint import Checkpoint

    snap = json.loads(SNAPSHOT.read_text())
    ck = Checkpoint(CHECKPOINT)
    assert snap["checkpoint_created"] == ck.manifest["created_utc"], \
        "results/route_snapshot.json belongs to another checkpoint: rerun scripts/route_snapshot.py"
    agent = Agent.load(ck, device="cpu")
    t2m, m2t = _script().decisions(agent, ck.codes(), snap["t2m"], snap["m2t"])
    margin = agent.parts.router_t2m.base_margin
    changed = [(i["text"], i["chosen"], r.chosen) for i, r in zip(snap["t2m"], t2m)
               if i["chosen"] != r.chosen and not _near_boundary(i, margin)]
    changed += [(i["clip"], i["chosen"], r.chosen) for i, r in zip(snap["m2t"], m2t)
                if i["chosen"] != r.chosen and not _near_boundary(i, 1.0)]
    assert len(t2m) == len(snap["t2m"]) > 1000 and len(m2t) == len(snap["m2t"]) > 300
    assert not changed, f"{len(changed)} inputs route differently, e.g. {changed[:5]}"
