"""Charts drawn with matplotlib (Agg, imported lazily): bar charts, a keyword cloud, a 2-D
document map. Every text is set in the CJK font :func:`policytext.cli.fonts.find_cjk_font`
finds, so Chinese never renders as boxes. SVG output draws text as paths (``svg.fonttype =
path``): the file shows the same glyphs on a machine without the font. Output is
deterministic: no dates in the metadata, a fixed SVG id salt, a fixed layout.

Each ``*_chart`` function returns a matplotlib ``Figure`` (no pyplot, no global figure
state); :func:`render` turns one into PNG or SVG bytes. Build and render inside
``with style():`` (fonts are resolved when the figure is drawn)::

    with charts.style():
        png = charts.render(charts.bar_chart([("发展", 3)]), "png")
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

__all__ = ["bar_chart", "cloud_chart", "map_chart", "render", "font_path", "style"]

PALETTE = (
    "#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5",
    "#9c6b4e", "#9498a0",
)
FORMATS = ("png", "svg")


def font_path():
    from .fonts import find_cjk_font

    return find_cjk_font()


@lru_cache(maxsize=4)
def _family(path: str) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


@contextmanager
def style():
    """matplotlib settings for one chart: the CJK font for every text, text as paths in SVG,
    no metadata that changes between runs."""
    import matplotlib

    family = _family(str(font_path()))
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": [family],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "policytext",
        "path.simplify": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 100,
    }
    import warnings

    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # A character the font lacks (an emoji, a rare CJK extension character) is drawn as
        # the font's box; matplotlib's warning would be a stray stderr line per glyph.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield family


def _figure(width: float, height: float, layout: str | None = "constrained"):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout=layout)
    FigureCanvasAgg(fig)
    return fig


def _short(text: Any, limit: int = 18) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def bar_chart(items: Sequence[tuple[str, float]], *, title: str = "", xlabel: str = "",
              color: str = PALETTE[0]):
    """A horizontal bar chart, first item on top."""
    n = max(len(items), 1)
    fig = _figure(7.0, max(2.0, 0.32 * n + 1.1))
    ax = fig.add_subplot()
    labels = [_short(label, 20) for label, _ in items]
    values = [float(v) for _, v in items]
    ys = list(range(len(items)))[::-1]
    ax.barh(ys, values, color=color, height=0.7)
    ax.set_yticks(ys, labels)
    if not items:
        ax.text(0.5, 0.5, "（无数据）", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    if title:
        ax.set_title(title, loc="left", fontsize=12)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def cloud_chart(items: Sequence[tuple[str, float]], *, title: str = "", width: float = 8.0,
                height: float = 4.5, min_size: float = 10.0, max_size: float = 40.0):
    """A keyword cloud: words sized by weight, placed on an Archimedean spiral from the centre
    (largest first); a word that fits nowhere is left out. Deterministic."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    fig = _figure(width, height, layout=None)
    ax = fig.add_axes((0, 0, 1, 1 if not title else 0.9))
    ax.set_axis_off()
    W, H = width * 72.0, height * 72.0 * (1 if not title else 0.9)  # points
    ax.set_xlim(0, W)
    ax.set_ylim(0, H)
    if title:
        fig.text(0.01, 0.97, title, ha="left", va="top", fontsize=12)
    words = [(str(w), float(v)) for w, v in items if str(w).strip() and float(v) > 0]
    if not words:
        ax.text(W / 2, H / 2, "（无数据）", ha="center", va="center")
        return fig
    top = max(v for _, v in words)
    prop = FontProperties(family=["sans-serif"])
    placed: list[tuple[float, float, float, float]] = []
    for i, (word, value) in enumerate(words):
        size = min_size + (max_size - min_size) * math.sqrt(value / top)
        ext = TextPath((0, 0), word, size=size, prop=prop).get_extents()
        w, h = max(ext.width, size * 0.5) + 4, size * 1.15 + 2
        spot = _find_spot(w, h, W, H, placed)
        if spot is None:
            continue
        x0, y0 = spot
        placed.append((x0, y0, x0 + w, y0 + h))
        ax.text(x0 + w / 2, y0 + h / 2, word, fontsize=size, ha="center", va="center",
                color=PALETTE[i % len(PALETTE)])
    return fig


def _find_spot(w: float, h: float, W: float, H: float, placed):
    cx, cy = W / 2, H / 2
    t = 0.0
    while t < 400:
        r = 2.2 * t
        x = cx + r * math.cos(t) * (W / H) - w / 2
        y = cy + r * math.sin(t) - h / 2
        t += 0.12
        if x < 0 or y < 0 or x + w > W or y + h > H:
            if r > max(W, H):
                return None
            continue
        if all(x + w <= a or x >= c or y + h <= b or y >= d for a, b, c, d in placed):
            return x, y
    return None


def map_chart(points: Sequence[tuple[float, float, str, str]], *, title: str = "",
              label_limit: int = 15):
    """A 2-D map of documents: ``(x, y, label, group)`` points, one colour per group, a legend
    of groups, and the first ``label_limit`` labels written beside their points."""
    fig = _figure(8.0, 5.5)
    ax = fig.add_subplot()
    groups: dict[str, list[tuple[float, float, str]]] = {}
    for x, y, label, group in points:
        groups.setdefault(str(group), []).append((float(x), float(y), str(label)))
    for i, (group, pts) in enumerate(groups.items()):
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=28,
                   color=PALETTE[i % len(PALETTE)], label=_short(group, 24), alpha=0.85,
                   edgecolors="white", linewidths=0.5)
    for x, y, label, _ in list(points)[:label_limit]:
        ax.annotate(_short(label, 12), (float(x), float(y)), xytext=(4, 3),
                    textcoords="offset points", fontsize=7, color="#333")
    if not points:
        ax.text(0.5, 0.5, "（无数据）", ha="center", va="center", transform=ax.transAxes)
    if groups:
        ax.legend(loc="best", fontsize=8, frameon=False)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, loc="left", fontsize=12)
    return fig


def render(fig, fmt: str) -> bytes:
    """PNG or SVG bytes of ``fig``; the same figure always gives the same bytes."""
    import io

    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buf = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    fig.savefig(buf, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else 72)
    return buf.getvalue()
