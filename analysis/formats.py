"""Container formats -> text: government web pages, Word (.docx) and PDF.

Pure: bytes in, :class:`Extracted` (text, encoding, metadata, warnings) out; every failure is an
:class:`~.models.InputError` whose one-line message names the input. The text that comes out
goes through the same clean -> split steps as a plain-text file (``analysis.pipeline``).

* HTML: the standard library's ``html.parser`` (no extra dependency). Navigation, breadcrumbs,
  share bars, print/close links, footers and 备案 lines are dropped: by element (``nav``,
  ``footer``, ``script``...), by class/id (``breadcrumb``, ``share``, ``footer``...), by link
  density (a line that is mostly links is a menu), and by the cleaning step's boilerplate lines.
  标题, 发布时间, 信息来源 and 发文字号 are kept as metadata. The encoding comes from the bytes
  (``analysis.decode``); the ``<meta charset>`` only decides when the bytes alone cannot.
* DOCX: the zip is checked with :mod:`zipfile` first (entry count, total uncompressed size,
  compression ratio), then python-docx reads paragraphs and tables in document order.
* PDF: pypdf, inside a context-local pypdf configuration with tighter decompression limits, a
  page limit, and clear errors for encrypted, truncated, cyclic and image-only (scanned) files.
* .doc / .wps and other binaries: an error that says what to convert them to.

python-docx and pypdf are optional (``pip install 'policytext[formats]'``).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .clean import extract_metadata, strip_boilerplate
from .decode import decode
from .models import InputError

__all__ = [
    "Extracted",
    "extract",
    "extract_html",
    "extract_docx",
    "extract_pdf",
    "sniff",
    "declared_charset",
    "EXTRA_HINT",
    "DOCX_LIMITS",
    "PDF_LIMITS",
    "PdfLimits",
    "ZipLimits",
    "check_zip",
    "refuse_binary",
]

EXTRA_HINT = "pip install 'policytext[formats]'"


@dataclass(frozen=True, slots=True)
class Extracted:
    """The text of one container, with the metadata the container itself carries."""

    text: str
    encoding: str
    meta: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Sniffing
# --------------------------------------------------------------------------------------------
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START_RE = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)


def sniff(data: bytes) -> str | None:
    """What the bytes are, whatever the file is called: ``"pdf"``, ``"zip"``, ``"ole"`` (a legacy
    .doc/.wps/.xls container), ``"rtf"``, ``"image"``, ``"html"``, or None (treat as text)."""
    head = data[:1024]
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    if _HTML_START_RE.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    return None


def refuse_binary(kind: str, name: str) -> InputError:
    """The error for a binary the reader cannot use, saying what to convert it to."""
    if kind == "ole":
        return InputError(
            f"{name}: is a legacy Word/WPS binary document (.doc/.wps), not .docx; "
            "save it as .docx (or PDF/.txt) and try again"
        )
    if kind == "rtf":
        return InputError(f"{name}: is an RTF document; save it as .docx or .txt and try again")
    if kind == "image":
        return InputError(f"{name}: is an image; run OCR on it first (e.g. ocrmypdf) and "
                          "pass the text")
    if kind == "zip":
        return InputError(f"{name}: is a zip archive but not a Word .docx; "
                          "unpack it or save it as .docx")
    return InputError(f"{name}: unknown binary format; convert it to .txt, .docx, .html or PDF")


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# Elements whose content is never main text.
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "select", "option", "button", "iframe", "svg", "object", "embed", "canvas", "map", "menu",
    "textarea", "input", "label",
})
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "blockquote", "pre",
    "center", "hr", "body", "title", "address", "figure", "figcaption", "caption",
})
_CELL_TAGS = frozenset({"td", "th"})
_VOID_TAGS = frozenset({
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param",
    "source", "track", "wbr",
})
# class / id words that mark page furniture on government CMS templates.
_FURNITURE_RE = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumbs?|crumbs?|position|location|dqwz|share|bdshare|"
    r"fenxiang|print|close|footer|foot|bottom|copyright|banner|sidebar|side|related|"
    r"xgwz|xglj|pager|toolbar|search|login|topbar|top)([\s_\-]|\d|$)",
    re.I,
)
_META_NAMES = {
    "articletitle": "title",
    "title": "title",
    "pubdate": "published",
    "firstpublishedtime": "published",
    "contentsource": "publisher",
    "source": "publisher",
}
_WS_RE = re.compile(r"[ \t\r\n\f]+")
# Labels of the metadata table on gov.cn-style pages (spaces inside labels are removed first).
_LABELS = {
    "标题": "title", "发文字号": "doc_number", "文号": "doc_number", "发布日期": "published",
    "发布时间": "published", "成文日期": "written", "信息来源": "publisher", "来源": "publisher",
    "发文机关": "issuer", "索引号": "index_number", "主题分类": "topic", "公文种类": "doc_type",
    "主题词": "subject_words", "有效性": "validity",
}
_LABEL_RE = re.compile("^(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + ")[:：](.*)$")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>`` or http-equiv)."""
    m = _CHARSET_RE.search(data[:4096])
    if not m:
        return None
    return m.group(1).decode("ascii", "replace").lower()


