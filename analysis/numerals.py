"""Chinese and Arabic numerals to exact decimals, and back.

``parse_number`` reads the ways policy texts write a quantity and returns a :class:`Decimal`
(never a float, so 16.4亿 is 1640000000 and not 1639999999):

* Arabic digits, full-width digits, thousands separators: ``145``, ``１２．５``, ``151,980``;
* Chinese numerals in the usual styles: ``一千二百万``, ``两万五千``, ``十二``, ``一百零五``,
  ``一万二`` (= 12000), ``三点五``, ``二〇二五`` (digit by digit), financial capitals
  (``壹万贰仟``);
* Arabic with a Chinese multiplier: ``1.2万``, ``145亿``, ``3万5千``, ``16.4亿``.

``parse_range`` reads ``3000至6000``, ``1—2``, ``七百到九百亿`` (a multiplier on the second bound
only applies to both). ``decimal_str`` gives the canonical text of a value (no exponent, no
trailing zeros) and ``to_chinese`` writes a value back as Chinese numerals in a chosen style,
which the property tests parse again.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "CN_DIGITS",
    "CN_NUMERAL_CHARS",
    "STYLES",
    "decimal_str",
    "parse_number",
    "parse_range",
    "to_chinese",
]

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "兩": 2,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
_ZEROS = "零〇○"

_FULLWIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)} | {"．": "."})
_ARABIC_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_RANGE_RE = re.compile(r"^(.+?)(?:[—–\-~～]+|至|到)(.+)$")


def decimal_str(value: Decimal) -> str:
    """Canonical text of a value: ``14500000000``, ``6.5``, ``0.003`` (no exponent)."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _tokens(s: str) -> list[tuple[str, Decimal]] | None:
    """("num", v) | ("unit", 10/100/1000) | ("big", 10^4/10^8) | ("zero", 0), or None."""
    out: list[tuple[str, Decimal]] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isascii() and (ch.isdigit() or ch == "."):
            m = _ARABIC_RE.match(s, i)
            if m is None:
                return None
            try:
                out.append(("num", Decimal(m.group(0).replace(",", ""))))
            except InvalidOperation:
                return None
            i = m.end()
            continue
        if ch in _ZEROS:
            out.append(("zero", Decimal(0)))
        elif ch in CN_DIGITS:
            out.append(("num", Decimal(CN_DIGITS[ch])))
        elif ch in _SMALL_UNITS:
            out.append(("unit", Decimal(_SMALL_UNITS[ch])))
        elif ch in _BIG_UNITS:
            out.append(("big", Decimal(_BIG_UNITS[ch])))
        else:
            return None
        i += 1
    return out


def _digitwise(s: str) -> Decimal | None:
    """二〇二五 -> 2025, 一二〇〇 -> 1200: Chinese digits (and 〇/零) written one by one.

    Two digits without a zero (一两, 三四, 七八) are an approximation ("one or two"), not a
    number, and 两 is never written digit by digit."""
    if len(s) < 2 or not all(ch in CN_DIGITS for ch in s) or "两" in s:
        return None
    if len(s) == 2 and not any(ch in _ZEROS for ch in s):
        return None
    return Decimal("".join(str(CN_DIGITS[ch]) for ch in s))


def _integer_part(toks: list[tuple[str, Decimal]]) -> Decimal | None:
    total = Decimal(0)  # everything already scaled by 亿
    section = Decimal(0)  # the 万 part below the last 亿
    small = Decimal(0)  # below 万
    number: Decimal | None = None
    last_scale: Decimal | None = None  # the unit just before a trailing bare digit (一万二)
    prev = ""
    for kind, v in toks:
        if kind == "num":
            if prev == "num":
                return None  # two numbers in a row: not a numeral
            number = v
        elif kind == "zero":
            if prev == "num":
                return None
            number = None
            last_scale = None
        elif kind == "unit":
            if prev == "unit":
                return None  # 百十
            small += (number if number is not None else Decimal(1)) * v
            number = None
            last_scale = v
        else:  # big
            if prev in ("", "zero"):
                return None  # 万 with nothing to scale
            if v == 10**8:
                total = (total + section + small + (number or 0)) * v
                section = Decimal(0)
            else:
                if small == 0 and number is None:
                    return None  # 亿万
                section = (section + small + (number or 0)) * v
            small = Decimal(0)
            number = None
            last_scale = v
        prev = kind
    if number is not None:
        if last_scale is not None and prev == "num" and number == number.to_integral_value():
            number = number * last_scale / 10  # 一万二 = 12000, 三百五 = 350
        small += number
    return total + section + small


