"""Every command x every output format x every bad input: the reliability contract.

For each run: no traceback, a documented exit code, stdout valid for its format, no escape
sequence or interpreted markup from a document on the terminal, no CSV cell a spreadsheet
would run as a formula, and no input file modified.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from policytext.cli.app import app
from typer.testing import CliRunner

from . import battery

FORMATS = ["table", "json", "jsonl", "csv"]
# How each command is run on a battery case: extra arguments around the paths. Every command
# the CLI registers must be listed here (test_every_command_is_in_the_battery).
COMMANDS: dict[str, list[str]] = {
    "articles": [],
    "keywords": [],
    "segment": [],
    "cluster": [],
    "themes": [],
    "slogans": ["--titles"],
    "numbers": [],
    # report runs every analysis: 1M-character line included (about 20 s since slogans
    # became linear on it).
    "report": ["-o", "{tmp}/r.html"],
    "plot": ["slogans", "-o", "{tmp}/p.svg"],
}
SUBCOMMANDS_WITHOUT_PATHS = {"cache", "idf"}

runner = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def battery_root(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[battery.Case], dict[str, str]]:
    root = tmp_path_factory.mktemp("battery")
    cases = battery.build(root)
    return root, cases, battery.digest(root)


def _registered_commands() -> set[str]:
    names: set[str] = set()
    for group in app.registered_groups:
        sub = group.typer_instance
        for cmd in sub.registered_commands:
            names.add(cmd.name or cmd.callback.__name__)
        for g in sub.registered_groups:
            names.add(g.name or "")
    for cmd in app.registered_commands:
        names.add(cmd.name or cmd.callback.__name__)
    return names


def test_every_command_is_in_the_battery() -> None:
    missing = _registered_commands() - set(COMMANDS) - SUBCOMMANDS_WITHOUT_PATHS
    assert not missing, f"add these commands to the battery: {sorted(missing)}"


def check_stdout(fmt: str, out: str) -> None:
    assert "\x1b" not in out, "escape sequence reached stdout"
    if fmt == "json":
        json.loads(out)
    elif fmt == "jsonl":
        for line in out.splitlines():
            json.loads(line)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        for row in rows[1:]:
            for cell in row:
                if cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and not _number(cell)):
                    raise AssertionError(f"CSV cell would run as a formula: {cell[:40]!r}")


def _number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _run(command: str, case: battery.Case, fmt: str, root: Path, tmp: Path):
    args = command.split() + [a.replace("{tmp}", str(tmp)) for a in COMMANDS[command]]
    args += ["-f", fmt] + case.args
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return runner.invoke(app, args, input=case.stdin if case.stdin is not None else b"")
    finally:
        os.chdir(cwd)


def _cases_for(cases: list[battery.Case], heavy: bool) -> list[battery.Case]:
    return [c for c in cases if c.heavy == heavy]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_battery(command: str, battery_root, tmp_path: Path) -> None:
    root, cases, before = battery_root
    failures: list[str] = []
    for case in cases:
        formats = ["json", "table"] if case.heavy else FORMATS
        for fmt in formats:
            result = _run(command, case, fmt, root, tmp_path)
            where = f"{command} -f {fmt} [{case.name}]"
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                failures.append(f"{where}: raised {result.exception!r}")
                continue
            if "Traceback" in result.stderr:
                failures.append(f"{where}: traceback on stderr")
            if result.exit_code not in battery.EXIT_CODES:
                failures.append(f"{where}: exit code {result.exit_code}: {result.stderr[-300:]}")
            try:
                check_stdout(fmt, result.stdout)
            except Exception as exc:  # noqa: BLE001 - reported with the case
                failures.append(f"{where}: invalid stdout: {exc}")
            for line in result.stderr.splitlines():
                if line.strip() and not line.startswith("policytext"):
                    failures.append(f"{where}: stray stderr line {line[:80]!r}")
    assert battery.digest(root) == before, "an input file was modified"
    assert not failures, "\n".join(failures[:40])


def test_markup_and_escapes_are_shown_literally(tmp_path: Path) -> None:
    page = tmp_path / "hostile.txt"
    page.write_text("[/bold]标题[link=file:///x]y[/link]\n正文内容，优化营商环境。\n"
                    "\x1b[31m红\x1b]0;t\x07色标题\n正文第二篇。\n", encoding="utf-8")
    result = runner.invoke(app, ["articles", "-f", "table", str(page)])
    assert result.exit_code == 0, result.stderr
    assert "[/bold]标题[link=file:///x]y[/link]" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    body = json.loads(runner.invoke(app, ["articles", "--text", "-f", "json", str(page)]).stdout)
    text = body["documents"][0]["articles"][0]["body"]
    assert "红色标题" in text and "\x1b" not in text and "31m" not in text


# ---------------------------------------------------------------------------------------------
# Streams and processes: things CliRunner cannot show
# ---------------------------------------------------------------------------------------------
def _cli(*args: str, **kw):
    env = dict(os.environ, NO_COLOR="1", **kw.pop("env", {}))
    return subprocess.run([sys.executable, "-m", "policytext.cli", *args], capture_output=True,
                          env=env, timeout=120, **kw)


def test_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(battery.SEED_TEXT * 400, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "policytext.cli", "segment", "-f", "jsonl",
                             "--no-split", str(big), str(big.with_name("big2.txt"))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, NO_COLOR="1"))
    big.with_name("big2.txt").write_text(battery.SEED_TEXT * 400, encoding="utf-8")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code in (0, 141, -signal.SIGPIPE)


def test_closed_stdin(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c",
         "import os,sys; os.close(0); from policytext.cli.app import main; sys.argv=['policytext','articles','-']; main()"],
        capture_output=True, timeout=120)
    assert b"Traceback" not in proc.stderr
    assert proc.returncode in (1, 3)
    assert b"standard input" in proc.stderr


def test_c_locale(tmp_path: Path) -> None:
    p = tmp_path / "zh.txt"
    p.write_text(battery.SEED_TEXT, encoding="utf-8")
    proc = _cli("articles", "-f", "json", str(p), env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""})
    assert proc.returncode == 0, proc.stderr
    assert "营商环境" in json.dumps(json.loads(proc.stdout.decode("utf-8")), ensure_ascii=False) or \
        "七大攻坚" in proc.stdout.decode("utf-8")


def test_permission_denied_for_a_real_user(tmp_path: Path) -> None:
    """Mode 000 really denies: as root, the process runs without the capabilities that let
    root read any file (setpriv, from util-linux)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(battery.SEED_TEXT, encoding="utf-8")
    secret.chmod(0)
    good = tmp_path / "good.txt"
    good.write_text(battery.SEED_TEXT, encoding="utf-8")
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([*prefix, sys.executable, "-m", "policytext.cli", "articles", "-f", "json",
                           str(secret), str(good)], capture_output=True, env=env, timeout=120)
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert proc.returncode == 1, err
    assert f"{secret}: permission denied" in err
    assert json.loads(proc.stdout)["documents"][0]["source"] == str(good)
