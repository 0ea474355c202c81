"""Where training runs: one device string for every trainer, and data parallelism through accelerate.

    --device auto|cpu|cuda|cuda:N   ->  resolve_device()  ->  "cpu" or "cuda:N"

The CLI sets the process-wide training device once (`use_device`); every trainer asks
`runtime(device)` for a `Runtime`: the torch device to put the model on, this process' rank and
the world size, and the few collectives a data-parallel step needs. The Runtime wraps one
`accelerate.Accelerator`, so the same trainer code runs

  - single-process on the CPU or one GPU (the default; nothing is exchanged, results are the
    same as before accelerate was used at all),
  - on N GPUs:      accelerate launch --multi_gpu --num_processes N -m motion_studio train ...
  - on N CPU procs: torchrun --nproc_per_node N -m motion_studio train ... --device cpu (gloo)
  - on several machines with accelerate's own config file.

Data parallelism is done by hand on top of the Accelerator's process group instead of a DDP
wrapper: the trainers call model methods (`loss`, `token_accuracy`), not `forward`, and often
train a parameter subset (one LoRA expert), which DDP's reducer handles badly. Each step every
process draws the same global batch (same seed), takes its slice `[rank::world]`, and the
gradients are averaged (`average_gradients`), so the update matches the single-process step on
the whole batch up to float reduction order. Only the main process writes (checkpoints,
progress bars, results); see `private_dirs` for the pipeline's own folders.
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

_DEFAULT_DEVICE: str | None = None  # set by the CLI (`--device`); None = "cpu" for trainers
_ACCELERATOR = None
_ACCELERATOR_CPU: bool | None = None
_PRIVATE_ROOT: Path | None = None  # a non-main process' scratch folder (private_dirs)


def resolve_device(device: str | None) -> str:
    """"auto" -> "cuda:0" when torch sees a GPU (else "cpu"); "cuda" -> "cuda:0"; "cuda:N" checked
    against the GPUs present. Anything unavailable is an InputError (one line for the user)."""
    import torch

    device = (device or "auto").strip().lower()
    if device == "auto":
        return "cuda:0" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return "cpu"
    if device == "cuda" or device.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise InputError(f"--device {device}: no CUDA GPU is available here (use cpu)")
        index = device.partition(":")[2] or "0"
        if not index.isdigit() or int(index) >= torch.cuda.device_count():
            raise InputError(f"--device {device}: there are {torch.cuda.device_count()} CUDA device(s) "
                             f"(cuda:0 .. cuda:{torch.cuda.device_count() - 1})")
        return f"cuda:{int(index)}"
    raise InputError(f"unknown device '{device}' (use cpu, cuda, cuda:N or auto)")


def set_training_device(device: str | None) -> None:
    """The device trainers use when their caller does not name one (None: back to the CPU)."""
    global _DEFAULT_DEVICE
    _DEFAULT_DEVICE = None if device is None else resolve_device(device)


def training_device(device: str | None = None) -> str:
    """`device` resolved, else the process-wide one (`set_training_device`), else "cpu"."""
    if device is not None:
        return resolve_device(device)
    return _DEFAULT_DEVICE or "cpu"


@contextmanager
def use_device(device: str | None):
    """Trainers started inside this block use `device` (the CLI wraps each command in it)."""
    global _DEFAULT_DEVICE
    previous = _DEFAULT_DEVICE
    set_training_device(device)
    try:
        yield training_device()
    finally:
        _DEFAULT_DEVICE = previous


BF16_CPU_FLAGS = frozenset({"avx512_bf16", "amx_bf16", "bf16"})  # x86 AVX512-BF16 / AMX, arm64 BF16


def cpu_flags_have_bf16(cpuinfo: str) -> bool:
    """Whether a /proc/cpuinfo text names a native bf16 instruction set (its "flags" or, on arm64,
    "Features" lines)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("flags", "features") and BF16_CPU_FLAGS & set(value.split()):
            return True
    return False


