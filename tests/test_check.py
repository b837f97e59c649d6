"""The wire desk's check: copy, update, same story or new, from the saved state, without changing it."""

from __future__ import annotations

import json
import os
import re
import shutil
import zlib
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import SEEDS
from newsdedup.check import COPY, HELD, NEW, OF_KEYS, SAME_STORY, UPDATE, Desk, Verdict
from newsdedup.cli import app
from newsdedup.config import DEFAULT_CONFIG, load_config
from newsdedup.embed import Embedders
from newsdedup.incremental import continue_run, save_run
from newsdedup.ingest import read_files
from newsdedup.normalize import split_sentences
from newsdedup.state import State, load_state, new_state, settings_fingerprint

SEED_004 = SEEDS / "004_aa58e34a18a8b4a3.txt"
SEED_003 = SEEDS / "003_b5333d69a80e2512.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def saved(tmp_path_factory, real_models):
    """A state and outputs from four of the seeds (002 is held back, to arrive later)."""
    root = tmp_path_factory.mktemp("desk")
    inp = root / "in"
    inp.mkdir()
    for seed in SEEDS.iterdir():
        if not seed.name.startswith("002"):
            shutil.copy(seed, inp / seed.name)
    settings = load_config()
    state = new_state(settings)  # as a run makes it: it keeps the settings, for a reason why another config cannot use it
    continue_run(state, inp, settings, real_models)
    save_run(root / "out", state)
    return root / "out"


@pytest.fixture
def desk(saved, real_models):
    return Desk(load_state(saved, load_config()), load_config(), real_models)


