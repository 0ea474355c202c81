"""The router, made visible: one bar per expert (reconstruction error vs its threshold, softmax
weight), the chosen expert highlighted, 'unseen -> base model' spelled out, the routing controls,
and a strip of recent decisions."""
from __future__ import annotations

import dataclasses

from PySide6 import QtCore, QtGui, QtWidgets

from ..agent import RouteSettings
from ..routing_types import ExpertScore, RouteResult, near_miss_lines
from .widgets import ElidedLabel

HISTORY_LEN = 30
CHOSEN = QtGui.QColor(80, 200, 120)
OTHER = QtGui.QColor(110, 130, 160)
THRESHOLD = QtGui.QColor(255, 90, 90)
MAX_BAR_RATIO = 3.0  # bars longer than 3x the threshold are drawn to the edge (with the number)
SCALE_MIN, SCALE_MAX = 0.5, 3.0  # threshold multiplier the strictness control offers


def make_settings(**kwargs) -> RouteSettings:
    """RouteSettings from these fields, leaving out any this version of the agent does not know."""
    known = {f.name for f in dataclasses.fields(RouteSettings)}
    return RouteSettings(**{k: v for k, v in kwargs.items() if k in known})


def ratio_of(e: ExpertScore) -> float:
    """error / effective threshold (the agent reports it; computed for older agents)."""
    r = getattr(e, "ratio", 0.0) or 0.0
    if r <= 0.0 and e.threshold > 0:
        r = e.error / e.threshold
    return float(r)


def ratio_text(ratio: float) -> str:
    """Three significant figures at most ("0.04x", "10.9x", "380x"): an unseen input's 379.60x
    needs no decimals, and a narrow column must not cut its leading digits."""
    if ratio < 10:
        return f"{ratio:.2f}\u00d7"
    return f"{ratio:.1f}\u00d7" if ratio < 100 else f"{ratio:.0f}\u00d7"


def shown_weights(result: RouteResult) -> dict[str, float]:
    """Weight each expert really has in the answer: the blend the agent applies, 0 for the rest.
    Unseen or forced base -> every weight 0; forced expert -> 1 for it; hard -> 1 for the chosen."""
    blend = result.blend
    return {e.name: float(blend.get(e.name, 0.0)) for e in result.experts}


def nearest_expert(result: RouteResult) -> tuple[str, float] | None:
    """(name, error / threshold) of the expert closest to accepting the input."""
    if not result.experts:
        return None
    name = getattr(result, "nearest", None)
    match = [e for e in result.experts if e.name == name] if name else []
    e = match[0] if match else min(result.experts, key=lambda x: x.error)
    return e.name, ratio_of(e)


def bar_scale(result: RouteResult) -> float:
    """Ratio that maps to a full-width bar: the largest ratio (at least the threshold, 1.0) plus
    10% headroom, at most MAX_BAR_RATIO."""
    ratios = [ratio_of(e) for e in result.experts]
    return min(max(ratios + [1.0]) * 1.1, MAX_BAR_RATIO)


def decision_text(result: RouteResult) -> str:
    """One line saying who answers and why, e.g. 'gestures (router)' or 'base model: unseen input'."""
    if result.forced:
        return f"{result.chosen or 'base model'} (forced by you)"
    if result.unseen:
        if any(ratio_of(e) <= 1.0 for e in result.experts):  # some expert accepted: the base-family AE won
            return "base model: unseen input (closer to actions no expert learned)"
        return "base model: unseen input (every error above its threshold)"
    if result.chosen is None:
        return "base model (no experts)"
    if result.mode == "soft" and len(result.blend) > 1:
        return "blend: " + ", ".join(f"{n} {w:.0%}" for n, w in result.blend.items())
    return f"{result.chosen} (router)"


def nearest_text(result: RouteResult) -> str:
    """'nearest: jumping, 1.4 × its threshold' for an unseen input, else ''."""
    near = nearest_expert(result) if result.unseen and not result.forced else None
    if near is None:
        return ""
    return f"nearest: {near[0]}, {near[1]:.1f} \u00d7 its threshold"


