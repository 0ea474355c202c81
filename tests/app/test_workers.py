import threading

from motion_studio.app.workers import AgentWorker, describe_error
from motion_studio.errors import InputError


def test_describe_error_is_one_line():
    assert describe_error(InputError("prompt is empty")) == "prompt is empty"
    assert describe_error(ValueError("bad\nsecond line")) == "Internal error (ValueError): bad"


def test_latest_request_wins_and_errors_are_reported(qtbot):
    worker = AgentWorker()
    gate = threading.Event()
    results, errors = [], []
    worker.result.connect(lambda kind, payload, s: results.append((kind, payload)))
    worker.error.connect(lambda kind, msg: errors.append((kind, msg)))
    with qtbot.waitSignal(worker.result, timeout=3000):
        worker.load_agent(lambda: "agent")
    assert worker.agent == "agent"

    def slow(agent):
        gate.wait(2)
        return "stale"
    worker.submit("route", slow)  # starts running, then becomes stale
    qtbot.wait(50)
    worker.submit("route", lambda a: "never runs")  # replaced while pending
    worker.submit("route", lambda a: f"fresh from {a}")
    gate.set()
    qtbot.waitUntil(lambda: results[-1:] == [("route", "fresh from agent")], timeout=3000)
    assert ("route", "stale") not in results and ("route", "never runs") not in results

    with qtbot.waitSignal(worker.error, timeout=3000):
        worker.submit("generate", lambda a: (_ for _ in ()).throw(InputError("empty prompt")))
    assert errors == [("generate", "empty prompt")]
    worker.stop()
    assert not worker.isRunning()


def test_jobs_before_load_fail_cleanly(qtbot):
    worker = AgentWorker()
    with qtbot.waitSignal(worker.error, timeout=3000) as sig:
        worker.submit("route", lambda a: a.route("x"))
    assert "No model is loaded" in sig.args[1]
    worker.stop()


def test_installed_pyside_keeps_true_alive():
    """PySide6 6.12.0 drops a reference to True on every Python emit and soon aborts the process;
    pyproject.toml excludes it. This fails if such a build is installed."""
    import sys

    from PySide6 import QtCore

    class Probe(QtCore.QObject):
        ping = QtCore.Signal()

    probe = Probe()
    probe.ping.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(100):
        probe.ping.emit()
    assert abs(sys.getrefcount(True) - before) < 20  # the bug makes it 100 lower
