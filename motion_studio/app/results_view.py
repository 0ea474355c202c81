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


class ResultsView(QtWidgets.QTabWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_results_dir(None)

    def set_results_dir(self, results_dir: Path | None) -> None:
        self.clear()
        images = result_images(results_dir)
        for path in images:
            label = QtWidgets.QLabel()
            pix = QtGui.QPixmap(str(path))
            if pix.isNull():
                label.setText(f"Could not read {path.name}")
            else:
                label.setPixmap(pix)
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            scroll = QtWidgets.QScrollArea()
            scroll.setWidget(label)
            scroll.setWidgetResizable(True)
            self.addTab(scroll, path.stem.replace("_", " "))
        if not images:
            where = f" in {results_dir}" if results_dir else ""
            msg = QtWidgets.QLabel(f"No benchmark results{where}.\nRun `motion-studio bench` to make the "
                                   "router confusion and accuracy matrices.")
            msg.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            self.addTab(msg, "no results")
