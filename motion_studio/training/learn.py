"""Teach a trained agent one more task: a new LoRA expert plus its two router autoencoders.

Nothing already learned moves: the backbone and the earlier experts stay frozen and the other
experts' autoencoders are untouched, so the new checkpoint answers every old task exactly as the
old one did. The result is a new checkpoint folder (the source is never modified) with the new
expert, both routers, the task appended to tasks.json, example prompts and a fresh manifest.

    motion-studio learn NAME (--match WORD [WORD ...] | --ids FILE) [--data DIR] [--out DST]
                        [--checkpoint SRC] [--theme THEME] [--steps N]

`--match` takes the train clips whose captions contain one of the words; `--ids` a file of clip
ids, one per line. The report says how many held-out clips of the new task route to its expert
and confirms the old tasks' example prompts still route where they did.
"""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from ..errors import InputError

MIN_CLIPS = 4
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def select_clips(ds, ids_file=None, match=None, split: str = "train") -> list[str]:
    """Clip ids for the new task: listed in `ids_file`, or `split` clips whose captions contain one
    of the `match` words (whole words, any case)."""
    if (ids_file is None) == (not match):
        raise InputError("give either --ids FILE or --match WORD [WORD ...]")
    if ids_file is not None:
        path = Path(ids_file)
        if not path.is_file():
            raise InputError(f"{path}: no such file of clip ids")
        wanted = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        known = set(ds.ids())
        ids = [c for c in dict.fromkeys(wanted) if c in known and ds.texts(c)]  # unknown ids are skipped
        if wanted and not ids:
            raise InputError(f"none of the {len(set(wanted))} ids in {path} is a captioned clip of {ds.root}")
        return ids
    pattern = _words_pattern(match)
    return [c for c in ds.ids(split) if any(pattern.search(t.caption) for t in ds.texts(c))]


def _words_pattern(words) -> re.Pattern:
    """Any of these words as a whole word, any case."""
    return re.compile(r"\b(" + "|".join(re.escape(w.lower()) for w in sorted(set(words))) + r")\b", re.IGNORECASE)


def _add_caption_words(backbone_dir: Path, captions: list[str]) -> None:
    """The new task's caption words join the known words (models/known_words.py), so its expert
    may say words the first tasks never used; the backbone's weights are untouched."""
    from ..models.known_words import words_of
    from ..models.text_tokenizer import WORDS_FILE, read_words

    known = read_words(backbone_dir / WORDS_FILE)
    if known is not None:  # a checkpoint without a list captions without the constraint
        (backbone_dir / WORDS_FILE).write_text(json.dumps(sorted(set(known) | words_of(captions)), indent=0))


def check_name(name: str, existing: list[str]) -> str:
    name = (name or "").strip().lower()
    if not NAME_RE.match(name):
        raise InputError(f"task name {name!r}: use 1-32 characters a-z, 0-9, '-' or '_', starting with a letter or digit")
    if name == "base" or name in existing:
        raise InputError(f"an expert called '{name}' already exists (experts: {', '.join(existing)})")
    return name


