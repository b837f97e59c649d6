"""Story clustering: copy groups embedded once, blended with TF-IDF words, hubness-corrected, average linkage
under a distance threshold, a time window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import polars as pl

from conftest import SEEDS
from newsdedup.config import StoriesConfig, load_config
from newsdedup.ingest import read_inputs
from newsdedup.schema import DOCUMENTS
from newsdedup.stories import (
    TermStats,
    assign_stories,
    cluster_stories,
    corrected_distance,
    hubness,
    representatives,
    term_counts,
    term_stats,
    text_terms,
)


def _unit(*rows: list[float]) -> np.ndarray:
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_close_vectors_cluster_and_far_ones_do_not():
    vectors = _unit([1, 0, 0], [0.95, 0.05, 0], [0, 1, 0], [0, 0.97, 0.03], [0, 0, 1])
    labels = cluster_stories(vectors, np.full(5, np.nan), StoriesConfig(distance_threshold=0.2, neighbours=0))
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert len({labels[0], labels[2], labels[4]}) == 3


def test_the_same_topic_days_apart_is_another_story():
    vectors = _unit([1, 0, 0], [0.99, 0.01, 0], [0.98, 0.02, 0], [0.99, 0, 0.01])
    days = np.array([0.0, 0.5, 10.0, np.nan])
    labels = cluster_stories(vectors, days, StoriesConfig(distance_threshold=0.2, time_window_days=3, neighbours=0))
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]
    assert labels[3] in (labels[0], labels[2])  # undated articles are never forced apart


def test_sparse_path_agrees_with_dense_path():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(6, 16))
    vectors = np.vstack([c + 0.05 * rng.normal(size=(5, 16)) for c in centres])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    days = np.full(len(vectors), np.nan)
    plain = StoriesConfig(distance_threshold=0.3, neighbours=0, fallback_distance=0.3)
    dense = cluster_stories(vectors, days, plain)
    sparse = cluster_stories(vectors, days, plain.model_copy(update={"max_dense_component": 2}))
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(dense, sparse) == 1.0
    assert len(set(dense.tolist())) == 6


def _daily_saga(n_days: int = 40, per_day: int = 4) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """One long-running topic: each day's event (four write-ups) shares words with the next day's (cosine about
    0.6) and the topic with all (about 0.37 two days on), so the candidate graph chains every day into one component."""
    rng = np.random.default_rng(1)
    topic = np.zeros(n_days + 2)
    topic[-1] = 1.2
    vectors, days, truth = [], [], []
    for day in range(n_days):
        centre = topic.copy()
        centre[day] = centre[day + 1] = 1.0
        for k in range(per_day):
            vectors.append(centre + 0.15 * rng.normal(size=len(centre)))
            days.append(day + 0.1 * k)
            truth.append(day)
    vectors = np.array(vectors)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), np.array(days), truth


def test_a_component_too_big_for_a_dense_matrix_is_cut_and_clustered_as_a_whole_would_be():
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    from sklearn.metrics import adjusted_rand_score

    from newsdedup.stories import cluster_components, story_edges

    vectors, days, truth = _daily_saga()
    cfg = StoriesConfig()
    src, dst = story_edges(vectors, days, np.arange(len(vectors)), None, cfg)
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(len(vectors), len(vectors)))
    assert connected_components(graph, directed=False)[0] == 1  # one component of 160 groups
    whole = cluster_stories(vectors, days, cfg)
    assert adjusted_rand_score(truth, whole) == 1.0  # a dense matrix tells each day's event apart
    small = cfg.model_copy(update={"max_dense_component": 20})
    labels, hubs = cluster_components(vectors, days, src, dst, small)
    assert adjusted_rand_score(whole, labels) == 1.0
    assert np.all(hubs > 0.5)  # hubness comes from the component's candidate pairs (the desk's distances use it)


def test_only_the_parts_of_a_cut_component_that_a_change_reaches_are_clustered_again():
    from sklearn.metrics import adjusted_rand_score

    from newsdedup.stories import cluster_components, story_edges

    vectors, days, truth = _daily_saga()
    cfg = StoriesConfig(max_dense_component=20)
    src, dst = story_edges(vectors, days, np.arange(len(vectors)), None, cfg)
    whole, whole_hubs = cluster_components(vectors, days, src, dst, cfg)
    changed = np.array(truth) == 20  # day 20's four write-ups are new
    labels, hubs = cluster_components(vectors, days, src, dst, cfg, only=changed)
    done = labels >= 0
    assert done[changed].all() and not done[np.array(truth) <= 10].any()  # day 0 to 10: no change reaches them
    neighbours = set(dst[changed[src]].tolist()) | set(src[changed[dst]].tolist())
    assert done[list(neighbours)].all()  # their hubness took the new write-ups in
    assert adjusted_rand_score(whole[done], labels[done]) == 1.0
    assert np.allclose(hubs, whole_hubs)  # hubness is the component's, for every group


def test_a_change_two_pairs_away_is_reached_when_it_moves_whether_a_pair_is_close():
    """g raises a1's hubness, so a1's pairs with b1 and b2 stop being close: b1 and b2 (1.06 apart) lose the story
    they held through a1, as a full run clusters them, though neither is g's neighbour (review)."""
    from newsdedup.stories import cluster_components, story_edges

    gram = np.array([[1, 0.77, 0.8, 0.75], [0.77, 1, 0.8, 0.75], [0.8, 0.8, 1, 0.95], [0.75, 0.75, 0.95, 1]])
    vectors, days = _with_gram(gram), np.array([0.0, 0.0, 2.5, 5.0])  # b1, b2, a1 and then g
    cfg = StoriesConfig(neighbours=1, embedding_weight=1.0, max_dense_component=3)
    first = cluster_components(vectors[:3], days[:3], *story_edges(vectors[:3], days[:3], np.arange(3), None, cfg), cfg)[0]
    assert len(set(first.tolist())) == 1  # b1, b2 and a1: one story
    src, dst = story_edges(vectors, days, np.arange(4), None, cfg)
    full = cluster_components(vectors, days, src, dst, cfg)[0]
    again = cluster_components(vectors, days, src, dst, cfg, only=np.array([False, False, False, True]))[0]
    assert full[0] != full[1] and (again >= 0).all() and len(set(again.tolist())) == len(set(full.tolist()))


