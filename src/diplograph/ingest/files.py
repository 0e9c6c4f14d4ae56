"""Reading one input file: checks shared by every format, ids from file names, format sniffing."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import stat
import unicodedata
from pathlib import Path

from diplograph.errors import error

#: How much of a file is inspected for NUL bytes and for sniffing its format.
HEAD_BYTES = 8192

#: Input kinds by file suffix; a folder walk takes only these files.
SUFFIXES = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://(www\d?\.)?", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_START = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def slugify(value: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens; a URL loses its scheme and ``www.``.

    >>> slugify("Talks in Genève (Final).txt")
    'talks-in-geneve-final-txt'
    >>> slugify("https://www.example.org/news/2024/04/talks")
    'example-org-news-2024-04-talks'
    """
    value = _SCHEME.sub("", value.strip())
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def file_id(path: Path) -> str:
    """The article id of a one-article file: its stem, slugified (a hash if nothing is left)."""
    slug = slugify(path.stem)
    if slug:
        return slug
    return "article-" + hashlib.sha1(path.stem.encode("utf-8")).hexdigest()[:10]


_KINDS = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def check_regular(path: Path) -> None:
    """E047 unless ``path`` (after symlinks) is a regular file: a device such as
    ``/dev/zero`` or a pipe would be read forever or block; E001 when it is missing."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error("E001", path=path) from None
    except OSError as exc:
        raise error("E020", path=path, detail=exc.strerror or exc) from None
    if not stat.S_ISREG(mode):
        raise error("E047", path=path, kind=_KINDS.get(stat.S_IFMT(mode), "not a file"))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; E002 when empty or blank, E003 when a NUL byte shows it is binary,
    E047 when it is not a regular file."""
    check_regular(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error("E001", path=path) from None
    except OSError as exc:
        raise error("E020", path=path, detail=exc.strerror or exc) from None
    nul = data.find(b"\x00", 0, HEAD_BYTES)
    if nul >= 0:
        raise error("E003", path=path, offset=nul)
    if not data.strip():
        raise error("E002", path=path)
    return data


def decode(data: bytes, path: Path, *, html: bool = False) -> str:
    """UTF-8 text (a BOM dropped, newlines normalised); an HTML page may declare another charset.

    Raises E009 when the bytes are not text in that encoding, E002 when only whitespace.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = _declared_charset(data) if html else None
        if text is None:
            raise error("E009", path=path, detail=f"{exc.reason} at byte {exc.start}") from None
    if not text.strip():
        raise error("E002", path=path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:HEAD_BYTES])
    if not match:
        return None
    try:
        return data.decode(codecs.lookup(match.group(1).decode("ascii")).name)
    except (LookupError, UnicodeDecodeError):
        return None


def load_text(path: Path, *, html: bool = False) -> str:
    """Read a one-document text file with every check (E001, E002, E003, E009, E020)."""
    return decode(read_bytes(path), path, html=html)


def sniff(path: Path) -> str:
    """The input kind of a file given by name whose suffix says nothing (``text`` by default)."""
    check_regular(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise error("E020", path=path, detail=exc.strerror or exc) from None
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if start.startswith(b"<"):
        if _FEED_ROOT.search(start):
            return "feed"
        if _HTML_START.search(start) or not start.startswith(b"<?xml"):
            return "html"
        return "feed"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first, newline, _ = start.partition(b"\n")
        try:
            json.loads(first)
        except ValueError:
            return "json" if newline else "jsonl"
        return "jsonl"
    return "text"


def kind_of(path: Path) -> str:
    """The input kind of ``path``: from its suffix, else sniffed from its first bytes."""
    return SUFFIXES.get(path.suffix.lower()) or sniff(path)