def _family(enc: str) -> str:
    """Encodings that read the same bytes the same way count as one (GB2312 ⊂ GBK ⊂ GB18030)."""
    import codecs

    try:
        name = codecs.lookup(enc).name
    except LookupError:
        return enc.lower()
    if name in ("gb2312", "gbk", "gb18030", "hz"):
        return "gb"
    if name in ("utf-8", "utf-8-sig"):
        return "utf-8"
    if name in ("big5", "big5hkscs", "cp950"):
        return "big5"
    return name


def _superset(enc: str) -> str:
    return "gb18030" if _family(enc) == "gb" else enc


class _PageParser(HTMLParser):
    """Collects lines of visible text, the link share of each, and <title>/<meta> values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipping)
        self.open: dict[str, int] = {}  # how many of each tag are on the stack (O(1) lookups)
        self.lines: list[tuple[str, int]] = []  # (text, chars inside <a>)
        self.cur: list[str] = []
        self.cur_link = 0
        self.in_a = 0
        self.title: list[str] = []
        self.in_title = False
        self.h1: list[str] = []
        self.cells: list[list[str]] | None = None  # the cells of the table row being read
        self.table_meta: dict[str, str] = {}
        self.in_h1 = False
        self.meta: dict[str, str] = {}

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _break(self, blank: bool = False) -> None:
        text = "".join(self.cur)
        text = _WS_RE.sub(" ", text).strip(" ")
        if text:
            self.lines.append((text, self.cur_link))
        if blank and (not self.lines or self.lines[-1][0] != ""):
            self.lines.append(("", 0))
        self.cur = []
        self.cur_link = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = _META_NAMES.get(a.get("name", "").lower())
            if key and a.get("content", "").strip():
                self.meta.setdefault(key, _WS_RE.sub(" ", a["content"]).strip()[:200])
            return
        if tag == "br":
            if not self.skipping:
                self._break()
            return
        if tag in _VOID_TAGS:
            return
        if tag in _BLOCK_TAGS and not self.skipping:
            self._break(blank=tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"))
        if tag == "tr" and not self.skipping:
            self.cells = []
        if tag in _CELL_TAGS and not self.skipping:
            self.cur.append(" ")
            if self.cells is not None:
                self.cells.append([])
        skip = self.skipping or tag in _SKIP_TAGS
        if not skip:
            a = {k.lower(): (v or "") for k, v in attrs}
            marks = f"{a.get('class', '')} {a.get('id', '')}"
            if marks.strip() and _FURNITURE_RE.search(marks):
                skip = True
            if "display:none" in a.get("style", "").replace(" ", "").lower():
                skip = True
        if tag == "head":
            skip = True
        self.stack.append((tag, skip))
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag == "title":
            self.in_title = True
        elif tag == "h1" and not skip:
            self.in_h1 = True
        elif tag == "a" and not skip:
            self.in_a += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            return  # a stray end tag
        while self.stack:
            t, skip = self.stack.pop()
            self.open[t] -= 1
            if t == "title":
                self.in_title = False
            elif t == "h1":
                self.in_h1 = False
            elif t == "a" and not skip:
                self.in_a = max(0, self.in_a - 1)
            if t == "tr" and not skip:
                self._end_row()
            if t in _BLOCK_TAGS and not skip:
                self._break(blank=t in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table"))
            if t == tag:
                break

    def _end_row(self) -> None:
        """A row of label/value cells (索引号：| … | 发文字号：| 国办发〔2024〕1号) is metadata, as
        gov.cn-style pages print it: keep the values and drop the row from the text."""
        cells = [re.sub(r"\s+", "", "".join(c)) for c in self.cells or []]
        self.cells = None
        cells = [c for c in cells if c]
        found: dict[str, str] = {}
        i = 0
        while i < len(cells):
            m = _LABEL_RE.match(cells[i])
            if not m:
                return
            value = m.group(2) or (cells[i + 1] if i + 1 < len(cells) and not m.group(2) else "")
            if not m.group(2) and i + 1 < len(cells) and _LABEL_RE.match(cells[i + 1]):
                value = ""  # an empty value: the next cell is the next label
                i += 1
            else:
                i += 1 if m.group(2) else 2
            if value:
                found.setdefault(_LABELS[m.group(1)], value[:200])
        if found:
            for key, value in found.items():
                self.table_meta.setdefault(key, value)
            self.cur = []
            self.cur_link = 0

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skipping:
            return
        self.cur.append(data)
        if self.cells:
            self.cells[-1].append(data)
        if self.in_a:
            self.cur_link += len(data.strip())
        if self.in_h1:
            self.h1.append(data)

    def close(self) -> None:
        super().close()
        self._break()


# Short furniture lines the cleaning step does not know: 【我要纠错】, a 责任编辑 credit after a
# bracketed button, a row of bracketed buttons (【打印】【关闭】【字号 大 中 小】).
_FURNITURE_LINE_RE = re.compile(
    r"^\s*(?:[【\[][^】\]]{1,10}[】\]]\s*)+(?:责任编辑\s*[：:].{0,20})?$"
    r"|^\s*(?:[【\[][^】\]]{1,10}[】\]]\s*)*我要纠错.{0,30}$"
)


def _link_heavy(text: str, link_chars: int) -> bool:
    """A line that is mostly link text is a menu, a pager or a 'related articles' list."""
    visible = len(text.replace(" ", ""))
    return visible > 0 and link_chars >= 0.6 * visible


def _drop_edges(lines: list[str], *, squeeze: bool = True) -> list[str]:
    """Strip blank lines at both ends and (``squeeze``) runs of blank lines to one. Word files
    keep their runs: cleaning reads several empty paragraphs as a layout break (a caption)."""
    out: list[str] = []
    for line in lines:
        if not line and (not out or (squeeze and not out[-1])):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _drop_repeated_title(text: str) -> str:
    """CMS pages print the title as a heading and again as the body's first line: keep one."""
    lines = text.split("\n")
    filled = [i for i, ln in enumerate(lines) if ln.strip()][:2]
    if len(filled) == 2 and lines[filled[0]].strip() == lines[filled[1]].strip():
        del lines[filled[1]]
    return "\n".join(lines)


