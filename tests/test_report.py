"""``policytext report``: the HTML builder on real seed data (articles, slogans) and on fake
keywords/themes/numbers dicts of the documented shapes; the CLI on good and bad inputs."""

from __future__ import annotations

import json
import os
import re
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest
from policytext.cli.app import app
from policytext.cli.commands import report as report_cmd
from policytext.cli.report_html import build_html
from typer.testing import CliRunner

from . import fake_reports
from .conftest import SEEDS

runner = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def seed_corpus():
    from policytext.cli.corpus import load_corpus

    corpus = load_corpus([str(SEEDS)])
    assert not corpus.errors and corpus.documents
    return corpus


@pytest.fixture(scope="module")
def base_report(seed_corpus, segmenter):
    """The report dict of the seeds with only slogans (keywords/themes/numbers hidden)."""
    from policytext.cli.commands.slogans import report_data

    return {
        "overview": report_cmd.overview(seed_corpus),
        "documents": report_cmd.documents(seed_corpus),
        "keywords": None, "themes": None, "numbers": None,
        "slogans": report_data(seed_corpus, segmenter),
        "notes": {"keywords": "the keywords command is not installed"},
    }


@pytest.fixture(scope="module")
def full_report(base_report):
    docs = base_report["documents"]
    return {**base_report, "keywords": fake_reports.keywords(docs),
            "themes": fake_reports.themes(docs), "numbers": fake_reports.numbers(docs),
            "notes": {}}


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each element id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html_text: str) -> _Tags:
    p = _Tags()
    p.feed(html_text)
    p.close()
    return p


def section(html_text: str, name: str) -> str:
    m = re.search(rf'<section id="{name}">(.*?)</section>', html_text, re.S)
    assert m, f"no section {name}"
    return m.group(1)


# ---------------------------------------------------------------------------------------------
# Overview and metadata
# ---------------------------------------------------------------------------------------------
def test_overview_counts_the_seed_corpus(seed_corpus, base_report):
    ov = base_report["overview"]
    assert ov["files"] == len(list(SEEDS.glob("*.txt")))
    assert ov["articles"] == sum(len(d.articles) for d in seed_corpus.documents)
    assert ov["characters"] == sum(len(d.text) for d in seed_corpus.documents)
    # Only the city plan has a 发布时间 line (2025-03-06 15:32).
    assert ov["dates"] == ["2025-03-06", "2025-03-06"]


@pytest.mark.parametrize("value,expected", [
    ("2025-03-06 15:32", "2025-03-06"), ("2024年12月3日", "2024-12-03"), ("2019.7", "2019-07"),
    ("2019-13-01", None), ("昨天", None), ("", None),
])
def test_date_of(value, expected):
    assert report_cmd.date_of({"published": value}) == expected


# ---------------------------------------------------------------------------------------------
# The HTML builder
# ---------------------------------------------------------------------------------------------
def test_all_sections_with_fake_analyses(full_report):
    html_text = build_html(full_report, charts=False, embed_font=False)
    assert "not available" not in html_text
    kw = section(html_text, "keywords")
    for k in full_report["keywords"]["keywords"][:5]:
        assert k["term"] in kw
    th = section(html_text, "themes")
    assert "产业发展" in th and "营商环境" in th
    sl = section(html_text, "slogans")
    assert "高质量发展" in sl
    nums = section(html_text, "numbers")
    assert "地区生产总值增长" in nums and "6.5%" in nums


def test_themes_in_the_cluster_commands_spelling(full_report):
    docs = full_report["documents"]
    data = fake_reports.themes_with_theme_objects(docs)
    html_text = build_html({**full_report, "themes": data}, charts=False, embed_font=False)
    th = section(html_text, "themes")
    assert "产业发展" in th and "{" not in th and "None" not in th
    per_doc = re.findall(r'<div class="doc" id="doc-(\d+)">(.*?)</div>', html_text, re.S)
    assert f"<b>Theme:</b> {data['documents'][1]['theme']['name']}" in per_doc[1][1]
    from policytext.cli.report_html import map_points

    pts = map_points(data)
    assert len(pts) == len(docs) and {p[3] for p in pts} <= {"产业发展", "营商环境",
                                                               fake_reports.HOSTILE}


def test_per_document_section_links_each_analysis(full_report):
    html_text = build_html(full_report, charts=False, embed_font=False)
    docs = full_report["documents"]
    per_doc = re.findall(r'<div class="doc" id="doc-(\d+)">(.*?)</div>', html_text, re.S)
    assert len(per_doc) == len(docs)
    first = per_doc[0][1]
    # Keywords of an article (doc#n) are filed under its document.
    assert "独有关键词" in first and all("独有关键词" not in body for _, body in per_doc[1:])
    assert fake_reports.themes(docs)["documents"][0]["theme"] in first
    assert f"{6}.5%" in first and f"{7}.5%" in per_doc[1][1]
    # Slogans per document come from the per-file counts (by_group).
    plan = next(i for i, d in enumerate(docs) if "七大攻坚" in d["title"])
    counts = {s["slogan"]: s["by_group"].get(docs[plan]["source"], 0)
              for s in full_report["slogans"]["slogans"]}
    top = max(counts, key=lambda s: (counts[s], s))
    assert f"{top} ×{counts[top]}" in per_doc[plan][1]


