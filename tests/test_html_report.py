"""The HTML report: escaping, no external resources, marked facts, copy differences; the seeds' report in Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from datetime import datetime, timezone

import polars as pl
import pytest

from conftest import COPIES, SEEDS
from newsdedup.html_report import compare_copy, mark_facts, render_html, render_html_pages
from newsdedup.schema import CONFLICTS, DOCUMENTS, FACTS, REJECTS, STORIES, conform

DAY = datetime(2026, 2, 1, tzinfo=timezone.utc)
LATER = datetime(2026, 3, 5, tzinfo=timezone.utc)

ORIGINAL = (
    "Floods cut the coastal road on Monday, officials said.\n"
    "Rescue teams reached the village of Arden by boat before noon.\n"
    "The weather service expects more rain until Thursday and warns of landslides."
)
TRIMMED = (
    "Floods cut the coastal road on Monday, officials said.\n"
    "Rescue teams reached the village of Arden by boat before noon.\n"
    "Update: the road reopened late on Tuesday evening after repairs."
)
VARIANT = (
    "The coastal road was flooded on Monday.\n"
    "Mayor Ines Calder said 40 homes were evacuated overnight. Schools stay closed."
)
QUAKE = "A small earthquake shook the valley on a quiet Sunday morning.\nNo damage was reported by the county."
HOSTILE = "<script>alert(1)</script> Floods & \"rain\""


def _doc(article_id, title, source, published, text, syndicate_id, story_id, url=None) -> dict:
    return {
        "article_id": article_id, "path": f"{article_id}.txt", "title": title, "source": source,
        "published": published, "url": url, "dateline": None, "text": text, "n_words": len(text.split()),
        "syndicate_id": syndicate_id, "story_id": story_id,
    }


def _tables() -> dict[str, pl.DataFrame]:
    """Two stories by hand: floods (an original, a trimmed copy with an update, an independent variant) and a quake."""
    documents = pl.DataFrame(
        [
            _doc("a", "Floods cut coastal road", "Wire", DAY, ORIGINAL, "syn_a", "story_flood",
                 "https://wire.example/a"),
            _doc("b", "Coastal road cut by floods", "Courier", DAY, TRIMMED, "syn_a", "story_flood"),
            _doc("c", HOSTILE, "Gazette", DAY, VARIANT, "syn_c", "story_flood", "javascript:alert(2)"),
            _doc("q", "Quake shakes valley", "Valley Post", LATER, QUAKE, "syn_q", "story_quake"),
        ],
        schema={**DOCUMENTS, "syndicate_id": pl.String(), "story_id": pl.String()},
        orient="row",
    )
    stories = conform(
        pl.DataFrame(
            [
                ("story_flood", "Floods cut coastal road", "a", "covers 3 of 5 facts (next best: 2, c)", 3, 2,
                 ["Courier", "Gazette", "Wire"], DAY, DAY),
                ("story_quake", "Quake shakes valley", "q", "only version; 2 facts", 1, 1, ["Valley Post"],
                 LATER, LATER),
            ],
            schema=STORIES, orient="row",
        ),
        STORIES, "stories",
    )
    facts = pl.DataFrame(
        [("story_flood", "fact_1", "Mayor Ines Calder said 40 homes were evacuated overnight.", ["c"], ["Gazette"], [], [])],
        schema=FACTS, orient="row",
    )
    conflicts = pl.DataFrame(
        [
            ("story_flood", "homes", ["30", "40"], ["a", "c"], True,
             ["Officials said 30 homes were evacuated.", "Mayor Ines Calder said 40 homes were evacuated overnight."],
             [["a"], ["c"]]),
            ("story_flood", "roads", ["12", "at least 12"], ["a", "c"], False,
             ["Police closed 12 roads.", "At least 12 roads were closed."], [["a"], ["c"]]),
        ],
        schema=CONFLICTS,
        orient="row",
    )
    rejects = pl.DataFrame([("bad/<b>.bin", "binary file")], schema=REJECTS, orient="row")
    pairs = pl.DataFrame(
        [("a", "b", 0.42, 0.93)],
        schema={"article_id": pl.String, "copy_of": pl.String, "jaccard": pl.Float64, "containment": pl.Float64},
        orient="row",
    )
    return {
        "documents": documents, "stories": stories, "facts": facts, "conflicts": conflicts, "rejects": rejects,
        "pairs": pairs,
    }


def _render(tables: dict[str, pl.DataFrame]) -> str:
    t = tables
    return render_html(t["documents"], t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"])


@pytest.fixture(scope="module")
def page_html() -> str:
    return _render(_tables())


def test_markup_in_inputs_is_escaped(page_html):
    assert "<script>alert(1)" not in page_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Floods &amp; &quot;rain&quot;" in page_html
    assert page_html.count("<script") == 1  # the page's own filter
    assert "bad/&lt;b&gt;.bin" in page_html
    assert "javascript:" not in page_html  # a URL that is not http(s) is never made a link


def test_nothing_is_loaded_from_anywhere(page_html):
    assert not re.search(r"\bsrc\s*=", page_html)
    assert "<link" not in page_html and "@import" not in page_html and "url(" not in page_html
    # http(s) appears only in links to the articles themselves, never as a resource
    assert set(re.findall(r"https?://[^\"'\s<]*", page_html)) == {"https://wire.example/a"}
    assert '<a href="https://wire.example/a" rel="noopener noreferrer">' in page_html
    assert "default-src 'none'" in page_html


def test_content_security_policy_allows_exactly_the_inline_style_and_script(page_html):
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page_html, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in page_html


def test_added_fact_is_marked_inside_its_own_text(page_html):
    assert "<mark>Mayor Ines Calder said 40 homes were evacuated overnight.</mark> Schools stay closed." in page_html
    paras, found = mark_facts(VARIANT, ["Mayor Ines Calder said 40 homes were evacuated overnight."])
    assert found == {"mayor ines calder said 40 homes were evacuated overnight"}
    assert paras == [
        ("The coastal road was flooded on Monday.", False),
        ("<mark>Mayor Ines Calder said 40 homes were evacuated overnight.</mark> Schools stay closed.", True),
    ]


def _tables_with_a_detail() -> dict[str, pl.DataFrame]:
    """The test tables, with the added fact a detail: the most complete version states it but for the 40."""
    tables = _tables()
    tables["facts"] = tables["facts"].with_columns(detail_figures=pl.Series([["40"]], dtype=pl.List(pl.String)))
    return tables


def test_a_figure_added_to_a_stated_fact_is_marked_as_such():
    page = _render(_tables_with_a_detail())
    assert (
        '<mark class=detail title="the most complete version states this fact, without the figure 40">'
        "Mayor Ines Calder said 40 homes were evacuated overnight.</mark>"
    ) in page
    assert "(1 dashed: a figure the most complete version lacks, in a fact it states)" in page


def test_a_figure_other_than_the_most_complete_versions_is_marked_as_such():
    tables = _tables()
    tables["facts"] = tables["facts"].with_columns(differs_from=pl.Series([["30 homes"]], dtype=pl.List(pl.String)))
    page = _render(tables)
    assert (
        '<mark class=differs title="the most complete version gives 30 homes">'
        "Mayor Ines Calder said 40 homes were evacuated overnight.</mark>"
    ) in page
    assert "(1 in red: another figure than the most complete version's)" in page and " dashed: " not in page


def test_a_copy_groups_original_is_the_first_published_and_each_copy_is_shown_against_what_it_reproduces():
    """A wire story at 06:10, its UPDATE 1 and UPDATE 2 (longer each time), and a newspaper's trimmed copy of the
    first version: the original is the wire story, the update is shown against the version before it, and the
    newspaper's copy against the version it trimmed, not against the longest member of the group."""
    from newsdedup.html_report import copy_source, group_order, original_reason

    at = lambda h: DAY.replace(hour=h)  # noqa: E731
    rows = [
        {"article_id": "update2", "n_words": 449, "published": at(14)},
        {"article_id": "update1", "n_words": 425, "published": at(9)},
        {"article_id": "wire", "n_words": 367, "published": at(6)},
        {"article_id": "gazette", "n_words": 274, "published": at(8)},
    ]
    pairs = {
        frozenset(p): {"jaccard": j, "containment": c}
        for p, j, c in [(("update2", "update1"), 0.79, 0.90), (("update2", "wire"), 0.69, 0.91), (("update1", "wire"), 0.80, 0.95),
                        (("gazette", "wire"), 0.58, 0.97), (("gazette", "update1"), 0.50, 0.95), (("gazette", "update2"), 0.45, 0.94)]
    }
    lead = group_order(rows)[0]
    assert lead["article_id"] == "wire" and original_reason(rows, lead) == "first published"
    order = group_order(rows)
    source = {r["article_id"]: copy_source(r, order[:i], lead, pairs)["article_id"] for i, r in enumerate(order) if i}
    assert source == {"update2": "update1", "update1": "wire", "gazette": "wire"}
    assert ".role code{text-transform:none" in _render(_tables())  # an id keeps its case in the upper-case label
    # undated: the longest is the original, and the reason says nothing is dated
    undated = [{**r, "published": None} for r in rows]
    assert group_order(undated)[0]["article_id"] == "update2"
    assert original_reason(undated, group_order(undated)[0]) == "the longest; no version is dated"


