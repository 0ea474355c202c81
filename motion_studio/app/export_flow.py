"""The main window's export: .npy/.bvh at once, .gif/.mp4 rendered in the background. A mixin of
MainWindow (it uses the window's player, banners and status bar)."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from ..errors import MotionStudioError
from .export import EXPORT_FILTER, VIDEO_SUFFIXES, VideoExport, export_motion


class ExportFlow:
    def export_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export motion", "motion.npy", EXPORT_FILTER)
        if path:
            self.export(path)

    def export(self, path: str | Path) -> bool:
        """Save what the player shows. .npy/.bvh are written at once; a .gif/.mp4 renders in the
        background (status bar shows progress) and replaces an export still running."""
        motions = [(layer.motion, layer.label) for layer in self.player.layers]
        try:
            if Path(path).suffix.lower() in VIDEO_SUFFIXES and motions:
                self._start_video_export(motions, path)
                return True
            out = export_motion(motions, path)
        except MotionStudioError as exc:
            self.show_error(str(exc))
            return False
        self._success()
        self.statusBar().showMessage(f"Saved {out}", 5000)
        return True

    def _start_video_export(self, motions, path) -> None:
        if self.video_export is not None and self.video_export.running:
            self.video_export.cancel()
        job = VideoExport(motions, path, parent=self)
        job.progress.connect(lambda done, total: self.statusBar().showMessage(
            f"Exporting {job.path.name}: frame {done} of {total}..."))
        job.finished.connect(lambda out: (self._success(), self.statusBar().showMessage(f"Saved {out}", 5000)))
        job.failed.connect(self.show_error)
        self.video_export = job
        job.start()
