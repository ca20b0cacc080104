"""Build analysis/resources/common_words2.txt: two-character words that are common in Chinese.

The article splitter uses it to tell whether a paragraph that stops mid-sentence continues in a
given column: the last character of one and the first of the other should make a word (服|务,
不|仅, 三|年). Source: the dictionary shipped in jieba 0.42.1 (``jieba/dict.txt``, MIT licence),
all two-character CJK entries with frequency >= 200. Run from the repository root:

    python benchmarks/tools/build_common_words.py
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re

import jieba

CJK2 = re.compile("[\u4e00-\u9fff]{2}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-freq", type=int, default=200)
    ap.add_argument("--out", default="analysis/resources/common_words2.txt")
    args = ap.parse_args()
    path = pathlib.Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and CJK2.fullmatch(parts[0]) and int(parts[1]) >= args.min_freq:
            words.add(parts[0])
    header = (
        "# Two-character words from jieba %s dict.txt (MIT licence) with frequency >= %d.\n"
        "# Built by benchmarks/tools/build_common_words.py; used by the article splitter.\n"
        % (jieba.__version__, args.min_freq)
    )
    body = "".join(sorted(words))
    pathlib.Path(args.out).write_text(header + body + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
