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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

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
def _contains(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n < len(whole) and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def suppress_fragments(
    ranked: Iterable[str], phrases: dict[str, tuple[str, ...]], *, limit: int | None = None
) -> list[str]:
    """Walk ``ranked`` and keep a term unless it is a part of a kept phrase, or it is a phrase
    one of whose parts was kept. Stops after ``limit`` kept terms."""
    kept: list[str] = []
    kept_parts: list[tuple[str, ...]] = []
    for term in ranked:
        toks = phrases.get(term, (term,))
        if any(_contains(k, toks) for k in kept_parts):
            continue
        if len(toks) > 1 and any(_contains(toks, k) for k in kept_parts):
            continue
        kept.append(term)
        kept_parts.append(toks)
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
    from scipy import sparse

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
    n = len(names)
    if pairs:
        keys = sorted(pairs)
        rows = np.fromiter((index[a] for a, _ in keys), dtype=np.int64, count=len(keys))
        cols = np.fromiter((index[b] for _, b in keys), dtype=np.int64, count=len(keys))
        vals = np.fromiter((pairs[k] for k in keys), dtype=np.float64, count=len(keys))
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
    top = r.max()
    return {t: float(r[i] / top) for i, t in enumerate(names)}


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
    out: list[GroupKeywords] = []
    for g in sorted(counts):
        c = counts[g]
        size_a = sum(c.values())
        size_b = total - size_a
        rows: dict[str, KeyTerm] = {}
        if size_a and size_b:
            for term, a in c.items():
                b = whole[term] - a
                if a < min_count or a / size_a <= b / size_b:
                    continue
                g2 = _g2(a, b, size_a, size_b)
                if g2 < G2_CRITICAL:
                    continue
                lr = math.log2((a / size_a) / ((b if b else 0.5) / size_b))
                rows[term] = KeyTerm(term, round(g2, 4), round(lr, 4), a, b)
        ranked = [t for t, _ in sorted(rows.items(), key=lambda kv: (-kv[1].g2, kv[0]))]
        kept = suppress_fragments(ranked, phrases or {}, limit=top if top > 0 else None)
        out.append(GroupKeywords(g, ndocs[g], tuple(rows[t] for t in kept)))
    return out
