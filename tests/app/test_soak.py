"""Soak: 1,000 rapid prompt edits and 100 clip loads, mixed with hard/soft and the expert override,
against the fake agent. No crash, no exception, what is shown always belongs to the latest input,
memory growth printed (target < 50 MB). Runs in well under a minute."""
from __future__ import annotations

import gc
import logging
import os
import random
import time

import numpy as np
from PySide6 import QtCore, QtWidgets

from fake_agent import FIXED_CAPTION, FakeAgent, fake_motion

WORDS = ("walk", "run", "wave", "clap", "kick", "jump", "juggle", "sit", "spin", "point", "throw", "dance")
N_EDITS, N_CLIPS = 1000, 100


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_soak_rapid_edits_clip_loads_and_toggles(qtbot, window, tmp_path, capfd, caplog):
    caplog.set_level(logging.WARNING)
    rng = random.Random(12)
    clips = []
    for i, prompt in enumerate(("walk", "wave", "run", "stand")):
        path = tmp_path / f"soak{i}.npy"
        np.save(path, fake_motion(prompt, 1.5 + 0.5 * i).joints)
        clips.append(path)
    panel, router = window.prompt_panel, window.router_panel
    edit = panel.prompt
    shown = []  # every route the panel showed: (query label, result)
    original_show = router.show_route

    def record(result, query="", remember=True):
        shown.append((query, result))
        original_show(result, query, remember)
    router.show_route = record
    latest = {"kind": None, "value": None}

    def settle() -> None:
        """Wait until every request has been answered, then check the panel shows the latest input."""
        def idle():
            return (not window.route_timer.isActive() and not window.worker._pending
                    and window.busy_label.text() == "")
        qtbot.waitUntil(idle, timeout=5000)
        qtbot.wait(5)
        qtbot.waitUntil(idle, timeout=5000)
        if latest["kind"] == "text":
            text = latest["value"]
            if not text.strip():
                assert "Not routed" in router.decision.text()
                return
            query, result = shown[-1]
            assert query == text, (query, text)
            expect = FakeAgent().route(text, window.settings())
            assert (result.chosen, result.unseen, result.mode, result.forced) == \
                   (expect.chosen, expect.unseen, expect.mode, expect.forced)
            assert router.query_label.text() == f"for: {text}"
        elif latest["kind"] == "clip":
            name = latest["value"]
            assert window.player.layers[0].motion.name == name
            assert shown[-1][0] == f"clip {name}"
            assert FIXED_CAPTION in window.clip_browser.caption_text() and name in window.clip_browser.caption_text()

    # warm up (first GL items, fonts, caches), then measure
    for path in clips:
        window.open_clip(path)
    latest.update(kind="clip", value=clips[-1].stem)
    settle()
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()

    text, clip_loads, toggles = "", 0, 0
    for i in range(N_EDITS):
        r = rng.random()
        if r < 0.7 or not text:
            text += rng.choice(("a ", "person ", "")) + rng.choice(WORDS) + " "
        elif r < 0.9:
            text = text[:-rng.randint(1, min(6, len(text)))]
        else:
            text = ""
        edit.setText(text)
        edit.textEdited.emit(text)  # what a keystroke does
        latest.update(kind="text", value=text)
        if i % 10 == 9 and clip_loads < N_CLIPS:
            path = clips[clip_loads % len(clips)]
            assert window.open_clip(path)
            latest.update(kind="clip", value=path.stem)
            clip_loads += 1
        if i % 37 == 0:
            router.mode_box.setCurrentIndex(1 - router.mode_box.currentIndex())
            toggles += 1
        if i % 53 == 0:
            router.force_box.setCurrentIndex(rng.randrange(router.force_box.count()))
            toggles += 1
        if i % 3 == 0:
            QtWidgets.QApplication.processEvents()
        if i % 50 == 49:
            settle()
    settle()
    seconds = time.perf_counter() - started
    router.show_route = original_show
    gc.collect()
    QtWidgets.QApplication.processEvents()
    growth = rss_mb() - before
    out = capfd.readouterr()
    with capfd.disabled():  # the report shows in every run, captured or not
        print(f"\nsoak: {N_EDITS} edits, {clip_loads} clip loads, {toggles} toggles in {seconds:.1f} s; "
              f"{len(shown)} routes shown; memory growth {growth:+.1f} MB (RSS {rss_mb():.0f} MB)")

    assert clip_loads == N_CLIPS
    assert "Traceback" not in out.err and "Error" not in out.err, out.err[-2000:]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert growth < 50, f"memory grew {growth:.1f} MB"
    assert seconds < 60
