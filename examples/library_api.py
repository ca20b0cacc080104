"""Use policytext as a library: read a corpus, walk its articles, find figures and slogans,
and write an HTML report, without the command line.

    python examples/library_api.py [PATHS...] [--report out.html]

Prints one JSON object: per document, its articles, its first figures (with their offsets in
the cleaned text) and its most frequent slogans.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from policytext.analysis.figures import figure_spans
from policytext.analysis.segment import Segmenter
from policytext.analysis.slogans import Lexicon, find_slogans
from policytext.cli import load_corpus

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(HERE.parent / "seeds")])
    parser.add_argument("--report", help="also write a self-contained HTML report here")
    args = parser.parse_args()

    corpus = load_corpus(args.paths)  # bad inputs do not raise: see corpus.errors
    seg = Segmenter()
    result = find_slogans(corpus.documents, Lexicon.from_segmenter(seg),
                          group_of=lambda doc: doc.source)
    out = []
    for doc in corpus.documents:
        figures = []
        for article in doc.articles:
            for offset, piece in doc.pieces(article):
                for start, end in figure_spans(piece):
                    figures.append({"article": article.doc, "text": piece[start:end],
                                    "start": offset + start, "end": offset + end})
        mine = sorted(((dict(s.by_group).get(doc.source, 0), s.slogan) for s in result.slogans),
                      key=lambda t: (-t[0], t[1]))
        out.append({
            "doc": doc.id,
            "source": doc.source,
            "articles": [a.title for a in doc.articles],
            "figures": figures[:5],
            "slogans": [{"slogan": s, "count": c} for c, s in mine[:5] if c],
        })
    print(json.dumps({"documents": out, "errors": corpus.errors}, ensure_ascii=False, indent=2))

    if args.report:
        from policytext.cli.commands.report import collect
        from policytext.cli.report_html import build_html

        report = collect(corpus, seg)  # every analysis this installation has
        Path(args.report).write_text(build_html(report), encoding="utf-8")


if __name__ == "__main__":
    main()
