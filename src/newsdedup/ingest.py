"""Read article files (plain text, JSON / JSONL incl. IPTC ninjs, HTML) into one clean documents table.

Every input ends up either as a document or as a reject with a one-line reason; nothing raises.
"""

from __future__ import annotations

import calendar
import codecs
import errno
import json
import math
import os
import re
import unicodedata
from html import unescape
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from newsdedup.config import IngestConfig
from newsdedup.feeds import EMPTY_FEED, BadItem, NotAFeed, failure_reason, feed_entries
from newsdedup.normalize import (
    LATIN_LETTER,
    LETTER,
    clean_body,
    display_title,
    fold,
    is_boilerplate_line,
    is_credit_line,
    is_dateline,
    looks_like_headline,
    one_line,
    other_script,
    outlet_in_title,
    repair_mojibake,
    split_dateline,
    split_sentences,
    strip_inline_credits,
    without_outlet,
    words,
)
from newsdedup.progress import track
from newsdedup.schema import DOCUMENTS, REJECTS, conform

JSON_EXTENSIONS = {".json"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
HTML_EXTENSIONS = {".html", ".htm"}
FEED_EXTENSIONS = {".xml", ".rss", ".atom"}

_ID_KEYS = ("id", "uri", "guid", "_id", "article_id")
_TITLE_KEYS = ("title", "headline", "name")
_BODY_KEYS = (
    "text", "body", "body_text", "content", "content_text", "article_body", "articleBody", "body_html", "content_html",
    "description",
)
_HTML_BODY_KEYS = {"body_html", "content_html"}
_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false", type(None): "null"}
# An export or feed that wraps its articles in one object: JSON Feed 1.x ("items"), NewsAPI ("articles"), ...
_WRAPPER_KEYS = ("items", "articles", "entries", "stories", "results", "records", "docs", "data", "hits")
_SOURCE_KEYS = ("source", "outlet", "publisher", "publication", "site_name", "sitename", "copyrightholder", "provider")
# the first publication before a later version's time (ninjs firstcreated, as NewsML-G2's firstCreated), but a
# version 2 or later is dated by its own versioncreated (_later_version)
_DATE_KEYS = (
    "published", "date", "firstcreated", "versioncreated", "published_at", "datePublished", "pubDate",
    "date_published", "publishedAt",
)
_URL_KEYS = ("url", "link", "canonical_url", "href")

_HEADER_KEYS = "date|published|source|outlet|title|headline|url|id|author|byline"
# "Title: ..." in any case, but without a colon only in lower case: "Author Salman Rushdie attacked" is a headline
_HEADER = re.compile(rf"^\s*(?:(?P<key>(?i:{_HEADER_KEYS}))\s*[:=]|(?P<bare>{_HEADER_KEYS}|DATE|PUBLISHED)(?=\s))\s*(?P<value>.*)$")
# a date, a time, then a zone as an offset, or as an abbreviation ending the line ("10:04 IST")
_HEADER_DATE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"(?:\s?(?P<offset>Z|[+-]\d{2}:?\d{2})|\s+(?P<zone>[A-Z]{2,5})(?=\s*$))?)?\s*(?P<rest>.*)$"
)
# zone abbreviations with one meaning, and IST as India's (the commonest by far in English-language news; Israel
# and Ireland write theirs out); others (CST: US or China) are left out
_ZONES = {
    "UTC": "+00:00", "GMT": "+00:00", "EST": "-05:00", "EDT": "-04:00", "PST": "-08:00", "PDT": "-07:00",
    "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00", "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
    "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00", "WET": "+00:00", "WEST": "+01:00",
    "MSK": "+03:00", "SAST": "+02:00", "EAT": "+03:00", "WAT": "+01:00", "PKT": "+05:00", "IST": "+05:30",
    "NPT": "+05:45", "ICT": "+07:00", "WIB": "+07:00", "HKT": "+08:00", "SGT": "+08:00", "PHT": "+08:00",
    "JST": "+09:00", "KST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00", "ACST": "+09:30", "ACDT": "+10:30",
    "AWST": "+08:00", "NZST": "+12:00", "NZDT": "+13:00",
    # a zone named without saying summer or winter time: the offset its place has on that day
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}  # not CST, AST or BST: each names zones hours apart (China / US Central, Arabia / Atlantic, Britain / Bangladesh)
_LEAST_TIMESTAMP = 100_000_000  # seconds after 1970 (March 1973): a smaller number is no article's time
# a known zone abbreviation ending a written date ("4 March 2026, 09:20 CET"), read by its offset on every path
_ZONE_AT_END = re.compile(r"(?<!\s)\s+\(?(?P<zone>" + "|".join(_ZONES) + r")\)?\Z")  # on the stripped text
# "09:20 PM": email.utils reads such a date but drops the half of the day; dateparser keeps it
_HALF_DAY = re.compile(r"\d\s*[ap]\.?m\b", re.I)
# a line that ends in one of these goes on in the next, whatever that starts with ("to approve the" | "Senate")
_GOES_ON = frozenset(
    "the a an of and or to in on at for with by from as that which who its his her their was were is are be has have had"
    .split()
)
_DATELINE_ALONE = 80  # a dateline alone on its line is shorter
_GOES_ON_FIRST = frozenset("the a an of and or to with by".split())  # not "in", "for": "what to watch for"
_NAMING_KEYS = ("source", "outlet")  # not author or byline: "Author: Jane Doe, staff writer"
_WRAPPED_CHARS = 40  # a hard-wrapped line is longer than a subheading usually is
_FULL_STOP = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")  # a full stop, maybe inside a quotation or bracket
_SENTENCE_END = re.compile(r"[.!?:\"')\]]$")  # a line's last mark may end a sentence (a bracket or quote too)
_BULLET_MARKS = "-*\u2022"  # a line opening with one is a list's item
# characters lxml refuses in a document (C0 controls but tab and line breaks, and two non-characters)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# "Published: 3 Feb 2026 10:04 IST", "Updated on: 03.02.2026", a live page's "Updated 31 January 2026": where a page
# says when it was published
_STAMP = re.compile(
    r"^(?:first )?(?:published|posted|updated|last updated)(?:(?:\s+(?:on|at))?\s*:|\s+(?:on|at)"
    r"|\s+(?=\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d))\s*"
    r"(?P<value>(?=[^|]*(?:19|20)\d\d)[^|]{6,40}?)(?:\s+by\s+[^|]{1,60})?$",
    re.I,
)  # with a year ("Published: 3 hours ago" is no date); "Posted on Feb 6, 2026 by Priya Raman"
_STAMP_LINES = 6  # it stands above the text, or under the headline
# Inline tags a plain-text field may hold ("... <a href=...>the Ledger</a> reported"): taken out, its lines kept
# An HTML character reference: "&amp;", "&#39;", "&#x2019;" (a CMS's escaped title, WordPress's "&#8217;")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_INLINE_TAG = re.compile(r"</?(?:a|b|i|em|strong|span|u|sup|sub|small|font|abbr|cite|q|mark)(?:\s[^<>\n]*)?>", re.I)
_ABSOLUTE_PARSERS = ["timestamp", "custom-formats", "absolute-time", "no-spaces-time"]
_DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}\b")
# "Tue 03/02/2026": a weekday before a numeric date whose day and month could be either way round
_WEEKDAY_NUMERIC = re.compile(
    r"(?P<weekday>mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday|s|rs|rs\.)?\b\.?,?\s+"
    r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<year>\d{4}|\d{2})(?!\d)", re.I)


def weekday_fits(text: str) -> dict[str, bool] | None:
    """For a numeric date after a weekday whose day and month could be either way round ("Tue 03/02/2026"): whether
    the weekday fits each reading, day first ("DMY": 3 February 2026, a Tuesday) and month first ("MDY": 2 March, a
    Monday); None when there is no doubt to settle (no weekday, a number over 12 or two the same). A two-digit year is
    19xx from 69 on, as the date parser reads it; a reading that is no date (31/02) fits no weekday."""
    found = _WEEKDAY_NUMERIC.match(text.strip())
    if not found:
        return None
    a, b, year = int(found["a"]), int(found["b"]), int(found["year"])
    if a == b or not (1 <= a <= 12 and 1 <= b <= 12):
        return None
    if len(found["year"]) == 2:
        year += 2000 if year < 69 else 1900
    weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(found["weekday"].lower())
    return {order: date(year, month, day).weekday() == weekday for order, (day, month) in (("DMY", (a, b)), ("MDY", (b, a)))}


def weekday_order(text: str) -> str | None:
    """"DMY" or "MDY" when a weekday settles which way round a numeric date is written (weekday_fits: it fits one
    reading only), else None."""
    fits = weekday_fits(text)
    return next(o for o, ok in fits.items() if ok) if fits and sum(fits.values()) == 1 else None


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters but tab, line breaks and form feed
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BLOCKS = (
    "p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "hl2", "pre", "blockquote", "tr", "figcaption",
    "figure", "ul", "ol", "dt", "dd", "table", "caption", "section", "article", "header", "footer", "aside", "hr",
)
_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that is no UTF-8, as surrogateescape shows it
_UTF8_CHAR = re.compile("[^\x00-\x7f\udc80-\udcff]")


class BadInput(ValueError):
    """An input that cannot become an article; the message is the reject reason."""


@dataclass(frozen=True)
class Record:
    """One article as read from a file, before the body is cleaned."""

    article_id: str
    path: str
    title: str | None
    lines: list[str]
    source: str | None = None
    published: datetime | None = None
    url: str | None = None
    dateline: str | None = None
    raw_date: str | None = None  # the date as the input gave it, to say so when it cannot be read
    own_id: bool = False  # the id is the item's own (its "id", uri or url), not its input's name's


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler "newsdedup-cp1252": the bytes UTF-8 cannot decode read one by one as cp1252 (as
    latin-1 where cp1252 defines none), the characters an editor in cp1252 typed into a UTF-8 file."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in bad), exc.end


codecs.register_error("newsdedup-cp1252", _cp1252_bytes)


