"""The wire desk's question for one incoming article: a copy of something we have, an update, a new write-up
of a known story, or new? Answered from the saved state without changing it."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import connected_components
from threadpoolctl import ThreadpoolController

from newsdedup.config import Settings
from newsdedup.embed import Embedder, Embedders, as_embedders, free_cores, model_threads
from newsdedup.facts import (
    Sentence,
    Vocabulary,
    as_sentence,
    could_be_said,
    figure_text,
    figures_against,
    figures_changed,
    holds_words_of,
    is_fact_sentence,
    linked_figures,
    pasted_from,
    same_fact,
    said_already,
    sentence_key,
    slight,
    story_heads,
)
from newsdedup.html_report import (
    edits_words, headline_change_words, keeps_ending, keeps_opening, pasted_words, shortened_words, word_edits,
)
from newsdedup.normalize import (
    counts, dateline_change, numbers, numbers_within, paragraphs, shingle_hashes, split_sentences, words,
)
from newsdedup.ingest import named_by_file, stem_of, unversioned, version_of
from newsdedup.schema import DESK_PLACE, local_time
from newsdedup.state import State, term_rows_fit
from newsdedup.stories import (
    blend, cluster_dense, cluster_similarities, corrected_distance, days_of, embedding_text, mean_of_top, split_by_time,
    term_counts, too_far,
)
from newsdedup.syndication import (
    estimated_overlap, estimated_shared, fingerprint, is_copy, score_pair, signature_matrix, worth_verifying,
)

COPY, UPDATE, SAME_STORY, NEW = "copy", "update", "same_story", "new"
HELD = "held"  # the article itself is in the results already (its id, word for word): checked again, or added before
REJECTED = "rejected"  # an input that could not be checked (`check` says why in its object's "reason")
# TF-IDF rows of candidate representatives a desk keeps (a few KB each): a busy story's groups come back
# with every new write-up, and a long stream of checks must not grow without bound.
REP_TERMS_KEPT = 20_000
# Components of the candidate graph up to this many groups are clustered with a checked article as the run would
# (a dense matrix: a few ms at 100 groups, about 50 ms at 400); a bigger one, only the stories the article is close to.
DESK_DENSE_LIMIT = 400
# The added facts a verdict's line shows (its JSON lists them all)
ADDS_SHOWN = 5
# Every verdict's `of` (and a new one's `nearest`) has these keys: the article it copies, is held as or was compared
# with (for a story, its most complete version), and that article's story.
OF_KEYS = ("article_id", "title", "source", "syndicate_id", "story_id", "story_title", "canonical_article_id",
           "checked_before")


def _text_key(title: str | None, text: str) -> str:
    """A digest of an article's headline and words: what tells two articles of one name apart, and finds a held one."""
    return hashlib.sha1(f"{title or ''}\n{text}".encode()).hexdigest()


