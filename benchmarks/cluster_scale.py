"""Clustering at scale: time and peak memory, ours vs the plain scikit-learn pipeline.

    python benchmarks/cluster_scale.py [--sizes 1000 10000] [--k 10]

Documents: the seeds' paragraphs (``policytext cluster --unit paragraph``), segmented once;
document i of N is two paragraphs drawn with a fixed random generator, so every size has
varied, realistic documents. Both pipelines get the same pre-segmented documents, so what is
measured is vectorising + clustering (segmentation is the same jieba work for both and is
cached by the corpus layer).

* **plain**: ``TfidfVectorizer`` over all tokens -> ``KMeans(k, n_init="auto", random_state=0)``.
* **ours, k=K**: ``cluster_units`` with ``--k K`` (theme evidence, LSA, KMeans or, above 5,000
  documents, MiniBatchKMeans; plus the stability runs, cluster terms and the 2-D map).
* **ours, k auto**: the default ``--k auto`` (k = 2..16, each scored by silhouette and
  stability across seeds).

Every run is a fresh child process that loads the documents, then (Linux) resets its peak RSS
counter, so "peak MB" is the whole process's peak RSS during vectorising + clustering (Python,
libraries and the loaded documents included) and "+growth" is that peak minus the RSS just
before. Times are wall-clock and CPU (the process's own, which a shared machine disturbs
less); the time ratio is on CPU. Ratios are ours / plain in the same run.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Linux: reset the process's peak RSS (VmHWM) to its current RSS."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def build(n: int, path: Path) -> None:
    from policytext.analysis.cluster import Unit
    from policytext.analysis.segment import Segmenter
    from policytext.cli.commands.cluster import build_units
    from policytext.cli.corpus import load_corpus

    paras = build_units(load_corpus([str(ROOT / "seeds")]).documents, Segmenter(), "paragraph")
    rng = random.Random(0)
    docs = []
    for i in range(n):
        a, b = rng.sample(paras, 2)
        docs.append(Unit(f"d{i:06d}", "synthetic", a.title, 0, len(a.text) + len(b.text) + 1,
                         a.text + "\n" + b.text, a.tokens + b.tokens,
                         (a.pos or ()) + (b.pos or ())))
    path.write_bytes(pickle.dumps(docs))


def child(pipeline: str, data: Path, k: int) -> None:
    # Both pipelines import everything first, so neither time nor memory counts imports.
    import scipy.sparse  # noqa: F401
    import sklearn.decomposition  # noqa: F401
    import sklearn.metrics  # noqa: F401
    import threadpoolctl  # noqa: F401
    from policytext.analysis.cluster import ClusterParams, cluster_units
    from policytext.analysis.themes import builtin_codebook
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    builtin_codebook()
    docs = pickle.loads(data.read_bytes())
    import gc

    gc.collect()
    reset = _reset_peak()
    base = (_status_mb("VmRSS") if reset else None) or _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    if pipeline == "plain":
        X = TfidfVectorizer(analyzer=lambda d: d).fit_transform([d.tokens for d in docs])
        KMeans(n_clusters=k, n_init="auto", random_state=0).fit_predict(X)
        got_k = k
    else:
        params = ClusterParams(k=None if pipeline == "auto" else k)
        got_k = cluster_units(docs, builtin_codebook(), params).k
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = (_status_mb("VmHWM") if reset else None) or _rss_mb()
    result = {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "base_mb": base, "k": got_k}
    print(json.dumps(result))


def run(pipeline: str, data: Path, k: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", pipeline, str(data), "--k", str(k)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--child", nargs=2, metavar=("PIPELINE", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.k)
        return 0
    print(f"{'docs':>6} {'pipeline':14} {'k':>3} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"
          f" {'(+growth)':>10} {'cpu x':>7} {'peak x':>7} {'growth x':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            data = Path(tmp) / f"docs{n}.pkl"
            build(n, data)
            res = {p: run(p, data, args.k) for p in ("plain", "fixed", "auto")}
            plain = res["plain"]
            for p, label in (("plain", "plain"), ("fixed", f"ours, k={args.k}"),
                             ("auto", "ours, k auto")):
                r = res[p]
                grow = r["peak_mb"] - r["base_mb"]
                pgrow = max(plain["peak_mb"] - plain["base_mb"], 1e-9)
                print(f"{n:>6} {label:14} {r['k']:>3} {r['seconds']:>8.2f} {r['cpu']:>8.2f}"
                      f" {r['peak_mb']:>8.1f} {'+' + format(grow, '.1f'):>10}"
                      f" {r['cpu'] / plain['cpu']:>7.2f}"
                      f" {r['peak_mb'] / plain['peak_mb']:>7.2f} {grow / pgrow:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
