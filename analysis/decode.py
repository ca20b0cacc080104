"""Bytes -> text: BOMs, UTF-8, GB18030/GBK, Big5, UTF-16; a clear error for anything else."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from .models import InputError
from .resources import read_lines

__all__ = ["Decoded", "decode", "canonical_encoding"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that do not occur in text (ESC, BEL and backspace do, in pasted terminal
# output: cleaning removes them).
_CONTROL_RE = re.compile("[\x00-\x06\x0e-\x1a\x1c-\x1f\x7f]")
_CJK_RE = re.compile("[\u4e00-\u9fff]")
# ASCII text, whitespace and the punctuation blocks Chinese text uses.
_PLAIN_RE = re.compile("[\t\n\r -~\u2000-\u206f\u3000-\u303f\uff00-\uffef]")
# At most this many undecodable bytes are replaced (with a warning) in an otherwise valid file.
_MAX_REPAIRS = 16


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def canonical_encoding(name: str) -> str:
    """Validate an encoding name given with ``--encoding``; raises LookupError when unknown."""
    return codecs.lookup(name).name


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    return frozenset("".join(read_lines("common_hanzi.txt")))


def _plausibility(text: str) -> float:
    """Share of the CJK characters of ``text`` that are common in policy prose (0..1)."""
    cjk = _CJK_RE.findall(text[:200_000])
    if not cjk:
        return 0.0
    common = _common_hanzi()
    return sum(1 for ch in cjk if ch in common) / len(cjk)


def _check_text(text: str, name: str, encoding: str) -> None:
    if not text.strip():
        raise InputError(f"{name}: contains no text")
    sample = text[:100_000]
    controls = len(_CONTROL_RE.findall(sample))
    if controls > max(4, len(sample) // 50):
        raise InputError(f"{name}: looks like a binary file, not text ({encoding} decoding gives control characters)")


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose decoding reads as text (Chinese or ASCII)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        common = _common_hanzi()
        good = sum(1 for ch in text if ch in common or _PLAIN_RE.match(ch))
        score = good / len(text)
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


def _utf8_ok(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, *, name: str, encoding: str | None = None) -> Decoded:
    """Decode one input. ``name`` is used in error messages.

    Order: a forced ``encoding``; a BOM; UTF-8; UTF-16 without a BOM; GB18030 (covers GB2312 and
    GBK) or Big5, whichever reads as Chinese. A UTF-8 file with a handful of broken bytes (a
    truncated tail, a stray byte) is repaired with U+FFFD and a warning; a file that switches
    encoding part-way, or that no candidate decodes, is an error that suggests ``--encoding``.
    """
    if not data:
        raise InputError(f"{name}: is empty (0 bytes)")
    if encoding:
        try:
            enc = canonical_encoding(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r} (try utf-8, gb18030, big5, utf-16)") from None
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: is not valid {enc} (byte {exc.start}); check --encoding"
            ) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        _check_text(text, name, enc)
        return Decoded(text, enc)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: has a {enc} byte-order mark but invalid {enc} at byte {exc.start + len(bom)}"
                ) from None
            _check_text(text, name, enc)
            return Decoded(text, enc)
    has_nul = b"\x00" in data
    if has_nul or not _utf8_ok(data):
        utf16 = _looks_utf16(data)
        if utf16:
            try:
                text = data.decode(utf16)
            except UnicodeDecodeError:
                pass
            else:
                _check_text(text, name, utf16)
                return Decoded(text, utf16, (f"{name}: no byte-order mark; read as {utf16}",))
    if has_nul:
        raise InputError(f"{name}: looks like a binary file, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        _check_text(text, name, "utf-8")
        return Decoded(text, "utf-8")

    # Mostly valid UTF-8 with a few broken bytes?
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte_ok = sum(1 for ch in repaired[:first_bad] if ord(ch) > 0x7F)
    legacy: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            cand = data.decode(enc)
        except UnicodeDecodeError:
            continue
        legacy.append((_plausibility(cand), enc, cand))
    if multibyte_ok >= 1 and 0 < bad <= _MAX_REPAIRS and bad * 1000 <= len(data) + 1000:
        if not legacy or multibyte_ok >= 8:
            _check_text(repaired, name, "utf-8")
            return Decoded(
                repaired,
                "utf-8",
                (f"{name}: {bad} invalid UTF-8 byte sequence(s), first at byte {first_bad}; replaced with U+FFFD",),
            )
    if multibyte_ok >= 8 and not legacy:
        raise InputError(
            f"{name}: mixed or broken encoding: valid UTF-8 up to byte {first_bad}, then not; "
            "convert the file to one encoding or use --encoding"
        )
    if legacy:
        legacy.sort(key=lambda t: (-t[0], t[1]))
        score, enc, cand = legacy[0]
        cjk = len(_CJK_RE.findall(cand[:100_000]))
        if multibyte_ok >= 8:
            raise InputError(
                f"{name}: mixed encodings: UTF-8 up to byte {first_bad}, then {enc.upper()}-like bytes; "
                "convert the file to one encoding or use --encoding"
            )
        if cjk and score >= 0.8:
            _check_text(cand, name, enc)
            return Decoded(cand, enc)
    raise InputError(
        f"{name}: unknown encoding (not UTF-8, GB18030/GBK, Big5 or UTF-16); "
        "use --encoding to name it"
    )
