"""Resolve date expressions ("on Saturday", "last September") against a publication date.

Results are ISO strings at the precision the text gives: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(" + "|".join(WEEKDAYS) + ")"
_FILLER = re.compile(
    r"^(?:(on|in|at|by|since|from|during|of|the|early|late|mid|earlier|later)\s+|(mid|early|late)-)"
)

#: a weekday before a full date names nothing more ("Saturday 30 November 2024")
_WEEKDAY_BEFORE_DATE = re.compile(rf"^{_WEEKDAY},?\s+(?=\d|{_MONTH}\s+\d)")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(\d{{4}}))?$")
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$")
_MONTH_YEAR = re.compile(rf"^(last\s+|this\s+|next\s+)?{_MONTH}(?:,?\s+(?:of\s+)?(\d{{4}}))?$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEKDAY_RE = re.compile(rf"^(last\s+|this\s+|next\s+|this\s+past\s+)?{_WEEKDAY}(\s+\w+)?$")
#: "March 6 to 10", "6-10 March", "between 2019 and 2021": a start and an end
_RANGE = re.compile(
    r"^(between\s+)?(.+?)\s*(?:\s(?:to|through|until|and)\s|-|\u2013|\u2014)\s*(.+)$"
)
_BARE_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_TRAILING_YEAR = re.compile(r",?\s+(\d{4})$")


def _previous_month(year: int, month: int, step: int = 1) -> tuple[int, int]:
    index = year * 12 + (month - 1) - step
    return index // 12, index % 12 + 1


def _month_precision(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def day_only(value: str | None) -> str | None:
    """``value`` if it names a day (``YYYY-MM-DD``); ``None`` for a month, a year or none.

    >>> day_only("2024-04"), day_only("2024-04-13")
    (None, '2024-04-13')
    """
    return value if value and _ISO.match(value) else None


def _shared(first: dt.date, last: dt.date) -> str | None:
    """What two days have in common: their month, else their year ("overnight" across the
    turn of a month is sure of its year only)."""
    if (first.year, first.month) == (last.year, last.month):
        return _month_precision(first.year, first.month)
    return f"{first.year:04d}" if first.year == last.year else None


def _infer_year(month: int, day: int | None, published: dt.date, direction: str | None) -> int:
    """The year of a month named without one: the latest not after publication, unless 'next'
    (the first after it) or 'ahead' (the first not before it: an expected event)."""
    named, now = (month, day or 0), (published.month, published.day if day else 0)
    if direction == "ahead":
        return published.year + 1 if named < now else published.year
    if direction == "next":
        return published.year + 1 if named <= now else published.year
    if direction == "last" and month >= published.month:
        return published.year - 1
    return published.year - 1 if named > now else published.year


def resolve_date(expression: str, published: dt.date | None, ahead: bool = False) -> str | None:
    """Resolve a date expression to ISO; ``None`` when it names no calendar date. A weekday or
    month of an event still to come (``ahead``) is the first one from publication on.

    >>> resolve_date("on Saturday", dt.date(2024, 4, 13))
    '2024-04-13'
    >>> resolve_date("In September", dt.date(2024, 4, 13))
    '2023-09'
    >>> resolve_date("In September", dt.date(2024, 4, 13), ahead=True)
    '2024-09'
    >>> resolve_date("on Thursday", dt.date(2021, 5, 25), ahead=True)
    '2021-05-27'
    >>> resolve_date("March 4", dt.date(2018, 3, 27))
    '2018-03-04'
    >>> resolve_date("from 6 to 10 May", dt.date(2019, 6, 1))
    '2019-05-06'
    >>> resolve_date("Saturday, November 30, 2024", None)
    '2024-11-30'
    """
    value = _resolve(expression, published, ahead)
    return value if value is None or _CALENDAR.match(value) else None


def _resolve(expression: str, published: dt.date | None, ahead: bool) -> str | None:
    text = " ".join(expression.lower().replace(",", " ,").split()).replace(" ,", ",")
    text = text.strip(" .,")
    previous = None
    while previous != text:
        previous = text
        text = _FILLER.sub("", text)
    text = _WEEKDAY_BEFORE_DATE.sub("", text)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    if match := _YEAR.match(text):
        return match.group(1) if 1800 <= int(match.group(1)) <= 2200 else None
    if match := _DAY_MONTH_YEAR.match(text):
        day, month_name, year = match.groups()
        return _full_date(int(day), MONTHS[month_name], year, published, ahead)
    if match := _MONTH_DAY_YEAR.match(text):
        month_name, day, year = match.groups()
        return _full_date(int(day), MONTHS[month_name], year, published, ahead)
    if match := _MONTH_YEAR.match(text):
        direction, month_name, year = match.groups()
        month = MONTHS[month_name]
        if year:
            return _month_precision(int(year), month)
        if published is None:
            return None
        direction = direction.strip() if direction else ("ahead" if ahead else None)
        return _month_precision(_infer_year(month, None, published, direction), month)
    if (match := _RANGE.match(text)) and not re.match(r"^\d{4}-\d+-\d+$", text):
        return _range_start(match, published, ahead)
    if published is None:
        return None
    try:
        return _relative(text, published, ahead)
    except OverflowError:  # "tomorrow" of 9999-12-31, "yesterday" of 0001-01-01
        return None


#: what the graph can hold: a day, month or year of years 1 to 9999 ("next year" of 9999
#: and "last year" of year 1 name none)
_CALENDAR = re.compile(r"^(?!0000)\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _range_start(match: re.Match, published: dt.date | None, ahead: bool) -> str | None:
    """The start of a span of days ("March 6 to 10": March 6); a bare start day takes the
    month and year of the end ("6 to 10 March"), a start without a year the end's year."""
    between, start, end = match.groups()
    if between is None and " and " in f" {match.group(0)} ":
        return None  # "Monday and Tuesday": two days, not a span
    end_year = _TRAILING_YEAR.search(end)
    if day := _BARE_DAY.match(start):
        end_date = _DAY_MONTH_YEAR.match(end) or _MONTH_DAY_YEAR.match(end)
        if end_date is None:
            return None
        month_name = next(group for group in end_date.groups()[:2] if group in MONTHS)
        start = f"{day.group(1)} {month_name}"
    if end_year and not _TRAILING_YEAR.search(start) and not _YEAR.match(start):
        start_month = _month_of(start)
        end_month = _month_of(end) or start_month
        year = int(end_year.group(1)) - (start_month > end_month if start_month else 0)
        start = f"{start} {year}"
    return resolve_date(start, published, ahead)


