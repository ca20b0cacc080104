"""Speed and memory of policytext against the plain jieba (+ scikit-learn) baseline, in one run.

It builds scaled corpora from ``seeds/`` in a temporary directory (distinct documents cut from
the seed texts, about 10 KB each unless ``--doc-kb`` says otherwise), then, per corpus, runs
every measured program as a separate process and reads its wall time and peak RSS:

* baseline: ``jieba.lcut`` per document (segmentation), ``jieba.analyse.extract_tags`` per
  document (keywords), jieba + ``TfidfVectorizer`` + ``KMeans`` (cluster);
* raw fast engine: ``rjieba`` over the same texts (the ceiling for ``segment``);
* ``policytext segment`` (read, clean, split, segment, write JSONL) with a cold cache, a warm
  cache, ``--no-cache --jobs 1`` and ``--no-cache --jobs 2``;
* ``policytext keywords`` and ``cluster`` when this build has them (cold and warm cache);
* start-up: ``policytext --help`` and ``--version``;
* where ``segment``'s CPU goes: each stage (read, clean, split, segment, JSON) timed in one
  process, next to the raw engine's cut of the same article texts.

It prints the ratios the targets of issue 7 are stated in. Examples::

    python benchmarks/speed.py --sizes 1 10          # quick: 1 MB and 10 MB
    python benchmarks/speed.py --sizes 10 100        # the targets' corpora
    python benchmarks/speed.py --sizes 100 --docs 10000 --skip-baseline
    python benchmarks/speed.py --sizes 1024 --docs 100000 --scale-only   # 1 GB memory run
    python benchmarks/speed.py --corpus /data/mycorpus --scale-only      # an existing folder

``--scale-only`` skips the baselines, the raw engine and the ``--no-cache`` variants: it runs
``segment`` with a cold then a warm cache, then every analysis (keywords, cluster, slogans,
numbers) once on the warm cache, and checks each peak RSS against ``--budget-mb`` (4,096 MB, the
issue's 4 GB). It is the run that documents the largest corpus.

Sizes are in MB; ``--docs`` sets the number of documents of each corpus (default: size / doc
size). Peak RSS is the largest resident set of the measured process (``--jobs 2`` workers are
separate processes and are reported as the largest of them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
POLICYTEXT = [sys.executable, "-m", "policytext.cli"]


# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------
def build_corpus(dest: Path, size_mb: float, docs: int) -> tuple[int, int]:
    """``docs`` distinct documents totalling about ``size_mb`` MB, in subdirectories of 1,000."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    joined = "\n".join(texts)
    target = int(size_mb * 1024 * 1024)
    per_doc = max(200, target // docs)
    chars = per_doc // 3  # mostly 3-byte CJK in UTF-8
    total = 0
    n = 0
    step = 7919  # a prime: successive documents start at different places
    for i in range(docs):
        start = (i * step) % max(1, len(joined) - chars)
        body = joined[start:start + chars]
        text = f"第{i}号文件\n{body}\n"
        sub = dest / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (sub / f"doc{i:06d}.txt").write_bytes(data)
        total += len(data)
        n += 1
    return n, total


# ---------------------------------------------------------------------------------------------
# Measuring one process
# ---------------------------------------------------------------------------------------------
def measure(cmd: list[str], *, env: dict[str, str] | None = None,
            stdout: str | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of the process. CPU time (user + system,
    the process and the workers it waited for) is reported too because on a shared machine
    wall time also counts other people's work."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if stdout:
        out.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{err[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024, cpu


BASELINE_SEGMENT = r"""
import sys, pathlib, logging, jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    n += len(jieba.lcut(p.read_text(encoding="utf-8")))
print(n)
"""
BASELINE_KEYWORDS = r"""
import sys, pathlib, logging, jieba, jieba.analyse
jieba.setLogLevel(logging.WARNING)
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    jieba.analyse.extract_tags(p.read_text(encoding="utf-8"), topK=20)
"""
BASELINE_CLUSTER = r"""
import sys, pathlib, logging, jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans
jieba.setLogLevel(logging.WARNING)
docs = [" ".join(jieba.lcut(p.read_text(encoding="utf-8")))
        for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))]
X = TfidfVectorizer(token_pattern=r"(?u)\S\S+").fit_transform(docs)
KMeans(n_clusters=8, n_init=3, random_state=0).fit(X)
"""
RAW_FAST = r"""
import sys, pathlib, rjieba
j = rjieba.Jieba()
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    n += len(j.cut(p.read_text(encoding="utf-8"), True))
print(n)
"""


# Where segment's time goes: CPU seconds of each stage of the pipeline, in one process, with the
# raw engine's cut of the very same article texts for scale. It calls the same functions the
# command does, stage by stage, so the sum is close to (a little under) the command's own CPU.
STAGES = r"""
import json, pathlib, sys, time
t0 = time.process_time()
from policytext.analysis import clean
from policytext.analysis.articles import split_articles
from policytext.analysis.decode import decode
from policytext.analysis.segment import Segmenter
seg = Segmenter(engine="fast"); seg.cut("中国")
raw = seg._get_backend()._tok
clock = time.process_time
t = {"start-up (imports, dictionaries)": clock() - t0}
def add(k, v):
    t[k] = t.get(k, 0.0) + v
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    a = clock(); data = p.read_bytes(); text = decode(data, name=p.name).text; b = clock()
    add("read + decode", b - a)
    norm = clean.normalize_unicode(text); meta = clean.extract_metadata(norm)
    cleaned = clean.pipeline(norm); c = clock()
    add("clean", c - b)
    arts = split_articles(cleaned, doc_id=p.stem, source=str(p), meta=meta); d = clock()
    add("split articles", d - c)
    texts = [x.text for x in arts]
    toks = [seg.cut(x) for x in texts]; e = clock()
    add("segment (Segmenter.cut)", e - d)
    lines = [json.dumps({"doc": x.doc, "source": x.source, "title": x.title, "tokens": tk,
                         "text": " ".join(tk)}, ensure_ascii=False) for x, tk in zip(arts, toks)]
    f = clock()
    add("records + JSON", f - e)
    for x in texts:
        raw.cut(x, True)
    add("(raw engine on the same article texts)", clock() - f)
print(json.dumps(t))
"""


def stage_times(corpus: Path) -> dict[str, float]:
    """CPU seconds per stage of ``segment`` (see :data:`STAGES`), in a separate process."""
    out = subprocess.run([sys.executable, "-c", STAGES, str(corpus)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_stages(stages: dict[str, float]) -> None:
    raw = stages.get("(raw engine on the same article texts)", 0.0)
    total = sum(v for k, v in stages.items() if not k.startswith("("))
    print("  where segment's CPU goes (one process, stage by stage):")
    for k, v in stages.items():
        share = f"{v / total:5.0%}" if not k.startswith("(") and total else "     "
        scale = f"{v / raw:5.2f}x raw" if raw else ""
        print(f"    {k:42s} {v:6.2f} s {share} {scale}")
    print(f"    {'total':42s} {total:6.2f} s")


BASELINES = {"keywords": BASELINE_KEYWORDS, "cluster": BASELINE_CLUSTER}
ANALYSES = ("keywords", "cluster", "slogans", "numbers")


def existing_corpus(root: Path) -> tuple[int, int]:
    """(documents, bytes) of the .txt files under ``root``."""
    n = total = 0
    for p in root.rglob("*.txt"):
        n += 1
        total += p.stat().st_size
    return n, total


def scale_run(r: dict, seg: list[str], corpus: Path, env: dict, out: str, args) -> None:
    """segment with a cold then a warm cache, then every analysis once on the warm cache."""
    cache = Path(env["POLICYTEXT_CACHE_DIR"])
    shutil.rmtree(cache, ignore_errors=True)
    r["segment cold cache"] = measure(seg, env=env)
    r["segment warm cache"] = measure(seg, env=env)
    for command in args.commands:
        cmd = [*POLICYTEXT, command, str(corpus), "--format", "json", "-q", "-o",
               out.replace(".jsonl", f".{command}.json"), "--engine", args.engine]
        if command in ("keywords", "cluster"):  # their POS-tagged tokens: cache them first
            r[f"{command} cold cache"] = measure(cmd, env=env)
        r[f"{command} warm cache"] = measure(cmd, env=env)


def report(r: dict, mb: float) -> None:
    for name, (wall, rss, cpu) in r.items():
        print(f"  {name:32s} {wall:8.2f} s  {mb / wall:7.2f} MB/s  cpu {cpu:8.2f} s  "
              f"peak RSS {rss:7.0f} MB", flush=True)


def check_budget(r: dict, budget: float) -> None:
    worst = max(r.items(), key=lambda kv: kv[1][1])
    verdict = "within" if worst[1][1] <= budget else "OVER"
    print(f"  largest peak RSS: {worst[0]} {worst[1][1]:.0f} MB, {verdict} the "
          f"{budget:.0f} MB budget")


def has_command(name: str) -> bool:
    proc = subprocess.run([*POLICYTEXT, name, "--help"], capture_output=True)
    return proc.returncode == 0


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10],
                    help="corpus sizes in MB (default: 1 10)")
    ap.add_argument("--docs", type=int, nargs="+", default=None,
                    help="documents per corpus, one per size (default: size / --doc-kb)")
    ap.add_argument("--doc-kb", type=float, default=10.0, help="document size in KB")
    ap.add_argument("--skip-baseline", action="store_true",
                    help="do not run the jieba baselines (they are slow on 100 MB)")
    ap.add_argument("--baseline-max", type=float, default=None, metavar="MB",
                    help="run the baselines only on corpora up to this size")
    ap.add_argument("--engine", default="fast", choices=["fast", "jieba"])
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpora")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="measure this existing folder instead of building corpora")
    ap.add_argument("--scale-only", action="store_true",
                    help="only segment (cold, warm) and every analysis on the warm cache, with "
                         "peak RSS against --budget-mb")
    ap.add_argument("--budget-mb", type=float, default=4096.0)
    ap.add_argument("--commands", nargs="+", default=list(ANALYSES),
                    help=f"analyses to measure (default: {' '.join(ANALYSES)})")
    args = ap.parse_args()
    docs_list = args.docs or [max(1, int(s * 1024 / args.doc_kb)) for s in args.sizes]
    if len(docs_list) != len(args.sizes):
        ap.error("--docs needs one count per size")
    if args.corpus is not None:
        args.sizes, docs_list = [0.0], [0]

    tmp = Path(tempfile.mkdtemp(prefix="policytext-bench-"))
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, {sys.platform}")
    print(f"workdir: {tmp}")
    try:
        for label, cmd in (("--help", [*POLICYTEXT, "--help"]),
                           ("--version", [*POLICYTEXT, "--version"])):
            best = min(measure(cmd)[0] for _ in range(5))
            print(f"startup   policytext {label:9s} {best:6.2f} s (best of 5)")
        results: dict[float, dict[str, tuple[float, float, float]]] = {}
        for size, ndocs in zip(args.sizes, docs_list, strict=True):
            if args.corpus is not None:
                corpus = args.corpus
                n, nbytes = existing_corpus(corpus)
                size = round(nbytes / 1024 / 1024, 1)
            else:
                corpus = tmp / f"c{size:g}"
                n, nbytes = build_corpus(corpus, size, ndocs)
            mb = nbytes / 1024 / 1024
            print(f"\n== corpus {size:g} MB: {n} documents, {mb:.1f} MB ==")
            cache = tmp / f"cache{size:g}"
            env = {**os.environ, "POLICYTEXT_CACHE_DIR": str(cache)}
            out = str(tmp / "out.jsonl")
            r: dict[str, tuple[float, float, float]] = {}
            seg = [*POLICYTEXT, "segment", str(corpus), "--format", "jsonl", "-o", out, "-q",
                   "--engine", args.engine]
            if args.scale_only:
                scale_run(r, seg, corpus, env, out, args)
                report(r, mb)
                check_budget(r, args.budget_mb)
                results[size] = r
                continue
            r["raw fast engine (rjieba.cut)"] = measure([sys.executable, "-c", RAW_FAST,
                                                         str(corpus)])
            baseline = not args.skip_baseline and (args.baseline_max is None
                                                   or size <= args.baseline_max)
            if baseline:
                r["baseline jieba.lcut"] = measure([sys.executable, "-c", BASELINE_SEGMENT,
                                                    str(corpus)])
            r["segment --no-cache -j1"] = measure([*seg, "--no-cache", "--jobs", "1"], env=env)
            r["segment --no-cache -j2"] = measure([*seg, "--no-cache", "--jobs", "2"], env=env)
            shutil.rmtree(cache, ignore_errors=True)
            r["segment cold cache"] = measure(seg, env=env)
            r["segment warm cache"] = measure(seg, env=env)
            for command in args.commands:
                base = BASELINES.get(command)
                if not has_command(command):
                    print(f"({command}: not in this build; skipped)")
                    continue
                cmd = [*POLICYTEXT, command, str(corpus), "--format", "json", "-q",
                       "--engine", args.engine]
                if baseline and base is not None:
                    r[f"baseline {command}"] = measure([sys.executable, "-c", base, str(corpus)])
                shutil.rmtree(cache, ignore_errors=True)
                r[f"{command} cold cache"] = measure(cmd, env=env)
                r[f"{command} warm cache"] = measure(cmd, env=env)
            report(r, mb)
            print_stages(stage_times(corpus))
            t = {k: v[0] for k, v in r.items()}
            m = {k: v[1] for k, v in r.items()}
            c = {k: v[2] for k, v in r.items()}
            print("  ratios:")
            if "baseline jieba.lcut" in t:
                print(f"    segment cold (-j1, no cache) vs jieba.lcut: "
                      f"{ratio(t['baseline jieba.lcut'], t['segment --no-cache -j1'])} faster, "
                      f"peak RSS {ratio(m['segment --no-cache -j1'], m['baseline jieba.lcut'])}")
            print(f"    segment end-to-end speed / raw fast engine speed: "
                  f"{t['raw fast engine (rjieba.cut)'] / t['segment --no-cache -j1']:.0%} "
                  f"(cpu: {c['raw fast engine (rjieba.cut)'] / c['segment --no-cache -j1']:.0%})")
            if "baseline jieba.lcut" in c:
                print(f"    segment vs jieba.lcut in cpu seconds: "
                      f"{ratio(c['baseline jieba.lcut'], c['segment --no-cache -j1'])} less")
            print(f"    segment cold / warm cache: "
                  f"{ratio(t['segment cold cache'], t['segment warm cache'])} "
                  f"(cpu {ratio(c['segment cold cache'], c['segment warm cache'])})")
            print(f"    segment --jobs 1 / --jobs 2: "
                  f"{ratio(t['segment --no-cache -j1'], t['segment --no-cache -j2'])}")
            for command in args.commands:
                if f"{command} cold cache" in t:
                    print(f"    {command} cold / warm cache: "
                          f"{ratio(t[f'{command} cold cache'], t[f'{command} warm cache'])}")
                    if f"baseline {command}" in t:
                        print(f"    {command} (cold) vs baseline: "
                              f"{ratio(t[f'baseline {command}'], t[f'{command} cold cache'])} "
                              f"faster, peak RSS "
                              f"{ratio(m[f'{command} cold cache'], m[f'baseline {command}'])}")
            results[size] = r
            if not args.keep and args.corpus is None:  # never delete the user's folder
                shutil.rmtree(corpus, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
        sizes = sorted(results)
        key = "segment cold cache" if args.scale_only else "segment --no-cache -j1"
        for small, big in zip(sizes, sizes[1:], strict=False):
            ts, tb = results[small][key][0], results[big][key][0]
            ms, mbig = results[small][key][1], results[big][key][1]
            cs, cb = results[small][key][2], results[big][key][2]
            print(f"\nscaling {small:g} -> {big:g} MB ({big / small:g}x data): segment time "
                  f"{tb / ts:.2f}x (cpu {cb / cs:.2f}x), peak RSS {mbig / ms:.2f}x")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
