"""XML feeds: IPTC NewsML-G2 and NITF items become records for parse_record (RSS and Atom files are read
end to end in test_ingest). All documents here are made up."""

from __future__ import annotations

import pytest

from newsdedup.feeds import NotAFeed, feed_entries
from newsdedup.ingest import _html_to_lines


def _lines(body_html: str) -> list[str]:
    """The body's paragraphs as ingest reads them."""
    return [line for line in _html_to_lines(body_html) if line]

NEWSML_ITEM = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:wire.example:20260131:qta-jail" version="2"
  standard="NewsML-G2" standardversion="2.33">
 <itemMeta>
  <itemClass qcode="ninat:text"/>
  <provider qcode="nprov:WIRE"/>
  <versionCreated>2026-01-31T14:20:00Z</versionCreated>
  <firstCreated>2026-01-31T12:05:00Z</firstCreated>
  <link rel="irel:canonical" href="https://wire.example/qta-jail"/>
 </itemMeta>
 <contentMeta>
  <infoSource role="cinfosrc:origsource"><name>Northland Wire</name></infoSource>
  <headline>Militants storm jail in Quetta</headline>
  <dateline>QUETTA, Jan 31</dateline>
 </contentMeta>
 <contentSet>
  <inlineXML contenttype="application/nitf+xml">
   <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head><hedline><hl1>Militants storm jail</hl1></hedline></body.head>
    <body.content><p>Militants stormed a district jail in Quetta on Saturday, officials said.</p>
    <p>At least 30 inmates escaped &amp; guards were wounded.</p></body.content></body></nitf>
  </inlineXML>
 </contentSet>
</newsItem>"""


def test_a_newsml_g2_item_is_one_record():
    [record], title = feed_entries(NEWSML_ITEM)
    assert title is None
    assert _lines(record.pop("body_html")) == [
        "Militants stormed a district jail in Quetta on Saturday, officials said.",
        "At least 30 inmates escaped & guards were wounded.",
    ]
    assert record == {
        "id": "urn:newsml:wire.example:20260131:qta-jail",
        "title": "Militants storm jail in Quetta",
        "url": "https://wire.example/qta-jail",
        "firstcreated": "2026-01-31T12:05:00Z",  # ingest dates version 2 by its own versionCreated
        "versioncreated": "2026-01-31T14:20:00Z",
        "version": "2",
        "source": "Northland Wire",
        "_no_body": "NewsML-G2 item with no text (no inlineXML or inlineData)",
    }


def test_a_newsml_g2_message_gives_each_news_item_and_plain_text_inline_data():
    message = f"""<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-02-01T00:00:00Z</sent></header>
    <itemSet>{NEWSML_ITEM.split("?>", 1)[1]}
    <newsItem guid="urn:b"><itemMeta><provider literal="Hill Agency"/><versionCreated>2026-02-01T08:00:00Z</versionCreated></itemMeta>
     <contentMeta><headline>Dam opened</headline></contentMeta>
     <contentSet><inlineData contenttype="text/plain">The dam opened on Sunday.

