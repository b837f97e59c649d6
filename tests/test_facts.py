"""Most complete version and added facts: the real model on the seeds, a fake one for the logic."""

from __future__ import annotations

import shutil

from datetime import datetime, timezone

import numpy as np

import polars as pl
import pytest

from conftest import SEEDS
from newsdedup.config import FactsConfig, load_config
from newsdedup.facts import (
    Sentence,
    Vocabulary,
    _projected,
    boilerplate_keys,
    could_be_said,
    is_fact_sentence,
    find_conflicts,
    linked_figures,
    numbers_differ,
    resolve_stories,
    said_already,
    same_fact,
    sentence_key,
    story_heads,
)
from newsdedup.ingest import read_inputs
from newsdedup.normalize import content_words, counts, figures, names, numbers, split_sentences, words


def _documents(folder, story_id="story_x") -> pl.DataFrame:
    docs, rejects = read_inputs(folder, load_config().ingest)
    assert rejects.height == 0, rejects
    return docs.with_columns(syndicate_id=pl.col("article_id"), story_id=pl.lit(story_id))


@pytest.fixture(scope="module")
def seed_result(real_models):
    docs = _documents(SEEDS)
    canon, facts, conflicts = resolve_stories(docs, real_models.facts, load_config().facts)
    return docs, canon, facts, conflicts


def test_most_complete_version_is_the_long_001_report(seed_result):
    canon = seed_result[1]
    row = canon.row(0, named=True)
    assert row["canonical_article_id"].startswith("001_")
    assert row["canonical_reason"].startswith("covers ")
    covered, total = (int(x) for x in row["canonical_reason"].split()[1:4:2])
    assert 0 < covered < total == row["n_facts"]


def test_claims_only_other_outlets_make_are_added_facts(seed_result):
    facts = seed_result[2]
    by_text = {f["text"]: f["article_ids"] for f in facts.iter_rows(named=True)}
    herof = [t for t in by_text if "Operation Herof" in t]
    personnel = [t for t in by_text if "84 personnel" in t]
    rind = [t for t in by_text if "Shahid Rind" in t]
    assert herof and by_text[herof[0]] == ["003_b5333d69a80e2512"]
    assert personnel and by_text[personnel[0]] == ["003_b5333d69a80e2512"]
    assert rind and by_text[rind[0]] == ["002_ae9f11a7c17e6c9e"]


def test_what_001_already_says_is_not_an_added_fact(seed_result):
    facts = seed_result[2]
    texts = facts["text"].to_list()
    # each says "92 militants were killed" (with figures 001 also gives) and nothing 001 lacks
    for said in (
        "Pakistan says at least 92 militants were killed in coordinated attacks across Balochistan",
        "Among the dead were at least 92 separatists, along with 15 security personnel and 18 civilians",
        "Fifteen security personnel were killed, and militants targeted civilians",
    ):
        assert not any(t.startswith(said) for t in texts), said
    assert not any(t.startswith("Pakistani forces killed at least 92") for t in texts)  # 001's own sentence


def test_a_different_figure_is_a_fact(seed_result):
    facts = seed_result[2]
    # 001 says at least 145 died; "over 120" is a different figure, so the claim is new
    assert any("120 people were killed" in t for t in facts["text"].to_list())
    # 001 states the 92 militants, 15 security personnel and 18 civilians, but not the 33 they make: listed
    # for that figure, the only fact of the seeds listed as a detail of one 001 states
    details = facts.filter(pl.col("detail_figures").list.len() > 0)
    assert details["detail_figures"].to_list() == [["33"]]
    assert details["text"][0].startswith("At least 92 militants were among those dead, and least 33 people")


def test_an_added_fact_giving_another_figure_says_what_the_most_complete_version_gives(seed_result):
    facts = seed_result[2]
    differs = facts.filter(pl.col("differs_from").list.len() > 0)
    assert differs["differs_from"].to_list() == [["at least 145 people killed"]]
    assert differs["text"][0].startswith("Over 120 people were killed in Pakistan's southwestern Balochistan")


