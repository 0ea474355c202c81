"""Start the desktop app: `run_app(argv) -> exit code`.

The window shows first; the model loads in the worker afterwards, so the first frame does not
wait for torch. `--screenshot out.png --prompt "..."` generates, lets the player run a moment,
saves a PNG of the whole window and exits.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
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


NO_DISPLAY = "no display: run under xvfb-run, or use --screenshot FILE for a picture"


def display_problem(env: dict | None = None, platform: str | None = None) -> str:
    """One line saying why Qt cannot open a window here, or "" when it can (or we cannot tell).

    On Linux, with neither DISPLAY nor WAYLAND_DISPLAY set and no QT_QPA_PLATFORM chosen, Qt's xcb
    plugin would abort with a misleading message about libxcb-cursor.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return ""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return NO_DISPLAY


def quiet_library_warnings() -> None:
    """Warnings from libraries (transformers, torch, peft, huggingface_hub...) that a user of the app
    cannot act on are not printed; warnings from Motion Studio's own code still are."""
    for module in ("transformers", "torch", "peft", "huggingface_hub", "sentence_transformers", "accelerate"):
        warnings.filterwarnings("ignore", category=FutureWarning, module=module)
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=module)
        warnings.filterwarnings("ignore", category=UserWarning, module=module)
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _screenshot_without_display(argv: list[str]) -> int | None:
    """--screenshot with no display: rerun this command under xvfb-run when it is installed."""
    import shutil
    import subprocess

    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        return None
    cmd = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "-m", "motion_studio.app.launch", *argv]
    return subprocess.call(cmd)


def prepare_qt() -> None:
    """Settings Qt needs before the QApplication exists: GL contexts shared between views, so
    several GL views (the player and the hidden export renderer) can use pyqtgraph's shaders."""
    from PySide6 import QtCore

    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def grab_window(window):
    """QPixmap of the whole window as the user sees it. QWidget.grab renders the GL views but drops
    what their items paint with QPainter (the labels above the bodies), so each visible GL view is
    grabbed from its own framebuffer and drawn over its place."""
    import pyqtgraph.opengl as gl
    from PySide6 import QtCore, QtGui

    pix = window.grab()
    painter = QtGui.QPainter(pix)
    for view in window.findChildren(gl.GLViewWidget):
        if view.isVisible() and view.window() is window:
            img = view.grabFramebuffer()
            top_left = view.mapTo(window, QtCore.QPoint(0, 0))
            painter.drawImage(QtCore.QRectF(top_left.x(), top_left.y(), view.width(), view.height()), img)
    painter.end()
    return pix


def _grab_window(window, path: Path) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    return grab_window(window).save(str(path))


def run_app(argv: list[str] | None = None, loader: Callable[[str | None, str], Any] | None = None,
            started_at: float | None = None) -> int:
    """Run the app until the window closes (or the screenshot is written); returns the exit code."""
    started_at = started_at if started_at is not None else time.perf_counter()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    problem = display_problem()
    if problem:
        if args.screenshot and loader is None:
            code = _screenshot_without_display(argv)
            if code is not None:
                return code
        print(problem, file=sys.stderr)
        return 1
    quiet_library_warnings()
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


if __name__ == "__main__":
    sys.exit(run_app(sys.argv[1:]))
