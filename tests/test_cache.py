"""The on-disk cache: private, keyed by everything that changes the result, skipped work on a
warm run, corrupt entries are misses, --no-cache writes nothing, cache info|clear."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from policytext.cli import corpus as corpus_mod
from policytext.cli.app import app
from policytext.cli.cache import Cache, doc_from_json, doc_to_json
from policytext.cli.corpus import RunConfig, load_corpus, tokenize
from typer.testing import CliRunner

from .conftest import SEEDS

runner = CliRunner()


@pytest.fixture()
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("POLICYTEXT_CACHE_DIR", str(root))
    return root


def _entries(root: Path) -> list[Path]:
    return [p for p in (root / "v1").rglob("*.json")] if (root / "v1").exists() else []


def test_cache_dir_is_private(cache_root: Path) -> None:
    from policytext.cli.common import cache_dir

    os.makedirs(cache_root, mode=0o755)
    os.chmod(cache_root, 0o755)
    path = cache_dir()
    assert path == str(cache_root)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700


def test_cache_dir_refuses_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policytext.cli.common import cache_dir

    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    monkeypatch.setenv("POLICYTEXT_CACHE_DIR", str(link))
    assert cache_dir() is None


def test_document_round_trips_through_json(seed_documents) -> None:
    for doc in seed_documents:
        assert doc_from_json(json.loads(json.dumps(doc_to_json(doc)))) == doc


def test_warm_run_skips_cleaning_and_segmentation(cache_root: Path, segmenter,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache_root.mkdir(mode=0o700)
    run = RunConfig(jobs=1, cache_root=str(cache_root))
    cold = load_corpus([str(SEEDS)], run=run)
    cold_tokens = tokenize(cold.documents, segmenter, run=run)
    assert len(_entries(cache_root)) == 2 * len(cold.documents)

    def boom(*a, **k):
        raise AssertionError("cleaned or segmented again on a warm run")

    monkeypatch.setattr(corpus_mod, "build_document", boom)
    monkeypatch.setattr(corpus_mod, "_segment_texts", boom)
    warm = load_corpus([str(SEEDS)], run=run)
    assert warm.documents == cold.documents
    assert tokenize(warm.documents, segmenter, run=run) == cold_tokens


def test_keys_change_with_what_changes_the_result(seed_documents) -> None:
    texts = [a.text for a in seed_documents[0].articles]
    k = Cache.tok_key(texts, fingerprint="a", pos=False)
    assert k != Cache.tok_key(texts, fingerprint="b", pos=False)
    assert k != Cache.tok_key(texts, fingerprint="a", pos=True)
    assert k != Cache.tok_key(texts[:-1] + [texts[-1] + "。"], fingerprint="a", pos=False)
    assert k == Cache.tok_key(list(texts), fingerprint="a", pos=False)
    d = Cache.doc_key(b"abc", doc_id="x", source="x.txt", options_key="o")
    assert d != Cache.doc_key(b"abd", doc_id="x", source="x.txt", options_key="o")
    assert d != Cache.doc_key(b"abc", doc_id="x", source="x.txt", options_key="p")
    assert d != Cache.doc_key(b"abc", doc_id="y", source="y.txt", options_key="o")


def test_keys_change_with_the_analysis_code(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    """An entry made by other cleaning or segmenting code is never read back: the keys hold a
    digest of the analysis sources, and the digest follows every byte of them."""
    from policytext.cli import cache as cache_mod

    digest = cache_mod._code_hash()
    assert len(digest) == 16 and int(digest, 16) >= 0
    d = Cache.doc_key(b"abc", doc_id="x", source="x.txt", options_key="o")
    t = Cache.tok_key(["中国"], fingerprint="a", pos=False)
    monkeypatch.setattr(cache_mod, "_code_hash", lambda: "0" * 16)
    assert Cache.doc_key(b"abc", doc_id="x", source="x.txt", options_key="o") != d
    assert Cache.tok_key(["中国"], fingerprint="a", pos=False) != t
    monkeypatch.undo()
    # The digest itself: a copy of the package with one byte changed in clean.py differs.
    import policytext.analysis as pkg

    src = Path(pkg.__file__).resolve().parent
    fake = tmp_path / "analysis"
    fake.mkdir()
    for path in src.glob("*.py"):
        (fake / path.name).write_bytes(path.read_bytes())
    (fake / "__init__.py").write_bytes((src / "__init__.py").read_bytes())

    def digest_of(root: Path) -> str:
        monkeypatch.setattr(pkg, "__file__", str(root / "__init__.py"))
        cache_mod._code_hash.cache_clear()
        try:
            return cache_mod._code_hash()
        finally:
            monkeypatch.undo()
            cache_mod._code_hash.cache_clear()

    assert digest_of(fake) == digest
    (fake / "clean.py").write_bytes((src / "clean.py").read_bytes() + b"\n")
    assert digest_of(fake) != digest


def test_engines_and_pos_get_separate_entries(cache_root: Path) -> None:
    from policytext.analysis.segment import Segmenter

    assert Segmenter(engine="jieba").fingerprint != Segmenter(engine="fast").fingerprint
    assert Segmenter(policy_dict=False).fingerprint != Segmenter().fingerprint


def test_corrupt_entries_are_misses(cache_root: Path, segmenter) -> None:
    cache_root.mkdir(mode=0o700)
    run = RunConfig(jobs=1, cache_root=str(cache_root))
    cold = load_corpus([str(SEEDS)], run=run)
    expected = tokenize(cold.documents, segmenter, run=run)
    for i, entry in enumerate(_entries(cache_root)):
        entry.write_bytes(b"" if i % 2 else b'{"key": "not this one", "value": 1}')
    again = load_corpus([str(SEEDS)], run=run)
    assert again.documents == cold.documents
    assert tokenize(again.documents, segmenter, run=run) == expected


def test_cli_output_is_identical_cold_warm_and_uncached(cache_root: Path) -> None:
    args = ["segment", str(SEEDS), "--format", "json", "--pos"]
    uncached = runner.invoke(app, [*args, "--no-cache"])
    assert uncached.exit_code == 0
    assert _entries(cache_root) == []  # --no-cache writes nothing
    cold = runner.invoke(app, args)
    assert _entries(cache_root)
    warm = runner.invoke(app, args)
    assert cold.exit_code == warm.exit_code == 0
    assert uncached.stdout == cold.stdout == warm.stdout
    assert json.loads(warm.stdout)["articles"]


def test_cache_info_and_clear(cache_root: Path) -> None:
    assert runner.invoke(app, ["articles", str(SEEDS), "--format", "json"]).exit_code == 0
    (cache_root / "v1" / "ab").mkdir(parents=True, exist_ok=True)
    (cache_root / "v1" / "ab" / ".tmp-left-by-a-killed-run").write_text("half")
    info = runner.invoke(app, ["cache", "info", "--format", "json"])
    assert info.exit_code == 0
    data = json.loads(info.stdout)
    assert data["path"] == str(cache_root)
    assert data["mode"] == "0700"
    assert data["entries"] == len(_entries(cache_root)) > 0
    assert data["temporary_files"] == 1
    assert data["bytes"] > 0
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 0
    assert "removed" in cleared.stdout
    after = json.loads(runner.invoke(app, ["cache", "info", "--format", "json"]).stdout)
    assert after["entries"] == 0 and after["temporary_files"] == 0


def test_tiny_documents_are_not_cached(cache_root: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text("推动高质量发展。", encoding="utf-8")
    assert runner.invoke(app, ["segment", str(small), "--format", "json"]).exit_code == 0
    assert _entries(cache_root) == []
