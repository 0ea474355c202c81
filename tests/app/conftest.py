"""GUI test helpers: the fake agent, a window wired to it, and a GL-availability guard."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fake_agent lives beside the tests

from motion_studio.app.launch import prepare_qt  # noqa: E402

prepare_qt()  # must run before pytest-qt creates the QApplication


def _gl_available(qapp) -> bool:
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or qapp.platformName() == "offscreen":
        return False  # no GL context there; renderToArray can crash instead of failing
    try:
        from motion_studio.app.player import PlayerWidget

        player = PlayerWidget()
        ok = player.has_gl_context()
        if ok:
            player.render_frame(8, 8)
        player.deleteLater()
        return ok
    except Exception:
        return False


@pytest.fixture(scope="session")
def gl_ok(qapp) -> None:
    if not _gl_available(qapp):
        if os.environ.get("CI"):  # CI must render: a missing GL context there is a failure
            pytest.fail("no OpenGL context in CI (Xvfb + xcb + Mesa expected)")
        pytest.skip("no OpenGL context (run under Xvfb with the xcb platform)")


@pytest.fixture
def fake_agent(tmp_path):
    from fake_agent import FakeAgent

    return FakeAgent(clip_dir=tmp_path)


@pytest.fixture
def window(qtbot, fake_agent, gl_ok):
    """The real main window with the fake agent loaded (the load runs in the worker as in the app)."""
    from motion_studio.app.main_window import MainWindow

    win = MainWindow(loader=lambda ckpt, dev: fake_agent)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.worker.result, timeout=5000):
        win.start_loading()
    assert win.agent is fake_agent
    yield win
    win.player.pause()
    win.worker.stop()
