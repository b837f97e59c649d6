#!/usr/bin/env python3
"""How many of the added facts on independent write-ups are really new: precision against labelled facts.

The quality benchmark measures the facts stage's recall (sentences appended to update copies are found)
and that pure copies add nothing. This measures the other side on basil_story, where each story has
three write-ups by different outlets: of the sentences listed as facts a variant adds, how many state
something its story's most complete version does not?

``bench/labels/facts_precision_basil.csv`` holds labelled added facts, keyed by the most complete version's
article id, the variant's article id and the SHA-1 of the sentence's normalised key (``facts.sentence_key``),
so the file holds no publisher text; `annotator` names the half of the sample (A, B) each annotator labelled.
Labels:

* NEW       the most complete version does not state it;
* PARTLY    it states the core, and the sentence adds a concrete detail (a name, number, place, quote);
* SAID      it states the same information in other words: a false added fact;
* NOT_INFO  the sentence carries no news (a fragment, a promo, a caption).

``bench/labels/facts_details_basil.csv`` (``--labels``) is not a random sample: it holds all 77 sentences that
session 8's change first listed on basil_story, each the same fact as a sentence the most complete version
states but naming somebody or stating a number it lacks, labelled the same way. The facts stage now lists only
those stating a number; the ones it no longer lists show up as "no longer listed".

The labels of session 5 were made by two LLM annotators (one half each) reading the most complete version in
full, from a seeded sample of the added facts (``--sample``); they are a model's judgement, not an editor's.

The run is ingest -> copies -> stories -> facts on basil_story with the config given; a labelled fact is
scored when it is still listed as added by the same variant (its first carrier) against the same most
complete version, and counted as "no longer listed" otherwise (by label: a SAID one gone is a fix, a NEW one
gone is a loss; a sentence split differently, or now first carried by another variant, also counts there).

Usage:  .venv/bin/python bench/facts_precision.py [--config FILE] [--json FILE] [--explain] [--labels FILE]
        .venv/bin/python bench/facts_precision.py --sample 150 --seed 5 --out /tmp/items.jsonl   # to label more
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL = REPO_ROOT.parent / "shared" / "eval"
LABELS = REPO_ROOT / "bench" / "labels" / "facts_precision_basil.csv"
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import basil_resolution, basil_start, offline  # noqa: E402

offline()

KINDS = ("NEW", "PARTLY", "SAID", "NOT_INFO")


def key_sha1(text: str) -> str:
    from newsdedup.facts import sentence_key

    return hashlib.sha1(sentence_key(text).encode("utf-8")).hexdigest()


def added_facts(settings, tmp: Path) -> tuple[list[dict], dict[str, dict]]:
    """The facts stage's added facts on basil_story (with each story's most complete version), and the documents."""
    documents, resolution = basil_resolution(settings, EVAL / "basil_story", tmp)
    canon = dict(resolution.canon.select("story_id", "canonical_article_id").iter_rows())
    facts = [
        {**row, "canonical_id": canon[row["story_id"]], "variant_id": row["article_ids"][0], "key_sha1": key_sha1(row["text"])}
        for row in resolution.facts.to_dicts()
    ]
    docs = {r["article_id"]: r for r in documents.select("article_id", "title", "text").to_dicts()}
    return facts, docs


def write_sample(facts: list[dict], docs: dict[str, dict], n: int, seed: int, out: Path) -> None:
    """A seeded sample of added facts with the texts an annotator needs (written outside the repository)."""
    random.seed(seed)
    with open(out, "w", encoding="utf-8") as fh:
        for i, row in enumerate(random.sample(facts, min(n, len(facts)))):
            canon = docs[row["canonical_id"]]
            fh.write(json.dumps({
                "item": i, "canonical_id": row["canonical_id"], "variant_id": row["variant_id"], "key_sha1": row["key_sha1"],
                "fact": row["text"], "variant_title": docs[row["variant_id"]]["title"],
                "canonical_title": canon["title"], "canonical_text": canon["text"],
            }) + "\n")


def why_listed(facts: list[dict], docs: dict[str, dict], labels: list[dict], settings) -> Counter:
    """For each labelled fact still listed: which part of the facts stage's rule left it unsaid. Its closest
    sentences of the most complete version are recomputed here (one embedding batch per fact)."""
    from newsdedup.embed import embedders
    from newsdedup.facts import Vocabulary, as_sentence, is_fact_sentence, sentence_key
    from newsdedup.normalize import numbers, numbers_within, split_sentences, words

    cfg = settings.facts
    embedder = embedders(settings).facts
    text_of = {(f["canonical_id"], f["variant_id"], f["key_sha1"]): f["text"] for f in facts}
    out: Counter = Counter()
    for row in labels:
        fact = text_of.get((row["canonical_id"], row["variant_id"], row["key_sha1"]))
        if fact is None:
            continue
        canon = docs[row["canonical_id"]]["text"]
        theirs = [t for t in split_sentences(canon) if is_fact_sentence(t, sentence_key(t), set(), cfg)]
        mine = as_sentence(fact)
        if not (numbers_within(mine.numbers, numbers(canon)) and Vocabulary(words(canon)).has_names(mine.names)):
            reason = "names someone or states a number the version lacks"
        elif not theirs:
            reason = "the version has no fact sentences"
        else:
            vectors = embedder.embed([fact, *theirs])
            sims = vectors[1:] @ vectors[0]
            if sims.max() < cfg.support_similarity:
                reason = f"no sentence of the version at cosine >= {cfg.support_similarity}"
            elif sims.max() >= cfg.same_fact_similarity:
                reason = f"a sentence at cosine >= {cfg.same_fact_similarity} shares too few words"
            else:
                reason = f"related sentences (cosine {cfg.support_similarity}-{cfg.same_fact_similarity}) hold too few of its words"
        out[(row["label"], reason)] += 1
    return out


def score(facts: list[dict], labels: list[dict]) -> dict:
    listed = {(f["canonical_id"], f["variant_id"], f["key_sha1"]) for f in facts}
    scored, gone = Counter(), Counter()
    for row in labels:
        key = (row["canonical_id"], row["variant_id"], row["key_sha1"])
        (scored if key in listed else gone)[row["label"]] += 1
    n = sum(scored.values())
    informative = scored["NEW"] + scored["PARTLY"]
    return {
        "labelled": len(labels),
        "scored": n,
        "by_label": {k: scored[k] for k in KINDS},
        "precision": informative / n if n else None,
        "precision_strict": scored["NEW"] / n if n else None,
        "false_added_rate": scored["SAID"] / n if n else None,
        "no_longer_listed": {k: gone[k] for k in KINDS},
        "added_facts_now": len(facts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config" / "default.toml")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--sample", type=int, default=None, metavar="N", help="write N added facts to label to --out")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="where --sample writes (outside the repository)")
    parser.add_argument("--labels", type=Path, default=LABELS, help=f"labelled facts (default {LABELS.relative_to(REPO_ROOT)})")
    parser.add_argument("--explain", action="store_true",
                        help="for each label, which part of the rule left its facts listed")
    args = parser.parse_args(argv)
    if args.sample is not None and args.out is None:
        parser.error("--sample needs --out")
    if args.out is not None and args.out.resolve().is_relative_to(REPO_ROOT):
        parser.error("--out must lie outside the repository: the sample holds publishers' text")
    started = basil_start("facts_precision", "bench/facts_precision.py", argv, args.labels, args.config, EVAL / "basil_story")
    if started is None:
        return 2
    command, settings = started
    with tempfile.TemporaryDirectory(prefix="newsdedup-precision-") as tmp:
        facts, docs = added_facts(settings, Path(tmp))  # docs hold text: used in memory only
    if args.sample is not None:
        write_sample(facts, docs, args.sample, args.seed, args.out)
        print(f"wrote {min(args.sample, len(facts))} of {len(facts)} added facts to {args.out}")
        return 0
    with open(args.labels, encoding="utf-8", newline="") as fh:
        labels = list(csv.DictReader(fh))
    figures = score(facts, labels)
    figures["halves"] = {h: score(facts, [r for r in labels if r["annotator"] == h]) for h in sorted({r["annotator"] for r in labels})}
    by = figures["by_label"]
    print(f"basil_story: {figures['added_facts_now']} added facts; {figures['labelled']} labelled, "
          f"{figures['scored']} of them still listed as added")
    print("  still listed: " + ", ".join(f"{k} {by[k]}" for k in KINDS))
    if figures["scored"]:
        print(f"  precision (NEW + PARTLY) {figures['precision']:.3f}; NEW only {figures['precision_strict']:.3f}; "
              f"said already (false added facts) {figures['false_added_rate']:.3f}")
    gone = figures["no_longer_listed"]
    print("  no longer listed: " + ", ".join(f"{k} {gone[k]}" for k in KINDS))
    for half, part in figures["halves"].items():
        if part["scored"]:
            print(f"  half {half} ({part['labelled']} labelled, {part['scored']} listed): precision {part['precision']:.3f}, "
                  f"said already {part['false_added_rate']:.3f}; no longer listed: "
                  + ", ".join(f"{k} {part['no_longer_listed'][k]}" for k in KINDS))
    if args.explain:
        reasons = why_listed(facts, docs, labels, settings)
        figures["why_listed"] = [{"label": k[0], "reason": k[1], "n": n} for k, n in sorted(reasons.items())]
        print("  why each labelled fact is still listed:")
        for (label, reason), n in sorted(reasons.items()):
            print(f"    {label:8s} {n:3d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "config": str(args.config), "labels": str(args.labels), **figures}, indent=2) + "\n",
                             encoding="utf-8")
        print(f"json: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