def learn_task(checkpoint, out, name: str, data_dir, ids_file=None, match=None, theme: str | None = None,
               steps: int | None = None, progress: bool = True, command: str | None = None,
               on_progress=None) -> dict:
    """Train the new expert and write the new checkpoint to `out`; returns the report (also in
    the manifest under "learned_tasks").

    on_progress(dict): {"stage", "step", "total", "loss", "message"} at each stage and training
    step; returning False stops the job with errors.Cancelled before anything is written."""
    from ..errors import Cancelled

    def tell(stage: str, message: str, step: int = 0, total: int = 0, loss: float | None = None) -> bool:
        if on_progress is None:
            return True
        keep_going = on_progress({"stage": stage, "step": step, "total": total, "loss": loss, "message": message})
        return keep_going is not False

    def check(stage: str, message: str) -> None:
        if not tell(stage, message):
            raise Cancelled(f"learning '{name}' was cancelled; nothing was saved")

    from ..checkpoint import Checkpoint, write_manifest
    from ..data.dataset import MotionDataset
    from ..data.tasks import Task
    from ..models.sentence import get_sentence_encoder
    from .continual import ContinualConfig, learn_new_task, task_data
    from .lm_data import encode_clips

    src, out = Path(checkpoint), Path(out)
    ck = Checkpoint(src)
    manifest = ck.verify()
    if out.resolve() == src.resolve():
        raise InputError("--out must be a new folder: the source checkpoint is never modified")
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{out} already exists and is not empty; pick a new --out folder")
    check("loading", "loading the model")
    model = ck.backbone()
    parts = ck.parts(model)
    name = check_name(name, parts.router_t2m.names)
    ds = MotionDataset(data_dir)
    ids = select_clips(ds, ids_file, match)
    vqvae = ck.vqvae()
    check("encoding", f"encoding {len(ids)} clips")
    codes = encode_clips(vqvae, ds, ids)
    ids = [c for c in ids if c in codes]
    if len(ids) < MIN_CLIPS:
        raise InputError(f"only {len(ids)} clips for '{name}' (need at least {MIN_CLIPS}); "
                         "match more words or list more ids")
    cfg = ContinualConfig.from_dict((manifest.get("configs") or {}).get("continual") or {})
    if steps is not None:
        if steps < 1:
            raise InputError(f"--steps must be at least 1, got {steps}")
        cfg.steps_per_task = int(steps)
    enc = get_sentence_encoder()
    held = _held_out(ds, ids, match) if match else []
    task = Task(index=len(parts.router_t2m.names), name=name, theme=theme, keywords=list(match or []), train=ids)
    examples_before = _example_routes(parts, model, src, enc)

    check("preparing", "preparing examples and router inputs")
    t0 = time.perf_counter()
    data = task_data(task, ds, codes, enc, model, cfg.seed, vqvae=vqvae, data_cfg=cfg.router_data)

    def on_step(step: int, total: int, loss: float) -> bool:
        return tell("training", f"training step {step}/{total}", step, total, loss)

    report = learn_new_task(parts, data, cfg, progress=progress, on_step=on_step, vqvae=vqvae)
    if parts.router_t2m.background is not None:  # the new task's clips are no longer "no task"
        from ..data.tasks import load_tasks
        from .continual import base_family_data, fit_background_routers

        check("routers", "refitting the base-family autoencoders without the new task's clips")
        base = base_family_data(load_tasks(src / "tasks.json"), ds, encode_clips(vqvae, ds, load_tasks(src / "tasks.json").base.train),
                                enc, model, cfg.seed, vqvae=vqvae, data_cfg=cfg.router_data, exclude=ids)
        fit_background_routers(model, parts, base, cfg, vqvae=vqvae)
    seconds = time.perf_counter() - t0
    check("saving", "saving the new checkpoint")

    shutil.copytree(src, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("manifest.json"))
    parts.save(out)
    _add_caption_words(out / "backbone", [c.caption for i in ids for c in ds.texts(i)])
    _append_task(out, task, ds, held)
    examples_after = _example_routes(parts, model, src, enc)
    kept = [p for p, e in examples_before.items() if examples_after.get(p) == e]
    result = {
        "name": name, "theme": theme, "clips": len(ids), "steps": report.get("steps"),
        "seconds": round(seconds, 1), "final_loss": report.get("final_loss"),
        "data": str(Path(data_dir)), "match": list(match or []), "ids_file": str(ids_file) if ids_file else None,
        "thresholds": {d: r["threshold"] for d, r in report["router"].items()},
        "held_out_routed_to_new_expert": _held_out_routing(parts, model, name, ds, held, enc, vqvae),
        "old_examples_unchanged": f"{len(kept)}/{len(examples_before)}",
        "command": command,
    }
    info = {k: v for k, v in manifest.items() if k not in ("files", "total_bytes")}
    info["name"] = f"{manifest.get('name', 'motion-studio')}+{name}"
    info["experts"] = list(info.get("experts") or []) + [{"name": name, "theme": theme, "keywords": list(match or [])[:6]}]
    info["learned_tasks"] = list(info.get("learned_tasks") or []) + [result]
    write_manifest(out, info)
    return result


def _held_out(ds, train_ids: list[str], match) -> list[str]:
    """Val/test clips matching the same words: routing on clips the new expert never saw."""
    seen = set(train_ids)
    return [c for split in ("val", "test") for c in select_clips(ds, match=match, split=split) if c not in seen]


def _held_out_routing(parts, model, name: str, ds, held: list[str], enc, vqvae) -> dict | None:
    from ..models.router_inputs import m2t_vectors, t2m_vectors
    from .lm_data import encode_clips

    if not held:
        return None
    caps = [ds.texts(c)[0].caption for c in held]
    source = parts.router_t2m.input_source  # resolved when the router loaded
    t2m = parts.router_t2m.route_batch(t2m_vectors(model, caps, source, sent_encoder=enc))
    codes = encode_clips(vqvae, ds, held)
    clips = [codes[c][:model.cfg.max_codes] for c in held if c in codes]
    m2t = parts.router_m2t.route_batch(m2t_vectors(model, clips, parts.router_m2t.input_source, vqvae))
    return {"clips": len(held),
            "t2m_pct": round(100.0 * sum(r.chosen == name for r in t2m) / len(t2m), 1),
            "m2t_pct": round(100.0 * sum(r.chosen == name for r in m2t) / max(len(m2t), 1), 1)}


def _example_routes(parts, model, root: Path, enc) -> dict[str, str | None]:
    """Where each example prompt of the checkpoint (examples.json) routes now."""
    from ..models.router_inputs import t2m_vectors

    path = root / "examples.json"
    prompts = [p for ps in json.loads(path.read_text()).values() for p in ps] if path.exists() else []
    if not prompts:
        return {}
    source = parts.router_t2m.input_source  # resolved when the router loaded
    x = t2m_vectors(model, prompts, source, sent_encoder=enc)
    return {p: r.chosen for p, r in zip(prompts, parts.router_t2m.route_batch(x))}


def _append_task(out: Path, task, ds, held: list[str]) -> None:
    """tasks.json gets the new task (train ids; held-out ids as test); examples.json its prompts."""
    tasks_path = out / "tasks.json"
    data = json.loads(tasks_path.read_text())
    data["tasks"].append({"index": task.index, "name": task.name, "theme": task.theme, "keywords": task.keywords,
                          "purity": None, "size": len(task.train) + len(held), "clusters": [], "learned": True,
                          "train": list(task.train), "val": [], "test": list(held)})
    tasks_path.write_text(json.dumps(data, indent=1))
    ex_path = out / "examples.json"
    examples = json.loads(ex_path.read_text()) if ex_path.exists() else {}
    examples[task.name] = [ds.texts(c)[0].caption for c in (held or task.train)[:4]]
    ex_path.write_text(json.dumps(examples, indent=1))
