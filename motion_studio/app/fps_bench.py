"""Frame rate of the real 3D view: `measure_viewer_fps(n_bodies, seconds)` and
`python -m motion_studio.app.fps_bench` (one body and six bodies at 1280x720).

The player is shown at the given size, its bodies (mannequins by default) advance one motion frame
per drawn frame as fast as the view can draw, and the time between consecutive frames reaching the
window (QOpenGLWidget.frameSwapped) is recorded. `busy`, if given, runs on a worker thread
meanwhile (e.g. model inference) to measure the view while the CPU is shared.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import Callable

import numpy as np


def _demo_motion(seconds: float = 4.0, fps: float = 20.0, phase: float = 0.0):
    """A walking, arm-swinging body made from the rest pose (no data files needed)."""
    from ..motion import skeleton
    from ..motion.motion import Motion

    t = np.arange(int(seconds * fps)) / fps + phase
    pose = skeleton.rest_pose() + np.array([0.0, 0.95, 0.0])
    joints = np.repeat(pose[None], len(t), axis=0)
    swing = np.sin(2 * np.pi * 1.0 * t)
    joints[..., 2] += (0.8 * (t - phase))[:, None]
    for j, sign in ((4, 1), (7, 1), (10, 1), (5, -1), (8, -1), (11, -1)):  # legs
        joints[:, j, 2] += sign * 0.15 * swing * (1 + (j > 6))
    for j, sign in ((18, -1), (20, -1), (19, 1), (21, 1)):  # arms
        joints[:, j, 2] += sign * 0.12 * swing * (1 + (j > 19))
    return Motion(joints=joints, fps=fps, name="demo walk", source="generated")


def measure_viewer_fps(n_bodies: int, seconds: float, size: tuple[int, int] = (1280, 720),
                       busy: Callable[[], object] | None = None, style: str = "mannequin",
                       warmup_s: float = 0.5) -> dict:
    """Frames per second of the GL view drawing `n_bodies` moving bodies for `seconds`.

    Returns {"bodies", "style", "size", "frames", "seconds", "fps", "mean_ms", "p50_ms", "p95_ms",
    "max_ms", "busy_runs", "platform", "renderer"}. Needs a QApplication able to draw GL (a display
    or Xvfb with the xcb platform); creates one if none exists.
    """
    from PySide6 import QtCore, QtWidgets

    from .launch import prepare_qt

    app = QtWidgets.QApplication.instance()
    if app is None:
        prepare_qt()
        app = QtWidgets.QApplication(sys.argv[:1])
    from .player import PlayerWidget

    player = PlayerWidget()
    player.resize(*size)
    player.set_style(style)
    player.set_motions([(_demo_motion(phase=0.3 * i), f"body {i + 1}") for i in range(n_bodies)], play=False)
    player.show()
    app.processEvents()
    extra = player.height() - player.view.height()  # legend and transport bar: the VIEW gets `size`
    player.resize(size[0], size[1] + extra)
    app.processEvents()
    stamps: list[float] = []
    player.view.frameSwapped.connect(lambda: stamps.append(time.perf_counter()))
    state = {"frame": 0}

    def step() -> None:
        state["frame"] = (state["frame"] + 1) % player.n_frames
        player.set_frame(state["frame"])
        player.view.update()

    timer = QtCore.QTimer()
    timer.setInterval(0)
    timer.timeout.connect(step)

    stop = threading.Event()
    runs = {"n": 0}

    def work() -> None:
        while not stop.is_set():
            busy()
            runs["n"] += 1

    worker = threading.Thread(target=work, daemon=True) if busy is not None else None
    if worker is not None:
        worker.start()
    timer.start()
    end_warm = time.perf_counter() + warmup_s
    while time.perf_counter() < end_warm:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
    stamps.clear()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
    timer.stop()
    stop.set()
    if worker is not None:
        worker.join(timeout=30)
    renderer = _renderer(player)
    view_w, view_h = player.view.width(), player.view.height()
    player.close()
    player.deleteLater()
    app.processEvents()
    dt = np.diff(stamps) * 1000.0 if len(stamps) > 1 else np.array([float("nan")])
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else float("nan")
    return {
        "bodies": n_bodies, "style": style, "size": list(size), "frames": max(len(stamps) - 1, 0),
        "seconds": round(span, 3), "fps": round((len(stamps) - 1) / span, 1) if len(stamps) > 1 else 0.0,
        "mean_ms": round(float(np.mean(dt)), 2), "p50_ms": round(float(np.median(dt)), 2),
        "p95_ms": round(float(np.percentile(dt, 95)), 2), "max_ms": round(float(np.max(dt)), 2),
        "busy_runs": runs["n"], "platform": app.platformName(), "renderer": renderer,
        "view_size": [view_w, view_h],
    }


def _renderer(player) -> str:
    try:
        from OpenGL import GL

        player.view.makeCurrent()
        name = GL.glGetString(GL.GL_RENDERER)
        player.view.doneCurrent()
        return name.decode() if isinstance(name, bytes) else str(name)
    except Exception:  # informational only
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m motion_studio.app.fps_bench",
                                description="Frame rate of the 3D view (run under a display or xvfb-run)")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the view")
    p.add_argument("--bodies", type=int, nargs="*", default=[1, 6])
    p.add_argument("--style", default="mannequin", choices=("mannequin", "stick"))
    args = p.parse_args(argv)
    from .launch import display_problem

    problem = display_problem()
    if problem:
        print(problem)
        return 1
    w, h = (int(v) for v in args.size.lower().split("x"))
    for n in args.bodies:
        r = measure_viewer_fps(n, args.seconds, (w, h), style=args.style)
        print(f"{n} bod{'y' if n == 1 else 'ies'} ({r['style']}, {w}x{h}): {r['fps']:.1f} fps  "
              f"(frame time median {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms; {r['renderer']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
