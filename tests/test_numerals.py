"""Chinese and Arabic numerals to exact decimals: examples and round trips (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policytext.analysis.numerals import (
    STYLES,
    decimal_str,
    parse_number,
    parse_range,
    to_chinese,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一千二百万", "12000000"),
        ("两", "2"),
        ("〇", "0"),
        ("零", "0"),
        ("十", "10"),
        ("十二", "12"),
        ("一十二", "12"),
        ("二十", "20"),
        ("一百零五", "105"),
        ("一千零五十", "1050"),
        ("两万五千", "25000"),
        ("一万二", "12000"),
        ("三百五", "350"),
        ("三亿五千万", "350000000"),
        ("十亿零五万", "1000050000"),
        ("一万亿", "1000000000000"),
        ("一亿亿", "10000000000000000"),
        ("一百四十五亿", "14500000000"),
        ("四百二十七亿四千万", "42740000000"),
        ("一〇", "10"),
        ("三点五", "3.5"),
        ("一点二万", "12000"),
        ("二〇二五", "2025"),
        ("一二〇〇", "1200"),
        ("壹万贰仟", "12000"),
        ("1.2万", "12000"),
        ("145亿", "14500000000"),
        ("16.4亿", "1640000000"),  # cn2an gives 1639999999 here
        ("3万5千", "35000"),
        ("151,980", "151980"),
        ("１２．５", "12.5"),
        ("0.003", "0.003"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    got = parse_number(text)
    assert isinstance(got, Decimal)
    assert decimal_str(got) == value


@pytest.mark.parametrize(
    "text",
    ["", "万", "亿", "百分", "十百", "abc", "一亿万", "三点", "点五", "一两", "三四", "七八"],
)
def test_not_a_numeral(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("3000至6000", "3000", "6000"),
        ("1—2", "1", "2"),
        ("七百到九百亿", "70000000000", "90000000000"),
        ("3-5万", "30000", "50000"),
        ("12", "12", "12"),
    ],
)
def test_parse_range(text: str, lo: str, hi: str) -> None:
    got = parse_range(text)
    assert got is not None
    assert (decimal_str(got[0]), decimal_str(got[1])) == (lo, hi)


def test_decimal_str_has_no_exponent_or_trailing_zeros() -> None:
    assert decimal_str(Decimal("1E+10")) == "10000000000"
    assert decimal_str(Decimal("7.0")) == "7"
    assert decimal_str(Decimal("0.0500")) == "0.05"
    assert decimal_str(Decimal("0")) == "0"


def test_styles_of_one_value() -> None:
    v = Decimal(120000005)
    assert to_chinese(v) == "一亿二千万零五"
    assert to_chinese(v, "liang") == "一亿两千万零五"
    assert to_chinese(v, "circle") == "一亿二千万〇五"
    assert to_chinese(v, "capital") == "壹亿贰仟万零伍"
    assert to_chinese(v, "digits") == "一二〇〇〇〇〇〇五"
    assert to_chinese(v, "commas") == "120,000,005"
    assert to_chinese(Decimal(12000), "arabic_mult") == "1.2万"
    assert to_chinese(Decimal(100100000)) == "一亿零一十万"


MAX = 10**16
integers = st.integers(min_value=0, max_value=MAX)
decimals = st.decimals(min_value=0, max_value=MAX, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(n=integers, style=st.sampled_from(STYLES))
def test_any_integer_in_any_style_parses_back_exactly(n: int, style: str) -> None:
    text = to_chinese(n, style)
    assert parse_number(text) == n, text


@settings(max_examples=200, deadline=None)
@given(v=decimals, style=st.sampled_from([s for s in STYLES if s != "digits"]))
def test_any_decimal_in_any_style_parses_back_exactly(v: Decimal, style: str) -> None:
    text = to_chinese(v, style)
    assert parse_number(text) == v, text


@settings(max_examples=200, deadline=None)
@given(v=decimals)
def test_format_then_parse_is_the_same_value(v: Decimal) -> None:
    text = decimal_str(v)
    assert "E" not in text and "e" not in text
    back = parse_number(text)
    assert back == v
    assert decimal_str(back) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点壹贰拾佰仟0123456789.,", max_size=12))
def test_parser_never_raises(text: str) -> None:
    got = parse_number(text)
    assert got is None or (isinstance(got, Decimal) and got >= 0)
