"""--backend dask: the same chunks as Dask tasks on a 2-worker LocalCluster give byte-for-byte
the local output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEEDS

distributed = pytest.importorskip("distributed", reason="the dask extra is part of [test]")


@pytest.fixture(scope="module")
def scheduler() -> str:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _run(args: list[str], cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policytext.cli", *args], capture_output=True,
                          timeout=300, env={**os.environ, "POLICYTEXT_CACHE_DIR": str(cache)})


@pytest.mark.parametrize("command", [["segment", "--pos"], ["articles", "--text"]])
def test_dask_output_is_byte_identical(command: list[str], scheduler: str, tmp_path: Path) -> None:
    args = [command[0], str(SEEDS), *command[1:], "--format", "json"]
    local = _run([*args, "--no-cache", "--jobs", "1"], tmp_path / "a")
    assert local.returncode == 0, local.stderr.decode()
    # cold then warm cache on the workers' side, both through the scheduler
    for _ in range(2):
        dask = _run([*args, "--backend", "dask", "--scheduler", scheduler], tmp_path / "b")
        assert dask.returncode == 0, dask.stderr.decode()
        assert dask.stdout == local.stdout
    assert len(local.stdout) > 1000


def test_failed_inputs_are_reported_the_same(scheduler: str, tmp_path: Path) -> None:
    args = ["segment", str(SEEDS), str(tmp_path / "missing.txt"), "--format", "json",
            "--with-errors", "--no-cache"]
    local = _run([*args, "--jobs", "1"], tmp_path / "a")
    dask = _run([*args, "--backend", "dask", "--scheduler", scheduler], tmp_path / "a")
    assert local.returncode == dask.returncode == 1
    assert local.stdout == dask.stdout
    assert b"missing.txt" in dask.stderr


def test_bad_scheduler_and_misuse_are_usage_errors(tmp_path: Path) -> None:
    wrong = _run(["segment", str(SEEDS), "--scheduler", "tcp://127.0.0.1:1"], tmp_path)
    assert wrong.returncode == 2 and b"--backend dask" in wrong.stderr
    assert b"Traceback" not in wrong.stderr
