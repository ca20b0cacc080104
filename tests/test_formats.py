"""Web pages, Word files and PDFs in the one read step (issue 8).

Every container is built at test time from the seed texts (tests/builders.py). The check that
matters: a seed read as a gov web page, a .docx or a PDF gives the same articles and the same top
words as the plain-text seed. Then every bad container gives one line naming the file, a
documented exit code, no traceback, and the other inputs are still processed.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from policytext.analysis import formats
from policytext.analysis.models import InputError
from policytext.analysis.pipeline import build_document
from policytext.cli.app import app
from policytext.cli.corpus import load_corpus
from policytext.cli.inputs import InputSpec, kind_of
from typer.testing import CliRunner

from . import builders
from .conftest import SEED_FILES, SEEDS

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
KINDS = ("html", "docx", "pdf")
PLAN = SEEDS / "002_083cf205d14e5406.txt"  # the city plan copied from a gov web page


def _build(kind: str, text: str) -> bytes:
    if kind == "html":
        return builders.gov_html(text)
    if kind == "docx":
        return builders.docx_from_text(text)[0]
    return builders.pdf_bytes(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("containers")
    for seed in SEED_FILES:
        text = seed.read_text(encoding="utf-8")
        for kind in KINDS:
            (root / f"{seed.stem}.{kind}").write_bytes(_build(kind, text))
    return root


def _top(doc, segmenter, n: int = 20) -> set[str]:
    counts = Counter(w for a in doc.articles for w in segmenter.cut(a.text) if len(w) > 1)
    return {w for w, _ in counts.most_common(n)}


# ---------------------------------------------------------------------------------------------
# Same articles and words as the plain-text seed
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_containers_give_the_seed_articles_and_words(kind: str, built: Path, seed_documents,
                                                     segmenter) -> None:
    corpus = load_corpus([str(p) for p in sorted(built.glob(f"*.{kind}"))])
    assert not corpus.errors, corpus.errors
    assert len(corpus.documents) == len(seed_documents) == 5
    for got, want in zip(corpus.documents, seed_documents, strict=True):
        assert got.id == want.id
        assert [a.title for a in got.articles] == [a.title for a in want.articles], got.source
        assert _top(got, segmenter) == _top(want, segmenter), got.source


def test_the_plan_has_many_articles_so_the_comparison_can_fail(seed_documents) -> None:
    plan = next(d for d in seed_documents if d.source.endswith(PLAN.name))
    assert len(plan.articles) >= 7
    assert len({a.title for a in plan.articles}) == len(plan.articles)


def test_kind_of_and_directories_pick_up_containers(built: Path, tmp_path: Path) -> None:
    assert kind_of(InputSpec("a.HTM", Path("a.HTM"))) == "html"
    assert kind_of(InputSpec("a.docx", Path("a.docx"))) == "docx"
    assert kind_of(InputSpec("a.pdf", Path("a.pdf"))) == "pdf"
    assert kind_of(InputSpec("a.txt", Path("a.txt"))) == "text"
    assert kind_of(InputSpec("-", None)) == "auto"
    folder = tmp_path / "mixed"
    folder.mkdir()
    stem = PLAN.stem
    for kind in KINDS:
        (folder / f"plan.{kind}").write_bytes((built / f"{stem}.{kind}").read_bytes())
    (folder / "old.doc").write_bytes(builders.doc_renamed())
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    corpus = load_corpus([str(folder)])
    assert sorted(Path(d.source).name for d in corpus.documents) == ["plan.docx", "plan.html",
                                                                     "plan.pdf"]
    # the old Word file is reported (with what to convert it to), the picture is not an input
    assert len(corpus.errors) == 1 and "old.doc" in corpus.errors[0]
    assert "save it as .docx" in corpus.errors[0]


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("marked", [True, False])
def test_html_drops_page_furniture_and_keeps_metadata(marked: bool) -> None:
    text = PLAN.read_text(encoding="utf-8")
    page = builders.gov_html(text, marked=marked, doc_number="邵东政办发〔2025〕2号")
    assert b"charset=gb2312" in page
    out = formats.extract_html(page, name="page.html")
    left = [w for w in builders.BOILERPLATE if w in out.text]
    assert not left, left
    assert out.encoding == "gb18030"
    assert out.meta["title"] == "邵东市人民政府办公室关于印发《邵东市实施“七大攻坚”总体方案》的通知"
    assert out.meta["published"] == "2025-03-06 15:32"
    assert out.meta["publisher"] == "邵东市人民政府办公室"
    assert out.meta["doc_number"] == "邵东政办发〔2025〕2号"
    # the body is all there, first line to last
    assert out.text.startswith(out.meta["title"])
    assert "负责日常协调和调度工作。" in out.text.strip().splitlines()[-1]


def test_html_metadata_reaches_the_document() -> None:
    page = builders.gov_html(PLAN.read_text(encoding="utf-8"), doc_number="邵东政办发〔2025〕2号")
    doc, warnings = build_document(page, doc_id="p", source="p.html", kind="html")
    meta = doc.metadata()
    assert meta["doc_number"] == "邵东政办发〔2025〕2号"
    assert meta["published"].startswith("2025-03-06")
    assert doc.encoding == "gb18030" and warnings == ()


def test_html_bytes_win_over_a_wrong_meta_charset() -> None:
    text = "关于加快发展的通知\n\n优化营商环境，推动高质量发展，社会消费品零售总额增长6.5%以上。\n"
    utf8_page = builders.gov_html(text, charset="gb2312", encoding="utf-8")
    out = formats.extract_html(utf8_page, name="u.html")
    assert "优化营商环境" in out.text and out.encoding == "utf-8"
    assert any("declares charset gb2312" in w for w in out.warnings)
    gbk_page = builders.gov_html(text, charset="utf-8", encoding="gbk")
    out = formats.extract_html(gbk_page, name="g.html")
    assert "优化营商环境" in out.text and out.encoding == "gb18030"


def test_html_gbk_characters_outside_gb2312() -> None:
    # 镕 and 堃 are in GBK but not in GB2312: real "gb2312" pages contain them
    text = "朱镕基同志讲话\n\n王堃同志主持会议，研究优化营商环境工作。\n"
    page = builders.gov_html(text)
    with pytest.raises(UnicodeEncodeError):
        text.encode("gb2312")
    out = formats.extract_html(page, name="x.html")
    assert "朱镕基" in out.text and "王堃" in out.text


def test_html_gov_cn_metadata_table() -> None:
    title = "国务院办公厅关于进一步优化营商环境的意见"
    page = builders.metadata_table_page(title, "国办发〔2024〕1号", [
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "　　优化营商环境是激发市场活力的重要举措。经国务院同意，现提出以下意见。",
        "　　一、持续推进简政放权。深化行政审批制度改革，全面实行行政许可事项清单管理。",
        "国务院办公厅", "2024年1月2日",
    ])
    out = formats.extract_html(page, name="gov.html")
    assert out.meta["title"] == title and out.meta["doc_number"] == "国办发〔2024〕1号"
    assert out.meta["published"] == "2024年01月05日" and out.meta["issuer"] == "国务院办公厅"
    assert out.meta["index_number"] == "000014349/2024-00001"
    for furniture in ("索", "主题分类", "纠错", "责任编辑", "分享到", "版权所有", "ICP备",
                      "首页"):
        assert furniture not in out.text, furniture
    assert out.text.startswith(title + "\n") and "行政许可事项清单管理。" in out.text
    doc, _ = build_document(page, doc_id="g", source="gov.html", kind="html")
    assert doc.articles[0].title == title


def test_html_menus_are_dropped_by_link_density_even_without_class_names() -> None:
    page = (
        "<html><body><div><a href=1>首页</a> <a href=2>机构概况</a> <a href=3>政策文件</a></div>"
        "<div><p>各区县人民政府：现将《实施方案》印发给你们，请认真贯彻执行。</p>"
        "<p>附件：<a href=f.docx>实施方案</a>（请下载后填写并按时报送相关材料）</p></div>"
        "<div><a href=p>上一篇：关于开展调研的通知</a></div></body></html>"
    ).encode()
    out = formats.extract_html(page, name="m.html")
    assert "机构概况" not in out.text and "上一篇" not in out.text
    assert "请认真贯彻执行" in out.text
    assert "附件：实施方案（请下载后填写" in out.text  # a link inside prose stays


def test_html_deep_and_unbalanced_markup() -> None:
    # thousands of open elements and stray end tags: linear work (this once took minutes)
    out = formats.extract_html(builders.unbalanced_html(), name="deep.html")
    assert out.text == "优化营商环境，推动高质量发展。\n"


@pytest.mark.parametrize("page_title", [
    "关于印发《实施方案》的通知_政策_中国政府网", "关于印发《实施方案》的通知 - 邵东市人民政府",
    "关于印发《实施方案》的通知|湖南省人民政府",
])
def test_html_title_from_the_title_element(page_title: str) -> None:
    page = f"<html><head><title>{page_title}</title></head><body><p>正文：优化营商环境。</p>" \
           "</body></html>"
    out = formats.extract_html(page.encode(), name="t.html")
    assert out.meta["title"] == "关于印发《实施方案》的通知"


def test_html_with_only_furniture_is_an_error() -> None:
    page = b"<html><head><title>x</title><script>var a=1;</script></head><body><nav>" \
           b"<a href=/>home</a></nav></body></html>"
    with pytest.raises(InputError, match=r"^e\.html: .*no main text"):
        formats.extract_html(page, name="e.html")


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------
def test_docx_reads_paragraphs_and_tables_in_document_order() -> None:
    data = builders.docx_bytes([
        "第一段：优化营商环境。",
        [["任务", "责任单位"], ["建成零工市场", "市人社局"], ["合并单元格", "合并单元格"]],
        "第二段：推动高质量发展。",
    ])
    out = formats.extract_docx(data, name="t.docx")
    lines = [ln for ln in out.text.splitlines() if ln.strip()]
    assert lines[0] == "第一段：优化营商环境。"
    assert lines[1] == "任务\t责任单位"
    assert lines[2] == "建成零工市场\t市人社局"
    assert lines[-1] == "第二段：推动高质量发展。"


def test_docx_merged_cells_are_read_once() -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并的单元格"
    table.cell(0, 2).text = "市发改局"
    buf = io.BytesIO()
    document.save(buf)
    out = formats.extract_docx(buf.getvalue(), name="m.docx")
    assert out.text.count("合并的单元格") == 1 and "市发改局" in out.text


def test_plan_docx_has_its_task_table(built: Path) -> None:
    data, rows = builders.docx_from_text(PLAN.read_text(encoding="utf-8"))
    assert rows >= 20  # the plan's task lines really became table rows
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("word/document.xml").count(b"<w:tbl>") >= 1
    out = formats.extract_docx(data, name="plan.docx")
    assert "建成零工市场,新增劳务品牌。\t(市人社局)" in out.text


def test_zip_guard_runs_before_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bombs are refused from the zip directory alone: python-docx is never imported."""
    monkeypatch.setitem(sys.modules, "docx", None)
    for data, words in ((builders.docx_bomb_huge_entry(), "unpacks to"),
                        (builders.docx_bomb_many_entries(), "10002 entries")):
        with pytest.raises(InputError, match=f"^bomb.docx: refused: .*{words}"):
            formats.extract_docx(data, name="bomb.docx")


