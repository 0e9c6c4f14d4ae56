"""Articles as JSON: JSON Lines (one object a line, streamed) and JSON files (object or list)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from diplograph.errors import error
from diplograph.ingest.boilerplate import strip_boilerplate
from diplograph.ingest.dates import parse_date
from diplograph.ingest.files import check_regular, decode, read_bytes
from diplograph.model import Article

REQUIRED = ("id", "text")
OPTIONAL_STRINGS = ("title", "source", "url")
_SURROGATE = re.compile("[\ud800-\udfff]")

_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def json_type(value: object) -> str:
    """How JSON calls the type of ``value`` (``a number``, ``null``), for error messages."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _beyond_limits(exc: BaseException) -> str:
    """What a JSON value that decodes but exceeds Python's limits does wrong."""
    if isinstance(exc, RecursionError):
        return "arrays or objects nested too deeply to read"
    return f"a number too long to read ({str(exc).split(':')[0]})"


def _lone_surrogate(value: str) -> int | None:
    """The position of a lone UTF-16 surrogate (``"\\ud800"`` in JSON) in ``value``, if any:
    such a string cannot be written as UTF-8, so it cannot go into a graph."""
    match = _SURROGATE.search(value)
    return match.start() if match else None


def record_to_article(
    record: Any,
    path: str,
    line: int,
    published: dt.date | None = None,
    origin: str | None = None,
) -> Article:
    """Check one decoded JSON article and build the :class:`Article`.

    ``id`` and ``text`` are required strings; ``title``, ``source`` and ``url`` are
    strings or null; ``published`` is a date string or null. The ``published``
    argument fills a missing date and never overrides one the record gives.

    Raises:
        DiplographError: E019 not an object, E005 a required field missing, E014 a field
            of the wrong type, E006 a bad date, E017 no text left after stripping boilerplate.
    """
    where = f"{path}:{line}"
    if not isinstance(record, dict):
        raise error("E019", path=path, line=line, found=json_type(record))
    for name in REQUIRED:
        if name not in record:
            raise error("E005", path=path, line=line, field=name)
    article_id, text = record["id"], record["text"]
    if not isinstance(article_id, str) or not article_id.strip():
        expected = f"a non-empty string, not {json_type(article_id)}"
        if isinstance(article_id, str):
            expected = "a non-empty string"
        raise error("E014", path=path, line=line, field="id", expected=expected)
    if not isinstance(text, str):
        raise error(
            "E014", path=path, line=line, field="text", expected=f"a string, not {json_type(text)}"
        )
    for name in (*REQUIRED, *OPTIONAL_STRINGS, "published"):
        value = record.get(name)
        if isinstance(value, str) and (position := _lone_surrogate(value)) is not None:
            expected = f"Unicode text, not a lone surrogate (at character {position + 1})"
            raise error("E014", path=path, line=line, field=name, expected=expected)
    optional: dict[str, str | None] = {}
    for name in OPTIONAL_STRINGS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            expected = f"a string or null, not {json_type(value)}"
            raise error("E014", path=path, line=line, field=name, expected=expected)
        optional[name] = value.strip() or None if isinstance(value, str) else None
    date = record.get("published")
    if date is not None and not isinstance(date, str):
        expected = f'a date string such as "2024-04-13" or null, not {json_type(date)}'
        raise error("E014", path=path, line=line, field="published", expected=expected)
    day = parse_date(date, where) if date and date.strip() else published
    body = strip_boilerplate(text, optional["title"])
    if not body:
        raise error("E017", where=where, id=article_id)
    return Article(
        id=article_id,
        text=body,
        title=optional["title"],
        published=day,
        source=optional["source"],
        url=optional["url"],
        origin=origin if origin is not None else where,
    )


def read_jsonl(
    lines: Iterable[bytes], path: str, published: dt.date | None = None
) -> Iterator[Article]:
    """Stream articles from JSON Lines given as raw byte lines, one line at a time.

    Blank lines are skipped; ``origin`` is ``path:LINE``. A broken line raises before
    its article is yielded; the articles of earlier lines have been yielded already.

    Raises:
        DiplographError: E003 a NUL byte, E009 not UTF-8, E004 invalid JSON on a line,
            E002 no article at all, and the errors of :func:`record_to_article`.
    """
    offset = 0
    found = False
    for number, raw in enumerate(lines, start=1):
        nul = raw.find(b"\x00")
        if nul >= 0:
            raise error("E003", path=path, offset=offset + nul)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            detail = f"line {number}: {exc.reason} at byte {offset + exc.start}"
            raise error("E009", path=path, detail=detail) from None
        offset += len(raw)
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        found = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            detail = f"{exc.msg} at column {exc.colno}"
            raise error("E004", path=path, line=number, detail=detail) from None
        except (RecursionError, ValueError) as exc:
            raise error("E004", path=path, line=number, detail=_beyond_limits(exc)) from None
        yield record_to_article(record, path, number, published)
    if not found:
        raise error("E002", path=path)


def read_jsonl_file(path: Path, published: dt.date | None = None) -> Iterator[Article]:
    """Stream the articles of a ``.jsonl``/``.ndjson`` file without reading it whole."""
    check_regular(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise error("E001", path=path) from None
    except OSError as exc:
        raise error("E020", path=path, detail=exc.strerror or exc) from None
    with handle:
        yield from read_jsonl(handle, str(path), published)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


def _json_values(text: str, path: str) -> tuple[bool, list[tuple[int, Any]]]:
    """Decode a JSON document: (is it a list, [(line where each article starts, value)])."""
    decoder = json.JSONDecoder()
    counted = [0, 1]  # the line number at a position, counted forward once

    def line_of(index: int) -> int:
        counted[1] += text.count("\n", counted[0], index)
        counted[0] = index
        return counted[1]

    def invalid(message: str, index: int) -> Exception:
        return error("E004", path=path, line=line_of(index), detail=message)

    def value_at(index: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            detail = f"{exc.msg} at column {exc.colno}"
            raise error("E004", path=path, line=exc.lineno, detail=detail) from None
        except (RecursionError, ValueError) as exc:
            raise invalid(_beyond_limits(exc), index) from None

    index = _skip_space(text, 0)
    values: list[tuple[int, Any]] = []
    is_list = text.startswith("[", index)
    if is_list:
        index = _skip_space(text, index + 1)
        if text.startswith("]", index):
            index += 1
        else:
            while True:
                line = line_of(index)
                value, index = value_at(index)
                values.append((line, value))
                index = _skip_space(text, index)
                if text.startswith(",", index):
                    index = _skip_space(text, index + 1)
                elif text.startswith("]", index):
                    index += 1
                    break
                else:
                    raise invalid("expected ',' or ']' after an article", index)
    else:
        line = line_of(index)
        value, index = value_at(index)
        values.append((line, value))
    index = _skip_space(text, index)
    if index < len(text):
        raise invalid("extra data after the JSON value", index)
    return is_list, values


def read_json_file(path: Path, published: dt.date | None = None) -> Iterator[Article]:
    """The articles of a ``.json`` file holding one article object or a list of them.

    Every article is decoded and checked before the first one is yielded. ``origin``
    is the path for a single object and ``path:LINE`` (the line where the object
    starts) for each article of a list.
    """
    name = str(path)
    is_list, values = _json_values(decode(read_bytes(path), path), name)
    if not values:
        raise error("E002", path=path)
    articles = [
        record_to_article(
            value, name, line, published, origin=f"{name}:{line}" if is_list else name
        )
        for line, value in values
    ]
    yield from articles
