"""Text -> motion input: prompt box, length, Generate, history, example prompts per task."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from ..agent import MAX_PROMPT_CHARS, MAX_SECONDS, MIN_SECONDS

HARD_MAX_CHARS = 2000  # the box stops here; anything over MAX_PROMPT_CHARS is already refused


class PromptPanel(QtWidgets.QWidget):
    generate_requested = QtCore.Signal(str, float)  # prompt, seconds
    compare_requested = QtCore.Signal(str, float)  # same prompt through every expert
    text_edited = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = QtWidgets.QLineEdit()
        self.prompt.setPlaceholderText("Describe a motion, e.g. 'a person waves with the right hand'")
        self.prompt.setMaxLength(HARD_MAX_CHARS)  # longer text is refused with the CLI's message, not cut
        self.prompt.setToolTip(f"Press Enter to generate (at most {MAX_PROMPT_CHARS} characters). "
                               "The router panel updates as you type.")
        self.prompt.textEdited.connect(self.text_edited)
        self.prompt.textChanged.connect(self._update_counter)
        self.counter = QtWidgets.QLabel()
        self.counter.setToolTip(f"Prompt length; the model takes at most {MAX_PROMPT_CHARS} characters")
        self.counter.setMinimumWidth(self.counter.fontMetrics().horizontalAdvance("2000 / 300") + 6)
        self.counter.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.prompt.returnPressed.connect(self._generate)
        self.seconds = QtWidgets.QDoubleSpinBox()
        self.seconds.setRange(MIN_SECONDS, MAX_SECONDS)
        self.seconds.setSingleStep(0.5)
        self.seconds.setValue(4.0)
        self.seconds.setSuffix(" s")
        self.seconds.setToolTip("Length of the generated motion")
        self.generate_button = QtWidgets.QPushButton("Generate")
        self.generate_button.setToolTip("Generate a motion from the prompt (Enter)")
        self.generate_button.clicked.connect(self._generate)
        self.compare_button = QtWidgets.QPushButton("Compare experts")
        self.compare_button.setToolTip("Generate the prompt once per expert and show them side by side")
        self.compare_button.clicked.connect(
            lambda: self.compare_requested.emit(self.text(), self.seconds.value()))

        self.examples = QtWidgets.QTreeWidget()
        self.examples.setHeaderLabel("Example prompts by task (double-click)")
        self.examples.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.examples.itemActivated.connect(self._use_item)
        self.examples.itemDoubleClicked.connect(self._use_item)
        self.history = QtWidgets.QListWidget()
        self.history.setToolTip("Prompts you generated (double-click to reuse)")
        self.history.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.history.itemDoubleClicked.connect(lambda it: self.use_prompt(it.text()))

        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.prompt, 1)
        row.addWidget(self.counter)
        row.addWidget(self.seconds)
        row.addWidget(self.generate_button)
        row.addWidget(self.compare_button)
        lists = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        lists.addWidget(self.examples)
        hist = QtWidgets.QWidget()
        hl = QtWidgets.QVBoxLayout(hist)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(QtWidgets.QLabel("History"))
        hl.addWidget(self.history)
        lists.addWidget(hist)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(lists, 1)
        self._update_counter(self.prompt.text())

    def text(self) -> str:
        return self.prompt.text().strip()

    def too_long(self) -> bool:
        return len(self.text()) > MAX_PROMPT_CHARS

    def _update_counter(self, text: str) -> None:
        n = len(text.strip())
        self.counter.setText(f"{n} / {MAX_PROMPT_CHARS}")
        self.counter.setStyleSheet("color: #c0392b; font-weight: bold;" if n > MAX_PROMPT_CHARS else "color: gray;")

    def set_examples(self, examples: dict[str, list[str]]) -> None:
        self.examples.clear()
        for task, prompts in examples.items():
            top = QtWidgets.QTreeWidgetItem([task])
            for p in prompts:
                top.addChild(QtWidgets.QTreeWidgetItem([p]))
            self.examples.addTopLevelItem(top)
        self.examples.expandAll()

    def use_prompt(self, text: str) -> None:
        self.prompt.setText(text)
        self.text_edited.emit(text)

    def remember(self, prompt: str) -> None:
        """Put a prompt that ran at the top of the history, once (the window calls this on success)."""
        for it in self.history.findItems(prompt, QtCore.Qt.MatchFlag.MatchExactly):
            self.history.takeItem(self.history.row(it))
        self.history.insertItem(0, prompt)

    def _use_item(self, item: QtWidgets.QTreeWidgetItem, _col: int = 0) -> None:
        if item.parent() is not None:
            self.use_prompt(item.text(0))

    def _generate(self) -> None:
        self.generate_requested.emit(self.text(), self.seconds.value())
