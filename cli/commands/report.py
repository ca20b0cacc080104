"""``policytext report``: one self-contained HTML file with every analysis of a corpus.

Each analysis is found at run time: a command module ``policytext.cli.commands.<name>`` that
defines ``report_data(corpus, seg) -> dict`` (its JSON output with default options). A
module that is missing, or has no ``report_data``, gives a section that says the analysis is
not available; the rest of the report is still written.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
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
    warn,
)

app = typer.Typer()

# Report section -> command module that provides ``report_data``.
PROVIDERS = {"keywords": "keywords", "themes": "cluster", "slogans": "slogans",
             "numbers": "numbers"}
_DATE_RE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})(?:\s*[-月./]\s*(\d{1,2}))?")


def provider(section: str) -> tuple[Callable[..., dict] | None, str]:
    """(``report_data`` of the module behind ``section``, or None; why it is missing)."""
    name = PROVIDERS[section]
    try:
        module = importlib.import_module(f"policytext.cli.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith(f"commands.{name}"):
            return None, f"the {name} command is not installed"
        return None, f"the {name} command needs a missing package ({exc.name})"
    func = getattr(module, "report_data", None)
    if not callable(func):
        return None, f"the {name} command does not provide report data"
    return func, ""


def collect(corpus, seg, *, sections=None, on_error: Callable[[str, Exception], None] | None = None,
            debug: bool = False) -> dict[str, Any]:
    """The dict :func:`policytext.cli.report_html.build_html` takes, for ``corpus``."""
    report: dict[str, Any] = {"overview": overview(corpus), "documents": documents(corpus),
                              "notes": {}}
    for section in sections or PROVIDERS:
        func, why = provider(section)
        data = None
        if func is not None:
            try:
                data = func(corpus, seg)
            except Exception as exc:  # one broken analysis must not lose the whole report
                if debug:
                    raise
                why = f"it failed ({exc.__class__.__name__}: {exc})"
                if on_error:
                    on_error(section, exc)
        report[section] = data
        if data is None:
            report["notes"][section] = why
    return report


def date_of(meta: dict[str, str]) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``) from a document's 发布时间 (``published``) metadata."""
    value = meta.get("published") or meta.get("date") or ""
    m = _DATE_RE.search(value)
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    if not 1 <= mo <= 12:
        return None
    return f"{y}-{mo:02d}" + (f"-{int(d):02d}" if d and 1 <= int(d) <= 31 else "")


def documents(corpus) -> list[dict[str, Any]]:
    out = []
    for doc in corpus.documents:
        meta = doc.metadata()
        title = meta.get("title") or next((a.title for a in doc.articles if a.title), "") or doc.id
        out.append({
            "doc": doc.id,
            "source": doc.source,
            "title": title,
            "date": date_of(meta),
            "characters": len(doc.text),
            "articles": [{"doc": a.doc, "title": a.title or a.label or a.doc}
                         for a in doc.articles],
        })
    return out


def overview(corpus, title: str | None = None) -> dict[str, Any]:
    from policytext.cli.app import _version

    dates = sorted(d for d in (date_of(doc.metadata()) for doc in corpus.documents) if d)
    return {
        "title": title or "policytext report",
        "generator": f"policytext {_version()}",
        "files": len({doc.source for doc in corpus.documents}),
        "documents": len(corpus.documents),
        "articles": sum(len(doc.articles) for doc in corpus.documents),
        "characters": sum(len(doc.text) for doc in corpus.documents),
        "dates": [dates[0], dates[-1]] if dates else None,
    }


def summary_output(path: str, size: int, report: dict[str, Any], charts: int):
    """What is printed on stdout: where the report went and which sections it has."""
    from ..render import Column, Output, Table

    ov = report["overview"]
    rows = [{"section": s, "available": report.get(s) is not None,
             "note": report["notes"].get(s, "")} for s in PROVIDERS]
    data = {"output": path, "bytes": size, "charts": charts, "files": ov["files"],
            "documents": ov["documents"], "articles": ov["articles"],
            "characters": ov["characters"], "dates": ov["dates"], "sections": rows}
    return Output(
        data=data,
        records=[{"output": path, **r} for r in rows],
        tables=[Table(title=f"{path}: {size} bytes, {ov['documents']} documents",
                      columns=[Column("section", "section"), Column("available", "available"),
                               Column("note", "note", max_width=60)], rows=rows)],
        csv_columns=["output", "section", "available", "note"],
    )


ReportOutputOpt = Annotated[
    str, typer.Option("--output", "-o", help="The HTML file to write (atomically).",
                      metavar="FILE", show_default=False),
]


@app.command(
    "report",
    epilog="Example: policytext report seeds/ -o report.html --title 湖南政策文本",
)
def report_cmd(
    paths: PathsArg,
    output: ReportOutputOpt,
    title: Annotated[str | None, typer.Option("--title", help="The report's title.",
                                              show_default=False)] = None,
    max_docs: Annotated[int, typer.Option("--max-docs", min=0,
                                          help="Documents shown in the per-document section.")
                        ] = 500,
    no_charts: Annotated[bool, typer.Option("--no-charts", help="Tables only (no matplotlib).")
                         ] = False,
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
    """Write one self-contained HTML report (no network, charts inline): corpus overview,
    keywords (bar chart and cloud), themes (sizes, terms, 2-D map of the documents), slogans,
    figures, and a section per document. Analyses not installed are named in the report.
    --format sets the format of the short summary printed on stdout."""
    settings = settings_from(paths, fmt=fmt, output=None, encoding=encoding, t2s=t2s,
                             split=not no_split, user_dicts=user_dict, engine=engine,
                             policy_dict=not no_policy_dict, max_mb=max_size,
                             with_errors=with_errors, quiet=quiet, debug=debug)
    with guarded(settings):
        from pathlib import Path

        from ..render import _check_not_input, write_atomic
        from ..report_html import build_html

        target = Path(output)
        if output == "-" or target.is_dir():
            raise UsageError(f"--output {output!r}: give the path of an .html file")
        _check_not_input(target, settings.paths)
        if not no_charts:
            _require_font()
        seg = segmenter(settings)
        corpus = load(settings)
        report = collect(corpus, seg, debug=debug,
                         on_error=lambda s, exc: warn(settings, f"{s}: analysis failed: {exc}"))
        report["overview"] = {**report["overview"], **({"title": title} if title else {})}
        text = build_html(report, charts=not no_charts, max_docs=max_docs)
        write_atomic(target, text)
        charts = text.count('src="data:image/')
        finish(settings, summary_output(output, len(text.encode("utf-8")), report, charts))


def _require_font() -> None:
    """Fail early (exit 2, one line naming what to install) without matplotlib or a CJK
    font."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError("charts need matplotlib: pip install 'policytext[report]' "
                         "(or use --no-charts)") from None
    from ..fonts import FontNotFound, find_cjk_font

    try:
        find_cjk_font()
    except FontNotFound as exc:
        raise UsageError(str(exc)) from None
