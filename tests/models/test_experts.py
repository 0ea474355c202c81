"""Expert bank on a tiny Llama: freezing, blending, the fused fast path, O-LoRA, peft files."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import torch

from motion_studio.errors import InputError
from motion_studio.models.experts import ExpertBank, LoraSettings

VOCAB = 50


def tiny_model(seed: int = 0) -> SimpleNamespace:
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=64)
    lm = LlamaForCausalLM(cfg).eval()
    return SimpleNamespace(lm=lm)


SETTINGS = LoraSettings(r=4, alpha=8, dropout=0.0)
IDS = torch.tensor([[1, 5, 7, 9, 11, 3]])


def logits(model) -> torch.Tensor:
    with torch.no_grad():
        return model.lm(input_ids=IDS).logits


def train_a_bit(model, bank: ExpertBank, seed: int, steps: int = 5, extra=None) -> None:
    """A few SGD steps on random tokens through whatever the bank marks trainable."""
    g = torch.Generator().manual_seed(seed)
    params = bank.trainable_parameters()
    opt = torch.optim.Adam(params, lr=1e-2)
    model.lm.train()
    for _ in range(steps):
        ids = torch.randint(0, VOCAB, (4, 8), generator=g)
        loss = model.lm(input_ids=ids, labels=ids).loss
        if extra is not None:
            loss = loss + extra()
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.lm.eval()


def randomise_b(bank: ExpertBank, name: str, seed: int) -> None:
    """LoRA B starts at zero (no effect); give it values so outputs differ measurably."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in bank._lora_layers():
            layer.lora_B[name].weight.copy_(0.05 * torch.randn(layer.lora_B[name].weight.shape, generator=g))


@pytest.fixture()
def bank_with_two():
    model = tiny_model()
    base_logits = logits(model)
    bank = ExpertBank(model, SETTINGS)
    bank.add_expert("jumping", "jumps")
    randomise_b(bank, "jumping", 1)
    bank.add_expert("arms", "arm moves")
    randomise_b(bank, "arms", 2)
    bank.train_expert(None)
    return model, bank, base_logits


def test_only_the_new_expert_trains_and_earlier_stay_bit_identical():
    model = tiny_model()
    base_weights = {k: v.clone() for k, v in model.lm.state_dict().items()}
    bank = ExpertBank(model, SETTINGS)
    bank.add_expert("jumping")
    train_a_bit(model, bank, seed=1)
    snapshot = bank.adapter_state("jumping")
    assert snapshot and any(v.abs().sum() > 0 for k, v in snapshot.items() if "lora_B" in k)

    bank.add_expert("arms")
    trainable = {n for n, p in model.lm.named_parameters() if p.requires_grad}
    assert trainable and all(".arms." in n for n in trainable)
    train_a_bit(model, bank, seed=2, extra=lambda: bank.orthogonality_penalty("arms"))
    bank.add_expert("walking")
    train_a_bit(model, bank, seed=3)

    after = bank.adapter_state("jumping")
    assert after.keys() == snapshot.keys()
    assert all(torch.equal(after[k], snapshot[k]) for k in snapshot)
    # the frozen backbone did not move either
    base_now = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
                for k, v in model.lm.state_dict().items() if "lora_" not in k}
    assert all(torch.equal(base_now[k], v) for k, v in base_weights.items())


def test_activate_none_is_the_base_model(bank_with_two):
    model, bank, base_logits = bank_with_two
    bank.activate(None)
    assert torch.allclose(logits(model), base_logits, atol=1e-6)
    bank.activate("jumping")
    assert not torch.allclose(logits(model), base_logits, atol=1e-4)


def test_blend_with_one_weight_equals_hard_routing(bank_with_two):
    model, bank, _ = bank_with_two
    bank.activate("arms")
    hard = logits(model)
    bank.activate(None)
    with bank.blend({"arms": 1.0, "jumping": 0.0}):
        soft = logits(model)
    assert torch.equal(hard, soft)
    assert bank.active == {}  # restored


def test_blend_is_the_weighted_sum_of_deltas(bank_with_two):
    model, bank, _ = bank_with_two
    with bank.blend({"jumping": 0.3, "arms": 0.7}):
        soft = logits(model)
    # the same blend computed by fusing the weighted deltas into the weights
    with bank.fused({"jumping": 0.3, "arms": 0.7}):
        fused = logits(model)
    assert torch.allclose(soft, fused, atol=1e-4)
    assert not torch.allclose(soft, logits(model), atol=1e-4)


def test_fused_matches_unmerged_and_restores_weights_exactly(bank_with_two):
    model, bank, _ = bank_with_two
    before = {k: v.clone() for k, v in model.lm.state_dict().items()}
    bank.activate("jumping")
    unmerged = logits(model)
    with bank.fused({"jumping": 1.0}):
        assert bank.active == {}
        fused = logits(model)
    assert torch.allclose(unmerged, fused, atol=1e-5)
    assert bank.active == {"jumping": 1.0}
    after = model.lm.state_dict()
    assert all(torch.equal(after[k], v) for k, v in before.items())


