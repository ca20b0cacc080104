"""``-o`` targets that are not plain files: a device or pipe is written in place (a temporary
file renamed over ``/dev/null`` would replace the device node for every program on the machine),
and a symlink is written through (the link stays a link)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from policytext.cli.render import Sink, _is_special, write_atomic

from .conftest import SEED_FILES

CLI = [sys.executable, "-m", "policytext.cli"]


def test_devices_and_proc_paths_are_special(tmp_path):
    assert _is_special(Path("/dev/null"))
    assert _is_special(Path("/dev/stdout"))  # whatever stdout is, even a regular file
    plain = tmp_path / "out.json"
    assert not _is_special(plain)
    plain.write_text("x")
    assert not _is_special(plain)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this OS")
def test_numbers_to_a_fifo_keeps_the_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    proc = subprocess.run([*CLI, "numbers", str(SEED_FILES[0]), "-f", "jsonl", "-q",
                           "-o", str(fifo)], capture_output=True, timeout=300)
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].count(b"\n") > 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary left


def test_symlinked_output_is_written_through(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    write_atomic(link, b"\x00bytes")
    assert link.is_symlink() and real.read_bytes() == b"\x00bytes"


def test_failed_write_to_a_symlink_target_leaves_the_old_file(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(RuntimeError), Sink(str(link)) as sink:
        sink.write("half")
        raise RuntimeError("interrupted")
    assert real.read_text() == "old" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]
