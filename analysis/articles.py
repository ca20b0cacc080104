"""Split a cleaned page into its articles.

Two kinds of input:

* **A government document with annexes** (``附件1`` … ``附件7`` standing on their own lines): the
  main document, then one article per annex, each titled by the line after its label.
* **Anything else**, newspaper pages above all. Paragraphs are classified (headline, subtitle
  ``——…``, byline of personal names, trailing credit ``（邓先治 陈长龙）``, short column label such
  as ``观察``, body) and grouped into *units*: a headline with what follows it, or a run of body
  text with no headline of its own. Then the layout is repaired:

  - a page whose titles stand *after* their bodies (the first unit has no title, the last is a
    title alone) gets each title moved back to the body before it, when the titles read like those
    bodies (character-bigram similarity);
  - a run of body text without a headline (a column continued elsewhere on the page, after a
    credit, a label or a paragraph broken mid-sentence) is attached to the article whose text
    stops mid-sentence and reads most like it; a sentence broken by the column is rejoined
    without a line break.

Everything is positional: each article records the spans of the cleaned text it is made of.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache, partial
from itertools import compress, islice
from operator import add, and_
from typing import Any, NamedTuple

from .clean import CJK, TERMINAL, _ends_sentence, is_byline, is_credit
from .models import Article, Span
from .resources import read_lines

__all__ = ["split_articles", "whole_document", "Paragraph", "paragraphs"]

_ENUM_HEAD_RE = re.compile(
    r"^(第[一二三四五六七八九十百零〇0-9]+[章节条部分篇]|[一二三四五六七八九十]+、|"
    r"（[一二三四五六七八九十]+）|[0-9]{1,2}[.、．]|（[0-9]{1,2}）|[0-9]{1,2}(?=[^0-9.%．])|[①-⑳]|[一二三四五六七八九十]是)"
)
_ANNEX_MARK_RE = re.compile(r"^附\s*件\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*$")
_PLACE_COLON_RE = re.compile(f"^[{CJK}]{{2,10}}：[^。！？]{{4,}}$")
_PLACE_HEAD_RE = re.compile(
    f"^[{CJK}]{{1,6}}(省|市|县|区|镇|乡|街道|村|州|盟|旗)(?![委政府长])[{CJK}0-9“”]{{4,}}"
)
_SENT_PUNCT_RE = re.compile(f"[{TERMINAL}]")
_CJK_ONLY_RE = re.compile(f"[{CJK}]+")
_NON_CJK_RE = re.compile(f"[^{CJK}]+")
_NEWLINE = "\n"
_NON_WORD_RE = re.compile(r"[^\w]")
_DOC_KIND_RE = re.compile(
    r"(方案|意见|办法|规划|通知|决定|规定|细则|纲要|计划|报告|条例|措施|指南)$"
)


class Paragraph(NamedTuple):
    """One non-empty line of the cleaned text, stripped, with its offsets. (A named tuple: a
    page has hundreds, and a frozen dataclass costs three times as much to build.)"""

    start: int
    end: int
    text: str


# Paragraph((start, end, text)) without the named tuple's Python-level __new__.
_paragraph = partial(tuple.__new__, Paragraph)


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines of the cleaned text, with their offsets."""
    out: list[Paragraph] = []
    append = out.append
    pos = 0
    for line in text.split("\n"):
        n = len(line)
        stripped = line.strip()
        if stripped:
            if len(stripped) == n:  # the usual line of cleaned text: nothing to strip
                append(_paragraph((pos, pos + n, line)))
            else:
                start = pos + n - len(line.lstrip())
                append(_paragraph((start, start + len(stripped), stripped)))
        pos += n + 1
    return out


# ---------------------------------------------------------------------------------------------
# Paragraph classes
# ---------------------------------------------------------------------------------------------
BODY, HEADING, ENUM, SUBTITLE, BYLINE, CREDIT, LABEL, NAME = (
    "body", "heading", "enum", "subtitle", "byline", "credit", "label", "name"
)


# is_credit of a paragraph, asked when building units (a credit closing a paragraph) and when
# testing whether a run is left open: memoized like the paragraph's class.
_credit = lru_cache(maxsize=16384)(is_credit)


@lru_cache(maxsize=16384)
def _is_open(text: str) -> bool:
    """The paragraph stops mid-sentence (a column break)."""
    return not _ends_sentence(text) and _credit(text) is None


@lru_cache(maxsize=16384)
def _open_body(text: str) -> bool:
    """Body text left open mid-sentence (what makes a unit's tail open)."""
    return _classify(text) == BODY and _is_open(text)


@lru_cache(maxsize=16384)
def _classify(p: str) -> str:
    """The class of a paragraph. A pure function of its text, asked again and again of the
    same paragraph (building units, every unit's ``tail_open``, splitting, joining): memoized."""
    if p.startswith("——") and not _SENT_PUNCT_RE.search(p[:-1] if p else p) and len(p) <= 60:
        return SUBTITLE
    if is_byline(p):
        return BYLINE
    if p[:1] in "（(" and is_credit(p) is not None and len(p) <= 40:
        return CREDIT
    if _ENUM_HEAD_RE.match(p):
        return ENUM if len(p) <= 40 and not _ends_sentence(p) else BODY
    if is_byline(p, min_names=1):
        return NAME
    if len(p) <= 3 and not _NON_WORD_RE.search(p):
        return LABEL
    if _headline_like(p):
        return HEADING
    return BODY


