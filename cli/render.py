"""The one module that writes results: ``table`` (rich), ``json``, ``jsonl`` or ``csv``.

Every command builds an :class:`Output` (a JSON value with a fixed key order, flat records for
JSONL/CSV, and table specs for the terminal) and calls :func:`emit`. ``-o FILE`` is written
atomically: a temporary file in the same directory, then a rename, so an interrupted run never
leaves half a file, and an input file is never overwritten.

Streaming: an :class:`Output` may hold its main list as :class:`Each` (an iterable consumed once,
written record by record) and values known only afterwards as :class:`Later` (computed when the
writer reaches them, after everything before them in ``data`` has been written). ``emit`` then
writes through a :class:`Sink` as it goes, so memory follows the working set, not the corpus;
the bytes are exactly those the same values would give as plain lists.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from policytext.analysis.models import InputError

__all__ = ["FORMATS", "Column", "Table", "Output", "Each", "Later", "Sink", "emit", "choose_format",
           "sanitize", "OutputError"]

FORMATS = ("table", "json", "jsonl", "csv")
# ANSI CSI/OSC escape sequences and C0/C1 control characters (newline and tab survive).
_ESCAPE_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


class OutputError(Exception):
    """The output could not be written (exit code 4)."""


def _cannot_write(path: Any, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot write ({exc.strerror or exc.__class__.__name__})")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    justify: str = "left"
    max_width: int | None = None
    no_wrap: bool = False


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    caption: str = ""


@dataclass
class Output:
    """A command's result in every shape the renderer needs.

    ``data`` is the JSON document (its key order is the documented order), ``records`` are flat
    rows for JSONL and CSV, ``tables`` are what a terminal shows, and ``text`` (optional) is a
    plain-text rendering some commands offer (``segment``'s space-joined tokens).
    """

    data: Any
    records: list[dict[str, Any]] | Each = field(default_factory=list)
    # A list, or (streamed outputs) a function of the records, called once they are all read.
    tables: list[Table] | Callable[[list[dict[str, Any]]], list[Table]] = field(
        default_factory=list)
    csv_columns: Sequence[str] | None = None

    @property
    def streamed(self) -> bool:
        return (isinstance(self.records, Each) or callable(self.tables)
                or (isinstance(self.data, dict) and _has_lazy(self.data)))


class Each:
    """A JSON list of objects produced by an iterable and written one at a time; it can be
    consumed only once. In ``data`` it renders exactly as the list would (``[]`` when empty)."""

    def __init__(self, items: Iterable[dict[str, Any]]) -> None:
        self._items: Iterable[dict[str, Any]] | None = items

    def __iter__(self) -> Iterator[dict[str, Any]]:
        items, self._items = self._items, None
        if items is None:
            raise RuntimeError("a streamed list can be read only once")
        return iter(items)


class Later:
    """A value of ``data`` computed when it is needed (after the keys before it are written),
    once: typically a summary of the streamed records. The function may return an :class:`Each`."""

    _UNSET = object()

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._value: Any = Later._UNSET

    def get(self) -> Any:
        if self._value is Later._UNSET:
            self._value = self._compute()
        return self._value


def _has_lazy(value: dict[str, Any]) -> bool:
    return any(isinstance(v, (Each, Later)) or (isinstance(v, dict) and _has_lazy(v))
               for v in value.values())


def sanitize(value: Any, *, limit: int | None = None) -> str:
    """Text safe for a terminal: no escape sequences, no control characters, optionally cut."""
    s = "" if value is None else str(value)
    s = _ESCAPE_RE.sub("", s)
    s = _CONTROL_RE.sub("", s)
    s = s.replace("\ud800", "\ufffd") if "\ud800" in s else s
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def choose_format(fmt: str | None, output: str | None, *, stdout_tty: bool) -> str:
    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in ("json", "jsonl", "csv"):
            return suffix
        if suffix == "ndjson":
            return "jsonl"
        return "json"
    return "table" if stdout_tty else "json"


def _dump(value: Any, indent: int) -> str:
    """JSON with objects and lists of objects indented, lists of scalars on one line."""
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {_dump(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(not isinstance(v, (dict, list, tuple)) or
               (isinstance(v, (list, tuple))
                and all(not isinstance(x, (dict, list, tuple)) for x in v))
               for v in value):
            return json.dumps(list(value), ensure_ascii=False, separators=(", ", ": "),
                              allow_nan=False)
        return "[\n" + ",\n".join(pad + _dump(v, indent + 1) for v in value) + "\n" + end + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _json(data: Any) -> str:
    return _dump(data, 0) + "\n"


def _write_json(value: Any, indent: int, write: Callable[[str], Any]) -> None:
    """:func:`_dump` that writes as it goes, through :class:`Each` and :class:`Later` values."""
    if isinstance(value, Later):
        value = value.get()
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, Each):
        first = True
        for item in value:
            if not isinstance(item, dict):  # _dump would put a list of scalars on one line
                raise TypeError("a streamed list holds JSON objects")
            write(("[\n" if first else ",\n") + pad + _dump(item, indent + 1))
            first = False
        write("[]" if first else "\n" + end + "]")
    elif isinstance(value, dict) and _has_lazy(value):
        write("{\n")
        for i, (k, v) in enumerate(value.items()):
            write(("" if i == 0 else ",\n") + pad + json.dumps(str(k), ensure_ascii=False) + ": ")
            _write_json(v, indent + 1, write)
        write("\n" + end + "}")
    else:
        write(_dump(value, indent))


def _jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    for r in records:
        yield json.dumps(r, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(_jsonl_lines(records))


def _csv_cell(value: Any, *, neutralize: bool) -> str:
    if value is None:
        s = ""
    elif isinstance(value, bool):
        s = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        s = " | ".join(_csv_cell(v, neutralize=False) for v in value)
    elif isinstance(value, dict):
        s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        s = str(value)
    if neutralize and s.startswith(_CSV_DANGEROUS) and not _NUMBER_RE.fullmatch(s):
        # CSV injection: a spreadsheet must not read it as a formula. A plain number (-3.5)
        # stays a number; anything else that starts like a formula gets a leading apostrophe.
        s = "'" + s
    return s


def _csv_lines(records: Iterable[dict[str, Any]], columns: Sequence[str] | None, *,
               for_file: bool) -> Iterator[str]:
    """The rows of :func:`_csv` one at a time (the first one starts with the BOM for a file)."""
    records = iter(records)
    first: list[dict[str, Any]] = []
    if columns:
        cols = list(columns)
    else:
        first = [r for r in [next(records, None)] if r is not None]
        cols = list(first[0].keys()) if first else []
    # The writer quotes a cell that holds a character of its line terminator, so it always gets
    # "\r\n": CR and LF inside cells are quoted (with "\n" a bare CR went out unquoted and
    # broke the row). stdout then ends each row with LF; breaks inside quoted cells stay.
    end = "\r\n" if for_file else "\n"
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")

    def line(row: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        return buf.getvalue()[:-2] + end

    yield ("\ufeff" if for_file else "") + line([_csv_cell(c, neutralize=True) for c in cols])
    for r in chain(first, records):
        yield line([_csv_cell(r.get(c), neutralize=True) for c in cols])


def _csv(records: Iterable[dict[str, Any]], columns: Sequence[str] | None, *,
         for_file: bool) -> str:
    """CSV for a spreadsheet. A file (``-o x.csv``) is UTF-8 with a BOM and CRLF line ends, which
    Excel needs to read Chinese and rows correctly; stdout is plain UTF-8 with LF for pipes.
    Both neutralise formula-like cells (see :func:`_csv_cell`)."""
    return "".join(_csv_lines(records, columns, for_file=for_file))


def _render_tables(out: Output, stream: Any) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=False)
    for t in out.tables:
        table = RichTable(title=Text(sanitize(t.title)),
                          caption=Text(sanitize(t.caption)) if t.caption else None,
                          show_lines=False, expand=False)
        for c in t.columns:
            table.add_column(Text(sanitize(c.header)), justify=c.justify, max_width=c.max_width,
                             no_wrap=c.no_wrap, overflow="fold")
        for row in t.rows:
            table.add_row(*[Text(sanitize(_csv_cell(row.get(c.key), neutralize=False),
                                          limit=(c.max_width or 200) * 4)) for c in t.columns])
        console.print(table)


def _check_not_input(path: Path, inputs: Sequence[str]) -> None:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return
    for src in inputs:
        if src == "-":
            continue
        try:
            same = Path(src).resolve() == target
        except (OSError, RuntimeError):
            continue
        if same:
            raise InputError(f"{path}: refusing to overwrite an input file")


def share(fd: int, path: Path) -> None:
    """Give a temporary output file (``mkstemp`` makes it private, 0600) the mode a plain write
    of ``path`` would: the existing file's, or 0666 less the umask. Outputs are meant to be
    shared; only the cache stays private."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text or bytes) to ``path`` the way every output is written: see
    :class:`Sink`."""
    with Sink(str(path), binary=isinstance(data, bytes)) as sink:
        sink.write(data)


def render(out: Output, fmt: str, *, for_file: bool = False) -> str:
    if fmt == "json":
        return _json(out.data)
    if fmt == "jsonl":
        return _jsonl(out.records)
    if fmt == "csv":
        return _csv(out.records, out.csv_columns, for_file=for_file)
    raise ValueError(fmt)


def _is_special(path: Path) -> bool:
    """A device, pipe or socket (``/dev/null``, a FIFO, ``/dev/stdout``): written in place.
    A temporary file renamed over it would replace the device node itself."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not path.is_dir():
            return True
    except (OSError, ValueError):
        return False
    parts = Path(os.path.abspath(path)).parts
    return len(parts) > 1 and parts[1] in ("dev", "proc")


class Sink:
    """Where an output goes: stdout, or ``-o FILE``. A file is written to a temporary file in
    the target's directory (with the mode a plain write would give, see :func:`share`) and
    renamed into place only when the ``with`` block ends without an exception; on any failure
    nothing is left behind and an existing file is untouched. A symlinked target is written
    through (the link stays a link); a device, pipe or socket (``/dev/null``, a FIFO) is written
    in place. An input file is never overwritten. Errors are :class:`OutputError` (exit 4)::

        with Sink(settings.output, settings.paths) as out:
            out.write(text)
    """

    def __init__(self, output: str | None, inputs: Sequence[str] = (), *,
                 binary: bool = False) -> None:
        self.output = output if output and output != "-" else None
        self.inputs = inputs
        self.binary = binary
        self._fh: Any = None
        self._tmp: str | None = None
        self._target: str | None = None

    def __enter__(self) -> Sink:
        if self.output is None:
            return self
        path = Path(self.output)
        _check_not_input(path, self.inputs)
        if path.is_dir():
            raise OutputError(f"{path}: is a directory")
        mode = "wb" if self.binary else "w"
        text_args = {} if self.binary else {"encoding": "utf-8", "newline": ""}
        if _is_special(path):
            try:
                self._fh = open(path, mode, **text_args)  # noqa: SIM115 (closed in __exit__)
            except OSError as exc:
                raise _cannot_write(path, exc) from None
            return self
        try:
            target = Path(os.path.realpath(path))
        except (OSError, ValueError):
            target = path
        self._target = str(target)
        directory = str(target.parent) if str(target.parent) else "."
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=directory)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        try:
            share(fd, target)
            self._fh = os.fdopen(fd, mode, **text_args)
        except BaseException:
            os.close(fd)
            self._discard()
            raise
        return self

    def write(self, data: str | bytes) -> None:
        if self._fh is None:
            if isinstance(data, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data)
            return
        try:
            self._fh.write(data)
        except OSError as exc:  # a full disk: say so as an output error, not a crash
            raise _cannot_write(self.output, exc) from None

    def _discard(self) -> None:
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._fh is None:
            if exc_type is None:
                sys.stdout.flush()
            return
        try:
            if exc_type is None:
                self._fh.flush()
                if self._tmp is not None:
                    os.fsync(self._fh.fileno())
            self._fh.close()
            if exc_type is None and self._tmp is not None:
                os.replace(self._tmp, self._target)
                self._tmp = None
        except OSError as err:
            if exc_type is None:
                raise _cannot_write(self.output, err) from None
        finally:
            self._discard()


