"""Inputs -> documents -> tokens: the orchestration every command uses.

:func:`load_corpus` reads (through :mod:`.inputs`), decodes, cleans and splits every input;
:func:`tokenize` segments every article. Both keep the input order stable (sorted by source) so
that results never depend on the order files were named in.

Both can use the on-disk cache (:mod:`.cache`) and run over several processes (``--jobs``,
always the ``spawn`` start method so every OS behaves the same) or as Dask tasks
(``--backend dask``, :mod:`.dask_backend`). Work is cut into chunks of documents, the chunks are
processed in any order and their results are put back in input order, so the output is
identical to a one-process run. :func:`iter_corpus` and :func:`iter_tokenize` stream document by
document so memory follows the working set, not the corpus.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

from policytext.analysis.models import Article, Document, InputError, TokenizedArticle
from policytext.analysis.pipeline import ReadOptions, build_document

from .cache import MIN_CACHE_CHARS, Cache, open_cache
from .inputs import DEFAULT_MAX_BYTES, InputSpec, doc_ids, kind_of, read_bytes, resolve

__all__ = ["Corpus", "RunConfig", "load_corpus", "iter_corpus", "tokenize", "iter_tokenize",
           "iter_tokenized_corpus", "set_run", "current_run"]

# A chunk (one task for a worker process or a Dask worker) holds about this much input.
CHUNK_BYTES = 2 * 1024 * 1024
CHUNK_DOCS = 200
# With --jobs left to its default, corpora smaller than this run in one process: starting
# workers (a fresh interpreter each, and the dictionary) costs nearly what it saves. Measured on
# 2 cores: 10 MB ran 1.1x faster on 2 workers than on 1 for 1.5x the CPU, 100 MB 1.3-1.4x faster.
AUTO_PARALLEL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RunConfig:
    """How the work of one run is done. ``jobs=None`` means all cores, but only for corpora of
    at least :data:`AUTO_PARALLEL_BYTES`; an explicit ``jobs`` is obeyed."""

    jobs: int | None = 1
    cache_root: str | None = None
    backend: str = "local"  # "local" | "dask"
    scheduler: str | None = None
    progress: bool = False

    @property
    def cache(self) -> Cache | None:
        return open_cache(self.cache_root)

    def workers(self, total_bytes: int | None = None) -> int:
        if self.jobs is not None:
            return max(1, self.jobs)
        if total_bytes is not None and total_bytes < AUTO_PARALLEL_BYTES:
            return 1
        return cpu_count()


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_ACTIVE: RunConfig | None = None


def set_run(run: RunConfig | None) -> None:
    """Set how this process's CLI run works (``common.load`` does it from the options), so that
    commands calling :func:`tokenize` without a ``run`` get the cache and ``--jobs`` too."""
    global _ACTIVE
    _ACTIVE = run


def current_run() -> RunConfig:
    return _ACTIVE if _ACTIVE is not None else RunConfig()


@dataclass
class Corpus:
    """What :func:`load_corpus` returns: documents in a stable order, plus the inputs that failed
    (one line each) and warnings."""

    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inputs: int = 0

    def articles(self) -> Iterator[Article]:
        for doc in self.documents:
            yield from doc.articles


# ---------------------------------------------------------------------------------------------
# Ordered, bounded parallel map
# ---------------------------------------------------------------------------------------------
_POOLS: dict[int, Any] = {}


def _pool(workers: int):
    pool = _POOLS.get(workers)
    if pool is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers,
                                   mp_context=multiprocessing.get_context("spawn"))
        _POOLS[workers] = pool
    return pool


@atexit.register
def _shutdown_pools() -> None:
    for pool in _POOLS.values():
        pool.shutdown(wait=True, cancel_futures=True)
    _POOLS.clear()


def _imap(func: Callable[..., Any], tasks: Iterable[tuple], run: RunConfig,
          workers: int) -> Iterator[Any]:
    """``func(*task)`` for every task, results in task order, at most a few chunks in flight."""
    if run.backend == "dask":
        from .dask_backend import imap as dask_imap

        yield from dask_imap(func, tasks, scheduler=run.scheduler)
        return
    if workers <= 1:
        for task in tasks:
            yield func(*task) if task is not None else []
        return
    pending: deque = deque()
    window = 2 * workers
    try:
        for task in tasks:
            # A None task (everything answered from the cache) never starts the pool.
            pending.append(_pool(workers).submit(func, *task) if task is not None else None)
            if len(pending) >= window:
                fut = pending.popleft()
                yield fut.result() if fut is not None else []
        while pending:
            fut = pending.popleft()
            yield fut.result() if fut is not None else []
    finally:
        for fut in pending:
            if fut is not None:
                fut.cancel()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def _chunks(items: Sequence[tuple], sizes: Sequence[int]) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    size = 0
    for item, n in zip(items, sizes, strict=True):
        chunk.append(item)
        size += n
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _size(spec: InputSpec) -> int:
    if spec.path is None:
        return 0
    try:
        return spec.path.stat().st_size
    except OSError:
        return 0


def _load_one(item: tuple, options: ReadOptions, max_bytes: int, cache: Cache | None) -> tuple:
    """("ok", document, warnings) or ("err", line) for one (source, path, doc_id, data) item."""
    source, path, doc_id, data = item
    from pathlib import Path

    if isinstance(data, InputError):
        return ("err", str(data))
    spec = InputSpec(source, Path(path) if path is not None else None)
    try:
        if data is None:
            data = read_bytes(spec, max_bytes=max_bytes)
        key = None
        if cache is not None and len(data) >= MIN_CACHE_CHARS:
            key = cache.doc_key(data, doc_id=doc_id, source=source, options_key=options.key())
            hit = cache.get_document(key)
            if hit is not None:
                return ("ok", hit[0], hit[1])
        doc, warnings = build_document(data, doc_id=doc_id, source=source, options=options,
                                       kind=kind_of(spec))
        if key is not None and cache is not None:
            cache.put_document(key, doc, warnings)
        return ("ok", doc, tuple(warnings))
    except InputError as exc:
        return ("err", str(exc))


def _load_chunk(items: list[tuple], options: ReadOptions, max_bytes: int,
                cache_root: str | None) -> list[tuple]:
    cache = open_cache(cache_root)
    return [_load_one(item, options, max_bytes, cache) for item in items]


def _load_tok_chunk(items: list[tuple], options: ReadOptions, max_bytes: int,
                    cache_root: str | None, config: tuple, pos: bool,
                    seg: Any = None) -> list[tuple]:
    """Read and segment a chunk: ("ok", document, warnings, [TokenizedArticle]) or ("err", line)."""
    cache = open_cache(cache_root)
    seg = seg if seg is not None else _worker_segmenter(config)
    fingerprint = seg.fingerprint if cache is not None else ""
    out: list[tuple] = []
    for item in items:
        result = _load_one(item, options, max_bytes, cache)
        if result[0] != "ok":
            out.append(result)
            continue
        doc = result[1]
        out.append((*result, _tokenize_doc(doc, seg, pos, cache, fingerprint)))
    return out


def _tokenize_doc(doc: Document, seg: Any, pos: bool, cache: Cache | None,
                  fingerprint: str, intern: bool = True) -> list[TokenizedArticle]:
    texts = [a.text for a in doc.articles]
    key = None
    items = None
    if cache is not None and len(doc.text) >= MIN_CACHE_CHARS:
        key = cache.tok_key(texts, fingerprint=fingerprint, pos=pos)
        items = cache.get_tokens(key, len(texts))
    if items is None:
        items = _segment_texts(seg, texts, pos)
        if key is not None and cache is not None:
            cache.put_tokens(key, items)
    if not intern:
        return [TokenizedArticle(art, tuple(t), tuple(p) if p is not None else None)
                for art, (t, p) in zip(doc.articles, items, strict=True)]
    return _tokenized(doc.articles, items)


def iter_corpus(
    paths: Iterable[str] | str,
    *,
    encoding: str | None = None,
    t2s: bool = False,
    split: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    run: RunConfig | None = None,
    resolved: tuple[list[InputSpec], list[str]] | None = None,
    segment: tuple[Any, bool] | None = None,
    label: str | None = None,
    intern: bool = True,
) -> Iterator[tuple]:
    """Yield ``("ok", document, warnings)`` or ``("err", line)`` per input, in input order
    (unresolvable paths first), holding only a few chunks of documents at a time.

    With ``segment=(segmenter, pos)`` each ``"ok"`` result also carries the document's
    tokenized articles (read and segmented in the same task: one trip to a worker).
    ``intern=False`` leaves the tokens of cache hits as read: a caller that drops each document
    once it has used it would only pay for interning (3 s of an 11 s warm run on 100 MB)."""
    run = run or RunConfig()
    if isinstance(paths, str | os.PathLike):
        paths = [str(paths)]
    options = ReadOptions(encoding=encoding, t2s=t2s, split=split)
    specs, errors = resolved if resolved is not None else resolve(paths)
    for line in errors:
        yield ("err", line)
    ids = doc_ids(specs)
    items: list[tuple] = []
    sizes: list[int] = []
    for spec in specs:
        data = None
        if spec.path is None:  # stdin is read here: a worker cannot
            try:
                data = read_bytes(spec, max_bytes=max_bytes)
            except InputError as exc:
                data = exc
        if isinstance(data, InputError):
            items.append((spec.source, None, ids[spec.source], data))
            sizes.append(0)
            continue
        items.append((spec.source, str(spec.path) if spec.path is not None else None,
                      ids[spec.source], data))
        sizes.append(_size(spec) if data is None else len(data))
    workers = run.workers(sum(sizes))
    if segment is None:
        func, extra = _load_chunk, ()
    else:
        func, extra = _load_tok_chunk, (_seg_config(segment[0]), segment[1])
    label = label or ("reading" if segment is None else "segmenting")
    cache = run.cache
    fingerprint = segment[0].fingerprint if (cache is not None and segment is not None) else ""
    helds: deque = deque()

    def tasks() -> Iterator[tuple | None]:
        # With a cache, this process answers the hits itself (a warm run starts no worker);
        # only the misses go out, with their bytes already read.
        for chunk in _chunks(items, sizes):
            if cache is None:
                helds.append([None] * len(chunk))
                yield (chunk, options, max_bytes, run.cache_root, *extra)
                continue
            held: list[tuple | None] = []
            misses: list[tuple] = []
            for item in chunk:
                hit, item = _lookup(item, options, max_bytes, cache, segment, fingerprint,
                                    intern)
                held.append(hit)
                if hit is None:
                    misses.append(item)
            helds.append(held)
            yield (misses, options, max_bytes, run.cache_root, *extra) if misses else None

    from .progress import progress

    with progress(run.progress, total=len(items), label=label) as bar:
        for results in _imap(func, tasks(), run, workers):
            held = helds.popleft()
            fresh = iter(results)
            for r in held:
                yield r if r is not None else next(fresh)
            bar.advance(len(held))


def _lookup(item: tuple, options: ReadOptions, max_bytes: int, cache: Cache,
            segment: tuple[Any, bool] | None, fingerprint: str,
            intern: bool = True) -> tuple[tuple | None, tuple]:
    """(the cached result or None, the item with its bytes read)."""
    source, path, doc_id, data = item
    if isinstance(data, InputError):
        return ("err", str(data)), item
    if data is None:
        from pathlib import Path

        try:
            data = read_bytes(InputSpec(source, Path(path)), max_bytes=max_bytes)
        except InputError as exc:
            return ("err", str(exc)), item
        item = (source, path, doc_id, data)
    if len(data) < MIN_CACHE_CHARS:
        return None, item
    hit = cache.get_document(cache.doc_key(data, doc_id=doc_id, source=source,
                                           options_key=options.key()))
    if hit is None:
        return None, item
    doc, warnings = hit
    if segment is None:
        return ("ok", doc, warnings), item
    texts = [a.text for a in doc.articles]
    tokens = None
    if len(doc.text) >= MIN_CACHE_CHARS:
        tokens = cache.get_tokens(cache.tok_key(texts, fingerprint=fingerprint, pos=segment[1]),
                                  len(texts))
    if tokens is None:
        return None, item
    if intern:
        tokenized = _tokenized(doc.articles, tokens)
    else:
        tokenized = [TokenizedArticle(art, t, p)
                     for art, (t, p) in zip(doc.articles, tokens, strict=True)]
    return ("ok", doc, warnings, tokenized), item


def load_corpus(
    paths: Iterable[str] | str,
    *,
    encoding: str | None = None,
    t2s: bool = False,
    split: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    run: RunConfig | None = None,
) -> Corpus:
    """Read, decode, clean and split every input. The Python API behind every command::

        from policytext.cli import load_corpus
        corpus = load_corpus("seeds/")
        for doc in corpus.documents:
            for article in doc.articles:
                print(article.doc, article.title)

    Bad inputs do not raise: each one adds a line to ``corpus.errors``. ``run`` chooses the
    cache and parallelism (default: one process, no cache).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [str(paths)]
    specs, errors = resolve(paths)
    corpus = Corpus(inputs=len(specs) + len(errors))
    for result in iter_corpus(paths, encoding=encoding, t2s=t2s, split=split,
                              max_bytes=max_bytes, run=run, resolved=(specs, errors)):
        if result[0] == "ok":
            corpus.documents.append(result[1])
            corpus.warnings.extend(result[2])
        else:
            corpus.errors.append(result[1])
    return corpus