def _doc(tmp_path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    docs, rejects = read_files(tmp_path, [path], load_config().ingest)
    assert rejects.height == 0
    return docs.row(0, named=True)


def _trimmed_004() -> str:
    paragraphs = [p for p in SEED_004.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return "PAKISTAN SAYS 92 MILITANTS KILLED | Courier\n\nBy Jane Doe\n\n" + "\n\n".join(paragraphs[2:5])


def test_a_trimmed_copy_is_a_copy(desk, tmp_path):
    verdict = desk.check(_doc(tmp_path, "c.txt", _trimmed_004()))
    assert verdict.verdict == COPY
    assert verdict.of["article_id"] == "004_aa58e34a18a8b4a3"
    assert "headline changed" in verdict.differs and any(d.startswith("trimmed to") for d in verdict.differs)
    assert verdict.adds == []


def test_a_copy_missing_a_middle_paragraph_is_cut_inside_not_trimmed(desk, tmp_path):
    """A review's desk case: a paragraph cut from the middle read "trimmed to 94 %", as a bottom trim does."""
    paragraphs = [p for p in SEED_004.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    middle = max(range(3, len(paragraphs) - 3), key=lambda i: len(paragraphs[i].split()))
    verdict = desk.check(_doc(tmp_path, "cut.txt", "\n\n".join(paragraphs[:middle] + paragraphs[middle + 1 :])))
    assert verdict.verdict == COPY and verdict.of["article_id"] == SEED_004.stem
    assert any(d.startswith("cut inside to ") and d.endswith("of the original (its ending kept)") for d in verdict.differs), verdict.differs
    assert not any(d.startswith("trimmed to") for d in verdict.differs)


def test_a_copy_with_new_sentences_is_an_update(desk, tmp_path):
    news = "Officials in Quetta said on Monday that the death toll had risen to 160 after injured people died in hospital."
    verdict = desk.check(_doc(tmp_path, "u.txt", _trimmed_004() + "\n\n" + news + "\n"))
    assert verdict.verdict == UPDATE
    assert verdict.adds == [news]


def test_an_update_pasting_another_write_ups_lines_says_whose(desk, tmp_path):
    """A copy of 004 with a sentence of 003 (another outlet's write-up of the story) appended: the desk names 003."""
    pasted = next(s for s in split_sentences(SEED_003.read_text(encoding="utf-8")) if "Operation Herof" in s)
    verdict = desk.check(_doc(tmp_path, "u.txt", _trimmed_004() + "\n\n" + pasted + "\n"))
    assert verdict.verdict == UPDATE and verdict.adds == [pasted]
    assert "text added (also in 003_b5333d69a80e2512 (unknown outlet))" in verdict.differs
    # a sentence no version holds comes from nowhere the desk knows
    news = "Officials in Quetta said on Monday that the death toll had risen to 160 after injured people died in hospital."
    assert "text added" in desk.check(_doc(tmp_path, "n.txt", _trimmed_004() + "\n\n" + news + "\n")).differs


def test_a_correction_of_a_copy_names_the_words_it_changes(desk, tmp_path):
    """A review's desk case: a correction ("could not be verified" -> "could be verified") was a copy with nothing
    said; now the edit and its sentence are (a copy still: no sentence or figure is added)."""
    corrected = SEED_004.read_text(encoding="utf-8").replace("could not be verified", "could be verified")
    verdict = desk.check(_doc(tmp_path, "corrected.txt", corrected))
    assert verdict.verdict == COPY and verdict.of["article_id"] == SEED_004.stem and verdict.adds == []
    sentence = ("A video circulating online showed him saying he was in militant custody, though its authenticity "
                "could be verified.")
    assert verdict.edits == [{"what": '"not" cut', "sentence": sentence}]
    assert f'1 edit: "not" cut in "{sentence}"' in verdict.line()
    # a figure changed is an update that names the figure, not "text added"
    recount = desk.check(_doc(tmp_path, "recount.txt", SEED_004.read_text(encoding="utf-8").replace("killing 11 people", "killing 14 people")))
    assert recount.verdict == UPDATE and not any(d.startswith("text added") for d in recount.differs), recount.differs
    assert '1 edit: "14" for "11" in "In Gwadar, militants attacked a camp housing migrant workers, killing 14 people,' in recount.line()


def test_a_copy_giving_another_figure_is_an_update_that_says_so(desk, tmp_path):
    """A wire update changes one number in the lede: its shingles are mostly the original's, its figure is not."""
    updated = _trimmed_004().replace("at least 92 militants were killed", "at least 110 militants were killed")
    verdict = desk.check(_doc(tmp_path, "u.txt", updated))
    assert verdict.verdict == UPDATE and verdict.of["article_id"] == "004_aa58e34a18a8b4a3"
    assert [fact[:45] for fact in verdict.adds] == ["Pakistan says at least 110 militants were kil"]
    assert "at least 110 militants where the original gives at least 92 militants" in verdict.differs
    # the same number worded differently is no update
    reworded = _trimmed_004().replace("leaving at least 18 people dead", "leaving eighteen people dead")
    assert desk.check(_doc(tmp_path, "r.txt", reworded)).verdict == COPY


def test_an_update_is_an_update_of_the_version_holding_most_of_it(tmp_path, real_models):
    """A state holding a wire story and a newspaper's trimmed copy of it: the wire's update (a paragraph added,
    a count changed beyond the trimmed part) is an update of the wire story, which holds most of its text, not of
    the trimmed copy, which its text holds whole (the better containment)."""
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SEED_004, inp / SEED_004.name)
    (inp / "trimmed.txt").write_text(_trimmed_004(), encoding="utf-8")
    settings = load_config()
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, real_models)
    save_run(tmp_path / "out", state)
    desk = Desk(load_state(tmp_path / "out", settings), settings, real_models)
    news = "Police said on Sunday they had arrested 14 suspects in Quetta in connection with the attacks."
    body, tags = SEED_004.read_text(encoding="utf-8").rsplit("\n\nTags", 1)  # the tag list closes the article
    text = body.replace("killing 11 people", "killing 13 people") + "\n\n" + news + "\n\nTags" + tags
    verdict = desk.check(_doc(tmp_path, "update.txt", text))
    assert verdict.verdict == UPDATE and verdict.of["article_id"] == "004_aa58e34a18a8b4a3"
    assert news in verdict.adds
    assert "13 people where the original gives 11 people" in verdict.differs


def test_a_copy_held_whole_by_the_wire_and_by_a_site_s_copy_of_it_is_a_copy_of_the_wire(tmp_path, real_models, monkeypatch):
    """A review's desk case: a newspaper's copy of the wire, trimmed, is held whole by the wire story and by another
    site's (later, closer) copy of it; its original is the first published, the wire, not the site, whichever
    MinHash estimates first (here the site's, the shorter)."""
    import numpy as np

    import newsdedup.check as check

    monkeypatch.setattr(check, "estimated_shared", lambda est_j, n, sizes: np.where(sizes == sizes.min(), n, 0.97 * n))
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "wire.txt").write_text("date 2026-01-31T18:00:00Z\n" + SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    (inp / "site.txt").write_text("date 2026-01-31T20:00:00Z\n" + _trimmed_004(), encoding="utf-8")
    settings = load_config()
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, real_models)
    save_run(tmp_path / "out", state)
    desk = Desk(load_state(tmp_path / "out", settings), settings, real_models)
    paragraphs = [p for p in SEED_004.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    verdict = desk.check(_doc(tmp_path, "q.txt", "Gazette: Pakistan says 92 militants killed\n\n" + "\n\n".join(paragraphs[2:4])))
    assert verdict.verdict == COPY and verdict.of["article_id"] == "wire"


def test_a_sentence_the_most_complete_version_holds_word_for_word_is_never_an_added_fact(desk):
    canonical = desk.docs["001_72621f2fa7bf588d"]["text"]
    held = next(s for s in canonical.split("\n\n") if len(s.split()) > 8 and not any(c.isdigit() for c in s))
    new = "The ferry had left the port at 10:30 on Sunday."  # a number the version lacks, no count: decided cheaply
    adds, differs = desk._adds_to({"article_id": "x", "text": f"{held}\n\n{new}"}, "001_72621f2fa7bf588d")
    assert adds == [new] and differs == []


def test_another_outlets_write_up_is_the_same_story_with_its_facts(desk):
    docs, _ = read_files(SEEDS, [SEEDS / "002_ae9f11a7c17e6c9e.txt"], load_config().ingest)
    verdict = desk.check(docs.row(0, named=True))
    assert verdict.verdict == SAME_STORY
    assert verdict.of["canonical_article_id"] == "001_72621f2fa7bf588d"
    # the story's title as the reports give it: 001 has no headline, 003 has
    assert verdict.of["story_title"] == "Pakistan military responds to Baloch rebel attacks; over 120 dead"
    assert verdict.of["article_id"] == "001_72621f2fa7bf588d" and tuple(verdict.of) == OF_KEYS  # the version compared with
    assert any("Shahid Rind" in fact for fact in verdict.adds)
    # its "more than 120" dead is listed, and said to be another figure than 001's
    assert any(fact.startswith("More than 120 people were killed") for fact in verdict.adds)
    assert verdict.differs == ["more than 120 people killed where the most complete version gives at least 145 people killed"]


def test_the_desk_reads_this_morning_by_when_the_write_up_came_out(desk):
    """As the facts stage: "confirmed dead this morning" in a Monday write-up is Monday's toll, no other figure for
    the most complete version's Saturday count; undated, it names no day and is one."""
    from datetime import datetime, timedelta, timezone

    text = "More than 150 people were confirmed dead this morning across Balochistan, provincial officials said."
    doc = {"article_id": "x", "text": text, "title": "", "dateline": None}
    canonical = "001_72621f2fa7bf588d"
    assert desk._adds_to({**doc, "published": None}, canonical)[1] == [
        "more than 150 people killed where the most complete version gives at least 145 people killed"]
    monday = datetime(2026, 2, 2, 9, 0, tzinfo=timezone.utc)
    assert desk._adds_to({**doc, "published": monday}, canonical)[1] == []
    # by the zone its source gave: Saturday 21:00 in New York (Sunday 02:00 in UTC) is the Saturday of the count
    saturday_night = {**doc, "published": datetime(2026, 2, 1, 2, 0, tzinfo=timezone.utc), "utc_offset": timedelta(hours=-5)}
    assert desk._adds_to(saturday_night, canonical)[1] == [
        "more than 150 people killed where the most complete version gives at least 145 people killed"]
    assert desk._adds_to({**saturday_night, "utc_offset": None}, canonical)[1] == []


def test_a_restatement_naming_someone_else_adds_nothing_but_one_with_a_new_number_does(desk):
    """As the facts stage, which groups sentences stating one fact and lists a sentence of a fact the most
    complete version states only for a number it lacks: a name the version lacks is no added fact."""
    docs, _ = read_files(SEEDS, [SEEDS / "002_ae9f11a7c17e6c9e.txt"], load_config().ingest)
    doc = docs.row(0, named=True)
    named = ("Interior Minister Mohsin Naqvi, speaking to Geo News, accused India of backing the attackers, an "
             "allegation New Delhi has repeatedly denied.")
    counted = ("Interior Minister Mohsin Naqvi accused India of backing the 300 attackers, an allegation New Delhi "
               "has repeatedly denied.")
    doc["text"] += f"\n\n{named}\n\n{counted}"
    verdict = desk.check(doc)
    assert verdict.of["canonical_article_id"] == "001_72621f2fa7bf588d"
    assert named not in verdict.adds  # "Geo News" is named; the fact is the version's
    assert counted in verdict.adds


class Recording:
    def __init__(self, inner) -> None:
        self.inner, self.texts = inner, []

    def embed(self, texts):
        self.texts += list(texts)
        return self.inner.embed(texts)


def test_the_desk_reuses_the_sentence_vectors_the_run_kept(saved, real_models):
    from newsdedup.facts import sentence_key
    from newsdedup.normalize import split_sentences

    state = load_state(saved, load_config(), map_sentences=True)
    assert isinstance(state.sentence_vectors, np.memmap)  # read from disk as needed, not loaded whole
    recording = Recording(real_models.facts)
    desk = Desk(state, load_config(), Embedders(real_models.stories, recording))
    docs, _ = read_files(SEEDS, [SEEDS / "002_ae9f11a7c17e6c9e.txt"], load_config().ingest)
    verdict = desk.check(docs.row(0, named=True))
    assert verdict.verdict == SAME_STORY and verdict.adds
    canonical = split_sentences(desk.docs["001_72621f2fa7bf588d"]["text"])
    kept = set(state.sentences["sentence_key"].to_list())
    assert sum(sentence_key(s) in kept for s in canonical) > 10
    embedded = {sentence_key(t) for t in recording.texts}
    assert recording.texts and not any(sentence_key(s) in embedded for s in canonical)  # only its own sentences
    # and the verdict is the one a desk without kept vectors gives
    state.sentences = state.sentences.clear()
    again = Desk(state, load_config(), real_models).check(docs.row(0, named=True))
    assert again.adds == verdict.adds


def test_the_desk_embeds_no_sentence_that_shares_too_few_words(saved, real_models, monkeypatch):
    from newsdedup import check
    from newsdedup.facts import as_sentence, could_be_said, sentence_key

    state = load_state(saved, load_config(), map_sentences=True)
    recording = Recording(real_models.facts)
    desk = Desk(state, load_config(), Embedders(real_models.stories, recording))
    docs, _ = read_files(SEEDS, [SEEDS / "002_ae9f11a7c17e6c9e.txt"], load_config().ingest)
    doc = docs.row(0, named=True)
    aside = "Weekend football fixtures across the country were postponed until further notice."
    doc["text"] += "\n\n" + aside
    verdict = desk.check(doc)
    assert verdict.verdict == SAME_STORY and aside in verdict.adds
    theirs, _ = desk._canonical_sentences(desk.docs["001_72621f2fa7bf588d"])
    words_said = frozenset().union(*(t.content for t in theirs))
    assert not could_be_said(as_sentence(aside), theirs, words_said, desk.settings.facts)
    assert recording.texts and sentence_key(aside) not in {sentence_key(t) for t in recording.texts}
    # and the verdict is the one a desk that embeds every sentence gives
    monkeypatch.setattr(check, "could_be_said", lambda *args: True)
    every = Recording(real_models.facts)
    assert Desk(state, load_config(), Embedders(real_models.stories, every)).check(doc).adds == verdict.adds
    assert sentence_key(aside) in {sentence_key(t) for t in every.texts}


def test_term_similarities_are_the_tf_idf_cosines_and_the_cache_is_bounded(desk, monkeypatch):
    from newsdedup import check
    from newsdedup.stories import embedding_text, term_counts

    rows = np.arange(len(desk.group_rep))
    text = embedding_text("Militants attack Balochistan", "Gunmen attacked police stations in Quetta and Gwadar.")
    reps = [desk.docs[desk.group_rep[int(r)]] for r in rows]
    weighted = desk.state.terms.weigh(term_counts([text] + [embedding_text(d["title"], d["text"]) for d in reps]))
    expected = np.asarray((weighted[1:] @ weighted[0].T).todense()).ravel()
    assert expected.max() > 0.05
    mine = desk.state.terms.weigh(term_counts([text]), desk._idf)
    np.testing.assert_allclose(desk._term_similarities(mine, rows), expected, atol=1e-12)  # from the state's counts
    assert not desk._rep_terms
    monkeypatch.setattr(desk.state, "term_rows", None)  # a state saved before they were kept: counted, then cached
    np.testing.assert_allclose(desk._term_similarities(mine, rows), expected, atol=1e-12)
    np.testing.assert_allclose(desk._term_similarities(mine, rows), expected, atol=1e-12)  # from the cache
    monkeypatch.setattr(check, "REP_TERMS_KEPT", 2)
    np.testing.assert_allclose(desk._term_similarities(mine, rows[::-1]), expected[::-1], atol=1e-12)
    assert list(desk._rep_terms) == [int(r) for r in rows[::-1][-2:]]  # the two used last


def test_the_desk_knows_the_house_style_of_the_state(saved, real_models):
    from newsdedup.facts import sentence_key

    house = "Our reporters verify every claim before publication in this newspaper."
    docs, _ = read_files(SEEDS, [SEEDS / "002_ae9f11a7c17e6c9e.txt"], load_config().ingest)
    doc = docs.row(0, named=True)
    doc["text"] += "\n\n" + house
    state = load_state(saved, load_config(), map_sentences=True)
    assert house in Desk(state, load_config(), real_models).check(doc).adds  # one story holds it: news
    others = pl.DataFrame({"story_id": ["story_x", "story_y"], "key": [sentence_key(house)] * 2})
    state.story_keys = pl.concat([state.story_keys, others])
    verdict = Desk(state, load_config(), real_models).check(doc)
    assert verdict.verdict == SAME_STORY and verdict.adds and house not in verdict.adds  # three would: house style


def test_a_one_version_story_keeps_its_sentence_vectors_for_the_desk(tmp_path, real_models, monkeypatch):
    from newsdedup import check
    from newsdedup.facts import sentence_key
    from newsdedup.normalize import split_sentences

    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SEEDS / "001_72621f2fa7bf588d.txt", inp)
    settings = load_config()
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, real_models)
    save_run(tmp_path / "out", state)
    recording = Recording(real_models.facts)
    desk = Desk(load_state(tmp_path / "out", settings, map_sentences=True), settings, Embedders(real_models.stories, recording))
    docs, _ = read_files(SEEDS, [SEEDS / "002_ae9f11a7c17e6c9e.txt"], settings.ingest)
    split = []
    monkeypatch.setattr(check, "split_sentences", lambda text: split.append(text) or split_sentences(text))
    verdict = desk.check(docs.row(0, named=True))
    assert split == [docs["text"][0]]  # the article itself; the version it is compared with is not split again
    assert verdict.verdict == SAME_STORY and any("Shahid Rind" in fact for fact in verdict.adds)
    assert recording.texts  # the new article's sentences went to the sentence model
    embedded = {sentence_key(t) for t in recording.texts}  # the sentence model's texts (the article went to the other)
    assert not embedded & {sentence_key(s) for s in split_sentences(desk.docs["001_72621f2fa7bf588d"]["text"])}