# The encoding a page or an XML document declares near its start: <meta charset="shift_jis">, <meta
# http-equiv="Content-Type" content="text/html; charset=windows-1251">, <?xml version="1.0" encoding="windows-1251"?>
_DECLARED = re.compile(
    rb"""<\?xml[^>]{0,200}?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']|<meta\b[^>]{0,300}?\bcharset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""",
    re.I,
)
# How browsers read the labels of Western single-byte encodings (WHATWG): ISO-8859-1, latin-1 and ASCII as
# windows-1252 (whose curly quotes and dashes a page so labelled holds), ISO-8859-9 as windows-1254
_READ_AS = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}


@lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """Whether a codec reads one byte as one character (windows-1251, KOI8-R), not several as one (Shift-JIS)."""
    return len(bytes(range(256)).decode(codec, "replace")) == 256


def _declared(data: bytes) -> str | None:
    """The codec a page or an XML document (a file opening with "<") declares for itself in its first 4 KB, as a
    browser reads its label, when Python knows it; None otherwise, and for a UTF label (wrong on 8-bit data)."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None  # JSON holding pages, text quoting one: their bodies' declarations are not the file's
    found = _DECLARED.search(data[:4096])
    if not found:
        return None
    try:
        name = codecs.lookup((found.group(1) or found.group(2)).decode("ascii")).name
    except LookupError:
        return None
    return None if name.startswith("utf") else _READ_AS.get(name, name)


# Of a file read as cp1252 for want of anything better, the share of its Latin letters that may be accented: a
# European language has a few in a hundred; Shift-JIS or GB18030 bytes read so are mostly accented letters and
# symbols ("\u0152\u2039\u017e'\u0151\u00e5\u2030J").
ACCENTED_AT_MOST = 0.3


def _decode_8bit(data: bytes) -> str:
    """UTF-8; a file that is mostly UTF-8 with stray cp1252 bytes keeps its UTF-8 and reads those bytes as cp1252;
    then the encoding a page or an XML document declares (its meta charset, its XML declaration; a multi-byte one,
    Shift-JIS, first, which chance UTF-8 in its bytes could otherwise take for mostly UTF-8); any other file is cp1252
    (latin-1 when it holds bytes cp1252 does not define), unless that makes a third of its Latin letters or more
    accented (another encoding: a BadInput)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared is not None and not _single_byte(declared):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    escaped = data.decode("utf-8-sig", "surrogateescape")  # one U+DC80..U+DCFF per byte that is no UTF-8
    utf8 = _UTF8_CHAR.findall(escaped)
    # A character of three UTF-8 bytes or more (U+0800 up: a curly quote, a dash, a BOM pasted in) is no chance run of
    # cp1252 letters ("â€™" is what it looks like read as cp1252): one settles it, however many stray bytes there are.
    # Two-byte sequences ("Ã©") can be cp1252, so they must outnumber the stray bytes.
    strays = len(_ESCAPED.findall(escaped))
    if utf8 and (len(utf8) > strays or any(ord(c) >= 0x800 for c in utf8)):
        # UTF-8 with stray bytes, unless the strays are a third of its letters or more: Shift-JIS or GB18030 bytes,
        # some of which pair up as UTF-8 by chance
        if strays >= ACCENTED_AT_MOST * (len(LETTER.findall(escaped)) + strays):
            raise BadInput(GARBLED)
        return data.decode("utf-8-sig", "newsdedup-cp1252")
    if declared is not None and _single_byte(declared):
        return data.decode(declared, "replace")
    try:
        return _not_garbled(data.decode("cp1252"))
    except UnicodeDecodeError:
        return _not_garbled(data.decode("latin-1"))


def _not_garbled(text: str) -> str:
    """The text, or BadInput when a third or more of its Latin letters are accented: bytes of another encoding read
    as cp1252."""
    sample = text[:65536]
    latin = len(LATIN_LETTER.findall(sample))
    if latin and latin - len(_ASCII_LETTER.findall(sample)) >= ACCENTED_AT_MOST * latin:
        raise BadInput(GARBLED)
    return text


GARBLED = ("text encoding not recognised: neither UTF-8 nor cp1252 (read so, a third of its letters or more are "
           "accented or stray bytes: Shift-JIS, GB18030, ...?); save it as UTF-8")


_ASCII_LETTER = re.compile(r"[A-Za-z]")


# What a file read whole but holding no article is rejected for. A feed emptied for a moment (a fetcher truncates it,
# then writes) is no broken file: the items that left it stay (incremental.reconcile).
EMPTY_FILE, EMPTY_ARRAY = "empty file", "JSON array with no articles"
HOLDS_NO_ARTICLE = frozenset({EMPTY_FILE, EMPTY_ARRAY, EMPTY_FEED})


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text written without a byte order mark (some Windows tools): the NULs lie on one side only, in every
    other byte for Latin letters, in the spaces, digits and stops of another script (Urdu, Russian); None for anything
    else (binary data)."""
    head = data[:65536]
    if len(data) % 2 or len(head) < 16:
        return None
    even, odd = head[0::2].count(0) / (len(head) / 2), head[1::2].count(0) / (len(head) / 2)
    if max(even, odd) < 0.05 or min(even, odd) > 0.01:
        return None
    try:
        text = data.decode("utf-16-be" if even > odd else "utf-16-le")
    except UnicodeDecodeError:
        return None
    sample = text[:5000]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\r\n\t")  # NBSP is text
    if controls > len(sample) // 100:
        return None
    return text if max(even, odd) >= 0.6 or _one_script(sample) else None


def _one_script(sample: str) -> bool:
    """Whether a text read as UTF-16 reads as words: no unassigned or private code points, a space between words,
    and its letters mostly of one script (binary data read so scatters over scripts and unassigned points)."""
    if any(unicodedata.category(c) in ("Cn", "Co", "Cs") for c in sample) or sample.count(" ") < len(sample) / 20:
        return False
    scripts = Counter(unicodedata.name(c, "?").split()[0] for c in sample if c.isalpha())
    return bool(scripts) and scripts.most_common(1)[0][1] >= 0.8 * sum(scripts.values())


_STRAY_NULS = 8  # NUL bytes a text file may hold by accident; a binary file holds many more


def _stray_nuls(data: bytes) -> bool:
    """Whether the NUL bytes of data (a write's NUL padding at its end taken off) are a few strays in a text (one bad
    byte): an article's worth of UTF-8 with no other control character, and at most _STRAY_NULS of them (1 % of a
    long one). The first 64 KB decide, as for any file."""
    sample = data[:65536]
    if len(sample) < 200 or sample.count(b"\x00") > max(_STRAY_NULS, 0.01 * len(sample)):
        return False
    try:  # incremental: a character cut at the sample's end is no error
        text = codecs.getincrementaldecoder("utf-8")().decode(sample.replace(b"\x00", b""), final=False)
    except UnicodeDecodeError:
        return False
    return not _CONTROLS.search(text)


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-16 by its byte order mark, else UTF-8 and cp1252 (_decode_8bit), double-encoded
    UTF-8 decoded once more ("Pakistan\u00e2\u20ac\u2122s" is "Pakistan\u2019s": normalize.repair_mojibake); raise
    BadInput for binary data and for broken UTF-16."""
    return repair_mojibake(_decode(data))


def _decode(data: bytes) -> str:
    if not data.strip():
        raise BadInput(EMPTY_FILE)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # UTF-32's marks (the first opens UTF-16's too)
        try:
            text = data.decode("utf-32")
        except UnicodeDecodeError as exc:
            raise BadInput(f"broken UTF-32 text: {exc.reason} at byte {exc.start}") from None
        return _some_text(text)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _some_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise BadInput(f"broken UTF-16 text: {exc.reason} at byte {exc.start}") from None
    if b"\x00" in data[:65536]:
        text = _bomless_utf16(data)
        if text is not None:
            return text
        data = data.rstrip(b"\x00\r\n\t ")  # a write padded with NULs at its end (a block preallocated, a copy cut short)
        if b"\x00" in data[:65536] and not _stray_nuls(data):
            raise BadInput("binary file (contains NUL bytes), not text")
        data = data.replace(b"\x00", b"")  # a few stray NULs (a bad byte): no text
    text = _decode_8bit(data)
    controls = len(_CONTROLS.findall(text, 0, 65536))
    if controls > 0.01 * min(len(text), 65536):
        raise BadInput("binary file (control characters), not text")
    return _some_text(text.replace("\x00", "") if "\x00" in text else text)  # stray NULs past the sample: no text


def _some_text(text: str) -> str:
    """The text, or BadInput when it holds nothing but space and byte order marks."""
    if not text.replace("\ufeff", "").strip():
        raise BadInput(EMPTY_FILE)
    return text


_LONGEST_DATE = 100  # characters: "Sunday, February 1, 2026, 9:05 p.m. Eastern Standard Time (updated ...)" is fewer


