"""Command results as :class:`~.render.Output`: JSON shapes, flat records and table specs.

Each function here is the documented JSON shape of one command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policytext.analysis.models import Document, TokenizedArticle

from .render import Column, Output, Table


def article_record(doc: Document, art, *, text: bool) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "doc": art.doc,
        "source": art.source,
        "index": art.index,
        "label": art.label,
        "title": art.title,
        "subtitle": art.subtitle,
        "byline": art.byline,
        "chars": len(art.body),
        "start": art.start,
        "end": art.end,
        "spans": [[s.start, s.end, s.role] for s in art.spans],
    }
    if text:
        rec["body"] = art.body
    return rec


def articles_output(documents: Sequence[Document], *, text: bool = False) -> Output:
    """``{"documents": [{"doc", "source", "encoding", "meta", "articles": [...]}]}``; JSONL and
    CSV give one record per article."""
    docs = []
    records = []
    for doc in documents:
        arts = [article_record(doc, a, text=text) for a in doc.articles]
        docs.append({
            "doc": doc.id,
            "source": doc.source,
            "encoding": doc.encoding,
            "chars": len(doc.text),
            "meta": dict(doc.meta),
            "articles": arts,
        })
        records.extend(arts)
    table = Table(
        title=f"{len(records)} articles in {len(docs)} documents",
        columns=[
            Column("doc", "doc", no_wrap=True),
            Column("source", "source", max_width=30),
            Column("title", "title", max_width=48),
            Column("byline", "byline", max_width=24),
            Column("chars", "chars", justify="right"),
        ],
        rows=records,
    )
    csv_cols = ["doc", "source", "index", "label", "title", "subtitle", "byline", "chars", "start", "end"]
    if text:
        csv_cols.append("body")
    return Output(data={"documents": docs}, records=records, tables=[table], csv_columns=csv_cols)


def segment_output(tokenized: Sequence[TokenizedArticle], *, pos: bool, token_filter=None) -> Output:
    """``{"articles": [{"doc", "source", "title", "tokens", "text"}]}``: ``tokens`` is a list of
    strings, or of ``[token, pos]`` pairs under ``--pos``; ``text`` is the tokens joined by
    spaces."""
    records = []
    for ta in tokenized:
        art = ta.article
        tokens: list[Any]
        if token_filter is None:
            # the same lists as below, built in C
            words = list(ta.tokens)
            if pos:
                tags = ta.pos if ta.pos is not None else ("",) * len(ta.tokens)
                tokens = list(map(list, zip(ta.tokens, tags, strict=True)))
            else:
                tokens = list(words)
        else:
            pairs = ta.pairs()
            pairs = [(w, t) for w, t in pairs if token_filter.keep(w, t if pos else None)]
            words = [w for w, _ in pairs]
            tokens = [[w, t] for w, t in pairs] if pos else list(words)
        records.append({
            "doc": art.doc,
            "source": art.source,
            "title": art.title,
            "tokens": tokens,
            "text": " ".join(words),
        })
    table = Table(
        title=f"segmented {len(records)} articles",
        columns=[Column("doc", "doc", no_wrap=True), Column("tokens", "text")],
        rows=records,
    )
    return Output(data={"articles": records}, records=records, tables=[table],
                  csv_columns=["doc", "source", "title", "text"])