Water reached the valley by noon.</inlineData></contentSet></newsItem>
    </itemSet></newsMessage>"""
    records, _ = feed_entries(message)
    assert [r["id"] for r in records] == ["urn:newsml:wire.example:20260131:qta-jail", "urn:b"]
    second = records[1]
    assert second["source"] == "Hill Agency" and second["versioncreated"] == "2026-02-01T08:00:00Z"
    assert _lines(second["body_html"]) == ["The dam opened on Sunday.", "Water reached the valley by noon."]


def test_a_nitf_document_is_one_record():
    nitf = """<nitf><head><title>Flood</title><docdata><doc-id id-string="gazette-0042"/>
    <date.issue norm="20260201T101500Z"/></docdata></head><body><body.head><hedline><hl1>River floods lower town</hl1>
    </hedline></body.head><body.content><p>The river flooded the lower town overnight.</p><p>No one was hurt.</p>
    </body.content></body></nitf>"""
    [record], _ = feed_entries(nitf)
    assert record["id"] == "gazette-0042" and record["title"] == "River floods lower town"
    assert record["published"] == "20260201T101500Z"
    assert _lines(record["body_html"]) == ["The river flooded the lower town overnight.", "No one was hurt."]


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        ("<newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'><itemSet/></newsMessage>", "feed with no items"),
        ("<svg xmlns='http://www.w3.org/2000/svg'/>", "root element <svg>"),
        ("not xml at all", "invalid XML"),
    ],
)
def test_xml_without_articles_says_why(xml, reason):
    with pytest.raises(NotAFeed, match=reason):
        feed_entries(xml)


def test_a_newsml_g2_file_is_ingested_like_any_article(tmp_path):
    from newsdedup.config import IngestConfig
    from newsdedup.ingest import read_inputs

    (tmp_path / "wire.xml").write_text(NEWSML_ITEM, encoding="utf-8")
    docs, rejects = read_inputs(tmp_path, IngestConfig())
    assert rejects.height == 0
    row = docs.row(0, named=True)
    # version 2 of the item: an article of its own beside a version 1 sent before
    assert (row["article_id"], row["path"], row["source"]) == ("urn:newsml:wire.example:20260131:qta-jail@v2", "wire.xml:1", "Northland Wire")
    assert row["published"].isoformat() == "2026-01-31T14:20:00+00:00"  # version 2: its versionCreated
    assert row["text"] == (
        "Militants stormed a district jail in Quetta on Saturday, officials said.\n\n"
        "At least 30 inmates escaped & guards were wounded."
    )


def test_inline_nitf_gives_body_content_once_in_order():
    """body.head (headline, abstract, byline) is not the text, and a paragraph inside a list item is read once."""
    item = NEWSML_ITEM.replace(
        "<body.head><hedline><hl1>Militants storm jail</hl1></hedline></body.head>",
        "<body.head><hedline><hl1>Militants storm jail</hl1><hl2>Sub head</hl2></hedline>"
        "<abstract><p>Militants stormed a district jail in Quetta on Saturday, officials said.</p></abstract></body.head>",
    ).replace("<p>At least 30", "<ul><li><p>Guards were wounded.</p></li></ul><p>At least 30")
    [record], _ = feed_entries(item)
    assert _lines(record["body_html"]) == [
        "Militants stormed a district jail in Quetta on Saturday, officials said.",
        "Guards were wounded.",
        "At least 30 inmates escaped & guards were wounded.",
    ]


def test_atom_text_html_and_xhtml_are_each_read_by_their_type():
    atom = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="http://www.w3.org/1999/xhtml"><title type="html">Hill &lt;i&gt;Gazette&lt;/i&gt;</title>
    <entry><id>urn:1</id><title type="html">Bridge &lt;b&gt;reopens&lt;/b&gt;</title>
     <content type="xhtml"><x:div><x:p>One para.</x:p><x:p>Two para.</x:p></x:div></content></entry>
    <entry><id>urn:2</id><title>Plain &lt;b&gt;5&lt;/b&gt;</title><content>Scores rose by &lt;b&gt;5&lt;/b&gt; points.

Second paragraph.</content></entry></feed>"""
    records, title = feed_entries(atom)
    assert title == "Hill Gazette"
    assert records[0]["title"] == "Bridge reopens" and _lines(records[0]["body_html"]) == ["One para.", "Two para."]
    assert records[1]["title"] == "Plain <b>5</b>"  # type="text": the characters as written
    assert _lines(records[1]["body_html"]) == ["Scores rose by <b>5</b> points.", "Second paragraph."]


def test_rss_0_90_and_markup_written_into_a_description():
    rss090 = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
    <channel><title>Old Wire</title><link>https://old.example/</link></channel>
    <item><title>Dam opened</title><link>https://old.example/dam</link></item></rdf:RDF>"""
    records, title = feed_entries(rss090)
    assert title == "Old Wire" and [(r["title"], r["url"]) for r in records] == [("Dam opened", "https://old.example/dam")]
    rss = "<rss><channel><item><title>T</title><description><p>First.</p><p>Second.</p></description></item></channel></rss>"
    [record], _ = feed_entries(rss)
    assert _lines(record["body_html"]) == ["First.", "Second."]


def test_older_dialects_rss_in_userland_s_namespace_and_atom_0_3():
    userland = """<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>NS Wire</title>
    <item><title>Dam opened</title><guid>ns-1</guid><pubDate>Sun, 01 Feb 2026 08:00:00 GMT</pubDate>
    <description>The dam opened.</description></item></channel></rss>"""
    [item], title = feed_entries(userland)
    assert title == "NS Wire"
    assert (item["id"], item["published"], item["body_html"]) == ("ns-1", "Sun, 01 Feb 2026 08:00:00 GMT", "The dam opened.")
    atom03 = """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Gazette</title>
    <entry><id>urn:old:1</id><title>Bridge</title><link rel="alternate" href="https://old.example/bridge"/>
    <issued>2026-02-01T09:00:00Z</issued><modified>2026-02-03T09:00:00Z</modified>
    <content type="text/html" mode="escaped">&lt;p&gt;Traffic resumed.&lt;/p&gt;</content></entry></feed>"""
    [entry], title = feed_entries(atom03)
    assert title == "Old Gazette" and entry["url"] == "https://old.example/bridge"
    assert (entry["published"], entry["body_html"]) == ("2026-02-01T09:00:00Z", "<p>Traffic resumed.</p>")