def parse_date(value: Any) -> datetime | None:
    """A datetime from ISO 8601, RFC 2822 or common written dates, in the zone the value gives ("21:00 -0500" stays
    at -05:00: to_document stores it in UTC with its offset), UTC when it gives none; None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < _LEAST_TIMESTAMP and not 19000101 <= value <= 21001231:
            return None  # NaN (Python's JSON reads it), a year alone (2026), a time before 1973 or a negative one
        if value == int(value) and 19000101 <= value <= 21001231:  # 20260203: a day written as digits
            return parse_date(str(int(value)))
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):  # 1e20: no time a clock gives
            return None
    text = str(value).strip()
    if text.isdigit() and len(text) <= 6:  # "2026", "202602": a year or a month, no day
        return None
    if len(text) > _LONGEST_DATE:  # prose, or garbage, that a date parser would take seconds over
        return None
    zone = _ZONE_AT_END.search(text)
    if zone:  # read without it, then placed in it: "09:20 CET" is 09:20+01:00 (a day alone stays that day)
        text = text[: zone.start()]
        zone = zone if re.search(r"\d:\d", text) else None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            if _HALF_DAY.search(text):
                raise ValueError("a time with AM / PM")
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            import dateparser

            # no relative dates ("an hour ago"): they would date an article by the time of the run
            settings = {"REQUIRE_PARTS": ["day", "month", "year"], "TIMEZONE": "UTC", "PARSERS": _ABSOLUTE_PARSERS}
            if _DOTTED_DATE.match(text):
                settings["DATE_ORDER"] = "DMY"  # "03.02.2026" is 3 February wherever dots are written
            elif order := weekday_order(text):
                settings["DATE_ORDER"] = order
            parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if zone and parsed.tzinfo is None:  # an offset the text gives wins over a zone's name ("+0000 (EST)")
        where = _ZONES[zone.group("zone")]
        place = ZoneInfo(where) if "/" in where else datetime.fromisoformat(f"2000-01-01T00:00{where}").tzinfo
        parsed = parsed.replace(tzinfo=place)
    elif parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _read_headers(lines: list[str], meta: dict[str, str], strict: bool = False) -> None:
    """Take the header lines (`date 2026-02-01`, `source: Reuters`) from the front of lines into meta, and the blank
    lines among them; stop at the first line that is none (a headline, prose starting with a header's word). Strict,
    under a headline, where a wrapped headline may go on with a header's word ("Police seek help to" | "id suspects
    in bank raid"): a key with its colon, or a date written as one ("date 2026-02-03")."""
    while lines:
        first = lines[0].strip()
        if not first:
            lines.pop(0)
            continue
        match = _HEADER.match(first)
        key = (match.group("key") or match.group("bare")).lower() if match else None
        if not match or key in meta:
            break
        if strict and not match.group("key") and not (key in ("date", "published") and _HEADER_DATE.match(match.group("value"))):
            break
        value = match.group("value").strip()
        if key in ("date", "published"):
            date_match = _HEADER_DATE.match(value)
            if date_match:
                meta["date"] = _header_date(date_match)
                lines[0] = date_match.group("rest")  # a header may share its line with the text
                continue
            if parse_date(value) is None and (len(value.split()) > 6 or match.group("bare") in ("DATE", "PUBLISHED")):
                break  # prose starting with the word "date"
            # "date: 5 May 2025", "published Sun, 01 Feb 2026 08:00:00 GMT", or one not understood ("date: unknown",
            # "date sometime last week": the article is undated and says why, and the headline under it stays one)
            meta["date"] = value
            lines.pop(0)
            continue
        if len(value.split()) > 12 and key not in ("title", "headline"):
            break  # prose that happens to start with a header word
        if match.group("key") and match.group("key")[0].isupper() and key in _NAMING_KEYS and _sentence_words(value):
            break  # a headline: "Source: Cowboys, Prescott agree to record deal" (not "Source: Reuters, London")
        meta[key] = value
        lines.pop(0)


def parse_text(text: str, article_id: str, path: str) -> Record:
    """A plain-text article: header lines (`date 2026-02-01`), a headline line, a dateline, the body. Header lines
    under the headline (a headline, then `date ...`, `source ...`) are read as those above it are."""
    lines = fold(text).lstrip("\ufeff").splitlines()
    meta: dict[str, str] = {}
    _read_headers(lines, meta)
    if lines and "title" not in meta and "headline" not in meta and _title_line(lines, 0) and _headline(lines, 0):
        under = lines[1:]
        known = len(meta)
        _read_headers(under, meta, strict=True)
        if len(meta) > known:  # kept apart from the body by a blank line, as a headline is
            lines = [lines[0], "", *under]
    while lines and not lines[0].strip():
        lines.pop(0)
    lines = _join_datelines(_unwrap(lines))
    published = parse_date(meta.get("date"))
    if published is None:  # a page's "Published: 3 Feb 2026 10:04" line, dropped from the text as furniture
        stamp = next(
            ((m.group("value"), when) for line in lines[:_STAMP_LINES]
             if (m := _STAMP.match(" ".join(line.split()))) and (when := parse_date(m.group("value")))),
            None,
        )
        if stamp:  # else a header not understood stays the date, and its note
            meta["date"], published = stamp
    title = meta.get("title") or meta.get("headline")
    if not title:
        # the headline is the first line that is no furniture (a section "World | Europe", a byline, "Updated: ...")
        first = next((i for i, line in enumerate(lines) if line.strip() and _title_line(lines, i)), None)
        if first is not None and _headline(lines, first):
            title = lines.pop(first).strip()
            if not any(line.strip() for line in lines):
                lines = [title]  # a wire flash: the headline is the whole text
    return Record(
        article_id=meta.get("id") or article_id,
        path=path,
        title=title,
        lines=lines,
        source=meta.get("source") or meta.get("outlet"),
        published=published,
        url=meta.get("url"),
        raw_date=meta.get("date"),
    )


def _sentence_words(value: str) -> bool:
    """Whether a value holds lower-case words as a sentence does, two or more ("agree to record deal"; not "Press
    Trust of India", "dpa" or "news.com.au")."""
    plain = [w for w in value.split() if "." not in w]
    return sum(w.isalpha() and w.islower() and w not in ("of", "the", "via", "and", "de") for w in plain) >= 2


def _furniture(line: str) -> bool:
    return is_boilerplate_line(line) or is_credit_line(line)


# "WATCH: Army says 92 militants killed", "VIDEO | Floods cut off Kerala villages": a headline under a media label. In a
# text such a line is a promo for another clip, dropped as furniture; as a text's first line it is the headline.
_MEDIA_LABEL = re.compile(r"^\W*(?:watch|video|videos|listen|audio|podcast|photos|gallery|in pictures)\s*[:|\-]\s*(?P<rest>.+)$", re.I)


_CREDIT_WORDS = frozenset({"of", "the", "for", "via", "and", "by", "from", "courtesy", "in", "at", "with", "on", "to", "a"})
# what a credit under a media label opens with ("Video: Screengrab from social media", "Photos: Courtesy of the family")
_CREDIT_OPENERS = frozenset({"courtesy", "screengrab", "screengrabs", "screenshot", "screenshots", "grab", "file", "handout",
                             "supplied", "credit", "source", "via", "by", "still", "stills", "pool"})


def _title_line(lines: list[str], i: int) -> bool:
    """Whether line i of a text may be its headline: no furniture; or, as its first line, a headline under a media label
    above the body: three words or more with one in lower case that a credit does not use, no credit's opening word,
    and no headline-like line under it ("WATCH: Army says 92 militants killed", "VIDEO: Floods hit Kerala"; not "Video:
    Reuters", "Photos: AFP/Getty Images", "Video: Screengrab from social media", nor a promo above the headline)."""
    line = lines[i]
    if not _furniture(line):
        return True
    labelled = _MEDIA_LABEL.match(line.strip()) if i == 0 else None
    if not labelled:
        return False
    rest = labelled.group("rest")
    words = rest.split()
    below = next((other for other in lines[i + 1 :] if other.strip()), "")
    return (len(words) >= 3 and not any(c in rest for c in "/\u00a9") and looks_like_headline(rest)
            and words[0].lower().strip(".,:;'\"") not in _CREDIT_OPENERS
            and any(w.isalpha() and w.islower() and w not in _CREDIT_WORDS for w in words)
            and not (below and looks_like_headline(below)))


def _headline(lines: list[str], i: int) -> bool:
    """Whether line i of a text is its headline: short with no end mark, or a short question or quotation above
    more text ("Will the Fed cut rates in March?", "PM: 'We will not bow'")."""
    line = lines[i].strip()
    if looks_like_headline(line):
        return True
    more = any(rest.strip() for rest in lines[i + 1 :])
    if not more or len(line.split()) > 14 or not line.endswith(("?", "'", '"')) or re.search(r"[.,!]['\"]$", line):
        return False  # a lead ends its quotation with its sentence: '... on Sunday: "We will rebuild."'
    return len(split_sentences(line)) == 1


def _join_datelines(lines: list[str]) -> list[str]:
    """A dateline alone on its line ("WASHINGTON (AP) \u2014") joined to the paragraph under it, so it is split
    off as a dateline, not taken for a headline."""
    out: list[str] = []
    for line in lines:
        if out and len(out[-1]) <= _DATELINE_ALONE and line.strip() and is_dateline(out[-1]):
            out[-1] = f"{out[-1].strip()} {line.strip()}"
        else:
            out.append(line)
    return out


def _header_date(match: re.Match[str]) -> str:
    """The date of a header (_HEADER_DATE) as ISO 8601, a known zone abbreviation as its offset; a zone it
    cannot tell is left out (the time is then read as UTC, as a time given without a zone)."""
    date, time, offset = match.group("date", "time", "offset")
    return f"{date}T{time}{offset or _ZONES.get(match.group('zone') or '', '')}" if time else date


def _wrapped(line: str, following: str, first: bool = False) -> bool:
    """Whether a text line is cut where its sentence goes on in the following line (a hard-wrapped text): it
    ends in no sentence-ending mark, and the following line starts in lower case, or the line ends in a word no
    sentence ends in ("to approve the" | "Continuing ..."), or, under a long line that is not the text's first
    (a headline or a subheading is short), the following starts with a figure or "$" ("includes" | "$12
    billion"). Never into a bullet, a bracket, a quotation or a dateline; a first line (maybe a headline:
    "Minister sworn in") goes on only after an article or a conjunction."""
    if not line or not following or _SENTENCE_END.search(line):
        return False
    if following[0].islower():  # under a headline, a sentence opening with a name written so ("iPhone sales rose ...")
        return not (first and following[1:2].isupper() and _SENTENCE_END.search(following))
    if following[0] in _BULLET_MARKS + "(\"'" or split_dateline(following)[0]:
        return False
    last = line.rsplit(None, 1)[-1]
    if first:  # "Pope calls for" | "Peace in Gaza", not "What to watch for" | "Polls close at 7 p.m."
        return last in _GOES_ON_FIRST or (last in _GOES_ON and not _SENTENCE_END.search(following))
    if last in _GOES_ON:
        return True
    return len(line) >= _WRAPPED_CHARS and not following[0].isalpha()


def _hard_wrapped(lines: list[str]) -> bool:
    """A text wrapped at a fixed width (72 or 80 columns): most of its lines that long, none much longer."""
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < 4 or max(lengths) > 100:
        return False
    return sum(55 <= n <= 90 for n in lengths) >= 0.6 * len(lengths)


def _unwrap(lines: list[str], strict: bool = False) -> list[str]:
    """The lines of a plain text with each hard-wrapped paragraph joined into one line (_wrapped). Strict, for a
    record's body, where a line is often a paragraph: only a long line (a subheading is short)."""
    # Each line of out in pieces: a paragraph of thousands of wrapped lines is joined once at the end, and the tests
    # read the end of the line so far (_joined_tail), not all of it (a 450 KB paragraph took 4.6 s).
    out: list[list[str]] = []
    first = None  # where in out the text's first line that is no furniture lies: maybe its headline
    wrapped = _hard_wrapped(lines)
    for line in lines:
        prev, nxt = _joined_tail(out[-1]) if out else "", line.strip()
        if wrapped and prev and nxt and len(prev) >= _WRAPPED_CHARS and not _FULL_STOP.search(prev):
            # a text wrapped at a fixed width: a long line goes on ("... said Ruth" | "Gregory, deputy ...")
            joined = nxt[0] not in _BULLET_MARKS and not split_dateline(nxt)[0]
        elif strict:
            joined = len(prev) >= _WRAPPED_CHARS and _wrapped(prev, nxt)
        else:
            joined = bool(out) and _wrapped(prev, nxt, first=first == len(out) - 1)
        if joined:
            out[-1].append(nxt)
        else:
            out.append([line])
            if first is None and line.strip() and not _furniture(line):
                first = len(out) - 1
    return [pieces[0] if len(pieces) == 1 else " ".join([pieces[0].rstrip(), *pieces[1:]]) for pieces in out]


_TAIL = 200  # characters of a line joined so far that _unwrap's tests read: its length up to this, its last word, its end


def _joined_tail(pieces: list[str]) -> str:
    """The last _TAIL characters of a line _unwrap is joining (its first line, then the stripped lines joined to it,
    one space apart), trailing space off: all that _wrapped and the full-stop test read of it."""
    if len(pieces) == 1:  # read once: the next line joins it, or starts a line of its own
        return pieces[0].rstrip()[-_TAIL:]
    end: list[str] = []
    size = 0
    for piece in reversed(pieces[1:]):
        end.append(piece)
        size += len(piece) + 1
        if size > _TAIL:
            break
    else:
        end.append(pieces[0].rstrip())
    return " ".join(reversed(end))[-_TAIL:]


def _scalar(value: Any) -> str | None:
    """A display string from a JSON value that may be a string, a list of them or a {name: ...} object (also value,
    title, main or text: a headline given as {"main": ...})."""
    if value is None:
        return None
    if isinstance(value, dict):
        return _scalar(value.get("name") or value.get("value") or value.get("title") or value.get("main") or value.get("text")
                       or value.get("rendered"))  # WordPress's REST API: {"title": {"rendered": "..."}}
    if isinstance(value, list):
        return _scalar(value[0]) if value else None
    text = one_line(repair_mojibake(str(value).replace("\x00", ""))).strip()  # an id, a title or an outlet from a JSON string that holds a line break
    return text or None


_PART_TEXT_KEYS = ("text", "value", "content", "html", "body", "paragraph", "children", "items", "rendered")


def _body_text(body: Any) -> str:
    """A body given as parts (a CMS export's [{"type": "paragraph", "text": ...}, ...], or a list of strings): their
    text, a paragraph each; a part without text (an image, an embed) gives none."""
    if isinstance(body, str):
        return body
    if isinstance(body, (int, float)) and not isinstance(body, bool):
        return str(body)
    if isinstance(body, dict):
        spans = body.get("children")
        if isinstance(spans, list) and spans and all(isinstance(x, dict) and isinstance(x.get("text"), str) for x in spans):
            return "".join(x["text"] for x in spans)  # a block's inline spans (Slate, Portable Text): one paragraph
        return next((text for key in _PART_TEXT_KEYS if (text := _body_text(body.get(key))).strip()), "")
    if isinstance(body, list):
        return "\n\n".join(text for part in body if (text := _body_text(part)).strip())
    return ""


def _plain(text: str) -> str:
    """A JSON string as text: inline tags ("<b>", "<a href=...>") taken out, character references read ("Tom &amp;
    Jerry&#39;s" is "Tom & Jerry's")."""
    if "<" in text and _INLINE_TAG.search(text):
        text = _INLINE_TAG.sub("", text)
    # only references closed by ";": html.unescape would also read "&sect" in a URL's "?a=1&sect=2"
    text = _ENTITY.sub(lambda m: unescape(m.group(0)), text) if "&" in text else text
    # double-encoded UTF-8 escaped in JSON ("\\u00e2\\u20ac\\u2122") or written as references ("&acirc;&euro;&trade;"),
    # which decode() does not see
    return repair_mojibake(text)


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if record.get(key) not in (None, "", [], {}):
            return record[key]
    return None


def _space(run: re.Match[str]) -> str:
    return "\n" if run.group(0).count("\n") > 1 else " "


def _collapse_space(tree: Any) -> None:
    """HTML's whitespace, a line break included, as one space (outside <pre>): a paragraph wrapped in the
    source is one line. A blank line stays a paragraph break: plain-text paragraphs around a tag or two have
    no other."""
    for element in tree.iter():
        in_pre = any(True for _ in element.iterancestors("pre"))
        if isinstance(element.tag, str) and element.text and not in_pre and element.tag != "pre":
            element.text = _HTML_SPACE.sub(_space, element.text)
        if element.tail and not in_pre:
            element.tail = _HTML_SPACE.sub(_space, element.tail)


def _html_to_lines(html: str) -> list[str]:
    """Paragraph lines of an HTML fragment (an article body field): one line per block element."""
    from lxml import html as lxml_html

    # lxml refuses a stray control character (a space here) and stops at half a character (U+FFFD, as stored)
    safe = _SURROGATE.sub("\ufffd", _NOT_XML.sub(" ", html))
    # huge_tree: a body of unclosed tags (an old CMS's <font>s) nests past libxml2's 256 levels, and the rest was lost
    parser = lxml_html.HTMLParser(huge_tree=True)
    tree = lxml_html.fromstring(f"<div>{_no_fonts(safe)}</div>", parser=parser)
    if _too_deep(parser):
        raise BadInput(f"HTML body nested deeper than {HUGE_DEPTH:,} elements: its text cannot be read")
    if len(tree):
        _collapse_space(tree)  # HTML; text without a tag (a feed's plain description) keeps its line breaks
    # a photo's caption is no story text, nor are scripts, styles and their fallbacks that a CMS or a feed leaves in a
    # body field ("<script>gtag(...)</script>", "<noscript>Please enable JavaScript to view the comments ...")
    for element in list(tree.iter("figcaption", "script", "style", "noscript", "template")):
        element.drop_tree()
    for block in tree.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")  # a block ends its line and starts one
        if block.tag not in ("br", "hr"):
            block.text = "\n" + (block.text or "")
    return [" ".join(line.split()) for line in fold(repair_mojibake(tree.text_content())).split("\n")]  # quotes and dashes as every input's


def _main_first(parts: list[Any]) -> list[dict[str, Any]]:
    """ninjs 2.x headlines or bodies (objects with a "role"), the main ones first, then those without a role, then
    the rest (a summary, a short headline, a teaser), each in the order given."""
    parts = [part for part in parts if isinstance(part, dict)]
    rank = {"main": 0, "": 1}
    return sorted(parts, key=lambda part: rank.get(str(part.get("role") or "").strip().lower(), 2))


def _ninjs_body(bodies: list[Any]) -> tuple[Any, str]:
    """The text of ninjs 2.x "bodies" and the body key it stands for: of the main bodies (a "role" of "main", else
    none, else any: a summary is no article while there is more), the first plain-text one, else the first (HTML);
    (None, "text") when there is none."""
    ranked = _main_first(bodies)
    bodies = [b for b in ranked if b.get("role") == ranked[0].get("role")] if ranked else []
    plain = [b for b in bodies if "html" not in str(b.get("contenttype", ""))]
    if plain or not bodies:
        return (plain[0].get("value") if plain else None), "text"
    return bodies[0].get("value"), "body_html"


def _version(record: dict[str, Any]) -> int | None:
    """The version a ninjs item says it is ("version": "3"), when a second or later one."""
    version = _scalar(record.get("version"))
    return int(version) if version and version.isascii() and version.isdigit() and int(version) > 1 else None


_VERSIONED = re.compile(r"@v\d+\Z")


def unversioned(article_id: str) -> str:
    """The item's own id of a wire's later version ('URI@v2' -> 'URI'); any other id as it is."""
    return _VERSIONED.sub("", article_id)


def version_of(article_id: str) -> int:
    """The version of a wire's item an id names ('URI@v2' -> 2); 1 for any other id."""
    found = _VERSIONED.search(article_id)
    return int(found.group()[2:]) if found else 1


def _later_version(record: dict[str, Any]) -> bool:
    """A ninjs item saying it is a second or later version, with that version's time: a wire's UPDATE 2 is dated
    when it was issued, not by its story's firstcreated, which every version repeats."""
    return _version(record) is not None and bool(_scalar(record.get("versioncreated")))


def _no_body(record: dict[str, Any]) -> str:
    """Why an object gives no article, naming what it holds instead: an API's error reply by its message, any other
    object by its keys (a wrapper read as an article: {"payload": {"items": [...]}})."""
    error = record.get("error") or record.get("errors")
    if error or str(record.get("status", "ok")).strip().lower() in ("error", "fail", "failed"):
        inner = (error[0] if error else None) if isinstance(error, list) else error
        message = inner.get("message") or inner.get("code") if isinstance(inner, dict) else inner
        said = _scalar(record.get("message")) or _scalar(message) or _scalar(record.get("status"))
        return f"an error reply, not an article: {' '.join(str(said).split())[:120]}"
    odd = next(((key, record[key]) for key in _BODY_KEYS if isinstance(record.get(key), (dict, int, float, bool))), None)
    if odd is not None:  # the field is there, holding no text: {"body_text": {"weird": true}}
        what = "an object" if isinstance(odd[1], dict) else _JSON_TYPES[type(odd[1])]
        return f"no body text: its {odd[0]} is {what}, not text"
    keys = [str(key) for key in record if not str(key).startswith("_")]  # an article's headline alone needs no list
    held = f"; it holds {', '.join(keys[:8])}{', ...' if len(keys) > 8 else ''}" if keys and not _looks_like_article(record) else ""
    return f"no body text (none of text, body, body_text, content, content_text, body_html, content_html){held}"


def _package_text(record: dict[str, Any]) -> dict[str, Any] | None:
    """A ninjs package's ("type": "composite", its parts in "associations") text item: the one named "main", else the
    first of type text with a body; None for any other object."""
    parts = record.get("associations")
    if not isinstance(parts, dict):
        return None
    items = [part for name, part in sorted(parts.items(), key=lambda kv: kv[0] != "main") if isinstance(part, dict)]
    return next((part for part in items if str(part.get("type", "text")).lower() == "text"
                 and (_first(part, _BODY_KEYS) is not None or isinstance(part.get("bodies"), list))), None)


def parse_record(record: Any, article_id: str, path: str) -> Record:
    """One JSON object with common field names, IPTC ninjs 1.x / 2.x included."""
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, got {_JSON_TYPES.get(type(record), type(record).__name__)}")
    body = _first(record, _BODY_KEYS)
    key = next((k for k in _BODY_KEYS if record.get(k) not in (None, "", [], {})), None)
    text_item = _package_text(record) if body is None and not isinstance(record.get("bodies"), list) else None
    if text_item is not None:  # a ninjs package: the story is its text item's, under the package's id and headline
        return parse_record({**text_item, **{k: v for k, v in record.items() if k not in ("associations", "type")}}, article_id, path)
    if body is None and isinstance(record.get("bodies"), list):  # ninjs 2.x
        body, key = _ninjs_body(record["bodies"])
    if isinstance(body, (list, dict)):
        body = _body_text(body)
    if not isinstance(body, str) or not body.strip():
        # a feed's item says in its own terms where its text would be (feeds.py)
        raise BadInput(record.get("_no_body") or _no_body(record))
    if key in _HTML_BODY_KEYS or re.search(r"<(p|br|div)\b", body):
        lines = _html_to_lines(body)
    else:
        lines = fold(_plain(body)).splitlines()
    lines = _unwrap(lines, strict=True)  # a plain-text body (or description) may be hard-wrapped
    title = _scalar(_first(record, _TITLE_KEYS))
    if title is None and isinstance(record.get("headlines"), list):  # ninjs 2.x: the main one, not a short one
        title = _scalar(_main_first(record["headlines"]) or record["headlines"])
    title = _plain(title) if title else title
    own_id = _scalar(_first(record, _ID_KEYS))
    url = _scalar(_first(record, _URL_KEYS))
    raw_date = _scalar(record["versioncreated"] if _later_version(record) else _first(record, _DATE_KEYS))
    if url is None and own_id and own_id.startswith(("http://", "https://")):
        url = own_id
    version = _version(record)
    if own_id and version:  # a wire's version 2 keeps its item's uri: an article of its own, not a duplicate
        own_id = f"{own_id}@v{version}"
    return Record(
        article_id=own_id or article_id,
        path=path,
        title=fold(title) if title else None,
        lines=lines,
        source=_scalar(_first(record, _SOURCE_KEYS)),
        published=parse_date(raw_date),
        url=url,
        raw_date=raw_date,
        own_id=bool(own_id),
    )


def feed_items(data: dict[str, Any]) -> tuple[list[Any], str | None] | None:
    """The articles of an object that wraps them (JSON Feed's "items", NewsAPI's "articles", ...) and the
    feed's own name, which an item without a source takes; None for an object that is itself an article."""
    if str(data.get("version", "")).startswith("https://jsonfeed.org/"):  # a JSON Feed is never an article
        items = data.get("items")
        return (items if isinstance(items, list) else []), _scalar(_first(data, _TITLE_KEYS))
    # a feed may describe itself ("description"), which is no article body
    own_body = _first(data, tuple(k for k in _BODY_KEYS if k != "description"))
    if own_body is not None or isinstance(data.get("bodies"), list):
        return None
    for key in _WRAPPER_KEYS:
        items = data.get(key)
        if isinstance(items, list):  # a search index's hits hold each article under "_source", its id beside it
            items = [_hit(item) for item in items]
        # most items articles: the others are each a reject of their own ("feed.json:3: ..."), not the file's
        if isinstance(items, list) and items and 2 * sum(map(_looks_like_article, items)) >= len(items):
            return items, None
        if isinstance(items, dict) and not _looks_like_article(items) and (inner := feed_items(items)) is not None:
            return inner  # wrapped twice: {"data": {"items": [...]}}, {"hits": {"hits": [...]}}
    failed = any(key in data for key in ("error", "errors")) or str(data.get("status", "ok")).lower() not in ("ok", "200")
    if not failed and not _looks_like_article(data) and any(data.get(key) == [] for key in _WRAPPER_KEYS):
        return [], None  # {"items": []}: a feed with nothing in it now (not an API's error reply: no article)
    return None


def _hit(item: Any) -> Any:
    """A search index's hit ({"_id": ..., "_source": {...}}) as the article it holds, with the hit's id when the
    article gives none of its own (an export in another order names the same articles); any other item as it is."""
    if not (isinstance(item, dict) and isinstance(item.get("_source"), dict)):
        return item
    source = item["_source"]
    return source if _first(source, _ID_KEYS) is not None or item.get("_id") is None else {"_id": item["_id"], **source}


def _looks_like_article(item: Any) -> bool:
    """An object with a headline or a body: what a wrapper's list must hold to be read as articles (an
    article whose only body is its description may carry a list of other things under "data")."""
    return isinstance(item, dict) and (_first(item, _BODY_KEYS) is not None or _first(item, _TITLE_KEYS) is not None)


_FONT_TAG = re.compile(r"</?font\b[^<>]*>", re.I)


def _no_fonts(html: str) -> str:
    """HTML without its <font> tags: an old CMS opens one a paragraph and closes none, and past the parser's depth
    limit (256 levels, 2,048 with huge_tree) the rest of the text was lost."""
    return _FONT_TAG.sub("", html) if _FONT_TAG.search(html) else html


HUGE_DEPTH = 2048  # how deep libxml2 nests elements with huge_tree (256 without)


def _too_deep(parser: Any) -> bool:
    """Whether lxml's parser stopped at its depth limit (the rest of the document is lost)."""
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def _nested_too_deep(html: str) -> bool:
    """Whether a page nests past libxml2's 256 levels, where a parse without huge_tree (trafilatura's) loses the rest."""
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser()
    try:
        lxml_html.fromstring(html, parser=parser)
    except Exception:  # an empty document, or one lxml refuses: trafilatura's parse fails alike
        return False
    return _too_deep(parser)


def parse_html(html: str, article_id: str, path: str) -> Record:
    """The main text and metadata of a web page, via trafilatura."""
    import trafilatura

    from trafilatura.settings import set_date_params

    # the date with its time and zone when the page gives them ("article:published_time"): a page dated only by
    # its day would come before every wire version of that day
    dates = {**set_date_params(True), "outputformat": _PAGE_TIME}
    html = _no_fonts(html)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, date_extraction_params=dates
    )
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = data.get("text") or ""
    if html.count("<") > 256 and _nested_too_deep(html):  # past libxml2's 256 levels trafilatura's parse loses the rest
        from lxml import html as lxml_html

        parser = lxml_html.HTMLParser(huge_tree=True)
        tree = lxml_html.fromstring(html, parser=parser)
        if _too_deep(parser):
            raise BadInput(f"HTML page nested deeper than {HUGE_DEPTH:,} elements: its text cannot be read")
        deep = trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=False, date_extraction_params=dates
        )
        deep_data = deep.as_dict() if deep is not None and hasattr(deep, "as_dict") else (deep or {})
        if len((deep_data.get("text") or "").split()) > len(text.split()):
            data, text = deep_data, deep_data.get("text") or ""
    if len(text.split()) < 3:
        raise BadInput("HTML page with no article text")
    listed = _teasers(html, text)
    if listed:
        raise BadInput(f"a section or index page ({listed} headlines linking to stories, its text their teasers), not an article")
    return Record(
        article_id=article_id,
        path=path,
        title=fold(repair_mojibake(data["title"])) if data.get("title") else None,  # "&acirc;&euro;&trade;" in the markup
        lines=fold(repair_mojibake(text)).splitlines(),
        source=_page_outlet(html, data),
        published=parse_date(_page_date(html, data.get("date"))),
        url=data.get("url"),
    )


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LEAST_TEASERS = 5
_TEASER_WORDS = 60  # a teaser's card (headline and a line or two) is shorter; a live blog's post or a list's item longer
_ARTICLE_TYPE = re.compile(
    r"""<meta[^>]+property=["']og:type["'][^>]+content=["']article["']|<meta[^>]+content=["']article["'][^>]+property=["']og:type["']"""
    r"""|"@type"\s*:\s*"(News|Reportage|Analysis|Blog|LiveBlog|Opinion|)(Article|Posting)\"""",
    re.IGNORECASE,
)


