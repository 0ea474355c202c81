"""`motion-studio train`: every stage that builds the agent the app ships with, in order.

    corpus -> tasks.json -> foundation (VQ-VAE, tokenizer, backbone) -> evaluator
           -> five LoRA experts in sequence + router autoencoders -> checkpoint folder + manifest

Each stage leaves its output in a work folder (build/train-<preset>/) and is skipped when it is
already there, so a killed run resumes where it stopped. The last step copies what inference
needs into the checkpoint folder and writes manifest.json (sha256 of every file, the command,
configs, timings and headline figures).
"""
from __future__ import annotations

import json
import platform
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..checkpoint import REPO_ROOT, Checkpoint, write_manifest
from .presets import TrainPreset, continual_config, evaluator_settings, foundation_config, train_preset

SAMPLES_PER_TASK = 6


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


class _Stage:
    """Times one stage and prints a line when it ends. The first time a stage completes, its
    seconds go into work/timings.json; a later resumed run (which skips the finished stage) keeps
    that record, so the manifest always reports what each stage cost when it really ran."""

    def __init__(self, work: Path, timings: dict, name: str) -> None:
        self.path, self.timings, self.name = work / "timings.json", timings, name

    def __enter__(self) -> "_Stage":
        self.t0 = time.monotonic()
        print(f"[train] {self.name} ...", flush=True)
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        if exc_type is not None:
            return
        seconds = round(time.monotonic() - self.t0, 1)
        recorded = json.loads(self.path.read_text()) if self.path.exists() else {}
        if self.name not in recorded:
            recorded[self.name] = seconds
            self.path.write_text(json.dumps(recorded, indent=1))
        self.timings[self.name] = recorded[self.name]
        print(f"[train] {self.name} done in {seconds:.0f} s", flush=True)


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)


def write_samples(ds, split, out: Path, per_task: int = SAMPLES_PER_TASK) -> list[dict]:
    """Test clips per task (+ base) as HumanML3D joints files, for the app's clip browser."""
    import numpy as np

    sample_dir = out / "samples"
    sample_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    groups = [(t.name, t.theme, t.test or t.val) for t in split.tasks] + [("base", None, split.base.test)]
    for task, theme, ids in groups:
        for cid in list(ids)[:per_task]:
            joints = np.asarray(ds.joints(cid), dtype=np.float32)
            np.save(sample_dir / f"{cid}.npy", joints, allow_pickle=False)
            rows.append({"clip_id": cid, "task": task, "theme": theme,
                         "captions": [c.caption for c in ds.texts(cid)], "file": f"samples/{cid}.npy"})
    (out / "samples.json").write_text(json.dumps(rows, indent=1))
    return rows


