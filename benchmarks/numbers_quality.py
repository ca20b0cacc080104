"""Quality of ``policytext numbers`` against the hand-checked figures of the seeds, beside a
plain-jieba baseline (POS ``m`` tokens), on the same text in the same run.

    python benchmarks/numbers_quality.py                 # scores, ours vs baseline
    python benchmarks/numbers_quality.py --show-misses   # list misses and wrong fields
    python benchmarks/numbers_quality.py --gwr /work/shared/corpus/gwr   # + 2015 work report

Splits. ``dev`` figures (seeds 001, 002, 003) were drafted from an early run of the extractor
and corrected by hand, so span and value scores on them flatter it; ``heldout`` figures (seed
000, article 0) were annotated by reading the text alone and are the honest measure.

``--gwr DIR`` adds an unseen document: the first 49 figures of the 2015 national government work
report (benchmarks/data/numbers_gwr2015_gold.json), annotated by reading alone before the
extractor was ever run on that report.

Scoring. Only the regions the gold file lists are scored (seed 002's main plan, the first
articles of seeds 001 and 003). Spans are matched two ways: *exact* (same start and end) and
*overlap* (a predicted span that shares a character with a gold span, one to one, in text
order). On overlap-matched pairs the script scores the value (the exact decimal string), value
with unit, qualifier, indicator (exact, and *partial*: one contains the other) and kind; an
indicator is only scored where the gold gives one.

Baseline. Plain jieba (``jieba.posseg``, no policy dictionary) over the same article pieces;
every ``m`` token is a figure span; its value is what the numeral parser makes of the token
with a trailing %/multiplier; its unit is ``%`` or the following ``q`` token; its indicator is
the nearest noun token before it in the same clause; its kind is ``achievement`` (the majority
class). Figures in the baseline are thus *given* our exact numeral parser, so its value score
measures span choice, not arithmetic.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "numbers_gold.json"
GWR_GOLD = ROOT / "benchmarks" / "data" / "numbers_gwr2015_gold.json"


def load_gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def ours(documents, regions) -> list[dict]:
    from policytext.analysis.numbers import scan_document

    out = []
    for d in documents:
        if d.id not in regions:
            continue
        lo, hi = regions[d.id]
        for f in scan_document(d):
            if lo <= f.start < hi:
                out.append(
                    {
                        "doc": d.id,
                        "start": f.start,
                        "end": f.end,
                        "text": f.text,
                        "indicator": f.indicator,
                        "value": f.value,
                        "unit": f.unit,
                        "qualifier": f.qualifier,
                        "kind": f.kind,
                    }
                )
    return out


_BOUND = set("，,；;。：:！？!?\n、")


def baseline(documents, regions) -> list[dict]:
    import jieba
    import jieba.posseg as pseg
    from policytext.analysis.numerals import decimal_str, parse_number

    jieba.setLogLevel(60)
    out = []
    for d in documents:
        if d.id not in regions:
            continue
        lo, hi = regions[d.id]
        seen = set()
        for art in d.articles:
            for offset, piece in d.pieces(art):
                pairs = [(p.word, p.flag) for p in pseg.cut(piece)]
                pos = 0
                spans = []
                for w, f in pairs:
                    spans.append((pos, pos + len(w), w, f))
                    pos += len(w)
                for i, (s, e, w, f) in enumerate(spans):
                    if f != "m" or not (lo <= offset + s < hi) or (offset + s) in seen:
                        continue
                    seen.add(offset + s)
                    unit = ""
                    core = w
                    if core.endswith("%"):
                        unit, core = "%", core[:-1]
                    elif i + 1 < len(spans) and spans[i + 1][3] == "q":
                        unit = spans[i + 1][2]
                    v = parse_number(core)
                    indicator = None
                    for j in range(i - 1, -1, -1):
                        tok = spans[j]
                        if any(ch in _BOUND for ch in tok[2]):
                            break
                        if tok[3].startswith("n"):
                            indicator = tok[2]
                            break
                    out.append(
                        {
                            "doc": d.id,
                            "start": offset + s,
                            "end": offset + e,
                            "text": w,
                            "indicator": indicator,
                            "value": decimal_str(v) if v is not None else None,
                            "unit": unit,
                            "qualifier": None,
                            "kind": "actual",
                        }
                    )
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _match_overlap(pred: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    pairs = []
    used: set[int] = set()
    by_doc: dict[str, list[tuple[int, dict]]] = {}
    for i, p in enumerate(pred):
        by_doc.setdefault(p["doc"], []).append((i, p))
    for g in gold:
        best = None
        for i, p in by_doc.get(g["doc"], []):
            if i in used or p["end"] <= g["start"] or p["start"] >= g["end"]:
                continue
            ov = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if best is None or ov > best[0]:
                best = (ov, i, p)
        if best is not None:
            used.add(best[1])
            pairs.append((best[2], g))
    return pairs


def _norm_ind(s: str | None) -> str:
    return re.sub(r"[“”\"'、\s]", "", s or "")


def score(pred: list[dict], gold: list[dict]) -> dict:
    gold_keys = {(g["doc"], g["start"], g["end"]) for g in gold}
    exact_tp = sum(1 for p in pred if (p["doc"], p["start"], p["end"]) in gold_keys)
    pairs = _match_overlap(pred, gold)
    n = len(pairs) or 1
    with_ind = [(p, g) for p, g in pairs if g["indicator"]]
    ni = len(with_ind) or 1
    return {
        "pred": len(pred),
        "gold": len(gold),
        "exact": _prf(exact_tp, len(pred), len(gold)),
        "overlap": _prf(len(pairs), len(pred), len(gold)),
        "value": sum(p["value"] == g["value"] for p, g in pairs) / n,
        "value_unit": sum(p["value"] == g["value"] and p["unit"] == g["unit"] for p, g in pairs)
        / n,
        "qualifier": sum((p["qualifier"] or None) == (g["qualifier"] or None) for p, g in pairs)
        / n,
        "indicator": sum(
            _norm_ind(p["indicator"]) == _norm_ind(g["indicator"]) for p, g in with_ind
        )
        / ni,
        "indicator_partial": sum(
            bool(p["indicator"])
            and (
                _norm_ind(g["indicator"]) in _norm_ind(p["indicator"])
                or _norm_ind(p["indicator"]) in _norm_ind(g["indicator"])
            )
            for p, g in with_ind
        )
        / ni,
        "kind": sum(p["kind"] == g["kind"] for p, g in pairs) / n,
        "pairs": pairs,
    }


def _row(name: str, s: dict) -> str:
    ep, er, ef = s["exact"]
    op, orr, of = s["overlap"]
    return (
        f"{name:<10} {s['pred']:>5} {ep:>7.3f} {er:>7.3f} {ef:>7.3f}"
        f" {op:>7.3f} {orr:>7.3f} {of:>7.3f}"
        f" {s['value']:>7.3f} {s['value_unit']:>7.3f} {s['qualifier']:>7.3f}"
        f" {s['indicator']:>7.3f} {s['indicator_partial']:>7.3f} {s['kind']:>7.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="list misses and wrong fields")
    ap.add_argument("--gwr", metavar="DIR", help="also score gwr-2015.txt from this directory")
    args = ap.parse_args(argv)

    from policytext.cli.corpus import load_corpus

    gold_file = load_gold()
    regions = {k: tuple(v) for k, v in gold_file["regions"].items()}
    gold = gold_file["figures"]
    corpus = load_corpus([str(ROOT / "seeds")])
    docs = [d for d in corpus.documents if d.id in regions]

    t0 = time.perf_counter()
    pred = ours(docs, regions)
    t_ours = time.perf_counter() - t0
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.perf_counter()
    base = baseline(docs, regions)
    t_base = time.perf_counter() - t0

    s_ours, s_base = score(pred, gold), score(base, gold)
    print(f"gold: {len(gold)} figures in {len(regions)} seed regions")
    print(
        f"{'system':<10} {'pred':>5} {'ex.P':>7} {'ex.R':>7} {'ex.F1':>7} {'ov.P':>7} {'ov.R':>7}"
        f" {'ov.F1':>7} {'value':>7} {'val+u':>7} {'qual':>7} {'ind':>7} {'ind~':>7} {'kind':>7}"
    )
    print(_row("numbers", s_ours))
    print(_row("jieba-m", s_base))
    print(
        "value/unit/qualifier/indicator/kind are accuracies over overlap-matched figures; "
        "ind~ = partial indicator match"
    )
    print(f"time: numbers {t_ours:.3f}s, jieba posseg {t_base:.3f}s (ratio {t_ours / t_base:.2f})")
    for split in ("dev", "heldout"):
        sdocs = {x["doc"] for x in gold if x.get("split") == split}
        g = [x for x in gold if x.get("split") == split]
        print(f"split {split} ({len(g)} gold figures in {', '.join(sorted(sdocs))}):")
        print(_row("numbers", score([x for x in pred if x["doc"] in sdocs], g)))
        print(_row("jieba-m", score([x for x in base if x["doc"] in sdocs], g)))

    if args.gwr:
        gg = json.loads(GWR_GOLD.read_text(encoding="utf-8"))
        gdoc = load_corpus([str(Path(args.gwr) / gg["file"])]).documents[0]
        gregions = {gdoc.id: tuple(gg["region"])}
        ggold = [{**f, "doc": gdoc.id} for f in gg["figures"]]
        g_ours, g_base = ours([gdoc], gregions), baseline([gdoc], gregions)
        print(f"unseen: {gg['file']} ({len(ggold)} gold figures, annotated before any run):")
        s_g = score(g_ours, ggold)
        print(_row("numbers", s_g))
        print(_row("jieba-m", score(g_base, ggold)))
        if args.show_misses:
            _show(s_g, g_ours, ggold)

    if args.show_misses:
        _show(s_ours, pred, gold)
    return 0


def _show(s_ours: dict, pred: list[dict], gold: list[dict]) -> None:
    if True:
        matched = {id(g) for _, g in s_ours["pairs"]}
        print("\nmissed:")
        for g in gold:
            if id(g) not in matched:
                print(f"  {g['doc']}:{g['start']} {g['text']} ({g['indicator']})")
        got = {id(p) for p, _ in s_ours["pairs"]}
        print("\nspurious:")
        for p in pred:
            if id(p) not in got:
                print(f"  {p['doc']}:{p['start']} {p['text']} ({p['indicator']})")
        print("\nwrong fields:")
        for p, g in s_ours["pairs"]:
            diffs = [
                f"{k}: {p[k]!r} != {g[k]!r}"
                for k in ("text", "value", "unit", "qualifier", "indicator", "kind")
                if (p[k] or None) != (g[k] or None)
            ]
            if diffs:
                print(f"  {g['doc']}:{g['start']} {g['text']}: " + "; ".join(diffs))


if __name__ == "__main__":
    sys.exit(main())
