"""Open-world routing: how the T2M router treats prompts written the way people write.

The set is `assets/everyday_prompts.json`: hand-written everyday prompts for each task and for
base families the agent never learned, split into validation (used to choose router settings)
and test (reported, never used for a choice). A prompt of a task is *right* when the router
sends it to that task's expert; a base prompt is right when it is called unseen (base model).

`route_prompts` batches: one sentence-encoder pass and one router pass for the whole list.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..routing_types import RouteResult

def load_everyday_prompts(path: str | Path | None = None) -> dict:
    """{"tasks": {task: {"validation": [...], "test": [...]}}, "base": {"validation", "test"}}."""
    from ..checkpoint import asset_path

    return json.loads(Path(path or asset_path("everyday_prompts.json")).read_text())


def split_items(prompts: dict, split: str) -> list[tuple[str, str]]:
    """(prompt, label) pairs of one split; label is a task name or "base"."""
    items = [(p, task) for task, splits in prompts["tasks"].items() for p in splits[split]]
    return items + [(p, "base") for p in prompts["base"][split]]


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
