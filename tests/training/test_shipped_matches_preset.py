"""The shipped model is what `motion-studio train --preset default` builds today.

Why: a preset change (e.g. the foundation's code noise) without a retrain would leave the README's
"rebuild the shipped model" command describing another model. The manifest records the configs
each stage ran with; they must equal the ones the preset makes now.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "checkpoints" / "default" / "manifest.json"


@pytest.fixture(scope="module")
def configs() -> dict:
    if not SHIPPED.exists():
        pytest.skip("no shipped checkpoint in this checkout")
    return json.loads(SHIPPED.read_text())["configs"]


def _plain(d):
    return json.loads(json.dumps(d))  # tuples -> lists, as the manifest stores them


def test_foundation_config_is_the_presets(configs):
    from motion_studio.training.presets import TRAIN_PRESETS, foundation_config

    assert configs["foundation"] == _plain(foundation_config(TRAIN_PRESETS["default"]).to_json())


def test_continual_config_and_preset_are_the_presets(configs):
    from motion_studio.training.presets import TRAIN_PRESETS, continual_config

    p = TRAIN_PRESETS["default"]
    assert configs["preset"] == _plain(asdict(p))
    assert configs["continual"] == _plain(continual_config(p).to_dict())
