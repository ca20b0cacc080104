"""Quality of ``policytext keywords`` on the seeds (or any inputs), against
``jieba.analyse.extract_tags``.

    python benchmarks/keywords_quality.py                 # the seeds
    python benchmarks/keywords_quality.py PATHS... [--method textrank] [--idf corpus]
    python benchmarks/keywords_quality.py --engine fast   # jieba-rs segmentation and tags

1. **Title-word recall.** For each document (article) with a title, the title's content words
   (the title segmented by policytext, kept by the default keyword filter: no stopword, formula
   verb, number or single character, POS in the default list) are looked up in the document's top
   20 keywords. A title word counts as found when it is a keyword, or one of the tokens of a
   phrase keyword. The figure is found / all title words (micro), and the mean per document
   (macro). The baseline is ``jieba.analyse.extract_tags(article text, topK=20)`` with jieba's
   default dictionary and IDF (a new user's first try), and the same with policytext's policy
   dictionary loaded into its tokenizer (so that a word jieba cannot produce is not held
   against it).
2. **No junk in the corpus top 20.** No bare number or date, no single character, no stopword or
   formula verb, no fragment of a longer policy-dictionary term (a term at least half of whose
   occurrences in the text sit inside a longer dictionary term that contains it, like 营商 in
   营商环境). Printed for ours and for extract_tags over the whole corpus text.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
_NUM_RE = re.compile(
    r"^[\d.,%+\-—～~/:：]+$|^[\d.]+[年月日号%]?$|^\d{4}年?$|^[一二三四五六七八九十百千万亿两]+$"
)


def is_number(term: str) -> bool:
    from policytext.analysis.figures import figure_spans

    return bool(_NUM_RE.match(term)) or figure_spans(term) == [(0, len(term))]


def fragment_of(term: str, text: str, dict_terms: list[str]) -> str | None:
    """The longer dictionary term that holds at least half of ``term``'s occurrences."""
    total = text.count(term)
    if not total:
        return None
    for d in sorted(t for t in dict_terms if term in t and t != term):
        if text.count(d) * d.count(term) * 2 >= total:
            return d
    return None


def junk(terms: list[str], text: str, dict_terms: list[str]) -> dict[str, list[str]]:
    from policytext.analysis.segment import formula_verbs, policy_stopwords

    stop = policy_stopwords() | formula_verbs()
    out: dict[str, list[str]] = {"number/date": [], "single char": [], "stopword/formula verb": [],
                                 "fragment": []}
    for t in terms:
        if is_number(t):
            out["number/date"].append(t)
        if len(t) == 1:
            out["single char"].append(t)
        if t in stop:
            out["stopword/formula verb"].append(t)
        frag = fragment_of(t, text, dict_terms)
        if frag:
            out["fragment"].append(f"{t}<{frag}")
    return out


def title_words(title: str, seg, nouns: frozenset[str]) -> list[str]:
    from policytext.analysis.keywords import DEFAULT_POS
    from policytext.analysis.segment import TokenFilter

    filt = TokenFilter(pos=DEFAULT_POS)
    words = []
    for w, t in seg.tag(title):
        if filt.keep(w, "n" if w in nouns else t) and w not in words:
            words.append(w)
    return words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "seeds")])
    ap.add_argument("--method", default="tfidf")
    ap.add_argument("--idf", default="auto")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--engine", default="jieba", choices=["jieba", "fast"])
    ap.add_argument("--show", action="store_true", help="print each document's lists")
    args = ap.parse_args()

    import jieba
    import jieba.analyse
    from policytext.analysis.keywords import KeywordOptions
    from policytext.analysis.segment import Segmenter, policy_dictionary
    from policytext.cli.commands.keywords import _idf_choice, run
    from policytext.cli.corpus import load_corpus

    jieba.setLogLevel(60)
    corpus = load_corpus(args.paths)
    if corpus.errors:
        sys.exit("\n".join(corpus.errors))
    seg = Segmenter(engine=args.engine)
    dict_terms = [e.word for e in policy_dictionary()]
    nouns = frozenset(dict_terms)
    options = KeywordOptions(method=args.method, top=args.top, per_doc=True)
    data = run(corpus.documents, seg, options, _idf_choice(args.idf))
    ours_by_doc = {d["doc"]: [k["term"] for k in d["keywords"]] for d in data["documents"]}

    plain = jieba.analyse.TFIDF()
    with_dict = jieba.analyse.TFIDF()
    with_dict.tokenizer = jieba.Tokenizer()
    for e in policy_dictionary():
        with_dict.tokenizer.add_word(e.word, e.freq or 20000, e.pos)

    def covered(terms: list[str], phrase_parts: dict[str, tuple[str, ...]]) -> set[str]:
        out = set(terms)
        for t in terms:
            out.update(phrase_parts.get(t, ()))
        return out

    # phrase parts: our phrase terms are runs of our tokens; recover them by segmenting
    def parts(term: str) -> tuple[str, ...]:
        return tuple(seg.cut(term))

    totals = {"ours": [0, 0.0], "extract_tags": [0, 0.0], "extract_tags+dict": [0, 0.0]}
    n_words = n_docs = 0
    for doc in corpus.documents:
        for art in doc.articles:
            if not art.title:
                continue
            words = title_words(art.title, seg, nouns)
            if not words:
                continue
            n_docs += 1
            n_words += len(words)
            ours = ours_by_doc.get(art.doc, [])
            lists = {
                "ours": covered(ours, {t: parts(t) for t in ours}),
                "extract_tags": set(plain.extract_tags(art.text, topK=args.top)),
                "extract_tags+dict": set(with_dict.extract_tags(art.text, topK=args.top)),
            }
            for name, found in lists.items():
                hit = sum(1 for w in words if w in found)
                totals[name][0] += hit
                totals[name][1] += hit / len(words)
            if args.show:
                print(f"{art.doc} {art.title}\n  title words: {words}\n  ours: {ours}\n"
                      f"  extract_tags: {plain.extract_tags(art.text, topK=args.top)}")
    print(f"Title-word recall in the top {args.top} per document ({n_docs} documents with a title, "
          f"{n_words} title words; method {args.method}, --idf {args.idf}, "
          f"--engine {args.engine}):")
    for name, (hits, macro) in totals.items():
        print(f"  {name:<18} micro {hits / max(n_words, 1):.3f} ({hits}/{n_words})   "
              f"macro {macro / max(n_docs, 1):.3f}")

    text = "\n".join(art.text for doc in corpus.documents for art in doc.articles)
    ours_top = [k["term"] for k in data["keywords"]][: args.top]
    theirs_top = plain.extract_tags(text, topK=args.top)
    for name, terms in (("ours", ours_top), ("extract_tags", theirs_top)):
        bad = junk(terms, text, dict_terms)
        n_bad = sum(len(v) for v in bad.values())
        print(f"Corpus top {args.top}, {name}: {n_bad} junk "
              + ("(none)" if not n_bad else "; ".join(f"{k}: {' '.join(v)}" for k, v in bad.items()
                                                        if v)))
        print("  " + " ".join(terms))


if __name__ == "__main__":
    main()
