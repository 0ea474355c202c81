"""The app on a real (tiny) checkpoint, as `motion-studio app --screenshot --prompt` runs it."""
from motion_studio.app.launch import run_app


def test_screenshot_mode_with_real_checkpoint(qtbot, gl_ok, smoke_checkpoint, tmp_path):
    out = tmp_path / "shot.png"
    code = run_app(["--checkpoint", str(smoke_checkpoint), "--device", "cpu",
                    "--prompt", "a person waves", "--seconds", "2", "--screenshot", str(out)])
    assert code == 0
    from PySide6 import QtGui

    image = QtGui.QImage(str(out))
    assert image.width() > 600 and image.height() > 400
    # not a blank grab: the window has many distinct colours (text, bars, the skeleton)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20


def test_missing_checkpoint_still_opens(qtbot, gl_ok, tmp_path):
    out = tmp_path / "shot.png"
    code = run_app(["--checkpoint", str(tmp_path / "nowhere"), "--screenshot", str(out)])
    assert code == 1  # the load failed, said so in the window, and the screenshot shows it
    assert out.exists()