_QUOTED_RE = re.compile(r"“[^”]*”|《[^》]*》|（[^）]*）")
_CONNECTIVE_RE = re.compile(
    r"^(此外|同时|其中|另外|但是|但|因此|所以|然而|目前|近年来|今年以来|此前|随后|据|为了|为此|通过|"
    r"对于|由于|如今|当前|截至|截止|针对|按照|根据|围绕|自从|并且|而且|以及|还|也|并)"
)
_DANGLING_TAIL = set(
    "的地得和与及在了着过等把对将为以从向于按由被让使给要是不也都就还并而或其之所各该这那"
    "每已又再更很最"
)


def _headline_like(p: str) -> bool:
    """A headline or section heading, as opposed to a short paragraph cut off by a column
    break (``活动由区文明委牵头，区、镇、村新时代文明实践``, ``今年，国网益阳供电公司坚持``)."""
    if not (2 <= len(p) <= 40) or _ends_sentence(p) or _SENT_PUNCT_RE.search(p):
        return False
    bare = _QUOTED_RE.sub("“”", p)
    if "、" in bare or "‘" in p or "’" in p or "我" in bare or "你" in bare:
        return False
    if _CONNECTIVE_RE.match(p) or p[-1] in _DANGLING_TAIL:
        return False
    commas = bare.split("，")
    if len(commas) > 2:
        return False
    if len(commas) == 2 and (len(commas[0]) < 3 or len(commas[1]) < 3):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------
@dataclass(slots=True, eq=False)  # compared and hashed by identity: units key dicts
class _Unit:
    title: Paragraph | None = None
    subtitle: Paragraph | None = None
    byline: Paragraph | None = None
    body: list[tuple[Paragraph, str]] = field(default_factory=list)  # (paragraph, glue)
    credit: tuple[int, int, str] | None = None  # (start, end, names)
    closed: bool = False
    headless: bool = False
    absorbed: bool = False  # merged into another unit
    order: int = 0

    @property
    def tail_open(self) -> bool:
        """The unit's text stops mid-sentence (its last paragraph is body text left open)."""
        if not self.body or self.closed:
            return False
        return _open_body(self.body[-1][0].text)

    def text(self) -> str:
        parts = [p.text for p in (self.title, self.subtitle) if p] + [p.text for p, _ in self.body]
        return "\n".join(parts)


def _bigrams(text: str) -> Counter[str]:
    """Character bigrams inside runs of Chinese characters. Counted in C: non-Chinese stretches
    become one newline, and the pairs that touch a newline (across a run boundary) are masked
    out; the same counts as pairing each run separately."""
    t = _NON_CJK_RE.sub("\n", text)
    if len(t) < 2:
        return Counter()
    inside = list(map(_NEWLINE.__ne__, t))
    return Counter(compress(map(add, t, t[1:]), map(and_, inside, inside[1:])))