def _teasers(html: str, text: str) -> int:
    """How many stories a section or index page lists, when it is one: 5 or more headlines linking to other pages
    (not to a place in this one), each in a card of its own of a teaser's length, and those cards hold most of the
    text taken as the page's article (trafilatura keeps a teaser list as text); 0 for an article page, whose related
    links it drops, and for any page that says it is an article (og:type, a schema.org Article or LiveBlogPosting)."""
    if _ARTICLE_TYPE.search(html[:500_000]):
        return 0
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(_SURROGATE.sub("\ufffd", _NOT_XML.sub(" ", html)))
    except Exception:  # no tree to read: trafilatura found text, so it is taken as an article
        return 0
    cards: dict[Any, list[str]] = {}  # each card's words, by element
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        inside = next(link.iterancestors(*_HEADINGS), None)
        if inside is None and next(link.iter(*_HEADINGS), None) is None:
            continue
        card = (inside if inside is not None else link).getparent()
        if card is not None and card not in cards and len(said := words(fold(card.text_content()))) <= _TEASER_WORDS:
            cards[card] = said
    if len(cards) < _LEAST_TEASERS:
        return 0
    teaser_words = {w for said in cards.values() for w in said}
    paragraphs = [words(fold(line)) for line in text.splitlines() if line.strip()]
    listed = sum(len(p) for p in paragraphs if p and sum(w in teaser_words for w in p) >= 0.8 * len(p))
    return len(cards) if listed >= 0.6 * sum(len(p) for p in paragraphs) else 0


