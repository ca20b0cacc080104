"""``policytext numbers``: every target and achievement as a structured, exact record —
indicator, value, unit, qualifier, kind and period, with offsets into the cleaned source."""

from __future__ import annotations

from collections.abc import Iterator
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
    error_line,
    exit_for_failures,
    group_function,
    guarded,
    run_config,
    segmenter,
    settings_from,
    stdout_is_tty,
    warn,
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
    (1—11月, 2023年). Chinese numerals (两万余名, 三成, 百分之三十五) are read exactly. Shares
    (三分之一, 1/3, 万分之三) are percentages, rounded to two decimals when they do not end
    (三分之一 → 33.33 %). Figures written back to back are each read (民生实事9件20项 → 9件
    and 20项), and a list shares its change (分别增长12.5%、8.3%和6% → all three 增长).
    Formulations (一带一路, 七大攻坚), ordinals, list numbers and dates are not figures."""
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
        of_document = group_function(by) if by is not None else None
        from policytext.cli.render import choose_format, emit

        if user_dict:
            segmenter(settings)  # figures need no segmentation; this checks the files exist
        out = _streamed_output(settings, kinds=kinds, indicator=indicator,
                               recurring=recurring, of_document=of_document, by=by)
        emit(out, fmt=choose_format(settings.fmt, settings.output, stdout_tty=stdout_is_tty()),
             output=settings.output, inputs=settings.paths)
        exit_for_failures(settings)


# --- streaming: one document at a time ------------------------------------------------------


def _documents(settings) -> Iterator[Any]:
    """The readable inputs one at a time, in the order :func:`find_numbers` sorts figures in
    (by document id, see ``doc_order_key``), each failed input reported on stderr as it is met.
    When the iterator is exhausted, ``settings.failures`` lists the failed inputs in the order
    ``load`` gives (unresolvable paths first, then by source). Options are checked here, before
    anything is written, so that a usage error prints nothing on stdout."""
    from policytext.analysis.decode import canonical_encoding
    from policytext.analysis.numbers import doc_order_key

    from ..corpus import iter_corpus, set_run
    from ..inputs import doc_ids, resolve

    if settings.encoding:  # as ``load`` does, before anything is read
        try:
            canonical_encoding(settings.encoding)
        except LookupError:
            raise typer.BadParameter(f"unknown encoding {settings.encoding!r}",
                                     param_hint="--encoding") from None
    specs, errors = resolve(settings.paths)
    run = run_config(settings)
    set_run(run)
    settings.inputs_total = len(specs) + len(errors)
    settings.failures = []
    ids = doc_ids(specs)
    order = sorted(range(len(specs)), key=lambda i: doc_order_key(ids[specs[i].source]))
    results = iter_corpus(settings.paths, encoding=settings.encoding, t2s=settings.t2s,
                          split=settings.split, max_bytes=settings.max_mb * 1024 * 1024,
                          run=run, resolved=([specs[i] for i in order], errors))

    def documents() -> Iterator[Any]:
        failed: list[tuple[int, int, str]] = []
        for n, result in enumerate(results):  # one result per input, resolve errors first
            if result[0] == "ok":
                for line in result[2]:
                    warn(settings, line)
                yield result[1]
            else:
                error_line(result[1])
                settings.failures.append(result[1])
                rank = (0, n) if n < len(errors) else (1, order[n - len(errors)])
                failed.append((*rank, result[1]))
        failed.sort()
        settings.failures = [line for _, _, line in failed]

    return documents()


class _Recurring:
    """``_recurring`` without holding the figures: each occurrence goes to an unnamed temporary
    file (gone when the run ends, whatever happens), and only the file offsets are kept per
    (indicator, value, unit)."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile()
        self._at: dict[tuple[str, str, str], Any] = {}
        self._names: dict[str, str] = {}
        self._pos = 0

    def add(self, f) -> None:
        import json
        from array import array

        if not f.indicator:
            return
        line = json.dumps([f.doc, f.source, f.start, f.end, f.context]).encode("ascii") + b"\n"
        key = (self._names.setdefault(f.indicator, f.indicator), f.value, f.unit)
        at = self._at.get(key)
        if at is None:
            self._at[key] = self._pos
        elif isinstance(at, int):
            self._at[key] = array("q", (at, self._pos))
        else:
            at.append(self._pos)
        self._file.write(line)
        self._pos += len(line)

    def items(self) -> Iterator[dict[str, Any]]:
        import json

        self._file.flush()
        keys = [(k, at) for k, at in self._at.items() if not isinstance(at, int)]
        keys.sort(key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1], kv[0][2]))
        for (ind, value, unit), at in keys:
            occurrences = []
            for pos in at:
                self._file.seek(pos)
                doc, source, start, end, context = json.loads(self._file.readline())
                occurrences.append({"doc": doc, "source": source, "start": start, "end": end,
                                    "context": context})
            yield {"indicator": ind, "value": value, "unit": unit, "count": len(at),
                   "occurrences": occurrences}


