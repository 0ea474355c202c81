"""Issue 12, one test (or more) per numbered item: states that lied or went stale, against the fake agent."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from fake_agent import FakeAgent, fake_motion
from motion_studio.agent import MAX_PROMPT_CHARS, clean_prompt
from motion_studio.errors import InputError
from motion_studio.routing_types import ExpertScore, RouteResult

REPO = Path(__file__).resolve().parents[2]
LONG_PROMPT = ("a person walks forward slowly, then turns around to the left, raises both arms above the "
               "head, waves with the right hand three times, crouches down low, jumps up high into the air, "
               "lands softly on both feet, takes two steps back, claps the hands twice and finally stands "
               "still looking straight ahead for a short while in the room")  # 329 characters


def _clip(tmp_path: Path, name: str = "good.npy") -> Path:
    p = tmp_path / name
    np.save(p, fake_motion("walk").joints)
    return p


def _window(qtbot, agent, **kw):
    from motion_studio.app.main_window import MainWindow

    win = MainWindow(loader=kw.pop("loader", lambda c, d: agent), **kw)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.worker.result, timeout=5000):
        win.start_loading()
    return win


# 1 -------------------------------------------------------------------------------------------
def test_1_long_prompt_leaves_the_window_width_and_is_refused_like_the_cli(qtbot, window):
    assert len(LONG_PROMPT) == 329
    window.resize(1280, 720)
    qtbot.wait(50)
    width = window.width()
    window.prompt_panel.prompt.setFocus()
    qtbot.keyClicks(window.prompt_panel.prompt, LONG_PROMPT)
    assert window.prompt_panel.prompt.text() == LONG_PROMPT  # not silently cut at the limit
    assert window.prompt_panel.counter.text() == f"329 / {MAX_PROMPT_CHARS}"
    assert "c0392b" in window.prompt_panel.counter.styleSheet()  # over the limit: red
    qtbot.keyClick(window.prompt_panel.prompt, QtCore.Qt.Key.Key_Return)
    with pytest.raises(InputError) as cli_error:
        clean_prompt(LONG_PROMPT)  # what the CLI says
    assert window.last_error == str(cli_error.value)
    qtbot.wait(300)
    assert not [c for c in window.agent.calls if c[0] == "generate"]
    # live routing says why instead of showing an older decision
    qtbot.waitUntil(lambda: "Not routed" in window.router_panel.decision.text(), timeout=3000)

    ok = LONG_PROMPT[:290]  # within the limit: it runs, and every title showing it is elided
    window.generate(ok, 2.0)
    qtbot.waitUntil(lambda: len(window.player.layers) == 1, timeout=3000)
    qtbot.wait(100)
    assert window.width() == width
    assert window.player.legend.text().startswith(f"'{ok}'")
    assert window.player.legend.shown_text().endswith("\u2026")
    assert window.player.legend.width() < window.width()
    assert window.router_panel.query_label.shown_text().endswith("\u2026")


# 2 -------------------------------------------------------------------------------------------
def test_2_error_banner_clears_on_the_next_success(qtbot, window, tmp_path):
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"not numpy")
    assert not window.open_clip(bad)
    assert window.banner.isVisible()
    window.generate("a person waves", 2.0)
    qtbot.waitUntil(lambda: len(window.player.layers) == 1, timeout=3000)
    assert not window.banner.isVisible()

    window.generate("", 2.0)  # a refused prompt, then a caption that works
    assert window.banner.isVisible()
    window.open_clip(_clip(tmp_path))
    assert not window.banner.isVisible()

    with qtbot.waitSignal(window.worker.error, timeout=3000):
        window.worker.submit("generate", lambda a: a.generate(" ", 2.0))
    assert window.banner.isVisible()
    with qtbot.waitSignal(window.worker.result, timeout=3000):
        window.worker.submit("caption", lambda a: (fake_motion("walk"), a.caption(fake_motion("walk"))))
    assert not window.banner.isVisible()


def test_2_dialog_errors_show_in_the_dialog(qtbot, window):
    dialog = window.learn_dialog()
    qtbot.addWidget(dialog)
    dialog.words.setText("kick")
    dialog.learn_button.click()  # no name
    assert dialog.error_label.isVisible() and "name" in dialog.error_label.text()
    assert not window.banner.isVisible()
    dialog.name.setText("sports")  # an expert of that name exists
    dialog.learn_button.click()
    assert "exists already" in dialog.error_label.text() and not window.banner.isVisible()
    assert window.learning is None


# 3 -------------------------------------------------------------------------------------------
def _scores(errors, weights, threshold=0.5):
    return [ExpertScore(n, n, e, threshold, w, e / threshold) for n, e, w in zip(("arms", "walking", "jumping"),
                                                                                  errors, weights)]


def test_3_router_weights_agree_with_the_decision(qtbot):
    from motion_studio.app.router_panel import RouterPanel, shown_weights

    # what the old router reported: an unseen input with arms at weight 1, a forced expert at 0
    unseen = RouteResult("t2m", _scores([0.8, 0.9, 0.7], [1.0, 0.0, 0.0]), None, True, nearest="jumping")
    assert set(shown_weights(unseen).values()) == {0.0}
    forced = RouteResult("t2m", _scores([0.8, 0.2, 0.7], [0.0, 1.0, 0.0]), "arms", False, forced=True)
    assert shown_weights(forced) == {"arms": 1.0, "walking": 0.0, "jumping": 0.0}
    base = RouteResult("t2m", _scores([0.8, 0.2, 0.7], [0.0, 1.0, 0.0]), None, False, forced=True)
    assert set(shown_weights(base).values()) == {0.0}

    panel = RouterPanel()
    qtbot.addWidget(panel)
    panel.set_experts(["arms", "walking", "jumping"])
    panel.resize(420, 600)
    panel.show()
    panel.show_route(unseen, "juggling")
    assert panel.nearest_box.isVisible()
    assert panel.nearest_label.text() == "nearest: jumping, 1.4 \u00d7 its threshold"
    with qtbot.waitSignal(panel.settings_changed):
        panel.use_nearest.click()
    assert panel.settings().force_expert == "jumping"


def test_3_threshold_line_and_numbers_have_their_own_columns_and_headers_fit(qtbot):
    from motion_studio.app.router_panel import RouterBars, bar_scale

    bars = RouterBars()
    qtbot.addWidget(bars)
    r = RouteResult("t2m", _scores([0.3, 0.9, 0.45], [1.0, 0.0, 0.0]), "arms", False)
    bars.set_result(r)
    for width in (240, 300, 420, 700):
        bars.resize(width, bars.height())
        cols = bars.columns()
        line_x = cols["bar"].x() + int(cols["bar"].width() / bar_scale(r))
        assert cols["bar"].left() <= line_x <= cols["bar"].right()
        for key in ("name", "ratio", "weight"):  # the red line never crosses a number
            assert not (cols[key].left() <= line_x <= cols[key].right())
        assert cols["weight"].right() <= width
        fm = bars.fontMetrics()
        for key, text in bars.header_texts(cols).items():
            assert fm.horizontalAdvance(text) <= cols[key].width(), (width, key, text)
            assert "\u2026" not in text or key == "bar"
        bars.grab()


def test_3_strictness_reroutes_live(qtbot, window):
    qtbot.keyClicks(window.prompt_panel.prompt, "juggling")
    qtbot.waitUntil(lambda: getattr(window.router_panel.bars.result, "unseen", False), timeout=3000)
    assert "nearest: locomotion" in window.router_panel.nearest_label.text()
    window.router_panel.set_threshold_scale(3.0)  # accepts far more
    qtbot.waitUntil(lambda: not window.router_panel.bars.result.unseen, timeout=3000)
    result = window.router_panel.bars.result
    assert result.chosen == "locomotion" and result.threshold_scale == pytest.approx(3.0)
    assert window.settings().threshold_scale == pytest.approx(3.0)
    window.router_panel.set_threshold_scale(1.0)
    qtbot.waitUntil(lambda: window.router_panel.bars.result.unseen, timeout=3000)
    window.router_panel.use_nearest.click()  # "use locomotion anyway"
    qtbot.waitUntil(lambda: window.router_panel.bars.result.forced, timeout=3000)
    assert window.router_panel.bars.result.chosen == "locomotion"


# 4 -------------------------------------------------------------------------------------------
def test_4_compare_shows_every_expert_and_the_base_and_marks_the_choice(qtbot, gl_ok, tmp_path):
    names = ("jumping", "arms", "walking", "gestures", "sitstand", "kick")
    agent = FakeAgent(experts=names)
    win = _window(qtbot, agent)
    win.compare_experts("a person kicks a ball", 2.0)
    qtbot.waitUntil(lambda: len(win.player.layers) == 7, timeout=5000)
    assert win.compare_names == list(names) + ["base"]
    assert win.compare_choice == "kick"
    chosen = [layer for layer in win.player.layers if layer.chosen]
    assert len(chosen) == 1 and chosen[0].label.startswith("kick")
    assert win.player.layers[-1].label == "base model"
    assert all(layer.label_item.visible() for layer in win.player.layers)  # each labelled above its head
    assert "router picks kick" in win.player.legend.text()
    # readable: the camera frames all seven, each body a fair share of the view height
    img = win.player.render_frame(1280, 540)
    lit = img.max(axis=-1) > 120
    cols = np.nonzero(lit.any(axis=0))[0]
    rows = np.nonzero(lit.any(axis=1))[0]
    assert cols.min() > 5 and cols.max() < 1275  # nobody cut off at the sides
    assert rows.max() - rows.min() > 0.25 * 540
    win.worker.stop()

    unseen = FakeAgent()
    win2 = _window(qtbot, unseen)
    win2.compare_experts("someone juggles", 2.0)
    qtbot.waitUntil(lambda: len(win2.player.layers) == 4, timeout=5000)
    assert win2.compare_choice == "base" and win2.player.layers[-1].chosen
    win2.worker.stop()


# 5 -------------------------------------------------------------------------------------------
def test_5_a_folder_that_is_not_a_checkpoint_keeps_the_old_model_and_says_so(qtbot, gl_ok, tmp_path):
    from motion_studio.errors import CheckpointError

    agent = FakeAgent()

    def loader(ckpt, dev):
        if ckpt and "holiday" in str(ckpt):
            raise CheckpointError(f"{ckpt} is not a checkpoint (no manifest.json)")
        return agent
    win = _window(qtbot, agent, loader=loader)
    with qtbot.waitSignal(win.worker.error, timeout=3000):
        win.open_checkpoint(tmp_path / "holiday photos")
    assert win.model_label.text() == f"model: {agent.description}"
    assert "not a checkpoint" in win.banner.text() and "Still using" in win.banner.text()
    assert win.checkpoint == str(agent.checkpoint)
    win.generate("a person waves", 2.0)  # the old model still answers, and the window agrees
    qtbot.waitUntil(lambda: len(win.player.layers) == 1, timeout=3000)
    assert not win.banner.isVisible()
    win.worker.stop()


# 6 -------------------------------------------------------------------------------------------
def test_6_window_fits_the_screen_it_opens_on():
    from motion_studio.app.main_window import PREFERRED_SIZE, fit_to_screen

    assert fit_to_screen(PREFERRED_SIZE, QtCore.QRect(0, 0, 1280, 720)) == (1280, 720)
    assert fit_to_screen(PREFERRED_SIZE, QtCore.QRect(0, 0, 1920, 1050)) == PREFERRED_SIZE


def test_6_usable_at_1280x720(qtbot, gl_ok, tmp_path):
    from fake_agent import write_fake_results

    agent = FakeAgent(results_dir=write_fake_results(tmp_path / "results"))
    win = _window(qtbot, agent)
    screen = QtWidgets.QApplication.primaryScreen().availableGeometry()
    # opens within the screen (a screen smaller than 1280x720 gets the smallest usable size)
    assert win.width() <= max(screen.width(), 1280) and win.height() <= max(screen.height(), 720)
    win.resize(1280, 720)
    win.generate("a person walks", 2.0)
    qtbot.waitUntil(lambda: len(win.player.layers) == 1, timeout=3000)
    for _ in range(5):
        win.router_panel.show_route(win.router_panel.bars.result, "walk")  # a full history strip
    qtbot.wait(100)
    assert (win.width(), win.height()) == (1280, 720)
    assert win.minimumSizeHint().width() <= 1280 and win.minimumSizeHint().height() <= 720
    assert win.player.slider.width() >= 150  # the scrub slider is not a stub
    assert win.player.view.height() >= 200
    # the router panel stays inside its dock: nothing covers the Router | Benchmark results tabs
    tabbars = [t for t in win.findChildren(QtWidgets.QTabBar) if t.isVisible() and t.count() == 2]
    assert tabbars
    tab_top = tabbars[0].mapTo(win, QtCore.QPoint(0, 0)).y()
    scroll = win.router_dock.widget()
    assert scroll.mapTo(win, QtCore.QPoint(0, scroll.height())).y() <= tab_top
    # the benchmark tab scales its figure to the space it has
    win.results_dock.raise_()
    qtbot.wait(100)
    image = win.results_view.currentWidget()
    assert image.pixmap().width() <= image.width() and image.pixmap().height() <= image.height()
    win.worker.stop()


# 7 -------------------------------------------------------------------------------------------
def test_7_ctrl_e_exports_while_typing_in_the_prompt(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "from_prompt.npy"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window.open_clip(_clip(tmp_path))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.prompt_panel.prompt.setFocus()
    qtbot.waitUntil(lambda: window.prompt_panel.prompt.hasFocus(), timeout=2000)
    qtbot.keyClicks(window.prompt_panel.prompt, "a person")
    qtbot.keyClick(window.prompt_panel.prompt, QtCore.Qt.Key.Key_E, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert out.exists()
    assert window.prompt_panel.prompt.text() == "a person"  # and typing is untouched
    qtbot.keyClick(window.prompt_panel.prompt, QtCore.Qt.Key.Key_Space)
    assert window.prompt_panel.prompt.text() == "a person "  # Space still types (it is no Ctrl shortcut)


# 8 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".npy", ".bvh"])
def test_8_exported_files_get_the_normal_mode(qtbot, window, tmp_path, suffix):
    old = os.umask(0o022)
    try:
        window.open_clip(_clip(tmp_path))
        out = tmp_path / f"out{suffix}"
        assert window.export(out), window.last_error
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


# 9 -------------------------------------------------------------------------------------------
def test_9_only_prompts_that_ran_go_into_the_history(qtbot, window):
    history = window.prompt_panel.history
    window.generate(LONG_PROMPT, 2.0)  # too long
    window.generate("   ", 2.0)  # empty
    window.generate("1234 5678", 2.0)  # no words
    qtbot.wait(200)
    assert history.count() == 0
    window.agent.generate = lambda *a, **k: (_ for _ in ()).throw(InputError("the model refused it"))
    with qtbot.waitSignal(window.worker.error, timeout=3000):
        window.generate("a person dances", 2.0)
    assert history.count() == 0
    del window.agent.generate  # back to the fake's own
    window.generate("a person waves", 2.0)
    qtbot.waitUntil(lambda: history.count() == 1, timeout=3000)
    assert history.item(0).text() == "a person waves"


# 10 ------------------------------------------------------------------------------------------
def test_10_learn_dialog_progress_cancel_and_summary(qtbot, window):
    window.agent.delay_s = 1.2
    dialog = window.learn_dialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("kicking")
    dialog.words.setText("kick kicks")
    qtbot.waitUntil(lambda: "14 clips match" in dialog.estimate_label.text(), timeout=3000)
    assert "corpus is prepared first" in dialog.estimate_label.text()
    steps = []
    window._learn_progress.connect(lambda info: steps.append(info))
    dialog.learn_button.click()
    assert window.learning == "kicking" and dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: any(s["stage"] == "train" and s["step"] >= 2 for s in steps), timeout=5000)
    assert dialog.progress.maximum() == 10 and dialog.progress.value() >= 2
    assert dialog.loss_label.text().startswith("loss ")
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: window.learning is None, timeout=5000)
    assert "cancelled" in dialog.summary.text() and dialog.summary.isVisible()
    assert window.learned is None and window.checkpoint is None  # nothing loaded

    window.agent.delay_s = 0.2
    dialog.learn_button.click()
    qtbot.waitUntil(lambda: window.learned is not None, timeout=5000)
    assert "Learned 'kicking' from 7 clips" in dialog.summary.text()
    qtbot.wait(300)  # the new checkpoint loads meanwhile; the summary stays
    assert dialog.summary.isVisible() and dialog.progress.value() == dialog.progress.maximum()


# 11 ------------------------------------------------------------------------------------------
def test_11_no_display_is_one_clear_line():
    from motion_studio.app.launch import NO_DISPLAY, display_problem

    assert display_problem({}, "linux") == NO_DISPLAY
    assert display_problem({"DISPLAY": ":0"}, "linux") == ""
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") == ""
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ""
    assert display_problem({}, "darwin") == ""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, str(REPO / "main.py")], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1
    lines = (out.stdout + out.stderr).strip().splitlines()
    assert lines == [NO_DISPLAY]


# 12 ------------------------------------------------------------------------------------------
def test_12_library_warnings_are_not_printed_our_own_are():
    code = ("import warnings, motion_studio.app.launch as L; L.quiet_library_warnings();"
            "warnings.warn_explicit('`is_gradient_checkpointing` is deprecated', FutureWarning,"
            " 'modeling_utils.py', 1, module='transformers.modeling_utils');"
            "warnings.warn_explicit('torch says so', UserWarning, 'x.py', 1, module='torch.nn.modules');"
            "warnings.warn_explicit('ours', FutureWarning, 'agent.py', 1, module='motion_studio.agent')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "deprecated" not in out.stderr and "torch says so" not in out.stderr
    assert "ours" in out.stderr


def test_12_run_app_quiets_them_before_loading(qtbot, gl_ok, tmp_path):
    import warnings

    from motion_studio.app.launch import run_app

    seen = {}

    def loader(c, d):
        seen["filtered"] = any(f[0] == "ignore" and f[2] is FutureWarning and f[3] is not None
                               and f[3].match("transformers.modeling_utils") for f in warnings.filters)
        return FakeAgent()
    with warnings.catch_warnings():
        assert run_app(["--screenshot", str(tmp_path / "s.png")], loader=loader) == 0
    assert seen["filtered"]


def test_3_chosen_name_and_large_ratios_fit_their_columns(qtbot):
    """The chosen row is bold ("> sitstand" was cut to "> sitst..." at 1280x720), and an unseen
    input's 379.60x was drawn as "79.60x" (the column cut its first digit)."""
    from PySide6 import QtGui

    from motion_studio.app.router_panel import RouterBars

    bars = RouterBars()
    qtbot.addWidget(bars)
    scores = [ExpertScore(n, n, r * 0.5, 0.5, w, r) for n, r, w in
              (("jumping", 10.93, 0.0), ("arms", 379.6, 0.0), ("sitstand", 0.04, 1.0))]
    bars.set_result(RouteResult("m2t", scores, "sitstand", False))
    bars.resize(245, bars.height())  # the router dock's width at 1280x720
    cols = bars.columns()
    assert cols["bar"].width() >= 40 and cols["weight"].right() <= 245
    bold = QtGui.QFont(bars.font())
    bold.setBold(True)
    assert QtGui.QFontMetrics(bold).horizontalAdvance("> sitstand") <= cols["name"].width()
    for shown in ("10.9\u00d7", "380\u00d7", "0.04\u00d7"):
        assert QtGui.QFontMetrics(bold).horizontalAdvance(shown) <= cols["ratio"].width()


def test_ratio_text_keeps_three_significant_figures():
    from motion_studio.app.router_panel import ratio_text

    assert [ratio_text(r) for r in (0.04, 1.7, 9.994, 10.93, 99.94, 379.6)] == \
        ["0.04\u00d7", "1.70\u00d7", "9.99\u00d7", "10.9\u00d7", "99.9\u00d7", "380\u00d7"]