def test_zip_guard_refuses_an_absurd_compression_ratio() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))  # 20 MB, ratio ~1000:1
    with pytest.raises(InputError, match="compressed [0-9]+:1"):
        formats.check_zip(buf.getvalue(), name="r.docx")


def test_docx_entity_expansion_is_refused() -> None:
    # libxml2 refuses the expansion (python-docx also parses with resolve_entities=False); the
    # wording of libxml2's reason varies by version, so only the one line is checked
    with pytest.raises(InputError, match=r"^lol\.docx: cannot read the \.docx \("):
        formats.extract_docx(builders.billion_laughs_docx(), name="lol.docx")


def test_not_a_word_zip() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="Excel/PowerPoint"):
        formats.extract_docx(buf.getvalue(), name="x.docx")


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
def test_pdf_pages_join_and_page_numbers_drop() -> None:
    text = "\n".join(f"第{i}行，推动高质量发展" for i in range(1, 60)) + "\n- 2 -\n"
    out = formats.extract_pdf(builders.pdf_bytes(text, lines_per_page=25), name="p.pdf")
    lines = out.text.splitlines()
    assert [ln for ln in lines if ln.strip()] == [f"第{i}行，推动高质量发展" for i in range(1, 60)]
    assert "" not in lines  # lines that run over a page break are not split into paragraphs


