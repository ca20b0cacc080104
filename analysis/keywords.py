"""Keywords of a corpus, of each document and of each group of documents.

The pipeline, on tokens from the segmenter (policy terms whole, POS tags on):

1. **Terms.** Policy-dictionary terms count as nouns whatever their tag. Cohesive n-grams
   (:mod:`.phrases`) found in the corpus are merged into single terms (优化营商环境); a merged
   phrase takes the POS of its last token. Single tokens pass a :class:`~.segment.TokenFilter`:
   no punctuation, number, date or single character, no stopword, no formula verb (unless kept)
   and a POS in the filter.
2. **Scores.**
   * ``tfidf``: scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` over the documents
     (articles), each given as its term list, with its title terms counted twice. The IDF is the
     corpus's own, or a background :class:`~.idf.IdfTable` (a phrase missing from it takes the
     largest IDF of its tokens: a phrase is at least as rare as its rarest part). A corpus
     keyword's score is its mean L2-normalised weight over the documents. With ``blend`` the
     IDF is the mean of the corpus's own and the background one.
   * ``textrank``: PageRank (damping 0.85, power iteration) on the graph of terms that occur
     within ``window`` terms of each other; corpus keywords on the corpus graph, per-document
     keywords on the document's own graph. Scores are scaled so the top term has 1.
3. **Fragments.** Walking down a ranking, a term is dropped when it is a part of a phrase
   already kept, and a phrase is dropped when one of its parts is already kept: a phrase never
   appears with its own fragments.
4. **Keyness** (groups): for each group against the rest of the corpus, log-likelihood
   G² (Dunning 1993) with the effect size log-ratio (Hardie 2014: log2 of the ratio of relative
   frequencies, a zero count taken as 0.5). Only terms used more in the group, seen at least
   twice there and with G² >= 3.84 (p < 0.05) are listed.

Ties are broken by the term (then the document id), so results are deterministic. Pure: no I/O.

Two implementations give the same results to the last bit. :func:`prepare` and
:func:`extract_keywords` hold the whole corpus (strings, scikit-learn): they are the reference
and the API for small inputs. The streaming one, which the CLI uses, holds tables the size of the
vocabulary plus one chunk of about a million tokens: documents are added one at a time to a
:class:`TokenStream` (int ids, spilled chunk by chunk), :func:`stream_terms` finds the phrases
(n-gram counts bounded by hash partitions, :func:`.phrases.count_keys`) and spills each article's
term ids, and :func:`stream_keywords` scores them in passes over the spill, doing scikit-learn's
floating-point operations in scikit-learn's order. What still grows with the corpus: one small
record per article (id, source, title), the per-group tables of ``--by`` (one row per group and
term) and the corpus graph of ``textrank`` (one entry per pair of co-occurring terms).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .idf import IdfTable
from .models import TokenizedArticle
from .phrases import cohesive_ngrams, merge_phrases
from .segment import TokenFilter, formula_verbs, policy_stopwords

__all__ = [
    "DEFAULT_POS",
    "METHODS",
    "KeywordOptions",
    "DocTerms",
    "Keyword",
    "DocKeywords",
    "GroupKeywords",
    "KeywordResult",
    "prepare",
    "extract_keywords",
    "keyness",
    "suppress_fragments",
    "textrank_scores",
]

DEFAULT_POS = ("n", "nz", "vn", "v", "an", "j", "l", "i", "eng")
METHODS = ("tfidf", "textrank")
G2_CRITICAL = 3.84
_BREAK_RE = re.compile(r"^[\W_\d]+$|^[\d.,%+\-—～~/:：]+[年月日号万亿元个%]*$")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class KeywordOptions:
    method: str = "tfidf"
    top: int = 20
    top_docs: int = 3
    min_n: int = 1
    max_n: int = 3
    pos: tuple[str, ...] | None = DEFAULT_POS
    keep_formula_verbs: bool = False
    extra_stopwords: tuple[str, ...] = ()
    title_weight: int = 2
    window: int = 5
    min_phrase_count: int = 3
    per_doc: bool = False


@dataclass(frozen=True)
class DocTerms:
    """One document (article) as the terms that count: ``terms`` in reading order, and
    ``title_terms`` (the ones from its title, also in ``terms``)."""

    doc: str
    source: str
    title: str
    terms: tuple[str, ...]
    title_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocWeight:
    doc: str
    source: str
    weight: float


@dataclass(frozen=True)
class Keyword:
    term: str
    score: float
    tf: int
    df: int
    top_docs: tuple[DocWeight, ...] = ()


@dataclass(frozen=True)
class DocKeyword:
    term: str
    score: float
    tf: int


@dataclass(frozen=True)
class DocKeywords:
    doc: str
    source: str
    title: str
    keywords: tuple[DocKeyword, ...]


@dataclass(frozen=True)
class KeyTerm:
    term: str
    g2: float
    log_ratio: float
    count: int
    rest_count: int


@dataclass(frozen=True)
class GroupKeywords:
    group: str
    docs: int
    keywords: tuple[KeyTerm, ...]


@dataclass
class KeywordResult:
    keywords: list[Keyword] = field(default_factory=list)
    documents: list[DocKeywords] = field(default_factory=list)
    groups: list[GroupKeywords] = field(default_factory=list)
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------------------------
def _title_len(tokens: Sequence[str], title: str) -> int:
    """How many leading tokens come from the title (the segmenter drops whitespace and cuts
    line by line, and an article's text starts with its title)."""
    target = len(_SPACE_RE.sub("", title))
    n = chars = 0
    while n < len(tokens) and chars < target:
        chars += len(_SPACE_RE.sub("", tokens[n]))
        n += 1
    return n


def _is_break(tok: str) -> bool:
    return bool(_BREAK_RE.match(tok))


_NOMINAL = ("n", "vn", "j", "eng", "l", "an")


def _majority_tags(tokenized: Sequence[TokenizedArticle], nouns: frozenset[str]) -> dict[str, str]:
    """Each token's most frequent POS tag in the corpus (ties: the smaller tag)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for ta in tokenized:
        if ta.pos is not None:
            pairs.update(zip(ta.tokens, ta.pos, strict=True))
    best: dict[str, tuple[int, str]] = {}
    for (tok, tag), c in pairs.items():
        old = best.get(tok)
        if old is None or c > old[0] or (c == old[0] and tag < old[1]):
            best[tok] = (c, tag)
    out = {t: tag for t, (_, tag) in best.items()}
    out.update({t: "n" for t in nouns if t in out})
    return out


def _phrase_ok(tokens: tuple[str, ...], tag_of: dict[str, str], nouns: frozenset[str],
               verbs: frozenset[str]) -> bool:
    """A phrase names something: it ends on a noun-like token (not a formula verb), and when it
    starts with a verb or an adverb (优化营商环境) the rest must be one policy term."""
    last, first = tokens[-1], tokens[0]
    if last in verbs:
        return False
    if tag_of and not tag_of.get(last, "n").startswith(_NOMINAL):
        return False
    head = tag_of.get(first, "n") if tag_of else "n"
    verbal = head[:1] in ("v", "d", "p", "c", "a") and not head.startswith(("vn", "an"))
    if first in verbs or verbal:
        return len(tokens) == 2 and tokens[1] in nouns
    return True


def prepare(
    tokenized: Sequence[TokenizedArticle],
    *,
    options: KeywordOptions = KeywordOptions(),
    policy_terms: Iterable[str] = (),
) -> tuple[list[DocTerms], dict[str, tuple[str, ...]]]:
    """The documents as term lists, and the phrases found (text -> tokens)."""
    nouns = frozenset(policy_terms)
    filt = TokenFilter(
        keep_formula_verbs=options.keep_formula_verbs,
        extra_stopwords=options.extra_stopwords,
        pos=options.pos,
    )
    edge_filter = TokenFilter(keep_formula_verbs=True, extra_stopwords=options.extra_stopwords)
    verbs = formula_verbs()
    stop = policy_stopwords() | frozenset(options.extra_stopwords)

    keep_cache: dict[tuple[str, str | None], bool] = {}

    def keep(tok: str, tag: str | None) -> bool:
        v = keep_cache.get((tok, tag))
        if v is None:
            v = keep_cache[(tok, tag)] = filt.keep(tok, tag)
        return v

    def is_edge(tok: str) -> bool:
        return not _is_break(tok) and edge_filter.keep(tok)

    def is_inner(tok: str) -> bool:
        return not _is_break(tok) and tok not in stop

    streams = [ta.tokens for ta in tokenized]
    phrase_tokens: dict[str, tuple[str, ...]] = {}
    if options.max_n >= 2:
        found = cohesive_ngrams(
            streams,
            max_n=options.max_n,
            min_count=options.min_phrase_count,
            is_break=_is_break,
            is_edge=is_edge,
            is_inner=is_inner,
        )
        tag_of = _majority_tags(tokenized, nouns)
        for ph in found:
            if _phrase_ok(ph.tokens, tag_of, nouns, verbs):
                phrase_tokens.setdefault(ph.text, ph.tokens)
    table = set(phrase_tokens.values())
    docs: list[DocTerms] = []
    for ta in tokenized:
        toks = ta.tokens
        tags = ta.pos if ta.pos is not None else ("",) * len(toks)
        n_title = _title_len(toks, ta.article.title) if ta.article.title else 0
        spans = merge_phrases(toks, table, max_n=options.max_n) if table else [
            (i, i + 1) for i in range(len(toks))
        ]
        terms: list[str] = []
        title_terms: list[str] = []
        for s, e in spans:
            if e - s > 1:
                if not (options.min_n <= e - s <= options.max_n):
                    continue
                term = "".join(toks[s:e])
            else:
                if options.min_n > 1:
                    continue
                term = toks[s]
                tag = "n" if term in nouns else (tags[s] or None)
                if not keep(term, tag):
                    continue
            terms.append(term)
            if s < n_title:
                title_terms.append(term)
        docs.append(
            DocTerms(ta.article.doc, ta.article.source, ta.article.title, tuple(terms),
                     tuple(title_terms))
        )
    return docs, phrase_tokens


# ---------------------------------------------------------------------------------------------
# Fragments
# ---------------------------------------------------------------------------------------------
def suppress_fragments(
    ranked: Iterable[str], phrases: dict[str, tuple[str, ...]], *, limit: int | None = None
) -> list[str]:
    """Walk ``ranked`` and keep a term unless it is a part of a kept phrase, or it is a phrase
    one of whose parts was kept. Stops after ``limit`` kept terms."""
    seen: list[str] = []  # ``ranked`` is read only as far as needed
    return [seen[i] for i in _suppress_at(_tee_into(ranked, seen), phrases, limit=limit)]


def _tee_into(items: Iterable[str], seen: list[str]) -> Iterable[str]:
    for x in items:
        seen.append(x)
        yield x


def _suppress_at(ranked: Iterable[str], phrases: dict[str, tuple[str, ...]], *,
                 limit: int | None = None) -> list[int]:
    """:func:`suppress_fragments` as the positions of the kept terms in ``ranked``. The kept
    phrases' strict parts are held in a set, and a phrase's own strict parts are looked up in
    the set of kept token tuples, so each test is a few set lookups (phrases are short)."""
    kept: list[int] = []
    kept_toks: set[tuple[str, ...]] = set()
    inside: set[tuple[str, ...]] = set()  # strict contiguous parts of the kept terms
    for i, term in enumerate(ranked):
        toks = phrases.get(term, (term,))
        if toks in inside:
            continue
        n = len(toks)
        if n > 1 and any(toks[s : s + m] in kept_toks
                         for m in range(1, n) for s in range(n - m + 1)):
            continue
        kept.append(i)
        kept_toks.add(toks)
        for m in range(1, n):
            for s in range(n - m + 1):
                inside.add(toks[s : s + m])
        if limit is not None and len(kept) >= limit:
            break
    return kept


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------
def _identity(x):
    return x


def _tfidf_matrix(docs: Sequence[DocTerms], options: KeywordOptions, background: IdfTable | None,
                  phrases: dict[str, tuple[str, ...]], blend: bool = False):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    seqs = [list(d.terms) + list(d.title_terms) * max(options.title_weight - 1, 0) for d in docs]
    vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2")
    matrix = vec.fit_transform(seqs)
    vocab = [str(t) for t in vec.get_feature_names_out()]
    if background is not None:
        idf = []
        for t in vocab:
            if t in background.values or t not in phrases:
                idf.append(background.get(t))
            else:
                idf.append(max(background.get(p) for p in phrases[t]))
        values = np.asarray(idf, dtype=np.float64)
        if blend:
            values = (values + vec.idf_) / 2
        vec.idf_ = values
        matrix = vec.transform(seqs)
    return matrix.tocsr(), vocab


def textrank_scores(
    sequences: Iterable[Sequence[str]], *, window: int = 5, damping: float = 0.85,
    max_iter: int = 200, tol: float = 1e-10,
) -> dict[str, float]:
    """TextRank: PageRank on the undirected graph linking terms that occur within ``window``
    terms of each other (edge weight = number of such co-occurrences). Scores are scaled so the
    largest is 1. Deterministic: nodes are indexed in sorted order."""
    import numpy as np

    pairs: Counter[tuple[str, str]] = Counter()
    nodes: set[str] = set()
    for seq in sequences:
        nodes.update(seq)
        m = len(seq)
        for i in range(m):
            a = seq[i]
            for j in range(i + 1, min(i + window, m)):
                b = seq[j]
                if a != b:
                    pairs[(a, b) if a < b else (b, a)] += 1
    if not nodes:
        return {}
    names = sorted(nodes)
    index = {t: i for i, t in enumerate(names)}
    keys = sorted(pairs)
    rows = np.fromiter((index[a] for a, _ in keys), dtype=np.int64, count=len(keys))
    cols = np.fromiter((index[b] for _, b in keys), dtype=np.int64, count=len(keys))
    vals = np.fromiter((pairs[k] for k in keys), dtype=np.float64, count=len(keys))
    return _pagerank(names, rows, cols, vals, damping=damping, max_iter=max_iter, tol=tol)


def _pagerank(names: list[str], rows, cols, vals, *, damping: float = 0.85,
              max_iter: int = 200, tol: float = 1e-10) -> dict[str, float]:
    """PageRank of the undirected graph on ``names`` given by the edges (rows[k], cols[k]) of
    weight vals[k], rows[k] < cols[k], the edges sorted by (row, col)."""
    scores = _pagerank_array(len(names), rows, cols, vals, damping=damping, max_iter=max_iter,
                             tol=tol)
    return dict(zip(names, scores.tolist(), strict=True))


def _pagerank_array(n: int, rows, cols, vals, *, damping: float = 0.85, max_iter: int = 200,
                    tol: float = 1e-10):
    """:func:`_pagerank` on nodes 0..n-1, as an array scaled so that the top node has 1."""
    import numpy as np
    from scipy import sparse

    if len(rows):
        w = sparse.coo_matrix(
            (np.concatenate([vals, vals]),
             (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
            shape=(n, n),
        ).tocsr()
    else:
        w = sparse.csr_matrix((n, n))
    strength = np.asarray(w.sum(axis=1)).ravel()
    dangling = strength == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, strength))
    transition = sparse.diags(inv) @ w  # row-stochastic except dangling rows
    transition_t = transition.T.tocsr()
    r = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        nxt = (1 - damping) / n + damping * (transition_t @ r + r[dangling].sum() / n)
        done = np.abs(nxt - r).sum() < tol
        r = nxt
        if done:
            break
    return r / r.max()


def _ranked(scores: dict[str, float]) -> list[str]:
    return [t for t, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]


def extract_keywords(
    docs: Sequence[DocTerms],
    phrases: dict[str, tuple[str, ...]],
    *,
    options: KeywordOptions = KeywordOptions(),
    background: IdfTable | None = None,
    group_of: Callable[[DocTerms], str] | None = None,
    blend: bool = False,
) -> KeywordResult:
    """Corpus keywords (and per-document keywords under ``options.per_doc``, groups when
    ``group_of`` is given) of ``docs``."""
    if options.method not in METHODS:
        raise ValueError(f"unknown method {options.method!r}")
    result = KeywordResult(phrases=dict(phrases))
    tf: Counter[str] = Counter()
    df: Counter[str] = Counter()
    doc_tf: list[Counter[str]] = []
    for d in docs:
        c = Counter(d.terms)
        doc_tf.append(c)
        tf.update(c)
        df.update(c.keys())
    if not tf:
        if group_of is not None:
            result.groups = keyness(docs, group_of, top=options.top, phrases=phrases)
        if options.per_doc:
            result.documents = [DocKeywords(d.doc, d.source, d.title, ()) for d in docs]
        return result

    # per-document weights: {doc index: {term: weight}}
    weights: list[dict[str, float]] = []
    corpus: dict[str, float]
    if options.method == "tfidf":
        matrix, vocab = _tfidf_matrix(docs, options, background, phrases, blend)
        for i in range(matrix.shape[0]):
            start, end = matrix.indptr[i], matrix.indptr[i + 1]
            weights.append({vocab[j]: float(v) for j, v in
                            zip(matrix.indices[start:end], matrix.data[start:end], strict=True)})
        totals = matrix.sum(axis=0).A1 / max(len(docs), 1)
        corpus = {vocab[j]: float(totals[j]) for j in range(len(vocab)) if vocab[j] in tf}
    else:
        seqs: list[Sequence[str]] = []
        for d in docs:
            seqs.append(d.terms)
            if d.title_terms and options.title_weight > 1:
                seqs.extend([d.title_terms] * (options.title_weight - 1))
        corpus = {t: s for t, s in textrank_scores(seqs, window=options.window).items() if t in tf}
        for d in docs:
            own = [d.terms] + [d.title_terms] * max(options.title_weight - 1, 0)
            weights.append(textrank_scores(own, window=options.window) if d.terms else {})

    top = options.top if options.top > 0 else None
    chosen = suppress_fragments(_ranked(corpus), phrases, limit=top)
    holders: dict[str, list[tuple[float, int]]] = {t: [] for t in chosen}
    for i, w in enumerate(weights):
        for t in chosen:
            if t in w and doc_tf[i][t] > 0:
                holders[t].append((w[t], i))
    for t in chosen:
        best = sorted(holders[t], key=lambda wi: (-wi[0], docs[wi[1]].doc))[: options.top_docs]
        result.keywords.append(
            Keyword(
                t,
                round(corpus[t], 4),
                tf[t],
                df[t],
                tuple(DocWeight(docs[i].doc, docs[i].source, round(w, 4)) for w, i in best),
            )
        )
    if options.per_doc:
        for i, d in enumerate(docs):
            w = {t: s for t, s in weights[i].items() if doc_tf[i][t] > 0}
            kept = suppress_fragments(_ranked(w), phrases, limit=top)
            result.documents.append(
                DocKeywords(d.doc, d.source, d.title,
                            tuple(DocKeyword(t, round(w[t], 4), doc_tf[i][t]) for t in kept))
            )
    if group_of is not None:
        result.groups = keyness(docs, group_of, top=options.top, phrases=phrases)
    return result


# ---------------------------------------------------------------------------------------------
# Keyness
# ---------------------------------------------------------------------------------------------
def _g2(a: int, b: int, size_a: int, size_b: int) -> float:
    total = size_a + size_b
    e1 = size_a * (a + b) / total
    e2 = size_b * (a + b) / total
    g = 0.0
    if a:
        g += a * math.log(a / e1)
    if b:
        g += b * math.log(b / e2)
    return 2 * g


def keyness(
    docs: Sequence[DocTerms],
    group_of: Callable[[DocTerms], str],
    *,
    top: int = 20,
    phrases: dict[str, tuple[str, ...]] | None = None,
    min_count: int = 2,
) -> list[GroupKeywords]:
    """For each group, the terms it uses significantly more than the rest of the corpus
    (G² >= 3.84), ranked by G², with the log-ratio effect size. Groups are sorted by name."""
    counts: dict[str, Counter[str]] = {}
    ndocs: Counter[str] = Counter()
    for d in docs:
        g = group_of(d)
        counts.setdefault(g, Counter()).update(d.terms)
        ndocs[g] += 1
    whole: Counter[str] = Counter()
    for c in counts.values():
        whole.update(c)
    total = sum(whole.values())
    return [_group_keywords(g, counts[g], ndocs[g], whole.__getitem__, total, top=top,
                            phrases=phrases, min_count=min_count) for g in sorted(counts)]


def _group_keywords(g: str, c: dict[str, int], ndocs: int, whole: Callable[[str], int],
                    total: int, *, top: int, phrases: dict[str, tuple[str, ...]] | None,
                    min_count: int) -> GroupKeywords:
    size_a = sum(c.values())
    size_b = total - size_a
    rows: dict[str, KeyTerm] = {}
    if size_a and size_b:
        for term, a in c.items():
            b = whole(term) - a
            if a < min_count or a / size_a <= b / size_b:
                continue
            g2 = _g2(a, b, size_a, size_b)
            if g2 < G2_CRITICAL:
                continue
            lr = math.log2((a / size_a) / ((b if b else 0.5) / size_b))
            rows[term] = KeyTerm(term, round(g2, 4), round(lr, 4), a, b)
    ranked = [t for t, _ in sorted(rows.items(), key=lambda kv: (-kv[1].g2, kv[0]))]
    kept = suppress_fragments(ranked, phrases or {}, limit=top if top > 0 else None)
    return GroupKeywords(g, ndocs, tuple(rows[t] for t in kept))


# ---------------------------------------------------------------------------------------------
# Streaming: the same results with memory that follows the vocabulary, not the corpus
# ---------------------------------------------------------------------------------------------
# Documents arrive one at a time and are coded as int ids into a vocabulary, in chunks of about
# a million tokens (numpy arrays). The chunks go to a spill (a list in memory, or a temporary
# file in the CLI) that is read again once per pass: n-gram counts (bounded, see
# phrases.count_keys), phrase neighbours, terms (themselves spilled), weights, top documents.
# Each pass holds one chunk plus tables the size of the vocabulary.
SEPARATOR = "\x00"  # token id 0: between articles; never a phrase part, a term or a neighbour
CHUNK_TOKENS = 1 << 20
_TAG_BITS = 16


class Vocab:
    """Strings to consecutive int ids, in first-seen order.

    ``index`` numbers a string the first time it is looked up (a defaultdict counting up), so
    coding a token list is one C-level ``map`` with no second pass for the new ones; ``strings``
    (id -> string) catches up with it when read. Test membership with ``in`` or ``.get``."""

    def __init__(self, first: Iterable[str] = ()) -> None:
        self.index: dict[str, int] = defaultdict(itertools.count().__next__)
        self._strings: list[str] = []
        for s in first:
            self.id(s)

    def __len__(self) -> int:
        return len(self.index)

    @property
    def strings(self) -> list[str]:
        new = len(self.index) - len(self._strings)
        if new:  # the last ``new`` keys, in insertion order
            self._strings.extend(reversed(list(itertools.islice(reversed(self.index), new))))
        return self._strings

    def id(self, s: str) -> int:
        return self.index[s]

    def ids(self, items: Iterable[str]) -> list[int]:
        return list(map(self.index.__getitem__, items))


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    doc: str
    source: str
    title: str
    group: str | None = None


class MemorySpill(list):
    """The in-memory spill: a list of chunks."""

    def chunks(self) -> Iterable[Any]:
        return iter(self)


def _joined(parts: list[Any], size: int) -> Any:
    """0, parts[0], 0, parts[1], 0, ... as one int32 array of ``size``."""
    import numpy as np

    out = np.zeros(size, dtype=np.int32)
    at = 1
    for p in parts:
        out[at : at + len(p)] = p
        at += len(p) + 1
    return out


class TokenStream:
    """Collects tokenized articles as int-coded chunks, plus the corpus-wide tables that the
    phrase tests need (token counts, token-tag counts), all sized by the vocabulary.

    ``spill`` holds the chunks (``append(tuple_of_arrays)`` and ``chunks()``)."""

    def __init__(self, spill: Any = None) -> None:
        self.spill = spill if spill is not None else MemorySpill()
        self.vocab = Vocab([SEPARATOR])
        self.tags = Vocab([""])
        self.articles: list[ArticleInfo] = []
        self.total = 0  # tokens
        self._unigrams: Any = None  # token counts by id (grown as the vocabulary grows)
        self.tagged = 0  # tokens with a POS tag
        self._tok: list[Any] = []  # per article: token ids, then the separator
        self._tag: list[Any] = []
        self._len = 1  # of the chunk being collected (it starts with a separator)
        self._starts: list[int] = []
        self._ntitle: list[int] = []
        self._first = 0

    def add(self, tokenized: Iterable[TokenizedArticle], group: str | None = None) -> None:
        for ta in tokenized:
            a = ta.article
            self.add_tokens(ta.tokens, ta.pos, ArticleInfo(a.doc, a.source, a.title, group),
                            _title_len(ta.tokens, a.title) if a.title else 0)
        if self._len >= CHUNK_TOKENS:
            self._flush()

    def add_tokens(self, tokens: Sequence[str], pos: Sequence[str] | None, info: ArticleInfo,
                   title_len: int = 0) -> None:
        """One article as its tokens (and POS tags), coded straight into int32 arrays."""
        import numpy as np

        n = len(tokens)
        self.articles.append(info)
        self._starts.append(self._len)
        self._ntitle.append(title_len)
        self._tok.append(np.fromiter(map(self.vocab.index.__getitem__, tokens), np.int32, n))
        if pos is not None:
            self._tag.append(np.fromiter(map(self.tags.index.__getitem__, pos), np.int32, n))
        else:
            self._tag.append(np.zeros(n, dtype=np.int32))
        self._len += n + 1
        self.total += n

    def _flush(self) -> None:
        import numpy as np

        if not self._starts:
            return
        tok = _joined(self._tok, self._len)
        tag = _joined(self._tag, self._len)
        counts = np.bincount(tok, minlength=len(self.vocab))
        if self._unigrams is None or len(self._unigrams) < len(counts):
            held = 0 if self._unigrams is None else len(self._unigrams)
            grown = np.zeros(max(len(counts), 2 * held), dtype=np.int64)
            if self._unigrams is not None:
                grown[: len(self._unigrams)] = self._unigrams
            self._unigrams = grown
        self._unigrams[: len(counts)] += counts
        self.tagged += int(np.count_nonzero((tag != 0) & (tok != 0)))
        small = np.uint8 if len(self.tags) <= 256 else np.int32  # tags: a few dozen
        self.spill.append((tok, tag.astype(small), np.asarray(self._starts, dtype=np.int64),
                           np.asarray(self._ntitle, dtype=np.int64),
                           np.asarray([self._first], dtype=np.int64)))
        self._first += len(self._starts)
        self._tok, self._tag, self._starts, self._ntitle = [], [], [], []
        self._len = 1

    def close(self) -> None:
        self._flush()

    def unigrams(self) -> Any:
        import numpy as np

        out = np.zeros(len(self.vocab), dtype=np.int64)
        if self._unigrams is not None:
            out[:] = self._unigrams[: len(out)]
        out[0] = 0
        return out

    def tag_pairs(self, wanted: Any = None) -> tuple[Any, Any]:
        """(sorted keys ``token id << 16 | tag id``, counts) of the tagged tokens, counted in a
        pass over the spill; only the tokens ``wanted[id]`` says (a bool array) when given."""
        import numpy as np

        from .phrases import KeyCounter

        self._flush()
        if wanted is not None:  # a dense table: the wanted tokens by the tags
            ids = np.flatnonzero(wanted)
            compact = np.full(len(self.vocab), -1, dtype=np.int64)
            compact[ids] = np.arange(len(ids))
            width = len(self.tags)
            table = np.zeros(len(ids) * width, dtype=np.int64)
            for chunk in self.spill.chunks() if self.tagged and len(ids) else ():
                tok, tag = chunk[0], chunk[1]
                sel = (tag != 0) & wanted[tok]
                table += np.bincount(compact[tok[sel]] * width + tag[sel], minlength=len(table))
            nz = np.flatnonzero(table)
            return (ids[nz // width] << _TAG_BITS) | (nz % width), table[nz]
        counter = KeyCounter(cap=1 << 62)
        for chunk in self.spill.chunks() if self.tagged else ():
            tok, tag = chunk[0], chunk[1]
            sel = (tag != 0) & (tok != 0)
            counter.add((tok[sel].astype(np.int64) << _TAG_BITS) | tag[sel].astype(np.int64))
        return counter.result()


@dataclass
class _Flags:
    brk: Any
    edge: Any
    inner: Any
    length: Any
    content: Any  # is_edge of every token, break or not


def _flags(vocab: Vocab, is_edge: Callable[[str], bool], is_inner: Callable[[str], bool]):
    import numpy as np

    n = len(vocab)
    strings = vocab.strings
    brk = np.fromiter((_is_break(s) for s in strings), dtype=bool, count=n)
    brk[0] = True
    content = np.fromiter((is_edge(s) for s in strings), dtype=bool, count=n)
    edge = content & ~brk
    inner = np.fromiter((not b and is_inner(s) for s, b in zip(strings, brk.tolist(),
                                                                strict=True)),
                        dtype=bool, count=n)
    length = np.fromiter((len(s) for s in strings), dtype=np.int64, count=n)
    return _Flags(brk, edge, inner, length, content)


def _pos_ok(filt: TokenFilter, tag: str) -> bool:
    """The POS half of ``filt.keep`` (an empty tag is no tag: kept)."""
    if filt.pos is None or not tag:
        return True
    return any(tag == p or (len(p) < len(tag) and tag.startswith(p)) for p in filt.pos)


def _single_keep(filt: TokenFilter, edge_filter: TokenFilter, flags: _Flags, vocab: Vocab,
                 tags: Vocab) -> tuple[Any, Any]:
    """``filt.keep(token, tag)`` as two tables, by token id and by tag id: the word half is
    ``edge_filter.keep`` (the same tests with fewer stopwords, ``flags.content``) minus the
    stopwords only ``filt`` has, and the POS half depends on the tag alone."""
    import numpy as np

    extra = filt.stopwords - edge_filter.stopwords
    if not edge_filter.stopwords <= filt.stopwords or (
            (filt.keep_figures, filt.min_chars) != (edge_filter.keep_figures,
                                                     edge_filter.min_chars)):
        raise ValueError("the single-token filter must be the edge filter with more stopwords")
    word = flags.content.copy()
    if extra:
        word &= np.fromiter((s not in extra for s in vocab.strings), dtype=bool, count=len(vocab))
    pos = np.fromiter((_pos_ok(filt, t) for t in tags.strings), dtype=bool, count=len(tags))
    return word, pos


class _GramTable:
    """Sorted packed keys of n-grams (all of one length ``n``, tokens never breaks nor past
    MAX_ID), found in a token stream by looking up only the positions whose every token can
    stand at its place in one of them: the same occurrences as :func:`.phrases.gram_keys` then a
    search, at a fraction of the cost."""

    def __init__(self, keys: Any, n: int, n_vocab: int) -> None:
        import numpy as np

        from .phrases import ID_BITS, MAX_ID

        self.keys, self.n = keys, n
        self.places = np.zeros(n_vocab, dtype=np.uint8)  # bit i: can stand at place i
        for i in range(n):
            self.places[(keys >> (ID_BITS * (n - 1 - i))) & MAX_ID] |= np.uint8(1 << i)

    def find(self, tok: Any) -> tuple[Any, Any]:
        """(start positions, indices into ``keys``) of the occurrences in ``tok``."""
        import numpy as np

        from .phrases import pack

        n, keys = self.n, self.keys
        m = len(tok) - n + 1
        if m <= 0 or not len(keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        at = self.places[tok]
        ok = (at[:m] & 1).astype(bool)
        for i in range(1, n):
            ok &= (at[i : i + m] & (1 << i)) != 0
        pos = np.flatnonzero(ok)
        k = pack([tok[pos + i] for i in range(n)])
        idx = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        hit = keys[idx] == k
        return pos[hit], idx[hit].astype(np.int64)


def _stream_phrases(stream: TokenStream, flags: _Flags, options: KeywordOptions,
                    nouns: frozenset[str], verbs: frozenset[str], *,
                    min_pmi: float = 3.0, min_entropy: float = 0.9, max_chars: int = 12,
                    cap: int | None = None, stats: dict | None = None,
                    ) -> dict[str, tuple[str, ...]]:
    """:func:`prepare`'s phrases (``cohesive_ngrams`` then ``_phrase_ok``) on a stream."""
    import numpy as np

    from .phrases import (
        DEFAULT_CAP,
        ID_BITS,
        KeyCounter,
        Phrase,
        count_keys,
        entropy_of,
        gram_keys_at,
        token_props,
        unpack,
    )

    total = stream.total
    if options.max_n < 2 or total == 0:
        return {}
    ns = range(2, options.max_n + 1)

    def batches():
        for chunk in stream.spill.chunks():
            tok = chunk[0]
            props = token_props(tok, brk=flags.brk, edge=flags.edge, inner=flags.inner,
                                length=flags.length)
            for n in ns:
                yield gram_keys_at(tok, props, n, counted=True, max_chars=max_chars)[1]

    keys, counts = count_keys(batches,
                              min_count=options.min_phrase_count, cap=cap or DEFAULT_CAP,
                              stats=stats)
    freq_keys, freq_counts = keys, counts
    cohesive = _cohesive(freq_keys, freq_counts, stream.unigrams(), total, min_pmi)

    if not cohesive:
        return {}
    ck = np.asarray(sorted(cohesive), dtype=np.int64)
    width = np.int64(len(stream.vocab) + 1)
    left, right = KeyCounter(cap=1 << 62), KeyCounter(cap=1 << 62)
    # the occurrences of the cohesive n-grams: only positions whose every token can stand at
    # its place in one of them are packed and looked up (their tokens are never breaks and
    # never past MAX_ID, so a match is a real occurrence, as with gram_keys)
    places = {}
    for n in ns:
        lo_, hi_ = np.searchsorted(ck, [1 << (ID_BITS * (n - 1)), 1 << (ID_BITS * n)])
        if hi_ > lo_:
            places[n] = (int(lo_), _GramTable(ck[lo_:hi_], n, len(stream.vocab)))
    for chunk in stream.spill.chunks():
        tok = chunk[0]
        for n, (offset, table) in places.items():
            pos, gi = table.find(tok)
            gi += offset
            for counter, nb in ((left, tok[pos - 1]), (right, tok[pos + n])):
                nb = np.where(flags.brk[nb], -1, nb).astype(np.int64)
                counter.add(gi * width + nb + 1)
    # neighbour entropies, vectorised; the few within 1e-9 of the threshold are recomputed
    # with entropy_of (Python's float sum, as cohesive_ngrams)
    n_ck = len(ck)
    ents = []
    tables = []
    for counter in (left, right):
        k, c = counter.result()
        gi = k // width
        nb = k % width
        cf = c.astype(np.float64)
        total_j = np.bincount(gi, weights=cf, minlength=n_ck)
        safe = np.where(total_j > 0, total_j, 1.0)
        p = cf / safe[gi]
        real = nb != 0
        # (astype: bincount of nothing is an int array)
        h = -np.bincount(gi[real], weights=(p * np.log(p))[real],
                         minlength=n_ck).astype(np.float64)
        edge = np.bincount(gi[~real], weights=cf[~real], minlength=n_ck).astype(np.float64)
        pe = 1.0 / safe
        h -= np.where(edge > 0, edge * pe * np.log(pe), 0.0)
        ents.append(h)
        tables.append((nb, c, np.searchsorted(gi, np.arange(n_ck + 1))))
    near = np.flatnonzero((np.abs(ents[0] - min_entropy) < 1e-9)
                          | (np.abs(ents[1] - min_entropy) < 1e-9))
    for j in near.tolist():
        for side, (nbs, c, bounds) in enumerate(tables):
            lo, hi = bounds[j], bounds[j + 1]
            nb, cnt = nbs[lo:hi], c[lo:hi]
            ents[side][j] = entropy_of(cnt[nb != 0].tolist(), int(cnt[nb == 0].sum()))
    le_all, re_all = ents
    free = np.flatnonzero(np.minimum(le_all, re_all) >= min_entropy)
    ck_counts = freq_counts[np.searchsorted(freq_keys, ck)]
    strings = stream.vocab.strings
    out: list[Phrase] = []
    for key, cnt, le, re_ in zip(ck[free].tolist(), ck_counts[free].tolist(),
                                 le_all[free].tolist(), re_all[free].tolist(), strict=True):
        g = tuple(strings[t] for t in unpack(key))
        out.append(Phrase(g, cnt, round(cohesive[key], 6), round(le, 6), round(re_, 6)))
    out.sort(key=lambda ph: (-ph.count, ph.text, ph.tokens))
    tag_of = _stream_majority_tags(stream, {t for ph in out for t in ph.tokens}, nouns)
    phrase_tokens: dict[str, tuple[str, ...]] = {}
    for ph in out:
        if _phrase_ok(ph.tokens, tag_of, nouns, verbs):
            phrase_tokens.setdefault(ph.text, ph.tokens)
    return phrase_tokens


def _cohesive(keys: Any, counts: Any, unigrams: Any, total: int,
              min_pmi: float) -> dict[int, float]:
    """{key: PMI} of the n-grams (packed ``keys``, sorted, with their ``counts``) whose PMI at
    the weakest split is at least ``min_pmi``, as :func:`.phrases.cohesive_ngrams` computes it.
    A part missing from ``keys`` counts 1 (it was never counted, or too rarely to matter: a
    countable part is at least as frequent as the whole). Vectorised; the few values within
    1e-9 of the threshold are recomputed with Python's own ``math.log``."""
    import numpy as np

    from .phrases import ID_BITS, MAX_ID, unpack

    if not len(keys):
        return {}

    def part_count(part_keys):
        idx = np.minimum(np.searchsorted(keys, part_keys), len(keys) - 1)
        return np.where(keys[idx] == part_keys, counts[idx], 0)

    def prob(c):
        return np.maximum(c, 1) / total

    tri = keys >= (1 << (2 * ID_BITS))
    a = (keys >> (2 * ID_BITS)) & MAX_ID
    b = (keys >> ID_BITS) & MAX_ID
    c = keys & MAX_ID
    p = counts / total
    # bigrams: the key is (b, c); trigrams: (a, b, c)
    pmi_bi = np.log(p / (prob(unigrams[b]) * prob(unigrams[c])))
    split1 = np.log(p / (prob(unigrams[a]) * prob(part_count((b << ID_BITS) | c))))
    split2 = np.log(p / (prob(part_count((a << ID_BITS) | b)) * prob(unigrams[c])))
    pmi = np.where(tri, np.minimum(split1, split2), pmi_bi)
    out: dict[int, float] = {}
    sure = np.flatnonzero(pmi >= min_pmi + 1e-9)
    near = np.flatnonzero(np.abs(pmi - min_pmi) < 1e-9)
    for k, v in zip(keys[sure].tolist(), pmi[sure].tolist(), strict=True):
        out[k] = v
    count_of = dict(zip(keys.tolist(), counts.tolist(), strict=True)) if len(near) else {}
    for j in near.tolist():
        k = int(keys[j])
        g = unpack(k)
        q = count_of[k] / total

        def pr(part: tuple[int, ...]) -> float:
            if len(part) == 1:
                return max(int(unigrams[part[0]]), 1) / total
            return max(count_of.get((part[0] << ID_BITS) | part[1], 0), 1) / total

        v = min(math.log(q / (pr(g[:i]) * pr(g[i:]))) for i in range(1, len(g)))
        if v >= min_pmi:
            out[k] = v
    return out


def _stream_majority_tags(stream: TokenStream, wanted: set[str],
                          nouns: frozenset[str]) -> dict[str, str]:
    """:func:`_majority_tags` for the tokens in ``wanted`` (a non-empty dict whenever the corpus
    has tags, as the whole table would be)."""
    import numpy as np

    stream.close()
    if not stream.tagged:
        return {}
    index = stream.vocab.index
    mask = np.zeros(len(stream.vocab), dtype=bool)
    mask[[index[t] for t in wanted if t in index]] = True
    keys, counts = stream.tag_pairs(mask)
    best: dict[str, tuple[int, str]] = {}
    tags = stream.tags.strings
    strings = stream.vocab.strings
    for k, c in zip(keys.tolist(), counts.tolist(), strict=True):
        tok, tag = strings[k >> _TAG_BITS], tags[k & ((1 << _TAG_BITS) - 1)]
        old = best.get(tok)
        if old is None or c > old[0] or (c == old[0] and tag < old[1]):
            best[tok] = (c, tag)
    out = {t: tag for t, (_, tag) in best.items()}
    out.update({t: "n" for t in nouns if t in out})
    if not out:
        out[SEPARATOR] = "x"  # keep the table truthy: the corpus has tags
    return out


class TermStream:
    """The documents as term ids (chunks of (ids, per-article lengths, title lengths, first
    article)), with tf and df per term."""

    def __init__(self, spill: Any, terms: Vocab, tf: Any, df: Any, articles: list[ArticleInfo],
                 phrases: dict[str, tuple[str, ...]]) -> None:
        self.spill, self.terms, self.tf, self.df = spill, terms, tf, df
        self.articles, self.phrases = articles, phrases


def stream_terms(stream: TokenStream, *, options: KeywordOptions = KeywordOptions(),
                 policy_terms: Iterable[str] = (), spill: Any = None, cap: int | None = None,
                 stats: dict | None = None) -> TermStream:
    """:func:`prepare` on a :class:`TokenStream`: phrases, then every article's terms."""
    import numpy as np

    from .phrases import pack

    stream.close()
    nouns = frozenset(policy_terms)
    filt = TokenFilter(keep_formula_verbs=options.keep_formula_verbs,
                       extra_stopwords=options.extra_stopwords, pos=options.pos)
    edge_filter = TokenFilter(keep_formula_verbs=True, extra_stopwords=options.extra_stopwords)
    verbs = formula_verbs()
    stop = policy_stopwords() | frozenset(options.extra_stopwords)
    flags = _flags(stream.vocab, edge_filter.keep, lambda t: t not in stop)
    phrases = _stream_phrases(stream, flags, options, nouns, verbs, cap=cap, stats=stats)

    vocab = stream.vocab
    table = sorted(set(phrases.values()))
    by_len: dict[int, tuple[Any, list[str]]] = {}
    for n in range(2, options.max_n + 1):
        group = sorted((int(pack([np.asarray([vocab.index[t]]) for t in toks])[0]), "".join(toks))
                       for toks in table if len(toks) == n
                       and all(t in vocab.index for t in toks))
        by_len[n] = (np.asarray([k for k, _ in group], dtype=np.int64), [t for _, t in group])
    gram_tables = {n: _GramTable(pk, n, len(vocab)) for n, (pk, _) in by_len.items() if len(pk)}
    n_tag = stream.tags.id("n")
    is_noun = np.fromiter((s in nouns for s in vocab.strings), dtype=bool, count=len(vocab))
    word_ok, pos_ok = _single_keep(filt, edge_filter, flags, vocab, stream.tags)
    terms = Vocab()
    tok_term = np.full(len(vocab), -1, dtype=np.int64)
    phrase_term = {n: np.full(len(k), -1, dtype=np.int64) for n, (k, _) in by_len.items()}
    spill = spill if spill is not None else MemorySpill()
    tf_parts: list[Any] = []
    df_parts: list[Any] = []

    for tok, tag, starts, ntitle, first in stream.spill.chunks():
        # phrases: greedy longest first, as merge_phrases
        match_pos: list[Any] = []
        match_len: list[Any] = []
        match_idx: list[Any] = []
        for n, table in gram_tables.items():
            pos, idx = table.find(tok)
            match_pos.append(pos)
            match_len.append(np.full(len(pos), n, dtype=np.int64))
            match_idx.append(idx)
        span_pos = np.zeros(0, dtype=np.int64)
        span_len = span_idx = span_pos
        if match_pos:
            mp = np.concatenate(match_pos)
            ml = np.concatenate(match_len)
            mi = np.concatenate(match_idx)
            order = np.lexsort((-ml, mp))  # by position, the longest first
            mp, ml, mi = mp[order], ml[order], mi[order]
            first_at = np.r_[True, mp[1:] != mp[:-1]]  # the longest match at each position
            mp, ml, mi = mp[first_at], ml[first_at], mi[first_at]
            # a match clear of the previous match's span is taken whatever came before; only
            # chains of overlapping matches need the left-to-right walk
            take = np.ones(len(mp), dtype=bool)
            clash = np.flatnonzero(mp[1:] < (mp[:-1] + ml[:-1])) + 1
            if len(clash):
                nxt = -1
                in_chain = np.zeros(len(mp), dtype=bool)
                in_chain[clash] = True
                in_chain[clash - 1] = True
                chain = np.flatnonzero(in_chain)
                for j in chain.tolist():
                    p = int(mp[j])
                    if j == 0 or not (mp[j] < mp[j - 1] + ml[j - 1]):
                        nxt = -1  # the chain starts here: nothing before it reaches it
                    if p >= nxt:
                        nxt = p + int(ml[j])
                    else:
                        take[j] = False
            span_pos, span_len, span_idx = mp[take], ml[take], mi[take]
        covered = np.zeros(len(tok), dtype=bool)
        for n in range(2, options.max_n + 1):
            starts_n = span_pos[span_len == n]
            for k in range(n):
                covered[starts_n + k] = True
        # single tokens
        if options.min_n <= 1:
            single = np.flatnonzero(~covered & (tok != 0))
            st = tok[single].astype(np.int64)
            eff = np.where(is_noun[st], n_tag, tag[single]).astype(np.int64)
            single = single[word_ok[st] & pos_ok[eff]]
        else:
            single = np.zeros(0, dtype=np.int64)
        # phrase terms within the --ngram range
        in_range = (span_len >= options.min_n) & (span_len <= options.max_n)
        ppos, plen, pidx = span_pos[in_range], span_len[in_range], span_idx[in_range]
        # term ids, new ones numbered in order of first appearance
        pos_all = np.concatenate([single, ppos])
        order = np.argsort(pos_all, kind="stable")
        pos_all = pos_all[order]
        ids = np.empty(len(pos_all), dtype=np.int64)
        ns = len(single)
        kinds = np.concatenate([np.zeros(ns, dtype=np.int64), plen])[order]
        refs = np.concatenate([tok[single].astype(np.int64), pidx])[order]
        missing = np.zeros(len(pos_all), dtype=bool)
        masks = []
        for n in [1, *range(2, options.max_n + 1)]:
            m = kinds == (0 if n == 1 else n)
            if m.any():
                lookup = tok_term if n == 1 else phrase_term[n]
                ids[m] = lookup[refs[m]]
                missing |= m & (ids < 0)
                masks.append((n, m, lookup))
        if missing.any():
            # number the new terms in order of first appearance (a phrase spelled as a token
            # gets the token's id: terms.id is by text), then look every missing one up again;
            # first appearances by a minimum per token (phrase), not by sorting the positions
            end = len(pos_all)
            new_at, new_n, new_ref = [], [], []
            for n, m, lookup in masks:
                m &= missing
                at = np.flatnonzero(m)
                if not len(at):
                    continue
                first_at = np.full(len(lookup), end, dtype=np.int64)
                np.minimum.at(first_at, refs[at], at)
                r = np.flatnonzero(first_at < end)
                new_at.append(first_at[r])
                new_n.append(np.full(len(r), n, dtype=np.int64))
                new_ref.append(r)
            order = np.argsort(np.concatenate(new_at))  # positions: all distinct
            strings = vocab.strings
            for n, r in zip(np.concatenate(new_n)[order].tolist(),
                            np.concatenate(new_ref)[order].tolist(), strict=True):
                if n > 1:
                    phrase_term[n][r] = terms.id(by_len[n][1][r])
                else:
                    tok_term[r] = terms.id(strings[r])
            for _, m, lookup in masks:
                ids[m] = lookup[refs[m]]
        # per article
        art = np.searchsorted(starts, pos_all, side="right") - 1
        n_art = len(starts)
        lengths = np.bincount(art, minlength=n_art)
        titled = (pos_all - starts[art]) < ntitle[art]
        title_len = np.bincount(art[titled], minlength=n_art)
        spill.append((ids.astype(np.int32), lengths, title_len, first))
        tf_parts.append(np.bincount(ids, minlength=len(terms)) if len(ids) else None)
        u = _sorted_unique((art << 32) | ids)[0] & 0xFFFFFFFF
        df_parts.append(np.bincount(u, minlength=len(terms)) if len(u) else None)
    tf = np.zeros(len(terms), dtype=np.int64)
    df = np.zeros(len(terms), dtype=np.int64)
    for acc, parts in ((tf, tf_parts), (df, df_parts)):
        for p in parts:
            if p is not None:
                acc[: len(p)] += p
    return TermStream(spill, terms, tf, df, stream.articles, phrases)


def _sorted_unique(keys: Any) -> tuple[Any, Any]:
    """(sorted distinct keys, counts) by sorting (numpy's hash-based unique is slow on keys
    that differ only in their high bits). The keys here are (article << 32 | term) in article
    order: a stable sort (timsort) takes such nearly sorted keys about twice as fast."""
    import numpy as np

    k = np.sort(keys, kind="stable")
    if not len(k):
        return k, np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    return k[first], np.diff(np.r_[first, len(k)])


@dataclass
class _Rows:
    """The articles of a term chunk as sparse rows: entry arrays sorted by (article, the term's
    place in ``order``: its id by default), ``bounds[a]:bounds[a + 1]`` the entries of article
    ``a`` (local index)."""

    first: int
    art: Any
    term: Any
    count: Any  # the term's count in the article
    weighted: Any  # the count with the title terms counted title_weight times
    bounds: Any


def _chunk_rows(chunk: Any, title_weight: int, order: Any = None, unorder: Any = None) -> _Rows:
    """``order`` (term id -> sort key, a permutation) and ``unorder`` (its inverse) set the
    entries' order within an article (scikit-learn's vocabulary order), so that no second sort
    is needed."""
    import numpy as np

    ids, lengths, title_len, first = chunk
    ids = ids.astype(np.int64)
    if order is not None:
        ids = order[ids]
    n_art = len(lengths)
    art = np.repeat(np.arange(n_art, dtype=np.int64), lengths)
    keys = (art << 32) | ids
    uk, c = _sorted_unique(keys)
    cw = c
    if title_weight > 1 and len(ids):
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        within = np.arange(len(ids)) - np.repeat(offsets, lengths)
        titled = within < np.repeat(title_len, lengths)
        if titled.any():
            tk, tc = _sorted_unique(keys[titled])
            cw = c.copy()
            cw[np.searchsorted(uk, tk)] += tc * (title_weight - 1)
    ua = uk >> 32
    term = uk & 0xFFFFFFFF
    if unorder is not None:
        term = unorder[term]
    return _Rows(int(first[0]), ua, term, c, cw,
                 np.searchsorted(ua, np.arange(n_art + 1)))


def _tfidf_rows(rows: _Rows, idf: Any) -> tuple[Any, Any, Any]:
    """(article, term, weight) entries of the L2-normalised sublinear tf-idf rows, each row in
    scikit-learn's entry order (``rows`` must come in it: see :func:`_chunk_rows`), with the
    same floating-point operations in the same order (the squared norm summed left to right),
    so the numbers are identical."""
    import numpy as np

    art, term, cw = rows.art, rows.term, rows.weighted
    v = (np.log(cw.astype(np.float64)) + 1.0) * idf[term]
    sq = v * v
    n_art = len(rows.bounds) - 1
    lens = np.diff(rows.bounds)
    starts = rows.bounds[:-1]
    by_len = np.argsort(-lens, kind="stable")
    sorted_lens = lens[by_len]
    acc = np.zeros(n_art, dtype=np.float64)
    for k in range(int(sorted_lens[0]) if n_art else 0):
        act = by_len[: int(np.searchsorted(-sorted_lens, -k, side="left"))]
        acc[act] += sq[starts[act] + k]
    norm = np.sqrt(acc)
    norm[norm == 0] = 1.0
    return art, term, v / norm[art]


def _stream_idf(ts: TermStream, background: IdfTable | None, blend: bool):
    import numpy as np

    n = len(ts.articles)
    own = np.log(float(n + 1) / (ts.df.astype(np.float64) + 1.0)) + 1.0
    if background is None:
        return own
    idf = []
    for t in ts.terms.strings:
        if t in background.values or t not in ts.phrases:
            idf.append(background.get(t))
        else:
            idf.append(max(background.get(p) for p in ts.phrases[t]))
    values = np.asarray(idf, dtype=np.float64)
    if blend:
        values = (values + own) / 2
    return values


def stream_keywords(
    ts: TermStream,
    *,
    options: KeywordOptions = KeywordOptions(),
    background: IdfTable | None = None,
    blend: bool = False,
    on_document: Callable[[DocKeywords], None] | None = None,
) -> KeywordResult:
    """:func:`extract_keywords` on a :class:`TermStream` (groups from the articles' ``group``
    when any is set). Per-document keywords (``options.per_doc``) go to ``on_document`` as they
    are found when it is given, else into the result."""
    import numpy as np

    if options.method not in METHODS:
        raise ValueError(f"unknown method {options.method!r}")
    result = KeywordResult(phrases=dict(ts.phrases))
    arts = ts.articles
    strings = ts.terms.strings
    grouped = any(a.group is not None for a in arts)
    docs_out: list[DocKeywords] = []
    emit = on_document if on_document is not None else docs_out.append
    n_terms = len(strings)
    if not n_terms or not int(ts.tf.sum()):
        if grouped:
            result.groups = _stream_keyness(ts, options)
        if options.per_doc:
            for a in arts:
                emit(DocKeywords(a.doc, a.source, a.title, ()))
        result.documents = docs_out
        return result

    by_text = np.asarray(sorted(range(n_terms), key=strings.__getitem__), dtype=np.int64)
    rank = np.empty(n_terms, dtype=np.int64)
    rank[by_text] = np.arange(n_terms)
    tw = max(options.title_weight, 1)

    idf = None
    row_order: tuple[Any, Any] = (None, None)
    if options.method == "tfidf":
        idf = _stream_idf(ts, background, blend)
        # scikit-learn keeps a row's entries in vocabulary order: sorted terms with a given
        # vocabulary (background IDF), first appearance when fitted (corpus IDF)
        row_order = (rank, by_text) if background is not None else (None, None)
        totals = np.zeros(n_terms, dtype=np.float64)
        for chunk in ts.spill.chunks():
            _, term, w = _tfidf_rows(_chunk_rows(chunk, tw, *row_order), idf)
            np.add.at(totals, term, w)  # row after row, as scipy's column sums
        scores = totals / max(len(arts), 1)
    else:
        scores = _stream_textrank(ts, rank, options)

    order = np.lexsort((rank, -scores))
    top = options.top if options.top > 0 else None
    chosen = suppress_fragments((strings[j] for j in order.tolist()), ts.phrases, limit=top)
    chosen_ids = np.asarray(sorted(ts.terms.index[t] for t in chosen), dtype=np.int64)
    k_docs = options.top_docs
    # the best (weight, article) of each chosen term, pruned as they come: entries of the
    # k-th best weight or better survive (ties are settled by document id at the end)
    best_w: list[Any] = []
    best_a: list[Any] = []
    best_t: list[Any] = []

    def prune() -> None:
        w, a, t = np.concatenate(best_w), np.concatenate(best_a), np.concatenate(best_t)
        o = np.lexsort((-w, t))
        w, a, t = w[o], a[o], t[o]
        start = np.searchsorted(t, t, side="left")
        rank_in = np.arange(len(t)) - start
        kth = w[np.minimum(start + k_docs - 1, np.searchsorted(t, t, side="right") - 1)]
        keep = (rank_in < k_docs) | (w >= kth)
        best_w[:], best_a[:], best_t[:] = [w[keep]], [a[keep]], [t[keep]]

    for chunk in ts.spill.chunks():
        rows = _chunk_rows(chunk, tw, *row_order)
        if options.method == "tfidf":
            art, term, w = _tfidf_rows(rows, idf)
            bounds = rows.bounds
        else:
            art, term, w, bounds = _textrank_rows(chunk, ts, options, tw, rank, by_text)
        hit = np.isin(term, chosen_ids)
        if k_docs > 0 and hit.any():
            best_w.append(w[hit])
            best_a.append(art[hit] + rows.first)
            best_t.append(term[hit])
            prune()
        if options.per_doc:
            # each article's entries ranked as _ranked does (weight down, then term), in one
            # sort for the chunk; the walk reads an article's ranking only as far as needed
            if options.method == "tfidf":
                cnt_all = rows.count  # the same entries in the same order
            else:
                rkey = (rows.art << 32) | rows.term  # rows by (article, term id)
                cnt_all = rows.count[np.searchsorted(rkey, (art << 32) | term)]
            o = _ranking(art, w, rank[term])
            s_term, s_w, s_cnt = term[o].tolist(), w[o].tolist(), cnt_all[o].tolist()
            b = bounds.tolist()
            for a_ in range(len(rows.bounds) - 1):
                info = arts[rows.first + a_]
                lo, hi = b[a_], b[a_ + 1]
                kept_at = _suppress_at((strings[t] for t in s_term[lo:hi]), ts.phrases,
                                       limit=top)
                emit(DocKeywords(info.doc, info.source, info.title, tuple(
                    DocKeyword(strings[s_term[lo + i]], round(s_w[lo + i], 4), s_cnt[lo + i])
                    for i in kept_at)))
    holders: dict[int, list[tuple[float, str, int]]] = {int(j): [] for j in chosen_ids}
    if best_w:
        for w_, a_, t_ in zip(np.concatenate(best_w).tolist(), np.concatenate(best_a).tolist(),
                              np.concatenate(best_t).tolist(), strict=True):
            holders[t_].append((-w_, arts[a_].doc, a_))
    for t in chosen:
        j = ts.terms.index[t]
        best = sorted(holders[j])[:k_docs]
        result.keywords.append(Keyword(
            t, round(float(scores[j]), 4), int(ts.tf[j]), int(ts.df[j]),
            tuple(DocWeight(arts[i].doc, arts[i].source, round(-nw, 4)) for nw, _, i in best)))
    result.documents = docs_out
    if grouped:
        result.groups = _stream_keyness(ts, options)
    return result


def _ranking(art: Any, w: Any, rank: Any) -> Any:
    """``np.lexsort((rank, -w, art))`` (by article, weight down, then rank), by one stable
    argsort of a composite int key: the article above the top 42 bits of an order-preserving
    integer image of -w. Entries whose keys tie (equal weights, or weights that agree in those
    bits) are put in exact order by a lexsort of those entries only."""
    import numpy as np

    n = len(art)
    if n == 0 or int(art.min()) < 0 or int(art.max()) >= (1 << 21) or np.isnan(w).any():
        return np.lexsort((rank, -w, art))
    bits = (w + 0.0).view(np.int64)  # + 0.0: -0.0 and 0.0 get one image, as they compare equal
    up = np.where(bits < 0, bits ^ np.int64(0x7FFFFFFFFFFFFFFF), bits)  # ascending with w
    down = (~up).view(np.uint64) ^ np.uint64(1 << 63)  # ascending with -w, unsigned
    key = (art.astype(np.uint64) << np.uint64(42)) | (down >> np.uint64(22))
    order = np.argsort(key, kind="stable")
    ks = key[order]
    tie = ks[1:] == ks[:-1]
    if tie.any():
        member = np.zeros(n, dtype=bool)
        member[:-1] |= tie
        member[1:] |= tie
        at = np.flatnonzero(member)
        run = np.cumsum(np.r_[True, ~tie])[at]  # runs of equal keys, in order
        e = order[at]
        order[at] = e[np.lexsort((rank[e], -w[e], run))]
    return order


def _textrank_rows(chunk: Any, ts: TermStream, options: KeywordOptions, tw: int, rank: Any,
                   by_text: Any):
    """(article, term, weight, bounds) entries of each article's own TextRank (as
    :func:`extract_keywords`: the article's terms, its title terms repeated). The co-occurrence
    pairs of the whole chunk are counted at once on local node numbers (each article's terms
    in text order); then :func:`_pagerank_array` runs on each article's graph."""
    import numpy as np

    ids, lengths, title_len, _ = chunk
    n_art = len(lengths)
    empty = np.zeros(0, dtype=np.int64)
    if not len(ids):
        return empty, empty, np.zeros(0), np.zeros(n_art + 1, dtype=np.int64)
    r = rank[ids.astype(np.int64)]
    art_of = np.repeat(np.arange(n_art, dtype=np.int64), lengths)
    node_keys = _sorted_unique((art_of << 32) | r)[0]  # by (article, rank): the sorted names
    node_art = node_keys >> 32
    node_bounds = np.searchsorted(node_art, np.arange(n_art + 1))
    local = np.searchsorted(node_keys, (art_of << 32) | r) - node_bounds[art_of]
    window = options.window
    bits = 21
    if n_art >= (1 << bits) or int(np.diff(node_bounds).max()) >= (1 << bits):
        return _textrank_rows_each(chunk, ts, options, tw)
    # the sequences (an article's terms, then its title terms tw - 1 times) with gaps of
    # window - 1 between them, so that no window spans two
    gap = max(window - 1, 0)
    bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
    seq_parts, art_parts = [], []
    for a in range(n_art):
        lo, hi = bounds[a], bounds[a + 1]
        if hi == lo:
            continue
        k = int(title_len[a])
        reps = 1 + (tw - 1 if k else 0)
        for j in range(reps):
            part = local[lo:hi] if j == 0 else local[lo : lo + k]
            seq_parts.extend([part, np.full(gap, -1, dtype=np.int64)])
            art_parts.append(np.full(len(part) + gap, a, dtype=np.int64))
    seq = np.concatenate(seq_parts)
    seq_art = np.concatenate(art_parts)
    keys = []
    for d in range(1, window):
        a_, b_ = seq[:-d], seq[d:]
        ok = (a_ >= 0) & (b_ >= 0) & (a_ != b_)
        lo_, hi_ = np.minimum(a_[ok], b_[ok]), np.maximum(a_[ok], b_[ok])
        keys.append((seq_art[:-d][ok] << (2 * bits)) | (lo_ << bits) | hi_)
    pk, pc = _sorted_unique(np.concatenate(keys) if keys else empty)
    pair_bounds = np.searchsorted(pk >> (2 * bits), np.arange(n_art + 1)).tolist()
    rows_all = (pk >> bits) & ((1 << bits) - 1)
    cols_all = pk & ((1 << bits) - 1)
    vals_all = pc.astype(np.float64)
    nb = node_bounds.tolist()
    weights = []
    for a in range(n_art):
        n = nb[a + 1] - nb[a]
        if not n:
            continue
        lo, hi = pair_bounds[a], pair_bounds[a + 1]
        weights.append(_pagerank_array(n, rows_all[lo:hi], cols_all[lo:hi], vals_all[lo:hi]))
    return (node_art, by_text[node_keys & 0xFFFFFFFF],
            np.concatenate(weights) if weights else np.zeros(0), node_bounds)


def _textrank_rows_each(chunk: Any, ts: TermStream, options: KeywordOptions, tw: int):
    """:func:`_textrank_rows` one article at a time with :func:`textrank_scores` (for chunks
    too large for its packed keys)."""
    import numpy as np

    ids, lengths, title_len, _ = chunk
    strings = ts.terms.strings
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    arts, terms, weights, out_bounds = [], [], [], [0]
    for a in range(len(lengths)):
        seq = [strings[t] for t in ids[int(bounds[a]):int(bounds[a + 1])].tolist()]
        k = int(title_len[a])
        tr = textrank_scores([seq] + [seq[:k]] * (tw - 1), window=options.window) if seq else {}
        for t, sc in tr.items():
            arts.append(a)
            terms.append(ts.terms.index[t])
            weights.append(sc)
        out_bounds.append(len(arts))
    return (np.asarray(arts, dtype=np.int64), np.asarray(terms, dtype=np.int64),
            np.asarray(weights, dtype=np.float64), np.asarray(out_bounds, dtype=np.int64))


def _stream_textrank(ts: TermStream, rank: Any, options: KeywordOptions):
    """Corpus TextRank scores per term id (as :func:`textrank_scores` on every sequence)."""
    import numpy as np

    from .phrases import KeyCounter

    n_terms = len(rank)
    window = options.window
    tw = max(options.title_weight, 1)
    pairs = KeyCounter(cap=1 << 62)
    gap = np.full(max(window - 1, 0), -1, dtype=np.int64)
    for ids, lengths, title_len, _ in ts.spill.chunks():
        r = rank[ids.astype(np.int64)]
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        parts = []
        for a in range(len(lengths)):
            lo, hi = int(bounds[a]), int(bounds[a + 1])
            parts.extend([r[lo:hi], gap])
            k = int(title_len[a])
            for _ in range(tw - 1):
                if k:
                    parts.extend([r[lo:lo + k], gap])
        if not parts:
            continue
        seq = np.concatenate(parts)
        for d in range(1, window):
            a, b = seq[:-d], seq[d:]
            ok = (a >= 0) & (b >= 0) & (a != b)
            lo_, hi_ = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
            pairs.add(lo_ * n_terms + hi_)
    keys, counts = pairs.result()
    names = sorted(ts.terms.strings)
    pr = _pagerank(names, keys // n_terms, keys % n_terms, counts.astype(np.float64))
    return np.asarray([pr[t] for t in ts.terms.strings], dtype=np.float64)


def _stream_keyness(ts: TermStream, options: KeywordOptions) -> list[GroupKeywords]:
    import numpy as np

    from .phrases import KeyCounter

    groups = Vocab()
    art_group = np.asarray([groups.id(a.group or "") for a in ts.articles], dtype=np.int64)
    ndocs = np.bincount(art_group, minlength=len(groups))
    counter = KeyCounter(cap=1 << 62)
    for ids, lengths, _, first in ts.spill.chunks():
        if not len(ids):
            continue
        art = np.repeat(np.arange(len(lengths)) + int(first[0]), lengths)
        counter.add((art_group[art] << 32) | ids.astype(np.int64))
    keys, counts = counter.result()
    gid = keys >> 32
    tid = keys & 0xFFFFFFFF
    bounds = np.searchsorted(gid, np.arange(len(groups) + 1))
    tf = ts.tf
    total = int(tf.sum())
    strings = ts.terms.strings
    def whole(term: str) -> int:
        return int(tf[ts.terms.index[term]])

    out = []
    for name in sorted(groups.strings):
        g = groups.index[name]
        lo, hi = bounds[g], bounds[g + 1]
        c = {strings[t]: n for t, n in zip(tid[lo:hi].tolist(), counts[lo:hi].tolist(),
                                            strict=True)}
        out.append(_group_keywords(name, c, int(ndocs[g]), whole, total, top=options.top,
                                   phrases=ts.phrases, min_count=2))
    return out
