"""The command line: fast help, one-line errors with exit code 1, no tracebacks."""
import subprocess
import sys

import numpy as np

from motion_studio.cli import main


def _run(*args):
    return subprocess.run([sys.executable, "-m", "motion_studio.cli", *args],
                          capture_output=True, text=True, timeout=120)


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from motion_studio.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('torch','transformers','PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_every_command_has_help():
    for cmd in ["info", "convert", "corpus", "contact-sheet", "tasks", "generate", "caption",
                "route", "train", "bench"]:
        proc = _run(cmd, "--help")
        assert proc.returncode == 0, (cmd, proc.stderr)
        assert "usage: motion-studio" in proc.stdout


def test_info_on_garbage_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "clip.npy"
    bad.write_text("this is not a numpy file")
    assert main(["info", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("motion-studio: error:")
    assert "Traceback" not in err[0]


def test_info_on_missing_file(tmp_path, capsys):
    assert main(["info", str(tmp_path / "nope.npy")]) == 1
    assert "nope.npy" in capsys.readouterr().err


def test_info_prints_frames_and_seconds(tmp_path, capsys):
    from motion_studio.motion.skeleton import rest_pose

    joints = np.repeat(rest_pose()[None], 40, axis=0).astype(np.float32)
    joints[..., 1] -= joints[..., 1].min()
    path = tmp_path / "still.npy"
    np.save(path, joints)
    assert main(["info", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"frames": 40' in out and '"seconds": 2.0' in out
