#!/usr/bin/env python3
"""Conflicting figures against an editor's expectations: how many planted conflicts the conflicts table finds, and
how many traps it flags wrongly.

No labelled set of conflicting figures between outlets exists, so ``bench/conflicts/`` holds made-up corpora
(invented events, places and outlets; no publisher's text), each written by a helper to an editor's expectations in
``EXPECTED.json``: ``conflicts`` (one count, same event and time, given with different numbers by different outlets,
worded their own way) and ``not_conflicts`` (traps: another day or year, a part of a total, the dead against the
injured, one number worded two ways, another quantity with the same noun).

* ``dev``: 5 events, 22 articles, 14 conflicts, 15 traps. The rules of session 12 were written while looking at its
  misses: an in-sample figure.
* ``heldout``: written afterwards by another helper who saw neither the rules nor ``dev``; scored as it came.
* ``heldout2``: 6 events, 26 articles, 18 conflicts, 20 traps, written blind by a third helper in session 13 and
  scored as it came on the code before and after that session's first rule change (4 -> 6 of 18); seen since.
* ``heldout3``: 6 events, 26 articles, 18 conflicts, 22 traps, written blind by a fourth helper in session 13 and
  scored as it came after the session's second set of rules (session 12's code: 3 of 18 and one trap; session 13's:
  3 of 18 and one trap, another conflict found and one lost); seen since.
* ``heldout4``: 6 events, 25 articles, 19 conflicts, 23 traps, written blind by a fifth helper in session 13 and
  scored as it came after the session's third set of rules (session 12's code: 7 of 19; session 13's: 8 of 19; no
  trap for either); seen since (a lead naming the event's day and the report's shares a day with the report's).
* ``heldout5``: 6 events, 26 articles, 18 conflicts, 25 traps, written blind by a sixth helper in session 13 and
  scored as it came on the session's final rules (session 12's code: 3 of 18; session 13's: 4 of 18; no listed trap
  for either, but session 13's flags a Monday toll update against a Sunday article whose sentence names no day, the
  kind of the listed update trap with another outlet).
* ``heldout6``: 5 events, 22 articles, 19 conflicts, 29 traps, written blind by a seventh helper in session 14 and
  scored as it came on the code before and after ``facts.thing_similarity`` (session 13's code: 4 of 19; session
  14's: 5 of 19; no listed trap for either, but both flag an outage at the storm's height against the homes "still
  without power at 6am", the kind of the listed peak-and-later trap with another outlet).
* ``heldout7``: 5 events, 22 articles, 18 conflicts, 26 traps, written blind by an eighth helper in session 14 and
  scored as it came on the session's rules up to the record year (session 13's code: 1 of 18; session 14's: 5 of
  18; no listed trap for either; both flag a toll told "so far" in a Wednesday article against Tuesday's, and
  session 14's reads "six of the train's nine carriages" as 9 against another outlet's 8).
* ``heldout8``: 5 events, 22 articles, 18 conflicts, 30 traps, written blind by a ninth helper in session 14 and
  scored as it came on the session's rules up to "today" (session 13's code: 2 of 18, no listed trap; session 14's:
  3 of 18 and 2 listed traps, a running total and a permitted maximum, besides two wrong rows outside the key);
  seen since (a total over days, an allowed amount, "killed yesterday" in a Sunday paper, "nine of the 14 buried").
* ``heldout9``: 5 events, 22 articles, 19 conflicts, 27 traps, written blind by a tenth helper in session 14 and
  scored as it came on the session's rules up to heldout8's (session 13's code: 6 of 19, no listed trap, no wrong
  row; session 14's: 8 of 19, one listed trap, "That failure ... destroyed eight satellites" of a 2022 launch against
  this one's 14, and one wrong row outside the key); seen since.
* ``heldout10``: 5 events, 22 articles, 18 conflicts, 25 traps, written blind by an eleventh helper in session 14 and
  scored once on the session's final rules (session 13's code: 4 of 18; session 14's: 3 of 18, having read "to stay
  shut for six weeks" as a total over days; no trap and no wrong row for either); seen since (that fixed: 4 of 18).

A conflict counts as found when some conflicts row with ``numbers_differ`` gives, for two of its outlets, two
different numbers (not one worded two ways, ``facts.same_figure``), each the key's number for that outlet, stated by
its quoted sentence (``normalize.counts``) and held by its article; a trap counts as flagged the same way for its
pair. (Until session 14 any value of the quoted sentence counted, so that "six of the train's nine carriages" flagged
as 9 against another outlet's 8 was a found conflict of 6 against 8; no figure of the earlier corpora changes.)

Usage:  .venv/bin/python bench/conflicts.py [--corpus dev|heldout|heldout2|...|heldout10|DIR ...] [--config FILE] [--json FILE] [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "bench"))
from common import command_line, load_settings, offline  # noqa: E402

offline()

CORPORA = REPO_ROOT / "bench" / "conflicts"


def conflict_rows(raw: Path, settings) -> list[dict]:
    """The conflicts table of a run of the pipeline's stages on `raw`."""
    from newsdedup.embed import embedders
    from newsdedup.facts import resolve_stories
    from newsdedup.ingest import read_inputs
    from newsdedup.stories import assign_stories
    from newsdedup.syndication import find_syndicates

    documents, rejects = read_inputs(raw, settings.ingest)
    if rejects.height:
        print(f"  {rejects.height} rejected inputs", file=sys.stderr)
    documents, _ = find_syndicates(documents, settings.syndication)
    models = embedders(settings)
    documents = assign_stories(documents, models.stories, settings.stories)
    return resolve_stories(documents, models.facts, settings.facts).conflicts.to_dicts()


