"""``policytext plot keywords|themes|slogans|numbers PATHS -o FILE.png|svg``: one chart for a
paper or a slide, drawn with matplotlib in a CJK font (SVG text is drawn as paths)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..common import (
    DEFAULT_ENGINE,
    DebugOpt,
    EncodingOpt,
    EngineOpt,
    FormatOpt,
    MaxSizeOpt,
    NoPolicyDictOpt,
    NoSplitOpt,
    PathsArg,
    QuietOpt,
    T2sOpt,
    UsageError,
    UserDictOpt,
    WithErrorsOpt,
    finish,
    guarded,
    load,
    segmenter,
    settings_from,
)

app = typer.Typer()
plot_app = typer.Typer(
    name="plot",
    help="Draw one chart (PNG or SVG) of keywords, themes, slogans or figures.",
    no_args_is_help=True,
)
app.add_typer(plot_app, name="plot")


class Style(StrEnum):
    bar = "bar"
    cloud = "cloud"
    map = "map"


ChartOutputOpt = Annotated[
    str, typer.Option("--output", "-o", help="The chart file: .png or .svg (written atomically).",
                      metavar="FILE", show_default=False),
]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="Items drawn.")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Chart title.", show_default=False)]
StyleOpt = Annotated[Style | None, typer.Option("--style", case_sensitive=False, show_default=False,
                                                help="bar, cloud (keywords) or map (themes).")]


def _common(paths, output, fmt, encoding, t2s, no_split, max_size, with_errors, quiet, debug,
            user_dict, engine, no_policy_dict):
    return settings_from(paths, fmt=fmt, output=None, encoding=encoding, t2s=t2s,
                         split=not no_split, user_dicts=user_dict, engine=engine,
                         policy_dict=not no_policy_dict, max_mb=max_size,
                         with_errors=with_errors, quiet=quiet, debug=debug)


def chart_format(output: str) -> str:
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        raise UsageError(f"--output {output!r}: the file name must end in .png or .svg")
    return suffix


def figure_for(kind: str, data: dict[str, Any], *, style: str | None, top: int,
               title: str | None):
    """The matplotlib figure for one analysis' JSON ``data`` (call inside
    ``charts.style()``). Returns (figure, number of items drawn)."""
    from .. import charts

    if kind == "keywords":
        items = [(k.get("term", ""), k.get("score", 0) or 0) for k in data.get("keywords") or []]
        if style == "cloud":
            return charts.cloud_chart(items[:top], title=title or "关键词云"), len(items[:top])
        return (charts.bar_chart(items[:top], title=title or f"关键词（前{top}）",
                                 xlabel="score"), len(items[:top]))
    if kind == "themes":
        from ..report_html import cluster_label, map_points

        clusters = data.get("clusters") or []
        if style == "bar":
            items = [(cluster_label(c), c.get("size", 0) or 0) for c in clusters][:top]
            return (charts.bar_chart(items, title=title or "主题规模", xlabel="documents",
                                     color="#3ca951"), len(items))
        pts = map_points(data)
        return charts.map_chart(pts, title=title or "文档地图"), len(pts)
    if kind == "slogans":
        items = sorted(((s.get("slogan", ""), s.get("count", 0) or 0)
                        for s in data.get("slogans") or []), key=lambda t: (-t[1], t[0]))
        return (charts.bar_chart(items[:top], title=title or f"提法（出现次数前{top}）",
                                 xlabel="count",
                                 color="#ff725c"), len(items[:top]))
    items = [(i.get("indicator", ""), i.get("count", 0)) for i in data.get("indicators") or []]
    return (charts.bar_chart(items[:top], title=title or f"指标（前{top}）", xlabel="count",
                             color="#efb118"), len(items[:top]))


_SECTION = {"keywords": "keywords", "themes": "themes", "slogans": "slogans",
            "numbers": "numbers"}
_STYLES = {"keywords": ("bar", "cloud"), "themes": ("map", "bar"), "slogans": ("bar",),
           "numbers": ("bar",)}


def _run(kind: str, settings, output: str, style: Style | None, top: int,
         title: str | None) -> None:
    with guarded(settings):
        from ..render import Column, Output, Table, _check_not_input, write_atomic
        from .report import _require_font, provider

        fmt = chart_format(output)
        style_name = style.value if style else _STYLES[kind][0]
        if style_name not in _STYLES[kind]:
            raise UsageError(f"--style {style_name}: plot {kind} draws {', '.join(_STYLES[kind])}")
        target = Path(output)
        if target.is_dir():
            raise UsageError(f"--output {output!r}: is a directory")
        _check_not_input(target, settings.paths)
        func, why = provider(_SECTION[kind])
        if func is None:
            raise UsageError(f"plot {kind}: the analysis is not available ({why})")
        _require_font()
        from .. import charts

        seg = segmenter(settings)
        corpus = load(settings)
        data = func(corpus, seg)
        with charts.style():
            fig, n = figure_for(kind, data, style=style_name, top=top, title=title)
            payload = charts.render(fig, fmt)
        write_atomic(target, payload)
        row = {"output": output, "chart": kind, "style": style_name, "format": fmt,
               "items": n, "bytes": len(payload)}
        finish(settings, Output(data=row, records=[row],
                                tables=[Table(title=f"plot {kind}",
                                              columns=[Column(k, k) for k in row], rows=[row])],
                                csv_columns=list(row)))


def _make(kind: str, doc: str):
    def command(
        paths: PathsArg,
        output: ChartOutputOpt,
        style: StyleOpt = None,
        top: TopOpt = 20,
        title: TitleOpt = None,
        user_dict: UserDictOpt = None,
        engine: EngineOpt = DEFAULT_ENGINE,
        no_policy_dict: NoPolicyDictOpt = False,
        fmt: FormatOpt = None,
        encoding: EncodingOpt = None,
        t2s: T2sOpt = False,
        no_split: NoSplitOpt = False,
        max_size: MaxSizeOpt = 256,
        with_errors: WithErrorsOpt = False,
        quiet: QuietOpt = False,
        debug: DebugOpt = False,
    ) -> None:
        settings = _common(paths, output, fmt, encoding, t2s, no_split, max_size, with_errors,
                           quiet, debug, user_dict, engine, no_policy_dict)
        _run(kind, settings, output, style, top, title)

    command.__doc__ = doc + "\n\n--format sets the format of the short summary printed on stdout."
    command.__name__ = f"plot_{kind}"
    return command


plot_app.command("keywords", epilog="Example: policytext plot keywords seeds/ -o kw.png "
                 "--style cloud")(_make(
    "keywords", "Keywords: a bar chart of the top scores, or a keyword cloud (--style cloud)."))
plot_app.command("themes", epilog="Example: policytext plot themes seeds/ -o themes.svg")(_make(
    "themes", "Themes: a 2-D map of the documents coloured by theme, or the theme sizes "
              "(--style bar)."))
plot_app.command("slogans", epilog="Example: policytext plot slogans seeds/ -o slogans.png")(
    _make("slogans", "Slogans (提法): a bar chart of the most frequent ones."))
plot_app.command("numbers", epilog="Example: policytext plot numbers seeds/ -o numbers.png")(
    _make("numbers", "Figures: a bar chart of the indicators met most often."))