def test_copies_published_the_same_day_are_never_each_the_copy_of_the_other():
    """Dates without times tie: the members are still put in one order (the longest first), each copy is shown
    against one before it, and the reason says the day decided nothing."""
    from newsdedup.html_report import copy_source, group_order, original_reason

    rows = [
        {"article_id": "tribune", "n_words": 300, "published": DAY},
        {"article_id": "courier", "n_words": 280, "published": DAY},
        {"article_id": "wire", "n_words": 310, "published": DAY},
    ]
    pairs = {frozenset(p): {"jaccard": 0.8, "containment": c} for p, c in
             ((("tribune", "courier"), 0.99), (("tribune", "wire"), 0.9), (("courier", "wire"), 0.9))}
    lead = group_order(rows)[0]
    assert [r["article_id"] for r in group_order(rows)] == ["wire", "tribune", "courier"]
    assert original_reason(rows, lead) == "published the same day (2026-02-01) as 2 others: the longest of them"
    order = group_order(rows)
    source = {r["article_id"]: copy_source(r, order[:i], lead, pairs)["article_id"] for i, r in enumerate(order) if i}
    assert source == {"tribune": "wire", "courier": "tribune"}  # each had been shown as the other's copy


def test_a_copy_dated_by_its_day_alone_is_not_first_before_a_version_timed_that_day():
    """A syndicator's copy dated '2026-02-01' (no time) is no earlier than the wire's own version of 08:00 that day:
    the longest is the original, and the reason says they share the day; a day before still comes first."""
    from newsdedup.html_report import group_order, original_reason

    rows = [
        {"article_id": "copy", "n_words": 300, "published": DAY},
        {"article_id": "wire", "n_words": 320, "published": DAY.replace(hour=8)},
        {"article_id": "late", "n_words": 330, "published": DAY.replace(day=2, hour=6)},
    ]
    order = group_order(rows)
    assert [r["article_id"] for r in order] == ["wire", "copy", "late"]
    assert original_reason(rows, order[0]) == "published the same day (2026-02-01) as 1 other: the longest of them"
    earlier = [{**rows[0], "published": DAY.replace(day=1) - (DAY.replace(day=2) - DAY)}, *rows[1:]]  # the day before
    assert group_order(earlier)[0]["article_id"] == "copy" and original_reason(earlier, group_order(earlier)[0]) == "first published"
    # a New York paper's 21:00 -05:00 on the 1st (02:00 UTC on the 2nd) came before a copy dated by the 2nd alone
    from datetime import timedelta

    evening = [{"article_id": "nyt", "n_words": 300, "published": DAY.replace(day=2, hour=2), "utc_offset": timedelta(hours=-5)},
               {"article_id": "copy", "n_words": 320, "published": DAY.replace(day=2)}]
    assert [r["article_id"] for r in group_order(evening)] == ["nyt", "copy"]
    assert original_reason(evening, group_order(evening)[0]) == "first published"


