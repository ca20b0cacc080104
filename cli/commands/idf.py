"""``policytext idf build``: a background IDF from the user's own corpus, for
``policytext keywords --idf FILE``."""

from __future__ import annotations

from typing import Annotated

import typer

from ..common import (
    DEFAULT_ENGINE,
    EXIT_ALL_FAILED,
    EXIT_PARTIAL,
    BackendOpt,
    DebugOpt,
    EncodingOpt,
    EngineOpt,
    JobsOpt,
    MaxSizeOpt,
    NoCacheOpt,
    NoPolicyDictOpt,
    NoSplitOpt,
    PathsArg,
    QuietOpt,
    SchedulerOpt,
    T2sOpt,
    UsageError,
    UserDictOpt,
    guarded,
    load,
    segmenter,
    settings_from,
)

app = typer.Typer()
idf_app = typer.Typer(
    name="idf",
    help="Background IDF tables for keywords --idf FILE.",
    no_args_is_help=True,
)
app.add_typer(idf_app, name="idf")


@idf_app.command(
    "build",
    epilog="Example: policytext idf build reports/ -o my_idf.tsv && "
    "policytext keywords new/ --idf my_idf.tsv",
)
def build_cmd(
    paths: PathsArg,
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="The IDF file to write (atomically).", metavar="FILE",
                     show_default=False),
    ],
    min_df: Annotated[
        int,
        typer.Option("--min-df", help="Leave out terms seen in fewer than N documents (they take "
                     "the default IDF).", min=1),
    ] = 1,
    user_dict: UserDictOpt = None,
    engine: EngineOpt = DEFAULT_ENGINE,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    backend: BackendOpt = "local",
    scheduler: SchedulerOpt = None,
    no_policy_dict: NoPolicyDictOpt = False,
    encoding: EncodingOpt = None,
    t2s: T2sOpt = False,
    no_split: NoSplitOpt = False,
    max_size: MaxSizeOpt = 256,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Build an IDF table from PATHS: one document per article (per file under --no-split),
    segmented as keywords segments them. idf = ln((1 + docs) / (1 + df)) + 1 (scikit-learn's
    smoothed IDF). The file is term<TAB>idf, sorted, with its document count and default IDF
    in '#' header lines."""
    settings = settings_from(
        paths,
        output=output,
        encoding=encoding,
        t2s=t2s,
        split=not no_split,
        user_dicts=user_dict,
        engine=engine,
        jobs=jobs,
        no_cache=no_cache,
        backend=backend,
        scheduler=scheduler,
        policy_dict=not no_policy_dict,
        max_mb=max_size,
        quiet=quiet,
        debug=debug,
    )
    with guarded(settings):
        from pathlib import Path

        from policytext.analysis.idf import build_idf, serialise_idf

        from ..corpus import tokenize
        from ..render import _check_not_input, write_atomic

        if not output or output == "-":
            raise UsageError("-o FILE: give the file to write the IDF table to")
        target = Path(output)
        _check_not_input(target, settings.paths)
        seg = segmenter(settings)
        corpus = load(settings)
        tokenized = tokenize(corpus.documents, seg)
        docs = [ta.tokens for ta in tokenized if ta.tokens]
        if not docs:
            if not settings.failures:
                raise UsageError("no text in the inputs: nothing to build an IDF from")
            raise typer.Exit(EXIT_ALL_FAILED)
        table = build_idf(docs, min_df=min_df)
        sources = sorted({d.source for d in corpus.documents})
        comment = (
            f"Built by policytext idf build from {len(sources)} input(s), one document per "
            f"{'file' if no_split else 'article'}; engine {settings.engine}, policy dictionary "
            f"{'on' if settings.policy_dict else 'off'}, min df {min_df}."
        )
        write_atomic(target, serialise_idf(table, comment=comment))
        if not settings.quiet:
            typer.echo(f"policytext: wrote {len(table)} terms from {table.n_docs} documents to "
                       f"{output}", err=True)
        if settings.failures:
            ok = settings.inputs_total - len(settings.failures)
            raise typer.Exit(EXIT_ALL_FAILED if ok <= 0 else EXIT_PARTIAL)
