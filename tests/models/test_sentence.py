"""all-MiniLM-L6-v2 sentence embeddings: geometry, determinism, the on-disk cache."""
import json

import numpy as np
import pytest

from motion_studio.errors import InputError
from motion_studio.models.sentence import DIM, embed_cached, get_sentence_encoder


@pytest.fixture(scope="module")
def encoder():
    return get_sentence_encoder("cpu")


def test_shape_norm_and_similarity(encoder):
    texts = ["a person walks forward slowly",
             "someone is walking ahead at a slow pace",
             "the stock market fell sharply today"]
    e = encoder.embed(texts)
    assert e.shape == (3, DIM) and e.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.3


def test_deterministic_and_independent_of_batching(encoder):
    texts = ["a man jumps up and down", "a person waves with the right hand", "sit down on a chair"]
    a = encoder.embed(texts)
    encoder._cache.clear()
    b = np.concatenate([encoder.embed([t], batch_size=1) for t in reversed(texts)])[::-1]
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert encoder.embed([]).shape == (0, DIM)
    with pytest.raises(InputError):
        encoder.embed("one string")


def test_singleton():
    assert get_sentence_encoder("cpu") is get_sentence_encoder("cpu")


def test_embed_cached_writes_and_reuses(tmp_path, encoder):
    path = tmp_path / "cache" / "captions"
    e1 = embed_cached(["a person runs", "a person sits"], path)
    assert json.loads((tmp_path / "cache" / "captions.json").read_text()) == ["a person runs", "a person sits"]
    # a second call with one new text only adds that text and keeps the order asked for
    e2 = embed_cached(["a person kicks", "a person runs"], path)
    np.testing.assert_allclose(e2[1], e1[0], atol=1e-6)
    stored = np.load(tmp_path / "cache" / "captions.npy", allow_pickle=False)
    assert stored.shape == (3, DIM)
    np.testing.assert_allclose(e2[0], encoder.embed(["a person kicks"])[0], atol=1e-5)
