"""Incremental runs: batches give the same groups as one run, ids stay stable, merges are recorded."""

from __future__ import annotations

import re
import shutil
import time
import zlib
from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest

from conftest import COPIES, SEEDS
from newsdedup.config import load_config
from newsdedup.incremental import continue_run
from newsdedup.syndication import fingerprint, signature_matrix
from newsdedup.schema import DOCUMENTS
from newsdedup.state import State, load_state, new_state, plan_run, save_state, settings_fingerprint


def _fresh(settings) -> State:
    return new_state(settings)


def _partition(values: list) -> set[frozenset[int]]:
    groups: dict = {}
    for i, v in enumerate(values):
        groups.setdefault(v, set()).add(i)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture
def corpus(tmp_path):
    """The seeds and the hand-made copies, as one folder of files."""
    root = tmp_path / "all"
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(COPIES, root / "copies", ignore=shutil.ignore_patterns("*.md", "*.csv"))
    return root


def test_batches_give_the_same_groups_as_one_run(corpus, tmp_path, fake_embedder):
    settings = load_config()
    one = _fresh(settings)
    continue_run(one, corpus, settings, fake_embedder)

    batched = _fresh(settings)
    inp = tmp_path / "batched"
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    for start in range(0, len(files), 3):  # three batches
        for file in files[start : start + 3]:
            target = inp / file.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target)
        continue_run(batched, inp, settings, fake_embedder)

    a, b = one.documents.sort("article_id"), batched.documents.sort("article_id")
    assert a["article_id"].to_list() == b["article_id"].to_list()
    assert _partition(a["syndicate_id"].to_list()) == _partition(b["syndicate_id"].to_list())
    assert _partition(a["story_id"].to_list()) == _partition(b["story_id"].to_list())
    assert batched.run == 3 and one.pairs.height == batched.pairs.height
    # the word counts kept per copy group are those of its representative's text, row for row, batch or not
    from newsdedup.stories import headline_and_body, term_counts

    for state in (one, batched):
        docs = state.groups.sort("row").join(state.documents, left_on="representative", right_on="article_id", maintain_order="left")
        assert (state.term_rows != term_counts(headline_and_body(docs))).nnz == 0
        assert state.term_rows.shape[0] == len(state.vectors) == state.groups.height


def test_nothing_new_is_detected_and_changes_nothing(corpus, fake_embedder):
    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    assert plan_run(corpus, state.manifest).nothing_new
    before = state.documents.clone()
    calls = len(fake_embedder.calls)
    vectors, sentences = state.sentence_vectors, state.sentences
    changes = continue_run(state, corpus, settings, fake_embedder)
    assert changes.added == 0 and changes.removed == 0
    assert state.documents.equals(before)
    assert all(n == 0 for n in fake_embedder.calls[calls:])  # nothing embedded again
    assert state.sentence_vectors is vectors and state.sentences is sentences  # the facts stage was not redone


def _seeds_only(corpus, tmp_path, embedder):
    """A state after one run over the seeds alone, and the input folder that run read."""
    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    shutil.copytree(corpus / "seeds", inp / "seeds")
    continue_run(state, inp, settings, embedder)
    return settings, state, inp


def test_sentences_embedded_once_are_reused_and_decide_the_same(corpus, tmp_path, fake_embedder):
    settings, state, inp = _seeds_only(corpus, tmp_path, fake_embedder)
    assert state.sentences.height == len(state.sentence_vectors) > 0
    embedded_before = sum(fake_embedder.calls)
    shutil.copy(corpus / "copies" / "000_update.txt", inp / "000_update.txt")  # joins the seeds' story
    changes = continue_run(state, inp, settings, fake_embedder)
    assert changes.dirty_stories  # the story was re-resolved ...
    second = sum(fake_embedder.calls) - embedded_before
    assert 0 < second < 10  # ... embedding its new group and the update's own sentences, not the seeds' again
    full = _fresh(settings)
    continue_run(full, inp, settings, fake_embedder)
    # the same decisions as one run (story ids differ: the incremental run keeps the older one)
    assert state.facts.select("text", "article_ids").equals(full.facts.select("text", "article_ids"))
    assert state.canon.drop("story_id").equals(full.canon.drop("story_id"))
    # every kept vector is the embedding of its sentence
    texts = dict(zip(full.sentences["key"].to_list(), range(full.sentences.height)))
    for key, vector in zip(state.sentences["key"].to_list(), state.sentence_vectors):
        assert np.allclose(vector, full.sentence_vectors[texts[key]])


def test_kept_sentences_say_where_the_most_complete_version_holds_them(corpus, tmp_path, fake_embedder):
    from newsdedup.facts import is_fact_sentence, sentence_key
    from newsdedup.normalize import split_sentences

    settings, state, _ = _seeds_only(corpus, tmp_path, fake_embedder)
    texts = dict(zip(state.documents["article_id"].to_list(), state.documents["text"].to_list()))
    for story_id, canonical_id in state.canon.select("story_id", "canonical_article_id").iter_rows():
        rows = state.sentences.filter((pl.col("story_id") == story_id) & pl.col("start").is_not_null()).sort("start")
        text = texts[canonical_id]
        pieces = [text[a:b] for a, b in zip(rows["start"].to_list(), rows["end"].to_list())]
        # each span is that row's sentence, and together they are the version's fact sentences, in order
        assert [sentence_key(p) for p in pieces] == rows["sentence_key"].to_list()
        wanted = [sentence_key(t) for t in split_sentences(text) if is_fact_sentence(t, sentence_key(t), set(), settings.facts)]
        assert [sentence_key(p) for p in pieces] == list(dict.fromkeys(wanted)) and len(pieces) > 10
    others = state.sentences.filter(pl.col("start").is_null())
    assert others.height > 0  # the other versions' sentences are kept too, without a span


def test_a_changed_file_replaces_its_articles_and_a_removed_one_goes(corpus, fake_embedder):
    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    (corpus / "copies" / "000_update.txt").unlink()
    trimmed = corpus / "copies" / "001_trimmed.txt"
    trimmed.write_text(trimmed.read_text(encoding="utf-8") + "\n\nOne more paragraph was added to this copy later on by its outlet.\n", encoding="utf-8")
    changes = continue_run(state, corpus, settings, fake_embedder)
    ids = state.documents["article_id"].to_list()
    assert "copies/000_update" not in ids and "copies/001_trimmed" in ids
    assert changes.removed == 2 and changes.added == 1
    assert "copies/000_update.txt" not in state.manifest["path"].to_list()
    assert not state.pairs.filter(pl.col("article_id").str.contains("000_update") | pl.col("copy_of").str.contains("000_update")).height
    # every current article keeps exactly its own MinHash signature, row for row
    assert sorted(state.sketches["article_id"].to_list()) == sorted(ids)
    texts = dict(zip(ids, state.documents["text"].to_list()))
    shingles, signatures = fingerprint([texts[a] for a in state.sketches["article_id"].to_list()], settings.syndication)
    assert np.array_equal(state.signatures, signature_matrix(signatures, settings.syndication.num_perm))
    assert state.sketches["n_shingles"].to_list() == [len(s) for s in shingles]
    # so do its copy groups' word counts, kept for the unchanged ones and counted for the new
    from newsdedup.stories import headline_and_body, term_counts

    docs = state.groups.sort("row").join(state.documents, left_on="representative", right_on="article_id", maintain_order="left")
    assert (state.term_rows != term_counts(headline_and_body(docs))).nnz == 0


@pytest.mark.parametrize("holder", ["deleted", "takes another id", "keeps it, edited"])
def test_a_duplicate_of_an_id_is_read_again_once_the_file_holding_it_lets_go(corpus, fake_embedder, holder):
    import json

    settings = load_config()
    state = _fresh(settings)
    feeds = corpus / "feeds"
    feeds.mkdir()
    first = feeds / "x.json"
    record = {"id": "K", "headline": "Ferries stop at Harbourton",
              "body_text": "Ferries stopped at Harbourton on Monday as the storm closed in. " * 3}
    first.write_text(json.dumps(record), encoding="utf-8")
    continue_run(state, corpus, settings, fake_embedder)
    # a file of the same id arrives later, its name sorting first
    (feeds / "a.json").write_text(json.dumps({"id": "K", "headline": "Lisbon harbour floods", "body_text": "An "
        "Atlantic storm flooded the harbour district of Lisbon on Tuesday, forcing ferries to stop; 14 people were "
        "rescued from the water by the coast guard."}), encoding="utf-8")
    continue_run(state, corpus, settings, fake_embedder)
    assert state.rejects.filter(pl.col("path") == "feeds/a.json")["reason"].to_list() == ["duplicate article_id 'K' (first in feeds/x.json)"]
    if holder == "deleted":
        first.unlink()
    elif holder == "takes another id":
        first.write_text(json.dumps({**record, "id": "L"}), encoding="utf-8")
    else:
        first.write_text(json.dumps({**record, "headline": "Ferries stop at Harbourton, corrected"}), encoding="utf-8")
    for _ in range(2):  # and it stays so
        continue_run(state, corpus, settings, fake_embedder)
        held = dict(zip(state.documents["article_id"].to_list(), state.documents["title"].to_list()))
        rejects = dict(zip(state.rejects["path"].to_list(), state.rejects["reason"].to_list()))
        if holder == "keeps it, edited":
            assert held["K"] == "Ferries stop at Harbourton, corrected"
            assert rejects["feeds/a.json"] == "duplicate article_id 'K' (first in feeds/x.json)"
        else:
            assert held["K"] == "Lisbon harbour floods" and "feeds/a.json" not in rejects


