"""The motion-language backbone: one causal LM that writes motion codes (T2M) and captions (M2T).

`MotionLM.lm` is a plain `transformers` causal LM (a compact Llama built from a config, or any
local Hugging Face model via `BackboneConfig.hf_path`). Continual learning wraps exactly this
attribute with peft (`model.lm = get_peft_model(model.lm, ...)`); everything here calls it
through `self.lm(inputs_embeds=...)` and `self.lm.get_input_embeddings()`, which work the same
wrapped or not.

T2M prompts are conditioned twice: on their text tokens and on the frozen MiniLM sentence
embedding of the prompt, projected into `n_prefix` vectors placed before <bos> (like T2M-GPT's
CLIP conditioning). The embedding carries meaning for words the BPE vocabulary never saw in
training ("leaps", "strolls").

Generation is a KV-cached loop over `inputs_embeds` with left padding; logits are masked to the
tokens each direction may emit, and the length is clamped, so output is always valid.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from ..errors import CheckpointError, InputError
from .sequences import CODES_PER_SECOND, IGNORE, M2T, T2M, m2t_prompt_ids, seconds_to_codes, t2m_prompt_ids  # noqa: F401
from .known_words import MODES
from .text_tokenizer import HFMotionTokenizer, MotionTokenizer, load_tokenizer


@dataclass
class BackboneConfig:
    arch: str = "llama"
    d_model: int = 256
    n_layers: int = 4
    n_heads: int = 4
    ffn: int = 768
    max_len: int = 160  # longest sequence, prefix included
    n_prefix: int = 4  # sentence-embedding prefix vectors for T2M
    sent_dim: int = 384  # MiniLM embedding size
    n_motion_codes: int = 512
    min_seconds: float = 1.0  # default generated length is clamped to [min, max] seconds
    max_seconds: float = 10.0
    hf_path: str | None = None  # any local Hugging Face causal LM directory (or a .gguf file)
    gguf_file: str | None = None  # a .gguf inside hf_path (or give the .gguf path as hf_path)

    @property
    def min_codes(self) -> int:
        return max(1, math.ceil(self.min_seconds * CODES_PER_SECOND))

    @property
    def max_codes(self) -> int:
        return int(self.max_seconds * CODES_PER_SECOND)


def _build_lm(cfg: BackboneConfig, tok):
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

    if cfg.hf_path:
        path, gguf = Path(cfg.hf_path), cfg.gguf_file
        if path.suffix == ".gguf":
            path, gguf = path.parent, path.name
        kwargs = {"gguf_file": gguf} if gguf else {}
        lm = AutoModelForCausalLM.from_pretrained(str(path), **kwargs)
        lm.resize_token_embeddings(tok.vocab_size)
        return lm
    if cfg.arch != "llama":
        raise ValueError(f"unknown backbone arch {cfg.arch!r} (only 'llama' or hf_path)")
    conf = LlamaConfig(
        vocab_size=tok.vocab_size, hidden_size=cfg.d_model, intermediate_size=cfg.ffn,
        num_hidden_layers=cfg.n_layers, num_attention_heads=cfg.n_heads, num_key_value_heads=cfg.n_heads,
        max_position_embeddings=cfg.max_len, tie_word_embeddings=True,
        pad_token_id=tok.pad_id, bos_token_id=tok.bos_id, eos_token_id=tok.eos_id,
    )
    return LlamaForCausalLM(conf)


class MotionLM(nn.Module):
    known_words = "repair"  # how captions keep to known words (models/known_words.py, chosen on validation)

    def __init__(self, cfg: BackboneConfig, tok, lm=None) -> None:
        super().__init__()
        self.cfg = cfg
        self.tok = tok
        self.lm = lm if lm is not None else _build_lm(cfg, tok)
        d = self.lm.get_input_embeddings().weight.shape[1]
        self.prefix = nn.Linear(cfg.sent_dim, max(cfg.n_prefix, 1) * d)

    @classmethod
    def from_hf(cls, hf_path: str, cfg: BackboneConfig | None = None) -> "MotionLM":
        """A backbone over a local Hugging Face model: its tokenizer plus our motion tokens."""
        cfg = cfg or BackboneConfig()
        cfg.hf_path = str(hf_path)
        path, gguf = Path(hf_path), cfg.gguf_file
        if path.suffix == ".gguf":
            path, gguf = path.parent, path.name
        tok = HFMotionTokenizer.from_pretrained(path, cfg.n_motion_codes, gguf_file=gguf)
        return cls(cfg, tok)

    # ------------------------------------------------------------------ helpers
    @property
    def device(self) -> torch.device:
        return self.prefix.weight.device

    @property
    def d_model(self) -> int:
        return self.lm.get_input_embeddings().weight.shape[1]

    def _prefix_vectors(self, sent_emb: torch.Tensor) -> torch.Tensor:  # (B, 384) -> (B, P, d)
        return self.prefix(sent_emb.to(self.device, self.prefix.weight.dtype)).view(
            sent_emb.shape[0], -1, self.d_model)

    def _rows(self, ids: list[torch.Tensor], directions: list[int], sent_emb: torch.Tensor | None,
              pad_left: bool, labels: list[torch.Tensor] | None = None):
        """Per-row embeddings (prefix vectors first for T2M rows), padded into one batch.

        Returns inputs_embeds (B, L, d), attention_mask (B, L), position_ids (B, L), labels (B, L) or None.
        Position ids count real tokens only, so left and right padding give the same positions.
        """
        embed = self.lm.get_input_embeddings()
        p = self.cfg.n_prefix
        pre = self._prefix_vectors(sent_emb) if (p and sent_emb is not None and T2M in directions) else None
        rows, labs = [], []
        for i, row in enumerate(ids):
            e = embed(row.to(self.device))
            lab = labels[i].to(self.device) if labels is not None else None
            if p and directions[i] == T2M and pre is not None:
                e = torch.cat([pre[i].to(e.dtype), e], 0)
                if lab is not None:
                    lab = torch.cat([torch.full((p,), IGNORE, device=self.device, dtype=torch.long), lab])
            rows.append(e)
            labs.append(lab)
        length = max(r.shape[0] for r in rows)
        b, d = len(rows), rows[0].shape[1]
        emb = rows[0].new_zeros(b, length, d)
        mask = torch.zeros(b, length, dtype=torch.long, device=self.device)
        lab_out = torch.full((b, length), IGNORE, dtype=torch.long, device=self.device) if labels is not None else None
        for i, r in enumerate(rows):
            n = r.shape[0]
            sl = slice(length - n, length) if pad_left else slice(0, n)
            emb[i, sl] = r
            mask[i, sl] = 1
            if lab_out is not None:
                lab_out[i, sl] = labs[i]
        pos = (mask.cumsum(1) - 1).clamp(min=0)
        return emb, mask, pos, lab_out

    def _batch_rows(self, batch: dict):
        mask = batch["attention_mask"]
        lengths = mask.sum(1).tolist()
        ids = [batch["input_ids"][i, :n] for i, n in enumerate(lengths)]
        labels = [batch["labels"][i, :n] for i, n in enumerate(lengths)]
        return self._rows(ids, batch["direction"].tolist(), batch.get("sent_emb"), pad_left=False, labels=labels)

    def _logits_and_targets(self, batch: dict):
        emb, mask, pos, labels = self._batch_rows(batch)
        logits = self.lm(inputs_embeds=emb, attention_mask=mask, position_ids=pos).logits
        return logits[:, :-1], labels[:, 1:]

    # ------------------------------------------------------------------ training API
    def loss(self, batch: dict) -> torch.Tensor:
        logits, targets = self._logits_and_targets(batch)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), targets.reshape(-1), ignore_index=IGNORE)

    @torch.no_grad()
    def token_accuracy(self, batch: dict) -> tuple[int, int]:
        logits, targets = self._logits_and_targets(batch)
        scored = targets != IGNORE
        correct = (logits.argmax(-1) == targets) & scored
        return int(correct.sum()), int(scored.sum())

    @torch.no_grad()
    def input_embeddings_pooled(self, token_ids: list[list[int]]) -> torch.Tensor:
        """(B, d) mean input embedding of each token list (the router's view of an input)."""
        w = self.lm.get_input_embeddings().weight
        out = []
        for ids in token_ids:
            ids = [i for i in ids if 0 <= int(i) < w.shape[0]] or [self.tok.pad_id]
            out.append(w[torch.tensor(ids, device=w.device)].float().mean(0))
        return torch.stack(out)

    def freeze(self) -> "MotionLM":
        for p in self.parameters():
            p.requires_grad_(False)
        return self.eval()

    # ------------------------------------------------------------------ generation
    def _allowed(self, ids: list[int]) -> torch.Tensor:
        vocab = self.lm.get_input_embeddings().weight.shape[0]
        allowed = torch.zeros(vocab, dtype=torch.bool, device=self.device)
        allowed[torch.tensor(ids, device=self.device)] = True
        return allowed

    @torch.no_grad()
    def _decode_loop(self, prompt_ids: list[list[int]], directions: list[int], sent_emb, allowed: torch.Tensor,
                     stop_id: int, min_new: list[int], max_new: list[int], greedy: bool, temperature: float,
                     top_k: int | None, seed: int | None, use_cache: bool = True,
                     constraint=None) -> list[list[int]]:
        """Masked autoregressive decoding; each row stops at `stop_id` or at max_new tokens.
        constraint: a known_words.KnownWords that narrows each row's tokens by its open word."""
        ids = [torch.tensor(p, dtype=torch.long) for p in prompt_ids]
        emb, mask, pos, _ = self._rows(ids, directions, sent_emb, pad_left=True)
        b = emb.shape[0]
        gen = torch.Generator(device="cpu").manual_seed(int(seed)) if seed is not None else None
        embed = self.lm.get_input_embeddings()
        min_t = torch.tensor(min_new, device=self.device)
        max_t = torch.tensor(max_new, device=self.device)
        out = torch.full((b, 0), stop_id, dtype=torch.long, device=self.device)
        done = torch.zeros(b, dtype=torch.bool, device=self.device)
        open_words = [""] * b  # each row's unfinished last word (constraint only)
        past, step_emb, step_pos = None, emb, pos
        fast = _FastLlama.of(self.lm, b, emb.shape[1] + int(max_t.max())) if use_cache and FAST_DECODE else None
        cache_arg = None if fast is not None else self._cache_kwarg()
        for step in range(int(max_t.max())):
            if fast is not None:
                logits = fast.step(step_emb, mask, step_pos).float()
            elif use_cache:
                res = self.lm(inputs_embeds=step_emb, attention_mask=mask, position_ids=step_pos,
                              use_cache=True, **{cache_arg: past})
                past = getattr(res, "cache", None) or res.past_key_values
                logits = res.logits[:, -1].float()
            else:
                res = self.lm(inputs_embeds=emb, attention_mask=mask, position_ids=pos, use_cache=False)
                logits = res.logits[:, -1].float()
            if constraint is not None:
                rows = torch.stack([constraint.mask(w) for w in open_words]).to(self.device) & allowed
                rows[~rows.any(1)] = allowed  # nothing fits (cannot happen with byte tokens): no constraint
                logits = logits.masked_fill(~rows, float("-inf"))
            else:
                logits = logits.masked_fill(~allowed, float("-inf"))
            too_short = step < min_t
            logits[too_short, stop_id] = float("-inf")
            at_limit = step >= max_t
            logits[at_limit] = float("-inf")
            logits[at_limit, stop_id] = 0.0
            token = self._pick(logits, greedy, temperature, top_k, gen)
            token = torch.where(done, torch.full_like(token, stop_id), token)
            out = torch.cat([out, token[:, None]], 1)
            if constraint is not None:
                open_words = [constraint.advance(w, t) for w, t in zip(open_words, token.tolist())]
            done |= token == stop_id
            if bool(done.all()):
                break
            new_pos = mask.sum(1, keepdim=True)
            new_emb = embed(token[:, None]).to(emb.dtype)
            mask = torch.cat([mask, torch.ones(b, 1, dtype=mask.dtype, device=self.device)], 1)
            step_emb, step_pos = new_emb, new_pos
            if not use_cache:
                emb = torch.cat([emb, new_emb], 1)
                pos = torch.cat([pos, new_pos], 1)
        result = []
        for row in out.tolist():
            result.append(row[: row.index(stop_id)] if stop_id in row else row)
        return result

    def _cache_kwarg(self) -> str:
        """transformers renamed `past_key_values` to `cache`; ask the unwrapped model which it takes."""
        import inspect

        base = self.lm.get_base_model() if hasattr(self.lm, "get_base_model") else self.lm
        return "cache" if "cache" in inspect.signature(type(base).forward).parameters else "past_key_values"

    @staticmethod
    def _pick(logits, greedy, temperature, top_k, gen) -> torch.Tensor:
        if greedy:
            return logits.argmax(-1)
        logits = logits / max(float(temperature), 1e-5)
        if top_k:
            kth = logits.topk(min(int(top_k), logits.shape[-1]), -1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, -1).cpu()
        return torch.multinomial(probs, 1, generator=gen)[:, 0].to(logits.device)

    def generate_motion(self, prompts: list[str], sent_embs, n_codes: list[int | None] | None = None,
                        greedy: bool = True, temperature: float = 1.0, top_k: int | None = None,
                        seed: int | None = None, use_cache: bool = True, templated: bool = False) -> list[list[int]]:
        """Motion codes for each prompt (never empty). `n_codes[i]` asks for that many codes (clamped
        to the configured seconds); None lets the model end with <eom> within [min, max].
        Prompts are wrapped in the fixed evaluation template unless `templated` is True."""
        from .prompts import t2m_prompt

        if not prompts:
            return []
        texts = list(prompts) if templated else [t2m_prompt(p) for p in prompts]
        heads = [t2m_prompt_ids(self.tok, t) for t in texts]
        sent = torch.as_tensor(sent_embs, dtype=torch.float32).reshape(len(prompts), -1)
        room = self.cfg.max_len - self.cfg.n_prefix - max(len(h) for h in heads) - 1
        if room < 1:
            raise InputError("the prompt is too long for the model; shorten it")
        hi_default = min(self.cfg.max_codes, room)
        lo_default = min(self.cfg.min_codes, hi_default)
        lo, hi = [], []
        for i in range(len(prompts)):
            want = None if n_codes is None else n_codes[i]
            if want is None:
                lo.append(lo_default)
                hi.append(hi_default)
            else:
                n = int(min(max(int(want), lo_default), hi_default))
                lo.append(n)
                hi.append(n)
        allowed = self._allowed(list(range(self.tok.motion_offset, self.tok.motion_offset + self.tok.n_motion))
                                + [self.tok.eom_id])
        rows = self._decode_loop(heads, [T2M] * len(heads), sent, allowed, self.tok.eom_id, lo, hi,
                                 greedy, temperature, top_k, seed, use_cache)
        return [self.tok.codes_from_ids(r) for r in rows]

    def generate_caption(self, codes: list[list[int]], max_tokens: int = 40, greedy: bool = True,
                         temperature: float = 1.0, top_k: int | None = None, seed: int | None = None,
                         use_cache: bool = True, template: str | None = None,
                         known_words: str | None = None) -> list[str]:
        """A caption per code sequence (text tokens only; stops at <eos> or `max_tokens`).
        known_words: "repair", "mask" or "off" (models/known_words.py; None: `self.known_words`);
        it acts only when the tokenizer has the training captions' word list."""
        if not codes:
            return []
        heads = []
        for c in codes:
            c = [int(x) for x in c][: self.cfg.max_codes] or [0]
            heads.append(m2t_prompt_ids(self.tok, c, template))
        max_new = max(1, min(int(max_tokens), self.cfg.max_len - max(len(h) for h in heads)))
        allowed = self._allowed(self.tok.text_token_ids() + [self.tok.eos_id])
        mode = self.known_words if known_words is None else known_words
        if mode not in MODES:
            raise ValueError(f"known_words must be one of {MODES}, got {mode!r}")
        rows = self._decode_loop(heads, [M2T] * len(heads), None, allowed, self.tok.eos_id,
                                 [1] * len(heads), [max_new] * len(heads), greedy, temperature, top_k, seed, use_cache,
                                 constraint=self._known_words() if mode == "mask" else None)
        texts = [self.tok.decode(r) for r in rows]
        if mode == "repair" and getattr(self.tok, "words", None):
            from .known_words import repair

            words = self._known_words().words
            texts = [repair(t, words) for t in texts]
        return texts

    def _known_words(self):
        """The caption constraint of this tokenizer (built once), or None when it has no word list."""
        if getattr(self.tok, "words", None) is None:
            return None
        if getattr(self, "_words_constraint", None) is None:
            from .known_words import KnownWords

            vocab = self.lm.get_input_embeddings().weight.shape[0]
            self._words_constraint = KnownWords(self.tok.words, self.tok.surfaces(), self.tok.eos_id, vocab)
        return self._words_constraint

    # ------------------------------------------------------------------ persistence
    def save(self, directory) -> None:
        """Weights (safetensors), our config, the LM's own config and the tokenizer, in one folder."""
        from safetensors.torch import save_model

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        if hasattr(self.lm, "peft_config"):
            raise CheckpointError("save the backbone before wrapping it with adapters (experts save themselves)")
        save_model(self, str(d / "backbone.safetensors"))
        (d / "backbone.json").write_text(json.dumps(asdict(self.cfg), indent=2))
        self.lm.config.save_pretrained(str(d / "lm_config"))
        self.tok.save(d)
        kind = "motion" if isinstance(self.tok, MotionTokenizer) else "hf"
        (d / "tokenizer_kind.json").write_text(json.dumps({"kind": kind}))

    @classmethod
    def load(cls, directory, device: str = "cpu") -> "MotionLM":
        from safetensors.torch import load_model
        from transformers import AutoConfig, AutoModelForCausalLM

        d = Path(directory)
        for name in ("backbone.json", "backbone.safetensors", "lm_config"):
            if not (d / name).exists():
                raise CheckpointError(f"backbone checkpoint incomplete: {d / name} is missing")
        try:
            known = set(BackboneConfig.__dataclass_fields__)
            cfg = BackboneConfig(**{k: v for k, v in json.loads((d / "backbone.json").read_text()).items()
                                    if k in known})
            tok = load_tokenizer(d)
            lm = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(str(d / "lm_config")))
            model = cls(cfg, tok, lm=lm)
            load_model(model, str(d / "backbone.safetensors"))
        except CheckpointError:
            raise
        except Exception as exc:
            raise CheckpointError(f"cannot load backbone from {d}: {exc}") from None
        return model.to(device).eval()


