"""``read_articles``: stream articles from files, folders and standard input."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from diplograph.errors import error
from diplograph.ingest.dateline import date_from_dateline
from diplograph.ingest.feeds import read_feed_file
from diplograph.ingest.files import SUFFIXES, kind_of
from diplograph.ingest.htmltext import read_html_file
from diplograph.ingest.plain import read_text_file
from diplograph.ingest.records import read_json_file, read_jsonl, read_jsonl_file
from diplograph.model import Article

#: The path that means standard input, read as JSON Lines.
STDIN = "-"
STDIN_NAME = "<stdin>"


def read_articles(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    published: dt.date | None = None,
) -> Iterator[Article]:
    """Stream the articles of files and folders, in the order given.

    Kinds by suffix: ``.txt`` (one article; the first line is the title when it
    looks like a headline; the id is the file stem), ``.jsonl``/``.ndjson`` (one
    article a line: ``id`` and ``text`` required; ``title``, ``published``,
    ``source``, ``url`` optional), ``.json`` (an article object or a list),
    ``.html``/``.htm`` (one page), ``.xml``/``.rss``/``.atom`` (RSS or Atom feeds,
    an article per item). A file named with another suffix is recognised by its
    content. A folder is walked recursively in name order, taking files with those
    suffixes and skipping hidden files and folders. ``-`` is standard input, read
    as JSON Lines. Every text has had :func:`strip_boilerplate` applied. An article
    with no date of its own and no ``published`` is dated from the dateline its body
    opens with, when it has one (``RIYADH, March 20, 2025 (Reuters) -``; see
    :mod:`diplograph.ingest.dateline`), and carries that dateline.

    Args:
        paths: files, folders or ``-``; a single path is accepted too.
        published: the date of articles that do not give their own (before a dateline).

    Returns:
        An iterator that reads lazily: JSON Lines one line at a time, folders one
        file at a time. Missing paths raise at once; other errors when reached, after
        the articles before them have been yielded. ``origin`` is the path, or
        ``path:LINE`` for a JSON Lines line, a list item or a feed item.

    Raises:
        DiplographError: E001 a path does not exist (raised by this call); while
            iterating, E002-E006, E009, E010, E014-E020 with the file and line.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "wire.jsonl").write_text('{"id": "a1", "text": "Envoys met."}\\n')
    >>> [(a.id, a.text, a.origin.endswith("wire.jsonl:1")) for a in read_articles([folder])]
    [('a1', 'Envoys met.', True)]
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if published is not None and not isinstance(published, dt.date):
        raise TypeError(f"published must be a datetime.date or None, not {published!r}")
    if isinstance(published, dt.datetime):
        published = published.date()
    targets: list[Path | str] = []
    for path in paths:
        if path == STDIN:
            targets.append(STDIN)
            continue
        target = Path(path)
        if not target.exists():
            raise error("E001", path=target)
        targets.append(target)
    return _unique(map(date_from_dateline, _read_targets(targets, published)))


def _unique(articles: Iterator[Article]) -> Iterator[Article]:
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise error("E015", path=article.origin, id=article.id, first=seen[article.id])
        seen[article.id] = article.origin
        yield article


def _read_targets(targets: list[Path | str], published: dt.date | None) -> Iterator[Article]:
    for target in targets:
        if isinstance(target, str):
            stream = getattr(sys.stdin, "buffer", None)
            lines = stream if stream is not None else (line.encode() for line in sys.stdin)
            yield from read_jsonl(lines, STDIN_NAME, published)
        elif target.is_dir():
            found = False
            for path in walk(target):
                found = True
                yield from read_file(path, published)
            if not found:
                raise error("E010", path=target)
        else:
            yield from read_file(target, published)


def walk(folder: Path) -> Iterator[Path]:
    """Article files under ``folder``, recursively, in name order; hidden entries skipped.

    Each folder is listed when reached, so a large tree is walked lazily; a folder
    reached twice through symbolic links is walked once.
    """
    seen: set[str] = set()

    def visit(directory: Path) -> Iterator[Path]:
        real = os.path.realpath(directory)
        if real in seen:
            return
        seen.add(real)
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            raise error("E020", path=directory, detail=exc.strerror or exc) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from visit(Path(entry.path))
            elif entry.is_file() and Path(entry.name).suffix.lower() in SUFFIXES:
                yield Path(entry.path)

    return visit(folder)


def read_file(path: Path, published: dt.date | None = None) -> Iterator[Article]:
    """The articles of one file, by its kind (suffix, else content)."""
    kind = kind_of(path)
    if kind == "jsonl":
        yield from read_jsonl_file(path, published)
    elif kind == "json":
        yield from read_json_file(path, published)
    elif kind == "feed":
        yield from read_feed_file(path, published)
    elif kind == "html":
        yield read_html_file(path, published)
    else:
        yield read_text_file(path, published)
