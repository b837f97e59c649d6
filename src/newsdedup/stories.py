"""Stories: copy groups embedded once each and clustered (average linkage) into real-world events."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.neighbors import NearestNeighbors

from newsdedup.config import StoriesConfig
from newsdedup.embed import Embedder
from newsdedup.syndication import group_id

FAR = 10.0  # distance given to pairs that the time window keeps apart


def representatives(documents: pl.DataFrame) -> pl.DataFrame:
    """One row per copy group: its longest member's title and text, its earliest date, its members."""
    return (
        documents.sort(["syndicate_id", "n_words", "article_id"], descending=[False, True, False])
        .group_by("syndicate_id", maintain_order=True)
        .agg(
            pl.col("article_id").first().alias("representative"),
            pl.col("title").first(),
            pl.col("text").first(),
            pl.col("published").min().alias("published"),
            pl.col("article_id").sort().alias("members"),
        )
        .sort("syndicate_id")
    )


def embedding_text(title: str | None, text: str) -> str:
    """What is embedded for a copy group: headline then body (the model truncates to its window)."""
    return f"{title}\n{text}" if title else text


def _days(published: pl.Series) -> np.ndarray:
    """Publication times in days (NaN where unknown)."""
    return (published.dt.epoch("s").cast(pl.Float64) / 86400.0).fill_null(np.nan).to_numpy()


def _too_far(days_a: np.ndarray, days_b: np.ndarray, window: float) -> np.ndarray:
    """True where both dates are known and further apart than the window."""
    with np.errstate(invalid="ignore"):
        return np.abs(days_a - days_b) > window


def _cluster_component(vectors: np.ndarray, days: np.ndarray, graph: csr_matrix, cfg: StoriesConfig) -> np.ndarray:
    """Average-linkage labels for one connected component of the similarity graph."""
    n = len(vectors)
    if n <= cfg.max_dense_component:
        dist = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
        dist[_too_far(days[:, None], days[None, :], cfg.time_window_days)] = FAR
        np.fill_diagonal(dist, 0.0)
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cfg.distance_threshold
        )
        return model.fit_predict(dist)
    # Too big for a dense matrix: merges may only follow edges of the sparse graph.
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        connectivity=graph,
        distance_threshold=cfg.distance_threshold,
    )
    return model.fit_predict(vectors)


def _split_by_time(labels: np.ndarray, days: np.ndarray, window: float) -> np.ndarray:
    """Split each cluster where its sorted dates leave a gap wider than the window; undated members stay."""
    out = labels.copy()
    next_label = labels.max() + 1 if len(labels) else 0
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        dated = idx[~np.isnan(days[idx])]
        if len(dated) < 2:
            continue
        order = dated[np.argsort(days[dated], kind="stable")]
        cuts = np.flatnonzero(np.diff(days[order]) > window) + 1
        for segment in np.split(order, cuts)[1:]:
            out[segment] = next_label
            next_label += 1
    return out


def radius_edges(vectors: np.ndarray, days: np.ndarray, rows: np.ndarray, cfg: StoriesConfig) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row, other) with cosine distance within the threshold and dates within the window."""
    if len(rows) == 0 or len(vectors) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    nn = NearestNeighbors(radius=cfg.distance_threshold, metric="cosine", algorithm="brute").fit(vectors)
    graph = nn.radius_neighbors_graph(vectors[rows], mode="connectivity").tocoo()
    src, dst = rows[graph.row], graph.col.astype(np.int64)
    keep = (src != dst) & ~_too_far(days[src], days[dst], cfg.time_window_days)
    return src[keep], dst[keep]


def cluster_components(
    vectors: np.ndarray, days: np.ndarray, src: np.ndarray, dst: np.ndarray, cfg: StoriesConfig, only: np.ndarray | None = None
) -> np.ndarray:
    """Story labels from the similarity graph: average linkage within each connected component.

    Average-linkage clusters never cross components, so components are clustered one by one; with
    `only` (a boolean mask), components holding none of those rows are skipped and labelled -1.
    """
    n = len(vectors)
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    n_comp, comp = connected_components(graph, directed=False)
    labels = np.full(n, -1, dtype=np.int64)
    wanted = np.ones(n_comp, dtype=bool) if only is None else np.isin(np.arange(n_comp), comp[only])
    next_label = 0
    for c in np.flatnonzero(wanted):
        idx = np.flatnonzero(comp == c)
        if len(idx) == 1:
            sub = np.zeros(1, dtype=np.int64)
        else:
            sub = _cluster_component(vectors[idx], days[idx], graph[idx][:, idx], cfg)
        sub = _split_by_time(sub, days[idx], cfg.time_window_days)
        labels[idx] = sub + next_label
        next_label += int(sub.max()) + 1
    return labels


def cluster_stories(vectors: np.ndarray, days: np.ndarray, cfg: StoriesConfig) -> np.ndarray:
    """Story labels for L2-normalised vectors; memory grows with the number of close pairs, not n^2."""
    src, dst = radius_edges(vectors, days, np.arange(len(vectors)), cfg)
    return cluster_components(vectors, days, src, dst, cfg)


def assign_stories(documents: pl.DataFrame, embedder: Embedder, cfg: StoriesConfig) -> pl.DataFrame:
    """Add story_id to every document: copy groups embedded once, then clustered with the time window."""
    reps = representatives(documents)
    texts = [embedding_text(t, x) for t, x in zip(reps["title"].to_list(), reps["text"].to_list())]
    vectors = embedder.embed(texts)
    labels = cluster_stories(vectors, _days(reps["published"]), cfg)
    by_group = pl.DataFrame({"syndicate_id": reps["syndicate_id"], "label": labels})
    members = documents.select("article_id", "syndicate_id").join(by_group, on="syndicate_id")
    names = members.group_by("label").agg(pl.col("article_id").min().alias("first"))
    names = names.with_columns(story_id=pl.Series([group_id("story", [first]) for first in names["first"]], dtype=pl.String))
    story_of = members.join(names, on="label").select("syndicate_id", "story_id").unique()
    return documents.join(story_of, on="syndicate_id", how="left").sort("article_id")
