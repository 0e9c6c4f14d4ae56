"""Articles from RSS 2.0 (and RSS 1.0) and Atom feeds: one article per item or entry."""

from __future__ import annotations

import copy
import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from diplograph.errors import error
from diplograph.ingest.boilerplate import strip_boilerplate
from diplograph.ingest.dates import parse_date
from diplograph.ingest.files import file_id, read_bytes, slugify
from diplograph.ingest.htmltext import html_to_text
from diplograph.model import Article

ENTRY_NAMES = frozenset({"item", "entry"})
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def local(tag: str) -> str:
    """An element name without its namespace: ``{http://www.w3.org/2005/Atom}entry`` is ``entry``.

    >>> local("{http://www.w3.org/2005/Atom}entry")
    'entry'
    """
    return tag.rpartition("}")[2]


def _qualified(name: str) -> str:
    uri, _, name_local = name.rpartition(" ")
    return f"{{{uri}}}{name_local}" if uri else name_local


def parse_xml(data: bytes, path: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse a feed: the root element and the line where each item or entry starts.

    Entity declarations are refused (no entity-expansion attacks); no external
    resource is ever fetched.

    Raises:
        DiplographError: E016 when the document is not well-formed XML.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    lines: dict[ET.Element, int] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        element = builder.start(
            _qualified(name), {_qualified(key): value for key, value in attributes.items()}
        )
        if local(element.tag) in ENTRY_NAMES:
            lines[element] = parser.CurrentLineNumber

    def refuse_entities(name: str, *_: object) -> None:
        raise error("E016", path=path, detail=f"entity declaration {name!r} is not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        detail = f"{expat.ErrorString(exc.code)} at line {exc.lineno}, column {exc.offset + 1}"
        raise error("E016", path=path, detail=detail) from None
    return builder.close(), lines


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _content_text(element: ET.Element | None, markup: str) -> str:
    """Plain text of a content element: ``markup`` is ``html``, ``xhtml`` or ``text``."""
    if element is None:
        return ""
    if markup == "xhtml":
        fragment = ET.Element("div")
        fragment.text = element.text
        for child in element:
            plain = copy.deepcopy(child)
            for node in plain.iter():
                node.tag = local(node.tag)
            fragment.append(plain)
        return html_to_text(ET.tostring(fragment, encoding="unicode"))
    raw = "".join(element.itertext())
    return html_to_text(raw) if markup == "html" else raw.strip()


def _atom_type(element: ET.Element | None) -> str:
    kind = (element.get("type") or "text").lower() if element is not None else "text"
    if kind in ("html", "text/html"):
        return "html"
    if kind in ("xhtml", "application/xhtml+xml"):
        return "xhtml"
    return "text"


def _rss_fields(item: ET.Element) -> dict[str, str]:
    guid = _text(_child(item, "guid"))
    link = _text(_child(item, "link")) or item.get(f"{{{RDF}}}about", "")
    date = _text(_child(item, "pubDate")) or _text(_child(item, "date"))
    body = ""
    for name in ("encoded", "description"):
        body = _content_text(_child(item, name), "html")
        if body:
            break
    return {
        "key": guid,
        "link": link,
        "date": date,
        "title": _text(_child(item, "title")),
        "body": body,
    }


def _atom_fields(entry: ET.Element) -> dict[str, str]:
    link = ""
    for child in entry:
        if local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
            link = (child.get("href") or "").strip()
            break
    date = _text(_child(entry, "published")) or _text(_child(entry, "updated"))
    body = ""
    for name in ("content", "summary"):
        element = _child(entry, name)
        body = _content_text(element, _atom_type(element))
        if body:
            break
    title_element = _child(entry, "title")
    title = _content_text(title_element, _atom_type(title_element))
    return {
        "key": _text(_child(entry, "id")),
        "link": link,
        "date": date,
        "title": " ".join(title.split()),
        "body": body,
    }


def read_feed_file(path: Path, published: dt.date | None = None) -> Iterator[Article]:
    """The articles of an RSS or Atom feed, one per item or entry, in document order.

    The id is the item's ``guid`` (Atom ``id``) slugified, else its link slugified,
    else ``<file>-<n>``; the date is ``pubDate``/``dc:date`` (Atom ``published``,
    else ``updated``), else ``published``; the text comes from ``content:encoded``,
    else ``description`` (Atom ``content``, else ``summary``), HTML removed. Every
    item is read and checked before the first article is yielded. ``origin`` is
    ``path:LINE``, the line where the item starts.

    Raises:
        DiplographError: the file errors (E001, E002, E003), E016 not well-formed,
            E018 not a feed, E006 a bad date, E017 an item without text.
    """
    name = str(path)
    root, lines = parse_xml(read_bytes(path), name)
    kind = local(root.tag)
    if kind == "feed":
        entries = [child for child in root if local(child.tag) == "entry"]
        fields = _atom_fields
    elif kind in ("rss", "RDF"):
        channels = [child for child in root if local(child.tag) == "channel"]
        entries = [
            child for parent in [root, *channels] for child in parent if local(child.tag) == "item"
        ]
        entries.sort(key=lambda element: lines.get(element, 0))
        fields = _rss_fields
    else:
        raise error("E018", path=path, root=kind)
    channel = _child(root, "channel") if kind != "feed" else root
    source = _text(_child(channel, "title")) if channel is not None else ""
    stem = file_id(path)
    articles = []
    for number, entry in enumerate(entries, start=1):
        found = fields(entry)
        origin = f"{name}:{lines.get(entry, 0)}"
        article_id = slugify(found["key"]) or slugify(found["link"]) or f"{stem}-{number}"
        title = found["title"] or None
        text = strip_boilerplate(found["body"], title)
        if not text:
            raise error("E017", where=origin, id=article_id)
        articles.append(
            Article(
                id=article_id,
                text=text,
                title=title,
                published=parse_date(found["date"], origin) if found["date"] else published,
                source=source or None,
                url=found["link"] or None,
                origin=origin,
            )
        )
    yield from articles
