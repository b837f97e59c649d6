"""What the output folder keeps between runs, so a run processes only new or changed inputs.

The state lives in `<output>/state/`: a manifest of processed inputs by content hash (and stat), the documents, the
verified copy pairs, every article's MinHash signature and shingle count (the MinHashLSH index is built from them on
load: no pickle, which anyone able to write the output folder could make run code), the word document
frequencies, every story's candidate fact sentences (by key, for telling house style), the sentence embeddings of every story the facts stage compared, one embedding per copy group with the similarity
graph between them, the ids' creation order, story merges, and the facts stage's results. It is written
into a fresh folder and swapped in with renames, so a run killed half-way leaves the previous state.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix, load_npz, save_npz

from newsdedup.config import Settings
from newsdedup import embed
from newsdedup.embed import resolve_precision
from newsdedup.schema import CONFLICTS, DOCUMENTS, FACTS, REJECTS, SECTIONS, conform, empty
from newsdedup.stories import TermStats
from newsdedup.syndication import index_signatures

STATE_VERSION = 45  # 7: figures are words in the TF-IDF (TermStats counts changed); 8: conflicts.numbers_differ;
# 9: a title before a name ("Gov. Ada Marsh") no longer ends a sentence (sentence keys changed);
# 10: sentence vectors come from the facts stage's own model (facts.model + facts.weights);
# 11: one figure at two precisions ("6.3" / "6.32" billion) is one number (added facts and conflicts changed);
# 12: documents carry ingest's notes (why an article is undated); 13: "twenty-two" is one number, 22, a dateline
# under a promo is split off, a sentence of a fact the most complete version states is listed for a number it
# lacks (facts carry detail_figures), a word opening a quotation or a party tag ("R-Calif.") is no name (documents,
# added facts and conflicts changed); 14: a party tag is matched on US states ("D-New Mexico" names no one,
# "D-Day" is a name), an opening "Late Monday" or "Outside Quetta" names no "late" or "outside", "$2bn" is 2 and
# a billion, "Covid-19" states no 19, "2,000 people" is a count (not a year), "no fewer than 40" is no "fewer than";
# news about copyright, sign-ups or publication bans, and "Xinhua put the toll at 23.", are no furniture (documents)
# and a shared year no longer stands for shared words (added facts); AP captions, photographer credits, share
# buttons and a tag list above the text are dropped, a wire flash keeps its headline as its text; HTML paragraphs
# wrapped in the source and hard-wrapped text are one line, ninjs firstcreated is the date, a text's headline is
# its first line that is no furniture, a dateline alone on its line or with accents is split off; a glued "m"/"k"
# is a million/thousand only after a currency, "this one" or "no one" states no 1, a list's last item and text
# wrapped at a fixed width are kept, relative dates date nothing (documents, added facts and conflicts);
# 15: figures with a scale ("2.1 million people", "a $2 trillion stimulus package") are counts (conflicts);
# 16: facts.differs_from (the most complete version's figure for a count an added fact gives otherwise);
# 17: no count after a comma, a colon, a slash, a hyphen or a month ("87, officials said", "10:30", "5-4 ruling",
# "Feb. 2 near"), "Sixteen" is 16, "half a million", "30 new cases" (conflicts, differs_from); 18: of versions
# as complete and as long, the later is the most complete version (canon); 19: a bound rounded from an exact
# figure is that figure ("more than 160" / "168": conflicts, differs_from); 20: a wire's note on what a version
# changes ("(Updates toll in paragraph 1, ...)") is furniture (documents); 21: conflicts.sentences; 22: a wire's
# note needs its brackets ("Updates on the death toll are expected ..." is news), "a dozen" is "1 dozen", Indian
# digit grouping ("1,50,000") is a count (documents, conflicts, differs_from); 23: "2m people" states a million,
# as "2 million people" does (added facts); 24: a web page keeps its publication time, a ninjs / NewsML-G2 version
# 2 or later is dated by its versioncreated, IST is India's and a zone after a written date counts, ANI datelines,
# syndication disclaimers and "More details are awaited." are furniture (documents); 25: a number and its scale
# are one amount ("1.2 million" = "1,200,000", "2 lakh"), "three masked men" counts men (added facts, conflicts);
# 26: "one of the largest", "in one instance" state no 1 (added facts' figure notes); 27: of versions with the
# same words the first published is the most complete version (canon, added facts); 28: conflicts.value_article_ids;
# 29: scales in a row multiply ("1.5 lakh crore"), "lakhs of" is no number, "one case" is 1 again, "12 died hours
# after" counts no hours, "9:20 PM" is 21:20, of same-word versions the text's first date decides (canon, facts);
# 30: two sentences first read in one article are two facts (added facts); 31: a count says what happened to what
# it counts ('people killed'), outlets wording one count their own way conflict, a death toll is a count (conflicts,
# added facts' notes); the most complete version's reason names the runner-up's outlet (canon); 32: a count both
# outlets say the same thing happened to conflicts down to count_similarity, mentions of different days never share
# a group, bodies recovered and lives lost count the dead, roles for the fled, the hospitalised, those aboard and a
# capacity, a place a headline or a dateline names is the whole story's, a count "in X alone" is a part, a lead
# naming the event's day and the report's shares a day (conflicts); 33: a headline ending "| Outlet" names the
# source (documents), a singular noun before a plural one names the count ("22 container ships": conflicts);
# 34: a count of a thing more particular than "people" conflicts down to thing_similarity, a record year ("the
# highest since 1987") is no time of the count, vessels are ships, "elderly guests" are guests, "six of the nine
# carriages" counts six, "this morning" is a day by when the article came out, a total over days
# is no day's count, an allowed amount no count, "That failure ..." tells of another event (conflicts);
# 35: documents.utc_offset, the zone a source gave its time in ("today" is the source's day: conflicts; reasons)
# 36: a date before 1900 or after the run is not used, an undated article notes "no date given" (documents); a
# candidate-graph component too big for a dense matrix is cut, not clustered on embeddings alone (stories)
# 37: one figure in words that say one thing is one value, a toll's report day (conflicts); "Updated: <headline>" is
# no furniture, an institution ending a headline ("- ISPR") no outlet, UTF-16 without a byte order mark in another
# script is read (documents); meta.json's token, which the outputs record (.written.json)
# 38: ninjs main headline and body, a ninjs package's text item, a .txt holding HTML or JSON read as such, a tag
# list under the lead, named zones, a year alone no date, the newer item of an id repeated in one file, section pages
# rejected (documents); the held table (carried-over items the config rejects now); meta.json's shaping settings
# 39: "This article originally appeared on ..." is furniture, "| ... Globe" names the source, scripts and styles in a
# body field are no text, words without accents ("zurich"), a text in another script than Latin a reject, UTF-32,
# WordPress's "rendered", titles' character references read, a declared encoding used, unclosed <font>s read to the
# end (documents, shingles, sentence keys); a sentence ending in a colon or pointing at what follows ("Here are ...") is no fact (added facts, canon);
# the next best version is another write-up (canon)
# 40: ids, titles and outlets on one line (a line break in a JSON id or title, or in a file's name); newsroom trailers
# ("... contributed to this report.", "This is a developing story.", "Contact the reporter at ...@...") are furniture (documents)
# 41: page furniture lines (image captions, "Related Articles", "Share on WhatsApp", ...) go, news opening like furniture
# stays ("Tag-team matches ...", "Reported by residents ...", "..., the ministry urged"), short figure lines are facts,
# headers under a headline are read, a few stray NULs are dropped, and an ambiguous numeric date gets a note (documents)
# 42: a weekday settles a numeric date's order ("Tue 03/02/2026" is 3 February), NULs escaped in JSON text go; a
# credit line names people only ("Reporting by Reuters showed ..." stays), a notice lists three uses (documents)
# 43: an id from an input's name that another input's name gave first is the input's path (story.txt beside
# story.html: an article, not a duplicate reject); a file named as an item's place ('wire.jsonl:1') is named
# 'wire.jsonl\\x3a1', a backslash in a name '\\x5c'; a caption credited "(Getty Images)" goes, an HTML body in JSON is
# folded (curly quotes and dashes), a headline ending in its own outlet goes without it, a page asking its reader
# ("tell us whether you think ...") or pointing at what it embeds is furniture, a blog's "UPDATE: 9 p.m. --" label
# goes (documents); "killed at least 1,419 people" and "killed 1.6 million chickens" count no 1 dead besides, a day
# of a month against another or a weekday is another time ("on Dec. 17" / "as of Tuesday"), a count in parts summing
# to the other's is one report, what happened to a count is read past whom it includes (conflicts); a group whose
# representative was read again under its id is embedded again (stories)
# 44: the most complete version covers the most fact words (each fact weighs its content words), not the most facts
# (canon, and so the added facts); a wire's "(This story has been refiled ...)", NDTV's "(Except for the headline,
# ...)", "Published in Dawn, ...", "For the latest news, follow us on ..." and "Catch all the latest news ..." are
# furniture (documents)
# 45: a text's first line "WATCH: ..." / "VIDEO | ..." over a headline is its headline, not furniture; double-encoded
# UTF-8 ("Pakistan\u00e2\u20ac\u2122s") is decoded once more (documents); speech of four content words or fewer
# naming no one and stating no figure is listed as no added fact (facts.slight_content_words); a list item's sentence
# loses its "-" marker, a "Here is what we know ...:" of any length points at what follows (facts)

# An input's stat (size, mtime_ns, ctime_ns, inode) beside its hash: a later run trusts the hash while the stat is the
# same, and reads the file again only when it differs (null: settled too recently to trust, or never hashed).
MANIFEST: dict[str, pl.DataType] = {
    "path": pl.String(), "sha1": pl.String(), "size": pl.Int64(), "mtime_ns": pl.Int64(), "ctime_ns": pl.Int64(),
    "inode": pl.UInt64(),  # some file systems (overlayfs with xino, NFS) give inodes of 2^63 and more
}
_STAT = ("size", "mtime_ns", "ctime_ns", "inode")
PAIRS: dict[str, pl.DataType] = {
    "article_id": pl.String(), "copy_of": pl.String(), "jaccard": pl.Float64(), "containment": pl.Float64()
}
SKETCHES: dict[str, pl.DataType] = {"article_id": pl.String(), "n_shingles": pl.Int64()}
GROUPS: dict[str, pl.DataType] = {
    "syndicate_id": pl.String(), "representative": pl.String(), "row": pl.Int64(), "hub": pl.Float64()
}
EDGES: dict[str, pl.DataType] = {"a": pl.String(), "b": pl.String()}
# Sentences the facts stage embedded, per story; start/end: where the sentence lies in the story's most
# complete version (null when it is another version's), so the desk need not split that version again.
SENTENCES: dict[str, pl.DataType] = {
    "story_id": pl.String(), "key": pl.String(), "sentence_key": pl.String(), "start": pl.Int32(), "end": pl.Int32()
}
# Every sentence key that could be a fact, per story (long enough, not a furniture line): a key found in
# facts.boilerplate_min_stories stories is house style, counted over every story, not only a run's new ones.
STORY_KEYS: dict[str, pl.DataType] = {"story_id": pl.String(), "key": pl.String()}
CREATED: dict[str, pl.DataType] = {"id": pl.String(), "seq": pl.Int64()}
MERGES: dict[str, pl.DataType] = {"story_id": pl.String(), "merged_into": pl.String(), "run": pl.Int64()}
CANON: dict[str, pl.DataType] = {
    "story_id": pl.String(), "canonical_article_id": pl.String(), "canonical_reason": pl.String(), "n_facts": pl.Int64()
}
ASSIGNED = {**DOCUMENTS, "syndicate_id": pl.String(), "story_id": pl.String()}
# Items a rebuild carried over (no input holds them any more) that the config now rejects (min_words, max_words):
# kept with the reason, shown as rejects, and carried over again by a later rebuild, which may take them back.
HELD = {**DOCUMENTS, "reason": pl.String()}


def _fingerprinted_sources() -> list[Path]:
    """The package's modules and the flow's (flows/ sits beside src/ in the checkout)."""
    package = Path(__file__).parent
    return sorted(package.glob("*.py")) + sorted((package.parent.parent / "flows").glob("*.py"))


def _code_fingerprint() -> str:
    """A hash of newsdedup's own source (the package and its flow): outputs written by other code are written again
    on the next run, though nothing is new (a report's layout changes without the state's meaning changing, which
    STATE_VERSION marks). Taken when the module loads, so a long-lived process records the code it runs; where the
    sources cannot be read (a bytecode-only install), the installed version stands for them."""
    sources = _fingerprinted_sources()
    digest = hashlib.sha1()
    try:
        for path in sources:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        sources = []
    if not sources:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return "version " + version("newsdedup")
        except PackageNotFoundError:
            return "unknown"
    return digest.hexdigest()


CODE_FINGERPRINT = _code_fingerprint()


def _saved_meta(output: str | Path) -> dict | None:
    """The saved state's meta.json as read (None when there is none, or it cannot be read as a JSON object)."""
    try:
        meta = json.loads((saved_state_dir(output) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def written_by_other_code(output: str | Path) -> bool:
    """The saved state (and the outputs written with it) came from another version of newsdedup's code (or its
    meta data cannot be read: writing again is the safe side)."""
    if not (saved_state_dir(output) / "meta.json").is_file():
        return False
    meta = _saved_meta(output)
    return meta is None or meta.get("code") != CODE_FINGERPRINT


def saved_token(output: str | Path) -> str | None:
    """What names the saved state: save_state's token, new with every save (the outputs written from it record it;
    a desk that loaded the state tells by it whether another process saved since); None without one."""
    token = (_saved_meta(output) or {}).get("token")
    return token if isinstance(token, str) else None


def shaping_settings(settings: Settings) -> dict:
    """The settings that shape the state, as plain JSON values (meta.json keeps them, so that a rebuild can say
    which of them changed)."""
    shaping = {k: getattr(settings, k).model_dump(mode="json") for k in ("ingest", "syndication", "stories", "facts")}
    # vectors made in one number format are not mixed with another's: "auto" counts as what it means here
    shaping["stories"]["precision"] = resolve_precision(settings.stories.precision)
    if settings.facts.weights:  # weights retrained under the same name make other sentence vectors
        try:
            shaping["facts"]["weights"] = hashlib.sha1(embed.resolve_weights(settings.facts.weights).read_bytes()).hexdigest()
        except embed.ModelNotFound:
            shaping["facts"]["weights"] = "missing"
    return shaping


def settings_fingerprint(settings: Settings) -> str:
    """A hash of the settings that shape the state; a different one means the state must be rebuilt."""
    return _fingerprint(shaping_settings(settings))


def _fingerprint(shaping: dict) -> str:
    return hashlib.sha1(json.dumps(shaping, sort_keys=True).encode()).hexdigest()


def _flat(values: object, prefix: str = "") -> dict[str, object]:
    """Nested settings as dotted keys ("stories.distance_threshold")."""
    if not isinstance(values, dict):
        return {prefix: values}
    return {key: value for name, inner in values.items() for key, value in _flat(inner, f"{prefix}.{name}" if prefix else name).items()}


def changed_settings(before: dict, after: dict, limit: int = 4) -> str:
    """The shaping settings that differ, in words: "stories.distance_threshold 0.45 -> 0.3" (a setting one side
    lacks is "unset"; a weights file is named by its hash); up to limit of them, then how many more."""
    old, new = _flat(before), _flat(after)
    unset = object()

    def shown(value: object) -> str:
        return "unset" if value is unset else json.dumps(value)

    changes = [f"{key} {shown(old.get(key, unset))} -> {shown(new.get(key, unset))}"
               for key in sorted(old.keys() | new.keys()) if old.get(key, unset) != new.get(key, unset)]
    more = f" and {len(changes) - limit} more" if len(changes) > limit else ""
    return ", ".join(changes[:limit]) + more


@dataclass
class State:
    """Everything a later run needs to continue where this one stopped."""

    settings_hash: str
    run: int = 0
    shaping: dict = field(default_factory=dict)  # shaping_settings of settings_hash, saved for a later rebuild's reason
    manifest: pl.DataFrame = field(default_factory=lambda: empty(MANIFEST))
    documents: pl.DataFrame = field(default_factory=lambda: empty(ASSIGNED))
    rejects: pl.DataFrame = field(default_factory=lambda: empty(REJECTS))
    pairs: pl.DataFrame = field(default_factory=lambda: empty(PAIRS))
    lsh: object | None = None  # datasketch MinHashLSH over every current article (built from the signatures on load)
    sketches: pl.DataFrame = field(default_factory=lambda: empty(SKETCHES))  # shingle set size per article
    signatures: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.uint32))  # row-aligned MinHash values
    groups: pl.DataFrame = field(default_factory=lambda: empty(GROUPS))  # copy group -> row of vectors
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    term_rows: csr_matrix | None = None  # each copy group's word counts (stories.term_counts), row-aligned with vectors
    terms: TermStats = field(default_factory=TermStats)  # word document frequencies over every article
    edges: pl.DataFrame = field(default_factory=lambda: empty(EDGES))  # close copy groups (radius graph)
    created: pl.DataFrame = field(default_factory=lambda: empty(CREATED))  # ids in order of first appearance
    merges: pl.DataFrame = field(default_factory=lambda: empty(MERGES))
    canon: pl.DataFrame = field(default_factory=lambda: empty(CANON))
    story_keys: pl.DataFrame = field(default_factory=lambda: empty(STORY_KEYS))  # candidate fact keys per story
    sentences: pl.DataFrame = field(default_factory=lambda: empty(SENTENCES))  # embedded sentences per story
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))  # row-aligned
    facts: pl.DataFrame = field(default_factory=lambda: empty(FACTS))
    conflicts: pl.DataFrame = field(default_factory=lambda: empty(CONFLICTS))
    held: pl.DataFrame = field(default_factory=lambda: empty(HELD))  # carried-over items the config rejects now
    # the reports' story sections, by key; None: not loaded (the desk), read from the folder when a run writes
    sections: pl.DataFrame | None = field(default_factory=lambda: empty(SECTIONS))


