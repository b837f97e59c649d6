"""Stories: copy groups embedded once each and clustered (average linkage) into real-world events.

Two copy groups are alike by a blend of their embeddings' cosine and the cosine of their TF-IDF word
vectors (names, places and numbers weigh more in the words than in a 256-token embedding). The
distance is corrected for hubness (CSLS, Conneau et al. 2018): each group's mean similarity to its k
nearest neighbours is subtracted, so groups in a crowded topic (weekly jobless claims, one long saga)
must be closer to each other than to their neighbourhood to merge. Candidate pairs come from an
embedding radius within the time window; connected components of the candidate graph are clustered
one by one, so memory follows the number of close pairs, and a component depends only on its members.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix, triu, vstack
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import HashingVectorizer

from newsdedup.config import StoriesConfig
from newsdedup.embed import Embedder
from newsdedup.normalize import unaccented
from newsdedup.syndication import group_id

FAR = 10.0  # distance given to pairs that the time window keeps apart
TERM_FEATURES = 2**18  # hashed word features of the TF-IDF vectors

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def _words_and_figures(text: str) -> str:
    """Lower case, and each figure one word: '21,000' -> '21000', '6.6' -> '6_6' (the word pattern keeps
    neither part of a decimal, and splits thousands)."""
    return _DECIMAL.sub("_", _THOUSANDS.sub("", unaccented(text).lower()))  # "zurich", as words() reads it


# Words of two or more letters, and single digits: figures tell events apart ('4.8 million claims' is not
# '3.9 million claims'; 'Day 3'). On allsides_lead_story B-cubed F1 went 0.8987 -> 0.9005 (its train split
# 0.9045 -> 0.9063, val + test unchanged at 0.9124), basil unchanged.
_HASHER = HashingVectorizer(
    n_features=TERM_FEATURES,
    alternate_sign=False,
    norm=None,
    stop_words="english",
    dtype=np.float32,
    preprocessor=_words_and_figures,
    token_pattern=r"(?u)\b\w\w+\b|\b\d\b",
)

Terms = Callable[[np.ndarray], csr_matrix]  # rows -> their L2-normalised TF-IDF vectors


def term_counts(texts: list[str]) -> csr_matrix:
    """Word counts of each text in hashed columns (stateless: no vocabulary to fit or keep)."""
    if not texts:
        return csr_matrix((0, TERM_FEATURES), dtype=np.float32)
    return _HASHER.transform(texts).tocsr()


@dataclass
class TermStats:
    """Document frequencies of hashed words over every article seen: the IDF half of TF-IDF.

    Additive, so an incremental run adds its new articles and takes away removed ones, and ends with
    the same numbers as one run over the same articles.
    """

    n_docs: int = 0
    df: np.ndarray = field(default_factory=lambda: np.zeros(TERM_FEATURES, dtype=np.int64))

    def add(self, counts: csr_matrix, sign: int = 1) -> None:
        self.n_docs += sign * counts.shape[0]
        self.df += sign * np.bincount(counts.indices, minlength=TERM_FEATURES)

    def remove(self, counts: csr_matrix) -> None:
        self.add(counts, -1)

    def idf(self) -> np.ndarray:
        """Smoothed IDF of every hashed word (scikit-learn's formula)."""
        return np.log((1.0 + self.n_docs) / (1.0 + np.maximum(self.df, 0))) + 1.0

    def weigh(self, counts: csr_matrix, idf: np.ndarray | None = None) -> csr_matrix:
        """Sublinear TF times smoothed IDF, rows L2-normalised (what scikit-learn's TfidfVectorizer gives).
        idf: this table's idf(), from a caller that weighs many times while the table stays as it is."""
        out = counts.astype(np.float64, copy=True)
        out.data = 1.0 + np.log(out.data)
        idf = self.idf() if idf is None else idf
        out = out.multiply(idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
        out = csr_matrix(out.multiply(1.0 / np.where(norms == 0, 1.0, norms)[:, None]))
        return out


def term_stats(texts: list[str]) -> TermStats:
    stats = TermStats()
    stats.add(term_counts(texts))
    return stats


def text_terms(texts: list[str], stats: TermStats, counts: csr_matrix | None = None) -> Terms:
    """TF-IDF vectors of the given texts by row, computed on first use; counts: the texts' word counts (term_counts),
    row for row, when known (the state keeps each copy group's), weighed all at once."""
    if counts is not None:
        weighted: list[csr_matrix] = []

        def rows_known(rows: np.ndarray) -> csr_matrix:
            if not weighted:
                weighted.append(stats.weigh(counts))
            return weighted[0][np.asarray(rows, dtype=np.int64)]

        return rows_known
    cache: dict[int, csr_matrix] = {}

    def rows_of(rows: np.ndarray) -> csr_matrix:
        todo = sorted({int(r) for r in rows} - set(cache))
        if todo:
            weighted = stats.weigh(term_counts([texts[r] for r in todo]))
            for i, r in enumerate(todo):
                cache[r] = weighted[i]
        return csr_matrix(vstack([cache[int(r)] for r in rows])) if len(rows) else csr_matrix((0, TERM_FEATURES))

    return rows_of


def blend(sims: np.ndarray, words: np.ndarray, cfg: StoriesConfig) -> np.ndarray:
    """The blended similarity: embedding cosine and TF-IDF cosine, weighted by the config."""
    return cfg.embedding_weight * sims + (1.0 - cfg.embedding_weight) * words


def pair_similarity(vectors: np.ndarray, terms: Terms | None, src: np.ndarray, dst: np.ndarray, cfg: StoriesConfig) -> np.ndarray:
    """Blended similarity of row pairs: embedding cosine and TF-IDF cosine, weighted by the config."""
    sims = np.einsum("ij,ij->i", vectors[src], vectors[dst]) if len(src) else np.zeros(0)
    if terms is None or cfg.embedding_weight >= 1.0 or not len(src):
        return sims
    rows = np.unique(np.concatenate([src, dst]))
    where = {int(r): i for i, r in enumerate(rows)}
    weighted = terms(rows)
    left = np.array([where[int(r)] for r in src], dtype=np.int64)
    right = np.array([where[int(r)] for r in dst], dtype=np.int64)
    words = np.zeros(len(src))
    for start in range(0, len(src), 20_000):  # row-wise dot products, a bounded slice of pairs at a time
        part = slice(start, start + 20_000)
        words[part] = np.asarray(weighted[left[part]].multiply(weighted[right[part]]).sum(axis=1)).ravel()
    return blend(sims, words, cfg)


def mean_of_top(sims: np.ndarray, k: int) -> np.ndarray:
    """Each row's mean of its k largest values (missing or -inf ones count 0): a neighbourhood's similarity."""
    top = -np.sort(-sims, axis=1)[:, :k]
    return np.where(np.isfinite(top), top, 0.0).sum(axis=1) / k


def hubness(sims: np.ndarray, apart: np.ndarray, k: int, also: np.ndarray | None = None) -> np.ndarray:
    """Each row's mean similarity to its k nearest others (pairs `apart` excluded, missing ones count 0); also: each
    row's similarities to others not among these rows (-inf where it has fewer), taken with them."""
    if k == 0 or len(sims) < 2:
        return np.zeros(len(sims))
    masked = np.where(apart, -np.inf, sims)
    np.fill_diagonal(masked, -np.inf)
    return mean_of_top(masked if also is None else np.hstack([also, masked]), k)


def edge_hubness(n: int, src: np.ndarray, dst: np.ndarray, sims: np.ndarray, k: int) -> np.ndarray:
    """Each row's mean similarity to its k nearest others among its candidate pairs (missing ones count 0):
    the hubness values when only the candidate graph is at hand."""
    hub = np.zeros(n)
    if k == 0 or not len(src):
        return hub
    rows = np.concatenate([src, dst])
    values = np.concatenate([sims, sims])
    order = np.lexsort((-values, rows))
    rows, values = rows[order], values[order]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    top = rank < k
    np.add.at(hub, rows[top], values[top])
    return hub / k


def corrected_distance(sims: np.ndarray, hub_a: np.ndarray, hub_b: np.ndarray, cfg: StoriesConfig) -> np.ndarray:
    """CSLS distance 1 - (2 s - r_a - r_b), each r at least min_hubness (a sparse neighbourhood must not make
    loosely related groups merge); with no hubness correction (0 neighbours) the plain 1 - s."""
    if cfg.neighbours == 0:
        return np.clip(1.0 - sims, 0.0, None)
    floor = cfg.min_hubness
    return np.clip(1.0 - (2.0 * sims - np.maximum(hub_a, floor) - np.maximum(hub_b, floor)), 0.0, None)


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


def days_of(published: pl.Series) -> np.ndarray:
    """Publication times in days (NaN where unknown)."""
    return (published.dt.epoch("s").cast(pl.Float64) / 86400.0).fill_null(np.nan).to_numpy()


def too_far(days_a: np.ndarray, days_b: np.ndarray, window: float) -> np.ndarray:
    """True where both dates are known and further apart than the window."""
    with np.errstate(invalid="ignore"):
        return np.abs(days_a - days_b) > window


def _members(labels: np.ndarray, n: int) -> list[np.ndarray]:
    """The rows of each label 0..n-1 (components of a graph), each in row order."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.searchsorted(labels[order], np.arange(1, n)))


def cluster_dense(
    vectors: np.ndarray, words: csr_matrix | None, days: np.ndarray, cfg: StoriesConfig, hub: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Average linkage on the full hubness-corrected distance matrix (hubness from these rows unless given)."""
    sims = vectors @ vectors.T
    if words is not None and cfg.embedding_weight < 1.0:
        sims = blend(sims, (words @ words.T).toarray(), cfg)
    return cluster_similarities(sims, days, cfg, hub)


def cluster_similarities(
    sims: np.ndarray, days: np.ndarray, cfg: StoriesConfig, hub: np.ndarray | None = None, also: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """cluster_dense on the rows' blended similarities, already at hand; hubness from these rows and `also` (each
    row's similarities to others outside them, see hubness) unless given."""
    apart = too_far(days[:, None], days[None, :], cfg.time_window_days)
    if hub is None:
        hub = hubness(sims, apart, cfg.neighbours, also)
    dist = corrected_distance(sims, hub[:, None], hub[None, :], cfg)
    dist[apart | (sims < cfg.min_similarity)] = FAR
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cfg.distance_threshold
    )
    return model.fit_predict(dist), hub


def _cluster_sparse(vectors: np.ndarray, graph: csr_matrix, cfg: StoriesConfig) -> np.ndarray:
    """Embedding-only average linkage whose merges follow the graph's edges (no dense matrix at all)."""
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", connectivity=graph, distance_threshold=cfg.fallback_distance
    )
    return model.fit_predict(vectors)


def _cluster_component(
    vectors: np.ndarray,
    words: csr_matrix | None,
    days: np.ndarray,
    graph: csr_matrix,
    cfg: StoriesConfig,
    changed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Average-linkage labels and hubness values for one connected component of the candidate graph.

    A component too big for a dense matrix (a long-running topic chained from day to day in a large archive) is cut
    first where no candidate pair is within distance_threshold: average linkage never merges two parts whose every
    pair is further apart than the threshold, so the parts are clustered one by one as the whole would be over its
    candidate pairs (a close pair the candidate graph lacks is ignored across parts, as between components), with
    hubness taken over the component's candidate pairs. Only a part still too big is clustered on embeddings alone
    (fallback_distance). With `changed` (a boolean mask: groups new or changed since their stories were made), only
    the parts a change reaches are clustered: those holding a changed group, a candidate neighbour of one (its
    hubness takes the change in) or a neighbour of those (whose pairs with them may stop or start being close); the
    rest keep their stories, label -1, as components no change touches do."""
    n = len(vectors)
    if n <= cfg.max_dense_component:
        return cluster_dense(vectors, words, days, cfg)
    pairs = triu(graph + graph.T, k=1).tocoo()
    src, dst = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
    sims = pair_similarity(vectors, None if words is None else (lambda rows: words[rows]), src, dst, cfg)
    hub = edge_hubness(n, src, dst, sims, cfg.neighbours)
    close = corrected_distance(sims, hub[src], hub[dst], cfg) <= cfg.distance_threshold + 1e-9  # BLAS vs einsum
    close &= (sims >= cfg.min_similarity) & ~too_far(days[src], days[dst], cfg.time_window_days)
    n_parts, part = connected_components(csr_matrix((np.ones(int(close.sum())), (src[close], dst[close])), shape=(n, n)), directed=False)
    labels = np.full(n, -1, dtype=np.int64)
    reached = np.ones(n_parts, dtype=bool)
    if changed is not None:
        near = changed.copy()
        for _ in range(2):  # their neighbours' hubness moved, and with it whether those neighbours' own pairs are close
            step = near.copy()
            step[dst[near[src]]] = step[src[near[dst]]] = True
            near = step
        reached = np.isin(np.arange(n_parts), part[near])
    next_label = 0
    for p, idx in enumerate(_members(part, n_parts)):
        if not reached[p]:
            continue
        if len(idx) == 1:
            sub = np.zeros(1, dtype=np.int64)
        elif len(idx) <= cfg.max_dense_component:
            sub = cluster_dense(vectors[idx], None if words is None else words[idx], days[idx], cfg, hub[idx])[0]
        else:
            sub = _cluster_sparse(vectors[idx], graph[idx][:, idx], cfg)
        labels[idx] = sub + next_label
        next_label += int(sub.max()) + 1
    return labels, hub


def split_by_time(labels: np.ndarray, days: np.ndarray, window: float) -> np.ndarray:
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
    """Candidate pairs (row, other): embedding cosine distance within candidate_distance, dates within the
    window, at most max_candidates nearest per row (so an undated crowd of one topic stays O(n) edges)."""
    if len(rows) == 0 or len(vectors) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    m = min(cfg.max_candidates, len(vectors) - 1)
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    srcs, dsts = [], []
    chunk = max(1, (1 << 24) // len(vectors))  # about 64 MB of similarities at a time
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        sims = vectors[part] @ vectors.T
        sims[np.arange(len(part)), part] = -np.inf
        sims[too_far(days[part][:, None], days[None, :], cfg.time_window_days)] = -np.inf
        sims[sims < 1.0 - cfg.candidate_distance] = -np.inf
        top = np.argpartition(-sims, m - 1, axis=1)[:, :m] if m < len(vectors) else np.argsort(-sims, axis=1)[:, :m]
        src = np.repeat(part, top.shape[1])
        dst = top.ravel().astype(np.int64)
        keep = np.isfinite(sims[np.repeat(np.arange(len(part)), top.shape[1]), dst])
        srcs.append(src[keep])
        dsts.append(dst[keep])
    return np.concatenate(srcs), np.concatenate(dsts)


def story_edges(
    vectors: np.ndarray, days: np.ndarray, rows: np.ndarray, terms: Terms | None, cfg: StoriesConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs of the given rows whose blended similarity reaches min_similarity.

    A pair below it is never one story, so components of this graph can be clustered apart.
    """
    src, dst = radius_edges(vectors, days, rows, cfg)
    keep = pair_similarity(vectors, terms, src, dst, cfg) >= cfg.min_similarity
    return src[keep], dst[keep]


def cluster_components(
    vectors: np.ndarray,
    days: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    cfg: StoriesConfig,
    only: np.ndarray | None = None,
    terms: Terms | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Story labels and hubness values from the candidate graph: average linkage within each component.

    Pairs in different components are below min_similarity, hence never merged, so components are
    clustered one by one; with `only` (a boolean mask), components holding none of those rows are
    skipped: label -1, hubness NaN, and so are the parts of a component cut for its size that they do not
    reach (label -1; _cluster_component).
    """
    n = len(vectors)
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    n_comp, comp = connected_components(graph, directed=False)
    labels = np.full(n, -1, dtype=np.int64)
    hubs = np.full(n, np.nan)
    wanted = np.ones(n_comp, dtype=bool) if only is None else np.isin(np.arange(n_comp), comp[only])
    members = _members(comp, n_comp)
    next_label = 0
    for c in np.flatnonzero(wanted):
        idx = members[c]
        if len(idx) == 1:
            sub, hub = np.zeros(1, dtype=np.int64), np.zeros(1)
        else:
            words = terms(idx) if terms is not None else None
            changed = None if only is None else only[idx]
            sub, hub = _cluster_component(vectors[idx], words, days[idx], graph[idx][:, idx], cfg, changed)
        done = sub >= 0
        sub = split_by_time(sub[done], days[idx[done]], cfg.time_window_days)
        labels[idx[done]] = sub + next_label
        hubs[idx] = hub
        next_label += int(sub.max()) + 1 if len(sub) else 0
    return labels, hubs


def cluster_stories(vectors: np.ndarray, days: np.ndarray, cfg: StoriesConfig, terms: Terms | None = None) -> np.ndarray:
    """Story labels for L2-normalised vectors (and TF-IDF rows); memory grows with close pairs, not n^2."""
    src, dst = story_edges(vectors, days, np.arange(len(vectors)), terms, cfg)
    return cluster_components(vectors, days, src, dst, cfg, terms=terms)[0]


def headline_and_body(rows: pl.DataFrame) -> list[str]:
    """Each row's headline and body as one text: what is embedded for a copy group (its representative's
    row) and what the word statistics count for an article."""
    return [embedding_text(t, x) for t, x in zip(rows["title"].to_list(), rows["text"].to_list())]


def assign_stories(documents: pl.DataFrame, embedder: Embedder, cfg: StoriesConfig) -> pl.DataFrame:
    """Add story_id to every document: copy groups embedded once, then clustered with the time window."""
    reps = representatives(documents)
    texts = headline_and_body(reps)
    vectors = embedder.embed(texts)
    terms = text_terms(texts, term_stats(headline_and_body(documents)))
    labels = cluster_stories(vectors, days_of(reps["published"]), cfg, terms)
    by_group = pl.DataFrame({"syndicate_id": reps["syndicate_id"], "label": labels})
    members = documents.select("article_id", "syndicate_id").join(by_group, on="syndicate_id")
    names = members.group_by("label").agg(pl.col("article_id").min().alias("first"))
    names = names.with_columns(story_id=pl.Series([group_id("story", [first]) for first in names["first"]], dtype=pl.String))
    story_of = members.join(names, on="label").select("syndicate_id", "story_id").unique()
    return documents.join(story_of, on="syndicate_id", how="left").sort("article_id")
