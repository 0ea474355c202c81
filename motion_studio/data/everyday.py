"""The hand-written everyday prompt set (assets/everyday_prompts.json), as data.

Prompts people type for each of the five tasks and for actions that are no task (base), written
by hand, never by the caption grammar (a test proves none is a training caption). Validation
chooses settings (router rules, app examples); test is only reported.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..paths import asset_path


def load_everyday_prompts(path: str | Path | None = None) -> dict:
    """{"tasks": {task: {"validation": [...], "test": [...]}}, "base": {"validation", "test"}}."""
    return json.loads(Path(path or asset_path("everyday_prompts.json")).read_text())


def split_items(prompts: dict, split: str) -> list[tuple[str, str]]:
    """(prompt, label) pairs of one split; label is a task name or "base"."""
    items = [(p, task) for task, splits in prompts["tasks"].items() for p in splits[split]]
    return items + [(p, "base") for p in prompts["base"][split]]