def _cosine(a: Counter[str], b: Counter[str],
            norms: dict[int, float] | None = None) -> float:
    """Cosine of two bigram counts. Counts are integers, so the dot product and the norms are
    exact whatever the summation order; ``norms`` (id -> norm) only saves recomputing them."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    common = a.keys() & b.keys()
    if not common:
        return 0.0
    dot = sum([a[k] * b[k] for k in common])
    if not dot:
        return 0.0
    na = _norm(a, norms)
    nb = _norm(b, norms)
    return dot / (na * nb)


def _norm(c: Counter[str], norms: dict[int, float] | None) -> float:
    if norms is None:
        return math.sqrt(sum([v * v for v in c.values()]))
    n = norms.get(id(c))
    if n is None:
        n = norms[id(c)] = math.sqrt(sum([v * v for v in c.values()]))
    return n


@lru_cache(maxsize=1)
def _common_words2() -> frozenset[str]:
    text = "".join(read_lines("common_words2.txt"))
    return frozenset(text[i : i + 2] for i in range(0, len(text) - 1, 2))


_UNIT_HEAD_RE = re.compile(r"^[万亿千百十余多元角%度个人吨亩米户家项件次台套辆名岁]")


def _join_score(tail: str, head: str) -> float:
    """How well ``head`` continues ``tail`` across a column break: a word straddles the break
    (服|务, 不|仅, 三|年), a figure does (1786|万度), or a quotation opened just before the break
    closes first thing in ``head``."""
    return _join(_tail_side(tail), _head_side(head))


# What _join_score looks at on each side of the break, worked out once per paragraph: a page
# compares every open run with every headless run.
_TailSide = tuple[bool, str, float]  # ends in a digit, last character, quotation left open
_HeadSide = tuple[bool, str, bool]  # starts with a unit, first character, closes a quotation


@lru_cache(maxsize=16384)
def _tail_side(tail: str) -> _TailSide | None:
    t = tail.rstrip()
    if not t:
        return None
    last = t.rsplit("\n", 1)[-1]
    quote = 0.0
    if last.count("“") > last.count("”"):
        quote = 0.3 if len(last) - last.rfind("“") <= 12 else 0.1
    return t[-1].isdigit(), t[-1], quote


@lru_cache(maxsize=16384)
def _head_side(head: str) -> _HeadSide | None:
    if not head:
        return None
    first_close, first_open = head.find("”"), head.find("“")
    closes = first_close != -1 and (first_open == -1 or first_close < first_open)
    return _UNIT_HEAD_RE.match(head) is not None, head[0], closes


def _join(tail: _TailSide | None, head: _HeadSide | None) -> float:
    """_join_score from the two sides (the same additions in the same order)."""
    score = 0.0
    if tail is None or head is None:
        return score
    if tail[0] and head[0]:
        score += 0.3
    elif (tail[1] + head[1]) in _common_words2():
        score += 0.15
    if tail[2] and head[2]:
        score += tail[2]
    return score


_CLAUSE_END_RE = re.compile(r"[，、。；：！？,]")


def _starts_midsentence(p: str) -> bool:
    """``万度，水利利用系数…`` or ``品，确保…``: the paragraph begins with the end of a sentence
    that started in another column."""
    if not p or p[0] in "，、。；：）”’》":
        return True
    m = _CLAUSE_END_RE.search(p)
    if m is None:
        return False
    return m.start() == 1


def _may_be_credit(text: str) -> bool:
    """Whether ``is_credit``'s pattern can match: the line ends in a closing bracket, and its
    last bracket before that opens one 2 to 30 characters earlier. The regex search scans the
    whole paragraph; most paragraphs that end in a bracket fail this first."""
    s = text.rstrip()
    if s[-1:] not in ("）", ")"):
        return False
    opening = max(s.rfind("（", 0, len(s) - 1), s.rfind("(", 0, len(s) - 1))
    inner = s[opening + 1 : -1]
    return opening >= 0 and 2 <= len(inner) <= 30 and "）" not in inner and ")" not in inner


def _inline_credit(p: Paragraph) -> tuple[Paragraph, tuple[int, int, str] | None]:
    """Split ``…进企业7次。（麦天文）`` into the body and its credit."""
    if not _may_be_credit(p.text):
        return p, None
    names = _credit(p.text)
    if names is None:
        return p, None
    cut = max(p.text.rfind("（"), p.text.rfind("("))
    body = p.text[:cut].rstrip()
    if not body:
        return p, (p.start, p.end, names)
    return Paragraph(p.start, p.start + len(body), body), (p.start + cut, p.end, names)


_NOT_BODY = (NAME, LABEL, BYLINE, CREDIT, SUBTITLE, HEADING)  # each has its own branch below


def _build_units(paras: Sequence[Paragraph]) -> list[_Unit]:
    classes = [_classify(p.text) for p in paras]
    units: list[_Unit] = []
    cur: _Unit | None = None
    ctx: _Unit | None = None  # the last unit that has a headline (the article being read)
    pending_label = False

    def new(**kw: object) -> _Unit:
        u = _Unit(order=len(units), **kw)  # type: ignore[arg-type]
        units.append(u)
        return u

    n = len(paras)
    k = 0
    while k < n:
        p, cls = paras[k], classes[k]
        if cls not in _NOT_BODY:  # body text (and enumerated headings): most paragraphs
            body_p, credit = _inline_credit(p) if p.text[-1] in "）)" else (p, None)
            if cur is None or cur.closed or pending_label:
                cur = new(headless=True)
                pending_label = False
            elif cls == BODY and cur.body and (_open_body(cur.body[-1][0].text)
                                               or _starts_midsentence(p.text)):
                # A sentence broken by the layout: the next column may belong elsewhere;
                # decided once the whole page is known.
                cur = new(headless=True)
            cur.body.append((body_p, "\n"))
            if credit is not None:
                cur.credit = credit
                cur.closed = True
            k += 1
            continue
        nxt = classes[k + 1] if k + 1 < n else None
        if cls == NAME and not (cur is not None and cur.title is not None and not cur.body
                                and cur.byline is None):
            cls = LABEL  # a lone name that follows no headline
        if cls == LABEL:
            pending_label = True
            k += 1
            continue
        if cls in (BYLINE, NAME):
            if cur is not None and cur.title is not None and not cur.body and cur.byline is None:
                cur.byline = p
            else:
                cur = new(byline=p, headless=True)
            pending_label = False
            k += 1
            continue
        if cls == CREDIT:
            if cur is None:
                cur = new(headless=True)
            cur.credit = (p.start, p.end, _credit(p.text) or "")
            cur.closed = True
            k += 1
            continue
        if cls == SUBTITLE and cur is not None and cur.title is not None and not cur.body \
                and cur.subtitle is None:
            cur.subtitle = p
            k += 1
            continue
        if cls in (HEADING, SUBTITLE):
            last_open = cur is not None and cur.tail_open
            title_evidence = (
                cur is None
                or nxt in (SUBTITLE, BYLINE)
                or nxt == NAME
                or cur.closed
                or last_open
                or pending_label
                or bool(_PLACE_COLON_RE.match(p.text))
                or (bool(_PLACE_HEAD_RE.match(p.text)) and ctx is not None
                    and (ctx.byline is not None or ctx.subtitle is not None))
            )
            if cls == HEADING and title_evidence and not p.text.endswith("——"):
                cur = ctx = new(title=p)
                pending_label = False
                # A second headline line right after is its subtitle (服务有温度 办事零距离 /
                # 桂阳县进一步擦亮…服务名片).
                if nxt == HEADING and k + 2 < n and classes[k + 2] in (BODY, BYLINE, NAME) and \
                        not paras[k + 1].text.endswith("——"):
                    cur.subtitle = paras[k + 1]
                    k += 1
                k += 1
                continue
            # A section heading inside the current article.
            if cur is None or cur.closed or pending_label:
                cur = new(headless=True)
                pending_label = False
            cur.body.append((p, "\n"))
            k += 1
            continue
    return units


def _shift_titles_back(units: list[_Unit]) -> list[_Unit]:
    """Pages that print each title after its article (seed 000): move titles back if that makes
    titles and bodies read alike."""
    if len(units) < 2 or units[0].title is not None or units[-1].body:
        return units
    if units[-1].title is None:
        return units
    titled = [u for u in units if u.title is not None]
    if not titled:
        return units

    def score(pairs: list[tuple[_Unit, _Unit]]) -> float:
        return sum(
            _cosine(_bigrams(t.title.text + (t.subtitle.text if t.subtitle else "")),  # type: ignore[union-attr]
                    _bigrams("\n".join(p.text for p, _ in b.body)))
            for t, b in pairs
        )

    forward = [(u, u) for u in units if u.title is not None]
    backward = [(units[i + 1], units[i]) for i in range(len(units) - 1)
                if units[i + 1].title is not None]
    if score(backward) <= score(forward) * 1.5 + 0.02:
        return units
    shifted: list[_Unit] = []
    for i, u in enumerate(units[:-1]):
        nxt = units[i + 1]
        shifted.append(
            _Unit(title=nxt.title, subtitle=nxt.subtitle, byline=u.byline, body=u.body,
                  credit=u.credit, closed=u.closed, headless=False, order=u.order)
        )
    return shifted


def _split_strong_continuations(units: list[_Unit]) -> list[_Unit]:
    """A paragraph that opens a sentence inside a run may in fact finish a sentence left open
    elsewhere (``…完成年发电量1786`` / ``万度，水利利用系数…``): split it off when the join is
    that strong."""
    tails = [u for u in units if u.tail_open]
    if not tails:
        return units
    sides = [(t, _tail_side(t.body[-1][0].text)) for t in tails]
    # A join scores 0.3 only after a figure (a unit follows) or a quotation opened near the
    # break (it closes): a page with neither has nothing to split.
    if not any(side is not None and (side[0] or side[2] == 0.3) for _, side in sides):
        for i, u in enumerate(units):
            u.order = i
        return units
    out: list[_Unit] = []
    for u in units:
        body = u.body
        # (All pure tests: the cheapest, that the paragraph could finish a figure or a
        # quotation at all, first.)
        cuts = [
            j for j in range(1, len(body))
            if (head := _head_side(body[j][0].text)) is not None and (head[0] or head[2])
            and not _is_open(body[j - 1][0].text) and _classify(body[j][0].text) == BODY
            and _strong_join(u, head, sides)
        ]
        if not cuts:
            out.append(u)
            continue
        bounds = [0, *cuts, len(u.body)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if a == 0:
                part = _Unit(title=u.title, subtitle=u.subtitle, byline=u.byline,
                             body=u.body[a:b], headless=u.headless, order=u.order)
            else:
                part = _Unit(body=u.body[a:b], headless=True, order=u.order)
            if b == len(u.body):
                part.credit, part.closed = u.credit, u.closed
            out.append(part)
    for i, u in enumerate(out):
        u.order = i
    return out


def _strong_join(u: _Unit, head: _HeadSide | None,
                 tails: list[tuple[_Unit, _TailSide | None]]) -> bool:
    """Some open run other than ``u`` joins ``head`` with a score of 0.3 or more. Without a
    unit to finish a figure or a quotation to close, a join scores 0.15 at most."""
    if head is None or not (head[0] or head[2]):
        return False
    return any(t is not u and _join(side, head) >= 0.3 for t, side in tails)


def _merge_obvious(units: list[_Unit]) -> list[_Unit]:
    """A run left open and the headless run printed right after it, when the break falls inside
    a word and the next run starts mid-sentence (服|务，还帮我…), or a figure or quotation
    straddles it: one text, before the page-wide pairing."""
    out: list[_Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if prev is not None and u.headless and u.byline is None and u.body and prev.tail_open:
            head = u.body[0][0].text
            join = _join_score(prev.body[-1][0].text, head)
            if join >= 0.3 or (join >= 0.15 and _starts_midsentence(head)):
                out[-1] = _merge_chain([prev, u])
                continue
        out.append(u)
    return out


def _pair_score(tail: _Unit, head: _Unit, adjacent: bool, grams: dict[int, Counter[str]],
                norms: dict[int, float] | None = None) -> float:
    """How likely ``head`` (a run without a headline) continues ``tail`` (a run left open)."""
    score = _cosine(grams[id(head)], grams[id(tail)], norms)
    score += _join_score(tail.body[-1][0].text, head.body[0][0].text)
    if adjacent:
        score += 0.2  # the next column in reading order
    return score


# Largest page (units x distinct bigrams) whose counts _cosine_matrix keeps in a dense matrix.
_DENSE_CELLS = 4_000_000
# Fewer texts than this: _cosine_matrix tags each bigram with its text in one int64.
_TAGGED_TEXTS = 2**26


@lru_cache(maxsize=1)
def _cjk_table() -> Any:
    """For every code point up to U+2FFFF, whether ``CJK`` (the class of :mod:`.clean`) holds
    it; one more entry, False, stands for everything above."""
    import numpy as np

    table = np.zeros(0x30001, dtype=bool)
    for low, high in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF),
                      (0x3007, 0x3007)):
        table[low : high + 1] = True
    return table


def _cjk_mask(codes: Any) -> Any:
    """Which of ``codes`` (uint32 code points) are Chinese characters: one table lookup."""
    import numpy as np

    return _cjk_table().take(np.minimum(codes, 0x30000))


def _cosine_matrix(texts: list[str], rows: list[int], cols: list[int]) -> list[list[float]]:
    """``_cosine(_bigrams(texts[c]), _bigrams(texts[r]))`` for every r in ``rows`` and c in
    ``cols``, computed as one integer product instead of a Counter intersection per pair.

    All the texts are encoded in one go (joined by a newline, which is not Chinese, so no bigram
    spans two texts); each bigram of two Chinese characters becomes one integer, tagged with the
    text it comes from, and one sort groups equal (bigram, text) pairs into counts. Dot products
    and squared norms are integers, exact in float64 (every sum stays below 2**53), so every
    value is the same float as the Counter arithmetic's: ``dot / (norm_a * norm_b)``, or 0.0 when
    nothing is shared."""
    import numpy as np

    n = len(texts)
    # (A lone surrogate is encoded as its code point, which is not Chinese.)
    joined = "\n".join(texts).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(joined, dtype=np.uint32)
    cjk = _cjk_mask(codes)
    pairs = cjk[:-1] & cjk[1:]
    wide = codes.astype(np.int64)
    owner = np.arange(n, dtype=np.int64).repeat([len(t) + 1 for t in texts])[: len(pairs)]
    # Chinese code points are below 2**18, so a bigram is below 2**36.
    bigrams = wide[:-1] << 18
    bigrams |= wide[1:]
    if n < _TAGGED_TEXTS:  # one integer per (bigram, text), below 2**62: one plain sort
        bigrams *= n
        bigrams += owner
        tagged = bigrams[pairs]
        if not len(tagged):
            return [[0.0] * len(cols) for _ in rows]
        tagged.sort()
        first = np.empty(len(tagged), dtype=bool)
        first[0] = True
        np.not_equal(tagged[1:], tagged[:-1], out=first[1:])
        starts = first.nonzero()[0]
        distinct = tagged[starts]
        gram = distinct // n
        text = distinct - gram * n
    else:  # too many texts to tag: sort by the two keys
        bigrams, owner = bigrams[pairs], owner[pairs]
        if not len(bigrams):
            return [[0.0] * len(cols) for _ in rows]
        order = np.lexsort((owner, bigrams))
        by_gram, by_text = bigrams[order], owner[order]
        first = np.empty(len(order), dtype=bool)
        first[0] = True
        first[1:] = (by_gram[1:] != by_gram[:-1]) | (by_text[1:] != by_text[:-1])
        starts = first.nonzero()[0]
        gram, text = by_gram[starts], by_text[starts]
    ends = np.empty(len(starts), dtype=np.int64)
    ends[:-1] = starts[1:]
    ends[-1] = len(first)
    counts = ends - starts
    new_gram = np.empty(len(gram), dtype=bool)
    new_gram[0] = True
    np.not_equal(gram[1:], gram[:-1], out=new_gram[1:])
    column = new_gram.cumsum()
    column -= 1
    width = int(column[-1]) + 1
    longest = max(map(len, texts))
    if n * width <= _DENSE_CELLS and longest < 2**26:
        # Integer counts: BLAS gives the exact dot products as long as every partial sum is an
        # integer the float type holds exactly. A dot product is at most the product of the two
        # texts' lengths: below 2**24 (float32, twice as fast) for texts under 4,096 characters,
        # below 2**52 (float64) otherwise.
        matrix = np.zeros(n * width, dtype=np.float32 if longest < 2**12 else np.float64)
        text *= width
        text += column
        matrix[text] = counts
        matrix = matrix.reshape(n, width)
        products = (matrix @ matrix.T).astype(np.float64)
        squares = products.diagonal()
        dots = products.take(rows, axis=0).take(cols, axis=1)
    else:  # a page too large for a dense matrix
        from scipy.sparse import csr_matrix

        sparse = csr_matrix((counts, (text, column)), shape=(n, width), dtype=np.int64)
        squares = np.asarray(sparse.multiply(sparse).sum(axis=1)).ravel().astype(np.float64)
        dots = (sparse[rows] @ sparse[cols].T).toarray().astype(np.float64)
    # A text without bigrams has only zero dot products: 0 / 1 is the 0.0 wanted.
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    return (dots / (norms.take(rows)[:, None] * norms.take(cols))).tolist()


def _attach_fragments(units: list[_Unit]) -> list[_Unit]:
    """Attach each headless run to the run it continues.

    Candidates are runs left open mid-sentence; each open run takes at most one continuation and
    each headless run continues at most one run. The pairing maximises the total score (text
    similarity, a word or quotation straddling the break, being the next column) as an
    assignment problem.
    """
    heads = [u for u in units if u.headless and u.body]
    tails = [u for u in units if u.tail_open]
    if not heads:
        return units
    position = {u: i for i, u in enumerate(units)}
    succ: dict[_Unit, _Unit] = {}
    pred: dict[_Unit, _Unit] = {}
    if tails:
        # Only open runs and headless runs are ever compared: each one's text once.
        index: dict[_Unit, int] = {}
        texts: list[str] = []
        for u in (*tails, *heads):
            if u not in index:
                index[u] = len(texts)
                texts.append(u.text())
        cosines = _cosine_matrix(texts, [index[t] for t in tails],
                                 [index[h] for h in heads])
        scores = _pair_scores(tails, heads, cosines, position)
        pairs = _best_pairs(scores)
        for ti, hi in pairs:
            t, h = tails[ti], heads[hi]
            midsentence = _starts_midsentence(h.body[0][0].text)
            if scores[ti][hi] >= (0.0 if midsentence else 0.12):
                succ[t] = h
                pred[h] = t
    # Follow the chains from their starts.
    merged: list[_Unit] = []
    seen: set[_Unit] = set()
    for u in units:
        if u in pred or u in seen:
            continue
        chain = [u]
        seen.add(u)
        while chain[-1] in succ and succ[chain[-1]] not in seen:
            nxt = succ[chain[-1]]
            chain.append(nxt)
            seen.add(nxt)
        merged.append(_merge_chain(chain))
    # Cycles (a run continuing its own continuation) are broken where they start.
    for u in units:
        if u not in seen:
            seen.add(u)
            merged.append(u)
    merged.sort(key=lambda u: u.order)
    # A chain that still has no headline follows the article printed before it.
    out: list[_Unit] = []
    for u in merged:
        if u.headless and u.title is None and out and not out[-1].tail_open and \
                not _starts_midsentence(u.body[0][0].text if u.body else "x") and u.byline is None:
            out[-1] = _merge_chain([out[-1], u])
            continue
        out.append(u)
    return out


def _pair_scores(tails: list[_Unit], heads: list[_Unit], cosines: list[list[float]],
                 position: dict[_Unit, int]) -> list[list[float]]:
    """The score of every (open run, headless run) pair, as ``_pair_score`` sums it: the
    cosine, plus the join across the break, plus 0.2 for the next column; -1 for a run and
    itself. ``cosines`` becomes the matrix (its rows are updated in place).

    Most pairs have no join and are not adjacent: their score is the cosine (adding 0.0 to a
    cosine, never -0.0, leaves it as it is). Only the heads a tail can join are looked at: a
    unit after a figure, a quotation closed, a first character that makes a common word with
    the tail's last."""
    head_sides = [_head_side(h.body[0][0].text) for h in heads]
    units_first = [k for k, side in enumerate(head_sides) if side is not None and side[0]]
    closing = [k for k, side in enumerate(head_sides) if side is not None and side[2]]
    by_first: dict[str, list[int]] = {}
    for k, side in enumerate(head_sides):
        if side is not None:
            by_first.setdefault(side[1], []).append(k)
    column_at = {position[h]: k for k, h in enumerate(heads)}
    column_of = {h: k for k, h in enumerate(heads)}
    words = _common_words2()
    for t, row in zip(tails, cosines, strict=True):
        side = _tail_side(t.body[-1][0].text)
        if side is not None:
            joined: set[int] = set()
            if side[0]:
                joined.update(units_first)
            if side[2]:
                joined.update(closing)
            last = side[1]
            for first, columns in by_first.items():
                if last + first in words:
                    joined.update(columns)
            for k in joined:
                row[k] += _join(side, head_sides[k])
        k = column_at.get(position[t] + 1)
        if k is not None:
            row[k] += 0.2  # the next column in reading order
        k = column_of.get(t)
        if k is not None:
            row[k] = -1.0
    return cosines


