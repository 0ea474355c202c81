"""Reading and writing motion files for the app, through motion_studio.motion.formats.

Until that module is importable, a minimal joints-only .npy reader/writer stands in, with the
same one-line MotionFileError for bad input.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..errors import MotionFileError
from ..motion.motion import Motion
from ..motion.skeleton import N_JOINTS

OPEN_FILTER = "Motion files (*.npy *.bvh);;All files (*)"


def _formats():
    try:
        from ..motion import formats
    except ImportError:
        return None
    return formats if hasattr(formats, "load_motion") else None


def open_motion(path: str | Path) -> Motion:
    """Load a .npy (joints or 263-dim features) or .bvh file; MotionFileError on anything bad."""
    path = Path(path)
    fmt = _formats()
    if fmt is not None:
        try:
            return fmt.load_motion(path)
        except MotionFileError:
            raise
        except Exception as exc:  # the loader should not do this; keep the app alive anyway
            raise MotionFileError(f"Could not read {path.name}: {exc}") from exc
    return _load_joints_npy(path)


def _load_joints_npy(path: Path) -> Motion:
    if not path.is_file():
        raise MotionFileError(f"No such file: {path}")
    if path.suffix.lower() != ".npy":
        raise MotionFileError(f"{path.name}: only .npy joint files can be read in this build")
    try:
        joints = np.load(path, allow_pickle=False)
    except Exception as exc:
        raise MotionFileError(f"{path.name} is not a readable .npy array ({exc.__class__.__name__})") from exc
    if joints.ndim != 3 or joints.shape[1:] != (N_JOINTS, 3) or len(joints) < 2:
        raise MotionFileError(f"{path.name}: expected joints of shape (T, {N_JOINTS}, 3), got {joints.shape}")
    if not np.isfinite(joints).all():
        raise MotionFileError(f"{path.name} contains NaN or infinite values")
    return Motion(joints=joints, name=path.stem, source=str(path))


def normal_file_mode() -> int:
    """The mode a new file gets from open(): 0o666 less the umask (e.g. 0o644)."""
    try:  # Linux: read it without changing it (os.umask is process-wide, threads may be writing)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def give_normal_mode(path: str | Path) -> None:
    """A file written through a temporary file (mkstemp: 0o600) gets the mode any new file gets."""
    try:
        os.chmod(path, normal_file_mode())
    except OSError:
        pass


def save_motion_file(motion: Motion, path: str | Path) -> None:
    """Write .npy (joints) or .bvh via the formats module; .npy works without it. The file gets
    the normal mode for the user's umask, not the temporary file's 0o600."""
    path = Path(path)
    fmt = _formats()
    if fmt is not None and hasattr(fmt, "save_motion"):
        fmt.save_motion(motion, path)
        give_normal_mode(path)
        return
    if path.suffix.lower() != ".npy":
        raise MotionFileError(f"Saving {path.suffix} is not available in this build; save as .npy")
    try:
        np.save(path, motion.joints)
    except OSError as exc:
        raise MotionFileError(f"Could not write {path}: {exc.strerror}") from exc
