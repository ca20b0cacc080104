"""Package data: the policy dictionary, stopword lists, theme codebook and background IDF.

Each file records its own source and licence in its header; ``SOURCES.md`` lists them all.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["read_text", "read_lines"]


@lru_cache(maxsize=32)
def read_text(name: str) -> str:
    """The text of a bundled resource file."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def read_lines(name: str) -> list[str]:
    """Non-empty lines of a bundled resource, without ``#`` comment lines."""
    return [
        line.strip()
        for line in read_text(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