def _best_pairs(scores: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one pairing of rows and columns, keeping pairs scored >= 0."""
    if not scores or not scores[0]:
        return []
    return [(r, c) for r, c in _max_assignment(scores) if scores[r][c] >= 0]


def _max_assignment(scores: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment of a rectangular matrix: (row, column) pairs by row.

    The shortest augmenting path algorithm (Crouse, "On implementing 2D rectangular assignment
    algorithms", IEEE TAES 52(4), 2016) with the choices scipy's ``linear_sum_assignment``
    makes (a tall matrix is transposed, costs are negated, columns are scanned from the last,
    a tie goes to a free column), so that the same pairing comes out when several are optimal,
    with the same floating-point operations in the same order. Pages have a few dozen runs at
    most: plain Python costs less than importing scipy.optimize."""
    nr, nc = len(scores), len(scores[0])
    transpose = nc < nr
    if transpose:
        cost = [[-x for x in column] for column in zip(*scores, strict=True)]
        nr, nc = nc, nr
    else:
        cost = [[-x for x in row] for row in scores]
    inf = math.inf
    u = [0.0] * nr
    v = [0.0] * nc
    path = [-1] * nc
    col4row = [-1] * nr
    row4col = [-1] * nc
    columns = list(range(nc - 1, -1, -1))
    for cur in range(nr):
        remaining = columns.copy()
        num = nc
        rows_seen: list[int] = []  # in the order reached (each is updated once below)
        cols_seen: list[int] = []
        shortest = [inf] * nc
        min_val = 0.0
        i = cur
        sink = -1
        while sink == -1:
            index = -1
            lowest = inf
            rows_seen.append(i)
            row = cost[i]
            ui = u[i]
            for it in range(num):
                j = remaining[it]
                r = min_val + row[j] - ui - v[j]
                reach = shortest[j]
                if r < reach:
                    path[j] = i
                    shortest[j] = reach = r
                if reach < lowest or (reach == lowest and row4col[j] == -1):
                    lowest = reach
                    index = it
            min_val = lowest
            if min_val == inf:
                raise ValueError("cost matrix is infeasible")
            j = remaining[index]
            if row4col[j] == -1:
                sink = j
            else:
                i = row4col[j]
            cols_seen.append(j)
            num -= 1
            remaining[index] = remaining[num]
        u[cur] += min_val
        for i in rows_seen:
            if i != cur:
                u[i] += min_val - shortest[col4row[i]]
        for j in cols_seen:
            v[j] -= min_val - shortest[j]
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    if transpose:
        return [(col4row[k], k) for k in sorted(range(nr), key=col4row.__getitem__)]
    return list(enumerate(col4row))


def _merge_chain(chain: list[_Unit]) -> _Unit:
    head = chain[0]
    if len(chain) == 1:
        return head
    body = list(head.body)
    credit, closed, byline = head.credit, head.closed, head.byline
    for prev_u, u in zip(chain, chain[1:], strict=False):
        glue = "" if prev_u.tail_open else "\n"
        for j, (p, g) in enumerate(u.body):
            body.append((p, glue if j == 0 else g))
        if u.credit is not None:
            credit = u.credit
        closed = u.closed
        if byline is None and u.byline is not None:
            byline = u.byline
    return _Unit(title=head.title, subtitle=head.subtitle, byline=byline, body=body,
                 credit=credit, closed=closed, headless=head.headless, order=head.order)


def _join_adjacent_breaks(units: list[_Unit]) -> None:
    """Inside one article, a paragraph broken mid-sentence and continued by the next one is glued
    back without a line break."""
    for u in units:
        body = u.body
        for j in range(1, len(body)):
            p, g = body[j]
            if g == "\n" and _open_body(body[j - 1][0].text) and _classify(p.text) == BODY:
                body[j] = (p, "")


def _span_maker() -> Any:
    """``Span(start, end, role, glue)`` for the many spans of a page, made the way pickle makes
    them: a bare instance whose four slots are set directly. A frozen dataclass's ``__init__``
    goes through ``object.__setattr__`` for every field, which costs twice as much. Plain
    ``Span`` whenever the class is not the four-slot frozen dataclass this relies on."""
    names = tuple(f.name for f in fields(Span))
    if names != ("start", "end", "role", "glue") or hasattr(Span, "__post_init__") or \
            getattr(Span, "__slots__", None) != names:
        return Span
    set_start, set_end, set_role, set_glue = (Span.__dict__[n].__set__ for n in names)
    new = object.__new__

    def make(start: int, end: int, role: str, glue: str) -> Span:
        span = new(Span)
        set_start(span, start)
        set_end(span, end)
        set_role(span, role)
        set_glue(span, glue)
        return span

    return make


_span = _span_maker()


def _to_article(u: _Unit, *, doc_id: str, source: str, index: int, label: str = "",
                lead: tuple[Span, ...] = ()) -> Article:
    """The article of a unit; ``lead`` spans (an annex's label) come before its own."""
    spans: list[Span] = list(lead)
    span = _span
    if u.title is not None:
        spans.append(span(u.title.start, u.title.end, "title", ""))
    if u.subtitle is not None:
        spans.append(span(u.subtitle.start, u.subtitle.end, "subtitle", ""))
    if u.byline is not None:
        spans.append(span(u.byline.start, u.byline.end, "byline", ""))
    body_parts: list[str] = []
    if u.body:
        p = u.body[0][0]
        spans.append(span(p.start, p.end, "body", ""))
        body_parts.append(p.text)
        for p, glue in islice(u.body, 1, None):
            spans.append(span(p.start, p.end, "body", glue))
            body_parts.append(glue)
            body_parts.append(p.text)
    bylines = [u.byline.text] if u.byline is not None else []
    if u.credit is not None:
        spans.append(span(u.credit[0], u.credit[1], "byline", ""))
        if u.credit[2] and u.credit[2] not in bylines:
            bylines.append(u.credit[2])
    # (Positional: doc, source, index, title, subtitle, byline, body, spans, label.)
    return Article(f"{doc_id}#{index}", source, index, u.title.text if u.title else "",
                   u.subtitle.text if u.subtitle else "", " / ".join(bylines),
                   "".join(body_parts), tuple(spans), label)


def _split_annexes(paras: list[Paragraph], marks: list[int], *, doc_id: str, source: str,
                   meta: dict[str, str]) -> tuple[Article, ...]:
    """A government document: main part, then one article per 附件N."""
    sections = [(None, paras[: marks[0]])]
    for i, m in enumerate(marks):
        end = marks[i + 1] if i + 1 < len(marks) else len(paras)
        sections.append((paras[m], paras[m + 1 : end]))
    articles: list[Article] = []
    for index, (mark, block) in enumerate(sections):
        u = _Unit()
        rest = list(block)
        title_text = meta.get("title", "") if mark is None else ""
        # The title: the first headline-like paragraph (a page title repeated in the document
        # header counts once).
        for j, p in enumerate(rest[:6]):
            if _classify(p.text) in (HEADING,) or (mark is None and title_text
                                                   and p.text == title_text):
                u.title = p
                rest = rest[j + 1 :]
                break
        if u.title is not None:
            # Drop repeats of the title; the plan's own name becomes the subtitle.
            rest = [p for p in rest if p.text != u.title.text]
            if mark is None:
                for j, p in enumerate(rest[:12]):
                    if _classify(p.text) == HEADING and _DOC_KIND_RE.search(p.text) and \
                            p.text != u.title.text:
                        u.subtitle = p
                        rest = rest[:j] + rest[j + 1 :]
                        break
        u.body = [(p, "\n") for p in rest]
        label = re.sub(r"\s+", "", mark.text) if mark is not None else ""
        lead = (_span(mark.start, mark.end, "label", ""),) if mark is not None else ()
        articles.append(_to_article(u, doc_id=doc_id, source=source, index=index, label=label,
                                    lead=lead))
    return tuple(articles)


def split_articles(text: str, *, doc_id: str, source: str,
                   meta: dict[str, str] | None = None) -> tuple[Article, ...]:
    """The articles of one cleaned document (see the module docstring)."""
    meta = meta or {}
    paras = paragraphs(text)
    if not paras:
        return ()
    marks = [i for i, p in enumerate(paras)
             if p.text[0] == "附" and _ANNEX_MARK_RE.match(p.text)] if "附" in text else []
    if marks:
        return _split_annexes(paras, marks, doc_id=doc_id, source=source, meta=meta)
    units = _build_units(paras)
    units = _shift_titles_back(units)
    units = _split_strong_continuations(units)
    units = _merge_obvious(units)
    units = _attach_fragments(units)
    _join_adjacent_breaks(units)
    units = [u for u in units if u.body or u.title is not None]
    units.sort(key=lambda u: u.order)
    if len(units) == 1 and units[0].title is None and meta.get("title"):
        pass
    return tuple(
        _to_article(u, doc_id=doc_id, source=source, index=i) for i, u in enumerate(units)
    )


def whole_document(text: str, *, doc_id: str, source: str,
                   meta: dict[str, str] | None = None) -> Article:
    """``--no-split``: the whole cleaned text as one article (title from the page metadata or
    the first headline-like line)."""
    meta = meta or {}
    paras = paragraphs(text)
    title = meta.get("title", "")
    spans: list[Span] = []
    body_parts: list[str] = []
    for p in paras:
        if not title and _classify(p.text) == HEADING and not spans:
            title = p.text
            spans.append(Span(p.start, p.end, "title", ""))
            continue
        g = "\n" if body_parts else ""
        spans.append(Span(p.start, p.end, "body", g))
        body_parts.append(g + p.text)
    return Article(doc=doc_id, source=source, index=0, title=title, subtitle="", byline="",
                   body="".join(body_parts), spans=tuple(spans))
