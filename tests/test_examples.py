"""Every example in examples/ runs, on the bundled seeds, and prints what its README line says.

The shell examples need ``policytext`` on PATH (the test puts this interpreter's scripts
directory first) and ``jq`` (Debian's jq is on a fresh machine of this project's kind)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SEEDS

EXAMPLES = ROOT / "examples"


def _env() -> dict[str, str]:
    scripts = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=scripts + os.pathsep + os.environ.get("PATH", ""),
                NO_COLOR="1")


def _run(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(args), capture_output=True, text=True, env=_env(), timeout=600,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return proc


def test_every_example_is_listed_and_tested():
    listed = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    scripts = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".sh", ".py"))
    assert len(scripts) >= 3
    for name in scripts:
        assert f"`{name}" in listed, f"{name} has no README line"
        assert f'"{name}"' in Path(__file__).read_text(encoding="utf-8"), f"{name} untested"


def test_jq_pipeline():
    assert shutil.which("jq"), "jq is missing: apt-get install jq"
    proc = _run("bash", str(EXAMPLES / "jq_pipeline.sh"))
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert 1 <= len(rows) <= 10
    expected = json.loads(_run(sys.executable, "-m", "policytext.cli", "slogans", str(SEEDS),
                               "--min-docs", "2", "-f", "json").stdout)["slogans"][:10]
    assert [r[0] for r in rows] == [s["slogan"] for s in expected]
    assert all(int(r[2]) >= 2 for r in rows)
    assert "高质量发展" in {r[0] for r in rows}


def test_library_api(tmp_path: Path):
    report = tmp_path / "r.html"
    proc = _run(sys.executable, str(EXAMPLES / "library_api.py"), "--report", str(report))
    data = json.loads(proc.stdout)
    docs = data["documents"]
    assert len(docs) == len(list(SEEDS.glob("*.txt"))) and data["errors"] == []
    plan = next(d for d in docs if any("七大攻坚" in t for t in d["articles"]))
    assert any(s["slogan"] == "七大攻坚" for s in plan["slogans"])
    # Figures carry offsets into the cleaned text: check them against load_corpus.
    from policytext.cli import load_corpus

    cleaned = {d.source: d.text for d in load_corpus([str(SEEDS)]).documents}
    n = 0
    for d in docs:
        for f in d["figures"]:
            assert cleaned[d["source"]][f["start"]:f["end"]] == f["text"]
            n += 1
    assert n > 0
    html_text = report.read_text(encoding="utf-8")
    assert html_text.startswith("<!DOCTYPE html>") and "高质量发展" in html_text


def test_compare_groups(tmp_path: Path):
    proc = _run("bash", str(EXAMPLES / "compare_groups.sh"))
    groups = json.loads(proc.stdout)
    by = {g["group"]: g for g in groups}
    assert sorted(by) == ["city_plan", "newspapers"]
    seeds = sorted(SEEDS.glob("*.txt"))
    assert by["city_plan"]["docs"] == 1 and by["newspapers"]["docs"] == len(seeds) - 1
    # The same split made here, run through slogans --by dir directly: each slogan the example
    # calls "only" in a group is counted in that group alone.
    for seed in seeds:
        head = seed.read_text(encoding="utf-8")[:2000]
        group = "city_plan" if "七大攻坚" in head else "newspapers"
        (tmp_path / group).mkdir(exist_ok=True)
        shutil.copy(seed, tmp_path / group / seed.name)
    direct = json.loads(_run(sys.executable, "-m", "policytext.cli", "slogans",
                             str(tmp_path / "newspapers"), str(tmp_path / "city_plan"),
                             "--by", "dir", "-f", "json").stdout)
    counts = {s["slogan"]: s["by_group"] for s in direct["slogans"]}
    for name, g in by.items():
        assert g["only"], name
        for slogan in g["only"]:
            assert [k for k, v in counts[slogan].items() if v] == [str(tmp_path / name)]
    assert by["newspapers"]["rising"] or by["newspapers"]["falling"]
