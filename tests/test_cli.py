"""The command line: every input scenario x every output format, exit codes, bad inputs."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEEDS

runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
SEED = SEEDS / "003_852e71a26c244327.txt"


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("policytext ")


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    import pkgutil

    from policytext.cli import commands

    names = {m.name for m in pkgutil.iter_modules(commands.__path__)}
    for name in names:
        mod = __import__(f"policytext.cli.commands.{name}", fromlist=["app"])
        for cmd in mod.app.registered_commands:
            assert cmd.name in result.stdout


def test_every_command_help_ends_with_an_example() -> None:
    import pkgutil

    from policytext.cli import commands

    for m in pkgutil.iter_modules(commands.__path__):
        mod = __import__(f"policytext.cli.commands.{m.name}", fromlist=["app"])
        for cmd in mod.app.registered_commands:
            result = run(cmd.name, "--help")
            assert result.exit_code == 0, cmd.name
            last = [line.strip(" │") for line in result.stdout.strip().splitlines() if line.strip(" │")][-1]
            assert last.startswith("Example: policytext"), (cmd.name, last)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
@pytest.mark.parametrize("scenario", ["file", "dir", "stdin", "glob"])
def test_articles_matrix(fmt: str, scenario: str) -> None:
    if scenario == "file":
        result = run("articles", str(SEED), "-f", fmt)
    elif scenario == "dir":
        result = run("articles", str(SEEDS), "-f", fmt)
    elif scenario == "glob":
        result = run("articles", str(SEEDS / "00[34]_*.txt"), "-f", fmt)
    else:
        result = run("articles", "-", "-f", fmt, input=SEED.read_bytes())
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        data = json.loads(out)
        titles = [a["title"] for d in data["documents"] for a in d["articles"]]
        assert "资兴市织密贫困群众住房保障网" in titles
        ids = [a["doc"] for d in data["documents"] for a in d["articles"]]
        assert len(ids) == len(set(ids))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
        assert any(r["title"] == "资兴市织密贫困群众住房保障网" for r in rows)
        assert all(set(r) >= {"doc", "source", "title", "byline", "chars"} for r in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert any(r["title"] == "资兴市织密贫困群众住房保障网" for r in rows)
    else:
        assert "资兴市织密贫困群众住房保障网" in out


def test_stdin_doc_id_and_source() -> None:
    result = run("articles", "-", "-f", "jsonl", input=SEED.read_bytes())
    first = json.loads(result.stdout.splitlines()[0])
    assert first["source"] == "-"
    assert first["doc"] == "stdin#0"


def test_json_is_byte_identical_whatever_the_input_order() -> None:
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    a = run("articles", *files, "-f", "json").stdout
    b = run("articles", *reversed(files), "-f", "json").stdout
    c = run("articles", *files, "-f", "json").stdout
    assert a == b == c
    assert "\\u" not in a  # CJK unescaped


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("articles", str(SEED), "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["documents"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(SEED.read_bytes())
    before = src.read_bytes()
    result = run("articles", str(src), "-o", str(src))
    assert result.exit_code == 4
    assert "refusing to overwrite" in result.stderr
    assert src.read_bytes() == before


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    bad = {
        "empty.txt": b"",
        "bom.txt": b"\xef\xbb\xbf",
        "binary.txt": bytes(range(256)) * 8,
        "mixed.txt": "政府工作报告优化营商环境".encode() * 20 + "推动高质量发展".encode("gbk") * 20,
        "legacy.doc": b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
    }
    paths = {}
    for name, data in bad.items():
        p = tmp_path / name
        p.write_bytes(data)
        paths[name] = p
    return paths


def test_bad_inputs_fail_one_line_each_and_others_still_processed(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    missing = tmp_path / "missing.txt"
    result = run("articles", str(SEED), *map(str, bad.values()), str(missing), str(tmp_path / "sub"),
                 "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # stdout stays valid
    assert [d["source"] for d in data["documents"]] == [str(SEED)]
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert "Traceback" not in result.stderr
    for p in [*bad.values(), missing]:
        assert sum(1 for l in lines if str(p) in l) == 1, (p, lines)
    assert any("legacy.doc" in l and ".docx" in l for l in lines)


def test_every_input_failed_exit_code(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    result = run("articles", str(bad["empty.txt"]), "-f", "json", "--with-errors")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["documents"] == []
    assert len(data["errors"]) == 1 and "empty.txt" in data["errors"][0]


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "secret.txt"
    p.write_bytes(SEED.read_bytes())
    p.chmod(0)
    real_open = open

    def guarded_open(file, *args, **kwargs):  # root ignores mode 0, so deny it the way a user sees it
        if str(file) == str(p):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    result = run("articles", str(p), str(SEED), "-f", "json")
    assert result.exit_code == 1
    assert f"{p}: permission denied" in result.stderr
    assert json.loads(result.stdout)["documents"][0]["source"] == str(SEED)


def test_unreadable_file_via_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run("articles", str(fifo), str(SEED), "-f", "json")
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr


def test_directory_passed_to_a_file_option(tmp_path: Path) -> None:
    result = run("segment", str(SEED), "--user-dict", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_encoding_is_a_usage_error() -> None:
    result = run("articles", str(SEED), "--encoding", "klingon")
    assert result.exit_code == 2
    assert "unknown encoding" in result.stderr


def test_gbk_file_and_forced_encoding(tmp_path: Path) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    auto = json.loads(run("articles", str(p), "-f", "json").stdout)
    forced = json.loads(run("articles", str(p), "-f", "json", "--encoding", "gb18030").stdout)
    assert auto["documents"][0]["encoding"] == "gb18030"
    assert [a["title"] for a in auto["documents"][0]["articles"]] == \
        [a["title"] for a in forced["documents"][0]["articles"]]


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from policytext.cli.app import app\n"
        "bad = [m for m in ('jieba', 'sklearn', 'numpy', 'scipy', 'rjieba', 'opencc') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_console_script_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "policytext.cli", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("policytext ")


def test_output_file_gets_the_usual_mode_and_a_symlink_loop_input_is_no_crash(tmp_path) -> None:
    """-o writes atomically but not privately (0666 less the umask, like any plain write); a
    symlink-loop input is reported, not turned into an internal error by the overwrite check."""
    import os as _os
    import stat as _stat

    loop_a, loop_b = tmp_path / "a.txt", tmp_path / "b.txt"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    out = tmp_path / "out.json"
    seed = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[1]
    old = _os.umask(0o022)
    try:
        result = CliRunner().invoke(app, ["articles", str(loop_a), str(seed), "-o", str(out)])
    finally:
        _os.umask(old)
    assert result.exit_code == 1, result.stderr
    assert "a.txt" in result.stderr
    assert _stat.S_IMODE(out.stat().st_mode) == 0o644


def test_slogans_and_numbers_compare_years(tmp_path) -> None:
    """--by year groups inputs by the year in their path (gwr-2014.txt) for every command that
    compares groups."""
    (tmp_path / "report-2014.txt").write_text(
        "坚持“三高四新”战略定位。全年地区生产总值增长7.5%。\n" * 3, encoding="utf-8")
    (tmp_path / "report-2015.txt").write_text(
        "落实“一件事一次办”改革。社会消费品零售总额增长6.5%以上。\n" * 3, encoding="utf-8")
    runner = CliRunner()
    slogans = json.loads(runner.invoke(app, ["slogans", str(tmp_path), "--by", "year", "-f",
                                             "json"]).stdout)
    only = {g["group"]: g["only"] for g in slogans["groups"]}
    assert set(only) == {"2014", "2015"}
    assert "三高四新" in only["2014"] and "一件事一次办" in only["2015"]
    numbers = json.loads(runner.invoke(app, ["numbers", str(tmp_path), "--by", "year", "-f",
                                             "json"]).stdout)
    assert {g["group"] for g in numbers["groups"]} == {"2014", "2015"}
