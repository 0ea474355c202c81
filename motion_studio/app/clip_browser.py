"""Clip -> caption input: the checkpoint's test clips grouped by task, Open file, and the caption
shown beside the clip's ground-truth captions."""
from __future__ import annotations

import html

from PySide6 import QtCore, QtWidgets

from ..agent import SampleClip


class ClipBrowser(QtWidgets.QWidget):
    clip_chosen = QtCore.Signal(object)  # SampleClip
    open_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setHeaderLabels(["Test clips by task", "caption"])
        self.tree.setColumnWidth(0, 150)
        self.tree.setToolTip("Double-click a clip to play and caption it")
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemDoubleClicked.connect(self._activated)
        open_button = QtWidgets.QPushButton("Open motion file...")
        open_button.setToolTip("Open a .npy (joints or 263-dim features) or .bvh file (Ctrl+O); "
                               "you can also drop a file on the window")
        open_button.clicked.connect(self.open_requested)
        self.caption_view = QtWidgets.QTextBrowser()
        self.caption_view.setPlaceholderText("Load a clip to see the model's caption here.")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(open_button)
        layout.addWidget(self.tree, 2)
        layout.addWidget(QtWidgets.QLabel("Caption"))
        layout.addWidget(self.caption_view, 1)

    def set_clips(self, clips: list[SampleClip]) -> None:
        self.tree.clear()
        groups: dict[str, QtWidgets.QTreeWidgetItem] = {}
        for clip in clips:
            title = clip.task if not clip.theme or clip.theme == clip.task else f"{clip.task} ({clip.theme})"
            if title not in groups:
                groups[title] = QtWidgets.QTreeWidgetItem([title])
                self.tree.addTopLevelItem(groups[title])
            item = QtWidgets.QTreeWidgetItem([clip.clip_id, clip.captions[0] if clip.captions else ""])
            item.setData(0, QtCore.Qt.ItemDataRole.UserRole, clip)
            groups[title].addChild(item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, max(150, self.tree.columnWidth(0)))

    def _activated(self, item: QtWidgets.QTreeWidgetItem, _col: int = 0) -> None:
        clip = item.data(0, QtCore.Qt.ItemDataRole.UserRole)
        if clip is not None:
            self.clip_chosen.emit(clip)

    def show_caption(self, name: str, caption: str | None, truths: list[str], note: str = "") -> None:
        """caption None means 'still working'."""
        parts = [f"<b>{html.escape(name)}</b>"]
        if caption is None:
            parts.append(f"<p><i>{html.escape(note or 'captioning...')}</i></p>")
        else:
            parts.append(f"<p>Model: <span style='font-size:14pt'>{html.escape(caption)}</span></p>")
            if note:
                parts.append(f"<p><i>{html.escape(note)}</i></p>")
        if truths:
            parts.append("<p>Ground truth:</p><ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in truths) + "</ul>")
        self.caption_view.setHtml("".join(parts))

    def caption_text(self) -> str:
        return self.caption_view.toPlainText()
