"""A distribution-shifted test set: held-out corpus clips as other tools' BVH files, imported back.

Real motion capture differs from the corpus in skeleton, units, up axis, frame rate, speed, length,
placement and jitter. For each held-out clip this builds one such file and reads it back through
the normal import path (`formats.load_motion`, so retargeting runs), the way a user's file would
come in:

- proportions of another body (`augment.BODIES`: CMU-like or Mixamo-like) and that rig's joint names;
- that rig's conventions: CMU-like in CMU's ASF length unit (1/0.45 inch), Y up, 60 fps; Mixamo-like
  in centimetres, Z up (as Blender exports it), 30 fps;
- time-warped by a factor in 0.7-1.3, cropped to 1-2 s (a whole number of the rig's frames), turned and moved on the floor at random,
  with Gaussian jitter on every joint (1 cm by default) at the rig's frame rate.

No model code here: the caller routes or captions the returned motions and scores them by label.
"""
from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..motion.augment import add_noise, crop, reproportion, time_warp
from ..motion.bvh_read import UNITS
from ..motion.bvh_write import write_bvh
from ..motion.formats import load_motion
from ..motion.retarget import resample
from ..motion.skeleton import FPS


@dataclass(frozen=True)
class Rig:
    """How another tool would write the clip: body proportions, joint names, units, up axis, fps."""

    body: str
    names: str
    units_per_m: float
    up: str
    fps: float


RIGS: dict[str, Rig] = {
    "cmu": Rig(body="cmu", names="cmu", units_per_m=1.0 / UNITS["cmu"], up="Y", fps=60.0),
    "mixamo": Rig(body="mixamo", names="mixamo", units_per_m=100.0, up="Z", fps=30.0),
}


def _yaw(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name))[:60] or "clip"


def build_shifted_set(
    clips: Sequence[tuple[str, np.ndarray, Any]],
    rng_seed: int,
    *,
    rigs: Sequence[str] = ("cmu", "mixamo"),
    warp: tuple[float, float] = (0.7, 1.3),
    seconds: tuple[float, float] = (1.0, 2.0),
    noise_m: float = 0.01,
    out_dir: str | Path | None = None,
) -> list[dict[str, Any]]:
    """One shifted, re-imported Motion per (clip_id, joints (T,22,3) at 20 fps, label), in order.

    Clip i goes out on rig `rigs[i % len(rigs)]`. Each dict holds "clip_id", "label", "motion" (the
    imported Motion: retargeted joints plus `original_joints` as the file had them), "rig",
    "time_warp", "crop_start" and "frames" (in warped 20 fps frames), "yaw", "noise_m", "source_fps",
    and "path": the BVH written, kept under `out_dir` when given (else None: a temporary folder,
    removed afterwards). The same seed gives the same set. A clip shorter than the shortest window
    after warping raises ValueError.
    """
    unknown = [r for r in rigs if r not in RIGS]
    if unknown or not rigs:
        raise ValueError(f"unknown rig(s) {unknown}; use some of: {', '.join(RIGS)}")
    lo_frames, hi_frames = math.ceil(seconds[0] * FPS - 1e-9), math.floor(seconds[1] * FPS + 1e-9)
    if not 2 <= lo_frames <= hi_frames:
        raise ValueError(f"window of {seconds[0]}-{seconds[1]} s is not a range of at least 2 frames")
    rng = np.random.default_rng(rng_seed)
    keep = out_dir is not None
    with tempfile.TemporaryDirectory(prefix="shifted-") as tmp:
        folder = Path(out_dir) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        out: list[dict[str, Any]] = []
        for i, (clip_id, joints, label) in enumerate(clips):
            rig_name = rigs[i % len(rigs)]
            rig = RIGS[rig_name]
            factor = float(rng.uniform(*warp))
            warped = time_warp(joints, factor)
            if len(warped) < lo_frames:
                raise ValueError(f"clip {clip_id}: {len(warped)} frames after a {factor:.2f}x time warp; "
                                 f"the window needs {lo_frames}")
            # Window lengths whose duration is a whole number of the rig's frames, so that the file
            # holds exactly the window and the import gives back `length` frames at 20 fps.
            step = Fraction(rig.fps / FPS).limit_denominator(1000).denominator
            lengths = [n for n in range(lo_frames, min(hi_frames, len(warped)) + 1) if (n - 1) % step == 0]
            if not lengths:
                raise ValueError(f"clip {clip_id}: {len(warped)} frames after a {factor:.2f}x time warp; "
                                 f"no window of {seconds[0]}-{seconds[1]} s fits {rig.fps:g} fps exactly")
            length = int(rng.choice(lengths))
            start = int(rng.integers(0, len(warped) - length + 1))
            window = reproportion(crop(warped, start, length), rig.body)
            yaw = float(rng.uniform(-math.pi, math.pi))
            shift = np.array([rng.uniform(-3.0, 3.0), 0.0, rng.uniform(-3.0, 3.0)])
            placed = np.einsum("ij,ftj->fti", _yaw(yaw), window - window[:1, :1] * [1.0, 0.0, 1.0]) + shift
            captured = add_noise(resample(placed, FPS, rig.fps), rng, noise_m)
            path = folder / f"{i:04d}_{_safe(clip_id)}_{rig_name}.bvh"
            write_bvh(captured, path, fps=rig.fps, names=rig.names, units_per_m=rig.units_per_m, up=rig.up)
            motion = load_motion(path)
            out.append({
                "clip_id": clip_id, "label": label, "motion": motion, "rig": rig_name,
                "time_warp": factor, "crop_start": start, "frames": length, "yaw": yaw,
                "noise_m": float(noise_m), "source_fps": rig.fps, "path": path if keep else None,
            })
    return out
