"""report: the Markdown report on hand-made tables (the HTML page's test tables)."""

from __future__ import annotations

import polars as pl

from newsdedup.html_report import Sections, render_html
from newsdedup.report import articles_table, render_markdown, story_markdown
from newsdedup.schema import pairs_by_articles, rows_by
from test_html_report import UNDATED_NOTE, _tables, _tables_with_a_detail, _tables_with_q_undated


def _markdown(t: dict[str, pl.DataFrame] | None = None) -> str:
    t = t or _tables()
    canon = t["stories"].select("story_id", "canonical_article_id")
    articles = articles_table(t["documents"], canon)
    return render_markdown(articles, t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"])


def test_a_copy_is_listed_under_its_original_with_its_similarity():
    report = _markdown()
    assert ("- original (published the same day (2026-02-01) as 1 other: the longest of them): Floods cut coastal road "
            "(Wire, 2026-02-01, `a`, 32 words)") in report
    assert (
        "  - copy: Coastal road cut by floods (Courier, 2026-02-01, `b`, 30 words; Jaccard 0.42, containment 0.93)"
        in report
    )


def test_conflicts_facts_and_rejects_are_in_their_story_and_at_the_end():
    report = _markdown()
    flood, quake = report.index("## Floods cut coastal road"), report.index("## Quake shakes valley")
    assert flood < report.index("- homes: 30 / 40\n") < quake
    assert '- homes: 30 / 40\n  - 30 (Wire: a): "Officials said 30 homes were evacuated."\n  - 40 (Gazette: c): "Mayor Ines' in report
    assert flood < report.index("- Mayor Ines Calder said 40 homes were evacuated overnight.") < quake
    assert report.rstrip().endswith("| `bad/<b>.bin` | binary file |")


def test_with_the_texts_each_copy_says_what_it_changes():
    t = _tables()
    canon = t["stories"].select("story_id", "canonical_article_id")
    articles = articles_table(t["documents"], canon)
    report = render_markdown(articles, t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"], t["documents"])
    line = next(x for x in report.splitlines() if x.startswith("  - update: Coastal road cut by floods"))
    assert line.endswith("Jaccard 0.42, containment 0.93); headline changed, trimmed to 94 %, 10 words added")


def test_a_story_line_counts_in_words_and_gives_one_day_once():
    report = _markdown()
    assert "`story_flood`: 3 articles, 1 of them a copy; sources: Courier, Gazette, Wire; 2026-02-01; **1 conflicting figure**." in report
    assert "`story_quake`: 1 article; sources: Valley Post; 2026-03-05." in report


def test_a_figure_added_to_a_stated_fact_says_so():
    assert "- Mayor Ines Calder said 40 homes were evacuated overnight.\n" in _markdown()
    assert (
        "- Mayor Ines Calder said 40 homes were evacuated overnight. "
        "_(the most complete version states this fact, without the figure 40)_\n"
    ) in _markdown(_tables_with_a_detail())


def test_an_added_fact_giving_another_figure_says_what_the_most_complete_version_gives():
    tables = _tables()
    tables["facts"] = tables["facts"].with_columns(differs_from=pl.Series([["30 homes"]], dtype=pl.List(pl.String)))
    assert (
        "- Mayor Ines Calder said 40 homes were evacuated overnight. _(the most complete version gives 30 homes)_\n"
    ) in _markdown(tables)


def test_one_number_worded_differently_is_listed_apart_and_counted_apart():
    report = _markdown()
    conflicting, worded = report.index("### Conflicting figures"), report.index("### Same figure, worded differently")
    assert conflicting < report.index("- homes: 30 / 40") < worded < report.index("- roads: 12 / at least 12")
    assert "1 conflicting figure (1 more worded differently)" in report.splitlines()[2]


def test_one_story_alone_reads_the_same_as_in_the_whole_report():
    t = _tables()
    canon = t["stories"].select("story_id", "canonical_article_id")
    articles = articles_table(t["documents"], canon)
    story = t["stories"].filter(pl.col("story_id") == "story_flood").row(0, named=True)
    section = story_markdown(
        story, rows_by(articles, "story_id")["story_flood"], t["facts"].to_dicts(), t["conflicts"].to_dicts(),
        pairs_by_articles(t["pairs"]),
    )
    assert "\n".join(section) in _markdown()


def test_an_undated_version_says_why():
    t = _tables_with_q_undated()
    canon = t["stories"].select("story_id", "canonical_article_id")
    articles = articles_table(t["documents"], canon)
    assert articles.filter(pl.col("article_id") == "q")["notes"].to_list() == [[UNDATED_NOTE]]
    report = render_markdown(articles, t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"])
    assert "(Valley Post, undated (dateline 'Valley, Mar 3' gives no year), `q`" in report
    assert "(Wire, 2026-02-01, `a`" in report  # a dated version: no note


def test_a_story_s_title_is_a_real_headline_without_version_prefix_or_outlet():
    """From a review of the reports: stories were titled by an outlet's copy in capitals with " | Outlet", or by
    the cut-off first sentence of a version that came without a headline."""
    from datetime import datetime, timezone

    from newsdedup.report import story_title

    day = datetime(2026, 3, 3, tzinfo=timezone.utc)
    text = "At least 16 people were killed when an earthquake struck Chamoli district on Tuesday, officials said."

    def row(article_id, title, group, hour, body=text):
        return {"article_id": article_id, "title": title, "syndicate_id": group, "text": body,
                "published": day.replace(hour=hour)}

    no_headline = row("ground", text, "g2", 5)  # ingest put the first sentence in the missing headline's place
    wire = row("wire", "UPDATE 2-Uttarakhand quake: toll climbs to 28", "g1", 3)
    copy = row("copy", "UTTARAKHAND QUAKE: TOLL CLIMBS TO 28 | Daily Meridian", "g1", 4)
    other = row("ani", "Army joins rescue in Chamoli", "g3", 2)
    assert story_title([no_headline, wire, copy, other], "ground") == "Army joins rescue in Chamoli"  # first published
    assert story_title([no_headline, wire, copy, other], "copy") == "Uttarakhand quake: toll climbs to 28"
    assert story_title([no_headline], "ground") == text  # nothing better
    plain = row("p", "Quake hits Chamoli | The Hill Post", "g4", 1)
    assert story_title([plain], "p") == "Quake hits Chamoli"


def test_a_headline_loses_version_prefixes_and_outlet_suffixes_but_not_its_section_label():
    from newsdedup.report import clean_headline

    assert clean_headline("REFILE-UPDATE 2-Quake kills 40 in Turkey") == "Quake kills 40 in Turkey"
    assert clean_headline("UPDATED: Balochistan toll rises to 135") == clean_headline("BREAKING: Balochistan toll rises to 135")
    assert clean_headline("EXCLUSIVE-Balochistan toll rises to 135") == "Balochistan toll rises to 135"
    assert clean_headline("Stocks fall as oil jumps | Reuters | Business") == "Stocks fall as oil jumps"
    assert clean_headline("Markets | Stocks fall as oil jumps") == "Markets | Stocks fall as oil jumps"
    assert clean_headline("UPDATE 1-") == "UPDATE 1-"  # nothing after it: left as it is
    # a dashed tail goes when it is the article's source or an outlet's name, not when it is the headline's own
    assert clean_headline("Mary Cheney criticizes her sister on same-sex marriage - Northern Star", "Northern Star") == (
        "Mary Cheney criticizes her sister on same-sex marriage")
    assert clean_headline("Quake kills 40 in eastern Turkey \u2013 Reuters") == "Quake kills 40 in eastern Turkey"
    assert clean_headline("Quake kills 40 in eastern Turkey - Northern Star") == "Quake kills 40 in eastern Turkey - Northern Star"
    assert clean_headline("Markets rally - and then fall back", "Wire") == "Markets rally - and then fall back"
    assert clean_headline("Markets | Stocks fall as oil prices jump - Reuters", "Yahoo") == "Markets | Stocks fall as oil prices jump"


def test_report_md_lists_a_fact_under_the_version_report_html_shows_it_in():
    """A wire update holding its original's text and more is the version shown (it adds most); its original's
    facts are listed there too, the original after "also in", as report.html highlights them in the update."""
    from datetime import datetime, timezone

    from newsdedup.html_report import adding_versions
    from newsdedup.report import story_markdown

    day = datetime(2026, 2, 1, tzinfo=timezone.utc)

    def row(article_id, group, n_words):
        return {"article_id": article_id, "syndicate_id": group, "title": f"Title {article_id}", "source": "Wire",
                "published": day, "n_words": n_words, "url": None, "dateline": None, "text": None}

    members = [row("canon", "g0", 300), row("a_first", "g1", 100), row("b_update", "g1", 140)]
    facts = [
        {"fact_id": "f1", "text": "The ferry sank at dawn.", "article_ids": ["a_first", "b_update"], "detail_figures": [], "differs_from": []},
        {"fact_id": "f2", "text": "Divers found the hull.", "article_ids": ["b_update"], "detail_figures": [], "differs_from": []},
    ]
    shown, quiet = adding_versions(members, "canon", facts)
    assert [r["article_id"] for r, _ in shown] == ["b_update"] and [r["article_id"] for r in quiet] == ["a_first"]
    story = {"story_id": "s", "title": "T", "canonical_article_id": "canon", "canonical_reason": "covers 3 of 5 facts",
             "n_articles": 3, "n_syndicates": 2, "sources": ["Wire"], "first_published": day, "last_published": day}
    text = "\n".join(story_markdown(story, members, facts, [], {}))
    section = text.split("### Facts the other versions add", 1)[1]
    assert "**Title a_first**" not in section
    assert "- The ferry sank at dawn. _(also in 1 more copy of this text)_" in section and "- Divers found the hull." in section


def test_where_else_a_fact_is_names_other_write_ups_and_counts_copies():
    from newsdedup.report import _also_in

    info = {"wire": {"syndicate_id": "g1"}, "c1": {"syndicate_id": "g1"}, "c2": {"syndicate_id": "g1"},
            "post": {"syndicate_id": "g2"}}
    assert _also_in("wire", ["post", "c1", "c2"], info) == " _(also in post, and 2 more copies of this text)_"
    assert _also_in("wire", ["post"], info) == " _(also in post)_"
    assert _also_in("wire", [], info) == ""


def test_conflicting_values_are_shown_with_thousands_grouped_and_who_gives_each():
    tables = _tables()
    conflicts = tables["conflicts"]
    tables["conflicts"] = conflicts.with_columns(
        values=pl.when(pl.col("about") == "homes").then(pl.lit(["3000", "about 4000"])).otherwise(pl.col("values"))
    )
    report = _markdown(tables)
    assert "- homes: 3,000 / about 4,000\n  - 3,000 (Wire: a): " in report  # the outlet and ids once, beside each value


def _with_leaning(said: str, leaning: str) -> dict[str, pl.DataFrame]:
    """The tables with variant c opening on `said` then `leaning`, and `leaning` listed as an added fact."""
    t = _tables()
    variant = t["documents"].filter(pl.col("article_id") == "c")["text"][0]
    t["documents"] = t["documents"].with_columns(
        text=pl.when(pl.col("article_id") == "c").then(pl.lit(f"{said} {leaning} {variant}")).otherwise(pl.col("text"))
    )
    t["facts"] = pl.concat([t["facts"], t["facts"].with_columns(fact_id=pl.lit("fact_2"), text=pl.lit(leaning))])
    return t


def test_a_fact_leaning_on_the_sentence_before_it_is_shown_after_it():
    said = "Officials met at dawn on the coastal road."
    leaning = '"We moved 40 families overnight," she said.'
    t = _with_leaning(said, leaning)
    report = _markdown_with(t)
    assert f'- {leaning} _(after: "{said}")_\n' in report  # who "she" is, from the text
    assert "- Mayor Ines Calder said 40 homes were evacuated overnight.\n" in report  # names its speaker: no context
    # with the sentence before listed too, the list shows it: no context
    t["facts"] = pl.concat([t["facts"], t["facts"].head(1).with_columns(fact_id=pl.lit("fact_3"), text=pl.lit(said))])
    report = _markdown_with(t)
    assert f"- {leaning}\n" in report


def test_a_quotation_saying_nothing_of_who_speaks_is_shown_after_the_sentence_naming_the_speaker():
    said = '"We moved 40 families overnight," Mayor Ines Calder said.'
    quoted = '"In fact, the river rose two metres in an hour on the coastal road.'
    assert f"- {quoted} _(after: {said})_\n" in _markdown_with(_with_leaning(said, quoted))


def test_a_sentence_before_that_is_a_quotation_keeps_its_own_quote_marks_only():
    said = '"I feel very badly," the mayor said at dawn on the coastal road.'
    leaning = '"We moved 40 families overnight," she said.'
    report = _markdown_with(_with_leaning(said, leaning))
    assert f"- {leaning} _(after: {said})_\n" in report  # not _(after: ""I feel ...")_


def test_a_fact_said_inside_a_quotation_is_shown_after_the_quotation_s_start():
    """A long quotation is split into sentences; one of its middle sentences, listed alone, says nothing of who
    speaks: the report shows it after where the quotation opened, from the sentence saying who speaks."""
    said = '"We moved 40 families overnight," the mayor said at the coastal road. "The river rose two metres.'
    inside = 'Nobody in the valley slept that night, and the shelters were full."'
    report = _markdown_with(_with_leaning(said, inside))
    assert f"- {inside} _(after: {said})_\n" in report
    # the quotation opened inside the sentence saying who speaks: from that sentence only
    said = 'The mayor said at the coastal road: "The river rose two metres.'
    report = _markdown_with(_with_leaning(said, inside))
    assert f'- {inside} _(after: "{said}")_\n' in report
    # inches are no quotation mark (the review's: 3" of rain gave the next sentence a context)
    report = _markdown_with(_with_leaning('The storm dropped 3" of rain on the coastal road.', inside.rstrip('"')))
    assert f"- {inside.rstrip(chr(34))}\n" in report
    # a sentence after the quotation closed is no part of it
    report = _markdown_with(_with_leaning('"The river rose two metres," the mayor said at the coastal road.', inside.rstrip('"')))
    assert f"- {inside.rstrip(chr(34))}\n" in report


def test_a_copys_added_text_says_which_other_version_it_comes_from():
    t = _tables()
    pasted = "Mayor Ines Calder said 40 homes were evacuated overnight."
    t["documents"] = t["documents"].with_columns(
        text=pl.when(pl.col("article_id") == "b").then(pl.col("text") + f"\n{pasted}").otherwise(pl.col("text"))
    )
    canon = t["stories"].select("story_id", "canonical_article_id")
    report = render_markdown(articles_table(t["documents"], canon), t["stories"], t["facts"], t["conflicts"], t["rejects"],
                             t["pairs"], t["documents"])
    copy_line = next(line for line in report.splitlines() if line.startswith("  - update: Coastal road cut by floods"))
    assert "words added (also in `c` (Gazette))" in copy_line
    page = render_html(t["documents"], t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"])
    assert "not in the original, also in <code>c</code> (Gazette)</span>" in page
    # the update of the original copy (words of no other version) names none
    assert "words added (also in" not in _markdown_with_texts()


def _markdown_with_texts() -> str:
    t = _tables()
    canon = t["stories"].select("story_id", "canonical_article_id")
    return render_markdown(articles_table(t["documents"], canon), t["stories"], t["facts"], t["conflicts"], t["rejects"],
                           t["pairs"], t["documents"])


def test_a_fact_in_single_quotes_or_naming_its_speaker_by_office_leans_on_the_sentence_before():
    from newsdedup.report import _LEANS

    assert _LEANS.search("\u2018I think it would be better if he went,\u2019 he said.")
    assert _LEANS.search("'Go home!' she said.")
    assert _LEANS.search("The Health Ministry said 12 people died.")
    assert not _LEANS.search("The company's shares fell 5%.")
    assert not _LEANS.search("Mayor Ines Calder said 40 homes were evacuated overnight.")


def test_a_fact_naming_nobody_but_telling_of_a_person_leans_on_the_sentence_before():
    from newsdedup.report import leans

    assert leans("A video circulating online showed him saying he was in militant custody.")
    assert leans("The attack on her convoy was repelled, officials said.")
    assert not leans("Jackson told the judge that he had been in hospital.")  # a name opening the sentence
    assert not leans("Governor Ada Marsh said she would visit the flooded district.")  # names whom "she" is
    assert not leans("Residents fled their homes as the water rose.")  # no one person
    assert not leans("The Shepherd Hotel reopened on Friday.")  # "he" only inside a word
    # a quotation saying nothing of who speaks (an editor's walk-through: the speaker was named in the sentence
    # before, which the most complete version states, so the list showed a bare quotation)
    assert leans('"In fact, in his decades of service, Special Agent Strzok has proved himself a top officer.')
    assert leans("\u201cThe decision was taken in response to political pressure.\u201d")
    assert not leans('"We moved 40 families overnight," Mayor Ines Calder said.')
    assert not leans('"Stocks fell 5%" was the headline of the Gazette on Friday, according to the archive.')
    # a review's: whatever verb names the speaker, and a quoted title opening a sentence
    assert not leans('"It was a prank," Mayor Ines Calder reiterated.')
    assert not leans('"Hamilton" opened on Broadway in 2015.')
    assert leans('"As I have said many times, the river rose two metres overnight."')


def _both_reports(t: dict[str, pl.DataFrame], sections: Sections | None) -> tuple[str, str]:
    canon = t["stories"].select("story_id", "canonical_article_id")
    articles = articles_table(t["documents"], canon)
    markdown = render_markdown(articles, t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"], t["documents"], sections)
    html = render_html(t["documents"], t["stories"], t["facts"], t["conflicts"], t["rejects"], t["pairs"], sections)
    return markdown, html


def test_a_story_rendered_before_is_taken_from_the_kept_sections_and_reads_the_same():
    t = _tables()
    plain = _both_reports(t, None)
    first = Sections(code="v1")
    assert _both_reports(t, first) == plain and first.rendered == 4  # two stories, in two reports
    again = Sections(first.table(), code="v1")
    assert _both_reports(t, again) == plain and again.rendered == 0
    assert again.table().sort("key").equals(first.table().sort("key"))


def test_a_story_whose_rows_changed_is_rendered_again_and_only_it():
    t = _tables()
    kept = Sections(code="v1")
    _both_reports(t, kept)
    t["facts"] = t["facts"].with_columns(pl.lit("Mayor Ines Calder said 41 homes were evacuated overnight.").alias("text"))
    changed = Sections(kept.table(), code="v1")
    markdown, html = _both_reports(t, changed)
    assert changed.rendered == 2 and "41 homes were evacuated" in markdown and "41 homes were evacuated" in html
    assert (markdown, html) == _both_reports(t, None)
    # a copy pair's similarity is the story's too
    t["pairs"] = t["pairs"].with_columns(pl.lit(0.55).alias("jaccard"))
    paired = Sections(changed.table(), code="v1")
    markdown, _ = _both_reports(t, paired)
    assert paired.rendered == 2 and "Jaccard 0.55" in markdown
    # another version of the code renders every story again
    other = Sections(paired.table(), code="v2")
    _both_reports(t, other)
    assert other.rendered == 4


def test_the_sections_of_a_story_gone_are_not_kept():
    t = _tables()
    kept = Sections(code="v1")
    _both_reports(t, kept)
    t["stories"] = t["stories"].filter(pl.col("story_id") == "story_flood")
    t["documents"] = t["documents"].filter(pl.col("story_id") == "story_flood")
    later = Sections(kept.table(), code="v1")
    _both_reports(t, later)
    assert later.rendered == 0 and later.table().height == 2 < kept.table().height


def test_copies_holding_every_fact_of_a_version_are_said_once_not_under_each_fact():
    from test_html_report import VARIANT, _doc

    t = _tables()
    extra = pl.DataFrame([_doc("c2", "Gazette copy", "Herald", None, VARIANT, "syn_c", "story_flood")], schema=t["documents"].schema)
    t["documents"] = pl.concat([t["documents"], extra])
    first = t["facts"].with_columns(article_ids=pl.lit(["c", "c2"]))
    second = first.with_columns(fact_id=pl.lit("fact_2"), text=pl.lit("Police closed 12 roads and two bridges overnight."))
    t["facts"] = pl.concat([first, second])
    report = _markdown_with(t)
    assert report.count("more copy of this text") == 1
    assert "_(each fact below is also in 1 more copy of this text)_" in report
    # a single fact keeps the note beside it
    t["facts"] = first
    report = _markdown_with(t)
    assert "- Mayor Ines Calder said 40 homes were evacuated overnight. _(also in 1 more copy of this text)_" in report


def _markdown_with(t: dict[str, pl.DataFrame]) -> str:
    canon = t["stories"].select("story_id", "canonical_article_id")
    return render_markdown(articles_table(t["documents"], canon), t["stories"], t["facts"], t["conflicts"], t["rejects"],
                           t["pairs"], t["documents"])


def test_an_id_or_path_holding_a_line_break_backticks_or_a_bar_stays_one_code_span_and_one_table_cell():
    t = _tables()
    odd = "wire\n`q`"  # a record's own id may hold anything
    t["documents"] = t["documents"].with_columns(pl.col("article_id").replace("q", odd))
    t["stories"] = t["stories"].with_columns(pl.col("canonical_article_id").replace("q", odd))
    t["rejects"] = pl.DataFrame([("in|box/a\nb.bin", "binary file | unreadable")], schema=t["rejects"].schema, orient="row")
    report = _markdown(t)
    assert "(Valley Post, 2026-03-05, `` wire `q` ``)" in report
    assert report.rstrip().endswith("| `in\\|box/a b.bin` | binary file \\| unreadable |")


def test_who_gives_a_figure_names_outlets_and_leaves_an_unknown_one_unsaid():
    from newsdedup.report import _givers

    info = {"a": {"source": "Wire"}, "b": {"source": None}, "c": {"source": "Wire"}}
    assert _givers(["a", "b", "c"], info) == "Wire: a, c; b" and _givers(["b"], info) == "b"


def test_html_in_an_article_s_words_is_shown_as_text_not_passed_to_a_viewer():
    """A hostile-input review: report.md put a title's raw HTML in a heading (`## <img src=x onerror=alert(1)>`), which
    a Markdown viewer renders; report.html escaped it."""
    t = _tables()
    title = "Floods <img src=x onerror=alert(1)> cut road"
    t["stories"] = t["stories"].with_columns(pl.lit(title).alias("title"))
    report = _markdown(t)
    assert "## Floods \\<img src=x onerror=alert(1)> cut road" in report and "<img" not in report.replace("\\<img", "")
    from newsdedup.report import no_html

    assert no_html("a < b, </div> and <!-- x") == "a < b, \\</div> and \\<!-- x"
    # backticks pair as CommonMark pairs them: a run with no run of its length after it opens no code span (a review
    # of this session's first escape, which took "```<img ...>`" for a span and left the tag raw)
    from markdown_it import MarkdownIt

    for line in ("## Floods ```<img src=x onerror=alert(1)>` cut road", "`bad/<b>.bin` and <i>x</i>", "``a` <img src=1>`` <b>x</b>",
                 "esc \\`<img src=1>` tail"):
        html = MarkdownIt("commonmark").render(no_html(line))
        assert "<img" not in html and "<b>" not in html and "<i>" not in html, (line, html)
    assert no_html("`bad/<b>.bin`") == "`bad/<b>.bin`"  # in a code span it is shown as written