def _emit_streamed(out: Output, fmt: str, output: str | None, inputs: Sequence[str]) -> None:
    to_file = bool(output and output != "-")
    if fmt == "table":  # a person reads it: the rows are kept, as for a plain Output
        records = list(out.records)
        tables = out.tables(records) if callable(out.tables) else out.tables
        out = Output(data=None, records=records, tables=tables, csv_columns=out.csv_columns)
        if to_file:
            emit(out, fmt=fmt, output=output, inputs=inputs)
        else:
            _render_tables(out, sys.stdout)
        return
    if fmt not in ("json", "jsonl", "csv"):
        raise ValueError(fmt)
    with Sink(output, inputs) as sink:
        if fmt == "json":
            _write_json(out.data, 0, sink.write)
            sink.write("\n")
        elif fmt == "jsonl":
            for line in _jsonl_lines(out.records):
                sink.write(line)
        else:
            for line in _csv_lines(out.records, out.csv_columns, for_file=to_file):
                sink.write(line)


def emit(out: Output, *, fmt: str, output: str | None = None, inputs: Sequence[str] = ()) -> None:
    """Write ``out`` to ``output`` (atomically) or to stdout. A streamed output (see
    :class:`Each`) is written as it is produced; ``-o FILE`` is opened (and checked) before the
    first record is asked for."""
    if out.streamed:
        _emit_streamed(out, fmt, output, inputs)
        return
    if output and output != "-":
        path = Path(output)
        _check_not_input(path, inputs)
        if fmt == "table":
            buf = io.StringIO()
            _render_tables(out, buf)
            text = buf.getvalue()
        else:
            text = render(out, fmt, for_file=True)
        write_atomic(path, text)
        return
    if fmt == "table":
        _render_tables(out, sys.stdout)
        return
    text = render(out, fmt)
    sys.stdout.write(text)
    sys.stdout.flush()
