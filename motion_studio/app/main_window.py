"""The main window: player in the middle; prompt, clips and router panels in docks; status bar.

It owns no model logic: requests go to the AgentWorker, results come back as signals.
"""
from __future__ import annotations

import dataclasses
import sys
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets

from ..agent import RouteSettings, clean_prompt
from ..errors import InputError, MotionStudioError
from ..motion.motion import Motion
from .clip_browser import ClipBrowser
from .export_flow import ExportFlow
from .learn_flow import LearnFlow
from .motion_io import OPEN_FILTER, open_motion
from .player import PlayerWidget
from .prompt_panel import PromptPanel
from .results_view import ResultsView
from .router_panel import RouterPanel
from .widgets import ElidedLabel
from .workers import AgentWorker

ROUTE_DEBOUNCE_MS = 120  # live routing starts this long after the last keystroke
PREFERRED_SIZE = (1500, 920)  # the window's size on a screen that has room for it
MIN_USABLE = (1280, 720)  # every panel stays usable down to this
BASE_LABEL = "base model"

AgentLoader = Callable[[str | None, str], Any]  # (checkpoint, device) -> agent


def format_timings(timings_ms: dict[str, float]) -> str:
    """'route 1 ms | generate 10 ms | total 13 ms' in the order the agent reports them."""
    return " | ".join(f"{stage} {ms:.0f} ms" for stage, ms in timings_ms.items())


def fit_to_screen(preferred: tuple[int, int], available: QtCore.QRect) -> tuple[int, int]:
    """The preferred window size, shrunk to the screen's free area (never below 640x480)."""
    return (max(640, min(preferred[0], available.width())), max(480, min(preferred[1], available.height())))


def route_label(route) -> str:
    """Short label for a motion in the player: who made it."""
    if route is None:
        return "base"
    blend = route.blend
    return " + ".join(blend) if blend else "base model"


def default_loader(checkpoint: str | None, device: str) -> Any:
    """Import and load the real agent (heavy imports happen here, in the worker thread)."""
    from ..agent import Agent

    return Agent.load(checkpoint, device)


