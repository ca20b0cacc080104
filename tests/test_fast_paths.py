"""The fast paths give exactly what the straightforward code gives.

Segmenting a whole text in one engine call (figures replaced by a mark) must give the tokens of
one call per line and per piece between figures; the figure scanner must find FIGURE_RE's
spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policytext.analysis.figures import _HAS_UNIT_RE, FIGURE_RE, figure_spans
from policytext.analysis.segment import _FIGURE_MARK, Segmenter

# Characters that make figures, ASCII runs the fast engine re-splits, line and block breaks.
ALPHABET = list("0123456789年月日至到-—~～,.%万亿元个百分点/人名abcAB+#_ 中文发展营商环境\n\r") + [
    "１", "٣", "\u3000", _FIGURE_MARK, "，", "。"]
texts = st.text(alphabet=ALPHABET, max_size=40)


def _reference_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in FIGURE_RE.finditer(text)
            if _HAS_UNIT_RE.search(m.group()) or "." in m.group() or "," in m.group()]


@given(texts)
@settings(max_examples=400, deadline=None)
def test_figure_scan_finds_figure_re_spans(text: str) -> None:
    assert figure_spans(text) == _reference_spans(text)


def test_figure_scan_on_the_seeds(seed_texts) -> None:
    found = 0
    for text in seed_texts.values():
        spans = figure_spans(text)
        assert spans == _reference_spans(text)
        found += len(spans)
    assert found > 100


@pytest.fixture(scope="module")
def engines() -> dict[str, Segmenter]:
    return {e: Segmenter(engine=e) for e in ("jieba", "fast")}


def _reference_lists(seg: Segmenter, text: str) -> tuple[list[str], list[str]]:
    pairs = seg._tag_pieces(text)
    return [w for w, _ in pairs], [t for _, t in pairs]


@pytest.mark.parametrize("engine", ["jieba", "fast"])
def test_whole_text_cut_equals_piecewise_on_the_seeds(engines, seed_documents, engine) -> None:
    seg = engines[engine]
    texts = [a.text for d in seed_documents for a in d.articles]
    figures = 0
    for text in texts:
        tokens = seg.cut(text)
        assert tokens == seg._cut_pieces(text)
        assert seg.tag_lists(text) == _reference_lists(seg, text)
        figures += len(figure_spans(text))
    assert figures > 100  # the figure path was exercised


@pytest.mark.parametrize("engine", ["jieba", "fast"])
@given(text=texts)
@settings(max_examples=150, deadline=None)
def test_whole_text_cut_equals_piecewise(engines, engine, text: str) -> None:
    seg = engines[engine]
    assert seg.cut(text) == seg._cut_pieces(text)
    assert seg.tag_lists(text) == _reference_lists(seg, text)
    assert seg.tag(text) == seg._tag_pieces(text)


def test_text_holding_the_mark_still_segments(engines) -> None:
    text = f"增长6.5%{_FIGURE_MARK}营商环境\n1-11月"
    for seg in engines.values():
        assert seg.cut(text) == seg._cut_pieces(text)
        assert "6.5%" in seg.cut(text) and "营商环境" in seg.cut(text)


def test_fast_engine_resplits_ascii_runs_in_a_whole_text(engines) -> None:
    seg = engines["fast"]
    text = "疫情COVID-19，代号a_b，版本v1.5.3发布\n日期2025-03-06增长6.5%"
    raw = seg._get_backend()._tok.cut(text, True)
    assert "COVID-19" in raw  # jieba-rs keeps the run whole ...
    tokens = seg.cut(text)
    assert tokens == engines["jieba"].cut(text)  # ... and the fast engine splits it like jieba
    assert "COVID" in tokens and "COVID-19" not in tokens and "6.5%" in tokens
    pairs = list(zip(*seg.tag_lists(text), strict=True))
    assert ("19", "m") in pairs and ("COVID", "eng") in pairs and ("6.5%", "m") in pairs


CJK_TEXT = st.text(alphabet=list("中文发展营商环境高质量\U00020001〇a1 \n，。"), max_size=30)


@pytest.mark.parametrize("dense_cells", [4_000_000, 0])  # dense, and the sparse fallback
@given(texts=st.lists(CJK_TEXT, min_size=1, max_size=6), data=st.data())
@settings(max_examples=150, deadline=None)
def test_cosine_matrix_equals_pairwise_cosines(texts: list[str], data, dense_cells) -> None:
    from policytext.analysis import articles
    from policytext.analysis.articles import _bigrams, _cosine, _cosine_matrix

    articles._DENSE_CELLS, saved = dense_cells, articles._DENSE_CELLS

    n = len(texts)
    rows = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
    cols = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
    try:
        matrix = _cosine_matrix(texts, rows, cols)
    finally:
        articles._DENSE_CELLS = saved
    expected = [[_cosine(_bigrams(texts[c]), _bigrams(texts[r])) for c in cols] for r in rows]
    assert matrix == expected  # the same floats, not just close ones


@given(CJK_TEXT)
@settings(max_examples=300, deadline=None)
def test_bigrams_pair_within_chinese_runs(text: str) -> None:
    from collections import Counter

    from policytext.analysis.articles import _CJK_ONLY_RE, _bigrams

    expected: Counter[str] = Counter()
    for run in _CJK_ONLY_RE.findall(text):
        expected.update(run[i : i + 2] for i in range(len(run) - 1))
    assert _bigrams(text) == expected


def _reference_unify(text: str) -> str:
    """unify_punctuation as first written: one list of characters, every decision on the input."""
    from policytext.analysis.clean import _ASCII_TO_CJK_PUNCT, _CJK_RE, _CJKISH, _neighbour

    out = list(text)
    for m in __import__("re").finditer(r"[,;:!?]+", text):
        s, e = m.start(), m.end()
        prev, nxt = _neighbour(text, s, -1), _neighbour(text, e - 1, 1)
        cjk = bool(prev and _CJKISH.match(prev)) or bool(nxt and _CJKISH.match(nxt))
        if e - s == 1 and text[s] == ":" and prev.isdigit() and nxt.isdigit():
            cjk = False
        if cjk:
            for i in range(s, e):
                out[i] = _ASCII_TO_CJK_PUNCT[text[i]]
    for m in __import__("re").finditer(r"[()]", text):
        i = m.start()
        ch = text[i]
        prev, nxt = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if ch == "(":
            close = text.find(")", i + 1, i + 60)
            inner = text[i + 1 : close] if close != -1 else nxt
            cjk = bool(_CJK_RE.search(inner)) or bool(prev and _CJK_RE.match(prev))
        else:
            open_ = text.rfind("(", max(0, i - 60), i)
            inner = text[open_ + 1 : i] if open_ != -1 else prev
            cjk = bool(_CJK_RE.search(inner)) or bool(nxt and _CJK_RE.match(nxt))
        if cjk:
            out[i] = _ASCII_TO_CJK_PUNCT[ch]
    return "".join(out)


@given(st.text(alphabet=list(",;:!?() 中文a1\n，（）:"), max_size=30))
@settings(max_examples=1000, deadline=None)
def test_unify_punctuation_equals_the_reference(text: str) -> None:
    from policytext.analysis.clean import unify_punctuation

    assert unify_punctuation(text) == _reference_unify(text)


def test_unify_punctuation_on_the_seeds(seed_texts) -> None:
    from policytext.analysis.clean import normalize_unicode, unify_punctuation

    changed = 0
    for text in seed_texts.values():
        text = normalize_unicode(text)
        assert unify_punctuation(text) == _reference_unify(text)
        changed += unify_punctuation(text) != text
    assert changed  # the seeds do have ASCII marks in Chinese text


def test_boilerplate_alternation_is_any_of_the_patterns(seed_texts) -> None:
    from policytext.analysis.clean import _BOILERPLATE_LINE_RE, _BOILERPLATE_LINE_RES

    lines = [ln.strip() for t in seed_texts.values() for ln in t.split("\n")]
    lines += ["当前位置：首页 > 政务", "分享到", "版权所有 © 2025", "打印本页 关闭窗口",
              "湘ICP备123号"]
    hits = 0
    for line in lines:
        expected = any(r.match(line) for r in _BOILERPLATE_LINE_RES)
        assert (_BOILERPLATE_LINE_RE.match(line) is not None) == expected, line
        hits += expected
    assert hits >= 5


@given(st.integers(1, 7), st.integers(1, 7), st.data())
@settings(max_examples=400, deadline=None)
def test_assignment_is_scipys_even_with_ties(nr: int, nc: int, data) -> None:
    import numpy as np
    from policytext.analysis.articles import _max_assignment
    from scipy.optimize import linear_sum_assignment

    # few distinct values, as in real score matrices (-1 for a run and itself, 0, bonuses):
    # many optimal pairings, so the tie-breaking is tested too
    values = st.sampled_from([-1.0, 0.0, 0.12, 0.2, 0.3, 0.35, 0.5]) | st.floats(0, 2)
    matrix = data.draw(st.lists(st.lists(values, min_size=nc, max_size=nc), min_size=nr,
                                max_size=nr))
    rows, cols = linear_sum_assignment(np.asarray(matrix, dtype=float), maximize=True)
    assert _max_assignment(matrix) == [(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]


def _reference_normalize(text: str) -> str:
    from policytext.analysis import clean as c

    for rx, rep in ((c._SURROGATE_RE, "\ufffd"), (c._NEWLINES_RE, "\n"), (c._INVISIBLE_RE, ""),
                    (c._ANSI_RE, ""), (c._CONTROL_RE, ""), (c._SPACES_RE, " ")):
        text = rx.sub(rep, text)
    text = c._FULLWIDTH_ANY_RE.sub(c._fullwidth_char, text)
    return c._FW_BETWEEN_DIGITS_RE.sub(
        lambda m: m.group(1) if m.group(1) in "，：" else c._FW_BETWEEN_DIGITS[m.group(1)], text)


@given(st.text(alphabet=list("1２3．／－，：ａＺ中 \r\n\x1b[0m\u3000\t\u200b\x00\x85\ufeff"),
               max_size=30))
@settings(max_examples=1000, deadline=None)
def test_normalize_unicode_equals_every_pass(text: str) -> None:
    from policytext.analysis.clean import normalize_unicode

    assert normalize_unicode(text) == _reference_normalize(text)


def test_image_credit_alternation_is_any_of_the_patterns(seed_texts) -> None:
    from policytext.analysis.clean import _IMAGE_CREDIT_RE, _IMAGE_CREDIT_RES

    lines = [ln.strip() for t in seed_texts.values() for ln in t.split("\n")]
    lines += ["（本文图片均由市残联提供）", "长沙市残联供图", "图/张三", "李四 摄"]
    hits = 0
    for line in lines:
        expected = any(r.match(line) for r in _IMAGE_CREDIT_RES)
        assert (_IMAGE_CREDIT_RE.match(line) is not None) == expected, line
        hits += expected
    assert hits >= 4
