"""The manifest catches missing, edited and absent checkpoints with one clear error."""
import hashlib
import json

import pytest

from motion_studio.checkpoint import REQUIRED, verify_checkpoint, write_manifest
from motion_studio.errors import CheckpointError


def _fake_checkpoint(root):
    for rel in REQUIRED:
        path = root / rel
        if "." in rel:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(rel.encode())
        else:
            path.mkdir(parents=True, exist_ok=True)
            (path / "weights.bin").write_bytes(b"\x00\x01" * 10)
    write_manifest(root, {"name": "test"})
    return root


def test_manifest_hashes_are_real_sha256(tmp_path):
    root = _fake_checkpoint(tmp_path)
    manifest = json.loads((root / "manifest.json").read_text())
    entry = manifest["files"]["tasks.json"]
    assert entry["sha256"] == hashlib.sha256(b"tasks.json").hexdigest()
    assert entry["bytes"] == len(b"tasks.json")
    assert verify_checkpoint(root)["name"] == "test"


def test_edited_file_fails_hash_check(tmp_path):
    root = _fake_checkpoint(tmp_path)
    (root / "vqvae" / "weights.bin").write_bytes(b"tampered")
    with pytest.raises(CheckpointError, match="sha256"):
        verify_checkpoint(root)


def test_missing_file_and_missing_folder(tmp_path):
    root = _fake_checkpoint(tmp_path)
    (root / "tasks.json").unlink()
    with pytest.raises(CheckpointError, match="missing file tasks.json"):
        verify_checkpoint(root)
    with pytest.raises(CheckpointError, match="does not exist"):
        verify_checkpoint(tmp_path / "nowhere")


def test_corrupt_manifest(tmp_path):
    root = _fake_checkpoint(tmp_path)
    (root / "manifest.json").write_text("{not json")
    with pytest.raises(CheckpointError, match="unreadable manifest"):
        verify_checkpoint(root)
