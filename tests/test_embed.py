"""embed: the cache in front of an embedder reuses vectors by exact text and never changes one."""

from __future__ import annotations

import numpy as np

from newsdedup.embed import CachedEmbedder, text_key


def test_cached_embedder_embeds_each_new_text_once(fake_embedder):
    cached = CachedEmbedder(fake_embedder)
    first = cached.embed(["storm floods the coast", "budget passes", "storm floods the coast"])
    assert fake_embedder.calls == [2]  # the repeated text is embedded once
    again = cached.embed(["budget passes", "a new text about the storm"])
    assert fake_embedder.calls == [2, 1] and cached.reused == 2 and cached.embedded == 3
    assert np.array_equal(again[0], first[1])
    assert np.array_equal(first, fake_embedder.embed(["storm floods the coast", "budget passes", "storm floods the coast"]))


def test_cached_embedder_starts_from_known_vectors(fake_embedder):
    known = {text_key("kept from an earlier run"): np.ones(fake_embedder.dim, dtype=np.float32)}
    cached = CachedEmbedder(fake_embedder, known)
    out = cached.embed(["kept from an earlier run"])
    assert fake_embedder.calls == [] and np.array_equal(out[0], np.ones(fake_embedder.dim))
    assert cached.embed([]).shape[0] == 0
    assert text_key("a") != text_key("A") and len(text_key("a")) == 20