def term_rows_fit(state: State) -> bool:
    """Whether the state's word counts are row for row its vectors' (a state saved before they were kept has none)."""
    return state.term_rows is not None and state.term_rows.shape[0] == len(state.vectors)


def new_state(settings: Settings) -> State:
    """An empty state for these settings (a first run, or a rebuild)."""
    shaping = shaping_settings(settings)
    return State(_fingerprint(shaping), shaping=shaping)


_TABLES = ("manifest", "documents", "rejects", "pairs", "sketches", "groups", "edges", "created", "merges", "canon", "story_keys", "sentences", "facts", "conflicts", "held")


def state_dir(output: str | Path) -> Path:
    return Path(output) / "state"


def saved_state_dir(output: str | Path) -> Path:
    """The folder holding the saved state: `state`, or `state.old` while a run is between the two renames of
    save_state (or was killed there). Read where it is, never moved: a reader (the desk, a view, a run's look
    before it takes the lock) holds no lock, and moving it under a run's save had failed that save; save_state
    puts it back."""
    folder = state_dir(output)
    backup = folder.with_name("state.old")
    return backup if not folder.is_dir() and backup.is_dir() else folder


class StateError(RuntimeError):
    """The saved state cannot be read (a file of it damaged or missing); the message says how to go on."""


