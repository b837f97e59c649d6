"""Threshold search: it finds settings that score at least as well as the start, and writes a loadable config."""

from __future__ import annotations

import numpy as np
import polars as pl

from conftest import SEEDS
from newsdedup.config import Settings, load_config
from newsdedup.ingest import read_inputs
from newsdedup.syndication import find_syndicates
from newsdedup.tune import (
    EMBEDDING_WEIGHTS,
    to_toml,
    tune_all,
    tune_fact_similarity,
    tune_stories,
    tune_syndication,
)


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
    assert set(best.params) == {"distance_threshold", "time_window_days", "embedding_weight"}
    assert {t.params["embedding_weight"] for t in trials} == set(EMBEDDING_WEIGHTS)


class _GivenVectors:
    """An embedder that returns the vector given for each text."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self.vectors[t] for t in texts])


def test_tune_stories_finds_a_blend_that_no_distance_gives():
    """Two reports sharing rare words but not an embedding, and two of different events whose embeddings are
    close: at the default blend no distance keeps the second pair apart; leaning on words does."""
    texts = {
        "a": "Zelborn quarry collapse traps Ostrava miners underground",
        "b": "Ostrava miners trapped underground after Zelborn quarry collapse",
        "c": "Parliament passes the annual budget after a night of debate",
        "d": "Storm floods coastal towns and closes the harbour road",
    }
    e = np.eye(4)
    vectors = {
        f"{k}\n{t}": v
        for (k, t), v in zip(
            texts.items(),
            [e[0], 0.35 * e[0] + np.sqrt(1 - 0.35**2) * e[1], e[2], 0.9 * e[2] + np.sqrt(1 - 0.81) * e[3]],
        )
    }
    docs = pl.DataFrame(
        {
            "article_id": list(texts),
            "syndicate_id": [f"syn_{k}" for k in texts],
            "title": list(texts),
            "text": list(texts.values()),
            "published": [None] * 4,
            "n_words": [len(t.split()) for t in texts.values()],
        },
        schema_overrides={"published": pl.Datetime("us", "UTC")},
    )
    best, trials = tune_stories(docs, ["quarry", "quarry", "budget", "storm"], _GivenVectors(vectors), Settings())
    first_pass = [t for t in trials if t.params["embedding_weight"] == Settings().stories.embedding_weight]
    assert max(t.score for t in first_pass) < 1.0
    assert best.score == 1.0 and best.params["embedding_weight"] < Settings().stories.embedding_weight


def test_tune_fact_similarity_picks_the_separating_threshold():
    sims = np.array([0.9, 0.8, 0.6, 0.55, 0.3])
    truth = np.array([1, 1, 0, 0, 0])
    best, _ = tune_fact_similarity(sims, np.ones(5, dtype=bool), truth)
    assert 0.6 < best.params["same_fact_similarity"] <= 0.8
    assert best.score == 1.0


def test_tuned_config_round_trips_and_marks_what_was_tuned(tmp_path):
    tuned = Settings().model_copy(update={"stories": Settings().stories.model_copy(update={"distance_threshold": 0.3})})
    path = tmp_path / "tuned.toml"
    path.write_text(to_toml(tuned, Settings()), encoding="utf-8")
    assert load_config(path) == tuned
    marked = [line for line in path.read_text(encoding="utf-8").splitlines() if "  # tuned" in line]
    assert marked == [f"distance_threshold = 0.3  # tuned; was {Settings().stories.distance_threshold}"]


def test_ties_keep_the_starting_config_s_values(tmp_path, fake_embedder):
    """A walk-through's finding: with the same scores, tune had moved lsh_threshold 0.15 -> 0.2 (0.15 was not in its
    grid), min_jaccard 0.5 -> 0.8 and same_fact_similarity 0.72 -> 0.5 and said "default vs tuned" were equal."""
    docs, truth = _corpus(tmp_path)
    start = Settings().syndication
    best, trials = tune_syndication(docs, truth, Settings())
    assert best.score == 1.0 and best.params == {k: getattr(start, k) for k in ("lsh_threshold", "min_jaccard", "min_containment")}
    assert start.lsh_threshold in {t.params["lsh_threshold"] for t in trials}
    sims, truth_pairs = np.array([0.95, 0.9, 0.3, 0.2]), np.array([1, 1, 0, 0])  # anything in 0.3..0.9 separates them
    best, _ = tune_fact_similarity(sims, np.ones(4, dtype=bool), truth_pairs, start=0.72)
    assert best.params["same_fact_similarity"] == 0.72 and best.score == 1.0
    best, _ = tune_fact_similarity(sims, np.ones(4, dtype=bool), truth_pairs, start=0.93)  # moved only for a better score
    assert best.params["same_fact_similarity"] < 0.93 and best.score == 1.0
    # the stories' grids hold the config's distance, window and weight too, off their own steps
    odd = Settings().model_copy(update={"stories": Settings().stories.model_copy(update={"distance_threshold": 1.013, "time_window_days": 4.0})})
    grouped, _ = find_syndicates(docs, odd.syndication)
    best, _ = tune_stories(grouped, ["one story"] * grouped.height, fake_embedder, odd)
    assert best.score == 1.0 and best.params == {"distance_threshold": 1.013, "time_window_days": 4.0,
                                                 "embedding_weight": odd.stories.embedding_weight}


def test_tune_all_reports_default_and_tuned(tmp_path, fake_embedder):
    docs, truth = _corpus(tmp_path)
    labels = pl.DataFrame({"id": docs["article_id"], "syndicate_id": truth, "story_id": ["s"] * len(truth)})
    tuned, lines = tune_all(docs, labels, fake_embedder, Settings())
    assert lines[0].startswith("copies: best") and lines[1].startswith("stories: best")
    assert lines[-2].strip().startswith("default") and lines[-1].strip().startswith("tuned")
    assert isinstance(tuned, Settings)
    # with fact pairs, the comparison gives their F1 under both configs
    pairs = (["Five people died."] * 2 + ["The bridge closed."], ["Five people were killed."] * 2 + ["Rain is due."], np.array([1, 1, 0]))
    _, lines = tune_all(docs, labels, fake_embedder, Settings(), pairs)
    assert [line.split()[:2] for line in lines[-4:]] == [["default", "copies:"], ["default", "facts:"], ["tuned", "copies:"], ["tuned", "facts:"]]
