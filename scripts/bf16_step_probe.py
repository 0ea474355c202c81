"""Is bf16 autocast faster than fp32 on this CPU? One train step of the shipped backbone's shape.

Why: training/device.cpu_has_fast_bf16 turns bf16 autocast off on CPUs without native bf16. This
measures the reason on the machine at hand: median seconds of a full train step (forward,
backward, AdamW) of a Llama with the default backbone's size (d 256, 4 layers, FFN 768) on a
batch of 32 x 80 tokens, fp32 and bf16 interleaved, 2 threads. Prints and writes JSON.

    python scripts/bf16_step_probe.py [--out results/bf16_step_probe.json] [--repeats 7]
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np


def main() -> None:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from motion_studio.training.device import cpu_has_fast_bf16

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("results/bf16_step_probe.json"))
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    conf = LlamaConfig(vocab_size=1800, hidden_size=256, intermediate_size=768, num_hidden_layers=4,
                       num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=160)
    model = LlamaForCausalLM(conf)
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    x = torch.randint(0, conf.vocab_size, (32, 80))

    def step(bf16: bool) -> float:
        t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = model(input_ids=x, labels=x).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        return time.perf_counter() - t0

    times = {"fp32": [], "bf16": []}
    step(False), step(True)  # warm-up
    for _ in range(args.repeats):
        for name in times:
            times[name].append(step(name == "bf16"))
    med = {k: round(float(np.median(v)), 3) for k, v in times.items()}
    out = {"command": f"python scripts/bf16_step_probe.py --repeats {args.repeats}", "cpu": platform.processor()
           or platform.machine(), "cpu_has_fast_bf16": cpu_has_fast_bf16(), "median_step_s": med,
           "bf16_over_fp32": round(med["bf16"] / med["fp32"], 2)}
    print(json.dumps(out))
    args.out.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
