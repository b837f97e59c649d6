"""Runs that continue from the saved state: only new or changed inputs are read, fingerprinted and embedded.

A run from an empty state is the full (batch) run, so both take the same path. Copy groups and stories
keep their ids when members arrive; a merge keeps the older id and records the other in the merges table.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import polars as pl
from datasketch import MinHashLSH
from scipy.sparse import vstack

from newsdedup.config import Settings
from newsdedup.embed import CachedEmbedder, Embedder, Embedders, as_embedders, text_key
from newsdedup.facts import (
    Resolution, article_sentences, boilerplate_keys, candidate_keys, fact_candidates, resolve_stories_with_sentences,
    sentence_key,
)
from newsdedup.ingest import (
    HOLDS_NO_ARTICLE, duplicate_of, file_of, file_of_path, known_by_place, length_reason, name_id, named_by_file, place_of,
    read_files, stem_of,
    unversioned,
)
from newsdedup.normalize import one_line, shingle_hashes
from newsdedup.html_report import Sections
from newsdedup.report import Summary, build_outputs
from newsdedup.schema import (
    DESK_PLACE, DOCUMENTS, OLD_DESK_PLACE, REJECTS, added_by_desk, is_rolled_off_note, rolled_off_note, unreadable_note,
)
from newsdedup.state import (
    ASSIGNED, CODE_FINGERPRINT, CREATED, EDGES, GROUPS, KEPT_IDS, MERGES, PAIRS, SENTENCES, SKETCHES, Plan, State, load_sections,
    save_state, term_rows_fit,
)
from newsdedup.store import write_outputs, writing
from newsdedup.stories import (
    cluster_components,
    days_of,
    headline_and_body,
    representatives,
    story_edges,
    term_counts,
    text_terms,
)
from newsdedup.syndication import UnionFind, fingerprint, group_id, is_copy, score_pair, signature_matrix


@dataclass
class Changes:
    """What one run changed, for the summary and for the stages after it."""

    added: int = 0
    removed: int = 0
    rebuilt: bool = False  # the run rebuilds the state whole from the inputs (and the items only the old state held)
    rolled_off: int = 0  # articles that left their feed this run and were kept
    changed: int = 0  # articles read in a new version (in added and removed as well)
    dirty_stories: set[str] = field(default_factory=set)
    merges: list[tuple[str, str]] = field(default_factory=list)

    def summary(self, written: Summary) -> Summary:
        """The run's summary: the counts of the outputs written, with what this run changed."""
        return replace(written, new=self.added - self.changed, removed=self.removed - self.changed, changed=self.changed,
                       merges=len(self.merges), rolled_off=self.rolled_off, rebuilt=self.rebuilt)


@dataclass
class Reconciled:
    """Articles read before from files that changed or went, against what the files hold now."""

    unchanged: pl.DataFrame  # earlier rows of items the files still hold as they were (with their place now)
    rolled_off: pl.DataFrame  # earlier rows of items their file, still there, no longer holds: kept, with a note
    gone: pl.DataFrame  # earlier rows that go: a deleted file's, a changed item's old version, a replaced text
    fresh: pl.DataFrame  # rows read now to fold in: new items and new versions of changed ones
    newly_rolled_off: int = 0  # of rolled_off, those that left their file now (the others left it before)


def _own_notes(notes: list[str]) -> list[str]:
    """An article's notes without the one saying it left its feed (not part of what its file holds)."""
    return [n for n in notes if not is_rolled_off_note(n)]


def reconcile(
    earlier: pl.DataFrame, now: pl.DataFrame, readable: set[str], keep_rolled_off: bool, rejected: set[str],
    unreadable: frozenset[str] = frozenset(),
) -> Reconciled:
    """Sort earlier articles (`earlier`: those of changed or deleted files, and those that had left their feed and
    are read again now) by what the input holds now: `now`, read from it; `readable`, its files read whole (not
    rejected as a file); `rejected`, the ids of items read now and rejected for what they hold.

    An item read now (by article_id, in whichever file) with the same document stays as it was; one read now
    otherwise, or rejected now, is replaced (by its reject). An item of a feed or JSONL file that the file, still
    readable, no longer holds has rolled off (a fetcher rewrote the feed with the latest items) and is kept when
    `keep_rolled_off`, unless it was known only by its place in the file ('feed:3', which a newer version gives to
    another item). An item of such a file that is there but cannot be read now (`unreadable`: half-written, grown
    past the size limit) is kept as last read too, when `keep_rolled_off`: the items that had left it live only in
    the state. The rest of `earlier` goes.
    """
    current = {row["article_id"]: row for row in now.iter_rows(named=True)}
    # an item known by its url is still in its file when an item read there now has that url: another item with the
    # same url (a correction appended) made both known by their places, it did not leave (items known by their own
    # ids are not: a feed may give every item one placeholder link)
    urls_now = {(file_of_path(row["path"]), row["url"]) for row in current.values() if row["url"]}
    unchanged, rolled, gone = [], [], []
    newly = 0
    for row in earlier.iter_rows(named=True):
        article_id, path = row["article_id"], row["path"]
        read = current.get(article_id)
        if read is not None:
            same = all(row[k] == read[k] for k in DOCUMENTS if k not in ("path", "notes"))
            if same and _own_notes(row["notes"]) == read["notes"]:
                unchanged.append({**row, "path": read["path"], "notes": read["notes"]})
            else:
                gone.append(row)
            continue
        place = place_of(path)
        if keep_rolled_off and place is not None and place[0] in unreadable:  # one that had left it says so still
            kept = any(map(is_rolled_off_note, row["notes"]))
            rolled.append({**row, "notes": row["notes"] if kept else [*row["notes"], unreadable_note(place[0])]})
        elif (keep_rolled_off and place is not None and place[0] in readable and article_id not in rejected
                and not known_by_place(article_id, path) and not (article_id == row["url"] and (place[0], row["url"]) in urls_now)):
            note = rolled_off_note(place[0])
            newly += note not in row["notes"]
            rolled.append({**row, "notes": [*_own_notes(row["notes"]), note]})
        else:
            gone.append(row)
    same_ids = pl.Series([r["article_id"] for r in unchanged], dtype=pl.String).implode()
    schema = earlier.schema
    return Reconciled(
        unchanged=pl.DataFrame(unchanged, schema=schema),
        rolled_off=pl.DataFrame(rolled, schema=schema),
        gone=pl.DataFrame(gone, schema=schema),
        fresh=now.filter(~pl.col("article_id").is_in(same_ids)),
        newly_rolled_off=newly,
    )


