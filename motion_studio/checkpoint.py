"""Checkpoint folders: where the default lives, the manifest with sha256 hashes, and its check.

A checkpoint is a plain folder (safetensors, peft adapter folders, JSON configs) plus
`manifest.json`; loading refuses a folder whose files are missing or whose hashes differ,
so a half-copied or edited checkpoint fails with one clear line instead of odd outputs.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import CheckpointError
from .paths import REPO_ROOT, _installed_dir, asset_path, user_home  # noqa: F401 (re-exported)

MANIFEST = "manifest.json"

# Parts every agent checkpoint holds (relative paths); experts are listed in the manifest.
REQUIRED = ("vqvae", "backbone", "tasks.json", "router_t2m.safetensors", "router_m2t.safetensors")


def checkpoint_candidates() -> list[tuple[str, Path]]:
    """Where the default checkpoint is looked for, in order (the first with a manifest wins):
    $MOTION_STUDIO_CHECKPOINT, the source checkout's checkpoints/default, the installed copy."""
    out = []
    env = os.environ.get("MOTION_STUDIO_CHECKPOINT")
    if env:
        out.append(("$MOTION_STUDIO_CHECKPOINT", Path(env)))
    out.append(("source checkout", REPO_ROOT / "checkpoints" / "default"))
    installed = _installed_dir("motion_studio_model")
    if installed is not None:
        out.append(("installed package", installed / "default"))
    return out


