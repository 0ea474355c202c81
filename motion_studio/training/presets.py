"""Every preset in one place: what `motion-studio train` and `motion-studio bench` build.

A TrainPreset names the corpus, the foundation, the evaluator and the experts' training; the
configs each stage takes are made from it here (`foundation_config`, `evaluator_settings`,
`continual_config`), so one knob has one value. A BenchPreset is a TrainPreset (what the
benchmark trains when it is given no checkpoint, and how its baselines train) plus how many
test items it scores.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import InputError


@dataclass
class TrainPreset:
    name: str
    n_clips: int
    corpus_seed: int = 0
    foundation: str = "default"  # "default", "tiny" (FoundationConfig.tiny()) or "humanml3d"
    evaluator: str = "default"  # "default" (EvaluatorConfig()) or "tiny" (a seconds-long one for CI)
    evaluator_steps: int = 1500
    evaluator_budget_s: float | None = 900  # budgets only guard against a far slower machine
    steps_per_task: int = 200
    task_budget_s: float | None = None
    lora_r: int = 16
    router_steps: int = 400
    batch_size: int = 32
    seed: int = 0


TRAIN_PRESETS = {
    "smoke": TrainPreset("smoke", n_clips=150, foundation="tiny", evaluator="tiny", evaluator_steps=30,
                         evaluator_budget_s=None, steps_per_task=12, task_budget_s=None, lora_r=4, router_steps=150,
                         batch_size=16),
    "default": TrainPreset("default", n_clips=5000),
    # A real HumanML3D folder (--data) on one GPU: an ~85 M-parameter backbone, no time budgets
    # (docs/MODEL.md, "Reproduce on HumanML3D"; step counts sized for hours, not minutes).
    "humanml3d": TrainPreset("humanml3d", n_clips=0, foundation="humanml3d", evaluator_steps=20000,
                             evaluator_budget_s=None, steps_per_task=3000, lora_r=16, router_steps=2000,
                             batch_size=64),
}


@dataclass
class BenchPreset:
    name: str
    train: TrainPreset  # built when no checkpoint is given; its expert settings train the baselines
    eval_items_per_task: int
    heldout_items: int
    threads: int | None = None  # torch threads; 1 is several times faster for tiny models on a busy 2-core box


BENCH_PRESETS = {
    "smoke": BenchPreset("smoke", TRAIN_PRESETS["smoke"], eval_items_per_task=4, heldout_items=6, threads=1),
    # Without --checkpoint: a smaller corpus and shorter expert training than `train --preset default`.
    # With --checkpoint (how the shipped results are made) the checkpoint's own settings win.
    "default": BenchPreset("default", replace(TRAIN_PRESETS["default"], name="bench-default", n_clips=1500,
                                              steps_per_task=150),
                           eval_items_per_task=32, heldout_items=64),
}


def train_preset(name: str) -> TrainPreset:
    if name not in TRAIN_PRESETS:
        raise InputError(f"unknown preset '{name}'; use one of {', '.join(TRAIN_PRESETS)}")
    return TRAIN_PRESETS[name]


def bench_preset(name: str) -> BenchPreset:
    if name not in BENCH_PRESETS:
        raise InputError(f"unknown preset '{name}'; use one of {', '.join(BENCH_PRESETS)}")
    return BENCH_PRESETS[name]


def continual_config(p: TrainPreset, lora=None):
    """The experts' training config; `lora` (e.g. a checkpoint's own settings) replaces the preset's."""
    from ..models.experts import LoraSettings
    from ..models.router import RouterFitConfig
    from .continual import ContinualConfig

    from .router_data import RouterDataConfig

    # Router settings chosen on validation inputs only (docs/ROUTER.md). Prompts: MiniLM of the
    # prompt's action phrase, 32-wide autoencoders, mean + 1.5 std per input kind (the paper: 2),
    # the lowest error / threshold answers, one base-family autoencoder that must explain a prompt
    # 1.4x better than the best accepting expert to make it unseen, two paraphrases per caption
    # (scripts/router_base_sweep.py -> results/router_base_sweep_action.json: of the candidates
    # with >= 99 % of corpus validation captions right, the largest worst slack to issue 11's
    # everyday targets, min(right - 90, base unseen - 80)).
    # Motions: the decoded motion's summary (mean, spread, 10th / 90th percentile), 256 wide, 99th
    # percentile, no base-family autoencoder, three shifted copies per clip
    # (scripts/router_m2t_input_sweep.py -> results/router_m2t_input_sweep.json: the most train
    # clips right in 3-fold cross-validation, checked on validation clips and shifted ones).
    return ContinualConfig(lora=lora or LoraSettings(r=p.lora_r, alpha=2 * p.lora_r), steps_per_task=p.steps_per_task,
                           batch_size=p.batch_size, warmup=min(20, max(1, p.steps_per_task // 10)),
                           time_budget_per_task_s=p.task_budget_s,
                           router=RouterFitConfig(steps=p.router_steps, n_std=1.5), router_hidden=32,
                           router_hidden_m2t=256, router_m2t=RouterFitConfig(steps=p.router_steps, rule="quantile",
                                                                              quantile=0.99),
                           router_rank="ratio", router_background=("t2m",), router_base_margin=1.4,
                           t2m_source="sentence_action", m2t_source="motion_stats",
                           router_data=RouterDataConfig(n_paraphrases=2, n_clip_variants=3, seed=p.seed),
                           seed=p.seed)


def foundation_config(p: TrainPreset):
    from .foundation import FoundationConfig

    if p.foundation == "tiny":
        return FoundationConfig.tiny()
    if p.foundation == "humanml3d":
        from ..models.backbone import BackboneConfig
        from ..models.vqvae import VQConfig
        from .lm_train import TrainConfig
        from .vqvae_train import VQTrainConfig

        return FoundationConfig(
            vq=VQConfig(width=512, depth=3, code_dim=512, n_codes=512),  # T2M-GPT's tokenizer size
            vq_train=VQTrainConfig(steps=100_000, batch_size=256, lr=2e-4, warmup=1000, log_every=500),
            backbone=BackboneConfig(d_model=768, n_layers=12, n_heads=12, ffn=2048, max_len=256, max_seconds=9.8),
            lm_train=TrainConfig(steps=100_000, batch_size=128, lr=2e-4, warmup=2000, log_every=500),
            text_vocab=4000, max_eval_clips=1000)
    return FoundationConfig()


def evaluator_settings(p: TrainPreset) -> dict:
    """Keyword arguments of training.evaluator_train.train_evaluator for this preset."""
    from ..models.evaluator import EvaluatorConfig

    return {"cfg": EvaluatorConfig(embed_dim=32, hidden=64) if p.evaluator == "tiny" else None,
            "steps": p.evaluator_steps, "batch_size": 64 if p.evaluator_steps > 100 else 16,
            "time_budget_s": p.evaluator_budget_s, "seed": p.seed}
