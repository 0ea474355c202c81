"""Motion files in and out: HumanML3D .npy (joints or 263-dim vectors) and .bvh, validated.

Every way a file can be wrong ends in a `MotionFileError` whose message is one line naming the
file and what is wrong with it; nothing else escapes for a bad file. Arrays are read with
`allow_pickle=False`: a .npy file can carry pickled Python objects, and loading those runs code.

Loading retargets by default (`retarget.retarget`): real capture comes in other proportions, frame
rates and placements, and the models only know HumanML3D's one skeleton. The file's own joints stay
on the Motion as `original_joints`. Files are written with the usual mode (0o666 less the umask).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, MotionFileError
from .motion import Motion
from .retarget import resample
from .retarget import retarget as retarget_joints
from .skeleton import FEATURE_DIM, FPS, N_JOINTS, body_height

__all__ = ["body_height", "convert", "describe", "load_motion", "path_length", "save_motion"]

MIN_FRAMES = 2
MAX_FRAMES = int(10 * 60 * FPS)  # ten minutes at 20 fps
# Skeleton height (see `skeleton.body_height`): HumanML3D's skeleton measures 1.47 m. Outside this range the
# numbers are not a person in metres (a collapsed body, or a file in centimetres).
MIN_HEIGHT_M, MAX_HEIGHT_M = 0.4, 3.0
MAX_COORD_M = 10_000.0  # nobody walks 10 km in ten minutes
KINDS = ("joints", "vecs", "bvh")
_NPY_MAGIC = b"\x93NUMPY"
# Features loaded from a file are kept when retargeting moves no joint further than this (metres);
# otherwise they describe the file's skeleton, not the Motion's joints, and are dropped.
FEATURES_KEEP_TOL_M = 1e-3


def path_length(joints: np.ndarray) -> float:
    """Distance the root travels over the ground (xz), metres."""
    root = np.asarray(joints, dtype=np.float64)[:, 0, [0, 2]]
    return float(np.linalg.norm(np.diff(root, axis=0), axis=-1).sum())


# ---------------------------------------------------------------- loading

def _fail(path: Path, message: str) -> MotionFileError:
    return MotionFileError(f"{path.name}: {message}")


def _check_path(path: str | os.PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise _fail(path, "no such file")
    if not path.is_file():
        raise _fail(path, "is not a file")
    if path.suffix.lower() not in (".npy", ".bvh"):
        raise _fail(path, f"unknown motion format '{path.suffix or '(no extension)'}'; use .npy or .bvh")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise _fail(path, "the file is empty")
    return path


def _read_npy(path: Path) -> np.ndarray:
    try:
        with path.open("rb") as fh:
            magic = fh.read(len(_NPY_MAGIC))
            if magic != _NPY_MAGIC:
                raise _fail(path, "is not a NumPy .npy file")
            fh.seek(0)
            array = np.load(fh, allow_pickle=False)
    except MotionFileError:
        raise
    except ValueError as exc:
        if "pickle" in str(exc).lower() or "object" in str(exc).lower():
            raise _fail(path, "holds Python objects (pickled data), which are never loaded for safety") from None
        raise _fail(path, "the file is damaged or truncated") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from None
    except Exception:  # numpy parses the header with Python's tokenizer: a damaged one raises anything
        raise _fail(path, "the file is damaged or truncated") from None
    if not isinstance(array, np.ndarray):
        raise _fail(path, "is not a single NumPy array")
    if array.dtype.kind not in "fiu":
        raise _fail(path, f"expected numbers, got dtype {array.dtype}")
    return array


def _check_frames(path: Path, n_frames: int) -> None:
    if n_frames < MIN_FRAMES:
        raise _fail(path, f"has {n_frames} frame{'s' if n_frames != 1 else ''}; a motion needs at least {MIN_FRAMES}")
    if n_frames > MAX_FRAMES:
        raise _fail(path, f"has {n_frames} frames; the limit is {MAX_FRAMES} (10 minutes at {FPS:g} fps)")


def _check_body(path: Path, joints: np.ndarray, fmt: str) -> None:
    hint = "; are the vectors normalised?" if fmt == "humanml3d-vecs" else ""
    if not np.isfinite(joints).all():
        raise _fail(path, f"the joint positions contain NaN or infinite values{hint}")
    height = body_height(joints)
    if not MIN_HEIGHT_M <= height <= MAX_HEIGHT_M:
        if not hint and MIN_HEIGHT_M <= height * 0.01 <= MAX_HEIGHT_M:
            hint = "; is it in centimetres?"
        raise _fail(path, f"the body is {height:.3g} m tall along its bones; expected a person in metres "
                          f"({MIN_HEIGHT_M:g}-{MAX_HEIGHT_M:g} m){hint}")
    if np.abs(joints).max() > MAX_COORD_M:
        raise _fail(path, f"joint positions reach {np.abs(joints).max():.3g} m; expected metres near the origin")


def _classify(path: Path, array: np.ndarray) -> str:
    if array.ndim == 3 and array.shape[1:] == (N_JOINTS, 3):
        return "humanml3d-joints"
    if array.ndim == 2 and array.shape[1] == FEATURE_DIM:
        return "humanml3d-vecs"
    raise _fail(path, f"expected joints (T,{N_JOINTS},3) or features (T,{FEATURE_DIM}), got {tuple(array.shape)}")


def _motion_name(path: Path) -> str:
    name = path.name
    for suffix in (".vecs.npy", ".npy", ".bvh"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _load(path: str | os.PathLike, fps: float | None = None,
          retarget: bool = True) -> tuple[Motion, dict[str, Any]]:
    path = _check_path(path)
    info: dict[str, Any] = {}
    if fps is not None and not (np.isfinite(fps) and 1.0 <= fps <= 1000.0):
        raise InputError(f"frame rate {fps} is not plausible; use 1-1000 fps")
    if path.suffix.lower() == ".bvh":
        from .bvh_read import read_bvh  # only BVH users pay for the parser

        original, info = read_bvh(path, canonical=False)  # metres, Y up, 20 fps; the file's placement
        fmt, features = "bvh", None
    else:
        array = _read_npy(path)
        fmt = _classify(path, array)
        _check_frames(path, len(array))
        if not np.isfinite(array).all():
            raise _fail(path, "contains NaN or infinite values")
        if fmt == "humanml3d-vecs":
            from .features import features_to_joints

            features = array.astype(np.float32)
            original = features_to_joints(features)
        else:
            features = None
            original = resample(array.astype(np.float64), float(fps or FPS), FPS).astype(np.float32)
            if fps is not None:
                info["source_fps"] = float(fps)
    _check_frames(path, len(original))
    _check_body(path, original, fmt)
    original = np.asarray(original, dtype=np.float32)
    joints = retarget_joints(original, FPS) if retarget else original.copy()
    if not np.isfinite(joints).all():
        raise _fail(path, "the body cannot be put on the reference skeleton (its hips and shoulders "
                          "give no facing direction)")
    if features is not None and np.abs(joints - original).max() > FEATURES_KEEP_TOL_M:
        features = None
    motion = Motion(joints=joints, fps=FPS, name=_motion_name(path), source=str(path), features=features,
                    original_joints=original)
    info["format"] = fmt
    info["retargeted"] = retarget
    return motion, info


def load_motion(path: str | os.PathLike, *, fps: float | None = None, retarget: bool = True) -> Motion:
    """Read a motion file (.npy joints (T,22,3), .npy features (T,263), or .bvh) as a 20 fps Motion.

    The joints are retargeted onto the reference skeleton (floor at y=0, facing +Z from the origin)
    unless `retarget=False`; `Motion.original_joints` keeps them as the file had them (resampled to
    20 fps). `fps` is the frame rate of a .npy joints file (default 20); a BVH carries its own and
    263-dim vectors are 20 fps by definition. Vectors are kept only while retargeting leaves their
    joints in place (within 1 mm), as it does for HumanML3D's own files.

    Raises MotionFileError with one readable line for anything wrong with the file.
    """
    return _load(path, fps=fps, retarget=retarget)[0]


# ---------------------------------------------------------------- saving

def _resolve_kind(path: Path, kind: str | None) -> str:
    if kind is not None:
        if kind not in KINDS:
            raise InputError(f"unknown motion kind '{kind}'; use one of: {', '.join(KINDS)}")
        return kind
    suffix = path.suffix.lower()
    if suffix == ".bvh":
        return "bvh"
    if suffix == ".npy":
        if path.name.lower().endswith(".vecs.npy") or path.parent.name == "new_joint_vecs":
            return "vecs"
        return "joints"
    raise MotionFileError(f"{path.name}: unknown motion format '{path.suffix or '(no extension)'}'; use .npy or .bvh")


def _vectors_of(motion: Motion) -> np.ndarray:
    """The 263-dim vectors: the stored ones when they match the joints, else computed (T-1 rows)."""
    if motion.features is not None and len(motion.features) == motion.n_frames:
        return np.asarray(motion.features, dtype=np.float32)
    from .features import joints_to_features

    return joints_to_features(motion.joints)


def _create_beside(path: Path) -> str:
    """Create an empty hidden file next to `path`, mode 0o666 less the umask (as open() would make it;
    tempfile.mkstemp would give 0o600, which os.replace then carries over to the real file)."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name beside {path.name}")