def test_missing_analyses_are_named_not_fatal(base_report):
    html_text = build_html(base_report, charts=False, embed_font=False)
    for name in ("keywords", "themes", "numbers"):
        assert f"The {name} analysis is not available" in section(html_text, name)
    assert "the keywords command is not installed" in html_text
    assert "高质量发展" in section(html_text, "slogans")


def test_document_text_is_escaped(full_report):
    docs = [dict(d) for d in full_report["documents"]]
    docs[0]["title"] = fake_reports.HOSTILE
    html_text = build_html({**full_report, "documents": docs,
                            "overview": {**full_report["overview"],
                                         "title": fake_reports.HOSTILE}}, charts=False)
    # (the embedded font is a data URI inside <style>; the hostile text must not leak there)
    assert "<script" not in html_text.lower()
    assert "onerror=alert" not in html_text.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_text
    # No element other than the ones the builder writes.
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "nav", "a",
               "main", "section", "h2", "h3", "table", "thead", "tr", "th", "tbody", "td", "div",
               "ul", "li", "span", "b", "figure", "img"}
    assert {t for t, _ in parse(html_text).tags} <= allowed


def test_self_contained_with_charts(full_report):
    html_text = build_html(full_report, charts=True)
    tags = parse(html_text).tags
    imgs = [a for t, a in tags if t == "img"]
    # keyword bar + cloud, theme sizes + map, slogans, indicators
    assert len(imgs) == 6
    assert all((a.get("src") or "").startswith("data:image/svg+xml;base64,") for a in imgs)
    for tag, attrs in tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("data:", "#")), f"<{tag} {key}={value[:40]}>"
    assert not any(t in ("script", "link", "iframe", "object") for t, _ in tags)
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]
    assert "@import" not in html_text
    assert re.findall(r"url\((?!data:font/woff;base64,)", html_text) == []
    # The CJK font is embedded, cut down to the page's characters.
    assert "@font-face{font-family:policytext-cjk;src:url(data:font/woff;base64," in html_text
    assert len(html_text) < 3_000_000


def test_report_is_deterministic(full_report):
    assert build_html(full_report) == build_html(full_report)


def test_max_docs_limits_the_per_document_section(full_report):
    html_text = build_html(full_report, charts=False, max_docs=2, embed_font=False)
    assert len(re.findall(r'<div class="doc"', html_text)) == 2
    assert f"{len(full_report['documents']) - 2} more documents not shown" in html_text


# ---------------------------------------------------------------------------------------------
# Finding the analyses
# ---------------------------------------------------------------------------------------------
def test_provider_missing_module_or_function(monkeypatch):
    monkeypatch.setitem(report_cmd.PROVIDERS, "keywords", "no_such_command_xyz")
    func, why = report_cmd.provider("keywords")
    assert func is None and "not installed" in why
    monkeypatch.setitem(report_cmd.PROVIDERS, "keywords", "articles")  # no report_data
    func, why = report_cmd.provider("keywords")
    assert func is None and "does not provide report data" in why
    func, why = report_cmd.provider("slogans")
    assert callable(func) and why == ""


def test_collect_uses_whatever_provides_report_data(monkeypatch, seed_corpus, segmenter):
    name = "policytext.cli.commands.fake_numbers_for_test"
    module = types.ModuleType(name)
    module.report_data = lambda corpus, seg: fake_reports.numbers(
        report_cmd.documents(corpus))
    monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setitem(report_cmd.PROVIDERS, "numbers", "fake_numbers_for_test")

    def broken(corpus, seg):
        raise RuntimeError("boom")

    broken_name = "policytext.cli.commands.fake_broken_for_test"
    monkeypatch.setitem(sys.modules, broken_name, types.SimpleNamespace(report_data=broken))
    monkeypatch.setitem(report_cmd.PROVIDERS, "themes", "fake_broken_for_test")
    errors = []
    rep = report_cmd.collect(seed_corpus, segmenter, sections=["numbers", "themes"],
                             on_error=lambda s, e: errors.append(s))
    assert rep["numbers"]["indicators"][0]["indicator"] == "地区生产总值增长"
    assert rep["themes"] is None and "boom" in rep["notes"]["themes"] and errors == ["themes"]


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------
def test_cli_report_on_seeds(tmp_path: Path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(SEEDS), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    html_text = out.read_text(encoding="utf-8")
    assert summary["bytes"] == len(html_text.encode("utf-8"))
    assert summary["documents"] == len(list(SEEDS.glob("*.txt")))
    by = {s["section"]: s for s in summary["sections"]}
    for name, mod in report_cmd.PROVIDERS.items():
        available = report_cmd.provider(name)[0] is not None
        assert by[name]["available"] is available, mod
        text = section(html_text, name)
        assert ("is not available" in text) is (not available)
    assert "高质量发展" in section(html_text, "slogans")
    assert summary["charts"] == html_text.count('src="data:image/svg+xml')
    assert summary["charts"] >= 1
    assert "邵东市实施“七大攻坚”总体方案" in html_text
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_cli_report_no_charts(tmp_path: Path):
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(SEEDS), "-o", str(out), "--no-charts",
                                 "-f", "json", "--title", "<b>湖南</b>"])
    assert result.exit_code == 0, result.stderr
    html_text = out.read_text(encoding="utf-8")
    assert "data:image" not in html_text and "<title>&lt;b&gt;湖南&lt;/b&gt;</title>" in html_text


