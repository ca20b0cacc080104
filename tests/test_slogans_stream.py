"""The streaming slogan pass (``stream_slogans``) gives exactly what the whole-corpus pass gives:
on the seeds with every option, on documents fed one at a time, on ids whose edge markers can
collide, with given phrases, and through the command line (against JSON saved from the
whole-corpus implementation before the streaming one existed)."""

from __future__ import annotations

import gzip
import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
from policytext.analysis.pipeline import ReadOptions, document_from_text
from policytext.analysis.slogans import (
    Lexicon,
    _find_slogans_whole,
    find_slogans,
    stream_slogans,
)
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEEDS

runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
REFERENCE = Path(__file__).parent / "data" / "slogans_seeds_reference.json.gz"


@pytest.fixture(scope="module")
def lexicon(segmenter):
    return Lexicon.from_segmenter(segmenter)


def by_file(doc):
    return doc.source


def by_dir(doc):
    return doc.source.split("_")[0][-1:]


OPTIONS = [
    {},
    {"titles": True, "group_of": by_file},
    {"examples": 10, "group_of": by_dir},
    {"kinds": ("numeric",), "min_docs": 2},
    {"kinds": ("quoted", "term"), "min_count": 2, "examples": 0, "context": 40},
]


@pytest.mark.parametrize("kw", OPTIONS, ids=lambda kw: ",".join(sorted(kw)) or "default")
def test_stream_equals_whole_corpus_pass_on_seeds(seed_documents, lexicon, kw) -> None:
    whole = _find_slogans_whole(seed_documents, lexicon, **kw)
    streamed = find_slogans(seed_documents, lexicon, **kw)
    assert whole.slogans, "the seeds have slogans"
    assert streamed == whole
    if kw.get("titles"):
        assert streamed.titles
    if kw.get("group_of"):
        assert streamed.groups


def test_documents_one_at_a_time_give_the_list_result(seed_documents, lexicon) -> None:
    ordered = sorted(seed_documents, key=lambda d: (d.source, d.id))
    calls = []

    def documents():
        calls.append(1)
        yield from ordered  # a generator: nothing is kept between calls

    kw = {"titles": True, "group_of": by_file}
    streamed = stream_slogans(documents, lexicon, **kw)
    assert streamed == find_slogans(list(reversed(seed_documents)), lexicon, **kw)
    assert len(calls) == 4  # ids, phrases, surviving canons, final occurrences
    calls.clear()
    ids = [d.id for d in ordered]
    assert stream_slogans(documents, lexicon, doc_ids=ids, **kw) == streamed
    assert len(calls) == 3


def test_stream_refuses_unsorted_or_repeated_documents(seed_documents, lexicon) -> None:
    ordered = sorted(seed_documents, key=lambda d: (d.source, d.id))
    with pytest.raises(ValueError, match="out of order"):
        stream_slogans(lambda: list(reversed(ordered)), lexicon)
    twice = [ordered[0], replace(ordered[1], id=ordered[0].id)]
    with pytest.raises(ValueError, match="repeats"):
        stream_slogans(lambda: twice, lexicon)
    # find_slogans takes them anyway (the whole-corpus pass)
    assert find_slogans(twice, lexicon) == _find_slogans_whole(twice, lexicon)


def _renamed(docs, ids):
    return [replace(d, id=i) for d, i in zip(docs, ids, strict=True)]


@pytest.mark.parametrize("ids", [["1", "21", "321", "4", "14"], ["a", "1a", "01a", "b", "2b"]])
def test_ids_that_differ_by_leading_digits(seed_documents, lexicon, ids) -> None:
    """recurring_phrases marks a line edge as #{position}{doc id}: with ids 1 and 21 the
    markers of two documents can be the same string, and the streaming counts must agree."""
    docs = sorted(seed_documents, key=lambda d: (d.source, d.id))
    # more documents than seeds, so that phrases recur: each seed twice, second copy renamed
    texts = [d.text for d in docs]
    many = [
        document_from_text(t, doc_id=f"{k}{i}", source=f"{k}{i}.txt",
                           options=ReadOptions(split=False))
        for k, (t, i) in enumerate(zip(texts + texts, ids + ids, strict=True))
    ]
    assert find_slogans(many, lexicon) == _find_slogans_whole(many, lexicon)


