"""Cohesive n-grams: PMI plus left/right entropy over token streams."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from policytext.analysis.phrases import cohesive_ngrams, merge_phrases, runs

_PUNCT = re.compile(r"^[\W_]+$")


def _break(tok: str) -> bool:
    return bool(_PUNCT.match(tok))


def _edge(tok: str) -> bool:
    return not _break(tok) and len(tok) >= 2


FILLERS = ["经济", "社会", "文化", "生态", "城乡", "区域", "民生", "科技", "人才", "金融"]


def _docs_with(phrase: list[str], times: int) -> list[list[str]]:
    """Each occurrence of ``phrase`` between different neighbours, plus filler text."""
    docs = []
    for i in range(times):
        left, right = FILLERS[i % len(FILLERS)], FILLERS[(i + 3) % len(FILLERS)]
        docs.append([left, *phrase, right, "，", *FILLERS[i:], "。"])
    # background text, so that the phrase's tokens are rare enough for a high PMI
    docs.extend([FILLERS[j:] + ["。"] + FILLERS[:j] for j in range(10)] * 2)
    return docs


def _find(docs, **kw):
    return cohesive_ngrams(docs, is_break=_break, is_edge=_edge, **kw)


def test_a_free_cohesive_pair_is_a_phrase() -> None:
    docs = _docs_with(["优化", "营商环境"], 5)
    found = {p.tokens: p for p in _find(docs)}
    assert ("优化", "营商环境") in found
    p = found[("优化", "营商环境")]
    assert p.count == 5 and p.text == "优化营商环境"
    assert p.left_entropy >= 0.9 and p.right_entropy >= 0.9


def test_a_piece_always_followed_by_the_same_token_is_not_free() -> None:
    # 专精 特新 企业 always together: the pair 专精+特新 has right entropy 0, the triple is free
    docs = _docs_with(["专精", "特新", "企业"], 5)
    found = {p.tokens for p in _find(docs, max_n=3)}
    assert ("专精", "特新", "企业") in found
    assert ("专精", "特新") not in found and ("特新", "企业") not in found


def test_min_count_and_max_n() -> None:
    docs = _docs_with(["优化", "营商环境"], 2)
    assert not _find(docs, min_count=3)
    assert _find(docs, min_count=2, min_entropy=0.5)  # two neighbours: at most ln 2
    assert _find(_docs_with(["优化", "营商环境"], 5), max_n=1) == []


def test_low_pmi_pairs_are_dropped() -> None:
    # 发展 and 建设 are everywhere: their pair is not more frequent than chance
    docs = [["发展", "建设", FILLERS[i], "发展", FILLERS[(i + 1) % 10], "建设", "发展"]
            for i in range(10)]
    found = {p.tokens for p in _find(docs, min_pmi=3.0)}
    assert ("发展", "建设") not in found


def test_ngrams_never_cross_a_break() -> None:
    docs = [[FILLERS[i], "营商环境", "，", "优化", FILLERS[(i + 2) % 10]] for i in range(8)]
    for p in _find(docs, min_count=2, min_pmi=0.0, min_entropy=0.0):
        assert "，" not in p.tokens
        assert p.tokens != ("营商环境", "优化")


def test_order_of_documents_does_not_matter() -> None:
    docs = _docs_with(["优化", "营商环境"], 5) + _docs_with(["专精", "特新", "企业"], 4)
    assert _find(docs) == _find(list(reversed(docs)))


def test_merge_phrases_is_greedy_longest_first() -> None:
    toks = ["甲乙", "优化", "营商环境", "建设", "丙丁"]
    spans = merge_phrases(toks, {("优化", "营商环境"), ("优化", "营商环境", "建设")}, max_n=3)
    assert spans == [(0, 1), (1, 4), (4, 5)]
    assert merge_phrases(toks, {("优化", "营商环境")}, max_n=3) == [(0, 1), (1, 3), (3, 4), (4, 5)]


def test_runs() -> None:
    assert runs(["甲", "，", "乙", "丙", "。"], _break) == [[0], [2, 3]]
    assert runs([], _break) == []


@given(st.lists(st.sampled_from(["甲甲", "乙乙", "丙丙", "，"]), max_size=40),
       st.sets(st.tuples(st.sampled_from(["甲甲", "乙乙", "丙丙"]),
                         st.sampled_from(["甲甲", "乙乙", "丙丙"])), max_size=4))
def test_merge_phrases_covers_every_token_once(tokens, phrases) -> None:
    spans = merge_phrases(tokens, phrases, max_n=3)
    covered = [i for s, e in spans for i in range(s, e)]
    assert covered == list(range(len(tokens)))
    for s, e in spans:
        assert e - s == 1 or tuple(tokens[s:e]) in phrases


def test_seed_phrases(seed_documents, segmenter) -> None:
    """On the real seeds, 优化营商环境 comes out as one phrase, and no phrase crosses
    punctuation or starts or ends with a single character."""
    from policytext.cli.corpus import tokenize

    streams = [ta.tokens for ta in tokenize(seed_documents, segmenter)]
    found = _find(streams)
    texts = {p.text for p in found}
    assert "优化营商环境" in texts
    for p in found:
        assert p.count >= 3
        assert not any(_break(t) for t in p.tokens)
        assert len(p.tokens[0]) >= 2 and len(p.tokens[-1]) >= 2