def test_merged_baseline_is_the_average(bank_with_two):
    model, bank, _ = bank_with_two
    with bank.merged():
        merged = logits(model)
    with bank.blend({"jumping": 0.5, "arms": 0.5}):
        half = logits(model)
    assert torch.allclose(merged, half, atol=1e-4)


def test_orthogonality_penalty_by_hand():
    model = tiny_model()
    bank = ExpertBank(model, LoraSettings(r=2, alpha=2, dropout=0.0, targets=("q_proj",)))
    bank.add_expert("first")
    bank.add_expert("second")
    layers = bank._lora_layers()
    assert len(layers) == 2  # q_proj in two layers
    with torch.no_grad():
        for layer in layers:
            layer.lora_A["first"].weight.zero_()
            layer.lora_A["first"].weight[0, 0] = 1.0  # A_a = e_0
            layer.lora_A["second"].weight.zero_()
            layer.lora_A["second"].weight[0, 0] = 2.0  # A_b row 0 = 2 e_0, row 1 = 3 e_1
            layer.lora_A["second"].weight[1, 1] = 3.0
    # A_a A_b^T = [[2, 0], [0, 0]] -> ||.||_F^2 = 4 per layer, 8 in total
    assert bank.orthogonality_penalty("second").item() == pytest.approx(8.0)
    assert bank.orthogonality_penalty("second", previous=[]).item() == 0.0
    pen = bank.orthogonality_penalty("second")
    pen.backward()
    assert layers[0].lora_A["second"].weight.grad is not None
    assert layers[0].lora_A["first"].weight.grad is None  # earlier experts get no gradient


def test_save_load_roundtrip_is_plain_peft(bank_with_two, tmp_path):
    model, bank, _ = bank_with_two
    bank.activate("arms")
    want = logits(model)
    bank.save(tmp_path / "experts")
    for name in ("jumping", "arms"):
        assert (tmp_path / "experts" / name / "adapter_config.json").exists()
        assert (tmp_path / "experts" / name / "adapter_model.safetensors").exists()
        # relocatable: no folder of the machine that trained it
        assert json.loads((tmp_path / "experts" / name / "adapter_config.json").read_text())["base_model_name_or_path"] is None
    moved = tmp_path / "moved"
    (tmp_path / "experts").rename(moved)
    manifest = json.loads((moved / "experts.json").read_text())
    assert manifest["names"] == ["jumping", "arms"] and manifest["themes"]["jumping"] == "jumps"

    fresh = tiny_model()  # same seed -> same base weights
    loaded = ExpertBank.load(fresh, moved)
    assert loaded.names == ["jumping", "arms"]
    assert not loaded.trainable_parameters()
    loaded.activate("arms")
    assert torch.allclose(logits(fresh), want, atol=1e-6)


def test_bad_names_raise_input_error(bank_with_two):
    _, bank, _ = bank_with_two
    with pytest.raises(InputError):
        bank.add_expert("jumping")
    with pytest.raises(InputError):
        bank.activate("nope")


def test_keep_merged_serving_matches_fused_and_restores_exactly(bank_with_two):
    """Serving keeps the last expert merged between calls; every answer equals the plain fused
    path and the base weights come back bit for bit."""
    model, bank, _ = bank_with_two
    bank.activate(None)
    before = {k: v.clone() for k, v in model.lm.state_dict().items()}
    want = {}
    for blend in ({"arms": 1.0}, {}, {"jumping": 0.7, "arms": 0.3}):
        with bank.run(blend):
            want[str(blend)] = logits(model)
    bank.keep_merged = True
    try:
        for blend in ({"arms": 1.0}, {"arms": 1.0}, {}, {"jumping": 0.7, "arms": 0.3}, {"arms": 1.0}):
            with bank.run(blend):
                assert torch.equal(logits(model), want[str(blend)])
        assert bank._resident == {"arms": 1.0}  # still merged after the call
    finally:
        bank.release()
        bank.keep_merged = False
    after = model.lm.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_a_seeded_expert_starts_the_same_whatever_ran_before():
    """peft draws a new adapter's weights from torch's global generator; with a seed the start
    no longer depends on what used that generator earlier, and the generator is left as it was."""
    starts = []
    for noise in (0, 7):
        model = tiny_model()
        bank = ExpertBank(model, SETTINGS)
        torch.rand(noise)  # earlier work that drew random numbers
        state = torch.random.get_rng_state()
        bank.add_expert("jumping", seed=11)
        assert torch.equal(torch.random.get_rng_state(), state)
        starts.append({k: v.clone() for k, v in model.lm.state_dict().items() if "lora_A" in k})
    assert starts[0] and all(torch.equal(starts[0][k], starts[1][k]) for k in starts[0])
    other = ExpertBank(tiny_model(), SETTINGS)
    other.add_expert("jumping", seed=12)
    assert any(not torch.equal(v, starts[0][k]) for k, v in other.model.lm.state_dict().items() if "lora_A" in k)
