#!/usr/bin/env python3
"""Time the newsdedup pipeline stage by stage on >= 1,000 real articles (BASIL plus syndicated copies).

The corpus is the 300 BASIL articles in ../shared/eval/basil_story plus copies made by `republish` from
bench/make_syndication.py (seed 13, --max-copies 5 by default: 1,051 articles). It is written as files into a
temporary folder (mostly .txt with a `date YYYY-MM-DD` header and a headline line, some JSONL batches, a few
single .json objects), so ingest is timed on real file parsing.

The library stage functions are called directly, not through the Prefect flow, so the timings do not include
Prefect's server start-up or task bookkeeping. Each stage is timed with time.perf_counter; after each stage the
process peak RSS (resource.getrusage ru_maxrss) is recorded.

Usage:  .venv/bin/python bench/pipeline.py [--config FILE] [--limit N] [--max-copies 5] [--seed 13] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "eval" / "basil_story"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import command_line, load_settings, offline, peak_rss_mb, rss_now_mb  # noqa: E402

offline()

# Share of the corpus per file format (the rest is .txt).
JSONL_SHARE = 0.15
JSON_SHARE = 0.05
JSONL_BATCH = 40  # records per .jsonl file


# ---------------------------------------------------------------------------------------------- measuring


@dataclass
class StageTiming:
    stage: str
    seconds: float
    items: int | None  # articles processed (None: not a per-article stage, e.g. model load)
    peak_rss_mb: float
    rss_mb: float | None
    note: str = ""

    @property
    def per_second(self) -> float | None:
        return self.items / self.seconds if self.items and self.seconds > 0 else None


@dataclass
class Timer:
    stages: list[StageTiming] = field(default_factory=list)

    def run(self, stage: str, items: int | None, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - start
        self.stages.append(StageTiming(stage, seconds, items, peak_rss_mb(), rss_now_mb()))
        return result


class TimedEmbedder:
    """Wraps an embedder and records how many texts it embedded and how long that took, per caller."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[tuple[str, int, float]] = []
        self.label = ""

    def embed(self, texts):
        start = time.perf_counter()
        vectors = self.inner.embed(texts)
        self.calls.append((self.label, len(texts), time.perf_counter() - start))
        return vectors

    def spent(self, label: str) -> tuple[int, float]:
        rows = [(n, s) for lab, n, s in self.calls if lab == label]
        return sum(n for n, _ in rows), sum(s for _, s in rows)


# ---------------------------------------------------------------------------------------------- corpus


def build_corpus(source: Path, limit: int | None, seed: int, max_copies: int):
    """BASIL articles plus their syndicated copies: (records, label rows, number of originals)."""
    from make_syndication import load_source, republish

    articles, labels = load_source(source, limit)
    records, label_rows, _updates, _meta = republish(articles, labels, seed=seed, max_copies=max_copies)
    return records, label_rows, len(articles)


def _txt(record: dict[str, Any]) -> str:
    """A plain-text feed file: `date YYYY-MM-DD` and `source` header lines, the headline, then paragraphs."""
    head = []
    if record.get("published"):
        head.append(f"date {record['published'][:10]}")
    if record.get("source"):
        head.append(f"source {record['source']}")
    if (record.get("title") or "").strip():
        head.append(record["title"].strip())
    paragraphs = [p.strip() for p in (record.get("text") or "").split("\n") if p.strip()]
    return "\n".join(head) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _ninjs(record: dict[str, Any]) -> dict[str, Any]:
    """A single .json article with IPTC-ninjs-style field names (uri, headline, body_text, versioncreated)."""
    out: dict[str, Any] = {"uri": record["id"], "type": "text", "headline": record.get("title") or ""}
    if record.get("published"):
        out["versioncreated"] = f"{record['published'][:10]}T12:00:00Z"
    if record.get("source"):
        out["copyrightholder"] = record["source"]
    out["body_text"] = record.get("text") or ""
    return out