def _has_left(documents: pl.DataFrame) -> pl.Series:
    """Which documents carry the note that they left their feed."""
    return pl.Series([any(is_rolled_off_note(n) for n in notes) for notes in documents["notes"].to_list()], dtype=pl.Boolean)


def _named_only(documents: pl.DataFrame) -> set[str]:
    """The files whose held articles all have ids their names gave (story.txt's 'story', 'feed:3', or the path)."""
    files: dict[str, bool] = {}
    for article_id, path in zip(documents["article_id"].to_list(), documents["path"].to_list()):
        file = file_of_path(path)
        files[file] = files.get(file, True) and named_by_file(article_id, path)
    return {file for file, named in files.items() if named}


def ingest_changes(
    state: State, root: Path, plan: Plan, settings: Settings, previous: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, Changes]:
    """Read new and changed files, drop what changed or went (see `reconcile`); return the documents to fold in.

    previous: the documents of an earlier state that this run does not continue from (a full rebuild, or other
    settings); the items among them that rolled off their files, and those `check --add` added, are read from it, as
    no input holds them.
    """
    changes = Changes(rebuilt=previous is not None)
    # a file rejected for repeating an id that a changed or deleted file held is read again: the id may be free now
    # (a reason is one line: a holder's name with a line break is named there with a space)
    went = set(plan.dropped) | {one_line(path) for path in plan.dropped}
    freed = {
        file_of_path(path) for path, reason in zip(state.rejects["path"].to_list(), state.rejects["reason"].to_list())
        if (holder := duplicate_of(reason)) is not None and file_of_path(holder) in went
    } & set(plan.files)
    # so is an input whose name's id another input held (it took its path, 'story.html'), once that one changed or went
    by_path = state.documents.filter(pl.col("article_id") == pl.col("path"))["path"].to_list()  # nearly always none
    ids_went = set(state.documents.filter(file_of(pl.col("path")).is_in(list(plan.dropped)))["article_id"].to_list()) if by_path else set()
    renamed = {file_of_path(path) for path in by_path if name_id(path) in ids_went} & set(plan.files)
    freed |= renamed & _named_only(state.documents) if renamed else set()
    if freed:  # read after the run's own files: a holder corrected, keeping its id, keeps it
        plan = replace(plan, todo=[*plan.todo, *sorted(freed - set(plan.todo))], dropped=sorted({*plan.dropped, *freed}))
    dropped = pl.Series(plan.dropped, dtype=pl.String).implode()
    in_dropped = file_of(pl.col("path")).is_in(dropped)
    earlier = state.documents.filter(in_dropped)
    others = state.documents.filter(~in_dropped)
    left = _has_left(others) if others.height else pl.Series([], dtype=pl.Boolean)
    state.rejects = state.rejects.filter(~file_of(pl.col("path")).is_in(dropped))
    # an item that left its feed does not hold its id: read again in any file, it replaces its old version; nor
    # does one `check --add` added: an input delivering its id (the wire's own, corrected) replaces it, as a rebuild does
    by_desk = others.select(added_by_desk(pl.col("path")))["path"] if others.height else pl.Series([], dtype=pl.Boolean)
    holding = others.filter(~left & ~by_desk)
    known = dict(zip(holding["article_id"].to_list(), holding["path"].to_list()))
    rejected: set[str] = set()
    yielded: set[str] = set()
    docs, rejects = read_files(root, [plan.files[rel] for rel in plan.todo], settings.ingest, known, rejected, yielded)
    # a held article whose name gave its id yields it to an item giving it itself: its file is read again, after the
    # rest, as a fresh run reads it (a file holding ids its items gave themselves stays as read: read after the new
    # files, those ids could go to them)
    yielded -= set(plan.dropped)
    more = sorted(yielded & _named_only(state.documents)) if yielded else []
    if more:
        return ingest_changes(state, root, replace(plan, todo=[*plan.todo, *more], dropped=sorted({*plan.dropped, *more})),
                              settings, previous)
    state.rejects = pl.concat([state.rejects, rejects]).sort("path")
    if others.height:
        read_now = others["article_id"].is_in(docs["article_id"].implode())
        again = (left & (read_now | others["article_id"].is_in(list(rejected)))) | (by_desk & read_now)
        earlier, others = pl.concat([earlier, others.filter(again)]), others.filter(~again)
    # files there that cannot be read as a whole (not those read and found empty): their items are kept as last read
    whole = (file_of(pl.col("path")) == pl.col("path")) & ~pl.col("reason").is_in(list(HOLDS_NO_ARTICLE))
    # (a file of a type the config reads no more, or one that is no file now, a folder or a broken link, keeps none)
    not_whole = set(state.rejects.filter(whole)["path"].to_list())
    unreadable = frozenset(
        rel for rel in not_whole
        if rel in plan.hashes and Path(rel).suffix.lower() in settings.ingest.extensions and os.path.isfile(plan.files.get(rel, root / rel))
    )
    readable = set(plan.hashes) - not_whole
    keep = settings.ingest.keep_rolled_off
    now = reconcile(earlier, docs, readable, keep, rejected, unreadable)
    gone = now.gone
    changes.rolled_off = now.newly_rolled_off
    drop_documents(state, gone, changes)
    state.documents = pl.concat([others, now.unchanged, now.rolled_off]).sort("article_id")
    fresh = now.fresh
    if previous is not None and previous.height:
        unread = previous.filter(~pl.col("article_id").is_in(docs["article_id"].implode()))  # the rest are read again
        # an older version's id of a wire's version 2 (its bare uri) for the same text, read now as 'URI@v2'
        versioned = {unversioned(a): text for a, text in zip(docs["article_id"], docs["text"]) if unversioned(a) != a}
        unread = unread.filter(pl.Series([versioned.get(a) != text for a, text in zip(unread["article_id"], unread["text"])], dtype=pl.Boolean))
        carried = reconcile(unread.select(list(DOCUMENTS)), docs.clear(), readable, keep, rejected, unreadable).rolled_off
        # what `check --add` added, and in an older state's "check/NAME" (before version 35: no item's place, an id
        # that is not its path's, as an input's of a folder check/ is, 'check/a' for 'check/a.txt'), no input's path now
        old_desk = [
            path.startswith(OLD_DESK_PLACE) and place_of(path) is None and article_id != stem_of(path) and path not in plan.hashes
            for article_id, path in zip(unread["article_id"], unread["path"])
        ]
        desk = added_by_desk(pl.col("path")) | pl.Series(old_desk, dtype=pl.Boolean)
        desk_rows = unread.filter(desk & ~pl.col("article_id").is_in([*rejected, *carried["article_id"]]))
        kept = pl.concat([carried, desk_rows.select(list(DOCUMENTS))])
        # their texts as cleaned then: one too short or too long for the config now is a reject, as if read now
        why = [length_reason(n_words, settings.ingest) for n_words in kept["n_words"].to_list()]
        # held back, not dropped: a later rebuild under other settings carries them over again
        fits = pl.Series([reason is None for reason in why], dtype=pl.Boolean)
        unfit = kept.filter(~fits).with_columns(reason=pl.Series(
            [f"{reason}: article {article_id}, kept from an earlier run as no input holds it now"
             for article_id, reason in zip(kept["article_id"].to_list(), why) if reason], dtype=pl.String))
        state.held = pl.concat([state.held.filter(~pl.col("article_id").is_in(unfit["article_id"].implode())), unfit])
        fresh = pl.concat([fresh, kept.filter(fits)]).sort("article_id")
    if state.held.height:  # a held item read again from an input (kept or not) is that input's now; one of a deleted file goes
        state.held = state.held.filter(
            ~pl.col("article_id").is_in(pl.Series([*docs["article_id"], *rejected], dtype=pl.String).implode())
            & (added_by_desk(pl.col("path")) | file_of(pl.col("path")).is_in(pl.Series(list(plan.files), dtype=pl.String).implode()))
        )
    if previous is not None and "story_id" in previous.columns and fresh.height:
        # a rebuild: each article brings its copy group's and story's ids, which the groups it is in now keep
        # (update_syndicates, _name_stories), merges recorded: an id an editor or a desk kept stays valid
        fresh = fresh.join(previous.select("article_id", *KEPT_IDS), on="article_id", how="left")
    if fresh.height:
        state.terms.add(term_counts(headline_and_body(fresh)))
    state.manifest = plan.manifest()
    changes.added = fresh.height
    changes.changed = len(set(gone["article_id"].to_list()) & set(fresh["article_id"].to_list()))
    return fresh, changes


