#!/usr/bin/env python3
"""Incremental runs against one full run: same copy groups and stories, and what each run costs.

The corpus is the syndication benchmark (the 300 BASIL articles in ../shared/eval/basil_story plus copies
made by `republish` from bench/make_syndication.py, seed 13, --max-copies 4: 860 articles), written as one
.txt file per article (the writer of bench/pipeline.py) into a temporary folder, in a file order shuffled
with a fixed seed. Then, with the real SentenceTransformerEmbedder of the config:

(a) one `continue_run` from an empty State over the whole folder (a full run);
(b) the same files copied into a second folder in 10 equal slices, with a `continue_run` on one State after
    each slice; then an 11th `continue_run` with nothing new;
(c) the articles as items of one JSONL feed, `wire.jsonl`: (c0) one run over a feed holding them all, then a
    feed that a fetcher rewrites in place 10 times, each time with the items of that slice and the one before
    (so half of each version was in the last one, and every item rolls off the feed after two versions), with a
    `continue_run` after each rewrite.

It compares (a) and (b), and (c0) and (c) (copy groups and stories as partitions of the article ids, and their ARI), scores
both against the republish labels (newsdedup.evaluate), times every run, and saves the state of (b) with
`save_state` and times `load_state`. The library is called directly, not through Prefect.

Usage:  .venv/bin/python bench/incremental.py [--config FILE] [--batches 10] [--limit N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
DEFAULT_SOURCE = EVAL_DIR / "basil_story"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))

# pipeline.py sets the offline environment variables and holds the .txt writer and the RSS helpers.
from common import command_line, load_settings, peak_rss_mb, rss_now_mb  # noqa: E402
from pipeline import _txt, machine  # noqa: E402


class CountingEmbedder:
    """Wraps an embedder; records per call who asked (stories or facts), how many texts and how long."""

    def __init__(self, inner, facts_inner=None) -> None:
        self.inner = inner
        self.facts_inner = facts_inner or inner  # the facts stage's own model, when it has one
        self.calls: list[tuple[str, int, float]] = []

    def embed(self, texts):
        caller = sys._getframe(1).f_code.co_name  # update_stories / resolve_stories / ...
        who = "stories" if caller in ("update_stories", "assign_stories") else "facts"
        start = time.perf_counter()
        vectors = (self.inner if who == "stories" else self.facts_inner).embed(texts)
        self.calls.append((who, len(texts), time.perf_counter() - start))
        return vectors

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int) -> dict[str, float]:
        out = {"group_texts": 0, "group_seconds": 0.0, "sentences": 0, "sentence_seconds": 0.0}
        for who, n, s in self.calls[mark:]:
            if who == "stories":
                out["group_texts"] += n
                out["group_seconds"] += s
            else:
                out["sentences"] += n
                out["sentence_seconds"] += s
        return out


@dataclass
class RunTiming:
    name: str
    seconds: float
    new_files: int
    added: int
    documents: int
    copy_groups: int  # groups with more than one article
    stories: int
    embedded: dict[str, float] = field(default_factory=dict)
    merges: int = 0
    peak_rss_mb: float = 0.0


def library_revision() -> str:
    """The git commit of the repo and whether src/ has uncommitted changes (read-only git commands)."""
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"git {head}" + (" + uncommitted changes in src/" if dirty else ", src/ clean")


def partition(ids: list[str], labels: list[str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a, g in zip(ids, labels):
        groups.setdefault(g, set()).add(a)
    return {frozenset(g) for g in groups.values()}


def timed_run(name, state, root, settings, embedder, new_files) -> RunTiming:
    from newsdedup.incremental import continue_run

    mark = embedder.mark()
    start = time.perf_counter()
    changes = continue_run(state, root, settings, embedder)
    seconds = time.perf_counter() - start
    docs = state.documents
    sizes = docs.group_by("syndicate_id").len()["len"] if docs.height else []
    return RunTiming(
        name, seconds, new_files, changes.added, docs.height, int(sum(1 for n in sizes if n > 1)),
        docs["story_id"].n_unique() if docs.height else 0, embedder.since(mark), len(changes.merges), peak_rss_mb(),
    )


def scores(docs, labels) -> dict[str, Any]:
    from newsdedup.evaluate import score_against_labels

    levels, missing = score_against_labels(docs.select("article_id", "title", "syndicate_id", "story_id"), labels)
    by = {lv.level: lv for lv in levels}
    return {
        "copy_ari": by["copies"].ari,
        "copy_bcubed_f1": by["copies"].bcubed.f1,
        "story_ari": by["stories"].ari,
        "story_bcubed": {"precision": by["stories"].bcubed.precision, "recall": by["stories"].bcubed.recall,
                         "f1": by["stories"].bcubed.f1},
        "stories_found": by["stories"].n_pred_clusters,
        "stories_labelled": by["stories"].n_true_clusters,
        "labelled_ids_missing": missing,
    }


def compare(full, batched) -> dict[str, Any]:
    """Two runs over the same articles: the same copy groups, stories, most complete versions, added facts and
    conflicting figures?"""
    import polars as pl
    from sklearn.metrics import adjusted_rand_score

    a = full.documents.sort("article_id")
    b = batched.documents.sort("article_id")
    same_ids = a["article_id"].to_list() == b["article_id"].to_list()
    ids = a["article_id"].to_list()
    b_by_id = dict(zip(b["article_id"].to_list(), zip(b["syndicate_id"].to_list(), b["story_id"].to_list())))
    b_syn = [b_by_id[i][0] if i in b_by_id else f"missing:{i}" for i in ids]
    b_story = [b_by_id[i][1] if i in b_by_id else f"missing:{i}" for i in ids]
    copies_a, copies_b = partition(ids, a["syndicate_id"].to_list()), partition(ids, b_syn)
    stories_a, stories_b = partition(ids, a["story_id"].to_list()), partition(ids, b_story)
    comparison = {
        "same_article_ids": same_ids,
        "copy_groups_identical": copies_a == copies_b,
        "copy_groups_only_in_a": len(copies_a - copies_b),
        "copy_groups_only_in_b": len(copies_b - copies_a),
        "copy_ari": round(float(adjusted_rand_score(a["syndicate_id"].to_list(), b_syn)), 4),
        "stories_identical": stories_a == stories_b,
        "stories_only_in_a": len(stories_a - stories_b),
        "stories_only_in_b": len(stories_b - stories_a),
        "story_ari": round(float(adjusted_rand_score(a["story_id"].to_list(), b_story)), 4),
        "pairs_a": full.pairs.height,
        "pairs_b": batched.pairs.height,
    }
    # the facts stage's outcome: the same most complete version, the same added facts (by story, text and
    # the articles carrying them), the same conflicting figures. Story ids are named by the run that first
    # saw a story, so a story is compared by its first article.
    def story_key(state):
        first = state.documents.group_by("story_id").agg(pl.col("article_id").min())
        return dict(first.iter_rows())

    def canon_of(state):
        key = story_key(state)
        return {(key[sid], canonical) for sid, canonical in state.canon.select("story_id", "canonical_article_id").iter_rows()}

    def facts_of(state):
        key = story_key(state)
        return {(key[r["story_id"]], r["text"], tuple(sorted(r["article_ids"]))) for r in state.facts.iter_rows(named=True)}

    def conflicts_of(state):
        key = story_key(state)
        return {(key[r["story_id"]], r["about"], tuple(r["values"])) for r in state.conflicts.iter_rows(named=True)}

    for name, of in (("canon", canon_of), ("facts", facts_of), ("conflicts", conflicts_of)):
        left, right = of(full), of(batched)
        comparison[f"{name}_a"], comparison[f"{name}_b"] = len(left), len(right)
        comparison[f"{name}_only_in_a"], comparison[f"{name}_only_in_b"] = len(left - right), len(right - left)
        comparison[f"{name}_examples"] = [list(x) for x in sorted(left ^ right)[:5]]
    return comparison


def print_comparison(c: dict[str, Any], a: str, b: str) -> None:
    print(f"{a} vs {b}: same article ids: {'yes' if c['same_article_ids'] else 'no'}; copy groups identical: "
          f"{'yes' if c['copy_groups_identical'] else 'no'} (ARI {c['copy_ari']:.4f}; "
          f"{c['copy_groups_only_in_a']} groups only in {a}, {c['copy_groups_only_in_b']} only in {b}; "
          f"verified pairs {c['pairs_a']} / {c['pairs_b']})")
    print(f"{a} vs {b}: stories identical: {'yes' if c['stories_identical'] else 'no'} (ARI {c['story_ari']:.4f}, "
          f"target >= 0.98: {'met' if c['story_ari'] >= 0.98 else 'NOT met'}; {c['stories_only_in_a']} stories only "
          f"in {a}, {c['stories_only_in_b']} only in {b})")
    print(f"{a} vs {b}, the facts stage: " + "; ".join(
        f"{name} {c[name + '_a']} / {c[name + '_b']} ({c[name + '_only_in_a']} only in {a}, "
        f"{c[name + '_only_in_b']} only in {b})" for name in ("canon", "facts", "conflicts")))
    for name in ("canon", "facts", "conflicts"):
        for example in c[f"{name}_examples"][:3]:
            print(f"  differs, {name}: {str(example)[:200]}")


def write_feed(path: Path, records: list[dict[str, Any]]) -> None:
    """A JSONL feed holding these records, written in place (as a fetcher rewrites its feed)."""
    fields = ("id", "title", "text", "source", "published", "url")
    path.write_text("".join(json.dumps({k: r.get(k) for k in fields if r.get(k)}) + "\n" for r in records), encoding="utf-8")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def print_table(runs: list[RunTiming], extra: list[tuple[str, float, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="newsdedup incremental runs", title_justify="left")
    for col in ("run", "seconds", "new files", "added", "documents", "copy groups", "stories",
                "groups embedded", "sentences embedded", "embedding s", "rest s", "peak RSS MB"):
        table.add_column(col, justify="left" if col == "run" else "right")
    for r in runs:
        emb = r.embedded.get("group_seconds", 0.0) + r.embedded.get("sentence_seconds", 0.0)
        table.add_row(r.name, f"{r.seconds:.2f}", str(r.new_files), str(r.added), str(r.documents), str(r.copy_groups),
                      str(r.stories), str(int(r.embedded.get("group_texts", 0))), str(int(r.embedded.get("sentences", 0))),
                      f"{emb:.2f}", f"{r.seconds - emb:.2f}", f"{r.peak_rss_mb:.0f}")
    for name, seconds, note in extra:
        table.add_section()
        table.add_row(name, f"{seconds:.3f}", "", "", "", "", "", "", "", "", "", note)
    Console(width=170).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=None, help="TOML config (default: config/default.toml)")
    parser.add_argument("--seed", type=int, default=13, help="republish seed (default 13)")
    parser.add_argument("--max-copies", type=int, default=4, help="copies per original, 0..N (default 4: 860 articles)")
    parser.add_argument("--shuffle-seed", type=int, default=7, help="seed of the file order (default 7)")
    parser.add_argument("--batches", type=int, default=10, help="equal slices for the incremental runs (default 10)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N stories (quick run)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="write the corpus and the saved state here and keep them (default: a temp folder)")
    args = parser.parse_args(argv)
    command = command_line("bench/incremental.py", argv)

    if not (DEFAULT_SOURCE / "articles.jsonl").is_file() or not (DEFAULT_SOURCE / "labels.csv").is_file():
        print(f"incremental bench: {DEFAULT_SOURCE} is absent (../shared/eval is absent or incomplete); nothing run",
              file=sys.stderr)
        return 2
    if args.batches < 1:
        parser.error("--batches must be >= 1")

    import polars as pl
    from sklearn.metrics import adjusted_rand_score

    from make_syndication import load_source, republish
    from newsdedup.embed import SentenceTransformerEmbedder, embedders
    from newsdedup.schema import is_rolled_off_note
    from newsdedup.state import State, load_state, plan_run, save_state, settings_fingerprint

    settings = load_settings("incremental bench", args.config)
    if settings is None:
        return 2

    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
          f"torch threads {info['torch_threads']}, {info['memory_gb']} GB RAM, Python {info['python']}")
    print(f"command: {command}")
    library = library_revision()
    print(f"config: {args.config or 'config/default.toml'}; library: {library}")

    articles, story_labels = load_source(DEFAULT_SOURCE, args.limit)
    records, label_rows, _updates, _meta = republish(articles, story_labels, seed=args.seed, max_copies=args.max_copies)
    labels = pl.DataFrame(label_rows).select("id", "syndicate_id", "story_id")
    order = list(records)
    random.Random(f"incremental-bench:{args.shuffle_seed}").shuffle(order)

    tmp = None
    if args.keep:
        work = args.keep
        shutil.rmtree(work / "corpus", ignore_errors=True)
        shutil.rmtree(work / "batched", ignore_errors=True)
        shutil.rmtree(work / "saved", ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="newsdedup-incr-")
        work = Path(tmp.name)
    full_dir, batch_dir, saved_dir = work / "corpus", work / "batched", work / "saved"
    full_dir.mkdir(parents=True)
    batch_dir.mkdir(parents=True)
    files = []
    for rec in order:
        path = full_dir / f"{rec['id']}.txt"
        path.write_text(_txt(rec), encoding="utf-8")
        files.append(path)
    print(f"corpus: {len(records)} articles ({len(articles)} BASIL originals + {len(records) - len(articles)} copies, "
          f"republish seed {args.seed}, max {args.max_copies} copies), one .txt each, file order shuffled "
          f"(seed {args.shuffle_seed}) -> {full_dir}")

    try:
        cfg = settings.stories
        inner = SentenceTransformerEmbedder.from_config(cfg)
        start = time.perf_counter()
        inner._load()
        model_seconds = time.perf_counter() - start
        models = embedders(settings)
        if models.facts is not models.stories:
            models.facts._load()
        print(f"model: {cfg.model} loaded in {model_seconds:.1f}s (not part of the run timings)")
        embedder = CountingEmbedder(inner, models.facts if models.facts is not models.stories else None)
        fingerprint = settings_fingerprint(settings)

        # (a) one run from an empty state
        full = State(fingerprint)
        run_a = timed_run("(a) full run", full, full_dir, settings, embedder, len(files))
        print(f"(a) full run: {run_a.seconds:.1f}s, {run_a.documents} documents", flush=True)

        # (b) the same files in equal slices, one continue_run after each
        batched = State(fingerprint)
        n = len(files)
        bounds = [round(i * n / args.batches) for i in range(args.batches + 1)]
        runs_b: list[RunTiming] = []
        for k in range(args.batches):
            part = files[bounds[k]:bounds[k + 1]]
            for path in part:
                shutil.copy(path, batch_dir / path.name)
            runs_b.append(timed_run(f"(b) batch {k + 1}", batched, batch_dir, settings, embedder, len(part)))
            print(f"(b) batch {k + 1}/{args.batches}: {runs_b[-1].seconds:.1f}s, {runs_b[-1].documents} documents",
                  flush=True)
        nothing_new = plan_run(batch_dir, batched.manifest).nothing_new
        noop = timed_run(f"(b) run {args.batches + 1}, nothing new", batched, batch_dir, settings, embedder, 0)

        # save and load the state of (b)
        start = time.perf_counter()
        save_state(saved_dir, batched)
        save_seconds = time.perf_counter() - start
        state_bytes = folder_bytes(saved_dir / "state")
        start = time.perf_counter()
        loaded = load_state(saved_dir, settings)
        load_seconds = time.perf_counter() - start
        loaded_ok = loaded is not None and loaded.documents.height == batched.documents.height

        comparison = compare(full, batched)

        # (c) the articles as items of one feed: all at once, then a feed rewritten in place with its latest items
        feed_all_dir, feed_dir = work / "feed_all", work / "feed"
        for folder in (feed_all_dir, feed_dir):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        write_feed(feed_all_dir / "wire.jsonl", order)
        feed_all = State(fingerprint)
        run_c0 = timed_run("(c0) one feed, all items", feed_all, feed_all_dir, settings, embedder, 1)
        print(f"(c0) one feed with every item: {run_c0.seconds:.1f}s, {run_c0.documents} documents", flush=True)
        feed = State(fingerprint)
        runs_c: list[RunTiming] = []
        for k in range(args.batches):
            write_feed(feed_dir / "wire.jsonl", order[bounds[max(k - 1, 0)]:bounds[k + 1]])
            runs_c.append(timed_run(f"(c) feed version {k + 1}", feed, feed_dir, settings, embedder, 1))
            print(f"(c) feed version {k + 1}/{args.batches}: {runs_c[-1].seconds:.1f}s, {runs_c[-1].added} added, "
                  f"{runs_c[-1].documents} documents", flush=True)
        rolled = sum(any(map(is_rolled_off_note, notes)) for notes in feed.documents["notes"].to_list())
        feed_comparison = compare(feed_all, feed)
        quality = {"a": scores(full.documents, labels), "b": scores(batched.documents, labels),
                   "c": scores(feed.documents, labels)}

        print()
        runs = [run_a, *runs_b, noop, run_c0, *runs_c]
        print_table(runs, [
            ("save_state (b)", save_seconds, f"{state_bytes / 1024 / 1024:.1f} MB on disk"),
            ("load_state (b)", load_seconds, "ok" if loaded_ok else "FAILED"),
        ])
        batch_total = sum(r.seconds for r in runs_b)
        print(f"full run {run_a.seconds:.1f}s; {args.batches} batches {batch_total:.1f}s in all "
              f"({batch_total / run_a.seconds:.2f}x the full run); embedded: full run "
              f"{int(run_a.embedded['group_texts'])} group texts + {int(run_a.embedded['sentences'])} sentences, batches "
              f"{int(sum(r.embedded['group_texts'] for r in runs_b))} group texts + "
              f"{int(sum(r.embedded['sentences'] for r in runs_b))} sentences")
        print(f"run with nothing new: {noop.seconds * 1000:.0f} ms, plan said nothing new: "
              f"{'yes' if nothing_new else 'no'}, embedded {int(noop.embedded['group_texts'])} group texts + "
              f"{int(noop.embedded['sentences'])} sentences")
        print_comparison(comparison, "(a)", "(b)")
        feed_total = sum(r.seconds for r in runs_c)
        print(f"(c) {args.batches} versions of one feed: {feed_total:.1f}s in all ({feed_total / run_c0.seconds:.2f}x one run "
              f"over the whole feed); added {sum(r.added for r in runs_c)} articles for {len(order)} items; "
              f"{rolled} kept after rolling off the feed")
        print_comparison(feed_comparison, "(c0)", "(c)")
        for key, name in (("a", "(a) full run"), ("b", "(b) batches "), ("c", "(c) feed    ")):
            q = quality[key]
            s = q["story_bcubed"]
            print(f"{name} vs labels: copy ARI {q['copy_ari']:.4f} (B-cubed F1 {q['copy_bcubed_f1']:.4f}); story B-cubed "
                  f"P/R/F1 {s['precision']:.3f}/{s['recall']:.3f}/{s['f1']:.3f}, story ARI {q['story_ari']:.4f}; "
                  f"{q['stories_found']} stories found / {q['stories_labelled']} labelled")
        print(f"peak RSS {peak_rss_mb():.0f} MB, RSS now {rss_now_mb() or 0:.0f} MB")

        if args.json:
            figures = {
                "command": command,
                "config": str(args.config or "config/default.toml"),
                "library": library,
                "machine": info,
                "corpus": {"articles": len(records), "originals": len(articles), "seed": args.seed,
                           "max_copies": args.max_copies, "shuffle_seed": args.shuffle_seed, "limit": args.limit,
                           "batches": args.batches},
                "model_load_seconds": model_seconds,
                "runs": [r.__dict__ for r in runs],
                "nothing_new_planned": nothing_new,
                "save_state_seconds": save_seconds,
                "load_state_seconds": load_seconds,
                "state_bytes": state_bytes,
                "load_state_ok": loaded_ok,
                "comparison": comparison,
                "feed_comparison": feed_comparison,
                "feed_rolled_off_kept": rolled,
                "quality": quality,
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
