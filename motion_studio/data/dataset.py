"""Read any HumanML3D-layout directory: the built-in corpus or the real HumanML3D.

    root/new_joint_vecs/ID.npy  (T, 263) features      root/new_joints/ID.npy  (T, 22, 3) joints
    root/texts/ID.txt           caption#tokens#start#end per line
    root/train.txt val.txt test.txt [all.txt]          root/Mean.npy Std.npy
    root/corpus.json            only in the built-in corpus: per-clip action / family / group

Arrays are loaded with allow_pickle=False; anything malformed raises MotionFileError with one line.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import MotionFileError
from ..motion.skeleton import FEATURE_DIM, FPS, N_JOINTS

SPLITS = ("train", "val", "test", "all")
MOTION_DIRS = ("new_joint_vecs", "new_joints")


@dataclass
class Caption:
    """One line of texts/ID.txt.

    HumanML3D's convention: start/end are seconds into the clip; 0.0/0.0 (or NaN) means the
    caption describes the whole clip, otherwise only frames [int(start*20), int(end*20)).
    """

    caption: str
    tokens: list[str] = field(default_factory=list)  # "word/POS" strings
    start: float = 0.0
    end: float = 0.0

    @property
    def whole_clip(self) -> bool:
        return self.start == 0.0 and self.end == 0.0

    def frames(self, n_frames: int) -> slice:
        """The frame range this caption describes in a clip of n_frames."""
        if self.whole_clip:
            return slice(0, n_frames)
        return slice(int(self.start * FPS), min(int(self.end * FPS), n_frames))


def parse_caption_line(line: str) -> Caption | None:
    """Parse "caption#tokens#start#end"; missing fields default; a blank line gives None."""
    line = line.strip()
    if not line:
        return None
    parts = line.split("#")
    caption = parts[0].strip()
    toks = parts[1].split() if len(parts) > 1 else []

    def num(i: int) -> float:
        try:
            v = float(parts[i]) if len(parts) > i else 0.0
        except ValueError:
            return 0.0
        return 0.0 if math.isnan(v) else v

    return Caption(caption=caption, tokens=toks, start=num(2), end=num(3))


def _read_npy(path: Path, missing: str = "") -> np.ndarray:
    """np.load without pickles; every failure is one MotionFileError line."""
    if not path.is_file():
        raise MotionFileError(f"{path} does not exist{missing}")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise MotionFileError(f"{path} is not a readable .npy array ({exc})") from None


def _load(path: Path, shape_tail: tuple[int, ...]) -> np.ndarray:
    arr = _read_npy(path)
    if arr.ndim != 1 + len(shape_tail) or tuple(arr.shape[1:]) != shape_tail:
        raise MotionFileError(f"{path} has shape {arr.shape}, expected (T, {', '.join(map(str, shape_tail))})")
    return arr.astype(np.float32, copy=False)


class MotionDataset:
    """Index of one HumanML3D-layout directory; loads clips on demand."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise MotionFileError(f"dataset directory {self.root} does not exist")
        self._motion_dirs = [d for d in MOTION_DIRS if (self.root / d).is_dir()]
        if not self._motion_dirs:
            raise MotionFileError(f"{self.root} has neither new_joint_vecs/ nor new_joints/ (not HumanML3D layout)")

    # ------------------------------------------------------------------ ids
    def _listed(self, split: str) -> list[str] | None:
        path = self.root / f"{split}.txt"
        if not path.is_file():
            return None
        return [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]

    def ids(self, split: str = "all") -> list[str]:
        """Clip ids of a split whose motion files exist. "all" falls back to the union of the
        splits, then to the files themselves (e.g. a folder of clips with no split lists)."""
        if split not in SPLITS:
            raise MotionFileError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
        listed = self._listed(split)
        if listed is None and split == "all":
            parts = [self._listed(s) for s in ("train", "val", "test")]
            if any(p is not None for p in parts):
                listed = sorted({i for p in parts if p for i in p})
            else:
                listed = sorted(p.stem for p in (self.root / self._motion_dirs[0]).glob("*.npy"))
        if listed is None:
            return []
        return [i for i in listed if all((self.root / d / f"{i}.npy").is_file() for d in self._motion_dirs)]

    # ------------------------------------------------------------------ clips
    def joints(self, clip_id: str) -> np.ndarray:
        """(T, 22, 3) float32 joint positions."""
        return _load(self.root / "new_joints" / f"{clip_id}.npy", (N_JOINTS, 3))

    def features(self, clip_id: str) -> np.ndarray:
        """(T, 263) float32 HumanML3D feature vectors."""
        return _load(self.root / "new_joint_vecs" / f"{clip_id}.npy", (FEATURE_DIM,))

    def texts(self, clip_id: str) -> list[Caption]:
        """Captions of a clip ([] when it has no text file)."""
        path = self.root / "texts" / f"{clip_id}.txt"
        if not path.is_file():
            return []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise MotionFileError(f"{path} is not UTF-8 text") from None
        return [c for c in (parse_caption_line(ln) for ln in lines) if c is not None]

    # ------------------------------------------------------------------ statistics / meta
    @cached_property
    def mean(self) -> np.ndarray:
        return _load_vector(self.root / "Mean.npy")

    @cached_property
    def std(self) -> np.ndarray:
        return _load_vector(self.root / "Std.npy")

    @cached_property
    def corpus_info(self) -> dict | None:
        """corpus.json of the built-in corpus (None for other datasets)."""
        path = self.root / "corpus.json"
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text())
        except ValueError as exc:
            raise MotionFileError(f"{path} is not valid JSON ({exc})") from None

    def meta(self, clip_id: str) -> dict | None:
        """{"action", "family", "group", "seconds", ...} from corpus.json, or None."""
        info = self.corpus_info
        if not info:
            return None
        return info.get("clips_meta", {}).get(clip_id)


def _load_vector(path: Path) -> np.ndarray:
    arr = _read_npy(path, " (the dataset has no normalisation statistics)")
    if arr.shape != (FEATURE_DIM,):
        raise MotionFileError(f"{path} has shape {arr.shape}, expected ({FEATURE_DIM},)")
    return arr.astype(np.float32, copy=False)
