"""The fast paths of the slogan detector give what the plain loops they replaced gave: the
whitespace scan, token spans taken from the cut, numeric formulations looked for only at
numerals, dictionary terms read from the token lines, n-gram neighbours counted for the
candidates only; each article is cut once however many passes the detector makes; and the
spill (records kept between passes, in a temporary file for the command) changes nothing.
The reference loops below are the implementations before the fast paths, kept here verbatim."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policytext.analysis import slogans as sl
from policytext.analysis.pipeline import ReadOptions, document_from_text
from policytext.analysis.slogans import Lexicon, _find_slogans_whole, find_slogans, stream_slogans
from policytext.cli.commands.slogans import _FileSpill

# ---------------------------------------------------------------------------------------------
# The reference loops (the code before the fast paths)
# ---------------------------------------------------------------------------------------------


def ref_scan_article(doc, art, order):
    chars: list[str] = []
    offs: list[int] = []
    pieces = doc.pieces(art)
    spans = [s for s in art.spans if s.role in ("title", "subtitle", "body")]
    prev_role = None
    for (offset, text), span in zip(pieces, spans, strict=True):
        if chars and (span.glue != "" or span.role != prev_role):
            chars.append("\n")
            offs.append(-1)
        prev_role = span.role
        pending_space: list[int] = []
        for i, ch in enumerate(text):
            if ch.isspace():
                pending_space.append(i)
                continue
            if pending_space:
                prev = chars[-1] if chars and offs[-1] >= 0 else ""
                if not (sl._is_cjk(prev) and sl._is_cjk(ch)) and prev:
                    chars.append("\n" if any(text[j] == "\n" for j in pending_space) else " ")
                    offs.append(offset + pending_space[0])
                pending_space = []
            chars.append(ch)
            offs.append(offset + i)
    return "".join(chars), list(offs)


def ref_tokenize(text, cut):
    spans = []
    pos = 0
    for line in text.split("\n"):
        base = pos
        cursor = 0
        for tok in cut(line):
            i = line.find(tok, cursor)
            if i < 0:
                continue
            spans.append((base + i, base + i + len(tok)))
            cursor = i + len(tok)
        pos += len(line) + 1
    return spans


def ref_token_lines(text, spans):
    lines: list[list[str]] = []
    line: list[str] = []
    prev_end = None
    for s, e in spans:
        if prev_end is not None and s != prev_end and line:
            lines.append(line)
            line = []
        line.append(text[s:e])
        prev_end = e
    if line:
        lines.append(line)
    return lines


def ref_find_numeric(scan, lex):
    out = []
    text = scan.text
    toks = scan.tokens
    n = len(toks)
    i = 0
    while i < n:
        s, e = toks[i]
        ch = text[s]
        if ch not in sl._NUMS or (s > 0 and (text[s - 1] in sl._NUMS or text[s - 1] in "第每这那")):
            i += 1
            continue
        best = sl._numeric_at(text, toks, i, lex)
        if best is not None:
            j, shape = best
            out.append((s, toks[j][1], text[s : toks[j][1]], shape))
            i = j + 1
            continue
        i += 1
    return out


def ref_dictionary_terms(scan, lex):
    out = []
    text = scan.text
    for s, e in scan.tokens:
        tok = text[s:e]
        if tok in lex.terms and len(tok) >= 2:
            out.append((s, e, tok, sl.numeric_shape(tok)))
    return out


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------
# Chinese characters (numerals and classifiers among them), Latin letters and digits, quotes,
# punctuation and every kind of whitespace the scan treats apart
ALPHABET = list("一二两三四五六七八九十大个项张条高新发展质量企业园区“”《》、，。；：")
ALPHABET += list("abN1+2%") + [" ", "\n", "\u3000", "\t", "\u00a0", "\r", "\n\n"]
TEXTS = st.lists(st.sampled_from(ALPHABET), min_size=0, max_size=120).map("".join)


@pytest.fixture(scope="module")
def lexicon(segmenter):
    return Lexicon.from_segmenter(segmenter)


def _doc(text: str, doc_id: str = "d", split: bool = False):
    return document_from_text(
        text, doc_id=doc_id, source=f"{doc_id}.txt", options=ReadOptions(split=split)
    )


def _cuts():
    """Cuts that cover each line, and cuts that drop or invent characters (the slow path);
    each gives the same tokens for the same line."""

    def chunks(line: str) -> list[str]:
        rng = random.Random(line)
        out, i = [], 0
        while i < len(line):
            k = rng.randint(1, 3)
            out.append(line[i : i + k])
            i += k
        return out

    def dropping(line: str) -> list[str]:
        return [t for t in chunks(line) if t.strip()]

    def inventing(line: str) -> list[str]:
        toks = chunks(line)
        return ["冇", *toks[:2], "冇", *toks[2:]] if toks else []

    return [list, chunks, dropping, inventing]


# ---------------------------------------------------------------------------------------------
# Scanning and tokens
# ---------------------------------------------------------------------------------------------
def test_scan_matches_the_character_loop_on_the_seeds(seed_documents) -> None:
    n = 0
    for doc in seed_documents:
        for k, art in enumerate(doc.articles):
            scan = sl._scan_article(doc, art, k)
            assert (scan.text, list(scan.offs)) == ref_scan_article(doc, art, k)
            n += 1
    assert n > 20  # the seed pages split into many articles, with glued column pieces


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.booleans())
def test_scan_matches_the_character_loop_on_any_text(text: str, split: bool) -> None:
    doc = _doc(text, split=split)
    for k, art in enumerate(doc.articles):
        scan = sl._scan_article(doc, art, k)
        assert (scan.text, list(scan.offs)) == ref_scan_article(doc, art, k)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_token_spans_and_lines_match_the_find_loop(text: str) -> None:
    doc = _doc("甲" + text)
    for cut in _cuts():
        for art in doc.articles:
            for spans in (sl._SpanList(), sl._Spans()):
                scan = sl._scan_article(doc, art, 0)
                scan.tokens = spans
                sl._tokenize(scan, cut, keep_lines=True)
                expected = ref_tokenize(scan.text, cut)
                assert list(scan.tokens) == expected
                assert [list(t) for _, t in scan.lines] == ref_token_lines(scan.text, expected)
                # a line starts where its first token does, and its tokens are adjacent
                for start, toks in scan.lines:
                    assert scan.text[start : start + sum(map(len, toks))] == "".join(toks)


def test_token_lines_of_the_seeds(seed_documents, segmenter) -> None:
    for doc in seed_documents[:3]:
        for art in doc.articles:
            scan = sl._scan_article(doc, art, 0)
            scan.tokens = sl._SpanList()
            sl._tokenize(scan, segmenter.cut, keep_lines=True)
            expected = ref_tokenize(scan.text, segmenter.cut)
            assert list(scan.tokens) == expected
            assert [t for _, t in scan.lines] == ref_token_lines(scan.text, expected)


# ---------------------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------------------
def _scans(docs, cut):
    order = 0
    for doc in docs:
        yield from sl._doc_scans(doc, order, cut)
        order += len(doc.articles)


def test_numeric_and_dictionary_terms_match_the_token_loops(seed_documents, lexicon) -> None:
    numeric = terms = 0
    for scan in _scans(seed_documents, lexicon.cut):
        got = [(o.s, o.e, o.canon, o.shape) for o in sl._find_numeric(scan, lexicon)]
        assert got == ref_find_numeric(scan, lexicon)
        got_terms = [(o.s, o.e, o.canon, o.shape) for o in sl._find_terms(scan, lexicon, {})]
        assert got_terms == ref_dictionary_terms(scan, lexicon)
        # the same scan with its spans packed in an array (the whole-corpus pass)
        packed = sl._Spans()
        for s, e in scan.tokens:
            packed.append(s, e)
        scan.tokens, scan.lines = packed, None
        assert [(o.s, o.e, o.canon, o.shape) for o in sl._find_numeric(scan, lexicon)] == got
        assert [
            (o.s, o.e, o.canon, o.shape) for o in sl._find_terms(scan, lexicon, {})
        ] == got_terms
        numeric += len(got)
        terms += len(got_terms)
    assert numeric > 30 and terms > 100


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_numeric_on_any_text(text: str) -> None:
    lex = Lexicon(cut=list, terms=frozenset({"三高四新", "高质量发展"}))
    for cut in _cuts():
        for scan in _scans([_doc(text)], cut):
            got = [(o.s, o.e, o.canon, o.shape) for o in sl._find_numeric(scan, lex)]
            assert got == ref_find_numeric(scan, lex)


def test_neighbours_counted_for_candidates_give_recurring_phrases() -> None:
    """Random token documents over a small vocabulary (so that n-grams recur, with and
    without fixed neighbours): the streaming counts equal recurring_phrases."""
    rng = random.Random(11)
    vocab = ["甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑", "寅卯", "的", "AB", "12", "辰巳午"]
    lex = Lexicon(cut=list)
    found = refused = 0
    for trial in range(20):
        token_docs = {
            f"{rng.choice(['', '1', '21'])}d{k}": [
                [rng.choice(vocab) for _ in range(rng.randint(1, 12))]
                for _ in range(rng.randint(1, 6))
            ]
            for k in range(rng.randint(2, 6))
        }
        ids = sorted(token_docs)
        grams = sl._GramCounts(lex, sl._shared_tails(frozenset(ids)))
        content = sl._ContentTokens(lex)
        runs_of: dict[str, list] = {}
        for doc_id in ids:
            lines, runs = [], []
            for line in token_docs[doc_id]:
                spans, flags = content.runs(line)
                lines.append((line, spans))
                for a, b in spans:
                    before = line[a - 1] if a and flags[a - 1] & 2 else None
                    after = line[b] if b < len(line) and flags[b] & 2 else None
                    runs.append((0, tuple(line[a:b]), a, before, after, len(lines) - 1))
            grams.add(lines)
            runs_of[doc_id] = runs
        tests = dict(min_docs=2, min_count=2, cohesion=0.3)
        grams.candidates(**tests)
        for doc_id in ids:
            grams.add_neighbours(doc_id, runs_of[doc_id])
        expected = sl.recurring_phrases(token_docs, **tests)
        assert grams.phrases(**tests) == expected, trial
        found += bool(expected)
        refused += len(grams.cand) > len(expected)  # a candidate failed the neighbour test
    assert found >= 5 and refused >= 3


# ---------------------------------------------------------------------------------------------
# Passes and spills
# ---------------------------------------------------------------------------------------------
class CountingSpill(_FileSpill):
    made: list[CountingSpill] = []

    def __init__(self) -> None:
        super().__init__()
        self.appended = 0
        self.closed = False
        CountingSpill.made.append(self)

    def append(self, record) -> None:
        self.appended += 1
        super().append(record)

    def close(self) -> None:
        self.closed = True
        super().close()


@pytest.mark.parametrize("kw", [{}, {"titles": True, "group_of": lambda d: d.source[:3]},
                                {"phrases": ["乡村振兴", "营商环境", "产业链"]}])
def test_each_line_is_cut_once_and_the_file_spill_changes_nothing(
    seed_documents, segmenter, kw
) -> None:
    calls: Counter[str] = Counter()

    def cut(line: str) -> list[str]:
        calls[line] += 1
        return segmenter.cut(line)

    lex = Lexicon.from_segmenter(segmenter)
    counted = Lexicon(cut, lex.word_freq, lex.terms, lex.stopwords, lex.coined)
    docs = sorted(seed_documents, key=lambda d: (d.source, d.id))
    CountingSpill.made.clear()
    streamed = stream_slogans(lambda: docs, counted, spill=CountingSpill, **kw)
    lines = [line for scan in _scans(docs, list) for line in scan.text.split("\n")]
    phrases = kw.get("phrases", ())
    assert sum(calls.values()) == len(lines) + len(phrases)  # one pass of cuts, not three
    assert streamed == find_slogans(docs, lex, **kw) == _find_slogans_whole(docs, lex, **kw)
    assert streamed.slogans
    # one record per document with articles in each spill, and every spill closed
    with_articles = sum(1 for d in docs if d.articles)
    assert [s.appended for s in CountingSpill.made] == [with_articles, with_articles]
    assert all(s.closed for s in CountingSpill.made)


def test_file_spill_reads_back_what_it_was_given() -> None:
    spill = _FileSpill()
    records = [("a", 1, [(0, 2, "三高", "quote", "三高", None, "", "short")]), ("b", 0, [])]
    for r in records:
        spill.append(r)
    assert list(spill) == records
    assert list(spill) == records  # read again from the start
    spill.close()


def test_documents_that_change_between_passes_are_refused(seed_documents, lexicon) -> None:
    docs = sorted(seed_documents, key=lambda d: (d.source, d.id))
    calls = []

    def documents():
        calls.append(1)
        return docs if len(calls) == 1 else docs[1:]  # the first document is gone

    with pytest.raises(ValueError, match="changed between passes"):
        stream_slogans(documents, lexicon, doc_ids=[d.id for d in docs])
    assert len(calls) == 2


def test_content_flags_stay_right_past_the_remembered_tokens() -> None:
    lex = Lexicon(cut=list, terms=frozenset({"营商环境"}), stopwords=frozenset({"进一步"}))
    tokens = ["乡村振兴", "营商环境", "进一步", "AB", "的", "发展", "乡村振兴", "12", "高质量"]
    expected = [3, 2, 2, 0, 2, 3, 3, 0, 3]
    for limit in (0, 2, 100):
        content = sl._ContentTokens(lex)
        content.LIMIT = limit
        spans, flags = content.runs(tokens)
        assert list(flags) == expected
        assert spans == [(5, 7)]  # 发展 乡村振兴; 高质量 alone is no run
        assert len(content) <= limit
