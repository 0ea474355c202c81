"""The real main window driven with pytest-qt, against the fake agent."""
import numpy as np
import pytest
from PySide6 import QtCore

from fake_agent import FIXED_CAPTION, FakeAgent, fake_motion, write_fake_results


def test_typing_routes_live_then_enter_generates(qtbot, window, fake_agent):
    qtbot.keyClicks(window.prompt_panel.prompt, "a person waves")
    # Live routing: debounced, off the UI thread, bars show the gestures expert chosen.
    qtbot.waitUntil(lambda: window.router_panel.bars.result is not None, timeout=3000)
    assert window.router_panel.bars.result.chosen == "gestures"
    n_routes = sum(1 for kind, _ in fake_agent.calls if kind == "route")
    assert n_routes < len("a person waves")  # debounced, not one call per key
    assert window.player.layers == []  # routing alone does not generate

    qtbot.keyClick(window.prompt_panel.prompt, QtCore.Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.player.layers) == 1, timeout=3000)
    assert window.player.layers[0].label == "'a person waves' by gestures"
    assert window.player.playing  # plays at once
    assert "total 13 ms" in window.timing_label.text()
    assert window.prompt_panel.history.item(0).text() == "a person waves"
    assert window.router_panel.history.count() == 1


def test_router_bars_follow_the_text(qtbot, window):
    qtbot.keyClicks(window.prompt_panel.prompt, "someone walks")
    qtbot.waitUntil(lambda: getattr(window.router_panel.bars.result, "chosen", None) == "locomotion", timeout=3000)
    window.prompt_panel.prompt.clear()
    qtbot.keyClicks(window.prompt_panel.prompt, "juggling")
    qtbot.waitUntil(lambda: window.router_panel.bars.result.unseen, timeout=3000)
    assert "unseen" in window.router_panel.decision.text()
    window.router_panel.force_box.setCurrentIndex(window.router_panel.force_box.findData("sports"))
    qtbot.waitUntil(lambda: window.router_panel.bars.result.forced, timeout=3000)
    assert window.router_panel.bars.result.chosen == "sports"


def test_open_clip_plays_and_captions(qtbot, window, tmp_path):
    path = tmp_path / "walk.npy"
    np.save(path, fake_motion("walk", 3.0).joints)
    assert window.open_clip(path, captions=["a man walks forward."])
    assert window.player.n_frames == 60 and window.player.playing
    qtbot.waitUntil(lambda: FIXED_CAPTION in window.clip_browser.caption_text(), timeout=3000)
    assert "a man walks forward." in window.clip_browser.caption_text()
    assert window.router_panel.bars.result.direction == "m2t"


def test_sample_clip_browser_groups_by_task(qtbot, window):
    tree = window.clip_browser.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == ["locomotion", "gestures", "base"]
    item = tree.topLevelItem(1).child(0)
    tree.itemDoubleClicked.emit(item, 0)
    qtbot.waitUntil(lambda: FIXED_CAPTION in window.clip_browser.caption_text(), timeout=3000)
    assert "a person waves." in window.clip_browser.caption_text()  # its ground truth


@pytest.mark.parametrize("content", [b"not a numpy file", None])
def test_bad_file_shows_error_and_app_keeps_running(qtbot, window, tmp_path, content):
    path = tmp_path / "bad.npy"
    if content is None:
        np.save(path, np.zeros((10, 5)))  # wrong shape
    else:
        path.write_bytes(content)
    assert not window.open_clip(path)
    assert window.last_error and "bad.npy" in window.last_error
    assert window.banner.isVisible()
    assert window.open_clip(_good_clip(tmp_path))  # still works afterwards


def _good_clip(tmp_path):
    p = tmp_path / "good.npy"
    np.save(p, fake_motion("walk").joints)
    return p


def test_agent_errors_are_shown_not_raised(qtbot, window):
    window.generate("", 2.0)
    assert "prompt" in window.last_error
    with qtbot.waitSignal(window.worker.error, timeout=3000):
        window.worker.submit("generate", lambda a: a.generate("   x".strip() and " ", 2.0))
    assert "empty" in window.last_error


def test_compare_checks_the_prompt_as_generate_does(window):
    """Both buttons refuse the same prompts with the same words, before any model work."""
    for bad in ("", "!!!?"):
        window.generate(bad, 2.0)
        said = window.last_error
        window.last_error = None
        window.compare_experts(bad, 2.0)
        assert window.last_error == said and said


def test_compare_experts_side_by_side(qtbot, window):
    window.compare_experts("a person walks", 2.0)
    qtbot.waitUntil(lambda: len(window.player.layers) == 4, timeout=3000)
    assert [layer.label for layer in window.player.layers] == [
        "locomotion  \u2190 router", "gestures", "sports", "base model"]
    assert "left to right" in window.player.legend.text()