def test_the_desk_checks_with_one_blas_thread_and_the_model_on_the_cores_free(desk, tmp_path, monkeypatch):
    from threadpoolctl import threadpool_info

    import newsdedup.check as check
    from newsdedup import embed

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    seen, inner, before = [], desk.embedder, blas_threads()

    class Watching:
        def embed(self, texts):
            vectors = inner.embed(texts)  # the model's threads are decided at its first call in a check
            seen.append((blas_threads(), embed._wanted_threads))
            return vectors

    desk.embedder = Watching()
    text = "Heavy rain flooded the valley on Sunday and officials closed three mountain roads.\n"
    # the model on the cores no other process is running on (desk.model_threads 0): a scheduled run busy on one of
    # two made two threads wait for each other at every layer; never fewer than one, nor more than free
    for free, threads in ((1, 1), (0, 1), (None, 1), (2, 2)):
        monkeypatch.setattr(check, "free_cores", lambda free=free: free)
        seen[:] = []
        desk.check(_doc(tmp_path, "n.txt", text))
        assert seen and all(t == ([1] * len(before), threads) for t in seen), (free, seen)
    assert blas_threads() == before and embed._wanted_threads is None  # the process's own settings are back after the check
    # a number in desk.model_threads is used as it is (not part of the state's settings: the same state serves)
    settings = load_config()
    one = settings.model_copy(update={"desk": settings.desk.model_copy(update={"model_threads": 1})})
    assert settings_fingerprint(one) == settings_fingerprint(settings)
    fixed = Desk(desk.state, one, desk.models)
    fixed.embedder, seen[:] = Watching(), []
    fixed.check(_doc(tmp_path, "n.txt", text))
    assert seen and all(threads[1] == 1 for threads in seen)


def test_a_copy_check_asks_for_no_free_cores(desk, tmp_path, monkeypatch):
    """The free cores are looked at (about 0.3 ms) only when a check first calls the model: a copy verdict never does."""
    import newsdedup.check as check

    asked = []
    monkeypatch.setattr(check, "free_cores", lambda: asked.append(1) or 2)
    verdict = desk.check(_doc(tmp_path, "copy.txt", _trimmed_004()))
    assert verdict.verdict == COPY and asked == []
    desk.check(_doc(tmp_path, "n.txt", "Heavy rain flooded the valley on Sunday and officials closed three mountain roads.\n"))
    assert asked == [1]


def test_free_cores_counts_the_cores_other_processes_leave(monkeypatch):
    """free_cores reads the runnable tasks from /proc/loadavg, less this process's own running threads."""
    import os
    from pathlib import Path

    from newsdedup.embed import free_cores

    if not Path("/proc/loadavg").is_file():
        pytest.skip("no /proc/loadavg here")
    usable = len(os.sched_getaffinity(0))
    free = free_cores()
    assert free is not None and 0 <= free <= usable
    reads = Path.read_text

    def busier(path, *args, **kwargs):  # a task more runnable for each core
        text = reads(path, *args, **kwargs)
        if str(path) == "/proc/loadavg":
            fields = text.split()
            running, total = fields[3].split("/")
            fields[3] = f"{int(running) + usable}/{total}"
            return " ".join(fields)
        return text

    monkeypatch.setattr(Path, "read_text", busier)
    assert free_cores() == 0


def test_an_unrelated_article_is_new(desk, tmp_path):
    text = (
        "Storm closes northern ports\n\nA powerful storm closed three northern ports on Tuesday and forced the "
        "cancellation of dozens of ferry crossings, the coast guard said, warning of waves up to eight metres.\n"
    )
    assert desk.check(_doc(tmp_path, "n.txt", text)).verdict == NEW


STORM = (
    "Storm closes northern ports\n\nA powerful storm closed three northern ports on Tuesday and forced the cancellation "
    "of dozens of ferry crossings, the coast guard said, warning of waves up to eight metres.\n\nHarbour masters "
    "in the three towns said ferries would stay in port until Thursday at the earliest, and fishing boats were "
    "ordered to return before nightfall.\n\nThe regional government opened two shelters for stranded travellers "
    "and said it was sending extra buses to the ports.\n"
)


def test_two_copies_of_a_new_story_in_one_batch_are_a_new_article_and_its_copy(saved, tmp_path):
    """A review's desk case: a feed batch holding a new article and a trimmed copy of it said NEW twice, while
    `--add` stored them as one copy group. Checked in one batch, the second is a copy of the first."""
    first, second = tmp_path / "wire.txt", tmp_path / "paper.txt"
    first.write_text(STORM, encoding="utf-8")
    second.write_text("Ports shut by storm | Daily Courier\n\n" + STORM.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + "\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["check", str(first), str(second), "--json", "--output", str(saved)])
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line) for line in result.output.splitlines()]
    assert [v["verdict"] for v in verdicts] == ["new", "copy"]
    assert verdicts[1]["of"]["article_id"] == "wire" and verdicts[1]["of"]["checked_before"]
    assert verdicts[1]["containment"] == 1.0
    lines = runner.invoke(app, ["check", str(first), str(second), "--output", str(saved)]).output.splitlines()
    assert lines[1].startswith("paper: COPY of wire (checked above) ("), lines
    # alone, each is new: the state holds neither
    assert json.loads(runner.invoke(app, ["check", str(second), "--json", "--output", str(saved)]).output)["verdict"] == "new"


STORM_RETOLD = (
    "Ferries halted as storm batters north coast\n\nThree ports in the north were closed on Tuesday as a powerful storm "
    "brought waves of up to eight metres, and dozens of ferry crossings were cancelled, according to the coast guard."
    "\n\nFerries will not leave port before Thursday, harbour masters in the three towns said, and fishing boats "
    "were told to be back before dark.\n\nTwo shelters were opened for stranded travellers, and the regional "
    "government said extra buses were on their way to the ports.\n\nA lorry driver was injured when a tree fell on "
    "the coast road near the northernmost port, police said.\n"
)


def test_a_write_up_is_compared_with_the_full_original_a_trim_of_it_came_before(saved, tmp_path):
    """A desk walk-through's case: a paper's trim, then the wire's full text (an update of the trim, checked above), then
    another outlet's write-up: that one was compared with the trim, so a fact the full text states was listed as added."""
    trim, full, other = tmp_path / "paper.txt", tmp_path / "wire.txt", tmp_path / "other.txt"
    trim.write_text("Ports shut by storm | Daily Courier\n\n" + STORM.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + "\n",
                    encoding="utf-8")
    full.write_text(STORM, encoding="utf-8")
    other.write_text(STORM_RETOLD, encoding="utf-8")
    result = runner.invoke(app, ["check", str(trim), str(full), str(other), "--json", "--output", str(saved)])
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line) for line in result.output.splitlines()]
    assert [v["verdict"] for v in verdicts] == ["new", "update", "same_story"]
    assert verdicts[2]["of"]["article_id"] == "wire" and verdicts[2]["of"]["story_title"] == "Storm closes northern ports"
    assert verdicts[2]["adds"] == ["A lorry driver was injured when a tree fell on the coast road near the northernmost "
                                   "port, police said."]


