#!/usr/bin/env python3
"""Latency of the wire desk's check (`newsdedup.check.Desk.check`) against saved states of 1k, 10k and 100k articles.

Embedding 100k articles is out of reach on this machine (about 13 articles/s), so the states are built partly
synthetically, and the output says so:

* bases: the real articles of ../shared/eval/basil_story (300) and allsides_lead_story (2,001), ingested
  the way `newsdedup run` does (`parse_record` + `to_document`); some stories are held out entirely (the
  "new" queries) and one article of some others is held out (the "same story" queries);
* synthetic articles for volume: each mixes a run of sentences from 3 random in-state bases (at most half
  of each source, so no synthetic article is a copy of a base and each is its own copy group);
* variants: make_syndication's `make_copy`, called the way its `republish` calls it (same per-original RNG),
  makes 0-4 edited copies of every base and every synthetic article (new headline, trims, bylines,
  boilerplate, ...); update copies (sentences of another article of the story appended) only for BASIL
  originals, whose siblings are long (see `corpus_for`); copies that ingest leaves with one sentence are left out;
* the real library stages build the copy groups: `update_syndicates` on a fresh State (real 5-word
  shingles, MinHash, the persisted MinHashLSH index, every candidate pair verified);
* story vectors: the in-state bases are embedded once with the real model; a copy group holding a base
  gets that base's vector, every other group (synthetic, or copies split from their base) gets the vector of
  its source base plus small seeded Gaussian noise (sigma 0.02 per dimension, cosine ~0.93 to the source),
  normalised. This stands in for embedding 100k articles;
* stories: one story per copy group (default; each group's hubness value from its candidate pairs, as the
  desk's same-story test needs it), or with `--stories cluster` the library's `story_edges` +
  `cluster_components` (what `cluster_stories` does) on those vectors (at 100k the stand-in vectors make a
  dense radius graph and that ran out of memory);
* canon: the longest article of each story (the facts stage is not run); facts and conflicts empty.

The state is saved with `save_state`. Each size is then measured in a fresh Python process: `load_state`,
`Desk(...)`, the model load, the process RSS, and `Desk.check` on 200 queries of each kind: copies of
articles in the state, held-out real write-ups of stories in the state, and held-out real articles of stories
not in the state.

Usage:  .venv/bin/python bench/desk.py [--sizes 1k,10k,100k] [--queries 200] [--json FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
SETS = ("basil_story", "allsides_lead_story")
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import command_line, load_settings, offline, peak_rss_mb, rss_now_mb  # noqa: E402

offline()

NOISE_SIGMA = 0.02
PROFILE_EXTRA = 50  # extra queries per kind, only for cProfile
GOAL_COPY_MS = 10.0
GOAL_ANY_MS = 100.0
KINDS = ("copy", "same_story", "new")
EXPECTED = {"copy": "copy", "same_story": "same_story", "new": "new"}


def library_revision() -> str:
    """The git commit of the repo and whether src/ has uncommitted changes (read-only git commands)."""
    try:
        head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"git {head}" + (" + uncommitted changes in src/" if dirty else ", src/ clean")


def file_sha1(path: str) -> str:
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.sha1(fh.read()).hexdigest()[:12]


def parse_sizes(text: str) -> list[tuple[str, int]]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        scale = 1000 if part.endswith("k") else 1
        n = int(float(part.rstrip("k")) * scale)
        if n < 100:
            raise argparse.ArgumentTypeError(f"size {part!r} is too small (at least 100 articles)")
        out.append((part, n))
    if not out:
        raise argparse.ArgumentTypeError("no sizes given")
    return sorted(out, key=lambda s: s[1])


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


# ----------------------------------------------------------------------------------------- real articles


def ingest_record(record: dict[str, Any], cfg) -> dict[str, Any] | None:
    """One record through the library's own parsing and cleaning, as `newsdedup run` reads a JSON file."""
    from newsdedup.ingest import BadInput, parse_record, to_document

    try:
        return to_document(parse_record(record, record["id"], f"bench/{record['id']}.json"), cfg)
    except BadInput:
        return None


class Real:
    """The real articles, their stories, and the split into in-state bases and held-out queries."""

    def __init__(self, settings, seed: int, n_queries: int) -> None:
        from make_syndication import load_source, split_sentences

        self.records: dict[str, dict[str, Any]] = {}
        self.story: dict[str, str] = {}
        self.dataset: dict[str, str] = {}
        self.docs: dict[str, dict[str, Any]] = {}
        for name in SETS:
            articles, labels = load_source(EVAL_DIR / name)
            for art in articles:
                rec = {k: art.get(k) for k in ("id", "title", "text", "source", "published", "url")}
                self.records[rec["id"]] = rec
                self.story[rec["id"]] = f"{name}:{labels.get(rec['id'], rec['id'])}"
                self.dataset[rec["id"]] = name
        self.rejected = 0
        for article_id, rec in self.records.items():
            doc = ingest_record(rec, settings.ingest)
            if doc is None:
                self.rejected += 1
            else:
                self.docs[article_id] = doc
        usable: dict[str, list[str]] = {}
        for article_id in self.records:
            if article_id in self.docs:
                usable.setdefault(self.story[article_id], []).append(article_id)
        rng = random.Random(f"desk-bench:split:{seed}")
        stories = sorted(usable)
        rng.shuffle(stories)
        need = n_queries + PROFILE_EXTRA
        # (iii) whole stories held out: unrelated new articles
        self.new_queries: list[str] = []
        taken = 0
        while len(self.new_queries) < need:
            self.new_queries += usable[stories[taken]]
            taken += 1
        held_new = set(stories[:taken])
        rest = stories[taken:]
        # (ii) one article held out of each of the first `need` stories with at least two usable articles
        multi = [s for s in rest if len(usable[s]) >= 2][:need]
        multi_set = set(multi)
        self.story_queries: list[str] = []
        primary: dict[str, str] = {}
        secondary: list[str] = []
        for s in multi + [s for s in rest if s not in multi_set]:
            members = list(usable[s])
            rng.shuffle(members)
            primary[s] = members[0]
            if s in multi_set:
                self.story_queries.append(members[1])
                secondary += members[2:]
            else:
                secondary += members[1:]
        rng.shuffle(secondary)
        # In-state bases in the order they join a state: the primaries of the "same story" stories first, so
        # even the smallest state holds a base of every story that a same-story query belongs to.
        self.base_order = [primary[s] for s in multi] + [primary[s] for s in rest if s not in multi_set] + secondary
        self.bases = set(self.base_order)
        self.held_stories = len(held_new)
        # Sentence runs for synthetic articles: sources with at least 4 sentences in their ingested text.
        self.sentences = {a: split_sentences(self.docs[a]["text"]) for a in self.base_order}
        self.mixable = [a for a in self.base_order if len(self.sentences[a]) >= 4]
        self.sentence_words = {a: [len(x.split()) for x in self.sentences[a]] for a in self.mixable}


