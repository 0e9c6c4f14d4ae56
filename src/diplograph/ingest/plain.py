"""Articles from plain-text files: one article a file, the headline as its first paragraph."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from diplograph.errors import error
from diplograph.ingest.boilerplate import strip_boilerplate
from diplograph.ingest.files import file_id, load_text
from diplograph.model import Article

#: The longest first line still taken for a headline.
MAX_TITLE_CHARS = 200

_SENTENCE_END = re.compile(r"[.!?…:;][\"'’”)\]]*$")


def split_title(text: str) -> tuple[str | None, str]:
    """Split a headline off ``text``: (title or None, the rest).

    The first paragraph is a headline when it is one line of at most 200 characters
    that does not end like a sentence, and more text follows after a blank line.

    >>> split_title("Envoys Meet in Geneva\\n\\nThe envoys met on Monday.")
    ('Envoys Meet in Geneva', 'The envoys met on Monday.')
    >>> split_title("The envoys met on Monday.\\n\\nThey agreed to meet again.")[0] is None
    True
    """
    stripped = text.lstrip("\n")
    first, separator, rest = stripped.partition("\n\n")
    candidate = first.strip()
    if (
        separator
        and rest.strip()
        and candidate
        and "\n" not in candidate
        and len(candidate) <= MAX_TITLE_CHARS
        and not _SENTENCE_END.search(candidate)
    ):
        return candidate, rest
    return None, text


def read_text_file(path: Path, published: dt.date | None = None) -> Article:
    """One article from a UTF-8 text file; its id is the file stem, slugified.

    Raises:
        DiplographError: the file errors (E001, E002, E003, E009) and E017 when only
            boilerplate is left.
    """
    title, body = split_title(load_text(path))
    article_id = file_id(path)
    text = strip_boilerplate(body, title)
    if not text:
        raise error("E017", where=path, id=article_id)
    return Article(id=article_id, text=text, title=title, published=published, origin=str(path))