def default_checkpoint_dir() -> Path:
    """The first candidate that holds a manifest; else a CheckpointError that lists every place tried."""
    candidates = checkpoint_candidates()
    if os.environ.get("MOTION_STUDIO_CHECKPOINT"):
        return candidates[0][1]  # an explicit choice is used as it is (and fails loudly if wrong)
    for _, path in candidates:
        if (path / MANIFEST).is_file():
            return path
    tried = "; ".join(f"{label}: {path}" for label, path in candidates)
    raise CheckpointError(f"no default checkpoint found (looked in {tried}); pass --checkpoint DIR, set "
                          f"MOTION_STUDIO_CHECKPOINT, or rebuild it with `motion-studio train --preset default`")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def list_files(root: Path) -> list[Path]:
    """Every file under root except the manifest itself, sorted for stable manifests."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def write_manifest(root: str | Path, info: dict) -> Path:
    """Hash every file of the checkpoint and write manifest.json = info + {"files": {...}}."""
    root = Path(root)
    files = {
        p.relative_to(root).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
        for p in list_files(root)
    }
    manifest = dict(info)
    manifest["files"] = files
    manifest["total_bytes"] = sum(f["bytes"] for f in files.values())
    path = root / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    return path


def read_manifest(root: str | Path) -> dict:
    path = Path(root) / MANIFEST
    if not path.is_file():
        raise CheckpointError(
            f"{root}: no {MANIFEST}; not a Motion Studio checkpoint "
            "(build one with `motion-studio train --preset default --out checkpoints/default`)"
        )
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: unreadable manifest ({exc.__class__.__name__})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise CheckpointError(f"{path}: manifest has no file list")
    return manifest


def verify_checkpoint(root: str | Path) -> dict:
    """Return the manifest if every listed file exists with its recorded hash; else CheckpointError."""
    root = Path(root)
    if not root.is_dir():
        raise CheckpointError(
            f"checkpoint folder {root} does not exist "
            "(build one with `motion-studio train --preset default --out checkpoints/default`)"
        )
    manifest = read_manifest(root)
    files = manifest["files"]
    for rel in REQUIRED:
        if not any(name == rel or name.startswith(rel + "/") for name in files):
            raise CheckpointError(f"{root}: checkpoint lacks {rel}")
    for rel, entry in files.items():
        path = root / rel
        if not path.is_file():
            raise CheckpointError(f"{root}: missing file {rel} (listed in the manifest)")
        if sha256_file(path) != entry.get("sha256"):
            raise CheckpointError(f"{root}: {rel} does not match its sha256 in the manifest (corrupt or edited)")
    return manifest


def checkpoint_corpus(root: str | Path, recorded: str | Path, progress: bool = True, on_clip=None,
                      generate: bool = True) -> Path | None:
    """The corpus a checkpoint was trained on: the recorded folder when it exists; else, for the
    built-in corpus, regenerate it (deterministic from seed and size) in the user's folder
    (`user_home()/corpora`) and return that. Library code prints nothing: progress bars only.
    generate=False: only say where it is (None when it would have to be generated)."""
    recorded = Path(recorded)
    if recorded.is_dir() and _same_corpus_version(root, recorded):
        return recorded
    manifest = read_manifest(root)
    corpus = manifest.get("corpus") or {}
    if corpus.get("source") != "built-in" or not corpus.get("clips"):
        raise CheckpointError(f"the checkpoint's data {recorded} is not on this machine")
    version = corpus.get("generator_version", 1)
    from .data.corpus.writer import VERSION

    if version != VERSION:
        raise CheckpointError(f"the checkpoint was trained on built-in corpus v{version}, but this version "
                              f"generates v{VERSION}; pass --data with the original corpus folder")
    out = user_home() / "corpora" / f"builtin-v{version}-seed{corpus['seed']}-{corpus['clips']}"
    if not (out / "corpus.json").exists():
        if not generate:
            return None
        from .data.corpus import generate_corpus

        generate_corpus(out, n_clips=int(corpus["clips"]), seed=int(corpus["seed"]), workers=2, progress=progress,
                        on_clip=on_clip)
    return out


def _same_corpus_version(root: str | Path, folder: Path) -> bool:
    """False when the folder holds another version of the built-in corpus than the checkpoint was
    trained on (a v1 checkpoint must not silently read a v2 corpus that reuses its folder)."""
    if not (Path(root) / MANIFEST).exists() or not (folder / "corpus.json").exists():
        return True  # a training work folder, or a corpus that is not the built-in one
    corpus = read_manifest(root).get("corpus") or {}
    if corpus.get("source") != "built-in":
        return True
    try:
        found = json.loads((folder / "corpus.json").read_text(encoding="utf-8")).get("version", 1)
    except (OSError, ValueError, AttributeError):
        return False
    return found == corpus.get("generator_version", 1)


class Checkpoint:
    """One checkpoint folder and lazy loaders for what it holds: the one load path of the agent,
    training (learn, pipeline), the benchmark and the model report.

        ck = Checkpoint(root)  or  Checkpoint.default()
        ck.manifest, ck.verify(), ck.tasks, ck.dataset(), ck.backbone(), ck.vqvae(), ck.parts(model),
        ck.codes(), ck.evaluator(), ck.t2m_source

    A training work folder reads the same way: `tasks_file` and `evaluator_dir` point at where
    the pipeline keeps them when they are not inside `root`. Nothing is read until asked for;
    `backbone()` and `vqvae()` load once and return the same object afterwards.
    """

    def __init__(self, root: str | Path, tasks_file: str | Path | None = None,
                 evaluator_dir: str | Path | None = None) -> None:
        self.root = Path(root)
        self.tasks_file = Path(tasks_file) if tasks_file else self.root / "tasks.json"
        self.evaluator_dir = Path(evaluator_dir) if evaluator_dir else self.root / "evaluator"
        self._cache: dict = {}

    @classmethod
    def default(cls) -> "Checkpoint":
        return cls(default_checkpoint_dir())

    def __repr__(self) -> str:
        return f"Checkpoint({str(self.root)!r})"

    def _once(self, key: str, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def manifest(self) -> dict:
        return self._once("manifest", lambda: read_manifest(self.root))

    def verify(self) -> dict:
        """The manifest, after checking every file's hash (CheckpointError otherwise)."""
        self._cache["manifest"] = verify_checkpoint(self.root)
        return self._cache["manifest"]

    @property
    def continual_config(self) -> dict:
        """The continual-training config recorded in the manifest ({} when absent)."""
        if not (self.root / MANIFEST).is_file():
            return {}
        return (self.manifest.get("configs") or {}).get("continual") or {}

    @property
    def tasks(self):
        """The task split (data.tasks.TaskSplit) the checkpoint was trained on."""
        from .data.tasks import load_tasks

        if not self.tasks_file.is_file():
            raise CheckpointError(f"{self.root} is not a trained checkpoint (no {self.tasks_file.name})")
        return self._once("tasks", lambda: load_tasks(self.tasks_file))

    def dataset(self, progress: bool = True):
        """The corpus it was trained on (regenerated in the user's folder when it is the built-in one)."""
        from .data.dataset import MotionDataset

        return self._once("dataset", lambda: MotionDataset(checkpoint_corpus(self.root, self.tasks.data_dir,
                                                                             progress)))

    def backbone(self):
        """The frozen MotionLM (the same object on every call: the parts wrap it)."""
        from .models.backbone import MotionLM

        return self._once("backbone", lambda: MotionLM.load(self.root / "backbone").freeze())

    def vqvae(self):
        from .models.vqvae import MotionVQVAE

        return self._once("vqvae", lambda: MotionVQVAE.load(self.root / "vqvae").eval())

    def parts(self, model=None):
        """The expert bank and both routers (models.agent_parts.AgentParts) over `model`
        (default: this checkpoint's backbone). A new container on every call."""
        from .models.agent_parts import AgentParts

        return AgentParts.load(self.backbone() if model is None else model, self.root)

    def codes(self) -> dict[str, list[int]]:
        """VQ codes of every corpus clip, by clip id."""
        from .models.vqvae import load_codes

        return self._once("codes", lambda: load_codes(self.root / "codes.safetensors"))

    def evaluator(self):
        from .models.evaluator import TextMotionEvaluator

        return self._once("evaluator", lambda: TextMotionEvaluator.load(self.evaluator_dir).eval())

    @property
    def t2m_source(self) -> str:
        """How the T2M router turns a prompt into its input ("sentence", "sentence_action", "lm_embed", ...)."""
        return self._router_source("t2m")

    @property
    def m2t_source(self) -> str:
        """How the M2T router turns a motion into its input ("motion_tokens" or "motion_stats")."""
        return self._router_source("m2t")

    def _router_source(self, direction: str) -> str:
        """A router's input source as it resolved when it loaded (models.router.AutoencoderRouter.load)."""
        from .models.router import AutoencoderRouter

        return self._once(f"{direction}_source",
                          lambda: AutoencoderRouter.load(self.root / f"router_{direction}.safetensors").input_source)


HEADLINE_METRICS = ("t2m_rprec3", "t2m_fid", "m2t_bleu4", "m2t_cider", "t2m_token_acc", "m2t_token_acc")


def record_headline(checkpoint, results: dict, out_dir) -> dict:
    """Copy the benchmark's figures for the shipped agent (MoE, hard routing) into the checkpoint's
    manifest, so the checkpoint says what it scores and where the full results are. `results`
    must already be JSON-safe (NaN as None)."""
    path = Path(checkpoint) / MANIFEST
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text())
    m = results["methods"]["moe_hard"]
    headline = {
        "source": str(Path(out_dir) / "results.json"),
        "command": results.get("command"),
        "method": "moe_hard",
        "ACC": {k: m["ACC"][k] for k in HEADLINE_METRICS},
        "BWT": {k: m["BWT"][k] for k in HEADLINE_METRICS},
        "forgetting": {k: m.get("forgetting", {}).get(k) for k in HEADLINE_METRICS},
        "routing_accuracy": m["routing_accuracy"],
        "sequential_BWT": {k: results["methods"]["sequential"]["BWT"][k] for k in HEADLINE_METRICS},
    }
    manifest["headline"] = headline
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return headline
