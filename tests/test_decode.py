"""Bytes -> text: every encoding the issue names, and the bad inputs."""

from __future__ import annotations

import os

import pytest
from policytext.analysis.decode import decode
from policytext.analysis.models import InputError

TEXT = "纾困“及时雨”，稳住经济盘——邵阳市深入推进“万名干部联万企”行动纪实。优化营商环境，推动高质量发展。" * 5
TRAD = "紓困“及時雨”，穩住經濟盤——邵陽市深入推進“萬名幹部聯萬企”行動紀實。優化營商環境，推動高質量發展。" * 5


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig", TEXT),
        (TEXT.encode("gb18030"), "gb18030", TEXT),
        (TEXT.encode("gbk"), "gb18030", TEXT),
        (TRAD.encode("big5"), "big5", TRAD),
        (TEXT.encode("utf-16"), "utf-16-le", TEXT),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", TEXT),
        (TEXT.encode("utf-16-le"), "utf-16-le", TEXT),  # no BOM: detected, with a warning
        ("Report 2024: 营商环境 ok\n".encode("gbk"), "gb18030", "Report 2024: 营商环境 ok\n"),
    ],
)
def test_decodes_supported_encodings(data: bytes, encoding: str, expected: str) -> None:
    got = decode(data, name="x.txt")
    assert got.encoding == encoding
    assert got.text == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf", "contains no text"),
        (b"abc\x00def", "binary"),
        (os.urandom(0) + bytes(range(256)) * 16, "binary"),
        (TEXT[:100].encode("utf-8") + TEXT.encode("gbk"), "mixed"),
        (b"abc\xc0\xafdef", "unknown encoding"),
        (b"ab\xed\xa0\x80cd", "unknown encoding"),
    ],
)
def test_bad_bytes_give_one_line_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        decode(data, name="bad.txt")
    text = str(err.value)
    assert text.startswith("bad.txt: ")
    assert message in text
    assert "\n" not in text


def test_unknown_encoding_suggests_the_option() -> None:
    with pytest.raises(InputError, match="--encoding"):
        decode(b"abc\xc0\xafdef", name="bad.txt")


def test_a_few_broken_bytes_are_replaced_with_a_warning() -> None:
    got = decode(TEXT.encode("utf-8") + b"\x80", name="tail.txt")
    assert got.text.endswith("\ufffd")
    assert got.warnings and "tail.txt" in got.warnings[0]
    truncated = TEXT.encode("utf-8")[:-1]  # a character cut in half at the end
    got = decode(truncated, name="cut.txt")
    assert got.text.startswith(TEXT[:20])


def test_forced_encoding_wins_and_fails_clearly() -> None:
    assert decode(TEXT.encode("gbk"), name="x", encoding="gbk").text == TEXT
    with pytest.raises(InputError, match="not valid"):
        decode(TEXT.encode("utf-8"), name="x", encoding="ascii")
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"abc", name="x", encoding="no-such-codec")
