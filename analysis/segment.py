"""Policy-aware segmentation.

A :class:`Segmenter` owns a private tokenizer (it never touches jieba's global one) behind a
small backend seam: ``jieba`` (the reference) or ``fast`` (jieba-rs through ``rjieba``). Every
backend gets the same policy dictionary, user dictionaries and figure handling, so that
营商环境, 高质量发展, 市发改局 and 6.5%, 145亿元, 2万余名, 1—11月, 140元/人/月 each come out as
one token.

Stopwords are not removed here: :class:`TokenFilter` decides which tokens count as content
(keywords, clusters), with the formula verbs (推进 加强 推动 …) as a separate, switchable list.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from .figures import figure_spans
from .models import InputError
from .resources import read_lines, read_text

__all__ = [
    "ENGINES",
    "DictEntry",
    "Segmenter",
    "TokenFilter",
    "parse_user_dict",
    "parse_word_list",
    "policy_dictionary",
    "policy_stopwords",
    "formula_verbs",
]

ENGINES = ("jieba", "fast")
_POS_RE = re.compile(r"^[A-Za-z]{1,4}$")
_PUNCT_RE = re.compile(r"^[\W_]+$")
_NUMBER_RE = re.compile(r"^[\d.,%+\-—～~/:：年月日号]+$")
_SPACE_RE = re.compile(r"^\s+$")
# jieba splits a run of ASCII it does not know with this pattern (jieba.finalseg's re_skip);
# jieba-rs keeps 2025-03-06, 0731-8888888, COVID-19, a_b and 1.5.3 whole. The fast engine
# re-splits such tokens so that both engines give the same tokens.
_ASCII_RUN_RE = re.compile(r"^[A-Za-z0-9+#&._%\-]+$")
_JIEBA_SKIP_RE = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
# A token that _resplit changes contains - or _ or two dots inside an ASCII run; a text with no
# match for this has no such token, and the per-token check is skipped.
_RESPLIT_HINT_RE = re.compile(r"[-_]|\.[A-Za-z0-9+#&._%\-]*\.")
# Stands for a figure in the text handed to the engine: both engines cut a block of text
# independently of what is around it, and this character (private use: neither Chinese, a
# letter, a digit nor a space) is always a block boundary and a token of its own. So one call
# over a whole text with its figures replaced gives the same tokens as one call per line and
# per piece between figures, without tens of thousands of calls.
_FIGURE_MARK = "\ue000"
_first = itemgetter(0)
_second = itemgetter(1)


@dataclass(frozen=True, slots=True)
class DictEntry:
    word: str
    freq: int | None = None
    pos: str | None = None
    source: str = ""


def parse_user_dict(text: str, *, name: str) -> list[DictEntry]:
    """Parse a user dictionary: one term per line, then an optional frequency and an optional
    POS tag (jieba's format: ``营商环境 20000 n``). ``#`` starts a comment line. A malformed line
    raises :class:`InputError` naming the file and the line."""
    entries: list[DictEntry] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) > 3:
            raise InputError(f"{name}:{lineno}: expected 'term [frequency] [pos]', got {len(parts)} fields")
        word, freq, pos = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
            if freq <= 0 or freq > 10**9:
                raise InputError(f"{name}:{lineno}: frequency must be between 1 and 10^9")
        if rest:
            pos = rest.pop(0)
            if not _POS_RE.match(pos):
                raise InputError(f"{name}:{lineno}: {pos!r} is not a frequency or a POS tag (like n, nz, vn)")
        if rest:
            raise InputError(f"{name}:{lineno}: expected 'term [frequency] [pos]'")
        if len(word) > 40 or _PUNCT_RE.match(word):
            raise InputError(f"{name}:{lineno}: {word[:20]!r} is not a term")
        entries.append(DictEntry(word, freq, pos, name))
    return entries


def parse_word_list(text: str, *, name: str) -> list[str]:
    """A stopword file: one word per line (extra fields after whitespace are ignored)."""
    words: list[str] = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("\ufeff")
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


@lru_cache(maxsize=1)
def policy_dictionary() -> tuple[DictEntry, ...]:
    """The built-in policy dictionary (``resources/policy_terms.tsv``; see SOURCES.md)."""
    entries: list[DictEntry] = []
    for line in read_lines("policy_terms.tsv"):
        parts = line.split("\t")
        word = parts[0].strip()
        if not word:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].strip().isdigit() else None
        pos = parts[2].strip() if len(parts) > 2 and parts[2].strip() else None
        source = parts[3].strip() if len(parts) > 3 else ""
        entries.append(DictEntry(word, freq, pos, source))
    return tuple(entries)


@lru_cache(maxsize=1)
def policy_stopwords() -> frozenset[str]:
    return frozenset(read_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def formula_verbs() -> frozenset[str]:
    return frozenset(read_lines("formula_verbs.txt"))


# ---------------------------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------------------------
class _JiebaBackend:
    name = "jieba"

    def __init__(self, *, hmm: bool, cache_dir: str | None) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tok = jieba.Tokenizer()
        if cache_dir:
            # jieba caches its prefix dictionary in the shared temp directory by default, where
            # another user could plant it; keep it in our private cache instead.
            self._tok.tmp_dir = cache_dir
        self._tok.initialize()
        self._hmm = hmm
        self._posseg = None

    def suggest_freq(self, word: str) -> int:
        return int(self._tok.suggest_freq(word, tune=False))

    def word_freq(self, word: str) -> int | None:
        return int(self._tok.FREQ.get(word) or 0)

    def add_word(self, word: str, freq: int, pos: str | None) -> None:
        self._tok.add_word(word, freq, pos)

    def cut(self, text: str) -> list[str]:
        return self._tok.lcut(text, HMM=self._hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        if self._posseg is None:
            from jieba import posseg

            self._posseg = posseg.POSTokenizer(self._tok)
        return [(p.word, p.flag) for p in self._posseg.lcut(text, HMM=self._hmm)]

    def tag_lists(self, text: str) -> tuple[list[str], list[str]]:
        pairs = self.tag(text)
        return list(map(_first, pairs)), list(map(_second, pairs))


class _FastBackend:
    name = "fast"

    def __init__(self, *, hmm: bool, cache_dir: str | None) -> None:
        try:
            import rjieba
        except ImportError as exc:  # pragma: no cover - depends on the platform's wheels
            raise InputError("the fast engine needs the rjieba package (pip install rjieba)") from exc
        self._tok = rjieba.Jieba()
        self._hmm = hmm
        self._added: dict[str, int] = {}

    def suggest_freq(self, word: str) -> int:
        return int(self._tok.suggest_freq(word))

    def word_freq(self, word: str) -> int | None:
        # jieba-rs ships jieba's own dict.txt but does not expose its frequencies: read the
        # same file so that callers (slogans' ordinary-word test) see the same numbers.
        if word in self._added:
            return self._added[word]
        return _jieba_dict_freqs().get(word, 0)

    def add_word(self, word: str, freq: int, pos: str | None) -> None:
        self._added[word] = freq
        self._tok.add_word(word, freq, pos)

    def _resplit(self, word: str) -> list[str]:
        if (len(word) > 1 and word not in self._added and _ASCII_RUN_RE.match(word)
                and ("-" in word or "_" in word or word.count(".") > 1)):
            return [p for p in _JIEBA_SKIP_RE.split(word) if p]
        return [word]

    def _to_resplit(self, text: str, words: list[str]) -> set[str]:
        """The distinct tokens of ``words`` (cut from ``text``) that :meth:`_resplit` splits."""
        if not _RESPLIT_HINT_RE.search(text):
            return set()
        return {w for w in set(words)
                if ("-" in w or "_" in w or "." in w) and self._resplit(w) != [w]}

    def cut(self, text: str) -> list[str]:
        words = self._tok.cut(text, self._hmm)
        split = self._to_resplit(text, words)
        if not split:
            return words  # nothing to re-split (the common case)
        out: list[str] = []
        for i, j in _runs(words, split):
            out.extend(words[i:j])
            if j < len(words):
                out.extend(self._resplit(words[j]))
        return out

    def tag_lists(self, text: str) -> tuple[list[str], list[str]]:
        pairs = self._tok.tag(text, self._hmm)
        words = list(map(_first, pairs))
        tags = list(map(_second, pairs))
        split = self._to_resplit(text, words)
        if not split:
            return words, tags
        out_w: list[str] = []
        out_t: list[str] = []
        for i, j in _runs(words, split):
            out_w.extend(words[i:j])
            out_t.extend(tags[i:j])
            if j < len(words):
                parts = self._resplit(words[j])
                out_w.extend(parts)
                out_t.extend("m" if p[0].isdigit() else "eng" if p[0].isalpha() else "x"
                             for p in parts)
        return out_w, out_t

    def tag(self, text: str) -> list[tuple[str, str]]:
        words, tags = self.tag_lists(text)
        return list(zip(words, tags, strict=True))


def _runs(words: list[str], marked: set[str]) -> list[tuple[int, int]]:
    """(start, end) of the runs of unmarked words; ``end`` is the index of the marked word that
    follows (``len(words)`` for the last run). Found with C-level scans, not a Python loop over
    every word."""
    flags = list(map(marked.__contains__, words))
    runs: list[tuple[int, int]] = []
    start = 0
    while True:
        try:
            j = flags.index(True, start)
        except ValueError:
            runs.append((start, len(words)))
            return runs
        runs.append((start, j))
        start = j + 1


@lru_cache(maxsize=1)
def _jieba_dict_freqs() -> dict[str, int]:
    """Word -> frequency from jieba's dict.txt, found without importing jieba (it is the
    dictionary jieba-rs embeds)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("jieba")
    freqs: dict[str, int] = {}
    if spec is None or not spec.origin:
        return freqs
    path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split(" ")
                if len(parts) >= 2 and parts[1].strip().isdigit():
                    freqs[parts[0]] = int(parts[1])
    except OSError:
        pass
    return freqs


