"""``policytext slogans``: formulations (提法) — numeric, quoted and fixed terms — with counts,
variants, expansions and keyword-in-context examples."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..common import (
    BY_HELP,
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
    T2sOpt,
    UsageError,
    UserDictOpt,
    WithErrorsOpt,
    finish,
    group_function,
    guarded,
    segmenter,
    settings_from,
    warn,
)

app = typer.Typer()

KINDS = ("numeric", "quoted", "term")



@app.command(
    "slogans",
    epilog="Example: policytext slogans seeds/ --kind numeric --min-docs 2 --export-dict s.dict",
)
def slogans_cmd(
    paths: PathsArg,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only these kinds: numeric, quoted, term (repeatable or comma-separated).",
            show_default=False,
        ),
    ] = None,
    min_count: Annotated[
        int, typer.Option("--min-count", help="Keep slogans seen at least N times.", min=1)
    ] = 1,
    min_docs: Annotated[
        int, typer.Option("--min-docs", help="Keep slogans seen in at least N documents.", min=1)
    ] = 1,
    top: Annotated[
        int, typer.Option("--top", help="Show only the first N slogans (0: all).", min=0)
    ] = 0,
    examples: Annotated[
        int, typer.Option("--examples", help="Contexts (KWIC) kept per slogan.", min=0)
    ] = 3,
    titles: Annotated[
        bool,
        typer.Option("--titles", help="Also list the document titles in 《》 (a separate table)."),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", help=BY_HELP, metavar="file|dir|year|FIELD", show_default=False),
    ] = None,
    export_dict: Annotated[
        str | None,
        typer.Option(
            "--export-dict",
            help="Also write the slogans as a user dictionary for --user-dict.",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    user_dict: UserDictOpt = None,
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
    """Find the formulations (提法) policy texts run on: numeric ones (三高四新, 七大攻坚, 1+1+N),
    quoted campaign phrases (“一件事一次办”) and fixed terms (高质量发展). Quoted speech,
    scare-quoted ordinary words and titles in 《》 are left out; a formulation is never cut
    into fragments. Each slogan has its count, document frequency, surface variants, the
    expansion the text gives (“三个三”，即…) and its first contexts with character offsets."""
    settings = settings_from(
        paths,
        fmt=fmt,
        output=output,
        encoding=encoding,
        t2s=t2s,
        split=not no_split,
        user_dicts=user_dict,
        engine=engine,
        policy_dict=not no_policy_dict,
        max_mb=max_size,
        jobs=jobs,
        no_cache=no_cache,
        backend=backend,
        scheduler=scheduler,
        with_errors=with_errors,
        quiet=quiet,
        debug=debug,
    )
    with guarded(settings):
        kinds = _parse_kinds(kind)
        from policytext.analysis.slogans import Lexicon

        seg = segmenter(settings)
        group_of = group_function(by) if by is not None else None
        result = _slogans(
            settings,
            Lexicon.from_segmenter(seg),
            kinds=kinds,
            min_count=min_count,
            min_docs=min_docs,
            examples=examples,
            titles=titles,
            group_of=group_of,
        )
        slogans = result.slogans[:top] if top else result.slogans
        if export_dict:
            _export(export_dict, slogans, settings)
        finish(
            settings,
            slogans_output(
                slogans, result.titles, result.groups, by=by, titles=titles
            ),
        )


def _slogans(settings, lexicon, **kw: Any):
    """Read the corpus once per pass of the streaming detector (the cache makes the later
    passes cheap), so memory follows one document, not the corpus. Input errors and warnings
    are reported once, after the first pass, in the order ``load`` reports them. Standard input
    cannot be read twice, and repeated document ids need the whole-corpus pass: then the
    documents are read once and kept."""
    from policytext.analysis.slogans import find_slogans, stream_slogans

    from ..common import error_line, stream_inputs
    from ..corpus import iter_corpus
    from ..inputs import doc_ids

    read = stream_inputs(settings)
    specs = read["resolved"][0]
    ids = list(doc_ids(specs).values())
    reported = [False]

    def documents():
        report = not reported[0]  # the first pass read to the end reports
        warnings: list[str] = []
        failures: list[str] = []
        for result in iter_corpus(settings.paths, **read):
            if result[0] == "ok":
                if report:
                    warnings.extend(result[2])
                yield result[1]
            elif report:
                failures.append(result[1])
        if report:
            reported[0] = True
            settings.failures = failures
            for line in failures:
                error_line(line)
            for line in warnings:
                warn(settings, line)

    if any(spec.path is None for spec in specs) or len(set(ids)) != len(ids):
        return find_slogans(list(documents()), lexicon, **kw)
    return stream_slogans(documents, lexicon, doc_ids=ids, spill=_FileSpill, **kw)


class _FileSpill:
    """The per-document records of the streaming detector, pickled one after another in an
    anonymous temporary file (gone when closed or at exit) and read back in order: memory
    holds one record, not the corpus."""

    def __init__(self) -> None:
        import tempfile

        self._fh = tempfile.TemporaryFile(prefix="policytext-slogans-")
        self._n = 0

    def append(self, record: Any) -> None:
        import pickle

        # one dumps per record: a Pickler kept open would remember every object it wrote
        self._fh.write(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        self._n += 1

    def __iter__(self):
        import pickle

        self._fh.flush()
        self._fh.seek(0)
        for _ in range(self._n):
            yield pickle.load(self._fh)

    def close(self) -> None:
        self._fh.close()


def _parse_kinds(values: list[str] | None) -> tuple[str, ...]:
    if not values:
        return KINDS
    kinds: list[str] = []
    for v in values:
        for part in v.split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in KINDS:
                raise UsageError(f"--kind: {part!r} is not a kind; choose from {', '.join(KINDS)}")
            kinds.append(part)
    return tuple(kinds) or KINDS


def _export(path: str, slogans, settings) -> None:
    from pathlib import Path

    from policytext.analysis.slogans import dictionary_lines

    from ..render import _check_not_input, write_atomic

    lines = dictionary_lines(slogans)
    header = (
        "# policytext slogans: user dictionary (term frequency POS); load it with "
        "--user-dict so segmentation keeps these slogans whole\n"
    )
    target = Path(path)
    _check_not_input(target, settings.paths)
    write_atomic(target, header + "".join(line + "\n" for line in lines))
    warn(settings, f"wrote {len(lines)} slogans to {path}")


def _example(e) -> dict[str, Any]:
    return {"doc": e.doc, "source": e.source, "start": e.start, "end": e.end, "context": e.context}


def slogans_output(slogans, title_list, groups, *, by: str | None, titles: bool = False):
    """``{"slogans": [...], "titles": [...], "groups": [...]}``.

    A slogan is ``{"slogan", "kind", "count", "docs", "variants", "expansion", "examples":
    [{"doc", "source", "start", "end", "context"}]}``, plus ``"by_group": {group: count}``
    under ``--by``. ``titles`` (under ``--titles``) are ``{"title", "count", "docs",
    "examples"}``; ``groups`` (under ``--by``) are ``{"group", "docs", "chars", "slogans",
    "only", "rising", "falling"}``. JSONL and CSV give one record per slogan."""
    from ..render import Column, Output, Table

    items = []
    records = []
    for s in slogans:
        rec: dict[str, Any] = {
            "slogan": s.slogan,
            "kind": s.kind,
            "count": s.count,
            "docs": s.docs,
            "variants": list(s.variants),
            "expansion": s.expansion,
            "examples": [_example(e) for e in s.examples],
        }
        if by:
            rec["by_group"] = dict(s.by_group)
        items.append(rec)
        first = s.examples[0] if s.examples else None
        flat = {
            "slogan": s.slogan,
            "kind": s.kind,
            "count": s.count,
            "docs": s.docs,
            "variants": list(s.variants),
            "expansion": s.expansion,
            "doc": first.doc if first else None,
            "source": first.source if first else None,
            "start": first.start if first else None,
            "end": first.end if first else None,
            "context": first.context if first else None,
        }
        if by:
            flat["by_group"] = dict(s.by_group)
        records.append(flat)
    title_items = [
        {
            "title": t.title,
            "count": t.count,
            "docs": t.docs,
            "examples": [_example(e) for e in t.examples],
        }
        for t in title_list
    ]
    group_items = [
        {
            "group": g.group,
            "docs": g.docs,
            "chars": g.chars,
            "slogans": g.slogans,
            "only": list(g.only),
            "rising": list(g.rising),
            "falling": list(g.falling),
        }
        for g in groups
    ]
    rows = []
    for rec, flat in zip(items, records, strict=True):
        ex = f"{flat['context']}  [{flat['doc']}:{flat['start']}]" if flat["context"] else ""
        rows.append(
            {**rec, "variants": [v for v in rec["variants"] if v != rec["slogan"]], "example": ex}
        )
    tables = [
        Table(
            title=f"{len(items)} slogans",
            columns=[
                Column("slogan", "slogan", max_width=24),
                Column("kind", "kind", no_wrap=True),
                Column("count", "count", justify="right"),
                Column("docs", "docs", justify="right"),
                Column("variants", "variants", max_width=24),
                Column("expansion", "expansion", max_width=36),
                Column("first context", "example", max_width=60),
            ],
            rows=rows,
        )
    ]
    if titles:
        tables.append(
            Table(
                title=f"{len(title_items)} titles in 《》",
                columns=[
                    Column("title", "title", max_width=60),
                    Column("count", "count", justify="right"),
                    Column("docs", "docs", justify="right"),
                ],
                rows=title_items,
            )
        )
    if by:
        tables.append(
            Table(
                title=f"slogans by {by}",
                columns=[
                    Column("group", "group", max_width=40),
                    Column("docs", "docs", justify="right"),
                    Column("slogans", "slogans", justify="right"),
                    Column("only here", "only", max_width=40),
                    Column("rising", "rising", max_width=30),
                    Column("falling", "falling", max_width=30),
                ],
                rows=group_items,
            )
        )
    csv_cols = [
        "slogan",
        "kind",
        "count",
        "docs",
        "variants",
        "expansion",
        "doc",
        "source",
        "start",
        "end",
        "context",
    ] + (["by_group"] if by else [])
    return Output(
        data={"slogans": items, "titles": title_items, "groups": group_items},
        records=records,
        tables=tables,
        csv_columns=csv_cols,
    )


def report_data(corpus, seg) -> dict[str, Any]:
    """The slogans JSON with default options, for ``policytext report`` and ``plot``; each
    slogan carries ``by_group`` counts per input file so the report can list each document's
    slogans."""
    from policytext.analysis.slogans import Lexicon, find_slogans

    result = find_slogans(
        corpus.documents, Lexicon.from_segmenter(seg), group_of=group_function("file")
    )
    return slogans_output(result.slogans, result.titles, result.groups, by="file").data