def test_cli_report_bad_outputs(tmp_path: Path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    copy = tmp_path / "in.txt"
    copy.write_bytes(seed.read_bytes())
    before = copy.read_bytes()
    r = runner.invoke(app, ["report", str(copy), "-o", str(copy)])
    assert r.exit_code == 4 and "refusing to overwrite" in r.stderr and copy.read_bytes() == before
    r = runner.invoke(app, ["report", str(copy), "-o", str(tmp_path / "no" / "dir" / "r.html")])
    assert r.exit_code == 4 and "cannot write" in r.stderr
    r = runner.invoke(app, ["report", str(copy), "-o", str(tmp_path)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["report", str(copy)])
    assert r.exit_code == 2 and "--output" in r.stderr
    for res in (r,):
        assert "Traceback" not in res.stderr


def test_cli_report_symlink_loop_is_one_line(tmp_path: Path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    for cmd in (["report"], ["plot", "slogans"]):
        out = tmp_path / ("r.html" if cmd == ["report"] else "p.svg")
        r = runner.invoke(app, [*cmd, str(tmp_path / "a.txt"), "-o", str(out), "-f", "json"])
        assert r.exit_code in (1, 3), (cmd, r.stderr)
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr
        json.loads(r.stdout)


def test_cli_report_all_inputs_missing(tmp_path: Path):
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(tmp_path / "missing.txt"), "-o", str(out), "-f", "json"])
    assert r.exit_code == 3
    assert json.loads(r.stdout)["documents"] == 0
    assert "<h1>policytext report</h1>" in out.read_text(encoding="utf-8")


def test_cli_report_without_a_cjk_font(tmp_path: Path, monkeypatch):
    from policytext.cli import fonts

    monkeypatch.setattr(fonts, "candidates", lambda: [])
    fonts._find.cache_clear()
    try:
        r = runner.invoke(app, ["report", str(SEEDS), "-o", str(tmp_path / "r.html")])
    finally:
        fonts._find.cache_clear()
    assert r.exit_code == 2
    assert "fonts-noto-cjk" in r.stderr and "policytext[report]" in r.stderr
    assert not (tmp_path / "r.html").exists()


def _chromium():
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium (.ci/run does: apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return exe


def _screenshot(page: Path, tmp_path: Path, size: str):
    """A headless Chromium screenshot of ``page`` with every network fetch sent to a dead
    proxy (the page must need none)."""
    import subprocess

    from matplotlib.image import imread

    shot = tmp_path / (page.stem + ".png")
    proc = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--hide-scrollbars", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={size}",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=180)
    assert shot.exists(), proc.stderr.decode(errors="replace")[-800:]
    return imread(str(shot))[..., :3]


def test_report_opens_in_a_headless_browser(tmp_path: Path, full_report):
    """Chromium (Debian's package; .ci/run installs it) renders the report offline."""
    page = tmp_path / "r.html"
    page.write_text(build_html(full_report), encoding="utf-8")
    img = _screenshot(page, tmp_path, "1200,2400")
    assert img.shape[0] >= 2000 and img.shape[1] >= 1100
    # Not a blank or an error page: a good share of non-white pixels (text, tables, charts).
    ink = (img[..., :3].sum(axis=2) < 2.4).mean()
    assert ink > 0.02, ink


def test_browser_shows_real_cjk_glyphs_not_boxes(tmp_path: Path):
    """The page's own text (not only the charts) is set in the embedded CJK font: in Chromium
    发 and 展 come out as different shapes, unlike the identical boxes of a missing glyph
    (U+E000, a private-use code point no font here draws)."""
    from policytext.cli.fonts import font_face_css

    css = font_face_css("发展")
    cells = "".join(
        f'<div style="position:absolute;left:{i * 300}px;top:0;width:300px;height:300px;'
        f'font:220px/300px policytext-cjk">{ch}</div>' for i, ch in enumerate("发展\ue000"))
    page = tmp_path / "glyphs.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset=utf-8><style>{css}"
                    f"body{{margin:0;background:#fff}}</style></head><body>{cells}</body></html>",
                    encoding="utf-8")
    img = _screenshot(page, tmp_path, "900,300")
    fa, zhan, box = (img[:300, i * 300:(i + 1) * 300].mean(axis=2) < 0.5 for i in range(3))
    assert fa.mean() > 0.02 and zhan.mean() > 0.02, "no ink: the glyphs did not render"
    assert (fa != zhan).mean() > 0.03, "发 and 展 look the same: boxes"
    assert (fa != box).mean() > 0.03 and (zhan != box).mean() > 0.03
