#!/usr/bin/env python3
"""Measure newsdedup's quality on real labelled data against two plain baselines, and check the facts.

Parts (``--only copies,stories,facts,msrp``; all by default):

* copies   syndication benchmark (``republish`` from bench/make_syndication.py on ../shared/eval/basil_story):
           newsdedup ``read_inputs`` -> ``find_syndicates`` against the syndicate labels, and a plain
           MinHashLSH baseline (5-word shingles, 128 permutations, threshold 0.5, no verification).
* stories  basil_story, allsides_lead_story and the syndication benchmark: newsdedup ``read_inputs`` ->
           ``find_syndicates`` -> ``assign_stories`` against the story labels, and a MiniLM + average-linkage
           baseline at the best single cosine threshold chosen on the test data itself (optimistic).
* facts    ``resolve_stories`` on the syndication benchmark: are the sentences appended by update copies
           found in the most complete version or among the added facts, and do pure copies add no facts?
* msrp     ``judge_pairs`` on msrp_train against a cosine-only baseline.

The library functions are called directly (no Prefect). Data is read from ../shared/eval (resolved from this
script's location); article text is only ever written to a temporary folder, never into the repository.

Usage:  .venv/bin/python bench/quality.py [--config FILE] [--only PARTS] [--json FILE] [--seed 13] [--max-copies 4]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL = REPO_ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import command_line, load_settings, offline  # noqa: E402

offline()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

PARTS = ("copies", "stories", "facts", "msrp")
BASELINE_THRESHOLDS = tuple(round(0.05 + 0.025 * i, 3) for i in range(37))  # 0.05 .. 0.95
MSRP_THRESHOLDS = tuple(round(0.30 + 0.01 * i, 2) for i in range(70))  # 0.30 .. 0.99
BASELINE_LSH = {"shingle_size": 5, "num_perm": 128, "threshold": 0.5, "seed": 1}
UPDATE_RECALL_TARGET = 0.97


# ---------------------------------------------------------------------------------------------- helpers


class CachedEmbedder:
    """Embeds each distinct text once for the whole run; counts what it really embedded and how long it took."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.cache: dict[str, np.ndarray] = {}
        self.embedded = 0
        self.reused = 0
        self.seconds = 0.0

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        self.reused += len(texts) - len(missing)
        if missing:
            start = time.perf_counter()
            vectors = self.inner.embed(missing)
            self.seconds += time.perf_counter() - start
            self.embedded += len(missing)
            self.cache.update(zip(missing, vectors))
        return np.stack([self.cache[t] for t in texts]).astype(np.float32)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_labels(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["id"]: row["cluster_id"] for row in csv.DictReader(fh)}


def ingest(records: list[dict[str, Any]], tmp: Path, name: str, settings):
    """Write records as one JSONL file into a temp folder (ids kept) and run newsdedup's ingest on it."""
    from newsdedup.ingest import read_inputs

    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "articles.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps({k: rec.get(k) for k in ("id", "title", "text", "source", "published", "url")},
                                ensure_ascii=False) + "\n")
    return read_inputs(folder, settings.ingest)


def rejected_ids(rejects: pl.DataFrame, records: list[dict[str, Any]]) -> list[str]:
    """Ids of the records that ingest rejected (rejects carry `articles.jsonl:N` paths)."""
    out = []
    for path in rejects["path"].to_list():
        match = re.search(r":(\d+)$", path)
        if match and 1 <= int(match.group(1)) <= len(records):
            out.append(records[int(match.group(1)) - 1]["id"])
    return out


def score(level: str, truth: dict[str, str], pred: dict[str, str], titles: dict[str, str], top: int = 3):
    """Score over every labelled id; ids without a prediction (rejected at ingest) count as singletons."""
    from newsdedup.evaluate import score_level

    ids = list(truth)
    frame = pl.DataFrame(
        {
            "article_id": ids,
            "title": [titles.get(i) or "" for i in ids],
            "truth": [truth[i] for i in ids],
            "pred": [pred.get(i, f"__rejected__{i}") for i in ids],
        }
    )
    return score_level(level, frame, "truth", "pred", top)


def mixed_groups(pred: dict[str, str], syndicate: dict[str, str], story: dict[str, str]) -> dict[str, int]:
    """Predicted copy groups holding two different true syndicates: of one story, and of different stories."""
    members: dict[str, set[str]] = defaultdict(set)
    for article_id, group in pred.items():
        if article_id in syndicate:
            members[group].add(syndicate[article_id])
    same_story = cross_story = 0
    for syndicates in members.values():
        if len(syndicates) < 2:
            continue
        stories = Counter(story[s] for s in syndicates)
        if any(n >= 2 for n in stories.values()):
            same_story += 1
        if len(stories) >= 2:
            cross_story += 1
    return {"same_story": same_story, "cross_story": cross_story}


def group_counts(pred: dict[str, str]) -> tuple[int, int]:
    """(groups with more than one member, articles in them)."""
    sizes = Counter(pred.values())
    return sum(1 for n in sizes.values() if n > 1), sum(n for n in sizes.values() if n > 1)


