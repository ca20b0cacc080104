"""Theme-guided clustering of articles or paragraphs.

Method (chosen by measurement on the seed plan's tasks, see ``benchmarks/cluster_quality.py``):

* **Units.** Articles, or (``unit="paragraph"``) the body paragraphs of each article; a paragraph
  shorter than ``min_chars`` (a heading such as （一）提振消费促内需) is joined to the paragraph
  that follows it, so no text is dropped.
* **Vectors.** TF-IDF (sublinear tf) over content tokens (stopwords, formula verbs, figures,
  single characters, place and person names removed); tokens that are codebook terms are
  weighted ``term_boost`` times; then ``theme_weight`` times the L2-normalised theme evidence
  (one column per codebook theme) is appended and every row is L2-normalised. The matrix is
  then reduced to ``lsa_dims`` dimensions (at most one per unit) by TruncatedSVD (LSA) and
  normalised again: on the dev sets this clusters as well as the sparse matrix (ARI within
  ±0.03) and k-means runs several times faster on the narrow dense matrix.
* **Clustering.** KMeans (k-means++, ``n_init`` restarts, ``random_state=seed``); above
  ``minibatch_above`` units MiniBatchKMeans, so memory stays bounded. All of it runs with one
  BLAS/OpenMP thread, so two runs give the same floats.
* **Choosing k** (``k=None``): every k in ``k_range`` is fitted (``sweep_n_init`` restarts) and
  scored by its silhouette (cosine distance) times ``(1 + stability) / 2``, where stability
  is the mean adjusted Rand index between the partition and the partitions found with seeds
  ``seed+1 … seed+stability_runs``; the best score wins (ties: the smaller k), and that k is
  fitted again with ``n_init`` restarts. (``stability_top=N`` measures stability only for
  the N best silhouettes, the others get no score: cheaper on very large inputs.)
* **Large inputs.** Units can be reduced one at a time to :class:`UnitBags` (metadata, content
  term ids with counts, theme evidence: no text or token list is kept), and the TF-IDF matrix
  is built from those integer arrays exactly as ``TfidfVectorizer`` would build it, so the
  floats are the same. Above ``sweep_sample`` (50,000) units, k is chosen and stability
  measured on a fixed-seed sample of that many units (the final fit uses all of them), and
  the silhouette always uses at most ``silhouette_sample`` (2,000) units, so nothing is
  quadratic and ``--k auto`` costs the same at 50,000 or 1,000,000 units. The vocabulary is
  capped at ``max_terms`` (100,000) terms, the most frequent, ties alphabetical. Below those
  thresholds the results are those of the unbounded method, byte for byte.
* **Stable ids.** Units are sorted by id before anything else, and clusters are numbered by
  size (largest first), ties by their first unit id: the same input in any order gives the
  same partition with the same ids.
* **Per cluster:** distinctive terms by class-based TF-IDF, the units closest to the centre,
  the best codebook theme of the cluster's pooled evidence, and cohesion (mean cosine
  similarity of the members to the centre).
* **Per unit:** cluster, theme (its own evidence shares plus ``context_weight`` times its
  cluster's, so a paragraph with one passing mention leans on its context), cosine
  similarity to the centre, and ``outlier`` when that similarity is under half the
  cluster's median (or the unit has no content tokens at all: then it has no cluster).

Pure: no I/O, no printing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .models import Article, Document
from .segment import TokenFilter
from .themes import Codebook, ThemeMatch

__all__ = [
    "Unit",
    "UnitBags",
    "cluster_bags",
    "ClusterParams",
    "ClusterResult",
    "ClusterInfo",
    "UnitResult",
    "paragraph_documents",
    "cluster_units",
    "content_tokens",
]

# POS tags whose tokens are not topical: names of people and places, numerals, measure words,
# times, pronouns, function words, punctuation.
DROP_POS = ("nr", "ns", "m", "q", "t", "r", "p", "c", "u", "d", "e", "y", "o", "x", "w", "f")


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing to cluster: an article or a paragraph, with its tokens."""

    doc: str
    source: str
    title: str
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]
    pos: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ClusterParams:
    k: int | None = None  # None: choose from k_range
    k_range: tuple[int, int] = (2, 16)
    seed: int = 0
    n_init: int = 10  # the final fit
    sweep_n_init: int = 3  # fits while choosing k and stability runs
    stability_top: int = 0  # measure stability for the k with the best silhouettes only; 0: all
    theme_weight: float = 1.5
    term_boost: float = 2.0
    lsa_above: int = 0
    lsa_dims: int = 50
    minibatch_above: int = 5000
    stability_runs: int = 2
    context_weight: float = 0.25
    top_terms: int = 10
    examples: int = 3
    silhouette_sample: int = 2000
    # Above this many units, k is chosen (fits, silhouette, stability) on a deterministic
    # sample of this many units and only the final fit uses them all: --k auto costs the same
    # at 50,000 or 1,000,000 units. Smaller inputs (the 100 MB / 10,000-document benchmark
    # corpus has 22,602 articles) are untouched.
    sweep_sample: int = 50_000
    # At most this many TF-IDF terms (the most frequent, ties alphabetical), so the LSA step's
    # memory is bounded whatever the vocabulary. Smaller vocabularies are untouched.
    max_terms: int = 100_000
    extra_stopwords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterInfo:
    id: int
    name: str
    size: int
    theme: ThemeMatch
    terms: tuple[str, ...]
    examples: tuple[str, ...]
    cohesion: float
    docs: tuple[str, ...]


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    cluster: int | None
    theme: ThemeMatch
    similarity: float | None
    outlier: bool
    x: float
    y: float


