"""policytext's command line and its Python entry points.

The library API lives in :mod:`policytext.analysis` (pure functions on text) and in
:func:`load_corpus`, which reads files, directories, globs and stdin::

    from policytext.cli import load_corpus
    corpus = load_corpus(["seeds/"])
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_corpus"]


def load_corpus(*args: Any, **kwargs: Any):
    """Read, decode, clean and split inputs; see :func:`policytext.cli.corpus.load_corpus`."""
    from .corpus import load_corpus as _load

    return _load(*args, **kwargs)
