"""No analysis function's output depends on the order its documents arrive in (hypothesis
draws the permutations; the documents are the real seeds)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

N_SEEDS = 5


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(N_SEEDS)))
def test_numbers_ignore_document_order(seed_documents, order) -> None:
    from policytext.analysis.numbers import find_numbers

    docs = list(seed_documents)
    assert len(docs) == N_SEEDS
    shuffled = [docs[i] for i in order]
    assert find_numbers(shuffled) == find_numbers(docs)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(N_SEEDS)))
def test_slogans_ignore_document_order(seed_documents, order) -> None:
    from policytext.analysis.slogans import Lexicon, find_slogans

    docs = list(seed_documents)
    lexicon = Lexicon(cut=list, terms=frozenset({"高质量发展", "营商环境", "乡村振兴"}))
    shuffled = [docs[i] for i in order]
    assert find_slogans(shuffled, lexicon, titles=True) == find_slogans(docs, lexicon, titles=True)


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(N_SEEDS)))
def test_keyword_preparation_ignores_document_order(seed_documents, segmenter, order) -> None:
    """Terms and phrases found do not depend on the order of the documents (the ranking on top
    of them is checked order-free through the CLI in test_keywords)."""
    from policytext.analysis.keywords import prepare
    from policytext.cli.corpus import tokenize

    docs = list(seed_documents)
    base = tokenize(docs, segmenter, pos=True)
    shuffled = tokenize([docs[i] for i in order], segmenter, pos=True)
    terms_a, phrases_a = prepare(base)
    terms_b, phrases_b = prepare(shuffled)
    assert phrases_a == phrases_b
    assert sorted(terms_a, key=lambda d: d.doc) == sorted(terms_b, key=lambda d: d.doc)
