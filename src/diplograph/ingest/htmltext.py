"""Text, headline and publication date of an HTML page, with the standard library's parser."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from diplograph.errors import DiplographError, error
from diplograph.ingest.boilerplate import strip_boilerplate
from diplograph.ingest.dates import parse_date
from diplograph.ingest.files import file_id, load_text
from diplograph.model import Article

#: Elements whose whole content is page chrome, not article text.
SKIP = frozenset(
    {
        "aside",
        "button",
        "canvas",
        "dialog",
        "figcaption",
        "figure",
        "footer",
        "form",
        "head",
        "header",
        "iframe",
        "nav",
        "noscript",
        "object",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)
#: Containers skipped when a class or id word names page chrome (``share-buttons``).
SKIP_CONTAINERS = frozenset({"div", "section", "ul", "ol", "span"})
CHROME_WORDS = frozenset(
    {
        "advert",
        "advertisement",
        "ads",
        "breadcrumb",
        "breadcrumbs",
        "comments",
        "cookie",
        "cookies",
        "newsletter",
        "promo",
        "related",
        "share",
        "sharing",
        "sidebar",
        "social",
        "subscribe",
    }
)
#: Elements that start a new paragraph.
BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "html",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
#: Metadata whose date must be valid ISO 8601 when present, in order of preference.
STRICT_DATE_KEYS = ("article:published_time", "datepublished")
#: Metadata dates tried after those, skipped when unreadable.
LOOSE_DATE_KEYS = (
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "dcterms.created",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)

_SPACE = re.compile(r"\s+")
_WORD_SPLIT = re.compile(r"[\s_-]+")
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


@dataclass
class Page:
    """What :class:`_PageParser` read from a page."""

    text: str = ""
    title: str | None = None
    headline: str | None = None
    document_title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    times: list[str] = field(default_factory=list)
    canonical: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.times: list[tuple[bool, str]] = []
        self.canonical: str | None = None
        self.body: list[str] = []
        self.main: list[str] = []
        self.articles: list[list[str]] = []
        self.h1s: list[tuple[bool, str]] = []
        self.document_title: str | None = None
        self._buffer: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._article_depth = 0
        self._main_depth = 0
        self._pre_depth = 0
        self._capture: str | None = None
        self._captured: list[str] = []

    # paragraphs

    def _flush(self) -> None:
        if not self._buffer:
            return
        lines = (_SPACE.sub(" ", line).strip() for line in "".join(self._buffer).split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        self._buffer = []
        if not paragraph:
            return
        self.body.append(paragraph)
        if self._article_depth:
            self.articles[-1].append(paragraph)
        if self._main_depth:
            self.main.append(paragraph)

    def _skips(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if tag in VOID:
            return False
        if tag in SKIP or "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return True
        if tag in SKIP_CONTAINERS:
            words = _WORD_SPLIT.split(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")
            return any(word.lower() in CHROME_WORDS for word in words)
        return False

    # parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs}
        self._read_metadata(tag, values)
        if self._skip_tag == "head" and tag == "body":
            self._skip_tag = None  # an unclosed <head>: </head> is optional in HTML
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if self._skips(tag, values):
            self._flush()
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in BLOCKS:
            self._flush()
        if tag == "br":
            self._buffer.append("\n")
        elif tag in ("td", "th"):
            self._buffer.append(" ")
        elif tag == "article":
            if not self._article_depth:
                self.articles.append([])
            self._article_depth += 1
        elif tag == "main":
            self._main_depth += 1
        elif tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._capture == tag:
            text = " ".join("".join(self._captured).split())
            if tag == "title" and self.document_title is None:
                self.document_title = text
            elif tag == "h1":
                self.h1s.append((bool(self._article_depth or self._main_depth), text))
            elif tag == "script" and text:
                self._ld_date(text)
            self._capture, self._captured = None, []
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if not self._skip_depth:
                    self._skip_tag = None
            return
        if tag in BLOCKS:
            self._flush()
        if tag == "article":
            self._article_depth = max(0, self._article_depth - 1)
        elif tag == "main":
            self._main_depth = max(0, self._main_depth - 1)
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._captured.append(data)
        if self._skip_tag is not None:
            return
        self._buffer.append(data if self._pre_depth else _SPACE.sub(" ", data))

    def close(self) -> None:
        super().close()
        self._flush()

    # metadata

    def _read_metadata(self, tag: str, values: dict[str, str | None]) -> None:
        if tag == "meta":
            content = (values.get("content") or "").strip()
            for attribute in ("property", "name", "itemprop"):
                key = (values.get(attribute) or "").strip().lower()
                if key and content:
                    self.meta.setdefault(key, content)
        elif tag == "link" and self.canonical is None:
            if "canonical" in (values.get("rel") or "").lower().split() and values.get("href"):
                self.canonical = (values.get("href") or "").strip()
        elif tag == "time" and values.get("datetime"):
            stamp = (values.get("datetime") or "").strip()
            if (values.get("itemprop") or "").lower() == "datepublished":
                self.meta.setdefault("datepublished", stamp)
            self.times.append((bool(self._article_depth or "pubdate" in values), stamp))
        linked_data = (
            tag == "script" and (values.get("type") or "").lower() == "application/ld+json"
        )
        document_title = tag == "title" and self._skip_tag != "svg"  # not an icon's <title>
        if self._capture is None and (document_title or tag == "h1" or linked_data):
            self._capture = tag

    def _ld_date(self, text: str) -> None:
        match = _LD_DATE.search(text)
        if match:
            self.meta.setdefault("datepublished", match.group(1))

    def page(self) -> Page:
        content = max(self.articles, key=lambda paragraphs: sum(map(len, paragraphs)), default=[])
        paragraphs = content or self.main or self.body
        headlines = [text for in_content, text in self.h1s if in_content and text]
        headlines += [text for _, text in self.h1s if text]
        times = [stamp for preferred, stamp in self.times if preferred]
        times += [stamp for _, stamp in self.times]
        headline = headlines[0] if headlines else None
        title = self.meta.get("og:title") or self.meta.get("twitter:title") or headline
        return Page(
            text="\n\n".join(paragraphs),
            title=title or self.document_title or None,
            headline=headline,
            document_title=self.document_title or None,
            meta=self.meta,
            times=times,
            canonical=self.canonical,
        )


def parse_html(markup: str) -> Page:
    """Read a page: body text from ``<article>`` (the longest), else ``<main>``, else everything.

    Scripts, styles, navigation, headers, footers, asides, forms, figures and their
    captions, hidden elements and containers whose class names page chrome
    (``share``, ``related``, ``newsletter``...) are skipped; block elements become
    paragraphs separated by a blank line and ``<br>`` a line break.

    >>> parse_html("<nav>Home</nav><article><h1>Talks</h1><p>Envoys met.</p></article>").text
    'Talks\\n\\nEnvoys met.'
    """
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    return parser.page()


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment (a feed's ``description``), paragraphs separated by blank lines.

    >>> html_to_text("<p>Envoys met.</p><p>Talks <b>resume</b> today.</p>")
    'Envoys met.\\n\\nTalks resume today.'
    """
    return parse_html(markup).text


