"""Find a font that has Chinese glyphs, so charts never show boxes (tofu).

Search order, first hit wins:

1. ``POLICYTEXT_CJK_FONT`` (a font file path);
2. fonts shipped by pip packages: ``pylopdf-fonts-zh-cn`` (Noto Sans SC, installed by the
   ``report`` extra), then ``noto-cjk-sans-otc`` and ``mplfonts`` if present;
3. fonts matplotlib already knows whose family is a known CJK family;
4. well-known system paths (Debian's ``fonts-noto-cjk``, WenQuanYi, macOS, Windows);
5. ``fc-list :lang=zh``.

Every candidate is checked with FreeType (matplotlib's ``FT2Font``): it must have real glyphs
(not .notdef) for a sample of common simplified characters. Nothing global is changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

__all__ = ["FontNotFound", "find_cjk_font", "covers", "SAMPLE", "INSTALL_HINT"]

# Common simplified characters, including ones a Japanese-only font lacks (发, 这, 们, 业).
SAMPLE = "中国发展经济政策这们业区质量营商环境"

INSTALL_HINT = (
    "no font with Chinese glyphs found; install one: `pip install 'policytext[report]'` "
    "(brings pylopdf-fonts-zh-cn, Noto Sans SC) or `apt-get install fonts-noto-cjk` on Debian/"
    "Ubuntu, or set POLICYTEXT_CJK_FONT=/path/to/font.otf"
)

# Families that cover simplified Chinese, best first.
KNOWN_FAMILIES = (
    "Noto Sans SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Serif CJK SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Microsoft YaHei",
    "SimHei",
    "SimSun",
)

KNOWN_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


class FontNotFound(Exception):
    """No usable CJK font; the message says what to install."""


def covers(path: str | os.PathLike, text: str = SAMPLE) -> bool:
    """True when the font at ``path`` has a real glyph (not .notdef) for every char of
    ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


def _package_fonts() -> list[Path]:
    found: list[Path] = []
    try:
        import pylopdf_fonts_zh_cn  # Noto Sans SC (OFL), the report extra's font

        found.append(Path(pylopdf_fonts_zh_cn.sans_path()))
    except Exception:  # noqa: BLE001 - absent or broken: try the next source
        pass
    try:
        import noto_cjk_sans_otc

        found.append(Path(str(noto_cjk_sans_otc.FONT_PATH)))
    except Exception:  # noqa: BLE001
        pass
    try:
        import mplfonts

        base = Path(mplfonts.__file__).parent / "fonts"
        names = ("NotoSansCJKsc-Regular.otf", "SourceHanSerifSC-Regular.otf")
        found.extend(base / n for n in names)
    except Exception:  # noqa: BLE001
        pass
    return found


def _matplotlib_fonts() -> list[Path]:
    from matplotlib import font_manager

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    out: list[Path] = []
    for family in KNOWN_FAMILIES:
        out.extend(Path(p) for p in sorted(by_name.get(family, ())))
    return out


def _fc_list() -> list[Path]:
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        proc = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({ln.split(":")[0].strip() for ln in proc.stdout.splitlines() if ln.strip()})
    return [Path(f) for f in files if f.lower().endswith((".otf", ".ttf", ".ttc"))]


def candidates() -> list[Path]:
    """Every candidate path in search order (not yet checked)."""
    out: list[Path] = []
    env = os.environ.get("POLICYTEXT_CJK_FONT")
    if env:
        out.append(Path(env))
    out.extend(_package_fonts())
    out.extend(_matplotlib_fonts())
    out.extend(Path(p) for p in KNOWN_PATHS)
    out.extend(_fc_list())
    return out


@lru_cache(maxsize=4)
def _find(env: str | None) -> Path:
    if env and not (Path(env).is_file() and covers(env)):
        raise FontNotFound(f"POLICYTEXT_CJK_FONT={env}: not a font with Chinese glyphs")
    seen: set[Path] = set()
    for path in candidates():
        if path in seen:
            continue
        seen.add(path)
        if path.is_file() and covers(path):
            return path
    raise FontNotFound(INSTALL_HINT)


def find_cjk_font() -> Path:
    """The path of a font with Chinese glyphs, or :class:`FontNotFound` naming what to
    install."""
    return _find(os.environ.get("POLICYTEXT_CJK_FONT") or None)


def font_face_css(text: str, family: str = "policytext-cjk") -> str:
    """A CSS ``@font-face`` rule embedding (as a data URI) the CJK font cut down to the
    characters of ``text``, so a page shows its Chinese on a machine without a CJK font.
    Deterministic (no timestamps). Raises :class:`FontNotFound` without a CJK font and
    ``ImportError`` without fontTools (a matplotlib dependency)."""
    chars = "".join(sorted({ch for ch in text if ch.isprintable()}))
    return _font_face_css(chars, family, find_cjk_font())


@lru_cache(maxsize=8)
def _font_face_css(chars: str, family: str, path: Path) -> str:
    import base64
    import io

    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"  # zlib: smaller than bare OpenType, no extra package needed
    options.font_number = 0
    options.recalc_timestamp = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options, dontLoadGlyphNames=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
    finally:
        font.close()
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f"@font-face{{font-family:{family};src:url(data:font/woff;base64,{data}) "
            "format('woff');font-display:block}")
