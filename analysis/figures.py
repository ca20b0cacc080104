"""Where the figures are: the spans that segmentation keeps whole and the numbers analysis reads.

A *figure* here is an Arabic-numeral quantity with what makes it a quantity: a multiplier
(万/亿), a qualifier (余/多), a unit or rate (%, 个百分点, 亿元, 人次, 元/人/月, 平方米…), a range
(3000至6000元, 1—11月) or a date (2023年, 4月26日). ``6.5%``, ``145亿元``, ``2万余名``, ``1—11月`` and
``140元/人/月`` each come out as one span. Numerals inside identifiers (PM2.5, G7.5, 5G) and
formulations (1+1+N) are not figures.
"""

from __future__ import annotations

import re

__all__ = ["FIGURE_RE", "UNITS", "figure_spans", "is_figure"]

# Units, longest first so that 个百分点 wins over 个 and 平方米 over 米.
UNITS = sorted(
    {
        "个百分点", "百分点", "%", "‰", "元/人/月", "元/人/年", "元/人", "元/平方米", "元/吨", "元/亩",
        "元/月", "元/年", "元/天", "元/小时", "米/秒", "公里/小时", "微克/立方米", "毫克/升", "吨/日",
        "万千瓦时", "千瓦时", "万千瓦", "千瓦", "兆瓦", "吉瓦", "平方公里", "平方千米", "平方米", "立方米",
        "公顷", "公里", "千米", "厘米", "毫米", "米", "万亩", "亩", "万吨", "吨", "千克", "公斤", "斤",
        "亿元", "万元", "千元", "元", "美元", "亿美元", "万美元", "欧元", "人次", "人", "名", "户",
        "家", "个", "项", "件", "套", "台", "辆", "座", "所", "条", "张", "次", "批", "场", "处", "栋",
        "间", "只", "株", "棵", "头", "柜", "标箱", "列", "床", "位", "册", "份", "款", "期", "届",
        "轮", "种", "类", "篇", "部", "支", "支队伍", "道", "层", "级", "星", "倍", "成", "岁", "周岁",
        "年", "个月", "月", "日", "天", "周", "小时", "分钟", "秒", "度", "摄氏度", "℃", "万", "亿",
        "GW", "MW", "kW", "km", "m²", "人公里", "吨公里", "架", "艘", "匹马力", "匹", "双", "块", "口", "颗", "枚", "盏", "根",
    },
    key=lambda u: (-len(u), u),
)
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MULT = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)?"
_QUAL = r"(?:余|多)?"
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"
_RANGE_SEP = r"(?:[—–\-~～]|至|到)"
_DATE = r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日)"
# A figure does not run on into letters or digits (v2.0, 2025-03-06), except that a figure ending
# in a Chinese unit may be followed by the next figure: 9件20项 is two figures, 9件 and 20项. A
# multiplier is not such a unit (2万5千 is one amount, left unread rather than cut in two).
_END = (r"(?:(?<=[^\x00-\x7f万亿千百十])(?![A-Za-z.+#_])"
        r"|(?<![^\x00-\x7f万亿千百十])(?![A-Za-z0-9.+#_]))")
FIGURE_RE = re.compile(
    r"(?<![A-Za-z0-9.+#_/])(?:"
    + _DATE
    + "|"
    + f"{_NUM}{_MULT}{_QUAL}(?:{_RANGE_SEP}{_NUM}{_MULT}{_QUAL})?(?:{_UNIT})"
    + "|"
    + f"{_NUM}(?:{_RANGE_SEP}{_NUM})?{_MULT}{_QUAL}{_UNIT}?"
    + ")" + _END
)
_HAS_UNIT_RE = re.compile(r"[^\d.,]")
# FIGURE_RE with its first digit taken out in front: every figure starts with a digit, and a
# pattern that starts with a character class lets the regex engine skip to the next digit in C
# instead of trying the lookbehind at every character (3x faster over Chinese text). Same
# matches: the lookbehind now checks the character before that digit.
_SCAN_RE = re.compile(
    r"\d(?<![A-Za-z0-9.+#_/]\d)(?:"
    + r"\d{3}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d?月\d{1,2}日"
    + "|"
    + rf"\d*(?:,\d{{3}})*(?:\.\d+)?{_MULT}{_QUAL}(?:{_RANGE_SEP}{_NUM}{_MULT}{_QUAL})?(?:{_UNIT})"
    + "|"
    + rf"\d*(?:,\d{{3}})*(?:\.\d+)?(?:{_RANGE_SEP}{_NUM})?{_MULT}{_QUAL}{_UNIT}?"
    + ")" + _END
)


def figure_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every figure in ``text``.

    A bare integer (``2021`` with nothing after it) is not a figure span: segmentation keeps it
    whole anyway, and it is more often a year or a code than a quantity.
    """
    spans: list[tuple[int, int]] = []
    for m in _SCAN_RE.finditer(text):
        s = m.group(0)
        if not _HAS_UNIT_RE.search(s) and "." not in s and "," not in s:
            continue
        spans.append((m.start(), m.end()))
    return spans


def is_figure(token: str) -> bool:
    m = FIGURE_RE.fullmatch(token)
    return m is not None and (bool(_HAS_UNIT_RE.search(token)) or "." in token or "," in token)
