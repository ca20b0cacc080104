"""``--backend dask``: run reading, cleaning and segmentation chunks as Dask tasks.

The same chunk functions as the local process pool run on the Dask workers
(``policytext.cli.corpus._load_chunk`` and ``_tok_chunk``), and their results are gathered
in input order, so the output is byte-for-byte the local one. Workers read input files
themselves: on a real cluster the paths must be visible to every worker (a shared file
system), and each worker needs policytext installed. The final model (keyword ranking,
clustering) stays on the client.

``--scheduler tcp://HOST:PORT`` connects to a running scheduler; without it a
``distributed.LocalCluster`` (processes, one per core) is started for the run.
"""

from __future__ import annotations

import atexit
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["require", "client", "imap"]

_CLIENTS: dict[str | None, Any] = {}


def require() -> None:
    """Fail with one clear line when the extra is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        from .common import UsageError

        raise UsageError(
            "--backend dask needs the dask extra: pip install 'policytext[dask]'") from None


def client(scheduler: str | None):
    """A Dask client for ``scheduler`` (or a local cluster), one per process and address."""
    c = _CLIENTS.get(scheduler)
    if c is None:
        from distributed import Client, LocalCluster

        from .corpus import cpu_count

        if scheduler:
            try:
                c = Client(scheduler, timeout="10s")
            except OSError as exc:
                from .common import UsageError

                raise UsageError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        else:
            cluster = LocalCluster(n_workers=cpu_count(), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            c = Client(cluster)
        _CLIENTS[scheduler] = c
    return c


@atexit.register
def _close() -> None:
    for c in _CLIENTS.values():
        try:
            cluster = c.cluster
            c.close()
            if cluster is not None:
                cluster.close()
        except Exception:  # pragma: no cover - shutting down anyway
            pass
    _CLIENTS.clear()


def imap(func: Callable[..., Any], tasks: Iterable[tuple], *, scheduler: str | None,
         window: int | None = None) -> Iterator[Any]:
    """``func(*task)`` as Dask tasks, results in task order, a bounded number in flight."""
    c = client(scheduler)
    if window is None:
        window = 2 * max(1, len(c.scheduler_info().get("workers", {})) or 1)
    pending: deque = deque()
    try:
        for task in tasks:
            # None: nothing to compute (answered from the cache on the client)
            pending.append(c.submit(func, *task, pure=False) if task is not None else None)
            if len(pending) >= window:
                fut = pending.popleft()
                yield fut.result() if fut is not None else []
        while pending:
            fut = pending.popleft()
            yield fut.result() if fut is not None else []
    finally:
        for fut in pending:
            if fut is not None:
                fut.cancel()
