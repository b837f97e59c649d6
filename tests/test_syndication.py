"""syndication: hand-made copies join their seed's syndicate, independent write-ups never merge, ids are stable."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from newsdedup.config import IngestConfig, SyndicationConfig
from newsdedup.ingest import read_inputs
from newsdedup.normalize import shingle_hashes
from newsdedup.syndication import (
    PairScore,
    UnionFind,
    candidate_pairs,
    estimated_overlap,
    find_syndicates,
    fingerprint,
    group_id,
    is_copy,
    score_pair,
    signature_matrix,
    worth_verifying,
)

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
COPIES = FIXTURES / "copies"
CFG = SyndicationConfig()
SEED_IDS = [
    "000_88db8367fec8dc5d",
    "001_72621f2fa7bf588d",
    "002_ae9f11a7c17e6c9e",
    "003_b5333d69a80e2512",
    "004_aa58e34a18a8b4a3",
]


def _labels() -> list[dict[str, str]]:
    with (COPIES / "labels.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> pl.DataFrame:
    """The seeds and the hand-made copies, ingested from one folder."""
    root = tmp_path_factory.mktemp("corpus")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, root)
    for row in _labels():
        shutil.copy(COPIES / row["file"], root)
    docs, rejects = read_inputs(root, IngestConfig())
    assert rejects.height == 0, rejects.to_dicts()
    assert docs.height == 5 + len(_labels())
    return docs


@pytest.fixture(scope="module")
def syndicates(corpus) -> tuple[pl.DataFrame, pl.DataFrame]:
    return find_syndicates(corpus, CFG)


def _syndicate_of_path(assigned: pl.DataFrame) -> dict[str, str]:
    return dict(zip(assigned["path"], assigned["syndicate_id"]))


def _text(corpus: pl.DataFrame, path: str) -> str:
    return corpus.filter(pl.col("path") == path)["text"].item()


# --- seeds and copies ----------------------------------------------------------------------------------


def test_labels_cover_every_copy_file():
    files = {p.name for p in COPIES.iterdir() if p.suffix in {".txt", ".json", ".html"}}
    assert {row["file"] for row in _labels()} == files
    assert all((SEEDS / row["copy_of_seed"]).is_file() for row in _labels())


@pytest.mark.parametrize("row", _labels(), ids=lambda row: row["file"])
def test_each_copy_joins_its_seed_syndicate(syndicates, row):
    by_path = _syndicate_of_path(syndicates[0])
    assert by_path[row["file"]] == by_path[row["copy_of_seed"]]


def test_seeds_are_all_in_different_syndicates(syndicates):
    assigned = syndicates[0]
    seed_syndicates = assigned.filter(pl.col("article_id").is_in(SEED_IDS))["syndicate_id"].to_list()
    assert len(seed_syndicates) == 5
    assert len(set(seed_syndicates)) == 5


def test_whole_corpus_has_exactly_five_syndicates(syndicates):
    assigned = syndicates[0]
    assert assigned["syndicate_id"].n_unique() == 5
    sizes = dict(assigned.group_by("syndicate_id").len().rows())
    assert sorted(sizes.values()) == [1, 1, 2, 2, 3]


def test_000_and_003_share_sentences_but_not_a_syndicate(corpus, syndicates):
    t000 = _text(corpus, "000_88db8367fec8dc5d.txt")
    t003 = _text(corpus, "003_b5333d69a80e2512.txt")
    shared_sentence = "militants also stormed a district jail, freeing at least 30 inmates and seizing weapons and ammunition"
    assert shared_sentence in t000 and shared_sentence in t003
    score = score_pair(shingle_hashes(t000, CFG.shingle_size), shingle_hashes(t003, CFG.shingle_size))
    assert score.shared > 0
    assert not is_copy(score, CFG)
    by_path = _syndicate_of_path(syndicates[0])
    assert by_path["000_88db8367fec8dc5d.txt"] != by_path["003_b5333d69a80e2512.txt"]


def test_update_copy_does_not_pull_003_into_000s_syndicate(corpus, syndicates):
    update = shingle_hashes(_text(corpus, "000_update.txt"), CFG.shingle_size)
    seed_003 = shingle_hashes(_text(corpus, "003_b5333d69a80e2512.txt"), CFG.shingle_size)
    assert not is_copy(score_pair(update, seed_003), CFG)
    by_path = _syndicate_of_path(syndicates[0])
    assert by_path["000_update.txt"] != by_path["003_b5333d69a80e2512.txt"]


def test_copy_pairs_table_lists_verified_pairs_with_scores(syndicates):
    pairs = syndicates[1]
    assert pairs.columns == ["article_id", "copy_of", "jaccard", "containment"]
    got = {(a, b) for a, b in pairs.select("article_id", "copy_of").rows()}
    assert ("001_72621f2fa7bf588d", "courier-001") in got
    assert ("001_72621f2fa7bf588d", "001_trimmed") in got
    assert ("004_aa58e34a18a8b4a3", "004_copy") in got
    assert ("000_88db8367fec8dc5d", "000_update") in got
    assert all(a < b for a, b in got)
    reparagraphed = pairs.filter(pl.col("copy_of") == "courier-001", pl.col("article_id") == "001_72621f2fa7bf588d")
    assert reparagraphed["jaccard"].item() == 1.0  # re-paragraphing and retyping change no shingle
    assert (pairs["containment"] >= CFG.min_containment).all()
    assert not any("003_b5333d69a80e2512" in pair for pair in got)
    assert not any("002_ae9f11a7c17e6c9e" in pair for pair in got)


# --- score_pair and is_copy ----------------------------------------------------------------------------


def test_score_pair_on_tiny_arrays():
    a = np.array([1, 2, 3, 4], dtype=np.uint32)
    b = np.array([3, 4, 5], dtype=np.uint32)
    assert score_pair(a, b) == PairScore(shared=2, jaccard=2 / 5, containment=2 / 3)
    assert score_pair(b, a) == score_pair(a, b)


def test_score_pair_identical_and_disjoint():
    a = np.array([10, 20, 30], dtype=np.uint32)
    assert score_pair(a, a) == PairScore(3, 1.0, 1.0)
    assert score_pair(a, np.array([1, 2], dtype=np.uint32)) == PairScore(0, 0.0, 0.0)


def test_score_pair_subset_has_full_containment():
    small = np.array([2, 3], dtype=np.uint32)
    big = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.uint32)
    assert score_pair(small, big) == PairScore(2, 0.25, 1.0)


def test_score_pair_with_an_empty_side_is_zero():
    empty = np.array([], dtype=np.uint32)
    assert score_pair(empty, np.array([1, 2], dtype=np.uint32)) == PairScore(0, 0.0, 0.0)
    assert score_pair(empty, empty) == PairScore(0, 0.0, 0.0)


def test_is_copy_rules_on_literal_scores():
    assert is_copy(PairScore(shared=5, jaccard=0.5, containment=0.6), CFG)  # Jaccard alone suffices
    assert is_copy(PairScore(shared=15, jaccard=0.2, containment=0.7), CFG)  # contained, enough shingles
    assert not is_copy(PairScore(shared=14, jaccard=0.2, containment=1.0), CFG)  # too few shared shingles
    assert not is_copy(PairScore(shared=100, jaccard=0.49, containment=0.69), CFG)


def test_half_trimmed_copy_is_a_copy_by_containment(corpus):
    seed = shingle_hashes(_text(corpus, "001_72621f2fa7bf588d.txt"), CFG.shingle_size)
    trimmed = shingle_hashes(_text(corpus, "001_trimmed.txt"), CFG.shingle_size)
    score = score_pair(seed, trimmed)
    assert score.containment > 0.95
    assert 0.35 < score.jaccard < 0.6
    assert is_copy(score, CFG)
    # Jaccard alone would miss it: without the containment rule it is no copy.
    assert not is_copy(score, CFG.model_copy(update={"min_containment": 1.0, "min_shared_shingles": 10**6}))


def test_lsh_finds_the_half_trimmed_pair(corpus):
    keys = corpus["article_id"].to_list()
    _, signatures = fingerprint(corpus["text"].to_list(), CFG)
    pairs = candidate_pairs(keys, signatures, CFG)
    i, j = keys.index("001_72621f2fa7bf588d"), keys.index("001_trimmed")
    assert (min(i, j), max(i, j)) in pairs
    assert all(a < b for a, b in pairs)


def test_fingerprint_signatures_follow_the_config(corpus):
    shingles, signatures = fingerprint(corpus["text"].to_list()[:2], CFG)
    assert len(shingles) == len(signatures) == 2
    assert all(len(sig.hashvalues) == CFG.num_perm for sig in signatures)
    assert np.array_equal(shingles[0], shingle_hashes(corpus["text"][0], CFG.shingle_size))


def test_minhash_estimates_follow_the_exact_overlap(corpus):
    paths = ["001_72621f2fa7bf588d.txt", "001_trimmed.txt", "000_88db8367fec8dc5d.txt", "002_ae9f11a7c17e6c9e.txt"]
    shingles, signatures = fingerprint([_text(corpus, p) for p in paths], CFG)
    matrix = signature_matrix(signatures, CFG.num_perm)
    assert matrix.shape == (4, CFG.num_perm) and matrix.dtype == np.uint32
    sizes = np.array([len(s) for s in shingles])
    est_j, est_c = estimated_overlap(matrix[1], sizes[1], matrix, sizes)
    exact = [score_pair(shingles[1], s) for s in shingles]
    assert est_j[1] == 1.0 and est_c[1] == 1.0
    for k in (0, 2, 3):
        assert abs(est_j[k] - exact[k].jaccard) < 0.15
        assert abs(est_c[k] - exact[k].containment) < 0.2
    # the trimmed copy's original is worth verifying; independent write-ups of the story are not
    assert worth_verifying(est_j, est_c, CFG).tolist() == [True, True, False, False]
    # with no margin at all the original (exact containment > 0.95) is still kept
    strict = CFG.model_copy(update={"estimate_margin": 0.0})
    assert worth_verifying(est_j, est_c, strict)[0]


# --- determinism ---------------------------------------------------------------------------------------


def test_ids_are_deterministic_across_runs(corpus, syndicates):
    again, pairs_again = find_syndicates(corpus, CFG)
    assert again.equals(syndicates[0])
    assert pairs_again.equals(syndicates[1])


def test_ids_do_not_depend_on_input_order(corpus, syndicates):
    expected = dict(zip(syndicates[0]["article_id"], syndicates[0]["syndicate_id"]))
    for order in (corpus.reverse(), corpus.sample(fraction=1.0, shuffle=True, seed=7)):
        assigned, _ = find_syndicates(order, CFG)
        assert dict(zip(assigned["article_id"], assigned["syndicate_id"])) == expected


def test_ids_do_not_depend_on_the_input_folder(tmp_path, syndicates):
    # The same files ingested again from another folder, copied in reverse order, give the same ids.
    files = sorted(SEEDS.glob("*.txt")) + [COPIES / row["file"] for row in _labels()]
    for file in reversed(files):
        shutil.copy(file, tmp_path)
    docs, _ = read_inputs(tmp_path, IngestConfig())
    assigned, _ = find_syndicates(docs, CFG)
    assert assigned["syndicate_id"].to_list() == syndicates[0]["syndicate_id"].to_list()


def test_syndicate_id_comes_from_the_smallest_member(syndicates):
    assigned = syndicates[0]
    members = assigned.filter(pl.col("path") == "001_reparagraphed.json")["syndicate_id"].item()
    group = assigned.filter(pl.col("syndicate_id") == members)["article_id"].to_list()
    assert sorted(group) == ["001_72621f2fa7bf588d", "001_trimmed", "courier-001"]
    assert members == group_id("syn", group) == group_id("syn", ["001_72621f2fa7bf588d"])


def test_group_id_ignores_member_order():
    assert group_id("syn", ["b", "a", "c"]) == group_id("syn", ["c", "a"]) != group_id("syn", ["b", "c"])
    assert group_id("syn", ["a"]).startswith("syn_")


# --- union-find ----------------------------------------------------------------------------------------


def test_union_find_is_transitive():
    uf = UnionFind(4)
    uf.union(0, 1)
    uf.union(1, 2)
    assert uf.find(0) == uf.find(2) == 0  # the smallest index is the root
    assert uf.find(3) == 3


def test_union_find_chains_in_any_order():
    uf = UnionFind(5)
    for a, b in [(4, 3), (2, 4), (0, 1), (1, 3)]:
        uf.union(a, b)
    assert {uf.find(i) for i in range(5)} == {0}


def test_chain_of_copies_forms_one_syndicate():
    # B holds the first and second halves; A is the first half, C the second; A and C share nothing.
    paragraphs = [
        p.strip() for p in (SEEDS / "001_72621f2fa7bf588d.txt").read_text(encoding="utf-8").split("\n\n")[1:13]
    ]
    a = "\n\n".join(paragraphs[:6])
    b = "\n\n".join(paragraphs)
    c = "\n\n".join(paragraphs[6:])
    shingles = {k: shingle_hashes(v, CFG.shingle_size) for k, v in {"a": a, "b": b, "c": c}.items()}
    assert is_copy(score_pair(shingles["a"], shingles["b"]), CFG)
    assert is_copy(score_pair(shingles["b"], shingles["c"]), CFG)
    assert not is_copy(score_pair(shingles["a"], shingles["c"]), CFG)

    docs = pl.DataFrame({"article_id": ["a", "b", "c"], "text": [a, b, c]})
    assigned, pairs = find_syndicates(docs, CFG)
    assert assigned["syndicate_id"].n_unique() == 1
    assert assigned["syndicate_id"][0] == group_id("syn", ["a"])
    assert {tuple(r) for r in pairs.select("article_id", "copy_of").rows()} == {("a", "b"), ("b", "c")}


def test_unrelated_short_texts_stay_apart():
    docs = pl.DataFrame(
        {
            "article_id": ["x", "y"],
            "text": ["Officials said the attacks were repelled.", "Markets closed higher on Monday in Karachi."],
        }
    )
    assigned, pairs = find_syndicates(docs, CFG)
    assert assigned["syndicate_id"].n_unique() == 2
    assert pairs.height == 0
