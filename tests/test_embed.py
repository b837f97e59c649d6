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


def test_auto_precision_is_bfloat16_only_where_the_cpu_has_it(monkeypatch):
    from newsdedup import embed

    monkeypatch.setattr(embed, "cpu_has_bfloat16", lambda: True)
    assert embed.resolve_precision("auto") == "bfloat16"
    monkeypatch.setattr(embed, "cpu_has_bfloat16", lambda: False)
    assert embed.resolve_precision("auto") == "float32"
    assert embed.resolve_precision("bfloat16") == "bfloat16" and embed.resolve_precision("float32") == "float32"


def test_state_made_in_one_precision_is_not_reused_in_another():
    from newsdedup.config import load_config
    from newsdedup.state import settings_fingerprint

    settings = load_config()
    as_float = settings.model_copy(update={"stories": settings.stories.model_copy(update={"precision": "float32"})})
    as_bf16 = settings.model_copy(update={"stories": settings.stories.model_copy(update={"precision": "bfloat16"})})
    assert settings_fingerprint(as_float) != settings_fingerprint(as_bf16)


def test_bfloat16_vectors_are_unit_float32_and_close_to_float32_ones():
    from newsdedup.config import load_config
    from newsdedup.embed import SentenceTransformerEmbedder

    cfg = load_config().stories
    texts = [
        "Gunmen stormed a police station in Quetta on Saturday, officials said.",
        "The attacks killed 33 civilians and security personnel across the province.",
        "Parliament passed the budget after a late-night vote.",
    ]
    bf16 = SentenceTransformerEmbedder(cfg.model, cfg.batch_size, cfg.max_seq_length, "bfloat16")
    assert bf16.load_seconds == 0.0
    fast = bf16.embed(texts)
    assert bf16.load_seconds > 0.0  # its loading, which a desk check's ms leaves out
    assert str(next(bf16._load().parameters()).dtype) == "torch.bfloat16"
    exact = SentenceTransformerEmbedder(cfg.model, cfg.batch_size, cfg.max_seq_length, "float32").embed(texts)
    assert fast.dtype == np.float32 and np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert ((fast * exact).sum(axis=1) > 0.99).all()
    assert np.abs(fast @ fast.T - exact @ exact.T).max() < 0.01  # the decisions' similarities barely move


def test_small_calls_go_in_batches_of_eight_big_ones_in_the_configured_size():
    from newsdedup.config import load_config
    from newsdedup.embed import SentenceTransformerEmbedder

    cfg = load_config().stories
    embedder = SentenceTransformerEmbedder.from_config(cfg)
    model = embedder._load()
    seen, encode = [], model.encode

    def recording(texts, **kwargs):
        seen.append(kwargs["batch_size"])
        return encode(texts, **kwargs)

    model.encode = recording
    few = embedder.embed([f"Sentence number {i} of a short call." for i in range(10)])
    many = embedder.embed([f"Sentence number {i} of a long call." for i in range(4 * cfg.batch_size + 1)])
    assert seen == [8, cfg.batch_size]
    assert few.shape == (10, 384) and many.shape[0] == 4 * cfg.batch_size + 1


def test_model_threads_runs_the_model_on_that_many_threads_and_puts_them_back():
    """The desk embeds on one thread: torch's threads wait for each other at every layer, and with another process
    on one of two cores an article took 900 ms instead of 27. Also for a model first loaded inside the block."""
    import torch

    from newsdedup.config import load_config
    from newsdedup.embed import SentenceTransformerEmbedder, model_threads

    embedder = SentenceTransformerEmbedder.from_config(load_config().stories)
    seen, before = [], torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with model_threads(1):
            model = embedder._load()
            encode = model.encode

            def recording(texts, **kwargs):
                seen.append(torch.get_num_threads())
                return encode(texts, **kwargs)

            model.encode = recording
            embedder.embed(["One sentence to embed."])
            assert torch.get_num_threads() == 2  # only the model's own calls
        embedder.embed(["Another sentence to embed."])
        assert seen == [1, 2] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def _tiny_weights(tmp_path, monkeypatch, tensors):
    from safetensors.torch import save_file

    from newsdedup import embed

    monkeypatch.setattr(embed, "WEIGHTS_DIR", tmp_path)
    save_file(tensors, str(tmp_path / "tiny.safetensors"))


def test_unknown_weights_are_named_in_one_line(tmp_path, monkeypatch):
    import pytest

    from newsdedup import embed

    monkeypatch.setattr(embed, "WEIGHTS_DIR", tmp_path)
    with pytest.raises(embed.ModelNotFound, match="no weights called 'missing'"):
        embed.resolve_weights("missing")


def test_weights_replace_the_tensors_they_hold_and_nothing_else(tmp_path, monkeypatch, real_embedder):
    """facts.weights: the packaged model with fine-tuned tensors on top; a tensor that does not fit is refused."""
    import pytest
    import torch

    from newsdedup.config import Settings
    from newsdedup.embed import ModelNotFound, SentenceTransformerEmbedder, apply_weights, embedders

    base = real_embedder._load()[0].auto_model.state_dict()
    name = "encoder.layer.5.output.dense.weight"
    _tiny_weights(tmp_path, monkeypatch, {name: (base[name] * 0.5).to(torch.float16).contiguous()})
    settings = Settings.model_validate({"facts": {"weights": "tiny"}})
    models = embedders(settings)
    assert models.facts is not models.stories and models.facts.weights == "tiny"
    tuned = models.facts._load()[0].auto_model.state_dict()
    assert torch.allclose(tuned[name].float(), (base[name] * 0.5).float(), atol=1e-2)
    assert all(torch.equal(tuned[k].float(), base[k].float()) for k in base if k != name)
    text = ["Militants stormed a district jail and freed at least 30 inmates."]
    assert not np.allclose(models.facts.embed(text), real_embedder.embed(text), atol=1e-3)
    # one embedder for both stages when the facts stage uses the stories model as it is
    plain = embedders(Settings())
    assert plain.facts is plain.stories
    # a tensor of another shape (or name) is refused with one line
    _tiny_weights(tmp_path, monkeypatch, {name: torch.zeros(3, 3, dtype=torch.float16)})
    with pytest.raises(ModelNotFound, match="do not fit the model"):
        apply_weights(SentenceTransformerEmbedder(settings.stories.model)._load(), tmp_path / "tiny.safetensors")


def test_the_state_is_rebuilt_when_the_facts_weights_change(tmp_path, monkeypatch):
    """Weights retrained under the same name make other sentence vectors: the settings fingerprint changes."""
    import torch

    from newsdedup.config import Settings
    from newsdedup.state import settings_fingerprint

    settings = Settings.model_validate({"facts": {"weights": "tiny"}})
    _tiny_weights(tmp_path, monkeypatch, {"pooler.dense.bias": torch.zeros(384, dtype=torch.float16)})
    before = settings_fingerprint(settings)
    assert settings_fingerprint(settings) == before
    _tiny_weights(tmp_path, monkeypatch, {"pooler.dense.bias": torch.ones(384, dtype=torch.float16)})
    assert settings_fingerprint(settings) != before
    assert settings_fingerprint(Settings()) != before