class MainWindow(LearnFlow, ExportFlow, QtWidgets.QMainWindow):
    _learn_done = QtCore.Signal(object, str, bool)  # learn thread -> UI: report or None, error, cancelled
    _learn_progress = QtCore.Signal(object)  # learn thread -> UI: the on_progress dict

    def __init__(self, loader: AgentLoader = default_loader, checkpoint: str | None = None,
                 device: str = "auto") -> None:
        super().__init__()
        self.setWindowTitle("Motion Studio")
        screen = QtGui.QGuiApplication.primaryScreen()
        if screen is not None:
            self.resize(*fit_to_screen(PREFERRED_SIZE, screen.availableGeometry()))
        else:
            self.resize(*PREFERRED_SIZE)
        self.setAcceptDrops(True)
        self.loader, self.checkpoint, self.device = loader, checkpoint, device
        self.agent: Any = None
        self.last_error = ""
        self.video_export = None  # the latest .gif/.mp4 export (export.VideoExport), if any
        self.learned: dict | None = None  # report of the last task learned in this session
        self.learning: str | None = None  # name of the task being learned right now
        self.learn_window = None  # the Learn a new task dialog, once opened
        self._learn_cancel = threading.Event()
        self._learn_done.connect(self._on_learned)
        self._learn_progress.connect(self._on_learn_progress)
        self._loading: str | None = None  # checkpoint a load is trying right now
        self.compare_names: list[str] = []  # what the compare view shows, left to right
        self.compare_choice: str | None = None  # the router's own pick among them
        self._route_query: str | Motion | None = None
        self._clip: Motion | None = None

        self.worker = AgentWorker(self)
        self.worker.result.connect(self._on_result)
        self.worker.error.connect(self._on_error)
        self.worker.busy_changed.connect(self._on_busy)

        # centre: banner + player
        self.banner = QtWidgets.QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.player = PlayerWidget()
        centre = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(centre)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.addWidget(self.banner)
        cl.addWidget(self.player, 1)
        self.setCentralWidget(centre)

        self.prompt_panel = PromptPanel()
        self.clip_browser = ClipBrowser()
        self.router_panel = RouterPanel()
        self.results_view = ResultsView()
        self.prompt_dock = self._dock("Text -> motion", self.prompt_panel, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea)
        self.clip_dock = self._dock("Clip -> caption", self.clip_browser, QtCore.Qt.DockWidgetArea.LeftDockWidgetArea)
        router_scroll = QtWidgets.QScrollArea()  # never taller than its dock: nothing spills over the tabs
        router_scroll.setWidget(self.router_panel)
        router_scroll.setWidgetResizable(True)
        router_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        router_scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.router_dock = self._dock("Router", router_scroll, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.results_dock = self._dock("Benchmark results", self.results_view, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.router_dock, self.results_dock)
        self.router_dock.raise_()
        side = 280 if self.width() < 1400 else 320
        self.resizeDocks([self.clip_dock, self.router_dock], [side, side + 90], QtCore.Qt.Orientation.Horizontal)
        self.resizeDocks([self.prompt_dock], [190 if self.height() < 800 else 210], QtCore.Qt.Orientation.Vertical)

        self.prompt_panel.text_edited.connect(self._schedule_route)
        self.prompt_panel.generate_requested.connect(self.generate)
        self.prompt_panel.compare_requested.connect(self.compare_experts)
        self.clip_browser.clip_chosen.connect(self._open_sample_clip)
        self.clip_browser.open_requested.connect(self.open_file_dialog)
        self.router_panel.settings_changed.connect(self._reroute)
        self.route_timer = QtCore.QTimer(self, singleShot=True, interval=ROUTE_DEBOUNCE_MS)
        self.route_timer.timeout.connect(self._route_now)

        self._build_status_bar()
        self._build_menus()
        QtWidgets.QApplication.instance().installEventFilter(self)

    # -- construction helpers ------------------------------------------------------------------
    def _dock(self, title: str, widget: QtWidgets.QWidget, area) -> QtWidgets.QDockWidget:
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.device_label = QtWidgets.QLabel("device: -")
        self.model_label = ElidedLabel("model: loading...", mode=QtCore.Qt.TextElideMode.ElideMiddle)
        self.model_label.setMaximumWidth(520)
        self.model_label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred)
        self.timing_label = ElidedLabel("")
        self.timing_label.setMaximumWidth(330)
        self.timing_label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred)
        self.busy_label = QtWidgets.QLabel("")
        self.busy_learning = QtWidgets.QLabel("")
        self.device_box = QtWidgets.QComboBox()
        self.device_box.setToolTip("Run the model on this device (reloads it)")
        self.device_box.hide()
        self.device_box.activated.connect(self._device_picked)
        for w in (self.busy_learning, self.busy_label, self.timing_label, self.model_label, self.device_label, self.device_box):
            sb.addPermanentWidget(w)

    def _build_menus(self) -> None:
        self.window_shortcuts: set[str] = set()  # Ctrl shortcuts that work wherever the focus is

        def action(menu, text, slot, shortcut=None, tip=""):
            act = QtGui.QAction(text, self)
            if shortcut:
                act.setShortcut(QtGui.QKeySequence(shortcut))
                if "Ctrl" in shortcut:
                    self.window_shortcuts.add(QtGui.QKeySequence(shortcut).toString())
            act.setStatusTip(tip)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        f = self.menuBar().addMenu("&File")
        action(f, "&Open motion...", self.open_file_dialog, "Ctrl+O", "Open a .npy or .bvh motion to caption")
        action(f, "Open &checkpoint...", self.open_checkpoint_dialog, "Ctrl+Shift+O", "Load another model")
        action(f, "&Export motion...", self.export_dialog, "Ctrl+E", "Save the motion as .npy, .bvh, .gif or .mp4")
        action(f, "&Learn a new task...", self.learn_dialog, "Ctrl+Shift+L",
               "Train one more expert from clips whose captions use given words")
        f.addSeparator()
        action(f, "&Quit", self.close, "Ctrl+Q")
        p = self.menuBar().addMenu("&Playback")
        action(p, "Play / pause", self.player.toggle_play, "Space")
        action(p, "Previous frame", lambda: self.player.step(-1), "Left")
        action(p, "Next frame", lambda: self.player.step(1), "Right")
        action(p, "Reset view", self.player.reset_view, "R")
        action(p, "Focus prompt", lambda: self.prompt_panel.prompt.setFocus(), "Ctrl+L")
        v = self.menuBar().addMenu("&View")
        for dock in (self.prompt_dock, self.clip_dock, self.router_dock, self.results_dock):
            v.addAction(dock.toggleViewAction())

    # -- agent lifecycle -----------------------------------------------------------------------
    def start_loading(self) -> None:
        """Load the agent in the worker; call after the window is shown. If it fails while another
        model is loaded, that model stays in use and the window says so."""
        self._loading = self.checkpoint
        if self.agent is None:
            self.model_label.setText("model: loading...")
            self._banner("Loading model... the player and File > Open already work.", "info")
        else:
            self.statusBar().showMessage(f"Loading {self.checkpoint or 'the default checkpoint'}... "
                                         f"(still using {self.agent.checkpoint} meanwhile)")
        ckpt, dev, loader = self.checkpoint, self.device, self.loader
        self.worker.load_agent(lambda: loader(ckpt, dev))

    def _agent_ready(self, agent: Any) -> None:
        self.agent = agent
        self._loading = None
        self._banner("")
        self.router_panel.set_experts([e.name for e in agent.experts])
        self.prompt_panel.set_examples(agent.example_prompts())
        self.clip_browser.set_clips(agent.sample_clips())
        self.results_view.set_results_dir(agent.results_dir)
        self.model_label.setText(f"model: {agent.description}")
        self.model_label.setToolTip(f"model: {agent.description}\ncheckpoint: {agent.checkpoint}")
        self.device_label.setText(f"device: {agent.device_name}")
        self._fill_devices(agent.device)
        if self.learned and str(agent.checkpoint) == str(self.learned["out"]):
            self.statusBar().showMessage(f"Model ready with the new expert '{self.learned['name']}'", 10000)
        else:
            self.statusBar().showMessage("Model ready", 4000)
        if self._route_query:
            self._route_now()

    def _fill_devices(self, current: str) -> None:
        torch = sys.modules.get("torch")  # only if the agent already imported it
        if torch is None or not torch.cuda.is_available():
            self.device_box.hide()
            return
        self.device_box.clear()
        self.device_box.addItem("CPU", "cpu")
        for i in range(torch.cuda.device_count()):
            self.device_box.addItem(torch.cuda.get_device_name(i), f"cuda:{i}")
        self.device_box.setCurrentIndex(max(0, self.device_box.findData(current)))
        self.device_box.show()

    def _device_picked(self, index: int) -> None:
        dev = self.device_box.itemData(index)
        if self.agent is not None and dev != self.agent.device:
            self.device = dev
            self.start_loading()

    # -- requests ------------------------------------------------------------------------------
    def settings(self) -> RouteSettings:
        return self.router_panel.settings()

    def _schedule_route(self, text: str) -> None:
        self._route_query = text.strip()
        self.route_timer.start()

    def _reroute(self) -> None:
        if self._route_query is not None:
            self._route_now()

    def _route_now(self) -> None:
        query, settings = self._route_query, self.settings()
        if self.agent is None or query is None:
            return
        if isinstance(query, str):
            try:
                clean_prompt(query)
            except InputError as exc:  # nothing to route: say so instead of showing an older route
                message = str(exc)
                self.worker.submit("route", lambda a: (_ for _ in ()).throw(InputError(message)))
                return
        self.worker.submit("route", lambda a: (query, a.route(query, settings)))

    def _can_run(self, prompt: str) -> bool:
        """Whether `prompt` can go to the model now; if not, the reason is shown (the CLI's words)."""
        if not prompt.strip():
            self.show_error("Type a prompt first, e.g. 'a person waves'")
            return False
        try:
            clean_prompt(prompt)
        except InputError as exc:
            self.show_error(str(exc))
            return False
        if self.agent is None:
            self.show_error("The model is not loaded yet")
            return False
        return True

    def generate(self, prompt: str, seconds: float) -> None:
        """Generate in the worker. The prompt is checked as the CLI checks it (same message);
        only a prompt that ran goes into the history."""
        if not self._can_run(prompt):
            return
        settings = self.settings()
        self.statusBar().showMessage(f"Generating '{prompt[:80]}'...")
        self.worker.submit("generate", lambda a: a.generate(prompt, seconds, settings))

    def compare_experts(self, prompt: str, seconds: float) -> None:
        """The same prompt through every expert (forced) and the base model, side by side, with
        the router's own choice marked."""
        if not self._can_run(prompt):
            return
        base = dataclasses.replace(self.settings(), force_expert=None)
        names = [e.name for e in self.agent.experts] + ["base"]

        def run(a):
            decided = a.route(prompt, base)
            gens = [a.generate(prompt, seconds, dataclasses.replace(base, force_expert=n), seed=0) for n in names]
            return {"compare": gens, "names": names, "route": decided, "prompt": prompt}
        self.statusBar().showMessage(f"Generating '{prompt[:60]}' with each of {len(names)} models...")
        self.worker.submit("generate", run)

    def open_file_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open motion", "", OPEN_FILTER)
        if path:
            self.open_clip(path)

    def open_checkpoint_dialog(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, "Open checkpoint folder")
        if path:
            self.open_checkpoint(path)

    def open_checkpoint(self, path: str | Path) -> None:
        self.checkpoint = str(path)
        self.start_loading()

    # -- clips and export ------------------------------------------------------------------------
    def open_clip(self, path: str | Path, captions: list[str] | None = None) -> bool:
        """Load a motion file into the player and ask for its caption; errors shown, never raised."""
        try:
            motion = open_motion(path)
        except MotionStudioError as exc:
            self.show_error(str(exc))
            return False
        if captions:
            motion.captions = list(captions)
        self.show_clip(motion)
        return True

    def show_clip(self, motion: Motion) -> None:
        self._clip = motion
        self._success()
        self.compare_names, self.compare_choice = [], None
        self.player.set_motion(motion, f"clip {motion.name}" if motion.name else "clip")
        self.clip_dock.raise_()
        if self.agent is None:
            self.clip_browser.show_caption(motion.name, None, motion.captions, "no model loaded: no caption")
            return
        self.clip_browser.show_caption(motion.name, None, motion.captions)
        self._route_query = motion
        settings = self.settings()
        self.worker.submit("caption", lambda a: (motion, a.caption(motion, settings)))

    def _open_sample_clip(self, clip) -> None:
        self.open_clip(clip.path, clip.captions)

    # -- results -------------------------------------------------------------------------------
    def _on_result(self, kind: str, payload: Any, seconds: float) -> None:
        if kind == "load":
            self._agent_ready(payload)
        elif kind == "estimate":
            if self.learn_window is not None:
                self.learn_window.show_estimate(payload)
            return
        elif kind == "route":
            query, result = payload
            label = query if isinstance(query, str) else f"clip {query.name}"
            self.router_panel.show_route(result, label, remember=False)
        elif kind == "generate":
            if isinstance(payload, dict):  # compare: one forced generation per expert, and the base
                self._show_compare(payload)
                gens = payload["compare"]
            else:
                gens = [payload]
                self.compare_names, self.compare_choice = [], None
                self.player.set_motion(payload.motion, f"'{payload.prompt}' by {route_label(payload.route)}")
                self.router_panel.show_route(payload.route, payload.prompt)
                self.prompt_panel.remember(payload.prompt)
            self.timing_label.setText(format_timings(gens[0].timings_ms))
            self.statusBar().showMessage(f"Generated '{gens[0].prompt[:80]}' in {seconds:.2f} s", 5000)
        elif kind == "caption":
            motion, cap = payload
            self.clip_browser.show_caption(motion.name, cap.caption, motion.captions,
                                           f"by {route_label(cap.route)}")
            self.router_panel.show_route(cap.route, f"clip {motion.name}")
            self.timing_label.setText(format_timings(cap.timings_ms))
        self._success(self.worker.delivering)

    def _show_compare(self, payload: dict) -> None:
        names, gens, decided = payload["names"], payload["compare"], payload["route"]
        choice = decided.chosen if decided.chosen is not None else "base"
        labels = []
        for n in names:
            text = BASE_LABEL if n == "base" else n
            labels.append(f"{text}  \u2190 router" if n == choice else text)
        chosen = names.index(choice) if choice in names else None
        self.player.set_motions([(g.motion, label) for g, label in zip(gens, labels)], chosen=chosen)
        shown = "base model" if choice == "base" else choice
        self.player.legend.setText(f"Compare: '{payload['prompt']}' by each of {len(names)} models, "
                                   f"left to right; the router picks {shown} (green label)")
        self.compare_names, self.compare_choice = list(names), choice
        self.router_panel.show_route(decided, payload["prompt"])
        self.prompt_panel.remember(payload["prompt"])

    def _on_error(self, kind: str, message: str) -> None:
        if kind == "load":
            self.last_error = message
            self._error_after = self.worker.delivering
            tried = self._loading or "the default checkpoint"
            self._loading = None
            if self.agent is not None:  # the old model is still the one answering
                self.checkpoint = str(self.agent.checkpoint)
                self.model_label.setText(f"model: {self.agent.description}")
                self._banner(f"Could not load {tried}: {message}\nStill using the model from "
                             f"{self.agent.checkpoint}.", "error")
                self.statusBar().showMessage(f"Still using {self.agent.checkpoint}", 10000)
                return
            self.model_label.setText("model: not loaded")
            self._banner(f"Could not load the model: {message}\nTrain one with `motion-studio train`, or open "
                         "a checkpoint folder with File > Open checkpoint (Ctrl+Shift+O). Playing and opening "
                         "motion files still work.", "error")
            return
        if kind == "estimate":
            if self.learn_window is not None:
                self.learn_window.show_estimate(None, message)
            return
        if kind == "route":  # live routing: the panel says why, no banner for every keystroke
            self.router_panel.show_problem(message)
            return
        if kind == "caption" and self._clip is not None:
            self.clip_browser.show_caption(self._clip.name, None, self._clip.captions, f"caption failed: {message}")
        self.show_error(message, self.worker.delivering)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText("working..." if busy else "")

    def show_error(self, message: str, req_id: int | None = None) -> None:
        """Status bar + red banner. The banner stays until something asked for after it succeeds."""
        self.last_error = message
        self._error_after = self.worker.issued if req_id is None else req_id
        self.statusBar().showMessage(message, 10000)
        self._banner(message, "error")

    _error_after = 0

    def _success(self, req_id: int | None = None) -> None:
        """Something worked: an error banner from an earlier failure no longer applies. A worker
        result counts only if it was requested after the failure (req_id); UI actions always do."""
        if self._banner_kind == "error" and (req_id is None or req_id > self._error_after):
            self._banner("")

    _banner_kind = ""

    def _banner(self, text: str, kind: str = "info") -> None:
        colours = {"info": "#1f4e79", "error": "#922b21"}
        self.banner.setText(text)
        self.banner.setStyleSheet(f"background: {colours[kind]}; color: white; padding: 6px; font-size: 11pt;")
        self.banner.setVisible(bool(text))
        self._banner_kind = kind if text else ""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        """Ctrl shortcuts of the menus work while typing too: a text box must not swallow them
        (QLineEdit takes Ctrl+E as 'end of line' otherwise)."""
        if event.type() == QtCore.QEvent.Type.ShortcutOverride and isinstance(obj, QtWidgets.QWidget) \
                and obj.window() is self and event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier:
            seq = QtGui.QKeySequence(event.keyCombination()).toString()
            if seq in self.window_shortcuts:
                event.ignore()
                return True
        return super().eventFilter(obj, event)

    # -- Qt events -----------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_clip(urls[0])
            event.acceptProposedAction()

    def closeEvent(self, event) -> None:  # noqa: N802
        QtWidgets.QApplication.instance().removeEventFilter(self)
        self._learn_cancel.set()
        if self.learn_window is not None:
            self.learn_window.close()
        self.player.pause()
        if self.video_export is not None:
            self.video_export.cancel()
        self.worker.stop()
        super().closeEvent(event)
