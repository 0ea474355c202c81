"""Write docs/screenshots/*.png: the app's main states on the shipped checkpoint (the real agent).

Run: xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py [--learn]
--learn also teaches the agent a sixth task (kicks, about 2 minutes) and shows it routed; the
extended checkpoint goes to a temporary MOTION_STUDIO_HOME, so nothing is left behind.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"

from motion_studio.app.launch import prepare_qt  # noqa: E402

prepare_qt()
from PySide6 import QtWidgets  # noqa: E402

from motion_studio.app.main_window import MainWindow, default_loader  # noqa: E402


def wait(app, cond=lambda: False, seconds: float = 1.0) -> None:
    end = time.time() + seconds
    while time.time() < end and not cond():
        app.processEvents()
        time.sleep(0.01)


def shot(window, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    import os
    import tempfile

    os.environ.setdefault("MOTION_STUDIO_HOME", tempfile.mkdtemp(prefix="motion-studio-shots-"))
    app = QtWidgets.QApplication(sys.argv[:1])
    win = MainWindow(loader=default_loader)
    win.resize(1500, 920)
    win.show()
    win.start_loading()
    wait(app, lambda: win.agent is not None, 120)
    agent = win.agent

    win.prompt_panel.use_prompt("a person jumps forward three times")
    win.generate(win.prompt_panel.text(), 4.0)
    wait(app, lambda: bool(win.player.layers), 60)
    wait(app, seconds=1.5)
    shot(win, "main_generate.png")

    win.compare_experts("a person raises both arms", 3.0)
    wait(app, lambda: len(win.player.layers) >= 3, 90)
    wait(app, seconds=1.0)
    shot(win, "compare_experts.png")

    clip = next(c for c in agent.sample_clips() if c.theme == "sitstand")
    win.open_clip(clip.path, clip.captions)
    wait(app, lambda: "Model:" in win.clip_browser.caption_text(), 60)
    wait(app, seconds=1.5)
    shot(win, "clip_caption.png")

    win.prompt_panel.use_prompt("someone leaps into the air")
    wait(app, lambda: getattr(win.router_panel.bars.result, "unseen", False), 30)
    wait(app, seconds=0.5)
    shot(win, "router_unseen.png")

    win.results_dock.raise_()
    wait(app, seconds=1.0)
    shot(win, "results_view.png")

    if "--learn" in sys.argv:
        win.router_dock.raise_()
        win.learn("kicking", ["kick", "kicks", "kicking"])
        wait(app, lambda: win.learned is not None or not win.learning, 900)
        wait(app, lambda: win.agent is not None and win.learned and str(win.agent.checkpoint) == win.learned["out"], 120)
        win.prompt_panel.use_prompt("a person kicks with the right leg")
        win.generate(win.prompt_panel.text(), 3.0)
        wait(app, lambda: "kicks" in win.player.legend.text() or bool(win.player.layers), 60)
        wait(app, seconds=1.5)
        shot(win, "learn_new_task.png")
    win.close()
    win.worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