def why_text(result: RouteResult) -> str:
    """For an unseen motion, what the nearest experts found least like their task, one line each:
    'least like walking in: left wrist position 43 %, left elbow position 15 %'; else ''."""
    return "\n".join(near_miss_lines(result))


def read_as_text(result: RouteResult) -> str:
    """'read as: "juggles three balls"' when the prompt router read fewer words than were typed."""
    return f"read as: \u201c{result.read_as}\u201d" if result.read_as else ""


class RouterBars(QtWidgets.QWidget):
    """Paints one row per expert: name | bar of error/threshold with the threshold (1.0) as a red
    line | the ratio | the weight it has in the answer. Numbers sit in their own columns, never
    under the line; headers are elided to their column."""

    ROW_H = 28
    PAD = 6

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: RouteResult | None = None
        self.setMinimumHeight(self.ROW_H * 2)
        self.setMinimumWidth(220)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_result(self, result: RouteResult | None) -> None:
        self.result = result
        n = len(result.experts) if result and result.experts else 1
        self.setFixedHeight(self.ROW_H * (n + 1) + 8)
        rows = []
        if result is not None:
            weights = shown_weights(result)
            for e in result.experts:
                rows.append(f"{e.name}: error {e.error:.3f}, threshold {e.threshold:.3f} "
                            f"(ratio {ratio_of(e):.2f}), weight {weights[e.name]:.2f}")
        self.setToolTip("\n".join(rows) or "No routing yet")
        self.update()

    def columns(self) -> dict[str, QtCore.QRect]:
        """x-extent of each column (name, bar, ratio, weight) for the current width and font."""
        fm = self.fontMetrics()
        bold = QtGui.QFont(self.font())
        bold.setBold(True)  # the chosen row is drawn bold, so names are measured bold
        bold_fm = QtGui.QFontMetrics(bold)
        names = [e.name for e in self.result.experts] if self.result else []
        ratios = [ratio_text(ratio_of(e)) for e in self.result.experts] if self.result else []
        ratio_w = max(bold_fm.horizontalAdvance(t) for t in ratios + ["9.99\u00d7"]) + 8  # bold: the chosen row
        weight_w = fm.horizontalAdvance("weight") + 8
        wanted = max([bold_fm.horizontalAdvance("> " + n) for n in names] + [fm.horizontalAdvance("expert")]) + 8
        room = self.width() - ratio_w - weight_w - 4 * self.PAD - 40  # leave the bars 40 px at least
        name_w = max(fm.horizontalAdvance("expert") + 4, min(wanted, room))
        bar_w = max(30, self.width() - name_w - ratio_w - weight_w - 4 * self.PAD)
        x = self.PAD
        cols = {}
        for key, w in (("name", name_w), ("bar", bar_w), ("ratio", ratio_w), ("weight", weight_w)):
            cols[key] = QtCore.QRect(x, 0, w, self.ROW_H)
            x += w + (self.PAD if key != "weight" else 0)
        return cols

    def header_texts(self, cols: dict[str, QtCore.QRect] | None = None) -> dict[str, str]:
        cols = cols or self.columns()
        fm = self.fontMetrics()
        full = {"name": "expert", "bar": "error \u00f7 threshold (red line = threshold)",
                "ratio": "ratio", "weight": "weight"}
        for shorter in ("error \u00f7 threshold", "\u00f7 threshold", "ratio"):
            if fm.horizontalAdvance(full["bar"]) <= cols["bar"].width():
                break
            full["bar"] = shorter
        if full["bar"] == "ratio":  # the number column already says it
            full["bar"] = ""
        return {k: fm.elidedText(t, QtCore.Qt.TextElideMode.ElideRight, cols[k].width()) for k, t in full.items()}

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QtGui.QPalette.ColorRole.WindowText)
        r = self.result
        if r is None or not r.experts:
            p.setPen(text_color)
            msg = "No routing yet: type a prompt or load a clip." if r is None else "No experts: base model only."
            p.drawText(self.rect().adjusted(6, 0, 0, 0), QtCore.Qt.AlignmentFlag.AlignVCenter, msg)
            p.end()
            return
        cols = self.columns()
        scale = bar_scale(r)
        weights = shown_weights(r)
        left = QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft
        right = QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignRight
        p.setPen(text_color)
        for key, text in self.header_texts(cols).items():
            p.drawText(cols[key], right if key in ("ratio", "weight") else left, text)
        bar = cols["bar"]
        tx = bar.x() + int(bar.width() * min(1.0 / scale, 1.0))
        for i, e in enumerate(r.experts):
            y = self.ROW_H * (i + 1)
            active = weights[e.name] > 0
            font = p.font()
            font.setBold(active)
            p.setFont(font)
            p.setPen(text_color)
            name_rect = cols["name"].translated(0, y)
            p.drawText(name_rect, left, p.fontMetrics().elidedText(("> " if active else "  ") + e.name,
                                                                   QtCore.Qt.TextElideMode.ElideRight,
                                                                   name_rect.width()))
            ratio = ratio_of(e)
            length = int(bar.width() * min(ratio / scale, 1.0))
            colour = CHOSEN if active else OTHER
            p.fillRect(QtCore.QRect(bar.x(), y + 7, max(length, 2), self.ROW_H - 14), colour)
            p.setPen(QtGui.QPen(THRESHOLD, 2))
            p.drawLine(tx, y + 3, tx, y + self.ROW_H - 3)
            p.setPen(text_color)
            p.drawText(cols["ratio"].translated(0, y), right, ratio_text(ratio))
            p.drawText(cols["weight"].translated(0, y), right, f"{weights[e.name]:.2f}")
        p.end()