def extract_html(data: bytes, *, name: str, encoding: str | None = None) -> Extracted:
    """The main text of a web page and its 标题/发布时间/信息来源/发文字号."""
    warnings: list[str] = []
    declared = declared_charset(data)
    if encoding:
        decoded = decode(data, name=name, encoding=encoding)
    else:
        try:
            decoded = decode(data, name=name)
        except InputError:
            # The bytes alone are ambiguous (or broken): the page's own declaration decides.
            if not declared:
                raise
            try:
                decoded = decode(data, name=name, encoding=_superset(declared))
            except InputError:
                raise InputError(
                    f"{name}: cannot decode the page as {declared} (its meta charset) "
                    "or as UTF-8/GB18030/Big5; use --encoding"
                ) from None
        if declared and _family(declared) != _family(decoded.encoding):
            warnings.append(
                f"{name}: the page declares charset {declared} but its bytes are "
                f"{decoded.encoding}; read as {decoded.encoding}"
            )
    warnings.extend(decoded.warnings)
    parser = _PageParser()
    try:
        parser.feed(decoded.text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser on badly broken markup
        raise InputError(f"{name}: cannot parse the HTML ({exc.__class__.__name__})") from None
    kept = [None if _link_heavy(text, links) or _FURNITURE_LINE_RE.match(text) else text
            for text, links in parser.lines]
    lines = _drop_edges([t for t in kept if t is not None])
    raw = "\n".join(lines)
    meta = {k: v for k, v in parser.table_meta.items() if v}
    for key, value in parser.meta.items():
        if value:
            meta.setdefault(key, value)
    found = extract_metadata(raw)
    for key in ("published", "publisher", "doc_number", "title"):
        if found.get(key):
            meta.setdefault(key, found[key])
    if "title" not in meta:
        h1 = _WS_RE.sub(" ", "".join(parser.h1)).strip()
        page_title = _WS_RE.sub(" ", "".join(parser.title)).strip()
        if h1:
            meta["title"] = h1[:200]
        elif page_title:
            # "标题_栏目_网站名" / "标题 - 网站名" / "标题|网站名": the part before the first one
            meta["title"] = re.split(r"\s*(?:_|\||｜|\s-\s)\s*", page_title)[0][:200]
    text = _drop_repeated_title(strip_boilerplate(raw)).strip("\n")
    if not text.strip():
        raise InputError(f"{name}: the page has no main text (only navigation or scripts)")
    return Extracted(text=text + "\n", encoding=decoded.encoding, meta=meta,
                     warnings=tuple(warnings))


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_entries: int = 2_000
    max_total: int = 200 * 1024 * 1024  # uncompressed bytes, all entries together
    max_entry: int = 100 * 1024 * 1024  # one entry
    max_ratio: int = 100  # uncompressed / compressed, for entries over ratio_floor
    ratio_floor: int = 1024 * 1024


DOCX_LIMITS = ZipLimits()


def check_zip(data: bytes, *, name: str, limits: ZipLimits = DOCX_LIMITS) -> zipfile.ZipFile:
    """Open a zip after checking its central directory against ``limits`` (nothing is
    decompressed here: python-docx reads at most the declared sizes, which zipfile enforces)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise InputError(f"{name}: not a valid .docx (broken zip: {exc})") from None
    if len(infos) > limits.max_entries:
        raise InputError(
            f"{name}: refused: the .docx zip has {len(infos)} entries "
            f"(limit {limits.max_entries}); a Word file has a few dozen"
        )
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > limits.max_entry:
            raise InputError(
                f"{name}: refused: zip entry {info.filename[:60]!r} unpacks to {size} bytes "
                f"(limit {limits.max_entry})"
            )
        if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
            raise InputError(
                f"{name}: refused: zip entry {info.filename[:60]!r} is compressed "
                f"{size // max(info.compress_size, 1)}:1 (a zip bomb?)"
            )
    if total > limits.max_total:
        raise InputError(
            f"{name}: refused: the .docx unpacks to {total} bytes (limit {limits.max_total})"
        )
    return zf


def _docx_rows(table, depth: int = 0) -> list[str]:
    """One line per table row, cells separated by a tab; merged cells counted once."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:
                continue
            seen.add(key)
            parts = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
            if depth < 3:
                for inner in cell.tables:
                    parts.extend(_docx_rows(inner, depth + 1))
            cells.append(" ".join(parts))
        line = "\t".join(cells).strip()
        if line:
            lines.append(line)
    return lines


def extract_docx(data: bytes, *, name: str) -> Extracted:
    """Paragraphs and tables of a Word document, in document order."""
    kind = sniff(data)
    if kind == "ole":
        raise InputError(
            f"{name}: is a legacy Word .doc (or an encrypted .docx), not a .docx; "
            "save it as .docx (Word: File > Save As) and try again"
        )
    if kind != "zip":
        raise InputError(f"{name}: is not a .docx (not a zip container); save it as .docx or .txt")
    zf = check_zip(data, name=name)
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
            raise InputError(
                f"{name}: is an Excel/PowerPoint file, not Word; export its text to .txt"
            )
        raise InputError(f"{name}: is a zip archive without word/document.xml, not a Word .docx")
    try:
        import docx
    except ImportError:
        raise InputError(f"{name}: reading .docx needs python-docx: {EXTRA_HINT}") from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if hasattr(item, "rows"):
                # Each row is a unit (a task and its responsible unit): a paragraph of its own,
                # so that cleaning never joins two rows as one hard-wrapped line.
                for row in _docx_rows(item):
                    blocks.extend(("", row, ""))
            else:
                blocks.append(item.text)
        meta: dict[str, str] = {}
        title = (document.core_properties.title or "").strip()
        if title:
            meta["title"] = title[:200]
    except InputError:
        raise
    except Exception as exc:  # python-docx/lxml on a broken or hostile file
        raise InputError(
            f"{name}: cannot read the .docx ({exc.__class__.__name__}: {_short(exc)})"
        ) from None
    text = "\n".join(_drop_edges([b.rstrip() for b in blocks], squeeze=False))
    if not text.strip():
        raise InputError(f"{name}: the .docx contains no text")
    return Extracted(text=text + "\n", encoding="docx", meta=meta)


def _short(exc: BaseException) -> str:
    s = " ".join(str(exc).split())
    return s[:120] if s else "no details"


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PdfLimits:
    max_pages: int = 2_000
    max_stream: int = 32 * 1024 * 1024  # decompressed bytes of one stream (pypdf: 75 MB)
    max_chars: int = 20_000_000


PDF_LIMITS = PdfLimits()
# Page numbers printed in the margin: "- 3 -", "第3页 共12页", "3/12".
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—－–]\s*\d{1,4}\s*[-—－–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)


