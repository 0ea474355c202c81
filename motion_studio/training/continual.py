"""Continual training: one LoRA expert per task over the frozen backbone, plus the two routers.

Order of work for each task (`train_task_sequence`):
  1. add a fresh adapter (earlier experts and the backbone stay frozen),
  2. train it on the task's examples (both directions), with the O-LoRA penalty against the
     earlier experts when `lora.ortho_lambda > 0`,
  3. fit the task's autoencoder in the T2M router and in the M2T router,
  4. save experts + routers + a state file, so a killed run resumes after the last whole task.

`learn_new_task` is steps 1-3 for one extra task on an already trained agent ("learn live").
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import CheckpointError, InputError
from ..models.agent_parts import AgentParts
from ..models.experts import ExpertBank, LoraSettings
from ..models.router import AutoencoderRouter, RouterFitConfig
from ..models.router_inputs import REWRITE_SOURCES, m2t_input_dim, m2t_vectors, t2m_input_dim, t2m_vectors
from .router_data import RouterDataConfig

STATE_FILE = "continual_state.json"


@dataclass
class ContinualConfig:
    lora: LoraSettings = field(default_factory=LoraSettings)
    steps_per_task: int = 300
    lr: float = 1e-3
    batch_size: int = 32
    warmup: int = 20
    weight_decay: float = 0.0
    bf16: bool = True
    time_budget_per_task_s: float | None = None
    router_hidden: int = 256
    router: RouterFitConfig = field(default_factory=RouterFitConfig)
    # the motion router may differ (width, threshold rule): None = as the prompt router
    router_hidden_m2t: int | None = None
    router_m2t: RouterFitConfig | None = None
    router_rank: str = "error"  # which accepting expert answers: lowest "error" or lowest "ratio"
    router_background: tuple[str, ...] = ()  # routers ("t2m", "m2t") with base-family autoencoders
    router_base_families: bool = False  # one base autoencoder per family of the corpus (else one in all)
    router_base_margin: float = 1.0  # AutoencoderRouter.base_margin
    router_data: RouterDataConfig = field(default_factory=RouterDataConfig)  # augmentation (router_data.py)
    t2m_source: str = "sentence"  # router input for prompts: "sentence" (MiniLM) or "lm_embed" (docs/ROUTER.md)
    m2t_source: str = "motion_tokens"  # router input for motions: "motion_tokens" (the paper) or "motion_stats"
    report_examples: int = 64  # token accuracy in each training report is measured on this many examples
    seed: int = 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["lora"]["targets"] = list(self.lora.targets)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ContinualConfig":
        d = dict(d)
        lora = _lora_from(d.pop("lora", None))
        router = RouterFitConfig(**d.pop("router", {}))
        m2t = d.pop("router_m2t", None)
        data = RouterDataConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in (d.pop("router_data", None) or {}).items()})
        if "router_background" in d:
            d["router_background"] = tuple(d["router_background"] or ())
        return cls(lora=lora, router=router, router_m2t=RouterFitConfig(**m2t) if m2t else None, router_data=data, **d)


def _lora_from(d: dict | None) -> LoraSettings:
    if not d:
        return LoraSettings()
    d = dict(d)
    if "targets" in d:
        d["targets"] = tuple(d["targets"])
    return LoraSettings(**d)


@dataclass
class TaskData:
    """What continual training needs from one task (built from the corpus by the caller)."""

    name: str
    theme: str | None
    examples: list  # lm_data.Example, both directions
    captions: list[str]  # training captions: T2M router inputs
    codes: list[list[int]]  # training clips' VQ codes: M2T router inputs
    sent_embs: np.ndarray | None = None  # (N, 384) MiniLM embeddings of `captions`
    caption_groups: list[int] | None = None  # clip index of each caption (router calibration by clip)
    caption_kinds: list[int] | None = None  # 0 caption, 1 short form, 2 paraphrase (per-kind threshold)
    code_groups: list[int] | None = None  # clip index of each entry of `codes` (variants share it)
    code_kinds: list[int] | None = None  # 0 = the corpus clip, 1 = a shifted copy (training.router_data)
    clip_families: list[str] | None = None  # base split only: each train clip's family (running, ...)

    def __post_init__(self):
        if not self.examples:
            raise InputError(f"task '{self.name}' has no training examples")
        if not self.captions or not self.codes:
            raise InputError(f"task '{self.name}' needs captions and motion codes for its router")


def task_data(task, ds, codes, enc, model, seed: int, vqvae=None, data_cfg=None,
              max_examples: int | None = None) -> "TaskData":
    """A tasks.json task as TaskData: its train clips' examples (both directions) and router inputs.

    Router inputs come from training.router_data: captions + short forms + paraphrases for T2M;
    the clips' codes, plus shifted copies' codes when a VQ-VAE is given, for M2T."""
    from .lm_data import build_examples
    from .router_data import RouterDataConfig, clip_variant_codes, prompt_inputs

    data_cfg = data_cfg or RouterDataConfig(seed=seed)
    ids = [c for c in task.train if c in codes]
    examples = build_examples(ids[:max_examples], codes, ds, enc, tok=model.tok, seed=seed, max_codes=model.cfg.max_codes)
    captions, groups, kinds = prompt_inputs([[c.caption for c in ds.texts(cid)] for cid in ids], data_cfg)
    clip_codes = [codes[cid][:model.cfg.max_codes] for cid in ids]
    code_groups, code_kinds = list(range(len(ids))), [0] * len(ids)
    if vqvae is not None and data_cfg.n_clip_variants > 0:
        extra, extra_groups = clip_variant_codes([ds.joints(cid) for cid in ids], vqvae, model.cfg.max_codes, data_cfg)
        clip_codes += extra
        code_groups += extra_groups
        code_kinds += [1] * len(extra)
    # sent_embs stay None: fit_task_routers embeds the router texts only for an input source that
    # uses raw-text embeddings (the canonical-prompt source embeds other texts)
    return TaskData(task.name, task.theme, examples, captions, clip_codes, None, groups, kinds,
                    code_groups, code_kinds)


def new_routers(model, cfg: ContinualConfig) -> tuple[AutoencoderRouter, AutoencoderRouter]:
    t2m = AutoencoderRouter(t2m_input_dim(model, cfg.t2m_source), cfg.router_hidden, "t2m", cfg.t2m_source)
    m2t = AutoencoderRouter(m2t_input_dim(model, cfg.m2t_source), cfg.router_hidden_m2t or cfg.router_hidden, "m2t",
                            cfg.m2t_source)
    t2m.rank = m2t.rank = cfg.router_rank
    t2m.base_margin = m2t.base_margin = cfg.router_base_margin
    return t2m, m2t


def train_config(cfg: ContinualConfig, steps: int | None = None, seed_offset: int = 0):
    from .lm_train import TrainConfig

    return TrainConfig(steps=cfg.steps_per_task if steps is None else steps, batch_size=cfg.batch_size, lr=cfg.lr,
                       warmup=cfg.warmup, weight_decay=cfg.weight_decay, bf16=cfg.bf16,
                       time_budget_s=cfg.time_budget_per_task_s, seed=cfg.seed + seed_offset)


def train_expert(model, bank: ExpertBank, name: str, examples: list, cfg: ContinualConfig,
                 extra_loss: Callable | None = None, theme: str | None = None, new: bool = True,
                 previous: list[str] | None = None, steps: int | None = None, progress: bool = True,
                 seed_offset: int = 0, on_step=None) -> dict:
    """Train adapter `name` (a fresh one when `new`) on `examples`; everything else stays frozen.

    extra_loss: added to the LM loss; by default the O-LoRA penalty against `previous`
    (default: every other expert in the bank), weighted by cfg.lora.ortho_lambda.
    """
    from .lm_train import train_lm

    if new:
        bank.add_expert(name, theme, seed=cfg.seed + seed_offset)
    else:
        bank.train_expert(name)
    previous = [n for n in (bank.names if previous is None else previous) if n != name]
    lam = cfg.lora.ortho_lambda
    if extra_loss is None and lam > 0 and previous:
        def extra_loss():
            return lam * bank.orthogonality_penalty(name, previous)
    params = bank.trainable_parameters()
    try:
        report = train_lm(model, examples, train_config(cfg, steps, seed_offset), params=params,
                          extra_loss=extra_loss, progress=progress, desc=f"expert {name}",
                          eval_examples=_spread(examples, cfg.report_examples), on_step=on_step)
    finally:
        bank.train_expert(None)
        bank.activate(None)
        model.eval()
    return dict(report)


def _spread(examples: list, n: int) -> list:
    """n examples spread over the list (both directions are interleaved in it)."""
    if len(examples) <= n:
        return list(examples)
    step = len(examples) / n
    return [examples[int(i * step)] for i in range(n)]


def fit_task_routers(model, parts: AgentParts, task: TaskData, cfg: ContinualConfig,
                     seed_offset: int = 0, vqvae=None, directions=("t2m", "m2t")) -> dict:
    """Fit the task's autoencoder in both routers (LoRA changes neither router input). Each router
    reads its inputs the way it was made to (its input_source; cfg's only for a router without one).
    vqvae: the frozen motion tokenizer, needed by a "motion_stats" motion router. directions: fit
    only these routers (the router sweeps vary one direction)."""
    out = {}
    for d in directions:
        router, fit_cfg = _router_and_config(parts, cfg, d, seed_offset)
        x, groups, kinds = _router_inputs(model, router, task, cfg, d, vqvae)
        out[d] = router.fit_expert(task.name, task.theme, x, cfg=fit_cfg, groups=groups, kinds=kinds)
    return out


def _router_and_config(parts: AgentParts, cfg: ContinualConfig, direction: str, seed_offset: int):
    """A direction's router and its fit config (the M2T one falls back to the T2M one), seeded + offset."""
    base = cfg.router if direction == "t2m" else (cfg.router_m2t or cfg.router)
    router = parts.router_t2m if direction == "t2m" else parts.router_m2t
    return router, RouterFitConfig(**{**asdict(base), "seed": base.seed + seed_offset})


def _router_inputs(model, router: AutoencoderRouter, data: TaskData, cfg: ContinualConfig, direction: str, vqvae):
    """(vectors, groups, kinds) of a task's (or the base split's) captions or clips, read the way
    the router was made to (its input_source; cfg's only for a router without one)."""
    if direction == "t2m":
        source = router.input_source or cfg.t2m_source
        x = t2m_vectors(model, data.captions, source, data.sent_embs, _encoder_if_needed(source, data))
        return x, data.caption_groups, data.caption_kinds
    return m2t_vectors(model, data.codes, router.input_source or cfg.m2t_source, vqvae), data.code_groups, data.code_kinds


def base_family_data(split, ds, codes, enc, model, seed: int, vqvae=None, data_cfg=None,
                     exclude=()) -> "TaskData":
    """The base split's train clips as router inputs for the base-family autoencoder (minus `exclude`,
    e.g. the clips of a task learned later). Its LM examples are not needed: a couple stand in."""
    from ..data.tasks import Task

    skip = set(exclude)
    ids = [c for c in split.base.train if c not in skip and c in codes]
    data = task_data(Task(index=-1, name="base", train=ids), ds, codes, enc, model, seed, vqvae=vqvae,
                     data_cfg=data_cfg, max_examples=2)
    data.clip_families = [base_family(ds.meta(cid)) for cid in ids]
    return data


def base_family(meta: dict | None) -> str:
    """A base clip's family for its own base autoencoder: the corpus' action group, "composed" for
    clips of two themes' actions, one "base" family without corpus metadata (real HumanML3D)."""
    if not meta:
        return "base"
    if meta.get("composed"):
        return "composed"
    return str(meta.get("group") or meta.get("family") or "base")


def fit_background_routers(model, parts: AgentParts, base: TaskData, cfg: ContinualConfig, vqvae=None) -> dict:
    """Fit the base-family autoencoder of the routers in cfg.router_background (AutoencoderRouter.fit_background)."""
    out = {}
    fams = base.clip_families if cfg.router_base_families else None

    def per_input(groups):  # each router input's family, from the clip it came from
        return None if fams is None or groups is None else [fams[g] for g in groups]

    for d in ("t2m", "m2t"):
        if d not in cfg.router_background:
            continue
        router, fit_cfg = _router_and_config(parts, cfg, d, 97)
        x, groups, kinds = _router_inputs(model, router, base, cfg, d, vqvae)
        out[d] = router.fit_background(x, cfg=fit_cfg, groups=groups, kinds=kinds, families=per_input(groups))
    return out


def _encoder_if_needed(source: str, task: TaskData):
    """The sentence encoder when the prompt source needs texts embedded here (None otherwise)."""
    if source in REWRITE_SOURCES or (source == "sentence" and task.sent_embs is None):
        from ..models.sentence import get_sentence_encoder

        return get_sentence_encoder()
    return None


def _write_state(out: Path, state: dict) -> None:
    tmp = out / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(out / STATE_FILE)


def train_task_sequence(model, tasks: list[TaskData], cfg: ContinualConfig, out_dir: str | Path,
                        resume: bool = True, progress: bool = True, vqvae=None) -> AgentParts:
    """Train one expert per task in order, fitting both routers after each; resumable per task.

    `model` is a frozen MotionLM whose `.lm` is not yet wrapped by peft; vqvae as in fit_task_routers.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = [t.name for t in tasks]
    state = {"tasks": names, "done": [], "reports": {}, "config": cfg.to_dict()}
    parts = None
    if resume and (out / STATE_FILE).exists():
        saved = json.loads((out / STATE_FILE).read_text())
        if saved.get("tasks") == names and saved.get("done"):
            parts = AgentParts.load(model, out)
            if parts.bank.names != saved["done"]:
                raise CheckpointError(f"{out}: saved experts {parts.bank.names} do not match the state file")
            state = saved
    if parts is None:
        parts = AgentParts(model, ExpertBank(model, cfg.lora), *new_routers(model, cfg))
    for i, task in enumerate(tasks):
        if task.name in state["done"]:
            continue
        t0 = time.perf_counter()
        report = train_expert(model, parts.bank, task.name, task.examples, cfg, theme=task.theme,
                              previous=[t.name for t in tasks[:i]], progress=progress, seed_offset=i)
        report["router"] = fit_task_routers(model, parts, task, cfg, seed_offset=i, vqvae=vqvae)
        report["seconds_total"] = time.perf_counter() - t0
        parts.save(out)
        state["done"].append(task.name)
        state["reports"][task.name] = report
        _write_state(out, state)
    parts.reports = state["reports"]
    return parts


def learn_new_task(parts: AgentParts, task: TaskData, cfg: ContinualConfig,
                   progress: bool = True, on_step=None, vqvae=None) -> dict:
    """One more expert and its two router autoencoders on a trained agent (nothing else changes).

    on_step(step, total, loss) after every training step; returning False cancels: the new
    adapter is removed again and Cancelled is raised, so `parts` is as it was."""
    from ..errors import Cancelled

    if task.name in parts.bank.names:
        raise InputError(f"an expert called '{task.name}' already exists")
    t0 = time.perf_counter()
    report = train_expert(parts.model, parts.bank, task.name, task.examples, cfg, theme=task.theme,
                          progress=progress, seed_offset=len(parts.bank.names), on_step=on_step)
    if report.get("cancelled"):
        parts.bank.remove_expert(task.name)
        raise Cancelled(f"learning '{task.name}' was cancelled; nothing was saved")
    report["router"] = fit_task_routers(parts.model, parts, task, cfg, seed_offset=len(parts.bank.names), vqvae=vqvae)
    report["seconds_total"] = time.perf_counter() - t0
    parts.reports[task.name] = report
    return report