def test_pdf_keeps_paragraph_gaps() -> None:
    out = formats.extract_pdf(builders.pdf_bytes("第一段第一行\n第一段第二行。\n\n第二段。\n"),
                              name="g.pdf")
    assert out.text == "第一段第一行\n第一段第二行。\n\n第二段。\n"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_only_an_owner_password_is_read(algorithm: str) -> None:
    text = "关于优化营商环境的通知\n\n推动高质量发展。\n"
    data = builders.owner_locked_pdf(text, algorithm)
    assert b"/Encrypt" in data
    assert formats.extract_pdf(data, name="locked.pdf").text == text


def test_damaged_pdf_is_read_with_one_warning_line(tmp_path: Path) -> None:
    text = "关于优化营商环境的通知\n\n推动高质量发展。\n"
    out = formats.extract_pdf(builders.damaged_xref_pdf(text), name="d.pdf")
    assert out.text == text
    assert len(out.warnings) == 1 and out.warnings[0].startswith("d.pdf: the PDF is damaged")
    path = tmp_path / "d.pdf"
    path.write_bytes(builders.damaged_xref_pdf(text))
    result = runner.invoke(app, ["articles", "-f", "json", str(path)])
    assert result.exit_code == 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "damaged" in lines[0]
    assert lines[0].startswith("policytext: warning: ")
    # the parser's own log messages went to the warning, not to stderr
    assert "startxref" not in result.stderr.replace(lines[0], "")


