"""Run the atheris fuzz target briefly, with a fixed seed and a time budget."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TARGET = Path(__file__).with_name("fuzz_pipeline.py")


def test_fuzz_pipeline_briefly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Start from real text so the fuzzer explores Chinese paths quickly.
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    for i, p in enumerate(sorted(seeds.glob("*.txt"))):
        data = p.read_bytes()
        (corpus / f"seed{i}").write_bytes(b"\x01" + data[:4000])
        (corpus / f"gbk{i}").write_bytes(b"\x00" + data[:3000].decode("utf-8", "ignore").encode("gb18030"))
    proc = subprocess.run(
        [sys.executable, str(TARGET), str(corpus), "-seed=1", "-max_total_time=45", "-timeout=20",
         "-rss_limit_mb=3000", "-max_len=8192", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=300,
    )
    tail = proc.stderr[-3000:]
    assert proc.returncode == 0, tail
    assert "Done" in tail or "DONE" in tail or "done" in tail
