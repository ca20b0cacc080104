"""Fast start-up: importing the CLI loads none of the heavy libraries; --help and --version
work. (How fast they are is measured by benchmarks/speed.py, not asserted here.)"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["sklearn", "jieba", "rjieba", "numpy", "scipy", "matplotlib", "dask", "distributed",
         "opencc"]


def test_importing_the_cli_loads_no_heavy_module() -> None:
    code = ("import json, sys; import policytext.cli.app; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_sklearn_and_jieba_are_not_imported_in_process() -> None:
    # The brief's literal check, in a fresh interpreter so other tests' imports do not count.
    code = ("import sys; import policytext.cli.app; "
            "assert 'sklearn' not in sys.modules and 'jieba' not in sys.modules; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_help_and_version_run() -> None:
    from importlib.metadata import version

    for args, expect in ((["--help"], "Usage"), (["--version"], version("policytext"))):
        proc = subprocess.run([sys.executable, "-m", "policytext.cli", *args],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert expect in proc.stdout


def test_new_options_are_documented_in_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "policytext.cli", "segment", "--help"],
                          capture_output=True, text=True, timeout=60,
                          env={"COLUMNS": "200", "PATH": "", "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    for option in ("--jobs", "--no-cache", "--backend", "--scheduler", "--engine"):
        assert option in proc.stdout, option
