"""The bad-input battery: generated at test time (no binary blobs in the repository).

``build(root)`` writes every hostile or broken input into ``root`` and returns the cases. Each
case is a list of path arguments (or stdin bytes) that a command receives. The test module
runs every command in ``COMMANDS`` on every case in every output format and checks the
contract: no traceback, a documented exit code, valid stdout, inputs untouched, no hang.
"""

from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

SEED_TEXT = (
    "邵东市人民政府办公室关于印发《邵东市实施“七大攻坚”总体方案》的通知\n\n"
    "持续优化营商环境，推动高质量发展，社会消费品零售总额增长6.5%以上。\n"
    "力争城镇化率提高1.5个百分点，完成投资20.9亿元，落实“两不愁三保障”。\n"
)

# Documented exit codes (README): anything else is a failure of the contract.
EXIT_CODES = {0, 1, 2, 3, 4, 130, 141}


@dataclass
class Case:
    name: str
    args: list[str] = field(default_factory=list)
    stdin: bytes | None = None
    heavy: bool = False  # big inputs: run in fewer formats to keep CI fast


def _write(root: Path, name: str, data: bytes) -> Path:
    p = root / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def build(root: Path) -> list[Case]:
    rnd = random.Random(1234)
    cases: list[Case] = []

    def file_case(name: str, data: bytes, *, heavy: bool = False) -> None:
        p = _write(root, name, data)
        cases.append(Case(name, [str(p)], heavy=heavy))

    # Bytes and encodings
    file_case("empty.txt", b"")
    file_case("bom_only.txt", b"\xef\xbb\xbf")
    file_case("invalid_80.txt", SEED_TEXT.encode() + b"\x80" + SEED_TEXT.encode())
    file_case("invalid_c0af.txt", b"\xc0\xaf" + SEED_TEXT.encode())
    file_case("invalid_surrogate.txt", SEED_TEXT.encode() + b"\xed\xa0\x80")
    file_case("truncated_tail.txt", SEED_TEXT.encode()[:-2])
    file_case("utf8_head_gbk_body.txt", SEED_TEXT.encode() * 3 + SEED_TEXT.encode("gbk") * 3)
    file_case("utf16_nobom.txt", SEED_TEXT.encode("utf-16-le"))
    file_case("utf16_bom.txt", SEED_TEXT.encode("utf-16"))
    file_case("nul_bytes.txt", SEED_TEXT.encode() + b"\x00\x00" + SEED_TEXT.encode())
    file_case("random_4k.txt", bytes(rnd.getrandbits(8) for _ in range(4096)))
    file_case("short_gbk.txt", "Annual report 2024: 营商环境 ok\n".encode("gbk"))
    file_case("gb18030.txt", SEED_TEXT.encode("gb18030"))
    file_case("big5.txt", "優化營商環境，推動高質量發展。社會消費品零售總額增長6.5%以上。\n".encode("big5"))
    # Size and shape
    file_case("long_line.txt", ("营商环境高质量发展" * 120_000)[:1_000_000].encode(), heavy=True)
    file_case("only_punct.txt", "，。！？；：“”（）《》、……——\n".encode() * 50)
    file_case("only_numbers.txt", b"1 2 3 4.5 6% 2025 10000\n" * 50)
    file_case("only_english.txt", b"The State Council issued a plan to optimise the business environment.\n" * 20)
    file_case("kana.txt", "これはテストです。カタカナとひらがな。\n".encode() * 20)
    file_case("traditional.txt", "優化營商環境，推動高質量發展，社會消費品零售總額增長6.5%以上。\n".encode() * 10)
    many = root / "many_small"
    many.mkdir(parents=True, exist_ok=True)
    for i in range(10_000):
        (many / f"n{i:05d}.txt").write_bytes(f"第{i}号文件：优化营商环境。\n".encode())
    cases.append(Case("many_small", [str(many)], heavy=True))
    # Hostile content
    file_case("zero_width_bidi.txt", ("营\u200b商\u200d环境\u202e反转\u202c，推动\u2066高质量\u2069发展。\n" * 10).encode())
    file_case("ansi_osc.txt", ("营商环境\x1b[31m红色\x1b[0m推动\x1b]0;title\x07高质量发展\x1b]8;;http://x\x1b\\链接。\n" * 10).encode())
    file_case("rich_markup.txt", ("优化营商环境[/bold]推动[link=file:///etc/passwd]x[/link]高质量发展[red]。\n" * 10).encode())
    file_case("csv_injection.txt", ("=HYPERLINK(\"http://evil\",\"点击\")\n+1 营商环境\n@SUM(A1:A9) 高质量发展\n-2+3 政策\n" * 5).encode())
    file_case("script.txt", ("<script>alert('x')</script>优化营商环境<img src=x onerror=alert(1)>。\n" * 5).encode())
    file_case("seed_like.txt", SEED_TEXT.encode())
    # Paths
    sub = root / "a_directory"
    sub.mkdir(exist_ok=True)
    (sub / "inner.txt").write_bytes(SEED_TEXT.encode())
    cases.append(Case("directory", [str(sub)]))
    loop_a, loop_b = root / "loop_a.txt", root / "loop_b.txt"
    for link, target in ((loop_a, loop_b), (loop_b, loop_a)):
        if not link.is_symlink():
            os.symlink(target, link)
    cases.append(Case("symlink_loop", [str(loop_a)]))
    fifo = root / "fifo.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    cases.append(Case("fifo", [str(fifo)]))
    dash = _write(root, "-dash.txt", SEED_TEXT.encode())
    cases.append(Case("dash_name", ["--", str(dash.name)]))  # run with cwd=root
    cases.append(Case("missing", [str(root / "does_not_exist.txt")]))
    cases.append(Case("glob_nothing", [str(root / "nothing_*.txt")]))
    cases.append(Case("mixed_good_and_bad", [str(root / "seed_like.txt"), str(root / "empty.txt"),
                                             str(root / "random_4k.txt")]))
    # Containers (issue 8): good ones, hostile content inside them, and broken or hostile ones
    from . import builders

    hostile_lines = ("=HYPERLINK(\"http://evil\")标题\n\n优化营商环境\x1b[31m红色\x1b]0;t\x07。\n"
                     "[bold]推动[/bold]高质量发展<script>alert(1)</script>。\n")
    file_case("gov_page.html", builders.gov_html(SEED_TEXT))
    file_case("gov_page_utf8_says_gb2312.htm", builders.gov_html(SEED_TEXT, encoding="utf-8"))
    file_case("hostile_page.html", builders.gov_html(hostile_lines, title="=cmd|' /C calc'!A0"))
    file_case("only_script.html",
              b"<html><head><script>var x=1;</script></head><body></body></html>")
    file_case("plan.docx", builders.docx_from_text(SEED_TEXT + "\n1.建成零工市场。(市人社局)\n")[0])
    file_case("plan.pdf", builders.pdf_bytes(SEED_TEXT))
    printable = hostile_lines.replace("\x1b", "").replace("\x07", "")
    file_case("hostile.pdf", builders.pdf_bytes(printable))
    file_case("hostile.docx", builders.docx_bytes([printable, [["=1+1", "@SUM(A1)"]]]))
    file_case("scan.pdf", builders.scan_pdf())
    file_case("encrypted.pdf", builders.encrypted_pdf(SEED_TEXT))
    file_case("truncated.pdf", builders.truncated_pdf(SEED_TEXT))
    file_case("cyclic.pdf", builders.cyclic_pdf())
    file_case("not_a_pdf.pdf", SEED_TEXT.encode())
    file_case("bomb.pdf", builders.bomb_pdf(), heavy=True)
    file_case("doc_renamed.docx", builders.doc_renamed())
    file_case("legacy.doc", builders.doc_renamed())
    file_case("legacy.wps", builders.doc_renamed())
    file_case("bomb_huge_entry.docx", builders.docx_bomb_huge_entry(), heavy=True)
    file_case("bomb_10000_entries.docx", builders.docx_bomb_many_entries(), heavy=True)
    file_case("billion_laughs.docx", builders.billion_laughs_docx())
    file_case("unbalanced.html", builders.unbalanced_html(), heavy=True)
    cases.append(Case("containers_mixed", [str(root / n) for n in (
        "gov_page.html", "plan.docx", "plan.pdf", "scan.pdf", "doc_renamed.docx", "legacy.doc")]))
    cases.append(Case("stdin_pdf", ["-"], stdin=builders.pdf_bytes(SEED_TEXT)))
    cases.append(Case("stdin_html", ["-"], stdin=builders.gov_html(SEED_TEXT)))
    cases.append(Case("stdin", ["-"], stdin=SEED_TEXT.encode()))
    cases.append(Case("stdin_binary", ["-"], stdin=b"\x00\x01\x02" * 100))
    cases.append(Case("stdin_empty", ["-"], stdin=b""))
    return cases


def digest(root: Path) -> dict[str, str]:
    """Hash of every regular file under ``root`` (to prove no input was modified)."""
    out: dict[str, str] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            if p.is_symlink() or not p.is_file():
                continue
            try:
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
            except OSError:
                continue
    return out
