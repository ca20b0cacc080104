"""Streaming ``keywords``: the same bytes as the in-memory pipeline, with bounded tables.

The in-memory pipeline (:func:`prepare` + :func:`extract_keywords`) is the reference: the
streaming one (:class:`TokenStream` -> :func:`stream_terms` -> :func:`stream_keywords`) must give
the very same result on the seeds for every method and option, in one chunk or many, and the
CLI must write the bytes saved from the in-memory version."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from policytext.analysis import keywords as kw
from policytext.analysis.idf import IdfTable, builtin_idf
from policytext.analysis.keywords import (
    KeywordOptions,
    TokenStream,
    extract_keywords,
    prepare,
    stream_keywords,
    stream_terms,
)
from policytext.analysis.phrases import KeyCounter, TableFull, count_keys
from policytext.analysis.segment import policy_dictionary
from policytext.cli.app import app
from policytext.cli.commands.keywords import result_dict
from typer.testing import CliRunner

from .conftest import SEEDS

REF = Path(__file__).parent / "data" / "keywords_ref"
runner = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def seed_tokens(seed_documents, segmenter):
    from policytext.cli.corpus import iter_tokenize

    return list(iter_tokenize(seed_documents, segmenter, pos=True))


@pytest.fixture(scope="module")
def dict_terms():
    return [e.word for e in policy_dictionary()]


def _group(doc_source: str) -> str:
    return doc_source.rsplit("/", 1)[-1][:6]


def _old(seed_documents, seed_tokens, dict_terms, options, background, blend, by):
    flat = [ta for doc in seed_tokens for ta in doc]
    docs, phrases = prepare(flat, options=options, policy_terms=dict_terms)
    group_of = (lambda d: _group(d.source)) if by else None
    res = extract_keywords(docs, phrases, options=options, background=background,
                           group_of=group_of, blend=blend)
    return res


def _new(seed_documents, seed_tokens, dict_terms, options, background, blend, by, **kwargs):
    stream = TokenStream()
    for doc, toks in zip(seed_documents, seed_tokens, strict=True):
        stream.add(toks, _group(doc.source) if by else None)
    ts = stream_terms(stream, options=options, policy_terms=dict_terms, **kwargs)
    return stream_keywords(ts, options=options, background=background, blend=blend)


CASES = [
    (KeywordOptions(), "auto", False),
    (KeywordOptions(per_doc=True), "auto", True),
    (KeywordOptions(per_doc=True), "corpus", True),
    (KeywordOptions(per_doc=True, top=0), "builtin", False),
    (KeywordOptions(method="textrank", per_doc=True), "auto", True),
    (KeywordOptions(min_n=2, max_n=3, keep_formula_verbs=True, per_doc=True), "auto", False),
    (KeywordOptions(min_n=1, max_n=2, pos=None, per_doc=True), "corpus", False),
    (KeywordOptions(min_n=1, max_n=1, per_doc=True), "auto", True),
    (KeywordOptions(extra_stopwords=("发展", "建设"), top=5, per_doc=True), "auto", False),
]


def _background(choice):
    if choice == "corpus":
        return None, False
    return builtin_idf(), choice == "auto"


@pytest.mark.parametrize(("options", "idf", "by"), CASES)
def test_streaming_equals_in_memory_on_the_seeds(seed_documents, seed_tokens, dict_terms,
                                                 options, idf, by) -> None:
    background, blend = _background(idf)
    old = _old(seed_documents, seed_tokens, dict_terms, options, background, blend, by)
    new = _new(seed_documents, seed_tokens, dict_terms, options, background, blend, by)
    assert old.keywords, "the seeds have keywords"
    assert new.phrases == old.phrases
    a = result_dict(old, per_doc=options.per_doc, by="x" if by else None)
    b = result_dict(new, per_doc=options.per_doc, by="x" if by else None)
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


@pytest.mark.parametrize("chunk", [1, 5000])
def test_many_small_chunks_and_a_tiny_table_change_nothing(
        seed_documents, seed_tokens, dict_terms, monkeypatch, chunk) -> None:
    """Chunks of one article (or a few thousand tokens), and an n-gram table capped so low that
    counting needs several hash partitions, give the same result as one chunk."""
    options = KeywordOptions(per_doc=True)
    background = builtin_idf()
    whole = _new(seed_documents, seed_tokens, dict_terms, options, background, True, True)
    monkeypatch.setattr(kw, "CHUNK_TOKENS", chunk)
    stats: dict = {}
    small = _new(seed_documents, seed_tokens, dict_terms, options, background, True, True,
                 cap=3000, stats=stats)
    assert stats["parts"] > 1 and stats["peak"] <= 3000
    assert result_dict(small, per_doc=True, by="x") == result_dict(whole, per_doc=True, by="x")


def test_a_zero_idf_and_empty_input(seed_documents, seed_tokens, dict_terms) -> None:
    """A background IDF of 0 everywhere gives zero rows (left unnormalised, like scikit-learn)
    without dividing by zero; no documents give an empty result."""
    options = KeywordOptions(per_doc=True, top=5)
    zero = IdfTable({}, 0.0, 1)
    old = _old(seed_documents, seed_tokens, dict_terms, options, zero, False, False)
    new = _new(seed_documents, seed_tokens, dict_terms, options, zero, False, False)
    assert all(k.score == 0 for k in new.keywords) and len(new.keywords) == 5
    assert result_dict(new, per_doc=True, by=None) == result_dict(old, per_doc=True, by=None)
    ts = stream_terms(TokenStream())
    res = stream_keywords(ts, options=KeywordOptions(per_doc=True))
    assert res.keywords == [] and res.documents == []


# ---------------------------------------------------------------------------------------------
# Bounded counting
# ---------------------------------------------------------------------------------------------
def _synthetic_batches(seed: int, n_batches: int = 40, size: int = 2000):
    rng = np.random.default_rng(seed)
    # a Zipf-like mix: a few frequent keys and a long tail of rare ones
    return [np.concatenate([rng.integers(0, 50, size // 2), rng.integers(0, 200_000, size // 2)])
            .astype(np.int64) for _ in range(n_batches)]


def test_key_counter_raises_past_its_cap() -> None:
    counter = KeyCounter(cap=100)
    with pytest.raises(TableFull):
        for b in _synthetic_batches(1):
            counter.add(b)
        counter.result()
    assert counter.peak <= 100


@pytest.mark.parametrize("cap", [500, 5000, 50_000])
def test_count_keys_is_exact_bounded_and_order_free(cap: int) -> None:
    batches = _synthetic_batches(7)
    expected: dict[int, int] = {}
    for b in batches:
        for k in b.tolist():
            expected[k] = expected.get(k, 0) + 1
    want = {k: c for k, c in expected.items() if c >= 3}
    stats: dict = {}
    keys, counts = count_keys(lambda: iter(batches), min_count=3, cap=cap, stats=stats)
    assert dict(zip(keys.tolist(), counts.tolist(), strict=True)) == want
    assert stats["peak"] <= cap
    assert (stats["parts"] > 1) == (len(expected) > cap)
    shuffled = list(batches)
    random.Random(3).shuffle(shuffled)
    keys2, counts2 = count_keys(lambda: iter(shuffled), min_count=3, cap=cap)
    assert keys2.tolist() == keys.tolist() and counts2.tolist() == counts.tolist()


def test_phrase_tables_stay_under_the_cap_on_many_documents() -> None:
    """Thousands of synthetic documents with a large vocabulary: the n-gram table never holds
    more than its cap, the phrases are the same as uncapped, and do not depend on the order."""
    from policytext.analysis.models import Article, TokenizedArticle

    rng = random.Random(11)
    words = [f"词{i}" for i in range(3000)]
    phrase = ["营商", "环境"]

    def doc(i: int):
        toks = [rng.choice(words) for _ in range(40)]
        if i % 3 == 0:
            toks[10:10] = phrase
        toks.append("。")
        art = Article(doc=f"d{i:05d}", source=f"d{i:05d}.txt", index=0, title="", subtitle="",
                      byline="", body="", spans=())
        return [TokenizedArticle(art, tuple(toks), tuple("n" for _ in toks))]

    docs = [doc(i) for i in range(3000)]

    def run(order, cap):
        stream = TokenStream()
        for i in order:
            stream.add(docs[i])
        stats: dict = {}
        ts = stream_terms(stream, options=KeywordOptions(), cap=cap, stats=stats)
        return ts, stats

    order = list(range(len(docs)))
    free, free_stats = run(order, None)
    capped, stats = run(order, 20_000)
    rng.shuffle(order)
    shuffled, _ = run(order, 20_000)
    assert free_stats["peak"] > 20_000, "the test corpus must overflow the small cap"
    assert stats["peak"] <= 20_000 and stats["parts"] > 1
    assert "营商环境" in free.phrases
    assert capped.phrases == free.phrases == shuffled.phrases
    tf = {t: int(free.tf[i]) for i, t in enumerate(free.terms.strings)}
    assert {t: int(shuffled.tf[i]) for i, t in enumerate(shuffled.terms.strings)} == tf


# ---------------------------------------------------------------------------------------------
# The CLI against saved references (written by the in-memory version)
# ---------------------------------------------------------------------------------------------
REF_ARGS = {
    "default": [],
    "perdoc": ["--per-doc"],
    "textrank": ["--method", "textrank", "--per-doc"],
    "byfile": ["--by", "file", "--per-doc"],
    "corpus": ["--idf", "corpus", "--per-doc"],
    "builtin200": ["--idf", "builtin", "--top", "200"],
    "ngram12": ["--ngram", "1-2", "--pos", "all"],
    "ngram22": ["--ngram", "2-3", "--keep-formula-verbs"],
    "ngram11": ["--ngram", "1"],
    "trby": ["--method", "textrank", "--by", "dir", "--top", "5"],
}


@pytest.mark.parametrize("name", sorted(REF_ARGS))
def test_cli_writes_the_saved_bytes(tmp_path: Path, monkeypatch, name: str) -> None:
    """The references were written by ``policytext keywords seeds/ ARGS -f json -q -o F`` run
    from the repository (the in-memory version of c031a9c)."""
    monkeypatch.chdir(SEEDS.parent)
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["keywords", "seeds/", *REF_ARGS[name], "-f", "json", "-q",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == (REF / f"{name}.json").read_bytes()


def test_cli_reports_a_bad_input_and_keeps_going(tmp_path: Path) -> None:
    bad = tmp_path / "missing.txt"
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["keywords", str(SEEDS), str(bad), "-f", "json", "-q",
                                 "--with-errors", "-o", str(out)])
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["errors"]) == 1 and "missing.txt" in data["errors"][0]
    ref = json.loads((REF / "default.json").read_text(encoding="utf-8"))
    def rows(d):  # the reference names its inputs relative to the repository
        return [(k["term"], k["score"], k["tf"], k["df"]) for k in d["keywords"]]

    assert rows(data) == rows(ref)


@pytest.mark.parametrize("name", ["perdoc", "byfile", "textrank"])
def test_cli_per_doc_jsonl_streams_the_same_records(monkeypatch, name: str) -> None:
    """--per-doc JSONL (written document by document) holds the records that the buffered
    renderer makes of the saved JSON, in the same order."""
    from policytext.cli.commands.keywords import keywords_output

    monkeypatch.chdir(SEEDS.parent)
    result = runner.invoke(app, ["keywords", "seeds/", *REF_ARGS[name], "-f", "jsonl", "-q"])
    assert result.exit_code == 0, result.stderr
    data = json.loads((REF / f"{name}.json").read_text(encoding="utf-8"))
    by = "x" if "groups" in data else None
    want = keywords_output(data, per_doc=True, by=by).records
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(r["list"] == "document" for r in got)
    assert got == want
