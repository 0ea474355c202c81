"""File > Learn a new task: name the task, say which words its captions use, optionally a data folder."""
from __future__ import annotations

from PySide6 import QtWidgets


class LearnDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Learn a new task")
        self.name = QtWidgets.QLineEdit(placeholderText="e.g. kicking")
        self.words = QtWidgets.QLineEdit(placeholderText="e.g. kick kicks kicking")
        self.data = QtWidgets.QLineEdit(placeholderText="the checkpoint's own corpus")
        browse = QtWidgets.QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.data, 1)
        row.addWidget(browse)
        self.steps = QtWidgets.QSpinBox(minimum=10, maximum=5000, value=200, singleStep=50)
        form = QtWidgets.QFormLayout()
        form.addRow("Task name", self.name)
        form.addRow("Captions that say", self.words)
        form.addRow("Data folder", row)
        form.addRow("Training steps", self.steps)
        note = QtWidgets.QLabel("A new LoRA expert and its router autoencoders train on the train clips whose "
                                "captions use one of the words. Earlier experts do not change; the result is "
                                "saved as a new checkpoint under ~/.motion-studio/checkpoints and loaded.")
        note.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(520, 0)

    def _browse(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, "HumanML3D-layout data folder")
        if path:
            self.data.setText(path)

    def values(self) -> tuple[str, list[str], str | None, int]:
        return (self.name.text().strip(), self.words.text().replace(",", " ").split(),
                self.data.text().strip() or None, int(self.steps.value()))
