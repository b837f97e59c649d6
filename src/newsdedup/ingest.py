"""Read article files (plain text, JSON / JSONL incl. IPTC ninjs, HTML) into one clean documents table.

Every input ends up either as a document or as a reject with a one-line reason; nothing raises.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import polars as pl

from newsdedup.config import IngestConfig
from newsdedup.feeds import NotAFeed, feed_entries
from newsdedup.normalize import (
    clean_body,
    fold,
    is_boilerplate_line,
    looks_like_headline,
    split_dateline,
    split_sentences,
    strip_inline_credits,
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
_WRAPPER_KEYS = ("items", "articles", "entries", "stories", "results", "records", "docs", "data")
_SOURCE_KEYS = ("source", "outlet", "publisher", "site_name", "sitename", "copyrightholder", "provider")
_DATE_KEYS = (
    "published", "date", "versioncreated", "firstcreated", "published_at", "datePublished", "pubDate",
    "date_published", "publishedAt",
)
_URL_KEYS = ("url", "link", "canonical_url", "href")

_HEADER = re.compile(
    r"^\s*(?P<key>date|published|source|outlet|title|headline|url|id|author|byline)\s*[:=]?\s+(?P<value>.*)$"
)
_HEADER_DATE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)\s*(?P<rest>.*)$"
)


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


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8, else cp1252, else latin-1; raise BadInput for binary data."""
    if not data.strip():
        raise BadInput("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:65536]:
        raise BadInput("binary file (contains NUL bytes), not text")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 65536):
        raise BadInput("binary file (control characters), not text")
    return text


def parse_date(value: Any) -> datetime | None:
    """A UTC datetime from ISO 8601, RFC 2822 or common written dates; None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc)
    text = str(value).strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            import dateparser

            parsed = dateparser.parse(
                text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"], "TIMEZONE": "UTC"}
            )
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def parse_text(text: str, article_id: str, path: str) -> Record:
    """A plain-text article: header lines (`date 2026-02-01`), a headline line, a dateline, the body."""
    lines = fold(text).lstrip("\ufeff").splitlines()
    meta: dict[str, str] = {}
    while lines:
        first = lines[0].strip()
        if not first:
            lines.pop(0)
            continue
        match = _HEADER.match(first)
        if not match or match.group("key") in meta:
            break
        key, value = match.group("key"), match.group("value").strip()
        if key in ("date", "published"):
            date_match = _HEADER_DATE.match(value)
            if date_match:
                meta["date"] = date_match.group("date")
                lines[0] = date_match.group("rest")  # a header may share its line with the text
                continue
            if len(value.split()) > 6 or parse_date(value) is None:
                break  # prose starting with the word "date", or no date at all
            meta["date"] = value  # "date: 5 May 2025", "published Sun, 01 Feb 2026 08:00:00 GMT"
            lines.pop(0)
            continue
        if len(value.split()) > 12 and key not in ("title", "headline"):
            break  # prose that happens to start with a header word
        meta[key] = value
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    title = meta.get("title") or meta.get("headline")
    if not title and lines and looks_like_headline(lines[0]) and not is_boilerplate_line(lines[0]):
        title = lines.pop(0).strip()
    return Record(
        article_id=meta.get("id") or article_id,
        path=path,
        title=title,
        lines=lines,
        source=meta.get("source") or meta.get("outlet"),
        published=parse_date(meta.get("date")),
        url=meta.get("url"),
        raw_date=meta.get("date"),
    )


def _scalar(value: Any) -> str | None:
    """A display string from a JSON value that may be a string, a list of them or a {name: ...} object."""
    if value is None:
        return None
    if isinstance(value, dict):
        return _scalar(value.get("name") or value.get("value") or value.get("title"))
    if isinstance(value, list):
        return _scalar(value[0]) if value else None
    text = str(value).strip()
    return text or None


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if record.get(key) not in (None, "", [], {}):
            return record[key]
    return None


def _html_to_lines(html: str) -> list[str]:
    """Paragraph lines of an HTML fragment (an article body field)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(f"<div>{html}</div>")
    for block in tree.iter("p", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "hl2", "pre", "blockquote", "tr"):
        block.tail = "\n" + (block.tail or "")  # a block ends its line and starts one
        if block.tag != "br":
            block.text = "\n" + (block.text or "")
    return [" ".join(line.split()) for line in tree.text_content().splitlines()]  # HTML's runs of space are one