FAST_DECODE = True  # False: always decode through transformers (the reference the fast path is tested against)


class _FastLlama:
    """Greedy/sampled decoding of a Llama `lm` without the transformers/peft call stack.

    The same arithmetic as LlamaForCausalLM (its own RMSNorm and rotary modules, the same SDPA
    kernel) on the same weights, but per token it is ~40 tensor ops instead of hundreds of Python
    calls: a static KV cache allocated once (no torch.cat of the cache per token), one mask per
    step, logits for the last position only. Used only when every LoRA layer is inactive - the
    base model, or an expert fused into the base weights (ExpertBank.fused) - so what runs is
    exactly the base weights; any active (unmerged) adapter falls back to the transformers path.
    Greedy decoding gives the same tokens as that path (tests/evaluation/test_speed.py).
    """

    def __init__(self, model, layers, batch: int, max_len: int) -> None:
        inner = model.model
        self.norm, self.rotary = inner.norm, inner.rotary_emb
        self.head_weight = model.lm_head.weight
        self.layers = layers
        cfg = model.config
        self.n_heads = cfg.num_attention_heads
        self.n_kv = getattr(cfg, "num_key_value_heads", None) or self.n_heads
        self.head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // self.n_heads
        self.scale = self.head_dim ** -0.5
        w = self.head_weight
        shape = (batch, self.n_kv, max_len, self.head_dim)
        self.k = [w.new_zeros(shape) for _ in layers]
        self.v = [w.new_zeros(shape) for _ in layers]
        self.length = 0

    @classmethod
    def of(cls, lm, batch: int, max_len: int) -> "_FastLlama | None":
        """A decoder over `lm`'s current weights, or None when the fast path does not apply."""
        base = lm.get_base_model() if hasattr(lm, "get_base_model") else lm
        if type(base).__name__ != "LlamaForCausalLM" or getattr(base.config, "_attn_implementation", "sdpa") \
                not in ("sdpa", "eager"):
            return None
        cfg = base.config
        if getattr(cfg, "attention_bias", False) or getattr(cfg, "mlp_bias", False) or cfg.hidden_act != "silu":
            return None
        layers = []
        for layer in base.model.layers:
            att, mlp = layer.self_attn, layer.mlp
            ws = []
            for mod in (att.q_proj, att.k_proj, att.v_proj, att.o_proj, mlp.gate_proj, mlp.up_proj, mlp.down_proj):
                weight = _plain_weight(mod)
                if weight is None:
                    return None
                ws.append(weight)
            layers.append((layer.input_layernorm, layer.post_attention_layernorm, *ws))
        return cls(base, layers, batch, max_len)

    def step(self, x: torch.Tensor, mask: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        """Feed x (B, T, d) at positions pos (B, T); mask (B, L) covers every token so far. -> (B, vocab)."""
        from transformers.models.llama.modeling_llama import apply_rotary_pos_emb

        b, t, _ = x.shape
        start, end = self.length, self.length + t
        cos, sin = self.rotary(x, pos)
        keys = mask[:, None, None, :end].bool()  # (B, 1, 1, L)
        if t > 1:  # the prompt: causal too; a padding query may see itself (no all-masked rows)
            causal = torch.ones(t, end, dtype=torch.bool, device=x.device).tril(diagonal=start)
            eye = torch.zeros(t, end, dtype=torch.bool, device=x.device)
            eye[:, start:end] = torch.eye(t, dtype=torch.bool, device=x.device)
            keys = (keys & causal) | eye
        h = x
        for i, (ln1, ln2, wq, wk, wv, wo, wg, wu, wd) in enumerate(self.layers):
            a = ln1(h)
            q = F.linear(a, wq).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
            k = F.linear(a, wk).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
            v = F.linear(a, wv).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
            q, k = apply_rotary_pos_emb(q, k, cos, sin)
            self.k[i][:, :, start:end] = k
            self.v[i][:, :, start:end] = v
            att = F.scaled_dot_product_attention(q, self.k[i][:, :, :end], self.v[i][:, :, :end], attn_mask=keys,
                                                 scale=self.scale, enable_gqa=self.n_kv != self.n_heads)
            h = h + F.linear(att.transpose(1, 2).reshape(b, t, -1), wo)
            m = ln2(h)
            h = h + F.linear(F.silu(F.linear(m, wg)) * F.linear(m, wu), wd)
        self.length = end
        return F.linear(self.norm(h[:, -1]), self.head_weight)


def _plain_weight(mod) -> torch.Tensor | None:
    """The weight a projection really applies, when that is one plain matrix (no bias, no active
    LoRA); None otherwise (the caller then keeps the transformers path)."""
    base = mod.get_base_layer() if hasattr(mod, "get_base_layer") else mod
    if not isinstance(base, nn.Linear) or base.bias is not None:
        return None
    if base is not mod:  # a peft LoRA layer: only when its adapters are off and nothing is merged in
        if getattr(mod, "merged", False) or not getattr(mod, "disable_adapters", False):
            return None
    return base.weight
