"""The main window: player in the middle; prompt, clips and router panels in docks; status bar.

It owns no model logic: requests go to the AgentWorker, results come back as signals.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets

from ..agent import RouteSettings
from ..errors import MotionStudioError
from ..motion.motion import Motion
from .clip_browser import ClipBrowser
from .export import EXPORT_FILTER, VIDEO_SUFFIXES, VideoExport, export_motion
from .motion_io import OPEN_FILTER, open_motion
from .player import PlayerWidget
from .prompt_panel import PromptPanel
from .results_view import ResultsView
from .router_panel import RouterPanel
from .workers import AgentWorker, describe_error

ROUTE_DEBOUNCE_MS = 120  # live routing starts this long after the last keystroke

AgentLoader = Callable[[str | None, str], Any]  # (checkpoint, device) -> agent


def format_timings(timings_ms: dict[str, float]) -> str:
    """'route 1 ms | generate 10 ms | total 13 ms' in the order the agent reports them."""
    return " | ".join(f"{stage} {ms:.0f} ms" for stage, ms in timings_ms.items())


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


class MainWindow(QtWidgets.QMainWindow):
    _learn_done = QtCore.Signal(object, str)  # learn thread -> UI thread: report or None, error message

    def __init__(self, loader: AgentLoader = default_loader, checkpoint: str | None = None,
                 device: str = "auto") -> None:
        super().__init__()
        self.setWindowTitle("Motion Studio")
        self.resize(1500, 920)
        self.setAcceptDrops(True)
        self.loader, self.checkpoint, self.device = loader, checkpoint, device
        self.agent: Any = None
        self.last_error = ""
        self.video_export: VideoExport | None = None  # the latest .gif/.mp4 export, if any
        self.learned: dict | None = None  # report of the last task learned in this session
        self.learning: str | None = None  # name of the task being learned right now
        self._learn_done.connect(self._on_learned)
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
        self.router_dock = self._dock("Router", self.router_panel, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.results_dock = self._dock("Benchmark results", self.results_view, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.router_dock, self.results_dock)
        self.router_dock.raise_()
        self.resizeDocks([self.clip_dock, self.router_dock], [320, 430], QtCore.Qt.Orientation.Horizontal)
        self.resizeDocks([self.prompt_dock], [210], QtCore.Qt.Orientation.Vertical)

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
        self.model_label = QtWidgets.QLabel("model: loading...")
        self.timing_label = QtWidgets.QLabel("")
        self.busy_label = QtWidgets.QLabel("")
        self.busy_learning = QtWidgets.QLabel("")
        self.device_box = QtWidgets.QComboBox()
        self.device_box.setToolTip("Run the model on this device (reloads it)")
        self.device_box.hide()
        self.device_box.activated.connect(self._device_picked)
        for w in (self.busy_learning, self.busy_label, self.timing_label, self.model_label, self.device_label, self.device_box):
            sb.addPermanentWidget(w)

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None, tip=""):
            act = QtGui.QAction(text, self)
            if shortcut:
                act.setShortcut(QtGui.QKeySequence(shortcut))
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
        """Load the agent in the worker; call after the window is shown."""
        self.model_label.setText("model: loading...")
        self._banner("Loading model... the player and File > Open already work.", "info")
        ckpt, dev, loader = self.checkpoint, self.device, self.loader
        self.worker.load_agent(lambda: loader(ckpt, dev))

    def _agent_ready(self, agent: Any) -> None:
        self.agent = agent
        self._banner("")
        self.router_panel.set_experts([e.name for e in agent.experts])
        self.prompt_panel.set_examples(agent.example_prompts())
        self.clip_browser.set_clips(agent.sample_clips())
        self.results_view.set_results_dir(agent.results_dir)
        self.model_label.setText(f"model: {agent.description}")
        self.model_label.setToolTip(f"checkpoint: {agent.checkpoint}")
        self.device_label.setText(f"device: {agent.device_name}")
        self._fill_devices(agent.device)
        if self.learned and str(agent.checkpoint) == str(self.learned["out"]):
            self.statusBar().showMessage(f"Model ready with the new expert '{self.learned['name']}'", 10000)
        else:
            self.statusBar().showMessage("Model ready", 4000)

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
        if self.agent is None or query is None or (isinstance(query, str) and not query):
            return
        self.worker.submit("route", lambda a: (query, a.route(query, settings)))

    def generate(self, prompt: str, seconds: float) -> None:
        if not prompt.strip():
            self.show_error("Type a prompt first, e.g. 'a person waves'")
            return
        if self.agent is None:
            self.show_error("The model is not loaded yet")
            return
        settings = self.settings()
        self.prompt_panel.remember(prompt)
        self.statusBar().showMessage(f"Generating '{prompt}'...")
        self.worker.submit("generate", lambda a: a.generate(prompt, seconds, settings))

    def compare_experts(self, prompt: str, seconds: float) -> None:
        """The same prompt through every expert (forced), side by side."""
        if not prompt.strip() or self.agent is None:
            self.show_error("Type a prompt first (and wait for the model)")
            return
        base = self.settings()
        names = [e.name for e in self.agent.experts][:4]

        def run(a):
            return [a.generate(prompt, seconds, RouteSettings(base.mode, base.k, base.temperature, n), seed=0)
                    for n in names]
        self.worker.submit("generate", run)

    def open_file_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open motion", "", OPEN_FILTER)
        if path:
            self.open_clip(path)

    def open_checkpoint_dialog(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self, "Open checkpoint folder")
        if path:
            self.checkpoint = path
            self.start_loading()

    def learn_dialog(self) -> None:
        from .learn_dialog import LearnDialog

        dialog = LearnDialog(self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.learn(*dialog.values())

    def learn(self, name: str, words: list[str], data_dir: str | None = None, steps: int | None = None) -> bool:
        """Train a new expert in the worker (the app stays usable), then load the extended checkpoint."""
        if self.agent is None:
            self.show_error("The model is not loaded yet")
            return False
        if not name.strip() or not words:
            self.show_error("Give the new task a name and at least one word its captions use")
            return False
        if self.learning:
            self.show_error(f"Already learning '{self.learning}'; wait for it to finish")
            return False
        agent = self.agent

        def run() -> None:  # its own thread: the agent worker keeps answering prompts meanwhile
            try:
                self._learn_done.emit(agent.learn_task(name, match=words, data_dir=data_dir or None, steps=steps), "")
            except Exception as exc:  # noqa: BLE001 - reported in the window, never raised in a thread
                self._learn_done.emit(None, describe_error(exc))

        self.learning = name
        self.busy_learning.setText(f"learning '{name}'...")
        self.statusBar().showMessage(f"Learning '{name}' from clips that say {', '.join(words)} "
                                     "(a minute or two on a CPU); prompts and clips keep working meanwhile", 15000)
        # daemon: quitting the app mid-training must not wait for (or crash on) the training thread
        threading.Thread(target=run, name=f"learn-{name}", daemon=True).start()
        return True

    def _on_learned(self, report: dict | None, message: str) -> None:
        self.learning = None
        self.busy_learning.setText("")
        if message:
            self.show_error(f"Learning failed: {message}")
            return
        held = report.get("held_out_routed_to_new_expert") or {}
        extra = f"; held-out prompts routed to it: {held['t2m_pct']} %" if held else ""
        self.learned = report
        self.checkpoint = report["out"]
        self.start_loading()
        self._banner(f"Learned '{report['name']}' from {report['clips']} clips in {report['seconds']} s{extra}. "
                     f"Loading {report['out']}...", "info")

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
        self._banner("")
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

    def export_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export motion", "motion.npy", EXPORT_FILTER)
        if path:
            self.export(path)

    def export(self, path: str | Path) -> bool:
        """Save what the player shows. .npy/.bvh are written at once; a .gif/.mp4 renders in the
        background (status bar shows progress) and replaces an export still running."""
        motions = [(layer.motion, layer.label) for layer in self.player.layers]
        try:
            if Path(path).suffix.lower() in VIDEO_SUFFIXES and motions:
                self._start_video_export(motions, path)
                return True
            out = export_motion(motions, path)
        except MotionStudioError as exc:
            self.show_error(str(exc))
            return False
        self.statusBar().showMessage(f"Saved {out}", 5000)
        return True

    def _start_video_export(self, motions, path) -> None:
        if self.video_export is not None and self.video_export.running:
            self.video_export.cancel()
        job = VideoExport(motions, path, parent=self)
        job.progress.connect(lambda done, total: self.statusBar().showMessage(
            f"Exporting {job.path.name}: frame {done} of {total}..."))
        job.finished.connect(lambda out: self.statusBar().showMessage(f"Saved {out}", 5000))
        job.failed.connect(self.show_error)
        self.video_export = job
        job.start()

    # -- results -------------------------------------------------------------------------------
    def _on_result(self, kind: str, payload: Any, seconds: float) -> None:
        if kind == "load":
            self._agent_ready(payload)
        elif kind == "route":
            query, result = payload
            label = query if isinstance(query, str) else f"clip {query.name}"
            self.router_panel.show_route(result, label, remember=False)
        elif kind == "generate":
            if isinstance(payload, list):  # compare: one forced generation per expert
                gens = payload
                self.player.set_motions([(g.motion, route_label(g.route)) for g in gens])
                self._route_query = gens[0].prompt
                self._route_now()  # the panel shows the router's own choice, not the forced ones
            else:
                gens = [payload]
                self.player.set_motion(payload.motion, f"'{payload.prompt}' by {route_label(payload.route)}")
                self.router_panel.show_route(payload.route, payload.prompt)
            self.timing_label.setText(format_timings(gens[0].timings_ms))
            self.statusBar().showMessage(f"Generated '{gens[0].prompt}' in {seconds:.2f} s", 5000)
        elif kind == "caption":
            motion, cap = payload
            self.clip_browser.show_caption(motion.name, cap.caption, motion.captions,
                                           f"by {route_label(cap.route)}")
            self.router_panel.show_route(cap.route, f"clip {motion.name}")
            self.timing_label.setText(format_timings(cap.timings_ms))

    def _on_error(self, kind: str, message: str) -> None:
        if kind == "load":
            self.model_label.setText("model: not loaded")
            self._banner(f"Could not load the model: {message}\nTrain one with `motion-studio train`, or open "
                         "a checkpoint folder with File > Open checkpoint (Ctrl+Shift+O). Playing and opening "
                         "motion files still work.", "error")
            self.last_error = message
            return
        if kind == "caption" and self._clip is not None:
            self.clip_browser.show_caption(self._clip.name, None, self._clip.captions, f"caption failed: {message}")
        self.show_error(message)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText("working..." if busy else "")

    def show_error(self, message: str) -> None:
        self.last_error = message
        self.statusBar().showMessage(message, 10000)
        self._banner(message, "error")

    def _banner(self, text: str, kind: str = "info") -> None:
        colours = {"info": "#1f4e79", "error": "#922b21"}
        self.banner.setText(text)
        self.banner.setStyleSheet(f"background: {colours[kind]}; color: white; padding: 6px; font-size: 11pt;")
        self.banner.setVisible(bool(text))

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
        self.player.pause()
        if self.video_export is not None:
            self.video_export.cancel()
        self.worker.stop()
        super().closeEvent(event)