@functools.lru_cache(maxsize=1)
def cpu_has_fast_bf16() -> bool:
    """Whether this CPU computes bf16 natively. Without it torch emulates bf16 through fp32 and
    autocast is slower, not faster: one backbone train step took 1.17 s in bf16 against 0.33 s in
    fp32 on an AVX-512 CPU without AVX512-BF16 (2.5x faster in bf16 on one with it). Unknown
    (not Linux, not macOS): False, since fp32 is always correct."""
    import platform
    import subprocess

    try:
        if platform.system() == "Linux":
            return cpu_flags_have_bf16(Path("/proc/cpuinfo").read_text(errors="replace"))
        if platform.system() == "Darwin":
            out = subprocess.run(["sysctl", "-n", "hw.optional.arm.FEAT_BF16"], capture_output=True, text=True,
                                 timeout=5)
            return out.stdout.strip() == "1"
    except (OSError, subprocess.SubprocessError):
        pass
    return False


def bf16_supported(device: str) -> bool:
    """Whether bf16 autocast helps on `device`: CUDA GPUs that report bf16 support (Ampere and
    newer), CPUs with native bf16 (cpu_has_fast_bf16). Elsewhere training stays in fp32."""
    import torch

    if device.startswith("cuda"):
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    return cpu_has_fast_bf16()


def autocast(device: str, enabled: bool = True):
    """bf16 autocast for `device` ("cpu" or "cuda:N"); a no-op context when disabled/unsupported."""
    import torch

    kind = torch.device(device).type
    return torch.autocast(device_type=kind, dtype=torch.bfloat16, enabled=bool(enabled) and bf16_supported(device))


def launched_world_size() -> int:
    """Processes started by torchrun / accelerate launch (1 when run directly)."""
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError:
        return 1


def launched_rank() -> int:
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def is_main_process() -> bool:
    """True in a single-process run and in rank 0 of a launched one (no process group needed)."""
    return launched_rank() == 0


def may_write(path) -> bool:
    """Whether this process writes `path`: always in the main process; in the others only inside
    their private scratch folder (private_dirs), never in the real folders."""
    if path is None:
        return False
    if is_main_process():
        return True
    if _PRIVATE_ROOT is None:
        return False
    try:
        Path(path).resolve().relative_to(_PRIVATE_ROOT.resolve())
        return True
    except ValueError:
        return False


def accelerator(device: str):
    """The process' Accelerator (created once; recreated when the CPU/GPU choice changes)."""
    global _ACCELERATOR, _ACCELERATOR_CPU
    from accelerate import Accelerator

    cpu = not device.startswith("cuda")
    if _ACCELERATOR is not None and _ACCELERATOR_CPU == cpu:
        return _ACCELERATOR
    if _ACCELERATOR is not None:
        from accelerate.state import AcceleratorState

        AcceleratorState._reset_state(reset_partial_state=launched_world_size() == 1)
    if not cpu and launched_world_size() == 1:
        import torch

        torch.cuda.set_device(torch.device(device))
    _ACCELERATOR, _ACCELERATOR_CPU = Accelerator(cpu=cpu), cpu
    return _ACCELERATOR