def prf(p) -> str:
    return f"{p.precision:.3f} / {p.recall:.3f} / {p.f1:.3f}"


def short(text: str | None, n: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def trained_on_msrp(cfg) -> dict | None:
    """The card of the facts model's weights when they were trained on msrp_train (bench/train_facts_model.py)."""
    if not cfg.weights:
        return None
    from newsdedup.embed import resolve_weights

    card = json.loads(resolve_weights(cfg.weights).with_suffix(".json").read_text(encoding="utf-8"))
    return card if "msrp_train" in card.get("data", "") else None


def same_fact_neighbour(sentence: str, story_docs: pl.DataFrame, embedder, cfg) -> tuple[str, str, float] | None:
    """Diagnosis only: the closest other sentence of the story that `same_fact` joins with this one, if any."""
    from newsdedup.facts import article_sentences, as_sentence, same_fact, sentence_key

    sents = article_sentences(story_docs).filter(pl.col("key") != sentence_key(sentence))
    if sents.height == 0:
        return None
    firsts = sents.group_by("key", maintain_order=True).agg(pl.col("text").first(), pl.col("article_id").first())
    texts = firsts["text"].to_list()
    vectors = embedder.embed([sentence] + texts)
    sims = vectors[1:] @ vectors[0]
    target = as_sentence(sentence)
    for i in np.argsort(-sims):
        if sims[i] < cfg.same_fact_similarity:
            break
        if same_fact(float(sims[i]), target, as_sentence(texts[i]), cfg):
            return texts[i], firsts["article_id"][int(i)], float(sims[i])
    return None


def lexical_cover(sentence: str, canon_text: str, canon_sents: list[str], sims: list[float], cfg) -> float | None:
    """Diagnosis only: the share of the sentence's content words held by the canonical's related sentences, when
    that share (and the name / number check) makes the library count the sentence as already said; else None."""
    from newsdedup.normalize import content_words, names, numbers, words

    support = getattr(cfg, "support_similarity", 0.5)
    needed = getattr(cfg, "lexical_coverage", 0.75)
    related = [t for t, sim in zip(canon_sents, sims) if sim >= support]
    content = content_words(sentence)
    if not related or not content:
        return None
    if not (names(sentence) <= set(words(canon_text)) and numbers(sentence) <= numbers(canon_text)):
        return None
    share = len(content & frozenset().union(*(content_words(t) for t in related))) / len(content)
    return share if share >= needed else None


# ---------------------------------------------------------------------------------------------- baselines


def minhash_baseline(ids: list[str], texts: list[str]) -> dict[str, str]:
    """Plain MinHashLSH: lower-case 5-word shingles, 128 permutations, threshold 0.5, candidates = copies."""
    from datasketch import MinHash, MinHashLSH

    from newsdedup.syndication import UnionFind

    k = BASELINE_LSH["shingle_size"]
    sets = []
    for text in texts:
        toks = re.findall(r"\w+", text.lower())
        grams = {" ".join(toks[i: i + k]) for i in range(len(toks) - k + 1)} or ({" ".join(toks)} if toks else {""})
        sets.append([g.encode("utf-8") for g in grams])
    sigs = MinHash.bulk(sets, num_perm=BASELINE_LSH["num_perm"], seed=BASELINE_LSH["seed"])
    lsh = MinHashLSH(threshold=BASELINE_LSH["threshold"], num_perm=BASELINE_LSH["num_perm"])
    with lsh.insertion_session() as session:
        for i, sig in enumerate(sigs):
            session.insert(str(i), sig, check_duplication=False)
    uf = UnionFind(len(ids))
    for i, sig in enumerate(sigs):
        for other in lsh.query(sig):
            uf.union(i, int(other))
    return {a: f"mh_{uf.find(i)}" for i, a in enumerate(ids)}


def embedding_baseline(records: list[dict[str, Any]], truth: dict[str, str], embedder) -> dict[str, Any]:
    """MiniLM title + text, average-linkage cosine clustering at the best single threshold (chosen on truth)."""
    from sklearn.cluster import AgglomerativeClustering

    from newsdedup.evaluate import bcubed

    ids = [r["id"] for r in records]
    texts = [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records]
    vectors = embedder.embed(texts)  # once; reused for every threshold
    t_arr = np.asarray([truth[i] for i in ids])
    best = None
    curve = []
    for t in BASELINE_THRESHOLDS:
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=t
        ).fit_predict(vectors)
        f1 = bcubed(t_arr, labels.astype(str)).f1
        curve.append((t, f1))
        if best is None or f1 > best[1]:
            best = (t, f1, labels)
    t, _, labels = best
    pred = {a: f"agg_{lab}" for a, lab in zip(ids, labels)}
    return {"threshold": t, "pred": pred, "curve": curve}


# ---------------------------------------------------------------------------------------------- the run


