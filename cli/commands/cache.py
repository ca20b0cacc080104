"""``policytext cache info|clear``: inspect or empty the cache of cleaned and segmented
documents."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from ..common import DebugOpt, FormatOpt, QuietOpt, finish, guarded, settings_from

app = typer.Typer()


class Action(str, Enum):
    info = "info"
    clear = "clear"


@app.command("cache", epilog="Example: policytext cache info --format json")
def cache_cmd(
    action: Annotated[Action, typer.Argument(help="info: where the cache is, its mode, entries "
                                             "and bytes. clear: remove every entry.",
                                             case_sensitive=False, show_default=False)],
    fmt: FormatOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Inspect or empty the cache of cleaned and segmented documents: a private per-user
    directory (mode 0700; POLICYTEXT_CACHE_DIR moves it). clear also removes the temporary
    files a killed run may have left."""
    settings = settings_from([], fmt=fmt, quiet=quiet, debug=debug)
    with guarded(settings):
        from ..cache import Cache
        from ..common import UsageError, cache_dir
        from ..render import Column, Output, Table

        root = cache_dir()
        if root is None:
            raise UsageError("no private cache directory can be made (set POLICYTEXT_CACHE_DIR)")
        cache = Cache(root)
        if action == Action.clear:
            removed = cache.clear()
            if not quiet:
                typer.echo(f"removed {removed} cache files from {cache.objects}")
            return
        data = cache.info()
        rows = [{"key": k, "value": str(v)} for k, v in data.items()]
        table = Table(title="policytext cache",
                      columns=[Column("", "key", no_wrap=True), Column("", "value")], rows=rows)
        finish(settings, Output(data=data, records=[data], tables=[table],
                                csv_columns=list(data)))
