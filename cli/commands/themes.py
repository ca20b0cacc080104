"""``policytext themes``: the theme of each article (or paragraph) from the codebook, with the
terms that decided it; ``--list`` shows the codebook itself."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..common import (
    DebugOpt,
    EncodingOpt,
    FormatOpt,
    MaxSizeOpt,
    NoSplitOpt,
    OutputOpt,
    QuietOpt,
    T2sOpt,
    UsageError,
    WithErrorsOpt,
    finish,
    guarded,
    settings_from,
)
from .cluster import ThemesOpt, UnitKind, UnitOpt, load_codebook

app = typer.Typer()


@app.command(
    "themes",
    epilog="Example: policytext themes seeds/ --format csv -o themes.csv; "
    "policytext themes --list --format json",
)
def themes_cmd(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, directories (read recursively) or glob patterns; - reads stdin. "
            "Optional with --list.",
            show_default=False,
        ),
    ] = None,
    list_codebook: Annotated[
        bool, typer.Option("--list", help="Show the codebook: every theme and its terms.")
    ] = False,
    unit: UnitOpt = UnitKind.article,
    themes: ThemesOpt = None,
    top_terms: Annotated[
        int, typer.Option("--terms", help="Deciding terms listed per document.", min=1)
    ] = 5,
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
    """Give every article (or paragraph, with --unit paragraph) its best-matching theme from
    the codebook (产业发展, 民生保障, 营商环境, …) without clustering: the theme whose terms
    weigh most in the text, its share of all the theme evidence (score), and the codebook
    terms that decided it with their counts. Texts with no codebook term get no theme."""
    settings = settings_from(
        paths or [],
        fmt=fmt,
        output=output,
        encoding=encoding,
        t2s=t2s,
        split=not no_split,
        max_mb=max_size,
        with_errors=with_errors,
        quiet=quiet,
        debug=debug,
    )
    with guarded(settings):
        if not paths and not list_codebook:
            raise UsageError("themes: give files to classify, or --list to show the codebook")
        codebook = load_codebook(themes or [], settings)
        rows = None
        if paths:
            rows = []
            for doc in stream_documents(settings):
                rows.extend(classify([doc], codebook, unit.value, top_terms))
        finish(settings, themes_output(codebook, rows, list_codebook))


def stream_documents(settings):
    """The inputs' documents one at a time, in the order ``load`` gives them; failed inputs
    are reported as ``load`` reports them (stderr, ``settings.failures``). Only the rows of
    the documents already classified are kept, so memory does not grow with the texts."""
    from ..common import accept, stream_inputs
    from ..corpus import iter_corpus

    for result in iter_corpus(settings.paths, **stream_inputs(settings)):
        if accept(settings, result):
            yield result[1]


def classify(documents, codebook, unit: str, top_terms: int) -> list[dict[str, Any]]:
    """One record per article (or paragraph): its theme and the deciding terms."""
    from policytext.analysis.cluster import paragraph_documents
    from policytext.analysis.themes import assign_themes

    titles: dict[str, str] = {}
    if unit == "paragraph":
        documents, titles = paragraph_documents(documents)
    arts = [a for d in documents for a in d.articles]
    matches = assign_themes([a.text for a in arts], codebook)
    out = []
    for a, m in zip(arts, matches, strict=True):
        out.append(
            {
                "doc": a.doc,
                "source": a.source,
                "title": titles.get(a.doc, a.title),
                "start": a.start,
                "end": a.end,
                "theme": m.as_dict(),
                "terms": [{"term": t, "count": n} for t, n in m.terms[:top_terms]],
            }
        )
    return out


def themes_output(codebook, rows, list_codebook: bool):
    """``{"themes": [{"id", "name", "terms"}]}`` under ``--list``, and ``{"documents": [{"doc",
    "source", "title", "start", "end", "theme": {"id", "name", "score"} | null, "terms":
    [{"term", "count"}]}]}`` for inputs. JSONL and CSV give one record per document (or per
    theme with ``--list`` alone)."""
    from ..render import Column, Output, Table

    data: dict[str, Any] = {}
    tables = []
    records: list[dict[str, Any]] = []
    csv_columns: list[str] = []
    if list_codebook:
        items = [{"id": t.id, "name": t.name, "terms": list(t.terms)} for t in codebook.themes]
        data["themes"] = items
        tables.append(
            Table(
                title=f"{len(items)} themes",
                columns=[
                    Column("id", "id", no_wrap=True),
                    Column("name", "name", max_width=24),
                    Column("terms", "terms", max_width=90),
                ],
                rows=items,
            )
        )
        if rows is None:
            records = [{**t, "terms": list(t["terms"])} for t in items]
            csv_columns = ["id", "name", "terms"]
    if rows is not None:
        data["documents"] = rows
        records = [
            {
                "doc": r["doc"],
                "source": r["source"],
                "title": r["title"],
                "start": r["start"],
                "end": r["end"],
                "theme": r["theme"]["id"] if r["theme"] else None,
                "theme_name": r["theme"]["name"] if r["theme"] else None,
                "score": r["theme"]["score"] if r["theme"] else None,
                "terms": [f"{t['term']}×{t['count']}" for t in r["terms"]],
            }
            for r in rows
        ]
        csv_columns = ["doc", "source", "title", "start", "end", "theme", "theme_name", "score",
                       "terms"]
        tables.append(
            Table(
                title=f"themes of {len(rows)} documents",
                columns=[
                    Column("doc", "doc", max_width=36),
                    Column("title", "title", max_width=36),
                    Column("theme", "theme_name", max_width=24),
                    Column("score", "score", justify="right"),
                    Column("deciding terms", "terms", max_width=48),
                ],
                rows=records,
            )
        )
    return Output(data=data, records=records, tables=tables, csv_columns=csv_columns)