class Run:
    """Shared state: settings, embedder, temp folder, the syndication benchmark and its pipeline output."""

    def __init__(self, settings, embedder, tmp: Path, seed: int, max_copies: int, limit: int | None,
                 facts_embedder=None) -> None:
        self.settings = settings
        self.embedder = embedder  # the stories model (and the baselines')
        self.facts_embedder = facts_embedder or embedder  # the facts stage's sentence model
        self.tmp = tmp
        self.seed = seed
        self.max_copies = max_copies
        self.limit = limit
        self.figures: dict[str, Any] = {}
        self.rows: list[tuple] = []  # (section, measurement, newsdedup, baseline, target, met)
        self.details: list[str] = []
        self._syn: dict[str, Any] | None = None
        self._basil: tuple | None = None

    # -- data

    def basil(self):
        if self._basil is None:
            from make_syndication import load_source

            self._basil = load_source(EVAL / "basil_story", self.limit)
        return self._basil

    def syn(self) -> dict[str, Any]:
        """The syndication benchmark, ingested, with copy groups (stories and facts added when asked for)."""
        if self._syn is None:
            from make_syndication import republish

            from newsdedup.syndication import find_syndicates

            articles, labels = self.basil()
            records, label_rows, updates, copies_meta = republish(
                articles, labels, seed=self.seed, max_copies=self.max_copies
            )
            documents, rejects = ingest(records, self.tmp, "syndication", self.settings)
            start = time.perf_counter()
            grouped, pairs = find_syndicates(documents, self.settings.syndication)
            self._syn = {
                "records": records,
                "labels": label_rows,
                "updates": updates,
                "copies": copies_meta,
                "documents": grouped,
                "rejects": rejects,
                "rejected": rejected_ids(rejects, records),
                "pairs": pairs,
                "syndication_seconds": time.perf_counter() - start,
            }
        return self._syn

    def syn_stories(self) -> pl.DataFrame:
        syn = self.syn()
        if "stories" not in syn:
            from newsdedup.stories import assign_stories

            start = time.perf_counter()
            syn["stories"] = assign_stories(syn["documents"], self.embedder, self.settings.stories)
            syn["stories_seconds"] = time.perf_counter() - start
        return syn["stories"]

    # -- output

    def row(self, section: str, measurement: str, ours: str, base: str = "-", target: str = "-", met: bool | None = None):
        self.rows.append((section, measurement, ours, base, target, "" if met is None else ("yes" if met else "NO")))

    def detail(self, line: str) -> None:
        self.details.append(line)

    def errors(self, name: str, level) -> None:
        for case in level.worst_merges + level.worst_splits:
            what = "merged" if case.kind == "merged" else "split"
            self.detail(f"  {name} {what}: {case.size} articles in {case.parts} groups: "
                        + " | ".join(short(t, 60) for t in case.titles[:3]))

    # -- parts

    def copies(self) -> None:
        syn = self.syn()
        docs = syn["documents"]
        truth = {r["id"]: r["syndicate_id"] for r in syn["labels"]}
        story = {r["id"]: r["story_id"] for r in syn["labels"]}
        syndicate_story = {r["syndicate_id"]: r["story_id"] for r in syn["labels"]}
        titles = {r["id"]: r.get("title") or "" for r in syn["records"]}
        ours_pred = dict(docs.select("article_id", "syndicate_id").iter_rows())
        ours = score("copies", truth, ours_pred, titles)

        start = time.perf_counter()
        base_pred = minhash_baseline(docs["article_id"].to_list(), docs["text"].to_list())
        base_seconds = time.perf_counter() - start
        base = score("copies", truth, base_pred, titles)

        ours_mixed = mixed_groups(ours_pred, truth, syndicate_story)
        base_mixed = mixed_groups(base_pred, truth, syndicate_story)
        ours_groups, base_groups = group_counts(ours_pred), group_counts(base_pred)
        true_groups = group_counts(truth)
        n = len(syn["records"])
        sec = f"copies: syndication benchmark, {n} articles ({n - len(syn['copies'])} originals + {len(syn['copies'])} copies)"
        self.row(sec, "copy groups (>1 article) found / labelled",
                 f"{ours_groups[0]} / {true_groups[0]}", f"{base_groups[0]} / {true_groups[0]}")
        self.row(sec, "pairwise P / R / F1", prf(ours.pairwise), prf(base.pairwise), ">= baseline",
                 ours.pairwise.f1 >= base.pairwise.f1)
        self.row(sec, "B-cubed P / R / F1", prf(ours.bcubed), prf(base.bcubed), ">= baseline",
                 ours.bcubed.f1 >= base.bcubed.f1)
        self.row(sec, "ARI", f"{ours.ari:.4f}", f"{base.ari:.4f}", ">= baseline", ours.ari >= base.ari)
        self.row(sec, "groups merging write-ups of one story", str(ours_mixed["same_story"]),
                 str(base_mixed["same_story"]), "0", ours_mixed["same_story"] == 0)
        self.row(sec, "groups merging different stories", str(ours_mixed["cross_story"]),
                 str(base_mixed["cross_story"]), "0", ours_mixed["cross_story"] == 0)
        if syn["rejected"]:
            self.row(sec, "copies rejected at ingest (singletons)", str(len(syn["rejected"])))
        self.detail(f"copies: {syn['pairs'].height} verified copy pairs; ingest rejected {len(syn['rejected'])} "
                    f"of {n}; baseline MinHashLSH (no verification) took {base_seconds:.2f}s")
        self.errors("newsdedup copies", ours)
        self.errors("baseline copies", base)
        self.figures["copies"] = {
            "articles": n, "originals": n - len(syn["copies"]), "copies": len(syn["copies"]),
            "seed": self.seed, "max_copies": self.max_copies, "rejected": syn["rejected"],
            "verified_pairs": syn["pairs"].height,
            "groups_found": ours_groups[0], "groups_labelled": true_groups[0], "baseline_groups_found": base_groups[0],
            "newsdedup": ours.as_dict(), "baseline": base.as_dict(),
            "newsdedup_mixed_groups": ours_mixed, "baseline_mixed_groups": base_mixed,
            "baseline_params": BASELINE_LSH, "baseline_seconds": base_seconds,
        }

    def _stories_on(self, name: str, records: list[dict[str, Any]], truth: dict[str, str],
                    documents: pl.DataFrame | None, rejected: list[str], stories_seconds: float | None = None) -> None:
        """Score newsdedup's stories and the embedding baseline on one labelled set."""
        from newsdedup.stories import assign_stories
        from newsdedup.syndication import find_syndicates

        titles = {r["id"]: r.get("title") or "" for r in records}
        start = time.perf_counter()
        if documents is None:
            documents, rejects = ingest(records, self.tmp, name, self.settings)
            rejected = rejected_ids(rejects, records)
            reasons = Counter(re.sub(r"\s*\(.*\)$", "", r) for r in rejects["reason"].to_list())
            if reasons:
                self.detail(f"stories {name}: ingest rejected {rejects.height} items: "
                            + "; ".join(f"{n} x {r}" for r, n in reasons.most_common(3))
                            + f" (min_words = {self.settings.ingest.min_words}); each is scored as its own story")
            documents, _ = find_syndicates(documents, self.settings.syndication)
            documents = assign_stories(documents, self.embedder, self.settings.stories)
        ours_seconds = time.perf_counter() - start if stories_seconds is None else stories_seconds
        pred = dict(documents.select("article_id", "story_id").iter_rows())
        ours = score("stories", truth, pred, titles)

        start = time.perf_counter()
        baseline = embedding_baseline(records, truth, self.embedder)
        base_seconds = time.perf_counter() - start
        base = score("stories", truth, baseline["pred"], titles)

        sec = f"stories: {name}, {len(records)} articles, {len(set(truth.values()))} labelled stories"
        self.row(sec, "stories found / labelled", f"{len(set(pred.values())) + len(rejected)} / {len(set(truth.values()))}",
                 f"{len(set(baseline['pred'].values()))} / {len(set(truth.values()))}")
        if rejected:
            self.row(sec, "rejected at ingest, scored as singletons (count against recall)",
                     f"{len(rejected)} of {len(records)}", "0 (embeds all)")
        self.row(sec, "pairwise P / R / F1", prf(ours.pairwise), prf(base.pairwise))
        self.row(sec, "B-cubed P / R / F1", prf(ours.bcubed), prf(base.bcubed), ">= baseline (optimistic)",
                 ours.bcubed.f1 >= base.bcubed.f1)
        self.row(sec, "ARI", f"{ours.ari:.4f}", f"{base.ari:.4f}", ">= baseline (optimistic)", ours.ari >= base.ari)
        self.row(sec, "distance threshold (ours: corrected blend; baseline: cosine)",
                 f"{self.settings.stories.distance_threshold} (config)", f"{baseline['threshold']} (best on this data)")
        at_config = dict(baseline["curve"]).get(self.settings.stories.distance_threshold)
        line = f"stories {name}: newsdedup {ours_seconds:.1f}s, baseline {base_seconds:.1f}s"
        if at_config is not None:
            line += (f"; baseline B-cubed F1 at the config's distance {self.settings.stories.distance_threshold}: "
                     f"{at_config:.3f}")
        ingested_only = None
        if rejected:
            kept = {i: t for i, t in truth.items() if i in pred}
            ingested_only = score("stories", kept, pred, titles)
            line += (f"; newsdedup on the {len(kept)} ingested items only (rejects left out): B-cubed "
                     f"{prf(ingested_only.bcubed)}, ARI {ingested_only.ari:.4f}")
        self.detail(line)
        self.errors(f"newsdedup {name}", ours)
        self.errors(f"baseline {name}", base)
        self.figures.setdefault("stories", {})[name] = {
            "articles": len(records), "labelled_stories": len(set(truth.values())),
            "rejected": len(rejected), "rejected_ids": rejected,
            "newsdedup": ours.as_dict(), "baseline": base.as_dict(),
            "baseline_threshold": baseline["threshold"], "baseline_curve": baseline["curve"],
            "newsdedup_seconds": ours_seconds, "baseline_seconds": base_seconds,
            "baseline_bcubed_f1_at_config_threshold": at_config,
            "newsdedup_ingested_only": ingested_only.as_dict() if ingested_only else None,
        }

    def _lone_articles(self, name: str, records: list[dict[str, Any]], truth: dict[str, str]) -> None:
        """Real feeds are full of stories told once; the labelled sets have none. Cut half of the stories (by a
        hash of their label) to their first article and count the lone articles put into another story."""
        from newsdedup.stories import assign_stories
        from newsdedup.syndication import find_syndicates

        def lone(story: str) -> bool:
            return int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0

        seen: set[str] = set()
        kept = []
        for r in records:
            story = truth[r["id"]]
            if lone(story) and story in seen:
                continue
            seen.add(story)
            kept.append(r)
        documents, _ = ingest(kept, self.tmp, f"{name}_lone", self.settings)
        documents, _ = find_syndicates(documents, self.settings.syndication)
        documents = assign_stories(documents, self.embedder, self.settings.stories)
        pred = dict(documents.select("article_id", "story_id").iter_rows())
        sizes = Counter(pred.values())
        lone_ids = [r["id"] for r in kept if lone(truth[r["id"]]) and r["id"] in pred]
        joined = sum(1 for i in lone_ids if sizes[pred[i]] > 1)
        scored = score("stories", {r["id"]: truth[r["id"]] for r in kept}, pred, {})
        sec = f"stories: {name}, {len(records)} articles, {len(set(truth.values()))} labelled stories"
        self.row(sec, "half the stories cut to one article: lone articles put into another story",
                 f"{joined} of {len(lone_ids)} (B-cubed {prf(scored.bcubed)})")
        self.figures.setdefault("lone_articles", {})[name] = {
            "articles": len(kept), "lone": len(lone_ids), "joined_another_story": joined, "bcubed": scored.as_dict()["bcubed"],
        }

    def stories(self) -> None:
        articles, labels = self.basil()
        truth = {a["id"]: labels[a["id"]] for a in articles}
        self._stories_on("basil_story", articles, truth, None, [])
        self._lone_articles("basil_story", articles, truth)

        records = read_jsonl(EVAL / "allsides_lead_story" / "articles.jsonl")
        labels = read_labels(EVAL / "allsides_lead_story" / "labels.csv")
        if self.limit:
            keep = set(list(dict.fromkeys(labels[r["id"]] for r in records))[: self.limit])
            records = [r for r in records if labels[r["id"]] in keep]
        truth = {r["id"]: labels[r["id"]] for r in records}
        self._stories_on("allsides_lead_story", records, truth, None, [])
        self._lone_articles("allsides_lead_story", records, truth)

        syn = self.syn()
        documents = self.syn_stories()
        self._stories_on("syndication benchmark", syn["records"], {r["id"]: r["story_id"] for r in syn["labels"]},
                         documents, syn["rejected"], syn["stories_seconds"])
        self.detail("stories: the baseline embeds raw title + text of every item, clusters with "
                    "AgglomerativeClustering(metric='cosine', linkage='average') and keeps the threshold with the best "
                    "B-cubed F1 on the same data (0.05..0.95 step 0.025): an optimistic upper bound for a fixed threshold")

    def facts(self) -> None:
        from newsdedup.facts import resolve_stories, sentence_key
        from newsdedup.normalize import split_sentences

        syn = self.syn()
        documents = self.syn_stories()
        start = time.perf_counter()
        canon, facts, _ = resolve_stories(documents, self.facts_embedder, self.settings.facts)
        resolve_seconds = time.perf_counter() - start
        threshold = self.settings.facts.same_fact_similarity

        text_of = dict(documents.select("article_id", "text").iter_rows())
        story_of = dict(documents.select("article_id", "story_id").iter_rows())
        canonical = dict(canon.select("story_id", "canonical_article_id").iter_rows())
        facts_of: dict[str, list[str]] = defaultdict(list)
        for story_id, text in facts.select("story_id", "text").iter_rows():
            facts_of[story_id].append(text)

        # (a) every sentence appended by an update copy: in the most complete version or among the added facts?
        checks = []
        for update in syn["updates"]:
            story_id = story_of.get(update["id"])
            for sentence in update["appended"]:
                checks.append((update, story_id, sentence))
        canon_sents = {s: split_sentences(text_of[a]) for s, a in canonical.items()}
        # one batch for everything the semantic check compares
        pool = sorted({t for _, s, sent in checks if s for t in canon_sents[s] + facts_of[s]} | {c[2] for c in checks})
        vec = dict(zip(pool, self.facts_embedder.embed(pool))) if pool else {}
        strict = semantic = 0
        misses: list[dict[str, Any]] = []  # not found at all
        strict_only: list[dict[str, Any]] = []  # found by cosine, not by key
        for update, story_id, sentence in checks:
            if story_id is None:
                misses.append({"copy": update["id"], "story": None, "canonical": None, "sentence": sentence,
                               "closest": None, "cosine": None, "why": "update copy rejected at ingest"})
                continue
            key = sentence_key(sentence)
            candidates = [("canonical", t) for t in canon_sents[story_id]] + [("fact", t) for t in facts_of[story_id]]
            keys = {sentence_key(t) for _, t in candidates}
            found_strict = key in keys
            sims = [float(vec[sentence] @ vec[t]) for _, t in candidates]
            best = int(np.argmax(sims)) if sims else None
            found_semantic = found_strict or (best is not None and sims[best] >= threshold)
            strict += found_strict
            semantic += found_semantic
            if not found_strict:
                copy_keys = {sentence_key(s) for s in split_sentences(text_of.get(update["id"], ""))}
                from_story = story_of.get(update["from_id"])
                why = []
                if from_story != story_id:
                    why.append(f"copy's story differs from the source article's ({update['from_id']})")
                if key not in copy_keys:
                    why.append("the sentence splitter splits it differently in the copy")
                if any(key in k for k in keys if k != key):
                    why.append("part of a longer canonical/fact sentence")
                if len(key.split()) < self.settings.facts.min_fact_words:
                    why.append("too short to be a fact")
                canon_text = text_of[canonical[story_id]]
                canon_vecs = [vec[t] for t in canon_sents[story_id]]
                lexical = lexical_cover(sentence, canon_text, canon_sents[story_id],
                                        [float(vec[sentence] @ v) for v in canon_vecs], self.settings.facts)
                if lexical is not None:
                    why.append(f"counted as said by the coverage rule: related canonical sentences hold "
                               f"{lexical:.0%} of its content words")
                if not found_semantic:
                    joined = same_fact_neighbour(sentence, documents.filter(pl.col("story_id") == story_id),
                                                 self.facts_embedder, self.settings.facts)
                    if joined:
                        why.append(f"in one same-fact group with \"{short(joined[0], 70)}\" ({joined[1]}, cosine "
                                   f"{joined[2]:.3f}); a group counts as said when the canonical covers any member")
                (misses if not found_semantic else strict_only).append({
                    "copy": update["id"], "story": story_id, "canonical": canonical[story_id], "sentence": sentence,
                    "closest_kind": candidates[best][0] if best is not None else None,
                    "closest": candidates[best][1] if best is not None else None,
                    "cosine": round(sims[best], 4) if best is not None else None, "why": "; ".join(why),
                })
        n_checks = len(checks)
        strict_recall = strict / n_checks if n_checks else 1.0
        semantic_recall = semantic / n_checks if n_checks else 1.0

        # (b) pure copies add no facts: facts carrying a non-update copy but not its original.
        update_ids = {u["id"] for u in syn["updates"]}
        original_of = {c["id"]: c["original_id"] for c in syn["copies"]}
        transforms = {c["id"]: c["transforms"] for c in syn["copies"]}
        title_of = {r["id"]: r.get("title") for r in syn["records"]}
        pure = {c for c in original_of if c not in update_ids}
        offenders = []
        for story_id, fact_id, text, carriers in facts.select("story_id", "fact_id", "text", "article_ids").iter_rows():
            carriers = set(carriers)
            for copy_id in sorted(carriers & pure):
                if original_of[copy_id] not in carriers:
                    original = original_of[copy_id]
                    why = []
                    if original not in text_of:
                        why.append("original rejected at ingest")
                    elif story_of[original] != story_id:
                        why.append("original is in another story")
                    elif sentence_key(text) and sentence_key(text) in sentence_key(title_of.get(original) or ""):
                        why.append("the original's headline repeated as a body line: dropped from the original, kept "
                                   "under the copy's new headline")
                    elif sentence_key(text) in sentence_key(text_of[original]):
                        why.append("the original says it inside a longer sentence (split differently)")
                    elif re.match(r"^\(?\s*photo\s+by\b", text, re.I):
                        why.append("photo credit line left in the body by ingest")
                    offenders.append({"copy": copy_id, "original": original, "story": story_id, "fact_id": fact_id,
                                      "text": text, "transforms": transforms[copy_id], "why": "; ".join(why)})
        offending_copies = len({o["copy"] for o in offenders})

        sec = (f"facts: syndication benchmark, {documents['story_id'].n_unique()} stories, "
               f"{facts.height} added facts")
        self.row(sec, f"update sentences found, strict key ({n_checks} from {len(syn['updates'])} update copies)",
                 f"{strict_recall:.4f} ({strict}/{n_checks})", "-", f">= {UPDATE_RECALL_TARGET}",
                 strict_recall >= UPDATE_RECALL_TARGET)
        self.row(sec, f"update sentences found, semantic (key or cosine >= {threshold})",
                 f"{semantic_recall:.4f} ({semantic}/{n_checks})", "-", f">= {UPDATE_RECALL_TARGET}",
                 semantic_recall >= UPDATE_RECALL_TARGET)
        self.row(sec, f"facts carried by a pure copy but not its original ({len(pure)} pure copies)",
                 f"{len(offenders)} facts, {offending_copies} copies", "-", "0", not offenders)
        self.detail(f"facts: resolve_stories {resolve_seconds:.1f}s; update sentences: {len(misses)} missed, "
                    f"{len(strict_only)} found by cosine only; {len(offenders)} pure-copy facts")
        for miss in misses[:10]:
            self.detail(f"  miss: story canonical {miss['canonical']} (copy {miss['copy']}): \"{short(miss['sentence'], 150)}\"")
            if miss.get("closest") is not None:
                self.detail(f"        closest {miss['closest_kind']} (cosine {miss['cosine']:.3f}): "
                            f"\"{short(miss['closest'], 150)}\"" + (f" [{miss['why']}]" if miss["why"] else ""))
            elif miss["why"]:
                self.detail(f"        [{miss['why']}]")
        for miss in strict_only[:5]:
            self.detail(f"  found by cosine only: copy {miss['copy']}: \"{short(miss['sentence'], 150)}\"")
            self.detail(f"        closest {miss['closest_kind']} (cosine {miss['cosine']:.3f}): "
                        f"\"{short(miss['closest'], 150)}\"" + (f" [{miss['why']}]" if miss["why"] else ""))
        if offenders:
            causes = Counter(o["why"] or "other" for o in offenders)
            self.detail("  pure-copy facts by cause: " + "; ".join(f"{n} x {c}" for c, n in causes.most_common()))
        for off in offenders[:10]:
            self.detail(f"  pure-copy fact: copy {off['copy']} ({', '.join(off['transforms'])}): "
                        f"\"{short(off['text'], 150)}\"" + (f" [{off['why']}]" if off["why"] else ""))
        self.figures["facts"] = {
            "stories": documents["story_id"].n_unique(), "added_facts": facts.height,
            "update_copies": len(syn["updates"]), "update_sentences": n_checks,
            "strict_found": strict, "semantic_found": semantic,
            "strict_recall": strict_recall, "semantic_recall": semantic_recall,
            "same_fact_similarity": threshold, "misses": misses, "found_by_cosine_only": strict_only,
            "pure_copies": len(pure), "pure_copy_facts": len(offenders), "pure_copies_with_facts": offending_copies,
            "offenders": offenders, "resolve_seconds": resolve_seconds,
        }

    def msrp(self) -> None:
        from newsdedup.embed import facts_model
        from newsdedup.evaluate import binary_scores
        from newsdedup.facts import judge_pairs

        folder = EVAL / "msrp_train"
        text = {r["id"]: r["text"] for r in read_jsonl(folder / "sentences.jsonl")}
        with open(folder / "pairs.csv", encoding="utf-8", newline="") as fh:
            pairs = list(csv.DictReader(fh))
        if self.limit:
            pairs = pairs[: self.limit * 10]
        left = [text[p["id1"]] for p in pairs]
        right = [text[p["id2"]] for p in pairs]
        truth = np.array([p["label"] == "1" for p in pairs])
        cfg = self.settings.facts
        _, compatible, decided = judge_pairs(left, right, self.facts_embedder, cfg)
        sims, _, _ = judge_pairs(left, right, self.embedder, cfg)  # the baseline: the packaged model's cosine
        ours = binary_scores(truth, decided)
        at_config = binary_scores(truth, sims >= cfg.same_fact_similarity)
        curve = [(t, binary_scores(truth, sims >= t)) for t in MSRP_THRESHOLDS]
        best_t, best = max(curve, key=lambda c: (c[1].f1, c[1].accuracy))
        best_acc_t, best_acc = max(curve, key=lambda c: (c[1].accuracy, c[1].f1))

        def fmt(s) -> str:
            return f"{s.accuracy:.3f} / {s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}"

        sec = f"same fact: msrp_train, {len(pairs)} sentence pairs ({int(truth.sum())} paraphrases)"
        card = trained_on_msrp(cfg)
        if card is not None:
            # the facts model was fine-tuned on these very pairs: its score here is in-sample; the score that counts
            # is the cross-validated one bench/train_facts_model.py --cv wrote into the weights' card
            for protocol, cv in card.get("cv", {}).items():
                self.row(sec, f"F1, {protocol} 5-fold CV (bench/train_facts_model.py --cv)",
                         f"{cv['same_fact_f1']:.3f}", f"{best.f1:.3f}", ">= 0.86", "yes" if cv["same_fact_f1"] >= 0.86 else "NO")
            self.row(sec, f"acc / P / R / F1 in-sample (weights {cfg.weights} were trained on these pairs); "
                          f"baseline: packaged model's cosine at best-F1 threshold {best_t}", fmt(ours), fmt(best))
        else:
            self.row(sec, f"acc / P / R / F1; baseline: cosine alone at best-F1 threshold {best_t}",
                     fmt(ours), fmt(best))
            self.row(sec, f"acc / P / R / F1; baseline: cosine alone at config {cfg.same_fact_similarity}",
                     fmt(ours), fmt(at_config))
        self.detail(f"msrp: newsdedup = cosine >= {cfg.same_fact_similarity} (facts model {facts_model(self.settings)}"
                    f"{' + ' + cfg.weights if cfg.weights else ''}), each sentence holding "
                    f"{cfg.min_shared_content:.0%} of the other's content words "
                    f"({int((~compatible).sum())} pairs fail the word or number check); best-accuracy cosine threshold "
                    f"{best_acc_t}: accuracy {best_acc.accuracy:.3f}; paraphrase share (all-yes accuracy) "
                    f"{truth.mean():.3f}")
        self.figures["msrp"] = {
            "pairs": len(pairs), "paraphrases": int(truth.sum()),
            "facts_model": {"model": cfg.model, "weights": cfg.weights},
            "in_sample": card is not None, "cv": card.get("cv") if card else None,
            "newsdedup": asdict(ours), "baseline_at_config": asdict(at_config),
            "baseline_best_f1": {"threshold": best_t, **asdict(best)},
            "baseline_best_accuracy": {"threshold": best_acc_t, **asdict(best_acc)},
            "word_or_number_check_failures": int((~compatible).sum()),
        }


