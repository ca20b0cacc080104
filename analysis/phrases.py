"""Statistically cohesive n-grams of tokens: policy phrases such as 优化营商环境 or 专精特新企业.

A phrase is a run of 2..``max_n`` consecutive tokens that

* occurs at least ``min_count`` times;
* sticks together: its pointwise mutual information, taken at its weakest split point,
  ``min over splits of ln p(ab) / (p(a) p(b))``, is at least ``min_pmi`` (probabilities are
  counts over the number of tokens);
* is free on both sides: the entropy of the token just before it and of the token just after it
  are both at least ``min_entropy`` (nats). An occurrence at the edge of a run (a document start,
  punctuation, a number) counts as a neighbour of its own, so a phrase that always stands alone
  is free. This is what drops a piece of a longer phrase: 营商 always followed by 环境 has a right
  entropy of 0;
* starts and ends on a content token (``is_edge``) and contains only allowed tokens (``is_inner``).

Runs are cut at every token ``is_break`` says is a boundary, so an n-gram never crosses
punctuation. Pure: no I/O, deterministic (results are sorted).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Phrase", "cohesive_ngrams", "merge_phrases", "runs"]

_EDGE = "\x00"  # the neighbour of an occurrence at the edge of a run


@dataclass(frozen=True, slots=True)
class Phrase:
    tokens: tuple[str, ...]
    count: int
    pmi: float
    left_entropy: float
    right_entropy: float

    @property
    def text(self) -> str:
        return "".join(self.tokens)


def runs(tokens: Sequence[str], is_break: Callable[[str], bool]) -> list[list[int]]:
    """Indices of the maximal runs of ``tokens`` that contain no break token."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, tok in enumerate(tokens):
        if is_break(tok):
            if cur:
                out.append(cur)
                cur = []
        else:
            cur.append(i)
    if cur:
        out.append(cur)
    return out


def _entropy(counter: Counter[str]) -> float:
    total = sum(counter.values())
    h = 0.0
    edge = counter.get(_EDGE, 0)
    for tok, c in counter.items():
        if tok == _EDGE:
            continue
        p = c / total
        h -= p * math.log(p)
    # each edge occurrence is a distinct neighbour of its own
    if edge:
        p = 1 / total
        h -= edge * p * math.log(p)
    return h


def cohesive_ngrams(
    docs: Iterable[Sequence[str]],
    *,
    max_n: int = 3,
    min_count: int = 3,
    min_pmi: float = 3.0,
    min_entropy: float = 0.9,
    max_chars: int = 12,
    is_break: Callable[[str], bool],
    is_edge: Callable[[str], bool],
    is_inner: Callable[[str], bool] | None = None,
) -> list[Phrase]:
    """The cohesive n-grams (2 <= n <= ``max_n``) of the token streams ``docs``, sorted by
    count (descending), then text. See the module docstring for the tests each one passes."""
    if max_n < 2:
        return []
    is_break, is_edge = _memo(is_break), _memo(is_edge)
    inner = _memo(is_inner) if is_inner else is_edge
    unigrams: Counter[str] = Counter()
    grams: Counter[tuple[str, ...]] = Counter()
    seqs: list[list[str]] = []
    total = 0
    for tokens in docs:
        toks = list(tokens)
        total += len(toks)
        unigrams.update(toks)
        for run in runs(toks, is_break):
            seq = [toks[i] for i in run]
            if len(seq) < 2:
                continue
            seqs.append(seq)
            m = len(seq)
            edge = [is_edge(t) for t in seq]
            for s in range(m - 1):
                if not edge[s]:
                    continue
                for n in range(2, min(max_n, m - s) + 1):
                    if n > 2 and not inner(seq[s + n - 2]):
                        break  # a longer n-gram would hold the same bad inner token
                    if edge[s + n - 1]:
                        grams[tuple(seq[s : s + n])] += 1
    if total == 0:
        return []
    # cohesion first (counts only), then neighbours for the cohesive grams only
    cohesive: dict[tuple[str, ...], float] = {}
    for g, c in grams.items():
        if c < min_count or len("".join(g)) > max_chars:
            continue
        p = c / total
        pmi = min(
            math.log(p / (_prob(g[:k], unigrams, grams, total)
                          * _prob(g[k:], unigrams, grams, total)))
            for k in range(1, len(g))
        )
        if pmi >= min_pmi:
            cohesive[g] = pmi
    if not cohesive:
        return []
    left: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for seq in seqs:
        m = len(seq)
        for n in range(2, max_n + 1):
            for s in range(0, m - n + 1):
                g = tuple(seq[s : s + n])
                if g in cohesive:
                    left[g][seq[s - 1] if s > 0 else _EDGE] += 1
                    right[g][seq[s + n] if s + n < m else _EDGE] += 1
    out: list[Phrase] = []
    for g, pmi in cohesive.items():
        le, re_ = _entropy(left[g]), _entropy(right[g])
        if min(le, re_) < min_entropy:
            continue
        out.append(Phrase(g, grams[g], round(pmi, 6), round(le, 6), round(re_, 6)))
    out.sort(key=lambda ph: (-ph.count, ph.text, ph.tokens))
    return out


def _memo(fn: Callable[[str], bool]) -> Callable[[str], bool]:
    cache: dict[str, bool] = {}

    def call(tok: str) -> bool:
        v = cache.get(tok)
        if v is None:
            v = cache[tok] = fn(tok)
        return v

    return call


def _prob(part: tuple[str, ...], unigrams: Counter[str], grams: Counter[tuple[str, ...]],
          total: int) -> float:
    c = unigrams[part[0]] if len(part) == 1 else grams.get(part, 0)
    return max(c, 1) / total


def merge_phrases(
    tokens: Sequence[str], phrases: Iterable[tuple[str, ...]], *, max_n: int = 3
) -> list[tuple[int, int]]:
    """Greedy longest-first segmentation of ``tokens`` into phrases: (start, end) token spans,
    covering every token once (a span of length 1 is the token itself)."""
    table = set(phrases)
    spans: list[tuple[int, int]] = []
    i, m = 0, len(tokens)
    while i < m:
        step = 1
        for n in range(min(max_n, m - i), 1, -1):
            if tuple(tokens[i : i + n]) in table:
                step = n
                break
        spans.append((i, i + step))
        i += step
    return spans
