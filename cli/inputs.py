"""The one module that reads inputs: paths, directories, globs and stdin.

It resolves what the user named into a sorted list of inputs and reads each one's bytes (with a
size limit and clear one-line errors). :mod:`.corpus` hands the bytes to ``analysis.pipeline``
to decode, clean and split. Nothing here writes anywhere.
"""

from __future__ import annotations

import glob
import os
import re
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from policytext.analysis.models import InputError

__all__ = [
    "TEXT_SUFFIXES",
    "DOCUMENT_SUFFIXES",
    "INPUT_SUFFIXES",
    "InputSpec",
    "resolve",
    "read_bytes",
    "doc_ids",
    "kind_of",
    "read_text_file",
    "DEFAULT_MAX_BYTES",
]

TEXT_SUFFIXES = (".txt", ".md", ".text", "")
# Containers read by analysis.formats (python-docx and pypdf come with the "formats" extra).
_KINDS = {".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
          ".docx": "docx", ".pdf": "pdf"}
DOCUMENT_SUFFIXES = tuple(_KINDS)
INPUT_SUFFIXES = (*TEXT_SUFFIXES, *DOCUMENT_SUFFIXES)
# Found in a directory, these are reported (with what to convert them to) rather than skipped:
# someone who points policytext at a folder of Word files wants to hear about the old ones.
_REPORTED_IN_DIRECTORIES = (".doc", ".wps")
# Formats people try to feed us and what to do about them.
_CONVERT_HINTS = {
    ".doc": "it is a legacy Word binary; save it as .docx (or PDF/.txt)",
    ".wps": "it is a WPS Office binary; save it as .docx (or PDF/.txt)",
    ".rtf": "save it as .txt",
    ".xls": "export the text to .txt or .csv",
    ".xlsx": "export the text to .txt",
    ".ppt": "export the text to .txt",
    ".pptx": "export the text to .txt",
    ".odt": "save it as .docx or .txt",
    ".pages": "export it as .docx or .txt",
    ".zip": "unpack it first",
    ".gz": "unpack it first",
    ".rar": "unpack it first",
    ".7z": "unpack it first",
    ".jpg": "run OCR on it first",
    ".jpeg": "run OCR on it first",
    ".png": "run OCR on it first",
    ".tif": "run OCR on it first",
    ".tiff": "run OCR on it first",
}
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_GLOB_CHARS = re.compile(r"[*?\[]")
_ID_BAD = re.compile(r"[#\s]+")


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input: ``source`` is the path as the user gave it (or as found under a directory they
    gave), ``path`` is None for stdin."""

    source: str
    path: Path | None


def _suffix_ok(path: Path, suffixes: Sequence[str]) -> bool:
    return path.suffix.lower() in suffixes


def resolve(
    paths: Iterable[str], *, suffixes: Sequence[str] = INPUT_SUFFIXES
) -> tuple[list[InputSpec], list[str]]:
    """Expand paths, directories (recursively) and glob patterns into a sorted, de-duplicated
    list. Returns the inputs and one error line per path that names nothing readable."""
    specs: dict[str, InputSpec] = {}
    errors: list[str] = []
    for raw in paths:
        if raw == "-":
            specs.setdefault("-", InputSpec("-", None))
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    fp = Path(root) / name
                    suffix = fp.suffix.lower()
                    if suffix and (suffix in suffixes or suffix in _REPORTED_IN_DIRECTORIES):
                        found.append(fp)
            if not found:
                readable = ", ".join(s for s in suffixes if s)
                errors.append(f"{raw}: directory has no readable files ({readable})")
            for fp in found:
                specs.setdefault(str(fp), InputSpec(str(fp), fp))
            continue
        if not p.exists() and not p.is_symlink() and _GLOB_CHARS.search(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                errors.append(f"{raw}: pattern matches no files")
            for fp in files:
                specs.setdefault(str(fp), InputSpec(str(fp), fp))
            continue
        specs.setdefault(raw, InputSpec(raw, p))
    return sorted(specs.values(), key=lambda s: s.source), errors


def read_bytes(spec: InputSpec, *, max_bytes: int = DEFAULT_MAX_BYTES,
               suffixes: Sequence[str] = INPUT_SUFFIXES) -> bytes:
    """The bytes of one input, or :class:`InputError` with a one-line reason."""
    name = spec.source
    if spec.path is None:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None or sys.stdin.closed:
            raise InputError("-: standard input is closed")
        try:
            data = stream.read(max_bytes + 1)
        except (OSError, ValueError) as exc:
            raise InputError(f"-: cannot read standard input ({exc.__class__.__name__})") from None
        if len(data) > max_bytes:
            raise InputError(f"-: input is larger than {max_bytes} bytes (raise --max-size)")
        return data
    path = spec.path
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{name}: broken symbolic link") from None
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(f"{name}: cannot read ({reason})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{name}: not a regular file (a pipe, socket or device); pass - to read stdin"
        )
    suffix = path.suffix.lower()
    if suffix in _CONVERT_HINTS:
        raise InputError(f"{name}: {suffix} files are not supported; {_CONVERT_HINTS[suffix]}")
    if suffix not in suffixes:
        readable = ", ".join(s for s in suffixes if s)
        raise InputError(f"{name}: unsupported file type {suffix!r}; convert it to one that "
                         f"policytext reads ({readable})")
    if st.st_size > max_bytes:
        raise InputError(f"{name}: file is larger than {max_bytes} bytes (raise --max-size)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise InputError(f"{name}: cannot read ({reason})") from None
    if len(data) > max_bytes:
        raise InputError(f"{name}: file is larger than {max_bytes} bytes (raise --max-size)")
    return data


def kind_of(spec: InputSpec) -> str:
    """The format of an input, from its name: ``"html"``, ``"docx"``, ``"pdf"``, ``"text"`` for
    .txt/.md and anything else, ``"auto"`` for stdin (the bytes decide: a PDF, a .docx or a web
    page piped in is read as such)."""
    if spec.path is None:
        return "auto"
    return _KINDS.get(spec.path.suffix.lower(), "text")


def doc_ids(specs: Sequence[InputSpec]) -> dict[str, str]:
    """Stable document ids: the file stem, or a longer path-based id where stems collide."""
    def stem(spec: InputSpec) -> str:
        if spec.path is None:
            return "stdin"
        return _ID_BAD.sub("_", spec.path.stem) or "_"

    counts: dict[str, int] = {}
    for spec in specs:
        counts[stem(spec)] = counts.get(stem(spec), 0) + 1
    ids: dict[str, str] = {}
    for spec in specs:
        s = stem(spec)
        if counts[s] > 1 and spec.path is not None:
            s = _ID_BAD.sub("_", str(spec.path.with_suffix("")).replace(os.sep, "/")).lstrip("./")
        ids[spec.source] = s
    return ids


def read_text_file(path: str, *, what: str) -> str:
    """Read a small auxiliary file (a user dictionary, a stopword list): UTF-8 (BOM allowed)
    or GB18030, with a one-line error naming the file."""
    from policytext.analysis.decode import decode

    spec = InputSpec(path, Path(path))
    suffixes = (*TEXT_SUFFIXES, ".dict", ".tsv", ".csv", ".json", ".toml")
    data = read_bytes(spec, max_bytes=64 * 1024 * 1024, suffixes=suffixes)
    try:
        return decode(data, name=path).text
    except InputError as exc:
        raise InputError(f"{what} {exc}") from None
