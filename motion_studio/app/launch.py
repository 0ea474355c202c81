"""Start the desktop app: `run_app(argv) -> exit code`.

The window shows first; the model loads in the worker afterwards, so the first frame does not
wait for torch. `--screenshot out.png --prompt "..."` generates, lets the player run a moment,
saves a PNG of the whole window and exits.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

SCREENSHOT_SETTLE_MS = 1500  # let the player run this long before the shot
SCREENSHOT_TIMEOUT_MS = 180_000


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="motion-studio app", description="Motion Studio desktop app")
    p.add_argument("--checkpoint", default=None, help="checkpoint folder (default: checkpoints/default)")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda[:N]")
    p.add_argument("--prompt", default=None, help="generate this prompt once the model is loaded")
    p.add_argument("--clip", default=None, help="open and caption this motion file at start")
    p.add_argument("--seconds", type=float, default=4.0, help="length of the generated motion")
    p.add_argument("--screenshot", default=None, metavar="PNG", help="save a PNG of the window and exit")
    p.add_argument("--startup-check", action="store_true",
                   help="print the seconds until the window is interactive, then exit")
    return p


def prepare_qt() -> None:
    """Settings Qt needs before the QApplication exists: GL contexts shared between views, so
    several GL views (the player and the hidden export renderer) can use pyqtgraph's shaders."""
    from PySide6 import QtCore

    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def _grab_window(window, path: Path) -> bool:
    """Whole window, GL view included (QWidget.grab renders QOpenGLWidget children)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return window.grab().save(str(path))


def run_app(argv: list[str] | None = None, loader: Callable[[str | None, str], Any] | None = None,
            started_at: float | None = None) -> int:
    """Run the app until the window closes (or the screenshot is written); returns the exit code."""
    started_at = started_at if started_at is not None else time.perf_counter()
    args = build_parser().parse_args(argv)
    from PySide6 import QtCore, QtWidgets

    from .main_window import MainWindow, default_loader

    if QtWidgets.QApplication.instance() is None:
        prepare_qt()
    existing = QtWidgets.QApplication.instance()
    app = existing or QtWidgets.QApplication(sys.argv[:1])
    # Inside a host that already runs Qt (tests), run a local loop: app.quit() would make every
    # later nested event loop of the host return at once.
    loop = QtCore.QEventLoop() if existing else app
    app.setApplicationName("Motion Studio")
    window = MainWindow(loader or default_loader, args.checkpoint, args.device)
    window.show()
    state = {"code": 0}

    if args.startup_check:
        def report() -> None:
            print(f"window interactive after {time.perf_counter() - started_at:.2f} s")
            loop.quit()
        QtCore.QTimer.singleShot(0, report)
        loop.exec()
        window.close()
        return 0

    def finish(code: int) -> None:
        if state.get("finished"):
            return
        state["finished"] = True
        guard.stop()
        if args.screenshot:
            ok = _grab_window(window, Path(args.screenshot))
            print(f"screenshot {'written to' if ok else 'FAILED:'} {args.screenshot}")
            code = code if ok else 1
        state["code"] = code
        window.close()
        loop.quit()

    def on_result(kind: str, _payload: Any, _s: float) -> None:
        if kind == "load":
            if args.clip:
                window.open_clip(args.clip)
            if args.prompt:
                window.prompt_panel.prompt.setText(args.prompt)
                window.generate(args.prompt, args.seconds)
            elif args.screenshot and not args.clip:
                QtCore.QTimer.singleShot(SCREENSHOT_SETTLE_MS, lambda: finish(0))
        elif kind in ("generate", "caption") and args.screenshot:
            QtCore.QTimer.singleShot(SCREENSHOT_SETTLE_MS, lambda: finish(0))

    def on_error(kind: str, message: str) -> None:
        print(f"error ({kind}): {message}", file=sys.stderr)
        if args.screenshot:
            QtCore.QTimer.singleShot(300, lambda: finish(1))

    window.worker.result.connect(on_result)
    window.worker.error.connect(on_error)
    guard = QtCore.QTimer(window, singleShot=True, interval=SCREENSHOT_TIMEOUT_MS)
    guard.timeout.connect(lambda: finish(1))
    if args.screenshot:
        guard.start()
    QtCore.QTimer.singleShot(0, window.start_loading)
    loop.exec()
    window.deleteLater()
    return state["code"]
