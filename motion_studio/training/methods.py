"""Training every adapter the continual benchmark's methods need (evaluation/bench/ scores them).

    expert:<task>   the per-task expert (+ its two router autoencoders): oracle, merged, moe_*
    noorth:<task>   the same expert trained without the O-LoRA penalty: moe_hard_no_orth
    seq:<i>         one adapter fine-tuned task after task, snapshotted after task i: sequential
    joint           one adapter on every task's examples at once: joint

Each finished stage saves every adapter and router and is recorded in work/stages.json, so a
killed run resumes after the last whole stage. With a checkpoint's parts, its experts and
routers are reused and only the baselines train.
"""
from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from ..errors import MotionStudioError

NO_ORTH = "noorth_"
SEQ, JOINT = "sequential", "joint"


def _stage_file(work: Path) -> Path:
    return work / "stages.json"


def _done(work: Path) -> list[str]:
    f = _stage_file(work)
    return json.loads(f.read_text())["done"] if f.exists() else []


def _mark(work: Path, parts, key: str, reports: dict, report: dict) -> None:
    """Save every adapter and router, then record the stage as done (a kill never half-records)."""
    parts.save(work / "parts")
    done = _done(work) + [key]
    reports[key] = report
    tmp = _stage_file(work).with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "reports": reports}, indent=1, default=str))
    tmp.replace(_stage_file(work))


def snapshot_path(work: Path, stage: int) -> Path:
    """The sequential adapter as it was after task `stage`."""
    return work / "sequential" / f"stage_{stage}.safetensors"


def _save_snapshot(bank, name: str, path: Path) -> None:
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in bank.adapter_state(name).items()}, str(path))


def load_snapshot(bank, work: Path, stage: int) -> None:
    """Put the sequential adapter back to its state after task `stage`."""
    from safetensors.torch import load_file

    bank.load_adapter_state(SEQ, load_file(str(snapshot_path(work, stage))))


def _slim(report: dict) -> dict:
    """Training reports without the per-step history (results.json stays readable)."""
    return {k: v for k, v in report.items() if k != "history"}


def train_methods(model, tasks: list, cfg, work: Path, parts=None, progress: bool = True,
                  vqvae=None) -> tuple[object, dict]:
    """Train (or resume) every adapter the seven methods need over the frozen `model`, for
    `tasks` (continual.TaskData, in order). `parts`: a checkpoint's experts and routers to reuse.
    Returns (parts, reports)."""
    from ..models.agent_parts import AgentParts
    from ..models.experts import ExpertBank
    from .continual import fit_task_routers, new_routers, train_expert

    work.mkdir(parents=True, exist_ok=True)
    done = _done(work)
    reports = json.loads(_stage_file(work).read_text())["reports"] if done else {}
    if parts is not None:  # a checkpoint's experts and routers; add what a resumed run made
        if done:
            parts.bank.attach(work / "parts" / "experts")
    elif done:
        parts = AgentParts.load(model, work / "parts")
    else:
        parts = AgentParts(model, ExpertBank(model, cfg.lora), *new_routers(model, cfg))
    task_names = [t.name for t in tasks]
    no_orth = replace(cfg, lora=replace(cfg.lora, ortho_lambda=0.0))

    def stage(key: str, fn) -> None:
        if key in done:
            return
        t0 = time.perf_counter()
        report = fn() or {}
        report["seconds_total"] = round(time.perf_counter() - t0, 1)
        _mark(work, parts, key, reports, report)
        done.append(key)

    for i, task in enumerate(tasks):
        if task.name not in parts.bank.names:
            def expert(task=task, i=i):
                r = train_expert(model, parts.bank, task.name, task.examples, cfg, theme=task.theme,
                                 previous=task_names[:i], progress=progress, seed_offset=i)
                r["router"] = fit_task_routers(model, parts, task, cfg, seed_offset=i, vqvae=vqvae)
                return _slim(r)
            stage(f"expert:{task.name}", expert)
        stage(f"noorth:{task.name}", lambda task=task, i=i: _slim(train_expert(
            model, parts.bank, NO_ORTH + task.name, task.examples, no_orth, theme=task.theme,
            previous=[], progress=progress, seed_offset=i)))

        def sequential(task=task, i=i):
            new = SEQ not in parts.bank.names
            r = train_expert(model, parts.bank, SEQ, task.examples, no_orth, new=new, previous=[],
                             progress=progress, seed_offset=100 + i)
            _save_snapshot(parts.bank, SEQ, snapshot_path(work, i))
            return _slim(r)
        stage(f"seq:{i}", sequential)

    joint_examples = [e for t in tasks for e in t.examples]
    stage("joint", lambda: _slim(train_expert(
        model, parts.bank, JOINT, joint_examples, no_orth, previous=[], progress=progress,
        steps=cfg.steps_per_task * len(tasks), seed_offset=200)))
    missing = [n for n in task_names if n not in parts.router_t2m.names]
    if missing:
        raise MotionStudioError(f"the router has no autoencoder for tasks {missing}")
    return parts, reports
