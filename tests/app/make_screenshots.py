"""Write docs/screenshots/*.png of the app's main states, driven against the fake agent.

Run: xvfb-run -a -s "-screen 0 1600x1000x24" /work/venv/bin/python tests/app/make_screenshots.py
(The fake agent stands in until a trained checkpoint exists; the clip shot uses the real
HumanML3D sample clip when ../shared/humanml3d_sample is present.)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from motion_studio.app.launch import prepare_qt  # noqa: E402

prepare_qt()
from PySide6 import QtWidgets  # noqa: E402

from fake_agent import FakeAgent, write_fake_results  # noqa: E402
from motion_studio.app.main_window import MainWindow  # noqa: E402

OUT = REPO / "docs" / "screenshots"
SAMPLE = REPO.parent / "shared" / "humanml3d_sample" / "new_joints" / "012314.npy"


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
    app = QtWidgets.QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    agent = FakeAgent(clip_dir=tmp, results_dir=write_fake_results(tmp / "results"))
    win = MainWindow(loader=lambda c, d: agent)
    win.show()
    win.start_loading()
    wait(app, lambda: win.agent is not None, 10)

    win.prompt_panel.use_prompt("a person walks forward and waves")
    win.generate(win.prompt_panel.text(), 4.0)
    wait(app, lambda: bool(win.player.layers), 10)
    wait(app, seconds=1.2)
    shot(win, "main_generate.png")

    win.compare_experts("a person walks forward and waves", 3.0)
    wait(app, lambda: len(win.player.layers) == 3, 10)
    wait(app, seconds=1.0)
    shot(win, "compare_experts.png")

    if SAMPLE.exists():
        win.open_clip(SAMPLE)
    else:
        clip = agent.sample_clips()[0]
        win.open_clip(clip.path, clip.captions)
    wait(app, lambda: "Model:" in win.clip_browser.caption_text(), 10)
    wait(app, seconds=1.5)
    shot(win, "clip_caption.png")

    win.prompt_panel.use_prompt("a person juggles three flaming torches")
    wait(app, lambda: getattr(win.router_panel.bars.result, "unseen", False), 10)
    wait(app, seconds=0.5)
    shot(win, "router_unseen.png")

    win.results_dock.raise_()
    wait(app, seconds=0.5)
    shot(win, "results_view.png")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
