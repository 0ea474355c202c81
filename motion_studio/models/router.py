"""Autoencoder router: one small autoencoder per expert, all scored in one batched pass.

Why autoencoders: each expert's AE only ever sees inputs of its own task, so it reconstructs
them well and everything else badly. The reconstruction error is therefore a "how familiar is
this input to expert e" score; a softmax over negative errors turns it into routing weights,
and an input that every AE finds unfamiliar (error above each AE's threshold) is *unseen* and
goes to the base model instead of being forced onto a wrong expert. Soft blends use the log of
error / threshold rather than the raw error (see `ratio_weights`).

Why stacked weights: the E autoencoders live in tensors shaped (E, ...) so the errors of all
experts come out of two `bmm`s, whatever the number of experts.

Standardisation: each AE standardises its inputs with the mean/std of its own task's inputs
(stored beside its weights). Inputs from another task land far from zero in that expert's
coordinates and reconstruct badly, which sharpens the contrast between experts. The std gets a
floor (`std_floor` times the average std) so near-constant dimensions cannot blow errors up.

Threshold calibration: the paper's rule is mean + 2*std of the AE's *training* errors. With
few inputs per task an AE memorises them and that threshold becomes too tight for new inputs
of the same task, so by default (`holdout=0.2`) the threshold comes from inputs held out of
the AE's training; `holdout=0, n_std=2` gives the paper's rule exactly. Inputs of different kinds
(T2M: full descriptions and short typed prompts) have different error levels, and one mean + n_std*std
over their mixture fits neither; with `kinds` given, each kind gets its own mean + n_std*std and
the threshold is the largest, so every kind of input the task was taught is accepted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from torch import Tensor

from ..errors import CheckpointError, InputError
from ..routing_types import ExpertScore, RouteResult


@dataclass
class RouterFitConfig:
    """How one expert's autoencoder is trained (defaults are cheap: ~1 s on 2 CPU cores)."""

    steps: int = 400
    lr: float = 2e-3
    batch_size: int = 128
    weight_decay: float = 1e-4
    holdout: float = 0.2  # fraction of inputs kept out of training to calibrate the threshold
    # threshold = mean + n_std * std of the calibration errors. The paper uses 2; with 2, 3-4 %
    # of a task's own new inputs fell above every threshold (base model answered), so 3 is the
    # default, picked on the validation split (docs/ROUTER.md has the trade-off table).
    n_std: float = 3.0
    # "std": threshold = mean + n_std * std (the paper's form); "quantile": the `quantile` of the
    # calibration errors (robust to the heavy tail of paraphrase errors). Per kind, the largest wins.
    rule: str = "std"
    quantile: float = 0.98
    std_floor: float = 0.1  # per-dim std >= std_floor * mean std (see module doc)
    seed: int = 0


def top_k_weights(weights: Tensor, k: int) -> Tensor:
    """Keep the k largest weights of each row, renormalise them to sum 1, zero the rest."""
    k = max(1, min(int(k), weights.shape[-1]))
    top = torch.topk(weights, k, dim=-1)
    out = torch.zeros_like(weights)
    out.scatter_(-1, top.indices, top.values)
    return out / out.sum(dim=-1, keepdim=True)


def ratio_weights(ratios: Tensor, accepts: Tensor, temperature: float = 1.0, k: int = 2) -> Tensor:
    """Soft-routing weights: softmax(-log(ratio) / temperature) over the experts that accept the
    input, top-k of them kept and renormalised, the others 0.

    Why log ratios: raw errors differ by orders of magnitude between inputs, so a softmax over
    -error at temperature 1 blends 60/40 even when one error is 25x smaller. On the log scale,
    temperature 1 gives weights proportional to 1/ratio: 25x smaller error -> 25x the weight.
    """
    logits = -torch.log(torch.clamp(ratios, min=1e-12)) / temperature
    logits = torch.where(accepts, logits, torch.full_like(logits, float("-inf")))
    if not bool(accepts.any()):
        return torch.zeros_like(ratios)
    return top_k_weights(torch.softmax(logits, dim=-1), k)


def threshold_from_errors(errors: Tensor, n_std: float = 2.0) -> float:
    """mean + n_std * std (population std, so a single error gives threshold == that error)."""
    errors = errors.double()
    return float(errors.mean() + n_std * errors.std(unbiased=False))


def calibrated_threshold(errors: Tensor, cfg: RouterFitConfig) -> float:
    """One kind's threshold under cfg.rule (see RouterFitConfig)."""
    if cfg.rule == "std":
        return threshold_from_errors(errors, cfg.n_std)
    if cfg.rule == "quantile":
        return float(torch.quantile(errors.double(), cfg.quantile))
    raise InputError(f"unknown threshold rule '{cfg.rule}' (use 'std' or 'quantile')")


