"""The inference facade: load a checkpoint, then route(), generate(), caption().

Both faces (the Qt app and the CLI) talk to the model through this class only.
CONTRACT (implementation lands with the model issues; the app is built against this):

    agent = Agent.load(path=None, device="auto")   # None -> checkpoints/default; raises CheckpointError
    agent.experts        -> list[ExpertInfo]        # name, theme, index
    agent.device         -> str                     # "cpu" or "cuda:0"
    agent.device_name    -> str                     # "CPU" or the CUDA device's name
    agent.checkpoint     -> Path
    agent.description    -> str                     # one line: model, size, checkpoint
    agent.route(query: str | Motion, settings: RouteSettings | None = None) -> RouteResult
    agent.generate(prompt: str, seconds: float | None = None,
                   settings: RouteSettings | None = None, seed: int | None = None) -> Generation
    agent.caption(motion: Motion, settings: RouteSettings | None = None) -> Captioning
    agent.sample_clips() -> list[SampleClip]        # test clips shipped with the checkpoint, by task
    agent.example_prompts() -> dict[str, list[str]] # theme -> prompts
    agent.results_dir -> Path | None                # benchmark results (results.json + PNGs) if any

Every method raises InputError (bad prompt/option) or MotionFileError; never anything else
for a user's mistake. Methods are thread-compatible: call one at a time from one worker thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .motion.motion import Motion
from .routing_types import ExpertScore, RouteResult

__all__ = [
    "Agent", "RouteSettings", "Generation", "Captioning", "ExpertInfo", "SampleClip",
    "RouteResult", "ExpertScore",
]

MAX_PROMPT_CHARS = 300
MIN_SECONDS, MAX_SECONDS = 1.0, 10.0


@dataclass
class RouteSettings:
    """How the router decides. force_expert: an expert name, "base", or None (let the router choose)."""

    mode: str = "hard"  # "hard" | "soft"
    k: int = 2  # used in soft mode
    temperature: float = 1.0
    force_expert: str | None = None


@dataclass
class ExpertInfo:
    index: int
    name: str
    theme: str | None


@dataclass
class SampleClip:
    clip_id: str
    task: str  # task name, or "base"
    theme: str | None
    captions: list[str]
    path: Path  # a HumanML3D joints .npy


@dataclass
class Generation:
    prompt: str
    motion: Motion
    route: RouteResult
    codes: list[int] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)  # route, generate, decode, total


@dataclass
class Captioning:
    caption: str
    route: RouteResult
    codes: list[int] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)


class Agent:  # implementation follows in the model/continual issues
    pass