def _pdf_lines(page) -> list[str]:
    """A page's text layer as lines, with a blank line where the vertical gap is wider than a
    line: pypdf's plain extraction loses paragraph breaks, which article splitting needs."""
    chunks: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):  # noqa: ARG001 - pypdf's visitor signature
        if not text:
            return
        y = tm[5] * cm[3] + cm[5]
        size = abs(font_size * tm[3] * cm[3]) or abs(font_size) or 10.0
        chunks.append((y, size, text))

    page.extract_text(visitor_text=visit)
    lines: list[str] = []
    cur: list[str] = []
    last_y: float | None = None
    last_size = 10.0

    def flush() -> None:
        if "".join(cur).strip():
            lines.append("".join(cur))
        cur.clear()

    for y, size, text in chunks:
        if last_y is not None and abs(y - last_y) > 0.5 * last_size:
            flush()
            if abs(y - last_y) > 1.8 * max(last_size, size) and lines and lines[-1]:
                lines.append("")
        parts = text.split("\n")
        cur.append(parts[0])
        for extra in parts[1:]:
            flush()
            cur.append(extra)
        last_y, last_size = y, size
    flush()
    return [ln.rstrip() for ln in lines if not _PAGE_NUMBER_RE.match(ln)]


_SENTENCE_END = tuple("。！？；：…”」』）)!?;:")


