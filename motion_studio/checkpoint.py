"""Checkpoint folders: where the default lives, the manifest with sha256 hashes, and its check.

A checkpoint is a plain folder (safetensors, peft adapter folders, JSON configs) plus
`manifest.json`; loading refuses a folder whose files are missing or whose hashes differ,
so a half-copied or edited checkpoint fails with one clear line instead of odd outputs.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import CheckpointError

MANIFEST = "manifest.json"
REPO_ROOT = Path(__file__).resolve().parents[1]

# Parts every agent checkpoint holds (relative paths); experts are listed in the manifest.
REQUIRED = ("vqvae", "backbone", "tasks.json", "router_t2m.safetensors", "router_m2t.safetensors")


def user_home() -> Path:
    """The user's Motion Studio folder: generated corpora, caches, learned checkpoints.
    $MOTION_STUDIO_HOME, default ~/.motion-studio; never the repo or site-packages."""
    return Path(os.environ.get("MOTION_STUDIO_HOME") or Path.home() / ".motion-studio")


def _installed_dir(package: str) -> Path | None:
    """Folder of a data-only package installed beside motion_studio (see setup.py), if any."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def checkpoint_candidates() -> list[tuple[str, Path]]:
    """Where the default checkpoint is looked for, in order (the first with a manifest wins):
    $MOTION_STUDIO_CHECKPOINT, the source checkout's checkpoints/default, the installed copy."""
    out = []
    env = os.environ.get("MOTION_STUDIO_CHECKPOINT")
    if env:
        out.append(("$MOTION_STUDIO_CHECKPOINT", Path(env)))
    out.append(("source checkout", REPO_ROOT / "checkpoints" / "default"))
    installed = _installed_dir("motion_studio_model")
    if installed is not None:
        out.append(("installed package", installed / "default"))
    return out


def default_checkpoint_dir() -> Path:
    """The first candidate that holds a manifest; else a CheckpointError that lists every place tried."""
    candidates = checkpoint_candidates()
    if os.environ.get("MOTION_STUDIO_CHECKPOINT"):
        return candidates[0][1]  # an explicit choice is used as it is (and fails loudly if wrong)
    for _, path in candidates:
        if (path / MANIFEST).is_file():
            return path
    tried = "; ".join(f"{label}: {path}" for label, path in candidates)
    raise CheckpointError(f"no default checkpoint found (looked in {tried}); pass --checkpoint DIR, set "
                          f"MOTION_STUDIO_CHECKPOINT, or rebuild it with `motion-studio train --preset default`")


def asset_path(name: str) -> Path:
    """A file of the repo's assets/ folder, from a source checkout or the installed copy."""
    local = REPO_ROOT / "assets" / name
    if local.exists():
        return local
    installed = _installed_dir("motion_studio_assets")
    return installed / name if installed is not None else local


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def list_files(root: Path) -> list[Path]:
    """Every file under root except the manifest itself, sorted for stable manifests."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def write_manifest(root: str | Path, info: dict) -> Path:
    """Hash every file of the checkpoint and write manifest.json = info + {"files": {...}}."""
    root = Path(root)
    files = {
        p.relative_to(root).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in list_files(root)
    }
    manifest = dict(info)
    manifest["files"] = files
    manifest["total_bytes"] = sum(f["bytes"] for f in files.values())
    path = root / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    return path


def read_manifest(root: str | Path) -> dict:
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise CheckpointError(
            f"{root}: no {MANIFEST}; not a Motion Studio checkpoint "
            "(build one with `motion-studio train --preset default --out checkpoints/default`)"
        )
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: unreadable manifest ({exc.__class__.__name__})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise CheckpointError(f"{path}: manifest has no file list")
    return manifest


def verify_checkpoint(root: str | Path) -> dict:
    """Return the manifest if every listed file exists with its recorded hash; else CheckpointError."""
    root = Path(root)
    if not root.is_dir():
        raise CheckpointError(
            f"checkpoint folder {root} does not exist "
            "(build one with `motion-studio train --preset default --out checkpoints/default`)"
        )
    manifest = read_manifest(root)
    files = manifest["files"]
    for rel in REQUIRED:
        if not any(name == rel or name.startswith(rel + "/") for name in files):
            raise CheckpointError(f"{root}: checkpoint lacks {rel}")
    for rel, entry in files.items():
        path = root / rel
        if not path.is_file():
            raise CheckpointError(f"{root}: missing file {rel} (listed in the manifest)")
        if sha256_file(path) != entry.get("sha256"):
            raise CheckpointError(f"{root}: {rel} does not match its sha256 in the manifest (corrupt or edited)")
    return manifest


def checkpoint_corpus(root: str | Path, recorded: str | Path, progress: bool = True) -> Path:
    """The corpus a checkpoint was trained on: the recorded folder when it exists; else, for the
    built-in corpus, regenerate it (deterministic from seed and size) in the user's folder
    (`user_home()/corpora`) and return that. Library code prints nothing: progress bars only."""
    recorded = Path(recorded)
    if recorded.is_dir():
        return recorded
    manifest = read_manifest(root)
    corpus = manifest.get("corpus") or {}
    if corpus.get("source") != "built-in" or not corpus.get("clips"):
        raise CheckpointError(f"the checkpoint's data {recorded} is not on this machine")
    version = corpus.get("generator_version", 1)
    from .data.corpus.writer import VERSION

    if version != VERSION:
        raise CheckpointError(f"the checkpoint was trained on built-in corpus v{version}, but this version "
                              f"generates v{VERSION}; pass --data with the original corpus folder")
    out = user_home() / "corpora" / f"builtin-v{version}-seed{corpus['seed']}-{corpus['clips']}"
    if not (out / "corpus.json").exists():
        from .data.corpus import generate_corpus

        generate_corpus(out, n_clips=int(corpus["clips"]), seed=int(corpus["seed"]), workers=2, progress=progress)
    return out
