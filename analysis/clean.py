"""Cleaning: small pure ``str -> str`` functions composed by :func:`pipeline`.

Real inputs are PDF extractions of newspaper pages and government web pages. The functions here
undo what extraction and web templates did to them, in this order:

1. :func:`normalize_unicode` - lone surrogates, zero-width/bidi/control characters, odd spaces,
   full-width ASCII letters and digits.
2. :func:`unify_punctuation` - ASCII ``, ; : ! ? ( )`` written inside Chinese text become their
   full-width forms, so every later rule sees one punctuation system.
3. :func:`strip_boilerplate` - web navigation, share/print links, footers, 备案 lines, licence
   trailers (the page metadata is read separately by :func:`extract_metadata`).
4. :func:`dewrap` - joins hard-wrapped lines (a column of ~16 characters) back into paragraphs
   without gluing a headline to its body; it applies :func:`join_spaced_cjk` to each line first
   (``贫 困 残 疾 人`` -> ``贫困残疾人``, ``全市 2 万余名`` -> ``全市2万余名``; spaces between words,
   as in ``服务有温度 办事零距离`` or a byline, are kept), and counts a letter-spaced line as a
   full, justified line.
5. :func:`join_spaced_cjk` once more over the joined paragraphs (spaces left at line joins).
6. :func:`remove_captions` - photo captions and image credits.
7. :func:`squeeze` - one paragraph per line, no blank lines.

Every function is total (never raises on any ``str``) and :func:`pipeline` is idempotent.
"""

from __future__ import annotations

import re
import statistics
from functools import cache, lru_cache

__all__ = [
    "CJK",
    "normalize_unicode",
    "unify_punctuation",
    "join_spaced_cjk",
    "strip_boilerplate",
    "extract_metadata",
    "dewrap",
    "remove_captions",
    "squeeze",
    "to_simplified",
    "pipeline",
    "display_width",
    "is_byline",
    "is_credit",
    "NAME_SURNAMES",
]

# --------------------------------------------------------------------------------------------
# Character classes
# --------------------------------------------------------------------------------------------
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3007"
# Chinese punctuation that must never be separated from its neighbours by a stray space.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—·～"
_CJK_RE = re.compile(f"[{CJK}]")
TERMINAL = "。！？；…"
_TERMINAL_RE = re.compile(f"[{TERMINAL}]")
_CLOSERS = "”’）】」』》"

# --------------------------------------------------------------------------------------------
# 1. Unicode normalisation
# --------------------------------------------------------------------------------------------
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_NEWLINES_RE = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# Zero-width characters, soft hyphen, bidi embeddings/overrides/isolates, BOM.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\u2061-\u2064\ufeff\u00ad\u200e\u200f"
                           "\u202a-\u202e\u2066-\u2069\u061c\u180e]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Terminal escape sequences (CSI such as colours, OSC such as titles and hyperlinks).
_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_SPACES_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Full-width forms that become ASCII: digits, letters and the symbols used inside figures and
# codes. Chinese punctuation (，。！？：；（）etc.) is kept.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({ch: chr(ord(ch) - 0xFEE0) for ch in "％＋＝＜＞＠＃＆＊＼＾＿｀｜＄"})
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
# str.translate with a dict table is slow (about 15 MB/s); a regex over the same characters with
# the same mapping gives the same text, and most texts have none of them at all.
_FULLWIDTH_ANY_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_FULLWIDTH)) + "]")
_FW_BETWEEN_DIGITS_RE = re.compile("(?<=[0-9])([．／－，：])(?=[0-9])")
_FW_BETWEEN_DIGITS = {"．": ".", "／": "/", "－": "-", "，": ",", "：": ":"}


def _fullwidth_char(m: re.Match[str]) -> str:
    return _FULLWIDTH[m.group()]


# Every character that one of the substitutions above can start a match at: a text with none
# of them (any text normalized once already) skips those seven passes.
_NORMALIZE_ANY_RE = re.compile(
    "[\ud800-\udfff\r\u2028\u2029\x85\x0b\x0c\x1b"
    "\u200b\u200c\u200d\u2060\u2061-\u2064\ufeff\u00ad\u200e\u200f"
    "\u202a-\u202e\u2066-\u2069\u061c\u180e"
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    + "".join(re.escape(ch) for ch in sorted(_FULLWIDTH)) + "]"
)
# _FW_BETWEEN_DIGITS_RE without its no-op matches (，and ：stay) and with the digit before
# consumed rather than looked behind at, so the regex engine skips to digits in C.
_FW_DIGIT_MARK_RE = re.compile("([0-9])([．／－])(?=[0-9])")


def _fw_digit_mark(m: re.Match[str]) -> str:
    return m.group(1) + _FW_BETWEEN_DIGITS[m.group(2)]


# (pass, the characters it can act on, replacement), in order.
_NORMALIZE_PASSES: tuple[tuple[re.Pattern[str], re.Pattern[str], object], ...] = (
    (_SURROGATE_RE, _SURROGATE_RE, "\ufffd"),
    (_NEWLINES_RE, re.compile("[\r\u2028\u2029\x85\x0b\x0c]"), "\n"),
    (_INVISIBLE_RE, _INVISIBLE_RE, ""),
    (_ANSI_RE, re.compile("\x1b"), ""),
    (_CONTROL_RE, _CONTROL_RE, ""),
    (_SPACES_RE, _SPACES_RE, " "),
    (_FULLWIDTH_ANY_RE, _FULLWIDTH_ANY_RE, _fullwidth_char),
)