_BACKENDS = {"jieba": _JiebaBackend, "fast": _FastBackend}


class Segmenter:
    """Segment text with the policy dictionary, user dictionaries and whole figures.

    Parameters are keyword-only and only stored; the tokenizer is built on first use.
    """

    def __init__(
        self,
        *,
        engine: str = "jieba",
        policy_dict: bool = True,
        user_entries: Sequence[DictEntry] = (),
        hmm: bool = True,
        cache_dir: str | None = None,
    ) -> None:
        if engine not in _BACKENDS:
            raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
        self.engine = engine
        self.policy_dict = policy_dict
        self.user_entries = tuple(user_entries)
        self.hmm = hmm
        self.cache_dir = cache_dir
        self._backend: _JiebaBackend | _FastBackend | None = None
        self._dict_pos: dict[str, str] = {}

    @property
    def fingerprint(self) -> str:
        """Identifies everything that changes the tokens (for cache keys)."""
        h = hashlib.sha256()
        h.update(f"{self.engine}|hmm={self.hmm}|policy={self.policy_dict}".encode())
        if self.policy_dict:
            h.update(read_text("policy_terms.tsv").encode())
        for e in self.user_entries:
            h.update(f"\n{e.word}\t{e.freq}\t{e.pos}".encode())
        return h.hexdigest()[:16]

    def _get_backend(self) -> _JiebaBackend | _FastBackend:
        if self._backend is None:
            backend = _BACKENDS[self.engine](hmm=self.hmm, cache_dir=self.cache_dir)
            entries: list[DictEntry] = list(policy_dictionary()) if self.policy_dict else []
            entries.extend(self.user_entries)  # user entries come last and win
            for e in entries:
                freq = e.freq if e.freq is not None else max(backend.suggest_freq(e.word), 1)
                backend.add_word(e.word, freq, e.pos)
                if e.pos:
                    self._dict_pos[e.word] = e.pos
                else:
                    self._dict_pos.pop(e.word, None)
            self._backend = backend
        return self._backend

    def word_freq(self, word: str) -> int | None:
        """The frequency of ``word`` in the engine's own dictionary (0 when it is not a word), or
        None when the engine cannot tell. Policy and user entries count as words. Callers use it
        to tell an ordinary word (发动机, 洼地) from a coinage (放管服, 湘易办)."""
        return self._get_backend().word_freq(word)

    def _pieces(self, text: str) -> Iterable[tuple[str, bool]]:
        """(piece, is_figure) in order; figures are kept whole."""
        pos = 0
        for s, e in figure_spans(text):
            if s > pos:
                yield text[pos:s], False
            yield text[s:e], True
            pos = e
        if pos < len(text):
            yield text[pos:], False

    def _marked(self, text: str) -> tuple[str, list[str]] | None:
        """``text`` with each figure replaced by :data:`_FIGURE_MARK`, and the figures in order;
        None when the text holds the mark itself. Figures never cross a line, so finding them in
        the whole text finds the same spans as line by line."""
        if _FIGURE_MARK in text:
            return None
        spans = figure_spans(text)
        if not spans:
            return text, []
        parts: list[str] = []
        figures: list[str] = []
        pos = 0
        for s, e in spans:
            parts.append(text[pos:s])
            figures.append(text[s:e])
            pos = e
        parts.append(text[pos:])
        return _FIGURE_MARK.join(parts), figures

    def cut(self, text: str) -> list[str]:
        """Tokens of ``text``, line by line; whitespace is dropped."""
        backend = self._get_backend()
        marked = self._marked(text)
        if marked is None:
            return self._cut_pieces(text)
        body, figures = marked
        out = list(filter(str.strip, backend.cut(body)))
        i = 0
        for fig in figures:
            i = out.index(_FIGURE_MARK, i)
            out[i] = fig
        return out

    def _cut_pieces(self, text: str) -> list[str]:
        """:meth:`cut` one line and one piece between figures at a time (the reference)."""
        backend = self._get_backend()
        out: list[str] = []
        for line in text.split("\n"):
            for piece, fig in self._pieces(line):
                if fig:
                    out.append(piece)
                else:
                    out.extend(w for w in backend.cut(piece) if w.strip())
        return out

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(token, POS) pairs; figures are tagged ``m``."""
        words, tags = self.tag_lists(text)
        return list(zip(words, tags, strict=True))

    def tag_lists(self, text: str) -> tuple[list[str], list[str]]:
        """:meth:`tag` as two parallel lists (tokens, tags)."""
        backend = self._get_backend()
        marked = self._marked(text)
        if marked is None:
            pairs = self._tag_pieces(text)
            return list(map(_first, pairs)), list(map(_second, pairs))
        body, figures = marked
        words, tags = backend.tag_lists(body)
        if backend.name == "fast":
            # jieba-rs tags a dictionary word with its own guess rather than the POS the
            # dictionary gives (市政府办 n, not nt); jieba's posseg uses the dictionary's, and
            # so do we.
            tags = list(map(self._dict_pos.get, words, tags))
        keep = list(map(str.strip, words))
        words = list(compress(words, keep))
        tags = list(compress(tags, keep))
        i = 0
        for fig in figures:
            i = words.index(_FIGURE_MARK, i)
            words[i] = fig
            tags[i] = "m"
        return words, tags

    def _tag_pieces(self, text: str) -> list[tuple[str, str]]:
        """:meth:`tag` one line and one piece between figures at a time (the reference)."""
        backend = self._get_backend()
        out: list[tuple[str, str]] = []
        for line in text.split("\n"):
            for piece, fig in self._pieces(line):
                if fig:
                    out.append((piece, "m"))
                else:
                    pairs = backend.tag(piece)
                    if backend.name == "fast":
                        dpos = self._dict_pos
                        pairs = [(w, dpos.get(w, t)) for w, t in pairs]
                    out.extend((w, t) for w, t in pairs if w.strip())
        return out


class TokenFilter:
    """Which tokens count as content words: no punctuation, no bare numbers or dates, no single
    characters, no stopwords, and (unless ``keep_formula_verbs``) no formula verbs."""

    def __init__(
        self,
        *,
        stopwords: bool = True,
        keep_formula_verbs: bool = False,
        extra_stopwords: Iterable[str] = (),
        keep_figures: bool = False,
        min_chars: int = 2,
        pos: Iterable[str] | None = None,
    ) -> None:
        words: set[str] = set(policy_stopwords()) if stopwords else set()
        if not keep_formula_verbs:
            words |= formula_verbs()
        words |= set(extra_stopwords)
        self.stopwords = frozenset(words)
        self.keep_figures = keep_figures
        self.min_chars = min_chars
        self.pos = frozenset(pos) if pos is not None else None

    def keep(self, word: str, pos: str | None = None) -> bool:
        if not word or _SPACE_RE.match(word) or _PUNCT_RE.match(word):
            return False
        if word in self.stopwords:
            return False
        if _NUMBER_RE.match(word) or (not self.keep_figures and figure_spans(word) == [(0, len(word))]):
            return False
        if len(word) < self.min_chars:
            return False
        if self.pos is not None and pos is not None:
            return any(pos == p or (len(p) < len(pos) and pos.startswith(p)) for p in self.pos)
        return True