def page_date(page: Page, where: str) -> dt.date | None:
    """The publication date a page declares, if any.

    ``article:published_time`` and schema.org ``datePublished`` must be valid when
    present (E006 naming ``where``); other date metadata and ``<time datetime>``
    elements are used only when readable.
    """
    for key in STRICT_DATE_KEYS:
        if key in page.meta:
            return parse_date(page.meta[key], f"{where} ({key})")
    loose = [page.meta[key] for key in LOOSE_DATE_KEYS if key in page.meta] + page.times
    for value in loose:
        try:
            return parse_date(value, where)
        except DiplographError:
            continue
    return None


def read_html_file(path: Path, published: dt.date | None = None) -> Article:
    """One article from an HTML page; its declared date wins over ``published``.

    Raises:
        DiplographError: the file errors (E001, E002, E003, E009), E006 for a bad
            declared date, E017 when the page has no text left.
    """
    page = parse_html(load_text(path, html=True))
    name = str(path)
    article_id = file_id(path)
    text = strip_boilerplate(page.text, page.title)
    if page.headline and page.headline != page.title:
        text = strip_boilerplate(text, page.headline)
    if not text:
        raise error("E017", where=name, id=article_id)
    return Article(
        id=article_id,
        text=text,
        title=page.title,
        published=page_date(page, name) or published,
        source=page.meta.get("og:site_name") or None,
        url=page.canonical or page.meta.get("og:url") or None,
        origin=name,
    )