class _Groups:
    """``_groups`` without holding the figures: the group of each document and figure counts
    per group and kind in memory (one entry per group); the (indicator, group, value) triples
    behind ``compare`` in a temporary on-disk SQLite table (gone when the run ends), so that
    ``--by file`` over many documents does not grow with indicators x documents."""

    _BATCH = 5000

    def __init__(self, of_document) -> None:
        self._of_document = of_document
        self._group_of_id: dict[str, str] = {}  # as source_of: the last document with an id
        self._group_of_source: dict[str, str] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._names: dict[str, str] = {}
        self._db: Any = None
        self._rows: list[tuple[bytes, bytes, bytes, int]] = []
        self._seq = 0

    def documents(self, docs) -> Iterator[Any]:
        for d in docs:
            g = self._of_document(d)
            g = self._names.setdefault(g, g)
            self._group_of_id[d.id] = g
            self._group_of_source[d.source] = g
            yield d

    def add(self, f) -> None:
        g = self._group_of_source[f.source]
        self._counts.setdefault(g, {k: 0 for k in KINDS})[f.kind] += 1
        if f.indicator:
            self._rows.append((_b(f.indicator), _b(g), _b(f"{f.value}{f.unit}"), self._seq))
            self._seq += 1
            if len(self._rows) >= self._BATCH:
                self._flush()

    def _flush(self) -> None:
        import sqlite3

        if self._db is None:
            self._db = sqlite3.connect("")  # a private temporary database on disk
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("PRAGMA temp_store=FILE")
            self._db.execute("CREATE TABLE t (ind BLOB, g BLOB, v BLOB, seq INTEGER)")
        if self._rows:
            self._db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", self._rows)
            self._rows = []

    def groups(self) -> list[dict[str, Any]]:
        docs: dict[str, int] = {}
        for g in self._group_of_id.values():
            docs[g] = docs.get(g, 0) + 1
        counts = dict(self._counts)
        for g in docs:
            counts.setdefault(g, {k: 0 for k in KINDS})
        return [
            {
                "group": g,
                "docs": docs.get(g, 0),
                "numbers": sum(counts[g].values()),
                "target": counts[g]["target"],
                "actual": counts[g]["actual"],
                "other": counts[g]["other"],
            }
            for g in sorted(counts)
        ]

    def compare(self) -> Iterator[dict[str, Any]]:
        """Indicators seen in 2+ groups, most groups first, then by indicator; per group (in
        order) the distinct values in order of first appearance."""
        self._flush()
        db = self._db
        db.execute("CREATE INDEX t_ind ON t (ind, g, seq)")
        spread = [(_s(ind), ind, n) for ind, n in db.execute(
            "SELECT ind, COUNT(DISTINCT g) FROM t GROUP BY ind HAVING COUNT(DISTINCT g) > 1")]
        spread.sort(key=lambda r: (-r[2], r[0]))
        for name, ind, _ in spread:
            per: dict[str, dict[str, None]] = {}
            for g, v in db.execute("SELECT g, v FROM t WHERE ind = ? ORDER BY g, seq", (ind,)):
                per.setdefault(_s(g), {}).setdefault(_s(v))
            yield {"indicator": name, "by_group": {g: list(per[g]) for g in sorted(per)}}
        db.close()


def _b(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _s(b: bytes) -> str:
    return b.decode("utf-8", "surrogatepass")


def _streamed_output(settings, *, kinds, indicator, recurring, of_document, by):
    """What :func:`numbers_output` gives, as a streamed Output: figures are found and written
    document by document; the indicator summary (and --recurring, --by) come after them."""
    from policytext.analysis.numbers import IndicatorTally, iter_numbers

    from ..render import Each, Later, Output

    tally = IndicatorTally()
    rec = _Recurring() if recurring else None
    grp = _Groups(of_document) if of_document is not None else None

    docs = _documents(settings)  # checks the options now, reads nothing yet
    if grp is not None:
        docs = grp.documents(docs)

    def records() -> Iterator[dict[str, Any]]:
        for f in iter_numbers(docs, kinds=kinds, indicator=indicator):
            tally.add(f)
            if rec is not None:
                rec.add(f)
            if grp is not None:
                grp.add(f)
            yield _record(f)

    each = Each(records())
    indicators = Later(lambda: _indicators(tally.result()))
    data: dict[str, Any] = {"numbers": each, "indicators": indicators}
    if rec is not None:
        data["recurring"] = Later(lambda: Each(rec.items()))
    if grp is not None:
        data["groups"] = Later(grp.groups)
        data["compare"] = Later(lambda: Each(grp.compare()))
    if settings.with_errors:
        data["errors"] = Later(lambda: list(settings.failures))

    def tables(rows: list[dict[str, Any]]):
        return _tables(
            indicators.get(), rows,
            rec=list(rec.items()) if rec is not None else None,
            groups=(grp.groups(), list(grp.compare())) if grp is not None else None, by=by,
        )

    return Output(data=data, records=each, tables=tables, csv_columns=CSV_COLUMNS)


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
    "text", "indicator", "value", "unit", "qualifier", "direction", "kind", "period",
    "context"}``; an indicator is ``{"indicator", "count", "docs", "values"}``. JSONL and CSV
    give one record per figure."""
    from policytext.analysis.numbers import summarize
    from policytext.cli.render import Output

    records = [_record(f) for f in figures]
    indicators = _indicators(summarize(figures))
    data: dict[str, Any] = {"numbers": records, "indicators": indicators}
    rec = None
    groups = None
    if recurring:
        rec = _recurring(figures)
        data["recurring"] = rec
    if by and group_of is not None:
        groups = _groups(figures, group_of, source_of or {})
        data["groups"] = groups[0]
        data["compare"] = groups[1]
    tables = _tables(indicators, records, rec=rec, groups=groups, by=by)
    return Output(data=data, records=records, tables=tables, csv_columns=CSV_COLUMNS)


def _indicators(summary) -> list[dict[str, Any]]:
    return [
        {"indicator": s.indicator, "count": s.count, "docs": s.docs, "values": list(s.values)}
        for s in summary
    ]


def _tables(indicators, records, *, rec=None, groups=None, by=None):
    """The terminal's tables (rows kept in memory: a person reads them)."""
    from policytext.cli.render import Column, Table

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
    if rec is not None:
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
    if groups is not None:
        groups, compare = groups
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
    return tables


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