_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _page_outlet(html: str, data: dict) -> str | None:
    """A web page's outlet: trafilatura's site name, unless that is a headline (a page titled "Rep. X resigns - Metro
    Wire | Metro Wire" gives all but the last part), then the outlet the page's <title> ends with ("... | Fox News"
    over an <h1> of the headline alone), then the host of its address."""
    site = (data.get("sitename") or "").strip()
    if site and len(site.split()) <= 5:  # longer, it is a headline taken for the site's name
        return site
    found = _TITLE_TAG.search(html[:200_000])
    named = outlet_in_title(" ".join(fold(unescape(found.group(1))).split())) if found else None
    return named or data.get("hostname") or None


_PAGE_TIME = "%Y-%m-%dT%H:%M:%S%z"  # htmldate gives "2026-03-03T12:05:00+0530", or "...T00:00:00" for a day


def _page_date(html: str, found: str | None) -> str | None:
    """A web page's date as trafilatura found it, unless it is the first of a month, without a time, that only
    htmldate's extensive text search gives: that search falls back to a copyright line ("(c) 2019" is
    2019-01-01), a month or a bare year in the text, no publication date. The fast search (markup,
    metadata, full dates) confirms it or gives the date it finds instead, or none."""
    if not found or not found.startswith("-01", 7) or not found.endswith("T00:00:00"):
        return found
    import trafilatura

    today = datetime.now().astimezone().strftime("%Y-%m-%d")  # trafilatura's own latest date
    params = {"extensive_search": False, "original_date": True, "max_date": today, "outputformat": _PAGE_TIME}
    return trafilatura.extract_metadata(html, date_config=params).date