def write_corpus(records: list[dict[str, Any]], folder: Path, seed: int) -> Counter:
    """Write the records as files; return how many records went into each format."""
    rng = random.Random(f"pipeline-bench:{seed}")
    order = list(records)
    rng.shuffle(order)  # formats are not aligned with originals vs copies
    formats: Counter = Counter()
    batch: list[dict[str, Any]] = []
    n_batches = 0

    def flush() -> None:
        nonlocal n_batches, batch
        if batch:
            n_batches += 1
            path = folder / "feeds" / f"wire_{n_batches:03d}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                for rec in batch:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            batch = []

    for record in order:
        roll = rng.random()
        if roll < JSON_SHARE:
            (folder / f"{record['id']}.json").write_text(
                json.dumps(_ninjs(record), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            formats["json"] += 1
        elif roll < JSON_SHARE + JSONL_SHARE:
            batch.append({k: record.get(k) for k in ("id", "title", "text", "source", "published", "url")})
            formats["jsonl"] += 1
            if len(batch) >= JSONL_BATCH:
                flush()
        else:
            (folder / f"{record['id']}.txt").write_text(_txt(record), encoding="utf-8")
            formats["txt"] += 1
    flush()
    formats["jsonl files"] = n_batches
    return formats


# ---------------------------------------------------------------------------------------------- checking


def _pairs(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def copy_pair_scores(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, Any]:
    """Pairwise precision / recall of 'same copy group' over the articles present in both mappings."""
    ids = [a for a in predicted if a in truth]
    tp = _pairs(Counter((predicted[a], truth[a]) for a in ids).values())
    pred = _pairs(Counter(predicted[a] for a in ids).values())
    true = _pairs(Counter(truth[a] for a in ids).values())
    pred_groups = sum(1 for n in Counter(predicted[a] for a in ids).values() if n > 1)
    true_groups = sum(1 for n in Counter(truth[a] for a in ids).values() if n > 1)
    return {
        "articles_compared": len(ids),
        "copy_groups_found": pred_groups,
        "copy_groups_labelled": true_groups,
        "pairs_found": pred,
        "pairs_labelled": true,
        "pairs_correct": tp,
        "precision": tp / pred if pred else None,
        "recall": tp / true if true else None,
    }


def label_id(article_id: str, known: set[str]) -> str | None:
    """The benchmark id of an ingested article (files are named after it; JSON records carry it)."""
    if article_id in known:
        return article_id
    stem = article_id.rsplit("/", 1)[-1]
    return stem if stem in known else None


# ---------------------------------------------------------------------------------------------- reporting


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    mem_gb = None
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        pass
    import torch

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "torch_threads": torch.get_num_threads(),
        "memory_gb": round(mem_gb, 1) if mem_gb else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def print_table(timings: list[StageTiming], total: float, n_articles: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"newsdedup pipeline, {n_articles} articles", title_justify="left")
    for col in ("stage", "seconds", "articles/s", "peak RSS MB", "RSS now MB", "detail"):
        table.add_column(col, justify="left" if col in ("stage", "detail") else "right")
    for t in timings:
        table.add_row(
            t.stage,
            f"{t.seconds:.2f}",
            f"{t.per_second:.1f}" if t.per_second else "-",
            f"{t.peak_rss_mb:.0f}",
            f"{t.rss_mb:.0f}" if t.rss_mb is not None else "-",
            t.note,
        )
    table.add_section()
    table.add_row("total", f"{total:.2f}", f"{n_articles / total:.1f}" if total else "-",
                  f"{max(t.peak_rss_mb for t in timings):.0f}", "", "overall peak RSS")
    Console(width=160).print(table)


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with articles.jsonl and labels.csv (default: ../shared/eval/basil_story)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config (default: config/default.toml)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N stories (quick run)")
    parser.add_argument("--seed", type=int, default=13, help="republish seed (default 13)")
    parser.add_argument("--max-copies", type=int, default=5,
                        help="copies per original, 0..N (default 5: 1,051 articles from 300)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="write the corpus and outputs here and keep them (default: a temp folder, removed)")
    args = parser.parse_args(argv)
    command = command_line("bench/pipeline.py", argv)

    source: Path = args.source
    if not (source / "articles.jsonl").is_file() or not (source / "labels.csv").is_file():
        print(f"pipeline bench: source {source} is absent (../shared/eval is absent or incomplete); nothing run",
              file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be >= 1")
    if args.max_copies < 0:
        parser.error("--max-copies must be >= 0")

    settings = load_settings("pipeline bench", args.config)
    if settings is None:
        return 2
    config_name = str(args.config) if args.config else "config/default.toml"

    # Library imports happen here, outside any timed stage (they are a fixed start-up cost).
    from newsdedup.embed import SentenceTransformerEmbedder, embedders
    from newsdedup.facts import resolve_stories
    from newsdedup.ingest import read_inputs
    from newsdedup.html_report import render_html
    from newsdedup.report import build_outputs
    from newsdedup.stories import assign_stories
    from newsdedup.store import write_outputs
    from newsdedup.syndication import find_syndicates

    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
          f"torch threads {info['torch_threads']}, {info['memory_gb']} GB RAM, Python {info['python']}")
    print(f"command: {command}")
    print(f"config: {config_name}")

    setup_start = time.perf_counter()
    records, label_rows, n_originals = build_corpus(source, args.limit, args.seed, args.max_copies)
    tmp = None
    if args.keep:
        work = args.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="newsdedup-bench-")
        work = Path(tmp.name)
    corpus_dir, out_dir = work / "corpus", work / "out"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    formats = write_corpus(records, corpus_dir, args.seed)
    setup_seconds = time.perf_counter() - setup_start
    n_copies = len(records) - n_originals
    print(f"corpus: {len(records)} articles ({n_originals} BASIL originals + {n_copies} syndicated copies, "
          f"republish seed {args.seed}, max {args.max_copies} copies) written as {formats['txt']} .txt, "
          f"{formats['jsonl']} records in {formats['jsonl files']} .jsonl, {formats['json']} .json "
          f"in {setup_seconds:.1f}s (not timed below) -> {corpus_dir}")
    print("stages run as library calls, not through Prefect: no server start-up or task overhead in the timings")

    try:
        timer = Timer()
        pipeline_start = time.perf_counter()

        documents, rejects = timer.run("ingest", len(records), read_inputs, corpus_dir, settings.ingest)
        n = documents.height
        timer.stages[-1].note = f"{len(records)} files/records -> {n} documents, {rejects.height} rejects"

        documents, pairs = timer.run("syndicated copies", n, find_syndicates, documents, settings.syndication)
        group_sizes = documents.group_by("syndicate_id").len()["len"]
        timer.stages[-1].note = (f"{int((group_sizes > 1).sum())} copy groups + {int((group_sizes == 1).sum())} "
                                 f"single articles, {pairs.height} verified pairs")

        cfg = settings.stories
        inner = SentenceTransformerEmbedder.from_config(cfg)
        embedder = TimedEmbedder(inner)
        timer.run("model load", None, inner._load)  # the embedder loads lazily; load it here so it is timed alone
        timer.stages[-1].note = f"{cfg.model} (incl. importing sentence_transformers)"

        embedder.label = "stories"
        documents = timer.run("stories", n, assign_stories, documents, embedder, cfg)
        texts, emb_s = embedder.spent("stories")
        stage_s = timer.stages[-1].seconds
        n_stories = documents["story_id"].n_unique()
        timer.stages[-1].note = (f"embed {texts} copy groups {emb_s:.1f}s ({texts / emb_s if emb_s else 0:.1f}/s), "
                                 f"cluster {stage_s - emb_s:.2f}s; {n_stories} stories")

        models = embedders(settings)
        if models.facts is not models.stories:  # the facts stage's own model (facts.model + facts.weights)
            timer.run("facts model load", None, models.facts._load)
            timer.stages[-1].note = f"{models.facts.model_name} + weights {settings.facts.weights}"
            embedder.inner = models.facts
        embedder.label = "facts"
        resolution = timer.run("facts", n, resolve_stories, documents, embedder, settings.facts)
        fact_rows = resolution.facts
        sents, emb_s = embedder.spent("facts")
        stage_s = timer.stages[-1].seconds
        timer.stages[-1].note = (f"embed {sents} sentences {emb_s:.1f}s ({sents / emb_s if emb_s else 0:.0f}/s), "
                                 f"rest {stage_s - emb_s:.2f}s; {fact_rows.height} added facts")

        # The HTML page (issue 4) is timed as a stage of its own, so that "write" stays the work it measured
        # before the page existed: the tables and report.md.
        def write_stage():
            tables, texts, summary = build_outputs(documents, resolution, rejects, pairs, html=False)
            write_outputs(out_dir, tables, texts)
            return tables, summary

        tables, summary = timer.run("write", n, write_stage)
        out_bytes = sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file())
        n_tables = sum(1 for p in out_dir.glob("*.parquet"))
        timer.stages[-1].note = f"{n_tables} parquet tables + report.md, {out_bytes / 1024:.0f} KiB"

        def html_stage():
            t = tables
            page = render_html(documents, t["stories"], t["facts"], t["conflicts"], t["rejects"], t["copy_pairs"])
            write_outputs(out_dir, {}, {"report.html": page})
            return len(page.encode())

        size = timer.run("html report", n, html_stage)
        timer.stages[-1].note = f"report.html, {size / 1024:.0f} KiB: copy differences, marked facts"
        total = time.perf_counter() - pipeline_start

        print()
        print_table(timer.stages, total, n)
        print(f"result: {summary.line()}")

        # Sanity check of the syndication stage against the republish labels.
        known = {row["id"] for row in label_rows}
        truth = {row["id"]: row["syndicate_id"] for row in label_rows}
        predicted = {}
        unmatched = 0
        for article_id, syndicate_id in documents.select("article_id", "syndicate_id").iter_rows():
            lid = label_id(article_id, known)
            if lid is None:
                unmatched += 1
            else:
                predicted[lid] = syndicate_id
        scores = copy_pair_scores(predicted, truth)
        fmt = lambda x: f"{x:.3f}" if x is not None else "n/a"  # noqa: E731
        print(f"syndication check: {scores['copy_groups_found']} copy groups found vs "
              f"{scores['copy_groups_labelled']} labelled; copy pairs precision {fmt(scores['precision'])}, "
              f"recall {fmt(scores['recall'])} ({scores['pairs_correct']} correct of {scores['pairs_found']} found, "
              f"{scores['pairs_labelled']} labelled; {scores['articles_compared']} articles compared"
              + (f", {unmatched} without a label id" if unmatched else "") + ")")
        if rejects.height:
            reasons = Counter(rejects["reason"].to_list()).most_common(3)
            print("rejects: " + "; ".join(f"{count} x {reason}" for reason, count in reasons))

        if args.json:
            figures = {
                "command": command,
                "config": config_name,
                "machine": info,
                "corpus": {
                    "articles": len(records), "originals": n_originals, "copies": n_copies,
                    "seed": args.seed, "max_copies": args.max_copies, "limit": args.limit,
                    "formats": dict(formats), "setup_seconds": round(setup_seconds, 3),
                },
                "documents": n,
                "stages": [
                    {**asdict(t), "articles_per_second": t.per_second} for t in timer.stages
                ],
                "total_seconds": total,
                "total_articles_per_second": n / total if total else None,
                "overall_peak_rss_mb": max(t.peak_rss_mb for t in timer.stages),
                "embedding": {
                    "stories_texts": embedder.spent("stories")[0], "stories_seconds": embedder.spent("stories")[1],
                    "facts_sentences": embedder.spent("facts")[0], "facts_seconds": embedder.spent("facts")[1],
                },
                "summary": asdict(summary),
                "syndication_check": scores,
                "rejects": rejects.height,
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
