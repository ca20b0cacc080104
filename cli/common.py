"""Options shared by every command, messages on stderr, exit codes, and the run wrapper.

Exit codes (documented in the README):

* 0   success
* 1   some inputs failed (each named on stderr); the others were processed
* 2   usage error (bad option, unknown file given to an option)
* 3   every input failed; stdout still holds a valid, empty result
* 4   the output file could not be written
* 70  internal error (a bug: please report it with ``--debug`` output)
* 130 interrupted (Ctrl-C)
* 141 stdout was closed early (``| head``); nothing is printed
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any

import typer
from policytext.analysis.models import InputError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_ALL_FAILED, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE = 70, 130, 141


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Engine(str, Enum):
    jieba = "jieba"
    fast = "fast"


# The default engine, chosen by measurement (benchmarks/speed.py; tests/test_engines.py): on the
# seeds jieba-rs gives the same tokens as jieba (after the parity fixes in analysis/segment.py)
# about 8x faster. Commands write ``engine: EngineOpt = DEFAULT_ENGINE``.
DEFAULT_ENGINE = Engine.fast


class Backend(str, Enum):
    local = "local"
    dask = "dask"


PathsArg = Annotated[
    list[str],
    typer.Argument(help="Files, directories (read recursively) or glob patterns; - reads stdin.",
                   show_default=False),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format [default: table on a terminal, else json].",
                 show_default=False, case_sensitive=False),
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.",
                 metavar="FILE", show_default=False),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or warnings on stderr.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.", hidden=False)]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Force an input encoding (utf-8, gb18030, big5, utf-16…).",
                 show_default=False),
]
T2sOpt = Annotated[bool, typer.Option("--t2s", help="Convert traditional Chinese to simplified.")]
NoSplitOpt = Annotated[bool, typer.Option("--no-split", help="Treat each input file as one document.")]
UserDictOpt = Annotated[
    list[str] | None,
    typer.Option("--user-dict", help="Extra dictionary: one term per line, optional frequency and POS. Repeatable.",
                 metavar="FILE", show_default=False),
]
StopwordsOpt = Annotated[
    list[str] | None,
    typer.Option("--stopwords", help="Extra stopwords, one per line. Repeatable.", metavar="FILE",
                 show_default=False),
]
EngineOpt = Annotated[
    Engine, typer.Option("--engine", help="Segmentation engine.", case_sensitive=False)
]
NoPolicyDictOpt = Annotated[
    bool, typer.Option("--no-policy-dict", help="Segment without the built-in policy dictionary.")
]
MaxSizeOpt = Annotated[
    int, typer.Option("--max-size", help="Largest input accepted, in MB.", min=1)
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", help="Worker processes [default: all cores, for corpora of 64 MB "
                 "or more].", min=1, show_default=False),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Do not read or write the cache of cleaned and "
                       "segmented documents.")
]
BackendOpt = Annotated[
    Backend, typer.Option("--backend", help="Run reading and segmentation here (local) or as "
                          "Dask tasks (dask; needs policytext[dask]).", case_sensitive=False)
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="With --backend dask: the scheduler address "
                 "(tcp://HOST:PORT) [default: a local cluster].", metavar="ADDR",
                 show_default=False),
]
WithErrorsOpt = Annotated[
    bool, typer.Option("--with-errors", help='Also list failed inputs under "errors" in JSON output.')
]


@dataclass
class Settings:
    """Everything a command needs besides its own options."""

    paths: Sequence[str]
    fmt: str | None = None
    output: str | None = None
    quiet: bool = False
    debug: bool = False
    encoding: str | None = None
    t2s: bool = False
    split: bool = True
    user_dicts: Sequence[str] = ()
    stopwords: Sequence[str] = ()
    engine: str = DEFAULT_ENGINE.value
    policy_dict: bool = True
    jobs: int | None = None
    cache: bool = True
    backend: str = "local"
    scheduler: str | None = None
    max_mb: int = 256
    with_errors: bool = False
    failures: list[str] = field(default_factory=list)
    inputs_total: int = 0


# ---------------------------------------------------------------------------------------------
# stderr
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


def error_line(message: str) -> None:
    """One line on stderr, always (even under --quiet): a failed input or a fatal error."""
    from .render import sanitize

    text = "policytext: " + sanitize(message).replace("\n", " ")
    try:
        _stderr_console().print(text, style="red", overflow="ignore", crop=False)
    except Exception:  # stderr itself is broken; nothing left to tell
        pass


def warn(settings: Settings | None, message: str) -> None:
    if settings is not None and settings.quiet:
        return
    from .render import sanitize

    try:
        _stderr_console().print("policytext: warning: " + sanitize(message).replace("\n", " "),
                                style="yellow", overflow="ignore", crop=False)
    except Exception:
        pass


def stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# Loading inputs and building the segmenter
# ---------------------------------------------------------------------------------------------
def _check_encoding(settings: Settings) -> None:
    """An unknown --encoding is a usage error, raised before anything is read or written."""
    if settings.encoding:
        from policytext.analysis.decode import canonical_encoding

        try:
            canonical_encoding(settings.encoding)
        except LookupError:
            raise typer.BadParameter(f"unknown encoding {settings.encoding!r}",
                                     param_hint="--encoding") from None


def load(settings: Settings):
    """Read every input; failed ones are reported on stderr and remembered for the exit code."""
    from .corpus import load_corpus, set_run

    _check_encoding(settings)
    run = run_config(settings)
    set_run(run)  # tokenize() in this run gets the same cache, jobs and backend
    corpus = load_corpus(settings.paths, encoding=settings.encoding, t2s=settings.t2s,
                         split=settings.split, max_bytes=settings.max_mb * 1024 * 1024, run=run)
    for line in corpus.errors:
        error_line(line)
    for line in corpus.warnings:
        warn(settings, line)
    settings.failures = list(corpus.errors)
    settings.inputs_total = corpus.inputs
    return corpus


def stream_inputs(settings: Settings, order: Any = None) -> dict[str, Any]:
    """Set up a run that reads its inputs one document at a time, as :func:`load` does for a
    whole corpus: options are checked before anything is written, --jobs is fixed from the size
    of the corpus once (a stream cannot know it), and the failure list starts empty. Returns the
    keyword arguments of :func:`~.corpus.iter_corpus` / ``iter_tokenized_corpus``; feed each of
    their results to :func:`accept`. ``order`` (a key over input specs) changes the reading
    order; by default it is the sorted sources."""
    from dataclasses import replace

    from .corpus import set_run
    from .inputs import resolve

    _check_encoding(settings)
    specs, errors = resolve(settings.paths)
    if order is not None:
        specs = sorted(specs, key=order)
    run = run_config(settings)
    total = 0
    for spec in specs:
        try:
            total += spec.path.stat().st_size if spec.path is not None else 0
        except OSError:
            pass
    run = replace(run, jobs=run.workers(total))
    set_run(run)
    settings.inputs_total = len(specs) + len(errors)
    settings.failures = []
    return dict(encoding=settings.encoding, t2s=settings.t2s, split=settings.split,
                max_bytes=settings.max_mb * 1024 * 1024, run=run, resolved=(specs, errors))


def accept(settings: Settings, result: tuple) -> bool:
    """One result of a streamed read: True for a document (its warnings are shown), False for
    a failed input (its line goes to stderr and it counts for the exit code)."""
    if result[0] == "ok":
        for line in result[2]:
            warn(settings, line)
        return True
    error_line(result[1])
    settings.failures.append(result[1])
    return False


def exit_for_failures(settings: Settings) -> None:
    """After a streamed output: the exit code the failed inputs deserve (as :func:`finish`)."""
    if settings.failures:
        ok_inputs = settings.inputs_total - len(settings.failures)
        raise typer.Exit(EXIT_ALL_FAILED if ok_inputs <= 0 else EXIT_PARTIAL)


def run_config(settings: Settings):
    """How this run reads and segments: cache, --jobs, backend, progress bar."""
    from .corpus import RunConfig
    from .progress import wanted

    if settings.backend == "dask":
        from .dask_backend import require

        require()
    if settings.scheduler and settings.backend != "dask":
        raise UsageError("--scheduler needs --backend dask")
    return RunConfig(jobs=settings.jobs, cache_root=cache_dir() if settings.cache else None,
                     backend=settings.backend, scheduler=settings.scheduler,
                     progress=wanted(settings.quiet))


def cache_dir() -> str | None:
    """A private (0700) per-user cache directory, or None when none can be made."""
    from platformdirs import user_cache_dir

    path = os.environ.get("POLICYTEXT_CACHE_DIR") or user_cache_dir("policytext", appauthor=False)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
        # Never use a directory someone else owns or a symlink planted in our place.
        if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None
        if st.st_mode & 0o077:
            os.chmod(path, 0o700)
    except OSError:
        return None
    return path


def segmenter(settings: Settings):
    """The segmenter for these settings, with user dictionaries loaded (errors name the file
    and line)."""
    from policytext.analysis.segment import parse_user_dict

    entries = []
    for path in settings.user_dicts or ():
        text = _read_option_file(path, "--user-dict")
        entries.extend(parse_user_dict(text, name=path))
    return _segmenter(settings.engine, settings.policy_dict, tuple(entries), _jieba_cache_dir())


@lru_cache(maxsize=8)
def _segmenter(engine: str, policy_dict: bool, entries: tuple, cache: str | None):
    """One segmenter per configuration and process: building jieba's prefix dictionary and
    loading 1,200 policy terms costs about half a second."""
    from policytext.analysis.segment import Segmenter

    return Segmenter(engine=engine, policy_dict=policy_dict, user_entries=entries, cache_dir=cache)


def extra_stopwords(settings: Settings) -> list[str]:
    from policytext.analysis.segment import parse_word_list

    words: list[str] = []
    for path in settings.stopwords or ():
        words.extend(parse_word_list(_read_option_file(path, "--stopwords"), name=path))
    return words


def _read_option_file(path: str, option: str) -> str:
    from .inputs import read_text_file

    try:
        return read_text_file(path, what=option)
    except InputError as exc:
        raise UsageError(str(exc)) from None


def _jieba_cache_dir() -> str | None:
    base = cache_dir()
    if base is None:
        return None
    path = os.path.join(base, "jieba")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return path


class UsageError(Exception):
    """A bad option value that is only found out when it is used (exit code 2)."""


# ---------------------------------------------------------------------------------------------
# Running a command
# ---------------------------------------------------------------------------------------------
def finish(settings: Settings, out: Any) -> None:
    """Emit the output, then exit with the code the inputs deserve."""
    from .render import choose_format, emit

    fmt = choose_format(settings.fmt, settings.output, stdout_tty=stdout_is_tty())
    if settings.with_errors and isinstance(out.data, dict):
        out.data["errors"] = list(settings.failures)
    emit(out, fmt=fmt, output=settings.output, inputs=settings.paths)
    exit_for_failures(settings)


@contextmanager
def guarded(settings: Settings) -> Iterator[None]:
    """Turn every failure into one line on stderr and a documented exit code."""
    from .render import OutputError

    try:
        yield
    except typer.Exit:
        raise
    except (typer.BadParameter, UsageError) as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except OutputError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_OUTPUT) from None
    except InputError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_OUTPUT if "refusing to overwrite" in str(exc) else EXIT_USAGE) from None
    except KeyboardInterrupt:
        error_line("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(EXIT_PIPE) from None
    except MemoryError:
        error_line("out of memory; try fewer or smaller inputs")
        raise typer.Exit(EXIT_INTERNAL) from None
    except Exception as exc:  # a bug: one line unless --debug
        if settings.debug:
            raise
        error_line(f"internal error: {exc.__class__.__name__}: {exc} (rerun with --debug for details)")
        raise typer.Exit(EXIT_INTERNAL) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def settings_from(paths: Sequence[str], **kw: Any) -> Settings:
    fmt = kw.pop("fmt", None)
    engine = kw.pop("engine", DEFAULT_ENGINE)
    backend = kw.pop("backend", Backend.local)
    if "no_cache" in kw:
        kw["cache"] = not kw.pop("no_cache")
    return Settings(
        paths=list(paths),
        fmt=fmt.value if isinstance(fmt, Enum) else fmt,
        engine=engine.value if isinstance(engine, Enum) else engine,
        backend=backend.value if isinstance(backend, Enum) else backend,
        user_dicts=list(kw.pop("user_dicts", None) or ()),
        stopwords=list(kw.pop("stopwords", None) or ()),
        **kw,
    )




# ---------------------------------------------------------------------------------------------
# Grouping documents for --by
# ---------------------------------------------------------------------------------------------
BY_HELP = (
    "Compare groups of inputs: file, dir (a place, a source), year (from the page's publication "
    "date or a year in the path, e.g. gwr-2015.txt), or FIELD, a metadata field of the inputs "
    "(published, publisher, doc_number, title: kept from HTML pages)."
)


def group_function(by: str):
    """The group of a document for ``--by``: ``file``, ``dir``, ``year`` or a metadata field."""
    import re

    key = by.strip()
    if not key:
        raise UsageError("--by needs file, dir, year or a metadata field name")
    if key == "file":
        return lambda doc: doc.source
    if key == "dir":
        return lambda doc: os.path.dirname(doc.source) or "."
    if key == "year":
        year_re = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")

        def year_of(doc) -> str:
            meta = doc.metadata()
            for text in (meta.get("published", ""), meta.get("written", ""), doc.source):
                m = year_re.search(text)
                if m:
                    return m.group(1)
            return "(no year)"

        return year_of
    return lambda doc: doc.metadata().get(key) or f"(no {key})"
