"""Charts and ``policytext plot``: the CJK font is found and used, its glyphs are real
(rasterised and compared with the missing-glyph box), SVG carries text as paths, output is
deterministic, and the command handles good and bad arguments."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from policytext.cli import charts, fonts
from policytext.cli.app import app
from policytext.cli.commands import plot as plot_cmd
from policytext.cli.commands import report as report_cmd
from typer.testing import CliRunner

from . import fake_reports
from .conftest import SEEDS

runner = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"})
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def docs():
    from policytext.cli.corpus import load_corpus

    return report_cmd.documents(load_corpus([str(SEEDS)]))


# ---------------------------------------------------------------------------------------------
# The font
# ---------------------------------------------------------------------------------------------
def test_a_cjk_font_is_found_and_covers_simplified_chinese():
    path = fonts.find_cjk_font()
    assert path.is_file()
    assert fonts.covers(path, fonts.SAMPLE + "高质量发展营商环境七大攻坚")
    # The check itself can fail: matplotlib's own DejaVu Sans has no Chinese.
    from matplotlib import font_manager

    dejavu = font_manager.findfont(font_manager.FontProperties(family=["DejaVu Sans"]))
    assert "DejaVu" in dejavu and not fonts.covers(dejavu)


def test_a_font_without_chinese_is_refused(monkeypatch):
    from matplotlib import font_manager

    dejavu = font_manager.findfont(font_manager.FontProperties(family=["DejaVu Sans"]))
    monkeypatch.setenv("POLICYTEXT_CJK_FONT", dejavu)
    with pytest.raises(fonts.FontNotFound, match="not a font with Chinese glyphs"):
        fonts.find_cjk_font()


def test_no_font_names_what_to_install(monkeypatch):
    monkeypatch.setattr(fonts, "candidates", lambda: [])
    fonts._find.cache_clear()
    try:
        with pytest.raises(fonts.FontNotFound) as info:
            fonts.find_cjk_font()
    finally:
        fonts._find.cache_clear()
    assert "fonts-noto-cjk" in str(info.value) and "pip install" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Rasterised glyphs: real shapes, not boxes
# ---------------------------------------------------------------------------------------------
def _label_bitmaps(labels):
    """Draw a bar chart with ``labels`` and return the grey bitmap of each y tick label."""
    with charts.style():
        fig = charts.bar_chart([(lab, i + 1) for i, lab in enumerate(labels)])
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        img = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2)
        h = img.shape[0]
        ax = fig.axes[0]
        out = {}
        for t in ax.get_yticklabels():
            bb = t.get_window_extent(renderer)
            x0, x1 = int(bb.x0) - 1, int(bb.x1) + 2
            y0, y1 = h - int(bb.y1) - 2, h - int(bb.y0) + 1
            out[t.get_text()] = img[y0:y1, x0:x1] < 128
        from matplotlib.text import Text

        fonts_used = {_font_file(t) for t in fig.findobj(Text) if t.get_text()}
    return out, fonts_used


def _font_file(text_artist) -> str:
    from matplotlib import font_manager

    path = font_manager.findfont(text_artist.get_fontproperties(), fallback_to_default=False)
    return str.__str__(path)  # a plain str (matplotlib >= 3.11 returns a FontPath subclass)


def test_chart_text_uses_the_cjk_font():
    _, used = _label_bitmaps(["高质量发展", "营商环境"])
    assert used == {str(fonts.find_cjk_font())}


def test_matplotlib_finds_every_glyph_in_the_chart_font():
    """Drawn outside charts.style()'s warning filter: matplotlib warns for each glyph missing
    from the font, so no warning means real glyphs, and a private-use char does warn."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(fname=str(fonts.find_cjk_font()))

    def draw(text):
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.text(0.1, 0.5, text, fontproperties=prop)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        return [str(w.message) for w in caught if "missing from font" in str(w.message)]

    assert draw("高质量发展 营商环境 七大攻坚 6.5%") == []
    assert draw("\ue000") != []


def test_rasterised_cjk_labels_are_real_glyphs_not_boxes():
    # U+E000 is a private-use code point: the font draws its .notdef box for it.
    assert not fonts.covers(fonts.find_cjk_font(), "\ue000")
    maps, _ = _label_bitmaps(["发展", "经济", "\ue000\ue000"])
    real_a, real_b, tofu = maps["发展"], maps["经济"], maps["\ue000\ue000"]
    for m in (real_a, real_b, tofu):
        assert m.mean() > 0.05, "no ink where the label is"
    w = min(real_a.shape[1], real_b.shape[1], tofu.shape[1])
    h = min(real_a.shape[0], real_b.shape[0], tofu.shape[0])
    a, b, t = real_a[:h, -w:], real_b[:h, -w:], tofu[:h, -w:]
    assert (a != b).mean() > 0.05, "two different words render alike (boxes?)"
    assert (a != t).mean() > 0.05 and (b != t).mean() > 0.05, "a label renders as .notdef"
    # Two .notdef glyphs are the same box: the tofu label is one shape repeated.
    half = t.shape[1] // 2
    left, right = t[:, :half], t[:, t.shape[1] - half:]
    assert (left != right).mean() < (a[:, :half] != a[:, a.shape[1] - half:]).mean()


