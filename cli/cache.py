"""The on-disk cache of cleaned documents and of their tokens.

Two kinds of entries, each one JSON file named by a SHA-256 key:

* ``doc``: a cleaned and split :class:`~policytext.analysis.models.Document` (and the decoder's
  warnings), keyed by the input's bytes, its id and source, the read options, the version and a
  digest of the analysis code;
* ``tok``: the tokens (and POS tags) of every article of one document, keyed by the articles'
  text, the segmenter's fingerprint (engine, dictionaries, HMM), ``pos``, the version and the
  code digest.

The cache lives in a private per-user directory (mode 0700; ``POLICYTEXT_CACHE_DIR`` overrides
it). Every entry is written to a temporary file in the same directory and renamed into place,
so concurrent runs never see half an entry and a run killed mid-way leaves at worst a stray
temporary file (ignored, and removed by ``policytext cache clear``). An entry that cannot be read
or parsed counts as a miss. Entries are JSON, never pickle: the cache is data, not code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from policytext.analysis.models import Article, Document, Span

__all__ = ["Cache", "open_cache", "doc_to_json", "doc_from_json", "MIN_CACHE_CHARS"]

# Below this many characters, reading and writing an entry costs more than redoing the work
# (10,000 tiny files would otherwise become 20,000 tiny cache files).
MIN_CACHE_CHARS = 512
_LAYOUT = "v1"
_TMP_PREFIX = ".tmp-"


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A digest of the analysis package's source. Cleaning, splitting and segmenting are all
    in it, so an entry made by other code (an upgrade, or a source checkout that changed without
    a new version number) is never read back as if this code had made it. Reading and hashing
    the sources costs about a millisecond once per process."""
    from pathlib import Path

    import policytext.analysis as pkg

    h = hashlib.sha256()
    root = Path(pkg.__file__).resolve().parent
    for path in sorted(root.glob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        h.update(path.name.encode() + b"\x00" + data + b"\x00")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def _version() -> str:
    """Read once per process: importlib.metadata parses the package's METADATA on every call,
    which cost a third of a warm run."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policytext")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def doc_to_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source,
        "text": doc.text,
        "encoding": doc.encoding,
        "meta": [list(kv) for kv in doc.meta],
        "articles": [
            {
                "doc": a.doc, "source": a.source, "index": a.index, "title": a.title,
                "subtitle": a.subtitle, "byline": a.byline, "body": a.body, "label": a.label,
                "spans": [[s.start, s.end, s.role, s.glue] for s in a.spans],
            }
            for a in doc.articles
        ],
    }


def doc_from_json(data: dict[str, Any]) -> Document:
    articles = tuple(
        Article(doc=a["doc"], source=a["source"], index=a["index"], title=a["title"],
                subtitle=a["subtitle"], byline=a["byline"], body=a["body"],
                spans=tuple(Span(s[0], s[1], s[2], s[3]) for s in a["spans"]), label=a["label"])
        for a in data["articles"]
    )
    return Document(id=data["id"], source=data["source"], text=data["text"], articles=articles,
                    encoding=data["encoding"], meta=tuple((k, v) for k, v in data["meta"]))


@dataclass
class Cache:
    """A cache rooted at ``root`` (which must already exist with mode 0700)."""

    root: str

    @property
    def objects(self) -> str:
        return os.path.join(self.root, _LAYOUT)

    # -- keys ------------------------------------------------------------------------------
    @staticmethod
    def doc_key(data: bytes, *, doc_id: str, source: str, options_key: str) -> str:
        h = hashlib.sha256()
        h.update(f"doc|{_version()}|{_code_hash()}|{options_key}|{doc_id}|{source}|".encode())
        h.update(data)
        return h.hexdigest()

    @staticmethod
    def tok_key(texts: Sequence[str], *, fingerprint: str, pos: bool) -> str:
        h = hashlib.sha256()
        h.update(f"tok|{_version()}|{_code_hash()}|{fingerprint}|pos={pos}|{len(texts)}".encode())
        for t in texts:
            h.update(b"\x00")
            h.update(t.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    # -- entries ---------------------------------------------------------------------------
    def _path(self, key: str) -> str:
        return os.path.join(self.objects, key[:2], key + ".json")

    def get(self, key: str) -> Any | None:
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                value = json.loads(fh.read().decode("utf-8", "surrogatepass"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):  # unreadable or corrupt: a miss
            return None
        if not isinstance(value, dict) or value.get("key") != key:
            return None
        return value.get("value")

    def put(self, key: str, value: Any) -> None:
        """Write atomically; any failure (disk full, read-only) just skips caching."""
        path = self._path(key)
        directory = os.path.dirname(path)
        tmp = None
        try:
            if not os.path.isdir(directory):
                os.makedirs(self.objects, mode=0o700, exist_ok=True)
                os.makedirs(directory, mode=0o700, exist_ok=True)
            # json.dumps runs the C encoder; json.dump to a file would encode in Python.
            data = json.dumps({"key": key, "value": value}, ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8", "surrogatepass")
            fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=directory)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
            tmp = None
        except (OSError, ValueError):
            pass
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    # -- documents and tokens --------------------------------------------------------------
    def get_document(self, key: str) -> tuple[Document, tuple[str, ...]] | None:
        value = self.get(key)
        if value is None:
            return None
        try:
            return doc_from_json(value["doc"]), tuple(value["warnings"])
        except (KeyError, TypeError, IndexError):
            return None

    def put_document(self, key: str, doc: Document, warnings: Sequence[str]) -> None:
        self.put(key, {"doc": doc_to_json(doc), "warnings": list(warnings)})

    def get_tokens(self, key: str, n: int) -> list[tuple[tuple[str, ...], Any]] | None:
        value = self.get(key)
        if not isinstance(value, list) or len(value) != n:
            return None
        try:
            return [(tuple(t), tuple(p) if p is not None else None) for t, p in value]
        except (TypeError, ValueError):
            return None

    def put_tokens(self, key: str, items: Sequence[tuple[Sequence[str], Any]]) -> None:
        self.put(key, [[list(t), list(p) if p is not None else None] for t, p in items])

    # -- maintenance -----------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        entries = size = temps = 0
        for dirpath, _dirs, files in os.walk(self.objects):
            for name in files:
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                if name.startswith(_TMP_PREFIX):
                    temps += 1
                    continue
                entries += 1
                size += st.st_size
        try:
            mode = f"{os.stat(self.root).st_mode & 0o777:04o}"
        except OSError:
            mode = ""
        return {"path": self.root, "mode": mode, "entries": entries, "bytes": size,
                "temporary_files": temps, "version": _version(), "code": _code_hash()}

    def clear(self) -> int:
        """Remove every entry (and stray temporary files); returns how many files went."""
        removed = 0
        for _dirpath, _dirs, files in os.walk(self.objects):
            removed += len(files)
        shutil.rmtree(self.objects, ignore_errors=True)
        return removed


def open_cache(root: str | None) -> Cache | None:
    return Cache(root) if root else None