def test_pdf_page_and_text_limits() -> None:
    text = "\n".join(f"第{i}行，推动高质量发展。" for i in range(30))
    data = builders.pdf_bytes(text, lines_per_page=10)  # 3 pages
    assert formats.extract_pdf(data, name="p.pdf", limits=formats.PdfLimits(max_pages=3)).text
    with pytest.raises(InputError, match=r"^p\.pdf: refused: the PDF has 3 pages \(limit 2\)"):
        formats.extract_pdf(data, name="p.pdf", limits=formats.PdfLimits(max_pages=2))
    with pytest.raises(InputError, match="more than 100 characters"):
        formats.extract_pdf(data, name="p.pdf", limits=formats.PdfLimits(max_chars=100))
    with pytest.raises(InputError, match="safety limit"):  # the per-stream decompression limit
        formats.extract_pdf(data, name="p.pdf", limits=formats.PdfLimits(max_stream=100))


def test_pdf_limits_are_context_local() -> None:
    import pypdf

    before = pypdf.get_configuration()
    formats.extract_pdf(builders.pdf_bytes("优化营商环境。\n"), name="c.pdf")
    assert pypdf.get_configuration() == before


def test_stdin_and_misnamed_files_are_read_by_their_bytes(tmp_path: Path) -> None:
    pdf = builders.pdf_bytes("关于优化营商环境的通知\n\n推动高质量发展。\n")
    result = runner.invoke(app, ["articles", "-f", "json", "-"], input=pdf)
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout)["documents"][0]["articles"][0]
    assert first["title"] == "关于优化营商环境的通知"
    misnamed = tmp_path / "notice.txt"
    misnamed.write_bytes(pdf)
    doc, _ = build_document(misnamed.read_bytes(), doc_id="n", source=str(misnamed))
    assert doc.encoding == "pdf" and "推动高质量发展" in doc.text


