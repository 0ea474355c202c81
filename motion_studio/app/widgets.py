"""Small widgets shared by the panels."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets


class ElidedLabel(QtWidgets.QLabel):
    """One line of plain text that never widens its window: too long a text ends in '...', the
    whole text is in the tooltip. Its size hint asks for little width whatever the text."""

    def __init__(self, text: str = "", parent: QtWidgets.QWidget | None = None,
                 mode: QtCore.Qt.TextElideMode = QtCore.Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name
        self._full = text or ""
        self._refresh()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def _refresh(self) -> None:
        width = max(self.contentsRect().width(), 10)
        shown = QtGui.QFontMetrics(self.font()).elidedText(self._full, self._mode, width)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._refresh()

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(40, super().minimumSizeHint().height())

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        fm = QtGui.QFontMetrics(self.font())
        return QtCore.QSize(min(fm.horizontalAdvance(self._full) + 8, 400), super().sizeHint().height())
