"""Scoring against labels: pairwise and B-cubed precision / recall / F1, ARI, worst errors, binary scores."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from newsdedup.evaluate import bcubed, binary_scores, pairwise, score_against_labels


def test_perfect_clustering_scores_one():
    truth = np.array(["a", "a", "b", "c", "c", "c"])
    pred = np.array([1, 1, 2, 3, 3, 3])
    assert pairwise(truth, pred).f1 == 1.0
    assert bcubed(truth, pred).f1 == 1.0


def test_pairwise_counts_pairs():
    truth = np.array(["a", "a", "a", "b"])
    pred = np.array([1, 1, 2, 2])
    # true pairs: 3 (within a); predicted pairs: (0,1), (2,3); correct: (0,1)
    score = pairwise(truth, pred)
    assert score.precision == 0.5
    assert score.recall == round(1 / 3, 4)


def test_bcubed_by_hand():
    truth = np.array(["a", "a", "b"])
    pred = np.array([1, 1, 1])
    score = bcubed(truth, pred)
    # precision per item: 2/3, 2/3, 1/3 -> 5/9; recall: 1, 1, 1
    assert score.precision == round(5 / 9, 4)
    assert score.recall == 1.0


def test_levels_and_worst_errors():
    articles = pl.DataFrame(
        {
            "article_id": ["1", "2", "3", "4", "5"],
            "title": ["t1", "t2", "t3", "t4", "t5"],
            "syndicate_id": ["s1", "s1", "s1", "s4", "s5"],
            "story_id": ["x", "x", "x", "y", "y"],
        }
    )
    labels = pl.DataFrame({"id": ["1", "2", "3", "4", "5", "9"], "syndicate_id": ["A", "A", "B", "C", "C", "Z"], "story_id": ["X"] * 3 + ["Y"] * 3})
    scores, missing = score_against_labels(articles, labels)
    assert missing == 1
    copies, stories = scores
    assert copies.level == "copies" and stories.level == "stories"
    assert stories.ari == 1.0
    assert copies.worst_merges[0].size == 3 and copies.worst_merges[0].parts == 2
    assert copies.worst_splits[0].titles == ["t4", "t5"]


def test_labels_need_an_id_and_a_level():
    with pytest.raises(ValueError, match="id"):
        score_against_labels(pl.DataFrame({"article_id": ["1"]}), pl.DataFrame({"x": ["1"]}))
    with pytest.raises(ValueError, match="story_id"):
        score_against_labels(pl.DataFrame({"article_id": ["1"]}), pl.DataFrame({"id": ["1"]}))


def test_binary_scores():
    score = binary_scores(np.array([1, 1, 0, 0]), np.array([1, 0, 1, 0]))
    assert (score.accuracy, score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5, 0.5)


def test_worst_decisions_are_the_most_confident_wrong_ones():
    import numpy as np

    from newsdedup.evaluate import worst_decisions

    truth = np.array([1, 0, 0, 1, 1, 0])
    decided = np.array([1, 1, 1, 0, 0, 0])
    sims = np.array([0.9, 0.75, 0.95, 0.2, 0.6, 0.1])
    assert worst_decisions(truth, decided, sims, top=5) == ([2, 1], [3, 4])
    assert worst_decisions(truth, decided, sims, top=1) == ([2], [3])
