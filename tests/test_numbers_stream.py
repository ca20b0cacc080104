"""``policytext numbers`` streams document by document: the bytes must be exactly those of the
in-memory path (``find_numbers`` + ``numbers_output`` + ``render``), in every format and with
--recurring / --by / --with-errors, also when document ids sort differently from the paths, and
a failed output leaves nothing behind."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from policytext.analysis.numbers import (
    IndicatorTally,
    doc_order_key,
    find_numbers,
    iter_numbers,
    summarize,
)
from policytext.cli import render
from policytext.cli.app import app
from policytext.cli.commands import numbers as cmd
from policytext.cli.common import group_function
from policytext.cli.corpus import load_corpus
from typer.testing import CliRunner

from .conftest import SEEDS

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def _reference(paths, fmt, *, for_file=False, kinds=None, indicator=None, recurring=False,
               by=None, with_errors=False) -> str:
    """What the command printed before it streamed: everything in memory, then rendered."""
    corpus = load_corpus([str(p) for p in paths])
    figures = find_numbers(corpus.documents, kinds=kinds, indicator=indicator)
    group_of = None
    if by is not None:
        of_document = group_function(by)
        document_of = {d.source: d for d in corpus.documents}
        group_of = lambda source: of_document(document_of[source])  # noqa: E731
    out = cmd.numbers_output(figures, recurring=recurring, group_of=group_of, by=by,
                             source_of={d.id: d.source for d in corpus.documents})
    if with_errors:
        out.data["errors"] = list(corpus.errors)
    return render.render(out, fmt, for_file=for_file)


def _args(kinds=None, indicator=None, recurring=False, by=None, with_errors=False) -> list[str]:
    args = ["--no-cache", "-q"]
    for k in kinds or ():
        args += ["--kind", k]
    if indicator:
        args += ["--indicator", indicator]
    if recurring:
        args.append("--recurring")
    if by:
        args += ["--by", by]
    if with_errors:
        args.append("--with-errors")
    return args


OPTIONS = [
    {},
    {"recurring": True, "by": "file"},
    {"recurring": True, "by": "dir", "with_errors": True},
    {"kinds": ["target"], "indicator": "增加值", "recurring": True},
]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
@pytest.mark.parametrize("opts", OPTIONS, ids=lambda o: ",".join(o) or "default")
def test_stdout_is_byte_identical_to_the_in_memory_path(fmt, opts) -> None:
    r = runner.invoke(app, ["numbers", str(SEEDS), "-f", fmt, *_args(**opts)])
    assert r.exit_code == 0, r.output
    want = _reference([SEEDS], fmt, **opts)
    assert r.stdout == want
    assert len(want) > 1000


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_output_file_is_byte_identical(tmp_path, fmt) -> None:
    target = tmp_path / f"out.{fmt}"
    opts = {"recurring": True, "by": "file"}
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(target), *_args(**opts)])
    assert r.exit_code == 0, r.output
    want = _reference([SEEDS], fmt, for_file=True, **opts)
    assert target.read_bytes() == want.encode("utf-8")
    if fmt == "csv":
        assert want.startswith("\ufeff") and "\r\n" in want
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.fixture
def shuffled_ids(tmp_path) -> Path:
    """Inputs whose document ids sort differently from their paths (``b/aaa`` comes before
    ``a/zzz`` among figures), two inputs that end up with the same id (their figures
    interleave), and inputs that fail."""
    seeds = sorted(SEEDS.glob("*.txt"))
    root = tmp_path / "in"
    for sub in ("a", "b", "c"):
        (root / sub).mkdir(parents=True)
    shutil.copy(seeds[0], root / "a" / "zzz.txt")
    shutil.copy(seeds[1], root / "b" / "aaa.txt")
    shutil.copy(seeds[2], root / "c" / "mmm.txt")
    shutil.copy(seeds[3], root / "c" / "x y.txt")  # "x y" and "x_y" get the same id
    shutil.copy(seeds[4], root / "c" / "x_y.txt")
    (root / "a" / "empty.txt").write_bytes(b"")
    (root / "b" / "binary.txt").write_bytes(b"\x00\x01" * 400)
    return root


def test_document_order_follows_ids_not_paths(shuffled_ids) -> None:
    from policytext.cli.inputs import doc_ids, resolve

    specs, _ = resolve([str(shuffled_ids)])
    ids = doc_ids(specs)
    by_path = [ids[s.source] for s in specs]
    assert sorted(by_path, key=doc_order_key) != by_path  # the fixture does what it says
    assert len(set(by_path)) < len(by_path)  # and has an id collision
    for opts in OPTIONS:
        for fmt in ("json", "csv"):
            r = runner.invoke(app, ["numbers", str(shuffled_ids), "-f", fmt, *_args(**opts)])
            assert r.exit_code == 1, r.output  # some inputs failed, not all
            assert r.stdout == _reference([shuffled_ids], fmt, **opts), (fmt, opts)


def test_failed_inputs_are_listed_in_load_order(shuffled_ids, tmp_path) -> None:
    missing = tmp_path / "nope.txt"
    r = runner.invoke(app, ["numbers", str(shuffled_ids), str(missing), "-f", "json",
                            "--with-errors", "--no-cache", "-q"])
    assert r.exit_code == 1
    errors = json.loads(r.stdout)["errors"]
    assert errors == load_corpus([str(shuffled_ids), str(missing)]).errors
    assert len(errors) == 3


def test_all_inputs_failing_still_writes_the_empty_result(tmp_path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = runner.invoke(app, ["numbers", str(bad), "-f", "json", "--with-errors", "-q"])
    assert r.exit_code == 3
    assert json.loads(r.stdout) == {"numbers": [], "indicators": [],
                                    "errors": [f"{bad}: is empty (0 bytes)"]}


@pytest.mark.parametrize("bad", [["--encoding", "no-such-codec"], ["--scheduler", "x:1"]])
def test_usage_errors_print_nothing_on_stdout(tmp_path, bad) -> None:
    target = tmp_path / "out.json"
    r = runner.invoke(app, ["numbers", str(SEEDS), "-f", "json", *bad])
    assert r.exit_code == 2 and r.stdout == ""
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(target), *bad])
    assert r.exit_code == 2 and list(tmp_path.iterdir()) == []


# --- a failed output leaves nothing behind ---------------------------------------------------


def test_unwritable_output_is_exit_4_and_no_file(tmp_path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(target), "-q"])
    assert r.exit_code == 4
    assert "cannot write" in r.stderr
    assert not (tmp_path / "no").exists()
    d = tmp_path / "adir"
    d.mkdir()
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(d), "-f", "json", "-q"])
    assert r.exit_code == 4 and list(d.iterdir()) == []


def test_refuses_to_overwrite_an_input(tmp_path) -> None:
    src = tmp_path / "in.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], src)
    before = src.read_bytes()
    r = runner.invoke(app, ["numbers", str(src), "-o", str(src), "-f", "json", "-q"])
    assert r.exit_code == 4
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


@pytest.mark.parametrize(("exc", "code"), [(RuntimeError("boom"), 70), (KeyboardInterrupt(), 130)])
def test_failure_mid_stream_leaves_no_file(tmp_path, monkeypatch, exc, code) -> None:
    import policytext.analysis.numbers as numbers_mod

    real = numbers_mod.scan_document
    calls = []

    def failing(doc, **kw):
        calls.append(doc.id)
        if len(calls) == 3:
            raise exc
        return real(doc, **kw)

    monkeypatch.setattr(numbers_mod, "scan_document", failing)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "figures.json"
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(target), "--no-cache", "-q"])
    assert r.exit_code == code
    assert len(calls) == 3  # it failed after two documents had been written
    assert list(out.iterdir()) == []


def test_existing_output_survives_a_failed_run(tmp_path, monkeypatch) -> None:
    import policytext.analysis.numbers as numbers_mod

    target = tmp_path / "figures.json"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)

    def failing(doc, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(numbers_mod, "scan_document", failing)
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(target), "--no-cache", "-q"])
    assert r.exit_code == 70
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.json"]
    monkeypatch.undo()
    r = runner.invoke(app, ["numbers", str(SEEDS), "-o", str(target), "--no-cache", "-q"])
    assert r.exit_code == 0
    assert (target.stat().st_mode & 0o777) == 0o640  # the file keeps its mode
    assert json.loads(target.read_text(encoding="utf-8"))["numbers"]


# --- the pure pieces -------------------------------------------------------------------------


def test_iter_numbers_is_find_numbers_one_document_at_a_time(seed_documents) -> None:
    docs = sorted(seed_documents, key=lambda d: doc_order_key(d.id))
    want = find_numbers(docs)
    assert list(iter_numbers(docs)) == want and len(want) > 100
    assert list(iter_numbers(docs, kinds=("target",), indicator="增")) == find_numbers(
        docs, kinds=("target",), indicator="增")
    with pytest.raises(ValueError, match="out of order"):
        list(iter_numbers(list(reversed(docs))))


def test_indicator_tally_is_summarize(seed_documents) -> None:
    figs = find_numbers(seed_documents)
    tally = IndicatorTally()
    for f in figs:
        tally.add(f)
    assert tally.result() == summarize(figs)
    # any order of whole documents gives the same summary counts
    by_doc: dict[str, list] = {}
    for f in figs:
        by_doc.setdefault(f.doc.split("#")[0], []).append(f)
    blocks = list(by_doc.values())
    random.Random(7).shuffle(blocks)
    tally = IndicatorTally()
    for block in blocks:
        for f in block:
            tally.add(f)
    got = {s.indicator: (s.count, s.docs, set(s.values)) for s in tally.result()}
    assert got == {s.indicator: (s.count, s.docs, set(s.values)) for s in summarize(figs)}
