"""`motion-studio app ...` takes exactly the options of `python main.py` (they used to be rejected)."""
import pytest

from motion_studio.cli import main


def test_cli_app_passes_every_option_to_the_app(qtbot, gl_ok, smoke_checkpoint, tmp_path):
    out = tmp_path / "shot.png"
    code = main(["app", "--checkpoint", str(smoke_checkpoint), "--device", "cpu", "--screenshot", str(out),
                 "--prompt", "a person waves", "--seconds", "2"])
    assert code == 0 and out.stat().st_size > 10_000


def test_cli_app_help_is_the_app_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["app", "--help"])
    assert exc.value.code == 0
    assert "--screenshot" in capsys.readouterr().out
