"""Runs sharing the cache: four at once give identical results, a run killed mid-way leaves the
cache usable, and the cache directory is private (0700) all the way down."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SEED_FILES


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 distinct documents made from the seeds (each one cached separately)."""
    root = tmp_path_factory.mktemp("corpus")
    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES]
    for i in range(60):
        t = texts[i % len(texts)]
        start = (i * 1543) % max(1, len(t) - 6000)
        text = f"第{i}号\n" + t[start:start + 6000]
        (root / f"doc{i:02d}.txt").write_text(text, encoding="utf-8")
    return root


def _cmd(corpus: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "policytext.cli", "segment", str(corpus), "--format", "jsonl",
            "--jobs", "1", *extra]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "POLICYTEXT_CACHE_DIR": str(cache)}


@pytest.fixture(scope="module")
def reference(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    cache = tmp_path_factory.mktemp("unused")
    proc = subprocess.run(_cmd(corpus_dir, "--no-cache"), capture_output=True, timeout=300,
                          env=_env(cache))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.count(b"\n") >= 60
    return proc.stdout


def _entries(cache: Path) -> list[Path]:
    return list((cache / "v1").rglob("*.json")) if (cache / "v1").exists() else []


def test_four_processes_at_once_agree(corpus_dir: Path, reference: bytes, tmp_path: Path) -> None:
    cache = tmp_path / "shared"
    procs = [subprocess.Popen(_cmd(corpus_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=_env(cache)) for _ in range(4)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
        assert out == reference
    assert len(_entries(cache)) == 2 * 60
    assert not [p for p in (cache / "v1").rglob(".tmp-*")]
    warm = subprocess.run(_cmd(corpus_dir), capture_output=True, timeout=300, env=_env(cache))
    assert warm.returncode == 0 and warm.stdout == reference
    for d in [cache, *[p for p in cache.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(d.stat().st_mode) & 0o077 == 0, d


def test_a_killed_run_leaves_the_cache_usable(corpus_dir: Path, reference: bytes,
                                              tmp_path: Path) -> None:
    cache = tmp_path / "killed"
    proc = subprocess.Popen(_cmd(corpus_dir, "--engine", "jieba"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=_env(cache))
    deadline = time.monotonic() + 120
    while len(_entries(cache)) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    written = _entries(cache)
    assert written, "the run was killed before it wrote anything"
    # What a kill during a write could leave: a stray temporary file and, on a crash of the
    # machine, a truncated entry.
    (written[0].parent / ".tmp-killed").write_bytes(b'{"key": "abc", "val')
    written[-1].write_bytes(written[-1].read_bytes()[:20])
    again = subprocess.run(_cmd(corpus_dir, "--engine", "jieba"), capture_output=True,
                           timeout=300, env=_env(cache))
    assert again.returncode == 0, again.stderr.decode()
    jieba_ref = subprocess.run(_cmd(corpus_dir, "--engine", "jieba", "--no-cache"),
                               capture_output=True, timeout=300, env=_env(cache))
    assert again.stdout == jieba_ref.stdout
    assert again.stdout == reference  # and the engines agree on this corpus
    info = subprocess.run([sys.executable, "-m", "policytext.cli", "cache", "info", "--format",
                           "json"], capture_output=True, timeout=60, env=_env(cache))
    assert info.returncode == 0 and b'"temporary_files": 1' in info.stdout
