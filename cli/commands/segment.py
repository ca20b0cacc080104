"""``policytext segment``: cleaned, segmented text of each article."""

from __future__ import annotations

from typing import Annotated

import typer

from ..common import (
    DebugOpt, EncodingOpt, EngineOpt, Engine, FormatOpt, MaxSizeOpt, NoPolicyDictOpt, NoSplitOpt,
    OutputOpt, PathsArg, QuietOpt, StopwordsOpt, T2sOpt, UserDictOpt, WithErrorsOpt,
    extra_stopwords, finish, guarded, load, segmenter, settings_from,
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
    engine: EngineOpt = Engine.jieba,
    no_policy_dict: NoPolicyDictOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    t2s: T2sOpt = False,
    no_split: NoSplitOpt = False,
    max_size: MaxSizeOpt = 256,
    with_errors: WithErrorsOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Clean and segment each article. Tokens are joined by spaces on a terminal; JSON and JSONL
    give token lists (with POS tags under --pos). Policy terms, agency names and figures
    (6.5%, 145亿元, 1—11月) stay whole."""
    settings = settings_from(paths, fmt=fmt, output=output, encoding=encoding, t2s=t2s,
                             split=not no_split, user_dicts=user_dict, stopwords=stopwords,
                             engine=engine, policy_dict=not no_policy_dict, max_mb=max_size,
                             with_errors=with_errors, quiet=quiet, debug=debug)
    with guarded(settings):
        from policytext.analysis.segment import TokenFilter

        from ..corpus import tokenize
        from ..views import segment_output

        seg = segmenter(settings)
        flt = None
        if content_only:
            flt = TokenFilter(keep_formula_verbs=keep_formula_verbs,
                              extra_stopwords=extra_stopwords(settings), keep_figures=True)
        corpus = load(settings)
        tokenized = tokenize(corpus.documents, seg, pos=pos)
        finish(settings, segment_output(tokenized, pos=pos, token_filter=flt))