# ----------------------------------------------------------------------------------------- synthetic corpus


MAX_SOURCE_SHARE = 0.3  # of a source's words that one synthetic article may take
MAX_MIX_SHARE = 0.6  # of a synthetic article (or of a trimmed copy of it) that may come from one source
MIN_SENTENCE_WORDS = 8  # shorter sentences make the shares lopsided


def _mix_ok(order: list[tuple[int, int]]) -> bool:
    """Whether no prefix that `abridge` could keep (any prefix of >= 2 sentences: it may keep whole paragraphs)
    is mostly one source."""
    n = len(order)
    for keep in range(2, n + 1):
        shares: Counter = Counter()
        for source, n_words in order[:keep]:
            shares[source] += n_words
        if max(shares.values()) > MAX_MIX_SHARE * sum(shares.values()):
            return False
    return True


def synthetic(k: int, real: Real, seed: int) -> tuple[dict[str, Any], str]:
    """Synthetic article k: runs of 1-3 sentences from 3 random in-state bases, interleaved; also its primary source.

    A run is at most 30 % of its source's (ingested) words, so a copy of the source trimmed to half does not
    lie within the article; its sentences have 8+ words; and no prefix of 2+ sentences (what a trimmed copy may keep) is
    more than 60 % one source, so neither the article nor a trimmed copy of it is a copy of a base or of
    another synthetic article (containment 0.7).
    """
    from make_syndication import OUTLETS, retitle

    rng = random.Random(f"desk-bench:synth:{seed}:{k}")
    for _attempt in range(1000):
        sources = rng.sample(real.mixable, 3)
        runs = []
        for source in sources:
            lengths = real.sentence_words[source]
            run = rng.randint(1, 3)
            start = rng.randint(0, len(lengths) - run)
            while run and sum(lengths[start:start + run]) > MAX_SOURCE_SHARE * sum(lengths):
                run -= 1
            if not run or min(lengths[start:start + run]) < MIN_SENTENCE_WORDS:
                break
            runs.append(list(range(start, start + run)))
        if len(runs) < 3:
            continue
        ordered = [(i, runs[i][j]) for j in range(3) for i in range(3) if j < len(runs[i])]
        if _mix_ok([(i, real.sentence_words[sources[i]][j]) for i, j in ordered]):
            ordered = [(i, real.sentences[sources[i]][j]) for i, j in ordered]
            break
    else:
        raise RuntimeError(f"synthetic article {k}: no mix found in 1000 draws")
    sents = [sent for _, sent in ordered]
    paras, i = [], 0
    while i < len(sents):
        size = rng.randint(1, 3)
        paras.append(" ".join(sents[i:i + size]))
        i += size
    primary = sources[0]
    base = real.records[primary]
    outlet = rng.choice(OUTLETS)
    title = retitle(base.get("title") or "", outlet, rng)[0] or base.get("title") or ""
    record = {"id": f"synth_{k:06d}", "title": title, "text": "\n".join(paras), "source": outlet,
              "published": base.get("published"), "url": None}
    return record, primary


def one_sentence_copy(doc: dict[str, Any]) -> bool:
    """A copy that ingest left with a single sentence.

    Ingest drops a paragraph of up to 30 words above a bottom photo-credit line as a caption, so a copy of a
    short article can come out as one sentence. Such a copy lies within every synthetic article that reuses
    that sentence, and union-find would chain all of them into one copy group; these copies are left out.
    """
    from make_syndication import split_sentences as rough_sentences

    return len(rough_sentences(doc["text"])) < 2


def corpus_for(n: int, real: Real, seed: int, max_copies: int, settings) -> dict[str, Any]:
    """Ingested documents of a state of n articles: originals (in-state bases, then synthetic articles), each
    followed by its copies, until n documents are kept.

    Copies come from make_syndication's `make_copy`, called the way its `republish` calls it (same
    per-original RNG and draws), except that update copies (1-3 sentences of another article of the story
    appended) are made only for BASIL originals, with the other in-state BASIL articles of the story as
    siblings: an AllSides lead or a synthetic article is so short that the appended sentences would be most of
    it, the copy would contain it, and the library would rightly join the two groups. The "Read more"
    headline is drawn from all in-state bases.
    """
    from make_syndication import OUTLETS, make_copy

    basil_by_story: dict[str, list[dict[str, Any]]] = {}
    for base in real.base_order:
        if real.dataset[base] == "basil_story":
            basil_by_story.setdefault(real.story[base], []).append(real.records[base])
    titles = [real.records[b]["title"] for b in real.base_order if (real.records[b].get("title") or "").strip()]
    out = {"rows": [], "originals": [], "primary_of": {}, "updates": 0, "synthetic": 0, "rejected": 0,
           "one_sentence_copies": 0, "ingest_seconds": 0.0}
    rows = out["rows"]

    def keep(record: dict[str, Any]) -> None:
        start = time.perf_counter()
        doc = ingest_record(record, settings.ingest)
        out["ingest_seconds"] += time.perf_counter() - start
        if doc is None:
            out["rejected"] += 1
        elif "__c" in doc["article_id"] and one_sentence_copy(doc):
            out["one_sentence_copies"] += 1
        elif len(rows) < n:
            rows.append(doc)

    def originals():
        yield from ((real.records[b], None) for b in real.base_order)
        k = 0
        while True:
            yield synthetic(k, real, seed)
            k += 1

    for original, primary in originals():
        if len(rows) >= n:
            break
        oid = original["id"]
        if primary is not None:
            out["primary_of"][oid] = primary
            out["synthetic"] += 1
        out["originals"].append(original)
        keep(original)
        rng = random.Random(f"{seed}:{oid}")
        n_copies = rng.randint(0, max_copies)
        if n_copies == 0:
            continue
        outlets = rng.sample(OUTLETS, n_copies) if n_copies <= len(OUTLETS) else [rng.choice(OUTLETS) for _ in range(n_copies)]
        siblings = [b for b in basil_by_story.get(real.story.get(oid, ""), []) if b["id"] != oid]
        for i, outlet in enumerate(outlets, start=1):
            record, _meta, update = make_copy(dict(original), f"{oid}__c{i}", outlet, siblings, titles, rng)
            out["updates"] += update is not None
            keep(record)
    return out


