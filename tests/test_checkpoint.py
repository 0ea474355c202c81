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


def test_default_checkpoint_lookup_order(tmp_path, monkeypatch):
    import motion_studio.checkpoint as ck

    monkeypatch.delenv("MOTION_STUDIO_CHECKPOINT", raising=False)
    monkeypatch.setattr(ck, "REPO_ROOT", tmp_path / "repo")
    monkeypatch.setattr(ck, "_installed_dir", lambda package: tmp_path / "site" / package)
    with pytest.raises(CheckpointError) as exc:
        ck.default_checkpoint_dir()
    message = str(exc.value)  # one line naming every place it looked
    assert "\n" not in message and str(tmp_path / "repo") in message and str(tmp_path / "site") in message
    installed = tmp_path / "site" / "motion_studio_model" / "default"
    installed.mkdir(parents=True)
    (installed / "manifest.json").write_text("{}")
    assert ck.default_checkpoint_dir() == installed  # an installed copy is found when there is no checkout
    source = tmp_path / "repo" / "checkpoints" / "default"
    source.mkdir(parents=True)
    (source / "manifest.json").write_text("{}")
    assert ck.default_checkpoint_dir() == source  # the source checkout comes first
    monkeypatch.setenv("MOTION_STUDIO_CHECKPOINT", str(tmp_path / "mine"))
    assert ck.default_checkpoint_dir() == tmp_path / "mine"  # an explicit choice wins, as it is


def test_user_home_and_corpus_cache_follow_motion_studio_home(tmp_path, monkeypatch):
    import motion_studio.checkpoint as ck

    monkeypatch.setenv("MOTION_STUDIO_HOME", str(tmp_path / "home"))
    assert ck.user_home() == tmp_path / "home"


def test_a_recorded_corpus_of_another_version_is_not_used(tmp_path, monkeypatch):
    """A v1 checkpoint whose recorded corpus folder now holds corpus v2 must not read it."""
    import json

    import motion_studio.checkpoint as ck
    from motion_studio.data.corpus.writer import VERSION
    from motion_studio.errors import CheckpointError

    monkeypatch.setenv("MOTION_STUDIO_HOME", str(tmp_path / "home"))
    root, corpus = tmp_path / "ckpt", tmp_path / "corpus"
    root.mkdir()
    corpus.mkdir()
    (corpus / "corpus.json").write_text(json.dumps({"version": VERSION}))
    info = {"corpus": {"source": "built-in", "seed": 0, "clips": 10, "generator_version": VERSION - 1}}
    ck.write_manifest(root, info)
    with pytest.raises(CheckpointError, match=f"v{VERSION - 1}"):
        ck.checkpoint_corpus(root, corpus, generate=False)
    info["corpus"]["generator_version"] = VERSION  # same version: the recorded folder is used
    ck.write_manifest(root, info)
    assert ck.checkpoint_corpus(root, corpus, generate=False) == corpus