def _pair(ids):
    """Two documents where the n-gram 甲乙|丙丁 follows the same non-Chinese token, at line
    position 12 in the first and 1 in the second: with ids 1 and 21 both edge markers are
    #121, so its left neighbour is 'always the same' and it is not a free phrase."""
    right = ["戊己", "庚辛", "壬癸", "甲子", "乙丑", "丙寅"]
    first = "\n".join("子丑" * 11 + "AB甲乙丙丁" + right[k] + "。" for k in range(3))
    second = "\n".join("AB甲乙丙丁" + right[k + 3] + "。" for k in range(3))
    return [
        document_from_text(t, doc_id=i, source=f"{i}.txt", options=ReadOptions(split=False))
        for t, i in zip((first, second), ids, strict=True)
    ]


def test_colliding_edge_markers_count_together() -> None:
    lex = Lexicon(cut=lambda s: re.findall(r"[\u4e00-\u9fff]{2}|[A-Za-z]+|.", s))
    colliding = _pair(("1", "21"))
    apart = _pair(("a1", "b21"))
    assert [s.slogan for s in _find_slogans_whole(apart, lex).slogans] == ["甲乙丙丁"]
    assert _find_slogans_whole(colliding, lex).slogans == ()
    for docs in (colliding, apart):
        assert find_slogans(docs, lex) == _find_slogans_whole(docs, lex)
        # with the ids unknown in advance the stream reads them first
        assert stream_slogans(lambda docs=docs: docs, lex) == _find_slogans_whole(docs, lex)
    # an id outside the announced ones is counted the exact way too
    assert stream_slogans(lambda: colliding, lex, doc_ids=["1"]) == _find_slogans_whole(
        colliding, lex
    )


def test_random_subsets_of_seed_paragraphs(seed_documents, lexicon) -> None:
    rng = random.Random(7)
    paragraphs = [p for d in seed_documents for p in d.text.split("\n") if len(p) > 40]
    assert len(paragraphs) > 50
    for trial in range(3):
        picked = [rng.sample(paragraphs, 12) for _ in range(rng.randint(2, 6))]
        docs = [
            document_from_text("\n\n".join(ps), doc_id=f"p{trial}_{k}", source=f"p{k}.txt",
                               options=ReadOptions(split=False))
            for k, ps in enumerate(picked)
        ]
        kw = {"titles": True, "group_of": by_file, "examples": 2}
        assert find_slogans(docs, lexicon, **kw) == _find_slogans_whole(docs, lexicon, **kw)


def test_expansions_when_forms_of_one_slogan_differ(lexicon) -> None:
    """送政策、解难题 and 送政策解难题 are one slogan; the expansion nearby depends on the form
    chosen (the most frequent), which the streaming pass only knows at the end."""
    texts = [
        "实施“三高、四新”行动。推进产业、创新、人才、开放、改革、生态、民生三高四新落地。",
        "围绕“三高、四新”，即高端、高新、高附加值。三高四新：产业、创新、人才、开放、改革、"
        "生态、民生。",
        "把握“三高、四新”要求，落实三高四新战略，简称三高四新。",
    ]
    docs = [
        document_from_text(t, doc_id=f"e{i}", source=f"e{i}.txt",
                           options=ReadOptions(split=False))
        for i, t in enumerate(texts)
    ]
    streamed = find_slogans(docs, lexicon, examples=5)
    assert streamed == _find_slogans_whole(docs, lexicon, examples=5)
    assert streamed.slogans


def test_given_phrases(seed_documents, lexicon) -> None:
    phrases = ["乡村振兴", "营商环境", "高质量发展", "产业链"]
    kw = {"phrases": phrases, "titles": True}
    assert find_slogans(seed_documents, lexicon, **kw) == _find_slogans_whole(
        seed_documents, lexicon, **kw
    )


def test_command_output_matches_the_whole_corpus_reference(tmp_path, monkeypatch) -> None:
    """The JSON the command wrote before the streaming pass (``policytext slogans seeds -f json
    --titles --by file`` in the repository root)."""
    monkeypatch.chdir(SEEDS.parent)
    out = tmp_path / "s.json"
    result = runner.invoke(
        app, ["slogans", "seeds", "-f", "json", "-q", "--titles", "--by", "file", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    expected = gzip.decompress(REFERENCE.read_bytes())
    produced = out.read_bytes()
    assert produced == expected


def test_command_reports_bad_inputs_once(tmp_path) -> None:
    result = runner.invoke(
        app, ["slogans", str(SEEDS), str(tmp_path / "missing.txt"), "-f", "json", "-q",
              "--with-errors"]
    )
    assert result.exit_code == 1
    assert result.stderr.count("missing.txt") == 1
    assert '"errors"' in result.stdout
