#!/usr/bin/env python3
"""Is the most complete version the one an editor would pick? The facts stage's choice against labelled stories.

On basil_story each story has three write-ups of one event (New York Times, Fox News, HuffPost). For every
story, ``bench/labels/mcv_basil.csv`` names the version(s) an annotator took as the most complete report of the
event (``best``: two ids when they judged a real tie), the versions that are mainly commentary rather than a news
report (``commentary``), how sure they were, and a note in their own words. It holds ids and labels, no
publisher text. Every story is labelled twice (``annotator`` A and B): four LLM helpers of session 26, two per
annotator, 50 stories each, who read the three versions in full without seeing newsdedup's choice or each
other's labels. A model's judgement, not an editor's; the two agree on 97 of the 100 stories.

The run is ingest -> copies -> stories -> facts on basil_story with the config given (as facts_precision.py).
A story is scored when the pipeline put its three versions in one story: ``agree`` when the chosen most
complete version is one of ``best``, counted over both annotators' labels. Beside it, two plain rules on the same stories: the longest version (most
words) and the first published one.

Usage:  .venv/bin/python bench/mcv.py [--config FILE] [--json FILE] [--labels FILE] [--show N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL = REPO_ROOT.parent / "shared" / "eval"
LABELS = REPO_ROOT / "bench" / "labels" / "mcv_basil.csv"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import basil_resolution, basil_start, offline  # noqa: E402

offline()


def ids(field: str) -> set[str]:
    return {x.strip() for x in (field or "").split(";") if x.strip()}


def score(chosen: dict[str, str], labels: list[dict], rule: str) -> dict:
    """How often ``chosen`` (labelled cluster -> article id) is among the labelled best versions, over every label
    (each annotator's) and per annotator."""
    agree, by_conf, by_annotator, commentary = 0, Counter(), Counter(), 0
    scored = [row for row in labels if row["cluster_id"] in chosen]
    totals = Counter(row["confidence"] for row in scored)
    per_annotator = Counter(row["annotator"] for row in scored)
    misses = []
    for row in scored:
        pick = chosen[row["cluster_id"]]
        if pick in ids(row["best"]):
            agree += 1
            by_conf[row["confidence"]] += 1
            by_annotator[row["annotator"]] += 1
        else:
            misses.append({"cluster_id": row["cluster_id"], "annotator": row["annotator"], "chosen": pick,
                           "best": row["best"], "confidence": row["confidence"], "note": row.get("note", "")})
        commentary += pick in ids(row["commentary"])
    n = len(scored)
    return {
        "rule": rule,
        "scored": n,
        "agree": agree,
        "agreement": agree / n if n else None,
        "by_annotator": {a: f"{by_annotator[a]}/{per_annotator[a]}" for a in sorted(per_annotator)},
        "by_confidence": {c: f"{by_conf[c]}/{totals[c]}" for c in ("high", "medium", "low") if totals[c]},
        "commentary_chosen": commentary,
        "misses": misses,
    }


def annotators_agree(labels: list[dict]) -> tuple[int, int]:
    """Stories where two annotators' best versions share one, of the stories both labelled."""
    by_cluster: dict[str, list[set[str]]] = {}
    for row in labels:
        by_cluster.setdefault(row["cluster_id"], []).append(ids(row["best"]))
    pairs = [bests for bests in by_cluster.values() if len(bests) == 2]
    return sum(bool(a & b) for a, b in pairs), len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config" / "default.toml")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--labels", type=Path, default=LABELS, help=f"labelled stories (default {LABELS.relative_to(REPO_ROOT)})")
    parser.add_argument("--show", type=int, default=10, metavar="N", help="print the first N disagreements (with reasons)")
    args = parser.parse_args(argv)
    started = basil_start("mcv", "bench/mcv.py", argv, args.labels, args.config, EVAL / "basil_story")
    if started is None:
        return 2
    command, settings = started
    with open(args.labels, encoding="utf-8", newline="") as fh:
        labels = list(csv.DictReader(fh))
    with open(EVAL / "basil_story" / "labels.csv", encoding="utf-8", newline="") as fh:
        truth = {row["id"]: row["cluster_id"] for row in csv.DictReader(fh)}
    with tempfile.TemporaryDirectory(prefix="newsdedup-mcv-") as tmp:
        documents, resolution = basil_resolution(settings, EVAL / "basil_story", Path(tmp))
    docs = documents.select("article_id", "story_id", "n_words", "published").to_dicts()
    canon = {r["story_id"]: r for r in resolution.canon.to_dicts()}
    members: dict[str, list[dict]] = {}
    for doc in docs:
        members.setdefault(truth[doc["article_id"]], []).append(doc)
    chosen, longest, first, reasons, split = {}, {}, {}, {}, []
    for cluster, rows in members.items():
        stories = {r["story_id"] for r in rows}
        if len(stories) != 1:  # the stories stage split or merged it: no single choice to score
            split.append(cluster)
            continue
        story = canon[stories.pop()]
        chosen[cluster] = story["canonical_article_id"]
        reasons[cluster] = story["canonical_reason"]
        longest[cluster] = max(rows, key=lambda r: (r["n_words"], r["article_id"]))["article_id"]
        dated = [r for r in rows if r["published"] is not None]
        if dated:
            first[cluster] = min(dated, key=lambda r: (r["published"], r["article_id"]))["article_id"]
    results = [score(chosen, labels, "newsdedup"), score(longest, labels, "longest"),
               score(first, labels, "first published")]
    same, both = annotators_agree(labels)
    print(f"basil_story: {len(labels)} labels of {len({r['cluster_id'] for r in labels})} stories; the annotators agree on "
          f"{same} of the {both} stories both labelled; {len(split)} stories not one story in the run (not scored)")
    for res in results:
        print(f"  {res['rule']:16s} agrees with {res['agree']}/{res['scored']} labels ({res['agreement']:.3f}); by annotator "
              + ", ".join(f"{a} {v}" for a, v in res["by_annotator"].items()) + "; by confidence "
              + ", ".join(f"{c} {v}" for c, v in res["by_confidence"].items())
              + f"; a commentary piece chosen {res['commentary_chosen']} times")
    ours = results[0]
    for miss in ours["misses"]:
        miss["reason"] = reasons[miss["cluster_id"]]
    if args.show:
        print(f"  disagreements ({min(args.show, len(ours['misses']))} of {len(ours['misses'])}):")
        for miss in ours["misses"][: args.show]:
            print(f"    {miss['cluster_id']} ({miss['annotator']}): chose {miss['chosen'].rsplit('_', 1)[-1]} ({miss['reason']}); "
                  f"labelled {miss['best']} ({miss['confidence']}): {miss['note']}")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "config": str(args.config), "labels": str(args.labels),
                                         "annotators_agree": [same, both], "not_scored": split, "results": results}, indent=2) + "\n", encoding="utf-8")
        print(f"json: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