def drop_documents(state: State, gone: pl.DataFrame, changes: Changes) -> None:
    """Take articles (rows of state.documents) out of the state: its rows, the copy index, the word counts and the
    copy pairs; the stories they were in are re-resolved by the stages after (`add_documents`)."""
    changes.removed += gone.height
    if not gone.height:
        return
    ids = gone["article_id"].implode()
    for article_id in gone["article_id"].to_list():
        state.lsh.remove(article_id)
    state.terms.remove(term_counts(headline_and_body(gone)))
    keep_rows = ~state.sketches["article_id"].is_in(ids).to_numpy()
    state.sketches = state.sketches.filter(pl.Series(keep_rows))
    state.signatures = state.signatures[keep_rows]
    state.pairs = state.pairs.filter(~pl.col("article_id").is_in(ids) & ~pl.col("copy_of").is_in(ids))
    state.documents = state.documents.filter(~pl.col("article_id").is_in(ids))
    changes.dirty_stories |= set(gone["story_id"].to_list())


def why_not_removable(row: dict, inputs: set[str]) -> str | None:
    """Why `newsdedup remove` leaves an article (a row of state.documents or state.held) where it is, or None: only
    one that no input holds can go, as a run would bring back any other (an input's is removed by removing it from
    the input). No input holds what `check --add` added (before state version 35 at 'check/NAME', no input's path:
    `inputs`, the paths the last run read), nor an item kept after it left its feed."""
    path = row["path"]
    old_desk = path.startswith(OLD_DESK_PLACE) and place_of(path) is None and path not in inputs
    if path.startswith(DESK_PLACE) or old_desk or rolled_off_note(file_of_path(path)) in row["notes"]:
        return None
    place = place_of(path)
    where = f"{place[0]} (item {place[1]})" if place is not None else path
    return (f"the input file {where} holds it: remove it there and run (`remove` takes the articles no input holds: "
            "added by `check --add`, or kept after leaving their feed)")


