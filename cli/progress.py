"""A rich progress bar on stderr for long work, shown only when stderr is a terminal and
``--quiet`` is not given; otherwise every call is a no-op, so pipes and logs stay clean."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["progress", "wanted"]


class _Null:
    def advance(self, n: int = 1) -> None:
        pass


class _Bar:
    def __init__(self, prog, task) -> None:
        self._prog = prog
        self._task = task

    def advance(self, n: int = 1) -> None:
        self._prog.update(self._task, advance=n)


def wanted(quiet: bool, stream=None) -> bool:
    """A bar is drawn only on a terminal, and never under --quiet."""
    stream = sys.stderr if stream is None else stream
    if quiet:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress(enabled: bool, *, total: int | None, label: str,
             stream=None) -> Iterator[_Null | _Bar]:
    """``with progress(enabled, total=n, label="segmenting") as bar: bar.advance(k)``."""
    if not enabled:
        yield _Null()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(file=stream if stream is not None else sys.stderr, highlight=False,
                      markup=False, emoji=False)
    prog = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console, transient=True)
    with prog:
        yield _Bar(prog, prog.add_task(label, total=total))