@dataclass
class ClusterResult:
    k: int
    selection: list[dict] = field(default_factory=list)
    stability: float | None = None
    clusters: list[ClusterInfo] = field(default_factory=list)
    units: list[UnitResult] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------
def paragraph_documents(
    documents: Sequence[Document], *, min_chars: int = 30
) -> tuple[list[Document], dict[str, str]]:
    """Documents whose articles are the body paragraphs of ``documents``' articles.

    Each paragraph article has id ``<article id>/p<n>`` (n: the index of its first body piece),
    no title (so the parent's title does not leak into every paragraph) and the spans of its
    pieces. Pieces shorter than ``min_chars`` are joined to the next piece (the last ones to
    the previous). Returns the documents and ``{paragraph id: parent article title}``."""
    out: list[Document] = []
    titles: dict[str, str] = {}
    for doc in documents:
        arts: list[Article] = []
        for art in doc.articles:
            body = [s for s in art.spans if s.role == "body"]
            groups: list[list[int]] = []
            pending: list[int] = []
            for i, span in enumerate(body):
                pending.append(i)
                if len(doc.text[span.start : span.end].strip()) >= min_chars:
                    groups.append(pending)
                    pending = []
            if pending:
                if groups:
                    groups[-1].extend(pending)
                else:
                    groups.append(pending)
            for g in groups:
                spans = tuple(replace(body[i], glue="\n" if n else "") for n, i in enumerate(g))
                text = "\n".join(doc.text[s.start : s.end] for s in spans)
                if not text.strip():
                    continue
                pid = f"{art.doc}/p{g[0]}"
                arts.append(
                    Article(
                        doc=pid,
                        source=art.source,
                        index=len(arts),
                        title="",
                        subtitle="",
                        byline="",
                        body=text,
                        spans=spans,
                        label=art.label,
                    )
                )
                titles[pid] = art.title
        out.append(replace(doc, articles=tuple(arts)))
    return out, titles


def content_tokens(unit: Unit, filt: TokenFilter) -> list[str]:
    pos = unit.pos if unit.pos is not None else (None,) * len(unit.tokens)
    out = []
    for w, p in zip(unit.tokens, pos, strict=True):
        if p is not None and p.startswith(DROP_POS) and p not in ("nz", "nt", "vn", "an"):
            if not (p.startswith("f") and len(w) > 2):
                continue
        if filt.keep(w):
            out.append(w)
    return out


# ---------------------------------------------------------------------------------------------
# Compact units
# ---------------------------------------------------------------------------------------------
class UnitBags:
    """Units reduced to what clustering needs, added one at a time (so a corpus can stream
    through): each unit's metadata (a :class:`Unit` without its text and tokens), its content
    terms as a bag of integer ids with counts (in order of first appearance, as scikit-learn's
    ``CountVectorizer`` counts them) and its theme evidence. About 8 bytes per distinct term of
    a unit instead of the text, the tokens and the tags."""

    def __init__(self, codebook: Codebook, params: ClusterParams) -> None:
        from array import array

        self.codebook = codebook
        self._filt = TokenFilter(extra_stopwords=params.extra_stopwords)
        self.units: list[Unit] = []
        self.terms: dict[str, int] = {}
        self.ids = array("i")
        self.counts = array("i")
        self.ptr = array("q", [0])
        self.evidence = array("d")

    def __len__(self) -> int:
        return len(self.units)

    def add(self, unit: Unit, *, keep: bool = False) -> None:
        """Add ``unit``; ``keep`` keeps the unit itself (text and tokens) for the results."""
        bag: dict[str, int] = {}
        for t in content_tokens(unit, self._filt):
            bag[t] = bag.get(t, 0) + 1
        terms = self.terms
        for t, c in bag.items():
            i = terms.get(t)
            if i is None:
                i = terms[t] = len(terms)
            self.ids.append(i)
            self.counts.append(c)
        self.ptr.append(len(self.ids))
        self.evidence.extend(self.codebook.evidence(self.codebook.term_counts(unit.text)))
        self.units.append(unit if keep else replace(unit, text="", tokens=(), pos=None))


