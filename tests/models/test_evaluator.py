"""The contrastive text-motion evaluator on tiny synthetic data whose classes are separable."""
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from motion_studio.errors import CheckpointError, InputError
from motion_studio.models.evaluator import (EvaluatorConfig, TextMotionEvaluator, caption_rprecision,
                                            embed_motions, pad_features, t2m_metrics)
from motion_studio.training.evaluator_train import _crop, evaluate_retrieval, train_evaluator

VERBS = ["jumps", "walks", "waves", "sits down", "kicks", "runs", "crawls", "spins",
         "claps", "bows", "squats", "throws a ball", "climbs stairs", "dances", "swims", "punches"]


class ToyDataset:
    """16 motion classes: class c drives feature channels 16c..16c+15 with a sine; captions name
    a verb per class. Real-size (263) features, lengths 40..120 frames."""

    def __init__(self, per_class_train=4, per_class_test=2, seed=0):
        rng = np.random.default_rng(seed)
        self.mean, self.std = np.zeros(263, np.float32), np.ones(263, np.float32)
        self._f, self._t, self._split = {}, {}, {"train": [], "val": [], "test": []}
        for c, verb in enumerate(VERBS):
            for k in range(per_class_train + per_class_test):
                cid = f"{c:02d}_{k}"
                n = int(rng.integers(40, 121))
                f = rng.normal(0, 0.3, (n, 263)).astype(np.float32)
                f[:, 16 * c:16 * c + 16] += 2.0 * np.sin(np.linspace(0, 6, n))[:, None]
                self._f[cid] = f
                self._t[cid] = [SimpleNamespace(caption=f"a person {verb}", tokens="", start=0.0, end=0.0),
                                SimpleNamespace(caption=f"someone {verb}.", tokens="", start=0.0, end=0.0)]
                self._split["train" if k < per_class_train else "test"].append(cid)

    def ids(self, split):
        return self._split[split]

    def features(self, cid):
        return self._f[cid]

    def texts(self, cid):
        return self._t[cid]


TINY = EvaluatorConfig(embed_dim=64, hidden=64, min_len=40, max_len=120)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    torch.set_num_threads(2)
    out = tmp_path_factory.mktemp("evaluator")
    data = ToyDataset()
    model, report = train_evaluator(data, TINY, steps=40, batch_size=32, log_every=10, out_dir=out,
                                    eval_split=None)
    return data, model, report, out


def test_training_reaches_well_above_chance(trained):
    data, model, report, _ = trained
    assert report["steps"] == 40 and report["clips"] == 64 and report["unique_captions"] == 32
    assert report["loss_curve"][-1][1] < report["loss_curve"][0][1]
    r = evaluate_retrieval(model, data, "test")
    # 32 test clips, 2 per class: the best possible top-1 is 0.5, chance is 1/32
    assert r["n"] == 32 and r["chance_top1"] == pytest.approx(1 / 32)
    assert r["r_precision"][0] > 0.25
    assert r["r_precision"][2] > 0.6


def test_save_load_roundtrip_and_resume(trained, tmp_path):
    data, model, _, out = trained
    loaded = TextMotionEvaluator.load(out)
    feats = [data.features(c) for c in data.ids("test")[:4]]
    np.testing.assert_allclose(embed_motions(model, feats), embed_motions(loaded, feats), atol=1e-5)
    # resuming a finished run trains no further: another seed would give other weights
    again, report = train_evaluator(data, TINY, steps=40, batch_size=32, out_dir=out, eval_split=None, seed=1)
    assert report["steps"] == 40
    np.testing.assert_allclose(embed_motions(again, feats), embed_motions(model, feats), atol=1e-6)
    with pytest.raises(CheckpointError):
        TextMotionEvaluator.load(tmp_path)
    (tmp_path / "evaluator.json").write_text("{not json")
    (tmp_path / "evaluator.safetensors").write_bytes(b"junk")
    with pytest.raises(CheckpointError):
        TextMotionEvaluator.load(tmp_path)