# ---------------------------------------------------------------------------------------------
# Segmenting
# ---------------------------------------------------------------------------------------------
def _seg_config(seg: Any) -> tuple:
    return (seg.engine, seg.policy_dict, tuple(seg.user_entries), seg.hmm, seg.cache_dir)


@lru_cache(maxsize=4)
def _worker_segmenter(config: tuple):
    from policytext.analysis.segment import Segmenter

    engine, policy_dict, entries, hmm, cache_dir = config
    return Segmenter(engine=engine, policy_dict=policy_dict, user_entries=entries, hmm=hmm,
                     cache_dir=cache_dir)


def _tokenized(articles: Sequence[Article], items: Sequence[tuple]) -> list[TokenizedArticle]:
    """Articles with their tokens, every token and tag interned: a corpus repeats a few tens of
    thousands of words millions of times, and separate string objects for each occurrence
    (from the segmenter, the cache's JSON or a worker's pickle) made keywords on 100 MB peak
    at 3 GB."""
    intern = sys.intern
    return [
        TokenizedArticle(art, tuple(map(intern, t)),
                         tuple(map(intern, p)) if p is not None else None)
        for art, (t, p) in zip(articles, items, strict=True)
    ]


def _segment_texts(seg: Any, texts: Sequence[str], pos: bool) -> list[tuple]:
    out: list[tuple] = []
    tag_lists = getattr(seg, "tag_lists", None) if pos else None
    for text in texts:
        if tag_lists is not None:
            words, tags = tag_lists(text)
            out.append((words, tags))
        elif pos:
            pairs = seg.tag(text)
            out.append((tuple(w for w, _ in pairs), tuple(t for _, t in pairs)))
        else:
            out.append((seg.cut(text), None))
    return out


