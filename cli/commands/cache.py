"""``policytext cache info|clear``: inspect or empty the cache of cleaned and segmented
documents."""

from __future__ import annotations

import typer

from ..common import DebugOpt, FormatOpt, QuietOpt, finish, guarded, settings_from

app = typer.Typer(
    name="cache",
    help="Inspect or empty the cache of cleaned and segmented documents (a private per-user "
    "directory; POLICYTEXT_CACHE_DIR overrides it).",
    no_args_is_help=True,
)


def _cache():
    from ..cache import Cache
    from ..common import UsageError, cache_dir

    root = cache_dir()
    if root is None:
        raise UsageError("no private cache directory can be made (set POLICYTEXT_CACHE_DIR)")
    return Cache(root)


@app.command("info", epilog="Example: policytext cache info --format json")
def info_cmd(fmt: FormatOpt = None, quiet: QuietOpt = False, debug: DebugOpt = False) -> None:
    """Where the cache is, its mode, how many entries and bytes it holds."""
    settings = settings_from([], fmt=fmt, quiet=quiet, debug=debug)
    with guarded(settings):
        from ..render import Column, Output, Table

        data = _cache().info()
        rows = [{"key": k, "value": str(v)} for k, v in data.items()]
        table = Table(title="policytext cache",
                      columns=[Column("", "key", no_wrap=True), Column("", "value")], rows=rows)
        finish(settings, Output(data=data, records=[data], tables=[table],
                                csv_columns=list(data)))


@app.command("clear", epilog="Example: policytext cache clear")
def clear_cmd(quiet: QuietOpt = False, debug: DebugOpt = False) -> None:
    """Remove every cache entry (and temporary files a killed run left behind)."""
    settings = settings_from([], quiet=quiet, debug=debug)
    with guarded(settings):
        cache = _cache()
        removed = cache.clear()
        if not quiet:
            typer.echo(f"removed {removed} cache files from {cache.objects}")