# An item of a file holding several is known by its place there: its path is the file's with its number
# ('feed.jsonl:3'), and its id, when it has none of its own, the file's stem with it ('feed:3').
_PLACE = r":(\d+)$"


def at_place(name: str, n: int | str) -> str:
    return f"{name}:{n}"


def stem_of(rel: str) -> str:
    """An input's name without its extension ('feeds/wire.jsonl' -> 'feeds/wire'): the id of its article, on one
    line (a file's name may hold a line break)."""
    suffix = Path(rel).suffix
    return one_line(rel[: -len(suffix)] if suffix else rel)


def place_of(path: str) -> tuple[str, str] | None:
    """The file and the item number of an item's path in a file holding several ('feed.jsonl:3' ->
    ('feed.jsonl', '3')); None for a file's only article."""
    match = re.search(_PLACE, path)
    return (path[: match.start()], match.group(1)) if match else None


def file_of_path(path: str) -> str:
    """place_of's file for one path ('feed.jsonl:3' -> 'feed.jsonl'; a file's only article: its path)."""
    place = place_of(path)
    return place[0] if place else path


def file_of(path: pl.Expr) -> pl.Expr:
    """place_of's file, for a column of documents' or rejects' paths ('feed.jsonl:3' -> 'feed.jsonl')."""
    return path.str.replace(_PLACE, "")


def known_by_place(article_id: str, path: str) -> bool:
    """Whether an item is known only by its place in its file ('feed:3', or its path 'feed.json:3' where another
    input's name gave 'feed:3' first): one without an id or a url of its own, which a newer version of the file may
    give to another item."""
    return place_of(path) is not None and named_by_file(article_id, path)


def name_id(path: str) -> str:
    """The id an input's name gives an article without one of its own ('story' for story.txt, 'feed:3' for
    feed.json:3)."""
    place = place_of(path)
    return at_place(stem_of(place[0]), place[1]) if place else stem_of(path)


def named_by_file(article_id: str, path: str) -> bool:
    """Whether an item's id comes from its input's name, not from the item: its file's stem ('story' for
    story.txt), its place in a file holding several ('feed:3'), or, where another input's name gave that first, its
    path ('story.html', 'feed.json:3')."""
    return article_id in (name_id(path), path)


def _items(
    items: Iterable[tuple[int, Any]], feed_name: str | None, stem_id: str, rel: str
) -> Iterator[Record | tuple[str, str]]:
    """The records of a file holding several articles, each with its number ('feed.json:3' for the third;
    a JSONL file's line numbers skip its blank lines), each failing alone (an item that is a BadInput or a
    feed's BadItem, or whose reading fails in any way, is its own reject); the feed's name is the source of
    those naming none.

    An item without an id of its own is known by its url when no other item of the file has that url (a
    feed's order changes when it is refreshed with newer items on top; a placeholder link shared by every
    item names none of them), else by its place."""
    items = list(items)
    urls = Counter(_scalar(_first(item, _URL_KEYS)) for _, item in items if isinstance(item, dict))
    for n, item in items:
        try:
            if isinstance(item, Exception):
                raise item
            rec = parse_record(item, at_place(stem_id, n), at_place(rel, n))
            if rec.article_id == at_place(stem_id, n) and rec.url and urls[rec.url] == 1:
                rec = replace(rec, article_id=rec.url, own_id=True)
            yield rec if rec.source or not feed_name else replace(rec, source=feed_name)
        except (BadInput, BadItem) as exc:
            yield at_place(rel, n), str(exc)
        except Exception as exc:  # a parser bug must cost one item, never the file's others
            yield at_place(rel, n), failure_reason("could not parse", exc)


def _json_limit(exc: Exception) -> str:
    """What of a JSON text Python's reader would not take, besides its syntax: nesting past the recursion limit, an
    integer of more than 4,300 digits."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number of more than 4,300 digits" if "digits" in str(exc) else " ".join(str(exc).split())[:120]


def _json_lines(text: str) -> list[tuple[int, Any]]:
    """The items of a JSONL file with their line numbers (blank lines skipped); a line that is no JSON is a
    BadInput. Lines end at a line feed or a carriage return only: U+2028, U+0085 and the like are valid
    inside a JSON string, which str.splitlines would cut."""
    out: list[tuple[int, Any]] = []
    for n, line in enumerate(re.split(r"\r\n?|\n", text), start=1):
        if line.strip():
            try:
                out.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                out.append((n, BadInput(f"invalid JSON: {exc.msg} (column {exc.colno})")))
            except (RecursionError, ValueError) as exc:
                out.append((n, BadInput(f"invalid JSON: {_json_limit(exc)}")))
    return out


# comments cannot run past their own end ("-->"): a lazy one could, and the ways of grouping a page of them are exponential
_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--(?:(?!-->).)*-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


def _sniffed(text: str) -> str:
    """How to read a file whose extension says plain text (.txt, or one the config adds): an HTML page saved as .txt
    as HTML, one opening with "{" or "[" as JSON (read as text when it is none: "{Editor's note} ..."), the rest as
    text."""
    if _is_page(text):
        return "html"
    return "json" if _opens_as_json(text) else "text"


def _is_page(text: str) -> bool:
    """Whether a text opens as an HTML page (a doctype, <html>, <head> or <body>, after an XML declaration and comments)."""
    return _HTML_START.match(text[:10_000]) is not None


def _opens_as_json(text: str) -> bool:
    """Whether a text opens as JSON does, with "{" or "[" (after space and byte order marks)."""
    return _JSON_START.match(text) is not None


_JSON_START = re.compile(r"[\s\ufeff]*[{\[]")


_WHITESPACE = re.compile(r"\s*")


def _concatenated(text: str, error: json.JSONDecodeError) -> list[Any] | None:
    """The objects of text that json.loads refused with error because it holds several, one after another (`jq
    '.[]'` prints them so, each over several lines); None when it is not all objects."""
    if error.msg != "Extra data":
        return None
    decoder, objects, at = json.JSONDecoder(), [], 0
    try:
        while (at := _WHITESPACE.match(text, at).end()) < len(text):
            value, at = decoder.raw_decode(text, at)
            if not isinstance(value, dict):
                return None
            objects.append(value)
    except (json.JSONDecodeError, RecursionError):
        return None
    return objects


def _json_lines_in_json(text: str, error: json.JSONDecodeError) -> bool:
    """Whether text, which json.loads refused with error, holds JSON Lines (a vendor's export of one object per line,
    named .json): more data after a first line that is an object, and an object after it."""
    if error.msg != "Extra data":
        return False
    first, _, rest = text.lstrip().partition("\n")
    try:
        return isinstance(json.loads(first), dict) and rest.lstrip()[:1] == "{"
    except (json.JSONDecodeError, RecursionError):
        return False


def _records(file: Path, rel: str, stem_id: str, cfg: IngestConfig) -> Iterator[Record | tuple[str, str]]:
    """Records of one file, or (path, reason) pairs for what cannot be used."""
    odd = not_a_file(file)
    if odd:
        yield rel, odd
        return
    ext = file.suffix.lower()
    if ext not in cfg.extensions:
        yield rel, f"unsupported file type {ext or '(no extension)'!r}"
        return
    try:
        size = file.stat().st_size
        if size > cfg.max_file_mb * 1024 * 1024:
            mb = size / 1024 / 1024
            yield rel, f"file too large ({f'{mb:.1f}' if mb >= 1 else f'{mb:.2g}'} MB > {cfg.max_file_mb} MB)"
            return
        text = decode(file.read_bytes())
    except BadInput as exc:
        yield rel, str(exc)
        return
    except OSError as exc:
        yield rel, f"unreadable: {exc.strerror or exc}"
        return
    except Exception as exc:  # bad bytes must cost one file, never the run
        yield rel, failure_reason("could not read", exc)
        return
    kind = (
        "jsonl" if ext in JSONL_EXTENSIONS else "feed" if ext in FEED_EXTENSIONS else "json" if ext in JSON_EXTENSIONS
        else ("json" if _opens_as_json(text) else "html") if ext in HTML_EXTENSIONS  # an API's reply saved as .html
        else _sniffed(text)
    )
    try:
        if kind == "jsonl":
            yield from _items(_json_lines(text), None, stem_id, rel)
        elif kind == "feed":
            records, feed_name = feed_entries(text)  # NotAFeed: a reject, below
            yield from _items(enumerate(records, start=1), feed_name, stem_id, rel)
        elif kind == "json":
            try:
                data = json.loads(text)
            except (json.JSONDecodeError, RecursionError, ValueError) as exc:
                error = exc if isinstance(exc, json.JSONDecodeError) else None
                if error is not None and _json_lines_in_json(text, error):  # one object per line: each fails alone
                    yield from _items(_json_lines(text), None, stem_id, rel)
                elif error is not None and (objects := _concatenated(text, error)) is not None:
                    yield from _items(enumerate(objects, start=1), None, stem_id, rel)  # jq's output, objects over lines
                elif ext in HTML_EXTENSIONS:  # opening with "{" or "[", but a page
                    yield parse_html(text, stem_id, rel)
                elif ext not in JSON_EXTENSIONS:  # sniffed as JSON by its first character, but text
                    yield parse_text(text, stem_id, rel)
                elif error is None:
                    yield rel, f"invalid JSON: {_json_limit(exc)}"
                elif _is_page(text):
                    yield rel, "not JSON but an HTML page (an error page saved in place of the data?)"
                else:
                    raise
                return
            feed = feed_items(data) if isinstance(data, dict) else None
            if isinstance(data, list):
                if not data:
                    yield rel, EMPTY_ARRAY
                yield from _items(enumerate(data, start=1), None, stem_id, rel)
            elif feed and not feed[0]:
                yield rel, EMPTY_FEED
            elif feed:
                yield from _items(enumerate(feed[0], start=1), feed[1], stem_id, rel)
            else:
                yield parse_record(data, stem_id, rel)
        elif kind == "html":
            yield parse_html(text, stem_id, rel)
        else:
            yield parse_text(text, stem_id, rel)
    except json.JSONDecodeError as exc:
        yield rel, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except (BadInput, NotAFeed) as exc:
        yield rel, str(exc)
    except Exception as exc:  # a parser bug must cost one file, never the run
        yield rel, failure_reason("could not parse", exc)


def _dateline_under_furniture(lines: list[str], body: str) -> tuple[str | None, str]:
    """A dateline on the first paragraph that cleaning keeps, under a promo or a caption ("Read more: ..." above
    "Toronto, June 16: The ..."): split off as on a first line (from the line as written, so an agency in
    brackets stays in it: "GENEVA (Reuters)"), and the paragraph's rest put in its place in the cleaned body."""
    lead = body.partition("\n\n")[0]
    line = next((line.strip() for line in lines if strip_inline_credits(line.strip()) == lead), None)
    if line is None:
        return None, body
    dateline, rest = split_dateline(line)
    if dateline is None:
        return None, body
    rest = strip_inline_credits(rest.strip())
    return dateline, rest + body[len(lead) :] if rest else body[len(lead) :].lstrip("\n")