def write_examples(ds, split, out: Path, route, n: int = 6) -> dict:
    """Example prompts per task for the app: everyday validation prompts (assets/everyday_prompts.json)
    and held-out test captions, keeping only those the shipped router sends to that task (base:
    those it calls unseen), so every example the app lists is one it answers as listed.
    route: list of prompts -> list of RouteResult (the checkpoint's T2M router)."""
    from ..data.everyday import load_everyday_prompts

    everyday = load_everyday_prompts()
    examples = {}
    for t in split.tasks:
        caps = [ds.texts(cid)[0].caption for cid in (t.test or t.val)[: 2 * n] if ds.texts(cid)]
        candidates = list(everyday["tasks"].get(t.name, {}).get("validation", [])) + caps
        routes = route(candidates) if candidates else []
        ok = [p for p, r in zip(candidates, routes) if r.chosen == t.name]
        examples[t.name] = ok[: n // 2] + [c for c in ok if c in caps][: n - n // 2]
    base = list(everyday["base"]["validation"]) + [ds.texts(cid)[0].caption for cid in split.base.test[:n] if ds.texts(cid)]
    examples["base (no expert)"] = [p for p, r in zip(base, route(base)) if r.unseen][:n]
    (out / "examples.json").write_text(json.dumps(examples, indent=1))
    return examples


@dataclass
class FoundationRun:
    """What the first stages leave in a work folder: corpus, tasks, foundation and evaluator."""

    data: Path
    tasks_json: Path
    foundation: Path
    evaluator: Path
    foundation_report: dict
    retrieval: dict

    def checkpoint(self) -> Checkpoint:
        """The foundation read like a checkpoint (tasks, dataset, backbone, vqvae, codes, evaluator)."""
        return Checkpoint(self.foundation, tasks_file=self.tasks_json, evaluator_dir=self.evaluator)


def work_checkpoint(work: str | Path) -> Checkpoint:
    """A training work folder (build/train-PRESET) read like a checkpoint; its experts and routers
    are in work/continual."""
    work = Path(work)
    return Checkpoint(work / "foundation", tasks_file=work / "tasks.json", evaluator_dir=work / "evaluator")


def build_foundation(p: TrainPreset, work: Path, data_dir: str | Path | None = None, resume: bool = True,
                     progress: bool = True, timings: dict | None = None) -> FoundationRun:
    """Stages 1-3 of the pipeline (each skipped when its output is there): the corpus (unless
    `data_dir` is given), tasks.json, the frozen foundation, the evaluator. The benchmark calls
    this too when it is given no checkpoint."""
    from ..data.dataset import MotionDataset
    from ..data.tasks import build_tasks
    from ..models.sentence import get_sentence_encoder
    from .evaluator_train import evaluate_retrieval, train_evaluator
    from .foundation import train_foundation

    timings = {} if timings is None else timings
    work.mkdir(parents=True, exist_ok=True)
    # 1. data
    if data_dir is None:
        data = work / "corpus"
        with _Stage(work, timings, "corpus"):
            if not (data / "corpus.json").exists():
                from ..data.corpus import generate_corpus

                generate_corpus(data, n_clips=p.n_clips, seed=p.corpus_seed, workers=2, progress=progress)
    else:
        data = Path(data_dir)
    tasks_json = work / "tasks.json"
    enc = get_sentence_encoder()
    with _Stage(work, timings, "tasks"):
        if not tasks_json.exists():
            build_tasks(data, enc.embed, seed=p.seed, out=tasks_json)
    ds = MotionDataset(data)

    # 2. foundation: VQ-VAE + tokenizer + backbone on the base split, frozen
    found = work / "foundation"
    with _Stage(work, timings, "foundation"):
        foundation_report = train_foundation(data, tasks_json, found, foundation_config(p), progress=progress,
                                             resume=resume, sent_encoder=enc)

    # 3. evaluator (for the metrics; trained on all train clips)
    ev_dir = work / "evaluator"
    with _Stage(work, timings, "evaluator"):
        ev_model, ev_report = train_evaluator(ds, out_dir=ev_dir, resume=resume, progress=progress,
                                              **evaluator_settings(p))
        retrieval_path = ev_dir / "retrieval_test.json"
        if retrieval_path.exists():
            retrieval = json.loads(retrieval_path.read_text())
        else:
            retrieval = evaluate_retrieval(ev_model, ds, split="test", seed=p.seed)
            retrieval_path.write_text(json.dumps(retrieval, indent=1))
    return FoundationRun(data, tasks_json, found, ev_dir, foundation_report, retrieval)


def _finished_state(continual_dir: Path, names: list[str]) -> dict | None:
    """The state file of a continual run in continual_dir that trained every one of `names`, else None."""
    from .continual import STATE_FILE

    try:
        state = json.loads((continual_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    return state if state.get("tasks") == names and state.get("done") == names else None


def train_default_model(preset: str = "default", out_dir: str | Path = "checkpoints/default",
                        data_dir: str | Path | None = None, resume: bool = True, command: str | None = None,
                        work_dir: str | Path | None = None, progress: bool = True) -> dict:
    """Run every stage (skipping finished ones when resume) and write the checkpoint. Returns the manifest."""
    from ..data.dataset import MotionDataset
    from ..models.sentence import get_sentence_encoder
    from .continual import base_family_data, fit_background_routers, task_data, train_task_sequence

    p = train_preset(preset)
    out = Path(out_dir)
    work = Path(work_dir) if work_dir else REPO_ROOT / "build" / f"train-{preset}"
    if not resume and work.exists():
        shutil.rmtree(work)
    timings: dict[str, float] = {}

    # 1-3. corpus, tasks, foundation, evaluator
    run = build_foundation(p, work, data_dir, resume, progress, timings)
    tasks_json, found, ev_dir = run.tasks_json, run.foundation, run.evaluator
    foundation_report, retrieval = run.foundation_report, run.retrieval
    ck = run.checkpoint()
    split, ds = ck.tasks, MotionDataset(run.data)
    enc = get_sentence_encoder()

    # 4. one LoRA expert per task, in order, with both routers' autoencoders
    model, codes = ck.backbone(), ck.codes()
    cfg = continual_config(p)
    continual_dir = work / "continual"
    with _Stage(work, timings, "experts"):
        vqvae = ck.vqvae()
        finished = _finished_state(continual_dir, [t.name for t in split.tasks]) if resume else None
        if finished is not None:  # a finished run (e.g. after scripts/refit_routers.py): nothing to rebuild
            from ..models.agent_parts import AgentParts

            parts = AgentParts.load(model, continual_dir)
            parts.reports = finished["reports"]
        else:
            tasks = [task_data(t, ds, codes, enc, model, p.seed, vqvae=vqvae, data_cfg=cfg.router_data)
                     for t in split.tasks]
            parts = train_task_sequence(model, tasks, cfg, continual_dir, resume=resume, progress=progress,
                                        vqvae=vqvae)
        if cfg.router_background and parts.router_t2m.background is None and parts.router_m2t.background is None:
            base = base_family_data(split, ds, codes, enc, model, p.seed, vqvae=vqvae, data_cfg=cfg.router_data)
            fit_background_routers(model, parts, base, cfg, vqvae=vqvae)
            parts.save(continual_dir)

    # 5. the checkpoint folder
    with _Stage(work, timings, "assemble"):
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        _copy(found / "vqvae", out / "vqvae")
        _copy(found / "backbone", out / "backbone")
        _copy(found / "codes.safetensors", out / "codes.safetensors")
        _copy(ev_dir / "evaluator.safetensors", out / "evaluator" / "evaluator.safetensors")
        _copy(ev_dir / "evaluator.json", out / "evaluator" / "evaluator.json")
        parts.save(out)
        _copy(tasks_json, out / "tasks.json")
        write_samples(ds, split, out)
        from ..models.router_inputs import t2m_vectors

        write_examples(ds, split, out, lambda texts: parts.router_t2m.route_batch(
            t2m_vectors(model, texts, parts.router_t2m.input_source, sent_encoder=enc)))
        for name in ("state",):  # training-only leftovers never ship
            shutil.rmtree(out / "vqvae" / name, ignore_errors=True)
            shutil.rmtree(out / "backbone" / name, ignore_errors=True)

    timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 1)
    from ..data.corpus.writer import VERSION as corpus_version

    info = {
        "name": f"motion-studio-{preset}",
        "format_version": 1,
        "created_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command or f"motion-studio train --preset {preset} --out {out}",
        "git_commit": _git_commit(),
        "machine": {"python": platform.python_version(), "processor": platform.machine(),
                    "note": "training_seconds: wall-clock seconds of each stage when it last ran"},
        "corpus": {"source": "built-in" if data_dir is None else str(data_dir), "seed": p.corpus_seed,
                   "clips": p.n_clips if data_dir is None else None, "generator_version": corpus_version},
        "experts": [{"name": t.name, "theme": t.theme, "keywords": t.keywords[:6]} for t in split.tasks],
        "configs": {"preset": asdict(p), "foundation": foundation_report.get("config"),
                    "continual": cfg.to_dict()},
        "training_seconds": timings,
        "stage_reports": {
            "foundation_timings": foundation_report.get("timings"),
            "vqvae_test": foundation_report.get("vqvae", {}).get("test"),
            "lm_token_accuracy": foundation_report.get("lm", {}).get("train", {}).get("token_acc"),
            "evaluator_retrieval_test": retrieval,
            "experts": {n: {k: r.get(k) for k in ("steps", "seconds", "final_loss")}
                        for n, r in parts.reports.items()},
        },
        "headline": {},  # filled by `motion-studio bench --checkpoint` (same numbers as results/)
    }
    manifest_path = write_manifest(out, info)
    print(f"[train] wrote {out} ({sum(f.stat().st_size for f in out.rglob('*') if f.is_file()) / 1e6:.1f} MB) "
          f"in {timings['total'] / 60:.1f} min; manifest {manifest_path}")
    return json.loads(manifest_path.read_text())