def _tok_chunk(config: tuple, pos: bool, docs: list[tuple[str | None, list[str]]],
               cache_root: str | None, seg: Any = None) -> list[list[tuple]]:
    """Segment each (cache key, article texts) and store it under its key."""
    seg = seg if seg is not None else _worker_segmenter(config)
    cache = open_cache(cache_root)
    out = []
    for key, texts in docs:
        items = _segment_texts(seg, texts, pos)
        if key is not None and cache is not None:
            cache.put_tokens(key, items)
        out.append(items)
    return out


def iter_tokenize(
    documents: Iterable[Document], seg: Any, *, pos: bool = False, run: RunConfig | None = None,
    total: int | None = None,
) -> Iterator[list[TokenizedArticle]]:
    """The tokenized articles of each document, one list per document, in order."""
    run = run or current_run()
    cache = run.cache
    fingerprint = seg.fingerprint if cache is not None else ""
    if total is None and isinstance(documents, Sequence):
        total = len(documents)
    sized = documents if isinstance(documents, Sequence) else None
    work_bytes = sum(len(d.text) * 3 for d in sized) if sized is not None else None
    workers = run.workers(work_bytes)
    parallel = run.backend == "dask" or workers > 1
    config = _seg_config(seg)

    # Cache hits are answered at once; misses are grouped into chunks for the workers. Both go
    # through one ordered queue, so the output order is the input order.
    def tasks() -> Iterator[tuple]:
        chunk: list[tuple] = []
        held: list[tuple] = []  # (doc, cached items or None)
        size = 0
        for doc in documents:
            texts = [a.text for a in doc.articles]
            key = hit = None
            if cache is not None and len(doc.text) >= MIN_CACHE_CHARS:
                key = cache.tok_key(texts, fingerprint=fingerprint, pos=pos)
                hit = cache.get_tokens(key, len(texts))
            held.append((doc, hit))
            if hit is None:
                chunk.append((key, texts))
                size += len(doc.text) * 3
            # held counts too: on a warm cache every document is a hit, and waiting for a chunk
            # of misses would hold the whole corpus
            if size >= CHUNK_BYTES or len(held) >= CHUNK_DOCS:
                yield held, chunk
                chunk, held, size = [], [], 0
        if held:
            yield held, chunk

    from .progress import progress

    with progress(run.progress, total=total, label="segmenting") as bar:
        if parallel:
            stream = _ordered(tasks(), config, pos, run, workers)
        else:
            stream = ((held, _tok_chunk(config, pos, chunk, run.cache_root, seg) if chunk else [])
                      for held, chunk in tasks())
        for held, results in stream:
            fresh = iter(results)
            for doc, items in held:
                if items is None:
                    items = next(fresh)
                bar.advance(1)
                yield _tokenized(doc.articles, items)