def test_png_file_has_the_same_glyphs():
    from matplotlib.image import imread

    with charts.style():
        png = charts.render(charts.bar_chart([("高质量发展", 3), ("营商环境", 2)]), "png")
        tofu = charts.render(charts.bar_chart([("\ue000" * 5, 3), ("\ue000" * 4, 2)]), "png")
    assert png.startswith(PNG_MAGIC)
    a, b = imread(io.BytesIO(png)), imread(io.BytesIO(tofu))
    assert a.shape == b.shape and (np.abs(a - b) > 0.2).any(axis=2).mean() > 0.001


# ---------------------------------------------------------------------------------------------
# SVG and determinism
# ---------------------------------------------------------------------------------------------
def test_svg_draws_text_as_paths_and_is_deterministic():
    with charts.style():
        one = charts.render(charts.bar_chart([("高质量发展", 3)], title="提法"), "svg")
        two = charts.render(charts.bar_chart([("高质量发展", 3)], title="提法"), "svg")
    assert one == two
    text = one.decode("utf-8")
    assert "<text" not in text and "<path" in text
    assert "dc:date" not in text
    # Each distinct glyph is defined once as a path (8 CJK chars: 高质量发展 + 提法 + digits).
    assert text.count('<path id="') >= 7


def test_png_is_deterministic():
    with charts.style():
        items = [("高质量发展", 3), ("营商环境", 2)]
        assert charts.render(charts.cloud_chart(items), "png") == \
            charts.render(charts.cloud_chart(items), "png")


def test_cloud_places_words_without_overlap():
    words = [(f"关键词{i}", 50 - i) for i in range(50)]
    with charts.style():
        fig = charts.cloud_chart(words)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    assert 10 <= len(boxes) <= 50
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert overlap_w <= 1 or overlap_h <= 1, "two words overlap"


# ---------------------------------------------------------------------------------------------
# figure_for on every analysis (fake data for the ones not merged yet)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,style,expected", [
    ("keywords", "bar", 6), ("keywords", "cloud", 6), ("themes", "map", 5),
    ("themes", "bar", 3), ("numbers", "bar", 2), ("themes_with_theme_objects", "map", 5),
])
def test_figure_for_each_analysis(docs, kind, style, expected):
    data = getattr(fake_reports, kind)(docs)
    with charts.style():
        fig, n = plot_cmd.figure_for(kind.split("_")[0], data, style=style, top=20, title=None)
        png = charts.render(fig, "png")
    assert n == expected
    assert png.startswith(PNG_MAGIC)


def test_figure_for_empty_data():
    with charts.style():
        for kind in ("keywords", "themes", "slogans", "numbers"):
            fig, n = plot_cmd.figure_for(kind, {}, style=None, top=5, title="空")
            assert n == 0 and charts.render(fig, "svg").startswith(b"<?xml")


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix,magic", [("png", PNG_MAGIC), ("svg", b"<?xml")])
def test_cli_plot_slogans(tmp_path: Path, suffix, magic):
    out = tmp_path / f"s.{suffix}"
    r = runner.invoke(app, ["plot", "slogans", str(SEEDS), "-o", str(out), "--top", "12",
                            "-f", "json"])
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["items"] == 12 and summary["format"] == suffix
    data = out.read_bytes()
    assert data.startswith(magic) and summary["bytes"] == len(data)


@pytest.mark.parametrize("kind", ["keywords", "themes", "numbers"])
def test_cli_plot_pending_analyses(tmp_path: Path, kind):
    """Until the analysis lands, a one-line error (exit 2); after, a chart."""
    out = tmp_path / "c.png"
    r = runner.invoke(app, ["plot", kind, str(SEEDS), "-o", str(out)])
    if report_cmd.provider(plot_cmd._SECTION[kind])[0] is None:
        assert r.exit_code == 2 and "not available" in r.stderr and not out.exists()
    else:
        assert r.exit_code == 0, r.stderr
        assert out.read_bytes().startswith(PNG_MAGIC)


def test_cli_plot_bad_arguments(tmp_path: Path):
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    cases = [
        (["plot", "slogans", seed, "-o", str(tmp_path / "x.pdf")], 2, ".png or .svg"),
        (["plot", "slogans", seed, "-o", str(tmp_path / "x.png"), "--style", "cloud"], 2,
         "draws bar"),
        (["plot", "slogans", seed], 2, "--output"),
        (["plot", "slogans", seed, "-o", str(tmp_path / "nodir" / "x.png")], 4, "cannot write"),
        (["plot", "slogans", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "m.png")], 3,
         "missing.txt"),
    ]
    for args, code, message in cases:
        r = runner.invoke(app, args)
        assert r.exit_code == code, (args, r.exit_code, r.stderr)
        assert message in r.stderr and "Traceback" not in r.stderr
    copy = tmp_path / "in.svg"
    copy.write_text("<svg/>", encoding="utf-8")
    r = runner.invoke(app, ["plot", "slogans", str(copy), "-o", str(copy)])
    assert r.exit_code == 4 and copy.read_text(encoding="utf-8") == "<svg/>"