def normalize_unicode(text: str) -> str:
    """Replace lone surrogates, drop invisible and control characters and terminal escape
    sequences, normalise spaces and full-width ASCII letters and digits; keep Chinese
    punctuation, ①②… and 〔〕."""
    found = set(_NORMALIZE_ANY_RE.findall(text))
    if found:
        # A pass runs only if the text has a character it acts on: no pass puts one in (they
        # write U+FFFD, "\n", " ", ASCII or nothing), so a character absent at the start is
        # absent before every pass.
        chars = "".join(found)
        for rx, trigger, repl in _NORMALIZE_PASSES:
            if trigger.search(chars):
                text = rx.sub(repl, text)
    # １２．５ -> 12.5 and ３／５ -> 3/5, but a full-width comma between words stays Chinese.
    if "．" in text or "／" in text or "－" in text:
        return _FW_DIGIT_MARK_RE.sub(_fw_digit_mark, text)
    return text


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled on first use. Each big class of Chinese characters takes about a
    millisecond to compile; the fast-path regexes below hold several, and a run that never
    meets their case (no ASCII bracket, no "?") should not pay for them."""
    return re.compile(pattern)


# --------------------------------------------------------------------------------------------
# 2. Punctuation
# --------------------------------------------------------------------------------------------
_ASCII_TO_CJK_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_CJKISH = re.compile(f"[{CJK}{CJK_PUNCT}]")
_PUNCT_CANDIDATE_RE = re.compile(r"[,;:!?()]")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


# Fast paths for unify_punctuation. Every substitution maps one character to one, so offsets
# never move and each decision below can be read on the text as it came in.
#
# An *isolated* mark (a run of one mark whose two neighbours are neither a space nor a mark, or
# the text's edge) has its own neighbours as ``prev`` and ``nxt``; it becomes full-width exactly
# when one of them is Chinese (the ``15:32`` exception needs two digits, and no Chinese
# character or mark is a digit). One substitution per mark does these in C. The passes cannot
# see each other's work: a pass changes only isolated marks, and an isolated mark is neither
# another run's neighbour past spaces nor the direct neighbour of another mark.
_CJKISH_CLASS = f"[{CJK}{CJK_PUNCT}]"
# (mark, its pattern, full-width form); compiled only for a text that has the mark.
_ISOLATED_MARKS = tuple(
    (ch, f"{re.escape(ch)}(?:(?<={_CJKISH_CLASS}{re.escape(ch)})(?![ ,;:!?])"
         f"|(?<![ ,;:!?]{re.escape(ch)})(?={_CJKISH_CLASS}))", full)
    for ch, full in _ASCII_TO_CJK_PUNCT.items() if ch not in "()"
)
# Every other run, a *loose* one (two or more marks, or a mark next to a space: its neighbour
# lies beyond the spaces), is decided in Python, as before.
# Brackets decided in C (``close``, ``open_``, ``prev`` and ``nxt`` as in _bracket_is_cjk):
# ``(`` with a Chinese character just before it; or whose ``)`` comes within 59 characters with a
# Chinese character before it; or with no ``)`` that near and a Chinese character after it
# (past spaces). ``)`` with a Chinese character just before it (then that character is inside
# the bracket, or is ``prev``) or just after it.
_OPEN_SURE = (
    rf"\((?:(?<=[{CJK}]\()|(?=[^)]{{0,58}}\))(?=[^)]*?[{CJK}])|(?![^)]{{0,58}}\))(?= *[{CJK}]))"
)
_CLOSE_SURE = rf"\)(?:(?<=[{CJK}]\))|(?=[{CJK}]))"
_SPACE_OPEN_RE = re.compile(r" \(")


def _run_is_cjk(text: str, s: int, e: int) -> bool:
    """The decision for the run of marks ``text[s:e]``: is a neighbour past spaces Chinese?"""
    n = len(text)
    prev = text[s - 1] if s else ""
    if prev == " ":
        prev = _neighbour(text, s, -1)
    nxt = text[e] if e < n else ""
    if nxt == " ":
        nxt = _neighbour(text, e - 1, 1)
    cjk = bool(prev and _CJKISH.match(prev)) or bool(nxt and _CJKISH.match(nxt))
    if e - s == 1 and text[s] == ":" and prev.isdigit() and nxt.isdigit():
        cjk = False
    return cjk


def _bracket_is_cjk(text: str, i: int) -> bool:
    """The decision for the bracket at ``i``: Chinese inside it (within 60 characters), or next
    to it on the outside."""
    ch = text[i]
    prev, nxt = _neighbour(text, i, -1), _neighbour(text, i, 1)
    if ch == "(":
        # Opening bracket: look inside it, and before it.
        close = text.find(")", i + 1, i + 60)
        inner = text[i + 1 : close] if close != -1 else nxt
        return bool(_CJK_RE.search(inner)) or bool(prev and _CJK_RE.match(prev))
    open_ = text.rfind("(", max(0, i - 60), i)
    inner = text[open_ + 1 : i] if open_ != -1 else prev
    return bool(_CJK_RE.search(inner)) or bool(nxt and _CJK_RE.match(nxt))


def unify_punctuation(text: str) -> str:
    """ASCII ``, ; : ! ? ( )`` next to a Chinese character become full-width.

    ``市直有关单位,省`` -> ``市直有关单位，省``; ``(一)`` -> ``（一）``; ``15:32``, ``1,234`` and
    ``http://`` are left alone because neither neighbour is Chinese. A run of marks (``?!``,
    ``:::``) is decided as one, by the characters around the run, so the result is stable.

    Every decision reads the text as it came in. Marks are decided (and replaced) first:
    bracket decisions look only for Chinese characters, which replacing a mark cannot create,
    and at brackets, which are still ASCII then.
    """
    if not _PUNCT_CANDIDATE_RE.search(text):
        return text
    source = text
    for ch, pattern, full in _ISOLATED_MARKS:
        if ch in text:
            text = _compiled(pattern).sub(full, text)
    # The marks still ASCII are the isolated ones that stay and the loose runs, whole (a pass
    # changes no mark of a longer run or next to a space). They are few: find them with
    # str.find, group them into runs, decide the loose runs.
    left: list[int] = []
    for ch in ",;:!?":
        i = text.find(ch)
        while i != -1:
            left.append(i)
            i = text.find(ch, i + 1)
    left.sort()
    runs: list[tuple[int, int]] = []
    for i in left:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    pieces: list[str] = []
    last = 0
    for s, e in runs:
        loose = e - s >= 2 or (s and source[s - 1] == " ") or source[e : e + 1] == " "
        if loose and _run_is_cjk(source, s, e):
            pieces.append(text[last:s])
            pieces.append("".join([_ASCII_TO_CJK_PUNCT[ch] for ch in source[s:e]]))
            last = e
    if pieces:
        pieces.append(text[last:])
        text = "".join(pieces)  # same length: every offset below is unchanged
    if "(" not in text and ")" not in text:
        return text
    # Bracket decisions read ``base``: the marks replaced, the brackets all still ASCII.
    base = text
    if "(" in text:
        text = _compiled(_OPEN_SURE).sub("（", text)
    if ")" in text:
        text = _compiled(_CLOSE_SURE).sub("）", text)
    # The brackets left are few and decided as before. A ``(`` left with no space before it
    # stays: its ``prev`` is the character before it, which is not Chinese.
    left = [m.start() + 1 for m in _SPACE_OPEN_RE.finditer(text)]
    i = text.find(")")
    while i != -1:
        left.append(i)
        i = text.find(")", i + 1)
    out: list[str] | None = None
    for i in left:
        if _bracket_is_cjk(base, i):
            if out is None:
                out = list(text)
            out[i] = _ASCII_TO_CJK_PUNCT[text[i]]
    return "".join(out) if out is not None else text


# --------------------------------------------------------------------------------------------
# 3. Spaced-out characters
# --------------------------------------------------------------------------------------------
def join_spaced_cjk(text: str) -> str:
    """Remove the spaces that PDF extraction put inside Chinese text.

    * around Chinese punctuation: ``（一 、二`` -> ``（一、二``;
    * between a Chinese character and a number: ``全市 2 万余名`` -> ``全市2万余名``;
    * inside letter-spaced runs, where single characters stand between spaces:
      ``托 养 服 务`` -> ``托养服务``; ``唐兰荣 唐 曦`` -> ``唐兰荣 唐曦``.

    A space between two multi-character words (``服务有温度 办事零距离``, a byline) is kept.
    """
    if " " not in text:
        return text
    text = _compiled(_SPACE_RUN_DROP).sub("", text)
    # A run that stays becomes one space. The runs left are the ones the regex did not take,
    # whole, still apart.
    return _SPACES_2_RE.sub(" ", text) if "  " in text else text


# join_spaced_cjk's decision for a run of spaces text[s:e] between a = text[s-1] and
# b = text[e], in one regex. The decision, read off the per-run rules (C Chinese, P Chinese
# punctuation, A [0-9A-Za-z%]; P and C share no character; W_a: a and the character before it
# are both Chinese, W_b: b and the one after it are; a run at a line edge always goes):
#   around P:   a or b in P, and not W_a and not W_b (isolated(s-1) is "text[s-2] not C" since
#               text[s] is a space; isolated(e) likewise);
#   C-A, A-C:   always;
#   C-C:        not W_a and not W_b (before_a, after_b);
#   otherwise   kept, as one space.
# Every branch starts at the run's first space (a literal, so the engine skips ahead in C), reads
# a through a lookbehind that includes that space (so no branch can start inside a run) and takes
# the whole run possessively before it looks at b.
_C = f"[{CJK}]"
_P = f"[{re.escape(CJK_PUNCT)}]"
_A = "[0-9A-Za-z%]"
_SPACES_2_RE = re.compile("  +")
_SPACE_RUN_DROP = (
    " (?:"
    r"(?<!  ) *+(?=\n|\Z)"  # trailing
    r"|(?<=\n ) *+|(?<=^ ) *+"  # leading
    f"|(?<={_P} ) *+(?!{_C}{_C})"  # a in P
    f"|(?<=[^ \n] )(?<!{_C}{_C} ) *+(?={_P})"  # b in P
    f"|(?<={_C} )(?:(?<!{_C}{_C} ) *+(?={_C}(?!{_C}))| *+(?={_A}))"  # C-C single chars, C-A
    f"|(?<={_A} ) *+(?={_C})"  # A-C
    ")"
)


# --------------------------------------------------------------------------------------------
# 4. Web boilerplate and metadata
# --------------------------------------------------------------------------------------------
_BOILERPLATE_LINE_RES = [
    re.compile(p)
    for p in (
        r"^(当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[：:].*",
        r"^首页\s*[>›»/].*",
        r"^(发布时间|发布日期|信息来源|来源|责任编辑|编辑|作者|浏览次数|点击数|访问量|字号|文章来源)\s*[：:]"
        r".{0,80}(发布时间|信息来源|责任编辑|浏览|字号|【|$).*",
        r"^分享到\s*[：:]?.*$",
        r"^.{0,6}扫一扫.{0,12}(手机|二维码).*$",
        r"^.{0,4}(打印本页|打印此页|【打印】|\[打印\]|关闭窗口|【关闭】|\[关闭\]).{0,30}$",
        r"^.{0,4}(设为首页|加入收藏|网站地图|联系我们|免责声明|网站声明|隐私声明)([\s|｜/、]+.{0,12}){0,8}$",
        r"^(主办单位|承办单位|主办|承办|技术支持|维护单位|网站标识码|网站识别码)\s*[：:].*$",
        r"^.{0,30}(ICP备|ICP证|公网安备|备案/许可证|备案号|许可证编号|网站标识码).*$",
        r"^(版权所有|Copyright|copyright|©).{0,80}$",
        r"^(上一篇|下一篇|相关链接|相关文章|相关阅读|【字体|字体[：:]).{0,60}$",
        r"^【?(大|中|小)】?\s*【?(大|中|小)】?\s*【?(大|中|小)】?$",
        r"^(注：)?中文维基文库社群认为.*$",
        r"^(Public domain|false|true)$",
    )
]
# A Wikisource-style licence trailer: from its first line to the end of the text.
_TRAILER_START_RE = re.compile(r"^本作品(是|在|来自).{0,20}$|^本作品是中华人民共和国的")
_TRAILER_MARK_RE = re.compile(r"公有领域|public domain|著作权法", re.I)

_META_KEYS = {
    "发布时间": "published",
    "发布日期": "published",
    "成文日期": "written",
    "信息来源": "publisher",
    "来源": "publisher",
    "文章来源": "publisher",
    "责任编辑": "editor",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "索引号": "index_number",
    "发文机关": "issuer",
}
_META_RE = re.compile(
    r"(发布时间|发布日期|成文日期|信息来源|文章来源|来源|责任编辑|发文字号|文号|索引号|发文机关)\s*[：:]\s*"
    r"(.+?)(?=\s+(?:发布时间|发布日期|成文日期|信息来源|文章来源|来源|责任编辑|浏览|字号|发文字号|索引号)\s*[：:]|\s*$)"
)
_DOC_NUMBER_RE = re.compile(
    f"^[{CJK}]{{1,12}}[〔\\[［(（]\\s*(19|20)\\d\\d\\s*[〕\\]］)）]\\s*\\d{{1,4}}\\s*号$"
)


# The same test as ``any(r.match(s) for r in _BOILERPLATE_LINE_RES)``, in one regex call.
_BOILERPLATE_LINE_RE = re.compile("|".join(f"(?:{r.pattern})" for r in _BOILERPLATE_LINE_RES))


def _is_boilerplate_line(line: str) -> bool:
    s = join_spaced_cjk(line.strip())  # judge the line as it will read once cleaned
    return bool(s) and _BOILERPLATE_LINE_RE.match(s) is not None


# strip_boilerplate asks _BOILERPLATE_LINE_RE only of the lines it can match. Ten of its
# patterns are anchored at the start of the line (as despaced), and these are their first
# characters; each of the other four needs one of _BOILERPLATE_WORDS in the line (扫一扫;
# 打印本页, 打印此页, 【打印】, [打印] hold 打印 and 关闭窗口, 【关闭】, [关闭] hold 关闭;
# 免责声明, 网站声明, 隐私声明 hold 声明; 备案/许可证 and 备案号 hold 备案).
_BOILERPLATE_FIRST = frozenset(
    "当您你所"  # 当前位置 …
    "首"  # 首页 >
    "发信来责编作浏点访字文"  # 发布时间, 信息来源, 来源, 责任编辑, 编辑, 作者, 浏览次数, 点击数 …
    "分"  # 分享到
    "主承技维网"  # 主办单位, 承办单位, 技术支持, 维护单位, 网站标识码 …
    "版Cc©"  # 版权所有, Copyright
    "上下相【字"  # 上一篇, 下一篇, 相关链接, 【字体, 字体
    "大中小"  # 【大】【中】【小】
    "注"  # 注：中文维基文库… (and 中文维基文库…)
    "Pft"  # Public domain, false, true
)
_BOILERPLATE_WORDS = (
    "扫一扫", "打印", "关闭", "设为首页", "加入收藏", "网站地图", "联系我们", "声明", "ICP",
    "公网安备", "备案", "许可证编号", "网站标识码",
)
_BOILERPLATE_WORDS_RE = re.compile("|".join(re.escape(w) for w in _BOILERPLATE_WORDS))


def strip_boilerplate(text: str) -> str:
    """Drop web-template lines (breadcrumbs, 发布时间/信息来源 lines, 分享到, 扫一扫, 打印本页,
    设为首页, 主办单位, 备案 and 网站标识码 lines) and a trailing licence notice."""
    lines = text.split("\n")
    end = len(lines)
    if "本作品" in text:  # _TRAILER_START_RE needs it at the start of the line
        for i, line in enumerate(lines):
            if "本作品" in line and _TRAILER_START_RE.match(line.strip()):
                rest = "\n".join(lines[i:])
                if len(rest) < 2000 and _TRAILER_MARK_RE.search(rest):
                    end = i
                    break
    # Each line as _is_boilerplate_line judges it: stripped, then despaced (one call for all
    # the lines; see dewrap for why that is the same).
    despaced = join_spaced_cjk("\n".join([line.strip() for line in lines[:end]]))
    judged = despaced.split("\n")
    first = _BOILERPLATE_FIRST
    candidates = [i for i, s in enumerate(judged) if s[:1] in first]
    found = _BOILERPLATE_WORDS_RE.search(despaced)
    if found:
        more = set(candidates)
        line, last = 0, 0
        for m in _BOILERPLATE_WORDS_RE.finditer(despaced, found.start()):
            line += despaced.count("\n", last, m.start())
            last = m.start()
            more.add(line)
        candidates = sorted(more)
    match = _BOILERPLATE_LINE_RE.match
    drop = {i for i in candidates if match(judged[i])}
    if not drop:
        return text if end == len(lines) else "\n".join(lines[:end])
    return "\n".join([line for i, line in enumerate(lines[:end]) if i not in drop])


def extract_metadata(text: str) -> dict[str, str]:
    """Page metadata kept before the boilerplate is stripped: published, publisher, editor,
    doc_number (发文字号 such as 邵东政办发〔2025〕2号) and, for a web page, its title line."""
    meta: dict[str, str] = {}
    lines = [ln.strip() for ln in text.split("\n", 80)[:80]]  # only the first 80 are read
    for line in lines:
        if not line:
            continue
        # _META_RE needs a colon; _DOC_NUMBER_RE a line ending in 号 (the line is stripped, so
        # removing its spaces keeps its last character).
        if "：" in line or ":" in line:
            for m in _META_RE.finditer(line):
                key = _META_KEYS[m.group(1)]
                value = m.group(2).strip()
                if value and key not in meta:
                    meta[key] = value[:200]
        if "doc_number" not in meta and line.endswith("号") and _DOC_NUMBER_RE.match(
            line.replace(" ", "")
        ):
            meta["doc_number"] = line.replace(" ", "")
    # A web page repeats its title between the breadcrumb and the 发布时间 line.
    for i, line in enumerate(lines[:40]):
        if "published" in meta and _META_RE.match(line):
            for prev in reversed(lines[:i]):
                if prev and not _is_boilerplate_line(prev):
                    if 6 <= len(prev) <= 120 and prev[-1] not in TERMINAL:
                        meta.setdefault("title", prev)
                    break
            break
    return meta


# --------------------------------------------------------------------------------------------
# 5. Hard-wrapped lines
# --------------------------------------------------------------------------------------------
_ENUM_RE = re.compile(
    r"^(第[一二三四五六七八九十百零〇0-9]+[章节条部分篇]|[一二三四五六七八九十]+、|"
    r"（[一二三四五六七八九十]+）|[0-9]{1,2}[.、．]\D|（[0-9]{1,2}）|[①-⑳])"
)
_ANNEX_RE = re.compile(r"^附\s*件\s*[0-9一二三四五六七八九十]{0,3}\s*[：:]?")
_QUOTE_RE = re.compile("[《》“”（）]")
_ORG_TAIL_RE = re.compile(r"(人民政府|政府|办公室|办公厅|委员会|[局厅部委办院])$")


# Characters half a cell wide: below U+2E80 except the full-width punctuation listed.
# (Without "\n", so that _display_widths can keep lines apart; display_width counts it.)
_NARROW_RE = re.compile("[^ \n—…“”‘’·\u2e80-\U0010ffff]")


def display_width(line: str) -> float:
    """Printed width in Chinese character cells: CJK and full-width = 1, ASCII = 0.5.

    Counted with one regex pass instead of a Python loop; every width is a multiple of 0.5,
    so the float is exact either way."""
    cells = len(line) - line.count(" ")
    narrow = len(_NARROW_RE.findall(line)) + line.count("\n")
    return (cells - narrow) + 0.5 * narrow


def _ends_sentence(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)  # trailing space, then closing quotes and brackets
    return bool(s) and (s[-1] in TERMINAL or s[-1] in "：:")


def _unbalanced(line: str) -> bool:
    return (
        line.count("《") > line.count("》")
        or line.count("“") > line.count("”")
        or line.count("（") > line.count("）")
    )


_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕"
    "楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣"
    "晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉"
    "银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由君"
)
_SURNAMES_2 = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐",
               "夏侯", "端木", "轩辕", "宇文", "司徒", "西门", "南宫", "申屠", "万俟", "闻人")
NAME_SURNAMES = frozenset(_SURNAMES_1)
_NAME_RE = re.compile(f"^[{CJK}]{{2,4}}$")
_NOT_NAME_TAIL = re.compile(r"(局|委|办|院|厅|部|处|科|所|站|队|会|联|中心|公司|集团|政府|学校|大学|"
                            r"报|社|台|网|组|室|区|县|市|省|镇|乡|村|街道|提供|供图|摄)$")
_NOT_NAME_HEAD = re.compile(r"^(市|县|省|区|镇|乡|本|该|全|各|我|据|图)")
_CREDIT_SPLIT_RE = re.compile(r"[\s、，,]+")
_CREDIT_RE = re.compile(r"[（(]([^（）()]{2,30})[）)]$")


def _is_name(token: str) -> bool:
    if not _NAME_RE.match(token) or _NOT_NAME_TAIL.search(token) or _NOT_NAME_HEAD.match(token):
        return False
    if token[:2] in _SURNAMES_2:
        return len(token) >= 3
    return token[0] in NAME_SURNAMES


def is_byline(line: str, *, min_names: int = 2) -> bool:
    """A line of 2-4 personal names separated by spaces (``陈志强 罗雯艳 李瀚杰``)."""
    parts = line.split()
    if not (min_names <= len(parts) <= 4):
        return False
    return all(_is_name(p) for p in parts)


def is_credit(line: str) -> str | None:
    """The names of a trailing credit such as ``（邓先治 陈长龙）``, standing alone or closing a
    paragraph after its last sentence, or None. ``（市商务局）`` (a responsible unit) and
    ``中国（邵阳）`` (a place in brackets) are not credits."""
    s = line.rstrip()
    # _CREDIT_RE ends the line with a bracket and spans at most 32 characters.
    if not s.endswith(("）", ")")):
        return None
    m = _CREDIT_RE.search(s, max(0, len(s) - 32))
    if not m:
        return None
    before = s[: m.start()].rstrip()
    if before and before[-1] not in TERMINAL + _CLOSERS:
        return None
    inner = m.group(1).strip()
    parts = _CREDIT_SPLIT_RE.split(inner)
    if 1 <= len(parts) <= 4 and all(_is_name(p) for p in parts):
        return " ".join(parts)
    return None


def _is_structural(line: str) -> bool:
    """Lines that always stand alone: subtitles, bylines, enumerated headings, annex labels."""
    s = line.strip()
    return (
        s.startswith("——")
        or is_byline(s)
        or bool(_ENUM_RE.match(s))
        or bool(_ANNEX_RE.match(s))
        or (s[:1] in "（(" and is_credit(s) is not None)
    )


_PHOTO_MARK_RE = re.compile(r"^(.{1,24}?[①-⑳])\s*(\S.*)$")


def _split_photo_mark(line: str) -> str:
    """``在这片美丽的土地上①陈羽唯 唐兰荣 唐曦``: a photo label run into the byline beside it."""
    m = _PHOTO_MARK_RE.match(line.strip())
    if m and is_byline(m.group(2)):
        return m.group(2)
    return line


def _column_width(widths: list[float]) -> float | None:
    """The modal line width when the text is hard-wrapped in columns, else None."""
    usable = [round(w) for w in widths if w >= 6]
    if len(usable) < 8:
        return None
    mode = statistics.multimode(usable)
    width = float(max(mode))
    if width > 40:
        return None
    near = sum(1 for w in widths if abs(w - width) <= 2.5)
    if near < 0.5 * len(widths):
        return None
    return width


def dewrap(text: str) -> str:
    """Join hard-wrapped lines back into paragraphs.

    Text with long lines is taken as already one paragraph per line; only a heading broken
    inside a bracket or quote (``关于印发《…“七大攻坚”`` / ``总体方案》的通知``) is rejoined.
    Text wrapped in narrow columns (most lines near one width, as in a PDF newspaper page) is
    rebuilt: a full-width line that does not end a sentence continues on the next line, across
    blank lines; a line that ends a sentence, a short line, a subtitle (——…), a byline, a numbered
    heading, and a headline (no sentence punctuation, and followed by a narrower, indented
    paragraph start) stand alone. Runs of at least two blank lines (layout box boundaries) are
    kept as one blank line for :func:`remove_captions`.
    """
    return _dewrap(text)[0]


def _dewrap(text: str) -> tuple[str, bool]:
    """dewrap, and whether it took every line as a paragraph of its own because the text is not
    in columns and no line can start a join (its shortcut): see pipeline."""
    stripped: list[str] = []  # the non-blank lines, stripped
    befores: list[int] = []  # blank lines before each
    blanks = 0
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            blanks += 1
            continue
        stripped.append(s)
        befores.append(blanks)
        blanks = 0
    if not stripped:
        return "", False
    # join_spaced_cjk over the lines joined by "\n" is join_spaced_cjk of each line: a run of
    # spaces never holds "\n", and every neighbour it looks at across a line end ("\n") is as
    # little Chinese as the edge of the line ("").
    joined = "\n".join(stripped)
    despaced = join_spaced_cjk(joined).split("\n") if " " in joined else stripped
    # _split_photo_mark changes only a line with one of ①-⑳ among its first 25 characters.
    search = _CIRCLED_RE.search
    texts = [_split_photo_mark(d) if search(d, 0, 25) else d for d in despaced]
    widths = None if _no_column(texts) else _display_widths(texts)
    column = None if widths is None else _column_width(widths)
    if column is None and not any(_may_open_join(t) for t in texts):
        # One paragraph per line and no line that could start a join: the loop below would
        # flush every line alone.
        if max(befores[1:], default=0) < 2:
            return "\n".join(texts), True
        out: list[str] = []
        for k, (t, before) in enumerate(zip(texts, befores, strict=True)):
            if k and before >= 2:
                out.append("")
            out.append(t)
        return "\n".join(out), True
    lines = list(zip(texts, befores, strict=True))  # (stripped line, blank lines before it)
    # letter-spaced lines are justified, hence full-width lines
    spaced = [len(a) - len(b) >= 3 for a, b in zip(stripped, despaced, strict=True)]
    if widths is None:
        widths = _display_widths(texts)
    # Each line's structural test, made once (the loop asks it of a line and of its successor).
    structurals = _structurals(texts, joined) + [False]
    paras: list[tuple[str, int]] = []  # (paragraph, blank lines before it)
    cur: list[str] = []
    cur_blanks = 0

    cur_len = 0  # len("".join(cur)), kept as lines are added: the join is made only when needed

    def flush() -> None:
        nonlocal cur, cur_len
        if cur:
            paras.append(("".join(cur), cur_blanks))
            cur = []
            cur_len = 0

    n = len(lines)
    i = 0
    while i < n:
        line, before = lines[i]
        nxt = lines[i + 1][0] if i + 1 < n else ""
        nxt_blank = lines[i + 1][1] if i + 1 < n else 0
        if not cur:
            cur_blanks = before
        structural = structurals[i]
        if structural and cur:
            flush()
            cur_blanks = before
        cur.append(line)
        cur_len += len(line)
        if structural:
            # A subtitle may wrap: ——十年筑梦，… / （之一）.
            flush()
            i += 1
            continue
        if column is None:
            # One paragraph per line; rejoin only a short heading left open inside brackets, or
            # an issuing organ standing above its 关于…的通知 title.
            if nxt and cur_len <= 60 and _opens_join("".join(cur), nxt) and not structurals[i + 1]:
                i += 1
                continue
            flush()
            i += 1
            continue
        w = widths[i]
        full = w >= column - 3.5 or spaced[i]
        if _ends_sentence(line) or not nxt or structurals[i + 1]:
            flush()
        elif nxt_blank <= 1 and cur_len <= 80 and _unbalanced("".join(cur)):
            pass  # （珠晖区融媒 / 体中心提供）: a bracket left open continues
        elif not full:
            # Short line: the end of a paragraph, a headline, or one line of a narrow caption or
            # headline column. Narrow lines directly followed by narrow lines belong together.
            nw = widths[i + 1]
            if (nw < column - 3.5 and nxt_blank == 0 and not is_byline(nxt)) or (
                w <= column / 2 and nw <= column / 2 and nxt_blank <= 1 and not is_byline(nxt)
                and (len(cur) > 1 or _narrow_run(widths, i, column))
            ):
                pass
            else:
                flush()
        else:
            starts_paragraph = len(cur) == 1
            nw = widths[i + 1]
            headline = (
                starts_paragraph
                and not _TERMINAL_RE.search(line)
                and w <= 30
                and (w > column + 3 or (nw < w - 1 and not _ends_sentence(nxt) and nw >= column - 4))
            )
            if headline:
                flush()
        i += 1
    flush()
    out: list[str] = []
    for k, (para, before) in enumerate(paras):
        if k and before >= 2:
            out.append("")
        out.append(para)
    return "\n".join(out), False


_CIRCLED_RE = re.compile("[①-⑳]")


def _display_widths(lines: list[str]) -> list[float]:
    """``[display_width(s) for s in lines]`` for lines without newlines, in one regex pass."""
    wide = _NARROW_RE.sub("", "\n".join(lines)).split("\n")  # spaces and wide characters
    # (cells - narrow) + 0.5 * narrow, cells = len(s) - s.count(" "), narrow = len(s) - len(w)
    return [
        (len(w) - s.count(" ")) + 0.5 * (len(s) - len(w))
        for s, w in zip(lines, wide, strict=True)
    ]


def _no_column(lines: list[str]) -> bool:
    """True when _column_width would find no column, judged without the widths: a line is at
    least half as wide as its characters other than spaces and at most as wide as them, and
    _column_width needs 8 lines of width >= 6 and half of all lines within 2.5 of a width
    <= 40."""
    cells = [len(s) - s.count(" ") for s in lines]
    usable = sum(1 for x in cells if x >= 6)  # width >= 6 needs 6 cells or more
    near = sum(1 for x in cells if x <= 85)  # width <= 42.5 needs 85 cells or fewer
    return usable < 8 or near < 0.5 * len(lines)


def _opens_join(joined: str, nxt: str) -> bool:
    """dewrap, one paragraph per line: does the heading ``joined`` (at most 60 characters)
    continue on the line ``nxt``?"""
    return not _TERMINAL_RE.search(joined) and (
        _unbalanced(joined) or (bool(_ORG_TAIL_RE.search(joined)) and nxt.startswith("关于")
                                and len(joined) <= 20 and not _QUOTE_RE.search(joined))
    )


def _may_open_join(line: str) -> bool:
    """The part of dewrap's one-paragraph-per-line join test that reads only ``line``: False
    means ``line`` alone never starts a join."""
    return len(line) <= 60 and not _TERMINAL_RE.search(line) and (
        _unbalanced(line)
        or (bool(_ORG_TAIL_RE.search(line)) and len(line) <= 20 and not _QUOTE_RE.search(line))
    )


# A structural line starts with one of these (——, an enumeration, 附件, a bracketed credit) or
# holds whitespace inside (a byline has two to four names).
_STRUCTURAL_FIRST = frozenset("—第一二三四五六七八九十（0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳附(")
_ODD_SPACE_RE = re.compile(r"[^\S \n]")
# ``s.startswith("——") or _ENUM_RE.match(s) or _ANNEX_RE.match(s)`` in one call.
_STRUCTURAL_HEAD_RE = re.compile(f"——|{_ENUM_RE.pattern}|{_ANNEX_RE.pattern}")


def _structurals(lines: list[str], joined: str) -> list[bool]:
    """``[_is_structural(s) for s in lines]`` for stripped lines; ``joined`` is the text they
    came from, to tell whether any holds whitespace other than " "."""
    if _ODD_SPACE_RE.search(joined):
        return [_is_structural(s) for s in lines]
    # _is_structural's tests, each only where it can hold (a byline needs a space, a credit a
    # bracket first), for a line with no whitespace but " ".
    first, head = _STRUCTURAL_FIRST, _STRUCTURAL_HEAD_RE.match
    return [
        (s[:1] in first or " " in s) and (
            head(s) is not None
            or (" " in s and is_byline(s))
            or (s[:1] in "（(" and is_credit(s) is not None)
        )
        for s in lines
    ]


def _narrow_run(widths: list[float], i: int, column: float) -> bool:
    """True when line ``i`` starts a run of at least three narrow lines (a caption column)."""
    run = 0
    for w in widths[i : i + 4]:
        if w <= column / 2:
            run += 1
        else:
            break
    return run >= 3


# --------------------------------------------------------------------------------------------
# 6. Captions and image credits
# --------------------------------------------------------------------------------------------
_IMAGE_CREDIT_RES = [
    re.compile(p)
    for p in (
        r"^[（(]?(本文|本版|上图|下图|左图|右图|题图)?(图片|照片|图)(均|皆)?(由|为|来自|：|:)[^。]{1,40}"
        r"(提供|拍摄|摄)[）)]?$",
        r"^[^。，]{2,24}(供图|摄影|拍摄)[）)]?$",
        r"^[（(][^（）()。]{2,40}(提供|供图|摄)[）)]$",
        r"^(图|图片|图文|摄影|摄)\s*[/／：:]\s*[^。]{1,30}$",
        r"^[^。，]{2,12}\s*摄$",
    )
]
_TRAILING_IMAGE_CREDIT_RE = re.compile(
    r"[（(][^（）()。]{2,40}(提供|供图|摄)[）)]$|[。！]\s*[^。，]{2,20}(供图|摄)$"
)


# ``any(r.match(s) for r in _IMAGE_CREDIT_RES)`` in one regex call.
_IMAGE_CREDIT_RE = re.compile("|".join(f"(?:{r.pattern})" for r in _IMAGE_CREDIT_RES))


def _is_image_credit(para: str) -> bool:
    s = para.strip()
    return len(s) <= 60 and _IMAGE_CREDIT_RE.match(s) is not None


def _sentences(para: str) -> int:
    return len(_TERMINAL_RE.findall(para))


def remove_captions(text: str) -> str:
    """Drop photo captions and image credits.

    * credit lines: ``（本文图片均由…提供）``, ``长沙市残联供图``, ``（…提供）``;
    * a caption that ends in such a credit (a narrow caption column joined by :func:`dewrap`);
    * a short caption standing just before a credit line;
    * a one-sentence caption boxed between layout gaps that interrupts a paragraph broken
      mid-sentence (``…23个重点项目`` / caption / ``全部开工…``).
    """
    blocks = text.split("\n")
    n = len(blocks)
    drop = [False] * n
    for i, para in enumerate(blocks):
        s = para.strip()
        if not s:
            continue
        # Every credit pattern (_IMAGE_CREDIT_RES, _TRAILING_IMAGE_CREDIT_RE) holds 摄, 图 or
        # 提供 (摄影, 拍摄, 供图 ...): a line without them is no credit.
        if "摄" in s or "图" in s or "提供" in s:
            if _is_image_credit(s):
                drop[i] = True
                # The caption that the credit belongs to stands just before it.
                j = i - 1
                while j >= 0 and not blocks[j].strip():
                    j -= 1
                if j >= 0 and not drop[j]:
                    prev = blocks[j].strip()
                    if len(prev) <= 90 and _sentences(prev) <= 1 and not _is_structural(prev):
                        drop[j] = True
                continue
            if len(s) <= 200 and _TRAILING_IMAGE_CREDIT_RE.search(s) and _sentences(s) <= 2:
                drop[i] = True
                continue
        # Boxed caption: gap before it, a sentence broken off just before the gap.
        if s.endswith("。") and i >= 2 and len(s) <= 60 and not blocks[i - 1].strip() and (
            _sentences(s) == 1
        ):
            j = i - 2
            while j >= 0 and (not blocks[j].strip() or drop[j]):
                j -= 1
            if j >= 0:
                prev = blocks[j].strip()
                if len(prev) >= 12 and not _ends_sentence(prev) and not _is_structural(prev):
                    drop[i] = True
    if not any(drop):
        return text
    return "\n".join(b for b, d in zip(blocks, drop, strict=True) if not d)


# --------------------------------------------------------------------------------------------
# 7. Final layout and traditional -> simplified
# --------------------------------------------------------------------------------------------
def squeeze(text: str) -> str:
    """One paragraph per line: strip each line, drop blank lines."""
    return "\n".join(s for s in (line.strip() for line in text.split("\n")) if s)


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese with OpenCC's phrase-level ``t2s`` conversion."""
    if not text:
        return text
    return _opencc().convert(text)


