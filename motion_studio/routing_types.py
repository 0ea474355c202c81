"""Plain result objects shared by the router, the agent facade and the faces.

Kept free of torch and Qt so the CLI and the app can import them cheaply.
The JSON form is a contract (`motion-studio route --json`): other tools read these keys.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class ExpertScore:
    """One expert's view of an input: its autoencoder's reconstruction error."""

    name: str
    theme: str | None
    error: float
    threshold: float
    weight: float  # softmax weight over negative errors (0 for experts outside the top-K)


@dataclass
class RouteResult:
    """Which expert(s) handle an input, and why."""

    direction: str  # "t2m" or "m2t"
    experts: list[ExpertScore] = field(default_factory=list)
    chosen: str | None = None  # None: the base model (no experts, unseen input, or forced base)
    unseen: bool = False  # above every expert's threshold -> base model
    mode: str = "hard"  # "hard" (K=1) or "soft" (top-K blend)
    k: int = 1
    forced: bool = False  # a user override picked the expert, not the router

    @property
    def blend(self) -> dict[str, float]:
        """Adapter name -> weight actually applied (empty means the base model)."""
        if self.chosen is None:
            return {}
        if self.mode == "hard" or self.forced:
            return {self.chosen: 1.0}
        active = {e.name: e.weight for e in self.experts if e.weight > 0}
        total = sum(active.values()) or 1.0
        return {n: w / total for n, w in active.items()}

    def to_json(self) -> dict:
        return {
            "direction": self.direction,
            "experts": [asdict(e) for e in self.experts],
            "chosen": self.chosen,
            "unseen": self.unseen,
            "mode": self.mode,
            "k": self.k,
        }