def save_motion(motion: Motion, path: str | os.PathLike, kind: str | None = None) -> Path:
    """Write a motion; the kind follows the name unless given.

    `.npy` holds joints (T,22,3), or the 263-dim vectors when kind="vecs", the name ends in `.vecs.npy`
    or the folder is `new_joint_vecs`; `.bvh` writes a BVH. float32. The file appears complete or not
    at all (written beside it, then renamed). Returns the path written.
    """
    path = Path(path)
    kind = _resolve_kind(path, kind)
    if kind in ("joints", "vecs") and path.suffix.lower() != ".npy":
        raise InputError(f"{path.name}: kind '{kind}' is written as .npy")
    if kind == "bvh" and path.suffix.lower() != ".bvh":
        raise InputError(f"{path.name}: kind 'bvh' is written as .bvh")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _create_beside(path)
        try:
            if kind == "bvh":
                from .bvh_write import write_bvh

                write_bvh(motion.joints, tmp, fps=motion.fps)
            else:
                array = motion.joints if kind == "joints" else _vectors_of(motion)
                with open(tmp, "wb") as fh:
                    np.save(fh, np.asarray(array, dtype=np.float32), allow_pickle=False)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise MotionFileError(f"{path.name}: cannot be written ({exc.strerror or exc})") from None
    return path


def convert(src: str | os.PathLike, dst: str | os.PathLike, kind: str | None = None) -> Path:
    """Read any motion file and write it in the format `dst` (and `kind`) asks for."""
    return save_motion(load_motion(src), dst, kind=kind)


def describe(path: str | os.PathLike) -> dict[str, Any]:
    """What `motion-studio info` prints: format, length, size of the body, distance travelled.

    Height and distance are the file's own (before retargeting), the length is at 20 fps."""
    motion, info = _load(path)
    info.pop("retargeted", None)
    out: dict[str, Any] = {
        "path": str(path),
        "format": info.pop("format"),
        "frames": motion.n_frames,
        "seconds": round(motion.seconds, 3),
        "fps": motion.fps,
        "joints": N_JOINTS,
        "height_m": round(body_height(motion.original_joints), 3),
        "distance_m": round(path_length(motion.original_joints), 3),
        "has_features": motion.features is not None,
    }
    out.update({f"bvh_{k}": v for k, v in info.items() if k != "mapped"})  # the mapping is read_bvh's detail
    return out
