"""Build analysis/resources/idf_gwr.tsv: the built-in background IDF of ``policytext keywords``.

Source: the 43 national government work reports 1954-2015 in ../shared/corpus/gwr (public domain;
see analysis/resources/SOURCES.md). Each report is cut at the Wikisource licence trailer,
converted to simplified Chinese with OpenCC t2s and split into paragraphs at blank lines (a single
newline is not a break: Wikisource puts link texts on lines of their own). A paragraph of at least
30 characters is one document; shorter ones (headings) are left out. Paragraphs are segmented by
policytext's own segmenter (jieba engine, policy dictionary, HMM on: the keywords command's
defaults), so the table's terms are the command's terms. Terms seen in fewer than 2 paragraphs are
left out and take the default IDF. Run from the repository root (about 30 s):

    python benchmarks/tools/build_idf.py --gwr ../shared/corpus/gwr
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

import opencc
from policytext.analysis.idf import build_idf, serialise_idf
from policytext.analysis.segment import Segmenter

TRAILER = "\n本作品是中华人民共和国的"  # Wikisource licence trailer at the end of every report
MIN_CHARS = 30
MIN_DF = 2


def paragraphs(gwr: pathlib.Path) -> list[str]:
    conv = opencc.OpenCC("t2s")
    paths = sorted(gwr.glob("gwr-*.txt"))
    if not paths:
        raise SystemExit(f"no gwr-*.txt in {gwr}")
    out: list[str] = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        cut = text.find(TRAILER)
        if cut >= 0:
            text = text[:cut]
        text = conv.convert(text).replace("\u200d", "")
        for para in re.split(r"\n\s*\n", text):
            para = para.replace("\n", "").strip()
            if len(para) >= MIN_CHARS:
                out.append(para)
    print(f"{len(paths)} reports, {len(out)} paragraphs", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gwr", default="../shared/corpus/gwr")
    ap.add_argument("--out", default="analysis/resources/idf_gwr.tsv")
    args = ap.parse_args()
    seg = Segmenter()
    docs = [seg.cut(p) for p in paragraphs(pathlib.Path(args.gwr))]
    table = build_idf(docs, min_df=MIN_DF)
    comment = (
        "Built by benchmarks/tools/build_idf.py from the 43 national government work reports\n"
        "1954-2015 (public domain; source: aldohemsn/chinese-political-corpora, scraped from\n"
        "Chinese Wikisource; see SOURCES.md). One document = one paragraph of >= 30 characters,\n"
        f"segmented by policytext's jieba engine with the policy dictionary; terms in fewer than\n"
        f"{MIN_DF} paragraphs are left out and take the default."
    )
    pathlib.Path(args.out).write_text(serialise_idf(table, comment=comment), encoding="utf-8")
    print(f"{len(table)} terms from {table.n_docs} paragraphs -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
