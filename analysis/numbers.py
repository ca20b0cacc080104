"""Figures as structured records: what is measured, the exact value, unit, qualifier, target or
achievement, and the period, each with its offsets into ``Document.text``.

Arabic figures come from :data:`policytext.analysis.figures.FIGURE_RE` (6.5%, 145亿元, 2万余名,
3000至6000元); Chinese ones (两万余名, 三成, 百分之三十五, 七百到九百亿元) from a pattern here.
Formulations and numbering are not figures: 一带一路, 十四五, 七大攻坚 (no unit), ordinals
(第三届), list numbering ((一), 1.), document numbers (〔2025〕2号) and short quoted slogans
(“两项补贴”). Dates and month ranges (2025年3月6日, 1—11月) are periods, never quantities.

Values are exact decimal strings in base units: 万 and 亿 are folded into the value (145亿元 →
14500000000 元); a range is ``low~high``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .figures import FIGURE_RE
from .models import Article, Document
from .numerals import decimal_str, parse_number, parse_range

__all__ = [
    "KINDS",
    "Figure",
    "IndicatorSummary",
    "IndicatorTally",
    "find_numbers",
    "iter_numbers",
    "fuzz_entry",
    "scan_document",
    "split_figure",
    "summarize",
]

KINDS = ("target", "actual", "other")

# Units a figure can carry, longest first. 万/亿 prefixes are folded into the value.
_UNITS = sorted(
    {
        "人公里", "吨公里", "架", "艘", "匹马力", "匹", "双", "块", "口", "颗", "枚", "盏", "根",
        "个百分点",
        "百分点",
        "%",
        "‰",
        "元/人/月",
        "元/人/年",
        "元/人",
        "元/平方米",
        "元/吨",
        "元/亩",
        "元/月",
        "元/年",
        "元/天",
        "微克/立方米",
        "毫克/升",
        "千瓦时",
        "千瓦",
        "兆瓦",
        "平方公里",
        "平方千米",
        "平方米",
        "立方米",
        "公顷",
        "公里",
        "千米",
        "厘米",
        "毫米",
        "米",
        "亩",
        "吨",
        "千克",
        "公斤",
        "斤",
        "元",
        "美元",
        "欧元",
        "人次",
        "人",
        "名",
        "户",
        "家",
        "个",
        "项",
        "件",
        "套",
        "台",
        "辆",
        "座",
        "所",
        "条",
        "张",
        "次",
        "批",
        "场",
        "处",
        "栋",
        "间",
        "只",
        "株",
        "棵",
        "头",
        "柜",
        "标箱",
        "列",
        "床",
        "位",
        "册",
        "份",
        "款",
        "期",
        "届",
        "轮",
        "种",
        "类",
        "篇",
        "部",
        "支",
        "道",
        "层",
        "级",
        "星",
        "倍",
        "成",
        "岁",
        "周岁",
        "年",
        "个月",
        "月",
        "日",
        "天",
        "周",
        "小时",
        "分钟",
        "秒",
        "度",
        "摄氏度",
        "℃",
        "GW",
        "MW",
        "kW",
        "km",
        "m²",
    },
    key=lambda u: (-len(u), u),
)
_DURATION = {"年", "个月", "天", "周", "小时", "分钟", "秒", "岁", "周岁"}
_DATE_UNITS = {"月", "日"}
# Units a Chinese numeral may take (a bare 三类, 五星级, 两级 or 三年行动 is a formulation).
_CN_UNITS = sorted(
    {
        "人公里", "吨公里", "架", "艘", "匹马力", "匹", "双", "块", "口", "颗", "枚", "盏", "根",
        "个百分点",
        "百分点",
        "%",
        "元",
        "万元",
        "亿元",
        "美元",
        "亿美元",
        "万美元",
        "人次",
        "万人次",
        "人",
        "万人",
        "名",
        "户",
        "家",
        "个",
        "项",
        "件",
        "套",
        "台",
        "辆",
        "座",
        "所",
        "条",
        "张",
        "次",
        "批",
        "场",
        "处",
        "栋",
        "间",
        "只",
        "株",
        "棵",
        "头",
        "亩",
        "万亩",
        "吨",
        "万吨",
        "公里",
        "米",
        "平方米",
        "万平方米",
        "平方公里",
        "公顷",
        "千瓦",
        "倍",
        "成",
        "岁",
        "天",
        "小时",
        "个月",
        "万",
        "亿",
    },
    key=lambda u: (-len(u), u),
)
_CN_CHARS = "零〇○一二两兩三四五六七八九十百千万亿萬億"
_CN_FIGURE_RE = re.compile(
    rf"(?P<pct>百分之|千分之)(?P<pn>[{_CN_CHARS}点點]+)"
    rf"|(?P<n>[{_CN_CHARS}点點]+(?:(?:至|到|—|－|-)[{_CN_CHARS}点點]+)?)(?P<q>余|多)?"
    rf"(?P<u>{'|'.join(re.escape(u) for u in _CN_UNITS)})"
)
# 三分之一, 十分之一, 万分之三 (百分之 and 千分之 are percentages above); 1/3 and 2/3 written in
# digits, with a small denominator so that dates (6/30) and codes are not read as shares.
_CN_FRACTION_RE = re.compile(
    rf"(?P<d>[{_CN_CHARS}]+)分之(?P<n>[{_CN_CHARS}点點]+)"
)
_DIGIT_FRACTION_RE = re.compile(r"(?<![\d/.,])([1-9])/([2-9]|10)(?![\d/.,%])")


def fraction_percent(numerator: Decimal, denominator: Decimal) -> str | None:
    """A share as a percentage: 1/4 -> ``25``, 1/8 -> ``12.5``, 1/3 -> ``33.33`` (rounded to
    two decimals when it does not end); None unless 0 < numerator < denominator."""
    if not 0 < numerator < denominator:
        return None
    exact = numerator * 100 / denominator
    rounded = exact.quantize(Decimal("0.01"))
    return decimal_str(exact if exact == rounded else rounded)


_SINGLE_OK = {
    "%",
    "成",
    "倍",
    "万",
    "亿",
    "万元",
    "亿元",
    "万人",
    "万亩",
    "万吨",
    "亿美元",
    "万美元",
}

_QUAL_BEFORE_RE = re.compile(
    r"(不低于|不少于|不超过|不高于|不足|超过|高于|低于|至少|最高|最低|约为|大约|约有|约|接近|近|超|逾|仅)$"
)
_QUAL_CANON = {"约有": "约", "大约": "约", "约为": "约", "接近": "近"}
_QUAL_AFTER_RE = re.compile(r"(以上|以下|左右|以内|上下|之多|多|余)")
_CLAUSE_BOUND = "，,；;。：:！？!?\n（）()【】"
_SENT_BOUND = "；;。！？!?\n"

_DIRECTIONS = (
    "上涨",
    "上升",
    "实际",
    "又",
    "得到",
    "如期",
    "同比增长",
    "同比下降",
    "同比提高",
    "同比增加",
    "同比减少",
    "年均增长",
    "增长",
    "下降",
    "提高",
    "降低",
    "提升",
    "减少",
    "增加",
    "增量",
    "压降",
    "控制在",
    "稳定在",
    "保持在",
    "保持",
    "达到",
    "超过",
    "突破",
    "新增",
    "累计",
    "完成",
    "实现",
    "增速",
    "增幅",
    "为",
    "达",
    "共计",
    "合计",
    "总计",
    "共",
    "分别",
    "已",
    "已经",
    "就",
    "同比",
    "比上年",
    "较上年",
    "以上",
    "到",
    "至",
    "在",
    "由",
)
_TARGET_CUES = (
    "力争",
    "确保",
    "目标",
    "预计",
    "预期",
    "计划",
    "争取",
    "力求",
    "拟",
    "将",
    "要",
)
_ACHIEVED_CUES = (
    "完成",
    "实现",
    "同比",
    "累计",
    "已经",
    "已",
    "截至",
    "较上年",
    "比上年",
    "上年",
    "去年",
    "先后",
    "共计",
    "了",
    "以来",
    "年来",
)
_LEAD_STRIP = (
    "拟安排",
    "拟",
    "但",
    "取消",
    "新开工",
    "新建改建",
    "改建",
    "力争",
    "确保",
    "争取",
    "预计",
    "预期",
    "目标",
    "其中",
    "全年",
    "今年",
    "去年",
    "当年",
    "全市",
    "全县",
    "全区",
    "全省",
    "全国",
    "我市",
    "我县",
    "共",
    "累计",
    "同比",
    "年均",
    "实现",
    "完成",
    "新建改造",
    "新建",
    "改造",
    "申报",
    "签约",
    "建成",
    "开展",
    "举办",
    "引进",
    "培育",
    "打造",
    "创建",
    "新增",
    "办好",
    "组织",
    "带动",
    "吸纳",
    "发放",
    "投入",
    "落实",
    "帮助",
    "推动",
    "达到",
    "和",
    "及",
    "与",
    "、",
    "等",
)
_PAST_CUES = ("同比", "截至", "去年", "上年", "较上年", "比上年", "已经", "已", "以来", "年来")
_PLAN_TITLE_RE = re.compile(r"方案|规划|计划|意见|要点|纲要|办法|通知|措施")
_PERIOD_RE = re.compile(
    r"(?<!\d)(?:1[89]|2[01])\d\d(?:[—–\-~至到](?:1[89]|2[01])\d\d)?年(?:\d{1,2}(?:[—–\-~至到]\d{1,2})?月(?:份|底|末)?)?"
    r"(?:以来|上半年|下半年|前三季度|第[一二三四]季度|[一二三四]季度|底|末|度)?"
    r"|[二〇○零一三四五六七八九]{4}年"
    r"|\d{1,2}[—–\-~至到]\d{1,2}月(?:份)?"
    r"|\d{1,2}月\d{1,2}日|\d{1,2}月(?:份|底|末)"
    r"|前[一二三]季度|第?[一二三四]季度|上半年|下半年|今年以来|(?:今年|去年|上年)(?:底|末|初)?|全年|年内|年底|年初"
    r"|“?十[一二三四五六七]五”?(?:期间|时期|以来)"
    r"|(?:近|过去)?[一二三四五六七八九十两]+年(?:来|间)|\d+年来|近年来|截至[^，。；]{1,12}?(?:底|末)"
)
_QUOTE_OPEN, _QUOTE_CLOSE = "“‘「", "”’」"


@dataclass(frozen=True, slots=True)
class Figure:
    doc: str
    source: str
    start: int
    end: int
    text: str
    indicator: str | None
    value: str
    unit: str
    qualifier: str | None
    kind: str
    period: str | None
    context: str
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    indicator: str
    count: int
    docs: int
    values: tuple[str, ...]  # "value unit" strings, in order of first appearance


# --- parsing one figure ----------------------------------------------------------------------


def split_figure(text: str) -> tuple[str, str, str | None] | None:
    """``145亿元`` -> ("14500000000", "元", None); ``2万余名`` -> ("20000", "名", "余");
    ``3000至6000元`` -> ("3000~6000", "元", None); ``百分之三十五`` -> ("35", "%", None).
    None when the numeral does not parse."""
    t = text
    if t.startswith(("百分之", "千分之")):
        v = parse_number(t[3:])
        return None if v is None else (decimal_str(v), "%" if t[0] == "百" else "‰", None)
    unit = ""
    for u in _UNITS:
        if t.endswith(u) and len(t) > len(u):
            unit = u
            t = t[: -len(u)]
            break
    qual = None
    if t.endswith(("余", "多")):
        qual, t = t[-1], t[:-1]
    else:
        m = re.search(r"[余多](?=(?:万亿|亿|万)$)", t)  # 20余万名
        if m:
            qual, t = m.group(0), t[: m.start()] + t[m.end() :]
    rng = parse_range(t)  # 万 and 亿 are read as part of the numeral: 四百二十七亿四千万
    if rng is None:
        return None
    lo, hi = rng
    if unit == "百分点":
        unit = "个百分点"
    value = decimal_str(lo) if lo == hi else f"{decimal_str(lo)}~{decimal_str(hi)}"
    return value, unit, qual


# --- scanning --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    s: int  # offsets in the piece
    e: int
    value: str
    unit: str
    qual: str | None


def _in_short_quote(piece: str, s: int, e: int, limit: int = 8) -> bool:
    o = max(piece.rfind(q, 0, s) for q in _QUOTE_OPEN)
    if o < 0:
        return False
    c = min((i for i in (piece.find(q, o) for q in _QUOTE_CLOSE) if i >= 0), default=-1)
    return c >= e and c - o - 1 <= limit


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _in_formula(piece: str, s: int, e: int) -> bool:
    """Inside a quoted formula such as “1个总体方案+7个实施方案”."""
    o = max(piece.rfind(q, 0, s) for q in _QUOTE_OPEN)
    if o < 0 or s - o > 30:
        return False
    c = min((i for i in (piece.find(q, o) for q in _QUOTE_CLOSE) if i >= 0), default=-1)
    return c >= e and "+" in piece[o:c]


_CN_THOUSANDS_RE = re.compile(r"(?<![\d.,，])\d{1,3}(?:，\d{3})+(?!\d)")


def _candidates(piece: str) -> list[_Cand]:
    out: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    # 2，360，816，000元: a Chinese comma as thousands separator (same length, offsets hold)
    scan = _CN_THOUSANDS_RE.sub(lambda m: m.group(0).replace("，", ","), piece)
    for m in FIGURE_RE.finditer(scan):
        s, e = m.start(), m.end()
        text = m.group(0)
        if re.fullmatch(r"\d+", text):  # a bare integer: a year, a code, list numbering
            continue
        if re.fullmatch(r"\d{4}年.*|\d{1,2}月\d{1,2}日", text):
            continue  # dates and month ranges are periods
        if s > 0 and piece[s - 1] == "第":
            continue
        if text[-1] in "万亿":  # 20余万名: the unit after the multiplier
            for u in _UNITS:
                if piece.startswith(u, e):
                    e += len(u)
                    text = piece[s:e]
                    break
        parsed = split_figure(text)
        if parsed is None:
            continue
        value, unit, qual = parsed
        if unit in _DATE_UNITS:
            continue  # 1—11月, 6日: periods
        if unit in ("位", "名") and re.search(r"第[\d.、]*$", piece[max(0, s - 12) : s]):
            continue  # 居全省第7、7.3位: ranks
        if unit == "年" and re.fullmatch(r"(1[89]|20)\d\d", value):
            continue
        if unit == "周" and piece.startswith("年", e):
            continue  # 成立60周年: an anniversary, not a quantity
        taken.append((s, e))
        out.append(_Cand(s, e, value, unit, qual))
    for m in _CN_FIGURE_RE.finditer(piece):
        s, e = m.start(), m.end()
        if any(s < te and ts < e for ts, te in taken):
            continue
        if s > 0 and piece[s - 1] in "第首每逐其这那哪几数某初":
            continue
        num = m.group("pn") or m.group("n") or ""
        unit = m.group("u") or ""
        if not m.group("pct") and not (
            num in ("千", "百", "万") and s > 0 and piece[s - 1] in "近约超逾上数"
        ):
            if num.strip(_CN_CHARS[:1] + "点") == "" or num == "点":
                continue
            if len(num) == 1 and (
                num == "一" or unit not in _SINGLE_OK and num not in "两二三四五六七八九十"
            ):
                continue
            if len(num) == 1 and num == "十" and unit not in _SINGLE_OK:
                continue
            if (
                len(num) == 1
                and unit not in _SINGLE_OK
                and unit in ("个", "项", "件", "次", "批", "处", "条", "张", "场", "间", "只",
                             "架", "艘", "匹", "双", "块", "口", "颗", "枚", "盏", "根")
            ):
                # 三个推动, 两项补贴: counted formulations unless a quantity word follows
                continue
        if (
            unit in ("万", "亿")
            and e < len(piece)
            and _is_cjk(piece[e])
            and piece[e] not in "余多元"
        ):
            continue  # 百亿产业, 十亿企业: a scale word, not a figure
        if _in_short_quote(piece, s, e):
            continue
        parsed = split_figure(m.group(0))
        if parsed is None:
            continue
        out.append(_Cand(s, e, *parsed))
    # Shares: 三分之一 and 1/3 are read as percentages (33.33%), like 百分之三十三.
    for m in _CN_FRACTION_RE.finditer(piece):
        s, e = m.start(), m.end()
        if m.group("d") in ("百", "千") or any(s < te and ts < e for ts, te in taken):
            continue
        if s > 0 and piece[s - 1] == "第":
            continue
        # 万分之三: a bare 万 (or 十, 千) is one of it
        den = parse_number(m.group("d")) or parse_number("一" + m.group("d"))
        num = parse_number(m.group("n"))
        value = fraction_percent(num, den) if den is not None and num is not None else None
        if value is not None:
            taken.append((s, e))
            out.append(_Cand(s, e, value, "%", None))
    for m in _DIGIT_FRACTION_RE.finditer(scan):
        s, e = m.start(), m.end()
        if any(s < te and ts < e for ts, te in taken) or any(s < c.e and c.s < e for c in out):
            continue
        if s > 0 and piece[s - 1] == "第":
            continue  # 第2/3卷
        value = fraction_percent(Decimal(m.group(1)), Decimal(m.group(2)))
        if value is not None:
            out.append(_Cand(s, e, value, "%", None))
    out = [
        c for c in out if not _in_short_quote(piece, c.s, c.e) and not _in_formula(piece, c.s, c.e)
    ]
    out.sort(key=lambda c: (c.s, c.e))
    return out


def _clause_start(piece: str, pos: int, *, comma_list: bool = True) -> int:
    bounds = _CLAUSE_BOUND + ("、" if comma_list else "")
    i = pos
    while i > 0 and piece[i - 1] not in bounds:
        i -= 1
    return i


def _sentence_start(piece: str, pos: int) -> int:
    i = pos
    while i > 0 and piece[i - 1] not in _SENT_BOUND:
        i -= 1
    return i


def _strip_quotes(s: str) -> str:
    return re.sub(r"[“”‘’「」《》\"'—\-]", "", s)


def _clean_indicator(raw: str) -> tuple[str | None, str | None]:
    """(indicator, direction) from the text of a clause before its figure."""
    last = None
    for m in _PERIOD_RE.finditer(raw):
        last = m
    if last is None:
        return _clean_clause(raw)
    indicator, direction = _clean_clause(raw[last.end() :])
    if indicator is None and last.start() >= 2:
        # 补贴资金去年达到1226亿元: nothing but the change after the period, so the name
        # stands before it
        before, _ = _clean_indicator(raw[: last.start()])  # it may hold a period too
        return before, direction
    return indicator, direction


def _clean_clause(s: str) -> tuple[str | None, str | None]:
    nums = list(re.finditer(r"\d+(?:\.\d+)?[^\d\s，、]?", s))
    if nums and len(s) - nums[-1].end() >= 2:
        s = s[nums[-1].end() :]  # 为90家企业解决用工 -> 企业解决用工
    s = _strip_quotes(s).strip()
    direction = None
    changed = True
    while changed and s:
        changed = False
        m = _QUAL_BEFORE_RE.search(s)
        if m and len(s) > len(m.group(0)):
            s = s[: m.start()]
            changed = True
        if s.endswith("了") and len(s) > 1:  # 粮食产量也增长了百分之八十三
            s = s[:-1]
            changed = True
        for w in _DIRECTIONS + _TARGET_CUES:
            if s.endswith(w):
                if direction is None and w in _DIRECTIONS:
                    direction = w
                s = s[: -len(w)]
                changed = True
                break
    if "等" in s[:-1]:
        tail = s[s.rindex("等") + 1 :]
        if len(tail) >= 2:
            s = tail
    changed = True
    while changed and s:
        changed = False
        for w in _LEAD_STRIP:
            if s.startswith(w) and len(s) - len(w) >= 2:
                s = s[len(w) :]
                changed = True
                break
    s = re.sub(r"^[还也已又均都再将把让使给向]+(?=..)", "", s)
    verbs = list(_MID_VERB_RE.finditer(s))
    if verbs and len(s) - verbs[-1].end() >= 2:
        s = s[verbs[-1].end() :]  # 市残联扶持建成残疾人集中托养机构 -> 残疾人集中托养机构
    changed = True
    while changed and s:
        changed = False
        for w in _LEAD_STRIP:
            if s.startswith(w) and len(s) - len(w) >= 2:
                s = s[len(w) :]
                changed = True
                break
    s = s.strip("的之和及与、 ")
    if len(s) > 30:
        s = s[-30:]
    s = re.sub(r"(?<=..)(?:预计|預計)?[就可已将將便]*$", "", s)
    # 三农贷款增速比各项贷款平均(增速): the base of a comparison is not the indicator
    compared = re.sub(r"(?<=..)(?<![之占对])比(?![重例率])[^比]*$", "", s)
    if compared != s:  # 工业总产值计划(比上年增长): the plan's figure, named without 计划
        compared = re.sub(r"(?<=..)计划$", "", compared)
    s = compared
    # 社会商品零售额要(比…增长), 粮食产量也(增长了)
    s = re.sub(r"(?<=..)(?:预计|預計|[也还都又要将將])+$", "", s)
    s = re.sub(r"(?<=..)连续[一二三四五六七八九十两\d]+年$", "", s)
    if s in _NOT_INDICATOR:
        s = ""
    return (s or None), direction


_MID_VERB_RE = re.compile(
    r"发放|完成|实现|建成|解决|获得|办理|走访|担任|帮助|开展|举办|签订|提供|带动|引进|培育|吸收|收到|"
    r"汇聚|上线|创建|赋权|受理|兑现|引入|打造|节省|缴纳|成交|梳理|缓解|指导|挑选|落户|新增|组织|召开"
)
_NOT_INDICATOR = {
    "其中",
    "同比",
    "共",
    "累计",
    "全年",
    "今年",
    "目前",
    "当前",
    "分别",
    "其",
    "达",
    "为",
    # prepositions and verbs left alone before a figure (从二十四万吨增加到…, 已经有九十三个)
    "从",
    "由",
    "有",
    "到",
    "在",
    "比",
    "占",
    "约",
    "经有",
    "已有",
    "连续",
    "预计",
    "預計",
    "即",
    "这一年",
}


_AFTER_STOP_RE = re.compile(
    r"[\d，的和及与（(]|已|将|完成|实现|获|被|通过|参与|开展|签订|签约|入驻|落户|解决|融资|在|进行|"
    r"全部|主体|共|累计|达|了|办理|担任|挑选|进驻|申报|线上|集中|调研|联系|投产|这么|忙着"
)


def _indicator_after(piece: str, e: int, limit: int | None = None) -> str | None:
    """The name that follows a figure (``建成…5个示范区``), read up to the clause's end or to
    ``limit`` (where the next figure starts)."""
    m = _QUAL_AFTER_RE.match(piece, e)
    i = m.end() if m else e
    j = i
    end = len(piece) if limit is None else min(limit, len(piece))
    while j < end and piece[j] not in _CLAUSE_BOUND + "、" and j - i < 16:
        j += 1
    s = _strip_quotes(piece[i:j]).strip()
    s = re.sub(r"^(?:不等的|不等|为|是|的)", "", s)
    if re.match(r"[\d和及与或、]", s) or s.startswith(_DIRECTIONS):
        return None  # 下降3.14%和4.66%, 从2万吨增加到6万吨: the next figure, not a name
    m = _AFTER_STOP_RE.search(s, 2)
    if m:
        s = s[: m.start()]
    s = re.sub(r"(?<=..)[就可已将便]+$", "", s)
    return s if len(s) >= 2 and s not in _NOT_INDICATOR else None


_FOLLOW_OK_RE = re.compile(
    r"(以上|以下|左右|以内|上下|之多|多|余)?(的|和|与|及|同比|比|较|增|减|下降|提高|降低|高于|低于|居|位居|排|"
    r"列|占|达|为|是|，|。|；|、|：|）|\)|”|$)"
)


def _noun_follows(piece: str, e: int, unit: str) -> bool:
    """``12项改革事项``: a count followed by what it counts (the indicator comes after)."""
    if unit in ("%", "‰", "个百分点") or e >= len(piece):
        return False
    m = _QUAL_AFTER_RE.match(piece, e)
    i = m.end() if m else e
    while i < len(piece) and piece[i] in _QUOTE_OPEN:
        i += 1
    if i >= len(piece) or not _is_cjk(piece[i]):
        return False
    return _FOLLOW_OK_RE.match(piece, i) is None


def _kind(piece: str, s: int, unit: str, plan: bool) -> str:
    if unit in _DURATION:
        return "other"
    if re.search(r"(?:约有|共有|现有|拥有)(?:约|近|超|逾)?$", piece[max(0, s - 4) : s]):
        return "other"  # 约有31万残疾人: a stock, not a result
    ss = _sentence_start(piece, s)
    window = piece[ss:s]
    best: tuple[int, str] | None = None
    weak: tuple[int, str] | None = None
    for cues, kind in ((_TARGET_CUES, "target"), (_ACHIEVED_CUES, "actual")):
        for cue in cues:
            i = window.rfind(cue)
            if i < 0:
                continue
            if cue in ("目标", "计划") and re.search(
                r"(完成|实现|为|超)[^，。；]{0,12}(目标|计划)", window
            ):
                continue
            if cue in ("要", "将") and not plan and any(ch in _CLAUSE_BOUND for ch in window[i:]):
                continue  # in a report, 要/将 mark a target only within the figure's clause
            if plan and kind == "actual" and cue not in _PAST_CUES:
                continue
            if cue in ("较上年", "比上年") or (
                cue in ("去年", "上年") and i > 0 and window[i - 1] in "比较"
            ):
                # 比去年增加2700亿元: the base of a comparison says nothing of tense; only
                # count it when no other cue speaks
                if best is None:
                    weak = (i + len(cue), kind)
                continue
            pos = i + len(cue)
            if best is None or pos > best[0]:
                best = (pos, kind)
    if best is not None:
        return best[1]
    if re.search(r"预期目标|主要目标|目标是|目标为|预期增长", piece[:ss]):
        return "target"  # 今年发展的主要预期目标是：…。能耗强度下降3.1%以上
    if weak is not None:
        return weak[1]
    return "target" if plan else "actual"


def _period(piece: str, s: int, ctx_start: int) -> str | None:
    ss = _sentence_start(piece, s)
    found = None
    for m in _PERIOD_RE.finditer(piece, ss, s):
        found = m.group(0)
    if found is None:
        # a period stated earlier in the paragraph covers what follows
        for m in _PERIOD_RE.finditer(piece, ctx_start, ss):
            found = m.group(0)
    return found.strip("“”") if found else None


def _is_plan(art: Article) -> bool:
    return bool(art.label) or bool(_PLAN_TITLE_RE.search(art.title))


def _scan_piece(
    doc: Document,
    art: Article,
    offset: int,
    piece: str,
    plan: bool,
    width: int,
) -> list[Figure]:
    cands = _candidates(piece)
    figures: list[Figure] = []
    group: list[int] = []  # indices of figures listed with 、 (13%、11%)
    for idx, c in enumerate(cands):
        prev = cands[idx - 1] if idx else None
        gap = piece[prev.e : c.s] if prev else None
        if gap is not None and re.fullmatch(r"(以上|以下|左右)?[、和]", gap):
            group.append(idx)
        else:
            group = [idx]
        cs = _clause_start(piece, c.s)
        if prev is not None and prev.e > cs:
            cs = prev.e  # 由1121亿元增加到2220亿元: read the second figure's clause after the first
        indicator, direction = _clean_indicator(piece[cs : c.s])
        if len(group) > 1:
            first = cands[group[0]]
            gs = _clause_start(piece, first.s, comma_list=False)
            head = piece[gs : first.s]
            items = head[: head.rindex("分别")].split("、") if "分别" in head else []
            k = len(group) - 1
            if k < len(items):
                # 园区技工贸总收入、规模工业增加值分别增长13%、11%: the k-th figure, the k-th item
                for j, gi in enumerate(group[:-1]):
                    ind_j, _ = _clean_indicator(items[j])
                    figures[gi] = _replace(figures[gi], indicator=ind_j)
                indicator, _ = _clean_indicator(items[k])
            else:
                indicator = figures[group[0]].indicator
            if direction is None:
                # 分别增长12.5%、8.3%和6%: every figure of the list shares the first one's change
                direction = figures[group[0]].direction
        if indicator is None or len(indicator) < 2 or _noun_follows(piece, c.e, c.unit):
            nxt = cands[idx + 1].s if idx + 1 < len(cands) else None
            indicator = _indicator_after(piece, c.e, nxt) or indicator
        if indicator is None and direction and figures and prev is not None:
            # 原煤七亿吨，增长12.9%: the change belongs to the figure of the clause before
            between = piece[prev.e : c.s]
            if (
                not any(ch in _SENT_BOUND for ch in between)
                and sum(ch in _CLAUSE_BOUND for ch in between) <= 1
            ):
                indicator = figures[-1].indicator
        qual = c.qual
        if qual is None:
            ma = _QUAL_AFTER_RE.match(piece, c.e)
            mb = _QUAL_BEFORE_RE.search(piece, max(0, c.s - 4), c.s) if c.s else None
            if ma:
                qual = ma.group(1)
            elif mb and mb.end() == c.s:
                qual = _QUAL_CANON.get(mb.group(1), mb.group(1))
        lo, hi = max(0, c.s - width), min(len(piece), c.e + width)
        context = piece[lo:hi].replace("\n", " ")
        figures.append(
            Figure(
                doc=art.doc,
                source=art.source,
                start=offset + c.s,
                end=offset + c.e,
                text=piece[c.s : c.e],
                indicator=indicator,
                value=c.value,
                unit=c.unit,
                qualifier=qual,
                kind=_kind(piece, c.s, c.unit, plan),
                period=_period(piece, c.s, 0),
                context=context,
                direction=direction,
            )
        )
    return figures


def _replace(f: Figure, **kw) -> Figure:
    from dataclasses import replace

    return replace(f, **kw)


def scan_document(doc: Document, *, width: int = 20) -> list[Figure]:
    """Every figure in ``doc``, in text order. ``doc.text[f.start:f.end] == f.text``."""
    out: list[Figure] = []
    seen: set[tuple[int, int]] = set()
    for art in doc.articles:
        plan = _is_plan(art)
        for offset, piece in doc.pieces(art):
            for f in _scan_piece(doc, art, offset, piece, plan, width):
                if (f.start, f.end) in seen:  # overlapping articles share text
                    continue
                seen.add((f.start, f.end))
                out.append(f)
    out.sort(key=lambda f: (f.start, f.end))
    return out


def find_numbers(
    documents: Iterable[Document],
    *,
    kinds: Sequence[str] | None = None,
    indicator: str | None = None,
    width: int = 20,
) -> list[Figure]:
    """Figures of every document, filtered by kind and indicator substring, sorted by
    (doc, start, end) so the order does not depend on the order of the inputs."""
    figs: list[Figure] = []
    for doc in documents:
        figs.extend(scan_document(doc, width=width))
    if kinds:
        figs = [f for f in figs if f.kind in kinds]
    if indicator:
        figs = [f for f in figs if f.indicator and indicator in f.indicator]
    figs.sort(key=lambda f: (f.doc, f.start, f.end, f.source))
    return figs


def _keep(figs: list[Figure], kinds: Sequence[str] | None, indicator: str | None) -> list[Figure]:
    if kinds:
        figs = [f for f in figs if f.kind in kinds]
    if indicator:
        figs = [f for f in figs if f.indicator and indicator in f.indicator]
    return figs


def doc_order_key(doc_id: str) -> str:
    """The order :func:`find_numbers` puts documents in: by ``id + "#"``, since figures sort by
    their article id (``id#index``) and ids hold no ``#``. Give :func:`iter_numbers` documents
    in this order (a stable sort of the inputs by it) and it yields what find_numbers returns."""
    return doc_id + "#"


def iter_numbers(
    documents: Iterable[Document],
    *,
    kinds: Sequence[str] | None = None,
    indicator: str | None = None,
    width: int = 20,
) -> Iterator[Figure]:
    """:func:`find_numbers` one document at a time, for documents sorted by
    :func:`doc_order_key`: the same figures in the same order, holding only the current
    document's (documents that share an id are taken together, as their figures interleave).
    Raises ValueError on documents out of order."""
    group: list[Document] = []
    key = None

    def flush() -> list[Figure]:
        figs: list[Figure] = []
        for doc in group:
            figs.extend(scan_document(doc, width=width))
        figs = _keep(figs, kinds, indicator)
        figs.sort(key=lambda f: (f.doc, f.start, f.end, f.source))
        return figs

    for doc in documents:
        k = doc_order_key(doc.id)
        if key is not None and k != key:
            if k < key:
                raise ValueError(f"documents out of order: {doc.id!r} after {key[:-1]!r}")
            yield from flush()
            group = []
        group.append(doc)
        key = k
    if group:
        yield from flush()


class IndicatorTally:
    """:func:`summarize`, one figure at a time and without keeping the figures: for figures
    that come grouped by document (as :func:`iter_numbers` yields them), ``result()`` equals
    ``summarize`` of the same figures."""

    def __init__(self) -> None:
        # indicator -> [count, documents, last document, {value: None} in first-seen order]
        self._rows: dict[str, list] = {}

    def add(self, f: Figure) -> None:
        key = f.indicator or ""
        if not key:
            return
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = [0, 0, None, {}]
        row[0] += 1
        doc = f.doc.split("#")[0]
        if doc != row[2]:
            row[1] += 1
            row[2] = doc
        row[3].setdefault(f"{f.value}{f.unit}", None)

    def result(self) -> list[IndicatorSummary]:
        out = [IndicatorSummary(k, row[0], row[1], tuple(row[3])) for k, row in self._rows.items()]
        out.sort(key=lambda r: (-r.count, r.indicator))
        return out


def summarize(
    figures: Iterable[Figure],
    *,
    group_of: Callable[[Figure], str] | None = None,
) -> list[IndicatorSummary]:
    """One row per indicator: how many figures, in how many documents, and the values (with
    units) in order of first appearance. Most frequent first, ties by indicator."""
    rows: dict[str, tuple[list[Figure], list[str]]] = {}
    for f in figures:
        key = f.indicator or ""
        if not key:
            continue
        figs, values = rows.setdefault(key, ([], []))
        figs.append(f)
        v = f"{f.value}{f.unit}"
        if v not in values:
            values.append(v)
    out = [
        IndicatorSummary(k, len(figs), len({f.doc.split("#")[0] for f in figs}), tuple(values))
        for k, (figs, values) in rows.items()
    ]
    out.sort(key=lambda r: (-r.count, r.indicator))
    return out


def fuzz_entry(doc: Document) -> None:
    """The fuzz target's hook: scanning never raises and every record slices back."""
    for f in scan_document(doc):
        assert doc.text[f.start : f.end] == f.text, "figure offsets do not slice the text"
        assert f.kind in KINDS
        lo, _, hi = f.value.partition("~")
        Decimal(lo)
        if hi:
            Decimal(hi)