def parse_record(record: Any, article_id: str, path: str) -> Record:
    """One JSON object with common field names, IPTC ninjs 1.x / 2.x included."""
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, got {_JSON_TYPES.get(type(record), type(record).__name__)}")
    body = _first(record, _BODY_KEYS)
    key = next((k for k in _BODY_KEYS if record.get(k) not in (None, "", [], {})), None)
    if body is None and isinstance(record.get("bodies"), list):  # ninjs 2.x
        plain = [b for b in record["bodies"] if isinstance(b, dict) and "html" not in str(b.get("contenttype", ""))]
        chosen = (plain or record["bodies"])[0]
        body, key = chosen.get("value"), "body_html" if not plain else "text"
    if isinstance(body, list):
        body = "\n\n".join(str(part) for part in body)
    if not isinstance(body, str) or not body.strip():
        # a feed's item says in its own terms where its text would be (feeds.py)
        raise BadInput(record.get("_no_body") or "no body text (none of text, body, body_text, content, content_text, body_html, content_html)")
    lines = _html_to_lines(body) if key in _HTML_BODY_KEYS or re.search(r"<(p|br|div)\b", body) else fold(body).splitlines()
    title = _scalar(_first(record, _TITLE_KEYS))
    if title is None and isinstance(record.get("headlines"), list):  # ninjs 2.x
        title = _scalar(record["headlines"])
    own_id = _scalar(_first(record, _ID_KEYS))
    url = _scalar(_first(record, _URL_KEYS))
    raw_date = _scalar(_first(record, _DATE_KEYS))
    if url is None and own_id and own_id.startswith(("http://", "https://")):
        url = own_id
    return Record(
        article_id=own_id or article_id,
        path=path,
        title=fold(title) if title else None,
        lines=lines,
        source=_scalar(_first(record, _SOURCE_KEYS)),
        published=parse_date(raw_date),
        url=url,
        raw_date=raw_date,
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
        if isinstance(items, list) and items and all(_looks_like_article(item) for item in items):
            return items, None
    return None


def _looks_like_article(item: Any) -> bool:
    """An object with a headline or a body: what a wrapper's list must hold to be read as articles (an
    article whose only body is its description may carry a list of other things under "data")."""
    return isinstance(item, dict) and (_first(item, _BODY_KEYS) is not None or _first(item, _TITLE_KEYS) is not None)


def parse_html(html: str, article_id: str, path: str) -> Record:
    """The main text and metadata of a web page, via trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = data.get("text") or ""
    if len(text.split()) < 3:
        raise BadInput("HTML page with no article text")
    return Record(
        article_id=article_id,
        path=path,
        title=fold(data["title"]) if data.get("title") else None,
        lines=fold(text).splitlines(),
        source=data.get("sitename") or data.get("hostname"),
        published=parse_date(data.get("date")),
        url=data.get("url"),
    )


def _items(
    items: Iterable[tuple[int, Any]], feed_name: str | None, stem_id: str, rel: str
) -> Iterator[Record | tuple[str, str]]:
    """The records of a file holding several articles, each with its number ('feed.json:3' for the third;
    a JSONL file's line numbers skip its blank lines), each failing alone (an item that is a BadInput is
    its own reject); the feed's name is the source of those naming none.

    An item without an id of its own is known by its url when no other item of the file has that url (a
    feed's order changes when it is refreshed with newer items on top; a placeholder link shared by every
    item names none of them), else by its place."""
    items = list(items)
    urls = Counter(_scalar(_first(item, _URL_KEYS)) for _, item in items if isinstance(item, dict))
    for n, item in items:
        try:
            if isinstance(item, BadInput):
                raise item
            rec = parse_record(item, f"{stem_id}:{n}", f"{rel}:{n}")
            if rec.article_id == f"{stem_id}:{n}" and rec.url and urls[rec.url] == 1:
                rec = replace(rec, article_id=rec.url)
            yield rec if rec.source or not feed_name else replace(rec, source=feed_name)
        except BadInput as exc:
            yield f"{rel}:{n}", str(exc)


def _json_lines(text: str) -> list[tuple[int, Any]]:
    """The items of a JSONL file with their line numbers (blank lines skipped); a line that is no JSON is a
    BadInput."""
    out: list[tuple[int, Any]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                out.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                out.append((n, BadInput(f"invalid JSON: {exc.msg} (column {exc.colno})")))
    return out


def _records(file: Path, rel: str, stem_id: str, cfg: IngestConfig) -> Iterator[Record | tuple[str, str]]:
    """Records of one file, or (path, reason) pairs for what cannot be used."""
    ext = file.suffix.lower()
    if ext not in cfg.extensions:
        yield rel, f"unsupported file type {ext or '(no extension)'!r}"
        return
    odd = not_a_file(file)
    if odd:
        yield rel, odd
        return
    try:
        size = file.stat().st_size
        if size > cfg.max_file_mb * 1024 * 1024:
            yield rel, f"file too large ({size / 1024 / 1024:.1f} MB > {cfg.max_file_mb} MB)"
            return
        text = decode(file.read_bytes())
    except BadInput as exc:
        yield rel, str(exc)
        return
    except OSError as exc:
        yield rel, f"unreadable: {exc.strerror or exc}"
        return
    try:
        if ext in JSONL_EXTENSIONS:
            yield from _items(_json_lines(text), None, stem_id, rel)
        elif ext in FEED_EXTENSIONS:
            records, feed_name = feed_entries(text)  # NotAFeed: a reject, below
            yield from _items(enumerate(records, start=1), feed_name, stem_id, rel)
        elif ext in JSON_EXTENSIONS:
            data = json.loads(text)
            feed = feed_items(data) if isinstance(data, dict) else None
            if isinstance(data, list):
                if not data:
                    yield rel, "JSON array with no articles"
                yield from _items(enumerate(data, start=1), None, stem_id, rel)
            elif feed and not feed[0]:
                yield rel, "feed with no items"
            elif feed:
                yield from _items(enumerate(feed[0], start=1), feed[1], stem_id, rel)
            else:
                yield parse_record(data, stem_id, rel)
        elif ext in HTML_EXTENSIONS:
            yield parse_html(text, stem_id, rel)
        else:
            yield parse_text(text, stem_id, rel)
    except json.JSONDecodeError as exc:
        yield rel, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except (BadInput, NotAFeed) as exc:
        yield rel, str(exc)
    except Exception as exc:  # a parser bug must cost one file, never the run
        yield rel, f"could not parse: {type(exc).__name__}: {exc}"


def _display_title(body: str) -> str:
    """A title for an article that has none: its first sentence, cut at a word boundary."""
    first = split_sentences(body[:600])[0] if body else ""
    return first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0] + "\u2026"


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


def to_document(rec: Record, cfg: IngestConfig) -> dict[str, Any]:
    """Clean a record's body and return a documents row; raise BadInput when too little text is left."""
    lines = list(rec.lines)
    dateline = rec.dateline
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and dateline is None:
        dateline, lines[first] = split_dateline(lines[first].strip())
    body = clean_body(lines, rec.title)
    if dateline is None and body:
        dateline, body = _dateline_under_furniture(lines, body)
    n_words = len(words(body))
    if n_words == 0:
        raise BadInput("no body text after removing headline, captions and boilerplate")
    if n_words < cfg.min_words:
        raise BadInput(f"body too short ({n_words} words, need {cfg.min_words})")
    if n_words > cfg.max_words:
        raise BadInput(f"body too long ({n_words:,} words, at most {cfg.max_words:,}): not an article")
    published = rec.published or dateline_date(dateline)  # "KARACHI, February 2, 2026:" dates a text
    row = {
        "article_id": rec.article_id,
        "path": rec.path,
        "title": rec.title or _display_title(body),
        "source": rec.source,
        "published": published,
        "url": rec.url,
        "dateline": dateline,
        "text": body,
        "n_words": n_words,
    }
    row = {k: _storable(v) if isinstance(v, str) else v for k, v in row.items()}
    return {**row, "notes": [_storable(n) for n in notes_on(rec, dateline, published)]}


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


def notes_on(rec: Record, dateline: str | None, published: datetime | None) -> list[str]:
    """What ingest could not use of an article it keeps, one line each; for now, the date: a date the input
    gave that cannot be read (the article is undated, or dated by its dateline), a dateline without a year."""
    if rec.raw_date and rec.published is None:
        shown = rec.raw_date if len(rec.raw_date) <= 40 else rec.raw_date[:40] + "\u2026"
        return [f"date {shown!r} not understood" + ("; dated by its dateline" if published else "")]
    if published is None and dateline and _MONTH_DAY.search(dateline):
        return [f"dateline {dateline!r} gives no year"]
    return []


def list_inputs(root: Path) -> list[Path]:
    """Every entry under root that is not a folder, recursively, in a stable order (hidden files and folders
    skipped): regular files, and also broken links and other special files, so that they are rejected
    with their reason instead of silently left out."""
    return sorted(
        p for p in root.rglob("*") if not p.is_dir() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def input_name(root: Path, path: Path) -> str:
    """An input's path relative to root, as the tables show it. A file name that is not UTF-8 (bytes the
    system could not decode) shows those bytes escaped ('caf\\xe9.txt'): such a string can be stored."""
    rel = path.relative_to(root).as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def not_a_file(path: Path) -> str | None:
    """Why an input entry is no readable regular file (a broken link, a pipe, a socket), or None. A pipe is
    never opened: reading it would wait for a writer."""
    if path.is_file():
        return None
    if path.is_symlink() and not path.exists():
        return "broken symbolic link (its target does not exist)"
    return "not a regular file"


def read_inputs(root: str | Path, cfg: IngestConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ingest every file under root: (documents table, rejects table)."""
    return read_files(Path(root), list_inputs(Path(root)), cfg)


def read_files(
    root: Path, files: list[Path], cfg: IngestConfig, known_ids: dict[str, str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ingest the given files under root; known_ids (article_id -> path) are ids already taken."""
    docs: list[dict[str, Any]] = []
    rejects: list[dict[str, str]] = []
    seen: dict[str, str] = dict(known_ids or {})  # article_id -> path that had it first
    with track("reading files", len(files)) as advance:
        for file in files:
            rel = input_name(root, file)
            stem_id = rel[: -len(file.suffix)] if file.suffix else rel
            for item in _records(file, rel, stem_id, cfg):
                if isinstance(item, tuple):
                    rejects.append({"path": item[0], "reason": item[1]})
                elif item.article_id in seen:
                    reason = f"duplicate article_id {item.article_id!r} (first in {seen[item.article_id]})"
                    rejects.append({"path": item.path, "reason": reason})
                else:
                    try:
                        docs.append(to_document(item, cfg))
                        seen[item.article_id] = item.path
                    except BadInput as exc:
                        rejects.append({"path": item.path, "reason": str(exc)})
            advance(1)
    documents = conform(pl.DataFrame(docs, schema=DOCUMENTS), DOCUMENTS, "documents")
    return documents.sort("article_id"), conform(pl.DataFrame(rejects, schema=REJECTS), REJECTS, "rejects")
