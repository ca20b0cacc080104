"""Build analysis/resources/common_hanzi.txt: the characters that make up policy prose.

The decoder scores a candidate decoding (GB18030 vs Big5) by how much of it is made of these
characters. Source: the 43 national government work reports in ../shared/corpus/gwr (public
domain, see that folder's README), converted to simplified Chinese with OpenCC t2s; the 3,500
most frequent CJK characters, plus their traditional forms (OpenCC s2t) so that Big5 text scores
as well. Run from the repository root:

    python benchmarks/tools/build_common_hanzi.py --gwr ../shared/corpus/gwr
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import re

import opencc

CJK_RE = re.compile("[\u4e00-\u9fff]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gwr", default="../shared/corpus/gwr")
    ap.add_argument("--top", type=int, default=3500)
    ap.add_argument("--out", default="analysis/resources/common_hanzi.txt")
    args = ap.parse_args()
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted(pathlib.Path(args.gwr).glob("gwr-*.txt")):
        counts.update(CJK_RE.findall(t2s.convert(path.read_text(encoding="utf-8"))))
    top = [ch for ch, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]]
    simplified = "".join(sorted(top))
    traditional = "".join(sorted(set(s2t.convert(simplified)) - set(simplified)))
    header = (
        "# The most frequent characters of national policy prose, simplified then the extra\n"
        "# traditional forms. Built by benchmarks/tools/build_common_hanzi.py from the 43 government\n"
        "# work reports 1954-2015 (public domain; source: aldohemsn/chinese-political-corpora,\n"
        "# scraped from Chinese Wikisource), top %d characters after OpenCC t2s.\n" % args.top
    )
    pathlib.Path(args.out).write_text(header + simplified + "\n" + traditional + "\n", encoding="utf-8")
    print(f"{len(simplified)} simplified + {len(traditional)} traditional -> {args.out}")


if __name__ == "__main__":
    main()
