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
from typing import Any

__all__ = ["Phrase", "KeyCounter", "cohesive_ngrams", "count_keys", "gram_keys", "gram_keys_at",
           "merge_phrases", "runs", "token_props"]

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
    """Neighbour entropy; each edge occurrence is a distinct neighbour of its own."""
    return entropy_of([c for tok, c in counter.items() if tok != _EDGE], counter.get(_EDGE, 0))


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


# ---------------------------------------------------------------------------------------------
# The same tests on integer-coded token streams, with bounded memory
# ---------------------------------------------------------------------------------------------
# Token ids are packed into one int64 key per n-gram: 21 bits a token, a bigram in the low 42
# bits, a trigram above them (id 0 is the run separator and never starts a gram, so the two
# kinds never collide). Tokens with larger ids (a vocabulary past two million) never take part
# in a phrase.
ID_BITS = 21
MAX_ID = (1 << ID_BITS) - 1
DEFAULT_CAP = 4_000_000  # n-gram candidates held at a time (about 100 MB while merging)


class TableFull(Exception):
    """A candidate table went past its cap: count again with more partitions."""


def pack(cols: Sequence) -> Any:
    """The int64 key of n-grams given as ``n`` aligned arrays of token ids."""
    import numpy as np

    key = np.zeros(len(cols[0]), dtype=np.int64)
    for c in cols:
        key = (key << ID_BITS) | c.astype(np.int64)
    return key


def unpack(key: int) -> tuple[int, ...]:
    out = []
    while key:
        out.append(key & MAX_ID)
        key >>= ID_BITS
    return tuple(reversed(out))


def gram_keys(tok: Any, n: int, *, counted: bool, brk: Any, edge: Any, inner: Any,
              length: Any, max_chars: int) -> tuple[Any, Any]:
    """(start positions, keys) of the ``n``-grams of the separator-delimited id stream ``tok``
    that lie within a run. With ``counted`` only those :func:`cohesive_ngrams` counts (content
    token at both ends, allowed inner token, at most ``max_chars`` characters); without it every
    n-gram of a run. ``brk``, ``edge``, ``inner`` and ``length`` are per-id arrays."""
    props = token_props(tok, brk=brk, edge=edge, inner=inner, length=length)
    return gram_keys_at(tok, props, n, counted=counted, max_chars=max_chars)


def token_props(tok: Any, *, brk: Any, edge: Any, inner: Any, length: Any) -> tuple:
    """The per-position properties :func:`gram_keys_at` needs, looked up once for a token
    stream (then shared by every ``n``): in a run (no break, id within MAX_ID), edge, inner,
    length."""
    import numpy as np

    good = ~brk[tok]
    good &= tok <= MAX_ID
    return good, edge[tok], inner[tok], length[tok].astype(np.int32)


def gram_keys_at(tok: Any, props: tuple, n: int, *, counted: bool,
                 max_chars: int) -> tuple[Any, Any]:
    """:func:`gram_keys` with the per-position properties from :func:`token_props`: shifted
    views of them instead of a lookup per token place."""
    import numpy as np

    m = len(tok) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    good, edge, inner, length = props
    ok = good[:m].copy()
    for k in range(1, n):
        ok &= good[k : k + m]
    if counted:
        ok &= edge[:m]
        ok &= edge[n - 1 : n - 1 + m]
        for k in range(1, n - 1):
            ok &= inner[k : k + m]
        chars = length[:m].copy()
        for k in range(1, n):
            chars += length[k : k + m]
        ok &= chars <= max_chars
    pos = np.flatnonzero(ok)
    return pos, pack([tok[pos + k] for k in range(n)])


class KeyCounter:
    """Counts of int64 keys with at most ``cap`` distinct keys held (raises :class:`TableFull`
    past it). Keys arrive in batches; batches are merged once they add up to the table's size,
    so the cost stays linear. Only keys with ``hash(key) % parts == part`` are kept: counting
    the partitions one after the other gives exact counts in 1/``parts`` of the memory."""

    def __init__(self, cap: int = DEFAULT_CAP, parts: int = 1, part: int = 0) -> None:
        import numpy as np

        self.cap, self.parts, self.part = cap, parts, part
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self._pending: list[tuple[Any, Any]] = []
        self._pending_size = 0
        self.peak = 0  # the most distinct keys the table has held

    def _mine(self, keys: Any) -> Any:
        import numpy as np

        if self.parts == 1:
            return keys
        h = (keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)
        return keys[(h % np.uint64(self.parts)) == np.uint64(self.part)]

    def add(self, keys: Any, counts: Any = None) -> None:
        import numpy as np

        if counts is None:
            keys = self._mine(keys)
            if not len(keys):
                return
            keys, counts = np.unique(keys, return_counts=True)
        self._pending.append((keys, counts.astype(np.int64)))
        self._pending_size += len(keys)
        if self._pending_size >= max(len(self.keys), self.cap // 8, 1):
            self._merge()

    def _merge(self) -> None:
        import numpy as np

        if not self._pending:
            return
        keys = np.concatenate([self.keys] + [k for k, _ in self._pending])
        counts = np.concatenate([self.counts] + [c for _, c in self._pending])
        self._pending, self._pending_size = [], 0
        uniq, inv = np.unique(keys, return_inverse=True)
        if len(uniq) > self.cap:
            raise TableFull(len(uniq))
        summed = np.zeros(len(uniq), dtype=np.int64)
        np.add.at(summed, inv, counts)
        self.keys, self.counts = uniq, summed
        self.peak = max(self.peak, len(uniq))

    def result(self) -> tuple[Any, Any]:
        self._merge()
        return self.keys, self.counts


def count_keys(batches: Callable[[], Iterable[Any]], *, min_count: int = 1,
               cap: int = DEFAULT_CAP, stats: dict | None = None) -> tuple[Any, Any]:
    """Exact counts of the keys produced by ``batches()`` (called once per pass), keeping those
    seen at least ``min_count`` times, sorted by key. Memory is bounded by ``cap`` distinct keys
    per pass: when a pass overflows, the key space is split into more hash partitions, each
    counted in its own pass. The result never depends on the order of the batches."""
    import numpy as np

    parts = 1
    while True:
        try:
            out_k, out_c, peak = [], [], 0
            for part in range(parts):
                counter = KeyCounter(cap, parts, part)
                for keys in batches():
                    counter.add(keys)
                k, c = counter.result()
                keep = c >= min_count
                out_k.append(k[keep])
                out_c.append(c[keep])
                peak = max(peak, counter.peak)
            keys = np.concatenate(out_k)
            counts = np.concatenate(out_c)
            order = np.argsort(keys, kind="stable")
            if stats is not None:
                stats.update(parts=parts, peak=peak)
            return keys[order], counts[order]
        except TableFull:
            parts *= 4


def entropy_of(counts: Sequence[int], edge: int) -> float:
    """:func:`_entropy` of a neighbour table given as the counts of real neighbours and the
    number of edge occurrences."""
    total = sum(counts) + edge
    h = 0.0
    for c in counts:
        p = c / total
        h -= p * math.log(p)
    if edge:
        p = 1 / total
        h -= edge * p * math.log(p)
    return h
