"""decode -> clean -> split: one input's bytes become a :class:`Document` with its articles."""

from __future__ import annotations

from dataclasses import dataclass

from . import clean
from .articles import split_articles, whole_document
from .decode import decode
from .models import Document, InputError

__all__ = ["ReadOptions", "build_document", "document_from_text"]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read: a forced encoding, traditional->simplified, article splitting."""

    encoding: str | None = None
    t2s: bool = False
    split: bool = True

    def key(self) -> str:
        return f"enc={self.encoding}|t2s={self.t2s}|split={self.split}"


def document_from_text(
    text: str, *, doc_id: str, source: str, options: ReadOptions = ReadOptions(),
    encoding: str = "utf-8", meta: dict[str, str] | None = None,
) -> Document:
    """Clean ``text`` and split it into articles."""
    normalized = clean.normalize_unicode(text)
    if options.t2s:
        normalized = clean.to_simplified(normalized)
    found = clean.extract_metadata(normalized)
    if meta:
        found.update({k: v for k, v in meta.items() if v})
    cleaned = clean.pipeline(normalized)
    if options.split:
        articles = split_articles(cleaned, doc_id=doc_id, source=source, meta=found)
    else:
        articles = (whole_document(cleaned, doc_id=doc_id, source=source, meta=found),)
    return Document(
        id=doc_id,
        source=source,
        text=cleaned,
        articles=articles,
        encoding=encoding,
        meta=tuple(sorted(found.items())),
    )


def build_document(
    data: bytes, *, doc_id: str, source: str, options: ReadOptions = ReadOptions(),
    kind: str = "text",
) -> tuple[Document, tuple[str, ...]]:
    """Decode (or extract), clean and split one input. Raises :class:`~.models.InputError` for
    bad bytes. Returns the document and any warnings (e.g. a few undecodable bytes replaced).

    ``kind`` is the input's format as the reader determined it from the name: ``"text"``
    (.txt/.md), ``"html"``, ``"docx"``, ``"pdf"``, or ``"auto"`` (stdin: decided by the bytes).
    A "text" file whose bytes are really a PDF or a Word file is read as what it is; a legacy
    .doc/.wps binary gets an error that says what to convert it to."""
    from . import formats

    if kind in ("text", "auto"):
        found = formats.sniff(data)
        if found == "pdf":
            kind = "pdf"
        elif found == "zip":
            kind = "docx"
        elif found == "html" and kind == "auto":
            kind = "html"
        elif found in ("ole", "rtf", "image"):
            raise formats.refuse_binary(found, source)
        else:
            kind = "text"
    if kind == "text":
        decoded = decode(data, name=source, encoding=options.encoding)
        doc = document_from_text(
            decoded.text, doc_id=doc_id, source=source, options=options, encoding=decoded.encoding
        )
        return doc, decoded.warnings
    if kind not in ("html", "docx", "pdf"):
        raise InputError(f"{source}: {kind} input is not supported")
    extracted = formats.extract(data, kind=kind, name=source, encoding=options.encoding)
    doc = document_from_text(
        extracted.text, doc_id=doc_id, source=source, options=options,
        encoding=extracted.encoding, meta=extracted.meta,
    )
    return doc, extracted.warnings
