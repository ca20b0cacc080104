"""Background inverse document frequencies: build them from tokenized documents, read and write
them as text.

The IDF is scikit-learn's smoothed one, ``ln((1 + N) / (1 + df)) + 1``, so a background table and
a corpus's own ``TfidfVectorizer`` give comparable numbers.

File format (UTF-8, one term a line, sorted by term)::

    # policytext IDF table: <free text>
    # docs: 14832
    # default: 9.1234
    营商环境<TAB>6.123456

Lines starting with ``#`` are comments; ``# docs:`` and ``# default:`` are read when present.
Fields may be separated by a tab or by spaces, so jieba's ``idf.txt`` (``word idf``) reads too;
a third field (the document frequency) is allowed and ignored. A term missing from the table
takes the default: the value written in the file, else the median IDF (jieba's convention).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .models import InputError

__all__ = ["IdfTable", "build_idf", "builtin_idf", "parse_idf", "serialise_idf", "smooth_idf"]


_SKIP_RE = re.compile(r"^[\W_]+$|\s")


def smooth_idf(n_docs: int, df: int) -> float:
    return math.log((1 + n_docs) / (1 + df)) + 1.0


@dataclass(frozen=True)
class IdfTable:
    """IDF per term, the IDF of a term the table does not have, and the number of documents it
    was built from (0 when unknown)."""

    values: dict[str, float] = field(default_factory=dict)
    default: float = 1.0
    n_docs: int = 0

    def get(self, term: str) -> float:
        return self.values.get(term, self.default)

    def __len__(self) -> int:
        return len(self.values)


def build_idf(docs: Iterable[Iterable[str]], *, min_df: int = 1) -> IdfTable:
    """The IDF of every term seen in at least ``min_df`` of ``docs`` (each an iterable of
    tokens). Rarer terms are left out; they take the default, which is the IDF of a term seen in
    ``min_df - 1`` documents, the most any left-out term could have had."""
    if min_df < 1:
        raise ValueError("min_df must be at least 1")
    df: Counter[str] = Counter()
    n = 0
    for tokens in docs:
        n += 1
        df.update({t for t in tokens if _storable(t)})
    values = {t: smooth_idf(n, c) for t, c in df.items() if c >= min_df}
    return IdfTable(values, smooth_idf(n, min_df - 1), n)


def _storable(term: str) -> bool:
    """Punctuation is no term, and a term the file format cannot hold (whitespace inside, a
    leading ``#``) is left out."""
    return bool(term) and not _SKIP_RE.search(term) and not term.startswith("#")


def serialise_idf(table: IdfTable, *, comment: str = "") -> str:
    """The text of an IDF file (see the module docstring), byte-identical for equal tables."""
    head = ["# policytext IDF table: term<TAB>idf, idf = ln((1 + docs) / (1 + df)) + 1"]
    for line in comment.splitlines():
        head.append("# " + line if line.strip() else "#")
    head.append(f"# docs: {table.n_docs}")
    head.append(f"# default: {table.default:.6f}")
    body = [f"{t}\t{v:.6f}" for t, v in sorted(table.values.items()) if _storable(t)]
    return "\n".join(head + body) + "\n"


def parse_idf(text: str, *, name: str) -> IdfTable:
    """Read an IDF file. A malformed line raises :class:`InputError` naming the file and line."""
    values: dict[str, float] = {}
    default: float | None = None
    n_docs = 0
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if line.startswith("#"):
            key, _, val = line[1:].partition(":")
            key = key.strip().lower()
            try:
                if key == "default":
                    default = _finite(float(val.strip()))
                elif key == "docs":
                    n_docs = int(val.strip())
            except ValueError:
                bad = val.strip()[:20]
                raise InputError(f"{name}:{lineno}: bad '# {key}:' value {bad!r}") from None
            continue
        parts = line.split()
        if len(parts) not in (2, 3):
            raise InputError(f"{name}:{lineno}: expected 'term<TAB>idf', got {len(parts)} fields")
        try:
            value = _finite(float(parts[1]))
        except ValueError:
            raise InputError(f"{name}:{lineno}: {parts[1][:20]!r} is not a number") from None
        if value < 0:
            raise InputError(f"{name}:{lineno}: an IDF cannot be negative")
        values[parts[0]] = value
    if not values:
        raise InputError(f"{name}: no 'term<TAB>idf' lines; not an IDF table")
    if default is None:
        default = statistics.median(values.values())
    return IdfTable(values, default, n_docs)


def _finite(x: float) -> float:
    if math.isnan(x) or math.isinf(x):
        raise ValueError("not finite")
    return x


BUILTIN_NAME = "idf_gwr.tsv"


@lru_cache(maxsize=1)
def builtin_idf() -> IdfTable:
    """The built-in background IDF: paragraphs of the national government work reports
    1954-2015 (``resources/idf_gwr.tsv``; see SOURCES.md)."""
    from .resources import read_text

    return parse_idf(read_text(BUILTIN_NAME), name=BUILTIN_NAME)
