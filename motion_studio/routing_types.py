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
    threshold: float  # the effective threshold: calibrated threshold x the route's threshold_scale
    weight: float  # the weight this expert actually gets in the answer (0 when it does not take part)
    ratio: float = 0.0  # error / threshold: below 1 the expert accepts the input


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
    nearest: str | None = None  # the lowest-error expert, whatever the unseen rule decided
    threshold_scale: float = 1.0  # every calibrated threshold was multiplied by this
    base_ratio: float | None = None  # error / threshold of the base-family autoencoder, when the router has one
    read_as: str | None = None  # the words the prompt router read (its action phrase), when not the prompt as typed
    # for the experts nearest to accepting a motion: the body parts its autoencoder found least
    # familiar, (part, share of that expert's error), largest first
    reasons: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def nearest_ratio(self) -> float | None:
        """error / threshold of the nearest expert (how far outside its threshold an unseen input is)."""
        for e in self.experts:
            if e.name == self.nearest:
                return e.ratio
        return None

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
            "forced": self.forced,
            "nearest": self.nearest,
            "threshold_scale": self.threshold_scale,
            "base_ratio": self.base_ratio,
            "read_as": self.read_as,
            "reasons": {name: [{"part": p, "share": round(float(w), 4)} for p, w in parts]
                        for name, parts in self.reasons.items()},
        }


STANDS_OUT = 0.10  # a body part explains a near miss when it holds at least this share of the error


def reasons_text(parts: list[tuple[str, float]]) -> str:
    """'left wrist position 43 %, left elbow position 15 %', or, when no part holds STANDS_OUT of
    the error, 'no single part stands out' (the motion is unlike the task as a whole)."""
    shown = [f"{p} {100 * w:.0f} %" for p, w in parts if w >= STANDS_OUT]
    return ", ".join(shown) if shown else "no single part stands out"


def near_miss_lines(result: RouteResult) -> list[str]:
    """For an unseen input, one line per nearest expert with reasons: 'least like walking in: left
    wrist position 43 %, left elbow position 15 %' (what the app and the command line show)."""
    if not result.unseen or result.forced:
        return []
    return [f"least like {name} in: {reasons_text(parts)}" for name, parts in result.reasons.items()]