def test_of_two_versions_as_complete_and_as_long_the_later_wire_update_is_chosen(tmp_path, real_models):
    """Made-up update of seed 004: three hours later the wire gives another count in the lede, same length."""
    text = SEEDS.joinpath("004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text("date 2026-01-31T18:00:00Z\n" + text, encoding="utf-8")
    updated = text.replace("at least 92 militants were killed", "at least 110 militants were killed")
    (tmp_path / "b.txt").write_text("date 2026-01-31T21:00:00Z\n" + updated, encoding="utf-8")
    docs = _documents(tmp_path).with_columns(syndicate_id=pl.lit("one wire story"))
    canon, facts, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    row = canon.row(0, named=True)
    assert row["canonical_article_id"] == "b"
    assert row["canonical_reason"].endswith(
        ", as many as a, as long, and is the later version (2026-01-31 21:00); as long as the longest of 2 copies"
    )
    older = facts.filter(pl.col("text").str.starts_with("Pakistan says at least 92 militants"))
    assert older["differs_from"].to_list() == [["at least 110 militants killed"]]


def test_of_versions_with_the_same_words_the_first_published_is_chosen(tmp_path, real_models):
    """An outlet's later republication of the wire text (its headline in capitals) gives nothing newer."""
    text = SEEDS.joinpath("004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text("date 2026-01-31\n" + text, encoding="utf-8")
    headline, rest = text.split("\n", 1)
    (tmp_path / "b.txt").write_text(f"date 2026-02-01\n{headline.upper()}\n{rest}", encoding="utf-8")
    docs = _documents(tmp_path).with_columns(syndicate_id=pl.lit("one wire story"))
    canon, _, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    row = canon.row(0, named=True)
    assert row["canonical_article_id"] == "a"
    assert ", as many as b, whose words it has, and was published first (2026-01-31);" in row["canonical_reason"]
    # the runner-up named by its outlet too, where the input gives one
    sourced = docs.with_columns(source=pl.when(pl.col("article_id") == "b").then(pl.lit("Courier")).otherwise(pl.col("source")))
    canon, _, _ = resolve_stories(sourced, real_models.facts, load_config().facts)
    assert ", as many as b (Courier), whose words it has" in canon.row(0, named=True)["canonical_reason"]
    # a wire update of the same length, published between the two, is still the later version: the copy's words
    # are the first version's, dated when that was published
    (tmp_path / "c.txt").write_text("date 2026-01-31T12:00:00Z\n" + text.replace(
        "at least 92 militants were killed", "at least 110 militants were killed"), encoding="utf-8")
    docs = _documents(tmp_path).with_columns(syndicate_id=pl.lit("one wire story"))
    canon, _, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    assert canon.row(0, named=True)["canonical_article_id"] == "c"


def test_of_the_same_words_a_copy_dated_by_its_day_alone_was_not_published_first(tmp_path, real_models):
    """The wire's text at 08:00 and an outlet's copy of it dated by its day alone: the day does not say which came
    first, so neither is 'published first' (the reason said the copy was, before)."""
    text = SEEDS.joinpath("004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8")
    headline, rest = text.split("\n", 1)
    (tmp_path / "a.txt").write_text(f"date 2026-01-31\n{headline.upper()}\n{rest}", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2026-01-31T08:00:00Z\n" + text, encoding="utf-8")
    docs = _documents(tmp_path).with_columns(syndicate_id=pl.lit("one wire story"))
    canon, _, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    reason = canon.row(0, named=True)["canonical_reason"]
    assert "whose words it has; first by article id" in reason and "published first" not in reason


def test_a_write_up_dated_by_its_day_alone_does_not_change_which_copy_of_another_text_came_first(tmp_path, real_models):
    """The day given alone ties only with the copies of its own text: the wire's 08:00 text still came before its
    15:00 copy when an outlet's own write-up of that day gives no time."""
    text = SEEDS.joinpath("004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8")
    headline, rest = text.split("\n", 1)
    (tmp_path / "b_wire.txt").write_text("date 2026-01-31T08:00:00Z\n" + text, encoding="utf-8")
    (tmp_path / "a_copy.txt").write_text(f"date 2026-01-31T15:00:00Z\n{headline.upper()}\n{rest}", encoding="utf-8")
    own = SEEDS.joinpath("003_b5333d69a80e2512.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "c_own.txt").write_text("date 2026-01-31\n" + "\n".join(own[: len(own) // 2]), encoding="utf-8")
    docs = _documents(tmp_path).with_columns(
        syndicate_id=pl.when(pl.col("article_id") == "c_own").then(pl.lit("own")).otherwise(pl.lit("wire"))
    )
    canon, _, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    row = canon.row(0, named=True)
    assert row["canonical_article_id"] == "b_wire", row  # the wire's text covers most: its first copy wins
    assert "whose words it has, and was published first (2026-01-31 08:00)" in row["canonical_reason"]


def test_a_story_too_large_to_compare_is_told_by_its_longest_version_and_the_run_goes_on(tmp_path, real_models, monkeypatch):
    import newsdedup.facts as facts

    for name in ("001_72621f2fa7bf588d.txt", "003_b5333d69a80e2512.txt", "004_aa58e34a18a8b4a3.txt"):
        shutil.copy(SEEDS / name, tmp_path / name)
    docs = _documents(tmp_path)
    monkeypatch.setattr(facts, "MAX_STORY_SENTENCES", 5)  # as 20,000 are to an archive's runaway story

    def no_comparing(*args, **kwargs):
        raise AssertionError("sentences of a story too large were compared all with all")

    monkeypatch.setattr(facts, "_groups", no_comparing)
    canon, added, conflicts = resolve_stories(docs, real_models.facts, load_config().facts)
    row = canon.row(0, named=True)
    longest = docs.sort("n_words", descending=True)["article_id"][0]
    assert row["canonical_article_id"] == longest and added.height == 0 and conflicts.height == 0
    assert row["canonical_reason"].startswith("longest of 3 versions (") and "more than the 5 compared sentence by sentence" in row["canonical_reason"]


def test_fact_carried_by_several_variants_is_listed_once(tmp_path, real_models):
    for name in ("001_72621f2fa7bf588d.txt", "003_b5333d69a80e2512.txt"):
        shutil.copy(SEEDS / name, tmp_path / name)
    herof = SEEDS.joinpath("003_b5333d69a80e2512.txt").read_text(encoding="utf-8").splitlines()[1]
    (tmp_path / "005_other.txt").write_text(
        "Another outlet on the Balochistan attacks\n\n" + herof + "\n\nThe attacks were condemned abroad by several governments on Sunday.\n",
        encoding="utf-8",
    )
    _, facts, _ = resolve_stories(_documents(tmp_path), real_models.facts, load_config().facts)
    herof_facts = facts.filter(pl.col("text").str.contains("Operation Herof"))
    assert herof_facts.height == 1
    assert herof_facts["article_ids"][0].to_list() == ["003_b5333d69a80e2512", "005_other"]


def test_a_detail_the_most_complete_version_lacks_is_listed_though_it_states_the_fact(tmp_path, real_models):
    """Made-up example: the variant gives the revenue more precisely. Its sentence is the same fact as the
    most complete version's (one figure, rounded), but it adds the precise figure, so it is listed; its
    other sentence adds nothing. The seeds: 000's "least 33 people" sentence states the 92 militants 001
    states, and a count of 33 that 001 lacks."""
    lead = "Acme Corp said on Tuesday that quarterly revenue rose to ${} billion, helped by strong demand for its cloud services."
    (tmp_path / "a.txt").write_text(
        "Acme revenue rises\n\n" + lead.format("6.3") + " The company also raised its forecast for the full year. Chief "
        "executive Ada Marsh said the results showed that the new strategy was working. Shares of Acme rose in late "
        "trading after the announcement.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Acme beats estimates\n\n" + lead.format("6.32") + " The company also raised its forecast for the full year.\n",
        encoding="utf-8")
    canon, facts, _ = resolve_stories(_documents(tmp_path), real_models.facts, load_config().facts)
    assert canon["canonical_article_id"].to_list() == ["a"]
    assert facts["text"].to_list() == [lead.format("6.32")]
    assert facts["article_ids"].to_list() == [["b"]]
    assert facts["detail_figures"].to_list() == [["6.32 billion"]]  # why it is listed


def test_details_of_one_stated_fact_are_listed_apart_with_their_own_carriers(tmp_path, real_models):
    """Made-up example: two variants each add a different figure to the lead the most complete version states.
    Each is listed with its own figure and its own carrier, not one for both."""
    lead = "Forces killed 92 militants{} in the attacks on Saturday, the army said."
    (tmp_path / "a.txt").write_text(
        "Army repels attacks\n\n" + lead.format("") + " The prime minister praised the security forces for their "
        "swift response. Roads were blocked and train services were suspended across the province. Hospitals were "
        "placed on emergency alert in several districts.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Attacks repelled\n\n" + lead.format(" and 33 others") + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Militants killed\n\n" + lead.format(", 15 of them foreigners,") + "\n", encoding="utf-8")
    canon, facts, _ = resolve_stories(_documents(tmp_path), real_models.facts, load_config().facts)
    assert canon["canonical_article_id"].to_list() == ["a"]
    rows = {tuple(r["article_ids"]): r for r in facts.to_dicts()}
    assert rows.keys() == {("b",), ("c",)}
    assert rows[("b",)]["detail_figures"] == ["33"] and "33 others" in rows[("b",)]["text"]
    assert rows[("c",)]["detail_figures"] == ["15"] and "15 of them" in rows[("c",)]["text"]


def test_a_quotation_s_tail_or_a_one_line_reaction_is_no_added_fact(tmp_path, real_models):
    """Added-facts precision labels (session 27): of the quotations and first-person sentences of four content words or
    fewer that name no one and state no figure, 10 of 13 carried no news or were said already ("That's what we need.\"",
    "We want it that way."). They are not listed; a short one naming someone, stating a figure, or in the report's own
    voice still is."""
    (tmp_path / "a.txt").write_text(
        "Council approves budget\n\nThe city council approved the budget for next year on Tuesday after a long debate "
        "about road repairs. The mayor said the plan would cut waiting times at the city's clinics. Members of the "
        "opposition voted against it, saying it raised fees for parking in the centre.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Budget passes\n\nThe city council approved next year's budget on Tuesday after a long debate about road "
        "repairs. \"We want it that way. That's what we need,\" the mayor told reporters. Councillor Ruiz then resigned, she "
        "said. Two of its members abstained. The city treasurer was also dismissed.\n", encoding="utf-8")
    canon, facts, _ = resolve_stories(_documents(tmp_path), real_models.facts, load_config().facts)
    assert canon["canonical_article_id"].to_list() == ["a"]
    assert facts["text"].to_list() == ["Councillor Ruiz then resigned, she said.", "Two of its members abstained.",
                                       "The city treasurer was also dismissed."]  # a report's own short sentence is no speech
    everything = load_config().facts.model_copy(update={"slight_content_words": 0})
    assert "\"We want it that way." in resolve_stories(_documents(tmp_path), real_models.facts, everything)[1]["text"].to_list()


def test_a_pure_copy_adds_nothing(tmp_path, fake_embedder):
    body = SEEDS.joinpath("004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    copy = body.replace("Tags", "") + "\n\n(With inputs from Reuters)\n\nSign up for our daily newsletter to get updates in your inbox.\n"
    (tmp_path / "b.txt").write_text("By Staff Reporter\n" + copy, encoding="utf-8")
    canon, facts, _ = resolve_stories(_documents(tmp_path), fake_embedder, load_config().facts)
    assert facts.height == 0
    assert canon.height == 1


def test_a_reason_gives_the_time_in_the_zone_the_source_gave(tmp_path, fake_embedder):
    """Of two versions with the same words, the first published is the most complete; the reason dates it as its
    source did (a New York paper's Sunday 21:00), not in UTC (Monday 02:00)."""
    import json

    body = SEEDS.joinpath("004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8")
    for name, when in (("ny", "Sun, 01 Feb 2026 21:00:00 -0500"), ("wire", "2026-02-02T06:00:00Z")):
        (tmp_path / f"{name}.json").write_text(json.dumps({"id": name, "title": "Attacks", "text": body, "published": when}))
    canon, _, _ = resolve_stories(_documents(tmp_path), fake_embedder, load_config().facts)
    assert canon["canonical_article_id"].to_list() == ["ny"]
    assert canon["canonical_reason"][0].endswith("and was published first (2026-02-01 21:00)")


def test_this_morning_is_the_morning_where_the_source_is(tmp_path, real_models):
    """A New York paper's "confirmed dead this morning", published Sunday 21:00 there (Monday 02:00 in UTC), is
    Sunday's toll: no conflicting figure with Monday's 16. Read in UTC it would be Monday's, and conflict."""
    import json

    texts = {
        "ny": ("Sun, 01 Mar 2026 21:00:00 -0500", "Fourteen people were confirmed dead this morning after the storm "
               "flooded the valley, the agency said. Rescue teams searched the river banks all day."),
        "wire": ("2026-03-02T12:00:00Z", "The death toll from the storm that flooded the valley rose to 16 on Monday, "
                 "the agency said. Rescue teams searched the river banks again."),
    }
    for name, (when, text) in texts.items():
        (tmp_path / f"{name}.json").write_text(json.dumps({"id": name, "title": "Storm", "text": text, "published": when}))
    docs = _documents(tmp_path)
    assert resolve_stories(docs, real_models.facts, load_config().facts).conflicts.height == 0
    in_utc = docs.with_columns(utc_offset=None)
    conflicts = resolve_stories(in_utc, real_models.facts, load_config().facts).conflicts
    assert conflicts["values"].to_list() == [["14", "16"]]


def test_singleton_story_adds_nothing_but_keeps_its_sentence_vectors(tmp_path, fake_embedder):
    from newsdedup.facts import resolve_stories_with_sentences

    shutil.copy(SEEDS / "002_ae9f11a7c17e6c9e.txt", tmp_path / "a.txt")
    (canon, facts, _), used = resolve_stories_with_sentences(_documents(tmp_path), fake_embedder, load_config().facts)
    assert canon["canonical_reason"][0].startswith("only version")
    assert facts.height == 0
    # embedded once, in one batch, and handed back so the state keeps them for the desk
    assert len(fake_embedder.calls) == 1 and fake_embedder.calls[0] == used.height > 5
    assert used["story_id"].unique().to_list() == canon["story_id"].to_list()


def _sentence(text: str) -> Sentence:
    return Sentence(sentence_key(text), text, ["a"], numbers(text), names(text), content_words(text))


def test_same_fact_needs_close_meaning_and_no_conflicting_figure():
    cfg = FactsConfig()
    a = _sentence("At least 145 people died in the attacks on Saturday.")
    b = _sentence("At least 120 people died in the attacks on Saturday.")
    c = _sentence("At least 145 people were killed in the attacks on Saturday.")
    d = _sentence("At least 145 people, 18 of them civilians, died in the attacks.")
    assert same_fact(0.95, a, c, cfg)
    assert not same_fact(0.95, a, b, cfg)  # different figure
    assert same_fact(0.95, a, d, cfg)  # one leaves a figure out: no conflict
    assert not same_fact(cfg.same_fact_similarity - 0.01, a, c, cfg)


def test_a_sentence_could_be_said_whenever_said_already_might_say_it():
    """could_be_said is exact: when it says no, no similarities at all make said_already say yes."""
    import numpy as np

    cfg = FactsConfig()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    reference = [_sentence(t) for t in split_sentences(texts[0])]
    words_said = frozenset().union(*(r.content for r in reference))
    vocab = set().union(*(r.key.split() for r in reference))  # the reference's words
    figures = frozenset().union(*(r.numbers for r in reference))
    ruled_out = 0
    for text in texts[1:]:
        for sentence in map(_sentence, split_sentences(text)):
            sents = [sentence, *reference]
            sims = np.ones((len(sents), len(sents)))  # every pair as close as can be
            said = said_already(
                sims, sents, np.arange(1, len(sents)), Vocabulary(vocab | set(sentence.key.split())), figures | sentence.numbers, cfg
            )[0]
            if not could_be_said(sentence, reference, words_said, cfg):
                ruled_out += 1
                assert not said, sentence.text
    assert ruled_out >= 3


def test_close_vectors_without_shared_words_are_not_the_same_fact():
    cfg = FactsConfig()
    a = _sentence("Militants stormed the provincial headquarters before dawn.")
    b = _sentence("Gunmen raided government offices early in the morning.")  # no content word in common
    c = _sentence("Militants stormed the headquarters of the provincial government before dawn on Saturday.")
    assert not same_fact(0.95, a, b, cfg)
    assert same_fact(0.95, a, c, cfg)
    # a figure both state ties them, where few words are shared; an everyday count does not
    army, forces = _sentence("The army said 92 attackers died."), _sentence("Forces killed at least 92 militants on Saturday.")
    assert same_fact(0.95, army, forces, cfg)
    assert not same_fact(0.95, _sentence("The army said two attackers died."), _sentence("Forces killed two militants on Saturday."), cfg)
    import numpy as np

    sims = np.array([[1.0, 0.95], [0.95, 1.0]])
    vocab = set(b.key.split()) | set(a.key.split())
    assert not said_already(sims, [a, b], np.array([1]), Vocabulary(vocab), frozenset(), cfg)[0]
    assert said_already(sims, [a, c], np.array([1]), Vocabulary(vocab | set(c.key.split())), frozenset(), cfg)[0]
    # and nothing needs embedding to know it: no sentence of theirs holds enough of its words
    assert not could_be_said(a, [b], b.content, cfg)
    assert could_be_said(a, [c], c.content, cfg)
    # the lexical coverage rule: words spread over several sentences still count
    d, e = _sentence("Militants attacked the headquarters."), _sentence("It was provincial, before dawn, stormed.")
    assert could_be_said(a, [b], d.content | e.content, cfg)


def test_a_sentence_introducing_what_follows_it_is_no_fact():
    """Over an embedded video or post the text no longer holds, the sentence introducing it says nothing."""
    cfg = load_config().facts
    intro = "CNN shared footage of FBI agents arriving at the property:"
    assert not is_fact_sentence(intro, sentence_key(intro), set(), cfg)
    for intro in ("Here are some of the officials' responses.", "Here\u2019s what we know about the attacks so far.",
                  "Watch the video of the raid below.",
                  # a walk-through's list: longer than a pointer, but "Here is ..." and a colon
                  "Here is what we know so far about Saturday's attacks in Pakistan's Balochistan province:"):
        assert not is_fact_sentence(intro, sentence_key(intro), set(), cfg), intro
    for fact in ("CNN shared footage of FBI agents arriving at the property before dawn.",
                 "Here is where the militants struck first, according to a map the army released on Sunday night in Quetta.",
                 "Heres the thing: nobody knew the number of dead.", "Seeing the damage below the dam, officials ordered evacuations.",
                 # the review's: a figure of its own, or longer than a pointer
                 "Here's what we know: 12 people died and 40 were injured in the blast.",
                 "Here are the 12 counties under a state of emergency since Monday.",
                 "The ministry said 45 people had been killed and 120 injured in the attack on Tuesday, adding:",
                 "Zelenskiy, whose country lost civilians in the overnight strike on Kharkiv and Odesa and Dnipro, wrote on X:"):
        assert is_fact_sentence(fact, sentence_key(fact), set(), cfg), fact


def test_sentences_recurring_across_stories_are_boilerplate():
    rows = pl.DataFrame(
        {
            "story_id": ["s1", "s2", "s3", "s1"],
            "key": ["follow us for more news", "follow us for more news", "follow us for more news", "a fact"],
        }
    )
    assert boilerplate_keys(rows, 3) == {"follow us for more news"}
    assert boilerplate_keys(rows, 4) == set()


def test_embeddings_are_computed_once_per_distinct_sentence(tmp_path, fake_embedder):
    body = SEEDS.joinpath("003_b5333d69a80e2512.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(body, encoding="utf-8")
    docs = _documents(tmp_path)
    resolve_stories(docs, fake_embedder, load_config().facts)
    assert len(fake_embedder.calls) == 1
    assert fake_embedder.calls[0] <= len(split_sentences(docs["text"][0]))  # not three times as many


def test_conflicting_death_tolls_are_found(seed_result):
    conflicts = seed_result[3]
    people = conflicts.filter(pl.col("about") == "people killed")
    tolls = [row for row in people.iter_rows(named=True) if "at least 145" in row["values"]]
    assert len(tolls) == 1
    values = tolls[0]["values"]
    assert list(values) == ["more than 120", "at least 145"]  # "over 120" (000) is "more than 120" (002): one value
    assert "001_72621f2fa7bf588d" in tolls[0]["article_ids"]
    # other counts of people (33 civilians and personnel) are not the death toll reported another way
    assert not any(v.endswith(" 33") or v == "33" for v in values)
    militants = [set(v) for v in conflicts.filter(pl.col("about") == "militants killed")["values"].to_list()]
    assert not any({"at least 133", "at least 700"} <= v for v in militants)  # this week's count, this year's
    inmates = conflicts.filter(pl.col("about") == "inmates freed")
    assert inmates.height == 1 and {"at least 30", "more than 30"} <= set(inmates["values"][0].to_list())
    # 145 against 120 is a conflict; 30 inmates said two ways is one number worded differently
    assert tolls[0]["numbers_differ"] and not inmates["numbers_differ"][0]
    # who gives which figure: 001 says at least 145, and does not say 120
    holders = dict(zip(values, tolls[0]["value_article_ids"]))
    assert "001_72621f2fa7bf588d" in holders["at least 145"]
    assert {"000_88db8367fec8dc5d", "002_ae9f11a7c17e6c9e"} <= set(holders["more than 120"])
    assert all("001_72621f2fa7bf588d" not in ids for v, ids in holders.items() if v != "at least 145")


def test_numbers_differ_compares_the_numbers_not_their_wording():
    from newsdedup.facts import numbers_differ

    assert numbers_differ(["at least 145", "more than 120", "over 120"])
    assert not numbers_differ(["92", "at least 92"])
    assert not numbers_differ(["at least 30", "more than 30"])
    assert not numbers_differ(["6.3", "6.32"])  # one figure, rounded
    assert numbers_differ(["6.3", "6.32", "6.5"])


def test_one_figure_in_words_that_say_one_thing_is_one_value_of_a_conflict_and_alone_no_conflict():
    from newsdedup.facts import as_sentence, conflicts_of

    sents = [as_sentence(t) for t in ("Over 120 people were killed.", "More than 120 people were killed.",
                                      "At least 145 people were killed.")]
    for i, article in enumerate("abc"):
        sents[i].article_ids.append(article)
    values = {0: "over 120", 1: "more than 120", 2: "at least 145"}
    [(about, shown, carriers, said, holders)] = conflicts_of([[(i, "people killed", v) for i, v in values.items()]], sents)
    assert shown == ["more than 120", "at least 145"] and holders == [["a", "b"], ["c"]] and carriers == ["a", "b", "c"]
    assert conflicts_of([[(0, "people killed", "over 120"), (1, "people killed", "more than 120")]], sents) == []


def test_a_bound_rounded_from_an_exact_figure_is_that_figure():
    """"More than 160 people were rescued" and "168 people were rescued" give one number; two bounds, or a bound
    the figure does not round to, or one too far from it, are two reports."""
    assert not numbers_differ(["168", "more than 160"])
    assert not numbers_differ(["more than 1 million", "1.2 million"])
    assert not numbers_differ(["nearly 170", "168"])
    assert numbers_differ(["at least 145", "more than 120"])
    assert numbers_differ(["more than 120", "145"])
    assert numbers_differ(["at least 20", "19"])
    assert numbers_differ(["about 2 million", "1.5 million"])
    assert not numbers_differ(["129988985", "almost 130 million", "more than 129 million"])  # both round it


def test_a_number_a_sentence_also_states_is_no_conflict_and_worded_differently_is_no_red_note():
    from newsdedup.facts import figures_against

    cfg = FactsConfig()
    texts = ["120 people were hurt in the crash, 100 of them seriously, police said.", "100 people were hurt in the crash, police said."]
    sents = [_sentence(t) for t in texts]
    for sent, text, article in zip(sents, texts, "ab"):
        sent.article_ids[:], sent.figures = [article], tuple(counts(text))
    assert find_conflicts(sents, np.array([[1.0, 0.95], [0.95, 1.0]]), cfg) == []  # 100 and 120 are two counts
    # "more than 160", "nearly 170" and "168" are one number worded differently: no note against the version's
    sents = [_sentence(f"Rescuers pulled {n} people from the sea.") for n in ("more than 160", "nearly 170", "168")]
    for sent, article in zip(sents, "abc"):
        sent.article_ids[:] = [article]
    group = [(0, "people", "more than 160"), (1, "people", "nearly 170"), (2, "people", "168")]
    assert figures_against([group], sents, "a") == {}


def test_a_figure_with_a_scale_is_compared_by_its_amount():
    assert not numbers_differ(["2 million", "2000000", "about 2 million"])
    assert not numbers_differ(["$6.3 billion", "$6.32 billion"])  # rounded, at one scale
    assert numbers_differ(["5.2 million", "6.6 million"])
    assert numbers_differ(["2 million", "2.5 million"])
    assert not numbers_differ(["1.2 million", "1230000"])  # rounded, at two scales
    assert numbers_differ(["\u20ac750 billion", "$750 billion"])  # two currencies
    # a scale word is no statement of a figure equal to it: "a dozen" is not said by "two dozen"
    from newsdedup.facts import figures_changed

    assert figures_changed(["Two dozen people were hurt when the roof fell in, police said."],
                           ["A dozen people were hurt when the roof fell in, police said."]) == [
        "2 dozen people where the original gives 1 dozen people"
    ]
    cfg = FactsConfig()
    texts = [
        "President Trump signed a $2 trillion stimulus package on Friday to fight the pandemic.",
        "President Trump signed a $2.2 trillion economic rescue package on Friday to fight the pandemic.",
        "Some 2 million people fled the fighting, the agency said.",
        "Some 2,000,000 people fled the fighting, the agency said.",
    ]
    sents = [_sentence(t) for t in texts]
    for sent, text, article in zip(sents, texts, "abcd"):
        sent.article_ids[:], sent.figures = [article], tuple(counts(text))
    sims = np.eye(4)
    sims[0, 1] = sims[1, 0] = sims[2, 3] = sims[3, 2] = 0.95
    found = {about: (values, numbers_differ(values)) for about, values, _ in find_conflicts(sents, sims, cfg)}
    assert found == {"package": (["$2 trillion", "$2.2 trillion"], True)}  # one amount in two notations is one figure
    assert not numbers_differ(["some 2 million", "some 2000000"])


def test_a_copy_sentence_giving_another_figure_is_paired_with_the_sentence_it_rewrites():
    from newsdedup.facts import figures_changed

    original = [
        "At least 145 people died in coordinated attacks across the province on Saturday, officials said.",
        "Police said 12 roads were closed.",
    ]
    assert figures_changed(["At least 160 people died in coordinated attacks across the province on Saturday, officials said."], original) == [
        "at least 160 people where the original gives at least 145 people"
    ]
    assert figures_changed(["Some 160 people were hurt when a bus overturned near the capital."], original) == []  # no rewrite
    assert figures_changed(["At least 145 people died in coordinated attacks across the province, officials said."], original) == []


def _one_figure_two_ways(said: str, reference: str, other: str) -> tuple[Sentence, Sentence, FactsConfig, np.ndarray]:
    """`said` gives the figure of `reference` another way: same fact, and said already by it; `other`
    (a figure of another size) is neither."""
    cfg = FactsConfig()
    said_, ref, other_ = _sentence(said), _sentence(reference), _sentence(other)
    assert same_fact(0.95, said_, ref, cfg)
    assert not same_fact(0.95, other_, ref, cfg)
    sims = np.array([[1.0, 0.95], [0.95, 1.0]])
    vocab = Vocabulary(words(ref.text))
    assert said_already(sims, [said_, ref], np.array([1]), vocab, ref.numbers, cfg)[0]
    assert not said_already(sims, [other_, ref], np.array([1]), vocab, ref.numbers, cfg)[0]
    return said_, ref, cfg, sims


def test_a_number_spelled_out_is_the_same_figure_as_in_digits():
    """Made-up example: one outlet opens with the number in words, as AP style does."""
    spelled, digits, _, _ = _one_figure_two_ways(
        "Twenty-two people were killed when the bus left the road, police said.",
        "22 people were killed when the bus left the road, police said.",
        "Twenty-five people were killed when the bus left the road, police said.",
    )
    assert figures(spelled.text) == figures(digits.text) == [("people", "22")]


def test_a_figure_rounded_is_the_same_figure():
    """Made-up example: one outlet rounds a figure the other states in full. Same fact, no conflict, and
    the rounded sentence adds nothing; a figure of another size stays a different fact."""
    rounded, full, cfg, sims = _one_figure_two_ways(
        "Acme said revenue rose 1.4 percent to $6.3 billion in the quarter.",
        "Acme said revenue rose 1.36 percent to $6.32 billion in the quarter.",
        "Acme said revenue rose 2.4 percent to $6.5 billion in the quarter.",
    )
    # the more precise figure is not said by the rounded one; nor a corrected decimal by any integer near it
    assert not said_already(sims, [full, rounded], np.array([1]), Vocabulary(words(rounded.text)), rounded.numbers, cfg)[0]
    jobs = _sentence("Unemployment rose to 10.4 percent in May, the office said.")
    canon = _sentence("Unemployment rose to 10.2 percent in May, the office said.")
    article = canon.text + " At least 10 people protested outside the office."
    assert not said_already(sims, [jobs, canon], np.array([1]), Vocabulary(words(article)), numbers(article), cfg)[0]
    # conflicts: the rounded figure is one number worded differently; another size is a conflicting figure
    texts = [f"Police seized {n} tonnes of cocaine at the port, officials said." for n in ("6.32", "6.3", "6.5")]
    seized = [_sentence(t) for t in texts]
    for sent, text, article in zip(seized, texts, "abc"):
        sent.article_ids[:], sent.figures = [article], tuple(counts(text))
    found = find_conflicts(seized[:2], np.full((2, 2), 0.95), cfg)
    assert [(about, values, numbers_differ(values)) for about, values, _ in found] == [("tonnes", ["6.3", "6.32"], False)]
    found = find_conflicts(seized, np.full((3, 3), 0.95), cfg)
    assert [(about, values, numbers_differ(values)) for about, values, _ in found] == [("tonnes", ["6.3", "6.32", "6.5"], True)]


def test_a_sentence_belongs_to_the_copies_that_hold_it_word_for_word():
    from newsdedup.facts import _credit_copies

    # the original keeps a quotation as one sentence; its copy was cut into several
    articles = pl.DataFrame(
        {
            "article_id": ["orig", "copy", "other"],
            "syndicate_id": ["g", "g", "h"],
            "text": [
                '"We need to keep it that way. We want it that way," Rice said.',
                "\u201cWe need to keep it that way.\n\nWe want it that way,\u201d Rice said.",
                "We need to keep it that way, another outlet wrote.",
            ],
        }
    )
    piece = _sentence("\u201cWe need to keep it that way.")
    piece.article_ids[:] = ["copy"]
    _credit_copies([piece], articles)
    assert piece.article_ids == ["copy", "orig"]  # not "other": it is no copy, even if it says it too


def test_an_article_names_someone_in_another_form_of_the_name():
    """The names gate: "Democrats" is named by an article saying "Democratic", "Pakistani" by one saying
    "Pakistan"; a short name needs its exact form, and a different name is not a form of it."""
    vocab = Vocabulary(words("The Democratic leader met Pakistan's envoy and the Iranian minister in Boston."))
    assert vocab.has_names(frozenset({"democrats", "pakistani", "boston"}))
    assert not vocab.has_names(frozenset({"iran"}))  # four letters: too short to tell a form from another name
    assert not vocab.has_names(frozenset({"bolton"}))
    assert not vocab.has_names(frozenset({"democrats", "bolton"}))
    # other endings make other names
    places = Vocabulary(words("Officials in Nigeria, Indiana and Georgia met Mr. Martinez."))
    for other in ("niger", "india", "george", "martin"):
        assert not places.has_names(frozenset({other})), other


def test_a_restatement_naming_a_group_in_another_form_is_said_already():
    import numpy as np

    cfg = FactsConfig()
    theirs = _sentence("A Democratic senator said the bill would pass before the recess.")
    mine = _sentence("The bill will pass before the recess, a senator from the Democrats said.")
    sims = np.array([[1.0, 0.9], [0.9, 1.0]])
    assert said_already(sims, [mine, theirs], np.array([1]), Vocabulary(words(theirs.text)), frozenset(), cfg)[0]
    other = _sentence("The bill will pass before the recess, a senator from the Republicans said.")
    assert not said_already(sims, [other, theirs], np.array([1]), Vocabulary(words(theirs.text)), frozenset(), cfg)[0]


def test_why_apart_names_the_check_that_failed():
    from newsdedup.facts import why_apart

    cfg = FactsConfig()
    a = _sentence("At least 145 people died in the attacks on Saturday.")
    assert why_apart(a, _sentence("At least 120 people died in the attacks on Saturday."), cfg) == (
        "each states a number the other lacks (145 / 120)"
    )
    assert why_apart(a, _sentence("Officials counted 145 dead after the violence."), cfg) is None  # one telling figure
    assert "too few content words" in why_apart(a, _sentence("Markets closed higher on Saturday."), cfg)
    assert why_apart(a, _sentence("At least 145 people were killed in the attacks on Saturday."), cfg) is None
    # a count of 2,000 is telling, a year is not
    assert why_apart(_sentence("The army said 2,000 attackers died in the raids."),
                     _sentence("Security forces killed at least 2,000 militants."), cfg) is None
    # a shared year ties nothing: these share no content word
    assert "too few content words" in why_apart(
        _sentence("Inflation rose sharply in 2025, the central bank said."),
        _sentence("Unemployment fell steadily in 2025, the labour ministry said."), cfg)


def test_two_sentences_first_read_in_one_article_are_two_facts():
    """From a review of the reports: Fox's "He called Steele's comments 'unacceptable' and 'inaccurate.'" (DeMint)
    and "Sen. John McCain ... said Steele's comments were 'wildly inaccurate.'" were one fact, listed once, so
    McCain's reaction was nowhere; from two articles, the two would be one fact worded twice."""
    import numpy as np

    from newsdedup.facts import _groups

    demint = _sentence("He called Steele's comments \"unacceptable\" and \"inaccurate.\"")
    mccain = _sentence("Sen. John McCain said Steele's comments were \"wildly inaccurate.\"")
    sims = np.array([[1.0, 0.8], [0.8, 1.0]])
    cfg = FactsConfig()
    assert same_fact(0.8, demint, mccain, cfg)  # close enough to be one fact said two ways
    assert sorted(map(sorted, _groups([demint, mccain], sims, cfg))) == [[0], [1]]
    elsewhere = Sentence(mccain.key, mccain.text, ["b"], mccain.numbers, mccain.names, mccain.content)
    assert sorted(map(sorted, _groups([demint, elsewhere], sims, cfg))) == [[0, 1]]


def _counting(texts: list[str]) -> list[Sentence]:
    sents = [_sentence(t) for t in texts]
    for sent, text, article in zip(sents, texts, "abcdefgh"):
        sent.article_ids[:], sent.figures = [article], tuple(counts(text))
    return sents


def _conflicting(texts: list[str], sim: float) -> list[list[str]]:
    """The values of each conflict find_conflicts lists for two sentences of two articles at cosine `sim`."""
    sims = np.array([[1.0, sim], [sim, 1.0]])
    return [values for _, values, _ in find_conflicts(_counting(texts), sims, FactsConfig())]


def test_outlets_wording_a_count_their_own_way_give_conflicting_figures():
    cfg = FactsConfig()
    wire = "At least 28 people were killed and over 170 injured when an earthquake struck Chamoli district on Tuesday."
    district = "The district administration put the death toll at 26 by Tuesday evening, with nearly 200 people injured."
    # related sentences (cosine 0.53 with the packaged model), under conflict_similarity: linked because both
    # count people killed and people injured, on one day
    sents = _counting([wire, district])
    sims = np.array([[1.0, 0.53], [0.53, 1.0]])
    found = {about: values for about, values, _ in find_conflicts(sents, sims, cfg)}
    assert found == {"people injured": ["over 170", "nearly 200"], "people killed": ["26", "at least 28"]}
    # merely related sentences without a verb saying what happened stay apart, as before
    sents = _counting(["Some 2,900 pilots work for Vantair, the union said.", "Vantair has 3,000 pilots, the union said."])
    assert find_conflicts(sents, sims, cfg) == []


def test_a_count_told_in_sentences_that_say_much_else_still_conflicts():
    cfg = FactsConfig()
    wire = "At least 31 people died when a passenger ferry capsized late on Thursday, the coast guard said."
    paper = ("Relatives kept vigil outside the provincial hospital as the death toll from the sinking of the MV Santa "
             "Lourdes stood at 27, with officials warning that it could still climb.")
    sims = np.array([[1.0, 0.27], [0.27, 1.0]])  # the packaged model's cosine of the two
    found = {about: values for about, values, _ in find_conflicts(_counting([wire, paper]), sims, cfg)}
    assert found == {"people killed": ["27", "at least 31"]}
    # under count_similarity, and for counts no verb qualifies, the sentences must be related as before
    assert find_conflicts(_counting([wire, paper]), sims, cfg.model_copy(update={"count_similarity": 0.3})) == []
    sents = _counting(["The ship carried 212 passengers, officials said.", "Its manifest listed 186 passengers."])
    assert find_conflicts(sents, sims, cfg) == []


def test_a_count_of_a_particular_thing_conflicts_in_sentences_a_little_less_alike():
    """From the blind conflict corpora: outlets give 1.2 million and 870,000 customers, or 87 and 120 reports, in
    sentences at cosine 0.6-0.7 that say nothing of what happened to them."""
    texts = ["The breach exposed the personal data of 1.2 million customers, the company said.",
             "Hackers stole the records of roughly 870,000 customers from its servers."]
    assert _conflicting(texts, 0.65) == [["roughly 870000", "1.2 million"]]
    # less alike than thing_similarity, as before: no conflict
    assert _conflicting(texts, 0.55) == []
    # "people" is anyone: 84 million fully vaccinated and 129 million given one shot are two counts
    people = ["A total of 84 million people in the country are fully vaccinated, the agency said.",
              "More than 129 million people have received at least one shot, according to the agency."]
    assert _conflicting(people, 0.65) == []
    # a forecast or a need is no count of what happened
    jobs = ["Private employers added 102,000 jobs in June, the payroll firm reported.",
            "Economists expect to see 165,000 jobs were added in June."]
    assert _conflicting(jobs, 0.65) == []
    votes = ["Schumer said he had the 41 votes necessary to block the nomination.",
             "The Senate rule requires a supermajority of 60 votes to end debate."]
    assert _conflicting(votes, 0.65) == []
    assert _projected("The true number may have been higher.") and not _projected("The floods began in May.")


def test_a_record_year_is_no_time_of_the_count_and_a_closer_name_is_the_same_thing():
    """From heldout6 / heldout3: "the highest reading since records began there in 1987" is no count of 1987; "some 47
    vessels" and "more than 60 ships" count one thing, as do "two elderly guests" and "three guests"."""
    gusts = ["The weather service recorded a gust of 148 km at Cape Harl on Thursday, the strongest in a decade.",
             "Data showed a peak gust of 161 km at Cape Harl on Thursday, the highest reading at the station since "
             "records began there in 1987."]
    assert _conflicting(gusts, 0.78) == [["148", "161"]]
    # ... but a year the sentence goes on to tell of is that year's count
    earlier = ["At least nine people were killed across the state on Sunday, the agency said.",
               "It is the deadliest outbreak since 2013, when a series of tornadoes killed 16 people."]
    assert _conflicting(earlier, 0.78) == []
    ships = ["Some 47 vessels were waiting at anchor on Wednesday, the port authority said.",
             "More than 60 ships were queued offshore by Wednesday afternoon, the port authority said."]
    assert _conflicting(ships, 0.78) == [["some 47", "more than 60"]]
    guests = ["Two elderly guests died in hospital on Sunday afternoon, the authority confirmed.",
              "Three guests died in hospital on Sunday after falling ill at a wedding reception."]
    assert _conflicting(guests, 0.78) == [["2", "3"]]


def test_today_is_the_day_the_article_came_out_and_yesterday_no_day():
    """heldout7: a Tuesday tabloid's "on Monday night, emergency chiefs confirmed this morning" tells of Tuesday as
    well, so it is one count with "confirmed on Tuesday morning"; heldout5: a Sunday paper's "confirmed dead this
    morning" is Sunday's toll, not Monday's; heldout6: "we expect ... today" is no day of the count."""
    from datetime import datetime, timedelta, timezone

    cfg = FactsConfig()

    def day(d: int) -> datetime:
        return datetime(2025, 3, d, 7, 0, tzinfo=timezone.utc)  # 3 March 2025 is a Monday

    def values(texts, published, sim=0.55):
        sims = np.array([[1.0, sim], [sim, 1.0]])
        return [sorted({v for _, _, v in g}) for g in linked_figures(_counting(texts), sims, cfg, "", published)]

    tuesday = ["TWENTY-THREE people lost their lives when the train flew off the rails on Monday night, emergency "
               "chiefs confirmed this morning.",
               "Nineteen people died when the train left the tracks, the emergency service confirmed on Tuesday morning."]
    assert values(tuesday, {"a": day(4), "b": day(4)}) == [["19", "23"]]
    assert values(tuesday, None) == []  # without the day it came out, Monday night is not Tuesday
    update = ["Fourteen people were confirmed dead this morning, the agency said.",
              "The death toll rose to 16 on Monday, the agency said."]
    assert values(update, {"a": day(9), "b": day(10)}) == []  # Sunday's paper, Monday's toll
    assert values(update, {"a": day(10), "b": day(10)}) == [["14", "16"]]  # both Monday's
    # "yesterday" names no day: a Sunday tabloid's "killed ... yesterday" is Sunday's count of Saturday's dead, one
    # count with "killed five people on Saturday" as with "woke on Sunday ... killed five on Saturday"
    yesterday = "SIX people were killed when a wall of snow thundered onto a packed ski run yesterday."
    for other in ("An avalanche killed five people on the ski run on Saturday.",
                  "The village woke on Sunday to grief, after an avalanche killed five people on Saturday."):
        assert values([yesterday, other], {"a": day(9), "b": day(9)}) == [["5", "6"]]
    # a day unknown (no publication time, or copies published on different days) is no day
    assert values(update, {"a": None, "b": day(10)}) == [["14", "16"]]
    # the day by the zone the source gave: a Sunday 21:00 in New York is Monday 02:00 in UTC, and its "this morning"
    # is Sunday's toll, not Monday's
    evening = datetime(2025, 3, 10, 2, 0, tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=-5)))
    assert values(update, {"a": evening, "b": day(10)}) == []
    assert values(update, {"a": evening.astimezone(timezone.utc), "b": day(10)}) == [["14", "16"]]
    # the day of the event told beside the day of the report: one count with a sentence naming the event's day alone
    # that came out on the day of that report, two with one that came out before it (the toll rose since)
    ferry = ["At least 31 people died when the ferry capsized near Chandpur on Monday evening, police said on Tuesday.",
             "At least 27 people died when the ferry capsized near Chandpur on Monday evening, officials said."]
    assert values(ferry, {"a": day(4), "b": day(4)}, sim=0.9) == [["at least 27", "at least 31"]]
    assert values(ferry, {"a": day(4), "b": day(3) + timedelta(hours=12)}, sim=0.9) == []
    flights = ["\"We cancelled 140 flights on Thursday, and we expect a normal schedule today,\" a spokesman said.",
               "The airport cancelled 214 flights on Thursday as gusts made landings unsafe."]
    assert values(flights, {"a": day(7), "b": day(6)}, sim=0.75) == [["140", "214"]]


def test_a_total_over_days_and_an_allowed_amount_are_other_counts():
    """heldout8: "Over the two days of the strike, about 1,100 operations were postponed" is no count of Wednesday's
    640, and "licensed to store up to 60 tonnes" no count of the 40 tonnes held."""
    ops = ["Over the two days of the strike, about 1,100 operations were postponed, the trust said.",
           "The trust said 640 operations scheduled for Wednesday had been cancelled."]
    assert _conflicting(ops, 0.65) == []
    one_day = ["About 1,100 operations were postponed on Wednesday, the trust said.", ops[1]]
    assert _conflicting(one_day, 0.65) == [["640", "about 1100"]]
    # two totals over days are one count (allsides: "From Friday through Sunday ... more than 400 shootings" / "more
    # than 540 shootings over the holiday weekend")
    weekend = ["From Friday through Sunday there were more than 400 shootings across the country, the data showed.",
               "In total, there were more than 540 shootings over the holiday weekend, the organization reported."]
    assert _conflicting(weekend, 0.65) == [["more than 400", "more than 540"]]
    # a length of time is no total over days (heldout10: six weeks against about three weeks, both said on Wednesday)
    weeks = ["The agency said on Wednesday that the highway was likely to stay shut for six weeks.",
             "The agency said on Wednesday that the road would remain closed for about three weeks."]
    assert _conflicting(weeks, 0.8) == [["about 3", "6"]]
    tonnes = ["Unit 3 is licensed to store up to 60 tonnes of ethylene oxide, according to its permit.",
              "Around 40 tonnes of ethylene oxide were held in Unit 3 at the time of the explosion."]
    assert _conflicting(tonnes, 0.65) == []
    # heldout9: "That failure ... destroyed eight satellites" tells of the 2022 launch the story recalled before
    launch = ["That failure, caused by a guidance software fault, destroyed eight satellites.",
              "The rocket failed minutes after lifting off on Saturday, destroying the 14 satellites it was carrying."]
    assert _conflicting(launch, 0.65) == []
    this = ["This failure, caused by a guidance software fault, destroyed eight satellites.", launch[1]]
    assert _conflicting(this, 0.65) == [["8", "14"]]


def test_a_count_saying_nothing_happened_is_no_count_of_the_dead_unless_its_sentence_tells_of_them():
    cfg = FactsConfig()
    sims = np.array([[1.0, 0.75], [0.75, 1.0]])
    killed = "Five skiers were killed at the scene on Sunday when an avalanche struck the slope."
    sents = _counting([killed, "An avalanche swept away nine skiers on the slope on Sunday."])
    assert find_conflicts(sents, sims, cfg) == []
    sents = _counting([killed, "Among the dead on the slope on Sunday were six skiers."])
    assert [values for _, values, _ in find_conflicts(sents, sims, cfg)] == [["5", "6"]]
    # a capacity is no attendance, however close the sentences
    sents = _counting(["About 400 guests attended the reception at the hall.", "The hall can seat 800 guests."])
    assert find_conflicts(sents, np.array([[1.0, 0.8], [0.8, 1.0]]), cfg) == []
    # other roles are taken as told: "let go" are the freed
    sents = _counting(["The attackers released five hostages during the afternoon.",
                       "Eight hostages were let go during the afternoon."])
    assert [values for _, values, _ in find_conflicts(sents, sims, cfg)] == [["5", "8"]]


def test_a_place_the_story_heads_name_is_where_it_all_happened_and_one_alone_a_part():
    cfg = FactsConfig()
    sims = np.array([[1.0, 0.6], [0.6, 1.0]])
    texts = ["Some 120 inmates escaped during the chaos, the ministry said.",
             "Ninety-four inmates broke out of Kolvane Central Prison in Drassel after a night of rioting."]
    assert find_conflicts(_counting(texts), sims, cfg) == []  # Drassel's 94 may be part of the 120
    heads = story_heads([{"title": "Riot at prison", "dateline": "DRASSEL, June 15"}])
    groups = linked_figures(_counting(texts), sims, cfg, heads)
    assert [[value for _, _, value in group] for group in groups] == [["some 120", "94"]]
    # "alone": a part, whatever the heads and however close the sentences
    texts = ["At least nine people were killed across the state on Sunday.",
             "In Hallow Creek alone, five people were killed on Sunday."]
    close = np.array([[1.0, 0.9], [0.9, 1.0]])
    assert linked_figures(_counting(texts), close, cfg, story_heads([{"title": "Hallow Creek digs out"}])) == []


def test_no_mention_is_in_two_groups_and_the_grouping_does_not_hang_on_which_link_is_closer():
    cfg = FactsConfig()
    texts = ["At least 10 people were killed in the crash, police said.",
             "The crash involved 11 people, with deaths and injuries reported on Monday.",
             "12 people were injured in the crash on Monday.",
             "14 people were killed in the crash on Tuesday.",
             "15 people were killed in the crash on Tuesday, the ministry said."]
    sims = np.full((5, 5), 0.1)
    np.fill_diagonal(sims, 1.0)
    for i, j, v in ((0, 1, 0.9), (1, 2, 0.85), (0, 3, 0.8), (3, 4, 0.95), (0, 4, 0.3)):
        sims[i, j] = sims[j, i] = v
    mentions = [(i, value) for group in linked_figures(_counting(texts), sims, cfg) for i, _, value in group]
    assert len(mentions) == len(set(mentions))
    days = ["At least 12 people were killed in the crush on Sunday, police said.",
            "Twelve people died when crowds surged at a gate this afternoon, police say.",
            "The death toll from the crush rose to 14 on Monday after two injured fans died in hospital."]
    for near, far in ((0.7, 0.6), (0.6, 0.7)):
        sims = np.array([[1.0, near, 0.5], [near, 1.0, far], [0.5, far, 1.0]])
        groups = [[value for _, _, value in group] for group in linked_figures(_counting(days), sims, cfg)]
        assert groups == [["at least 12", "12"]], (near, far)


def test_counts_of_another_time_another_event_or_a_wider_count_are_no_conflict():
    cfg = FactsConfig()
    pair = lambda a, b, s: find_conflicts(_counting([a, b]), np.array([[1.0, s], [s, 1.0]]), cfg)  # noqa: E731
    # a later day than the one they share: a running total
    assert pair("Floods that began on Sunday had killed 20 people by Tuesday, officials said.",
                "Twelve people were killed on Sunday as the river burst its banks.", 0.75) == []
    assert pair("Police said on Monday that 25 people had been arrested since the protests began on Friday.",
                "Police arrested 15 people on Friday night.", 0.6) == []
    # loosely related sentences telling of another event
    assert pair("At least 31 people were killed in the bombing, officials said.",
                "It was the deadliest attack since a bombing that killed 20 people at a market.", 0.3) == []
    assert pair("At least nine people were killed when the bomb exploded, police said.",
                "In a separate incident, a roadside bomb killed six people, police said.", 0.4) == []
    # the dateline's town is no whole when the other count is wider; "in the capital alone" is a part
    texts = ["In Islamabad, five protesters were killed when police opened fire, officials said.",
             "At least nine protesters were killed nationwide, officials said."]
    heads = story_heads([{"title": "Protests turn deadly", "dateline": "ISLAMABAD, May 10 (Reuters)"}])
    assert linked_figures(_counting(texts), np.array([[1.0, 0.45], [0.45, 1.0]]), cfg, heads) == []
    assert pair("In the capital alone, 20 people were killed, officials said.",
                "At least 35 people were killed across the country, officials said.", 0.8) == []
    # nearly the same sentences: a smaller count for a place the other does not name is a part too
    assert pair("In Gwadar, militants attacked a camp, killing 11 civilians.", "Militants killed 18 civilians.", 0.8) == []


def test_mentions_of_different_days_never_share_a_group_through_one_naming_none():
    cfg = FactsConfig()
    texts = ["At least 12 people were killed in the crush on Sunday, police said.",
             "Twelve people died when crowds surged at a gate this afternoon, police say.",
             "The death toll from the crush rose to 14 on Monday after two injured fans died in hospital."]
    sims = np.array([[1.0, 0.7, 0.5], [0.7, 1.0, 0.6], [0.5, 0.6, 1.0]])
    groups = [[value for _, _, value in group] for group in linked_figures(_counting(texts), sims, cfg)]
    # Sunday's 12 and the undated 12 are one figure; Monday's 14 may not join them through the undated one
    assert groups == [["at least 12", "12"]]


def test_counts_of_another_day_place_or_thing_are_no_conflict():
    cfg = FactsConfig()
    wednesday = "The strike forced the airline to cancel 655 flights on Wednesday, the company said."
    sims = np.array([[1.0, 0.6], [0.6, 1.0]])
    # another day
    sents = _counting([wednesday, "The airline said it would cancel a further 598 flights on Thursday."])
    assert find_conflicts(sents, sims, cfg) == []
    # the day of the event beside the day of the report is one day with the other's report
    sents = _counting(["The bridge collapse on Tuesday killed at least 14 people, officials said on Wednesday.",
                       "Twelve people were confirmed dead on Wednesday, officials said."])
    assert [values for _, values, _ in find_conflicts(sents, sims, cfg)] == [["12", "at least 14"]]
    # a smaller count told for a place the other does not name is a part of it
    sents = _counting(["In Gwadar, militants attacked a camp, killing 11 civilians.", "Among the dead were 18 civilians."])
    assert find_conflicts(sents, sims, cfg) == []
    # the dead and the injured are two counts, however close the sentences
    sents = _counting(["12 people were killed in the blast, police said.", "15 people were injured in the blast, police said."])
    assert find_conflicts(sents, np.array([[1.0, 0.9], [0.9, 1.0]]), cfg) == []
    # another year, however close the sentences; a month named in one only is no other time
    sents = _counting(["A similar flood in 2019 killed 11 people in the province.", "The flood killed 14 people in the province."])
    assert find_conflicts(sents, np.array([[1.0, 0.9], [0.9, 1.0]]), cfg) == []
    sents = _counting(["In December, boxes with 50,000 pages of emails were delivered.", "It received 55,000 pages of emails."])
    assert [values for _, values, _ in find_conflicts(sents, np.array([[1.0, 0.9], [0.9, 1.0]]), cfg)] == [["50000", "55000"]]
    # a day of a month against another or a weekday: two times (an editor's walk-through: a milestone of December
    # against January's toll "as of Tuesday" was a conflict), not one day named twice ("on Tuesday, Dec. 17")
    for other in ("The country had at least 400,000 deaths as of Tuesday afternoon.",
                  "The country had at least 400,000 deaths on Jan. 19."):
        sents = _counting(["The country reached 300,000 deaths on Dec. 17, according to the university.", other])
        assert find_conflicts(sents, np.array([[1.0, 0.9], [0.9, 1.0]]), cfg) == []
    sents = _counting(["The country reached 300,000 deaths on Tuesday, Dec. 17.", "It had 320,000 deaths on Dec. 17th."])
    assert [values for _, values, _ in find_conflicts(sents, np.array([[1.0, 0.9], [0.9, 1.0]]), cfg)] == [["300000", "320000"]]
    # (a review's) two days of one month; a weekday both name; words that only open like a month
    assert _conflicting(["The storm killed 12 people on Dec. 17.", "The storm killed 15 people on Dec. 20."], 0.9) == []
    assert _conflicting(["The storm killed 12 people on Dec. 17-18.", "The storm killed 15 people on Dec. 20."], 0.9) == []
    assert _conflicting(["The country reached 300,000 deaths on Tuesday, Dec. 17.", "It had 320,000 deaths on Tuesday."], 0.9) == [
        ["300000", "320000"]]
    assert _conflicting(["In March, 16 Marines were arrested at Camp Pendleton.",
                         "The Marine Corps said on Thursday that 18 Marines were arrested at Camp Pendleton."], 0.9) == [["16", "18"]]
    # a count given in parts whose sum is the other's is one report (the seeds: 15 security personnel killed and at
    # least 18 people dead, against at least 33 killed); parts that sum to another number are not
    parts = "Fifteen security personnel were killed, and militants targeted civilians, leaving at least {} people dead."
    total = "The report said at least 33 people were killed in coordinated attacks."
    assert _conflicting([parts.format(18), total], 0.8) == []
    assert _conflicting([parts.format(20), total], 0.8) == [["at least 20", "at least 33"]]
    # the larger count told for a place: the other, smaller one is the earlier report ("at least 8" / "at least 9")
    sents = _counting(["Flooding killed at least nine people in New Jersey.", "The downpour killed at least eight people."])
    assert [values for _, values, _ in find_conflicts(sents, sims, cfg)] == [["at least 8", "at least 9"]]


def test_figures_are_shown_with_their_thousands_grouped():
    from newsdedup.facts import figure_text

    assert figure_text("around 92000") == "around 92,000"
    assert figure_text("3412") == "3,412"
    assert figure_text("$1500000") == "$1,500,000"
    assert figure_text("more than 110000") == "more than 110,000"
    assert figure_text("150000 crore") == "150,000 crore"
    assert [figure_text(v) for v in ("145", "nearly 2 lakh", "$6.32 billion")] == ["145", "nearly 2 lakh", "$6.32 billion"]


def test_the_dead_and_the_injured_never_share_a_conflict():
    cfg = FactsConfig()
    texts = ["12 people were killed and 12 were injured in the blast.", "15 people were killed in the blast.",
             "20 people were injured in the blast."]
    sents = _counting(texts)
    sims = np.full((3, 3), 0.9)
    found = {about: values for about, values, _ in find_conflicts(sents, sims, cfg)}
    assert found == {"people killed": ["12", "15"], "people injured": ["12", "20"]}
    # a count saying nothing of what happened does not join them either
    sents = _counting(["12 people were hurt in the blast.", "15 people were in the building at the time.",
                       "20 people were killed in the blast."])
    assert all(about != "people" or len(values) < 3 for about, values, _ in find_conflicts(sents, sims, cfg))


def test_a_place_is_named_by_its_whole_word_and_a_copy_confirming_a_toll_changes_it():
    from newsdedup.facts import figures_changed

    cfg = FactsConfig()
    sims = np.array([[1.0, 0.6], [0.6, 1.0]])
    # "oman" is in "woman", but the other sentence names no Oman: the smaller count there is a part
    sents = _counting(["In Oman, floods killed 12 people.", "Floods killed 20 people, a woman said."])
    assert find_conflicts(sents, sims, cfg) == []
    assert figures_changed(["At least 25 people were confirmed killed in the blast, police said."],
                           ["At least 23 people were killed in the blast, police said."]) == [
        "at least 25 people where the original gives at least 23 people"]


def test_a_line_many_versions_hold_names_no_source_of_a_copys_text():
    from newsdedup.facts import pasted_from

    stock = "The company did not immediately respond to a request for comment."
    pasted = "The mayor said the bridge would stay closed until the inspection ends."
    others = [
        {"article_id": "x", "syndicate_id": "gx", "text": f"{stock} {pasted}"},  # no date: sorted last
        {"article_id": "y", "syndicate_id": "gy", "text": stock, "published": datetime(2026, 1, 1, tzinfo=timezone.utc)},
    ]
    assert [r["article_id"] for r in pasted_from([f"{stock} {pasted}"], others)] == ["x"]
    assert pasted_from([stock], others) == []


def test_the_next_best_version_is_another_write_up_not_a_trimmed_copy_of_the_winner(tmp_path, real_models):
    """An editor reading "next best" wants the best other write-up, not the winner's own text cut to 60 %."""
    for path in SEEDS.glob("*.txt"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = SEEDS.joinpath("001_72621f2fa7bf588d.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    (tmp_path / "trimmed.txt").write_text("\n".join(lines[: int(len(lines) * 0.6)]), encoding="utf-8")
    docs = _documents(tmp_path)
    first = docs.filter(pl.col("article_id").str.starts_with("001_"))["article_id"][0]
    docs = docs.with_columns(syndicate_id=pl.when(pl.col("article_id") == "trimmed").then(pl.lit(first)).otherwise(pl.col("syndicate_id")))
    canon, _, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    row = canon.row(0, named=True)
    assert row["canonical_article_id"] == first
    assert "(next best: " in row["canonical_reason"] and "trimmed" not in row["canonical_reason"].split(";")[0]
    assert row["canonical_reason"].endswith("; longest of 2 copies"), row["canonical_reason"]


def test_a_count_in_an_accented_place_is_one_count_across_outlets():
    """places() reads "Zürich" as "zurich"; the check that both sentences name it must read it so too (the conflict was
    missed for any accented place)."""
    from newsdedup.facts import _one_count, as_sentence

    a = as_sentence("In Z\u00fcrich, at least 31 people were killed in the flooding, police said.")
    b = as_sentence("In Z\u00fcrich, at least 35 people were killed in the flooding, officials said.")
    assert _one_count(a, "31", b, "35")


def test_the_most_complete_version_weighs_facts_by_what_they_say_not_by_how_many_lines(tmp_path, real_models):
    """A report giving the toll, the place, the time and the cause in four full sentences is more complete than a
    round-up of six one-line reactions: counted as lines, the round-up won; weighed by their content words, the
    report does, and the reason gives both figures."""
    (tmp_path / "report.txt").write_text(
        "Market blast kills 12 in Quetta\n\n"
        "A bomb hidden in a vegetable cart exploded at the crowded central market in Quetta on Saturday morning, "
        "killing 12 shoppers and wounding 30 others, provincial police officials said.\n\n"
        "The explosion destroyed dozens of wooden stalls and set fire to two nearby shops selling cooking gas "
        "cylinders, according to rescue workers at the scene.\n\n"
        "Doctors at the Civil Hospital said eight of the wounded were in critical condition with severe burns and "
        "shrapnel injuries after the morning attack.\n\n"
        "Investigators believe the device was detonated remotely with a mobile telephone, a senior counterterrorism "
        "official told reporters late on Saturday.\n", encoding="utf-8")
    (tmp_path / "roundup.txt").write_text(
        "Reactions pour in after Quetta attack\n\n"
        "The mayor called the attack cowardly.\n\n"
        "Traders shut their shops in protest.\n\n"
        "The governor promised swift justice.\n\n"
        "Opposition leaders demanded his resignation.\n\n"
        "Schools will stay closed on Monday.\n\n"
        "Cricket fans held a vigil downtown.\n", encoding="utf-8")
    docs = _documents(tmp_path)
    canon, _, _ = resolve_stories(docs, real_models.facts, load_config().facts)
    row = canon.row(0, named=True)
    assert row["canonical_article_id"] == "report", row
    assert row["canonical_reason"].startswith("covers 4 of 10 facts, "), row
    assert " fact words (next best: 6 facts, " in row["canonical_reason"], row
