"""The router, made visible: one bar per expert (reconstruction error vs its threshold, softmax
weight), the chosen expert highlighted, 'unseen -> base model' spelled out, the routing controls,
and a strip of recent decisions."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from ..agent import RouteSettings
from ..routing_types import RouteResult

HISTORY_LEN = 30
CHOSEN = QtGui.QColor(80, 200, 120)
OTHER = QtGui.QColor(110, 130, 160)
THRESHOLD = QtGui.QColor(255, 90, 90)


def bar_scale(result: RouteResult) -> float:
    """Error that maps to a full-width bar: the largest error or threshold plus 10% headroom."""
    values = [v for e in result.experts for v in (e.error, e.threshold)]
    return max(values, default=1.0) * 1.1 or 1.0


def decision_text(result: RouteResult) -> str:
    """One line saying who answers and why, e.g. 'gestures (router)' or 'base model: unseen input'."""
    if result.forced:
        return f"{result.chosen or 'base model'} (forced by you)"
    if result.unseen:
        return "base model: unseen input (every error above its threshold)"
    if result.chosen is None:
        return "base model (no experts)"
    if result.mode == "soft" and len(result.blend) > 1:
        return "blend: " + ", ".join(f"{n} {w:.0%}" for n, w in result.blend.items())
    return f"{result.chosen} (router)"


class RouterBars(QtWidgets.QWidget):
    """Paints the bars; `result` is the last RouteResult shown (None: nothing routed yet)."""

    ROW_H = 30
    NAME_W = 120
    WEIGHT_W = 60

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: RouteResult | None = None
        self.setMinimumHeight(self.ROW_H * 2)

    def set_result(self, result: RouteResult | None) -> None:
        self.result = result
        n = len(result.experts) if result else 1
        self.setMinimumHeight(self.ROW_H * (n + 1) + 8)
        self.updateGeometry()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text_color = pal.color(QtGui.QPalette.ColorRole.WindowText)
        r = self.result
        if r is None or not r.experts:
            p.setPen(text_color)
            msg = "No routing yet: type a prompt or load a clip." if r is None else "No experts: base model only."
            p.drawText(self.rect().adjusted(6, 0, 0, 0), QtCore.Qt.AlignmentFlag.AlignVCenter, msg)
            return
        scale = bar_scale(r)
        bar_w = max(40, self.width() - self.NAME_W - self.WEIGHT_W - 12)
        p.setPen(text_color)
        p.drawText(QtCore.QRect(6, 0, self.NAME_W, self.ROW_H), QtCore.Qt.AlignmentFlag.AlignVCenter, "expert")
        p.drawText(QtCore.QRect(self.NAME_W, 0, bar_w, self.ROW_H), QtCore.Qt.AlignmentFlag.AlignVCenter,
                   "reconstruction error  (red line: threshold)")
        p.drawText(QtCore.QRect(self.NAME_W + bar_w + 6, 0, self.WEIGHT_W, self.ROW_H),
                   QtCore.Qt.AlignmentFlag.AlignVCenter, "weight")
        for i, e in enumerate(r.experts):
            y = self.ROW_H * (i + 1)
            chosen = e.name in r.blend
            font = p.font()
            font.setBold(chosen)
            p.setFont(font)
            p.setPen(text_color)
            p.drawText(QtCore.QRect(6, y, self.NAME_W - 8, self.ROW_H),
                       QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft,
                       ("> " if chosen else "  ") + e.name)
            length = int(bar_w * min(e.error / scale, 1.0))
            p.fillRect(QtCore.QRect(self.NAME_W, y + 6, length, self.ROW_H - 12), CHOSEN if chosen else OTHER)
            p.setPen(text_color)
            p.drawText(QtCore.QRect(self.NAME_W + 4, y, bar_w, self.ROW_H),
                       QtCore.Qt.AlignmentFlag.AlignVCenter, f"{e.error:.3f}")
            tx = self.NAME_W + int(bar_w * min(e.threshold / scale, 1.0))
            p.setPen(QtGui.QPen(THRESHOLD, 2))
            p.drawLine(tx, y + 3, tx, y + self.ROW_H - 3)
            p.setPen(text_color)
            p.drawText(QtCore.QRect(self.NAME_W + bar_w + 6, y, self.WEIGHT_W, self.ROW_H),
                       QtCore.Qt.AlignmentFlag.AlignVCenter, f"{e.weight:.2f}")
        p.end()


class RouterPanel(QtWidgets.QWidget):
    """Bars + decision line + controls + history. Emits settings_changed when a control moves."""

    settings_changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision = QtWidgets.QLabel("Router: waiting for input")
        self.decision.setWordWrap(True)
        self.decision.setStyleSheet("font-weight: bold; padding: 4px;")
        self.query_label = QtWidgets.QLabel("")
        self.query_label.setStyleSheet("color: gray;")
        self.bars = RouterBars()

        self.mode_box = QtWidgets.QComboBox()
        self.mode_box.addItem("hard (one expert)", "hard")
        self.mode_box.addItem("soft (blend top-K)", "soft")
        self.mode_box.setToolTip("Hard: the lowest-error expert answers. Soft: the top-K experts are blended by weight.")
        self.k_box = QtWidgets.QSpinBox()
        self.k_box.setRange(1, 1)
        self.k_box.setValue(1)
        self.k_box.setToolTip("How many experts a soft blend uses")
        self.temp_box = QtWidgets.QDoubleSpinBox()
        self.temp_box.setRange(0.05, 10.0)
        self.temp_box.setSingleStep(0.1)
        self.temp_box.setValue(1.0)
        self.temp_box.setToolTip("Softmax temperature over negative errors: lower is sharper")
        self.force_box = QtWidgets.QComboBox()
        self.force_box.setToolTip("Override the router: force one expert, or the base model")
        self.set_experts([])
        for w in (self.mode_box, self.force_box):
            w.currentIndexChanged.connect(self._changed)
        for w in (self.k_box, self.temp_box):
            w.valueChanged.connect(self._changed)

        form = QtWidgets.QFormLayout()
        form.addRow("Mode", self.mode_box)
        form.addRow("K", self.k_box)
        form.addRow("Temperature", self.temp_box)
        form.addRow("Expert", self.force_box)
        self.history = QtWidgets.QListWidget()
        self.history.setToolTip("Recent routing decisions, newest first")
        self.history.setMaximumHeight(110)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.decision)
        layout.addWidget(self.query_label)
        layout.addWidget(self.bars)
        layout.addLayout(form)
        layout.addWidget(QtWidgets.QLabel("History"))
        layout.addWidget(self.history)
        layout.addStretch(1)
        self._changed()

    def set_experts(self, names: list[str]) -> None:
        """Fill the override list for whatever experts the loaded agent has."""
        self.force_box.blockSignals(True)
        self.force_box.clear()
        self.force_box.addItem("router decides", None)
        self.force_box.addItem("base model", "base")
        for i, name in enumerate(names):
            self.force_box.addItem(f"force {i}: {name}", name)
        self.force_box.blockSignals(False)
        self.k_box.setRange(1, max(1, len(names)))
        self.k_box.setValue(min(2, max(1, len(names))))

    def settings(self) -> RouteSettings:
        return RouteSettings(mode=self.mode_box.currentData(), k=self.k_box.value(),
                             temperature=self.temp_box.value(), force_expert=self.force_box.currentData())

    def _changed(self, *_args) -> None:
        self.k_box.setEnabled(self.mode_box.currentData() == "soft")
        self.settings_changed.emit()

    def show_route(self, result: RouteResult, query: str = "", remember: bool = True) -> None:
        """Show a routing decision; `remember` adds it to the history strip (not every keystroke)."""
        self.bars.set_result(result)
        text = decision_text(result)
        self.decision.setText(f"{result.direction.upper()} -> {text}")
        colour = "#c0392b" if result.unseen else ("#8e44ad" if result.forced else "#1e8449")
        self.decision.setStyleSheet(f"font-weight: bold; padding: 4px; color: white; background: {colour};")
        self.query_label.setText(f"for: {query[:60]}" if query else "")
        if not remember:
            return
        self.history.insertItem(0, f"{result.direction}  {query[:28]!r:32} {text}" if query else f"{result.direction}  {text}")
        while self.history.count() > HISTORY_LEN:
            self.history.takeItem(self.history.count() - 1)
