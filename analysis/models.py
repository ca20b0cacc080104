"""Typed records that flow through the pipeline.

All records are frozen dataclasses: the analysis layer builds them, the CLI renders them.
Offsets are character offsets into ``Document.text``, the *cleaned* source of one input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Span", "Article", "Document", "Token", "TokenizedArticle", "InputError"]


@dataclass(frozen=True, slots=True)
class Span:
    """One contiguous piece of an article in the cleaned source.

    ``glue`` is what precedes the piece when the article's field is assembled: ``"\\n"`` between
    paragraphs, ``""`` for the first piece and for a paragraph that continues a sentence broken by
    the page layout (a column break).
    """

    start: int
    end: int
    role: str  # "title" | "subtitle" | "byline" | "body"
    glue: str = "\n"


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a document: a newspaper story, a plan, or one annex of a plan."""

    doc: str  # stable id: "<doc id>#<index>", or the doc id alone under --no-split
    source: str  # the path as the user gave it ("-" for stdin)
    index: int
    title: str
    subtitle: str
    byline: str
    body: str
    spans: tuple[Span, ...]
    label: str = ""  # e.g. "附件3" for the third annex of a government document

    @property
    def text(self) -> str:
        """Title, subtitle and body: the text that analyses read (bylines are names, not content)."""
        return "\n".join(part for part in (self.title, self.subtitle, self.body) if part)

    @property
    def start(self) -> int:
        return min((s.start for s in self.spans), default=0)

    @property
    def end(self) -> int:
        return max((s.end for s in self.spans), default=0)

@dataclass(frozen=True, slots=True)
class Document:
    """One input after decoding and cleaning, with its articles."""

    id: str  # file stem (made unique within a corpus)
    source: str
    text: str  # the cleaned source; every offset points into it
    articles: tuple[Article, ...]
    encoding: str = "utf-8"
    meta: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def metadata(self) -> dict[str, str]:
        return dict(self.meta)

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def pieces(self, article: Article) -> list[tuple[int, str]]:
        """(offset in ``text``, piece text) for the title, subtitle and body pieces of
        ``article`` in reading order. Analyses that report positions scan these pieces, so every
        hit maps back to the cleaned source: ``text[start:end]`` is the hit."""
        return [(s.start, self.text[s.start : s.end]) for s in article.spans if s.role in ("title", "subtitle", "body")]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    pos: str = ""


@dataclass(frozen=True, slots=True)
class TokenizedArticle:
    """An article and its tokens (with POS tags when they were asked for)."""

    article: Article
    tokens: tuple[str, ...]
    pos: tuple[str, ...] | None = None

    def pairs(self) -> list[tuple[str, str]]:
        tags = self.pos if self.pos is not None else ("",) * len(self.tokens)
        return list(zip(self.tokens, tags, strict=True))


class InputError(Exception):
    """A problem with one input that the user can fix; the message is one line and names it."""