def _with_gram(gram: np.ndarray) -> np.ndarray:
    """Unit vectors whose pairwise cosines are the given matrix."""
    return np.linalg.cholesky(gram).astype(np.float64)


def test_hubness_correction_keeps_a_crowded_topic_apart():
    # six items of one recurring topic: all alike at 0.7, and one pair (0, 1) of the same event at 0.9
    gram = np.full((6, 6), 0.7)
    gram[0, 1] = gram[1, 0] = 0.9
    np.fill_diagonal(gram, 1.0)
    vectors = _with_gram(gram)
    days = np.full(6, np.nan)
    plain = cluster_stories(vectors, days, StoriesConfig(neighbours=0, distance_threshold=0.35))
    assert len(set(plain.tolist())) == 1  # a plain cut merges the whole topic
    corrected = cluster_stories(vectors, days, StoriesConfig(neighbours=3, distance_threshold=0.95, min_hubness=0.0))
    assert corrected[0] == corrected[1] and len(set(corrected.tolist())) == 5
    hub = hubness(gram, np.zeros((6, 6), bool), 3)
    assert np.allclose(hub[[0, 1]], (0.9 + 0.7 + 0.7) / 3) and np.allclose(hub[2:], 0.7)
    cfg = StoriesConfig(neighbours=3, min_hubness=0.0)
    assert np.isclose(corrected_distance(np.array(0.9), hub[0], hub[1], cfg), 1 - 1.8 + 2 * hub[0])
    assert np.isclose(corrected_distance(np.array(0.9), hub[0], hub[1], StoriesConfig(neighbours=0)), 0.1)
    # a sparse neighbourhood counts as min_hubness: 0.25 similar groups with few neighbours stay apart
    sparse = StoriesConfig(neighbours=3, min_hubness=0.3)
    assert np.isclose(corrected_distance(np.array(0.25), 0.0, 0.1, sparse), 1 - 0.5 + 0.6)
    assert corrected_distance(np.array(0.25), 0.0, 0.1, sparse) > StoriesConfig().distance_threshold
    assert corrected_distance(np.array(0.25), 0.0, 0.1, sparse.model_copy(update={"min_hubness": 0.0})) < 1.0


