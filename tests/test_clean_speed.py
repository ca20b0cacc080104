"""The fast cleaning code gives the same text as the code it replaced.

Each ``_reference_*`` below is the implementation as it stood before the speed work (copied, not
imported), run against the current one on the seeds, on texts cut from them, and on generated
strings. The helpers the references call (``_neighbour``, ``_is_structural`` ...) are unchanged
by that work.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policytext.analysis import clean as c


# --------------------------------------------------------------------------------------------
# unify_punctuation
# --------------------------------------------------------------------------------------------
def _reference_unify_punctuation(text: str) -> str:
    if not c._PUNCT_CANDIDATE_RE.search(text):
        return text
    n = len(text)
    pieces: list[str] = []
    last = 0
    for m in c._PUNCT_RUN_RE.finditer(text):
        s, e = m.span()
        prev = text[s - 1] if s else ""
        if prev == " ":
            prev = c._neighbour(text, s, -1)
        nxt = text[e] if e < n else ""
        if nxt == " ":
            nxt = c._neighbour(text, e - 1, 1)
        cjk = bool(prev and c._CJKISH.match(prev)) or bool(nxt and c._CJKISH.match(nxt))
        if e - s == 1 and text[s] == ":" and prev.isdigit() and nxt.isdigit():
            cjk = False
        if cjk:
            pieces.append(text[last:s])
            pieces.append("".join([c._ASCII_TO_CJK_PUNCT[ch] for ch in text[s:e]]))
            last = e
    if pieces:
        pieces.append(text[last:])
        text = "".join(pieces)
    if "(" not in text and ")" not in text:
        return text
    out: list[str] | None = None
    for m in c._PAREN_RE.finditer(text):
        i = m.start()
        ch = text[i]
        prev, nxt = c._neighbour(text, i, -1), c._neighbour(text, i, 1)
        if ch == "(":
            close = text.find(")", i + 1, i + 60)
            inner = text[i + 1 : close] if close != -1 else nxt
            cjk = bool(c._CJK_RE.search(inner)) or bool(prev and c._CJK_RE.match(prev))
        else:
            open_ = text.rfind("(", max(0, i - 60), i)
            inner = text[open_ + 1 : i] if open_ != -1 else prev
            cjk = bool(c._CJK_RE.search(inner)) or bool(nxt and c._CJK_RE.match(nxt))
        if cjk:
            if out is None:
                out = list(text)
            out[i] = c._ASCII_TO_CJK_PUNCT[ch]
    return "".join(out) if out is not None else text


# Marks, brackets, spaces, digits, Latin, Chinese (one outside the BMP, 〇), Chinese marks.
_PUNCT_ALPHABET = list(",;:!?()  1a中〇\U00020001，（）。\n")
# Long filler so that brackets more than 60 characters apart occur.
_PUNCT_TEXT = st.lists(
    st.sampled_from(_PUNCT_ALPHABET) | st.sampled_from(["x" * 30, "中" * 30, " " * 3]),
    max_size=40,
).map("".join)


@given(_PUNCT_TEXT)
@settings(max_examples=3000, deadline=None)
def test_unify_punctuation_equals_the_reference(text: str) -> None:
    assert c.unify_punctuation(text) == _reference_unify_punctuation(text)


@pytest.mark.parametrize("text", [
    "市直有关单位,省", "中 , 文", "中,,文", "a,中", "1,234", "15:32", "中 15:32 文", "(一)",
    "中 (1)", "(2021)年", "(" + "x" * 58 + "中)", "(" + "x" * 59 + "中)", "(x" + " " * 70 + "中",
    "x)中", "(中 x) ", "中:)", "; (", "中, ;x", "中,  ;x",
])
def test_unify_punctuation_on_edge_cases(text: str) -> None:
    assert c.unify_punctuation(text) == _reference_unify_punctuation(text)


def _seed_cuts(seed_texts: dict[str, str]) -> list[str]:
    """The normalised seeds whole and cut at awkward places (mid-line, mid-bracket)."""
    texts = [c.normalize_unicode(t) for t in seed_texts.values()]
    cuts = list(texts)
    for t in texts:
        for size in (97, 1000, 3001):
            cuts += [t[i : i + size] for i in range(0, len(t), size * 3 + 13)]
    return cuts


def test_unify_punctuation_on_the_seeds(seed_texts) -> None:
    changed = 0
    for text in _seed_cuts(seed_texts):
        expected = _reference_unify_punctuation(text)
        assert c.unify_punctuation(text) == expected
        changed += expected != text
    assert changed >= 10  # the seeds do have ASCII marks and brackets in Chinese text
