"""Where things live on disk: the source checkout, the installed data packages, the user's folder.

The lowest layer (no imports from the package), so data, models and training can all ask.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


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


def asset_path(name: str) -> Path:
    """A file of the repo's assets/ folder, from a source checkout or the installed copy."""
    local = REPO_ROOT / "assets" / name
    if local.exists():
        return local
    installed = _installed_dir("motion_studio_assets")
    return installed / name if installed is not None else local
