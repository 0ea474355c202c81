"""`motion-studio speed`: how fast the agent answers, on one device, written as one JSON file.

Every latency is p50/p95 in milliseconds over `n` requests after `warmup` unmeasured ones
(30 and 3 in a full run; 3 and 1 with --quick, for CI, where the figures mean nothing).
Prompts cycle through the checkpoint's example prompts, and the sentence encoder's per-text
cache is emptied before each request, so every request pays for its MiniLM embedding as a new
prompt would.

    route_ms              Agent.route(prompt): MiniLM embedding + the T2M router (hard)
    route_ms_by_experts   the router alone (autoencoder errors + decision) over 5/20/100
                          synthetic experts (copies of the real ones), input vector given
    t2m_ms[2s|6s|10s]     Agent.generate(prompt, seconds): route -> tokens -> features -> joints
    m2t_ms[2s|6s|10s]     Agent.caption(motion of that length): codes -> route -> caption
    ratios                routed_vs_base: T2M 6 s through one fixed expert / through the base
                          model; soft2_vs_hard: soft top-2 / hard routing; router_overhead:
                          hard-routed / the same expert fixed (what choosing costs). p50 / p50.
    throughput[1|8|64]    batched T2M (6 s, base model, tokens -> features -> joints), motions/s
    viewer_fps, viewer_fps_during_inference, ui_max_stall_ms
                          from motion_studio.app.fps_bench.measure_viewer_fps in a child process
                          (1 body, 1280x720); the stall is the longest frame-to-frame gap while
                          T2M requests run on a worker thread. null + a reason without a display.
    cold_start_s          process start to an interactive main window (child process), or null
                          + a reason when the app cannot measure it here.

The JSON holds exactly these keys (plus "device" and "model"); how it was measured (repetitions,
threads, load average, each variant's p50, the reason a figure is null) goes beside it in
<out>.notes.json.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

LENGTHS = (2, 6, 10)
EXPERT_COUNTS = (5, 20, 100)
BATCHES = (1, 8, 64)
FALLBACK_PROMPTS = ["a person jumps forward", "a person walks in a circle", "someone waves both arms",
                    "a person sits down and stands up", "a man raises his arms above his head"]


def _stats(ms: list[float]) -> dict:
    a = np.asarray(ms, dtype=np.float64)
    return {"p50": round(float(np.percentile(a, 50)), 2), "p95": round(float(np.percentile(a, 95)), 2)}


def _timed(fn, n: int, warmup: int, before=None) -> list[float]:
    out = []
    for i in range(warmup + n):
        if before is not None:
            before(i)
        t0 = time.perf_counter()
        fn(i)
        if i >= warmup:
            out.append((time.perf_counter() - t0) * 1000.0)
    return out


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def _prompts(agent) -> list[str]:
    rows = [p for ps in agent.example_prompts().values() for p in ps]
    return list(dict.fromkeys(rows)) or FALLBACK_PROMPTS


def synthetic_router(router, n: int):
    """A router with `n` experts: the real autoencoders repeated (same cost per expert)."""
    from ..models.router import AutoencoderRouter

    out = AutoencoderRouter(router.input_dim, router.hidden, router.direction, router.input_source)
    idx = [i % router.n_experts for i in range(n)]
    out.names = [f"synthetic-{i}" for i in range(n)]
    out.themes = [None] * n
    for key in ("w1", "b1", "w2", "b2", "mean", "std", "thresholds", "error_mean", "error_std"):
        setattr(out, key, getattr(router, key)[idx].clone())
    return out


def _measure_model(agent, n: int, warmup: int, quick: bool) -> dict:
    import torch

    from ..agent import RouteSettings
    from ..models.router_inputs import t2m_vectors
    from ..motion.features import features_to_joints

    prompts = _prompts(agent)
    enc = agent.encoder
    dev = agent.device

    def fresh(_i):  # every request embeds its prompt anew
        getattr(enc, "_cache", {}).clear()

    def prompt(i):
        return prompts[i % len(prompts)]

    res: dict = {}
    res["route_ms"] = _stats(_timed(lambda i: agent.route(prompt(i)), n, warmup, fresh))

    x = t2m_vectors(agent.model, [prompts[0]], agent.t2m_source, agent._sent_emb(prompts[0]), enc)
    by = {}
    for e in EXPERT_COUNTS:
        r = synthetic_router(agent.parts.router_t2m, e)
        by[str(e)] = _stats(_timed(lambda i: r.route(x, mode="hard"), max(n, 30), warmup))
    res["route_ms_by_experts"] = by

    def gen(seconds, settings=None):
        def run(i):
            agent.generate(prompt(i), seconds=seconds, settings=settings)
            _sync(dev)
        return run

    res["t2m_ms"] = {f"{s}s": _stats(_timed(gen(s), n, warmup, fresh)) for s in LENGTHS}

    motions = {s: agent.generate(prompts[0], seconds=s).motion for s in LENGTHS}

    def cap(seconds):
        def run(_i):
            agent.caption(motions[seconds])
            _sync(dev)
        return run

    res["m2t_ms"] = {f"{s}s": _stats(_timed(cap(s), n, warmup)) for s in LENGTHS}

    # The same 6 s requests, interleaved, through: the router's choice, the base model, one
    # fixed expert, soft top-2 (interleaving spreads background load evenly over the variants).
    expert = agent.parts.router_t2m.names[0] if agent.parts.router_t2m.names else None
    routed_prompt = prompts[0]
    for p in prompts:  # a prompt the router sends to an expert, so "hard" really runs one
        if agent.route(p).chosen:
            routed_prompt, expert = p, agent.route(p).chosen
            break
    variants = {"hard": RouteSettings(), "base": RouteSettings(force_expert="base"),
                "fixed": RouteSettings(force_expert=expert) if expert else RouteSettings(force_expert="base"),
                "soft2": RouteSettings(mode="soft", k=2)}
    times = {k: [] for k in variants}
    for i in range(warmup + n):
        for k, s in variants.items():
            t0 = time.perf_counter()
            agent.generate(routed_prompt, seconds=6, settings=s)
            _sync(dev)
            if i >= warmup:
                times[k].append((time.perf_counter() - t0) * 1000.0)
    p50 = {k: float(np.median(v)) for k, v in times.items()}
    res["ratios"] = {"router_overhead": round(p50["hard"] / p50["fixed"], 3),
                     "soft2_vs_hard": round(p50["soft2"] / p50["hard"], 3),
                     "routed_vs_base": round(p50["fixed"] / p50["base"], 3)}
    res["_variants_p50_ms"] = {k: round(v, 2) for k, v in p50.items()}
    res["_expert"] = expert

    thr = {}
    for b in BATCHES:
        batch = [prompt(i) for i in range(b)]
        sent = agent.encoder.embed(batch)

        def run(_i, batch=batch, sent=sent):
            with agent.parts.bank.run({}), torch.inference_mode():
                codes = agent.model.generate_motion(batch, sent, [30] * len(batch))
            for c in codes:
                features_to_joints(agent.vqvae.codes_to_features(c))
            _sync(dev)

        reps = 1 if quick else (3 if b == 64 else 5)
        ms = _timed(run, reps, 1)
        thr[str(b)] = round(b / (float(np.median(ms)) / 1000.0), 1)
    res["throughput"] = thr
    return res


_VIEWER_CHILD = r"""
import json, sys, threading
from motion_studio.app.launch import display_problem
problem = display_problem()
if problem:
    print(json.dumps({"error": problem})); sys.exit(0)
