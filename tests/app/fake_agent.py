"""A deterministic stand-in for motion_studio.agent.Agent, for GUI tests only (never shipped).

Routes by keywords with made-up errors, "generates" a procedural stick-figure motion,
captions with a fixed phrase. Same contract as the real facade.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np

from motion_studio.agent import Captioning, ExpertInfo, Generation, RouteSettings, SampleClip
from motion_studio import errors
from motion_studio.errors import InputError
from motion_studio.motion import skeleton
from motion_studio.motion.motion import Motion
from motion_studio.routing_types import ExpertScore, RouteResult

THEMES = {"locomotion": ("walk", "run", "jog"), "gestures": ("wave", "clap", "point"),
          "sports": ("kick", "throw", "jump")}
FIXED_CAPTION = "a person walks forward and waves."
THRESHOLD = 0.5
# errors.Cancelled is the agent's "the user stopped it" (on_progress returned False)
Cancelled = getattr(errors, "Cancelled", None) or type("Cancelled", (errors.MotionStudioError,), {})


def fake_motion(prompt: str, seconds: float = 2.0, fps: float = 20.0) -> Motion:
    """Rest pose plus a walk (root moves along +Z) and a raised, waving right arm when asked."""
    t = np.arange(int(round(seconds * fps))) / fps
    pose = skeleton.rest_pose() + np.array([0.0, 0.84, 0.0])
    joints = np.repeat(pose[None], len(t), axis=0)
    if "walk" in prompt or "run" in prompt:
        joints[..., 2] += (1.3 * t)[:, None]
    if "wave" in prompt:
        for j in (19, 21):  # right elbow, wrist swing above the shoulder
            joints[:, j, 1] += 0.5 + 0.05 * (j == 21)
            joints[:, j, 0] += 0.15 * np.sin(2 * math.pi * 2 * t)
    return Motion(joints=joints, fps=fps, name=prompt[:30], source="generated")


class FakeAgent:
    def __init__(self, clip_dir: Path | None = None, results_dir: Path | None = None,
                 delay_s: float = 0.0, experts: tuple[str, ...] = tuple(THEMES)) -> None:
        self.experts = [ExpertInfo(i, name, name) for i, name in enumerate(experts)]
        self.device = "cpu"
        self.device_name = "CPU"
        self.checkpoint = Path("fake/checkpoint")
        self.description = f"fake agent, {len(self.experts)} experts"
        self.results_dir = results_dir
        self.delay_s = delay_s
        self.calls: list[tuple[str, object]] = []
        self._clip_dir = clip_dir

    @classmethod
    def load(cls, path=None, device="auto") -> "FakeAgent":
        return cls()

    # --- learning ---------------------------------------------------------------------------
    def learn_estimate(self, match) -> dict:
        self.calls.append(("estimate", tuple(match or ())))
        n = 7 * len([w for w in match or () if w])
        return {"clips": n, "seconds": 2.5 * n, "corpus_ready": False}

    def learn_task(self, name, match=None, ids_file=None, data_dir=None, theme=None, steps=None, out=None,
                   progress=False, on_progress=None) -> dict:
        """Steps of `delay_s / 10` each, reported through on_progress; False from it cancels."""
        self.calls.append(("learn", (name, tuple(match or ()), steps)))
        if not match:
            raise InputError("give either --ids FILE or --match WORD [WORD ...]")
        total = 10
        for stage, n in (("corpus", 2), ("train", total)):
            for step in range(1, n + 1):
                time.sleep(self.delay_s / (n + 2))
                info = {"stage": stage, "step": step, "total": n, "loss": 1.0 / step if stage == "train" else None,
                        "message": f"{stage} step {step} of {n}"}
                if on_progress is not None and on_progress(info) is False:
                    raise Cancelled(f"learning '{name}' was cancelled")
        return {"name": name, "clips": 7, "steps": steps, "seconds": 0.1, "out": f"fake/checkpoint+{name}",
                "held_out_routed_to_new_expert": {"clips": 3, "t2m_pct": 100.0, "m2t_pct": 66.7}}

    # --- routing ---------------------------------------------------------------------------
    def route(self, query, settings: RouteSettings | None = None) -> RouteResult:
        """Keyword routing with the router contract: weights agree with the decision (unseen or
        forced base -> all 0, forced expert -> 1 for it, hard -> 1 for the chosen), each score has
        error/threshold as `ratio`, `nearest` is the lowest-error expert whatever the decision."""
        settings = settings or RouteSettings()
        self.calls.append(("route", query))
        time.sleep(self.delay_s)
        scale = float(getattr(settings, "threshold_scale", 1.0))
        text = query if isinstance(query, str) else "walk"  # every clip looks like locomotion
        direction = "t2m" if isinstance(query, str) else "m2t"
        errors_ = []
        for e in self.experts:
            hit = any(w in text.lower() for w in THEMES.get(e.name, (e.name,)))
            errors_.append(0.2 + 0.01 * e.index if hit else 0.7 + 0.1 * e.index)
        threshold = THRESHOLD * scale
        order = np.argsort(errors_)
        nearest = self.experts[int(order[0])].name if self.experts else None
        unseen = bool(self.experts) and all(err > threshold for err in errors_)
        forced = settings.force_expert is not None
        soft = settings.mode == "soft"
        weights = np.zeros(len(errors_))
        if forced:
            chosen = None if settings.force_expert == "base" else settings.force_expert
            if chosen is not None:
                weights[[e.name for e in self.experts].index(chosen)] = 1.0
        elif unseen or not self.experts:
            chosen = None
        else:
            chosen = nearest
            keep = order[: (settings.k if soft else 1)]
            w = np.exp(-np.array(errors_) / settings.temperature)
            weights[keep] = w[keep] / w[keep].sum()
        scores = [ExpertScore(e.name, e.theme, float(err), threshold, float(wt), float(err / threshold))
                  for e, err, wt in zip(self.experts, errors_, weights)]
        result = RouteResult(direction, scores, chosen, unseen and not forced, settings.mode,
                             settings.k if soft else 1, forced, nearest=nearest, threshold_scale=scale)
        if direction == "t2m" and text.lower().startswith("a person "):  # the real router reads the action phrase
            result.read_as = text[len("a person "):].lower()
        if direction == "m2t" and self.experts:  # what each nearest autoencoder found least familiar
            result.reasons = {self.experts[int(i)].name: [("left wrist position", 0.43), ("left elbow position", 0.15),
                                                          ("right knee position", 0.03)] for i in order[:2]}
        return result

    def generate(self, prompt: str, seconds: float | None = None,
                 settings: RouteSettings | None = None, seed: int | None = None) -> Generation:
        if not prompt.strip():
            raise InputError("The prompt is empty: describe a motion, e.g. 'a person waves'.")
        self.calls.append(("generate", prompt))
        route = self.route(prompt, settings)
        motion = fake_motion(prompt, seconds or 2.0)
        return Generation(prompt, motion, route, [1, 2, 3],
                          {"route": 1.0, "generate": 10.0, "decode": 2.0, "total": 13.0})

    def caption(self, motion: Motion, settings: RouteSettings | None = None) -> Captioning:
        self.calls.append(("caption", motion.name))
        time.sleep(self.delay_s)
        return Captioning(FIXED_CAPTION, self.route(motion, settings), [4, 5],
                          {"route": 1.0, "generate": 8.0, "total": 9.0})

    def sample_clips(self) -> list[SampleClip]:
        if self._clip_dir is None:
            return []
        clips = []
        for i, (task, prompt) in enumerate([("locomotion", "walk"), ("gestures", "wave"),
                                            ("base", "stand")]):
            path = self._clip_dir / f"clip{i}.npy"
            if not path.exists():
                np.save(path, fake_motion(prompt).joints)
            clips.append(SampleClip(f"clip{i}", task, task, [f"a person {prompt}s."], path))
        return clips

    def example_prompts(self) -> dict[str, list[str]]:
        return {"locomotion": ["a person walks forward"], "gestures": ["a person waves"],
                "sports": ["a person kicks a ball"]}


def write_fake_results(results_dir: Path) -> Path:
    """A results folder like the benchmark writes: results.json plus one PNG matrix."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results_dir.mkdir(parents=True, exist_ok=True)
    m = np.array([[0.9, 0.1, 0.0], [0.05, 0.85, 0.1], [0.0, 0.2, 0.8]])
    (results_dir / "results.json").write_text(json.dumps({"router_confusion": m.tolist()}))
    fig, ax = plt.subplots(figsize=(4, 3.5))
    ax.imshow(m, cmap="viridis")
    ax.set_title("router confusion")
    fig.savefig(results_dir / "router_confusion.png", dpi=80)
    plt.close(fig)
    return results_dir
