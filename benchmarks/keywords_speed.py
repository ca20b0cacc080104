"""Speed of ``policytext keywords`` against ``jieba.analyse.extract_tags`` on the same documents.

    python benchmarks/keywords_speed.py                  # seeds replicated to about 10 MB
    python benchmarks/keywords_speed.py --mb 2 --engine fast

The seeds are copied into a temporary folder until it holds about ``--mb`` MB (each copy a file
of its own, so the article count grows with it). Then, on the same machine in the same run:

* **ours**: the real command line, ``policytext keywords DIR --per-doc -f json -o FILE`` in a
  subprocess (start-up, reading, cleaning, splitting, POS tagging, phrases, TF-IDF, per-document
  lists and JSON included);
* **baseline**: in one process, jieba's initialisation, then reading every file, splitting it
  into the same articles (policytext's own splitter, timed separately and left out of the
  baseline so that both sides see the same documents) and ``jieba.analyse.extract_tags(text,
  topK=20)`` on each article.

It prints both wall-clock times and their ratio (ours / baseline). No timing is asserted.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def replicate(target: pathlib.Path, mb: float) -> tuple[int, int]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    size = sum(p.stat().st_size for p in seeds)
    copies = max(1, round(mb * 1024 * 1024 / size))
    for i in range(copies):
        for p in seeds:
            shutil.copyfile(p, target / f"c{i:03d}_{p.name}")
    return copies, copies * size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--engine", default="jieba", choices=["jieba", "fast"])
    ap.add_argument("--method", default="tfidf", choices=["tfidf", "textrank"])
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="kwspeed-") as tmp:
        data = pathlib.Path(tmp) / "corpus"
        data.mkdir()
        copies, nbytes = replicate(data, args.mb)
        out = pathlib.Path(tmp) / "out.json"
        env = dict(os.environ, POLICYTEXT_CACHE_DIR=str(pathlib.Path(tmp) / "cache"))
        # ours
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "policytext.cli", "keywords", str(data), "--per-doc",
             "--engine", args.engine, "--method", args.method, "-f", "json", "-o", str(out), "-q"],
            capture_output=True, text=True, env=env,
        )
        ours = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"policytext keywords failed ({proc.returncode}): {proc.stderr[-500:]}")

        # the same articles for the baseline (splitting timed apart)
        from policytext.cli.corpus import load_corpus

        t0 = time.perf_counter()
        corpus = load_corpus([str(data)])
        texts = [a.text for d in corpus.documents for a in d.articles]
        split_time = time.perf_counter() - t0

        import jieba
        import jieba.analyse

        jieba.setLogLevel(60)
        t0 = time.perf_counter()
        jieba.initialize()
        for text in texts:
            jieba.analyse.extract_tags(text, topK=20)
        base = time.perf_counter() - t0

    print(f"input: seeds x {copies} = {nbytes / 1e6:.1f} MB, {len(texts)} articles")
    print(f"policytext keywords --per-doc --engine {args.engine} --method {args.method}: "
          f"{ours:.1f} s (whole CLI run)")
    print(f"jieba.analyse.extract_tags per article: {base:.1f} s "
          f"(+ {split_time:.1f} s reading and splitting, not counted)")
    print(f"ratio ours / extract_tags: {ours / base:.2f}x")


if __name__ == "__main__":
    main()
