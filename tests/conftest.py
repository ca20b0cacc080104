from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's real cache directory."""
    os.environ["POLICYTEXT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SEED_FILES}


@pytest.fixture(scope="session")
def cleaned_seeds(seed_texts: dict[str, str]) -> dict[str, str]:
    from policytext.analysis.clean import pipeline

    return {name: pipeline(text) for name, text in seed_texts.items()}


@pytest.fixture(scope="session")
def seed_documents():
    from policytext.cli.corpus import load_corpus

    corpus = load_corpus([str(SEEDS)])
    assert not corpus.errors
    return corpus.documents


@pytest.fixture(scope="session")
def segmenter():
    from policytext.analysis.segment import Segmenter

    return Segmenter()