def _held_key(doc: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return _text_key(doc["title"], doc["text"]), doc.get("source"), doc.get("url")


def _version_rank(article_id: str, doc: dict[str, Any]) -> int:
    """The version of doc's wire item an article is (ingest.version_of), 0 for another item's article."""
    return version_of(article_id) if unversioned(article_id) == unversioned(doc["article_id"]) else 0


def _free_threads() -> int:
    """The model's threads for a check when desk.model_threads is 0: one per core free when the check first calls the
    model (at least one; one where that cannot be told)."""
    return free_cores() or 1


def desk_article(doc: dict[str, Any], name: str, file_name: str) -> dict[str, Any]:
    """An incoming article as `check --add` adds it: its path 'check:NAME' (schema.DESK_PLACE; an item keeps its
    place: 'check:feed.rss:3'); one without an id of its own, named after its file ('stdin', or any folder's
    'story.txt'), gets an id from that name and its words, 'check:story-1f2e3d4c': two different articles never
    share one, and the same article added twice has the same one."""
    path = DESK_PLACE + name + doc["path"][len(file_name) :]
    article_id = doc["article_id"]
    if named_by_file(article_id, doc["path"]):
        article_id = f"check:{stem_of(Path(name).name)}-{_text_key(doc['title'], doc['text'])[:8]}"
    return {**doc, "article_id": article_id, "path": path}


@dataclass
class Verdict:
    """What an incoming article is, relative to everything the state holds."""

    verdict: str
    article_id: str
    title: str
    of: dict[str, Any] | None = None  # the article it copies, or the story it belongs to
    similarity: float | None = None  # a copy's: the larger of its Jaccard and containment (both below)
    differs: list[str] = field(default_factory=list)
    adds: list[str] = field(default_factory=list)  # facts it adds
    ms: float = 0.0  # the check's time, a first model use's loading of the model not counted
    jaccard: float | None = None  # a copy's shingle Jaccard with the article it copies
    containment: float | None = None  # the share of the shorter text's shingles that the other holds
    nearest: dict[str, Any] | None = None  # a new one's: the story one of whose groups it is close to, not joined
    edits: list[dict[str, str]] = field(default_factory=list)  # a copy's: words changed, cut or added (html_report.Edit)
    days_apart: float | None = None  # a new one's whose `nearest` story is dated outside the time window: how far

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One readable line for a person at the desk."""
        head = f"{self.article_id}: {self.verdict.upper().replace('_', ' ')}"
        if self.verdict in (COPY, UPDATE):
            mine = self.of["article_id"] == self.article_id  # its own id: given again, or held in another version
            version = ("" if mine or unversioned(self.of["article_id"]) != unversioned(self.article_id)  # a wire's v1 of v2
                       else "earlier" if version_of(self.of["article_id"]) < version_of(self.article_id) else "later")
            of = ("its version checked above" if mine and self.of["checked_before"]
                  else f"{self.of['article_id']}, its {version} version checked above" if version and self.of["checked_before"]
                  else f"{self.of['article_id']} (checked above)" if self.of["checked_before"]
                  else "its held version" if mine
                  else f"{self.of['article_id']}, its held {version} version" if version else self.of["article_id"])
            head += f" of {of} ({self.of['title']!r}, {self.of['source'] or 'unknown source'})"
            head += f", Jaccard {self.jaccard:.2f}, containment {self.containment:.2f}"  # as the reports give them
        elif self.verdict == HELD:
            held_as = f" as {self.of['article_id']}" if self.of["article_id"] != self.article_id else ""
            head += f": in the results already{held_as}, story {self.of['story_id']} ({self.of['story_title']!r})"
        elif self.verdict == SAME_STORY and self.of["checked_before"]:  # a story new in this batch
            head += (f" as {self.of['article_id']} (checked above), a story new in this batch ({self.of['story_title']!r}), "
                     f"similarity {self.similarity:.2f}")  # its added facts: those that article lacks
        elif self.verdict == SAME_STORY:
            head += f": story {self.of['story_id']} ({self.of['story_title']!r}), similarity {self.similarity:.2f}"
        elif self.nearest and self.days_apart is not None:
            head += (f": near story {self.nearest['story_id']} ({self.nearest['story_title']!r}), similarity {self.similarity:.2f}, "
                     f"but dated {self.days_apart:g} days from it, beyond the time window (stories.time_window_days): "
                     "a run gives it a story of its own")
        elif self.nearest:
            head += (f": near story {self.nearest['story_id']} ({self.nearest['story_title']!r}), similarity {self.similarity:.2f}, "
                     "close to one of its versions but not to the story as a whole: a run gives it a story of its own")
        if self.differs:
            head += "; " + ", ".join(self.differs)
        if self.adds:  # the first few: a write-up of 40 new sentences is no line to read (--json lists them all)
            against = (f" its most complete version ({self.of['article_id']}) lacks"
                       if self.verdict == SAME_STORY and not self.of["checked_before"] and self.of["article_id"] else "")
            more = len(self.adds) - ADDS_SHOWN
            head += (f"; adds {len(self.adds)} fact{'s' if len(self.adds) > 1 else ''}{against}: "
                     + " | ".join(self.adds[:ADDS_SHOWN]) + (f" | and {more} more (--json lists them all)" if more > 0 else ""))
        return head


@dataclass(eq=False)
class _Probe:
    """What a story verdict compares of an article: its vector, day (nan: undated) and TF-IDF row, and the blended
    similarities to its closest held candidate groups (at most `stories.neighbours`, for its hubness)."""

    vector: np.ndarray
    day: float
    weigh: Callable[[], csr_matrix]  # its TF-IDF row, worked out when first needed (not for an article no group is near)
    near: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @cached_property
    def terms(self) -> csr_matrix:
        return self.weigh()


def _near_matrix(probes: list[_Probe], k: int) -> np.ndarray:
    """The articles' similarities to their closest held candidate groups (_Probe.near), a row each, -inf padded to k
    columns (at least one): what hubness takes beside the rows it is given."""
    near = np.full((len(probes), max(k, 1)), -np.inf)
    for row, probe in enumerate(probes):
        near[row, : len(probe.near)] = probe.near
    return near


@dataclass(eq=False)
class _Fresh:
    """An article of a batch in a story the state does not hold, and that story's first article (`head`: its row in
    Desk._fresh; an id may come twice in a batch)."""

    doc: dict[str, Any]
    probe: _Probe
    head: int


class Desk:
    """The state loaded once; then `check(document)` answers per article (a desk tool pays start-up once)."""

    def __init__(self, state: State, settings: Settings, models: Embedders | Embedder) -> None:
        self.state = state
        self.settings = settings
        self.models = as_embedders(models)
        self.embedder = self.models.stories  # articles
        self.sentence_embedder = self.models.facts  # sentences
        docs = state.documents
        self.docs = {r["article_id"]: r for r in docs.iter_rows(named=True)}
        self.stories = {
            r["story_id"]: r for r in state.canon.join(
                docs.select(pl.col("article_id").alias("canonical_article_id"), "title"), on="canonical_article_id"
            ).iter_rows(named=True)
        }
        story_of_group = dict(zip(docs["syndicate_id"].to_list(), docs["story_id"].to_list()))
        self._titles: dict[str, str] = {}
        self._by_text: dict[tuple, str] | None = None  # held articles by headline, text and outlet (_held_as), on first use
        self.story_members: dict[str, list[str]] = {}
        for article_id, story_id in zip(docs["article_id"].to_list(), docs["story_id"].to_list()):
            self.story_members.setdefault(story_id, []).append(article_id)
        rows_of: dict[str, list[int]] = {}
        first_day = docs.group_by("syndicate_id").agg(pl.col("published").min())
        by_row = state.groups.sort("row").join(first_day, on="syndicate_id", how="left", maintain_order="left")
        self.group_ids = by_row["syndicate_id"].to_list()
        self.group_days = days_of(by_row["published"])
        self.group_rep = by_row["representative"].to_list()
        self.group_hubs = by_row["hub"].fill_null(0.0).to_numpy()
        self.group_story = [story_of_group[group] for group in self.group_ids]  # each group row's story
        for row, story in enumerate(self.group_story):
            rows_of.setdefault(story, []).append(row)
        self.story_rows = {story: np.array(rows) for story, rows in rows_of.items()}  # each story's group rows
        # each group's component of the candidate graph (the run clusters a component at a time)
        row_of = state.groups.select("syndicate_id", "row")
        ends = state.edges.join(row_of.rename({"syndicate_id": "a", "row": "ra"}), on="a").join(
            row_of.rename({"syndicate_id": "b", "row": "rb"}), on="b"
        )
        n = len(self.group_ids)
        graph = csr_matrix((np.ones(ends.height), (ends["ra"].to_numpy(), ends["rb"].to_numpy())), shape=(n, n))
        self.group_comp = connected_components(graph, directed=False)[1]
        self.sketch_ids = state.sketches["article_id"].to_list()
        self.sketch_row = {a: i for i, a in enumerate(self.sketch_ids)}
        self.sketch_sizes = state.sketches["n_shingles"].to_numpy()
        # the facts stage's sentences, by story (sorted, so a story's rows are found by binary search)
        self.sentences = state.sentences.with_row_index("row").sort("story_id", maintain_order=True)
        self._shingles: dict[str, np.ndarray] = {}
        # TF-IDF weights stay as loaded while the desk checks (--add changes the state after the checks)
        self._idf = state.terms.idf()
        # group row -> the TF-IDF row of its representative, the least recently used dropped first
        self._rep_terms: OrderedDict[int, csr_matrix] = OrderedDict()
        self._canonical: dict[str, tuple[list[Sentence], np.ndarray]] = {}
        self._heads: dict[str, str] = {}
        # Sentence keys one more story would make house style (the facts stage's boilerplate rule), with the
        # stories that hold them: a sentence is boilerplate if, with the matched story, enough stories hold it.
        facts = settings.facts
        counts = state.story_keys.group_by("key").agg(pl.col("story_id").unique())
        recurring = counts.filter(pl.col("story_id").list.len() >= facts.boilerplate_min_stories - 1)
        self._recurring = {k: frozenset(ids) for k, ids in recurring.iter_rows()}
        self._threads = ThreadpoolController()
        self._batch: dict[str, tuple[dict[str, Any], np.ndarray, dict[str, Any]]] = {}  # check(batch=True)'s new ones
        self._fresh: list[_Fresh] = []  # check(batch=True)'s articles of stories the state does not hold, in order
        self._fresh_rows: dict[int, list[int]] = {}  # their stories: first article's row -> their rows in _fresh
        self._fresh_vectors = np.zeros((0, 0), np.float32)  # row i: _fresh[i]'s vector (capacity grows by doubling)
        self._fresh_days = np.zeros(0)
        self._fresh_titles: dict[tuple[int, int], str] = {}  # (story, its size) -> its title (_fresh_title)
        self._fresh_head: dict[str, int] = {}  # the batch's articles of its new stories, and their copies: id -> story
        self._fresh_copies: dict[int, list[dict[str, Any]]] = {}  # a new story's copies checked in this batch
        self._batch_ids: set[str] = set()  # the ids checked in this batch so far
        # the latest version of each wire item (unversioned id) checked in this batch that --add would add, as _batch
        self._batch_versions: dict[str, tuple[dict[str, Any], np.ndarray, dict[str, Any]]] = {}
        self._batch_keys: dict[tuple, str] = {}  # the batch's articles --add adds, by headline, text, outlet and address

    def _shingles_of(self, article_id: str) -> np.ndarray:
        if article_id not in self._shingles:
            self._shingles[article_id] = shingle_hashes(self.docs[article_id]["text"], self.settings.syndication.shingle_size)
        return self._shingles[article_id]

    def _brief(self, article_id: str) -> dict[str, Any]:
        """A held article as a verdict names it (OF_KEYS): its headline, outlet, copy group and story."""
        doc = self.docs[article_id]
        story = self._story_brief(doc["story_id"])
        return {
            "article_id": article_id,
            "title": doc["title"],
            "source": doc["source"],
            "syndicate_id": doc["syndicate_id"],
            **story,
        }

    def check(self, doc: dict[str, Any], batch: bool = False) -> Verdict:
        """The verdict for one ingested document (a row as ingest produces it).

        batch: one of a batch checked together (a feed's latest items): it is also compared with the articles of
        the batch checked before it that the state does not hold, so that two copies of a new story in one batch
        are a new article and a copy of it ("COPY of x (checked above)"), as a run (or `--add`) groups them."""
        start, loading = time.perf_counter(), self._load_seconds()
        held = self.docs.get(doc["article_id"])
        same = doc["article_id"] if held is not None and held.get("text") == doc["text"] else self._held_as(doc)
        if same is not None:  # not a copy of itself (also when its id here is not the held one's: 'x', 'feeds/x')
            verdict = Verdict(HELD, doc["article_id"], doc["title"], self._brief(same), 1.0)
            # the same words under another dateline ("QUETTA, Pakistan, Feb 1 (Reuters) -" for "Islamabad, Feb 2:")
            if dateline := dateline_change(doc.get("dateline"), self.docs[same].get("dateline")):
                verdict.differs.append(dateline)
            verdict.ms = round((time.perf_counter() - start) * 1000, 2)
            return verdict
        # One BLAS thread: numpy's BLAS threads spin on after each call and take the cores the model runs
        # on (measured at 100k: one article's embedding 32 -> 14 ms p50, 107 -> 18 ms p95); the desk's
        # matrix products are small enough for one thread. And the model on the cores free now (desk.model_threads
        # 0), or as many as the config says: its threads wait for each other at every layer, so with another process
        # busy on one of two cores (a scheduled run) one article's embedding took 900 ms instead of 27 ms on two
        # threads (18 ms with both cores free).
        (mine,), (signature,) = fingerprint([doc["text"]], self.settings.syndication)
        head = None
        with self._threads.limit(limits=1, user_api="blas"), model_threads(self.settings.desk.model_threads or _free_threads):
            held = self._copy_verdict(doc, mine, signature)
            earlier = batch and self._earlier_version_copy(doc, mine)
            if earlier and held and _version_rank(held.of["article_id"], doc) > _version_rank(earlier.of["article_id"], doc):
                earlier = None  # a later version of its item is held (v3 held, v2 checked above, v4 checked)
            verdict = earlier or held or (batch and self._batch_copy(doc, mine))
            if not verdict:
                probe = self._probe(doc)
                verdict, head = self._story_verdict(doc, probe, self._fresh_heads(probe) if batch else set())
        # The batch's next articles are compared with this one (a copy of it, another write-up of its story) unless
        # `--add` would not add it: another version of a held article, an id this batch gave already, or the same
        # article as one it gave under another id.
        article_id = doc["article_id"]
        added = (batch and article_id not in self.docs and article_id not in self._batch_ids
                 and self.given_as(doc) is None)
        if added and verdict.verdict in (NEW, SAME_STORY):
            if verdict.verdict == SAME_STORY and not verdict.of["checked_before"]:  # a held story
                story = {k: verdict.of[k] for k in ("story_id", "story_title", "canonical_article_id")}
            else:  # a story new here: kept with the batch's new stories
                self._add_fresh(_Fresh(doc, probe, len(self._fresh) if head is None else head))
                story = {"story_id": None, "story_title": self._fresh_title(self._fresh[-1].head), "canonical_article_id": None}
            brief = {"article_id": article_id, "title": doc["title"], "source": doc["source"],
                     "syndicate_id": None, **story, "checked_before": True}
            self._batch[article_id] = (doc, mine, brief)
        elif added:  # a copy: the next ones may copy it (the longer original a trim came before), in its original's story
            brief = {**verdict.of, "article_id": article_id, "title": doc["title"], "source": doc["source"], "checked_before": True}
            self._batch[article_id] = (doc, mine, brief)
            if (head := self._fresh_head.get(verdict.of["article_id"])) is not None:  # of a story new in this batch: its
                self._fresh_head[article_id] = head        # write-ups are compared with the longest version, this one too
                self._fresh_copies.setdefault(head, []).append(doc)
        kept = self._batch_versions.get(unversioned(article_id))
        if added and (kept is None or version_of(kept[0]["article_id"]) < version_of(article_id)):
            # a wire's next version in this batch is compared with its latest one first (_earlier_version_copy)
            self._batch_versions[unversioned(article_id)] = self._batch[article_id]
        if batch:
            self._batch_ids.add(article_id)
        if added:
            self._batch_keys[_held_key(doc)] = article_id
        # without the model's loading at its first use (seconds, once per desk): a desk's p95 is its checks'
        verdict.ms = round((time.perf_counter() - start - (self._load_seconds() - loading)) * 1000, 2)
        return verdict

    def _load_seconds(self) -> float:
        """How long loading the models took so far (an embedder that says: SentenceTransformerEmbedder)."""
        return sum(getattr(model, "load_seconds", 0.0) for model in {id(m): m for m in self.models}.values())

    def _earlier_version_copy(self, doc: dict[str, Any], mine: np.ndarray) -> Verdict | None:
        """doc (its shingles `mine`) as a copy of the earlier version of its item checked in this batch (a ninjs v2
        after its v1: 'URI@v2' after 'URI'), when it is one: its own item's version is its original, whichever held
        article that version copies too (as a held earlier version is, in _copy_verdict)."""
        found = self._batch_versions.get(unversioned(doc["article_id"]))
        if found is None or version_of(found[0]["article_id"]) >= version_of(doc["article_id"]):
            return None
        other, shingles, brief = found
        score = score_pair(mine, shingles)
        if not is_copy(score, self.settings.syndication):
            return None
        return self._as_copy(doc, mine, {**other, "story_id": brief["story_id"], "syndicate_id": brief["syndicate_id"]},
                             shingles, score, brief)

    def _batch_copy(self, doc: dict[str, Any], mine: np.ndarray) -> Verdict | None:
        """doc (its shingles `mine`) as a copy of an article checked before it in its batch (not held): the one
        holding most of it, then the closest; None when it copies none."""
        if not self._batch:
            return None
        cfg = self.settings.syndication
        best = None
        for other, shingles, brief in self._batch.values():
            score = score_pair(mine, shingles)
            if is_copy(score, cfg) and (best is None or (score.shared, score.jaccard) > (best[3].shared, best[3].jaccard)):
                best = (other, shingles, brief, score)
        if best is None:
            return None
        other, shingles, brief, score = best
        return self._as_copy(doc, mine, {**other, "story_id": brief["story_id"], "syndicate_id": None}, shingles, score, brief)

    def _probe(self, doc: dict[str, Any]) -> _Probe:
        """What the story verdicts compare: the article's vector, its TF-IDF row (the state's weights) and its day."""
        text = embedding_text(doc["title"], doc["text"])
        published = doc.get("published")
        return _Probe(
            self.embedder.embed([text])[0], np.nan if published is None else published.timestamp() / 86400.0,
            lambda: self.state.terms.weigh(term_counts([text]), self._idf),
        )

    def _fresh_heads(self, probe: _Probe) -> set[int]:
        """The stories new in this batch (by their first article's row) of which the article has a candidate pair: an
        article within stories.candidate_distance (embedding) and the time window."""
        cfg = self.settings.stories
        n = len(self._fresh)
        if not n:
            return set()
        sims = self._fresh_vectors[:n] @ probe.vector
        close = (1.0 - sims <= cfg.candidate_distance) & ~too_far(self._fresh_days[:n], np.full(n, probe.day), cfg.time_window_days)
        return {self._fresh[i].head for i in np.flatnonzero(close)}

    def _fresh_verdict(self, doc: dict[str, Any], probe: _Probe, head: int) -> Verdict:
        """The verdict for an article of a story new in this batch (`head`: its first article's row): the same story
        "as" the longest write-up of it checked so far, with the facts it adds to that one (the run picks the most
        complete version once all are in, and the longest is the likeliest); its similarity, the closest article's."""
        rows = self._fresh_rows[head]
        story = [self._fresh[i] for i in rows]
        versions = self._fresh_versions(head)
        longest = max(versions, key=lambda d: d["n_words"])  # the first of equals
        sims = self._fresh_vectors[rows] @ probe.vector
        cfg = self.settings.stories
        if cfg.embedding_weight < 1.0:
            sims = blend(sims, (vstack([f.probe.terms for f in story]) @ probe.terms.T).toarray().ravel(), cfg)
        of = {"article_id": longest["article_id"], "title": longest["title"], "source": longest["source"],
              "syndicate_id": None, "story_id": None, "story_title": self._fresh_title(head), "canonical_article_id": None,
              "checked_before": True}
        adds, differs = self._adds_to(doc, longest, versions)
        return Verdict(SAME_STORY, doc["article_id"], doc["title"], of, round(float(sims.max()), 4), differs, adds)

    def _joined_fresh(self, probe: _Probe, heads: set[int]) -> int | None:
        """The batch's new story (its first article's row) that average linkage puts the article in, among those
        (heads) it has a candidate pair in, or None, when no held group is close to it: over those stories' articles
        (up to DESK_DENSE_LIMIT, the closest), each one's hubness taken over its held candidates (_Probe.near) and
        these articles, as a run takes it over the component it clusters."""
        cfg = self.settings.stories
        rows = [i for head in sorted(heads) for i in self._fresh_rows[head]]
        if len(rows) >= DESK_DENSE_LIMIT:  # the closest only, as _joined_groups bounds its matrix
            rows = sorted(rows, key=lambda i: -float(self._fresh_vectors[i] @ probe.vector))[: DESK_DENSE_LIMIT - 1]
        vectors = np.vstack([self._fresh_vectors[rows], probe.vector[None, :]])
        sims = vectors @ vectors.T
        if cfg.embedding_weight < 1.0:
            words = vstack([*(self._fresh[i].probe.terms for i in rows), probe.terms]).tocsr()
            sims = blend(sims, (words @ words.T).toarray(), cfg)
        days = np.append(self._fresh_days[rows], probe.day)
        held = _near_matrix([*(self._fresh[i].probe for i in rows), probe], cfg.neighbours)
        labels = split_by_time(cluster_similarities(sims, days, cfg, also=held)[0], days, cfg.time_window_days)
        return self._most_joined(np.array(rows)[labels[:-1] == labels[-1]])

    def _most_joined(self, fresh: np.ndarray) -> int | None:
        """The batch's new story most of these articles (rows of _fresh) belong to, the earliest of equals; or None."""
        found = [self._fresh[i].head for i in fresh]
        return min(set(found), key=lambda h: (-found.count(h), h)) if found else None

    def _add_fresh(self, fresh: _Fresh) -> None:
        """Keep an article of a story new in this batch (its vector and day in arrays grown by doubling)."""
        n = len(self._fresh)
        if n == len(self._fresh_days):
            grown = max(16, 2 * n)
            self._fresh_vectors = np.resize(self._fresh_vectors, (grown, len(fresh.probe.vector))) if n else np.zeros(
                (grown, len(fresh.probe.vector)), np.float32)
            self._fresh_days = np.resize(self._fresh_days, grown)
        self._fresh_vectors[n] = fresh.probe.vector
        self._fresh_days[n] = fresh.probe.day
        self._fresh.append(fresh)
        self._fresh_rows.setdefault(fresh.head, []).append(n)
        self._fresh_head[fresh.doc["article_id"]] = fresh.head

    def _fresh_versions(self, head: int) -> list[dict[str, Any]]:
        """The articles of a story new in this batch (`head`: its first article's row), then their copies checked in
        it: a trim checked before its full original is no longer the story's longest version once that one is in."""
        return [*(self._fresh[i].doc for i in self._fresh_rows[head]), *self._fresh_copies.get(head, [])]

    def _fresh_title(self, head: int) -> str:
        """The title of a story new in this batch as the reports would give it (report.story_title), its longest
        write-up taken for its most complete version; once per story and size."""
        from newsdedup.report import story_title

        versions = self._fresh_versions(head)
        key = (head, len(versions))
        if key not in self._fresh_titles:
            story = [{**doc, "syndicate_id": None} for doc in versions]
            longest = max(story, key=lambda d: d["n_words"])
            self._fresh_titles[key] = story_title(story, longest["article_id"])
        return self._fresh_titles[key]

    def given_as(self, doc: dict[str, Any]) -> str | None:
        """The article of this batch, checked before doc, that `--add` adds and that has doc's very headline, text,
        outlet and address under another id (as _held_as finds a held one), or None."""
        first = self._batch_keys.get(_held_key(doc))
        return first if first != doc["article_id"] else None

    def _held_as(self, doc: dict[str, Any]) -> str | None:
        """The held article with this very headline, text, outlet and address, under whatever id (an input of a
        folder is 'feeds/x' there, 'x' when checked alone), or None. The same text from another outlet, or at
        another address, is a copy, as a run holds it: the desk would lose that outlet's republication."""
        if self._by_text is None:
            self._by_text = {_held_key(r): a for a, r in sorted(self.docs.items(), reverse=True)}
        return self._by_text.get(_held_key(doc))

    def _copy_verdict(self, doc: dict[str, Any], mine: np.ndarray, signature) -> Verdict | None:
        """doc (its shingles `mine`, their MinHash `signature`) as a copy of a held article, or None."""
        cfg = self.settings.syndication
        found = self.state.lsh.query(signature) if self.state.lsh is not None else []
        # a held article read again in a new version (its text changed: check() said "held" otherwise) is compared
        # with its held version too: a wire's re-send under the item's id is an update of it, with what it adds
        rows = np.array([self.sketch_row[a] for a in found if a in self.docs and a in self.sketch_row], dtype=np.int64)
        if not len(rows):
            return None
        # MinHash estimates pick the candidates worth verifying; the verdict rests on the exact shingle sets.
        est_j, est_c = estimated_overlap(
            signature_matrix([signature], cfg.num_perm)[0], len(mine), self.state.signatures[rows], self.sketch_sizes[rows]
        )
        keep = worth_verifying(est_j, est_c, cfg)
        # Of the copies, the one holding most of this text is its original: a trimmed copy's full original, and
        # for a wire update, the previous version (not a newspaper's trimmed copy, which this text contains);
        # then the closest (Jaccard). Candidates are tried by their estimated share of this text.
        guesses = np.minimum(estimated_shared(est_j, len(mine), self.sketch_sizes[rows]) / max(len(mine), 1), 1.0)[keep]
        own = np.array([unversioned(self.sketch_ids[r]) == unversioned(doc["article_id"]) for r in rows[keep]], dtype=bool)
        order = np.lexsort((-guesses, ~own))  # its own held version first (held() prefers it at an equal share)
        best = None

        def held(other: str, score) -> tuple:
            # the share of this text it holds, then its own held version (a re-send under its id), then the first
            # published (of versions holding as much of it: a wire's version, not a site's copy of it that this text
            # matches as closely), then the closest
            when = self.docs[other].get("published")
            return (round(score.shared / max(len(mine), 1), 2), unversioned(other) == unversioned(doc["article_id"]),
                    -(when.timestamp() if when else float("inf")), score.jaccard)

        tried = set()
        for row, guess in zip(rows[keep][order], guesses[order]):
            if best is not None and best[1][0] >= min(1.0, guess + cfg.estimate_margin):
                break  # the rest cannot plausibly beat the copy already verified
            other = self.sketch_ids[row]
            tried.add(other)
            score = score_pair(mine, self._shingles_of(other))
            if is_copy(score, cfg):
                share = held(other, score)
                if best is None or share > best[1]:
                    best = (other, share, score)
        if best is None:
            return None
        # Candidates left untried may hold as much and be published earlier: those only, earliest first.
        when_best = -best[1][2]
        earlier = [
            (self.docs[o]["published"].timestamp(), o)
            for row, guess in zip(rows[keep], guesses)
            if (o := self.sketch_ids[row]) not in tried and guess + cfg.estimate_margin >= best[1][0]
            and self.docs[o].get("published") is not None and self.docs[o]["published"].timestamp() < when_best
        ]
        for _, other in sorted(earlier):
            score = score_pair(mine, self._shingles_of(other))
            if is_copy(score, cfg) and (share := held(other, score)) > best[1]:
                best = (other, share, score)
                break
        return self._as_copy(doc, mine, self.docs[best[0]], self._shingles_of(best[0]), best[2], self._brief(best[0]))

    def _as_copy(
        self, doc: dict[str, Any], mine: np.ndarray, original: dict[str, Any], theirs: np.ndarray, score, brief: dict[str, Any]
    ) -> Verdict:
        """The copy (or update) verdict for doc, whose shingles are `mine`, against the original it copies: what
        differs, what it adds."""
        cfg = self.settings.syndication
        differs = []
        if headline := headline_change_words(doc["title"], doc["text"], original["title"], original["text"]):
            differs.append(headline)
        if dateline := dateline_change(doc.get("dateline"), original.get("dateline")):
            differs.append(dateline)
        if doc["n_words"] < 0.95 * original["n_words"]:
            # a trim takes the bottom; a copy that keeps the original's last words lost text inside it (a
            # paragraph cut from the middle is what an editor reads for), as the reports tell them apart
            # (and one keeping neither its original's first words was cut from the top: a lead paragraph dropped)
            inside = keeps_ending(doc["text"], original["text"])
            differs.append(shortened_words(doc["n_words"] / original["n_words"], inside,
                                           inside and not keeps_opening(doc["text"], original["text"]), "% of the original"))
        # Sentences whose word shingles the original mostly lacks are what this copy adds, and so are sentences
        # stating a number it lacks (an update's "at least 160 people" in a lede the original gives with 145);
        # a copy whose shingles all occur in the original adds nothing, and needs no sentence splitting.
        adds, new_text = [], []
        extra = not np.isin(mine, theirs, assume_unique=True).all()
        stated = numbers(original["text"]) if extra else frozenset()
        for sentence in self._sentences_not_all_in(doc["text"], theirs) if extra else []:
            grams = shingle_hashes(sentence, cfg.shingle_size)
            if not self._may_be_fact(sentence, original["story_id"]):
                continue
            if len(grams) and np.isin(grams, theirs, assume_unique=True).mean() < 0.5:
                adds.append(sentence)
                new_text.append(sentence)
            elif not numbers_within(numbers(sentence), stated):
                adds.append(sentence)  # the original's sentence with another figure: said by the edits below
        given_otherwise: list[str] = []
        if new_text:
            # where the added text comes from: another version of the story (an update pasting an outlet's lines)
            others = [self.docs[a] for a in self.story_members.get(original["story_id"], [])
                      if self.docs[a]["syndicate_id"] != original["syndicate_id"]]
            # the facts stage's rule on the added sentences, against the original: one restating what it says adds no
            # fact, and one counting what it counts with another number ("160 people had been killed" added to a text
            # giving "at least 145 people") gives that figure otherwise, as a write-up's would
            held = original["article_id"] if original["article_id"] in self.docs else original
            facts_added, given_otherwise = self._adds_to({**doc, "text": "\n\n".join(new_text)}, held, against="the original")
            left = set(new_text) - set(facts_added)  # said by the original, or too slight to list (facts.slight)
            adds = [s for s in adds if s not in left]
            slight_ones = {s for s in left if slight(as_sentence(s), self.settings.facts)}
            why = ("" if len(left) < len(new_text) else ", restating the original" if not slight_ones
                   else ", no fact in it" if slight_ones == left else ", restating the original or no fact in it")
            differs.append("text added" + pasted_words(pasted_from(new_text, others), quote="") + why)
        if adds:
            differs += figures_changed(adds, split_sentences(original["text"]))
        differs += [g for g in given_otherwise if g not in differs]
        # a correction: a word cut ("he would not be sent"), a name or a figure changed, as the reports say it
        edits = word_edits(doc["text"], original["text"]) if extra else []
        if edits:
            differs.append(edits_words(edits))
        return Verdict(
            UPDATE if adds else COPY, doc["article_id"], doc["title"], brief,
            round(max(score.jaccard, score.containment), 4), differs, adds,
            jaccard=round(score.jaccard, 4), containment=round(score.containment, 4),
            edits=[{"what": e.what, "sentence": e.sentence} for e in edits],
        )

    def _may_be_fact(self, sentence: str, story_id: str) -> bool:
        """The facts stage's rule for a sentence joining a story: long enough, not a furniture line, and not
        house style (its key in boilerplate_min_stories stories, this one counted)."""
        key = sentence_key(sentence)
        if not is_fact_sentence(sentence, key, set(), self.settings.facts):
            return False
        holders = self._recurring.get(key)
        return holders is None or len(holders | {story_id}) < self.settings.facts.boilerplate_min_stories

    def _sentences_not_all_in(self, text: str, theirs: np.ndarray) -> list[str]:
        """Sentences of the paragraphs holding a shingle the original lacks (split_sentences works paragraph
        by paragraph, so the others cannot add anything, and the sentence splitter skips them)."""
        out = []
        for para in paragraphs(text):
            grams = shingle_hashes(para, self.settings.syndication.shingle_size)
            if len(grams) and not np.isin(grams, theirs, assume_unique=True).all():
                out += split_sentences(para)
        return out

    def _story_verdict(self, doc: dict[str, Any], probe: _Probe, heads: set[int]) -> tuple[Verdict, int | None]:
        """The story the clustering would put this article in: none unless a candidate group is within the distance
        threshold (the same blended, hubness-corrected distance, with the kept hubness values); then average linkage
        over the components of the candidate graph it links, as a run clusters them (_joined_groups), says which.
        heads: the stories new in this batch it has a candidate pair in (_fresh_heads), clustered with those: an
        article of one of them is that story's (its first article's row returned beside the verdict)."""
        cfg = self.settings.stories
        if self.state.vectors.size == 0:
            return self._fresh_or_new(doc, probe, heads, None)
        vector, day = probe.vector, probe.day
        sims = self.state.vectors @ vector
        rows = np.flatnonzero(1.0 - sims <= cfg.candidate_distance)
        outside = np.empty(0, dtype=rows.dtype)  # candidates dated further away than the window: a run never joins them
        if not np.isnan(day):
            far = too_far(self.group_days[rows], np.full(len(rows), day), cfg.time_window_days)
            rows, outside = rows[~far], rows[far]

        def new_or_near(similarity: float) -> tuple[Verdict, int | None]:
            # new (or the batch's story it joins); a new one close to a held story outside the window names it
            verdict, head = self._fresh_or_new(doc, probe, heads, similarity)
            if verdict.verdict == NEW and len(outside):
                self._near_outside_window(verdict, probe, sims, outside)
            return verdict, head

        if not len(rows):
            return new_or_near(float(sims.max()))
        rows, blended, mine, dist = self._candidate_distances(probe, sims, rows)
        probe.near = np.sort(blended[blended >= cfg.min_similarity])[::-1][: cfg.neighbours]
        near = rows[dist <= cfg.distance_threshold]
        if not len(near):
            return new_or_near(float(blended.max()))
        fresh = np.array([i for head in sorted(heads) for i in self._fresh_rows[head]], dtype=np.int64)
        joined, fresh_joined = self._joined_groups(
            vector, probe.terms, day, mine, near, rows[blended >= cfg.min_similarity], fresh)
        story_of = [self.group_story[r] for r in rows[np.argsort(dist, kind="stable")]]
        if not len(joined) and (head := self._most_joined(fresh_joined)) is not None:  # the batch's own, no held story
            return self._fresh_verdict(doc, probe, head), head
        if not len(joined):  # close to a group of a story, not to the story as a whole: the run sets it apart
            return Verdict(NEW, doc["article_id"], doc["title"], similarity=round(float(blended.max()), 4),
                           nearest=self._story_of(story_of[0])), None
        held = [self.group_story[r] for r in joined]
        story_id = min(set(held), key=lambda s: (-held.count(s), story_of.index(s) if s in story_of else len(story_of), s))
        brief = self._story_of(story_id)
        adds, differs = self._adds_to(doc, brief["canonical_article_id"]) if brief["canonical_article_id"] else ([], [])
        with_it = np.isin(rows, joined)
        similarity = float(blended[with_it].max()) if with_it.any() else float(blended.max())
        return Verdict(SAME_STORY, doc["article_id"], doc["title"], brief, round(similarity, 4), differs, adds), None

    def _candidate_distances(
        self, probe: _Probe, sims: np.ndarray, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
        """Of held groups `rows`, the clustering's candidates for the article (the max_candidates closest by cosine,
        `sims` over all groups), their blended similarities to it, its hubness among them, and their hubness-corrected
        distances to it (infinite below min_similarity), as the clustering measures them."""
        cfg = self.settings.stories
        rows = rows[np.argsort(-sims[rows], kind="stable")[: cfg.max_candidates]]
        blended = sims[rows]
        if cfg.embedding_weight < 1.0:
            blended = blend(blended, self._term_similarities(probe.terms, rows), cfg)
        mine = mean_of_top(blended[None, :], cfg.neighbours)[0] if cfg.neighbours else 0.0
        dist = corrected_distance(blended, mine, self.group_hubs[rows], cfg)
        dist[blended < cfg.min_similarity] = np.inf
        return rows, blended, mine, dist

    def _fresh_or_new(
        self, doc: dict[str, Any], probe: _Probe, heads: set[int], similarity: float | None
    ) -> tuple[Verdict, int | None]:
        """No held group is close: the batch's new story it joins (_joined_fresh), or new."""
        head = self._joined_fresh(probe, heads) if heads else None
        if head is not None:
            return self._fresh_verdict(doc, probe, head), head
        return Verdict(NEW, doc["article_id"], doc["title"],
                       similarity=None if similarity is None else round(similarity, 4)), None

    def _near_outside_window(self, verdict: Verdict, probe: _Probe, sims: np.ndarray, outside: np.ndarray) -> None:
        """A new article's verdict names the held story closest to it among the groups `outside` the time window, and
        the days between them (`days_apart`), when that group lies within the story distance (measured among them as
        _candidate_distances measures the window's): an editor asking "is this new?" learns of the older story."""
        rows, blended, _, dist = self._candidate_distances(probe, sims, outside)
        best = int(np.argmin(dist))
        if dist[best] > self.settings.stories.distance_threshold:
            return
        verdict.nearest = self._story_of(self.group_story[rows[best]])
        verdict.similarity = round(float(blended[best]), 4)
        verdict.days_apart = round(float(abs(self.group_days[rows[best]] - probe.day)), 1)

    def _story_brief(self, story_id: str) -> dict[str, Any]:
        """A held story's part of a verdict's `of`: its id, its title as the reports give it, its most complete
        version, and that it is held (not checked before in this batch)."""
        story = self.stories.get(story_id)
        return {
            "story_id": story_id,
            "story_title": self._story_title(story_id) if story else "",
            "canonical_article_id": story["canonical_article_id"] if story else None,
            "checked_before": False,
        }

    def _story_of(self, story_id: str) -> dict[str, Any]:
        """A held story as a verdict names it (OF_KEYS): its most complete version and the story."""
        story = self._story_brief(story_id)
        if story["canonical_article_id"] in self.docs:
            return self._brief(story["canonical_article_id"])
        return {"article_id": None, "title": None, "source": None, "syndicate_id": None, **story}

    def _joined_groups(
        self, vector: np.ndarray, mine_terms: csr_matrix, day: float, mine: float, near: np.ndarray, linked: np.ndarray,
        fresh: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The group rows, and the articles of the batch's new stories (fresh: rows of _fresh), that average linkage
        puts with the article. The components of the candidate graph that its candidate pairs (linked) join are
        clustered with it and those articles as the run clusters them (stories.cluster_dense, hubness among them,
        which the article raises); above DESK_DENSE_LIMIT, every group of the stories its close candidates (near)
        belong to, with their kept hubness values (and each fresh article's over its held candidates)."""
        cfg = self.settings.stories
        local = np.flatnonzero(np.isin(self.group_comp, self.group_comp[linked]))
        if len(fresh) > DESK_DENSE_LIMIT // 2:  # a very big story of the batch: its articles closest to this one
            fresh = fresh[np.argsort(-(self._fresh_vectors[fresh] @ vector), kind="stable")[: DESK_DENSE_LIMIT // 2]]
        hub = None
        if len(local) + len(fresh) + 1 > min(DESK_DENSE_LIMIT, cfg.max_dense_component):  # too big: its stories only
            stories = {self.group_story[r] for r in near}
            local = np.unique(np.concatenate([self.story_rows[s] for s in sorted(stories)]))
            held = _near_matrix([self._fresh[i].probe for i in fresh], cfg.neighbours)
            hubs = mean_of_top(held, cfg.neighbours) if cfg.neighbours else np.zeros(len(fresh))
            hub = np.concatenate([self.group_hubs[local], hubs, [mine]])
        theirs = self._fresh_vectors[fresh] if len(fresh) else np.zeros((0, len(vector)), np.float32)
        vectors = np.vstack([self.state.vectors[local], theirs, vector[None, :]])
        words = None
        if cfg.embedding_weight < 1.0:
            words = vstack([self._rep_term_rows(local), *(self._fresh[i].probe.terms for i in fresh), mine_terms]).tocsr()
        days = np.concatenate([self.group_days[local], self._fresh_days[fresh], [day]])
        labels = split_by_time(cluster_dense(vectors, words, days, cfg, hub)[0], days, cfg.time_window_days)
        with_it = labels[:-1] == labels[-1]
        return local[with_it[: len(local)]], fresh[with_it[len(local) :]]

    def _story_title(self, story_id: str) -> str:
        """The story's title as the reports give it (report.story_title: a real headline, no "UPDATE 2-"), worked out
        once per story."""
        title = self._titles.get(story_id)
        if title is None:
            from newsdedup.report import story_title

            members = [self.docs[a] for a in self.story_members.get(story_id, [])]
            story = self.stories[story_id]
            title = self._titles[story_id] = story_title(members, story["canonical_article_id"]) if members else story["title"]
        return title

    def _rep_term_rows(self, rows: np.ndarray) -> csr_matrix:
        """The TF-IDF rows of the groups' representatives: weighed from the run's own word counts, kept row for row
        in the state; a state saved before they were kept has its representatives counted once per desk (the
        candidates of a busy story come back with every new write-up)."""
        if term_rows_fit(self.state):
            return self.state.terms.weigh(self.state.term_rows[rows], self._idf)
        cache, wanted = self._rep_terms, [int(r) for r in rows]
        missing = [r for r in wanted if r not in cache]
        if missing:
            weighted = self.state.terms.weigh(
                term_counts([embedding_text(d["title"], d["text"]) for d in (self.docs[self.group_rep[r]] for r in missing)]), self._idf
            )
            for i, r in enumerate(missing):
                cache[r] = weighted.getrow(i)
        out = vstack([cache[r] for r in wanted]).tocsr() if wanted else csr_matrix((0, len(self._idf)))
        for r in wanted:
            cache.move_to_end(r)
        while len(cache) > REP_TERMS_KEPT:
            cache.popitem(last=False)
        return out

    def _term_similarities(self, mine: csr_matrix, rows: np.ndarray) -> np.ndarray:
        """Cosine of the article's TF-IDF row (mine) and each group's representative's."""
        return (self._rep_term_rows(rows) @ mine.T).toarray().ravel()

    def _canonical_sentences(self, canonical: dict[str, Any]) -> tuple[list[Sentence], np.ndarray]:
        """The fact sentences of a story's most complete version (a held article, or one checked before in the
        batch), parsed, and their vectors, once per desk (hot stories repeat). The facts stage kept where they lie
        and their vectors in the state; a story it kept none for (the desk benchmark's stand-ins, a story new in
        this batch) has them split and embedded here."""
        canonical_id, story_id, text = canonical["article_id"], canonical.get("story_id"), canonical["text"]
        # an article of a batch by its words: it may have a held one's id, or an earlier one's of the batch
        key = (canonical_id, None if story_id is not None else _text_key(canonical["title"], text))
        if key not in self._canonical:
            ids = self.sentences["story_id"]
            if story_id is None:
                story = self.sentences.clear()
            else:
                lo, hi = ids.search_sorted(story_id, side="left"), ids.search_sorted(story_id, side="right")
                story = self.sentences.slice(lo, hi - lo)
            if story.height:  # as the facts stage saw them: where they lie, and their vectors; no splitting
                spans = story.filter(pl.col("start").is_not_null()).sort("start")
                theirs = [text[a:b] for a, b in zip(spans["start"].to_list(), spans["end"].to_list())]
                vectors = np.asarray(self.state.sentence_vectors[spans["row"].to_numpy()])
            else:
                theirs = split_sentences(text)
                vectors = self.sentence_embedder.embed(theirs) if theirs else np.zeros((0, 1), np.float32)
            parsed = [replace(as_sentence(t), article_ids=[canonical_id], figures=tuple(counts(t))) for t in theirs]
            self._canonical[key] = (parsed, vectors if len(theirs) else np.zeros((0, 1), np.float32))
        return self._canonical[key]

    def _adds_to(
        self, doc: dict[str, Any], canonical: str | dict[str, Any], story: list[dict[str, Any]] | None = None,
        against: str = "the most complete version",
    ) -> tuple[list[str], list[str]]:
        """Sentences of doc that the story's most complete version (a held article's id; or an article checked before
        in this batch, and the articles of its story there) does not already say, and the counts among them it gives
        another number for ("more than 120 people where the most complete version gives at least 145 people", as
        the facts stage's differs_from).

        The facts stage's rule for one sentence, with the cheap half first: a sentence the most complete
        version holds word for word is said; one stating a number it lacks is new, and so is one sharing too
        few content words with it (could_be_said). Only the rest are embedded and compared by meaning: said
        when said_already says so, or when it states the same fact as one of the version's sentences
        (same_fact), as the facts stage, which groups those, lists such a sentence only for a number the
        version lacks, not for a name ("Prime Minister Shehbaz Sharif said" where it says "Sharif said").
        A new sentence counting what a sentence of the version counts is embedded with them, to find figures
        the two give differently (linked_figures).
        """
        cfg = self.settings.facts
        version = self.docs[canonical] if isinstance(canonical, str) else {**canonical, "story_id": None}
        story_id = version["story_id"]
        mine = [s for s in split_sentences(doc["text"]) if self._may_be_fact(s, story_id)]
        if not mine:
            return [], []
        said_words = words(version["text"])
        vocab, figures_said = Vocabulary(said_words), numbers(version["text"])
        flat = f" {' '.join(said_words)} "
        parsed = [as_sentence(s) for s in mine]
        said = [f" {p.key} " in flat or slight(p, cfg) for p in parsed]  # a slight one is listed by no run either
        unsure = [i for i in range(len(mine)) if not said[i] and numbers_within(parsed[i].numbers, figures_said)]
        counting = {
            i: found for i in range(len(mine)) if not said[i] and parsed[i].numbers and (found := tuple(counts(mine[i])))
        }
        if not (unsure or counting):
            return [s for s, seen in zip(mine, said) if not seen], []
        theirs, their_vectors = self._canonical_sentences(version)
        if unsure:
            words_said = frozenset().union(*(t.content for t in theirs))
            unsure = [i for i in unsure if self._could_be_said(parsed[i], theirs, words_said, vocab)]
        counted_there = {about for t in theirs for about, *_ in t.figures}
        counted = [i for i, found in counting.items() if any(about in counted_there for about, *_ in found)]
        embedded = sorted(set(unsure) | set(counted))
        if not embedded:
            return [s for s, seen in zip(mine, said) if not seen], []
        row = {i: k for k, i in enumerate(embedded)}
        vectors = np.vstack([self.sentence_embedder.embed([mine[i] for i in embedded]), their_vectors])
        sents = [parsed[i] for i in embedded] + theirs
        sims = vectors @ vectors.T
        own = np.arange(len(embedded), len(sents))
        if unsure:
            covered = said_already(sims, sents, own, vocab, figures_said, cfg)
            for i in unsure:
                k = row[i]
                close = own[sims[k, own] >= cfg.same_fact_similarity]
                said[i] = bool(covered[k]) or any(same_fact(float(sims[k, j]), sents[k], sents[j], cfg) for j in close)
        differs = self._figures_given_otherwise(
            [i for i in counted if not said[i]], parsed, counting, row, sims, theirs, doc, version,
            story_heads([doc]) + " | " + (self._heads_of(story_id) if story is None else story_heads(story)), against,
        )
        return [s for s, seen in zip(mine, said) if not seen], differs

    def _heads_of(self, story_id: str) -> str:
        """The headlines and datelines of a story's versions, as the facts stage reads them (story_heads)."""
        if story_id not in self._heads:
            self._heads[story_id] = story_heads(self.docs[a] for a in self.story_members.get(story_id, []))
        return self._heads[story_id]

    def _figures_given_otherwise(
        self, counted: list[int], parsed: list[Sentence], counting: dict[int, tuple], row: dict[int, int],
        sims: np.ndarray, theirs: list[Sentence], doc: dict[str, Any], version: dict[str, Any], heads: str,
        against: str = "the most complete version",
    ) -> list[str]:
        """In words, the counts that new sentences (`counted`, rows `row` of `sims`, which holds the most complete
        version's sentences `theirs` after them) give another number for than that version (named `against`)."""
        if not counted:
            return []
        mine = [replace(parsed[i], article_ids=[doc["article_id"]], figures=counting[i]) for i in counted]
        rows = [row[i] for i in counted] + list(range(len(row), len(row) + len(theirs)))
        canonical = version["article_id"]
        published = {doc["article_id"]: local_time(doc), canonical: local_time(version)}
        groups = linked_figures(mine + theirs, sims[np.ix_(rows, rows)], self.settings.facts, heads, published)
        out = []
        for found in figures_against(groups, mine + theirs, canonical).values():
            for about, value, there in found:
                out.append(f"{figure_text(value)} {about} where {against} gives "
                           f"{' / '.join(f'{figure_text(v)} {about}' for v in there)}")
        return list(dict.fromkeys(out))

    def _could_be_said(self, sent: Sentence, theirs: list[Sentence], words_said: frozenset[str], vocab: Vocabulary) -> bool:
        """Whether the version could say `sent`, whatever the embeddings: could_be_said, or, for a sentence naming
        somebody the version does not, some sentence of the version sharing enough words each way for same_fact."""
        cfg = self.settings.facts
        if vocab.has_names(sent.names):
            return could_be_said(sent, theirs, words_said, cfg)
        return any(holds_words_of(sent, t, cfg) and holds_words_of(t, sent, cfg) for t in theirs)
