"""A trained agent's learnable parts over one frozen MotionLM: the expert bank and both routers.

Inference (agent.py), training (training/continual.py) and the benchmark all hold the same
container, so it lives here, below them, with its save/load. The routers name exactly the
experts they route to; the bank may hold more adapters (the benchmark's baselines).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CheckpointError
from .experts import ExpertBank
from .router import AutoencoderRouter


@dataclass
class AgentParts:
    """A trained continual agent's learnable parts, over one frozen MotionLM."""

    model: object
    bank: ExpertBank
    router_t2m: AutoencoderRouter
    router_m2t: AutoencoderRouter
    reports: dict = field(default_factory=dict)

    def save(self, out_dir: str | Path) -> None:
        out = Path(out_dir)
        self.bank.save(out / "experts")
        self.router_t2m.save(out / "router_t2m.safetensors")
        self.router_m2t.save(out / "router_m2t.safetensors")

    @classmethod
    def load(cls, model, out_dir: str | Path) -> "AgentParts":
        out = Path(out_dir)
        bank = ExpertBank.load(model, out / "experts")
        r_t2m = AutoencoderRouter.load(out / "router_t2m.safetensors")
        r_m2t = AutoencoderRouter.load(out / "router_m2t.safetensors")
        # the bank may hold extra adapters (benchmark baselines); every routed expert must exist
        if r_t2m.names != r_m2t.names or not set(r_t2m.names) <= set(bank.names):
            raise CheckpointError(f"routers ({r_t2m.names}, {r_m2t.names}) do not match the experts "
                                  f"({bank.names}) in {out}")
        return cls(model, bank, r_t2m, r_m2t)
