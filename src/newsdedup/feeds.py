"""Articles in XML feeds: RSS 2.0 / 1.0 / 0.9x, Atom, IPTC NewsML-G2 and NITF.

Each item becomes a JSON-like record with the field names `ingest.parse_record` reads (id, title, url,
body_html, published, source), so every format is cleaned the same way afterwards. The XML is parsed with
lxml without loading a DTD, reading an external entity or touching the network (an XML bomb stops at
libxml2's amplification limit: one reject, never memory, a file read or a request). HTML's named entities
(`&eacute;`, `&nbsp;`), which feeds use without declaring them, are read as the characters they name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.entities import html5
from typing import Any

_ATOM = "{http://www.w3.org/2005/Atom}"
_ATOM03 = "{http://purl.org/atom/ns#}"  # Atom 0.3, before the standard: issued / modified, content mode
_RSS1 = "{http://purl.org/rss/1.0/}"
_RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_NAR = "{http://iptc.org/std/nar/2006-10-01/}"
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")

Record = dict[str, Any]


EMPTY_FEED = "feed with no items"  # a feed read whole, holding no article


class NotAFeed(ValueError):
    """XML that cannot give articles; the message is the reject reason."""


class BadItem(ValueError):
    """One item of a feed that could not be read, in the feed's list in its place; the message is its
    reject reason (the other items are kept)."""


def failure_reason(doing: str, exc: Exception) -> str:
    """A reject reason for an unexpected error, on one line: 'could not parse: IndexError: ...'."""
    return f"{doing}: {type(exc).__name__}: {' '.join(str(exc).split())}"


def _each(read: Callable[..., Record], elements: list[Any], *args: Any) -> list[Record | BadItem]:
    """Each element read as a record, an element whose reading fails as a BadItem in its place: one odd item
    costs itself, never the feed's others."""
    out: list[Record | BadItem] = []
    for element in elements:
        try:
            out.append(read(element, *args))
        except Exception as exc:
            out.append(BadItem(failure_reason("could not read", exc)))
    return out


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _numeric_entities(text: str) -> str:
    """HTML's named entities as character references, which XML reads without a DTD."""

    def ref(match: re.Match[str]) -> str:
        name = match.group(1)
        chars = html5.get(f"{name};")
        if name in _XML_ENTITIES or chars is None:
            return match.group(0)
        return "".join(f"&#{ord(c)};" for c in chars)

    return _NAMED_ENTITY.sub(ref, text)


def _inner(element: Any) -> str | None:
    """An element's content as a string: its text and any markup inside it (HTML written into an RSS
    description without CDATA stays HTML), or None when it holds nothing but space."""
    if element is None:
        return None
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip() or None


def _value(parent: Any, tag: str) -> str | None:
    """A child's text, stripped; None when absent or blank (a blank pubDate must not hide a dc:date)."""
    text = parent.findtext(tag)
    return text.strip() if text and text.strip() else None


def _title(element: Any, markup: bool = True) -> str | None:
    """A title on one line, without markup: nested elements' text joined, HTML (in CDATA or escaped)
    reduced to its text, its entities read ("Oil &amp;amp; gas" is "Oil & gas"), unless the format says it
    is plain text (markup False: Atom's type="text")."""
    if element is None:
        return None
    text = "".join(element.itertext())
    if markup and "<" in text:
        from lxml import html as lxml_html

        text = lxml_html.fromstring(f"<div>{text}</div>").text_content()
    if markup:
        text = _unescape(text)
    return " ".join(text.split()) or None


def _unescape(text: str) -> str:
    """HTML's entities read, also where a feed escaped them twice ("Port&amp;#39;s" is "Port's")."""
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def _descendant(root: Any, name: str) -> Any:
    """The first element below root with this local name, in any namespace (NITF comes with and without)."""
    return next((e for e in root.iter() if _local(e) == name), None)


