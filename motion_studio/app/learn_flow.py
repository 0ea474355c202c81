"""The main window's "learn a new task" flow: the dialog, its checks, the learning thread, progress,
cancel and the summary. A mixin of MainWindow (it uses the window's worker, banners and signals),
kept apart so each file has one job."""
from __future__ import annotations

import inspect
import threading
from typing import Any

from ..errors import Cancelled
from .workers import describe_error


class LearnFlow:
    def learn_dialog(self):
        """Show the (modeless) Learn a new task dialog; it stays open for progress and the summary."""
        from .learn_dialog import LearnDialog

        if self.learn_window is None:
            self.learn_window = LearnDialog(self)
            self.learn_window.start_requested.connect(self.learn)
            self.learn_window.cancel_requested.connect(self.cancel_learning)
            self.learn_window.estimate_requested.connect(self._estimate_learning)
            if self.learning:
                self.learn_window.set_running(self.learning)
        self.learn_window.show()
        self.learn_window.raise_()
        return self.learn_window

    def learn_problem(self, name: str, words: list[str], steps: int | None = None) -> str:
        """Why these learn settings cannot run, or ''."""
        if self.agent is None:
            return "The model is not loaded yet"
        if not name.strip() or not words:
            return "Give the new task a name and at least one word its captions use"
        if name.strip().lower() in {e.name.lower() for e in self.agent.experts}:
            return f"An expert called '{name.strip()}' exists already: pick another name"
        if steps is not None and steps < 1:
            return "Training steps must be at least 1"
        if self.learning:
            return f"Already learning '{self.learning}'; wait for it to finish or cancel it"
        return ""

    def _learn_error(self, message: str) -> None:
        """Errors of the learn settings show in the dialog when it is open, else in the window."""
        self.last_error = message
        if self.learn_window is not None and self.learn_window.isVisible():
            self.learn_window.show_error(message)
        else:
            self.show_error(message)

    def learn(self, name: str, words: list[str], data_dir: str | None = None, steps: int | None = None) -> bool:
        """Train a new expert in its own thread (the app stays usable), then load the extended checkpoint."""
        problem = self.learn_problem(name, words, steps)
        if problem:
            self._learn_error(problem)
            return False
        agent, cancel = self.agent, threading.Event()
        self._learn_cancel = cancel
        kwargs: dict[str, Any] = {"match": words, "data_dir": data_dir or None, "steps": steps}

        def on_progress(info: dict) -> bool:
            self._learn_progress.emit(dict(info))
            return not cancel.is_set()
        try:
            if "on_progress" in inspect.signature(agent.learn_task).parameters:
                kwargs["on_progress"] = on_progress
        except (TypeError, ValueError):
            pass

        def run() -> None:  # its own thread: the agent worker keeps answering prompts meanwhile
            try:
                self._learn_done.emit(agent.learn_task(name, **kwargs), "", False)
            except Cancelled:
                self._learn_done.emit(None, "", True)
            except Exception as exc:  # noqa: BLE001 - reported in the window, never raised in a thread
                self._learn_done.emit(None, describe_error(exc), False)

        self.learning = name
        self.busy_learning.setText(f"learning '{name}'...")
        self.statusBar().showMessage(f"Learning '{name}' from clips that say {', '.join(words)}; "
                                     "prompts and clips keep working meanwhile", 15000)
        if self.learn_window is not None:
            self.learn_window.set_running(name)
        # daemon: quitting the app mid-training must not wait for (or crash on) the training thread
        threading.Thread(target=run, name=f"learn-{name}", daemon=True).start()
        return True

    def cancel_learning(self) -> None:
        if self.learning:
            self._learn_cancel.set()
            self.busy_learning.setText(f"cancelling '{self.learning}'...")

    def _estimate_learning(self, words: list[str], data_dir: str | None) -> None:
        if self.agent is None or not words or not hasattr(self.agent, "learn_estimate"):
            if self.learn_window is not None:
                note = "" if not words else ("the model is not loaded yet" if self.agent is None
                                             else "this model gives no estimate")
                self.learn_window.show_estimate(None, note)
            return
        self.worker.submit("estimate", lambda a: a.learn_estimate(words))

    def _on_learn_progress(self, info: dict) -> None:
        step, total = info.get("step", 0), info.get("total", 0)
        loss = info.get("loss")
        text = f"learning '{self.learning}': {info.get('stage', '')} {step}/{total}"
        self.busy_learning.setText(text + (f", loss {loss:.3f}" if loss is not None else ""))
        if self.learn_window is not None:
            self.learn_window.show_progress(info)

    def _on_learned(self, report: dict | None, message: str, cancelled: bool = False) -> None:
        name = self.learning
        self.learning = None
        self.busy_learning.setText("")
        if cancelled:
            text = f"Learning '{name}' cancelled: nothing was written, the model is unchanged."
            self.statusBar().showMessage(text, 10000)
            if self.learn_window is not None:
                self.learn_window.show_summary(text, ok=False)
            return
        if message:
            text = f"Learning failed: {message}"
            self.last_error = text
            if self.learn_window is not None and self.learn_window.isVisible():
                self.learn_window.show_summary(text, ok=False, failed=True)
                self.statusBar().showMessage(text, 10000)
            else:
                self.show_error(text)
            return
        held = report.get("held_out_routed_to_new_expert") or {}
        extra = f"; held-out prompts routed to it: {held['t2m_pct']} %" if held else ""
        summary = (f"Learned '{report['name']}' from {report['clips']} clips in {report['seconds']} s{extra}. "
                   f"Saved as {report['out']} and loaded.")
        self.learned = {**report, "summary": summary}
        self.checkpoint = report["out"]
        self.start_loading()
        self.busy_learning.setText(f"new expert: {report['name']}")
        if self.learn_window is not None:
            self.learn_window.show_summary(summary, ok=True)
        self._banner(f"Learned '{report['name']}' from {report['clips']} clips in {report['seconds']} s{extra}. "
                     f"Loading {report['out']}...", "info")

