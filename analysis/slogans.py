"""Slogans (提法): the formulations policy language runs on.

Three kinds are found in the articles of a corpus:

* ``numeric``: a numeral plus morphemes, in the shapes policy prose uses: 三高四新, 两不愁三保障,
  一主一特 (several numeral-led groups); 七大攻坚, 三张名片, 两个确立 (numeral + 大/个/项/张/条 +
  noun); 五个一, 三个三; 1+1+N+N; numeral-led compounds such as 四上企业. Ordinary quantities
  (三个项目, 两家企业, 三年行动) are not formulations.
* ``quoted``: phrases in “…”, ‘…’, 「…」 and 『…』 that are not quoted speech (long, first person,
  sentence punctuation) and not scare quotes around an ordinary word (“顶梁柱”, “发动机”, “速度与
  激情”).
* ``term``: fixed terms: the built-in policy dictionary (and user dictionaries), plus cohesive
  token n-grams that recur across documents (:func:`recurring_phrases`).

A formulation is never cut into fragments: an occurrence inside a longer one is dropped, a quoted
short form followed by the rest of a known formulation (“五好”园区) counts as that formulation,
and a one-off numeric prefix of a formulation that recurs elsewhere (三高 beside 三高四新) is
dropped.

Every occurrence is found in ``Document.pieces(article)``, so ``start``/``end`` are offsets into
``Document.text``. Pieces that continue a sentence across a column break are joined, and
whitespace between two Chinese characters is ignored, so 两不愁 三保障 (broken across a line) is
still 两不愁三保障; the surface forms are kept as ``variants``.

:func:`find_slogans` takes a list; :func:`stream_slogans` takes a function that gives the
documents again for each of its passes and holds one document at a time, so memory follows the
working set (counts, the surviving slogans and their first examples), not the corpus.

This module is pure: the caller passes the segmenter (a ``cut`` callable and, optionally, a
``word_freq`` callable) and the known terms.
"""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from .models import Article, Document

__all__ = [
    "KINDS",
    "Example",
    "Slogan",
    "Title",
    "GroupSummary",
    "SloganResult",
    "Lexicon",
    "find_slogans",
    "stream_slogans",
    "recurring_phrases",
    "numeric_shape",
    "numeral_total",
    "dictionary_lines",
]

KINDS = ("numeric", "quoted", "term")

# ---------------------------------------------------------------------------------------------
# Character classes and shapes
# ---------------------------------------------------------------------------------------------
_NUMS = "一二两三四五六七八九十百千万双"
_N = f"[{_NUMS}]"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_M = f"(?:(?![{_NUMS}])[{_CJK}])"
# 三高四新, 两不愁三保障, 一核两电三色四新, 五单一图谱, 一件事一次办
_MULTI_RE = re.compile(f"(?:{_N}{_M}{{1,3}}){{2,6}}")
_MULTI_GROUP_RE = re.compile(f"{_N}{_M}{{1,3}}")
# 七大攻坚, 三张名片, 两个确立, 十大重点民生实事
_CLASS_RE = re.compile(f"({_N})(大|个|项|张|条)({_M}{{2,6}})")
# 五个一, 三个三
_NGEN_RE = re.compile(f"{_N}个{_N}")
# 四上企业, 五好园区
_HEADS = (
    "企业",
    "园区",
    "工程",
    "行动",
    "战略",
    "机制",
    "制度",
    "模式",
    "体系",
    "格局",
    "理念",
    "承诺",
    "服务",
    "工作法",
    "政策",
    "目标",
    "任务",
)
_COMPOUND_RE = re.compile(f"({_N})({_M})({'|'.join(_HEADS)})")
# 1+1+N+N, 1+3, 4+4
_PLUS_RE = re.compile(
    r"(?<![0-9A-Za-z.+])(?:[0-9]{1,2}|[NnXx])(?:\+(?:[0-9]{1,2}|[NnXx])){1,5}(?![0-9A-Za-z.+%])"
)
_PLUS_FULL_RE = re.compile(
    rf"(?:[0-9]{{1,2}}|[NnXx])(?:\+(?:[0-9]{{1,2}}|[NnXx])){{1,5}}[{_CJK}]{{0,6}}"
)
# a quoted short numeral-led form: “三保”, “四上”, “十四条”, “三聚焦”, “十四五”
_SHORT_NUM_RE = re.compile(f"{_N}{{1,3}}[{_CJK}]{{0,5}}")
_CODE_RE = re.compile(f"[0-9]{{3,5}}[{_CJK}]{{0,8}}")  # “5122人才引进工程”
_YEAR_RE = re.compile(r"^(?:19|20)\d\d")
_TIME_M = set("年月日天周季时分秒")  # 三年行动, 一年一度: a span of time, not a count of items

# The last group of a multi-group shape may not be a bare unit (一年一度, 一级抓一级).
_UNITS = set("年月日天周季次度级个名人户家位批项件条种期届号轮层点岁元万亿只台遍")
# A unit right after the numeral of a compound means a quantity (三年行动, 百日攻坚).
_QUANTITY_M = _UNITS | set("倍成分秒时代世些省市县区镇乡村")
# A first group that is a determiner (一批, 一些, 一个, 一种) starts ordinary prose, not a
# formulation: 一批五星级…, 一个一个.
_DETERMINER_M = set("批些个种份系道次")
# Words in which 一 is not a count: 一切 一定 一贯 一直 一般 一致 一样 一旦 一起 一度 …
_ONE_WORDS = set("切定贯直般致样旦起度体律向味再共同并齐概时些是步就浪面方")
# Nouns after N个/N项/N张/N条 that mark an ordinary count (三个项目, 两个乡镇园区).
_COUNT_NOUNS = (
    "项目",
    "企业",
    "方面",
    "部门",
    "单位",
    "问题",
    "小时",
    "工作日",
    "月",
    "县",
    "市",
    "区",
    "乡镇",
    "村",
    "社区",
    "窗口",
    "专班",
    "工作组",
    "行业",
    "领域",
    "环节",
    "片区",
    "人",
    "亿",
    "万",
    "百分点",
    "批次",
    "季度",
    "年度",
    "阶段",
    "层次",
    "工作",
    "重点",
)
# Heads after N个 that are verbs or abstractions, as in 两个确立, 四个全面, 三个代表.
_ABSTRACT_HEADS = (
    "全面",
    "自信",
    "确立",
    "维护",
    "意识",
    "代表",
    "务必",
    "必须",
    "毫不动摇",
    "没有变",
    "坚持",
    "一以贯之",
    "推动",
    "提升",
    "转变",
    "高地",
    "基地",
    "名片",
)
# Second and later tokens that end a noun after N大 (六大产业链 | 建设).
_TAIL_STOP = {
    "建设",
    "发展",
    "工作",
    "实施",
    "推进",
    "任务",
    "要求",
    "目标",
    "行动计划",
    "部署",
    "方案",
    "总体",
    "综合",
    "领导",
    "小组",
    "相关",
    "重点",
    "项目",
    "规模",
    "企业",
}
_FUNCTION_CHARS = set("的与之了着及和或而把被")
_SPEECH_END = set("。！？!?…")
_PARALLEL_SEP_RE = re.compile(r"[、，,；;]")
_FIRST_PERSON_RE = re.compile(r"我们|我|咱|俺")
_QUOTE_RES = (
    re.compile(r"“([^“”\n]{1,150})”"),
    re.compile(r"‘([^‘’\n]{1,150})’"),
    re.compile(r"「([^「」\n]{1,150})」"),
    re.compile(r"『([^『』\n]{1,150})』"),
    re.compile(r"\"([^\"\n]{1,30})\""),
)
_TITLE_RE = re.compile(r"《([^《》\n]{1,120})》")
_NUM_RUN_RE = re.compile(f"{_N}+")
_PAREN_RE = re.compile(r"(.+?)[（(](.+)[）)]")
_MUST_RE = re.compile("要|必须|应当")
_NAMELY_RE = re.compile(r"[”’」』]?[，,：:]?\s*即[：:，,]?\s*([^。；;\n]{2,200})")
_PAREN_AFTER_RE = re.compile(r"[”’」』]?[（(]([^（）()\n]{2,200})[）)]")
_COLON_LIST_RE = re.compile(r"[”’」』]?[^，。；：:\n]{0,8}?[：:]([^。\n]{4,240})")
_LETTER_N_RE = re.compile("[NnXx]")
_KEY_DROP_RE = re.compile(r"[、，,；;\s]")
_SPACE_RE = re.compile(r"[ \t\u3000\u00a0\r]+")
_BOUNDARY_CHARS = set("。；;\n！？!?")

# Dictionary words that are policy formulations when quoted (the jieba dictionary has them as
# ordinary words, so the scare-quote test alone would drop them).
_QUOTED_POLICY_WORDS = frozenset(
    {
        "走出去",
        "引进来",
        "卡脖子",
        "白名单",
        "负面清单",
        "链长",
        "链主",
        "放管服",
        "一网通办",
        "小巨人",
        "单项冠军",
        "回头看",
        "最后一公里",
        "最先一公里",
        "双循环",
        "十四五",
        "十三五",
    }
)

# Policy-dictionary sources that list formulations. Agency names (agency-pattern,
# curated-agency) are not formulations, and the terms mined from the work reports
# (gwr-discovery) are mostly vocabulary and statistics (进出口总额); only their numbered ones (nz)
# count.
FORMULATION_SOURCES = frozenset({"curated-national", "curated-hunan", "numeral-pattern"})

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "双": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def _cn_number(s: str) -> int | None:
    """十四 -> 14, 三 -> 3, 二十 -> 20; None when ``s`` is not a Chinese numeral."""
    if not s:
        return None
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (cur or 1) * _CN_UNITS[ch]
            cur = 0
        else:
            return None
    return total + cur


@lru_cache(maxsize=1 << 16)
def numeric_shape(s: str) -> str | None:
    """Which numeric formulation shape ``s`` has as a whole, or None.

    ``multi`` (三高四新), ``class`` (七大攻坚, 三张名片), ``ngen`` (五个一),
    ``compound`` (四上企业), ``plus`` (1+1+N), ``short`` (三保, 十四五: only meaningful for
    quoted forms), ``code`` (5122人才引进工程)."""
    if _PLUS_FULL_RE.fullmatch(s):
        return "plus"
    if _NGEN_RE.fullmatch(s):
        return "ngen"
    if _MULTI_RE.fullmatch(s):
        groups = _MULTI_GROUP_RE.findall(s)
        if "".join(groups) == s and groups[-1][1:] not in _UNITS:
            return "multi"
    m = _CLASS_RE.fullmatch(s)
    if m:
        return "class"
    m = _COMPOUND_RE.fullmatch(s)
    if m and m.group(2) not in _QUANTITY_M:
        return "compound"
    m = _SHORT_NUM_RE.fullmatch(s)
    if m and len(s) >= 2:
        rest = s.lstrip(_NUMS)
        if not rest or rest[0] not in _TIME_M:
            return "short"
    if _CODE_RE.fullmatch(s) and not _YEAR_RE.match(s):
        return "code"
    return None


