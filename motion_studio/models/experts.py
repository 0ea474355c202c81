"""LoRA expert bank on peft: one named adapter per task over a frozen backbone.

The bank wraps `model.lm` (a transformers causal LM) with peft once, then adds one adapter per
task. Only the adapter being trained has `requires_grad=True`; the base and every earlier expert
stay frozen, so an expert's weights are bit-identical after later tasks train.

peft flips `requires_grad` whenever adapters are switched, so the bank re-applies its own rule
(`_apply_trainability`) after every peft call instead of trusting peft's defaults.

Ways to run the model:
- `activate(name)` one adapter (unmerged, ~2x decode cost on a tiny model); `activate(None)` base.
- `blend({name: w})` several adapters at once, adapter i scaled by w_i * alpha/r (soft top-K).
- `fused({name: w})` the fast path: the weighted LoRA deltas are added into the base weights for
  the duration of a `with` block (adapters disabled, so decoding costs what the base costs) and the
  saved original weights are copied back afterwards - exact restoration, no float drift from
  merge/unmerge arithmetic.
- `merged(names)` the merged-adapters baseline: every expert's delta at weight 1/n, fused.
"""
from __future__ import annotations

import contextlib
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import torch
from torch import Tensor

from ..errors import CheckpointError, InputError

MANIFEST = "experts.json"