def _paragraphs_html(element: Any) -> str | None:
    """An XML body (NITF, XHTML, whatever the prefix) as HTML for the body reader: the markup inside NITF's
    body.content or XHTML's body when there is one (headline, abstract and byline of body.head are not the
    text), with namespaces dropped so that an <x:p> is a <p>."""
    if element is None:
        return None
    from copy import deepcopy

    from lxml import etree

    container = _descendant(element, "body.content")
    if container is None:
        container = _descendant(element, "body")
    if container is None:
        container = element
    plain = deepcopy(container)
    for e in plain.iter():
        if isinstance(e.tag, str):
            e.tag = _local(e)
            for name in [a for a in e.attrib if a.startswith("{")]:
                del e.attrib[name]
    etree.cleanup_namespaces(plain)
    return _inner(plain)


def _plain_html(text: str | None) -> str | None:
    """Plain text (an Atom type="text" body, NewsML-G2 inline text) as HTML paragraphs, markup-like
    characters kept as text, and its other line breaks kept as <br> (in HTML a line break is a space)."""
    if not text or not text.strip():
        return None
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())
    return "".join("<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


def _atom_body(element: Any) -> str | None:
    """Atom content or summary as HTML, by its type (text is the default; Atom 0.3 says how by its mode);
    None when it holds nothing but space, or only points elsewhere (src=...)."""
    if element is None:
        return None
    kind, mode = element.get("type", "text"), element.get("mode")
    if kind in ("xhtml", "application/xhtml+xml") or mode == "xml":
        return _paragraphs_html(element) if len(element) else _plain_html(element.text)
    if mode == "escaped" or kind == "html" or kind.endswith("/html"):
        return _inner(element)
    return _plain_html("".join(element.itertext()))


def _atom_title(element: Any) -> str | None:
    """An Atom title by its type: text as written, html and xhtml without their markup."""
    return _title(element, markup=element is not None and element.get("type") == "html")


def _namespace(element: Any) -> str:
    return element.tag[: element.tag.index("}") + 1] if element.tag.startswith("{") else ""


def _rss_item(item: Any, ns: str) -> Record:
    return {
        "id": _value(item, f"{ns}guid") or item.get(f"{_RDF}about"),
        "title": _title(item.find(f"{ns}title")),
        "url": _value(item, f"{ns}link"),
        "body_html": _inner(item.find(_CONTENT_ENCODED)) or _inner(item.find(f"{ns}description")),
        "published": _value(item, f"{ns}pubDate") or _value(item, _DC_DATE),
        "source": _title(item.find(f"{ns}source")),
        "_no_body": "RSS item with no text (no description or content:encoded)",
    }


def _rss(root: Any) -> tuple[list[Record | BadItem], str | None]:
    ns = _RSS1 if _local(root) == "RDF" else _namespace(root)  # RSS 2.0 may come in UserLand's namespace
    if _local(root) == "RDF" and root.find(f"{_RSS1}item") is None:
        ns = _RSS090
    channel = root.find(f"{ns}channel")
    feed_title = _title(channel.find(f"{ns}title")) if channel is not None else None
    items = (channel if _local(root) == "rss" and channel is not None else root).findall(f"{ns}item")
    return _each(_rss_item, items, ns), feed_title


def _atom_link(entry: Any, ns: str) -> str | None:
    links = entry.findall(f"{ns}link")
    chosen = next((link for link in links if link.get("rel", "alternate") == "alternate"), links[0] if links else None)
    return chosen.get("href") if chosen is not None else None


def _atom_entry(entry: Any, ns: str) -> Record:
    return {
        "id": _value(entry, f"{ns}id"),
        "title": _atom_title(entry.find(f"{ns}title")),
        "url": _atom_link(entry, ns),
        "body_html": _atom_body(entry.find(f"{ns}content")) or _atom_body(entry.find(f"{ns}summary")),
        "published": next(
            filter(None, (_value(entry, f"{ns}{tag}") for tag in ("published", "issued", "created", "updated", "modified"))),
            None,
        ),
        "source": _atom_title(entry.find(f"{ns}source/{ns}title")),
        "_no_body": "Atom entry with no text (no content or summary)",
    }


def _atom(root: Any) -> tuple[list[Record | BadItem], str | None]:
    ns = _namespace(root)
    return _each(_atom_entry, root.findall(f"{ns}entry"), ns), _atom_title(root.find(f"{ns}title"))


def _name(element: Any) -> str | None:
    """A NewsML-G2 party: its literal, its name, or the code of its qcode ('nprov:REUTERS' -> 'REUTERS')."""
    if element is None:
        return None
    return element.get("literal") or element.findtext(f"{_NAR}name") or (element.get("qcode") or "").split(":")[-1] or None


def _newsml_item(item: Any) -> Record:
    """One NewsML-G2 newsItem: the text of its content set (NITF or XHTML inline, or plain inline data)."""
    meta, content = item.find(f"{_NAR}itemMeta"), item.find(f"{_NAR}contentMeta")
    body = None
    for part in item.iterfind(f"{_NAR}contentSet/*"):
        if _local(part) == "inlineXML" and len(part):
            body = _paragraphs_html(part)
        elif _local(part) == "inlineData" and part.text:
            body = part.text if "html" in (part.get("contenttype") or "") else _plain_html(part.text)
        if body:
            break
    provider = _name(meta.find(f"{_NAR}provider")) if meta is not None else None
    link = meta.find(f"{_NAR}link[@rel='irel:canonical']") if meta is not None else None
    return {
        "id": item.get("guid"),
        "title": _title(content.find(f"{_NAR}headline")) if content is not None else None,
        "url": link.get("href") if link is not None else None,
        "body_html": body,
        # dated as a ninjs item is (ingest._later_version): by firstCreated, a version 2 or later by its versionCreated
        "firstcreated": _value(meta, f"{_NAR}firstCreated") if meta is not None else None,
        "versioncreated": _value(meta, f"{_NAR}versionCreated") if meta is not None else None,
        "version": item.get("version"),
        "source": (_name(content.find(f"{_NAR}infoSource")) if content is not None else None) or provider,
        "_no_body": "NewsML-G2 item with no text (no inlineXML or inlineData)",
    }


def _newsml(root: Any) -> tuple[list[Record | BadItem], str | None]:
    items = [root] if _local(root) == "newsItem" else list(root.iterfind(f"{_NAR}itemSet/{_NAR}newsItem"))
    # a packageItem or conceptItem carries no article text
    return _each(_newsml_item, items), None


def _nitf(root: Any) -> tuple[list[Record | BadItem], str | None]:
    """A NITF document: one article (hedline, body.content, docdata's issue date and doc-id)."""
    headline = _descendant(root, "hl1")
    if headline is None:
        headline = _descendant(root, "title")
    issued, doc_id = _descendant(root, "date.issue"), _descendant(root, "doc-id")
    return [
        {
            "id": doc_id.get("id-string") if doc_id is not None else None,
            "title": _title(headline, markup=False),
            "body_html": _paragraphs_html(_descendant(root, "body.content")),
            "published": issued.get("norm") if issued is not None else None,
            "_no_body": "NITF document with no text (no body.content)",
        }
    ], None


def feed_entries(text: str) -> tuple[list[Record | BadItem], str | None]:
    """The articles of an XML feed as records for parse_record (an item that could not be read as a BadItem
    in its place), and the feed's title, the source of items that name none. Raises NotAFeed for XML that
    is broken, of another kind, or without items."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities="internal", no_network=True, load_dtd=False, remove_comments=True, remove_pis=True, encoding="utf-8"
    )
    try:
        # the text is decoded already (ingest.decode): the declaration's encoding no longer applies
        root = etree.fromstring(_numeric_entities(_DECLARATION.sub("", text, count=1)).encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc.msg):  # libxml2's limit ("..., use XML_PARSE_HUGE option")
            raise NotAFeed("invalid XML: nested deeper than 256 elements") from None
        raise NotAFeed(f"invalid XML: {exc.msg} (line {exc.lineno})") from None
    if root is None:
        raise NotAFeed("invalid XML: no root element")
    kind = _local(root)
    if kind == "rss" or root.tag == f"{_RDF}RDF":
        records, title = _rss(root)
    elif root.tag in (f"{_ATOM}feed", f"{_ATOM03}feed"):
        records, title = _atom(root)
    elif root.tag in (f"{_NAR}newsItem", f"{_NAR}newsMessage"):
        records, title = _newsml(root)
    elif kind == "nitf":
        records, title = _nitf(root)
    else:
        raise NotAFeed(f"XML that is no RSS, Atom, NewsML-G2 or NITF document (root element <{kind or '?'}>)")
    if not records:
        raise NotAFeed(EMPTY_FEED)
    return records, title  # a title is on one line already, or None (_title)