def test_missing_neighbours_count_as_zero_and_dates_apart_are_no_neighbours():
    sims = np.array([[1.0, 0.8, 0.6], [0.8, 1.0, 0.5], [0.6, 0.5, 1.0]])
    apart = np.array([[False, False, True], [False, False, False], [True, False, False]])
    assert np.allclose(hubness(sims, apart, 5), [0.8 / 5, (0.8 + 0.5) / 5, 0.5 / 5])
    assert np.allclose(hubness(sims, apart, 0), 0.0)


def test_shared_rare_words_join_what_embeddings_alone_keep_apart():
    texts = [
        "Zelborn quarry collapse traps Ostrava miners underground",
        "Ostrava rescuers reach miners trapped after the Zelborn quarry collapse",
        "Parliament passes the annual budget after a long night of debate",
    ]
    gram = np.array([[1.0, 0.45, 0.1], [0.45, 1.0, 0.1], [0.1, 0.1, 1.0]])
    vectors = _with_gram(gram)
    days = np.full(3, np.nan)
    cfg = StoriesConfig(neighbours=0, distance_threshold=0.5, embedding_weight=0.4)
    alone = cluster_stories(vectors, days, cfg)
    assert len(set(alone.tolist())) == 3  # embedding distance 0.55 is above the cut
    terms = text_terms(texts, term_stats(texts))
    blended = cluster_stories(vectors, days, cfg, terms)
    assert blended[0] == blended[1] != blended[2]


def test_term_statistics_add_up_and_weigh_like_scikit_learn_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    a = ["Storm floods the coastal road", "The storm closes schools and roads"]
    b = ["Parliament passes the budget", "Budget vote delayed by storm"]
    stats = TermStats()
    stats.add(term_counts(a))
    stats.add(term_counts(b))
    stats.remove(term_counts(a))
    alone = term_stats(b)
    assert stats.n_docs == alone.n_docs == 2 and np.array_equal(stats.df, alone.df)
    docs = a + b
    ours = term_stats(docs).weigh(term_counts(docs))
    ref = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    assert np.allclose((ours @ ours.T).toarray(), (ref @ ref.T).toarray(), atol=1e-6)


def test_figures_are_words_of_the_tfidf():
    """'4.8 million' and '3.9 million' are different words; '21,000' and '21000' the same one."""
    texts = [
        "Weekly benefit filings reach 4.8 million workers",
        "Benefit filings climb to 4.8 million this week",
        "Benefit filings settle at 3.9 million",
        "Storm leaves 21,000 homes without power",
        "Storm leaves 21000 homes without power",
    ]
    weighted = term_stats(texts).weigh(term_counts(texts))
    sims = (weighted @ weighted.T).toarray()
    assert sims[0, 1] > sims[0, 2] + 0.1 and sims[1, 2] < sims[0, 1]
    assert sims[3, 4] > 0.999
    assert term_counts(["Day 3 of the trial"]).nnz == 3  # 'day', '3', 'trial'; 'of', 'the' are stop words
    assert term_counts(["the 10,000th visitor"]).nnz == term_counts(["the 10000th visitor"]).nnz == 2


def test_candidates_are_capped_per_group_and_respect_radius_and_window():
    from newsdedup.stories import radius_edges

    rng = np.random.default_rng(1)
    base = rng.normal(size=16)
    vectors = base + 0.1 * rng.normal(size=(40, 16))  # one undated crowd: every pair is within the radius
    vectors = np.vstack([vectors, rng.normal(size=(1, 16))])  # and one unrelated group
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    days = np.full(41, np.nan)
    src, dst = radius_edges(vectors, days, np.arange(41), StoriesConfig(max_candidates=5))
    assert np.bincount(src[src < 40], minlength=40).max() == 5 and not (src == dst).any()
    sims = vectors @ vectors.T
    for row in range(40):  # the five nearest, never the far one
        mine = set(dst[src == row].tolist())
        assert 40 not in mine and mine == set(np.argsort(-sims[row])[1:6].tolist())
    days = np.arange(41, dtype=float) * 10.0  # now ten days apart: nothing is a candidate
    assert len(radius_edges(vectors, days, np.arange(41), StoriesConfig())[0]) == 0


