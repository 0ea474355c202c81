"""Export the current motion: .npy / .bvh through the motion formats, .gif / .mp4 as rendered video.

Video frames come from a hidden GL player (renderToArray works on a never-shown widget), so an
export does not disturb what the user is looking at. GL rendering must stay on the UI thread, so
`VideoExport` renders a few frames per event-loop turn (the window keeps repainting and answering)
and hands the finished frames to a plain thread for encoding.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PySide6 import QtCore

from ..errors import MotionFileError
from ..motion.motion import Motion
from .motion_io import give_normal_mode, save_motion_file

EXPORT_FILTER = "Joints (*.npy);;BVH (*.bvh);;Animated GIF (*.gif);;MP4 video (*.mp4)"
VIDEO_SUFFIXES = (".gif", ".mp4")


def render_frames(motions: list[tuple[Motion, str]], size: tuple[int, int] = (480, 360)) -> list[np.ndarray]:
    """RGB frames (h, w, 3) uint8 of these motions played side by side, one per motion frame."""
    from .player import PlayerWidget

    player = PlayerWidget()
    player.follow_box.setChecked(True)
    player.set_motions(motions, play=False)
    frames = []
    for f in range(player.n_frames):
        player.set_frame(f)
        frames.append(player.render_frame(*size))
    player.deleteLater()
    return frames


def export_motion(motions: list[tuple[Motion, str]], path: str | Path) -> Path:
    """Write the first motion as .npy/.bvh, or all shown motions as a .gif/.mp4 video (blocking;
    the app uses `VideoExport` for videos)."""
    path = check_export(motions, path)
    if path.suffix.lower() in (".npy", ".bvh"):
        save_motion_file(motions[0][0], path)
        return path
    return write_video(render_frames(motions), path, float(motions[0][0].fps))


def check_export(motions: list[tuple[Motion, str]], path: str | Path) -> Path:
    """The path, or MotionFileError when there is nothing to export or the type is unknown."""
    path = Path(path)
    if not motions:
        raise MotionFileError("Nothing to export: load or generate a motion first")
    if path.suffix.lower() not in (".npy", ".bvh") + VIDEO_SUFFIXES:
        raise MotionFileError(f"Unknown export type {path.suffix!r}: use .npy, .bvh, .gif or .mp4")
    return path


def write_video(frames: list[np.ndarray], path: Path, fps: float) -> Path:
    import imageio.v2 as imageio

    try:
        if path.suffix.lower() == ".gif":
            imageio.mimsave(path, frames, duration=1000.0 / fps, loop=0)
        else:
            imageio.mimsave(path, frames, fps=fps, codec="libx264", macro_block_size=8)
    except (OSError, RuntimeError, ValueError) as exc:
        raise MotionFileError(f"Could not write {path}: {exc}") from exc
    give_normal_mode(path)
    return path


class VideoExport(QtCore.QObject):
    """One .gif/.mp4 export that never blocks the UI thread for more than a few frames.

    progress(done, total) while rendering; finished(path) or failed(message) at the end, on the
    UI thread. `cancel()` stops it; a cancelled export reports nothing.
    """

    progress = QtCore.Signal(int, int)
    finished = QtCore.Signal(str)
    failed = QtCore.Signal(str)
    _encoded = QtCore.Signal(str, str)  # encoder thread -> UI thread: path, error message

    FRAMES_PER_TURN = 2

    def __init__(self, motions: list[tuple[Motion, str]], path: str | Path, size: tuple[int, int] = (480, 360),
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        from .player import PlayerWidget

        self.path = check_export(motions, path)
        self.fps = float(motions[0][0].fps)
        self.size = size
        self.frames: list[np.ndarray] = []
        self.cancelled = False
        self.running = False
        self._player = PlayerWidget()
        self._player.follow_box.setChecked(True)
        self._player.set_motions(motions, play=False)
        self.total = self._player.n_frames
        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._render_some)
        self._encoded.connect(self._on_encoded, QtCore.Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self.running = True
        self._timer.start()

    def cancel(self) -> None:
        self.cancelled = True
        self._stop_rendering()
        self.running = False

    def _stop_rendering(self) -> None:
        self._timer.stop()
        if self._player is not None:
            self._player.deleteLater()
            self._player = None

    def _render_some(self) -> None:
        try:
            for _ in range(self.FRAMES_PER_TURN):
                if len(self.frames) == self.total:
                    break
                self._player.set_frame(len(self.frames))
                self.frames.append(self._player.render_frame(*self.size))
        except Exception as exc:  # a GL failure must end the export, not the app
            self._stop_rendering()
            self.running = False
            self.failed.emit(f"Could not render the video: {exc}".splitlines()[0])
            return
        self.progress.emit(len(self.frames), self.total)
        if len(self.frames) == self.total:
            self._stop_rendering()
            threading.Thread(target=self._encode, daemon=True).start()

    def _encode(self) -> None:
        try:
            write_video(self.frames, self.path, self.fps)
            self._encoded.emit(str(self.path), "")
        except Exception as exc:  # reported in the window, never raised in a bare thread
            self._encoded.emit(str(self.path), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _on_encoded(self, path: str, message: str) -> None:
        self.running = False
        self.frames = []
        if self.cancelled:
            return
        if message:
            self.failed.emit(message)
        else:
            self.finished.emit(path)
