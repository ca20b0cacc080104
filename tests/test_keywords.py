"""``policytext keywords``: terms, scores, fragments, keyness, the CLI and its JSON shape."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from policytext.analysis.figures import figure_spans
from policytext.analysis.idf import IdfTable
from policytext.analysis.keywords import (
    DocTerms,
    KeywordOptions,
    extract_keywords,
    keyness,
    prepare,
    suppress_fragments,
    textrank_scores,
)
from policytext.analysis.segment import formula_verbs, policy_dictionary, policy_stopwords
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEED_FILES, SEEDS

runner = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"})
_NUMBER = re.compile(r"^[\d.,%+\-—～~/:：年月日号]+$")


# ---------------------------------------------------------------------------------------------
# The seeds, prepared once
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_tokens(seed_documents, segmenter):
    from policytext.cli.corpus import tokenize

    return tokenize(seed_documents, segmenter, pos=True)


@pytest.fixture(scope="module")
def seed_prepared(seed_tokens):
    terms = [e.word for e in policy_dictionary()]
    return prepare(seed_tokens, options=KeywordOptions(per_doc=True), policy_terms=terms)


@pytest.fixture(scope="module")
def seed_result(seed_prepared):
    from policytext.analysis.idf import builtin_idf

    docs, phrases = seed_prepared
    return extract_keywords(docs, phrases, options=KeywordOptions(per_doc=True),
                            background=builtin_idf(), blend=True)


def _is_fragment(term: str, text: str, dict_terms: list[str]) -> bool:
    total = text.count(term)
    return any(text.count(d) * d.count(term) * 2 >= total
               for d in dict_terms if term in d and term != d) if total else False


def test_seed_corpus_top20_has_no_junk(seed_result, seed_documents) -> None:
    top = [k.term for k in seed_result.keywords]
    assert len(top) == 20
    stop = policy_stopwords() | formula_verbs()
    text = "\n".join(a.text for d in seed_documents for a in d.articles)
    dict_terms = [e.word for e in policy_dictionary()]
    for t in top:
        assert len(t) > 1, t
        assert not _NUMBER.match(t) and figure_spans(t) != [(0, len(t))], t
        assert t not in stop, t
        assert not _is_fragment(t, text, dict_terms), t


def test_seed_phrases_and_fragments(seed_prepared, seed_result) -> None:
    docs, phrases = seed_prepared
    assert phrases["优化营商环境"] == ("优化", "营商环境")
    # a phrase is a term of the documents it occurs in
    assert any("优化营商环境" in d.terms for d in docs)
    lists = [[k.term for k in seed_result.keywords]]
    lists += [[k.term for k in d.keywords] for d in seed_result.documents]
    for terms in lists:
        parts = [phrases.get(t, (t,)) for t in terms]
        for i, p in enumerate(parts):
            if len(p) < 2:
                continue
            for j, q in enumerate(parts):
                if i != j:
                    joined = "\x00".join(q)
                    assert ("\x00" + joined + "\x00") not in ("\x00" + "\x00".join(p) + "\x00"), \
                        (terms[i], terms[j])


def test_seed_counts(seed_prepared, seed_result) -> None:
    docs, _ = seed_prepared
    tf = Counter(t for d in docs for t in d.terms)
    df = Counter(t for d in docs for t in set(d.terms))
    scores = [k.score for k in seed_result.keywords]
    assert scores == sorted(scores, reverse=True)
    by_id = {d.doc: d for d in docs}
    for k in seed_result.keywords:
        assert k.tf == tf[k.term] and k.df == df[k.term]
        assert 1 <= len(k.top_docs) <= 3
        weights = [d.weight for d in k.top_docs]
        assert weights == sorted(weights, reverse=True)
        for d in k.top_docs:
            assert k.term in by_id[d.doc].terms
    assert len(seed_result.documents) == len(docs)
    for doc, d in zip(seed_result.documents, docs, strict=True):
        assert doc.doc == d.doc and len(doc.keywords) <= 20
        for k in doc.keywords:
            assert k.tf == d.terms.count(k.term) > 0


def test_seed_title_words_rank_in_their_documents(seed_prepared, seed_result) -> None:
    """Most documents have a title term among their own top 20."""
    docs, _ = seed_prepared
    hits = sum(1 for d, r in zip(docs, seed_result.documents, strict=True)
               if set(d.title_terms) & {k.term for k in r.keywords})
    with_titles = sum(1 for d in docs if d.title_terms)
    assert with_titles >= 25
    assert hits >= 0.8 * with_titles


def test_title_terms_are_the_leading_tokens(seed_prepared) -> None:
    docs, _ = seed_prepared
    for d in docs:
        for t in d.title_terms:
            assert t in d.title or all(p in d.title for p in re.findall(r"\w+", t)), (d.title, t)


def test_keep_formula_verbs_and_ngram(seed_tokens) -> None:
    terms = [e.word for e in policy_dictionary()]
    plain, _ = prepare(seed_tokens, options=KeywordOptions(), policy_terms=terms)
    kept, _ = prepare(seed_tokens, options=KeywordOptions(keep_formula_verbs=True),
                      policy_terms=terms)
    verbs = formula_verbs()
    assert not any(t in verbs for d in plain for t in d.terms)
    assert any(t in verbs for d in kept for t in d.terms)
    single, phrases = prepare(seed_tokens, options=KeywordOptions(max_n=1), policy_terms=terms)
    assert phrases == {}
    assert not any("优化营商环境" == t for d in single for t in d.terms)
    only, ph = prepare(seed_tokens, options=KeywordOptions(min_n=2), policy_terms=terms)
    assert all(t in ph for d in only for t in d.terms) and any(d.terms for d in only)


# ---------------------------------------------------------------------------------------------
# Synthetic documents
# ---------------------------------------------------------------------------------------------
def _doc(i: int, terms: list[str], title: list[str] = (), source: str = "a.txt") -> DocTerms:
    return DocTerms(f"d{i:02d}", source, "".join(title), tuple(list(title) + terms), tuple(title))


def test_title_words_weigh_double() -> None:
    docs = [_doc(0, ["乙方", "丙方"], ["甲方"]), _doc(1, ["丁方", "戊方"]), _doc(2, ["己方"])]
    one = extract_keywords(docs, {}, options=KeywordOptions(title_weight=1, per_doc=True))
    two = extract_keywords(docs, {}, options=KeywordOptions(title_weight=2, per_doc=True))
    s1 = {k.term: k.score for k in one.documents[0].keywords}
    s2 = {k.term: k.score for k in two.documents[0].keywords}
    assert s1["甲方"] == s1["乙方"]
    assert s2["甲方"] > s2["乙方"]
    assert two.documents[0].keywords[0].term == "甲方"
    assert {k.term: k.tf for k in two.documents[0].keywords}["甲方"] == 1  # tf stays the count


def test_background_idf_decides_between_equal_counts() -> None:
    docs = [_doc(0, ["常见词", "罕见词"]), _doc(1, ["常见词", "罕见词", "其他"])]
    bg = IdfTable({"常见词": 1.0, "罕见词": 8.0, "其他": 2.0}, 5.0, 100)
    res = extract_keywords(docs, {}, options=KeywordOptions(), background=bg)
    order = [k.term for k in res.keywords]
    assert order.index("罕见词") < order.index("常见词")
    own = extract_keywords(docs, {}, options=KeywordOptions())
    # with the corpus's own IDF the two are tied, and the tie goes to the term
    s = {k.term: k.score for k in own.keywords}
    assert s["常见词"] == s["罕见词"]
    assert [k.term for k in own.keywords][:2] == sorted(["常见词", "罕见词"])


def test_a_phrase_missing_from_the_background_takes_its_rarest_part() -> None:
    docs = [_doc(0, ["优化营商环境", "企业"])]
    bg = IdfTable({"优化": 2.0, "营商环境": 7.0, "企业": 3.0}, 9.0, 10)
    res = extract_keywords(docs, {"优化营商环境": ("优化", "营商环境")},
                           options=KeywordOptions(per_doc=True), background=bg)
    w = {k.term: k.score for k in res.documents[0].keywords}
    assert w["优化营商环境"] / w["企业"] == pytest.approx(7.0 / 3.0, rel=1e-3)


def test_suppress_fragments_both_ways() -> None:
    phrases = {"优化营商环境": ("优化", "营商环境"), "营商环境建设": ("营商环境", "建设")}
    ranked = ["优化营商环境", "营商环境", "企业"]
    assert suppress_fragments(ranked, phrases) == ["优化营商环境", "企业"]
    ranked = ["营商环境", "优化营商环境", "企业"]
    assert suppress_fragments(ranked, phrases) == ["营商环境", "企业"]
    # two phrases sharing a part are not fragments of each other
    both = ["优化营商环境", "营商环境建设"]
    assert suppress_fragments(both, phrases) == both
    assert suppress_fragments(["甲", "乙", "丙"], {}, limit=2) == ["甲", "乙"]


def test_textrank_ranks_the_hub_first_and_is_deterministic() -> None:
    seqs = [["中心", "甲方"], ["中心", "乙方"], ["中心", "丙方"], ["丁方", "中心"]]
    scores = textrank_scores(seqs, window=2)
    assert max(scores, key=scores.get) == "中心" and scores["中心"] == 1.0
    assert scores["甲方"] == pytest.approx(scores["丁方"])
    assert textrank_scores(list(reversed(seqs)), window=2) == scores
    assert textrank_scores([]) == {}
    assert textrank_scores([["孤立"]]) == {"孤立": 1.0}


def test_textrank_method_end_to_end() -> None:
    docs = [_doc(i, ["中心", f"词{i}", "中心", "其他"]) for i in range(4)]
    res = extract_keywords(docs, {}, options=KeywordOptions(method="textrank", per_doc=True))
    assert res.keywords[0].term == "中心" and res.keywords[0].score == 1.0
    assert res.keywords[0].tf == 8 and res.keywords[0].df == 4
    assert all(d.keywords[0].term == "中心" for d in res.documents)


def test_keyness_g2_and_log_ratio_by_hand() -> None:
    a = [_doc(0, ["甲方"] * 10 + ["共同"] * 10, source="a.txt")]
    b = [_doc(1, ["乙方"] * 10 + ["共同"] * 30, source="b.txt")]
    groups = keyness(a + b, lambda d: d.source, top=10)
    assert [g.group for g in groups] == ["a.txt", "b.txt"]
    ga = {k.term: k for k in groups[0].keywords}
    assert set(ga) == {"甲方"}  # 共同 is relatively rarer in a (10/20 vs 30/40)
    # 甲方: a=10 of 20, b=0 of 40
    e1 = 20 * 10 / 60  # expected count in a; b's term (count 0) adds nothing to G2
    assert ga["甲方"].g2 == pytest.approx(round(2 * 10 * math.log(10 / e1), 4))
    assert ga["甲方"].log_ratio == pytest.approx(round(math.log2((10 / 20) / (0.5 / 40)), 4))
    assert ga["甲方"].count == 10 and ga["甲方"].rest_count == 0
    assert groups[0].keywords[0].term == "甲方"
    gb = {k.term for k in groups[1].keywords}
    assert gb == {"乙方"}  # 共同: 30/40 vs 10/20 is more, but its G2 is 1.31 < 3.84
    assert groups[0].docs == 1


def test_keyness_needs_two_groups_and_significance() -> None:
    one = keyness([_doc(0, ["甲方"] * 5)], lambda d: d.source)
    assert len(one) == 1 and one[0].keywords == ()
    flat = keyness([_doc(0, ["甲方", "乙方"], source="a"), _doc(1, ["甲方", "乙方"], source="b")],
                   lambda d: d.source)
    assert all(g.keywords == () for g in flat)


def test_empty_input_gives_an_empty_result() -> None:
    res = extract_keywords([_doc(0, [])], {}, options=KeywordOptions(per_doc=True))
    assert res.keywords == [] and res.documents[0].keywords == ()
    assert extract_keywords([], {}).keywords == []


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------
def _json(*args: str) -> dict:
    result = runner.invoke(app, ["keywords", *args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_json_shape_and_order_independence() -> None:
    files = [str(p) for p in SEED_FILES]
    a = runner.invoke(app, ["keywords", *files, "--per-doc", "--by", "file", "-f", "json"])
    b = runner.invoke(app, ["keywords", *reversed(files), "--per-doc", "--by", "file",
                            "-f", "json"])
    assert a.exit_code == 0, a.stderr
    assert a.stdout == b.stdout
    data = json.loads(a.stdout)
    assert list(data) == ["keywords", "documents", "groups"]
    assert list(data["keywords"][0]) == ["term", "score", "tf", "df", "top_docs"]
    assert list(data["keywords"][0]["top_docs"][0]) == ["doc", "source", "weight"]
    assert list(data["documents"][0]) == ["doc", "source", "title", "keywords"]
    assert list(data["documents"][0]["keywords"][0]) == ["term", "score", "tf"]
    assert list(data["groups"][0]) == ["group", "docs", "keywords"]
    assert list(data["groups"][0]["keywords"][0]) == ["term", "g2", "log_ratio", "count",
                                                      "rest_count"]
    assert [g["group"] for g in data["groups"]] == sorted(files)
    for g in data["groups"]:
        g2 = [k["g2"] for k in g["keywords"]]
        assert g2 == sorted(g2, reverse=True) and all(x >= 3.84 for x in g2)
        assert all(k["log_ratio"] > 0 and k["count"] >= 2 for k in g["keywords"])
    plain = _json(str(SEEDS))
    assert list(plain) == ["keywords"] and len(plain["keywords"]) == 20


def test_cli_jsonl_and_csv_one_record_per_row() -> None:
    args = ["keywords", str(SEEDS), "--per-doc", "--top", "5"]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    rows = len(data["keywords"]) + sum(len(d["keywords"]) for d in data["documents"])
    lines = runner.invoke(app, [*args, "-f", "jsonl"]).stdout.splitlines()
    assert len(lines) == rows
    recs = [json.loads(x) for x in lines]
    assert recs[0]["list"] == "corpus" and recs[0]["term"] == data["keywords"][0]["term"]
    assert {r["list"] for r in recs} == {"corpus", "document"}
    table = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "-f", "csv"]).stdout)))
    assert len(table) == rows + 1 and table[0][:3] == ["list", "group", "doc"]


def test_cli_options(tmp_path: Path) -> None:
    everything = _json(str(SEEDS), "--top", "0")
    terms = {k["term"] for k in everything["keywords"]}
    # over the whole corpus 营商环境 outranks the phrase, so the phrase is not listed with it
    assert ("优化营商环境" in terms) != ("营商环境" in terms)
    # in the plan's annex on the business environment, the phrase is a top-20 keyword
    per_doc = _json(str(SEEDS), "--per-doc")["documents"]
    assert any("优化营商环境" in {k["term"] for k in d["keywords"]} for d in per_doc)
    assert not terms & formula_verbs()
    single = {k["term"] for k in _json(str(SEEDS), "--top", "0", "--ngram", "1")["keywords"]}
    assert "优化营商环境" not in single and "营商环境" in single
    verbs = {k["term"] for k in _json(str(SEEDS), "--top", "0", "--keep-formula-verbs")["keywords"]}
    assert verbs & formula_verbs()
    stop = tmp_path / "stop.txt"
    top1 = everything["keywords"][0]["term"]
    stop.write_text(top1 + "\n", encoding="utf-8")
    assert top1 not in {k["term"] for k in _json(str(SEEDS), "--stopwords", str(stop))["keywords"]}
    nouns_only = _json(str(SEEDS), "--pos", "n", "--ngram", "1", "--top", "0")["keywords"]
    assert len(nouns_only) < len(single)
    tr = _json(str(SEEDS), "--method", "textrank", "--per-doc", "--top", "5")
    assert tr["keywords"][0]["score"] == 1.0 and len(tr["documents"]) >= 25
    corpus_idf = _json(str(SEEDS), "--idf", "corpus")
    builtin = _json(str(SEEDS), "--idf", "builtin")
    assert corpus_idf["keywords"] != builtin["keywords"]


@pytest.mark.parametrize(
    "args",
    [["--ngram", "4"], ["--ngram", "3-1"], ["--ngram", "x"], ["--pos", "n,!!"], ["--pos", ","],
     ["--idf", "/nonexistent/idf.tsv"], ["--method", "lda"], ["--stopwords", "/nonexistent"]],
)
def test_cli_bad_options_are_usage_errors(args: list[str]) -> None:
    result = runner.invoke(app, ["keywords", str(SEED_FILES[0]), *args, "-f", "json"])
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_cli_bad_idf_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("营商环境\tnot-a-number\n", encoding="utf-8")
    result = runner.invoke(app, ["keywords", str(SEED_FILES[0]), "--idf", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:1" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_report_data(seed_documents, segmenter) -> None:
    from policytext.cli.commands.keywords import report_data
    from policytext.cli.corpus import Corpus

    data = report_data(Corpus(documents=list(seed_documents)), segmenter)
    assert list(data) == ["keywords", "documents"]
    assert len(data["keywords"]) == 20
    assert len(data["documents"]) == sum(len(d.articles) for d in seed_documents)
    # the fixture segmenter is the reference jieba engine
    assert data == _json(str(SEEDS), "--per-doc", "--engine", "jieba")


def test_by_year_and_by_metadata_field(tmp_path) -> None:
    """--by year reads the year from the path (or the page's date); --by FIELD groups by a
    metadata field, and documents without it form their own group."""
    a = "优化营商环境，推进政务服务一网通办。营商环境持续改善，企业开办时间压缩。\n" * 6
    b = "巩固拓展脱贫攻坚成果，全面推进乡村振兴。乡村振兴重点帮扶县稳定增收。\n" * 6
    (tmp_path / "report-2019.txt").write_text(a, encoding="utf-8")
    (tmp_path / "report-2020.txt").write_text(b, encoding="utf-8")
    data = _json(str(tmp_path), "--by", "year", "--no-split")
    groups = {g["group"]: [k["term"] for k in g["keywords"]] for g in data["groups"]}
    assert set(groups) == {"2019", "2020"}
    assert "营商环境" in groups["2019"] and "营商环境" not in groups["2020"]
    assert "乡村振兴" in groups["2020"]
    page = ("<html><head><meta charset='utf-8'><title>通知</title></head><body>"
            "<div class='info'>发布时间：2021-03-05</div><p>" + a.replace("\n", "</p><p>") +
            "</p></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    data = _json(str(tmp_path), "--by", "published", "--no-split")
    names = {g["group"] for g in data["groups"]}
    assert "(no published)" in names and len(names) == 2
