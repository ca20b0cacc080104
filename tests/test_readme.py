"""The README is part of the product: its usage section is generated from the CLI and must not
go stale, its Quick start is exactly two commands, and CI runs the second one verbatim."""

from __future__ import annotations

import re
from pathlib import Path

from . import readme_usage

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_usage_section_matches_the_cli() -> None:
    current = readme_usage.current()
    assert current is not None, "README lost its generated usage block"
    assert current == readme_usage.generate(), (
        "README usage is stale: run `python -m tests.readme_usage --write`"
    )


def test_usage_section_covers_every_command() -> None:
    names = [name for name, _ in readme_usage._commands()]
    assert {"articles", "segment", "slogans"} <= set(names)
    for name in names:
        assert f"### `policytext {name}`" in README


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    main_job, tests = commands
    assert main_job.startswith("python3 -m venv .venv") and "seeds/" in main_job
    assert "pip install" in tests and "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_every_exit_code_in_the_code_is_documented() -> None:
    from policytext.cli import common

    codes = {v for k, v in vars(common).items() if k.startswith("EXIT_")}
    table = README.split("## Exit codes", 1)[1]
    for code in codes:
        assert re.search(rf"^\| {code} \|", table, re.M), f"exit code {code} not in README"


def test_json_shapes_match_real_output() -> None:
    current = readme_usage.current_shapes()
    assert current is not None, "README lost its JSON shapes block"
    assert current == readme_usage.generate_shapes(), (
        "README JSON shapes are stale: run `python -m tests.readme_usage --write`"
    )
