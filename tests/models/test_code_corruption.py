"""corrupt_target_codes: only T2M target codes change, labels never, at about the asked rate."""
import torch

from motion_studio.models.sequences import IGNORE, M2T, T2M, corrupt_target_codes

OFFSET, N = 10, 8  # motion ids 10..17; 0..9 are text / special tokens


def _batch():
    # row 0, T2M: <bos>=1 text 5 <som>=2 | codes 10 11 12 13 <eom>=3 | pad 0
    # row 1, M2T: <bos> codes 14 15 as the prompt | text 6 7 <eos>=4 as targets
    ids = torch.tensor([[1, 5, 2, 10, 11, 12, 13, 3, 0],
                        [1, 14, 15, 2, 6, 7, 4, 0, 0]])
    labels = torch.tensor([[IGNORE, IGNORE, IGNORE, 10, 11, 12, 13, 3, IGNORE],
                           [IGNORE, IGNORE, IGNORE, IGNORE, 6, 7, 4, IGNORE, IGNORE]])
    return {"input_ids": ids, "labels": labels, "attention_mask": (ids != 0).long(),
            "direction": torch.tensor([T2M, M2T]), "sent_emb": torch.zeros(2, 4)}


def test_p_one_replaces_exactly_the_t2m_target_codes():
    b = _batch()
    out = corrupt_target_codes(b, OFFSET, N, 1.0, torch.Generator().manual_seed(0))
    changed = out["input_ids"] != b["input_ids"]
    # only positions 3..6 of row 0 may change (a random code can equal the true one)
    allowed = torch.zeros_like(changed)
    allowed[0, 3:7] = True
    assert not (changed & ~allowed).any()
    codes = out["input_ids"][0, 3:7]
    assert ((codes >= OFFSET) & (codes < OFFSET + N)).all()
    assert torch.equal(out["labels"], b["labels"])
    assert torch.equal(b["input_ids"], _batch()["input_ids"])  # the input batch is not modified


def test_p_zero_is_the_same_batch():
    b = _batch()
    assert corrupt_target_codes(b, OFFSET, N, 0.0) is b


def test_rate_is_about_p():
    ids = torch.full((64, 50), OFFSET + 3)
    b = {"input_ids": ids, "labels": ids.clone(), "direction": torch.full((64,), T2M)}
    out = corrupt_target_codes(b, OFFSET, N, 0.3, torch.Generator().manual_seed(1))
    # a replaced code equals the old one 1 time in N, so the visible change rate is p * (1 - 1/N)
    rate = float((out["input_ids"] != ids).float().mean())
    assert abs(rate - 0.3 * (1 - 1 / N)) < 0.02