def test_an_input_arriving_under_another_s_name_is_held_beside_it_and_takes_the_name_once_free(tmp_path, fake_embedder):
    """story.html arriving beside a held story.txt was a reject ("duplicate article_id 'story'") until story.txt went.
    It is held as 'story.html' while story.txt is there, and is 'story' once story.txt goes, as a fresh run names it
    (a review: it had kept 'story.html')."""
    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "story.txt").write_text("Ferries stop at Harbourton\n\n" + "Ferries stopped at Harbourton on Monday as the "
                                   "storm closed in, and the port authority said they would not sail before Wednesday. " * 2,
                                   encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    (inp / "story.html").write_text("<html><body><article><h1>Lisbon harbour floods</h1><p>An Atlantic storm flooded the "
                                    "harbour district of Lisbon on Tuesday, forcing ferries to stop; 14 people were rescued "
                                    "from the water by the coast guard.</p></article></body></html>", encoding="utf-8")
    for _ in range(2):
        continue_run(state, inp, settings, fake_embedder)
        assert state.rejects.height == 0
        assert state.documents.select("article_id", "path").sort("path").rows() == [("story.html", "story.html"), ("story", "story.txt")]
    (inp / "story.txt").unlink()
    continue_run(state, inp, settings, fake_embedder)
    fresh = _fresh(settings)
    continue_run(fresh, inp, settings, fake_embedder)
    for st in (state, fresh):
        assert st.documents.select("article_id", "title").rows() == [("story", "Lisbon harbour floods")]


def test_an_item_giving_itself_a_held_name_s_id_takes_it_as_in_a_fresh_run(tmp_path, fake_embedder):
    """A review: {"id": "story"} arriving in wire.jsonl beside a held story.txt was a reject, "duplicate article_id
    'story'", while a fresh run holds both; an item that is no article (too short) takes the id from no one."""
    import json

    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "story.txt").write_text("Ferries stop at Harbourton\n\nFerries stopped at Harbourton on Monday as the storm "
                                   "closed in, and the port authority said they would not sail before Wednesday.", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    (inp / "wire.jsonl").write_text(json.dumps({"id": "story", "title": "Note", "text": "A correction."}) + "\n", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    assert state.documents.select("article_id", "path").rows() == [("story", "story.txt")]
    assert state.rejects.rows() == [("wire.jsonl:1", "body too short (2 words, need 8)")]  # as a fresh run says
    (inp / "wire.jsonl").write_text(json.dumps({"id": "story", "title": "Lisbon harbour floods", "text": "An Atlantic storm "
        "flooded the harbour district of Lisbon on Tuesday, forcing ferries to stop; 14 people were rescued."}) + "\n", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    fresh = _fresh(settings)
    continue_run(fresh, inp, settings, fake_embedder)
    for st in (state, fresh):
        assert st.rejects.height == 0
        assert st.documents.select("article_id", "path").sort("path").rows() == [("story.txt", "story.txt"), ("story", "wire.jsonl:1")]
    assert _partition(state.documents.sort("article_id")["story_id"].to_list()) == _partition(
        fresh.documents.sort("article_id")["story_id"].to_list())


def test_an_article_changed_under_its_id_is_embedded_again_and_its_story_is_a_fresh_run_s(tmp_path, fake_embedder):
    """An operator's review: a .txt rewritten in place (or a corrected item under its id, a link pointed elsewhere)
    kept its old text's vector, and the run put the new text in its old text's story, until --full."""
    budget = ("Budget vote delayed\n\nThe city council delayed its budget vote on Monday after members disagreed over "
              "school funding, road repairs and a proposed increase in property taxes for the coming year.")
    fire = ("Chemical fire at plant\n\nA chemical fire broke out at a fertiliser plant near the river port on Tuesday, "
            "sending black smoke over the town; firefighters evacuated nearby homes and closed the port road.")
    fire_again = ("Fire at fertiliser plant\n\nFirefighters closed the port road and evacuated homes near the river on "
                  "Tuesday as black smoke from a chemical fire at the fertiliser plant spread over the town.")
    budget_again = ("Council delays budget\n\nMembers disagreed over property taxes, road repairs and school funding, "
                    "and the city council delayed its vote on the budget for the coming year on Monday.")
    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "s.txt").write_text(budget, encoding="utf-8")
    (inp / "f.txt").write_text(fire, encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    (inp / "s.txt").write_text(fire_again, encoding="utf-8")
    (inp / "g.txt").write_text(budget_again, encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    fresh = _fresh(settings)
    continue_run(fresh, inp, settings, fake_embedder)

    def stories(st):
        return _partition(st.documents.sort("article_id")["story_id"].to_list())

    assert stories(state) == stories(fresh) == {frozenset({0, 2}), frozenset({1})}  # f and s, and g


def test_a_file_named_as_an_item_of_another_is_its_own_input(tmp_path, fake_embedder):
    """An operator's review: a file named 'wire.jsonl:1' beside wire.jsonl was read as item 1 of wire.jsonl. Its
    reject went with wire.jsonl's rejects when wire.jsonl changed, and was in neither table from then on."""
    import json

    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    item = {"id": "w1", "title": "Ferries stop", "text": "Ferries stopped at Harbourton on Monday as the storm closed in, officials said."}
    (inp / "wire.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    (inp / "wire.jsonl:1").write_text("A note\n\nSome text that is not read, being of no type newsdedup reads.", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    assert state.rejects["path"].to_list() == ["wire.jsonl\\x3a1"]
    with (inp / "wire.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({**item, "id": "w2", "title": "Port reopens"}) + "\n")
    continue_run(state, inp, settings, fake_embedder)
    assert state.rejects["path"].to_list() == ["wire.jsonl\\x3a1"] and state.documents.height == 2
    (inp / "wire.jsonl:1").unlink()
    continue_run(state, inp, settings, fake_embedder)
    assert state.rejects.height == 0 and state.documents.height == 2


def test_another_run_s_output_folder_inside_the_input_is_a_reject_not_articles(tmp_path, fake_embedder):
    """An operator's review: a second output folder inside the input was read, its report.html as an article and about
    30 of its tables and state files as rejects."""
    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    out = inp / "sub"
    from newsdedup.incremental import save_run

    other = _fresh(settings)  # a run's outputs and state saved there
    continue_run(other, SEEDS, settings, fake_embedder)
    save_run(out, other)
    assert (out / "report.html").is_file() and (out / "state" / "meta.json").is_file()
    for _ in range(2):
        continue_run(state, inp, settings, fake_embedder)
        assert state.rejects.rows() == [("sub", "a newsdedup output folder (reports and a saved state, no articles): not read")]
        assert sorted(state.documents["path"].to_list()) == sorted(p.name for p in SEEDS.iterdir()) and state.documents.height == 5
    # a folder of articles that only holds files of those names is read (a review: a JSON article named meta.json in
    # a folder state/ made its folder a reject)
    news = inp / "us"
    (news / "state").mkdir(parents=True)
    (news / "state" / "meta.json").write_text('{"id": "m", "title": "Port reopens", "text": "The port of Harbourton '
                                              'reopened on Tuesday after the storm, officials said."}', encoding="utf-8")
    (news / "state" / "documents.parquet").write_text("not a table", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    assert "m" in state.documents["article_id"].to_list() and ("us", "a newsdedup output folder (reports and a saved state, "
                                                               "no articles): not read") not in state.rejects.rows()


def test_ids_given_by_items_stay_theirs_when_a_file_is_read_again(tmp_path, fake_embedder):
    """A review: a JSON item whose own id is its file's stem was taken for a name's id; a file read again (its name's
    id yielded) lost an id one of its items gave itself to a new file; an unreadable feed named with a backslash lost
    its items."""
    import json

    settings = load_config()
    text = "Ferries stopped at Harbourton on Monday as the storm closed in, officials said on Tuesday."

    def run(state, inp):
        continue_run(state, inp, settings, fake_embedder)
        return sorted(state.documents.select("article_id", "path").rows(), key=lambda r: r[1]), sorted(state.rejects.rows())

    state, inp = _fresh(settings), tmp_path / "in"
    inp.mkdir()
    (inp / "story.txt").write_text("Ferries stop\n\n" + text, encoding="utf-8")
    run(state, inp)
    (inp / "story.json").write_text(json.dumps({"id": "story", "title": "Port shut", "text": text + " Port."}), encoding="utf-8")
    assert run(state, inp) == run(_fresh(settings), inp) == ([("story", "story.json"), ("story.txt", "story.txt")], [])
    # a feed holding an id of its own besides one its place gave: read as it was, X stays in it
    state, inp = _fresh(settings), tmp_path / "in2"
    inp.mkdir()
    (inp / "feed.json").write_text(json.dumps([{"title": "A", "text": text}, {"id": "X", "title": "B", "text": text + " B."}]),
                                   encoding="utf-8")
    run(state, inp)
    (inp / "a.json").write_text(json.dumps({"id": "feed:1", "title": "C", "text": text + " C."}), encoding="utf-8")
    (inp / "x.json").write_text(json.dumps({"id": "X", "title": "D", "text": text + " D."}), encoding="utf-8")
    docs, rejects = run(state, inp)
    assert ("X", "feed.json:2") in docs and ("x.json", "duplicate article_id 'X' (first in feed.json:2)") in rejects
    # a feed named with a backslash that cannot be read now keeps its items as last read
    state, inp = _fresh(settings), tmp_path / "in3"
    inp.mkdir()
    (inp / "wi\\re.json").write_text(json.dumps([{"id": "A", "title": "A", "text": text}, {"id": "B", "title": "B", "text": text + " B."}]),
                                     encoding="utf-8")
    run(state, inp)
    (inp / "wi\\re.json").write_text("[ not json", encoding="utf-8")
    assert [a for a, _ in run(state, inp)[0]] == ["A", "B"]


def test_a_duplicate_of_a_holder_named_with_a_line_break_is_read_again_once_it_goes(tmp_path, fake_embedder):
    """A review: reasons are one line, so "(first in a b.json)" named no file that went, and c.json's K never came."""
    import json

    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    record = {"id": "K", "headline": "Ferries stop", "body_text": "Ferries stopped at Harbourton on Monday as the storm closed in."}
    (inp / "a\nb.json").write_text(json.dumps(record), encoding="utf-8")
    (inp / "c.json").write_text(json.dumps({**record, "headline": "Lisbon floods"}), encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    assert state.rejects.rows() == [("c.json", "duplicate article_id 'K' (first in a b.json)")]
    (inp / "a\nb.json").unlink()
    continue_run(state, inp, settings, fake_embedder)
    assert state.rejects.height == 0 and state.documents.select("article_id", "title").rows() == [("K", "Lisbon floods")]


def test_an_unreadable_input_is_rejected_and_read_again_once_it_changes(corpus, fake_embedder):
    """A broken link (or a pipe, or a file without read permission) must not stop a scheduled run: it is
    a reject with its reason, is not read again while unchanged, and is read once it can be."""
    import os

    settings = load_config()
    state = _fresh(settings)
    target = corpus.parent / "later.txt"
    (corpus / "late.txt").symlink_to(target)
    os.mkfifo(corpus / "pipe.txt")
    plan = plan_run(corpus, state.manifest)
    assert plan.hashes["late.txt"].startswith("unreadable:") and plan.hashes["pipe.txt"].startswith("unreadable:")
    continue_run(state, corpus, settings, fake_embedder)
    reasons = dict(zip(state.rejects["path"].to_list(), state.rejects["reason"].to_list()))
    assert reasons == {"late.txt": "broken symbolic link (its target does not exist)", "pipe.txt": "not a regular file"}
    assert plan_run(corpus, state.manifest).nothing_new
    shutil.copy(SEEDS / "000_88db8367fec8dc5d.txt", target)  # the link's target arrives
    assert plan_run(corpus, state.manifest).todo == ["late.txt"]
    continue_run(state, corpus, settings, fake_embedder)
    assert "late" in state.documents["article_id"].to_list()
    assert state.rejects["path"].to_list() == ["pipe.txt"]


LATER = 10**12  # a look 1,000 s after the files were written: each has settled


def test_a_settled_unchanged_input_is_not_read_again(tmp_path, monkeypatch):
    """A scheduled run over a large archive must not read every file to learn that nothing changed: while a file's
    stat is the one its hash was taken at, the hash stands."""
    import time

    from newsdedup import state as state_module

    root = tmp_path / "raw"
    root.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEEDS / "000_88db8367fec8dc5d.txt", root / name)
    first = plan_run(root, _fresh(load_config()).manifest, now_ns=time.time_ns() + LATER)
    manifest = first.manifest()
    assert manifest["size"].null_count() == 0 and manifest["inode"].null_count() == 0
    read: list[str] = []
    real_hash = state_module.file_hash
    monkeypatch.setattr(state_module, "file_hash", lambda path: read.append(path.name) or real_hash(path))
    again = plan_run(root, manifest, now_ns=time.time_ns() + LATER)
    assert again.nothing_new and read == []
    assert again.manifest().equals(manifest)


def test_a_changed_input_is_read_again_whatever_its_mtime_says(tmp_path):
    """Rewritten to the same size and touched back to its old mtime (a fetcher keeping the server's time), a file
    is still read again: its ctime moved. Replaced by a rename (a new inode), it is read again too."""
    import os
    import time

    root = tmp_path / "raw"
    root.mkdir()
    file, other = root / "a.txt", root / "b.txt"
    file.write_text("date 2026-02-01\n\nFirst headline\n\n" + "word " * 100, encoding="utf-8")
    other.write_text("date 2026-02-01\n\nOther headline\n\n" + "word " * 100, encoding="utf-8")
    manifest = plan_run(root, _fresh(load_config()).manifest, now_ns=time.time_ns() + LATER).manifest()
    st = file.stat()
    time.sleep(0.01)
    file.write_text("date 2026-02-01\n\nFirst HEADLINE\n\n" + "word " * 100, encoding="utf-8")
    os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (file.stat().st_size, file.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    tmp = root / ".b.tmp"
    tmp.write_text("date 2026-02-01\n\nOther HEADLINE\n\n" + "word " * 100, encoding="utf-8")
    os.utime(tmp, ns=(other.stat().st_atime_ns, other.stat().st_mtime_ns))
    tmp.rename(other)
    plan = plan_run(root, manifest, now_ns=time.time_ns() + LATER)
    assert plan.todo == ["a.txt", "b.txt"] and plan.dropped == ["a.txt", "b.txt"]


def test_a_file_just_written_is_hashed_again_next_time(tmp_path):
    """A file changed moments before it was hashed may change again within its clock's step with an equal stat:
    its stat is not kept, so the next look reads it (and keeps the stat once the file has settled)."""
    import time

    root = tmp_path / "raw"
    root.mkdir()
    shutil.copy(SEEDS / "000_88db8367fec8dc5d.txt", root / "a.txt")
    now = plan_run(root, _fresh(load_config()).manifest).manifest()
    assert now["size"].to_list() == [None] and now["sha1"].null_count() == 0
    later = plan_run(root, now, now_ns=time.time_ns() + LATER)
    assert later.nothing_new and later.manifest()["size"].null_count() == 0


def test_a_manifest_without_stats_has_every_file_read(corpus, fake_embedder, monkeypatch):
    """The manifest of an older version holds hashes only: those are compared as before, and a run stores stats."""
    import time

    from newsdedup import state as state_module

    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    old = state.manifest.select("path", "sha1")
    read: list[str] = []
    real_hash = state_module.file_hash
    monkeypatch.setattr(state_module, "file_hash", lambda path: read.append(path.name) or real_hash(path))
    assert plan_run(corpus, old, now_ns=time.time_ns() + LATER).nothing_new
    assert len(read) == old.height  # every file read: no stat to trust
    (corpus / "seeds" / "000_88db8367fec8dc5d.txt").write_text("date 2026-02-01\n\nShort\n\nNo longer the story.", encoding="utf-8")
    assert plan_run(corpus, old).todo == ["seeds/000_88db8367fec8dc5d.txt"]
    assert set(state.manifest.columns) == {"path", "sha1", "size", "mtime_ns", "ctime_ns", "inode"}


def test_a_file_name_that_is_not_utf8_is_read_and_then_known(corpus, fake_embedder):
    import os

    settings = load_config()
    state = _fresh(settings)
    shutil.copy(SEEDS / "000_88db8367fec8dc5d.txt", corpus / os.fsdecode(b"caf\xe9.txt"))
    continue_run(state, corpus, settings, fake_embedder)
    assert "caf\\xe9" in state.documents["article_id"].to_list()
    assert "caf\\xe9.txt" in state.manifest["path"].to_list()
    assert plan_run(corpus, state.manifest).nothing_new


def test_ids_stay_when_members_arrive(corpus, tmp_path, fake_embedder):
    settings, state, inp = _seeds_only(corpus, tmp_path, fake_embedder)
    before = dict(zip(state.documents["article_id"], zip(state.documents["syndicate_id"], state.documents["story_id"])))
    shutil.copytree(corpus / "copies", inp / "copies")
    continue_run(state, inp, settings, fake_embedder)
    after = dict(zip(state.documents["article_id"], zip(state.documents["syndicate_id"], state.documents["story_id"])))
    for article_id, ids in before.items():
        assert after[article_id] == ids, article_id
    # the copy of 001 joined 001's copy group, under 001's id
    assert after["copies/001_trimmed"][0] == before["seeds/001_72621f2fa7bf588d"][0]


class SteeredEmbedder:
    """Vectors chosen by keyword, to build a merge: alpha and beta far apart, gamma between them."""

    def embed(self, texts):
        angle = {"alpha": 0.0, "gamma": 33.2, "beta": 66.4}
        out = []
        for text in texts:
            theta = np.radians(next(a for k, a in angle.items() if k in text.lower()))
            out.append([np.cos(theta), np.sin(theta), 0.0])
        return np.asarray(out, dtype=np.float32)


def _article(folder, name, word):
    body = " ".join(f"{word} story sentence number {i} tells its own distinct detail {name}{i}." for i in range(6))
    (folder / f"{name}.txt").write_text(f"{word.title()} headline {name}\n\n{body}\n", encoding="utf-8")


def test_a_merge_keeps_the_older_id_and_records_the_other(tmp_path):
    # plain cosine average linkage, so the steered vectors alone decide what merges
    plain = {"embedding_weight": 1.0, "neighbours": 0, "distance_threshold": 0.45}
    settings = load_config().model_copy(update={"stories": load_config().stories.model_copy(update=plain)})
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    _article(inp, "a", "alpha")
    continue_run(state, inp, settings, SteeredEmbedder())
    _article(inp, "b", "beta")
    continue_run(state, inp, settings, SteeredEmbedder())
    stories = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    assert stories["a"] != stories["b"]
    _article(inp, "c", "gamma")
    changes = continue_run(state, inp, settings, SteeredEmbedder())
    merged = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    assert merged["a"] == merged["b"] == merged["c"] == stories["a"]  # the older id survives
    assert changes.merges == [(stories["b"], stories["a"])]
    assert state.merges.rows() == [(stories["b"], stories["a"], 3)]


class SagaEmbedder:
    """The vectors of test_stories' daily saga, by the "sagaN" word each article carries: one component of the
    candidate graph, every day's event a story of its own."""

    def __init__(self) -> None:
        from test_stories import _daily_saga

        self.vectors = _daily_saga(n_days=24, per_day=3)[0]

    def embed(self, texts):
        return np.asarray([self._vector(t) for t in texts], dtype=np.float32)

    def _vector(self, text: str) -> np.ndarray:
        found = re.search(r"saga(\d+)", text)
        if found:
            return self.vectors[int(found.group(1))]
        other = np.random.default_rng(zlib.crc32(text.encode())).normal(size=self.vectors.shape[1])  # a fact's sentence
        return other / np.linalg.norm(other)


def _saga_article(folder, day: int, k: int) -> None:
    words = np.random.default_rng(100 * day + k).choice([f"w{i}" for i in range(5000)], 120).tolist()
    body = "\n\n".join(" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, 120, 20))
    when = datetime(2026, 1, 1, 2 + 2 * k) + timedelta(days=day)
    (folder / f"d{day:02d}_{k}.txt").write_text(f"date {when.isoformat()}\nsaga{3 * day + k} report\n\n{body}\n", encoding="utf-8")


def test_a_run_adding_to_a_component_cut_for_its_size_clusters_only_the_parts_it_reaches(tmp_path, monkeypatch):
    import newsdedup.stories as stories

    cut = {"embedding_weight": 1.0, "max_dense_component": 6}  # the vectors alone decide; 72 groups are a giant
    settings = load_config().model_copy(update={"stories": load_config().stories.model_copy(update=cut)})
    whole, inp = tmp_path / "whole", tmp_path / "in"
    for folder in (whole, inp):
        folder.mkdir()
        for day in range(24):
            for k in range(3):
                if folder is whole or (day, k) != (12, 2):
                    _saga_article(folder, day, k)
    one = _fresh(settings)
    continue_run(one, whole, settings, SagaEmbedder())
    day_of = {a: int(a[1:3]) for a in one.documents["article_id"].to_list()}
    assert one.documents["story_id"].n_unique() >= 20  # nearly every day's event a story of its own

    state = _fresh(settings)
    continue_run(state, inp, settings, SagaEmbedder())
    before = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    sizes: list[int] = []
    dense = stories.cluster_dense
    monkeypatch.setattr(stories, "cluster_dense", lambda v, *rest: sizes.append(len(v)) or dense(v, *rest))
    _saga_article(inp, 12, 2)
    changes = continue_run(state, inp, settings, SagaEmbedder())
    a, b = one.documents.sort("article_id"), state.documents.sort("article_id")
    assert _partition(a["story_id"].to_list()) == _partition(b["story_id"].to_list())
    assert 0 < len(sizes) <= 13 and sum(sizes) <= 39  # day 12 and the days its neighbours and theirs reach (6 days either side), not all 24
    after = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    far = [a for a in before if not 6 <= day_of[a] <= 18]  # the days no neighbour of the new write-up, nor theirs, reaches
    assert all(after[a] == before[a] for a in far) and not changes.dirty_stories & {after[a] for a in far}


def test_state_round_trips_and_a_crashed_save_keeps_the_old_one(corpus, tmp_path, fake_embedder, monkeypatch):
    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    out = tmp_path / "out"
    save_state(out, state)
    loaded = load_state(out, settings)
    assert loaded is not None and loaded.documents.equals(state.documents) and np.array_equal(loaded.vectors, state.vectors)
    assert loaded.sketches.equals(state.sketches) and np.array_equal(loaded.signatures, state.signatures)
    first = state.documents.row(0, named=True)
    _, (signature,) = fingerprint([first["text"]], settings.syndication)
    assert first["article_id"] in loaded.lsh.query(signature)  # the persisted index answers

    def broken(*args, **kwargs):
        raise OSError("killed")

    monkeypatch.setattr(np, "save", broken)
    state.run += 1
    with pytest.raises(OSError):
        save_state(out, state)
    again = load_state(out, settings)
    assert again is not None and again.run == loaded.run


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda folder: (folder / "documents.parquet").write_bytes((folder / "documents.parquet").read_bytes()[:1000]), "documents.parquet"),
        (lambda folder: np.save(folder / "signatures.npy", np.load(folder / "signatures.npy")[1:]), "signatures.npy"),
        (lambda folder: (folder / "sentence_vectors.npy").unlink(), "sentence_vectors.npy"),
        (lambda folder: (folder / "meta.json").write_text("{not json", encoding="utf-8"), "meta.json"),
        (lambda folder: (folder / "vectors.npy").write_bytes(b"garbage bytes, no array"), "vectors.npy: not a numpy array file"),
    ],
    ids=["truncated-table", "garbage-index", "lost-file", "bad-meta", "garbage-array"],
)
def test_a_damaged_state_is_one_error_naming_the_file_and_the_way_out(corpus, tmp_path, fake_embedder, damage, named):
    from newsdedup.state import StateError, load_manifest

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    damage(out / "state")
    with pytest.raises(StateError) as info:
        load_state(out, settings)
    message = str(info.value)
    assert named in message and "run with --full" in message and "\n" not in message
    assert "pickle" not in message  # numpy's offer to load a garbage file "unsafely" is no advice to give


def test_a_state_that_lost_its_meta_json_is_rebuilt_saying_so(corpus, tmp_path, fake_embedder):
    """A walk-through's finding: with state/meta.json gone, a run rebuilt everything as if there were no state ("5
    new"), without a word, and the desk said "no saved state"."""
    from newsdedup.incremental import start_run
    from newsdedup.state import rebuild_reason

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    (out / "state" / "meta.json").unlink()
    why = rebuild_reason(out, settings)
    assert why == "the saved state has no meta.json (it was damaged)" and why.kind == "damaged"
    start = start_run(corpus, out, settings)
    assert start.rebuild == why and start.previous.height == state.documents.height  # what no input holds is carried
    assert rebuild_reason(tmp_path / "nothing", settings) is None


class _RunsCode:
    """A pickle that runs a command when loaded: what someone able to write the output folder could leave there."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_the_state_holds_no_pickle_and_its_index_is_the_one_inserting_makes(corpus, tmp_path, fake_embedder):
    import pickle

    from datasketch import MinHashLSH

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    folder = out / "state"
    assert not list(folder.glob("*.pkl"))
    marker = tmp_path / "ran"
    (folder / "lsh.pkl").write_bytes(pickle.dumps(_RunsCode(marker)))  # what an older version kept: never read now
    loaded = load_state(out, settings)
    assert not marker.exists()
    cfg = settings.syndication
    inserted = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    texts = dict(zip(loaded.documents["article_id"].to_list(), loaded.documents["text"].to_list()))
    keys = loaded.sketches["article_id"].to_list()
    _, signatures = fingerprint([texts[k] for k in keys], cfg)
    with inserted.insertion_session() as session:
        for key, sig in zip(keys, signatures):
            session.insert(key, sig, check_duplication=False)
    assert len(keys) >= 9
    for i, key in enumerate(keys):
        assert loaded.lsh.keys.get(key) == inserted.keys.get(key)
        assert sorted(loaded.lsh.query(signatures[i])) == sorted(inserted.query(signatures[i]))
    assert [dict(t._dict) for t in loaded.lsh.hashtables] == [dict(t._dict) for t in inserted.hashtables]
    assert (loaded.term_rows != state.term_rows).nnz == 0 and loaded.term_rows.shape == state.term_rows.shape


def test_a_damaged_manifest_or_meta_is_one_error_where_the_manifest_alone_is_read(corpus, tmp_path, fake_embedder, monkeypatch):
    from newsdedup.state import StateError, load_manifest

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    manifest = out / "state" / "manifest.parquet"
    whole = manifest.read_bytes()
    manifest.write_bytes(whole[:200])
    with pytest.raises(StateError, match=r"manifest\.parquet: .*run with --full"):
        load_manifest(out, settings)
    manifest.write_bytes(whole)
    (out / "state" / "meta.json").write_text("[]", encoding="utf-8")
    with pytest.raises(StateError, match=r"meta\.json: not a JSON object"):
        load_manifest(out, settings)
    save_state(out, state)
    # no damage: memory short of the vectors is said as such, not as a state to rebuild (which needs more)

    def short(*args, **kwargs):
        raise MemoryError("Unable to allocate 7.32 GiB")

    monkeypatch.setattr(np, "load", short)
    with pytest.raises(MemoryError):
        load_state(out, settings)


def _saved_run(corpus, tmp_path, fake_embedder):
    from newsdedup.incremental import save_run

    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    out = tmp_path / "out"
    save_run(out, state)
    return settings, state, out


def test_nothing_new_gives_the_outputs_counts_and_anything_else_runs(corpus, tmp_path, fake_embedder):
    from newsdedup.incremental import quiet_summary

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    quiet = quiet_summary(corpus, out, settings)
    assert quiet is not None and quiet.new == 0 and quiet.articles == state.documents.height
    other = settings.model_copy(update={"stories": settings.stories.model_copy(update={"distance_threshold": 0.3})})
    assert quiet_summary(corpus, out, other) is None  # other settings: a rebuild
    (out / "report.md").rename(out / "report.md.away")
    assert quiet_summary(corpus, out, settings) is None  # an output deleted: written again
    (out / "report.md.away").rename(out / "report.md")
    articles = out / "articles.parquet"
    whole = articles.read_bytes()
    articles.write_bytes(whole[:200])
    assert quiet_summary(corpus, out, settings) is None  # an output damaged: written again, no crash
    articles.write_bytes(whole)
    (corpus / "late.txt").write_text("Late headline\n\n" + " ".join(["Ferries stopped at Harbourton on Monday."] * 4), encoding="utf-8")
    assert quiet_summary(corpus, out, settings) is None  # a new input


def test_outputs_written_by_a_run_stopped_before_it_saved_its_state_are_written_again(corpus, tmp_path, fake_embedder, monkeypatch):
    """The outputs are swapped in before the state is saved: a run killed between the two left outputs holding an
    article the state never knew, and after that file was deleted every run said "nothing new"."""
    import newsdedup.incremental as incremental
    from newsdedup.incremental import quiet_summary, save_run

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    late = corpus / "late.txt"
    late.write_text("Late headline\n\n" + " ".join(["Ferries stopped at Harbourton on Monday."] * 4), encoding="utf-8")
    continue_run(state, corpus, settings, fake_embedder)

    def killed(*_):
        raise KeyboardInterrupt("killed after the outputs, before the state")

    monkeypatch.setattr(incremental, "save_state", killed)
    with pytest.raises(KeyboardInterrupt):
        save_run(out, state)
    monkeypatch.undo()
    assert "late" in pl.read_parquet(out / "articles.parquet")["article_id"].to_list()
    late.unlink()  # no input changed since the state was saved
    assert quiet_summary(corpus, out, settings) is None  # the outputs are written again, from the state saved
    assert incremental.outputs_stale(out).endswith("are not those of its saved state (a run was stopped before it saved it)")
    state = load_state(out, settings)
    continue_run(state, corpus, settings, fake_embedder)
    save_run(out, state)
    assert "late" not in pl.read_parquet(out / "articles.parquet")["article_id"].to_list()
    assert quiet_summary(corpus, out, settings) is not None  # and stand again


def test_a_run_is_refused_for_a_missing_emptied_or_same_folder(tmp_path):
    from newsdedup.incremental import RunRefused, check_folders, check_plan

    inp, out = tmp_path / "in", tmp_path / "out"
    with pytest.raises(RunRefused, match="input folder not found"):
        check_folders(inp, out)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(RunRefused, match=r"input is a file, not a folder: .*a.txt \(give the folder holding it\)"):
        check_folders(tmp_path / "a.txt", out)
    inp.mkdir()
    check_folders(inp, out)  # an output folder yet to be made
    with pytest.raises(RunRefused, match="output folder is the input folder"):
        check_folders(inp, tmp_path / "in" / ".." / "in")
    out.write_text("", encoding="utf-8")
    with pytest.raises(RunRefused, match="output is not a folder"):
        check_folders(inp, out)
    read_before = pl.DataFrame({"path": ["a.txt", "b.txt"], "sha1": ["0" * 40, "1" * 40]})  # a manifest as older versions kept
    with pytest.raises(RunRefused, match=r"holds no input files, but the last run read 2: nothing removed"):
        check_plan(plan_run(inp, read_before), read_before, inp)
    check_plan(plan_run(inp, read_before.clear()), read_before.clear(), inp)  # a first run on an empty folder
    (inp / "a.txt").write_text("x", encoding="utf-8")
    check_plan(plan_run(inp, read_before), read_before, inp)  # one file left: its run goes ahead
    archive = pl.DataFrame({"path": [f"wire/{i}.txt" for i in range(20)], "sha1": ["2" * 40] * 20})
    with pytest.raises(RunRefused, match=r"holds none of the 20 input files the last run read \(1 other\): nothing removed"):
        check_plan(plan_run(inp, archive), archive, inp)  # a stray file in an unmounted share's mount point
    check_plan(plan_run(inp, archive[:19]), archive[:19], inp)  # a small folder whose files were all replaced
    (inp / "wire").mkdir()
    (inp / "wire" / "7.txt").write_text("y", encoding="utf-8")
    check_plan(plan_run(inp, archive), archive, inp)  # one of the archive still there: its run goes ahead
    shared = pl.DataFrame({"path": ["local.txt", *(f"share/{i}.txt" for i in range(20))], "sha1": ["3" * 40] * 21})
    (inp / "local.txt").write_text("z", encoding="utf-8")
    with pytest.raises(RunRefused, match=r"share holds none"):
        check_plan(plan_run(inp, shared), shared, inp)  # deleted whole, its files' times unknown (an older manifest)
    days_ago = time.time_ns() - 2 * 86400 * 10**9
    expired = shared.with_columns(mtime_ns=pl.lit(days_ago))
    check_plan(plan_run(inp, expired), expired, inp)  # deleted whole, files two days old (a retention job): it goes
    fresh = shared.with_columns(mtime_ns=pl.lit(time.time_ns() - 60 * 10**9))
    with pytest.raises(RunRefused, match=r"share holds none"):
        check_plan(plan_run(inp, fresh), fresh, inp)  # deleted a minute after it changed: a fetcher swapping it in
    (inp / "share").mkdir()
    with pytest.raises(RunRefused, match=r"share holds none of the 20 input files the last run read there"):
        check_plan(plan_run(inp, expired), expired, inp)  # a share's mount point at a folder of the input, left empty
    (inp / "share").rmdir()
    (inp / "share").symlink_to(tmp_path / "unreachable")
    with pytest.raises(RunRefused, match=r"share holds none"):
        check_plan(plan_run(inp, expired), expired, inp)  # a link to a share that is down
    (inp / "share").unlink()
    (inp / "share").mkdir()
    (inp / "share" / "new.txt").write_text("w", encoding="utf-8")
    check_plan(plan_run(inp, shared), shared, inp)  # the folder holds files (a rotation): its run goes ahead


def test_the_code_fingerprint_covers_the_flow():
    from newsdedup.state import _fingerprinted_sources

    names = {p.name for p in _fingerprinted_sources()}
    assert {"dedup.py", "incremental.py", "html_report.py"} <= names


def test_other_settings_mean_a_full_rebuild(corpus, tmp_path, fake_embedder):
    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    save_state(tmp_path / "out", state)
    changed = settings.model_copy(update={"stories": settings.stories.model_copy(update={"distance_threshold": 0.3})})
    assert load_state(tmp_path / "out", changed) is None
    from newsdedup.state import rebuild_reason  # and the run says why it rebuilds

    assert rebuild_reason(tmp_path / "out", settings) is None and rebuild_reason(tmp_path / "missing", changed) is None
    why = rebuild_reason(tmp_path / "out", changed)  # naming the settings that changed, with both values
    assert why.startswith("the config's ingest, syndication, stories or facts settings differ")
    assert why.endswith(f": stories.distance_threshold {settings.stories.distance_threshold} -> 0.3") and why.kind == "settings"
    fewer = changed.model_copy(update={"ingest": changed.ingest.model_copy(update={"min_words": 40, "extensions": [".txt"]})})
    why = rebuild_reason(tmp_path / "out", fewer)
    assert "ingest.min_words 8 -> 40" in why and 'ingest.extensions [".txt", ".json",' in why and "stories.distance_threshold" in why
    unnamed = State(settings_fingerprint(settings))  # a state saved without its settings cannot name them
    continue_run(unnamed, corpus, settings, fake_embedder)
    save_state(tmp_path / "bare", unnamed)
    assert rebuild_reason(tmp_path / "bare", changed) == (
        "the config's ingest, syndication, stories or facts settings differ from those the state was made with")
    schedule = settings.model_copy(update={"schedule": settings.schedule.model_copy(update={"cron": "0 * * * *"})})
    assert rebuild_reason(tmp_path / "out", schedule) is None  # the schedule shapes no state


def test_start_run_continues_a_state_stops_when_nothing_is_new_and_says_why_it_rebuilds(corpus, tmp_path, fake_embedder):
    from newsdedup.incremental import add_documents, ingest_changes, save_run, start_run

    settings, out = load_config(), tmp_path / "out"
    first = start_run(corpus, out, settings)
    assert first.quiet is None and first.state.run == 1 and first.rebuild is None and first.previous is None
    new_docs, changes = ingest_changes(first.state, corpus, first.plan, settings, first.previous)
    add_documents(first.state, new_docs, settings, fake_embedder, changes)
    written = changes.summary(save_run(out, first.state))
    assert written.new == written.articles > 0 and written.removed == 0
    quiet = start_run(corpus, out, settings)  # nothing new: the outputs' counts, no state loaded
    assert quiet.state is None and quiet.quiet.articles == written.articles and quiet.quiet.new == 0
    (corpus / "seeds" / "extra.txt").write_text("date 2026-02-02\nA ferry sank.\n\n" + "Forty people were rescued. " * 5)
    again = start_run(corpus, out, settings)
    assert again.state.run == 2 and again.plan.todo == ["seeds/extra.txt"] and again.rebuild is None
    other = settings.model_copy(update={"stories": settings.stories.model_copy(update={"distance_threshold": 0.3})})
    rebuild = start_run(corpus, out, other)
    assert rebuild.state.run == 1 and rebuild.previous.height == written.articles
    assert rebuild.rebuild.endswith(f"stories.distance_threshold {settings.stories.distance_threshold} -> 0.3")
    assert start_run(corpus, out, settings, full=True).rebuild == "--full"


def test_a_story_that_loses_articles_to_a_re_clustered_one_is_re_resolved():
    """Story S holds groups g1 and g2; a run re-clusters only g2, which leaves S. S keeps its id and must be
    marked dirty, or its most complete version and facts would still count g2's articles."""
    from newsdedup.incremental import Changes, _created_table, _name_stories
    from newsdedup.state import ASSIGNED

    state = _fresh(load_config())
    state.run = 2
    state.created = _created_table({"story_s": 1})
    rows = [("a1", "g1", "story_s"), ("a2", "g2", "story_s"), ("a3", "g2", "story_s")]
    documents = pl.DataFrame(
        {**{col: [None] * 3 for col in ASSIGNED}, "article_id": [r[0] for r in rows],
         "syndicate_id": [r[1] for r in rows], "story_id": [r[2] for r in rows]},
        schema=ASSIGNED,
    )
    changes = Changes()
    assigned = _name_stories(state, documents, ["g1", "g2"], np.array([-1, 0]), changes)
    stories = dict(zip(assigned["article_id"], assigned["story_id"]))
    assert stories["a1"] == "story_s" and stories["a2"] == stories["a3"] != "story_s"
    assert {"story_s", stories["a2"]} <= changes.dirty_stories


def _story_docs(story: str, texts: list[str]) -> list[dict]:
    from newsdedup.state import ASSIGNED

    rows = []
    for i, text in enumerate(texts):
        row = {col: None for col in ASSIGNED}
        row.update(article_id=f"{story}_{i}", path=f"{story}_{i}.txt", title=f"{story} {i}", text=text,
                   n_words=len(text.split()), syndicate_id=f"syn_{story}_{i}", story_id=story)
        rows.append(row)
    return rows


def test_house_style_counts_over_every_story_not_only_a_run_s(fake_embedder):
    """A sentence an outlet prints under every story is boilerplate once three stories hold it, even when
    they arrive in separate runs: the third run must also re-resolve the first two, and a fourth story's run
    must know it is house style."""
    from newsdedup.facts import resolve_stories
    from newsdedup.incremental import Changes, update_facts
    from newsdedup.state import ASSIGNED

    house = "Our reporters verify every claim before publication in this newspaper."
    news = {
        "flood": ("Floods cut the coastal road on Monday morning, officials said.",
                  "Rescue teams reached the village of Arden by boat before noon."),
        "quake": ("A small earthquake shook the valley on a quiet Sunday morning.",
                  "No damage was reported by the county emergency office afterwards."),
        "vote": ("The city council approved the new budget late on Tuesday night.",
                 "Opposition members walked out before the final vote was taken."),
        "fire": ("A warehouse fire near the harbour burned through the night.",  # after it is house style
                 "Firefighters from three towns kept the flames from the fuel depot."),
    }
    settings = load_config()
    state = _fresh(settings)
    documents = pl.DataFrame(schema=ASSIGNED)
    for story, (lead, more) in news.items():  # each story: the most complete version, and one with the house line
        new = pl.DataFrame(_story_docs(story, [f"{lead}\n\n{more}", f"{lead}\n\n{house}"]), schema=ASSIGNED)
        documents = pl.concat([documents, new])
        update_facts(state, documents, fake_embedder, settings, Changes(dirty_stories={story}))
    once = resolve_stories(documents, fake_embedder, settings.facts)
    assert house not in once.facts["text"].to_list()
    alone = resolve_stories(documents.filter(pl.col("story_id") == "flood"), fake_embedder, settings.facts)
    assert house in alone.facts["text"].to_list()  # a fact where one story is all there is
    assert sorted(state.facts["text"].to_list()) == sorted(once.facts["text"].to_list())
    assert state.canon.sort("story_id").rows() == once.canon.sort("story_id").rows()


def test_each_stage_embeds_with_its_own_model(corpus):
    """With a facts model of its own, copy groups go to the stories model and sentences to the facts model."""
    from conftest import HashingEmbedder

    from newsdedup.embed import Embedders
    from newsdedup.facts import sentence_key
    from newsdedup.normalize import split_sentences

    class Recording(HashingEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.texts: list[str] = []

        def embed(self, texts):
            self.texts += list(texts)
            return super().embed(texts)

    settings = load_config()
    stories, facts = Recording(), Recording()
    state = _fresh(settings)
    continue_run(state, corpus, settings, Embedders(stories, facts))
    sentences = {sentence_key(s) for text in state.documents["text"].to_list() for s in split_sentences(text)}
    assert stories.texts and facts.texts
    assert len(stories.texts) <= state.documents["syndicate_id"].n_unique()  # one text per copy group
    assert all(sentence_key(t) in sentences for t in facts.texts)  # sentences only
    assert not any(sentence_key(t) in sentences for t in stories.texts)  # headline + lead, never a lone sentence


def test_a_run_writes_every_output_the_nothing_new_check_looks_for(corpus, tmp_path, fake_embedder):
    from newsdedup.incremental import save_run
    from newsdedup.store import OUTPUT_FILES, missing_outputs

    settings = load_config()
    state = _fresh(settings)
    continue_run(state, corpus, settings, fake_embedder)
    out = tmp_path / "out"
    assert missing_outputs(out) == list(OUTPUT_FILES)
    save_run(out, state)
    assert sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")) == sorted(OUTPUT_FILES)
    (out / "report.html").unlink()
    assert missing_outputs(out) == ["report.html"]


def test_a_run_keeps_the_reports_story_sections_and_the_next_renders_only_what_changed(corpus, tmp_path, fake_embedder, monkeypatch):
    from newsdedup import html_report, report
    from newsdedup.incremental import save_run

    settings, state, out = _saved_run(corpus, tmp_path, fake_embedder)
    written = {name: (out / name).read_text(encoding="utf-8") for name in ("report.md", "report.html")}
    loaded = load_state(out, settings)
    assert loaded.sections.height == 2 * loaded.canon.height  # each story's section of report.md and of report.html

    def no_rendering(*args, **kwargs):
        raise AssertionError("a story whose rows did not change was rendered again")

    with monkeypatch.context() as patched:
        patched.setattr(report, "story_markdown", no_rendering)
        patched.setattr(html_report, "_story", no_rendering)
        save_run(out, loaded)
        desk = load_state(out, settings, map_sentences=True)  # the desk leaves them on disk; `check --add` reads them
        assert desk.sections is None
        save_run(out, desk)
    assert {name: (out / name).read_text(encoding="utf-8") for name in written} == written
    # a state saved before sections were kept loads, and its next run renders every story as before
    (out / "state" / "sections.parquet").unlink()
    older = load_state(out, settings)
    assert older is not None and older.sections.height == 0
    save_run(out, older)
    assert {name: (out / name).read_text(encoding="utf-8") for name in written} == written
    assert load_state(out, settings).sections.height == 2 * older.canon.height


def _feed(path, items):
    """A JSONL feed of (id, word) items; an id of None leaves the item without one (known by its place)."""
    import json

    lines = []
    for article_id, word in items:
        body = " ".join(f"The {word} report gives detail number {i} about the {word} event today." for i in range(4))
        record = {"title": f"{word.title()} headline", "text": body, "published": "2026-02-01T10:00:00Z"}
        lines.append(json.dumps(record if article_id is None else {"id": article_id, **record}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _first_feed(tmp_path, embedder, name, items):
    """A state after one run over an input folder holding one feed file of these items."""
    settings = load_config()
    state = _fresh(settings)
    inp = tmp_path / "in"
    inp.mkdir()
    _feed(inp / name, items)
    continue_run(state, inp, settings, embedder)
    return settings, state, inp


def test_an_item_that_rolls_off_a_feed_stays_and_one_the_feed_still_holds_is_not_read_again(tmp_path, fake_embedder):
    """A fetcher rewrites feed.jsonl with its latest items: those that left it stay (with a note), an item
    still there as it was is not processed again, a changed one is replaced."""
    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour"), ("b", "mountain"), ("c", "river")])
    story_of_b = state.documents.filter(pl.col("article_id") == "b")["story_id"][0]
    _feed(inp / "feed.jsonl", [("d", "desert"), ("b", "mountain"), ("c", "volcano")])  # newest on top
    changes = continue_run(state, inp, settings, fake_embedder)
    docs = {r["article_id"]: r for r in state.documents.iter_rows(named=True)}
    assert sorted(docs) == ["a", "b", "c", "d"]
    assert changes.added == 2 and changes.removed == 1  # d is new, c's new version replaces its old one
    assert changes.rolled_off == 1
    assert docs["a"]["notes"] == ["no longer in feed.jsonl: kept as last read"] and "harbour" in docs["a"]["text"]
    assert docs["b"]["path"] == "feed.jsonl:2" and docs["b"]["story_id"] == story_of_b and docs["b"]["notes"] == []
    assert "volcano" in docs["c"]["text"] and docs["d"]["notes"] == []
    assert sorted(state.sketches["article_id"].to_list()) == sorted(docs)  # each article fingerprinted once
    _feed(inp / "feed.jsonl", [("e", "forest"), ("d", "desert")])
    changes = continue_run(state, inp, settings, fake_embedder)
    assert changes.rolled_off == 2 and state.documents.height == 5  # b and c left now; a had left before
    (inp / "feed.jsonl").unlink()  # a deleted feed takes its items with it, those that rolled off too
    continue_run(state, inp, settings, fake_embedder)
    assert state.documents.height == 0


def test_a_correction_appended_under_an_items_url_is_no_item_leaving_its_log(tmp_path, fake_embedder):
    """An operator's review: items without ids are known by their urls; a correction appended with the same url makes
    both known by their places (a url two items share names neither). The old url-named row had been kept as "no
    longer in log.jsonl" beside them: three versions of one item, where a fresh run holds two."""
    import json

    def line(url, word, extra=""):
        body = " ".join(f"The {word} report gives detail number {i} about the {word} event today." for i in range(4))
        return json.dumps({"title": f"{word.title()} headline", "text": body + extra, "url": url, "published": "2026-02-01T10:00:00Z"})

    settings, state = load_config(), _fresh(load_config())
    inp = tmp_path / "in"
    inp.mkdir()
    log = inp / "log.jsonl"
    log.write_text(line("https://x.example/0", "harbour") + "\n" + line("https://x.example/1", "mountain") + "\n", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    assert sorted(state.documents["article_id"].to_list()) == ["https://x.example/0", "https://x.example/1"]
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(line("https://x.example/0", "harbour", " The harbour reopened at noon, officials said.") + "\n")
    changes = continue_run(state, inp, settings, fake_embedder)
    assert sorted(state.documents["article_id"].to_list()) == ["https://x.example/1", "log:1", "log:3"]
    assert changes.rolled_off == 0 and all(notes == [] for notes in state.documents["notes"].to_list())
    fresh = _fresh(settings)
    continue_run(fresh, inp, settings, fake_embedder)
    assert sorted(fresh.documents["article_id"].to_list()) == sorted(state.documents["article_id"].to_list())
    # items with ids of their own sharing one placeholder link: one that leaves the feed is kept, as any other
    (inp / "log.jsonl").unlink()
    feed = inp / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({**json.loads(line("https://x.example/", w)), "id": w}) for w in ("lake", "field")) + "\n",
                    encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    feed.write_text(json.dumps({**json.loads(line("https://x.example/", "cave")), "id": "cave"}) + "\n"
                    + json.dumps({**json.loads(line("https://x.example/", "field")), "id": "field"}) + "\n", encoding="utf-8")
    changes = continue_run(state, inp, settings, fake_embedder)
    assert sorted(state.documents["article_id"].to_list()) == ["cave", "field", "lake"] and changes.rolled_off == 1


def test_items_known_by_their_place_or_with_keep_rolled_off_false_go_with_the_feed_s_old_version(tmp_path, fake_embedder):
    base = load_config()
    for settings, items, kept in (
        (base, [(None, "harbour"), (None, "mountain")], []),  # 'feed:1' may be another item in the next version
        (base.model_copy(update={"ingest": base.ingest.model_copy(update={"keep_rolled_off": False})}),
         [("a", "harbour"), ("b", "mountain")], []),
        (base, [("a", "harbour"), ("b", "mountain")], ["a", "b"]),
    ):
        state = _fresh(settings)
        inp = tmp_path / f"in{len(list(tmp_path.iterdir()))}"
        inp.mkdir()
        _feed(inp / "feed.jsonl", items)
        continue_run(state, inp, settings, fake_embedder)
        _feed(inp / "feed.jsonl", [("z", "desert")])
        continue_run(state, inp, settings, fake_embedder)
        assert sorted(state.documents["article_id"].to_list()) == sorted([*kept, "z"])


def test_a_rebuild_from_an_older_state_holds_a_wire_version_2_once(tmp_path, fake_embedder):
    """An older version kept a ninjs version 2 under its bare uri; read now as 'URI@v2' with the same text, it is the
    same item read again, not one that rolled off its feed beside a new one."""
    import json

    from newsdedup.state import previous_documents

    settings = load_config()
    inp = tmp_path / "in"
    inp.mkdir()
    body = " ".join(f"The harbour report gives detail number {i} about the storm." for i in range(5))
    items = [{"uri": "urn:x:9", "version": "2", "versioncreated": "2026-02-01T10:00:00Z", "headline": "Storm", "body_text": body},
             {"uri": "urn:x:10", "headline": "Other", "body_text": body.replace("harbour", "mountain")}]
    (inp / "wire.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    state = _fresh(settings)
    continue_run(state, inp, settings, fake_embedder)
    assert sorted(state.documents["article_id"].to_list()) == ["urn:x:10", "urn:x:9@v2"]
    state.documents = state.documents.with_columns(pl.col("article_id").str.replace("@v2", "", literal=True))
    out = tmp_path / "out"
    save_state(out, state)
    rebuilt = _fresh(settings)
    continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    assert sorted(rebuilt.documents["article_id"].to_list()) == ["urn:x:10", "urn:x:9@v2"]


def test_a_rebuild_does_not_take_an_input_folder_called_check_for_the_desk(tmp_path, fake_embedder):
    """An input under check/ whose file went is gone after a rebuild too; an older state's desk article, added as
    'check/NAME' under an id of its own name, is kept."""
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour")])
    (inp / "check").mkdir()
    _feed(inp / "check" / "b.jsonl", [("b", "mountain")])
    continue_run(state, inp, settings, fake_embedder)
    (inp / "check" / "b.jsonl").unlink()
    old_desk = state.documents.filter(pl.col("article_id") == "a").with_columns(
        article_id=pl.lit("story"), path=pl.lit("check/incoming/story.txt"))
    state.documents = pl.concat([state.documents, old_desk])
    out = tmp_path / "out"
    save_state(out, state)
    rebuilt = _fresh(settings)
    continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    assert sorted(rebuilt.documents["article_id"].to_list()) == ["a", "story"]


def test_a_manifest_holds_an_inode_past_2_to_the_63():
    from newsdedup.state import Plan

    plan = Plan({"a.txt": "f" * 40}, [], [], {}, {"a.txt": (10, 1, 2, 2**63 + 5)})
    assert plan.manifest()["inode"].to_list() == [2**63 + 5]


def test_a_rebuild_keeps_the_articles_the_desk_added(tmp_path, fake_embedder):
    """`check --add` puts articles in the state that no input holds: `--full` (or other settings) keeps them."""
    from newsdedup.check import desk_article
    from newsdedup.incremental import Changes, add_documents
    from newsdedup.ingest import read_files
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour")])
    desk_in = tmp_path / "desk"
    desk_in.mkdir()
    _feed(desk_in / "story.jsonl", [(None, "volcano")])
    docs, _ = read_files(desk_in, [desk_in / "story.jsonl"], settings.ingest)
    doc = desk_article(docs.row(0, named=True), str(desk_in / "story.jsonl"), "story.jsonl")
    add_documents(state, pl.DataFrame([doc], schema=DOCUMENTS), settings, fake_embedder, Changes(added=1))
    out = tmp_path / "out"
    save_state(out, state)
    rebuilt = _fresh(settings)
    changes = continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    assert sorted(rebuilt.documents["article_id"].to_list()) == sorted(["a", doc["article_id"]]) and changes.added == 2
    assert doc["article_id"].startswith("check:story-") and doc["path"] == f"check:{desk_in / 'story.jsonl'}:1"


def test_an_input_delivering_an_id_the_desk_added_replaces_the_desk_s_article(tmp_path, fake_embedder):
    """An operator's review: the wire delivers, corrected, an item a desk had added under its id. Every run had
    rejected the input's as a duplicate of the desk's, while a rebuild kept the input's: the input's stands."""
    from newsdedup.check import desk_article
    from newsdedup.incremental import Changes, add_documents
    from newsdedup.ingest import read_files

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour")])
    desk_in = tmp_path / "desk"
    desk_in.mkdir()
    _feed(desk_in / "wire.jsonl", [("w7", "volcano")])
    docs, _ = read_files(desk_in, [desk_in / "wire.jsonl"], settings.ingest)
    doc = desk_article(docs.row(0, named=True), str(desk_in / "wire.jsonl"), "wire.jsonl")
    add_documents(state, pl.DataFrame([doc], schema=DOCUMENTS), settings, fake_embedder, Changes(added=1))
    assert doc["article_id"] == "w7" and doc["path"].startswith("check:")
    _feed(inp / "wire.jsonl", [("w7", "glacier")])  # the wire's own, corrected
    continue_run(state, inp, settings, fake_embedder)
    assert state.rejects.height == 0
    w7 = state.documents.filter(pl.col("article_id") == "w7").row(0, named=True)
    assert w7["path"] == "wire.jsonl:1" and "glacier" in w7["text"] and state.documents.height == 2
    assert state.sketches["article_id"].to_list().count("w7") == 1


def test_remove_takes_out_what_no_input_holds_and_leaves_the_state_a_run_without_it_makes(tmp_path, fake_embedder):
    """An operator's review: an article `check --add` added by mistake could not be taken out again (it survived
    --full). `remove_articles` takes out a desk's article and an item kept after leaving its feed, as if never read;
    an input's article stays (a run would read it again), and the refusal says why."""
    import json

    from newsdedup.check import desk_article
    from newsdedup.incremental import Changes, add_documents, remove_articles
    from newsdedup.ingest import read_files
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour"), ("b", "mountain"), ("c", "river")])
    desk_in = tmp_path / "desk"
    desk_in.mkdir()
    _feed(desk_in / "wire.jsonl", [("a2", "harbour")])  # a's text with one sentence more: a's copy group's longest
    record = json.loads((desk_in / "wire.jsonl").read_text(encoding="utf-8"))
    record["text"] += " The harbour master said the quay would reopen at noon on Tuesday after repairs."
    (desk_in / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    docs, _ = read_files(desk_in, [desk_in / "wire.jsonl"], settings.ingest)
    doc = desk_article(docs.row(0, named=True), str(desk_in / "wire.jsonl"), "wire.jsonl")
    add_documents(state, pl.DataFrame([doc], schema=DOCUMENTS), settings, fake_embedder, Changes(added=1))
    a_group = state.documents.filter(pl.col("article_id") == "a")["syndicate_id"][0]
    assert state.documents.filter(pl.col("article_id") == "a2")["syndicate_id"][0] == a_group
    assert "a2" in state.canon["canonical_article_id"].to_list()
    _feed(inp / "feed.jsonl", [("a", "harbour"), ("c", "river")])  # b leaves the feed and is kept
    continue_run(state, inp, settings, fake_embedder)
    assert sorted(state.documents["article_id"].to_list()) == ["a", "a2", "b", "c"]

    changes, refused = remove_articles(state, ["a2", "b", "a", "nope", "a2"], settings, fake_embedder)
    assert changes.removed == 2 and set(refused) == {"a", "nope"}
    assert refused["a"].startswith("the input file feed.jsonl (item 1) holds it: remove it there and run")
    assert refused["nope"] == "no article of this id is held"
    from newsdedup.incremental import why_not_removable  # and one the desk added before state version 35 ('check/NAME')

    assert why_not_removable({"path": "check/story.txt", "notes": []}, {"feed.jsonl"}) is None
    assert why_not_removable({"path": "check/story.txt", "notes": []}, {"check/story.txt"}).startswith("the input file")
    fresh = _fresh(settings)
    continue_run(fresh, inp, settings, fake_embedder)
    a, b = state.documents.sort("article_id"), fresh.documents.sort("article_id")
    assert a["article_id"].to_list() == b["article_id"].to_list() == ["a", "c"]
    assert _partition(a["story_id"].to_list()) == _partition(b["story_id"].to_list())
    assert sorted(state.canon["canonical_article_id"].to_list()) == sorted(fresh.canon["canonical_article_id"].to_list())
    assert state.facts.height == fresh.facts.height and state.pairs.height == fresh.pairs.height == 0
    assert sorted(state.sketches["article_id"].to_list()) == ["a", "c"] and len(state.signatures) == 2
    assert "a2" not in state.lsh and "b" not in state.lsh and state.groups.height == fresh.groups.height
    out = tmp_path / "out"
    save_state(out, state)
    rebuilt = _fresh(settings)  # --full: what was removed does not come back
    continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    assert sorted(rebuilt.documents["article_id"].to_list()) == ["a", "c"]


def test_a_rebuild_carries_over_the_items_that_rolled_off(tmp_path, fake_embedder):
    """Other settings (or --full) read every input again; items no input holds any more come from the old state."""
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour"), ("b", "mountain")])
    out = tmp_path / "out"
    _feed(inp / "feed.jsonl", [("b", "mountain"), ("c", "river")])
    continue_run(state, inp, settings, fake_embedder)
    save_state(out, state)
    (inp / "gone.jsonl").write_text("", encoding="utf-8")
    rebuilt = _fresh(settings)
    changes = continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    assert sorted(rebuilt.documents["article_id"].to_list()) == ["a", "b", "c"] and changes.added == 3
    a = rebuilt.documents.filter(pl.col("article_id") == "a").row(0, named=True)
    assert a["notes"] == ["no longer in feed.jsonl: kept as last read"] and a["story_id"] is not None
    assert previous_documents(tmp_path / "nowhere") is None
    (out / "state").rename(out / "state.old")  # a run killed between the two renames of save_state (or in them now)
    assert previous_documents(out)["article_id"].to_list() == ["a", "b", "c"]
    # read where it is, not moved by a reader (who holds no lock: a run's save had failed so); the next save puts it back
    assert (out / "state.old").is_dir() and not (out / "state").exists()
    save_state(out, state)
    assert (out / "state").is_dir() and not (out / "state.old").exists()
    # a state of a version before documents had utc_offset: its items are carried over all the same, undated by zone
    old_docs = out / "state" / "documents.parquet"
    pl.read_parquet(old_docs).drop("utc_offset").write_parquet(old_docs)
    carried = previous_documents(out)
    assert carried["article_id"].to_list() == ["a", "b", "c"] and carried["utc_offset"].null_count() == 3


def test_a_rebuild_for_a_higher_min_words_rejects_the_kept_items_it_would_reject_if_read_now(tmp_path, fake_embedder):
    """Items that rolled off are kept as cleaned then; under a min_words that rejects their text read now, a rebuild
    lists them as rejects (naming the article), not as articles shorter than the config allows, and holds them for a
    later rebuild: trying a stricter config loses nothing."""
    from newsdedup.incremental import save_run
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour"), ("b", "mountain")])
    out = tmp_path / "out"
    _feed(inp / "feed.jsonl", [("b", "mountain")])
    continue_run(state, inp, settings, fake_embedder)
    save_state(out, state)
    n_words = state.documents["n_words"].max()
    stricter = settings.model_copy(update={"ingest": settings.ingest.model_copy(update={"min_words": n_words + 1})})
    rebuilt = _fresh(stricter)
    changes = continue_run(rebuilt, inp, stricter, fake_embedder, previous_documents(out))
    assert rebuilt.documents.height == 0 and changes.added == 0
    assert rebuilt.rejects.rows() == [("feed.jsonl:1", f"body too short ({n_words} words, need {n_words + 1})")]
    assert rebuilt.held.select("article_id", "path", "reason").rows() == [
        ("a", "feed.jsonl:1", f"body too short ({n_words} words, need {n_words + 1}): article a, kept from an earlier "
                              "run as no input holds it now")]
    save_run(out, rebuilt)  # the outputs list it as a reject; the state holds it, not dropped
    assert sorted(pl.read_parquet(out / "rejects.parquet")["reason"].to_list())[1].endswith("article a, kept from an "
                                                                                            "earlier run as no input holds it now")
    again = _fresh(settings)  # back to the config before: a rebuild takes it back
    continue_run(again, inp, settings, fake_embedder, previous_documents(out))
    assert again.documents["article_id"].to_list() == ["a", "b"] and again.held.height == 0 and again.rejects.height == 0
    same = load_state(out, stricter)  # a run of the stricter config that reads a again drops it from the held
    _feed(inp / "feed.jsonl", [("b", "mountain"), ("a", "harbour")])
    continue_run(same, inp, stricter, fake_embedder)
    assert same.held.height == 0 and sorted(same.rejects["path"].to_list()) == ["feed.jsonl:1", "feed.jsonl:2"]


def test_an_item_that_left_its_feed_is_replaced_when_read_again_and_kept_as_it_was_when_unchanged(tmp_path, fake_embedder):
    settings, state, inp = _first_feed(tmp_path, fake_embedder, "a.jsonl", [("x", "harbour"), ("y", "mountain")])
    _feed(inp / "a.jsonl", [("y", "mountain")])  # x leaves the feed ...
    continue_run(state, inp, settings, fake_embedder)
    _feed(inp / "a.jsonl", [("x", "harbour"), ("y", "mountain")])  # ... and comes back as it was: nothing to redo
    changes = continue_run(state, inp, settings, fake_embedder)
    assert (changes.added, changes.removed) == (0, 0)
    assert state.documents.filter(pl.col("article_id") == "x")["notes"].to_list() == [[]]
    _feed(inp / "a.jsonl", [("y", "mountain")])
    continue_run(state, inp, settings, fake_embedder)
    _feed(inp / "b.jsonl", [("x", "volcano")])  # x, gone from a.jsonl, turns up corrected in another file
    changes = continue_run(state, inp, settings, fake_embedder)
    x = state.documents.filter(pl.col("article_id") == "x").row(0, named=True)
    assert "volcano" in x["text"] and x["path"] == "b.jsonl:1" and x["notes"] == []
    assert (changes.added, changes.removed) == (1, 1) and state.rejects.height == 0


def test_an_item_whose_new_version_is_rejected_is_not_kept_and_a_rebuild_carries_no_reject(tmp_path, fake_embedder):
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "a.jsonl", [("x", "harbour"), ("y", "mountain")])
    out = tmp_path / "out"
    lines = (inp / "a.jsonl").read_text(encoding="utf-8").splitlines()
    lines[0] = '{"id": "x", "title": "Harbour headline", "text": "Story withdrawn."}'
    (inp / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)  # x is still in the feed, as a story withdrawn: too short
    assert state.documents["article_id"].to_list() == ["y"] and state.rejects["path"].to_list() == ["a.jsonl:1"]
    _feed(inp / "a.jsonl", [("y", "mountain")])
    continue_run(state, inp, settings, fake_embedder)
    save_state(out, state)
    _feed(inp / "a.jsonl", [("z", "river")])  # y leaves the feed: kept
    continue_run(state, inp, settings, fake_embedder)
    save_state(out, state)
    strict = settings.model_copy(update={"ingest": settings.ingest.model_copy(update={"min_words": 500})})
    rebuilt = _fresh(strict)
    continue_run(rebuilt, inp, strict, fake_embedder, previous_documents(out))
    # z is read and rejected now; y, which left the feed, is held back as too short too; x's old reject is not carried
    assert rebuilt.documents.height == 0 and rebuilt.rejects["path"].to_list() == ["a.jsonl:1"]
    assert rebuilt.held["article_id"].to_list() == ["y"]
    rebuilt = _fresh(settings)
    continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    assert rebuilt.documents["article_id"].to_list() == ["y", "z"] and rebuilt.rejects.height == 0
    no_jsonl = settings.model_copy(update={"ingest": settings.ingest.model_copy(update={"extensions": [".txt"]})})
    rebuilt = _fresh(no_jsonl)
    continue_run(rebuilt, inp, no_jsonl, fake_embedder, previous_documents(out))
    assert rebuilt.documents.height == 0  # a file no longer read at all keeps nothing


def test_a_feed_emptied_or_broken_for_a_moment_keeps_its_items(tmp_path, fake_embedder):
    """A fetcher truncates wire.jsonl before writing it: the file read empty holds no item, but is no broken file."""
    settings, state, inp = _first_feed(tmp_path, fake_embedder, "wire.jsonl", [("x", "harbour"), ("y", "mountain")])
    _feed(inp / "wire.jsonl", [("y", "mountain")])
    continue_run(state, inp, settings, fake_embedder)
    for emptied in ("", "\n"):
        (inp / "wire.jsonl").write_text(emptied, encoding="utf-8")
        changes = continue_run(state, inp, settings, fake_embedder)
        assert state.documents["article_id"].to_list() == ["x", "y"] and changes.removed == 0
        assert dict(state.rejects.iter_rows()) == {"wire.jsonl": "empty file"}
    (inp / "array.json").write_text('[{"id": "z", "title": "River headline", "text": "%s"}]' % ("The river rose again. " * 5),
                                    encoding="utf-8")
    continue_run(state, inp, settings, fake_embedder)
    (inp / "array.json").write_text("[]", encoding="utf-8")  # "JSON array with no articles": read, holding none
    continue_run(state, inp, settings, fake_embedder)
    assert state.documents["article_id"].to_list() == ["x", "y", "z"]
    (inp / "array.json").write_text('[{"id": "z", "title": ', encoding="utf-8")  # invalid JSON: not read at all
    changes = continue_run(state, inp, settings, fake_embedder)
    # kept as last read (an operator's review: a half-written feed lost every item that had left it, for good)
    assert state.documents["article_id"].to_list() == ["x", "y", "z"] and changes.removed == 0
    assert state.documents.filter(pl.col("article_id") == "z")["notes"].to_list() == [["no date given", "no longer in array.json: kept as last read"]]
    assert state.rejects.filter(pl.col("path") == "array.json")["reason"][0].startswith("invalid JSON")
    (inp / "array.json").unlink()  # a deleted file takes its items with it
    continue_run(state, inp, settings, fake_embedder)
    assert state.documents["article_id"].to_list() == ["x", "y"]


def test_a_rebuild_while_a_feed_cannot_be_read_keeps_its_items(tmp_path, fake_embedder):
    """A review's case: a rebuild (--full, other settings, a new state version) while a feed is half-written had lost
    its items, those that had left it too, before the run's save overwrote the only state holding them."""
    from newsdedup.state import previous_documents

    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour"), ("b", "mountain")])
    _feed(inp / "feed.jsonl", [("c", "river"), ("b", "mountain")])
    continue_run(state, inp, settings, fake_embedder)  # a left
    out = tmp_path / "out"
    save_state(out, state)
    (inp / "feed.jsonl").write_bytes(bytes(range(256)) * 4)
    rebuilt = _fresh(settings)
    continue_run(rebuilt, inp, settings, fake_embedder, previous_documents(out))
    notes = dict(zip(rebuilt.documents["article_id"].to_list(), rebuilt.documents["notes"].to_list()))
    assert notes == {"a": ["no longer in feed.jsonl: kept as last read"], "b": ["feed.jsonl could not be read: kept as last read"],
                     "c": ["feed.jsonl could not be read: kept as last read"]}


def test_the_items_that_left_a_feed_outlive_a_run_that_cannot_read_it(tmp_path, fake_embedder):
    """A feed caught half-written (or grown past max_file_mb) is rejected for that run; the items that had left it
    live only in the state and stay, and so do the others, until the feed is read whole again."""
    settings, state, inp = _first_feed(tmp_path, fake_embedder, "feed.jsonl", [("a", "harbour"), ("b", "mountain")])
    _feed(inp / "feed.jsonl", [("c", "river"), ("b", "mountain")])
    continue_run(state, inp, settings, fake_embedder)  # a left
    text = (inp / "feed.jsonl").read_text(encoding="utf-8")
    (inp / "feed.jsonl").write_bytes(bytes(range(256)) * 4)  # a binary file this time: not read at all
    changes = continue_run(state, inp, settings, fake_embedder)
    notes = dict(zip(state.documents["article_id"].to_list(), state.documents["notes"].to_list()))
    assert changes.removed == 0 and changes.rolled_off == 0 and state.rejects.height == 1
    assert notes == {"a": ["no longer in feed.jsonl: kept as last read"], "b": ["feed.jsonl could not be read: kept as last read"],
                     "c": ["feed.jsonl could not be read: kept as last read"]}
    (inp / "feed.jsonl").write_text(text.replace('"id": "b"', '"id": "d"'), encoding="utf-8")  # whole again; b has left
    changes = continue_run(state, inp, settings, fake_embedder)
    notes = dict(zip(state.documents["article_id"].to_list(), state.documents["notes"].to_list()))
    assert changes.rolled_off == 1 and state.rejects.height == 0  # b left while the feed could not be read; a before
    assert notes == {"a": ["no longer in feed.jsonl: kept as last read"], "b": ["no longer in feed.jsonl: kept as last read"],
                     "c": [], "d": []}


def test_a_file_in_a_folder_that_can_be_listed_but_not_entered_is_a_reject_not_a_crash(tmp_path, fake_embedder, monkeypatch):
    """A hostile-input review: a folder with read but no search permission (chmod 644) lists its files' names, and
    every look at one (stat) is refused: the run crashed with a PermissionError. Tests run as root, where no
    permission is refused, so the refusal is made by os.stat and os.lstat here."""
    import errno
    import os

    from newsdedup.ingest import not_a_file

    inp = tmp_path / "in"
    (inp / "shut").mkdir(parents=True)
    _feed(inp / "feed.jsonl", [("a", "harbour")])
    (inp / "shut" / "a.txt").write_text("Storm hits coast\n\nThe river rose two metres overnight, officials said on Tuesday.\n")
    real_stat, real_lstat = os.stat, os.lstat

    def refused(real):
        def look(path, *args, **kwargs):
            if os.fspath(path).endswith(os.path.join("shut", "a.txt")):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real(path, *args, **kwargs)
        return look

    monkeypatch.setattr(os, "stat", refused(real_stat))
    monkeypatch.setattr(os, "lstat", refused(real_lstat))
    assert not_a_file(inp / "shut" / "a.txt") == "cannot be read: permission denied (a folder on its path cannot be entered)"
    settings, state = load_config(), _fresh(load_config())
    continue_run(state, inp, settings, fake_embedder)
    assert state.documents["article_id"].to_list() == ["a"]
    assert state.rejects.rows() == [("shut/a.txt", "cannot be read: permission denied (a folder on its path cannot be entered)")]


def test_a_rebuild_s_summary_says_it_rebuilt_instead_of_counting_every_article_new(corpus, tmp_path, fake_embedder):
    """A walk-through's finding: after --full or a config change the summary said "this run: 8 new", though nothing
    was new; a first run's articles are new."""
    from newsdedup.incremental import add_documents, ingest_changes, save_run, start_run

    settings, out = load_config(), tmp_path / "out"
    lines = []
    for full in (False, True):
        start = start_run(corpus, out, settings, full=full)
        new_docs, changes = ingest_changes(start.state, corpus, start.plan, settings, start.previous)
        add_documents(start.state, new_docs, settings, fake_embedder, changes)
        lines.append(changes.summary(save_run(out, start.state)).line())
    assert "; this run: " in lines[0] and " new, " in lines[0] and "rebuilt" not in lines[0]
    assert lines[1].endswith("; this run: rebuilt whole from the inputs and the saved state")


def test_a_rebuild_keeps_the_ids_of_copy_groups_and_stories(corpus, tmp_path, fake_embedder):
    """An integrator's walk-through: after `run --full` (or another config, or a new version's state) every story had a
    new id, and one kept from a desk's verdict or a report named nothing. A rebuild gives each group its old id."""
    from newsdedup.incremental import add_documents, ingest_changes, save_run, start_run

    settings, out, inp = load_config(), tmp_path / "out", tmp_path / "in"
    shutil.copytree(corpus / "seeds", inp / "seeds")  # the originals first, their copies in a later run: the groups
    ids = []                                          # and the story keep the ids their first members gave them
    for step in ("seeds", "copies", "full"):
        if step == "copies":
            shutil.copytree(corpus / "copies", inp / "copies")
        start = start_run(inp, out, settings, full=step == "full")
        new_docs, changes = ingest_changes(start.state, inp, start.plan, settings, start.previous)
        add_documents(start.state, new_docs, settings, fake_embedder, changes)
        save_run(out, start.state)
        ids.append(start.state.documents.select("article_id", "syndicate_id", "story_id").sort("article_id"))
    assert ids[1].equals(ids[2])
    fresh = _fresh(settings)  # named from all its articles at once, as a rebuild had named them
    continue_run(fresh, inp, settings, fake_embedder)
    named = fresh.documents.select("article_id", "syndicate_id", "story_id").sort("article_id")
    assert not named.equals(ids[1]) and _partition(named["story_id"].to_list()) == _partition(ids[1]["story_id"].to_list())
    assert _partition(named["syndicate_id"].to_list()) == _partition(ids[1]["syndicate_id"].to_list())
