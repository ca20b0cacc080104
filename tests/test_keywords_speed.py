"""The shortcuts that make streaming ``keywords`` fast give what the plain code gives.

Each fast path is checked against the straightforward version it replaced: the self-numbering
vocabulary, the single-token filter split into a word table and a POS table, the set-based
fragment test, the masked n-gram lookup, the dense tag count, the vectorised neighbour entropy
(exact at the threshold) and the direct JSON writer of a document's keywords. No timing is
asserted here (speed is measured in ``benchmarks/``)."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from policytext.analysis import keywords as kw
from policytext.analysis.idf import builtin_idf
from policytext.analysis.keywords import (
    DocKeyword,
    DocKeywords,
    KeywordOptions,
    TokenStream,
    Vocab,
    extract_keywords,
    prepare,
    stream_keywords,
    stream_terms,
    suppress_fragments,
)
from policytext.analysis.models import Article, TokenizedArticle
from policytext.analysis.phrases import cohesive_ngrams, entropy_of, gram_keys
from policytext.analysis.segment import TokenFilter, formula_verbs, policy_stopwords
from policytext.cli.commands.keywords import (
    _document_dict,
    _document_json,
    _scalar,
    result_dict,
)
from policytext.cli.render import _dump


@pytest.fixture(scope="module")
def seed_stream(seed_documents, segmenter):
    from policytext.cli.corpus import iter_tokenize

    stream = TokenStream()
    for toks in iter_tokenize(seed_documents, segmenter, pos=True):
        stream.add(toks)
    stream.close()
    return stream


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------
@given(st.lists(st.lists(st.sampled_from(["甲", "乙", "丙", "丁", "", "\x00", "营商环境"]),
                         max_size=8), max_size=8))
def test_vocab_numbers_strings_in_first_seen_order(batches) -> None:
    v = Vocab(["\x00"])
    ref: dict[str, int] = {"\x00": 0}
    for i, batch in enumerate(batches):
        got = v.ids(batch) if i % 2 else [v.id(s) for s in batch]
        want = [ref.setdefault(s, len(ref)) for s in batch]
        assert got == want
        assert v.strings == list(ref) and len(v) == len(ref)
    assert all(v.strings[i] == s for s, i in v.index.items())


# ---------------------------------------------------------------------------------------------
# Single tokens: filt.keep(word, tag) == word table [word] and POS table [tag]
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("options", [
    KeywordOptions(),
    KeywordOptions(pos=None),
    KeywordOptions(keep_formula_verbs=True, pos=("n", "v")),
    KeywordOptions(extra_stopwords=("发展", "建设", "政府")),
])
def test_single_token_tables_equal_the_filter(seed_stream, options) -> None:
    filt = TokenFilter(keep_formula_verbs=options.keep_formula_verbs,
                       extra_stopwords=options.extra_stopwords, pos=options.pos)
    edge_filter = TokenFilter(keep_formula_verbs=True, extra_stopwords=options.extra_stopwords)
    stop = policy_stopwords() | frozenset(options.extra_stopwords)
    flags = kw._flags(seed_stream.vocab, edge_filter.keep, lambda t: t not in stop)
    word, pos = kw._single_keep(filt, edge_filter, flags, seed_stream.vocab, seed_stream.tags)
    vocab, tags = seed_stream.vocab.strings, seed_stream.tags.strings
    # every (token, tag) pair of the seeds, plus every token untagged
    pairs = {(int(k) >> kw._TAG_BITS, int(k) & ((1 << kw._TAG_BITS) - 1))
             for k in seed_stream.tag_pairs()[0]}
    pairs |= {(i, 0) for i in range(1, len(vocab))}
    assert len(pairs) > 5000
    kept = 0
    for t, g in sorted(pairs):
        want = filt.keep(vocab[t], tags[g] or None)
        assert bool(word[t] and pos[g]) == want, (vocab[t], tags[g])
        kept += want
    assert 0 < kept < len(pairs)
    if options.keep_formula_verbs:
        assert any(word[seed_stream.vocab.index[v]] for v in formula_verbs()
                   if v in seed_stream.vocab.index)


def test_single_token_tables_refuse_unrelated_filters(seed_stream) -> None:
    edge_filter = TokenFilter(keep_formula_verbs=True)
    flags = kw._flags(seed_stream.vocab, edge_filter.keep, lambda t: True)
    with pytest.raises(ValueError):
        kw._single_keep(TokenFilter(min_chars=3), edge_filter, flags, seed_stream.vocab,
                        seed_stream.tags)


# ---------------------------------------------------------------------------------------------
# Fragments
# ---------------------------------------------------------------------------------------------
def _contains(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n < len(whole) and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _suppress_reference(ranked, phrases, limit=None):
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


_TOKS = ["营商", "环境", "优化", "企业", "专精", "特新", "发展"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TOKS), min_size=2, max_size=3), max_size=12),
       st.randoms(use_true_random=False), st.none() | st.integers(1, 8))
def test_fragment_suppression_equals_the_plain_scan(phrase_toks, rnd, limit) -> None:
    phrases = {"".join(t): tuple(t) for t in phrase_toks}
    ranked = list(dict.fromkeys(list(phrases) + _TOKS + ["".join(_TOKS[:2]) + "外"]))
    rnd.shuffle(ranked)
    want = _suppress_reference(ranked, phrases, limit)
    assert suppress_fragments(ranked, phrases, limit=limit) == want
    assert suppress_fragments(iter(ranked), phrases, limit=limit) == want
    assert [ranked[i] for i in kw._suppress_at(ranked, phrases, limit=limit)] == want


def test_fragment_suppression_reads_a_lazy_ranking_only_as_far_as_needed() -> None:
    read: list[str] = []

    def ranking():
        for t in ["优化营商环境", "营商环境", "企业", "发展", "环境"]:
            read.append(t)
            yield t

    phrases = {"优化营商环境": ("优化", "营商", "环境"), "营商环境": ("营商", "环境")}
    assert suppress_fragments(ranking(), phrases, limit=2) == ["优化营商环境", "企业"]
    assert read == ["优化营商环境", "营商环境", "企业"]


# ---------------------------------------------------------------------------------------------
# n-gram lookup and tag counts
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 3])
def test_masked_gram_lookup_finds_what_gram_keys_finds(seed_stream, n) -> None:
    edge_filter = TokenFilter(keep_formula_verbs=True)
    stop = policy_stopwords()
    flags = kw._flags(seed_stream.vocab, edge_filter.keep, lambda t: t not in stop)
    tok = next(iter(seed_stream.spill.chunks()))[0]
    kwargs = dict(brk=flags.brk, edge=flags.edge, inner=flags.inner, length=flags.length,
                  max_chars=12)
    # the table: a sample of the counted n-grams (what phrases are made of)
    _, counted = gram_keys(tok, n, counted=True, **kwargs)
    rng = np.random.default_rng(n)
    table = np.unique(rng.choice(counted, size=min(300, len(counted)), replace=False))
    pos_all, k_all = gram_keys(tok, n, counted=False, **kwargs)
    idx = np.minimum(np.searchsorted(table, k_all), len(table) - 1)
    hit = table[idx] == k_all
    pos, gi = kw._GramTable(table, n, len(seed_stream.vocab)).find(tok)
    assert len(pos) >= len(table)  # every sampled n-gram occurs at least once
    assert pos.tolist() == pos_all[hit].tolist() and gi.tolist() == idx[hit].tolist()


def test_dense_tag_count_equals_the_whole_count(seed_stream) -> None:
    keys, counts = seed_stream.tag_pairs()
    rng = np.random.default_rng(0)
    wanted = np.zeros(len(seed_stream.vocab), dtype=bool)
    wanted[rng.choice(len(seed_stream.vocab), 500, replace=False)] = True
    wanted[0] = False
    k2, c2 = seed_stream.tag_pairs(wanted)
    sel = wanted[keys >> kw._TAG_BITS]
    assert len(k2) > 100
    assert k2.tolist() == keys[sel].tolist() and c2.tolist() == counts[sel].tolist()


# ---------------------------------------------------------------------------------------------
# Neighbour entropy at the threshold
# ---------------------------------------------------------------------------------------------
_FILL = [a + b for a in "甲乙丙丁戊己庚辛壬癸" for b in "山水木火土金石风云雷"]


def _phrase_corpus(left_counts: list[int]) -> list[list[str]]:
    """Filler documents, and 营商环境 preceded by neighbour k ``left_counts[k]`` times (with a
    new right neighbour each time, so only the left side can fail)."""
    rnd = random.Random(7)
    docs = [[rnd.choice(_FILL) for _ in range(60)] for _ in range(40)]
    right = iter(_FILL[::-1])
    for k, c in enumerate(left_counts):
        for _ in range(c):
            docs.append([_FILL[k], "营商", "环境", next(right), "。"])
    return docs


def _phrases_both_ways(docs: list[list[str]], min_entropy: float) -> tuple[set, set]:
    stop = policy_stopwords()
    edge_filter = TokenFilter(keep_formula_verbs=True)
    ref = {p.text for p in cohesive_ngrams(
        docs, max_n=3, min_count=3, min_entropy=min_entropy, is_break=kw._is_break,
        is_edge=lambda t: not kw._is_break(t) and edge_filter.keep(t),
        is_inner=lambda t: not kw._is_break(t) and t not in stop)}
    stream = TokenStream()
    for d in docs:  # plain tokens, no tags
        stream.add_tokens(d, None, kw.ArticleInfo("d", "s", ""))
    stream.close()
    flags = kw._flags(stream.vocab, edge_filter.keep, lambda t: t not in stop)
    got = kw._stream_phrases(stream, flags, KeywordOptions(), frozenset(), formula_verbs(),
                             min_entropy=min_entropy)
    return ref, set(got)


def test_a_phrase_exactly_at_the_entropy_threshold_is_kept_as_by_the_reference() -> None:
    left = [1, 2, 3, 1, 2, 1, 1]  # uneven: the float sum depends on its order
    docs = _phrase_corpus(left)
    h = entropy_of(left, 0)
    assert 0.9 < h < 3
    for m, kept in ((h, True), (math.nextafter(h, 0.0), True), (math.nextafter(h, 9.0), False)):
        ref, got = _phrases_both_ways(docs, m)
        assert got == ref
        assert ("营商环境" in got) is kept


def test_phrases_with_only_edge_neighbours_on_one_side() -> None:
    """Every occurrence starts a run: the left neighbour tables hold edges only (an empty
    float sum, which numpy's bincount returns as ints)."""
    rnd = random.Random(3)
    docs = [[rnd.choice(_FILL) for _ in range(60)] for _ in range(40)]
    docs += [["营商", "环境", _FILL[k], "。"] for k in range(6)]
    ref, got = _phrases_both_ways(docs, 0.9)
    assert got == ref and "营商环境" in got


# ---------------------------------------------------------------------------------------------
# The JSON of a document's keywords
# ---------------------------------------------------------------------------------------------
_text = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(_text, _text, _text,
       st.lists(st.tuples(_text, st.floats(allow_nan=False, allow_infinity=False),
                          st.integers(0, 10**12)), max_size=4))
def test_document_json_is_render_dump(doc, source, title, kws) -> None:
    d = DocKeywords(doc, source, title, tuple(DocKeyword(t, s, n) for t, s, n in kws))
    assert _document_json(d) == _dump(_document_dict(d), 2)


_odd = st.none() | st.booleans() | st.integers() | st.floats() | _text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_odd, _odd, _odd), min_size=1, max_size=3))
def test_document_json_with_unusual_values_is_render_dump(kws) -> None:
    """Values stream_keywords never makes (None, booleans, NaN, a number as the term) take the
    slow path and still give _dump's bytes, or its error."""
    d = DocKeywords("d", "s", "t", tuple(DocKeyword(t, s, n) for t, s, n in kws))
    try:
        want = _dump(_document_dict(d), 2)
    except ValueError:
        with pytest.raises(ValueError):
            _document_json(d)
        return
    assert _document_json(d) == want