def embed_bases(real: Real, embedder, cache: Path | None) -> dict[str, Any]:
    """Real embeddings of the in-state bases (headline + cleaned body, as the stories stage embeds a group)."""
    import hashlib

    import numpy as np

    from newsdedup.stories import embedding_text

    ids = sorted(real.bases)
    texts = [embedding_text(real.docs[a]["title"], real.docs[a]["text"]) for a in ids]
    key = hashlib.sha1(json.dumps([embedder.model_name, embedder.max_seq_length, embedder.precision, ids, texts]).encode()).hexdigest()[:16]
    path = cache / f"desk-bases-{key}.npy" if cache else None
    if path is not None and path.is_file():
        vectors = np.load(path)
    else:
        vectors = embedder.embed(texts)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
    return dict(zip(ids, vectors))


def load_sentence_cache(cache: Path | None, embedder) -> tuple[dict[str, Any], Path | None]:
    """Sentence vectors embedded by earlier bench runs (text key -> vector), and the file they live in."""
    import hashlib

    import numpy as np

    if cache is None:
        return {}, None
    spec = [embedder.model_name, embedder.max_seq_length, embedder.precision]
    if embedder.weights:  # a fine-tuned facts model: its file's hash (older cache files stay valid for the packaged one)
        from newsdedup.embed import resolve_weights

        spec.append(hashlib.sha1(resolve_weights(embedder.weights).read_bytes()).hexdigest())
    key = hashlib.sha1(json.dumps(spec).encode()).hexdigest()[:16]
    path = cache / f"desk-sentences-{key}.npz"
    if not path.is_file():
        return {}, path
    saved = np.load(path)
    return dict(zip(saved["keys"].tolist(), saved["vectors"])), path


def save_sentence_cache(path: Path | None, known: dict[str, Any]) -> None:
    import numpy as np

    if path is None or not known:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(known)
    np.savez(path, keys=np.array(keys), vectors=np.vstack([known[k] for k in keys]))


def kept_sentences(documents, canon, story_ids, cached, settings):
    """What a real run's facts stage keeps for the given stories: their most complete versions' fact
    sentences (state SENTENCES rows) and vectors, row-aligned. The library's facts stage runs on those
    versions alone; `cached` is a CachedEmbedder, whose vectors are read back by key."""
    import numpy as np
    import polars as pl

    from newsdedup.facts import resolve_stories_with_sentences
    from newsdedup.incremental import sentence_rows

    chosen = canon.filter(pl.col("story_id").is_in(story_ids)).select(pl.col("canonical_article_id").alias("article_id"))
    _, used = resolve_stories_with_sentences(documents.join(chosen, on="article_id"), cached, settings.facts)
    rows = sentence_rows(used)
    vectors = np.vstack([cached.known[k] for k in rows["key"].to_list()]) if rows.height else np.zeros((0, 0), np.float32)
    return rows, vectors