def _unreadable(folder: Path, what: str, exc: Exception) -> StateError:
    if isinstance(exc, PermissionError):  # not damaged: readable by another user
        return StateError(f"the state in {folder} cannot be read ({what}: permission denied)")
    reason = " ".join(str(exc).split())[:160] or type(exc).__name__
    return StateError(f"the state in {folder} cannot be read ({what}: {reason}); run with --full to rebuild it from the inputs")


def _usable_meta(output: str | Path, settings: Settings) -> dict | None:
    """The saved state's meta data when the state exists and was made with these settings."""
    folder = saved_state_dir(output)
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        raise _unreadable(folder, "meta.json", exc) from exc
    return None if _mismatch(meta, settings) else meta


class Mismatch(str):
    """Why a saved state cannot be continued with some settings, in words for the operator; `kind` "version" (another
    newsdedup saved it), "settings" (another config made it: that config can still use it) or "damaged" (its
    meta.json is gone)."""

    kind: Literal["version", "settings", "damaged"]

    def __new__(cls, kind: Literal["version", "settings", "damaged"], words: str) -> Mismatch:
        reason = super().__new__(cls, words)
        reason.kind = kind
        return reason


def _mismatch(meta: dict, settings: Settings) -> Mismatch | None:
    """Why a saved state's meta data cannot be continued with these settings; None when it can."""
    if meta.get("version") != STATE_VERSION:
        return Mismatch("version", f"its state was saved by another version of newsdedup (state version {meta.get('version')}, this one {STATE_VERSION})")
    shaping = shaping_settings(settings)
    if meta.get("settings") != _fingerprint(shaping):
        why = "the config's ingest, syndication, stories or facts settings differ from those the state was made with"
        before = meta.get("shaping")  # a state saved before meta.json kept them cannot say which
        return Mismatch("settings", f"{why}: {changed_settings(before, shaping)}" if isinstance(before, dict) and before else why)
    return None


