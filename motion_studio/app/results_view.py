"""Benchmark results, when the checkpoint has them: the PNG figures (router confusion, accuracy
matrices) found in agent.results_dir, one tab each."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets


def result_images(results_dir: Path | None) -> list[Path]:
    """PNG figures in the results folder, router figures first, then by name."""
    if results_dir is None or not Path(results_dir).is_dir():
        return []
    pngs = sorted(Path(results_dir).glob("*.png"))
    return sorted(pngs, key=lambda p: (0 if "router" in p.stem or "confusion" in p.stem else 1, p.name))


class ScaledImage(QtWidgets.QLabel):
    """A figure that scales down (never up past 1.5x) to the space it has, keeping its aspect."""

    def __init__(self, pixmap: QtGui.QPixmap, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = pixmap
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        self.setMinimumSize(80, 60)
        self._rescale()

    def _rescale(self) -> None:
        w, h = max(self.width(), 1), max(self.height(), 1)
        w = min(w, int(self.source.width() * 1.5))
        h = min(h, int(self.source.height() * 1.5))
        self.setPixmap(self.source.scaled(w, h, QtCore.Qt.AspectRatioMode.KeepAspectRatio,
                                          QtCore.Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(300, 240)


class ResultsView(QtWidgets.QTabWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_results_dir(None)

    def set_results_dir(self, results_dir: Path | None) -> None:
        self.clear()
        images = result_images(results_dir)
        self.setUsesScrollButtons(True)
        self.setElideMode(QtCore.Qt.TextElideMode.ElideRight)
        for path in images:
            pix = QtGui.QPixmap(str(path))
            if pix.isNull():
                widget = QtWidgets.QLabel(f"Could not read {path.name}")
                widget.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            else:
                widget = ScaledImage(pix)
                widget.setToolTip(str(path))
            self.addTab(widget, path.stem.replace("_", " "))
        if not images:
            where = f" in {results_dir}" if results_dir else ""
            msg = QtWidgets.QLabel(f"No benchmark results{where}.\nRun `motion-studio bench` to make the "
                                   "router confusion and accuracy matrices.")
            msg.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            msg.setWordWrap(True)
            msg.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
            self.addTab(msg, "no results")
