"""ingest: seeds and every supported format become clean documents; every bad input becomes a reject, never an error."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from newsdedup.config import IngestConfig
from newsdedup.ingest import BadInput, _decode, decode, list_inputs, parse_date, parse_text, read_inputs
from newsdedup.schema import DOCUMENTS, REJECTS

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
COPIES = FIXTURES / "copies"
CFG = IngestConfig()

# A plain story paragraph long enough to pass min_words.
BODY = (
    "Police in Quetta said on Saturday that at least 92 militants were killed in coordinated attacks "
    "across Balochistan province, officials said."
)


def _ingest(root: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    return read_inputs(root, CFG)


def _doc(docs: pl.DataFrame, article_id: str) -> dict:
    rows = docs.filter(pl.col("article_id") == article_id).to_dicts()
    assert len(rows) == 1, f"{article_id} not in {docs['article_id'].to_list()}"
    return rows[0]


def _reason(rejects: pl.DataFrame, path: str) -> str:
    rows = rejects.filter(pl.col("path") == path)["reason"].to_list()
    assert len(rows) == 1, f"{path} not rejected once: {rejects.to_dicts()}"
    return rows[0]


@pytest.fixture(scope="module")
def seeds() -> tuple[pl.DataFrame, pl.DataFrame]:
    return _ingest(SEEDS)


# --- the seeds -----------------------------------------------------------------------------------------


def test_seeds_give_five_documents_and_no_rejects(seeds):
    docs, rejects = seeds
    assert docs.height == 5
    assert rejects.height == 0
    assert docs["article_id"].to_list() == [
        "000_88db8367fec8dc5d",
        "001_72621f2fa7bf588d",
        "002_ae9f11a7c17e6c9e",
        "003_b5333d69a80e2512",
        "004_aa58e34a18a8b4a3",
    ]


def test_tables_follow_their_contracts(seeds):
    docs, rejects = seeds
    assert dict(docs.schema) == DOCUMENTS
    assert dict(rejects.schema) == REJECTS


def test_seed_004_title_and_body_without_headline_caption_or_tags(seeds):
    doc = _doc(seeds[0], "004_aa58e34a18a8b4a3")
    assert doc["title"] == "Pakistan says 92 militants killed after attacks in Balochistan"
    assert doc["title"] not in doc["text"]
    assert "Army soldiers gather at the site" not in doc["text"]
    assert "Tags" not in doc["text"]
    assert not any(line.strip() == "Reuters" for line in doc["text"].splitlines())
    assert doc["text"].startswith("Pakistan says at least 92 militants were killed")


def test_seed_000_date_header_and_credits(seeds):
    doc = _doc(seeds[0], "000_88db8367fec8dc5d")
    assert doc["published"] == datetime(2026, 2, 1, tzinfo=timezone.utc)
    assert "(With inputs from Reuters)" not in doc["text"]
    assert "(AP Photo" not in doc["text"]
    assert "date 2026" not in doc["text"]
    assert doc["text"].startswith("Over 120 people were killed")


def test_seed_002_dateline_is_split_off(seeds):
    doc = _doc(seeds[0], "002_ae9f11a7c17e6c9e")
    assert doc["dateline"] == "Islamabad, Feb 2"
    assert not doc["text"].startswith("Islamabad")
    assert doc["text"].startswith("More than 120 people were killed")
    assert "(Agencies)" not in doc["text"]


def test_a_dateline_under_a_promo_or_a_caption_is_split_off(tmp_path):
    """Made-up copies: the dateline comes after a line that cleaning drops. It is still the dateline, not the
    opening of the first sentence (where its place and day would read as a name and a number of the story)."""
    (tmp_path / "promo.txt").write_text(
        f"Read more: Senate passes the budget after a long night\n\nToronto, June 16: {BODY}\n", encoding="utf-8"
    )
    (tmp_path / "caption.txt").write_text(
        f"Delegates arrive at the summit venue on Monday.\nREUTERS/Jane Roe\n\nGENEVA (Reuters) - {BODY}\n", encoding="utf-8"
    )
    # the lead also appears as a caption above it; and a subheading above a lead whose text opens with a figure
    lead = f"Toronto, June 16: {BODY}"
    (tmp_path / "twice.txt").write_text(
        f"Read more: Senate passes the budget\n\n{lead}\nPhoto: AP/John Smith\n\n{lead}\n\nMore text follows here, "
        "officials said on Sunday evening.\n", encoding="utf-8"
    )
    (tmp_path / "subhead.txt").write_text(
        "Militants killed in Quetta\n\nSecurity forces respond to coordinated attacks\n\n"
        f"QUETTA (Reuters) - 92 militants were killed, {BODY}\n", encoding="utf-8"
    )
    (tmp_path / "credit.txt").write_text(
        f"Read more: Senate passes the budget\n\nToronto, June 16: (AP Photo/John Smith)\n\n{BODY}\n", encoding="utf-8"
    )
    docs, _ = _ingest(tmp_path)
    rows = {r["article_id"]: r for r in docs.iter_rows(named=True)}
    assert rows["credit"]["dateline"] == "Toronto, June 16" and rows["credit"]["text"] == BODY  # no blank opening
    assert rows["promo"]["dateline"] == "Toronto, June 16" and rows["promo"]["text"] == BODY
    assert rows["caption"]["dateline"] == "GENEVA (Reuters)" and rows["caption"]["text"] == BODY
    assert rows["twice"]["dateline"] == "Toronto, June 16" and not rows["twice"]["text"].startswith("Toronto")
    assert rows["subhead"]["dateline"] == "QUETTA (Reuters)"
    assert rows["subhead"]["text"].startswith("92 militants were killed")  # the subheading stays dropped


def test_an_undated_article_says_why(seeds, tmp_path):
    """Nothing is dropped silently: a date that cannot be read, or a dateline without a year, is a note on
    the article (which is kept, undated); a dated article has none."""
    assert _doc(seeds[0], "002_ae9f11a7c17e6c9e")["notes"] == ["dateline 'Islamabad, Feb 2' gives no year"]
    assert _doc(seeds[0], "000_88db8367fec8dc5d")["notes"] == []
    (tmp_path / "bad.json").write_text(json.dumps({"id": "j", "date": "sometime last week", "text": BODY}), encoding="utf-8")
    (tmp_path / "bad.txt").write_text(f"date 2026-13-45\n{BODY}\n", encoding="utf-8")
    docs, _ = _ingest(tmp_path)
    notes = dict(zip(docs["article_id"].to_list(), docs["notes"].to_list()))
    assert notes == {"j": ["date 'sometime last week' not understood"], "bad": ["date '2026-13-45' not understood"]}
    assert docs["published"].null_count() == 2


@pytest.mark.parametrize(
    "header, raw",
    [("date sometime last week", "sometime last week"), ("Date: yesterday", "yesterday"), ("date TBD", "TBD"),
     ("date February 30, 2026", "February 30, 2026"), ("date: unknown\nsource: Reuters", "unknown")],
)
def test_a_date_header_not_understood_is_a_note_and_the_headline_stays(tmp_path, header, raw):
    """A .txt's date line that cannot be read is still its header: the article is undated and says why, and the
    headline under it stays the headline (it used to become the title, the real headline lost)."""
    (tmp_path / "t.txt").write_text(f"{header}\n\nFerries stop at Harbourton\n\n{BODY}\n", encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "t")
    assert doc["title"] == "Ferries stop at Harbourton" and doc["published"] is None
    assert doc["notes"] == [f"date {raw!r} not understood"]
    assert doc["source"] == ("Reuters" if "source" in header else None)


def test_a_date_header_not_understood_leaves_a_published_line_to_date_the_article(tmp_path):
    (tmp_path / "t.txt").write_text(f"date: unknown\n\nFerries stop\n\nPublished: 3 Feb 2026 10:04\n\n{BODY}\n", encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "t")
    assert doc["published"] == datetime(2026, 2, 3, 10, 4, tzinfo=timezone.utc) and doc["notes"] == []


def test_an_upper_case_date_header_dates_an_article_and_prose_stays_prose(tmp_path):
    (tmp_path / "u.txt").write_text(f"DATE 2026-02-01\n\nFerries stop at Harbourton\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "p.txt").write_text(f"Date night is back in fashion across the city\n\n{BODY}\n", encoding="utf-8")
    docs = _ingest(tmp_path)[0]
    upper, prose = _doc(docs, "u"), _doc(docs, "p")
    assert (upper["title"], upper["published"]) == ("Ferries stop at Harbourton", datetime(2026, 2, 1, tzinfo=timezone.utc))
    assert (prose["title"], prose["notes"]) == ("Date night is back in fashion across the city", ["no date given"])


def test_a_date_header_of_prose_length_is_not_handed_to_the_date_parser():
    """A fuzzing of this session's patterns: a 30,000-character "date" header took the date parser 3 s."""
    import time

    from newsdedup.ingest import parse_date, parse_text

    start = time.perf_counter()
    assert parse_date("1," * 15000) is None and parse_date("date " + "a, " * 10000) is None
    assert time.perf_counter() - start < 1.0  # a hang detector
    assert parse_date("Sunday, February 1, 2026, 9:05 p.m. EST").isoformat() == "2026-02-01T21:05:00-05:00"
    start = time.perf_counter()  # nor a page's "Updated:" line of 30,000 spaces to its pattern (3.1 s)
    parse_text("Headline here\nUpdated:" + " " * 30000 + "x\n\n" + BODY, "x", "x.txt")
    assert time.perf_counter() - start < 1.0