def _ordered(tasks: Iterator[tuple], config: tuple, pos: bool, run: RunConfig,
             workers: int) -> Iterator[tuple]:
    """Send the chunks with misses to the workers; keep each chunk's held documents here."""
    helds: deque = deque()

    def work() -> Iterator[tuple]:
        for held, chunk in tasks:
            helds.append(held)
            yield (config, pos, chunk, run.cache_root) if chunk else None

    for results in _imap(_tok_chunk, work(), run, workers):
        yield helds.popleft(), results


def iter_tokenized_corpus(paths: Iterable[str], seg: Any, *, pos: bool = False,
                          **kw: Any) -> Iterator[tuple]:
    """Like :func:`iter_corpus` (same keywords), but every ``"ok"`` result is
    ``("ok", document, warnings, tokenized_articles)``: reading, cleaning and segmenting one
    chunk is one task, so with ``--jobs`` a document crosses between processes once."""
    if kw.get("run") is not None and kw["run"].workers(0) <= 1 and kw["run"].backend != "dask":
        # one process: use the caller's segmenter rather than building another
        for result in iter_corpus(paths, label="segmenting", **kw):
            if result[0] != "ok":
                yield result
                continue
            run = kw["run"]
            cache = run.cache
            fp = seg.fingerprint if cache is not None else ""
            # One document at a time, dropped once written: interning (for corpora held in
            # memory) would only cost time here.
            yield (*result, _tokenize_doc(result[1], seg, pos, cache, fp, intern=False))
        return
    yield from iter_corpus(paths, segment=(seg, pos), intern=False, **kw)


def tokenize(documents: Sequence[Document], seg, *, pos: bool = False,
             run: RunConfig | None = None, settings: Any = None) -> list[TokenizedArticle]:
    """Segment every article (title, subtitle and body) of every document, in order.

    The cache and ``--jobs`` of the current CLI run apply (``common.load`` sets them); pass
    ``run`` (or the command's ``settings``) to choose explicitly."""
    if run is None and settings is not None:
        from .common import run_config

        run = run_config(settings)
    return list(chain.from_iterable(iter_tokenize(documents, seg, pos=pos, run=run)))