@given(_odd)
def test_scalar_is_json_dumps(x) -> None:
    try:
        want = json.dumps(x, ensure_ascii=False, allow_nan=False)
    except ValueError:
        with pytest.raises(ValueError):
            _scalar(x)
        return
    assert _scalar(x) == want


def test_document_json_on_the_seeds(seed_documents, segmenter) -> None:
    from policytext.cli.commands.keywords import run

    data = run(seed_documents, segmenter, KeywordOptions(per_doc=True), "auto")
    docs = data["documents"]
    assert sum(len(d["keywords"]) for d in docs) > 50
    for entry in docs:
        d = DocKeywords(entry["doc"], entry["source"], entry["title"], tuple(
            DocKeyword(k["term"], k["score"], k["tf"]) for k in entry["keywords"]))
        assert _document_json(d) == _dump(entry, 2)


# ---------------------------------------------------------------------------------------------
# Per-document ranking
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["random", "rounded", "special", "close", "wide"])
def test_ranking_is_the_lexsort(kind) -> None:
    """(article, weight down, rank) order, ties and near-ties included, equals np.lexsort."""
    rng = np.random.default_rng(len(kind))
    for trial in range(60):
        n = int(rng.integers(0, 3000))
        art = np.sort(rng.integers(0, int(rng.integers(1, 200)), n))
        if kind == "random":
            w = rng.random(n)
        elif kind == "rounded":
            w = np.round(rng.random(n), 2)
        elif kind == "special":
            w = rng.choice([0.0, -0.0, 1e-300, 5e-324, -1.0, 2.5, np.inf, -np.inf, 1.0,
                            1.0 + 2**-52], n)
        elif kind == "close":
            w = rng.normal(size=n) * 1e-9 + 0.5
        else:
            w = (rng.random(n) - 0.5) * 1e10
        rank = rng.permutation(max(n, 1))[:n] if trial % 2 else rng.integers(0, 50, n)
        assert kw._ranking(art, w, rank).tolist() == np.lexsort((rank, -w, art)).tolist()
    w = np.array([0.5, np.nan, 0.2])
    assert kw._ranking(np.zeros(3, dtype=np.int64), w, np.arange(3)).tolist() == \
        np.lexsort((np.arange(3), -w, np.zeros(3))).tolist()