def numeral_total(s: str) -> int | None:
    """How many items a numeric formulation announces: 三员 -> 3, 一必须五到位 -> 6,
    五个一 -> 5, 四比四提高 -> 8 (used to check that a nearby list is its expansion)."""
    shape = numeric_shape(s)
    if shape is None or shape in ("plus", "code"):
        return None
    if shape == "multi":
        return sum(_cn_number(g[0]) or 0 for g in _MULTI_GROUP_RE.findall(s)) or None
    m = _NUM_RUN_RE.match(s)
    return _cn_number(m.group(0)) if m else None


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Example:
    doc: str
    source: str
    start: int
    end: int
    context: str


@dataclass(frozen=True, slots=True)
class Slogan:
    slogan: str
    kind: str
    count: int
    docs: int
    variants: tuple[str, ...]
    expansion: str | None
    examples: tuple[Example, ...]
    by_group: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Title:
    title: str
    count: int
    docs: int
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    docs: int
    chars: int
    slogans: int
    only: tuple[str, ...]  # slogans found in this group and no other
    rising: tuple[str, ...]  # more frequent (per character) than in the previous group
    falling: tuple[str, ...]  # less frequent than in the previous group


@dataclass(frozen=True, slots=True)
class SloganResult:
    slogans: tuple[Slogan, ...]
    titles: tuple[Title, ...]
    groups: tuple[GroupSummary, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """What the detector needs to know about words.

    ``cut`` segments a line (it should keep the known terms whole); ``word_freq`` says how common
    a word is in the segmenter's general dictionary (None: unknown), to recognise scare quotes;
    ``terms`` are fixed terms (policy dictionary without agency names, plus user entries);
    ``stopwords`` are tokens that never start or end a recurring phrase; ``coined`` are words
    added to the segmenter's dictionary (营改增), which ``word_freq`` cannot tell from common
    words."""

    cut: Callable[[str], list[str]]
    word_freq: Callable[[str], int | None] | None = None
    terms: frozenset[str] = frozenset()
    stopwords: frozenset[str] = frozenset()
    coined: frozenset[str] = frozenset()  # words the segmenter was taught: never "ordinary"

    @classmethod
    def from_segmenter(cls, seg, *, policy_terms: bool = True) -> Lexicon:
        """The usual lexicon: ``seg`` cuts, its dictionary tells ordinary words, and the
        formulations of the policy dictionary (:data:`FORMULATION_SOURCES`, plus numbered terms)
        and the segmenter's user entries are the terms."""
        from .segment import formula_verbs, policy_dictionary, policy_stopwords

        terms = set()
        coined = {e.word for e in seg.user_entries}
        if seg.policy_dict:
            coined.update(e.word for e in policy_dictionary())
        if policy_terms and seg.policy_dict:
            terms.update(
                e.word
                for e in policy_dictionary()
                if e.source in FORMULATION_SOURCES or e.pos == "nz"
            )
        terms.update(e.word for e in seg.user_entries)
        return cls(
            cut=seg.cut,
            word_freq=seg.word_freq,
            terms=frozenset(terms),
            stopwords=frozenset(policy_stopwords() | formula_verbs()),
            coined=frozenset(coined),
        )


# ---------------------------------------------------------------------------------------------
# Scanning an article
# ---------------------------------------------------------------------------------------------
class _Spans:
    """Token spans ``(start, end)`` packed in one array: a list of tuples took about 110 bytes
    a token, gigabytes on a 100 MB corpus."""

    __slots__ = ("_flat",)

    def __init__(self) -> None:
        self._flat = array("q")

    def append(self, start: int, end: int) -> None:
        self._flat.append(start)
        self._flat.append(end)

    def __len__(self) -> int:
        return len(self._flat) // 2

    def __getitem__(self, i: int) -> tuple[int, int]:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._flat[2 * i], self._flat[2 * i + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        flat = self._flat
        return zip(flat[0::2], flat[1::2], strict=True)

    def extend_bounds(self, bounds: list[int]) -> None:
        """Adjacent spans: (bounds[0], bounds[1]), (bounds[1], bounds[2]), ..."""
        for start, end in zip(bounds[:-1], bounds[1:], strict=True):
            self._flat.append(start)
            self._flat.append(end)


@dataclass
class _Scan:
    """An article's text as scanned: pieces joined (column-break continuations glued, other
    pieces separated by a newline), whitespace between Chinese characters removed. ``offs[i]``
    is the offset in ``Document.text`` of ``text[i]`` (-1 for an inserted newline)."""

    doc: Document
    article: Article
    order: int
    text: str
    offs: array  # array("q"): a list of ints cost 36 bytes a character on a 100 MB corpus
    tokens: _Spans = field(default_factory=lambda: _Spans())
    # with ``keep_lines``: the token lines (runs of adjacent tokens) as (start, [tokens])
    lines: list[tuple[int, list[str]]] | None = None

    def doc_span(self, s: int, e: int) -> tuple[int, int]:
        return self.offs[s], self.offs[e - 1] + 1

    def surface(self, s: int, e: int) -> str:
        """The text as written between compact positions ``s`` and ``e``: whitespace that was
        dropped shows as one space."""
        out = [self.text[s]]
        for i in range(s + 1, e):
            if self.offs[i] != self.offs[i - 1] + 1:
                gap = (
                    self.doc.text[self.offs[i - 1] + 1 : self.offs[i]]
                    if self.offs[i] > self.offs[i - 1]
                    else " "
                )
                out.append(" " if (not gap or gap.isspace() or len(gap) > 8) else "")
            out.append(self.text[i])
        return "".join(out)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


_WS_RE = re.compile(r"\s+")  # the same characters as str.isspace


def _scan_article(doc: Document, art: Article, order: int) -> _Scan:
    chunks: list[str] = []
    offs = array("q")
    pieces = doc.pieces(art)
    spans = [s for s in art.spans if s.role in ("title", "subtitle", "body")]
    prev_role = None
    last = ""  # the last character kept ("" at the start and after an inserted newline)
    for (offset, text), span in zip(pieces, spans, strict=True):
        if chunks and (span.glue != "" or span.role != prev_role):
            chunks.append("\n")
            offs.append(-1)
            last = ""
        prev_role = span.role
        pos = 0
        size = len(text)
        for m in _WS_RE.finditer(text):
            a, b = m.span()
            if a > pos:
                chunks.append(text[pos:a])
                offs.extend(range(offset + pos, offset + a))
                last = text[a - 1]
            pos = b
            if b == size:
                break  # whitespace at the end of a piece is dropped
            if last and not (_is_cjk(last) and _is_cjk(text[b])):
                # whitespace between non-Chinese characters (or a line break) stays a break
                chunks.append("\n" if "\n" in m.group() else " ")
                offs.append(offset + a)
        if pos < size:
            chunks.append(text[pos:])
            offs.extend(range(offset + pos, offset + size))
            last = text[-1]
    return _Scan(doc, art, order, "".join(chunks), offs)


def _tokenize(scan: _Scan, cut: Callable[[str], list[str]], keep_lines: bool = False) -> None:
    """Token spans of each line of ``scan.text`` (the tokens found in order, from where the
    previous one ended); with ``keep_lines`` also ``scan.lines``, the runs of adjacent tokens
    as (start, tokens), interned."""
    pos = 0
    spans = scan.tokens
    lines: list[tuple[int, list[str]]] = []
    intern = sys.intern
    for line in scan.text.split("\n"):
        toks = cut(line)
        if toks and "".join(toks) == line:
            # the usual case: the tokens cover the line, end to end
            ends = list(accumulate(map(len, toks), initial=pos))
            spans.extend_bounds(ends)
            if keep_lines:
                lines.append((pos, list(map(intern, toks))))
        elif toks:
            cursor = 0
            run: list[str] = []
            run_start = prev_end = -1
            for tok in toks:
                i = line.find(tok, cursor)
                if i < 0:
                    continue
                cursor = i + len(tok)
                spans.append(pos + i, pos + cursor)
                if keep_lines:
                    if pos + i != prev_end and run:
                        lines.append((run_start, run))
                        run = []
                    if not run:
                        run_start = pos + i
                    run.append(intern(tok))
                    prev_end = pos + cursor
            if run:
                lines.append((run_start, run))
        pos += len(line) + 1
    if keep_lines:
        scan.lines = lines


@dataclass
class _Occ:
    scan: _Scan
    s: int  # compact span of the whole occurrence (quote marks included)
    e: int
    canon: str
    source: str  # "quote" | "numeric" | "term"
    surface: str
    expansion: str | None = None
    tail: str = ""  # for a quote: the text right after it (“五好”|园区)
    shape: str | None = None

    @property
    def key(self) -> tuple[int, int]:
        return (self.scan.order, self.s)


# ---------------------------------------------------------------------------------------------
# Quoted phrases
# ---------------------------------------------------------------------------------------------
def _split_parenthetical(q: str) -> tuple[str, str | None]:
    m = _PAREN_RE.fullmatch(q)
    if m and len(m.group(1)) <= 12:
        return m.group(1).strip(), m.group(2).strip()
    return q, None


def _quote_verdict(q: str) -> str | None:
    """Why the quoted text ``q`` is not a slogan ('speech', 'long', 'short', 'phrase'), or None
    when it may be one (the ordinary-word test comes later, with the corpus counts)."""
    cjk = sum(1 for ch in q if _is_cjk(ch))
    if cjk == 0:
        return None if _PLUS_FULL_RE.fullmatch(q) else "short"
    if q[-1] in _SPEECH_END or any(ch in _SPEECH_END for ch in q):
        return "speech"
    if len(q) > 40:
        return "speech"
    parts = [p for p in _PARALLEL_SEP_RE.split(q) if p]
    if len(parts) >= 2:
        if _FIRST_PERSON_RE.search(q) and len(q) > 12:
            return "speech"
        if len(q) > 10 and _MUST_RE.search(q) and "就要" not in q:
            return "speech"  # an instruction quoted from a leader: 对残疾人要格外关心、格外关注
        if any(len(p) > 12 for p in parts) or len(parts) > 8:
            return "speech"
        return None
    if len(q) == 1:
        return "short"
    if len(q) > 14 and not numeric_shape(q):
        return "long"
    if any(ch in _FUNCTION_CHARS for ch in q[1:-1]) and not numeric_shape(q) and "+" not in q:
        return "phrase"
    return None


def _find_quotes(scan: _Scan) -> list[_Occ]:
    out: list[_Occ] = []
    text = scan.text
    for rx in _QUOTE_RES:
        for m in rx.finditer(text):
            raw = m.group(1).strip()
            if not raw:
                continue
            canon, inner_exp = _split_parenthetical(raw)
            canon = _SPACE_RE.sub("", canon)
            if _quote_verdict(canon) is not None:
                continue
            tail = text[m.end() : m.end() + 4]
            occ = _Occ(
                scan,
                m.start(),
                m.end(),
                canon,
                "quote",
                scan.surface(m.start(), m.end()),
                expansion=inner_exp,
                tail=tail,
                shape=numeric_shape(canon),
            )
            if occ.expansion is None:
                occ.expansion = _expansion_near(scan, m.start(), m.end(), canon)
            out.append(occ)
    return out


_LEAD_IN_RE = re.compile(
    r"^(?:按照|以及|聚焦|落实|实现|推进|加快|围绕|包括|重点|着力|打造|建设|推动|加强|实施|开展|"
    r"坚持|通过|依托|构建|形成|推出|建立|做好|抓好|紧扣|对|将|把|以|在|和|与|及|由)+"
)
_TRAIL_RE = re.compile(r"(?:的|等|任|为|担任|作为|这|共)+$")


def _tidy(exp: str) -> str:
    exp = exp.strip("，,；;：: ")
    exp = _TRAIL_RE.sub("", _LEAD_IN_RE.sub("", exp))
    return exp.strip("，,；;：: ")


def _items(text: str) -> list[str]:
    return [p for p in _PARALLEL_SEP_RE.split(text) if p.strip()]


def _inner_numeral(canon: str) -> int | None:
    """The count in a short name with one numeral inside: 发展六仗 -> 6."""
    runs = _NUM_RUN_RE.findall(canon)
    if len(canon) <= 6 and len(runs) == 1 and not canon.startswith(runs[0]):
        return _cn_number(runs[0])
    return None


def _expansion_near(scan: _Scan, s: int, e: int, canon: str) -> str | None:
    """The definition the text gives next to an occurrence at [s, e), if any:
    “X”，即…; “X”：即…; “X”（…）; …，简称“X”; and, for a numeric formulation, a list of as
    many items as it announces right before it (A、B、C“三员”) or after a colon."""
    text = scan.text
    after = text[e : e + 240]
    m = _NAMELY_RE.match(after)
    if m:
        return m.group(1).strip("，, ")
    m = _PAREN_AFTER_RE.match(after)
    if m and len(_items(m.group(1))) >= 2:
        return m.group(1).strip()
    before = text[max(0, s - 240) : s]
    # cheap anchored test first: the full pattern is quadratic on long unpunctuated text
    m = _ALIAS_END_RE.search(before) and _ALIAS_RE.search(before)
    if m:
        return m.group(1).strip("，, ")
    total = numeral_total(canon) or _inner_numeral(canon)
    if total and total >= 2:
        m = _COLON_LIST_RE.match(after)
        if m and len(_items(m.group(1))) == total:
            return _tidy(m.group(1))
        tail = _last_clause(before)[-160:]
        if len(tail) >= 4 and "、" in tail:
            items = _items(tail)
            lengths = [len(x.strip()) for x in items]
            if (
                len(items) == total
                and max(lengths) <= 10
                and min(lengths) >= 2
                and max(lengths) <= 3 * min(lengths)
            ):
                return _tidy(tail)
    return None


_ALIAS_END_RE = re.compile(r"[，,]\s*(?:以下)?简称(?:为)?$")
_ALIAS_RE = re.compile(r"([^。；;\n：:]{2,200})[，,]\s*(?:以下)?简称(?:为)?$")


def _last_clause(text: str) -> str:
    """What follows the last clause delimiter (linear, unlike a ``[^…]+$`` search)."""
    cut = max(text.rfind(c) for c in "，,。；;：:\n")
    return text[cut + 1 :]


# ---------------------------------------------------------------------------------------------
# Numeric formulations outside quotes
# ---------------------------------------------------------------------------------------------
# 双招双引, 一企一策, 三送三解三优: the same numeral before every group, found on the text itself
# because jieba's new-word guesser cuts them anywhere (以双|招双|引为).
_REPEAT_RE = re.compile(f"({_N})({_M})\\1({_M})(?:\\1({_M}))?")


def _find_repeats(scan: _Scan, lex: Lexicon) -> list[_Occ]:
    out = []
    text = scan.text
    for m in _REPEAT_RE.finditer(text):
        s, e = m.start(), m.end()
        if s > 0 and text[s - 1] in _NUMS:
            continue
        cand = m.group(0)
        if numeric_shape(cand) != "multi" or not _numeric_ok(cand, "multi", lex):
            continue
        if _ordinary_word(cand, lex):
            continue
        out.append(_Occ(scan, s, e, cand, "numeric", scan.surface(s, e), shape="multi"))
    return out


def _find_plus(scan: _Scan) -> list[_Occ]:
    out = []
    for m in _PLUS_RE.finditer(scan.text):
        if "1" not in m.group(0) and not _LETTER_N_RE.search(m.group(0)):
            continue  # 2+3 is arithmetic more often than a formulation
        out.append(
            _Occ(
                scan,
                m.start(),
                m.end(),
                m.group(0).upper(),
                "numeric",
                scan.surface(m.start(), m.end()),
                shape="plus",
            )
        )
    return out


_NUM_START_RE = re.compile(f"(?<![{_NUMS}第每这那]){_N}")


def _find_numeric(scan: _Scan, lex: Lexicon) -> list[_Occ]:
    """Numeral-led formulations aligned on token boundaries: from each token that starts with
    a numeral (not after another numeral, 第, 每, 这 or 那), left to right, the next search
    starting after the tokens a formulation took."""
    out: list[_Occ] = []
    text = scan.text
    toks = scan.tokens
    n = len(toks)
    starts: list[int] | None = None
    lo = 0
    for m in _NUM_START_RE.finditer(text):
        p = m.start()
        if starts is None:
            starts = toks.starts if isinstance(toks, _SpanList) else [s for s, _ in toks]
        i = bisect.bisect_left(starts, p, lo)
        while i < n and starts[i] == p:
            best = _numeric_at(text, toks, i, lex)
            if best is not None:
                j, shape = best
                s, e = p, toks[j][1]
                out.append(
                    _Occ(scan, s, e, text[s:e], "numeric", scan.surface(s, e), shape=shape)
                )
                lo = j + 1
                break
            i += 1
    return out


def _numeric_at(text: str, toks: Any, i: int, lex: Lexicon) -> tuple[int, str] | None:
    """The numeric formulation that starts at token ``i``: (its last token, its shape)."""
    n = len(toks)
    s, e = toks[i]
    best: tuple[int, str] | None = None
    tok = text[s:e]
    shape = numeric_shape(tok)
    if shape == "class" and _numeric_ok(tok, shape, lex) and tok not in lex.terms:
        best = (_extend_class(text, toks, i, i, s, lex), shape)
    elif (shape in ("multi", "class", "ngen", "compound") and _numeric_ok(tok, shape, lex)) or (
        tok in lex.terms and shape
    ):
        best = (i, shape or "term")
    else:
        end = e
        j = i
        while j + 1 < n and toks[j + 1][0] == end and toks[j + 1][1] - s <= 16:
            j += 1
            end = toks[j][1]
            cand = text[s:end]
            shape = numeric_shape(cand)
            if shape is None or not _numeric_ok(cand, shape, lex):
                continue
            if shape == "multi":
                best = (j, shape)
            elif shape in ("ngen", "compound") and best is None:
                best = (j, shape)
            elif shape == "class" and best is None:
                best = (_extend_class(text, toks, i, j, s, lex), shape)
                break
    return best


def _extend_class(
    text: str, toks: list[tuple[int, int]], i: int, j: int, s: int, lex: Lexicon
) -> int:
    """A short noun after N大/N个 may take following short tokens: 七大|主导|产业,
    两大主特|产业|集群, but not 六大产业链|建设."""
    k = j
    head_start = s + 2  # after the numeral and the classifier
    if text[s + 1] != "大":
        # after 个/项/张/条 one more short word at most: 四项|基本|原则, 两个|特别|行政区
        if (
            k + 1 < len(toks)
            and toks[k + 1][0] == toks[k][1]
            and toks[k + 1][1] - head_start <= 5
            and toks[k][1] - head_start <= 2
            and text[toks[k + 1][1] - 1] not in "上中下里内外"
            and numeric_shape(text[s : toks[k + 1][1]]) == "class"
            and text[toks[k + 1][0] : toks[k + 1][1]] not in _TAIL_STOP
            and text[toks[k + 1][0] : toks[k + 1][1]] not in lex.stopwords
        ):
            k += 1
        return k
    while (
        k + 1 < len(toks)
        and toks[k + 1][0] == toks[k][1]
        and toks[k][1] - head_start <= 4
        and toks[k + 1][1] - head_start <= 6
        and numeric_shape(text[s : toks[k + 1][1]]) == "class"
        and text[toks[k + 1][0] : toks[k + 1][1]] not in _TAIL_STOP
        and text[toks[k + 1][0] : toks[k + 1][1]] not in lex.stopwords
    ):
        k += 1
    return k


def _numeric_ok(cand: str, shape: str, lex: Lexicon) -> bool:
    """Shape-level checks; the corpus-level ones (N个X needs evidence) come later."""
    if cand[0] == "一" and cand[1:2] in _ONE_WORDS:
        return False  # 一切企业, 一定要…: 一 is not a numeral there
    if cand[1:2] in ("是", "要"):
        return False  # 二是进一步落实, 三要进一步规范: enumeration of points, not a formulation
    if any(ch in _FUNCTION_CHARS or ch == "等" for ch in cand[1:]):
        return False  # 一对一的, 一会三卡等
    if shape == "multi":
        groups = _MULTI_GROUP_RE.findall(cand)
        if any(g[1] == "个" and len(g) > 2 for g in groups):
            return False  # 一年一个台阶
        if groups[0][1] in _DETERMINER_M:
            return False
        if all(g[1] in _QUANTITY_M for g in groups):
            return False
        if groups[0][1] in _QUANTITY_M and len({g[0] for g in groups}) > 1:
            return False  # 三年两…, 一批五星级
        lengths = [len(g) - 1 for g in groups]
        if max(lengths) - min(lengths) > 1:
            return False  # 一人一策|解决, 两岸直接|双向
        if any(g[0] == "双" for g in groups[1:]) and groups[0][0] != "双":
            return False  # 双 is a numeral only in 双招双引, not in 两岸直接双向
        return True
    if shape == "class":
        m = _CLASS_RE.fullmatch(cand)
        assert m is not None
        head = m.group(3)
        if m.group(1) == "一" and m.group(2) == "大":
            return False  # 一大批, 一大片: a quantity
        if head.startswith(("最", "项目", "企业")):
            return False  # 十大最具…, 两大企业: a count
        if m.group(2) == "大":
            return not head.startswith(tuple(_TAIL_STOP)) and head not in lex.stopwords
        return not head.startswith(_COUNT_NOUNS)
    return True


@lru_cache(maxsize=4)
def _split_term_re(terms: frozenset[str]) -> re.Pattern[str] | None:
    long_terms = sorted(
        (t for t in terms if len(t) >= 6 and _CONTENT_RE.match(t)), key=lambda t: (-len(t), t)
    )
    if not long_terms:
        return None
    return re.compile("|".join("、?".join(map(re.escape, t)) for t in long_terms))


def _find_split_terms(scan: _Scan, lex: Lexicon) -> list[_Occ]:
    """Dictionary terms written with an enumeration comma: 大众创业、万众创新."""
    rx = _split_term_re(lex.terms)
    if rx is None or "、" not in scan.text:
        return []
    out = []
    for m in rx.finditer(scan.text):
        if "、" in m.group(0):
            out.append(
                _Occ(
                    scan,
                    m.start(),
                    m.end(),
                    m.group(0).replace("、", ""),
                    "term",
                    scan.surface(m.start(), m.end()),
                )
            )
    return out


def _find_terms(scan: _Scan, lex: Lexicon, phrases: Mapping[str, tuple[str, ...]]) -> list[_Occ]:
    if not phrases and scan.lines is not None:
        return _find_dictionary_terms(scan, lex)
    out = []
    text = scan.text
    toks = scan.tokens
    # the phrases by first token, in their order (the first that matches wins)
    by_first: defaultdict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for phrase, parts in phrases.items():
        by_first[parts[0]].append((phrase, parts))
    for idx, (s, e) in enumerate(toks):
        tok = text[s:e]
        if tok in lex.terms and len(tok) >= 2:
            out.append(_Occ(scan, s, e, tok, "term", scan.surface(s, e), shape=numeric_shape(tok)))
            continue
        for phrase, parts in by_first.get(tok, ()):
            k = len(parts)
            if (
                idx + k <= len(toks)
                and all(text[toks[idx + x][0] : toks[idx + x][1]] == parts[x] for x in range(k))
                and all(toks[idx + x][1] == toks[idx + x + 1][0] for x in range(k - 1))
            ):
                out.append(
                    _Occ(
                        scan,
                        s,
                        toks[idx + k - 1][1],
                        phrase,
                        "term",
                        scan.surface(s, toks[idx + k - 1][1]),
                    )
                )
                break
    return out


def _find_dictionary_terms(scan: _Scan, lex: Lexicon) -> list[_Occ]:
    """:func:`_find_terms` without phrases, on the token lines (``scan.lines``): a line that
    has no term is passed over at once."""
    out = []
    terms = lex.terms
    for start, toks in scan.lines or ():
        if terms.isdisjoint(toks):
            continue
        s = start
        for tok in toks:
            e = s + len(tok)
            if tok in terms and e - s >= 2:
                out.append(
                    _Occ(scan, s, e, tok, "term", scan.surface(s, e), shape=numeric_shape(tok))
                )
            s = e
    return out


# ---------------------------------------------------------------------------------------------
# Recurring phrases: the stand-in for the phrase miner
# ---------------------------------------------------------------------------------------------
_CONTENT_RE = re.compile(f"^[{_CJK}]{{2,}}$")


def recurring_phrases(
    token_docs: Mapping[str, Sequence[Sequence[str]]],
    *,
    stopwords: Iterable[str] = (),
    min_docs: int = 3,
    min_count: int = 4,
    cohesion: float = 0.5,
    known: Iterable[str] = (),
) -> dict[str, tuple[str, ...]]:
    """Cohesive token n-grams (2 or 3 tokens, 4-8 characters) that recur across documents.

    ``token_docs`` maps a document id to its token lines. An n-gram is kept when it occurs at
    least ``min_count`` times in at least ``min_docs`` documents, every token is a content word
    (Chinese, two characters or more, not a stopword or formula verb), and it takes at least
    ``cohesion`` of the occurrences of its rarest token (the tokens stick together). Returns
    {phrase: tokens}.

    This is the simple recurrence criterion. ``policytext.analysis.phrases`` (PMI and branching
    entropy) is the proper miner: pass its phrases to :func:`find_slogans` as ``phrases`` and
    this function is not called.
    """
    stop = frozenset(stopwords)
    known_set = frozenset(known)
    grams: Counter[tuple[str, ...]] = Counter()
    gram_docs: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    left: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    right: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    unigrams: Counter[str] = Counter()
    for doc_id in sorted(token_docs):
        for line in token_docs[doc_id]:
            unigrams.update(line)
            for n in (2, 3):
                for i in range(len(line) - n + 1):
                    g = tuple(line[i : i + n])
                    if not all(
                        _CONTENT_RE.match(t) and t not in stop and t not in known_set for t in g
                    ):
                        continue
                    if not 4 <= sum(map(len, g)) <= 8:
                        continue
                    grams[g] += 1
                    gram_docs[g].add(doc_id)
                    # an edge or punctuation counts as a neighbour of its own (free)
                    lt = line[i - 1] if i > 0 and _is_cjk(line[i - 1][:1]) else f"#{i}{doc_id}"
                    rt = (
                        line[i + n]
                        if i + n < len(line) and _is_cjk(line[i + n][:1])
                        else f"#{i}{doc_id}"
                    )
                    left[g][lt] += 1
                    right[g][rt] += 1
    out: dict[str, tuple[str, ...]] = {}
    for g, c in grams.items():
        if c < min_count or len(gram_docs[g]) < min_docs:
            continue
        if c < cohesion * min(unigrams[t] for t in g):
            continue
        # not free: nearly always the same neighbour (表示诚挚|的, 高举|中国特色|社会主义)
        if max(left[g].values()) > 0.6 * c or max(right[g].values()) > 0.6 * c:
            continue
        out["".join(g)] = g
    # a bigram inside a kept trigram with (almost) the same count is the same phrase
    for phrase, g in list(out.items()):
        if len(g) == 2:
            for other, h in out.items():
                if len(h) == 3 and phrase in other and grams[h] >= 0.8 * grams[g]:
                    out.pop(phrase, None)
                    break
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# The corpus pass
# ---------------------------------------------------------------------------------------------
def _find_slogans_whole(
    documents: Sequence[Document],
    lexicon: Lexicon,
    *,
    kinds: Iterable[str] = KINDS,
    min_count: int = 1,
    min_docs: int = 1,
    examples: int = 3,
    context: int = 15,
    titles: bool = False,
    phrases: Iterable[str] | Mapping[str, Sequence[str]] | None = None,
    group_of: Callable[[Document], str] | None = None,
) -> SloganResult:
    """Slogans of ``documents``, most widespread first (documents, then occurrences, then the
    slogan itself).

    ``phrases``: recurring fixed phrases for the ``term`` kind, as produced by a phrase miner
    (strings, or {phrase: tokens}); None computes them with :func:`recurring_phrases`.
    ``group_of``: a group name for each document (place, year) to compare groups.

    The whole-corpus pass (every article scanned and kept in memory): the reference the
    streaming pass (:func:`stream_slogans`) is tested against, and the path for documents whose
    ids repeat.
    """
    kinds = tuple(k for k in KINDS if k in set(kinds))
    scans: list[_Scan] = []
    order = 0
    for doc in sorted(documents, key=lambda d: (d.source, d.id)):
        for art in doc.articles:
            scan = _scan_article(doc, art, order)
            order += 1
            _tokenize(scan, lexicon.cut)
            scans.append(scan)

    phrase_map = _phrase_map(scans, lexicon, phrases)
    raw: list[_Occ] = []
    for scan in scans:
        raw.extend(_find_quotes(scan))
        raw.extend(_find_plus(scan))
        raw.extend(_find_repeats(scan, lexicon))
        raw.extend(_find_numeric(scan, lexicon))
        raw.extend(_find_terms(scan, lexicon, phrase_map))
        raw.extend(_find_split_terms(scan, lexicon))

    occs = _decide(raw, lexicon)
    occs = _resolve_overlaps(occs)
    occs = _merge_tails(occs)
    built = _build(occs, lexicon, examples=examples, context=context, group_of=group_of)
    built = [
        (t, s) for t, s in built if s.kind in kinds and s.count >= min_count and s.docs >= min_docs
    ]
    # Formulations first; phrases known only from recurrence (vocabulary as often as slogans)
    # come after them.
    built.sort(key=lambda ts: (ts[0], -ts[1].docs, -ts[1].count, ts[1].slogan))
    slogans = [s for _, s in built]
    title_list = _titles(scans, examples=examples, context=context) if titles else []
    groups = _groups(scans, slogans, group_of) if group_of is not None else []
    return SloganResult(tuple(slogans), tuple(title_list), tuple(groups))


def _phrase_map(scans: Sequence[_Scan], lex: Lexicon, phrases) -> dict[str, tuple[str, ...]]:
    if phrases is None:
        token_docs: dict[str, list[list[str]]] = defaultdict(list)
        for scan in scans:
            line: list[str] = []
            prev_end = None
            for s, e in scan.tokens:
                if prev_end is not None and s != prev_end and line:
                    token_docs[scan.doc.id].append(line)
                    line = []
                line.append(sys.intern(scan.text[s:e]))
                prev_end = e
            if line:
                token_docs[scan.doc.id].append(line)
        ndocs = len({scan.doc.id for scan in scans})
        return recurring_phrases(
            token_docs,
            stopwords=lex.stopwords,
            known=lex.terms,
            min_docs=max(2, min(3, ndocs), -(-ndocs * 2 // 5)),
            min_count=5,
            cohesion=0.6,
        )
    if isinstance(phrases, Mapping):
        return {p: tuple(t) for p, t in phrases.items() if len(t) >= 2}
    out: dict[str, tuple[str, ...]] = {}
    for p in phrases:
        toks = tuple(lex.cut(p))
        if len(toks) >= 2:
            out[p] = toks
    return out


def _decide(raw: list[_Occ], lex: Lexicon) -> list[_Occ]:
    """Corpus-level decisions: scare quotes, and evidence for N个X counts."""
    quoted_count: Counter[str] = Counter()
    quoted_docs: defaultdict[str, set[str]] = defaultdict(set)
    all_docs: defaultdict[str, set[str]] = defaultdict(set)
    for o in raw:
        all_docs[o.canon].add(o.scan.doc.id)
        if o.source == "quote":
            quoted_count[o.canon] += 1
            quoted_docs[o.canon].add(o.scan.doc.id)

    def qdocs(c: str) -> int:
        return len(quoted_docs[c]) if c in quoted_docs else 0

    def adocs(c: str) -> int:
        return len(all_docs[c]) if c in all_docs else 0

    return [o for o in raw if _keep_raw(o, lex, quoted_count, qdocs, adocs)]


def _keep_raw(
    o: _Occ,
    lex: Lexicon,
    quoted_count: Mapping[str, int],
    qdocs: Callable[[str], int],
    adocs: Callable[[str], int],
) -> bool:
    """Whether a raw occurrence survives, given corpus counts: ``quoted_count`` (quoted
    occurrences per canon; membership means quoted somewhere), ``qdocs`` (documents where it is
    quoted) and ``adocs`` (documents where it occurs at all; only compared with 2)."""
    if o.source == "quote":
        # a quoted count (“三员”, “十四条”) is a formulation even when jieba knows the word;
        # 一-led words (“一对一”, “一站式”) are often ordinary
        counted = o.shape is not None and not o.canon.startswith("一")
        return not (
            not counted
            and _ordinary_word(o.canon, lex)
            and not (
                o.canon in _QUOTED_POLICY_WORDS
                or qdocs(o.canon) >= 3
                or (o.shape is not None and quoted_count.get(o.canon, 0) >= 3)
            )
        )
    if o.source == "numeric":
        if o.shape == "class":
            m = _CLASS_RE.fullmatch(o.canon)
            # 一个重要…, 一项长期…: with 一, a count is prose unless quoted or known
            not_one = m is not None and m.group(1) != "一"
            if (
                m
                and m.group(2) != "大"
                and not (
                    o.canon in quoted_count
                    or o.canon in lex.terms
                    or (not_one and m.group(3).startswith(_ABSTRACT_HEADS))
                    or (not_one and adocs(o.canon) >= 2)
                )
            ):
                return False
        return not _ordinary_word(o.canon, lex)
    return True


def _ordinary_word(w: str, lex: Lexicon) -> bool:
    if w in lex.terms or w in lex.coined or lex.word_freq is None:
        return False
    f = lex.word_freq(w)
    return bool(f is not None and f >= 3)


_PRIORITY = {"quote": 0, "numeric": 1, "term": 2}


def _resolve_overlaps(occs: list[_Occ]) -> list[_Occ]:
    """Keep the longest of overlapping occurrences (a quote wins a tie), so no fragment of a
    longer formulation survives."""
    by_scan: defaultdict[int, list[_Occ]] = defaultdict(list)
    for o in occs:
        by_scan[o.scan.order].append(o)
    kept: list[_Occ] = []
    for order in sorted(by_scan):
        items = sorted(by_scan[order], key=lambda o: (-(o.e - o.s), _PRIORITY[o.source], o.s))
        # taken spans never overlap, so sorted by start they are sorted by end too: an
        # occurrence overlaps one iff the last span starting before its end reaches past its
        # start (a bisect instead of a scan: a 1M-character line has 10^5 occurrences)
        starts: list[int] = []
        ends: list[int] = []
        for o in items:
            i = bisect.bisect_left(starts, o.e)
            if i and ends[i - 1] > o.s:
                continue
            starts.insert(i, o.s)
            ends.insert(i, o.e)
            kept.append(o)
    kept.sort(key=lambda o: o.key)
    return kept


def _merge_tails(occs: list[_Occ]) -> list[_Occ]:
    """“五好”园区 is 五好园区 when the text elsewhere says 五好园区; and a quoted short form
    mostly used that way (“四上”企业, “四上”和…) is folded into the long form."""
    whole = {o.canon for o in occs}
    tails: defaultdict[str, Counter[str]] = defaultdict(Counter)
    quoted_total: Counter[str] = Counter()
    for o in occs:
        if o.source != "quote":
            continue
        quoted_total[o.canon] += 1
        for k in range(min(4, len(o.tail)), 0, -1):
            if o.canon + o.tail[:k] in whole and o.canon + o.tail[:k] != o.canon:
                tails[o.canon][o.tail[:k]] += 1
                break
    return _merge_apply(occs, tails, quoted_total)


def _merge_apply(
    occs: list[_Occ], tails: Mapping[str, Counter[str]], quoted_total: Mapping[str, int]
) -> list[_Occ]:
    """Apply the corpus-level tail decisions of :func:`_merge_tails` to occurrences (in key
    order; any whole number of scans)."""
    # occurrences of the following tokens that got merged are no longer separate occurrences
    result: list[_Occ] = []
    skip_until: dict[int, int] = {}
    for o in occs:
        if o.s < skip_until.get(o.scan.order, -1):
            continue
        if o.source == "quote" and tails.get(o.canon):
            tail, n = tails[o.canon].most_common(1)[0]
            if o.tail.startswith(tail):
                new_e = o.e + len(tail)
                result.append(
                    _Occ(
                        o.scan,
                        o.s,
                        new_e,
                        o.canon + tail,
                        "quote",
                        o.scan.surface(o.s, new_e),
                        o.expansion,
                        "",
                        numeric_shape(o.canon + tail),
                    )
                )
                skip_until[o.scan.order] = new_e
                continue
            if n >= 2 and n * 2 > quoted_total.get(o.canon, 0):
                o = _Occ(
                    o.scan,
                    o.s,
                    o.e,
                    o.canon + tail,
                    "quote",
                    o.surface,
                    o.expansion,
                    "",
                    numeric_shape(o.canon + tail),
                )
        result.append(o)
    # drop the pieces swallowed by a merge (a term 园区 right after “五好”)
    spans: defaultdict[int, set[tuple[int, int]]] = defaultdict(set)
    for o in result:
        spans[o.scan.order].add((o.s, o.e))
    inside: set[tuple[int, int, int]] = set()
    for order, group in spans.items():
        # sweep by start, longest first: a span lies inside another iff some earlier (distinct)
        # span reaches at least as far
        reach = -1
        for s, e in sorted(group, key=lambda se: (se[0], -se[1])):
            if reach >= e:
                inside.add((order, s, e))
            reach = max(reach, e)
    return [o for o in result if (o.scan.order, o.s, o.e) not in inside]


def _key(canon: str) -> str:
    return _KEY_DROP_RE.sub("", canon)


def _context(scan: _Scan, s: int, e: int, width: int) -> tuple[int, int, str]:
    start, end = scan.doc_span(s, e)
    text = scan.doc.text
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    ctx = (
        (left + text[start:end] + right)
        if end - start < 200
        else (left + scan.surface(s, e) + right)
    )
    return start, end, _WS_RE.sub(" ", ctx).strip()


def _build(
    occs: list[_Occ],
    lex: Lexicon,
    *,
    examples: int,
    context: int,
    group_of: Callable[[Document], str] | None,
) -> list[tuple[int, Slogan]]:
    # 送政策、解难题、优服务 and 送政策解难题优服务 are one slogan
    by_key: defaultdict[str, list[_Occ]] = defaultdict(list)
    for o in occs:
        by_key[_key(o.canon)].append(o)
    groups: dict[str, list[_Occ]] = {}
    for items in by_key.values():
        forms = Counter(o.canon for o in items)
        canon = sorted(forms.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        groups[canon] = items
    whole = set(groups)
    out: list[tuple[int, Slogan]] = []
    for canon, items in groups.items():
        items.sort(key=lambda o: o.key)
        docs = {o.scan.doc.id for o in items}
        # a one-off numeric prefix of a formulation that recurs elsewhere is a fragment (三高)
        if (
            len(items) == 1
            and numeric_shape(canon)
            and any(
                w != canon
                and w.startswith(canon)
                and numeric_shape(w)
                and len({o.scan.doc.id for o in groups[w]}) >= max(2, len(docs) + 1)
                for w in whole
            )
        ):
            continue
        if numeric_shape(canon):
            kind = "numeric"
        elif canon in lex.terms or any(o.source == "term" for o in items):
            kind = "term"
        else:
            kind = "quoted"
        variants = Counter(_WS_RE.sub(" ", o.surface) for o in items)
        expansion = next((o.expansion for o in items if o.expansion), None)
        if expansion is None:
            for o in items:
                if o.source != "quote":
                    expansion = _expansion_near(o.scan, o.s, o.e, canon)
                    if expansion:
                        break
        exs = []
        for o in items[:examples]:
            start, end, ctx = _context(o.scan, o.s, o.e, context)
            exs.append(Example(o.scan.article.doc, o.scan.article.source, start, end, ctx))
        by_group: tuple[tuple[str, int], ...] = ()
        if group_of is not None:
            c = Counter(group_of(o.scan.doc) for o in items)
            by_group = tuple(sorted(c.items()))
        tier = 1 if kind == "term" and canon not in lex.terms else 0
        out.append(
            (
                tier,
                Slogan(
                    slogan=canon,
                    kind=kind,
                    count=len(items),
                    docs=len(docs),
                    variants=tuple(
                        v for v, _ in sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))
                    ),
                    expansion=expansion,
                    examples=tuple(exs),
                    by_group=by_group,
                ),
            )
        )
    return out


def _titles(scans: Sequence[_Scan], *, examples: int, context: int) -> list[Title]:
    found: defaultdict[str, list[tuple[_Scan, int, int]]] = defaultdict(list)
    for scan in scans:
        for m in _TITLE_RE.finditer(scan.text):
            title = _SPACE_RE.sub("", m.group(1)).strip()
            if title:
                found[title].append((scan, m.start(), m.end()))
    out = []
    for title, items in found.items():
        exs = []
        for scan, s, e in items[:examples]:
            start, end, ctx = _context(scan, s, e, context)
            exs.append(Example(scan.article.doc, scan.article.source, start, end, ctx))
        out.append(Title(title, len(items), len({sc.doc.id for sc, _, _ in items}), tuple(exs)))
    out.sort(key=lambda t: (-t.docs, -t.count, t.title))
    return out


def _groups(
    scans: Sequence[_Scan], slogans: Sequence[Slogan], group_of: Callable[[Document], str]
) -> list[GroupSummary]:
    docs: defaultdict[str, set[str]] = defaultdict(set)
    chars: Counter[str] = Counter()
    for scan in scans:
        g = group_of(scan.doc)
        docs[g].add(scan.doc.id)
        chars[g] += len(scan.text)
    return _group_summaries({g: len(ids) for g, ids in docs.items()}, chars, slogans)


# ---------------------------------------------------------------------------------------------
# The streaming corpus pass
# ---------------------------------------------------------------------------------------------
# The whole-corpus pass keeps every article's scan (text, offsets, tokens) until the end; on
# 100 MB that peaked at 1.8 GB. The streaming pass reads the documents three times, one at a
# time, and keeps counts between passes, plus a spill (one record per document, a temporary
# file from the command) of what the later passes need of each article:
#
# 1. each article is scanned, segmented and searched, once: its raw occurrences, its runs of
#    content tokens (where recurring phrases can be) and its titles go to the spill; counted
#    are the n-grams, their documents, and what the scare-quote and N个X decisions need
#    (quotes and numeric formulations do not depend on phrases);
# 1b. a replay of the spill counts the neighbours and first positions of the n-grams that pass
#    the count tests (the others are never phrases), and the phrases are chosen;
# 2. the spill again: the phrases are found in the runs, and the occurrences that survive the
#    decisions and the overlaps are counted per canon, with the text after each quote (the
#    “五好”|园区 merge needs every canon of the corpus); they go to a second spill;
# 3. the final occurrences (from the second spill), folded into per-slogan aggregates (counts,
#    documents, variants, the first examples, group counts), titles and group sizes; an
#    article is scanned again only when an occurrence needs its text.
#
# Every decision is the one the whole-corpus pass makes: counts of documents become a count per
# document, and the edge markers of recurring_phrases (#position+doc id) are folded per
# document into a maximum, except for documents whose markers could collide with another
# document's (ids that differ only by leading digits), which are counted as strings.
_DIGITS = "0123456789"


class _SpanList:
    """Token spans as two plain lists, starts and ends: one document's scans at a time fit,
    and a list is faster to fill and to search than :class:`_Spans`."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def append(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)

    def extend_bounds(self, bounds: list[int]) -> None:
        """Adjacent spans: (bounds[0], bounds[1]), (bounds[1], bounds[2]), ..."""
        self.starts.extend(bounds[:-1])
        self.ends.extend(bounds[1:])

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)


def _doc_scans(doc: Document, order: int, cut: Callable[[str], list[str]]) -> list[_Scan]:
    scans = []
    for art in doc.articles:
        scan = _scan_article(doc, art, order)
        scan.tokens = _SpanList()  # type: ignore[assignment]
        order += 1
        _tokenize(scan, cut, keep_lines=True)
        scans.append(scan)
    return scans


def _token_lines(scans: Sequence[_Scan]) -> list[list[str]]:
    """The token lines of one document, as :func:`_phrase_map` builds them."""
    return [toks for scan in scans for _, toks in scan.lines or ()]


class _GramCounts:
    """What :func:`recurring_phrases` computes, one document at a time: per n-gram its count
    and its number of documents; then, for the n-grams that pass those tests (the candidates),
    from a replay of the content runs: the position of their first occurrence (the whole pass
    keeps the last inserted of two n-grams that join into the same string) and their largest
    left and right neighbour counts."""

    def __init__(self, lex: Lexicon, shared: Callable[[str], bool]) -> None:
        self.stop = lex.stopwords
        self.known = lex.terms
        self.shared = shared
        self.grams: Counter[tuple[str, ...]] = Counter()
        self.docs: Counter[tuple[str, ...]] = Counter()
        self.first: dict[tuple[str, ...], tuple] = {}
        self.left: Counter[tuple] = Counter()  # (gram, neighbour) -> count
        self.right: Counter[tuple] = Counter()
        self.max_left: dict[tuple[str, ...], int] = {}
        self.max_right: dict[tuple[str, ...], int] = {}
        self.unigrams: Counter[str] = Counter()
        self.ndocs = 0
        self.cand: set[tuple[str, ...]] = set()
        self.cand_first: frozenset[str] = frozenset()

    def add(self, lines: Sequence[tuple[Sequence[str], Any]]) -> None:
        """Count one document's token lines, each given as (tokens, content runs) by
        :meth:`_ContentTokens.runs`: the n-grams lie in the runs of content tokens (two
        characters or more each: 4 <= length always)."""
        self.ndocs += 1
        found: list[tuple[str, ...]] = []
        update = self.unigrams.update
        for line, runs in lines:
            update(line)
            for a, b in runs:
                seg = line[a:b]
                if max(map(len, seg)) <= 4:
                    found.extend(zip(seg[:-1], seg[1:], strict=True))
                else:
                    found.extend(
                        g
                        for g in zip(seg[:-1], seg[1:], strict=True)
                        if len(g[0]) + len(g[1]) <= 8
                    )
                if b - a >= 3:
                    found.extend(
                        g
                        for g in zip(seg[:-2], seg[1:-1], seg[2:], strict=True)
                        if sum(map(len, g)) <= 8
                    )
        self.grams.update(found)
        self.docs.update(set(found))

    def candidates(self, *, min_docs: int, min_count: int, cohesion: float) -> None:
        """Keep the n-grams that pass every test but the neighbour one; the others are
        forgotten (they are never phrases)."""
        keep = {
            g
            for g, c in self.grams.items()
            if c >= min_count
            and self.docs[g] >= min_docs
            and c >= cohesion * min(self.unigrams[t] for t in g)
        }
        self.cand = keep
        self.cand_first = frozenset(g[0] for g in keep)
        self.docs = Counter()

    def add_neighbours(self, doc_id: str, runs: Iterable[tuple]) -> None:
        """Count the neighbours of the candidates in one document's runs of content tokens:
        (start, tokens, index in the line, Chinese-led token before or None, after or None,
        line number in the document); a line edge or a token not led by a Chinese character
        counts as a neighbour of its own (``#{index}{doc id}``), as in
        :func:`recurring_phrases`. Also the first occurrence of each candidate: the order in
        which recurring_phrases meets them is (document id, line, bigrams before trigrams,
        position)."""
        cand, first_tokens = self.cand, self.cand_first
        if not cand:
            return
        shared = self.shared(doc_id)
        first = self.first
        left, right, max_left, max_right = self.left, self.right, self.max_left, self.max_right
        edge_l: Counter[tuple] = Counter()  # (gram, i) -> count, this document only
        edge_r: Counter[tuple] = Counter()
        for _, run, a, before, after, line_no in runs:
            if first_tokens.isdisjoint(run):
                continue
            size = len(run)
            for n in (2, 3):
                for k in range(size - n + 1):
                    g = run[k : k + n]
                    if g not in cand:
                        continue
                    i = a + k
                    key = (doc_id, line_no, n, i)
                    if g not in first or key < first[g]:
                        first[g] = key
                    nb = run[k - 1] if k else before
                    if nb is not None:
                        pk: tuple = (g, nb)
                    elif shared:
                        pk = (g, f"#{i}{doc_id}")
                    else:
                        edge_l[(g, i)] += 1
                        pk = ()
                    if pk:
                        c = left.get(pk, 0) + 1
                        left[pk] = c
                        if c > max_left.get(g, 0):
                            max_left[g] = c
                    nb = run[k + n] if k + n < size else after
                    if nb is not None:
                        pk = (g, nb)
                    elif shared:
                        pk = (g, f"#{i}{doc_id}")
                    else:
                        edge_r[(g, i)] += 1
                        continue
                    c = right.get(pk, 0) + 1
                    right[pk] = c
                    if c > max_right.get(g, 0):
                        max_right[g] = c
        for edges, best in ((edge_l, max_left), (edge_r, max_right)):
            for (g, _), c in edges.items():
                if c > best.get(g, 0):
                    best[g] = c

    def phrases(
        self, *, min_docs: int, min_count: int, cohesion: float
    ) -> dict[str, tuple[str, ...]]:
        kept = []
        for g in self.cand:  # the n-grams that pass the count tests (:meth:`candidates`)
            c = self.grams[g]
            if self.max_left[g] > 0.6 * c or self.max_right[g] > 0.6 * c:
                continue
            kept.append(g)
        kept.sort(key=lambda g: self.first[g])
        out: dict[str, tuple[str, ...]] = {}
        for g in kept:
            out["".join(g)] = g
        for phrase, g in list(out.items()):
            if len(g) == 2:
                for other, h in out.items():
                    if len(h) == 3 and phrase in other and self.grams[h] >= 0.8 * self.grams[g]:
                        out.pop(phrase, None)
                        break
        return dict(sorted(out.items()))


class _DocCount:
    """Number of distinct documents per key, documents arriving one after another."""

    __slots__ = ("n", "last")

    def __init__(self) -> None:
        self.n: dict[str, int] = {}
        self.last: dict[str, int] = {}

    def add(self, key: str, ordinal: int) -> None:
        if self.last.get(key) != ordinal:
            self.last[key] = ordinal
            self.n[key] = self.n.get(key, 0) + 1

    def add_doc(self, keys: Iterable[str]) -> None:
        """The distinct keys of one more document."""
        n = self.n
        for key in keys:
            n[key] = n.get(key, 0) + 1

    def __getitem__(self, key: str) -> int:
        return self.n.get(key, 0)


def _raw_fixed(scan: _Scan, lex: Lexicon) -> list[_Occ]:
    """The raw occurrences that do not depend on the recurring phrases."""
    return [
        *_find_quotes(scan),
        *_find_plus(scan),
        *_find_repeats(scan, lex),
        *_find_numeric(scan, lex),
        *_find_terms(scan, lex, {}),
        *_find_split_terms(scan, lex),
    ]


def _raw(scan: _Scan, lex: Lexicon, phrase_map: Mapping[str, tuple[str, ...]]) -> list[_Occ]:
    return [
        *_find_quotes(scan),
        *_find_plus(scan),
        *_find_repeats(scan, lex),
        *_find_numeric(scan, lex),
        *_find_terms(scan, lex, phrase_map),
        *_find_split_terms(scan, lex),
    ]


def _near_parts(scan: _Scan, s: int, e: int) -> tuple[str | None, dict[int, str]]:
    """:func:`_expansion_near` without the canon: (the canon-free answer or None, {announced
    count: answer}) so the answer for any canon can be given later."""
    text = scan.text
    after = text[e : e + 240]
    m = _NAMELY_RE.match(after)
    if m:
        return m.group(1).strip("，, "), {}
    m = _PAREN_AFTER_RE.match(after)
    if m and len(_items(m.group(1))) >= 2:
        return m.group(1).strip(), {}
    before = text[max(0, s - 240) : s]
    m = _ALIAS_END_RE.search(before) and _ALIAS_RE.search(before)
    if m:
        return m.group(1).strip("，, "), {}
    by_total: dict[int, str] = {}
    m = _COLON_LIST_RE.match(after)
    if m:
        by_total[len(_items(m.group(1)))] = _tidy(m.group(1))
    tail = _last_clause(before)[-160:]
    if len(tail) >= 4 and "、" in tail:
        items = _items(tail)
        lengths = [len(x.strip()) for x in items]
        if (
            items
            and max(lengths) <= 10
            and min(lengths) >= 2
            and max(lengths) <= 3 * min(lengths)
            and len(items) not in by_total
        ):
            by_total[len(items)] = _tidy(tail)
    return None, by_total


def _near_value(parts: tuple[str | None, dict[int, str]], total: int | None) -> str | None:
    if parts[0] is not None:
        return parts[0]
    if total and total >= 2:
        return parts[1].get(total)
    return None


class _Agg:
    """One slogan key's occurrences, folded: what :func:`_build` reads from its items."""

    __slots__ = (
        "forms", "count", "docs", "last", "term", "variants", "exp", "near_free", "near_by",
        "near_last", "examples", "groups",
    )

    def __init__(self) -> None:
        self.forms: Counter[str] = Counter()
        self.count = 0
        self.docs = 0
        self.last = -1
        self.term = False
        self.variants: Counter[str] = Counter()
        self.exp: str | None = None  # the first occurrence's own expansion
        self.near_free: str | None = None  # first truthy canon-free nearby expansion
        self.near_by: dict[int, tuple[int, str]] = {}  # total -> (position, first truthy)
        self.near_last: tuple | None = None  # the last non-quote occurrence's parts
        self.examples: list[Example] = []
        self.groups: Counter[str] = Counter()


def _fold(
    agg: _Agg, o: _Occ, position: int, ordinal: int, group: str | None, *, examples: int,
    context: int,
) -> None:
    agg.forms[o.canon] += 1
    agg.count += 1
    if agg.last != ordinal:
        agg.last = ordinal
        agg.docs += 1
    if o.source == "term":
        agg.term = True
    agg.variants[_WS_RE.sub(" ", o.surface)] += 1
    if agg.exp is None and o.expansion:
        agg.exp = o.expansion
    if o.source != "quote" and agg.exp is None and not agg.near_free:
        parts = _near_parts(o.scan, o.s, o.e)
        agg.near_last = parts
        if parts[0] is not None:
            if parts[0]:
                agg.near_free = parts[0]
        else:
            for total, value in parts[1].items():
                if value and total not in agg.near_by:
                    agg.near_by[total] = (position, value)
    if len(agg.examples) < examples:
        start, end, ctx = _context(o.scan, o.s, o.e, context)
        agg.examples.append(Example(o.scan.article.doc, o.scan.article.source, start, end, ctx))
    if group is not None:
        agg.groups[group] += 1


def _agg_expansion(agg: _Agg, canon: str) -> str | None:
    if agg.exp is not None:
        return agg.exp
    if agg.near_last is None:
        return None
    if agg.near_free:
        # a canon-free answer came first unless a count-matched one was found earlier
        return agg.near_free if not agg.near_by else _near_first(agg, canon) or agg.near_free
    found = _near_first(agg, canon)
    if found:
        return found
    return _near_value(agg.near_last, numeral_total(canon) or _inner_numeral(canon))


def _near_first(agg: _Agg, canon: str) -> str | None:
    total = numeral_total(canon) or _inner_numeral(canon)
    if total and total >= 2 and total in agg.near_by:
        return agg.near_by[total][1]
    return None


class _MemorySpill(list):
    """The in-memory spill of :func:`stream_slogans`: a list of records."""

    def close(self) -> None:
        self.clear()


class _Order:
    """Stands for a scan where only its order is read (the decisions and the overlaps)."""

    __slots__ = ("order",)

    def __init__(self, order: int) -> None:
        self.order = order


class _LazyScan:
    """An article's scan, made the first time its text is needed."""

    __slots__ = ("doc", "article", "order", "_scan")

    def __init__(self, doc: Document, article: Article, order: int) -> None:
        self.doc = doc
        self.article = article
        self.order = order
        self._scan: _Scan | None = None

    def _get(self) -> _Scan:
        if self._scan is None:
            self._scan = _scan_article(self.doc, self.article, self.order)
        return self._scan

    @property
    def text(self) -> str:
        return self._get().text

    def doc_span(self, s: int, e: int) -> tuple[int, int]:
        return self._get().doc_span(s, e)

    def surface(self, s: int, e: int) -> str:
        return self._get().surface(s, e)


_RUN_RE = re.compile(rb"\x03{2,}")


class _ContentTokens(dict):
    """Token -> flags: 2 when it starts with a Chinese character, plus 1 when it may be part
    of a recurring phrase (Chinese, two characters or more, neither a stopword nor a known
    term: the test of :func:`recurring_phrases`); remembered for the first 262,144 distinct
    tokens."""

    LIMIT = 1 << 18

    def __init__(self, lex: Lexicon) -> None:
        super().__init__()
        self.stop = lex.stopwords
        self.known = lex.terms

    def __missing__(self, tok: str) -> int:
        if _CONTENT_RE.match(tok) and tok not in self.stop and tok not in self.known:
            flags = 3
        else:
            flags = 2 if _is_cjk(tok[:1]) else 0
        if len(self) < self.LIMIT:
            self[tok] = flags
        return flags

    def runs(self, toks: Sequence[str]) -> tuple[list[tuple[int, int]], bytes]:
        """The spans [a, b) of two or more adjacent content tokens of a token line, and the
        flags of its tokens."""
        flags = bytes(map(self.__getitem__, toks))
        if b"\x03\x03" not in flags:
            return [], flags
        return [m.span() for m in _RUN_RE.finditer(flags)], flags


def _pack(occs: Iterable[_Occ], *, with_order: bool = False) -> list[tuple]:
    if with_order:
        return [
            (o.scan.order, o.s, o.e, o.canon, o.source, o.surface, o.expansion, o.tail, o.shape)
            for o in occs
        ]
    return [(o.s, o.e, o.canon, o.source, o.surface, o.expansion, o.tail, o.shape) for o in occs]


def _unpack(ref: Any, packed: Iterable[tuple]) -> list[_Occ]:
    return [_Occ(ref, *t) for t in packed]


def _unpack_ordered(scans: Mapping[int, Any], packed: Iterable[tuple]) -> list[_Occ]:
    out = []
    for t in packed:
        o = _Occ(scans[t[0]], *t[1:])
        if o.surface is None:
            o.surface = o.scan.surface(o.s, o.e)
        out.append(o)
    return out


def _start(o: _Occ) -> int:
    return o.s


def _phrase_occs(
    ref: Any,
    runs: Iterable[tuple],
    by_first: Mapping[str, list[tuple[str, tuple[str, ...]]]],
) -> list[_Occ]:
    """The recurring phrases of :func:`_find_terms` (their surface left for later), found in
    the runs of content tokens, where every token of a phrase is: (start, tokens, ...) each."""
    out = []
    for pos, run, *_ in runs:
        ends: list[int] | None = None
        for idx, tok in enumerate(run):
            cands = by_first.get(tok)
            if not cands:
                continue
            for phrase, parts in cands:
                if run[idx : idx + len(parts)] == parts:
                    if ends is None:
                        ends = list(accumulate(map(len, run), initial=pos))
                    out.append(
                        _Occ(ref, ends[idx], ends[idx + len(parts)], phrase, "term", None)  # type: ignore[arg-type]
                    )
                    break
    return out


def _shared_tails(doc_ids: frozenset[str]) -> Callable[[str], bool]:
    """Whether a document's edge markers (``#{position}{doc id}``) may equal another's: only
    when both ids are the same after their leading digits (1 and 21: #121 at 12 and at 1).
    ``doc_ids`` must hold every id of the corpus."""
    tails: Counter[str] = Counter(i.lstrip(_DIGITS) for i in doc_ids)
    return lambda doc_id: tails[doc_id.lstrip(_DIGITS)] > 1


def stream_slogans(
    documents: Callable[[], Iterable[Document]],
    lexicon: Lexicon,
    *,
    kinds: Iterable[str] = KINDS,
    min_count: int = 1,
    min_docs: int = 1,
    examples: int = 3,
    context: int = 15,
    titles: bool = False,
    phrases: Iterable[str] | Mapping[str, Sequence[str]] | None = None,
    group_of: Callable[[Document], str] | None = None,
    doc_ids: Iterable[str] | None = None,
    spill: Callable[[], Any] | None = None,
) -> SloganResult:
    """:func:`find_slogans` with memory that follows one document, not the corpus.

    ``documents()`` must give the same documents each time it is called (it is called two to
    four times), sorted by (source, id), with distinct ids; a ValueError says otherwise.
    ``doc_ids``: the ids of the documents if known in advance (saves a reading pass when the
    recurring phrases are computed); extra ids do no harm, and a missing one costs the
    reading pass and a restart of the first pass.

    Each article is scanned, segmented and searched once, in the first pass; what the later
    passes need of it (its raw occurrences, its runs of content tokens, its titles) is kept in
    a spill, one record per document: ``spill()`` makes one (``append(record)``, iteration in
    order, ``close()``), e.g. a temporary file, so that memory stays bounded; by default the
    records are kept in memory (:class:`_MemorySpill`)."""
    kinds = tuple(k for k in KINDS if k in set(kinds))
    cut = lexicon.cut

    def each() -> Iterator[tuple[int, int, Document]]:
        """(document ordinal, first article order, document), checking the order."""
        prev: tuple[str, str] | None = None
        seen: set[str] = set()
        order = 0
        for ordinal, doc in enumerate(documents()):
            key = (doc.source, doc.id)
            if prev is not None and key < prev:
                raise ValueError(f"documents out of order: {doc.source!r} after {prev[0]!r}")
            if doc.id in seen:
                raise ValueError(f"document id {doc.id!r} repeats")
            seen.add(doc.id)
            prev = key
            yield ordinal, order, doc
            order += len(doc.articles)

    # Pass 1: scan and detect; recurring phrases; counts behind the decisions that do not
    # depend on them. Each document's detections go to the spill, so the later passes replay
    # them instead of scanning, segmenting and detecting again.
    fixed_map: Mapping[str, tuple[str, ...]] = {}
    if phrases is not None:
        fixed_map = _phrase_map([], lexicon, phrases)
    ids = frozenset(doc_ids) if doc_ids is not None and phrases is None else None
    new_spill = spill if spill is not None else _MemorySpill
    content = _ContentTokens(lexicon)
    first_spill = None
    while True:
        grams: _GramCounts | None = None
        if phrases is None:
            if ids is None:
                ids = frozenset(doc.id for _, _, doc in each())
            grams = _GramCounts(lexicon, _shared_tails(ids))
        quoted_count: Counter[str] = Counter()
        quoted_docs = _DocCount()
        all_docs = _DocCount()
        if first_spill is not None:
            first_spill.close()
        first_spill = new_spill()
        for _, order, doc in each():
            if ids is not None and doc.id not in ids:
                break  # an id nobody announced: its edge markers may collide; count again
            if not doc.articles:
                continue
            scans = _doc_scans(doc, order, cut)
            lines = []
            records = []
            doc_canons: set[str] = set()
            doc_quoted: set[str] = set()
            for scan in scans:
                runs: list[tuple] | None = None
                if grams is not None:
                    runs = []
                    for start, toks in scan.lines or ():
                        spans, flags = content.runs(toks)
                        if spans:
                            line_no = len(lines)
                            ends = list(accumulate(map(len, toks), initial=start))
                            size = len(toks)
                            runs.extend(
                                (
                                    ends[a],
                                    tuple(toks[a:b]),
                                    a,
                                    toks[a - 1] if a and flags[a - 1] & 2 else None,
                                    toks[b] if b < size and flags[b] & 2 else None,
                                    line_no,
                                )
                                for a, b in spans
                            )
                        lines.append((toks, spans))
                    head = [
                        *_find_quotes(scan),
                        *_find_plus(scan),
                        *_find_repeats(scan, lexicon),
                        *_find_numeric(scan, lexicon),
                    ]
                    terms = _find_terms(scan, lexicon, {})
                    split = _find_split_terms(scan, lexicon)
                    raw = [*head, *terms, *split]
                else:
                    raw = head = _raw(scan, lexicon, fixed_map)
                    terms = split = []
                doc_canons.update(o.canon for o in raw)
                quoted = [o.canon for o in raw if o.source == "quote"]
                if quoted:
                    quoted_count.update(quoted)
                    doc_quoted.update(quoted)
                found = (
                    [(m.start(), m.end(), m.group(1)) for m in _TITLE_RE.finditer(scan.text)]
                    if titles
                    else None
                )
                records.append(
                    (scan.order, _pack(head), _pack(terms), _pack(split), runs, found)
                )
            all_docs.add_doc(doc_canons)
            quoted_docs.add_doc(doc_quoted)
            if grams is not None:
                grams.add(lines)
            first_spill.append((doc.id, sum(len(scan.text) for scan in scans), records))
            del scans, lines, records
        else:
            break
        ids = None
    content = None  # type: ignore[assignment]
    if grams is not None:
        ndocs = grams.ndocs
        tests = dict(min_docs=max(2, min(3, ndocs), -(-ndocs * 2 // 5)), min_count=5, cohesion=0.6)
        # Pass 1b (on the spill): the neighbours of the n-grams that pass the count tests
        grams.candidates(**tests)
        if grams.cand:
            for doc_id, _, scan_records in first_spill:
                grams.add_neighbours(doc_id, (r for rec in scan_records for r in rec[4] or ()))
        phrase_map = grams.phrases(**tests)
        # a phrase is found as a term wherever its n-gram occurs (so in >= min_docs >= 2
        # documents), unless its first two tokens are a phrase too, which matches first
        prefixes = {g for g in phrase_map.values() if len(g) == 2}
        found_docs = {p: 2 for p, g in phrase_map.items() if len(g) == 2 or g[:2] not in prefixes}
        grams = None
    else:
        phrase_map = dict(fixed_map)
        found_docs = {}
    # the phrases by first token, in their order (the first that matches wins)
    by_first: defaultdict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for phrase, parts in phrase_map.items():
        by_first[parts[0]].append((phrase, tuple(parts)))

    def adocs(c: str) -> int:
        return max(all_docs[c], found_docs.get(c, 0))

    def replayed(doc: Document, record: tuple) -> tuple[int, list, list[_Occ]]:
        """(characters, titles, the document's occurrences that survive the decisions and
        the overlaps) from its pass-1 record."""
        doc_id, chars, scans = record
        if doc_id != doc.id:
            raise ValueError(f"documents changed between passes: {doc.id!r} for {doc_id!r}")
        raw: list[_Occ] = []
        found_titles = []
        for order, head, terms, split, runs, found in scans:
            ref = _Order(order)
            raw.extend(_unpack(ref, head))
            found_here = _unpack(ref, terms)
            if runs and by_first:
                found_here.extend(_phrase_occs(ref, runs, by_first))
                found_here.sort(key=_start)  # terms and phrases in token order, as _find_terms
            raw.extend(found_here)
            raw.extend(_unpack(ref, split))
            if found:
                found_titles.append((order, found))
        kept = [
            o for o in raw if _keep_raw(o, lexicon, quoted_count, quoted_docs.__getitem__, adocs)
        ]
        return chars, found_titles, _resolve_overlaps(kept)

    # Pass 2: every canon that survives, and what follows each quote.
    whole: set[str] = set()
    quote_tails: Counter[tuple[str, str]] = Counter()
    quoted_total: Counter[str] = Counter()
    second_spill = new_spill()
    records_in = iter(first_spill)
    for _, _, doc in each():
        if not doc.articles:
            continue
        chars, found_titles, occs = replayed(doc, next(records_in))
        for o in occs:
            whole.add(o.canon)
            if o.source == "quote":
                quoted_total[o.canon] += 1
                quote_tails[(o.canon, o.tail)] += 1
        second_spill.append((doc.id, chars, found_titles, _pack(occs, with_order=True)))
    first_spill.close()
    del records_in, first_spill
    tails: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for (canon, tail), n in quote_tails.items():
        for k in range(min(4, len(tail)), 0, -1):
            if canon + tail[:k] in whole and canon + tail[:k] != canon:
                tails[canon][tail[:k]] += n
                break
    del whole, quote_tails

    # Pass 3: the final occurrences, folded per slogan key. An article is scanned again only
    # when an occurrence needs its text (a context, a nearby expansion, a surface).
    aggs: dict[str, _Agg] = {}
    found_titles: dict[str, list] = {}  # title -> [count, docs, last ordinal, examples]
    group_docs: Counter[str] = Counter()
    group_chars: Counter[str] = Counter()
    position = 0
    records_in = iter(second_spill)
    for ordinal, order, doc in each():
        if not doc.articles:
            continue
        doc_id, chars, titles_found, packed = next(records_in)
        if doc_id != doc.id:
            raise ValueError(f"documents changed between passes: {doc.id!r} for {doc_id!r}")
        lazy = {
            order + k: _LazyScan(doc, art, order + k) for k, art in enumerate(doc.articles)
        }
        occs = _unpack_ordered(lazy, packed)
        group = group_of(doc) if group_of is not None else None
        if group is not None:
            group_docs[group] += 1
            group_chars[group] += chars
        for o in _merge_apply(occs, tails, quoted_total):
            key = _key(o.canon)
            agg = aggs.get(key)
            if agg is None:
                agg = aggs[key] = _Agg()
            _fold(agg, o, position, ordinal, group, examples=examples, context=context)
            position += 1
        for art_order, found in titles_found:
            scan = lazy[art_order]
            for s, e, raw_title in found:
                title = _SPACE_RE.sub("", raw_title).strip()
                if not title:
                    continue
                t = found_titles.get(title)
                if t is None:
                    t = found_titles[title] = [0, 0, -1, []]
                t[0] += 1
                if t[2] != ordinal:
                    t[2] = ordinal
                    t[1] += 1
                if len(t[3]) < examples:
                    start, end, ctx = _context(scan, s, e, context)  # type: ignore[arg-type]
                    t[3].append(Example(scan.article.doc, scan.article.source, start, end, ctx))
    second_spill.close()

    built = _build_aggs(aggs, lexicon, group_of is not None)
    built = [
        (t, s) for t, s in built if s.kind in kinds and s.count >= min_count and s.docs >= min_docs
    ]
    built.sort(key=lambda ts: (ts[0], -ts[1].docs, -ts[1].count, ts[1].slogan))
    slogans = [s for _, s in built]
    title_list = [Title(k, v[0], v[1], tuple(v[3])) for k, v in found_titles.items()]
    title_list.sort(key=lambda t: (-t.docs, -t.count, t.title))
    groups = (
        _group_summaries(group_docs, group_chars, slogans) if group_of is not None else []
    )
    return SloganResult(tuple(slogans), tuple(title_list), tuple(groups))


def _build_aggs(aggs: Mapping[str, _Agg], lex: Lexicon, by: bool) -> list[tuple[int, Slogan]]:
    """:func:`_build` on folded keys."""
    groups: dict[str, _Agg] = {}
    for agg in aggs.values():
        canon = sorted(agg.forms.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        groups[canon] = agg
    out: list[tuple[int, Slogan]] = []
    for canon, agg in groups.items():
        if (
            agg.count == 1
            and numeric_shape(canon)
            and any(
                w != canon
                and w.startswith(canon)
                and numeric_shape(w)
                and groups[w].docs >= max(2, agg.docs + 1)
                for w in groups
            )
        ):
            continue
        if numeric_shape(canon):
            kind = "numeric"
        elif canon in lex.terms or agg.term:
            kind = "term"
        else:
            kind = "quoted"
        tier = 1 if kind == "term" and canon not in lex.terms else 0
        out.append(
            (
                tier,
                Slogan(
                    slogan=canon,
                    kind=kind,
                    count=agg.count,
                    docs=agg.docs,
                    variants=tuple(
                        v for v, _ in sorted(agg.variants.items(), key=lambda kv: (-kv[1], kv[0]))
                    ),
                    expansion=_agg_expansion(agg, canon),
                    examples=tuple(agg.examples),
                    by_group=tuple(sorted(agg.groups.items())) if by else (),
                ),
            )
        )
    return out


def _group_summaries(
    docs: Mapping[str, int], chars: Mapping[str, int], slogans: Sequence[Slogan]
) -> list[GroupSummary]:
    """:func:`_groups` from per-group document and character counts."""
    names = sorted(docs)
    per: dict[str, dict[str, int]] = {s.slogan: dict(s.by_group) for s in slogans}
    out = []
    for idx, g in enumerate(names):
        present = [s for s, c in per.items() if c.get(g)]
        only = sorted(s for s in present if len(per[s]) == 1 and len(names) > 1)
        rising: list[tuple[float, str]] = []
        falling: list[tuple[float, str]] = []
        if idx > 0:
            prev = names[idx - 1]
            for s, c in per.items():
                a, b = c.get(prev, 0), c.get(g, 0)
                if a + b < 2:
                    continue
                ra = a / max(chars[prev], 1) * 10000
                rb = b / max(chars[g], 1) * 10000
                if rb > 1.5 * ra and b >= 2:
                    rising.append((round(rb - ra, 6), s))
                elif ra > 1.5 * rb and a >= 2:
                    falling.append((round(ra - rb, 6), s))
        rising.sort(key=lambda t: (-t[0], t[1]))
        falling.sort(key=lambda t: (-t[0], t[1]))
        out.append(
            GroupSummary(
                g,
                docs[g],
                chars[g],
                len(present),
                tuple(only),
                tuple(s for _, s in rising),
                tuple(s for _, s in falling),
            )
        )
    return out


def find_slogans(
    documents: Iterable[Document],
    lexicon: Lexicon,
    *,
    kinds: Iterable[str] = KINDS,
    min_count: int = 1,
    min_docs: int = 1,
    examples: int = 3,
    context: int = 15,
    titles: bool = False,
    phrases: Iterable[str] | Mapping[str, Sequence[str]] | None = None,
    group_of: Callable[[Document], str] | None = None,
) -> SloganResult:
    """Slogans of ``documents``, most widespread first (documents, then occurrences, then the
    slogan itself).

    ``phrases``: recurring fixed phrases for the ``term`` kind, as produced by a phrase miner
    (strings, or {phrase: tokens}); None computes them with :func:`recurring_phrases`.
    ``group_of``: a group name for each document (place, year) to compare groups.

    Any iterable of documents, in any order: they are sorted by (source, id) and go through the
    streaming pass (:func:`stream_slogans`), which holds one document's scans at a time. To keep
    memory bounded on a large corpus, call :func:`stream_slogans` with a function that reads the
    documents again each time."""
    docs = sorted(documents, key=lambda d: (d.source, d.id))
    kw: dict[str, Any] = dict(
        kinds=kinds, min_count=min_count, min_docs=min_docs, examples=examples,
        context=context, titles=titles, phrases=phrases, group_of=group_of,
    )
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        return _find_slogans_whole(docs, lexicon, **kw)
    return stream_slogans(lambda: docs, lexicon, doc_ids=ids, **kw)


def dictionary_lines(slogans: Iterable[Slogan], *, freq: int = 20000) -> list[str]:
    """User-dictionary lines (``term freq nz``) for the slogans the segmenter can keep whole:
    jieba only matches dictionary words made of Chinese characters, letters, digits and + within
    one run, so phrases with 、 or spaces are left out."""
    lines = []
    seen = set()
    for s in slogans:
        w = s.slogan
        if w in seen or not re.fullmatch(f"[{_CJK}A-Za-z0-9+]{{2,40}}", w):
            continue
        seen.add(w)
        lines.append(f"{w} {freq} nz")
    return lines


def fuzz_entry(doc: Document) -> None:
    """Run the detector on one document for the fuzz target (tests/fuzz_pipeline.py) and check
    its invariants: it never raises, every example points inside the cleaned text at the
    slogan's first character, and a second run gives the same result."""
    lexicon = Lexicon(cut=list, terms=frozenset({"高质量发展", "营商环境"}))
    first = find_slogans([doc], lexicon, titles=True)
    for slogan in first.slogans:
        assert slogan.count >= 1 and slogan.docs >= 1
        for ex in slogan.examples:
            assert 0 <= ex.start < ex.end <= len(doc.text), "example outside the text"
            surfaces = {v.strip("“”\"'‘’「」")[:1] for v in slogan.variants} | {slogan.slogan[:1]}
            assert doc.text[ex.start : ex.end].strip("“”\"'‘’「」")[:1] in surfaces
    assert find_slogans([doc], lexicon, titles=True) == first, "slogans are not deterministic"