def test_export_npy_and_gif(qtbot, window, tmp_path):
    assert not window.export(tmp_path / "nothing.npy")  # nothing loaded yet: error, no crash
    window.open_clip(_good_clip(tmp_path))
    assert window.export(tmp_path / "out.npy")
    np.testing.assert_allclose(np.load(tmp_path / "out.npy")[..., 1].max(), window.player.motions[0].joints[..., 1].max(), atol=1e-5)
    window.player.set_motion(fake_motion("walk", 1.0))
    with qtbot.waitSignal(_video_done(window, tmp_path / "out.gif"), timeout=20000):
        pass
    import imageio.v2 as imageio
    frames = imageio.mimread(tmp_path / "out.gif")
    assert len(frames) == 20 and np.asarray(frames[0]).std() > 5


def _video_done(window, path):
    """Start a video export and return its `finished` signal (the export runs in the background)."""
    assert window.export(path), window.last_error
    return window.video_export.finished


def test_video_export_keeps_the_event_loop_running(qtbot, window, tmp_path):
    """Between rendered frames the UI thread handles other events: a 0 ms timer keeps ticking."""
    window.player.set_motion(fake_motion("walk", 2.0))  # 40 frames
    ticks = []
    timer = QtCore.QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    progress = []
    assert window.export(tmp_path / "busy.gif")
    window.video_export.progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(window.video_export.finished, timeout=20000):
        pass
    timer.stop()
    assert progress[-1] == (40, 40) and len(progress) >= 10  # rendered a few frames per turn
    assert len(ticks) >= len(progress)  # the loop ran between the chunks
    assert (tmp_path / "busy.gif").stat().st_size > 1000


def test_newer_video_export_replaces_a_running_one(qtbot, window, tmp_path):
    window.player.set_motion(fake_motion("walk", 2.0))
    assert window.export(tmp_path / "first.gif")
    first = window.video_export
    with qtbot.waitSignal(_video_done(window, tmp_path / "second.gif"), timeout=20000):
        pass
    assert first.cancelled and first is not window.video_export
    assert (tmp_path / "second.gif").exists() and not (tmp_path / "first.gif").exists()


def test_results_view_lists_pngs(qtbot, tmp_path, gl_ok):
    from motion_studio.app.main_window import MainWindow

    agent = FakeAgent(results_dir=write_fake_results(tmp_path / "results"))
    win = MainWindow(loader=lambda c, d: agent)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.worker.result, timeout=3000):
        win.start_loading()
    assert win.results_view.tabText(0) == "router confusion"
    win.worker.stop()


def test_window_opens_when_checkpoint_is_missing(qtbot, gl_ok, tmp_path):
    from motion_studio.app.main_window import MainWindow
    from motion_studio.errors import CheckpointError

    def loader(ckpt, dev):
        raise CheckpointError(f"No checkpoint at {ckpt}/manifest.json")
    win = MainWindow(loader=loader, checkpoint="nowhere")
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.worker.error, timeout=3000):
        win.start_loading()
    assert "No checkpoint at nowhere" in win.banner.text() and "Open checkpoint" in win.banner.text()
    assert win.model_label.text() == "model: not loaded"
    assert win.open_clip(_good_clip(tmp_path))  # the player still works
    assert win.player.n_frames == 40
    win.worker.stop()


def test_space_toggles_playback(qtbot, window, tmp_path):
    window.open_clip(_good_clip(tmp_path))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.player.view.setFocus()
    assert window.player.playing
    qtbot.keyClick(window.player.view, QtCore.Qt.Key.Key_Space)
    assert not window.player.playing
    f = window.player.frame
    qtbot.keyClick(window.player.view, QtCore.Qt.Key.Key_Right)
    assert window.player.frame == f + 1


@pytest.mark.parametrize("folder", ["new_joints", "new_joint_vecs"])
def test_real_humanml3d_clip_plays_and_captions(qtbot, window, sample_dir, folder):
    assert window.open_clip(sample_dir / folder / "012314.npy")
    assert window.player.n_frames == 170
    qtbot.waitUntil(lambda: FIXED_CAPTION in window.clip_browser.caption_text(), timeout=3000)
    # Frame 0 of HumanML3D faces +Z with the body's left towards +X: in the GL view (Z-up) the
    # head is above the pelvis and the left shoulder has larger x than the right one.
    pose = window.player.layers[0].joints[0]
    assert pose[15, 2] - pose[0, 2] > 0.4
    assert pose[16, 0] > pose[17, 0]
    contacts = window.player.layers[0].contacts
    assert contacts.shape == (170, 4) and 0.1 < contacts.mean() < 0.9  # a walk: feet planted part-time


