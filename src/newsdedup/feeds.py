"""Articles in XML feeds: RSS 2.0 / 1.0, Atom, IPTC NewsML-G2 and NITF.

Each item becomes a JSON-like record with the field names `ingest.parse_record` reads (id, title, url,
body_html, published, source), so every format is cleaned the same way afterwards. The XML is parsed with
lxml without loading a DTD, expanding entities or touching the network: an XML bomb or an external entity
costs one reject, never memory, a file read or a request.
"""

from __future__ import annotations

from html import escape
from typing import Any

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_NAR = "{http://iptc.org/std/nar/2006-10-01/}"

Record = dict[str, Any]


class NotAFeed(ValueError):
    """XML that cannot give articles; the message is the reject reason."""


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any) -> str | None:
    """The text of an element; Atom's type="xhtml" content keeps its markup for the HTML reader."""
    if element is None:
        return None
    if element.get("type") == "xhtml" and len(element):
        from lxml import etree

        return "".join(etree.tostring(child, encoding="unicode") for child in element)
    return element.text


def _paragraphs_html(element: Any) -> str | None:
    """An XML body (NITF, XHTML) as simple HTML: one <p> per paragraph-like element, whatever namespace."""
    if element is None:
        return None
    blocks = [e for e in element.iter() if _local(e) in ("p", "hl2", "li", "pre")]
    texts = [" ".join("".join(e.itertext()).split()) for e in blocks] or [" ".join("".join(element.itertext()).split())]
    return "".join(f"<p>{escape(t)}</p>" for t in texts if t) or None


def _rss(root: Any) -> tuple[list[Record], str | None]:
    ns = "" if root.tag == "rss" else _RSS1
    channel = root.find(f"{ns}channel")
    feed_title = channel.findtext(f"{ns}title") if channel is not None else None
    items = (channel if root.tag == "rss" and channel is not None else root).findall(f"{ns}item")
    return [
        {
            "id": item.findtext("guid") or item.get(f"{_RDF}about"),
            "title": item.findtext(f"{ns}title"),
            "url": item.findtext(f"{ns}link"),
            "body_html": item.findtext(_CONTENT_ENCODED) or item.findtext(f"{ns}description"),
            "published": item.findtext("pubDate") or item.findtext(_DC_DATE),
            "source": item.findtext("source"),
        }
        for item in items
    ], feed_title


def _atom_link(entry: Any) -> str | None:
    links = entry.findall(f"{_ATOM}link")
    chosen = next((link for link in links if link.get("rel", "alternate") == "alternate"), links[0] if links else None)
    return chosen.get("href") if chosen is not None else None


def _atom(root: Any) -> tuple[list[Record], str | None]:
    return [
        {
            "id": entry.findtext(f"{_ATOM}id"),
            "title": _text(entry.find(f"{_ATOM}title")),
            "url": _atom_link(entry),
            "body_html": _text(entry.find(f"{_ATOM}content")) or _text(entry.find(f"{_ATOM}summary")),
            "published": entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated"),
            "source": _text(entry.find(f"{_ATOM}source/{_ATOM}title")),
        }
        for entry in root.findall(f"{_ATOM}entry")
    ], _text(root.find(f"{_ATOM}title"))


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
            body = part.text if "html" in (part.get("contenttype") or "") else "".join(f"<p>{escape(p)}</p>" for p in part.text.split("\n\n"))
        if body:
            break
    provider = _name(meta.find(f"{_NAR}provider")) if meta is not None else None
    link = meta.find(f"{_NAR}link[@rel='irel:canonical']") if meta is not None else None
    return {
        "id": item.get("guid"),
        "title": content.findtext(f"{_NAR}headline") if content is not None else None,
        "url": link.get("href") if link is not None else None,
        "body_html": body,
        "published": (meta.findtext(f"{_NAR}firstCreated") or meta.findtext(f"{_NAR}versionCreated")) if meta is not None else None,
        "source": (_name(content.find(f"{_NAR}infoSource")) if content is not None else None) or provider,
    }


def _newsml(root: Any) -> tuple[list[Record], str | None]:
    items = [root] if _local(root) == "newsItem" else list(root.iterfind(f"{_NAR}itemSet/{_NAR}newsItem"))
    # a packageItem or conceptItem carries no article text
    return [_newsml_item(item) for item in items], None


def _descendant(root: Any, name: str) -> Any:
    """The first element below root with this local name, in any namespace (NITF comes with and without)."""
    return next((e for e in root.iter() if _local(e) == name), None)


def _nitf(root: Any) -> tuple[list[Record], str | None]:
    """A NITF document: one article (hedline, body.content, docdata's issue date and doc-id)."""
    headline = _descendant(root, "hl1")
    if headline is None:
        headline = _descendant(root, "title")
    issued, doc_id = _descendant(root, "date.issue"), _descendant(root, "doc-id")
    return [
        {
            "id": doc_id.get("id-string") if doc_id is not None else None,
            "title": " ".join("".join(headline.itertext()).split()) if headline is not None else None,
            "body_html": _paragraphs_html(_descendant(root, "body.content")),
            "published": issued.get("norm") if issued is not None else None,
        }
    ], None


def feed_entries(text: str) -> tuple[list[Record], str | None]:
    """The articles of an XML feed as records for parse_record, and the feed's title, the source of items
    that name none. Raises NotAFeed for XML that is broken, of another kind, or without items."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, encoding="utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise NotAFeed(f"invalid XML: {exc.msg} (line {exc.lineno})") from None
    if root is None:
        raise NotAFeed("invalid XML: no root element")
    kind = _local(root)
    if root.tag == "rss" or root.tag == f"{_RDF}RDF":
        records, title = _rss(root)
    elif root.tag == f"{_ATOM}feed":
        records, title = _atom(root)
    elif root.tag in (f"{_NAR}newsItem", f"{_NAR}newsMessage"):
        records, title = _newsml(root)
    elif kind == "nitf":
        records, title = _nitf(root)
    else:
        raise NotAFeed(f"XML that is no RSS, Atom, NewsML-G2 or NITF document (root element <{kind or '?'}>)")
    if not records:
        raise NotAFeed("feed with no items")
    return records, (title or "").strip() or None
