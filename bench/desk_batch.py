#!/usr/bin/env python3
"""The wire desk on a feed batch of stories it does not hold: does `check` group them as a run (`check --add`) does?

Reads ../shared/eval (basil_story: 100 stories of 3 full articles by three outlets; allsides_lead_story: 667 stories
of 3 leads). For each set, the stories are split in two (seeded): a run on one half makes the state; the other half's
articles, shuffled as a feed mixes them, are checked in one call (`Desk.check(doc, batch=True)`, as `newsdedup check
A B C ...` does). Their verdicts group them: a copy or same-story verdict "checked above" joins the article it names,
one naming a held story joins that story (wrong: none of these stories is held), `new` starts a group. Then the same
articles are added to the state as `check --add` adds them (`add_documents`), and their stories are read back.

Scored against the labels (pairwise and B-cubed precision / recall / F1, ARI, over the batch's articles):
* `desk`:   the verdicts as `check` gives them now;
* `before`: the same verdicts with every same-story verdict "checked above" read as `new`, which is what `check` said
  before it compared a batch's new write-ups with each other (copies were compared already);
* `run`:    the stories the add made: what the desk tries to say in advance.
`before_vs_run` and `desk_vs_run` score those groupings against the run's. Timings: each check's wall time (ms, p50 / p95), by verdict.

Usage:  .venv/bin/python bench/desk_batch.py [--sets basil_story,allsides_lead_story] [--seed 13] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import command_line, load_settings, offline  # noqa: E402
from make_syndication import load_source  # noqa: E402

offline()
SETS = ("basil_story", "allsides_lead_story")  # labelled stories of 3 articles each


def write_jsonl(folder: Path, records: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True)
    with open(folder / "articles.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps({k: rec.get(k) for k in ("id", "title", "text", "source", "published", "url")},
                                ensure_ascii=False) + "\n")


def percentile(values: list[float], q: float) -> float | None:
    import numpy as np

    return round(float(np.percentile(values, q)), 1) if values else None


def batch_groups(verdicts: list[tuple[str, Any]], reading: str) -> dict[str, str]:
    """Each batch article's group as the verdicts say it (reading 'desk' or 'before', see the module's text)."""
    group: dict[str, str] = {}
    for article_id, v in verdicts:
        of = v.of or {}
        if v.verdict in ("copy", "update", "same_story") and of.get("checked_before"):
            if v.verdict == "same_story" and reading == "before":
                group[article_id] = article_id
            else:
                group[article_id] = group.get(of["article_id"], of["article_id"])
        elif v.verdict in ("copy", "update", "same_story", "held"):
            group[article_id] = f"held:{of.get('story_id')}"
        else:
            group[article_id] = article_id
    return group


def score(truth: dict[str, str], pred: dict[str, str]) -> dict[str, Any]:
    import polars as pl

    from newsdedup.evaluate import score_level

    ids = list(truth)
    frame = pl.DataFrame({"article_id": ids, "title": [""] * len(ids), "truth": [truth[i] for i in ids],
                          "pred": [pred[i] for i in ids]})
    found = score_level("stories", frame, "truth", "pred", 3).as_dict()
    return {k: found[k] for k in ("pairwise", "bcubed", "ari", "n_pred_clusters", "n_true_clusters")}


def one_set(name: str, settings, models, seed: int, tmp: Path) -> dict[str, Any]:
    import polars as pl

    from newsdedup.check import Desk
    from newsdedup.incremental import Changes, add_documents, continue_run
    from newsdedup.ingest import read_files
    from newsdedup.state import State, settings_fingerprint

    records, labels = load_source(EVAL_DIR / name)
    stories = sorted(set(labels.values()))
    random.Random(seed).shuffle(stories)
    held = set(stories[: len(stories) // 2])
    write_jsonl(tmp / name / "in", [r for r in records if labels[r["id"]] in held])
    feed = [r for r in records if labels[r["id"]] not in held]
    random.Random(seed + 1).shuffle(feed)
    write_jsonl(tmp / name / "feed", feed)

    start = time.perf_counter()
    state = State(settings_fingerprint(settings))
    continue_run(state, tmp / name / "in", settings, models)
    state_seconds = time.perf_counter() - start
    docs, rejects = read_files(tmp / name / "feed", [tmp / name / "feed" / "articles.jsonl"], settings.ingest)
    desk = Desk(state, settings, models)
    verdicts, ms = [], {}
    for doc in docs.iter_rows(named=True):
        v = desk.check(doc, batch=True)
        verdicts.append((doc["article_id"], v))
        ms.setdefault(v.verdict + (" (checked above)" if (v.of or {}).get("checked_before") else ""), []).append(v.ms)
    truth = {a: labels[a] for a, _ in verdicts}
    desk_groups = batch_groups(verdicts, "desk")

    start = time.perf_counter()
    n_held = state.documents.height
    add_documents(state, docs, settings, models, Changes(added=docs.height))
    add_seconds = time.perf_counter() - start
    batch = state.documents.filter(pl.col("article_id").is_in(list(truth)))
    run_groups = dict(batch.select("article_id", "story_id").iter_rows())
    counts: dict[str, int] = {}
    for _, v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    return {
        "set": name, "held_stories": len(held), "held_articles": n_held, "batch_articles": len(verdicts),
        "batch_rejected": rejects.height, "batch_stories": len(set(truth.values())), "verdicts": counts,
        "desk": score(truth, desk_groups), "before": score(truth, batch_groups(verdicts, "before")),
        "run": score(truth, run_groups), "before_vs_run": score(run_groups, batch_groups(verdicts, "before")),
        "desk_vs_run": score(run_groups, desk_groups),
        "ms": {k: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95)} for k, v in sorted(ms.items())},
        "state_seconds": round(state_seconds, 1), "add_seconds": round(add_seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="labelled sets of ../shared/eval (default both)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config (default: config/default.toml)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the split and of the feed's order")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write every figure as JSON")
    args = parser.parse_args(argv)
    names = [s for s in args.sets.split(",") if s]
    missing = [s for s in names if not (EVAL_DIR / s / "labels.csv").is_file()]
    if missing:
        print(f"desk_batch: {EVAL_DIR} has no {', '.join(missing)}: nothing measured (the benchmark needs ../shared/eval)",
              file=sys.stderr)
        return 2
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
    settings = load_settings("desk_batch", args.config)
    if settings is None:
        return 2
    from newsdedup.embed import embedders

    print(command_line("bench/desk_batch.py", argv))
    models = embedders(settings)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            found = one_set(name, settings, models, args.seed, Path(tmp))
            results.append(found)
            print(f"\n{name}: {found['held_articles']} articles held ({found['held_stories']} stories); a batch of "
                  f"{found['batch_articles']} articles of {found['batch_stories']} other stories "
                  f"({found['batch_rejected']} rejected at ingest); verdicts {found['verdicts']}")
            print(f"  {'':13} {'pairwise P / R / F1':>22} {'B-cubed P / R / F1':>22} {'ARI':>7} {'groups':>7}")
            for key in ("before", "desk", "run", "before_vs_run", "desk_vs_run"):
                s = found[key]
                pw, bc = s["pairwise"], s["bcubed"]
                print(f"  {key:13} {pw['precision']:6.3f} {pw['recall']:6.3f} {pw['f1']:6.3f}   "
                      f"{bc['precision']:6.3f} {bc['recall']:6.3f} {bc['f1']:6.3f} {s['ari']:7.4f} {s['n_pred_clusters']:7d}")
            for kind, t in found["ms"].items():
                print(f"  ms {kind}: n {t['n']}, p50 {t['p50']}, p95 {t['p95']}")
            print(f"  state built in {found['state_seconds']} s; the add took {found['add_seconds']} s")
    if args.json:
        args.json.write_text(json.dumps({"command": command_line("bench/desk_batch.py", argv), "sets": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