def length_reason(n_words: int, cfg: IngestConfig) -> str | None:
    """Why a cleaned body of n_words words is no article under cfg (too short, too long), or None."""
    if n_words < cfg.min_words:
        return f"body too short ({n_words} word{'' if n_words == 1 else 's'}, need {cfg.min_words})"
    if n_words > cfg.max_words:
        return f"body too long ({n_words:,} words, at most {cfg.max_words:,}): not an article"
    return None


def to_document(rec: Record, cfg: IngestConfig) -> dict[str, Any]:
    """Clean a record's body and return a documents row; raise BadInput when too little text is left."""
    # a NUL escaped in a JSON string ("\u0000") goes, as a file's stray NULs do (decode)
    lines = [line.replace("\x00", "") if "\x00" in line else line for line in rec.lines]
    dateline = rec.dateline
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and dateline is None:
        dateline, lines[first] = split_dateline(lines[first].strip())
    body = clean_body(lines, rec.title)
    if dateline is None and body:
        dateline, body = _dateline_under_furniture(lines, body)
    if (script := other_script(body)) is not None:  # its words would be the few in Latin letters
        raise BadInput(f"text in {script} script: newsdedup compares the words of text in Latin script only")
    n_words = len(words(body))
    if n_words == 0:
        raise BadInput("no body text after removing headline, captions and boilerplate")
    if (why := length_reason(n_words, cfg)) is not None:
        raise BadInput(why)
    # the date given, else the dateline's ("KARACHI, February 2, 2026:"), each when it is one a report can have
    published, doubts = None, []
    for when in (rec.published, dateline_date(dateline)):
        why = implausible(when) if when is not None else None
        if why:
            doubts.append(f"date {when.isoformat()[:10]} {why}: not used")
        elif when is not None:
            published = when
            break
    source = rec.source or outlet_in_title(rec.title)  # "... | AeroNews Europe" names its outlet
    title = " ".join(rec.title.split()) if rec.title else None  # a headline given on two lines: one
    row = {
        "article_id": rec.article_id,
        "path": rec.path,
        "title": without_outlet(title, source) if title else " ".join(display_title(body).split()),
        "source": source,
        "published": published.astimezone(timezone.utc) if published else None,
        "utc_offset": (published.utcoffset() or None) if published else None,  # UTC itself: none
        "url": rec.url,
        "dateline": dateline,
        "text": body,
        "n_words": n_words,
    }
    row = {k: _storable(v) if isinstance(v, str) else v for k, v in row.items()}
    return {**row, "notes": [_storable(n) for n in [*doubts, *notes_on(rec, dateline, published)]]}


EARLIEST_YEAR = 1900  # a date before this year is a placeholder or a typo ("0001-01-01"), not a news article's
FUTURE_DAYS = 1.0  # a date this far after the run is a typo ("2062" for "2026"), not one in another zone


def implausible(when: datetime, now: datetime | None = None) -> str | None:
    """Why a date an input gives cannot be a news article's (before 1900, or later than a day after the run, now),
    or None. Such a date would make the article the newest version of its story, or set it apart in time."""
    if when.year < EARLIEST_YEAR:
        return f"is before {EARLIEST_YEAR}"
    if when.timestamp() == 0:
        return "is the zero timestamp (a placeholder)"
    now = now or datetime.now(timezone.utc)
    if (when - now).total_seconds() > FUTURE_DAYS * 86400:
        return "is after the run (a typo?)"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """JSON may escape half of a character ("\\ud800"), which no table can store: it becomes U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# "Feb 2" / "2 February", and with a year: "February 2, 2026" / "2 Feb 2026"
_MONTH_DAY = re.compile(rf"\b(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b(?:{_MONTH}\s+\d{{1,2}},?\s+|\d{{1,2}}\s+{_MONTH},?\s+)(?:19|20)\d\d\b", re.I)


def dateline_date(dateline: str | None) -> datetime | None:
    """The date a dateline gives in full ("KARACHI, February 2, 2026"), or None."""
    match = _MONTH_DAY_YEAR.search(dateline or "")
    return parse_date(match.group(0)) if match else None


_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?!\d)")  # "03/02/2026", "3-2-26"


def notes_on(rec: Record, dateline: str | None, published: datetime | None) -> list[str]:
    """What ingest could not use of an article it keeps, one line each; for now, the date: a date the input
    gave that cannot be read (the article is undated, or dated by its dateline), a dateline without a year, none
    given at all."""
    if rec.raw_date and rec.published is None:
        shown = rec.raw_date if len(rec.raw_date) <= 40 else rec.raw_date[:40] + "\u2026"
        return [f"date {shown!r} not understood" + ("; dated by its dateline" if published else "")]
    written = rec.raw_date.strip() if rec.raw_date else ""
    dated = _WEEKDAY_NUMERIC.match(written)  # "Tue 03/02/2026": its weekday may settle it
    both = (dated["a"], dated["b"]) if dated else (found.groups()[:2] if (found := _NUMERIC_DATE.match(written)) else None)
    fits = weekday_fits(written) if dated else None
    if rec.published is not None and both and not (fits and sum(fits.values()) == 1):  # one reading fits: no doubt
        first, second = int(both[0]), int(both[1])
        if first != second and first <= 12 and second <= 12:  # "03/02/2026": 2 March in the US, 3 February elsewhere
            # said from the date as written: the time read from it is in UTC, which may be another day
            weekday = "" if not fits else ", and its weekday fits both" if all(fits.values()) else ", and its weekday fits neither"
            return [f"date {written!r} may give the day or the month first{weekday}: read as "
                    f"{second} {calendar.month_name[first]} {rec.published.year} (month first)"]
    if published is None and dateline and _MONTH_DAY.search(dateline):
        return [f"dateline {dateline!r} gives no year"]
    if published is None and rec.published is None and not rec.raw_date:
        return ["no date given"]
    return []


def is_output_folder(path: str | Path) -> bool:
    """Whether a folder is a newsdedup run's output: it holds a run's saved state (state/meta.json, a JSON object
    naming the state's version, settings and run, beside state/documents.parquet), not just files of those names."""
    meta = os.path.join(path, "state", "meta.json")
    if not (os.path.isfile(meta) and os.path.isfile(os.path.join(path, "state", "documents.parquet"))):
        return False
    try:
        with open(meta, "rb") as fh:
            data = json.loads(fh.read(1 << 20))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"version", "settings", "run"} <= data.keys()