class _Collect(logging.Handler):
    """Keeps the messages a parser logs while one file is read."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 100:
            self.messages.append(record.getMessage())


def _join_pages(pages: list[str]) -> str:
    """A paragraph often runs on over a page break: join pages with a plain line break unless
    the page ends a sentence (then a blank line keeps the paragraphs apart)."""
    out = ""
    for page in pages:
        if out:
            out += "\n\n" if out.rstrip().endswith(_SENTENCE_END) else "\n"
        out += page
    return out


def extract_pdf(data: bytes, *, name: str, limits: PdfLimits = PDF_LIMITS) -> Extracted:
    """The text layer of a PDF, page by page."""
    head = data[:1024]
    if b"%PDF-" not in head:
        kind = sniff(data)
        if kind and kind != "pdf":
            raise refuse_binary(kind, name)
        raise InputError(f"{name}: is not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(
            f"{name}: the PDF is truncated (no %%EOF end marker); get the whole file again"
        )
    try:
        import pypdf
        from pypdf import apply_configuration
    except ImportError:
        raise InputError(f"{name}: reading PDF needs pypdf >= 7: {EXTRA_HINT}") from None
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    config = dict(
        zlib_maximum_output_length=limits.max_stream,
        lzw_maximum_output_length=limits.max_stream,
        run_length_maximum_output_length=limits.max_stream,
        brotli_maximum_output_length=limits.max_stream,
        maximum_declared_stream_length=limits.max_stream,
        array_based_stream_maximum_output_length=limits.max_stream,
        jbig2_maximum_output_length=limits.max_stream,
        image_maximum_buffer_size=limits.max_stream,
        jbig2dec_binary=None,  # never run an external decoder on untrusted input
        page_tree_maximum_entries=limits.max_pages * 4,
    )
    pages_text: list[str] = []
    # pypdf logs what it repairs in a damaged file; without a handler Python would print each
    # message on stderr. Collect them for the duration of this read (the handler is removed
    # again) and report one warning line instead.
    notes = _Collect()
    pypdf_logger = logging.getLogger("pypdf")
    pypdf_logger.addHandler(notes)
    try:
        with apply_configuration(**config):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError):
                    raise InputError(
                        f"{name}: the PDF is AES-encrypted; reading it needs the cryptography "
                        f"package: {EXTRA_HINT}"
                    ) from None
                if not ok:
                    raise InputError(
                        f"{name}: the PDF is encrypted with a password; remove the password "
                        "(print to PDF or qpdf --decrypt) and try again"
                    )
            count = len(reader.pages)
            if count > limits.max_pages:
                raise InputError(
                    f"{name}: refused: the PDF has {count} pages (limit {limits.max_pages})"
                )
            total = 0
            for page in reader.pages:
                # pypdf's text extraction swallows a stream that hits a decompression limit
                # (the page just reads as empty, i.e. "a scan"): decode the page's content
                # first so a bomb is reported as one.
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()
                lines = _pdf_lines(page)
                page_text = "\n".join(lines).strip("\n")
                total += len(page_text)
                if total > limits.max_chars:
                    raise InputError(
                        f"{name}: refused: more than {limits.max_chars} characters of text"
                    )
                pages_text.append(page_text)
            title = ""
            try:
                info = reader.metadata
                title = str(info.title or "").strip() if info else ""
            except Exception:  # broken /Info: the text is what matters
                title = ""
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError(
            f"{name}: the PDF is encrypted with a password; remove the password and try again"
        ) from None
    except LimitReachedError as exc:
        raise InputError(
            f"{name}: refused: the PDF exceeds a safety limit ({_short(exc)})"
        ) from None
    except RecursionError:
        raise InputError(
            f"{name}: refused: the PDF's object structure is cyclic or too deep"
        ) from None
    except Exception as exc:  # pypdf on malformed input raises many kinds of error
        raise InputError(
            f"{name}: cannot read the PDF ({exc.__class__.__name__}: {_short(exc)})"
        ) from None
    finally:
        pypdf_logger.removeHandler(notes)
    warnings: tuple[str, ...] = ()
    if notes.messages:
        warnings = (
            f"{name}: the PDF is damaged; the parser worked around {len(notes.messages)} "
            f"problem(s) (first: {_short(Exception(notes.messages[0]))[:80]})",
        )
    if not pages_text:
        raise InputError(f"{name}: the PDF has no pages")
    text = _join_pages([p for p in pages_text if p.strip()])
    if not text.strip():
        raise InputError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it first "
            "(e.g. ocrmypdf -l chi_sim) and try again"
        )
    meta = {"title": title[:200]} if title else {}
    return Extracted(text=text + "\n", encoding="pdf", meta=meta, warnings=warnings)


# --------------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------------
def extract(data: bytes, *, kind: str, name: str, encoding: str | None = None) -> Extracted:
    """Dispatch on ``kind`` (``"html"``, ``"docx"``, ``"pdf"``)."""
    if not data:
        raise InputError(f"{name}: is empty (0 bytes)")
    if kind == "html":
        binary = sniff(data)
        if binary in ("ole", "zip", "pdf", "rtf", "image"):
            raise InputError(
                f"{name}: is not a web page (it is a {binary} file); rename or convert it"
            )
        return extract_html(data, name=name, encoding=encoding)
    if kind == "docx":
        return extract_docx(data, name=name)
    if kind == "pdf":
        return extract_pdf(data, name=name)
    raise InputError(f"{name}: {kind} input is not supported")
