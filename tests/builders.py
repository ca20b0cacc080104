"""Build web pages, Word files and PDFs from the seed texts at test time (no binary blobs in the
repository), plus broken and hostile containers.

* :func:`gov_html` wraps a text in a government CMS template (breadcrumb, 分享到, print/close
  links, footer with 备案 lines, a navigation menu) declared ``gb2312`` and encodes it as GB18030
  (a GBK superset: seeds use characters outside GB2312, as real "gb2312" pages do).
* :func:`docx_from_text` writes paragraphs and tables (a plan's task lines) with python-docx.
* :func:`pdf_bytes` writes a PDF by hand: one Type0 font with Identity-H encoding whose codes are
  the characters' Unicode values, and a ToUnicode CMap. That gives a real text layer that any
  extractor reads, with no font file and no network (the glyphs would not *render*, which a text
  extraction test does not need; a CJK font that renders is the report's concern).
* The rest are the bad containers: a scan-like PDF (an image, no text), encrypted, truncated,
  cyclic and bomb PDFs, a .doc renamed .docx, and two DOCX zip bombs.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进邵东", "专题专栏"]
FOOTER = [
    "设为首页| 加入收藏| 免责声明| 网站地图| 联系我们",
    "主办单位:邵东市人民政府  承办单位:邵东市数据局 |",
    "备案/许可证编号:湘ICP备14000179号   湘公网安备 43052102000153号",
    "网站标识码:4305210003   邮箱:sdszfwz@126.com",
]
# Strings that only the template's furniture contains (none occurs in a seed).
BOILERPLATE = [
    "当前位置", "分享到", "打印本页", "关闭窗口", "ICP备", "公网安备", "网站标识码", "设为首页",
    "互动交流", "走进邵东", "专题专栏", "相关文章", "项目申报工作", "网站首页", "长者模式",
    "QQ空间", "微博", "English", "统计代码", "责任编辑", "扫一扫", "发布时间", "float",
]


def paragraphs(text: str) -> list[list[str]]:
    """A text as paragraphs (split at blank lines), each a list of its lines."""
    out: list[list[str]] = []
    cur: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def body_only(text: str) -> tuple[str | None, str]:
    """A seed that was copied from a web page (002) already holds the page's furniture: keep the
    lines between the 分享到 bar and the 扫一扫 footer, which the template then adds back, and
    the title line above 发布时间 (the template's <h1>)."""
    lines = text.split("\n")
    start = next((i + 1 for i, ln in enumerate(lines[:20]) if ln.strip().startswith("分享到")), 0)
    end = next((i for i, ln in enumerate(lines) if ln.strip().startswith("扫一扫")), len(lines))
    title = None
    for i, ln in enumerate(lines[:start]):
        if ln.strip().startswith("发布时间"):
            title = next((p.strip() for p in reversed(lines[:i]) if p.strip()), None)
    return title, "\n".join(lines[start:end])


def _first_title(text: str) -> str:
    for line in text.split("\n"):
        s = line.strip()
        if s and not re.match(r"^(当前位置|首页)", s) and len(s) <= 80:
            return s
    return "通知"


def gov_html(text: str, *, title: str | None = None, published: str = "2025-03-06 15:32",
             publisher: str = "邵东市人民政府办公室", doc_number: str | None = None,
             charset: str = "gb2312", encoding: str = "gb18030", marked: bool = True) -> bytes:
    """A government CMS page around ``text``: every line of the text is kept (a paragraph per
    blank-line block, <br> between its lines), everything else is page furniture. With
    ``marked=False`` the furniture has no class/id names to give it away."""
    esc = html.escape
    page_title, text = body_only(text)
    title = title or page_title or _first_title(text)
    body = "\n".join(
        "<p>" + "<br>\n".join(esc(line) for line in para) + "</p>" for para in paragraphs(text)
    )
    nav = "".join(f'<li><a href="/c{i}.html">{esc(n)}</a></li>' for i, n in enumerate(NAV))
    related = "".join(f'<li><a href="/r{i}.html">关于做好第{i}批项目申报工作的通知</a></li>'
                      for i in range(1, 4))
    number = f'<tr><td>发文字号：</td><td>{esc(doc_number)}</td></tr>' if doc_number else ""
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{esc(title)}_邵东市人民政府</title>
<meta name="ArticleTitle" content="{esc(title)}">
<meta name="PubDate" content="{esc(published)}">
<meta name="ContentSource" content="{esc(publisher)}">
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav li {{ float: left; }}</style>
</head>
<body>
<div class="top"><a href="/">网站首页</a> | <a href="/en">English</a> |
<a href="/zz">长者模式</a></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="position">当前位置: <a href="/">首页</a> &gt;
<a href="/zfxxgk">政府信息公开</a> &gt; 政府公报</div>
<div class="article">
<h1 class="title">{esc(title)}</h1>
<div class="info">发布时间:{esc(published)} 信息来源:{esc(publisher)}
责任编辑:{esc(publisher)}</div>
<table class="xxgk">{number}</table>
<div class="bdsharebuttonbox">分享到: <a class="bds_qzone">QQ空间</a>
<a class="bds_tsina">微博</a></div>
<div id="zoom" class="content">
{body}
</div>
<div class="print-close">扫一扫在手机打开当前页<br>
<a href="javascript:window.print()">打印本页</a>
<a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>
<div class="footer">{"<br>".join(esc(f) for f in FOOTER)}</div>
</body></html>
"""
    if not marked:  # a template without class/id hints: only structure and wording are left
        page = re.sub(r'\s(class|id)="[^"]*"', "", page)
    return page.encode(encoding)


def metadata_table_page(title: str, doc_number: str, paragraphs_: list[str], *,
                        issuer: str = "国务院办公厅") -> bytes:
    """A gov.cn-style policy page: a label/value metadata table (索引号, 发文机关, 标题, 发文字号,
    发布日期, labels padded with spaces) above a layout table holding the text, then 我要纠错,
    分享到 and a footer. UTF-8."""
    esc = html.escape
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs_)
    page = f"""<html><head><meta charset="utf-8"><title>{esc(title)}_政策_中国政府网</title></head>
<body><div class="header"><a href="/">首页</a><a href="/zhengce">政策</a></div>
<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院文件</div>
<table class="bd1"><tbody>
<tr><td><b>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</b></td><td>000014349/2024-00001</td>
<td><b>主题分类：</b></td><td>综合政务</td></tr>
<tr><td><b>发文机关：</b></td><td>{esc(issuer)}</td><td><b>成文日期：</b></td>
<td>2024年01月02日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">{esc(title)}</td></tr>
<tr><td><b>发文字号：</b></td><td>{esc(doc_number)}</td><td><b>发布日期：</b></td>
<td>2024年01月05日</td></tr>
</tbody></table>
<table><tr><td><div class="b12c" id="UCAP-CONTENT">
<p style="text-align:center">{esc(title)}</p>
{body}
</div></td></tr></table>
<div class="editor">【我要纠错】 责任编辑：王小明</div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="foot">版权所有：中国政府网 | 中文域名：中国政府网.政务<br>
网站标识码bm01000001 京ICP备05070218号 京公网安备11010202000001号</div>
</body></html>
"""
    return page.encode("utf-8")


def docx_bytes(blocks: list) -> bytes:
    """A Word file from blocks in order: a string is a paragraph, a list of rows is a table."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            width = max(len(r) for r in block)
            table = document.add_table(rows=len(block), cols=width)
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# A task line of a plan: "2.建成零工市场,新增劳务品牌。(市人社局)" -> [task, responsible unit].
_TASK_RE = re.compile(r"^\s*(\d{1,2}\..+?)\s*([(（][^()（）]{2,40}[)）])\s*$")


def docx_from_text(text: str) -> tuple[bytes, int]:
    """A Word file from a text: one paragraph per line (blank lines kept as empty paragraphs),
    and each run of task lines ("N.任务。(责任单位)") as a two-column table, as plans print them.
    Returns the bytes and the number of table rows."""
    blocks: list = []
    rows: list[list[str]] = []
    count = 0
    for line in text.split("\n"):
        m = _TASK_RE.match(line)
        if m:
            rows.append([m.group(1), m.group(2)])
            continue
        if rows and line.strip():
            blocks.append(rows)
            count += len(rows)
            rows = []
        if not rows:
            blocks.append(line.rstrip())
    if rows:
        blocks.append(rows)
        count += len(rows)
    return docx_bytes(blocks), count


# --------------------------------------------------------------------------------------------
# PDF by hand
# --------------------------------------------------------------------------------------------
def _pdf_file(objects: list[bytes], *, root: int = 1, extra_trailer: bytes = b"") -> bytes:
    """Serialise numbered objects (1..n) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R ".encode() + extra_trailer
              + f">>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(content: bytes, *, compress: bool = True, extra: bytes = b"") -> bytes:
    if compress:
        data = zlib.compress(content)
        head = b"<< /Length %d /Filter /FlateDecode " % len(data)
        return head + extra + b">>\nstream\n" + data + b"\nendstream"
    return (b"<< /Length %d " % len(content)) + extra + b">>\nstream\n" + content + b"\nendstream"


def _to_unicode_cmap(chars: list[str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    for i in range(0, len(chars), 100):
        block = chars[i : i + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


def pdf_bytes(text: str, *, lines_per_page: int = 45, size: int = 10) -> bytes:
    """A text-layer PDF: each line of ``text`` at its own baseline, a blank line as a wider gap,
    pages of ``lines_per_page`` lines. Only BMP characters (the seeds have no others)."""
    text = "".join(ch if ord(ch) <= 0xFFFF else "?" for ch in text.replace("\t", " "))
    chars = sorted(set(text) - {"\n"})
    lines = text.split("\n")
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[""]]
    # objects: 1 catalog, 2 pages, 3 type0 font, 4 cid font, 5 descriptor, 6 tounicode,
    # then per page: page object, content stream
    n_fixed = 6
    kids = " ".join(f"{n_fixed + 1 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 5 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        _stream(_to_unicode_cmap(chars)),
    ]
    for i, page_lines in enumerate(pages):
        ops = [f"BT /F1 {size} Tf {size * 1.5:.1f} TL 50 800 Td".encode()]
        for line in page_lines:
            if line.strip():
                hexs = "".join(f"{ord(c):04X}" for c in line.strip())
                ops.append(f"<{hexs}> Tj T*".encode())
            else:
                ops.append(b"T*")  # an empty line: a paragraph gap
        ops.append(b"ET")
        content = b"\n".join(ops)
        page_no = n_fixed + 1 + 2 * i
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            "/Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {page_no + 1} 0 R >>".encode()
        )
        objects.append(_stream(content))
    return _pdf_file(objects)


def scan_pdf() -> bytes:
    """A page with only an image on it, as a scanner makes: no text layer."""
    w, h = 64, 64
    pixels = bytes((x ^ y) & 0xFF for y in range(h) for x in range(w))
    img = _stream(pixels, extra=f"/Type /XObject /Subtype /Image /Width {w} /Height {h} "
                  "/ColorSpace /DeviceGray /BitsPerComponent 8 ".encode())
    content = _stream(b"q 500 0 0 700 40 60 cm /Im1 Do Q")
    return _pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        img,
        content,
    ])


def encrypted_pdf(text: str) -> bytes:
    """The text PDF encrypted with a user password (pypdf writes it; RC4 needs nothing extra)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(text)))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def owner_locked_pdf(text: str, algorithm: str = "AES-256") -> bytes:
    """Encrypted with an empty open password and an owner password (no copying, no printing), as
    many government PDFs are: every reader opens it, so policytext must too."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(text)))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm,
                   permissions_flag=0)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def damaged_xref_pdf(text: str) -> bytes:
    """The text PDF with its startxref pointer off by a few bytes: readers repair it."""
    data = pdf_bytes(text)
    return re.sub(rb"startxref\n(\d+)",
                  lambda m: b"startxref\n" + str(int(m.group(1)) + 7).encode(), data)


def truncated_pdf(text: str) -> bytes:
    data = pdf_bytes(text)
    return data[: len(data) * 2 // 3]


def cyclic_pdf() -> bytes:
    """A page tree whose /Kids contains itself."""
    return _pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 1 >>",
    ])


def bomb_pdf(megabytes: int = 200) -> bytes:
    """A page whose content stream is a few hundred KB of zlib that inflates to ``megabytes``
    of spaces (far past the reader's per-stream limit)."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    head = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
    content = head + data + b"\nendstream"
    return _pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        content,
    ])


