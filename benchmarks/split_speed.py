"""CPU time of article splitting (``split_articles``) against the raw fast engine's cut of the
same text, in one run.

It builds the corpus ``benchmarks/speed.py`` builds (distinct documents cut from ``seeds/``),
reads and cleans every document once (not timed), then times, best of ``--repeat``:

* ``split_articles`` over every cleaned document (the code this build ships, or the file given
  with ``--articles``, e.g. an older ``analysis/articles.py`` to compare against);
* ``rjieba.cut`` over the same cleaned texts (the ceiling ``policytext segment`` is measured
  against in issue 7).

Examples::

    python benchmarks/split_speed.py                       # 10 MB, 1,000 documents
    python benchmarks/split_speed.py --size 10 --docs 1000 --articles /tmp/old_articles.py
    python benchmarks/split_speed.py --corpus DIR          # an existing folder of .txt files
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import speed  # noqa: E402


def _load_articles(path: str | None):  # noqa: ANN202
    if path is None:
        from policytext.analysis import articles

        return articles
    # Loaded inside the package so that its relative imports resolve.
    import policytext.analysis  # noqa: F401

    spec = importlib.util.spec_from_file_location("policytext.analysis._bench_articles", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _cleaned(folder: Path) -> list[tuple[str, str, dict[str, str]]]:
    from policytext.analysis import clean

    out = []
    for path in sorted(folder.rglob("*.txt")):
        text = clean.normalize_unicode(path.read_text(encoding="utf-8"))
        meta = clean.extract_metadata(text)
        out.append((path.name, clean.pipeline(text), meta))
    return out


def _best(fn, repeat: int) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=10, help="corpus size in MB (default 10)")
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--corpus", type=Path, help="an existing folder instead of a built corpus")
    ap.add_argument("--articles", help="time this articles.py file instead of the installed one")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="split_speed_") as tmp:
        folder = args.corpus
        if folder is None:
            folder = Path(tmp)
            speed.build_corpus(folder, args.size, args.docs)
        docs = _cleaned(folder)
    articles = _load_articles(args.articles)
    chars = sum(len(t) for _, t, _ in docs)

    def split() -> None:
        for name, text, meta in docs:
            articles.split_articles(text, doc_id=name, source=name, meta=meta)

    import rjieba

    def cut() -> None:
        for _, text, _ in docs:
            rjieba.cut(text)

    split()  # warm the caches a long run has warm too (resources, regexes)
    cut()
    t_split = _best(split, args.repeat)
    t_cut = _best(cut, args.repeat)
    print(f"documents {len(docs):,}  characters {chars:,}  ({args.articles or 'installed'})")
    print(f"split_articles CPU  {t_split:7.3f} s")
    print(f"rjieba.cut CPU      {t_cut:7.3f} s")
    print(f"split / cut         {t_split / t_cut:7.2f}")


if __name__ == "__main__":
    main()