from motion_studio.app.fps_bench import measure_viewer_fps
seconds, checkpoint, device = float(sys.argv[1]), sys.argv[2] or None, sys.argv[3]
idle = measure_viewer_fps(1, seconds)
from motion_studio.agent import Agent
agent = Agent.load(checkpoint, device=device)
agent.generate("a person walks forward", seconds=6)
def busy():
    agent.generate("a person jumps forward", seconds=6)
during = measure_viewer_fps(1, seconds, busy=busy)
print(json.dumps({"idle": idle, "during": during}))
"""


def _measure_viewer(checkpoint, device: str, quick: bool) -> dict:
    """Viewer figures from a child process (Qt + GL stay out of this one)."""
    null = {"viewer_fps": None, "viewer_fps_during_inference": None, "ui_max_stall_ms": None}
    try:
        import importlib.util

        if importlib.util.find_spec("motion_studio.app.fps_bench") is None:
            return {**null, "_viewer_note": "motion_studio.app.fps_bench is not available"}
    except ImportError as exc:
        return {**null, "_viewer_note": f"viewer benchmark unavailable: {exc}"}
    seconds = "1.5" if quick else "5"
    try:
        proc = subprocess.run([sys.executable, "-c", _VIEWER_CHILD, seconds, str(checkpoint or ""), device],
                              capture_output=True, text=True, timeout=180)
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1:]
        data = json.loads(line[0]) if line else {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    except (subprocess.SubprocessError, OSError, ValueError) as exc:
        data = {"error": str(exc)}
    if "error" in data:
        return {**null, "_viewer_note": f"not measured: {data['error']}"}
    idle, during = data["idle"], data["during"]
    return {"viewer_fps": round(idle["fps"], 1), "viewer_fps_during_inference": round(during["fps"], 1),
            "ui_max_stall_ms": round(during["max_ms"], 1),
            "_viewer_note": f"1 body, {idle.get('size')}, renderer {idle.get('renderer')}; "
                            f"{during.get('busy_runs')} T2M requests ran during the second measurement"}


def _measure_cold_start(checkpoint, device: str) -> dict:
    """Seconds from launching `motion-studio app --startup-check` to its interactive window, as a
    user starts it: a fresh process (imports, model load, first frame). Needs a display."""
    import os
    import subprocess
    import sys

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return {"cold_start_s": None, "_cold_start_note": "not measured: no display (run under xvfb-run)"}
    cmd = [sys.executable, "-m", "motion_studio", "app", "--startup-check", "--device", device]
    if checkpoint:
        cmd += ["--checkpoint", str(checkpoint)]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        return {"cold_start_s": None, "_cold_start_note": f"not measured: {exc}"}
    seconds = time.perf_counter() - t0
    if done.returncode != 0 or "interactive" not in done.stdout:
        return {"cold_start_s": None, "_cold_start_note": f"not measured: {(done.stderr or done.stdout).strip()[-200:]}"}
    return {"cold_start_s": round(seconds, 2), "_cold_start_note": done.stdout.strip().splitlines()[-1]}


KEYS = ("device", "model", "t2m_ms", "m2t_ms", "route_ms", "route_ms_by_experts", "ratios", "throughput",
        "viewer_fps", "viewer_fps_during_inference", "ui_max_stall_ms", "cold_start_s")


def notes_path(out) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".notes.json")


def run_speed(out, checkpoint=None, device: str = "auto", quick: bool = False, viewer: bool = True) -> dict:
    """Measure everything; write `out` (exactly KEYS) and the notes beside it. Returns the figures."""
    import torch

    from ..agent import Agent

    agent = Agent.load(checkpoint, device=device)
    n, warmup = (3, 1) if quick else (30, 3)
    t0 = time.perf_counter()
    model = _measure_model(agent, n, warmup, quick)
    result = {
        "device": agent.device_name,
        "model": agent.description,
        "t2m_ms": model["t2m_ms"],
        "m2t_ms": model["m2t_ms"],
        "route_ms": model["route_ms"],
        "route_ms_by_experts": model["route_ms_by_experts"],
        "ratios": model["ratios"],
        "throughput": model["throughput"],
    }
    view = _measure_viewer(checkpoint, agent.device, quick) if viewer else \
        {"viewer_fps": None, "viewer_fps_during_inference": None, "ui_max_stall_ms": None,
         "_viewer_note": "skipped (viewer=False)"}
    cold = _measure_cold_start(checkpoint, agent.device) if viewer else \
        {"cold_start_s": None, "_cold_start_note": "skipped (viewer=False)"}
    result.update({k: view[k] for k in ("viewer_fps", "viewer_fps_during_inference", "ui_max_stall_ms")})
    result["cold_start_s"] = cold["cold_start_s"]
    notes = {
        "quick": quick, "requests": n, "warmup": warmup, "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__, "python": platform.python_version(), "machine": platform.machine(),
        "cpu_count": os.cpu_count(), "seconds": round(time.perf_counter() - t0, 1),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "variants_p50_ms": model["_variants_p50_ms"], "fixed_expert": model["_expert"],
        "viewer": view.get("_viewer_note"), "cold_start": cold.get("_cold_start_note"),
        "command": " ".join(["motion-studio", *sys.argv[1:]]) if sys.argv and "speed" in sys.argv else None,
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    notes_path(out).write_text(json.dumps(notes, indent=1))
    return result


def format_speed(r: dict) -> str:
    def pq(d):
        return f"p50 {d['p50']:.1f} / p95 {d['p95']:.1f} ms"

    lines = [f"{r['model']} on {r['device']}",
             f"route            {pq(r['route_ms'])}   router alone over 5/20/100 experts: "
             + ", ".join(f"{v['p50']:.2f}" for v in r["route_ms_by_experts"].values()) + " ms"]
    for key, label in (("t2m_ms", "T2M"), ("m2t_ms", "M2T")):
        lines.append(f"{label:<5} " + "   ".join(f"{k}: {pq(v)}" for k, v in r[key].items()))
    ra = r["ratios"]
    lines.append(f"routed/base {ra['routed_vs_base']:.3f}   soft top-2/hard {ra['soft2_vs_hard']:.3f}   "
                 f"router overhead {ra['router_overhead']:.3f}")
    lines.append("throughput (motions/s) " + ", ".join(f"batch {k}: {v}" for k, v in r["throughput"].items()))
    vf = r["viewer_fps"]
    lines.append(f"viewer {vf if vf is not None else 'n/a'} fps, during inference "
                 f"{r['viewer_fps_during_inference'] if r['viewer_fps_during_inference'] is not None else 'n/a'} fps, "
                 f"max UI stall {r['ui_max_stall_ms'] if r['ui_max_stall_ms'] is not None else 'n/a'} ms, "
                 f"cold start {r['cold_start_s'] if r['cold_start_s'] is not None else 'n/a'} s")
    return "\n".join(lines)
