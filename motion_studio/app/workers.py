"""One background thread that owns the agent and runs model work off the UI thread.

Every request gets an id. A newer request of the same kind replaces a pending one (it never
runs) and makes a running one stale: its result is dropped when it arrives. So typing fast
only ever shows the route of the latest text.
"""
from __future__ import annotations

import itertools
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from PySide6 import QtCore

from ..errors import MotionStudioError

# Which pending job runs first when several kinds wait.
PRIORITY = ("load", "generate", "caption", "route")


@dataclass
class Job:
    kind: str
    req_id: int
    fn: Callable[[Any], Any]  # called with the agent (None for "load") in the worker thread


def describe_error(exc: BaseException) -> str:
    """One line for the status bar: user errors verbatim, anything else tagged as internal."""
    if isinstance(exc, MotionStudioError):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"Internal error ({type(exc).__name__}): {exc}".splitlines()[0]


class AgentWorker(QtCore.QThread):
    """Runs jobs one at a time; `result`/`error` fire on the UI thread for current requests only."""

    result = QtCore.Signal(str, object, float)  # kind, payload, seconds taken
    error = QtCore.Signal(str, str)  # kind, one-line message
    busy_changed = QtCore.Signal(bool)
    _done = QtCore.Signal(str, int, object, float, str)  # worker thread -> UI thread

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.agent: Any = None
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._pending: dict[str, Job] = {}
        self._cond = threading.Condition()
        self._stopping = False
        self.issued = 0  # id of the newest request made
        self.delivering = 0  # id of the request whose result/error is being emitted right now
        self._done.connect(self._deliver, QtCore.Qt.ConnectionType.QueuedConnection)

    # -- UI thread side ----------------------------------------------------------------------
    def submit(self, kind: str, fn: Callable[[Any], Any]) -> int:
        """Queue `fn(agent)`; returns its request id. Replaces a pending job of the same kind."""
        with self._cond:
            req_id = next(self._ids)
            self.issued = req_id
            self._latest[kind] = req_id
            self._pending[kind] = Job(kind, req_id, fn)
            self._cond.notify()
        if not self.isRunning():
            self.start()
        return req_id

    def load_agent(self, loader: Callable[[], Any]) -> int:
        return self.submit("load", lambda _agent: loader())

    def is_current(self, kind: str, req_id: int) -> bool:
        return self._latest.get(kind) == req_id

    def stop(self, timeout_ms: int = 5000) -> None:
        with self._cond:
            self._stopping = True
            self._pending.clear()
            self._cond.notify()
        self.wait(timeout_ms)

    @QtCore.Slot(str, int, object, float, str)
    def _deliver(self, kind: str, req_id: int, payload: object, seconds: float, message: str) -> None:
        if not self.is_current(kind, req_id):
            return  # stale: a newer request of this kind was made meanwhile
        self.delivering = req_id
        if message:
            self.error.emit(kind, message)
        else:
            self.result.emit(kind, payload, seconds)

    # -- worker thread side ------------------------------------------------------------------
    def _next_job(self) -> Job | None:
        with self._cond:
            while not self._pending and not self._stopping:
                self._cond.wait()
            if self._stopping:
                return None
            kind = next(k for k in PRIORITY + tuple(self._pending) if k in self._pending)
            return self._pending.pop(kind)

    def run(self) -> None:
        while (job := self._next_job()) is not None:
            self.busy_changed.emit(True)
            start = time.perf_counter()
            payload, message = None, ""
            try:
                if job.kind != "load" and self.agent is None:
                    raise MotionStudioError("No model is loaded: open a checkpoint (File > Open checkpoint).")
                payload = job.fn(self.agent)
                if job.kind == "load":
                    self.agent = payload
            except Exception as exc:  # shown in the UI, never a crash
                if not isinstance(exc, MotionStudioError):
                    traceback.print_exc(file=sys.stderr)
                message = describe_error(exc)
            self._done.emit(job.kind, job.req_id, payload, time.perf_counter() - start, message)
            self.busy_changed.emit(False)
