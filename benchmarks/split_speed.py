"""CPU time of article splitting (``split_articles``) against the raw fast engine's cut of the
same text, in one run.

It builds the corpus ``benchmarks/speed.py`` builds (distinct documents cut from ``seeds/``),
reads and cleans every document once (not timed), then times, best of ``--repeat``:

* ``split_articles`` over every cleaned document: the code this build ships, and the file given
  with ``--against`` (e.g. an older ``analysis/articles.py``: ``git show
  main:analysis/articles.py > /tmp/old_articles.py``), their runs interleaved;
* ``rjieba.cut`` over the same cleaned texts (the ceiling ``policytext segment`` is measured
  against in issue 7).

Each is timed with its memo caches emptied first ("cold": ``policytext segment`` splits each
document once; the process's one-time costs such as importing numpy or loading a word list are
paid before, on the first document) and with them full ("warm"), best of ``--repeat`` runs of
each, interleaved. CPU time of the process.

Examples::

    python benchmarks/split_speed.py                       # 10 MB, 1,000 documents
    python benchmarks/split_speed.py --size 10 --docs 1000 --against /tmp/old_articles.py
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
    ap.add_argument("--against", metavar="FILE",
                    help="also time this articles.py (e.g. the previous version)")
    ap.add_argument("--repeat", type=int, default=5, help="best of N runs (default 5)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="split_speed_") as tmp:
        folder = args.corpus
        if folder is None:
            folder = Path(tmp)
            speed.build_corpus(folder, args.size, args.docs)
        docs = _cleaned(folder)
    chars = sum(len(t) for _, t, _ in docs)
    implementations = {"installed": _load_articles(None)}
    if args.against:
        implementations[args.against] = _load_articles(args.against)

    def split(articles, cold: bool = False):  # noqa: ANN001, ANN202
        # Cold: the module's memo caches emptied first (not the one-time loads: word lists,
        # tables, whose caches hold one entry).
        caches = [f for f in vars(articles).values()
                  if hasattr(f, "cache_clear") and (f.cache_info().maxsize or 2) > 1]

        def run() -> None:
            if cold:
                for f in caches:
                    f.cache_clear()
            for name, text, meta in docs:
                articles.split_articles(text, doc_id=name, source=name, meta=meta)
        return run

    import rjieba

    def cut() -> None:
        for _, text, _ in docs:
            rjieba.cut(text)

    runs = {name: split(module) for name, module in implementations.items()}
    runs["rjieba.cut"] = cut
    cold_runs = {name: split(module, cold=True) for name, module in implementations.items()}
    cold_runs["rjieba.cut"] = cut
    # One-time costs of a process (importing numpy, loading word lists, rjieba's dictionary)
    # are paid here, on the first document; the first timed run still fills every cache.
    name, text, meta = docs[0]
    for module in implementations.values():
        module.split_articles(text, doc_id=name, source=name, meta=meta)
    rjieba.cut(text)
    cold = dict.fromkeys(runs, float("inf"))
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):  # interleaved: a busy machine slows all of them alike
        for name, run in cold_runs.items():
            cold[name] = min(cold[name], _best(run, 1))
        for name, run in runs.items():
            best[name] = min(best[name], _best(run, 1))
    print(f"documents {len(docs):,}  characters {chars:,}  CPU seconds (best of {args.repeat}), "
          "caches cold / warm")
    for name in runs:
        print(f"  {name:<40} {cold[name]:7.3f} {best[name]:7.3f}")
    for name in implementations:
        print(f"  {name} / rjieba.cut: {cold[name] / cold['rjieba.cut']:.2f} cold, "
              f"{best[name] / best['rjieba.cut']:.2f} warm")
    if args.against:
        print(f"  installed / {args.against}: {cold['installed'] / cold[args.against]:.2f} cold, "
              f"{best['installed'] / best[args.against]:.2f} warm")


if __name__ == "__main__":
    main()