# ---------------------------------------------------------------------------------------------- output


def print_table(run: Run, timings: dict[str, float], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for col in ("measurement", "newsdedup", "baseline", "target", "met"):
        table.add_column(col, justify="left", overflow="fold")
    section = None
    for sec, measurement, ours, base, target, met in run.rows:
        if sec != section:
            if section is not None:
                table.add_section()
            table.add_row(f"[bold]{sec}[/bold]", "", "", "", "")
            section = sec
        table.add_row("  " + measurement, ours, base, target, met)
    table.add_section()
    table.add_row("[bold]time (seconds)[/bold]", "", "", "", "")
    for name, seconds in timings.items():
        table.add_row("  " + name, f"{seconds:.1f}", "", "", "")
    Console(width=180).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config" / "default.toml",
                        help="TOML config used for everything (default: config/default.toml)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts to run ({','.join(PARTS)})")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--seed", type=int, default=13, help="republish seed (default 13)")
    parser.add_argument("--max-copies", type=int, default=4, help="copies per original, 0..N (default 4)")
    parser.add_argument("--limit", type=int, default=None,
                        help="quick run: first N stories of each set (msrp: first 10*N pairs); figures not comparable")
    args = parser.parse_args(argv)
    command = command_line("bench/quality.py", argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        parser.error(f"--only takes a comma-separated subset of {','.join(PARTS)} (got {args.only!r})")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be >= 1")

    print(f"command: {command}")
    needed = {"copies": ["basil_story"], "stories": ["basil_story", "allsides_lead_story"],
              "facts": ["basil_story"], "msrp": ["msrp_train"]}
    missing = sorted({d for p in parts for d in needed[p] if not (EVAL / d).is_dir()})
    if missing:
        print(f"quality: ../shared/eval ({EVAL}) is absent or incomplete (missing {', '.join(missing)}); nothing measured",
              file=sys.stderr)
        return 2

    from newsdedup.embed import ModelNotFound, SentenceTransformerEmbedder, embedders

    settings = load_settings("quality", args.config)
    if settings is None:
        return 2
    print(f"config: {args.config}; parts: {','.join(parts)}; data: {EVAL}")

    timings: dict[str, float] = {}
    cfg = settings.stories
    inner = SentenceTransformerEmbedder.from_config(cfg)
    start = time.perf_counter()
    try:
        inner._load()
    except ModelNotFound as exc:
        print(f"quality: {exc}", file=sys.stderr)
        return 2
    timings["model load"] = time.perf_counter() - start
    embedder = CachedEmbedder(inner)
    models = embedders(settings)
    facts_embedder = None
    if models.facts is not models.stories:
        start = time.perf_counter()
        try:
            models.facts._load()
        except ModelNotFound as exc:
            print(f"quality: {exc}", file=sys.stderr)
            return 2
        timings["facts model load"] = time.perf_counter() - start
        facts_embedder = CachedEmbedder(models.facts)

    total_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsdedup-quality-") as tmp:
        run = Run(settings, embedder, Path(tmp), args.seed, args.max_copies, args.limit, facts_embedder)
        for part in PARTS:
            if part not in parts:
                continue
            start = time.perf_counter()
            before = embedder.embedded
            getattr(run, part)()
            timings[f"{part} (embedded {embedder.embedded - before} new texts)"] = time.perf_counter() - start
    timings["total"] = time.perf_counter() - total_start + timings["model load"] + timings.get("facts model load", 0.0)

    print()
    print_table(run, timings, "newsdedup quality vs baselines (all figures on real data in ../shared/eval)")
    print(f"embedder: {embedder.embedded} texts embedded in {embedder.seconds:.1f}s, {embedder.reused} reused from "
          f"the run's cache; the syndication benchmark is built and grouped once and shared by copies, stories, facts")
    for line in run.details:
        print(line)

    if args.json:
        figures = {"command": command, "config": str(args.config), "parts": parts, "timings_seconds": timings,
                   "embedder": {"embedded": embedder.embedded, "reused": embedder.reused, "seconds": embedder.seconds},
                   **run.figures}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"json: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