def test_the_declared_encoding_is_not_read_again():
    """ingest decodes the bytes first; a declaration naming another or an unknown encoding does not matter."""
    for declaration in ('<?xml version="1.0" encoding="no-such-charset"?>', '\n  <?xml version="1.0" encoding="iso-8859-1"?>'):
        [item], _ = feed_entries(declaration + "<rss><channel><item><title>Caf\u00e9</title><description>x</description></item></channel></rss>")
        assert item["title"] == "Caf\u00e9"


def test_text_between_blocks_and_broken_lines_are_kept_and_titles_lose_their_markup():
    atom = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="http://www.w3.org/1999/xhtml"><entry><id>1</id>
    <title type="xhtml"><x:div>Bridge <x:b>reopens</x:b></x:div></title>
    <content type="xhtml"><x:div><x:p>One.</x:p>Loose words<x:br/>after a break<x:h2>Sub</x:h2>long text</x:div></content>
    <summary>Teaser only.</summary></entry>
    <entry><id>2</id><title>Blank</title><content type="html">   </content><summary>The teaser is all there is.</summary></entry></feed>"""
    first, second = feed_entries(atom)[0]
    assert first["title"] == "Bridge reopens"
    assert _lines(first["body_html"]) == ["One.", "Loose words", "after a break", "Sub", "long text"]
    assert _lines(second["body_html"]) == ["The teaser is all there is."]  # blank content: the summary
    rss = """<rss><channel><item><title><![CDATA[Tom &amp; Jerry <em>exclusive</em>
      interview]]></title><pubDate> </pubDate><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2026-02-01</dc:date>
      <description>x</description></item></channel></rss>"""
    [item], _ = feed_entries(rss)
    assert item["title"] == "Tom & Jerry exclusive interview"
    assert item["published"] == "2026-02-01"  # a blank pubDate does not hide dc:date


def test_html_titles_lose_their_entities_even_escaped_twice_and_text_titles_keep_them():
    atom = """<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Coast &amp;amp; Harbour News</title>
    <entry><id>1</id><title type="html">Oil &amp;amp; gas rally</title><content>x</content></entry>
    <entry><id>2</id><title>Q&amp;amp;A</title><content>x</content></entry></feed>"""
    records, title = feed_entries(atom)
    assert title == "Coast & Harbour News"
    assert [r["title"] for r in records] == ["Oil & gas rally", "Q&amp;A"]  # type="text": as written
    rss = "<rss><channel><item><title>Port&amp;amp;#39;s reopening</title><description>x</description></item></channel></rss>"
    assert feed_entries(rss)[0][0]["title"] == "Port's reopening"


def test_a_paragraph_wrapped_in_the_source_is_one_line_and_plain_text_keeps_its_lines():
    nitf = """<nitf><body><body.content>
      <p>Ferries stopped at the Harbourton terminal
        on Monday after a storm, officials said.</p>
      <p>Service resumed
        on Tuesday.</p><pre>Berth  Status
A      open</pre></body.content></body></nitf>"""
    [record], _ = feed_entries(nitf)
    assert _lines(record["body_html"]) == [
        "Ferries stopped at the Harbourton terminal on Monday after a storm, officials said.",
        "Service resumed on Tuesday.",
        "Berth Status",
        "A open",
    ]
    atom = """<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>T</title><content>Ferries stop
Service resumes

Second paragraph.</content></entry></feed>"""
    assert _lines(feed_entries(atom)[0][0]["body_html"]) == ["Ferries stop", "Service resumes", "Second paragraph."]


def test_control_characters_and_half_characters_in_html_do_not_stop_the_reader():
    assert _lines("<p>Ferries stopped.\u000b Service resumed\x01 on Tuesday.</p><p>Berth A\ud800 open.</p>") == [
        "Ferries stopped. Service resumed on Tuesday.",
        "Berth A\ufffd open.",
    ]


def test_xml_nested_past_the_parser_s_limit_is_rejected_in_plain_words(tmp_path):
    """libxml2's own words were passed on: "Excessive depth in document: 256, use XML_PARSE_HUGE option"."""
    from newsdedup.config import load_config
    from newsdedup.ingest import read_inputs

    (tmp_path / "deep.xml").write_text("<rss>" + "<a>" * 300 + "</a>" * 300 + "</rss>", encoding="utf-8")
    _, rejects = read_inputs(tmp_path, load_config().ingest)
    assert rejects.rows() == [("deep.xml", "invalid XML: nested deeper than 256 elements")]