def remove_articles(state: State, ids: list[str], settings: Settings, models: Embedders | Embedder) -> tuple[Changes, dict[str, str]]:
    """Remove the articles of these ids that no input holds (see `why_not_removable`) from the state, and fold the
    change into copies, stories and facts as a run does. Returns the changes and, for each id left, why."""
    refused: dict[str, str] = {}
    rows = {r["article_id"]: r for r in pl.concat([state.documents.select(list(DOCUMENTS)), state.held.select(list(DOCUMENTS))]).iter_rows(named=True)}
    going: list[str] = []
    inputs = set(state.manifest["path"].to_list())
    for article_id in dict.fromkeys(ids):
        row = rows.get(article_id)
        why = "no article of this id is held" if row is None else why_not_removable(row, inputs)
        if why:
            refused[article_id] = why
        else:
            going.append(article_id)
    changes = Changes()
    gone = state.documents.filter(pl.col("article_id").is_in(going))
    state.held = state.held.filter(~pl.col("article_id").is_in(going))  # one held back by the config is only a reject
    changes.removed = len(going) - gone.height
    drop_documents(state, gone, changes)
    if going:
        add_documents(state, state.documents.clear().select(list(DOCUMENTS)), settings, models, changes)
    return changes, refused


def _oldest(ids: set[str], created: dict[str, int]) -> str:
    return min(ids, key=lambda i: (created.get(i, 1 << 60), i))


