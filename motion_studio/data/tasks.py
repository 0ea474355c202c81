"""The five-task split: cluster clip descriptions by meaning, pick five clusters as tasks.

As in the paper, a clip is represented by the mean MiniLM embedding of its captions; k-means
(more clusters than tasks, fixed seed) groups the clips; TF-IDF over each cluster's captions
names it. Five clusters (or unions of clusters) become the continual tasks; every other clip
goes to the base split the foundation model trains on. Each task's train/val/test ids follow
the dataset's own train.txt/val.txt/test.txt.

Built-in corpus (corpus.json present): every clip has a family, so each cluster gets a purity
(share of its majority family) and the tasks are the five themes in the paper's order, each the
union of the pure clusters of that theme, plus that theme's clips from clusters too mixed to be
a task (walking in a circle clustered with running in a circle). A clip composed of two themes' actions ("jumps, then
waves") joins no task: it goes to the base split (its task label would be a coin toss). Real HumanML3D (no corpus.json): the five most
coherent clusters of reasonable size, theme = null.

Only captions are needed, so this module reads texts/ and the split files itself; it works on
a text-only copy of HumanML3D and never touches motion arrays.

    motion-studio tasks DATA_DIR [--out tasks.json] [--n-tasks 5] [--seed 0]
    (also: python -m motion_studio.data.tasks DATA_DIR ...)
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError, MotionFileError

__all__ = ["THEMES", "Task", "TaskSplit", "build_tasks", "load_tasks", "format_summary"]

THEMES = ["jumping", "arms", "walking", "gestures", "sitstand"]  # the paper's task order
SPLITS = ("train", "val", "test")
MIN_PURITY = 0.9
# words that say who moves, not how: useless as cluster names
_DOMAIN_STOP = ["person", "man", "woman", "someone", "somebody", "human", "figure", "guy", "lady",
                "people", "character", "subject", "individual", "adult", "young", "stick"]


@dataclass
class Task:
    index: int  # 0..n_tasks-1; -1 for the base split
    name: str
    theme: str | None = None
    keywords: list[str] = field(default_factory=list)
    purity: float | None = None
    train: list[str] = field(default_factory=list)
    val: list[str] = field(default_factory=list)
    test: list[str] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)

    def ids(self, split: str | None = None) -> list[str]:
        """Clip ids of one split, or of all three."""
        if split is None:
            return self.train + self.val + self.test
        if split not in SPLITS:
            raise InputError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
        return list(getattr(self, split))

    @property
    def size(self) -> int:
        return len(self.train) + len(self.val) + len(self.test)


@dataclass
class TaskSplit:
    tasks: list[Task]
    base: Task
    data_dir: str = ""
    seed: int = 0

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tasks]

    def by_name(self, name: str) -> Task:
        for t in self.tasks + [self.base]:
            if t.name == name:
                return t
        raise InputError(f"no task named {name!r}; tasks are {', '.join(self.names)} and base")

    def task_of(self, clip_id: str) -> str | None:
        """Name of the task (or "base") holding a clip; None when the clip is in neither."""
        if not hasattr(self, "_owner"):
            self._owner = {c: t.name for t in self.tasks + [self.base] for c in t.ids()}
        return self._owner.get(clip_id)


# ------------------------------------------------------------------ reading


@dataclass
class _Corpus:
    split_of: dict[str, str]  # clip id -> "train" | "val" | "test"
    captions: dict[str, list[str]]  # clip id -> captions (clips without any are left out)
    family: dict[str, str] | None  # clip id -> family, built-in corpus only
    mixed: set[str] = field(default_factory=set)  # built-in clips whose parts span two themes


def _read_captions(path: Path) -> list[str]:
    """HumanML3D texts/<id>.txt: one "caption#tokens#start#end" per line; the caption is kept."""
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        cap = line.split("#", 1)[0].strip()
        if cap:
            out.append(cap)
    return out


def _read_families(corpus_json: Path) -> tuple[dict[str, str] | None, set[str]]:
    """(clip id -> family, ids of two-theme compositions) from the built-in corpus' corpus.json."""
    try:
        info = json.loads(corpus_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MotionFileError(f"{corpus_json} is not readable JSON ({exc})") from None
    meta = info.get("clips_meta") if isinstance(info, dict) else None
    if isinstance(meta, list):  # tolerate a list of {"id": ..., "family": ...}
        meta = {str(m.get("id")): m for m in meta if isinstance(m, dict)}
    if not isinstance(meta, dict):
        return None, set()
    family = {str(k): str(v["family"]) for k, v in meta.items() if isinstance(v, dict) and v.get("family")}
    return family, {str(k) for k, v in meta.items() if isinstance(v, dict) and len(_part_families(v)) > 1}


def _part_families(meta: dict) -> set[str]:
    """Families of a clip's actions ("jumps, then waves" -> {jumping, gestures})."""
    from .corpus.actions import ACTIONS

    parts = meta.get("parts") or []
    return {ACTIONS[p].family for p in parts if isinstance(p, str) and p in ACTIONS}


def _read_corpus(data_dir: Path) -> _Corpus:
    if not data_dir.is_dir():
        raise MotionFileError(f"{data_dir} is not a folder")
    split_of: dict[str, str] = {}
    for split in SPLITS:
        f = data_dir / f"{split}.txt"
        if f.exists():
            for line in f.read_text(encoding="utf-8").split():
                split_of.setdefault(line.strip(), split)
    if not split_of:
        raise MotionFileError(f"{data_dir} has no train.txt/val.txt/test.txt (HumanML3D layout expected)")
    texts = data_dir / "texts"
    if not texts.is_dir():
        raise MotionFileError(f"{data_dir} has no texts/ folder of captions")
    captions = {}
    for cid in split_of:
        f = texts / f"{cid}.txt"
        caps = _read_captions(f) if f.exists() else []
        if caps:
            captions[cid] = caps
    families, mixed = (_read_families(data_dir / "corpus.json") if (data_dir / "corpus.json").exists()
                       else (None, set()))
    return _Corpus(split_of, captions, families or None, mixed)


# --------------------------------------------------------------- clustering


def _clip_embeddings(ids: list[str], captions: dict[str, list[str]], embed) -> np.ndarray:
    """Mean of each clip's caption embeddings, re-normalised to unit length."""
    flat = [c for cid in ids for c in captions[cid]]
    emb = np.asarray(embed(flat), dtype=np.float32)
    out, i = np.zeros((len(ids), emb.shape[1]), np.float32), 0
    for row, cid in enumerate(ids):
        n = len(captions[cid])
        out[row] = emb[i:i + n].mean(0)
        i += n
    return out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-8)