def parse_number(text: str) -> Decimal | None:
    """The exact value of one numeral (Arabic, Chinese or mixed), or None if it is not one."""
    s = text.strip().translate(_FULLWIDTH).replace("點", "点")
    if not s:
        return None
    if "点" in s:  # 三点五, 一点二万, 十二点零五亿
        head, _, tail = s.partition("点")
        j = 0
        while j < len(tail) and tail[j] in CN_DIGITS:
            j += 1
        frac, mult = tail[:j], tail[j:]
        if not frac or (mult and mult not in ("万", "亿", "万亿")):
            return None
        whole = parse_number(head)
        if whole is None or whole != whole.to_integral_value():
            return None
        value = whole + Decimal("0." + "".join(str(CN_DIGITS[c]) for c in frac))
        for ch in mult:
            value *= _BIG_UNITS[ch]
        return value
    dig = _digitwise(s)
    if dig is not None:
        return dig
    toks = _tokens(s)
    if not toks:
        return None
    if len(toks) == 1 and toks[0][0] == "zero":
        return Decimal(0)
    return _integer_part(toks)


def parse_range(text: str) -> tuple[Decimal, Decimal] | None:
    """``3000至6000`` -> (3000, 6000); ``七百到九百亿`` -> (7e10, 9e10); one value -> (v, v)."""
    s = text.strip().translate(_FULLWIDTH)
    m = _RANGE_RE.match(s)
    if m is None:
        v = parse_number(s)
        return None if v is None else (v, v)
    a, b = m.group(1), m.group(2)
    hi = parse_number(b)
    lo = parse_number(a)
    if hi is None or lo is None:
        return None
    mult = re.search(r"(万亿|亿|万)$", b)
    if mult and not re.search(r"[万亿]$", a):
        scale = Decimal(1)
        for ch in mult.group(1):
            scale *= _BIG_UNITS[ch]
        lo *= scale
    return lo, hi


# --- writing values back (for tests and for readers) -----------------------------------------

_LOWER = "零一二三四五六七八九"
_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
STYLES = ("standard", "liang", "circle", "capital", "digits", "arabic", "arabic_mult", "commas")


def _group4(n: int, digits: str, units: str, *, leading: bool) -> str:
    """n < 10000 in Chinese; ``leading`` drops the 一 of 一十 (十二 rather than 一十二)."""
    out = []
    pending_zero = False
    started = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            if started:
                pending_zero = True
            continue
        if pending_zero:
            out.append(digits[0])
            pending_zero = False
        if not (d == 1 and power == 10 and not started and leading):
            out.append(digits[d])
        out.append(unit)
        started = True
    return "".join(out)


def _int_chinese(n: int, digits: str, units: str, *, leading: bool = True) -> str:
    if n == 0:
        return digits[0]
    for scale, name in ((10**8, "亿"), (10**4, "万")):
        if n >= scale:
            hi, lo = divmod(n, scale)
            text = _int_chinese(hi, digits, units, leading=leading) + name
            if lo:
                if lo < scale // 10:
                    text += digits[0]
                text += _int_chinese(lo, digits, units, leading=False)
            return text
    text = _group4(n, digits, units, leading=leading)
    return text


def to_chinese(value: Decimal | int, style: str = "standard") -> str:
    """Write a non-negative value as Chinese (or mixed) numerals; ``parse_number`` reads it back.

    Styles: ``standard`` 一千二百万零五; ``liang`` 两千...; ``circle`` 〇 for 零; ``capital``
    壹仟贰佰; ``digits`` 一二〇〇 (integers; two digits without a zero read as an approximation,
    so those are written in the standard style); ``arabic`` 12000000; ``arabic_mult`` 1200万
    / 1.2亿; ``commas`` 12,000,000."""
    d = Decimal(value)
    if d < 0:
        raise ValueError("negative values are not written as numerals")
    whole = int(d)
    frac = decimal_str(d - whole)
    frac_digits = frac[2:] if frac != "0" else ""
    if style in ("arabic", "commas"):
        head = f"{whole:,}" if style == "commas" else str(whole)
        return head + ("." + frac_digits if frac_digits else "")
    if style == "arabic_mult":
        for scale, name in ((10**8, "亿"), (10**4, "万")):
            if d >= scale:
                return decimal_str(d / scale) + name
        return decimal_str(d)
    if style == "digits" and (whole >= 100 or "0" in str(whole)):
        if frac_digits:
            raise ValueError("digit-by-digit style is for integers")
        return "".join("〇" if c == "0" else _LOWER[int(c)] for c in str(whole))
    digits, units = (_CAPITAL, "拾佰仟") if style == "capital" else (_LOWER, "十百千")
    text = _int_chinese(whole, digits, units)
    if frac_digits:
        text += "点" + "".join(digits[int(c)] for c in frac_digits)
    if style == "liang":
        text = re.sub(r"(?<![十零])二(?=[千百万亿])", "两", text)
        if text.startswith("二") and len(text) > 1 and text[1] in "千百万亿":
            text = "两" + text[1:]
    elif style == "circle":
        text = text.replace("零", "〇")
    return text
