"""The theme codebook and theme assignment (classifier mode).

A :class:`Codebook` is a list of :class:`Theme` (id, Chinese name, seed terms), read from
``resources/themes.toml`` (or a user file in the same format). :meth:`Codebook.evidence` counts,
in one pass over a text, the codebook terms it contains: longest term first, no overlaps. Each
occurrence weighs ``min(len(term), 4) / 2`` (a 4-character term such as 营商环境 says more than
a 2-character one such as 安全) divided by the number of themes listing the term. A theme's
score is its share of the text's total evidence, so scores lie in [0, 1] and sum to 1 over the
themes when any term occurs.

Pure: no I/O besides reading the packaged codebook.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Theme",
    "Codebook",
    "ThemeMatch",
    "CodebookError",
    "builtin_codebook",
    "parse_codebook",
    "assign_themes",
]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class CodebookError(ValueError):
    """A codebook file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemeMatch:
    """The best theme for one text: its id, name and score, and the terms that decided it
    (``(term, count)`` pairs, most frequent first)."""

    id: str | None
    name: str | None
    score: float
    terms: tuple[tuple[str, int], ...]

    def as_dict(self) -> dict | None:
        if self.id is None:
            return None
        return {"id": self.id, "name": self.name, "score": self.score}


class Codebook:
    """Themes in codebook order, and the matcher over all their terms."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        if not themes:
            raise CodebookError("the codebook has no themes")
        self.themes: tuple[Theme, ...] = tuple(themes)
        self.index = {t.id: i for i, t in enumerate(self.themes)}
        owners: dict[str, list[int]] = {}
        for i, t in enumerate(self.themes):
            for term in t.terms:
                owners.setdefault(term, [])
                if i not in owners[term]:
                    owners[term].append(i)
        self.owners: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in owners.items()}
        self.weight: dict[str, float] = {
            term: (min(len(term), 4) / 2) / len(ids) for term, ids in self.owners.items()
        }
        # Longest first so the alternation prefers 营商环境 over 环境 at the same position;
        # ties in alphabetical order so the pattern never depends on file order.
        ordered = sorted(self.owners, key=lambda s: (-len(s), s))
        self._pattern = re.compile("|".join(re.escape(t) for t in ordered)) if ordered else None

    def __len__(self) -> int:
        return len(self.themes)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def term_counts(self, text: str) -> Counter[str]:
        """How often each codebook term occurs in ``text`` (leftmost, longest, no overlaps)."""
        if self._pattern is None:
            return Counter()
        return Counter(m.group(0) for m in self._pattern.finditer(text))

    def evidence(self, counts: Counter[str]) -> list[float]:
        """Weighted evidence per theme (codebook order) from :meth:`term_counts`."""
        ev = [0.0] * len(self.themes)
        for term, n in counts.items():
            w = self.weight[term] * n
            for i in self.owners[term]:
                ev[i] += w
        return ev

    def best(self, evidence: Sequence[float], counts: Counter[str] | None = None) -> ThemeMatch:
        """The theme with the most evidence (ties: codebook order), its share, deciding terms."""
        total = sum(evidence)
        if total <= 0:
            return ThemeMatch(None, None, 0.0, ())
        i = max(range(len(evidence)), key=lambda j: (evidence[j], -j))
        theme = self.themes[i]
        terms: tuple[tuple[str, int], ...] = ()
        if counts:
            mine = [(t, n) for t, n in counts.items() if i in self.owners[t]]
            mine.sort(key=lambda p: (-p[1] * self.weight[p[0]], -p[1], p[0]))
            terms = tuple(mine)
        return ThemeMatch(theme.id, theme.name, round(evidence[i] / total, 4), terms)


# ---------------------------------------------------------------------------------------------
# Reading codebooks
# ---------------------------------------------------------------------------------------------
def parse_codebook(text: str, *, name: str = "<codebook>") -> tuple[list[Theme], str]:
    """Parse a codebook file; returns its themes and its mode (``"extend"`` or ``"replace"``).

    Raises :class:`CodebookError` with a one-line message naming ``name`` on any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError(f"{name}: not valid TOML ({exc})") from None
    mode = data.get("mode", "extend")
    if mode not in ("extend", "replace"):
        raise CodebookError(f"{name}: mode must be \"extend\" or \"replace\", not {mode!r}")
    raw = data.get("theme", [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise CodebookError(f"{name}: themes must be [[theme]] tables")
    themes: list[Theme] = []
    seen: set[str] = set()
    for n, t in enumerate(raw, 1):
        tid = t.get("id")
        if not isinstance(tid, str) or not _ID_RE.match(tid):
            raise CodebookError(
                f"{name}: theme {n}: id must be lower-case letters, digits, - or _ (got {tid!r})"
            )
        if tid in seen:
            raise CodebookError(f"{name}: theme {tid!r} is defined twice")
        seen.add(tid)
        tname = t.get("name", "")
        if not isinstance(tname, str):
            raise CodebookError(f"{name}: theme {tid!r}: name must be a string")
        terms = t.get("terms", [])
        if not isinstance(terms, list) or not all(isinstance(x, str) for x in terms):
            raise CodebookError(f"{name}: theme {tid!r}: terms must be a list of strings")
        clean = _clean_terms(terms)
        if not clean and mode == "replace":
            raise CodebookError(f"{name}: theme {tid!r} has no terms")
        themes.append(Theme(tid, tname.strip(), clean))
    if mode == "replace" and not themes:
        raise CodebookError(f"{name}: a replacing codebook needs at least one [[theme]]")
    return themes, mode


def _clean_terms(terms: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for x in terms:
        x = x.strip()
        if x and x not in out:
            out.append(x)
    return tuple(out)


def merge(base: Sequence[Theme], extra: Sequence[Theme], mode: str) -> list[Theme]:
    """``replace``: ``extra`` alone. ``extend``: a theme with a known id adds its terms (and
    renames it if it has a name); a new id is appended."""
    if mode == "replace":
        return list(extra)
    out = {t.id: t for t in base}
    order = [t.id for t in base]
    for t in extra:
        if t.id in out:
            old = out[t.id]
            out[t.id] = Theme(t.id, t.name or old.name, _clean_terms(old.terms + t.terms))
        else:
            if not t.terms:
                raise CodebookError(f"new theme {t.id!r} has no terms")
            out[t.id] = t
            order.append(t.id)
    return [out[i] for i in order]


@lru_cache(maxsize=1)
def _builtin_themes() -> tuple[Theme, ...]:
    from importlib.resources import files

    text = files("policytext.analysis.resources").joinpath("themes.toml").read_text("utf-8")
    themes, _ = parse_codebook(text, name="themes.toml")
    return tuple(themes)


def builtin_codebook(extra: Sequence[tuple[str, str]] = ()) -> Codebook:
    """The packaged codebook, extended or replaced by ``extra`` ((text, name) pairs in order)."""
    themes: list[Theme] = list(_builtin_themes())
    for text, name in extra:
        more, mode = parse_codebook(text, name=name)
        try:
            themes = merge(themes, more, mode)
        except CodebookError as exc:
            raise CodebookError(f"{name}: {exc}") from None
    return Codebook(themes)


def assign_themes(texts: Sequence[str], codebook: Codebook) -> list[ThemeMatch]:
    """Classifier mode: the best theme of each text and the terms that decided it."""
    out = []
    for text in texts:
        counts = codebook.term_counts(text)
        out.append(codebook.best(codebook.evidence(counts), counts))
    return out