# ---------------------------------------------------------------------------------------------
# Vectors
# ---------------------------------------------------------------------------------------------
def _gather(bags: UnitBags, order):
    """The bags of the units in ``order``: (term ids, counts, indptr) as numpy arrays."""
    import numpy as np

    ptr = np.frombuffer(bags.ptr, dtype=np.int64)
    ids = np.frombuffer(bags.ids, dtype=np.int32)
    counts = np.frombuffer(bags.counts, dtype=np.int32)
    lengths = np.diff(ptr)[order]
    indptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if len(order) == 0:
        return ids[:0].copy(), counts[:0].copy(), indptr
    seq = np.concatenate([ids[ptr[i]:ptr[i + 1]] for i in order])
    vals = np.concatenate([counts[ptr[i]:ptr[i + 1]] for i in order])
    return seq, vals, indptr


def _features(bags: UnitBags, order, codebook: Codebook, params: ClusterParams):
    """(X, evidence, kept term ids or None, term names by id) for the units in ``order``.

    The TF-IDF part is exactly what ``TfidfVectorizer(analyzer=identity, sublinear_tf=True,
    min_df=.., max_df=..)`` computes on the units' content tokens, built from the integer bags:
    the same vocabulary numbering (first appearance, then alphabetical), the same order of the
    entries in every row, hence the same floats, without a Python list of every entry."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    n = len(order)
    evidence = np.frombuffer(bags.evidence, dtype=np.float64).reshape(-1, len(codebook))[order]
    names = np.empty(len(bags.terms), dtype=object)
    for t, i in bags.terms.items():
        names[i] = t
    seq, vals, indptr = _gather(bags, order)
    kept = None
    tfidf = sparse.csr_matrix((n, 0), dtype=np.float64)
    vocab = names[:0]
    if len(seq):
        # scikit-learn numbers terms by first appearance in the (sorted) units ...
        uniq, first = np.unique(seq, return_index=True)
        by_first = uniq[np.argsort(first, kind="stable")]
        remap = np.full(len(names), -1, dtype=np.int32)
        remap[by_first] = np.arange(len(by_first), dtype=np.int32)
        X = sparse.csr_matrix((vals, remap[seq], indptr), shape=(n, len(by_first)),
                              dtype=np.float64)
        del seq, vals
        X.sort_indices()
        # ... drops terms by document frequency ...
        dfs = np.bincount(X.indices, minlength=X.shape[1])
        min_df = 2 if n >= 50 else 1
        max_df = (0.6 if n >= 20 else 1.0) * n
        mask = (dfs <= max_df) & (dfs >= min_df)
        if params.max_terms and mask.sum() > params.max_terms:
            # The most frequent terms (total count), ties alphabetical: deterministic.
            tfs = np.bincount(X.indices, weights=X.data, minlength=X.shape[1])
            cand = np.flatnonzero(mask)
            rank = sorted(cand.tolist(), key=lambda j: (-tfs[j], names[by_first[j]]))
            mask = np.zeros_like(mask)
            mask[rank[: params.max_terms]] = True
        if mask.any():
            kept_first = np.flatnonzero(mask)
            X = X[:, kept_first]
            # ... and renumbers the rest alphabetically.
            kept_names = names[by_first[kept_first]]
            alpha = sorted(range(len(kept_names)), key=kept_names.__getitem__)
            map_index = np.empty(len(alpha), dtype=X.indices.dtype)
            map_index[alpha] = np.arange(len(alpha), dtype=X.indices.dtype)
            X.indices = map_index.take(X.indices, mode="clip")
            kept = by_first[kept_first][alpha]  # bag ids of the TF-IDF columns
            vocab = names[kept]
            transformer = TfidfTransformer(sublinear_tf=True)
            tfidf = transformer.fit(X).transform(X, copy=False)
        del X
    if params.term_boost != 1.0 and tfidf.shape[1]:
        boost = np.array([params.term_boost if t in codebook.owners else 1.0 for t in vocab])
        tfidf = tfidf @ sparse.diags(boost)
    if tfidf.shape[1]:
        tfidf = normalize(tfidf, copy=False)
    themes = normalize(sparse.csr_matrix(evidence)) * params.theme_weight
    X = sparse.hstack([tfidf, themes], format="csr")
    del tfidf
    X = normalize(X, copy=False)
    return X, evidence, kept, names


# ---------------------------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------------------------
def _fit(X, k: int, seed: int, params: ClusterParams, n_init: int | None = None):
    from sklearn.cluster import KMeans, MiniBatchKMeans

    if X.shape[0] > params.minibatch_above:
        model = MiniBatchKMeans(
            n_clusters=k,
            random_state=seed,
            n_init=min(3, n_init or params.n_init),
            batch_size=2048,
            max_iter=100,
        )
    else:
        model = KMeans(n_clusters=k, random_state=seed, n_init=n_init or params.n_init)
    return model.fit_predict(X)


def _silhouette(X, labels, seed: int, params: ClusterParams) -> float:
    from sklearn.metrics import silhouette_score

    n = X.shape[0]
    if len(set(labels.tolist())) < 2 or len(set(labels.tolist())) >= n:
        return -1.0
    sample = params.silhouette_sample if n > params.silhouette_sample else None
    return float(silhouette_score(X, labels, metric="cosine", sample_size=sample,
                                  random_state=seed))


def _stability(X, labels, k: int, params: ClusterParams) -> float:
    from sklearn.metrics import adjusted_rand_score

    if params.stability_runs <= 0:
        return 1.0
    scores = [
        adjusted_rand_score(labels, _fit(X, k, params.seed + r, params, params.sweep_n_init))
        for r in range(1, params.stability_runs + 1)
    ]
    return float(sum(scores) / len(scores))


def _sweep_sample(m: int, params: ClusterParams):
    """Sorted indices of the units that choose k and measure stability when there are more
    than ``params.sweep_sample`` (a fixed-seed draw), or None: all of them."""
    import numpy as np

    if params.sweep_sample <= 0 or m <= params.sweep_sample:
        return None
    rng = np.random.default_rng(params.seed)
    return np.sort(rng.choice(m, size=params.sweep_sample, replace=False))


def cluster_units(
    units: Sequence[Unit], codebook: Codebook, params: ClusterParams
) -> ClusterResult:
    """Cluster ``units`` (any order) and describe the clusters. See the module docstring."""
    bags = UnitBags(codebook, params)
    for u in units:
        bags.add(u, keep=True)
    return cluster_bags(bags, codebook, params)


def cluster_bags(bags: UnitBags, codebook: Codebook, params: ClusterParams) -> ClusterResult:
    """:func:`cluster_units` on units already reduced to :class:`UnitBags` (built with the same
    ``codebook`` and ``params``): what a streaming caller uses so that no text is held."""
    import warnings

    from sklearn import config_context
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # One thread: the same floats on every run. 16 MB chunks for pairwise distances
    # (silhouette) instead of scikit-learn's default 1 GB: memory stays bounded.
    with threadpool_limits(limits=1), config_context(working_memory=16), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # fewer distinct points than k
        # TruncatedSVD's explained-variance ratio divides by zero on degenerate input; the
        # components it returns are still valid.
        warnings.simplefilter("ignore", RuntimeWarning)
        return _cluster(bags, codebook, params)


def _cluster(bags: UnitBags, codebook: Codebook, params: ClusterParams) -> ClusterResult:
    import numpy as np

    order = sorted(range(len(bags)), key=lambda i: (bags.units[i].doc, bags.units[i].source,
                                                    bags.units[i].start))
    units = [bags.units[i] for i in order]
    n = len(units)
    if n == 0:
        return ClusterResult(k=0)
    X, evidence, kept, names = _features(bags, order, codebook, params)
    # Rows with a non-zero entry (every stored value is positive; this keeps the matrix
    # single: X.multiply(X) would copy it).
    X.eliminate_zeros()
    live = np.flatnonzero(np.diff(X.indptr) > 0)
    Xl = X[live] if len(live) < n else X
    del X
    dims = min(params.lsa_dims, Xl.shape[0])
    if Xl.shape[0] > params.lsa_above and dims >= 2 and Xl.shape[1] > dims + 1:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        Xl = normalize(TruncatedSVD(n_components=dims, random_state=params.seed).fit_transform(Xl))
    m = Xl.shape[0]
    dense_l = Xl.toarray() if hasattr(Xl, "toarray") else np.asarray(Xl)
    # No more clusters than distinct vectors: identical texts are one point.
    distinct = len(np.unique(np.round(dense_l, 9), axis=0)) if m else 0
    selection: list[dict] = []
    stability: float | None = None
    if m == 0:
        k, labels = 0, np.zeros(0, dtype=int)
    elif distinct <= 1 or (params.k is not None and params.k <= 1):
        k, labels = 1, np.zeros(m, dtype=int)
    elif params.k is not None:
        k = min(params.k, distinct)
        labels = _fit(Xl, k, params.seed, params)
        sample = _sweep_sample(m, params)
        if sample is None:
            stability = _stability(Xl, labels, k, params)
        else:
            stability = _stability(Xl[sample], labels[sample], k, params)
    else:
        lo, hi = params.k_range
        hi = min(hi, m - 1, distinct)
        lo = max(2, min(lo, hi))
        sample = _sweep_sample(m, params)
        S = Xl if sample is None else Xl[sample]
        sweep = {}
        for kk in range(lo, hi + 1):
            lab = _fit(S, kk, params.seed, params, params.sweep_n_init)
            sweep[kk] = (lab, _silhouette(S, lab, params.seed, params))
        top = sorted(sweep, key=lambda kk: (-sweep[kk][1], kk))[: params.stability_top or None]
        best = None
        for kk in sorted(sweep):
            lab, sil = sweep[kk]
            entry = {"k": kk, "score": None, "silhouette": round(sil, 4), "stability": None}
            if kk in top:
                stab = _stability(S, lab, kk, params)
                score = sil * (1 + stab) / 2
                entry.update(score=round(score, 4), stability=round(stab, 4))
                if best is None or score > best[0] + 1e-12:
                    best = (score, kk, stab)
            selection.append(entry)
        if best is None:  # two units: one cluster each would be meaningless
            k, labels = 1, np.zeros(m, dtype=int)
        else:
            _, k, stability = best
            labels = _fit(Xl, k, params.seed, params)
    labels = np.asarray(labels)
    # Stable numbering: by size (largest first), then by the first unit id (units are sorted).
    raw_ids = sorted(set(labels.tolist()), key=lambda c: (-int((labels == c).sum()),
                                                          int(np.flatnonzero(labels == c)[0])))
    renumber = {c: i for i, c in enumerate(raw_ids)}
    labels = np.array([renumber[c] for c in labels.tolist()], dtype=int)
    k = len(raw_ids)

    # Centres, similarities, cohesion (in the space that was clustered).
    dense = dense_l
    sims = np.zeros(m)
    centres = np.zeros((k, dense.shape[1]))
    for c in range(k):
        idx = np.flatnonzero(labels == c)
        centre = dense[idx].mean(axis=0)
        nrm = np.linalg.norm(centre)
        if nrm > 0:
            centre = centre / nrm
        centres[c] = centre
        sims[idx] = dense[idx] @ centre
    coords = _map(Xl, m, params.seed)

    # Per-cluster evidence and terms.
    cluster_ev = np.zeros((k, len(codebook)))
    for j, c in enumerate(labels.tolist()):
        cluster_ev[c] += evidence[live[j]]
    # Terms too common to be in the TF-IDF vocabulary (in most units) set nothing apart.
    cluster_counts = _cluster_counts(bags, [order[i] for i in live.tolist()], labels, k, kept,
                                     names)
    terms = _ctfidf(cluster_counts, params.top_terms)

    clusters: list[ClusterInfo] = []
    for c in range(k):
        idx = np.flatnonzero(labels == c)
        theme = codebook.best(cluster_ev[c].tolist())
        order = sorted(idx.tolist(), key=lambda j: (-round(float(sims[j]), 9), units[live[j]].doc))
        examples = tuple(units[live[j]].doc for j in order[: params.examples])
        cohesion = round(float(sims[idx].mean()), 4) if len(idx) else 0.0
        short = (theme.name or "").split("（")[0]
        name = "、".join(terms[c][:3])
        if short:
            name = f"{short}: {name}" if name else short
        clusters.append(
            ClusterInfo(
                id=c,
                name=name,
                size=int(len(idx)),
                theme=ThemeMatch(theme.id, theme.name, theme.score, ()),
                terms=tuple(terms[c]),
                examples=examples,
                cohesion=cohesion,
                docs=tuple(units[live[j]].doc for j in idx.tolist()),
            )
        )

    results: list[UnitResult] = []
    pos_of = {int(i): j for j, i in enumerate(live.tolist())}
    medians = [float(np.median(sims[labels == c])) if (labels == c).any() else 0.0
               for c in range(k)]
    for i, u in enumerate(units):
        j = pos_of.get(i)
        if j is None:
            theme = codebook.best(evidence[i].tolist())
            results.append(UnitResult(u, None, _strip(theme), None, True, 0.0, 0.0))
            continue
        c = int(labels[j])
        own = evidence[i]
        own_share = own / own.sum() if own.sum() > 0 else own
        ctx = cluster_ev[c] / cluster_ev[c].sum() if cluster_ev[c].sum() > 0 else cluster_ev[c]
        blend = own_share + params.context_weight * ctx
        theme = codebook.best(blend.tolist())
        sim = float(sims[j])
        outlier = bool(sim <= 0 or sim < 0.5 * medians[c])
        results.append(
            UnitResult(u, c, _strip(theme), round(sim, 4), outlier,
                       float(coords[j, 0]), float(coords[j, 1]))
        )
    return ClusterResult(
        k=k,
        selection=selection,
        stability=None if stability is None else round(float(stability), 4),
        clusters=clusters,
        units=results,
    )


def _cluster_counts(bags: UnitBags, rows: list[int], labels, k: int, kept, names
                    ) -> list[Counter]:
    """Term counts per cluster: ``rows[j]`` (a bag index) is in cluster ``labels[j]``; only
    the terms in ``kept`` (bag ids) count, or every term when ``kept`` is None. Summed a few
    thousand units at a time, so no per-token list is ever built."""
    import numpy as np
    from scipy import sparse

    V = len(names)
    total = sparse.csr_matrix((k, V), dtype=np.int64)
    step = 4096
    for s in range(0, len(rows), step):
        chunk = rows[s:s + step]
        seq, vals, indptr = _gather(bags, chunk)
        B = sparse.csr_matrix((vals.astype(np.int64), seq, indptr), shape=(len(chunk), V))
        L = sparse.csr_matrix((np.ones(len(chunk), dtype=np.int64),
                               (np.asarray(labels[s:s + step]), np.arange(len(chunk)))),
                              shape=(k, len(chunk)))
        total = total + L @ B
    if kept is not None:
        total = total[:, np.sort(kept)]
        cols = names[np.sort(kept)]
    else:
        cols = names
    total = total.tocsr()
    out = []
    for c in range(k):
        a, b = total.indptr[c], total.indptr[c + 1]
        out.append(Counter({cols[j]: int(v) for j, v in zip(total.indices[a:b].tolist(),
                                                            total.data[a:b].tolist(),
                                                            strict=True) if v}))
    return out


def _strip(t: ThemeMatch) -> ThemeMatch:
    return ThemeMatch(t.id, t.name, t.score, ())


def _map(X, m: int, seed: int):
    """2-D map coordinates (TruncatedSVD to two dimensions), rounded; 0.0 never prints as -0.0."""
    import numpy as np

    if m == 0:
        return np.zeros((0, 2))
    if m < 3 or X.shape[1] < 3:
        dense = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
        out = np.zeros((m, 2))
        out[:, : min(2, dense.shape[1])] = dense[:, :2]
    else:
        from sklearn.decomposition import TruncatedSVD

        out = TruncatedSVD(n_components=2, random_state=seed).fit_transform(X)
    out = np.round(out, 4) + 0.0
    return out


def _ctfidf(counts: list[Counter], top: int) -> list[list[str]]:
    """Class-based TF-IDF: a term's share of a cluster's tokens times log(1 + A / f), where f is
    its total count and A the mean number of tokens per cluster. Ties: alphabetical."""
    total: Counter = Counter()
    for c in counts:
        total.update(c)
    if not counts:
        return []
    avg = sum(total.values()) / len(counts)
    out = []
    for c in counts:
        size = sum(c.values()) or 1
        scored = [
            (-(n / size) * math.log(1 + avg / total[t]), t) for t, n in c.items() if n >= 1
        ]
        scored.sort()
        out.append([t for _, t in scored[:top]])
    return out