def test_a_full_dateline_or_a_written_date_header_dates_an_article(tmp_path):
    (tmp_path / "karachi.txt").write_text(f"KARACHI, February 2, 2026: {BODY}\n", encoding="utf-8")
    (tmp_path / "header.txt").write_text(f"date: 5 May 2025\n{BODY}\n", encoding="utf-8")
    (tmp_path / "mayday.txt").write_text(f"NEW YORK, Mayday 3: {BODY}\n", encoding="utf-8")
    (tmp_path / "both.json").write_text(json.dumps({"id": "both", "date": "soon", "text": f"LONDON, Feb 2, 2026: {BODY}"}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    rows = {r["article_id"]: r for r in docs.iter_rows(named=True)}
    assert rows["karachi"]["published"].date().isoformat() == "2026-02-02" and rows["karachi"]["notes"] == []
    assert rows["header"]["published"].date().isoformat() == "2025-05-05" and not rows["header"]["text"].startswith("date")
    assert rows["mayday"]["published"] is None and rows["mayday"]["notes"] == ["no date given"]  # no month: the dateline is no date
    assert rows["both"]["published"].date().isoformat() == "2026-02-02"
    assert rows["both"]["notes"] == ["date 'soon' not understood; dated by its dateline"]


def test_a_numeric_date_that_may_give_the_day_or_the_month_first_says_how_it_was_read(tmp_path):
    """A hostile-input review: "date: 03/02/2026" was read as 2 March without a word, "03.02.2026" as 3 February."""
    from newsdedup.html_report import when_published

    for name, date in (("slash", "03/02/2026"), ("plain", "13/02/2026"), ("same", "02/02/2026"), ("late", "03/02/2026 22:00 -05:00"),
                       ("short", "3-2-26"), ("iso", "03/02/2026T10:00:00Z")):
        (tmp_path / f"{name}.txt").write_text(f"date: {date}\n\n{BODY}\n", encoding="utf-8")
    rows = {r["article_id"]: r for r in _ingest(tmp_path)[0].iter_rows(named=True)}
    assert rows["slash"]["notes"] == ["date '03/02/2026' may give the day or the month first: read as 2 March 2026 (month first)"]
    # the date as written, not the day in UTC (3 March there)
    assert rows["late"]["notes"] == ["date '03/02/2026 22:00 -05:00' may give the day or the month first: read as 2 March 2026 (month first)"]
    assert rows["plain"]["notes"] == rows["same"]["notes"] == []  # 13 is no month; 2 February either way
    assert rows["short"]["notes"] == ["date '3-2-26' may give the day or the month first: read as 2 March 2026 (month first)"]
    assert rows["iso"]["notes"] == ["date '03/02/2026T10:00:00Z' may give the day or the month first: read as 2 March 2026 (month first)"]
    assert when_published(rows["slash"]) == "2026-03-02 (date '03/02/2026' may give the day or the month first: read as 2 March 2026 (month first))"


def test_seed_003_title_from_first_line(seeds):
    doc = _doc(seeds[0], "003_b5333d69a80e2512")
    assert doc["title"] == "Pakistan military responds to Baloch rebel attacks; over 120 dead"
    assert doc["published"] == datetime(2026, 2, 1, tzinfo=timezone.utc)
    assert "Baloch insurgency, human rights violations" not in doc["text"]  # subheading


def test_seed_bodies_are_folded_to_ascii_punctuation(seeds):
    for text in seeds[0]["text"]:
        assert "\u2019" not in text and "\u201c" not in text


def test_untitled_seed_gets_its_first_sentence_as_title(seeds):
    doc = _doc(seeds[0], "001_72621f2fa7bf588d")
    assert doc["title"].startswith("At least 145 people died following coordinated attacks")
    assert len(doc["title"]) <= 121


def test_word_counts_match_the_bodies(seeds):
    from newsdedup.normalize import words

    for text, n in zip(seeds[0]["text"], seeds[0]["n_words"]):
        assert n == len(words(text))


# --- formats -------------------------------------------------------------------------------------------


def test_jsonl_with_ids(tmp_path):
    lines = [{"id": "wire-1", "title": "One", "text": BODY}, {"id": "wire-2", "title": "Two", "text": BODY + " Two."}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert docs.select("article_id", "path", "title").rows() == [
        ("wire-1", "feed.jsonl:1", "One"),
        ("wire-2", "feed.jsonl:2", "Two"),
    ]


def test_a_line_break_in_an_id_a_title_or_a_file_name_gives_one_line(tmp_path):
    """An id, a title and an outlet print on one line in the reports and at the desk: a line break in a JSON string
    or a file's name is a space there; the path keeps the file's real name."""
    item = {"id": "wire\n7", "title": "Gas blast\r\nin  town", "source": "Daily\nPost", "text": BODY}
    (tmp_path / "feed.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    (tmp_path / "late\nstory.txt").write_text(BODY, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert docs.select("article_id", "path", "title", "source").rows()[0] == ("late story", "late\nstory.txt", docs["title"][0], None)
    assert docs.filter(pl.col("path") == "feed.jsonl:1").select("article_id", "title", "source").rows() == [
        ("wire 7", "Gas blast in town", "Daily Post")
    ]


def test_jsonl_without_ids_gets_path_and_line_ids(tmp_path):
    (tmp_path / "news").mkdir()
    text = json.dumps({"title": "One", "text": BODY}) + "\n\n" + json.dumps({"title": "Three", "text": BODY + " 3."})
    (tmp_path / "news" / "feed.ndjson").write_text(text, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    # The line number is the physical line, blank lines counted; the id is the path without extension.
    assert docs.select("article_id", "path").rows() == [
        ("news/feed:1", "news/feed.ndjson:1"),
        ("news/feed:3", "news/feed.ndjson:3"),
    ]


def test_json_array(tmp_path):
    items = [{"title": "A1", "text": BODY}, {"headline": "A2", "body": BODY + " Two.", "source": "Wire"}]
    (tmp_path / "batch.json").write_text(json.dumps(items), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert docs.select("article_id", "path", "title", "source").rows() == [
        ("batch:1", "batch.json:1", "A1", None),
        ("batch:2", "batch.json:2", "A2", "Wire"),
    ]


def test_ninjs_1_record(tmp_path):
    record = {
        "uri": "urn:newsml:apnews.com:20260201:abc123",
        "type": "text",
        "headline": "Militants storm jail in Mastung",
        "body_text": BODY,
        "versioncreated": "2026-02-01T10:15:00Z",
        "copyrightholder": "The Associated Press",
    }
    (tmp_path / "ap.json").write_text(json.dumps(record), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    doc = _doc(docs, "urn:newsml:apnews.com:20260201:abc123")
    assert doc["title"] == "Militants storm jail in Mastung"
    assert doc["source"] == "The Associated Press"
    assert doc["published"] == datetime(2026, 2, 1, 10, 15, tzinfo=timezone.utc)
    assert doc["text"] == BODY
    assert doc["url"] is None  # a urn is an id, not a link


def test_ninjs_2_record_prefers_the_plain_text_body(tmp_path):
    record = {
        "uri": "https://example.com/news/jail",
        "headlines": [{"role": "main", "value": "Militants storm jail in Mastung"}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": "<p>HTML version of the story.</p>"},
            {"role": "main", "contenttype": "text/plain", "value": BODY},
        ],
        "versioncreated": "2026-02-01T11:00:00+05:00",
        "copyrightholder": "Agency",
    }
    (tmp_path / "n2.json").write_text(json.dumps(record), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    doc = _doc(docs, "https://example.com/news/jail")
    assert doc["title"] == "Militants storm jail in Mastung"
    assert doc["text"] == BODY
    assert doc["url"] == "https://example.com/news/jail"
    assert doc["published"] == datetime(2026, 2, 1, 6, 0, tzinfo=timezone.utc)


def test_ninjs_2_main_headline_and_body_win_over_a_short_headline_and_a_summary(tmp_path):
    """A vendor lists a short headline first and a plain-text summary beside the main body in HTML: the article is
    the main body, under the main headline (the summary alone would pass for a 15-word article)."""
    record = {
        "uri": "urn:wire:roles",
        "headlines": [{"role": "short", "value": "Jail raid"}, {"role": "main", "value": "Militants storm jail in Mastung"}],
        "bodies": [
            {"role": "summary", "contenttype": "text/plain", "value": "Militants stormed a jail; dozens of inmates fled."},
            {"role": "main", "contenttype": "text/html", "value": f"<p>{BODY}</p><p>Roads were blocked for hours.</p>"},
        ],
    }
    (tmp_path / "roles.json").write_text(json.dumps(record), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    doc = _doc(docs, "urn:wire:roles")
    assert rejects.height == 0 and doc["title"] == "Militants storm jail in Mastung"
    assert doc["text"] == BODY + "\n\nRoads were blocked for hours."
    only_summary = {**record, "uri": "urn:wire:summary", "bodies": record["bodies"][:1], "headlines": [{"value": "Raid"}]}
    (tmp_path / "roles.json").write_text(json.dumps(only_summary), encoding="utf-8")
    docs, _ = _ingest(tmp_path)  # a summary is all there is: it is read (min_words decides)
    assert _doc(docs, "urn:wire:summary")["text"] == "Militants stormed a jail; dozens of inmates fled."


def test_a_ninjs_package_is_read_as_its_text_item_under_its_own_id_and_headline(tmp_path):
    package = {
        "uri": "urn:wire:pkg", "type": "composite", "headline": "Militants storm jail in Mastung",
        "versioncreated": "2026-02-01T10:00:00Z",
        "associations": {
            "picture": {"uri": "urn:wire:pic", "type": "picture", "description_text": "Soldiers stand guard in Quetta."},
            "main": {"uri": "urn:wire:pkg:text", "type": "text", "body_text": BODY},
        },
    }
    (tmp_path / "pkg.json").write_text(json.dumps(package), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    doc = _doc(docs, "urn:wire:pkg")
    assert rejects.height == 0 and doc["title"] == "Militants storm jail in Mastung" and doc["text"] == BODY
    assert doc["published"] == datetime(2026, 2, 1, 10, tzinfo=timezone.utc)


def test_ninjs_2_html_only_body_is_turned_into_paragraphs(tmp_path):
    record = {
        "headlines": [{"value": "Jail raid"}],
        "bodies": [{"contenttype": "text/html", "value": f"<p>{BODY}</p><p>Roads were <b>blocked</b> for hours.</p>"}],
    }
    (tmp_path / "n2html.json").write_text(json.dumps(record), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    text = _doc(docs, "n2html")["text"]
    assert "<p>" not in text and "<b>" not in text
    assert text == BODY + "\n\nRoads were blocked for hours."
    # its quotes and dashes folded as every other input's (an editor's walk-through: "Queen’s" beside "Queen's")
    record["bodies"][0]["value"] = "<p>“The Queen’s guards” — all 40 — stood by the gate on Monday, officials said.</p>"
    (tmp_path / "n2html.json").write_text(json.dumps(record), encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "n2html")["text"] == '"The Queen\'s guards" - all 40 - stood by the gate on Monday, officials said.'


def test_a_body_given_as_parts_is_their_text_a_paragraph_each(tmp_path):
    record = {
        "id": "parts", "headline": {"main": "Jail raid"},
        "body": [{"type": "paragraph", "text": BODY}, {"type": "image", "src": "raid.jpg"},
                 {"type": "paragraph", "text": "Roads were blocked for hours."}, "Police said more was to follow."],
    }
    (tmp_path / "parts.json").write_text(json.dumps(record), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    doc = _doc(docs, "parts")
    assert doc["title"] == "Jail raid"
    assert doc["text"] == BODY + "\n\nRoads were blocked for hours.\n\nPolice said more was to follow."
    # a block's inline spans (Slate, Portable Text) are one paragraph
    spans = {"id": "spans", "title": "Budget passed", "body": [
        {"type": "paragraph", "children": [{"text": "The city council voted on "}, {"text": "Tuesday", "bold": True},
                                           {"text": " to approve the new budget for schools and roads after a long debate."}]},
        {"type": "paragraph", "children": [{"text": BODY}]}]}
    (tmp_path / "spans.json").write_text(json.dumps(spans), encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "spans")["text"] == (
        "The city council voted on Tuesday to approve the new budget for schools and roads after a long debate.\n\n" + BODY)


def test_a_consent_wall_or_an_app_shell_is_a_page_with_no_article(tmp_path):
    (tmp_path / "cookie.html").write_text(
        '<html><body><div class="cookie-consent"><p>We use cookies to improve your experience on our site and to show '
        "you personalised advertising. By continuing to browse, you agree to our use of cookies as described in our "
        'Cookie Policy.</p><button>Accept all</button></div></body></html>', encoding="utf-8")
    (tmp_path / "app.html").write_text(
        '<html><head><title>App</title></head><body><div id="root"></div><noscript>You need to enable JavaScript to '
        'run this app.</noscript><script src="app.js"></script></body></html>', encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.height == 0
    assert _reason(rejects, "cookie.html") == _reason(rejects, "app.html") == (
        "no body text after removing headline, captions and boilerplate")


def test_html_page_fixture(tmp_path):
    shutil.copy(COPIES / "004_copy.html", tmp_path)
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    doc = _doc(docs, "004_copy")
    assert doc["title"] == "Pakistan says 92 militants killed after attacks in Balochistan"
    assert doc["source"] == "Frontier Times"
    assert doc["published"].date() == date(2026, 2, 1)
    assert doc["text"].startswith("Pakistan says at least 92 militants were killed")
    assert doc["text"].endswith("Security forces killed six militants after reaching the scene.")
    for furniture in ("World", "Subscribe", "Most read", "Asian markets", "All rights reserved", "Privacy"):
        assert furniture not in doc["text"]


def test_articles_wrapped_twice_or_as_search_hits_are_read_and_an_unknown_object_says_what_it_holds(tmp_path):
    item = {"id": "w1", "title": "Jail raid", "text": BODY}
    (tmp_path / "nested.json").write_text(json.dumps({"data": {"items": [item]}}), encoding="utf-8")
    hits = {"took": 3, "hits": {"total": 2, "hits": [{"_index": "news", "_id": "x", "_source": {**item, "id": "w2"}},
                                                     {"_id": "es-7", "_source": {"title": "Raid", "text": BODY}}]}}
    (tmp_path / "search.json").write_text(json.dumps(hits), encoding="utf-8")
    (tmp_path / "payload.json").write_text(json.dumps({"meta": {"page": 1}, "payload": [item]}), encoding="utf-8")
    (tmp_path / "quota.json").write_text(json.dumps({"error": {"code": 429, "message": "Too many requests"}}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert sorted(docs["article_id"]) == ["es-7", "w1", "w2"] and _doc(docs, "w2")["path"] == "search.json:1"
    assert _reason(rejects, "payload.json").endswith("body_html, content_html); it holds meta, payload")
    assert _reason(rejects, "quota.json") == "an error reply, not an article: Too many requests"


def test_a_txt_opening_with_many_html_comments_is_told_apart_at_once():
    """A WordPress export saved as .txt: comment blocks and no page around them. A lazy comment pattern took
    exponential time here (22 blocks: seconds; 40: days)."""
    import time

    from newsdedup.ingest import _sniffed

    post = "<!-- wp:paragraph -->\n<p>The council met on Monday.</p>\n<!-- /wp:paragraph -->\n" * 22
    start = time.perf_counter()
    assert _sniffed(post) == "text" and _sniffed("<!-- saved -->\n<!-- page -->\n<!DOCTYPE html><html>") == "html"
    assert time.perf_counter() - start < 0.5


def test_a_page_or_a_json_export_saved_as_txt_is_read_as_what_it_holds(tmp_path):
    """A scraper saves pages as .txt, an export tool names JSON .txt, a vendor names JSON Lines .json: each is read
    as what it holds (by path as on stdin), not as markup taken for story text or one invalid JSON file."""
    page = (COPIES / "004_copy.html").read_text(encoding="utf-8")
    (tmp_path / "page.txt").write_text("\n" + page, encoding="utf-8")
    (tmp_path / "record.txt").write_text(json.dumps({"id": "r1", "title": "Jail raid", "text": BODY}), encoding="utf-8")
    lines = [json.dumps({"id": f"e{i}", "title": f"Raid {i}", "text": BODY}) for i in (1, 2)]
    (tmp_path / "export.json").write_text("\n".join([*lines, "{oops", ""]), encoding="utf-8")
    (tmp_path / "braces.txt").write_text("{Editor's note} " + BODY, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    html = _doc(docs, "page")
    assert html["title"] == "Pakistan says 92 militants killed after attacks in Balochistan" and "<" not in html["text"]
    assert html["text"] == _doc(read_inputs(COPIES, CFG)[0], "004_copy")["text"]
    assert _doc(docs, "r1")["text"] == BODY
    assert [_doc(docs, f"e{i}")["path"] for i in (1, 2)] == ["export.json:1", "export.json:2"]
    assert rejects.rows() == [("export.json:3", "invalid JSON: Expecting property name enclosed in double quotes (column 2)")]
    assert _doc(docs, "braces")["text"] == "{Editor's note} " + BODY
    (tmp_path / "export.json").write_text('{"id": "x", "text": "a"} tail', encoding="utf-8")
    assert _reason(_ingest(tmp_path)[1], "export.json") == "invalid JSON: Extra data (line 1, column 26)"
    # `jq '.[]'` prints objects one after another, each over several lines, named .json or .txt
    jq = "\n".join(json.dumps({"id": f"q{i}", "title": f"Raid {i}", "text": BODY}, indent=2) for i in (1, 2))
    for name in ("export.json", "jq.txt"):
        (tmp_path / name).write_text(jq, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.rows() == [(f"jq.txt:{i}", f"duplicate article_id 'q{i}' (first in export.json:{i})") for i in (1, 2)]
    assert _doc(docs, "q2")["path"] == "export.json:2" and _doc(docs, "q2")["text"] == BODY


def _teaser_cards(n: int) -> str:
    return "".join(
        f'<li><a href="/story-{i}"><h3>Harbour number {i} reopens after the storm</h3></a><p>Dock workers at harbour {i} '
        f"returned on Monday as ships queued offshore, port officials said in a statement.</p></li>" for i in range(n)
    )


def test_a_section_page_listing_stories_is_rejected_and_an_article_with_related_links_is_not(tmp_path):
    """trafilatura keeps a section page's teaser list as its text: such a page would join (or pollute) stories."""
    (tmp_path / "section.html").write_text(
        f"<html><head><title>World | Daily Ledger</title></head><body><h1>World</h1><ul>{_teaser_cards(8)}</ul></body></html>",
        encoding="utf-8")
    paragraphs = "".join(f"<p>{BODY} Paragraph {i} adds that roads were closed for {i + 2} hours.</p>" for i in range(6))
    (tmp_path / "article.html").write_text(
        f"<html><head><title>Militants storm jail</title></head><body><article><h1>Militants storm jail</h1>{paragraphs}"
        f"</article><aside><h2>Related</h2><ul>{_teaser_cards(6)}</ul></aside></body></html>", encoding="utf-8")
    # a live blog's posts link to places in the page; a list's items to other sites, each at an article's length
    posts = "".join(f'<div><h3><a href="#p{i}">{i + 9}:00 update</a></h3><p>Council members said the vote on harbour '
                    f"number {i} was delayed.</p></div>" for i in range(8))
    (tmp_path / "live.html").write_text(f"<html><body><h1>Live: council vote</h1>{posts}</body></html>", encoding="utf-8")
    items = "".join(f'<section><h2><a href="https://harbour{i}.example.com">{i}. Harbour {i}</a></h2><p>{BODY} {BODY} {BODY} '
                    f"Harbour {i} has {i + 3} berths and a ferry to the islands.</p></section>" for i in range(7))
    (tmp_path / "list.html").write_text(f"<html><body><h1>Seven harbours</h1>{items}</body></html>", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["article", "list", "live"] and "Harbour" not in _doc(docs, "article")["text"]
    assert rejects.rows() == [("section.html",
                               "a section or index page (8 headlines linking to stories, its text their teasers), not an article")]
    og = '<meta property="og:type" content="article">'  # a page that says it is an article is one
    (tmp_path / "section.html").write_text((tmp_path / "section.html").read_text().replace("<head>", "<head>" + og))
    assert _ingest(tmp_path)[1].height == 0


def test_text_fixture_with_new_headline_byline_and_copyright(tmp_path):
    shutil.copy(COPIES / "001_trimmed.txt", tmp_path)
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    doc = _doc(docs, "001_trimmed")
    assert doc["title"] == "Balochistan attacks leave at least 145 dead as militants strike across the province"
    assert "Staff Reporter" not in doc["text"]
    assert "Daily Courier" not in doc["text"]
    assert doc["text"].startswith("At least 145 people died")


def test_json_fixture_with_promo_and_tags(tmp_path):
    shutil.copy(COPIES / "001_reparagraphed.json", tmp_path)
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    doc = _doc(docs, "courier-001")
    assert doc["path"] == "001_reparagraphed.json"
    assert doc["source"] == "Courier"
    assert doc["published"] == datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc)
    assert "newsletter" not in doc["text"] and "Tags" not in doc["text"]
    assert doc["text"].endswith("has also conducted attacks in the region.")


def test_text_header_lines_are_read(tmp_path):
    text = f"title: Jail raid in Mastung\nsource: Dawn\ndate: 2026-02-02T08:30:00Z\nurl: https://dawn.example/1\n\n{BODY}\n"
    (tmp_path / "dawn.txt").write_text(text, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "dawn")
    assert (doc["title"], doc["source"], doc["url"]) == ("Jail raid in Mastung", "Dawn", "https://dawn.example/1")
    assert doc["published"] == datetime(2026, 2, 2, 8, 30, tzinfo=timezone.utc)
    assert doc["text"] == BODY


def test_header_lines_under_the_headline_are_read_as_those_above_it(tmp_path):
    """A walk-through's finding: a date under the headline was glued to it ("Jail raid in Mastung date 2026-02-03"),
    or, after a blank line, dropped, and the article was undated."""
    for name, text in (("glued", f"Jail raid in Mastung\ndate 2026-02-03\n\n{BODY}\n"),
                       ("apart", f"Jail raid in Mastung\n\ndate 2026-02-03\nSource: Harbor Times\n\n{BODY}\n")):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    docs = _ingest(tmp_path)[0]
    for name in ("glued", "apart"):
        doc = _doc(docs, name)
        assert doc["title"] == "Jail raid in Mastung" and doc["text"] == BODY
        assert doc["published"] == datetime(2026, 2, 3, tzinfo=timezone.utc) and doc["notes"] == []
    assert _doc(docs, "apart")["source"] == "Harbor Times"
    # prose under a headline that opens with a header's word stays prose
    prose = "source of the leak was a cracked pipe, engineers said on Tuesday after a long inspection of the whole plant."
    (tmp_path / "prose.txt").write_text(f"Leak found at plant\n\n{prose}\n", encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "prose")
    assert doc["source"] is None and doc["text"] == prose
    # a wrapped headline going on with a header's word is one headline (a second review: an id, a source, a note)
    for headline in ("Police seek help to\nid suspects in bank raid", "Investigators trace leak to a\nsource inside the ministry",
                     "Officials still cannot agree on a\ndate for the referendum"):
        record = parse_text(f"{headline}\n\n{BODY}\n", "x", "x.txt")
        assert (record.title, record.article_id, record.source, record.raw_date) == (" ".join(headline.split()), "x", None, None)


def test_prose_starting_with_a_header_word_is_body(tmp_path):
    text = "Source close to the military said the Baloch Liberation Army struck nine districts on Saturday, killing many people."
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "s")
    assert doc["source"] is None
    assert doc["text"] == text


# --- article ids ---------------------------------------------------------------------------------------


def test_article_id_is_record_id_else_relative_path_without_extension(tmp_path):
    (tmp_path / "wire" / "2026" / "02").mkdir(parents=True)
    (tmp_path / "wire" / "2026" / "02" / "story.v2.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "wire" / "own.json").write_text(json.dumps({"id": "AP-777", "text": BODY}), encoding="utf-8")
    (tmp_path / "UPPER.TXT").write_text(BODY, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert sorted(docs.select("article_id", "path").rows()) == [
        ("AP-777", "wire/own.json"),
        ("UPPER", "UPPER.TXT"),
        ("wire/2026/02/story.v2", "wire/2026/02/story.v2.txt"),
    ]


def test_id_header_in_text_file_wins(tmp_path):
    (tmp_path / "a.txt").write_text(f"id: reuters-42\n\n{BODY}", encoding="utf-8")
    assert _ingest(tmp_path)[0]["article_id"].to_list() == ["reuters-42"]


def test_hidden_files_and_folders_are_skipped(tmp_path):
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "real.txt").write_text(BODY, encoding="utf-8")
    assert [p.name for p in list_inputs(tmp_path)] == ["real.txt"]


# --- decoding ------------------------------------------------------------------------------------------


def test_cp1252_curly_quotes_decode_to_the_right_characters():
    original = "Officials said \u201cthe attacks were repelled\u201d \u2013 the city\u2019s hospitals went on alert."
    assert decode(original.encode("cp1252")) == original


def test_latin1_text_decodes():
    original = "Caf\u00e9 owners in Quetta said temperatures fell to 3\u00b0C, se\u00f1or \u00a7 2."
    assert decode(original.encode("latin-1")) == original


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    assert decode(b"caf\xe9 \x81") == "caf\u00e9 \x81"


def test_utf8_bom_and_utf16_decode():
    assert decode("\ufeffQuetta".encode("utf-8")) == "Quetta"
    assert decode("Quetta caf\u00e9".encode("utf-16")) == "Quetta caf\u00e9"


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b" \n\t\n", "empty"), (b"abc\x00def", "binary"), (b"\x01\x02\x03\x04 text\x05\x06", "binary")],
)
def test_decode_raises_bad_input(data, reason):
    with pytest.raises(BadInput, match=reason):
        decode(data)


def test_cp1252_file_is_ingested_with_folded_quotes(tmp_path):
    original = (
        "Officials said \u201cthe attacks were repelled\u201d and the city\u2019s hospitals \u2013 all of them \u2013 "
        "went on alert after militants struck police stations in Quetta."
    )
    (tmp_path / "cp.txt").write_bytes(original.encode("cp1252"))
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    text = _doc(docs, "cp")["text"]
    assert "\"the attacks were repelled\"" in text and "city's hospitals - all of them -" in text
    assert "\u00e2\u20ac" not in text and "\x93" not in text  # no mojibake


def test_latin1_file_is_ingested(tmp_path):
    original = "Caf\u00e9 owners in Quetta said the attacks on Saturday closed every shop on the main road for hours, se\u00f1or Khan said."
    (tmp_path / "latin.txt").write_bytes(original.encode("latin-1"))
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert _doc(docs, "latin")["text"] == original


# --- bad input: rejected with a reason, never raised -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n\t \r\n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)), "binary"),
        ("nul.json", b'{"text": "a\x00b"}', "binary"),
        ("broken.json", b'{"id": "x", "text": "abc"', "invalid JSON"),
        ("list.json", b'"just a string"', "expected a JSON object, got a string"),
        ("null.json", b"null", "expected a JSON object, got null"),
        ("nobody.json", b'{"id": "x", "title": "Headline only"}', "no body text"),
        ("oddbody.json", b'{"id": "x", "title": "Headline", "body_text": {"weird": true}}', "no body text: its body_text is an object, not text"),
        ("nav.html", b'<html><head><title>Menu</title></head><body><nav><ul><li><a href="/a">World</a></li>'
         b'<li><a href="/b">Asia</a></li></ul></nav></body></html>', "no article text"),
        ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "unsupported file type '.pdf'"),
        ("README", b"A file with no extension at all, long enough to be an article otherwise.", "no extension"),
        ("short.txt", b"Too short to be an article.", "body too short (6 words, need 8)"),
        ("one.txt", b"Flash.", "body too short (1 word, need 8)"),
        ("furniture.txt", b"Tags: Pakistan, Balochistan\n", "no body text"),
        ("headers.txt", b"date 2026-02-01\ntitle Headline without a body\n", "no body text"),
    ],
)
def test_bad_file_is_rejected_with_reason(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    docs, rejects = _ingest(tmp_path)
    assert docs.height == 0
    got = _reason(rejects, name)
    assert reason in got
    assert "\n" not in got


def test_jsonl_bad_line_is_rejected_and_good_lines_kept(tmp_path):
    text = (
        json.dumps({"id": "good-1", "text": BODY})
        + "\n{not json\n"
        + json.dumps({"id": "good-3", "text": BODY + " Three."})
        + "\n[1, 2]\n"
    )
    (tmp_path / "mixed.jsonl").write_text(text, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["good-1", "good-3"]
    assert rejects["path"].to_list() == ["mixed.jsonl:2", "mixed.jsonl:4"]
    assert _reason(rejects, "mixed.jsonl:2").startswith("invalid JSON")
    assert _reason(rejects, "mixed.jsonl:4") == "expected a JSON object, got an array"


def test_json_array_bad_item_is_rejected_and_good_items_kept(tmp_path):
    (tmp_path / "batch.json").write_text(json.dumps([{"text": BODY}, {"title": "no body"}, 7]), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["path"].to_list() == ["batch.json:1"]
    assert sorted(rejects["path"].to_list()) == ["batch.json:2", "batch.json:3"]


def test_a_json_feed_s_items_are_articles(tmp_path):
    """A JSON Feed 1.1 export (made-up items): each item is an article, with its content_html or content_text,
    date_published and url; the feed's title is the source of items without one. A bad item is one reject."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Northland Courier",
        "items": [
            {"id": "https://courier.example/a", "url": "https://courier.example/a", "title": "Jail stormed",
             "content_html": f"<p>{BODY}</p><p>Officials said the jail was secured by Sunday.</p>",
             "date_published": "2026-02-01T09:30:00+05:00"},
            {"id": "b", "title": "Dam opened", "content_text": BODY + " The dam opened.", "source": "Wire"},
            {"id": "c", "title": "Headline only"},
        ],
    }
    (tmp_path / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    rows = {r["article_id"]: r for r in docs.iter_rows(named=True)}
    assert sorted(rows) == ["b", "https://courier.example/a"]
    first = rows["https://courier.example/a"]
    assert first["path"] == "feed.json:1" and first["source"] == "Northland Courier"
    assert first["published"].isoformat() == "2026-02-01T04:30:00+00:00"
    assert first["text"].splitlines()[-1] == "Officials said the jail was secured by Sunday."
    assert rows["b"]["source"] == "Wire"
    assert rejects["path"].to_list() == ["feed.json:3"] and _reason(rejects, "feed.json:3").startswith("no body text")


def test_items_sharing_a_placeholder_link_are_known_by_their_place(tmp_path):
    """A link every item shares (a feed pointing all items at its home page) names none of them."""
    items = [{"title": f"T{n}", "url": "https://courier.example/", "text": f"{BODY} Item {n}."} for n in (1, 2)]
    items.append({"title": "T3", "url": "https://courier.example/t3", "text": BODY + " Item 3."})
    (tmp_path / "feed.json").write_text(json.dumps(items), encoding="utf-8")
    (tmp_path / "feed2.jsonl").write_text("\n".join(json.dumps(i) for i in items[:2]) + "\n", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert docs["article_id"].to_list() == ["feed2:1", "feed2:2", "feed:1", "feed:2", "https://courier.example/t3"]


def test_a_json_feed_describing_itself_is_still_a_feed(tmp_path):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Courier", "description": "The latest news from "
            "the Northland Courier, every day, for all of our readers across the region.",
            "items": [{"id": "a", "content_text": BODY}]}
    (tmp_path / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["a"] and rejects.height == 0


def test_a_json_feed_is_never_read_as_one_article(tmp_path):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Courier", "description": BODY, "items": []}
    (tmp_path / "empty.json").write_text(json.dumps(feed), encoding="utf-8")
    (tmp_path / "odd.json").write_text(json.dumps({**feed, "items": ["not an object", {"id": "a", "content_text": BODY}]}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["a"]
    assert dict(zip(rejects["path"].to_list(), rejects["reason"].to_list())) == {
        "empty.json": "feed with no items", "odd.json:1": "expected a JSON object, got a string"}


def test_an_article_carrying_a_list_of_other_things_stays_an_article(tmp_path):
    article = {"id": "x", "title": "Poll", "description": BODY, "data": [{"label": "yes", "value": 52}]}
    (tmp_path / "poll.json").write_text(json.dumps(article), encoding="utf-8")
    docs, _ = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["x"]


def test_an_object_wrapping_articles_under_another_name_is_read_too(tmp_path):
    export = {"status": "ok", "articles": [{"title": "Bridge", "content": BODY, "publishedAt": "2026-02-01T10:00:00Z"}]}
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["path"].to_list() == ["export.json:1"] and rejects.height == 0
    assert docs["published"][0].isoformat() == "2026-02-01T10:00:00+00:00"
    assert docs["source"][0] is None  # only a JSON Feed's title names its outlet


def test_one_bad_item_in_a_wrapper_is_a_reject_of_its_own_not_the_file_s(tmp_path):
    """A hostile-input review: one item that is no article in a wrapper ({"items": [a, b, 5]}) rejected the whole
    file as "no body text ...; it holds items", and its good articles were lost."""
    items = [{"id": "a", "title": "Bridge", "text": BODY}, {"id": "b", "title": "Dam", "text": BODY + " The dam opened."}, 5]
    (tmp_path / "w1.json").write_text(json.dumps({"items": items}), encoding="utf-8")
    (tmp_path / "w2.json").write_text(json.dumps({"articles": [{"id": "c", "title": "Road", "text": BODY}, {"foo": 1}]}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert sorted(docs["article_id"].to_list()) == ["a", "b", "c"]
    assert rejects["path"].to_list() == ["w1.json:3", "w2.json:2"]
    assert rejects["reason"][0] == "expected a JSON object, got a number" and rejects["reason"][1].endswith("it holds foo")


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Northland Courier</title><link>https://courier.example/</link>
<item><title>Jail stormed in Quetta</title><link>https://courier.example/jail</link>
<guid isPermaLink="false">courier-7781</guid><pubDate>Sat, 31 Jan 2026 18:05:00 +0500</pubDate>
<description>Short teaser only.</description>
<content:encoded><![CDATA[<p>{BODY}</p><p>Photo: Courier staff</p><p>Officials said the jail was secured by Sunday.</p>]]></content:encoded>
</item>
<item><title>Dam opened</title><link>https://courier.example/dam</link><source url="https://wire.example/">Wire Agency</source>
<description>{BODY} The dam opened &amp; water flowed.</description></item>
<item><title>Headline only</title></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hill Gazette</title><id>urn:gazette</id>
<entry><id>urn:gazette:1</id><title type="html">Bridge &lt;b&gt;reopens&lt;/b&gt;</title>
<link rel="self" href="https://gazette.example/api/1"/><link href="https://gazette.example/bridge"/>
<published>2026-02-01T09:00:00Z</published><updated>2026-02-02T09:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{BODY}</p><p>Traffic resumed at noon.</p></div></content>
</entry></feed>"""


def test_an_rss_feed_s_items_are_articles(tmp_path):
    """Made-up RSS 2.0: the full text (content:encoded) wins over the teaser, the channel's title is the
    source of items without their own, the guid is the id; an item without a body is one reject."""
    (tmp_path / "courier.rss").write_text(RSS, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    rows = {r["article_id"]: r for r in docs.iter_rows(named=True)}
    assert sorted(rows) == ["courier-7781", "https://courier.example/dam"]  # no guid: known by its link, not its place
    jail = rows["courier-7781"]
    assert (jail["title"], jail["source"], jail["url"]) == ("Jail stormed in Quetta", "Northland Courier", "https://courier.example/jail")
    assert jail["published"].isoformat() == "2026-01-31T13:05:00+00:00"
    assert jail["text"].split("\n\n") == [BODY, "Officials said the jail was secured by Sunday."]  # the caption line is gone
    dam = rows["https://courier.example/dam"]
    assert dam["source"] == "Wire Agency" and dam["text"].endswith("& water flowed.")
    assert rejects["path"].to_list() == ["courier.rss:3"]
    assert _reason(rejects, "courier.rss:3") == "RSS item with no text (no description or content:encoded)"


def test_an_atom_feed_s_entries_are_articles(tmp_path):
    (tmp_path / "gazette.atom").write_text(ATOM, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    row = docs.row(0, named=True)
    assert (row["article_id"], row["source"], row["url"]) == ("urn:gazette:1", "Hill Gazette", "https://gazette.example/bridge")
    assert row["published"].isoformat() == "2026-02-01T09:00:00+00:00"  # published, not updated
    assert row["text"].split("\n\n") == [BODY, "Traffic resumed at noon."]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("<rss><channel><title>x</title>", "invalid XML"),
        ('<?xml version="1.0"?><sitemap><url>x</url></sitemap>', "XML that is no RSS, Atom, NewsML-G2 or NITF document (root element <sitemap>)"),
        ("<rss version='2.0'><channel><title>Empty</title></channel></rss>", "feed with no items"),
    ],
)
def test_bad_feed_is_rejected_with_reason(tmp_path, data, reason):
    (tmp_path / "feed.xml").write_text(data, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.height == 0 and reason in _reason(rejects, "feed.xml")


def test_a_feed_s_entities_are_neither_expanded_nor_fetched(tmp_path):
    """An XML bomb is one reject, never memory; an external entity is never read (here: a local file), and
    costs its feed a reject. Undeclared HTML entities and comments keep the text whole."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    levels = "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefg", "bcdefgh"))
    bomb = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">{levels}]>'
    (inputs / "bomb.xml").write_text(bomb + f"<rss><channel><item><title>&h;</title><description>{BODY}</description></item></channel></rss>", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET " * 20, encoding="utf-8")
    (inputs / "leak.rss").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>'
        f"<rss><channel><item><title>Leak &s;</title><description>{BODY} &s;</description></item></channel></rss>",
        encoding="utf-8",
    )
    (inputs / "old.rss").write_text(
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">'
        "<channel><title>Old&nbsp;Courier</title><item><title>Caf&eacute; reopens</title>"
        f"<description>The caf&eacute; <!-- ad --> reopened on Monday. {BODY}</description></item></channel></rss>",
        encoding="utf-8",
    )
    docs, rejects = _ingest(inputs)
    assert _reason(rejects, "bomb.xml").startswith("invalid XML")
    assert _reason(rejects, "leak.rss").startswith("invalid XML: Entity 's' not defined")
    assert docs.height == 1
    old = docs.row(0, named=True)
    assert (old["path"], old["title"], old["source"]) == ("old.rss:1", "Caf\u00e9 reopens", "Old Courier")
    assert old["text"].startswith("The caf\u00e9 reopened on Monday. Police in Quetta")


def test_empty_json_array_is_rejected(tmp_path):
    (tmp_path / "empty_feed.json").write_text("[]", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.height == 0
    assert rejects["path"].to_list() == ["empty_feed.json"]


def test_a_reject_reason_is_one_line_whatever_the_input_names(tmp_path):
    """An operator's review: an object without a body, with a key holding a line break, gave a reason of two lines."""
    (tmp_path / "keys.json").write_text(json.dumps({"weird\nkey": 1, "other": 2}), encoding="utf-8")
    reason = _reason(_ingest(tmp_path)[1], "keys.json")
    assert "\n" not in reason and reason.endswith("it holds weird key, other")


def test_a_page_nested_past_the_parser_s_limit_is_read_or_rejected_saying_so(tmp_path):
    """An operator's review: a page of 300 nested divs was "HTML page with no article text", though the text is there
    (libxml2 stops at 256 levels); past 2,048 levels the reason says why."""
    paragraphs = f"<p>{BODY}</p><p>Officials said a new vote would be held next week.</p>"
    for depth in (300, 3000):
        page = f"<html><head><title>Jail raid</title></head><body>{'<div>' * depth}{paragraphs}{'</div>' * depth}</body></html>"
        (tmp_path / f"deep{depth}.html").write_text(page, encoding="utf-8")
    (tmp_path / "body.json").write_text(json.dumps({"id": "b", "title": "Jail raid", "body_html": "<div>" * 3000 + paragraphs}),
                                        encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert _doc(docs, "deep300")["text"] == BODY + "\n\nOfficials said a new vote would be held next week."
    # (a review's) text before the deep part, and after it, is all read
    page = (f"<html><head><title>Jail raid</title></head><body><p>Officials met on Monday at the town hall to talk.</p>"
            f"{'<div>' * 300}{paragraphs}{'</div>' * 300}</body></html>")
    (tmp_path / "deep300.html").write_text(page, encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "deep300")["text"].endswith("Officials said a new vote would be held next week.")
    assert _reason(rejects, "deep3000.html") == "HTML page nested deeper than 2,048 elements: its text cannot be read"
    assert _reason(rejects, "body.json") == "HTML body nested deeper than 2,048 elements: its text cannot be read"


def test_duplicate_article_id_keeps_the_first_file(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"id": "same", "title": "First", "text": BODY}), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"id": "same", "title": "Second", "text": BODY + " Again."}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.select("article_id", "title").rows() == [("same", "First")]
    assert _reason(rejects, "b.json") == "duplicate article_id 'same' (first in a.json)"


def test_inputs_whose_names_give_one_id_are_each_an_article(tmp_path):
    """An operator's review: story.txt and story.html (two feeds saving under one name) both took the id 'story' from
    their names, and the second, another article, was a reject, "duplicate article_id". An id from a name that another
    input's name gave first is the input's path; an id an item gives itself is still a duplicate."""
    (tmp_path / "story.txt").write_text("Markets fall\n\n" + BODY, encoding="utf-8")
    (tmp_path / "story.html").write_text(f"<html><body><article><h1>Storm hits</h1><p>{BODY} Storm.</p></article></body></html>",
                                         encoding="utf-8")
    lines = [{"title": "Ferries stop", "text": BODY + " Ferries."}, {"id": "story.txt", "title": "Taken", "text": BODY}]
    for name in ("wire.json", "wire.jsonl"):  # both items 1 'wire:1'
        (tmp_path / name).write_text(json.dumps(lines) if name == "wire.json" else json.dumps(lines[0]), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.select("article_id", "path").sort("path").rows() == [
        ("story", "story.html"), ("story.txt", "story.txt"), ("wire:1", "wire.json:1"), ("wire.jsonl:1", "wire.jsonl:1")]
    assert rejects.rows() == [("wire.json:2", "duplicate article_id 'story.txt' (first in story.txt)")]
    # two files whose names would show alike (a review's: 'note.txt:1' and a file named 'note.txt\x3a1')
    for name in ("note.txt:1", "note.txt\\x3a1"):
        (tmp_path / name).write_text("A note that is not read, being of no type newsdedup reads.", encoding="utf-8")
    assert sorted(r for r in _ingest(tmp_path)[1]["path"].to_list() if r.startswith("note")) == ["note.txt\\x3a1", "note.txt\\x5cx3a1"]
    for name in ("note.txt:1", "note.txt\\x3a1"):
        (tmp_path / name).unlink()
    # an item's own id read after a name that gave it: the name's input yields (an operator's review: the item was a
    # reject, "duplicate article_id 'story' (first in story.txt)", and was in no story)
    for name in ("story.html", "wire.json"):
        (tmp_path / name).unlink()
    (tmp_path / "wire.jsonl").write_text(json.dumps({"id": "story", "title": "Quake", "text": BODY + " Quake."}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.select("article_id", "path").sort("path").rows() == [("story.txt", "story.txt"), ("story", "wire.jsonl:1")]
    assert rejects.height == 0


def test_an_item_repeated_further_down_its_file_replaces_the_earlier_one(tmp_path):
    """A JSONL log gets a correction appended under the item's id: the later line stands, the earlier is a reject
    saying which line replaced it; another file repeating the id is still a duplicate of the first file's."""
    lines = [{"id": "a", "title": "Jail raid", "text": BODY}, {"id": "b", "title": "Other", "text": BODY + " Two."},
             {"id": "a", "title": "CORRECTED: Jail raid", "text": BODY + " Corrects the district's name."}]
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    (tmp_path / "x.json").write_text(json.dumps({"id": "a", "title": "Late copy", "text": BODY}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.select("article_id", "path", "title").rows() == [
        ("a", "wire.jsonl:3", "CORRECTED: Jail raid"), ("b", "wire.jsonl:2", "Other")]
    assert rejects.sort("path").rows() == [("wire.jsonl:1", "replaced by a newer item with the same id (wire.jsonl:3)"),
                                           ("x.json", "duplicate article_id 'a' (first in wire.jsonl:3)")]


def test_of_an_id_repeated_in_a_file_the_newer_item_stands_and_one_that_is_no_article_replaces_nothing(tmp_path):
    """A feed lists its newest items first; dates decide wherever both items give one; a later line too short to be
    an article (a one-line correction note) leaves the article standing."""
    def line(title, text, published=None):
        return json.dumps({"id": "a", "title": title, "text": text, **({"published": published} if published else {})})

    (tmp_path / "newest_first.json").write_text(
        "[" + ",".join([line("Updated", BODY + " Update.", "2026-02-01T18:00:00Z"), line("First", BODY, "2026-02-01T09:00:00Z")]) + "]",
        encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["title"].to_list() == ["Updated"]
    assert rejects.rows() == [("newest_first.json:2", "duplicate article_id 'a' (first in newest_first.json:1)")]
    (tmp_path / "newest_first.json").unlink()
    (tmp_path / "log.jsonl").write_text("\n".join([line("Story", BODY), line("Note", "Corrects vote count.")]), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs.select("title", "path").rows() == [("Story", "log.jsonl:1")]
    assert rejects.rows() == [("log.jsonl:2", "body too short (3 words, need 8)")]


def test_file_too_large_is_rejected_unread(tmp_path):
    (tmp_path / "big.txt").write_text(BODY * 20, encoding="utf-8")
    docs, rejects = read_inputs(tmp_path, IngestConfig(max_file_mb=0.001))
    assert docs.height == 0
    assert _reason(rejects, "big.txt").startswith("file too large")


def test_a_linked_folder_is_read_and_a_loop_is_a_reject(tmp_path):
    """A feed's folder linked into the input is read like any folder; a link back up (a loop) or a second link
    to a folder already read is rejected with its reason, never walked twice nor left out silently."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    (elsewhere / "a.txt").write_text(BODY, encoding="utf-8")
    (elsewhere / "sub" / "loop").symlink_to(elsewhere)
    root = tmp_path / "in"
    root.mkdir()
    (root / "wire").symlink_to(elsewhere)
    (root / "wire2").symlink_to(elsewhere)
    docs, rejects = _ingest(root)
    assert docs["path"].to_list() == ["wire/a.txt"]
    reason = "link to a folder already read, or holding the input (a loop, or another path to it)"
    assert dict(rejects.select("path", "reason").iter_rows()) == {"wire/sub/loop": reason, "wire2": reason}
    # a link to a folder of the input itself, wherever it sits, is the reject: the folder keeps its articles' ids
    (root / "feeds" / "reuters").mkdir(parents=True)
    (root / "feeds" / "reuters" / "b.txt").write_text(BODY, encoding="utf-8")
    (root / "latest").symlink_to(root / "feeds" / "reuters")
    docs, rejects = _ingest(root)
    assert docs["path"].to_list() == ["feeds/reuters/b.txt", "wire/a.txt"]
    assert dict(rejects.select("path", "reason").iter_rows())["latest"] == reason
    # a link up the tree holds the input itself (and what lies beside it): rejected, nothing read twice
    (root / "feeds" / "up").symlink_to(tmp_path)
    (tmp_path / "beside.txt").write_text(BODY, encoding="utf-8")
    docs, rejects = _ingest(root)
    assert docs["path"].to_list() == ["feeds/reuters/b.txt", "wire/a.txt"]
    assert dict(rejects.select("path", "reason").iter_rows())["feeds/up"] == reason
    # a folder inside a linked one, linked again, is read once: through the first path the walk takes
    (elsewhere / "sub" / "c.txt").write_text(BODY + " Sub.", encoding="utf-8")
    (root / "sub2").symlink_to(elsewhere / "sub")
    docs, rejects = _ingest(root)
    assert docs["path"].to_list() == ["feeds/reuters/b.txt", "sub2/c.txt", "wire/a.txt"]
    assert dict(rejects.select("path", "reason").iter_rows())["wire/sub"] == "folder already read through another path (a second link to it)"


def test_a_broken_link_and_a_pipe_are_rejected_not_skipped(tmp_path):
    """Not regular files, but inputs all the same: each gets its reason, and the pipe is never opened
    (reading it would wait for a writer forever)."""
    import os

    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "feed.txt")
    (tmp_path / "ok.txt").write_text(BODY, encoding="utf-8")
    assert [p.name for p in list_inputs(tmp_path)] == ["feed.txt", "gone.txt", "ok.txt"]
    docs, rejects = _ingest(tmp_path)
    assert docs["path"].to_list() == ["ok.txt"]
    assert _reason(rejects, "gone.txt") == "broken symbolic link (its target does not exist)"
    assert _reason(rejects, "feed.txt") == "not a regular file"


def test_a_file_name_that_is_not_utf8_and_half_a_character_are_stored_not_a_crash(tmp_path):
    """Both once stopped a whole run (polars cannot store lone surrogates)."""
    import os

    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text(BODY, encoding="utf-8")
    (tmp_path / "half.json").write_text('[{"title": "x\\ud800", "text": "%s"}]' % BODY, encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    rows = dict(zip(docs["path"].to_list(), docs["title"].to_list()))
    assert rows["half.json:1"] == "x\ufffd"
    assert "caf\\xe9.txt" in rows  # the undecodable byte, escaped


def test_min_words_comes_from_the_config(tmp_path):
    (tmp_path / "short.txt").write_text("Militants stormed the district jail on Saturday.", encoding="utf-8")
    assert read_inputs(tmp_path, IngestConfig(min_words=5))[0].height == 1
    assert read_inputs(tmp_path, IngestConfig(min_words=50))[0].height == 0


def test_a_body_over_max_words_is_rejected(tmp_path):
    (tmp_path / "dump.txt").write_text(BODY, encoding="utf-8")
    n = len(BODY.split())
    assert read_inputs(tmp_path, IngestConfig(max_words=n))[0].height == 1
    docs, rejects = read_inputs(tmp_path, IngestConfig(max_words=n - 5))
    assert docs.height == 0
    assert _reason(rejects, "dump.txt") == f"body too long ({n} words, at most {n - 5}): not an article"


def test_empty_folder_gives_empty_tables_with_contract_columns(tmp_path):
    docs, rejects = _ingest(tmp_path)
    assert docs.height == 0 and rejects.height == 0
    assert dict(docs.schema) == DOCUMENTS and dict(rejects.schema) == REJECTS


def test_every_input_is_a_document_or_a_reject(tmp_path):
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, tmp_path)
    for copy in ("000_update.txt", "001_reparagraphed.json", "001_trimmed.txt", "004_copy.html"):
        shutil.copy(COPIES / copy, tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    (tmp_path / "bad" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "bad" / "nul.txt").write_bytes(b"abc\x00def")
    (tmp_path / "bad" / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "bad" / "short.txt").write_text("Too short.", encoding="utf-8")
    (tmp_path / "bad" / "dup.json").write_text(json.dumps({"id": "courier-001", "text": BODY}), encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": BODY}) + "\n{oops\n", encoding="utf-8")

    docs, rejects = _ingest(tmp_path)

    seen = docs["path"].to_list() + rejects["path"].to_list()
    for file in list_inputs(tmp_path):
        rel = file.relative_to(tmp_path).as_posix()
        assert any(p == rel or p.startswith(rel + ":") for p in seen), f"{rel} is in neither table"
    assert docs.height == 10  # 5 seeds + 4 copies + 1 good JSONL line
    assert rejects.height == 7
    assert docs["article_id"].is_unique().all()
    assert docs["article_id"].to_list() == sorted(docs["article_id"].to_list())


# --- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-01", datetime(2026, 2, 1, tzinfo=timezone.utc)),
        ("2026-02-01T09:00:00Z", datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
        ("2026-02-01T14:00:00+05:00", datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
        ("Sun, 01 Feb 2026 09:00:00 GMT", datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
        ("1 February 2026", datetime(2026, 2, 1, tzinfo=timezone.utc)),
        (1769936400, datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
        (1769936400000, datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
        ("", None),
        (None, None),
        ("not a date", None),
        # a year or a month alone is no day (dateparser's "no spaces" reading made "2026" 6 February 2020)
        ("2026", None), ("202602", None), (2026, None), (True, None),
        ("20260203", datetime(2026, 2, 3, tzinfo=timezone.utc)), (20260203, datetime(2026, 2, 3, tzinfo=timezone.utc)),
        ("1769936400", datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
        # a compact time (GDELT, the Wayback Machine); no number a clock gives
        ("20260203120000", datetime(2026, 2, 3, 12, tzinfo=timezone.utc)),
        ("202602031200", datetime(2026, 2, 3, 12, tzinfo=timezone.utc)),
        (-1770000000, None), (float("nan"), None), (float("inf"), None), (1e20, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("Feb 3, 2026 8:00 PM ET", "-05:00"),  # US Eastern in winter ...
        ("Jul 3, 2026 8:00 PM ET", "-04:00"),  # ... and in summer
        ("Feb 3, 2026 5:00 PM PT", "-08:00"),
        ("3 Feb 2026 08:00 AEDT", "+11:00"),  # dateparser read it as 08:00 UTC
        ("3 Feb 2026 08:00 HKT", "+08:00"),
        ("3 Feb 2026 08:00 MSK", "+03:00"),
    ],
)
def test_a_time_in_a_named_zone_keeps_that_zone(value, offset):
    """The day an editor reads ("8 PM ET" on the 3rd, not 01:00 UTC on the 4th) and the right instant."""
    parsed = parse_date(value)
    hours, minutes = int(offset[1:3]), int(offset[4:])
    assert parsed.utcoffset() == (1 if offset[0] == "+" else -1) * timedelta(hours=hours, minutes=minutes)
    assert parsed.hour in (8, 17, 20) and parsed.day == 3


# --- one bad item, one reject; bad bytes never stop a run ----------------------------------------------


def test_an_item_that_fails_in_any_way_costs_only_itself(tmp_path, monkeypatch):
    """A ninjs item with no bodies, a control character lxml refuses in an HTML body, an unexpected error
    in one item: each is (at most) its own reject, on one line, and the file's other items are kept."""
    no_bodies = {"id": "n2", "headlines": [{"value": "Empty"}], "bodies": []}
    (tmp_path / "batch.json").write_text(json.dumps([{"id": "n1", "text": BODY}, no_bodies, {"id": "n3", "text": BODY + " Three."}]), encoding="utf-8")
    vertical_tab = "<p>Ferries stopped at the harbour on Monday.\u000b The port reopened on Tuesday after the storm, officials said.</p>"
    lines = [{"id": "v1", "text": BODY}, {"id": "v2", "body_html": vertical_tab}, {"id": "boom", "text": BODY + " Boom."}, {"id": "v4", "text": BODY + " Four."}]
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    import newsdedup.ingest as ingest

    real = ingest.parse_record

    def failing(record, article_id, path):
        if record.get("id") == "boom":
            raise RuntimeError("parser bug\nsecond line")
        return real(record, article_id, path)

    monkeypatch.setattr(ingest, "parse_record", failing)
    docs, rejects = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["n1", "n3", "v1", "v2", "v4"]
    assert _doc(docs, "v2")["text"].startswith("Ferries stopped at the harbour on Monday. The port reopened")
    assert _reason(rejects, "batch.json:2").startswith("no body text")
    assert _reason(rejects, "lines.jsonl:3") == "could not parse: RuntimeError: parser bug second line"
    assert rejects.height == 2


def test_a_feed_item_that_cannot_be_read_costs_only_itself(tmp_path, monkeypatch):
    import newsdedup.feeds as feeds

    real = feeds._rss_item

    def failing(item, ns):
        if item.findtext("guid") == "bad":
            raise ValueError("odd item")
        return real(item, ns)

    monkeypatch.setattr(feeds, "_rss_item", failing)
    items = "".join(f"<item><guid>{g}</guid><title>T {g}</title><description>{BODY} {g}.</description></item>" for g in ("a", "bad", "c"))
    (tmp_path / "wire.rss").write_text(f"<rss><channel><title>Wire</title>{items}</channel></rss>", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert docs["article_id"].to_list() == ["a", "c"]
    assert _reason(rejects, "wire.rss:2") == "could not read: ValueError: odd item"


def test_broken_utf16_is_a_reject_and_the_run_goes_on(tmp_path):
    (tmp_path / "odd.txt").write_bytes(f"title Harbour reopens\n\n{BODY}\n".encode("utf-16") + b"x")
    (tmp_path / "fine.txt").write_text(BODY, encoding="utf-8")
    with pytest.raises(BadInput, match="broken UTF-16 text"):
        decode((tmp_path / "odd.txt").read_bytes())
    docs, rejects = _ingest(tmp_path)
    assert docs["path"].to_list() == ["fine.txt"]
    assert _reason(rejects, "odd.txt").startswith("broken UTF-16 text: truncated data")


def _failing_with(exc: Exception):
    """A stand-in for a function that has a bug: it raises exc."""

    def fail(*args, **kwargs):
        raise exc

    return fail


def test_an_unexpected_error_reading_or_cleaning_is_a_reject(tmp_path, monkeypatch):
    import newsdedup.ingest as ingest

    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    monkeypatch.setattr(ingest, "decode", _failing_with(LookupError("no codec")))
    assert _reason(_ingest(tmp_path)[1], "a.txt") == "could not read: LookupError: no codec"
    monkeypatch.undo()
    monkeypatch.setattr(ingest, "to_document", _failing_with(KeyError("x")))
    assert _reason(_ingest(tmp_path)[1], "a.txt") == "could not clean: KeyError: 'x'"


def test_jsonl_lines_end_only_at_line_breaks(tmp_path):
    """U+2028, U+2029 and NEL are valid raw inside a JSON string: they split no JSONL line."""
    first = json.dumps({"id": "s1", "text": f"Ferries stopped at the harbour.\u2028{BODY}\u2029End\x85."}, ensure_ascii=False)
    second = json.dumps({"id": "s2", "text": BODY + " Two."})
    (tmp_path / "feed.jsonl").write_text(f"{first}\r\n{second}\n", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert docs["path"].to_list() == ["feed.jsonl:1", "feed.jsonl:2"]


# --- wrapped paragraphs --------------------------------------------------------------------------------


def test_a_paragraph_wrapped_in_html_source_is_one_line(tmp_path):
    wrapped = "<p>HARBOURTON (Wire) - Ferries stopped at the\nHarbourton terminal on Monday after a\n  storm, officials said.</p>\n<p>Service resumed on\nTuesday.</p>"
    rss = (
        '<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Coast News</title><item>'
        f"<guid>w1</guid><title>Ferries stop</title><content:encoded><![CDATA[{wrapped}]]></content:encoded></item></channel></rss>"
    )
    (tmp_path / "coast.rss").write_text(rss, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "w1")
    assert doc["dateline"] == "HARBOURTON (Wire)"
    assert doc["text"] == "Ferries stopped at the Harbourton terminal on Monday after a storm, officials said.\n\nService resumed on Tuesday."


def test_a_lead_opening_with_a_name_written_in_lower_case_is_not_the_headline_s_second_line(tmp_path):
    """A hostile-input review: "Apple results beat forecasts" over "iPhone sales rose ..." (no blank line) was one
    headline, "Apple results beat forecasts iPhone sales rose 6 percent ...", and the body repeated it."""
    (tmp_path / "apple.txt").write_text("Apple results beat forecasts\niPhone sales rose 6 percent in the quarter, the "
                                        "company said on Thursday.\neBay shares fell 2 percent after its own results.\n",
                                        encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "apple")
    assert doc["title"] == "Apple results beat forecasts"
    assert doc["text"].startswith("iPhone sales rose 6 percent") and "\n\neBay shares fell" in doc["text"]
    # a headline wrapped before such a name goes on, and so does a body line (a second review)
    record = parse_text(f"Apple to stop selling older\niPhone models in the EU\n\n{BODY}\n", "x", "x.txt")
    assert record.title == "Apple to stop selling older iPhone models in the EU"
    record = parse_text(f"Apple results\n\nSales of the older phones fell while Apple's\niPhone revenue rose 5 percent, it said.\n", "x", "x.txt")
    assert "Apple's iPhone revenue rose 5 percent" in " ".join(record.lines)


def test_a_hard_wrapped_text_file_is_joined_but_headlines_and_subheadings_stay_lines(tmp_path):
    text = (
        "Ferries stop at Harbourton\n\n"
        "HARBOURTON (Wire) - Ferries stopped at the\n"
        "Harbourton terminal on Monday after a storm cut power to\n"
        "the port, officials said.\n\n"
        "Repairs under way\n"
        "Crews restored power to\n"
        "12 of the 14 berths by the evening, the port said.\n"
    )
    (tmp_path / "coast.txt").write_text(text, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "coast")
    assert doc["title"] == "Ferries stop at Harbourton"
    assert doc["text"] == (
        "Ferries stopped at the Harbourton terminal on Monday after a storm cut power to the port, officials said.\n\n"
        "Crews restored power to 12 of the 14 berths by the evening, the port said."
    )  # "Repairs under way" is a subheading, as before


# --- headers, dates and titles -------------------------------------------------------------------------


def test_capitalised_header_lines_with_a_colon_are_read(tmp_path):
    text = f"Date: 2026-02-03\nTitle: Ferries stop at Harbourton\nSource: Coast Wire\nURL: https://coast.example/1\n\n{BODY}\n"
    (tmp_path / "coast.txt").write_text(text, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "coast")
    assert (doc["title"], doc["source"], doc["url"]) == ("Ferries stop at Harbourton", "Coast Wire", "https://coast.example/1")
    assert doc["published"] == datetime(2026, 2, 3, tzinfo=timezone.utc)
    assert doc["text"] == BODY


def test_a_capitalised_header_word_without_a_colon_is_a_headline(tmp_path):
    (tmp_path / "h.txt").write_text(f"Author Jane Roe wins coastal prize\n\n{BODY}\n", encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "h")
    assert doc["title"] == "Author Jane Roe wins coastal prize" and doc["source"] is None


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("date 2026-02-03 10:04 IST", datetime(2026, 2, 3, 4, 34, tzinfo=timezone.utc)),  # India's
        ("date 2026-02-03 10:04 EST", datetime(2026, 2, 3, 15, 4, tzinfo=timezone.utc)),
        ("date 2026-02-03 10:04 CST", datetime(2026, 2, 3, 10, 4, tzinfo=timezone.utc)),  # US or China: ignored
        ("date March 4, 2026 09:20 CET", datetime(2026, 3, 4, 8, 20, tzinfo=timezone.utc)),  # a written date too
        ("Published: 4 March 2026, 09:20 CET", datetime(2026, 3, 4, 8, 20, tzinfo=timezone.utc)),
        ("date Mar 03, 2026, 08:10 IST", datetime(2026, 3, 3, 2, 40, tzinfo=timezone.utc)),
        ("Published: Mar 04, 2026 09:20 PM IST", datetime(2026, 3, 4, 15, 50, tzinfo=timezone.utc)),  # PM counts
        ("Published: 2026-02-03 10:04 +0530", datetime(2026, 2, 3, 4, 34, tzinfo=timezone.utc)),
    ],
)
def test_a_header_s_time_and_zone_are_neither_title_nor_text(tmp_path, header, published):
    (tmp_path / "t.txt").write_text(f"{header}\ntitle Ferries stop at Harbourton\n\n{BODY}\n", encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "t")
    assert doc["title"] == "Ferries stop at Harbourton"
    assert doc["text"] == BODY
    assert doc["published"] == published


def test_a_date_s_half_of_the_day_and_its_offset_count():
    from newsdedup.ingest import parse_date

    assert parse_date("March 4, 2026 9:20 PM") == datetime(2026, 3, 4, 21, 20, tzinfo=timezone.utc)
    assert parse_date("March 4, 2026 12:30 AM PST") == datetime(2026, 3, 4, 8, 30, tzinfo=timezone.utc)
    # an offset the text gives wins over a zone's name after it
    assert parse_date("Wed, 04 Mar 2026 09:20:00 +0000 (EST)") == datetime(2026, 3, 4, 9, 20, tzinfo=timezone.utc)


def test_an_article_keeps_the_zone_its_source_dated_it_in(tmp_path):
    """A feed's "Sun, 01 Feb 2026 21:00:00 -0500" is stored in UTC (Monday 02:00, for ordering and windows) with its
    offset, so that the reports show the Sunday the outlet printed; a date in UTC, or giving no zone, has none."""
    from datetime import timedelta

    from newsdedup.schema import local_time

    items = [
        {"id": "ny", "title": "Evening edition", "text": BODY, "published": "Sun, 01 Feb 2026 21:00:00 -0500"},
        {"id": "delhi", "title": "Morning edition", "text": BODY, "published": "2026-02-02T08:15:00+05:30"},
        {"id": "wire", "title": "Wire", "text": BODY, "published": "2026-02-02T02:00:00Z"},
        {"id": "day", "title": "A day alone", "text": BODY, "published": "2026-02-01"},
    ]
    (tmp_path / "feed.json").write_text(json.dumps(items), encoding="utf-8")
    docs = {row["article_id"]: row for row in _ingest(tmp_path)[0].iter_rows(named=True)}
    assert docs["ny"]["published"] == datetime(2026, 2, 2, 2, 0, tzinfo=timezone.utc)
    assert docs["ny"]["utc_offset"] == timedelta(hours=-5)
    assert docs["delhi"]["utc_offset"] == timedelta(hours=5, minutes=30)
    assert docs["wire"]["utc_offset"] is None and docs["day"]["utc_offset"] is None
    assert local_time(docs["ny"]).strftime("%A %Y-%m-%d %H:%M") == "Sunday 2026-02-01 21:00"
    assert local_time(docs["delhi"]).strftime("%Y-%m-%d %H:%M") == "2026-02-02 08:15"
    assert local_time(docs["wire"]) == docs["wire"]["published"]
    assert local_time({"published": None, "utc_offset": None}) is None


def test_ninjs_first_created_dates_an_article_not_its_latest_version(tmp_path):
    record = {"uri": "urn:x:1", "firstcreated": "2026-02-03T09:00:00Z", "versioncreated": "2026-02-05T18:00:00Z", "body_text": BODY}
    (tmp_path / "n.json").write_text(json.dumps(record), encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "urn:x:1")["published"] == datetime(2026, 2, 3, 9, 0, tzinfo=timezone.utc)


def test_a_later_version_is_dated_when_it_was_issued(tmp_path):
    """A wire's UPDATE 2 (ninjs "version": "3") repeats its story's firstcreated: its own time is versioncreated."""
    record = {"uri": "urn:x:3", "version": "3", "firstcreated": "2026-03-03T07:45:00+05:30",
              "versioncreated": "2026-03-03T18:20:00+05:30", "headlines": [{"value": "Toll rises"}],
              "bodies": [{"role": "main", "value": BODY}]}
    (tmp_path / "n.json").write_text(json.dumps(record), encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "urn:x:3@v3")["published"] == datetime(2026, 3, 3, 12, 50, tzinfo=timezone.utc)
    (tmp_path / "odd.json").write_text(json.dumps({**record, "uri": "urn:x:4", "version": "\u00b2"}), encoding="utf-8")
    assert "urn:x:4" in _ingest(tmp_path)[0]["article_id"].to_list()  # a version that is no number: none


def test_a_later_version_in_a_file_of_its_own_is_an_article_of_its_own(tmp_path):
    """AP and Reuters send version 2 of an item as a new file with the item's uri: not a duplicate of version 1 to
    reject, but an article of its own (an update of the first, for the copy stage)."""
    first = {"uri": "urn:x:9", "version": "1", "firstcreated": "2026-03-03T07:45:00Z", "headline": "Talks open",
             "body_text": BODY}
    second = {**first, "version": "2", "versioncreated": "2026-03-03T11:00:00Z", "headline": "Talks moved",
              "body_text": BODY + " The meeting was moved to Thursday, and 14 lawmakers said they would attend."}
    (tmp_path / "v1.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "v2.json").write_text(json.dumps(second), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0 and docs["article_id"].to_list() == ["urn:x:9", "urn:x:9@v2"]
    (tmp_path / "v2 again.json").write_text(json.dumps(second), encoding="utf-8")  # the same version sent twice
    assert _reason(_ingest(tmp_path)[1], "v2.json") == "duplicate article_id 'urn:x:9@v2' (first in v2 again.json)"


def test_a_file_mostly_in_utf8_keeps_its_utf8_and_reads_a_stray_cp1252_byte():
    data = "Harbourton\u2019s ferries stopped \u2014 the \u201cworst\u201d storm in years.".encode("utf-8") + b" It was 4\xb0C, \x93cold\x94."
    assert decode(data) == "Harbourton\u2019s ferries stopped \u2014 the \u201cworst\u201d storm in years. It was 4\u00b0C, \u201ccold\u201d."


def test_one_curly_quote_in_utf8_keeps_the_utf8_whatever_the_stray_cp1252_bytes():
    # as many stray bytes (or more) as UTF-8 characters read the whole file as cp1252 before: "mayorâ€™s"
    assert decode("The mayor\u2019s budget".encode("utf-8") + b" passed 7\x962.") == "The mayor\u2019s budget passed 7\u20132."
    data = "The mayor\u2019s budget".encode("utf-8") + b" \x93passed\x94 7\x962, \x85"
    assert decode(data) == "The mayor\u2019s budget \u201cpassed\u201d 7\u20132, \u2026"
    # a cp1252 file whose letters happen to form a two-byte UTF-8 sequence is read as cp1252 ("\u00e0", "\u00ef"
    # kept), and then that sequence, double-encoded UTF-8 as it reads, is decoded once more
    data = "Caf\u00c3\u00a9 \u00e0 la carte, na\u00efve".encode("cp1252")
    assert _decode(data) == "Caf\u00c3\u00a9 \u00e0 la carte, na\u00efve"
    assert decode(data) == "Caf\u00e9 \u00e0 la carte, na\u00efve"


def test_a_web_page_s_outlet_is_a_name_not_its_headline_and_its_title_tag_can_give_it(tmp_path):
    body = f"<p>{BODY}</p><p>Ferries stopped at the Harbourton terminal on Monday after a storm cut power.</p>"
    pages = {
        # trafilatura takes all but the last part of this title for the site's name: a headline
        "metro": ("<title>Ferries stop at Harbourton after the storm cut power - Metro Wire | Metro Wire</title>",
                  "<h1>Ferries stop at Harbourton after the storm cut power</h1>"),
        # no site name in the markup: the outlet the <title> ends with
        "fox": ("<title>Ferries stop at Harbourton after the storm | Fox News</title>", "<h1>Ferries stop at Harbourton after the storm</h1>"),
        "named": ('<meta property="og:site_name" content="Coast News"><title>Ferries stop</title>', "<h1>Ferries stop</h1>"),
    }
    for name, (head, h1) in pages.items():
        (tmp_path / f"{name}.html").write_text(f"<html><head>{head}</head><body><article>{h1}{body}</article></body></html>",
                                               encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert {name: _doc(docs, name)["source"] for name in pages} == {"metro": "Metro Wire", "fox": "Fox News", "named": "Coast News"}


def test_a_web_page_is_not_dated_by_its_copyright_line(tmp_path):
    page = (
        "<html><head><title>Ferries stop at Harbourton</title>{meta}</head><body><article><h1>Ferries stop at Harbourton</h1>"
        f"<p>{BODY}</p><p>Ferries stopped at the Harbourton terminal on Monday after a storm cut power.</p></article>"
        "<footer>&copy; 2019 Coast News. All rights reserved.</footer></body></html>"
    )
    (tmp_path / "undated.html").write_text(page.format(meta=""), encoding="utf-8")
    meta = '<meta property="article:published_time" content="2026-02-01T08:00:00Z">'
    (tmp_path / "dated.html").write_text(page.format(meta=meta), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert _doc(docs, "undated")["published"] is None
    assert _doc(docs, "dated")["published"].date() == date(2026, 2, 1)  # the first of a month in the markup stays


def test_a_web_page_keeps_the_time_and_zone_of_its_publication(tmp_path):
    """Dated by its day alone, a page would come before every wire version of that day (00:00 UTC)."""
    meta = '<meta property="article:published_time" content="2026-03-03T12:05:00+05:30">'
    (tmp_path / "p.html").write_text(
        f"<html><head><title>Ferries stop</title>{meta}</head><body><article><h1>Ferries stop</h1><p>{BODY}</p>"
        "<p>Ferries stopped at the Harbourton terminal on Monday after a storm cut power.</p></article></body></html>",
        encoding="utf-8",
    )
    assert _doc(_ingest(tmp_path)[0], "p")["published"] == datetime(2026, 3, 3, 6, 35, tzinfo=timezone.utc)


def _text_doc(tmp_path: Path, name: str, text: str) -> dict:
    """The document of one .txt file with this text."""
    (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    return _doc(_ingest(tmp_path)[0], name)


def test_the_headline_of_a_text_is_the_first_line_that_is_no_furniture(tmp_path):
    """A section label, a byline naming an agency or an "Updated:" line above the headline is not the headline."""
    (tmp_path / "kicker.txt").write_text(
        "date 2026-02-03\nWorld | Europe\nDock strike ends after pay deal\n"
        "ROTTERDAM (Wire) - Dock workers ended a 48-hour strike on Tuesday, the union said.\n", encoding="utf-8")
    (tmp_path / "byline.txt").write_text(
        "date 2026-02-03\nBy Asha Rao, Press Trust of India\nUpdated: 3 Feb 2026 10:04 IST\n"
        "Kochi, Feb 3: Heavy rain shut more than 1,500 schools across the state on Tuesday, officials said.\n",
        encoding="utf-8")
    docs, _ = _ingest(tmp_path)
    kicker, byline = _doc(docs, "kicker"), _doc(docs, "byline")
    assert (kicker["title"], kicker["dateline"]) == ("Dock strike ends after pay deal", "ROTTERDAM (Wire)")
    assert kicker["text"] == "Dock workers ended a 48-hour strike on Tuesday, the union said."
    assert byline["dateline"] == "Kochi, Feb 3"
    assert byline["text"] == "Heavy rain shut more than 1,500 schools across the state on Tuesday, officials said."


@pytest.mark.parametrize("headline", ["WATCH: Army says 92 militants killed in raids", "VIDEO | Floods hit Kerala"])
def test_a_headline_under_a_media_label_is_the_headline(tmp_path, headline):
    """A broadcaster's "WATCH:" or "VIDEO |" headline was dropped as a promo line, and the lead became the title."""
    doc = _text_doc(tmp_path, "v", f"date 2026-02-03\n{headline}\n\nQUETTA (Wire) - Security forces killed 92 militants on "
                    "Saturday, the army said.\n\nWATCH: Minister visits the wounded\n\nAt least 31 civilians died.\n")
    assert doc["title"] == headline
    assert doc["text"] == "Security forces killed 92 militants on Saturday, the army said.\n\nAt least 31 civilians died."


@pytest.mark.parametrize("credit", ["Video: Reuters", "Photos: AFP/Getty Images", "Photo: courtesy of the White House",
                                    "Video: Screengrab from social media", "Photos: Courtesy of the family",
                                    "WATCH: Minister visits the wounded in hospital"])  # a promo above the headline
def test_a_media_credit_above_the_headline_is_not_the_headline(tmp_path, credit):
    doc = _text_doc(tmp_path, "c", f"date 2026-02-03\n{credit}\nDock strike ends after pay deal\n\nDock workers ended a "
                    "48-hour strike on Tuesday, the union said.\n")
    assert doc["title"] == "Dock strike ends after pay deal"


def test_a_dateline_alone_on_its_line_is_split_off_the_paragraph_under_it(tmp_path):
    doc = _text_doc(tmp_path, "fed", "date 2026-02-03\nWASHINGTON (Wire) \u2014\nThe central bank left its rate unchanged on Tuesday, officials said.\n")
    assert doc["dateline"] == "WASHINGTON (Wire)"
    assert doc["text"] == "The central bank left its rate unchanged on Tuesday, officials said."


@pytest.mark.parametrize("headline", ["Will the bank cut rates in March?", "Minister: 'We will not bow to threats'"])
def test_a_question_or_a_quotation_can_be_a_headline(tmp_path, headline):
    doc = _text_doc(tmp_path, "q", f"date 2026-02-03\n{headline}\nLONDON (Wire) - Officials signalled on Tuesday that they were in no hurry, "
        "with two policymakers saying inflation remained too high.\n")
    assert (doc["title"], doc["dateline"]) == (headline, "LONDON (Wire)")
    assert doc["text"].startswith("Officials signalled on Tuesday")


def test_a_wire_flash_text_file_is_its_headline(tmp_path):
    flash = "Senate passes $1.9 trillion relief bill after all-night session"
    (tmp_path / "flash.txt").write_text(f"date 2026-02-03\n{flash}\n", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    assert (_doc(docs, "flash")["title"], _doc(docs, "flash")["text"]) == (flash, flash)


def test_an_accented_dateline_is_split_off(tmp_path):
    doc = _text_doc(tmp_path, "b", "Ceasefire agreed\nBOGOT\u00c1, Colombia (Wire) \u2014 The government and the rebels agreed on Tuesday to a "
        "six-month ceasefire, negotiators said.\n")
    assert doc["dateline"] == "BOGOT\u00c1, Colombia (Wire)"
    assert doc["text"].startswith("The government and the rebels")


def test_a_figure_caption_in_an_html_body_is_no_story_text(tmp_path):
    body = ("<p>The council voted 9-3 on Tuesday to approve a $1.2 billion budget.</p><figure><img src='x.jpg'>"
            "<figcaption>Council members vote on the budget on Tuesday.</figcaption></figure>"
            "<p>The mayor said the budget adds 120 police officers.</p>")
    (tmp_path / "c.json").write_text(json.dumps({"id": "c1", "title": "Budget passes", "body_html": body}), encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "c1")
    assert doc["text"] == ("The council voted 9-3 on Tuesday to approve a $1.2 billion budget.\n\n"
                           "The mayor said the budget adds 120 police officers.")


STORY = ("Heavy rain caused the river to burst its banks on Monday, forcing hundreds of residents to leave their homes. "
         "Officials said 42 people were rescued by boat and two were missing.")


def test_utf32_a_byte_order_mark_alone_and_stray_nuls(tmp_path):
    """UTF-32's mark was read as UTF-16's (a title of NULs between letters); a mark alone is an empty file; NULs past the
    first 64 KB were kept in the text (report.md became "binary" to grep)."""
    (tmp_path / "u32.txt").write_bytes(("Flood toll rises\n" + STORY).encode("utf-32"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf\n")
    (tmp_path / "nul.txt").write_bytes(("Flood toll rises\n" + STORY + "\n" + "x " * 40_000).encode() + b"\x00\x00 The end.")
    docs, rejects = _ingest(tmp_path)
    assert _doc(docs, "u32")["title"] == "Flood toll rises" and _doc(docs, "u32")["text"] == STORY
    assert _reason(rejects, "bom.txt") == "empty file"
    assert "\x00" not in _doc(docs, "nul")["text"]


def test_a_declared_encoding_is_used_and_an_unknown_one_is_a_reject(tmp_path):
    """A page's meta charset and an XML declaration were ignored (ISO-8859-2's "\u0141\u00f3d\u017a" read as cp1252 is
    "\u00a3\u00f3d\u00bc"); Shift-JIS or GB18030 text without a declaration was kept as cp1252 mojibake."""
    place = "\u0141\u00f3d\u017a"
    page = (f'<html><head><meta charset="iso-8859-2"><title>Flood in {place}</title></head><body><article>'
            f"<h1>Flood in {place}</h1><p>{STORY} The city of {place} opened three shelters on Tuesday.</p></article></body></html>")
    (tmp_path / "page.html").write_bytes(page.encode("iso-8859-2"))
    feed = (f'<?xml version="1.0" encoding="iso-8859-2"?><rss version="2.0"><channel><title>Ledger</title><item>'
            f"<guid>x1</guid><title>Flood in {place}</title><description>{STORY}</description></item></channel></rss>")
    (tmp_path / "feed.xml").write_bytes(feed.encode("iso-8859-2"))
    japanese = "\u6771\u4eac\u3067\u5927\u96e8\n\n\u6708\u66dc\u65e5\u3001\u5927\u96e8\u306b\u3088\u308a\u5ddd\u304c\u6c3e\u6feb\u3057\u3001\u6570\u767e\u4eba\u306e\u4f4f\u6c11\u304c\u907f\u96e3\u3057\u305f\u3002"
    (tmp_path / "sjis.txt").write_bytes(japanese.encode("shift_jis"))
    (tmp_path / "gb.txt").write_bytes(japanese.encode("gb18030"))
    (tmp_path / "french.txt").write_bytes(("Crue \u00e0 Orl\u00e9ans\nLa Loire a d\u00e9bord\u00e9 lundi et des centaines "
                                           "d'habitants ont quitt\u00e9 leurs maisons, selon la pr\u00e9fecture.").encode("cp1252"))
    docs, rejects = _ingest(tmp_path)
    assert place in _doc(docs, "page")["text"] and _doc(docs, "x1")["title"] == f"Flood in {place}"
    for name in ("sjis.txt", "gb.txt"):
        assert _reason(rejects, name).startswith("text encoding not recognised: neither UTF-8 nor cp1252"), name
    assert _doc(docs, "french")["title"] == "Crue \u00e0 Orl\u00e9ans"  # a few accents: cp1252 as before


def test_a_declared_encoding_is_read_as_a_browser_reads_it_and_never_over_utf8():
    """The review's cases: "iso-8859-1" is windows-1252 (its curly quotes were dropped as control characters); a UTF-8
    page with one stray byte stays UTF-8 whatever it declares; a UTF-16 label on 8-bit bytes is wrong; a Vietnamese
    UTF-8 text (a third of its letters accented) with a stray byte is no garbled text; a JSON file's bodies declare
    nothing for the file."""
    from newsdedup.ingest import decode

    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>The mayor\u2019s '
            "office said it \u201cwould not\u201d comment.</body></html>")
    assert "mayor\u2019s office said it \u201cwould not\u201d" in decode(page.encode("cp1252"))
    stray = '<meta charset="iso-8859-1"><p>Z\u00fcrich\u2019s mayor</p>'.encode("utf-8") + b"<!-- \x92 -->"
    assert "Z\u00fcrich\u2019s mayor" in decode(stray)
    assert "Plain page caf\u00e9" in decode('<meta charset="utf-16"><p>Plain page caf\u00e9</p>'.encode("cp1252"))
    vietnamese = "H\u00e0 N\u1ed9i, ng\u00e0y 3 th\u00e1ng 2 n\u0103m 2026. Theo th\u00f4ng tin t\u1eeb B\u1ed9 Y t\u1ebf, s\u1ed1 ca m\u1eafc m\u1edbi \u0111\u00e3 gi\u1ea3m."
    assert decode(vietnamese.encode("utf-8") + b" \x92").startswith(vietnamese)
    in_json = json.dumps({"body_html": '<meta charset="shift_jis"><p>Caf\u00e9 \u00e0 Orl\u00e9ans</p>'}, ensure_ascii=False)
    assert "Caf\u00e9 \u00e0 Orl\u00e9ans" in decode(in_json.encode("cp1252"))


def test_a_page_of_unclosed_font_tags_is_read_to_its_end(tmp_path):
    """An old CMS opens a <font> a paragraph and closes none: past 256 levels the parser dropped the rest, silently."""
    paragraphs = "".join(f'<font face="Arial">Paragraph {i} says the river rose again and more people were rescued.<br>'
                         for i in range(2500))  # past libxml2's 256 levels, and past 2,048 with huge_tree
    page = f"<html><head><title>Flood page</title></head><body><h1>Flood page</h1>{paragraphs}<p>The mayor thanked the rescuers.</p></body></html>"
    (tmp_path / "old.html").write_text(page, encoding="utf-8")
    (tmp_path / "old.json").write_text(json.dumps({"id": "j", "title": "Flood page", "body_html": paragraphs + "<p>The mayor thanked the rescuers.</p>"}),
                                       encoding="utf-8")
    docs = _ingest(tmp_path)[0]
    for article_id in ("old", "j"):
        text = _doc(docs, article_id)["text"]
        assert "Paragraph 2499 says" in text and text.endswith("The mayor thanked the rescuers."), article_id


def test_a_wordpress_rest_export_and_escaped_titles_are_read(tmp_path):
    """WordPress's REST API gives {"title": {"rendered": ...}, "content": {"rendered": "<p>..."}} (rejected as "no body
    text"); a CMS's JSON escapes its titles ("Tom &amp; Jerry&#39;s") or marks them up ("<b>...</b>")."""
    from newsdedup.ingest import _plain

    post = {"id": 7, "title": {"rendered": "Flood&#8217;s toll rises"}, "content": {"rendered": f"<p>{STORY}</p>", "protected": False}}
    (tmp_path / "posts.json").write_text(json.dumps([post]), encoding="utf-8")
    escaped = {"id": "e", "title": "Tom &amp; Jerry&#39;s <b>flood</b> story", "body": "Tom &amp; Jerry said &#8220;hello&#8221;. " + STORY}
    (tmp_path / "escaped.json").write_text(json.dumps(escaped), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0, rejects.rows()
    assert (_doc(docs, "7")["title"], _doc(docs, "7")["text"]) == ("Flood's toll rises", STORY)
    assert _doc(docs, "e")["title"] == "Tom & Jerry's flood story"
    assert _plain("See https://example.com/?a=1&sect=2&amp;b=3") == "See https://example.com/?a=1&sect=2&b=3"
    assert _doc(docs, "e")["text"].startswith('Tom & Jerry said "hello". Heavy rain')


def test_json_saved_as_html_and_an_error_page_saved_as_json(tmp_path):
    (tmp_path / "reply.html").write_text(json.dumps({"id": "r", "title": "Flood toll rises", "text": STORY}), encoding="utf-8")
    (tmp_path / "gateway.json").write_text("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert _doc(docs, "r")["text"] == STORY
    assert _reason(rejects, "gateway.json") == "not JSON but an HTML page (an error page saved in place of the data?)"


def test_json_past_the_reader_s_limits_is_rejected_in_plain_words(tmp_path):
    """Python's messages were passed on: "RecursionError: maximum recursion depth exceeded ...", "Exceeds the limit
    (4300 digits) for integer string conversion ... use sys.set_int_max_str_digits()"."""
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "huge.json").write_text('{"id": ' + "9" * 5000 + ', "title": "x", "text": "y"}', encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"id": ' + "9" * 5000 + "}\n", encoding="utf-8")
    rejects = _ingest(tmp_path)[1]
    assert _reason(rejects, "deep.json") == "invalid JSON: nested too deeply"
    assert _reason(rejects, "huge.json") == "invalid JSON: a number of more than 4,300 digits"
    assert _reason(rejects, "lines.jsonl:1") == "invalid JSON: a number of more than 4,300 digits"


def test_scripts_styles_and_their_fallbacks_in_a_body_field_are_no_story_text(tmp_path):
    """A CMS export's body or a feed's content:encoded with a tracking script and a comments widget's <noscript>:
    the code made the version look longest (the most complete) and was listed as an added fact."""
    body = ("<script>alert('x'); var a = 'evil';</script><p>The council voted 9-3 on Tuesday to approve a $1.2 billion "
            "budget.</p><style>p{color:red}</style><p>The mayor said the budget adds 120 police officers.</p>"
            "<noscript>Please enable JavaScript to view the comments powered by Disqus.</noscript>")
    (tmp_path / "c.json").write_text(json.dumps({"id": "c1", "title": "Budget passes", "body": body}), encoding="utf-8")
    feed = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>Ledger</title><item><guid>e1</guid><title>Budget passes</title><content:encoded><![CDATA["
            + body + "]]></content:encoded></item></channel></rss>")
    (tmp_path / "feed.rss").write_text(feed, encoding="utf-8")
    docs = _ingest(tmp_path)[0]
    for article_id in ("c1", "e1"):
        assert _doc(docs, article_id)["text"] == ("The council voted 9-3 on Tuesday to approve a $1.2 billion budget.\n\n"
                                                  "The mayor said the budget adds 120 police officers."), article_id


def test_a_hard_wrapped_line_goes_on_into_a_line_opening_with_a_figure_or_after_a_function_word(tmp_path):
    doc = _text_doc(tmp_path, "w", "Stopgap bill passes\nThe measure keeps agencies open and includes\n$12 billion in aid for states hit by the\n"
        "Hurricane Delia floods, officials said.\n")
    assert doc["text"] == "The measure keeps agencies open and includes $12 billion in aid for states hit by the Hurricane Delia floods, officials said."


def test_a_feed_s_plain_text_body_keeps_its_paragraphs(tmp_path):
    """A blank line is a paragraph break even where HTML's other whitespace is one space: the byline stays a line
    of its own (and is dropped), and the paragraph after a promo is kept."""
    text = ("By Jane Doe\n\nRescuers searched the flooded valley below the dam\novernight, officials said.\n\n"
            "Subscribe to our daily briefing\n\nOfficials said more rain was expected on Thursday.")
    rss = (f"<rss><channel><title>Valley News</title><item><guid>v1</guid><title>Floods</title>"
           f"<description>{text}</description></item></channel></rss>")
    (tmp_path / "v.rss").write_text(rss, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "v1")
    assert doc["text"] == ("Rescuers searched the flooded valley below the dam overnight, officials said.\n\n"
                           "Officials said more rain was expected on Thursday.")


@pytest.mark.parametrize(
    "text, title, first",
    [
        ("Storm batters coast\n12 dead, 40 injured as the storm hit the coast overnight, officials said.\n",
         "Storm batters coast", "12 dead, 40 injured"),
        ("New prime minister sworn in\nLONDON (Wire) - Jane Doe was sworn in on Tuesday, the palace said.\n",
         "New prime minister sworn in", "Jane Doe was sworn in"),
        ("Flood toll rises\nThe toll rose on Tuesday as the waters kept rising along the river valley, and\n"
         "- 12 people died\n- 40,000 homes were flooded\n", "Flood toll rises", "The toll rose"),
    ],
)
def test_hard_wrap_joining_leaves_headlines_bullets_and_datelines_alone(tmp_path, text, title, first):
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "t")
    assert (doc["title"], doc["text"][: len(first)]) == (title, first)
    assert "and - 12 people" not in doc["text"]  # a bullet is never joined


def test_a_headline_that_opens_with_a_header_word_is_a_headline(tmp_path):
    doc = _text_doc(tmp_path, "s", "Source: Cowboys, Prescott agree to record deal\nThe quarterback signed a four-year deal on Tuesday, the team said.\n")
    assert (doc["title"], doc["source"]) == ("Source: Cowboys, Prescott agree to record deal", None)


def test_a_lead_ending_in_a_quoted_sentence_is_no_headline(tmp_path):
    lead = 'The mayor had one message for residents on Sunday: "We will rebuild."'
    doc = _text_doc(tmp_path, "m", f"{lead}\nCrews began clearing roads on Monday, the city said.\n")
    assert doc["text"].startswith(lead)


def test_a_date_written_with_dots_is_day_first():
    assert parse_date("03.02.2026") == datetime(2026, 2, 3, tzinfo=timezone.utc)
    assert parse_date("03.02.2026 10:04") == datetime(2026, 2, 3, 10, 4, tzinfo=timezone.utc)


def test_a_published_or_updated_line_dates_a_text_without_a_date_header(tmp_path):
    doc = _text_doc(tmp_path, "p", "Rates held at 6.5%\nPublished: 03.02.2026 10:04\nMumbai, Feb 3: The central bank kept its rate at 6.5% on "
        "Tuesday, the governor said.\n")
    assert doc["published"].date() == date(2026, 2, 3)
    assert doc["text"] == "The central bank kept its rate at 6.5% on Tuesday, the governor said."


def test_a_source_header_naming_a_place_is_read(tmp_path):
    doc = _text_doc(tmp_path, "h", "Title: Bank holds rates\nSource: Reuters, London\nDate: 2026-02-03\nThe bank held its rate on Tuesday, officials said.\n")
    assert (doc["title"], doc["source"], doc["published"].date()) == ("Bank holds rates", "Reuters, London", date(2026, 2, 3))


def test_a_headline_ending_in_an_outlet_names_the_source(tmp_path):
    body = "The bank held its rate on Tuesday, officials said in a statement to reporters.\n"
    doc = _text_doc(tmp_path, "o1", "Central bank holds rates steady | AeroNews Europe\n" + body)
    # the outlet named is the source, and the headline goes without it (an editor's walk-through: reports showed
    # "... dies aged 99 - The Right Times (The Right Times, ...)")
    assert (doc["title"], doc["source"]) == ("Central bank holds rates steady", "AeroNews Europe")
    # a section or a format is no outlet, and a source the input gives wins; the headline names another outlet still
    doc = _text_doc(tmp_path, "o2", "Central bank holds rates steady | Live updates\n" + body)
    assert (doc["title"], doc["source"]) == ("Central bank holds rates steady | Live updates", None)
    doc = _text_doc(tmp_path, "o3", "Source: Reuters\nCentral bank holds rates steady | AeroNews Europe\n" + body)
    assert (doc["title"], doc["source"]) == ("Central bank holds rates steady | AeroNews Europe", "Reuters")
    doc = _text_doc(tmp_path, "o4", "Source: The Right Times\nPrince Philip dies aged 99 - The Right Times\n" + body)
    assert (doc["title"], doc["source"]) == ("Prince Philip dies aged 99", "The Right Times")


def test_a_headline_under_a_section_label_is_not_joined_to_the_text(tmp_path):
    doc = _text_doc(tmp_path, "k", "World | Europe\nMinister sworn in\nPresident names new finance chief after a week of talks in the capital, aides said.\n")
    assert doc["title"] == "Minister sworn in"
    assert doc["text"].startswith("President names new finance chief")


def test_a_plain_text_feed_body_keeps_its_lines(tmp_path):
    text = ("By Jane Doe\nWASHINGTON (AP) - The Senate passed the bill on Tuesday, officials said.\n"
            "Sign up for our newsletter\nThe House is expected to vote on Friday, aides said.")
    rss = f"<rss><channel><title>Wire</title><item><guid>p1</guid><title>Bill passes</title><description>{text}</description></item></channel></rss>"
    (tmp_path / "p.rss").write_text(rss, encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "p1")
    assert doc["dateline"] == "WASHINGTON (AP)"
    assert doc["text"] == "The Senate passed the bill on Tuesday, officials said.\n\nThe House is expected to vote on Friday, aides said."


def test_a_hard_wrapped_lead_with_no_headline_is_one_paragraph(tmp_path):
    doc = _text_doc(tmp_path, "r", "The company said its revenue for the quarter rose by\n12% to a record, beating forecasts, analysts said.\n")
    assert doc["text"] == "The company said its revenue for the quarter rose by 12% to a record, beating forecasts, analysts said."


def test_html_with_inline_tags_only_is_html_and_plain_paragraphs_around_a_tag_stay_apart(tmp_path):
    wrapped = ("<b>LONDON</b> - The city council voted on Tuesday to approve the plan, which had been criticised by the Prime\n"
               "Minister, who said it cost too much.")
    mixed = ("By Jane Doe, Reuters\n\nThe city council voted on Tuesday to approve the plan, officials said.\n\n"
             "<div>The mayor said she would sign it this week.</div>")
    (tmp_path / "a.json").write_text(json.dumps([{"id": "w", "title": "Plan passes", "body_html": wrapped},
                                                 {"id": "m", "title": "Plan passes", "text": mixed}]), encoding="utf-8")
    docs, _ = _ingest(tmp_path)
    assert _doc(docs, "w")["text"] == ("The city council voted on Tuesday to approve the plan, which had been criticised by "
                                       "the Prime Minister, who said it cost too much.")
    assert _doc(docs, "m")["text"] == ("The city council voted on Tuesday to approve the plan, officials said.\n\n"
                                       "The mayor said she would sign it this week.")


def test_relative_dates_date_nothing(tmp_path):
    assert parse_date("an hour ago") is None and parse_date("yesterday") is None
    doc = _text_doc(tmp_path, "r", "Rates held\nPublished: 3 hours ago\nThe central bank kept its rate at 6.5% on Tuesday, the governor said.\n")
    assert doc["published"] is None


def test_naming_headers_and_headlines_that_open_with_their_words(tmp_path):
    (tmp_path / "d.txt").write_text("Source: dpa\nDate: 2026-02-03\nThe ferry sank off the coast on Tuesday, officials said.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Author: Jane Doe, staff writer\nNovelist speaks out\nThe novelist spoke on Tuesday at a festival in London.\n",
                                    encoding="utf-8")
    (tmp_path / "c.txt").write_text("Copyright Office Rejects AI Art Claim\nThe office refused to register the work on Tuesday.\n",
                                    encoding="utf-8")
    (tmp_path / "e.txt").write_text("Election night: what to watch for\nPolls close at 7 p.m. in six states, officials said.\n",
                                    encoding="utf-8")
    docs, _ = _ingest(tmp_path)
    assert (_doc(docs, "d")["source"], _doc(docs, "d")["published"].date()) == ("dpa", date(2026, 2, 3))
    assert _doc(docs, "a")["title"] == "Novelist speaks out"  # an author with a role, not a headline
    assert _doc(docs, "c")["title"] == "Copyright Office Rejects AI Art Claim"
    assert (_doc(docs, "e")["title"], _doc(docs, "e")["text"]) == (
        "Election night: what to watch for", "Polls close at 7 p.m. in six states, officials said.")


def test_a_text_field_with_an_inline_link_is_read_as_html(tmp_path):
    text = "The council approved the budget on Tuesday, <a href='https://example.org'>the Ledger</a> reported."
    (tmp_path / "l.json").write_text(json.dumps({"id": "l", "title": "Budget passes", "text": text}), encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "l")["text"] == "The council approved the budget on Tuesday, the Ledger reported."


def test_a_plain_text_field_with_inline_tags_keeps_its_lines(tmp_path):
    text = ("The council approved the budget on Tuesday, officials said.\nSign up for our daily newsletter\n"
            "The vote was called <i>unprecedented</i> by the mayor on Wednesday.")
    odd = "Turnout was 40% where a<b in the model.\nAnalysts said a > b would hold, LONDON <Reuters> reported."
    (tmp_path / "t.json").write_text(json.dumps([{"id": "t", "title": "Budget", "text": text},
                                                 {"id": "o", "title": "Turnout", "text": odd}]), encoding="utf-8")
    docs, _ = _ingest(tmp_path)
    assert _doc(docs, "t")["text"] == ("The council approved the budget on Tuesday, officials said.\n\n"
                                       "The vote was called unprecedented by the mayor on Wednesday.")
    assert _doc(docs, "o")["text"] == odd.replace("\n", "\n\n")


def test_a_hard_wrapped_record_body_is_joined_after_a_function_word_or_before_a_figure(tmp_path):
    text = ("The finance ministers said on Tuesday that officials of the\nEuropean Union would meet again in March, "
            "and that the package was worth about\n$12 billion in all, officials said.")
    (tmp_path / "w.json").write_text(json.dumps({"id": "w", "title": "Package", "text": text}), encoding="utf-8")
    assert _doc(_ingest(tmp_path)[0], "w")["text"] == text.replace("\n", " ")


def test_a_headline_wrapped_after_a_preposition_is_one_headline(tmp_path):
    doc = _text_doc(tmp_path, "p", "Pope calls for\nPeace in Gaza during Easter address\nThe pope called for peace in Gaza on Sunday, "
                                   "the Vatican said.\n")
    assert doc["title"] == "Pope calls for Peace in Gaza during Easter address"


def test_a_text_wrapped_at_a_fixed_width_is_joined_even_before_a_capital_or_a_bracket(tmp_path):
    wrapped = ("Markets rally as the central bank signals that rates may fall in\n"
               "spring after a long pause, dealers said on Tuesday in London and\n"
               "\"The Bank is clearly keen not to declare victory too early,\" said Ruth\n"
               "Gregory, an economist at a consultancy, adding that the quake at a depth\n"
               "of 40 kilometres (25 miles) had not moved prices in the morning trade.\n"
               "\n"
               "Shares in the largest lenders were little changed by the afternoon, and\n"
               "the pound rose against the dollar for a third day, traders said today.\n")
    doc = _text_doc(tmp_path, "w", "Markets rally\n\n" + wrapped)
    assert "said Ruth Gregory, an economist" in doc["text"] and "depth of 40 kilometres (25 miles) had" in doc["text"]
    assert doc["text"].count("\n\n") == 1


def test_a_posted_on_line_dates_a_page_and_is_no_headline(tmp_path):
    doc = _text_doc(tmp_path, "b", "Posted on February 6, 2026 by Priya Raman\nThe new phone finally fixes the crease\n"
                                   "The new folding phone fixes the crease that marked its two predecessors, the maker said.\n")
    assert doc["title"] == "The new phone finally fixes the crease"
    assert doc["published"].date() == date(2026, 2, 6)


def test_a_dateline_closed_by_the_agency_alone_is_split_off(tmp_path):
    doc = _text_doc(tmp_path, "p", "Budget presented\nNew Delhi, Feb 1 (PTI) Finance Minister Asha Rao presented the budget on "
                                   "Saturday, raising spending on roads by 11 per cent.\n")
    assert doc["dateline"] == "New Delhi, Feb 1 (PTI)"  # the agency stays in, as in "LONDON (Reuters)"
    assert doc["text"].startswith("Finance Minister Asha Rao presented the budget")


@pytest.mark.parametrize(
    ("header", "note"),
    [("date 2062-03-03", "date 2062-03-03 is after the run (a typo?): not used"),
     ("date 0001-01-01T00:00:00+05:00", "date 0001-01-01 is before 1900: not used")],
    ids=["typo-future", "placeholder"],
)
def test_a_date_no_news_article_can_have_leaves_it_undated_with_a_note(tmp_path, header, note):
    (tmp_path / "odd.txt").write_text(f"{header}\ntitle Jet lands in Frankfurt\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "lined.txt").write_text(f"{header}\n\nFRANKFURT, March 3, 2026: {BODY}\n", encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0
    odd, lined = _doc(docs, "odd"), _doc(docs, "lined")
    assert odd["published"] is None and odd["notes"] == [note]
    assert lined["published"].date() == date(2026, 3, 3) and lined["notes"] == [note]  # its dateline dates it

    (tmp_path / "fine.txt").write_text(f"date 2026-03-04\n\nFRANKFURT, March 3, 2062: {BODY}\n", encoding="utf-8")
    fine = _doc(_ingest(tmp_path)[0], "fine")
    assert fine["published"].date() == date(2026, 3, 4) and fine["notes"] == []  # the dateline was not needed


def test_the_zero_timestamp_is_a_placeholder_not_a_date(tmp_path):
    (tmp_path / "zero.json").write_text(json.dumps({"id": "zero", "title": "t", "body_text": BODY, "date": "1970-01-01T00:00:00Z"}), encoding="utf-8")
    doc = _doc(_ingest(tmp_path)[0], "zero")
    assert doc["published"] is None and doc["notes"] == ["date 1970-01-01 is the zero timestamp (a placeholder): not used"]


def test_a_date_a_day_ahead_of_the_run_is_kept():
    from datetime import timedelta

    from newsdedup.ingest import implausible

    now = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
    assert implausible(now + timedelta(hours=20), now) is None  # a paper dated tomorrow, or a zone ahead
    assert implausible(now + timedelta(days=2), now) == "is after the run (a typo?)"


def test_odd_inputs_get_the_reason_that_fits(tmp_path):
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    (tmp_path / "empty_feed.json").write_text('{"items": []}', encoding="utf-8")
    (tmp_path / "api_error.json").write_text('{"status": "error", "message": "rate limited", "data": []}', encoding="utf-8")
    (tmp_path / "windows.txt").write_bytes(f"title Jail raid\n\n{BODY}\n".encode("utf-16-le"))  # no byte order mark
    (tmp_path / "windows_fr.txt").write_bytes(f"{BODY} Le maire a dit\u00a0: \u00ab\u00a0non\u00a0\u00bb.\n".encode("utf-16-le"))
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    docs, rejects = _ingest(tmp_path)
    assert _reason(rejects, "loop1.txt") == _reason(rejects, "loop2.txt") == "symbolic link loop (the link leads back to itself)"
    assert _reason(rejects, "empty_feed.json") == "feed with no items"
    assert _reason(rejects, "api_error.json") == "an error reply, not an article: rate limited"  # it empties no feed
    assert _reason(rejects, "blob.txt") == "binary file (contains NUL bytes), not text"
    assert docs["article_id"].to_list() == ["windows", "windows_fr"] and _doc(docs, "windows")["title"] == "Jail raid"


def test_utf16_without_a_byte_order_mark_in_another_script_is_read_and_binary_data_is_not(tmp_path):
    urdu = "\u06a9\u0648\u0626\u0679\u06c1 \u0645\u06cc\u06ba \u062d\u0645\u0644\u06d2 \u06a9\u06d2 \u0628\u0639\u062f 92 \u0639\u0633\u06a9\u0631\u06cc\u062a \u067e\u0633\u0646\u062f \u06c1\u0644\u0627\u06a9"
    russian = "\u0412 \u041a\u0432\u0435\u0442\u0442\u0435 \u043f\u043e\u0441\u043b\u0435 \u043d\u0430\u043f\u0430\u0434\u0435\u043d\u0438\u044f \u0443\u0431\u0438\u0442\u044b 92 \u0431\u043e\u0435\u0432\u0438\u043a\u0430"
    (tmp_path / "urdu.txt").write_bytes(("\n\n".join([urdu + "."] * 8) + "\n").encode("utf-16-le"))
    (tmp_path / "russian.txt").write_bytes(("\n\n".join([russian + "."] * 8) + "\n").encode("utf-16-be"))
    rng = np.random.default_rng(3)  # 16-bit data whose high bytes are NUL now and then, as in text: many scripts
    units = rng.integers(0x0100, 0x0500, 4000, dtype=np.uint16)
    units[rng.random(4000) < 0.15] = 0x0020
    (tmp_path / "samples.txt").write_bytes(units.astype("<u2").tobytes())
    docs, rejects = _ingest(tmp_path)
    # read as what they are (their script named), and rejected: words are compared as Latin letters (they were kept
    # as articles of eight words, the eight "92"s)
    assert _reason(rejects, "urdu.txt") == "text in Arabic script: newsdedup compares the words of text in Latin script only"
    assert _reason(rejects, "russian.txt") == "text in Cyrillic script: newsdedup compares the words of text in Latin script only"
    assert _reason(rejects, "samples.txt") == "binary file (contains NUL bytes), not text"


def test_a_few_stray_nul_bytes_do_not_make_an_article_binary(tmp_path):
    """A hostile-input review: one NUL in an article, or a write padded with three, rejected it as binary."""
    text = f"Jail raid\n\n{BODY} {BODY}"
    (tmp_path / "one.txt").write_bytes(f"{text[:40]}\x00{text[40:]}".encode())
    (tmp_path / "padded.txt").write_bytes(f"{text}\n".encode() + b"\x00" * 512)  # a block of them
    (tmp_path / "short.txt").write_bytes(f"Jail raid\n\n{BODY}".encode() + b"\x00" * 512 + b"\n")  # short, then a line break
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01ELF" + bytes(range(256)) * 4)
    docs, rejects = _ingest(tmp_path)
    assert sorted(docs["article_id"].to_list()) == ["one", "padded", "short"] and "\x00" not in "".join(docs["text"].to_list())
    assert _doc(docs, "padded")["text"] == _doc(docs, "one")["text"] == f"{BODY} {BODY}"
    assert _reason(rejects, "blob.txt") == "binary file (contains NUL bytes), not text"


def test_a_link_to_another_input_file_is_read_once_there(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "latest.txt").symlink_to(tmp_path / "feeds" / "a.txt")
    (tmp_path / "outside.txt").write_text(BODY + " Elsewhere.", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kept.txt").symlink_to(tmp_path / "outside.txt")
    docs, rejects = _ingest(tmp_path / "in")
    assert docs["article_id"].to_list() == ["kept"] and rejects.height == 0  # a file linked in from elsewhere is read
    docs, rejects = _ingest(tmp_path)
    assert "latest" not in docs["article_id"].to_list() and "feeds/a" in docs["article_id"].to_list()
    assert _reason(rejects, "latest.txt") == "link to another input file (feeds/a.txt): read there"


def test_a_weekday_settles_which_way_round_a_numeric_date_is_written(tmp_path):
    """A session's left-alone case: "Tue 03/02/2026" was read month first, 2 March, a Monday; 3 February was the
    Tuesday. A weekday that fits neither reading leaves the doubt, and says so."""
    from newsdedup.ingest import parse_date

    assert parse_date("Tue 03/02/2026").date().isoformat() == "2026-02-03"
    assert parse_date("Tuesday, 03/02/2026 10:00").isoformat() == "2026-02-03T10:00:00+00:00"
    assert parse_date("Mon 03/02/2026").date().isoformat() == "2026-03-02"  # 2 March was the Monday
    assert parse_date("Fri, 02/06/26").date().isoformat() == "2026-02-06"  # 6 February a Friday, 2 June a Tuesday
    # a review's cases: a 0 day or month is no date (it crashed), a two-digit year from 69 on is 19xx as the parser
    # reads it (the weekday was tested against 2099), a word that only opens with a day's name is no weekday
    assert parse_date("Tue 00/05/2026") is None and parse_date("Fri 05/00/2026") is None
    assert parse_date("Tue 03/02/99").date().isoformat() == "1999-03-02" and parse_date("Wed 03/02/99").date().isoformat() == "1999-02-03"
    assert parse_date("Thursday 12-11-26").date().isoformat() == "2026-11-12"
    from newsdedup.ingest import weekday_fits

    assert weekday_fits("Monument 03/02/2026") is None and weekday_fits("Tues. 03/02/2026") == {"DMY": True, "MDY": False}
    for name, date in (("tue", "Tue 03/02/2026"), ("wed", "Wed 03/02/2026"), ("both", "Wed 01/07/2026")):
        (tmp_path / f"{name}.txt").write_text(f"date: {date}\n\n{BODY}\n", encoding="utf-8")
    rows = {r["article_id"]: r for r in _ingest(tmp_path)[0].iter_rows(named=True)}
    assert rows["tue"]["notes"] == [] and rows["tue"]["published"].date().isoformat() == "2026-02-03"
    assert rows["wed"]["notes"] == ["date 'Wed 03/02/2026' may give the day or the month first, and its weekday fits "
                                    "neither: read as 2 March 2026 (month first)"]
    assert rows["both"]["notes"] == ["date 'Wed 01/07/2026' may give the day or the month first, and its weekday fits "
                                     "both: read as 7 January 2026 (month first)"]  # 1 July and 7 January 2026: Wednesdays


def test_a_nul_escaped_in_a_json_string_goes_as_a_file_s_stray_nuls_do(tmp_path):
    """A session's left-alone case: "\\u0000" in a JSON body stayed in the text (a file's stray NULs are dropped)."""
    body = " ".join(["The council met on Monday to discuss the new budget for the city and its schools."] * 5)
    (tmp_path / "a.json").write_text(json.dumps({"id": "n1", "title": "Budget talks", "text": body.replace("Monday", "Mon\u0000day", 1),
                                                 "source": "Out\u0000let"}), encoding="utf-8")
    docs, rejects = _ingest(tmp_path)
    assert rejects.height == 0 and docs["text"][0].startswith("The council met on Monday to discuss")
    assert docs["source"][0] == "Outlet"  # in a field too (it was a space there)


def test_unwrap_reads_the_end_of_the_line_it_joins_as_the_joined_line_ends():
    """_unwrap keeps a paragraph in pieces (joining a 450 KB paragraph line by line had copied it at each line, 4.6 s);
    the end its tests read is the joined line's."""
    from newsdedup.ingest import _TAIL, _joined_tail, _unwrap

    for pieces in (["  Opening line   "], ["Opening line  ", "goes on"], ["x" * 500 + "  ", "a", "b"],
                   ["Start  ", *(f"word{i} and more" for i in range(40))]):
        joined = pieces[0] if len(pieces) == 1 else " ".join([pieces[0].rstrip(), *pieces[1:]])
        assert _joined_tail(pieces) == joined.rstrip()[-_TAIL:]
    lines = [("word " * 14).strip() + (" ending" if i % 7 else " and") for i in range(3000)]
    assert _unwrap(lines) == [" ".join(lines)]  # one paragraph, hard-wrapped: one line


def test_double_encoded_utf8_is_read_as_its_text_in_a_file_and_in_escaped_json(tmp_path):
    """A desk walk-through's case: "Pakistan\u00e2\u20ac\u2122s" (a text's UTF-8 read as cp1252, saved as UTF-8 again) was
    checked as an update of its clean original with a dozen garbled "edits". It is read as the text it was."""
    clean = ("date 2026-02-01\nPakistan says 145 killed\n\nAt least 145 people died across Pakistan\u2019s Balochistan "
             "province on Saturday, officials in Quetta said, and the caf\u00e9 owners of the market closed their shops.\n")
    garbled = clean.encode("utf-8").decode("cp1252")  # every UTF-8 byte read as a cp1252 character
    assert "Pakistan\u00e2\u20ac\u2122s" in garbled and "caf\u00c3\u00a9" in garbled
    (tmp_path / "txt").mkdir()
    doc = _text_doc(tmp_path / "txt", "m", garbled)
    assert "Pakistan's Balochistan" in doc["text"] and "caf\u00e9 owners" in doc["text"]
    body = garbled.split("\n\n", 1)[1].strip()
    (tmp_path / "json").mkdir()
    (tmp_path / "json" / "j.json").write_text(json.dumps({"id": "j", "title": "Caf\u00c3\u00a9 owners shut shops", "text": body,
                                                          "source": "Caf\u00c3\u00a9 News"}),
                                             encoding="utf-8")  # ASCII JSON: the garbling hides in \\u escapes
    doc = _doc(_ingest(tmp_path / "json")[0], "j")
    assert doc["title"] == "Caf\u00e9 owners shut shops" and "Pakistan's Balochistan" in doc["text"]
    assert doc["source"] == "Caf\u00e9 News"
    (tmp_path / "html").mkdir()  # a page writing it as character references
    (tmp_path / "html" / "p.html").write_text(
        "<html><head><title>Pakistan&acirc;&euro;&trade;s army says 145 killed</title></head><body><article><h1>Pakistan"
        "&acirc;&euro;&trade;s army says 145 killed</h1>" + "".join(f"<p>{p}</p>" for p in body.replace(
            "\u00e2\u20ac\u2122", "&acirc;&euro;&trade;").split("\n\n")) + "</article></body></html>", encoding="utf-8")
    doc = _doc(_ingest(tmp_path / "html")[0], "p")
    assert "Pakistan's Balochistan" in doc["text"], doc["text"]


def test_a_live_page_s_updated_line_without_a_colon_dates_it(tmp_path):
    """A walk-through's live blog under "Updated 31 January 2026" was undated; a line only opening like one stays text."""
    doc = _text_doc(tmp_path, "live", "Live: Attacks across the province\nUpdated 31 January 2026\n\n09:12 - Reports of "
                    "explosions and gunfire in the provincial capital, police said.\n\n10:40 - Militants stormed a prison.\n")
    assert doc["published"] == datetime(2026, 1, 31, tzinfo=timezone.utc)
    doc = _text_doc(tmp_path, "rules", "Rules change\nUpdated rules took effect on 1 March 2026, the ministry said on "
                    "Tuesday.\n\nThe new rules cover ferries and buses across the region.\n")
    assert doc["published"] is None and doc["text"].startswith("Updated rules took effect")