def _docs(rows: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    base = datetime(2026, 2, 1, tzinfo=timezone.utc)
    return pl.DataFrame(
        [
            {
                "article_id": a, "path": a, "title": title, "source": None, "published": base + timedelta(days=d),
                "url": None, "dateline": None, "text": text, "n_words": len(text.split()),
            }
            for a, title, text, d in rows
        ],
        schema=DOCUMENTS,
    )


def test_each_copy_group_is_embedded_once(fake_embedder):
    text = "storm floods the northern coast towns and closes roads for days"
    docs = _docs([("a", "Storm", text, 0), ("b", "Storm hits", text, 0), ("c", "Budget", "parliament passes the budget after a long debate", 0)])
    docs = docs.with_columns(syndicate_id=pl.Series(["g1", "g1", "g2"]))
    out = assign_stories(docs, fake_embedder, StoriesConfig(distance_threshold=0.5))
    assert fake_embedder.calls == [2]
    story = dict(zip(out["article_id"], out["story_id"]))
    assert story["a"] == story["b"] != story["c"]


def test_story_ids_are_deterministic_and_order_free(fake_embedder):
    rows = [("x1", "Storm", "storm floods the coast", 0), ("x2", "Storm", "storm floods the coast again", 0), ("y", "Vote", "parliament votes", 0)]
    docs = _docs(rows).with_columns(syndicate_id=pl.col("article_id"))
    one = assign_stories(docs, fake_embedder, StoriesConfig())
    two = assign_stories(docs.reverse(), fake_embedder, StoriesConfig())
    assert one.sort("article_id")["story_id"].to_list() == two.sort("article_id")["story_id"].to_list()
    assert all(s.startswith("story_") for s in one["story_id"])


def test_representative_is_the_longest_member():
    docs = _docs([("a", "short", "one two three", 0), ("b", "long", "one two three four five", 1)])
    reps = representatives(docs.with_columns(syndicate_id=pl.lit("g")))
    assert reps["representative"].to_list() == ["b"]
    assert reps["published"][0] == datetime(2026, 2, 1, tzinfo=timezone.utc)


def test_real_model_puts_the_five_seeds_in_one_story(real_embedder):
    docs, _ = read_inputs(SEEDS, load_config().ingest)
    docs = docs.with_columns(syndicate_id=pl.col("article_id"))
    out = assign_stories(docs, real_embedder, load_config().stories)
    assert out["story_id"].n_unique() == 1


def test_real_model_keeps_an_unrelated_article_apart(real_embedder, tmp_path):
    import shutil

    shutil.copytree(SEEDS, tmp_path, dirs_exist_ok=True)
    (tmp_path / "other.txt").write_text(
        "date 2026-02-01\nCentral bank holds interest rates steady\n\n"
        "The central bank kept its benchmark interest rate unchanged on Thursday, citing easing inflation and a "
        "stronger currency, and said it would watch wage growth closely before any cut later in the year.\n",
        encoding="utf-8",
    )
    docs, _ = read_inputs(tmp_path, load_config().ingest)
    out = assign_stories(docs.with_columns(syndicate_id=pl.col("article_id")), real_embedder, load_config().stories)
    story = dict(zip(out["article_id"], out["story_id"]))
    assert story["other"] != story["001_72621f2fa7bf588d"]
    assert out["story_id"].n_unique() == 2


def test_edge_hubness_takes_the_top_k_of_each_rows_pairs():
    from newsdedup.stories import edge_hubness

    src, dst = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2])
    sims = np.array([0.9, 0.5, 0.7, 0.6])
    hub = edge_hubness(5, src, dst, sims, 2)
    assert np.allclose(hub, [(0.9 + 0.7) / 2, (0.9 + 0.6) / 2, (0.6 + 0.5) / 2, 0.7 / 2, 0.0])
    # on a full graph it is the dense hubness
    gram = np.array([[1.0, 0.8, 0.3], [0.8, 1.0, 0.5], [0.3, 0.5, 1.0]])
    i, j = np.triu_indices(3, 1)
    assert np.allclose(edge_hubness(3, i, j, gram[i, j], 5), hubness(gram, np.zeros((3, 3), bool), 5))


def test_terms_are_read_without_accents():
    """As words() reads them: a copy typed without accents has the same terms."""
    a, b = term_counts(["Floods in Z\u00fcrich and Malm\u00f6"]), term_counts(["Floods in Zurich and Malmo"])
    assert (a != b).nnz == 0