def test_two_write_ups_of_a_new_story_in_one_batch_are_one_story_as_add_makes_it(saved, tmp_path):
    """A desk integrator's case: two outlets' own write-ups of a story the state does not hold, in one feed batch,
    were both NEW, while `--add` (a run) put them in one story. Checked in one batch, the second is the same story
    as the first ("checked above"), with the facts the first lacks; an unrelated article stays new."""
    first, second, other = tmp_path / "wire.txt", tmp_path / "paper.txt", tmp_path / "other.txt"
    first.write_text(STORM, encoding="utf-8")
    second.write_text(STORM_RETOLD, encoding="utf-8")
    other.write_text("Council approves new library\n\nThe city council voted on Tuesday to build a new central library "
                     "on the site of the old bus station, with work to start next spring and the doors to open in 2029, "
                     "the mayor's office said in a statement.\n", encoding="utf-8")
    files = [str(first), str(second), str(other)]
    result = runner.invoke(app, ["check", *files, "--json", "--output", str(saved)])
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line) for line in result.output.splitlines()]
    assert [v["verdict"] for v in verdicts] == ["new", "same_story", "new"]
    of = verdicts[1]["of"]
    assert tuple(of) == OF_KEYS and of["article_id"] == "wire" and of["checked_before"] and of["story_id"] is None
    assert of["story_title"] == "Storm closes northern ports"
    assert verdicts[1]["adds"] == ["A lorry driver was injured when a tree fell on the coast road near the northernmost "
                                   "port, police said."]
    lines = runner.invoke(app, ["check", *files, "--output", str(saved)]).output.splitlines()
    assert lines[1].startswith("paper: SAME STORY as wire (checked above), a story new in this batch ('Storm closes "
                               "northern ports'), similarity "), lines
    assert lines[1].endswith("; adds 1 fact: A lorry driver was injured when a tree fell on the coast road near the "
                             "northernmost port, police said."), lines
    # alone, it is new: the state holds neither
    assert json.loads(runner.invoke(app, ["check", str(second), "--json", "--output", str(saved)]).output)["verdict"] == "new"
    # and the add puts the two in one story, as the desk said
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    result = runner.invoke(app, ["check", *files, "--add", "--json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    stored = [json.loads(line)["stored"] for line in result.stdout.splitlines()]
    articles = pl.read_parquet(out / "articles.parquet")
    story = {k.split("-")[0]: v for k, v in zip(articles["article_id"].to_list(), articles["story_id"].to_list())}
    assert story["check:wire"] == story["check:paper"] != story["check:other"]
    assert [s["story_id"] for s in stored] == [story["check:wire"], story["check:paper"], story["check:other"]]


def test_cli_check_reads_files_and_stdin_without_changing_the_state(saved, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(_trimmed_004(), encoding="utf-8")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in saved.rglob("*") if p.is_file())
    result = runner.invoke(app, ["check", str(copy), "-", "--json", "--output", str(saved), "--config", str(DEFAULT_CONFIG)],
                           input=SEED_004.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.strip().splitlines()]
    # the held seed given again on stdin, word for word, is that article, held already (not a copy of itself)
    assert [line["verdict"] for line in lines] == ["copy", "held"]
    assert lines[1]["similarity"] == 1.0 and lines[1]["of"]["article_id"] == SEED_004.stem
    assert sorted((p.name, p.stat().st_mtime_ns) for p in saved.rglob("*") if p.is_file()) == before


def test_cli_check_streams_paths_from_stdin(saved, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(_trimmed_004(), encoding="utf-8")
    result = runner.invoke(app, ["check", "--output", str(saved)], input=f"{copy}\n{tmp_path / 'missing.txt'}\n")
    assert result.exit_code == 1, result.output  # one input could not be checked
    out = result.output.strip().splitlines()
    assert out[0].startswith("copy: COPY of 004_aa58e34a18a8b4a3")
    # a trimmed copy's line gives both figures, as the reports do ("similarity 1.00" read as the whole text)
    assert re.search(r", Jaccard 0\.\d\d, containment 1\.00; .*trimmed to", out[0]), out[0]
    assert out[1].endswith("REJECTED: file not found")


def test_cli_check_says_when_it_has_nothing_to_check(saved, monkeypatch):
    """A walk-through's finding: an empty list of paths on stdin printed nothing, and `check` typed at a terminal
    with no file waited for paths without a word."""
    import types

    import newsdedup.cli as cli

    result = runner.invoke(app, ["check", "--output", str(saved)], input="\n")
    assert result.exit_code == 0 and result.stdout == "" and "nothing checked: no paths on stdin" in result.stderr
    terminal = types.SimpleNamespace(isatty=lambda: True, __iter__=lambda: iter(()))
    monkeypatch.setattr(cli, "sys", types.SimpleNamespace(stdin=terminal, stdout=cli.sys.stdout, exit=cli.sys.exit))
    result = runner.invoke(app, ["check", "--output", str(saved)])
    assert result.exit_code == 2 and "nothing to check: name article files, '-' for one on stdin, or pipe" in result.output


def test_cli_check_says_stdin_was_read_once_and_that_wait_needs_add(saved):
    """An integrator's walk-through: '-' given twice made the second an "empty file" reject; --wait without --add
    was taken in silence."""
    result = runner.invoke(app, ["check", "-", "-", "--json", "--wait", "5", "--output", str(saved)],
                           input=SEED_004.read_text(encoding="utf-8"))
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["verdict"] for o in objects] == ["held", "rejected"] and result.exit_code == 1
    assert objects[1]["reason"] == "stdin was read already: '-' may be given once"
    assert "--wait applies only with --add" in result.stderr


def test_cli_check_json_add_says_in_the_object_why_an_article_is_not_added(saved, tmp_path):
    """With --json, a script reads why an article was not added in its object (it was a plain line on stderr)."""
    shutil.copy(SEED_004, tmp_path / SEED_004.name)  # held already, under its own id
    result = runner.invoke(app, ["check", str(tmp_path / SEED_004.name), "--json", "--add", "--output", str(saved)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert line["verdict"] == "held" and line["not_added"] == f"already held as {SEED_004.stem}" and result.stderr == ""
    assert line["stored"] == {k: line["of"][k] for k in ("article_id", "syndicate_id", "story_id")}  # where it is held


def test_cli_check_json_objects_have_one_shape_with_the_input_s_path(saved, tmp_path):
    """An integrator's walk-through: a rejected object had 3 keys and the others 12, and no object named the input it
    came from (a feed's item, a file added under another id)."""
    shutil.copy(SEED_004, tmp_path / "story.txt")
    lines = [json.dumps({"id": f"w{i}", "title": f"Item {i}", "text": _trimmed_004() if i == 1 else "Too short."}) for i in (1, 2)]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "story.txt"), str(tmp_path / "feed.jsonl"), str(tmp_path / "nope.txt"),
                                 "--json", "--output", str(saved)])
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len({tuple(o) for o in objects}) == 1 and len(objects) == 4, objects  # one set of keys, in one order
    assert [(o["path"], o["verdict"]) for o in objects] == [  # a file's rejects before its verdicts
        (str(tmp_path / "story.txt"), "held"), (str(tmp_path / "feed.jsonl:2"), "rejected"),
        (str(tmp_path / "feed.jsonl:1"), "copy"), (str(tmp_path / "nope.txt"), "rejected")]
    # and `of` has one shape for every verdict (a same-story verdict's had 3 keys, a copy's 5, a held one's 6)
    assert [tuple(o["of"]) for o in objects if o["of"]] == [OF_KEYS, OF_KEYS]
    assert objects[1]["reason"].startswith("body too short") and objects[0]["reason"] is None


def test_cli_check_json_add_says_what_the_add_did_not_do(saved, tmp_path_factory):
    """An integrator's walk-through: with the output folder busy, every object had claimed an add that never happened;
    a corrected version after its first in one call was "given twice"."""
    from newsdedup.store import run_lock

    root = tmp_path_factory.mktemp("json_add")
    out = root / "out"
    shutil.copytree(saved, out)
    first = {"id": "wire-900", "title": "Dam opened", "text": SEED_003.read_text(encoding="utf-8")}
    (root / "v1.json").write_text(json.dumps(first), encoding="utf-8")
    (root / "v2.json").write_text(json.dumps({**first, "text": first["text"] + "\n\nCORRECTION: The dam opened on Sunday."}),
                                  encoding="utf-8")
    files = [str(root / "v1.json"), str(root / "v2.json")]
    with run_lock(out):
        result = runner.invoke(app, ["check", *files, "--json", "--add", "--wait", "0", "--output", str(out)])
    assert result.exit_code == 2, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["not_added"].startswith("the add failed:") and "in use by another run" in o["not_added"] for o in objects] == [True, False]
    assert objects[1]["not_added"] == "another version of it came earlier in this call, and that one is added"
    assert [o["stored"] for o in objects] == [None, None]  # nothing went in
    result = runner.invoke(app, ["check", *files, "--json", "--add", "--output", str(out)])
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and [o["not_added"] is None for o in objects] == [True, False]
    # where it went: the add's copy group and story (the id the second is given under is held by the first's text)
    articles = pl.read_parquet(out / "articles.parquet").filter(pl.col("article_id") == "wire-900")
    assert [o["stored"] for o in objects] == articles.select("article_id", "syndicate_id", "story_id").to_dicts() * 2


def test_an_article_in_the_results_already_is_held_not_a_copy_of_itself(saved, tmp_path):
    shutil.copy(SEED_004, tmp_path / SEED_004.name)  # its id is the held seed's
    result = runner.invoke(app, ["check", str(tmp_path / SEED_004.name), "--output", str(saved)])
    assert result.exit_code == 0, result.output
    line = result.output.strip()
    assert line.startswith(f"{SEED_004.stem}: HELD: in the results already, story story_"), line
    # read again in a new version (a wire's re-send under the item's id), it is an update of its held version, with
    # what it adds; --add keeps the held one and says why
    later = "A second convoy of 14 trucks reached Quetta on Sunday, the provincial government said."
    (tmp_path / SEED_004.name).write_text(SEED_004.read_text(encoding="utf-8").replace("\n\nTags", "\n\n" + later + "\n\nTags"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / SEED_004.name), "--output", str(saved), "--json"])
    verdict = json.loads(result.output)
    assert verdict["verdict"] == "update" and verdict["of"]["article_id"] == SEED_004.stem and verdict["adds"] == [later]
    line = runner.invoke(app, ["check", str(tmp_path / SEED_004.name), "--output", str(saved)]).output
    assert line.startswith(f"{SEED_004.stem}: UPDATE of its held version ("), line


def test_check_add_of_a_new_version_under_a_held_id_says_it_keeps_the_held_one(saved, tmp_path):
    """A wire's re-send under its item's id: the desk says what it adds to the held version, and `--add` says why it
    is not added (a run on its input replaces a version; the desk adds articles, it replaces none)."""
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    body = SEED_004.read_text(encoding="utf-8").split("\n\n", 2)[2]
    first = tmp_path / "wire.json"
    first.write_text(json.dumps({"id": "wire-9", "headline": "Pakistan says 92 militants killed", "body_text": body}), encoding="utf-8")
    assert runner.invoke(app, ["check", str(first), "--add", "--output", str(out)]).exit_code == 0
    later = "A second convoy of 14 trucks reached Quetta on Sunday, the provincial government said."
    resent = body.replace("\n\nTags", "\n\n" + later + "\n\nTags")
    first.write_text(json.dumps({"id": "wire-9", "headline": "Pakistan says 92 militants killed", "body_text": resent}), encoding="utf-8")
    result = runner.invoke(app, ["check", str(first), "--add", "--output", str(out)])
    assert result.output.startswith("wire-9: UPDATE of its held version ("), result.output
    # held as the desk added it: no input replaces it (a review's case: the message said a run would)
    assert "wire-9: not added: another version of it, added at the desk, is held (the desk adds articles, it replaces none)" in result.output
    # the same id twice in one call: a copy of the one checked above, not "of its held version"
    storm = tmp_path / "storm.json"
    storm.write_text(json.dumps({"id": "storm-1", "headline": "Storm closes northern ports", "body_text": STORM.split("\n\n", 1)[1]}),
                     encoding="utf-8")
    twice = runner.invoke(app, ["check", str(storm), str(storm), "--output", str(saved)]).output.splitlines()
    assert twice[0].startswith("storm-1: NEW") and twice[1].startswith("storm-1: COPY of its version checked above ("), twice



