"""The 3D motion player: one GL view holding one or more motions side by side, plus playback controls."""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from ..motion.motion import Motion
from .skeleton_item import SkeletonLayer
from .widgets import ElidedLabel

# Bone colours as the skeleton_item draws them, spelled out for a new user.
COLOUR_KEY = ("<span style='color:#338cff'>&#9632; left</span>&nbsp; "
              "<span style='color:#ff5940'>&#9632; right</span>&nbsp; "
              "<span style='color:#d9c236'>&#9632; spine</span>&nbsp; "
              "<span style='color:#2fbf4a'>&#9679; foot on floor</span>")
SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0)
SIDE_BY_SIDE_SPACING = 1.3  # metres between motions shown together
CAMERA_FOV = 60.0  # pyqtgraph's default, horizontal
BODY_HEIGHT = 2.3  # metres the camera keeps in view vertically (a body, its label and some floor)
GRID_SIZE, GRID_STEP = 12.0, 1.0


def frame_interval_ms(fps: float, speed: float) -> int:
    """Timer period that plays `fps` frames per second at `speed` times real time."""
    return max(1, round(1000.0 / (fps * speed)))


def time_label(frame: int, n_frames: int, fps: float) -> str:
    """'1.25 s / 4.00 s' for frame 25 of 80 at 20 fps (time of the frame shown / clip length)."""
    return f"{frame / fps:.2f} s / {n_frames / fps:.2f} s"


def legend_text(labels: list[str]) -> str:
    """What the view shows, left to right on screen (the first motion stands leftmost)."""
    if not labels:
        return "No motion loaded: type a prompt or open a clip (Ctrl+O)"
    if len(labels) == 1:
        return labels[0]
    return "left to right:  " + "   |   ".join(f"{i + 1}. {t}" for i, t in enumerate(labels))


def snap_to_grid(x: float, step: float = GRID_STEP) -> float:
    """Grid follows the character in whole cells, so the lines do not slide under the feet."""
    return float(np.round(x / step) * step)


