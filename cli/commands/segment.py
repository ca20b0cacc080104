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
    import json
    from dataclasses import replace

    from ..common import EXIT_ALL_FAILED, EXIT_PARTIAL, error_line, run_config, warn
    from ..corpus import iter_tokenized_corpus, set_run
    from ..inputs import resolve
    from ..render import Sink, _dump
    from ..views import segment_output

    specs, errors = resolve(settings.paths)
    run = run_config(settings)
    total = 0
    for spec in specs:
        try:
            total += spec.path.stat().st_size if spec.path is not None else 0
        except OSError:
            pass
    run = replace(run, jobs=run.workers(total))
    set_run(run)
    settings.inputs_total = len(specs) + len(errors)
    settings.failures = []

    def documents():
        for result in iter_tokenized_corpus(
                settings.paths, seg, pos=pos, encoding=settings.encoding, t2s=settings.t2s,
                split=settings.split, max_bytes=settings.max_mb * 1024 * 1024, run=run,
                resolved=(specs, errors)):
            if result[0] == "ok":
                for line in result[2]:
                    warn(settings, line)
                yield result[3]
            else:
                error_line(result[1])
                settings.failures.append(result[1])

    with Sink(settings.output, settings.paths) as out:
        first = True
        if fmt == "json":
            out.write('{\n  "articles": ')
        for tokenized in documents():
            for record in segment_output(tokenized, pos=pos, token_filter=token_filter).records:
                if fmt == "jsonl":
                    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":"),
                                         allow_nan=False) + "\n")
                else:
                    out.write(("[\n" if first else ",\n") + "    " + _dump(record, 2))
                first = False
        if fmt == "json":
            out.write("[]" if first else "\n  ]")
            if settings.with_errors:
                out.write(',\n  "errors": ' + _dump(list(settings.failures), 1))
            out.write("\n}\n")
    if settings.failures:
        ok_inputs = settings.inputs_total - len(settings.failures)
        raise typer.Exit(EXIT_ALL_FAILED if ok_inputs <= 0 else EXIT_PARTIAL)