def test_a_copy_crediting_another_place_or_agency_says_so():
    """A copy that adds "KARACHI (Reuters)" to a Fox News text, or moves the dateline, is what a wire editor flags."""
    from newsdedup.html_report import difference_words

    docs = {r["article_id"]: r for r in _tables()["documents"].iter_rows(named=True)}
    added = compare_copy({**docs["b"], "dateline": "KARACHI (Reuters)"}, {**docs["a"], "dateline": None})
    assert added.dateline == 'dateline "KARACHI (Reuters)" added' and added.dateline in difference_words(added)
    moved = compare_copy({**docs["b"], "dateline": "CHICAGO (AP)"}, {**docs["a"], "dateline": "AMHERST, N.H."})
    assert moved.dateline == 'dateline "CHICAGO (AP)" where the original has "AMHERST, N.H."'
    assert compare_copy({**docs["b"], "dateline": "LONDON (Reuters) -"}, {**docs["a"], "dateline": "London (Reuters)"}).dateline is None


CORRECTED = (
    "Mr. Blumenthal said in 2008 that he would not be sent to Vietnam, according to The New Haven Register. He served "
    "in the Marine Reserves from 1970 to 1976, records show. Officials said the group met on Monday in the capital to "
    "plan the 40,000 dollar memorial.\n\nThe report was published later that week by the paper."
)


def test_a_word_cut_or_changed_in_shared_text_is_an_edit_said_with_its_sentence():
    """A review's desk case: a correction ("would not be sent" -> "would be sent") was "same text" (every word of
    the copy lies in a 5-word phrase the original has). An edit names the words and quotes the copy's sentence."""
    from newsdedup.html_report import difference_words, word_edits

    copy = (CORRECTED.replace("would not be", "would be").replace("New Haven Register", "Hartford Courant")
            .replace("40,000", "45,000"))
    edits = word_edits(copy, CORRECTED)
    first = "Mr. Blumenthal said in 2008 that he would be sent to Vietnam, according to The Hartford Courant."
    assert [(e.what, e.sentence) for e in edits] == [
        ('"not" cut', first),
        ('"Hartford Courant" for "New Haven Register"', first),
        ('"45,000" for "40,000"', "Officials said the group met on Monday in the capital to plan the 45,000 dollar memorial."),
    ]
    diff = compare_copy({"title": "T", "text": copy, "n_words": 50}, {"title": "T", "text": CORRECTED, "n_words": 51})
    assert diff.edits == edits and any(w.startswith('3 edits: "not" cut in "Mr. Blumenthal said') for w in difference_words(diff))
    # not edits: a trimmed bottom, an added paragraph, re-paragraphing, retyped quotes; nor a copy word for word
    trimmed = CORRECTED.rsplit("\n\n", 1)[0]
    assert word_edits(trimmed, CORRECTED) == []
    assert word_edits(CORRECTED + "\n\nThe ministry said a new inquiry would open on Friday in the capital.", CORRECTED) == []
    assert word_edits(CORRECTED.replace(" He served", "\n\nHe served"), CORRECTED) == []
    assert compare_copy({"title": "T", "text": CORRECTED, "n_words": 51}, {"title": "T", "text": CORRECTED, "n_words": 51}).edits == []
    # a passage of six words or more inside is added text, not an edit
    longer = CORRECTED.replace("records show.", "records show, and he was never deployed overseas at all.")
    assert word_edits(longer, CORRECTED) == []
    # a repeated phrase dropped or doubled names no words (it had given '"" cut'); "Jan. 5" ends no sentence
    doubled = "Officials in the city said the bridge said the bridge would close on Monday and reopen on Friday after repairs."
    single = "Officials in the city said the bridge would close on Monday and reopen on Friday after repairs."
    assert word_edits(single, doubled) == [] and word_edits(doubled, single) == []
    dated = "The vote on Jan. 5 was postponed by the council of the city until the spring. It was a long day in the capital."
    assert [e.sentence for e in word_edits(dated.replace("postponed", "delayed"), dated)] == [
        "The vote on Jan. 5 was delayed by the council of the city until the spring."
    ]


