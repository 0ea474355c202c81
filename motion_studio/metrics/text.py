"""Caption metrics for motion -> text: BLEU-1/4, ROUGE-L and CIDEr-D, all offline.

Tokenisation (the same for all three, so the numbers are comparable): lowercase, keep runs of
letters/digits/apostrophes as words, drop punctuation. "A man walks forward." and
"a man walks forward" are the same caption. sacrebleu then runs with tokenize="none" on the
space-joined words; rouge-score's own tokenizer (lowercase, alphanumerics) sees the same words.

- BLEU: corpus-level (n-gram counts summed over all captions before the geometric mean), every
  hypothesis scored against all of its references; sacrebleu's default "exp" smoothing only
  matters when some n-gram order has no match at all in the whole corpus.
- ROUGE-L: LCS-based F1 against each reference, best reference per caption, mean over captions.
- CIDEr-D: written here (no pycocoevalcap offline): TF-IDF n-gram vectors (n=1..4) with document
  frequencies over the reference sets of the evaluated corpus, clipped cosine similarity, a
  Gaussian length penalty (sigma=6), averaged over references and n, times 10.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from ..errors import InputError

__all__ = ["tokenize", "bleu", "rouge_l", "cider_d", "caption_scores"]

_WORD = re.compile(r"[a-z0-9']+")


def tokenize(text: str) -> list[str]:
    """Lowercased words, punctuation removed."""
    return _WORD.findall(text.lower())


def _check(hyps: list[str], refs: list[list[str]]) -> None:
    if len(hyps) != len(refs):
        raise InputError(f"{len(hyps)} captions but {len(refs)} reference lists")
    if not hyps:
        raise InputError("no captions to score")
    for i, r in enumerate(refs):
        if isinstance(r, str) or len(r) == 0:
            raise InputError(f"caption {i} needs a non-empty list of reference strings")


def bleu(hyps: list[str], refs: list[list[str]], max_order: int = 4) -> float:
    """Corpus BLEU-n as a fraction 0..1 (BLEU-1 with max_order=1, BLEU-4 with 4)."""
    from sacrebleu.metrics import BLEU

    _check(hyps, refs)
    n_refs = max(len(r) for r in refs)
    # sacrebleu wants one stream per reference slot; None pads captions with fewer references
    streams = [[(" ".join(tokenize(r[k])) if k < len(r) else None) for r in refs] for k in range(n_refs)]
    metric = BLEU(max_ngram_order=max_order, tokenize="none", effective_order=False)
    hyp_text = [" ".join(tokenize(h)) for h in hyps]
    return min(1.0, metric.corpus_score(hyp_text, streams).score / 100.0)  # float round-off above 1


def rouge_l(hyps: list[str], refs: list[list[str]]) -> float:
    """Mean over captions of the best ROUGE-L F1 against its references (0..1)."""
    from rouge_score.rouge_scorer import RougeScorer

    _check(hyps, refs)
    scorer = RougeScorer(["rougeL"], use_stemmer=False)
    total = 0.0
    for h, r in zip(hyps, refs):
        h_text = " ".join(tokenize(h))
        total += max(scorer.score(" ".join(tokenize(x)), h_text)["rougeL"].fmeasure for x in r)
    return total / len(hyps)


# ------------------------------------------------------------------ CIDEr-D


def _ngrams(words: list[str], max_n: int) -> Counter:
    counts: Counter = Counter()
    for n in range(1, max_n + 1):
        for i in range(len(words) - n + 1):
            counts[tuple(words[i:i + n])] += 1
    return counts


def _tfidf(counts: Counter, doc_freq: Counter, log_n_docs: float, max_n: int):
    """Per-order TF-IDF vectors and their norms. idf = log(N) - log(max(1, df)), so an n-gram
    found in every reference set weighs 0 and one never seen in references weighs log(N)."""
    vecs = [dict() for _ in range(max_n)]
    norms = [0.0] * max_n
    for gram, tf in counts.items():
        weight = tf * (log_n_docs - math.log(max(1.0, doc_freq[gram])))
        vecs[len(gram) - 1][gram] = weight
        norms[len(gram) - 1] += weight * weight
    return vecs, [math.sqrt(x) for x in norms]


def cider_d(hyps: list[str], refs: list[list[str]], max_n: int = 4, sigma: float = 6.0) -> float:
    """Corpus CIDEr-D (raw, about 0..10 per caption; the corpus score is the mean).

    Per caption and n: sum over the hypothesis' n-grams of min(w_hyp, w_ref) * w_ref (clipping
    stops a repeated word from earning more than the reference has), divided by both norms,
    times exp(-(len_hyp - len_ref)^2 / (2 sigma^2)) with lengths in words; averaged over the
    references, then over n = 1..max_n, times 10.
    """
    _check(hyps, refs)
    hyp_counts = [_ngrams(tokenize(h), max_n) for h in hyps]
    ref_words = [[tokenize(x) for x in r] for r in refs]
    ref_counts = [[_ngrams(w, max_n) for w in rw] for rw in ref_words]
    doc_freq: Counter = Counter()
    for rc in ref_counts:  # one document = the union of one caption's references
        doc_freq.update(set().union(*[c.keys() for c in rc]))
    log_n = math.log(float(len(hyps)))

    total = 0.0
    for h, h_len, rcs, rws in zip(hyp_counts, (len(tokenize(x)) for x in hyps), ref_counts, ref_words):
        h_vec, h_norm = _tfidf(h, doc_freq, log_n, max_n)
        per_ref = []
        for rc, rw in zip(rcs, rws):
            r_vec, r_norm = _tfidf(rc, doc_freq, log_n, max_n)
            penalty = math.exp(-((h_len - len(rw)) ** 2) / (2.0 * sigma ** 2))
            sims = []
            for n in range(max_n):
                dot = sum(min(w, r_vec[n].get(g, 0.0)) * r_vec[n].get(g, 0.0) for g, w in h_vec[n].items())
                denom = h_norm[n] * r_norm[n]
                sims.append(penalty * dot / denom if denom > 0 else 0.0)
            per_ref.append(sum(sims) / max_n)
        total += 10.0 * sum(per_ref) / len(per_ref)
    return total / len(hyps)


def caption_scores(hyps: list[str], refs: list[list[str]]) -> dict[str, float]:
    """{"bleu1", "bleu4", "rouge_l", "cider"}: BLEU and ROUGE-L as fractions 0..1, CIDEr-D raw."""
    return {
        "bleu1": bleu(hyps, refs, 1),
        "bleu4": bleu(hyps, refs, 4),
        "rouge_l": rouge_l(hyps, refs),
        "cider": cider_d(hyps, refs),
    }