class PlayerWidget(QtWidgets.QWidget):
    """GL skeleton view and its transport: play/pause, step, scrub, speed, loop, follow, reset view."""

    frame_changed = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph.opengl as gl

        self.layers: list[SkeletonLayer] = []
        self.fps = 20.0
        self.frame = 0
        self.n_frames = 1

        self.view = gl.GLViewWidget()
        self.view.setBackgroundColor((28, 30, 36))
        self.view.setMinimumSize(320, 240)
        self.view.setToolTip("Drag to orbit, wheel to zoom, middle-drag to pan")
        self.grid = gl.GLGridItem(color=(255, 255, 255, 60))
        self.grid.setSize(GRID_SIZE, GRID_SIZE)
        self.grid.setSpacing(GRID_STEP, GRID_STEP)
        self.view.addItem(self.grid)
        self.legend = ElidedLabel("No motion loaded: type a prompt or open a clip (Ctrl+O)")
        self.legend.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.legend.setStyleSheet("font-size: 11pt; padding: 3px;")
        self.legend.setToolTip("Bones: blue = left side, red = right side, yellow = spine; green = foot on the floor")

        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self._tick)

        self.play_button = QtWidgets.QPushButton("Play")
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.clicked.connect(self.toggle_play)
        back = QtWidgets.QToolButton(text="<")
        back.setToolTip("Previous frame (Left)")
        back.clicked.connect(lambda: self.step(-1))
        fwd = QtWidgets.QToolButton(text=">")
        fwd.setToolTip("Next frame (Right)")
        fwd.clicked.connect(lambda: self.step(1))
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setToolTip("Scrub through the motion")
        self.slider.valueChanged.connect(self.set_frame)
        self.slider.setMinimumWidth(160)
        self.time_label = QtWidgets.QLabel(time_label(0, 1, self.fps))
        self.time_label.setMinimumWidth(110)
        self.speed_box = QtWidgets.QComboBox()
        for s in SPEEDS:
            self.speed_box.addItem(f"{s:g}x", s)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip("Playback speed")
        self.speed_box.currentIndexChanged.connect(self._update_interval)
        self.loop_box = QtWidgets.QCheckBox("Loop")
        self.loop_box.setChecked(True)
        self.follow_box = QtWidgets.QCheckBox("Follow")
        self.follow_box.setChecked(True)
        self.follow_box.setToolTip("Keep the camera centred on the character(s)")
        self.stick_box = QtWidgets.QCheckBox("Stick figure")
        self.stick_box.setToolTip("Draw bones as lines and joints as dots instead of the shaded mannequin")
        self.stick_box.toggled.connect(lambda on: self.set_style("stick" if on else "mannequin"))
        reset = QtWidgets.QToolButton(text="Reset view")
        reset.setToolTip("Put the camera back to its default place (R)")
        reset.clicked.connect(self.reset_view)

        bar = QtWidgets.QHBoxLayout()
        for w in (self.play_button, back, fwd):
            bar.addWidget(w)
        bar.addWidget(self.slider, 1)
        for w in (self.time_label, self.speed_box, self.loop_box, self.follow_box, self.stick_box, reset):
            bar.addWidget(w)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        key = QtWidgets.QLabel(COLOUR_KEY)
        key.setToolTip(self.legend.toolTip())
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.legend, 1)
        top.addWidget(key)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self._update_interval()
        self.reset_view()

    # -- content ---------------------------------------------------------------------------
    @property
    def style(self) -> str:
        return "stick" if self.stick_box.isChecked() else "mannequin"

    def set_style(self, style: str) -> None:
        """"mannequin" (shaded body, the default) or "stick" (lines and dots), for every body shown."""
        if self.stick_box.isChecked() != (style == "stick"):
            self.stick_box.setChecked(style == "stick")  # comes back here through toggled
            return
        for layer in self.layers:
            layer.set_style(style)
        self.view.update()

    def set_motions(self, motions: list[tuple[Motion, str]], play: bool = True, chosen: int | None = None) -> None:
        """Show these (motion, label) pairs side by side, from frame 0. With more than one, each body
        is labelled above its head; `chosen` (an index) marks the router's choice."""
        for layer in self.layers:
            layer.remove_from(self.view)
        n = len(motions)
        self.layers = [
            SkeletonLayer(m, label, offset_x=(i - (n - 1) / 2) * SIDE_BY_SIDE_SPACING, style=self.style,
                          show_label=n > 1, chosen=(i == chosen))
            for i, (m, label) in enumerate(motions)
        ]
        for layer in self.layers:
            layer.add_to(self.view)
        self.fps = float(motions[0][0].fps) if motions else 20.0
        self.n_frames = max((layer.n_frames for layer in self.layers), default=1)
        self.legend.setText(legend_text([label for _, label in motions]))
        self.slider.blockSignals(True)
        self.slider.setRange(0, self.n_frames - 1)
        self.slider.blockSignals(False)
        self._update_interval()
        self.frame = -1
        self.set_frame(0)
        self.reset_view()
        if play and self.layers:
            self.play()

    def set_motion(self, motion: Motion, label: str = "", play: bool = True) -> None:
        self.set_motions([(motion, label or motion.name)], play=play)

    @property
    def motions(self) -> list[Motion]:
        return [layer.motion for layer in self.layers]

    # -- transport -------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def play(self) -> None:
        if self.layers:
            if self.frame >= self.n_frames - 1:
                self.set_frame(0)
            self.timer.start()
            self.play_button.setText("Pause")

    def pause(self) -> None:
        self.timer.stop()
        self.play_button.setText("Play")

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self, delta: int) -> None:
        self.pause()
        self.set_frame(self.frame + delta)

    def set_speed(self, speed: float) -> None:
        self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    def set_frame(self, frame: int) -> None:
        frame = int(np.clip(frame, 0, self.n_frames - 1))
        if frame == self.frame:
            return
        self.frame = frame
        for layer in self.layers:
            layer.set_frame(frame)
        if self.layers:
            self._follow()
        self.slider.blockSignals(True)
        self.slider.setValue(frame)
        self.slider.blockSignals(False)
        self.time_label.setText(time_label(frame, self.n_frames, self.fps))
        self.frame_changed.emit(frame)

    def _tick(self) -> None:
        if self.frame + 1 < self.n_frames:
            self.set_frame(self.frame + 1)
        elif self.loop_box.isChecked():
            self.set_frame(0)
        else:
            self.pause()

    def _update_interval(self) -> None:
        self.timer.setInterval(frame_interval_ms(self.fps, self.speed_box.currentData()))

    # -- camera ----------------------------------------------------------------------------
    def _centre(self) -> np.ndarray:
        if not self.layers:
            return np.array([0.0, 0.0, 0.9])
        roots = np.array([layer.root() for layer in self.layers])
        return np.array([roots[:, 0].mean(), roots[:, 1].mean(), 0.9])

    def _follow(self) -> None:
        c = self._centre()
        self.grid.resetTransform()
        self.grid.translate(snap_to_grid(c[0]), snap_to_grid(c[1]), 0.0)
        if self.follow_box.isChecked():
            self.view.opts["center"] = QtGui.QVector3D(*map(float, c))
            self.view.update()

    def reset_view(self) -> None:
        """Camera in front of the character(s), slightly above, far enough to see them all."""
        c = self._centre()
        self.view.opts["center"] = QtGui.QVector3D(*map(float, c))
        # HumanML3D frame 0 faces +Z (hml) = -Y (GL): look from -Y towards +Y.
        self.view.setCameraPosition(distance=self.fit_distance(), elevation=12, azimuth=-90)

    def fit_distance(self, width_px: int | None = None, height_px: int | None = None) -> float:
        """Camera distance that fits every body across and one body's height top to bottom."""
        w = width_px or max(self.view.width(), 1)
        h = height_px or max(self.view.height(), 1)
        half_fov = np.radians(CAMERA_FOV / 2)
        across = SIDE_BY_SIDE_SPACING * max(len(self.layers) - 1, 0) + (2.2 if len(self.layers) > 1 else 1.2)
        towards = 0.0  # how far a body comes towards the camera (it looks bigger there)
        if len(self.layers) > 1:  # side by side: keep every body in view over the whole motion
            xs = np.concatenate([layer.joints[..., 0].ravel() for layer in self.layers])
            ys = np.concatenate([layer.joints[..., 1].ravel() for layer in self.layers])
            across = max(across, float(xs.max() - xs.min()) + 1.6)
            towards = max(0.0, -float(ys.min()))
        d_wide = (across / 2) / np.tan(half_fov) + towards
        d_high = (BODY_HEIGHT / 2) / (np.tan(half_fov) * h / w)
        return float(max(d_wide, d_high, 2.0))

    def resizeEvent(self, event) -> None:  # noqa: N802 - keep the bodies framed as the view changes
        super().resizeEvent(event)
        if self.follow_box.isChecked():
            self.view.opts["distance"] = self.fit_distance()

    def has_gl_context(self) -> bool:
        """Create the view's GL context if needed (a hidden widget has none until a grab)."""
        if self.view.context() is None:
            self.view.grabFramebuffer()  # initialises the QOpenGLWidget, even when hidden
        ctx = self.view.context()
        return ctx is not None and ctx.isValid()

    def render_frame(self, width: int = 640, height: int = 480) -> np.ndarray:
        """(h, w, 3) RGB of the GL view at the current frame (works on a hidden widget)."""
        if not self.has_gl_context():
            raise RuntimeError("no OpenGL context: cannot render the 3D view")
        labels = [layer for layer in self.layers if layer.show_label]
        for layer in labels:  # text is painted with QPainter on the widget, not into the offscreen FBO
            layer.label_item.setVisible(False)
        distance = self.view.opts["distance"]
        self.view.opts["distance"] = self.fit_distance(width, height)
        try:
            bgra = self.view.renderToArray((width, height))
        finally:
            self.view.opts["distance"] = distance
            for layer in labels:
                layer.label_item.setVisible(True)
        return np.ascontiguousarray(bgra[..., [2, 1, 0]])