def test_an_input_of_a_folder_checked_alone_is_held_under_its_id_there(saved, tmp_path):
    """Held as 'NAME' in the results (an input of the folder), checked alone as a file of another folder: the same
    headline and text is that article, not a copy of it."""
    renamed = tmp_path / "elsewhere.txt"
    shutil.copy(SEED_004, renamed)
    result = runner.invoke(app, ["check", str(renamed), "--output", str(saved), "--json"])
    verdict = json.loads(result.output)
    assert verdict["verdict"] == "held" and verdict["of"]["article_id"] == SEED_004.stem
    line = runner.invoke(app, ["check", str(renamed), "--output", str(saved)]).output.strip()
    assert line.startswith(f"elsewhere: HELD: in the results already as {SEED_004.stem}, story story_"), line
    stories = pl.read_parquet(saved / "stories.parquet")
    title = stories.filter(pl.col("story_id") == verdict["of"]["story_id"])["title"][0]
    assert verdict["of"]["story_title"] == title != verdict["of"]["title"] and line.endswith(f"({title!r})")  # not 004's own
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file())
    result = runner.invoke(app, ["check", str(renamed), "--add", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"not added: already held as {SEED_004.stem}" in result.output
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()) == before  # nothing added


def test_the_same_text_from_another_outlet_is_a_copy_and_is_added_as_a_run_keeps_it(saved, tmp_path):
    """A review's desk case: verbatim republication by another outlet (its own id, outlet and address) was HELD and
    `--add` refused it, while a run over the same files keeps it as a copy: the desk lost that outlet."""
    text = SEED_004.read_text(encoding="utf-8")
    republished = tmp_path / "metro.txt"
    republished.write_text("source Metro Herald\nurl https://metro.example/92-militants\n\n" + text, encoding="utf-8")
    verdict = json.loads(runner.invoke(app, ["check", str(republished), "--output", str(saved), "--json"]).output)
    assert verdict["verdict"] == "copy" and verdict["of"]["article_id"] == SEED_004.stem, verdict
    assert verdict["containment"] == 1.0
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    result = runner.invoke(app, ["check", str(republished), "--add", "--output", str(out)])
    assert result.exit_code == 0 and "not added" not in result.output, result.output
    articles = pl.read_parquet(out / "articles.parquet")
    added = articles.filter(pl.col("path") == f"check:{republished}")
    assert added["source"].to_list() == ["Metro Herald"]
    assert added["syndicate_id"][0] == articles.filter(pl.col("article_id") == SEED_004.stem)["syndicate_id"][0]


def test_cli_check_names_the_rejected_record_of_a_feed(saved, tmp_path):
    """Each record of a JSONL feed gets its own verdict; a bad one is named by its line."""
    body = SEED_004.read_text(encoding="utf-8")
    feed = tmp_path / "wire.jsonl"
    feed.write_text(json.dumps({"id": "w1", "text": body}) + "\n" + json.dumps({"id": "w2", "title": "Headline only"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(feed), "--output", str(saved)])
    assert result.exit_code == 1, result.output  # one record could not be checked
    out = result.output.strip().splitlines()
    assert out[0] == f"{feed}:2: REJECTED: no body text (none of text, body, body_text, content, content_text, body_html, content_html)"
    assert out[1].startswith("w1: ") and "of 004_aa58e34a18a8b4a3" in out[1]


def test_cli_check_add_puts_the_article_in_the_outputs(saved, tmp_path_factory):
    import polars as pl

    out = tmp_path_factory.mktemp("add") / "out"
    shutil.copytree(saved, out)
    result = runner.invoke(app, ["check", str(SEEDS / "002_ae9f11a7c17e6c9e.txt"), "--add", "--output", str(out)])
    assert result.exit_code == 0, result.output
    articles = pl.read_parquet(out / "articles.parquet")
    added = articles.filter(pl.col("path") == f"check:{SEEDS / '002_ae9f11a7c17e6c9e.txt'}")
    # an article named after its file gets an id from its name and its words: any folder may hold a 'story.txt'
    assert added["article_id"].to_list()[0].startswith("check:002_ae9f11a7c17e6c9e-")
    assert articles["story_id"].n_unique() == 1


def test_cli_check_add_adds_to_the_state_a_run_saved_while_it_was_checking(saved, tmp_path_factory, monkeypatch, real_models):
    """A desk checking a stream of paths holds no lock until it adds; a scheduled run that saved meanwhile keeps its
    articles (the desk's copy of the state was written over it, and an item that then left its feed was lost)."""
    root = tmp_path_factory.mktemp("meanwhile")
    shutil.copytree(saved.parent / "in", root / "in")
    shutil.copytree(saved, root / "out")
    out, seed = root / "out", SEEDS / "002_ae9f11a7c17e6c9e.txt"
    local = root / "desk" / "local.txt"
    local.parent.mkdir()
    local.write_text(SEED_003.read_text(encoding="utf-8") + "\n\nThe district council met on Monday to plan repairs.\n", encoding="utf-8")
    checking = Desk.check

    def a_run_saves_meanwhile(self, doc, **kwargs):
        if not (root / "in" / seed.name).exists():
            shutil.copy(seed, root / "in")
            state = load_state(out, load_config())
            continue_run(state, root / "in", load_config(), real_models)
            save_run(out, state)
        return checking(self, doc, **kwargs)

    monkeypatch.setattr(Desk, "check", a_run_saves_meanwhile)
    result = runner.invoke(app, ["check", str(local), "--add", "--output", str(out)])
    assert result.exit_code == 0, result.output
    ids = pl.read_parquet(out / "articles.parquet")["article_id"].to_list()
    assert seed.stem in ids and any(a.startswith("check:local-") for a in ids)  # the run's article and the desk's
    assert seed.stem in load_state(out, load_config()).documents["article_id"].to_list()


def test_cli_check_add_keeps_two_articles_of_one_name_apart(saved, tmp_path_factory):
    """Two folders' 'story.txt' (or two articles piped on stdin) are two articles, never one id for both; the same
    article added again is said to be held already, not dropped in silence."""
    import polars as pl

    root = tmp_path_factory.mktemp("same_name")
    out = root / "out"
    shutil.copytree(saved, out)
    for folder, seed in (("a", "002_ae9f11a7c17e6c9e.txt"), ("b", "000_88db8367fec8dc5d.txt")):
        (root / folder).mkdir()
        shutil.copy(SEEDS / seed, root / folder / "story.txt")
    # 000 is held word for word (it would be "not added: already held as 000_..."): a local paper's copy of it is not
    local = root / "b" / "story.txt"
    local.write_text(local.read_text(encoding="utf-8") + "\n\nThe district council met on Monday to plan repairs.\n", encoding="utf-8")
    files = [str(root / "a" / "story.txt"), str(root / "b" / "story.txt")]
    result = runner.invoke(app, ["check", *files, "--add", "--output", str(out)])
    assert result.exit_code == 0, result.output
    articles = pl.read_parquet(out / "articles.parquet").filter(pl.col("path").str.starts_with("check:"))
    assert articles.height == 2 and articles["article_id"].n_unique() == 2
    assert sorted(articles["path"].to_list()) == [f"check:{f}" for f in files]
    first = dict(zip(articles["path"], articles["article_id"]))[f"check:{files[0]}"]
    again = runner.invoke(app, ["check", files[0], "--add", "--output", str(out)])
    assert again.exit_code == 0 and f"{first}: not added: already held" in again.output


def test_cli_check_tells_two_inputs_of_one_name_apart_in_its_lines(saved, tmp_path_factory):
    """A walk-through: `check a/story.txt b/story.txt` printed "story: ..." twice, and then a review: the second was
    "UPDATE of its version checked above", another outlet's article taken for a version of the first. The second input
    of an id printed already says which file it is, and one named after its file is checked under the id `--add` gives
    it."""
    root = tmp_path_factory.mktemp("same_name_lines")
    for folder, seed in (("a", "002_ae9f11a7c17e6c9e.txt"), ("b", "000_88db8367fec8dc5d.txt")):
        (root / folder).mkdir()
        shutil.copy(SEEDS / seed, root / folder / "story.txt")
    files = [str(root / "a" / "story.txt"), str(root / "b" / "story.txt")]
    result = runner.invoke(app, ["check", *files, "--output", str(saved)])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    assert first.startswith("story: ") and re.match(rf"check:story-[0-9a-f]{{8}} \({re.escape(files[1])}\): HELD", second), second


def test_cli_remove_takes_out_an_article_check_add_added(saved, tmp_path_factory):
    """An operator's review: nothing took out an article added by mistake. `remove` does, from the state and the
    outputs, and refuses an input's article (a run reads it again) with the reason, exiting 1."""
    import polars as pl

    root = tmp_path_factory.mktemp("remove")
    out = root / "out"
    shutil.copytree(saved, out)
    before = pl.read_parquet(out / "articles.parquet").sort("article_id")
    local = root / "local.txt"
    local.write_text(SEED_003.read_text(encoding="utf-8") + "\n\nThe district council met on Monday to plan repairs.\n", encoding="utf-8")
    assert runner.invoke(app, ["check", str(local), "--add", "--output", str(out)]).exit_code == 0
    added = [a for a in pl.read_parquet(out / "articles.parquet")["article_id"] if a.startswith("check:local-")]
    assert len(added) == 1 and "district council" in (out / "report.md").read_text(encoding="utf-8")  # an added fact
    result = runner.invoke(app, ["remove", added[0], "003_b5333d69a80e2512", "--output", str(out)])
    assert result.exit_code == 1
    assert "003_b5333d69a80e2512: not removed: the input file 003_b5333d69a80e2512.txt holds it" in result.output
    assert f"removed 1 article: {before.height} articles" in result.output
    after = pl.read_parquet(out / "articles.parquet").sort("article_id")
    assert after.select("article_id", "syndicate_id", "story_id").equals(before.select("article_id", "syndicate_id", "story_id"))
    assert "district council" not in (out / "report.md").read_text(encoding="utf-8")
    assert load_state(out, load_config()).documents.height == before.height
    again = runner.invoke(app, ["remove", added[0], "--output", str(out)])
    assert again.exit_code == 1 and f"{added[0]}: not removed: no article of this id is held" in again.output
    # a script reads one JSON object per id on stdout, and the summary on stderr
    assert runner.invoke(app, ["check", str(local), "--add", "--output", str(out)]).exit_code == 0
    result = runner.invoke(app, ["remove", added[0], "nope", added[0], "--json", "--output", str(out)])
    assert result.exit_code == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [  # one per id as given
        {"article_id": added[0], "removed": True, "reason": None},
        {"article_id": "nope", "removed": False, "reason": "no article of this id is held"},
        {"article_id": added[0], "removed": True, "reason": None}]
    assert result.stderr.startswith(f"removed 1 article: {before.height} articles")


def test_cli_check_finds_the_default_config_from_any_folder(saved, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the checkout: config/default.toml is not here
    result = runner.invoke(app, ["check", str(SEED_004), "--output", str(saved)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("004_aa58e34a18a8b4a3: HELD")  # the held seed itself: a verdict, so the config was read


def test_cli_check_reads_a_link_to_a_file_beside_it(saved, tmp_path):
    """A hostile-input review: `check alias.txt`, a link to story.txt in the same folder, was "REJECTED: link to another
    input file (story.txt): read there", though story.txt was never checked."""
    shutil.copy(SEED_004, tmp_path / "story.txt")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "story.txt")
    result = runner.invoke(app, ["check", str(tmp_path / "alias.txt"), "--json", "--output", str(saved)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verdict"] == "held"  # the held seed's words: checked, not rejected
    # a link to a file elsewhere, named without an extension, is read as the link, by its name (a review's case)
    (tmp_path / "store").mkdir()
    shutil.copy(SEED_004, tmp_path / "store" / "ab12cd")
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "latest.txt").symlink_to(tmp_path / "store" / "ab12cd")
    result = runner.invoke(app, ["check", str(tmp_path / "desk" / "latest.txt"), "--json", "--output", str(saved)])
    assert result.exit_code == 0 and json.loads(result.stdout)["article_id"] == "latest", result.output


def test_cli_check_exits_1_when_an_input_cannot_be_checked(saved, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.txt"), str(tmp_path), "--output", str(saved)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.txt'}: REJECTED: file not found" in result.output
    assert f"{tmp_path}: REJECTED: a folder, not an article file" in result.output
    # a broken link and a pipe are there, but no article file: said as `run` says it, not "file not found"
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    result = runner.invoke(app, ["check", str(tmp_path / "dangling.txt"), str(tmp_path / "pipe.txt"), "--output", str(saved)])
    assert "dangling.txt: REJECTED: broken symbolic link (its target does not exist)" in result.output
    assert "pipe.txt: REJECTED: not a regular file" in result.output


def test_the_desk_reads_the_state_again_when_a_run_saves_it_meanwhile(saved, tmp_path, monkeypatch):
    """An operator's review: a run that swapped in its new state while `check` read the old one's files gave the
    desk tables of two saves and a KeyError. The state is read again until no save came in between."""
    from newsdedup import state as state_module

    out = tmp_path / "out"
    shutil.copytree(saved, out)
    meta = out / "state" / "meta.json"
    reading, calls = state_module.load_state, []

    def a_run_saves_meanwhile(output, settings, **kwargs):
        calls.append(1)
        loaded = reading(output, settings, **kwargs)
        if len(calls) == 1:  # as save_state does: a new token with every save
            meta.write_text(json.dumps({**json.loads(meta.read_text()), "token": "saved-meanwhile"}), encoding="utf-8")
        return loaded

    monkeypatch.setattr(state_module, "load_state", a_run_saves_meanwhile)
    state, token = state_module.load_steady_state(out, load_config())
    assert len(calls) == 2 and token == "saved-meanwhile" and state is not None
    # a killed save left state.old, which a run's save puts back while the desk reads it: read again, not "damaged"
    (out / "state").rename(out / "state.old")
    calls.clear()

    def put_back_meanwhile(output, settings, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            (out / "state.old").rename(out / "state")
            raise state_module.StateError("the state in out cannot be read (documents.parquet: gone)")
        return reading(output, settings, **kwargs)

    monkeypatch.setattr(state_module, "load_state", put_back_meanwhile)
    assert state_module.load_steady_state(out, load_config())[0] is not None and len(calls) == 2
    calls.clear()
    monkeypatch.setattr(state_module, "load_state", a_run_saves_meanwhile)
    monkeypatch.setattr(state_module, "saved_token", lambda output: f"token-{len(calls)}")  # saved anew every time
    with pytest.raises(state_module.StateError, match="saved anew each of the 3 times"):
        state_module.load_steady_state(out, load_config())


def test_cli_check_without_a_state_is_one_line(tmp_path):
    result = runner.invoke(app, ["check", str(SEED_004), "--output", str(tmp_path)])
    assert result.exit_code == 2 and "run `newsdedup run` first" in result.output


def test_cli_check_with_another_config_than_the_state_s_names_the_setting(saved, tmp_path):
    """A state is there, made with another config: not "no saved state", but which setting differs."""
    other = tmp_path / "other.toml"
    other.write_text("[ingest]\nmin_words = 40\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(SEED_004), "--output", str(saved), "--config", str(other)])
    assert result.exit_code == 2, result.output
    assert "no saved state" not in result.output and "ingest.min_words 8 -> 40" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "check with the config it was made with" in result.output
    # a state of another version: a run rebuilds it (no config would do)
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    meta = out / "state" / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "version": 1}), encoding="utf-8")
    older = runner.invoke(app, ["check", str(SEED_004), "--output", str(out)])
    assert older.exit_code == 2 and "another version of newsdedup" in older.output, older.output
    assert "run `newsdedup run` (it rebuilds the state once)" in older.output and "config it was made with" not in older.output


class AngleEmbedder:
    """An article at the angle its "angleN" word names, so plain cosine decides its story; a sentence elsewhere."""

    def embed(self, texts):
        out = []
        for text in texts:
            found = re.search(r"angle(\d+)", text)
            if found:
                theta = np.radians(int(found.group(1)))
                out.append([np.cos(theta), np.sin(theta), 0.0, 0.0])
            else:
                other = np.random.default_rng(zlib.crc32(text.encode())).normal(size=4)
                other[:2] = 0.0
                out.append(other / np.linalg.norm(other))
        return np.asarray(out, dtype=np.float32)


def _angle_article(folder, name: str, angle: int, date: str | None = None) -> None:
    words = np.random.default_rng(angle).choice([f"w{i}" for i in range(5000)], 120).tolist()
    body = "\n\n".join(" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, 120, 20))
    (folder / f"{name}.txt").write_text((f"date {date}\n" if date else "") + f"Report angle{angle}\n\n{body}\n", encoding="utf-8")


def _plain_angles(tmp_path):
    """Settings whose story distance is plain cosine (0.45 apart at most), and an input and an incoming folder."""
    plain = {"embedding_weight": 1.0, "neighbours": 0, "distance_threshold": 0.45}
    settings = load_config().model_copy(update={"stories": load_config().stories.model_copy(update=plain)})
    inp, incoming = tmp_path / "in", tmp_path / "incoming"
    inp.mkdir()
    incoming.mkdir()
    return settings, inp, incoming


def test_a_write_up_close_to_a_story_dated_outside_the_window_is_new_and_names_it(tmp_path):
    """The time window keeps an article from joining an older story; the desk still names that story and the days
    between them, as "is this new?" needs (it used to give only a similarity, with `nearest` null)."""
    settings, inp, incoming = _plain_angles(tmp_path)
    _angle_article(inp, "a", 0, "2026-01-01")
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, AngleEmbedder())
    [story] = state.documents["story_id"].unique().to_list()
    _angle_article(incoming, "late", 10, "2026-01-10")  # close to a, nine days later
    _angle_article(incoming, "far", 80, "2026-01-10")  # 1 - cos 80 = 0.83: not close to any story
    _angle_article(incoming, "near", 10, "2026-01-02")  # in the window: it joins
    docs, _ = read_files(incoming, sorted(incoming.iterdir()), settings.ingest)
    desk = Desk(state, settings, AngleEmbedder())
    far, late, near = (desk.check(doc) for doc in docs.iter_rows(named=True))
    assert late.verdict == NEW and late.nearest["story_id"] == story and late.days_apart == 9
    assert tuple(late.nearest) == OF_KEYS and late.similarity == pytest.approx(np.cos(np.radians(10)), abs=1e-3)
    assert "but dated 9 days from it, beyond the time window" in late.line()
    assert far.verdict == NEW and far.nearest is None and far.days_apart is None and "near story" not in far.line()
    assert near.verdict == SAME_STORY and near.days_apart is None


def test_a_write_up_close_to_one_version_but_not_to_its_story_is_new_as_a_run_makes_it(tmp_path):
    settings, inp, incoming = _plain_angles(tmp_path)
    _angle_article(inp, "a", 0)
    _angle_article(inp, "b", 50)  # 1 - cos 50 = 0.36: one story
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, AngleEmbedder())
    [story] = state.documents["story_id"].unique().to_list()
    _angle_article(incoming, "x", 105)  # 0.43 from b, but 1.26 from a: average linkage keeps it apart
    _angle_article(incoming, "y", 25)  # between the two: it joins
    docs, _ = read_files(incoming, sorted(incoming.iterdir()), settings.ingest)
    desk = Desk(state, settings, AngleEmbedder())
    x, y = (desk.check(doc) for doc in docs.iter_rows(named=True))
    assert x.verdict == NEW and x.nearest["story_id"] == story and "not to the story as a whole" in x.line()
    assert tuple(x.nearest) == OF_KEYS and tuple(y.of) == OF_KEYS
    assert y.verdict == SAME_STORY and y.of["story_id"] == story and y.nearest is None
    for name in ("x", "y"):
        shutil.copy(incoming / f"{name}.txt", inp)
    continue_run(state, inp, settings, AngleEmbedder())  # and a run agrees
    stories = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    assert stories["y"] == stories["a"] == stories["b"] == story != stories["x"]


def test_a_batch_s_new_stories_are_clustered_as_a_run_clusters_them(tmp_path):
    """Articles of stories the state does not hold, checked in one batch: each joins the batch's new story that
    average linkage puts it in (not merely the closest article), and a run over the same articles agrees."""
    settings, inp, incoming = _plain_angles(tmp_path)
    _angle_article(inp, "a", 0)
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, AngleEmbedder())
    angles = {f"p{i:02d}": 90 + i for i in range(18)}  # one story, more articles than the desk first makes room for
    # r: a story of its own (73-90 degrees from the p's); s joins it (40 from r: 0.23); t is 45 degrees from s (0.29),
    angles |= {"r": 180, "s": 220, "t": 265}  # but 85 from r (0.91): on average too far, a story of its own
    for name, angle in angles.items():
        _angle_article(incoming, name, angle)
    docs, _ = read_files(incoming, [incoming / f"{name}.txt" for name in angles], settings.ingest)
    desk = Desk(state, settings, AngleEmbedder())
    verdicts = {doc["article_id"]: desk.check(doc, batch=True) for doc in docs.iter_rows(named=True)}
    assert [verdicts[n].verdict for n in ("p00", "r", "t")] == [NEW, NEW, NEW], {n: (v.verdict, v.of and v.of["article_id"]) for n, v in verdicts.items()}
    joined = {name: v.of["article_id"] for name, v in verdicts.items() if v.verdict == SAME_STORY}
    assert joined == {**{f"p{i:02d}": "p00" for i in range(1, 18)}, "s": "r"}  # p00: the first of equals
    assert all(v.of["checked_before"] and v.of["story_id"] is None for v in verdicts.values() if v.verdict == SAME_STORY)
    for name in angles:
        shutil.copy(incoming / f"{name}.txt", inp)
    continue_run(state, inp, settings, AngleEmbedder())  # and a run agrees
    stories = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    assert {stories[name] for name in angles if name[0] == "p"} == {stories["p00"]}
    assert stories["r"] == stories["s"] and len({stories["p00"], stories["r"], stories["t"], stories["a"]}) == 4


def test_a_batch_article_close_to_a_held_story_and_to_a_new_one_is_clustered_with_both_as_a_run_does(tmp_path):
    """A benchmark's case (bench/desk_batch.py: 141 of allsides' 263 wrong held-story verdicts): a second write-up of
    a story new in the batch, also close to a held one, was put in the held story, the batch's first write-up unseen;
    a run clusters the three together and keeps the new story apart."""
    settings, inp, incoming = _plain_angles(tmp_path)
    _angle_article(inp, "a", 0)
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, AngleEmbedder())
    _angle_article(incoming, "p", 80)  # 0.83 from a: new
    _angle_article(incoming, "q", 50)  # 0.36 from a, 0.13 from p: with p, on average 0.59 (and more) from a
    docs, _ = read_files(incoming, [incoming / "p.txt", incoming / "q.txt"], settings.ingest)
    p, q = docs.iter_rows(named=True)
    assert Desk(state, settings, AngleEmbedder()).check(q).of["story_id"] == state.documents["story_id"][0]  # alone
    desk = Desk(state, settings, AngleEmbedder())
    assert desk.check(p, batch=True).verdict == NEW
    verdict = desk.check(q, batch=True)
    assert verdict.verdict == SAME_STORY and verdict.of["article_id"] == "p" and verdict.of["checked_before"]
    for name in ("p", "q"):
        shutil.copy(incoming / f"{name}.txt", inp)
    continue_run(state, inp, settings, AngleEmbedder())  # and a run agrees
    stories = dict(zip(state.documents["article_id"], state.documents["story_id"]))
    assert stories["p"] == stories["q"] != stories["a"]


def _batch_verdicts(tmp_path, held: dict[str, int], batch: list[tuple[str, int, str | None]], **stories):
    """Plain-cosine angle articles: a state of `held` (name -> angle), then `batch` ((path, angle, date)) checked in one
    batch; the verdicts, and the stories a run over all of them makes (a later item of an id given twice left out, as
    `check --add` leaves it)."""
    settings, inp, incoming = _plain_angles(tmp_path)
    if stories:
        settings = settings.model_copy(update={"stories": settings.stories.model_copy(update=stories)})
    for name, angle in held.items():
        _angle_article(inp, name, angle)
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, AngleEmbedder())
    desk = Desk(state, settings, AngleEmbedder())
    verdicts = []
    for path, angle, date in batch:
        (incoming / path).parent.mkdir(parents=True, exist_ok=True)
        _angle_article((incoming / path).parent, Path(path).name, angle, date)
        docs, _ = read_files((incoming / path).parent, [(incoming / path).parent / f"{Path(path).name}.txt"], settings.ingest)
        verdicts.append(desk.check(docs.row(0, named=True), batch=True))
    given = set()
    for path, angle, date in batch:
        if Path(path).name not in given and Path(path).name not in held:
            _angle_article(inp, Path(path).name, angle, date)
        given.add(Path(path).name)
    continue_run(state, inp, settings, AngleEmbedder())
    return verdicts, dict(zip(state.documents["article_id"], state.documents["story_id"]))


def test_an_id_given_twice_in_a_batch_or_a_held_id_in_another_version_starts_no_story_of_the_batch(tmp_path):
    """A review's cases: the second article of an id already given in the batch joined the first one's story whatever
    its words (its story was keyed by the id), and a held id's new version was taken for a story of the batch; `--add`
    adds neither, so nothing the batch checks next joins them."""
    verdicts, stories = _batch_verdicts(
        tmp_path, {"a": 0}, [("x", 90, None), ("y", 100, None), ("sub/x", 250, None), ("z", 255, None), ("a", 170, None),
                             ("w", 172, None)])
    assert [(v.verdict, (v.of or {}).get("article_id")) for v in verdicts] == [
        ("new", None), ("same_story", "x"), ("new", None), ("new", None), ("new", None), ("new", None)]
    assert stories["x"] == stories["y"] and len({stories["x"], stories["z"], stories["w"], stories["a"]}) == 4


def test_a_batch_s_new_stories_take_hubness_and_the_time_window_as_a_run_does(tmp_path):
    """A review's case: hubness over every new article of the batch (not the stories the article is a candidate of)
    kept apart two write-ups a run puts together; and dated write-ups days apart are not one story."""
    hubs = {"neighbours": 2, "min_hubness": 0.0, "distance_threshold": 0.5}
    verdicts, stories = _batch_verdicts(tmp_path, {"h": 300}, [("z", 17, None), ("z2", 216, None), ("x", 90, None),
                                                                ("y", 143, None)], **hubs)
    assert [v.verdict for v in verdicts] == ["new", "new", "new", "same_story"] and verdicts[3].of["article_id"] == "x"
    assert stories["x"] == stories["y"] and len({stories["x"], stories["z"], stories["z2"], stories["h"]}) == 4
    (tmp_path / "dated").mkdir()
    verdicts, stories = _batch_verdicts(tmp_path / "dated", {"h": 300}, [
        ("d0", 90, "2026-02-01"), ("d10", 92, "2026-02-11"), ("undated", 91, None), ("d1", 93, "2026-02-02")])
    assert [(v.verdict, (v.of or {}).get("article_id")) for v in verdicts] == [
        ("new", None), ("new", None), ("same_story", "d0"), ("same_story", "d0")]
    assert stories["d0"] == stories["d1"] != stories["d10"]


def test_the_same_article_under_two_names_in_one_call_is_added_once_as_across_calls(saved, tmp_path):
    """A session's left-alone case: the same headline, words, outlet and address under two names were both added when
    given in one call, while the second given in a later call is "already held as" the first, and not added."""
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(STORM, encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--add", "--json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert a["not_added"] is None and b["verdict"] == "copy" and b["of"]["article_id"] == a["article_id"]
    assert b["not_added"] == f"the same article came earlier in this call as {a['article_id']}, and that one is added"
    assert b["stored"] == a["stored"] and a["stored"]["article_id"] == a["article_id"]  # where the same article went
    added = pl.read_parquet(out / "articles.parquet").filter(pl.col("path").str.starts_with("check:"))
    assert added["article_id"].to_list() == [a["article_id"]]
    later = json.loads(runner.invoke(app, ["check", str(tmp_path / "b.txt"), "--add", "--json", "--output", str(out)]).stdout)
    assert later["not_added"] == f"already held as {a['article_id']}"  # as across calls


class SlowToLoad(AngleEmbedder):
    """An angle embedder that takes 0.4 s to load at its first use, and says so as SentenceTransformerEmbedder does."""

    load_seconds = 0.0

    def embed(self, texts):
        if not self.load_seconds:
            import time

            time.sleep(0.4)
            self.load_seconds = 0.4
        return super().embed(texts)


def test_a_check_s_ms_leaves_out_the_model_s_loading_at_its_first_use(tmp_path):
    """A session's left-alone case: the first model check's `ms` held the model's loading (seconds), an outlier in
    any desk's latency figures."""
    settings, inp, incoming = _plain_angles(tmp_path)
    _angle_article(inp, "a", 0)
    state = State(settings_fingerprint(settings))
    continue_run(state, inp, settings, AngleEmbedder())
    _angle_article(incoming, "x", 30)
    docs, _ = read_files(incoming, [incoming / "x.txt"], settings.ingest)
    model = SlowToLoad()
    verdict = Desk(state, settings, model).check(docs.row(0, named=True))
    assert verdict.verdict == SAME_STORY and model.load_seconds == 0.4 and verdict.ms < 300, verdict.ms


def test_an_article_add_leaves_out_is_no_earlier_twin_of_the_next(saved, tmp_path):
    """A review's cases: the same article under another id after one that `--add` leaves out (another version of a
    held id; an id given twice) was left out too, "the same article came earlier", and lost."""
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    council = ("Council approves new library\n\nThe city council voted on Tuesday to build a new central library on the "
               "site of the old bus station, with work to start next spring and the doors to open in 2029, the mayor's "
               "office said in a statement.\n")
    items = [{"id": SEED_004.stem, "title": "Storm closes northern ports", "text": STORM},  # a held id, other words
             {"id": "b", "title": "Storm closes northern ports", "text": STORM},
             {"id": "x", "title": "Council", "text": council}, {"id": "x", "title": "Council", "text": council + "\nMore."},
             {"id": "y", "title": "Council", "text": council + "\nMore."}]
    for i, item in enumerate(items):
        (tmp_path / f"{i}.json").write_text(json.dumps(item), encoding="utf-8")
    files = [str(tmp_path / f"{i}.json") for i in range(len(items))]
    result = runner.invoke(app, ["check", *files, "--add", "--json", "--output", str(out)])
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["not_added"] is None for o in objects] == [False, True, True, False, True], [o["not_added"] for o in objects]
    assert [o["stored"]["article_id"] for o in objects] == [SEED_004.stem, "b", "x", "x", "y"]
    held = set(pl.read_parquet(out / "articles.parquet")["article_id"].to_list())
    assert {"b", "x", "y"} <= held


def test_a_feed_s_items_are_checked_in_the_feed_s_order(saved, tmp_path):
    """An editor's walk-through: a JSONL batch was checked in id order, so a paper's trim ('aa') above in the answers
    came before the wire's original ('zz') on the line above it, and the original was called an update of the trim."""
    trim = STORM.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
    lines = [json.dumps({"id": "zz", "title": "Storm closes northern ports", "text": STORM.split("\n\n", 1)[1]}),
             json.dumps({"id": "aa", "title": "Ports shut by storm", "text": trim})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "feed.jsonl"), "--json", "--output", str(saved)])
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["path"].rsplit(":", 1)[1], o["article_id"], o["verdict"]) for o in objects] == [("1", "zz", "new"), ("2", "aa", "copy")]
    assert objects[1]["of"]["article_id"] == "zz" and "trimmed to" in ", ".join(objects[1]["differs"])


