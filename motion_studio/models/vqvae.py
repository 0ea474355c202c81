"""VQ-VAE motion tokenizer: normalised 263-dim features <-> discrete codes (T2M-GPT style).

Encoder: 1-D convolutions with dilated residual blocks, `down_t` stride-2 stages (4x fewer
steps by default). Quantiser: nearest code in a codebook updated by exponential moving
averages (no gradient), with dead codes reset onto random encoder outputs so the whole
codebook stays in use. Decoder mirrors the encoder with nearest-neighbour upsampling.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from ..errors import CheckpointError
from ..motion.skeleton import FEATURE_DIM


@dataclass
class VQConfig:
    feature_dim: int = FEATURE_DIM
    width: int = 128  # T2M-GPT uses 512; 128 fits a CPU budget of minutes
    depth: int = 2  # residual blocks per stage
    dilation_growth: int = 3
    down_t: int = 2  # number of stride-2 stages: 2 -> 4x downsampling
    code_dim: int = 128
    n_codes: int = 512
    mu: float = 0.99  # EMA decay of the codebook
    dead_threshold: float = 1.0  # EMA count below which a code counts as dead and is reset

    @property
    def factor(self) -> int:
        return 2 ** self.down_t


class ResBlock(nn.Module):
    def __init__(self, width: int, dilation: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(width, width, 3, padding=dilation, dilation=dilation)
        self.conv2 = nn.Conv1d(width, width, 1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(F.relu(x))))


def _res_stack(width: int, depth: int, growth: int, reverse: bool) -> nn.Sequential:
    dilations = [growth**i for i in range(depth)]
    if reverse:
        dilations = dilations[::-1]
    return nn.Sequential(*[ResBlock(width, d) for d in dilations])


class Encoder(nn.Module):
    def __init__(self, c: VQConfig) -> None:
        super().__init__()
        layers = [nn.Conv1d(c.feature_dim, c.width, 3, padding=1), nn.ReLU()]
        for _ in range(c.down_t):
            layers += [nn.Conv1d(c.width, c.width, 4, stride=2, padding=1),
                       _res_stack(c.width, c.depth, c.dilation_growth, reverse=False)]
        layers.append(nn.Conv1d(c.width, c.code_dim, 3, padding=1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):  # (B, C, T) -> (B, D, T / factor)
        return self.net(x)


class Decoder(nn.Module):
    def __init__(self, c: VQConfig) -> None:
        super().__init__()
        layers = [nn.Conv1d(c.code_dim, c.width, 3, padding=1), nn.ReLU()]
        for _ in range(c.down_t):
            layers += [_res_stack(c.width, c.depth, c.dilation_growth, reverse=True),
                       nn.Upsample(scale_factor=2, mode="nearest"),
                       nn.Conv1d(c.width, c.width, 3, padding=1)]
        layers += [nn.Conv1d(c.width, c.width, 3, padding=1), nn.ReLU(),
                   nn.Conv1d(c.width, c.feature_dim, 3, padding=1)]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z)


def perplexity(counts: torch.Tensor) -> torch.Tensor:
    """exp(entropy) of code usage: n_codes when all are used equally, 1 when one code does all."""
    p = counts.float() / counts.sum().clamp(min=1)
    return torch.exp(-(p * torch.log(p.clamp(min=1e-10))).sum())


class EMAQuantizer(nn.Module):
    """Nearest-code quantiser; in training the codebook follows EMA means of its assigned vectors."""

    def __init__(self, n_codes: int, dim: int, mu: float, dead_threshold: float) -> None:
        super().__init__()
        self.n_codes, self.dim, self.mu, self.dead_threshold = n_codes, dim, mu, dead_threshold
        self.register_buffer("codebook", torch.zeros(n_codes, dim))
        self.register_buffer("ema_sum", torch.zeros(n_codes, dim))
        self.register_buffer("ema_count", torch.zeros(n_codes))
        self.register_buffer("initialised", torch.zeros((), dtype=torch.bool))

    def nearest(self, x: torch.Tensor) -> torch.Tensor:  # x (N, D) -> (N,)
        d = (x.pow(2).sum(1, keepdim=True) - 2 * x @ self.codebook.t()
             + self.codebook.pow(2).sum(1)[None])
        return d.argmin(1)

    @staticmethod
    def _random_rows(x: torch.Tensor, n: int) -> torch.Tensor:
        idx = torch.randint(0, x.shape[0], (n,), device=x.device)
        return x[idx] + 1e-3 * torch.randn(n, x.shape[1], device=x.device)

    @torch.no_grad()
    def _init(self, x: torch.Tensor) -> None:
        self.codebook.copy_(self._random_rows(x, self.n_codes))
        self.ema_sum.copy_(self.codebook)
        self.ema_count.fill_(1.0)
        self.initialised.fill_(True)

    @torch.no_grad()
    def _ema_update(self, x: torch.Tensor, idx: torch.Tensor) -> None:
        onehot = F.one_hot(idx, self.n_codes).type(x.dtype)  # (N, K)
        counts = onehot.sum(0)
        sums = onehot.t() @ x
        self.ema_count.mul_(self.mu).add_(counts, alpha=1 - self.mu)
        self.ema_sum.mul_(self.mu).add_(sums, alpha=1 - self.mu)
        alive = self.ema_count >= self.dead_threshold
        means = self.ema_sum / self.ema_count.clamp(min=1e-6)[:, None]
        fresh = self._random_rows(x, self.n_codes)
        self.codebook.copy_(torch.where(alive[:, None], means, fresh))
        # A reset code starts its statistics from the vector it was moved to.
        self.ema_sum.copy_(torch.where(alive[:, None], self.ema_sum, fresh))
        self.ema_count.copy_(torch.where(alive, self.ema_count, torch.ones_like(self.ema_count)))

    def forward(self, z: torch.Tensor):
        """z (B, D, T) -> (quantised z with straight-through grads, codes (B, T), commit loss, perplexity)."""
        with torch.autocast(device_type=z.device.type, enabled=False):  # distances need fp32
            return self._quantize(z)

    def _quantize(self, z: torch.Tensor):
        b, d, t = z.shape
        x = z.permute(0, 2, 1).reshape(-1, d).float()
        if self.training and not bool(self.initialised):
            self._init(x.detach())
        idx = self.nearest(x.detach())
        q = self.codebook[idx].clone()  # quantise with the codebook the encoder saw
        if self.training:
            self._ema_update(x.detach(), idx)
        commit = F.mse_loss(x, q.detach())
        q = x + (q - x).detach()
        ppl = perplexity(torch.bincount(idx, minlength=self.n_codes))
        q = q.view(b, t, d).permute(0, 2, 1).to(z.dtype)
        return q, idx.view(b, t), commit, ppl


class MotionVQVAE(nn.Module):
    def __init__(self, cfg: VQConfig | None = None) -> None:
        super().__init__()
        self.cfg = cfg or VQConfig()
        self.encoder = Encoder(self.cfg)
        self.decoder = Decoder(self.cfg)
        self.quantizer = EMAQuantizer(self.cfg.n_codes, self.cfg.code_dim, self.cfg.mu, self.cfg.dead_threshold)
        # Normalisation statistics travel with the weights (set by the trainer).
        self.register_buffer("mean", torch.zeros(self.cfg.feature_dim))
        self.register_buffer("std", torch.ones(self.cfg.feature_dim))

    def _crop(self, feats: torch.Tensor) -> torch.Tensor:
        t = feats.shape[1] - feats.shape[1] % self.cfg.factor
        if t == 0:
            raise ValueError(f"a motion needs at least {self.cfg.factor} frames, got {feats.shape[1]}")
        return feats[:, :t]

    def forward(self, feats_norm: torch.Tensor):
        """(B, T, C) normalised features -> (recon (B, T', C), commit loss, perplexity); T' = T rounded down to the factor."""
        x = self._crop(feats_norm).permute(0, 2, 1)
        q, _, commit, ppl = self.quantizer(self.encoder(x))
        return self.decoder(q).permute(0, 2, 1), commit, ppl

    @torch.no_grad()
    def encode(self, feats_norm: torch.Tensor) -> torch.Tensor:
        """(B, T, C) -> LongTensor (B, T // factor)."""
        z = self.encoder(self._crop(feats_norm).permute(0, 2, 1))
        b, d, t = z.shape
        return self.quantizer.nearest(z.permute(0, 2, 1).reshape(-1, d).float()).view(b, t)

    @torch.no_grad()
    def decode(self, codes: torch.Tensor) -> torch.Tensor:
        """LongTensor (B, N) -> normalised features (B, N * factor, C)."""
        codes = codes.clamp(0, self.cfg.n_codes - 1)
        q = self.quantizer.codebook[codes].permute(0, 2, 1)
        return self.decoder(q).permute(0, 2, 1)

    @torch.no_grad()
    def features_to_codes(self, feats) -> list[int]:
        """Raw (T, 263) features (numpy or tensor, T >= 4) -> codes of the clip."""
        x = torch.as_tensor(feats, dtype=torch.float32, device=self.mean.device)
        return self.encode(self.normalize(x)[None])[0].tolist()

    @torch.no_grad()
    def codes_to_features(self, codes) -> "np.ndarray":
        """Codes -> raw (4N, 263) float32 features; never NaN (a bad value becomes 0)."""
        import numpy as np

        c = torch.as_tensor(list(codes) or [0], dtype=torch.long, device=self.mean.device)[None]
        feats = self.denormalize(self.decode(c))[0].float().cpu().numpy()
        return np.nan_to_num(feats, nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)

    def normalize(self, feats: torch.Tensor) -> torch.Tensor:
        return (feats - self.mean) / self.std

    def denormalize(self, feats_norm: torch.Tensor) -> torch.Tensor:
        return feats_norm * self.std + self.mean

    def set_stats(self, mean, std) -> None:
        self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
        self.std.copy_(torch.as_tensor(std, dtype=torch.float32))

    def save(self, directory) -> None:
        from safetensors.torch import save_file

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        save_file({k: v.contiguous() for k, v in self.state_dict().items()}, str(d / "vqvae.safetensors"))
        (d / "vqvae.json").write_text(json.dumps(asdict(self.cfg), indent=2))

    @classmethod
    def load(cls, directory, device: str = "cpu") -> "MotionVQVAE":
        from safetensors.torch import load_file

        d = Path(directory)
        for name in ("vqvae.json", "vqvae.safetensors"):
            if not (d / name).exists():
                raise CheckpointError(f"VQ-VAE checkpoint incomplete: {d / name} is missing")
        try:
            model = cls(VQConfig(**json.loads((d / "vqvae.json").read_text())))
            model.load_state_dict(load_file(str(d / "vqvae.safetensors")))
        except Exception as exc:
            raise CheckpointError(f"cannot load VQ-VAE from {d}: {exc}") from None
        return model.to(device).eval()


def save_codes(codes: dict[str, list[int]], path) -> None:
    """The codes file: one int32 tensor per clip id (safetensors keeps it free of pickle)."""
    from safetensors.torch import save_file

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_file({k: torch.tensor(v, dtype=torch.int32) for k, v in codes.items()}, str(path))


def load_codes(path) -> dict[str, list[int]]:
    from safetensors.torch import load_file

    return {k: v.tolist() for k, v in load_file(str(path)).items()}
