"""Publication dates: ISO 8601 dates and datetimes, and RFC 2822 dates as feeds write them."""

from __future__ import annotations

import datetime as dt
import email.utils

from diplograph.errors import error


def parse_date(value: str, where: str) -> dt.date:
    """Read a publication date; a datetime gives its date as written (no time-zone shift).

    Accepts ISO 8601 dates (``2024-04-13``), ISO 8601 datetimes
    (``2024-04-13T08:00:00Z``, ``2024-04-13 08:00+09:00``) and RFC 2822 dates
    (``Sat, 13 Apr 2024 08:00:00 GMT``, as in RSS ``pubDate``).

    Args:
        value: the date as written in the source.
        where: the place it was read from (``file.jsonl:12``), named in the error.

    Raises:
        DiplographError: E006 when ``value`` is not such a date.

    >>> parse_date("2024-04-13T08:00:00Z", "example.jsonl:1")
    datetime.date(2024, 4, 13)
    >>> parse_date("Sat, 13 Apr 2024 08:00:00 GMT", "feed.rss:9")
    datetime.date(2024, 4, 13)
    """
    text = value.strip() if isinstance(value, str) else ""
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    raise error("E006", where=where, value=value)