def test_an_item_given_twice_in_a_call_is_a_copy_of_its_version_checked_above(saved, tmp_path):
    """An editor's walk-through: the same item in two files of one call read "COPY of x (checked above)" with x its
    own id, and `--add` said "given twice", a reason the README did not give."""
    item = json.dumps({"id": "wire-77", "title": "Storm closes northern ports", "text": STORM.split("\n\n", 1)[1]})
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(item, encoding="utf-8")
    files = [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    lines = runner.invoke(app, ["check", *files, "--output", str(saved)]).stdout.splitlines()
    assert lines[1].startswith(f"wire-77 ({files[1]}): COPY of its version checked above ("), lines  # which file
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    result = runner.invoke(app, ["check", *files, "--add", "--json", "--output", str(out)])
    assert [json.loads(line)["not_added"] for line in result.stdout.splitlines()] == [
        None, "it came earlier in this call, and that one is added"]


def test_a_verdict_line_names_the_version_its_facts_are_missing_from_and_shows_the_first_five():
    """An editor's walk-through: a commentary piece's line listed 39 'added facts' in 5,000 characters, and never said
    they were measured against the story's most complete version, nor which that is."""
    of = dict.fromkeys(OF_KEYS) | {"article_id": "nyt-1", "story_id": "story_1", "story_title": "Etheridge", "checked_before": False}
    adds = [f"Sentence number {i}." for i in range(1, 9)]
    line = Verdict(SAME_STORY, "huff-3", "Bob Etheridge", of, 0.8, [], adds).line()
    assert line.endswith("; adds 8 facts its most complete version (nyt-1) lacks: Sentence number 1. | Sentence number 2. | "
                         "Sentence number 3. | Sentence number 4. | Sentence number 5. | and 3 more (--json lists them all)")
    assert Verdict(SAME_STORY, "huff-3", "Bob Etheridge", of, 0.8, [], adds).as_dict()["adds"] == adds


SEED_001 = SEEDS / "001_72621f2fa7bf588d.txt"


def test_an_update_adding_a_toll_says_the_figure_it_gives_otherwise(desk, tmp_path):
    """A desk walk-through's case: an update appending "160 people had been killed" to a text giving "at least 145
    people" said nothing of the figure; another outlet's write-up with that sentence did, and so did the run."""
    news = "Late on Saturday, a provincial health official said 160 people had been killed."
    verdict = desk.check(_doc(tmp_path, "toll.txt", SEED_001.read_text(encoding="utf-8") + "\n\n" + news + "\n"))
    assert verdict.verdict == UPDATE and verdict.adds == [news]
    assert "160 people killed where the original gives at least 145 people killed" in verdict.differs, verdict.differs


def test_a_copy_adding_a_sentence_that_restates_the_original_adds_no_fact(desk, tmp_path):
    """A desk walk-through's case: "The military said 92 militants had been killed in the Saturday attacks." added to
    a text saying "Pakistani forces killed at least 92 militants during the Saturday attacks" was an update adding a
    fact; the run lists no such fact. The desk applies the facts stage's rule to the added text too."""
    restated = "The military said 92 militants had been killed in the Saturday attacks."
    verdict = desk.check(_doc(tmp_path, "restate.txt", SEED_001.read_text(encoding="utf-8") + "\n\n" + restated + "\n"))
    assert verdict.verdict == COPY and verdict.adds == [], verdict
    assert "text added, restating the original" in verdict.differs


def test_a_changed_lead_of_a_text_without_a_headline_is_an_edit_not_a_new_headline(desk, tmp_path):
    """A desk walk-through's case: 001 has no headline, so ingest titles it by its first words; a word changed in its
    lead was "headline changed" with no edit named. Now the edit is named, and the headline is not said to change."""
    text = SEED_001.read_text(encoding="utf-8").replace("At least 145 people died", "At least 145 people perished", 1)
    verdict = desk.check(_doc(tmp_path, "lead.txt", text))
    assert verdict.verdict == COPY and verdict.of["article_id"] == SEED_001.stem
    assert "headline changed" not in verdict.differs, verdict.differs
    assert [e["what"] for e in verdict.edits] == ['"perished" for "died"']
    # a headline put above the same text is one
    titled = desk.check(_doc(tmp_path, "titled.txt", "Balochistan attacks kill 145\n\n" + SEED_001.read_text(encoding="utf-8")))
    assert "headline changed" in titled.differs


def _ninjs_versions(tmp_path) -> tuple[Path, Path]:
    """A wire's ninjs item in two versions: v1 is seed 001's text under the wire's headline, v2 adds a sentence."""
    body = read_files(SEEDS, [SEED_001], load_config().ingest)[0]["text"][0]
    news = "Late on Saturday, a provincial health official said 160 people had been killed."
    files = []
    for version, text in (("1", body), ("2", body + "\n\n" + news)):
        path = tmp_path / f"v{version}.json"
        path.write_text(json.dumps({"uri": "urn:newsml:wire:bal1", "version": version, "type": "text",
                                    "headline": "Pakistan says 145 killed in Balochistan attacks", "body_text": text,
                                    "versioncreated": f"2026-02-01T1{version}:00:00Z"}), encoding="utf-8")
        files.append(path)
    return files[0], files[1]


def test_a_wire_s_next_version_is_an_update_of_its_own_earlier_version(desk, saved, tmp_path):
    """A desk walk-through's case: a ninjs v2 checked after its v1 (a word-for-word copy of held seed 001) was an
    "UPDATE of 001_..." since both hold it as much and 001 came first; it is an update of its own item's v1, checked
    above or held."""
    v1, v2 = _ninjs_versions(tmp_path)
    docs = [read_files(tmp_path, [p], load_config().ingest)[0].row(0, named=True) for p in (v1, v2)]
    first, second = (desk.check(doc, batch=True) for doc in docs)
    assert first.verdict == COPY and first.of["article_id"] == "001_72621f2fa7bf588d"
    assert second.verdict == UPDATE and second.of["article_id"] == "urn:newsml:wire:bal1" and second.of["checked_before"]
    assert tuple(second.of) == OF_KEYS and second.of["story_id"] == first.of["story_id"]
    assert "UPDATE of urn:newsml:wire:bal1, its earlier version checked above (" in second.line()
    out = tmp_path / "out"
    shutil.copytree(saved, out)
    assert runner.invoke(app, ["check", str(v1), "--add", "--output", str(out)]).exit_code == 0
    held = Desk(load_state(out, load_config()), load_config(), desk.models).check(docs[1])
    assert held.verdict == UPDATE and held.of["article_id"] == "urn:newsml:wire:bal1" and not held.of["checked_before"]
    assert "UPDATE of urn:newsml:wire:bal1, its held earlier version (" in held.line()


def test_a_copy_adding_only_a_slight_sentence_adds_no_fact_as_a_run_lists_none(desk, tmp_path):
    """The facts stage lists no sentence of four content words or fewer naming no one and stating no figure
    (facts.slight); the desk neither, and says why the text it adds is no fact."""
    tail = "\"This is what we all wanted,\" a resident said."
    verdict = desk.check(_doc(tmp_path, "tail.txt", SEED_001.read_text(encoding="utf-8") + "\n\n" + tail + "\n"))
    assert verdict.verdict == COPY and verdict.adds == [], verdict
    assert "text added, no fact in it" in verdict.differs, verdict.differs


def test_a_wire_s_next_version_is_compared_with_its_latest_version_checked_above(desk, tmp_path):
    """A review's case: v3, v2 and v4 of one item in one call; v4 was compared with v2, the last checked, and listed
    v3's sentence as added again. It is an update of v3, adding only its own sentence."""
    body = read_files(SEEDS, [SEED_001], load_config().ingest)[0]["text"][0]
    news = ["Late on Saturday, a provincial health official said 160 people had been killed.",
            "Rescue teams reached the last of the besieged police stations on Sunday morning, officials said.",
            "The railway line through the province reopened on Monday after engineers repaired the damaged track."]
    docs = {}
    for version in (3, 2, 4):
        path = tmp_path / f"v{version}.json"
        path.write_text(json.dumps({"uri": "urn:newsml:wire:bal1", "version": str(version), "type": "text",
                                    "headline": "Pakistan says 160 killed in Balochistan attacks",
                                    "body_text": "\n\n".join([body, *news[: version - 1]]),
                                    "versioncreated": f"2026-02-01T1{version}:00:00Z"}), encoding="utf-8")
        docs[version] = read_files(tmp_path, [path], load_config().ingest)[0].row(0, named=True)
    verdicts = {version: desk.check(doc, batch=True) for version, doc in docs.items()}
    assert verdicts[4].verdict == UPDATE and verdicts[4].of["article_id"] == "urn:newsml:wire:bal1@v3"
    assert verdicts[4].adds == [news[2]], verdicts[4].adds


def test_a_held_article_under_another_dateline_says_so(desk, tmp_path):
    """A walk-through's case: the held words with a wire's dateline put before them were HELD with nothing more said;
    the dateline an outlet gives is what a desk reads for."""
    text = SEED_004.read_text(encoding="utf-8")
    first = "Pakistan says at least 92 militants"
    assert first in text
    verdict = desk.check(_doc(tmp_path, "dl.txt", text.replace(first, "QUETTA, Pakistan (Reuters) - " + first, 1)))
    assert verdict.verdict == HELD and verdict.of["article_id"] == "004_aa58e34a18a8b4a3", verdict
    assert any("dateline" in d and "QUETTA" in d for d in verdict.differs), verdict.differs
    assert "QUETTA" in verdict.line()