def _month_of(text: str) -> int:
    """The number of the month a text names (0 for none)."""
    return next((MONTHS[word] for word in re.findall(r"[a-z]+", text) if word in MONTHS), 0)


def _full_date(
    day: int, month: int, year: str | None, published: dt.date | None, ahead: bool
) -> str | None:
    if year:
        resolved_year = int(year)
    elif published is not None:
        resolved_year = _infer_year(month, day, published, "ahead" if ahead else None)
    else:
        return None
    try:
        return dt.date(resolved_year, month, day).isoformat()
    except ValueError:
        return None


#: weeks counted from the week of publication
_WEEKS = {"this week": 0, "last week": -1, "the previous week": -1, "next week": 1}


def _relative(text: str, published: dt.date, ahead: bool = False) -> str | None:
    if match := _WEEKDAY_RE.match(text):
        direction, weekday, tail = match.groups()
        if tail and tail.strip() not in {"morning", "afternoon", "evening", "night"}:
            return None
        offset = (published.weekday() - WEEKDAYS[weekday]) % 7
        if ahead and not direction:
            offset = -((WEEKDAYS[weekday] - published.weekday()) % 7)
        if direction and direction.strip() == "next":
            offset = -((WEEKDAYS[weekday] - published.weekday()) % 7 or 7)
        elif direction and direction.strip() == "last" and offset == 0:
            offset = 7
        return (published - dt.timedelta(days=offset)).isoformat()
    if text in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
        return published.isoformat()
    if text in {"overnight", "during the night"}:  # the evening before or the small hours
        return _shared(published - dt.timedelta(days=1), published)
    if text in _WEEKS:  # the month that holds most of the week's seven days
        monday = published - dt.timedelta(days=published.weekday() - 7 * _WEEKS[text])
        thursday = monday + dt.timedelta(days=3)
        return _month_precision(thursday.year, thursday.month)
    if text in {"yesterday", "last night", "yesterday morning", "yesterday evening"}:
        return (published - dt.timedelta(days=1)).isoformat()
    if text in {"tomorrow", "tomorrow morning"}:
        return (published + dt.timedelta(days=1)).isoformat()
    if text in {"this month", "earlier this month", "later this month"}:
        return _month_precision(published.year, published.month)
    if text in {"last month", "the previous month", "a month ago"}:
        return _month_precision(*_previous_month(published.year, published.month))
    if text in {"next month"}:
        return _month_precision(*_previous_month(published.year, published.month, -1))
    if text in {"this year", "earlier this year", "later this year"}:
        return f"{published.year:04d}"
    if text in {"last year", "the previous year", "a year ago"}:
        return f"{published.year - 1:04d}"
    if text in {"next year"}:
        return f"{published.year + 1:04d}"
    return None
