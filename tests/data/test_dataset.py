"""MotionDataset reads HumanML3D-layout directories: the built-in corpus and the real sample."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from motion_studio.data.dataset import Caption, MotionDataset, parse_caption_line
from motion_studio.errors import MotionFileError


def test_reads_builtin_corpus(tiny_corpus: Path):
    ds = MotionDataset(tiny_corpus)
    train, val, test = ds.ids("train"), ds.ids("val"), ds.ids("test")
    assert len(train) == 96 and len(val) == 12 and len(test) == 12
    assert len(ds.ids("all")) == 120
    cid = train[0]
    j, f = ds.joints(cid), ds.features(cid)
    assert j.shape == (len(f), 22, 3) and f.shape[1] == 263
    assert j.dtype == np.float32 and f.dtype == np.float32
    caps = ds.texts(cid)
    assert len(caps) >= 3 and all(isinstance(c, Caption) and c.whole_clip for c in caps)
    assert caps[0].caption.endswith(".") and "/" in caps[0].tokens[0]
    assert ds.mean.shape == ds.std.shape == (263,)
    meta = ds.meta(cid)
    assert meta is not None and {"action", "family", "group", "seconds"} <= set(meta)
    assert meta["seconds"] == pytest.approx(len(f) / 20.0, abs=0.01)


def test_skips_ids_whose_files_are_missing(tiny_corpus: Path, tmp_path: Path):
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(tiny_corpus, root)
    ds = MotionDataset(root)
    victim = ds.ids("train")[0]
    (root / "new_joints" / f"{victim}.npy").unlink()
    assert victim not in ds.ids("train") and len(ds.ids("train")) == 95
    with pytest.raises(MotionFileError):
        ds.joints(victim)


def test_reads_real_humanml3d_sample(sample_dir: Path):
    ds = MotionDataset(sample_dir)
    assert ds.ids("all") == ["012314"]  # no split files: the clips themselves
    assert ds.ids("train") == []
    assert ds.joints("012314").shape == (170, 22, 3)
    assert ds.features("012314").shape == (170, 263)
    assert ds.texts("012314") == []
    assert ds.meta("012314") is None
    assert ds.mean.shape == (263,) and (ds.std > 0).all()


def test_caption_line_convention():
    c = parse_caption_line("a man waves.#a/DET man/NOUN wave/VERB#1.5#4.0")
    assert c.caption == "a man waves." and c.tokens == ["a/DET", "man/NOUN", "wave/VERB"]
    assert not c.whole_clip and c.frames(200) == slice(30, 80)
    whole = parse_caption_line("a man waves.#a/DET#0.0#0.0")
    assert whole.whole_clip and whole.frames(50) == slice(0, 50)
    nan = parse_caption_line("someone sits.#someone/PRON sit/VERB#nan#nan")
    assert nan.whole_clip
    assert parse_caption_line("   ") is None
    assert parse_caption_line("just a caption").tokens == []


def test_bad_inputs_give_one_line_errors(tmp_path: Path):
    with pytest.raises(MotionFileError):
        MotionDataset(tmp_path / "nowhere")
    with pytest.raises(MotionFileError):
        MotionDataset(tmp_path)  # exists but is not HumanML3D layout
    (tmp_path / "new_joints").mkdir()
    np.save(tmp_path / "new_joints" / "000001.npy", np.zeros((5, 21, 3), np.float32))
    np.save(tmp_path / "new_joints" / "000002.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "new_joints" / "000003.npy").write_bytes(b"not an npy file")
    ds = MotionDataset(tmp_path)
    for cid in ("000001", "000002", "000003"):
        with pytest.raises(MotionFileError) as err:
            ds.joints(cid)
        assert "\n" not in str(err.value)
    with pytest.raises(MotionFileError):
        ds.mean
    with pytest.raises(MotionFileError):
        ds.ids("bogus")
