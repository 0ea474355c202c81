"""The trainer corrupts each batch's T2M target codes when TrainConfig.code_noise > 0, only then."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from motion_studio.training import lm_train  # noqa: E402


def test_train_lm_applies_code_noise_only_when_asked(monkeypatch):
    from test_distributed import WORDS, _examples
    from tiny_models import tiny_motion_lm

    calls = []
    real = lm_train.corrupt_target_codes

    def spy(batch, offset, n, p, gen):
        calls.append(p)
        out = real(batch, offset, n, p, gen)
        assert out["input_ids"].shape == batch["input_ids"].shape
        return out

    monkeypatch.setattr(lm_train, "corrupt_target_codes", spy)
    for p in (0.0, 0.4):
        lm = tiny_motion_lm(WORDS)
        for w in lm.parameters():
            w.requires_grad_(True)
        report = lm_train.train_lm(lm, _examples(lm.tok), lm_train.TrainConfig(steps=3, batch_size=4, warmup=1,
                                                                                code_noise=p),
                                   progress=False, acc_examples=0)
        assert report["steps"] == 3
    assert calls == [0.4, 0.4, 0.4]
