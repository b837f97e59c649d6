"""Syndicated copies: MinHash LSH candidates over word shingles, each pair verified on the exact shingle sets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import polars as pl
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsdedup.config import SyndicationConfig
from newsdedup.normalize import shingle_hashes


def identity_hash(value: int) -> int:
    """Shingles arrive already hashed to 32 bits; MinHash uses them as they are."""
    return value


@dataclass(frozen=True)
class PairScore:
    """How two articles' shingle sets overlap."""

    shared: int
    jaccard: float
    containment: float


def score_pair(a: np.ndarray, b: np.ndarray) -> PairScore:
    """Exact Jaccard and containment (shared over the smaller set) of two sorted unique shingle arrays."""
    if len(a) == 0 or len(b) == 0:
        return PairScore(0, 0.0, 0.0)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return PairScore(shared, shared / (len(a) + len(b) - shared), shared / min(len(a), len(b)))


def is_copy(score: PairScore, cfg: SyndicationConfig) -> bool:
    """A pair is one text republished when most shingles are shared, or the shorter lies inside the longer."""
    if score.jaccard >= cfg.min_jaccard:
        return True
    return score.containment >= cfg.min_containment and score.shared >= cfg.min_shared_shingles


def fingerprint(texts: list[str], cfg: SyndicationConfig) -> tuple[list[np.ndarray], list[MinHash]]:
    """Shingle hash sets and their MinHash signatures, computed in bulk."""
    shingles = [shingle_hashes(text, cfg.shingle_size) for text in texts]
    signatures = MinHash.bulk(
        (s.tolist() for s in shingles), num_perm=cfg.num_perm, seed=cfg.seed, hashfunc=identity_hash
    )
    return shingles, signatures


SCHEME = "affine32"  # datasketch's permutation scheme of MinHash.bulk's signatures: uint32 values


def signature_matrix(signatures: list[MinHash], num_perm: int) -> np.ndarray:
    """MinHash values as an (n, num_perm) uint32 matrix (the affine32 scheme keeps them below 2**32)."""
    if not signatures:
        return np.zeros((0, num_perm), dtype=np.uint32)
    return np.vstack([sig.hashvalues for sig in signatures]).astype(np.uint32)


def estimated_overlap(
    mine: np.ndarray, n_mine: int, theirs: np.ndarray, n_theirs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash estimates of Jaccard and of containment (shared over the smaller set) against many sketches.

    mine: one signature row; theirs: a matrix of signature rows; n_*: shingle set sizes. The shared count
    follows from Jaccard and the two sizes: |A & B| = J (|A| + |B|) / (1 + J).
    """
    jaccard = (theirs == mine).mean(axis=1)
    smaller = np.maximum(np.minimum(n_mine, n_theirs), 1)
    return jaccard, np.minimum(estimated_shared(jaccard, n_mine, n_theirs) / smaller, 1.0)


def estimated_shared(jaccard: np.ndarray, n_mine: int, n_theirs: np.ndarray) -> np.ndarray:
    """The shared shingle count that a Jaccard estimate and the two set sizes imply: J (|A| + |B|) / (1 + J)."""
    return jaccard * (n_mine + n_theirs) / (1.0 + jaccard)


def worth_verifying(jaccard: np.ndarray, containment: np.ndarray, cfg: SyndicationConfig) -> np.ndarray:
    """Candidates whose estimates come near enough to a copy threshold to be verified exactly."""
    return (jaccard >= cfg.min_jaccard - cfg.estimate_margin) | (containment >= cfg.min_containment - cfg.estimate_margin)


def candidate_pairs(keys: list[str], signatures: list[MinHash], cfg: SyndicationConfig) -> set[tuple[int, int]]:
    """Index pairs (i < j) that MinHashLSH puts in a common bucket."""
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    with lsh.insertion_session() as session:
        for key, sig in zip(keys, signatures):
            session.insert(key, sig, check_duplication=False)
    index = {key: i for i, key in enumerate(keys)}
    pairs: set[tuple[int, int]] = set()
    for i, sig in enumerate(signatures):
        for other in lsh.query(sig):
            j = index[other]
            if j > i:
                pairs.add((i, j))
    return pairs


def index_signatures(keys: list[str], signatures: np.ndarray, cfg: SyndicationConfig) -> MinHashLSH:
    """The MinHashLSH index that inserting each row of signatures (signature_matrix) under its key makes, built a band
    at a time: the state keeps the signatures, not a pickle of the index (a pickle in the output folder could run
    code), and filling the storages band by band takes half the time of inserting row by row."""
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    if not keys:
        return lsh
    with lsh.insertion_session() as session:  # the first as any is inserted: the index learns the MinHash scheme
        session.insert(keys[0], LeanMinHash(seed=cfg.seed, hashvalues=signatures[0], scheme=SCHEME), check_duplication=False)
    rest = np.ascontiguousarray(signatures[1:], dtype=np.uint32).byteswap()  # as MinHashLSH keys a band: its bytes, swapped
    bands = [np.ascontiguousarray(rest[:, start:end]).view(f"V{4 * (end - start)}").ravel().tolist()
             for start, end in lsh.hashranges]
    for table, band in zip(lsh.hashtables, bands):
        for value, key in zip(band, keys[1:]):
            table.insert(value, key)
    for key, *values in zip(keys[1:], *bands):
        lsh.keys.insert(key, *values)
    return lsh


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_id(prefix: str, member_ids: list[str]) -> str:
    """A deterministic group id derived from the smallest member id."""
    return f"{prefix}_{hashlib.sha1(min(member_ids).encode()).hexdigest()[:12]}"


def find_syndicates(documents: pl.DataFrame, cfg: SyndicationConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Assign every document a syndicate_id; also return the verified copy pairs with their scores.

    documents must be sorted by article_id; the result keeps that order.
    """
    ids: list[str] = documents["article_id"].to_list()
    shingles, signatures = fingerprint(documents["text"].to_list(), cfg)
    uf = UnionFind(len(ids))
    edges = []
    for i, j in sorted(candidate_pairs(ids, signatures, cfg)):
        score = score_pair(shingles[i], shingles[j])
        if is_copy(score, cfg):
            uf.union(i, j)
            edges.append((ids[i], ids[j], score.jaccard, score.containment))
    members: dict[int, list[str]] = {}
    for i, article_id in enumerate(ids):
        members.setdefault(uf.find(i), []).append(article_id)
    names = {root: group_id("syn", group) for root, group in members.items()}
    assigned = documents.with_columns(syndicate_id=pl.Series([names[uf.find(i)] for i in range(len(ids))], dtype=pl.String))
    pairs = pl.DataFrame(
        edges,
        schema={"article_id": pl.String, "copy_of": pl.String, "jaccard": pl.Float64, "containment": pl.Float64},
        orient="row",
    )
    return assigned, pairs