def rebuild_reason(output: str | Path, settings: Settings) -> Mismatch | None:
    """Why a run rebuilds everything from the inputs instead of continuing the saved state (another version's
    state, other settings), in words for the operator; None when it continues it, or there is none to continue."""
    meta = _saved_meta(output)  # none, or unreadable: the run says so itself
    folder = saved_state_dir(output)
    if meta is None and not (folder / "meta.json").exists() and (folder / "documents.parquet").is_file():
        return Mismatch("damaged", "the saved state has no meta.json (it was damaged)")
    return None if meta is None else _mismatch(meta, settings)


def load_manifest(output: str | Path, settings: Settings) -> pl.DataFrame | None:
    """Only the manifest of processed inputs (cheap: for deciding whether there is anything to do)."""
    if _usable_meta(output, settings) is None:
        return None
    try:
        return pl.read_parquet(saved_state_dir(output) / "manifest.parquet")
    except Exception as exc:
        raise _unreadable(saved_state_dir(output), "manifest.parquet", exc) from exc


def load_steady_state(
    output: str | Path, settings: Settings, *, map_sentences: bool = False, tries: int = 3
) -> tuple[State | None, str | None]:
    """load_state and the token of the save it read, read again when a run saved a new state while it was being read
    (its files one by one, without the lock: tables of two saves mixed); a damaged state read twice alike is one."""
    def saved() -> tuple[str | None, Path]:  # the save's token, and where it lies (a killed save's state.old, put back meanwhile)
        return saved_token(output), saved_state_dir(output)

    for _ in range(tries):
        before = saved()
        try:
            state = load_state(output, settings, map_sentences=map_sentences)
        except StateError:
            if saved() == before:
                raise
            continue
        if saved() == before:
            return state, before[0]
    raise StateError(f"the state in {output} was saved anew each of the {tries} times it was read: try again")


