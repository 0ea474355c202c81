"""PNG figures of a benchmark's results.json: accuracy matrices, router confusion, ACC/BWT bars.

matplotlib runs with the Agg backend (no display needed); every function writes one file and
returns its path, so the app's results view and the docs can show them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

HEADLINE = ("t2m_rprec3", "m2t_bleu4")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _heatmap(ax, mat, rows, cols, title, fmt="{:.1f}"):
    a = np.asarray(mat, dtype=float)
    im = ax.imshow(np.nan_to_num(a), cmap="viridis")
    ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    ax.set_title(title, fontsize=9)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            ax.text(j, i, fmt.format(a[i, j]), ha="center", va="center", fontsize=6, color="white")
    return im


def plot_matrices(results: dict, out_dir: Path, metric: str) -> Path:
    """One heatmap per method of R[i][j] (rows: after task i, columns: task j)."""
    plt = _plt()
    tasks = results["tasks"]
    methods = list(results["methods"])
    fig, axes = plt.subplots(1, len(methods), figsize=(2.6 * len(methods), 3.0), squeeze=False)
    for ax, m in zip(axes[0], methods):
        _heatmap(ax, results["methods"][m]["matrices"][metric], [f"after {t}" for t in tasks], tasks, m)
    fig.suptitle(f"{metric}: score on task j (column) after training task i (row)", fontsize=10)
    fig.tight_layout()
    path = out_dir / f"matrix_{metric}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_confusion(results: dict, out_dir: Path) -> Path:
    """Router confusion after the last task: true task (rows) x chosen expert (columns)."""
    plt = _plt()
    r = results["routing"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 4), squeeze=False)
    for ax, d in zip(axes[0], ("t2m", "m2t")):
        _heatmap(ax, r["confusion"][d], r["labels_true"], r["labels_chosen"],
                 f"{d} router: accuracy {r['accuracy'][d]:.1f}%", fmt="{:.0f}")
        ax.set_ylabel("true task")
        ax.set_xlabel("chosen expert")
    fig.tight_layout()
    path = out_dir / "router_confusion.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_acc_bwt(results: dict, out_dir: Path) -> Path:
    """Grouped bars of ACC and BWT for the headline metrics, one group per method."""
    plt = _plt()
    methods = list(results["methods"])
    fig, axes = plt.subplots(1, 2 * len(HEADLINE), figsize=(4 * len(HEADLINE) * 2, 3.4), squeeze=False)
    x = np.arange(len(methods))
    k = 0
    for metric in HEADLINE:
        for stat in ("ACC", "BWT"):
            vals = [results["methods"][m][stat][metric] for m in methods]
            ax = axes[0][k]
            ax.bar(x, [0.0 if v is None else v for v in vals],
                   color=["tab:red" if (v or 0) < 0 else "tab:blue" for v in vals])
            ax.set_xticks(x, methods, rotation=45, ha="right", fontsize=7)
            ax.set_title(f"{stat} {metric}", fontsize=9)
            ax.axhline(0, color="black", lw=0.5)
            k += 1
    fig.tight_layout()
    path = out_dir / "acc_bwt.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_plots(results: dict, out_dir: str | Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [plot_matrices(results, out_dir, m) for m in HEADLINE]
    paths.append(plot_confusion(results, out_dir))
    paths.append(plot_acc_bwt(results, out_dir))
    return paths
