"""File > Learn a new task: name the task, say which words its captions use, optionally a data folder;
then watch it learn (step progress with the loss, Cancel) and read the result, all in this dialog.

The dialog holds no training logic: it asks the window (signals) to estimate, start and cancel,
and the window feeds back estimate, progress, errors and the summary.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

ESTIMATE_DEBOUNCE_MS = 400


def estimate_text(estimate: dict | None, error: str = "") -> str:
    """'14 clips match; about 2 min on this machine' (+ a note when the corpus is built first)."""
    if error:
        return f"Cannot estimate: {error}"
    if not estimate:
        return "Type the words its captions use to see how many clips match and how long it takes."
    clips, secs = int(estimate.get("clips", 0)), float(estimate.get("seconds", 0.0))
    if clips == 0:
        return "No training clip's caption uses these words: try other words."
    took = f"about {secs:.0f} s" if secs < 90 else f"about {secs / 60:.0f} min"
    text = f"{clips} clips match; learning takes {took} here."
    if not estimate.get("corpus_ready", True):
        text += " The training corpus is prepared first (once, in your Motion Studio folder; progress shown)."
    return text


class LearnDialog(QtWidgets.QDialog):
    start_requested = QtCore.Signal(str, list, object, int)  # name, words, data folder or None, steps
    cancel_requested = QtCore.Signal()
    estimate_requested = QtCore.Signal(list, object)  # words, data folder or None

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Learn a new task")
        self.setModal(False)
        self.running = False
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
                                "saved as a new checkpoint in your Motion Studio folder and loaded.")
        note.setWordWrap(True)
        self.estimate_label = QtWidgets.QLabel(estimate_text(None))
        self.estimate_label.setWordWrap(True)
        self.error_label = QtWidgets.QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: white; background: #922b21; padding: 4px;")
        self.error_label.hide()
        self.stage_label = QtWidgets.QLabel("")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m steps")
        self.loss_label = QtWidgets.QLabel("")
        self.progress_box = QtWidgets.QWidget()
        pl = QtWidgets.QVBoxLayout(self.progress_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.stage_label)
        pl.addWidget(self.progress)
        pl.addWidget(self.loss_label)
        self.progress_box.hide()
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.hide()

        self.learn_button = QtWidgets.QPushButton("Learn")
        self.learn_button.setDefault(True)
        self.learn_button.clicked.connect(self.request_start)
        self.cancel_button = QtWidgets.QPushButton("Cancel learning")
        self.cancel_button.setToolTip("Stop after the current step; nothing is written")
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_button.hide()
        self.close_button = QtWidgets.QPushButton("Close")
        self.close_button.setToolTip("Close this dialog; learning goes on in the background")
        self.close_button.clicked.connect(self.hide)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.learn_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.estimate_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(560, 0)

        self._estimate_timer = QtCore.QTimer(self, singleShot=True, interval=ESTIMATE_DEBOUNCE_MS)
        self._estimate_timer.timeout.connect(self._ask_estimate)
        self.words.textChanged.connect(lambda _t: self._estimate_timer.start())
        self.data.textChanged.connect(lambda _t: self._estimate_timer.start())
        for w in (self.name, self.words):
            w.textEdited.connect(lambda _t: self.error_label.hide())

    # -- what the user entered -------------------------------------------------------------------
    def values(self) -> tuple[str, list[str], str | None, int]:
        return (self.name.text().strip(), self.words.text().replace(",", " ").split(),
                self.data.text().strip() or None, int(self.steps.value()))

    def problem(self) -> str:
        """What is missing before learning can start, or ''."""
        name, words, _data, _steps = self.values()
        if not name:
            return "Give the new task a name, e.g. kicking"
        if not words:
            return "Give at least one word its captions use, e.g. kick kicks"
        return ""

    def request_start(self) -> None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        self.error_label.hide()
        self.start_requested.emit(*self.values())

    def _ask_estimate(self) -> None:
        _name, words, data, _steps = self.values()
        if words:
            self.estimate_label.setText("Counting the clips that match...")
            self.estimate_requested.emit(words, data)
        else:
            self.show_estimate(None)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.stage_label.setText("Cancelling after the current step...")
        self.cancel_requested.emit()

    def _browse(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, "HumanML3D-layout data folder")
        if path:
            self.data.setText(path)

    # -- what the window reports -----------------------------------------------------------------
    def _fit(self) -> None:
        """Grow to fit longer messages (never squeeze the form)."""
        QtCore.QTimer.singleShot(0, lambda: self.resize(self.width(), max(self.height(), self.sizeHint().height())))

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self._fit()

    def show_estimate(self, estimate: dict | None, error: str = "") -> None:
        self.estimate_label.setText(estimate_text(estimate, error))
        self._fit()

    def set_running(self, name: str) -> None:
        self.running = True
        self.error_label.hide()
        self.summary.hide()
        self.progress_box.show()
        self.stage_label.setText(f"Learning '{name}': starting...")
        self.progress.setRange(0, 0)  # busy until the first step is reported
        self.loss_label.setText("")
        self.learn_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        for w in (self.name, self.words, self.data, self.steps):
            w.setEnabled(False)
        self._fit()

    def show_progress(self, info: dict) -> None:
        step, total = int(info.get("step", 0)), int(info.get("total", 0))
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(step, total))
        stage = info.get("stage", "")
        self.progress.setFormat("%v / %m steps" if stage in ("train", "training", "expert", "router") else "%v / %m")
        message = info.get("message") or ""
        if self.cancel_button.isEnabled():
            self.stage_label.setText(f"{stage}: {message}" if message else str(stage))
        loss = info.get("loss")
        self.loss_label.setText(f"loss {loss:.4f}" if loss is not None else "")

    def show_summary(self, text: str, ok: bool = True, failed: bool = False) -> None:
        """The outcome (ok, cancelled, or failed); it stays until the next run starts."""
        self.running = False
        self.progress_box.setVisible(ok)
        if ok:
            self.progress.setRange(0, max(self.progress.maximum(), 1))
            self.progress.setValue(self.progress.maximum())
            self.stage_label.setText("Done")
        colour = "#1e8449" if ok else ("#922b21" if failed else "#7f8c8d")
        self.summary.setStyleSheet(f"color: white; background: {colour}; padding: 6px;")
        self.summary.setText(text)
        self.summary.show()
        self._fit()
        self.learn_button.setEnabled(True)
        self.cancel_button.hide()
        for w in (self.name, self.words, self.data, self.steps):
            w.setEnabled(True)