def _infer_input_source(direction: str, input_dim: int) -> str:
    """What an older router file saved without `input_source` was fitted on: T2M routers on the
    MiniLM sentence embedding when their inputs are that wide, else on pooled LM embeddings."""
    from .sentence import DIM

    if direction == "m2t":
        return "motion_tokens"
    return "sentence" if input_dim == DIM else "lm_embed"


class AutoencoderRouter:
    """E autoencoders Linear(H->hidden) -> ReLU -> Linear(hidden->H), scored together."""

    def __init__(self, input_dim: int, hidden: int = 256, direction: str = "t2m", input_source: str | None = None):
        self.input_dim = int(input_dim)
        self.hidden = int(hidden)
        self.direction = direction
        self.input_source = input_source  # how inputs become vectors, e.g. "sentence" (see router_inputs)
        # which accepting expert answers: "error" (lowest reconstruction error, the paper's argmax of
        # softmax(-error)) or "ratio" (lowest error / threshold: each AE on its own scale)
        self.rank = "error"
        # optional base-family autoencoders (fit_background), one per family the agent has no expert
        # for: an input one of them explains better than every accepting expert (lower error /
        # threshold, after base_margin) is unseen, even if some expert would accept it
        self.background: "AutoencoderRouter | None" = None
        # a base family must explain the input this many times better than the best accepting
        # expert to make it unseen (1 = just better; > 1 leans to the experts)
        self.base_margin = 1.0
        self.names: list[str] = []
        self.themes: list[str | None] = []
        h, d = self.input_dim, self.hidden
        self.w1 = torch.zeros(0, h, d)
        self.b1 = torch.zeros(0, d)
        self.w2 = torch.zeros(0, d, h)
        self.b2 = torch.zeros(0, h)
        self.mean = torch.zeros(0, h)
        self.std = torch.ones(0, h)
        self.thresholds = torch.zeros(0)
        self.error_mean = torch.zeros(0)
        self.error_std = torch.zeros(0)

    # ------------------------------------------------------------------ fitting
    @property
    def n_experts(self) -> int:
        return len(self.names)

    def fit_expert(self, name: str, theme: str | None, x: Tensor, steps: int | None = None,
                   lr: float | None = None, seed: int | None = None,
                   cfg: RouterFitConfig | None = None, groups=None, kinds=None) -> dict:
        """Train `name`'s autoencoder on its task's inputs x (N, H); replaces an existing one.

        groups: optional (N,) ids of where each input came from (e.g. the clip of each caption).
        The calibration holdout then takes whole groups, so the threshold is measured on inputs
        whose source the AE never saw, as a new prompt will be.
        kinds: optional (N,) labels of the kind of each input (e.g. 0 = full caption, 1 = short
        prompt); the threshold is then the largest per-kind mean + n_std * std (module doc).
        Returns a small report: final training loss, threshold, calibration error stats.
        Other experts' autoencoders are untouched (each is trained on its own data only).
        """
        cfg = cfg or RouterFitConfig()
        steps = cfg.steps if steps is None else steps
        lr = cfg.lr if lr is None else lr
        seed = cfg.seed if seed is None else seed
        x = self._check_input(x).float()
        if x.shape[0] < 2:
            raise InputError(f"router: expert '{name}' needs at least 2 inputs, got {x.shape[0]}")

        gen = torch.Generator().manual_seed(seed)
        perm = torch.randperm(x.shape[0], generator=gen)
        n_cal = int(round(cfg.holdout * x.shape[0])) if x.shape[0] >= 10 else 0
        if groups is not None and n_cal:
            g = torch.as_tensor(groups).reshape(-1)
            if g.shape[0] != x.shape[0]:
                raise InputError(f"router: {g.shape[0]} group ids for {x.shape[0]} inputs")
            ids = torch.unique(g)
            order = ids[torch.randperm(len(ids), generator=gen)]
            held = order[: max(1, int(round(cfg.holdout * len(ids))))]
            mask = torch.isin(g, held)
            perm = torch.cat([torch.nonzero(mask).flatten(), torch.nonzero(~mask).flatten()])
            n_cal = int(mask.sum())
        cal, train = x[perm[:n_cal]], x[perm[n_cal:]]
        if kinds is not None:
            kinds = torch.as_tensor(kinds).reshape(-1)
            if kinds.shape[0] != x.shape[0]:
                raise InputError(f"router: {kinds.shape[0]} kind labels for {x.shape[0]} inputs")
            kinds = kinds[perm[:n_cal]] if n_cal >= 2 else kinds[perm[n_cal:]]

        mean = train.mean(0)
        std = train.std(0, unbiased=False)
        std = torch.clamp(std, min=cfg.std_floor * float(std.mean()) + 1e-8)
        z = (train - mean) / std

        h, d = self.input_dim, self.hidden
        w1 = (torch.randn(h, d, generator=gen) / h ** 0.5).requires_grad_()
        b1 = torch.zeros(d, requires_grad=True)
        w2 = (torch.randn(d, h, generator=gen) / d ** 0.5).requires_grad_()
        b2 = torch.zeros(h, requires_grad=True)
        opt = torch.optim.AdamW([w1, b1, w2, b2], lr=lr, weight_decay=cfg.weight_decay)
        loss = torch.tensor(float("nan"))
        for _ in range(steps):
            idx = torch.randint(0, z.shape[0], (min(cfg.batch_size, z.shape[0]),), generator=gen)
            zb = z[idx]
            recon = torch.relu(zb @ w1 + b1) @ w2 + b2
            loss = ((recon - zb) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()

        slot = dict(w1=w1.detach(), b1=b1.detach(), w2=w2.detach(), b2=b2.detach(), mean=mean, std=std)
        self._put(name, theme, slot)
        e = self.names.index(name)
        calib = cal if n_cal >= 2 else train
        errs = self.errors(calib)[:, e]
        per_kind = [errs[kinds == k] for k in torch.unique(kinds)] if kinds is not None else []
        per_kind = [g for g in per_kind if len(g) >= 2] or [errs]
        self.thresholds[e] = max(calibrated_threshold(g, cfg) for g in per_kind)
        self.error_mean[e] = float(errs.mean())
        self.error_std[e] = float(errs.std(unbiased=False))
        return {"name": name, "final_loss": float(loss.detach()), "threshold": float(self.thresholds[e]),
                "calibration": "holdout" if n_cal >= 2 else "train", "n_inputs": int(x.shape[0]),
                "n_calibration": int(n_cal)}

    def fit_background(self, x: Tensor, cfg: RouterFitConfig | None = None, groups=None, kinds=None,
                       families=None) -> dict:
        """Fit base-family autoencoders on inputs of no task (e.g. the base split's captions).

        Why: the experts' thresholds must be loose enough for everyday wordings of their own task,
        and then inputs that resemble a task only in style (the corpus' own running or kicking
        captions) pass too; AEs that know what *no task* looks like catch them. families: optional
        (N,) family name of each input (running, kicking, ...): one AE per family, as sharp as an
        expert's, instead of one AE blurred over every family. Off (None) gives the paper's rule."""
        bg = AutoencoderRouter(self.input_dim, self.hidden, self.direction, self.input_source)
        cfg = cfg or RouterFitConfig()
        if families is None:
            families = ["base"] * int(x.shape[0])
        if len(families) != int(x.shape[0]):
            raise InputError(f"router: {len(families)} family names for {x.shape[0]} inputs")
        fam = list(families)
        g = None if groups is None else torch.as_tensor(groups).reshape(-1)
        k = None if kinds is None else torch.as_tensor(kinds).reshape(-1)
        reports = {}
        for i, name in enumerate(sorted(set(fam))):
            idx = torch.as_tensor([j for j, f in enumerate(fam) if f == name])
            if len(idx) < 2:
                continue
            sub = replace(cfg, seed=cfg.seed + i)
            reports[name] = bg.fit_expert(name, None, x[idx], cfg=sub, groups=None if g is None else g[idx],
                                          kinds=None if k is None else k[idx])
        if not reports:
            raise InputError("router: the base families need at least 2 inputs")
        self.background = bg
        return {"threshold": max(r["threshold"] for r in reports.values()), "families": reports}

    def _background_ratios(self, x: Tensor, threshold_scale: float) -> Tensor | None:
        """Lowest error / threshold over the base families, per input (None without them)."""
        if self.background is None:
            return None
        ratios = self.background.errors(x) / torch.clamp(self.background.thresholds * threshold_scale, min=1e-12)
        return ratios.min(1).values

    def _put(self, name: str, theme: str | None, slot: dict) -> None:
        """Insert (or replace) one expert's weights in the stacked tensors."""
        if name in self.names:
            e = self.names.index(name)
            self.themes[e] = theme
            for key, value in slot.items():
                getattr(self, key)[e] = value
            return
        self.names.append(name)
        self.themes.append(theme)
        for key, value in slot.items():
            setattr(self, key, torch.cat([getattr(self, key), value[None]], 0))
        for key in ("thresholds", "error_mean", "error_std"):
            setattr(self, key, torch.cat([getattr(self, key), torch.zeros(1)], 0))

    def subset(self, names: list[str]) -> "AutoencoderRouter":
        """A router over only these experts (the router 'as it was' after an earlier task)."""
        out = AutoencoderRouter(self.input_dim, self.hidden, self.direction, self.input_source)
        out.rank = self.rank
        idx = [self.names.index(n) for n in names]
        out.names = list(names)
        out.themes = [self.themes[i] for i in idx]
        for key in ("w1", "b1", "w2", "b2", "mean", "std", "thresholds", "error_mean", "error_std"):
            setattr(out, key, getattr(self, key)[idx].clone())
        out.background = self.background
        out.base_margin = self.base_margin
        return out

    # ------------------------------------------------------------------ scoring
    def _check_input(self, x: Tensor) -> Tensor:
        if not isinstance(x, Tensor):
            x = torch.as_tensor(x)
        if x.dim() == 1:
            x = x[None]
        if x.dim() != 2 or x.shape[1] != self.input_dim:
            raise InputError(f"router expects inputs of width {self.input_dim}, got shape {tuple(x.shape)}")
        if not torch.isfinite(x).all():
            raise InputError("router input contains NaN or infinite values")
        return x

    @torch.no_grad()
    def squared_errors(self, x: Tensor) -> Tensor:
        """Per-dimension squared reconstruction error of every input under every expert's AE:
        (B, H) -> (E, B, H), all experts in two `bmm`s (checked input)."""
        x = self._check_input(x).float()
        z = (x[None] - self.mean[:, None]) / self.std[:, None]  # (E, B, H)
        hid = torch.relu(torch.bmm(z, self.w1) + self.b1[:, None])
        return (torch.bmm(hid, self.w2) + self.b2[:, None] - z) ** 2

    @torch.no_grad()
    def errors(self, x: Tensor) -> Tensor:
        """Reconstruction MSE of every input under every expert's AE: (B, H) -> (B, E)."""
        if self.n_experts == 0:
            return torch.zeros(self._check_input(x).shape[0], 0)
        return self.squared_errors(x).mean(-1).T.contiguous()

    @torch.no_grad()
    def error_parts(self, x: Tensor, name: str) -> Tensor:
        """(B, H) -> (B, H): each input dimension's share of expert `name`'s error (rows sum to 1),
        so a near miss can say what the autoencoder found least like its task."""
        if name not in self.names:
            raise InputError(f"unknown expert '{name}'; known: {', '.join(self.names) or 'none'}")
        sq = self.squared_errors(x)[self.names.index(name)]
        return sq / torch.clamp(sq.sum(-1, keepdim=True), min=1e-12)

    def route_batch(self, x: Tensor, mode: str = "hard", k: int = 2, temperature: float = 1.0,
                    force: str | None = None, threshold_scale: float = 1.0) -> list[RouteResult]:
        """Route every row of x; see `route`."""
        if mode not in ("hard", "soft"):
            raise InputError(f"routing mode must be 'hard' or 'soft', got '{mode}'")
        if force is not None and force != "base" and force not in self.names:
            raise InputError(f"unknown expert '{force}'; known: {', '.join(self.names) or 'none'}, or 'base'")
        if mode == "soft" and int(k) < 1:
            raise InputError(f"k must be >= 1, got {k}")
        if temperature <= 0:
            raise InputError(f"temperature must be > 0, got {temperature}")
        if not threshold_scale > 0:
            raise InputError(f"threshold scale must be > 0, got {threshold_scale}")
        x = self._check_input(x).float()
        errs = self.errors(x)
        bg = self._background_ratios(x, float(threshold_scale))
        k_eff = 1 if mode == "hard" else int(k)
        return [self._decide(row, mode, k_eff, temperature, force, float(threshold_scale),
                             None if bg is None else float(bg[i])) for i, row in enumerate(errs)]

    def route(self, x: Tensor, mode: str = "hard", k: int = 2, temperature: float = 1.0,
              force: str | None = None, threshold_scale: float = 1.0) -> RouteResult:
        """Route one input (H,) or (1, H).

        An expert *accepts* an input when its error is at most its threshold x threshold_scale.
        None accepts -> unseen, the base model answers. Hard: the accepting expert with the lowest
        error answers alone (the paper's argmax of softmax(-error)). Soft: the top-k accepting
        experts are blended with `ratio_weights` (error / threshold on a log scale, so weights
        follow how far inside its threshold each expert is). force: an expert name or "base"
        overrides the decision (errors are still reported). Reported weights are the weights used.
        """
        x = torch.as_tensor(x)
        if x.dim() == 2 and x.shape[0] != 1:
            raise InputError(f"route() takes one input, got {x.shape[0]}; use route_batch()")
        return self.route_batch(x, mode, k, temperature, force, threshold_scale)[0]  # it checks the input

    def _decide(self, row: Tensor, mode: str, k: int, temperature: float, force: str | None,
                threshold_scale: float = 1.0, background_ratio: float | None = None) -> RouteResult:
        result = RouteResult(direction=self.direction, mode=mode, k=k, threshold_scale=threshold_scale,
                             base_ratio=background_ratio)
        if self.n_experts == 0:
            result.forced = force is not None
            return result
        thresholds = self.thresholds * threshold_scale
        ratios = row / torch.clamp(thresholds, min=1e-12)
        accepts = ratios <= 1.0
        score = ratios if self.rank == "ratio" else row
        result.nearest = self.names[int(torch.argmin(score))]
        weights = torch.zeros_like(row)
        if force is not None:
            result.forced = True
            result.chosen = None if force == "base" else force
            if result.chosen is not None:
                weights[self.names.index(force)] = 1.0
        elif not bool(accepts.any()) or (background_ratio is not None
                                         and background_ratio * self.base_margin < float(ratios[accepts].min())):
            result.unseen = True
        else:
            masked = torch.where(accepts, score, torch.full_like(score, float("inf")))
            best = int(torch.argmin(masked))
            result.chosen = self.names[best]
            if mode == "hard":
                weights[best] = 1.0
            else:
                weights = ratio_weights(ratios, accepts, temperature, k)
        for i, name in enumerate(self.names):
            result.experts.append(ExpertScore(name=name, theme=self.themes[i], error=float(row[i]),
                                              threshold=float(thresholds[i]), weight=float(weights[i]),
                                              ratio=float(ratios[i])))
        return result

    # ------------------------------------------------------------------ files
    def save(self, path: str | Path) -> None:
        """`path` (.safetensors) holds the tensors, `path` with .json the names and sizes."""
        from safetensors.torch import save_file

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = ("w1", "b1", "w2", "b2", "mean", "std", "thresholds", "error_mean", "error_std")
        tensors = {key: getattr(self, key).contiguous() for key in keys}
        if self.background is not None:
            tensors.update({f"background.{key}": getattr(self.background, key).contiguous() for key in keys})
        save_file(tensors, str(path.with_suffix(".safetensors")))
        meta = {"input_dim": self.input_dim, "hidden": self.hidden, "direction": self.direction, "rank": self.rank,
                "input_source": self.input_source, "names": self.names, "themes": self.themes,
                "background": self.background is not None, "base_margin": self.base_margin,
                "background_names": None if self.background is None else self.background.names}
        path.with_suffix(".json").write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, path: str | Path) -> "AutoencoderRouter":
        from safetensors.torch import load_file

        path = Path(path)
        st, js = path.with_suffix(".safetensors"), path.with_suffix(".json")
        if not st.exists() or not js.exists():
            raise CheckpointError(f"router files missing: need {st.name} and {js.name} in {path.parent}")
        try:
            meta = json.loads(js.read_text())
            tensors = load_file(str(st))
            direction = meta.get("direction", "t2m")
            source = meta.get("input_source") or _infer_input_source(direction, int(meta["input_dim"]))
            router = cls(meta["input_dim"], meta["hidden"], direction, source)
            router.rank = meta.get("rank", "error")
            router.base_margin = float(meta.get("base_margin", 1.0))
            router.names = list(meta["names"])
            router.themes = list(meta["themes"])
            if meta.get("background"):
                router.background = cls(meta["input_dim"], meta["hidden"], direction, source)
                names = list(meta.get("background_names") or ["base"])
                router.background.names, router.background.themes = names, [None] * len(names)
            for key, value in tensors.items():
                target = router
                if key.startswith("background."):
                    target, key = router.background, key.split(".", 1)[1]
                setattr(target, key, value)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise CheckpointError(f"router {path.name} is unreadable: {exc}") from None
        if router.w1.shape != (router.n_experts, router.input_dim, router.hidden):
            raise CheckpointError(f"router {path.name} is inconsistent: {router.n_experts} names, "
                                  f"weights {tuple(router.w1.shape)}")
        return router

    def config(self) -> dict:
        return {"input_dim": self.input_dim, "hidden": self.hidden, "direction": self.direction,
                "names": list(self.names)}
