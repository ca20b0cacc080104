"""Inputs -> documents -> tokens: the orchestration every command uses.

:func:`load_corpus` reads (through :mod:`.inputs`), decodes, cleans and splits every input;
:func:`tokenize` segments every article. Both keep the input order stable (sorted by source) so
that results never depend on the order files were named in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from policytext.analysis.models import Article, Document, InputError, TokenizedArticle
from policytext.analysis.pipeline import ReadOptions, build_document

from .inputs import DEFAULT_MAX_BYTES, doc_ids, kind_of, read_bytes, resolve

__all__ = ["Corpus", "load_corpus", "tokenize"]


@dataclass
class Corpus:
    """What :func:`load_corpus` returns: documents in a stable order, plus the inputs that failed
    (one line each) and warnings."""

    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inputs: int = 0

    def articles(self) -> Iterator[Article]:
        for doc in self.documents:
            yield from doc.articles


def load_corpus(
    paths: Iterable[str] | str,
    *,
    encoding: str | None = None,
    t2s: bool = False,
    split: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Corpus:
    """Read, decode, clean and split every input. The Python API behind every command::

        from policytext.cli import load_corpus
        corpus = load_corpus("seeds/")
        for doc in corpus.documents:
            for article in doc.articles:
                print(article.doc, article.title)

    Bad inputs do not raise: each one adds a line to ``corpus.errors``.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [str(paths)]
    options = ReadOptions(encoding=encoding, t2s=t2s, split=split)
    specs, errors = resolve(paths)
    corpus = Corpus(errors=list(errors), inputs=len(specs) + len(errors))
    ids = doc_ids(specs)
    for spec in specs:
        try:
            data = read_bytes(spec, max_bytes=max_bytes)
            doc, warnings = build_document(data, doc_id=ids[spec.source], source=spec.source,
                                           options=options, kind=kind_of(spec))
        except InputError as exc:
            corpus.errors.append(str(exc))
            continue
        corpus.documents.append(doc)
        corpus.warnings.extend(warnings)
    return corpus



def tokenize(documents: Sequence[Document], seg, *, pos: bool = False) -> list[TokenizedArticle]:
    """Segment every article (title, subtitle and body) of every document, in order."""
    out: list[TokenizedArticle] = []
    for doc in documents:
        for art in doc.articles:
            if pos:
                pairs = seg.tag(art.text)
                out.append(TokenizedArticle(art, tuple(w for w, _ in pairs), tuple(t for _, t in pairs)))
            else:
                out.append(TokenizedArticle(art, tuple(seg.cut(art.text)), None))
    return out