def test_a_word_changed_in_the_first_or_last_words_is_an_edit_too():
    """A desk walk-through's case: a name corrected in the lead ("Mr. Blumenthal" -> "Mr. Shays") or a closing line
    given to another paper was a bare copy: the text's ends were left out. A replacement there is an edit; words only
    added or cut at an end (a byline, a trim, an appended line) are not."""
    from newsdedup.html_report import word_edits

    lead = word_edits(CORRECTED.replace("Mr. Blumenthal", "Mr. Shays"), CORRECTED)
    assert [(e.what, e.sentence[:40]) for e in lead] == [('"Shays" for "Blumenthal"', "Mr. Shays said in 2008 that he would not")]
    end = word_edits(CORRECTED.replace("by the paper.", "by the magazine."), CORRECTED)
    assert [(e.what, e.sentence) for e in end] == [('"magazine" for "paper"', "The report was published later that week by the magazine.")]
    assert word_edits("Reporting by Jane Doe. " + CORRECTED, CORRECTED) == []
    assert word_edits(CORRECTED.removesuffix(" by the paper."), CORRECTED) == []
    assert word_edits(CORRECTED.replace("The report was published later that week by the paper.", "It ran."), CORRECTED) == []
    # two texts without a headline, each titled by its first words: the changed lead is the edit, not a new headline
    shays = CORRECTED.replace("Mr. Blumenthal", "Mr. Shays")
    diff = compare_copy({"title": "Mr. Shays said in 2008 that he would not be sent\u2026", "text": shays, "n_words": 51},
                        {"title": "Mr. Blumenthal said in 2008 that he would not be sent\u2026", "text": CORRECTED, "n_words": 51})
    assert not diff.headline_changed and [e.what for e in diff.edits] == ['"Shays" for "Blumenthal"']
    assert compare_copy({"title": "Vietnam claim revisited", "text": shays, "n_words": 51},
                        {"title": "Mr. Blumenthal said in 2008 that he would not be sent\u2026", "text": CORRECTED, "n_words": 51}).headline_changed


def test_copy_shows_what_differs_and_its_similarity(page_html):
    docs = {r["article_id"]: r for r in _tables()["documents"].iter_rows(named=True)}
    diff = compare_copy(docs["b"], docs["a"])
    assert diff.headline_changed
    assert diff.extra == ["Update: the road reopened late on Tuesday evening after repairs."]
    assert diff.missing == ["The weather service expects more rain until Thursday and warns of landslides."]
    assert diff.kept_share == 30 / 32 and diff.boilerplate == []
    assert "headline changed" in page_html
    assert "extra text: 10 words not in the original" in page_html
    assert "trimmed to 94 % (30 of 32 words)" in page_html
    assert "Jaccard 0.42 &middot; containment 0.93" in page_html
    assert "Original (published the same day (2026-02-01) as 1 other: the longest of them)" in page_html
    assert "Copy" in page_html


def test_trimmed_copy_and_boilerplate_are_named():
    original = {"title": "Floods", "text": ORIGINAL, "n_words": 30}
    copy = {"title": "Floods", "text": "Floods cut the coastal road on Monday, officials said.\n"
            "© 2026 Daily Courier. All rights reserved.", "n_words": 15}
    diff = compare_copy(copy, original)
    assert not diff.headline_changed
    assert diff.kept_share == 0.5
    assert diff.boilerplate == ["© 2026 Daily Courier. All rights reserved."] and diff.extra == []


def test_a_passage_is_quoted_right_where_folding_changes_the_line_length():
    # NFKC turns the ligature "ﬁ" into two letters, so word spans must map back to the original line
    original = {"title": "Talks", "text": "The ﬁnal report was released on Monday by the agency in Geneva after long talks.", "n_words": 16}
    added = "Its ﬁndings will be debated by ministers in ﬁve capitals next week."
    copy = {"title": "Talks", "text": original["text"] + "\n" + added, "n_words": 28}
    diff = compare_copy(copy, original)
    assert diff.extra == [added] and diff.missing == [] and diff.reworded == 0


