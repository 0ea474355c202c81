"""Export the current motion: .npy / .bvh through the motion formats, .gif / .mp4 as rendered video.

Video frames come from a hidden GL player (renderToArray works on a never-shown widget), so an
export does not disturb what the user is looking at.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import MotionFileError
from ..motion.motion import Motion
from .motion_io import save_motion_file

EXPORT_FILTER = "Joints (*.npy);;BVH (*.bvh);;Animated GIF (*.gif);;MP4 video (*.mp4)"
VIDEO_SUFFIXES = (".gif", ".mp4")


def render_frames(motions: list[tuple[Motion, str]], size: tuple[int, int] = (480, 360)) -> list[np.ndarray]:
    """RGB frames (h, w, 3) uint8 of these motions played side by side, one per motion frame."""
    from .player import PlayerWidget

    player = PlayerWidget()
    player.follow_box.setChecked(True)
    player.set_motions(motions, play=False)
    frames = []
    for f in range(player.n_frames):
        player.set_frame(f)
        frames.append(player.render_frame(*size))
    player.deleteLater()
    return frames


def export_motion(motions: list[tuple[Motion, str]], path: str | Path) -> Path:
    """Write the first motion as .npy/.bvh, or all shown motions as a .gif/.mp4 video."""
    path = Path(path)
    if not motions:
        raise MotionFileError("Nothing to export: load or generate a motion first")
    suffix = path.suffix.lower()
    if suffix in (".npy", ".bvh"):
        save_motion_file(motions[0][0], path)
        return path
    if suffix not in VIDEO_SUFFIXES:
        raise MotionFileError(f"Unknown export type {path.suffix!r}: use .npy, .bvh, .gif or .mp4")
    import imageio.v2 as imageio

    fps = float(motions[0][0].fps)
    frames = render_frames(motions)
    try:
        if suffix == ".gif":
            imageio.mimsave(path, frames, duration=1000.0 / fps, loop=0)
        else:
            imageio.mimsave(path, frames, fps=fps, codec="libx264", macro_block_size=8)
    except OSError as exc:
        raise MotionFileError(f"Could not write {path}: {exc}") from exc
    return path
