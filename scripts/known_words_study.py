"""Which way should captions keep to known words? Off, repaired after decoding, or masked while decoding.

Why: the byte-level caption decoder sometimes spells non-words ("a woman with a name tagum"), in
9 of 96 base test captions of the v4 foundation and more often on shifted motion
(models/known_words.py). This scores the three modes on **validation** clips only (test clips are
not read): the foundation's captions of the base split's validation clips (BLEU-4, ROUGE-L against
their human-style references, and the share of captions with a non-word) and the agent's captions
of the shifted validation set (held-out clips as other rigs' BVH, warped, cropped, noised; the
share that names the action, and with a non-word).

Rule, written down before the first result: ship the mode with no non-words whose base BLEU-4 is
highest, unless "off" beats it by more than one point; then ship "off".

    python scripts/known_words_study.py [--checkpoint checkpoints/default] [--out results/known_words_study.json]
"""
from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path


def non_word_pct(captions: list[str], words: set[str]) -> float:
    bad = [c for c in captions if any(w not in words for w in re.findall(r"[a-z0-9']+", c.lower()))]
    return round(100.0 * len(bad) / max(1, len(captions)), 1)


def main() -> None:
    import torch

    from motion_studio.agent import Agent
    from motion_studio.checkpoint import Checkpoint
    from motion_studio.evaluation.open_world import shifted_items, shifted_report
    from motion_studio.metrics.text import bleu, rouge_l
    from motion_studio.models.known_words import MODES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    ap.add_argument("--out", type=Path, default=Path("results/known_words_study.json"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    start = time.time()
    ck = Checkpoint(args.checkpoint)
    agent = Agent.load(ck, device="cpu")
    model, ds, split, codes = agent.model, ck.dataset(progress=False), ck.tasks, ck.codes()
    words = set(model.tok.words or ())
    ids = [i for i in split.base.val if i in codes and ds.texts(i)]
    refs = [[c.caption for c in ds.texts(i)] for i in ids]
    items = shifted_items(ds, split, part="val")
    rows = []
    for mode in MODES:
        model.known_words = mode
        with torch.inference_mode():
            caps = model.generate_caption([codes[i] for i in ids])
        shifted = shifted_report(agent, items)
        shifted_caps = [r["caption"] for r in shifted["rows"]]
        row = {"mode": mode, "base_val_clips": len(ids), "bleu4": round(100 * bleu(caps, refs), 2),
               "rouge_l": round(100 * rouge_l(caps, refs), 2), "base_non_word_pct": non_word_pct(caps, words),
               "shifted_val_clips": len(shifted_caps),
               "shifted_names_action_pct": shifted["task_caption_names_action_pct"],
               "shifted_non_word_pct": non_word_pct(shifted_caps, words)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    out = {"command": "python scripts/known_words_study.py", "split": "validation", "rows": rows,
           "seconds": round(time.time() - start)}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