def test_what_differs_in_the_hand_made_copies_of_the_seeds(tmp_path):
    from newsdedup.config import load_config
    from newsdedup.ingest import read_inputs

    for folder in (SEEDS, COPIES):
        for path in folder.iterdir():
            if path.name not in ("README.md", "labels.csv"):
                shutil.copy(path, tmp_path / path.name)
    docs, _ = read_inputs(tmp_path, load_config().ingest)
    row = {r["article_id"]: r for r in docs.iter_rows(named=True)}
    seed001 = row["001_72621f2fa7bf588d"]

    same = compare_copy(row["courier-001"], seed001)  # paragraphs merged, quotes and dashes retyped
    assert same.headline_changed and same.kept_share is None
    assert same.extra == [] and same.missing == [] and same.reworded == 0

    trimmed = compare_copy(row["001_trimmed"], seed001)
    assert trimmed.headline_changed and 0.4 < trimmed.kept_share < 0.55
    assert trimmed.extra == []

    update = compare_copy(row["000_update"], row["000_88db8367fec8dc5d"])
    assert not update.headline_changed and update.kept_share is None
    assert len(update.extra) == 1 and "Operation Herof Phase II" in update.extra[0]
    assert "Majeed Brigade" in update.extra[0]
    older = compare_copy(row["000_88db8367fec8dc5d"], row["000_update"])
    assert older.missing == update.extra and older.extra == []


def test_most_complete_version_conflicts_and_rejects_are_shown(page_html):
    assert "Most complete version" in page_html
    assert "covers 3 of 5 facts (next best: 2, c)" in page_html
    assert (
        '<td>homes</td><td class="values"><span title="Officials said 30 homes were evacuated.">30</span> / '
        '<span title="Mayor Ines Calder said 40 homes were evacuated overnight.">40</span></td>'
    ) in page_html
    assert "Rejected inputs" in page_html and "binary file" in page_html


def test_a_story_says_how_many_of_its_articles_are_copies(page_html):
    from newsdedup.html_report import story_size

    assert "3 articles, 1 of them a copy &middot;" in page_html  # not "3 articles in 2 copy groups"
    # the index counts versions (distinct texts): a lone article is no copy group
    assert 'Versions</th>' in page_html and 'data-label="versions">2<' in page_html and "Copy groups</th>" not in page_html
    assert (story_size(5, 5), story_size(1, 1), story_size(7, 3)) == ("5 articles, no copies", "1 article", "7 articles, 4 of them copies")


def test_each_conflicting_figure_shows_a_sentence_giving_it(page_html):
    assert '<span title="Officials said 30 homes were evacuated.">30</span>' in page_html
    assert "<td>30: Wire <code>a</code><br>40: Gazette <code>c</code></td>" in page_html  # who gives which figure


def test_one_number_worded_differently_is_not_a_conflict(page_html):
    conflicting = page_html.index("<h3>Conflicting figures</h3>")
    worded = page_html.index("<h3>Same figure, worded differently</h3>")
    assert conflicting < page_html.index("<td>homes</td>") < worded < page_html.index("<td>roads</td>")
    assert "1 conflicting figure (1 more worded differently) &middot;" in page_html


def test_index_lists_biggest_then_newest_stories_with_sources_and_dates(page_html):
    index = page_html[page_html.index('<nav class="card" id="index"'):page_html.index("</nav>")]
    assert index.index("story-story_flood") < index.index("story-story_quake")
    assert "Courier, Gazette, Wire" in index and "2026-03-05" in index
    assert 'data-label="articles">3<' in index
    # a story whose versions give a count differently says how many; one without says nothing
    flood = index[index.index('data-story="story-story_flood"'):index.index('data-story="story-story_quake"')]
    assert '<td class="num flagged" data-label="conflicting figure">1</td>' in flood
    assert '<td class="num flagged" data-label="conflicting figures"></td>' in index[index.index('data-story="story-story_quake"'):]
    # two stories of one size: the newer first
    tables = _tables()
    tables["documents"] = tables["documents"].filter(pl.col("article_id").is_in(["a", "q"]))
    tables["stories"] = tables["stories"].with_columns(n_articles=pl.lit(1, dtype=pl.Int64))
    html = _render(tables)
    assert html.index('data-story="story-story_quake"') < html.index('data-story="story-story_flood"')