def update_syndicates(state: State, new_docs: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Fingerprint only the new documents, find their copies among all, and regroup with stable ids.

    Returns all current documents with syndicate_id set (story_id still the previous one, or null).
    """
    cfg = settings.syndication
    if state.lsh is None:
        state.lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    new_ids = new_docs["article_id"].to_list()
    shingles, signatures = fingerprint(new_docs["text"].to_list(), cfg)
    with state.lsh.insertion_session() as session:
        for key, sig in zip(new_ids, signatures):
            session.insert(key, sig, check_duplication=False)
    sizes = pl.DataFrame({"article_id": new_ids, "n_shingles": [len(s) for s in shingles]}, schema=SKETCHES)
    state.sketches = pl.concat([state.sketches, sizes])
    state.signatures = np.vstack([state.signatures.reshape(-1, cfg.num_perm), signature_matrix(signatures, cfg.num_perm)])
    new_index = {a: i for i, a in enumerate(new_ids)}
    old_text = dict(zip(state.documents["article_id"].to_list(), state.documents["text"].to_list()))
    cache: dict[str, np.ndarray] = {}
    found = []
    for i, (article_id, sig) in enumerate(zip(new_ids, signatures)):
        for other in state.lsh.query(sig):
            if other == article_id or (other in new_index and new_index[other] < i):
                continue  # a pair of two new articles is scored once
            if other in new_index:
                theirs = shingles[new_index[other]]
            else:
                if other not in cache:
                    cache[other] = shingle_hashes(old_text[other], cfg.shingle_size)
                theirs = cache[other]
            score = score_pair(shingles[i], theirs)
            if is_copy(score, cfg):
                a, b = sorted((article_id, other))
                found.append((a, b, score.jaccard, score.containment))
    state.pairs = pl.concat([state.pairs, pl.DataFrame(found, schema=PAIRS, orient="row")]).unique().sort(["article_id", "copy_of"])

    # a new article's ids are null; a rebuilt one's are those it had (KEPT_IDS), which its groups keep
    group_ids = [pl.col(c) if c in new_docs.columns else pl.lit(None, t).alias(c) for c, t in KEPT_IDS.items()]
    documents = pl.concat([state.documents, new_docs.select(*DOCUMENTS, *group_ids)]).sort("article_id")
    ids = documents["article_id"].to_list()
    position = {a: i for i, a in enumerate(ids)}
    uf = UnionFind(len(ids))
    for a, b in state.pairs.select("article_id", "copy_of").iter_rows():
        uf.union(position[a], position[b])
    previous = documents["syndicate_id"].to_list()
    created = dict(zip(state.created["id"].to_list(), state.created["seq"].to_list()))
    members: dict[int, list[int]] = {}
    for i in range(len(ids)):
        members.setdefault(uf.find(i), []).append(i)
    names = [""] * len(ids)
    taken: set[str] = set()
    for root in sorted(members, key=lambda r: -len(members[r])):
        group = members[root]
        old = {previous[i] for i in group if previous[i] is not None} - taken
        name = _oldest(old, created) if old else group_id("syn", [ids[i] for i in group])
        taken.add(name)
        created.setdefault(name, state.run)
        for i in group:
            names[i] = name
    state.created = _created_table(created)
    return documents.with_columns(syndicate_id=pl.Series(names, dtype=pl.String))


def _created_table(created: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame({"id": list(created), "seq": list(created.values())}, schema=CREATED).sort("id")


def update_stories(
    state: State, documents: pl.DataFrame, embedder: Embedder, settings: Settings, changes: Changes
) -> pl.DataFrame:
    """Embed only new or changed copy groups, re-cluster only the graph components they touch."""
    cfg = settings.stories
    reps = representatives(documents)
    old_members = (
        state.documents.group_by("syndicate_id").agg(pl.col("article_id").sort().alias("old_members"))
        if state.documents.height
        else pl.DataFrame(schema={"syndicate_id": pl.String, "old_members": pl.List(pl.String)})
    )
    reps = reps.join(old_members, on="syndicate_id", how="left").join(
        state.groups.rename({"representative": "old_rep"}), on="syndicate_id", how="left"
    )
    # a group is embedded again when it is new, has another representative, or its representative's text is new: an
    # article read again under its id (a .txt rewritten, a corrected item) is no held document now
    held = state.documents["article_id"].implode()
    embed_again = (
        pl.col("row").is_null() | (pl.col("old_rep") != pl.col("representative")) | ~pl.col("representative").is_in(held)
    ).fill_null(True)
    regraph = (embed_again | (pl.col("members") != pl.col("old_members"))).fill_null(True)
    reps = reps.with_columns(embed_again.alias("embed_again"), regraph.alias("regraph"))

    dim = state.vectors.shape[1] if state.vectors.size else 0
    texts = headline_and_body(reps)
    fresh = embedder.embed([t for t, again in zip(texts, reps["embed_again"].to_list()) if again])
    if fresh.size:
        dim = fresh.shape[1]
    vectors = np.zeros((reps.height, dim), dtype=np.float32)
    keep = reps.with_row_index("new_row").filter(~pl.col("embed_again"))
    if keep.height:
        vectors[keep["new_row"].to_numpy()] = state.vectors[keep["row"].to_numpy()]
    if fresh.size:
        vectors[np.flatnonzero(reps["embed_again"].to_numpy())] = fresh
    days = days_of(reps["published"])
    names = reps["syndicate_id"].to_list()
    index = {g: i for i, g in enumerate(names)}
    dirty = reps["regraph"].to_numpy()

    # Edges between unchanged groups stay; groups that changed get theirs anew.
    kept = state.edges.filter(
        pl.col("a").is_in(reps.filter(~pl.col("regraph"))["syndicate_id"].implode())
        & pl.col("b").is_in(reps.filter(~pl.col("regraph"))["syndicate_id"].implode())
    )
    # each group's word counts: kept with the state, counted for the groups embedded anew (their text changed)
    count_again = reps["embed_again"].to_numpy() if term_rows_fit(state) else np.ones(reps.height, dtype=bool)
    counted = term_counts([t for t, again in zip(texts, count_again) if again])
    if count_again.all():
        counts = counted
    else:  # the counts kept are those of the rows whose vectors are kept (`keep`), the rest counted now
        stacked = vstack([state.term_rows[keep["row"].to_numpy()], counted]).tocsr()
        counts = stacked[np.argsort(np.concatenate([keep["new_row"].to_numpy(), np.flatnonzero(count_again)]))]
    state.term_rows = counts
    terms = text_terms(texts, state.terms, counts)
    src_new, dst_new = story_edges(vectors, days, np.flatnonzero(dirty), terms, cfg)
    src = np.concatenate([np.array([index[a] for a in kept["a"].to_list()], dtype=np.int64), src_new])
    dst = np.concatenate([np.array([index[b] for b in kept["b"].to_list()], dtype=np.int64), dst_new])
    pairs = {(min(a, b), max(a, b)) for a, b in zip(src.tolist(), dst.tolist())}
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    labels, hubs = cluster_components(vectors, days, src, dst, cfg, only=dirty, terms=terms)
    old_hubs = reps["hub"].fill_null(0.0).to_numpy()

    state.groups = pl.DataFrame(
        {
            "syndicate_id": names,
            "representative": reps["representative"],
            "row": np.arange(len(names)),
            "hub": np.where(np.isnan(hubs), old_hubs, hubs),  # taken anew in every component re-clustered
        },
        schema=GROUPS,
    )
    state.vectors = vectors
    state.edges = pl.DataFrame({"a": [names[i] for i in src], "b": [names[j] for j in dst]}, schema=EDGES).sort(["a", "b"])
    return _name_stories(state, documents, names, labels, changes)


def _name_stories(state: State, documents: pl.DataFrame, groups: list[str], labels: np.ndarray, changes: Changes) -> pl.DataFrame:
    """Give re-clustered stories stable ids: the oldest previous id they hold, else a new one; record merges."""
    label_of = dict(zip(groups, labels.tolist()))
    old_story = dict(zip(documents["article_id"].to_list(), documents["story_id"].to_list()))
    by_label: dict[int, list[str]] = {}
    for article_id, group in documents.select("article_id", "syndicate_id").iter_rows():
        if label_of[group] >= 0:
            by_label.setdefault(label_of[group], []).append(article_id)
    created = dict(zip(state.created["id"].to_list(), state.created["seq"].to_list()))
    old_members: dict[str, set[str]] = {}
    for a, s in old_story.items():
        if s is not None:
            old_members.setdefault(s, set()).add(a)
    # Ids held by stories that were not re-clustered stay theirs.
    taken = {
        old_story[a] for a, g in documents.select("article_id", "syndicate_id").iter_rows() if label_of[g] < 0 and old_story[a]
    }
    new_story: dict[str, str] = {}
    merges: list[tuple[str, str]] = []
    for label in sorted(by_label, key=lambda l: (-len(by_label[l]), min(by_label[l]))):
        articles = by_label[label]
        previous = {old_story[a] for a in articles if old_story[a] is not None}
        free = previous - taken
        name = _oldest(free, created) if free else group_id("story", articles)
        taken.add(name)
        created.setdefault(name, state.run)
        merges += [(other, name) for other in sorted(free - {name})]
        for a in articles:
            new_story[a] = name
        if set(articles) != old_members.get(name, set()):
            changes.dirty_stories.add(name)
    # A merged story is gone only when none of its articles kept its id.
    merges = [(old, into) for old, into in merges if old not in set(new_story.values())]
    changes.merges = merges
    changes.dirty_stories |= {into for _, into in merges}
    if merges:
        rows = pl.DataFrame([(old, into, state.run) for old, into in merges], schema=MERGES, orient="row")
        state.merges = pl.concat([state.merges, rows])
    state.created = _created_table(created)
    assigned = documents.with_columns(
        story_id=pl.Series([new_story.get(a, old_story[a]) for a in documents["article_id"].to_list()], dtype=pl.String)
    )
    # A story that was not re-clustered can still lose articles to one that was: its facts are stale too.
    new_members: dict[str, set[str]] = {}
    for a, s in assigned.select("article_id", "story_id").iter_rows():
        new_members.setdefault(s, set()).add(a)
    changes.dirty_stories |= {s for s, members in new_members.items() if members != old_members.get(s, set())}
    return assigned.select(list(ASSIGNED))


def sentence_rows(used: pl.DataFrame) -> pl.DataFrame:
    """The state's rows (SENTENCES) for the sentences resolve_stories_with_sentences used: story_id, text,
    start, end -> story_id, key (of the exact text), sentence_key, start, end."""
    texts = used["text"].to_list()
    return pl.DataFrame(
        {
            "story_id": used["story_id"], "key": [text_key(t) for t in texts], "sentence_key": [sentence_key(t) for t in texts],
            "start": used["start"], "end": used["end"],
        },
        schema=SENTENCES,
    )


def update_facts(state: State, documents: pl.DataFrame, embedder: Embedder, settings: Settings, changes: Changes) -> Resolution:
    """Re-resolve only the stories whose articles changed; keep the others' results.

    Sentences embedded in earlier runs are looked up, not embedded again (by exact text, so nothing
    any decision sees changes); the state keeps the vectors of the sentences each story uses.
    """
    current = set(documents["story_id"].to_list())
    resolved = set(state.canon["story_id"].to_list())
    dirty = (changes.dirty_stories & current) | (current - resolved)
    state.documents = documents
    if not dirty and resolved == current:  # nothing to re-resolve and no story gone: the state stands
        return Resolution(state.canon, state.facts, state.conflicts)
    # House style is counted over every story: the candidate keys of the stories kept as they are, and
    # those of the stories re-resolved now. A key that becomes (or stops being) boilerplate changes the
    # facts of every story holding it, so those are re-resolved too.
    cfg = settings.facts

    def candidates_of(stories: set[str]) -> pl.DataFrame:
        return fact_candidates(article_sentences(documents.filter(pl.col("story_id").is_in(list(stories)))), cfg)

    before = boilerplate_keys(state.story_keys, cfg.boilerplate_min_stories)
    candidates = candidates_of(dirty)
    state.story_keys = pl.concat(
        [state.story_keys.filter(pl.col("story_id").is_in(list(current - dirty))), candidate_keys(candidates)]
    )
    boilerplate = boilerplate_keys(state.story_keys, cfg.boilerplate_min_stories)
    if before ^ boilerplate:
        holding = set(state.story_keys.filter(pl.col("key").is_in(list(before ^ boilerplate)))["story_id"].to_list())
        candidates = pl.concat([candidates, candidates_of(holding - dirty)])  # their keys are in story_keys already
        dirty |= holding
    touched = documents.filter(pl.col("story_id").is_in(list(dirty)))
    indexed = state.sentences.with_row_index("i")
    # the vectors worth looking up: those of the stories re-resolved now and of stories gone (merged away)
    reusable = indexed.filter(pl.col("story_id").is_in(list(dirty)) | ~pl.col("story_id").is_in(list(current)))
    cached = CachedEmbedder(embedder, dict(zip(reusable["key"].to_list(), state.sentence_vectors[reusable["i"].to_numpy()])))
    fresh, used = resolve_stories_with_sentences(touched, cached, cfg, boilerplate, candidates)
    keep = pl.col("story_id").is_in(list(current - dirty))
    state.canon = pl.concat([state.canon.filter(keep), fresh.canon]).sort("story_id")
    state.facts = pl.concat([state.facts.filter(keep), fresh.facts]).sort("story_id", maintain_order=True)
    state.conflicts = pl.concat([state.conflicts.filter(keep), fresh.conflicts]).sort(["story_id", "about"])
    kept = indexed.filter(keep)
    now = sentence_rows(used)
    parts = [state.sentence_vectors[kept["i"].to_numpy()]] if kept.height else []
    parts += [np.vstack([cached.known[k] for k in now["key"].to_list()])] if now.height else []
    state.sentences = pl.concat([kept.drop("i"), now])
    state.sentence_vectors = np.vstack(parts).astype(np.float32) if parts else np.zeros((0, 0), dtype=np.float32)
    return Resolution(state.canon, state.facts, state.conflicts)


class RunRefused(RuntimeError):
    """A run that must not go ahead (it would remove every article for a folder that is missing or empty); the
    message is one line saying why and what to do."""


def check_input(input_dir: Path) -> None:
    """Refuse an input that is no folder: missing (an unmounted share), or a file."""
    if not input_dir.is_dir():
        raise RunRefused(f"input is a file, not a folder: {input_dir} (give the folder holding it)" if input_dir.exists()
                         else f"input folder not found: {input_dir}")


def check_folders(input_dir: Path, output: Path) -> None:
    """Refuse a run whose input folder is missing (a scheduled run on an unmounted share would otherwise take every
    input for deleted and empty the outputs) or whose output is a file."""
    check_input(input_dir)
    if output.exists() and not output.is_dir():
        raise RunRefused(f"output is not a folder: {output}")
    if output.exists() and output.resolve() == input_dir.resolve():
        raise RunRefused(f"the output folder is the input folder ({input_dir}): its reports would be read as articles")


# A last run that read at least this many inputs, none of them there now, is taken for a folder unmounted or replaced
WHOLE_ARCHIVE = 20


EXPIRED_FOLDER_NS = 24 * 3600 * 10**9  # a folder deleted whole whose files are this old was deleted on purpose


def check_plan(plan: Plan, manifest: pl.DataFrame, input_dir: Path) -> None:
    """Refuse a run that finds no input at all where the last run read some, or none of an archive it read (a few
    stray files in an unmounted share's mount point), or nothing in a folder of the input that held an archive (a
    share mounted beside local files), unless that folder was deleted whole a day or more after its files last
    changed (a retention job's expired day): an emptied, unmounted or swapped folder is far likelier than an archive
    deleted on purpose, and the articles that only the state holds (items that rolled off their feeds) could not be
    read again. `--full` starts from the folder as it is."""
    if not plan.hashes and manifest.height:
        raise RunRefused(
            f"{input_dir} holds no input files, but the last run read {manifest.height}: nothing removed (is the folder "
            "unmounted or emptied?); run with --full to start again from it as it is"
        )
    if manifest.height >= WHOLE_ARCHIVE and not any(path in plan.hashes for path in manifest["path"].to_list()):
        others = "1 other" if len(plan.hashes) == 1 else f"{len(plan.hashes)} others"
        raise RunRefused(
            f"{input_dir} holds none of the {manifest.height} input files the last run read ({others}): nothing "
            "removed (is the folder unmounted or another one?); run with --full to start again from it as it is"
        )
    # the same one level down: a share mounted at a folder of the input, beside local files (its mount point or link
    # stays when it is down); a folder deleted whole whose files last changed a day or more before (a retention job's
    # expired day) was deleted on purpose, but not one deleted a moment ago (a fetcher swapping in a new copy of it)
    now = {path.partition("/")[0] for path in plan.hashes if "/" in path}
    newest = pl.col("mtime_ns").max() if "mtime_ns" in manifest.columns else pl.lit(None, dtype=pl.Int64)
    before = manifest.filter(pl.col("path").str.contains("/")).group_by(pl.col("path").str.extract(r"^([^/]+)/")).agg(
        pl.len(), newest.alias("newest")
    )
    expired = time.time_ns() - EXPIRED_FOLDER_NS
    for folder, n, last in sorted(before.iter_rows()):
        if n < WHOLE_ARCHIVE or folder in now:
            continue
        if not os.path.lexists(input_dir / folder) and last is not None and last < expired:
            continue
        raise RunRefused(
            f"{input_dir / folder} holds none of the {n} input files the last run read there: nothing removed (is "
            "the folder unmounted?); run with --full to start again from the input as it is"
        )


def outputs_stale(output: Path) -> str | None:
    """Why the outputs in place are written again though no input changed (one deleted since, all written by another
    version of newsdedup, or not from the state saved: a run stopped between writing them and saving it, or while
    replacing them), or None when they stand."""
    from newsdedup.state import saved_token, written_by_other_code
    from newsdedup.store import missing_outputs, written_token

    missing = missing_outputs(output)
    if missing:
        return f"{', '.join(missing)} missing from {output}"
    if written_by_other_code(output):
        return f"the outputs in {output} were written by another version of newsdedup"
    if written_token(output) != saved_token(output):
        return f"the outputs in {output} are not those of its saved state (a run was stopped before it saved it)"
    return None


def quiet_summary(input_dir: Path, output: Path, settings: Settings, plan: Plan | None = None) -> Summary | None:
    """The counts of the outputs in place when nothing changed since the run that wrote them (no input new, changed or
    gone, every output there, written by this code): a scheduled run then stops without loading the state or
    writing anything. None when there is work to do. plan: the run's own look at the input folder against this
    state's manifest (not listed again)."""
    from newsdedup.report import summarize
    from newsdedup.state import load_manifest, plan_run
    from newsdedup.store import read_table

    if plan is None:
        manifest = load_manifest(output, settings)
        if manifest is None:
            return None
        plan = plan_run(input_dir, manifest, skip=(output,))
    if not plan.nothing_new or outputs_stale(output):
        return None
    try:
        tables = {name: read_table(output, name) for name in ("articles", "stories", "facts", "conflicts", "rejects")}
    except Exception:  # an output damaged since: the run goes ahead and writes them again
        return None
    return replace(summarize(**tables), new=0)


@dataclass
class RunStart:
    """How a run goes on, decided before its stages: stop quietly (nothing new), or continue this state (loaded, or
    new for a rebuild) with this plan of the input folder."""

    plan: Plan
    quiet: Summary | None = None  # nothing new: the outputs' counts, and nothing to do
    state: State | None = None  # the state the stages fold the plan into (its run counted)
    previous: pl.DataFrame | None = None  # a rebuild's documents of the state it does not continue (ingest_changes)
    rebuild: str | None = None  # why a run rebuilds everything, in words (--full, other settings, another version)


def start_run(input_dir: Path, output: Path, settings: Settings, full: bool = False) -> RunStart:
    """Decide how a run goes on (under the output folder's lock): list the input folder once against what the saved
    state read; stop when nothing is new; else load that state, or start a new one for a rebuild, which carries over
    the items no input holds any more. Raises RunRefused for an emptied input folder (check_plan), StateError for a
    damaged state."""
    from newsdedup.state import (
        MANIFEST, load_manifest, load_state, new_state, plan_run, previous_documents, previous_manifest, rebuild_reason,
    )
    from newsdedup.schema import empty

    manifest = None if full else load_manifest(output, settings)  # the state's, when this run continues it
    # the input folder is listed once, against what the continued state read (an output folder inside it is no input)
    plan = plan_run(input_dir, manifest if manifest is not None else empty(MANIFEST), skip=(output,))
    quiet = quiet_summary(input_dir, output, settings, plan) if manifest is not None else None
    if quiet is not None:  # a scheduled run with nothing new: nothing loaded, nothing written
        return RunStart(plan, quiet=quiet)
    state = load_state(output, settings) if manifest is not None else None
    why = None if state is not None else "--full" if full else rebuild_reason(output, settings)
    previous = previous_documents(output) if state is None else None  # a rebuild keeps items that rolled off
    # what the last run read, though its state is not continued (other settings, another version): an emptied input
    # folder is refused either way; --full starts from the folder as it is
    last_read = manifest if manifest is not None else None if full else previous_manifest(output)
    if last_read is not None:
        check_plan(plan, last_read, input_dir)
    state = state or new_state(settings)
    state.run += 1
    return RunStart(plan, state=state, previous=previous, rebuild=why)


def add_documents(
    state: State, new_docs: pl.DataFrame, settings: Settings, models: Embedders | Embedder, changes: Changes
) -> None:
    """Fold new documents into the state: copies, stories and facts of what they touch."""
    models = as_embedders(models)
    documents = update_syndicates(state, new_docs, settings)
    documents = update_stories(state, documents, models.stories, settings, changes)
    update_facts(state, documents, models.facts, settings, changes)


def save_run(out_dir: Path, state: State) -> Summary:
    """Write every output table and report from the state, then the state itself."""
    sections = Sections(state.sections if state.sections is not None else load_sections(out_dir), CODE_FINGERPRINT)
    rejects = pl.concat([state.rejects, state.held.select(list(REJECTS))]).sort("path")  # the held items with theirs
    tables, texts, summary = build_outputs(
        state.documents, Resolution(state.canon, state.facts, state.conflicts), rejects, state.pairs, sections=sections
    )
    tables["story_merges"] = state.merges
    token = uuid.uuid4().hex  # names this save: the outputs record it, then the state
    with writing(Path(out_dir)):  # a full disk: one line
        write_outputs(out_dir, tables, texts, token=token)
        state.sections = sections.table()
        save_state(out_dir, state, token)
    return summary


def continue_run(
    state: State, root: Path, settings: Settings, models: Embedders | Embedder, previous: pl.DataFrame | None = None
) -> Changes:
    """One run from the state: all stages in order (the Prefect flow runs the same steps as tasks); previous: as
    for `ingest_changes`."""
    from newsdedup.state import plan_run

    state.run += 1
    new_docs, changes = ingest_changes(state, root, plan_run(root, state.manifest), settings, previous)
    add_documents(state, new_docs, settings, models, changes)
    return changes