class RouterPanel(QtWidgets.QWidget):
    """Bars + decision line + controls + history. Emits settings_changed when a control moves."""

    settings_changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: RouteResult | None = None
        self.decision = QtWidgets.QLabel("Router: waiting for input")
        self.decision.setWordWrap(True)
        self.decision.setStyleSheet("font-weight: bold; padding: 4px;")
        self.decision.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.query_label = ElidedLabel("")
        self.query_label.setStyleSheet("color: gray;")
        self.read_label = ElidedLabel("")
        self.read_label.setStyleSheet("color: gray;")
        self.read_label.setToolTip("The words the prompt router compares with each task: who, where, when and how "
                                   "people say it are left out (docs/ROUTER.md)")
        self.read_label.hide()
        self.nearest_label = QtWidgets.QLabel("")
        self.nearest_label.setWordWrap(True)
        self.use_nearest = QtWidgets.QPushButton("Use it anyway")
        self.use_nearest.setToolTip("Force the nearest expert for this input (sets Expert below)")
        self.use_nearest.clicked.connect(self.force_nearest)
        near_row = QtWidgets.QVBoxLayout()
        near_row.setContentsMargins(4, 0, 0, 0)
        near_row.setSpacing(2)
        near_row.addWidget(self.nearest_label)
        self.why_label = QtWidgets.QLabel("")
        self.why_label.setWordWrap(True)
        self.why_label.setStyleSheet("color: gray;")
        self.why_label.setToolTip("Which body parts make up most of each nearest expert's reconstruction error")
        near_row.addWidget(self.why_label)
        near_row.addWidget(self.use_nearest, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        self.nearest_box = QtWidgets.QWidget()
        self.nearest_box.setLayout(near_row)
        self.nearest_box.hide()
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
        self.scale_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.scale_slider.setRange(int(SCALE_MIN * 100), int(SCALE_MAX * 100))
        self.scale_slider.setSingleStep(5)
        self.scale_slider.setPageStep(25)
        self.scale_slider.setValue(100)
        self.scale_slider.setToolTip("Multiplies every expert's threshold: above 1 the experts accept more inputs, "
                                     "below 1 the router is stricter and sends more to the base model")
        self.scale_label = QtWidgets.QLabel("1.00\u00d7")
        self.scale_label.setMinimumWidth(self.scale_label.fontMetrics().horizontalAdvance("3.00\u00d7") + 4)
        scale_row = QtWidgets.QHBoxLayout()
        scale_row.addWidget(self.scale_slider, 1)
        scale_row.addWidget(self.scale_label)
        self.force_box = QtWidgets.QComboBox()
        self.force_box.setToolTip("Override the router: force one expert, or the base model")
        self.force_box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.force_box.setMinimumContentsLength(10)
        self.set_experts([])
        for w in (self.mode_box, self.force_box):
            w.currentIndexChanged.connect(self._changed)
        for w in (self.k_box, self.temp_box, self.scale_slider):
            w.valueChanged.connect(self._changed)

        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Mode", self.mode_box)
        form.addRow("K", self.k_box)
        form.addRow("Temperature", self.temp_box)
        form.addRow("Threshold \u00d7", scale_row)
        form.addRow("Expert", self.force_box)
        self.history = QtWidgets.QListWidget()
        self.history.setToolTip("Recent routing decisions, newest first")
        self.history.setMinimumHeight(60)
        self.history.setMaximumHeight(110)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.decision)
        layout.addWidget(self.nearest_box)
        layout.addWidget(self.query_label)
        layout.addWidget(self.read_label)
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

    @property
    def threshold_scale(self) -> float:
        return self.scale_slider.value() / 100.0

    def set_threshold_scale(self, scale: float) -> None:
        self.scale_slider.setValue(int(round(min(max(scale, SCALE_MIN), SCALE_MAX) * 100)))

    def settings(self) -> RouteSettings:
        return make_settings(mode=self.mode_box.currentData(), k=self.k_box.value(),
                             temperature=self.temp_box.value(), force_expert=self.force_box.currentData(),
                             threshold_scale=self.threshold_scale)

    def force_expert(self, name: str | None) -> None:
        """Set the override (None: the router decides; "base"; or an expert name)."""
        index = self.force_box.findData(name)
        if index >= 0:
            self.force_box.setCurrentIndex(index)

    def force_nearest(self) -> None:
        near = nearest_expert(self.result) if self.result is not None else None
        if near is not None:
            self.force_expert(near[0])

    def _changed(self, *_args) -> None:
        self.k_box.setEnabled(self.mode_box.currentData() == "soft")
        self.scale_label.setText(f"{self.threshold_scale:.2f}\u00d7")
        self.settings_changed.emit()

    def show_problem(self, message: str) -> None:
        """The latest input could not be routed: say why, and show no older decision as if current."""
        self.result = None
        self.bars.set_result(None)
        self.decision.setText(f"Not routed: {message}")
        self.decision.setStyleSheet("font-weight: bold; padding: 4px; color: white; background: #7f8c8d;")
        self.nearest_box.hide()
        self.query_label.setText("")
        self.read_label.hide()

    def show_route(self, result: RouteResult, query: str = "", remember: bool = True) -> None:
        """Show a routing decision; `remember` adds it to the history strip (not every keystroke)."""
        self.result = result
        self.bars.set_result(result)
        text = decision_text(result)
        self.decision.setText(f"{result.direction.upper()} -> {text}")
        colour = "#c0392b" if result.unseen else ("#8e44ad" if result.forced else "#1e8449")
        self.decision.setStyleSheet(f"font-weight: bold; padding: 4px; color: white; background: {colour};")
        near = nearest_text(result)
        self.nearest_label.setText(near)
        if near:
            self.use_nearest.setText(f"Use {nearest_expert(result)[0]} anyway")
        why = why_text(result)
        self.why_label.setText(why)
        self.why_label.setVisible(bool(why))
        self.nearest_box.setVisible(bool(near))
        self.query_label.setText(f"for: {query}" if query else "")
        self.read_label.setText(read_as_text(result))
        self.read_label.setVisible(bool(self.read_label.text()))
        if not remember:
            return
        short = query if len(query) <= 28 else query[:27] + "\u2026"
        self.history.insertItem(0, f"{result.direction}  {short!r:32} {text}" if query else f"{result.direction}  {text}")
        while self.history.count() > HISTORY_LEN:
            self.history.takeItem(self.history.count() - 1)
