"""Mask page chrome inside paragraphs before parsing: datelines, live-blog timestamps.

Masking replaces characters with spaces, so every character offset into the article text
stays valid while the parser no longer reads "LONDON (Wire) —" as part of a sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_DATELINE = re.compile(
    r"^(?:[^\n.!?]{2,60}?\([^)\n]{2,60}\)\s*[\u2014\u2013-]{1,2}"
    r"|[A-Z][A-Z.' -]{2,30}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s+[\u2014\u2013]{1,2}"
    r"|\d{1,2}:\d{2}(?:\s*[A-Z]{2,4})?\s+[\u2014\u2013-])\s",
    re.MULTILINE,
)
_STAMP_LINE = re.compile(
    r"^(?:(?:last\s+)?updated|published|posted)\b[^\n]{0,80}$", re.MULTILINE | re.IGNORECASE
)


def dateline_places(text: str) -> list[str]:
    """The place names that open datelines ("VIENNA (Wire) —" gives "Vienna")."""
    places = []
    for match in _DATELINE.finditer(text):
        head = re.split(r"[(,\u2014\u2013]", match.group(0), maxsplit=1)[0].strip(" -")
        if head and not head[0].isdigit() and len(head.split()) <= 4:
            places.append(head.title() if head.isupper() else head)
    return places


def mask_chrome(text: str) -> str:
    """The text with datelines, timestamps and update stamps blanked out (same length)."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    return _STAMP_LINE.sub(blank, _DATELINE.sub(blank, text))


@Language.component(
    "diplograph_paragraphs",
    assigns=["token.is_sent_start"],
)
def paragraph_sentences(doc: Doc) -> Doc:
    """A paragraph break always starts a new sentence (run before the parser)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    return doc