def test_export_bvh_round_trip_and_mp4(qtbot, window, tmp_path):
    window.open_clip(_good_clip(tmp_path))
    assert window.export(tmp_path / "out.bvh"), window.last_error
    assert window.open_clip(tmp_path / "out.bvh")
    assert window.player.n_frames == 40
    window.player.set_motion(fake_motion("walk", 0.5))
    with qtbot.waitSignal(_video_done(window, tmp_path / "out.mp4"), timeout=20000):
        pass
    assert (tmp_path / "out.mp4").stat().st_size > 1000
    assert not window.export(tmp_path / "out.txt") and ".txt" in window.last_error


def test_run_app_screenshot_mode(qtbot, tmp_path, gl_ok):
    from motion_studio.app.launch import run_app

    out = tmp_path / "shot.png"
    code = run_app(["--screenshot", str(out), "--prompt", "a person waves", "--seconds", "2"],
                   loader=lambda c, d: FakeAgent())
    assert code == 0 and out.exists()
    from PySide6 import QtGui

    img = QtGui.QImage(str(out))
    assert img.width() > 800 and img.height() > 500
    # Somewhere in the shot there are the player's bone colours (the GL view was captured).
    arr = np.array([[QtGui.QColor(img.pixel(x, y)).getRgb()[:3] for x in range(0, img.width(), 2)]
                    for y in range(0, img.height(), 2)])
    assert (np.abs(arr - np.array([51, 140, 255])).max(axis=-1) < 30).sum() > 10


def test_run_app_reports_failed_load(qtbot, tmp_path, gl_ok):
    from motion_studio.app.launch import run_app
    from motion_studio.errors import CheckpointError

    def loader(c, d):
        raise CheckpointError("checkpoint folder is empty")
    out = tmp_path / "shot.png"
    assert run_app(["--screenshot", str(out), "--prompt", "x"], loader=loader) == 1
    assert out.exists()  # the window (with its error banner) is still captured


def test_app_modules_do_not_import_torch():
    """Cold start: the window must come up before torch/transformers are imported."""
    import subprocess
    import sys

    code = ("import sys, motion_studio.app.launch, motion_studio.app.main_window, motion_studio.app.player;"
            "print(sorted(m for m in ('torch', 'transformers', 'peft') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_dropping_a_file_opens_it(qtbot, window, tmp_path):
    from PySide6 import QtGui

    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(_good_clip(tmp_path)))])
    event = QtGui.QDropEvent(QtCore.QPointF(10, 10), QtCore.Qt.DropAction.CopyAction, mime,
                             QtCore.Qt.MouseButton.NoButton, QtCore.Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.player.n_frames == 40
    qtbot.waitUntil(lambda: FIXED_CAPTION in window.clip_browser.caption_text(), timeout=3000)


def test_learn_a_new_task_trains_in_the_worker_then_loads_the_new_checkpoint(qtbot, fake_agent, gl_ok):
    from motion_studio.app.main_window import MainWindow

    loads = []
    win = MainWindow(loader=lambda ckpt, dev: loads.append(ckpt) or fake_agent)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.worker.result, timeout=3000):
        win.start_loading()
    assert not win.learn("", ["kick"]) and "name" in win.last_error
    fake_agent.delay_s = 0.3  # the learn call takes a moment: a second request is refused meanwhile
    assert win.learn("kicking", ["kick", "kicks"], steps=50)
    assert not win.learn("other", ["run"]) and "Already learning 'kicking'" in win.last_error
    qtbot.waitUntil(lambda: len(loads) == 2 and win.agent is not None and not win.banner.isVisible(), timeout=5000)
    assert ("learn", ("kicking", ("kick", "kicks"), 50)) in fake_agent.calls
    assert loads[-1] == "fake/checkpoint+kicking" and win.checkpoint == "fake/checkpoint+kicking"
    assert win.learning is None and win.learned["name"] == "kicking"


def test_learning_failure_is_one_line_and_keeps_the_old_model(qtbot, window):
    old = window.agent
    assert window.learn("nothing", [], None) is False  # no words: refused before any thread starts
    window.agent.learn_task = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full"))
    assert window.learn("kicking", ["kick"])
    qtbot.waitUntil(lambda: window.learning is None, timeout=3000)
    assert "Learning failed" in window.last_error and "disk full" in window.last_error
    assert window.agent is old and window.checkpoint is None


def test_learn_dialog_values(qtbot):
    from motion_studio.app.learn_dialog import LearnDialog

    d = LearnDialog()
    qtbot.addWidget(d)
    d.name.setText(" kicking ")
    d.words.setText("kick, kicks  kicking")
    assert d.values() == ("kicking", ["kick", "kicks", "kicking"], None, 200)