# ---------------------------------------------------------------------------------------------
# The whole streaming pipeline against the in-memory one, on small random corpora
# ---------------------------------------------------------------------------------------------
_FILLER = ["企业", "发展", "推进", "的", "。", "，", "2023", "6.5%", "高质量", "link", "[", "]",
           "x", "产业", "创新", "服务", "改革", "开放", "数字", "经济"]
_PHRASES = [("营商", "环境"), ("优化", "营商", "环境"), ("专精", "特新"), ("乡村", "振兴")]
_TAGS = ["n", "v", "vn", "x", "m", "a", "d", "eng", "nz"]
_FILLER += [a + b for a in "甲乙丙丁戊" for b in "山水木火土"]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(["tfidf", "textrank"]), st.booleans(),
       st.integers(0, 3))
def test_streaming_equals_in_memory_on_random_corpora(seed, method, corpus_idf, title) -> None:
    """Random corpora, mostly filler with a few phrases rare enough to be cohesive (PMI >= 3),
    random tags and titles: the streaming result is the in-memory one."""
    rnd = random.Random(seed)
    arts = []
    docs = []
    for _ in range(rnd.randint(1, 8)):
        picks = [rnd.randrange(10 * len(_PHRASES)) for _ in range(rnd.randint(0, 80))]
        docs.append([(_PHRASES[i] if i < len(_PHRASES) else (_FILLER[i % len(_FILLER)],),
                      rnd.choice(_TAGS)) for i in picks])
    for i, d in enumerate(docs * 2):  # each document twice, so that n-grams repeat
        toks = tuple(t for piece, _ in d for t in piece)
        tags = tuple(g for piece, g in d for _ in piece)
        a = Article(f"d{i}", f"s{i % 3}", 0, "".join(toks[:title]), "", "", "", ())
        arts.append(TokenizedArticle(a, toks, tags))
    options = KeywordOptions(method=method, per_doc=True, min_phrase_count=2, top=8)
    background = None if corpus_idf else builtin_idf()
    docs_, phrases = prepare(arts, options=options, policy_terms=["营商环境", "乡村"])
    old = extract_keywords(docs_, phrases, options=options, background=background,
                           blend=not corpus_idf)
    stream = TokenStream()
    for ta in arts:
        stream.add([ta])
    ts = stream_terms(stream, options=options, policy_terms=["营商环境", "乡村"])
    new = stream_keywords(ts, options=options, background=background, blend=not corpus_idf)
    assert new.phrases == old.phrases
    if new.phrases:
        event("phrases found")
    assert result_dict(new, per_doc=True, by=None) == result_dict(old, per_doc=True, by=None)


