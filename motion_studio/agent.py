"""The inference facade: load a checkpoint, then route(), generate(), caption().

Both faces (the Qt app and the CLI) talk to the model through this class only:

    agent = Agent.load(path=None, device="auto")   # None -> checkpoints/default; raises CheckpointError
    agent.experts        -> list[ExpertInfo]        # name, theme, index
    agent.device         -> str                     # "cpu" or "cuda:0"
    agent.device_name    -> str                     # "CPU" or the CUDA device's name
    agent.checkpoint     -> Path
    agent.description    -> str                     # one line: model, size, checkpoint
    agent.route(query: str | Motion, settings: RouteSettings | None = None) -> RouteResult
    agent.route_batch(direction: "t2m" | "m2t", inputs: prompts | code lists, settings=None,
                      sent_embs=None) -> list[RouteResult]
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

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .checkpoint import REPO_ROOT, Checkpoint
from .errors import CheckpointError, InputError, MotionFileError

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
    temperature: float = 1.0  # soft mode: softmax over -log(error / threshold) / temperature
    force_expert: str | None = None
    threshold_scale: float = 1.0  # multiplies every expert's threshold: > 1 accepts more, < 1 is stricter


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


def resolve_device(device: str | None) -> str:
    """"auto" -> "cuda" when torch sees a GPU, else "cpu"; an unavailable CUDA request is an InputError."""
    import torch

    device = (device or "auto").strip().lower()
    if device == "auto":
        return "cuda:0" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError(f"--device {device}: no CUDA GPU is available here (use cpu)")
        return device if ":" in device else "cuda:0"
    if device != "cpu":
        raise InputError(f"unknown device '{device}' (use cpu, cuda, cuda:N or auto)")
    return "cpu"


def clean_prompt(prompt: str) -> str:
    """Collapse whitespace and control characters; refuse empty or absurdly long prompts."""
    if not isinstance(prompt, str):
        raise InputError("the prompt must be text")
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", prompt)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InputError("the prompt is empty: describe a motion, e.g. 'a person jumps forward'")
    if len(text) > MAX_PROMPT_CHARS:
        raise InputError(f"the prompt is {len(text)} characters long; keep it under {MAX_PROMPT_CHARS}")
    if not re.search(r"[^\W\d_]", text):
        raise InputError("the prompt has no words: describe a motion, e.g. 'a person waves'")
    return text


def user_checkpoint_dir(stem: str) -> Path:
    """A new folder for a checkpoint the user makes (e.g. by learning a task): the first free
    `stem`, `stem-2`, ... under $MOTION_STUDIO_HOME/checkpoints (default ~/.motion-studio)."""

    from .checkpoint import user_home

    home = user_home() / "checkpoints"
    candidate, n = home / stem, 2
    while candidate.exists() and any(candidate.iterdir()):
        candidate, n = home / f"{stem}-{n}", n + 1
    return candidate


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000.0, 1)


class Agent:
    """A loaded checkpoint: frozen backbone + VQ-VAE, the expert bank and both routers."""

    def __init__(self, root: Path, manifest: dict, model, vqvae, parts, device: str, t2m_source: str,
                 task_info: list[ExpertInfo]) -> None:
        self.checkpoint = root
        self.manifest = manifest
        self.model = model
        self.vqvae = vqvae
        self.parts = parts
        self.device = device
        self.t2m_source = t2m_source
        self.experts = task_info
        self._encoder = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | Checkpoint | None = None, device: str = "auto") -> "Agent":
        ck = path if isinstance(path, Checkpoint) else Checkpoint(path) if path else Checkpoint.default()
        manifest = ck.verify()
        dev = resolve_device(device)
        try:
            model = ck.backbone()
            vqvae = ck.vqvae()
            parts = ck.parts(model)
        except CheckpointError:
            raise
        except Exception as exc:  # a corrupt-but-hash-matching file, a version mismatch...
            raise CheckpointError(f"cannot load checkpoint {ck.root}: {exc.__class__.__name__}: {exc}") from None
        model.to(dev)
        vqvae.to(dev)
        model.eval()
        parts.bank.keep_merged = True  # serving: the last expert stays merged until the router changes its mind
        infos = [ExpertInfo(i, n, t) for i, (n, t) in
                 enumerate(zip(parts.router_t2m.names, parts.router_t2m.themes))]
        # the router resolved its input source when it loaded (an older file's null is inferred there)
        return cls(ck.root, manifest, model, vqvae, parts, dev, parts.router_t2m.input_source, infos)

    @property
    def encoder(self):
        if self._encoder is None:
            from .models.sentence import get_sentence_encoder

            self._encoder = get_sentence_encoder(self.device)
        return self._encoder

    @property
    def device_name(self) -> str:
        if self.device.startswith("cuda"):
            import torch

            return f"CUDA {torch.cuda.get_device_name(torch.device(self.device))}"
        return "CPU"

    @property
    def description(self) -> str:
        n_params = sum(p.numel() for p in self.model.parameters()) / 1e6
        return (f"{self.manifest.get('name', 'motion-studio')} ({n_params:.1f} M params, "
                f"{len(self.experts)} experts) from {self.checkpoint}")

    @property
    def results_dir(self) -> Path | None:
        for candidate in (self.checkpoint / "results", REPO_ROOT / "results"):
            if (candidate / "results.json").exists():
                return candidate
        return None

    def sample_clips(self) -> list[SampleClip]:
        path = self.checkpoint / "samples.json"
        if not path.exists():
            return []
        rows = json.loads(path.read_text())
        return [SampleClip(r["clip_id"], r["task"], r.get("theme"), list(r.get("captions", [])),
                           self.checkpoint / r["file"]) for r in rows]

    def example_prompts(self) -> dict[str, list[str]]:
        path = self.checkpoint / "examples.json"
        return json.loads(path.read_text()) if path.exists() else {}

    # ------------------------------------------------------------------ learning
    def learn_task(self, name: str, match: list[str] | None = None, ids_file=None, data_dir=None,
                   theme: str | None = None, steps: int | None = None, out=None, progress: bool = False,
                   command: str | None = None, on_progress=None) -> dict:
        """Teach one more task (training.learn): a new checkpoint folder, this agent unchanged.

        data_dir: default the corpus this checkpoint was trained on (the built-in one is
        regenerated when missing, into the user's Motion Studio folder). out: default
        "<checkpoint>+<name>" under $MOTION_STUDIO_HOME/checkpoints, never inside the repo.
        on_progress(dict) gets {"stage", "step", "total", "loss", "message"} (stage "corpus" while
        the corpus is generated, then training.learn's stages); returning False cancels with
        errors.Cancelled and nothing is written. Returns the learn report with "out" added."""
        from .checkpoint import checkpoint_corpus
        from .data.tasks import load_tasks
        from .training.learn import check_name, learn_task

        check_name(name, [e.name for e in self.experts])  # a bad name fails before any slow work
        if data_dir is None:
            def on_clip(done: int, total: int):
                if on_progress is not None:
                    return on_progress({"stage": "corpus", "step": done, "total": total, "loss": None,
                                        "message": f"generating the built-in corpus: {done}/{total} clips"})
                return None

            data_dir = checkpoint_corpus(self.checkpoint, load_tasks(self.checkpoint / "tasks.json").data_dir,
                                         progress, on_clip=on_clip)
        out = Path(out) if out else user_checkpoint_dir(f"{self.checkpoint.name}+{(name or '').strip().lower()}")
        result = learn_task(self.checkpoint, out, name, data_dir, ids_file=ids_file, match=match, theme=theme,
                            steps=steps, progress=progress, command=command, on_progress=on_progress)
        return {**result, "out": str(out)}

    def learn_estimate(self, match: list[str] | None = None, steps: int | None = None) -> dict:
        """What learning a task would cost, before starting: matching clips (when the corpus is
        on disk), estimated seconds (this checkpoint's measured seconds per expert step, plus the
        corpus generation when it is missing), and whether the corpus is ready."""
        from .checkpoint import checkpoint_corpus
        from .data.tasks import load_tasks

        data_dir = checkpoint_corpus(self.checkpoint, load_tasks(self.checkpoint / "tasks.json").data_dir,
                                     progress=False, generate=False)
        clips = None
        if data_dir is not None and match:
            from .data.dataset import MotionDataset
            from .training.learn import select_clips

            clips = len(select_clips(MotionDataset(data_dir), match=match))
        reports = ((self.manifest.get("stage_reports") or {}).get("experts") or {}).values()
        per_step = [r["seconds"] / r["steps"] for r in reports if r.get("seconds") and r.get("steps")]
        cfg_steps = ((self.manifest.get("configs") or {}).get("continual") or {}).get("steps_per_task", 200)
        n_steps = int(steps or cfg_steps)
        seconds = n_steps * (sum(per_step) / len(per_step) if per_step else 0.45) + 20.0  # + loading, routers
        corpus_clips = int(((self.manifest.get("corpus") or {}).get("clips")) or 0)
        if data_dir is None:
            seconds += corpus_clips / 100.0  # measured ~250 clips/s on 2 workers; slower machines exist
        return {"clips": clips, "seconds": round(seconds), "corpus_ready": data_dir is not None, "steps": n_steps}

    # ------------------------------------------------------------------ the three calls
    def _sent_emb(self, prompt: str):
        return self.encoder.embed([prompt])

    def _motion_codes(self, motion: Motion) -> list[int]:
        from .motion.features import joints_to_features

        if motion.n_frames < 8:
            raise MotionFileError(f"{motion.name or 'the motion'} is too short to describe ({motion.n_frames} frames)")
        feats = motion.features
        if feats is None or len(feats) < 4:
            feats = joints_to_features(motion.joints)
        feats = feats[: self.model.cfg.max_codes * self.vqvae.cfg.factor]
        return self.vqvae.features_to_codes(feats)[: self.model.cfg.max_codes]

    @staticmethod
    def _route_kwargs(settings: RouteSettings | None) -> dict:
        s = settings or RouteSettings()
        return dict(mode=s.mode, k=int(s.k), temperature=max(float(s.temperature), 1e-3), force=s.force_expert or None,
                    threshold_scale=float(s.threshold_scale))

    def _route_vector(self, direction: str, settings: RouteSettings, *, prompt: str | None = None,
                      sent_emb=None, codes: list[int] | None = None) -> RouteResult:
        from .models.router_inputs import route_t2m, route_m2t

        kwargs = self._route_kwargs(settings)
        if direction == "t2m":
            return route_t2m(self.parts.router_t2m, self.model, prompt, self.t2m_source, sent_emb=sent_emb,
                             sent_encoder=self.encoder, **kwargs)
        return route_m2t(self.parts.router_m2t, self.model, codes, vqvae=self.vqvae, **kwargs)

    def route_batch(self, direction: str, inputs: list, settings: RouteSettings | None = None,
                    sent_embs=None) -> list[RouteResult]:
        """Route many inputs at once: "t2m" prompts (already clean; sent_embs optional) or "m2t"
        VQ code lists. Same decisions as `route` on each input."""
        from .models.router_inputs import route_m2t_batch, route_t2m_batch

        kwargs = self._route_kwargs(settings)
        if direction == "t2m":
            return route_t2m_batch(self.parts.router_t2m, self.model, list(inputs), self.t2m_source,
                                   sent_embs=sent_embs, sent_encoder=self.encoder, **kwargs)
        if direction == "m2t":
            return route_m2t_batch(self.parts.router_m2t, self.model, list(inputs), vqvae=self.vqvae, **kwargs)
        raise InputError(f"direction must be 't2m' or 'm2t', got '{direction}'")

    def route(self, query: str | Motion, settings: RouteSettings | None = None) -> RouteResult:
        settings = settings or RouteSettings()
        if isinstance(query, Motion):
            return self._route_vector("m2t", settings, codes=self._motion_codes(query))
        prompt = clean_prompt(query)
        return self._route_vector("t2m", settings, prompt=prompt, sent_emb=self._sent_emb(prompt))

    def generate(self, prompt: str, seconds: float | None = None, settings: RouteSettings | None = None,
                 seed: int | None = None) -> Generation:
        from .models.generation import generate_codes
        from .models.sequences import seconds_to_codes
        from .motion.features import features_to_joints

        settings = settings or RouteSettings()
        prompt = clean_prompt(prompt)
        if seconds is not None and not (MIN_SECONDS <= float(seconds) <= MAX_SECONDS):
            raise InputError(f"length must be between {MIN_SECONDS:g} and {MAX_SECONDS:g} seconds, got {seconds}")
        t_all = time.perf_counter()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        sent = self._sent_emb(prompt)
        route = self._route_vector("t2m", settings, prompt=prompt, sent_emb=sent)
        timings["route"] = _ms(t0)
        t0 = time.perf_counter()
        n_codes = seconds_to_codes(seconds)
        codes = generate_codes(self.parts, [prompt], sent, [route.blend], [n_codes], greedy=seed is None,
                               temperature=1.0, top_k=None, seed=seed)[0]
        timings["generate"] = _ms(t0)
        t0 = time.perf_counter()
        feats = self.vqvae.codes_to_features(codes)
        joints = features_to_joints(feats)
        timings["decode"] = _ms(t0)
        timings["total"] = _ms(t_all)
        motion = Motion(joints=joints, name=prompt, source="generated", features=feats)
        return Generation(prompt, motion, route, list(codes), timings)

    def caption(self, motion: Motion, settings: RouteSettings | None = None) -> Captioning:
        from .models.generation import caption_codes

        settings = settings or RouteSettings()
        t_all = time.perf_counter()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        codes = self._motion_codes(motion)
        timings["encode"] = _ms(t0)
        t0 = time.perf_counter()
        route = self._route_vector("m2t", settings, codes=codes)
        timings["route"] = _ms(t0)
        t0 = time.perf_counter()
        text = caption_codes(self.parts, [codes], [route.blend])[0].strip()
        timings["generate"] = _ms(t0)
        timings["total"] = _ms(t_all)
        return Captioning(text or "(no caption)", route, codes, timings)
