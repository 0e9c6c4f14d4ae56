"""Publication dates from datelines: "RIYADH, March 20 (Reuters) -" dates an undated article.

A dateline is the opening of an article's first paragraph: a place in capitals (``KYIV``,
``NEW YORK``, ``GAZA CITY, Gaza Strip``), a month and day (``March 3``, ``Jan. 2``,
``3 March``) with or without a year, an agency in brackets (``(AP)``, ``(Reuters)``), then a
dash (``-``, ``--``, ``—``) or a colon; the dash may be left out after a date
(``RIYADH, March 20 Saudi officials...``). A place written in lower case
(``Pyongyang, March 3 (KCNA) --``) counts only with a date, an agency and a dash. Only the
very start of the body counts: a dateline-like phrase further down is a quotation or a recap,
not the article's date.

A dateline without a year is completed only from the article itself: from a date the text
writes in full (with its year) within :data:`YEAR_WINDOW_DAYS` of the dateline's day. Without
one the article stays undated; a file's modification time would make the graph depend on
where and when the file was copied.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from diplograph.model import Article
from diplograph.nlp.dates import MONTHS

#: a full date in the text completes a year-less dateline only when this close to its day
YEAR_WINDOW_DAYS = 45

_MONTH = "(?P<{name}>(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"))\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
#: words of letters (any script: BOGOTÁ); capitals or not is checked on the match
_PLACE = r"(?P<place>[^\W\d_][^\W\d_.'’\-]*\.?(?:[ ][^\W\d_][^\W\d_.'’\-]*\.?){0,4})"
_REGION = r"(?:,[ ]+[A-Z][A-Za-z.'’\-]*(?:[ ][A-Za-z][A-Za-z.'’\-]*){0,3})?"
_DATE = (
    r"(?:,[ ]*(?:"
    + _MONTH.format(name="month")
    + r"[ ]+"
    + _DAY.format(name="day")
    + "|"
    + _DAY.format(name="day2")
    + r"[ ]+"
    + _MONTH.format(name="month2")
    + r")(?:,?[ ]+(?P<year>(?:19|20)\d\d))?)"
)
_AGENCY = r"(?:[ ]*\((?P<agency>[^()\n]{2,40})\))?"
_END = r"(?P<end>[ ]*(?:-{1,2}|[\u2013\u2014]{1,2}|:))(?=\s)"
_DATELINES = (
    re.compile(r"\A\s*" + _PLACE + _REGION + _DATE + "?" + _AGENCY + _END),
    re.compile(r"\A\s*" + _PLACE + _REGION + _DATE + _AGENCY + r"(?P<end>)(?=\s)"),
)

_FULL_DATES = re.compile(
    r"\b(?:"
    + _MONTH.format(name="month")
    + r"[ ]+"
    + _DAY.format(name="day")
    + r",?[ ]+(?P<year>(?:19|20)\d\d)|"
    + _DAY.format(name="day2")
    + r"[ ]+"
    + _MONTH.format(name="month2")
    + r",?[ ]+(?P<year2>(?:19|20)\d\d)|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d))\b"
)


@dataclass(frozen=True)
class Dateline:
    """A dateline opening an article: its text as written, place, agency and date parts."""

    text: str
    place: str
    agency: str | None
    month: int | None
    day: int | None
    year: int | None


def parse_dateline(text: str) -> Dateline | None:
    """The dateline that opens ``text``, or None; a dateline later in the text is not read.

    >>> parse_dateline("KYIV, March 3 (Reuters) - Talks resumed.").month
    3
    >>> parse_dateline("WASHINGTON (AP) \u2014 The envoys met.").agency
    'AP'
    >>> parse_dateline("The envoys met. BEIJING, Jan. 2 (Xinhua) -- more") is None
    True
    """
    match = _DATELINES[0].match(text) or _DATELINES[1].match(text)
    if match is None:
        return None
    month_name = match["month"] or match["month2"]
    day = match["day"] or match["day2"]
    agency = match["agency"].strip() if match["agency"] else None
    end = (match["end"] or "").strip()
    if month_name is None and agency is None and end not in {"\u2014", "\u2013", "--"}:
        return None  # "NOTE: ..." or "UPDATE -": a capital word and a plain dash or colon
    place = match["place"]
    if not place.isupper():
        if not all(word.istitle() for word in place.split()) or not (month_name and agency and end):
            return None  # "Pyongyang, March 3 (KCNA) --" only: a place in capitals otherwise
    return Dateline(
        text=match.group(0).strip(),
        place=place,
        agency=agency,
        month=MONTHS[month_name.lower()] if month_name else None,
        day=int(day) if day else None,
        year=int(match["year"]) if match["year"] else None,
    )


def _full_dates(text: str) -> list[dt.date]:
    found = []
    for match in _FULL_DATES.finditer(text):
        try:
            if match["iso"]:
                found.append(dt.date.fromisoformat(match["iso"]))
                continue
            month = MONTHS[(match["month"] or match["month2"]).lower()]
            day = int(match["day"] or match["day2"])
            found.append(dt.date(int(match["year"] or match["year2"]), month, day))
        except ValueError:
            continue
    return found


def dateline_date(dateline: Dateline, text: str) -> dt.date | None:
    """The day a dateline names; a year-less one takes the year that puts it nearest to a
    date written in full in ``text`` (at most :data:`YEAR_WINDOW_DAYS` away), else None.

    >>> line = parse_dateline("RIYADH, March 20 - Envoys met.")
    >>> dateline_date(line, "The deal of March 18, 2025 holds.")
    datetime.date(2025, 3, 20)
    >>> dateline_date(line, "The 2018 summit failed.") is None
    True
    """
    if dateline.month is None or dateline.day is None:
        return None
    if dateline.year is not None:
        try:
            return dt.date(dateline.year, dateline.month, dateline.day)
        except ValueError:
            return None
    best: tuple[int, dt.date] | None = None
    for written in _full_dates(text):
        for year in (written.year - 1, written.year, written.year + 1):
            try:
                day = dt.date(year, dateline.month, dateline.day)
            except ValueError:
                continue
            distance = abs((day - written).days)
            if distance <= YEAR_WINDOW_DAYS and (best is None or (distance, day) < best):
                best = (distance, day)
    return best[1] if best else None


def date_from_dateline(article: Article) -> Article:
    """``article`` dated from its dateline when it has no publication date of its own.

    An article that opens with a dateline naming a day gets ``dateline`` (its text), and
    ``published`` when the day's year is known (:func:`dateline_date`); other articles are
    returned as they are.
    """
    if article.published is not None:
        return article
    dateline = parse_dateline(article.text)
    if dateline is None or dateline.month is None:
        return article
    day = dateline_date(dateline, f"{article.title or ''}\n{article.text}")
    return replace(article, published=day, dateline=dateline.text)
