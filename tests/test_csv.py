"""CSV for Excel (issue 8): ``-o file.csv`` is UTF-8 with a BOM and CRLF line ends, stdout CSV
is plain UTF-8; both neutralise cells a spreadsheet would run as a formula, and numbers stay
numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from policytext.cli.app import app
from policytext.cli.render import Output, render
from typer.testing import CliRunner

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

# Titles a hostile page could carry; each file is one article (--no-split), titled by line 1.
HOSTILE_TITLES = ['=HYPERLINK("http://evil","点击")标题', "@SUM(A1:A9)第二篇", "+1 营商环境第三篇",
                  "-2+3 政策第四篇"]
BODY = "\n\n正文：优化营商环境，推动高质量发展，社会消费品零售总额增长6.5%以上。\n"


def _out(records, columns=None) -> Output:
    return Output(data={}, records=records, csv_columns=columns)


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def test_file_csv_has_bom_and_crlf_stdout_csv_has_neither() -> None:
    out = _out([{"word": "营商环境", "n": 3}, {"word": "高质量发展", "n": 2}])
    for_file = render(out, "csv", for_file=True)
    plain = render(out, "csv")
    assert for_file.startswith("\ufeff") and not plain.startswith("\ufeff")
    assert for_file.count("\r\n") == 3 and for_file.replace("\r\n", "").count("\n") == 0
    assert "\r" not in plain and plain.count("\n") == 3
    assert for_file == "\ufeff" + plain.replace("\n", "\r\n")


def test_formula_cells_are_neutralised_numbers_are_not() -> None:
    values = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3.5", -3.5, "+3", 12, "1e-5",
              "-", "-3.5\n", "6.5%", "正文", "", None, True]
    out = _out([{"v": v} for v in values], ["v"])
    rows = list(csv.reader(io.StringIO(render(out, "csv"), newline="")))[1:]
    got = [r[0] for r in rows]
    assert got == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-3.5", "-3.5", "+3",
                   "12", "1e-5", "'-", "'-3.5\n", "6.5%", "正文", "", "", "true"]


@given(st.text(min_size=1, max_size=30))
def test_no_cell_can_start_a_formula(s: str) -> None:
    for for_file in (False, True):
        text = render(_out([{"v": s}], ["v"]), "csv", for_file=for_file)
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
        cell = rows[1][0]
        if cell.startswith(DANGEROUS):
            assert _is_number(cell) and cell.strip() == cell, cell
        assert cell in (s, "'" + s)  # the content survives, at most behind one apostrophe


def test_cli_output_file_is_excel_ready(tmp_path: Path) -> None:
    srcs = []
    for i, title in enumerate(HOSTILE_TITLES):
        srcs.append(tmp_path / f"h{i}.txt")
        srcs[-1].write_text(title + BODY, encoding="utf-8")
    target = tmp_path / "articles.csv"
    args = ["articles", "--no-split", *map(str, srcs)]
    result = runner.invoke(app, [*args, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n") >= 5  # every line ends CRLF
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    titles = [r["title"] for r in rows]
    assert len(titles) == 4
    assert titles[0].startswith("'=HYPERLINK") and titles[1].startswith("'@SUM")
    assert titles[2].startswith("'+1") and titles[3].startswith("'-2+3")
    for r in rows:  # numbers are still numbers
        assert r["chars"].isdigit() and r["start"].isdigit()
    # stdout: the same cells, plain UTF-8 with LF
    stdout = runner.invoke(app, [*args, "-f", "csv"])
    assert stdout.exit_code == 0
    assert not stdout.stdout.startswith("\ufeff") and "\r" not in stdout.stdout
    assert stdout.stdout.replace("\n", "\r\n") == raw.decode("utf-8-sig")