# ---------------------------------------------------------------------------------------------
# Bad containers: one line, naming the file, no traceback, others still processed
# ---------------------------------------------------------------------------------------------
def _bad_containers() -> dict[str, tuple[bytes, str]]:
    seed = PLAN.read_text(encoding="utf-8")[:3000]
    return {
        "scan.pdf": (builders.scan_pdf(), "no text layer.*OCR"),
        "encrypted.pdf": (builders.encrypted_pdf(seed), "encrypted with a password"),
        "truncated.pdf": (builders.truncated_pdf(seed), "truncated"),
        "cyclic.pdf": (builders.cyclic_pdf(), "cyclic"),
        "bomb.pdf": (builders.bomb_pdf(), "safety limit"),
        "garbage.pdf": (b"this is not a pdf at all " * 10, "not a PDF"),
        "renamed_doc.docx": (builders.doc_renamed(), r"legacy Word \.doc.*save it as \.docx"),
        "bomb_big.docx": (builders.docx_bomb_huge_entry(), "unpacks to"),
        "bomb_many.docx": (builders.docx_bomb_many_entries(), "entries"),
        "legacy.doc": (builders.doc_renamed(), r"save it as \.docx"),
        "kingsoft.wps": (builders.doc_renamed(), r"WPS.*save it as \.docx"),
        "ole.txt": (builders.doc_renamed(), r"legacy Word/WPS binary.*save it as \.docx"),
        "broken.docx": (b"PK\x03\x04" + b"\x00" * 200, "broken zip"),
        "laughs.docx": (builders.billion_laughs_docx(), r"cannot read the \.docx"),
    }


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("bad")
    patterns = {}
    for name, (data, pattern) in _bad_containers().items():
        (root / name).write_bytes(data)
        patterns[name] = pattern
    return root, patterns


def test_every_bad_container_gives_one_clear_line(bad_dir, built: Path) -> None:
    import re

    root, patterns = bad_dir
    good = built / f"{PLAN.stem}.docx"
    paths = [str(root / name) for name in sorted(patterns)]
    result = runner.invoke(app, ["articles", "-f", "json", str(good), *paths])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    docs = json.loads(result.stdout)["documents"]
    assert [d["source"] for d in docs] == [str(good)]
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(patterns), lines
    for name, pattern in patterns.items():
        mine = [ln for ln in lines if f"{root / name}:" in ln]
        assert len(mine) == 1, (name, lines)
        assert re.search(pattern, mine[0]), (name, mine[0])


def test_all_bad_means_exit_3(bad_dir) -> None:
    root, patterns = bad_dir
    result = runner.invoke(app, ["articles", "-f", "json", str(root / "scan.pdf")])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["documents"] == []


@pytest.mark.parametrize("module,kind,data", [
    ("docx", "docx", None),
    ("pypdf", "pdf", None),
])
def test_missing_optional_library_names_the_extra(module: str, kind: str, data,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sample = (builders.docx_bytes(["优化营商环境。"]) if kind == "docx"
              else builders.pdf_bytes("优化营商环境。\n"))
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(InputError) as info:
        formats.extract(sample, kind=kind, name=f"x.{kind}")
    message = str(info.value)
    assert message.startswith(f"x.{kind}: ") and "\n" not in message
    assert "pip install 'policytext[formats]'" in message


@pytest.mark.parametrize("kind", KINDS)
def test_mangled_containers_fail_cleanly(kind: str) -> None:
    """Flipped, cut and inserted bytes: the reader returns text or one InputError line naming
    the file, never another exception (seeded, so a failure reproduces)."""
    import random

    rnd = random.Random(f"mangle-{kind}")
    original = _build(kind, PLAN.read_text(encoding="utf-8")[:2500])
    outcomes = Counter()
    for _ in range(60):
        data = bytearray(original)
        op = rnd.randrange(3)
        if op == 0:
            for _ in range(rnd.randint(1, 20)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif op == 1:
            del data[rnd.randrange(len(data)) :]
        else:
            at = rnd.randrange(len(data))
            data[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 50)))
        try:
            formats.extract(bytes(data), kind=kind, name="m.bin")
            outcomes["read"] += 1
        except InputError as exc:
            assert str(exc).startswith("m.bin: ") and "\n" not in str(exc)
            outcomes["error"] += 1
    assert sum(outcomes.values()) == 60


def test_sniff() -> None:
    assert formats.sniff(builders.pdf_bytes("字\n")) == "pdf"
    assert formats.sniff(builders.doc_renamed()) == "ole"
    assert formats.sniff(builders.docx_bytes(["字"])) == "zip"
    assert formats.sniff(b"<!DOCTYPE html><html>") == "html"
    assert formats.sniff("优化营商环境 %PDF-1.4".encode()) is None
    assert formats.sniff("普通文本".encode()) is None
