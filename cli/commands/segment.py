"""``policytext segment``: cleaned, segmented text of each article."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..common import (
    DEFAULT_ENGINE,
    BackendOpt,
    DebugOpt,
    EncodingOpt,
    EngineOpt,
    FormatOpt,
    JobsOpt,
    MaxSizeOpt,
    NoCacheOpt,
    NoPolicyDictOpt,
    NoSplitOpt,
    OutputOpt,
    PathsArg,
    QuietOpt,
    SchedulerOpt,
    StopwordsOpt,
    T2sOpt,
    UserDictOpt,
    WithErrorsOpt,
    extra_stopwords,
    finish,
    guarded,
    load,
    segmenter,
    settings_from,
)

app = typer.Typer()


@app.command(
    "segment",
    epilog="Example: policytext segment seeds/ --format jsonl --pos | head -1",
)
def segment_cmd(
    paths: PathsArg,
    pos: Annotated[bool, typer.Option("--pos", help="Tag each token with its part of speech.")] = False,
    content_only: Annotated[
        bool, typer.Option("--content-only", help="Drop punctuation, numbers, stopwords and formula verbs.")
    ] = False,
    keep_formula_verbs: Annotated[
        bool, typer.Option("--keep-formula-verbs", help="With --content-only, keep 推进/加强/推动….")
    ] = False,
    user_dict: UserDictOpt = None,
    stopwords: StopwordsOpt = None,
    engine: EngineOpt = DEFAULT_ENGINE,
    no_policy_dict: NoPolicyDictOpt = False,
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
    """Clean and segment each article. Tokens are joined by spaces on a terminal; JSON and JSONL
    give token lists (with POS tags under --pos). Policy terms, agency names and figures
    (6.5%, 145亿元, 1—11月) stay whole. JSON and JSONL are written document by document, so
    memory does not grow with the corpus."""
    settings = settings_from(paths, fmt=fmt, output=output, encoding=encoding, t2s=t2s,
                             split=not no_split, user_dicts=user_dict, stopwords=stopwords,
                             engine=engine, policy_dict=not no_policy_dict, max_mb=max_size,
                             jobs=jobs, no_cache=no_cache, backend=backend, scheduler=scheduler,
                             with_errors=with_errors, quiet=quiet, debug=debug)
    with guarded(settings):
        from policytext.analysis.segment import TokenFilter

        from ..common import stdout_is_tty
        from ..corpus import tokenize
        from ..render import choose_format
        from ..views import segment_output

        seg = segmenter(settings)
        flt = None
        if content_only:
            flt = TokenFilter(keep_formula_verbs=keep_formula_verbs,
                              extra_stopwords=extra_stopwords(settings), keep_figures=True)
        fmt_name = choose_format(settings.fmt, settings.output, stdout_tty=stdout_is_tty())
        if fmt_name in ("json", "jsonl"):
            _stream(settings, seg, fmt_name, pos=pos, token_filter=flt)
            return
        corpus = load(settings)
        tokenized = tokenize(corpus.documents, seg, pos=pos)
        finish(settings, segment_output(tokenized, pos=pos, token_filter=flt))


def _stream(settings: Any, seg: Any, fmt: str, *, pos: bool, token_filter: Any) -> None:
    """Read, segment and write one document at a time (same bytes as the buffered path)."""
    from ..common import accept, exit_for_failures, stream_inputs
    from ..corpus import iter_tokenized_corpus
    from ..render import Each, Later, Output, emit
    from ..views import segment_output

    read = stream_inputs(settings)

    def records():
        for result in iter_tokenized_corpus(settings.paths, seg, pos=pos, **read):
            if accept(settings, result):
                yield from segment_output(result[3], pos=pos, token_filter=token_filter).records

    streamed = Each(records())
    data: dict[str, Any] = {"articles": streamed}
    if settings.with_errors:
        data["errors"] = Later(lambda: list(settings.failures))
    emit(Output(data=data, records=streamed), fmt=fmt, output=settings.output,
         inputs=settings.paths)
    exit_for_failures(settings)