def pipeline(text: str, *, t2s: bool = False) -> str:
    """The whole cleaning chain; idempotent."""
    text = normalize_unicode(text)
    if t2s:
        text = to_simplified(text)
    text = unify_punctuation(text)
    text = strip_boilerplate(text)
    text, settled = _first_layout(text)
    if settled:
        return text
    # Joining lines depends on blank lines and on neighbours that later steps remove (captions,
    # credits), so one pass can leave a join that a second pass would make. Repeat the layout
    # steps until nothing changes: cleaning is idempotent by construction. Real text is stable
    # after the second pass.
    for _ in range(8):
        again = _layout(text)
        if again == text:
            break
        text = again
    return text


def _layout(text: str) -> str:
    text = dewrap(text)  # also removes spaced-out characters, line by line
    text = join_spaced_cjk(text)
    text = unify_punctuation(text)  # marks that met Chinese neighbours only when lines joined
    text = remove_captions(text)
    return squeeze(text)


def _first_layout(text: str) -> tuple[str, bool]:
    r"""_layout, and True when a second _layout provably returns its result unchanged.

    That is so when dewrap took its shortcut (no columns, no line that can start a join: D is
    its lines, each stripped, despaced and photo-split, with "" where the input had a layout
    gap) and join_spaced_cjk, unify_punctuation and remove_captions then changed nothing, so the
    result X is D without its "" lines; and either D has no such gap or no ASCII bracket.
    A second _layout on X:

    * dewrap(X) = X. X's lines are D's non-empty lines, already stripped; join_spaced_cjk
      changes none (it works line by line and left D unchanged); _split_photo_mark changes none
      (what it returns holds no ①-⑳, or it returned the line itself). So the lines, their
      widths (no columns) and the join test are D's again: the shortcut, with no blank lines
      before any line, returns X.
    * join_spaced_cjk(X) = X: it left D unchanged, and works line by line.
    * unify_punctuation(X) = X: it left D unchanged; a mark's neighbours past spaces are the
      same characters in X ("\n" at a line edge either way); brackets, whose 60-character
      windows shrink when "" lines go, are absent whenever D had a gap.
    * remove_captions(X) = X: no line of D was a credit or trailing credit (each judged on the
      line alone), so none is in X, and a boxed caption needs a blank line, which X lacks.
    * squeeze(X) = X: its lines are stripped and not empty.
    """
    dewrapped, flat = _dewrap(text)
    joined = join_spaced_cjk(dewrapped)
    unified = unify_punctuation(joined)
    kept = remove_captions(unified)
    out = squeeze(kept)
    settled = (
        flat and joined == dewrapped and unified == joined and kept == unified
        and ("\n\n" not in dewrapped or ("(" not in dewrapped and ")" not in dewrapped))
    )
    return out, settled
