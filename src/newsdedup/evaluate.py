"""Clustering quality against labels: pairwise and B-cubed precision / recall / F1, ARI, and the worst errors."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import polars as pl
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _prf(precision: float, recall: float) -> PRF:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(round(precision, 4), round(recall, 4), round(f1, 4))


def _pairs(counts: np.ndarray) -> float:
    return float((counts * (counts - 1) / 2).sum())


def pairwise(truth: np.ndarray, pred: np.ndarray) -> PRF:
    """Precision and recall over all same-cluster pairs, from the contingency table (no n^2 loop)."""
    table = contingency_matrix(truth, pred, sparse=True)
    together = _pairs(table.data.astype(np.float64))
    pred_pairs = _pairs(np.asarray(table.sum(axis=0)).ravel().astype(np.float64))
    true_pairs = _pairs(np.asarray(table.sum(axis=1)).ravel().astype(np.float64))
    return _prf(together / pred_pairs if pred_pairs else 1.0, together / true_pairs if true_pairs else 1.0)


def bcubed(truth: np.ndarray, pred: np.ndarray) -> PRF:
    """B-cubed precision and recall: per item, the share of its predicted (true) cluster it is right about."""
    table = contingency_matrix(truth, pred, sparse=True).tocoo()
    n = len(truth)
    pred_size = np.asarray(table.tocsr().sum(axis=0)).ravel()
    true_size = np.asarray(table.tocsr().sum(axis=1)).ravel()
    shared = table.data.astype(np.float64)
    precision = float((shared * shared / pred_size[table.col]).sum() / n)
    recall = float((shared * shared / true_size[table.row]).sum() / n)
    return _prf(precision, recall)


@dataclass(frozen=True)
class ErrorCase:
    """A predicted cluster that mixes true groups, or a true group spread over predicted clusters."""

    kind: str
    size: int
    parts: int
    titles: list[str]


@dataclass
class LevelScore:
    """All scores for one level (copies or stories)."""

    level: str
    n_items: int
    n_true_clusters: int
    n_pred_clusters: int
    pairwise: PRF
    bcubed: PRF
    ari: float
    worst_merges: list[ErrorCase] = field(default_factory=list)
    worst_splits: list[ErrorCase] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _worst(frame: pl.DataFrame, group: str, other: str, kind: str, top: int) -> list[ErrorCase]:
    parts = (
        frame.group_by(group)
        .agg(pl.len().alias("size"), pl.col(other).n_unique().alias("parts"), pl.col("title").head(6).alias("titles"))
        .filter(pl.col("parts") > 1)
        .sort(["parts", "size", group], descending=[True, True, False])
        .head(top)
    )
    return [ErrorCase(kind, r["size"], r["parts"], r["titles"]) for r in parts.iter_rows(named=True)]


def score_level(level: str, frame: pl.DataFrame, truth: str, pred: str, top: int = 5) -> LevelScore:
    """Score predicted labels against true ones over the rows of frame (which also carries `title`)."""
    t = frame[truth].cast(pl.String).to_numpy()
    p = frame[pred].cast(pl.String).to_numpy()
    return LevelScore(
        level=level,
        n_items=frame.height,
        n_true_clusters=frame[truth].n_unique(),
        n_pred_clusters=frame[pred].n_unique(),
        pairwise=pairwise(t, p),
        bcubed=bcubed(t, p),
        ari=round(float(adjusted_rand_score(t, p)), 4),
        worst_merges=_worst(frame, pred, truth, "merged", top),
        worst_splits=_worst(frame, truth, pred, "split", top),
    )


def score_against_labels(articles: pl.DataFrame, labels: pl.DataFrame, top: int = 5) -> tuple[list[LevelScore], int]:
    """Scores per labelled level (syndicate_id, story_id); also the number of labelled ids not found."""
    if "id" not in labels.columns:
        raise ValueError("labels file needs an `id` column")
    levels = [c for c in ("syndicate_id", "story_id") if c in labels.columns]
    if not levels:
        raise ValueError("labels file needs a `syndicate_id` or `story_id` column")
    labels = labels.select(pl.col("id").cast(pl.String).alias("article_id"), *[pl.col(c).alias(f"true_{c}") for c in levels])
    joined = articles.join(labels, on="article_id", how="inner")
    missing = labels.height - joined.height
    names = {"syndicate_id": "copies", "story_id": "stories"}
    return [score_level(names[c], joined, f"true_{c}", c, top) for c in levels], missing


@dataclass(frozen=True)
class BinaryScore:
    accuracy: float
    precision: float
    recall: float
    f1: float


def binary_scores(truth: np.ndarray, decided: np.ndarray) -> BinaryScore:
    """Accuracy, precision, recall and F1 of yes/no decisions."""
    truth, decided = truth.astype(bool), decided.astype(bool)
    tp = int((truth & decided).sum())
    precision = tp / decided.sum() if decided.sum() else 0.0
    recall = tp / truth.sum() if truth.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BinaryScore(
        round(float((truth == decided).mean()), 4), round(float(precision), 4), round(float(recall), 4), round(float(f1), 4)
    )


def worst_decisions(truth: np.ndarray, decided: np.ndarray, similarity: np.ndarray, top: int = 5) -> tuple[list[int], list[int]]:
    """The rows of the most confident wrong yes/no decisions: false positives with the highest similarity,
    false negatives with the lowest (the pairs a person should read first to see why)."""
    truth, decided = truth.astype(bool), decided.astype(bool)
    false_pos = np.flatnonzero(decided & ~truth)
    false_neg = np.flatnonzero(~decided & truth)
    return (
        false_pos[np.argsort(-similarity[false_pos], kind="stable")][:top].tolist(),
        false_neg[np.argsort(similarity[false_neg], kind="stable")][:top].tolist(),
    )