def build_state(label: str, n: int, real: Real, base_vectors, settings, args, folder: Path,
                sentence_embedder=None) -> dict[str, Any]:
    """Build, save and describe the state of about n articles; returns the build figures."""
    import numpy as np
    import polars as pl

    from newsdedup.incremental import _created_table, update_syndicates
    from newsdedup.schema import DOCUMENTS, conform
    from newsdedup.state import ASSIGNED, CANON, GROUPS, EDGES, new_state, save_state
    from newsdedup.stories import (
        cluster_components, days_of, edge_hubness, headline_and_body, pair_similarity, representatives, story_edges,
        term_stats, text_terms,
    )
    from newsdedup.syndication import group_id

    t: dict[str, float] = {}
    start = time.perf_counter()
    corpus = corpus_for(n, real, args.seed, args.max_copies, settings)
    rows, originals, primary_of = corpus["rows"], corpus["originals"], corpus["primary_of"]
    documents = conform(pl.DataFrame(rows, schema=DOCUMENTS), DOCUMENTS, "documents").sort("article_id")
    elapsed = time.perf_counter() - start
    t["generate"] = elapsed - corpus["ingest_seconds"]
    t["ingest"] = corpus["ingest_seconds"]

    state = new_state(settings)
    state.run = 1
    start = time.perf_counter()
    documents = update_syndicates(state, documents, settings)
    t["copy groups"] = time.perf_counter() - start

    start = time.perf_counter()
    reps = representatives(documents)
    rng = np.random.default_rng(args.seed)
    vectors = np.zeros((reps.height, len(next(iter(base_vectors.values())))), dtype=np.float32)
    exact = 0
    for row, members in enumerate(reps["members"].to_list()):
        in_state = [m for m in members if m in base_vectors]
        if in_state:
            vectors[row] = base_vectors[in_state[0]]
            exact += 1
            continue
        original = members[0].split("__c")[0]
        source = primary_of.get(original, original)
        noisy = base_vectors[source] + rng.normal(0.0, NOISE_SIGMA, vectors.shape[1]).astype(np.float32)
        vectors[row] = noisy / np.linalg.norm(noisy)
    t["vectors"] = time.perf_counter() - start

    start = time.perf_counter()
    names = reps["syndicate_id"].to_list()
    cfg = settings.stories
    days = days_of(reps["published"])
    state.terms = term_stats(headline_and_body(documents))
    terms = text_terms(headline_and_body(reps), state.terms)
    src, dst = story_edges(vectors, days, np.arange(len(names)), terms, cfg)
    if args.stories == "cluster":
        keep = src < dst
        src, dst = src[keep], dst[keep]
        story_label, hubs = cluster_components(vectors, days, src, dst, cfg, terms=terms)
    else:
        # one story per copy group; each group's hubness from its candidate pairs, as the desk needs it
        pairs = np.unique(np.stack([np.minimum(src, dst), np.maximum(src, dst)], axis=1), axis=0).reshape(-1, 2)
        a, b = pairs[:, 0], pairs[:, 1]
        hubs = edge_hubness(len(names), a, b, pair_similarity(vectors, terms, a, b, cfg), cfg.neighbours)
        src = dst = np.zeros(0, dtype=np.int64)
        story_label = np.arange(len(names))
    members_of: dict[int, list[str]] = {}
    for lab, members in zip(story_label.tolist(), reps["members"].to_list()):
        members_of.setdefault(lab, []).extend(members)
    story_name = {lab: group_id("story", m) for lab, m in members_of.items()}
    story_of_group = {g: story_name[lab] for g, lab in zip(names, story_label.tolist())}
    t["stories"] = time.perf_counter() - start

    start = time.perf_counter()
    documents = documents.with_columns(
        story_id=pl.col("syndicate_id").replace_strict(story_of_group, return_dtype=pl.String)
    ).select(list(ASSIGNED))
    canon = (
        documents.sort(["story_id", "n_words", "article_id"], descending=[False, True, False])
        .group_by("story_id", maintain_order=True)
        .agg(pl.col("article_id").first().alias("canonical_article_id"))
        .with_columns(canonical_reason=pl.lit("benchmark stand-in: longest article (facts stage not run)"),
                      n_facts=pl.lit(0, pl.Int64))
    )
    state.documents = documents
    state.canon = canon.select(list(CANON)).cast(CANON)
    state.groups = pl.DataFrame({"syndicate_id": names, "representative": reps["representative"],
                                 "row": np.arange(len(names)), "hub": hubs}, schema=GROUPS)
    state.vectors = vectors
    state.edges = pl.DataFrame({"a": [names[i] for i in src], "b": [names[j] for j in dst]}, schema=EDGES).sort(["a", "b"])
    created = dict(zip(state.created["id"].to_list(), state.created["seq"].to_list()))
    for story in story_name.values():
        created.setdefault(story, state.run)
    state.created = _created_table(created)
    t["tables"] = time.perf_counter() - start

    # A real run's facts stage keeps the vectors of every story's fact sentences. Embedding all sentences of
    # 100k articles is out of reach here, so only the stories holding a real base (those the same-story
    # queries belong to) get their most complete version's; the desk embeds any other's when it meets one.
    start = time.perf_counter()
    with_base = documents.filter(pl.col("article_id").is_in(list(real.bases)))["story_id"].unique().to_list()
    if sentence_embedder is not None and with_base:
        state.sentences, state.sentence_vectors = kept_sentences(documents, state.canon, with_base, sentence_embedder, settings)
    t["sentence vectors"] = time.perf_counter() - start

    start = time.perf_counter()
    save_state(folder, state)
    t["save_state"] = time.perf_counter() - start
    files = {p.name: p.stat().st_size for p in (folder / "state").iterdir()}

    sizes = documents.group_by("syndicate_id").len()["len"]
    story_sizes = documents.group_by("story_id").len()["len"]
    n_real = sum(1 for a in documents["article_id"].to_list() if a.split("__c")[0] in real.bases)
    figures = {
        "label": label,
        "target": n,
        "articles": documents.height,
        "rejected_at_ingest": corpus["rejected"],
        "one_sentence_copies_left_out": corpus["one_sentence_copies"],
        "real_bases": sum(1 for o in originals if o["id"] in real.bases),
        "originals": len(originals),
        "synthetic_originals": corpus["synthetic"],
        "articles_from_real_bases": n_real,
        "update_copies": corpus["updates"],
        "copy_groups": int((sizes > 1).sum()),
        "groups": len(names),
        "groups_with_real_vector": exact,
        "verified_pairs": state.pairs.height,
        "stories": len(story_name),
        "largest_story": int(story_sizes.max()),
        "radius_edges": int(len(src)),
        "stories_with_kept_sentences": int(state.sentences["story_id"].n_unique()),
        "kept_sentences": state.sentences.height,
        "build_seconds": t,
        "build_total_seconds": sum(t.values()),
        "disk_bytes": sum(files.values()),
        "disk_files": files,
        "build_peak_rss_mb": peak_rss_mb(),
    }
    figures["copies"] = sum(1 for a in documents["article_id"].to_list() if "__c" in a)
    origins = documents.select(pl.col("article_id").str.replace(r"__c\d+$", "").alias("original"), "syndicate_id")
    per_group = origins.group_by("syndicate_id").agg(pl.col("original").n_unique().alias("n"))
    figures["groups_joining_originals"] = int((per_group["n"] > 1).sum())
    figures["largest_copy_group"] = int(sizes.max())
    return figures, state, documents, originals, primary_of


def query_records(label: str, n_queries: int, real: Real, state_docs, originals, primary_of, seed: int,
                  settings) -> list[dict[str, Any]]:
    """The three kinds of queries for one state, plus PROFILE_EXTRA spare ones of each kind for cProfile."""
    from make_syndication import OUTLETS, make_copy

    syndicate = dict(zip(state_docs["article_id"].to_list(), state_docs["syndicate_id"].to_list()))
    story = dict(zip(state_docs["article_id"].to_list(), state_docs["story_id"].to_list()))
    need = n_queries + PROFILE_EXTRA
    rng = random.Random(f"desk-bench:queries:{seed}:{label}")
    in_state = [o for o in originals if o["id"] in syndicate]
    titles = [o["title"] for o in in_state if o.get("title")]
    out = []
    for k in range(need):  # (i) a trimmed / re-headlined copy of an article in the state
        for attempt in range(100):
            original = rng.choice(in_state)
            crng = random.Random(f"desk-bench:copy:{seed}:{label}:{k}:{attempt}")
            record, _meta, _update = make_copy(dict(original), f"query_copy_{k:04d}", crng.choice(OUTLETS), [], titles, crng)
            doc = ingest_record(record, settings.ingest)
            if doc is not None and not one_sentence_copy(doc):
                break
        out.append({"kind": "copy", "record": record, "expect": [syndicate[original["id"]]], "spare": k >= n_queries})
    story_articles: dict[str, set[str]] = {}
    for a in state_docs["article_id"].to_list():
        base = a.split("__c")[0]
        source = primary_of.get(base, base)  # a synthetic article counts for the story of its primary source
        if source in real.bases:
            story_articles.setdefault(real.story[source], set()).add(story[a])
    for k, article_id in enumerate(real.story_queries[:need]):  # (ii) another outlet's write-up of a story in the state
        expect = sorted(story_articles.get(real.story[article_id], set()))
        out.append({"kind": "same_story", "record": real.records[article_id], "expect": expect, "spare": k >= n_queries})
    for k, article_id in enumerate(real.new_queries[:need]):  # (iii) a story the state has never seen
        out.append({"kind": "new", "record": real.records[article_id], "expect": [], "spare": k >= n_queries})
    return out


