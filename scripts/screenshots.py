"""Write docs/screenshots/*.png: every main state of the app, on the shipped model (the real agent),
at 1280x720 and 1920x1080.

Run: xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py [--learn] [--sizes 1280x720,1920x1080]

States: generate, compare (every expert and the base), clip caption, unseen with the nearest
expert, a real clip the router calls unseen (when ../shared/humanml3d_sample is there), soft blend, learn dialog, benchmark tab, error banner -> <state>_<W>x<H>.png. The
1280x720 set is also written under the names the README links (main_generate.png ...).
--learn also teaches the agent a new task (kicks, minutes on a CPU) and shows it routed
(learn_new_task.png); the extended checkpoint goes to a temporary MOTION_STUDIO_HOME.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
README_NAMES = {"generate": "main_generate.png", "compare": "compare_experts.png", "clip_caption": "clip_caption.png",
                "router_unseen": "router_unseen.png", "results": "results_view.png"}

from motion_studio.app.launch import display_problem, grab_window, prepare_qt, quiet_library_warnings  # noqa: E402

prepare_qt()
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402

from motion_studio.app.main_window import MainWindow, default_loader  # noqa: E402


def wait(app, cond=lambda: False, seconds: float = 1.0) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return bool(cond())


class Tour:
    def __init__(self, app, win: MainWindow, size: tuple[int, int]) -> None:
        self.app, self.win, self.size = app, win, size
        self.written: list[Path] = []

    def shot(self, state: str, dialog: QtWidgets.QWidget | None = None) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        wait(self.app, seconds=0.3)
        pix = grab_window(self.win)
        if dialog is not None:  # a separate window: drawn where it sits over the main window
            painter = QtGui.QPainter(pix)
            d = dialog.grab()
            x = max(0, (pix.width() - d.width()) // 2)
            y = max(0, (pix.height() - d.height()) // 3)
            painter.fillRect(x - 1, y - 1, d.width() + 2, d.height() + 2, QtGui.QColor(60, 60, 60))
            painter.drawPixmap(x, y, d)
            painter.end()
        w, h = self.size
        path = OUT / f"{state}_{w}x{h}.png"
        pix.save(str(path))
        self.written.append(path)
        print("wrote", path.relative_to(REPO), f"({pix.width()}x{pix.height()})", flush=True)
        if (w, h) == (1280, 720) and state in README_NAMES:
            shutil.copyfile(path, OUT / README_NAMES[state])

    def generated(self, n: int = 1, timeout: float = 120) -> bool:
        win = self.win
        return wait(self.app, lambda: len(win.player.layers) == n and not win.worker._pending
                    and win.busy_label.text() == "", timeout)

    def run(self, learn: bool) -> None:
        app, win = self.app, self.win
        agent = win.agent
        panel = win.router_panel
        win.router_dock.raise_()
        panel.mode_box.setCurrentIndex(0)
        panel.force_expert(None)
        panel.set_threshold_scale(1.0)

        # generate
        win.prompt_panel.use_prompt("a person jumps forward three times")
        win.generate(win.prompt_panel.text(), 4.0)
        self.generated(1)
        wait(app, seconds=1.2)
        self.shot("generate")

        # compare: every expert and the base model, the router's choice marked
        n = len(agent.experts) + 1
        win.prompt_panel.use_prompt("a person raises both arms")
        win.compare_experts("a person raises both arms", 3.0)
        self.generated(n, 240)
        wait(app, seconds=1.0)
        win.player.pause()
        win.player.set_frame(24)
        self.shot("compare")

        # clip caption
        clips = agent.sample_clips()
        clip = next((c for c in clips if c.theme == "sitstand"), clips[0] if clips else None)
        if clip is not None:
            win.open_clip(clip.path, clip.captions)
            wait(app, lambda: "Model:" in win.clip_browser.caption_text(), 120)
            wait(app, seconds=1.2)
            self.shot("clip_caption")
        win.router_dock.raise_()

        # unseen, with the nearest expert and "use it anyway"
        for prompt in ("someone leaps into the air", "a person juggles three balls", "the cat sleeps on the sofa"):
            win.prompt_panel.use_prompt(prompt)
            if wait(app, lambda: getattr(panel.bars.result, "unseen", False) and panel.query_label.text().endswith(prompt), 30):
                break
        wait(app, seconds=0.5)
        self.shot("router_unseen")

        # a real motion-capture clip the router calls unseen, with what the nearest experts missed
        real = sorted((REPO.parent / "shared" / "humanml3d_sample" / "new_joints").glob("*.npy"))
        if real:
            win.open_clip(real[0])
            wait(app, lambda: "Model:" in win.clip_browser.caption_text() and panel.result is not None
                 and panel.result.direction == "m2t", 120)
            wait(app, seconds=1.2)
            self.shot("router_unseen_motion")

        # soft blend of the top-2 experts
        panel.mode_box.setCurrentIndex(1)
        panel.k_box.setValue(2)
        panel.set_threshold_scale(2.5)  # looser thresholds: more than one expert takes the input
        candidates = [p for prompts in agent.example_prompts().values() for p in prompts]
        candidates += ["a person walks forward and waves", "a person jogs and claps"]
        first_seen = None
        for prompt in candidates:  # the first prompt the router blends
            win.prompt_panel.use_prompt(prompt)
            wait(app, lambda: panel.query_label.text() == f"for: {prompt}" and not win.worker._pending, 30)
            if "blend" in panel.decision.text():
                break
            if first_seen is None and panel.result is not None and panel.result.chosen is not None:
                first_seen = prompt
        else:
            win.prompt_panel.use_prompt(first_seen or candidates[0])
        win.generate(win.prompt_panel.text(), 3.0)
        wait(app, lambda: win.player.legend.text().startswith(f"'{win.prompt_panel.text()}'"), 120)
        self.generated(1)
        wait(app, seconds=1.2)
        self.shot("soft_blend")
        panel.mode_box.setCurrentIndex(0)
        panel.set_threshold_scale(1.0)

        # benchmark results tab
        win.results_dock.raise_()
        wait(app, seconds=0.8)
        self.shot("results")
        win.router_dock.raise_()

        # error banner: a broken BVH file
        broken = Path(tempfile.mkdtemp(prefix="motion-studio-shots-")) / "broken.bvh"
        broken.write_text("HIERARCHY\nROOT Hips\n{\n  OFFSET 0 0\n")
        win.open_clip(broken)
        wait(app, seconds=0.5)
        self.shot("error_banner")

        # learn dialog: what it will take, then (with --learn) progress and the result
        dialog = win.learn_dialog()
        dialog.name.setText("kicking")
        dialog.words.setText("kick kicks kicking")
        wait(app, lambda: not dialog.estimate_label.text().startswith(("Counting", "Type")), 120)
        wait(app, seconds=0.3)
        self.shot("learn_dialog", dialog)
        if learn:
            dialog.learn_button.click()
            wait(app, lambda: dialog.progress.maximum() > 1 and dialog.progress.value() > 2, 600)
            self.shot("learn_progress", dialog)
            wait(app, lambda: win.learning is None, 1800)
            wait(app, lambda: win.agent is not None and win.learned
                 and str(win.agent.checkpoint) == win.learned["out"], 300)
            self.shot("learn_done", dialog)
            dialog.hide()
            arrived = []  # wait for this prompt's own route and motion, not the previous state's
            win.worker.result.connect(lambda kind, payload, seconds: arrived.append(kind))
            win.prompt_panel.use_prompt("a person kicks with the right leg")
            win.generate(win.prompt_panel.text(), 3.0)
            wait(app, lambda: {"route", "generate"} <= set(arrived) and not win.worker._pending
                 and win.busy_label.text() == "", 300)
            wait(app, seconds=1.5)
            self.shot("learn_new_task")
            if self.size == (1280, 720):
                shutil.copyfile(OUT / "learn_new_task_1280x720.png", OUT / "learn_new_task.png")
        dialog.hide()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--learn", action="store_true", help="also learn a new task (minutes on a CPU)")
    p.add_argument("--sizes", default="1280x720,1920x1080")
    p.add_argument("--checkpoint", default=None, help="default: checkpoints/default")
    args = p.parse_args()
    problem = display_problem()
    if problem:
        print(problem)
        return 1
    quiet_library_warnings()
    os.environ.setdefault("MOTION_STUDIO_HOME", tempfile.mkdtemp(prefix="motion-studio-shots-"))
    app = QtWidgets.QApplication(sys.argv[:1])
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    written = []
    win = None
    for size in sizes:
        win = MainWindow(loader=default_loader, checkpoint=args.checkpoint, device="cpu")
        win.resize(*size)
        win.show()
        win.start_loading()
        if not wait(app, lambda: win.agent is not None, 300):
            print("the model did not load:", win.last_error)
            return 1
        wait(app, seconds=0.5)
        if (win.width(), win.height()) != size:
            print(f"warning: window is {win.width()}x{win.height()}, asked for {size[0]}x{size[1]}")
        tour = Tour(app, win, size)
        tour.run(args.learn)
        written += tour.written
        win.close()
        win.worker.stop()
        win.deleteLater()
        wait(app, seconds=0.3)
    print(f"{len(written)} screenshots in {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