def list_inputs(root: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """Every entry under root that is not a folder, recursively, in a stable order (hidden files and folders
    skipped): regular files, and also broken links and other special files, so that they are rejected
    with their reason instead of silently left out. A link to a folder is followed (a feed's folder linked in);
    one to a folder already read or holding one (a loop, a link up the tree, a second link to it, or a link to a
    folder of the input) is listed itself, to be rejected, and so is a folder that cannot be listed, and another run's
    output folder (is_output_folder). skip: folders left out wherever they sit (the run's output folder, when it lies
    inside the input: its reports are no articles)."""
    skipped = {os.path.realpath(p) for p in skip}

    def visible(folder: str, dirs: list[str]) -> list[str]:
        return sorted(
            name for name in dirs
            if not name.startswith(".") and not (skipped and os.path.realpath(os.path.join(folder, name)) in skipped)
        )

    # every real folder of the input first, so that a link to one of them is what is rejected, wherever it sits
    top = os.path.realpath(root)
    seen, own = {top}, set()
    for folder, dirs, _ in os.walk(root):
        dirs[:] = visible(folder, dirs)
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                own.add(path)
                seen.add(os.path.realpath(path))
    found: list[Path] = []
    for folder, dirs, names in os.walk(root, followlinks=True, onerror=lambda exc: found.append(Path(exc.filename))):
        follow = []
        for name in visible(folder, dirs):
            path = os.path.join(folder, name)
            if is_output_folder(path):  # another run's output (its reports are no articles): a reject saying so
                found.append(Path(path))
                continue
            if path not in own:  # a link, or a folder inside a linked one: not read a second time
                real = os.path.realpath(path)
                up = top == real or top.startswith(real.rstrip(os.sep) + os.sep)  # "ln -s .. up": the input again
                if real in seen or up:
                    found.append(Path(path))
                    continue
                seen.add(real)
            follow.append(name)
        dirs[:] = follow
        found.extend(Path(folder, name) for name in names if not name.startswith("."))
    return sorted(found)


def input_name(root: Path, path: Path) -> str:
    """An input's path relative to root, as the tables show it. A file name that is not UTF-8 (bytes the
    system could not decode) shows those bytes escaped ('caf\\xe9.txt'): such a string can be stored; so does a colon
    that would make it read as an item of another file ('wire.jsonl\\x3a1', a file named 'wire.jsonl:1'), and a
    backslash ('a\\x5cb.txt'), so that no two files share a name."""
    rel = path.relative_to(root).as_posix().replace("\\", "\\x5c")  # a backslash of its own, escaped: no name is two files
    rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    # a name ending as an item's place in a file ('wire.jsonl:1') is escaped the same way: 'wire.jsonl\\x3a1' is no item
    return rel[: found.start()] + "\\x3a" + found.group(1) if (found := re.search(_PLACE, rel)) else rel


def linked_input(root: Path, path: Path) -> str | None:
    """The input a link to a file leads to, as the tables name it, when that file is itself an input (inside root, in
    no hidden folder): read there, not a second time (as a copy of itself); None for anything else."""
    try:
        if not path.is_symlink():
            return None
    except OSError:  # a folder on its path that can be listed but not entered: not_a_file says so
        return None
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    if not real.is_file() or not real.is_relative_to(top):
        return None
    rel = real.relative_to(top)
    return None if any(part.startswith(".") for part in rel.parts) else rel.as_posix()


def not_a_file(path: Path) -> str | None:
    """Why an input entry is no readable regular file (a broken link, a pipe, a socket), or None. A pipe is
    never opened: reading it would wait for a writer."""
    try:
        if path.is_file():
            return None
    except PermissionError:  # a folder on its path can be listed (its names are known) but not entered
        return "cannot be read: permission denied (a folder on its path cannot be entered)"
    if path.is_symlink() and not path.exists():
        try:
            path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symbolic link loop (the link leads back to itself)"
        return "broken symbolic link (its target does not exist)"
    if path.is_dir() and is_output_folder(path):
        return "a newsdedup output folder (reports and a saved state, no articles): not read"
    if path.is_dir():  # list_inputs lists a link to a folder it reads through another path, and a folder it cannot list
        if path.is_symlink():
            return "link to a folder already read, or holding the input (a loop, or another path to it)"
        if os.access(path, os.R_OK | os.X_OK):  # inside a linked folder: one read through another link
            return "folder already read through another path (a second link to it)"
        return "a folder that cannot be listed (no permission?)"
    return "not a regular file"


def read_inputs(root: str | Path, cfg: IngestConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ingest every file under root: (documents table, rejects table)."""
    return read_files(Path(root), list_inputs(Path(root)), cfg)


_DUPLICATE = re.compile(r"duplicate article_id .*\(first in (.+)\)\Z", re.S)


def duplicate_reason(article_id: str, first: str) -> str:
    """The reject reason of an item repeating an id; duplicate_of reads the first holder back from it."""
    return f"duplicate article_id {article_id!r} (first in {first})"


def duplicate_of(reason: str) -> str | None:
    """The path of the input whose id a reject repeats ("duplicate article_id 'K' (first in x.json)" -> 'x.json')."""
    found = _DUPLICATE.match(reason)
    return found.group(1) if found else None


def _replaces(item: Record, earlier: dict[str, Any]) -> bool:
    """Whether an item replaces the item of its id read earlier from the same file: the newer one by date when both
    are dated apart; else the later one in a JSON Lines log, which grows at its end (a correction appended), not in
    a feed, which lists its newest items first, or an array."""
    if item.published is not None and earlier["published"] is not None and item.published != earlier["published"]:
        return item.published > earlier["published"]
    return Path(file_of_path(item.path)).suffix.lower() in JSONL_EXTENSIONS


def _document_or_reject(item: Record, cfg: IngestConfig, rejects: list[dict[str, str]]) -> dict[str, Any] | None:
    """The item as a document, or None with its reject added (a BadInput's reason; a bug costs one article)."""
    try:
        return to_document(item, cfg)
    except Exception as exc:
        why = str(exc) if isinstance(exc, BadInput) else failure_reason("could not clean", exc)
        rejects.append({"path": item.path, "reason": why})
        return None


def _take(
    item: Record | tuple[str, str],
    cfg: IngestConfig,
    seen: dict[str, str],
    docs: dict[str, dict[str, Any]],
    rejects: list[dict[str, str]],
    rejected_ids: set[str],
    yielded: set[str] | None = None,
    by_name: set[str] | None = None,
) -> None:
    """Add one record of a file as a document (docs: by article_id, those read so far), or as a reject (a reject
    pair, a taken id, too little text); the ids of records rejected for what they hold go to rejected_ids. An item
    repeating an id its own file gave before (this read) replaces that item when it is the newer one and is kept.
    An id an input's name gave yields to an article giving it itself ({"id": "story"} against story.txt): read now,
    the name's article takes its path; held from an earlier read, its file goes to `yielded`, to be read again.
    by_name: the ids of this read's articles that their names gave."""
    if isinstance(item, tuple):
        rejects.append({"path": item[0], "reason": item[1]})
        return
    by_name = set() if by_name is None else by_name
    holder = seen.get(item.article_id)
    if (item.own_id and holder is not None and file_of_path(holder) != file_of_path(item.path) and holder not in seen
            and (item.article_id in by_name if item.article_id in docs else named_by_file(item.article_id, holder))):
        doc = _document_or_reject(item, cfg, rejects)
        if doc is None:  # no article: it takes no id from anyone
            rejected_ids.add(item.article_id)
            return
        if item.article_id in docs:
            named = docs.pop(item.article_id)
            by_name.discard(item.article_id)
            docs[named["path"]], seen[named["path"]] = {**named, "article_id": named["path"]}, named["path"]
            by_name.add(named["path"])
            docs[item.article_id], seen[item.article_id] = doc, item.path
            return
        if yielded is not None:
            yielded.add(file_of_path(holder))
    earlier = docs.get(item.article_id) if item.article_id in seen else None
    if earlier is not None and file_of_path(earlier["path"]) != file_of_path(item.path):
        earlier = None  # read from another file: the first file's item stands
    if (not item.own_id and item.article_id in seen and file_of_path(seen[item.article_id]) != file_of_path(item.path)
            and item.path not in seen):
        # an id another input's name gave first ('story' of story.txt, for story.html): the item is its own
        # article, not a duplicate, and its path is a name no other input has
        item, earlier = replace(item, article_id=item.path), None
    if item.article_id in seen and not (earlier is not None and _replaces(item, earlier)):
        rejects.append({"path": item.path, "reason": duplicate_reason(item.article_id, seen[item.article_id])})
        return
    doc = _document_or_reject(item, cfg, rejects)
    if doc is None:  # a newer version that is no article leaves the earlier one standing
        if earlier is None:
            rejected_ids.add(item.article_id)
        return
    if earlier is not None:
        rejects.append({"path": earlier["path"], "reason": f"replaced by a newer item with the same id ({item.path})"})
    docs[item.article_id] = doc
    seen[item.article_id] = item.path
    if item.own_id:
        by_name.discard(item.article_id)
    else:
        by_name.add(item.article_id)


def read_files(
    root: Path, files: list[Path], cfg: IngestConfig, known_ids: dict[str, str] | None = None,
    rejected_ids: set[str] | None = None, yielded: set[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ingest the given files under root; known_ids (article_id -> path) are ids already taken; rejected_ids, when
    given, receives the ids of the records rejected for what they hold (too short, ...); yielded, the files of known
    ids an input's name gave that an item read now gives itself (_take): read them again, after these."""
    rejected_ids = set() if rejected_ids is None else rejected_ids
    docs: dict[str, dict[str, Any]] = {}
    rejects: list[dict[str, str]] = []
    seen: dict[str, str] = dict(known_ids or {})  # article_id -> path that had it first
    by_name: set[str] = set()  # the ids of docs that their names gave
    with track("reading files", len(files)) as advance:
        for file in files:
            rel = input_name(root, file)
            twin = linked_input(root, file)
            if twin is not None:
                rejects.append({"path": rel, "reason": f"link to another input file ({twin}): read there"})
                advance(1)
                continue
            try:
                for item in _records(file, rel, stem_of(rel), cfg):
                    _take(item, cfg, seen, docs, rejects, rejected_ids, yielded, by_name)
            except Exception as exc:  # whatever goes wrong costs this file, never the run
                rejects.append({"path": rel, "reason": failure_reason("could not read", exc)})
            advance(1)
    documents = conform(pl.DataFrame(list(docs.values()), schema=DOCUMENTS), DOCUMENTS, "documents")
    rejects = [{**r, "reason": one_line(r["reason"])} for r in rejects]  # a reason quoting a key "weird\nkey": one line
    return documents.sort("article_id"), conform(pl.DataFrame(rejects, schema=REJECTS), REJECTS, "rejects")