def _is(value: str, expected: float | int | str) -> bool:
    """A row's value ("about 1.2 million") is the key's number (1200000)."""
    from decimal import Decimal

    from newsdedup.facts import _amount, _figure
    from newsdedup.normalize import numbers

    amount = _amount(_figure(value))
    # a key gives a number (1200000) or, in the first corpora, words ("more than 12,000", "eight")
    wanted = {Decimal(n) for n in numbers(str(expected))} if isinstance(expected, str) else {Decimal(str(expected))}
    return amount is not None and amount in wanted


def flagged(rows: list[dict], a: dict, b: dict) -> list[tuple[str, str, str]]:
    """Conflicts rows giving a value of a's sentence for a's article and another of b's for b's article, each the
    number the key gives ("six of the train's nine carriages" flagged as 9 against another outlet's 8 is not the
    key's 6 against 8)."""
    from newsdedup.facts import same_figure
    from newsdedup.normalize import counts

    id_a, id_b = a["file"].removesuffix(".txt"), b["file"].removesuffix(".txt")
    mine = {v for _, v, _ in counts(a["sentence"]) if _is(v, a["value"])}
    theirs = {v for _, v, _ in counts(b["sentence"]) if _is(v, b["value"])}
    hits = []
    for row in rows:
        if not row["numbers_differ"]:
            continue
        holders = dict(zip(row["values"], row["value_article_ids"]))
        hits += [(row["about"], x, y) for x in mine for y in theirs
                 if not same_figure(x, y) and id_a in holders.get(x, []) and id_b in holders.get(y, [])]
    return hits


def score(expected: dict, rows: list[dict]) -> dict:
    found, missed = [], []
    for i, item in enumerate(expected["conflicts"], 1):
        values = item["values"]
        hits = [h for x in range(len(values)) for y in range(x + 1, len(values)) if values[x]["value"] != values[y]["value"]
                for h in flagged(rows, values[x], values[y])]
        (found if hits else missed).append({"n": f"C{i}", "event": item["event"], "thing": item["thing"], "as": hits[:1]})
    wrong = []
    for i, item in enumerate(expected["not_conflicts"], 1):
        hits = flagged(rows, *item["pair"])
        if hits:
            wrong.append({"n": f"T{i}", "event": item["event"], "kind": item["kind"], "as": hits[:1]})
    n, t = len(expected["conflicts"]), len(expected["not_conflicts"])
    return {
        "conflicts": n, "found": len(found), "recall": round(len(found) / n, 3) if n else None,
        "traps": t, "traps_flagged": len(wrong), "conflict_rows": sum(r["numbers_differ"] for r in rows),
        "worded_differently_rows": sum(not r["numbers_differ"] for r in rows),
        "missed": missed, "traps_wrong": wrong,
    }


def corpora() -> list[str]:
    """The corpora under bench/conflicts/, in the order they were written: dev, heldout, heldout2, ..., heldout10."""
    names = [p.name for p in CORPORA.iterdir() if (p / "EXPECTED.json").is_file()]
    return sorted(names, key=lambda n: (n.rstrip("0123456789"), int(n[len(n.rstrip("0123456789")):] or 0)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", nargs="*", default=corpora(), help="names under bench/conflicts/ (default: all of them), or folders")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "config" / "default.toml")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE")
    parser.add_argument("--misses", action="store_true", help="list the missed conflicts and the traps flagged")
    args = parser.parse_args(argv)
    command = command_line("bench/conflicts.py", argv)
    print(f"command: {command}")
    settings = load_settings("conflicts", args.config)
    if settings is None:
        return 2
    results = {}
    for name in args.corpus:
        folder = CORPORA / name if (CORPORA / name).is_dir() else Path(name)
        if not (folder / "EXPECTED.json").is_file():
            print(f"conflicts: {folder} has no EXPECTED.json", file=sys.stderr)
            return 2
        expected = json.loads((folder / "EXPECTED.json").read_text(encoding="utf-8"))
        rows = conflict_rows(folder / "raw", settings)
        result = results[name] = score(expected, rows)
        print(f"{name}: conflicts found {result['found']} of {result['conflicts']} (recall {result['recall']}); "
              f"traps flagged {result['traps_flagged']} of {result['traps']}; rows: {result['conflict_rows']} conflicting, "
              f"{result['worded_differently_rows']} worded differently")
        if args.misses:
            for miss in result["missed"]:
                print(f"  missed {miss['n']} {miss['event']}: {miss['thing']}")
            for trap in result["traps_wrong"]:
                print(f"  flagged {trap['n']} {trap['event']} ({trap['kind']}) as {trap['as'][0]}")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "config": str(args.config), **results}, indent=2) + "\n", encoding="utf-8")
        print(f"json: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