def test_t2m_metrics_rank_real_pairs_above_shuffled(trained):
    from motion_studio.models.sentence import get_sentence_encoder

    data, model, _, _ = trained
    ids = data.ids("test")
    feats = [data.features(c) for c in ids]
    emb = get_sentence_encoder().embed([data.texts(c)[0].caption for c in ids])
    good = t2m_metrics(model, feats, feats, emb)
    shuffled = t2m_metrics(model, feats[::-1][:16] + feats[:16], feats, emb)
    assert set(good) >= {"fid", "rprec1", "rprec2", "rprec3", "mm_dist", "diversity"}
    assert good["fid"] == pytest.approx(0.0, abs=1e-4)
    assert good["rprec3"] > shuffled["rprec3"] and good["mm_dist"] < shuffled["mm_dist"]
    # generated motions of other lengths are fine
    short = [f[:41] for f in feats]
    assert math.isfinite(t2m_metrics(model, short, feats, emb)["fid"])
    cap = caption_rprecision(model, feats, [data.texts(c)[1].caption for c in ids])
    bad = caption_rprecision(model, feats, ["a person stands still"] * len(ids))
    assert cap["rprec1"] > bad["rprec1"]
    with pytest.raises(InputError):
        t2m_metrics(model, feats[:3], feats, emb)


def test_pad_features_cuts_to_units():
    x, lengths = pad_features([np.ones((45, 3)), np.ones((10, 3)), np.ones((2, 3))], max_len=40)
    assert x.shape == (3, 40, 3) and lengths.tolist() == [40, 8, 4]
    assert x[2, 2:].sum() == 0 and x[1, 8:].sum() == 0
    with pytest.raises(InputError):
        pad_features([])


def test_crop_is_a_multiple_of_four_inside_the_clip():
    rng = np.random.default_rng(0)
    cfg = EvaluatorConfig()
    for a, b in [(0, 300), (10, 90), (0, 41), (5, 30)]:
        for _ in range(50):
            s, n = _crop(rng, a, b, cfg)
            assert a <= s and s + n <= b and n % 4 == 0 and n <= 196
            if b - a >= 40:
                assert n >= 40


@torch.no_grad()
def test_contrastive_loss_by_hand():
    model = TextMotionEvaluator(EvaluatorConfig(embed_dim=4, hidden=8))
    e = torch.eye(4)
    # all similarities equal -> loss = log(batch)
    assert float(model.contrastive_loss(torch.ones(4, 4) / 2, torch.ones(4, 4) / 2)) == pytest.approx(math.log(4))
    # perfect alignment at temperature 1: -log(e^1 / (e^1 + 3 e^0)) = log(1 + 3/e)
    with torch.no_grad():
        model.logit_scale.fill_(0.0)
    assert float(model.contrastive_loss(e, e)) == pytest.approx(math.log(1 + 3 / math.e), rel=1e-6)
    # two identical captions are both positives: texts 0 and 1 share the target {0, 1}
    same = torch.eye(4, dtype=torch.bool)
    same[0, 1] = same[1, 0] = True
    assert float(model.contrastive_loss(e, e, same)) > float(model.contrastive_loss(e, e))


@pytest.mark.slow
def test_trains_on_the_built_in_corpus(tiny_corpus, tmp_path):
    from motion_studio.data.dataset import MotionDataset

    ds = MotionDataset(tiny_corpus)
    model, report = train_evaluator(ds, TINY, steps=30, batch_size=32, log_every=10, out_dir=tmp_path,
                                    eval_split="test")
    assert report["clips"] == len(ds.ids("train"))
    assert report["loss_curve"][-1][1] < report["loss_curve"][0][1]
    r = report["retrieval"]
    assert len(r["r_precision"]) == 3 and 0.0 <= r["r_precision"][0] <= r["r_precision"][2] <= 1.0
    assert (tmp_path / "evaluator.safetensors").exists() and (tmp_path / "evaluator_report.json").exists()
