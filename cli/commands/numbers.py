"""``policytext numbers``: every target and achievement as a structured, exact record —
indicator, value, unit, qualifier, kind and period, with offsets into the cleaned source."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from policytext.cli.common import (
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
    load,
    segmenter,
    settings_from,
)

app = typer.Typer()

KINDS = ("target", "actual", "other")
_KIND_ALIASES = {"achievement": "actual", "achieved": "actual"}
CSV_COLUMNS = [
    "doc",
    "source",
    "start",
    "end",
    "text",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "direction",
    "kind",
    "period",
    "context",
]



@app.command(
    "numbers",
    epilog="Example: policytext numbers seeds/ --kind target --indicator 增加值 -f csv -o t.csv",
)
def numbers_cmd(
    paths: PathsArg,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only these kinds: target, actual (or achievement), other (repeatable or "
            "comma-separated).",
            show_default=False,
        ),
    ] = None,
    indicator: Annotated[
        str | None,
        typer.Option(
            "--indicator",
            help="Only figures whose indicator contains this text (e.g. 增加值).",
            metavar="SUBSTRING",
            show_default=False,
        ),
    ] = None,
    recurring: Annotated[
        bool,
        typer.Option(
            "--recurring",
            help="Also list the same indicator and value found in more than one place.",
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", help=BY_HELP, metavar="file|dir|year|FIELD", show_default=False),
    ] = None,
    user_dict: UserDictOpt = None,
    engine: EngineOpt = DEFAULT_ENGINE,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    backend: BackendOpt = "local",
    scheduler: SchedulerOpt = None,
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
    """Every figure as a record: the exact span, what it measures (社会消费品零售总额), the exact
    value in base units (145亿元 → 14500000000 元), qualifier (以上, 余, 近…), kind (target from
    力争/确保/目标 and plans, actual from 完成/同比/累计 and reports, other) and period
    (1—11月, 2023年). Chinese numerals (两万余名, 三成, 百分之三十五) are read exactly;
    formulations (一带一路, 七大攻坚), ordinals, list numbers and dates are not figures."""
    settings = settings_from(
        paths,
        fmt=fmt,
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
        max_mb=max_size,
        with_errors=with_errors,
        quiet=quiet,
        debug=debug,
    )
    with guarded(settings):
        kinds = _parse_kinds(kind)
        from policytext.analysis.numbers import find_numbers

        if user_dict:
            segmenter(settings)  # figures need no segmentation; this checks the files exist
        corpus = load(settings)
        figures = find_numbers(corpus.documents, kinds=kinds, indicator=indicator)
        group_of = None
        if by is not None:
            of_document = group_function(by)
            document_of = {d.source: d for d in corpus.documents}
            group_of = lambda source: of_document(document_of[source])  # noqa: E731
        source_of = {d.id: d.source for d in corpus.documents}
        finish(
            settings,
            numbers_output(
                figures,
                recurring=recurring,
                group_of=group_of,
                by=by,
                source_of=source_of,
            ),
        )


def _parse_kinds(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    kinds: list[str] = []
    for v in values:
        for part in v.split(","):
            part = part.strip().lower()
            if not part:
                continue
            part = _KIND_ALIASES.get(part, part)
            if part not in KINDS:
                raise UsageError(f"--kind: {part!r} is not a kind; choose from {', '.join(KINDS)}")
            if part not in kinds:
                kinds.append(part)
    return tuple(kinds) or None


def _record(f) -> dict[str, Any]:
    return {
        "doc": f.doc,
        "source": f.source,
        "start": f.start,
        "end": f.end,
        "text": f.text,
        "indicator": f.indicator,
        "value": f.value,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "direction": f.direction,
        "kind": f.kind,
        "period": f.period,
        "context": f.context,
    }


def _recurring(figures) -> list[dict[str, Any]]:
    """The same indicator, value and unit in more than one place."""
    seen: dict[tuple[str, str, str], list] = {}
    for f in figures:
        if f.indicator:
            seen.setdefault((f.indicator, f.value, f.unit), []).append(f)
    out = [
        {
            "indicator": k[0],
            "value": k[1],
            "unit": k[2],
            "count": len(fs),
            "occurrences": [
                {
                    "doc": f.doc,
                    "source": f.source,
                    "start": f.start,
                    "end": f.end,
                    "context": f.context,
                }
                for f in fs
            ],
        }
        for k, fs in seen.items()
        if len(fs) > 1
    ]
    out.sort(key=lambda r: (-r["count"], r["indicator"], r["value"], r["unit"]))
    return out


def _groups(figures, group_of, source_of) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per group: how many figures of each kind; per indicator seen in 2+ groups: its values."""
    docs: dict[str, set[str]] = {}
    for doc_id, source in source_of.items():
        docs.setdefault(group_of(source), set()).add(doc_id)
    counts: dict[str, dict[str, int]] = {g: {k: 0 for k in KINDS} for g in docs}
    by_ind: dict[str, dict[str, list[str]]] = {}
    for f in figures:
        g = group_of(f.source)
        counts.setdefault(g, {k: 0 for k in KINDS})[f.kind] += 1
        if f.indicator:
            vals = by_ind.setdefault(f.indicator, {}).setdefault(g, [])
            v = f"{f.value}{f.unit}"
            if v not in vals:
                vals.append(v)
    groups = [
        {
            "group": g,
            "docs": len(docs.get(g, ())),
            "numbers": sum(counts[g].values()),
            "target": counts[g]["target"],
            "actual": counts[g]["actual"],
            "other": counts[g]["other"],
        }
        for g in sorted(counts)
    ]
    compare = [
        {"indicator": ind, "by_group": {g: per[g] for g in sorted(per)}}
        for ind, per in sorted(by_ind.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len(per) > 1
    ]
    return groups, compare


def numbers_output(
    figures,
    *,
    recurring: bool = False,
    group_of=None,
    by: str | None = None,
    source_of: dict[str, str] | None = None,
):
    """``{"numbers": [...], "indicators": [...]}`` (+ ``"recurring"`` under --recurring,
    ``"groups"`` and ``"compare"`` under --by). A number is ``{"doc", "source", "start", "end",
    "text", "indicator", "value", "unit", "qualifier", "direction", "kind", "period", "context"}``; an
    indicator is ``{"indicator", "count", "docs", "values"}``. JSONL and CSV give one record per
    figure."""
    from policytext.analysis.numbers import summarize
    from policytext.cli.render import Column, Output, Table

    records = [_record(f) for f in figures]
    summary = summarize(figures)
    indicators = [
        {"indicator": s.indicator, "count": s.count, "docs": s.docs, "values": list(s.values)}
        for s in summary
    ]
    data: dict[str, Any] = {"numbers": records, "indicators": indicators}
    tables = [
        Table(
            title=f"{len(indicators)} indicators",
            columns=[
                Column("indicator", "indicator", max_width=30),
                Column("count", "count", justify="right"),
                Column("docs", "docs", justify="right"),
                Column("values", "values", max_width=60),
            ],
            rows=indicators,
        ),
        Table(
            title=f"{len(records)} figures",
            columns=[
                Column("figure", "text", max_width=16),
                Column("indicator", "indicator", max_width=24),
                Column("value", "value", justify="right", max_width=24),
                Column("unit", "unit", no_wrap=True),
                Column("qualifier", "qualifier", no_wrap=True),
                Column("direction", "direction", no_wrap=True),
                Column("kind", "kind", no_wrap=True),
                Column("period", "period", max_width=12),
                Column("where", "where", max_width=28),
            ],
            rows=[{**r, "where": f"{r['doc']}:{r['start']}"} for r in records],
        ),
    ]
    if recurring:
        rec = _recurring(figures)
        data["recurring"] = rec
        tables.append(
            Table(
                title=f"{len(rec)} recurring figures",
                columns=[
                    Column("indicator", "indicator", max_width=30),
                    Column("value", "value", justify="right"),
                    Column("unit", "unit", no_wrap=True),
                    Column("count", "count", justify="right"),
                    Column("where", "where", max_width=60),
                ],
                rows=[
                    {**r, "where": ", ".join(f"{o['doc']}:{o['start']}" for o in r["occurrences"])}
                    for r in rec
                ],
            )
        )
    if by and group_of is not None:
        groups, compare = _groups(figures, group_of, source_of or {})
        data["groups"] = groups
        data["compare"] = compare
        tables.append(
            Table(
                title=f"figures by {by}",
                columns=[
                    Column("group", "group", max_width=40),
                    Column("docs", "docs", justify="right"),
                    Column("figures", "numbers", justify="right"),
                    Column("target", "target", justify="right"),
                    Column("actual", "actual", justify="right"),
                    Column("other", "other", justify="right"),
                ],
                rows=groups,
            )
        )
        tables.append(
            Table(
                title=f"{len(compare)} indicators in more than one {by}",
                columns=[
                    Column("indicator", "indicator", max_width=30),
                    Column("values by group", "values", max_width=80),
                ],
                rows=[
                    {
                        "indicator": c["indicator"],
                        "values": "; ".join(
                            f"{g}: {', '.join(v)}" for g, v in c["by_group"].items()
                        ),
                    }
                    for c in compare
                ],
            )
        )
    return Output(data=data, records=records, tables=tables, csv_columns=CSV_COLUMNS)


def report_data(corpus, seg) -> dict[str, Any]:
    """What ``numbers --format json`` gives with default options, for the HTML report."""
    from policytext.analysis.numbers import find_numbers

    del seg  # figures are found on the text itself, not on tokens
    return numbers_output(find_numbers(corpus.documents)).data


def fuzz_entry(doc) -> None:
    """Run the pure analysis on one document (the atheris target calls the analysis module's
    hook of the same name; this one is for callers that look commands up)."""
    from policytext.analysis.numbers import fuzz_entry as run

    run(doc)