# --------------------------------------------------------------------------------------------
# Bad Word files
# --------------------------------------------------------------------------------------------
def doc_renamed() -> bytes:
    """The first bytes of a legacy Word 97-2003 file (an OLE2 compound document)."""
    header = OLE_MAGIC + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return header + b"\x00" * 480 + "Word.Document.8".encode("utf-16-le") + b"\x00" * 512


def docx_bomb_huge_entry(megabytes: int = 256) -> bytes:
    """A .docx-looking zip with one entry declared ``megabytes`` big, compressed ~1000:1.
    Written with a raw deflate stream so building it does not take ``megabytes`` of memory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(chunk)
    return buf.getvalue()


def billion_laughs_docx(levels: int = 9) -> bytes:
    """A .docx whose document.xml declares nested entities that expand 10**levels times."""
    good = docx_bytes(["优化营商环境。"])
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                body = data[data.index(b"<w:document"):]
                body = body.replace("优化".encode(), f"&lol{levels};".encode())
                data = (b'<?xml version="1.0"?><!DOCTYPE w:document [' + entities.encode()
                        + b"]>" + body)
            zout.writestr(item, data)
    return out.getvalue()


def unbalanced_html(depth: int = 30_000) -> bytes:
    """Tens of thousands of unclosed elements and stray end tags around one sentence."""
    return ("<div><span>" * depth + "<p>优化营商环境，推动高质量发展。</p>" + "</b>" * depth
            + "</div>" * depth).encode()


def docx_bomb_many_entries(count: int = 10_000) -> bytes:
    """A .docx-looking zip with ``count`` tiny entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", "<w:document/>")
        for i in range(count):
            zf.writestr(f"word/media/x{i}.bin", b"x")
    return buf.getvalue()
