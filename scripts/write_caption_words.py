"""Give a checkpoint trained before the known-words constraint its word list (backbone/words.json).

Why: `motion-studio train` now writes the words of the captions the tokenizer was trained on
beside tokenizer.json (models/known_words.py), and captions spell only those words. A checkpoint
made before that has no list and captions without the constraint. This writes the same list
training would have written (every train-split caption of the checkpoint's corpus, plus the
prompt templates, lower-cased) and re-writes the manifest's hashes; no weight changes.

    python scripts/write_caption_words.py [--checkpoint checkpoints/default]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    from motion_studio.checkpoint import Checkpoint, read_manifest, write_manifest
    from motion_studio.models.known_words import words_of
    from motion_studio.models.text_tokenizer import WORDS_FILE
    from motion_studio.training.foundation import tokenizer_texts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=Path("checkpoints/default"))
    args = ap.parse_args()
    ck = Checkpoint(args.checkpoint)
    ds = ck.dataset()
    words = sorted(words_of(tokenizer_texts(ds)))
    (args.checkpoint / "backbone" / WORDS_FILE).write_text(json.dumps(words, indent=0))
    info = {k: v for k, v in read_manifest(args.checkpoint).items() if k not in ("files", "total_bytes")}
    write_manifest(args.checkpoint, info)
    print(f"wrote {len(words)} words to {args.checkpoint / 'backbone' / WORDS_FILE}; manifest re-hashed")


if __name__ == "__main__":
    main()