@pytest.mark.parametrize(("window", "tw"), [(5, 2), (2, 1), (1, 3), (8, 3)])
def test_chunk_textrank_equals_one_article_at_a_time(seed_stream, window, tw) -> None:
    """Each article's own TextRank from the chunk-wide pair count is the per-article one,
    bit for bit (titles repeated, empty articles, windows of 1 included)."""
    ts = stream_terms(seed_stream, options=KeywordOptions(), policy_terms=["营商环境"])
    strings = ts.terms.strings
    by_text = np.asarray(sorted(range(len(strings)), key=strings.__getitem__), dtype=np.int64)
    rank = np.empty(len(strings), dtype=np.int64)
    rank[by_text] = np.arange(len(strings))
    options = KeywordOptions(window=window)
    rng = np.random.default_rng(window)
    for ids, lengths, title_len, first in ts.spill.chunks():
        titles = np.minimum(title_len + rng.integers(0, 3, len(title_len)), lengths)
        # and an empty article in the middle
        mid = len(lengths) // 2
        lengths = np.insert(lengths, mid, 0)
        titles = np.insert(titles, mid, 0)
        chunk = (ids, lengths, titles, first)
        got = kw._textrank_rows(chunk, ts, options, tw, rank, by_text)
        want = kw._textrank_rows_each(chunk, ts, options, tw)
        assert len(want[1]) > 1000
        for g, w in zip(got, want, strict=True):
            assert g.tolist() == w.tolist()