def _load_array(path: Path, mmap_mode: Literal["r"] | None = None) -> np.ndarray:
    """A saved array; a file that is no numpy array (garbage, a truncated write) is a ValueError saying so, not
    numpy's offer to unpickle it."""
    with open(path, "rb") as fh:
        if fh.read(6) != b"\x93NUMPY":
            raise ValueError("not a numpy array file (damaged)")
    return np.load(path, mmap_mode=mmap_mode, allow_pickle=False)


def load_state(output: str | Path, settings: Settings, *, map_sentences: bool = False) -> State | None:
    """The saved state, or None when there is none or it was made with other settings (a full run is due).

    map_sentences: leave the sentence vectors on disk, mapped (the desk reads a few stories' rows), and the reports'
    sections unread.
    """
    meta = _usable_meta(output, settings)
    if meta is None:
        return None
    folder = saved_state_dir(output)
    what = "meta.json"
    try:  # any damage (a truncated table, a lost file, garbage in the index) is one StateError naming the file
        # the settings match the saved ones (_usable_meta): their shaping values are these settings' own
        state = State(settings_hash=meta["settings"], run=meta["run"], shaping=meta.get("shaping") or shaping_settings(settings))
        for name in _TABLES:
            what = f"{name}.parquet"
            setattr(state, name, pl.read_parquet(folder / what))
        # the reports' sections only speed up writing the reports: the desk leaves them on disk
        what = "sections.parquet"
        state.sections = None if map_sentences else load_sections(output)
        for what, attribute in (("vectors.npy", "vectors"), ("signatures.npy", "signatures")):
            setattr(state, attribute, _load_array(folder / what))
        what = "term_rows.npz"  # none in a state saved before they were kept: counted again by the next run
        state.term_rows = load_npz(folder / what) if (folder / what).is_file() else None
        what = "sentence_vectors.npy"
        state.sentence_vectors = _load_array(folder / what, mmap_mode="r" if map_sentences else None)
        what = "term_df.npy"
        state.terms = TermStats(meta["term_docs"], _load_array(folder / what).astype(np.int64))
        what = "signatures.npy"
        if len(state.signatures) != state.sketches.height or (len(state.signatures) and state.signatures.shape[1] != settings.syndication.num_perm):
            raise ValueError(f"{state.signatures.shape} for {state.sketches.height} articles")
        state.lsh = index_signatures(state.sketches["article_id"].to_list(), state.signatures, settings.syndication)
    except MemoryError:  # no damage: a rebuild would need more memory still
        raise
    except Exception as exc:
        raise _unreadable(folder, what, exc) from exc
    return state