@dataclass
class LoraSettings:
    """LoRA shape for every expert, plus the O-LoRA orthogonality weight used while training."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
    ortho_lambda: float = 0.5

    def peft_config(self):
        from peft import LoraConfig

        return LoraConfig(r=self.r, lora_alpha=self.alpha, lora_dropout=self.dropout,
                          target_modules=list(self.targets), bias="none")


@dataclass
class ExpertBank:
    """Named LoRA experts on `model.lm`. `model` is anything with an `.lm` attribute (MotionLM)."""

    model: object
    settings: LoraSettings = field(default_factory=LoraSettings)
    names: list[str] = field(default_factory=list)
    themes: dict[str, str | None] = field(default_factory=dict)
    training: str | None = None  # the one adapter allowed to learn
    _state: dict[str, float] = field(default_factory=dict)  # current blend; {} = base model
    # Serving: keep the last blend merged into the base weights between calls, so consecutive
    # requests for the same expert pay no merge (see `run`). Off for training and benchmarks.
    keep_merged: bool = False
    _resident: dict[str, float] = field(default_factory=dict)  # blend merged into the weights now
    _originals: list = field(default_factory=list)  # (weight, exact copy of the unmerged values)

    # ------------------------------------------------------------------ structure
    @property
    def peft(self):
        """The peft model (model.lm once the first expert exists)."""
        from peft import PeftModel

        if not isinstance(self.model.lm, PeftModel):
            raise InputError("the expert bank has no experts yet")
        return self.model.lm

    def _lora_layers(self) -> list:
        from peft.tuners.lora import LoraLayer

        return [m for m in self.model.lm.modules() if isinstance(m, LoraLayer)]

    def add_expert(self, name: str, theme: str | None = None, trainable: bool = True, seed: int | None = None) -> None:
        """A fresh adapter for a new task; it becomes the only trainable parameters.

        seed: draw the adapter's initial weights from this seed (peft draws them from torch's
        global generator, whose state depends on whatever ran before), leaving that generator as it was."""
        from peft import PeftModel, get_peft_model

        if not name or name == "default" or "/" in name or name in self.names:
            raise InputError(f"bad or duplicate expert name '{name}'")
        for p in self.model.lm.parameters():
            p.requires_grad_(False)
        here = [torch.cuda.current_device()] if torch.cuda.is_available() else []  # this process's GPU only
        with torch.random.fork_rng(devices=here) if seed is not None else contextlib.nullcontext():
            if seed is not None:
                torch.manual_seed(seed)
            if isinstance(self.model.lm, PeftModel):
                self.model.lm.add_adapter(name, self.settings.peft_config())
            else:
                self.model.lm = get_peft_model(self.model.lm, self.settings.peft_config(), adapter_name=name)
        self.names.append(name)
        self.themes[name] = theme
        self.training = name if trainable else None
        self.activate(name)

    def remove_expert(self, name: str) -> None:
        """Drop one adapter again (a cancelled learn); the others are untouched."""
        if name not in self.names:
            raise InputError(f"unknown expert '{name}'")
        self.activate(None)
        self.peft.delete_adapter(name)
        self.names.remove(name)
        self.themes.pop(name, None)
        if self.training == name:
            self.training = None

    def train_expert(self, name: str | None) -> None:
        """Make `name` the trainable adapter (None: nothing trains) and activate it."""
        if name is not None and name not in self.names:
            raise InputError(f"unknown expert '{name}'")
        self.training = name
        self.activate(name)

    def _apply_trainability(self) -> None:
        for pname, p in self.model.lm.named_parameters():
            p.requires_grad_(self.training is not None and _adapter_of(pname) == self.training)

    def trainable_parameters(self) -> list[Tensor]:
        return [p for p in self.model.lm.parameters() if p.requires_grad]

    def adapter_state(self, name: str) -> dict[str, Tensor]:
        """A detached copy of one adapter's weights (for snapshots and bit-identity checks)."""
        return {k: v.detach().clone() for k, v in self.model.lm.named_parameters() if _adapter_of(k) == name}

    def load_adapter_state(self, name: str, state: dict[str, Tensor]) -> None:
        params = dict(self.model.lm.named_parameters())
        with torch.no_grad():
            for k, v in state.items():
                params[k].copy_(v)

    # ------------------------------------------------------------------ which adapters run
    def activate(self, name: str | None) -> None:
        """One expert (scale 1) or None for the base model (adapters disabled)."""
        self.set_blend({} if name is None else {name: 1.0})

    def set_blend(self, weights: dict[str, float]) -> None:
        """Run with these adapters; adapter i's output is scaled by weights[i] * alpha/r."""
        weights = {n: float(w) for n, w in weights.items() if w != 0}
        for n in weights:
            if n not in self.names:
                raise InputError(f"unknown expert '{n}'; known: {', '.join(self.names) or 'none'}")
        if not self.names:
            self._state = {}
            return
        base = self.peft.base_model
        if not weights:
            base._enable_adapter_layers(enabled=False)
        else:
            base.set_adapter(list(weights))
            base._enable_adapter_layers(enabled=True)
            base.set_adapter(list(weights))
            for layer in self._lora_layers():
                for n in self.names:
                    layer.set_scale(n, weights.get(n, 1.0))
        self._state = weights
        self._apply_trainability()

    @property
    def active(self) -> dict[str, float]:
        """The current blend ({} = base model)."""
        return dict(self._state)

    @contextmanager
    def blend(self, weights: dict[str, float]) -> Iterator[None]:
        """Temporarily run a weighted blend of adapters; the previous state comes back after."""
        previous = self.active
        self.set_blend(weights)
        try:
            yield
        finally:
            self.set_blend(previous)

    @contextmanager
    def fused(self, weights: dict[str, float]) -> Iterator[None]:
        """Fast path: add sum_i w_i * B_i A_i * alpha/r into the base weights for this block.

        Adapters are disabled inside, so decoding costs what the base model costs. On exit the
        original weights are copied back bit for bit and the previous adapter state restored.
        """
        weights = {n: float(w) for n, w in weights.items() if w != 0}
        for n in weights:
            if n not in self.names:
                raise InputError(f"unknown expert '{n}'")
        previous = self.active
        if self.keep_merged:
            self._make_resident(weights)
            with self.blend({}):
                yield
            return
        if not weights:
            with self.blend({}):
                yield
            return
        saved = self._merge(weights)
        self.set_blend({})
        try:
            yield
        finally:
            self._restore(saved)
            self.set_blend(previous)

    def _merge(self, weights: dict[str, float]) -> list:
        """Add the blend's deltas into the base weights; returns exact copies to restore them."""
        saved = []
        with torch.no_grad():
            for layer in self._lora_layers():
                base = layer.get_base_layer()
                saved.append((base.weight, base.weight.data.clone()))
                delta = None
                for n, w in weights.items():
                    if n not in layer.lora_A:
                        continue
                    a, b = layer.lora_A[n].weight, layer.lora_B[n].weight
                    d = (b.float() @ a.float()) * (w * layer.lora_alpha[n] / layer.r[n])
                    delta = d if delta is None else delta + d
                if delta is not None:
                    base.weight.data += delta.to(base.weight.dtype)
        return saved

    @staticmethod
    def _restore(saved: list) -> None:
        with torch.no_grad():
            for weight, original in saved:
                weight.data.copy_(original)

    def _make_resident(self, weights: dict[str, float]) -> None:
        """keep_merged mode: merge `weights` unless they are what is merged already."""
        if weights == self._resident:
            return
        self.release()
        if weights:
            self._originals = self._merge(weights)
            self._resident = dict(weights)

    def release(self) -> None:
        """Put the exact unmerged base weights back (keep_merged mode); a no-op otherwise."""
        if self._originals:
            self._restore(self._originals)
        self._originals, self._resident = [], {}

    def merged(self, names: list[str] | None = None):
        """The merged-adapters baseline: each listed expert (default: all) at weight 1/n."""
        names = list(self.names if names is None else names)
        return self.fused({n: 1.0 / len(names) for n in names} if names else {})

    def run(self, weights: dict[str, float], fast: bool = True):
        """Context for one inference call with a route's blend: fused when `fast`, else unmerged."""
        return self.fused(weights) if fast else self.blend(weights)

    # ------------------------------------------------------------------ O-LoRA
    def orthogonality_penalty(self, current: str, previous: list[str] | None = None) -> Tensor:
        """sum over layers and earlier experts of ||A_prev A_cur^T||_F^2 (O-LoRA).

        Pushes the new expert's input subspace (rows of A) away from the earlier experts',
        so the new task's update interferes less with what the earlier experts read.
        """
        previous = [n for n in (self.names if previous is None else previous) if n != current]
        total = None
        for layer in self._lora_layers():
            if current not in layer.lora_A:
                continue
            a_cur = layer.lora_A[current].weight
            for n in previous:
                if n in layer.lora_A:
                    term = (layer.lora_A[n].weight.detach() @ a_cur.T).pow(2).sum()
                    total = term if total is None else total + term
        if total is None:
            return torch.zeros(())
        return total

    # ------------------------------------------------------------------ files
    def save(self, directory: str | Path, names: list[str] | None = None) -> None:
        """`directory/<name>/adapter_config.json + adapter_model.safetensors` (plain peft) + experts.json."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        names = list(self.names if names is None else names)
        if names:
            self.peft.save_pretrained(str(directory), selected_adapters=names)
            for name in names:  # relocatable: the base model is the checkpoint's own backbone, not a path
                _drop_base_path(directory / name / "adapter_config.json")
        manifest = {"names": names, "themes": {n: self.themes.get(n) for n in names},
                    "settings": {**asdict(self.settings), "targets": list(self.settings.targets)}}
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2))

    @classmethod
    def load(cls, model, directory: str | Path, settings: LoraSettings | None = None) -> "ExpertBank":
        """Attach every saved expert in `directory` to `model.lm` (frozen, base model active)."""
        names, themes, saved_settings = _read_manifest(Path(directory))
        bank = cls(model, settings or saved_settings or LoraSettings())
        for p in model.lm.parameters():
            p.requires_grad_(False)
        bank.attach(directory, names, themes)
        return bank

    def attach(self, directory: str | Path, names: list[str] | None = None,
               themes: dict | None = None) -> list[str]:
        """Load saved experts this bank does not have yet (e.g. a resumed run's extra adapters)."""
        from peft import PeftModel

        directory = Path(directory)
        if names is None:
            names, themes, _ = _read_manifest(directory)
        added = []
        for name in names:
            if name in self.names:
                continue
            folder = directory / name
            if not (folder / "adapter_config.json").exists():
                raise CheckpointError(f"expert '{name}' is missing its adapter folder {folder}")
            try:
                if isinstance(self.model.lm, PeftModel):
                    self.model.lm.load_adapter(str(folder), adapter_name=name, is_trainable=False)
                else:
                    self.model.lm = PeftModel.from_pretrained(self.model.lm, str(folder), adapter_name=name,
                                                              is_trainable=False)
            except (OSError, ValueError, RuntimeError, KeyError) as exc:
                raise CheckpointError(f"expert '{name}' could not be loaded: {exc}") from None
            self.names.append(name)
            self.themes[name] = (themes or {}).get(name)
            added.append(name)
        self.set_blend({})
        return added


def _read_manifest(directory: Path) -> tuple[list[str], dict, LoraSettings | None]:
    """Names (in training order), themes and LoRA settings of a saved bank."""
    if not directory.exists():
        raise CheckpointError(f"no experts folder at {directory}")
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():  # plain peft folders without our manifest
        return sorted(p.parent.name for p in directory.glob("*/adapter_config.json")), {}, None
    try:
        manifest = json.loads(manifest_path.read_text())
        s = manifest.get("settings")
        settings = LoraSettings(**{**s, "targets": tuple(s["targets"])}) if s else None
        return list(manifest["names"]), dict(manifest.get("themes", {})), settings
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{manifest_path} is unreadable: {exc}") from None


def _adapter_of(param_name: str) -> str | None:
    """'...q_proj.lora_A.jumping.weight' -> 'jumping'; None for non-LoRA parameters."""
    parts = param_name.split(".")
    for i, part in enumerate(parts[:-1]):
        if part in ("lora_A", "lora_B", "lora_embedding_A", "lora_embedding_B"):
            return parts[i + 1]
    return None


def _drop_base_path(config_path: Path) -> None:
    """peft records the absolute folder of the base model it saw; a checkpoint travels, so drop it."""
    if config_path.is_file():
        cfg = json.loads(config_path.read_text())
        if cfg.get("base_model_name_or_path"):
            cfg["base_model_name_or_path"] = None
            config_path.write_text(json.dumps(cfg, indent=2, sort_keys=True))
