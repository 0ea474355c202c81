"""A contact sheet: one cell per action, stick figures in onion skin, front and side views.

It is how a person checks the corpus at a glance (feet on the floor, arms where the caption
says, the root trail). Rendered with matplotlib's Agg backend, no window needed.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...errors import MotionFileError
from ...motion.skeleton import CHAIN_SIDES, KINEMATIC_CHAIN

CHAIN_COLOURS = {"left": "#1f6fd1", "right": "#d1341f", "spine": "#333333"}


def _style(ax, xs: np.ndarray, ys: np.ndarray, min_half: float) -> None:
    mid_x, mid_y = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    half = max((xs.max() - xs.min()) / 2 + 0.2, (ys.max() - ys.min()) / 2 + 0.2, min_half)
    ax.set_xlim(mid_x - half, mid_x + half)
    ax.set_ylim(mid_y - half, mid_y + half)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw_clip(ax_a, ax_side, joints: np.ndarray, title: str, n_ghosts: int = 6) -> None:
    """Draw one clip in two panels: side view (z forward to the right) and, beside it, a front
    view (x right = the body's left) or, for clips that travel, a top view (+Z up the page)."""
    t = len(joints)
    frames = np.unique(np.linspace(0, t - 1, n_ghosts).round().astype(int))
    travel = np.ptp(joints[:, 0, [0, 2]], axis=0).max()
    top = travel > 1.0
    # (horizontal, vertical) coordinates per panel
    views = [((lambda p: -p[..., 0]), (lambda p: p[..., 2])) if top else ((lambda p: p[..., 0]), (lambda p: p[..., 1])),
             ((lambda p: p[..., 2]), (lambda p: p[..., 1]))]
    for ax, (hx, vy) in zip((ax_a, ax_side), views):
        for i, f in enumerate(frames):
            alpha = min(1.0, 0.2 + 0.8 * (i + 1) / len(frames))
            for chain, side in zip(KINEMATIC_CHAIN, CHAIN_SIDES):
                p = joints[f, list(chain)]
                ax.plot(hx(p), vy(p), color=CHAIN_COLOURS[side], alpha=alpha, lw=1.2 if i == len(frames) - 1 else 0.8)
        root = joints[:, 0]
        ax.plot(hx(root), vy(root), color="#2a9d3a", lw=0.8, ls=":")  # root trail
        if vy is views[1][1] or not top:
            ax.axhline(0.0, color="#999999", lw=0.6)  # the floor
            xs = hx(joints).ravel()
            _style(ax, xs, np.array([-0.05, max(1.9, joints[..., 1].max())]), 1.0)
        else:
            _style(ax, hx(joints).ravel(), vy(joints).ravel(), 1.0)
    ax_a.set_title(title, fontsize=8, loc="left")
    ax_side.set_title("side", fontsize=6, loc="right", color="#777777")
    if top:
        ax_a.text(0.02, 0.02, "top", transform=ax_a.transAxes, fontsize=6, color="#777777")


def render_clips(clips: list[tuple[str, np.ndarray]], out_png: str | Path, columns: int = 6) -> Path:
    """Grid of (title, joints) cells, two axes each; writes a PNG and returns its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = max(1, int(np.ceil(len(clips) / columns)))
    fig, axes = plt.subplots(rows, 2 * columns, figsize=(2.6 * columns, 2.0 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for i, (title, joints) in enumerate(clips):
        r, c = divmod(i, columns)
        a, b = axes[r, 2 * c], axes[r, 2 * c + 1]
        a.axis("on")
        b.axis("on")
        draw_clip(a, b, np.asarray(joints), title)
    fig.tight_layout(pad=0.3, w_pad=0.1, h_pad=0.6)
    out = Path(out_png)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out


def render_contact_sheet(data_dir: str | Path, out_png: str | Path, per_action: int = 1, columns: int = 6) -> Path:
    """Contact sheet of a corpus directory: `per_action` clips of every action in corpus.json."""
    data_dir = Path(data_dir)
    meta_path = data_dir / "corpus.json"
    if not meta_path.is_file():
        raise MotionFileError(f"{data_dir} has no corpus.json; a contact sheet needs the built-in corpus")
    try:
        meta = json.loads(meta_path.read_text())["clips_meta"]
    except (ValueError, KeyError) as exc:
        raise MotionFileError(f"{meta_path} is not a valid corpus.json ({exc})") from None
    chosen: dict[str, list[str]] = {}
    for clip_id in sorted(meta):
        info = meta[clip_id]
        if info.get("composed"):
            continue
        ids = chosen.setdefault(info["action"], [])
        if len(ids) < per_action and (data_dir / "new_joints" / f"{clip_id}.npy").is_file():
            ids.append(clip_id)
    clips = []
    for act in sorted(chosen, key=lambda a: (meta[chosen[a][0]]["family"], a) if chosen[a] else ("", a)):
        for clip_id in chosen[act]:
            joints = np.load(data_dir / "new_joints" / f"{clip_id}.npy", allow_pickle=False)
            clips.append((f"{act} ({meta[clip_id]['family']})", joints))
    if not clips:
        raise MotionFileError(f"{data_dir} holds no clips to draw")
    return render_clips(clips, out_png, columns=columns)


def contact_sheet_command(data_dir: str, out: str, per_action: int = 1) -> int:
    """What `motion-studio contact-sheet DATA_DIR --out PNG` runs; prints where the sheet went."""
    path = render_contact_sheet(data_dir, out, per_action=per_action)
    print(f"wrote {path}")
    return 0