def _paged(tables: dict[str, pl.DataFrame]) -> dict[str, str]:
    t = tables
    return render_html_pages(t["documents"], t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"], one_page=1)


def test_an_archive_of_more_stories_than_one_page_holds_has_an_index_page_and_a_page_per_story(page_html):
    pages = _paged(_tables())
    assert sorted(pages) == ["report.html", "stories/story-story_flood.html", "stories/story-story_quake.html"]
    index = pages["report.html"]
    assert '<a href="stories/story-story_flood.html">' in index and '<a href="stories/story-story_quake.html">' in index
    assert "Most complete version" not in index and "Rejected inputs" in index  # the index and the rejects only
    flood = pages["stories/story-story_flood.html"]
    assert "<h2>Floods cut coastal road</h2>" in flood and "Quake shakes valley" not in flood
    assert 'href="../report.html#index"' in flood and 'href="#index"' not in flood
    assert "<title>Floods cut coastal road - newsdedup report</title>" in flood
    assert "<script" not in flood and "script-src" not in flood
    # each story's section is the one the single page shows, but for the way back to the index
    section = flood[flood.index("<article"): flood.index("</article>")]
    assert section.replace("../report.html#index", "#index") in page_html
    # up to one_page stories, the report stays one page
    t = _tables()
    assert list(render_html_pages(t["documents"], t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"], one_page=2)) == ["report.html"]


def test_output_is_deterministic():
    assert _render(_tables()) == _render(_tables())


# --- in a real browser -------------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright; skipped where either is missing."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (it is in the dev extra: pip install -e '.[dev]')"
    )
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("no chromium on PATH: install Debian's chromium (.ci/run does) to run the browser tests")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, path, width=1366, height=900):
    """A page showing the report, with every off-disk request and console error it causes recorded."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.problems = []
    page.on("request", lambda r: None if r.url.startswith("file://") else page.problems.append(r.url))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    return page


@pytest.fixture(scope="module")
def seeds_report(real_embedder, real_models, tmp_path_factory):
    """The seeds through every library stage, and the report.html build_outputs makes of them."""
    from newsdedup.config import load_config
    from newsdedup.facts import resolve_stories
    from newsdedup.ingest import read_inputs
    from newsdedup.report import build_outputs
    from newsdedup.stories import assign_stories
    from newsdedup.syndication import find_syndicates

    cfg = load_config()
    documents, rejects = read_inputs(SEEDS, cfg.ingest)
    documents, pairs = find_syndicates(documents, cfg.syndication)
    documents = assign_stories(documents, real_embedder, cfg.stories)
    resolution = resolve_stories(documents, real_models.facts, cfg.facts)
    tables, texts, _ = build_outputs(documents, resolution, rejects, pairs)
    path = tmp_path_factory.mktemp("seeds-report") / "report.html"
    path.write_text(texts["report.html"], encoding="utf-8")
    return path, tables


def test_seeds_report_in_chromium(browser, seeds_report, tmp_path):
    from playwright.sync_api import expect

    path, tables = seeds_report
    story = tables["stories"].row(0, named=True)
    page = _open(browser, path)

    row = page.locator("#index tbody tr").first
    expect(row.get_by_role("link", name=story["title"])).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=story["title"])).to_be_visible()
    canonical = page.locator(".canonical").first
    expect(canonical).to_contain_text("Most complete version")
    expect(canonical).to_contain_text("001_72621f2fa7bf588d")
    expect(canonical).to_contain_text("covers ")
    expect(page.locator("mark", has_text="Shahid Rind")).to_be_visible()
    expect(page.locator(".conflicts").first).to_be_visible()  # the death toll: at least 145 / more than 120
    expect(page.locator(".conflicts").first).to_contain_text("at least 145")

    page.fill("#filter", "zeppelin")
    expect(row).to_be_hidden()
    expect(page.locator("#none")).to_be_visible()
    expect(page.locator("#shown")).to_have_text("0 of 1 story")
    page.fill("#filter", "Shahid")
    expect(row).to_be_visible()
    page.fill("#filter", "1999-01-01")
    expect(row).to_be_hidden()
    page.fill("#filter", "2026-02-01")
    expect(row).to_be_visible()
    if story["sources"]:
        page.fill("#filter", story["sources"][0])
        expect(row).to_be_visible()
    page.fill("#filter", "")
    expect(page.locator("#shown")).to_have_text("1 of 1 story")

    page.screenshot(path=tmp_path / "screenshot.png", full_page=True)
    phone = _open(browser, path, width=390, height=844)
    expect(phone.locator("mark", has_text="Shahid Rind")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    phone.screenshot(path=tmp_path / "screenshot-phone.png", full_page=True)
    assert (tmp_path / "screenshot.png").stat().st_size > 0 and (tmp_path / "screenshot-phone.png").stat().st_size > 0
    assert page.problems == [] and phone.problems == []  # no network, no blocked style or script
    print(f"screenshots: {tmp_path / 'screenshot.png'} {tmp_path / 'screenshot-phone.png'}")


def test_filter_by_outlet_in_chromium(browser, tmp_path):
    from playwright.sync_api import expect

    path = tmp_path / "report.html"
    path.write_text(_render(_tables()), encoding="utf-8")
    page = _open(browser, path)
    flood = page.locator('tr[data-story="story-story_flood"]')
    quake = page.locator('tr[data-story="story-story_quake"]')
    page.fill("#filter", "valley post")
    expect(quake).to_be_visible()
    expect(flood).to_be_hidden()
    expect(page.locator("#story-story_flood")).to_be_hidden()
    page.fill("#filter", "gazette")
    expect(flood).to_be_visible()
    expect(quake).to_be_hidden()
    page.fill("#filter", "march 2026")
    expect(quake).to_be_visible()
    expect(flood).to_be_hidden()
    assert page.problems == []



def test_story_pages_open_from_the_index_and_lead_back_in_chromium(browser, tmp_path):
    from playwright.sync_api import expect

    for name, text in _paged(_tables()).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    page = _open(browser, tmp_path / "report.html")
    page.fill("#filter", "valley post")
    expect(page.locator('tr[data-story="story-story_flood"]')).to_be_hidden()
    expect(page.locator("#shown")).to_have_text("1 of 2 stories")
    page.get_by_role("link", name="Quake shakes valley").click()
    expect(page.get_by_role("heading", level=2, name="Quake shakes valley")).to_be_visible()
    expect(page.locator(".canonical")).to_contain_text("Most complete version")
    page.get_by_role("link", name="Back to the story index").click()
    expect(page.locator("#index")).to_be_visible()
    assert page.url.endswith("/report.html#index")
    assert page.problems == []


def test_a_long_index_line_with_conflicting_figures_fits_a_phone_in_chromium(browser, tmp_path):
    t = _tables()
    t["stories"] = t["stories"].with_columns(
        title=pl.lit("Floods cut the coastal road and the rail line as rivers burst their banks across the region"),
        sources=pl.lit(["Amstel Courant (English edition)", "Luchtvaart Kompas", "The Continental Ledger"]),
        last_published=pl.lit(LATER),
    )
    path = tmp_path / "report.html"
    path.write_text(_render(t), encoding="utf-8")
    phone = _open(browser, path, width=390, height=844)
    assert phone.locator("#index td.flagged").first.inner_text() == "1"
    assert phone.evaluate("document.querySelector('#index table').scrollWidth <= document.querySelector('#index').clientWidth")
    assert phone.problems == []


UNDATED_NOTE = "dateline 'Valley, Mar 3' gives no year"


def _tables_with_q_undated() -> dict[str, pl.DataFrame]:
    """_tables, with the quake article undated and ingest's note on why."""
    t = _tables()
    q = pl.col("article_id") == "q"
    t["documents"] = t["documents"].with_columns(
        published=pl.when(q).then(None).otherwise(pl.col("published")),
        notes=pl.when(q).then(pl.lit([UNDATED_NOTE])).otherwise(pl.lit([], dtype=pl.List(pl.String()))),
    )
    return t


def test_an_undated_version_says_why():
    page = _render(_tables_with_q_undated())
    assert "undated (dateline &#x27;Valley, Mar 3&#x27; gives no year)" in page


def test_a_copy_is_trimmed_only_when_passages_of_the_original_are_gone():
    from newsdedup.html_report import difference_words

    original = {"title": "Floods cut coastal road", "text": ORIGINAL, "n_words": len(ORIGINAL.split())}
    # two words shorter by rewording ("expects more rain" -> "expects rain"): no trim
    reworded = ORIGINAL.replace("expects more rain until Thursday", "expects rain till Thursday")
    copy = {"title": "Floods cut coastal road", "text": reworded, "n_words": len(reworded.split())}
    assert copy["n_words"] < original["n_words"]
    assert compare_copy(copy, original).kept_share is None
    # the last sentence gone: trimmed, and never "to 100 %" for less than all
    cut = ORIGINAL.rsplit("\n", 1)[0]
    diff = compare_copy({"title": "Floods cut coastal road", "text": cut, "n_words": len(cut.split())}, original)
    assert diff.kept_share is not None and diff.missing
    long_original = {**original, "n_words": 1000}
    nearly = compare_copy({"title": "Floods cut coastal road", "text": cut, "n_words": 998}, long_original)
    assert "trimmed to 99 %" in difference_words(nearly)


def test_a_copy_missing_a_middle_passage_is_cut_inside_in_the_reports_as_at_the_desk():
    """A review's case: report.md said "trimmed to 67 %" of a copy with a paragraph cut from the middle (the desk said
    "cut inside"), which an editor reads as a bottom trim."""
    from newsdedup.html_report import _difference_html, difference_words

    original = {"title": "Floods cut coastal road", "text": ORIGINAL, "n_words": len(ORIGINAL.split())}
    lines = ORIGINAL.split("\n")
    inside = "\n".join([lines[0], lines[2]])
    copy = {"title": "Floods cut coastal road", "text": inside, "n_words": len(inside.split())}
    diff = compare_copy(copy, original)
    assert diff.ending_kept and "cut inside to 66 % (its ending kept)" in difference_words(diff)
    assert "cut inside to 66 % (its ending kept) (21 of 32 words)" in _difference_html(diff, copy, original)
    bottom = "\n".join(lines[:2])
    trimmed = compare_copy({**copy, "text": bottom, "n_words": len(bottom.split())}, original)
    assert not trimmed.ending_kept and any(w.startswith("trimmed to") for w in difference_words(trimmed))
    # a walk-through's page without the lead paragraph was "cut inside"; it is cut from the top
    top = "\n".join(lines[1:])
    topcut = compare_copy({**copy, "text": top, "n_words": len(top.split())}, original)
    assert topcut.opening_cut and any(w.startswith("top cut to") and w.endswith("(its opening gone)")
                                      for w in difference_words(topcut)), difference_words(topcut)
    assert not diff.opening_cut and not trimmed.opening_cut


def test_an_article_that_rolled_off_its_feed_says_so_apart_from_why_it_is_undated():
    from newsdedup.html_report import when_published
    from newsdedup.schema import rolled_off_note

    left = rolled_off_note("wire.xml")
    undated = {"published": None, "notes": ["date 'sometime' not understood", left]}
    assert when_published(undated) == "undated (date 'sometime' not understood), no longer in wire.xml: kept as last read"
    dated = {"published": datetime(2026, 2, 1, tzinfo=timezone.utc), "notes": [left]}
    assert when_published(dated) == "2026-02-01, no longer in wire.xml: kept as last read"
    assert when_published({"published": None, "notes": [left]}) == "undated, no longer in wire.xml: kept as last read"


def test_an_article_is_shown_on_the_day_its_source_dated_it():
    """A New York paper's 21:00 on Sunday is Monday in UTC; the reports show the Sunday it printed (and search by it)."""
    from datetime import timedelta

    from newsdedup.html_report import when_published

    evening = {"published": datetime(2026, 2, 2, 2, 0, tzinfo=timezone.utc), "utc_offset": timedelta(hours=-5), "notes": []}
    assert when_published(evening) == "2026-02-01"
    assert when_published({**evening, "utc_offset": None}) == "2026-02-02"



def test_a_story_spans_the_days_its_sources_dated_its_articles():
    from datetime import timedelta

    from newsdedup.html_report import story_days

    new_york = {"published": datetime(2026, 2, 2, 2, 0, tzinfo=timezone.utc), "utc_offset": timedelta(hours=-5)}
    london = {"published": datetime(2026, 2, 3, 9, 0, tzinfo=timezone.utc), "utc_offset": None}
    assert story_days([new_york]) == "2026-02-01"
    assert story_days([london, new_york]) == "2026-02-01 to 2026-02-03"
    assert story_days([{"published": None}]) == "undated"



def test_a_copy_groups_original_is_dated_as_its_source_dated_it():
    """Two copies published at one time, a New York evening (Monday 00:00 in UTC): the reason gives the source's
    time, not a day alone in UTC."""
    from datetime import timedelta

    from newsdedup.html_report import original_reason

    when = datetime(2026, 2, 2, 0, 0, tzinfo=timezone.utc)
    rows = [{"article_id": a, "n_words": n, "published": when, "utc_offset": timedelta(hours=-5)} for a, n in (("a", 500), ("b", 400))]
    assert original_reason(rows, rows[0]) == "published at the same time (2026-02-01 19:00) as 1 other: the longest of them"


def test_who_gives_a_figure_is_told_by_outlet_in_the_order_they_come():
    from newsdedup.html_report import by_outlet

    info = {"a": {"source": "Wire"}, "b": {"source": None, "url": "https://www.courier.example/x"}, "c": {"source": "Wire"}}
    assert by_outlet(["a", "b", "c", "gone"], info) == [("Wire", ["a", "c"]), ("courier.example", ["b"]), ("unknown outlet", ["gone"])]


def test_an_original_before_undated_copies_is_first_of_those_dated_and_a_copy_adding_text_is_an_update():
    from newsdedup.html_report import copy_role, original_reason

    def row(article_id, published, n_words):
        return {"article_id": article_id, "published": published, "utc_offset": 0 if published else None, "n_words": n_words}

    wire, copy = row("wire", datetime(2026, 2, 1, 18, 40, tzinfo=timezone.utc), 160), row("copy", datetime(2026, 2, 1, 20, tzinfo=timezone.utc), 120)
    assert original_reason([wire, copy], wire) == "first published"
    assert original_reason([wire, copy, row("undated", None, 130)], wire) == "first published of those dated; 1 other undated"
    short = {"article_id": "s", "title": "A", "text": "One two three four five six.", "n_words": 6}
    longer = {**short, "article_id": "l", "text": short["text"] + "\n\nSeven more words were added to this text.", "n_words": 14}
    same, more = compare_copy({**short, "article_id": "t"}, short), compare_copy(longer, short)
    assert (copy_role(same), copy_role(more), copy_role(None)) == ("copy", "update", "copy")


def test_a_copy_typed_without_accents_changes_no_words():
    """words() reads "Zürich" as "zurich": the copy stage takes the two texts for one, and so must the report (it showed
    "Police in Zürich ... Malm" as edits)."""
    text = "Police in Z\u00fcrich said the river rose in Malm\u00f6 on Monday night, and 40 homes were evacuated. STRA\u00dfE closed."
    bare = "Police in Zurich said the river rose in Malmo on Monday night, and 40 homes were evacuated. STRASSE closed."
    diff = compare_copy({"title": "Flood", "text": bare, "n_words": 20}, {"title": "Flood", "text": text, "n_words": 20})
    assert diff.extra == [] and diff.missing == [] and diff.reworded == 0


def test_a_headline_correcting_a_figure_says_which():
    """A walk-through's "CORRECTED-" headline giving 93 militants for 92 said only "headline changed"."""
    from newsdedup.html_report import difference_words, headline_change_words

    def words_for(title: str, their_title: str) -> str:
        return headline_change_words(title, ORIGINAL, their_title, ORIGINAL)

    assert words_for("CORRECTED-Pakistan says 93 militants killed", "Pakistan says 92 militants killed") == (
        'headline changed ("93" for "92")')
    assert words_for("UPDATE 2-Pakistan says 160 killed", "UPDATE 1-Pakistan says 145 killed") == (
        'headline changed ("160" for "145")')  # a version's number is no figure
    assert words_for("Pakistan says 92 militants killed | Courier", "Pakistan says 92 militants killed") == (
        "headline changed")
    # an original without a headline is titled by its first words: no figures of a headline to compare
    lead = "At least 145 people died in attacks on Saturday, marking one of the deadliest days."
    assert headline_change_words("Pakistan says 160 killed", lead + " More text.", "At least 145 people died in attacks "
                                 "on Saturday, marking one\u2026", lead + " More text.") == "headline changed"
    original = {"title": "Floods cut coastal road, 3 dead", "text": ORIGINAL, "n_words": len(ORIGINAL.split())}
    diff = compare_copy({**original, "title": "CORRECTED-Floods cut coastal road, 4 dead"}, original)
    assert 'headline changed ("4" for "3")' in difference_words(diff)