class Runtime:
    """One trainer's view of the run: device, rank/world and the collectives of a data-parallel step."""

    def __init__(self, device: str) -> None:
        self.accelerator = accelerator(device)
        self.world = int(self.accelerator.num_processes)
        self.rank = int(self.accelerator.process_index)
        # One process: exactly the device asked for (cuda:N included). Several: accelerate's
        # per-process device (cuda:LOCAL_RANK, or the CPU).
        self.device = device if self.world == 1 else str(self.accelerator.device)
        self.is_main = bool(self.accelerator.is_main_process)

    @property
    def distributed(self) -> bool:
        return self.world > 1

    def shard(self, rows: list) -> list:
        """This process' slice of a global batch (the whole batch in a single-process run)."""
        return rows if self.world == 1 else rows[self.rank::self.world]

    def average_gradients(self, params) -> None:
        """Mean of every process' gradients (one flat all-reduce); no-op in one process."""
        if self.world == 1:
            return
        import torch
        import torch.distributed as dist

        grads = []
        for p in params:
            if p.grad is None:
                p.grad = torch.zeros_like(p)
            grads.append(p.grad)
        if not grads:
            return
        flat = torch.cat([g.reshape(-1).float() for g in grads])
        dist.all_reduce(flat)
        flat /= self.world
        offset = 0
        for g in grads:
            n = g.numel()
            g.copy_(flat[offset:offset + n].view_as(g))
            offset += n

    def broadcast_parameters(self, module) -> None:
        """Every process starts from the main process' weights and buffers."""
        if self.world == 1:
            return
        import torch.distributed as dist

        for t in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(t.data, src=0)

    def broadcast_buffers(self, module) -> None:
        """The main process' buffers everywhere (e.g. the VQ-VAE's EMA codebook, as DDP does)."""
        if self.world == 1:
            return
        import torch.distributed as dist

        for t in module.buffers():
            dist.broadcast(t.data, src=0)

    def share(self, count: float) -> float:
        """world * count / (sum of count over processes): the weight that turns a mean over this
        process' items into its part of the mean over everyone's (after gradient averaging)."""
        if self.world == 1:
            return 1.0
        import torch
        import torch.distributed as dist

        t = torch.tensor([float(count)], dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return self.world * float(count) / max(float(t.item()), 1.0)

    def main_decides(self, value: float) -> float:
        """The main process' value of a number (a stop flag, a step total) on every process."""
        if self.world == 1:
            return value
        import torch
        import torch.distributed as dist

        t = torch.tensor([float(value)], dtype=torch.float64, device=self.device)
        dist.broadcast(t, src=0)
        return float(t.item())

    def mean(self, value: float) -> float:
        """The mean of a number over processes (e.g. the logged loss)."""
        if self.world == 1:
            return value
        import torch
        import torch.distributed as dist

        t = torch.tensor([float(value)], dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return float(t.item()) / self.world

    def wait(self) -> None:
        if self.world > 1:
            self.accelerator.wait_for_everyone()


def runtime(device: str | None = None) -> Runtime:
    """The Runtime for a trainer: `device` if given, else the process-wide training device."""
    return Runtime(training_device(device))


def module_device(module) -> str:
    for t in list(module.parameters()) + list(module.buffers()):
        return str(t.device)
    return "cpu"


# ---------------------------------------------------------------- the pipeline's folders
@contextmanager
def private_dirs(work: Path, out: Path | None = None, device: str = "cpu"):
    """(work, out) for this process: the real folders in the main process; in the others a
    private mirror of `work` (a snapshot taken while the main process waits) and a scratch `out`,
    removed at the end.

    Every process runs the same deterministic pipeline so that all of them reach each training
    stage together (and skip the same finished stages on a resume); only the main process'
    writes land in the real folders. A finished built-in corpus is linked, not copied.
    """
    if launched_world_size() == 1 or is_main_process():
        if launched_world_size() > 1:
            _barrier(device)  # the others copy `work` now; nothing may change it meanwhile
        yield work, out
        return
    global _PRIVATE_ROOT
    scratch = Path(tempfile.mkdtemp(prefix=f"motion-studio-rank{launched_rank()}-"))
    _PRIVATE_ROOT = scratch
    try:
        mirror = scratch / "work"
        mirror.mkdir()
        if work.exists():
            for item in work.iterdir():
                if item.is_dir() and item.name == "corpus" and (item / "corpus.json").exists():
                    (mirror / item.name).symlink_to(item.resolve(), target_is_directory=True)
                elif item.is_dir():
                    shutil.copytree(item, mirror / item.name, symlinks=True)
                else:
                    shutil.copy2(item, mirror / item.name)
        _barrier(device)
        yield mirror, (scratch / "out" if out is not None else None)
    finally:
        _PRIVATE_ROOT = None
        shutil.rmtree(scratch, ignore_errors=True)


def _barrier(device: str) -> None:
    accelerator(resolve_device(device)).wait_for_everyone()