# ----------------------------------------------------------------------------------------- measuring (child process)


class RecordingEmbedder:
    """The desk's embedder, noting the texts of each check so that the tokens the model read can be counted
    after the check's clock has stopped."""

    def __init__(self, inner) -> None:
        self.inner, self.texts = inner, []

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)

    def tokens(self, max_length: int) -> int:
        tokenizer = self.inner._load().tokenizer
        return sum(len(ids) for ids in tokenizer(self.texts, truncation=True, max_length=max_length)["input_ids"]) if self.texts else 0


def measure(state_root: Path, queries_path: Path, out_path: Path, config: Path | None, seed: int) -> int:
    """In a fresh process: cold start, RSS, and Desk.check latency per kind of query."""
    rss_start = rss_now_mb(float("nan"))
    start = time.perf_counter()
    from newsdedup.check import Desk
    from newsdedup.config import load_config
    from newsdedup.embed import Embedders, embedders
    from newsdedup.state import load_state

    imports = time.perf_counter() - start
    import polars as pl

    import newsdedup.check

    check_sha1 = file_sha1(newsdedup.check.__file__)  # the desk code this process runs
    settings = load_config(config)
    cfg = settings.stories

    start = time.perf_counter()
    state = load_state(state_root, settings, map_sentences=True)
    load_seconds = time.perf_counter() - start
    if state is None:
        print(f"desk bench: no usable state in {state_root}", file=sys.stderr)
        return 2
    rss_state = rss_now_mb(float("nan"))
    models = embedders(settings)
    embedder = models.stories
    recording = RecordingEmbedder(embedder)
    # the facts stage's own model reads the sentences, when it has one
    sentence_recording = RecordingEmbedder(models.facts) if models.facts is not models.stories else recording
    start = time.perf_counter()
    desk = Desk(state, settings, Embedders(recording, sentence_recording))
    desk_seconds = time.perf_counter() - start
    rss_desk = rss_now_mb(float("nan"))
    start = time.perf_counter()
    embedder._load()
    if models.facts is not models.stories:
        models.facts._load()
    model_seconds = time.perf_counter() - start
    rss_loaded = rss_now_mb(float("nan"))

    queries = [json.loads(line) for line in queries_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs, rejected = [], Counter()
    for q in queries:
        doc = ingest_record(q["record"], settings.ingest)
        if doc is None:
            rejected[q["kind"]] += 1
        else:
            docs.append((q, doc))
    measured = [(q, d) for q, d in docs if not q["spare"]]
    spare = [(q, d) for q, d in docs if q["spare"]]
    rng = random.Random(f"desk-bench:order:{seed}")
    rng.shuffle(measured)

    # The first check of each kind in this process, not counted below (torch and the sentence splitter warm up on first use).
    first: dict[str, float] = {}
    for kind in KINDS:
        for q, d in spare:
            if q["kind"] == kind:
                start = time.perf_counter()
                desk.check(d)
                first[kind] = (time.perf_counter() - start) * 1000
                break
    from newsdedup.syndication import fingerprint

    # stories with a date: the time window can keep a dated query from them; an undated one is anyone's
    dated_stories = set(state.documents.filter(pl.col("published").is_not_null())["story_id"].to_list())
    load_before = os.getloadavg()
    results = []
    for q, d in measured:
        recording.texts.clear()
        sentence_recording.texts.clear()
        start = time.perf_counter()
        verdict = desk.check(d)
        ms = (time.perf_counter() - start) * 1000
        tokens = recording.tokens(cfg.max_seq_length)  # not timed
        if sentence_recording is not recording:
            tokens += sentence_recording.tokens(cfg.max_seq_length)
        (_shingles,), (signature,) = fingerprint([d["text"]], settings.syndication)  # not timed
        candidates = len(state.lsh.query(signature))
        of = verdict.of or {}
        if q["kind"] == "copy":
            # held: word for word a member of that group once cleaned (a copy changing only boilerplate and a byline)
            right = verdict.verdict in ("copy", "update", "held") and of.get("syndicate_id") in q["expect"]
        elif q["kind"] == "same_story":
            right = verdict.verdict in ("same_story", "update", "copy") and of.get("story_id") in q["expect"]
        else:
            right = verdict.verdict == "new"
        results.append({"kind": q["kind"], "id": d["article_id"], "verdict": verdict.verdict, "ms": ms,
                        "right": bool(right), "n_words": d["n_words"], "adds": len(verdict.adds),
                        "lsh_candidates": candidates, "embedded_texts": len(recording.texts) + (len(sentence_recording.texts) if sentence_recording is not recording else 0),
                        "embedded_tokens": tokens,
                        "dated": d.get("published") is not None, "story_dated": of.get("story_id") in dated_stories})
    rss_after = rss_now_mb(float("nan"))
    load_after = os.getloadavg()

    per_kind: dict[str, Any] = {}
    for kind in KINDS:
        rows = [r for r in results if r["kind"] == kind]
        ms = [r["ms"] for r in rows]
        per_verdict = {}
        for v in sorted({r["verdict"] for r in rows}):
            vms = [r["ms"] for r in rows if r["verdict"] == v]
            per_verdict[v] = {"n": len(vms), "p50_ms": percentile(vms, 50), "p95_ms": percentile(vms, 95)}
        per_kind[kind] = {
            "n": len(rows),
            "rejected_at_ingest": rejected.get(kind, 0),
            "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "max_ms": max(ms) if ms else float("nan"),
            "mean_ms": sum(ms) / len(ms) if ms else float("nan"),
            "verdicts": dict(Counter(r["verdict"] for r in rows)),
            "right": sum(r["right"] for r in rows),
            "by_verdict": per_verdict,
            "first_check_ms": first.get(kind),
            "lsh_candidates_p50": percentile([r["lsh_candidates"] for r in rows], 50),
            "lsh_candidates_p95": percentile([r["lsh_candidates"] for r in rows], 95),
            "n_words_p50": percentile([r["n_words"] for r in rows], 50),
            "embedded_tokens_p50": percentile([r["embedded_tokens"] for r in rows], 50),
            "embedded_tokens_p95": percentile([r["embedded_tokens"] for r in rows], 95),
            "adds_p50": percentile([r["adds"] for r in rows], 50),
            # wrong "same story" verdicts, by whether the time window could have told them apart
            "wrong_story_both_dated": sum(1 for r in rows if not r["right"] and r["verdict"] == "same_story"
                                          and r["dated"] and r["story_dated"]),
            "wrong_story_undated": sum(1 for r in rows if not r["right"] and r["verdict"] == "same_story"
                                       and not (r["dated"] and r["story_dated"])),
        }

    # cProfile of the spare queries of every kind whose p95 misses its goal.
    import cProfile
    import io
    import pstats

    profiles: dict[str, Any] = {}
    for kind in KINDS:
        goal = GOAL_COPY_MS if kind == "copy" else GOAL_ANY_MS
        if not per_kind[kind]["n"] or per_kind[kind]["p95_ms"] <= goal:
            continue
        rows = [d for q, d in spare if q["kind"] == kind]
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for d in rows:
            desk.check(d)
        profiler.disable()
        total = time.perf_counter() - start
        stats = pstats.Stats(profiler)
        top = []
        for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
            short = filename.split("site-packages/")[-1].split("/src/")[-1]
            top.append({"function": f"{short}:{line}({func})", "ncalls": ncalls, "tottime": tottime, "cumtime": cumtime})
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(25)
        profiles[kind] = {
            "queries": len(rows), "seconds": total,
            "by_cumtime": sorted(top, key=lambda r: -r["cumtime"])[:40],
            "by_tottime": sorted(top, key=lambda r: -r["tottime"])[:15],
        }

    figures = {
        "check_py_sha1": check_sha1,
        "imports_seconds": imports,
        "load_state_seconds": load_seconds,
        "desk_init_seconds": desk_seconds,
        "model_load_seconds": model_seconds,
        "cold_start_seconds": imports + load_seconds + desk_seconds + model_seconds,
        "rss_mb": {"process_start": rss_start, "after_load_state": rss_state, "after_desk": rss_desk,
                   "after_model": rss_loaded, "after_queries": rss_after},  # (ru_maxrss is inherited from the parent)
        "load_average_before": load_before,
        "load_average_after": load_after,
        "kinds": per_kind,
        "results": results,
        "profiles": profiles,
    }
    out_path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


# ----------------------------------------------------------------------------------------- reporting


def print_report(builds: list[dict[str, Any]], measures: dict[str, dict[str, Any]], console) -> None:
    from rich.table import Table

    table = Table(title="states (built partly synthetically, see above)", title_justify="left")
    for col in ("size", "articles", "real bases / synthetic / copies", "copy groups", "groups", "stories",
                "build s", "of which copy groups s", "disk MB (lsh.pkl)", "load_state s", "Desk() s",
                "model load s", "cold start s", "RSS after load MB"):
        table.add_column(col, justify="left" if col == "size" else "right")
    for b in builds:
        m = measures.get(b["label"], {})
        table.add_row(
            b["label"], str(b["articles"]), f"{b['real_bases']} / {b['synthetic_originals']} / {b['copies']}",
            str(b["copy_groups"]), str(b["groups"]), str(b["stories"]), f"{b['build_total_seconds']:.1f}",
            f"{b['build_seconds']['copy groups']:.1f}",
            f"{b['disk_bytes'] / 1e6:.1f} ({b['disk_files'].get('lsh.pkl', 0) / 1e6:.1f})",
            f"{m.get('load_state_seconds', float('nan')):.2f}", f"{m.get('desk_init_seconds', float('nan')):.2f}",
            f"{m.get('model_load_seconds', float('nan')):.2f}", f"{m.get('cold_start_seconds', float('nan')):.2f}",
            f"{m.get('rss_mb', {}).get('after_model', float('nan')):.0f}",
        )
    console.print(table)

    lat = Table(title="Desk.check latency (ms) per kind of query", title_justify="left")
    for col in ("size", "kind", "n", "p50", "p95", "max", "first check", "verdicts", "right", "goal (p95)"):
        lat.add_column(col, justify="left" if col in ("size", "kind", "verdicts", "goal (p95)") else "right")
    for b in builds:
        m = measures.get(b["label"])
        if not m:
            continue
        for kind in KINDS:
            k = m["kinds"][kind]
            goal = GOAL_COPY_MS if kind == "copy" else GOAL_ANY_MS
            mix = ", ".join(f"{v} {n}" for v, n in sorted(k["verdicts"].items(), key=lambda x: -x[1]))
            lat.add_row(b["label"], kind, str(k["n"]), f"{k['p50_ms']:.1f}", f"{k['p95_ms']:.1f}", f"{k['max_ms']:.1f}",
                        f"{k['first_check_ms']:.0f}" if k["first_check_ms"] is not None else "-", mix,
                        f"{k['right']}/{k['n']}", f"< {goal:.0f}: {'met' if k['p95_ms'] < goal else 'NOT met'}")
        lat.add_section()
    console.print(lat)
    for b in builds:
        m = measures.get(b["label"])
        if not m:
            continue
        parts = []
        for kind in KINDS:
            for v, s in m["kinds"][kind]["by_verdict"].items():
                parts.append(f"{kind}->{v} {s['n']}: p50 {s['p50_ms']:.1f} / p95 {s['p95_ms']:.1f}")
        print(f"{b['label']} latency by verdict: " + "; ".join(parts))
        print(f"{b['label']} query words p50 / LSH candidates p50, p95 / facts added p50: " + "; ".join(
            f"{kind} {m['kinds'][kind]['n_words_p50']:.0f} / {m['kinds'][kind]['lsh_candidates_p50']:.0f}, "
            f"{m['kinds'][kind]['lsh_candidates_p95']:.0f} / {m['kinds'][kind]['adds_p50']:.0f}" for kind in KINDS)
            + f"; load average while measuring {m['load_average_before'][0]:.1f} -> {m['load_average_after'][0]:.1f}")
        wrong = {kind: (m["kinds"][kind].get("wrong_story_both_dated"), m["kinds"][kind].get("wrong_story_undated"))
                 for kind in KINDS}
        print(f"{b['label']} wrong 'same story' verdicts, query and story both dated / either undated (no time window "
              "applies): " + "; ".join(f"{kind} {a} / {u}" for kind, (a, u) in wrong.items()))
        print(f"{b['label']} tokens the model read per check, p50 / p95 (the work behind the latency, free of "
              "the machine's noise): " + "; ".join(
            f"{kind} {m['kinds'][kind].get('embedded_tokens_p50', float('nan')):.0f} / "
            f"{m['kinds'][kind].get('embedded_tokens_p95', float('nan')):.0f}" for kind in KINDS))


def print_profiles(label: str, m: dict[str, Any]) -> None:
    for kind, prof in m["profiles"].items():
        print(f"cProfile, {label}, {prof['queries']} spare '{kind}' queries ({prof['seconds']:.2f}s in all, "
              f"{prof['seconds'] / max(1, prof['queries']) * 1000:.1f} ms each); top by cumulative time "
              f"(seconds over all queries):")
        shown = 0
        for row in prof["by_cumtime"]:
            if "cProfile" in row["function"] or "{method 'disable'" in row["function"]:
                continue
            print(f"  {row['cumtime']:7.3f} cum {row['tottime']:7.3f} own {row['ncalls']:>8} calls  {row['function']}")
            shown += 1
            if shown >= 14:
                break
        print("  top by own time: " + "; ".join(f"{r['function']} {r['tottime']:.3f}s" for r in prof["by_tottime"][:6]))


# ----------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("1k,10k,100k"),
                        help="state sizes in articles, comma separated (default 1k,10k,100k)")
    parser.add_argument("--queries", type=int, default=200, help="measured queries per kind (default 200)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config (default: config/default.toml)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the split, synthetic articles and copies")
    parser.add_argument("--max-copies", type=int, default=4, help="republished copies per original, 0..N (default 4)")
    parser.add_argument("--stories", choices=("group", "cluster"), default="group",
                        help="story ids: one story per copy group (default), or the library's radius graph + average "
                             "linkage on the stand-in vectors (fine at 1k and 10k; at 100k the stand-in vectors make "
                             "a dense graph and the clustering ran out of memory)")
    parser.add_argument("--budget-minutes", type=float, default=25.0,
                        help="skip a size whose projected build + measurement would end the run after this")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="keep the base embeddings here between runs (default: embed them every run)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="keep the saved states here")
    parser.add_argument("--measure", nargs=3, type=Path, metavar=("STATE_DIR", "QUERIES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        return measure(*args.measure, args.config, args.seed)

    command = command_line("bench/desk.py", argv)
    missing = [name for name in SETS if not (EVAL_DIR / name / "articles.jsonl").is_file()
               or not (EVAL_DIR / name / "labels.csv").is_file()]
    if missing:
        print(f"desk bench: {EVAL_DIR} is absent or lacks {', '.join(missing)} (../shared/eval); nothing run",
              file=sys.stderr)
        return 2
    if args.queries < 1:
        parser.error("--queries must be >= 1")

    from rich.console import Console

    from newsdedup.embed import SentenceTransformerEmbedder, embedders

    settings = load_settings("desk bench", args.config)
    if settings is None:
        return 2
    console = Console(width=180)
    run_start = time.perf_counter()
    budget = args.budget_minutes * 60
    import platform

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at start")
    print(f"command: {command}")
    print(f"config: {args.config or 'config/default.toml'}; stories: {args.stories}; library: {library_revision()}")
    print("NOTE: these states are built partly synthetically, because embedding 100k articles is out of reach here "
          "(~13 articles/s): real BASIL + AllSides articles as bases, republished copies of them (make_syndication's "
          "make_copy), and synthetic articles that each mix sentences of 3 real bases; copy groups, the MinHashLSH index and the verified "
          "pairs are real (library `update_syndicates`); only the in-state real bases are embedded with the real "
          f"model, every other copy group gets its source base's vector plus Gaussian noise (sigma {NOISE_SIGMA}), "
          "normalised; stories come from "
          + ("the library's radius graph + average linkage on those vectors" if args.stories == "cluster"
             else "one story per copy group")
          + "; canon = longest article of each story, facts empty; the facts stage's kept sentence vectors: those of "
          "the most complete version of each story holding a real base, embedded for real (other stories have none, "
          "and the desk embeds theirs when it meets one). Queries are embedded for real by Desk.check.")

    start = time.perf_counter()
    real = Real(settings, args.seed, args.queries)
    real_seconds = time.perf_counter() - start
    print(f"real articles: {len(real.records)} ({real.rejected} rejected at ingest); held out: "
          f"{len(real.new_queries)} articles of {real.held_stories} whole stories (new), {len(real.story_queries)} "
          f"articles, one of each of {len(real.story_queries)} stories (same story); {len(real.bases)} in-state bases "
          f"({len(real.mixable)} with 4+ sentences feed the synthetic articles); read in {real_seconds:.1f}s")

    cfg = settings.stories
    embedder = SentenceTransformerEmbedder.from_config(cfg)
    start = time.perf_counter()
    base_vectors = embed_bases(real, embedder, args.cache)
    embed_seconds = time.perf_counter() - start
    print(f"embedded {len(base_vectors)} in-state bases with {cfg.model} in {embed_seconds:.1f}s "
          f"({len(base_vectors) / embed_seconds:.1f}/s, model load included{', cache' if args.cache else ''})", flush=True)

    from newsdedup.embed import CachedEmbedder

    facts_model = embedders(settings).facts  # the facts stage's model embeds the state's sentences
    known, sentence_path = load_sentence_cache(args.cache, facts_model)
    sentence_embedder = CachedEmbedder(facts_model, known)

    tmp = None
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="newsdedup-desk-")
        work = Path(tmp.name)
    builds: list[dict[str, Any]] = []
    measures: dict[str, dict[str, Any]] = {}
    skipped: list[dict[str, Any]] = []
    try:
        previous = None
        for label, n in args.sizes:
            elapsed = time.perf_counter() - run_start
            if previous is not None:
                # Project from the previous size: the verification of copy candidates grows faster than the
                # number of articles (every synthetic article shares sentences with more others): the copy-groups
                # stage is projected with the power 1.5 (measured here: 3 s at 10k, 95 s at 100k), the rest linearly.
                ratio = n / previous["articles"]
                bs = previous["build_seconds"]
                pm = measures[previous["label"]]
                projected = (bs["copy groups"] * ratio ** 1.5 + (previous["build_total_seconds"] - bs["copy groups"]) * ratio
                             + previous["measure_seconds"] * 1.5
                             + (pm["load_state_seconds"] + pm["desk_init_seconds"]) * ratio)
                if elapsed + projected > budget:
                    reason = (f"not run: projected {projected / 60:.1f} min from the {previous['label']} state "
                              f"(build {previous['build_total_seconds']:.0f}s, of which copy groups "
                              f"{bs['copy groups']:.0f}s x {ratio:.0f}^1.5, the rest x {ratio:.0f}; measuring "
                              f"{previous['measure_seconds']:.0f}s) after {elapsed / 60:.1f} min already spent would "
                              f"exceed the {args.budget_minutes:.0f} min budget (--budget-minutes)")
                    print(f"{label}: {reason}")
                    skipped.append({"label": label, "target": n, "reason": reason, "projected_seconds": projected,
                                    "elapsed_seconds": elapsed})
                    continue
            folder = work / label
            print(f"{label}: building a state of {n} articles ...", flush=True)
            figures, _state, docs, originals, primary_of = build_state(label, n, real, base_vectors, settings, args, folder,
                                                                       sentence_embedder)
            save_sentence_cache(sentence_path, sentence_embedder.known)
            del _state
            bs = figures["build_seconds"]
            print(f"{label}: built in {figures['build_total_seconds']:.1f}s ("
                  + ", ".join(f"{k} {v:.1f}s" for k, v in bs.items())
                  + f"); {figures['articles']} articles, {figures['copy_groups']} copy groups, {figures['verified_pairs']} "
                  f"verified pairs, {figures['stories']} stories (largest {figures['largest_story']} articles), "
                  f"{figures['disk_bytes'] / 1e6:.1f} MB on disk", flush=True)
            queries = query_records(label, args.queries, real, docs, originals, primary_of, args.seed, settings)
            qpath = work / f"{label}-queries.jsonl"
            qpath.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")
            out = work / f"{label}-measure.json"
            child = [sys.executable, str(Path(__file__).resolve()), "--measure", str(folder), str(qpath), str(out),
                     "--seed", str(args.seed)] + (["--config", str(args.config)] if args.config else [])
            start = time.perf_counter()
            done = subprocess.run(child, check=False)
            measure_seconds = time.perf_counter() - start
            if done.returncode != 0 or not out.is_file():
                print(f"{label}: the measuring process failed (exit {done.returncode})", file=sys.stderr)
                return 1
            m = json.loads(out.read_text(encoding="utf-8"))
            m["process_seconds"] = measure_seconds
            measures[label] = m
            figures["measure_seconds"] = measure_seconds
            figures["cold_start"] = m["cold_start_seconds"]
            builds.append(figures)
            k = m["kinds"]
            print(f"{label}: measured in a fresh process (check.py sha1 {m['check_py_sha1']}) in {measure_seconds:.0f}s; p95 copy {k['copy']['p95_ms']:.1f} ms, "
                  f"same story {k['same_story']['p95_ms']:.1f} ms, new {k['new']['p95_ms']:.1f} ms", flush=True)
            previous = figures

        total = time.perf_counter() - run_start
        print()
        print_report(builds, measures, console)
        for b in builds:
            m = measures[b["label"]]
            r = m["rss_mb"]
            print(f"{b['label']}: cold start {m['cold_start_seconds']:.2f}s = imports {m['imports_seconds']:.2f} + "
                  f"load_state {m['load_state_seconds']:.2f} + Desk() {m['desk_init_seconds']:.2f} + model load "
                  f"{m['model_load_seconds']:.2f}; RSS MB: after load_state {r['after_load_state']:.0f}, after Desk "
                  f"{r['after_desk']:.0f}, after model {r['after_model']:.0f}, after the queries {r['after_queries']:.0f}; "
                  f"build peak RSS {b['build_peak_rss_mb']:.0f} MB; on disk: "
                  + ", ".join(f"{name} {size / 1e6:.1f}" for name, size in sorted(b["disk_files"].items(), key=lambda x: -x[1])[:4])
                  + " MB")
        if builds:
            largest = builds[-1]["label"]
            if measures[largest]["profiles"]:
                print_profiles(largest, measures[largest])
        for s in skipped:
            print(f"{s['label']}: {s['reason']}")
        versions = {m["check_py_sha1"] for m in measures.values()}
        if len(versions) > 1:
            print(f"WARNING: src/newsdedup/check.py changed during the run ({', '.join(sorted(versions))}): "
                  "the sizes were measured with different desk code")
        if builds:
            big = builds[-1]
            k = measures[big["label"]]["kinds"]
            copy_ok = k["copy"]["p95_ms"] < GOAL_COPY_MS
            any_ok = all(k[kind]["p95_ms"] < GOAL_ANY_MS for kind in KINDS)
            print(f"goals at {big['label']} ({big['articles']} articles): copy verdict p95 < {GOAL_COPY_MS:.0f} ms: "
                  f"{'met' if copy_ok else 'NOT met'} ({k['copy']['p95_ms']:.1f} ms); every kind p95 < "
                  f"{GOAL_ANY_MS:.0f} ms: {'met' if any_ok else 'NOT met'}"
                  + ("" if big["label"] == "100k" else " (the goal is stated for 100k)"))
        print(f"total {total / 60:.1f} min; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")

        if args.json:
            figures = {
                "command": command, "config": str(args.config or "config/default.toml"), "stories_mode": args.stories,
                "library": library_revision(),
                "noise_sigma": NOISE_SIGMA, "seed": args.seed, "max_copies": args.max_copies, "queries": args.queries,
                "real": {"articles": len(real.records), "rejected": real.rejected, "bases": len(real.bases),
                         "new_queries": len(real.new_queries), "story_queries": len(real.story_queries),
                         "read_seconds": real_seconds},
                "base_embedding_seconds": embed_seconds,
                "builds": builds, "measures": measures, "skipped": skipped, "total_seconds": total,
                "goals_ms": {"copy_p95": GOAL_COPY_MS, "any_p95": GOAL_ANY_MS},
            }
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
            print(f"json: {args.json}")
    finally:
        if tmp is not None:
            tmp.cleanup()
        elif args.keep:
            print(f"kept: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