def load_sections(output: str | Path) -> pl.DataFrame:
    """The reports' story sections the state keeps; none in a state saved before they were kept (all are rendered)."""
    path = saved_state_dir(output) / "sections.parquet"
    return pl.read_parquet(path) if path.is_file() else empty(SECTIONS)


def previous_manifest(output: str | Path) -> pl.DataFrame | None:
    """The manifest of the state saved in output, whatever settings or version made it (what the last run read: an
    input folder found empty where it read files is refused, incremental.check_plan); None when there is none."""
    try:
        return pl.read_parquet(saved_state_dir(output) / "manifest.parquet", columns=["path"])
    except Exception:  # no state, or one that cannot be read: nothing to compare with
        return None


# Documents columns added since states were first kept, null in an older state's documents (utc_offset: version 35).
_ADDED = frozenset({"utc_offset"})


KEPT_IDS = {"syndicate_id": pl.String(), "story_id": pl.String()}  # a rebuild's articles keep their groups' ids


def previous_documents(output: str | Path) -> pl.DataFrame | None:
    """The documents of the state saved in output, whatever settings or version made it (a rebuild carries over the
    items that rolled off their files, which it cannot read again), with their copy groups' and stories' ids then
    (KEPT_IDS; null for a held item): a rebuild gives a group its old id, so an id an editor keeps stays valid; None
    when there is none or it cannot be read."""
    try:
        folder = saved_state_dir(output)
        documents = pl.read_parquet(folder / "documents.parquet")
        added = [pl.lit(None, dtype).alias(c) for c, dtype in DOCUMENTS.items() if c not in documents.columns and c in _ADDED]
        ids = [pl.col(c).cast(t) if c in documents.columns else pl.lit(None, t).alias(c) for c, t in KEPT_IDS.items()]
        documents = pl.concat([
            conform(documents.with_columns(added).select(list(DOCUMENTS)), DOCUMENTS, "documents"), documents.select(ids),
        ], how="horizontal")
    except Exception:  # no state, or one too old to hold these columns: nothing to carry over
        return None
    try:  # and the items it held back (none in a state saved before it held any)
        held = conform(pl.read_parquet(folder / "held.parquet").select(list(DOCUMENTS)), DOCUMENTS, "documents")
    except Exception:
        return documents
    held = held.filter(~pl.col("article_id").is_in(documents["article_id"].implode()))
    return pl.concat([documents, held.with_columns([pl.lit(None, t).alias(c) for c, t in KEPT_IDS.items()])])


