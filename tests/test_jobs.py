"""--jobs: worker processes (spawn, on every OS) give exactly the --jobs 1 results, in order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from policytext.cli import corpus as corpus_mod
from policytext.cli.corpus import RunConfig, load_corpus, tokenize

from .conftest import SEED_FILES, SEEDS


@pytest.fixture(scope="module")
def many_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 documents cut from the seeds, plus inputs that fail, spread through the order."""
    root = tmp_path_factory.mktemp("many")
    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES]
    for i in range(40):
        t = texts[i % len(texts)]
        start = (i * 997) % max(1, len(t) - 3000)
        (root / f"d{i:02d}.txt").write_text(t[start:start + 3000], encoding="utf-8")
    (root / "d07b.txt").write_bytes(b"\xff\xfe\x00" + b"\x80" * 50)  # undecodable
    (root / "d20b.txt").mkdir()  # a directory where a file was expected
    return root


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_mod, "CHUNK_DOCS", 3)
    monkeypatch.setattr(corpus_mod, "CHUNK_BYTES", 10_000)


def test_load_and_tokenize_match_one_process(many_docs: Path, segmenter, small_chunks) -> None:
    paths = [str(p) for p in sorted(many_docs.iterdir())] + [str(many_docs / "missing.txt")]
    one = load_corpus(paths, run=RunConfig(jobs=1))
    two = load_corpus(paths, run=RunConfig(jobs=2))
    assert one.documents == two.documents
    # the undecodable file, the directory and the missing path fail, in input order
    assert one.errors == two.errors and len(one.errors) == 3
    assert len(one.documents) == 40
    for pos in (False, True):
        a = tokenize(one.documents, segmenter, pos=pos, run=RunConfig(jobs=1))
        b = tokenize(one.documents, segmenter, pos=pos, run=RunConfig(jobs=2))
        assert a == b
        assert sum(len(t.tokens) for t in a) > 10_000


def test_cache_and_jobs_together(many_docs: Path, segmenter, small_chunks, tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir(mode=0o700)
    run2 = RunConfig(jobs=2, cache_root=str(root))
    docs = load_corpus([str(many_docs)], run=run2).documents
    expected = tokenize(docs, segmenter, run=RunConfig(jobs=1))
    assert tokenize(docs, segmenter, run=run2) == expected  # cold: workers write the cache
    assert tokenize(docs, segmenter, run=run2) == expected  # warm: answered from the cache
    half = docs[::2]
    assert tokenize(half, segmenter, run=run2) == tokenize(half, segmenter, run=RunConfig())


def test_auto_jobs_stays_in_one_process_for_small_corpora() -> None:
    run = RunConfig(jobs=None)
    assert run.workers(1024) == 1
    assert run.workers(corpus_mod.AUTO_PARALLEL_BYTES) == corpus_mod.cpu_count()
    assert RunConfig(jobs=3).workers(1) == 3


@pytest.mark.parametrize("command", [["segment", "--pos"], ["articles", "--text"], ["slogans"]])
def test_cli_jobs_2_is_byte_identical(command: list[str], tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "policytext.cli", command[0], str(SEEDS), *command[1:],
             "--format", "json", "--jobs", jobs, "--no-cache"],
            capture_output=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
    assert len(outs[0]) > 1000


# --------------------------------------------------------------------------------------------
# The progress bar of long work (issue 8): on stderr, only when it is a terminal, never --quiet
# --------------------------------------------------------------------------------------------
def _run_with_pty_stderr(args: list[str]) -> tuple[int, bytes]:
    import os
    import pty

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "policytext.cli", *args],
                                stdout=subprocess.DEVNULL, stderr=slave,
                                env={**os.environ, "TERM": "xterm", "COLUMNS": "100"})
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=300)
    finally:
        os.close(master)
    return proc.returncode, b"".join(chunks)


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    args = ["segment", str(SEEDS), "--format", "jsonl", "--no-cache", "--jobs", "1"]
    out = tmp_path / "out.jsonl"
    code, err = _run_with_pty_stderr([*args, "-o", str(out)])
    assert code == 0
    assert b"segmenting" in err  # the bar's label, drawn on the terminal
    piped = subprocess.run([sys.executable, "-m", "policytext.cli", *args], capture_output=True,
                           timeout=300)
    assert piped.returncode == 0 and piped.stderr == b""
    assert piped.stdout == out.read_bytes()  # the bar never touches the output
    code, err = _run_with_pty_stderr([*args, "--quiet", "-o", str(out)])
    assert code == 0 and b"segmenting" not in err


def test_progress_helper_is_a_no_op_when_disabled() -> None:
    import io

    from policytext.cli.progress import progress, wanted

    assert wanted(False, io.StringIO()) is False  # not a terminal
    assert wanted(True, sys.stderr) is False  # --quiet
    with progress(False, total=3, label="x") as bar:
        bar.advance(3)
    assert wanted(False, _Tty()) is True


class _Tty:
    def isatty(self) -> bool:
        return True
