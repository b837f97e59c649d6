#!/usr/bin/env python3
"""What one scheduled run costs when the state holds a large archive: a few new articles against N held.

A newsroom's cron run adds a handful of articles to everything it has read before. Each stage that touches the
whole state (loading it, the stages' bookkeeping, writing every output table and report, saving the state) grows
with the archive, while the new articles' own work does not. This script measures how.

The archive is made from the 300 BASIL articles (../shared/eval/basil_story; absent: nothing is run) as
`--articles` articles: replica r of every article has nine in ten of its word types (3 letters or more) swapped for
made-up words by a seeded map of its own (with half, replicas of one story stayed alike enough to chain, day after
day, into stories of thousands of articles), so replicas share no copy text and no story; each replica's
stories are moved to a seeded day within `--days` days (the articles of a story keep their days apart); each
replica is republished by bench/make_syndication.py (0-4 copies per original), so the archive holds copy groups
as the feeds do. The texts read like news (real sentence lengths, names, numbers, boilerplate) but are no real
stories, so no quality is measured here: bench/quality.py does that.

Building an archive of 100,000 articles with the model would take hours (about 20 articles/s for stories and 200
sentences/s for facts on 2 cores), so the archive is built with a stand-in embedder, `HashEmbedder` (hashed words
through a fixed sparse random projection to the model's 384 dimensions, unit length): the state holds as many
vectors, of the same shape, as the model would give it. The measured run uses the real model for its new
articles' texts (`--model stand-in` keeps the stand-in): its embedding time is counted apart.

Steps, each timed (library calls, as the flow's tasks make them; Prefect's own start-up is not included):
  build     one run from an empty state over the archive with the stand-in, then its outputs and state written
  run       `--new` new articles (a replica not in the archive) added to the input folder, then the flow's steps:
            load_state, plan_run, ingest, copies, stories, facts, outputs (tables + report.md + report.html),
            save_state
  quiet     plan_run with nothing new (the run stops there)
It prints the sizes of the state's and the outputs' files and the peak memory.

Usage:  .venv/bin/python bench/scale.py [--articles 20000] [--new 10] [--days 365] [--model packaged|stand-in]
                                        [--keep DIR] [--reuse] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "eval" / "basil_story"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from common import command_line, load_settings, offline, peak_rss_mb, rss_now_mb  # noqa: E402

offline()

WORD = re.compile(r"[A-Za-z]{3,}")


class HashEmbedder:
    """A stand-in for the sentence model when building a large archive: bag of hashed words (English stop words
    left out, so unrelated texts are far apart, as with the model), projected to `dim` dimensions by a fixed sparse
    random projection, unit length. Texts sharing words get close vectors; no meaning."""

    def __init__(self, dim: int = 384, seed: int = 0) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.random_projection import SparseRandomProjection

        self.words = HashingVectorizer(n_features=2**18, alternate_sign=False, norm="l2", stop_words="english")
        self.projection = SparseRandomProjection(n_components=dim, random_state=seed, dense_output=True)
        self.projection.fit(self.words.transform(["fit"]))
        self.texts = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts += len(texts)
        if not texts:
            return np.zeros((0, self.projection.n_components), dtype=np.float32)
        vectors = np.asarray(self.projection.transform(self.words.transform(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


class CountingEmbedder:
    """Counts the texts and the seconds of the embedder it wraps (the model's share of a run)."""

    def __init__(self, inner) -> None:
        self.inner, self.texts, self.seconds = inner, 0, 0.0

    def embed(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        out = self.inner.embed(texts)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return out


def replica(articles: list[dict[str, Any]], labels: dict[str, str], r: int, vocabulary: list[str], days: int,
            ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Replica r of the articles: its own word map, ids and story labels, and each story moved to a day of its own."""
    from make_syndication import shift_date

    rng = random.Random(f"scale:{r}")
    # a swapped word becomes a made-up word of this replica's own (syllables of the same length), so that replicas
    # share words as different stories do (the unswapped half, stop words included), not a vocabulary of swaps
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    swap = {w: "".join(rng.choice(syllables) for _ in range(max(1, len(w) // 2))) for w in vocabulary if rng.random() < 0.9}

    def remap(text: str) -> str:
        def one(m: re.Match) -> str:
            word = m.group(0)
            new = swap.get(word.lower())
            if new is None:
                return word
            return new.upper() if word.isupper() and len(word) > 1 else new.capitalize() if word[0].isupper() else new
        return WORD.sub(one, text or "")

    first: dict[str, str] = {}  # story -> its earliest date
    for a in articles:
        story = labels.get(a["id"], a["id"])
        if a.get("published") and (story not in first or a["published"] < first[story]):
            first[story] = a["published"]
    out, out_labels = [], {}
    base = "2025-01-01"
    for a in articles:
        story = labels.get(a["id"], a["id"])
        day = random.Random(f"scale:{r}:{story}").randrange(days)
        published = a.get("published")
        if published and first.get(story):
            from datetime import date

            offset = (date.fromisoformat(published[:10]) - date.fromisoformat(first[story][:10])).days
            published = shift_date(base, day + offset)
        rid = f"r{r:04d}_{a['id']}"
        out.append({**a, "id": rid, "title": remap(a.get("title")), "text": remap(a.get("text")), "published": published,
                    "url": None})
        out_labels[rid] = f"r{r:04d}_{story}"
    return out, out_labels


def build_records(n_articles: int, days: int, skip: int = 0) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """About n_articles records (replicas republished with copies), replicas counted from `skip`; also each record's
    story label (replica and BASIL story)."""
    from make_syndication import load_source, republish

    articles, labels = load_source(DEFAULT_SOURCE)
    vocabulary = sorted({w.lower() for a in articles for w in WORD.findall(f"{a.get('title')} {a.get('text')}")})
    records: list[dict[str, Any]] = []
    stories: dict[str, str] = {}
    r = skip
    while len(records) < n_articles:
        rep, rep_labels = replica(articles, labels, r, vocabulary, days)
        recs, rows, _updates, _meta = republish(rep, rep_labels, seed=13, max_copies=4)
        records.extend(recs)
        stories.update((row["id"], row["story_id"]) for row in rows)
        r += 1
    records = records[:n_articles]
    return records, r - skip, {rec["id"]: stories[rec["id"]] for rec in records}


def story_scores(documents, stories: dict[str, str]) -> dict[str, Any]:
    """The archive's stories scored against the replicas' labels (B-cubed, ARI), as `newsdedup evaluate` scores them;
    a JSON record's id is its uri ('urn:x:ID')."""
    from dataclasses import asdict

    import polars as pl
    from newsdedup.evaluate import score_level

    ids = [a if a in stories else a.rsplit(":", 1)[-1] for a in documents["article_id"].to_list()]
    frame = documents.select("title", "story_id").with_columns(
        true_story=pl.Series([stories.get(i) for i in ids], dtype=pl.String)).drop_nulls("true_story")
    score = score_level("stories", frame, "true_story", "story_id")
    return {"labelled": frame.height, "true_stories": score.n_true_clusters, "stories": score.n_pred_clusters,
            "bcubed": asdict(score.bcubed), "ari": score.ari}


def folder_size(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20000, help="articles in the archive (default 20,000)")
    parser.add_argument("--new", type=int, default=10, help="new articles in the measured run (default 10)")
    parser.add_argument("--days", type=int, default=365, help="days the archive's stories spread over (default 365)")
    parser.add_argument("--model", choices=("packaged", "stand-in"), default="packaged",
                        help="embedder of the measured run (default: the config's model)")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="work here and keep it (default: temp)")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the archive built there before")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE")
    args = parser.parse_args(argv)
    command = command_line("bench/scale.py", argv)
    if not (DEFAULT_SOURCE / "articles.jsonl").is_file():
        print(f"scale bench: {DEFAULT_SOURCE} is absent (../shared/eval is absent or incomplete); nothing run",
              file=sys.stderr)
        return 2

    from pipeline import machine, write_corpus

    from newsdedup.embed import Embedders, embedders
    from newsdedup.html_report import Sections
    from newsdedup.incremental import ingest_changes, save_run, update_facts, update_stories, update_syndicates
    from newsdedup.report import build_outputs
    from newsdedup.state import CODE_FINGERPRINT, load_state, new_state, plan_run, save_state, state_dir
    from newsdedup.store import write_outputs

    settings = load_settings("scale bench", args.config)
    if settings is None:
        return 2
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB RAM, Python {info['python']}")
    print(f"command: {command}")
    tmp = None
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="newsdedup-scale-")
        work = Path(tmp.name)
    raw, out = work / "raw", work / "out"
    figures: dict[str, Any] = {"command": command, "machine": info, "articles": args.articles, "new": args.new,
                               "days": args.days, "model": args.model}
    stand_in = HashEmbedder()
    try:
        if not (args.reuse and (state_dir(out) / "meta.json").is_file()):
            shutil.rmtree(raw, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            raw.mkdir(parents=True)
            start = time.perf_counter()
            records, replicas, labels = build_records(args.articles, args.days)
            (work / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
            formats = write_corpus(records, raw, seed=13)
            print(f"archive: {len(records):,} articles ({replicas} replicas of BASIL, with copies) over {args.days} days "
                  f"-> {raw} ({dict(formats)}; {time.perf_counter() - start:.1f}s)", flush=True)
            state = new_state(settings)
            state.run = 1
            start = time.perf_counter()
            new_docs, changes = ingest_changes(state, raw, plan_run(raw, state.manifest), settings)
            t_ingest = time.perf_counter() - start
            print(f"  ingest {t_ingest:.1f}s (peak RSS {peak_rss_mb():,.0f} MB)", flush=True)
            models = Embedders(stand_in, stand_in)
            documents = update_syndicates(state, new_docs, settings)
            t_copies = time.perf_counter() - start - t_ingest
            print(f"  copies {t_copies:.1f}s (peak RSS {peak_rss_mb():,.0f} MB)", flush=True)
            documents = update_stories(state, documents, models.stories, settings, changes)
            t_stories = time.perf_counter() - start - t_ingest - t_copies
            print(f"  stories {t_stories:.1f}s (peak RSS {peak_rss_mb():,.0f} MB)", flush=True)
            update_facts(state, documents, models.facts, settings, changes)
            t_facts = time.perf_counter() - start - t_ingest - t_copies - t_stories
            print(f"  facts {t_facts:.1f}s (peak RSS {peak_rss_mb():,.0f} MB)", flush=True)
            save_run(out, state)
            t_build = time.perf_counter() - start
            figures["build"] = {"seconds": t_build, "ingest": t_ingest, "copies": t_copies, "stories": t_stories,
                                "facts": t_facts, "write": t_build - t_ingest - t_copies - t_stories - t_facts,
                                "documents": state.documents.height, "stories_n": state.canon.height}
            print(f"build (stand-in embedder): {t_build:.1f}s (ingest {t_ingest:.1f}, copies {t_copies:.1f}, stories "
                  f"{t_stories:.1f}, facts {t_facts:.1f}, write {figures['build']['write']:.1f}); "
                  f"{state.documents.height:,} articles, {state.canon.height:,} stories", flush=True)
            del state
        else:
            print(f"archive: reusing {raw} and its state in {out}")

        # the measured run: --new articles of a replica the archive does not hold
        # (with --reuse, each measured run adds a replica of its own: incoming/1, incoming/2, ...)
        batch = 1 + sum(1 for _ in (raw / "incoming").glob("*")) if (raw / "incoming").is_dir() else 1
        new_records, _, _ = build_records(args.new, args.days, skip=100000 + batch)
        (raw / "incoming" / str(batch)).mkdir(parents=True)
        for rec in new_records:
            (raw / "incoming" / str(batch) / f"{rec['id']}.txt").write_text(_txt(rec), encoding="utf-8")
        if args.model == "packaged":
            models = embedders(settings)
            start = time.perf_counter()
            models.stories.embed(["warm up"])
            models.facts.embed(["warm up"])
            print(f"model loaded in {time.perf_counter() - start:.1f}s (not part of the run)")
            counting = CountingEmbedder(models.stories)
            facts_counting = counting if models.facts is models.stories else CountingEmbedder(models.facts)
        else:
            counting = facts_counting = CountingEmbedder(stand_in)
        steps: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            steps[name], clock = now - clock, now

        state = load_state(out, settings)
        lap("load state")
        state.run += 1
        plan = plan_run(raw, state.manifest)
        lap("plan")
        new_docs, changes = ingest_changes(state, raw, plan, settings)
        lap("ingest")
        documents = update_syndicates(state, new_docs, settings)
        lap("copies")
        documents = update_stories(state, documents, counting, settings, changes)
        lap("stories")
        update_facts(state, documents, facts_counting, settings, changes)
        lap("facts")
        sections = Sections(state.sections, CODE_FINGERPRINT)  # as incremental.save_run does
        tables, texts, summary = build_outputs(state.documents, _resolution(state), state.rejects, state.pairs,
                                               sections=sections)
        tables["story_merges"] = state.merges
        lap("build outputs")
        write_outputs(out, tables, texts)
        state.sections = sections.table()
        lap("write outputs")
        save_state(out, state)
        lap("save state")
        total = sum(steps.values())
        embedded = counting.seconds + (facts_counting.seconds if facts_counting is not counting else 0.0)
        figures["run"] = {"steps": steps, "seconds": total, "embedding_seconds": embedded, "added": changes.added,
                          "stories_rendered": sections.rendered, "stories": state.canon.height,
                          "documents": state.documents.height, "peak_rss_mb": peak_rss_mb(), "rss_mb": rss_now_mb()}
        print(f"\nrun: {changes.added} new articles against {state.documents.height - changes.added:,} held: "
              f"{total:.1f}s (embedding {embedded:.1f}s of it), peak RSS {peak_rss_mb():,.0f} MB; "
              f"{sections.rendered:,} report sections rendered of {2 * state.canon.height:,} (the others kept)")
        for name, seconds in steps.items():
            print(f"  {name:<14} {seconds:8.2f}s")
        largest = largest_component(state)
        sizes_of = state.documents.group_by("story_id").len()["len"]
        figures["largest_component"] = largest
        figures["largest_story"] = int(sizes_of.max())
        figures["stories_over_100"] = int((sizes_of > 100).sum())
        print(f"candidate graph: largest component {largest:,} copy groups (above stories.max_dense_component = "
              f"{settings.stories.max_dense_component:,} it is cut where no pair is within distance_threshold); "
              f"largest story {figures['largest_story']:,} articles, {figures['stories_over_100']:,} stories of "
              f"more than 100")
        if (work / "labels.json").is_file():  # the archive's articles (not the runs' new ones) against their stories
            scores = figures["story_scores"] = story_scores(state.documents, json.loads((work / "labels.json").read_text()))
            print(f"stories against the replicas' labels (stand-in vectors, not a measure on real text): B-cubed F1 "
                  f"{scores['bcubed']['f1']:.4f} (P {scores['bcubed']['precision']:.4f}, R {scores['bcubed']['recall']:.4f}), "
                  f"ARI {scores['ari']:.4f}; {scores['stories']:,} stories for {scores['true_stories']:,} true ones")
        start = time.perf_counter()
        quiet = plan_run(raw, state.manifest)
        figures["quiet_seconds"] = time.perf_counter() - start
        print(f"quiet (plan_run, nothing new): {figures['quiet_seconds']:.2f}s ({len(quiet.todo)} to read)")
        sizes = {"state": folder_size(state_dir(out)), "outputs": folder_size(out)}
        figures["sizes"] = sizes
        for where, files in sizes.items():
            print(f"{where}: {mb(sum(files.values()))} — " + ", ".join(f"{k} {mb(v)}" for k, v in files.items()
                                                                      if v > 1e6))
    finally:
        if tmp:
            tmp.cleanup()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0


def largest_component(state) -> int:
    """Copy groups in the largest connected component of the stories' candidate graph (state.edges)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    index = {g: i for i, g in enumerate(state.groups["syndicate_id"].to_list())}
    a = np.array([index[g] for g in state.edges["a"].to_list()], dtype=np.int64)
    b = np.array([index[g] for g in state.edges["b"].to_list()], dtype=np.int64)
    n = len(index)
    if not n:
        return 0
    _, labels = connected_components(csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False)
    return int(np.bincount(labels).max())


def _resolution(state):
    from newsdedup.facts import Resolution

    return Resolution(state.canon, state.facts, state.conflicts)


def _txt(record: dict[str, Any]) -> str:
    from pipeline import _txt as txt

    return txt(record)


if __name__ == "__main__":
    sys.exit(main())