def save_state(output: str | Path, state: State, token: str | None = None) -> None:
    """Write the state to a new folder, then swap it in with two renames; token: what names this save (meta.json),
    the outputs written from it record the same (a new one by default)."""
    folder = state_dir(output)
    fresh = folder.with_name("state.new")
    backup = folder.with_name("state.old")
    if not folder.is_dir() and backup.is_dir():  # a save killed between its renames: its state back first
        backup.rename(folder)
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    for name in _TABLES:
        getattr(state, name).write_parquet(fresh / f"{name}.parquet")
    (state.sections if state.sections is not None else load_sections(output)).write_parquet(fresh / "sections.parquet")
    np.save(fresh / "vectors.npy", state.vectors)
    np.save(fresh / "signatures.npy", state.signatures)
    np.save(fresh / "sentence_vectors.npy", state.sentence_vectors)
    if state.term_rows is not None:
        save_npz(fresh / "term_rows.npz", state.term_rows, compressed=False)
    np.save(fresh / "term_df.npy", state.terms.df.astype(np.int32))
    meta = {"version": STATE_VERSION, "settings": state.settings_hash, "run": state.run, "term_docs": state.terms.n_docs,
            "code": CODE_FINGERPRINT, "token": token or uuid.uuid4().hex, "shaping": state.shaping}
    (fresh / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    for path in fresh.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    shutil.rmtree(backup, ignore_errors=True)
    if folder.exists():
        folder.rename(backup)
    fresh.rename(folder)
    shutil.rmtree(backup, ignore_errors=True)


def file_hash(path: Path) -> str:
    """SHA-1 of a file's bytes."""
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode

# A file changed less than this before it was hashed may change again within its clock's step without its stat
# showing it ("racy git"): its stat is not recorded, so the next run hashes it again.
SETTLED_NS = 2_000_000_000


def input_hash(path: Path, known: tuple[str, Stat | None] | None = None, now_ns: int | None = None) -> tuple[str, Stat | None]:
    """An input's SHA-1 and the stat it was read at, or for one that cannot be read (a broken link, a pipe, no
    permission, gone since it was listed) a marker saying so and no stat: ingest then rejects it with its reason,
    and it is read again once it changes.

    known: the hash and stat of the last run; while the file's stat is that one, its bytes are not read again (a
    write changes the size or the times, a replacement by rename the inode; touching a file back to its old
    mtime still changes its ctime). The stat is returned only for a file settled SETTLED_NS before now_ns."""
    from newsdedup.ingest import not_a_file

    odd = not_a_file(path)
    if odd:
        return f"unreadable: {odd}", None
    try:
        st = path.stat()
        stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        if known is not None and known[1] == stat:
            return known[0], stat
        digest = file_hash(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}", None
    now_ns = time.time_ns() if now_ns is None else now_ns
    return digest, stat if max(st.st_mtime_ns, st.st_ctime_ns) < now_ns - SETTLED_NS else None


@dataclass(frozen=True)
class Plan:
    """What changed under the input folder since the state was saved."""

    hashes: dict[str, str]  # relative path -> sha1, for every input now present
    todo: list[str]  # new or changed files
    dropped: list[str]  # changed or removed files, whose earlier articles are checked against what they hold now
    files: dict[str, Path]  # relative path (as shown) -> the file
    stats: dict[str, Stat | None] = field(default_factory=dict)  # relative path -> the stat its hash holds for

    @property
    def nothing_new(self) -> bool:
        return not self.todo and not self.dropped

    def manifest(self) -> pl.DataFrame:
        """The manifest a run that read this plan's files leaves: every input's hash and stat."""
        stats = [self.stats.get(rel) or (None,) * len(_STAT) for rel in self.hashes]
        columns = {name: [stat[k] for stat in stats] for k, name in enumerate(_STAT)}
        return pl.DataFrame({"path": list(self.hashes), "sha1": list(self.hashes.values()), **columns}, schema=MANIFEST).sort("path")


def plan_run(root: Path, manifest: pl.DataFrame, now_ns: int | None = None, skip: tuple[Path, ...] = ()) -> Plan:
    """Compare the input folder with the manifest of processed inputs: by content hash, reading only the files whose
    stat differs from the manifest's (a manifest of an older version, without stats, has every file read). now_ns:
    the time of the look (by default now), which decides which files have settled; skip: folders that are no input
    (the output folder, when it lies inside the input folder)."""
    from newsdedup.ingest import input_name, list_inputs

    now_ns = time.time_ns() if now_ns is None else now_ns
    files = {input_name(root, p): p for p in list_inputs(root, skip)}
    stats = zip(*(manifest[c].to_list() for c in _STAT)) if set(_STAT) <= set(manifest.columns) else repeat(None)
    known = {
        rel: (digest, None if stat is None or None in stat else stat)
        for rel, digest, stat in zip(manifest["path"].to_list(), manifest["sha1"].to_list(), stats)
    }
    read = {rel: input_hash(p, known.get(rel), now_ns) for rel, p in files.items()}
    hashes = {rel: digest for rel, (digest, _) in read.items()}
    old = {rel: digest for rel, (digest, _) in known.items()}
    todo = sorted(rel for rel, digest in hashes.items() if old.get(rel) != digest)
    dropped = sorted(rel for rel in old if rel not in hashes or old[rel] != hashes[rel])
    return Plan(hashes, todo, dropped, files, {rel: stat for rel, (_, stat) in read.items()})
