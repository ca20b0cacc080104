"""Recall and precision of ``policytext slogans`` against the hand-labelled list of the seeds.

    python benchmarks/slogans_quality.py                  # seeds vs tests/data/slogans_gold.json
    python benchmarks/slogans_quality.py --gwr ../shared/corpus/gwr   # + work reports 2013-2015
    python benchmarks/slogans_quality.py --show-misses    # list what was missed / wrong

Scoring. Slogans are compared with 、，; and spaces removed. A gold positive counts as found when
it is a reported slogan or one of its variants. Precision is over the reported slogans that are
labelled (positive or negative) or not labelled at all: an unlabelled slogan counts as wrong, a
neutral one is left out. It is given for the whole table and for its top 30 and top 50 rows.
The script also checks the hard rules: no fragment (no reported occurrence inside another one,
no listed fragment), no quoted speech, no 《》 title reported as a slogan, and the expansions
listed in the gold file. It prints the run time beside plain jieba segmenting the same text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "slogans_gold.json"

# What an informed reader expects from the 2013-2015 national work reports.
GWR_EXPECTED = [
    "四个全面",
    "一带一路",
    "大众创业、万众创新",
    "互联网+",
    "中国制造2025",
    "三农",
    "走出去",
    "营改增",
    "三公",
    "四风",
    "九二共识",
    "三证合一",
    "十二五",
    "一国两制",
    "三个代表",
    "宽带中国",
    "三网融合",
    "沪港通",
    "最后一公里",
    "中国梦",
    "长江经济带",
    "京津冀协同发展",
    "八项规定",
    "简政放权",
    "新常态",
    "约法三章",
    "港人治港",
]


def key(s: str) -> str:
    return re.sub(r"[、，,；;\s“”‘’「」『』]", "", s)


def run(paths, *, t2s=False, examples=3):
    from policytext.analysis.segment import Segmenter
    from policytext.analysis.slogans import Lexicon, find_slogans
    from policytext.cli.corpus import load_corpus

    corpus = load_corpus(paths, t2s=t2s)
    seg = Segmenter()
    seg.cut("预热")  # load the dictionary outside the timing
    t0 = time.perf_counter()
    result = find_slogans(
        corpus.documents, Lexicon.from_segmenter(seg), titles=True, examples=examples
    )
    elapsed = time.perf_counter() - t0
    return corpus, result, elapsed


def plain_jieba_time(corpus) -> float:
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    text = "\n".join(a.text for d in corpus.documents for a in d.articles)
    t0 = time.perf_counter()
    tok.lcut(text)
    return time.perf_counter() - t0


def score(result, gold, *, show: bool) -> dict:
    pos = {key(k): (k, v) for k, v in gold["positive"].items()}
    neg = {key(k) for k in gold["negative"]}
    neu = {key(k) for k in gold["neutral"]}
    slogans = result.slogans
    found_keys = {}
    for s in slogans:
        for form in (s.slogan, *s.variants):
            found_keys.setdefault(key(form), s)
    found = {k for k in pos if k in found_keys}
    recall = len(found) / len(pos)
    by_kind = {}
    for kind in ("numeric", "quoted", "term"):
        ks = [k for k, (_, v) in pos.items() if v == kind]
        by_kind[kind] = (sum(1 for k in ks if k in found), len(ks))
    kind_ok = sum(1 for k in found if found_keys[k].kind == pos[k][1])

    def precision(rows):
        judged = [s for s in rows if key(s.slogan) not in neu]
        good = [s for s in judged if key(s.slogan) in pos]
        return (len(good) / len(judged) if judged else 1.0), judged, good

    p_all, judged, good = precision(slogans)
    p30, *_ = precision(slogans[:30])
    p50, *_ = precision(slogans[:50])
    wrong = [s for s in judged if key(s.slogan) not in pos]
    labelled_wrong = [s for s in wrong if key(s.slogan) in neg]
    # hard rules
    title_keys = {key(t.title) for t in result.titles}
    speech = [s.slogan for s in slogans if s.slogan[-1] in "。！？!?…" or len(s.slogan) > 40]
    titles_as_slogans = [s.slogan for s in slogans if key(s.slogan) in title_keys]
    frag_listed = [f for f, _ in gold["fragments"] if key(f) in {key(s.slogan) for s in slogans}]
    # an occurrence broken across an out-of-order column has no contiguous span: left out
    spans = sorted(
        (e.doc, e.start, e.end, s.slogan)
        for s in slogans
        for e in s.examples
        if e.end - e.start <= len(s.slogan) + 8
    )
    nested = []
    for i, (doc, a, b, name) in enumerate(spans):
        for doc2, c, d, name2 in spans[i + 1 : i + 40]:
            if doc2 != doc or c >= b:
                break
            if (a <= c and d <= b) and (a, b) != (c, d):
                nested.append((name2, name, doc, c))
    exp_ok = []
    for name, needle in gold["expansions"].items():
        s = found_keys.get(key(name))
        exp_ok.append((name, bool(s and s.expansion and needle in s.expansion)))
    out = {
        "slogans": len(slogans),
        "recall": round(recall, 3),
        "recall_by_kind": {k: f"{a}/{b}" for k, (a, b) in by_kind.items()},
        "kind_agreement": round(kind_ok / max(len(found), 1), 3),
        "precision": round(p_all, 3),
        "precision_top30": round(p30, 3),
        "precision_top50": round(p50, 3),
        "judged": len(judged),
        "neutral_reported": len(slogans) - len(judged),
        "wrong_labelled_negative": len(labelled_wrong),
        "wrong_unlabelled": len(wrong) - len(labelled_wrong),
        "speech_reported": speech,
        "titles_reported": titles_as_slogans,
        "fragments_reported": frag_listed,
        "nested_occurrences": len(nested),
        "expansions": f"{sum(ok for _, ok in exp_ok)}/{len(exp_ok)}",
    }
    if show:
        missed = sorted(pos[k][0] for k in pos if k not in found)
        print("missed:", " ".join(missed))
        print("wrong (negative):", " ".join(s.slogan for s in labelled_wrong))
        print("wrong (unlabelled):", " ".join(s.slogan for s in wrong if key(s.slogan) not in neg))
        print("nested:", nested[:20])
        print("expansions:", exp_ok)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--gwr", default=None, help="folder of gwr-YYYY.txt (optional sanity check)")
    ap.add_argument("--years", default="2013,2014,2015")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)

    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    corpus, result, elapsed = run([args.seeds], examples=1000)
    base = plain_jieba_time(corpus)
    report = score(result, gold, show=args.show_misses)
    report["seconds"] = round(elapsed, 2)
    report["ratio_vs_plain_jieba"] = round(elapsed / max(base, 1e-9), 2)
    print("seeds:", json.dumps(report, ensure_ascii=False, indent=1))

    if args.gwr:
        paths = [str(Path(args.gwr) / f"gwr-{y.strip()}.txt") for y in args.years.split(",")]
        corpus, result, elapsed = run(paths, t2s=True)
        names = {key(s.slogan): s for s in result.slogans}
        variants = {key(v): s for s in result.slogans for v in s.variants}
        hits = []
        for want in GWR_EXPECTED:
            s = (
                names.get(key(want))
                or variants.get(key(want))
                or next((x for k, x in names.items() if key(want) in k), None)
            )
            hits.append((want, s.slogan if s else None, s.count if s else 0))
        found = sum(1 for _, s, _ in hits if s)
        print(
            f"gwr {args.years}: {len(result.slogans)} slogans in {elapsed:.2f}s; "
            f"expected formulations found {found}/{len(hits)}"
        )
        for want, got, n in hits:
            print(
                f"  {'+' if got else '-'} {want}"
                + (f" -> {got} ({n})" if got and got != want else (f" ({n})" if got else ""))
            )
        print("  top 40:", " ".join(f"{s.slogan}({s.docs}/{s.count})" for s in result.slogans[:40]))
        speech = [
            s.slogan for s in result.slogans if s.slogan[-1] in "。！？!?…" or len(s.slogan) > 40
        ]
        print("  speech reported:", speech)
    return 0


if __name__ == "__main__":
    sys.exit(main())
