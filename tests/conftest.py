"""Shared fixtures: paths to the committed seeds and copies, a real embedder, a small fake one, Prefect offline."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
COPIES = FIXTURES / "copies"

# Prefect stays on loopback in tests: no analytics, a throwaway home, a patient temporary server.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class HashingEmbedder:
    """A deterministic bag-of-words embedder for logic tests: texts sharing words get close vectors."""

    dim = 256

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        from newsdedup.normalize import words

        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    from newsdedup.config import load_config
    from newsdedup.embed import SentenceTransformerEmbedder

    cfg = load_config().stories
    return SentenceTransformerEmbedder.from_config(cfg)


@pytest.fixture(scope="session")
def real_models(real_embedder):
    """Both models of the default config: the stories model above, and the facts stage's (the same embedder
    unless the config gives the facts stage a model or weights of its own)."""
    from newsdedup.config import load_config
    from newsdedup.embed import Embedders, SentenceTransformerEmbedder

    settings = load_config()
    if settings.facts.model == settings.stories.model and not settings.facts.weights:
        return Embedders(real_embedder, real_embedder)
    return Embedders(real_embedder, SentenceTransformerEmbedder.for_facts(settings))


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    return home


@pytest.fixture(scope="session")
def prefect_harness(prefect_home):
    """A temporary Prefect API for the session's flow tests."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
