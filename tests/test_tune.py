"""Threshold search: it finds settings that score at least as well as the start, and writes a loadable config."""

from __future__ import annotations

import numpy as np
import polars as pl

from conftest import SEEDS
from newsdedup.config import Settings, load_config
from newsdedup.ingest import read_inputs
from newsdedup.syndication import find_syndicates
from newsdedup.tune import to_toml, tune_all, tune_fact_similarity, tune_stories, tune_syndication


def _corpus(tmp_path):
    """The seeds plus a trimmed copy of each: 10 articles, 5 copy groups, 1 story."""
    for seed in sorted(SEEDS.iterdir()):
        text = seed.read_text(encoding="utf-8")
        (tmp_path / seed.name).write_text(text, encoding="utf-8")
        paragraphs = [p for p in text.split("\n") if p.strip()]
        (tmp_path / f"copy_{seed.name}").write_text("\n\n".join(paragraphs[: max(3, len(paragraphs) * 2 // 3)]), encoding="utf-8")
    docs, _ = read_inputs(tmp_path, load_config().ingest)
    truth = [a.removeprefix("copy_") for a in docs["article_id"].to_list()]
    return docs, truth


def test_tune_syndication_finds_the_copy_groups(tmp_path):
    docs, truth = _corpus(tmp_path)
    best, trials = tune_syndication(docs, truth, Settings())
    assert best.score == 1.0
    assert len(trials) > 20
    assert set(best.params) == {"lsh_threshold", "min_jaccard", "min_containment"}


def test_tune_stories_scores_every_setting(tmp_path, fake_embedder):
    docs, truth = _corpus(tmp_path)
    grouped, _ = find_syndicates(docs, Settings().syndication)
    best, trials = tune_stories(grouped, ["one story"] * grouped.height, fake_embedder, Settings())
    assert best.score == max(t.score for t in trials)
    assert fake_embedder.calls == [5]  # copy groups embedded once for the whole search


def test_tune_fact_similarity_picks_the_separating_threshold():
    sims = np.array([0.9, 0.8, 0.6, 0.55, 0.3])
    truth = np.array([1, 1, 0, 0, 0])
    best, _ = tune_fact_similarity(sims, np.ones(5, dtype=bool), truth)
    assert 0.6 < best.params["same_fact_similarity"] <= 0.8
    assert best.score == 1.0


def test_tuned_config_round_trips(tmp_path):
    tuned = Settings().model_copy(update={"stories": Settings().stories.model_copy(update={"distance_threshold": 0.3})})
    path = tmp_path / "tuned.toml"
    path.write_text(to_toml(tuned), encoding="utf-8")
    assert load_config(path) == tuned


def test_tune_all_reports_default_and_tuned(tmp_path, fake_embedder):
    docs, truth = _corpus(tmp_path)
    labels = pl.DataFrame({"id": docs["article_id"], "syndicate_id": truth, "story_id": ["s"] * len(truth)})
    tuned, lines = tune_all(docs, labels, fake_embedder, Settings())
    assert lines[0].startswith("copies: best") and lines[1].startswith("stories: best")
    assert lines[-2].strip().startswith("default") and lines[-1].strip().startswith("tuned")
    assert isinstance(tuned, Settings)
