"""``policytext articles``: one row per article found in each input."""

from __future__ import annotations

from typing import Annotated

import typer

from ..common import (
    BackendOpt,
    DebugOpt,
    EncodingOpt,
    FormatOpt,
    JobsOpt,
    MaxSizeOpt,
    NoCacheOpt,
    NoSplitOpt,
    OutputOpt,
    PathsArg,
    QuietOpt,
    SchedulerOpt,
    T2sOpt,
    WithErrorsOpt,
    finish,
    guarded,
    load,
    settings_from,
)

app = typer.Typer()


@app.command(
    "articles",
    epilog="Example: policytext articles seeds/ --format json | jq '.articles[].title'",
)
def articles_cmd(
    paths: PathsArg,
    text: Annotated[bool, typer.Option("--text", help="Include each article's cleaned body.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    t2s: T2sOpt = False,
    no_split: NoSplitOpt = False,
    max_size: MaxSizeOpt = 256,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    backend: BackendOpt = "local",
    scheduler: SchedulerOpt = None,
    with_errors: WithErrorsOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Split each input into its articles: newspaper stories (headline, subtitle, byline, body)
    or a government document and its annexes (附件1…)."""
    settings = settings_from(paths, fmt=fmt, output=output, encoding=encoding, t2s=t2s,
                             split=not no_split, max_mb=max_size, jobs=jobs, no_cache=no_cache,
                             backend=backend, scheduler=scheduler, with_errors=with_errors,
                             quiet=quiet, debug=debug)
    with guarded(settings):
        from ..views import articles_output

        corpus = load(settings)
        finish(settings, articles_output(corpus.documents, text=text))
