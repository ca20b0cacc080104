"""HTML main-text extraction: policytext's stdlib extractor against a naive tag strip (and
trafilatura, when it is installed) on government CMS pages built from the seed texts.

For each seed, a page is built twice by tests/builders.py: with the template's class/id names
(``marked``) and without them (``bare``: only structure and wording give the furniture away).
Figures per extractor:

* ``furniture lines``: output lines that hold a string only the template contains (breadcrumb,
  menu, 分享到, 打印本页/关闭窗口, related links, footer, 备案, script text). Lower is better.
* ``body kept``: share of the seed's body characters (non-space) that come out, counted line by
  line (a body line counts when it appears whole in the output). Higher is better.
* ``ms/page``: mean extraction time.

trafilatura runs twice: on the bytes (its own encoding detection) and on text decoded for it.

Run: python benchmarks/html_extractors.py   (from the repository root)
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policytext.analysis.formats import extract_html  # noqa: E402

from tests import builders  # noqa: E402

_TAG_RE = re.compile(r"<[^>]+>")


def naive(data: bytes) -> str:
    """What a quick script does: decode as declared, drop the tags, unescape."""
    text = data.decode("gb18030", errors="replace")
    return html.unescape(_TAG_RE.sub("\n", text))


def ours(data: bytes) -> str:
    return extract_html(data, name="page.html").text


def trafilatura_extract(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, include_tables=True, favor_recall=True) or ""


def trafilatura_decoded(data: bytes) -> str:
    """trafilatura given the text already decoded (so only its extraction is compared)."""
    import trafilatura

    text = data.decode("gb18030")
    return trafilatura.extract(text, include_tables=True, favor_recall=True) or ""


def score(out: str, body: str) -> tuple[int, float]:
    lines = [ln.strip() for ln in out.split("\n") if ln.strip()]
    furniture = sum(1 for ln in lines if any(m in ln for m in builders.BOILERPLATE))
    squashed = re.sub(r"\s+", "", out)
    body_lines = [re.sub(r"\s+", "", ln) for ln in body.split("\n") if ln.strip()]
    total = sum(len(b) for b in body_lines)
    kept = sum(len(b) for b in body_lines if b in squashed)
    return furniture, kept / total if total else 1.0


def main() -> None:
    extractors = {"naive tag strip": naive, "policytext (html.parser)": ours}
    try:
        import trafilatura  # noqa: F401

        extractors["trafilatura (bytes)"] = trafilatura_extract
        extractors["trafilatura (decoded str)"] = trafilatura_decoded
    except ImportError:
        print("(trafilatura not installed: pip install trafilatura to compare it too)\n")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    rows = []
    for name, fn in extractors.items():
        for variant in ("marked", "bare"):
            furniture, kept, seconds, n = 0, 0.0, 0.0, 0
            for seed in seeds:
                text = seed.read_text(encoding="utf-8")
                _, body = builders.body_only(text)
                page = builders.gov_html(text, marked=variant == "marked")
                t0 = time.perf_counter()
                out = fn(page)
                seconds += time.perf_counter() - t0
                f, k = score(out, body)
                furniture += f
                kept += k
                n += 1
            rows.append((name, variant, furniture, kept / n, 1000 * seconds / n))
    print(f"{len(seeds)} seed pages per variant\n")
    print(f"{'extractor':<26} {'page':<7} {'furniture lines':>15} {'body kept':>10} {'ms/page':>8}")
    for name, variant, furniture, kept, ms in rows:
        print(f"{name:<26} {variant:<7} {furniture:>15} {kept:>10.1%} {ms:>8.1f}")
    base = {v: ms for n, v, _, _, ms in rows if n == "naive tag strip"}
    print()
    for name, variant, _, _, ms in rows:
        if name != "naive tag strip":
            print(f"{name} / naive time ({variant}): {ms / base[variant]:.1f}x")


if __name__ == "__main__":
    main()
