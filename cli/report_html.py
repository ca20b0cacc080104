"""The HTML report as a pure function: result dicts in, one self-contained HTML string out.

No network: no script, no CDN, no external font or stylesheet; charts are inline data URIs
(SVG with text drawn as paths, so the CJK glyphs show without the font on the viewer's
machine); a Content-Security-Policy forbids every fetch. Everything that comes from a
document is escaped with :func:`html.escape`, since documents are untrusted input.

Input (every key optional except ``overview``)::

    {"overview": {"title", "generator", "files", "documents", "articles", "characters",
                  "dates": [first, last] | None},
     "documents": [{"doc", "source", "title", "date", "characters",
                    "articles": [{"doc", "title"}]}],
     "keywords": {...} | None,   # policytext keywords' JSON
     "themes": {...} | None,     # policytext cluster's JSON
     "slogans": {...} | None,    # policytext slogans' JSON (by_group per source if present)
     "numbers": {...} | None,    # policytext numbers' JSON
     "notes": {section: why it is missing}}
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = ["build_html", "SECTIONS"]

SECTIONS = ("keywords", "themes", "slogans", "numbers")
SECTION_TITLES = {
    "keywords": "关键词 Keywords",
    "themes": "主题 Themes",
    "slogans": "提法 Slogans",
    "numbers": "数字 Figures",
}

CSS = """
body{font-family:policytext-cjk,"Noto Sans SC","Noto Sans CJK SC","Source Han Sans SC",
"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;color:#222;
background:#fafafa}
header{background:#1f3a68;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.8;font-size:13px}
nav{padding:8px 28px;background:#e9eef6;font-size:14px}nav a{margin-right:16px;color:#1f3a68}
main{padding:8px 28px 40px;max-width:1200px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:12px 18px;margin:16px 0}
h2{font-size:18px;border-bottom:2px solid #1f3a68;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f5f9}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:8px 0}figure img{width:100%;max-width:900px;height:auto}
.na{color:#8a6d00;background:#fff8e0;padding:8px;border-radius:4px}
.muted{color:#777;font-size:12px}.ctx{color:#555}
.doc{border-top:1px solid #ddd;padding-top:8px;margin-top:12px}
.tags span{display:inline-block;background:#eef2fa;border-radius:3px;padding:1px 6px;margin:2px;
font-size:13px}
"""


def e(value: Any) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any, digits: int = 3) -> str:
    if isinstance(value, bool) or value is None:
        return e(value if value is not None else "")
    if isinstance(value, float):
        return e(f"{value:.{digits}f}".rstrip("0").rstrip(".") if value == value else "")
    return e(value)


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: set[int] = frozenset(),
           raw: set[int] = frozenset()) -> str:
    """A table; cells are escaped unless their column index is in ``raw`` (already HTML)."""
    out = ["<table><thead><tr>", *(f"<th>{e(h)}</th>" for h in headers), "</tr></thead><tbody>"]
    n = 0
    for row in rows:
        n += 1
        cells = []
        for i, cell in enumerate(row):
            text = cell if i in raw else (_num(cell) if i in numeric else e(cell))
            cells.append(f'<td class="n">{text}</td>' if i in numeric else f"<td>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    if n == 0:
        out.append(f'<tr><td colspan="{len(headers)}" class="muted">（无）</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _img(data: bytes, fmt: str, alt: str) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    b64 = base64.b64encode(data).decode("ascii")
    return f'<figure><img alt="{e(alt)}" src="data:{mime};base64,{b64}"></figure>'


def _unavailable(name: str, notes: Mapping[str, str]) -> str:
    why = notes.get(name) or "not available in this installation"
    return f'<p class="na">The {e(name)} analysis is not available: {e(why)}.</p>'


def _join(items: Iterable[Any]) -> str:
    return "、".join(str(x) for x in items)


def _index(records: Iterable[Mapping[str, Any]], doc_ids: set[str]) -> dict[str, list]:
    """Records by the document they belong to: ``doc`` is a document id or an article id
    (``<doc id>#<n>``)."""
    out: dict[str, list] = {}
    for r in records:
        s = "" if r.get("doc") is None else str(r.get("doc"))
        key = s if s in doc_ids else s.rsplit("#", 1)[0]
        out.setdefault(key, []).append(r)
    return out


class _Charts:
    """Draws the charts (matplotlib) or, when ``enabled`` is False, draws nothing (fast
    tests of the HTML alone)."""

    def __init__(self, enabled: bool, fmt: str = "svg") -> None:
        self.enabled = enabled
        self.fmt = fmt
        self.count = 0

    def draw(self, make: Callable[[], Any], alt: str) -> str:
        if not self.enabled:
            return ""
        from . import charts

        with charts.style():
            data = charts.render(make(), self.fmt)
        self.count += 1
        return _img(data, self.fmt, alt)


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------
def _overview(ov: Mapping[str, Any]) -> str:
    dates = ov.get("dates")
    date_text = f"{dates[0]} – {dates[1]}" if dates else "unknown (no 发布时间 in the inputs)"
    rows = [
        ("files", ov.get("files", 0)),
        ("documents", ov.get("documents", 0)),
        ("articles", ov.get("articles", 0)),
        ("characters", ov.get("characters", 0)),
        ("date range", date_text),
    ]
    return '<section id="overview"><h2>概况 Corpus overview</h2>' + _table(
        ["", "value"], rows) + "</section>"


def _keywords(data: Mapping[str, Any], charts: _Charts) -> str:
    kws = list(data.get("keywords") or [])
    out = []
    out.append(charts.draw(lambda: _c().bar_chart(
        [(k.get("term", ""), k.get("score", 0) or 0) for k in kws[:20]],
        title="关键词（前20）", xlabel="score"), "keyword bar chart"))
    out.append(charts.draw(lambda: _c().cloud_chart(
        [(k.get("term", ""), k.get("score", 0) or 0) for k in kws[:60]],
        title="关键词云"), "keyword cloud"))
    rows = []
    for k in kws[:50]:
        tops = "; ".join(str(t.get("doc", "")) for t in (k.get("top_docs") or [])[:3])
        rows.append((k.get("term"), k.get("score"), k.get("tf"), k.get("df"), tops))
    out.append(_table(["term", "score", "tf", "df", "top documents"], rows, numeric={1, 2, 3}))
    if len(kws) > 50:
        out.append(f'<p class="muted">{len(kws) - 50} more keywords in the JSON output.</p>')
    return "".join(out)


def cluster_id(c: Mapping[str, Any]) -> Any:
    """A cluster's id: ``cluster`` or ``id`` (both spellings are accepted)."""
    return c.get("cluster", c.get("id"))


def theme_name(value: Any) -> str:
    """A theme given as a name or as ``{"id", "name", "score"}``."""
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("id") or "")
    return "" if value is None else str(value)


def cluster_label(c: Mapping[str, Any]) -> str:
    return str(c.get("name") or theme_name(c.get("theme")) or f"#{cluster_id(c)}")


def map_points(data: Mapping[str, Any]) -> list[tuple[float, float, str, str]]:
    """(x, y, title, cluster label) of every document placed on the 2-D map."""
    names = {str(cluster_id(c)): cluster_label(c) for c in data.get("clusters") or []}
    return [
        (float(d["x"]), float(d["y"]), str(d.get("title") or d.get("doc") or ""),
         names.get(str(d.get("cluster")), theme_name(d.get("theme")) or "（未归类）"))
        for d in data.get("documents") or []
        if isinstance(d.get("x"), (int, float)) and isinstance(d.get("y"), (int, float))
    ]


def _themes(data: Mapping[str, Any], charts: _Charts) -> str:
    clusters = list(data.get("clusters") or [])
    out = []
    out.append(charts.draw(lambda: _c().bar_chart(
        [(cluster_label(c), c.get("size", 0) or 0) for c in clusters[:20]],
        title="主题规模", xlabel="documents", color="#3ca951"), "theme sizes"))
    points = map_points(data)
    out.append(charts.draw(lambda: _c().map_chart(points, title="文档地图（2-D）"),
                           "document map"))
    rows = [(cluster_id(c), cluster_label(c), theme_name(c.get("theme")), c.get("size"),
             _join((c.get("terms") or [])[:12])) for c in clusters]
    out.append(_table(["cluster", "name", "theme", "size", "terms"], rows, numeric={0, 3}))
    return "".join(out)


def _slogans(data: Mapping[str, Any], charts: _Charts) -> str:
    items = list(data.get("slogans") or [])
    by_count = sorted(((s.get("slogan", ""), s.get("count", 0) or 0) for s in items),
                      key=lambda t: (-t[1], t[0]))
    out = [charts.draw(lambda: _c().bar_chart(
        by_count[:20], title="提法（出现次数前20）", xlabel="count", color="#ff725c"),
        "slogans chart")]
    rows = []
    for s in items[:200]:
        ex = (s.get("examples") or [{}])[0] or {}
        ctx = f"{ex.get('context', '')} [{ex.get('doc', '')}:{ex.get('start', '')}]" if ex else ""
        variants = [v for v in (s.get("variants") or []) if v != s.get("slogan")]
        rows.append((s.get("slogan"), s.get("kind"), s.get("count"), s.get("docs"),
                     _join(variants), s.get("expansion") or "", ctx))
    out.append(_table(["slogan", "kind", "count", "docs", "variants", "expansion",
                       "first context"], rows, numeric={2, 3}))
    if len(items) > 200:
        out.append(f'<p class="muted">{len(items) - 200} more slogans in the JSON output.</p>')
    return "".join(out)


def _numbers(data: Mapping[str, Any], charts: _Charts) -> str:
    nums = list(data.get("numbers") or [])
    inds = list(data.get("indicators") or [])
    out = [charts.draw(lambda: _c().bar_chart(
        [(i.get("indicator", ""), i.get("count", 0) or 0) for i in inds[:20]],
        title="指标（前20，按出现次数）", xlabel="count", color="#efb118"), "indicators chart")]
    out.append("<h3>Indicators</h3>")
    out.append(_table(["indicator", "count", "docs", "values"],
                      [(i.get("indicator"), i.get("count"), i.get("docs"),
                        _join((i.get("values") or [])[:8])) for i in inds[:100]],
                      numeric={1, 2}))
    out.append("<h3>Figures</h3>")
    rows = [(n.get("text"), n.get("indicator"), n.get("value"), n.get("unit"), n.get("kind"),
             n.get("period") or "", n.get("context"), f"{n.get('doc', '')}:{n.get('start', '')}")
            for n in nums[:300]]
    out.append(_table(["figure", "indicator", "value", "unit", "kind", "period", "context",
                       "where"], rows, numeric={2}))
    if len(nums) > 300:
        out.append(f'<p class="muted">{len(nums) - 300} more figures in the JSON output.</p>')
    return "".join(out)


def _per_document(report: Mapping[str, Any], max_docs: int) -> str:
    docs = list(report.get("documents") or [])
    kw_docs = list((report.get("keywords") or {}).get("documents") or [])
    th_docs = list((report.get("themes") or {}).get("documents") or [])
    slogans = list((report.get("slogans") or {}).get("slogans") or [])
    numbers = list((report.get("numbers") or {}).get("numbers") or [])
    ids = {str(d.get("doc", "")) for d in docs}
    kw_by, th_by, num_by = _index(kw_docs, ids), _index(th_docs, ids), _index(numbers, ids)
    out = ['<section id="documents"><h2>逐篇 Per document</h2>']
    for i, d in enumerate(docs[:max_docs]):
        doc_id = str(d.get("doc", ""))
        out.append(f'<div class="doc" id="doc-{i}"><h3>{e(d.get("title") or doc_id)}</h3>')
        meta = f"{d.get('source', '')} · {d.get('characters', 0)} characters"
        if d.get("date"):
            meta += f" · {d.get('date')}"
        out.append(f'<p class="muted">{e(meta)}</p>')
        arts = d.get("articles") or []
        if len(arts) > 1:
            out.append("<p><b>Articles:</b> " + e(_join(a.get("title") or a.get("doc")
                                                         for a in arts)) + "</p>")
        if report.get("keywords") is not None:
            lines = []
            for k in kw_by.get(doc_id, ()):
                terms = "".join(f"<span>{e(t.get('term', ''))}</span>"
                                for t in (k.get("keywords") or [])[:10])
                lines.append(f"<li>{e(k.get('title') or k.get('doc'))}: "
                             f'<span class="tags">{terms}</span></li>')
            out.append("<p><b>Keywords:</b></p><ul>" + ("".join(lines) or "<li>（无）</li>")
                       + "</ul>")
        if report.get("themes") is not None:
            names = {str(cluster_id(c)): cluster_label(c)
                     for c in (report.get("themes") or {}).get("clusters") or []}
            themes = [theme_name(t.get("theme")) or names.get(str(t.get("cluster")), "")
                      for t in th_by.get(doc_id, ())]
            themes = [t for t in themes if t]
            seen = sorted(set(themes), key=themes.index)
            out.append(f"<p><b>Theme:</b> {e(_join(seen) or '（无）')}</p>")
        if report.get("slogans") is not None:
            found = _slogans_of(slogans, d)
            out.append("<p><b>Slogans:</b> " + (
                '<span class="tags">' + "".join(f"<span>{e(s)} ×{c}</span>" for s, c in found[:30])
                + "</span>" if found else "（无）") + "</p>")
        if report.get("numbers") is not None:
            mine = num_by.get(doc_id, [])
            out.append("<p><b>Figures:</b></p>" + _table(
                ["figure", "indicator", "context"],
                [(n.get("text"), n.get("indicator"), n.get("context")) for n in mine[:30]]))
            if len(mine) > 30:
                out.append(f'<p class="muted">{len(mine) - 30} more figures.</p>')
        out.append("</div>")
    if len(docs) > max_docs:
        out.append(f'<p class="muted">{len(docs) - max_docs} more documents not shown '
                   "(raise --max-docs).</p>")
    out.append("</section>")
    return "".join(out)


def _slogans_of(slogans: Sequence[Mapping[str, Any]],
                d: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(slogan, count in this document): from ``by_group`` keyed by source when present, else
    from the examples."""
    source, doc_id = str(d.get("source", "")), str(d.get("doc", ""))
    found: list[tuple[str, int]] = []
    for s in slogans:
        by = s.get("by_group")
        if isinstance(by, Mapping):
            c = by.get(source) or 0
        else:
            c = sum(1 for x in s.get("examples") or []
                    if str(x.get("doc")) == doc_id or str(x.get("doc")).startswith(doc_id + "#"))
        if c:
            found.append((str(s.get("slogan", "")), int(c)))
    found.sort(key=lambda t: (-t[1], t[0]))
    return found


def _c():
    from . import charts

    return charts


# ---------------------------------------------------------------------------------------------
def build_html(report: Mapping[str, Any], *, charts: bool = True, max_docs: int = 500,
               chart_format: str = "svg", embed_font: bool = True) -> str:
    """The whole report as one HTML string (see the module docstring for ``report``).

    ``embed_font``: embed the CJK font, cut down to the characters the page uses (a few
    hundred KB), so its text shows on a machine without a CJK font; skipped quietly when no
    font or no fontTools is at hand (the viewer's fonts are used)."""
    ov = report.get("overview") or {}
    notes = report.get("notes") or {}
    drawer = _Charts(charts, chart_format)
    title = ov.get("title") or "policytext report"
    body = [
        f"<header><h1>{e(title)}</h1><p>{e(ov.get('generator') or 'policytext')}</p></header>",
        '<nav><a href="#overview">概况</a>'
        + "".join(f'<a href="#{s}">{e(SECTION_TITLES[s])}</a>' for s in SECTIONS)
        + '<a href="#documents">逐篇</a></nav><main>',
        _overview(ov),
    ]
    builders = {"keywords": _keywords, "themes": _themes, "slogans": _slogans,
                "numbers": _numbers}
    for name in SECTIONS:
        body.append(f'<section id="{name}"><h2>{e(SECTION_TITLES[name])}</h2>')
        data = report.get(name)
        body.append(_unavailable(name, notes) if data is None else builders[name](data, drawer))
        body.append("</section>")
    body.append(_per_document(report, max_docs))
    body.append("</main></body></html>\n")
    body_text = "".join(body)
    font_css = _font_css(title + html.unescape(_TAG_RE.sub(" ", body_text))) if embed_font else ""
    head = [
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; font-src data:; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{font_css}{CSS}</style></head><body>",
    ]
    return "".join(head) + body_text


_TAG_RE = re.compile(r"<[^>]*>")


def _font_css(text: str) -> str:
    from .fonts import FontNotFound, font_face_css

    try:
        return font_face_css(text)
    except (FontNotFound, ImportError):
        return ""