def _kmeans(emb: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(emb)


def _cluster_keywords(labels: np.ndarray, ids: list[str], captions: dict[str, list[str]], k: int, top: int = 5):
    """Top TF-IDF words per cluster; one document per cluster (all its captions)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    docs = [" ".join(c for cid, lab in zip(ids, labels) if lab == j for c in captions[cid]) for j in range(k)]
    vec = TfidfVectorizer(stop_words=list(ENGLISH_STOP_WORDS.union(_DOMAIN_STOP)), sublinear_tf=True)
    try:
        m = vec.fit_transform(docs).toarray()
    except ValueError:  # only stop words in every caption
        return [[] for _ in range(k)]
    vocab = np.array(vec.get_feature_names_out())
    return [[str(w) for w, s in zip(vocab[np.argsort(-row, kind="stable")[:top]], np.sort(row)[::-1][:top]) if s > 0]
            for row in m]


def _coherence(emb: np.ndarray) -> float:
    """Mean cosine similarity of members to their centroid (1 = identical descriptions)."""
    c = emb.mean(0)
    c = c / max(np.linalg.norm(c), 1e-8)
    return float((emb @ c).mean())


def _choose_themed(labels, ids, family, k, n_tasks):
    """Per theme (paper order), a union of the clusters whose majority family is that theme:
    purest clusters first, each added only while the union stays >= MIN_PURITY; if no cluster
    is that pure, the purest cluster of the theme alone."""
    clusters, counts = [], []
    for j in range(k):
        fams = Counter(family.get(cid, "unknown") for cid, lab in zip(ids, labels) if lab == j)
        size = sum(fams.values())
        top, count = fams.most_common(1)[0] if size else ("unknown", 0)
        clusters.append({"majority_family": top, "purity": count / size if size else 0.0, "size": size})
        counts.append(fams)
    themes = [t for t in THEMES if t in set(family.values())][:n_tasks]
    picks = []
    for theme in themes:
        mine = sorted((j for j, c in enumerate(clusters) if c["majority_family"] == theme),
                      key=lambda j: (-clusters[j]["purity"], -clusters[j]["size"], j))
        chosen, hits, size = [], 0, 0
        for j in mine:
            h, n = hits + counts[j][theme], size + clusters[j]["size"]
            if h / n >= MIN_PURITY:
                chosen, hits, size = chosen + [j], h, n
        picks.append((theme, sorted(chosen or mine[:1])))
    return clusters, picks


def _themed_quality(picks, labels, ids, family) -> tuple[int, float]:
    """(themes whose task is >= MIN_PURITY pure, mean share of each theme's clips its task
    holds) — what the search over k maximises."""
    pure, recall = 0, []
    for theme, js in picks:
        members = [cid for cid, lab in zip(ids, labels) if lab in js]
        hits = sum(family.get(c) == theme for c in members)
        total = sum(family.get(c) == theme for c in ids) or 1
        pure += bool(members) and hits / len(members) >= MIN_PURITY
        recall.append(hits / total)
    return pure, round(float(np.mean(recall)), 3) if recall else 0.0


def _choose_coherent(labels, emb, k, n_tasks):
    """Without families: the n_tasks most coherent clusters among those of at least a third of
    the average cluster size (tiny clusters are coherent by accident)."""
    sizes = np.bincount(labels, minlength=k)
    min_size = max(2, int(len(labels) / k / 3))
    scored = [(_coherence(emb[labels == j]), j) for j in range(k) if sizes[j] >= min_size]
    scored.sort(key=lambda x: (-x[0], x[1]))
    clusters = [{"majority_family": None, "purity": None, "size": int(sizes[j])} for j in range(k)]
    return clusters, [(None, [j]) for _, j in scored[:n_tasks]]


def build_tasks(data_dir, embed: Callable[[list[str]], np.ndarray], n_tasks: int = 5, seed: int = 0, out=None,
                n_clusters: int | None = None) -> dict:
    """Cluster the corpus' descriptions and write/return the tasks.json dict (schema version 1).

    n_clusters: k for k-means; default 2 * n_tasks. On the built-in corpus (unless n_clusters is
    given) k is searched from 2 * n_tasks to 6 * n_tasks in steps of 2, keeping the k whose tasks
    are all >= 90% pure and hold the largest share of their themes' clips (smallest k on ties).
    embed: texts -> (N, D) sentence embeddings (the caller's encoder, e.g. MiniLM's `embed`), so
    the data layer needs no model code.
    """
    if n_tasks < 1:
        raise InputError(f"--n-tasks must be at least 1, got {n_tasks}")
    data_dir = Path(data_dir)
    corpus = _read_corpus(data_dir)
    ids = sorted(corpus.captions)
    k0 = n_clusters or 2 * n_tasks
    if k0 <= n_tasks and not corpus.family:
        raise InputError(f"need more clusters ({k0}) than tasks ({n_tasks})")
    if len(ids) < max(k0, 2):
        raise InputError(f"{data_dir} has {len(ids)} captioned clips; at least {max(k0, 2)} are needed")
    emb = _clip_embeddings(ids, corpus.captions, embed)

    if corpus.family:
        best = None
        tries = [k0] if n_clusters else range(k0, min(6 * n_tasks, len(ids)) + 1, 2)
        for k in tries:
            labels = _kmeans(emb, k, seed)
            clusters, picks = _choose_themed(labels, ids, corpus.family, k, n_tasks)
            quality = _themed_quality(picks, labels, ids, corpus.family)
            if best is None or quality > best[0]:
                best = (quality, k, labels, clusters, picks)
        (_, recall), k, labels, clusters, picks = best
        method = (f"kmeans(k={k}) on mean caption embeddings; tasks = pure clusters per theme "
                  f"({100 * recall:.0f}% of themed clips) plus the theme's clips of mixed clusters")
    else:
        k = k0
        labels = _kmeans(emb, k, seed)
        clusters, picks = _choose_coherent(labels, emb, k, n_tasks)
        method = f"kmeans(k={k}) on mean caption embeddings; tasks = most coherent clusters"

    keywords = _cluster_keywords(labels, ids, corpus.captions, k)
    task_of_cluster = {j: i for i, (_, js) in enumerate(picks) for j in js}
    role = {j: f"task:{task_of_cluster[j]}" if j in task_of_cluster else "base" for j in range(k)}
    # a task that unites clusters is named from TF-IDF over the union (one document per task,
    # the base clusters as their own documents)
    group = np.array([task_of_cluster.get(int(lab), len(picks) + int(lab)) for lab in labels])
    task_keywords = _cluster_keywords(group, ids, corpus.captions, len(picks) + k)
    tasks, used_names = [], set()
    picked = {j for _, js in picks for j in js}
    for i, (theme, js) in enumerate(picks):
        # A clip that does two themes' actions ("jumps, then waves") belongs to two tasks at once;
        # which cluster holds it is a coin toss no router can learn, so it stays in the base split.
        members = [cid for cid, lab in zip(ids, labels) if lab in js and cid not in corpus.mixed]
        # A mixed cluster (walking in a circle beside running in a circle) is no task, but its
        # clips of this theme are: a walking expert that never saw walking in a circle is not
        # what anyone means by walking, and the base split would learn them instead.
        rescued = [cid for cid, lab in zip(ids, labels) if theme is not None and int(lab) not in picked
                   and corpus.family.get(cid) == theme and cid not in corpus.mixed]
        members = sorted(members + rescued)
        kw = task_keywords[i]
        name = theme or "-".join(kw[:2]) or f"task{i}"
        if name in used_names:
            name = f"{name}-{i}"
        used_names.add(name)
        purity = (sum(corpus.family.get(c) == theme for c in members) / len(members)
                  if corpus.family and members else None)
        tasks.append({
            "index": i, "name": name, "theme": theme, "keywords": kw,
            "purity": None if purity is None else round(purity, 4), "size": len(members),
            "two_theme_clips_to_base": sum(cid in corpus.mixed for cid, lab in zip(ids, labels) if lab in js),
            "from_mixed_clusters": len(rescued),
            "clusters": [int(j) for j in js],
            **{s: [c for c in members if corpus.split_of[c] == s] for s in SPLITS},
        })
    in_task = {cid for t in tasks for s in SPLITS for cid in t[s]}
    base_ids = [cid for cid in ids if cid not in in_task]
    result = {
        "version": 1,
        "data_dir": str(data_dir.resolve()),
        "embedding": "all-MiniLM-L6-v2",
        "method": method,
        "seed": seed,
        "tasks": tasks,
        "base": {"name": "base", "size": len(base_ids),
                 **{s: [c for c in base_ids if corpus.split_of[c] == s] for s in SPLITS}},
        "clusters": [{"id": j, "keywords": keywords[j], "size": clusters[j]["size"],
                      "majority_family": clusters[j]["majority_family"],
                      "purity": None if clusters[j]["purity"] is None else round(clusters[j]["purity"], 4),
                      "role": role[j]} for j in range(k)],
        "skipped_without_captions": len(corpus.split_of) - len(ids),
    }
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


# ------------------------------------------------------------------ loading


def load_tasks(path) -> TaskSplit:
    """Read tasks.json into dataclasses; a missing or malformed file is a MotionFileError."""
    path = Path(path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        tasks = [Task(index=int(t["index"]), name=str(t["name"]), theme=t.get("theme"),
                      keywords=list(t.get("keywords", [])), purity=t.get("purity"),
                      train=list(t["train"]), val=list(t["val"]), test=list(t["test"]),
                      clusters=list(t.get("clusters", []))) for t in d["tasks"]]
        b = d["base"]
        base = Task(index=-1, name="base", train=list(b["train"]), val=list(b["val"]), test=list(b["test"]))
    except FileNotFoundError:
        raise MotionFileError(f"{path} does not exist; make it with `motion-studio tasks DATA_DIR`") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MotionFileError(f"{path} is not a valid tasks.json ({type(exc).__name__}: {exc})") from None
    return TaskSplit(tasks=tasks, base=base, data_dir=str(d.get("data_dir", "")), seed=int(d.get("seed", 0)))


# ------------------------------------------------------------------ summary


def format_summary(result: dict) -> str:
    """A readable table of tasks and clusters for the terminal."""
    lines = [f"{result['method']} (seed {result['seed']})", "",
             f"{'task':<4} {'name':<16} {'theme':<9} {'purity':>6} {'train':>6} {'val':>5} {'test':>5}  keywords"]

    def pct(p):
        return "  -  " if p is None else f"{100 * p:5.1f}%"

    for t in result["tasks"]:
        lines.append(f"{t['index']:<4} {t['name'][:16]:<16} {str(t['theme'] or '-'):<9} {pct(t['purity']):>6} "
                     f"{len(t['train']):>6} {len(t['val']):>5} {len(t['test']):>5}  {', '.join(t['keywords'])}")
    b = result["base"]
    lines.append(f"{'-':<4} {'base':<16} {'-':<9} {'':>6} {len(b['train']):>6} {len(b['val']):>5} {len(b['test']):>5}")
    lines += ["", f"{'cluster':<7} {'size':>5} {'family':<9} {'purity':>6}  {'role':<7} keywords"]
    for c in result["clusters"]:
        lines.append(f"{c['id']:<7} {c['size']:>5} {str(c['majority_family'] or '-'):<9} {pct(c['purity']):>6}  "
                     f"{c['role']:<7} {', '.join(c['keywords'])}")
    return "\n".join(lines)
